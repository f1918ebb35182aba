-- sipcodes_firstuse.lua: what a FreeSWITCH script run does with a fresh
-- lua_State: require sipcodes and make a few first calls.  require_bench
-- loads it by name, so the table shows require plus first use.
local sip = require "sipcodes"
assert(sip.reason(486) and sip.phrase(499) and sip.is_final(486) ~= nil)
return sip
