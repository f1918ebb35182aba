/***
 * FreeSWITCH helpers for mod_lua scripts.
 * Hangup causes, the mapping of mod_sofia between SIP codes and causes, and
 * helpers on a session: respond, hang up, hunt over gateways by a policy,
 * read and tag how the call ended.  @{freeswitch.md|The FreeSWITCH guide}
 * shows the configuration and a dialplan script.
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
 * anything is called on it (`hangup` may ask `answered()` first: see
 * there).
 * @module sipcodes.freeswitch
 * @usage
 * local fs = require "sipcodes.freeswitch"
 * fs.cause_number("user_busy")       --> 17
 * fs.cause_name(17)                  --> "USER_BUSY"
 * fs.sip_to_cause(486)               --> 17
 * fs.cause_to_sip("CALL_REJECTED")   --> 603
 * -- in a dialplan script, on the caller's unanswered leg
 * fs.respond(session, 608)           --> "608 Rejected"
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
 * Hangup causes.
 * The causes of FreeSWITCH by name and number, and how mod_sofia maps
 * them to SIP codes and back.
 * @section causes
 */

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
 * The cause mod_sofia records for a SIP status it receives: its table
 * (`sofia_glue_sip_cause_to_freeswitch`, RFC 4497 based, with additions),
 * else NORMAL_UNSPECIFIED (31).  The table is mod_sofia's last resort: a
 * response or BYE that carries `Reason: Q.850;cause=N` (or the protocol
 * "FreeSWITCH", or the profile's name) sets cause N directly and the
 * status is not looked up (sofia.c), so a far end's own Q.850 cause wins
 * over this function's answer.  mod_sofia's quirk, kept here because it is
 * what FreeSWITCH does: 429 (Provide Referrer Identity, RFC 3892) maps to
 * BAD_IDENTITY_INFO (821), which is the meaning of 436 Bad Identity Info;
 * 436 itself is not in the table (31).
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
 * table (`hangup_cause_to_sip`), else 480.  Its quirk, kept: the
 * STIR/SHAKEN cause BAD_IDENTITY_INFO goes out as 429 (Provide Referrer
 * Identity), not as 436 Bad Identity Info, and with an empty phrase from
 * the hangup path, since sofia-sip has none for 429 (`hangup` responds
 * instead).
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
 * 429 gives BAD_IDENTITY_INFO, by mod_sofia's quirk (see `sip_to_cause`).
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
 * The Q.850 value of a cause as FreeSWITCH reports it in
 * `hangup_cause_q850` (`switch_channel_cause_q850`): causes up to 127 as
 * they are, others 16.  On SIP a cause above 127 does not go out as Q.850
 * 16: mod_sofia writes `Reason: Q.850;cause=N;text="NAME"` only for 1-127
 * and `Reason: SIP;cause=N;text="NAME"` for the rest, so ORIGINATOR_CANCEL
 * (487) leaves as `Reason: SIP;cause=487;text="ORIGINATOR_CANCEL"` while
 * this function gives 16 (sofia_on_hangup in mod_sofia.c).
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

/* Argument 1 (a table, or a userdata already known to be indexable) must
 * have method m. */
static void sc_checkmethod(lua_State *L, const char *m)
{
    lua_getfield(L, 1, m);
    if (lua_isnil(L, -1))
        sc_argerror(L, 1, lua_pushfstring(L, "session expected, got %s without %s()",
                                          luaL_typename(L, 1), m));
    lua_pop(L, 1);
}

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
    for (m = methods; *m; m += strlen(m) + 1)
        sc_checkmethod(L, m);
}

/* Push session:m (the function) and the session, ready for lua_call with
 * the arguments pushed after them. */
static void sc_method(lua_State *L, const char *m)
{
    lua_getfield(L, 1, m);
    lua_pushvalue(L, 1);
}

/* session:answered() of the session at 1: 1 or 0, -1 when it has none. */
static int sc_session_answered(lua_State *L)
{
    int answered;

    lua_getfield(L, 1, "answered");
    if (!lua_isfunction(L, -1)) {
        lua_pop(L, 1);
        return -1;
    }
    lua_pop(L, 1);
    sc_method(L, "answered");
    lua_call(L, 1, 1);
    answered = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return answered;
}

/* The codes every sofia-sip has a phrase for in sip_status_phrase()
 * (libsofia-sip-ua/sip/sip_status.c in freeswitch/sofia-sip), in order.
 * 428 and 436-439 are left out on purpose: the file defines their strings,
 * but the switch in sip_status_phrase() had no case for them (the copy at
 * commit ad0adea) until its pull request #65 (2021) added them, so whether
 * they get a phrase depends on the sofia-sip FreeSWITCH was built with.
 * For a code not here, from 100 to 699, sofia-sip gives (or may give) "",
 * and mod_sofia's hangup path sends that empty phrase; its respond handler
 * sends the phrase it is given. */
static const unsigned short sc_sofia_phrased[] = {
    100, 180, 181, 182, 183, 200, 202, 300, 301, 302, 305, 380,
    400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413,
    414, 415, 416, 417, 420, 421, 422, 423,
    480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 490, 491, 493, 494,
    500, 501, 502, 503, 504, 505, 513, 580, 600, 603, 604, 606, 607, 687
};

/* Does every sofia-sip have a phrase for code? */
static int sc_sofia_has_phrase(int code)
{
    size_t lo = 0, hi = sizeof sc_sofia_phrased / sizeof sc_sofia_phrased[0];

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc_sofia_phrased[mid] == code)
            return 1;
        if (sc_sofia_phrased[mid] < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* session:execute("respond", "<code> <phrase>") for the session at 1, the
 * phrase the string at idx (already checked) or, for idx 0,
 * sipcodes.phrase(code); pushes the data it passed. */
static void sc_respond(lua_State *L, int code, int idx)
{
    lua_pushfstring(L, "%d ", code);
    if (idx)
        lua_pushvalue(L, idx);
    else
        sc_push_phrase(L, code);
    lua_concat(L, 2);
    sc_method(L, "execute");
    lua_pushliteral(L, "respond");
    lua_pushvalue(L, -4); /* the data */
    lua_call(L, 3, 0);
}

/***
 * Sessions.
 * Helpers on the `session` of a dialplan script.
 * @section sessions
 */

/***
 * Answer an unanswered call with a SIP response and a real phrase.
 * Runs `session:execute("respond", "<code> <phrase>")`.  Without a reason
 * the phrase is `sipcodes.phrase(code)`, never FreeSWITCH's "Because",
 * which mod_sofia sends when sofia-sip has no phrase for a code (608,
 * 425, ...).  A reason of the caller's must be what a Status-Line can
 * carry (the rule of `format_status_line`, and not empty): anything else
 * raises before the session is asked.  mod_sofia gives some codes a
 * meaning of their own: 302 redirects, 401/407 challenge; use the
 * dialplan's redirect and auth for those.  A code of 400 or more ends an
 * unanswered call: mod_sofia hangs the channel up with its cause for the
 * code (`sip_to_cause`), sends the response from its hangup path with the
 * phrase given, and `session:ready()` is false afterwards.
 * @function respond
 * @param session a mod_lua session
 * @int code 100-699
 * @string[opt] reason the phrase; default `sipcodes.phrase(code)`
 * @treturn string what was passed to respond, such as "608 Rejected"
 * @usage fs.respond(session, 425) --> "425 Bad Alert Message"
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
    sc_respond(L, code, lua_isnil(L, 3) ? 0 : 3);
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
 *
 * mod_sofia's hangup path sends sofia-sip's phrase for the code, which is
 * empty for a code sofia-sip does not know.  Of the codes a cause gives,
 * that is 429 (BAD_IDENTITY_INFO, mod_sofia's quirk; see `sip_to_cause`)
 * with every sofia-sip, and 428, 437 and 438 (NO_IDENTITY,
 * UNSUPPORTED_CERTIFICATE, INVALID_IDENTITY) with a sofia-sip older than
 * its pull request #65 (2021), which gave 428 and 436-439 their phrases
 * (no cause gives 436 or 439: STALE_DATE goes out as 403).  `hangup`
 * cannot tell which sofia-sip FreeSWITCH was built with, so it takes 429,
 * 428 and 436-439 as maybe empty.  For such a code on an unanswered call
 * `hangup` responds instead (`session:execute("respond", "429 Provide
 * Referrer Identity")`, whose phrase mod_sofia keeps, and which hangs the
 * channel up with mod_sofia's cause for the code), then calls
 * `session:hangup` with that cause, which sends nothing more.  An
 * answered call is hung up (a BYE: no phrase).  The session needs
 * `execute` only when `hangup` responds: for those codes it asks
 * `session:answered()` first, and raises before anything else is called
 * when the call is unanswered and `execute` is missing.
 * @function hangup
 * @param session a mod_lua session
 * @int code 100-699
 * @treturn string the cause the channel ends with, such as "USER_BUSY"
 * @treturn int the code mod_sofia sends for it
 * @usage fs.hangup(session, 486) --> "USER_BUSY", 486
 * fs.hangup(session, 608) --> "CALL_REJECTED", 603
 */
static int l_fs_hangup(lua_State *L)
{
    int code, cause, sent, respond;
    const char *name;

    sc_checksession(L, "setVariable\0hangup\0");
    code = sc_checkwirecode(L, 2);
    sc_checknargs(L, 2);
    lua_settop(L, 2);
    cause = sipcodes_fs_cause_for_sip(code);
    sent = sipcodes_fs_cause_to_sip(cause);
    /* The hangup path might send "429 ": respond with the phrase. */
    respond = !sc_sofia_has_phrase(sent) && sc_session_answered(L) != 1;
    if (respond)
        sc_checkmethod(L, "execute");
    sc_method(L, "setVariable");
    lua_pushliteral(L, "sip_ignore_remote_cause");
    lua_pushliteral(L, "true");
    lua_call(L, 3, 0);
    if (respond) {
        sc_respond(L, sent, 0);
        lua_pop(L, 1);
        cause = sipcodes_fs_sip_to_cause(sent);
    }
    name = sipcodes_fs_cause_name(cause);
    sc_method(L, "hangup");
    lua_pushstring(L, name);
    lua_call(L, 2, 0);
    lua_pushstring(L, name);
    lua_pushinteger(L, sent);
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
 *   cause), `cause` (its number), `q850`, `answered`, `category` and
 *   `party` (the call's outcome: answered for an answered leg that ended
 *   with its own cause; else `sip.q850_outcome` of the cause when the code
 *   came from a Q.850 cause, and `sip.outcome` of the code otherwise;
 *   party nil where neither fits), and the variables read
 * @treturn[2] nil when the session tells nothing yet
 * @treturn[2] table info with what was read
 * @usage -- after a bridge that the far end refused with 486
 * local code, info = fs.outcome(session)
 * code, info.category, info.source --> 486, "busy", "last_bridge_proto_specific_hangup_cause"
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
    int causes[3], code = 0, answered = 0, i, info, cause = 0, category, party;
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
    if ((answered = sc_session_answered(L)) >= 0) {
        lua_pushboolean(L, answered);
        lua_setfield(L, info, "answered");
    } else {
        answered = 0;
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
            cause = causes[i];
        }
    }
    if (!code) {
        lua_pushnil(L);
        lua_insert(L, info);
        return 2;
    }
    /* The outcome.  A leg that was answered and ended with a cause of its
     * own was answered, whatever the cause (the answer is this leg's; a
     * bridge's cause says nothing of it: an IVR answers the caller before
     * a bridge that gets no answer).  Otherwise from the Q.850 cause when
     * the code came from one (a cause says more than the code mod_sofia
     * makes of it: NO_ANSWER is no answer, its 480 only "unavailable"),
     * and from the code for a SIP status, a 200 and FreeSWITCH's own
     * causes above 127. */
    if (answered && source == causevars[0]) {
        category = SIPCODES_OUTCOME_ANSWERED;
        party = SIPCODES_PARTY_USER;
    } else if (cause > 0 && cause <= 127 && code != 200) {
        category = sipcodes_q850_outcome(cause, NULL, &party);
    } else {
        category = sipcodes_outcome(code, NULL, &party);
    }
    sc_push_outcome(L, category, party);
    lua_setfield(L, info, "party");
    lua_setfield(L, info, "category");
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

/***
 * Tag the channel with the call's outcome, for CDR templates: sets the
 * channel variables `sipcodes_outcome` (the category), `sipcodes_party`,
 * `sipcodes_code` and `sipcodes_phrase`, from what `outcome` reads or, with
 * `code`, from that code (the one `hunt` answered with, say).  A party that
 * does not fit is unset (`setVariable` with nil), so that tagging again
 * leaves nothing of an earlier tag.  Call it after the bridge, or in the
 * hangup hook; a template such as `${sipcodes_outcome}` then has them.
 * @function tag
 * @param session a mod_lua session
 * @int[opt] code a final code 200-699 to tag instead of what the session
 *   tells
 * @treturn[1] string category
 * @treturn[1] ?string party
 * @treturn[1] int code
 * @treturn[2] nil when the session tells nothing yet (nothing is set)
 * @usage -- after a bridge that the far end refused with 486
 * fs.tag(session) --> "busy", "user", 486
 */
static int l_fs_tag(lua_State *L)
{
    static const char fields[4][10] = {"category", "party", "code", "phrase"};
    static const char vars[4][18] = {
        "sipcodes_outcome", "sipcodes_party", "sipcodes_code", "sipcodes_phrase"
    };
    int i, code = 0;
    const int info = 4;

    sc_checksession(L, "getVariable\0setVariable\0");
    if (!lua_isnoneornil(L, 2))
        code = sc_checkfinalcode(L, 2);
    sc_checknargs(L, 2);
    lua_settop(L, 2);
    if (!code) {
        sc_pushfunc(L, l_fs_outcome, "tag", 0);
        lua_pushvalue(L, 1);
        lua_call(L, 1, 2); /* 3: code or nil, 4: info */
        if (lua_isnil(L, 3)) {
            lua_pushnil(L);
            return 1;
        }
    } else {
        int party, category = sipcodes_outcome(code, NULL, &party);

        lua_pushinteger(L, code);
        lua_createtable(L, 0, 4);
        sc_push_outcome(L, category, party);
        lua_setfield(L, info, "party");
        lua_setfield(L, info, "category");
        lua_pushvalue(L, 3);
        lua_setfield(L, info, "code");
        sc_push_phrase(L, code);
        lua_setfield(L, info, "phrase");
    }
    for (i = 0; i < 4; i++) {
        lua_getfield(L, info, fields[i]);
        /* A string for every variable (%d has no locale to follow). */
        if (i == 2) {
            int c = (int)lua_tointeger(L, -1);
            lua_pop(L, 1);
            lua_pushfstring(L, "%d", c);
        }
        sc_method(L, "setVariable");
        lua_pushstring(L, vars[i]);
        lua_pushvalue(L, -4);
        lua_call(L, 3, 0);
        lua_pop(L, 1);
    }
    lua_getfield(L, info, "category");
    lua_getfield(L, info, "party");
    lua_pushvalue(L, 3);
    return 3;
}

/* ---- hunting -------------------------------------------------------------- */

/* The variables a bridge leaves on the caller's leg, cleared before each
 * one so that an attempt never reads the last one's. */
static const char sc_bridge_vars[4][48] = {
    "last_bridge_proto_specific_hangup_cause", "last_bridge_hangup_cause",
    "originate_disposition", "sip_hangup_phrase"
};

/* Does a response with code say what it means in a header the far end put
 * there (a challenge, a Contact, Unsupported, Min-SE, ...)?  Those are the
 * codes with a header they must carry, and 3xx.  FreeSWITCH does not pass a
 * far end's headers to the caller's leg, so fs.hunt cannot send them. */
static int sc_needs_far_headers(int code)
{
    size_t n, i;
    const sipcodes_header_rule *r = sipcodes_required_headers(code, &n);

    if (code >= 300 && code < 400)
        return 1;
    for (i = 0; r && i < n; i++)
        if (strcmp(r[i].level, "must") == 0)
            return 1;
    return 0;
}

/* Call session:<m>() and return whether it said true (a session without
 * it: false). */
static int sc_session_is(lua_State *L, const char *m)
{
    int yes;

    lua_getfield(L, 1, m);
    if (!lua_isfunction(L, -1) && !lua_istable(L, -1) && !lua_isuserdata(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    yes = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return yes;
}

static void sc_setvar(lua_State *L, const char *name, const char *value)
{
    sc_method(L, "setVariable");
    lua_pushstring(L, name);
    lua_pushstring(L, value);
    lua_call(L, 3, 0);
}

/***
 * Try dial strings in turn as a policy says, then answer the caller.
 * Sets `continue_on_fail=true` for its own bridges, bridges to each
 * target, and puts the dialplan's value back afterwards.  Measured: a
 * failed bridge hangs the caller up unless the variable is set, and with
 * it set in the dialplan before the script the caller's leg stays up; that
 * setting it from inside the script does the same is modelled (the session
 * double), not measured.  After each bridge it reads the outcome
 * (`last_bridge_proto_specific_hangup_cause`, else the hangup
 * cause: NO_USER_RESPONSE and RECOVERY_ON_TIMER_EXPIRE without a SIP
 * status are no response, NO_ANSWER is ringing without an answer), and asks
 * `p:decide`.  `"next"` tries the next target, `"next_down"` too after
 * `opts.mark_down(target, seconds, ctx)`; anything else stops and answers
 * the caller with that code and a real phrase: the far end's when it is
 * one a Status-Line can carry, else `sipcodes.phrase(code)` (never an
 * empty phrase, never "Because").  When every target failed, the caller
 * gets the best response of the attempts (RFC 3261 16.7); with no
 * targets at all, "500 Server Internal Error".  A code that
 * means what the far end's headers say (3xx, 401, 407, 420, 421, 423, ...:
 * `required_headers` lists a header it must carry) cannot be passed on,
 * since FreeSWITCH gives the caller's leg none of those headers; the caller
 * gets the code mod_sofia sends for it (603 for a challenge, 480 for a
 * redirection).  The far end's Retry-After does not reach the caller's leg
 * either, so `"next_down"` comes only from no response.  `mark_down` gets
 * the attempt's table as ctx; a `phrase` it leaves there is checked like
 * the far end's (an empty one is never sent).  A bridge that
 * was answered ends the hunt with 200 and nothing is sent; a caller who
 * hung up ends it without a response.
 * @function hunt
 * @param session a mod_lua session
 * @tparam userdata p a `sipcodes.policy`
 * @tparam {string,...} targets dial strings
 * @tab[opt] opts `mark_down` (function(target, seconds, ctx))
 * @treturn int the code sent (or 200 for an answered bridge, or the last
 *   code when the caller left)
 * @treturn string what was done: "done" (a bridge was answered), "relay"
 *   (the caller was answered with code; the policy's action for each
 *   attempt is in info.attempts) or "canceled" (the caller left)
 * @treturn table info: `attempts` ({target, code, action, why} each),
 *   `sent` (what was passed to respond), `exhausted`
 * @usage local carrier = require("sipcodes.policy").new("carrier")
 * -- gateway a answers 503 (the next one is tried), gateway b 486
 * local code, action = fs.hunt(session, carrier, { "sofia/gateway/a/100", "sofia/gateway/b/100" })
 * code, action --> 486, "relay"
 */
static int l_fs_hunt(lua_State *L)
{
    const sipcodes_policy *p;
    int n, i, info, attempts, code = 0, action = SIPCODES_ACT_RELAY, answered = 0;
    int canceled = 0, stop = 0, was_up;
    sipcodes_chooser best;
    size_t chosen;

    sc_checksession(L, "execute\0setVariable\0getVariable\0");
    p = sc_checkpolicy(L, 2);
    if (!lua_istable(L, 3))
        sc_typeerror(L, 3, "table");
    n = sc_checklist(L, 3, "string");
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, 3, i);
        if (lua_type(L, -1) != LUA_TSTRING)
            sc_argerror(L, 3, lua_pushfstring(L, "[%d]: string expected, got %s", i,
                                              luaL_typename(L, -1)));
        lua_pop(L, 1);
    }
    sc_checkopts(L, 4, "mark_down\0");
    sc_checknargs(L, 4);
    lua_settop(L, 4);
    if (lua_istable(L, 4))
        lua_getfield(L, 4, "mark_down"); /* 5 */
    else
        lua_pushnil(L);
    if (!lua_isnil(L, 5) && !lua_isfunction(L, 5))
        sc_argerror(L, 4, "option 'mark_down' must be a function");
    lua_createtable(L, 0, 4); /* 6: info */
    info = 6;
    lua_createtable(L, n, 0);
    attempts = lua_gettop(L);
    lua_pushvalue(L, attempts);
    lua_setfield(L, info, "attempts");

    sipcodes_chooser_init(&best);
    /* A caller answered before the hunt (an IVR) stays answered: only the
     * originate's disposition tells then whether a bridge was answered. */
    was_up = sc_session_is(L, "answered");
    /* continue_on_fail as the dialplan had it, put back afterwards. */
    sc_getvar(L, "continue_on_fail");
    lua_setfield(L, info, "continue_on_fail");
    sc_setvar(L, "continue_on_fail", "true");
    for (i = 1; i <= n && !stop; i++) {
        sipcodes_policy_ctx c;
        const char *why;
        unsigned seconds;
        int status, cause, k, attempt;

        if (!sc_session_is(L, "ready")) {
            canceled = 1;
            break;
        }
        for (k = 0; k < 4; k++)
            sc_setvar(L, sc_bridge_vars[k], "");
        sc_method(L, "execute");
        lua_pushliteral(L, "bridge");
        lua_rawgeti(L, 3, i);
        lua_call(L, 3, 0);

        sipcodes_policy_ctx_init(&c);
        sc_getvar(L, "last_bridge_proto_specific_hangup_cause");
        status = sc_status_in(L, -1, SIPCODES_FS_PROTO);
        lua_pop(L, 1);
        sc_getvar(L, "originate_disposition");
        cause = sc_cause_in(L, -1);
        if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "SUCCESS") == 0)
            answered = 1;
        lua_pop(L, 1);
        if (!cause) {
            sc_getvar(L, "last_bridge_hangup_cause");
            cause = sc_cause_in(L, -1);
            lua_pop(L, 1);
        }
        if (answered || (!was_up && sc_session_is(L, "answered"))) {
            code = 200;
            action = SIPCODES_ACT_DONE;
            answered = 1;
            break;
        }
        if (cause && strcmp(sipcodes_fs_cause_name(cause), "ORIGINATOR_CANCEL") == 0) {
            canceled = 1;
            break;
        }
        if (!status) {
            const char *name = cause ? sipcodes_fs_cause_name(cause) : "";
            if (strcmp(name, "NO_ANSWER") == 0) {
                c.local_timeout = c.provisional = 1;
            } else if (!cause || strcmp(name, "NO_USER_RESPONSE") == 0 ||
                       strcmp(name, "RECOVERY_ON_TIMER_EXPIRE") == 0) {
                c.local_timeout = 1;
            }
            status = c.local_timeout && !c.provisional ? 408 : sipcodes_fs_cause_to_sip(cause);
        }
        code = status;
        action = sipcodes_policy_decide(p, code, &c, &why, &seconds);
        sipcodes_chooser_add(&best, code, (size_t)i);

        lua_createtable(L, 0, 6);
        attempt = lua_gettop(L);
        lua_rawgeti(L, 3, i);
        lua_setfield(L, attempt, "target");
        lua_pushinteger(L, code);
        lua_setfield(L, attempt, "code");
        lua_pushstring(L, sipcodes_action_name(action));
        lua_setfield(L, attempt, "action");
        lua_pushstring(L, why);
        lua_setfield(L, attempt, "why");
        lua_pushboolean(L, c.local_timeout);
        lua_setfield(L, attempt, "local_timeout");
        sc_getvar(L, "sip_hangup_phrase");
        lua_setfield(L, attempt, "phrase");
        if (action == SIPCODES_ACT_NEXT_DOWN) {
            lua_pushinteger(L, (lua_Integer)seconds);
            lua_setfield(L, attempt, "seconds");
            if (!lua_isnil(L, 5)) {
                lua_pushvalue(L, 5);
                lua_rawgeti(L, 3, i);
                lua_pushinteger(L, (lua_Integer)seconds);
                lua_pushvalue(L, attempt);
                lua_call(L, 3, 0);
            }
        }
        lua_rawseti(L, attempts, i);
        stop = action != SIPCODES_ACT_NEXT && action != SIPCODES_ACT_NEXT_DOWN;
    }
    /* The dialplan's continue_on_fail again (unset: ""). */
    lua_getfield(L, info, "continue_on_fail");
    sc_setvar(L, "continue_on_fail", lua_isnil(L, -1) ? "" : lua_tostring(L, -1));
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_setfield(L, info, "continue_on_fail");
    if (canceled) {
        lua_pushboolean(L, 1);
        lua_setfield(L, info, "canceled");
        lua_pushinteger(L, code ? code : 487);
        lua_pushliteral(L, "canceled");
        lua_pushvalue(L, info);
        return 3;
    }
    if (!answered) {
        int from = i - 1, pidx = 0, sent;
        if (!stop) {
            /* Every target failed: the best of what came back. */
            lua_pushboolean(L, 1);
            lua_setfield(L, info, "exhausted");
            code = n ? sipcodes_chooser_result(&best, &chosen) : 500;
            from = n && chosen != SIPCODES_NONE ? (int)chosen : 0;
            action = SIPCODES_ACT_RELAY;
        }
        /* The far end's phrase, when it is one for the wire. */
        if (from) {
            lua_rawgeti(L, attempts, from);
            lua_getfield(L, -1, "phrase");
            lua_remove(L, -2);
            if (lua_type(L, -1) == LUA_TSTRING) {
                size_t len;
                const char *ph = lua_tolstring(L, -1, &len);
                sipcodes_error err;
                if (!sipcodes_check_reason_phrase(ph, len, SIPCODES_PHRASE_NONEMPTY, &err))
                    pidx = lua_gettop(L);
            }
        }
        /* A response that lives by the far end's headers would go out
         * without them (a 407 without its challenge, which is FreeSWITCH's
         * to answer, a 302 without Contact): the caller gets what mod_sofia
         * itself sends for it instead. */
        sent = code;
        if (sc_needs_far_headers(code)) {
            sent = sipcodes_fs_cause_to_sip(sipcodes_fs_sip_to_cause(code));
            pidx = 0;
        }
        sc_respond(L, sent, pidx);
        lua_setfield(L, info, "sent");
        code = sent;
        action = SIPCODES_ACT_RELAY; /* what was done: the caller answered */
    }
    lua_pushinteger(L, code);
    lua_pushstring(L, answered ? "done" : sipcodes_action_name(action));
    lua_pushvalue(L, info);
    return 3;
}

/*** @section end */

/* The functions of the module, in the table freeswitch() makes (an
 * X-macro, not a table of function pointers: see SC_FIND). */
#define SC_FS_MODULE(X) \
    X(cause_for_sip) X(cause_name) X(cause_number) X(cause_q850) X(cause_to_sip) \
    X(causes) X(hangup) X(hunt) X(outcome) X(respond) X(sip_to_cause) X(tag)

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
