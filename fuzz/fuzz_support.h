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

#endif
