/*
 * sipcodes.c - the registry and the classification rules, in plain C.
 *
 * Everything here is generated from the rows of sipcodes_data.h: the entry
 * array (in row order, which is ascending code order), a dense index from
 * code to entry, and the alias list.  All of it is static const, so it sits
 * in read-only pages that every Kamailio worker and FreeSWITCH thread shares.
 */
#include <limits.h>
#include <string.h>

#include "sipcodes.h"
#include "sipcodes_data.h"

/* ---- generated tables --------------------------------------------------- */

/* SC_ORD_<NAME>: the position of each row.  A repeated NAME fails here. */
enum {
#define SC_ORD(code, name, reason, status, rfc, reason_de, desc, desc_de) \
    SC_ORD_##name,
    SIPCODES_MAP(SC_ORD)
#undef SC_ORD
    SC_NENTRIES
};

/* Row i of the registry is sc_entries[i + 1]; sc_entries[0] is an empty
 * entry that index value 0 ("no such code") points at. */
static const sipcodes_entry sc_entries[SC_NENTRIES + 1] = {
    {0, SIPCODES_STANDARD, "", {"", ""}, {"", ""}, ""},
#define SC_ENTRY(code, name, reason, status, rfc, reason_de, desc, desc_de) \
    {code, SIPCODES_##status, #name, {reason, reason_de}, {desc, desc_de}, rfc},
    SIPCODES_MAP(SC_ENTRY)
#undef SC_ENTRY
};

/* Code -> row position + 1 (0 = no entry).  One byte per code keeps the
 * index at 700 bytes; a lookup is a range check and two loads.  A code
 * given twice is an "initialized field overwritten" error under -Wextra. */
typedef unsigned char sc_index_t;
static const sc_index_t sc_index[SIPCODES_MAX_CODE - SIPCODES_MIN_CODE + 1] = {
#define SC_INDEX(code, name, reason, status, rfc, reason_de, desc, desc_de) \
    [(code) - SIPCODES_MIN_CODE] = SC_ORD_##name + 1,
    SIPCODES_MAP(SC_INDEX)
#undef SC_INDEX
};

/* The index stores position + 1 in one byte. */
typedef char sc_index_fits[SC_NENTRIES < 255 ? 1 : -1];

static const sipcodes_alias sc_aliases[] = {
#define SC_ALIAS(code, phrase, source) {code, phrase, source},
    SIPCODES_ALIASES(SC_ALIAS)
#undef SC_ALIAS
};

#define SC_NALIASES (sizeof(sc_aliases) / sizeof(sc_aliases[0]))

/* ---- registry ----------------------------------------------------------- */

const sipcodes_entry *sipcodes_lookup(int code)
{
    unsigned off = (unsigned)code - SIPCODES_MIN_CODE;
    unsigned pos;

    if (off > SIPCODES_MAX_CODE - SIPCODES_MIN_CODE)
        return NULL;
    pos = sc_index[off];
    return pos ? &sc_entries[pos] : NULL;
}

const char *sipcodes_reason(int code, sipcodes_lang lang)
{
    unsigned off = (unsigned)code - SIPCODES_MIN_CODE;
    unsigned pos;

    if (off > SIPCODES_MAX_CODE - SIPCODES_MIN_CODE ||
        (unsigned)lang >= SIPCODES_NLANGS)
        return NULL;
    pos = sc_index[off];
    return pos ? sc_entries[pos].reason[lang] : NULL;
}

size_t sipcodes_count(void)
{
    return SC_NENTRIES;
}

const sipcodes_entry *sipcodes_entry_at(size_t i)
{
    return i < SC_NENTRIES ? &sc_entries[i + 1] : NULL;
}

size_t sipcodes_alias_count(void)
{
    return SC_NALIASES;
}

const sipcodes_alias *sipcodes_alias_at(size_t i)
{
    return i < SC_NALIASES ? &sc_aliases[i] : NULL;
}

const char *sipcodes_status_name(sipcodes_status status)
{
    switch (status) {
    case SIPCODES_STANDARD: return "standard";
    case SIPCODES_DEPRECATED: return "deprecated";
    case SIPCODES_OBSOLETE: return "obsolete";
    case SIPCODES_NONSTANDARD: return "nonstandard";
    }
    return "standard";
}

/* ---- lookup by phrase or name ------------------------------------------- */

/* Phrases are compared on their ASCII letters and digits only, folded to
 * lower case; every other byte (space, '-', '_', '/', '.') is skipped.  So
 * "Call/Transaction Does Not Exist", "call transaction does not exist" and
 * CALL_TRANSACTION_DOES_NOT_EXIST meet.  Bytes >= 0x80 (the German umlauts)
 * are kept and compared exactly.  sc_keybyte gives, for each byte, what the
 * comparison sees: 0 for a byte it skips, else the byte folded. */
#define SC_KB(c) \
    ((unsigned char)(((c) >= 'A' && (c) <= 'Z') ? (c) + ('a' - 'A') \
     : (((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9') || (c) >= 0x80) ? (c) \
     : 0))
#define SC_KB4(b) SC_KB(b), SC_KB((b) + 1), SC_KB((b) + 2), SC_KB((b) + 3)
#define SC_KB16(b) SC_KB4(b), SC_KB4((b) + 4), SC_KB4((b) + 8), SC_KB4((b) + 12)
#define SC_KB64(b) SC_KB16(b), SC_KB16((b) + 16), SC_KB16((b) + 32), SC_KB16((b) + 48)

static const unsigned char sc_keybyte[256] = {
    SC_KB64(0), SC_KB64(64), SC_KB64(128), SC_KB64(192)
};

/* Does text[0..len) match the NUL-terminated phrase, ignoring what
 * sc_keybyte skips?  Both walks are bounded by their own lengths. */
static int sc_phrase_eq(const char *text, size_t len, const char *phrase)
{
    const unsigned char *t = (const unsigned char *)text;
    const unsigned char *p = (const unsigned char *)phrase;
    size_t i = 0;

    for (;;) {
        while (i < len && !sc_keybyte[t[i]])
            i++;
        while (*p && !sc_keybyte[*p])
            p++;
        if (i == len || !*p)
            return i == len && !*p;
        if (sc_keybyte[t[i]] != sc_keybyte[*p])
            return 0;
        i++;
        p++;
    }
}

int sipcodes_phrase_match(const char *text, size_t len, const char *phrase)
{
    return sc_phrase_eq(text, len, phrase);
}

uint32_t sipcodes_text_hash(const char *text, size_t len, size_t *nsig)
{
    sipcodes_key k;

    sipcodes_key_init(&k, text, len);
    if (nsig)
        *nsig = k.nsig;
    return k.hash;
}

/* The keys in rank order: three per row (reason, name, German reason),
 * then the aliases. */
#define SC_NKEYS (3 * SC_NENTRIES + SC_NALIASES)

size_t sipcodes_key_count(void)
{
    return SC_NKEYS;
}

const char *sipcodes_key_at(size_t i, int *code)
{
    const sipcodes_entry *e;

    if (i >= SC_NKEYS)
        return NULL;
    if (i >= 3 * SC_NENTRIES) {
        *code = sc_aliases[i - 3 * SC_NENTRIES].code;
        return sc_aliases[i - 3 * SC_NENTRIES].phrase;
    }
    e = &sc_entries[i / 3 + 1];
    *code = e->code;
    switch (i % 3) {
    case 0: return e->reason[SIPCODES_LANG_EN];
    case 1: return e->name;
    default: return e->reason[SIPCODES_LANG_DE];
    }
}

int sipcodes_index_build(uint16_t *ref, uint32_t *hash, size_t slots)
{
    size_t i, s, mask = slots - 1, used = 0;

    if (slots == 0 || (slots & mask) != 0 || slots > 65536)
        return -1;
    for (s = 0; s < slots; s++) {
        ref[s] = 0;
        hash[s] = 0;
    }
    for (i = 0; i < SC_NKEYS; i++) {
        int code, other;
        const char *key = sipcodes_key_at(i, &code);
        size_t klen = strlen(key);
        uint32_t h = sipcodes_text_hash(key, klen, NULL);
        int dup = 0;

        for (s = h & mask; ref[s]; s = (s + 1) & mask)
            if (hash[s] == h &&
                sc_phrase_eq(key, klen, sipcodes_key_at(ref[s] - 1u, &other))) {
                dup = 1; /* an earlier key says the same: it ranks first */
                break;
            }
        if (!dup) {
            /* At most half full, so that a probe soon meets an empty slot. */
            if (2 * ++used > slots)
                return -1;
            ref[s] = (uint16_t)(i + 1);
            hash[s] = h;
        }
    }
    return 0;
}

/* The committed index: SC_INDEX_SLOTS, SC_INDEX_NKEYS, sc_index_ref[],
 * sc_index_hash[].  It was built for SC_INDEX_NKEYS keys; a row or alias
 * added or removed without `make index` fails to compile here, and a
 * phrase changed without it fails ctest (test_registry compares the file
 * with sipcodes_index_build). */
#ifndef SIPCODES_NO_INDEX
#include "sipcodes_index.h"
#else
/* tools/gen_index.c writes the index, so it cannot use one. */
#define SC_INDEX_SLOTS 1
#define SC_INDEX_NKEYS SC_NKEYS
#define SC_INDEX_MAXSIG 0
static const uint16_t sc_index_ref[1] = {0};
static const uint32_t sc_index_hash[1] = {0};
static const uint16_t sc_index_off[1] = {0};
static const uint16_t sc_index_code[1] = {0};
static const unsigned char sc_index_len[1] = {0};
static const char sc_index_text[1] = "";
#endif

typedef char sc_index_is_current[SC_INDEX_NKEYS == SC_NKEYS ? 1 : -1];
typedef char sc_index_fits_a_key[SC_INDEX_MAXSIG <= SIPCODES_KEY_MAX ? 1 : -1];

#define SC_FNV_BASIS 2166136261u
#define SC_FNV_PRIME 16777619u

/* One byte of text into the key: stored unconditionally, counted only when
 * significant, so that the pass has no branch per byte. */
#define SC_KEY_STEP(j)                     \
    do {                                   \
        unsigned char b_ = sc_keybyte[t[j]]; \
        sig[n] = b_;                       \
        n += b_ != 0;                      \
    } while (0)

void sipcodes_key_init(sipcodes_key *k, const char *text, size_t len)
{
    sipcodes_key_init_upto(k, text, len, SIPCODES_KEY_MAX);
}

size_t sipcodes_key_longest(void)
{
    return SC_INDEX_MAXSIG;
}

void sipcodes_key_init_upto(sipcodes_key *k, const char *text, size_t len, size_t max)
{
    const unsigned char *t = (const unsigned char *)text;
    unsigned char *sig = k->sig;
    uint32_t h = SC_FNV_BASIS;
    size_t i = 0, j, n = 0;

    if (max > SIPCODES_KEY_MAX)
        max = SIPCODES_KEY_MAX;
    /* Eight bytes per check: n grows by at most 8 past a check that found
     * it <= max, which sig has room for. */
    for (; i + 8 <= len && n <= max; i += 8, t += 8) {
        SC_KEY_STEP(0); SC_KEY_STEP(1); SC_KEY_STEP(2); SC_KEY_STEP(3);
        SC_KEY_STEP(4); SC_KEY_STEP(5); SC_KEY_STEP(6); SC_KEY_STEP(7);
    }
    for (; i < len && n <= max; i++, t++)
        SC_KEY_STEP(0);
    if (n > max)
        n = max + 1; /* longer than any key it is for */
    k->nsig = n;
    if (n > max)
        n = max;
    /* Zero after the last byte, so that the words below read the same
     * bytes whatever the pass stored there; no significant byte is 0. */
    memset(sig + n, 0, 4);
    for (j = 0; j < n; j += 4) {
        uint32_t w = (uint32_t)sig[j] | (uint32_t)sig[j + 1] << 8 |
                     (uint32_t)sig[j + 2] << 16 | (uint32_t)sig[j + 3] << 24;
        h = (h ^ w) * SC_FNV_PRIME;
    }
    /* Words leave the low bits, which pick the slot, poorly mixed. */
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    k->hash = h;
}

int sipcodes_key_matches(const sipcodes_key *k, const char *phrase)
{
    const unsigned char *p = (const unsigned char *)phrase;
    size_t j = 0;

    if (k->nsig > SIPCODES_KEY_MAX)
        return 0;
    for (; *p; p++) {
        unsigned char b = sc_keybyte[*p];
        if (b && (j == k->nsig || k->sig[j++] != b))
            return 0;
    }
    return j == k->nsig;
}

int sipcodes_find_key(const sipcodes_key *k)
{
    size_t s;

    /* Text with nothing significant in it names nothing, and a text longer
     * than the longest key matches none. */
    if (k->nsig == 0 || k->nsig > SC_INDEX_MAXSIG)
        return 0;
    /* The probe ends at an empty slot: the index is under half full, and
     * its clusters are fixed when it is generated.  A slot's key is kept
     * folded, so a match is one memcmp. */
    for (s = k->hash & (SC_INDEX_SLOTS - 1); sc_index_ref[s]; s = (s + 1) & (SC_INDEX_SLOTS - 1)) {
        if (sc_index_hash[s] == k->hash && sc_index_len[s] == k->nsig &&
            memcmp(sc_index_text + sc_index_off[s], k->sig, k->nsig) == 0)
            return sc_index_code[s];
    }
    return 0;
}

int sipcodes_find(const char *text, size_t len)
{
    sipcodes_key k;

    sipcodes_key_init(&k, text, len);
    return sipcodes_find_key(&k);
}

int sipcodes_is_const_name(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len > SIPCODES_MAX_NAME || !(s[0] >= 'A' && s[0] <= 'Z'))
        return 0;
    for (i = 1; i < len; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_'))
            return 0;
    return 1;
}

int sipcodes_code_of_name(const char *s, size_t len)
{
    size_t i;

    if (!sipcodes_is_const_name(s, len))
        return 0;
    for (i = 1; i <= SC_NENTRIES; i++)
        if (strncmp(sc_entries[i].name, s, len) == 0 && sc_entries[i].name[len] == '\0')
            return sc_entries[i].code;
    return 0;
}

/* ---- numbers ------------------------------------------------------------- */

int sipcodes_int_of_number(double n, int *out)
{
    /* The range test comes first: it is false for NaN, and casting a value
     * outside the int range would be undefined behaviour. */
    if (!(n >= (double)INT_MIN && n <= (double)INT_MAX) || n != (double)(int)n)
        return 0;
    *out = (int)n;
    return 1;
}

/* Lua's white space, as its lexer and tonumber see it in the C locale. */
static int sc_is_luaspace(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static int sc_hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The value sign * digits * 10^exp, where the digits are those of
 * [a, b) then [c, d) of u, or whether it has no exact int value.  Leading
 * and trailing zeros are dropped first, so only up to ten significant
 * digits are ever multiplied out. */
static int sc_decimal_value(const unsigned char *u, size_t a, size_t b, size_t c,
                            size_t d, long long exp, int neg, int *out)
{
    size_t n1 = b - a, nd = n1 + (d - c), lo = 0, hi = nd, k;
    long long v = 0;

#define SC_DIGIT(i) ((i) < n1 ? u[a + (i)] : u[c + (i) - n1])
    while (lo < hi && SC_DIGIT(lo) == '0')
        lo++;
    while (hi > lo && SC_DIGIT(hi - 1) == '0') {
        hi--;
        exp++;
    }
    if (lo == hi) {
        *out = 0;
        return SIPCODES_NUMERAL_INT;
    }
    /* A significant digit right of the point, or more than ten digits in
     * all: no int can hold it (INT_MAX has ten). */
    if (exp < 0 || exp > 10 || (long long)(hi - lo) + exp > 10)
        return SIPCODES_NUMERAL_NOT_INT;
    for (k = lo; k < hi; k++)
        v = v * 10 + (SC_DIGIT(k) - '0');
#undef SC_DIGIT
    while (exp-- > 0)
        v *= 10;
    if (neg)
        v = -v;
    if (v < INT_MIN || v > INT_MAX)
        return SIPCODES_NUMERAL_NOT_INT;
    *out = (int)v;
    return SIPCODES_NUMERAL_INT;
}

int sipcodes_parse_int(const char *s, size_t len, int *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t p = 0, end = len, a, b, c, d;
    long long exp = 0;
    int neg = 0;

    while (p < end && sc_is_luaspace(u[p]))
        p++;
    while (end > p && sc_is_luaspace(u[end - 1]))
        end--;
    if (p < end && (u[p] == '-' || u[p] == '+')) {
        neg = u[p] == '-';
        p++;
    }
    if (end - p > 2 && u[p] == '0' && (u[p + 1] == 'x' || u[p + 1] == 'X')) {
        long long v = 0;
        int big = 0;
        for (p += 2; p < end; p++) {
            int h = sc_hexval(u[p]);
            if (h < 0)
                return SIPCODES_NOT_NUMERAL;
            if (!big && (v = v * 16 + h) > (long long)INT_MAX + 1)
                big = 1;
        }
        if (neg)
            v = -v;
        if (big || v < INT_MIN || v > INT_MAX)
            return SIPCODES_NUMERAL_NOT_INT;
        *out = (int)v;
        return SIPCODES_NUMERAL_INT;
    }
    a = p;
    while (p < end && u[p] >= '0' && u[p] <= '9')
        p++;
    b = c = d = p;
    if (p < end && u[p] == '.') {
        c = ++p;
        while (p < end && u[p] >= '0' && u[p] <= '9')
            p++;
        d = p;
    }
    if (a == b && c == d)
        return SIPCODES_NOT_NUMERAL; /* no digit at all */
    if (p < end && (u[p] == 'e' || u[p] == 'E')) {
        int eneg = 0;
        size_t e0;
        p++;
        if (p < end && (u[p] == '-' || u[p] == '+')) {
            eneg = u[p] == '-';
            p++;
        }
        e0 = p;
        while (p < end && u[p] >= '0' && u[p] <= '9') {
            /* Saturated past the length of the text: no run of digits it
             * holds can offset an exponent larger than that. */
            if (exp <= (long long)len + 16)
                exp = exp * 10 + (u[p] - '0');
            p++;
        }
        if (p == e0)
            return SIPCODES_NOT_NUMERAL;
        if (eneg)
            exp = -exp;
    }
    if (p != end)
        return SIPCODES_NOT_NUMERAL;
    return sc_decimal_value(u, a, b, c, d, exp - (long long)(d - c), neg, out);
}

/* ---- classification ----------------------------------------------------- */

int sipcodes_is_valid(int code)
{
    return code >= SIPCODES_MIN_CODE && code <= SIPCODES_MAX_WIRE_CODE;
}

int sipcodes_class(int code)
{
    return (code >= SIPCODES_MIN_CODE && code <= SIPCODES_MAX_CODE)
               ? code / 100 : 0;
}

/* Indexed by class digit; [0] is unused.  (Arrays, not pointers: see
 * SIPCODES_NAME_SIZE.) */
static const char sc_class_names[8][16] = {
    "", "provisional", "success", "redirection", "client_failure",
    "server_failure", "global_failure", "stack_error"
};

/* The class headings of RFC 3261 §21, and our German for them. */
static const char sc_class_phrases[SIPCODES_NLANGS][8][24] = {
    {"", "Provisional", "Successful", "Redirection", "Request Failure",
     "Server Failure", "Global Failure", "Stack Error"},
    {"", "Vorl\xC3\xA4ufige Antwort", "Erfolgreich", "Umleitung",
     "Fehler in der Anfrage", "Serverfehler", "Globaler Fehler",
     "Fehler im SIP-Stack"}
};

const char *sipcodes_class_name(int code)
{
    int c = sipcodes_class(code);

    return c ? sc_class_names[c] : NULL;
}

const char *sipcodes_class_phrase(int code, sipcodes_lang lang)
{
    int c = sipcodes_class(code);

    if ((unsigned)lang >= SIPCODES_NLANGS || !c)
        return NULL;
    return sc_class_phrases[lang][c];
}

const char *sipcodes_phrase(int code, sipcodes_lang lang)
{
    const sipcodes_entry *e = sipcodes_lookup(code);

    if ((unsigned)lang >= SIPCODES_NLANGS)
        return NULL;
    return e ? e->reason[lang] : sipcodes_class_phrase(code, lang);
}

int sipcodes_equivalent(int code)
{
    if (!sipcodes_is_valid(code))
        return 0;
    if (sipcodes_lookup(code))
        return code;
    /* RFC 3261 §8.1.3.2: an unrecognised provisional response is handled
     * as 183 Session Progress, an unrecognised final one as the x00 code
     * of its class, which every UAC must understand. */
    return code < 200 ? 183 : code - code % 100;
}
