-- Bounded memory on hostile input: a million calls of each hot function,
-- every one with a key never seen before (numbers, numeral strings, text,
-- names), leave the Lua heap at most 64 KB larger after a full collection.
-- Memos hold at most 256 entries with keys of at most 64 bytes; codes
-- remembers only names that exist.  Checked for require "sipcodes" and for
-- a module with the LuaJIT memo in front, on every interpreter.
--
-- Under valgrind and the sanitizers (SIPCODES_SPEC_CALLS set by their make
-- targets) the count is smaller: those runs look for bad memory accesses,
-- and the million calls run in the plain runs of every interpreter.
local CALLS = tonumber(os.getenv("SIPCODES_SPEC_CALLS") or "") or 1000000
local LIMIT = 64 * 1024

-- Each case in a fresh interpreter, the one running this spec
-- (spec/bounds_check.lua).
local function growth(which, case, calls)
  local interpreter = rawget(_G, "jit") and "luajit" or "lua" .. _VERSION:match("%d+%.%d+")
  local cpath = package.cpath:match("[^;]*build/[^;]*%?%.so") or "./build/5.4/?.so"
  local p = assert(io.popen(("LUA_PATH='./lua/?.lua;./spec/?.lua' LUA_CPATH='%s' %s " ..
    "spec/bounds_check.lua %s %s %d 2>&1"):format(cpath, interpreter, which, case, calls or CALLS)))
  local out = p:read("*a")
  p:close()
  return assert(tonumber(out:match("^(%-?%d+)\n$")), out)
end

describe("the heap under hostile keys", function()
  for _, which in ipairs({ "sipcodes", "memo" }) do
    for _, name in ipairs({ "reason", "phrase", "class", "is_final", "equivalent" }) do
      it(("stays bounded: %s.%s with distinct codes and numerals"):format(which, name), function()
        local g = growth(which, name)
        assert.is_true(g <= LIMIT, ("grew by %d bytes"):format(g))
      end)
    end

    it(("stays bounded: %s.lookup with distinct texts"):format(which), function()
      local g = growth(which, "lookup")
      assert.is_true(g <= LIMIT, ("grew by %d bytes"):format(g))
    end)

    it(("stays bounded: %s.lookup with distinct texts of 8000 bytes"):format(which), function()
      local g = growth(which, "lookup_long", 2000)
      assert.is_true(g <= LIMIT, ("grew by %d bytes"):format(g))
    end)

    it(("stays bounded: %s.codes with distinct names"):format(which), function()
      local g = growth(which, "codes")
      assert.is_true(g <= LIMIT, ("grew by %d bytes"):format(g))
    end)
  end
end)
