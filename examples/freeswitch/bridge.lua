-- bridge.lua - FreeSWITCH dialplan script: try the gateways given as
-- arguments in turn, as a failover policy says, answer the caller with
-- the outcome's SIP code and a real reason phrase, and tag the channel
-- with the call's outcome for the CDR.
--
-- Left alone, FreeSWITCH hangs the caller up after the first failed bridge
-- unless continue_on_fail is set: mod_sofia then refuses the call itself
-- from its hangup path, with the far end's code and sofia-sip's phrase for
-- it, which is empty for every code sofia-sip does not know ("608 ",
-- "425 "), and a respond afterwards does nothing.  continue_on_fail can
-- only name hangup causes, onto which mod_sofia collapses several SIP codes
-- (400 and 503 are both NORMAL_TEMPORARY_FAILURE), so the dialplan sets it
-- to true and fs.hunt decides per SIP code and responds itself.  fs.hunt
-- sets continue_on_fail=true around its own bridges as well, so the
-- dialplan's set is belt and braces: setting it in the dialplan before the
-- script is what was measured; that fs.hunt's own setting from inside the
-- script works the same is modelled (the test double), not measured.
--
-- Dialplan (mod_lua; see docs/hosts.md for lua.conf.xml):
--   <extension name="sipcodes-hunt">
--     <condition field="destination_number" expression="^(\d+)$">
--       <action application="set" data="continue_on_fail=true"/>
--       <action application="lua"
--               data="bridge.lua sofia/gateway/carrier_a/$1 sofia/gateway/carrier_b/$1"/>
--     </condition>
--   </extension>
--
-- mod_lua gives the script `session` and `argv` as globals.
-- luacheck: read globals session argv

local fs = require "sipcodes.freeswitch"
local policy = require "sipcodes.policy"

-- Nothing can be sent on a channel that is gone (the caller hung up, or
-- it is already being hung up).
if not session:ready() then
  return
end

local targets = {}
for i = 1, #argv do
  if argv[i] ~= "" then targets[#targets + 1] = argv[i] end
end
if #targets == 0 then
  fs.respond(session, 484) -- Address Incomplete
  return
end

-- 5xx and a 408 before ringing move on; busy, declined and the rest of
-- the failures are answered at once (see the routing guide for presets).
local code = fs.hunt(session, policy.new("carrier"), targets)

-- The outcome of the code the caller got, for the CDR: the channel
-- variables sipcodes_outcome, sipcodes_party, sipcodes_code and
-- sipcodes_phrase (e.g. "${sipcodes_outcome}" in cdr_csv's template).
if code then
  fs.tag(session, code)
end
