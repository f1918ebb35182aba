/*
 * fuzz_reason_format.c - libFuzzer target for sipcodes_reason_append, the
 * Reason header formatter of csrc/sipcodes_proto.c, as the inverse of the
 * parser.  Every input is used twice:
 *
 * (a) as a header: parsed with sipcodes_reason_init/next; every value, its
 *     text and quoted parameter values unquoted into buffers of their own,
 *     is formatted again with sipcodes_reason_append.  A value the parser
 *     took may be refused only for the reasons listed at allowed_refusal();
 *     what is formatted is at most SIPCODES_MAX_LINE bytes, parses back to
 *     the same values (protocol, cause, text, location, the parameter set),
 *     and formatting what was parsed back gives the same bytes again
 *     (format -> parse -> format is a fixed point).
 *
 * (b) as the fields of a sipcodes_reason_value built by hand (layout at
 *     build_value()), appended to a buffer that already holds a header.
 *     The outcome must be what the documented rules give (reference(): the
 *     refused field, parameter and byte, or the length of the output); a
 *     refusal leaves *len as it was, and an output parses back to the same
 *     fields.
 *
 * Every string the formatter reads lives in a malloc block of its exact
 * size, the value itself is cut off after its last parameter (none at all
 * when nparams passes SIPCODES_REASON_MAX_PARAMS: params is then not to be
 * read), and the output buffer holds exactly SIPCODES_MAX_LINE bytes, so
 * ASan reports any read or write past a span.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipcodes_interop.h"
#include "sipcodes_proto.h"
#include "fuzz_support.h"

#define MAXP SIPCODES_REASON_MAX_PARAMS

/* The value v as a parse gave it, turned into what the formatter takes:
 * text and quoted parameter values unquoted. */
static void to_format_input(pool *pl, const sipcodes_reason_value *v, sipcodes_reason_value *w)
{
    size_t i;

    *w = *v;
    if (w->has_text)
        w->text = unquoted(pl, v->text);
    for (i = 0; i < v->nparams; i++)
        if (v->params[i].has_value && v->params[i].quoted)
            w->params[i].value = unquoted(pl, v->params[i].value);
}

/* ---- the documented rules, written out once more ------------------------- */

static size_t quoted_len(sipcodes_span s)
{
    size_t i, n = s.len + 2;

    for (i = 0; i < s.len; i++)
        n += s.ptr[i] == '"' || s.ptr[i] == '\\';
    return n;
}

static size_t digits(int n)
{
    size_t d = 1;

    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* Name a before name b: bytes compared, a prefix first. */
static int name_before(sipcodes_span a, sipcodes_span b)
{
    size_t m = a.len < b.len ? a.len : b.len;
    int c = m ? memcmp(a.ptr, b.ptr, m) : 0;

    return c < 0 || (c == 0 && a.len < b.len);
}

/* The parameters in the order they are written: sorted by name, stable. */
static void sort_params(const sipcodes_reason_value *v, size_t order[MAXP])
{
    size_t i, j;

    for (i = 0; i < v->nparams; i++) {
        for (j = i; j > 0 && name_before(v->params[i].name, v->params[order[j - 1]].name); j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
}

/* The bytes the value takes in the header, with the ", " before it when
 * sep (nparams at most MAXP). */
static size_t formatted_len(const sipcodes_reason_value *v, int sep)
{
    size_t n = (sep ? 2 : 0) + v->protocol.len, i;

    if (v->has_cause)
        n += 7 + digits(v->cause);
    if (v->has_text)
        n += 6 + quoted_len(v->text);
    if (v->has_location)
        n += 10 + v->location.len;
    for (i = 0; i < v->nparams; i++) {
        const sipcodes_param *p = &v->params[i];
        n += 1 + p->name.len;
        if (p->has_value)
            n += 1 + (sipcodes_is_bare_value(p->value.ptr, p->value.len) ? p->value.len
                                                                         : quoted_len(p->value));
    }
    return n;
}

typedef struct {
    int ok;          /* the value must be written */
    size_t len;      /* ... and the header is then this long */
    int field;       /* else: what is refused */
    size_t param;
    size_t pos;
    const char *msg; /* for TEXT and PARAM_VALUE: sipcodes_check_quotable's */
} outcome;

static int refuse(outcome *x, int field, size_t param, size_t pos, const char *msg)
{
    x->ok = 0;
    x->field = field;
    x->param = param;
    x->pos = pos;
    x->msg = msg;
    return 0;
}

/* What sipcodes_reason_append must do with v after len bytes, from the
 * rules of sipcodes_proto.h, checked in the documented order: protocol,
 * cause, text, location, the count, then the parameters in written order,
 * then the room left. */
static int reference(const sipcodes_reason_value *v, size_t len, outcome *x)
{
    sipcodes_error qe;
    size_t order[MAXP], i, j, nfixed, need;
    int q850;

    memset(x, 0, sizeof *x);
    if (!sipcodes_is_token(v->protocol.ptr, v->protocol.len))
        return refuse(x, SIPCODES_FIELD_PROTOCOL, 0, 0, NULL);
    q850 = sipcodes_reason_is_q850(v->protocol);
    if (v->has_cause && v->cause < 0)
        return refuse(x, SIPCODES_FIELD_CAUSE, 0, 0, NULL);
    if (v->has_text && sipcodes_check_quotable(v->text.ptr, v->text.len, &qe))
        return refuse(x, SIPCODES_FIELD_TEXT, 0, qe.pos, qe.msg);
    if (v->has_location &&
        (!q850 || !sipcodes_is_token(v->location.ptr, v->location.len) ||
         sipcodes_q850_location_value(v->location.ptr, v->location.len) < 0))
        return refuse(x, SIPCODES_FIELD_LOCATION, 0, 0, NULL);
    nfixed = (size_t)(!!v->has_cause + !!v->has_text + !!v->has_location);
    if (v->nparams + nfixed > MAXP)
        return refuse(x, SIPCODES_FIELD_VALUE, 0, 0, NULL);
    sort_params(v, order);
    for (i = 0; i < v->nparams; i++) {
        const sipcodes_param *p = &v->params[order[i]];
        if (!sipcodes_is_token(p->name.ptr, p->name.len) ||
            sipcodes_caseeq(p->name.ptr, p->name.len, "cause") ||
            sipcodes_caseeq(p->name.ptr, p->name.len, "text") ||
            (q850 && sipcodes_caseeq(p->name.ptr, p->name.len, "location")))
            return refuse(x, SIPCODES_FIELD_PARAM_NAME, order[i], 0, NULL);
        for (j = 0; j < i; j++)
            if (span_caseeq(v->params[order[j]].name, p->name))
                return refuse(x, SIPCODES_FIELD_PARAM_NAME, order[i], 0, NULL);
        if (p->has_value && !sipcodes_is_bare_value(p->value.ptr, p->value.len) &&
            sipcodes_check_quotable(p->value.ptr, p->value.len, &qe))
            return refuse(x, SIPCODES_FIELD_PARAM_VALUE, order[i], qe.pos, qe.msg);
    }
    need = formatted_len(v, len > 0);
    if (need > SIPCODES_MAX_LINE - len)
        return refuse(x, SIPCODES_FIELD_HEADER, 0, 0, NULL);
    x->ok = 1;
    x->len = len + need;
    return 1;
}

/* Append v to out[0..*len) and check the outcome against the reference.
 * Returns 1 when the value was written. */
static int append_checked(char *out, size_t *len, const sipcodes_reason_value *v, outcome *x)
{
    sipcodes_format_error err;
    size_t before = *len;
    int r;

    reference(v, *len, x);
    err.msg = NULL;
    err.field = -1;
    err.param = (size_t)-1;
    err.pos = (size_t)-1;
    r = sipcodes_reason_append(out, len, v, &err);
    REQUIRE(r == 0 || r == -1);
    REQUIRE((r == 0) == x->ok);
    if (r == 0) {
        REQUIRE(*len == x->len && *len <= SIPCODES_MAX_LINE);
        return 1;
    }
    REQUIRE(*len == before);
    REQUIRE(err.msg != NULL && err.msg[0] != '\0');
    REQUIRE(err.field == x->field);
    switch (err.field) {
    case SIPCODES_FIELD_TEXT:
        REQUIRE(err.pos == x->pos && err.pos < v->text.len && strcmp(err.msg, x->msg) == 0);
        break;
    case SIPCODES_FIELD_PARAM_VALUE:
        REQUIRE(err.param == x->param && err.param < v->nparams);
        REQUIRE(err.pos == x->pos && err.pos < v->params[err.param].value.len);
        REQUIRE(strcmp(err.msg, x->msg) == 0);
        break;
    case SIPCODES_FIELD_PARAM_NAME:
        REQUIRE(err.param == x->param && err.param < v->nparams);
        break;
    default:
        REQUIRE(err.field >= SIPCODES_FIELD_VALUE && err.field <= SIPCODES_FIELD_HEADER);
        break;
    }
    return 0;
}

/* ---- parsing back --------------------------------------------------------- */

/* The value got, as the parser gave it back, is the value want that was
 * formatted (want as the formatter took it: text and values unquoted). */
static void check_same(pool *pl, const sipcodes_reason_value *want, const sipcodes_reason_value *got)
{
    size_t i, j;

    REQUIRE(span_eq(got->protocol, want->protocol));
    REQUIRE(!!got->has_cause == !!want->has_cause);
    if (want->has_cause)
        REQUIRE(got->cause == want->cause);
    REQUIRE(!!got->has_text == !!want->has_text);
    if (want->has_text)
        REQUIRE(span_eq(unquoted(pl, got->text), want->text));
    REQUIRE(!!got->has_location == !!want->has_location);
    if (want->has_location) {
        REQUIRE(span_eq(got->location, want->location));
        REQUIRE(got->location_value ==
                sipcodes_q850_location_value(want->location.ptr, want->location.len));
    }
    REQUIRE(got->nparams == want->nparams);
    for (i = 0; i < got->nparams; i++) {
        const sipcodes_param *g = &got->params[i], *w = NULL;
        /* Written sorted by name. */
        if (i > 0)
            REQUIRE(name_before(got->params[i - 1].name, g->name));
        for (j = 0; j < want->nparams; j++)
            if (span_caseeq(want->params[j].name, g->name)) {
                REQUIRE(w == NULL); /* names are unique without regard to case */
                w = &want->params[j];
            }
        REQUIRE(w != NULL);
        REQUIRE(span_eq(g->name, w->name)); /* written as given */
        REQUIRE(!!g->has_value == !!w->has_value);
        if (w->has_value) {
            /* A token or an IPv6 reference stays bare, any other is quoted. */
            int bare = sipcodes_is_bare_value(w->value.ptr, w->value.len);
            REQUIRE(g->quoted == !bare);
            REQUIRE(span_eq(g->quoted ? unquoted(pl, g->value) : g->value, w->value));
        }
    }
}

/* ---- (a): parse, format, parse, format ----------------------------------- */

#define MAXV (SIPCODES_MAX_LINE / 2 + 2)

static sipcodes_reason_value g_parsed[MAXV]; /* formatter's input, unquoted */
static unsigned char g_written[MAXV];

/* Why a value the parser took may still be refused by the formatter.  Both
 * are documented refusals of sipcodes_reason_append:
 *
 * - TEXT or PARAM_VALUE, "control character in quoted text": a
 *   quoted-pair may carry any byte but CR and LF (RFC 3261 §25.1), so
 *   "\<NUL>" or "\<DEL>" parse, but the formatter refuses every control
 *   but HTAB in quoted text.  Folding does not get here: unquoting turns
 *   it into one SP (unquoted() checks that no CR or LF is left).
 * - HEADER: the header would pass SIPCODES_MAX_LINE.  The formatter writes
 *   ", " between values where the input may have had a bare ",", so an
 *   input near the limit can grow past it.
 *
 * Anything else (a protocol, name, location or count the parser took but
 * the formatter refuses, invalid UTF-8, a CR or LF) is a bug. */
static int allowed_refusal(const sipcodes_reason_value *parsed, const outcome *x)
{
    switch (x->field) {
    case SIPCODES_FIELD_TEXT:
        return strcmp(x->msg, "control character in quoted text") == 0;
    case SIPCODES_FIELD_PARAM_VALUE:
        return parsed->params[x->param].quoted &&
               strcmp(x->msg, "control character in quoted text") == 0;
    case SIPCODES_FIELD_HEADER:
        return 1;
    default:
        return 0;
    }
}

static void round_trip(pool *pl, const char *s, size_t size)
{
    sipcodes_reason_iter it;
    sipcodes_reason_value v;
    sipcodes_error err;
    char *out, *again;
    sipcodes_span copy;
    size_t nv = 0, nwritten = 0, len = 0, len2 = 0, i;
    int r;

    if (sipcodes_reason_init(&it, s, size, &err) != 0)
        return;
    while ((r = sipcodes_reason_next(&it, &v, &err)) == 1) {
        REQUIRE(nv < MAXV);
        /* The quoted flags stay: allowed_refusal() reads them. */
        to_format_input(pl, &v, &g_parsed[nv++]);
    }
    if (nv == 0)
        return;

    out = pool_keep(pl, malloc(SIPCODES_MAX_LINE));
    for (i = 0; i < nv; i++) {
        outcome x;
        g_written[i] = (unsigned char)append_checked(out, &len, &g_parsed[i], &x);
        if (!g_written[i])
            REQUIRE(allowed_refusal(&g_parsed[i], &x));
        nwritten += g_written[i];
    }
    if (nwritten == 0)
        return;
    REQUIRE(len <= SIPCODES_MAX_LINE);

    /* Parse back: the values written, in order, then the end; and each
     * one formatted again gives the same bytes. */
    again = pool_keep(pl, malloc(SIPCODES_MAX_LINE));
    copy = exact_copy(pl, out, len);
    REQUIRE(sipcodes_reason_init(&it, copy.ptr, copy.len, &err) == 0);
    REQUIRE(it.pos == 0);
    for (i = 0; i < nv; i++) {
        sipcodes_reason_value w;
        outcome x;
        if (!g_written[i])
            continue;
        REQUIRE(sipcodes_reason_next(&it, &v, &err) == 1);
        check_same(pl, &g_parsed[i], &v);
        to_format_input(pl, &v, &w);
        REQUIRE(append_checked(again, &len2, &w, &x));
    }
    REQUIRE(sipcodes_reason_next(&it, &v, &err) == 0);
    REQUIRE(len2 == len && memcmp(again, out, len) == 0);
}

/* ---- (b): a value made from the bytes ------------------------------------- */

/* Layout of the input for (b):
 *
 *   byte 0     flags: 1 has_cause, 2 has_text, 4 has_location, 8 cause as
 *              a signed int (else its low 31 bits), 0x70 the header before
 *              (0 none, 1 'SIP;cause=200;text="OK"', 2 "Q.850;cause=16",
 *              3 a run of 'P' bytes 1-2 long (mod 8193), 4-7 a run of
 *              8192 - (bytes 1-2 mod 80)), 0x80 nparams from byte 7
 *   bytes 1-2  the length of the run (little endian)
 *   bytes 3-6  the cause (little endian)
 *   byte 7     nparams when flag 0x80 is set (up to 255)
 *   then fields split at 0xFF: protocol, text, location, the flags of the
 *   parameters (byte i for parameter i: 1 no value, 2 the quoted flag,
 *   which the formatter ignores), then name and value of up to 18
 *   parameters.  Without flag 0x80, nparams is the number of names given
 *   (17 or 18: more than the value holds).
 *
 * Missing bytes read as 0, missing fields as empty. */
#define NFIELDS (4 + 2 * (MAXP + 2))

static sipcodes_reason_value *build_value(pool *pl, const uint8_t *data, size_t size,
                                          char *out, size_t *plen, size_t *pvalues)
{
    uint8_t head[8] = {0};
    sipcodes_span f[NFIELDS];
    size_t nf = 0, p, start, nparams, npairs, i, bytes;
    unsigned kind;
    uint32_t c;
    sipcodes_reason_value *v;

    memcpy(head, data, size < 8 ? size : 8);
    memset(f, 0, sizeof f);
    for (p = start = 8; p <= size && size > 8 && nf < NFIELDS; p++) {
        if (p == size || data[p] == 0xFF) {
            f[nf++] = exact_copy(pl, (const char *)data + start, p - start);
            start = p + 1;
        }
    }
    for (i = nf; i < NFIELDS; i++)
        f[i] = exact_copy(pl, "", 0);
    npairs = nf > 4 ? (nf - 4 + 1) / 2 : 0;
    nparams = (head[0] & 0x80) ? head[7] : npairs;

    /* Cut off after the last parameter; a count past what params holds
     * means that params is not to be read at all. */
    bytes = offsetof(sipcodes_reason_value, params) +
            (nparams <= MAXP ? nparams : 0) * sizeof(sipcodes_param);
    v = pool_keep(pl, malloc(bytes));
    memset(v, 0, bytes);
    v->protocol = f[0];
    v->has_cause = head[0] & 1;
    c = (uint32_t)head[3] | (uint32_t)head[4] << 8 | (uint32_t)head[5] << 16 |
        (uint32_t)head[6] << 24;
    v->cause = (head[0] & 8) ? (int)(int32_t)c : (int)(c & 0x7FFFFFFFu);
    v->has_text = (head[0] >> 1) & 1;
    v->text = f[1];
    v->has_location = (head[0] >> 2) & 1;
    v->location = f[2];
    v->location_value = -7; /* ignored */
    v->nparams = nparams;
    for (i = 0; i < nparams && i < MAXP && nparams <= MAXP; i++) {
        uint8_t pf = i < f[3].len ? (uint8_t)f[3].ptr[i] : 0;
        v->params[i].name = f[4 + 2 * i];
        v->params[i].value = f[5 + 2 * i];
        v->params[i].has_value = !(pf & 1);
        v->params[i].quoted = (pf >> 1) & 1;
    }

    kind = (head[0] >> 4) & 7;
    *plen = 0;
    *pvalues = 0;
    if (kind == 1) {
        *plen = strlen("SIP;cause=200;text=\"OK\"");
        memcpy(out, "SIP;cause=200;text=\"OK\"", *plen);
    } else if (kind == 2) {
        *plen = strlen("Q.850;cause=16");
        memcpy(out, "Q.850;cause=16", *plen);
    } else if (kind >= 3) {
        size_t run = (size_t)head[1] | (size_t)head[2] << 8;
        *plen = kind == 3 ? run % (SIPCODES_MAX_LINE + 1) : SIPCODES_MAX_LINE - run % 80;
        memset(out, 'P', *plen);
    }
    *pvalues = *plen > 0;
    return v;
}

static void direct(pool *pl, const uint8_t *data, size_t size)
{
    char *out = pool_keep(pl, malloc(SIPCODES_MAX_LINE));
    char *before = pool_keep(pl, malloc(SIPCODES_MAX_LINE));
    size_t len, start, prefix_values, i;
    sipcodes_reason_value *v = build_value(pl, data, size, out, &len, &prefix_values);
    sipcodes_reason_iter it;
    sipcodes_reason_value got;
    sipcodes_error err;
    sipcodes_span copy;
    outcome x;

    start = len;
    memcpy(before, out, len);
    if (!append_checked(out, &len, v, &x)) {
        REQUIRE(memcmp(out, before, start) == 0);
        return;
    }
    REQUIRE(memcmp(out, before, start) == 0);
    REQUIRE(len > start);
    if (start > 0)
        REQUIRE(len >= start + 2 && memcmp(out + start, ", ", 2) == 0);

    copy = exact_copy(pl, out, len);
    REQUIRE(sipcodes_reason_init(&it, copy.ptr, copy.len, &err) == 0);
    REQUIRE(it.pos == 0);
    for (i = 0; i < prefix_values; i++)
        REQUIRE(sipcodes_reason_next(&it, &got, &err) == 1);
    REQUIRE(sipcodes_reason_next(&it, &got, &err) == 1);
    check_same(pl, v, &got);
    REQUIRE(sipcodes_reason_next(&it, &got, &err) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pool pl = {NULL, 0, 0};

    round_trip(&pl, (const char *)data, size);
    direct(&pl, data, size);
    pool_free(&pl);
    return 0;
}
