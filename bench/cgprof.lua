-- cgprof.lua - read callgrind output files without callgrind_annotate's
-- thresholds, for the bench scripts (runs on any Lua 5.1-5.4).
--
--   lua cgprof.lua top FILE DIV [N] [BASE BASEDIV]
--       The N (default 25) functions with the most self instructions in
--       FILE, each divided by DIV (e.g. the number of calls in the dump),
--       minus the same function's self instructions in BASE / BASEDIV when
--       BASE is given: "where the instructions of one call go".
--       Columns: self per unit, inclusive per unit, calls per unit, object:function.
--   lua cgprof.lua combo DIV N FILE COEF [FILE COEF]...
--       The N functions with the most self instructions in the linear
--       combination sum(COEF * FILE) / DIV: (A_N - A_N0 - B_N + B_N0) /
--       (N - N0) is what route A costs per request more than route B.
--   lua cgprof.lua parts FILE DIV BASE|- BASEDIV NAME...
--       Inclusive instructions and calls per unit of each function NAME
--       (summed over objects), minus BASE's per BASEDIV: a breakdown by
--       stage (recursive functions count once per level).
--   lua cgprof.lua calls FILE NAME...
--       Total calls made to each function NAME in FILE (from any caller).
--   lua cgprof.lua incl FILE NAME...
--       Inclusive instructions of each function NAME in FILE.
--
-- The format: "fn=(id) name" names a function the first time, "fn=(id)"
-- refers to it after; ob=/fl= likewise.  A cost line after a "calls=" line
-- is the inclusive cost of that call, charged to the caller's inclusive
-- cost but not to its self cost.
local function read(path)
  local names = { ob = {}, fn = {}, cfn = {}, cob = {} }
  local self, incl, calls = {}, {}, {}
  local ob, cob, cfn = "?", nil, nil
  local pending_calls = nil
  local function resolve(kind, v)
    local id, name = v:match("^%((%d+)%)%s*(.*)$")
    local tab = (kind == "cfn" or kind == "fn") and names.fn or names.ob
    if id then
      if name ~= "" then tab[id] = name end
      return tab[id] or ("(" .. id .. ")")
    end
    return v
  end
  local function key(o, f)
    local short = o:match("([^/]+)$") or o
    return short .. ":" .. f
  end
  local cur
  for line in io.lines(path) do
    local k, v = line:match("^(%a+)=(.*)$")
    if k then
      if k == "ob" then
        ob = resolve("ob", v)
      elseif k == "fn" then
        cur = key(ob, resolve("fn", v))
        cob = nil
      elseif k == "cob" then
        cob = resolve("cob", v)
      elseif k == "cfn" then
        cfn = resolve("cfn", v)
      elseif k == "calls" then
        pending_calls = tonumber(v:match("^(%d+)"))
      end
    else
      local cost = line:match("^[%d+%-*]+%s+(%d+)")
      if cost and cur then
        cost = tonumber(cost)
        if pending_calls then
          local callee = key(cob or ob, cfn)
          calls[callee] = (calls[callee] or 0) + pending_calls
          incl[cur] = (incl[cur] or 0) + cost
          pending_calls = nil
          cob = nil
        else
          self[cur] = (self[cur] or 0) + cost
          incl[cur] = (incl[cur] or 0) + cost
        end
      end
    end
  end
  return { self = self, incl = incl, calls = calls }
end

local function combo(terms, div, n)
  -- terms: { {profile, coef}, ... }; per function: sum(coef * cost) / div
  local all = {}
  for _, t in ipairs(terms) do for k in pairs(t[1].self) do all[k] = true end end
  local rows, total = {}, 0
  for k in pairs(all) do
    local s, i, c = 0, 0, 0
    for _, t in ipairs(terms) do
      s = s + t[2] * (t[1].self[k] or 0)
      i = i + t[2] * (t[1].incl[k] or 0)
      c = c + t[2] * (t[1].calls[k] or 0)
    end
    s, i, c = s / div, i / div, c / div
    total = total + s
    rows[#rows + 1] = { k = k, s = s, i = i, c = c }
  end
  table.sort(rows, function(a, b) return math.abs(a.s) > math.abs(b.s) end)
  print(string.format("  %10s %10s %8s  %s", "self", "inclusive", "calls", "function (per unit)"))
  for j = 1, math.min(n, #rows) do
    local r = rows[j]
    if math.abs(r.s) < 0.5 then break end
    print(string.format("  %10.0f %10.0f %8.2f  %s", r.s, r.i, r.c, r.k))
  end
  print(string.format("  %10.0f %10s %8s  (all functions)", total, "", ""))
end

local cmd = arg[1]
if cmd == "top" then
  local div = tonumber(arg[3])
  local terms = { { read(arg[2]), 1 } }
  if arg[5] then
    -- A/div - B/bdiv == (A - B*div/bdiv) / div
    terms[2] = { read(arg[5]), -div / tonumber(arg[6] or 1) }
  end
  combo(terms, div, tonumber(arg[4]) or 25)
elseif cmd == "combo" then
  -- combo DIV N FILE COEF [FILE COEF]...: top N functions of
  -- sum(COEF * FILE) / DIV, e.g. (A_N - A_N0 - B_N + B_N0) / (N - N0).
  local terms = {}
  for i = 4, #arg, 2 do terms[#terms + 1] = { read(arg[i]), tonumber(arg[i + 1]) } end
  combo(terms, tonumber(arg[2]), tonumber(arg[3]))
elseif cmd == "parts" then
  -- parts FILE DIV BASE|- BASEDIV NAME...: inclusive instructions per unit
  -- of each function NAME (summed over objects), minus BASE's.
  local p = read(arg[2])
  local div = tonumber(arg[3])
  local base = arg[4] ~= "-" and read(arg[4]) or nil
  local bdiv = tonumber(arg[5])
  -- "f" also matches the compiler's clones f.constprop.0, f.isra.0, f.part.0
  -- (not the recursion levels f'2, which would count twice)
  local function is(k, want)
    local name = k:match(":(.*)$")
    return name == want or name:gsub("%.%a+%.%d+$", "") == want
  end
  local function sum(prof, want)
    local s, c = 0, 0
    for k, v in pairs(prof.incl) do
      if is(k, want) then s = s + v end
    end
    for k, v in pairs(prof.calls) do
      if is(k, want) then c = c + v end
    end
    return s, c
  end
  for i = 6, #arg do
    local s, c = sum(p, arg[i])
    s, c = s / div, c / div
    if base then
      local bs, bc = sum(base, arg[i])
      s, c = s - bs / bdiv, c - bc / bdiv
    end
    print(string.format("  %10.0f %8.2f  %s", s, c, arg[i]))
  end
elseif cmd == "calls" or cmd == "incl" then
  local p = read(arg[2])
  for i = 3, #arg do
    local want, sum = arg[i], 0
    local t = cmd == "calls" and p.calls or p.incl
    for k, v in pairs(t) do
      if k:match(":(.*)$") == want then sum = sum + v end
    end
    print(want, sum)
  end
else
  io.stderr:write("usage: cgprof.lua top FILE DIV [N] [BASE BASEDIV] | calls FILE NAME... | incl FILE NAME...\n")
  os.exit(2)
end
