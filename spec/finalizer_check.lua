-- Run by spec/anchor_spec.lua in a child interpreter (a small heap, so that
-- collections, and the finalizers they run, come often):
--     lua spec/finalizer_check.lua uaf|stale N
-- prints the number of wrong answers out of N calls.  A finalizer runs
-- inside an allocation in the middle of a call; on Lua 5.1 and LuaJIT also
-- between making a string and copying its bytes.  One that registers again
-- must neither free bytes a call is about to copy (uaf) nor let a cache
-- keep an answer from before it (stale).
local which, n = arg[1], tonumber(arg[2])
local newproxy = rawget(_G, "newproxy")

-- An object whose collection runs f (a userdata on 5.1 and LuaJIT, whose
-- tables have no __gc).
local function dying(f)
  if newproxy then
    local p = newproxy(true)
    getmetatable(p).__gc = f
    return p
  end
  return setmetatable({}, { __gc = f })
end

local bad = 0
if which == "uaf" then
  local sip = require "sipcodes"
  local gen, busy, keep = 0, false, {}
  local function text()
    gen = gen + 1
    return "Vendor " .. ("Q"):rep(30) .. " " .. (100000 + gen)
  end
  sip.register(799, text())
  local function fin()
    if busy then return end
    busy = true
    sip.register(799, text(), { replace = true })
    -- A full collection now and then frees the old phrase at once (every
    -- time would cost a whole cycle per finalizer on 5.2+).
    if gen % 8 == 0 then collectgarbage("collect") end
    -- New strings, likely to take the place of the freed one (kept until
    -- the next round, read back so they are not optimised away).
    for j = 1, 20 do keep[j] = "X" .. ("Y"):rep(36) .. (1000 + j + gen * 100) % 10000 end
    assert(#keep[20] > 0)
    busy = false
  end
  local calls = { sip.reason, sip.phrase }
  for i = 1, n do
    local _ = dying(fin)
    local r = calls[i % 2 + 1](799)
    if not r:match("^Vendor Q+ %d+$") then bad = bad + 1 end
  end
  -- The objects still uncollected are finalized by lua_close, and a full
  -- collection from a finalizer there kept Lua 5.3 busy for more than 15
  -- minutes (n = 20000, on this commit and on older ones alike): nothing
  -- is checked at close, so the finalizers stop here.
  busy = true
elseif which == "stale" then
  local core = require "sipcodes.core"
  local sip = require "sipcodes"
  local memo = core.module(function(f, m) return require("sipcodes.memo")(f, m) end)
  local k = require("doubles").ksr()
  local K = require("sipcodes.kamailio").new(k)
  local count, checking = 0, false
  core.register(699, "Phrase 0")
  local function fin()
    -- Not while the answers are compared: LuaJIT runs a finalizer it has
    -- queued even with the collector stopped.
    if checking then return end
    count = count + 1
    core.register(699, "Phrase " .. count, { replace = true })
  end
  for _ = 1, n do
    for _ = 1, 4 do local _ = dying(fin) end
    memo.reason(699)
    sip.reason(699)
    K.sl_reply(699)
    -- Now, with no registration in between, the caches must answer as the
    -- core does.
    checking = true
    local now = core.reason(699)
    if memo.reason(699) ~= now or sip.reason(699) ~= now or select(2, K.sl_reply(699)) ~= now then
      bad = bad + 1
    end
    checking = false
    k.calls = {}
  end
end
print(bad)
