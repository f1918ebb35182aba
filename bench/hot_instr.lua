-- hot_instr.lua WHICH N: N calls of one hot function (or of its baseline,
-- a local table indexed in a Lua function), for callgrind.  bench/run.sh
-- runs it with N = 0 and N = 100000 and prints the difference per call:
-- instructions, which do not depend on what else the machine is doing.
local sip = require "sipcodes"

local which, n = arg[1], tonumber(arg[2])
local reasons, classes, finals = {}, {}, {}
for code = 100, 799 do
  reasons[code], classes[code], finals[code] = sip.reason(code), sip.class(code), sip.is_final(code)
end
local names = { BUSY_HERE = 486 }
local cases = {
  ["reason(486)"] = { sip.reason, 486 },
  ["base reason"] = { function(c) return reasons[c] end, 486 },
  ["class(486)"] = { sip.class, 486 },
  ["base class"] = { function(c) return classes[c] end, 486 },
  ["is_final(486)"] = { sip.is_final, 486 },
  ["base is_final"] = { function(c) return finals[c] end, 486 },
}
local x
if cases[which] then
  local f, a = cases[which][1], cases[which][2]
  x = f(a)
  for _ = 1, n do x = f(a) end
elseif which == "codes.BUSY_HERE" or which == "base codes" then
  local t = which == "base codes" and names or sip.codes
  x = t.BUSY_HERE
  for _ = 1, n do x = t.BUSY_HERE end
end
return x
