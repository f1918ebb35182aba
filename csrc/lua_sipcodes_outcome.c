/* The call outcomes of `require "sipcodes"`, a section of its page. */
/*** @module sipcodes */

/***
 * Call outcomes.
 * What a final response or a Q.850 cause says about how a call ended
 * (`outcome`, `q850_outcome`), and what a provisional response announces
 * (`progress_kind`).  The KPI counters are in `sipcodes.kpi`; the tables,
 * with the source of every row, are in @{outcomes.md|the outcome guide}.
 *
 * The `ctx` of these functions is the routing ctx of `sipcodes.policy`
 * (`local_timeout`, `provisional`, `canceled`, `auth_tried`,
 * `retry_after`, `redirects`) with one more field, `answered`; any other
 * field raises.
 * @section outcomes
 */
#include <string.h>

#include "lua_sipcodes.h"
#include "sipcodes_outcome.h"

int sc_push_outcome(lua_State *L, int category, int party)
{
    const char *c = sipcodes_outcome_name(category), *p = sipcodes_party_name(party);

    if (c)
        lua_pushstring(L, c);
    else
        lua_pushnil(L);
    if (p)
        lua_pushstring(L, p);
    else
        lua_pushnil(L);
    return 2;
}

/* outcome and q850_outcome: (code or cause [, ctx]) through table(). */
static int sc_outcome_of(lua_State *L, int (*table)(int, const sipcodes_outcome_ctx *, int *))
{
    int value = sc_checkcode(L, 1), party, category;
    sipcodes_outcome_ctx ctx;

    sc_checkoutcomectx(L, 2, &ctx);
    sc_checknargs(L, 2);
    category = table(value, &ctx, &party);
    return sc_push_outcome(L, category, party);
}

/***
 * The outcome of a call that ended with a final response: its category and
 * the party it is put down to.  Categories: `"answered"`, `"busy"`,
 * `"no_answer"`, `"rejected"`, `"canceled"`, `"redirected"`,
 * `"auth_required"`, `"not_found"`, `"unavailable"`, `"network_failure"`,
 * `"failed"`.  Party: `"user"` (the called side decided, or the caller gave
 * up), `"network"` (the network or a server failed or decided), nil where
 * neither fits.  The ctx changes the answer: after a provisional a 408 or
 * 480 is `no_answer`; a cancel turns any failure into `canceled`; a second
 * 401/407 (`auth_tried`) is `rejected`.  A code the table lacks is read as
 * the x00 of its class (RFC 3261 §8.1.3.2).
 * @function outcome
 * @int code
 * @tab[opt] ctx
 * @treturn[1] string category
 * @treturn[1] ?string party
 * @treturn[2] nil for a provisional code and outside 200-699
 * @treturn[2] nil
 * @usage sip.outcome(486) --> "busy", "user"
 * sip.outcome(408, { provisional = true }) --> "no_answer", "user"
 */
static int l_outcome(lua_State *L)
{
    return sc_outcome_of(L, sipcodes_outcome);
}

/***
 * The outcome of a call that ended with a Q.850 cause (a FreeSWITCH hangup
 * cause, a Reason header's cause), as `outcome` gives it for a response.
 * 16 (normal clearing) is `answered` when `ctx.answered` says so, else a
 * party hung up before the answer (`canceled`); any cause of an answered
 * call is `answered`.  A cause the table lacks is read as the unspecified
 * cause of its class.
 * @function q850_outcome
 * @int cause 1-127
 * @tab[opt] ctx
 * @treturn[1] string category
 * @treturn[1] ?string party
 * @treturn[2] nil outside 1-127
 * @treturn[2] nil
 * @usage sip.q850_outcome(17) --> "busy", "user"
 * sip.q850_outcome(16, { answered = true }) --> "answered", "user"
 */
static int l_q850_outcome(lua_State *L)
{
    return sc_outcome_of(L, sipcodes_q850_outcome);
}

/***
 * What a provisional response announces: `"trying"` (100), `"ringing"`
 * (180), `"early_media"` (183, or 180 with a session description),
 * `"forwarded"` (181), `"queued"` (182), `"early_dialog_terminated"`
 * (199), `"progress"` (any other 1xx).
 * @function progress_kind
 * @int code
 * @bool[opt=false] has_sdp whether the response carries a session
 *   description
 * @treturn[1] string kind
 * @treturn[2] nil for final codes and outside 100-199
 * @usage sip.progress_kind(180, true) --> "early_media"
 */
static int l_progress_kind(lua_State *L)
{
    int code = sc_checkcode(L, 1), kind;

    if (!lua_isnoneornil(L, 2) && !lua_isboolean(L, 2))
        sc_typeerror(L, 2, "boolean");
    sc_checknargs(L, 2);
    kind = sipcodes_progress_kind(code, lua_toboolean(L, 2));
    if (!kind) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushstring(L, sipcodes_progress_name(kind));
    return 1;
}

/*** @section end */

#define SC_OUTCOME_FUNCS(X) \
    X(outcome, SC_PUBLIC) X(progress_kind, SC_PUBLIC) X(q850_outcome, SC_PUBLIC)

lua_CFunction sc_outcome_find(const char *k, size_t len, unsigned *flags)
{
    SC_OUTCOME_FUNCS(SC_FIND)
    return NULL;
}
