/***
 * Kamailio helpers for KEMI Lua scripts (app_lua).
 * Replies that always carry a phrase, the winning reply of a failure route,
 * failover by a policy, outcome tags for the `acc` module, and a guard
 * that answers a route's Lua error.  @{kamailio.md|The Kamailio guide}
 * shows a whole configuration.
 *
 * Kamailio's sl module refuses an empty reason phrase ("reply reason is
 * null or empty"), so every reply helper supplies one: the phrase given, or
 * `sipcodes.phrase(code)`, which exists for every code 100-699.  A phrase
 * given must be what a Status-Line can carry (the rule of
 * `format_status_line`, and not empty); anything else raises and nothing
 * is sent.
 *
 * The helpers use the `KSR` object that app_lua puts into every worker's
 * lua_State, looked up when they are called (never created).  `new(ksr)`
 * gives the same helpers bound to another object, for tests or for code
 * that passes KSR around.
 *
 * `KSR.x.exit()` works by raising the string `"~~ksr~exit~~"`, which app_lua
 * compares exactly; `protect` raises that value again as it is, so exit
 * keeps working inside a protected route.  The helpers are C: a reply
 * allocates nothing in the Lua heap once its code has been sent before.
 * @module sipcodes.kamailio
 * @usage
 * local kam = require "sipcodes.kamailio"
 * -- in a request route: the KSR result and the phrase sent
 * kam.sl_reply(486)                          --> 1, "Busy Here"
 * kam.t_reply(608, nil, { reason = true })   --> 1, "Rejected"
 * -- in the failure route of an INVITE whose winning reply is a 486
 * (kam.winning())                            --> 486
 * kam.tag()                                  --> "busy", "user", 486
 * local CARRIER = require("sipcodes.policy").new("carrier")
 * (kam.failover(CARRIER, {}))                --> "relay"
 */
#include <string.h>

#include "lua_sipcodes.h"
#include "sipcodes_interop.h"
#include "sipcodes_outcome.h"
#include "sipcodes_proto.h"

/* The error value of KSR.x.exit() (app_lua_api.c, sr_kemi_lua_exit). */
#define SC_KSR_EXIT "~~ksr~exit~~"

/* The names a reply looks up on every request, as Lua strings made once per
 * state (slot SC_S_KSR): a lookup with a string the state already holds
 * costs no hashing of a C string (on Lua 5.1 that was a third of a reply). */
#define SC_KSR_KEYS(X) \
    X(KSR) X(hdr) X(append_to_reply) X(sl) X(sl_send_reply) X(send_reply) X(tm) \
    X(t_reply) X(reason) X(t_is_canceled) X(t_branch_timeout) X(t_branch_replied) \
    X(t_get_status_code) X(pv) X(get) X(sets) X(seti) X(unset) X(store) X(code) X(ctx)

/* The variables tag() writes, in this order, named sipcodes_<name> in
 * either store: "$(avp(sipcodes_<name>)[*])", which replaces every value
 * the AVP has (a plain $avp(x) = v adds one on top), and
 * "$dlg_var(sipcodes_<name>)".  Made once per state as well. */
#define SC_TAG_VARS(X) X(outcome) X(party) X(code) X(phrase)
#define SC_TAG_NVARS 4
enum {
#define SC_K_ENUM(name) SC_K_##name,
#define SC_K_AVP(name) SC_K_avp_##name,
#define SC_K_DLG(name) SC_K_dlg_##name,
    SC_K_FIRST_ = 0,
    SC_KSR_KEYS(SC_K_ENUM)
    SC_TAG_VARS(SC_K_AVP)
    SC_TAG_VARS(SC_K_DLG)
#undef SC_K_ENUM
#undef SC_K_AVP
#undef SC_K_DLG
    SC_K_END_
};

/* Push the table of those names, making it on first use. */
static int sc_push_keys(lua_State *L)
{
    sc_getslot(L, SC_S_KSR);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_createtable(L, SC_K_END_ - 1, 0);
#define SC_K_MAKE(name) lua_pushliteral(L, #name); lua_rawseti(L, -2, SC_K_##name);
#define SC_K_MAKE_AVP(name) \
    lua_pushliteral(L, "$(avp(sipcodes_" #name ")[*])"); lua_rawseti(L, -2, SC_K_avp_##name);
#define SC_K_MAKE_DLG(name) \
    lua_pushliteral(L, "$dlg_var(sipcodes_" #name ")"); lua_rawseti(L, -2, SC_K_dlg_##name);
        SC_KSR_KEYS(SC_K_MAKE)
        SC_TAG_VARS(SC_K_MAKE_AVP)
        SC_TAG_VARS(SC_K_MAKE_DLG)
#undef SC_K_MAKE
#undef SC_K_MAKE_AVP
#undef SC_K_MAKE_DLG
        lua_pushvalue(L, -1);
        sc_setslot(L, SC_S_KSR);
    }
    return lua_gettop(L);
}

/* Push t[names[k]] (t at idx, names at keys), metamethods honoured. */
static void sc_get(lua_State *L, int idx, int keys, int k)
{
    idx = lua_absindex(L, idx);
    lua_rawgeti(L, keys, k);
    lua_gettable(L, idx);
}

/* Push the KSR object: the one bound by new() (SC_EXTRA), else the global
 * that app_lua sets, looked up at each call.  keys: sc_push_keys. */
static void sc_push_ksr(lua_State *L, int keys)
{
    if (!lua_isnil(L, SC_EXTRA)) {
        lua_pushvalue(L, SC_EXTRA);
        return;
    }
    sc_pushglobals(L);
    sc_get(L, -1, keys, SC_K_KSR);
    lua_remove(L, -2);
    if (lua_isnil(L, -1))
        luaL_error(L, "%s: no KSR object (not running in Kamailio's app_lua; "
                      "pass one to sipcodes.kamailio.new)",
                   lua_tostring(L, SC_NAME));
    if (!lua_istable(L, -1) && !lua_isuserdata(L, -1))
        luaL_error(L, "%s: the global KSR is a %s, not Kamailio's KSR object",
                   lua_tostring(L, SC_NAME), luaL_typename(L, -1));
}

/* Push ksr.<group>.<func> (ksr at idx), a function; when KSR lacks it (the
 * Kamailio module is not loaded), say so by name instead of "attempt to
 * index a nil value" from deep inside the helper. */
static void sc_ksr_func(lua_State *L, int idx, int keys, int group, int func)
{
    sc_get(L, idx, keys, group);
    if (lua_istable(L, -1) || lua_isuserdata(L, -1))
        sc_get(L, -1, keys, func);
    else
        lua_pushnil(L);
    lua_remove(L, -2);
    if (!lua_isfunction(L, -1) && !lua_isuserdata(L, -1) && !lua_istable(L, -1)) {
        lua_rawgeti(L, keys, group);
        lua_rawgeti(L, keys, func);
        luaL_error(L, "%s: KSR has no %s.%s (is the Kamailio module that exports it loaded?)",
                   lua_tostring(L, SC_NAME), lua_tostring(L, -2), lua_tostring(L, -1));
    }
}

/* Push the Reason header line ("Reason: <value>\r\n") that opts.reason at
 * arg asks for, and return 1; or push nothing and return 0 when there is
 * none (no option, false, a code without a cause, a cause outside 1-127).
 * Every option that cannot make a header raises here, before anything is
 * sent:
 *   true      the Q.850 cause of code (RFC 3398) with its name (RFC 6432);
 *   a number  that Q.850 cause with its name;
 *   a table   a reason value, as format_reason takes it;
 *   a string  a Reason header value, which must parse as one. */
static int sc_reason_option(lua_State *L, int arg, int code, int keys)
{
    int t, cause;

    if (!sc_checkopts(L, arg, "reason\0"))
        return 0;
    sc_get(L, arg, keys, SC_K_reason);
    t = lua_type(L, -1);
    if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
        lua_pop(L, 1);
        return 0;
    }
    if (t == LUA_TBOOLEAN || t == LUA_TNUMBER) {
        /* The line of a code's cause (true) or of a cause given: made once
         * per state and kept (at most 600 codes and 127 causes), so that a
         * route replying with {reason = true} builds nothing per request. */
        int key;
        if (t == LUA_TBOOLEAN) {
            cause = sipcodes_to_q850(code, NULL);
            key = code;
        } else {
            if (!sipcodes_int_of_number((double)lua_tonumber(L, -1), &cause))
                sc_argerror(L, arg, "option 'reason' must be an integer");
            if (cause < 1 || cause > SIPCODES_Q850_MAX)
                cause = 0;
            key = -cause;
        }
        lua_pop(L, 1);
        if (!cause)
            return 0;
        sc_slottable(L, SC_S_LINES);
        lua_rawgeti(L, -1, key);
        if (lua_type(L, -1) == LUA_TSTRING) {
            lua_remove(L, -2);
            return 1;
        }
        lua_pop(L, 1);
        lua_pushliteral(L, "Reason: ");
        sc_push_q850_reason(L, cause);
        lua_pushliteral(L, "\r\n");
        lua_concat(L, 3);
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, key);
        lua_remove(L, -2);
        return 1;
    } else if (t == LUA_TSTRING) {
        /* The value as it goes on the wire: it must parse as a Reason
         * header value, on one line (folding, which the parser reads, has
         * no place in a header we write), with no "Reason:" name. */
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        sipcodes_reason_iter it;
        sipcodes_reason_value v;
        sipcodes_error err;
        int r;
        if (memchr(s, '\r', len) || memchr(s, '\n', len))
            sc_argerror(L, arg, "option 'reason': CR or LF in a header value");
        r = sipcodes_reason_init(&it, s, len, &err);
        if (r == 0 && it.pos != 0)
            sc_argerror(L, arg, "option 'reason': a header value, without the name");
        /* Refused as parse_reason refuses it: a second SIP or Q.850 value. */
        while (r == 0 && (r = sipcodes_reason_next(&it, &v, &err)) == 1)
            r = sipcodes_reason_refuse_repeated(s, &v, &err);
        if (r < 0)
            sc_argerror(L, arg, lua_pushfstring(L, "option 'reason': %s at byte %d",
                                                err.msg, (int)err.pos + 1));
    } else if (t == LUA_TTABLE) {
        char out[SIPCODES_MAX_LINE];
        size_t len;
        if (sc_format_reason_arg(L, -1, out, &len) != SC_FMT_OK)
            sc_argerror(L, arg, lua_pushfstring(L, "option 'reason': %s", lua_tostring(L, -1)));
        lua_pop(L, 1);
        lua_pushlstring(L, out, len);
    } else {
        sc_argerror(L, arg, "option 'reason' must be a boolean, a string, a number or a table");
    }
    lua_pushliteral(L, "Reason: ");
    lua_insert(L, -2);
    lua_pushliteral(L, "\r\n");
    lua_concat(L, 3);
    return 1;
}

/* The final replies sent in this state, for protect(): a C counter, which
 * costs nothing and cannot fail. */
#define sc_finals(L) (sc_state_of(L)->finals)

/* The reply helpers: check everything, then add the Reason header and
 * call group.func(code, phrase) of KSR.  Returns what KSR returned and the
 * phrase sent. */
static int sc_reply(lua_State *L, int group, int func)
{
    int code, ret;
    size_t len;

    code = sc_checkwirecode(L, 1);
    if (!lua_isnoneornil(L, 2))
        sc_checkphrase(L, 2, SIPCODES_PHRASE_NONEMPTY, &len);
    sc_checknargs(L, 3);
    lua_settop(L, 3);
    sc_push_keys(L);                        /* 4: the names */
    if (!sc_reason_option(L, 3, code, 4))   /* 5: the header line, or nil */
        lua_pushnil(L);
    sc_push_ksr(L, 4);                      /* 6 */
    if (lua_isnil(L, 2)) {
        sc_push_phrase(L, code);
        lua_replace(L, 2);
    }
    if (!lua_isnil(L, 5)) {
        sc_ksr_func(L, 6, 4, SC_K_hdr, SC_K_append_to_reply);
        lua_pushvalue(L, 5);
        lua_call(L, 1, 0);
    }
    sc_ksr_func(L, 6, 4, group, func);
    lua_pushinteger(L, code);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    ret = lua_gettop(L);
    /* KSR gives -1 (or less) when nothing went out. */
    if (code >= 200) {
        int n = 0;
        /* (In C, so counting cannot fail after the reply went out: protect
         * would then answer the request a second time.) */
        if (sc_tocode(L, ret, &n) != SIPCODES_NUMERAL_INT || n >= 0)
            sc_finals(L)++;
    }
    lua_pushvalue(L, 2);
    return 2;
}

/***
 * Replies.
 * Each sends a phrase that is never empty, and on request a Reason header.
 * @section replies
 */

/***
 * Stateless reply (`KSR.sl.sl_send_reply`) with a phrase that is never
 * empty.
 * @function sl_reply
 * @int code 100-699
 * @string[opt] reason default `sipcodes.phrase(code)`
 * @tab[opt] opts `reason`: true for the code's Q.850 Reason header, a
 *   Q.850 cause number (an integer; none outside 1-127), a table for
 *   `format_reason`, or a Reason header value (which must parse as one,
 *   on one line).  A value that cannot make a header (17.5, a table
 *   `format_reason` refuses) raises, and nothing is sent.  The header is
 *   added with `KSR.hdr.append_to_reply` first; if the reply then fails,
 *   Kamailio keeps it for the next reply to the request.
 * @treturn int what KSR returned (1 on success, -1 on failure)
 * @treturn string the phrase sent
 */
static int l_kam_sl_reply(lua_State *L)
{
    return sc_reply(L, SC_K_sl, SC_K_sl_send_reply);
}

/***
 * Reply statefully if a transaction exists, else statelessly
 * (`KSR.sl.send_reply`).
 * The arguments and results are those of `sl_reply`.
 * @function send_reply
 * @int code 100-699
 * @string[opt] reason default `sipcodes.phrase(code)`
 * @tab[opt] opts `reason`, as for `sl_reply`
 * @treturn int what KSR returned (1 on success, -1 on failure)
 * @treturn string the phrase sent
 */
static int l_kam_send_reply(lua_State *L)
{
    return sc_reply(L, SC_K_sl, SC_K_send_reply);
}

/***
 * Stateful reply (`KSR.tm.t_reply`).
 * The arguments and results are those of `sl_reply`.  In a failure route,
 * reply only to replace the downstream reply on purpose: it drops every
 * header that reply carried (see `failover`).
 * @function t_reply
 * @int code 100-699
 * @string[opt] reason default `sipcodes.phrase(code)`
 * @tab[opt] opts `reason`, as for `sl_reply`
 * @treturn int what KSR returned (1 on success, -1 on failure)
 * @treturn string the phrase sent
 * @usage kam.t_reply(480, "Gone Fishing") --> 1, "Gone Fishing"
 */
static int l_kam_t_reply(lua_State *L)
{
    return sc_reply(L, SC_K_tm, SC_K_t_reply);
}

/* Does the KEMI result at idx say yes?  KEMI functions that test something
 * return 1 for yes and -1 (or 0) for no. */
static int sc_kemi_yes(lua_State *L, int idx)
{
    int v;

    return sc_tocode(L, idx, &v) == SIPCODES_NUMERAL_INT && v == 1;
}

/* Set info[field] to whether tm.func() returns 1, when tm has func. */
static void sc_tm_flag(lua_State *L, int tm, int info, const char *func, const char *field)
{
    if (!lua_istable(L, tm))
        return;
    lua_getfield(L, tm, func);
    if (!lua_isfunction(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    lua_call(L, 0, 1);
    lua_pushboolean(L, sc_kemi_yes(L, -1));
    lua_setfield(L, info, field);
    lua_pop(L, 1);
}

/***
 * Routes and transactions.
 * The failure route: the winning reply, failover by a policy, outcome tags
 * for `acc`; and the guard that answers a Lua error in any route.
 * @section routes
 */

/***
 * The winning reply code of the transaction, in a failure route: what
 * `KSR.tm.t_get_status_code()` returns there (the reply tm picked,
 * 408 for a local timeout).  Kamailio before 5.3 has no
 * `t_get_status_code`; there the code is `KSR.pv.get("$T_reply_code")`
 * (module tmx), the same code in a failure route.
 * @function winning
 * @treturn[1] int code
 * @treturn[1] table info: `code`, `class`, `class_name`, `reason` (nil
 *   for a code the registry lacks), `phrase`, `known`, and when tm can
 *   tell: `canceled`, `timeout` (any branch timed out), `replied` (any
 *   branch got a reply)
 * @treturn[2] nil when tm has no code (-1, 0: no transaction, no reply)
 */
static int l_kam_winning(lua_State *L)
{
    int ksr, tm, info, code = 0;

    sc_checknargs(L, 0);
    sc_push_ksr(L, sc_push_keys(L));
    ksr = lua_gettop(L);
    lua_getfield(L, ksr, "tm");
    tm = lua_gettop(L);
    if (lua_istable(L, tm)) {
        lua_getfield(L, tm, "t_get_status_code");
    } else {
        lua_pushnil(L);
    }
    if (lua_isfunction(L, -1)) {
        lua_call(L, 0, 1);
    } else {
        lua_pop(L, 1);
        lua_getfield(L, ksr, "pv");
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "get");
            lua_remove(L, -2);
            if (lua_isfunction(L, -1)) {
                lua_pushliteral(L, "$T_reply_code");
                lua_call(L, 1, 1);
            }
        }
        if (lua_isfunction(L, -1) || lua_istable(L, -1)) {
            lua_pop(L, 1); /* neither tm nor tmx can tell */
            lua_pushnil(L);
        }
    }
    if (sc_tocode(L, -1, &code) != SIPCODES_NUMERAL_INT || !sipcodes_is_valid(code)) {
        lua_pushnil(L);
        return 1;
    }
    lua_pop(L, 1);
    lua_createtable(L, 0, 9);
    info = lua_gettop(L);
    lua_pushinteger(L, code);
    lua_setfield(L, info, "code");
    lua_pushinteger(L, sipcodes_class(code));
    lua_setfield(L, info, "class");
    lua_pushstring(L, sipcodes_class_name(code));
    lua_setfield(L, info, "class_name");
    if (sc_push_reason(L, code, SIPCODES_LANG_EN))
        lua_setfield(L, info, "reason");
    sc_push_phrase(L, code);
    lua_setfield(L, info, "phrase");
    lua_pushboolean(L, sc_known(L, code));
    lua_setfield(L, info, "known");
    sc_tm_flag(L, tm, info, "t_is_canceled", "canceled");
    sc_tm_flag(L, tm, info, "t_any_timeout", "timeout");
    sc_tm_flag(L, tm, info, "t_any_replied", "replied");
    lua_pushinteger(L, code);
    lua_pushvalue(L, info);
    return 2;
}

/* Push a printable form of the error value at idx, whatever it is: a
 * string or number as it is, else its __tostring when that gives a string
 * without raising, else "(error object is a <type> value)".  Run under
 * lua_pcall by the caller. */
static int l_error_text(lua_State *L)
{
    int t = lua_type(L, 1);

    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        lua_pushvalue(L, 1);
        lua_tostring(L, -1);
        return 1;
    }
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
        return 1;
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    return 1;
}

/* Log "sipcodes: route error: <text>[ (already replied)]\n" with KSR.err,
 * when KSR has it.  Runs under lua_pcall: nothing it meets stops the reply
 * that follows.  Stack: 1 the error value, 2 the KSR object, 3 replied. */
static int l_log_route_error(lua_State *L)
{
    lua_getfield(L, 2, "err");
    if (!lua_isfunction(L, -1))
        return 0;
    lua_pushliteral(L, "sipcodes: route error: ");
    lua_pushcfunction(L, l_error_text);
    lua_pushvalue(L, 1);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || lua_type(L, -1) != LUA_TSTRING) {
        /* Its __tostring raised or gave no text: its type is all we say. */
        lua_pop(L, 1);
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    /* A yield inside the route cannot cross the C call that runs it; each
     * interpreter words that differently (LuaJIT with a position in front),
     * so it is said once here. */
    if (strstr(lua_tostring(L, -1), "attempt to yield") != NULL) {
        lua_pop(L, 1);
        lua_pushliteral(L, "attempt to yield inside a protected route");
    }
    lua_pushstring(L, lua_toboolean(L, 3) ? " (already replied)\n" : "\n");
    lua_concat(L, 3);
    lua_call(L, 1, 0);
    return 0;
}

/* The protected route.  Upvalues as every helper's (4: the KSR binding),
 * then 5: the route function, 6: the code to answer an error with. */
#define SC_ROUTE lua_upvalueindex(5)
#define SC_ROUTE_CODE lua_upvalueindex(6)

static int l_protected(lua_State *L)
{
    int nargs = lua_gettop(L), replied;
    lua_Integer before = sc_finals(L);

    lua_pushvalue(L, SC_ROUTE);
    lua_insert(L, 1);
    /* lua_pcall from C, with no continuation: a yield inside f cannot
     * cross it and ends as an error on every interpreter, where a Lua
     * pcall would let it through on 5.2+ and LuaJIT only. */
    if (lua_pcall(L, nargs, LUA_MULTRET, 0) == LUA_OK)
        return lua_gettop(L);
    /* KSR.x.exit(): app_lua compares the value exactly. */
    if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), SC_KSR_EXIT) == 0)
        return lua_error(L);
    lua_settop(L, 1);   /* 1: the error value */
    sc_push_keys(L);    /* 2 */
    sc_push_ksr(L, 2);  /* 3 */
    replied = sc_finals(L) != before;
    lua_pushcfunction(L, l_log_route_error);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 3);
    lua_pushboolean(L, replied);
    lua_pcall(L, 3, 0, 0); /* a failed log is no reason to skip the reply */
    /* The request had its answer if f sent a final reply; a second one
     * would be wrong. */
    if (!replied) {
        lua_settop(L, 0);
        lua_pushvalue(L, SC_ROUTE_CODE);
        sc_reply(L, SC_K_sl, SC_K_send_reply);
    }
    lua_settop(L, 0);
    lua_pushnil(L);
    return 1;
}

/***
 * Wrap a route function so that a Lua error in it is logged and
 * answered instead of aborting the route with no reply.  `KSR.x.exit()`
 * and `KSR.x.drop()` inside f still work: their error value is raised
 * again unchanged.  Any other error value is logged through `KSR.err`,
 * also one whose `__tostring` raises, and answered with `send_reply`.
 * When f sent a final reply through these helpers before the error, the
 * error is only logged: the request has its answer, and a second final
 * reply would be wrong.  (Replies sent through KSR directly are not
 * seen.)  A yield inside f cannot leave the wrapper: it ends as an error,
 * the same on every interpreter.
 * @function protect
 * @func f the route function
 * @int[opt=500] code the reply sent (with `send_reply`) after an error
 * @treturn function the wrapped function; it returns what f returns, and
 *   nil after an error
 * @usage local route = kam.protect(function() error("no database") end)
 * route() --> nil
 */
static int l_kam_protect(lua_State *L)
{
    int code = 500;

    if (!lua_isfunction(L, 1))
        sc_typeerror(L, 1, "function");
    if (!lua_isnoneornil(L, 2))
        code = sc_checkwirecode(L, 2);
    sc_checknargs(L, 2);
    lua_pushvalue(L, SC_REG);
    lua_pushliteral(L, "protect");
    lua_pushvalue(L, SC_STATE);
    lua_pushvalue(L, SC_EXTRA);
    lua_pushvalue(L, 1);
    lua_pushinteger(L, code);
    lua_pushcclosure(L, l_protected, 6);
    return 1;
}

/* ---- failover ------------------------------------------------------------- */

/* Call KSR.tm.<func>() (keys at keys) and return whether it said yes; a
 * KSR without it raises, naming it (the tm module is not loaded). */
static int sc_tm_yes(lua_State *L, int ksr, int keys, int func)
{
    int yes;

    sc_ksr_func(L, ksr, keys, SC_K_tm, func);
    lua_call(L, 0, 1);
    yes = sc_kemi_yes(L, -1);
    lua_pop(L, 1);
    return yes;
}

/* What tm tells of the transaction, into the routing ctx c: the one reading
 * of tm's flags that failover() and tag() share.  canceled:
 * t_is_canceled(), in any route of a transaction.  With branch (a failure
 * route: tm answers t_branch_timeout and t_branch_replied there only, and
 * logs "unsupported route type" elsewhere), local_timeout: the branch
 * timed out with nothing received, so the 408 is tm's own and the
 * destination is silent.  Timed out after a reply, which can only have
 * been provisional (a final one stops the timer), is the 408 it is: tm
 * cannot tell a 100 Trying from ringing, so whether it rang comes from
 * the script (an onreply route that noted a 101-199). */
static void sc_tm_ctx(lua_State *L, int ksr, int keys, int branch, sipcodes_policy_ctx *c)
{
    c->canceled = sc_tm_yes(L, ksr, keys, SC_K_t_is_canceled);
    if (branch && sc_tm_yes(L, ksr, keys, SC_K_t_branch_timeout) &&
        !sc_tm_yes(L, ksr, keys, SC_K_t_branch_replied))
        c->local_timeout = 1;
}

/* The winning code of a failure route, KSR.tm.t_get_status_code(), or 0
 * when tm has none in 100-699 (no transaction, no reply: -1, 0). */
static int sc_winning_code(lua_State *L, int ksr, int keys)
{
    int code = 0;

    sc_ksr_func(L, ksr, keys, SC_K_tm, SC_K_t_get_status_code);
    lua_call(L, 0, 1);
    if (sc_tocode(L, -1, &code) != SIPCODES_NUMERAL_INT || code < 100 || code > 699)
        code = 0;
    lua_pop(L, 1);
    return code;
}

/* What the script knows besides tm, or better: the value at idx (a table,
 * or a function giving one; nil: nothing), each field it has replacing
 * what was read into c (and *answered, when not NULL: the outcome ctx's
 * field).  Misuse raises at arg, naming what ("handlers.ctx"). */
static void sc_script_ctx(lua_State *L, int idx, int arg, const char *what,
                          sipcodes_policy_ctx *c, int *answered)
{
    lua_pushvalue(L, idx);
    if (lua_isfunction(L, -1))
        lua_call(L, 0, 1);
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1))
            sc_argerror(L, arg, lua_pushfstring(L, "%s must give a table, got %s", what,
                                                luaL_typename(L, -1)));
        lua_pushfstring(L, "%s field", what);
        sc_readctx(L, -2, arg, lua_tostring(L, -1), c, answered);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* The seconds of the winning reply's Retry-After, or -1 (none, or one that
 * does not parse). */
static long sc_winning_retry_after(lua_State *L, int ksr, int keys)
{
    sipcodes_retry_after ra;
    sipcodes_error err;
    long seconds = -1;

    sc_ksr_func(L, ksr, keys, SC_K_pv, SC_K_get);
    lua_pushliteral(L, "$T_rpl($hdr(Retry-After))");
    lua_call(L, 1, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len); /* stays on the stack */
        if (sipcodes_parse_retry_after(s, len, &ra, &err) == 0)
            seconds = ra.seconds;
    }
    lua_pop(L, 1);
    return seconds;
}

/* Call handlers[name](args...) with nargs arguments on the stack (popped),
 * when handlers has it; push its first result (nil without a handler) and
 * return whether there was one.  Errors, KSR.x.exit() among them, go
 * through untouched. */
static int sc_call_handler(lua_State *L, int handlers, const char *name, int nargs)
{
    lua_getfield(L, handlers, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1 + nargs);
        lua_pushnil(L);
        return 0;
    }
    lua_insert(L, -1 - nargs);
    lua_call(L, nargs, 1);
    return 1;
}

/* The handlers table at 2: each field it has must be a function (ctx: a
 * table or a function), checked before anything runs. */
static void sc_check_handlers(lua_State *L)
{
    static const char names[] = "next\0mark_down\0auth\0redirect\0amend\0ctx\0";
    const char *k;

    if (sc_unknown_key(L, 2, names))
        sc_argerror(L, 2, lua_pushfstring(L, "unknown handler '%s'", lua_tostring(L, -1)));
    for (k = names; *k; k += strlen(k) + 1) {
        int t;
        lua_getfield(L, 2, k);
        t = lua_type(L, -1);
        if (t != LUA_TNIL && t != LUA_TFUNCTION && !(t == LUA_TTABLE && strcmp(k, "ctx") == 0))
            sc_argerror(L, 2, lua_pushfstring(L, "handler '%s' must be a function%s, got %s", k,
                                              strcmp(k, "ctx") == 0 ? " or a table" : "",
                                              lua_typename(L, t)));
        lua_pop(L, 1);
    }
}

/***
 * Act on the failure of a branch as a policy says, in a failure route.
 * Reads the context through KSR (`t_is_canceled`; `t_branch_timeout`
 * without `t_branch_replied` for a destination that sent nothing;
 * `t_get_status_code`; the winning reply's Retry-After through
 * `$T_rpl($hdr(Retry-After))`, module tmx), takes what `handlers.ctx` gives
 * (a table, or a function returning one, with the fields of `p:decide`'s
 * ctx: `provisional`, `auth_tried`, `redirects`, which Kamailio does not
 * track, and any other it knows better), decides with `p:decide` and acts:
 *
 * - `"relay"` (and anything a handler is missing for): nothing is sent, so
 *   tm relays the winning reply with all its headers;
 * - `"next"`: `handlers.next(ctx)`, which sets the next destination, arms
 *   the failure route again and relays; when it returns false or nil the
 *   winning reply is relayed and the action taken is `"relay"`;
 * - `"next_down"`: `handlers.mark_down(seconds, ctx)` first (the
 *   destination is still the current one), then as `"next"`;
 * - `"auth"`, `"redirect"`, `"amend"`: `handlers.auth(ctx)`,
 *   `handlers.redirect(ctx)`, `handlers.amend(ctx)`.
 *
 * ctx holds `code, action, why, seconds` and the context fields.  A
 * handler's error (`KSR.x.exit()` too) goes through unchanged.
 * @function failover
 * @tparam userdata p a `sipcodes.policy`
 * @tab handlers
 * @treturn[1] string the action taken
 * @treturn[1] string why: the policy's rule, also when a missing handler
 *   (or a `next` that found no destination) made the action taken "relay"
 * @treturn[1] int the winning code (read before any handler ran: after a
 *   handler relays again, tm has no winner to ask for)
 * @treturn[2] nil when the route has no winning code (not a failure route)
 */
static int l_kam_failover(lua_State *L)
{
    const sipcodes_policy *p = sc_checkpolicy(L, 1);
    sipcodes_policy_ctx c;
    int keys, ksr, ctx, code, action, taken;
    const char *why;
    unsigned seconds;

    if (!lua_istable(L, 2))
        sc_typeerror(L, 2, "table");
    sc_checknargs(L, 2);
    sc_check_handlers(L);
    keys = sc_push_keys(L);
    sc_push_ksr(L, keys);
    ksr = lua_gettop(L);
    sipcodes_policy_ctx_init(&c);
    sc_tm_ctx(L, ksr, keys, 1, &c);
    if (!(code = sc_winning_code(L, ksr, keys))) {
        lua_pushnil(L);
        return 1;
    }
    if (!c.local_timeout)
        c.retry_after = sc_winning_retry_after(L, ksr, keys);

    /* What the script knows besides (ringing, a challenge answered,
     * redirects followed), or better: handlers.ctx. */
    lua_getfield(L, 2, "ctx");
    sc_script_ctx(L, -1, 2, "handlers.ctx", &c, NULL);
    lua_pop(L, 1);

    action = sipcodes_policy_decide(p, code, &c, &why, &seconds);

    /* The handlers' view of it. */
    lua_createtable(L, 0, 10);
    ctx = lua_gettop(L);
    lua_pushinteger(L, code);
    lua_setfield(L, ctx, "code");
    lua_pushstring(L, sipcodes_action_name(action));
    lua_setfield(L, ctx, "action");
    lua_pushstring(L, why);
    lua_setfield(L, ctx, "why");
    if (action == SIPCODES_ACT_NEXT_DOWN) {
        lua_pushinteger(L, (lua_Integer)seconds);
        lua_setfield(L, ctx, "seconds");
    }
    if (c.retry_after >= 0) {
        lua_pushinteger(L, (lua_Integer)c.retry_after);
        lua_setfield(L, ctx, "retry_after");
    }
    lua_pushboolean(L, c.local_timeout);
    lua_setfield(L, ctx, "local_timeout");
    lua_pushboolean(L, c.provisional);
    lua_setfield(L, ctx, "provisional");
    lua_pushboolean(L, c.canceled);
    lua_setfield(L, ctx, "canceled");
    lua_pushboolean(L, c.auth_tried);
    lua_setfield(L, ctx, "auth_tried");
    lua_pushinteger(L, (lua_Integer)c.redirects);
    lua_setfield(L, ctx, "redirects");

    taken = action;
    switch (action) {
    case SIPCODES_ACT_NEXT_DOWN:
        lua_pushinteger(L, (lua_Integer)seconds);
        lua_pushvalue(L, ctx);
        sc_call_handler(L, 2, "mark_down", 2);
        lua_pop(L, 1);
        /* fall through */
    case SIPCODES_ACT_NEXT:
        lua_pushvalue(L, ctx);
        if (!sc_call_handler(L, 2, "next", 1) || !lua_toboolean(L, -1))
            taken = SIPCODES_ACT_RELAY;
        lua_pop(L, 1);
        break;
    case SIPCODES_ACT_AUTH:
    case SIPCODES_ACT_REDIRECT:
    case SIPCODES_ACT_AMEND:
        lua_pushvalue(L, ctx);
        if (!sc_call_handler(L, 2, sipcodes_action_name(action), 1))
            taken = SIPCODES_ACT_RELAY;
        lua_pop(L, 1);
        break;
    default:
        break;
    }
    lua_pushstring(L, sipcodes_action_name(taken));
    lua_pushstring(L, why);
    lua_pushinteger(L, code);
    return 3;
}

/* ---- tag ----------------------------------------------------------------- */

/***
 * Tag the transaction with the outcome of its winning reply, for the `acc`
 * module to record: `$avp(sipcodes_outcome)` (the category, as
 * `sipcodes.outcome` gives it), `$avp(sipcodes_party)`,
 * `$avp(sipcodes_code)` (an integer) and `$avp(sipcodes_phrase)`
 * (`sipcodes.phrase` of the code).  Each is written as
 * `$(avp(name)[*])`, which replaces every value the AVP had, so that the
 * last tag wins: after a serial failover, the branch whose reply the
 * caller got.  A value that is nil (no party fits a redirect or a
 * challenge; a 1xx has no category) is removed with `KSR.pv.unset`, not
 * left as an earlier branch wrote it, and the record shows it empty.
 *
 * In a failure route, call it with no code: the code is the winning
 * reply's (`KSR.tm.t_get_status_code()`) and the context is read from tm
 * as `failover` reads it (`t_is_canceled`; `t_branch_timeout` without
 * `t_branch_replied`: a local timeout), with `opts.ctx` on top for what tm
 * cannot tell (`provisional`: an onreply route noted ringing).  Call it
 * before a handler relays again (after that tm has no winner), e.g. just
 * before `failover`; the next branch's failure route or 2xx tags again.
 *
 * An answered call has no failure route and, in its onreply route, no
 * winning reply yet: there `opts.code` gives the code, and only
 * `t_is_canceled` is read from tm (tm answers `t_branch_timeout` in
 * failure routes only, and logs "unsupported route type" elsewhere):
 *
 *     function ksr_onreply()          -- armed with KSR.tm.t_on_reply
 *       local rs = KSR.pv.get("$rs")
 *       if rs >= 200 and rs < 300 then kam.tag({ code = rs }) end
 *     end
 *
 * The `acc` module (main `kamailio` package) writes one record per
 * transaction, when the final response goes out to the caller: after the
 * failure route, or after the onreply route of a relayed 2xx; both see the
 * transaction's AVPs, and so does acc.  Its flags must be set in the
 * request route, before `t_relay` (acc takes the transaction when tm
 * creates it); a failed call is recorded only with
 * `failed_transaction_flag`:
 *
 *     loadmodule "acc.so"
 *     # KSR.setflag(1) and KSR.setflag(2) before t_relay
 *     modparam("acc", "log_flag", 1)
 *     modparam("acc", "failed_transaction_flag", 2)
 *     modparam("acc", "log_extra",
 *         "sipcodes_outcome=$avp(sipcodes_outcome);sipcodes_party=$avp(sipcodes_party);"
 *         "sipcodes_code=$avp(sipcodes_code);sipcodes_phrase=$avp(sipcodes_phrase)")
 *
 * (`db_extra` takes the same for a database, with columns of those
 * names).  Kamailio 5.6 then logs, at `log_level` (NOTICE):
 * `ACC: transaction answered: timestamp=...;method=INVITE;from_tag=...;`
 * `to_tag=...;call_id=...;code=486;reason=Busy Here;sipcodes_outcome=busy;`
 * `sipcodes_party=user;sipcodes_code=486;sipcodes_phrase=Busy Here`.
 * acc's own `code` and `reason` are not always the winning reply's (a
 * winning 503 goes out as tm's own 500, recorded as
 * `code=500;reason=Server Internal Error` with an empty `to_tag`), so the
 * extra names must not be `code`.
 *
 * With `opts.store = "dlg_var"` the same names are written as
 * `$dlg_var(sipcodes_outcome)` ...: for acc's CDRs (`cdr_enable`,
 * `cdr_extra`) or `log_extra` with `$dlg_var(...)`.  That needs the
 * `dialog` module and the dialog tracked from the request route
 * (`KSR.dialog.dlg_manage()` for the INVITE); without one Kamailio takes
 * the value and forgets it.  A `$dlg_var` holds strings only: the code is
 * written as its decimal string.  What Kamailio refuses to store it logs;
 * `tag` goes on.
 * @function tag
 * @tab[opt] opts `store`: `"avp"` (the default) or `"dlg_var"`; `code`:
 *   the code (100-699) instead of the winning reply's; `ctx`: a table, or
 *   a function returning one, with the fields of `sipcodes.outcome`'s ctx,
 *   each replacing what was read from tm (as `failover`'s `handlers.ctx`)
 * @treturn[1] ?string category (nil for a 1xx)
 * @treturn[1] ?string party (nil where neither fits)
 * @treturn[1] int code
 * @treturn[2] nil when there is no code (no `opts.code` and tm has no
 *   winning reply: not a failure route); nothing is written
 * @usage -- in the failure route of a 486
 * kam.tag() --> "busy", "user", 486
 */
static int l_kam_tag(lua_State *L)
{
    sipcodes_policy_ctx c;
    sipcodes_outcome_ctx oc;
    int keys, code = 0, given = 0, dlg = 0, answered = 0, category, party, i, t, var;

    sc_checknargs(L, 1);
    lua_settop(L, 1);
    keys = sc_push_keys(L);                 /* 2 */
    lua_pushnil(L);                         /* 3: opts.ctx */
    if (sc_checkopts(L, 1, "store\0code\0ctx\0")) {
        sc_get(L, 1, keys, SC_K_store);
        if (!lua_isnil(L, -1) && (dlg = sc_oneof(L, -1, "avp\0dlg_var\0")) < 0)
            sc_argerror(L, 1, "option 'store' must be avp or dlg_var");
        lua_pop(L, 1);
        sc_get(L, 1, keys, SC_K_code);
        if (!lua_isnil(L, -1)) {
            if (sc_tocode(L, -1, &code) != SIPCODES_NUMERAL_INT || code < 100 || code > 699)
                sc_argerror(L, 1, "option 'code' must be an integer 100 to 699");
            given = 1;
        }
        lua_pop(L, 1);
        sc_get(L, 1, keys, SC_K_ctx);
        t = lua_type(L, -1);
        if (t != LUA_TNIL && t != LUA_TTABLE && t != LUA_TFUNCTION)
            sc_argerror(L, 1, lua_pushfstring(L, "option 'ctx' must be a function or a table, "
                                                 "got %s", lua_typename(L, t)));
        lua_replace(L, 3);
    }
    sc_push_ksr(L, keys);                   /* 4 */
    /* The writers, found before anything is read: 5 sets, 6 unset, 7 seti
     * (a $dlg_var takes no integer). */
    sc_ksr_func(L, 4, keys, SC_K_pv, SC_K_sets);
    sc_ksr_func(L, 4, keys, SC_K_pv, SC_K_unset);
    if (dlg)
        lua_pushnil(L);
    else
        sc_ksr_func(L, 4, keys, SC_K_pv, SC_K_seti);
    if (!given && !(code = sc_winning_code(L, 4, keys))) {
        lua_pushnil(L);
        return 1;
    }
    sipcodes_policy_ctx_init(&c);
    sc_tm_ctx(L, 4, keys, !given, &c);
    sc_script_ctx(L, 3, 1, "opts.ctx", &c, &answered);
    sc_outcome_ctx_from(&c, answered, &oc);
    category = sipcodes_outcome(code, &oc, &party);

    /* The values, 8-11, in the order of SC_TAG_VARS (nil: removed). */
    sc_push_outcome(L, category, party);
    if (dlg)
        lua_pushfstring(L, "%d", code);
    else
        lua_pushinteger(L, code);
    sc_push_phrase(L, code);
    for (i = 0; i < SC_TAG_NVARS; i++) {
        var = (dlg ? SC_K_dlg_outcome : SC_K_avp_outcome) + i;
        if (lua_isnil(L, 8 + i)) {
            lua_pushvalue(L, 6);
            lua_rawgeti(L, keys, var);
            lua_call(L, 1, 0);
            continue;
        }
        lua_pushvalue(L, lua_type(L, 8 + i) == LUA_TNUMBER ? 7 : 5);
        lua_rawgeti(L, keys, var);
        lua_pushvalue(L, 8 + i);
        lua_call(L, 2, 0);
    }
    lua_pushvalue(L, 8);
    lua_pushvalue(L, 9);
    lua_pushinteger(L, code);
    return 3;
}

/* The helpers new() binds to a KSR object (an X-macro, not a table of
 * function pointers: see SC_FIND). */
#define SC_KAM_HELPERS(X) \
    X(protect) X(send_reply) X(sl_reply) X(t_reply) X(winning) X(failover) X(tag)

/* Push a table of the helpers bound to the KSR object at idx (0: nil, the
 * global KSR at each call). */
static void sc_push_helpers(lua_State *L, int idx)
{
    if (idx)
        idx = lua_absindex(L, idx);
    lua_createtable(L, 0, 10);
#define SC_HELPER(name)                           \
    sc_pushfunc(L, l_kam_##name, #name, idx);     \
    lua_setfield(L, -2, #name);
    SC_KAM_HELPERS(SC_HELPER)
#undef SC_HELPER
}

/***
 * Binding and constants.
 * @section binding
 */

/***
 * Helpers bound to a KSR object.
 * The module itself holds the same helpers bound to the global `KSR`,
 * looked up at each call.
 * @function new
 * @param[opt] ksr the KSR object (default: the global KSR when called)
 * @treturn table the helpers: `sl_reply`, `send_reply`, `t_reply`,
 *   `winning`, `protect`, `failover`, `tag`
 */
static int l_kam_new(lua_State *L)
{
    if (!lua_isnoneornil(L, 1) && !lua_istable(L, 1) && !lua_isuserdata(L, 1))
        sc_typeerror(L, 1, "KSR object");
    sc_checknargs(L, 1);
    sc_push_helpers(L, lua_isnoneornil(L, 1) ? 0 : 1);
    return 1;
}

/***
 * The error value of `KSR.x.exit()`, the string `"~~ksr~exit~~"`.
 * @field EXIT
 */

/***
 * The best response of a list of branch codes (RFC 3261 §16.7 step 6):
 * `sipcodes.best_response` itself.
 * @function best_response
 * @tparam {int,...} codes
 * @treturn int
 */

/*** @section end */

/* kamailio(): the table `require "sipcodes.kamailio"` returns. */
static int l_kamailio(lua_State *L)
{
    sc_checknargs(L, 0);
    sc_push_helpers(L, 0);
    lua_pushliteral(L, SC_KSR_EXIT);
    lua_setfield(L, -2, "EXIT");
    sc_pushfunc(L, l_kam_new, "new", 0);
    lua_setfield(L, -2, "new");
    sc_getslot(L, SC_S_CORE);
    lua_getfield(L, -1, "best_response");
    lua_setfield(L, -3, "best_response");
    lua_pop(L, 1);
    return 1;
}

lua_CFunction sc_kamailio_find(const char *k, size_t len, unsigned *flags)
{
    SC_FIND(kamailio, 0)
    return NULL;
}
