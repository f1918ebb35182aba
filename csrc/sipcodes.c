/*
 * sipcodes.c - the registry and the classification rules, in plain C.
 *
 * Everything here is generated from the rows of sipcodes_data.h: the entry
 * array (in row order, which is ascending code order), a dense index from
 * code to entry, and the alias list.  All of it is static const, so it sits
 * in read-only pages that every Kamailio worker and FreeSWITCH thread shares.
 */
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
 * entry that index value 0 ("no such code") points at, so that the reason
 * of a code is two loads with no test in between. */
static const sipcodes_entry sc_entries[SC_NENTRIES + 1] = {
    {0, SIPCODES_STANDARD, NULL, {NULL, NULL}, {NULL, NULL}, NULL},
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
#define SC_ALIAS(code, phrase) {code, phrase},
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

    if (off > SIPCODES_MAX_CODE - SIPCODES_MIN_CODE ||
        (unsigned)lang >= SIPCODES_NLANGS)
        return NULL;
    return sc_entries[sc_index[off]].reason[lang];
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
 * are kept and compared exactly. */
static int sc_significant(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static unsigned char sc_fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Does text[0..len) match the NUL-terminated phrase, ignoring what
 * sc_significant skips?  Both walks are bounded by their own lengths. */
static int sc_phrase_eq(const char *text, size_t len, const char *phrase)
{
    const unsigned char *t = (const unsigned char *)text;
    const unsigned char *p = (const unsigned char *)phrase;
    size_t i = 0;

    for (;;) {
        while (i < len && !sc_significant(t[i]))
            i++;
        while (*p && !sc_significant(*p))
            p++;
        if (i == len || !*p)
            return i == len && !*p;
        if (sc_fold(t[i]) != sc_fold(*p))
            return 0;
        i++;
        p++;
    }
}

int sipcodes_phrase_match(const char *text, size_t len, const char *phrase)
{
    return sc_phrase_eq(text, len, phrase);
}

int sipcodes_find(const char *text, size_t len)
{
    size_t i;
    int any = 0;

    /* Text with nothing significant in it names nothing. */
    for (i = 0; i < len && !any; i++)
        any = sc_significant((unsigned char)text[i]);
    if (!any)
        return 0;
    for (i = 0; i < SC_NENTRIES; i++) {
        const sipcodes_entry *e = &sc_entries[i + 1];
        if (sc_phrase_eq(text, len, e->reason[SIPCODES_LANG_EN]) ||
            sc_phrase_eq(text, len, e->name) ||
            sc_phrase_eq(text, len, e->reason[SIPCODES_LANG_DE]))
            return e->code;
    }
    for (i = 0; i < SC_NALIASES; i++)
        if (sc_phrase_eq(text, len, sc_aliases[i].phrase))
            return sc_aliases[i].code;
    return 0;
}

/* ---- classification ----------------------------------------------------- */

int sipcodes_is_valid(int code)
{
    return code >= 100 && code <= 699;
}

int sipcodes_class(int code)
{
    return (code >= SIPCODES_MIN_CODE && code <= SIPCODES_MAX_CODE)
               ? code / 100 : 0;
}

/* Indexed by class digit; [0] is unused. */
static const char *const sc_class_names[8] = {
    NULL, "provisional", "success", "redirection", "client_failure",
    "server_failure", "global_failure", "stack_error"
};

/* The class headings of RFC 3261 §21, and our German for them. */
static const char *const sc_class_phrases[SIPCODES_NLANGS][8] = {
    {NULL, "Provisional", "Successful", "Redirection", "Request Failure",
     "Server Failure", "Global Failure", "Stack Error"},
    {NULL, "Vorl\xC3\xA4ufige Antwort", "Erfolgreich", "Umleitung",
     "Fehler in der Anfrage", "Serverfehler", "Globaler Fehler",
     "Fehler im SIP-Stack"}
};

const char *sipcodes_class_name(int code)
{
    return sc_class_names[sipcodes_class(code)];
}

const char *sipcodes_class_phrase(int code, sipcodes_lang lang)
{
    if ((unsigned)lang >= SIPCODES_NLANGS)
        return NULL;
    return sc_class_phrases[lang][sipcodes_class(code)];
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
