/*
 * compat.h - the few shims that let one source build against the Lua 5.1
 * (and LuaJIT), 5.2, 5.3 and 5.4 headers.  Keyed on LUA_VERSION_NUM only.
 */
#ifndef SIPCODES_COMPAT_H
#define SIPCODES_COMPAT_H

#include "lua.h"
#include "lauxlib.h"

#if LUA_VERSION_NUM == 501

#define lua_rawlen lua_objlen

#define lua_absindex(L, i) \
    ((i) > 0 || (i) <= LUA_REGISTRYINDEX ? (i) : lua_gettop(L) + (i) + 1)

#ifndef LUA_OK
#define LUA_OK 0
#endif

/* The table of globals, where app_lua puts KSR. */
#define sc_pushglobals(L) lua_pushvalue(L, LUA_GLOBALSINDEX)

#else

#define sc_pushglobals(L) lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS)

#endif /* LUA_VERSION_NUM == 501 */

#endif
