/*
 * sipcodes_policy.h - failover policies in plain C: what a route does after
 * a response comes back (wait, relay it, try the next destination, ...),
 * the presets that say it per code, and what follows from a policy: its
 * code sets, a Kamailio t_check_status regex, FreeSWITCH cause lists, probe
 * verdicts and the dispatcher's ds_ping_reply_codes.  No Lua here.
 *
 * The presets are static const data; a policy is a plain struct the caller
 * owns (a Lua userdata in the binding), so nothing here is shared or
 * mutable and every function may run in any number of threads at once.
 */
#ifndef SIPCODES_POLICY_H
#define SIPCODES_POLICY_H

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#include <stddef.h>

#include "sipcodes_proto.h"

/* The actions, in the order of their numbers: an X-macro of (enum name,
 * the name scripts use). */
#define SIPCODES_ACTIONS(X)      \
    X(WAIT, "wait")              \
    X(DONE, "done")              \
    X(RELAY, "relay")            \
    X(NEXT, "next")              \
    X(NEXT_DOWN, "next_down")    \
    X(AUTH, "auth")              \
    X(REDIRECT, "redirect")      \
    X(AMEND, "amend")

typedef enum {
#define SIPCODES_ACT_ENUM(e, s) SIPCODES_ACT_##e,
    SIPCODES_ACTIONS(SIPCODES_ACT_ENUM)
#undef SIPCODES_ACT_ENUM
    SIPCODES_NACTIONS
} sipcodes_action;

/* The name of an action ("next_down"), or NULL outside the enum. */
const char *sipcodes_action_name(int action);

/* The action named s[0..len), or -1. */
int sipcodes_action_find(const char *s, size_t len);

/* The presets: (enum name, the name policy.new takes). */
#define SIPCODES_PRESETS(X)    \
    X(RFC3261, "rfc3261")      \
    X(CARRIER, "carrier")      \
    X(LCR, "lcr")

typedef enum {
#define SIPCODES_PRESET_ENUM(e, s) SIPCODES_PRESET_##e,
    SIPCODES_PRESETS(SIPCODES_PRESET_ENUM)
#undef SIPCODES_PRESET_ENUM
    SIPCODES_NPRESETS
} sipcodes_preset;

/* The preset named s[0..len), or -1. */
int sipcodes_preset_find(const char *s, size_t len);
const char *sipcodes_preset_name(int preset);

/* The codes a policy decides for: 100-699, what may come back on the wire. */
#define SIPCODES_POLICY_CODES 600

/* Mark-down times, in seconds, are clamped to this. */
#define SIPCODES_DOWN_LIMIT 86400

/* A policy: an action and the rule that set it for every code, and the
 * knobs that decide-time rules read.  Fill it with sipcodes_policy_init,
 * then change it with sipcodes_policy_set_code / _set_class and the knobs. */
typedef struct {
    unsigned char action[SIPCODES_POLICY_CODES]; /* sipcodes_action, code - 100 */
    unsigned char rule[SIPCODES_POLICY_CODES];   /* the rule that set it */
    unsigned char preset;
    unsigned char follow_redirects;      /* 3xx -> redirect; else relay */
    unsigned char failover_after_ringing; /* next after a provisional came back */
    unsigned char no_response;           /* the action when nothing came back */
    unsigned max_redirects;              /* redirects followed before relaying */
    unsigned down_min, down_max;         /* Retry-After is clamped to these */
    unsigned down_default;               /* mark-down time without Retry-After */
} sipcodes_policy;

/* What a route knows besides the code.  retry_after < 0: none came. */
typedef struct {
    int local_timeout; /* nothing was received: the 408 is the proxy's own */
    int provisional;   /* a provisional other than 100 came back */
    int canceled;      /* the caller cancelled */
    int auth_tried;    /* a challenge was answered already */
    long retry_after;  /* seconds of the response's Retry-After, or -1 */
    unsigned redirects; /* redirects followed so far */
} sipcodes_policy_ctx;

/* The ctx of a route that knows nothing more. */
void sipcodes_policy_ctx_init(sipcodes_policy_ctx *ctx);

/* Fill p with a preset's decisions and knobs.  Returns 0, or -1 for a
 * preset outside the enum. */
int sipcodes_policy_init(sipcodes_policy *p, int preset);

/* Set the action of one code (300-699) or of a whole class (3-6, every
 * code of it, also those the registry lacks); the code's own setting wins
 * over its class's whatever the order of the calls.  Returns 0, or -1 for
 * a code or class outside those ranges or an action a final response
 * cannot have (wait, done). */
int sipcodes_policy_set_code(sipcodes_policy *p, int code, int action);
int sipcodes_policy_set_class(sipcodes_policy *p, int cls, int action);

/* The decision for code (100-699) in ctx (NULL: none): the action, in *why
 * a short English sentence naming the rule, and in *seconds the mark-down
 * time for next_down (0 otherwise).  Returns -1 for a code outside
 * 100-699.  A final code the registry lacks is decided as its class's x00
 * code is (RFC 3261 8.1.3.2), settings of that code included, unless a
 * setting names the code itself. */
int sipcodes_policy_decide(const sipcodes_policy *p, int code, const sipcodes_policy_ctx *ctx,
                           const char **why, unsigned *seconds);

/* The codes 100-699 whose decision in ctx is action, ascending, into
 * out[0..cap); returns how many there are (at most 600). */
size_t sipcodes_policy_codes(const sipcodes_policy *p, int action, const sipcodes_policy_ctx *ctx,
                             int *out, size_t cap);

/* A POSIX extended regular expression that matches exactly the three-digit
 * strings of the sorted codes[0..n): "^(5[0-9][0-9]|40[89])$", whole
 * classes and decades written as brackets; "^$" for none.  Writes at most
 * cap bytes with the NUL; returns the length, or 0 when cap is too small
 * (SIPCODES_REGEX_MAX always suffices). */
#define SIPCODES_REGEX_MAX 4096
size_t sipcodes_codes_regex(const int *codes, size_t n, char *out, size_t cap);

/* FreeSWITCH's continue_on_fail / failure_causes take hangup cause names,
 * and mod_sofia collapses SIP codes onto causes, so a policy cannot always
 * be written as a cause list.  The list that comes closest: the causes
 * (ascending, comma-separated, into out) at least half of whose registry
 * codes 300-699 the policy decides as action; and every conflict, a code whose
 * decision differs from what the list says about its cause, ascending by
 * code into conf[0..ccap) (*nconf: how many there are).  Returns the
 * list's length (0 for none, or when cap is too small:
 * SIPCODES_FS_CAUSES_MAX always suffices). */
#define SIPCODES_FS_CAUSES_MAX 2048
typedef struct {
    int code, cause, action; /* the code, mod_sofia's cause for it, its action */
    int listed;              /* the cause is in the list (so the code is not) */
} sipcodes_fs_conflict;
size_t sipcodes_policy_fs_causes(const sipcodes_policy *p, int action, const sipcodes_policy_ctx *ctx,
                                 char *out, size_t cap, sipcodes_fs_conflict *conf, size_t ccap,
                                 size_t *nconf);

/* Does a reply to an OPTIONS probe show that the destination is up?  Any
 * final response that came back, except 408 and 5xx; never a local
 * timeout, never a provisional.  -1 for a code outside 100-699. */
int sipcodes_probe_alive(int code, int local_timeout);

/* Kamailio dispatcher's ds_ping_reply_codes, the probe replies besides 200
 * that keep a destination up: "class=2;code=403;code=488".  A set refuses
 * what would keep a dead destination up (408, which tm makes itself on a
 * timeout, class 4 which holds it, 5xx and class 5) and what cannot end a
 * probe (1xx). */
typedef struct {
    unsigned char classes[7];                  /* [2..6] */
    unsigned char codes[SIPCODES_POLICY_CODES]; /* code - 100 */
} sipcodes_ping_set;

void sipcodes_ping_set_init(sipcodes_ping_set *set);
int sipcodes_ping_add_code(sipcodes_ping_set *set, int code, sipcodes_error *err);
int sipcodes_ping_add_class(sipcodes_ping_set *set, int cls, sipcodes_error *err);

/* Read the modparam's syntax (items "class=N" and "code=NNN" separated by
 * ';', no spaces) into set; 0, or -1 with err. */
int sipcodes_ping_parse(const char *s, size_t len, sipcodes_ping_set *set, sipcodes_error *err);

/* Write set in that syntax, classes first, a code its class covers left
 * out; the length, or 0 when cap is too small (SIPCODES_PING_MAX always
 * suffices; an empty set is ""). */
#define SIPCODES_PING_MAX 4096
size_t sipcodes_ping_format(const sipcodes_ping_set *set, char *out, size_t cap);

/* Intents: what a script sends when it decides the call's fate itself:
 * (enum name, intent name, code). */
#define SIPCODES_INTENTS(X)               \
    X(BUSY, "busy", 486)                  \
    X(DECLINE, "decline", 603)            \
    X(NO_ANSWER, "no_answer", 480)        \
    X(NOT_REGISTERED, "not_registered", 480) \
    X(NO_ROUTE, "no_route", 404)          \
    X(OVERLOAD, "overload", 503)          \
    X(ALL_FAILED, "all_failed", 500)

/* The code for the intent named s[0..len), or 0. */
int sipcodes_intent_code(const char *s, size_t len);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
