/*
 * sipcodes_outcome.c - outcome classes of final responses and Q.850
 * causes, the kinds of provisional responses, and KPI counters over named
 * profiles.  See sipcodes_outcome.h; the tables, with the sources of every
 * row, are in docs/outcomes.md, and spec/outcome_spec.lua checks this file
 * against that page.
 */
#include <limits.h>
#include <string.h>

#include "sipcodes.h"
#include "sipcodes_outcome.h"

/* ---- names ---------------------------------------------------------------- */

static const char sc_outcome_names[SIPCODES_OUTCOME_END][16] = {
    "",
#define SC_OUTCOME_NAME(e, s) s,
    SIPCODES_OUTCOMES(SC_OUTCOME_NAME)
#undef SC_OUTCOME_NAME
};

static const char sc_party_names[3][8] = {"", "user", "network"};

static const char sc_progress_names[SIPCODES_PROGRESS_END][24] = {
    "",
#define SC_PROGRESS_NAME(e, s) s,
    SIPCODES_PROGRESS_KINDS(SC_PROGRESS_NAME)
#undef SC_PROGRESS_NAME
};

static const char sc_ratio_names[SIPCODES_KPI_NRATIOS][5] = {
#define SC_RATIO_NAME(e, s) s,
    SIPCODES_KPI_RATIOS(SC_RATIO_NAME)
#undef SC_RATIO_NAME
};

static const char sc_profile_names[SIPCODES_KPI_NPROFILES][8] = {
#define SC_PROFILE_NAME(e, s) s,
    SIPCODES_KPI_PROFILES(SC_PROFILE_NAME)
#undef SC_PROFILE_NAME
};

const char *sipcodes_outcome_name(int category)
{
    return category > 0 && category < SIPCODES_OUTCOME_END ? sc_outcome_names[category] : NULL;
}

const char *sipcodes_party_name(int party)
{
    return party == SIPCODES_PARTY_USER || party == SIPCODES_PARTY_NETWORK ? sc_party_names[party]
                                                                            : NULL;
}

const char *sipcodes_progress_name(int kind)
{
    return kind > 0 && kind < SIPCODES_PROGRESS_END ? sc_progress_names[kind] : NULL;
}

const char *sipcodes_kpi_ratio_name(int ratio)
{
    return ratio >= 0 && ratio < SIPCODES_KPI_NRATIOS ? sc_ratio_names[ratio] : NULL;
}

const char *sipcodes_kpi_profile_name(int profile)
{
    return profile >= 0 && profile < SIPCODES_KPI_NPROFILES ? sc_profile_names[profile] : NULL;
}

/* The index of s[0..len) among n names of width w from first, or -1. */
static int sc_index_of(const char *names, size_t w, int first, int n, const char *s, size_t len)
{
    int i;

    for (i = first; i < n; i++) {
        const char *name = names + (size_t)i * w;
        if (strlen(name) == len && memcmp(name, s, len) == 0)
            return i;
    }
    return -1;
}

int sipcodes_outcome_find(const char *s, size_t len)
{
    int i = sc_index_of(sc_outcome_names[0], sizeof sc_outcome_names[0], 1,
                        SIPCODES_OUTCOME_END, s, len);
    return i < 0 ? 0 : i;
}

int sipcodes_kpi_ratio_find(const char *s, size_t len)
{
    return sc_index_of(sc_ratio_names[0], sizeof sc_ratio_names[0], 0, SIPCODES_KPI_NRATIOS, s, len);
}

int sipcodes_kpi_profile_find(const char *s, size_t len)
{
    return sc_index_of(sc_profile_names[0], sizeof sc_profile_names[0], 0, SIPCODES_KPI_NPROFILES,
                       s, len);
}

void sipcodes_outcome_ctx_init(sipcodes_outcome_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
}

/* ---- the tables --------------------------------------------------------- */

/* One row: a code (or cause), its category and party, in ascending order. */
typedef struct {
    short code;
    unsigned char category, party;
} sc_outcome_row;

#define A SIPCODES_OUTCOME_ANSWERED
#define B SIPCODES_OUTCOME_BUSY
#define NA SIPCODES_OUTCOME_NO_ANSWER
#define RJ SIPCODES_OUTCOME_REJECTED
#define CN SIPCODES_OUTCOME_CANCELED
#define RD SIPCODES_OUTCOME_REDIRECTED
#define AU SIPCODES_OUTCOME_AUTH_REQUIRED
#define NF SIPCODES_OUTCOME_NOT_FOUND
#define UN SIPCODES_OUTCOME_UNAVAILABLE
#define NW SIPCODES_OUTCOME_NETWORK_FAILURE
#define F SIPCODES_OUTCOME_FAILED
#define U SIPCODES_PARTY_USER
#define N SIPCODES_PARTY_NETWORK
#define X SIPCODES_PARTY_NONE

/* Final responses: every code of the registry from 200 to 699, and the
 * x00 of each class, which stands for the codes the table lacks.  Why
 * each row says what it says: docs/outcomes.md. */
static const sc_outcome_row sc_sip_rows[] = {
    {200, A, U},  {202, A, U},  {204, A, U},
    {300, RD, X}, {301, RD, X}, {302, RD, X}, {305, RD, X}, {380, RD, X},
    {400, F, N},  {401, AU, X}, {402, RJ, X}, {403, RJ, X}, {404, NF, X}, {405, F, N},
    {406, F, N},  {407, AU, X}, {408, NW, N}, {409, F, N},  {410, NF, X}, {411, F, N},
    {412, F, X},  {413, F, N},  {414, F, N},  {415, F, N},  {416, F, N},  {417, F, N},
    {420, F, N},  {421, F, N},  {422, F, N},  {423, F, N},  {424, F, X},  {425, F, X},
    {428, F, X},  {429, F, X},  {430, NW, N}, {433, RJ, U}, {436, F, X},  {437, F, X},
    {438, F, X},  {439, F, N},  {440, F, N},  {469, F, X},  {470, RJ, X}, {480, UN, U},
    {481, F, N},  {482, F, N},  {483, F, N},  {484, NF, X}, {485, NF, X}, {486, B, U},
    {487, CN, U}, {488, F, X},  {489, F, X},  {490, F, X},  {491, F, X},  {493, F, X},
    {494, F, X},
    {500, NW, N}, {501, F, N},  {502, NW, N}, {503, NW, N}, {504, NW, N}, {505, F, N},
    {513, F, N},  {555, F, N},  {580, F, N},
    {600, B, U},  {603, RJ, U}, {604, NF, X}, {606, F, X},  {607, RJ, U}, {608, RJ, N},
    {687, F, X},
};

/* Q.850 causes: the ones with a meaning of their own, and the unspecified
 * cause of each class (31, 47, 63, 79, 95, 111, 127), which stands for
 * the causes of its class the table lacks.  16 is decided in code. */
static const sc_outcome_row sc_q850_rows[] = {
    {1, NF, X},   {2, NF, N},   {3, NF, N},   {6, F, N},    {17, B, U},   {18, NA, U},
    {19, NA, U},  {20, UN, U},  {21, RJ, U},  {22, NF, X},  {23, RD, X},  {25, F, N},
    {26, CN, U},  {27, NW, N},  {28, NF, X},  {29, F, N},   {30, F, N},   {31, F, X},
    {34, NW, N},  {38, NW, N},  {41, NW, N},  {42, NW, N},  {43, NW, N},  {44, NW, N},
    {47, NW, N},
    {50, RJ, X},  {52, RJ, X},  {53, RJ, X},  {54, RJ, X},  {55, RJ, X},  {57, RJ, X},
    {58, NW, N},  {63, F, N},
    {65, F, X},   {66, F, N},   {69, F, N},   {70, F, X},   {79, F, N},
    {87, RJ, X},  {88, F, X},   {95, F, N},
    {102, NW, N}, {111, F, N},
    {127, F, N},
};

#undef A
#undef B
#undef NA
#undef RJ
#undef CN
#undef RD
#undef AU
#undef NF
#undef UN
#undef NW
#undef F
#undef U
#undef N
#undef X

/* The row of code among n rows, or NULL. */
static const sc_outcome_row *sc_row(const sc_outcome_row *rows, size_t n, int code)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid].code == code)
            return &rows[mid];
        if (rows[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* What a NULL ctx stands for: nothing known. */
static const sipcodes_outcome_ctx sc_no_ctx = {0, 0, 0, 0, 0};

static int sc_put(int category, int party, int *out)
{
    if (out)
        *out = party;
    return category;
}

int sipcodes_outcome(int code, const sipcodes_outcome_ctx *ctx, int *party)
{
    const sc_outcome_row *row;

    if (!ctx)
        ctx = &sc_no_ctx;
    if (code < 200 || code > 699)
        return sc_put(SIPCODES_OUTCOME_NONE, SIPCODES_PARTY_NONE, party);
    /* A success answers the call, whatever else happened (a cancel that
     * crossed a 200 loses: the call is up). */
    if (code < 300)
        return sc_put(SIPCODES_OUTCOME_ANSWERED, SIPCODES_PARTY_USER, party);
    /* Once the caller cancelled, the final response only confirms it. */
    if (ctx->canceled)
        return sc_put(SIPCODES_OUTCOME_CANCELED, SIPCODES_PARTY_USER, party);
    /* A second challenge: the credentials given were refused. */
    if ((code == 401 || code == 407) && ctx->auth_tried)
        return sc_put(SIPCODES_OUTCOME_REJECTED, SIPCODES_PARTY_NONE, party);
    /* It rang, and then timed out or became unavailable: nobody answered.
     * (A 408 with nothing received, local_timeout, stays a network
     * failure, the row's answer.) */
    if ((code == 408 || code == 480) && ctx->provisional && !ctx->local_timeout)
        return sc_put(SIPCODES_OUTCOME_NO_ANSWER, SIPCODES_PARTY_USER, party);
    row = sc_row(sc_sip_rows, sizeof sc_sip_rows / sizeof sc_sip_rows[0], code);
    if (!row) /* RFC 3261 §8.1.3.2: an unknown code as the x00 of its class */
        row = sc_row(sc_sip_rows, sizeof sc_sip_rows / sizeof sc_sip_rows[0], code / 100 * 100);
    return sc_put(row->category, row->party, party);
}

int sipcodes_q850_outcome(int cause, const sipcodes_outcome_ctx *ctx, int *party)
{
    /* The unspecified cause of each class of 16 causes (Q.850 §2.2.5). */
    static const unsigned char unspecified[8] = {31, 31, 47, 63, 79, 95, 111, 127};
    const sc_outcome_row *row;

    if (!ctx)
        ctx = &sc_no_ctx;
    if (cause < 1 || cause > 127)
        return sc_put(SIPCODES_OUTCOME_NONE, SIPCODES_PARTY_NONE, party);
    /* An answered call is answered, whatever cleared it afterwards. */
    if (ctx->answered)
        return sc_put(SIPCODES_OUTCOME_ANSWERED, SIPCODES_PARTY_USER, party);
    /* Normal clearing before an answer is a party hanging up: the caller
     * (RFC 3398 §7.2.4.1: 16 comes as BYE or CANCEL, not as a response). */
    if (cause == 16 || ctx->canceled)
        return sc_put(SIPCODES_OUTCOME_CANCELED, SIPCODES_PARTY_USER, party);
    row = sc_row(sc_q850_rows, sizeof sc_q850_rows / sizeof sc_q850_rows[0], cause);
    if (!row)
        row = sc_row(sc_q850_rows, sizeof sc_q850_rows / sizeof sc_q850_rows[0],
                     unspecified[cause >> 4]);
    return sc_put(row->category, row->party, party);
}

/* ---- provisional responses ---------------------------------------------- */

int sipcodes_progress_kind(int code, int has_sdp)
{
    switch (code) {
    case 100:
        return SIPCODES_PROGRESS_TRYING;
    case 180: /* ringing with a session description plays the far end's media */
        return has_sdp ? SIPCODES_PROGRESS_EARLY_MEDIA : SIPCODES_PROGRESS_RINGING;
    case 181:
        return SIPCODES_PROGRESS_FORWARDED;
    case 182:
        return SIPCODES_PROGRESS_QUEUED;
    case 183:
        return SIPCODES_PROGRESS_EARLY_MEDIA;
    case 199:
        return SIPCODES_PROGRESS_EARLY_DIALOG_TERMINATED;
    default:
        return code > 100 && code < 200 ? SIPCODES_PROGRESS_PROGRESS : SIPCODES_PROGRESS_NONE;
    }
}

/* ---- KPIs ----------------------------------------------------------------- */

/* A profile's ratio as data: the codes it counts and the codes left out
 * of its denominator, 0-terminated; -N stands for the class Nxx. */
typedef struct {
    unsigned char defined;
    short codes[8];
    short exclude[6];
} sc_kpi_row;

/* The profiles (docs/outcomes.md says where each set comes from). */
static const sc_kpi_row sc_kpi_profiles[SIPCODES_KPI_NPROFILES][SIPCODES_KPI_NRATIOS] = {
    /* homer: sipcapture/homer-config metric/kamailio5/kpi.cfg */
    {
        {1, {200}, {407}},                     /* asr */
        {1, {200, 486, 487, 603}, {407}},      /* ner */
        {0, {0}, {0}},                         /* seer */
        {1, {408, 500, 503, 504}, {407}},      /* isa */
        {1, {500, 503, 504}, {407}},           /* sdr */
    },
    /* rfc6076: §4.6 SER (as asr), §4.7 SEER, §4.8 ISA */
    {
        {1, {200}, {-3, 401, 402, 407}},       /* asr (SER) */
        {0, {0}, {0}},                         /* ner */
        {1, {200, 480, 486, 600, 603}, {-3}},  /* seer */
        {1, {408, 500, 503, 504}, {0}},        /* isa */
        {0, {0}, {0}},                         /* sdr */
    },
    /* custom: nothing until the caller says */
    {{0, {0}, {0}}, {0, {0}, {0}}, {0, {0}, {0}}, {0, {0}, {0}}, {0, {0}, {0}}},
};

void sipcodes_kpi_set_code(unsigned char *set, int code)
{
    if (code >= SIPCODES_KPI_MIN && code <= SIPCODES_KPI_MAX) {
        unsigned i = (unsigned)(code - SIPCODES_KPI_MIN);
        set[i >> 3] |= (unsigned char)(1u << (i & 7));
    }
}

void sipcodes_kpi_set_class(unsigned char *set, int cls)
{
    int c;

    for (c = cls * 100; c < cls * 100 + 100; c++)
        sipcodes_kpi_set_code(set, c);
}

int sipcodes_kpi_has(const unsigned char *set, int code)
{
    unsigned i;

    if (code < SIPCODES_KPI_MIN || code > SIPCODES_KPI_MAX)
        return 0;
    i = (unsigned)(code - SIPCODES_KPI_MIN);
    return (set[i >> 3] >> (i & 7)) & 1;
}

/* Copy a 0-terminated row list into out (room for max, 0-terminated). */
static void sc_copy_list(const short *in, size_t n, int *out, size_t max)
{
    size_t i;

    for (i = 0; i < n && in[i] != 0 && i + 1 < max; i++)
        out[i] = in[i];
    if (max)
        out[i] = 0;
}

int sipcodes_kpi_profile_lists(int profile, int ratio, int *codes, int *exclude, size_t max)
{
    const sc_kpi_row *r;

    if (profile < 0 || profile >= SIPCODES_KPI_NPROFILES || ratio < 0 ||
        ratio >= SIPCODES_KPI_NRATIOS)
        return 0;
    r = &sc_kpi_profiles[profile][ratio];
    sc_copy_list(r->codes, sizeof r->codes / sizeof r->codes[0], codes, max);
    sc_copy_list(r->exclude, sizeof r->exclude / sizeof r->exclude[0], exclude, max);
    return r->defined;
}

/* Put a row list (codes and -N classes) into a set. */
static void sc_fill_set(unsigned char *set, const short *list, size_t n)
{
    size_t i;

    for (i = 0; i < n && list[i] != 0; i++) {
        if (list[i] < 0)
            sipcodes_kpi_set_class(set, -list[i]);
        else
            sipcodes_kpi_set_code(set, list[i]);
    }
}

int sipcodes_kpi_init(sipcodes_kpi *k, int profile)
{
    int r;

    if (profile < 0 || profile >= SIPCODES_KPI_NPROFILES)
        return -1;
    memset(k, 0, sizeof *k);
    for (r = 0; r < SIPCODES_KPI_NRATIOS; r++) {
        const sc_kpi_row *row = &sc_kpi_profiles[profile][r];
        k->def[r].defined = row->defined;
        sc_fill_set(k->def[r].codes, row->codes, sizeof row->codes / sizeof row->codes[0]);
        sc_fill_set(k->def[r].exclude, row->exclude, sizeof row->exclude / sizeof row->exclude[0]);
    }
    return 0;
}

int sipcodes_kpi_add(sipcodes_kpi *k, int code, const sipcodes_outcome_ctx *ctx)
{
    int r, category;

    if (code < SIPCODES_KPI_MIN || code > SIPCODES_KPI_MAX)
        return -1;
    /* Every counter is at most attempts: stopping there keeps the ratios
     * true instead of wrapping (2^64 responses will not come; 2^32 may on
     * a 32-bit long). */
    if (k->attempts == ULONG_MAX)
        return 0;
    k->attempts++;
    k->counts[code - SIPCODES_KPI_MIN]++;
    category = sipcodes_outcome(code, ctx, NULL);
    for (r = 0; r < SIPCODES_KPI_NRATIOS; r++) {
        const sipcodes_kpi_def *d = &k->def[r];
        if (!d->defined)
            continue;
        if (sipcodes_kpi_has(d->exclude, code))
            k->excluded[r]++;
        else if (sipcodes_kpi_has(d->codes, code) || (d->outcomes >> category) & 1u)
            k->num[r]++;
    }
    return 0;
}

int sipcodes_kpi_ratio_of(const sipcodes_kpi *k, int ratio, unsigned long *num, unsigned long *den)
{
    unsigned long d;

    if (ratio < 0 || ratio >= SIPCODES_KPI_NRATIOS || !k->def[ratio].defined)
        return 0;
    d = k->attempts - k->excluded[ratio];
    if (num)
        *num = k->num[ratio];
    if (den)
        *den = d;
    return d != 0;
}
