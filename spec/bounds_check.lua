-- spec/bounds_check.lua - the measurements of spec/bounds_spec.lua, run in
-- a fresh interpreter per case: `lua bounds_check.lua WHICH CASE CALLS`
-- prints the heap growth in bytes.  A fresh state keeps what other specs
-- left in busted's (strings, tables, their sizes) out of the figure: Lua's
-- own string table resizes by powers of two, so a state sitting at a size
-- boundary can show 64 KB of bucket array for a few strings more.
local which, case, CALLS = arg[1], arg[2], tonumber(arg[3])

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

local core = require "sipcodes.core"
local sip = which == "memo"
  and core.module(function(f, memo) return require("sipcodes.memo")(f, memo) end)
  or require "sipcodes"

local tostring, pcall, format = tostring, pcall, string.format
local g
if case == "lookup" then
  local lookup = sip.lookup
  local long = ("y"):rep(100)
  g = growth(function(i)
    local k = i % 8
    if k == 0 then
      lookup(format("no such phrase %d", i))
    elseif k == 1 then
      lookup(long .. i)  -- longer than any memo key
    else
      lookup(format("%d Busy %d Here %d", i, i, i))
    end
  end)
elseif case == "lookup_long" then
  -- Texts of 8000 bytes, each new: none may stay in a memo (its keys have
  -- at most 64 bytes), or 128 entries would hold a megabyte.
  -- The memos are first filled with short texts, which the long ones would
  -- then push out.
  local lookup = sip.lookup
  local long = ("z"):rep(8000 - 8)
  for i = 1, 20000 do lookup(format("short %d", i)) end
  local before = heap()
  for i = 1, CALLS do lookup(format("%s%08d", long, i % 100000000)) end
  g = heap() - before
elseif case == "codes" then
  local codes = sip.codes
  local get = function(t, k) return t[k] end
  g = growth(function(i)
    if i % 2 == 0 then
      pcall(get, codes, "NO_SUCH_NAME_" .. i) -- a valid name no code has
    else
      pcall(get, codes, "busy here " .. i)    -- no constant name at all
    end
    if i % 1024 == 0 then
      assert(codes.BUSY_HERE == 486)
    end
  end)
else
  local f, name = sip[case], case
  g = growth(function(i)
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
end
print(format("%d", g))
