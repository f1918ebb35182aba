/* The protocol helpers of `require "sipcodes"`, a section of its page. */
/*** @module sipcodes */

/***
 * Protocol helpers.
 * The Status-Line, the Reason, Retry-After and Warning headers (with the
 * warn-code registry), the best response of a forking proxy and the header
 * fields a response needs.
 *
 * The parsers take untrusted network text.  Malformed text gives `nil` and
 * a message that says what is wrong and at which byte (1-based, as Lua
 * string positions), such as `nil, "expected SP after status code at byte
 * 12"`; they never raise on data.  A wrong argument type, count or option
 * raises `bad argument #n to 'f' (...)`, as everywhere in the module.
 * @section protocol
 */
#include <limits.h>
#include <string.h>

#include "lua_sipcodes.h"
#include "sipcodes_interop.h"
#include "sipcodes_proto.h"

/* nil, "<msg> at byte <pos + 1>", optionally after a prefix. */
static int sc_push_error(lua_State *L, const char *prefix, const sipcodes_error *err)
{
    lua_pushnil(L);
    lua_pushfstring(L, "%s%s at byte %d", prefix ? prefix : "", err->msg,
                    (int)(err->pos + 1));
    return 2;
}

/* A string argument (numbers are not taken for text). */
static const char *sc_checkstring(lua_State *L, int arg, size_t *len)
{
    if (lua_type(L, arg) != LUA_TSTRING)
        sc_typeerror(L, arg, "string");
    return lua_tolstring(L, arg, len);
}

/* ---- Status-Line -------------------------------------------------------- */

/* opts of parse_status_line: nil, or a table whose only key is `lenient`. */
static unsigned sc_check_status_opts(lua_State *L, int arg)
{
    unsigned flags = 0;
    int t;

    if (!sc_checkopts(L, arg, "lenient\0"))
        return 0;
    lua_getfield(L, arg, "lenient");
    t = lua_type(L, -1);
    if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        sc_argerror(L, arg, lua_pushfstring(
            L, "option 'lenient': boolean expected, got %s", luaL_typename(L, -1)));
    if (lua_toboolean(L, -1))
        flags |= SIPCODES_LENIENT;
    lua_pop(L, 1);
    return flags;
}

/***
 * Parse a Status-Line (RFC 3261 §7.2, §25.1).
 * Strict by default: `"SIP" "/" 1*DIGIT "." 1*DIGIT` ("SIP" in any case), one
 * SP, three digits, one SP, a Reason-Phrase (reserved and unreserved
 * characters, %HH escapes, SP, HTAB and well-formed UTF-8; no `"`, `<`,
 * `\` and such, no controls), an optional final CRLF and nothing after it.
 * Codes outside 100-699 parse, with `valid = false`.
 *
 * `opts.lenient = true` accepts what real stacks send and lists it in the
 * result's `lenient` table: `no_sp` ("SIP/2.0 200"), `bare_lf`, `bare_cr`
 * (line ends), `trailing_space` (SP/HTAB at the end of the phrase or after
 * the line end, dropped from `reason`), `chars` (printable characters the
 * grammar forbids, a lone `%`), `bad_utf8` (e.g. Latin-1 phrases).  Control
 * characters are refused even then.
 * @function parse_status_line
 * @string line at most 8192 bytes
 * @tab[opt] opts `lenient` (boolean); other keys raise
 * @treturn[1] table `{ version = "SIP/2.0", code = 486, reason = "Busy Here",
 *   valid = true [, lenient = { no_sp = true, ... }] }`; `reason` is the
 *   phrase as sent (escapes not decoded)
 * @treturn[2] nil
 * @treturn[2] string what is wrong and where, e.g.
 *   "expected SP after status code at byte 12"
 * @usage sip.parse_status_line("SIP/2.0 486 Busy Here\r\n").code --> 486
 */
static int l_parse_status_line(lua_State *L)
{
    size_t len;
    const char *s = sc_checkstring(L, 1, &len);
    unsigned flags = sc_check_status_opts(L, 2);
    sipcodes_status_line sl;
    sipcodes_error err;

    sc_checknargs(L, 2);
    if (sipcodes_parse_status_line(s, len, flags, &sl, &err))
        return sc_push_error(L, NULL, &err);
    lua_createtable(L, 0, 5);
    lua_pushlstring(L, sl.version.ptr, sl.version.len);
    lua_setfield(L, -2, "version");
    lua_pushinteger(L, sl.code);
    lua_setfield(L, -2, "code");
    lua_pushlstring(L, sl.reason.ptr, sl.reason.len);
    lua_setfield(L, -2, "reason");
    lua_pushboolean(L, sl.valid);
    lua_setfield(L, -2, "valid");
    if (sl.accepted) {
        unsigned bit;
        lua_createtable(L, 0, 2);
        for (bit = 1; bit & SIPCODES_ACCEPTED_ALL; bit <<= 1)
            if (sl.accepted & bit) {
                lua_pushboolean(L, 1);
                lua_setfield(L, -2, sipcodes_accepted_name(bit));
            }
        lua_setfield(L, -2, "lenient");
    }
    return 1;
}

/***
 * Build a Status-Line (without CRLF).
 * Without a reason, the code's phrase is used: the registered reason (also
 * one added with `register`), else the generic phrase of its class, as
 * `phrase` gives it.
 * @function format_status_line
 * @int code
 * @string[opt] reason the Reason-Phrase; may be empty
 * @treturn[1] string e.g. "SIP/2.0 486 Busy Here"
 * @treturn[2] nil for a code outside 100-699 or a phrase the grammar
 *   forbids (e.g. with CR, LF or `"`)
 * @treturn[2] string why
 * @usage sip.format_status_line(486) --> "SIP/2.0 486 Busy Here"
 */
static int l_format_status_line(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    const char *r = NULL;
    size_t rlen = 0;
    sipcodes_error err;

    if (!lua_isnoneornil(L, 2))
        r = sc_checkstring(L, 2, &rlen);
    sc_checknargs(L, 2);
    if (!sipcodes_is_valid(code)) {
        lua_pushnil(L);
        lua_pushfstring(L, "code must be 100 to 699, got %d", code);
        return 2;
    }
    if (!r) {
        /* (Left on the stack until the line is copied out.) */
        if (sc_push_reason(L, code, SIPCODES_LANG_EN)) {
            r = lua_tolstring(L, -1, &rlen);
        } else {
            r = sipcodes_class_phrase(code, SIPCODES_LANG_EN);
            rlen = strlen(r);
        }
    }
    /* Checked also when it came from the registry: the one rule for a
     * phrase on the wire, with the line built by the core. */
    {
        char out[SIPCODES_MAX_LINE];
        size_t n = sipcodes_format_status_line(code, r, rlen, out, sizeof out, &err);
        if (n == 0) {
            /* The position counts in the phrase given, not in the line. */
            lua_pushnil(L);
            lua_pushfstring(L, "%s at byte %d of the reason", err.msg, (int)(err.pos + 1));
            return 2;
        }
        lua_pushlstring(L, out, n);
    }
    return 1;
}

/* ---- Reason header ------------------------------------------------------ */

/* Push the inside of a quoted-string with its escapes undone.  The input is
 * at most SIPCODES_MAX_LINE bytes and unquoting never makes it longer, so a
 * buffer of that size on the C stack always suffices. */
static void sc_push_unquoted(lua_State *L, sipcodes_span sp)
{
    char buf[SIPCODES_MAX_LINE];
    size_t n = sipcodes_unquote(sp.ptr, sp.len, buf);

    lua_pushlstring(L, buf, n);
}

/* Push the table of n parsed generic parameters: name -> value, true for a
 * name without a value, a quoted value unquoted (parse_reason and
 * parse_retry_after give params in this one shape). */
static void sc_push_params(lua_State *L, const sipcodes_param *params, size_t n)
{
    size_t i;

    lua_createtable(L, 0, (int)n);
    for (i = 0; i < n; i++) {
        const sipcodes_param *p = &params[i];
        lua_pushlstring(L, p->name.ptr, p->name.len);
        if (!p->has_value)
            lua_pushboolean(L, 1);
        else if (p->quoted)
            sc_push_unquoted(L, p->value);
        else
            lua_pushlstring(L, p->value.ptr, p->value.len);
        lua_rawset(L, -3);
    }
}

/***
 * Parse a Reason header (RFC 3326): a header value or a whole line with
 * the `Reason:` name (optional final CRLF).  Several values are separated
 * by commas; commas inside quoted text are text.  Linear whitespace and
 * folded lines are allowed around every separator.
 *
 * One value per protocol: RFC 3326 allows one value of each protocol in a
 * message, and RFC 9366 allows more only for a protocol whose registration
 * says what several mean, which SIP and Q.850 do not.  This function sees
 * one header: for a message with several Reason lines, parse them joined
 * with ", " to check across them.  So a second SIP or
 * a second Q.850 value (protocol compared without regard to case) makes
 * the whole header an error, `nil, "second Q.850 value (one per protocol) at byte N"`, as a
 * repeated parameter does: which of the two causes is meant could only be
 * guessed.  Other protocols may repeat.
 *
 * - `protocol`: "SIP", "Q.850" or any token, as sent (compare without
 *   regard to case);
 * - `cause`: `1*DIGIT` as an integer (up to 2147483647);
 * - `text`: a quoted-string, escapes undone (no CR/LF, not even escaped);
 * - `location` (RFC 8606 §4): only for Q.850, one of U, LPN, LN, TN, RLN,
 *   RPN, INTL, BI or, for the spare and reserved location values, LOC-6,
 *   LOC-8, LOC-9, LOC-11 to LOC-15, in any case, as sent; on any other
 *   protocol `location` is an ordinary parameter and lands in `params`;
 * - `params`: every other parameter, name as sent -> value (quoted values
 *   unquoted), or `true` for a parameter without a value; always a table.
 *
 * A parameter name twice in one value (without regard to case, RFC 3261
 * §7.3.1), more than 16 parameters in a value, or more than 8192 bytes are
 * errors.
 * @function parse_reason
 * @string header
 * @treturn[1] table list of `{ protocol =, cause =, text =, location =,
 *   params = {} }`
 * @treturn[2] nil
 * @treturn[2] string what is wrong and where
 * @usage sip.parse_reason('Q.850;cause=16;text="Terminated"')[1].cause --> 16
 */
static int l_parse_reason(lua_State *L)
{
    size_t len;
    const char *s = sc_checkstring(L, 1, &len);
    sipcodes_reason_iter it;
    sipcodes_reason_value v;
    sipcodes_error err;
    int r, n = 0;

    sc_checknargs(L, 1);
    if (sipcodes_reason_init(&it, s, len, &err))
        return sc_push_error(L, NULL, &err);
    lua_newtable(L);
    while ((r = sipcodes_reason_next(&it, &v, &err)) == 1) {
        if (sipcodes_reason_refuse_repeated(s, &v, &err))
            return sc_push_error(L, NULL, &err);
        lua_createtable(L, 0, 5);
        lua_pushlstring(L, v.protocol.ptr, v.protocol.len);
        lua_setfield(L, -2, "protocol");
        if (v.has_cause) {
            lua_pushinteger(L, v.cause);
            lua_setfield(L, -2, "cause");
        }
        if (v.has_text) {
            sc_push_unquoted(L, v.text);
            lua_setfield(L, -2, "text");
        }
        if (v.has_location) {
            lua_pushlstring(L, v.location.ptr, v.location.len);
            lua_setfield(L, -2, "location");
        }
        sc_push_params(L, v.params, v.nparams);
        lua_setfield(L, -2, "params");
        lua_rawseti(L, -2, ++n);
    }
    if (r < 0)
        return sc_push_error(L, NULL, &err);
    return 1;
}

/* Push "<where><field>: <expected> expected, got <type of the value at
 * idx>", where is "[2]." for the second value of a list and "" for a single
 * value; the message of a misuse of format_reason's argument. */
static int sc_field_error(lua_State *L, int index, const char *field,
                          const char *expected, int idx)
{
    const char *type = luaL_typename(L, idx);

    if (index)
        lua_pushfstring(L, "[%d].%s: %s expected, got %s", index, field, expected, type);
    else
        lua_pushfstring(L, "%s: %s expected, got %s", field, expected, type);
    return SC_FMT_MISUSE;
}

/* The params table at ptab (of the value index of a list, 0: alone) into
 * params[0..*n), at most max and then one more so that the core reports
 * the count: names are strings, values strings or true.  The strings stay
 * anchored in the table.  SC_FMT_OK, or SC_FMT_MISUSE with its message
 * pushed ("params.x: string or true expected, got number"). */
static int sc_collect_params(lua_State *L, int ptab, int index, sipcodes_param *params,
                             size_t *n, size_t max)
{
    lua_pushnil(L);
    while (lua_next(L, ptab)) {
        int vt = lua_type(L, -1);
        sipcodes_param *p;

        if (lua_type(L, -2) != LUA_TSTRING)
            return sc_field_error(L, index, "params", "string keys", -2);
        if (vt != LUA_TSTRING && !(vt == LUA_TBOOLEAN && lua_toboolean(L, -1))) {
            size_t klen;
            const char *k = lua_tolstring(L, -2, &klen);
            const char *f = lua_pushfstring(L, "params.%s", sc_pushshown(L, k, klen));
            return sc_field_error(L, index, f, "string or true", -3);
        }
        if (*n == max) {
            /* One more than the core takes: it reports the count. */
            (*n)++;
            lua_pop(L, 2);
            break;
        }
        p = &params[(*n)++];
        p->name.ptr = lua_tolstring(L, -2, &p->name.len);
        p->has_value = vt == LUA_TSTRING;
        if (p->has_value)
            p->value.ptr = lua_tolstring(L, -1, &p->value.len);
        lua_pop(L, 1);
    }
    return SC_FMT_OK;
}

/* The fields of a reason value. */
#define SC_VALUE_FIELDS "protocol\0cause\0text\0location\0params\0"

/* An optional string field of the value at idx into *sp (*has: present).
 * The string stays on the stack, anchored until the caller pops it: the
 * field may come from an __index that made it just now. */
static int sc_string_field(lua_State *L, int idx, int index, const char *field,
                           int *has, sipcodes_span *sp)
{
    lua_getfield(L, idx, field);
    *has = 0;
    if (lua_isnil(L, -1))
        return SC_FMT_OK;
    if (lua_type(L, -1) != LUA_TSTRING)
        return sc_field_error(L, index, field, "string", -1);
    sp->ptr = lua_tolstring(L, -1, &sp->len);
    *has = 1;
    return SC_FMT_OK;
}

/* nil-less form of a refusal: push "<value N: >msg". */
static int sc_refused(lua_State *L, int index, const char *msg)
{
    if (index)
        lua_pushfstring(L, "value %d: %s", index, msg);
    else
        lua_pushstring(L, msg);
    return SC_FMT_REFUSED;
}

/* SC_FMT_MISUSE with "[index]: unknown field 'x'" (no "[index]: " for a
 * value alone) pushed when the table at idx has a key names lack; else
 * SC_FMT_OK. */
static int sc_unknown_field(lua_State *L, int idx, int index, sc_names names)
{
    int r = sc_unknown_key(L, idx, names);
    const char *what;

    if (r == 0)
        return SC_FMT_OK;
    what = lua_tostring(L, -1);
    if (index)
        lua_pushfstring(L, r == 1 ? "[%d]: unknown field '%s'" : "[%d]: unknown field of type %s",
                        index, what);
    else
        lua_pushfstring(L, r == 1 ? "unknown field '%s'" : "unknown field of type %s", what);
    return SC_FMT_MISUSE;
}

/* Gather the reason-value table at idx (index: its place in a list, 0 when
 * alone) into *v.  Every field read is left on the stack, so that its bytes
 * stay valid until the caller has formatted them (an __index may have made
 * it just now; 6 slots).  The params table is read last, with lua_next:
 * its keys and values stay anchored in it, and no Lua code runs before
 * they are formatted.  SC_FMT_OK, or another result with its message
 * pushed: misuse (a type, an unknown field), or a cause that no int can
 * hold.  An error raised by an __index of the value goes through as is. */
static int sc_collect_value(lua_State *L, int idx, int index, sipcodes_reason_value *v)
{
    int t, r;

    memset(v, 0, sizeof *v);

    /* Unknown fields are misuse: a typo such as `couse` would otherwise
     * vanish from the header without a word. */
    if ((r = sc_unknown_field(L, idx, index, SC_VALUE_FIELDS)) != SC_FMT_OK)
        return r;

    lua_getfield(L, idx, "protocol");
    if (lua_type(L, -1) != LUA_TSTRING)
        return sc_field_error(L, index, "protocol", "string", -1);
    v->protocol.ptr = lua_tolstring(L, -1, &v->protocol.len);

    lua_getfield(L, idx, "cause");
    t = lua_type(L, -1);
    if (t != LUA_TNIL) {
        double n;
        if (t != LUA_TNUMBER)
            return sc_field_error(L, index, "cause", "number", -1);
        n = (double)lua_tonumber(L, -1);
        v->has_cause = 1;
        /* A number with no int value is no cause; the core words it, as
         * for a negative one.  Only a cause beyond the int range needs
         * words of its own. */
        if (!sipcodes_int_of_number(n, &v->cause)) {
            if (n > (double)INT_MAX)
                return sc_refused(L, index, "cause must be at most 2147483647");
            v->cause = -1;
        }
    }

    if ((r = sc_string_field(L, idx, index, "text", &v->has_text, &v->text)) != SC_FMT_OK ||
        (r = sc_string_field(L, idx, index, "location", &v->has_location, &v->location)) != SC_FMT_OK)
        return r;

    lua_getfield(L, idx, "params");
    t = lua_type(L, -1);
    if (t != LUA_TNIL && t != LUA_TTABLE)
        return sc_field_error(L, index, "params", "table", -1);
    if (t == LUA_TTABLE)
        return sc_collect_params(L, lua_gettop(L), index, v->params, &v->nparams,
                                 SIPCODES_REASON_MAX_PARAMS);
    return SC_FMT_OK;
}

/* Push the message of a refusal by sipcodes_reason_append. */
static int sc_format_refused(lua_State *L, int index, const sipcodes_reason_value *v,
                             const sipcodes_format_error *err)
{
    const char *msg = err->msg;

    if (err->field == SIPCODES_FIELD_TEXT) {
        msg = lua_pushfstring(L, "text: %s at byte %d", err->msg, (int)err->pos + 1);
    } else if (err->field == SIPCODES_FIELD_PARAM_NAME ||
               err->field == SIPCODES_FIELD_PARAM_VALUE) {
        const sipcodes_span *name = &v->params[err->param].name;
        const char *shown = sc_pushshown(L, name->ptr, name->len);
        if (err->field == SIPCODES_FIELD_PARAM_NAME)
            msg = lua_pushfstring(L, "parameter '%s': %s", shown, err->msg);
        else
            msg = lua_pushfstring(L, "params.%s: %s at byte %d", shown, err->msg,
                                  (int)err->pos + 1);
    }
    /* The length is the header's, not one value's. */
    return sc_refused(L, err->field == SIPCODES_FIELD_HEADER ? 0 : index, msg);
}

/* Append the value table at idx to out[0..*len). */
static int sc_format_one(lua_State *L, int idx, int index, char *out, size_t *len)
{
    sipcodes_reason_value v;
    sipcodes_format_error err;
    int top = lua_gettop(L);
    int r = sc_collect_value(L, idx, index, &v);

    if (r != SC_FMT_OK)
        return r;
    /* parse_reason refuses a second SIP or Q.850 value: so does this. */
    if (sipcodes_reason_holds(out, *len, v.protocol))
        return sc_refused(L, index, sipcodes_reason_repeated_msg(v.protocol));
    if (sipcodes_reason_append(out, len, &v, &err) != 0)
        return sc_format_refused(L, index, &v, &err);
    lua_settop(L, top); /* the bytes are copied: the anchors may go */
    return SC_FMT_OK;
}

/* Append one value (the table at idx, the index-th of a list, 0: alone)
 * to out[0..*len): the one formatter of a header's value. */
typedef int (*sc_format_value_fn)(lua_State *L, int idx, int index, char *out, size_t *len);

/* Format the value or list of values at idx with one(): a table with a
 * `key` field is one value, else a list; an empty table is an empty list
 * (refused with the message `empty`).  Leaves the stack as it was on
 * SC_FMT_OK, a message pushed otherwise. */
static int sc_format_values(lua_State *L, int idx, const char *key, sc_format_value_fn one,
                            const char *empty, char *out, size_t *len)
{
    int n, i, r, hole;

    idx = lua_absindex(L, idx);
    *len = 0;
    lua_getfield(L, idx, key);
    if (!lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return one(L, idx, 0, out, len);
    }
    lua_pop(L, 1);
    if ((hole = sc_listlen(L, idx, &n)) != 0) {
        lua_pushfstring(L, "[%d]: table expected, got nil", hole);
        return SC_FMT_MISUSE;
    }
    if (n == 0) {
        /* Not a list: a value without its key field is misuse (one()
         * finds it); only an empty table is an empty list. */
        lua_pushnil(L);
        if (lua_next(L, idx)) {
            lua_pop(L, 2);
            return one(L, idx, 0, out, len);
        }
        lua_pushstring(L, empty);
        return SC_FMT_REFUSED;
    }
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i); /* anchored while it is read */
        if (!lua_istable(L, -1)) {
            lua_pushfstring(L, "[%d]: table expected, got %s", i, luaL_typename(L, -1));
            return SC_FMT_MISUSE;
        }
        if ((r = one(L, lua_gettop(L), i, out, len)) != SC_FMT_OK)
            return r;
        lua_pop(L, 1);
    }
    return SC_FMT_OK;
}

/* The results of a format_* function from what sc_format_values gave:
 * the string, a raise for misuse, or nil and the message. */
static int sc_format_result(lua_State *L, int r, const char *out, size_t len)
{
    switch (r) {
    case SC_FMT_OK:
        lua_pushlstring(L, out, len);
        return 1;
    case SC_FMT_MISUSE:
        return sc_argerror(L, 1, lua_tostring(L, -1));
    default:
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
}

int sc_format_reason_arg(lua_State *L, int idx, char *out, size_t *len)
{
    return sc_format_values(L, idx, "protocol", sc_format_one,
                            "no reason values (need a value or a non-empty list)", out, len);
}

/***
 * Build a Reason header value: the inverse of `parse_reason`.
 * Takes one value `{ protocol =, cause =, text =, location =, params = }`
 * or a list of them (joined with ", ").  `text` and parameter values that
 * are not tokens are quoted, with `"` and `\` escaped; `params` come out
 * sorted by name, after cause, text and location.
 * `parse_reason(format_reason(x))` gives `x` back for every `x` this
 * accepts whose values all carry a `params` table.
 *
 * A wrong type, an unknown field or a list with a hole raises.  These give
 * `nil, message`: a protocol or parameter name that is not a token, a
 * cause that is not an integer from 0 to 2147483647, CR, LF or another
 * control character (or invalid UTF-8) in text, a location on a protocol
 * other than Q.850 or not one of RFC 8606's tokens (those `parse_reason`
 * takes, LOC-n included), `cause`/`text` (and on Q.850 `location`) inside
 * params, two params whose names differ only in case, more than 16
 * parameters in a value, a second SIP or Q.850 value in a list (one per
 * protocol, as `parse_reason` reads a header), an empty list, a result
 * longer than 8192 bytes (what `parse_reason` takes).
 * @function format_reason
 * @tab value one value, or a list of values
 * @treturn[1] string e.g. 'Q.850;cause=16;text="Normal call clearing"'
 * @treturn[2] nil
 * @treturn[2] string why
 * @usage sip.format_reason({ protocol = "SIP", cause = 200, text = "Call completed elsewhere" }) --> 'SIP;cause=200;text="Call completed elsewhere"'
 */
static int l_format_reason(lua_State *L)
{
    char out[SIPCODES_MAX_LINE];
    size_t len;
    int r;

    if (!lua_istable(L, 1))
        return sc_typeerror(L, 1, "table");
    sc_checknargs(L, 1);
    r = sc_format_reason_arg(L, 1, out, &len);
    return sc_format_result(L, r, out, len);
}

/* ---- Retry-After header ------------------------------------------------ */

/***
 * Parse a Retry-After header (RFC 3261 §20.33): a header value or a whole
 * line with the `Retry-After:` name (in any case, optional final CRLF).
 * Linear whitespace and folded lines are allowed around the comment and
 * every separator.
 *
 * - `seconds`: delta-seconds as an integer; a longer run of digits than
 *   2147483647 reads as 2147483647 (68 years: "not soon"), the same on
 *   every interpreter;
 * - `comment`: the text between the outer parentheses, with nested
 *   parentheses kept, quoted-pairs undone and folding read as one SP;
 * - `duration`: the duration parameter as an integer (saturated the same
 *   way);
 * - `params`: every other parameter, name as sent -> value (quoted values
 *   unquoted), or `true` for a parameter without a value; always a table.
 *
 * Refused: no digits, a second comment, an unbalanced comment or one nested
 * more than 8 deep, a duration that is not delta-seconds, a parameter name
 * twice (without regard to case, RFC 3261 §7.3.1), more than 16
 * parameters, more than 8192 bytes.  Messages start with "retry-after: ".
 * @function parse_retry_after
 * @string header
 * @treturn[1] table `{ seconds = 120, comment = "lunch", duration = 3600,
 *   params = {} }`
 * @treturn[2] nil
 * @treturn[2] string what is wrong and where, e.g.
 *   "retry-after: expected delta-seconds at byte 1"
 * @usage sip.parse_retry_after("Retry-After: 120 (lunch);duration=3600").duration --> 3600
 */
static int l_parse_retry_after(lua_State *L)
{
    size_t len;
    const char *s = sc_checkstring(L, 1, &len);
    sipcodes_retry_after ra;
    sipcodes_error err;

    sc_checknargs(L, 1);
    if (sipcodes_parse_retry_after(s, len, &ra, &err))
        return sc_push_error(L, "retry-after: ", &err);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, ra.seconds);
    lua_setfield(L, -2, "seconds");
    if (ra.has_comment) {
        sc_push_unquoted(L, ra.comment);
        lua_setfield(L, -2, "comment");
    }
    if (ra.has_duration) {
        lua_pushinteger(L, ra.duration);
        lua_setfield(L, -2, "duration");
    }
    sc_push_params(L, ra.params, ra.nparams);
    lua_setfield(L, -2, "params");
    return 1;
}

#define SC_RETRY_AFTER_OPTS "comment\0duration\0params\0"

/* Gather the options table at arg (its names checked by sc_checkopts) of
 * format_retry_after into *v, every string left on the stack (anchored, as
 * an __index may have made it just now) until the caller has formatted it.
 * params is read last, with lua_next: its keys and values stay anchored in
 * it, and no Lua code runs after. */
static void sc_collect_retry_opts(lua_State *L, int arg, sipcodes_retry_after *v)
{
    int t;

    lua_getfield(L, arg, "comment");
    t = lua_type(L, -1);
    if (t != LUA_TNIL && t != LUA_TSTRING)
        sc_argerror(L, arg, "option 'comment' must be a string");
    if (t == LUA_TSTRING) {
        v->has_comment = 1;
        v->comment.ptr = lua_tolstring(L, -1, &v->comment.len);
    }

    lua_getfield(L, arg, "duration");
    t = lua_type(L, -1);
    if (t != LUA_TNIL) {
        if (t != LUA_TNUMBER || !sipcodes_int_of_number((double)lua_tonumber(L, -1), &v->duration) ||
            v->duration < 0)
            sc_argerror(L, arg, "option 'duration' must be an integer from 0 to 2147483647");
        v->has_duration = 1;
    }

    lua_getfield(L, arg, "params");
    t = lua_type(L, -1);
    if (t != LUA_TNIL && t != LUA_TTABLE)
        sc_argerror(L, arg, "option 'params' must be a table");
    if (t == LUA_TTABLE && sc_collect_params(L, lua_gettop(L), 0, v->params, &v->nparams,
                                             SIPCODES_RETRY_AFTER_MAX_PARAMS) != SC_FMT_OK)
        sc_argerror(L, arg, lua_tostring(L, -1));
}

/***
 * Build a Retry-After header value: the inverse of `parse_retry_after`.
 * `parse_retry_after(format_retry_after(n, opts))` gives back `n` and the
 * `comment`, `duration` and `params` of `opts` (`params = {}` when none).
 * The comment comes after a space in parentheses, with `\` escaped; its
 * own parentheses stay as they are when they balance and nest at most 7
 * deep, else every one is escaped.  `params` come out sorted by name after
 * the duration; values that are not tokens are quoted.
 *
 * Everything it cannot write so that it reads back the same raises: seconds
 * that are not an integer from 0 to 2147483647, an unknown option, a
 * duration that is not such an integer, a comment with CR, LF, another
 * control character or invalid UTF-8, a parameter name that is not a token
 * or is `duration`, two names that differ only in case, a parameter value
 * with CR, LF or another control character, more than 16 parameters with
 * the duration, a value longer than 8192 bytes (what `parse_retry_after`
 * takes).
 * @function format_retry_after
 * @int seconds 0 to 2147483647
 * @tab[opt] opts `comment` (string), `duration` (integer), `params` (table
 *   name -> string or true)
 * @treturn string e.g. "120 (lunch);duration=3600"
 * @usage sip.format_retry_after(120, { comment = "lunch", duration = 3600 }) --> "120 (lunch);duration=3600"
 */
static int l_format_retry_after(lua_State *L)
{
    char out[SIPCODES_MAX_LINE];
    int seconds = sc_checkcode(L, 1);
    sipcodes_retry_after v;
    sipcodes_format_error err;
    size_t n;
    int has_opts;

    if (seconds < 0)
        sc_argerror(L, 1, "seconds must be 0 to 2147483647");
    has_opts = sc_checkopts(L, 2, SC_RETRY_AFTER_OPTS);
    sc_checknargs(L, 2);
    memset(&v, 0, sizeof v);
    v.seconds = seconds;
    if (has_opts)
        sc_collect_retry_opts(L, 2, &v);
    n = sipcodes_format_retry_after(&v, out, sizeof out, &err);
    if (n == 0) {
        const char *msg = err.msg;
        if (err.field == SIPCODES_FIELD_COMMENT) {
            msg = lua_pushfstring(L, "comment: %s at byte %d", err.msg, (int)err.pos + 1);
        } else if (err.field == SIPCODES_FIELD_PARAM_NAME ||
                   err.field == SIPCODES_FIELD_PARAM_VALUE) {
            const sipcodes_span *name = &v.params[err.param].name;
            const char *shown = sc_pushshown(L, name->ptr, name->len);
            if (err.field == SIPCODES_FIELD_PARAM_NAME)
                msg = lua_pushfstring(L, "parameter '%s': %s", shown, err.msg);
            else
                msg = lua_pushfstring(L, "params.%s: %s at byte %d", shown, err.msg,
                                      (int)err.pos + 1);
        }
        return sc_argerror(L, 2, msg);
    }
    lua_pushlstring(L, out, n);
    return 1;
}

/* ---- Warning header ----------------------------------------------------- */

/***
 * The text of a warn-code (RFC 3261 §20.43), from the IANA registry: 300-308,
 * 330, 331, 370, 380, 381 and 399.  The English texts are the registered
 * ones; a Warning header a peer sends carries a warn-text of its own, which
 * `parse_warning` gives.
 * @function warning_text
 * @int code
 * @string[opt="en"] lang "en" or "de"
 * @treturn[1] string e.g. "Insufficient bandwidth"
 * @treturn[2] nil for a code the registry does not hold
 * @usage sip.warning_text(370, "de") --> "Unzureichende Bandbreite"
 */
static int l_warning_text(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    sipcodes_lang lang = sc_checklang(L, 2);
    const char *text;

    sc_checknargs(L, 2);
    text = sipcodes_warn_text(code, lang);
    if (text)
        lua_pushstring(L, text);
    else
        lua_pushnil(L);
    return 1;
}

/***
 * Everything the warn-code registry holds about a code, in a fresh table.
 *
 * - `code`, `text` (English, as registered), `text_de`;
 * - `rfc`: the one defining document, a string such as "RFC 3261";
 * - `group`: the range of RFC 3261 §20.43 the code belongs to, one of
 *   `"session_description"` (300-329: a keyword of the session description
 *   the receiver could not accept), `"network_services"` (330-339: a
 *   network service the session description asked for),
 *   `"quality_of_service"` (370-379: a QoS quantity it asked for) and
 *   `"miscellaneous"` (390-399, and 380 and 381, which RFC 5630 registered
 *   outside those ranges);
 * - `automatic`: whether a receiver may act on the code by itself (retry
 *   with another offer, say); `false` only for 399, on which RFC 3261 says
 *   a receiver must take no automated action: show or log it.
 * @function warning_info
 * @int code
 * @treturn[1] table `{ code = 370, text = "Insufficient bandwidth",
 *   text_de = "Unzureichende Bandbreite", rfc = "RFC 3261",
 *   group = "quality_of_service", automatic = true }`
 * @treturn[2] nil for a code the registry does not hold
 * @usage sip.warning_info(399).automatic --> false
 */
static int l_warning_info(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    const sipcodes_warn_code *w;

    sc_checknargs(L, 1);
    w = sipcodes_warn_lookup(code);
    if (!w) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, w->code);
    lua_setfield(L, -2, "code");
    lua_pushstring(L, w->text[SIPCODES_LANG_EN]);
    lua_setfield(L, -2, "text");
    lua_pushstring(L, w->text[SIPCODES_LANG_DE]);
    lua_setfield(L, -2, "text_de");
    lua_pushstring(L, w->rfc);
    lua_setfield(L, -2, "rfc");
    lua_pushstring(L, w->group);
    lua_setfield(L, -2, "group");
    lua_pushboolean(L, w->automatic);
    lua_setfield(L, -2, "automatic");
    return 1;
}

/***
 * Parse a Warning header (RFC 3261 §20.43): a header value or a whole line
 * with the `Warning:` name (in any case, optional final CRLF).  Each value
 * is `warn-code SP warn-agent SP warn-text`; several are separated by
 * commas, and commas inside the quoted text are text.  Where the grammar
 * has SP, any linear white space is taken, folded lines included; linear
 * white space is allowed around every comma too.
 *
 * - `code`: the three digits as an integer, registered or not (0-999);
 * - `agent`: the warn-agent as sent: a host name, an IPv4 address or an
 *   IPv6 reference, each with an optional `:port`, or a pseudonym (a
 *   token); before a port only a host may stand;
 * - `text`: the quoted warn-text with its escapes undone (no CR or LF, not
 *   even escaped; folding reads as one SP).
 *
 * Refused: an empty header or list element, a code that is not three
 * digits, a missing space, a malformed agent, text that is not a
 * quoted-string, more than 8192 bytes.  Messages start with "warning: ".
 * @function parse_warning
 * @string header
 * @treturn[1] table list of `{ code = 370, agent = "gw.example.com:5060",
 *   text = "Insufficient bandwidth" }`, in the order sent
 * @treturn[2] nil
 * @treturn[2] string what is wrong and where, e.g.
 *   "warning: expected 3-digit warn-code at byte 1"
 * @usage sip.parse_warning('Warning: 370 gw.example.com:5060 "Too slow"')[1].agent --> "gw.example.com:5060"
 */
static int l_parse_warning(lua_State *L)
{
    size_t len;
    const char *s = sc_checkstring(L, 1, &len);
    sipcodes_warning_iter it;
    sipcodes_warning_value v;
    sipcodes_error err;
    int r, n = 0;

    sc_checknargs(L, 1);
    if (sipcodes_warning_init(&it, s, len, &err))
        return sc_push_error(L, "warning: ", &err);
    lua_newtable(L);
    while ((r = sipcodes_warning_next(&it, &v, &err)) == 1) {
        lua_createtable(L, 0, 3);
        lua_pushinteger(L, v.code);
        lua_setfield(L, -2, "code");
        lua_pushlstring(L, v.agent.ptr, v.agent.len);
        lua_setfield(L, -2, "agent");
        sc_push_unquoted(L, v.text);
        lua_setfield(L, -2, "text");
        lua_rawseti(L, -2, ++n);
    }
    if (r < 0)
        return sc_push_error(L, "warning: ", &err);
    return 1;
}

/* The fields of a warning value. */
#define SC_WARNING_FIELDS "code\0agent\0text\0"

/* Gather the warning-value table at idx (index: its place in a list, 0
 * when alone) into *v, as sc_collect_value does for a reason value: every
 * field read stays on the stack (3 slots) until the caller has formatted
 * it.  SC_FMT_OK, or SC_FMT_MISUSE with its message pushed. */
static int sc_collect_warning(lua_State *L, int idx, int index, sipcodes_warning_value *v)
{
    int r, has;

    memset(v, 0, sizeof *v);
    if ((r = sc_unknown_field(L, idx, index, SC_WARNING_FIELDS)) != SC_FMT_OK)
        return r;

    lua_getfield(L, idx, "code");
    if (lua_type(L, -1) != LUA_TNUMBER)
        return sc_field_error(L, index, "code", "number", -1);
    /* A number with no int value is no warn-code: the core words the
     * refusal, as for one out of range. */
    if (!sipcodes_int_of_number((double)lua_tonumber(L, -1), &v->code))
        v->code = -1;

    if ((r = sc_string_field(L, idx, index, "agent", &has, &v->agent)) != SC_FMT_OK)
        return r;
    if (!has)
        return sc_field_error(L, index, "agent", "string", -1);
    if ((r = sc_string_field(L, idx, index, "text", &has, &v->text)) != SC_FMT_OK)
        return r;
    if (!has)
        return sc_field_error(L, index, "text", "string", -1);
    return SC_FMT_OK;
}

/* Append the warning table at idx to out[0..*len). */
static int sc_format_warning_one(lua_State *L, int idx, int index, char *out, size_t *len)
{
    sipcodes_warning_value v;
    sipcodes_format_error err;
    int top = lua_gettop(L);
    int r = sc_collect_warning(L, idx, index, &v);

    if (r != SC_FMT_OK)
        return r;
    if (sipcodes_warning_append(out, len, &v, &err) != 0) {
        const char *msg = err.msg;
        if (err.field == SIPCODES_FIELD_TEXT)
            msg = lua_pushfstring(L, "text: %s at byte %d", err.msg, (int)err.pos + 1);
        /* The length is the header's, not one value's. */
        return sc_refused(L, err.field == SIPCODES_FIELD_HEADER ? 0 : index, msg);
    }
    lua_settop(L, top); /* the bytes are copied: the anchors may go */
    return SC_FMT_OK;
}

/***
 * Build a Warning header value: the inverse of `parse_warning`.
 * Takes one value `{ code =, agent =, text = }` or a list of them (joined
 * with ", ").  The code is written as three digits, the agent as it is,
 * the text as a quoted-string with `"` and `\` escaped.
 * `parse_warning(format_warning(x))` gives `x` back (as a list) for every
 * `x` this accepts.
 *
 * A wrong type (`code` not a number, `agent` or `text` not a string or
 * missing), an unknown field or a list with a hole raises.  These give
 * `nil, message`: a code that is not an integer from 0 to 999 (any three
 * digits are a warn-code to the grammar, registered or not), an agent that
 * is not a host, `host:port` or token (`[::1]:5060`, `192.0.2.1`,
 * `gw.example.com:5070`, `proxy-7`), CR, LF or another control character
 * but HTAB (or invalid UTF-8) in the text, an empty list, a result longer
 * than 8192 bytes (what `parse_warning` takes).
 * @function format_warning
 * @tab value one value, or a list of values
 * @treturn[1] string e.g. '399 [::1]:5060 "Try later"'
 * @treturn[2] nil
 * @treturn[2] string why
 * @usage sip.format_warning({ code = 399, agent = "[::1]:5060", text = "Try later" }) --> '399 [::1]:5060 "Try later"'
 */
static int l_format_warning(lua_State *L)
{
    char out[SIPCODES_MAX_LINE];
    size_t len;
    int r;

    if (!lua_istable(L, 1))
        return sc_typeerror(L, 1, "table");
    sc_checknargs(L, 1);
    r = sc_format_values(L, 1, "code", sc_format_warning_one,
                         "no warning values (need a value or a non-empty list)", out, &len);
    return sc_format_result(L, r, out, len);
}

/* ---- best response ------------------------------------------------------ */

/* The code at idx, an element (or its code field) of best_response's list;
 * raises like sc_checkcode, naming the element. */
static int sc_element_code(lua_State *L, int idx, int i, int field)
{
    int code = 0;

    switch (sc_tocode(L, idx, &code)) {
    case SIPCODES_NUMERAL_INT:
        return code;
    case SIPCODES_NOT_NUMERAL:
        return sc_argerror(L, 1, lua_pushfstring(
            L, field ? "[%d].code: integer expected, got %s"
                     : "[%d]: integer or table expected, got %s",
            i, luaL_typename(L, idx)));
    default:
        return sc_argerror(L, 1, lua_pushfstring(
            L, "[%d]%s: number has no integer representation", i, field ? ".code" : ""));
    }
}

/***
 * The response a forking proxy sends upstream when every branch has ended
 * (RFC 3261 §16.7 step 6).
 *
 * The rules, in order:
 *
 * - provisional codes and codes outside 100-699 are ignored;
 * - no final response at all: 408 (also §16.8: a branch whose timer C
 *   fired counts as 408, so leave it out or pass 408);
 * - a 2xx, if any (§16.7 step 5 forwards 2xx at once);
 * - else a 6xx, if any (step 6: MUST);
 * - else the lowest class (3xx, 4xx, 5xx);
 * - within 4xx, 401, 407, 415, 420 and 484 first (they let the client
 *   resubmit);
 * - within 5xx, 503 last (a 503 SHOULD NOT be forwarded; a transport error
 *   counts as one, §16.9); when only 503s are left, 500;
 * - otherwise the lowest code, and the first of equal codes.
 *
 * The list holds codes, or tables with a `code` field (e.g. your record of
 * each branch); then the chosen element comes back too, so a route can
 * relay that very reply.
 * @function best_response
 * @tab list of codes or of tables with a `code` field
 * @treturn int the code to send
 * @treturn[opt] table|int when the list held tables: the chosen element,
 *   or nil when the code was made up (408, 500)
 * @usage sip.best_response({503, 407, 501, 404}) --> 407
 */
static int l_best_response(lua_State *L)
{
    sipcodes_chooser c;
    size_t chosen;
    int n, i, code, tables = 0;

    if (!lua_istable(L, 1))
        return sc_typeerror(L, 1, "table");
    sc_checknargs(L, 1);
    n = sc_checklist(L, 1, "integer or table");
    sipcodes_chooser_init(&c);
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, i);
        if (lua_istable(L, -1)) {
            tables = 1;
            lua_getfield(L, -1, "code");
            code = sc_element_code(L, -1, i, 1);
            lua_pop(L, 2);
        } else {
            code = sc_element_code(L, -1, i, 0);
            lua_pop(L, 1);
        }
        sipcodes_chooser_add(&c, code, (size_t)i);
    }
    lua_pushinteger(L, sipcodes_chooser_result(&c, &chosen));
    if (!tables)
        return 1;
    if (chosen == SIPCODES_NONE)
        lua_pushnil(L);
    else
        lua_rawgeti(L, 1, (int)chosen);
    return 2;
}

/* ---- header fields per code --------------------------------------------- */

/***
 * The header fields a response with this code must or should carry, from
 * RFC 3261 §20-§22 and extension RFCs (RFC 4028, RFC 5360, RFC 6086).
 * Only MUST and SHOULD rules are listed, not MAY; rules that depend on the
 * method (Allow and Supported in a 2xx to INVITE) are not.
 * For 415 each of Accept, Accept-Encoding and Accept-Language is "should":
 * the RFC requires one of them, whichever fits the problem.
 * @function required_headers
 * @int code
 * @treturn[1] table list of `{ name = "Allow", level = "must",
 *   rfc = "RFC 3261 §21.4.6" }`, empty for a known code without rules
 * @treturn[2] nil for a code that is neither in the registry nor
 *   registered in this state
 * @usage sip.required_headers(405)[1].name --> "Allow"
 */
static int l_required_headers(lua_State *L)
{
    int code = sc_checkcode(L, 1);
    const sipcodes_header_rule *r;
    size_t n, i;

    sc_checknargs(L, 1);
    if (!sc_known(L, code)) {
        lua_pushnil(L);
        return 1;
    }
    r = sipcodes_required_headers(code, &n);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, r[i].name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, r[i].level);
        lua_setfield(L, -2, "level");
        lua_pushstring(L, r[i].rfc);
        lua_setfield(L, -2, "rfc");
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/*** @section end */

#define SC_PROTO_FUNCS(X) \
    X(best_response, SC_PUBLIC) X(format_reason, SC_PUBLIC) \
    X(format_retry_after, SC_PUBLIC) X(format_status_line, SC_PUBLIC) \
    X(format_warning, SC_PUBLIC) X(parse_reason, SC_PUBLIC) \
    X(parse_retry_after, SC_PUBLIC) X(parse_status_line, SC_PUBLIC) \
    X(parse_warning, SC_PUBLIC) X(required_headers, SC_PUBLIC) \
    X(warning_info, SC_PUBLIC) X(warning_text, SC_PUBLIC)

lua_CFunction sc_proto_find(const char *k, size_t len, unsigned *flags)
{
    SC_PROTO_FUNCS(SC_FIND)
    return NULL;
}
