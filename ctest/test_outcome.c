/*
 * test_outcome.c - outcome classes, progress kinds and KPI counters of the
 * pure C core, without Lua.  The expected answers are typed here from the
 * tables of docs/outcomes.md; spec/outcome_spec.lua checks the Lua side
 * against that page itself.
 */
#include <limits.h>
#include <string.h>

#include "ctest.h"
#include "sipcodes_outcome.h"

static const char *cat(int code, const sipcodes_outcome_ctx *ctx)
{
    return sipcodes_outcome_name(sipcodes_outcome(code, ctx, NULL));
}

static const char *party(int code, const sipcodes_outcome_ctx *ctx)
{
    int p = -1;

    sipcodes_outcome(code, ctx, &p);
    return sipcodes_party_name(p);
}

static const char *qcat(int cause, const sipcodes_outcome_ctx *ctx)
{
    return sipcodes_outcome_name(sipcodes_q850_outcome(cause, ctx, NULL));
}

static const char *qparty(int cause, const sipcodes_outcome_ctx *ctx)
{
    int p = -1;

    sipcodes_q850_outcome(cause, ctx, &p);
    return sipcodes_party_name(p);
}

static void test_names(void)
{
    CHECK_STR(sipcodes_outcome_name(SIPCODES_OUTCOME_ANSWERED), "answered");
    CHECK_STR(sipcodes_outcome_name(SIPCODES_OUTCOME_FAILED), "failed");
    CHECK(sipcodes_outcome_name(0) == NULL);
    CHECK(sipcodes_outcome_name(SIPCODES_OUTCOME_END) == NULL);
    CHECK(sipcodes_outcome_name(-1) == NULL);
    CHECK_INT(sipcodes_outcome_find("no_answer", 9), SIPCODES_OUTCOME_NO_ANSWER);
    CHECK_INT(sipcodes_outcome_find("no_answe", 8), 0);
    CHECK_INT(sipcodes_outcome_find("", 0), 0);
    CHECK_STR(sipcodes_party_name(SIPCODES_PARTY_USER), "user");
    CHECK_STR(sipcodes_party_name(SIPCODES_PARTY_NETWORK), "network");
    CHECK(sipcodes_party_name(SIPCODES_PARTY_NONE) == NULL);
    CHECK(sipcodes_party_name(3) == NULL);
    CHECK_STR(sipcodes_progress_name(SIPCODES_PROGRESS_EARLY_DIALOG_TERMINATED),
              "early_dialog_terminated");
    CHECK(sipcodes_progress_name(0) == NULL);
    CHECK_STR(sipcodes_kpi_ratio_name(SIPCODES_KPI_SDR), "sdr");
    CHECK(sipcodes_kpi_ratio_name(SIPCODES_KPI_NRATIOS) == NULL);
    CHECK_INT(sipcodes_kpi_ratio_find("seer", 4), SIPCODES_KPI_SEER);
    CHECK_INT(sipcodes_kpi_ratio_find("ser", 3), -1);
    CHECK_INT(sipcodes_kpi_profile_find("rfc6076", 7), SIPCODES_KPI_PROFILE_RFC6076);
    CHECK_INT(sipcodes_kpi_profile_find("HOMER", 5), -1);
    CHECK_STR(sipcodes_kpi_profile_name(SIPCODES_KPI_PROFILE_CUSTOM), "custom");
}

/* The rows, and a few of each class. */
static void test_sip_rows(void)
{
    static const struct {
        int code;
        const char *category, *party;
    } rows[] = {
        {200, "answered", "user"},      {202, "answered", "user"},
        {486, "busy", "user"},          {600, "busy", "user"},
        {487, "canceled", "user"},      {603, "rejected", "user"},
        {404, "not_found", NULL},       {604, "not_found", NULL},
        {401, "auth_required", NULL},   {407, "auth_required", NULL},
        {300, "redirected", NULL},      {302, "redirected", NULL},
        {380, "redirected", NULL},      {480, "unavailable", "user"},
        {500, "network_failure", "network"}, {502, "network_failure", "network"},
        {503, "network_failure", "network"}, {504, "network_failure", "network"},
        {408, "network_failure", "network"}, {430, "network_failure", "network"},
        {403, "rejected", NULL},        {402, "rejected", NULL},
        {433, "rejected", "user"},      {607, "rejected", "user"},
        {608, "rejected", "network"},   {410, "not_found", NULL},
        {484, "not_found", NULL},       {485, "not_found", NULL},
        {488, "failed", NULL},          {606, "failed", NULL},
        {400, "failed", "network"},     {482, "failed", "network"},
        {501, "failed", "network"},     {580, "failed", "network"},
        {687, "failed", NULL},          {494, "failed", NULL},
        /* unknown codes: the x00 of their class */
        {299, "answered", "user"},      {399, "redirected", NULL},
        {499, "failed", "network"},     {599, "network_failure", "network"},
        {699, "busy", "user"},          {650, "busy", "user"},
    };
    size_t i;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        CHECK_STR(cat(rows[i].code, NULL), rows[i].category);
        CHECK_STR(party(rows[i].code, NULL), rows[i].party);
    }
    /* none for provisional codes and outside the responses */
    CHECK_INT(sipcodes_outcome(100, NULL, NULL), 0);
    CHECK_INT(sipcodes_outcome(183, NULL, NULL), 0);
    CHECK_INT(sipcodes_outcome(199, NULL, NULL), 0);
    CHECK_INT(sipcodes_outcome(700, NULL, NULL), 0);
    CHECK_INT(sipcodes_outcome(99, NULL, NULL), 0);
    CHECK_INT(sipcodes_outcome(-486, NULL, NULL), 0);
    CHECK_INT(sipcodes_outcome(INT_MAX, NULL, NULL), 0);
    {
        int p = 7;
        sipcodes_outcome(180, NULL, &p);
        CHECK_INT(p, SIPCODES_PARTY_NONE);
    }
}

static void test_sip_ctx(void)
{
    sipcodes_outcome_ctx c;

    sipcodes_outcome_ctx_init(&c);
    CHECK_STR(cat(408, &c), "network_failure");
    c.provisional = 1;
    CHECK_STR(cat(408, &c), "no_answer");
    CHECK_STR(party(408, &c), "user");
    CHECK_STR(cat(480, &c), "no_answer");
    CHECK_STR(cat(503, &c), "network_failure"); /* only 408 and 480 */
    CHECK_STR(cat(486, &c), "busy");
    c.local_timeout = 1; /* nothing received wins over a stray flag */
    CHECK_STR(cat(408, &c), "network_failure");
    CHECK_STR(party(408, &c), "network");
    CHECK_STR(cat(480, &c), "unavailable");

    sipcodes_outcome_ctx_init(&c);
    c.local_timeout = 1;
    CHECK_STR(cat(408, &c), "network_failure");

    sipcodes_outcome_ctx_init(&c);
    c.canceled = 1;
    CHECK_STR(cat(299, &c), "answered");
    c.provisional = 1; /* the cancel comes first */
    CHECK_STR(cat(408, &c), "canceled");
    CHECK_STR(cat(480, &c), "canceled");
    c.provisional = 0;
    CHECK_STR(cat(487, &c), "canceled");
    CHECK_STR(cat(486, &c), "canceled");
    CHECK_STR(cat(408, &c), "canceled");
    CHECK_STR(party(503, &c), "user");
    CHECK_STR(cat(200, &c), "answered"); /* the 200 crossed the CANCEL */
    CHECK_STR(cat(302, &c), "canceled");

    sipcodes_outcome_ctx_init(&c);
    c.auth_tried = 1;
    CHECK_STR(cat(401, &c), "rejected");
    CHECK_STR(cat(407, &c), "rejected");
    CHECK_STR(party(407, &c), NULL);
    CHECK_STR(cat(403, &c), "rejected");
    CHECK_STR(cat(486, &c), "busy");

    sipcodes_outcome_ctx_init(&c);
    c.answered = 1; /* not read for a response */
    CHECK_STR(cat(486, &c), "busy");
}

static void test_q850(void)
{
    static const struct {
        int cause;
        const char *category, *party;
    } rows[] = {
        {1, "not_found", NULL},        {2, "not_found", "network"},
        {3, "not_found", "network"},   {17, "busy", "user"},
        {18, "no_answer", "user"},     {19, "no_answer", "user"},
        {20, "unavailable", "user"},   {21, "rejected", "user"},
        {22, "not_found", NULL},       {23, "redirected", NULL},
        {26, "canceled", "user"},      {27, "network_failure", "network"},
        {28, "not_found", NULL},       {31, "failed", NULL},
        {34, "network_failure", "network"}, {38, "network_failure", "network"},
        {41, "network_failure", "network"}, {42, "network_failure", "network"},
        {47, "network_failure", "network"}, {57, "rejected", NULL},
        {58, "network_failure", "network"}, {63, "failed", "network"},
        {65, "failed", NULL},          {79, "failed", "network"},
        {87, "rejected", NULL},        {88, "failed", NULL},
        {102, "network_failure", "network"}, {111, "failed", "network"},
        {127, "failed", "network"},
        /* causes the table lacks: the unspecified cause of their class */
        {4, "failed", NULL},           {15, "failed", NULL},
        {32, "network_failure", "network"}, {39, "network_failure", "network"},
        {48, "failed", "network"},     {64, "failed", "network"},
        {90, "failed", "network"},     {100, "failed", "network"},
        {112, "failed", "network"},    {126, "failed", "network"},
    };
    sipcodes_outcome_ctx c;
    size_t i;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        CHECK_STR(qcat(rows[i].cause, NULL), rows[i].category);
        CHECK_STR(qparty(rows[i].cause, NULL), rows[i].party);
    }
    CHECK_STR(qcat(16, NULL), "canceled");
    CHECK_STR(qparty(16, NULL), "user");
    sipcodes_outcome_ctx_init(&c);
    c.answered = 1;
    CHECK_STR(qcat(16, &c), "answered");
    CHECK_STR(qcat(41, &c), "answered");
    sipcodes_outcome_ctx_init(&c);
    c.canceled = 1;
    CHECK_STR(qcat(17, &c), "canceled");
    c.answered = 1; /* an answered call first */
    CHECK_STR(qcat(41, &c), "answered");
    CHECK_INT(sipcodes_q850_outcome(0, NULL, NULL), 0);
    CHECK_INT(sipcodes_q850_outcome(128, NULL, NULL), 0);
    CHECK_INT(sipcodes_q850_outcome(487, NULL, NULL), 0);
    CHECK_INT(sipcodes_q850_outcome(-1, NULL, NULL), 0);
}

static void test_progress(void)
{
    CHECK_STR(sipcodes_progress_name(sipcodes_progress_kind(100, 0)), "trying");
    CHECK_STR(sipcodes_progress_name(sipcodes_progress_kind(100, 1)), "trying");
    CHECK_STR(sipcodes_progress_name(sipcodes_progress_kind(180, 0)), "ringing");
    CHECK_STR(sipcodes_progress_name(sipcodes_progress_kind(180, 1)), "early_media");
    CHECK_STR(sipcodes_progress_name(sipcodes_progress_kind(183, 0)), "early_media");
    CHECK_STR(sipcodes_progress_name(sipcodes_progress_kind(181, 0)), "forwarded");
    CHECK_STR(sipcodes_progress_name(sipcodes_progress_kind(182, 1)), "queued");
    CHECK_STR(sipcodes_progress_name(sipcodes_progress_kind(199, 0)), "early_dialog_terminated");
    CHECK_STR(sipcodes_progress_name(sipcodes_progress_kind(101, 0)), "progress");
    CHECK_STR(sipcodes_progress_name(sipcodes_progress_kind(150, 1)), "progress");
    CHECK_INT(sipcodes_progress_kind(200, 0), 0);
    CHECK_INT(sipcodes_progress_kind(99, 0), 0);
    CHECK_INT(sipcodes_progress_kind(486, 1), 0);
}

static double ratio(const sipcodes_kpi *k, int r)
{
    unsigned long num, den;

    if (!sipcodes_kpi_ratio_of(k, r, &num, &den))
        return -1.0;
    return (double)num / (double)den;
}

/* The mix, by hand:
 *   200 x4, 486 x2, 487, 603 x2, 407 x2, 408, 503 x2, 302, 404, 480, 600
 *   = 18 attempts.
 * homer (den = 18 - 2 (407) = 16):
 *   asr 4/16, ner (200 486 487 603) 4+2+1+2 = 9/16, isa (408 500 503 504)
 *   1+2 = 3/16, sdr (500 503 504) 2/16, seer undefined.
 * rfc6076:
 *   asr = SER: den = 18 - 1 (302) - 2 (407) = 15, 4/15;
 *   seer: den = 18 - 1 (302) = 17, (200 480 486 600 603) 4+1+2+1+2 = 10/17;
 *   isa: den 18, 3/18; ner, sdr undefined. */
static void test_kpi(void)
{
    static const int mix[] = {200, 486, 407, 200, 487, 603, 408, 503, 302,
                              404, 200, 503, 407, 486, 480, 600, 200};
    sipcodes_kpi h, r;
    size_t i;
    int codes[16], exclude[16];

    CHECK_INT(sipcodes_kpi_init(&h, SIPCODES_KPI_NPROFILES), -1);
    CHECK_INT(sipcodes_kpi_init(&h, -1), -1);
    CHECK_INT(sipcodes_kpi_init(&h, SIPCODES_KPI_PROFILE_HOMER), 0);
    CHECK_INT(sipcodes_kpi_init(&r, SIPCODES_KPI_PROFILE_RFC6076), 0);
    /* nothing counted: no ratio */
    CHECK(ratio(&h, SIPCODES_KPI_ASR) < 0);
    CHECK(ratio(&r, SIPCODES_KPI_ISA) < 0);
    for (i = 0; i < sizeof mix / sizeof mix[0]; i++) {
        CHECK_INT(sipcodes_kpi_add(&h, mix[i], NULL), 0);
        CHECK_INT(sipcodes_kpi_add(&r, mix[i], NULL), 0);
    }
    /* 17 in the list; the 18th is a 603 added separately */
    CHECK_INT(sipcodes_kpi_add(&h, 603, NULL), 0);
    CHECK_INT(sipcodes_kpi_add(&r, 603, NULL), 0);
    /* the ends of the range */
    {
        sipcodes_kpi e;
        sipcodes_kpi_init(&e, SIPCODES_KPI_PROFILE_HOMER);
        CHECK_INT(sipcodes_kpi_add(&e, 699, NULL), 0);
        CHECK_INT(sipcodes_kpi_add(&e, 200, NULL), 0);
        CHECK_INT(e.attempts, 2);
        CHECK_INT(e.counts[699 - SIPCODES_KPI_MIN], 1);
        CHECK(sipcodes_kpi_has(e.def[SIPCODES_KPI_ASR].codes, 200));
        sipcodes_kpi_set_code(e.def[SIPCODES_KPI_ASR].codes, 699);
        CHECK(sipcodes_kpi_has(e.def[SIPCODES_KPI_ASR].codes, 699));
        sipcodes_kpi_set_code(e.def[SIPCODES_KPI_ASR].codes, 700); /* ignored */
        CHECK(!sipcodes_kpi_has(e.def[SIPCODES_KPI_ASR].codes, 700));
    }
    /* refused: not final responses */
    CHECK_INT(sipcodes_kpi_add(&h, 180, NULL), -1);
    CHECK_INT(sipcodes_kpi_add(&h, 700, NULL), -1);
    CHECK_INT(sipcodes_kpi_add(&h, 199, NULL), -1);
    CHECK_INT(h.attempts, 18);
    CHECK_INT(h.counts[200 - SIPCODES_KPI_MIN], 4);
    CHECK_INT(h.counts[603 - SIPCODES_KPI_MIN], 2);
    CHECK_INT(h.counts[699 - SIPCODES_KPI_MIN], 0);
    CHECK(ratio(&h, SIPCODES_KPI_ASR) == 4.0 / 16);
    CHECK(ratio(&h, SIPCODES_KPI_NER) == 9.0 / 16);
    CHECK(ratio(&h, SIPCODES_KPI_ISA) == 3.0 / 16);
    CHECK(ratio(&h, SIPCODES_KPI_SDR) == 2.0 / 16);
    CHECK(ratio(&h, SIPCODES_KPI_SEER) < 0);
    CHECK(ratio(&r, SIPCODES_KPI_ASR) == 4.0 / 15);
    CHECK(ratio(&r, SIPCODES_KPI_SEER) == 10.0 / 17);
    CHECK(ratio(&r, SIPCODES_KPI_ISA) == 3.0 / 18);
    CHECK(ratio(&r, SIPCODES_KPI_NER) < 0);
    CHECK(ratio(&r, SIPCODES_KPI_SDR) < 0);

    /* the profiles as lists */
    CHECK_INT(sipcodes_kpi_profile_lists(SIPCODES_KPI_PROFILE_RFC6076, SIPCODES_KPI_ASR, codes,
                                         exclude, 16), 1);
    CHECK_INT(codes[0], 200);
    CHECK_INT(codes[1], 0);
    CHECK_INT(exclude[0], -3);
    CHECK_INT(exclude[1], 401);
    CHECK_INT(exclude[2], 402);
    CHECK_INT(exclude[3], 407);
    CHECK_INT(exclude[4], 0);
    CHECK_INT(sipcodes_kpi_profile_lists(SIPCODES_KPI_PROFILE_HOMER, SIPCODES_KPI_SEER, codes,
                                         exclude, 16), 0);
    CHECK_INT(sipcodes_kpi_profile_lists(SIPCODES_KPI_PROFILE_HOMER, SIPCODES_KPI_NER, codes,
                                         exclude, 3), 1);
    CHECK_INT(codes[0], 200); /* cut to room for 2 and the end */
    CHECK_INT(codes[1], 486);
    CHECK_INT(codes[2], 0);
    CHECK_INT(sipcodes_kpi_profile_lists(SIPCODES_KPI_NPROFILES, 0, codes, exclude, 16), 0);
    CHECK_INT(sipcodes_kpi_profile_lists(0, SIPCODES_KPI_NRATIOS, codes, exclude, 16), 0);
}

static void test_kpi_custom(void)
{
    sipcodes_kpi k;
    sipcodes_outcome_ctx c;

    CHECK_INT(sipcodes_kpi_init(&k, SIPCODES_KPI_PROFILE_CUSTOM), 0);
    CHECK_INT(sipcodes_kpi_add(&k, 200, NULL), 0);
    CHECK(ratio(&k, SIPCODES_KPI_ASR) < 0); /* defines nothing */
    /* a ratio by outcome, with classes: no_answer over all but 3xx */
    sipcodes_kpi_init(&k, SIPCODES_KPI_PROFILE_CUSTOM);
    k.def[SIPCODES_KPI_NER].defined = 1;
    k.def[SIPCODES_KPI_NER].outcomes = 1u << SIPCODES_OUTCOME_NO_ANSWER;
    sipcodes_kpi_set_class(k.def[SIPCODES_KPI_NER].exclude, 3);
    sipcodes_kpi_set_code(k.def[SIPCODES_KPI_NER].codes, 200);
    CHECK(sipcodes_kpi_has(k.def[SIPCODES_KPI_NER].exclude, 300));
    CHECK(sipcodes_kpi_has(k.def[SIPCODES_KPI_NER].exclude, 399));
    CHECK(!sipcodes_kpi_has(k.def[SIPCODES_KPI_NER].exclude, 400));
    CHECK(!sipcodes_kpi_has(k.def[SIPCODES_KPI_NER].exclude, 299));
    CHECK(!sipcodes_kpi_has(k.def[SIPCODES_KPI_NER].exclude, 100));
    CHECK(!sipcodes_kpi_has(k.def[SIPCODES_KPI_NER].exclude, 1000));
    sipcodes_outcome_ctx_init(&c);
    c.provisional = 1;
    sipcodes_kpi_add(&k, 408, &c);  /* no_answer: counted */
    sipcodes_kpi_add(&k, 408, NULL); /* network_failure: not */
    sipcodes_kpi_add(&k, 302, NULL); /* excluded */
    sipcodes_kpi_add(&k, 200, NULL); /* by code */
    CHECK(ratio(&k, SIPCODES_KPI_NER) == 2.0 / 3);
    /* a code both counted and excluded is only excluded */
    sipcodes_kpi_set_code(k.def[SIPCODES_KPI_NER].codes, 302);
    sipcodes_kpi_add(&k, 302, NULL);
    CHECK(ratio(&k, SIPCODES_KPI_NER) == 2.0 / 3);
    /* everything excluded: no ratio */
    sipcodes_kpi_init(&k, SIPCODES_KPI_PROFILE_RFC6076);
    sipcodes_kpi_add(&k, 302, NULL);
    CHECK(ratio(&k, SIPCODES_KPI_ASR) < 0);
    CHECK(ratio(&k, SIPCODES_KPI_ISA) == 0.0);
}

static void test_kpi_saturates(void)
{
    sipcodes_kpi k;

    sipcodes_kpi_init(&k, SIPCODES_KPI_PROFILE_HOMER);
    k.attempts = ULONG_MAX - 1;
    k.num[SIPCODES_KPI_ASR] = ULONG_MAX - 1;
    k.counts[0] = ULONG_MAX - 1;
    CHECK_INT(sipcodes_kpi_add(&k, 200, NULL), 0);
    CHECK(k.attempts == ULONG_MAX);
    CHECK(k.num[SIPCODES_KPI_ASR] == ULONG_MAX);
    CHECK_INT(sipcodes_kpi_add(&k, 200, NULL), 0); /* held, not wrapped */
    CHECK(k.attempts == ULONG_MAX);
    CHECK(k.num[SIPCODES_KPI_ASR] == ULONG_MAX);
    CHECK(k.counts[0] == ULONG_MAX);
    CHECK(ratio(&k, SIPCODES_KPI_ASR) == 1.0);
}

int main(void)
{
    test_names();
    test_sip_rows();
    test_sip_ctx();
    test_q850();
    test_progress();
    test_kpi();
    test_kpi_custom();
    test_kpi_saturates();
    return CTEST_DONE("test_outcome");
}
