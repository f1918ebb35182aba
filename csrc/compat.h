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

/* A full userdata with one Lua value of its own (the environment of 5.1,
 * the user value of 5.2 and 5.3, the first of 5.4's). */
#if LUA_VERSION_NUM == 501
#define sc_newuserdata(L, n) lua_newuserdata(L, n)
#define sc_setuservalue(L, i) lua_setfenv(L, i)
#define sc_getuservalue(L, i) lua_getfenv(L, i)
#elif LUA_VERSION_NUM < 504
#define sc_newuserdata(L, n) lua_newuserdata(L, n)
#define sc_setuservalue(L, i) lua_setuservalue(L, i)
#define sc_getuservalue(L, i) ((void)lua_getuservalue(L, i))
#else
#define sc_newuserdata(L, n) lua_newuserdatauv(L, n, 1)
#define sc_setuservalue(L, i) ((void)lua_setiuservalue(L, i, 1))
#define sc_getuservalue(L, i) ((void)lua_getiuservalue(L, i, 1))
#endif

#endif
