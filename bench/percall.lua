-- percall.lua MODE SUITE [N] - per-call cost of the public functions, run
-- by bench/calls.sh in bench/host.c (which preloads `benchctl`).
--
-- MODE "instr" (under callgrind): for each case, a loop of N calls (after
-- one unmeasured loop of N, so that caches, memos and LuaJIT's traces are
-- warm), then the same loop with 0 calls, each between
-- CALLGRIND_ZERO_STATS and a dump labelled "CASE|N" / "CASE|0";
-- bench/percall_report.lua turns the dumps into (N - 0) / N per call.  A
-- full GC runs before each loop, outside the counted part.  In the public
-- suite each case runs twice ("CASE|N#1", "#2"), in the order sip, core,
-- core, sip; the report takes the mean.
-- MODE "time": the same loops timed in CPU time, in interleaved rounds
-- (every case once per round, SIPCODES_BENCH_TIME_ROUNDS rounds, default
-- 31), each sample about 2 ms; prints the median ns per call of each case
-- with its 25th and 75th percentile and its minimum and, for the "unknown"
-- suite, the median over rounds of unknown / known (same round) with its
-- spread, and the ratio of the minimums.  Not for "lookup".
-- MODE "list": print the cases of SUITE ("label<TAB>group").
-- MODE "check" (suite public): is sip.f the very closure core.f is?
--
-- A loop is generated source, so it is what a script writes: the module
-- is an upvalue (a script's top-level `local sip = require "sipcodes"`),
-- arguments are literals or hoisted upvalues, the result is kept:
--     for i = 1, n do x = M.reason(486) end
-- Suites:
--   public   every public function through `require "sipcodes"` (sip.f)
--            and through `require "sipcodes.core"` (core.f), typical
--            arguments (target 3); also checks sip.f == core.f
--   unknown  known against unknown codes and texts (target 3)
--   lookup   lookup of the target-4 texts with 0, 1 and 100 registrations
local MODE, SUITE, N = arg[1], arg[2], tonumber(arg[3] or "") or 5000
local ctl = require "benchctl"
local sip = require "sipcodes"
local core = require "sipcodes.core"
local load = rawget(_G, "loadstring") or load
local unpack = rawget(table, "unpack") or rawget(_G, "unpack")
local impl = rawget(_G, "jit") and "luajit" or _VERSION:gsub("Lua ", "")
local is_jit = rawget(_G, "jit") ~= nil

-- make(body, env): a loop function of n with env's fields as upvalues.
local function make(body, env)
  local names, vals = { "M_sip", "M_core" }, { sip, core }
  for k, v in pairs(env or {}) do
    names[#names + 1] = k
    vals[#vals + 1] = v
  end
  local src = "local " .. table.concat(names, ", ") .. " = ...\n" ..
              "return function(n)\n  local x\n  for i = 1, n do x = " .. body ..
              " end\n  return x\nend\n"
  return assert(load(src, "=" .. body))(unpack(vals, 1, #vals))
end

local cases = {}
local function case(label, body, env, group)
  cases[#cases + 1] = { label = label, body = body, env = env, group = group, f = make(body, env) }
end

local IDX = function(t, k) return t[k] end

if SUITE == "public" then
  local REASON = { protocol = "Q.850", cause = 17, text = "User busy" }
  local LIST = { 180, 503, 404, 486 }
  local OPTS = { replace = true }
  -- name, arguments (source); every public function of the registry,
  -- proto and interop lists; register last (it empties the caches).
  local public = {
    { "reason", "486" }, { "phrase", "486" }, { "description", "486" }, { "name", "486" },
    { "status", "486" }, { "info", "486" }, { "class", "486" }, { "class_name", "486" },
    { "equivalent", "486" }, { "is_known", "486" }, { "is_valid", "486" },
    { "is_provisional", "486" }, { "is_final", "486" }, { "is_success", "486" },
    { "is_redirection", "486" }, { "is_client_failure", "486" }, { "is_server_failure", "486" },
    { "is_global_failure", "486" }, { "is_failure", "486" }, { "lookup", '"Busy Here"' },
    { "each", "4" }, { "best_response", "LIST" }, { "format_reason", "REASON" },
    { "format_status_line", "486" }, { "parse_reason", '\'Q.850;cause=17;text="User busy"\'' },
    { "parse_status_line", '"SIP/2.0 486 Busy Here"' }, { "required_headers", "405" },
    { "from_q850", "17" }, { "q850_class_name", "17" }, { "q850_name", "17" },
    { "q850_reason", "17" }, { "reason_for", "486" }, { "to_q850", "486" },
    { "register", '799, "Vendor Thing", OPTS' },
  }
  local env = { REASON = REASON, LIST = LIST, OPTS = OPTS }
  for _, p in ipairs(public) do
    local name, args = p[1], p[2]
    case("sip." .. name .. "(" .. args .. ")", "M_sip." .. name .. "(" .. args .. ")", env, name)
    case("core." .. name .. "(" .. args .. ")", "M_core." .. name .. "(" .. args .. ")", env, name)
  end
  if MODE == "check" then
    -- Is sip.f the very closure core.f is?  (Host-module functions are
    -- checked to be C functions: there is no Lua in front of them.)
    local same, differ = {}, {}
    for _, p in ipairs(public) do
      local f, g = sip[p[1]], core[p[1]]
      if rawequal(f, g) then
        same[#same + 1] = p[1]
      else
        local what = debug.getinfo(f, "S").what
        differ[#differ + 1] = p[1] .. " (" .. what .. ")"
      end
    end
    print(string.format("%s: sip.f is core.f for %d of %d public functions%s", impl, #same,
                        #public, #differ > 0 and "; not for: " .. table.concat(differ, ", ") or ""))
    for _, host in ipairs({ "sipcodes.kamailio", "sipcodes.freeswitch" }) do
      local m, n, c = require(host), 0, 0
      local lua_ones = {}
      for k, v in pairs(m) do
        if type(v) == "function" then
          n = n + 1
          if debug.getinfo(v, "S").what == "C" then c = c + 1 else lua_ones[#lua_ones + 1] = k end
        end
      end
      print(string.format("%s: %s: %d of %d functions are C functions%s", impl, host, c, n,
                          #lua_ones > 0 and " (Lua: " .. table.concat(lua_ones, ", ") .. ")" or ""))
    end
    return
  end
elseif SUITE == "unknown" then
  -- pairs: the known case first, then the unknown one(s), one group each
  local pairs_ = {
    { "reason", { "486", "299", "999" }, hot = true },
    { "phrase", { "486", "299", "999" }, hot = true },
    { "class", { "486", "299", "999" }, hot = true },
    { "class_name", { "486", "299", "999" } },
    { "is_final", { "486", "299", "999" }, hot = true },
    { "is_known", { "486", "299", "999" } },
    { "equivalent", { "486", "299", "999" }, hot = true },
    { "description", { "486", "299", "999" } },
    { "name", { "486", "299", "999" } },
    { "status", { "486", "299", "999" } },
    { "info", { "486", "299", "999" } },
    { "lookup", { '"Busy Here"', '"No Such Phrase"' }, hot = true },
  }
  for _, p in ipairs(pairs_) do
    for _, a in ipairs(p[2]) do
      case(p[1] .. "(" .. a .. ")", "M_sip." .. p[1] .. "(" .. a .. ")", nil, p[1])
    end
    if is_jit and p.hot then
      -- LuaJIT hoists a memo hit on a constant out of the loop: the hot
      -- functions again with the code read from an array (8 copies), as
      -- from a script's variable.
      for _, a in ipairs(p[2]) do
        local K = {}
        for i = 1, 8 do K[i] = assert(load("return " .. a))() end
        case(p[1] .. "(K[i%8+1]=" .. a .. ")", "M_sip." .. p[1] .. "(K[i % 8 + 1])", { K = K },
             p[1] .. "/var")
      end
    end
  end
  case("codes.BUSY_HERE", "M_sip.codes.BUSY_HERE", nil, "codes.X")
  case("pcall codes.BUSY_HERE", 'pcall(IDX, C, "BUSY_HERE")', { IDX = IDX, C = sip.codes }, "pcall codes.X")
  case("pcall codes.NO_SUCH_PHRASE", 'pcall(IDX, C, "NO_SUCH_PHRASE")', { IDX = IDX, C = sip.codes },
       "pcall codes.X")
elseif SUITE == "lookup" then
  local function pad64(s) return (s .. string.rep("x", 64)):sub(1, 64) end
  local texts = {
    { "short known", "Busy Here" },
    { "odd case/punctuation", "bUSY-hERE..." },
    { "longest known", "Error sending message to destination server" },
    { "unknown", pad64("Not A Reason Phrase That Any Registry Has, Padded With: ") },
    { "spaces+known", string.rep(" ", 64 - #"Busy Here") .. "Busy Here" },
    { "punctuation only", string.rep("-", 64) },
  }
  -- three registration states, measured one after the other
  local state_cases = {}
  local function add_texts(state, extra)
    local list = {}
    for _, t in ipairs(texts) do list[#list + 1] = t end
    for _, t in ipairs(extra or {}) do list[#list + 1] = t end
    for _, t in ipairs(list) do
      local T = t[2]
      state_cases[#state_cases + 1] = {
        state = state,
        label = state .. ": " .. t[1] .. " (" .. #T .. " B)",
        f = make("M_sip.lookup(T)", { T = T }),
        check = T,
      }
    end
  end
  add_texts("0 registered")
  add_texts("1 registered", { { "registered phrase", "Quota Exceeded" } })
  add_texts("100 registered", { { "registered phrase", "Quota Exceeded" },
                                { "last registered phrase", "Vendor Code 798" } })
  state_cases.loop = make("T", { T = "x" })
  cases.lookup = state_cases
else
  io.stderr:write("usage: percall.lua instr|time|list|check public|unknown|lookup [N]\n")
  os.exit(2)
end

local function register_for(state)
  if state == "1 registered" and not sip.is_known(477) then
    sip.register(477, "Quota Exceeded")
  elseif state == "100 registered" then
    local n = 1 -- 477
    for c = 700, 799 do
      if n >= 100 then break end
      if not sip.is_known(c) then
        sip.register(c, "Vendor Code " .. c)
        n = n + 1
      end
    end
    for c = 600, 699 do
      if n >= 100 then break end
      if not sip.is_known(c) then
        sip.register(c, "Vendor Code " .. c)
        n = n + 1
      end
    end
    assert(n == 100, n)
  end
end

local function measure_instr(label, f, rep)
  local tag = rep and ("#" .. rep) or ""
  local lN, l0 = label .. "|" .. N .. tag, label .. "|0" .. tag
  f(N)
  collectgarbage("collect")
  ctl.zero()
  f(N)
  ctl.dump(lN)
  collectgarbage("collect")
  ctl.zero()
  f(0)
  ctl.dump(l0)
end

if MODE == "list" then
  for _, c in ipairs(cases.lookup or cases) do print(c.label .. "\t" .. (c.group or c.state or "")) end
  return
end
if MODE == "time" and SUITE == "lookup" then
  io.stderr:write("percall.lua: the lookup suite is measured in instructions only\n")
  os.exit(2)
end

if MODE == "instr" then
  if SUITE == "lookup" then
    local state
    measure_instr("empty loop (x = T)", cases.lookup.loop)
    for _, c in ipairs(cases.lookup) do
      if c.state ~= state then
        state = c.state
        register_for(state)
      end
      measure_instr(c.label, c.f)
    end
  else
    if SUITE == "public" then
      -- sip.f and core.f in the order sip, core, core, sip: a function
      -- that allocates costs more or less with the state malloc and the
      -- collector are left in by the loop before, and this order lets
      -- that cancel in the mean of the two runs of each.
      for i = 1, #cases, 2 do
        measure_instr(cases[i].label, cases[i].f, 1)
        measure_instr(cases[i + 1].label, cases[i + 1].f, 1)
        measure_instr(cases[i + 1].label, cases[i + 1].f, 2)
        measure_instr(cases[i].label, cases[i].f, 2)
      end
    else
      for _, c in ipairs(cases) do measure_instr(c.label, c.f) end
    end
  end
  return
end

-- MODE == "time": CPU time of the process (CLOCK_PROCESS_CPUTIME_ID), so
-- that a sample during which the process was descheduled on this shared
-- machine does not count the time it waited.
local now = ctl.cpu
local rounds = tonumber(os.getenv("SIPCODES_BENCH_TIME_ROUNDS") or "") or 31
local function sample(f, n)
  local t0 = now()
  f(n)
  return (now() - t0) / n
end
local list = cases.lookup or cases
-- Calibrate: about 2 ms per sample.
for _, c in ipairs(list) do
  c.f(1000)
  local n = 1000
  while true do
    local t0 = now()
    c.f(n)
    local dt = now() - t0
    if dt > 2e6 or n >= 2 ^ 24 then break end
    n = n * 2
  end
  c.n = n
  c.samples = {}
end
for r = 1, rounds do
  for j = 0, #list - 1 do
    local c = list[(r + j) % #list + 1]
    c.samples[r] = sample(c.f, c.n)
  end
end
local function median(t)
  local s = {}
  for i, v in ipairs(t) do s[i] = v end
  table.sort(s)
  return s[math.floor((#s + 1) / 2)], s[math.max(1, math.floor(#s / 4 + 0.5))], s[math.ceil(#s * 3 / 4)]
end
local function min(t)
  local m = math.huge
  for _, v in ipairs(t) do if v < m then m = v end end
  return m
end
print(string.format("%-34s %10s %10s %10s %10s", "case (" .. impl .. ")", "ns/call", "p25", "p75", "min"))
local by_group = {}
for _, c in ipairs(list) do
  local m, lo, hi = median(c.samples)
  c.median, c.min = m, min(c.samples)
  print(string.format("%-34s %10.1f %10.1f %10.1f %10.1f", c.label, m, lo, hi, c.min))
  if c.group then
    by_group[c.group] = by_group[c.group] or {}
    table.insert(by_group[c.group], c)
  end
end
if SUITE == "unknown" then
  print()
  print(string.format("%-44s %10s %16s %10s", "unknown / known (" .. impl .. ")", "ratio", "p25-p75 rounds",
                      "min/min"))
  for _, c in ipairs(list) do
    local g = by_group[c.group]
    if g and g[1] ~= c then
      local rs = {}
      for r = 1, rounds do rs[r] = c.samples[r] / g[1].samples[r] end
      local m, lo, hi = median(rs)
      print(string.format("%-44s %9.2fx %16s %9.2fx", c.label .. " / " .. g[1].label, m,
                          string.format("%.2f-%.2f", lo, hi), c.min / g[1].min))
    end
  end
end
