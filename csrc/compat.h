/*
 * compat.h - the few shims that let one source build against the Lua 5.1
 * (and LuaJIT), 5.2, 5.3 and 5.4 headers.  Keyed on LUA_VERSION_NUM only.
 */
#ifndef SIPCODES_COMPAT_H
#define SIPCODES_COMPAT_H

#include "lua.h"
#include "lauxlib.h"

#if LUA_VERSION_NUM == 501

/* LuaJIT 2.1 declares its own luaL_setfuncs; a prefixed static copy keeps
 * the two from clashing (the luasocket technique). */
static inline void sc_setfuncs(lua_State *L, const luaL_Reg *l, int nup)
{
    luaL_checkstack(L, nup + 1, "too many upvalues");
    for (; l->name != NULL; l++) {
        int i;
        for (i = 0; i < nup; i++)
            lua_pushvalue(L, -nup);
        lua_pushcclosure(L, l->func, nup);
        lua_setfield(L, -(nup + 2), l->name);
    }
    lua_pop(L, nup);
}
#undef luaL_setfuncs
#define luaL_setfuncs sc_setfuncs

#undef luaL_newlibtable
#define luaL_newlibtable(L, l) \
    lua_createtable(L, 0, (int)(sizeof(l) / sizeof((l)[0]) - 1))
#undef luaL_newlib
#define luaL_newlib(L, l) (luaL_newlibtable(L, l), luaL_setfuncs(L, l, 0))

#define lua_rawlen lua_objlen

#ifndef LUA_OK
#define LUA_OK 0
#endif

#endif /* LUA_VERSION_NUM == 501 */

#endif
