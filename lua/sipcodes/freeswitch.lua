-- sipcodes.freeswitch: causes and session helpers for FreeSWITCH mod_lua.
-- They are C (csrc/lua_sipcodes_freeswitch.c, with their reference):
-- mod_lua makes a fresh lua_State for every script run, and compiling Lua
-- would cost more than the whole module.
return require("sipcodes.core").freeswitch()
