-- kamailio-sipcodes.lua - the route of examples/kamailio/kamailio.lua for
-- bench/kamailio.sh, through sipcodes as the example does, with the
-- option table hoisted to the top level as an operator would write it.
-- Only the stateless paths the bench drives are kept: an INVITE to a
-- numeric user is answered with that code and its Q.850 Reason header.
-- bench/kamailio-handrolled.lua is the same route without sipcodes.
-- luacheck: globals ksr_request_route
-- luacheck: read globals KSR

local sip = require "sipcodes"
local kam = require "sipcodes.kamailio"

local tonumber = tonumber

-- As the example: a code of this deployment.
sip.register(477, "Quota Exceeded", { description = "The caller used up the call quota of the account." })

local REASON = { reason = true }

local function code_in(s)
  local n = tonumber(s)
  if n and n >= 100 and n <= 699 and n % 1 == 0 then
    return n
  end
  return nil
end

-- Heap measurement, the same block in both scripts: with
-- SIPCODES_BENCH_HEAP="W M FILE", requests W+1 .. W+M run with the
-- collector stopped, and the growth of collectgarbage("count") over them
-- (whole requests, and the reply statement alone) is written to FILE.
-- Unset (the callgrind runs), it costs two tests per request.
local gc = collectgarbage
local heap_w, heap_m, heap_file = (os.getenv("SIPCODES_BENCH_HEAP") or ""):match("^(%d+) (%d+) (.+)$")
heap_w, heap_m = tonumber(heap_w), tonumber(heap_m)
local heap_n, heap_c0, heap_a, heap_reply, heap_on = 0, 0, 0, 0, false
local function heap_tick()
  heap_n = heap_n + 1
  if heap_n == heap_w + 1 then
    gc("collect")
    gc("collect")
    gc("stop")
    heap_c0, heap_reply, heap_on = gc("count"), 0, true
  elseif heap_n == heap_w + heap_m + 1 then
    local total = gc("count") - heap_c0
    heap_on = false
    gc("restart")
    local f = assert(io.open(heap_file, "w"))
    f:write(string.format("%d %.1f %.1f\n", heap_m, total * 1024, heap_reply * 1024))
    f:close()
  end
end

function ksr_request_route()
  if heap_w then heap_tick() end
  local method = KSR.pv.get("$rm")
  if method == "ACK" then
    KSR.tm.t_check_trans()
    return
  end
  if method == "OPTIONS" then
    kam.sl_reply(200)
    return
  end
  if method ~= "INVITE" then
    kam.sl_reply(501)
    return
  end

  local user = KSR.pv.get("$rU") or ""
  local code = code_in(user)
  if code then
    if heap_on then heap_a = gc("count") end
    kam.sl_reply(code, nil, REASON)
    if heap_on then heap_reply = heap_reply + gc("count") - heap_a end
    return
  end
  kam.sl_reply(404)
end
