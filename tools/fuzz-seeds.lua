--- tools/fuzz-seeds.lua - a busted helper that turns the specs into seed
-- corpora for the fuzz targets of fuzz/.
--
--     make fuzz-seeds   (runs busted --helper=tools/fuzz-seeds.lua per spec file)
--
-- It wraps the text-taking functions of the sipcodes module before the
-- specs run, records every string the specs pass to them, and writes each
-- distinct one to build/fuzz/seeds/<target>/seed-<hash> when the suite
-- ends; `make fuzz-seeds` then merges what adds coverage into fuzz/corpus/.
-- While it is loaded the wrappers stand between the specs and the C
-- functions, so specs that assert error messages naming the function fail:
-- that is expected, and the run is only for collecting inputs.

local busted = require "busted"
local sip = require "sipcodes"
local fs = require "sipcodes.freeswitch"

local targets = {
  parse_status_line = "fuzz_status_line",
  format_status_line = "fuzz_status_line",
  parse_reason = "fuzz_reason",
  lookup = "fuzz_lookup",
  parse_retry_after = "fuzz_retry_after",
  parse_warning = "fuzz_warning",
}
local seen = {}

local function record(target, s)
  if type(s) == "string" and #s <= 9000 then
    seen[target] = seen[target] or {}
    seen[target][s] = true
  end
end

for fname, target in pairs(targets) do
  local orig = sip[fname]
  sip[fname] = function(...)
    local a, b = ...
    record(target, a)
    record(target, b)
    return orig(...)
  end
end
for _, fname in ipairs({ "cause_number", "cause_name" }) do
  local orig = fs[fname]
  fs[fname] = function(...)
    record("fuzz_lookup", (...))
    return orig(...)
  end
end

-- FNV-1a, 32 bits, in plain arithmetic (no bit library on 5.1).
local function hash(s)
  local h = 2166136261
  for i = 1, #s do
    h = (h - h % 1) -- keep it integral on every version
    local x = h % 256
    local c = s:byte(i)
    -- xor of two bytes without a bit library
    local r, bit = 0, 1
    for _ = 1, 8 do
      local a1, b1 = x % 2, c % 2
      if a1 ~= b1 then r = r + bit end
      x, c, bit = (x - a1) / 2, (c - b1) / 2, bit * 2
    end
    h = ((h - h % 256) + r) * 16777619 % 4294967296
  end
  return string.format("%08x", h)
end

busted.subscribe({ "suite", "end" }, function()
  local n = 0
  for target, strings in pairs(seen) do
    for s in pairs(strings) do
      local f = assert(io.open("build/fuzz/seeds/" .. target .. "/seed-" .. hash(s), "wb"))
      f:write(s)
      f:close()
      n = n + 1
    end
  end
  io.stderr:write("fuzz-seeds: wrote " .. n .. " seeds\n")
  return nil, true
end)
