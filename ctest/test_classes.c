/*
 * test_classes.c - the class functions of the pure C core (sipcodes.h:
 * sipcodes_is_valid, sipcodes_class, sipcodes_class_name,
 * sipcodes_class_phrase, sipcodes_phrase, sipcodes_equivalent, and the
 * range checks of sipcodes_lookup and sipcodes_reason) at every edge of
 * every class, and at the ends of the int range.  Every expectation is a
 * literal: a class boundary moved by one, or a range check written with
 * the wrong comparison, fails a row here.
 */
#include <limits.h>
#include <math.h>
#include <stddef.h>

#include "ctest.h"
#include "sipcodes.h"

/* One code and what each function gives for it.  NULL: no string.  The
 * phrase is sipcodes_phrase(code, EN): the code's own reason when the
 * registry holds it, else the heading of its class.  known: whether
 * sipcodes_lookup finds a row. */
typedef struct {
    int code;
    int valid;
    int cls;
    const char *class_name;
    const char *class_phrase;
    const char *phrase;
    int equivalent;
    int known;
} sc_row;

static const sc_row rows[] = {
    /* code       valid cls name              heading            phrase                     equiv known */
    {INT_MIN,     0, 0, NULL,             NULL,              NULL,                      0,   0},
    {INT_MIN + 1, 0, 0, NULL,             NULL,              NULL,                      0,   0},
    /* INT_MIN + 100 wraps to 0 when taken as unsigned minus 100: a range
     * check done on the wrapped value must still say no. */
    {INT_MIN + 100, 0, 0, NULL,           NULL,              NULL,                      0,   0},
    {INT_MIN + 150, 0, 0, NULL,           NULL,              NULL,                      0,   0},
    {-486,        0, 0, NULL,             NULL,              NULL,                      0,   0},
    {-100,        0, 0, NULL,             NULL,              NULL,                      0,   0},
    {-1,          0, 0, NULL,             NULL,              NULL,                      0,   0},
    {0,           0, 0, NULL,             NULL,              NULL,                      0,   0},
    {1,           0, 0, NULL,             NULL,              NULL,                      0,   0},
    {10,          0, 0, NULL,             NULL,              NULL,                      0,   0},
    {99,          0, 0, NULL,             NULL,              NULL,                      0,   0},
    {100,         1, 1, "provisional",    "Provisional",     "Trying",                  100, 1},
    {101,         1, 1, "provisional",    "Provisional",     "Provisional",             183, 0},
    {182,         1, 1, "provisional",    "Provisional",     "Queued",                  182, 1},
    {183,         1, 1, "provisional",    "Provisional",     "Session Progress",        183, 1},
    {184,         1, 1, "provisional",    "Provisional",     "Provisional",             183, 0},
    {198,         1, 1, "provisional",    "Provisional",     "Provisional",             183, 0},
    {199,         1, 1, "provisional",    "Provisional",     "Early Dialog Terminated", 199, 1},
    {200,         1, 2, "success",        "Successful",      "OK",                      200, 1},
    {201,         1, 2, "success",        "Successful",      "Successful",              200, 0},
    {299,         1, 2, "success",        "Successful",      "Successful",              200, 0},
    {300,         1, 3, "redirection",    "Redirection",     "Multiple Choices",        300, 1},
    {399,         1, 3, "redirection",    "Redirection",     "Redirection",             300, 0},
    {400,         1, 4, "client_failure", "Request Failure", "Bad Request",             400, 1},
    {499,         1, 4, "client_failure", "Request Failure", "Request Failure",         400, 0},
    {500,         1, 5, "server_failure", "Server Failure",  "Server Internal Error",   500, 1},
    {599,         1, 5, "server_failure", "Server Failure",  "Server Failure",          500, 0},
    {600,         1, 6, "global_failure", "Global Failure",  "Busy Everywhere",         600, 1},
    {601,         1, 6, "global_failure", "Global Failure",  "Global Failure",          600, 0},
    {699,         1, 6, "global_failure", "Global Failure",  "Global Failure",          600, 0},
    /* 7xx: a class (the stack codes), but never on the wire. */
    {700,         0, 7, "stack_error",    "Stack Error",     "Stack Error",             0,   0},
    {701,         0, 7, "stack_error",    "Stack Error",     "No response from destination server", 0,   1},
    {799,         0, 7, "stack_error",    "Stack Error",     "Stack Error",             0,   0},
    {800,         0, 0, NULL,             NULL,              NULL,                      0,   0},
    {899,         0, 0, NULL,             NULL,              NULL,                      0,   0},
    {999,         0, 0, NULL,             NULL,              NULL,                      0,   0},
    {1000,        0, 0, NULL,             NULL,              NULL,                      0,   0},
    {1486,        0, 0, NULL,             NULL,              NULL,                      0,   0},
    {65536 + 486, 0, 0, NULL,             NULL,              NULL,                      0,   0},
    {INT_MAX - 1, 0, 0, NULL,             NULL,              NULL,                      0,   0},
    {INT_MAX,     0, 0, NULL,             NULL,              NULL,                      0,   0},
};

#define NROWS (sizeof rows / sizeof rows[0])

static void test_rows(void)
{
    size_t i;

    for (i = 0; i < NROWS; i++) {
        const sc_row *r = &rows[i];
        const char *de;

        CHECK_INT(sipcodes_is_valid(r->code), r->valid);
        CHECK_INT(sipcodes_class(r->code), r->cls);
        CHECK_STR(sipcodes_class_name(r->code), r->class_name);
        CHECK_STR(sipcodes_class_phrase(r->code, SIPCODES_LANG_EN), r->class_phrase);
        CHECK_STR(sipcodes_phrase(r->code, SIPCODES_LANG_EN), r->phrase);
        CHECK_INT(sipcodes_equivalent(r->code), r->equivalent);
        CHECK_INT(sipcodes_lookup(r->code) != NULL, r->known);
        CHECK_INT(sipcodes_reason(r->code, SIPCODES_LANG_EN) != NULL, r->known);
        CHECK_INT(sipcodes_reason(r->code, SIPCODES_LANG_DE) != NULL, r->known);
        if (r->known)
            CHECK_INT(sipcodes_lookup(r->code)->code, r->code);
        /* German: there exactly where English is, and German, not a copy
         * of the English heading (the words themselves are the data
         * fixtures' business). */
        de = sipcodes_class_phrase(r->code, SIPCODES_LANG_DE);
        CHECK_INT(de != NULL, r->class_phrase != NULL);
        if (de && r->class_phrase)
            CHECK(strcmp(de, r->class_phrase) != 0);
        CHECK_INT(sipcodes_phrase(r->code, SIPCODES_LANG_DE) != NULL, r->phrase != NULL);
        if (!r->known && r->cls)
            CHECK_STR(sipcodes_phrase(r->code, SIPCODES_LANG_DE), de);
    }
}

/* The same rules for every code from -1000 to 2000, each stated here on
 * its own terms: 1xx..7xx by range, not by division. */
static void test_sweep(void)
{
    static const int lo[8] = {0, 100, 200, 300, 400, 500, 600, 700};
    int code, c;

    for (code = -1000; code <= 2000; code++) {
        int want = 0;
        for (c = 1; c <= 7; c++)
            if (code >= lo[c] && code <= lo[c] + 99)
                want = c;
        CHECK_INT(sipcodes_class(code), want);
        CHECK_INT(sipcodes_is_valid(code), want >= 1 && want <= 6);
        CHECK_INT(sipcodes_class_name(code) != NULL, want != 0);
        CHECK_INT(sipcodes_class_phrase(code, SIPCODES_LANG_EN) != NULL, want != 0);
        CHECK_INT(sipcodes_class_phrase(code, SIPCODES_LANG_DE) != NULL, want != 0);
        CHECK_INT(sipcodes_phrase(code, SIPCODES_LANG_EN) != NULL, want != 0);
        if (want == 0 || want == 7)
            CHECK_INT(sipcodes_equivalent(code), 0);
        else if (sipcodes_lookup(code))
            CHECK_INT(sipcodes_equivalent(code), code);
        else if (want == 1)
            CHECK_INT(sipcodes_equivalent(code), 183);
        else
            CHECK_INT(sipcodes_equivalent(code), lo[want]);
        if (want == 0)
            CHECK(sipcodes_lookup(code) == NULL);
    }
}

/* A language outside the enum is refused by every function that takes one,
 * inside the classes too. */
static void test_bad_lang(void)
{
    static const int codes[] = {100, 199, 299, 486, 699, 701, 799};
    size_t i;

    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        CHECK(sipcodes_class_phrase(codes[i], SIPCODES_NLANGS) == NULL);
        CHECK(sipcodes_class_phrase(codes[i], (sipcodes_lang)-1) == NULL);
        CHECK(sipcodes_phrase(codes[i], SIPCODES_NLANGS) == NULL);
        CHECK(sipcodes_phrase(codes[i], (sipcodes_lang)-1) == NULL);
        CHECK(sipcodes_reason(codes[i], SIPCODES_NLANGS) == NULL);
    }
}

/* The bounds the header promises, as numbers. */
static void test_limits(void)
{
    CHECK_INT(SIPCODES_MIN_CODE, 100);
    CHECK_INT(SIPCODES_MAX_WIRE_CODE, 699);
    CHECK_INT(SIPCODES_MAX_CODE, 799);
}

/* Numbers near the edges, as a binding turns them into codes: what the
 * class functions above are then asked, or nothing at all. */
static void test_numbers(void)
{
    static const struct {
        double n;
        int ok, code;
    } nums[] = {
        {199.0, 1, 199},
        {199.5, 0, 0},
        {199.999999, 0, 0},
        {200.000001, 0, 0},
        {99.5, 0, 0},
        {699.5, 0, 0},
        {-0.5, 0, 0},
        {0.5, 0, 0},
        {-1.0, 1, -1},
        {2147483647.0, 1, INT_MAX},
        {2147483647.5, 0, 0},
        {2147483648.0, 0, 0},           /* 2^31 */
        {-2147483648.0, 1, INT_MIN},
        {-2147483648.5, 0, 0},
        {-2147483649.0, 0, 0},
        {4294967296.0 + 486.0, 0, 0},   /* 2^32 + 486: no wrap to 486 */
        {9007199254740992.0, 0, 0},     /* 2^53 */
        {-9007199254740992.0, 0, 0},
        {1e300, 0, 0},
    };
    size_t i;
    int v;

    for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        v = 12345;
        CHECK_INT(sipcodes_int_of_number(nums[i].n, &v), nums[i].ok);
        CHECK_INT(v, nums[i].ok ? nums[i].code : 12345);
    }
    v = 12345;
    /* The doubles next to 200 (200 -+ 2^-45). */
    CHECK_INT(sipcodes_int_of_number(199.99999999999997, &v), 0);
    CHECK_INT(sipcodes_int_of_number(200.00000000000003, &v), 0);
    CHECK_INT(sipcodes_int_of_number(HUGE_VAL, &v), 0);
    CHECK_INT(sipcodes_int_of_number(-HUGE_VAL, &v), 0);
    CHECK_INT(sipcodes_int_of_number(NAN, &v), 0);
    CHECK_INT(v, 12345);
}

int main(void)
{
    test_limits();
    test_rows();
    test_sweep();
    test_bad_lang();
    test_numbers();
    return CTEST_DONE("test_classes");
}
