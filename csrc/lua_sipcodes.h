/*
 * lua_sipcodes.h - what the files of the Lua binding share with each other.
 * Only luaopen_sipcodes_core is exported from the shared object; everything
 * declared here has hidden visibility (the build uses -fvisibility=hidden,
 * and the pragma below covers builds that do not).
 *
 * Every function the binding makes is a C closure with the same upvalues,
 * so that a helper called from any of them finds what it needs:
 *
 *   1. SC_REG    this lua_State's registrations (register()): code -> entry
 *   2. SC_NAME   the function's own name, for its argument errors (a call
 *                site's name differs between interpreters and call paths)
 *   3. SC_STATE  the state: a userdata holding the counters below (read
 *                in C, no lookup) whose user value is a table of slots
 *   4. SC_EXTRA  per family: the memo table of a hot function in a module
 *                made with a wrapper (core.module(wrap)), the bound KSR
 *                object of a Kamailio helper (nil: the global KSR), the
 *                route function of a protected route; else nil
 *
 * That is all the state there is: the C side holds nothing mutable, so any
 * number of lua_States may use the module in any number of threads.
 */
#ifndef LUA_SIPCODES_H
#define LUA_SIPCODES_H

#include "compat.h"
#include "sipcodes.h"
#include "sipcodes_outcome.h"
#include "sipcodes_policy.h"
#include "sipcodes_proto.h"

#if defined(__GNUC__)
#define SIPCODES_API __attribute__((visibility("default")))
#else
#define SIPCODES_API
#endif

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#define SC_REG lua_upvalueindex(1)
#define SC_NAME lua_upvalueindex(2)
#define SC_STATE lua_upvalueindex(3)
#define SC_EXTRA lua_upvalueindex(4)
#define SC_NUPVALUES 4

#define SC_KEYBITS 1024

/* The counters of a state, read and written in C. */
typedef struct {
    lua_Integer finals; /* final replies the Kamailio helpers sent */
    int nreg;           /* codes added with register(): 0 skips every search of them */
    int memo_entries;   /* entries in all the memos of this state */
    unsigned gen;       /* register() commits so far: a cache store made in a call
                         * during which this moved (a __gc finalizer may
                         * register on 5.1 and LuaJIT) is undone */
    unsigned keymax;    /* significant bytes of the longest key, built-in or
                         * registered: lookup reads no further */
    unsigned char keybits[SC_KEYBITS / 8]; /* bit (hash % SC_KEYBITS) is set for
                         * the hash of every registered text: a lookup
                         * whose bit is clear asks no Lua table */
} sc_state;

#define sc_state_of(L) ((sc_state *)lua_touserdata(L, SC_STATE))

/* Slots of the state's table (its array part, made whole at load, so that
 * storing into a slot never allocates). */
#define SC_S_CORE 1     /* the sipcodes.core table */
#define SC_S_KEYS 2     /* hash of a registered text -> code (true: shared) */
#define SC_S_NAMES 3    /* the codes table's cache: name -> code */
#define SC_S_CODES 4    /* the codes table itself */
#define SC_S_MEMOS 5    /* the memo tables of wrapped modules (weak keys) */
#define SC_S_WRAPPERS 6 /* the wrappers of those modules (weak keys) */
#define SC_S_PHRASES 7  /* code -> phrase string the reply helpers send */
#define SC_S_LINES 8    /* code (or -cause) -> a Reason header line */
#define SC_S_KSR 9      /* the Kamailio helpers' key strings, made once */
#define SC_NSLOTS 9

/* The longest string key a memo keeps, and how many entries all the memos
 * of a state hold together before they start over: bounded, whatever keys
 * a script passes (128 entries of at most 64 bytes). */
#define SC_MEMO_KEY_MAX 64
#define SC_MEMO_MAX 128

/* A function the binding makes. */
#define SC_PUBLIC 1u /* on require "sipcodes", not only on sipcodes.core */
#define SC_HOT 2u    /* one key in, one answer out: a memo may stand in front */

/* The function each binding file offers under the name k[0..len), and its
 * flags; NULL if none.  Each file writes its list once, as an X-macro of
 * (name, flags) that SC_FIND turns into compares and a return of l_<name>:
 * there is no table of function pointers, which would cost a relocation
 * per entry at every dlopen (see SIPCODES_NAME_SIZE in sipcodes.h). */
lua_CFunction sc_registry_find(const char *k, size_t len, unsigned *flags);
lua_CFunction sc_proto_find(const char *k, size_t len, unsigned *flags);
lua_CFunction sc_interop_find(const char *k, size_t len, unsigned *flags);
lua_CFunction sc_kamailio_find(const char *k, size_t len, unsigned *flags);
lua_CFunction sc_freeswitch_find(const char *k, size_t len, unsigned *flags);
lua_CFunction sc_policy_find(const char *k, size_t len, unsigned *flags);
lua_CFunction sc_outcome_find(const char *k, size_t len, unsigned *flags);
lua_CFunction sc_kpi_find(const char *k, size_t len, unsigned *flags);

/* The sipcodes.policy object at arg (its C struct), or raise
 * "sipcodes.policy expected"; and a ctx table argument of its methods
 * (none or nil: nothing known; other fields raise). */
sipcodes_policy *sc_checkpolicy(lua_State *L, int arg);
void sc_checkctx(lua_State *L, int arg, sipcodes_policy_ctx *ctx);

/* Read the ctx fields of the table at t into ctx, only those present (the
 * others keep what ctx holds); a field of the wrong type or an unknown one
 * raises at arg, named after what ("field", "handlers.ctx field").  With
 * answered not NULL, the field "answered" is taken too, into *answered. */
void sc_readctx(lua_State *L, int t, int arg, const char *what, sipcodes_policy_ctx *ctx,
                int *answered);

/* The ctx argument of the outcome functions: the routing ctx's fields and
 * "answered" (none or nil: nothing known). */
void sc_checkoutcomectx(lua_State *L, int arg, sipcodes_outcome_ctx *ctx);

/* Push an outcome's category and party, each nil for none; returns 2. */
int sc_push_outcome(lua_State *L, int category, int party);

/* The outcome ctx that a routing ctx (and whether the call was answered)
 * makes: the adapters read the routing ctx from their host. */
void sc_outcome_ctx_from(const sipcodes_policy_ctx *ctx, int answered, sipcodes_outcome_ctx *out);

#define SC_FIND(name, fl)                                          \
    if (len == sizeof #name - 1 && memcmp(k, #name, len) == 0) {   \
        *flags = (fl);                                             \
        return l_##name;                                           \
    }

/* A list of names for sc_oneof and sc_checkoptnames: the names one after
 * the other, each ended by its NUL, the list by an empty name: a string
 * literal such as "lenient\0" (no pointers to relocate). */
typedef const char *sc_names;

/* Push a closure of func with the running function's REG and STATE, the
 * given name and the value at extra as its fourth upvalue (0: nil). */
void sc_pushfunc(lua_State *L, lua_CFunction func, const char *name, int extra);

/* Push slot k of the state; sc_setslot pops a value into it (no
 * allocation: the slots exist from the start). */
void sc_getslot(lua_State *L, int k);
void sc_setslot(lua_State *L, int k);

/* Push slot k, a table, making it on first use. */
void sc_slottable(lua_State *L, int k);

/* ---- argument checks: one definition each ------------------------------ */

/* Raise "bad argument #arg to '<SC_NAME>' (msg)", with the position of the
 * caller in front as luaL_error puts it (a wrapper of a memo module does
 * not count as the caller). */
int sc_argerror(lua_State *L, int arg, const char *msg);

/* Raise "bad argument #arg to 'f' (<expected> expected, got <type>)";
 * "no value" for a missing argument. */
int sc_typeerror(lua_State *L, int arg, const char *expected);

/* The userdata at arg whose metatable is the registry's mt (an object of
 * this module: a policy, a KPI counter), or raise "<mt> expected, got
 * <type>". */
void *sc_checkobject(lua_State *L, int arg, const char *mt);

/* Raise "... (no more than <max> arguments expected, got <n>)" when the
 * call passed more than max arguments.  Every argument counts, nil too:
 * f(x, nil, nil) is three arguments, as luaposix counts them. */
void sc_checknargs(lua_State *L, int max);

/* Raise "... (unknown option 'x')" for a key of the table at arg that is
 * not in names (keys compared with their length); see sc_unknown_key. */
void sc_checkoptnames(lua_State *L, int arg, sc_names names);

/* The key of the table at t that names lacks, if any, the same one on every
 * interpreter and every run (the order of a table is not): the smallest
 * such string key in byte order, pushed printable (sc_pushshown), and 1;
 * else, for keys that are no strings, the smallest type name among them,
 * pushed, and 2; else nothing and 0. */
int sc_unknown_key(lua_State *L, int t, sc_names names);

/* An optional options argument: 0 when it is none or nil, 1 when it is a
 * table whose keys are all in names; anything else raises. */
int sc_checkopts(lua_State *L, int arg, sc_names names);

/* Is the string at idx exactly one of names?  Its position in the list
 * from 0, or -1. */
int sc_oneof(lua_State *L, int idx, sc_names names);

/* The value at idx as a code or cause: SIPCODES_NUMERAL_INT and *out for a
 * number or numeral string with an exact int value, SIPCODES_NOT_NUMERAL
 * for anything that is neither, SIPCODES_NUMERAL_NOT_INT for a fraction,
 * NaN, +-inf or a value beyond the int range.  Strings are read by
 * sipcodes_parse_int, so the C locale does not matter. */
int sc_tocode(lua_State *L, int idx, int *out);

/* A code argument as sc_tocode reads it; anything else raises "integer
 * expected, got <type>" or "number has no integer representation". */
int sc_checkcode(lua_State *L, int arg);

/* A code that may go on the wire (100-699): else "code must be 100 to 699". */
int sc_checkwirecode(lua_State *L, int arg);

/* A final response's code (200-699), what a call ends with: else "final
 * code expected (200 to 699)". */
int sc_checkfinalcode(lua_State *L, int arg);

/* Optional language argument: "en" (default) or "de"; others raise. */
sipcodes_lang sc_checklang(lua_State *L, int arg);

/* A reason phrase argument for the wire: the string at arg checked with
 * sipcodes_check_reason_phrase(flags); a refusal raises "<why> at byte n".
 * Returns the string and its length. */
const char *sc_checkphrase(lua_State *L, int arg, unsigned flags, size_t *len);

/* Push "[<what>: ]<err->msg>[ at byte <pos + 1>]" for a refusal of a text
 * of len bytes (no position for an empty one). */
const char *sc_pushwhy(lua_State *L, const char *what, const sipcodes_error *err, size_t len);

/* Push a printable copy of s[0..len) for a message: at most 64 bytes,
 * control bytes and bytes >= 0x80 shown as '?'. */
const char *sc_pushshown(lua_State *L, const char *s, size_t len);

/* The elements of the list at idx: *n = the count of t[1..n] up to the
 * first nil; returns 0, or n + 1 when a positive integer key lies beyond
 * it (a hole, which the length operator would read differently on
 * different interpreters).  Raw access only: no metamethod runs. */
int sc_listlen(lua_State *L, int idx, int *n);

/* sc_listlen for argument arg; a hole raises "[n+1]: <expected> expected,
 * got nil", so a list means the same on every interpreter. */
int sc_checklist(lua_State *L, int arg, const char *expected);

/* Results of sc_format_reason_arg. */
#define SC_FMT_OK 0
#define SC_FMT_MISUSE 1  /* a wrong type or field: the message is pushed */
#define SC_FMT_REFUSED 2 /* data format_reason gives nil for: message pushed */

/* Format the reason value, or list of values, at idx into out (which holds
 * SIPCODES_MAX_LINE bytes) and *len, as format_reason does: the one
 * collection of a value's fields, used by format_reason and by the reply
 * helpers' Reason option.  Leaves the stack as it was on SC_FMT_OK. */
int sc_format_reason_arg(lua_State *L, int idx, char *out, size_t *len);

/* ---- the registry, registrations included ------------------------------ */

/* Push the registered entry table of code and return 1, or push nothing and
 * return 0. */
int sc_push_registered(lua_State *L, int code);

/* Is code in the built-in registry or registered in this state? */
int sc_known(lua_State *L, int code);

/* Push the reason of code in lang and return 1, or push nothing and return
 * 0 when neither this state's registrations nor the registry have it.  A
 * registered reason is the string value itself, left on the stack: its
 * bytes must not be used after it is popped (a finalizer that registers
 * again can free it on 5.1 and LuaJIT, which collect before they copy). */
int sc_push_reason(lua_State *L, int code, sipcodes_lang lang);

/* Push what a reply with code carries as its phrase (the reason, else the
 * class phrase; nil outside 100-799), from a per-state cache so that a
 * reply helper allocates nothing once a code was sent. */
void sc_push_phrase(lua_State *L, int code);

/* Push value when ok, else nil; returns 1. */
int sc_push_int_or_nil(lua_State *L, int ok, int value);

/* Push the Reason header value of Q.850 cause 1-127 (RFC 6432): protocol,
 * cause and the cause's Q.850 name as text, through the core's formatter. */
void sc_push_q850_reason(lua_State *L, int cause);

/* The answer at the top of the stack, as the result of a hot function that
 * was called with nargs arguments and began when the state's generation
 * was gen: when it has a memo (SC_EXTRA) and was called with one
 * memoizable key, the answer is stored for that key, unless a register()
 * came in between.  Returns 1 (the number of results). */
int sc_result(lua_State *L, int nargs, unsigned gen);

/* What a hot function notes on entry for sc_result. */
#define SC_HOT_ENTRY                    \
    int nargs = lua_gettop(L);          \
    unsigned gen = sc_state_of(L)->gen

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
