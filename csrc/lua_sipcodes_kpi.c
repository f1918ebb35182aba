/***
 * KPI counters over the final responses to INVITEs.
 * A counter counts with a profile, a set of code sets per ratio (ASR, NER,
 * SEER, ISA, SDR): `"homer"` (the kpi.cfg of HOMER), `"rfc6076"` (RFC 6076
 * §4.6-4.8) and `"custom"` (nothing until the overrides say).
 * @{outcomes.md|The outcome guide} gives the sets, their sources and how
 * the references differ.
 * @module sipcodes.kpi
 * @usage
 * local kpi = require "sipcodes.kpi"
 * local k = kpi.new("homer")
 * k:add(200)
 * k:add(486)
 * k:add(503)
 * k:report().attempts           --> 3
 * k:report().counts[486]        --> 1
 * kpi.profile("rfc6076").asr.exclude --> { "3xx", 401, 402, 407 }
 */
#include <string.h>

#include "lua_sipcodes.h"
#include "sipcodes_outcome.h"

#define SC_KPI_MT "sipcodes.kpi"

/* The sipcodes.kpi counter at arg, or raise "sipcodes.kpi expected". */
static sipcodes_kpi *sc_checkkpi(lua_State *L, int arg)
{
    return (sipcodes_kpi *)sc_checkobject(L, arg, SC_KPI_MT);
}

#define SC_RATIO_LIST(e, s) s "\0"
static const char sc_ratios[] = SIPCODES_KPI_RATIOS(SC_RATIO_LIST);
#undef SC_RATIO_LIST
#define SC_PROFILE_WORDS(e, s) ", " s
static const char sc_profile_words[] = SIPCODES_KPI_PROFILES(SC_PROFILE_WORDS);
#undef SC_PROFILE_WORDS

#define SC_SET_FIELDS "codes\0outcomes\0exclude\0"

/* A profile name argument: its number, or raise. */
static int sc_checkprofile(lua_State *L, int arg)
{
    size_t len;
    const char *s;
    int p;

    if (lua_type(L, arg) != LUA_TSTRING)
        sc_typeerror(L, arg, "string");
    s = lua_tolstring(L, arg, &len);
    if ((p = sipcodes_kpi_profile_find(s, len)) < 0)
        sc_argerror(L, arg, lua_pushfstring(L, "profile must be one of %s", sc_profile_words + 2));
    return p;
}

/* Read the list at idx (field `field` of ratio `ratio`) into set: codes
 * 200-699 and classes "2xx" to "6xx"; anything else raises at arg 2. */
static void sc_read_codes(lua_State *L, int idx, const char *ratio, const char *field,
                          unsigned char *set)
{
    int n, i;

    idx = lua_absindex(L, idx);
    if (sc_listlen(L, idx, &n) != 0)
        sc_argerror(L, 2, lua_pushfstring(L, "%s.%s[%d]: code expected, got nil", ratio, field, n + 1));
    memset(set, 0, SIPCODES_KPI_SETBYTES);
    for (i = 1; i <= n; i++) {
        int code = 0, ok = 0;
        lua_rawgeti(L, idx, i);
        if (lua_type(L, -1) == LUA_TNUMBER) {
            ok = sc_tocode(L, -1, &code) == SIPCODES_NUMERAL_INT && code >= SIPCODES_KPI_MIN &&
                 code <= SIPCODES_KPI_MAX;
            if (ok)
                sipcodes_kpi_set_code(set, code);
        } else if (lua_type(L, -1) == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            ok = len == 3 && s[0] >= '2' && s[0] <= '6' && s[1] == 'x' && s[2] == 'x';
            if (ok)
                sipcodes_kpi_set_class(set, s[0] - '0');
        }
        if (!ok)
            sc_argerror(L, 2, lua_pushfstring(L, "%s.%s[%d]: a final code 200-699 or a class "
                                                 "such as '3xx' expected", ratio, field, i));
        lua_pop(L, 1);
    }
}

/* Read the list of category names at idx into a bit set. */
static unsigned sc_read_outcomes(lua_State *L, int idx, const char *ratio)
{
    unsigned bits = 0;
    int n, i;

    idx = lua_absindex(L, idx);
    if (sc_listlen(L, idx, &n) != 0)
        sc_argerror(L, 2, lua_pushfstring(L, "%s.outcomes[%d]: category expected, got nil", ratio,
                                          n + 1));
    for (i = 1; i <= n; i++) {
        int c = 0;
        lua_rawgeti(L, idx, i);
        if (lua_type(L, -1) == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            c = sipcodes_outcome_find(s, len);
        }
        if (!c)
            sc_argerror(L, 2, lua_pushfstring(L, "%s.outcomes[%d]: an outcome category expected",
                                              ratio, i));
        bits |= 1u << c;
        lua_pop(L, 1);
    }
    return bits;
}

/* Apply the overrides table at arg 2 to k's definitions. */
static void sc_kpi_overrides(lua_State *L, sipcodes_kpi *k)
{
    int r, bad;

    if ((bad = sc_unknown_key(L, 2, sc_ratios)) == 1)
        sc_argerror(L, 2, lua_pushfstring(L, "unknown ratio '%s'", lua_tostring(L, -1)));
    else if (bad == 2)
        sc_argerror(L, 2, lua_pushfstring(L, "ratio names must be strings, got %s",
                                          lua_tostring(L, -1)));
    for (r = 0; r < SIPCODES_KPI_NRATIOS; r++) {
        const char *name = sipcodes_kpi_ratio_name(r);
        sipcodes_kpi_def *d = &k->def[r];
        int t;

        lua_getfield(L, 2, name);
        t = lua_gettop(L);
        if (lua_isnil(L, t)) {
            lua_pop(L, 1);
            continue;
        }
        if (lua_type(L, t) == LUA_TBOOLEAN && !lua_toboolean(L, t)) {
            memset(d, 0, sizeof *d);
            lua_pop(L, 1);
            continue;
        }
        if (!lua_istable(L, t))
            sc_argerror(L, 2, lua_pushfstring(L, "ratio '%s' must be a table or false", name));
        if ((bad = sc_unknown_key(L, t, SC_SET_FIELDS)) == 1)
            sc_argerror(L, 2, lua_pushfstring(L, "unknown field '%s.%s'", name, lua_tostring(L, -1)));
        else if (bad == 2)
            sc_argerror(L, 2, lua_pushfstring(L, "%s: field names must be strings, got %s", name,
                                              lua_tostring(L, -1)));
        if (!d->defined) /* a ratio the profile lacks starts empty */
            memset(d, 0, sizeof *d);
        d->defined = 1;
        lua_getfield(L, t, "codes");
        if (!lua_isnil(L, -1)) {
            if (!lua_istable(L, -1))
                sc_argerror(L, 2, lua_pushfstring(L, "%s.codes must be a list", name));
            sc_read_codes(L, -1, name, "codes", d->codes);
        }
        lua_pop(L, 1);
        lua_getfield(L, t, "exclude");
        if (!lua_isnil(L, -1)) {
            if (!lua_istable(L, -1))
                sc_argerror(L, 2, lua_pushfstring(L, "%s.exclude must be a list", name));
            sc_read_codes(L, -1, name, "exclude", d->exclude);
        }
        lua_pop(L, 1);
        lua_getfield(L, t, "outcomes");
        if (!lua_isnil(L, -1)) {
            if (!lua_istable(L, -1))
                sc_argerror(L, 2, lua_pushfstring(L, "%s.outcomes must be a list", name));
            d->outcomes = sc_read_outcomes(L, -1, name);
        }
        lua_pop(L, 2);
    }
}

/***
 * Counters.
 * @section counters
 */

/***
 * A new counter.
 * @function new
 * @string profile `"homer"`, `"rfc6076"` or `"custom"`
 * @tab[opt] overrides per ratio (`asr`, `ner`, `seer`, `isa`, `sdr`):
 *   `false` to drop it, or a table whose fields replace the profile's:
 *   `codes` (the responses it counts: codes 200-699 and classes such as
 *   `"3xx"`), `outcomes` (categories it counts too, as `sip.outcome` gives
 *   them in the ctx of each `add`), `exclude` (codes and classes left out
 *   of its denominator)
 * @treturn sipcodes.kpi the counter
 * @usage local k = kpi.new("homer", { isa = { codes = { 408, 500, 503 } } })
 */
static int l_kpi_new(lua_State *L)
{
    int profile = sc_checkprofile(L, 1);
    sipcodes_kpi *k;

    if (!lua_isnoneornil(L, 2) && !lua_istable(L, 2))
        sc_typeerror(L, 2, "table");
    sc_checknargs(L, 2);
    lua_settop(L, 2);
    k = (sipcodes_kpi *)sc_newuserdata(L, sizeof *k);
    sipcodes_kpi_init(k, profile);
    if (lua_istable(L, 2))
        sc_kpi_overrides(L, k);
    luaL_getmetatable(L, SC_KPI_MT);
    lua_setmetatable(L, 3);
    lua_settop(L, 3);
    return 1;
}

/***
 * Methods of a counter.
 * A counter `k` made by `new` answers these, called as `k:add(code)`.  The
 * examples use a counter of the `"homer"` profile that has counted a 200
 * and a 486.
 * @section methods
 */

/***
 * Count one final response to an initial INVITE (a re-INVITE is not an
 * attempt).
 * @function k:add
 * @int code 200-699
 * @tab[opt] ctx as for `sip.outcome` (used by ratios with `outcomes`)
 * @usage k:add(486)
 */
static int l_add(lua_State *L)
{
    sipcodes_kpi *k = sc_checkkpi(L, 1);
    int code = sc_checkfinalcode(L, 2);
    sipcodes_outcome_ctx ctx;

    sc_checkoutcomectx(L, 3, &ctx);
    sc_checknargs(L, 3);
    sipcodes_kpi_add(k, code, &ctx);
    return 0;
}

/***
 * What the counter has counted: `attempts`, `counts` (code -> number),
 * and the ratios the profile defines as fractions: `asr`, `ner`, `seer`,
 * `isa`, `sdr` (nil when the profile does not define it or its
 * denominator is 0).  A fresh table each call.
 * @function k:report
 * @treturn table
 * @usage k:report().asr --> 0.5
 */
static int l_report(lua_State *L)
{
    const sipcodes_kpi *k = sc_checkkpi(L, 1);
    int i, n = 0, r;

    sc_checknargs(L, 1);
    lua_createtable(L, 0, 2 + SIPCODES_KPI_NRATIOS);
    lua_pushinteger(L, (lua_Integer)k->attempts);
    lua_setfield(L, -2, "attempts");
    for (i = 0; i < SIPCODES_KPI_NCODES; i++)
        n += k->counts[i] != 0;
    lua_createtable(L, 0, n);
    for (i = 0; i < SIPCODES_KPI_NCODES; i++) {
        if (k->counts[i]) {
            lua_pushinteger(L, (lua_Integer)k->counts[i]);
            lua_rawseti(L, -2, SIPCODES_KPI_MIN + i);
        }
    }
    lua_setfield(L, -2, "counts");
    for (r = 0; r < SIPCODES_KPI_NRATIOS; r++) {
        unsigned long num, den;
        if (sipcodes_kpi_ratio_of(k, r, &num, &den)) {
            lua_pushnumber(L, (lua_Number)num / (lua_Number)den);
            lua_setfield(L, -2, sipcodes_kpi_ratio_name(r));
        }
    }
    return 1;
}

static int l_kpi_tostring(lua_State *L)
{
    const sipcodes_kpi *k = sc_checkkpi(L, 1);

    lua_pushfstring(L, "sipcodes.kpi: %d attempts", (int)(k->attempts > 0x7fffffffUL
                                                               ? 0x7fffffffUL : k->attempts));
    return 1;
}

/* Push a list of codes (a class -N as "Nxx"). */
static void sc_push_code_list(lua_State *L, const int *codes)
{
    int i;

    lua_newtable(L);
    for (i = 0; codes[i] != 0; i++) {
        if (codes[i] < 0) {
            char cls[4] = {(char)('0' - codes[i]), 'x', 'x', 0};
            lua_pushstring(L, cls);
        } else {
            lua_pushinteger(L, codes[i]);
        }
        lua_rawseti(L, -2, i + 1);
    }
}

/***
 * Profiles.
 * @section profiles
 */

/***
 * A built-in profile's code sets: a fresh table `{name = name, <ratio> =
 * {codes = {...}, exclude = {...}, outcomes = {}}, ...}` with the ratios
 * it defines; a class appears as `"3xx"`.
 * @function profile
 * @string name `"homer"`, `"rfc6076"` or `"custom"`
 * @treturn table
 * @usage kpi.profile("rfc6076").seer.codes --> {200, 480, 486, 600, 603}
 */
static int l_profile(lua_State *L)
{
    int profile = sc_checkprofile(L, 1), r;

    sc_checknargs(L, 1);
    lua_createtable(L, 0, 1 + SIPCODES_KPI_NRATIOS);
    lua_pushstring(L, sipcodes_kpi_profile_name(profile));
    lua_setfield(L, -2, "name");
    for (r = 0; r < SIPCODES_KPI_NRATIOS; r++) {
        int codes[16], exclude[16];
        if (!sipcodes_kpi_profile_lists(profile, r, codes, exclude, 16))
            continue;
        lua_createtable(L, 0, 3);
        sc_push_code_list(L, codes);
        lua_setfield(L, -2, "codes");
        sc_push_code_list(L, exclude);
        lua_setfield(L, -2, "exclude");
        lua_newtable(L);
        lua_setfield(L, -2, "outcomes");
        lua_setfield(L, -2, sipcodes_kpi_ratio_name(r));
    }
    return 1;
}

/*** @section end */

/* kpi(): the table `require "sipcodes.kpi"` returns; the counters'
 * metatable is made once per state. */
static int l_kpi(lua_State *L)
{
    sc_checknargs(L, 0);
    if (luaL_newmetatable(L, SC_KPI_MT)) {
        lua_createtable(L, 0, 2);
        sc_pushfunc(L, l_add, "add", 0);
        lua_setfield(L, -2, "add");
        sc_pushfunc(L, l_report, "report", 0);
        lua_setfield(L, -2, "report");
        lua_setfield(L, -2, "__index");
        sc_pushfunc(L, l_kpi_tostring, "__tostring", 0);
        lua_setfield(L, -2, "__tostring");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    sc_pushfunc(L, l_kpi_new, "new", 0);
    lua_setfield(L, -2, "new");
    sc_pushfunc(L, l_profile, "profile", 0);
    lua_setfield(L, -2, "profile");
    return 1;
}

lua_CFunction sc_kpi_find(const char *k, size_t len, unsigned *flags)
{
    SC_FIND(kpi, 0)
    return NULL;
}
