-- kamailio-handrolled.lua - bench/kamailio-sipcodes.lua without sipcodes:
-- the same route, with the phrase table and the Reason header lines a
-- script hand-rolls, and direct KSR calls.  An INVITE to 486 gets the same
-- reply from both (bench/kamailio.sh compares them).
-- luacheck: globals ksr_request_route
-- luacheck: read globals KSR

local tonumber = tonumber

local phrases = {
  [200] = "OK", [404] = "Not Found", [477] = "Quota Exceeded", [480] = "Temporarily Unavailable",
  [486] = "Busy Here", [487] = "Request Terminated", [500] = "Server Internal Error",
  [501] = "Not Implemented", [503] = "Service Unavailable", [603] = "Decline",
}
local reasons = {
  [404] = 'Reason: Q.850;cause=1;text="Unallocated (unassigned) number"\r\n',
  [480] = 'Reason: Q.850;cause=18;text="No user responding"\r\n',
  [486] = 'Reason: Q.850;cause=17;text="User busy"\r\n',
  [503] = 'Reason: Q.850;cause=34;text="No circuit/channel available"\r\n',
  [603] = 'Reason: Q.850;cause=21;text="Call rejected"\r\n',
}

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
    KSR.sl.sl_send_reply(200, "OK")
    return
  end
  if method ~= "INVITE" then
    KSR.sl.sl_send_reply(501, "Not Implemented")
    return
  end

  local user = KSR.pv.get("$rU") or ""
  local code = code_in(user)
  if code then
    if heap_on then heap_a = gc("count") end
    local r = reasons[code]
    if r then KSR.hdr.append_to_reply(r) end
    KSR.sl.sl_send_reply(code, phrases[code] or "Unknown")
    if heap_on then heap_reply = heap_reply + gc("count") - heap_a end
    return
  end
  KSR.sl.sl_send_reply(404, "Not Found")
end
