/*
 * host.c - the Lua host the per-call benchmarks run in (bench/percall.lua,
 * bench/heap_hostile.lua): a minimal `lua SCRIPT ARGS...`, linked against
 * the interpreter's static library (liblua5.x.a, libluajit-5.1.a) with its
 * symbols exported, so that C modules load into it as into /usr/bin/lua5.x
 * and callgrind names the interpreter's own functions (luaV_execute,
 * luaH_getstr, ...) in a profile.
 *
 * It preloads one module, `benchctl`:
 *   benchctl.zero()        CALLGRIND_ZERO_STATS (nothing outside valgrind)
 *   benchctl.dump(label)   CALLGRIND_DUMP_STATS_AT(label): callgrind writes
 *                          the instructions since the last zero/dump into
 *                          a file of its own, with the label in its "desc:"
 *   benchctl.valgrind()    true when running under valgrind
 *   benchctl.now()         CLOCK_MONOTONIC in nanoseconds (a number)
 *   benchctl.cpu()         CLOCK_PROCESS_CPUTIME_ID in nanoseconds
 *
 * usage: host SCRIPT [ARGS...]   (arg[0] = SCRIPT, arg[1..] = ARGS)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>

#include <valgrind/callgrind.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

static int l_zero(lua_State *L)
{
    (void)L;
    CALLGRIND_ZERO_STATS;
    return 0;
}

static int l_dump(lua_State *L)
{
    const char *label = luaL_checkstring(L, 1);
    (void)label;
    CALLGRIND_DUMP_STATS_AT(label);
    return 0;
}

static int l_valgrind(lua_State *L)
{
    lua_pushboolean(L, RUNNING_ON_VALGRIND ? 1 : 0);
    return 1;
}

static int push_clock(lua_State *L, clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    lua_pushnumber(L, (lua_Number)ts.tv_sec * 1e9 + (lua_Number)ts.tv_nsec);
    return 1;
}

static int l_now(lua_State *L) { return push_clock(L, CLOCK_MONOTONIC); }
static int l_cpu(lua_State *L) { return push_clock(L, CLOCK_PROCESS_CPUTIME_ID); }

static int luaopen_benchctl(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"zero", l_zero}, {"dump", l_dump}, {"valgrind", l_valgrind},
        {"now", l_now}, {"cpu", l_cpu}, {NULL, NULL}
    };
    int i;
    lua_newtable(L);
    for (i = 0; fns[i].name; i++) {
        lua_pushcfunction(L, fns[i].func);
        lua_setfield(L, -2, fns[i].name);
    }
    return 1;
}

static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    lua_getglobal(L, "debug");
    lua_getfield(L, -1, "traceback");
    lua_pushstring(L, msg ? msg : "(error object is not a string)");
    lua_pushinteger(L, 2);
    lua_call(L, 2, 1);
    return 1;
}

int main(int argc, char **argv)
{
    lua_State *L;
    int i, status;

    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRIPT [ARGS...]\n", argv[0]);
        return 2;
    }
    L = luaL_newstate();
    if (!L) {
        fprintf(stderr, "host: cannot create a lua_State\n");
        return 1;
    }
    luaL_openlibs(L);
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "preload");
    lua_pushcfunction(L, luaopen_benchctl);
    lua_setfield(L, -2, "benchctl");
    lua_pop(L, 2);
    lua_newtable(L);
    for (i = 1; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - 1);
    }
    lua_setglobal(L, "arg");

    lua_pushcfunction(L, traceback);
    if (luaL_loadfile(L, argv[1]) != 0) {
        fprintf(stderr, "host: %s\n", lua_tostring(L, -1));
        return 1;
    }
    for (i = 2; i < argc; i++)
        lua_pushstring(L, argv[i]);
    status = lua_pcall(L, argc - 2, 0, 1);
    if (status != 0) {
        fprintf(stderr, "host: %s\n", lua_tostring(L, -1));
        lua_close(L);
        return 1;
    }
    lua_close(L);
    return 0;
}
