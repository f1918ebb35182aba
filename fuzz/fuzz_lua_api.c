/*
 * fuzz_lua_api.c - libFuzzer target for the public Lua API, driven through
 * a real lua_State: Lua 5.4 linked statically, the binding (csrc/lua_*.c)
 * compiled in with the sanitizers, lua/ loaded from the checkout (run the
 * target from the project's root).
 *
 * Per input: luaL_newstate, luaL_openlibs, package.path = "./lua/?.lua",
 * luaopen_sipcodes_core in package.preload["sipcodes.core"], then the
 * driver fuzz/fuzz_lua_api.lua runs with the input as its argument.  It
 * reads the bytes as operations on the API and raises (fail()) when a
 * promise is broken; an error that reaches this side is such a violation
 * (or a bug of the driver) and aborts.  The library's errors that the
 * driver's own pcall catches are the expected outcome of a call and never
 * get here.  Then the heap, after a full collection, must be under
 * HEAP_LIMIT_KB, and lua_close must complete (ASan reports any leak).
 *
 * The driver is read and compiled once (SIPCODES_FUZZ_DRIVER overrides its
 * path), and each input loads the compiled chunk.
 */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

/* Declared in csrc/lua_sipcodes.c with default visibility. */
int luaopen_sipcodes_core(lua_State *L);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DRIVER_PATH "fuzz/fuzz_lua_api.lua"

/* What the state may hold after a full collection, once the driver's own
 * tables are garbage: the modules, their caches and memos (bounded by
 * design) and the registrations one input can make. */
#define HEAP_LIMIT_KB (16 * 1024)

static char *g_chunk;
static size_t g_chunk_len, g_chunk_cap;

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_lua_api: %s: %s\n", what, msg ? msg : "(no message)");
    abort();
}

static int dump_writer(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    (void)ud;
    if (g_chunk_len + n > g_chunk_cap) {
        size_t cap = (g_chunk_len + n) * 2;
        char *c = realloc(g_chunk, cap);
        if (!c)
            return 1;
        g_chunk = c;
        g_chunk_cap = cap;
    }
    memcpy(g_chunk + g_chunk_len, p, n);
    g_chunk_len += n;
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *path = getenv("SIPCODES_FUZZ_DRIVER");
    lua_State *L = luaL_newstate();

    (void)argc;
    (void)argv;
    if (!path)
        path = DRIVER_PATH;
    if (!L)
        die("luaL_newstate", "out of memory");
    /* The chunk name is what error positions show. */
    if (luaL_loadfilex(L, path, "t") != LUA_OK)
        die("loading the driver (run from the project's root)", lua_tostring(L, -1));
    if (lua_dump(L, dump_writer, NULL, 0) != 0 || g_chunk_len == 0)
        die("lua_dump", "failed");
    lua_close(L);
    return 0;
}

static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);

    luaL_traceback(L, L, msg ? msg : luaL_typename(L, 1), 1);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lua_State *L = luaL_newstate();
    int kb;

    if (!L)
        die("luaL_newstate", "out of memory");
    luaL_openlibs(L);

    lua_getglobal(L, "package");
    lua_pushliteral(L, "./lua/?.lua");
    lua_setfield(L, -2, "path");
    lua_pushliteral(L, ""); /* the module is compiled in: no core.so */
    lua_setfield(L, -2, "cpath");
    lua_getfield(L, -1, "preload");
    lua_pushcfunction(L, luaopen_sipcodes_core);
    lua_setfield(L, -2, "sipcodes.core");
    lua_pop(L, 2);

    lua_pushcfunction(L, traceback);
    if (luaL_loadbufferx(L, g_chunk, g_chunk_len, "=fuzz_lua_api.lua", "b") != LUA_OK)
        die("loading the compiled driver", lua_tostring(L, -1));
    lua_pushlstring(L, (const char *)data, size);
    if (lua_pcall(L, 1, 0, 1) != LUA_OK)
        die("the driver reports", lua_tostring(L, -1));
    lua_settop(L, 0);

    /* Collected only when it counts more: under the limit before a
     * collection is under it after. */
    kb = lua_gc(L, LUA_GCCOUNT, 0);
    if (kb > HEAP_LIMIT_KB) {
        lua_gc(L, LUA_GCCOLLECT, 0);
        kb = lua_gc(L, LUA_GCCOUNT, 0);
    }
    if (kb > HEAP_LIMIT_KB) {
        fprintf(stderr, "fuzz_lua_api: %d KB left after a full collection\n", kb);
        abort();
    }
    lua_close(L);
    /* The driver leaves the C locale set; make sure of it for the next
     * input, whatever it did. */
    setlocale(LC_ALL, "C");
    return 0;
}
