/*
 * test_policy.c - the failover policies of the pure C core, without Lua:
 * the presets' tables, the context rules in the order decide() applies
 * them, settings, the regex writer (every subset shape), probes, the
 * dispatcher's ping codes and the FreeSWITCH cause lists.
 * spec/policy_spec.lua checks the same through Lua, regexes with grep -E.
 */
#include <string.h>

#include "ctest.h"
#include "sipcodes_policy.h"

static int act(const sipcodes_policy *p, int code, const sipcodes_policy_ctx *ctx)
{
    const char *why;
    unsigned s;

    return sipcodes_policy_decide(p, code, ctx, &why, &s);
}

static void test_names(void)
{
    CHECK_STR(sipcodes_action_name(SIPCODES_ACT_NEXT_DOWN), "next_down");
    CHECK(sipcodes_action_name(SIPCODES_NACTIONS) == NULL);
    CHECK(sipcodes_action_name(-1) == NULL);
    CHECK_INT(sipcodes_action_find("amend", 5), SIPCODES_ACT_AMEND);
    CHECK_INT(sipcodes_action_find("amen", 4), -1);
    CHECK_INT(sipcodes_action_find("nextx", 4), SIPCODES_ACT_NEXT); /* by length */
    CHECK_INT(sipcodes_preset_find("lcr", 3), SIPCODES_PRESET_LCR);
    CHECK_INT(sipcodes_preset_find("LCR", 3), -1);
    CHECK_STR(sipcodes_preset_name(SIPCODES_PRESET_RFC3261), "rfc3261");
}

static void test_presets(void)
{
    sipcodes_policy p;
    int c, n;

    CHECK_INT(sipcodes_policy_init(&p, SIPCODES_NPRESETS), -1);
    CHECK_INT(sipcodes_policy_init(&p, SIPCODES_PRESET_RFC3261), 0);
    for (c = 300, n = 0; c < 700; c++)
        n += act(&p, c, NULL) == SIPCODES_ACT_NEXT;
    CHECK_INT(n, 1);
    CHECK_INT(act(&p, 503, NULL), SIPCODES_ACT_NEXT);
    CHECK_INT(act(&p, 500, NULL), SIPCODES_ACT_RELAY);

    CHECK_INT(sipcodes_policy_init(&p, SIPCODES_PRESET_CARRIER), 0);
    CHECK_INT(act(&p, 100, NULL), SIPCODES_ACT_WAIT);
    CHECK_INT(act(&p, 202, NULL), SIPCODES_ACT_DONE);
    CHECK_INT(act(&p, 401, NULL), SIPCODES_ACT_AUTH);
    CHECK_INT(act(&p, 408, NULL), SIPCODES_ACT_NEXT);
    CHECK_INT(act(&p, 422, NULL), SIPCODES_ACT_AMEND);
    CHECK_INT(act(&p, 486, NULL), SIPCODES_ACT_RELAY);
    CHECK_INT(act(&p, 599, NULL), SIPCODES_ACT_NEXT);  /* unknown: as 500 */
    CHECK_INT(act(&p, 499, NULL), SIPCODES_ACT_RELAY); /* unknown: as 400 */
    CHECK_INT(act(&p, 600, NULL), SIPCODES_ACT_RELAY);
    CHECK_INT(act(&p, 99, NULL), -1);
    CHECK_INT(act(&p, 700, NULL), -1);

    CHECK_INT(sipcodes_policy_init(&p, SIPCODES_PRESET_LCR), 0);
    CHECK_INT(act(&p, 404, NULL), SIPCODES_ACT_NEXT);
    CHECK_INT(act(&p, 603, NULL), SIPCODES_ACT_NEXT);
    CHECK_INT(act(&p, 604, NULL), SIPCODES_ACT_RELAY);
}

static void test_context(void)
{
    sipcodes_policy p;
    sipcodes_policy_ctx ctx;
    const char *why;
    unsigned s;

    sipcodes_policy_init(&p, SIPCODES_PRESET_CARRIER);
    sipcodes_policy_ctx_init(&ctx);
    /* No decision outside 100-699, but the outputs are still set. */
    why = NULL;
    s = 7;
    CHECK_INT(sipcodes_policy_decide(&p, 700, &ctx, &why, &s), -1);
    CHECK_STR(why, "");
    CHECK_INT(s, 0);
    why = NULL;
    CHECK_INT(sipcodes_policy_decide(&p, 99, NULL, &why, &s), -1);
    CHECK_STR(why, "");
    CHECK_INT(ctx.retry_after, -1);
    ctx.retry_after = 120;
    CHECK_INT(sipcodes_policy_decide(&p, 503, &ctx, &why, &s), SIPCODES_ACT_NEXT_DOWN);
    CHECK_INT(s, 120);
    ctx.retry_after = 100000;
    sipcodes_policy_decide(&p, 503, &ctx, &why, &s);
    CHECK_INT(s, 3600);
    CHECK_INT(sipcodes_policy_decide(&p, 500, &ctx, &why, &s), SIPCODES_ACT_NEXT);
    CHECK_INT(s, 0);
    /* ringing comes before the mark-down */
    ctx.provisional = 1;
    CHECK_INT(act(&p, 503, &ctx), SIPCODES_ACT_RELAY);
    p.failover_after_ringing = 1;
    CHECK_INT(act(&p, 503, &ctx), SIPCODES_ACT_NEXT_DOWN);
    p.failover_after_ringing = 0;
    /* the caller's cancel wins over everything */
    ctx.canceled = 1;
    CHECK_INT(act(&p, 503, &ctx), SIPCODES_ACT_RELAY);
    CHECK_INT(act(&p, 180, &ctx), SIPCODES_ACT_WAIT);
    sipcodes_policy_ctx_init(&ctx);
    ctx.local_timeout = 1;
    CHECK_INT(sipcodes_policy_decide(&p, 408, &ctx, &why, &s), SIPCODES_ACT_NEXT_DOWN);
    CHECK_INT(s, 60);
    ctx.retry_after = 5; /* a local timeout has no Retry-After of its own */
    sipcodes_policy_decide(&p, 408, &ctx, &why, &s);
    CHECK_INT(s, 60);
    ctx.provisional = 1;
    CHECK_INT(act(&p, 408, &ctx), SIPCODES_ACT_RELAY);
    sipcodes_policy_ctx_init(&ctx);
    ctx.auth_tried = 1;
    CHECK_INT(act(&p, 407, &ctx), SIPCODES_ACT_RELAY);
    p.follow_redirects = 1;
    CHECK_INT(act(&p, 302, NULL), SIPCODES_ACT_REDIRECT);
    ctx.redirects = 3;
    CHECK_INT(act(&p, 302, &ctx), SIPCODES_ACT_RELAY);
    sipcodes_policy_init(&p, SIPCODES_PRESET_RFC3261);
    sipcodes_policy_ctx_init(&ctx);
    ctx.local_timeout = 1;
    CHECK_INT(act(&p, 408, &ctx), SIPCODES_ACT_NEXT);
}

static void test_settings(void)
{
    sipcodes_policy p;
    sipcodes_policy_ctx ctx;

    sipcodes_policy_init(&p, SIPCODES_PRESET_CARRIER);
    CHECK_INT(sipcodes_policy_set_code(&p, 603, SIPCODES_ACT_NEXT), 0);
    CHECK_INT(sipcodes_policy_set_class(&p, 6, SIPCODES_ACT_AMEND), 0);
    CHECK_INT(act(&p, 603, NULL), SIPCODES_ACT_NEXT); /* the code's setting stays */
    CHECK_INT(act(&p, 604, NULL), SIPCODES_ACT_AMEND);
    CHECK_INT(act(&p, 699, NULL), SIPCODES_ACT_AMEND);
    CHECK_INT(sipcodes_policy_set_code(&p, 299, SIPCODES_ACT_NEXT), -1);
    CHECK_INT(sipcodes_policy_set_code(&p, 700, SIPCODES_ACT_NEXT), -1);
    CHECK_INT(sipcodes_policy_set_code(&p, 486, SIPCODES_ACT_WAIT), -1);
    CHECK_INT(sipcodes_policy_set_code(&p, 486, SIPCODES_ACT_DONE), -1);
    CHECK_INT(sipcodes_policy_set_code(&p, 486, SIPCODES_NACTIONS), -1);
    CHECK_INT(sipcodes_policy_set_class(&p, 2, SIPCODES_ACT_NEXT), -1);
    CHECK_INT(sipcodes_policy_set_class(&p, 7, SIPCODES_ACT_NEXT), -1);
    /* a 503 set to next by the policy is not marked down for Retry-After */
    sipcodes_policy_set_code(&p, 503, SIPCODES_ACT_NEXT);
    sipcodes_policy_ctx_init(&ctx);
    ctx.retry_after = 30;
    CHECK_INT(act(&p, 503, &ctx), SIPCODES_ACT_NEXT);
}

static void test_regex(void)
{
    int codes[1000] = {0};
    char re[SIPCODES_REGEX_MAX];
    size_t n, i;

    CHECK_INT(sipcodes_codes_regex(codes, 0, re, sizeof re), 2);
    CHECK_STR(re, "^$");
    codes[0] = 486;
    sipcodes_codes_regex(codes, 1, re, sizeof re);
    CHECK_STR(re, "^(486)$");
    for (i = 0; i < 100; i++)
        codes[i] = 500 + (int)i;
    codes[100] = 408;
    codes[101] = 409;
    sipcodes_codes_regex(codes, 102, re, sizeof re);
    CHECK_STR(re, "^(40[89]|5[0-9][0-9])$");
    for (i = 0, n = 0; i < 30; i++)
        codes[n++] = 400 + (int)i;  /* 400-429: three whole decades */
    codes[n++] = 480;
    codes[n++] = 482;
    codes[n++] = 483;
    codes[n++] = 484;
    codes[n++] = 486;
    sipcodes_codes_regex(codes, n, re, sizeof re);
    CHECK_STR(re, "^(4[0-2][0-9]|48[02-46])$");
    /* every three-digit string: each class whole */
    for (i = 0; i < 1000; i++)
        codes[i] = (int)i;
    sipcodes_codes_regex(codes, 1000, re, sizeof re);
    CHECK_STR(re, "^(0[0-9][0-9]|1[0-9][0-9]|2[0-9][0-9]|3[0-9][0-9]|4[0-9][0-9]|5[0-9][0-9]|"
                  "6[0-9][0-9]|7[0-9][0-9]|8[0-9][0-9]|9[0-9][0-9])$");
    /* every other code: the longest output, within the bound */
    for (i = 0, n = 0; i < 1000; i += 2)
        codes[n++] = (int)i;
    CHECK(sipcodes_codes_regex(codes, n, re, sizeof re) > 0);
    CHECK_INT(sipcodes_codes_regex(codes, n, re, 10), 0);
}

static void test_probes(void)
{
    sipcodes_ping_set set;
    sipcodes_error err;
    char out[SIPCODES_PING_MAX];

    CHECK_INT(sipcodes_probe_alive(200, 0), 1);
    CHECK_INT(sipcodes_probe_alive(404, 0), 1);
    CHECK_INT(sipcodes_probe_alive(408, 0), 0);
    CHECK_INT(sipcodes_probe_alive(503, 0), 0);
    CHECK_INT(sipcodes_probe_alive(183, 0), 0);
    CHECK_INT(sipcodes_probe_alive(200, 1), 0);
    CHECK_INT(sipcodes_probe_alive(700, 0), -1);

    CHECK_INT(sipcodes_ping_parse("class=2;code=403;code=488", 25, &set, &err), 0);
    CHECK_INT(sipcodes_ping_format(&set, out, sizeof out), 25);
    CHECK_STR(out, "class=2;code=403;code=488");
    CHECK_INT(sipcodes_ping_parse("code=202;class=2", 16, &set, &err), 0);
    sipcodes_ping_format(&set, out, sizeof out);
    CHECK_STR(out, "class=2");
    CHECK_INT(sipcodes_ping_parse("class=4", 7, &set, &err), -1);
    CHECK_INT(sipcodes_ping_parse("code=408", 8, &set, &err), -1);
    CHECK_INT(sipcodes_ping_parse("code=503", 8, &set, &err), -1);
    CHECK_INT(sipcodes_ping_parse("code=40", 7, &set, &err), -1);
    CHECK_INT(sipcodes_ping_parse("code=4000", 9, &set, &err), -1);
    CHECK_INT(sipcodes_ping_parse("class=2;", 8, &set, &err), -1);
    CHECK_INT(err.pos, 8);
    CHECK_INT(sipcodes_ping_parse("", 0, &set, &err), -1);
    CHECK_INT(sipcodes_ping_parse(" class=2", 8, &set, &err), -1);
    CHECK_INT(err.pos, 0);
    sipcodes_ping_set_init(&set);
    CHECK_INT(sipcodes_ping_format(&set, out, sizeof out), 0);
    CHECK_STR(out, "");
    CHECK_INT(sipcodes_ping_add_code(&set, 183, &err), -1);
    CHECK_INT(sipcodes_ping_add_class(&set, 5, &err), -1);
    CHECK_INT(sipcodes_ping_add_class(&set, 6, &err), 0);
    CHECK_INT(sipcodes_ping_add_code(&set, 603, &err), 0); /* within class 6: left out */
    sipcodes_ping_format(&set, out, sizeof out);
    CHECK_STR(out, "class=6");
}

static void test_freeswitch(void)
{
    sipcodes_policy p;
    sipcodes_fs_conflict conf[600];
    char list[SIPCODES_FS_CAUSES_MAX];
    size_t n, i;
    int saw400 = 0;

    sipcodes_policy_init(&p, SIPCODES_PRESET_CARRIER);
    sipcodes_policy_fs_causes(&p, SIPCODES_ACT_NEXT, NULL, list, sizeof list, conf, 600, &n);
    /* 400, 481, 500, 503 share NORMAL_TEMPORARY_FAILURE: a tie, listed */
    CHECK_STR(list, "NETWORK_OUT_OF_ORDER,NORMAL_TEMPORARY_FAILURE,RECOVERY_ON_TIMER_EXPIRE");
    for (i = 0; i < n; i++) {
        if (i)
            CHECK(conf[i].code > conf[i - 1].code);
        CHECK(conf[i].code != 500 && conf[i].code != 503);
        if (conf[i].code == 400) {
            saw400 = 1;
            CHECK_INT(conf[i].action, SIPCODES_ACT_RELAY);
            CHECK_INT(conf[i].listed, 1);
        }
    }
    CHECK(saw400);
    sipcodes_policy_init(&p, SIPCODES_PRESET_RFC3261);
    sipcodes_policy_fs_causes(&p, SIPCODES_ACT_NEXT, NULL, list, sizeof list, conf, 600, &n);
    CHECK_STR(list, "");
    CHECK_INT(n, 1);
    CHECK_INT(conf[0].code, 503);
    CHECK_INT(conf[0].listed, 0);
    sipcodes_policy_init(&p, SIPCODES_PRESET_CARRIER);
    CHECK_INT(sipcodes_policy_fs_causes(&p, SIPCODES_ACT_AUTH, NULL, list, 4, conf, 0, &n), 0);
}

static void test_intents(void)
{
    CHECK_INT(sipcodes_intent_code("busy", 4), 486);
    CHECK_INT(sipcodes_intent_code("all_failed", 10), 500);
    CHECK_INT(sipcodes_intent_code("busy ", 5), 0);
    CHECK_INT(sipcodes_intent_code("", 0), 0);
}

int main(void)
{
    test_names();
    test_presets();
    test_context();
    test_settings();
    test_regex();
    test_probes();
    test_freeswitch();
    test_intents();
    return CTEST_DONE("test_policy");
}
