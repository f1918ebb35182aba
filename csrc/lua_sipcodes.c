/***
 * sipcodes.core - the Lua binding of the registry and the classification
 * rules.  Use it through `require "sipcodes"`, which re-exports these
 * functions; the core module itself is an implementation detail.
 *
 * Error convention (the same on Lua 5.1, 5.2, 5.3, 5.4 and LuaJIT): a wrong
 * argument type, count or option raises `bad argument #n to 'f' (...)`; a
 * code the registry does not hold gives `nil`.  A code is a number (or a
 * numeric string) with an exact C int value; 486.5, NaN, +-inf and 2^40
 * raise `number has no integer representation`.
 * @module sipcodes
 */
#include <limits.h>
#include <string.h>

#include "lua_sipcodes.h"

/* ---- argument helpers (shared with the other binding files) ------------- */

/* The name of the running C function as sipcodes.core knows it, or NULL:
 * the key under which package.loaded["sipcodes.core"] holds the function
 * at the top of the stack.  Only called on the error path. */
static const char *sc_own_name(lua_State *L)
{
    /* The FreeSWITCH adapter re-exports C functions of its own. */
    static const char *const modules[] = {"sipcodes.core", "sipcodes.freeswitch"};
    const char *name = NULL;
    int m;

    lua_getfield(L, LUA_REGISTRYINDEX, "_LOADED");
    for (m = 0; m < 2 && !name && lua_istable(L, -1); m++) {
        lua_getfield(L, -1, modules[m]);
        if (lua_istable(L, -1)) {
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                if (lua_rawequal(L, -1, -5) && lua_type(L, -2) == LUA_TSTRING) {
                    name = lua_tostring(L, -2); /* anchored in the table */
                    lua_pop(L, 2);
                    break;
                }
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return name;
}

/* luaL_argerror with one difference: when the call site gives no name (a
 * call through pcall, or a tail call), the function's name in sipcodes.core
 * is used, so that the message is the same on every Lua version and however
 * the function was called (5.3+ would say 'sipcodes.core.reason', 5.1 '?'). */
int sc_argerror(lua_State *L, int arg, const char *msg)
{
    lua_Debug ar;
    const char *name = NULL;

    if (lua_getstack(L, 0, &ar)) {
        lua_getinfo(L, "nf", &ar);
        name = ar.name;
        if (!name)
            name = sc_own_name(L);
    }
    return luaL_error(L, "bad argument #%d to '%s' (%s)", arg,
                      name ? name : "?", msg);
}

int sc_typeerror(lua_State *L, int arg, const char *expected)
{
    const char *msg = lua_pushfstring(L, "%s expected, got %s", expected,
                                      luaL_typename(L, arg));
    return sc_argerror(L, arg, msg);
}

void sc_checknargs(lua_State *L, int max)
{
    int n = lua_gettop(L);

    /* Trailing nils are not arguments: f(x, nil) is f(x), the way Lua
     * functions see it, and the Lua layer's fast paths may pass them on. */
    while (n > max && lua_isnil(L, n))
        n--;

    if (n > max) {
        const char *msg = lua_pushfstring(
            L, "no more than %d argument%s expected, got %d", max,
            max == 1 ? "" : "s", n);
        sc_argerror(L, max + 1, msg);
    }
}

int sc_checkopts(lua_State *L, int arg, const char *const names[])
{
    if (lua_isnoneornil(L, arg))
        return 0;
    if (!lua_istable(L, arg))
        sc_typeerror(L, arg, "table");
    sc_checkoptnames(L, arg, names);
    return 1;
}

void sc_checkoptnames(lua_State *L, int arg, const char *const names[])
{
    lua_pushnil(L);
    while (lua_next(L, arg)) {
        int known = 0, i;
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING)
            for (i = 0; names[i]; i++)
                known |= strcmp(lua_tostring(L, -1), names[i]) == 0;
        if (!known)
            sc_argerror(L, arg, lua_pushfstring(
                L, "unknown option '%s'",
                lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                               : luaL_typename(L, -1)));
    }
}

int sc_isnumeric(lua_State *L, int arg)
{
    size_t len;
    const char *s;

    if (lua_type(L, arg) == LUA_TNUMBER)
        return 1;
    if (lua_type(L, arg) != LUA_TSTRING || !lua_isnumber(L, arg))
        return 0;
    /* Lua 5.1 converts a numeric string with strtod, which stops at a NUL:
     * "48\0 6" would be 48 there and not a number everywhere else. */
    s = lua_tolstring(L, arg, &len);
    return strlen(s) == len;
}

int sc_checkcode(lua_State *L, int arg)
{
    lua_Number n;

    if (!sc_isnumeric(L, arg))
        return sc_typeerror(L, arg, "integer");
    n = lua_tonumber(L, arg);
    /* The range test comes first: it is false for NaN, and casting a value
     * outside the int range would be undefined behaviour. */
    if (!(n >= (lua_Number)INT_MIN && n <= (lua_Number)INT_MAX) ||
        n != (lua_Number)(int)n)
        return sc_argerror(L, arg, "number has no integer representation");
    return (int)n;
}

/* Written out rather than luaL_checkoption: LuaJIT's version lets a table
 * through as the default instead of raising. */
sipcodes_lang sc_checklang(lua_State *L, int arg)
{
    static const char *const langs[SIPCODES_NLANGS] = {"en", "de"};
    const char *s;
    size_t len;
    int i;

    if (lua_isnoneornil(L, arg))
        return SIPCODES_LANG_EN;
    if (lua_type(L, arg) != LUA_TSTRING)
        sc_typeerror(L, arg, "string");
    s = lua_tolstring(L, arg, &len);
    /* The length counts: "de\0x" is not "de". */
    for (i = 0; i < SIPCODES_NLANGS; i++)
        if (strlen(langs[i]) == len && memcmp(s, langs[i], len) == 0)
            return (sipcodes_lang)i;
    sc_argerror(L, arg, lua_pushfstring(L, "invalid option '%s'", s));
    return SIPCODES_LANG_EN;
}

/* Field names of a registered entry, per language. */
static const char *const sc_reason_field[SIPCODES_NLANGS] = {
    "reason", "reason_de"
};
static const char *const sc_description_field[SIPCODES_NLANGS] = {
    "description", "description_de"
};

int sc_push_registered(lua_State *L, int code)
{
    lua_rawgeti(L, SC_REGISTERED, code);
    if (lua_istable(L, -1))
        return 1;
    lua_pop(L, 1);
    return 0;
}

/* A string field of the registered entry at the top of the stack, falling
 * back to the English field when the German one was not given.  Pops the
 * entry.  The string stays anchored in the registration table. */
static const char *sc_registered_text(lua_State *L, const char *const *fields,
                                      sipcodes_lang lang)
{
    const char *s;

    lua_getfield(L, -1, fields[lang]);
    if (lua_isnil(L, -1) && lang != SIPCODES_LANG_EN) {
        lua_pop(L, 1);
        lua_getfield(L, -1, fields[SIPCODES_LANG_EN]);
    }
    s = lua_tostring(L, -1);
    lua_pop(L, 2);
    return s;
}

const char *sc_reason(lua_State *L, int code, sipcodes_lang lang)
{
    const sipcodes_entry *e;

    /* A registration may replace a built-in phrase, so it is asked first;
     * the common case (nothing registered) costs one rawgeti. */
    if (sc_push_registered(L, code))
        return sc_registered_text(L, sc_reason_field, lang);
    e = sipcodes_lookup(code);
    return e ? e->reason[lang] : NULL;
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

static int sc_pushstring_or_nil(lua_State *L, const char *s)
{
    if (s)
        lua_pushstring(L, s);
    else
        lua_pushnil(L);
    return 1;
}

/* ---- registry lookups ---------------------------------------------------- */

/***
 * The reason phrase of a code.
 * @function reason
 * @int code
 * @string[opt="en"] lang "en" or "de"
 * @treturn[1] string the phrase, e.g. "Busy Here"
 * @treturn[2] nil when the registry has no such code
 */
static int l_reason(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    sipcodes_lang lang = sc_checklang(L, 2);

    sc_checknargs(L, 2);
    return sc_pushstring_or_nil(L, sc_reason(L, code, lang));
}

/***
 * The phrase to send with a code: its reason, else the generic phrase of its
 * class (RFC 3261 §21 headings, e.g. "Request Failure" for an unknown 4xx).
 * Never nil for 100-799.
 * @function phrase
 * @int code
 * @string[opt="en"] lang
 * @treturn[1] string
 * @treturn[2] nil outside 100-799
 */
static int l_phrase(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    sipcodes_lang lang = sc_checklang(L, 2);
    const char *s;

    sc_checknargs(L, 2);
    s = sc_reason(L, code, lang);
    return sc_pushstring_or_nil(L, s ? s : sipcodes_class_phrase(code, lang));
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
    if (sc_push_registered(L, code))
        return sc_pushstring_or_nil(
            L, sc_registered_text(L, sc_description_field, lang));
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

/* Push an array of the RFCs in a "RFC a, RFC b" list. */
static void sc_push_rfc_list(lua_State *L, const char *rfc)
{
    int n = 0;

    lua_newtable(L);
    while (*rfc) {
        const char *end = strchr(rfc, ',');
        size_t len = end ? (size_t)(end - rfc) : strlen(rfc);
        lua_pushlstring(L, rfc, len);
        lua_rawseti(L, -2, ++n);
        if (!end)
            break;
        rfc = end + 1;
        while (*rfc == ' ')
            rfc++;
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
    static const char *const copied[] = {
        "name", "reason", "reason_de", "description", "description_de",
        "status", NULL
    };
    const sipcodes_entry *e;
    int i;

    lua_createtable(L, 0, 12);
    sc_setfield_int(L, "code", code);
    sc_setfield_int(L, "class", sipcodes_class(code));
    sc_setfield_str(L, "class_name", sipcodes_class_name(code));
    if (sc_push_registered(L, code)) {
        for (i = 0; copied[i]; i++) {
            lua_getfield(L, -1, copied[i]);
            lua_setfield(L, -3, copied[i]);
        }
        lua_getfield(L, -1, "rfc");
        sc_push_rfc_list(L, lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
        lua_setfield(L, -4, "rfc");
        lua_pop(L, 2);
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
    sc_push_rfc_list(L, e->rfc);
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

/***
 * Find a code by its reason phrase (English or German), an alias that real
 * stacks send (e.g. "Internal Server Error" for 500) or its constant name,
 * ignoring case, spaces and punctuation.
 * @function lookup
 * @string text
 * @treturn[1] int code
 * @treturn[2] nil
 */
/* The code whose phrase (English or German), alias or name matches text
 * under sipcodes_find's comparison: this state's registrations first (a
 * replaced phrase wins), then the built-in registry; 0 if none. */
static int sc_owner(lua_State *L, const char *text, size_t len)
{
    static const char *const fields[] = {"reason", "reason_de", "name"};

    lua_pushnil(L);
    while (lua_next(L, SC_REGISTERED)) {
        int i;
        for (i = 0; i < 3; i++) {
            const char *p;
            lua_getfield(L, -1, fields[i]);
            p = lua_tostring(L, -1);
            lua_pop(L, 1); /* p stays anchored in the entry */
            if (p && sipcodes_phrase_match(text, len, p)) {
                int code = (int)lua_tointeger(L, -2);
                lua_pop(L, 2);
                return code;
            }
        }
        lua_pop(L, 1);
    }
    return sipcodes_find(text, len);
}

static int l_lookup(lua_State *L)
{
    size_t len;
    const char *text;
    int code;

    if (lua_type(L, 1) != LUA_TSTRING)
        sc_typeerror(L, 1, "string");
    text = lua_tolstring(L, 1, &len);
    sc_checknargs(L, 1);
    code = sc_owner(L, text, len);
    if (code)
        lua_pushinteger(L, code);
    else
        lua_pushnil(L);
    return 1;
}

/* ---- classification ------------------------------------------------------ */

/***
 * The class digit of a code: 1 to 6, and 7 for the 7xx stack codes.
 * @function class
 * @int code
 * @treturn[1] int
 * @treturn[2] nil outside 100-799
 */
static int l_class(lua_State *L)
{
    int c = sipcodes_class(sc_checkcode(L, 1));

    sc_checknargs(L, 1);
    if (c)
        lua_pushinteger(L, c);
    else
        lua_pushnil(L);
    return 1;
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
 * a known code is itself, an unknown 1xx is 183, an unknown final code the
 * x00 of its class (431 -> 400).
 * @function equivalent
 * @int code
 * @treturn[1] int
 * @treturn[2] nil outside 100-699
 */
static int l_equivalent(lua_State *L)
{
    int code = sc_checkcode(L, 1);

    sc_checknargs(L, 1);
    if (!sipcodes_is_valid(code))
        lua_pushnil(L);
    else if (sc_known(L, code))
        lua_pushinteger(L, code);
    else
        lua_pushinteger(L, sipcodes_equivalent(code));
    return 1;
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

/* The range predicates differ only in their bounds; the bounds travel as
 * the second and third upvalue of one C function. */
static int l_in_range(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    lua_Integer lo = lua_tointeger(L, lua_upvalueindex(2));
    lua_Integer hi = lua_tointeger(L, lua_upvalueindex(3));

    sc_checknargs(L, 1);
    lua_pushboolean(L, code >= lo && code <= hi);
    return 1;
}

/***
 * Range predicates; each takes a code and returns a boolean.
 *
 * - `is_valid`: 100-699, what may go on the wire
 * - `is_provisional`: 1xx
 * - `is_final`: 200-699
 * - `is_success`: 2xx
 * - `is_redirection`: 3xx
 * - `is_client_failure`: 4xx
 * - `is_server_failure`: 5xx
 * - `is_global_failure`: 6xx
 * - `is_failure`: 300-699, everything that is neither provisional nor success
 * @function is_valid
 * @int code
 * @treturn boolean
 */
static const struct {
    const char *name;
    int lo, hi;
} sc_ranges[] = {
    {"is_valid", 100, 699},          {"is_provisional", 100, 199},
    {"is_final", 200, 699},          {"is_success", 200, 299},
    {"is_redirection", 300, 399},    {"is_client_failure", 400, 499},
    {"is_server_failure", 500, 599}, {"is_global_failure", 600, 699},
    {"is_failure", 300, 699},        {NULL, 0, 0}
};

/* ---- iteration ------------------------------------------------------------ */

/* Iterator of each(): (class or 0, previous code) -> next code, info.
 * Built-in and registered codes are merged in ascending order. */
static int l_each_next(lua_State *L)
{
    lua_Integer cls = lua_tointeger(L, 1);
    lua_Integer prev_arg = lua_tointeger(L, 2);
    int hi, prev, next = 0, c;

    /* The iterator may be called by hand with anything: clamp the state so
     * the scan below stays within the registry's range. */
    if (cls < 0 || cls > 7)
        cls = 0;
    hi = cls ? (int)cls * 100 + 99 : SIPCODES_MAX_CODE;
    prev = prev_arg < SIPCODES_MIN_CODE - 1 ? SIPCODES_MIN_CODE - 1
         : prev_arg > hi ? hi : (int)prev_arg;

    for (c = prev + 1; c <= hi; c++) {
        if (sipcodes_lookup(c)) {
            next = c;
            break;
        }
    }
    /* Registrations are few: one pass for the smallest code above prev. */
    lua_pushnil(L);
    while (lua_next(L, SC_REGISTERED)) {
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
 * Iterate over the registry in ascending code order:
 * `for code, info in sipcodes.each(4) do ... end`.
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
    lua_pushvalue(L, SC_REGISTERED);
    lua_pushcclosure(L, l_each_next, 1);
    lua_pushinteger(L, cls);
    lua_pushinteger(L, cls ? cls * 100 - 1 : SIPCODES_MIN_CODE - 1);
    return 3;
}

/* ---- constants ------------------------------------------------------------ */

/* The code whose constant name is exactly name, registered or built in;
 * 0 if none. */
static int sc_code_of(lua_State *L, const char *name)
{
    size_t i, n = sipcodes_count();

    lua_pushnil(L);
    while (lua_next(L, SC_REGISTERED)) {
        lua_getfield(L, -1, "name");
        if (lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), name) == 0) {
            int code = (int)lua_tointeger(L, -3);
            lua_pop(L, 3);
            return code;
        }
        lua_pop(L, 2);
    }
    for (i = 0; i < n; i++) {
        const sipcodes_entry *e = sipcodes_entry_at(i);
        if (strcmp(e->name, name) == 0)
            return e->code;
    }
    return 0;
}

/***
 * Constant names for codes, from the registry's UPPER_SNAKE names:
 * `sipcodes.codes.BUSY_HERE == 486`.  Read-only and strict: a name that no
 * code has raises `sipcodes.codes has no code named 'X'`, an assignment
 * raises `sipcodes.codes is read-only`.  Codes added with `register` get
 * their name here too.  (The table itself is built in lua/sipcodes.lua,
 * name by name on first use, from `code_of` below.)
 * @table codes
 */

/* code_of(name) -> code or nil: the exact constant name, for the lazy
 * `codes` table of the Lua layer. */
static int l_code_of(lua_State *L)
{
    int code;

    if (lua_type(L, 1) != LUA_TSTRING)
        return sc_typeerror(L, 1, "string");
    sc_checknargs(L, 1);
    code = sc_code_of(L, lua_tostring(L, 1));
    if (code)
        lua_pushinteger(L, code);
    else
        lua_pushnil(L);
    return 1;
}

/* ---- registration ---------------------------------------------------------- */

/* An UPPER_SNAKE constant name: [A-Z][A-Z0-9_]*, at most 64 bytes. */
static int sc_valid_name(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len > 64 || !(s[0] >= 'A' && s[0] <= 'Z'))
        return 0;
    for (i = 1; i < len; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_'))
            return 0;
    return 1;
}

/* A phrase we are willing to put on the wire: 1-128 bytes, no control
 * characters (they would break the status line). */
static const char *sc_phrase_problem(const char *s, size_t len)
{
    size_t i;

    if (len == 0)
        return "reason must not be empty";
    if (len > 128)
        return "reason longer than 128 bytes";
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
        return "reason must not start or end with white space";
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return "reason contains a control character";
    }
    return NULL;
}

/* Derive BUSY_HERE from "Busy Here": letters and digits upper-cased, every
 * other run of bytes one '_'. */
static void sc_push_derived_name(lua_State *L, const char *s, size_t len)
{
    luaL_Buffer b;
    size_t i;
    int gap = 0, any = 0;

    luaL_buffinit(L, &b);
    for (i = 0; i < len && i < 64; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9')) {
            if (gap && any)
                luaL_addchar(&b, '_');
            luaL_addchar(&b, (char)((c >= 'a' && c <= 'z') ? c - 32 : c));
            gap = 0;
            any = 1;
        } else {
            gap = 1;
        }
    }
    luaL_pushresult(&b);
}

static const char *const sc_register_opts[] = {
    "name", "reason_de", "description", "description_de", "status", "rfc",
    "replace", NULL
};

/***
 * Add a code (or replace a phrase) for this lua_State only: other states,
 * other Kamailio workers and other FreeSWITCH scripts never see it.  The
 * entry then shows in reason, phrase, info, name, lookup, each, codes,
 * status and is_known.  Misuse raises: a code outside 100-799, an empty
 * phrase or one with control characters, an unknown option, a name that is
 * not UPPER_SNAKE or is taken, and a code that is already known unless
 * `replace = true`.
 * @function register
 * @int code 100-799
 * @string reason the phrase to send
 * @tab[opt] opts `name` (default derived from reason), `reason_de`,
 *   `description`, `description_de`, `status` (default "nonstandard"),
 *   `rfc` ("RFC 1234" list), `replace` (allow replacing a known code)
 * @treturn int code
 */
static int l_register(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    size_t len;
    const char *reason, *problem;
    int replace = 0, i;
    const sipcodes_entry *builtin;

    if (lua_type(L, 2) != LUA_TSTRING)
        sc_typeerror(L, 2, "string");
    if (!lua_isnoneornil(L, 3) && !lua_istable(L, 3))
        sc_typeerror(L, 3, "table");
    sc_checknargs(L, 3);
    if (code < SIPCODES_MIN_CODE || code > SIPCODES_MAX_CODE)
        sc_argerror(L, 1, "code must be 100 to 799");
    reason = lua_tolstring(L, 2, &len);
    if ((problem = sc_phrase_problem(reason, len)) != NULL)
        sc_argerror(L, 2, problem);
    lua_settop(L, 3);
    if (lua_isnil(L, 3)) {
        lua_newtable(L);
        lua_replace(L, 3);
    }
    /* Unknown option names are misuse, not something to ignore. */
    sc_checkoptnames(L, 3, sc_register_opts);
    lua_getfield(L, 3, "replace");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TBOOLEAN)
        return sc_argerror(L, 3, "option 'replace' must be a boolean");
    replace = lua_toboolean(L, -1);
    lua_pop(L, 1);

    builtin = sipcodes_lookup(code);
    if (!replace && (builtin || sc_push_registered(L, code))) {
        const char *old = sc_reason(L, code, SIPCODES_LANG_EN);
        return sc_argerror(
            L, 1, lua_pushfstring(L, "code %d is already registered as '%s'; "
                                     "pass replace = true to replace it",
                                  code, old));
    }

    /* The new entry: field by field, each checked for its type. */
    lua_createtable(L, 0, 8);                       /* 4: entry */
    lua_pushvalue(L, 2);
    lua_setfield(L, 4, "reason");
    for (i = 0; i < 5; i++) {
        static const char *const strs[] = {
            "name", "reason_de", "description", "description_de", "rfc"
        };
        lua_getfield(L, 3, strs[i]);
        if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
            return sc_argerror(
                L, 3, lua_pushfstring(L, "option '%s' must be a string",
                                      strs[i]));
        lua_setfield(L, 4, strs[i]);
    }
    lua_getfield(L, 4, "reason_de");
    if (lua_isstring(L, -1)) {
        const char *de = lua_tolstring(L, -1, &len);
        if ((problem = sc_phrase_problem(de, len)) != NULL)
            sc_argerror(L, 3, problem);
    }
    lua_pop(L, 1);

    lua_getfield(L, 3, "status");
    if (lua_isnil(L, -1)) {
        lua_pushstring(L, builtin && replace
                              ? sipcodes_status_name(builtin->status)
                              : "nonstandard");
        lua_replace(L, -2);
    } else {
        static const char *const statuses[] = {
            "standard", "deprecated", "obsolete", "nonstandard", NULL
        };
        int found = 0;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (i = 0; statuses[i]; i++)
                found |= strcmp(lua_tostring(L, -1), statuses[i]) == 0;
        if (!found)
            return sc_argerror(L, 3, "option 'status' must be one of "
                                       "standard, deprecated, obsolete, "
                                       "nonstandard");
    }
    lua_setfield(L, 4, "status");

    /* The name: given, kept from the built-in entry being replaced, or
     * derived from the phrase.  It must be UPPER_SNAKE and stay unique. */
    lua_getfield(L, 4, "name");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        if (builtin)
            lua_pushstring(L, builtin->name);
        else
            sc_push_derived_name(L, reason, strlen(reason));
    }
    {
        size_t nlen;
        const char *name = lua_tolstring(L, -1, &nlen);
        int owner;
        if (!sc_valid_name(name, nlen))
            return sc_argerror(
                L, 3, lua_pushfstring(L, "name '%s' is not UPPER_SNAKE "
                                         "(give opts.name)", name));
        owner = sc_code_of(L, name);
        if (owner && owner != code)
            return sc_argerror(
                L, 3, lua_pushfstring(L, "name '%s' is taken by code %d",
                                      name, owner));
    }
    lua_setfield(L, 4, "name");

    /* lookup() must keep finding every other code by its phrases: a new
     * phrase or name that already names another code is refused. */
    for (i = 0; i < 3; i++) {
        static const char *const texts[] = {"reason", "reason_de", "name"};
        const char *t;
        size_t tlen;
        int owner;
        lua_getfield(L, 4, texts[i]);
        t = lua_tolstring(L, -1, &tlen);
        owner = t ? sc_owner(L, t, tlen) : 0;
        if (owner && owner != code)
            return sc_argerror(
                L, i == 0 ? 2 : 3,
                lua_pushfstring(L, "%s '%s' already names code %d",
                                texts[i], t, owner));
        lua_pop(L, 1);
    }

    lua_pushvalue(L, 4);
    lua_rawseti(L, SC_REGISTERED, code);
    lua_pushinteger(L, code);
    return 1;
}

/* ---- module ---------------------------------------------------------------- */

static const luaL_Reg sipcodes_core_funcs[] = {
    {"class", l_class},
    {"class_name", l_class_name},
    {"code_of", l_code_of},
    {"description", l_description},
    {"each", l_each},
    {"equivalent", l_equivalent},
    {"info", l_info},
    {"is_known", l_is_known},
    {"lookup", l_lookup},
    {"name", l_name},
    {"phrase", l_phrase},
    {"reason", l_reason},
    {"register", l_register},
    {"status", l_status},
    {NULL, NULL}
};

/* __index of sipcodes.core: the functions are made on first use, each a C
 * closure over this state's registrations table (this function's upvalue),
 * and stored in the module table, so the next access finds it directly.
 * A host that makes a fresh lua_State per call (FreeSWITCH) pays for the
 * functions its script uses, not for all fifty. */
static int l_resolve(lua_State *L)
{
    static const luaL_Reg *const lists[] = {
        sipcodes_core_funcs, sc_proto_funcs, sc_interop_funcs
    };
    const char *k;
    int i, l;

    if (lua_type(L, 2) != LUA_TSTRING)
        return 0;
    k = lua_tostring(L, 2);
    for (i = 0; sc_ranges[i].name; i++) {
        if (strcmp(k, sc_ranges[i].name) == 0) {
            lua_pushvalue(L, SC_REGISTERED);
            lua_pushinteger(L, sc_ranges[i].lo);
            lua_pushinteger(L, sc_ranges[i].hi);
            lua_pushcclosure(L, l_in_range, 3);
            goto found;
        }
    }
    for (l = 0; l < 3; l++) {
        const luaL_Reg *r;
        for (r = lists[l]; r->name; r++) {
            if (strcmp(k, r->name) == 0) {
                lua_pushvalue(L, SC_REGISTERED);
                lua_pushcclosure(L, r->func, 1);
                goto found;
            }
        }
    }
    return 0;
found:
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    return 1;
}

SIPCODES_API int luaopen_sipcodes_core(lua_State *L);

int luaopen_sipcodes_core(lua_State *L)
{
    lua_createtable(L, 0, 16);
    lua_pushliteral(L, SIPCODES_VERSION);
    lua_setfield(L, -2, "_VERSION");
    lua_createtable(L, 0, 1);
    lua_newtable(L); /* this state's registrations: every function's upvalue */
    lua_pushcclosure(L, l_resolve, 1);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    return 1;
}
