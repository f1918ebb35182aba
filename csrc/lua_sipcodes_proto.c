/*
 * lua_sipcodes_proto.c - Lua binding of the proto functions (placeholder table
 * until they land).
 */
#include "lua_sipcodes.h"

const luaL_Reg sc_proto_funcs[] = {
    {NULL, NULL}
};
