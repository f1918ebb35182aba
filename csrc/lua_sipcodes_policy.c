/***
 * Failover policies: what a route does after a response comes back.
 * A policy says, for every code, whether to wait, relay the response
 * upstream, try the next destination (and mark this one down), answer a
 * challenge, follow a redirection or amend the request.
 * @{routing.md|The routing guide} has the presets, the decision per code
 * and their sources.
 *
 * The presets and rules are C data (csrc/sipcodes_policy.c); a policy is a
 * userdata holding one decision per code 100-699, so deciding costs no
 * table walk.  Methods count `self` as argument #1 in their errors, the
 * same on every interpreter.
 * @module sipcodes.policy
 * @usage
 * local policy = require "sipcodes.policy"
 * local p = policy.new("carrier", { [480] = "next" })
 * (p:decide(503))                               --> "next"
 * (p:decide(486))                               --> "relay"
 * select(3, p:decide(503, { retry_after = 120 })) --> 120
 * p:kamailio_regex("next")                      --> "^(408|480|5[0-9][0-9])$"
 * policy.choose("busy")                         --> 486, "Busy Here"
 */
#include <string.h>

#include "lua_sipcodes.h"
#include "sipcodes_interop.h"
#include "sipcodes_policy.h"

/* The metatable of policies, in the registry under this name (as
 * luaL_newmetatable keeps it), so that a policy made through one load of
 * sipcodes.core is one for every other load in the lua_State too. */
#define SC_POLICY_MT "sipcodes.policy"

sipcodes_policy *sc_checkpolicy(lua_State *L, int arg)
{
    return (sipcodes_policy *)sc_checkobject(L, arg, SC_POLICY_MT);
}

/* "wait\0done\0..." for sc_oneof, from the one list of actions. */
#define SC_ACT_LIST(e, s) s "\0"
static const char sc_actions[] = SIPCODES_ACTIONS(SC_ACT_LIST);
#undef SC_ACT_LIST
#define SC_ACT_WORDS(e, s) ", " s
static const char sc_action_words[] = SIPCODES_ACTIONS(SC_ACT_WORDS);
#undef SC_ACT_WORDS

/* An action argument: its number, or raise. */
static int sc_checkaction(lua_State *L, int arg)
{
    int a;

    if (lua_type(L, arg) != LUA_TSTRING)
        sc_typeerror(L, arg, "string");
    if ((a = sc_oneof(L, arg, sc_actions)) < 0)
        sc_argerror(L, arg, lua_pushfstring(L, "action must be one of %s", sc_action_words + 2));
    return a;
}

/* The fields of a ctx table; the outcome functions' ctx also takes
 * "answered". */
#define SC_CTX_NAMES "local_timeout\0provisional\0canceled\0auth_tried\0retry_after\0redirects\0"
static const char sc_ctx_names[] = SC_CTX_NAMES;
static const char sc_outcome_ctx_names[] = SC_CTX_NAMES "answered\0";

/* A boolean field of the table at t into *v, when it is there; misuse
 * raises at arg, the field named after what ("field" or "handlers.ctx
 * field"). */
static void sc_ctx_flag(lua_State *L, int t, int arg, const char *what, const char *k, int *v)
{
    lua_getfield(L, t, k);
    if (!lua_isnil(L, -1)) {
        if (!lua_isboolean(L, -1))
            sc_argerror(L, arg, lua_pushfstring(L, "%s '%s' must be a boolean", what, k));
        *v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
}

/* A non-negative integer field into *v (at most max), when it is there. */
static void sc_ctx_count(lua_State *L, int t, int arg, const char *what, const char *k, long max,
                         long *v)
{
    int n = 0;

    lua_getfield(L, t, k);
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER || sc_tocode(L, -1, &n) != SIPCODES_NUMERAL_INT || n < 0)
            sc_argerror(L, arg, lua_pushfstring(L, "%s '%s' must be a non-negative integer", what, k));
        *v = n > max ? max : n;
    }
    lua_pop(L, 1);
}

void sc_readctx(lua_State *L, int t, int arg, const char *what, sipcodes_policy_ctx *ctx,
                int *answered)
{
    long redirects = (long)ctx->redirects;
    int bad;

    t = lua_absindex(L, t);
    if ((bad = sc_unknown_key(L, t, answered ? sc_outcome_ctx_names : sc_ctx_names)) == 1)
        sc_argerror(L, arg, lua_pushfstring(L, "unknown %s '%s'", what, lua_tostring(L, -1)));
    else if (bad == 2)
        sc_argerror(L, arg, lua_pushfstring(L, "%s names must be strings, got %s", what,
                                            lua_tostring(L, -1)));
    sc_ctx_flag(L, t, arg, what, "local_timeout", &ctx->local_timeout);
    sc_ctx_flag(L, t, arg, what, "provisional", &ctx->provisional);
    sc_ctx_flag(L, t, arg, what, "canceled", &ctx->canceled);
    sc_ctx_flag(L, t, arg, what, "auth_tried", &ctx->auth_tried);
    sc_ctx_count(L, t, arg, what, "retry_after", 0x7fffffffL, &ctx->retry_after);
    sc_ctx_count(L, t, arg, what, "redirects", 0x7fffffffL, &redirects);
    ctx->redirects = (unsigned)redirects;
    if (answered)
        sc_ctx_flag(L, t, arg, what, "answered", answered);
}

void sc_checkctx(lua_State *L, int arg, sipcodes_policy_ctx *ctx)
{
    sipcodes_policy_ctx_init(ctx);
    if (sc_checkopts(L, arg, sc_ctx_names))
        sc_readctx(L, arg, arg, "field", ctx, NULL);
}

void sc_checkoutcomectx(lua_State *L, int arg, sipcodes_outcome_ctx *out)
{
    sipcodes_policy_ctx ctx;
    int answered = 0;

    sipcodes_policy_ctx_init(&ctx);
    if (sc_checkopts(L, arg, sc_outcome_ctx_names))
        sc_readctx(L, arg, arg, "field", &ctx, &answered);
    sc_outcome_ctx_from(&ctx, answered, out);
}

void sc_outcome_ctx_from(const sipcodes_policy_ctx *ctx, int answered, sipcodes_outcome_ctx *out)
{
    sipcodes_outcome_ctx_init(out);
    out->local_timeout = ctx->local_timeout;
    out->provisional = ctx->provisional;
    out->canceled = ctx->canceled;
    out->auth_tried = ctx->auth_tried;
    out->answered = answered;
}

/* ---- new ------------------------------------------------------------------ */

#define SC_KNOBS "failover_after_ringing\0follow_redirects\0max_redirects\0down_min\0down_max\0down_default\0"

/* Is the string at idx a class written "Nxx", N a digit 1-9?  N, or 0. */
static int sc_nxx(lua_State *L, int idx)
{
    size_t len;
    const char *s;

    if (lua_type(L, idx) != LUA_TSTRING)
        return 0;
    s = lua_tolstring(L, idx, &len);
    return len == 3 && s[0] >= '1' && s[0] <= '9' && s[1] == 'x' && s[2] == 'x' ? s[0] - '0' : 0;
}

/* Refuse a key of the overrides table that is neither a final code, a
 * class nor a knob; the same key on every interpreter whatever the order
 * of the table: the smallest unknown string, else the smallest number,
 * else the smallest type name. */
static void sc_check_override_keys(lua_State *L, int t)
{
    int bad_num = 0, have_num = 0, code;
    const char *bad_type = NULL;

    if (sc_unknown_key(L, t, SC_KNOBS "3xx\0" "4xx\0" "5xx\0" "6xx\0") == 1)
        sc_argerror(L, 2, lua_pushfstring(L, "unknown option '%s'", lua_tostring(L, -1)));
    lua_settop(L, t);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TNUMBER) {
            int r = sc_tocode(L, -1, &code);
            if (r != SIPCODES_NUMERAL_INT)
                code = -1; /* a fraction: reported as not a code */
            if (code < 300 || code > 699) {
                if (!have_num || code < bad_num)
                    bad_num = code;
                have_num = 1;
            }
        } else if (lua_type(L, -1) != LUA_TSTRING) {
            const char *tn = luaL_typename(L, -1);
            if (!bad_type || strcmp(tn, bad_type) < 0)
                bad_type = tn;
        }
    }
    if (have_num)
        sc_argerror(L, 2, bad_num < 0 ? "a key that is a number must be an integer code"
                          : bad_num < 300 && bad_num >= 100
                              ? lua_pushfstring(L, "code %d cannot be overridden: only final codes "
                                                   "300-699 can", bad_num)
                              : lua_pushfstring(L, "code %d is not a code 300-699", bad_num));
    if (bad_type)
        sc_argerror(L, 2, lua_pushfstring(L, "keys must be codes, classes such as '6xx' or "
                                             "option names, got %s", bad_type));
}

/* The action at the top of the stack for override key `what`. */
static int sc_override_action(lua_State *L, const char *what)
{
    int a = lua_type(L, -1) == LUA_TSTRING ? sc_oneof(L, -1, sc_actions) : -1;

    if (a <= SIPCODES_ACT_DONE)
        sc_argerror(L, 2, lua_pushfstring(L, "override [%s] must be one of relay, next, "
                                             "next_down, auth, redirect, amend", what));
    return a;
}

static unsigned sc_knob_seconds(lua_State *L, int t, const char *k, unsigned dflt, unsigned max)
{
    int v = 0;

    lua_getfield(L, t, k);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return dflt;
    }
    if (lua_type(L, -1) != LUA_TNUMBER || sc_tocode(L, -1, &v) != SIPCODES_NUMERAL_INT || v < 0 ||
        (unsigned)v > max)
        sc_argerror(L, 2, lua_pushfstring(L, "option '%s' must be an integer 0 to %d", k, (int)max));
    lua_pop(L, 1);
    return (unsigned)v;
}

static int sc_knob_flag(lua_State *L, int t, const char *k, int dflt)
{
    int v = dflt;

    lua_getfield(L, t, k);
    if (!lua_isnil(L, -1)) {
        if (!lua_isboolean(L, -1))
            sc_argerror(L, 2, lua_pushfstring(L, "option '%s' must be a boolean", k));
        v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

/***
 * Policies.
 * @section policies
 */

/***
 * Make a policy from a preset and overrides.
 * Presets: `"rfc3261"` (only 503 and no response move on, RFC 3263),
 * `"carrier"` (the consensus of deployments), `"lcr"` (carrier, and also
 * 404, 480, 484, 485 and 603 move on).  `overrides`: `[code] = action` for
 * a final code 300-699, `["6xx"] = action` for a class (a code's own
 * setting wins), and the knobs `failover_after_ringing` (false),
 * `follow_redirects` (false), `max_redirects` (3), `down_min` (0),
 * `down_max` (3600), `down_default` (60), in seconds.
 * @function new
 * @string preset
 * @tab[opt] overrides
 * @treturn userdata the policy
 * @usage (policy.new("carrier", { [480] = "next" }):decide(480)) --> "next"
 */
static int l_policy_new(lua_State *L)
{
    static const char presets[] =
#define SC_PRESET_LIST(e, s) s "\0"
        SIPCODES_PRESETS(SC_PRESET_LIST);
#undef SC_PRESET_LIST
    sipcodes_policy pol, *p;
    int preset, c;

    if (lua_type(L, 1) != LUA_TSTRING)
        sc_typeerror(L, 1, "string");
    if ((preset = sc_oneof(L, 1, presets)) < 0)
        sc_argerror(L, 1, "preset must be one of rfc3261, carrier, lcr");
    if (!lua_isnoneornil(L, 2) && !lua_istable(L, 2))
        sc_typeerror(L, 2, "table");
    sc_checknargs(L, 2);
    sipcodes_policy_init(&pol, preset);
    if (lua_istable(L, 2)) {
        char what[8];
        sc_check_override_keys(L, 2);
        lua_settop(L, 2);
        for (c = 3; c <= 6; c++) {
            what[0] = (char)('0' + c);
            what[1] = what[2] = 'x';
            what[3] = '\0';
            lua_pushlstring(L, what, 3);
            lua_rawget(L, 2);
            if (!lua_isnil(L, -1)) {
                lua_pushfstring(L, "'%s'", what);
                lua_insert(L, -2);
                sipcodes_policy_set_class(&pol, c, sc_override_action(L, lua_tostring(L, -2)));
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        for (c = 300; c <= 699; c++) {
            lua_rawgeti(L, 2, c);
            if (!lua_isnil(L, -1)) {
                lua_pushfstring(L, "%d", c);
                lua_insert(L, -2);
                sipcodes_policy_set_code(&pol, c, sc_override_action(L, lua_tostring(L, -2)));
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        pol.failover_after_ringing =
            (unsigned char)sc_knob_flag(L, 2, "failover_after_ringing", pol.failover_after_ringing);
        pol.follow_redirects = (unsigned char)sc_knob_flag(L, 2, "follow_redirects", pol.follow_redirects);
        pol.max_redirects = sc_knob_seconds(L, 2, "max_redirects", pol.max_redirects, 100);
        pol.down_min = sc_knob_seconds(L, 2, "down_min", pol.down_min, SIPCODES_DOWN_LIMIT);
        pol.down_max = sc_knob_seconds(L, 2, "down_max", pol.down_max, SIPCODES_DOWN_LIMIT);
        pol.down_default = sc_knob_seconds(L, 2, "down_default", pol.down_default, SIPCODES_DOWN_LIMIT);
        if (pol.down_min > pol.down_max)
            sc_argerror(L, 2, "option 'down_min' must not exceed 'down_max'");
    }
    p = (sipcodes_policy *)sc_newuserdata(L, sizeof *p);
    memcpy(p, &pol, sizeof *p);
    lua_getfield(L, LUA_REGISTRYINDEX, SC_POLICY_MT);
    lua_setmetatable(L, -2);
    return 1;
}

/* ---- methods -------------------------------------------------------------- */

/***
 * Methods of a policy.
 * A policy `p` made by `new` answers these, called as `p:decide(code)`.
 * @section methods
 */

/***
 * What to do after a response: `action, why [, seconds]`.  Actions:
 * `"wait"` (1xx), `"done"` (2xx), `"relay"`, `"next"`, `"next_down"` (with
 * the mark-down time: Retry-After clamped by the policy, else its
 * default), `"auth"`, `"redirect"`, `"amend"`.  `ctx` fields:
 * `local_timeout`, `provisional`, `canceled`, `auth_tried` (booleans),
 * `retry_after`, `redirects` (integers).  nil for a code outside 100-699.
 * @function p:decide
 * @int code
 * @tab[opt] ctx
 * @treturn[1] string action
 * @treturn[1] string why
 * @treturn[1] int seconds, for next_down
 * @treturn[2] nil
 * @usage (policy.new("carrier"):decide(486)) --> "relay"
 */
static int l_decide(lua_State *L)
{
    const sipcodes_policy *p = sc_checkpolicy(L, 1);
    int code = sc_checkcode(L, 2), a;
    sipcodes_policy_ctx ctx;
    const char *why;
    unsigned seconds;

    sc_checkctx(L, 3, &ctx);
    sc_checknargs(L, 3);
    if ((a = sipcodes_policy_decide(p, code, &ctx, &why, &seconds)) < 0) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushstring(L, sipcodes_action_name(a));
    lua_pushstring(L, why);
    if (a != SIPCODES_ACT_NEXT_DOWN)
        return 2;
    lua_pushinteger(L, (lua_Integer)seconds);
    return 3;
}

/***
 * The codes 100-699 whose decision in ctx is action, ascending.
 * @function p:codes
 * @string action
 * @tab[opt] ctx
 * @treturn {int,...}
 */
static int l_codes(lua_State *L)
{
    const sipcodes_policy *p = sc_checkpolicy(L, 1);
    int action = sc_checkaction(L, 2);
    int codes[SIPCODES_POLICY_CODES];
    sipcodes_policy_ctx ctx;
    size_t n, i;

    sc_checkctx(L, 3, &ctx);
    sc_checknargs(L, 3);
    n = sipcodes_policy_codes(p, action, &ctx, codes, SIPCODES_POLICY_CODES);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushinteger(L, codes[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/***
 * A regular expression for Kamailio's `t_check_status` that matches exactly
 * the three-digit strings of `p:codes(action, ctx)`: whole classes and
 * decades as brackets (`5[0-9][0-9]`), anchored; `"^$"` when there are none.
 * @function p:kamailio_regex
 * @string action
 * @tab[opt] ctx
 * @treturn string
 * @usage policy.new("rfc3261"):kamailio_regex("next") --> "^(503)$"
 */
static int l_kamailio_regex(lua_State *L)
{
    const sipcodes_policy *p = sc_checkpolicy(L, 1);
    int action = sc_checkaction(L, 2);
    int codes[SIPCODES_POLICY_CODES];
    char re[SIPCODES_REGEX_MAX];
    sipcodes_policy_ctx ctx;
    size_t n, len;

    sc_checkctx(L, 3, &ctx);
    sc_checknargs(L, 3);
    n = sipcodes_policy_codes(p, action, &ctx, codes, SIPCODES_POLICY_CODES);
    len = sipcodes_codes_regex(codes, n, re, sizeof re);
    lua_pushlstring(L, re, len);
    return 1;
}

/***
 * The FreeSWITCH hangup cause names for `continue_on_fail` or
 * `failure_causes` that come closest to action (the causes most of whose
 * codes the policy decides so), comma-separated, and the conflicts: every
 * registry code whose decision that list gets wrong, because mod_sofia
 * maps it to the same cause as codes decided otherwise.
 * @function p:freeswitch_causes
 * @string action
 * @tab[opt] ctx
 * @treturn string causes ("" for none)
 * @treturn {tab,...} conflicts: `{code=, cause=, action=, listed=}`, by code
 */
static int l_freeswitch_causes(lua_State *L)
{
    const sipcodes_policy *p = sc_checkpolicy(L, 1);
    int action = sc_checkaction(L, 2);
    char list[SIPCODES_FS_CAUSES_MAX];
    sipcodes_fs_conflict conf[SIPCODES_POLICY_CODES];
    sipcodes_policy_ctx ctx;
    size_t len, n, i;

    sc_checkctx(L, 3, &ctx);
    sc_checknargs(L, 3);
    len = sipcodes_policy_fs_causes(p, action, &ctx, list, sizeof list, conf,
                                    SIPCODES_POLICY_CODES, &n);
    lua_pushlstring(L, list, len);
    if (n > SIPCODES_POLICY_CODES)
        n = SIPCODES_POLICY_CODES;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 4);
        lua_pushinteger(L, conf[i].code);
        lua_setfield(L, -2, "code");
        lua_pushstring(L, sipcodes_fs_cause_name(conf[i].cause));
        lua_setfield(L, -2, "cause");
        lua_pushstring(L, sipcodes_action_name(conf[i].action));
        lua_setfield(L, -2, "action");
        lua_pushboolean(L, conf[i].listed);
        lua_setfield(L, -2, "listed");
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 2;
}

static int l_policy_tostring(lua_State *L)
{
    const sipcodes_policy *p = sc_checkpolicy(L, 1);

    lua_pushfstring(L, "sipcodes.policy (%s)", sipcodes_preset_name(p->preset));
    return 1;
}

/* ---- module functions ------------------------------------------------------ */

/***
 * Probes and intents.
 * @section probes
 */

/***
 * Does a reply to an OPTIONS probe show the destination is up?  Any final
 * response that came back except 408 and 5xx; never a local timeout
 * (`ctx.local_timeout`).  nil for a code outside 100-699.
 * @function is_alive
 * @int code
 * @tab[opt] ctx
 * @treturn boolean
 * @usage policy.is_alive(404) --> true
 */
static int l_is_alive(lua_State *L)
{
    int code = sc_checkcode(L, 1), r;
    sipcodes_policy_ctx ctx;

    sc_checkctx(L, 2, &ctx);
    sc_checknargs(L, 2);
    if ((r = sipcodes_probe_alive(code, ctx.local_timeout)) < 0)
        lua_pushnil(L);
    else
        lua_pushboolean(L, r);
    return 1;
}

/***
 * The value of Kamailio dispatcher's `ds_ping_reply_codes` for a list of
 * codes and classes (`{403, "6xx"}`) or a string in its syntax
 * (`"class=2;code=403"`, checked and written back in order).  Refuses, as
 * `nil, why`, what would keep dead gateways alive (408, 5xx, classes 4
 * and 5) and what is not its syntax.
 * @function ds_ping_reply_codes
 * @tparam table|string spec
 * @treturn[1] string
 * @treturn[2] nil
 * @treturn[2] string why
 * @usage policy.ds_ping_reply_codes({ 403, 488 }) --> "code=403;code=488"
 */
static int l_ds_ping_reply_codes(lua_State *L)
{
    sipcodes_ping_set set;
    sipcodes_error err;
    char out[SIPCODES_PING_MAX];
    size_t len;

    if (lua_type(L, 1) != LUA_TSTRING && !lua_istable(L, 1))
        sc_typeerror(L, 1, "table or string");
    sc_checknargs(L, 1);
    if (lua_type(L, 1) == LUA_TSTRING) {
        const char *s = lua_tolstring(L, 1, &len);
        if (sipcodes_ping_parse(s, len, &set, &err)) {
            lua_pushnil(L);
            lua_pushfstring(L, "%s at byte %d", err.msg, (int)err.pos + 1);
            return 2;
        }
    } else {
        int n, i;
        sc_checklist(L, 1, "code or class");
        sc_listlen(L, 1, &n);
        sipcodes_ping_set_init(&set);
        for (i = 1; i <= n; i++) {
            int code, cls, r;
            lua_rawgeti(L, 1, i);
            if ((cls = sc_nxx(L, -1)) != 0) {
                r = sipcodes_ping_add_class(&set, cls, &err);
            } else if (lua_type(L, -1) == LUA_TNUMBER && sc_tocode(L, -1, &code) == SIPCODES_NUMERAL_INT) {
                r = sipcodes_ping_add_code(&set, code, &err);
            } else {
                return sc_argerror(L, 1, lua_pushfstring(L, "[%d]: a code or a class such as '2xx' "
                                                            "expected, got %s", i, luaL_typename(L, -1)));
            }
            lua_pop(L, 1);
            if (r) {
                lua_pushnil(L);
                lua_pushfstring(L, "[%d]: %s", i, err.msg);
                return 2;
            }
        }
    }
    len = sipcodes_ping_format(&set, out, sizeof out);
    lua_pushlstring(L, out, len);
    return 1;
}

/***
 * The code and phrase a script sends for an intent: `"busy"` (486),
 * `"decline"` (603), `"no_answer"` (480), `"not_registered"` (480),
 * `"no_route"` (404), `"overload"` (503), `"all_failed"` (500).  The
 * routing guide gives each one's source and alternatives.
 * @function choose
 * @string intent
 * @treturn int code
 * @treturn string phrase
 * @usage policy.choose("busy") --> 486, "Busy Here"
 */
static int l_choose(lua_State *L)
{
    size_t len;
    const char *s;
    int code;

    if (lua_type(L, 1) != LUA_TSTRING)
        sc_typeerror(L, 1, "string");
    sc_checknargs(L, 1);
    s = lua_tolstring(L, 1, &len);
    if ((code = sipcodes_intent_code(s, len)) == 0)
        return sc_argerror(L, 1, "intent must be one of busy, decline, no_answer, not_registered, "
                                 "no_route, overload, all_failed");
    lua_pushinteger(L, code);
    lua_pushstring(L, sipcodes_lookup(code)->reason[SIPCODES_LANG_EN]);
    return 2;
}

/*** @section end */

/* The methods, an X-macro (see SC_FIND). */
#define SC_POLICY_METHODS(X) X(decide) X(codes) X(kamailio_regex) X(freeswitch_causes)
#define SC_POLICY_FUNCS(X) X(new, l_policy_new) X(is_alive, l_is_alive) \
    X(ds_ping_reply_codes, l_ds_ping_reply_codes) X(choose, l_choose)

/* policy(): the table `require "sipcodes.policy"` returns; the metatable of
 * policies is made once per state. */
static int l_policy(lua_State *L)
{
    sc_checknargs(L, 0);
    if (luaL_newmetatable(L, SC_POLICY_MT)) {
        lua_createtable(L, 0, 4);
#define SC_METHOD(name) sc_pushfunc(L, l_##name, #name, 0); lua_setfield(L, -2, #name);
        SC_POLICY_METHODS(SC_METHOD)
#undef SC_METHOD
        lua_setfield(L, -2, "__index");
        sc_pushfunc(L, l_policy_tostring, "__tostring", 0);
        lua_setfield(L, -2, "__tostring");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_pop(L, 1);
    lua_createtable(L, 0, 4);
#define SC_MODFUNC(name, f) sc_pushfunc(L, f, #name, 0); lua_setfield(L, -2, #name);
    SC_POLICY_FUNCS(SC_MODFUNC)
#undef SC_MODFUNC
    return 1;
}

lua_CFunction sc_policy_find(const char *k, size_t len, unsigned *flags)
{
    SC_FIND(policy, 0)
    return NULL;
}
