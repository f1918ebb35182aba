/* empty_module.c - the baseline of bench/require_bench.c: a C module that
 * does nothing but return an empty table, loaded through the same cpath. */
#include "lua.h"
#include "lauxlib.h"

__attribute__((visibility("default"))) int luaopen_sipcodes_empty(lua_State *L);

int luaopen_sipcodes_empty(lua_State *L)
{
    lua_newtable(L);
    return 1;
}
