-- sipcodes.policy: failover policies, what a route does after a response
-- comes back.  The presets, rules and methods are C (csrc/sipcodes_policy.c
-- and csrc/lua_sipcodes_policy.c, with their reference).
return require("sipcodes.core").policy()
