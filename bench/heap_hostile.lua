-- heap_hostile.lua [memo] - target 6: the Lua heap after a full GC, before
-- and after CALLS (default 1,000,000) calls of each hot function with
-- distinct hostile keys: CALLS / 5 calls with each of the five key kinds
-- below, every key different from every other.  Every call goes through
-- pcall (most hostile keys raise).  Run by bench/heap.sh in bench/host.c.
--   memo: the module made with the memo wrapper (as on LuaJIT), on any
--         interpreter: core.module(function(f, m) return require("sipcodes.memo")(f, m) end)
-- Prints one line per (function, key kind): the growth in KB of
-- collectgarbage("count") after two full collections, then per function
-- (all its kinds) and for the whole run.
local variant = arg[1] or "plain"
local sip
if variant == "memo" then
  sip = require("sipcodes.core").module(function(f, m) return require("sipcodes.memo")(f, m) end)
else
  sip = require "sipcodes"
end
local CALLS = tonumber(os.getenv("SIPCODES_BENCH_HOSTILE_CALLS") or "") or 1000000
local impl = (rawget(_G, "jit") and "luajit" or _VERSION:gsub("Lua ", "")) .. (variant == "memo" and " + memo" or "")

local format, tostring = string.format, tostring
local PER = math.floor(CALLS / 5)

-- key kinds: i (1..PER) -> a distinct key
local short, long = {}, {}
for n = 0, 56 do short[n] = string.rep("k", n) end       -- + up to 7 digits: <= 63 B
for n = 0, 248 do long[n] = string.rep("L", 65 + n) end  -- 65-320 B
local kinds = {
  { "integers", function(i) return i * 7 - 3500000 end },  -- -3.5e6 .. 3.5e6
  { "fractions", function(i) return i + 0.5 end },
  { "strings <= 64 B", function(i) return short[i % 57] .. i end },
  { "strings 65-320 B", function(i) return long[i % 249] .. i end },
  { "numeric strings", function(i) return tostring(i) end },
}
local codes = sip.codes
local function index_codes(k) return codes[k] end
-- The first row is the baseline: a Lua function that keeps nothing, called
-- with the same keys (what the interpreter itself keeps: its string table
-- grows with the number of live strings and shrinks only by halves).
local funcs = {
  { "(baseline)", function(k) return k == nil end },
  { "reason", sip.reason }, { "phrase", sip.phrase }, { "class", sip.class },
  { "is_final", sip.is_final }, { "equivalent", sip.equivalent }, { "lookup", sip.lookup },
  { "codes.X", index_codes },
}

local function heap()
  collectgarbage("collect")
  collectgarbage("collect")
  return collectgarbage("count")
end

local pcall = pcall
print(format("== heap growth after a full GC, %s (%d calls per function, %d per key kind, distinct keys)",
             impl, PER * 5, PER))
print(format("%-12s %-18s %12s %10s", "function", "keys", "growth KB", "errors"))
local start = heap()
local worst, worst_label = -math.huge, ""
for _, fn in ipairs(funcs) do
  local name, f = fn[1], fn[2]
  local f0 = heap()
  for _, kind in ipairs(kinds) do
    local key = kind[2]
    local h0 = heap()
    local errors = 0
    for i = 1, PER do
      if not pcall(f, key(i)) then errors = errors + 1 end
    end
    local g = heap() - h0
    if g > worst and name ~= "(baseline)" then worst, worst_label = g, name .. " / " .. kind[1] end
    print(format("%-12s %-18s %12.1f %10d", name, kind[1], g, errors))
  end
  local g = heap() - f0
  if g > worst and name ~= "(baseline)" then worst, worst_label = g, name .. " (all kinds)" end
  print(format("%-12s %-18s %12.1f", name, "(all kinds)", g))
end
local total = heap() - start
print(format("largest growth of one sipcodes function: %.1f KB (%s); target <= 64 KB", worst, worst_label))
print(format("whole run, the baseline and all %d functions (%d calls): %.1f KB",
             #funcs - 1, #funcs * #kinds * PER, total))
