/*
 * test_registry.c - the registry and classification of the pure C core,
 * without Lua.
 */
#include <stdlib.h>
#include <string.h>

#include "ctest.h"
#include "sipcodes.h"

static void test_rows(void)
{
    size_t i, n = sipcodes_count();
    int prev = 0;

    /* 75 codes of the IANA registry and 7 others (the fixtures below). */
    CHECK_INT(n, 82);
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
        /* Every string is shorter than its array: room for the NUL (a
         * literal exactly as long as the array would lose it silently). */
        CHECK(memchr(e->name, 0, sizeof e->name) != NULL);
        CHECK(memchr(e->reason[0], 0, sizeof e->reason[0]) != NULL);
        CHECK(memchr(e->reason[1], 0, sizeof e->reason[1]) != NULL);
        CHECK(memchr(e->description[0], 0, sizeof e->description[0]) != NULL);
        CHECK(memchr(e->description[1], 0, sizeof e->description[1]) != NULL);
        CHECK(memchr(e->rfc, 0, sizeof e->rfc) != NULL);
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

/* The reference the index must agree with: the first key in rank order
 * that matches, by the plain comparison, or 0. */
static int scan_find(const char *text, size_t len)
{
    size_t i, n = sipcodes_key_count();
    size_t sig;

    sipcodes_text_hash(text, len, &sig);
    if (sig == 0)
        return 0;
    for (i = 0; i < n; i++) {
        int code;
        const char *key = sipcodes_key_at(i, &code);
        if (sipcodes_phrase_match(text, len, key))
            return code;
    }
    return 0;
}

/* csrc/sipcodes_index.h must be what sipcodes_index_build makes of the
 * current rows: otherwise `make index` was forgotten. */
static void test_index(void)
{
    static uint16_t ref[512];
    static uint32_t hash[512];
    static const char *const texts[] = {
        "Not Acceptable", "not-acceptable", "Nicht akzeptabel", "OK", "ok",
        "Busy Everywhere", "Überall besetzt", "B u s y H e r e", "Busy", "Here",
        "Trying", "100", "SIP/2.0 486 Busy Here", "Request Terminated",
        "Call Leg/Transaction Does Not Exist", "request-uri too large",
        "\xc3", "Internal Server Error ", "internal_server_error", "\xff\xfe",
    };
    size_t i, n = sipcodes_key_count();
    int code;

    CHECK_INT(sipcodes_index_build(ref, hash, 512), 0);
    CHECK_INT(sipcodes_index_build(ref, hash, 500), -1);
    CHECK_INT(sipcodes_index_build(ref, hash, 64), -1);
    CHECK_INT(sipcodes_index_build(ref, hash, 512), 0);
    {
        /* The file's arrays, seen through the one function that reads
         * them: every slot's key must be found where the build put it. */
        size_t s, used = 0;
        for (s = 0; s < 512; s++) {
            if (ref[s]) {
                const char *key = sipcodes_key_at(ref[s] - 1u, &code);
                used++;
                CHECK_INT(sipcodes_find(key, strlen(key)), code);
            }
        }
        CHECK(used >= sipcodes_count());
    }
    CHECK_INT(n, 3 * sipcodes_count() + sipcodes_alias_count());
    CHECK(sipcodes_key_at(n, &code) == NULL);
    for (i = 0; i < n; i++) {
        const char *key = sipcodes_key_at(i, &code);
        size_t len = strlen(key);
        CHECK_INT(sipcodes_find(key, len), scan_find(key, len));
        /* Every proper prefix and suffix is a miss or another key, and
         * so is the key with one more letter: the pass must not stop at
         * the longest key's length and call the rest a match. */
        CHECK_INT(sipcodes_find(key, len - 1), scan_find(key, len - 1));
        CHECK_INT(sipcodes_find(key + 1, len - 1), scan_find(key + 1, len - 1));
        if (len < 200) {
            char longer[208];
            memcpy(longer, key, len);
            longer[len] = 'q';
            CHECK_INT(sipcodes_find(longer, len + 1), scan_find(longer, len + 1));
        }
    }
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
        CHECK_INT(sipcodes_find(texts[i], strlen(texts[i])),
                  scan_find(texts[i], strlen(texts[i])));
    /* 406 and 606 share "Not Acceptable": the lower row ranks first. */
    CHECK_INT(sipcodes_find("Not Acceptable", 14), 406);
    CHECK_INT(sipcodes_find("Busy Everywhere", 15), 600);
    CHECK_INT(sipcodes_find("No response from destination server", 35), 701);
    {
        /* Texts that only differ where the comparison looks away. */
        size_t a, b;
        CHECK(sipcodes_text_hash("Busy Here", 9, &a) == sipcodes_text_hash("BUSY_HERE", 9, &b));
        CHECK_INT(a, 8);
        CHECK_INT(b, 8);
        CHECK(sipcodes_text_hash("Busy Here", 9, NULL) != sipcodes_text_hash("Busy Hera", 9, NULL));
    }
}

static void test_keys(void)
{
    static char buf[9000];
    sipcodes_key k;
    size_t i;

    sipcodes_key_init(&k, "Busy-Here!", 10);
    CHECK_INT(k.nsig, 8);
    CHECK(memcmp(k.sig, "busyhere", 8) == 0);
    CHECK(k.hash == sipcodes_text_hash("busy here", 9, NULL));
    CHECK(sipcodes_key_matches(&k, "BUSY_HERE"));
    CHECK(sipcodes_key_matches(&k, "Busy Here"));
    CHECK(!sipcodes_key_matches(&k, "Busy Her"));
    CHECK(!sipcodes_key_matches(&k, "Busy Heres"));
    CHECK(!sipcodes_key_matches(&k, ""));
    CHECK_INT(sipcodes_find_key(&k), 486);
    /* Insignificant bytes cost a pass but no key room. */
    memset(buf, ' ', sizeof buf);
    memcpy(buf + 8000, "busy here", 9);
    CHECK_INT(sipcodes_find(buf, 8009), 486);
    /* More significant bytes than any key: the pass stops, nothing matches. */
    memset(buf, 'a', sizeof buf);
    sipcodes_key_init(&k, buf, sizeof buf);
    CHECK_INT(k.nsig, SIPCODES_KEY_MAX + 1);
    CHECK_INT(sipcodes_find_key(&k), 0);
    CHECK(!sipcodes_key_matches(&k, "a"));
    {
        /* A phrase as long as the text: "longer than any key" matches
         * nothing, not even itself. */
        static char phrase[SIPCODES_KEY_MAX + 2];
        memset(phrase, 'a', SIPCODES_KEY_MAX + 1);
        sipcodes_key_init(&k, phrase, SIPCODES_KEY_MAX + 1);
        CHECK_INT(k.nsig, SIPCODES_KEY_MAX + 1);
        CHECK(!sipcodes_key_matches(&k, phrase));
    }
    sipcodes_key_init(&k, buf, SIPCODES_KEY_MAX);
    CHECK_INT(k.nsig, SIPCODES_KEY_MAX);
    CHECK(k.hash == sipcodes_text_hash(buf, SIPCODES_KEY_MAX, NULL));
    /* Stopping early: nsig says "longer than max". */
    sipcodes_key_init_upto(&k, "Busy Here", 9, 4);
    CHECK_INT(k.nsig, 5);
    sipcodes_key_init_upto(&k, "Busy Here", 9, 8);
    CHECK_INT(k.nsig, 8);
    CHECK(k.hash == sipcodes_text_hash("BUSY_HERE", 9, NULL));
    CHECK_INT(sipcodes_key_longest(), 38);
    /* spec/core_spec.lua registers these two as texts that share a slot
     * of the binding's keys table (the hash without its lowest bit). */
    CHECK(sipcodes_text_hash("Vendor Reason 100620", 20, NULL) >> 1 ==
          sipcodes_text_hash("Vendor Reason 302303", 20, NULL) >> 1);
    sipcodes_key_init(&k, "", 0);
    CHECK_INT(k.nsig, 0);
    CHECK_INT(sipcodes_find_key(&k), 0);
    CHECK(sipcodes_key_matches(&k, " - "));
    /* Every key of the registry, through the key form. */
    for (i = 0; i < sipcodes_key_count(); i++) {
        int code;
        const char *key = sipcodes_key_at(i, &code);
        sipcodes_key_init(&k, key, strlen(key));
        CHECK(sipcodes_key_matches(&k, key));
        CHECK_INT(sipcodes_find_key(&k), scan_find(key, strlen(key)));
    }
}

static void test_names(void)
{
    CHECK(sipcodes_is_const_name("BUSY_HERE", 9));
    CHECK(sipcodes_is_const_name("A", 1));
    CHECK(sipcodes_is_const_name("X1_", 3));
    CHECK(!sipcodes_is_const_name("", 0));
    CHECK(!sipcodes_is_const_name("busy_here", 9));
    CHECK(!sipcodes_is_const_name("_BUSY", 5));
    CHECK(!sipcodes_is_const_name("1BUSY", 5));
    CHECK(!sipcodes_is_const_name("BUSY HERE", 9));
    CHECK(!sipcodes_is_const_name("BUSY\0X", 6));
    CHECK(sipcodes_is_const_name("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 64));
    CHECK(!sipcodes_is_const_name("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 65));
    CHECK_INT(sipcodes_code_of_name("BUSY_HERE", 9), 486);
    CHECK_INT(sipcodes_code_of_name("OK", 2), 200);
    CHECK_INT(sipcodes_code_of_name("TRYING", 6), 100);
    CHECK_INT(sipcodes_code_of_name("BUSY_HERE\0anything", 18), 0);
    CHECK_INT(sipcodes_code_of_name("BUSY_HER", 8), 0);
    CHECK_INT(sipcodes_code_of_name("BUSY_HERE_", 10), 0);
    CHECK_INT(sipcodes_code_of_name("busy_here", 9), 0);
    CHECK_INT(sipcodes_code_of_name("O", 1), 0);
}

/* parse_int on a NUL-terminated literal. */
static int pint(const char *s, int *out)
{
    return sipcodes_parse_int(s, strlen(s), out);
}

static void test_numbers(void)
{
    static const struct { const char *s; int r, v; } cases[] = {
        {"486", 1, 486}, {" 486 ", 1, 486}, {"\t\n\v\f\r486\r\n", 1, 486},
        {"+486", 1, 486}, {"-486", 1, -486}, {"486.0", 1, 486}, {"486.", 1, 486},
        {"4.86e2", 1, 486}, {"4.86E+2", 1, 486}, {"48600e-2", 1, 486},
        {".486e3", 1, 486}, {"0486", 1, 486}, {"0x1E6", 1, 486}, {"0X1e6", 1, 486},
        {"-0x1e6", 1, -486}, {"0", 1, 0}, {"-0", 1, 0}, {"0.000", 1, 0},
        {"0e999999999999", 1, 0}, {"00000000000000000000486", 1, 486},
        {"486.000000000000000000000", 1, 486}, {"2147483647", 1, 2147483647},
        {"-2147483648", 1, -2147483647 - 1}, {"0x7fffffff", 1, 2147483647},
        {"-0x80000000", 1, -2147483647 - 1}, {"2e9", 1, 2000000000},
        {"486.5", -1, 0}, {"486.00000000000000000001", -1, 0}, {"4.865e2", -1, 0},
        {"2147483648", -1, 0}, {"-2147483649", -1, 0}, {"0x80000000", -1, 0},
        {"3e9", -1, 0}, {"1e10", -1, 0}, {"1e309", -1, 0}, {"1e-309", -1, 0},
        {"1e999999999999999999999", -1, 0}, {"0x123456789abcdef0123", -1, 0},
        {"99999999999999999999999999", -1, 0}, {"0.5", -1, 0},
        {"", 0, 0}, {" ", 0, 0}, {"abc", 0, 0}, {"486abc", 0, 0}, {"4 86", 0, 0},
        {"inf", 0, 0}, {"-inf", 0, 0}, {"nan", 0, 0}, {"infinity", 0, 0},
        {"0x", 0, 0}, {"0x1p4", 0, 0}, {"0x1.8", 0, 0}, {".", 0, 0}, {"e5", 0, 0},
        {"1e", 0, 0}, {"1e+", 0, 0}, {"--486", 0, 0}, {"+-486", 0, 0},
        {"486,0", 0, 0}, {"4,86e2", 0, 0}, {"0x1E6h", 0, 0}, {"\xef\xbc\x94", 0, 0},
    };
    size_t i;
    int v;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        v = 12345;
        CHECK_INT(pint(cases[i].s, &v), cases[i].r);
        if (cases[i].r == 1)
            CHECK_INT(v, cases[i].v);
        else
            CHECK_INT(v, 12345); /* left alone */
    }
    /* The length counts: a NUL is a byte like any other. */
    CHECK_INT(sipcodes_parse_int("48\0 6", 5, &v), 0);
    CHECK_INT(sipcodes_parse_int("486\0", 4, &v), 0);
    CHECK_INT(sipcodes_parse_int("486", 2, &v), 1);
    CHECK_INT(v, 48);
    CHECK_INT(sipcodes_parse_int(NULL, 0, &v), 0);
    {
        /* A mantissa of more than a million digits, an exponent to match:
         * the exponent is not cut short of the text's own length. */
        size_t zeros = 1000010, n = 0;
        char *big = malloc(3 + zeros + 16);
        if (big) {
            memcpy(big, "486", 3);
            memset(big + 3, '0', zeros);
            n = 3 + zeros;
            n += (size_t)sprintf(big + n, "e-%lu", (unsigned long)zeros);
            v = 0;
            CHECK_INT(sipcodes_parse_int(big, n, &v), 1);
            CHECK_INT(v, 486);
            big[n - 1] = '9'; /* e-1000019: a fraction */
            CHECK_INT(sipcodes_parse_int(big, n, &v), -1);
            free(big);
        }
    }

    CHECK_INT(sipcodes_int_of_number(486.0, &v), 1);
    CHECK_INT(v, 486);
    CHECK_INT(sipcodes_int_of_number(-0.0, &v), 1);
    CHECK_INT(v, 0);
    CHECK_INT(sipcodes_int_of_number(2147483647.0, &v), 1);
    CHECK_INT(sipcodes_int_of_number(-2147483648.0, &v), 1);
    CHECK_INT(sipcodes_int_of_number(2147483648.0, &v), 0);
    CHECK_INT(sipcodes_int_of_number(-2147483649.0, &v), 0);
    CHECK_INT(sipcodes_int_of_number(486.5, &v), 0);
    CHECK_INT(sipcodes_int_of_number(1e300, &v), 0);
    {
        volatile double zero = 0.0;
        CHECK_INT(sipcodes_int_of_number(zero / zero, &v), 0);
        CHECK_INT(sipcodes_int_of_number(1.0 / zero, &v), 0);
        CHECK_INT(sipcodes_int_of_number(-1.0 / zero, &v), 0);
    }
}

/* ---- the fixtures of spec/registry_spec.lua, read without Lua ---------- */

#define FIX_MAXROWS 200
#define FIX_MAXCOLS 4

/* The rows of a TSV fixture (run from the top of the tree) after its header
 * line, split in place into cells[row * ncols + col]: how many rows, or 0
 * when the file is missing or a row does not have ncols cells (a check
 * fails then, so that a moved fixture cannot pass as empty). */
static size_t read_tsv(const char *name, size_t ncols, char **cells)
{
    static char bufs[8][65536];
    static size_t nbufs;
    char path[256], *buf, *p, *end;
    size_t len, rows = 0, col;
    FILE *f;

    CHECK(nbufs < 8);
    if (nbufs >= 8)
        return 0;
    buf = bufs[nbufs++];
    snprintf(path, sizeof path, "spec/fixtures/%s", name);
    f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return 0;
    len = fread(buf, 1, sizeof bufs[0] - 1, f);
    fclose(f);
    CHECK(len < sizeof bufs[0] - 1);
    buf[len] = '\0';
    p = strchr(buf, '\n'); /* skip the column names */
    if (!p)
        return 0;
    p++;
    end = buf + len;
    while (p < end && rows < FIX_MAXROWS) {
        for (col = 0; col < ncols; col++) {
            char *stop = p + strcspn(p, col + 1 < ncols ? "\t\n" : "\n");
            if (*stop != (col + 1 < ncols ? '\t' : '\n')) {
                CHECK(!"a fixture row has the wrong number of cells");
                return 0;
            }
            *stop = '\0';
            cells[rows * ncols + col] = p;
            p = stop + 1;
        }
        rows++;
    }
    return rows;
}

static const char *status_word(int code)
{
    const sipcodes_entry *e = sipcodes_lookup(code);
    return e ? sipcodes_status_name(e->status) : "(none)";
}

/* The IANA copy: phrase, first reference and status of the 75 registered
 * codes, and no other row registered. */
static void test_iana(void)
{
    static char *c[FIX_MAXROWS * FIX_MAXCOLS];
    size_t i, n = read_tsv("iana-sip-response-codes.tsv", 3, c), registered = 0;

    CHECK_INT(n, 75);
    for (i = 0; i < n; i++) {
        int code = atoi(c[3 * i]);
        const sipcodes_entry *e = sipcodes_lookup(code);
        size_t rl = strlen(c[3 * i + 2]);
        CHECK(e != NULL);
        if (!e)
            continue;
        if (code == 202) {
            CHECK_STR(c[3 * i + 1], "Accepted (Deprecated)");
            CHECK_STR(e->reason[SIPCODES_LANG_EN], "Accepted");
            CHECK_STR(status_word(code), "deprecated");
        } else {
            CHECK_STR(e->reason[SIPCODES_LANG_EN], c[3 * i + 1]);
            CHECK_STR(status_word(code), "standard");
        }
        /* The IANA reference comes first, alone or before ", ". */
        CHECK(strncmp(e->rfc, c[3 * i + 2], rl) == 0 &&
              (e->rfc[rl] == '\0' || e->rfc[rl] == ','));
    }
    for (i = 0; i < sipcodes_count(); i++) {
        sipcodes_status st = sipcodes_entry_at(i)->status;
        registered += st == SIPCODES_STANDARD || st == SIPCODES_DEPRECATED;
    }
    CHECK_INT(registered, 75);
}

/* The rows outside the IANA registry, and every reference of every row. */
static void test_nonstandard(void)
{
    static char *c[FIX_MAXROWS * FIX_MAXCOLS], *r[FIX_MAXROWS * FIX_MAXCOLS];
    size_t i, n = read_tsv("registry-nonstandard.tsv", 4, c), others = 0;
    size_t nr = read_tsv("registry-references.tsv", 2, r);

    CHECK_INT(n, 7);
    for (i = 0; i < n; i++) {
        int code = atoi(c[4 * i]);
        CHECK(sipcodes_lookup(code) != NULL);
        CHECK_STR(sipcodes_reason(code, SIPCODES_LANG_EN), c[4 * i + 1]);
        CHECK_STR(status_word(code), c[4 * i + 2]);
    }
    for (i = 0; i < sipcodes_count(); i++) {
        sipcodes_status st = sipcodes_entry_at(i)->status;
        others += st == SIPCODES_OBSOLETE || st == SIPCODES_NONSTANDARD;
    }
    CHECK_INT(others, 7);
    CHECK_INT(nr, 82);
    for (i = 0; i < nr; i++) {
        const sipcodes_entry *e = sipcodes_lookup(atoi(r[2 * i]));
        CHECK(e != NULL);
        CHECK_STR(e ? e->rfc : NULL, r[2 * i + 1]);
    }
    CHECK_STR(sipcodes_lookup(428) ? sipcodes_lookup(428)->rfc : NULL, "RFC 8224, RFC 4474");
    CHECK_STR(sipcodes_reason(703, SIPCODES_LANG_EN), "Error sending message to destination server");
    CHECK_STR(sipcodes_lookup(701) ? sipcodes_lookup(701)->name : NULL,
              "NO_RESPONSE_FROM_DESTINATION_SERVER");
}

/* German phrases and class phrases, English class phrases, descriptions. */
static void test_texts(void)
{
    static char *de[FIX_MAXROWS * FIX_MAXCOLS], *en[FIX_MAXROWS * FIX_MAXCOLS];
    static char *d[FIX_MAXROWS * FIX_MAXCOLS];
    size_t i, nde = read_tsv("registry-de.tsv", 2, de);
    size_t nen = read_tsv("registry-classes-en.tsv", 2, en);
    size_t nd = read_tsv("registry-descriptions.tsv", 3, d), nclasses = 0;

    CHECK_INT(nde, 89);
    for (i = 0; i < nde; i++) {
        if (strlen(de[2 * i]) == 3 && strcmp(de[2 * i] + 1, "xx") == 0) {
            int code = (de[2 * i][0] - '0') * 100 + 98;
            nclasses++;
            CHECK(sipcodes_lookup(code) == NULL);
            CHECK_STR(sipcodes_class_phrase(code, SIPCODES_LANG_DE), de[2 * i + 1]);
        } else {
            CHECK_STR(sipcodes_reason(atoi(de[2 * i]), SIPCODES_LANG_DE), de[2 * i + 1]);
        }
    }
    CHECK_INT(nclasses, 7);
    CHECK_INT(nen, 7);
    for (i = 0; i < nen; i++)
        CHECK_STR(sipcodes_class_phrase((en[2 * i][0] - '0') * 100 + 98, SIPCODES_LANG_EN),
                  en[2 * i + 1]);
    CHECK_INT(nd, 2 * sipcodes_count());
    for (i = 0; i < nd; i++) {
        const sipcodes_entry *e = sipcodes_lookup(atoi(d[3 * i]));
        int lang = strcmp(d[3 * i + 1], "de") == 0 ? SIPCODES_LANG_DE : SIPCODES_LANG_EN;
        CHECK(e != NULL);
        CHECK_STR(e ? e->description[lang] : NULL, d[3 * i + 2]);
        /* Rows come in pairs, en then de, one pair per registry row. */
        CHECK_STR(d[3 * i + 1], i % 2 ? "de" : "en");
        CHECK(e == sipcodes_entry_at(i / 2));
    }
    CHECK_STR(sipcodes_reason(608, SIPCODES_LANG_DE), "Zur\xC3\xBC" "ckgewiesen");
    CHECK_STR(sipcodes_class_phrase(699, SIPCODES_LANG_DE), "Globaler Fehler");
}

static int scan_find(const char *text, size_t len);

/* Every alias with its source, in the order of the fixture. */
static void test_aliases(void)
{
    static char *c[FIX_MAXROWS * FIX_MAXCOLS];
    size_t i, j, n = sipcodes_alias_count(), nf = read_tsv("registry-aliases.tsv", 3, c);

    CHECK_INT(n, 13);
    CHECK_INT(nf, n);
    for (i = 0; i < n; i++) {
        const sipcodes_alias *a = sipcodes_alias_at(i);
        int first = a->code;
        CHECK(sipcodes_lookup(a->code) != NULL);
        CHECK(memchr(a->phrase, 0, sizeof a->phrase) != NULL);
        CHECK(memchr(a->source, 0, sizeof a->source) != NULL);
        if (i < nf) {
            CHECK_INT(a->code, atoi(c[3 * i]));
            CHECK_STR(a->phrase, c[3 * i + 1]);
            CHECK_STR(a->source, c[3 * i + 2]);
        }
        /* An alias another alias before it has: lookup gives that one's code. */
        for (j = 0; j < i; j++)
            if (sipcodes_phrase_match(a->phrase, strlen(a->phrase), sipcodes_alias_at(j)->phrase)) {
                first = sipcodes_alias_at(j)->code;
                break;
            }
        CHECK_INT(sipcodes_find(a->phrase, strlen(a->phrase)), first);
        CHECK_INT(sipcodes_find(a->phrase, strlen(a->phrase)),
                  scan_find(a->phrase, strlen(a->phrase)));
    }
    CHECK(sipcodes_alias_at(n) == NULL);
    CHECK_INT(sipcodes_find("Stale Date", 10), 403);
    CHECK_INT(sipcodes_find("Network Blocked", 15), 603);
    CHECK_INT(sipcodes_find("Party Hangs Up", 14), 701);
    CHECK_INT(sipcodes_find("Precondition Failed", 19), 412);
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
    test_iana();
    test_nonstandard();
    test_texts();
    test_aliases();
    test_index();
    test_keys();
    test_names();
    test_numbers();
    test_classes();
    return CTEST_DONE("test_registry");
}
