/***
 * SIP response codes for Lua: the registry, classification, protocol
 * helpers, telephony interop and call outcomes.
 *
 * Every function is C (`csrc/lua_sipcodes*.c` in the source).  The table
 * that `require "sipcodes"` returns makes each function on first use, so
 * `pairs(sip)` lists only the names used so far; this page lists them all.
 *
 * Errors come in three tiers, the same on Lua 5.1, 5.2, 5.3, 5.4 and
 * LuaJIT and in any C locale.  A wrong argument type, count or option
 * raises `bad argument #n to 'f' (...)`; a code the registry does not hold
 * gives `nil`; malformed text gives `nil` and a message.
 *
 * A code is a number with an exact C int value, or a string holding such a
 * numeral (`"486"`, `" 486 "`, `"486.0"`, `"0x1E6"`).  The numbers 486.5,
 * NaN, plus or minus infinity and `2^40` raise `number has no integer
 * representation`.  Every argument counts, nil included: `reason(486, nil,
 * nil)` is three arguments, one too many.
 * @module sipcodes
 * @usage
 * local sip = require "sipcodes"
 * sip.reason(486)                --> "Busy Here"
 * sip.reason(486, "de")          --> "Besetzt"
 * sip.phrase(499)                --> "Request Failure"
 * sip.codes.BUSY_HERE            --> 486
 * sip.class_name(486)            --> "client_failure"
 * sip.is_final(180)              --> false
 * sip.equivalent(431)            --> 400
 * sip.lookup("busy here")        --> 486
 * sip.format_status_line(603)    --> "SIP/2.0 603 Decline"
 * sip.parse_status_line("SIP/2.0 486 Busy Here").code --> 486
 * sip.reason_for(486)            --> 'Q.850;cause=17;text="User busy"'
 * sip.outcome(486)               --> "busy", "user"
 */
#include <limits.h>
#include <string.h>

#include "lua_sipcodes.h"
#include "sipcodes_interop.h"
#include "sipcodes_proto.h"

/* ---- closures and the state table ------------------------------------------ */

void sc_pushfunc(lua_State *L, lua_CFunction func, const char *name, int extra)
{
    if (extra)
        extra = lua_absindex(L, extra);
    lua_pushvalue(L, SC_REG);
    lua_pushstring(L, name);
    lua_pushvalue(L, SC_STATE);
    if (extra)
        lua_pushvalue(L, extra);
    else
        lua_pushnil(L);
    lua_pushcclosure(L, func, SC_NUPVALUES);
}

void sc_getslot(lua_State *L, int k)
{
    sc_getuservalue(L, SC_STATE);
    lua_rawgeti(L, -1, k);
    lua_remove(L, -2);
}

void sc_setslot(lua_State *L, int k)
{
    sc_getuservalue(L, SC_STATE);
    lua_insert(L, -2);
    lua_rawseti(L, -2, k);
    lua_pop(L, 1);
}

void sc_slottable(lua_State *L, int k)
{
    sc_getslot(L, k);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        sc_setslot(L, k);
    }
}

/* Push slot k, a table with weak keys, making it on first use: the memos
 * and wrappers of modules nobody holds any more must not be kept alive. */
static void sc_weaktable(lua_State *L, int k)
{
    sc_getslot(L, k);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        sc_setslot(L, k);
    }
}

/* The most keys a table emptied by sc_clear holds: a memo 128, the codes
 * cache and the phrase cache one per code 100-799. */
#define SC_CLEAR_MAX (4 * (SIPCODES_MAX_CODE + 1))

/* Empty the table at t in place.  Setting an existing key to nil never
 * allocates, so this cannot fail half way (a memory error in register()
 * must not leave a cache stale).  Bounded: Lua 5.1 can leave a table
 * whose resize failed for lack of memory with keys that lua_next finds
 * again after they were set to nil; every key a lookup can still see is
 * gone after one pass, and the loop ends there. */
static void sc_clear(lua_State *L, int t)
{
    int n = 0;

    t = lua_absindex(L, t);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (++n > SC_CLEAR_MAX) {
            lua_pop(L, 1);
            return;
        }
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, t);
    }
}

/* Empty slot k if it holds a table. */
static void sc_clearslot(lua_State *L, int k)
{
    sc_getslot(L, k);
    if (lua_istable(L, -1))
        sc_clear(L, -1);
    lua_pop(L, 1);
}

/* Empty every memo of the state (in place, so without allocating). */
static void sc_clear_memos(lua_State *L)
{
    sc_getslot(L, SC_S_MEMOS);
    if (lua_istable(L, -1)) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            sc_clear(L, -1);
        }
    }
    lua_pop(L, 1);
    sc_state_of(L)->memo_entries = 0;
}

/* ---- argument checks --------------------------------------------------------- */

/* Push the position of the caller, as luaL_where(L, 1) does, except that a
 * wrapper of a memo module is skipped: its tail call into C must not move
 * the position of an error away from the script that made the call. */
static void sc_where(lua_State *L)
{
    lua_Debug ar;
    int level = 1;

    sc_getslot(L, SC_S_WRAPPERS);
    if (lua_istable(L, -1)) {
        while (lua_getstack(L, level, &ar) && lua_getinfo(L, "f", &ar)) {
            int wrapper;
            lua_rawget(L, -2);
            wrapper = lua_toboolean(L, -1);
            lua_pop(L, 1);
            if (!wrapper)
                break;
            level++;
        }
    }
    lua_pop(L, 1);
    luaL_where(L, level);
}

int sc_argerror(lua_State *L, int arg, const char *msg)
{
    const char *name = lua_type(L, SC_NAME) == LUA_TSTRING ? lua_tostring(L, SC_NAME) : "?";

    sc_where(L);
    lua_pushfstring(L, "bad argument #%d to '%s' (%s)", arg, name, msg);
    lua_concat(L, 2);
    return lua_error(L);
}

int sc_typeerror(lua_State *L, int arg, const char *expected)
{
    const char *msg = lua_pushfstring(L, "%s expected, got %s", expected,
                                      luaL_typename(L, arg));
    return sc_argerror(L, arg, msg);
}

void *sc_checkobject(lua_State *L, int arg, const char *mt)
{
    void *p = lua_touserdata(L, arg);
    int same = 0;

    if (p && lua_getmetatable(L, arg)) {
        lua_getfield(L, LUA_REGISTRYINDEX, mt);
        same = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    if (!same)
        sc_typeerror(L, arg, mt);
    return p;
}

void sc_checknargs(lua_State *L, int max)
{
    int n = lua_gettop(L);

    if (n > max)
        sc_argerror(L, max + 1, lua_pushfstring(
            L, "no more than %d argument%s expected, got %d", max,
            max == 1 ? "" : "s", n));
}

const char *sc_pushshown(lua_State *L, const char *s, size_t len)
{
    char buf[64];
    size_t i, n = len < sizeof buf ? len : sizeof buf;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[i] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
    }
    lua_pushlstring(L, buf, n);
    return lua_tostring(L, -1);
}

int sc_oneof(lua_State *L, int idx, sc_names names)
{
    size_t len;
    const char *s;
    int i;

    if (lua_type(L, idx) != LUA_TSTRING)
        return -1;
    s = lua_tolstring(L, idx, &len);
    for (i = 0; *names; names += strlen(names) + 1, i++)
        if (strlen(names) == len && memcmp(s, names, len) == 0)
            return i;
    return -1;
}

int sc_unknown_key(lua_State *L, int t, sc_names names)
{
    const char *type = NULL;
    int best;

    t = lua_absindex(L, t);
    lua_pushnil(L); /* the best string key so far, kept here */
    best = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            if (sc_oneof(L, -1, names) < 0) {
                size_t a, b;
                const char *k = lua_tolstring(L, -1, &a);
                const char *o = lua_isnil(L, best) ? NULL : lua_tolstring(L, best, &b);
                int c = o ? memcmp(k, o, a < b ? a : b) : -1;
                if (!o || c < 0 || (c == 0 && a < b)) {
                    lua_pushvalue(L, -1);
                    lua_replace(L, best);
                }
            }
        } else {
            const char *tn = luaL_typename(L, -1);
            if (!type || strcmp(tn, type) < 0)
                type = tn;
        }
    }
    if (!lua_isnil(L, best)) {
        size_t len;
        const char *k = lua_tolstring(L, best, &len);
        sc_pushshown(L, k, len);
        lua_remove(L, best);
        return 1;
    }
    lua_pop(L, 1);
    if (type) {
        lua_pushstring(L, type);
        return 2;
    }
    return 0;
}

void sc_checkoptnames(lua_State *L, int arg, sc_names names)
{
    switch (sc_unknown_key(L, arg, names)) {
    case 1:
        sc_argerror(L, arg, lua_pushfstring(L, "unknown option '%s'", lua_tostring(L, -1)));
        break;
    case 2:
        sc_argerror(L, arg, lua_pushfstring(L, "unknown option of type %s", lua_tostring(L, -1)));
        break;
    default:
        break;
    }
}

int sc_checkopts(lua_State *L, int arg, sc_names names)
{
    if (lua_isnoneornil(L, arg))
        return 0;
    if (!lua_istable(L, arg))
        sc_typeerror(L, arg, "table");
    sc_checkoptnames(L, arg, names);
    return 1;
}

int sc_tocode(lua_State *L, int idx, int *out)
{
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        return sipcodes_int_of_number((double)lua_tonumber(L, idx), out)
                   ? SIPCODES_NUMERAL_INT : SIPCODES_NUMERAL_NOT_INT;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        return sipcodes_parse_int(s, len, out);
    }
    default:
        return SIPCODES_NOT_NUMERAL;
    }
}

int sc_checkcode(lua_State *L, int arg)
{
    int code = 0;

    switch (sc_tocode(L, arg, &code)) {
    case SIPCODES_NUMERAL_INT:
        return code;
    case SIPCODES_NOT_NUMERAL:
        return sc_typeerror(L, arg, "integer");
    default:
        return sc_argerror(L, arg, "number has no integer representation");
    }
}

int sc_checkwirecode(lua_State *L, int arg)
{
    int code = sc_checkcode(L, arg);

    if (!sipcodes_is_valid(code))
        sc_argerror(L, arg, "code must be 100 to 699");
    return code;
}

int sc_checkfinalcode(lua_State *L, int arg)
{
    int code = sc_checkcode(L, arg);

    if (code < 200 || code > 699)
        sc_argerror(L, arg, "final code expected (200 to 699)");
    return code;
}

/* Written out rather than luaL_checkoption: LuaJIT's version lets a table
 * through as the default instead of raising. */
sipcodes_lang sc_checklang(lua_State *L, int arg)
{
    size_t len;
    const char *s;
    int i;

    if (lua_isnoneornil(L, arg))
        return SIPCODES_LANG_EN;
    if (lua_type(L, arg) != LUA_TSTRING)
        sc_typeerror(L, arg, "string");
    /* In the order of sipcodes_lang. */
    if ((i = sc_oneof(L, arg, "en\0de\0")) >= 0)
        return (sipcodes_lang)i;
    s = lua_tolstring(L, arg, &len);
    sc_argerror(L, arg, lua_pushfstring(L, "invalid option '%s'", sc_pushshown(L, s, len)));
    return SIPCODES_LANG_EN;
}

const char *sc_pushwhy(lua_State *L, const char *what, const sipcodes_error *err, size_t len)
{
    /* A position says nothing about an empty text. */
    if (len == 0)
        return what ? lua_pushfstring(L, "%s: %s", what, err->msg) : lua_pushfstring(L, "%s", err->msg);
    if (what)
        return lua_pushfstring(L, "%s: %s at byte %d", what, err->msg, (int)err->pos + 1);
    return lua_pushfstring(L, "%s at byte %d", err->msg, (int)err->pos + 1);
}

const char *sc_checkphrase(lua_State *L, int arg, unsigned flags, size_t *len)
{
    const char *s;
    sipcodes_error err;

    if (lua_type(L, arg) != LUA_TSTRING)
        sc_typeerror(L, arg, "string");
    s = lua_tolstring(L, arg, len);
    if (sipcodes_check_reason_phrase(s, *len, flags, &err))
        sc_argerror(L, arg, sc_pushwhy(L, NULL, &err, *len));
    return s;
}

int sc_listlen(lua_State *L, int idx, int *n)
{
    int count = 0;

    idx = lua_absindex(L, idx);
    for (;;) {
        int nil;
        lua_rawgeti(L, idx, count + 1);
        nil = lua_isnil(L, -1);
        lua_pop(L, 1);
        if (nil || count == INT_MAX - 1)
            break;
        count++;
    }
    *n = count;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int k;
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TNUMBER &&
            sipcodes_int_of_number((double)lua_tonumber(L, -1), &k) && k > count) {
            lua_pop(L, 1);
            return count + 1;
        }
    }
    return 0;
}

int sc_checklist(lua_State *L, int arg, const char *expected)
{
    int n, hole = sc_listlen(L, arg, &n);

    if (hole)
        sc_argerror(L, arg, lua_pushfstring(L, "[%d]: %s expected, got nil", hole, expected));
    return n;
}

/* ---- the registry, registrations included ----------------------------------- */

int sc_push_registered(lua_State *L, int code)
{
    /* Most states register nothing: then no table is asked at all. */
    if (sc_state_of(L)->nreg == 0)
        return 0;
    lua_rawgeti(L, SC_REG, code);
    if (lua_istable(L, -1))
        return 1;
    lua_pop(L, 1);
    return 0;
}

/* The key in the keys table of a text's hash: 31 bits, so that it is the
 * same int on every Lua (5.1's lua_rawgeti takes an int). */
#define SC_KEY_SLOT(h) ((lua_Integer)((h) >> 1))

/* The texts of a registered entry that name its code (lookup, codes). */
static const char sc_text_fields[3][16] = {"reason", "reason_de", "name"};

/* Field names of a registered entry, per language. */
static const char sc_reason_field[SIPCODES_NLANGS][16] = {"reason", "reason_de"};
static const char sc_description_field[SIPCODES_NLANGS][16] = {
    "description", "description_de"
};

/* Replace the registered entry at the top of the stack by one of its string
 * fields, falling back to the English field when the German one was not
 * given, and return 1; or pop it and return 0 when there is neither. */
static int sc_push_registered_text(lua_State *L, const char (*fields)[16],
                                   sipcodes_lang lang)
{
    lua_getfield(L, -1, fields[lang]);
    if (lua_isnil(L, -1) && lang != SIPCODES_LANG_EN) {
        lua_pop(L, 1);
        lua_getfield(L, -1, fields[SIPCODES_LANG_EN]);
    }
    lua_remove(L, -2);
    if (lua_type(L, -1) == LUA_TSTRING)
        return 1;
    lua_pop(L, 1);
    return 0;
}

int sc_push_reason(lua_State *L, int code, sipcodes_lang lang)
{
    const char *s;

    /* A registration may replace a built-in phrase, so it is asked first;
     * the common case (nothing registered) asks no table at all. */
    if (sc_push_registered(L, code))
        return sc_push_registered_text(L, sc_reason_field, lang);
    if ((s = sipcodes_reason(code, lang)) == NULL)
        return 0;
    lua_pushstring(L, s);
    return 1;
}

int sc_known(lua_State *L, int code)
{
    if (sipcodes_lookup(code))
        return 1;
    if (sc_push_registered(L, code)) {
        lua_pop(L, 1);
        return 1;
    }
    return 0;
}

int sc_push_int_or_nil(lua_State *L, int ok, int value)
{
    if (ok)
        lua_pushinteger(L, value);
    else
        lua_pushnil(L);
    return 1;
}

static int sc_pushstring_or_nil(lua_State *L, const char *s)
{
    if (s)
        lua_pushstring(L, s);
    else
        lua_pushnil(L);
    return 1;
}

void sc_push_phrase(lua_State *L, int code)
{
    sc_state *st = sc_state_of(L);
    unsigned gen = st->gen;

    sc_slottable(L, SC_S_PHRASES);
    lua_rawgeti(L, -1, code);
    if (!lua_isnil(L, -1)) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    if (!sc_push_reason(L, code, SIPCODES_LANG_EN))
        sc_pushstring_or_nil(L, sipcodes_class_phrase(code, SIPCODES_LANG_EN));
    /* Bounded: one string per code 100-799, emptied by register(); not
     * kept when a register() came while it was looked up. */
    if (lua_isstring(L, -1) && code >= SIPCODES_MIN_CODE && code <= SIPCODES_MAX_CODE &&
        st->gen == gen) {
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, code);
        if (st->gen != gen) {
            lua_pushnil(L);
            lua_rawseti(L, -3, code);
        }
    }
    lua_remove(L, -2);
}

void sc_push_q850_reason(lua_State *L, int cause)
{
    char out[SIPCODES_MAX_LINE];
    size_t len = 0;
    sipcodes_format_error err;

    /* Q.850 names are short and quotable (ctest checks every one). */
    if (sipcodes_q850_reason_append(out, &len, cause, -1, &err) != 0)
        luaL_error(L, "sipcodes: Q.850 cause %d: %s", cause, err.msg);
    lua_pushlstring(L, out, len);
}

/* Store the answer at the top of the stack in the memo for the key at 1.
 * All the memos of a state hold SC_MEMO_MAX entries together; when they
 * are full they all start over. */
static void sc_memo_store(lua_State *L, unsigned gen)
{
    int memo = lua_upvalueindex(4);
    sc_state *st = sc_state_of(L);

    if (st->gen != gen)
        return; /* registrations changed during the call: keep nothing */
    if (st->memo_entries >= SC_MEMO_MAX)
        sc_clear_memos(L);
    lua_pushvalue(L, 1);
    if (lua_isnil(L, -2))
        lua_pushvalue(L, memo); /* the memo itself stands for nil */
    else
        lua_pushvalue(L, -2);
    lua_rawset(L, memo);
    if (st->gen != gen) {
        /* The store made room by collecting, a finalizer registered, and
         * the memos were emptied: undo it (the key is there: no alloc). */
        lua_pushvalue(L, 1);
        lua_pushnil(L);
        lua_rawset(L, memo);
        return;
    }
    st->memo_entries++;
}

int sc_result(lua_State *L, int nargs, unsigned gen)
{
    if (nargs == 1 && lua_istable(L, SC_EXTRA)) {
        size_t len = 0;
        int t = lua_type(L, 1);
        if (t == LUA_TSTRING)
            lua_tolstring(L, 1, &len);
        if (t == LUA_TNUMBER || (t == LUA_TSTRING && len <= SC_MEMO_KEY_MAX))
            sc_memo_store(L, gen);
    }
    return 1;
}

/* ---- registry lookups ---------------------------------------------------- */

/***
 * Looking up a code.
 * What the registry holds about one code: its phrases in English and
 * German, a description, its constant name and status, and the way back
 * from a phrase to its code.  A code the registry lacks gives `nil`, except
 * for `phrase`, which falls back to the heading of the code's class.
 * @section lookup
 */

/***
 * The reason phrase of a code.
 * @function reason
 * @int code
 * @string[opt="en"] lang "en" or "de"
 * @treturn[1] string the phrase, e.g. "Busy Here"
 * @treturn[2] nil when the registry has no such code
 * @usage sip.reason(486, "de") --> "Besetzt"
 */
static int l_reason(lua_State *L)
{
    SC_HOT_ENTRY;
    int code = sc_checkcode(L, 1);
    sipcodes_lang lang = sc_checklang(L, 2);

    sc_checknargs(L, 2);
    if (!sc_push_reason(L, code, lang))
        lua_pushnil(L);
    return sc_result(L, nargs, gen);
}

/***
 * The phrase to send with a code: its reason, else the generic phrase of its
 * class (the RFC 3261 §21 headings, "Request Failure" for an unknown 4xx).
 * Never nil for 100-799.
 * @function phrase
 * @int code
 * @string[opt="en"] lang
 * @treturn[1] string
 * @treturn[2] nil outside 100-799
 * @usage sip.phrase(499) --> "Request Failure"
 */
static int l_phrase(lua_State *L)
{
    SC_HOT_ENTRY;
    int code = sc_checkcode(L, 1);
    sipcodes_lang lang = sc_checklang(L, 2);

    sc_checknargs(L, 2);
    if (!sc_push_reason(L, code, lang))
        sc_pushstring_or_nil(L, sipcodes_class_phrase(code, lang));
    return sc_result(L, nargs, gen);
}

/***
 * A one-sentence description of what a code means.
 * @function description
 * @int code
 * @string[opt="en"] lang
 * @treturn[1] string
 * @treturn[2] nil for an unknown code (or a registration without one)
 */
static int l_description(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    sipcodes_lang lang = sc_checklang(L, 2);
    const sipcodes_entry *e;

    sc_checknargs(L, 2);
    if (sc_push_registered(L, code)) {
        if (!sc_push_registered_text(L, sc_description_field, lang))
            lua_pushnil(L);
        return 1;
    }
    e = sipcodes_lookup(code);
    return sc_pushstring_or_nil(L, e ? e->description[lang] : NULL);
}

/***
 * The constant name of a code, as used in `codes`.
 * @function name
 * @int code
 * @treturn[1] string e.g. "BUSY_HERE"
 * @treturn[2] nil
 */
static int l_name(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    const sipcodes_entry *e;

    sc_checknargs(L, 1);
    if (sc_push_registered(L, code)) {
        lua_getfield(L, -1, "name");
        return 1;
    }
    e = sipcodes_lookup(code);
    return sc_pushstring_or_nil(L, e ? e->name : NULL);
}

/***
 * The registry status of a code.
 * @function status
 * @int code
 * @treturn[1] string "standard", "deprecated", "obsolete" or "nonstandard"
 * @treturn[2] nil
 */
static int l_status(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    const sipcodes_entry *e;

    sc_checknargs(L, 1);
    if (sc_push_registered(L, code)) {
        lua_getfield(L, -1, "status");
        return 1;
    }
    e = sipcodes_lookup(code);
    return sc_pushstring_or_nil(L, e ? sipcodes_status_name(e->status) : NULL);
}

/* Push an array of the RFCs in a "RFC a, RFC b" list of len bytes. */
static void sc_push_rfc_list(lua_State *L, const char *rfc, size_t len)
{
    size_t p = 0;
    int n = 0;

    lua_newtable(L);
    while (p < len) {
        size_t e = p;
        while (e < len && rfc[e] != ',')
            e++;
        lua_pushlstring(L, rfc + p, e - p);
        lua_rawseti(L, -2, ++n);
        p = e + 1;
        while (p < len && rfc[p] == ' ')
            p++;
    }
}

static void sc_setfield_str(lua_State *L, const char *k, const char *v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

static void sc_setfield_int(lua_State *L, const char *k, int v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

/* Push the list of alias phrases of a built-in code. */
static void sc_push_aliases(lua_State *L, int code)
{
    size_t i, n = sipcodes_alias_count();
    int k = 0;

    lua_newtable(L);
    for (i = 0; i < n; i++) {
        const sipcodes_alias *a = sipcodes_alias_at(i);
        if (a->code == code) {
            lua_pushstring(L, a->phrase);
            lua_rawseti(L, -2, ++k);
        }
    }
}

/* Push a fresh info table for a known code. */
static void sc_push_info(lua_State *L, int code)
{
    static const char copied[][16] = {
        "name", "reason", "reason_de", "description", "description_de", "status"
    };
    const sipcodes_entry *e;
    int i;

    lua_createtable(L, 0, 12);
    sc_setfield_int(L, "code", code);
    sc_setfield_int(L, "class", sipcodes_class(code));
    sc_setfield_str(L, "class_name", sipcodes_class_name(code));
    if (sc_push_registered(L, code)) {
        size_t len = 0;
        const char *rfc;
        for (i = 0; i < (int)(sizeof copied / sizeof copied[0]); i++) {
            lua_getfield(L, -1, copied[i]);
            lua_setfield(L, -3, copied[i]);
        }
        lua_getfield(L, -1, "rfc");
        rfc = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : "";
        sc_push_rfc_list(L, rfc, len); /* rfc stays on the stack below */
        lua_setfield(L, -4, "rfc");
        lua_pop(L, 2);
        /* A replaced built-in code keeps its aliases: lookup finds them. */
        sc_push_aliases(L, code);
        lua_setfield(L, -2, "aliases");
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "registered");
        return;
    }
    e = sipcodes_lookup(code);
    sc_setfield_str(L, "name", e->name);
    sc_setfield_str(L, "reason", e->reason[SIPCODES_LANG_EN]);
    sc_setfield_str(L, "reason_de", e->reason[SIPCODES_LANG_DE]);
    sc_setfield_str(L, "description", e->description[SIPCODES_LANG_EN]);
    sc_setfield_str(L, "description_de", e->description[SIPCODES_LANG_DE]);
    sc_setfield_str(L, "status", sipcodes_status_name(e->status));
    sc_push_rfc_list(L, e->rfc, strlen(e->rfc));
    lua_setfield(L, -2, "rfc");
    sc_push_aliases(L, code);
    lua_setfield(L, -2, "aliases");
}

/***
 * Everything the registry holds about a code, in a fresh table:
 * `code, name, reason, reason_de, description, description_de, class,
 * class_name, status, rfc` (a list such as `{"RFC 3261"}`), `aliases` (other
 * phrases stacks send for it, which `lookup` also finds), and
 * `registered = true` for a code added with `register`.
 * @function info
 * @int code
 * @treturn[1] table
 * @treturn[2] nil
 */
static int l_info(lua_State *L)
{
    int code = sc_checkcode(L, 1);

    sc_checknargs(L, 1);
    if (!sc_known(L, code)) {
        lua_pushnil(L);
        return 1;
    }
    sc_push_info(L, code);
    return 1;
}

/* Does the text of key k match one of the texts of the registered entry at
 * the top of the stack (reason, German reason, name)?  Leaves the stack as
 * it was. */
static int sc_registered_matches(lua_State *L, const sipcodes_key *k)
{
    int i, hit = 0;

    for (i = 0; i < 3 && !hit; i++) {
        lua_getfield(L, -1, sc_text_fields[i]);
        if (lua_type(L, -1) == LUA_TSTRING)
            hit = sipcodes_key_matches(k, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    return hit;
}

/* A text's bit: from its slot, so that texts sharing a slot share a bit. */
#define SC_KEYBIT(h) ((unsigned)(SC_KEY_SLOT(h) % SC_KEYBITS))

/* The value the keys table holds for a registered text's key: the code in
 * two bytes, then the key's significant bytes, so that a match is one
 * memcmp.  buf has room for 2 + SIPCODES_KEY_MAX bytes. */
static size_t sc_keyvalue(char *buf, int code, const sipcodes_key *k)
{
    buf[0] = (char)(code >> 8);
    buf[1] = (char)(code & 0xff);
    memcpy(buf + 2, k->sig, k->nsig);
    return 2 + k->nsig;
}

/* The registered code whose text is k, from the keys table at the top of
 * the stack, or 0. */
static int sc_registered_owner(lua_State *L, const sipcodes_key *k)
{
    int code = 0;

    lua_rawgeti(L, -1, SC_KEY_SLOT(k->hash));
    if (lua_type(L, -1) == LUA_TSTRING) {
        size_t vlen;
        const unsigned char *v = (const unsigned char *)lua_tolstring(L, -1, &vlen);
        if (vlen == k->nsig + 2 && memcmp(v + 2, k->sig, k->nsig) == 0)
            code = v[0] << 8 | v[1];
    } else if (lua_toboolean(L, -1)) {
        /* Two registered texts share the hash: ask each entry. */
        lua_pushnil(L);
        while (!code && lua_next(L, SC_REG)) {
            if (lua_istable(L, -1) && sc_registered_matches(L, k))
                code = (int)lua_tointeger(L, -2);
            lua_pop(L, 1);
        }
        if (code)
            lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return code;
}

/* The code whose phrase (English or German), alias or name matches text
 * under sipcodes_find's comparison: this state's registrations first (a
 * replaced phrase wins), then the built-in registry; 0 if none.  A
 * registered text is found through the keys table (its hash -> code and
 * key), behind a bit set per hash, so a lookup costs the same however many
 * codes are registered, and nothing more when its bit is clear. */
static int sc_owner(lua_State *L, const sc_state *st, const char *text, size_t len)
{
    sipcodes_key k;
    int code = 0;

    /* One pass over the text, for the registrations and the registry. */
    sipcodes_key_init_upto(&k, text, len, st->keymax);
    if (k.nsig == 0 || k.nsig > st->keymax)
        return 0;
    if (st->nreg && (st->keybits[SC_KEYBIT(k.hash) / 8] >> (SC_KEYBIT(k.hash) % 8) & 1)) {
        sc_getslot(L, SC_S_KEYS);
        if (lua_istable(L, -1))
            code = sc_registered_owner(L, &k);
        lua_pop(L, 1);
    }
    return code ? code : sipcodes_find_key(&k);
}

/***
 * Find a code by its reason phrase (English or German), by an alias that
 * real stacks send, or by its constant name, ignoring case, spaces and
 * punctuation.  An alias is a phrase such as "Internal Server Error", which
 * sofia-sip sends for 500.  Where two codes share a phrase
 * (406 and 606 "Not Acceptable") the lower one.  A text over 8192 bytes is
 * refused before it is read.
 * @function lookup
 * @string text
 * @treturn[1] int code
 * @treturn[2] nil when nothing matches
 * @treturn[3] nil
 * @treturn[3] string "input longer than 8192 bytes"
 * @usage sip.lookup("busy here") --> 486
 */
static int l_lookup(lua_State *L)
{
    const sc_state *st = sc_state_of(L);
    int nargs = lua_gettop(L);
    unsigned gen = st->gen; /* SC_HOT_ENTRY, with the state read once */
    size_t len;
    const char *text;
    int code;

    if (lua_type(L, 1) != LUA_TSTRING)
        sc_typeerror(L, 1, "string");
    sc_checknargs(L, 1);
    text = lua_tolstring(L, 1, &len);
    if (len > SIPCODES_MAX_LINE) {
        lua_pushnil(L);
        lua_pushfstring(L, "input longer than %d bytes", SIPCODES_MAX_LINE);
        return 2;
    }
    code = sc_owner(L, st, text, len);
    if (code)
        lua_pushinteger(L, code);
    else
        lua_pushnil(L);
    return sc_result(L, nargs, gen);
}

/* ---- classification ------------------------------------------------------ */

/***
 * Classification.
 * The class of a code and the range predicates of RFC 3261.  They take any
 * code, known or not: a predicate is false outside its range, and `class`,
 * `class_name` and `equivalent` give `nil` where a code has no class.
 * @section classification
 */

/***
 * The class digit of a code: 1 to 6, and 7 for the 7xx stack codes.
 * @function class
 * @int code
 * @treturn[1] int
 * @treturn[2] nil outside 100-799
 */
static int l_class(lua_State *L)
{
    SC_HOT_ENTRY;
    int c = sipcodes_class(sc_checkcode(L, 1));

    sc_checknargs(L, 1);
    if (c)
        lua_pushinteger(L, c);
    else
        lua_pushnil(L);
    return sc_result(L, nargs, gen);
}

/***
 * The class of a code as a name: "provisional", "success", "redirection",
 * "client_failure", "server_failure", "global_failure" or "stack_error".
 * @function class_name
 * @int code
 * @treturn[1] string
 * @treturn[2] nil outside 100-799
 */
static int l_class_name(lua_State *L)
{
    int code = sc_checkcode(L, 1);

    sc_checknargs(L, 1);
    return sc_pushstring_or_nil(L, sipcodes_class_name(code));
}

/***
 * What a UAC that does not know a code treats it as (RFC 3261 §8.1.3.2):
 * a known code (a registered one too) is itself, an unknown 1xx is 183, an
 * unknown final code the x00 of its class (431 -> 400).
 * @function equivalent
 * @int code
 * @treturn[1] int
 * @treturn[2] nil outside 100-699
 */
static int l_equivalent(lua_State *L)
{
    SC_HOT_ENTRY;
    int code = sc_checkcode(L, 1);

    sc_checknargs(L, 1);
    if (!sipcodes_is_valid(code))
        lua_pushnil(L);
    else if (sc_known(L, code))
        lua_pushinteger(L, code);
    else
        lua_pushinteger(L, sipcodes_equivalent(code));
    return sc_result(L, nargs, gen);
}

/***
 * Is the code in the registry (or registered in this state)?
 * @function is_known
 * @int code
 * @treturn boolean
 */
static int l_is_known(lua_State *L)
{
    int code = sc_checkcode(L, 1);

    sc_checknargs(L, 1);
    lua_pushboolean(L, sc_known(L, code));
    return 1;
}

/* The predicates are the core's two rules, nothing else: a code valid on
 * the wire (sipcodes_is_valid) whose class (sipcodes_class) is lo to hi. */
static int sc_in_classes(lua_State *L, int lo, int hi)
{
    SC_HOT_ENTRY;
    int code = sc_checkcode(L, 1);
    int c = sipcodes_class(code);

    sc_checknargs(L, 1);
    lua_pushboolean(L, sipcodes_is_valid(code) && c >= lo && c <= hi);
    return sc_result(L, nargs, gen);
}

/***
 * Is the code one that may go on the wire, 100-699?
 * The 7xx stack codes are not: they never leave the stack that made them.
 * @function is_valid
 * @int code
 * @treturn boolean
 * @usage sip.is_valid(701) --> false
 */
/***
 * Is the code provisional, 1xx?
 * @function is_provisional
 * @int code
 * @treturn boolean
 */
/***
 * Is the code final, 200-699?
 * @function is_final
 * @int code
 * @treturn boolean
 * @usage sip.is_final(180) --> false
 */
/***
 * Is the code a success, 2xx?
 * @function is_success
 * @int code
 * @treturn boolean
 */
/***
 * Is the code a redirection, 3xx?
 * @function is_redirection
 * @int code
 * @treturn boolean
 */
/***
 * Is the code a client failure, 4xx?
 * @function is_client_failure
 * @int code
 * @treturn boolean
 */
/***
 * Is the code a server failure, 5xx?
 * @function is_server_failure
 * @int code
 * @treturn boolean
 */
/***
 * Is the code a global failure, 6xx?
 * @function is_global_failure
 * @int code
 * @treturn boolean
 */
/***
 * Is the code a failure of any class, 300-699?
 * Everything final that is not a success counts, redirections included.
 * @function is_failure
 * @int code
 * @treturn boolean
 * @usage sip.is_failure(302) --> true
 */
#define SC_CLASSES(name, lo, hi) \
    static int l_##name(lua_State *L) { return sc_in_classes(L, lo, hi); }
SC_CLASSES(is_valid, 1, 6)
SC_CLASSES(is_provisional, 1, 1)
SC_CLASSES(is_final, 2, 6)
SC_CLASSES(is_success, 2, 2)
SC_CLASSES(is_redirection, 3, 3)
SC_CLASSES(is_client_failure, 4, 4)
SC_CLASSES(is_server_failure, 5, 5)
SC_CLASSES(is_global_failure, 6, 6)
SC_CLASSES(is_failure, 3, 6)
#undef SC_CLASSES

/* ---- iteration ------------------------------------------------------------ */

/***
 * The whole registry and codes of your own.
 * Walking every code, the constant names, and adding codes to one
 * lua_State.
 * @section registry
 */

/* Iterator of each(): (class or 0, previous code) -> next code, info.
 * Built-in and registered codes are merged in ascending order. */
static int l_each_next(lua_State *L)
{
    lua_Integer cls = lua_tointeger(L, 1);
    lua_Integer prev_arg = lua_tointeger(L, 2);
    int lo, hi, prev, next = 0, c;

    /* The iterator may be called by hand with anything: clamp the state so
     * the scan below stays within the registry's range. */
    if (cls < 0 || cls > 7)
        cls = 0;
    lo = cls ? (int)cls * 100 : SIPCODES_MIN_CODE;
    hi = cls ? (int)cls * 100 + 99 : SIPCODES_MAX_CODE;
    prev = prev_arg < lo - 1 ? lo - 1 : prev_arg > hi ? hi : (int)prev_arg;

    for (c = prev + 1; c <= hi; c++) {
        if (sipcodes_lookup(c)) {
            next = c;
            break;
        }
    }
    /* Registrations are few: one pass for the smallest code above prev. */
    if (sc_state_of(L)->nreg)
        lua_pushnil(L);
    while (sc_state_of(L)->nreg && lua_next(L, SC_REG)) {
        int r = (int)lua_tointeger(L, -2);
        if (r > prev && r <= hi && (!next || r < next))
            next = r;
        lua_pop(L, 1);
    }
    if (!next) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushinteger(L, next);
    sc_push_info(L, next);
    return 2;
}

/***
 * Iterate over the registry in ascending code order, codes added with
 * `register` included.
 * Each step gives a code and its `info` table:
 * `for code, info in sip.each(4) do print(code, info.reason) end`.
 * @function each
 * @int[opt] class only codes of this class (1-7)
 * @treturn function iterator giving code and an info table
 */
static int l_each(lua_State *L)
{
    int cls = 0;

    if (!lua_isnoneornil(L, 1)) {
        cls = sc_checkcode(L, 1);
        if (cls < 1 || cls > 7)
            sc_argerror(L, 1, "class must be 1 to 7");
    }
    sc_checknargs(L, 1);
    sc_pushfunc(L, l_each_next, "each", 0);
    lua_pushinteger(L, cls);
    lua_pushinteger(L, cls ? cls * 100 - 1 : SIPCODES_MIN_CODE - 1);
    return 3;
}

/* ---- constants ------------------------------------------------------------ */

/* The code whose constant name is exactly name[0..len), registered or built
 * in; 0 if none.  Only called with valid constant names (64 bytes at most). */
static int sc_code_of(lua_State *L, const char *name, size_t len)
{
    if (sc_state_of(L)->nreg)
        lua_pushnil(L);
    while (sc_state_of(L)->nreg && lua_next(L, SC_REG)) {
        size_t nlen;
        const char *n;
        lua_getfield(L, -1, "name");
        n = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &nlen) : NULL;
        if (n && nlen == len && memcmp(n, name, len) == 0) {
            int code = (int)lua_tointeger(L, -3);
            lua_pop(L, 3);
            return code;
        }
        lua_pop(L, 2);
    }
    return sipcodes_code_of_name(name, len);
}

/***
 * Constant names for codes, from the registry's UPPER_SNAKE names:
 * `sipcodes.codes.BUSY_HERE == 486`.  Read-only and strict: a name that no
 * code has raises `sipcodes.codes has no code named 'X'`, an assignment
 * raises `sipcodes.codes is read-only`.  Codes added with `register` get
 * their name here too.  Only names that exist are remembered, so indexing
 * it with text from the network costs no memory.
 * @table codes
 */

/* __index of the cache behind codes: the name's code, remembered, or an
 * error (also for a key that is no constant name, which is not kept). */
static int l_codes_index(lua_State *L)
{
    size_t len;
    const char *name;
    int code = 0;
    unsigned gen = sc_state_of(L)->gen;

    if (lua_type(L, 2) != LUA_TSTRING)
        return luaL_error(L, "sipcodes.codes is indexed by name, not by %s",
                          luaL_typename(L, 2));
    name = lua_tolstring(L, 2, &len);
    if (sipcodes_is_const_name(name, len))
        code = sc_code_of(L, name, len);
    if (!code)
        return luaL_error(L, "sipcodes.codes has no code named '%s'",
                          sc_pushshown(L, name, len));
    lua_pushvalue(L, 2);
    lua_pushinteger(L, code);
    lua_rawset(L, 1);
    if (sc_state_of(L)->gen != gen) {
        /* A register() came during the store: the name may mean another
         * code now, so it is not kept (the key is there: no alloc). */
        lua_pushvalue(L, 2);
        lua_pushnil(L);
        lua_rawset(L, 1);
    }
    lua_pushinteger(L, code);
    return 1;
}

static int l_codes_newindex(lua_State *L)
{
    return luaL_error(L, "sipcodes.codes is read-only");
}

/* Push the codes table of this state, making it on first use: an empty
 * proxy (so that every assignment reaches __newindex) whose __index is the
 * plain cache table, whose own __index is l_codes_index.  A repeated
 * codes.X costs two table lookups and no call. */
static void sc_push_codes(lua_State *L)
{
    sc_getslot(L, SC_S_CODES);
    if (lua_istable(L, -1))
        return;
    lua_pop(L, 1);
    lua_newtable(L);                 /* the proxy */
    lua_createtable(L, 0, 3);        /* its metatable */
    sc_slottable(L, SC_S_NAMES);     /* the cache */
    lua_createtable(L, 0, 1);
    sc_pushfunc(L, l_codes_index, "codes", 0);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_setfield(L, -2, "__index");
    sc_pushfunc(L, l_codes_newindex, "codes", 0);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    sc_setslot(L, SC_S_CODES);
}

/* ---- registration ---------------------------------------------------------- */

/* Longest phrase, and longest other text, a registration takes: a registry
 * entry is a name for a code, not a document. */
#define SC_REG_PHRASE_MAX 128
#define SC_REG_TEXT_MAX 1024

/* Derive BUSY_HERE from "Busy Here": letters and digits upper-cased, every
 * other run of bytes one '_'. */
static void sc_push_derived_name(lua_State *L, const char *s, size_t len)
{
    char buf[SIPCODES_MAX_NAME];
    size_t i, n = 0;
    int gap = 0;

    for (i = 0; i < len && n < sizeof buf; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            if (gap && n > 0 && n < sizeof buf)
                buf[n++] = '_';
            if (n < sizeof buf)
                buf[n++] = (char)((c >= 'a' && c <= 'z') ? c - 32 : c);
            gap = 0;
        } else {
            gap = 1;
        }
    }
    lua_pushlstring(L, buf, n);
}

/* The options of register(): the texts, copied into the entry as given,
 * then status and replace. */
#define SC_REGISTER_TEXTS(X) X(name) X(reason_de) X(description) X(description_de) X(rfc)
#define SC_OPT_NAME(n) #n "\0"
#define SC_OPT_ELEM(n) #n,
#define SC_REGISTER_OPTS SC_REGISTER_TEXTS(SC_OPT_NAME) "status\0replace\0"


/* A registered phrase (reason or reason_de at idx): the wire rule, not
 * empty, no padding, at most SC_REG_PHRASE_MAX bytes.  Raises at arg; what
 * names an option (NULL for the phrase argument itself). */
static void sc_check_registered_phrase(lua_State *L, int idx, int arg, const char *what)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    sipcodes_error err;

    if (len > SC_REG_PHRASE_MAX)
        sc_argerror(L, arg, lua_pushfstring(L, "%s longer than %d bytes",
                                            what ? what : "reason", SC_REG_PHRASE_MAX));
    if (sipcodes_check_reason_phrase(s, len, SIPCODES_PHRASE_NONEMPTY | SIPCODES_PHRASE_TRIMMED,
                                     &err))
        sc_argerror(L, arg, sc_pushwhy(L, what, &err, len));
}

/* What register() builds before it commits: the keys table's bits and the
 * longest registered key. */
typedef struct {
    unsigned char bits[SC_KEYBITS / 8];
    unsigned keymax;
} sc_keyset;

/* Add the keys of the entry at idx (reason, reason_de, name) for code to
 * the keys table at keys, and to ks. */
static void sc_add_keys(lua_State *L, int keys, int idx, int code, sc_keyset *ks)
{
    int i;

    for (i = 0; i < 3; i++) {
        lua_getfield(L, idx, sc_text_fields[i]);
        if (lua_type(L, -1) == LUA_TSTRING) {
            size_t len, vlen, olen;
            const char *t = lua_tolstring(L, -1, &len);
            char v[2 + SIPCODES_KEY_MAX];
            sipcodes_key k;
            lua_Integer h;

            /* A registered text has at most SC_REG_PHRASE_MAX bytes. */
            sipcodes_key_init(&k, t, len);
            if (k.nsig == 0 || k.nsig > SIPCODES_KEY_MAX) {
                lua_pop(L, 1);
                continue;
            }
            h = SC_KEY_SLOT(k.hash);
            vlen = sc_keyvalue(v, code, &k);
            lua_rawgeti(L, keys, h);
            if (lua_isnil(L, -1)) {
                lua_pushlstring(L, v, vlen);
                lua_rawseti(L, keys, h);
            } else if (lua_type(L, -1) == LUA_TSTRING) {
                const char *o = lua_tolstring(L, -1, &olen);
                if (olen != vlen || memcmp(o, v, vlen) != 0) {
                    lua_pushboolean(L, 1);
                    lua_rawseti(L, keys, h);
                }
            }
            lua_pop(L, 1);
            ks->bits[SC_KEYBIT(k.hash) / 8] |= (unsigned char)(1u << (SC_KEYBIT(k.hash) % 8));
            if (k.nsig > ks->keymax)
                ks->keymax = (unsigned)k.nsig;
        }
        lua_pop(L, 1);
    }
}

/***
 * Add a code (or replace a phrase) for this lua_State only: other states,
 * other Kamailio workers and other FreeSWITCH scripts never see it.  The
 * entry then shows in reason, phrase, info, name, lookup, each, codes,
 * status, is_known and equivalent (a registered 1xx-6xx code is its own
 * equivalent).  Without `reason_de`, German gets the English phrase
 * (`reason(code, "de")`, `phrase(code, "de")`), and without
 * `description_de` the English description; `info` shows only the fields
 * given.  Misuse raises: a code outside 100-799, a phrase
 * that is empty, longer than 128 bytes, padded with white space or not
 * what a Status-Line may carry (the rule of `format_status_line`), an
 * unknown option, a name that is not UPPER_SNAKE or is taken, a phrase or
 * name that already names another code, and a code that is already known
 * unless `replace = true`.  All or nothing: a registration that raises
 * (a memory error too) leaves the state as it was.
 * @function register
 * @int code 100-799
 * @string reason the phrase to send
 * @tab[opt] opts `name` (default derived from reason), `reason_de`,
 *   `description`, `description_de`, `status` (default "nonstandard"),
 *   `rfc` ("RFC 1234" list), `replace` (allow replacing a known code)
 * @treturn int code
 * @usage sip.register(799, "Vendor Thing") --> 799
 */
static int l_register(lua_State *L)
{
    static const char strs[][16] = {SC_REGISTER_TEXTS(SC_OPT_ELEM)};
    int code = sc_checkcode(L, 1);
    int replace, i, was_registered;
    unsigned gen = sc_state_of(L)->gen;
    const sipcodes_entry *builtin;
    sc_keyset ks;
    sc_state *st;

    if (lua_type(L, 2) != LUA_TSTRING)
        sc_typeerror(L, 2, "string");
    if (!lua_isnoneornil(L, 3) && !lua_istable(L, 3))
        sc_typeerror(L, 3, "table");
    sc_checknargs(L, 3);
    if (code < SIPCODES_MIN_CODE || code > SIPCODES_MAX_CODE)
        sc_argerror(L, 1, "code must be 100 to 799");
    sc_check_registered_phrase(L, 2, 2, NULL);
    lua_settop(L, 3);
    if (lua_isnil(L, 3)) {
        lua_newtable(L);
        lua_replace(L, 3);
    }
    /* Unknown option names are misuse, not something to ignore. */
    sc_checkoptnames(L, 3, SC_REGISTER_OPTS);
    lua_getfield(L, 3, "replace");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TBOOLEAN)
        return sc_argerror(L, 3, "option 'replace' must be a boolean");
    replace = lua_toboolean(L, -1);
    lua_pop(L, 1);

    builtin = sipcodes_lookup(code);
    was_registered = sc_push_registered(L, code);
    if (was_registered)
        lua_pop(L, 1);
    if (!replace && (builtin || was_registered)) {
        size_t olen = 0;
        const char *old = "";
        if (sc_push_reason(L, code, SIPCODES_LANG_EN))
            old = lua_tolstring(L, -1, &olen);
        return sc_argerror(
            L, 1, lua_pushfstring(L, "code %d is already registered as '%s'; "
                                     "pass replace = true to replace it",
                                  code, sc_pushshown(L, old, olen)));
    }

    /* The new entry (index 4), field by field, each checked for its type.
     * Every value read from opts is copied into it, so nothing an __index
     * of opts computes can change or vanish while it is checked. */
    lua_createtable(L, 0, 8);
    lua_pushvalue(L, 2);
    lua_setfield(L, 4, "reason");
    for (i = 0; i < (int)(sizeof strs / sizeof strs[0]); i++) {
        lua_getfield(L, 3, strs[i]);
        if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
            return sc_argerror(L, 3, lua_pushfstring(L, "option '%s' must be a string", strs[i]));
        if (!lua_isnil(L, -1) && lua_rawlen(L, -1) > SC_REG_TEXT_MAX)
            return sc_argerror(L, 3, lua_pushfstring(L, "option '%s' longer than %d bytes",
                                                     strs[i], SC_REG_TEXT_MAX));
        lua_setfield(L, 4, strs[i]);
    }
    lua_getfield(L, 4, "reason_de");
    if (!lua_isnil(L, -1))
        sc_check_registered_phrase(L, -1, 3, "option 'reason_de'");
    lua_pop(L, 1);

    lua_getfield(L, 3, "status");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushstring(L, builtin && replace ? sipcodes_status_name(builtin->status)
                                             : "nonstandard");
    } else {
        if (sc_oneof(L, -1, "standard\0deprecated\0obsolete\0nonstandard\0") < 0)
            return sc_argerror(L, 3, "option 'status' must be one of "
                                     "standard, deprecated, obsolete, nonstandard");
    }
    lua_setfield(L, 4, "status");

    /* The name: given, kept from the built-in entry being replaced, or
     * derived from the phrase.  It must be UPPER_SNAKE and stay unique. */
    lua_getfield(L, 4, "name");
    if (lua_isnil(L, -1)) {
        size_t rlen;
        const char *reason = lua_tolstring(L, 2, &rlen);
        lua_pop(L, 1);
        if (builtin)
            lua_pushstring(L, builtin->name);
        else
            sc_push_derived_name(L, reason, rlen);
    }
    {
        size_t nlen;
        const char *name = lua_tolstring(L, -1, &nlen);
        int owner;
        if (!sipcodes_is_const_name(name, nlen))
            return sc_argerror(L, 3, lua_pushfstring(
                L, "name '%s' is not UPPER_SNAKE of at most 64 bytes (give opts.name)",
                sc_pushshown(L, name, nlen)));
        owner = sc_code_of(L, name, nlen);
        if (owner && owner != code)
            return sc_argerror(L, 3, lua_pushfstring(L, "name '%s' is taken by code %d",
                                                     name, owner));
    }
    lua_setfield(L, 4, "name");

    /* lookup() must keep finding every other code by its phrases: a new
     * phrase or name that already names another code is refused. */
    for (i = 0; i < 3; i++) {
        size_t tlen;
        const char *t;
        int owner;
        lua_getfield(L, 4, sc_text_fields[i]);
        t = lua_tolstring(L, -1, &tlen);
        owner = t ? sc_owner(L, sc_state_of(L), t, tlen) : 0;
        if (owner && owner != code)
            return sc_argerror(L, i == 0 ? 2 : 3,
                               lua_pushfstring(L, "%s '%s' already names code %d", sc_text_fields[i],
                                               sc_pushshown(L, t, tlen), owner));
        lua_pop(L, 1);
    }

    /* The keys table lookup() will use, built whole before anything is
     * changed: every other registration's texts, then this entry's. */
    memset(&ks, 0, sizeof ks);
    ks.keymax = (unsigned)sipcodes_key_longest();
    lua_newtable(L); /* 5 */
    lua_pushnil(L);
    while (lua_next(L, SC_REG)) {
        int other = (int)lua_tointeger(L, -2);
        if (other != code && lua_istable(L, -1))
            sc_add_keys(L, 5, lua_gettop(L), other, &ks);
        lua_pop(L, 1);
    }
    sc_add_keys(L, 5, 4, code, &ks);

    /* The checks above hold for the registrations as they were when this
     * call began; an __index of opts (or a finalizer) that registered in
     * the meantime would make them stale. */
    if (sc_state_of(L)->gen != gen)
        return luaL_error(L, "register: another registration happened while this one "
                             "read its options; nothing was registered");

    /* Commit.  The rawseti is the only step that may fail (a new key can
     * grow the table); what follows stores into a slot that exists, counts
     * in C and sets existing keys to nil, none of which allocates. */
    lua_pushvalue(L, 4);
    lua_rawseti(L, SC_REG, code);
    st = sc_state_of(L);
    if (!was_registered)
        st->nreg++;
    st->gen++;
    memcpy(st->keybits, ks.bits, sizeof st->keybits);
    st->keymax = ks.keymax;
    sc_setslot(L, SC_S_KEYS);
    sc_clearslot(L, SC_S_NAMES);
    sc_clearslot(L, SC_S_PHRASES);
    sc_clear_memos(L);
    lua_pushinteger(L, code);
    return 1;
}

/***
 * The version of the library, such as "0.1.0".
 * @field _VERSION
 */
/*** @section end */

/* ---- the module tables ---------------------------------------------------- */

/* The function called k[0..len), from every binding file, or NULL. */
static lua_CFunction sc_find_func(const char *k, size_t len, unsigned *flags)
{
    lua_CFunction f;

    if ((f = sc_registry_find(k, len, flags)) || (f = sc_proto_find(k, len, flags)) ||
        (f = sc_interop_find(k, len, flags)) || (f = sc_kamailio_find(k, len, flags)) ||
        (f = sc_freeswitch_find(k, len, flags)) || (f = sc_policy_find(k, len, flags)) ||
        (f = sc_outcome_find(k, len, flags)) || (f = sc_kpi_find(k, len, flags)))
        return f;
    return NULL;
}

/* __index of sipcodes.core: the functions are made on first use and stored
 * in the table, so the next access finds them directly.  A host that makes
 * a fresh lua_State per call (FreeSWITCH) pays for the functions its script
 * uses, not for all of them. */
static int l_core_index(lua_State *L)
{
    size_t len;
    const char *k;
    lua_CFunction f;
    unsigned flags;

    if (lua_type(L, 2) != LUA_TSTRING)
        return 0;
    k = lua_tolstring(L, 2, &len);
    if ((f = sc_find_func(k, len, &flags)) == NULL)
        return 0;
    sc_pushfunc(L, f, k, 0);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    return 1;
}

/* Push the wrapper factory of a module (its SC_EXTRA): the function, or
 * require of the module it names.  A require that fails (for lack of
 * memory, say) is undone: Lua 5.1 and LuaJIT would otherwise keep a marker
 * in package.loaded and refuse the module for the rest of the state. */
static void sc_push_wrap(lua_State *L)
{
    int loaded;

    if (lua_type(L, SC_EXTRA) != LUA_TSTRING) {
        lua_pushvalue(L, SC_EXTRA);
        return;
    }
    lua_getfield(L, LUA_REGISTRYINDEX, "_LOADED");
    loaded = lua_gettop(L);
    lua_pushvalue(L, SC_EXTRA);
    lua_rawget(L, loaded);
    if (lua_isfunction(L, -1)) {
        lua_remove(L, loaded);
        return;
    }
    lua_pop(L, 1);
    sc_pushglobals(L);
    lua_getfield(L, -1, "require");
    lua_remove(L, -2);
    lua_pushvalue(L, SC_EXTRA);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        size_t len = 0;
        const char *e = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : "";
        lua_pushvalue(L, SC_EXTRA);
        lua_rawget(L, loaded);
        if (!lua_isnil(L, -1)) {
            lua_pushvalue(L, SC_EXTRA);
            lua_pushnil(L);
            lua_rawset(L, loaded);
        }
        lua_pop(L, 1);
        /* require words a memory error of its loader as "error loading
         * module ...:\n\tnot enough memory": it is a memory error, and
         * comes out as one. */
        if (len >= 17 && memcmp(e + len - 17, "not enough memory", 17) == 0) {
            lua_pushliteral(L, "not enough memory");
            lua_replace(L, -2);
        }
        lua_error(L);
    }
    lua_remove(L, loaded);
}

/* __index of a public module: the core's function (the same closure), or,
 * for a hot function of a module made with a wrapper, the wrapper's
 * function over a closure with its own memo.  Upvalue 4 is the wrapper. */
static int l_module_index(lua_State *L)
{
    size_t len;
    const char *k;
    lua_CFunction f;
    unsigned flags;

    if (lua_type(L, 2) != LUA_TSTRING)
        return 0;
    k = lua_tolstring(L, 2, &len);
    if (len == 5 && memcmp(k, "codes", 5) == 0) {
        /* Made on first use too: a script that never names a code pays
         * nothing for the table. */
        sc_push_codes(L);
        lua_pushvalue(L, 2);
        lua_pushvalue(L, -2);
        lua_rawset(L, 1);
        return 1;
    }
    if ((f = sc_find_func(k, len, &flags)) == NULL || !(flags & SC_PUBLIC))
        return 0;
    if ((flags & SC_HOT) && !lua_isnil(L, SC_EXTRA)) {
        int memo;
        lua_newtable(L);
        memo = lua_gettop(L);
        sc_push_wrap(L);
        sc_pushfunc(L, f, k, memo);
        lua_pushvalue(L, memo);
        lua_call(L, 2, 1); /* wrap(f, memo) */
        if (!lua_isfunction(L, -1))
            return luaL_error(L, "sipcodes: the module's wrapper gave a %s, not a function",
                              luaL_typename(L, -1));
        /* Remembered: the memo, for register() to empty; the wrapper, so
         * that an argument error points past it to the script. */
        sc_weaktable(L, SC_S_MEMOS);
        lua_pushvalue(L, memo);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
        lua_pop(L, 1);
        /* (A C function is no wrapper whose frame a position could hide
         * behind: only Lua functions are taken.) */
        if (!lua_iscfunction(L, -1)) {
            sc_weaktable(L, SC_S_WRAPPERS);
            lua_pushvalue(L, -2);
            lua_pushboolean(L, 1);
            lua_rawset(L, -3);
            lua_pop(L, 1);
        }
        lua_remove(L, memo);
    } else {
        sc_getslot(L, SC_S_CORE);
        lua_pushvalue(L, 2);
        lua_gettable(L, -2);
        lua_remove(L, -2);
    }
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    return 1;
}

/* module([wrap]): the table `require "sipcodes"` returns.  wrap, for the
 * hot functions: a function(f, memo) that returns what stands in front of
 * f, or the name of a module that returns such a function, required when
 * the first hot function is made (so a state that never uses one never
 * loads it). */
static int l_module(lua_State *L)
{
    if (!lua_isnoneornil(L, 1) && !lua_isfunction(L, 1) && lua_type(L, 1) != LUA_TSTRING)
        sc_typeerror(L, 1, "function or module name");
    sc_checknargs(L, 1);
    lua_settop(L, 1);
    lua_createtable(L, 0, 8);
    lua_pushliteral(L, SIPCODES_VERSION);
    lua_setfield(L, -2, "_VERSION");
    lua_createtable(L, 0, 2);
    sc_pushfunc(L, l_module_index, "sipcodes", 1);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0); /* the state behind it is no script's business */
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    return 1;
}

#define SC_REGISTRY_FUNCS(X) \
    X(class, SC_PUBLIC | SC_HOT) X(class_name, SC_PUBLIC) X(description, SC_PUBLIC) \
    X(each, SC_PUBLIC) X(equivalent, SC_PUBLIC | SC_HOT) X(info, SC_PUBLIC) \
    X(is_client_failure, SC_PUBLIC) X(is_failure, SC_PUBLIC) \
    X(is_final, SC_PUBLIC | SC_HOT) X(is_global_failure, SC_PUBLIC) X(is_known, SC_PUBLIC) \
    X(is_provisional, SC_PUBLIC) X(is_redirection, SC_PUBLIC) X(is_server_failure, SC_PUBLIC) \
    X(is_success, SC_PUBLIC) X(is_valid, SC_PUBLIC) X(lookup, SC_PUBLIC | SC_HOT) \
    X(module, 0) X(name, SC_PUBLIC) X(phrase, SC_PUBLIC | SC_HOT) \
    X(reason, SC_PUBLIC | SC_HOT) X(register, SC_PUBLIC) X(status, SC_PUBLIC)

lua_CFunction sc_registry_find(const char *k, size_t len, unsigned *flags)
{
    SC_REGISTRY_FUNCS(SC_FIND)
    return NULL;
}

SIPCODES_API int luaopen_sipcodes_core(lua_State *L);

int luaopen_sipcodes_core(lua_State *L)
{
    sc_state *st;

    lua_settop(L, 0); /* require's arguments: the name, the file */
    lua_createtable(L, 0, 4);                   /* 1: sipcodes.core */
    lua_pushliteral(L, SIPCODES_VERSION);
    lua_setfield(L, 1, "_VERSION");
    lua_createtable(L, 0, 2);                   /* 2: its metatable */
    lua_newtable(L);                            /* upvalues: registrations, */
    lua_pushliteral(L, "sipcodes.core");        /* name, */
    st = (sc_state *)sc_newuserdata(L, sizeof *st); /* the state, */
    memset(st, 0, sizeof *st);
    st->keymax = (unsigned)sipcodes_key_longest();
    lua_createtable(L, SC_NSLOTS, 0);           /* its slots, all there */
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, SC_S_CORE);
    for (int i = SC_S_CORE + 1; i <= SC_NSLOTS; i++) {
        lua_pushboolean(L, 0); /* false: empty, but there */
        lua_rawseti(L, -2, i);
    }
    sc_setuservalue(L, -2);
    lua_pushnil(L);
    lua_pushcclosure(L, l_core_index, SC_NUPVALUES);
    lua_setfield(L, 2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, 2, "__metatable");
    lua_setmetatable(L, 1);
    return 1;
}
