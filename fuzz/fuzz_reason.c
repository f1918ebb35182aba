/*
 * fuzz_reason.c - libFuzzer target for the Reason header code of
 * csrc/sipcodes_proto.c: the pull parser, unquoting, and the quoting that
 * format_reason uses.
 *
 * Checked besides memory safety: spans lie inside the input, the parser
 * ends (it must make progress on every value), unquoting never grows text,
 * a Q.850 location maps to a known value, and a value rebuilt from what was
 * parsed (protocol, cause, text re-quoted) parses back to the same fields.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipcodes_interop.h"
#include "sipcodes_proto.h"

#include "fuzz_support.h"

/* Rebuild `protocol;cause=N;text="..."` from one parsed value and parse it
 * again: the fields must survive. */
static void check_rebuilt(const sipcodes_reason_value *v, const char *text,
                          size_t tlen)
{
    char line[2 * SIPCODES_MAX_LINE + 64];
    size_t n = 0;
    sipcodes_reason_iter it;
    sipcodes_reason_value w;
    sipcodes_error err;
    char back[SIPCODES_MAX_LINE];

    if (v->protocol.len > SIPCODES_MAX_LINE / 4 || tlen > SIPCODES_MAX_LINE / 4)
        return;
    memcpy(line, v->protocol.ptr, v->protocol.len);
    n = v->protocol.len;
    if (v->has_cause)
        n += (size_t)snprintf(line + n, sizeof line - n, ";cause=%d", v->cause);
    if (v->has_text) {
        if (sipcodes_check_quotable(text, tlen, &err) != 0)
            return; /* folding inside the quotes: format would refuse it */
        memcpy(line + n, ";text=", 6);
        n += 6;
        n += sipcodes_quote(text, tlen, line + n);
    }
    REQUIRE(sipcodes_reason_init(&it, line, n, &err) == 0);
    REQUIRE(sipcodes_reason_next(&it, &w, &err) == 1);
    REQUIRE(w.protocol.len == v->protocol.len &&
            memcmp(w.protocol.ptr, v->protocol.ptr, w.protocol.len) == 0);
    REQUIRE(w.has_cause == v->has_cause && (!w.has_cause || w.cause == v->cause));
    REQUIRE(w.has_text == v->has_text);
    if (w.has_text) {
        size_t m = sipcodes_unquote(w.text.ptr, w.text.len, back);
        REQUIRE(m == tlen && memcmp(back, text, m) == 0);
    }
    REQUIRE(sipcodes_reason_next(&it, &w, &err) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    sipcodes_reason_iter it;
    sipcodes_reason_value v;
    sipcodes_error err;
    char text[SIPCODES_MAX_LINE];
    size_t values = 0, i;
    int r;

    err.msg = NULL;
    if (sipcodes_reason_init(&it, s, size, &err) != 0) {
        REQUIRE(err.msg != NULL && err.pos <= size);
        return 0;
    }
    while ((r = sipcodes_reason_next(&it, &v, &err)) == 1) {
        size_t tlen = 0;

        /* Each value takes at least two bytes (a token and a comma). */
        REQUIRE(++values <= size / 2 + 1);
        REQUIRE(span_inside(v.protocol, s, size) && v.protocol.len > 0);
        REQUIRE(sipcodes_is_token(v.protocol.ptr, v.protocol.len));
        REQUIRE(!v.has_cause || v.cause >= 0);
        if (v.has_text) {
            REQUIRE(span_inside(v.text, s, size));
            tlen = sipcodes_unquote(v.text.ptr, v.text.len, text);
            REQUIRE(tlen <= v.text.len);
        }
        if (v.has_location) {
            REQUIRE(sipcodes_reason_is_q850(v.protocol));
            REQUIRE(span_inside(v.location, s, size));
            REQUIRE(v.location_value ==
                    sipcodes_q850_location_value(v.location.ptr, v.location.len));
            REQUIRE(v.location_value >= 0);
        }
        REQUIRE(v.nparams <= SIPCODES_REASON_MAX_PARAMS);
        for (i = 0; i < v.nparams; i++) {
            REQUIRE(span_inside(v.params[i].name, s, size));
            REQUIRE(sipcodes_is_token(v.params[i].name.ptr, v.params[i].name.len));
            if (v.params[i].has_value)
                REQUIRE(span_inside(v.params[i].value, s, size));
        }
        check_rebuilt(&v, text, tlen);
    }
    if (r < 0)
        REQUIRE(err.msg != NULL && err.pos <= size);
    /* The iterator stays where it stopped: asking again gives no value. */
    REQUIRE(sipcodes_reason_next(&it, &v, &err) != 1);
    return 0;
}
