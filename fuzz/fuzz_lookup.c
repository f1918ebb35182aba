/*
 * fuzz_lookup.c - libFuzzer target for the lookups by text: a code by its
 * phrase, alias or constant name (csrc/sipcodes.c), a FreeSWITCH cause by
 * name and an RFC 8606 location token (csrc/sipcodes_interop.c), and the
 * token and quoting predicates of csrc/sipcodes_proto.c.
 *
 * Checked besides memory safety: whatever a lookup finds is a real entry
 * whose constant name finds it again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sipcodes.h"
#include "sipcodes_interop.h"
#include "sipcodes_proto.h"

#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    sipcodes_error err;
    int code, cause, loc;

    code = sipcodes_find(s, size);
    if (code) {
        const sipcodes_entry *e = sipcodes_lookup(code);
        REQUIRE(e != NULL);
        /* Its constant name finds it again (phrases need not: 406 and 606
         * share "Not Acceptable", and lookup gives the lower code). */
        REQUIRE(sipcodes_find(e->name, strlen(e->name)) == code);
    }

    cause = sipcodes_fs_cause_find(s, size);
    if (cause >= 0) {
        const char *name = sipcodes_fs_cause_name(cause);
        REQUIRE(name != NULL);
        REQUIRE(sipcodes_fs_cause_find(name, strlen(name)) == cause);
    }

    loc = sipcodes_q850_location_value(s, size);
    if (loc >= 0) {
        const char *tok = sipcodes_q850_location_token(loc);
        REQUIRE(tok != NULL && strlen(tok) == size);
    }

    if (sipcodes_is_token(s, size))
        REQUIRE(size > 0 && sipcodes_is_bare_value(s, size));

    err.msg = NULL;
    if (sipcodes_check_quotable(s, size, &err) == 0) {
        char *q = malloc(2 * size + 2);
        char *back = malloc(size + 1);
        size_t n, m;
        REQUIRE(q != NULL && back != NULL);
        n = sipcodes_quote(s, size, q);
        REQUIRE(n >= size + 2 && n <= 2 * size + 2);
        REQUIRE(q[0] == '"' && q[n - 1] == '"');
        m = sipcodes_unquote(q + 1, n - 2, back);
        REQUIRE(m == size && memcmp(back, s, size) == 0);
        free(q);
        free(back);
    } else {
        REQUIRE(err.msg != NULL && err.pos <= size);
    }
    return 0;
}
