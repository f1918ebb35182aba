-- calls_bench.lua: ns per call of the hot functions, against the fastest
-- pure-Lua equivalent (a local table indexed inside a Lua function), both
-- measured in this run on this interpreter.  Also checks that a million
-- calls allocate nothing.  Run by bench/run.sh; prints, never asserts.
local sip = require "sipcodes"

local N = tonumber(os.getenv("SIPCODES_BENCH_CALLS")) or 2000000
local clock = os.clock
local impl = rawget(_G, "jit") and "luajit" or _VERSION

-- The baseline: the same data in plain Lua tables.
local reasons, names = {}, {}
for code, info in sip.each() do
  reasons[code] = info.reason
  names[info.name] = code
end
local function lua_reason(code) return reasons[code] end
local classes, finals, equivalents = {}, {}, {}
for code = 100, 799 do
  classes[code] = sip.class(code)
  finals[code] = sip.is_final(code)
  equivalents[code] = sip.equivalent(code)
end
local function lua_class(code) return classes[code] end
local function lua_is_final(code) return finals[code] end
local function lua_equivalent(code) return equivalents[code] end

local timer = require "timer"
local function time(f, arg)
  return timer.best_of(f, N, arg)
end

-- codes.X is an index, not a call: its own loop, timed the same way.
local function time_codes(t)
  local best = math.huge
  for _ = 1, 3 do
    local t0 = clock()
    local x = 0
    for _ = 1, N do x = x + t.BUSY_HERE end
    timer.sink = x
    best = math.min(best, clock() - t0)
  end
  return best * 1e9 / N
end

local rows = {
  { "reason(486)", function() return time(sip.reason, 486) end, function() return time(lua_reason, 486) end },
  { "phrase(486)", function() return time(sip.phrase, 486) end, function() return time(lua_reason, 486) end },
  { "class(486)", function() return time(sip.class, 486) end, function() return time(lua_class, 486) end },
  { "is_final(486)", function() return time(sip.is_final, 486) end, function() return time(lua_is_final, 486) end },
  { "equivalent(431)", function() return time(sip.equivalent, 431) end,
    function() return time(lua_equivalent, 431) end },
  { "codes.BUSY_HERE", function() return time_codes(sip.codes) end, function() return time_codes(names) end },
  { "lookup('Busy Here')", function() return time(sip.lookup, "Busy Here") end,
    function() return time(function(s) return names[s] end, "BUSY_HERE") end },
}

print(string.format("== hot calls, %s (%d calls each; baseline: local Lua table)", impl, N))
print(string.format("%-22s %10s %10s %8s", "call", "ns/call", "baseline", "ratio"))
for _, r in ipairs(rows) do
  local ours, base = r[2](), r[3]()
  print(string.format("%-22s %10.1f %10.1f %7.2fx", r[1], ours, base, ours / base))
end

collectgarbage("collect")
collectgarbage("stop")
local before = collectgarbage("count")
for _ = 1, 1000000 do
  sip.reason(486); sip.phrase(499); sip.class(486); sip.is_final(486)
  sip.equivalent(431); local _ = sip.codes.BUSY_HERE
end
local grown = collectgarbage("count") - before
collectgarbage("restart")
print(string.format("heap growth over 1e6 rounds of the hot calls: %.1f KB", grown))
print()
