/*
 * fuzz_status_line.c - libFuzzer target for the Status-Line code of
 * csrc/sipcodes_proto.c: parse (strict and lenient), the reason-phrase
 * check, and format fed with the input as a phrase.
 *
 * Besides "no crash, no out-of-bounds read" (ASan, UBSan) it checks the
 * parser's promises: every span points inside the input, the error offset
 * is within it, strict parsing accepts nothing that lenient parsing
 * rejects, and a strictly valid line formats back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sipcodes_proto.h"

#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    sipcodes_status_line strict, lenient;
    sipcodes_error err;
    int rs, rl;
    char out[SIPCODES_MAX_LINE + 16];
    size_t n;

    err.msg = NULL;
    rs = sipcodes_parse_status_line(s, size, 0, &strict, &err);
    if (rs == 0) {
        REQUIRE(span_inside(strict.version, s, size));
        REQUIRE(span_inside(strict.reason, s, size));
        REQUIRE(strict.code >= 0 && strict.code <= 999);
        REQUIRE(strict.valid == (strict.code >= 100 && strict.code <= 699));
        REQUIRE(strict.accepted == 0);
    } else {
        REQUIRE(rs == -1 && err.msg != NULL && err.pos <= size);
    }

    err.msg = NULL;
    rl = sipcodes_parse_status_line(s, size, SIPCODES_LENIENT, &lenient, &err);
    if (rl == 0) {
        REQUIRE(span_inside(lenient.version, s, size));
        REQUIRE(span_inside(lenient.reason, s, size));
        REQUIRE((lenient.accepted & ~SIPCODES_ACCEPTED_ALL) == 0);
    } else {
        REQUIRE(rl == -1 && err.msg != NULL && err.pos <= size);
    }
    /* Lenient accepts a superset of strict. */
    REQUIRE(!(rs == 0 && rl != 0));

    /* A strict line with a valid code and "SIP/2.0" formats back to itself
     * (minus the optional CRLF), unless its phrase is longer than format
     * takes (format leaves room for the CRLF within SIPCODES_MAX_LINE). */
    if (rs == 0 && strict.valid && strict.version.len == 7 &&
        memcmp(strict.version.ptr, "SIP/2.0", 7) == 0 &&
        strict.reason.len <= SIPCODES_MAX_REASON_PHRASE) {
        n = sipcodes_format_status_line(strict.code, strict.reason.ptr,
                                        strict.reason.len, out, sizeof out, &err);
        REQUIRE(n > 0 && n <= size && memcmp(out, s, n) == 0);
    }

    /* The whole input as a phrase: check and format agree. */
    err.msg = NULL;
    if (sipcodes_check_reason_phrase(s, size, 0, &err) == 0) {
        n = sipcodes_format_status_line(486, s, size, out, sizeof out, &err);
        REQUIRE(n == 12 + size);
        REQUIRE(sipcodes_parse_status_line(out, n, 0, &strict, &err) == 0);
        REQUIRE(strict.code == 486 && strict.reason.len == size);
    } else {
        REQUIRE(err.msg != NULL && err.pos <= size);
        REQUIRE(sipcodes_format_status_line(486, s, size, out, sizeof out, &err) == 0);
    }
    return 0;
}
