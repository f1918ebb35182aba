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

-- The heap after full collections until it stops shrinking: Lua's own
-- string table, which the million keys made grow, shrinks by half per
-- cycle at most, and is no cache of ours.
local function heap()
  local last = math.huge
  for _ = 1, 20 do
    collectgarbage("collect")
    local now = collectgarbage("count") * 1024
    if now >= last then
      return now
    end
    last = now
  end
  return last
end

-- The growth of the heap over CALLS calls of call(i), each i a new key.
-- A first run over other keys makes what is made once (functions on first
-- use, the memo's table, and on LuaJIT the compiled traces of the loop,
-- which count as heap there): only what the keys leave behind is growth.
local function growth(call)
  for i = -20000, -1 do call(i - CALLS) end
  local before = heap()
  for i = 1, CALLS do call(i) end
  return heap() - before
end

local function modules()
  local core = require "sipcodes.core"
  return {
    sipcodes = require "sipcodes",
    memo = core.module(function(f, memo) return require("sipcodes.memo")(f, memo) end),
  }
end

local tostring, pcall, format = tostring, pcall, string.format

describe("the heap under hostile keys", function()
  for which, sip in pairs(modules()) do
    for _, name in ipairs({ "reason", "phrase", "class", "is_final", "equivalent" }) do
      it(("stays bounded: %s.%s with distinct codes and numerals"):format(which, name), function()
        local f = sip[name]
        local g = growth(function(i)
          local k = i % 4
          if k == 0 then
            f(i)              -- a number no registry has
          elseif k == 1 then
            f(tostring(i))    -- a numeral string
          elseif k == 2 then
            f(-i)
          elseif i % 64 == 3 then
            pcall(f, "x" .. i) -- no numeral: raises, nothing kept
          elseif name == "reason" or name == "phrase" then
            f(i, "de")        -- with an option: never memoized
          else
            pcall(f, i, i)    -- one argument too many: raises
          end
        end)
        assert.is_true(g <= LIMIT, ("grew by %d bytes"):format(g))
      end)
    end

    it(("stays bounded: %s.lookup with distinct texts"):format(which), function()
      local lookup = sip.lookup
      local long = ("y"):rep(100)
      local g = growth(function(i)
        local k = i % 8
        if k == 0 then
          lookup(format("no such phrase %d", i))
        elseif k == 1 then
          lookup(long .. i)  -- longer than any memo key
        else
          lookup(format("%d Busy %d Here %d", i, i, i))
        end
      end)
      assert.is_true(g <= LIMIT, ("grew by %d bytes"):format(g))
    end)

    it(("stays bounded: %s.codes with distinct names"):format(which), function()
      local codes = sip.codes
      local get = function(t, k) return t[k] end
      local g = growth(function(i)
        if i % 2 == 0 then
          pcall(get, codes, "NO_SUCH_NAME_" .. i) -- a valid name no code has
        else
          pcall(get, codes, "busy here " .. i)    -- no constant name at all
        end
        if i % 1024 == 0 then
          assert(codes.BUSY_HERE == 486)
        end
      end)
      assert.is_true(g <= LIMIT, ("grew by %d bytes"):format(g))
    end)
  end
end)
