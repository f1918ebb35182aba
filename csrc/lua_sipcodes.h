/*
 * lua_sipcodes.h - what the files of the Lua binding share with each other.
 * Only luaopen_sipcodes_core is exported from the shared object; everything
 * declared here has hidden visibility (the build uses -fvisibility=hidden).
 *
 * Every function of sipcodes.core carries one upvalue: this lua_State's table
 * of codes added with register(), code -> entry table.  That table is the
 * module's only per-state data; the C side holds no mutable state at all.
 */
#ifndef LUA_SIPCODES_H
#define LUA_SIPCODES_H

#include "compat.h"
#include "sipcodes.h"

#if defined(__GNUC__)
#define SIPCODES_API __attribute__((visibility("default")))
#else
#define SIPCODES_API
#endif

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* The state's registered codes (upvalue 1 of every core function). */
#define SC_REGISTERED lua_upvalueindex(1)

/* Raise "bad argument #arg to 'f' (msg)", like luaL_argerror, but naming
 * the function by its sipcodes.core name when the call site has none. */
int sc_argerror(lua_State *L, int arg, const char *msg);

/* Raise "bad argument #arg to 'f' (<expected> expected, got <type>)". */
int sc_typeerror(lua_State *L, int arg, const char *expected);

/* Raise "bad argument #n to 'f' (no more than <max> arguments expected,
 * got <n>)" when the call passed more than max arguments; trailing nils
 * do not count. */
void sc_checknargs(lua_State *L, int max);

/* Raise "bad argument #arg to 'f' (unknown option 'x')" for a key of the
 * table at arg that is not in the NULL-terminated names. */
void sc_checkoptnames(lua_State *L, int arg, const char *const names[]);

/* An optional options argument: 0 when it is none or nil, 1 when it is a
 * table whose keys are all in names; anything else raises. */
int sc_checkopts(lua_State *L, int arg, const char *const names[]);

/* Is the argument a number, or a string Lua converts to one in full (no
 * embedded NUL), the same on every Lua version? */
int sc_isnumeric(lua_State *L, int arg);

/* A response code argument: a number or numeric string with an exact C int
 * value; anything else raises.  486.5, NaN, +-inf and values beyond the int
 * range raise "number has no integer representation" on every Lua version. */
int sc_checkcode(lua_State *L, int arg);

/* Optional language argument: "en" (default) or "de"; others raise. */
sipcodes_lang sc_checklang(lua_State *L, int arg);

/* Push the registered entry table of code and return 1, or push nothing and
 * return 0.  Must be called from a core function (uses SC_REGISTERED). */
int sc_push_registered(lua_State *L, int code);

/* Is code in the built-in registry or registered in this state?  Must be
 * called from a core function (uses SC_REGISTERED). */
int sc_known(lua_State *L, int code);

/* The reason of code in lang from the built-in registry or this state's
 * registrations; NULL if neither has it.  The string stays valid while the
 * registration does. */
const char *sc_reason(lua_State *L, int code, sipcodes_lang lang);

/* Function tables of the other binding files, merged into sipcodes.core. */
extern const luaL_Reg sc_proto_funcs[];   /* lua_sipcodes_proto.c */
extern const luaL_Reg sc_interop_funcs[]; /* lua_sipcodes_interop.c */

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
