/*
 * fuzz_policy.c - libFuzzer target for csrc/sipcodes_policy.c.  Each input
 * is used three ways:
 *
 * (a) as the text of Kamailio's ds_ping_reply_codes: when it parses, the
 *     set is written back, and that text parses to the same set and writes
 *     the same bytes (format -> parse -> format is a fixed point); no set
 *     ever holds 408, a 5xx, a 1xx or class 4 or 5.
 * (b) as a policy and a context: the first bytes pick a preset and knobs,
 *     the next ones code and class settings and the context; every code
 *     100-699 must get an action within the enum and a why, 1xx wait, 2xx
 *     done, next_down (and only it) a time within the knobs, a cancelled
 *     call relay, and sipcodes_policy_codes must list exactly the codes
 *     decide() gives the action.
 * (c) as a set of three-digit codes (a bitmap of the input): the regex
 *     written for it, compiled with the C library's POSIX regcomp as
 *     Kamailio compiles t_check_status's argument (REG_EXTENDED), must
 *     match exactly the strings of the set among all of 000-999.
 */
#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipcodes_policy.h"

#define ASSERT(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static void same_set(const sipcodes_ping_set *a, const sipcodes_ping_set *b)
{
    ASSERT(memcmp(a->classes, b->classes, sizeof a->classes) == 0);
    ASSERT(memcmp(a->codes, b->codes, sizeof a->codes) == 0);
}

static void fuzz_ping(const uint8_t *data, size_t size)
{
    sipcodes_ping_set set, again;
    sipcodes_error err;
    char out[SIPCODES_PING_MAX], out2[SIPCODES_PING_MAX];
    size_t len, len2;
    int c;

    if (sipcodes_ping_parse((const char *)data, size, &set, &err) != 0) {
        ASSERT(err.msg && err.pos <= size);
        return;
    }
    for (c = 100; c < 700; c++)
        if (set.codes[c - 100])
            ASSERT(c >= 200 && c != 408 && (c < 500 || c >= 600));
    ASSERT(!set.classes[0] && !set.classes[1] && !set.classes[4] && !set.classes[5]);
    len = sipcodes_ping_format(&set, out, sizeof out);
    ASSERT(len > 0 && len < sizeof out);
    ASSERT(sipcodes_ping_parse(out, len, &again, &err) == 0);
    /* A code its class covers is left out of the text: compare by meaning. */
    for (c = 2; c <= 6; c++)
        if (set.classes[c])
            memset(set.codes + c * 100 - 100, 0, 100);
    for (c = 2; c <= 6; c++)
        if (again.classes[c])
            memset(again.codes + c * 100 - 100, 0, 100);
    same_set(&set, &again);
    len2 = sipcodes_ping_format(&again, out2, sizeof out2);
    ASSERT(len2 == len && memcmp(out, out2, len) == 0);
}

static void fuzz_decide(const uint8_t *data, size_t size)
{
    sipcodes_policy p;
    sipcodes_policy_ctx ctx;
    int codes[SIPCODES_POLICY_CODES];
    size_t i = 0, n;
    int c, a;

    if (size < 8)
        return;
    sipcodes_policy_init(&p, data[0] % SIPCODES_NPRESETS);
    p.follow_redirects = data[1] & 1;
    p.failover_after_ringing = (data[1] >> 1) & 1;
    p.max_redirects = data[1] >> 4;
    p.down_min = data[2];
    p.down_max = p.down_min + data[3] * 20u;
    p.down_default = data[4] * 10u;
    sipcodes_policy_ctx_init(&ctx);
    ctx.local_timeout = data[5] & 1;
    ctx.provisional = (data[5] >> 1) & 1;
    ctx.canceled = (data[5] >> 2) & 1;
    ctx.auth_tried = (data[5] >> 3) & 1;
    ctx.redirects = data[5] >> 5;
    ctx.retry_after = data[6] == 0xff ? -1 : (long)data[6] * 997;
    for (i = 7; i + 2 < size && i < 64; i += 3) {
        int code = 100 + (data[i] | data[i + 1] << 8) % 700, action = data[i + 2] % (SIPCODES_NACTIONS + 1);
        int r = (data[i + 2] & 0x80) ? sipcodes_policy_set_class(&p, code / 100, action)
                                     : sipcodes_policy_set_code(&p, code, action);
        ASSERT(r == 0 || r == -1);
    }
    for (c = 100; c < 700; c++) {
        const char *why = NULL;
        unsigned s = 12345;
        a = sipcodes_policy_decide(&p, c, &ctx, &why, &s);
        ASSERT(a >= 0 && a < SIPCODES_NACTIONS && why && *why);
        if (c < 200)
            ASSERT(a == SIPCODES_ACT_WAIT);
        else if (c < 300)
            ASSERT(a == SIPCODES_ACT_DONE);
        else if (ctx.canceled)
            ASSERT(a == SIPCODES_ACT_RELAY);
        if (a == SIPCODES_ACT_NEXT_DOWN)
            ASSERT(s >= p.down_min && s <= p.down_max);
        else
            ASSERT(s == 0);
    }
    a = data[7] % SIPCODES_NACTIONS;
    n = sipcodes_policy_codes(&p, a, &ctx, codes, SIPCODES_POLICY_CODES);
    for (i = 0, c = 100; c < 700; c++) {
        const char *why;
        unsigned s;
        if (sipcodes_policy_decide(&p, c, &ctx, &why, &s) == a) {
            ASSERT(i < n && codes[i] == c);
            i++;
        }
    }
    ASSERT(i == n);
}

static void fuzz_regex(const uint8_t *data, size_t size)
{
    int codes[1000];
    unsigned char in[1000];
    char re[SIPCODES_REGEX_MAX];
    regex_t rx;
    size_t n = 0, len;
    int c;

    memset(in, 0, sizeof in);
    for (c = 0; c < 1000; c++)
        if ((size_t)(c / 8) < size && (data[c / 8] >> (c % 8) & 1)) {
            in[c] = 1;
            codes[n++] = c;
        }
    len = sipcodes_codes_regex(codes, n, re, sizeof re);
    ASSERT(len > 0);
    ASSERT(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) == 0);
    for (c = 0; c < 1000; c++) {
        char s[4];
        snprintf(s, sizeof s, "%03d", c);
        ASSERT((regexec(&rx, s, 0, NULL, 0) == 0) == (in[c] != 0));
    }
    regfree(&rx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ping(data, size);
    fuzz_decide(data, size);
    fuzz_regex(data, size);
    return 0;
}
