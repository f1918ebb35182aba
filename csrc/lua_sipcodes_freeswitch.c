/***
 * FreeSWITCH helpers: hangup causes, mod_sofia's SIP <-> cause mapping,
 * and session helpers for mod_lua scripts.
 *
 *     local fs = require "sipcodes.freeswitch"
 *     fs.cause_number("user_busy")     --> 17
 *     fs.cause_name(17)                --> "USER_BUSY"
 *     fs.sip_to_cause(486)             --> 17   (as mod_sofia maps a 486)
 *     fs.cause_to_sip("CALL_REJECTED") --> 603  (as mod_sofia refuses with it)
 *     fs.respond(session, 608)         -- session:execute("respond", "608 Rejected")
 *
 * mod_lua makes a new lua_State for every script run, so all of this is C:
 * loading the module costs no Lua to compile, and the tables live in the C
 * core, one copy shared by every thread of FreeSWITCH.
 *
 * Sessions are passed in, never taken from a global: a helper works on the
 * `session` of a dialplan script, on a session made with
 * `freeswitch.Session(...)`, or on a test double with the same methods
 * (`execute`, `hangup`, `getVariable`, `setVariable`, `answered`,
 * `hangupCause`).  An argument that is not such an object raises before
 * anything is called on it.
 * @module sipcodes.freeswitch
 */
#include <string.h>

#include "lua_sipcodes.h"
#include "sipcodes_interop.h"
#include "sipcodes_proto.h"

/* A cause argument: a number or numeral (read by the one rule for codes),
 * else a cause name in any case.  Sets *cause and returns 1, or returns 0
 * for a name FreeSWITCH does not have. */
static int sc_fs_checkcause(lua_State *L, int arg, int *cause)
{
    size_t len;
    const char *s;

    switch (sc_tocode(L, arg, cause)) {
    case SIPCODES_NUMERAL_INT:
        return 1;
    case SIPCODES_NUMERAL_NOT_INT:
        return sc_argerror(L, arg, "number has no integer representation");
    default:
        break;
    }
    if (lua_type(L, arg) != LUA_TSTRING)
        sc_typeerror(L, arg, "integer or string");
    s = lua_tolstring(L, arg, &len);
    *cause = sipcodes_fs_cause_find(s, len);
    return *cause >= 0;
}

/***
 * The name of a cause: a number, a numeric string or a name in any case.
 * @function cause_name
 * @tparam int|string cause
 * @treturn[1] string e.g. "USER_BUSY"
 * @treturn[2] nil when FreeSWITCH has no such cause
 */
static int l_fs_cause_name(lua_State *L)
{
    int cause;
    const char *name = NULL;

    if (sc_fs_checkcause(L, 1, &cause))
        name = sipcodes_fs_cause_name(cause);
    sc_checknargs(L, 1);
    if (name)
        lua_pushstring(L, name);
    else
        lua_pushnil(L);
    return 1;
}

/***
 * The number of a cause: a name in any case (as `session:hangup` takes it),
 * a numeric string or a number.
 * @function cause_number
 * @tparam int|string cause
 * @treturn[1] int e.g. 17
 * @treturn[2] nil when FreeSWITCH has no such cause
 */
static int l_fs_cause_number(lua_State *L)
{
    int cause;
    int ok = sc_fs_checkcause(L, 1, &cause);

    sc_checknargs(L, 1);
    return sc_push_int_or_nil(L, ok && sipcodes_fs_cause_name(cause), cause);
}

/***
 * The cause mod_sofia records for a SIP status it receives, when no
 * Reason header gives one: its table (RFC 4497 based, with additions),
 * else NORMAL_UNSPECIFIED (31).
 * @function sip_to_cause
 * @int code
 * @treturn int cause number (see `cause_name`)
 */
static int l_fs_sip_to_cause(lua_State *L)
{
    int code = sc_checkcode(L, 1);

    sc_checknargs(L, 1);
    lua_pushinteger(L, sipcodes_fs_sip_to_cause(code));
    return 1;
}

/***
 * The SIP status mod_sofia refuses a call with for a hangup cause: its
 * table, else 480.
 * @function cause_to_sip
 * @tparam int|string cause number or name
 * @treturn[1] int code
 * @treturn[2] nil for a name FreeSWITCH does not have
 */
static int l_fs_cause_to_sip(lua_State *L)
{
    int cause;
    int ok = sc_fs_checkcause(L, 1, &cause);

    sc_checknargs(L, 1);
    return sc_push_int_or_nil(L, ok, ok ? sipcodes_fs_cause_to_sip(cause) : 0);
}

/***
 * The cause to hang up with so that mod_sofia sends code: its own cause
 * for code if that maps back, else the lowest cause that maps to code.
 * When no cause gives code (608, 499), the cause mod_sofia gives code;
 * compare `cause_to_sip` of the result with code to see what goes out.
 * @function cause_for_sip
 * @int code
 * @treturn int cause number
 */
static int l_fs_cause_for_sip(lua_State *L)
{
    int code = sc_checkcode(L, 1);

    sc_checknargs(L, 1);
    lua_pushinteger(L, sipcodes_fs_cause_for_sip(code));
    return 1;
}

/***
 * The Q.850 value FreeSWITCH sends for a cause (Reason header,
 * hangup_cause_q850): causes up to 127 as they are, others 16.
 * @function cause_q850
 * @tparam int|string cause number or name
 * @treturn[1] int
 * @treturn[2] nil for an unknown name or a negative number
 */
static int l_fs_cause_q850(lua_State *L)
{
    int cause, q850 = -1;

    if (sc_fs_checkcause(L, 1, &cause))
        q850 = sipcodes_fs_cause_q850(cause);
    sc_checknargs(L, 1);
    return sc_push_int_or_nil(L, q850 >= 0, q850);
}

/***
 * A fresh table of every cause, NAME -> number.
 * @function causes
 * @treturn table
 */
static int l_fs_causes(lua_State *L)
{
    size_t i, n = sipcodes_fs_cause_count();

    sc_checknargs(L, 0);
    lua_createtable(L, 0, (int)n);
    for (i = 0; i < n; i++) {
        const sipcodes_fs_cause *c = sipcodes_fs_cause_at(i);
        lua_pushinteger(L, c->cause);
        lua_setfield(L, -2, c->name);
    }
    return 1;
}

/* ---- sessions -------------------------------------------------------------- */

/* Argument 1 must be a session with the methods named (an sc_names list):
 * a table or a userdata that can be indexed, where each is present, so
 * that a wrong object gets an argument error instead of "attempt to call
 * a nil value" from inside the helper. */
static void sc_checksession(lua_State *L, sc_names methods)
{
    int t = lua_type(L, 1);
    const char *m;

    if (t != LUA_TTABLE && t != LUA_TUSERDATA)
        sc_typeerror(L, 1, "session");
    if (t == LUA_TUSERDATA) {
        int indexable = 0;
        if (lua_getmetatable(L, 1)) {
            lua_getfield(L, -1, "__index");
            indexable = !lua_isnil(L, -1);
            lua_pop(L, 2);
        }
        if (!indexable)
            sc_argerror(L, 1, lua_pushfstring(L, "session expected, got userdata without %s()",
                                              methods));
    }
    for (m = methods; *m; m += strlen(m) + 1) {
        lua_getfield(L, 1, m);
        if (lua_isnil(L, -1))
            sc_argerror(L, 1, lua_pushfstring(L, "session expected, got %s without %s()",
                                              lua_typename(L, t), m));
        lua_pop(L, 1);
    }
}

/* Push session:m (the function) and the session, ready for lua_call with
 * the arguments pushed after them. */
static void sc_method(lua_State *L, const char *m)
{
    lua_getfield(L, 1, m);
    lua_pushvalue(L, 1);
}

/***
 * Answer an unanswered call with a SIP response and a real phrase.
 * Runs `session:execute("respond", "<code> <phrase>")`.  Without a reason
 * the phrase is `sipcodes.phrase(code)`, never FreeSWITCH's "Because",
 * which mod_sofia sends when sofia-sip has no phrase for a code (608,
 * 425, ...).  A reason of the caller's must be what a Status-Line can
 * carry (the rule of `format_status_line`, and not empty): anything else
 * raises before the session is asked.  mod_sofia gives some codes a
 * meaning of their own: 302 redirects, 401/407 challenge; use the
 * dialplan's redirect and auth for those.
 * @function respond
 * @param session a mod_lua session
 * @int code 100-699
 * @string[opt] reason the phrase; default `sipcodes.phrase(code)`
 * @treturn string what was passed to respond, e.g. "608 Rejected"
 */
static int l_fs_respond(lua_State *L)
{
    int code;

    sc_checksession(L, "execute\0");
    code = sc_checkwirecode(L, 2);
    if (!lua_isnoneornil(L, 3)) {
        size_t len;
        sc_checkphrase(L, 3, SIPCODES_PHRASE_NONEMPTY, &len);
    }
    sc_checknargs(L, 3);
    lua_settop(L, 3);
    lua_pushfstring(L, "%d ", code);
    if (lua_isnil(L, 3))
        sc_push_phrase(L, code);
    else
        lua_pushvalue(L, 3);
    lua_concat(L, 2); /* 4: the data */
    sc_method(L, "execute");
    lua_pushliteral(L, "respond");
    lua_pushvalue(L, 4);
    lua_call(L, 3, 0);
    return 1;
}

/***
 * Hang up with the cause that makes mod_sofia refuse the call with code
 * (see `cause_for_sip`).  Returns the cause name used and the code that
 * mod_sofia derives from it, which differs from code when no cause gives
 * code (then use `respond` for the exact code).
 *
 * mod_sofia refuses with `hangup_cause_to_sip(cause)` unless a leg this
 * one was bridged to left `last_bridge_proto_specific_hangup_cause`
 * ("sip:NNN"): then it sends NNN instead, unless the channel variable
 * `sip_ignore_remote_cause` is true.  So that the code returned is the
 * code that goes out, `hangup` sets `sip_ignore_remote_cause` to "true"
 * before it hangs up.
 * @function hangup
 * @param session a mod_lua session
 * @int code 100-699
 * @treturn string cause name, e.g. "USER_BUSY"
 * @treturn int the code mod_sofia sends for it
 */
static int l_fs_hangup(lua_State *L)
{
    int code, cause;
    const char *name;

    sc_checksession(L, "setVariable\0hangup\0");
    code = sc_checkwirecode(L, 2);
    sc_checknargs(L, 2);
    cause = sipcodes_fs_cause_for_sip(code);
    name = sipcodes_fs_cause_name(cause);
    sc_method(L, "setVariable");
    lua_pushliteral(L, "sip_ignore_remote_cause");
    lua_pushliteral(L, "true");
    lua_call(L, 3, 0);
    sc_method(L, "hangup");
    lua_pushstring(L, name);
    lua_call(L, 2, 0);
    lua_pushstring(L, name);
    lua_pushinteger(L, sipcodes_fs_cause_to_sip(cause));
    return 2;
}

/* Push session:getVariable(name), or nil when it is unset or empty. */
static void sc_getvar(lua_State *L, const char *name)
{
    sc_method(L, "getVariable");
    lua_pushstring(L, name);
    lua_call(L, 2, 1);
    if (lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) == 0) {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
}

/* The SIP status in the value at idx, 100-699, or 0: a string in the form
 * given, or a number (sip_term_status only), read by the one integer rule,
 * never written out first (which would depend on the locale). */
static int sc_status_in(lua_State *L, int idx, int form)
{
    size_t len;
    const char *s;
    int code;

    if (lua_type(L, idx) == LUA_TNUMBER)
        return form == SIPCODES_FS_STATUS &&
               sipcodes_int_of_number((double)lua_tonumber(L, idx), &code) &&
               sipcodes_is_valid(code) ? code : 0;
    if (lua_type(L, idx) != LUA_TSTRING)
        return 0;
    s = lua_tolstring(L, idx, &len);
    return sipcodes_fs_status_of(s, len, form);
}

/* The cause number in the value at idx: a cause name or number, nil (0)
 * for anything else and for NONE (0), which a channel that has not ended
 * reports. */
static int sc_cause_in(lua_State *L, int idx)
{
    int cause = 0;

    if (sc_tocode(L, idx, &cause) == SIPCODES_NUMERAL_INT) {
        if (!sipcodes_fs_cause_name(cause))
            cause = 0;
    } else if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        cause = sipcodes_fs_cause_find(s, len);
    } else {
        cause = 0;
    }
    return cause > 0 ? cause : 0;
}

/***
 * How a call ended, as a SIP code and an info table.
 * Reads, in order, the SIP status in `sip_term_status` ("486"),
 * `proto_specific_hangup_cause` ("sip:486") and
 * `last_bridge_proto_specific_hangup_cause` ("sip:486"), taking only
 * 100-699.  Without one, a hangup cause in `hangup_cause` (else
 * `session:hangupCause()`), `last_bridge_hangup_cause` or
 * `originate_disposition`, in that order, is turned into a code as
 * mod_sofia would (`cause_to_sip`), except that a normal clearing
 * (NORMAL_CLEARING, SUCCESS) of an answered call is 200.  A value that is
 * no status or cause ("000", "call accepted") is passed over.
 * @function outcome
 * @param session a mod_lua session
 * @treturn[1] int code
 * @treturn[1] table info: `code`, `phrase`, `class_name`, `source` (the
 *   variable the code came from), `hangup_cause` (name of this leg's
 *   cause), `cause` (its number), `q850`, `answered`, and the variables
 *   read
 * @treturn[2] nil when the session tells nothing yet
 * @treturn[2] table info with what was read
 */
static int l_fs_outcome(lua_State *L)
{
    static const struct {
        char var[48];
        int form;
    } sources[] = {
        {"sip_term_status", SIPCODES_FS_STATUS},
        {"proto_specific_hangup_cause", SIPCODES_FS_PROTO},
        {"last_bridge_proto_specific_hangup_cause", SIPCODES_FS_PROTO},
    };
    static const char causevars[3][32] = {
        "hangup_cause", "last_bridge_hangup_cause", "originate_disposition"
    };
    int causes[3], code = 0, answered = 0, i, info;
    const char *source = NULL;

    sc_checksession(L, "getVariable\0");
    sc_checknargs(L, 1);
    lua_settop(L, 1);
    lua_createtable(L, 0, 12);
    info = 2;
    for (i = 0; i < 3; i++) {
        int c;
        sc_getvar(L, sources[i].var);
        c = sc_status_in(L, -1, sources[i].form);
        lua_setfield(L, info, sources[i].var);
        if (c && !code) {
            code = c;
            source = sources[i].var;
        }
    }
    /* The causes, read whether or not a status was found, for info. */
    for (i = 0; i < 3; i++) {
        sc_getvar(L, causevars[i]);
        if (i == 0) {
            if (lua_isnil(L, -1)) {
                lua_getfield(L, 1, "hangupCause");
                if (lua_isfunction(L, -1)) {
                    lua_pop(L, 2);
                    sc_method(L, "hangupCause");
                    lua_call(L, 1, 1);
                } else {
                    lua_pop(L, 1);
                }
            }
            causes[0] = sc_cause_in(L, -1);
            if (causes[0]) {
                lua_pushstring(L, sipcodes_fs_cause_name(causes[0]));
                lua_setfield(L, info, "hangup_cause");
                lua_pushinteger(L, causes[0]);
                lua_setfield(L, info, "cause");
                lua_pushinteger(L, sipcodes_fs_cause_q850(causes[0]));
                lua_setfield(L, info, "q850");
            }
            lua_pop(L, 1);
        } else {
            causes[i] = sc_cause_in(L, -1);
            lua_setfield(L, info, causevars[i]);
        }
    }
    lua_getfield(L, 1, "answered");
    if (lua_isfunction(L, -1)) {
        lua_pop(L, 1);
        sc_method(L, "answered");
        lua_call(L, 1, 1);
        answered = lua_toboolean(L, -1);
        lua_pop(L, 1);
        lua_pushboolean(L, answered);
        lua_setfield(L, info, "answered");
    } else {
        lua_pop(L, 1);
    }
    sc_getvar(L, "sip_hangup_phrase");
    lua_setfield(L, info, "sip_hangup_phrase");

    for (i = 0; i < 3 && !code; i++) {
        if (causes[i]) {
            const char *name = sipcodes_fs_cause_name(causes[i]);
            if (answered && (strcmp(name, "NORMAL_CLEARING") == 0 || strcmp(name, "SUCCESS") == 0))
                code = 200;
            else
                code = sipcodes_fs_cause_to_sip(causes[i]);
            source = causevars[i];
        }
    }
    if (!code) {
        lua_pushnil(L);
        lua_insert(L, info);
        return 2;
    }
    lua_pushstring(L, source);
    lua_setfield(L, info, "source");
    lua_pushinteger(L, code);
    lua_setfield(L, info, "code");
    sc_push_phrase(L, code);
    lua_setfield(L, info, "phrase");
    lua_pushstring(L, sipcodes_class_name(code));
    lua_setfield(L, info, "class_name");
    lua_pushinteger(L, code);
    lua_insert(L, info);
    return 2;
}

/* The functions of the module, in the table freeswitch() makes (an
 * X-macro, not a table of function pointers: see SC_FIND). */
#define SC_FS_MODULE(X) \
    X(cause_for_sip) X(cause_name) X(cause_number) X(cause_q850) X(cause_to_sip) \
    X(causes) X(hangup) X(outcome) X(respond) X(sip_to_cause)

/* freeswitch(): the table `require "sipcodes.freeswitch"` returns. */
static int l_freeswitch(lua_State *L)
{
    sc_checknargs(L, 0);
    lua_createtable(L, 0, 10);
#define SC_FS_FUNC(name)                          \
    sc_pushfunc(L, l_fs_##name, #name, 0);        \
    lua_setfield(L, -2, #name);
    SC_FS_MODULE(SC_FS_FUNC)
#undef SC_FS_FUNC
    return 1;
}

lua_CFunction sc_freeswitch_find(const char *k, size_t len, unsigned *flags)
{
    SC_FIND(freeswitch, 0)
    return NULL;
}
