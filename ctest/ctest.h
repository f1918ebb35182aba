/*
 * ctest.h - the few assertion macros the C tests of the pure core use.
 * Each test program counts its checks and ends with one line
 * "<program>: N passed, M failed"; tools/run-tests.sh adds the lines up.
 * A failed check prints its file, line and expression and goes on, so one
 * run shows every failure.
 */
#ifndef SIPCODES_CTEST_H
#define SIPCODES_CTEST_H

#include <stdio.h>
#include <string.h>

static int ctest_passed, ctest_failed;

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (cond) {                                                         \
            ctest_passed++;                                                 \
        } else {                                                            \
            ctest_failed++;                                                 \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,          \
                    __LINE__, #cond);                                       \
        }                                                                   \
    } while (0)

#define CHECK_INT(got, want)                                                \
    do {                                                                    \
        long long ctest_g = (long long)(got), ctest_w = (long long)(want);  \
        if (ctest_g == ctest_w) {                                           \
            ctest_passed++;                                                 \
        } else {                                                            \
            ctest_failed++;                                                 \
            fprintf(stderr, "%s:%d: %s == %lld, want %lld\n", __FILE__,     \
                    __LINE__, #got, ctest_g, ctest_w);                      \
        }                                                                   \
    } while (0)

#define CHECK_STR(got, want)                                                \
    do {                                                                    \
        const char *ctest_g = (got), *ctest_w = (want);                     \
        if (ctest_g && ctest_w && strcmp(ctest_g, ctest_w) == 0) {          \
            ctest_passed++;                                                 \
        } else if (!ctest_g && !ctest_w) {                                  \
            ctest_passed++;                                                 \
        } else {                                                            \
            ctest_failed++;                                                 \
            fprintf(stderr, "%s:%d: %s == \"%s\", want \"%s\"\n", __FILE__, \
                    __LINE__, #got, ctest_g ? ctest_g : "(null)",           \
                    ctest_w ? ctest_w : "(null)");                          \
        }                                                                   \
    } while (0)

/* Ends main(): prints the summary line and gives the exit status. */
#define CTEST_DONE(program)                                                 \
    (printf("%s: %d passed, %d failed\n", program, ctest_passed,            \
            ctest_failed),                                                  \
     ctest_failed ? 1 : 0)

#endif
