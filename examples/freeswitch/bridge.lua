-- bridge.lua - FreeSWITCH dialplan script: bridge the call, and when the
-- far end refuses it, refuse the caller with the far end's SIP code and a
-- real reason phrase.
--
-- Left alone, FreeSWITCH passes the far end's code on with sofia-sip's
-- phrase for it, which is "Because" for every code sofia-sip does not
-- know (608, 425, ...); with sip_ignore_remote_cause it turns the code
-- into a hangup cause and back, so that a 608 Rejected leaves as 603
-- Decline.
--
-- Dialplan (mod_lua; see docs/hosts.md for lua.conf.xml):
--   <extension name="sipcodes-bridge">
--     <condition field="destination_number" expression="^(\d+)$">
--       <action application="lua" data="bridge.lua sofia/gateway/pstn/$1"/>
--     </condition>
--   </extension>
--
-- mod_lua gives the script `session` and `argv` as globals.
-- luacheck: read globals session argv

local fs = require "sipcodes.freeswitch"

-- Nothing can be sent on a channel that is gone (the caller hung up, or
-- it is already being hung up).
if not session:ready() then
  return
end

local target = argv[1]
if not target or target == "" then
  fs.respond(session, 484) -- Address Incomplete
  return
end

session:execute("bridge", target)
if session:answered() then
  return -- the call was bridged and has ended normally
end
if not session:ready() then
  return -- the caller gave up while the far end was being called
end

-- The bridge failed: the far end's code is in the variables the failed
-- leg left behind (last_bridge_proto_specific_hangup_cause = "sip:608").
local code = fs.outcome(session)
if not code or code < 300 then
  code = 480 -- nothing usable: Temporarily Unavailable
end
fs.respond(session, code)
