-- tools/mutate.lua - mutation testing of sipcodes (make mutate; docs/mutation.md).
--
--   lua5.4 tools/mutate.lua                 every mutant of tools/mutants.lua
--   MUTANTS=id1,id2 lua5.4 tools/mutate.lua only those
--   MUTATE_JOBS=1                           one mutant at a time (default 2)
--   MUTATE_BASELINE=0                       skip the run of the unmutated copy
--   MUTATE_CHECK=1                          only check the catalogue (stale ones)
--   MUTATE_MERGE=1                          keep the results of the last run for the
--                                           mutants not run now (with MUTANTS=)
--
-- The working tree is never written: the tracked files are copied once into
-- build/mutate/pristine, and from there into build/mutate/work-N, one per
-- job.  A job applies one mutant to its copy (the original text must occur
-- exactly once, else the mutant is STALE), runs the legs cheapest first and
-- stops at the first that fails (KILLED), then restores the file from the
-- pristine copy.  A mutant that does not build is INVALID.  The results go
-- to build/mutate/results.md; the run fails below 95% killed, or when any
-- mutant is stale or invalid.
--
-- Internal: `tools/mutate.lua --worker N DIR CATALOGUE` is one job.

local OUT = "build/mutate"
local CATALOGUE = "tools/mutants.lua"
local RATIO = 0.95

-- Seconds each leg may take before it counts as failed (a mutant that
-- loops forever is killed by its timeout).
local TIMEOUT = { build = 180, index = 120, ctest = 240, busted = 420, jit = 480,
                  e2e = 900, fuzz = 600 }

-- The spec files run first for a mutant of a file (the rest of the suite
-- only runs when these pass).
local SPECS_OF = {
  ["csrc/sipcodes_data.h"] = { "registry", "core", "exact" },
  ["csrc/sipcodes.c"] = { "core", "registry", "exact" },
  ["csrc/lua_sipcodes.c"] = { "core", "registry", "badinput" },
  ["csrc/sipcodes_proto.c"] = { "proto", "retry_after", "warning" },
  ["csrc/lua_sipcodes_proto.c"] = { "proto", "retry_after", "warning" },
  ["csrc/sipcodes_outcome.c"] = { "outcome" },
  ["csrc/lua_sipcodes_outcome.c"] = { "outcome" },
  ["csrc/lua_sipcodes_kpi.c"] = { "outcome" },
  ["csrc/sipcodes_policy.c"] = { "policy", "kamailio" },
  ["csrc/lua_sipcodes_policy.c"] = { "policy" },
  ["csrc/sipcodes_interop.c"] = { "interop", "freeswitch" },
  ["csrc/lua_sipcodes_interop.c"] = { "interop" },
  ["csrc/lua_sipcodes_kamailio.c"] = { "kamailio" },
  ["csrc/lua_sipcodes_freeswitch.c"] = { "freeswitch" },
  ["lua/sipcodes/memo.lua"] = { "core", "registry" },
}

-- Spec files that take seconds (the exhaustive sweeps), run after the rest.
local SLOW = { exact = 3, anchor = 2, bounds = 1, proto = 1, badinput = 1 }

-- ---- small helpers ---------------------------------------------------------

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- os.execute's success, on 5.1 (a number) and 5.2+ (true/nil, how, code).
local function run(cmd)
  local a, _, c = os.execute(cmd)
  if type(a) == "number" then
    return a == 0, a >= 256 and math.floor(a / 256) or a
  end
  return a == true, c or (a and 0 or 1)
end

local function capture(cmd)
  local p = assert(io.popen(cmd))
  local s = p:read("*a")
  p:close()
  return s
end

local function now()
  return tonumber(capture("date +%s.%N")) or os.time()
end

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then
    return nil
  end
  local s = f:read("*a")
  f:close()
  return s
end

local function writefile(path, s)
  local f = assert(io.open(path, "wb"))
  assert(f:write(s))
  assert(f:close())
end

-- How often the plain text `needle` occurs in s.
local function count(s, needle)
  local n, i = 0, 1
  while true do
    local a, b = s:find(needle, i, true)
    if not a then
      return n
    end
    n = n + 1
    i = b + 1
  end
end

local function split(s)
  local t = {}
  for w in (s or ""):gmatch("[^,%s]+") do
    t[#t + 1] = w
  end
  return t
end

local function fmt_time(s)
  if s >= 60 then
    return string.format("%dm%02ds", math.floor(s / 60), math.floor(s % 60))
  end
  return string.format("%.1fs", s)
end

-- ---- the catalogue -----------------------------------------------------------

local FIELDS = { id = "string", file = "string", from = "string", to = "string",
                 what = "string" }
local OPTIONAL = { equivalent = "string", specs = "table", jit = "boolean",
                   e2e = "string", fuzz = "string", upto = "string" }

local function load_catalogue(path)
  local list = dofile(path)
  local seen, errors = {}, {}
  for i, m in ipairs(list) do
    local where = "mutant #" .. i .. (type(m.id) == "string" and " (" .. m.id .. ")" or "")
    for k, ty in pairs(FIELDS) do
      if type(m[k]) ~= ty then
        errors[#errors + 1] = where .. ": field '" .. k .. "' must be a " .. ty
      end
    end
    for k, v in pairs(m) do
      if not FIELDS[k] and OPTIONAL[k] ~= type(v) then
        errors[#errors + 1] = where .. ": unknown or mistyped field '" .. tostring(k) .. "'"
      end
    end
    if m.from == m.to then
      errors[#errors + 1] = where .. ": 'to' is the same text as 'from'"
    end
    if m.id and seen[m.id] then
      errors[#errors + 1] = where .. ": id given twice"
    end
    seen[m.id or i] = true
  end
  if #errors > 0 then
    io.stderr:write("mutate: " .. path .. ":\n  " .. table.concat(errors, "\n  ") .. "\n")
    os.exit(2)
  end
  return list
end

-- ---- one mutant --------------------------------------------------------------

-- Where m's text starts and ends in text: `from` once, and with `upto`
-- through the end of the first `upto` after it; nil and why when stale.
local function span(text, m)
  local c = count(text, m.from)
  if c ~= 1 then
    return nil, "original text found " .. c .. " times"
  end
  local a, b = text:find(m.from, 1, true)
  if m.upto then
    local _, e = text:find(m.upto, b + 1, true)
    if not e then
      return nil, "'upto' text not found after the original text"
    end
    b = e
  end
  return a, b
end

local function is_core(file)
  return file:match("^csrc/sipcodes[^/]*%.[ch]$") ~= nil
end

-- The spec files for a mutant: its own list or its file's, then the rest.
local function spec_order(dir, m)
  local first, seen = {}, {}
  for _, s in ipairs(m.specs or SPECS_OF[m.file] or {}) do
    local f = "spec/" .. s .. "_spec.lua"
    if not seen[f] and readfile(dir .. "/" .. f) then
      first[#first + 1] = f
      seen[f] = true
    end
  end
  local rest = {}
  for f in capture("cd " .. q(dir) .. " && ls spec/*_spec.lua"):gmatch("[^\n]+") do
    if not seen[f] then
      rest[#rest + 1] = f
    end
  end
  -- The slow files last: a mutant another file kills is then killed sooner.
  local function cost(f)
    return SLOW[f:match("spec/(.-)_spec%.lua")] or 0
  end
  table.sort(rest, function(x, y)
    if cost(x) ~= cost(y) then
      return cost(x) < cost(y)
    end
    return x < y
  end)
  return first, rest
end

-- Run one leg in dir; true when it passed, else false and a line on why.
local function leg(dir, name, cmd, log)
  local ok, code = run("cd " .. q(dir) .. " && timeout " .. TIMEOUT[name] ..
                       " sh -c " .. q(cmd) .. " > " .. q(log) .. " 2>&1")
  if ok then
    return true
  end
  local text = readfile(log) or ""
  text = "\n" .. text
  -- busted's first failure, a C test's check or a compiler's error, an
  -- ASan or UBSan report, else the last line.
  local why = text:match("\n(not ok [^\n]*)") or text:match("\n(ctest/[^\n]*:%d+: [^\n]*)") or
              text:match("\n([^\n]*: error: [^\n]*)") or text:match("\n([^\n]*ERROR: [^\n]*)") or
              text:match("\n([^\n]*runtime error: [^\n]*)")
  if code == 124 then
    why = "timed out after " .. TIMEOUT[name] .. " s"
  elseif not why then
    why = text:match("([^\n]+)\n*$") or ("exit " .. tostring(code))
  end
  return false, (why:gsub("%s+", " "):sub(1, 160))
end

local BUSTED = "SIPCODES_SPEC_CALLS=20000 busted --no-keep-going -o TAP "

local function run_legs(dir, m, log)
  local function fail(status, legname, why)
    return { status = status, leg = legname, why = why }
  end
  local ok, why = leg(dir, "build", "make -s LUA_VERSION=5.4 CFLAGS=-O0", log .. ".build")
  if not ok then
    return fail("INVALID", "build", why)
  end
  if is_core(m.file) then
    ok, why = leg(dir, "ctest", "make -s ctest CFLAGS=-O0", log .. ".ctest")
    if not ok then
      return fail("KILLED", "ctest", why)
    end
  end
  local first, rest = spec_order(dir, m)
  if m.jit then
    ok, why = leg(dir, "jit", "make -s LUA_VERSION=jit CFLAGS=-O0 && " .. BUSTED ..
                  "--lua=luajit --cpath='build/jit/?.so' " .. table.concat(first, " ") ..
                  " " .. table.concat(rest, " "), log .. ".jit")
    if not ok then
      return fail("KILLED", "busted-jit", why)
    end
  end
  local sets = { { "busted", first }, { "busted-rest", rest } }
  for _, set in ipairs(sets) do
    if #set[2] > 0 then
      ok, why = leg(dir, "busted", BUSTED .. "--lua=lua5.4 --cpath='build/5.4/?.so' " ..
                    table.concat(set[2], " "), log .. "." .. set[1])
      if not ok then
        local names = {}
        for _, f in ipairs(set[2]) do
          names[#names + 1] = f:match("spec/(.-)_spec%.lua")
        end
        local label = #set[2] <= 3 and set[1] .. " (" .. table.concat(names, ", ") .. ")" or
                      set[1]
        return fail("KILLED", label, why)
      end
    end
  end
  if m.e2e then
    -- The e2e scripts listen on fixed ports: one at a time.
    ok, why = leg(dir, "e2e", "flock ../e2e.lock " .. m.e2e, log .. ".e2e")
    if not ok then
      return fail("KILLED", "e2e " .. m.e2e, why)
    end
  end
  if m.fuzz then
    local t = "build/fuzz/" .. m.fuzz
    ok, why = leg(dir, "fuzz", "make -s " .. t .. " && " .. t .. " -runs=0 fuzz/corpus/" ..
                  m.fuzz, log .. ".fuzz")
    if not ok then
      return fail("KILLED", "fuzz " .. m.fuzz, why)
    end
  end
  return fail("SURVIVED", "", "")
end

local function serialize(r)
  local keys = {}
  for k in pairs(r) do
    keys[#keys + 1] = k
  end
  table.sort(keys)
  local out = { "return {" }
  for _, k in ipairs(keys) do
    out[#out + 1] = string.format("  %s = %q,", k, r[k])
  end
  out[#out + 1] = "}\n"
  return table.concat(out, "\n")
end

-- Apply m to the copy in dir, run it, restore the copy.
local function run_mutant(dir, pristine, m, log)
  local path = dir .. "/" .. m.file
  local text = readfile(pristine .. "/" .. m.file)
  local t0 = now()
  local a, b = span(text, m)
  writefile(path, text:sub(1, a - 1) .. m.to .. text:sub(b + 1))
  local r
  -- A developer who edits a row runs `make index` (the Makefile says so):
  -- the mutant is the row changed with its index regenerated.
  if m.file == "csrc/sipcodes_data.h" then
    local ok, why = leg(dir, "index", "make -s index", log .. ".index")
    if not ok then
      r = { status = "INVALID", leg = "index", why = why }
    end
  end
  r = r or run_legs(dir, m, log)
  writefile(path, text)
  if m.file == "csrc/sipcodes_data.h" then
    writefile(dir .. "/csrc/sipcodes_index.h", readfile(pristine .. "/csrc/sipcodes_index.h"))
  end
  r.seconds = string.format("%.1f", now() - t0)
  return r
end

local function worker(n, out, catalogue)
  local dir, pristine = out .. "/work-" .. n, out .. "/pristine"
  local byid = {}
  for _, m in ipairs(load_catalogue(catalogue)) do
    byid[m.id] = m
  end
  local queue = {}
  for id in (readfile(out .. "/queue.txt") or ""):gmatch("[^\n]+") do
    queue[#queue + 1] = id
  end
  for i, id in ipairs(queue) do
    -- mkdir is atomic: the job that makes the directory runs the mutant.
    if run("mkdir " .. q(out .. "/claims/" .. id) .. " 2>/dev/null") then
      local m = byid[id]
      local r = run_mutant(dir, pristine, m, out .. "/logs/" .. id)
      writefile(out .. "/results/" .. id .. ".lua", serialize(r))
      io.stdout:write(string.format("[%d/%d] %-34s %-8s %s%s\n", i, #queue, id, r.status,
                                    r.leg ~= "" and r.leg .. " " or "",
                                    "(" .. r.seconds .. " s)"))
      io.stdout:flush()
    end
  end
end

-- ---- the run -----------------------------------------------------------------

local function md_cell(s)
  return (tostring(s or ""):gsub("|", "\\|"):gsub("\n", " "))
end

local function report(out, list, results, info)
  local n = { KILLED = 0, SURVIVED = 0, STALE = 0, INVALID = 0 }
  local total_time = 0
  local survivors = {}
  for _, m in ipairs(list) do
    local r = results[m.id]
    n[r.status] = (n[r.status] or 0) + 1
    total_time = total_time + (tonumber(r.seconds) or 0)
    if r.status == "SURVIVED" then
      survivors[#survivors + 1] = m
    end
  end
  local ran = n.KILLED + n.SURVIVED
  local ratio = ran > 0 and n.KILLED / ran or 0
  local L = {}
  local function p(...)
    L[#L + 1] = table.concat({ ... })
  end
  p("# Mutation run")
  p("")
  p("- tree: ", info.head, " (tracked files of the working tree)")
  p("- date: ", os.date("!%Y-%m-%d %H:%M UTC"))
  p("- mutants: ", #list, " (", n.KILLED, " killed, ", n.SURVIVED, " survived, ",
    n.STALE, " stale, ", n.INVALID, " invalid)")
  p(string.format("- kill ratio: %d/%d = %.1f%% (needed: %d%%)", n.KILLED, ran,
                  100 * ratio, RATIO * 100))
  p("- jobs: ", info.jobs, "; wall time ", fmt_time(info.wall), " (baseline ",
    fmt_time(info.baseline), "); per mutant ",
    fmt_time(#list > 0 and total_time / #list or 0), " of one job's time on average")
  p("")
  p("## Survivors")
  p("")
  if #survivors == 0 then
    p("None.")
  end
  for _, m in ipairs(survivors) do
    p("- `", m.id, "` (", m.file, "): ", m.what, ". ",
      m.equivalent and ("Equivalent: " .. m.equivalent) or "Not equivalent: a test is missing.")
  end
  local wrong = {}
  for _, m in ipairs(list) do
    if m.equivalent and results[m.id].status == "KILLED" then
      wrong[#wrong + 1] = m.id
    end
  end
  if #wrong > 0 then
    p("")
    p("Marked equivalent but killed (the note is wrong): ", table.concat(wrong, ", "))
  end
  p("")
  p("## Every mutant")
  p("")
  p("| id | file | result | leg | why | time | the bug |")
  p("|---|---|---|---|---|---|---|")
  for _, m in ipairs(list) do
    local r = results[m.id]
    p("| ", md_cell(m.id), " | ", md_cell(m.file), " | ", r.status, " | ", md_cell(r.leg),
      " | ", md_cell(r.why), " | ", r.seconds or "", " | ", md_cell(m.what), " |")
  end
  writefile(out .. "/results.md", table.concat(L, "\n") .. "\n")
  return n, ratio, survivors
end

local function main()
  if arg[1] == "--worker" then
    return worker(arg[2], arg[3], arg[4])
  end
  local t_start = now()
  OUT = capture("pwd"):gsub("%s+$", "") .. "/" .. OUT
  local jobs = tonumber(os.getenv("MUTATE_JOBS") or "") or 2
  if jobs < 1 then
    jobs = 1
  end
  local catalogue = arg[1] or CATALOGUE
  local list = load_catalogue(catalogue)
  local wanted = split(os.getenv("MUTANTS"))
  if #wanted > 0 then
    local byid, sub = {}, {}
    for _, m in ipairs(list) do
      byid[m.id] = m
    end
    for _, id in ipairs(wanted) do
      if not byid[id] then
        io.stderr:write("mutate: no mutant '" .. id .. "' in " .. catalogue .. "\n")
        os.exit(2)
      end
      sub[#sub + 1] = byid[id]
    end
    list = sub
  end

  local status_before = capture("git status --porcelain")
  local head = capture("git rev-parse --short HEAD"):gsub("%s+", "")
  if status_before ~= "" then
    head = head .. " + uncommitted changes"
  end
  local pristine = OUT .. "/pristine"
  -- MUTATE_MERGE=1: the last run's results stand for the mutants not run now.
  local merge = os.getenv("MUTATE_MERGE") == "1"
  local old = {}
  if merge then
    for _, m in ipairs(load_catalogue(catalogue)) do
      local f = loadfile(OUT .. "/results/" .. m.id .. ".lua")
      old[m.id] = f and f()
    end
  end
  -- Everything of the last run goes but its results, which only a run
  -- that keeps them (MUTATE_MERGE=1) or the check (MUTATE_CHECK=1) leaves.
  local keep = merge or os.getenv("MUTATE_CHECK") == "1"
  assert(run("rm -rf " .. q(pristine) .. " " .. q(OUT) .. "/work-* " .. q(OUT .. "/claims") .. " " ..
             q(OUT .. "/logs") .. (keep and "" or " " .. q(OUT .. "/results")) .. " && mkdir -p " ..
             q(pristine) .. " " .. q(OUT .. "/claims") .. " " .. q(OUT .. "/results") .. " " ..
             q(OUT .. "/logs")))
  -- The tracked files as they are in the working tree (a deleted one skipped).
  assert(run("git ls-files -z | xargs -0 sh -c 'for f; do [ -f \"$f\" ] && printf \"%s\\0\" \"$f\"; " ..
             "done' _ | tar --null -T - -cf - | tar -xf - -C " .. q(pristine)),
         "mutate: copying the tracked files failed")

  -- Stale mutants: the original text must occur exactly once.
  local results, queue = {}, {}
  for _, m in ipairs(list) do
    local text = readfile(pristine .. "/" .. m.file)
    local a, why = nil, "no such file"
    if text then
      a, why = span(text, m)
    end
    if not a then
      results[m.id] = { status = "STALE", leg = "", why = why, seconds = "0" }
      print(string.format("%-34s STALE    %s", m.id, results[m.id].why))
    else
      queue[#queue + 1] = m.id
    end
  end
  writefile(OUT .. "/queue.txt", table.concat(queue, "\n") .. "\n")
  if os.getenv("MUTATE_CHECK") == "1" then
    print(string.format("mutate: %d mutants, %d stale", #list, #list - #queue))
    os.exit(#queue == #list and 0 or 1)
  end

  for k = 1, jobs do
    assert(run("cp -a " .. q(pristine) .. " " .. q(OUT .. "/work-" .. k)))
  end

  -- The unmutated copy must pass every leg, or no result would mean anything.
  local t_base = now()
  if os.getenv("MUTATE_BASELINE") ~= "0" and #queue > 0 then
    io.stdout:write("baseline: the unmutated copy through every leg ... ")
    io.stdout:flush()
    local dir = OUT .. "/work-1"
    local base = { file = "csrc/sipcodes.c" }
    for _, id in ipairs(queue) do
      for _, m in ipairs(list) do
        if m.id == id and m.jit then
          base.jit = true
        end
      end
    end
    local r = run_legs(dir, base, OUT .. "/logs/baseline")
    if r.status ~= "SURVIVED" then
      print("FAILED at " .. r.leg .. ": " .. r.why)
      print("mutate: the tree itself fails its tests; see " .. OUT .. "/logs/baseline.*")
      os.exit(2)
    end
    print(string.format("passed (%.0f s)", now() - t_base))
  end
  local baseline = now() - t_base

  print(string.format("mutate: %d mutants, %d job%s", #queue, jobs, jobs == 1 and "" or "s"))
  local cmd = {}
  for k = 1, jobs do
    cmd[#cmd + 1] = "lua5.4 tools/mutate.lua --worker " .. k .. " " .. q(OUT) .. " " .. q(catalogue) ..
                    " &"
  end
  run(table.concat(cmd, " ") .. " wait")

  for _, id in ipairs(queue) do
    local f = loadfile(OUT .. "/results/" .. id .. ".lua")
    results[id] = f and f() or { status = "INVALID", leg = "", why = "the job left no result",
                                 seconds = "0" }
  end
  local wall = now() - t_start
  if merge then
    local ran = {}
    for _, m in ipairs(list) do
      ran[m.id] = true
    end
    list = {}
    for _, m in ipairs(load_catalogue(catalogue)) do
      if ran[m.id] or old[m.id] then
        list[#list + 1] = m
        if not ran[m.id] then
          results[m.id] = old[m.id]
          writefile(OUT .. "/results/" .. m.id .. ".lua", serialize(old[m.id]))
        end
      end
    end
  end
  local n, ratio, survivors = report(OUT, list, results, { head = head, jobs = jobs,
                                                           wall = wall, baseline = baseline })
  print("")
  for _, m in ipairs(survivors) do
    print("survived: " .. m.id .. " (" .. m.file .. "): " .. m.what ..
          (m.equivalent and " [equivalent: " .. m.equivalent .. "]" or ""))
  end
  print(string.format("mutate: %d killed, %d survived, %d stale, %d invalid; " ..
                      "%.1f%% killed; wall time %s; results in %s/results.md",
                      n.KILLED, n.SURVIVED, n.STALE, n.INVALID, 100 * ratio, fmt_time(wall), OUT))
  -- This tool writes only under build/mutate; a change is someone's edit
  -- during the run, which the results (of the copy taken at the start) miss.
  if capture("git status --porcelain") ~= status_before then
    print("mutate: note: the working tree changed during the run; the results are of the copy " ..
          "taken at its start")
  end
  if n.STALE > 0 or n.INVALID > 0 or ratio < RATIO then
    os.exit(1)
  end
end

main()
