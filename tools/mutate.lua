-- tools/mutate.lua - mutation testing of sipcodes (make mutate; docs/mutation.md).
--
--   lua5.4 tools/mutate.lua                 every mutant of tools/mutants.lua
--   MUTANTS=id1,id2 lua5.4 tools/mutate.lua only those
--   MUTATE_JOBS=1                           one mutant at a time (default 2)
--   MUTATE_BASELINE=0                       reuse the last passing baseline of
--                                           this very tree instead of running it
--   MUTATE_CHECK=1                          only check the catalogue (stale ones)
--   MUTATE_MERGE=1                          keep the results of the last run for the
--                                           mutants not run now (with MUTANTS=)
--   MUTATE_LIMITS=busted=2,ctest.run=1      override time limits (seconds; for
--                                           testing this tool)
--   lua5.4 tools/mutate.lua --self-test     the checks of this file's own logic
--
-- The working tree is never written: the tracked files are copied once into
-- build/mutate/pristine, and from there into build/mutate/work-N, one per
-- job.  A job applies one mutant to its copy (the original text must occur
-- exactly once, else the mutant is STALE), runs the legs cheapest first and
-- stops at the first that fails, then restores the file from the pristine
-- copy.  Each leg is a build step (a failure or a timeout there: INVALID)
-- and a run step (a failure: KILLED; a timeout: TIMEOUT, which counts as
-- killed but is labelled).  The unmutated copy first goes through every leg
-- the queued mutants use (the baseline); its time per step sets the limits.
-- The results go to build/mutate/results.md; the run fails below 95%
-- killed, or when any mutant is stale or invalid.
--
-- Internal: `tools/mutate.lua --worker N DIR CATALOGUE` is one job.

local OUT = "build/mutate"
local CATALOGUE = "tools/mutants.lua"
local RATIO = 0.95
local DATA = "csrc/sipcodes_data.h"
local INDEX = "csrc/sipcodes_index.h"

-- A step may take LIMIT_FACTOR times what it took in the baseline, and at
-- least LIMIT_FLOOR seconds: the mutants run two at a time on a loaded
-- machine, so only a step far slower than the baseline's is a hang.
local LIMIT_FACTOR, LIMIT_FLOOR = 5, 60

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
  ["bin/sipcodes"] = { "cli" },
}

-- Spec files that take seconds (the exhaustive sweeps), run after the rest.
local SLOW = { exact = 3, anchor = 2, bounds = 1, proto = 1, badinput = 1 }

-- ---- small helpers ---------------------------------------------------------

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- os.execute on 5.1 (a number) and 5.2+ (true/nil, how, code): whether it
-- succeeded, the exit code or signal, and "exit" or "signal".
local function run(cmd)
  local a, how, c = os.execute(cmd)
  if type(a) == "number" then
    if a % 256 ~= 0 then
      return false, a % 128, "signal"
    end
    return a == 0, math.floor(a / 256), "exit"
  end
  return a == true, c or (a and 0 or 1), how or "exit"
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

-- Write through a temporary name and rename: a reader (the next run) sees
-- the old file or the whole new one, never a part.
local function writefile_atomic(path, s)
  writefile(path .. ".tmp", s)
  assert(os.rename(path .. ".tmp", path))
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

-- A flat table of strings and numbers as a Lua chunk (keys sorted).
local function serialize(r)
  local keys = {}
  for k in pairs(r) do
    keys[#keys + 1] = k
  end
  table.sort(keys)
  local out = { "return {" }
  for _, k in ipairs(keys) do
    out[#out + 1] = string.format("  [%q] = %q,", k, r[k])
  end
  out[#out + 1] = "}\n"
  return table.concat(out, "\n")
end

local function loadtable(path)
  local f = loadfile(path)
  local ok, t = pcall(f or error)
  return ok and type(t) == "table" and t or nil
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

-- What a result was computed for: a kept result stands only while the
-- catalogue entry is the same.
local function fingerprint(m)
  return table.concat({ m.file, m.from, m.to, m.upto or "", m.fuzz or "", m.e2e or "",
                        tostring(m.jit or false) }, "\0")
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

local function ls(dir, pattern)
  local t = {}
  for f in capture("cd " .. q(dir) .. " && ls " .. pattern .. " 2>/dev/null"):gmatch("[^\n]+") do
    t[#t + 1] = f
  end
  return t
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
  for _, f in ipairs(ls(dir, "spec/*_spec.lua")) do
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

-- ---- the legs ----------------------------------------------------------------

-- A leg is a label and its steps; a step has a key (the baseline's time
-- for that key sets its limit), a kind ("build" or "run") and a command.
local BUSTED = "SIPCODES_SPEC_CALLS=20000 busted --no-keep-going -o TAP "

local function leg_index()
  return { label = "index", steps = { { key = "index", kind = "build", cmd = "make -s index" } } }
end

local function leg_build()
  return { label = "build", steps = { { key = "build", kind = "build",
                                        cmd = "make -s LUA_VERSION=5.4 CFLAGS=-O0 WERROR=-Werror" } } }
end

local function leg_ctest(dir)
  local bins = {}
  for _, f in ipairs(ls(dir, "ctest/test_*.c")) do
    bins[#bins + 1] = "build/ctest/" .. f:match("ctest/(.-)%.c$")
  end
  local list = table.concat(bins, " ")
  return { label = "ctest", steps = {
    { key = "ctest.build", kind = "build", cmd = "make -s CFLAGS=-O0 " .. list },
    { key = "ctest.run", kind = "run", cmd = "for t in " .. list .. "; do $t || exit 1; done" },
  } }
end

local function leg_jit(specs)
  return { label = "busted-jit", steps = {
    { key = "jit.build", kind = "build", cmd = "make -s LUA_VERSION=jit CFLAGS=-O0 WERROR=-Werror" },
    { key = "jit.run", kind = "run", cmd = BUSTED .. "--lua=luajit --cpath='build/jit/?.so' " ..
      table.concat(specs, " ") },
  } }
end

-- Every busted leg on 5.4 shares the key "busted": the baseline runs the
-- whole suite once, which bounds each part of it.
local function leg_busted(label, specs)
  local names = {}
  for _, f in ipairs(specs) do
    names[#names + 1] = f:match("spec/(.-)_spec%.lua")
  end
  return { label = #specs <= 3 and label .. " (" .. table.concat(names, ", ") .. ")" or label,
           steps = { { key = "busted", log = label, kind = "run", cmd = BUSTED ..
                       "--lua=lua5.4 --cpath='build/5.4/?.so' " .. table.concat(specs, " ") } } }
end

-- The e2e scripts build the module themselves (their "make LUA_VERSION="
-- check): a failure of that check is the build step failing.  They listen
-- on fixed ports: one at a time.
local function leg_e2e(script)
  return { label = "e2e " .. script, steps = {
    { key = "e2e:" .. script, kind = "run", cmd = "flock ../e2e.lock " .. script,
      build_failed = "\nnot ok %- make LUA_VERSION=[^\n]*" },
  } }
end

local function leg_fuzz(target)
  local t = "build/fuzz/" .. target
  return { label = "fuzz " .. target, steps = {
    { key = "fuzz:" .. target .. ".build", kind = "build", cmd = "make -s " .. t },
    { key = "fuzz:" .. target .. ".run", kind = "run",
      cmd = t .. " -runs=0 fuzz/corpus/" .. target },
  } }
end

local function legs_for(dir, m)
  local L = {}
  if m.file == DATA then
    -- A developer who edits a row runs `make index` (the Makefile says
    -- so): the mutant is the row changed with its index regenerated.
    L[#L + 1] = leg_index()
  end
  L[#L + 1] = leg_build()
  if is_core(m.file) then
    L[#L + 1] = leg_ctest(dir)
  end
  local first, rest = spec_order(dir, m)
  if m.jit then
    local all = {}
    for _, f in ipairs(first) do all[#all + 1] = f end
    for _, f in ipairs(rest) do all[#all + 1] = f end
    L[#L + 1] = leg_jit(all)
  end
  if #first > 0 then
    L[#L + 1] = leg_busted("busted", first)
  end
  if #rest > 0 then
    L[#L + 1] = leg_busted("busted-rest", rest)
  end
  if m.e2e then
    L[#L + 1] = leg_e2e(m.e2e)
  end
  if m.fuzz then
    L[#L + 1] = leg_fuzz(m.fuzz)
  end
  return L
end

-- Every leg some mutant of ms uses, each once, busted over the whole suite.
local function baseline_legs(dir, ms)
  local need = { e2e = {}, fuzz = {} }
  local e2e, fuzz = {}, {}
  for _, m in ipairs(ms) do
    need.index = need.index or m.file == DATA
    need.ctest = need.ctest or is_core(m.file)
    need.jit = need.jit or m.jit
    if m.e2e and not need.e2e[m.e2e] then
      need.e2e[m.e2e] = true
      e2e[#e2e + 1] = m.e2e
    end
    if m.fuzz and not need.fuzz[m.fuzz] then
      need.fuzz[m.fuzz] = true
      fuzz[#fuzz + 1] = m.fuzz
    end
  end
  table.sort(e2e)
  table.sort(fuzz)
  local specs = ls(dir, "spec/*_spec.lua")
  local L = {}
  if need.index then
    L[#L + 1] = leg_index()
  end
  L[#L + 1] = leg_build()
  if need.ctest then
    L[#L + 1] = leg_ctest(dir)
  end
  if need.jit then
    L[#L + 1] = leg_jit(specs)
  end
  L[#L + 1] = leg_busted("busted", specs)
  for _, s in ipairs(e2e) do
    L[#L + 1] = leg_e2e(s)
  end
  for _, t in ipairs(fuzz) do
    L[#L + 1] = leg_fuzz(t)
  end
  return L
end

-- The limit of each step key: LIMIT_FACTOR times its baseline time, at
-- least LIMIT_FLOOR; then the MUTATE_LIMITS overrides.
local function limits_from(times, overrides)
  local limits = {}
  for key, t in pairs(times) do
    limits[key] = math.max(LIMIT_FLOOR, math.ceil(LIMIT_FACTOR * t))
  end
  for _, kv in ipairs(split(overrides)) do
    local k, v = kv:match("^([^=]+)=(%d+%.?%d*)$")
    if not k then
      return nil, "MUTATE_LIMITS: '" .. kv .. "' is not key=seconds"
    end
    local hit = false
    for key in pairs(limits) do
      if key == k or key:match("^(.-)[.]") == k or key:match("^(.-):") == k then
        limits[key] = tonumber(v)
        hit = true
      end
    end
    if not hit then
      limits[k] = tonumber(v)
    end
  end
  return limits
end

-- The line of a failed step's log that says why.
local function first_error(text, kind)
  text = "\n" .. text
  local why
  if kind == "build" then
    -- The compiler's or linker's first error, else make's.
    why = text:match("\n([^\n]*%f[%w_]error: [^\n]*)") or text:match("\n([^\n]*%*%*%* [^\n]*)")
  else
    -- busted's first failure, a C test's check, an ASan or UBSan report.
    why = text:match("\n(not ok [^\n]*)") or text:match("\n(ctest/[^\n]*:%d+: [^\n]*)") or
          text:match("\n([^\n]*ERROR: [^\n]*)") or text:match("\n([^\n]*runtime error: [^\n]*)") or
          text:match("\n([^\n]*%f[%w_]error: [^\n]*)")
  end
  why = why or text:match("([^\n]+)\n*$") or "no output"
  return (why:gsub("%s+", " "):sub(1, 160))
end

-- What a finished step means: "pass", or a status and why.
local function classify(step, ok, code, text, limit)
  if code == 124 then
    local why = "timed out after " .. limit .. " s"
    if step.kind == "build" then
      return "INVALID", why .. " (building)"
    end
    return "TIMEOUT", why
  end
  if step.build_failed then
    local line = ("\n" .. text):match(step.build_failed)
    if line then
      return "INVALID", (line:gsub("^%s+", ""):sub(1, 160))
    end
  end
  if ok then
    return "pass"
  end
  return step.kind == "build" and "INVALID" or "KILLED", first_error(text, step.kind)
end

-- The command of one step: under `timeout` (which puts itself and the
-- step in a process group of their own, and on a signal or at the limit
-- ends the whole group), with no terminal input.
local function step_cmd(dir, step, limit, log)
  return "timeout -k 10 " .. limit .. " sh -c " .. q("cd " .. q(dir) .. " && " .. step.cmd) ..
         " < /dev/null > " .. q(log) .. " 2>&1"
end

local function log_name(log, step)
  return log .. "." .. (step.log or step.key):gsub("[^%w%-_.]", "-")
end

-- Run a step in a worker: blocking; pidfile holds the timeout's pid so that
-- an interrupted run can end it.
local function step_blocking(dir, step, limit, log, pidfile)
  local path = log_name(log, step)
  local ok, code = run("sh -c " .. q("echo $$ > " .. q(pidfile) .. "; exec " ..
                                     step_cmd(dir, step, limit, path)))
  return classify(step, ok, code, readfile(path) or "", limit)
end

local interrupted = false

-- Run a step from the main process: in the background, polling for its end
-- with short sleeps, so that a Ctrl-C (which kills the sleep) is seen at once.
local function step_polled(dir, step, limit, log, pidfile)
  local path = log_name(log, step)
  local rcfile = path .. ".rc"
  os.remove(rcfile)
  assert(run("(" .. step_cmd(dir, step, limit, path) .. " & echo $! > " .. q(pidfile) ..
             "; wait $!; echo $? > " .. q(rcfile .. ".tmp") .. "; mv " .. q(rcfile .. ".tmp") ..
             " " .. q(rcfile) .. ") > /dev/null 2>&1 &"))
  while not readfile(rcfile) do
    local _, _, how = run("sleep 0.2")
    if how == "signal" then
      interrupted = true
      return "INTERRUPTED", "interrupted"
    end
  end
  local code = tonumber(readfile(rcfile)) or 1
  return classify(step, code == 0, code, readfile(path) or "", limit)
end

-- Run legs in order until one fails: a result {status, leg, why}, and the
-- seconds each step key took.
local function run_legs(dir, legs, limits, log, runner, pidfile)
  local times = {}
  for _, leg in ipairs(legs) do
    for _, step in ipairs(leg.steps) do
      local t0 = now()
      local status, why = runner(dir, step, limits[step.key] or LIMIT_FLOOR, log, pidfile)
      times[step.key] = math.max(times[step.key] or 0, now() - t0)
      if status ~= "pass" then
        return { status = status, leg = leg.label, why = why }, times
      end
    end
  end
  return { status = "SURVIVED", leg = "", why = "" }, times
end

-- Apply m to the copy in dir, run it, restore the copy.
local function run_mutant(dir, pristine, m, limits, log, pidfile)
  local path = dir .. "/" .. m.file
  local text = readfile(pristine .. "/" .. m.file)
  local t0 = now()
  local a, b = span(text, m)
  writefile(path, text:sub(1, a - 1) .. m.to .. text:sub(b + 1))
  local r = run_legs(dir, legs_for(dir, m), limits, log, step_blocking, pidfile)
  writefile(path, text)
  if m.file == DATA then
    writefile(dir .. "/" .. INDEX, readfile(pristine .. "/" .. INDEX))
  end
  r.seconds = string.format("%.1f", now() - t0)
  return r
end

local function worker(n, out, catalogue)
  local dir, pristine = out .. "/work-" .. n, out .. "/pristine"
  local runinfo = assert(loadtable(out .. "/run.lua"), "mutate: no run.lua")
  local limits = {}
  for k, v in pairs(runinfo) do
    local key = k:match("^limit:(.*)")
    if key then
      limits[key] = tonumber(v)
    end
  end
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
      local r = run_mutant(dir, pristine, m, limits, out .. "/logs/" .. id,
                           out .. "/pids/leg-" .. n)
      r.tree = runinfo.tree
      r.mutant = fingerprint(m)
      writefile_atomic(out .. "/results/" .. id .. ".lua", serialize(r))
      io.stdout:write(string.format("[%d/%d] %-34s %-8s %s%s\n", i, #queue, id, r.status,
                                    r.leg ~= "" and r.leg .. " " or "",
                                    "(" .. r.seconds .. " s)"))
      io.stdout:flush()
    end
  end
end

-- ---- interruption ---------------------------------------------------------------

-- End a process this run started: only if it is still one of ours (its
-- command line names our directory), so a pid reused since is left alone.
local function end_ours(out, pidfile)
  local pid = tonumber(readfile(pidfile) or "")
  if not pid then
    return
  end
  local cmdline = readfile("/proc/" .. pid .. "/cmdline") or ""
  if cmdline:find(out, 1, true) then
    run("kill -TERM " .. pid .. " 2>/dev/null")
  end
end

-- Stop the jobs first (so none writes a result for a step cut short),
-- then the steps they were running.
local function stop_all(out)
  for _, f in ipairs(ls(out .. "/pids", "worker-*")) do
    end_ours(out, out .. "/pids/" .. f)
  end
  for _, f in ipairs(ls(out .. "/pids", "leg-*")) do
    end_ours(out, out .. "/pids/" .. f)
  end
end

-- ---- the report ------------------------------------------------------------------

local function md_cell(s)
  return (tostring(s or ""):gsub("|", "\\|"):gsub("\n", " "))
end

-- The trees the results come from, the current one first: a list of
-- {tree, count}.
local function trees_of(list, results, current)
  local n, order = {}, {}
  for _, m in ipairs(list) do
    local r = results[m.id]
    if r.status ~= "STALE" then
      local t = r.tree or "unknown"
      if not n[t] then
        order[#order + 1] = t
        n[t] = 0
      end
      n[t] = n[t] + 1
    end
  end
  table.sort(order, function(x, y)
    if (x == current) ~= (y == current) then
      return x == current
    end
    return x < y
  end)
  local t = {}
  for _, k in ipairs(order) do
    t[#t + 1] = { tree = k, count = n[k] }
  end
  return t
end

local function tally(list, results)
  local n = { KILLED = 0, TIMEOUT = 0, SURVIVED = 0, STALE = 0, INVALID = 0 }
  for _, m in ipairs(list) do
    local s = results[m.id].status
    n[s] = (n[s] or 0) + 1
  end
  local killed = n.KILLED + n.TIMEOUT
  local ran = killed + n.SURVIVED
  return n, killed, ran, ran > 0 and killed / ran or 0
end

local function report(out, list, results, info)
  local n, killed, ran, ratio = tally(list, results)
  local total_time = 0
  local survivors = {}
  for _, m in ipairs(list) do
    local r = results[m.id]
    total_time = total_time + (tonumber(r.seconds) or 0)
    if r.status == "SURVIVED" then
      survivors[#survivors + 1] = m
    end
  end
  local L = {}
  local function p(...)
    L[#L + 1] = table.concat({ ... })
  end
  p("# Mutation run")
  p("")
  local trees = trees_of(list, results, info.tree)
  if #trees <= 1 then
    p("- tree: ", trees[1] and trees[1].tree or info.tree,
      " (the tracked files of the working tree; \"+dirty-<hash>\": with uncommitted changes)")
  else
    local parts = {}
    for _, t in ipairs(trees) do
      parts[#parts + 1] = t.tree .. " (" .. t.count .. (t.tree == info.tree and ", this tree" or "") ..
                          ")"
    end
    p("- trees: the results come from ", #trees, " trees: ", table.concat(parts, ", "),
      "; a result of another tree was not re-run on this one (column `tree`)")
  end
  p("- date: ", os.date("!%Y-%m-%d %H:%M UTC"))
  p("- mutants: ", #list, " (", n.KILLED, " killed, ", n.TIMEOUT, " timed out, ", n.SURVIVED,
    " survived, ", n.STALE, " stale, ", n.INVALID, " invalid)")
  p(string.format("- kill ratio: %d/%d = %.1f%% (needed: %d%%); a TIMEOUT counts as killed",
                  killed, ran, 100 * ratio, RATIO * 100))
  p("- jobs: ", info.jobs, "; wall time ", fmt_time(info.wall), " (baseline ",
    info.baseline and fmt_time(info.baseline) or "reused", "); per mutant ",
    fmt_time(#list > 0 and total_time / #list or 0), " of one job's time on average")
  p("- step limits (s): ", info.limits)
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
    local s = results[m.id].status
    if m.equivalent and (s == "KILLED" or s == "TIMEOUT") then
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
  p("| id | file | result | leg | why | time | tree | the bug |")
  p("|---|---|---|---|---|---|---|---|")
  for _, m in ipairs(list) do
    local r = results[m.id]
    p("| ", md_cell(m.id), " | ", md_cell(m.file), " | ", r.status, " | ", md_cell(r.leg),
      " | ", md_cell(r.why), " | ", r.seconds or "", " | ", md_cell(r.tree), " | ",
      md_cell(m.what), " |")
  end
  writefile_atomic(out .. "/results.md", table.concat(L, "\n") .. "\n")
  return n, ratio, survivors, trees
end

-- ---- merging the last run's results -------------------------------------------------

-- The result a mutant not run now keeps: its old one, unless the catalogue
-- entry changed since or its text no longer matches the current tree
-- (then STALE).  nil when there is none.
local function kept_result(m, old, text)
  if not old then
    return nil
  end
  local stale = { leg = "", seconds = "0", tree = old.tree }
  if old.mutant ~= fingerprint(m) then
    stale.status, stale.why = "STALE", "the catalogue entry changed since its result; run it again"
    return stale
  end
  local a, why = nil, "no such file"
  if text then
    a, why = span(text, m)
  end
  if not a then
    stale.status, stale.why = "STALE", why .. " in the current tree"
    return stale
  end
  if old.status == "STALE" then
    stale.status, stale.why = "STALE", "stale when last checked; run it again"
    return stale
  end
  return old
end

-- ---- self-test ----------------------------------------------------------------------

local function self_test()
  local fails = {}
  local function check(what, got, want)
    if got ~= want then
      fails[#fails + 1] = what .. ": got " .. tostring(got) .. ", want " .. tostring(want)
    end
  end
  local m = { file = "f", from = "abc", to = "x" }
  check("span once", span("--abc--", m), 3)
  check("span twice", span("abcabc", m), nil)
  check("span upto", select(2, span("abc 1 ; 2 ;", { from = "abc", upto = ";" })), 7)
  check("span upto missing", span("abc", { from = "abc", upto = ";" }), nil)
  check("build error line",
        first_error("make: x\ncsrc/a.c:3:5: error: unused variable 'x' [-Werror]\nmore\n", "build"),
        "csrc/a.c:3:5: error: unused variable 'x' [-Werror]")
  check("build make line", first_error("cc ...\nmake: *** [Makefile:9: a] Error 1\n", "build"),
        "make: *** [Makefile:9: a] Error 1")
  check("not an error line", first_error("no_error: 1\nlast\n", "build"), "last")
  check("busted line", first_error("ok 1 - a\nnot ok 2 - b c\n", "run"), "not ok 2 - b c")
  local build, runstep = { kind = "build" }, { kind = "run" }
  check("build fail", classify(build, false, 2, "x: error: y\n", 60), "INVALID")
  check("build timeout", classify(build, false, 124, "", 60), "INVALID")
  check("run fail", classify(runstep, false, 1, "not ok 1 - a\n", 60), "KILLED")
  check("run timeout", classify(runstep, false, 124, "", 60), "TIMEOUT")
  check("run timeout why", select(2, classify(runstep, false, 124, "", 75)),
        "timed out after 75 s")
  check("run pass", classify(runstep, true, 0, "", 60), "pass")
  local e2e = leg_e2e("tools/x.sh").steps[1]
  check("e2e make fails", classify(e2e, false, 1, "ok - a\nnot ok - make LUA_VERSION=5.1\n", 60),
        "INVALID")
  check("e2e test fails", classify(e2e, false, 1, "not ok - a reply\n", 60), "KILLED")
  local lim = limits_from({ build = 3, busted = 40, ["fuzz:a.run"] = 2, ["fuzz:a.build"] = 30 },
                          "fuzz=1,build=7")
  check("limit floor", limits_from({ busted = 3 }).busted, LIMIT_FLOOR)
  check("limit factor", lim.busted, 200)
  check("override family", lim["fuzz:a.run"], 1)
  check("override family 2", lim["fuzz:a.build"], 1)
  check("override key", lim.build, 7)
  check("override malformed", limits_from({}, "busted"), nil)
  local mm = { id = "a", file = "f", from = "abc", to = "x" }
  local old = { status = "KILLED", tree = "t1", mutant = fingerprint(mm) }
  check("kept", kept_result(mm, old, "abc").status, "KILLED")
  check("kept stale text", kept_result(mm, old, "abd").status, "STALE")
  check("kept no file", kept_result(mm, old, nil).status, "STALE")
  check("kept changed entry", kept_result({ id = "a", file = "f", from = "abc", to = "y" }, old,
                                          "abc").status, "STALE")
  check("kept old format", kept_result(mm, { status = "KILLED" }, "abc").status, "STALE")
  local list = { { id = "a" }, { id = "b" }, { id = "c" } }
  local res = { a = { status = "KILLED", tree = "t2" }, b = { status = "TIMEOUT", tree = "t1" },
                c = { status = "SURVIVED", tree = "t2" } }
  local trees = trees_of(list, res, "t1")
  check("trees", #trees, 2)
  check("current tree first", trees[1].tree, "t1")
  local n, killed, ran = tally(list, res)
  check("timeout tallied", n.TIMEOUT, 1)
  check("timeout counts as killed", killed, 2)
  check("ran", ran, 3)
  local r = load(serialize({ why = "a\0b \"q\"", status = "KILLED" }))()
  check("serialize", r.why, "a\0b \"q\"")
  return fails
end

-- ---- the run -----------------------------------------------------------------

-- The tree a run tests: HEAD, and "+dirty-" with a hash of the diff when
-- tracked files differ from it (untracked files are not copied).
local function tree_id()
  local head = capture("git rev-parse --short HEAD 2>/dev/null"):gsub("%s+", "")
  if head == "" then
    head = "no-git"
  end
  local diff = capture("git --no-optional-locks diff HEAD --binary 2>/dev/null | sha256sum")
  if capture("git --no-optional-locks status --porcelain --untracked-files=no") ~= "" then
    return head .. "+dirty-" .. diff:sub(1, 8)
  end
  return head
end

-- Files written outside build/mutate since the stamp (git's own files aside).
local function written_outside(stamp)
  local t = {}
  for f in capture("find . -path ./build/mutate -prune -o -path ./.git -prune -o -newer " ..
                   q(stamp) .. " ! -type d -print"):gmatch("[^\n]+") do
    t[#t + 1] = f
  end
  return t
end

local function main()
  if arg[1] == "--worker" then
    return worker(arg[2], arg[3], arg[4])
  end
  local fails = self_test()
  if arg[1] == "--self-test" or #fails > 0 then
    for _, f in ipairs(fails) do
      print("self-test: FAIL " .. f)
    end
    print("mutate self-test: " .. #fails .. " failed")
    os.exit(#fails == 0 and 0 or 2)
  end
  local t_start = now()
  OUT = capture("pwd"):gsub("%s+$", "") .. "/" .. OUT
  local jobs = tonumber(os.getenv("MUTATE_JOBS") or "") or 2
  if jobs < 1 then
    jobs = 1
  end
  local catalogue = arg[1] or CATALOGUE
  local full = load_catalogue(catalogue)
  local list = full
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

  local tree = tree_id()
  local pristine = OUT .. "/pristine"
  -- MUTATE_MERGE=1: the last run's results stand for the mutants not run
  -- now (each re-checked below against this tree).
  local merge = os.getenv("MUTATE_MERGE") == "1"
  local check_only = os.getenv("MUTATE_CHECK") == "1"
  local old = {}
  if merge then
    for _, m in ipairs(full) do
      old[m.id] = loadtable(OUT .. "/results/" .. m.id .. ".lua")
    end
  end
  -- Everything of the last run goes but its results (kept only by a run
  -- that merges them, or the check) and its baseline record.  results.md
  -- goes too: an interrupted run must not leave the last one's report
  -- looking current.
  local keep = merge or check_only
  assert(run("mkdir -p " .. q(OUT) .. " && rm -rf " .. q(pristine) .. " " .. q(OUT) .. "/work-* " ..
             q(OUT .. "/claims") .. " " .. q(OUT .. "/logs") .. " " .. q(OUT .. "/pids") .. " " ..
             q(OUT .. "/results.md") .. " " .. q(OUT .. "/run.lua") ..
             (keep and "" or " " .. q(OUT .. "/results")) .. " && mkdir -p " ..
             q(pristine) .. " " .. q(OUT .. "/claims") .. " " .. q(OUT .. "/results") .. " " ..
             q(OUT .. "/logs") .. " " .. q(OUT .. "/pids") .. " && touch " .. q(OUT .. "/stamp")))
  -- The tracked files as they are in the working tree (a deleted one skipped).
  assert(run("git ls-files -z | xargs -0 sh -c 'for f; do [ -f \"$f\" ] && printf \"%s\\0\" \"$f\"; " ..
             "done' _ | tar --null -T - -cf - | tar -xf - -C " .. q(pristine)),
         "mutate: copying the tracked files failed")

  -- Stale mutants: the original text must occur exactly once.
  local results, queue, queued = {}, {}, {}
  for _, m in ipairs(list) do
    local text = readfile(pristine .. "/" .. m.file)
    local a, why = nil, "no such file"
    if text then
      a, why = span(text, m)
    end
    if not a then
      results[m.id] = { status = "STALE", leg = "", why = why, seconds = "0", tree = tree }
      print(string.format("%-34s STALE    %s", m.id, results[m.id].why))
    else
      queue[#queue + 1] = m.id
      queued[#queued + 1] = m
    end
  end
  writefile(OUT .. "/queue.txt", table.concat(queue, "\n") .. "\n")
  if check_only then
    print(string.format("mutate: %d mutants, %d stale", #list, #list - #queue))
    os.exit(#queue == #list and 0 or 1)
  end

  for k = 1, jobs do
    assert(run("cp -a " .. q(pristine) .. " " .. q(OUT .. "/work-" .. k)))
  end

  -- The unmutated copy must pass every leg the queued mutants use, or a
  -- leg that fails by itself would read as a kill.  Its time per step sets
  -- the limits.
  local t_base = now()
  local legs = baseline_legs(OUT .. "/work-1", queued)
  local times = {}
  local record = OUT .. "/baseline.lua"
  if #queue > 0 and os.getenv("MUTATE_BASELINE") == "0" then
    -- Only a record of a passing baseline of this very tree, with every
    -- step needed now, stands for one.
    local rec = loadtable(record)
    local missing = {}
    for _, leg in ipairs(legs) do
      for _, step in ipairs(leg.steps) do
        local t = rec and rec.tree == tree and tonumber(rec["time:" .. step.key])
        if not t then
          missing[#missing + 1] = step.key
        end
        times[step.key] = t
      end
    end
    if #missing > 0 then
      print("mutate: MUTATE_BASELINE=0, but no passing baseline of tree " .. tree ..
            " has the steps " .. table.concat(missing, ", ") .. "; run without it")
      os.exit(2)
    end
    print("baseline: reused the record of tree " .. tree)
    t_base = nil
  elseif #queue > 0 then
    os.remove(record)
    local dir = OUT .. "/work-1"
    local names = {}
    for _, leg in ipairs(legs) do
      names[#names + 1] = leg.label:match("^%S+ ?%S*")
    end
    print("baseline: the unmutated copy through " .. table.concat(names, ", "))
    local generous = {}
    for _, leg in ipairs(legs) do
      for _, step in ipairs(leg.steps) do
        -- The baseline's own limits are the old fixed ones: it sets the others.
        generous[step.key] = step.key:match("^e2e") and 900 or step.key:match("fuzz") and 600 or
                             480
      end
    end
    local r
    r, times = run_legs(dir, legs, generous, OUT .. "/logs/baseline", step_polled,
                        OUT .. "/pids/leg-0")
    if interrupted then
      stop_all(OUT)
      print("mutate: interrupted during the baseline; nothing recorded")
      os.exit(130)
    end
    if r.status == "SURVIVED" and legs[1].label == "index" and
       readfile(dir .. "/" .. INDEX) ~= readfile(pristine .. "/" .. INDEX) then
      r = { status = "FAILED", leg = "index",
            why = "make index changes " .. INDEX .. ": the committed index is stale" }
    end
    writefile(dir .. "/" .. INDEX, readfile(pristine .. "/" .. INDEX))
    if r.status ~= "SURVIVED" then
      print("baseline: FAILED at " .. r.leg .. " (" .. r.status .. "): " .. r.why)
      print("mutate: the unmutated tree fails this leg by itself, so a mutant could not be " ..
            "judged by it; see " .. OUT .. "/logs/baseline.*")
      os.exit(2)
    end
    local rec = { tree = tree }
    local shown = {}
    for key, t in pairs(times) do
      rec["time:" .. key] = string.format("%.1f", t)
      shown[#shown + 1] = string.format("%s %.1f s", key, t)
    end
    table.sort(shown)
    writefile_atomic(record, serialize(rec))
    print(string.format("baseline: passed (%.0f s: %s)", now() - t_base, table.concat(shown, ", ")))
  end
  local baseline = t_base and now() - t_base
  local limits, lerr = limits_from(times, os.getenv("MUTATE_LIMITS"))
  if not limits then
    print("mutate: " .. lerr)
    os.exit(2)
  end
  local runinfo, shown = { tree = tree }, {}
  for key, v in pairs(limits) do
    runinfo["limit:" .. key] = tostring(v)
    shown[#shown + 1] = key .. " " .. v
  end
  table.sort(shown)
  writefile_atomic(OUT .. "/run.lua", serialize(runinfo))

  print(string.format("mutate: %d mutants, %d job%s; tree %s", #queue, jobs,
                      jobs == 1 and "" or "s", tree))
  if #queue > 0 then
    local cmd = {}
    for k = 1, jobs do
      cmd[#cmd + 1] = "lua5.4 tools/mutate.lua --worker " .. k .. " " .. q(OUT) .. " " ..
                      q(catalogue) .. " < /dev/null & echo $! > " .. q(OUT .. "/pids/worker-" .. k)
    end
    assert(run(table.concat(cmd, "; ")))
    -- Wait for the jobs with short sleeps: a Ctrl-C kills the sleep, and
    -- then the jobs and their steps are ended here.
    local pids = {}
    for k = 1, jobs do
      pids[#pids + 1] = tonumber(readfile(OUT .. "/pids/worker-" .. k) or "")
    end
    local alive = "for p in " .. table.concat(pids, " ") ..
                  "; do kill -0 $p 2>/dev/null && exit 0; done; exit 3"
    while true do
      local _, _, how = run("sleep 0.5")
      if how == "signal" then
        interrupted = true
        break
      end
      if not run(alive) then
        break
      end
    end
    if interrupted then
      stop_all(OUT)
      print("mutate: interrupted; the finished mutants' results are in " .. OUT ..
            "/results (each whole, with its tree), no results.md written")
      os.exit(130)
    end
  end

  for _, id in ipairs(queue) do
    results[id] = loadtable(OUT .. "/results/" .. id .. ".lua") or
                  { status = "INVALID", leg = "", why = "the job left no result", seconds = "0",
                    tree = tree }
  end
  local wall = now() - t_start
  if merge then
    local ran = {}
    for _, m in ipairs(list) do
      ran[m.id] = true
    end
    list = {}
    for _, m in ipairs(full) do
      if ran[m.id] then
        list[#list + 1] = m
      else
        local r = kept_result(m, old[m.id], readfile(pristine .. "/" .. m.file))
        if r then
          list[#list + 1] = m
          results[m.id] = r
        end
      end
    end
  end
  local n, ratio, survivors, trees = report(OUT, list, results, {
    tree = tree, jobs = jobs, wall = wall, baseline = baseline, limits = table.concat(shown, ", ") })
  print("")
  for _, m in ipairs(survivors) do
    print("survived: " .. m.id .. " (" .. m.file .. "): " .. m.what ..
          (m.equivalent and " [equivalent: " .. m.equivalent .. "]" or ""))
  end
  for _, m in ipairs(list) do
    local r = results[m.id]
    if r.status == "TIMEOUT" or r.status == "INVALID" or r.status == "STALE" then
      print(string.format("%s: %s (%s): %s", r.status:lower(), m.id, r.leg ~= "" and r.leg or
                          m.file, r.why))
    end
  end
  if #trees > 1 then
    print("mutate: note: the results come from " .. #trees .. " trees (see results.md)")
  end
  print(string.format("mutate: %d killed, %d timed out (counted as killed), %d survived, " ..
                      "%d stale, %d invalid; %.1f%% killed; wall time %s; results in %s/results.md",
                      n.KILLED, n.TIMEOUT, n.SURVIVED, n.STALE, n.INVALID, 100 * ratio,
                      fmt_time(wall), OUT))
  -- This tool writes only under build/mutate; anything else written since
  -- the start is someone's edit during the run (which the results, of the
  -- copy taken at the start, miss) or a bug of this tool.
  local outside = written_outside(OUT .. "/stamp")
  if #outside > 0 then
    print("mutate: files outside build/mutate were written during the run (an edit of " ..
          "yours, or a bug of this tool): " .. table.concat(outside, " ", 1, math.min(#outside, 20)))
    os.exit(1)
  end
  if n.STALE > 0 or n.INVALID > 0 or ratio < RATIO then
    os.exit(1)
  end
end

-- A Ctrl-C while this process runs Lua code raises "interrupted!" here:
-- end the jobs before leaving.
local ok, err = xpcall(main, debug.traceback)
if not ok then
  if OUT:sub(1, 1) == "/" and arg[1] ~= "--worker" then
    stop_all(OUT)
  end
  io.stderr:write("mutate: " .. tostring(err) .. "\n")
  os.exit(tostring(err):find("interrupted", 1, true) and 130 or 2)
end
