/*
 * sipcodes_policy.c - failover policies: the presets as data, the rules
 * that read a route's context, and what follows from a policy (code sets,
 * regexes, probe verdicts).  See sipcodes_policy.h.
 */
#include <string.h>

#include "sipcodes.h"
#include "sipcodes_policy.h"
#include "sipcodes_proto.h"
#include "sipcodes_interop.h"

/* ---- names ---------------------------------------------------------------- */

static const char sc_action_names[SIPCODES_NACTIONS][12] = {
#define SC_ACT_NAME(e, s) s,
    SIPCODES_ACTIONS(SC_ACT_NAME)
#undef SC_ACT_NAME
};

static const char sc_preset_names[SIPCODES_NPRESETS][8] = {
#define SC_PRESET_NAME(e, s) s,
    SIPCODES_PRESETS(SC_PRESET_NAME)
#undef SC_PRESET_NAME
};

const char *sipcodes_action_name(int action)
{
    return action >= 0 && action < SIPCODES_NACTIONS ? sc_action_names[action] : NULL;
}

/* The index of s[0..len) among n names of width w, or -1. */
static int sc_name_index(const char *names, size_t w, int n, const char *s, size_t len)
{
    int i;

    for (i = 0; i < n; i++) {
        const char *name = names + (size_t)i * w;
        if (strlen(name) == len && memcmp(name, s, len) == 0)
            return i;
    }
    return -1;
}

int sipcodes_action_find(const char *s, size_t len)
{
    return sc_name_index(sc_action_names[0], sizeof sc_action_names[0], SIPCODES_NACTIONS, s, len);
}

int sipcodes_preset_find(const char *s, size_t len)
{
    return sc_name_index(sc_preset_names[0], sizeof sc_preset_names[0], SIPCODES_NPRESETS, s, len);
}

const char *sipcodes_preset_name(int preset)
{
    return preset >= 0 && preset < SIPCODES_NPRESETS ? sc_preset_names[preset] : NULL;
}

/* ---- rules ------------------------------------------------------------------ */

/* Every rule a decision can come from: (name, action, why).  The first
 * group is what the presets assign per code; the second what decide()
 * applies from the context.  The sentences are what `why` says. */
#define SC_RULES(X)                                                                          \
    X(PROVISIONAL, WAIT, "a provisional response: wait for the final one")                   \
    X(SUCCESS, DONE, "a success: the request is answered")                                   \
    X(REDIRECT, REDIRECT, "a redirection: try the Contact targets")                          \
    X(AUTH, AUTH, "a challenge: answer it and retry")                                        \
    X(AMEND, AMEND, "the destination asks for a changed request: amend it and retry there")  \
    X(BUSY, RELAY, "the callee is busy: relay the answer, trying elsewhere rings again")     \
    X(TERMINATED, RELAY, "the request was terminated: relay the answer")                     \
    X(GLOBAL, RELAY, "a global failure ends the search (RFC 3261 21.6): relay it")           \
    X(CLIENT, RELAY, "a request failure that another destination would repeat: relay it")    \
    X(SERVER, NEXT, "a server failure: try the next destination")                            \
    X(TIMEOUT, NEXT, "a 408 came back before any ringing: try the next destination")        \
    X(NO_ROUTE, NEXT, "this destination has no route for the number: try the next one")      \
    X(UNAVAILABLE, NEXT, "the destination is unavailable: try the next one (RFC 3263)")      \
    X(STRICT, RELAY, "only a 503 or no response moves to the next destination (RFC 3263): relay it") \
    X(CODE, RELAY, "the policy sets this action for the code")                               \
    X(CLASS, RELAY, "the policy sets this action for the code's class")                      \
    X(CANCELED, RELAY, "the caller cancelled: relay, try nothing more")                      \
    X(NO_RESPONSE, NEXT_DOWN, "nothing came back: try the next destination, mark this one down") \
    X(NO_RESPONSE_NEXT, NEXT, "nothing came back: try the next destination (RFC 3263)")    \
    X(NO_ANSWER, RELAY, "it rang but nobody answered: relay the timeout")                    \
    X(RINGING, RELAY, "it rang already: no failover after ringing, relay the answer")        \
    X(AUTH_AGAIN, RELAY, "a second challenge after answering one: a failure, relay it")      \
    X(AUTH_AGAIN_NEXT, NEXT, "a second challenge after answering one: try the next destination") \
    X(NO_REDIRECTS, RELAY, "this policy does not follow redirects: relay it")                \
    X(REDIRECTS_DONE, RELAY, "enough redirects were followed: relay it")                     \
    X(RETRY_AFTER, NEXT_DOWN, "a 503 with Retry-After: try the next destination, mark this one down for that long")

enum {
#define SC_RULE_ENUM(n, a, w) SC_R_##n,
    SC_RULES(SC_RULE_ENUM)
#undef SC_RULE_ENUM
    SC_NRULES
};

static const char sc_rule_why[SC_NRULES][96] = {
#define SC_RULE_WHY(n, a, w) w,
    SC_RULES(SC_RULE_WHY)
#undef SC_RULE_WHY
};

static const unsigned char sc_rule_action[SC_NRULES] = {
#define SC_RULE_ACT(n, a, w) SIPCODES_ACT_##a,
    SC_RULES(SC_RULE_ACT)
#undef SC_RULE_ACT
};

/* What a preset says per code: rows of (first code, last code, rule),
 * later rows overriding earlier ones; codes the registry lacks take their
 * class's x00 code's rule when the policy is made. */
typedef struct {
    unsigned short lo, hi;
    unsigned char rule;
} sc_span;

#define SC_SPAN(lo, hi, r) {lo, hi, SC_R_##r}

/* rfc3261: a proxy that follows RFC 3261 and RFC 3263 to the letter: only
 * 503 and no response move to the next destination; challenges and
 * redirections go back to the caller (RFC 3261 22.3, 16.5). */
static const sc_span sc_rfc3261[] = {
    SC_SPAN(300, 699, STRICT),
    SC_SPAN(300, 399, REDIRECT),
    SC_SPAN(503, 503, UNAVAILABLE),
};

/* carrier: what deployments agree on (docs/routing.md, Sources): server
 * failures and a received 408 move on; busy,
 * terminated, 6xx and other request failures are relayed; trunks answer
 * challenges; requests the destination wants changed are amended. */
static const sc_span sc_carrier[] = {
    SC_SPAN(300, 399, REDIRECT),
    SC_SPAN(400, 499, CLIENT),
    SC_SPAN(401, 401, AUTH),
    SC_SPAN(407, 407, AUTH),
    SC_SPAN(408, 408, TIMEOUT),
    SC_SPAN(420, 423, AMEND),
    SC_SPAN(491, 491, AMEND),
    SC_SPAN(494, 494, AMEND),
    SC_SPAN(486, 486, BUSY),
    SC_SPAN(487, 487, TERMINATED),
    SC_SPAN(500, 599, SERVER),
    SC_SPAN(600, 699, GLOBAL),
    SC_SPAN(600, 600, BUSY),
};

/* lcr: carrier, and a route that cannot reach the number is one carrier's
 * failure, so not found, incomplete, ambiguous, unavailable and declined
 * move to the next one as least-cost routers do. */
static const sc_span sc_lcr_extra[] = {
    SC_SPAN(404, 404, NO_ROUTE),
    SC_SPAN(480, 480, NO_ROUTE),
    SC_SPAN(484, 485, NO_ROUTE),
    SC_SPAN(603, 603, NO_ROUTE),
};

static void sc_apply(sipcodes_policy *p, const sc_span *s, size_t n)
{
    size_t i;
    int c;

    for (i = 0; i < n; i++)
        for (c = s[i].lo; c <= s[i].hi; c++) {
            p->rule[c - 100] = s[i].rule;
            p->action[c - 100] = sc_rule_action[s[i].rule];
        }
}

void sipcodes_policy_ctx_init(sipcodes_policy_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->retry_after = -1;
}

int sipcodes_policy_init(sipcodes_policy *p, int preset)
{
    int c;

    if (preset < 0 || preset >= SIPCODES_NPRESETS)
        return -1;
    memset(p, 0, sizeof *p);
    p->preset = (unsigned char)preset;
    for (c = 100; c < 200; c++) {
        p->rule[c - 100] = SC_R_PROVISIONAL;
        p->action[c - 100] = SIPCODES_ACT_WAIT;
    }
    for (c = 200; c < 300; c++) {
        p->rule[c - 100] = SC_R_SUCCESS;
        p->action[c - 100] = SIPCODES_ACT_DONE;
    }
    if (preset == SIPCODES_PRESET_RFC3261) {
        sc_apply(p, sc_rfc3261, sizeof sc_rfc3261 / sizeof sc_rfc3261[0]);
        p->no_response = SC_R_NO_RESPONSE_NEXT;
    } else {
        sc_apply(p, sc_carrier, sizeof sc_carrier / sizeof sc_carrier[0]);
        if (preset == SIPCODES_PRESET_LCR)
            sc_apply(p, sc_lcr_extra, sizeof sc_lcr_extra / sizeof sc_lcr_extra[0]);
        p->no_response = SC_R_NO_RESPONSE;
    }
    p->max_redirects = 3;
    p->down_min = 0;
    p->down_max = 3600;
    p->down_default = 60;
    return 0;
}

static int sc_final_action(int action)
{
    return action > SIPCODES_ACT_DONE && action < SIPCODES_NACTIONS;
}

int sipcodes_policy_set_code(sipcodes_policy *p, int code, int action)
{
    if (code < 300 || code > 699 || !sc_final_action(action))
        return -1;
    p->rule[code - 100] = SC_R_CODE;
    p->action[code - 100] = (unsigned char)action;
    return 0;
}

int sipcodes_policy_set_class(sipcodes_policy *p, int cls, int action)
{
    int c;

    if (cls < 3 || cls > 6 || !sc_final_action(action))
        return -1;
    for (c = cls * 100; c < cls * 100 + 100; c++)
        if (p->rule[c - 100] != SC_R_CODE) {
            p->rule[c - 100] = SC_R_CLASS;
            p->action[c - 100] = (unsigned char)action;
        }
    return 0;
}

static unsigned sc_clamp(const sipcodes_policy *p, long v)
{
    unsigned s = v > (long)SIPCODES_DOWN_LIMIT ? SIPCODES_DOWN_LIMIT : (unsigned)v;

    if (s < p->down_min)
        s = p->down_min;
    if (s > p->down_max)
        s = p->down_max;
    return s;
}

int sipcodes_policy_decide(const sipcodes_policy *p, int code, const sipcodes_policy_ctx *ctx,
                           const char **why, unsigned *seconds)
{
    sipcodes_policy_ctx none;
    int rule, action;

    *seconds = 0;
    *why = "";
    if (code < 100 || code > 699)
        return -1;
    if (!ctx) {
        sipcodes_policy_ctx_init(&none);
        ctx = &none;
    }
    /* A final code the registry lacks is its class's x00 (RFC 3261
     * 8.1.3.2), as that code is set now, unless a setting names it. */
    if (code >= 300 && p->rule[code - 100] != SC_R_CODE && !sipcodes_lookup(code))
        code = code / 100 * 100;
    rule = p->rule[code - 100];
    action = p->action[code - 100];
    if (code >= 300) {
        if (ctx->canceled) {
            rule = SC_R_CANCELED;
        } else if (ctx->local_timeout) {
            rule = ctx->provisional && !p->failover_after_ringing ? SC_R_NO_ANSWER : p->no_response;
        } else {
            if (action == SIPCODES_ACT_AUTH && ctx->auth_tried) {
                /* Answered once and challenged again: a failure, which
                 * carrier relays and lcr takes elsewhere. */
                rule = p->preset == SIPCODES_PRESET_LCR ? SC_R_AUTH_AGAIN_NEXT : SC_R_AUTH_AGAIN;
            } else if (action == SIPCODES_ACT_REDIRECT) {
                if (!p->follow_redirects)
                    rule = SC_R_NO_REDIRECTS;
                else if (ctx->redirects >= p->max_redirects)
                    rule = SC_R_REDIRECTS_DONE;
            } else if (code == 503 && action == SIPCODES_ACT_NEXT && ctx->retry_after >= 0 &&
                       rule != SC_R_CODE && rule != SC_R_CLASS) {
                rule = SC_R_RETRY_AFTER;
            }
            if (rule != p->rule[code - 100])
                action = sc_rule_action[rule];
            if ((action == SIPCODES_ACT_NEXT || action == SIPCODES_ACT_NEXT_DOWN) &&
                ctx->provisional && !p->failover_after_ringing)
                rule = SC_R_RINGING;
        }
        if (rule != p->rule[code - 100])
            action = sc_rule_action[rule];
    }
    if (action == SIPCODES_ACT_NEXT_DOWN)
        *seconds = ctx->retry_after >= 0 && !ctx->local_timeout ? sc_clamp(p, ctx->retry_after)
                                                                : sc_clamp(p, p->down_default);
    *why = sc_rule_why[rule];
    return action;
}

size_t sipcodes_policy_codes(const sipcodes_policy *p, int action, const sipcodes_policy_ctx *ctx,
                             int *out, size_t cap)
{
    size_t n = 0;
    int c;

    for (c = 100; c < 700; c++) {
        const char *why;
        unsigned s;
        if (sipcodes_policy_decide(p, c, ctx, &why, &s) == action) {
            if (n < cap)
                out[n] = c;
            n++;
        }
    }
    return n;
}

/* ---- regexes ------------------------------------------------------------- */

typedef struct {
    char *out;
    size_t cap, len;
    int over;
} sc_buf;

static void sc_put(sc_buf *b, const char *s, size_t n)
{
    if (b->over || b->len + n >= b->cap) {
        b->over = 1;
        return;
    }
    memcpy(b->out + b->len, s, n);
    b->len += n;
}

static void sc_putc(sc_buf *b, char c)
{
    sc_put(b, &c, 1);
}

/* A bracket of the digits set in d[0..10): "[0-9]", "[2-4]", "[068]", or
 * the digit itself. */
static void sc_put_digits(sc_buf *b, const unsigned char *d)
{
    int i, n = 0;

    for (i = 0; i < 10; i++)
        n += d[i];
    if (n == 1) {
        for (i = 0; i < 10; i++)
            if (d[i])
                sc_putc(b, (char)('0' + i));
        return;
    }
    sc_putc(b, '[');
    for (i = 0; i < 10;) {
        int j;
        if (!d[i]) {
            i++;
            continue;
        }
        for (j = i; j + 1 < 10 && d[j + 1]; j++)
            ;
        sc_putc(b, (char)('0' + i));
        if (j - i >= 2) {
            sc_putc(b, '-');
            sc_putc(b, (char)('0' + j));
        } else if (j > i) {
            sc_putc(b, (char)('0' + j));
        }
        i = j + 1;
    }
    sc_putc(b, ']');
}

size_t sipcodes_codes_regex(const int *codes, size_t n, char *out, size_t cap)
{
    /* set[c] for the 1000 three-digit strings. */
    unsigned char set[1000];
    sc_buf b;
    size_t i;
    int cls, dec, first = 1;

    b.out = out;
    b.cap = cap;
    b.len = 0;
    b.over = 0;
    memset(set, 0, sizeof set);
    for (i = 0; i < n; i++)
        if (codes[i] >= 0 && codes[i] <= 999)
            set[codes[i]] = 1;
    sc_put(&b, "^", 1);
    for (i = 0; i < n && !(codes[i] >= 0 && codes[i] <= 999); i++)
        ;
    if (i < n)
        sc_putc(&b, '(');
    for (cls = 0; cls < 10; cls++) {
        int whole = 1;
        for (i = 0; i < 100; i++)
            whole &= set[cls * 100 + i];
        if (whole) {
            if (!first)
                sc_putc(&b, '|');
            first = 0;
            sc_putc(&b, (char)('0' + cls));
            sc_put(&b, "[0-9][0-9]", 10);
            continue;
        }
        /* Decades that are whole, grouped: "4[0-2][0-9]". */
        {
            unsigned char full[10];
            int any = 0;
            for (dec = 0; dec < 10; dec++) {
                int w = 1;
                for (i = 0; i < 10; i++)
                    w &= set[cls * 100 + dec * 10 + (int)i];
                full[dec] = (unsigned char)w;
                any |= w;
            }
            if (any) {
                if (!first)
                    sc_putc(&b, '|');
                first = 0;
                sc_putc(&b, (char)('0' + cls));
                sc_put_digits(&b, full);
                sc_put(&b, "[0-9]", 5);
            }
            /* The other decades, each with its digits: "48[067]". */
            for (dec = 0; dec < 10; dec++) {
                unsigned char d[10];
                int some = 0;
                if (full[dec])
                    continue;
                for (i = 0; i < 10; i++) {
                    d[i] = set[cls * 100 + dec * 10 + (int)i];
                    some |= d[i];
                }
                if (!some)
                    continue;
                if (!first)
                    sc_putc(&b, '|');
                first = 0;
                sc_putc(&b, (char)('0' + cls));
                sc_putc(&b, (char)('0' + dec));
                sc_put_digits(&b, d);
            }
        }
    }
    if (!first)
        sc_putc(&b, ')');
    sc_putc(&b, '$');
    if (b.over || b.len >= cap)
        return 0;
    out[b.len] = '\0';
    return b.len;
}

/* ---- probes and intents ------------------------------------------------------ */

int sipcodes_probe_alive(int code, int local_timeout)
{
    if (code < 100 || code > 699)
        return -1;
    if (local_timeout || code < 200 || code == 408 || (code >= 500 && code < 600))
        return 0;
    return 1;
}

static const struct {
    char name[16];
    short code;
} sc_intents[] = {
#define SC_INTENT_ROW(e, s, c) {s, c},
    SIPCODES_INTENTS(SC_INTENT_ROW)
#undef SC_INTENT_ROW
};

int sipcodes_intent_code(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof sc_intents / sizeof sc_intents[0]; i++)
        if (strlen(sc_intents[i].name) == len && memcmp(sc_intents[i].name, s, len) == 0)
            return sc_intents[i].code;
    return 0;
}

/* ---- Kamailio dispatcher probes ----------------------------------------------- */

void sipcodes_ping_set_init(sipcodes_ping_set *set)
{
    memset(set, 0, sizeof *set);
}

int sipcodes_ping_add_code(sipcodes_ping_set *set, int code, sipcodes_error *err)
{
    err->pos = 0;
    if (code < 200 || code > 699) {
        err->msg = code >= 100 && code < 200 ? "a provisional reply never ends a probe"
                                             : "a probe reply code must be 200 to 699";
        return -1;
    }
    if (code == 408 || (code >= 500 && code < 600)) {
        err->msg = code == 408 ? "408 would keep a dead destination up: the proxy makes it itself"
                               : "a 5xx reply says the destination is failing: it would keep it up";
        return -1;
    }
    set->codes[code - 100] = 1;
    return 0;
}

int sipcodes_ping_add_class(sipcodes_ping_set *set, int cls, sipcodes_error *err)
{
    err->pos = 0;
    if (cls < 2 || cls > 6) {
        err->msg = "a probe reply class must be 2 to 6";
        return -1;
    }
    if (cls == 4 || cls == 5) {
        err->msg = cls == 4 ? "class 4 includes the 408 the proxy makes itself: it would keep a dead destination up"
                            : "class 5 says the destination is failing: it would keep it up";
        return -1;
    }
    set->classes[cls] = 1;
    return 0;
}

/* The number at s[*i..len) (1 to 3 digits), or -1. */
static int sc_ping_number(const char *s, size_t len, size_t *i, size_t maxd)
{
    size_t start = *i;
    int v = 0;

    while (*i < len && *i - start < maxd && s[*i] >= '0' && s[*i] <= '9')
        v = v * 10 + (s[(*i)++] - '0');
    return *i > start && (*i == len || s[*i] == ';') ? v : -1;
}

int sipcodes_ping_parse(const char *s, size_t len, sipcodes_ping_set *set, sipcodes_error *err)
{
    size_t i = 0;

    if (len > SIPCODES_MAX_LINE) {
        err->pos = 0;
        err->msg = "input too long";
        return -1;
    }
    sipcodes_ping_set_init(set);
    if (len == 0) {
        err->pos = 0;
        err->msg = "empty: expected class=N or code=NNN";
        return -1;
    }
    while (i < len) {
        size_t at = i;
        int v, r;
        if (len - i >= 6 && memcmp(s + i, "class=", 6) == 0) {
            i += 6;
            if ((v = sc_ping_number(s, len, &i, 1)) < 0) {
                err->pos = i;
                err->msg = "expected one digit after class=";
                return -1;
            }
            r = sipcodes_ping_add_class(set, v, err);
        } else if (len - i >= 5 && memcmp(s + i, "code=", 5) == 0) {
            i += 5;
            if ((v = sc_ping_number(s, len, &i, 3)) < 0 || i - at != 8) {
                err->pos = i;
                err->msg = "expected three digits after code=";
                return -1;
            }
            r = sipcodes_ping_add_code(set, v, err);
        } else {
            err->pos = i;
            err->msg = "expected class=N or code=NNN";
            return -1;
        }
        if (r) {
            err->pos = at;
            return -1;
        }
        if (i < len) {
            i++; /* the ';' */
            if (i == len) {
                err->pos = i;
                err->msg = "expected class=N or code=NNN after ';'";
                return -1;
            }
        }
    }
    return 0;
}

size_t sipcodes_ping_format(const sipcodes_ping_set *set, char *out, size_t cap)
{
    sc_buf b;
    int c;

    b.out = out;
    b.cap = cap;
    b.len = 0;
    b.over = 0;
    for (c = 2; c <= 6; c++)
        if (set->classes[c]) {
            char item[8] = "class=0";
            item[6] = (char)('0' + c);
            if (b.len)
                sc_putc(&b, ';');
            sc_put(&b, item, 7);
        }
    for (c = 200; c < 700; c++)
        if (set->codes[c - 100] && !set->classes[c / 100]) {
            char item[9] = "code=000";
            item[5] = (char)('0' + c / 100);
            item[6] = (char)('0' + c / 10 % 10);
            item[7] = (char)('0' + c % 10);
            if (b.len)
                sc_putc(&b, ';');
            sc_put(&b, item, 8);
        }
    if (b.over || b.len >= cap)
        return 0;
    out[b.len] = '\0';
    return b.len;
}

/* ---- FreeSWITCH ------------------------------------------------------------ */

size_t sipcodes_policy_fs_causes(const sipcodes_policy *p, int action, const sipcodes_policy_ctx *ctx,
                                 char *out, size_t cap, sipcodes_fs_conflict *conf, size_t ccap,
                                 size_t *nconf)
{
    /* Per cause number: how many of its codes the policy decides as
     * action, and how many it has. */
    unsigned short yes[1024], all[1024];
    unsigned char listed[1024];
    sc_buf b;
    int c;

    memset(yes, 0, sizeof yes);
    memset(all, 0, sizeof all);
    *nconf = 0;
    for (c = 300; c < 700; c++) {
        int cause = sipcodes_fs_sip_to_cause(c);
        const char *why;
        unsigned s;
        if (!sipcodes_lookup(c) || cause < 0 || cause >= 1024)
            continue;
        all[cause]++;
        if (sipcodes_policy_decide(p, c, ctx, &why, &s) == action)
            yes[cause]++;
    }
    b.out = out;
    b.cap = cap;
    b.len = 0;
    b.over = 0;
    for (c = 0; c < 1024; c++) {
        /* A cause is listed when at least half of its codes are decided
         * so: a tie lists it, so that 500 and 503 (two of the four codes
         * of NORMAL_TEMPORARY_FAILURE) keep moving on, 400 and 481 showing
         * as conflicts. */
        listed[c] = (unsigned char)(all[c] && 2 * yes[c] >= all[c]);
        if (listed[c]) {
            const char *name = sipcodes_fs_cause_name(c);
            if (!name)
                continue;
            if (b.len)
                sc_putc(&b, ',');
            sc_put(&b, name, strlen(name));
        }
    }
    for (c = 300; c < 700; c++) {
        int cause = sipcodes_fs_sip_to_cause(c);
        const char *why;
        unsigned s;
        int a;
        if (!sipcodes_lookup(c) || cause < 0 || cause >= 1024 || yes[cause] == 0 ||
            yes[cause] == all[cause])
            continue;
        a = sipcodes_policy_decide(p, c, ctx, &why, &s);
        if ((a == action) != (listed[cause] != 0)) {
            if (*nconf < ccap) {
                conf[*nconf].code = c;
                conf[*nconf].cause = cause;
                conf[*nconf].action = a;
                conf[*nconf].listed = listed[cause];
            }
            (*nconf)++;
        }
    }
    if (b.over || b.len >= cap)
        return 0;
    out[b.len] = '\0';
    return b.len;
}
