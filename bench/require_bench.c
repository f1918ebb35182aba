/*
 * require_bench.c - what `require` costs in a fresh lua_State, the way
 * FreeSWITCH's mod_lua runs every script: luaL_newstate + luaL_openlibs,
 * require, close, many times over.  Linked against the interpreter's own
 * liblua, as a host is.
 *
 * usage: require_bench ROUNDS LUA_PATH LUA_CPATH module...
 * For each module it prints the median microseconds per require and the
 * Lua heap the require left behind, measured in the same run, so ratios
 * between the modules are what to read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static size_t heap_bytes(lua_State *L)
{
    return (size_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 +
           (size_t)lua_gc(L, LUA_GCCOUNTB, 0);
}

/* One fresh state: returns the require time, stores the heap it added. */
static double one_round(const char *path, const char *cpath,
                        const char *module, size_t *heap)
{
    lua_State *L = luaL_newstate();
    double t0, t1;
    size_t before;

    luaL_openlibs(L);
    lua_getglobal(L, "package");
    lua_pushstring(L, path);
    lua_setfield(L, -2, "path");
    lua_pushstring(L, cpath);
    lua_setfield(L, -2, "cpath");
    lua_pop(L, 1);
    lua_gc(L, LUA_GCCOLLECT, 0);
    before = heap_bytes(L);

    t0 = now_us();
    lua_getglobal(L, "require");
    lua_pushstring(L, module);
    if (lua_pcall(L, 1, 1, 0) != 0) {
        fprintf(stderr, "require %s: %s\n", module, lua_tostring(L, -1));
        exit(1);
    }
    t1 = now_us();
    lua_pop(L, 1);
    lua_gc(L, LUA_GCCOLLECT, 0);
    *heap = heap_bytes(L) - before;
    lua_close(L);
    return t1 - t0;
}

int main(int argc, char **argv)
{
    int rounds, m, i;

    if (argc < 5) {
        fprintf(stderr, "usage: %s ROUNDS LUA_PATH LUA_CPATH module...\n",
                argv[0]);
        return 2;
    }
    rounds = atoi(argv[1]);
    if (rounds < 1)
        rounds = 1;
    printf("%-22s %12s %12s\n", "module", "us/require", "heap bytes");
    for (m = 4; m < argc; m++) {
        double *t = malloc(sizeof(double) * (size_t)rounds);
        size_t heap = 0;
        if (!t)
            return 1;
        /* Interleaving would be fairer still; a warm-up round per module
         * keeps the first dlopen out of the figures. */
        one_round(argv[2], argv[3], argv[m], &heap);
        for (i = 0; i < rounds; i++)
            t[i] = one_round(argv[2], argv[3], argv[m], &heap);
        qsort(t, (size_t)rounds, sizeof(double), cmp_double);
        printf("%-22s %12.1f %12zu\n", argv[m], t[rounds / 2], heap);
        free(t);
    }
    return 0;
}
