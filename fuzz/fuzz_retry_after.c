/*
 * fuzz_retry_after.c - libFuzzer target for the Retry-After code of
 * csrc/sipcodes_proto.c: sipcodes_parse_retry_after and its inverse,
 * sipcodes_format_retry_after.  Every input is used twice:
 *
 * (a) as a header: parsed; spans must lie inside the input, the numbers be
 *     0..SIPCODES_DELTA_SECONDS_MAX, the comment balanced.  What parsed is
 *     formatted (comment and quoted values unquoted into blocks of their
 *     own); it may be refused only for the reasons at allowed_refusal().
 *     What is formatted parses back to the same seconds, comment, duration
 *     and parameters (as a set: the formatter sorts them), and formatting
 *     that again gives the same bytes (format -> parse -> format is a
 *     fixed point).
 *
 * (b) as the fields of a sipcodes_retry_after built by hand (layout at
 *     build_value()).  The outcome must be what the documented rules give
 *     (reference(): the refused field, parameter and byte, or the length
 *     of the output), and an output parses back to the same fields.
 *
 * Every string the formatter reads lives in a malloc block of its exact
 * size and the value is cut off after its last parameter, so ASan reports
 * any read past a span.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipcodes_proto.h"
#include "fuzz_support.h"

#define MAXP SIPCODES_RETRY_AFTER_MAX_PARAMS
#define MAXLEN SIPCODES_MAX_LINE

/* The value as a parse gave it, turned into what the formatter takes. */
static void to_format_input(pool *pl, const sipcodes_retry_after *v, sipcodes_retry_after *w)
{
    size_t i;

    *w = *v;
    if (w->has_comment)
        w->comment = unquoted(pl, v->comment);
    for (i = 0; i < v->nparams; i++)
        if (v->params[i].has_value && v->params[i].quoted)
            w->params[i].value = unquoted(pl, v->params[i].value);
}

/* ---- the documented rules, written out once more ------------------------- */

static size_t digits(int n)
{
    size_t d = 1;

    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static size_t quoted_len(sipcodes_span s)
{
    size_t i, n = s.len + 2;

    for (i = 0; i < s.len; i++)
        n += s.ptr[i] == '"' || s.ptr[i] == '\\';
    return n;
}

/* Parentheses that balance and nest at most 7 deep stay bare. */
static int parens_bare(sipcodes_span c)
{
    size_t i;
    int depth = 0, most = 0;

    for (i = 0; i < c.len; i++) {
        if (c.ptr[i] == '(' && ++depth > most)
            most = depth;
        if (c.ptr[i] == ')' && --depth < 0)
            return 0;
    }
    return depth == 0 && most <= SIPCODES_COMMENT_MAX_DEPTH - 1;
}

/* The bytes " (comment)" takes. */
static size_t comment_len(sipcodes_span c)
{
    int bare = parens_bare(c);
    size_t i, n = c.len + 3;

    for (i = 0; i < c.len; i++)
        n += c.ptr[i] == '\\' || (!bare && (c.ptr[i] == '(' || c.ptr[i] == ')'));
    return n;
}

static int name_before(sipcodes_span a, sipcodes_span b)
{
    size_t m = a.len < b.len ? a.len : b.len;
    int c = m ? memcmp(a.ptr, b.ptr, m) : 0;

    return c < 0 || (c == 0 && a.len < b.len);
}

static void sort_params(const sipcodes_retry_after *v, size_t order[MAXP])
{
    size_t i, j;

    for (i = 0; i < v->nparams; i++) {
        for (j = i; j > 0 && name_before(v->params[i].name, v->params[order[j - 1]].name); j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
}

/* What a comment cannot carry, as the header describes it. */
static const bad_byte_msgs comment_msgs = {
    "CR or LF in comment", "control character in comment", "invalid UTF-8 in comment"
};

typedef struct {
    int ok;
    size_t len;      /* the output's length when ok */
    int field;       /* else what is refused */
    size_t param;
    size_t pos;
    const char *msg; /* for COMMENT and PARAM_VALUE */
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

/* What sipcodes_format_retry_after must do with v, in the documented
 * order: seconds, comment, duration, the count, the parameters in written
 * order, then the room. */
static int reference(const sipcodes_retry_after *v, outcome *x)
{
    sipcodes_error qe;
    size_t order[MAXP], i, j, need;
    const char *msg;

    memset(x, 0, sizeof *x);
    if (v->seconds < 0)
        return refuse(x, SIPCODES_FIELD_SECONDS, 0, 0, NULL);
    if (v->has_comment && v->comment.len > MAXLEN)
        return refuse(x, SIPCODES_FIELD_HEADER, 0, 0, NULL);
    if (v->has_comment && text_bad_byte(v->comment, &comment_msgs, &i, &msg))
        return refuse(x, SIPCODES_FIELD_COMMENT, 0, i, msg);
    if (v->has_duration && v->duration < 0)
        return refuse(x, SIPCODES_FIELD_DURATION, 0, 0, NULL);
    if (v->nparams + (v->has_duration ? 1 : 0) > MAXP)
        return refuse(x, SIPCODES_FIELD_VALUE, 0, 0, NULL);
    sort_params(v, order);
    for (i = 0; i < v->nparams; i++) {
        const sipcodes_param *p = &v->params[order[i]];
        if (!sipcodes_is_token(p->name.ptr, p->name.len) ||
            sipcodes_caseeq(p->name.ptr, p->name.len, "duration"))
            return refuse(x, SIPCODES_FIELD_PARAM_NAME, order[i], 0, NULL);
        for (j = 0; j < i; j++)
            if (span_caseeq(v->params[order[j]].name, p->name))
                return refuse(x, SIPCODES_FIELD_PARAM_NAME, order[i], 0, NULL);
        if (p->has_value && p->value.len > MAXLEN)
            return refuse(x, SIPCODES_FIELD_HEADER, 0, 0, NULL);
        if (p->has_value && !sipcodes_is_bare_value(p->value.ptr, p->value.len) &&
            sipcodes_check_quotable(p->value.ptr, p->value.len, &qe))
            return refuse(x, SIPCODES_FIELD_PARAM_VALUE, order[i], qe.pos, qe.msg);
    }
    need = digits(v->seconds);
    if (v->has_comment)
        need += comment_len(v->comment);
    if (v->has_duration)
        need += 10 + digits(v->duration);
    for (i = 0; i < v->nparams; i++) {
        const sipcodes_param *p = &v->params[i];
        need += 1 + p->name.len;
        if (p->has_value)
            need += 1 + (sipcodes_is_bare_value(p->value.ptr, p->value.len) ? p->value.len
                                                                         : quoted_len(p->value));
    }
    if (need > MAXLEN)
        return refuse(x, SIPCODES_FIELD_HEADER, 0, 0, NULL);
    x->ok = 1;
    x->len = need;
    return 1;
}

/* Format v into out (MAXLEN bytes) and check the outcome against the
 * reference; the length, or 0 when refused. */
static size_t format_checked(const sipcodes_retry_after *v, char *out, outcome *x)
{
    sipcodes_format_error err;
    size_t n;

    reference(v, x);
    err.msg = NULL;
    err.field = -1;
    err.param = (size_t)-1;
    err.pos = (size_t)-1;
    n = sipcodes_format_retry_after(v, out, MAXLEN, &err);
    REQUIRE((n != 0) == x->ok);
    if (n) {
        REQUIRE(n == x->len && n <= MAXLEN);
        return n;
    }
    REQUIRE(err.msg != NULL && err.msg[0] != '\0');
    REQUIRE(err.field == x->field);
    switch (err.field) {
    case SIPCODES_FIELD_COMMENT:
        REQUIRE(err.pos == x->pos && err.pos < v->comment.len && strcmp(err.msg, x->msg) == 0);
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
        break;
    }
    return 0;
}

/* ---- parsing back --------------------------------------------------------- */

/* got, as the parser gave it back, is want as the formatter took it. */
static void check_same(pool *pl, const sipcodes_retry_after *want, const sipcodes_retry_after *got)
{
    size_t i, j;

    REQUIRE(got->seconds == want->seconds);
    REQUIRE(!!got->has_comment == !!want->has_comment);
    if (want->has_comment)
        REQUIRE(span_eq(unquoted(pl, got->comment), want->comment));
    REQUIRE(!!got->has_duration == !!want->has_duration);
    if (want->has_duration)
        REQUIRE(got->duration == want->duration);
    REQUIRE(got->nparams == want->nparams);
    for (i = 0; i < want->nparams; i++) {
        const sipcodes_param *w = &want->params[i];
        for (j = 0; j < got->nparams && !span_eq(got->params[j].name, w->name); j++)
            ;
        REQUIRE(j < got->nparams);
        REQUIRE(!!got->params[j].has_value == !!w->has_value);
        if (w->has_value) {
            sipcodes_span back = got->params[j].quoted ? unquoted(pl, got->params[j].value)
                                                       : got->params[j].value;
            REQUIRE(span_eq(back, w->value));
        }
    }
}

/* out[0..n) parses to v (as formatted), and formatting that gives the same
 * bytes. */
static void round_trip(pool *pl, const sipcodes_retry_after *v, const char *out, size_t n)
{
    sipcodes_retry_after got, again;
    sipcodes_error err;
    sipcodes_span copy = exact_copy(pl, out, n);
    static char out2[MAXLEN];
    outcome x;

    REQUIRE(sipcodes_parse_retry_after(copy.ptr, copy.len, &got, &err) == 0);
    check_same(pl, v, &got);
    to_format_input(pl, &got, &again);
    REQUIRE(format_checked(&again, out2, &x) == n);
    REQUIRE(memcmp(out2, out, n) == 0);
}

/* ---- (a) the input as a header -------------------------------------------- */

/* What a value the parser took may still be refused for: a control
 * character that came in through a quoted-pair, and a value that grew past
 * the limit (a space before the comment, parentheses escaped because
 * escaped ones no longer balance), which needs an input near it. */
static int allowed_refusal(const outcome *x, size_t size)
{
    if (x->field == SIPCODES_FIELD_COMMENT || x->field == SIPCODES_FIELD_PARAM_VALUE)
        return strstr(x->msg, "control character") != NULL;
    return x->field == SIPCODES_FIELD_HEADER && size > MAXLEN / 2;
}

static void as_header(const char *s, size_t size)
{
    pool pl = {NULL, 0, 0};
    sipcodes_retry_after v, w;
    sipcodes_error err;
    static char out[MAXLEN];
    outcome x;
    size_t i, n;

    err.msg = NULL;
    if (sipcodes_parse_retry_after(s, size, &v, &err) != 0) {
        REQUIRE(err.msg != NULL && err.pos <= size);
        return;
    }
    REQUIRE(size <= MAXLEN);
    REQUIRE(v.seconds >= 0 && v.seconds <= SIPCODES_DELTA_SECONDS_MAX);
    REQUIRE(!v.has_duration || (v.duration >= 0 && v.duration <= SIPCODES_DELTA_SECONDS_MAX));
    if (v.has_comment) {
        REQUIRE(span_inside(v.comment, s, size));
        REQUIRE(v.comment.ptr > s && v.comment.ptr[-1] == '(' &&
                v.comment.ptr[v.comment.len] == ')');
    }
    REQUIRE(v.nparams + (v.has_duration ? 1 : 0) <= MAXP);
    for (i = 0; i < v.nparams; i++) {
        REQUIRE(span_inside(v.params[i].name, s, size));
        REQUIRE(sipcodes_is_token(v.params[i].name.ptr, v.params[i].name.len));
        REQUIRE(!sipcodes_caseeq(v.params[i].name.ptr, v.params[i].name.len, "duration"));
        if (v.params[i].has_value)
            REQUIRE(span_inside(v.params[i].value, s, size));
    }
    to_format_input(&pl, &v, &w);
    n = format_checked(&w, out, &x);
    if (n == 0)
        REQUIRE(allowed_refusal(&x, size));
    else
        round_trip(&pl, &w, out, n);
    pool_free(&pl);
}

/* ---- (b) the input as fields ----------------------------------------------- */

/* Layout: byte 0: bit 0 a comment, bit 1 a duration, bit 2 negative
 * seconds, bit 3 a negative duration, bits 4-7 the number of parameters
 * (up to 15; 15 stands for 17, one too many); bytes 1-4 the seconds, 5-8
 * the duration (big-endian, the sign bit cleared unless asked for); then
 * pieces separated by 0xFE (a byte no UTF-8 text holds): the comment if
 * any, then for each parameter its name and its value, a value that starts
 * with 0xFD standing for none. */
static void as_fields(const uint8_t *data, size_t size)
{
    pool pl = {NULL, 0, 0};
    static char out[MAXLEN];
    sipcodes_retry_after *v;
    size_t pos = 9, np, i;
    uint32_t sec, dur;
    outcome x;
    size_t n;

    if (size < 9)
        return;
    np = data[0] >> 4;
    if (np == 15)
        np = MAXP + 1;
    sec = (uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 | (uint32_t)data[3] << 8 | data[4];
    dur = (uint32_t)data[5] << 24 | (uint32_t)data[6] << 16 | (uint32_t)data[7] << 8 | data[8];
    /* The value is cut off after its last parameter (ASan sees a read of
     * one more); none at all past the limit, where params is not read. */
    {
        size_t keep = np > MAXP ? 0 : np;
        size_t bytes = offsetof(sipcodes_retry_after, params) + keep * sizeof(sipcodes_param);
        v = pool_keep(&pl, calloc(1, bytes));
    }
    v->seconds = (int)(sec & 0x7FFFFFFFu);
    if (data[0] & 4)
        v->seconds = -1 - (int)(sec & 0xFFFFu);
    v->has_duration = (data[0] & 2) != 0;
    v->duration = (int)(dur & 0x7FFFFFFFu);
    if (data[0] & 8)
        v->duration = -1 - (int)(dur & 0xFFFFu);

#define NEXT_PIECE(span)                                                   \
    do {                                                                   \
        size_t start_ = pos;                                               \
        while (pos < size && data[pos] != 0xFE)                            \
            pos++;                                                         \
        (span) = exact_copy(&pl, (const char *)data + start_, pos - start_); \
        if (pos < size)                                                    \
            pos++;                                                         \
    } while (0)

    if (data[0] & 1) {
        v->has_comment = 1;
        NEXT_PIECE(v->comment);
    }
    v->nparams = np;
    for (i = 0; i < np && np <= MAXP; i++) {
        sipcodes_param *p = &v->params[i];
        NEXT_PIECE(p->name);
        if (pos < size && data[pos] == 0xFD) {
            pos++;
            p->has_value = 0;
            while (pos < size && data[pos] != 0xFE)
                pos++;
            if (pos < size)
                pos++;
        } else {
            p->has_value = 1;
            NEXT_PIECE(p->value);
        }
    }
#undef NEXT_PIECE

    n = format_checked(v, out, &x);
    if (n)
        round_trip(&pl, v, out, n);
    pool_free(&pl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_header((const char *)data, size);
    as_fields(data, size);
    return 0;
}
