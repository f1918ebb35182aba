-- sipcodes.kamailio: helpers for Kamailio KEMI Lua scripts (app_lua).  They
-- are C (csrc/lua_sipcodes_kamailio.c, with their reference), so that a
-- worker's lua_State compiles no Lua for them.
return require("sipcodes.core").kamailio()
