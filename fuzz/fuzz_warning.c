/*
 * fuzz_warning.c - libFuzzer target for the Warning code of
 * csrc/sipcodes_proto.c: sipcodes_warning_init/_next and their inverse,
 * sipcodes_warning_append.  Every input is used twice:
 *
 * (a) as a header: parsed; spans must lie inside the input, codes be
 *     0..999, each agent pass sipcodes_is_warn_agent and the reference
 *     below, each text sit between two quotes.  What parsed is formatted
 *     (texts unquoted into blocks of their own); it may be refused only for
 *     the reasons at allowed_refusal().  What is formatted parses back to
 *     the same values (parse(format(parse(x))) == parse(x)), and
 *     formatting that again gives the same bytes (a fixed point).
 *
 * (b) as the fields of up to four values built by hand (layout at
 *     as_fields()).  The outcome must be what the documented rules give
 *     (reference(): the refused field, value and byte, or the length of
 *     the output), and an output parses back to the same values.
 *
 * The agent and text rules are written out once more here, without the
 * library's tables, so that the two definitions check each other.  Every
 * string the formatter reads lives in a malloc block of its exact size, so
 * ASan reports any read past a span.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipcodes_proto.h"
#include "fuzz_support.h"

#define MAXLEN SIPCODES_MAX_LINE
#define MAXV 4    /* values built by hand */
#define MAXP 1200 /* values one header can hold: each takes 8 bytes or more */

/* ---- the documented rules, written out once more ------------------------- */

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int is_token_byte(unsigned char c)
{
    return is_digit(c) || is_alpha(c) || (c != 0 && strchr("-.!%*_+`'~", c) != NULL);
}

/* hostname: labels of letters, digits and inner hyphens, split by single
 * dots, one final dot allowed, the last label starting with a letter. */
static int ref_hostname(const unsigned char *s, size_t n)
{
    size_t i, label = 0;
    unsigned char first = 0, prev = 0;

    if (n > 0 && s[n - 1] == '.')
        n--;
    if (n == 0)
        return 0;
    for (i = 0; i <= n; i++) {
        unsigned char c = i < n ? s[i] : '.';
        if (c == '.') {
            if (label == 0 || first == '-' || prev == '-')
                return 0;
            if (i == n)
                return is_alpha(first);
            label = 0;
            continue;
        }
        if (!is_digit(c) && !is_alpha(c) && c != '-')
            return 0;
        if (label++ == 0)
            first = c;
        prev = c;
    }
    return 0;
}

/* IPv4address: four runs of one to three digits, three dots. */
static int ref_ipv4(const unsigned char *s, size_t n)
{
    size_t i, run = 0, dots = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (run == 0 || ++dots > 3)
                return 0;
            run = 0;
        } else if (is_digit(s[i]) && run < 3) {
            run++;
        } else {
            return 0;
        }
    }
    return dots == 3 && run > 0;
}

/* hostport / pseudonym: "[" 1-45 of hex, ':' and '.' with a ':' "]", or a
 * token; then optionally ':' and digits, with a host before them. */
static int ref_agent(const unsigned char *s, size_t n)
{
    size_t i, host_end;

    if (n == 0)
        return 0;
    if (s[0] == '[') {
        int colon = 0;
        for (i = 1; i < n && s[i] != ']'; i++) {
            if (!(is_digit(s[i]) || ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f') ||
                  s[i] == ':' || s[i] == '.'))
                return 0;
            colon |= s[i] == ':';
        }
        if (i == n || i == 1 || i - 1 > 45 || !colon)
            return 0;
        host_end = i + 1;
    } else {
        for (host_end = 0; host_end < n && s[host_end] != ':'; host_end++)
            if (!is_token_byte(s[host_end]))
                return 0;
        if (host_end == 0)
            return 0;
        if (host_end < n && !ref_hostname(s, host_end) && !ref_ipv4(s, host_end))
            return 0;
    }
    if (host_end == n)
        return 1;
    if (s[host_end] != ':' || host_end + 1 == n)
        return 0;
    for (i = host_end + 1; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

/* What a quoted text cannot carry, as the header describes it. */
static const bad_byte_msgs quoted_text_msgs = {
    "CR or LF in quoted text", "control character in quoted text", "invalid UTF-8 in quoted text"
};

static size_t quoted_len(sipcodes_span s)
{
    size_t i, n = s.len + 2;

    for (i = 0; i < s.len; i++)
        n += s.ptr[i] == '"' || s.ptr[i] == '\\';
    return n;
}

typedef struct {
    int ok;
    size_t len;      /* the output's length when ok */
    size_t value;    /* else the value refused */
    int field;       /* and what in it */
    size_t pos;      /* for TEXT */
    const char *msg; /* for TEXT */
} outcome;

static int refuse(outcome *x, size_t value, int field, size_t pos, const char *msg)
{
    x->ok = 0;
    x->value = value;
    x->field = field;
    x->pos = pos;
    x->msg = msg;
    return 0;
}

/* What appending v[0..n) one after the other must do, in the documented
 * order per value: code, the lengths, agent, text, then the room. */
static int reference(const sipcodes_warning_value *v, size_t n, outcome *x)
{
    size_t i, len = 0, pos;
    const char *msg;

    memset(x, 0, sizeof *x);
    for (i = 0; i < n; i++) {
        size_t need;
        if (v[i].code < 0 || v[i].code > 999)
            return refuse(x, i, SIPCODES_FIELD_WARN_CODE, 0, NULL);
        if (v[i].agent.len > MAXLEN || v[i].text.len > MAXLEN)
            return refuse(x, i, SIPCODES_FIELD_HEADER, 0, NULL);
        if (!ref_agent((const unsigned char *)v[i].agent.ptr, v[i].agent.len))
            return refuse(x, i, SIPCODES_FIELD_AGENT, 0, NULL);
        if (text_bad_byte(v[i].text, &quoted_text_msgs, &pos, &msg))
            return refuse(x, i, SIPCODES_FIELD_TEXT, pos, msg);
        need = (len > 0 ? 2 : 0) + 5 + v[i].agent.len + quoted_len(v[i].text);
        if (need > MAXLEN - len)
            return refuse(x, i, SIPCODES_FIELD_HEADER, 0, NULL);
        len += need;
    }
    x->ok = 1;
    x->len = len;
    return 1;
}

/* Format v[0..n) into out (MAXLEN bytes) and check the outcome against the
 * reference; the length, or 0 when refused. */
static size_t format_checked(const sipcodes_warning_value *v, size_t n, char *out, outcome *x)
{
    sipcodes_format_error err;
    size_t i, len = 0;

    reference(v, n, x);
    for (i = 0; i < n; i++) {
        size_t before = len;
        err.msg = NULL;
        err.field = -1;
        err.pos = (size_t)-1;
        if (sipcodes_warning_append(out, &len, &v[i], &err) != 0) {
            REQUIRE(!x->ok && x->value == i);
            REQUIRE(len == before);
            REQUIRE(err.msg != NULL && err.msg[0] != '\0');
            REQUIRE(err.field == x->field);
            if (err.field == SIPCODES_FIELD_TEXT)
                REQUIRE(err.pos == x->pos && err.pos < v[i].text.len &&
                        strcmp(err.msg, x->msg) == 0);
            return 0;
        }
        REQUIRE(len > before && len <= MAXLEN);
    }
    REQUIRE(x->ok && len == x->len);
    return len;
}

/* ---- parsing back --------------------------------------------------------- */

/* The values of s[0..len), at most max of them, in v; their number, or -1
 * (with the checks every parse gets). */
static long parse_all(pool *pl, const char *s, size_t len, sipcodes_warning_value *v, size_t max)
{
    sipcodes_warning_iter it;
    sipcodes_warning_value w;
    sipcodes_error err;
    long n = 0;
    int r;

    err.msg = NULL;
    if (sipcodes_warning_init(&it, s, len, &err) != 0) {
        REQUIRE(err.msg != NULL && err.pos <= len);
        return -1;
    }
    REQUIRE(len <= MAXLEN);
    while ((r = sipcodes_warning_next(&it, &w, &err)) == 1) {
        REQUIRE(w.code >= 0 && w.code <= 999);
        REQUIRE(span_inside(w.agent, s, len) && span_inside(w.text, s, len));
        REQUIRE(w.agent.len > 0);
        REQUIRE(sipcodes_is_warn_agent(w.agent.ptr, w.agent.len));
        REQUIRE(ref_agent((const unsigned char *)w.agent.ptr, w.agent.len));
        REQUIRE(w.text.ptr > s && w.text.ptr[-1] == '"');
        REQUIRE(w.text.ptr + w.text.len < s + len && w.text.ptr[w.text.len] == '"');
        REQUIRE((size_t)n < max);
        v[n] = w;
        v[n].text = unquoted(pl, w.text);
        n++;
    }
    if (r < 0) {
        REQUIRE(err.msg != NULL && err.pos <= len);
        return -1;
    }
    REQUIRE(sipcodes_warning_next(&it, &w, &err) == 0);
    return n;
}

/* out[0..n) parses to v[0..nv) (as formatted), and formatting that gives
 * the same bytes. */
static void round_trip(pool *pl, const sipcodes_warning_value *v, size_t nv, const char *out,
                       size_t n)
{
    static sipcodes_warning_value got[MAXP];
    static char out2[MAXLEN];
    sipcodes_span copy = exact_copy(pl, out, n);
    size_t i;
    outcome x;

    REQUIRE(parse_all(pl, copy.ptr, copy.len, got, MAXP) == (long)nv);
    for (i = 0; i < nv; i++) {
        REQUIRE(got[i].code == v[i].code);
        REQUIRE(span_eq(got[i].agent, v[i].agent));
        REQUIRE(span_eq(got[i].text, v[i].text));
    }
    REQUIRE(format_checked(got, nv, out2, &x) == n);
    REQUIRE(memcmp(out2, out, n) == 0);
}

/* ---- (a) the input as a header -------------------------------------------- */

/* What a header the parser took may still be refused for: a control
 * character that came in through a quoted-pair, and a header that grew
 * past the limit (", " where the input had a bare comma), which needs an
 * input near it. */
static int allowed_refusal(const outcome *x, size_t size)
{
    if (x->field == SIPCODES_FIELD_TEXT)
        return strstr(x->msg, "control character") != NULL;
    return x->field == SIPCODES_FIELD_HEADER && size > MAXLEN / 2;
}

static void as_header(const char *s, size_t size)
{
    static sipcodes_warning_value v[MAXP];
    static char out[MAXLEN];
    pool pl = {NULL, 0, 0};
    outcome x;
    long nv;
    size_t n;

    nv = parse_all(&pl, s, size, v, MAXP);
    if (nv > 0) {
        n = format_checked(v, (size_t)nv, out, &x);
        if (n == 0)
            REQUIRE(allowed_refusal(&x, size));
        else
            round_trip(&pl, v, (size_t)nv, out, n);
    }
    REQUIRE(nv != 0); /* a header holds at least one value */
    pool_free(&pl);
}

/* ---- (b) the input as fields ----------------------------------------------- */

/* Layout: byte 0: the number of values, 1 + (byte % 4); then per value two
 * bytes of code (big-endian, minus 50: -50 to 65485, so that the edges 0
 * and 999 and both sides of them come up), then the agent and the text,
 * each ended by 0xFE (a byte no UTF-8 text holds) or the input.  A text
 * piece that starts with 0xFD and a byte k stands for MAXLEN - 4 - k % 8
 * bytes of 'x' (with a one-byte agent, the header fits for k % 8 >= 4),
 * and one that starts with 0xFC for MAXLEN + 1 bytes, so that the limits
 * come up without inputs that long. */
static void as_fields(const uint8_t *data, size_t size)
{
    pool pl = {NULL, 0, 0};
    static char out[MAXLEN];
    sipcodes_warning_value v[MAXV];
    size_t pos = 1, nv, i, n;
    outcome x;

    if (size < 1)
        return;
    nv = 1 + data[0] % MAXV;

#define NEXT_PIECE(span)                                                   \
    do {                                                                   \
        size_t start_ = pos;                                               \
        while (pos < size && data[pos] != 0xFE)                            \
            pos++;                                                         \
        (span) = exact_copy(&pl, (const char *)data + start_, pos - start_); \
        if (pos < size)                                                    \
            pos++;                                                         \
    } while (0)

    for (i = 0; i < nv; i++) {
        unsigned hi = pos < size ? data[pos] : 0, lo = pos + 1 < size ? data[pos + 1] : 0;
        pos = pos + 2 < size ? pos + 2 : size;
        v[i].code = (int)(hi << 8 | lo) - 50;
        NEXT_PIECE(v[i].agent);
        NEXT_PIECE(v[i].text);
        if (v[i].text.len > 0 && (unsigned char)v[i].text.ptr[0] >= 0xFC) {
            unsigned k = v[i].text.len > 1 ? (unsigned char)v[i].text.ptr[1] : 0;
            size_t big = (unsigned char)v[i].text.ptr[0] == 0xFD ? MAXLEN - 4 - k % 8 : MAXLEN + 1;
            char *p = pool_keep(&pl, malloc(big));
            memset(p, 'x', big);
            v[i].text.ptr = p;
            v[i].text.len = big;
        }
    }
#undef NEXT_PIECE

    n = format_checked(v, nv, out, &x);
    if (n)
        round_trip(&pl, v, nv, out, n);
    pool_free(&pl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_header((const char *)data, size);
    as_fields(data, size);
    return 0;
}
