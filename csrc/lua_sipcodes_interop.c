/* The telephony interop of `require "sipcodes"`, a section of its page. */
/*** @module sipcodes */

/***
 * Telephony interop.
 * Q.850 causes and the RFC 3398 mappings between SIP responses and ISUP
 * causes.  The FreeSWITCH cause tables are in `sipcodes.freeswitch`.
 *
 * The error convention is the module's: a wrong argument raises `bad
 * argument #n to 'f' (...)`; a value that is not a cause or code gives
 * `nil`; a value that has no mapping gives `nil` and the reason.
 * @section interop
 */
#include <string.h>

#include "lua_sipcodes.h"
#include "sipcodes_interop.h"
#include "sipcodes_proto.h"

/* Push value (0 = none) and, when there is one, the note that explains a
 * result that is not a plain row of the table. */
static int sc_push_mapping(lua_State *L, int value, const char *note)
{
    sc_push_int_or_nil(L, value != 0, value);
    if (!note)
        return 1;
    lua_pushstring(L, note);
    return 2;
}

/* The options of to_q850. */
#define SC_TO_Q850_OPTS "warning\0"

/* The warn-code of to_q850's options at arg (-1: none). */
static int sc_check_to_q850_opts(lua_State *L, int arg)
{
    int w = -1;

    if (!sc_checkopts(L, arg, SC_TO_Q850_OPTS))
        return -1;
    lua_getfield(L, arg, "warning");
    if (!lua_isnil(L, -1) && (sc_tocode(L, -1, &w) != SIPCODES_NUMERAL_INT || w < 0 || w > 999))
        sc_argerror(L, arg, "option 'warning' must be a warn-code 0 to 999");
    lua_pop(L, 1);
    return w;
}

/***
 * The ISUP/Q.850 cause for a SIP response, per RFC 3398 §8.2.6.1.
 * A code the table does not list gives 31 "Normal, unspecified", as the RFC
 * says.  488 and 606 take their cause from the Warning header in the RFC:
 * pass its warn-code as `warning`; a Warning about a bearer capability the
 * far end lacks (304, 305, 370) gives 65 "Bearer capability not
 * implemented", any other 31.  Without one they give 31 and a note.
 * @function to_q850
 * @int code
 * @tab[opt] opts `warning`: the warn-code of the response's Warning
 *   (as `parse_warning` reads it)
 * @treturn[1] int cause, e.g. 17 for 486
 * @treturn[1] ?string a note for 488 and 606 without a Warning
 * @treturn[2] nil for 487 (no mapping) and 100-299 (not a failure)
 * @treturn[2] string why
 * @treturn[3] nil outside 100-699
 * @usage sip.to_q850(486) --> 17
 * sip.to_q850(488, { warning = 305 }) --> 65
 */
static int l_to_q850(lua_State *L)
{
    int code = sc_checkcode(L, 1), warning = sc_check_to_q850_opts(L, 2);
    const char *note;
    int cause;

    sc_checknargs(L, 2);
    cause = sipcodes_to_q850_warned(code, warning, &note);
    return sc_push_mapping(L, cause, note);
}

/* The options of from_q850. */
#define SC_FROM_Q850_OPTS "location\0new_number\0"

/* Is the location option "the user"?  A Q.850 location value (0 is the
 * user), or a word: "user" or RFC 8606's "U", without regard to case.
 * Other words are network locations; they are not errors, because the
 * value often comes from a Reason header received from a peer. */
static int sc_location_is_user(lua_State *L, int idx)
{
    size_t len;
    const char *s;

    if (lua_type(L, idx) == LUA_TNUMBER) {
        int v;
        return sipcodes_int_of_number((double)lua_tonumber(L, idx), &v) && v == 0;
    }
    s = lua_tolstring(L, idx, &len);
    return sipcodes_q850_location_value(s, len) == 0 ||
           sipcodes_caseeq(s, len, "user");
}

static unsigned sc_check_from_q850_opts(lua_State *L, int arg)
{
    unsigned flags = 0;
    int t;

    if (!sc_checkopts(L, arg, SC_FROM_Q850_OPTS))
        return 0;
    lua_getfield(L, arg, "location");
    t = lua_type(L, -1);
    if (t != LUA_TNIL && t != LUA_TSTRING && t != LUA_TNUMBER)
        sc_argerror(L, arg, "option 'location' must be a string or a number");
    if (t != LUA_TNIL && sc_location_is_user(L, -1))
        flags |= SIPCODES_Q850_USER;
    lua_pop(L, 1);
    lua_getfield(L, arg, "new_number");
    t = lua_type(L, -1);
    if (t != LUA_TNIL && t != LUA_TBOOLEAN && t != LUA_TSTRING)
        sc_argerror(L, arg, "option 'new_number' must be a boolean or a string");
    if (lua_toboolean(L, -1))
        flags |= SIPCODES_Q850_NEW_NUMBER;
    lua_pop(L, 1);
    return flags;
}

/***
 * The SIP response for an ISUP/Q.850 cause, per RFC 3398 §7.2.4.1.
 * The table's footnotes are options: `location` "user" (or RFC 8606 "U",
 * or Q.850 location value 0) turns 21 into 603; `new_number = true` (or
 * the number) turns 22 into 301, the new number going into Contact.  A
 * cause the table does not list is read as the unspecified cause of its
 * class (31, 47, 63, 79, 95, 111, 127), as ISUP reads unknown values.
 * @function from_q850
 * @int cause 1-127
 * @tab[opt] opts `location`, `new_number`
 * @treturn[1] int code, e.g. 486 for 17
 * @treturn[2] nil for 16, which has no response (it ends a call with BYE
 *   or CANCEL)
 * @treturn[2] string why
 * @treturn[3] nil outside 1-127
 * @usage sip.from_q850(21, { location = "user" }) --> 603
 */
static int l_from_q850(lua_State *L)
{
    int cause = sc_checkcode(L, 1);
    unsigned flags = sc_check_from_q850_opts(L, 2);
    const char *note;
    int code;

    sc_checknargs(L, 2);
    code = sipcodes_from_q850(cause, flags, &note);
    return sc_push_mapping(L, code, note);
}

/***
 * The ITU-T Q.850 name of a cause value.
 * @function q850_name
 * @int cause
 * @treturn[1] string e.g. "User busy" for 17
 * @treturn[2] nil when Q.850 assigns no cause to the value
 */
static int l_q850_name(lua_State *L)
{
    int cause = sc_checkcode(L, 1);
    const char *name;

    sc_checknargs(L, 1);
    name = sipcodes_q850_name(cause);
    if (name)
        lua_pushstring(L, name);
    else
        lua_pushnil(L);
    return 1;
}

/***
 * The Q.850 class of a cause value (of any value 1-127, assigned or not).
 * @function q850_class_name
 * @int cause
 * @treturn[1] string "normal_event", "resource_unavailable",
 *   "service_not_available", "service_not_implemented", "invalid_message",
 *   "protocol_error" or "interworking"
 * @treturn[2] nil outside 1-127
 */
static int l_q850_class_name(lua_State *L)
{
    int cause = sc_checkcode(L, 1);
    const char *name;

    sc_checknargs(L, 1);
    name = sipcodes_q850_class_name(cause);
    if (name)
        lua_pushstring(L, name);
    else
        lua_pushnil(L);
    return 1;
}

/* The options of q850_reason and reason_for. */
#define SC_REASON_OPTS "location\0"

/* The location option of q850_reason and reason_for at arg: -1 for none,
 * or the Q.850 location value (0-15) to put in the header.  An RFC 8606
 * token in any case, or a location value 0 to 15; with code > 0 (that is,
 * for reason_for) also true, RFC 3398's default for the code. */
static int sc_check_reason_opts(lua_State *L, int arg, int code)
{
    int loc = -1, t;

    if (!sc_checkopts(L, arg, SC_REASON_OPTS))
        return -1;
    lua_getfield(L, arg, "location");
    t = lua_type(L, -1);
    if (t == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        loc = sipcodes_q850_location_value(s, len);
    } else if (t == LUA_TNUMBER) {
        if (!sipcodes_int_of_number((double)lua_tonumber(L, -1), &loc) || loc < 0 || loc > 15)
            loc = -2;
    } else if (t == LUA_TBOOLEAN && code > 0) {
        /* false: as if not given; true: the RFC's default (-1 outside
         * 300-699, where to_q850 gives no cause anyway). */
        loc = lua_toboolean(L, -1) ? sipcodes_rfc3398_location(code) : -1;
    } else if (t != LUA_TNIL) {
        loc = -2;
    }
    if (loc == -2 || (t == LUA_TSTRING && loc < 0))
        sc_argerror(L, arg, code > 0
                                ? "option 'location' must be true, an RFC 8606 token "
                                  "or a location value 0 to 15"
                                : "option 'location' must be an RFC 8606 token "
                                  "or a location value 0 to 15");
    lua_pop(L, 1);
    return loc;
}

/* Push the Reason value of cause with location (-1: none). */
static void sc_push_q850_reason_at(lua_State *L, int cause, int location)
{
    char out[SIPCODES_MAX_LINE];
    size_t len = 0;
    sipcodes_format_error err;

    if (location < 0) {
        sc_push_q850_reason(L, cause); /* what the Kamailio helpers send */
        return;
    }
    /* Q.850 names and location tokens are short and quotable (ctest
     * checks every one). */
    if (sipcodes_q850_reason_append(out, &len, cause, location, &err) != 0)
        luaL_error(L, "sipcodes: Q.850 cause %d: %s", cause, err.msg);
    lua_pushlstring(L, out, len);
}

/***
 * The RFC 3326 Reason header value for a Q.850 cause, with the cause's
 * Q.850 name as text (none for a value Q.850 does not assign) and, when
 * asked, the RFC 8606 cause location.
 * @function q850_reason
 * @int cause 1-127
 * @tab[opt] opts `location`: an RFC 8606 token ("U", "LPN", "LN", "TN",
 *   "RLN", "RPN", "INTL", "BI", "LOC-6", "LOC-8", "LOC-9", "LOC-11" to
 *   "LOC-15", in any case; written in upper case) or a Q.850 location
 *   value 0-15; anything else raises.  Without it, no location.
 * @treturn[1] string e.g. `Q.850;cause=34;text="No circuit/channel available"`
 * @treturn[2] nil outside 1-127
 * @usage sip.q850_reason(17, { location = "LN" }) --> 'Q.850;cause=17;text="User busy";location=LN'
 */
static int l_q850_reason(lua_State *L)
{
    int cause = sc_checkcode(L, 1), location = sc_check_reason_opts(L, 2, 0);

    sc_checknargs(L, 2);
    if (cause < 1 || cause > SIPCODES_Q850_MAX) {
        lua_pushnil(L);
        return 1;
    }
    sc_push_q850_reason_at(L, cause, location);
    return 1;
}

/***
 * The RFC 6432 Reason header value for a response: its Q.850 cause (as
 * `to_q850` maps it) with the cause's Q.850 name and, when asked, a cause
 * location.
 *
 * Location is opt-in.  A Reason header without `location` is complete
 * (RFC 8606 makes it optional), and a header that names where the call
 * was released should say so only when the caller means it: so the
 * default output stays what it always was.  `location = true` applies
 * RFC 3398 §8.2.6.1's default: "U" (the user) for a 6xx and the network
 * for a 4xx or 5xx, which we write as "BI" (the network beyond the
 * interworking point, i.e. the SIP side of a gateway: our choice), and
 * "BI" for a 3xx, which the RFC does not name (our choice too).  A token
 * or a value sets the location itself, whatever the code.
 * @function reason_for
 * @int code
 * @tab[opt] opts `location`: `true` for RFC 3398's default, an RFC 8606
 *   token or a Q.850 location value 0-15 (as `q850_reason` takes them)
 * @treturn[1] string e.g. `Q.850;cause=17;text="User busy"` for 486
 * @treturn[1] ?string the note of `to_q850` for 488 and 606
 * @treturn[2] nil for a code without a cause (487, 100-299)
 * @treturn[2] string why
 * @treturn[3] nil outside 100-699
 * @usage sip.reason_for(603, { location = true }) --> 'Q.850;cause=21;text="Call rejected";location=U'
 * sip.reason_for(486, { location = true }) --> 'Q.850;cause=17;text="User busy";location=BI'
 */
static int l_reason_for(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    /* A code outside 100-699 still checks its options; 1 stands for "a
     * code" there, with no default location. */
    int location = sc_check_reason_opts(L, 2, code > 0 ? code : 1);
    const char *note;
    int cause;

    sc_checknargs(L, 2);
    cause = sipcodes_to_q850(code, &note);
    if (cause == 0)
        return sc_push_mapping(L, 0, note);
    sc_push_q850_reason_at(L, cause, location);
    if (!note)
        return 1;
    lua_pushstring(L, note);
    return 2;
}

/*** @section end */

#define SC_INTEROP_FUNCS(X) \
    X(from_q850, SC_PUBLIC) X(q850_class_name, SC_PUBLIC) X(q850_name, SC_PUBLIC) \
    X(q850_reason, SC_PUBLIC) X(reason_for, SC_PUBLIC) X(to_q850, SC_PUBLIC)

lua_CFunction sc_interop_find(const char *k, size_t len, unsigned *flags)
{
    SC_INTEROP_FUNCS(SC_FIND)
    return NULL;
}
