/*
 * fuzz_support.h - what the fuzz targets that build values by hand share:
 * REQUIRE (an invariant; abort with its line, so libFuzzer keeps the
 * input), and a pool of malloc blocks of one input, each string in a block
 * of its exact size so that ASan reports a read past a span.  Header-only:
 * each target is one translation unit with the core.
 */
#ifndef SIPCODES_FUZZ_SUPPORT_H
#define SIPCODES_FUZZ_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipcodes_proto.h"

#define REQUIRE(cond) do { \
        if (!(cond)) { \
            fprintf(stderr, "%s:%d: REQUIRE(%s) failed\n", __FILE__, __LINE__, #cond); \
            abort(); \
        } \
    } while (0)

/* The blocks of one input, freed together. */
typedef struct {
    void **p;
    size_t n, cap;
} pool;

static inline void *pool_keep(pool *pl, void *p)
{
    REQUIRE(p != NULL);
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? 2 * pl->cap : 256;
        void **np = realloc(pl->p, cap * sizeof *np);
        REQUIRE(np != NULL);
        pl->p = np;
        pl->cap = cap;
    }
    pl->p[pl->n++] = p;
    return p;
}

static inline void pool_free(pool *pl)
{
    size_t i;

    for (i = 0; i < pl->n; i++)
        free(pl->p[i]);
    free(pl->p);
    pl->p = NULL;
    pl->n = pl->cap = 0;
}

/* s[0..n) in a block of exactly n bytes (malloc(0) for none: ASan reports
 * any access to it). */
static inline sipcodes_span exact_copy(pool *pl, const char *s, size_t n)
{
    sipcodes_span sp;
    char *p = pool_keep(pl, malloc(n));

    if (n)
        memcpy(p, s, n);
    sp.ptr = p;
    sp.len = n;
    return sp;
}

static inline int span_eq(sipcodes_span a, sipcodes_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline int span_caseeq(sipcodes_span a, sipcodes_span b)
{
    return a.len == b.len && sipcodes_caseeq_n(a.ptr, b.ptr, a.len);
}

/* Does sp lie within s[0..len)?  (The parsers give spans into the input.) */
static inline int span_inside(sipcodes_span sp, const char *s, size_t len)
{
    return sp.ptr >= s && sp.len <= len && (size_t)(sp.ptr - s) <= len - sp.len;
}

/* The inside of a quoted string or comment that a parser took, escapes and
 * folding undone, in a block of its own.  Folding reads as one SP and an
 * escaped CR or LF does not parse, so no line break survives unquoting. */
static inline sipcodes_span unquoted(pool *pl, sipcodes_span sp)
{
    static char tmp[SIPCODES_MAX_LINE];
    size_t n, i;

    REQUIRE(sp.len <= sizeof tmp);
    n = sipcodes_unquote(sp.ptr, sp.len, tmp);
    REQUIRE(n <= sp.len);
    for (i = 0; i < n; i++)
        REQUIRE(tmp[i] != '\r' && tmp[i] != '\n');
    return exact_copy(pl, tmp, n);
}

/* The messages of a refused byte of a text: a CR or LF, another control
 * character, invalid UTF-8 ("... in comment", "... in quoted text"). */
typedef struct {
    const char *crlf, *control, *utf8;
} bad_byte_msgs;

/* The first byte of t that a comment or quoted text cannot carry, with its
 * message: CR or LF, another control but HTAB, a byte that starts no
 * well-formed UTF-8 sequence (RFC 3629).  1 if there is one.  Written
 * without the library's tables, so that the two definitions check each
 * other. */
static inline int text_bad_byte(sipcodes_span t, const bad_byte_msgs *m, size_t *pos,
                                const char **msg)
{
    const unsigned char *u = (const unsigned char *)t.ptr;
    size_t i = 0;

    while (i < t.len) {
        unsigned char b = u[i];
        size_t need = 0, k;
        unsigned char lo = 0x80, hi = 0xBF;

        *pos = i;
        if (b == '\r' || b == '\n') {
            *msg = m->crlf;
            return 1;
        }
        if ((b < 0x20 && b != '\t') || b == 0x7F) {
            *msg = m->control;
            return 1;
        }
        if (b < 0x80) {
            i++;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF)
            need = 1;
        else if (b >= 0xE0 && b <= 0xEF)
            need = 2, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
        else if (b >= 0xF0 && b <= 0xF4)
            need = 3, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
        *msg = m->utf8;
        if (need == 0 || t.len - i < need + 1 || u[i + 1] < lo || u[i + 1] > hi)
            return 1;
        for (k = 2; k <= need; k++)
            if (u[i + k] < 0x80 || u[i + k] > 0xBF)
                return 1;
        i += need + 1;
    }
    return 0;
}

#endif
