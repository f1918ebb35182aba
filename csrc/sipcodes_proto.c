/*
 * sipcodes_proto.c - the protocol helpers declared in sipcodes_proto.h.
 *
 * Sources: RFC 3261 §7.2 and §25.1 (Status-Line, Reason-Phrase, LWS,
 * token, quoted-string, generic-param), §7.3.1 (parameter names are
 * case-insensitive and appear at most once; folding reads as one SP),
 * §16.7-§16.9 (choosing the best response), §20.33 (Retry-After, with the
 * comment rule of §25.1), §20.43 and §27.2 (Warning and its warn-codes,
 * with RFC 5630 and RFC 8373 for the later codes), §20-§22 (header fields
 * per response); RFC 3326 (Reason, one value per protocol), RFC 8606 (cause
 * location), RFC 9366 (several values of a protocol only where its
 * registration allows them: not SIP, not Q.850), RFC 3629 (UTF-8), RFC 4028,
 * RFC 5360 and RFC 6086 (header fields of 422, 470 and 469).
 *
 * Every loop below advances its position by at least one byte per pass and
 * stops at the length it was given, so no input can make it run longer than
 * its size, and no byte past the length is ever read.
 */
#include <limits.h>
#include <string.h>

#include "sipcodes.h"
#include "sipcodes_interop.h"
#include "sipcodes_proto.h"

/* The limits are spelled out in error messages; these fail to compile if
 * a limit changes without its message. */
typedef char sc_max_line_is_8192[SIPCODES_MAX_LINE == 8192 ? 1 : -1];
typedef char sc_max_phrase_is_8178[SIPCODES_MAX_REASON_PHRASE == 8178 ? 1 : -1];
typedef char sc_max_params_is_16[SIPCODES_REASON_MAX_PARAMS == 16 ? 1 : -1];
typedef char sc_max_ra_params_is_16[SIPCODES_RETRY_AFTER_MAX_PARAMS == 16 ? 1 : -1];
typedef char sc_max_depth_is_8[SIPCODES_COMMENT_MAX_DEPTH == 8 ? 1 : -1];
typedef char sc_max_delta_is_int_max[SIPCODES_DELTA_SECONDS_MAX == INT_MAX ? 1 : -1];

#define SC_TOO_LONG "input longer than 8192 bytes"

/* RFC 8606 §4's tokens, the one list both the parser and the formatter
 * name (sipcodes_q850_location_value holds them). */
#define SC_BAD_LOCATION "location must be one of U, LPN, LN, TN, RLN, RPN, INTL, BI, " \
                        "LOC-6, LOC-8, LOC-9, LOC-11 to LOC-15"

static int sc_fail(sipcodes_error *err, size_t pos, const char *msg)
{
    if (err) {
        err->pos = pos;
        err->msg = msg;
    }
    return -1;
}

/* ---- character classes (RFC 3261 §25.1) --------------------------------- */

/* One byte of class bits per character, computed by the compiler from the
 * definitions below: a parser's inner loop is then one load and one test
 * per byte instead of a chain of comparisons. */
#define SC_C_DIGIT 0x01u
#define SC_C_HEX 0x04u
#define SC_C_TOKEN 0x08u  /* token = 1*(alphanum / - . ! % * _ + ` ' ~) */
#define SC_C_PHRASE 0x10u /* reserved, unreserved, SP, HTAB: as they are */
#define SC_C_WSP 0x20u    /* SP, HTAB */

#define SC_DEF_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define SC_DEF_ALPHA(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define SC_DEF_ALNUM(c) (SC_DEF_DIGIT(c) || SC_DEF_ALPHA(c))
#define SC_DEF_HEX(c) \
    (SC_DEF_DIGIT(c) || ((c) >= 'a' && (c) <= 'f') || ((c) >= 'A' && (c) <= 'F'))
#define SC_DEF_TOKEN(c) \
    (SC_DEF_ALNUM(c) || (c) == '-' || (c) == '.' || (c) == '!' || (c) == '%' || \
     (c) == '*' || (c) == '_' || (c) == '+' || (c) == '`' || (c) == '\'' || (c) == '~')
/* reserved = ; / ? : @ & = + $ ,   mark = - _ . ! ~ * ' ( )   and SP, HTAB.
 * '%' is not here: it is only allowed as the start of an escape. */
#define SC_DEF_PHRASE(c) \
    (SC_DEF_ALNUM(c) || (c) == ';' || (c) == '/' || (c) == '?' || (c) == ':' || \
     (c) == '@' || (c) == '&' || (c) == '=' || (c) == '+' || (c) == '$' || \
     (c) == ',' || (c) == '-' || (c) == '_' || (c) == '.' || (c) == '!' || \
     (c) == '~' || (c) == '*' || (c) == '\'' || (c) == '(' || (c) == ')' || \
     (c) == ' ' || (c) == '\t')
#define SC_DEF_WSP(c) ((c) == ' ' || (c) == '\t')

#define SC_CT(c) \
    ((SC_DEF_DIGIT(c) ? SC_C_DIGIT : 0u) | \
     (SC_DEF_HEX(c) ? SC_C_HEX : 0u) | (SC_DEF_TOKEN(c) ? SC_C_TOKEN : 0u) | \
     (SC_DEF_PHRASE(c) ? SC_C_PHRASE : 0u) | (SC_DEF_WSP(c) ? SC_C_WSP : 0u))
#define SC_CT4(b) SC_CT(b), SC_CT((b) + 1), SC_CT((b) + 2), SC_CT((b) + 3)
#define SC_CT16(b) SC_CT4(b), SC_CT4((b) + 4), SC_CT4((b) + 8), SC_CT4((b) + 12)
#define SC_CT64(b) SC_CT16(b), SC_CT16((b) + 16), SC_CT16((b) + 32), SC_CT16((b) + 48)

static const unsigned char sc_ctype[256] = {
    SC_CT64(0), SC_CT64(64), SC_CT64(128), SC_CT64(192)
};

static int sc_is_digit(unsigned char c)
{
    return (sc_ctype[c] & SC_C_DIGIT) != 0;
}

static int sc_is_hex(unsigned char c)
{
    return (sc_ctype[c] & SC_C_HEX) != 0;
}

static int sc_is_wsp(unsigned char c)
{
    return (sc_ctype[c] & SC_C_WSP) != 0;
}

static int sc_is_token_char(unsigned char c)
{
    return (sc_ctype[c] & SC_C_TOKEN) != 0;
}

static int sc_is_phrase_char(unsigned char c)
{
    return (sc_ctype[c] & SC_C_PHRASE) != 0;
}

static int sc_is_control(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7F;
}

/* The length of the well-formed UTF-8 sequence that starts s[0..n) (its
 * first byte is 0x80 or above), or 0 if there is none.
 *
 * RFC 3261's UTF8-NONASCII still admits the 5- and 6-byte forms of RFC 2279
 * (lead bytes F8-FD) and says nothing of overlong forms or surrogates.  We
 * follow RFC 3629 instead, which replaced RFC 2279: no overlong forms (C0,
 * C1, E0 80-9F, F0 80-8F), no surrogates (ED A0-BF), nothing above
 * U+10FFFF (F4 90 and up, F5-FF).  A peer that sends such bytes sends no
 * text anyone can display; lenient parsing still lets them through. */
static size_t sc_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need, i;

    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < need + 1 || s[1] < lo || s[1] > hi)
        return 0;
    for (i = 2; i <= need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need + 1;
}

int sipcodes_caseeq(const char *s, size_t len, const char *word)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + ('a' - 'A'));
        if (word[i] == '\0' || c != (unsigned char)word[i])
            return 0;
    }
    return word[len] == '\0';
}

int sipcodes_caseeq_n(const char *a, const char *b, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + ('a' - 'A'));
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + ('a' - 'A'));
        if (x != y)
            return 0;
    }
    return 1;
}

static int sc_span_caseeq(sipcodes_span a, sipcodes_span b)
{
    return a.len == b.len && sipcodes_caseeq_n(a.ptr, b.ptr, a.len);
}

static size_t sc_token_end(const unsigned char *u, size_t len, size_t p)
{
    while (p < len && sc_is_token_char(u[p]))
        p++;
    return p;
}

int sipcodes_is_token(const char *s, size_t len)
{
    return len > 0 && sc_token_end((const unsigned char *)s, len, 0) == len;
}

/* ---- Status-Line -------------------------------------------------------- */

static const char sc_accepted_names[][16] = {
    "no_sp", "bare_lf", "bare_cr", "trailing_space", "chars", "bad_utf8"
};

const char *sipcodes_accepted_name(unsigned bit)
{
    size_t i;

    for (i = 0; i < sizeof sc_accepted_names / sizeof sc_accepted_names[0]; i++)
        if (bit == (1u << i))
            return sc_accepted_names[i];
    return NULL;
}

/* Scan a Reason-Phrase from pos to the first CR or LF (or the end) and put
 * where it stopped in *end.  Lenient scanning lets through what the grammar
 * forbids but real stacks send, recording it in *accepted; control bytes are
 * refused even then, since they can only be an attack or garbage. */
static int sc_scan_phrase(const char *s, size_t len, size_t pos, int lenient,
                          size_t *end, unsigned *accepted, sipcodes_error *err)
{
    const unsigned char *u = (const unsigned char *)s;

    while (pos < len) {
        unsigned char c = u[pos];
        size_t n;

        if (sc_is_phrase_char(c)) {
            /* The common case, in a loop of its own. */
            do
                pos++;
            while (pos < len && sc_is_phrase_char(u[pos]));
            continue;
        }
        if (c == '\r' || c == '\n')
            break;
        if (c == '%') {
            /* escaped = "%" HEXDIG HEXDIG; kept as sent, not decoded, so the
             * caller sees exactly what the peer wrote. */
            if (len - pos >= 3 && sc_is_hex(u[pos + 1]) && sc_is_hex(u[pos + 2])) {
                pos += 3;
            } else if (lenient) {
                *accepted |= SIPCODES_ACCEPTED_CHARS;
                pos++;
            } else {
                return sc_fail(err, pos, "invalid %-escape in reason phrase");
            }
        } else if (sc_is_control(c)) {
            return sc_fail(err, pos, "control character in reason phrase");
        } else if (c < 0x80) {
            /* `"`, `<`, `>`, `\`, `[`, `]`, `{`, `}`, `|`, `^`, backquote, `#`:
             * printable, but in none of the phrase's character sets. */
            if (!lenient)
                return sc_fail(err, pos, "invalid character in reason phrase");
            *accepted |= SIPCODES_ACCEPTED_CHARS;
            pos++;
        } else if ((n = sc_utf8_seq(u + pos, len - pos)) != 0) {
            pos += n;
        } else {
            /* Typically a Latin-1 phrase from an old gateway. */
            if (!lenient)
                return sc_fail(err, pos, "invalid UTF-8 in reason phrase");
            *accepted |= SIPCODES_ACCEPTED_BAD_UTF8;
            pos++;
        }
    }
    *end = pos;
    return 0;
}

/* 1*DIGIT of the SIP-Version at *p, at most 9 digits: no real version has
 * more, and the bound keeps a hostile run of digits from being read on. */
static int sc_version_digits(const unsigned char *u, size_t len, size_t *p,
                             sipcodes_error *err)
{
    size_t start = *p;

    while (*p < len && sc_is_digit(u[*p])) {
        if (*p - start == 9)
            return sc_fail(err, *p, "too many digits in SIP version");
        (*p)++;
    }
    if (*p == start)
        return sc_fail(err, *p, "expected digit in SIP version");
    return 0;
}

int sipcodes_parse_status_line(const char *s, size_t len, unsigned flags,
                               sipcodes_status_line *out, sipcodes_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    int lenient = (flags & SIPCODES_LENIENT) != 0;
    unsigned accepted = 0;
    size_t p = 0, start, end;
    int i, code = 0;

    /* Decided on the length alone, before reading a byte. */
    if (len > SIPCODES_MAX_LINE)
        return sc_fail(err, SIPCODES_MAX_LINE, SC_TOO_LONG);

    /* Nearly every line starts "SIP/2.0 ": one 8-byte comparison. */
    if (len >= 8 && memcmp(u, "SIP/2.0 ", 8) == 0) {
        out->version.ptr = s;
        out->version.len = 7;
        p = 8;
        goto status_code;
    }

    /* SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; "SIP" in any case
     * (§7.1: case-insensitive, though senders must use upper case).
     * Clearing bit 5 upper-cases a letter and maps no other byte onto
     * 'S', 'I' or 'P'. */
    for (i = 0; i < 3; i++, p++)
        if (p >= len || (u[p] & 0xDF) != (unsigned char)"SIP"[i])
            return sc_fail(err, p, "expected SIP version");
    if (p >= len || u[p] != '/')
        return sc_fail(err, p, "expected '/' after SIP");
    p++;
    if (sc_version_digits(u, len, &p, err))
        return -1;
    if (p >= len || u[p] != '.')
        return sc_fail(err, p, "expected '.' in SIP version");
    p++;
    if (sc_version_digits(u, len, &p, err))
        return -1;
    out->version.ptr = s;
    out->version.len = p;

    /* §7.2: the elements are separated by a single SP. */
    if (p >= len || u[p] != ' ')
        return sc_fail(err, p, "expected SP after SIP version");
    p++;

status_code:
    /* Status-Code: exactly three digits (extension-code = 3DIGIT). */
    for (i = 0; i < 3; i++, p++) {
        if (p >= len || !sc_is_digit(u[p]))
            return sc_fail(err, p, "expected 3-digit status code");
        code = code * 10 + (u[p] - '0');
    }

    if (p < len && u[p] == ' ') {
        p++;
    } else if (lenient && (p == len || u[p] == '\r' || u[p] == '\n')) {
        /* "SIP/2.0 200": stacks that have no phrase often drop the SP. */
        accepted |= SIPCODES_ACCEPTED_NO_SP;
    } else {
        return sc_fail(err, p, "expected SP after status code");
    }

    start = p;
    if (sc_scan_phrase(s, len, p, lenient, &end, &accepted, err))
        return -1;

    /* The line end: CRLF, or nothing (the caller may have cut it off). */
    p = end;
    if (p < len) {
        if (u[p] == '\r' && len - p >= 2 && u[p + 1] == '\n') {
            p += 2;
        } else if (u[p] == '\r') {
            if (!lenient)
                return sc_fail(err, p + 1, "expected LF after CR");
            accepted |= SIPCODES_ACCEPTED_BARE_CR;
            p++;
        } else {
            if (!lenient)
                return sc_fail(err, p, "LF without CR");
            accepted |= SIPCODES_ACCEPTED_BARE_LF;
            p++;
        }
        if (p < len) {
            /* Only whitespace may trail, and only when lenient: anything
             * else would be a second line smuggled into this one. */
            size_t q = p;
            while (lenient && q < len && sc_is_wsp(u[q]))
                q++;
            if (!lenient || q < len)
                return sc_fail(err, lenient ? q : p,
                               "unexpected data after end of line");
            accepted |= SIPCODES_ACCEPTED_TRAILING_SPACE;
        }
    }

    /* The grammar lets a phrase end in SP or HTAB, so strict parsing keeps
     * them; lenient parsing drops them, as they are padding, not text. */
    if (lenient)
        while (end > start && sc_is_wsp(u[end - 1])) {
            end--;
            accepted |= SIPCODES_ACCEPTED_TRAILING_SPACE;
        }

    out->code = code;
    out->valid = sipcodes_is_valid(code);
    out->reason.ptr = s + start;
    out->reason.len = end - start;
    out->accepted = accepted;
    return 0;
}

int sipcodes_check_reason_phrase(const char *s, size_t len, unsigned flags,
                                 sipcodes_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned accepted = 0;
    size_t end;

    if (len > SIPCODES_MAX_REASON_PHRASE)
        return sc_fail(err, SIPCODES_MAX_REASON_PHRASE,
                       "reason phrase longer than 8178 bytes");
    if (len == 0 && (flags & SIPCODES_PHRASE_NONEMPTY))
        return sc_fail(err, 0, "empty reason phrase");
    if (sc_scan_phrase(s, len, 0, 0, &end, &accepted, err))
        return -1;
    if (end < len)
        return sc_fail(err, end, "CR or LF in reason phrase");
    if ((flags & SIPCODES_PHRASE_TRIMMED) && len > 0) {
        if (sc_is_wsp(u[0]))
            return sc_fail(err, 0, "white space at the start of the reason phrase");
        if (sc_is_wsp(u[len - 1]))
            return sc_fail(err, len - 1, "white space at the end of the reason phrase");
    }
    return 0;
}

size_t sipcodes_format_status_line(int code, const char *reason, size_t rlen,
                                   char *out, size_t cap, sipcodes_error *err)
{
    if (!sipcodes_is_valid(code)) {
        sc_fail(err, 0, "code must be 100 to 699");
        return 0;
    }
    if (sipcodes_check_reason_phrase(reason, rlen, 0, err))
        return 0;
    if (cap < 12 || cap - 12 < rlen) {
        sc_fail(err, 0, "output buffer too small");
        return 0;
    }
    /* §7.1: implementations must send the version in upper case. */
    memcpy(out, "SIP/2.0 ", 8);
    out[8] = (char)('0' + code / 100);
    out[9] = (char)('0' + code / 10 % 10);
    out[10] = (char)('0' + code % 10);
    out[11] = ' ';
    if (rlen)
        memcpy(out + 12, reason, rlen);
    return 12 + rlen;
}

/* ---- Reason header ------------------------------------------------------ */

/* SWS = [LWS], LWS = [*WSP CRLF] 1*WSP: skip any run of whitespace,
 * including folded line breaks (CRLF followed by SP or HTAB). */
static size_t sc_skip_sws(const unsigned char *u, size_t len, size_t p)
{
    for (;;) {
        while (p < len && sc_is_wsp(u[p]))
            p++;
        if (len - p >= 3 && u[p] == '\r' && u[p + 1] == '\n' && sc_is_wsp(u[p + 2]))
            p += 3;
        else
            return p;
    }
}

/* The header name `name` (nlen bytes, lower case) and HCOLON (*(SP / HTAB)
 * ":") at the start of u[0..len): *p after the colon and 1; 0 (*p = 0)
 * when the text does not start with the name; -1 when the name comes
 * without its colon (err set, err may be NULL). */
static int sc_header_name(const unsigned char *u, size_t len, const char *name, size_t nlen,
                          size_t *p, sipcodes_error *err)
{
    size_t q = nlen;

    *p = 0;
    if (len < nlen || !sipcodes_caseeq((const char *)u, nlen, name))
        return 0;
    while (q < len && sc_is_wsp(u[q]))
        q++;
    if (q >= len || u[q] != ':')
        return sc_fail(err, q, "expected ':' after the header name");
    *p = q + 1;
    return 1;
}

/* Is p at the end of the field: the end of input or a final CRLF? */
static int sc_at_end(const unsigned char *u, size_t len, size_t p)
{
    return p == len || (len - p == 2 && u[p] == '\r' && u[p + 1] == '\n');
}

/* The messages of sc_scan_text for one kind of text. */
typedef struct {
    char escape[40], line[32], control[40], utf8[40]; /* arrays: no relocations */
} sc_scan_msgs;

/* One unit of quoted-string or comment text at u[*pp], the delimiters
 * aside: a quoted-pair, a folded line, a printable ASCII byte or a UTF-8
 * sequence; *pp moves past it.  CR and LF may appear only as folding,
 * never escaped; other controls only escaped.  0, or 1 when the input
 * ends inside an escape (the caller reports the text unterminated), or -1
 * with err. */
static int sc_scan_text(const unsigned char *u, size_t len, size_t *pp, const sc_scan_msgs *m,
                        sipcodes_error *err)
{
    size_t p = *pp, n;
    unsigned char c = u[p];

    if (c == '\\') {
        if (len - p < 2)
            return 1;
        c = u[p + 1];
        if (c == '\r' || c == '\n' || c >= 0x80)
            return sc_fail(err, p, m->escape);
        *pp = p + 2;
    } else if (c == '\r' || c == '\n') {
        if (!(c == '\r' && len - p >= 3 && u[p + 1] == '\n' && sc_is_wsp(u[p + 2])))
            return sc_fail(err, p, m->line);
        *pp = p + 3;
    } else if (sc_is_control(c)) {
        return sc_fail(err, p, m->control);
    } else if (c < 0x80) {
        *pp = p + 1;
    } else if ((n = sc_utf8_seq(u + p, len - p)) != 0) {
        *pp = p + n;
    } else {
        return sc_fail(err, p, m->utf8);
    }
    return 0;
}

/* The quoted-string whose opening quote is at *pp; *pp then moves past the
 * closing quote.  qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII,
 * quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F). */
static int sc_scan_quoted(const unsigned char *u, size_t len, size_t *pp,
                          sipcodes_error *err)
{
    static const sc_scan_msgs msgs = {
        "invalid escape in quoted string", "CR or LF in quoted string",
        "control character in quoted string", "invalid UTF-8 in quoted string"
    };
    size_t open = *pp, p = open + 1;

    while (p < len) {
        int r;
        if (u[p] == '"') {
            *pp = p + 1;
            return 0;
        }
        if ((r = sc_scan_text(u, len, &p, &msgs, err)) < 0)
            return -1;
        if (r)
            break;
    }
    return sc_fail(err, open, "unterminated quoted string");
}

/* The end of an IPv6reference "[" ... "]" at p, or 0.  Only its shape is
 * checked (hex digits, ':' and '.', at least one ':', at most 45 bytes
 * inside, the longest textual IPv6 address): a generic parameter's value
 * is kept, not used as an address here. */
static size_t sc_ipv6_end(const unsigned char *u, size_t len, size_t p)
{
    size_t q = p + 1;
    int colon = 0;

    while (q < len && q - p <= 46 && (sc_is_hex(u[q]) || u[q] == ':' || u[q] == '.')) {
        colon |= u[q] == ':';
        q++;
    }
    if (q < len && u[q] == ']' && colon && q - p - 1 <= 45)
        return q + 1;
    return 0;
}

int sipcodes_is_bare_value(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;

    if (len > 0 && u[0] == '[')
        return sc_ipv6_end(u, len, 0) == len;
    return sipcodes_is_token(s, len);
}

/* One generic-param = token [ EQUAL gen-value ], its name starting at *pp
 * (past the SEMI); *pp then moves past it.  gen-value = token / host /
 * quoted-string, and host names and IPv4 addresses are tokens, so only "["
 * needs a case of its own.  full: the value already holds as many
 * parameters as it may, so a name here is one too many (both headers allow
 * 16). */
typedef struct {
    sipcodes_param prm; /* a quoted value without its quotes, escapes in */
    size_t namepos;     /* where the name starts */
    size_t valpos;      /* where the value starts (its quote), 0 for none */
} sc_gen_param;

static int sc_scan_param(const char *s, size_t len, size_t *pp, int full,
                         sc_gen_param *g, sipcodes_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t p = *pp, e;

    memset(g, 0, sizeof *g);
    g->namepos = p;
    e = sc_token_end(u, len, p);
    if (e == p)
        return sc_fail(err, p, "expected parameter name");
    if (full)
        return sc_fail(err, p, "more than 16 parameters");
    g->prm.name.ptr = s + p;
    g->prm.name.len = e - p;
    p = e;
    e = sc_skip_sws(u, len, p);
    if (e < len && u[e] == '=') {
        p = g->valpos = sc_skip_sws(u, len, e + 1);
        if (p < len && u[p] == '"') {
            if (sc_scan_quoted(u, len, &p, err))
                return -1;
            g->prm.value.ptr = s + g->valpos + 1;
            g->prm.value.len = p - g->valpos - 2;
            g->prm.quoted = 1;
        } else if (p < len && u[p] == '[') {
            e = sc_ipv6_end(u, len, p);
            if (!e)
                return sc_fail(err, p, "invalid IPv6 reference");
            g->prm.value.ptr = s + p;
            g->prm.value.len = e - p;
            p = e;
        } else {
            e = sc_token_end(u, len, p);
            if (e == p)
                return sc_fail(err, p, "expected parameter value");
            g->prm.value.ptr = s + p;
            g->prm.value.len = e - p;
            p = e;
        }
        g->prm.has_value = 1;
    }
    *pp = p;
    return 0;
}

int sipcodes_reason_is_q850(sipcodes_span protocol)
{
    return sipcodes_caseeq(protocol.ptr, protocol.len, "q.850");
}

unsigned sipcodes_reason_once(sipcodes_span protocol)
{
    if (sipcodes_caseeq(protocol.ptr, protocol.len, "sip"))
        return 1u;
    return sipcodes_reason_is_q850(protocol) ? 2u : 0u;
}

const char *sipcodes_reason_repeated_msg(sipcodes_span protocol)
{
    return sipcodes_reason_is_q850(protocol) ? "second Q.850 value (one per protocol)"
                                             : "second SIP value (one per protocol)";
}

int sipcodes_reason_refuse_repeated(const char *s, const sipcodes_reason_value *v,
                                    sipcodes_error *err)
{
    if (!v->repeated)
        return 0;
    err->pos = (size_t)(v->protocol.ptr - s);
    err->msg = sipcodes_reason_repeated_msg(v->protocol);
    return -1;
}

int sipcodes_reason_holds(const char *s, size_t len, sipcodes_span protocol)
{
    unsigned bit = sipcodes_reason_once(protocol);
    sipcodes_reason_iter it;
    sipcodes_reason_value v;
    sipcodes_error err;

    if (!bit || len == 0 || sipcodes_reason_init(&it, s, len, &err))
        return 0;
    /* At most SIPCODES_MAX_LINE bytes, each value read once. */
    while (sipcodes_reason_next(&it, &v, &err) == 1) {
    }
    return (it.seen & bit) != 0;
}

int sipcodes_reason_init(sipcodes_reason_iter *it, const char *s, size_t len,
                         sipcodes_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t p = 0;

    it->s = s;
    it->len = len;
    it->pos = 0;
    it->started = 0;
    it->seen = 0;
    if (len > SIPCODES_MAX_LINE) {
        it->started = 2;
        return sc_fail(err, SIPCODES_MAX_LINE, SC_TOO_LONG);
    }
    /* "Reason" HCOLON, HCOLON = *(SP / HTAB) ":" SWS.  A value cannot start
     * this way, as ':' is not a token character, so there is no doubt; the
     * name without a colon is read as a value (a protocol "reason"). */
    if (sc_header_name(u, len, "reason", 6, &p, NULL) == 1)
        it->pos = p;
    return 0;
}

/* cause = 1*DIGIT, read into an int: longer runs are refused once they pass
 * INT_MAX rather than wrapped, so no digit string can overflow. */
static int sc_cause(const unsigned char *u, size_t len, int *out)
{
    size_t i;
    int n = 0;

    if (len == 0)
        return -1;
    for (i = 0; i < len; i++) {
        int d;
        if (!sc_is_digit(u[i]))
            return -1;
        d = u[i] - '0';
        if (n > (INT_MAX - d) / 10)
            return -2;
        n = n * 10 + d;
    }
    *out = n;
    return 0;
}

int sipcodes_reason_next(sipcodes_reason_iter *it, sipcodes_reason_value *v,
                         sipcodes_error *err)
{
    const unsigned char *u = (const unsigned char *)it->s;
    size_t len = it->len, p, e;
    sipcodes_span names[SIPCODES_REASON_MAX_PARAMS];
    size_t nnames = 0;
    int q850;

    if (it->started == 2)
        return 0;

    /* reason-value = protocol *(SEMI reason-params); protocol = token.
     * The header needs at least one value, and each COMMA another one. */
    p = sc_skip_sws(u, len, it->pos);
    e = sc_token_end(u, len, p);
    if (e == p)
        return sc_fail(err, p, "expected protocol token");
    memset(v, 0, sizeof *v);
    v->protocol.ptr = it->s + p;
    v->protocol.len = e - p;
    q850 = sipcodes_reason_is_q850(v->protocol);
    {
        /* One SIP and one Q.850 value per header (RFC 3326, RFC 9366):
         * the value is still read, so that the caller can say which. */
        unsigned once = sipcodes_reason_once(v->protocol);
        v->repeated = (it->seen & once) != 0;
        it->seen |= once;
    }
    p = e;

    for (;;) {
        sipcodes_span name, value;
        size_t namepos, valpos;
        int has_value, quoted;
        sc_gen_param g;

        p = sc_skip_sws(u, len, p);
        if (sc_at_end(u, len, p)) {
            it->started = 2;
            break;
        }
        if (u[p] == ',') {
            /* Commas inside quoted text never get here: the quoted-string
             * was consumed whole. */
            it->started = 1;
            p++;
            break;
        }
        if (u[p] != ';')
            return sc_fail(err, p, (u[p] == '\r' || u[p] == '\n')
                                       ? "line break not followed by SP or HTAB"
                                       : "expected ';' or ','");
        p = sc_skip_sws(u, len, p + 1);

        if (sc_scan_param(it->s, len, &p, nnames == SIPCODES_REASON_MAX_PARAMS, &g, err))
            return -1;
        name = g.prm.name;
        value = g.prm.value;
        has_value = g.prm.has_value;
        quoted = g.prm.quoted;
        namepos = g.namepos;
        valpos = g.valpos;

        /* §7.3.1: a parameter name appears at most once, compared without
         * regard to case.  A second cause or text could only be guessed
         * between, so it is an error rather than first-wins. */
        {
            size_t i;
            for (i = 0; i < nnames; i++)
                if (sc_span_caseeq(names[i], name))
                    return sc_fail(err, namepos, "duplicate parameter");
            names[nnames++] = name;
        }

        if (sipcodes_caseeq(name.ptr, name.len, "cause")) {
            int r;
            if (!has_value)
                return sc_fail(err, namepos, "cause without a value");
            r = quoted ? -1 : sc_cause((const unsigned char *)value.ptr, value.len, &v->cause);
            if (r == -1)
                return sc_fail(err, valpos, "cause is not a number");
            if (r == -2)
                return sc_fail(err, valpos, "cause out of range");
            v->has_cause = 1;
        } else if (sipcodes_caseeq(name.ptr, name.len, "text")) {
            if (!has_value)
                return sc_fail(err, namepos, "text without a value");
            if (!quoted)
                return sc_fail(err, valpos, "text must be a quoted string");
            v->has_text = 1;
            v->text = value;
        } else if (q850 && sipcodes_caseeq(name.ptr, name.len, "location")) {
            /* RFC 8606 defines location for Q.850 only; on any other
             * protocol it is an extension parameter like any other and is
             * kept in params unchecked.  The values are ABNF literals, so
             * they match without regard to case (RFC 5234 §2.3). */
            int loc;
            if (!has_value)
                return sc_fail(err, namepos, "location without a value");
            loc = quoted ? -1 : sipcodes_q850_location_value(value.ptr, value.len);
            if (loc < 0)
                return sc_fail(err, valpos,
                               SC_BAD_LOCATION);
            v->has_location = 1;
            v->location = value;
            v->location_value = loc;
        } else {
            sipcodes_param *prm = &v->params[v->nparams++];
            prm->name = name;
            prm->value = value;
            prm->has_value = has_value;
            prm->quoted = quoted;
        }
    }
    it->pos = p;
    return 1;
}

size_t sipcodes_unquote(const char *s, size_t len, char *out)
{
    size_t i = 0, o = 0;

    while (i < len) {
        if (s[i] == '\\' && len - i >= 2) {
            out[o++] = s[i + 1];
            i += 2;
        } else if (s[i] == '\r' && len - i >= 2 && s[i + 1] == '\n') {
            /* §7.3.1: a folded line break and the whitespace that starts
             * the next line read as one SP. */
            i += 2;
            while (i < len && sc_is_wsp((unsigned char)s[i]))
                i++;
            out[o++] = ' ';
        } else {
            out[o++] = s[i++];
        }
    }
    return o;
}

/* The messages of sc_check_text for one kind of text. */
typedef struct {
    char crlf[32], control[40], utf8[40]; /* arrays: no relocations */
} sc_text_msgs;

static const sc_text_msgs sc_quoted_msgs = {
    "CR or LF in quoted text", "control character in quoted text",
    "invalid UTF-8 in quoted text"
};

static const sc_text_msgs sc_comment_msgs = {
    "CR or LF in comment", "control character in comment", "invalid UTF-8 in comment"
};

/* The one rule for text we write between quotes or parentheses: no CR or
 * LF (no escape can carry them), no other control but HTAB, well-formed
 * UTF-8, at most SIPCODES_MAX_LINE bytes. */
static int sc_check_text(const char *s, size_t len, const sc_text_msgs *m,
                         sipcodes_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t p = 0, n;

    if (len > SIPCODES_MAX_LINE)
        return sc_fail(err, SIPCODES_MAX_LINE, SC_TOO_LONG);
    while (p < len) {
        unsigned char c = u[p];
        if (c == '\r' || c == '\n')
            return sc_fail(err, p, m->crlf);
        /* quoted-pair could carry other controls, but no peer expects a NUL
         * or an ESC in a Reason text or a comment: refusing them is the
         * safe side. */
        if (sc_is_control(c))
            return sc_fail(err, p, m->control);
        if (c < 0x80)
            p++;
        else if ((n = sc_utf8_seq(u + p, len - p)) != 0)
            p += n;
        else
            return sc_fail(err, p, m->utf8);
    }
    return 0;
}

int sipcodes_check_quotable(const char *s, size_t len, sipcodes_error *err)
{
    return sc_check_text(s, len, &sc_quoted_msgs, err);
}

size_t sipcodes_quote(const char *s, size_t len, char *out)
{
    size_t i, o = 0;

    out[o++] = '"';
    for (i = 0; i < len; i++) {
        if (s[i] == '"' || s[i] == '\\')
            out[o++] = '\\';
        out[o++] = s[i];
    }
    out[o++] = '"';
    return o;
}

/* ---- Reason header: formatting ------------------------------------------ */

static int sc_fmt_fail(sipcodes_format_error *err, int field, size_t param,
                       size_t pos, const char *msg)
{
    if (err) {
        err->msg = msg;
        err->field = field;
        err->param = param;
        err->pos = pos;
    }
    return -1;
}

/* The bytes of the header being built; every write checks the room left
 * first, so out never takes more than SIPCODES_MAX_LINE bytes. */
typedef struct {
    char *out;
    size_t len;
} sc_writer;

static int sc_put(sc_writer *w, const char *s, size_t n)
{
    if (n > SIPCODES_MAX_LINE - w->len)
        return -1;
    if (n)
        memcpy(w->out + w->len, s, n);
    w->len += n;
    return 0;
}

static int sc_put_quoted(sc_writer *w, const char *s, size_t n)
{
    size_t i, need = n + 2;

    for (i = 0; i < n; i++)
        need += s[i] == '"' || s[i] == '\\';
    if (need > SIPCODES_MAX_LINE - w->len)
        return -1;
    w->len += sipcodes_quote(s, n, w->out + w->len);
    return 0;
}

static int sc_put_int(sc_writer *w, int n)
{
    char digits[12];
    size_t i = sizeof digits;
    unsigned v = (unsigned)n;

    do {
        digits[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return sc_put(w, digits + i, sizeof digits - i);
}

/* Does name a sort before name b (bytes compared, a prefix first)? */
static int sc_name_before(sipcodes_span a, sipcodes_span b)
{
    size_t m = a.len < b.len ? a.len : b.len;
    int c = m ? memcmp(a.ptr, b.ptr, m) : 0;

    return c < 0 || (c == 0 && a.len < b.len);
}

/* The order in which a formatter writes n generic parameters: by name, so
 * that the same value always gives the same bytes (an insertion sort:
 * n is at most 16).  order[k] is the index of the k-th to write. */
static void sc_param_order(const sipcodes_param *params, size_t n, size_t *order)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        for (j = i; j > 0 && sc_name_before(params[i].name, params[order[j - 1]].name); j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
}

/* Write the checked parameters in that order: ";name", "=value" bare when it
 * is a token, else quoted.  Nonzero when w is full. */
static int sc_put_params(sc_writer *w, const sipcodes_param *params, const size_t *order, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const sipcodes_param *p = &params[order[i]];
        if (sc_put(w, ";", 1) || sc_put(w, p->name.ptr, p->name.len))
            return 1;
        if (p->has_value &&
            (sc_put(w, "=", 1) ||
             (sipcodes_is_bare_value(p->value.ptr, p->value.len)
                  ? sc_put(w, p->value.ptr, p->value.len)
                  : sc_put_quoted(w, p->value.ptr, p->value.len))))
            return 1;
    }
    return 0;
}

#define SC_TOO_LONG_HEADER "reason header longer than 8192 bytes"

int sipcodes_reason_append(char *out, size_t *len, const sipcodes_reason_value *v,
                           sipcodes_format_error *err)
{
    sc_writer w;
    size_t order[SIPCODES_REASON_MAX_PARAMS], i, j, nfixed;
    sipcodes_error qe;
    int q850;

    w.out = out;
    w.len = *len;
    if (!sipcodes_is_token(v->protocol.ptr, v->protocol.len))
        return sc_fmt_fail(err, SIPCODES_FIELD_PROTOCOL, 0, 0, "protocol is not a token");
    q850 = sipcodes_reason_is_q850(v->protocol);
    if (v->has_cause && v->cause < 0)
        return sc_fmt_fail(err, SIPCODES_FIELD_CAUSE, 0, 0,
                           "cause must be a non-negative integer");
    if (v->has_text && sipcodes_check_quotable(v->text.ptr, v->text.len, &qe))
        return sc_fmt_fail(err, SIPCODES_FIELD_TEXT, 0, qe.pos, qe.msg);
    if (v->has_location) {
        /* RFC 8606 gives location a meaning for Q.850 only; elsewhere it
         * would be an extension parameter, which goes in params. */
        if (!q850)
            return sc_fmt_fail(err, SIPCODES_FIELD_LOCATION, 0, 0,
                               "location is only defined for Q.850 "
                               "(use params for other protocols)");
        if (!sipcodes_is_token(v->location.ptr, v->location.len) ||
            sipcodes_q850_location_value(v->location.ptr, v->location.len) < 0)
            return sc_fmt_fail(err, SIPCODES_FIELD_LOCATION, 0, 0,
                               SC_BAD_LOCATION);
    }
    nfixed = (size_t)(v->has_cause + v->has_text + v->has_location);
    if (v->nparams > SIPCODES_REASON_MAX_PARAMS - nfixed)
        return sc_fmt_fail(err, SIPCODES_FIELD_VALUE, 0, 0, "more than 16 parameters");

    /* Sorted by name, so the same value always gives the same header. */
    sc_param_order(v->params, v->nparams, order);
    for (i = 0; i < v->nparams; i++) {
        const sipcodes_param *p = &v->params[order[i]];
        if (!sipcodes_is_token(p->name.ptr, p->name.len))
            return sc_fmt_fail(err, SIPCODES_FIELD_PARAM_NAME, order[i], 0,
                               "name is not a token");
        /* What parse would read as cause, text or (on Q.850) location
         * must come from those fields, or the round trip would move it. */
        if (sipcodes_caseeq(p->name.ptr, p->name.len, "cause") ||
            sipcodes_caseeq(p->name.ptr, p->name.len, "text") ||
            (q850 && sipcodes_caseeq(p->name.ptr, p->name.len, "location")))
            return sc_fmt_fail(err, SIPCODES_FIELD_PARAM_NAME, order[i], 0,
                               "must be given as a field of the value");
        /* §7.3.1: names ignore case, and parse refuses a repeated one;
         * sorted, two such names need not be neighbours ("A" < "_" < "a"). */
        for (j = 0; j < i; j++)
            if (sc_span_caseeq(v->params[order[j]].name, p->name))
                return sc_fmt_fail(err, SIPCODES_FIELD_PARAM_NAME, order[i], 0,
                                   "repeats an earlier name (names ignore case)");
        if (p->has_value && !sipcodes_is_bare_value(p->value.ptr, p->value.len) &&
            sipcodes_check_quotable(p->value.ptr, p->value.len, &qe))
            return sc_fmt_fail(err, SIPCODES_FIELD_PARAM_VALUE, order[i], qe.pos, qe.msg);
    }

    /* Everything checked: now the bytes, each write bounded. */
    if ((w.len > 0 && sc_put(&w, ", ", 2)) ||
        sc_put(&w, v->protocol.ptr, v->protocol.len) ||
        (v->has_cause && (sc_put(&w, ";cause=", 7) || sc_put_int(&w, v->cause))) ||
        (v->has_text && (sc_put(&w, ";text=", 6) || sc_put_quoted(&w, v->text.ptr, v->text.len))) ||
        (v->has_location && (sc_put(&w, ";location=", 10) ||
                             sc_put(&w, v->location.ptr, v->location.len))))
        return sc_fmt_fail(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_HEADER);
    if (sc_put_params(&w, v->params, order, v->nparams))
        return sc_fmt_fail(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_HEADER);
    *len = w.len;
    return 0;
}

/* ---- Retry-After header ------------------------------------------------- */

/* delta-seconds = 1*DIGIT from *pp (at least one digit there), read into an
 * int that stops at SIPCODES_DELTA_SECONDS_MAX: the digits after that are
 * still read, so a run of any length gives the limit and no overflow. */
static int sc_delta_seconds(const unsigned char *u, size_t len, size_t *pp)
{
    size_t p = *pp;
    int n = 0;

    while (p < len && sc_is_digit(u[p])) {
        int d = u[p++] - '0';
        n = n > (SIPCODES_DELTA_SECONDS_MAX - d) / 10 ? SIPCODES_DELTA_SECONDS_MAX
                                                      : n * 10 + d;
    }
    *pp = p;
    return n;
}

/* The comment whose "(" is at *pp; *pp then moves past its ")".
 * comment = "(" *(ctext / quoted-pair / comment) ")", where ctext is any
 * printable character but the parentheses and the backslash, UTF-8 and
 * linear whitespace (folding included).  The nesting is only counted, not
 * recursed into; the rest is sc_scan_text, as in a quoted string. */
static int sc_scan_comment(const unsigned char *u, size_t len, size_t *pp,
                           sipcodes_error *err)
{
    static const sc_scan_msgs msgs = {
        "invalid escape in comment", "CR or LF in comment",
        "control character in comment", "invalid UTF-8 in comment"
    };
    size_t open = *pp, p = open + 1;
    int depth = 1;

    while (p < len) {
        unsigned char c = u[p];
        int r;

        if (c == '(') {
            if (depth == SIPCODES_COMMENT_MAX_DEPTH)
                return sc_fail(err, p, "comment nested more than 8 deep");
            depth++;
            p++;
        } else if (c == ')') {
            p++;
            if (--depth == 0) {
                *pp = p;
                return 0;
            }
        } else if ((r = sc_scan_text(u, len, &p, &msgs, err)) < 0) {
            return -1;
        } else if (r) {
            break;
        }
    }
    return sc_fail(err, open, "unterminated comment");
}

int sipcodes_parse_retry_after(const char *s, size_t len, sipcodes_retry_after *out,
                               sipcodes_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    sipcodes_span names[SIPCODES_RETRY_AFTER_MAX_PARAMS];
    size_t p = 0, nnames = 0, i;

    /* Decided on the length alone, before reading a byte. */
    if (len > SIPCODES_MAX_LINE)
        return sc_fail(err, SIPCODES_MAX_LINE, SC_TOO_LONG);
    memset(out, 0, sizeof *out);

    /* "Retry-After" HCOLON, HCOLON = *(SP / HTAB) ":" SWS.  A value starts
     * with a digit, so a letter here can only be the name. */
    if (sc_header_name(u, len, "retry-after", 11, &p, err) < 0)
        return -1;

    /* Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) */
    p = sc_skip_sws(u, len, p);
    if (p >= len || !sc_is_digit(u[p]))
        return sc_fail(err, p, "expected delta-seconds");
    out->seconds = sc_delta_seconds(u, len, &p);

    /* comment = LPAREN ..., LPAREN = SWS "(" SWS: white space between the
     * number and the comment is optional; inside it is kept as text. */
    {
        size_t open = sc_skip_sws(u, len, p), q = open;
        if (q < len && u[q] == '(') {
            if (sc_scan_comment(u, len, &q, err))
                return -1;
            out->has_comment = 1;
            out->comment.ptr = s + open + 1;
            out->comment.len = q - open - 2;
            p = q;
        }
    }

    for (;;) {
        sc_gen_param g;

        p = sc_skip_sws(u, len, p);
        if (sc_at_end(u, len, p))
            break;
        if (u[p] != ';') {
            if (u[p] == '\r' || u[p] == '\n')
                return sc_fail(err, p, "line break not followed by SP or HTAB");
            if (u[p] == '(' && out->has_comment)
                return sc_fail(err, p, "more than one comment");
            /* Only right after the number may a comment come. */
            return sc_fail(err, p, out->has_comment || nnames ? "expected ';'"
                                                              : "expected comment or ';'");
        }
        p = sc_skip_sws(u, len, p + 1);
        if (sc_scan_param(s, len, &p, nnames == SIPCODES_RETRY_AFTER_MAX_PARAMS, &g, err))
            return -1;

        /* §7.3.1: a parameter name appears at most once, compared without
         * regard to case; a second duration could only be guessed at. */
        for (i = 0; i < nnames; i++)
            if (sc_span_caseeq(names[i], g.prm.name))
                return sc_fail(err, g.namepos, "duplicate parameter");
        names[nnames++] = g.prm.name;

        if (sipcodes_caseeq(g.prm.name.ptr, g.prm.name.len, "duration")) {
            /* "duration" EQUAL delta-seconds: what else a generic-param
             * could carry under this name is refused, not kept. */
            size_t q = 0;
            const unsigned char *v = (const unsigned char *)g.prm.value.ptr;
            if (!g.prm.has_value)
                return sc_fail(err, g.namepos, "duration without a value");
            if (!g.prm.quoted) {
                out->duration = sc_delta_seconds(v, g.prm.value.len, &q);
            }
            if (g.prm.quoted || q != g.prm.value.len)
                return sc_fail(err, g.valpos, "duration is not a number");
            out->has_duration = 1;
        } else {
            out->params[out->nparams++] = g.prm;
        }
    }
    return 0;
}

/* Do the parentheses of s[0..len) balance, nesting no deeper than a comment
 * around them may (the outer pair takes one level)?  Escaped ones do not
 * count: the formatter escapes every backslash, so none escapes here. */
static int sc_parens_fit(const char *s, size_t len)
{
    size_t i;
    int depth = 0;

    for (i = 0; i < len; i++) {
        if (s[i] == '(') {
            if (++depth >= SIPCODES_COMMENT_MAX_DEPTH)
                return 0;
        } else if (s[i] == ')' && --depth < 0) {
            return 0;
        }
    }
    return depth == 0;
}

static size_t sc_fmt_refuse(sipcodes_format_error *err, int field, size_t param,
                            size_t pos, const char *msg)
{
    sc_fmt_fail(err, field, param, pos, msg);
    return 0;
}

#define SC_TOO_LONG_RETRY_AFTER "retry-after value longer than 8192 bytes"

size_t sipcodes_format_retry_after(const sipcodes_retry_after *v, char *out, size_t cap,
                                   sipcodes_format_error *err)
{
    char buf[SIPCODES_MAX_LINE];
    sc_writer w;
    size_t order[SIPCODES_RETRY_AFTER_MAX_PARAMS], i, j;
    sipcodes_error qe;

    w.out = buf;
    w.len = 0;
    if (v->seconds < 0)
        return sc_fmt_refuse(err, SIPCODES_FIELD_SECONDS, 0, 0,
                             "seconds must be a non-negative integer");
    /* A text longer than the whole value may be is a value too long, not
     * a bad text. */
    if (v->has_comment && v->comment.len > SIPCODES_MAX_LINE)
        return sc_fmt_refuse(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_RETRY_AFTER);
    if (v->has_comment && sc_check_text(v->comment.ptr, v->comment.len, &sc_comment_msgs, &qe))
        return sc_fmt_refuse(err, SIPCODES_FIELD_COMMENT, 0, qe.pos, qe.msg);
    if (v->has_duration && v->duration < 0)
        return sc_fmt_refuse(err, SIPCODES_FIELD_DURATION, 0, 0,
                             "duration must be a non-negative integer");
    if (v->nparams > SIPCODES_RETRY_AFTER_MAX_PARAMS - (size_t)(v->has_duration != 0))
        return sc_fmt_refuse(err, SIPCODES_FIELD_VALUE, 0, 0, "more than 16 parameters");

    sc_param_order(v->params, v->nparams, order);
    for (i = 0; i < v->nparams; i++) {
        const sipcodes_param *p = &v->params[order[i]];
        if (!sipcodes_is_token(p->name.ptr, p->name.len))
            return sc_fmt_refuse(err, SIPCODES_FIELD_PARAM_NAME, order[i], 0,
                                 "name is not a token");
        if (sipcodes_caseeq(p->name.ptr, p->name.len, "duration"))
            return sc_fmt_refuse(err, SIPCODES_FIELD_PARAM_NAME, order[i], 0,
                                 "must be given as the duration");
        for (j = 0; j < i; j++)
            if (sc_span_caseeq(v->params[order[j]].name, p->name))
                return sc_fmt_refuse(err, SIPCODES_FIELD_PARAM_NAME, order[i], 0,
                                     "repeats an earlier name (names ignore case)");
        if (p->has_value && p->value.len > SIPCODES_MAX_LINE)
            return sc_fmt_refuse(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_RETRY_AFTER);
        if (p->has_value && !sipcodes_is_bare_value(p->value.ptr, p->value.len) &&
            sipcodes_check_quotable(p->value.ptr, p->value.len, &qe))
            return sc_fmt_refuse(err, SIPCODES_FIELD_PARAM_VALUE, order[i], qe.pos, qe.msg);
    }

    /* Everything checked: now the bytes, each write bounded. */
    if (sc_put_int(&w, v->seconds))
        return sc_fmt_refuse(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_RETRY_AFTER);
    if (v->has_comment) {
        /* Bare parentheses where they balance, so that "(a (b))" reads as
         * it was meant; else every one escaped, so that one without its
         * partner cannot end the comment early or leave it open. */
        int bare = sc_parens_fit(v->comment.ptr, v->comment.len);
        if (sc_put(&w, " (", 2))
            return sc_fmt_refuse(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_RETRY_AFTER);
        for (i = 0; i < v->comment.len; i++) {
            char c = v->comment.ptr[i];
            int esc = c == '\\' || (!bare && (c == '(' || c == ')'));
            if ((esc && sc_put(&w, "\\", 1)) || sc_put(&w, &c, 1))
                return sc_fmt_refuse(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_RETRY_AFTER);
        }
        if (sc_put(&w, ")", 1))
            return sc_fmt_refuse(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_RETRY_AFTER);
    }
    if (v->has_duration && (sc_put(&w, ";duration=", 10) || sc_put_int(&w, v->duration)))
        return sc_fmt_refuse(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_RETRY_AFTER);
    if (sc_put_params(&w, v->params, order, v->nparams))
        return sc_fmt_refuse(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_RETRY_AFTER);
    if (w.len > cap)
        return sc_fmt_refuse(err, SIPCODES_FIELD_VALUE, 0, 0, "output buffer too small");
    memcpy(out, buf, w.len);
    return w.len;
}

/* ---- Warning header: the warn-code registry ------------------------------ */

/* The IANA registry "Warning Codes (warn-codes)" of the SIP Parameters
 * (RFC 3261 §20.43, §27.2; 308 from RFC 8373, 380 and 381 from RFC 5630),
 * sorted by code; the English texts as registered, the German ones ours.
 * RFC 3261 groups the codes by range (see sipcodes_warn_code); 380 and 381
 * lie in none of its ranges and count as miscellaneous. */
#define SC_SDP "session_description"
#define SC_NET "network_services"
#define SC_QOS "quality_of_service"
#define SC_MISC "miscellaneous"

static const sipcodes_warn_code sc_warn_codes[] = {
    {300, {"Incompatible network protocol", "Inkompatibles Netzwerkprotokoll"},
     "RFC 3261", SC_SDP, 1},
    {301, {"Incompatible network address formats", "Inkompatible Netzwerkadressformate"},
     "RFC 3261", SC_SDP, 1},
    {302, {"Incompatible transport protocol", "Inkompatibles Transportprotokoll"},
     "RFC 3261", SC_SDP, 1},
    {303, {"Incompatible bandwidth units", "Inkompatible Bandbreiteneinheiten"},
     "RFC 3261", SC_SDP, 1},
    {304, {"Media type not available", "Medientyp nicht verf\xC3\xBCgbar"},
     "RFC 3261", SC_SDP, 1},
    {305, {"Incompatible media format", "Inkompatibles Medienformat"},
     "RFC 3261", SC_SDP, 1},
    {306, {"Attribute not understood", "Attribut nicht verstanden"},
     "RFC 3261", SC_SDP, 1},
    {307, {"Session description parameter not understood",
           "Parameter der Sitzungsbeschreibung nicht verstanden"},
     "RFC 3261", SC_SDP, 1},
    {308, {"Incompatible language specification", "Inkompatible Sprachangabe"},
     "RFC 8373", SC_SDP, 1},
    {330, {"Multicast not available", "Multicast nicht verf\xC3\xBCgbar"},
     "RFC 3261", SC_NET, 1},
    {331, {"Unicast not available", "Unicast nicht verf\xC3\xBCgbar"},
     "RFC 3261", SC_NET, 1},
    {370, {"Insufficient bandwidth", "Unzureichende Bandbreite"},
     "RFC 3261", SC_QOS, 1},
    {380, {"SIPS Not Allowed", "SIPS nicht erlaubt"},
     "RFC 5630", SC_MISC, 1},
    {381, {"SIPS Required", "SIPS erforderlich"},
     "RFC 5630", SC_MISC, 1},
    {399, {"Miscellaneous warning", "Sonstige Warnung"},
     "RFC 3261", SC_MISC, 0},
};

#undef SC_SDP
#undef SC_NET
#undef SC_QOS
#undef SC_MISC

#define SC_NWARN (sizeof sc_warn_codes / sizeof sc_warn_codes[0])

const sipcodes_warn_code *sipcodes_warn_lookup(int code)
{
    size_t lo = 0, hi = SC_NWARN;

    /* A binary search over the sorted rows. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc_warn_codes[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < SC_NWARN && sc_warn_codes[lo].code == code ? &sc_warn_codes[lo] : NULL;
}

const char *sipcodes_warn_text(int code, sipcodes_lang lang)
{
    const sipcodes_warn_code *w = sipcodes_warn_lookup(code);

    if (!w || (int)lang < 0 || (int)lang >= SIPCODES_NLANGS)
        return NULL;
    return w->text[lang];
}

size_t sipcodes_warn_count(void)
{
    return SC_NWARN;
}

const sipcodes_warn_code *sipcodes_warn_at(size_t i)
{
    return i < SC_NWARN ? &sc_warn_codes[i] : NULL;
}

/* ---- Warning header: parsing and formatting ------------------------------ */

/* host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1), for the
 * part before a port: the brackets are sc_ipv6_end's; here the other two.
 *   hostname    = *( domainlabel "." ) toplabel [ "." ]
 *   domainlabel = alphanum / alphanum *( alphanum / "-" ) alphanum
 *   toplabel    = ALPHA / ALPHA *( alphanum / "-" ) alphanum
 *   IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT */
static int sc_is_hostname(const unsigned char *u, size_t len)
{
    size_t p = 0, start;

    if (len > 0 && u[len - 1] == '.')
        len--;
    if (len == 0)
        return 0;
    for (;;) {
        start = p;
        while (p < len && (SC_DEF_ALNUM(u[p]) || u[p] == '-'))
            p++;
        if (p == start || u[start] == '-' || u[p - 1] == '-')
            return 0;
        if (p == len)
            return SC_DEF_ALPHA(u[start]); /* the last label is the toplabel */
        if (u[p] != '.')
            return 0;
        p++;
    }
}

static int sc_is_ipv4(const unsigned char *u, size_t len)
{
    size_t p = 0;
    int part;

    for (part = 0; part < 4; part++) {
        size_t start = p;
        if (part > 0) {
            if (p >= len || u[p] != '.')
                return 0;
            start = ++p;
        }
        while (p < len && p - start < 3 && sc_is_digit(u[p]))
            p++;
        if (p == start)
            return 0;
    }
    return p == len;
}

/* The warn-agent at p (hostport / pseudonym, pseudonym = token): its end in
 * *end, or -1 with err.  host names and IPv4 addresses are tokens, so a
 * token is an agent by itself; with ":" port after it, it must be a host.
 * The agent ends where the next byte fits none of these: the caller sees
 * whether white space follows. */
static int sc_scan_agent(const unsigned char *u, size_t len, size_t p, size_t *end,
                         sipcodes_error *err)
{
    size_t e, q;

    if (p < len && u[p] == '[') {
        e = sc_ipv6_end(u, len, p);
        if (!e)
            return sc_fail(err, p, "invalid IPv6 reference in warn-agent");
    } else {
        e = sc_token_end(u, len, p);
        if (e == p)
            return sc_fail(err, p, "expected warn-agent");
        if (e < len && u[e] == ':' && !sc_is_hostname(u + p, e - p) &&
            !sc_is_ipv4(u + p, e - p))
            return sc_fail(err, p, "warn-agent with a port is not a host name or IP address");
    }
    if (e < len && u[e] == ':') {
        /* port = 1*DIGIT; kept as text, so no run of digits can overflow. */
        for (q = e + 1; q < len && sc_is_digit(u[q]); q++)
            ;
        if (q == e + 1)
            return sc_fail(err, q, "expected port after ':' in warn-agent");
        e = q;
    }
    *end = e;
    return 0;
}

int sipcodes_is_warn_agent(const char *s, size_t len)
{
    size_t end;

    return sc_scan_agent((const unsigned char *)s, len, 0, &end, NULL) == 0 && end == len;
}

int sipcodes_warning_init(sipcodes_warning_iter *it, const char *s, size_t len,
                          sipcodes_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t p = 0;

    it->s = s;
    it->len = len;
    it->pos = 0;
    it->started = 2; /* until the checks below pass */
    /* Decided on the length alone, before reading a byte. */
    if (len > SIPCODES_MAX_LINE)
        return sc_fail(err, SIPCODES_MAX_LINE, SC_TOO_LONG);
    /* "Warning" HCOLON, HCOLON = *(SP / HTAB) ":" SWS.  A value starts with
     * a digit, so a letter here can only be the name. */
    if (sc_header_name(u, len, "warning", 7, &p, err) < 0)
        return -1;
    it->pos = p;
    it->started = 0;
    return 0;
}

/* Where the grammar has one SP between the parts of a value: linear white
 * space of at least one byte (folding reads as SP, §7.3.1); the end of it,
 * or -1 with msg at p. */
static int sc_warning_gap(const unsigned char *u, size_t len, size_t *pp, const char *msg,
                          sipcodes_error *err)
{
    size_t q = sc_skip_sws(u, len, *pp);

    if (q == *pp)
        return sc_fail(err, *pp, msg);
    *pp = q;
    return 0;
}

int sipcodes_warning_next(sipcodes_warning_iter *it, sipcodes_warning_value *v,
                          sipcodes_error *err)
{
    const unsigned char *u = (const unsigned char *)it->s;
    size_t len = it->len, p, e;
    int i;

    if (it->started == 2)
        return 0;

    /* warning-value = warn-code SP warn-agent SP warn-text; the header
     * needs at least one, and each COMMA another one. */
    p = sc_skip_sws(u, len, it->pos);
    memset(v, 0, sizeof *v);
    for (i = 0; i < 3; i++, p++) {
        if (p >= len || !sc_is_digit(u[p]))
            return sc_fail(err, p, "expected 3-digit warn-code");
        v->code = v->code * 10 + (u[p] - '0');
    }
    if (sc_warning_gap(u, len, &p, "expected SP after warn-code", err))
        return -1;
    if (sc_scan_agent(u, len, p, &e, err))
        return -1;
    v->agent.ptr = it->s + p;
    v->agent.len = e - p;
    p = e;
    if (sc_warning_gap(u, len, &p, "expected SP after warn-agent", err))
        return -1;
    if (p >= len || u[p] != '"')
        return sc_fail(err, p, "expected quoted warn-text");
    e = p;
    if (sc_scan_quoted(u, len, &e, err))
        return -1;
    v->text.ptr = it->s + p + 1;
    v->text.len = e - p - 2;
    p = sc_skip_sws(u, len, e);

    if (sc_at_end(u, len, p)) {
        it->started = 2;
    } else if (u[p] == ',') {
        it->started = 1;
        p++;
    } else {
        return sc_fail(err, p, (u[p] == '\r' || u[p] == '\n')
                                   ? "line break not followed by SP or HTAB"
                                   : "expected ','");
    }
    it->pos = p;
    return 1;
}

#define SC_TOO_LONG_WARNING "warning header longer than 8192 bytes"

int sipcodes_warning_append(char *out, size_t *len, const sipcodes_warning_value *v,
                            sipcodes_format_error *err)
{
    sc_writer w;
    sipcodes_error qe;
    char digits[3];

    w.out = out;
    w.len = *len;
    if (v->code < 0 || v->code > 999)
        return sc_fmt_fail(err, SIPCODES_FIELD_WARN_CODE, 0, 0,
                           "code must be an integer from 0 to 999");
    /* Longer than the whole header may be: too long, not malformed (and
     * not read). */
    if (v->agent.len > SIPCODES_MAX_LINE || v->text.len > SIPCODES_MAX_LINE)
        return sc_fmt_fail(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_WARNING);
    if (!sipcodes_is_warn_agent(v->agent.ptr, v->agent.len))
        return sc_fmt_fail(err, SIPCODES_FIELD_AGENT, 0, 0,
                           "agent must be a host, host:port or token");
    if (sipcodes_check_quotable(v->text.ptr, v->text.len, &qe))
        return sc_fmt_fail(err, SIPCODES_FIELD_TEXT, 0, qe.pos, qe.msg);

    /* Everything checked: now the bytes, each write bounded.  warn-code is
     * 3DIGIT, so a code below 100 keeps its leading zeros. */
    digits[0] = (char)('0' + v->code / 100);
    digits[1] = (char)('0' + v->code / 10 % 10);
    digits[2] = (char)('0' + v->code % 10);
    if ((w.len > 0 && sc_put(&w, ", ", 2)) || sc_put(&w, digits, 3) || sc_put(&w, " ", 1) ||
        sc_put(&w, v->agent.ptr, v->agent.len) || sc_put(&w, " ", 1) ||
        sc_put_quoted(&w, v->text.ptr, v->text.len))
        return sc_fmt_fail(err, SIPCODES_FIELD_HEADER, 0, 0, SC_TOO_LONG_WARNING);
    *len = w.len;
    return 0;
}

/* ---- best response ------------------------------------------------------ */

/* The rank of a final response code 200-699; lower is better.  The rules,
 * in order of precedence:
 *   - a 2xx before anything: §16.7 step 5 forwards every 2xx at once, so a
 *     chooser that still holds one must pick it;
 *   - then a 6xx: step 6, "MUST choose from the 6xx class" if there is one;
 *   - then the lowest class, 3xx, 4xx, 5xx: step 6 "SHOULD choose from the
 *     lowest response class";
 *   - within 4xx first 401, 407, 415, 420, 484: step 6 prefers responses
 *     that let the client resubmit the request;
 *   - within 5xx, 503 last: step 6 says a 503 "SHOULD NOT" be forwarded
 *     upstream, and a transport error counts as a 503 (§16.9);
 *   - otherwise the lowest code, and on equal codes the first one received.
 * Kamailio's t_pick_branch ranks the same way (class order 2xx, 6xx, 3xx,
 * 4xx, 5xx; those five 4xx first, in numeric order; then the lowest code;
 * the first on a tie), except that it does not move 503 back: it may pick
 * a 503 and only rewrites it to 500 when tm's remap_503_500 is set. */
static int sc_rank(int code)
{
    /* class digit -> order of the class; 0 and 1 are never asked for */
    static const int class_order[7] = {0, 0, 0, 2, 3, 4, 1};
    int cls = code / 100, xx = code % 100, sub;

    switch (cls) {
    case 4:
        sub = (xx == 1 || xx == 7 || xx == 15 || xx == 20 || xx == 84) ? xx : 100 + xx;
        break;
    case 5:
        sub = xx == 3 ? 200 : xx;
        break;
    default:
        sub = xx;
        break;
    }
    return class_order[cls] * 1000 + sub;
}

void sipcodes_chooser_init(sipcodes_chooser *c)
{
    c->code = 0;
    c->index = SIPCODES_NONE;
    c->rank = INT_MAX;
}

void sipcodes_chooser_add(sipcodes_chooser *c, int code, size_t index)
{
    int rank;

    /* Provisional responses never end a transaction (§16.7 step 5 forwards
     * or drops them), and codes outside 100-699 are not responses. */
    if (!sipcodes_is_valid(code) || code < 200)
        return;
    rank = sc_rank(code);
    if (rank < c->rank) {
        c->code = code;
        c->index = index;
        c->rank = rank;
    }
}

int sipcodes_chooser_result(const sipcodes_chooser *c, size_t *chosen)
{
    int code = c->code;
    size_t index = c->index;

    if (code == 0) {
        /* §16.7 step 6: no final response at all -> 408 (Request Timeout);
         * also what §16.8 has a branch whose timer C fired count as. */
        code = 408;
        index = SIPCODES_NONE;
    } else if (code == 503) {
        /* Ranked last in its class, a 503 only wins when every 5xx is a 503
         * and nothing lower exists: §16.7 step 6 then says "SHOULD
         * generate a 500 (Server Internal Error)". */
        code = 500;
        index = SIPCODES_NONE;
    }
    if (chosen)
        *chosen = index;
    return code;
}

int sipcodes_best_response(const int *codes, size_t n, size_t *chosen)
{
    sipcodes_chooser c;
    size_t i;

    sipcodes_chooser_init(&c);
    for (i = 0; i < n; i++)
        sipcodes_chooser_add(&c, codes[i], i);
    return sipcodes_chooser_result(&c, chosen);
}

/* ---- header fields a response needs ------------------------------------- */

/* Sorted by code.  Only rules whose MUST or SHOULD was read in the RFC text
 * are here; MAY and "optional" are left out (503 Retry-After, 485 Contact,
 * 380, which describes alternatives in its body).  Notes:
 *   - 300-305: the table of §20 marks Contact optional for 3xx, but the
 *     text of each code sends the client to the Contact ("SHOULD also be
 *     listed as Contact fields", "SHOULD retry at the new address given by
 *     the Contact header field", the proxy "given by the Contact field"),
 *     so a 3xx without one is useless: "should".
 *   - 413: Retry-After only "if the condition is temporary".
 *   - 415: "MUST return a list of acceptable formats using the Accept,
 *     Accept-Encoding, or Accept-Language header field, depending on the
 *     specific problem": one of the three is required, none of them in
 *     particular, so each is "should".
 *   - 423: Table 2 of §20 marks Min-Expires mandatory (REGISTER column).
 *   - 2xx: Allow and Supported are "m*" (SHOULD) only for 2xx to INVITE
 *     and OPTIONS; this table is per code, not per method, so they are not
 *     listed. */
static const sipcodes_header_rule sc_rules[] = {
    {300, "Contact", "should", "RFC 3261 §21.3.1"},
    {301, "Contact", "should", "RFC 3261 §21.3.2"},
    {302, "Contact", "should", "RFC 3261 §21.3.3"},
    {305, "Contact", "should", "RFC 3261 §21.3.4"},
    {401, "WWW-Authenticate", "must", "RFC 3261 §22.2"},
    {405, "Allow", "must", "RFC 3261 §21.4.6"},
    {407, "Proxy-Authenticate", "must", "RFC 3261 §22.3"},
    {413, "Retry-After", "should", "RFC 3261 §21.4.11"},
    {415, "Accept", "should", "RFC 3261 §21.4.13"},
    {415, "Accept-Encoding", "should", "RFC 3261 §21.4.13"},
    {415, "Accept-Language", "should", "RFC 3261 §21.4.13"},
    {420, "Unsupported", "must", "RFC 3261 §21.4.15"},
    {421, "Require", "must", "RFC 3261 §21.4.16"},
    {422, "Min-SE", "must", "RFC 4028 §6"},
    {423, "Min-Expires", "must", "RFC 3261 §20 (Table 2)"},
    {469, "Recv-Info", "must", "RFC 6086 §4.2.2"},
    {470, "Permission-Missing", "should", "RFC 5360"},
    {494, "Security-Server", "must", "RFC 3329 §2.3.1"},
};

#define SC_NRULES (sizeof sc_rules / sizeof sc_rules[0])

const sipcodes_header_rule *sipcodes_required_headers(int code, size_t *count)
{
    size_t i, n;

    for (i = 0; i < SC_NRULES && sc_rules[i].code < code; i++)
        ;
    for (n = 0; i + n < SC_NRULES && sc_rules[i + n].code == code; n++)
        ;
    if (count)
        *count = n;
    return n ? &sc_rules[i] : NULL;
}

size_t sipcodes_header_rule_count(void)
{
    return SC_NRULES;
}

const sipcodes_header_rule *sipcodes_header_rule_at(size_t i)
{
    return i < SC_NRULES ? &sc_rules[i] : NULL;
}
