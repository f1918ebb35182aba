/*
 * test_registry.c - the registry and classification of the pure C core,
 * without Lua.
 */
#include <string.h>

#include "ctest.h"
#include "sipcodes.h"

static void test_rows(void)
{
    size_t i, n = sipcodes_count();
    int prev = 0;

    CHECK(n >= 80);
    for (i = 0; i < n; i++) {
        const sipcodes_entry *e = sipcodes_entry_at(i);
        /* Ascending, within range, reachable through the index. */
        CHECK(e->code > prev);
        CHECK(e->code >= SIPCODES_MIN_CODE && e->code <= SIPCODES_MAX_CODE);
        CHECK(sipcodes_lookup(e->code) == e);
        CHECK(e->name[0] >= 'A' && e->name[0] <= 'Z');
        CHECK(e->reason[SIPCODES_LANG_EN][0] != '\0');
        CHECK(e->reason[SIPCODES_LANG_DE][0] != '\0');
        CHECK(strlen(e->description[SIPCODES_LANG_EN]) >= 30);
        CHECK(strlen(e->description[SIPCODES_LANG_DE]) >= 30);
        CHECK(sipcodes_phrase(e->code, SIPCODES_LANG_EN) ==
              e->reason[SIPCODES_LANG_EN]);
        /* Only registered codes name an RFC first; others may name none. */
        CHECK((e->status == SIPCODES_NONSTANDARD) == (e->rfc[0] == '\0'));
        CHECK(sipcodes_find(e->name, strlen(e->name)) != 0);
        prev = e->code;
    }
    CHECK(sipcodes_entry_at(n) == NULL);
}

/* The status of code, or -1 when the registry lacks it (so that a missing
 * row fails a check instead of crashing the test). */
static int status_of(int code)
{
    const sipcodes_entry *e = sipcodes_lookup(code);
    return e ? (int)e->status : -1;
}

static void test_lookup(void)
{
    int code, known = 0;

    CHECK_STR(sipcodes_phrase(486, SIPCODES_LANG_EN), "Busy Here");
    CHECK_STR(sipcodes_phrase(486, SIPCODES_LANG_DE), "Besetzt");
    CHECK_STR(sipcodes_reason(486, SIPCODES_LANG_EN), "Busy Here");
    CHECK_STR(sipcodes_reason(486, SIPCODES_LANG_DE), "Besetzt");
    CHECK(sipcodes_reason(499, SIPCODES_LANG_EN) == NULL);
    CHECK(sipcodes_reason(99, SIPCODES_LANG_EN) == NULL);
    CHECK(sipcodes_reason(800, SIPCODES_LANG_EN) == NULL);
    CHECK(sipcodes_reason(-2147483647 - 1, SIPCODES_LANG_EN) == NULL);
    CHECK(sipcodes_reason(486, SIPCODES_NLANGS) == NULL);
    CHECK(sipcodes_lookup(486) && !strcmp(sipcodes_lookup(486)->name, "BUSY_HERE"));
    CHECK_INT(status_of(486), SIPCODES_STANDARD);
    CHECK_INT(status_of(202), SIPCODES_DEPRECATED);
    CHECK_INT(status_of(409), SIPCODES_OBSOLETE);
    CHECK_INT(status_of(411), SIPCODES_OBSOLETE);
    CHECK_INT(status_of(490), SIPCODES_NONSTANDARD);
    CHECK_INT(status_of(687), SIPCODES_NONSTANDARD);
    CHECK_INT(status_of(701), SIPCODES_NONSTANDARD);
    CHECK(sipcodes_lookup(499) == NULL);
    CHECK(sipcodes_lookup(99) == NULL);
    CHECK(sipcodes_lookup(800) == NULL);
    CHECK(sipcodes_lookup(0) == NULL);
    CHECK(sipcodes_lookup(-486) == NULL);
    CHECK(sipcodes_lookup(2147483647) == NULL);
    CHECK(sipcodes_lookup(-2147483647 - 1) == NULL);
    for (code = -1000; code < 2000; code++)
        known += sipcodes_lookup(code) != NULL;
    CHECK_INT(known, (long long)sipcodes_count());
}

static void test_find(void)
{
    CHECK_INT(sipcodes_find("Busy Here", 9), 486);
    CHECK_INT(sipcodes_find("busy here", 9), 486);
    CHECK_INT(sipcodes_find("BUSY_HERE", 9), 486);
    CHECK_INT(sipcodes_find(" b-u-s-y here ", 14), 486);
    /* Only len bytes are read: "Busy" alone is not a phrase. */
    CHECK_INT(sipcodes_find("Busy Here", 4), 0);
    CHECK_INT(sipcodes_find("Internal Server Error", 21), 500);
    CHECK_INT(sipcodes_find("", 0), 0);
    CHECK_INT(sipcodes_find("   ", 3), 0);
    CHECK_INT(sipcodes_find("Busy Here!", 10), 486);
    CHECK_INT(sipcodes_find("Busy Heres", 10), 0);
    CHECK(sipcodes_phrase_match("call transaction does not exist", 31,
                                "Call/Transaction Does Not Exist"));
    CHECK(!sipcodes_phrase_match("call", 4, "Call/Transaction"));
}

static void test_aliases(void)
{
    size_t i, n = sipcodes_alias_count();

    CHECK(n >= 5);
    for (i = 0; i < n; i++) {
        const sipcodes_alias *a = sipcodes_alias_at(i);
        CHECK(sipcodes_lookup(a->code) != NULL);
        CHECK_INT(sipcodes_find(a->phrase, strlen(a->phrase)), a->code);
    }
    CHECK(sipcodes_alias_at(n) == NULL);
}

static void test_classes(void)
{
    int code;

    for (code = -5; code < 900; code++) {
        int valid = code >= 100 && code <= 699;
        int cls = (code >= 100 && code <= 799) ? code / 100 : 0;
        CHECK_INT(sipcodes_is_valid(code), valid);
        CHECK_INT(sipcodes_class(code), cls);
        CHECK((sipcodes_class_name(code) != NULL) == (cls != 0));
        CHECK((sipcodes_phrase(code, SIPCODES_LANG_EN) != NULL) == (cls != 0));
        CHECK((sipcodes_phrase(code, SIPCODES_LANG_DE) != NULL) == (cls != 0));
        if (!valid)
            CHECK_INT(sipcodes_equivalent(code), 0);
        else if (sipcodes_lookup(code))
            CHECK_INT(sipcodes_equivalent(code), code);
        else
            CHECK_INT(sipcodes_equivalent(code),
                      code < 200 ? 183 : code / 100 * 100);
    }
    CHECK_STR(sipcodes_class_name(486), "client_failure");
    CHECK_STR(sipcodes_class_name(701), "stack_error");
    CHECK_STR(sipcodes_phrase(499, SIPCODES_LANG_EN), "Request Failure");
    CHECK_STR(sipcodes_phrase(599, SIPCODES_LANG_EN), "Server Failure");
    CHECK_STR(sipcodes_class_phrase(150, SIPCODES_LANG_EN), "Provisional");
    CHECK(sipcodes_phrase(486, (sipcodes_lang)7) == NULL);
    CHECK_INT(sipcodes_equivalent(431), 400);
    CHECK_INT(sipcodes_equivalent(150), 183);
    CHECK_STR(sipcodes_status_name(SIPCODES_OBSOLETE), "obsolete");
}

int main(void)
{
    test_rows();
    test_lookup();
    test_find();
    test_aliases();
    test_classes();
    return CTEST_DONE("test_registry");
}
