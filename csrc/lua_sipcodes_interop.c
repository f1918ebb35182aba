/*
 * lua_sipcodes_interop.c - Lua binding of the interop functions (placeholder table
 * until they land).
 */
#include "lua_sipcodes.h"

const luaL_Reg sc_interop_funcs[] = {
    {NULL, NULL}
};
