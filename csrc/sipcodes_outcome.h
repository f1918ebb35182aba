/*
 * sipcodes_outcome.h - what a call's ending says, in plain C: the outcome
 * class of a final response or of a Q.850 cause (answered, busy, no answer,
 * ...), the party it is put down to, the kind of a provisional response,
 * and KPI counters (ASR, NER, SEER, ISA, SDR) over named profiles of code
 * sets.  No Lua here.
 *
 * The tables are static const data; a KPI counter is a plain struct the
 * caller owns (a Lua userdata in the binding), so every function may run
 * in any number of threads at once.  The tables and their sources are
 * documented in docs/outcomes.md.
 */
#ifndef SIPCODES_OUTCOME_H
#define SIPCODES_OUTCOME_H

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#include <stddef.h>

/* The outcome categories, numbered from 1 in this order (0: none, as for a
 * provisional response): an X-macro of (enum name, the name scripts use). */
#define SIPCODES_OUTCOMES(X)                  \
    X(ANSWERED, "answered")                   \
    X(BUSY, "busy")                           \
    X(NO_ANSWER, "no_answer")                 \
    X(REJECTED, "rejected")                   \
    X(CANCELED, "canceled")                   \
    X(REDIRECTED, "redirected")               \
    X(AUTH_REQUIRED, "auth_required")         \
    X(NOT_FOUND, "not_found")                 \
    X(UNAVAILABLE, "unavailable")             \
    X(NETWORK_FAILURE, "network_failure")     \
    X(FAILED, "failed")

typedef enum {
    SIPCODES_OUTCOME_NONE = 0,
#define SIPCODES_OUTCOME_ENUM(e, s) SIPCODES_OUTCOME_##e,
    SIPCODES_OUTCOMES(SIPCODES_OUTCOME_ENUM)
#undef SIPCODES_OUTCOME_ENUM
    SIPCODES_OUTCOME_END /* one past the last */
} sipcodes_outcome_category;

/* Who an outcome is put down to. */
typedef enum {
    SIPCODES_PARTY_NONE = 0, /* neither fits: a redirect, a challenge, ... */
    SIPCODES_PARTY_USER,     /* the called side decided (or the caller gave up) */
    SIPCODES_PARTY_NETWORK   /* the network or a server failed or decided */
} sipcodes_party;

/* The name of a category ("no_answer") or party ("user"); NULL for none
 * and outside the enums. */
const char *sipcodes_outcome_name(int category);
const char *sipcodes_party_name(int party);

/* The category named s[0..len), or 0. */
int sipcodes_outcome_find(const char *s, size_t len);

/* What is known about the call besides the code or cause: the fields of
 * the routing ctx that matter here, and whether the call was answered. */
typedef struct {
    int local_timeout; /* nothing was received: a 408 is the proxy's own */
    int provisional;   /* a provisional other than 100 came back */
    int canceled;      /* the caller cancelled */
    int auth_tried;    /* a challenge was answered already */
    int answered;      /* the call was answered: a Q.850 cause of it is
                        * answered (16 too); responses ignore it */
} sipcodes_outcome_ctx;

/* A ctx that knows nothing. */
void sipcodes_outcome_ctx_init(sipcodes_outcome_ctx *ctx);

/* The category of final response code (200-699) in ctx (NULL: none), and
 * its party in *party (may be NULL).  A code the table lacks is read as
 * the x00 of its class (RFC 3261 §8.1.3.2).  0 and party none for 1xx and
 * anything outside 100-699. */
int sipcodes_outcome(int code, const sipcodes_outcome_ctx *ctx, int *party);

/* The same for a Q.850 cause 1-127; a cause the table lacks is read as the
 * unspecified cause of its Q.850 class.  0 outside 1-127. */
int sipcodes_q850_outcome(int cause, const sipcodes_outcome_ctx *ctx, int *party);

/* ---- provisional responses -------------------------------------------- */

#define SIPCODES_PROGRESS_KINDS(X)                       \
    X(TRYING, "trying")                                  \
    X(RINGING, "ringing")                                \
    X(EARLY_MEDIA, "early_media")                        \
    X(FORWARDED, "forwarded")                            \
    X(QUEUED, "queued")                                  \
    X(PROGRESS, "progress")                              \
    X(EARLY_DIALOG_TERMINATED, "early_dialog_terminated")

typedef enum {
    SIPCODES_PROGRESS_NONE = 0,
#define SIPCODES_PROGRESS_ENUM(e, s) SIPCODES_PROGRESS_##e,
    SIPCODES_PROGRESS_KINDS(SIPCODES_PROGRESS_ENUM)
#undef SIPCODES_PROGRESS_ENUM
    SIPCODES_PROGRESS_END
} sipcodes_progress;

/* The kind of provisional response code (100-199), has_sdp when it carries
 * a session description; 0 for anything else. */
int sipcodes_progress_kind(int code, int has_sdp);

/* The name of a kind ("early_media"); NULL for none. */
const char *sipcodes_progress_name(int kind);

/* ---- KPIs ---------------------------------------------------------------- */

/* The ratios, in report order: (enum name, the name scripts use). */
#define SIPCODES_KPI_RATIOS(X) X(ASR, "asr") X(NER, "ner") X(SEER, "seer") X(ISA, "isa") X(SDR, "sdr")

typedef enum {
#define SIPCODES_KPI_ENUM(e, s) SIPCODES_KPI_##e,
    SIPCODES_KPI_RATIOS(SIPCODES_KPI_ENUM)
#undef SIPCODES_KPI_ENUM
    SIPCODES_KPI_NRATIOS
} sipcodes_kpi_ratio;

/* The profiles: (enum name, the name kpi.new takes).  CUSTOM defines no
 * ratio until the caller sets them. */
#define SIPCODES_KPI_PROFILES(X) X(HOMER, "homer") X(RFC6076, "rfc6076") X(CUSTOM, "custom")

typedef enum {
#define SIPCODES_KPI_PROFILE_ENUM(e, s) SIPCODES_KPI_PROFILE_##e,
    SIPCODES_KPI_PROFILES(SIPCODES_KPI_PROFILE_ENUM)
#undef SIPCODES_KPI_PROFILE_ENUM
    SIPCODES_KPI_NPROFILES
} sipcodes_kpi_profile;

const char *sipcodes_kpi_ratio_name(int ratio);
const char *sipcodes_kpi_profile_name(int profile);
int sipcodes_kpi_ratio_find(const char *s, size_t len);   /* -1: none */
int sipcodes_kpi_profile_find(const char *s, size_t len); /* -1: none */

/* The final codes a counter takes, and the bytes of a code set over them. */
#define SIPCODES_KPI_MIN 200
#define SIPCODES_KPI_MAX 699
#define SIPCODES_KPI_NCODES (SIPCODES_KPI_MAX - SIPCODES_KPI_MIN + 1)
#define SIPCODES_KPI_SETBYTES ((SIPCODES_KPI_NCODES + 7) / 8)

/* One ratio: the responses it counts (codes, or outcome categories, as
 * bits 1 << category) over the attempts minus the excluded codes. */
typedef struct {
    int defined;
    unsigned char codes[SIPCODES_KPI_SETBYTES];
    unsigned char exclude[SIPCODES_KPI_SETBYTES];
    unsigned outcomes;
} sipcodes_kpi_def;

/* A counter: the definitions, then what add() counted. */
typedef struct {
    sipcodes_kpi_def def[SIPCODES_KPI_NRATIOS];
    unsigned long attempts;
    unsigned long num[SIPCODES_KPI_NRATIOS];
    unsigned long excluded[SIPCODES_KPI_NRATIOS];
    unsigned long counts[SIPCODES_KPI_NCODES];
} sipcodes_kpi;

/* Code-set helpers: add code (or class c * 100 .. c * 100 + 99 for
 * sipcodes_kpi_set_class) to a set, test a code. */
void sipcodes_kpi_set_code(unsigned char *set, int code);
void sipcodes_kpi_set_class(unsigned char *set, int cls);
int sipcodes_kpi_has(const unsigned char *set, int code);

/* The profile's definitions as a list for display, per ratio: the codes
 * it counts (a class as -N for "Nxx"), 0-terminated, into codes (room for
 * max), the excluded ones into exclude; returns whether the profile
 * defines the ratio. */
int sipcodes_kpi_profile_lists(int profile, int ratio, int *codes, int *exclude, size_t max);

/* Start a counter with a profile's definitions.  -1 for a profile outside
 * the enum. */
int sipcodes_kpi_init(sipcodes_kpi *k, int profile);

/* Count one final response (200-699) to an INVITE in ctx (NULL: none).
 * Returns 0, or -1 for a code outside 200-699 (nothing counted).  The
 * counters saturate rather than wrap. */
int sipcodes_kpi_add(sipcodes_kpi *k, int code, const sipcodes_outcome_ctx *ctx);

/* A ratio's numerator and denominator; returns 0 when the ratio is not
 * defined or its denominator is 0 (no ratio), else 1. */
int sipcodes_kpi_ratio_of(const sipcodes_kpi *k, int ratio, unsigned long *num, unsigned long *den);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
