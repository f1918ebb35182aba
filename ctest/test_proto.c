/*
 * test_proto.c - C tests of sipcodes_proto: the Status-Line, Reason,
 * Retry-After and Warning parsers and formatters from both sides of every
 * rule, their error messages and positions, the warn-code registry, the
 * best-response rules of RFC 3261 §16.7 and the table of header fields per
 * code.  Inputs are copied into buffers
 * of their exact size, so a read past the length shows under the
 * sanitizers.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"
#include "sipcodes.h"
#include "sipcodes_proto.h"

/* The parser's and the formatter's word for a location that is not one of
 * RFC 8606 §4's tokens. */
#define BAD_LOC "location must be one of U, LPN, LN, TN, RLN, RPN, INTL, BI, " \
                "LOC-6, LOC-8, LOC-9, LOC-11 to LOC-15"

/* A heap copy of s[0..len) with no NUL after it. */
static char *exact(const char *s, size_t len)
{
    char *p = malloc(len ? len : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    if (len)
        memcpy(p, s, len);
    return p;
}

static int span_is(sipcodes_span sp, const char *want)
{
    return sp.len == strlen(want) && memcmp(sp.ptr, want, sp.len) == 0;
}

/* ---- status line -------------------------------------------------------- */

static sipcodes_status_line sl;
static sipcodes_error err;

/* Parse a string literal of length len (may hold NUL or not end in one). */
static int psl_n(const char *s, size_t len, unsigned flags)
{
    char *buf = exact(s, len);
    int r = sipcodes_parse_status_line(buf, len, flags, &sl, &err);

    /* Spans must point back into the buffer; compare through a copy. */
    if (r == 0) {
        static char version[64], reason[SIPCODES_MAX_LINE + 1];
        CHECK(sl.version.ptr >= buf && sl.version.ptr + sl.version.len <= buf + len);
        CHECK(sl.reason.ptr >= buf && sl.reason.ptr + sl.reason.len <= buf + len);
        memcpy(version, sl.version.ptr, sl.version.len < 63 ? sl.version.len : 63);
        version[sl.version.len < 63 ? sl.version.len : 63] = '\0';
        memcpy(reason, sl.reason.ptr, sl.reason.len);
        reason[sl.reason.len] = '\0';
        sl.version.ptr = version;
        sl.reason.ptr = reason;
    } else {
        CHECK(err.pos <= (len > SIPCODES_MAX_LINE ? SIPCODES_MAX_LINE : len));
        CHECK(err.msg != NULL);
    }
    free(buf);
    return r;
}

static int psl(const char *s, unsigned flags)
{
    return psl_n(s, strlen(s), flags);
}

/* Expect an error with msg at 0-based pos. */
static void psl_err(const char *s, unsigned flags, const char *msg, size_t pos)
{
    if (psl(s, flags) != -1) {
        CHECK(!"expected a parse error");
        fprintf(stderr, "  input: %s\n", s);
        return;
    }
    CHECK_STR(err.msg, msg);
    CHECK_INT(err.pos, pos);
}

static void test_status_line_accepts(void)
{
    CHECK_INT(psl("SIP/2.0 486 Busy Here", 0), 0);
    CHECK(span_is(sl.version, "SIP/2.0"));
    CHECK_INT(sl.code, 486);
    CHECK(span_is(sl.reason, "Busy Here"));
    CHECK_INT(sl.valid, 1);
    CHECK_INT(sl.accepted, 0);

    /* final CRLF is optional and not part of the phrase */
    CHECK_INT(psl("SIP/2.0 200 OK\r\n", 0), 0);
    CHECK(span_is(sl.reason, "OK"));

    /* SIP is case-insensitive (§7.1); the version is kept as sent */
    CHECK_INT(psl("sip/2.0 180 Ringing", 0), 0);
    CHECK(span_is(sl.version, "sip/2.0"));
    CHECK_INT(psl("SiP/2.0 180 Ringing", 0), 0);

    /* 1*DIGIT "." 1*DIGIT: other versions parse, up to 9 digits each */
    CHECK_INT(psl("SIP/3.14 200 OK", 0), 0);
    CHECK(span_is(sl.version, "SIP/3.14"));
    CHECK_INT(psl("SIP/123456789.987654321 200 OK", 0), 0);

    /* the empty phrase after the SP */
    CHECK_INT(psl("SIP/2.0 200 ", 0), 0);
    CHECK(span_is(sl.reason, ""));
    CHECK_INT(psl("SIP/2.0 200 \r\n", 0), 0);

    /* every reserved, mark and alphanumeric byte, SP and HTAB */
    CHECK_INT(psl("SIP/2.0 200 ;/?:@&=+$,-_.!~*'() azAZ09\tx", 0), 0);
    CHECK(span_is(sl.reason, ";/?:@&=+$,-_.!~*'() azAZ09\tx"));

    /* trailing SP/HTAB belong to the phrase when strict */
    CHECK_INT(psl("SIP/2.0 200 OK \t", 0), 0);
    CHECK(span_is(sl.reason, "OK \t"));

    /* %HH escapes are checked, not decoded; hex in either case */
    CHECK_INT(psl("SIP/2.0 486 Busy%20Here%2a%2A", 0), 0);
    CHECK(span_is(sl.reason, "Busy%20Here%2a%2A"));

    /* UTF-8: 2, 3 and 4 byte forms, and the edges RFC 3629 allows */
    CHECK_INT(psl("SIP/2.0 486 Besetzt \xC3\xBC \xE2\x82\xAC \xF0\x9F\x93\x9E", 0), 0);
    CHECK_INT(psl("SIP/2.0 200 \xC2\x80\xDF\xBF", 0), 0);
    CHECK_INT(psl("SIP/2.0 200 \xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF", 0), 0);
    CHECK_INT(psl("SIP/2.0 200 \xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 0), 0);

    /* codes outside 100-699 parse, flagged */
    CHECK_INT(psl("SIP/2.0 000 Zero", 0), 0);
    CHECK_INT(sl.code, 0);
    CHECK_INT(sl.valid, 0);
    CHECK_INT(psl("SIP/2.0 099 X", 0), 0);
    CHECK_INT(sl.valid, 0);
    CHECK_INT(psl("SIP/2.0 100 Trying", 0), 0);
    CHECK_INT(sl.valid, 1);
    CHECK_INT(psl("SIP/2.0 699 X", 0), 0);
    CHECK_INT(sl.valid, 1);
    CHECK_INT(psl("SIP/2.0 700 X", 0), 0);
    CHECK_INT(sl.code, 700);
    CHECK_INT(sl.valid, 0);
    CHECK_INT(psl("SIP/2.0 999 X", 0), 0);
    CHECK_INT(sl.valid, 0);

    /* the RFC examples of §21 */
    CHECK_INT(psl("SIP/2.0 182 5 calls queued; expected waiting time is 15 minutes", 0), 0);
    CHECK_INT(sl.code, 182);
    CHECK_INT(psl("SIP/2.0 400 Missing Call-ID header field", 0), 0);
}

static void test_status_line_rejects(void)
{
    /* positions are 0-based here; the Lua binding adds 1 */
    psl_err("", 0, "expected SIP version", 0);
    psl_err("HTTP/1.1 200 OK", 0, "expected SIP version", 0);
    psl_err("SIX/2.0 200 OK", 0, "expected SIP version", 2);
    psl_err("SIP", 0, "expected '/' after SIP", 3);
    psl_err("SIP 2.0 200 OK", 0, "expected '/' after SIP", 3);
    psl_err("SIP/ 200 OK", 0, "expected digit in SIP version", 4);
    psl_err("SIP/2 200 OK", 0, "expected '.' in SIP version", 5);
    psl_err("SIP/2. 200 OK", 0, "expected digit in SIP version", 6);
    psl_err("SIP/2.0a 200 OK", 0, "expected SP after SIP version", 7);
    psl_err("SIP/1234567890.0 200 OK", 0, "too many digits in SIP version", 13);
    psl_err("SIP/2.1234567890 200 OK", 0, "too many digits in SIP version", 15);
    psl_err("SIP/2.0", 0, "expected SP after SIP version", 7);
    psl_err("SIP/2.0  200 OK", 0, "expected 3-digit status code", 8);
    psl_err("SIP/2.0\t200 OK", 0, "expected SP after SIP version", 7);
    psl_err("SIP/2.0 20 OK", 0, "expected 3-digit status code", 10);
    psl_err("SIP/2.0 2x0 OK", 0, "expected 3-digit status code", 9);
    psl_err("SIP/2.0 -20 OK", 0, "expected 3-digit status code", 8);
    psl_err("SIP/2.0 486Busy Here", 0, "expected SP after status code", 11);
    psl_err("SIP/2.0 2000 OK", 0, "expected SP after status code", 11);
    psl_err("SIP/2.0 200", 0, "expected SP after status code", 11);
    psl_err("SIP/2.0 200\r\n", 0, "expected SP after status code", 11);
    psl_err("SIP/2.0 200\tOK", 0, "expected SP after status code", 11);
    psl_err("SIP/2.0 200\tOK", SIPCODES_LENIENT, "expected SP after status code", 11);

    /* characters outside the phrase's sets */
    psl_err("SIP/2.0 486 Busy \"Here\"", 0, "invalid character in reason phrase", 17);
    psl_err("SIP/2.0 486 <x>", 0, "invalid character in reason phrase", 12);
    psl_err("SIP/2.0 486 a\\b", 0, "invalid character in reason phrase", 13);
    psl_err("SIP/2.0 486 #1", 0, "invalid character in reason phrase", 12);
    psl_err("SIP/2.0 486 [x]", 0, "invalid character in reason phrase", 12);
    psl_err("SIP/2.0 486 {x}", 0, "invalid character in reason phrase", 12);
    psl_err("SIP/2.0 486 a|b^c`", 0, "invalid character in reason phrase", 13);
    psl_err("SIP/2.0 486 100%", 0, "invalid %-escape in reason phrase", 15);
    psl_err("SIP/2.0 486 100%2", 0, "invalid %-escape in reason phrase", 15);
    psl_err("SIP/2.0 486 %zz", 0, "invalid %-escape in reason phrase", 12);
    {
        /* The length is the limit, not a NUL: "%4" ends these 18 bytes,
         * and the "1" after them must not complete the escape. */
        static const char line[] = "SIP/2.0 400 Bad %41";
        sipcodes_status_line cut;
        CHECK_INT(sipcodes_parse_status_line(line, 18, 0, &cut, &err), -1);
        CHECK_STR(err.msg, "invalid %-escape in reason phrase");
        CHECK_INT(err.pos, 16);
        CHECK_INT(sipcodes_parse_status_line(line, 19, 0, &cut, &err), 0);
    }
    psl_err("SIP/2.0 486 %2g", 0, "invalid %-escape in reason phrase", 12);

    /* controls, even when lenient */
    psl_err("SIP/2.0 486 a\x01", 0, "control character in reason phrase", 13);
    psl_err("SIP/2.0 486 a\x7f", SIPCODES_LENIENT, "control character in reason phrase", 13);
    psl_err("SIP/2.0 486 a\x1b[2J", SIPCODES_LENIENT, "control character in reason phrase", 13);
    CHECK_INT(psl_n("SIP/2.0 486 a\0b", 15, 0), -1);
    CHECK_STR(err.msg, "control character in reason phrase");
    CHECK_INT(err.pos, 13);
    CHECK_INT(psl_n("SIP/2.0 486 a\0b", 15, SIPCODES_LENIENT), -1);

    /* UTF-8 that RFC 3629 forbids */
    psl_err("SIP/2.0 486 \x80", 0, "invalid UTF-8 in reason phrase", 12);         /* lone continuation */
    psl_err("SIP/2.0 486 \xC3", 0, "invalid UTF-8 in reason phrase", 12);         /* cut short */
    psl_err("SIP/2.0 486 \xC3x", 0, "invalid UTF-8 in reason phrase", 12);
    psl_err("SIP/2.0 486 \xC0\xAF", 0, "invalid UTF-8 in reason phrase", 12);     /* overlong '/' */
    psl_err("SIP/2.0 486 \xC1\xBF", 0, "invalid UTF-8 in reason phrase", 12);
    psl_err("SIP/2.0 486 \xE0\x80\xAF", 0, "invalid UTF-8 in reason phrase", 12); /* overlong */
    psl_err("SIP/2.0 486 \xED\xA0\x80", 0, "invalid UTF-8 in reason phrase", 12); /* surrogate */
    psl_err("SIP/2.0 486 \xF0\x80\x80\xAF", 0, "invalid UTF-8 in reason phrase", 12);
    psl_err("SIP/2.0 486 \xF4\x90\x80\x80", 0, "invalid UTF-8 in reason phrase", 12); /* > U+10FFFF */
    psl_err("SIP/2.0 486 \xF5\x80\x80\x80", 0, "invalid UTF-8 in reason phrase", 12);
    psl_err("SIP/2.0 486 \xF8\x88\x80\x80\x80", 0, "invalid UTF-8 in reason phrase", 12); /* RFC 2279 5-byte */
    psl_err("SIP/2.0 486 \xFC\x84\x80\x80\x80\x80", 0, "invalid UTF-8 in reason phrase", 12);
    psl_err("SIP/2.0 486 \xFE\xFF", 0, "invalid UTF-8 in reason phrase", 12);
    psl_err("SIP/2.0 486 \xE2\x82", 0, "invalid UTF-8 in reason phrase", 12);

    /* line ends */
    psl_err("SIP/2.0 200 OK\n", 0, "LF without CR", 14);
    psl_err("SIP/2.0 200 OK\r", 0, "expected LF after CR", 15);
    psl_err("SIP/2.0 200 OK\rX", 0, "expected LF after CR", 15);
    psl_err("SIP/2.0 200 OK\r\n\r\n", 0, "unexpected data after end of line", 16);
    psl_err("SIP/2.0 200 OK\r\nVia: x", 0, "unexpected data after end of line", 16);
    psl_err("SIP/2.0 200 OK\r\n ", 0, "unexpected data after end of line", 16);
    psl_err("SIP/2.0 200 OK\r\n \r\n", SIPCODES_LENIENT, "unexpected data after end of line", 17);
    psl_err("SIP/2.0 200 OK\r\nX", SIPCODES_LENIENT, "unexpected data after end of line", 16);
    psl_err("SIP/2.0 200 OK\n\n", SIPCODES_LENIENT, "unexpected data after end of line", 15);
    psl_err("\r\nSIP/2.0 200 OK", 0, "expected SIP version", 0);
}

static void test_status_line_lenient(void)
{
    /* what strict accepts, lenient accepts without a flag */
    CHECK_INT(psl("SIP/2.0 486 Busy Here\r\n", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, 0);
    CHECK(span_is(sl.reason, "Busy Here"));

    CHECK_INT(psl("SIP/2.0 200", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_NO_SP);
    CHECK(span_is(sl.reason, ""));
    CHECK_INT(sl.code, 200);
    CHECK_INT(psl("SIP/2.0 200\r\n", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_NO_SP);
    CHECK_INT(psl("SIP/2.0 200\n", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_NO_SP | SIPCODES_ACCEPTED_BARE_LF);

    CHECK_INT(psl("SIP/2.0 200 OK\n", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_BARE_LF);
    CHECK(span_is(sl.reason, "OK"));
    CHECK_INT(psl("SIP/2.0 200 OK\r", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_BARE_CR);

    CHECK_INT(psl("SIP/2.0 200 OK  \t", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_TRAILING_SPACE);
    CHECK(span_is(sl.reason, "OK"));
    CHECK_INT(psl("SIP/2.0 200 OK\r\n  ", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_TRAILING_SPACE);
    CHECK(span_is(sl.reason, "OK"));
    CHECK_INT(psl("SIP/2.0 200   ", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_TRAILING_SPACE);
    CHECK(span_is(sl.reason, ""));
    CHECK_INT(psl("SIP/2.0 200 Busy \n \t", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_TRAILING_SPACE | SIPCODES_ACCEPTED_BARE_LF);
    CHECK(span_is(sl.reason, "Busy"));

    CHECK_INT(psl("SIP/2.0 486 Busy \"Here\" <100%>", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_CHARS);
    CHECK(span_is(sl.reason, "Busy \"Here\" <100%>"));

    /* Latin-1 "Vorübergehend" */
    CHECK_INT(psl("SIP/2.0 480 Vor\xFC" "bergehend", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_BAD_UTF8);
    CHECK_INT(sl.reason.len, 13);

    CHECK_INT(psl("SIP/2.0 480 \xFF\"x\" \n", SIPCODES_LENIENT), 0);
    CHECK_INT(sl.accepted, SIPCODES_ACCEPTED_BAD_UTF8 | SIPCODES_ACCEPTED_CHARS |
                           SIPCODES_ACCEPTED_TRAILING_SPACE | SIPCODES_ACCEPTED_BARE_LF);

    /* the names of the bits */
    CHECK_STR(sipcodes_accepted_name(SIPCODES_ACCEPTED_NO_SP), "no_sp");
    CHECK_STR(sipcodes_accepted_name(SIPCODES_ACCEPTED_BARE_LF), "bare_lf");
    CHECK_STR(sipcodes_accepted_name(SIPCODES_ACCEPTED_BARE_CR), "bare_cr");
    CHECK_STR(sipcodes_accepted_name(SIPCODES_ACCEPTED_TRAILING_SPACE), "trailing_space");
    CHECK_STR(sipcodes_accepted_name(SIPCODES_ACCEPTED_CHARS), "chars");
    CHECK_STR(sipcodes_accepted_name(SIPCODES_ACCEPTED_BAD_UTF8), "bad_utf8");
    CHECK(sipcodes_accepted_name(0) == NULL);
    CHECK(sipcodes_accepted_name(0x40) == NULL);
    CHECK(sipcodes_accepted_name(0x03) == NULL);
}

static void test_status_line_limits(void)
{
    static char big[SIPCODES_MAX_LINE + 2];
    size_t n;

    /* exactly 8192 bytes parse; 8193 are refused at byte 8193 (pos 8192) */
    memset(big, 'x', sizeof big);
    memcpy(big, "SIP/2.0 200 ", 12);
    CHECK_INT(psl_n(big, SIPCODES_MAX_LINE, 0), 0);
    CHECK_INT(sl.reason.len, SIPCODES_MAX_LINE - 12);
    CHECK_INT(psl_n(big, SIPCODES_MAX_LINE + 1, 0), -1);
    CHECK_STR(err.msg, "input longer than 8192 bytes");
    CHECK_INT(err.pos, SIPCODES_MAX_LINE);
    /* the length alone decides: garbage beyond the limit is never read */
    CHECK_INT(sipcodes_parse_status_line("\x01", SIPCODES_MAX_LINE + 1, 0, &sl, &err), -1);
    CHECK_INT(err.pos, SIPCODES_MAX_LINE);
    CHECK_INT(sipcodes_parse_status_line(NULL, (size_t)-1, 0, &sl, &err), -1);
    CHECK_STR(err.msg, "input longer than 8192 bytes");

    /* every prefix of a good line: parses or fails, never reads past */
    {
        const char *line = "SIP/2.0 486 Busy%20Here \xC3\xBC\r\n";
        size_t len = strlen(line);
        for (n = 0; n <= len; n++) {
            int r = psl_n(line, n, 0);
            CHECK(r == 0 || r == -1);
            r = psl_n(line, n, SIPCODES_LENIENT);
            CHECK(r == 0 || r == -1);
        }
        CHECK_INT(psl_n(line, 12, 0), 0);
        CHECK_INT(psl_n(line, 11, SIPCODES_LENIENT), 0);
    }
}

static void test_check_reason_phrase(void)
{
    CHECK_INT(sipcodes_check_reason_phrase("Busy Here", 9, 0, &err), 0);
    CHECK_INT(sipcodes_check_reason_phrase("", 0, 0, &err), 0);
    CHECK_INT(sipcodes_check_reason_phrase(NULL, 0, 0, &err), 0);
    CHECK_INT(sipcodes_check_reason_phrase("a%20b\t\xC3\xBC", 8, 0, &err), 0);
    CHECK_INT(sipcodes_check_reason_phrase("Busy\r\nVia: x", 12, 0, &err), -1);
    CHECK_STR(err.msg, "CR or LF in reason phrase");
    CHECK_INT(err.pos, 4);
    CHECK_INT(sipcodes_check_reason_phrase("a\nb", 3, 0, &err), -1);
    CHECK_STR(err.msg, "CR or LF in reason phrase");
    CHECK_INT(err.pos, 1);
    CHECK_INT(sipcodes_check_reason_phrase("say \"hi\"", 8, 0, &err), -1);
    CHECK_STR(err.msg, "invalid character in reason phrase");
    CHECK_INT(err.pos, 4);
    CHECK_INT(sipcodes_check_reason_phrase("50%", 3, 0, &err), -1);
    CHECK_STR(err.msg, "invalid %-escape in reason phrase");
    CHECK_INT(sipcodes_check_reason_phrase("\xFF", 1, 0, &err), -1);
    CHECK_STR(err.msg, "invalid UTF-8 in reason phrase");
    CHECK_INT(sipcodes_check_reason_phrase("x", SIPCODES_MAX_REASON_PHRASE + 1, 0, &err), -1);
    CHECK_STR(err.msg, "reason phrase longer than 8178 bytes");
    CHECK_INT(err.pos, SIPCODES_MAX_REASON_PHRASE);

    /* What the reply helpers and register ask beyond the grammar. */
    CHECK_INT(sipcodes_check_reason_phrase("", 0, SIPCODES_PHRASE_NONEMPTY, &err), -1);
    CHECK_STR(err.msg, "empty reason phrase");
    CHECK_INT(err.pos, 0);
    CHECK_INT(sipcodes_check_reason_phrase("x", 1, SIPCODES_PHRASE_NONEMPTY, &err), 0);
    CHECK_INT(sipcodes_check_reason_phrase(" Busy", 5, SIPCODES_PHRASE_NONEMPTY, &err), 0);
    CHECK_INT(sipcodes_check_reason_phrase(" Busy", 5, SIPCODES_PHRASE_TRIMMED, &err), -1);
    CHECK_STR(err.msg, "white space at the start of the reason phrase");
    CHECK_INT(sipcodes_check_reason_phrase("Busy\t", 5, SIPCODES_PHRASE_TRIMMED, &err), -1);
    CHECK_STR(err.msg, "white space at the end of the reason phrase");
    CHECK_INT(err.pos, 4);
    CHECK_INT(sipcodes_check_reason_phrase("Bu sy", 5, SIPCODES_PHRASE_TRIMMED, &err), 0);
    CHECK_INT(sipcodes_check_reason_phrase("", 0, SIPCODES_PHRASE_TRIMMED, &err), 0);
    /* The grammar comes first: a control byte is what is reported. */
    CHECK_INT(sipcodes_check_reason_phrase("Busy\1Here", 9, SIPCODES_PHRASE_NONEMPTY, &err), -1);
    CHECK_STR(err.msg, "control character in reason phrase");
    CHECK_INT(err.pos, 4);
    CHECK_INT(sipcodes_check_reason_phrase(" \x80", 2, SIPCODES_PHRASE_TRIMMED, &err), -1);
    CHECK_STR(err.msg, "invalid UTF-8 in reason phrase");
}

/* ---- Reason header formatting -------------------------------------------- */

static sipcodes_span sp(const char *s)
{
    sipcodes_span x;
    x.ptr = s;
    x.len = strlen(s);
    return x;
}

static sipcodes_reason_value newval(const char *protocol)
{
    sipcodes_reason_value v;
    memset(&v, 0, sizeof v);
    v.protocol = sp(protocol);
    return v;
}

static void add_param(sipcodes_reason_value *v, const char *name, const char *value)
{
    sipcodes_param *p = &v->params[v->nparams++];
    p->name = sp(name);
    p->has_value = value != NULL;
    if (value)
        p->value = sp(value);
}

static char fout[SIPCODES_MAX_LINE];
static size_t flen;
static sipcodes_format_error ferr;

/* Format v alone; 1 if it gave exactly want. */
static int fmt_is(const sipcodes_reason_value *v, const char *want)
{
    flen = 0;
    if (sipcodes_reason_append(fout, &flen, v, &ferr) != 0)
        return 0;
    return flen == strlen(want) && memcmp(fout, want, flen) == 0;
}

static int fmt_fails(const sipcodes_reason_value *v, int field, const char *msg)
{
    size_t before;
    flen = before = 3;
    memcpy(fout, "xyz", 3);
    if (sipcodes_reason_append(fout, &flen, v, &ferr) != -1)
        return 0;
    return flen == before && ferr.field == field && strcmp(ferr.msg, msg) == 0;
}

static void test_reason_format(void)
{
    sipcodes_reason_value v = newval("Q.850");
    size_t i;

    v.has_cause = 1;
    v.cause = 16;
    v.has_text = 1;
    v.text = sp("Normal call clearing");
    CHECK(fmt_is(&v, "Q.850;cause=16;text=\"Normal call clearing\""));
    v.has_location = 1;
    v.location = sp("LN");
    CHECK(fmt_is(&v, "Q.850;cause=16;text=\"Normal call clearing\";location=LN"));
    v.location = sp("bi"); /* ABNF literals ignore case; sent as given */
    CHECK(fmt_is(&v, "Q.850;cause=16;text=\"Normal call clearing\";location=bi"));

    v = newval("SIP");
    v.has_cause = 1;
    v.cause = 0;
    CHECK(fmt_is(&v, "SIP;cause=0"));
    v.cause = INT_MAX;
    CHECK(fmt_is(&v, "SIP;cause=2147483647"));
    v.has_text = 1;
    v.text = sp("say \"hi\" \\ bye");
    CHECK(fmt_is(&v, "SIP;cause=2147483647;text=\"say \\\"hi\\\" \\\\ bye\""));
    v.text = sp("");
    CHECK(fmt_is(&v, "SIP;cause=2147483647;text=\"\""));
    v.text = sp("Gr\xC3\xBC\xC3\x9F Gott, tsch\xC3\xBCss");
    CHECK(fmt_is(&v, "SIP;cause=2147483647;text=\"Gr\xC3\xBC\xC3\x9F Gott, tsch\xC3\xBCss\""));

    /* Params sorted by name (bytes, prefix first), bare where they can be. */
    v = newval("X-Vendor");
    add_param(&v, "zeta", "1");
    add_param(&v, "a", NULL);
    add_param(&v, "ab", "two words");
    add_param(&v, "B", "[2001:db8::1]");
    add_param(&v, "aa", "host.example.com");
    CHECK(fmt_is(&v, "X-Vendor;B=[2001:db8::1];a;aa=host.example.com;ab=\"two words\";zeta=1"));
    /* The location of another protocol is an ordinary parameter. */
    v = newval("SIP");
    add_param(&v, "location", "LN");
    CHECK(fmt_is(&v, "SIP;location=LN"));

    /* Appending: ", " between values, and the limit on the whole. */
    {
        sipcodes_reason_value a = newval("SIP"), b = newval("Q.850");
        a.has_cause = 1;
        a.cause = 480;
        b.has_cause = 1;
        b.cause = 18;
        flen = 0;
        CHECK_INT(sipcodes_reason_append(fout, &flen, &a, &ferr), 0);
        CHECK_INT(sipcodes_reason_append(fout, &flen, &b, &ferr), 0);
        CHECK_INT(flen, 29);
        CHECK(memcmp(fout, "SIP;cause=480, Q.850;cause=18", 29) == 0);
    }
    {
        static char big[SIPCODES_MAX_LINE];
        sipcodes_reason_value t = newval("SIP");
        memset(big, 'a', sizeof big);
        t.has_text = 1;
        t.text.ptr = big;
        t.text.len = SIPCODES_MAX_LINE - 6 - 3 - 2; /* SIP;text="..." is exactly the limit */
        CHECK(fmt_is(&t, "") == 0);
        flen = 0;
        CHECK_INT(sipcodes_reason_append(fout, &flen, &t, &ferr), 0);
        CHECK_INT(flen, SIPCODES_MAX_LINE);
        t.text.len++;
        flen = 0;
        CHECK_INT(sipcodes_reason_append(fout, &flen, &t, &ferr), -1);
        CHECK_STR(ferr.msg, "reason header longer than 8192 bytes");
        CHECK_INT(flen, 0);
        /* A quote doubles a byte: the room is counted after escaping. */
        memset(big, '"', sizeof big);
        t.text.len = 4000;
        flen = 0;
        CHECK_INT(sipcodes_reason_append(fout, &flen, &t, &ferr), 0);
        CHECK_INT(flen, 3 + 6 + 2 + 8000); /* SIP;text="..." */
        t.text.len = 4100;
        flen = 0;
        CHECK_INT(sipcodes_reason_append(fout, &flen, &t, &ferr), -1);
        CHECK_STR(ferr.msg, "reason header longer than 8192 bytes");
    }

    /* Refusals: which field, which message, nothing written. */
    v = newval("");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_PROTOCOL, "protocol is not a token"));
    v = newval("Q 850");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_PROTOCOL, "protocol is not a token"));
    v = newval("SIP");
    v.has_cause = 1;
    v.cause = -1;
    CHECK(fmt_fails(&v, SIPCODES_FIELD_CAUSE, "cause must be a non-negative integer"));
    v = newval("SIP");
    v.has_text = 1;
    v.text = sp("ab\r\nX: y");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_TEXT, "CR or LF in quoted text"));
    CHECK_INT(ferr.pos, 2);
    v.text = sp("a\x01");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_TEXT, "control character in quoted text"));
    v.text.len = 2;
    v.text.ptr = "a\0";
    CHECK(fmt_fails(&v, SIPCODES_FIELD_TEXT, "control character in quoted text"));
    v.text = sp("\xC3");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_TEXT, "invalid UTF-8 in quoted text"));
    v = newval("SIP");
    v.has_location = 1;
    v.location = sp("LN");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_LOCATION,
                    "location is only defined for Q.850 (use params for other protocols)"));
    v = newval("q.850");
    v.has_location = 1;
    v.location = sp("XX");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_LOCATION,
                    BAD_LOC));
    v.location = sp("");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_LOCATION,
                    BAD_LOC));
    /* What the parser takes, the formatter takes: LOC-n included. */
    v.location = sp("LOC-7");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_LOCATION, BAD_LOC));
    v.location = sp("LOC-16");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_LOCATION, BAD_LOC));
    {
        char out[SIPCODES_MAX_LINE];
        size_t len = 0;
        v.location = sp("loc-9");
        CHECK_INT(sipcodes_reason_append(out, &len, &v, &ferr), 0);
        CHECK(len == 20 && memcmp(out, "q.850;location=loc-9", 20) == 0);
    }
    v = newval("SIP");
    add_param(&v, "ok", "1");
    add_param(&v, "bad name", "1");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "name is not a token"));
    CHECK_INT(ferr.param, 1);
    v = newval("SIP");
    add_param(&v, "Cause", "1");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "must be given as a field of the value"));
    v = newval("SIP");
    add_param(&v, "TEXT", "x");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "must be given as a field of the value"));
    v = newval("Q.850");
    add_param(&v, "Location", "LN");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "must be given as a field of the value"));
    v = newval("SIP");
    add_param(&v, "a", "1");
    add_param(&v, "_", "1");
    add_param(&v, "A", "2");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "repeats an earlier name (names ignore case)"));
    CHECK_INT(ferr.param, 0); /* sorted "A" "_" "a": the third is the repeat */
    v = newval("SIP");
    add_param(&v, "p", "line\nbreak");
    CHECK(fmt_fails(&v, SIPCODES_FIELD_PARAM_VALUE, "CR or LF in quoted text"));
    CHECK_INT(ferr.pos, 4);
    v = newval("SIP");
    for (i = 0; i < SIPCODES_REASON_MAX_PARAMS; i++)
        add_param(&v, "p", NULL);
    v.nparams = SIPCODES_REASON_MAX_PARAMS;
    CHECK(fmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "repeats an earlier name (names ignore case)"));
    v.has_cause = 1;
    CHECK(fmt_fails(&v, SIPCODES_FIELD_VALUE, "more than 16 parameters"));
    v.nparams = 1000; /* a count beyond the array: params is not read */
    v.has_cause = 0;
    CHECK(fmt_fails(&v, SIPCODES_FIELD_VALUE, "more than 16 parameters"));
    CHECK(fmt_fails(&v, SIPCODES_FIELD_VALUE, "more than 16 parameters"));
}

/* Formatting what the parser gave (escapes undone) gives a header that
 * parses to the same values. */
static void test_reason_round_trip(void)
{
    static const char *const headers[] = {
        "Q.850;cause=16;text=\"Terminated\"",
        "SIP ; cause = 200 ; text = \"Call completed elsewhere\"",
        "Q.850;cause=17;location=LN, SIP;cause=486;text=\"Busy \\\"Here\\\"\"",
        "X-Vendor;flag;b=[::1];a=\"q;u,o\";c=tok",
        "Reason: SIP;cause=480;text=\"Temporarily \\\\ Unavailable\"\r\n",
    };
    size_t h;

    for (h = 0; h < sizeof headers / sizeof headers[0]; h++) {
        static char text[SIPCODES_REASON_MAX_PARAMS + 1][SIPCODES_MAX_LINE];
        sipcodes_reason_iter it, it2;
        sipcodes_reason_value v, w;
        size_t n = 0, i, values = 0;

        CHECK_INT(sipcodes_reason_init(&it, headers[h], strlen(headers[h]), &err), 0);
        flen = 0;
        while (sipcodes_reason_next(&it, &v, &err) == 1) {
            if (v.has_text)
                v.text.len = sipcodes_unquote(v.text.ptr, v.text.len, text[0]), v.text.ptr = text[0];
            for (i = 0; i < v.nparams; i++)
                if (v.params[i].quoted) {
                    v.params[i].value.len = sipcodes_unquote(v.params[i].value.ptr,
                                                             v.params[i].value.len, text[i + 1]);
                    v.params[i].value.ptr = text[i + 1];
                }
            CHECK_INT(sipcodes_reason_append(fout, &flen, &v, &ferr), 0);
            values++;
        }
        CHECK_INT(sipcodes_reason_init(&it2, fout, flen, &err), 0);
        while (sipcodes_reason_next(&it2, &w, &err) == 1)
            n++;
        CHECK_INT(n, values);
    }
}

static void test_format_status_line(void)
{
    char out[64];
    size_t n;

    n = sipcodes_format_status_line(486, "Busy Here", 9, out, sizeof out, &err);
    CHECK_INT(n, 21);
    CHECK(n == 21 && memcmp(out, "SIP/2.0 486 Busy Here", 21) == 0);
    n = sipcodes_format_status_line(100, "", 0, out, sizeof out, &err);
    CHECK(n == 12 && memcmp(out, "SIP/2.0 100 ", 12) == 0);
    n = sipcodes_format_status_line(699, NULL, 0, out, 12, &err);
    CHECK(n == 12 && memcmp(out, "SIP/2.0 699 ", 12) == 0);
    n = sipcodes_format_status_line(700, "X", 1, out, sizeof out, &err);
    CHECK_INT(n, 0);
    CHECK_STR(err.msg, "code must be 100 to 699");
    CHECK_INT(sipcodes_format_status_line(99, "X", 1, out, sizeof out, &err), 0);
    CHECK_INT(sipcodes_format_status_line(200, "O\rK", 3, out, sizeof out, &err), 0);
    CHECK_STR(err.msg, "CR or LF in reason phrase");
    CHECK_INT(err.pos, 1);
    CHECK_INT(sipcodes_format_status_line(200, "OK", 2, out, 13, &err), 0);
    CHECK_STR(err.msg, "output buffer too small");
    CHECK_INT(sipcodes_format_status_line(200, "OK", 2, out, 14, &err), 14);

    /* what format writes, parse reads back */
    {
        static const char *phrases[] = {"OK", "", "Busy Here", "a%20b", "\xE2\x82\xAC 5",
                                        "Not Acceptable Here", "  "};
        size_t i;
        for (i = 0; i < sizeof phrases / sizeof phrases[0]; i++) {
            size_t pl = strlen(phrases[i]);
            n = sipcodes_format_status_line(488, phrases[i], pl, out, sizeof out, &err);
            CHECK(n == 12 + pl);
            CHECK_INT(psl_n(out, n, 0), 0);
            CHECK_INT(sl.code, 488);
            CHECK(span_is(sl.reason, phrases[i]));
        }
    }
}

/* ---- Reason header ------------------------------------------------------ */

#define MAXV 8
static sipcodes_reason_value rv[MAXV];
static char rbuf_copy[SIPCODES_MAX_LINE + 1];

/* Parse all values of s; the count, or -1 with err.  Spans point into a
 * static copy that stays valid until the next call. */
static int preason_n(const char *s, size_t len)
{
    sipcodes_reason_iter it;
    char *buf = exact(s, len);
    int n = 0, r;

    if (sipcodes_reason_init(&it, buf, len, &err)) {
        free(buf);
        return -1;
    }
    while ((r = sipcodes_reason_next(&it, &rv[n < MAXV ? n : MAXV - 1], &err)) == 1)
        n++;
    /* re-point the spans into a copy that outlives buf */
    if (len <= SIPCODES_MAX_LINE) {
        int i;
        size_t k;
        memcpy(rbuf_copy, buf, len);
        for (i = 0; i < n && i < MAXV; i++) {
#define REPOINT(sp) if ((sp).ptr) (sp).ptr = rbuf_copy + ((sp).ptr - buf)
            REPOINT(rv[i].protocol);
            REPOINT(rv[i].text);
            REPOINT(rv[i].location);
            for (k = 0; k < rv[i].nparams; k++) {
                REPOINT(rv[i].params[k].name);
                REPOINT(rv[i].params[k].value);
            }
#undef REPOINT
        }
    }
    if (r == -1)
        CHECK(err.pos <= len);
    free(buf);
    /* after the end the iterator stays at the end */
    return r == -1 ? -1 : n;
}

static int preason(const char *s)
{
    return preason_n(s, strlen(s));
}

static void preason_err(const char *s, const char *msg, size_t pos)
{
    if (preason(s) != -1) {
        CHECK(!"expected a Reason parse error");
        fprintf(stderr, "  input: %s\n", s);
        return;
    }
    CHECK_STR(err.msg, msg);
    CHECK_INT(err.pos, pos);
}

static int unquoted_is(sipcodes_span sp, const char *want)
{
    char out[256];
    size_t n;

    if (sp.len > sizeof out)
        return 0;
    n = sipcodes_unquote(sp.ptr, sp.len, out);
    return n == strlen(want) && memcmp(out, want, n) == 0;
}

static void test_reason_accepts(void)
{
    /* RFC 3326 §3.1's example and the usual gateway values */
    CHECK_INT(preason("SIP;cause=200;text=\"Call completed elsewhere\""), 1);
    CHECK(span_is(rv[0].protocol, "SIP"));
    CHECK_INT(rv[0].has_cause, 1);
    CHECK_INT(rv[0].cause, 200);
    CHECK_INT(rv[0].has_text, 1);
    CHECK(span_is(rv[0].text, "Call completed elsewhere"));
    CHECK_INT(rv[0].has_location, 0);
    CHECK_INT(rv[0].nparams, 0);

    /* a whole line, the name in any case, HCOLON with whitespace */
    CHECK_INT(preason("Reason: Q.850;cause=16;text=\"Terminated\""), 1);
    CHECK(span_is(rv[0].protocol, "Q.850"));
    CHECK_INT(rv[0].cause, 16);
    CHECK_INT(preason("reason :Q.850;cause=17\r\n"), 1);
    CHECK_INT(rv[0].cause, 17);
    CHECK_INT(preason("REASON\t:\t SIP ; cause = 487"), 1);
    CHECK_INT(rv[0].cause, 487);
    /* "Reason" alone is a protocol token, not a header name */
    CHECK_INT(preason("Reason;cause=1"), 1);
    CHECK(span_is(rv[0].protocol, "Reason"));
    CHECK_INT(preason("Reason ; cause=1"), 1);
    CHECK(span_is(rv[0].protocol, "Reason"));

    /* Several values (a second Q.850 one marked repeated, see below);
     * commas in quotes */
    CHECK_INT(preason("SIP;cause=580;text=\"Precondition, failed\", Q.850;cause=47,"
                      "Q.850;cause=31"), 3);
    CHECK(span_is(rv[0].text, "Precondition, failed"));
    CHECK(span_is(rv[1].protocol, "Q.850"));
    CHECK_INT(rv[1].cause, 47);
    CHECK_INT(rv[2].cause, 31);

    /* RFC 8606 location, any case, cause and text in any order */
    CHECK_INT(preason("Q.850;cause=1;text=\"Unallocated (unassigned) number\";location=LN"), 1);
    CHECK_INT(rv[0].has_location, 1);
    CHECK(span_is(rv[0].location, "LN"));
    CHECK_INT(rv[0].location_value, 2);
    CHECK_INT(preason("q.850;LOCATION=bi;Cause=34"), 1);
    CHECK(span_is(rv[0].protocol, "q.850"));
    CHECK_INT(rv[0].location_value, 10);
    CHECK_INT(rv[0].cause, 34);
    {
        static const char *locs[] = {"U", "LPN", "LN", "TN", "RLN", "RPN", "INTL", "BI"};
        static const int vals[] = {0, 1, 2, 3, 4, 5, 7, 10};
        char line[64];
        size_t i;
        for (i = 0; i < 8; i++) {
            sprintf(line, "Q.850;cause=16;location=%s", locs[i]);
            CHECK_INT(preason(line), 1);
            CHECK_INT(rv[0].location_value, vals[i]);
        }
    }
    /* RFC 8606 §4: the spare and reserved location values have LOC-n
     * tokens, exactly those; every boundary both ways. */
    {
        static const struct { const char *tok; int val; } ok[] = {
            {"LOC-6", 6}, {"LOC-8", 8}, {"LOC-9", 9}, {"LOC-11", 11},
            {"LOC-12", 12}, {"LOC-13", 13}, {"LOC-14", 14}, {"LOC-15", 15},
            {"loc-6", 6}, {"Loc-15", 15},
        };
        static const char *bad[] = {
            "LOC-0", "LOC-1", "LOC-5", "LOC-7", "LOC-10", "LOC-16", "LOC-06",
            "LOC-", "LOC6", "LOC-6a", "LOC--6", "LOC-99", "LOC-1 5",
        };
        char line[64];
        size_t i;
        for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
            sprintf(line, "Q.850;cause=16;location=%s", ok[i].tok);
            CHECK_INT(preason(line), 1);
            CHECK_INT(rv[0].has_location, 1);
            CHECK(span_is(rv[0].location, ok[i].tok));
            CHECK_INT(rv[0].location_value, ok[i].val);
        }
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            sprintf(line, "Q.850;cause=16;location=%s", bad[i]);
            preason_err(line, BAD_LOC, 24);
        }
    }
    /* location on another protocol is an ordinary parameter */
    CHECK_INT(preason("SIP;cause=480;location=Mars"), 1);
    CHECK_INT(rv[0].has_location, 0);
    CHECK_INT(rv[0].nparams, 1);
    CHECK(span_is(rv[0].params[0].name, "location"));
    CHECK(span_is(rv[0].params[0].value, "Mars"));

    /* unknown parameters: flag, token, host, IPv6, quoted */
    CHECK_INT(preason("X-Vendor ; flag ; n=1 ; host=gw1.example.com ; ip=192.0.2.1 ;"
                      " v6=[2001:db8::1] ; q=\"a \\\"b\\\" c\""), 1);
    CHECK(span_is(rv[0].protocol, "X-Vendor"));
    CHECK_INT(rv[0].has_cause, 0);
    CHECK_INT(rv[0].nparams, 6);
    CHECK(span_is(rv[0].params[0].name, "flag"));
    CHECK_INT(rv[0].params[0].has_value, 0);
    CHECK(span_is(rv[0].params[1].value, "1"));
    CHECK_INT(rv[0].params[1].has_value, 1);
    CHECK_INT(rv[0].params[1].quoted, 0);
    CHECK(span_is(rv[0].params[2].value, "gw1.example.com"));
    CHECK(span_is(rv[0].params[3].value, "192.0.2.1"));
    CHECK(span_is(rv[0].params[4].value, "[2001:db8::1]"));
    CHECK_INT(rv[0].params[5].quoted, 1);
    CHECK(span_is(rv[0].params[5].value, "a \\\"b\\\" c"));
    CHECK(unquoted_is(rv[0].params[5].value, "a \"b\" c"));

    /* every token character in a protocol */
    CHECK_INT(preason("aZ09-.!%*_+`'~"), 1);
    CHECK(span_is(rv[0].protocol, "aZ09-.!%*_+`'~"));

    /* quoted text: escapes, UTF-8, HTAB, an empty string, folding */
    CHECK_INT(preason("SIP;text=\"\""), 1);
    CHECK_INT(rv[0].has_text, 1);
    CHECK_INT(rv[0].text.len, 0);
    CHECK_INT(preason("SIP;text=\"back\\\\slash \\\"q\\\" \\x\""), 1);
    CHECK(unquoted_is(rv[0].text, "back\\slash \"q\" x"));
    CHECK_INT(preason("SIP;text=\"Gr\xC3\xBC\xC3\x9F" "e\t\xE2\x82\xAC\""), 1);
    CHECK(unquoted_is(rv[0].text, "Gr\xC3\xBC\xC3\x9F" "e\t\xE2\x82\xAC"));
    CHECK_INT(preason("SIP;text=\"a\\\x01" "b\""), 1);   /* quoted-pair of a control */
    CHECK(unquoted_is(rv[0].text, "a\x01" "b"));
    CHECK_INT(preason("SIP;text=\"one\r\n  two\""), 1);
    CHECK(unquoted_is(rv[0].text, "one two"));

    /* LWS and folding around every separator */
    CHECK_INT(preason("Reason:\r\n SIP\r\n\t;\r\n cause\r\n =\r\n 200\r\n ,\r\n Q.850 ; cause=16\r\n"), 2);
    CHECK_INT(rv[0].cause, 200);
    CHECK_INT(rv[1].cause, 16);
    CHECK_INT(preason("  SIP;cause=1  "), 1);

    /* cause: leading zeros, the int range */
    CHECK_INT(preason("Q.850;cause=0016"), 1);
    CHECK_INT(rv[0].cause, 16);
    CHECK_INT(preason("Q.850;cause=0"), 1);
    CHECK_INT(rv[0].cause, 0);
    CHECK_INT(preason("Q.850;cause=2147483647"), 1);
    CHECK_INT(rv[0].cause, INT_MAX);
    CHECK_INT(preason("Q.850;cause=0000000000000000002147483647"), 1);
    CHECK_INT(rv[0].cause, INT_MAX);

    /* 16 parameters are fine */
    CHECK_INT(preason("X;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p"), 1);
    CHECK_INT(rv[0].nparams, 16);
    CHECK_INT(preason("X;cause=1;text=\"t\";a;b;c;d;e;f;g;h;i;j;k;l;m;n"), 1);
    CHECK_INT(rv[0].nparams, 14);
}

static void test_reason_rejects(void)
{
    preason_err("", "expected protocol token", 0);
    preason_err("   ", "expected protocol token", 3);
    preason_err("Reason:", "expected protocol token", 7);
    preason_err("Reason: ", "expected protocol token", 8);
    preason_err("Reason:\r\n", "expected protocol token", 7);
    preason_err(";cause=1", "expected protocol token", 0);
    preason_err("\"SIP\";cause=1", "expected protocol token", 0);
    preason_err("SIP;cause=1,", "expected protocol token", 12);
    preason_err("SIP;cause=1,,Q.850", "expected protocol token", 12);
    preason_err(",SIP", "expected protocol token", 0);
    preason_err("SIP/2.0", "expected ';' or ','", 3);
    preason_err("SIP cause=1", "expected ';' or ','", 4);
    preason_err("SIP;cause=1 text=\"x\"", "expected ';' or ','", 12);
    preason_err("SIP;", "expected parameter name", 4);
    preason_err("SIP;;cause=1", "expected parameter name", 4);
    preason_err("SIP;=1", "expected parameter name", 4);
    preason_err("SIP;cause=", "expected parameter value", 10);
    preason_err("SIP;x=;y", "expected parameter value", 6);
    preason_err("SIP;x=<a>", "expected parameter value", 6);
    preason_err("SIP;x=[zz]", "invalid IPv6 reference", 6);
    preason_err("SIP;x=[1.2.3.4]", "invalid IPv6 reference", 6);
    preason_err("SIP;x=[::1", "invalid IPv6 reference", 6);

    /* line breaks must be folding */
    preason_err("SIP;cause=1\r\nQ.850", "line break not followed by SP or HTAB", 11);
    preason_err("SIP;cause=1\n", "line break not followed by SP or HTAB", 11);
    preason_err("SIP;cause=1\r", "line break not followed by SP or HTAB", 11);
    preason_err("SIP;cause=1\r\n\r\n", "line break not followed by SP or HTAB", 11);

    /* cause */
    preason_err("Q.850;cause", "cause without a value", 6);
    preason_err("Q.850;cause;text=\"x\"", "cause without a value", 6);
    preason_err("Q.850;cause=abc", "cause is not a number", 12);
    preason_err("Q.850;cause=16a", "cause is not a number", 12);
    preason_err("Q.850;cause=-1", "cause is not a number", 12);
    preason_err("Q.850;cause=+1", "cause is not a number", 12);
    preason_err("Q.850;cause=1.5", "cause is not a number", 12);
    preason_err("Q.850;cause=\"16\"", "cause is not a number", 12);
    preason_err("Q.850;cause=2147483648", "cause out of range", 12);
    preason_err("Q.850;cause=99999999999999999999", "cause out of range", 12);

    /* text */
    preason_err("SIP;text", "text without a value", 4);
    preason_err("SIP;text=hello", "text must be a quoted string", 9);
    preason_err("SIP;text=\"open", "unterminated quoted string", 9);
    preason_err("SIP;text=\"open\\\"", "unterminated quoted string", 9);
    preason_err("SIP;text=\"a\\", "unterminated quoted string", 9);
    preason_err("SIP;text=\"a\r\nb\"", "CR or LF in quoted string", 11);
    preason_err("SIP;text=\"a\nb\"", "CR or LF in quoted string", 11);
    preason_err("SIP;text=\"a\rb\"", "CR or LF in quoted string", 11);
    preason_err("SIP;text=\"a\\\r\"", "invalid escape in quoted string", 11);
    preason_err("SIP;text=\"a\\\n\"", "invalid escape in quoted string", 11);
    preason_err("SIP;text=\"a\\\xC3\xBC\"", "invalid escape in quoted string", 11);
    preason_err("SIP;text=\"a\x01\"", "control character in quoted string", 11);
    preason_err("SIP;text=\"a\x7f\"", "control character in quoted string", 11);
    preason_err("SIP;text=\"a\xFF\"", "invalid UTF-8 in quoted string", 11);
    preason_err("SIP;text=\"a\xED\xA0\x80\"", "invalid UTF-8 in quoted string", 11);
    preason_err("SIP;text=\"a\" \"b\"", "expected ';' or ','", 13);

    /* location on Q.850 */
    preason_err("Q.850;cause=16;location", "location without a value", 15);
    preason_err("Q.850;cause=16;location=XX", BAD_LOC, 24);
    preason_err("Q.850;cause=16;location=\"LN\"", BAD_LOC, 24);
    preason_err("Q.850;cause=16;location=6", BAD_LOC, 24);
    preason_err("Q.850;location=LNX", BAD_LOC, 15);

    /* One SIP and one Q.850 value per header (RFC 3326; RFC 9366 keeps
     * that for both): a second one still parses, marked repeated. */
    CHECK_INT(preason("Q.850;cause=16, SIP;cause=200, q.850;cause=17"), 3);
    CHECK_INT(rv[0].repeated, 0);
    CHECK_INT(rv[1].repeated, 0);
    CHECK_INT(rv[2].repeated, 1);
    CHECK_INT(rv[2].cause, 17);
    CHECK_INT(preason("SIP;cause=200, sip;cause=487"), 2);
    CHECK_INT(rv[0].repeated, 0);
    CHECK_INT(rv[1].repeated, 1);
    CHECK_INT(preason("SIP;cause=200, Q.850;cause=16"), 2);
    CHECK_INT(rv[0].repeated + rv[1].repeated, 0);
    /* Other protocols may repeat (their registration decides), and a
     * near-miss name is another protocol. */
    CHECK_INT(preason("STIR;cause=436, STIR;cause=438, Q.8500;cause=1, Q.850;cause=2, SIPS;cause=3, SIP;cause=4"), 6);
    {
        size_t i;
        for (i = 0; i < 6; i++)
            CHECK_INT(rv[i].repeated, 0);
    }
    CHECK_INT(sipcodes_reason_once(sp("SIP")), 1);
    CHECK_INT(sipcodes_reason_once(sp("sip")), 1);
    CHECK_INT(sipcodes_reason_once(sp("Q.850")), 2);
    CHECK_INT(sipcodes_reason_once(sp("q.850")), 2);
    CHECK_INT(sipcodes_reason_once(sp("SIPS")), 0);
    CHECK_INT(sipcodes_reason_once(sp("Q.85")), 0);
    CHECK_INT(sipcodes_reason_once(sp("STIR")), 0);
    CHECK_INT(sipcodes_reason_holds("SIP;cause=200", 13, sp("sip")), 1);
    CHECK_INT(sipcodes_reason_holds("SIP;cause=200", 13, sp("Q.850")), 0);
    CHECK_INT(sipcodes_reason_holds("X;text=\"Q.850\", Q.850;cause=1", 30, sp("q.850")), 1);
    CHECK_INT(sipcodes_reason_holds("X;text=\", Q.850;cause=1\"", 25, sp("Q.850")), 0);
    CHECK_INT(sipcodes_reason_holds("STIR;cause=1", 12, sp("STIR")), 0);
    CHECK_INT(sipcodes_reason_holds("", 0, sp("SIP")), 0);

    /* duplicates, compared without regard to case (§7.3.1) */
    preason_err("Q.850;cause=16;cause=17", "duplicate parameter", 15);
    preason_err("Q.850;cause=16;CAUSE=16", "duplicate parameter", 15);
    preason_err("SIP;text=\"a\";Text=\"b\"", "duplicate parameter", 13);
    preason_err("Q.850;location=LN;location=U", "duplicate parameter", 18);
    preason_err("X;foo;FOO=1", "duplicate parameter", 6);
    /* ...but each value has its own parameters */
    CHECK_INT(preason("Q.850;cause=16, Q.850;cause=17"), 2);

    /* too many parameters */
    preason_err("X;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p;q", "more than 16 parameters", 34);
    preason_err("X;cause=1;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p", "more than 16 parameters", 40);

    /* length */
    {
        static char big[SIPCODES_MAX_LINE + 1];
        sipcodes_reason_iter it;
        sipcodes_reason_value v;
        memset(big, 'x', sizeof big);
        CHECK_INT(preason_n(big, SIPCODES_MAX_LINE), 1);
        CHECK_INT(rv[0].protocol.len, SIPCODES_MAX_LINE);
        CHECK_INT(preason_n(big, SIPCODES_MAX_LINE + 1), -1);
        CHECK_STR(err.msg, "input longer than 8192 bytes");
        CHECK_INT(err.pos, SIPCODES_MAX_LINE);
        /* decided on the length: nothing is read, next gives nothing */
        CHECK_INT(sipcodes_reason_init(&it, NULL, (size_t)-1, &err), -1);
        CHECK_INT(sipcodes_reason_next(&it, &v, &err), 0);
    }

    /* an error stays: next reports it again */
    {
        sipcodes_reason_iter it;
        sipcodes_reason_value v;
        const char *s = "SIP;cause=1, Q.850;cause=x";
        CHECK_INT(sipcodes_reason_init(&it, s, strlen(s), &err), 0);
        CHECK_INT(sipcodes_reason_next(&it, &v, &err), 1);
        CHECK_INT(sipcodes_reason_next(&it, &v, &err), -1);
        CHECK_STR(err.msg, "cause is not a number");
        CHECK_INT(err.pos, 25);
        CHECK_INT(sipcodes_reason_next(&it, &v, &err), -1);
        CHECK_INT(err.pos, 25);
    }
    /* the end stays the end */
    {
        sipcodes_reason_iter it;
        sipcodes_reason_value v;
        CHECK_INT(sipcodes_reason_init(&it, "SIP", 3, &err), 0);
        CHECK_INT(sipcodes_reason_next(&it, &v, &err), 1);
        CHECK_INT(sipcodes_reason_next(&it, &v, &err), 0);
        CHECK_INT(sipcodes_reason_next(&it, &v, &err), 0);
    }
}

static void test_reason_helpers(void)
{
    char out[64];
    size_t n;
    sipcodes_span q = {"Q.850", 5}, q2 = {"q.850", 5}, s = {"SIP", 3}, q3 = {"Q.8500", 6};

    CHECK(sipcodes_reason_is_q850(q));
    CHECK(sipcodes_reason_is_q850(q2));
    CHECK(!sipcodes_reason_is_q850(s));
    CHECK(!sipcodes_reason_is_q850(q3));

    CHECK(sipcodes_is_token("Q.850", 5));
    CHECK(sipcodes_is_token("aZ09-.!%*_+`'~", 14));
    CHECK(!sipcodes_is_token("", 0));
    CHECK(!sipcodes_is_token("a b", 3));
    CHECK(!sipcodes_is_token("a;b", 3));
    CHECK(!sipcodes_is_token("a\"", 2));
    CHECK(!sipcodes_is_token("\xC3\xBC", 2));
    CHECK(!sipcodes_is_token("a=b", 3));
    CHECK(!sipcodes_is_token("a,b", 3));

    CHECK(sipcodes_is_bare_value("gw1.example.com", 15));
    CHECK(sipcodes_is_bare_value("[::1]", 5));
    CHECK(sipcodes_is_bare_value("[2001:db8::192.0.2.1]", 21));
    CHECK(!sipcodes_is_bare_value("[::1", 4));
    CHECK(!sipcodes_is_bare_value("[::1]x", 6));
    CHECK(!sipcodes_is_bare_value("[]", 2));
    CHECK(!sipcodes_is_bare_value("a b", 3));
    CHECK(!sipcodes_is_bare_value("", 0));
    CHECK(!sipcodes_is_bare_value("[0000:0000:0000:0000:0000:0000:0000:0000:0000:0]", 48));

    CHECK_INT(sipcodes_check_quotable("Normal call clearing", 20, &err), 0);
    CHECK_INT(sipcodes_check_quotable("", 0, &err), 0);
    CHECK_INT(sipcodes_check_quotable("tab\there \"q\" \\ \xC3\xBC", 17, &err), 0);
    CHECK_INT(sipcodes_check_quotable("a\r\nb", 4, &err), -1);
    CHECK_STR(err.msg, "CR or LF in quoted text");
    CHECK_INT(err.pos, 1);
    CHECK_INT(sipcodes_check_quotable("ab\n", 3, &err), -1);
    CHECK_INT(err.pos, 2);
    CHECK_INT(sipcodes_check_quotable("a\0", 2, &err), -1);
    CHECK_STR(err.msg, "control character in quoted text");
    CHECK_INT(sipcodes_check_quotable("a\x7f", 2, &err), -1);
    CHECK_INT(sipcodes_check_quotable("a\xC3", 2, &err), -1);
    CHECK_STR(err.msg, "invalid UTF-8 in quoted text");
    CHECK_INT(err.pos, 1);
    CHECK_INT(sipcodes_check_quotable("x", SIPCODES_MAX_LINE + 1, &err), -1);
    CHECK_STR(err.msg, "input longer than 8192 bytes");

    n = sipcodes_quote("say \"hi\" \\o/", 12, out);
    CHECK(n == 17 && memcmp(out, "\"say \\\"hi\\\" \\\\o/\"", 17) == 0);
    n = sipcodes_quote("", 0, out);
    CHECK(n == 2 && memcmp(out, "\"\"", 2) == 0);

    /* quote then parse then unquote gives the text back */
    {
        static const char *texts[] = {"", "plain", "\"", "\\", "a\"b\\c", "\t\xE2\x82\xAC",
                                      "comma, semi; eq=", "  spaced  "};
        size_t i;
        for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
            char line[128];
            size_t tl = strlen(texts[i]);
            CHECK_INT(sipcodes_check_quotable(texts[i], tl, &err), 0);
            memcpy(line, "SIP;text=", 9);
            n = 9 + sipcodes_quote(texts[i], tl, line + 9);
            CHECK_INT(preason_n(line, n), 1);
            CHECK(unquoted_is(rv[0].text, texts[i]));
        }
    }
}

/* ---- Retry-After header -------------------------------------------------- */

static sipcodes_retry_after ra;
static char ra_copy[SIPCODES_MAX_LINE + 1];

/* Parse s[0..len) from a buffer of its exact size; the spans are then moved
 * into a static copy that outlives it. */
static int pra_n(const char *s, size_t len)
{
    char *buf = exact(s, len);
    int r = sipcodes_parse_retry_after(buf, len, &ra, &err);

    if (r == 0) {
        size_t k;
        CHECK(len <= SIPCODES_MAX_LINE);
        memcpy(ra_copy, buf, len);
#define REPOINT(sp) if ((sp).ptr) { \
        CHECK((sp).ptr >= buf && (sp).ptr + (sp).len <= buf + len); \
        (sp).ptr = ra_copy + ((sp).ptr - buf); }
        REPOINT(ra.comment);
        CHECK(ra.nparams <= SIPCODES_RETRY_AFTER_MAX_PARAMS);
        for (k = 0; k < ra.nparams; k++) {
            REPOINT(ra.params[k].name);
            REPOINT(ra.params[k].value);
        }
#undef REPOINT
    } else {
        CHECK(err.msg != NULL);
        CHECK(err.pos <= (len > SIPCODES_MAX_LINE ? SIPCODES_MAX_LINE : len));
    }
    free(buf);
    return r;
}

static int pra(const char *s)
{
    return pra_n(s, strlen(s));
}

static void pra_err(const char *s, const char *msg, size_t pos)
{
    if (pra(s) != -1) {
        CHECK(!"expected a Retry-After parse error");
        fprintf(stderr, "  input: %s\n", s);
        return;
    }
    CHECK_STR(err.msg, msg);
    CHECK_INT(err.pos, pos);
}

static void test_retry_after_accepts(void)
{
    /* a value alone, and RFC 3261 §20.33's two examples */
    CHECK_INT(pra("120"), 0);
    CHECK_INT(ra.seconds, 120);
    CHECK_INT(ra.has_comment, 0);
    CHECK_INT(ra.has_duration, 0);
    CHECK_INT(ra.nparams, 0);
    CHECK_INT(pra("0"), 0);
    CHECK_INT(ra.seconds, 0);
    CHECK_INT(pra("Retry-After: 18000;duration=3600"), 0);
    CHECK_INT(ra.seconds, 18000);
    CHECK_INT(ra.has_duration, 1);
    CHECK_INT(ra.duration, 3600);
    CHECK_INT(ra.has_comment, 0);
    CHECK_INT(pra("Retry-After: 120 (I'm in a meeting)"), 0);
    CHECK_INT(ra.seconds, 120);
    CHECK_INT(ra.has_comment, 1);
    CHECK(span_is(ra.comment, "I'm in a meeting"));
    CHECK_INT(ra.has_duration, 0);

    /* the name in any case, HCOLON with white space, a final CRLF */
    CHECK_INT(pra("retry-after:120 (lunch);duration=3600\r\n"), 0);
    CHECK_INT(ra.seconds, 120);
    CHECK(span_is(ra.comment, "lunch"));
    CHECK_INT(ra.duration, 3600);
    CHECK_INT(pra("RETRY-AFTER \t:\t 5"), 0);
    CHECK_INT(ra.seconds, 5);
    CHECK_INT(pra("  120  "), 0);
    CHECK_INT(ra.seconds, 120);
    CHECK_INT(pra("120\r\n"), 0);

    /* the comment: no space needed, nested, escaped, empty, spaced, UTF-8 */
    CHECK_INT(pra("120(lunch)"), 0);
    CHECK(span_is(ra.comment, "lunch"));
    CHECK_INT(pra("120 (a (b (c)) d)"), 0);
    CHECK(span_is(ra.comment, "a (b (c)) d"));
    CHECK(unquoted_is(ra.comment, "a (b (c)) d"));
    CHECK_INT(pra("120 (a \\( b \\) c \\\\ d)"), 0);
    CHECK(span_is(ra.comment, "a \\( b \\) c \\\\ d"));
    CHECK(unquoted_is(ra.comment, "a ( b ) c \\ d"));
    CHECK_INT(pra("120 ()"), 0);
    CHECK_INT(ra.has_comment, 1);
    CHECK_INT(ra.comment.len, 0);
    CHECK_INT(pra("120 ( spaced )"), 0);
    CHECK(span_is(ra.comment, " spaced "));
    CHECK_INT(pra("120 (Gr\xC3\xBC\xC3\x9F\t\"q\" <x@y> ;,=)"), 0);
    CHECK(span_is(ra.comment, "Gr\xC3\xBC\xC3\x9F\t\"q\" <x@y> ;,="));
    CHECK_INT(pra("120 (a\\\x01" "b)"), 0); /* quoted-pair of a control */
    CHECK(unquoted_is(ra.comment, "a\x01" "b"));
    CHECK_INT(pra("120 (one\r\n  two)"), 0);
    CHECK(unquoted_is(ra.comment, "one two"));
    /* as deep as allowed: 8 levels, the outer one counted */
    CHECK_INT(pra("1 ((((((((x))))))))"), 0);
    CHECK(span_is(ra.comment, "(((((((x)))))))"));

    /* LWS and folding around every separator */
    CHECK_INT(pra("Retry-After:\r\n 120\r\n (x)\r\n ;\r\n duration\r\n =\r\n 60\r\n ;\r\n"
                  " a\r\n =\r\n b\r\n"), 0);
    CHECK_INT(ra.seconds, 120);
    CHECK(span_is(ra.comment, "x"));
    CHECK_INT(ra.duration, 60);
    CHECK_INT(ra.nparams, 1);
    CHECK(span_is(ra.params[0].name, "a"));
    CHECK(span_is(ra.params[0].value, "b"));
    CHECK_INT(pra("120 ; duration = 60 ; x"), 0);
    CHECK_INT(ra.duration, 60);

    /* generic parameters: flag, token, host, IPv4, IPv6, quoted; in order */
    CHECK_INT(pra("120;flag;n=1;host=gw1.example.com;ip=192.0.2.1;v6=[2001:db8::1];"
                  "q=\"a \\\"b\\\" c\""), 0);
    CHECK_INT(ra.has_duration, 0);
    CHECK_INT(ra.nparams, 6);
    CHECK(span_is(ra.params[0].name, "flag"));
    CHECK_INT(ra.params[0].has_value, 0);
    CHECK(span_is(ra.params[1].name, "n"));
    CHECK(span_is(ra.params[1].value, "1"));
    CHECK_INT(ra.params[1].quoted, 0);
    CHECK(span_is(ra.params[2].value, "gw1.example.com"));
    CHECK(span_is(ra.params[3].value, "192.0.2.1"));
    CHECK(span_is(ra.params[4].value, "[2001:db8::1]"));
    CHECK(span_is(ra.params[5].name, "q"));
    CHECK_INT(ra.params[5].quoted, 1);
    CHECK(unquoted_is(ra.params[5].value, "a \"b\" c"));
    /* duration: any case, leading zeros, among other parameters */
    CHECK_INT(pra("120;x=1;DURATION=007;y"), 0);
    CHECK_INT(ra.duration, 7);
    CHECK_INT(ra.nparams, 2);
    CHECK(span_is(ra.params[1].name, "y"));
    CHECK_INT(pra("120;duration=0"), 0);
    CHECK_INT(ra.has_duration, 1);
    CHECK_INT(ra.duration, 0);

    /* delta-seconds beyond an int saturate, however many digits */
    CHECK_INT(pra("2147483646"), 0);
    CHECK_INT(ra.seconds, 2147483646);
    CHECK_INT(pra("2147483647"), 0);
    CHECK_INT(ra.seconds, INT_MAX);
    CHECK_INT(pra("2147483648"), 0);
    CHECK_INT(ra.seconds, INT_MAX);
    CHECK_INT(pra("2147483650"), 0);
    CHECK_INT(ra.seconds, INT_MAX);
    CHECK_INT(pra("21474836470"), 0);
    CHECK_INT(ra.seconds, INT_MAX);
    CHECK_INT(pra("99999999999999999999999999999999 (x)"), 0);
    CHECK_INT(ra.seconds, INT_MAX);
    CHECK(span_is(ra.comment, "x"));
    CHECK_INT(pra("00000000000000000000000000000042"), 0);
    CHECK_INT(ra.seconds, 42);
    CHECK_INT(pra("1;duration=4294967296"), 0);
    CHECK_INT(ra.duration, INT_MAX);
    CHECK_INT(pra("1;duration=2147483647"), 0);
    CHECK_INT(ra.duration, INT_MAX);

    /* 16 parameters, the duration among them, are fine */
    CHECK_INT(pra("1;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p"), 0);
    CHECK_INT(ra.nparams, 16);
    CHECK_INT(pra("1;duration=1;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o"), 0);
    CHECK_INT(ra.nparams, 15);
    CHECK_INT(ra.duration, 1);
}

static void test_retry_after_rejects(void)
{
    /* delta-seconds */
    pra_err("", "expected delta-seconds", 0);
    pra_err("   ", "expected delta-seconds", 3);
    pra_err("abc", "expected delta-seconds", 0);
    pra_err("-1", "expected delta-seconds", 0);
    pra_err("+1", "expected delta-seconds", 0);
    pra_err("(lunch) 120", "expected delta-seconds", 0);
    pra_err(";duration=1", "expected delta-seconds", 0);
    pra_err("\"120\"", "expected delta-seconds", 0);
    pra_err("Retry-After:", "expected delta-seconds", 12);
    pra_err("Retry-After: ", "expected delta-seconds", 13);
    pra_err("Retry-After:\r\n", "expected delta-seconds", 12);
    pra_err("Retry-After: abc", "expected delta-seconds", 13);
    pra_err("Retry-After", "expected ':' after the header name", 11);
    pra_err("Retry-After 120", "expected ':' after the header name", 12);
    pra_err("Retry-Afterx: 1", "expected ':' after the header name", 11);
    pra_err("Retry-After\r\n: 1", "expected ':' after the header name", 11);

    /* what may follow the number */
    pra_err("1.5", "expected comment or ';'", 1);
    pra_err("120 abc", "expected comment or ';'", 4);
    pra_err("120abc", "expected comment or ';'", 3);
    pra_err("120, 60", "expected comment or ';'", 3);
    pra_err("120 60", "expected comment or ';'", 4);
    pra_err("120 a)", "expected comment or ';'", 4);
    pra_err("120 (a))", "expected ';'", 7);
    pra_err("120 (a) x", "expected ';'", 8);
    pra_err("120 (a)(b)", "more than one comment", 7);
    pra_err("120 (a) ;x (b)", "more than one comment", 11);
    pra_err("120;x=1 (c)", "expected ';'", 8);
    pra_err("120;x y", "expected ';'", 6);
    pra_err("120 \"quoted\"", "expected comment or ';'", 4);

    /* line breaks must be folding */
    pra_err("120\r\n;a", "line break not followed by SP or HTAB", 3);
    pra_err("120\n", "line break not followed by SP or HTAB", 3);
    pra_err("120\r", "line break not followed by SP or HTAB", 3);
    pra_err("120\r\n\r\n", "line break not followed by SP or HTAB", 3);
    pra_err("120 (x)\r\nRetry-After: 1", "line break not followed by SP or HTAB", 7);

    /* the comment */
    pra_err("120 (a", "unterminated comment", 4);
    pra_err("120 (", "unterminated comment", 4);
    pra_err("120 (a (b)", "unterminated comment", 4);
    pra_err("120 (a \\)", "unterminated comment", 4);
    pra_err("120 (a\\", "unterminated comment", 4);
    pra_err("120 (a\x01)", "control character in comment", 6);
    pra_err("120 (a\x7f)", "control character in comment", 6);
    pra_err("120 (a\rb)", "CR or LF in comment", 6);
    pra_err("120 (a\nb)", "CR or LF in comment", 6);
    pra_err("120 (a\r\nb)", "CR or LF in comment", 6);
    pra_err("120 (a\\\r)", "invalid escape in comment", 6);
    pra_err("120 (a\\\n)", "invalid escape in comment", 6);
    pra_err("120 (a\\\xC3\xBC)", "invalid escape in comment", 6);
    pra_err("120 (a\xFF)", "invalid UTF-8 in comment", 6);
    pra_err("120 (\xC0\x80)", "invalid UTF-8 in comment", 5);
    pra_err("120 (a\xED\xA0\x80)", "invalid UTF-8 in comment", 6);
    pra_err("1 (((((((((x)))))))))", "comment nested more than 8 deep", 10);
    pra_err("1 (a(b(c(d(e(f(g(h(i)))))))))", "comment nested more than 8 deep", 18);
    /* a NUL is a control character, and does not end the input */
    CHECK_INT(pra_n("120 (a\0b)", 9), -1);
    CHECK_STR(err.msg, "control character in comment");
    CHECK_INT(err.pos, 6);

    /* parameters */
    pra_err("120;", "expected parameter name", 4);
    pra_err("120;;a", "expected parameter name", 4);
    pra_err("120;=1", "expected parameter name", 4);
    pra_err("120;(x)", "expected parameter name", 4);
    pra_err("120;x=", "expected parameter value", 6);
    pra_err("120;x=;y", "expected parameter value", 6);
    pra_err("120;x=<a>", "expected parameter value", 6);
    pra_err("120;x=\"open", "unterminated quoted string", 6);
    pra_err("120;x=\"a\r\nb\"", "CR or LF in quoted string", 8);
    pra_err("120;x=[zz]", "invalid IPv6 reference", 6);
    pra_err("120;duration", "duration without a value", 4);
    pra_err("120;duration;x", "duration without a value", 4);
    pra_err("120;duration=", "expected parameter value", 13);
    pra_err("120;duration=abc", "duration is not a number", 13);
    pra_err("120;duration=12a", "duration is not a number", 13);
    pra_err("120;duration=-1", "duration is not a number", 13);
    pra_err("120;duration=1.5", "duration is not a number", 13);
    pra_err("120;duration=\"60\"", "duration is not a number", 13);
    pra_err("120;duration=[::1]", "duration is not a number", 13);
    pra_err("120;duration = x1", "duration is not a number", 15);

    /* duplicates, compared without regard to case (§7.3.1) */
    pra_err("120;duration=1;duration=2", "duplicate parameter", 15);
    pra_err("120;duration=1;DURATION=1", "duplicate parameter", 15);
    pra_err("120;a;A=1", "duplicate parameter", 6);
    pra_err("120;foo=1;x;Foo", "duplicate parameter", 12);

    /* too many parameters */
    pra_err("1;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p;q", "more than 16 parameters", 34);
    pra_err("1;duration=1;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p", "more than 16 parameters", 43);

    /* length: 8192 bytes parse, one more is refused before a byte is read */
    {
        static char big[SIPCODES_MAX_LINE + 1];
        memset(big, '9', sizeof big);
        CHECK_INT(pra_n(big, SIPCODES_MAX_LINE), 0);
        CHECK_INT(ra.seconds, INT_MAX);
        CHECK_INT(pra_n(big, SIPCODES_MAX_LINE + 1), -1);
        CHECK_STR(err.msg, "input longer than 8192 bytes");
        CHECK_INT(err.pos, SIPCODES_MAX_LINE);
        CHECK_INT(sipcodes_parse_retry_after(NULL, (size_t)-1, &ra, &err), -1);
        CHECK_STR(err.msg, "input longer than 8192 bytes");
        /* a comment that takes all of it */
        memset(big, 'x', sizeof big);
        memcpy(big, "1 (", 3);
        big[SIPCODES_MAX_LINE - 1] = ')';
        CHECK_INT(pra_n(big, SIPCODES_MAX_LINE), 0);
        CHECK_INT(ra.comment.len, SIPCODES_MAX_LINE - 4);
        /* the same, cut short: no byte past the length is read */
        CHECK_INT(pra_n(big, SIPCODES_MAX_LINE - 1), -1);
        CHECK_STR(err.msg, "unterminated comment");
        CHECK_INT(err.pos, 2);
        /* and a parameter value that does */
        memset(big, 'v', sizeof big);
        memcpy(big, "1;a=", 4);
        CHECK_INT(pra_n(big, SIPCODES_MAX_LINE), 0);
        CHECK_INT(ra.nparams, 1);
        CHECK_INT(ra.params[0].value.len, SIPCODES_MAX_LINE - 4);
    }
}

static char raout[SIPCODES_MAX_LINE];
static size_t ralen;
static sipcodes_format_error raerr;

static sipcodes_retry_after newra(int seconds)
{
    sipcodes_retry_after v;
    memset(&v, 0, sizeof v);
    v.seconds = seconds;
    return v;
}

static void ra_comment(sipcodes_retry_after *v, const char *c)
{
    v->has_comment = 1;
    v->comment = sp(c);
}

static void ra_param(sipcodes_retry_after *v, const char *name, const char *value)
{
    sipcodes_param *p = &v->params[v->nparams++];
    p->name = sp(name);
    p->has_value = value != NULL;
    if (value)
        p->value = sp(value);
}

/* Format v; 1 if it gave exactly want. */
static int rafmt_is(const sipcodes_retry_after *v, const char *want)
{
    ralen = sipcodes_format_retry_after(v, raout, sizeof raout, &raerr);
    if (ralen == 0)
        fprintf(stderr, "  refused: %s\n", raerr.msg);
    return ralen == strlen(want) && memcmp(raout, want, ralen) == 0;
}

static int rafmt_fails(const sipcodes_retry_after *v, int field, const char *msg)
{
    memcpy(raout, "xyz", 3);
    ralen = sipcodes_format_retry_after(v, raout, sizeof raout, &raerr);
    return ralen == 0 && memcmp(raout, "xyz", 3) == 0 && raerr.field == field &&
           strcmp(raerr.msg, msg) == 0;
}

static void test_retry_after_format(void)
{
    sipcodes_retry_after v = newra(120);
    size_t i;

    CHECK(rafmt_is(&v, "120"));
    v.seconds = 0;
    CHECK(rafmt_is(&v, "0"));
    v.seconds = INT_MAX;
    CHECK(rafmt_is(&v, "2147483647"));

    v = newra(120);
    ra_comment(&v, "lunch");
    v.has_duration = 1;
    v.duration = 3600;
    CHECK(rafmt_is(&v, "120 (lunch);duration=3600"));
    v.duration = 0;
    CHECK(rafmt_is(&v, "120 (lunch);duration=0"));
    v.duration = INT_MAX;
    CHECK(rafmt_is(&v, "120 (lunch);duration=2147483647"));

    /* comments: parentheses bare when they balance, else all escaped */
    v = newra(5);
    ra_comment(&v, "");
    CHECK(rafmt_is(&v, "5 ()"));
    ra_comment(&v, "a (b (c)) d");
    CHECK(rafmt_is(&v, "5 (a (b (c)) d)"));
    ra_comment(&v, "a ( b");
    CHECK(rafmt_is(&v, "5 (a \\( b)"));
    ra_comment(&v, "x) (y");
    CHECK(rafmt_is(&v, "5 (x\\) \\(y)"));
    ra_comment(&v, "(a))");
    CHECK(rafmt_is(&v, "5 (\\(a\\)\\))"));
    ra_comment(&v, "back\\slash (ok)");
    CHECK(rafmt_is(&v, "5 (back\\\\slash (ok))"));
    ra_comment(&v, "\\(");
    CHECK(rafmt_is(&v, "5 (\\\\\\()"));
    ra_comment(&v, "(((((((x)))))))"); /* 7 inside the outer one: 8 */
    CHECK(rafmt_is(&v, "5 ((((((((x))))))))"));
    ra_comment(&v, "((((((((x))))))))"); /* 8 inside: 9, escaped */
    CHECK(rafmt_is(&v, "5 (\\(\\(\\(\\(\\(\\(\\(\\(x\\)\\)\\)\\)\\)\\)\\)\\))"));
    ra_comment(&v, "I'm \"here\" <sip:a@b>; 50% \t\xE2\x82\xAC");
    CHECK(rafmt_is(&v, "5 (I'm \"here\" <sip:a@b>; 50% \t\xE2\x82\xAC)"));
    ra_comment(&v, "  padded  ");
    CHECK(rafmt_is(&v, "5 (  padded  )"));

    /* params sorted by name (bytes, prefix first), bare where they can be */
    v = newra(60);
    v.has_duration = 1;
    v.duration = 5;
    ra_param(&v, "zeta", "1");
    ra_param(&v, "a", NULL);
    ra_param(&v, "ab", "two words");
    ra_param(&v, "B", "[2001:db8::1]");
    ra_param(&v, "aa", "host.example.com");
    ra_param(&v, "q", "say \"hi\"");
    CHECK(rafmt_is(&v, "60;duration=5;B=[2001:db8::1];a;aa=host.example.com;"
                       "ab=\"two words\";q=\"say \\\"hi\\\"\";zeta=1"));
    ra_comment(&v, "c");
    CHECK(rafmt_is(&v, "60 (c);duration=5;B=[2001:db8::1];a;aa=host.example.com;"
                       "ab=\"two words\";q=\"say \\\"hi\\\"\";zeta=1"));
    v = newra(1);
    ra_param(&v, "e", "");
    CHECK(rafmt_is(&v, "1;e=\"\""));

    /* refusals: which field, which message, nothing written */
    v = newra(-1);
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_SECONDS, "seconds must be a non-negative integer"));
    v = newra(1);
    v.has_duration = 1;
    v.duration = -1;
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_DURATION, "duration must be a non-negative integer"));
    v = newra(1);
    ra_comment(&v, "a\r\nX: y");
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_COMMENT, "CR or LF in comment"));
    CHECK_INT(raerr.pos, 1);
    ra_comment(&v, "ab\n");
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_COMMENT, "CR or LF in comment"));
    CHECK_INT(raerr.pos, 2);
    ra_comment(&v, "a\x01");
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_COMMENT, "control character in comment"));
    v.comment.ptr = "a\0";
    v.comment.len = 2;
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_COMMENT, "control character in comment"));
    CHECK_INT(raerr.pos, 1);
    ra_comment(&v, "\x7f");
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_COMMENT, "control character in comment"));
    ra_comment(&v, "\xC3");
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_COMMENT, "invalid UTF-8 in comment"));
    CHECK_INT(raerr.pos, 0);
    v = newra(1);
    ra_param(&v, "ok", "1");
    ra_param(&v, "bad name", "1");
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "name is not a token"));
    CHECK_INT(raerr.param, 1);
    v = newra(1);
    ra_param(&v, "", "1");
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "name is not a token"));
    v = newra(1);
    ra_param(&v, "Duration", "1");
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "must be given as the duration"));
    v = newra(1);
    ra_param(&v, "a", "1");
    ra_param(&v, "_", "1");
    ra_param(&v, "A", "2");
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "repeats an earlier name (names ignore case)"));
    CHECK_INT(raerr.param, 0); /* sorted "A" "_" "a": the third is the repeat */
    v = newra(1);
    ra_param(&v, "p", "line\nbreak");
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_PARAM_VALUE, "CR or LF in quoted text"));
    CHECK_INT(raerr.pos, 4);
    v = newra(1);
    for (i = 0; i < SIPCODES_RETRY_AFTER_MAX_PARAMS; i++)
        ra_param(&v, "p", NULL);
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_PARAM_NAME, "repeats an earlier name (names ignore case)"));
    v.has_duration = 1;
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_VALUE, "more than 16 parameters"));
    v.nparams = 1000; /* a count beyond the array: params is not read */
    v.has_duration = 0;
    CHECK(rafmt_fails(&v, SIPCODES_FIELD_VALUE, "more than 16 parameters"));

    /* 16 distinct parameters are fine, and so are 15 with the duration */
    {
        static const char names[] = "abcdefghijklmnop";
        static char one[16][2];
        v = newra(1);
        for (i = 0; i < 16; i++) {
            one[i][0] = names[i];
            v.params[i].name.ptr = one[i];
            v.params[i].name.len = 1;
        }
        v.nparams = 16;
        CHECK(rafmt_is(&v, "1;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p"));
        v.nparams = 15;
        v.has_duration = 1;
        v.duration = 2;
        CHECK(rafmt_is(&v, "1;duration=2;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o"));
    }

    /* the limit on the whole value, escapes counted */
    {
        static char big[SIPCODES_MAX_LINE + 100];
        memset(big, 'x', sizeof big);
        v = newra(1);
        v.has_comment = 1;
        v.comment.ptr = big;
        v.comment.len = SIPCODES_MAX_LINE - 4; /* 1 (...) is exactly the limit */
        ralen = sipcodes_format_retry_after(&v, raout, sizeof raout, &raerr);
        CHECK_INT(ralen, SIPCODES_MAX_LINE);
        CHECK_INT(pra_n(raout, ralen), 0);
        CHECK_INT(ra.comment.len, SIPCODES_MAX_LINE - 4);
        v.comment.len++;
        CHECK(rafmt_fails(&v, SIPCODES_FIELD_HEADER, "retry-after value longer than 8192 bytes"));
        v.comment.len = sizeof big; /* longer than any value: too long, not bad text */
        CHECK(rafmt_fails(&v, SIPCODES_FIELD_HEADER, "retry-after value longer than 8192 bytes"));
        memset(big, '\\', sizeof big);
        v.comment.len = (SIPCODES_MAX_LINE - 4) / 2;
        ralen = sipcodes_format_retry_after(&v, raout, sizeof raout, &raerr);
        CHECK_INT(ralen, SIPCODES_MAX_LINE);
        v.comment.len++;
        CHECK(rafmt_fails(&v, SIPCODES_FIELD_HEADER, "retry-after value longer than 8192 bytes"));
        memset(big, 'v', sizeof big);
        v = newra(1);
        ra_param(&v, "a", NULL);
        v.params[0].value.ptr = big;
        v.params[0].value.len = SIPCODES_MAX_LINE - 4; /* 1;a=... */
        v.params[0].has_value = 1;
        ralen = sipcodes_format_retry_after(&v, raout, sizeof raout, &raerr);
        CHECK_INT(ralen, SIPCODES_MAX_LINE);
        v.params[0].value.len++;
        CHECK(rafmt_fails(&v, SIPCODES_FIELD_HEADER, "retry-after value longer than 8192 bytes"));
        v.params[0].value.len = sizeof big;
        CHECK(rafmt_fails(&v, SIPCODES_FIELD_HEADER, "retry-after value longer than 8192 bytes"));
    }

    /* the caller's buffer bounds the output */
    {
        char small[4];
        v = newra(120);
        CHECK_INT(sipcodes_format_retry_after(&v, small, 3, &raerr), 3);
        CHECK(memcmp(small, "120", 3) == 0);
        memcpy(small, "abcd", 4);
        CHECK_INT(sipcodes_format_retry_after(&v, small, 2, &raerr), 0);
        CHECK_STR(raerr.msg, "output buffer too small");
        CHECK(memcmp(small, "abcd", 4) == 0);
    }
}

/* What the parser gives (escapes undone) formats to a value that parses
 * to the same fields, and formatting that again gives the same bytes. */
static void test_retry_after_round_trip(void)
{
    static const char *const values[] = {
        "120",
        "Retry-After: 120 (lunch);duration=3600\r\n",
        "18000;duration=3600",
        "120 (a (b) c)",
        "120 (a \\( b)",
        "120 (x \\\\ y \\) (z))",
        "120 ( spaced\r\n out )",
        "1 ((((((((x))))))))",
        "99999999999;duration=99999999999",
        "60 ; zz = 1 ; a ; Mid = \"q \\\"u\\\" o\" ; v6=[::1] ; h=gw.example.com",
        "0 (\xE2\x82\xAC\t\"x\");DURATION=05",
    };
    size_t h;

    for (h = 0; h < sizeof values / sizeof values[0]; h++) {
        static char text[SIPCODES_RETRY_AFTER_MAX_PARAMS + 1][SIPCODES_MAX_LINE];
        static char first[SIPCODES_MAX_LINE];
        sipcodes_retry_after v, w;
        size_t n, m, i;

        CHECK_INT(pra(values[h]), 0);
        v = ra;
        if (v.has_comment) {
            v.comment.len = sipcodes_unquote(v.comment.ptr, v.comment.len, text[0]);
            v.comment.ptr = text[0];
        }
        for (i = 0; i < v.nparams; i++)
            if (v.params[i].quoted) {
                v.params[i].value.len = sipcodes_unquote(v.params[i].value.ptr,
                                                         v.params[i].value.len, text[i + 1]);
                v.params[i].value.ptr = text[i + 1];
            }
        n = sipcodes_format_retry_after(&v, first, sizeof first, &raerr);
        CHECK(n > 0);
        CHECK_INT(pra_n(first, n), 0);
        w = ra;
        CHECK_INT(w.seconds, v.seconds);
        CHECK_INT(w.has_comment, v.has_comment);
        CHECK_INT(w.has_duration, v.has_duration);
        CHECK(!w.has_duration || w.duration == v.duration);
        CHECK_INT(w.nparams, v.nparams);
        if (w.has_comment) {
            static char back[SIPCODES_MAX_LINE];
            m = sipcodes_unquote(w.comment.ptr, w.comment.len, back);
            CHECK(m == v.comment.len && memcmp(back, v.comment.ptr, m) == 0);
            w.comment.ptr = back;
            w.comment.len = m;
        }
        for (i = 0; i < w.nparams; i++)
            if (w.params[i].quoted) {
                static char pv[SIPCODES_RETRY_AFTER_MAX_PARAMS][SIPCODES_MAX_LINE];
                w.params[i].value.len = sipcodes_unquote(w.params[i].value.ptr,
                                                         w.params[i].value.len, pv[i]);
                w.params[i].value.ptr = pv[i];
            }
        m = sipcodes_format_retry_after(&w, raout, sizeof raout, &raerr);
        CHECK(m == n && memcmp(raout, first, n) == 0);
    }
    /* the values of two of them, literally */
    CHECK_INT(pra("1 ((((((((x))))))))"), 0);
    CHECK(rafmt_is(&ra, "1 ((((((((x))))))))"));
    CHECK_INT(pra("99999999999;duration=99999999999"), 0);
    CHECK(rafmt_is(&ra, "2147483647;duration=2147483647"));
}

/* A few thousand random inputs: no crash, no read past the end (under the
 * sanitizers), and spans inside the input. */
static void test_random_inputs(void)
{
    static const char alphabet[] = "SIP/2.0 486;=,\"\\\r\n\t:%aQ[]\x80\xC3\xBC\xFF\x01";
    unsigned long seed = 12345;
    int round;

    for (round = 0; round < 4000; round++) {
        char buf[40];
        size_t len, i;
        sipcodes_reason_iter it;
        sipcodes_reason_value v;
        int r, guard = 0;

        seed = seed * 1103515245UL + 12345UL;
        len = (seed >> 16) % sizeof buf;
        for (i = 0; i < len; i++) {
            seed = seed * 1103515245UL + 12345UL;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        if (round % 3 == 0 && len >= 12)
            memcpy(buf, "SIP/2.0 486 ", 12);
        r = psl_n(buf, len, round & 1 ? SIPCODES_LENIENT : 0);
        CHECK(r == 0 || r == -1);
        {
            char *copy = exact(buf, len);
            if (sipcodes_reason_init(&it, copy, len, &err) == 0) {
                while ((r = sipcodes_reason_next(&it, &v, &err)) == 1 && guard++ < 64) {
                    size_t k;
                    CHECK(v.protocol.ptr >= copy && v.protocol.ptr + v.protocol.len <= copy + len);
                    for (k = 0; k < v.nparams; k++)
                        CHECK(v.params[k].name.ptr + v.params[k].name.len <= copy + len);
                }
                CHECK(guard < 64);
                if (r == -1)
                    CHECK(err.pos <= len);
            }
            free(copy);
        }
    }
}

/* The same for Retry-After, with the bytes its grammar cares about. */
static void test_retry_after_random(void)
{
    static const char alphabet[] = "Retry-Aft: 120();=,\"\\\r\n\t[]:duration\x80\xC3\xBC\xFF\x01";
    unsigned long seed = 54321;
    int round;

    for (round = 0; round < 4000; round++) {
        char buf[40];
        size_t len, i;
        int r;

        seed = seed * 1103515245UL + 12345UL;
        len = (seed >> 16) % sizeof buf;
        for (i = 0; i < len; i++) {
            seed = seed * 1103515245UL + 12345UL;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        if (round % 3 == 0 && len >= 4)
            memcpy(buf, "12 (", 4);
        r = pra_n(buf, len);
        CHECK(r == 0 || r == -1);
        if (r == 0) {
            /* It parsed: it formats, unless a quoted-pair let a control in. */
            char out[SIPCODES_MAX_LINE];
            CHECK(ra.seconds >= 0 && (!ra.has_duration || ra.duration >= 0));
            if (sipcodes_format_retry_after(&ra, out, sizeof out, &raerr) == 0)
                CHECK(raerr.field == SIPCODES_FIELD_COMMENT ||
                      raerr.field == SIPCODES_FIELD_PARAM_VALUE);
        }
    }
}

/* ---- Warning header ------------------------------------------------------ */

/* The registry, typed once more from IANA's table: code, English text as
 * registered, our German text, RFC, group, automatic. */
static void test_warn_registry(void)
{
    static const struct {
        int code;
        const char *en, *de, *rfc, *group;
        int automatic;
    } want[] = {
        {300, "Incompatible network protocol", "Inkompatibles Netzwerkprotokoll",
         "RFC 3261", "session_description", 1},
        {301, "Incompatible network address formats", "Inkompatible Netzwerkadressformate",
         "RFC 3261", "session_description", 1},
        {302, "Incompatible transport protocol", "Inkompatibles Transportprotokoll",
         "RFC 3261", "session_description", 1},
        {303, "Incompatible bandwidth units", "Inkompatible Bandbreiteneinheiten",
         "RFC 3261", "session_description", 1},
        {304, "Media type not available", "Medientyp nicht verf\xC3\xBCgbar",
         "RFC 3261", "session_description", 1},
        {305, "Incompatible media format", "Inkompatibles Medienformat",
         "RFC 3261", "session_description", 1},
        {306, "Attribute not understood", "Attribut nicht verstanden",
         "RFC 3261", "session_description", 1},
        {307, "Session description parameter not understood",
         "Parameter der Sitzungsbeschreibung nicht verstanden",
         "RFC 3261", "session_description", 1},
        {308, "Incompatible language specification", "Inkompatible Sprachangabe",
         "RFC 8373", "session_description", 1},
        {330, "Multicast not available", "Multicast nicht verf\xC3\xBCgbar",
         "RFC 3261", "network_services", 1},
        {331, "Unicast not available", "Unicast nicht verf\xC3\xBCgbar",
         "RFC 3261", "network_services", 1},
        {370, "Insufficient bandwidth", "Unzureichende Bandbreite",
         "RFC 3261", "quality_of_service", 1},
        {380, "SIPS Not Allowed", "SIPS nicht erlaubt", "RFC 5630", "miscellaneous", 1},
        {381, "SIPS Required", "SIPS erforderlich", "RFC 5630", "miscellaneous", 1},
        {399, "Miscellaneous warning", "Sonstige Warnung", "RFC 3261", "miscellaneous", 0},
    };
    static const int unregistered[] = {
        INT_MIN, -1, 0, 1, 99, 100, 199, 214, 299, 309, 329, 332, 350, 369, 371, 379,
        382, 390, 392, 398, 400, 486, 999, 1000, 3000, INT_MAX
    };
    size_t i, n = sizeof want / sizeof want[0];

    CHECK_INT(sipcodes_warn_count(), n);
    CHECK(sipcodes_warn_at(n) == NULL);
    CHECK(sipcodes_warn_at((size_t)-1) == NULL);
    for (i = 0; i < n; i++) {
        const sipcodes_warn_code *w = sipcodes_warn_at(i);
        CHECK(w != NULL);
        if (!w)
            continue;
        CHECK(sipcodes_warn_lookup(want[i].code) == w);
        CHECK_INT(w->code, want[i].code);
        CHECK_STR(w->text[SIPCODES_LANG_EN], want[i].en);
        CHECK_STR(w->text[SIPCODES_LANG_DE], want[i].de);
        CHECK_STR(w->rfc, want[i].rfc);
        CHECK_STR(w->group, want[i].group);
        CHECK_INT(w->automatic, want[i].automatic);
        CHECK_STR(sipcodes_warn_text(want[i].code, SIPCODES_LANG_EN), want[i].en);
        CHECK_STR(sipcodes_warn_text(want[i].code, SIPCODES_LANG_DE), want[i].de);
        CHECK(sipcodes_warn_text(want[i].code, SIPCODES_NLANGS) == NULL);
        CHECK(sipcodes_warn_text(want[i].code, (sipcodes_lang)-1) == NULL);
        /* every string leaves room for its NUL */
        CHECK(strlen(w->text[0]) < sizeof w->text[0] && strlen(w->text[1]) < sizeof w->text[1]);
        CHECK(strlen(w->rfc) < sizeof w->rfc && strlen(w->group) < sizeof w->group);
        if (i > 0)
            CHECK(sipcodes_warn_at(i - 1)->code < w->code);
    }
    for (i = 0; i < sizeof unregistered / sizeof unregistered[0]; i++) {
        CHECK(sipcodes_warn_lookup(unregistered[i]) == NULL);
        CHECK(sipcodes_warn_text(unregistered[i], SIPCODES_LANG_EN) == NULL);
    }
}

/* The values of the last parse, their spans pointing into a copy that
 * outlives the input's buffer. */
#define PW_MAX 64
static sipcodes_warning_value pwv[PW_MAX];
static char pw_copy[SIPCODES_MAX_LINE];

/* Parse s[0..len) from a buffer of its exact size: the number of values,
 * or -1 with err. */
static int pw_n(const char *s, size_t len)
{
    char *buf = exact(s, len);
    sipcodes_warning_iter it;
    sipcodes_warning_value v;
    int r, n = 0;

    r = sipcodes_warning_init(&it, buf, len, &err);
    while (r == 0 && (r = sipcodes_warning_next(&it, &v, &err)) == 1) {
        CHECK(v.code >= 0 && v.code <= 999);
        CHECK(v.agent.ptr >= buf && v.agent.ptr + v.agent.len <= buf + len);
        CHECK(v.text.ptr > buf && v.text.ptr + v.text.len < buf + len);
        CHECK(v.text.ptr[-1] == '"' && v.text.ptr[v.text.len] == '"');
        CHECK(sipcodes_is_warn_agent(v.agent.ptr, v.agent.len));
        if (n < PW_MAX) {
            v.agent.ptr = pw_copy + (v.agent.ptr - buf);
            v.text.ptr = pw_copy + (v.text.ptr - buf);
            pwv[n] = v;
        }
        n++;
        r = 0;
    }
    if (r == 0) {
        /* the end stays the end */
        CHECK_INT(sipcodes_warning_next(&it, &v, &err), 0);
        CHECK(len <= SIPCODES_MAX_LINE);
        memcpy(pw_copy, buf, len);
    } else {
        CHECK(err.msg != NULL);
        CHECK(err.pos <= (len > SIPCODES_MAX_LINE ? SIPCODES_MAX_LINE : len));
        n = -1;
    }
    free(buf);
    return n;
}

static int pw(const char *s)
{
    return pw_n(s, strlen(s));
}

static void pw_err(const char *s, const char *msg, size_t pos)
{
    if (pw(s) != -1) {
        CHECK(!"expected a Warning parse error");
        fprintf(stderr, "  input: %s\n", s);
        return;
    }
    CHECK_STR(err.msg, msg);
    CHECK_INT(err.pos, pos);
}

/* Value i of the last parse is code, agent and (escapes undone) text. */
static int pw_is(int i, int code, const char *agent, const char *text)
{
    return pwv[i].code == code && span_is(pwv[i].agent, agent) && unquoted_is(pwv[i].text, text);
}

static void test_warning_accepts(void)
{
    /* RFC 3261 §20.43's examples: a value, a whole line */
    CHECK_INT(pw("307 isi.edu \"Session parameter 'foo' not understood\""), 1);
    CHECK(pw_is(0, 307, "isi.edu", "Session parameter 'foo' not understood"));
    CHECK_INT(pw("Warning: 301 isi.edu \"Incompatible network address type 'E.164'\""), 1);
    CHECK(pw_is(0, 301, "isi.edu", "Incompatible network address type 'E.164'"));

    /* the name in any case, HCOLON with white space, a final CRLF */
    CHECK_INT(pw("warning:399 gw \"x\"\r\n"), 1);
    CHECK(pw_is(0, 399, "gw", "x"));
    CHECK_INT(pw("WARNING \t:\t 370 gw \"x\""), 1);
    CHECK(pw_is(0, 370, "gw", "x"));
    CHECK_INT(pw("  370 gw \"x\"  "), 1);

    /* several values; commas inside the text are text */
    CHECK_INT(pw("300 a \"one, two\", 301 b \"three\" ,302 c \"\",303 d \"x\""), 4);
    CHECK(pw_is(0, 300, "a", "one, two"));
    CHECK(pw_is(1, 301, "b", "three"));
    CHECK(pw_is(2, 302, "c", ""));
    CHECK(pw_is(3, 303, "d", "x"));

    /* any three digits: registered or not, leading zeros kept as digits */
    CHECK_INT(pw("392 10.0.0.1:5060 \"Noisy feedback tells: pid=7 req_src_ip=10.0.0.2\""), 1);
    CHECK(pw_is(0, 392, "10.0.0.1:5060", "Noisy feedback tells: pid=7 req_src_ip=10.0.0.2"));
    CHECK_INT(pw("000 a \"x\", 042 b \"y\", 999 c \"z\""), 3);
    CHECK_INT(pwv[0].code, 0);
    CHECK_INT(pwv[1].code, 42);
    CHECK_INT(pwv[2].code, 999);

    /* agents: host names, with a final dot, IPv4, IPv6, with ports, tokens */
    CHECK_INT(pw("399 gw.example.com:5070 \"x\""), 1);
    CHECK(span_is(pwv[0].agent, "gw.example.com:5070"));
    CHECK_INT(pw("399 example.com.:5060 \"x\""), 1);
    CHECK(span_is(pwv[0].agent, "example.com.:5060"));
    CHECK_INT(pw("399 [::1]:5060 \"x\""), 1);
    CHECK(span_is(pwv[0].agent, "[::1]:5060"));
    CHECK_INT(pw("399 [2001:db8::10] \"x\""), 1);
    CHECK(span_is(pwv[0].agent, "[2001:db8::10]"));
    CHECK_INT(pw("399 [::ffff:192.0.2.1]:5 \"x\""), 1);
    CHECK_INT(pw("399 192.0.2.1 \"x\""), 1);
    CHECK_INT(pw("399 192.0.2.1:5060 \"x\""), 1);
    CHECK_INT(pw("399 a-1.b2:0 \"x\""), 1);
    CHECK_INT(pw("399 x:99999999999999999999 \"x\""), 1); /* port = 1*DIGIT */
    CHECK_INT(pw("399 proxy_7!%*+`'~ \"x\""), 1);          /* a pseudonym */
    CHECK(span_is(pwv[0].agent, "proxy_7!%*+`'~"));
    CHECK_INT(pw("399 -x- \"x\""), 1); /* no host, but a token */

    /* the text: escapes, UTF-8, HTAB, folding, an escaped control */
    CHECK_INT(pw("399 a \"say \\\"hi\\\" \\\\ \\x\""), 1);
    CHECK(pw_is(0, 399, "a", "say \"hi\" \\ x"));
    CHECK_INT(pw("399 a \"Gr\xC3\xBC\xC3\x9F\te \xE2\x82\xAC <sip:a@b>;,=()\""), 1);
    CHECK(pw_is(0, 399, "a", "Gr\xC3\xBC\xC3\x9F\te \xE2\x82\xAC <sip:a@b>;,=()"));
    CHECK_INT(pw("399 a \"one\r\n  two\""), 1);
    CHECK(pw_is(0, 399, "a", "one two"));
    CHECK_INT(pw("399 a \"a\\\x01" "b\""), 1);
    CHECK(pw_is(0, 399, "a", "a\x01" "b"));

    /* linear white space where the grammar has SP, and around commas */
    CHECK_INT(pw("Warning:\r\n 399\t\t a  \r\n \"x\"\r\n ,\r\n 300 \r\n\tb \"y\"\r\n"), 2);
    CHECK(pw_is(0, 399, "a", "x"));
    CHECK(pw_is(1, 300, "b", "y"));

    /* the limit: 8192 bytes parse, a text that takes nearly all of them */
    {
        static char big[SIPCODES_MAX_LINE];
        size_t k;
        memset(big, 'x', sizeof big);
        memcpy(big, "399 a \"", 7);
        big[SIPCODES_MAX_LINE - 1] = '"';
        CHECK_INT(pw_n(big, SIPCODES_MAX_LINE), 1);
        CHECK_INT(pwv[0].text.len, SIPCODES_MAX_LINE - 8);
        /* and 819 short values, 10 bytes each but the last */
        for (k = 0; k + 10 <= SIPCODES_MAX_LINE; k += 10)
            memcpy(big + k, "300 a \"\", ", 10);
        CHECK_INT(pw_n(big, k - 2), 819);
    }
}

static void test_warning_rejects(void)
{
    /* the name */
    pw_err("Warning", "expected ':' after the header name", 7);
    pw_err("Warning 399 a \"x\"", "expected ':' after the header name", 8);
    pw_err("Warnings: 399 a \"x\"", "expected ':' after the header name", 7);
    pw_err("Warning\r\n: 399 a \"x\"", "expected ':' after the header name", 7);
    pw_err("Reason: 399 a \"x\"", "expected 3-digit warn-code", 0);

    /* warn-code = 3DIGIT */
    pw_err("", "expected 3-digit warn-code", 0);
    pw_err("   ", "expected 3-digit warn-code", 3);
    pw_err("Warning:", "expected 3-digit warn-code", 8);
    pw_err("Warning: ", "expected 3-digit warn-code", 9);
    pw_err("Warning:\r\n", "expected 3-digit warn-code", 8);
    pw_err("39 a \"x\"", "expected 3-digit warn-code", 2);
    pw_err("3x9 a \"x\"", "expected 3-digit warn-code", 1);
    pw_err("-99 a \"x\"", "expected 3-digit warn-code", 0);
    pw_err("\"x\"", "expected 3-digit warn-code", 0);
    pw_err("3999 a \"x\"", "expected SP after warn-code", 3);
    pw_err("399", "expected SP after warn-code", 3);
    pw_err("399a \"x\"", "expected SP after warn-code", 3);
    pw_err("399\r\na \"x\"", "expected SP after warn-code", 3);

    /* warn-agent */
    pw_err("399 ", "expected warn-agent", 4);
    pw_err("399  \"x\"", "expected warn-agent", 5);
    pw_err("399 <a> \"x\"", "expected warn-agent", 4);
    pw_err("399 :5060 \"x\"", "expected warn-agent", 4);
    pw_err("399 [zz] \"x\"", "invalid IPv6 reference in warn-agent", 4);
    pw_err("399 [::1 \"x\"", "invalid IPv6 reference in warn-agent", 4);
    pw_err("399 [] \"x\"", "invalid IPv6 reference in warn-agent", 4);
    pw_err("399 gw_1:5060 \"x\"", "warn-agent with a port is not a host name or IP address", 4);
    pw_err("399 -gw:5060 \"x\"", "warn-agent with a port is not a host name or IP address", 4);
    pw_err("399 gw-:5060 \"x\"", "warn-agent with a port is not a host name or IP address", 4);
    pw_err("399 a..b:5060 \"x\"", "warn-agent with a port is not a host name or IP address", 4);
    pw_err("399 a.1:5060 \"x\"", "warn-agent with a port is not a host name or IP address", 4);
    pw_err("399 1.2.3:5060 \"x\"", "warn-agent with a port is not a host name or IP address", 4);
    pw_err("399 1.2.3.4.5:5060 \"x\"", "warn-agent with a port is not a host name or IP address", 4);
    pw_err("399 1234.2.3.4:5060 \"x\"", "warn-agent with a port is not a host name or IP address", 4);
    pw_err("399 a..:5060 \"x\"", "warn-agent with a port is not a host name or IP address", 4);
    pw_err("399 gw: \"x\"", "expected port after ':' in warn-agent", 7);
    pw_err("399 gw:x \"x\"", "expected port after ':' in warn-agent", 7);
    pw_err("399 [::1]: \"x\"", "expected port after ':' in warn-agent", 10);
    pw_err("399 gw:50:60 \"x\"", "expected SP after warn-agent", 9);
    pw_err("399 gw\"x\"", "expected SP after warn-agent", 6);
    pw_err("399 gw/x \"x\"", "expected SP after warn-agent", 6);
    pw_err("399 [::1]x \"x\"", "expected SP after warn-agent", 9);
    pw_err("399 gw", "expected SP after warn-agent", 6);
    pw_err("399 gw\r\n\"x\"", "expected SP after warn-agent", 6);

    /* warn-text = quoted-string */
    pw_err("399 gw ", "expected quoted warn-text", 7);
    pw_err("399 gw x", "expected quoted warn-text", 7);
    pw_err("399 gw 'x'", "expected quoted warn-text", 7);
    pw_err("399 gw \"x", "unterminated quoted string", 7);
    pw_err("399 gw \"x\\\"", "unterminated quoted string", 7);
    pw_err("399 gw \"x\\", "unterminated quoted string", 7);
    pw_err("399 gw \"a\x01\"", "control character in quoted string", 9);
    pw_err("399 gw \"a\x7f\"", "control character in quoted string", 9);
    pw_err("399 gw \"a\nb\"", "CR or LF in quoted string", 9);
    pw_err("399 gw \"a\r\nb\"", "CR or LF in quoted string", 9);
    pw_err("399 gw \"a\\\r\"", "invalid escape in quoted string", 9);
    pw_err("399 gw \"a\\\xC3\xBC\"", "invalid escape in quoted string", 9);
    pw_err("399 gw \"a\xFF\"", "invalid UTF-8 in quoted string", 9);
    pw_err("399 gw \"\xC0\x80\"", "invalid UTF-8 in quoted string", 8);
    pw_err("399 gw \"\xED\xA0\x80\"", "invalid UTF-8 in quoted string", 8);
    CHECK_INT(pw_n("399 gw \"a\0b\"", 12), -1);
    CHECK_STR(err.msg, "control character in quoted string");
    CHECK_INT(err.pos, 9);

    /* what may follow a value */
    pw_err("399 gw \"x\" y", "expected ','", 11);
    pw_err("399 gw \"x\"\"y\"", "expected ','", 10);
    pw_err("399 gw \"x\";p=1", "expected ','", 10);
    pw_err("399 gw \"x\" 300 a \"y\"", "expected ','", 11);
    CHECK_INT(pw_n("399 gw \"x\"\0", 11), -1);
    CHECK_STR(err.msg, "expected ','");
    CHECK_INT(err.pos, 10);
    pw_err("399 gw \"x\"\r\n300 a \"y\"", "line break not followed by SP or HTAB", 10);
    pw_err("399 gw \"x\"\n", "line break not followed by SP or HTAB", 10);
    pw_err("399 gw \"x\"\r", "line break not followed by SP or HTAB", 10);
    pw_err("399 gw \"x\"\r\n\r\n", "line break not followed by SP or HTAB", 10);

    /* empty elements and a comma at either end */
    pw_err("399 gw \"x\",", "expected 3-digit warn-code", 11);
    pw_err("399 gw \"x\", ", "expected 3-digit warn-code", 12);
    pw_err("399 gw \"x\",,300 a \"y\"", "expected 3-digit warn-code", 11);
    pw_err("399 gw \"x\", , 300 a \"y\"", "expected 3-digit warn-code", 12);
    pw_err(", 399 gw \"x\"", "expected 3-digit warn-code", 0);
    /* the error of a later value, after good ones */
    pw_err("300 a \"x\", 301 b \"y\", 30 c \"z\"", "expected 3-digit warn-code", 24);

    /* length: 8192 bytes parse, one more is refused before a byte is read */
    {
        static char big[SIPCODES_MAX_LINE + 1];
        sipcodes_warning_iter it;
        sipcodes_warning_value v;
        memset(big, 'x', sizeof big);
        memcpy(big, "399 a \"", 7);
        big[SIPCODES_MAX_LINE] = '"';
        CHECK_INT(pw_n(big, SIPCODES_MAX_LINE + 1), -1);
        CHECK_STR(err.msg, "input longer than 8192 bytes");
        CHECK_INT(err.pos, SIPCODES_MAX_LINE);
        CHECK_INT(sipcodes_warning_init(&it, NULL, (size_t)-1, &err), -1);
        CHECK_STR(err.msg, "input longer than 8192 bytes");
        CHECK_INT(sipcodes_warning_next(&it, &v, &err), 0); /* nothing to read */
        /* the same, cut short: no byte past the length is read */
        CHECK_INT(pw_n(big, SIPCODES_MAX_LINE - 1), -1);
        CHECK_STR(err.msg, "unterminated quoted string");
        CHECK_INT(err.pos, 6);
    }
}

static void test_warn_agent(void)
{
    static const char *const good[] = {
        "a", "gw", "isi.edu", "gw.example.com", "example.com.", "gw.example.com:5070",
        "example.com.:5060", "a-1.b2:0", "x:1", "192.0.2.1", "192.0.2.1:5060",
        "999.999.999.999:1", "[::1]", "[::1]:5060", "[2001:db8::10]:65535",
        "[::ffff:192.0.2.1]", "proxy_7", "-x-", "a..b", "%!*+`'~_.", "1.2.3",
    };
    static const char *const bad[] = {
        "", " a", "a ", "a b", "gw_1:5060", "-gw:1", "gw-:1", "a..b:1", "a.1:1",
        "1.2.3:1", "1.2.3.4.5:1", "1234.2.3.4:1", ".a:1", "a:", "a:x", "a:1:2",
        "[::1]:", "[::1]x", "[zz]", "[]", "[::1", "\"a\"", "a,b", "a;b", "a/b",
        "<a>", "a\r\n", "a\x80", "@", ":",
    };
    size_t i;

    for (i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(sipcodes_is_warn_agent(good[i], strlen(good[i])));
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!sipcodes_is_warn_agent(bad[i], strlen(bad[i])));
    /* the length is the string: no NUL needed, none read past */
    {
        char *buf = exact("gw.example.com:5060", 19);
        CHECK(sipcodes_is_warn_agent(buf, 19));
        CHECK(sipcodes_is_warn_agent(buf, 14));  /* "gw.example.com" */
        CHECK(!sipcodes_is_warn_agent(buf, 15)); /* "gw.example.com:" */
        free(buf);
    }
}

static char wout[SIPCODES_MAX_LINE];
static size_t wlen;
static sipcodes_format_error werr;

static sipcodes_warning_value newwarn(int code, const char *agent, const char *text)
{
    sipcodes_warning_value v;

    v.code = code;
    v.agent = sp(agent);
    v.text = sp(text);
    return v;
}

/* Append v to what wout holds (wlen bytes); 1 if wout then is want. */
static int wfmt_is(const sipcodes_warning_value *v, const char *want)
{
    if (sipcodes_warning_append(wout, &wlen, v, &werr) != 0) {
        fprintf(stderr, "  refused: %s\n", werr.msg);
        return 0;
    }
    return wlen == strlen(want) && memcmp(wout, want, wlen) == 0;
}

static int wfmt_fails(const sipcodes_warning_value *v, int field, const char *msg)
{
    size_t before;

    wlen = before = 3;
    memcpy(wout, "xyz", 3);
    if (sipcodes_warning_append(wout, &wlen, v, &werr) != -1)
        return 0;
    return wlen == before && memcmp(wout, "xyz", 3) == 0 && werr.field == field &&
           strcmp(werr.msg, msg) == 0;
}

static void test_warning_format(void)
{
    sipcodes_warning_value v = newwarn(370, "gw.example.com:5060", "Insufficient bandwidth");
    static char big[SIPCODES_MAX_LINE + 2];

    wlen = 0;
    CHECK(wfmt_is(&v, "370 gw.example.com:5060 \"Insufficient bandwidth\""));
    v = newwarn(399, "[::1]:5060", "say \"hi\" \\ bye");
    CHECK(wfmt_is(&v, "370 gw.example.com:5060 \"Insufficient bandwidth\", "
                      "399 [::1]:5060 \"say \\\"hi\\\" \\\\ bye\""));
    /* three digits, whatever the code */
    wlen = 0;
    v = newwarn(0, "a", "");
    CHECK(wfmt_is(&v, "000 a \"\""));
    wlen = 0;
    v = newwarn(42, "a", "x");
    CHECK(wfmt_is(&v, "042 a \"x\""));
    wlen = 0;
    v = newwarn(999, "192.0.2.1", "\t\xE2\x82\xAC ,;()");
    CHECK(wfmt_is(&v, "999 192.0.2.1 \"\t\xE2\x82\xAC ,;()\""));

    /* refused, out left as it was */
    v = newwarn(-1, "a", "x");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_WARN_CODE, "code must be an integer from 0 to 999"));
    v = newwarn(1000, "a", "x");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_WARN_CODE, "code must be an integer from 0 to 999"));
    v = newwarn(INT_MIN, "a", "x");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_WARN_CODE, "code must be an integer from 0 to 999"));
    v = newwarn(399, "", "x");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_AGENT, "agent must be a host, host:port or token"));
    v = newwarn(399, "gw_1:5060", "x");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_AGENT, "agent must be a host, host:port or token"));
    v = newwarn(399, "a b", "x");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_AGENT, "agent must be a host, host:port or token"));
    v = newwarn(399, "gw \"x\", 300 y", "x");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_AGENT, "agent must be a host, host:port or token"));
    v = newwarn(399, "a", "x\r\nVia: y");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_TEXT, "CR or LF in quoted text"));
    CHECK_INT(werr.pos, 1);
    v = newwarn(399, "a", "ab\x01");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_TEXT, "control character in quoted text"));
    CHECK_INT(werr.pos, 2);
    v = newwarn(399, "a", "\xFF");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_TEXT, "invalid UTF-8 in quoted text"));
    CHECK_INT(werr.pos, 0);
    v.text.ptr = "a\0b";
    v.text.len = 3;
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_TEXT, "control character in quoted text"));
    CHECK_INT(werr.pos, 1);
    /* the code is checked first, then the agent, then the text */
    v = newwarn(1000, "a b", "\n");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_WARN_CODE, "code must be an integer from 0 to 999"));
    v = newwarn(399, "a b", "\n");
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_AGENT, "agent must be a host, host:port or token"));

    /* 8192 bytes at most: "399 a " and the quotes take 8 */
    memset(big, 'x', sizeof big);
    v.code = 399;
    v.agent = sp("a");
    v.text.ptr = big;
    v.text.len = SIPCODES_MAX_LINE - 8;
    wlen = 0;
    CHECK_INT(sipcodes_warning_append(wout, &wlen, &v, &werr), 0);
    CHECK_INT(wlen, SIPCODES_MAX_LINE);
    CHECK_INT(pw_n(wout, wlen), 1);
    v.text.len++;
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_HEADER, "warning header longer than 8192 bytes"));
    v.text.len = SIPCODES_MAX_LINE + 1;
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_HEADER, "warning header longer than 8192 bytes"));
    v.text.len = (size_t)-1; /* not read: refused on the length */
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_HEADER, "warning header longer than 8192 bytes"));
    v.text = sp("x");
    v.agent.ptr = big;
    v.agent.len = SIPCODES_MAX_LINE + 1;
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_HEADER, "warning header longer than 8192 bytes"));
    v.agent.len = SIPCODES_MAX_LINE - 7; /* a token, one byte too many */
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_HEADER, "warning header longer than 8192 bytes"));
    v.agent.len--;
    wlen = 0;
    CHECK_INT(sipcodes_warning_append(wout, &wlen, &v, &werr), 0);
    CHECK_INT(wlen, SIPCODES_MAX_LINE);
    /* quoting counts: 4092 backslashes take 8184 bytes */
    memset(big, '\\', sizeof big);
    v.agent = sp("a");
    v.text.ptr = big;
    v.text.len = (SIPCODES_MAX_LINE - 8) / 2;
    wlen = 0;
    CHECK_INT(sipcodes_warning_append(wout, &wlen, &v, &werr), 0);
    CHECK_INT(wlen, SIPCODES_MAX_LINE);
    v.text.len++;
    CHECK(wfmt_fails(&v, SIPCODES_FIELD_HEADER, "warning header longer than 8192 bytes"));
    /* the ", " of a second value counts too */
    v = newwarn(300, "a", "");
    wlen = SIPCODES_MAX_LINE - 9;
    CHECK_INT(sipcodes_warning_append(wout, &wlen, &v, &werr), -1);
    CHECK_INT(wlen, SIPCODES_MAX_LINE - 9);
    CHECK_INT(werr.field, SIPCODES_FIELD_HEADER);
    wlen = SIPCODES_MAX_LINE - 10;
    CHECK_INT(sipcodes_warning_append(wout, &wlen, &v, &werr), 0);
    CHECK_INT(wlen, SIPCODES_MAX_LINE);
}

/* What the parser gives (text unquoted) formats to a header that parses to
 * the same values, and formatting that again gives the same bytes. */
static void test_warning_round_trip(void)
{
    static const char *const headers[] = {
        "307 isi.edu \"Session parameter 'foo' not understood\"",
        "Warning: 370 gw.example.com:5060 \"Insufficient bandwidth\"\r\n",
        "warning:399 [::1]:5060 \"a \\\"b\\\" \\\\ c \\d\"",
        "Warning:\r\n 399\t\t a  \r\n \"x\r\n y\"\r\n ,\r\n 300 \r\n\tb \"\"",
        "042 192.0.2.1 \"Gr\xC3\xBC\xC3\x9F\t, ok\", 000 -x- \"\", 999 a.b.:1 \"()\"",
        "392 10.0.0.1:5060 \"Noisy feedback tells: pid=7 req_src_ip=10.0.0.2\"",
    };
    size_t h;

    for (h = 0; h < sizeof headers / sizeof headers[0]; h++) {
        static char text[PW_MAX][SIPCODES_MAX_LINE], agent[PW_MAX][SIPCODES_MAX_LINE];
        static char first[SIPCODES_MAX_LINE], again[SIPCODES_MAX_LINE];
        sipcodes_warning_value vals[PW_MAX];
        size_t n1 = 0, n2 = 0;
        int n, i;

        n = pw(headers[h]);
        CHECK(n > 0 && n <= PW_MAX);
        if (n <= 0 || n > PW_MAX)
            continue;
        for (i = 0; i < n; i++) {
            vals[i] = pwv[i];
            /* the next parse reuses pw_copy: the fields get their own */
            memcpy(agent[i], pwv[i].agent.ptr, pwv[i].agent.len);
            vals[i].agent.ptr = agent[i];
            vals[i].text.len = sipcodes_unquote(pwv[i].text.ptr, pwv[i].text.len, text[i]);
            vals[i].text.ptr = text[i];
            CHECK_INT(sipcodes_warning_append(first, &n1, &vals[i], &werr), 0);
        }
        CHECK_INT(pw_n(first, n1), n);
        for (i = 0; i < n; i++) {
            static char back[SIPCODES_MAX_LINE];
            size_t m = sipcodes_unquote(pwv[i].text.ptr, pwv[i].text.len, back);
            CHECK_INT(pwv[i].code, vals[i].code);
            CHECK(pwv[i].agent.len == vals[i].agent.len &&
                  memcmp(pwv[i].agent.ptr, vals[i].agent.ptr, vals[i].agent.len) == 0);
            CHECK(m == vals[i].text.len && memcmp(back, vals[i].text.ptr, m) == 0);
            CHECK_INT(sipcodes_warning_append(again, &n2, &vals[i], &werr), 0);
        }
        CHECK(n1 == n2 && memcmp(first, again, n1) == 0);
    }
    /* two of them, literally */
    {
        static char text[SIPCODES_MAX_LINE];
        sipcodes_warning_value v;
        CHECK_INT(pw(headers[3]), 2);
        v = pwv[0];
        v.text.len = sipcodes_unquote(v.text.ptr, v.text.len, text);
        v.text.ptr = text;
        wlen = 0;
        CHECK(wfmt_is(&v, "399 a \"x y\""));
        CHECK_INT(pw(headers[2]), 1);
        v = pwv[0];
        v.text.len = sipcodes_unquote(v.text.ptr, v.text.len, text);
        v.text.ptr = text;
        wlen = 0;
        CHECK(wfmt_is(&v, "399 [::1]:5060 \"a \\\"b\\\" \\\\ c d\""));
    }
}

/* A few thousand random inputs over the bytes the grammar cares about: no
 * crash, no read past the end (under the sanitizers), spans inside the
 * input (pw_n), and what parsed formats unless a quoted-pair let a control
 * in. */
static void test_warning_random(void)
{
    static const char alphabet[] = "Warning: 399 gw.a:5[::1]\"\\,\r\n\t_-x\x80\xC3\xBC\xFF\x01";
    unsigned long seed = 24680;
    int round;

    for (round = 0; round < 4000; round++) {
        char buf[40];
        size_t len, i;
        int n;

        seed = seed * 1103515245UL + 12345UL;
        len = (seed >> 16) % sizeof buf;
        for (i = 0; i < len; i++) {
            seed = seed * 1103515245UL + 12345UL;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        if (round % 3 == 0 && len >= 7)
            memcpy(buf, "399 a \"", 7);
        n = pw_n(buf, len);
        CHECK(n >= -1);
        for (i = 0; n > 0 && i < (size_t)n && i < PW_MAX; i++) {
            char text[sizeof buf], out[SIPCODES_MAX_LINE];
            sipcodes_warning_value v = pwv[i];
            size_t olen = 0;
            v.text.len = sipcodes_unquote(v.text.ptr, v.text.len, text);
            v.text.ptr = text;
            if (sipcodes_warning_append(out, &olen, &v, &werr) != 0)
                CHECK(werr.field == SIPCODES_FIELD_TEXT &&
                      strcmp(werr.msg, "control character in quoted text") == 0);
        }
    }
}

/* ---- best response ------------------------------------------------------ */

static int best(const int *codes, size_t n, size_t *chosen)
{
    return sipcodes_best_response(codes, n, chosen);
}

#define BEST(arr, want_code, want_index)                                   \
    do {                                                                   \
        size_t ch_ = 42;                                                   \
        CHECK_INT(best(arr, sizeof arr / sizeof arr[0], &ch_), want_code); \
        CHECK(ch_ == (size_t)(want_index));                                \
    } while (0)

static void test_best_response(void)
{
    size_t ch = 0;

    /* §16.7 step 6, the RFC's own example */
    {
        static const int a[] = {503, 407, 501, 404};
        BEST(a, 407, 1);
    }
    /* no final response at all -> 408 (§16.7 step 6, §16.8 timer C) */
    CHECK_INT(best(NULL, 0, &ch), 408);
    CHECK(ch == SIPCODES_NONE);
    {
        static const int a[] = {100, 180, 183};
        BEST(a, 408, SIPCODES_NONE);
    }
    /* provisional and invalid codes are ignored */
    {
        static const int a[] = {180, 0, -5, 99, 700, 999, 486, 1000, INT_MIN, INT_MAX};
        BEST(a, 486, 6);
    }
    {
        static const int a[] = {700, 701, 99};
        BEST(a, 408, SIPCODES_NONE);
    }
    /* a 2xx wins over everything, even a 6xx (§16.7 step 5) */
    {
        static const int a[] = {603, 486, 200, 503};
        BEST(a, 200, 2);
    }
    {
        static const int a[] = {486, 202, 200};
        BEST(a, 200, 2);
    }
    /* any 6xx is chosen over 3xx-5xx (step 6 MUST) */
    {
        static const int a[] = {302, 401, 500, 603};
        BEST(a, 603, 3);
    }
    /* the lowest 6xx, the first of equal ones */
    {
        static const int a[] = {604, 603, 600, 600};
        BEST(a, 600, 2);
    }
    /* else the lowest class */
    {
        static const int a[] = {500, 486, 302};
        BEST(a, 302, 2);
    }
    {
        static const int a[] = {500, 486};
        BEST(a, 486, 1);
    }
    /* within 4xx, 401 407 415 420 484 first, in numeric order */
    {
        static const int a[] = {400, 404, 484};
        BEST(a, 484, 2);
    }
    {
        static const int a[] = {484, 420, 415, 407};
        BEST(a, 407, 3);
    }
    {
        static const int a[] = {407, 401};
        BEST(a, 401, 1);
    }
    {
        static const int a[] = {420, 415};
        BEST(a, 415, 1);
    }
    {
        static const int a[] = {403, 499, 415};
        BEST(a, 415, 2);
    }
    /* otherwise the lowest code of the class, the first of equal codes */
    {
        static const int a[] = {486, 404, 480};
        BEST(a, 404, 1);
    }
    {
        static const int a[] = {486, 486};
        BEST(a, 486, 0);
    }
    {
        static const int a[] = {302, 301, 380};
        BEST(a, 301, 1);
    }
    {
        static const int a[] = {504, 502, 580};
        BEST(a, 502, 1);
    }
    /* 503 ranks after every other 5xx */
    {
        static const int a[] = {503, 504};
        BEST(a, 504, 1);
    }
    {
        static const int a[] = {503, 599, 503};
        BEST(a, 599, 1);
    }
    {
        static const int a[] = {500, 503};
        BEST(a, 500, 0);
    }
    /* only 503s -> 500, made up (step 6; also a transport error, §16.9) */
    {
        static const int a[] = {503};
        BEST(a, 500, SIPCODES_NONE);
    }
    {
        static const int a[] = {503, 503, 180};
        BEST(a, 500, SIPCODES_NONE);
    }
    /* a 503 does not hide a lower class, nor a 6xx */
    {
        static const int a[] = {503, 486};
        BEST(a, 486, 1);
    }
    {
        static const int a[] = {503, 600};
        BEST(a, 600, 1);
    }
    /* chosen may be NULL */
    {
        static const int a[] = {486};
        CHECK_INT(best(a, 1, NULL), 486);
    }
    /* the incremental chooser gives the same */
    {
        sipcodes_chooser c;
        sipcodes_chooser_init(&c);
        CHECK_INT(sipcodes_chooser_result(&c, &ch), 408);
        CHECK(ch == SIPCODES_NONE);
        sipcodes_chooser_add(&c, 503, 10);
        sipcodes_chooser_add(&c, 501, 11);
        CHECK_INT(sipcodes_chooser_result(&c, &ch), 501);
        CHECK_INT(ch, 11);
        sipcodes_chooser_add(&c, 407, 12);
        sipcodes_chooser_add(&c, 404, 13);
        CHECK_INT(sipcodes_chooser_result(&c, &ch), 407);
        CHECK_INT(ch, 12);
        CHECK_INT(sipcodes_chooser_result(&c, NULL), 407);
    }
    /* every single valid final code chooses itself (503 aside) */
    {
        int code;
        int ok = 1;
        for (code = 200; code <= 699; code++) {
            int r = best(&code, 1, &ch);
            if (code == 503 ? (r != 500 || ch != SIPCODES_NONE) : (r != code || ch != 0))
                ok = 0;
        }
        CHECK(ok);
    }
}

/* ---- header fields per code --------------------------------------------- */

static int has_rule(int code, const char *name, const char *level, const char *rfc)
{
    size_t n, i;
    const sipcodes_header_rule *r = sipcodes_required_headers(code, &n);

    for (i = 0; i < n; i++)
        if (strcmp(r[i].name, name) == 0 && strcmp(r[i].level, level) == 0 &&
            strcmp(r[i].rfc, rfc) == 0 && r[i].code == code)
            return 1;
    return 0;
}

static void test_required_headers(void)
{
    {
        /* Room for the NUL in every string of every rule. */
        size_t i;
        for (i = 0; i < sipcodes_header_rule_count(); i++) {
            const sipcodes_header_rule *r = sipcodes_header_rule_at(i);
            CHECK(memchr(r->name, 0, sizeof r->name) != NULL);
            CHECK(memchr(r->level, 0, sizeof r->level) != NULL);
            CHECK(memchr(r->rfc, 0, sizeof r->rfc) != NULL);
        }
    }
    size_t n, i;

    CHECK(has_rule(300, "Contact", "should", "RFC 3261 §21.3.1"));
    CHECK(has_rule(301, "Contact", "should", "RFC 3261 §21.3.2"));
    CHECK(has_rule(302, "Contact", "should", "RFC 3261 §21.3.3"));
    CHECK(has_rule(305, "Contact", "should", "RFC 3261 §21.3.4"));
    CHECK(has_rule(401, "WWW-Authenticate", "must", "RFC 3261 §22.2"));
    CHECK(has_rule(405, "Allow", "must", "RFC 3261 §21.4.6"));
    CHECK(has_rule(407, "Proxy-Authenticate", "must", "RFC 3261 §22.3"));
    CHECK(has_rule(413, "Retry-After", "should", "RFC 3261 §21.4.11"));
    CHECK(has_rule(415, "Accept", "should", "RFC 3261 §21.4.13"));
    CHECK(has_rule(415, "Accept-Encoding", "should", "RFC 3261 §21.4.13"));
    CHECK(has_rule(415, "Accept-Language", "should", "RFC 3261 §21.4.13"));
    CHECK(has_rule(420, "Unsupported", "must", "RFC 3261 §21.4.15"));
    CHECK(has_rule(421, "Require", "must", "RFC 3261 §21.4.16"));
    CHECK(has_rule(422, "Min-SE", "must", "RFC 4028 §6"));
    CHECK(has_rule(423, "Min-Expires", "must", "RFC 3261 §20 (Table 2)"));
    CHECK(has_rule(469, "Recv-Info", "must", "RFC 6086 §4.2.2"));
    CHECK(has_rule(470, "Permission-Missing", "should", "RFC 5360"));
    CHECK(has_rule(494, "Security-Server", "must", "RFC 3329 §2.3.1"));

    CHECK(sipcodes_required_headers(415, &n) != NULL);
    CHECK_INT(n, 3);
    CHECK(sipcodes_required_headers(401, &n) != NULL);
    CHECK_INT(n, 1);
    /* none: a valid code without rules, a MAY-only code, out of range */
    CHECK(sipcodes_required_headers(200, &n) == NULL);
    CHECK_INT(n, 0);
    CHECK(sipcodes_required_headers(503, &n) == NULL);
    CHECK(sipcodes_required_headers(380, &n) == NULL);
    CHECK(sipcodes_required_headers(485, &n) == NULL);
    CHECK(sipcodes_required_headers(0, &n) == NULL);
    CHECK(sipcodes_required_headers(INT_MAX, &n) == NULL);
    CHECK(sipcodes_required_headers(INT_MIN, NULL) == NULL);
    CHECK(sipcodes_required_headers(405, NULL) != NULL);

    /* the whole table: sorted, valid codes, known levels, RFC cited */
    CHECK_INT(sipcodes_header_rule_count(), 18);
    CHECK(sipcodes_header_rule_at(sipcodes_header_rule_count()) == NULL);
    for (i = 0; i < sipcodes_header_rule_count(); i++) {
        const sipcodes_header_rule *r = sipcodes_header_rule_at(i);
        CHECK(r != NULL);
        if (!r)
            continue;
        CHECK(sipcodes_is_valid(r->code));
        CHECK(strcmp(r->level, "must") == 0 || strcmp(r->level, "should") == 0);
        CHECK(strncmp(r->rfc, "RFC ", 4) == 0);
        CHECK(sipcodes_is_token(r->name, strlen(r->name)));
        if (i > 0)
            CHECK(sipcodes_header_rule_at(i - 1)->code <= r->code);
        CHECK(has_rule(r->code, r->name, r->level, r->rfc));
    }
}

int main(void)
{
    test_status_line_accepts();
    test_status_line_rejects();
    test_status_line_lenient();
    test_status_line_limits();
    test_check_reason_phrase();
    test_reason_format();
    test_reason_round_trip();
    test_format_status_line();
    test_reason_accepts();
    test_reason_rejects();
    test_reason_helpers();
    test_retry_after_accepts();
    test_retry_after_rejects();
    test_retry_after_format();
    test_retry_after_round_trip();
    test_random_inputs();
    test_retry_after_random();
    test_warn_registry();
    test_warning_accepts();
    test_warning_rejects();
    test_warn_agent();
    test_warning_format();
    test_warning_round_trip();
    test_warning_random();
    test_best_response();
    test_required_headers();
    return CTEST_DONE("test_proto");
}
