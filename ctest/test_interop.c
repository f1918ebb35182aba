/*
 * test_interop.c - Q.850 names, the RFC 3398 mappings, RFC 8606 locations
 * and the FreeSWITCH tables of the pure C core, without Lua.  The row-by-row
 * comparison with the reference TSVs is in spec/interop_spec.lua and
 * spec/freeswitch_spec.lua; here are the rules around the rows: footnotes,
 * defaults, edges and the shape of the tables.
 */
#include <string.h>

#include "ctest.h"
#include "sipcodes_interop.h"

static void test_q850_names(void)
{
    int cause, named = 0;

    CHECK_STR(sipcodes_q850_name(16), "Normal call clearing");
    CHECK_STR(sipcodes_q850_name(17), "User busy");
    CHECK_STR(sipcodes_q850_name(31), "Normal, unspecified");
    CHECK_STR(sipcodes_q850_name(127), "Interworking, unspecified");
    CHECK_STR(sipcodes_q850_name(14), "QoR: ported number");
    CHECK_STR(sipcodes_q850_name(41), "Temporary failure");
    CHECK_STR(sipcodes_q850_name(42), "Switching equipment congestion");
    CHECK_STR(sipcodes_q850_name(24),
              "Call rejected due to feature at the destination");
    CHECK(sipcodes_q850_name(0) == NULL);
    CHECK(sipcodes_q850_name(10) == NULL);
    CHECK(sipcodes_q850_name(45) == NULL);  /* FreeSWITCH's PRE_EMPTED */
    CHECK(sipcodes_q850_name(52) == NULL);  /* Q.931's outgoing calls barred */
    CHECK(sipcodes_q850_name(128) == NULL);
    CHECK(sipcodes_q850_name(-1) == NULL);
    for (cause = -5; cause <= 300; cause++) {
        const char *name = sipcodes_q850_name(cause);
        if (!name)
            continue;
        named++;
        /* A name is a capitalised phrase that can go into a quoted
         * string: no quote, no backslash, no control character. */
        CHECK(name[0] >= 'A' && name[0] <= 'Z');
        CHECK(strchr(name, '"') == NULL && strchr(name, '\\') == NULL);
        CHECK(strlen(name) < 100);
        CHECK(cause >= 1 && cause <= SIPCODES_Q850_MAX);
    }
    /* Q.850 with Addendum 1 and Amendment 1 assigns 71 values. */
    CHECK_INT(named, 71);
}

static void test_q850_classes(void)
{
    CHECK_STR(sipcodes_q850_class_name(1), "normal_event");
    CHECK_STR(sipcodes_q850_class_name(31), "normal_event");
    CHECK_STR(sipcodes_q850_class_name(34), "resource_unavailable");
    CHECK_STR(sipcodes_q850_class_name(63), "service_not_available");
    CHECK_STR(sipcodes_q850_class_name(65), "service_not_implemented");
    CHECK_STR(sipcodes_q850_class_name(95), "invalid_message");
    CHECK_STR(sipcodes_q850_class_name(102), "protocol_error");
    CHECK_STR(sipcodes_q850_class_name(127), "interworking");
    CHECK(sipcodes_q850_class_name(0) == NULL);
    CHECK(sipcodes_q850_class_name(128) == NULL);
    CHECK_INT(sipcodes_q850_class_unspecified(1), 31);
    CHECK_INT(sipcodes_q850_class_unspecified(16), 31);
    CHECK_INT(sipcodes_q850_class_unspecified(32), 47);
    CHECK_INT(sipcodes_q850_class_unspecified(49), 63);
    CHECK_INT(sipcodes_q850_class_unspecified(64), 79);
    CHECK_INT(sipcodes_q850_class_unspecified(90), 95);
    CHECK_INT(sipcodes_q850_class_unspecified(96), 111);
    CHECK_INT(sipcodes_q850_class_unspecified(112), 127);
    CHECK_INT(sipcodes_q850_class_unspecified(0), 0);
    CHECK_INT(sipcodes_q850_class_unspecified(200), 0);
}

static void test_locations(void)
{
    /* RFC 8606 §4: every Q.850 location value 0-15 has one token, the
     * spare and reserved ones LOC-n (literal copy, not the table). */
    static const struct { const char *token; int value; } rows[] = {
        {"U", 0}, {"LPN", 1}, {"LN", 2}, {"TN", 3}, {"RLN", 4},
        {"RPN", 5}, {"LOC-6", 6}, {"INTL", 7}, {"LOC-8", 8}, {"LOC-9", 9},
        {"BI", 10}, {"LOC-11", 11}, {"LOC-12", 12}, {"LOC-13", 13},
        {"LOC-14", 14}, {"LOC-15", 15},
    };
    static const char *const refused[] = {
        "LOC-0", "LOC-1", "LOC-2", "LOC-3", "LOC-4", "LOC-5", "LOC-7",
        "LOC-10", "LOC-16", "LOC-06", "LOC-", "LOC6", "LOC-6 ", "6", "user",
        "network", "",
    };
    size_t i;
    int v, n = 0;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        CHECK_STR(sipcodes_q850_location_token(rows[i].value), rows[i].token);
        CHECK_INT(sipcodes_q850_location_value(rows[i].token,
                                               strlen(rows[i].token)),
                  rows[i].value);
    }
    for (v = -2; v < 20; v++)
        n += sipcodes_q850_location_token(v) != NULL;
    CHECK_INT(n, 16);
    CHECK(sipcodes_q850_location_token(-1) == NULL);
    CHECK(sipcodes_q850_location_token(16) == NULL);
    for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        CHECK_INT(sipcodes_q850_location_value(refused[i], strlen(refused[i])), -1);
    CHECK_INT(sipcodes_q850_location_value("intl", 4), 7);
    CHECK_INT(sipcodes_q850_location_value("Rln", 3), 4);
    CHECK_INT(sipcodes_q850_location_value("loc-11", 6), 11);
    /* Only the given length is read: "LNX" cut to 2 is "LN". */
    CHECK_INT(sipcodes_q850_location_value("LNX", 2), 2);
    CHECK_INT(sipcodes_q850_location_value("LNX", 3), -1);
    CHECK_INT(sipcodes_q850_location_value("LOC-150", 6), 15);
}

static void test_rfc3398_location(void)
{
    /* §8.2.6.1: 6xx user (U = 0), 4xx/5xx network (BI = 10); 3xx as the
     * network too; nothing outside 300-699.  Every class boundary. */
    CHECK_INT(sipcodes_rfc3398_location(-1), -1);
    CHECK_INT(sipcodes_rfc3398_location(0), -1);
    CHECK_INT(sipcodes_rfc3398_location(100), -1);
    CHECK_INT(sipcodes_rfc3398_location(299), -1);
    CHECK_INT(sipcodes_rfc3398_location(300), 10);
    CHECK_INT(sipcodes_rfc3398_location(399), 10);
    CHECK_INT(sipcodes_rfc3398_location(400), 10);
    CHECK_INT(sipcodes_rfc3398_location(486), 10);
    CHECK_INT(sipcodes_rfc3398_location(503), 10);
    CHECK_INT(sipcodes_rfc3398_location(599), 10);
    CHECK_INT(sipcodes_rfc3398_location(600), 0);
    CHECK_INT(sipcodes_rfc3398_location(603), 0);
    CHECK_INT(sipcodes_rfc3398_location(699), 0);
    CHECK_INT(sipcodes_rfc3398_location(700), -1);
    CHECK_INT(sipcodes_rfc3398_location(999), -1);
}

static int q850_reason_is(int cause, int location, const char *want)
{
    char out[SIPCODES_MAX_LINE];
    size_t len = 0;
    sipcodes_format_error err;

    if (sipcodes_q850_reason_append(out, &len, cause, location, &err) != 0)
        return 0;
    return len == strlen(want) && memcmp(out, want, len) == 0;
}

static void test_q850_reason_append(void)
{
    char out[SIPCODES_MAX_LINE];
    size_t len = 0;
    sipcodes_format_error err;

    CHECK(q850_reason_is(17, -1, "Q.850;cause=17;text=\"User busy\""));
    CHECK(q850_reason_is(17, 0, "Q.850;cause=17;text=\"User busy\";location=U"));
    CHECK(q850_reason_is(21, 10, "Q.850;cause=21;text=\"Call rejected\";location=BI"));
    CHECK(q850_reason_is(16, 6, "Q.850;cause=16;text=\"Normal call clearing\";location=LOC-6"));
    CHECK(q850_reason_is(10, 15, "Q.850;cause=10;location=LOC-15"));
    CHECK_INT(sipcodes_q850_reason_append(out, &len, 17, 16, &err), -1);
    CHECK_INT(err.field, SIPCODES_FIELD_LOCATION);
    CHECK_STR(err.msg, "location must be a Q.850 location value 0 to 15");
    CHECK_INT((int)len, 0);
    CHECK_INT(sipcodes_q850_reason_append(out, &len, 17, -2, &err), -1);
    /* Every cause and location goes out and parses back. */
    {
        int c, l;
        for (c = 1; c <= SIPCODES_Q850_MAX; c++)
            for (l = -1; l < 16; l++) {
                sipcodes_reason_iter it;
                sipcodes_reason_value v;
                sipcodes_error perr;
                len = 0;
                CHECK_INT(sipcodes_q850_reason_append(out, &len, c, l, &err), 0);
                CHECK_INT(sipcodes_reason_init(&it, out, len, &perr), 0);
                CHECK_INT(sipcodes_reason_next(&it, &v, &perr), 1);
                CHECK_INT(v.cause, c);
                CHECK_INT(v.has_location, l >= 0);
                if (l >= 0)
                    CHECK_INT(v.location_value, l);
            }
    }
}

static void test_to_q850(void)
{
    const char *note = "unset";
    int code, listed = 0;

    CHECK_INT(sipcodes_to_q850(486, &note), 17);
    CHECK(note == NULL);
    CHECK_INT(sipcodes_to_q850(404, NULL), 1);
    CHECK_INT(sipcodes_to_q850(603, NULL), 21);
    CHECK_INT(sipcodes_to_q850(408, NULL), 102);
    /* Not in the table: 31, no note. */
    note = "unset";
    CHECK_INT(sipcodes_to_q850(499, &note), 31);
    CHECK(note == NULL);
    CHECK_INT(sipcodes_to_q850(302, NULL), 31);
    CHECK_INT(sipcodes_to_q850(608, NULL), 31);
    CHECK_INT(sipcodes_to_q850(699, NULL), 31);
    /* 487: nothing, with the reason. */
    CHECK_INT(sipcodes_to_q850(487, &note), 0);
    CHECK(note != NULL && strstr(note, "487") != NULL);
    /* 488 and 606: 31 and a note about the Warning header. */
    CHECK_INT(sipcodes_to_q850(488, &note), 31);
    CHECK(note != NULL && strstr(note, "Warning") != NULL);
    CHECK_INT(sipcodes_to_q850(606, &note), 31);
    CHECK(note != NULL);
    CHECK_INT(sipcodes_to_q850_warned(488, 305, &note), 65);
    CHECK(note == NULL);
    CHECK_INT(sipcodes_to_q850_warned(606, 370, &note), 65);
    CHECK_INT(sipcodes_to_q850_warned(606, 304, NULL), 65);
    CHECK_INT(sipcodes_to_q850_warned(488, 399, &note), 31);
    CHECK(note == NULL);
    CHECK_INT(sipcodes_to_q850_warned(488, 306, NULL), 31);
    CHECK_INT(sipcodes_to_q850_warned(488, 0, &note), 31); /* "000": a Warning */
    CHECK(note == NULL);
    CHECK_INT(sipcodes_to_q850_warned(488, -1, &note), 31); /* none */
    CHECK(note != NULL);
    CHECK_INT(sipcodes_to_q850_warned(486, 305, NULL), 17);
    CHECK_INT(sipcodes_to_q850_warned(487, 305, &note), 0);
    CHECK(note != NULL);
    CHECK(sipcodes_warning_is_bearer(305) && !sipcodes_warning_is_bearer(306) &&
          !sipcodes_warning_is_bearer(303) && sipcodes_warning_is_bearer(370));
    /* Not failures, and not codes. */
    CHECK_INT(sipcodes_to_q850(200, &note), 0);
    CHECK(note != NULL);
    CHECK_INT(sipcodes_to_q850(180, &note), 0);
    CHECK(note != NULL);
    CHECK_INT(sipcodes_to_q850(99, &note), 0);
    CHECK(note == NULL);
    CHECK_INT(sipcodes_to_q850(700, &note), 0);
    CHECK(note == NULL);
    CHECK_INT(sipcodes_to_q850(-486, &note), 0);
    /* Every result is a cause value; the table has 37 rows. */
    for (code = 100; code <= 699; code++) {
        int cause = sipcodes_to_q850(code, NULL);
        CHECK(cause >= 0 && cause <= SIPCODES_Q850_MAX);
        CHECK((cause == 0) == (code < 300 || code == 487));
        listed += sipcodes_to_q850_listed(code);
    }
    CHECK_INT(listed, 37);
}

static void test_from_q850(void)
{
    const char *note = "unset";
    int cause, listed = 0;

    CHECK_INT(sipcodes_from_q850(17, 0, &note), 486);
    CHECK(note == NULL);
    CHECK_INT(sipcodes_from_q850(1, 0, NULL), 404);
    CHECK_INT(sipcodes_from_q850(102, 0, NULL), 504);
    /* Footnotes. */
    CHECK_INT(sipcodes_from_q850(21, 0, NULL), 403);
    CHECK_INT(sipcodes_from_q850(21, SIPCODES_Q850_USER, NULL), 603);
    CHECK_INT(sipcodes_from_q850(22, 0, NULL), 410);
    CHECK_INT(sipcodes_from_q850(22, SIPCODES_Q850_NEW_NUMBER, NULL), 301);
    CHECK_INT(sipcodes_from_q850(22, SIPCODES_Q850_USER, NULL), 410);
    CHECK_INT(sipcodes_from_q850(21, SIPCODES_Q850_NEW_NUMBER, NULL), 403);
    /* The user location changes nothing but 21. */
    CHECK_INT(sipcodes_from_q850(17, SIPCODES_Q850_USER, NULL), 486);
    /* 16: nothing, with the reason. */
    CHECK_INT(sipcodes_from_q850(16, 0, &note), 0);
    CHECK(note != NULL && strstr(note, "BYE") != NULL);
    CHECK_INT(sipcodes_from_q850(16, SIPCODES_Q850_USER, &note), 0);
    /* Unlisted values go by their class's unspecified cause. */
    note = "unset";
    CHECK_INT(sipcodes_from_q850(6, 0, &note), 480);     /* -> 31 */
    CHECK(note == NULL);
    CHECK_INT(sipcodes_from_q850(10, 0, NULL), 480);     /* unassigned */
    CHECK_INT(sipcodes_from_q850(44, 0, NULL), 503);     /* -> 47 */
    CHECK_INT(sipcodes_from_q850(50, 0, NULL), 503);     /* -> 63, ours */
    CHECK_INT(sipcodes_from_q850(63, 0, NULL), 503);
    CHECK_INT(sipcodes_from_q850(66, 0, NULL), 501);     /* -> 79 */
    CHECK_INT(sipcodes_from_q850(81, 0, NULL), 503);     /* -> 95, ours */
    CHECK_INT(sipcodes_from_q850(95, 0, NULL), 503);
    CHECK_INT(sipcodes_from_q850(99, 0, NULL), 500);     /* -> 111 */
    CHECK_INT(sipcodes_from_q850(112, 0, NULL), 500);    /* -> 127 */
    /* Not causes. */
    CHECK_INT(sipcodes_from_q850(0, 0, &note), 0);
    CHECK(note == NULL);
    CHECK_INT(sipcodes_from_q850(128, 0, &note), 0);
    CHECK(note == NULL);
    CHECK_INT(sipcodes_from_q850(-17, 0, NULL), 0);
    /* Every cause but 16 gives a final failure code; 32 rows listed. */
    for (cause = 1; cause <= SIPCODES_Q850_MAX; cause++) {
        int code = sipcodes_from_q850(cause, 0, NULL);
        if (cause == 16)
            CHECK_INT(code, 0);
        else
            CHECK(code >= 400 && code <= 699);
        listed += sipcodes_from_q850_listed(cause);
    }
    CHECK_INT(listed, 32);
}

static void test_fs_causes(void)
{
    size_t i, n = sipcodes_fs_cause_count();
    int prev = -1;

    CHECK_INT(n, 82);
    for (i = 0; i < n; i++) {
        const sipcodes_fs_cause *c = sipcodes_fs_cause_at(i);
        char lower[64];
        size_t j, len = strlen(c->name);

        CHECK(c->cause > prev);
        prev = c->cause;
        CHECK_STR(sipcodes_fs_cause_name(c->cause), c->name);
        CHECK_INT(sipcodes_fs_cause_find(c->name, len), c->cause);
        /* Names are matched without regard to case. */
        CHECK(len < sizeof(lower));
        for (j = 0; j < len && j < sizeof(lower); j++)
            lower[j] = (char)((c->name[j] >= 'A' && c->name[j] <= 'Z')
                                  ? c->name[j] + ('a' - 'A') : c->name[j]);
        CHECK_INT(sipcodes_fs_cause_find(lower, len), c->cause);
    }
    CHECK(sipcodes_fs_cause_at(n) == NULL);
    CHECK_STR(sipcodes_fs_cause_name(17), "USER_BUSY");
    CHECK_STR(sipcodes_fs_cause_name(0), "NONE");
    CHECK_STR(sipcodes_fs_cause_name(825), "REJECT_ALL");
    CHECK(sipcodes_fs_cause_name(26) == NULL);
    CHECK(sipcodes_fs_cause_name(-1) == NULL);
    CHECK(sipcodes_fs_cause_name(826) == NULL);
    CHECK_INT(sipcodes_fs_cause_find("user_busy", 9), 17);
    CHECK_INT(sipcodes_fs_cause_find("USER_BUSYX", 9), 17);
    CHECK_INT(sipcodes_fs_cause_find("USER_BUSY", 8), -1);
    CHECK_INT(sipcodes_fs_cause_find("", 0), -1);
    CHECK_INT(sipcodes_fs_cause_find("17", 2), -1);
}

static void test_fs_mapping(void)
{
    int code, cause;

    CHECK_INT(sipcodes_fs_sip_to_cause(486), 17);
    CHECK_INT(sipcodes_fs_sip_to_cause(200), 16);
    CHECK_INT(sipcodes_fs_sip_to_cause(603), 21);
    CHECK_INT(sipcodes_fs_sip_to_cause(608), 21);
    CHECK_INT(sipcodes_fs_sip_to_cause(487), 487);
    CHECK_INT(sipcodes_fs_sip_to_cause(429), 821);
    CHECK_INT(sipcodes_fs_sip_to_cause(499), 31);   /* default */
    CHECK_INT(sipcodes_fs_sip_to_cause(0), 31);
    CHECK_INT(sipcodes_fs_cause_to_sip(17), 486);
    CHECK_INT(sipcodes_fs_cause_to_sip(21), 603);
    CHECK_INT(sipcodes_fs_cause_to_sip(487), 487);
    CHECK_INT(sipcodes_fs_cause_to_sip(815), 600);
    CHECK_INT(sipcodes_fs_cause_to_sip(824), 403);
    CHECK_INT(sipcodes_fs_cause_to_sip(16), 480);   /* default */
    CHECK_INT(sipcodes_fs_cause_to_sip(9999), 480);
    /* Every status maps to a cause FreeSWITCH has a name for, and every
     * cause to a failure status. */
    {
        int named = 1, failure = 1;
        for (code = 0; code <= 999; code++)
            named &= sipcodes_fs_cause_name(sipcodes_fs_sip_to_cause(code)) != NULL;
        for (cause = 0; cause <= 999; cause++) {
            code = sipcodes_fs_cause_to_sip(cause);
            failure &= code >= 400 && code <= 699;
        }
        CHECK(named);
        CHECK(failure);
    }
    /* The cause to hang up with for a code. */
    CHECK_INT(sipcodes_fs_cause_for_sip(486), 17);
    CHECK_INT(sipcodes_fs_cause_for_sip(404), 1);
    CHECK_INT(sipcodes_fs_cause_for_sip(480), 19);   /* NO_ANSWER */
    CHECK_INT(sipcodes_fs_cause_for_sip(403), 52);   /* OUTGOING_CALL_BARRED */
    CHECK_INT(sipcodes_fs_cause_for_sip(502), 27);
    CHECK_INT(sipcodes_fs_cause_for_sip(600), 815);
    CHECK_INT(sipcodes_fs_cause_for_sip(603), 21);
    CHECK_INT(sipcodes_fs_cause_for_sip(487), 487);
    CHECK_INT(sipcodes_fs_cause_for_sip(608), 21);   /* goes out as 603 */
    CHECK_INT(sipcodes_fs_cause_for_sip(499), 31);   /* goes out as 480 */
    for (code = 300; code <= 699; code++) {
        cause = sipcodes_fs_cause_for_sip(code);
        CHECK(sipcodes_fs_cause_name(cause) != NULL);
        /* Exact whenever any cause gives the code. */
        if (sipcodes_fs_cause_to_sip(cause) != code) {
            size_t i;
            int exact = 0;
            for (i = 0; i < sipcodes_fs_cause_count(); i++)
                exact |= sipcodes_fs_cause_to_sip(
                             sipcodes_fs_cause_at(i)->cause) == code;
            CHECK(!exact);
        }
    }
    CHECK_INT(sipcodes_fs_cause_q850(17), 17);
    CHECK_INT(sipcodes_fs_cause_q850(127), 127);
    CHECK_INT(sipcodes_fs_cause_q850(128), 16);
    CHECK_INT(sipcodes_fs_cause_q850(487), 16);
    CHECK_INT(sipcodes_fs_cause_q850(0), 0);
    CHECK_INT(sipcodes_fs_cause_q850(-3), -1);
}

static int st(const char *s, int form)
{
    return sipcodes_fs_status_of(s, strlen(s), form);
}

/* The tables hold strings in arrays of a fixed size: each must leave room
 * for its NUL (a literal exactly as long as its array would lose it). */
static void test_string_room(void)
{
    size_t i;
    int c;

    for (c = 0; c <= SIPCODES_Q850_MAX; c++) {
        const char *n = sipcodes_q850_name(c);
        if (n)
            CHECK(memchr(n, 0, 88) != NULL);
        n = sipcodes_q850_class_name(c);
        if (n)
            CHECK(memchr(n, 0, 24) != NULL);
    }
    for (c = 0; c < 16; c++)
        if (sipcodes_q850_location_token(c))
            CHECK(memchr(sipcodes_q850_location_token(c), 0, 8) != NULL);
    for (i = 0; i < sipcodes_fs_cause_count(); i++) {
        const sipcodes_fs_cause *fc = sipcodes_fs_cause_at(i);
        CHECK(memchr(fc->name, 0, sizeof fc->name) != NULL);
    }
}

static void test_fs_status_of(void)
{
    /* Not a status: mod_sofia's own cause for it (31), not the first cause
     * without a row (NONE, 0). */
    CHECK_INT(sipcodes_fs_cause_for_sip(0), 31);
    CHECK_INT(sipcodes_fs_cause_for_sip(-1), 31);
    CHECK_INT(sipcodes_fs_cause_for_sip(2147483647), 31);
    CHECK_INT(st("486", SIPCODES_FS_STATUS), 486);
    CHECK_INT(st(" 486\r\n", SIPCODES_FS_STATUS), 486);
    CHECK_INT(st("100", SIPCODES_FS_STATUS), 100);
    CHECK_INT(st("699", SIPCODES_FS_STATUS), 699);
    CHECK_INT(st("099", SIPCODES_FS_STATUS), 0);
    CHECK_INT(st("700", SIPCODES_FS_STATUS), 0);
    CHECK_INT(st("000", SIPCODES_FS_STATUS), 0);
    CHECK_INT(st("4866", SIPCODES_FS_STATUS), 0);
    CHECK_INT(st("48", SIPCODES_FS_STATUS), 0);
    CHECK_INT(st("486x", SIPCODES_FS_STATUS), 0);
    CHECK_INT(st("sip:486", SIPCODES_FS_STATUS), 0);
    CHECK_INT(st("", SIPCODES_FS_STATUS), 0);
    CHECK_INT(st("sip:486", SIPCODES_FS_PROTO), 486);
    CHECK_INT(st("SIP:486", SIPCODES_FS_PROTO), 486);
    CHECK_INT(st("sips:603", SIPCODES_FS_PROTO), 603);
    CHECK_INT(st("SiPs:603", SIPCODES_FS_PROTO), 603);
    CHECK_INT(st("sip:999", SIPCODES_FS_PROTO), 0);
    CHECK_INT(st("sip:000", SIPCODES_FS_PROTO), 0);
    CHECK_INT(st("sip: 486", SIPCODES_FS_PROTO), 0);
    CHECK_INT(st(" sip:486", SIPCODES_FS_PROTO), 0);
    CHECK_INT(st("sip:486 ", SIPCODES_FS_PROTO), 0);
    CHECK_INT(st("sipx:486", SIPCODES_FS_PROTO), 0);
    CHECK_INT(st("tel:486", SIPCODES_FS_PROTO), 0);
    CHECK_INT(st("sip:", SIPCODES_FS_PROTO), 0);
    CHECK_INT(st("sip", SIPCODES_FS_PROTO), 0);
    CHECK_INT(st("486", SIPCODES_FS_PROTO), 0);
    CHECK_INT(sipcodes_fs_status_of("sip:486", 6, SIPCODES_FS_PROTO), 0);
    CHECK_INT(sipcodes_fs_status_of("4860", 3, SIPCODES_FS_STATUS), 486);
}

int main(void)
{
    test_q850_names();
    test_q850_classes();
    test_locations();
    test_rfc3398_location();
    test_q850_reason_append();
    test_to_q850();
    test_from_q850();
    test_fs_causes();
    test_fs_mapping();
    test_fs_status_of();
    test_string_room();
    return CTEST_DONE("test_interop");
}
