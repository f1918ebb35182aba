/*
 * sipcodes.h - the pure C API of sipcodes: the SIP response code registry and
 * the classification rules of RFC 3261.  No Lua here: this header and
 * sipcodes.c build and test on their own (see ctest/).
 *
 * Everything returned points into static const data; nothing is allocated
 * and nothing is mutable, so every function is safe to call from any number
 * of threads at once.
 */
#ifndef SIPCODES_H
#define SIPCODES_H

/* Built into a Lua module, these symbols stay inside the shared object
 * (luaopen_sipcodes_core is the one export), even when the build does not
 * pass -fvisibility=hidden, as LuaRocks' builtin type does not. */
#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#include <stddef.h>

/* The one version string of the project (the rockspec repeats it; a spec
 * checks that both agree). */
#define SIPCODES_VERSION "0.1.0"

/* Lowest and highest code the registry may hold.  100-699 is what RFC 3261
 * allows on the wire; 7xx holds the non-standard "stack" codes that some
 * SIP stacks use internally. */
#define SIPCODES_MIN_CODE 100
#define SIPCODES_MAX_CODE 799

typedef enum {
    SIPCODES_STANDARD = 0,   /* in the IANA Response Codes registry */
    SIPCODES_DEPRECATED,     /* registered, but marked deprecated */
    SIPCODES_OBSOLETE,       /* defined only by RFC 2543, dropped by RFC 3261 */
    SIPCODES_NONSTANDARD     /* sent by real stacks, never registered */
} sipcodes_status;

typedef enum {
    SIPCODES_LANG_EN = 0,
    SIPCODES_LANG_DE = 1,
    SIPCODES_NLANGS
} sipcodes_lang;

/* One row of the registry (generated from SIPCODES_MAP in sipcodes_data.h). */
typedef struct {
    int code;
    sipcodes_status status;
    const char *name;                        /* "BUSY_HERE" */
    const char *reason[SIPCODES_NLANGS];     /* "Busy Here", "Besetzt" */
    const char *description[SIPCODES_NLANGS];
    const char *rfc;   /* "RFC 3261" or "RFC 3261, RFC 6665"; "" if none */
} sipcodes_entry;

/* An alternative phrase that real stacks send for a registered code. */
typedef struct {
    int code;
    const char *phrase;
} sipcodes_alias;

/* ---- registry ---------------------------------------------------------- */

/* The entry for code, or NULL if the registry has none. */
const sipcodes_entry *sipcodes_lookup(int code);

/* The reason phrase of code in lang, or NULL if the registry has no such
 * code (or lang is out of range): the C counterpart of sofia-sip's
 * sip_status_phrase, a range check and two loads. */
const char *sipcodes_reason(int code, sipcodes_lang lang);

/* Number of entries, and entry i (0 <= i < count) in ascending code order. */
size_t sipcodes_count(void);
const sipcodes_entry *sipcodes_entry_at(size_t i);

/* Number of aliases, and alias i; NULL past the end. */
size_t sipcodes_alias_count(void);
const sipcodes_alias *sipcodes_alias_at(size_t i);

/* The code whose reason phrase (English or German), alias or constant name
 * matches text, compared without regard to case, spaces and punctuation
 * ("busy here", "BUSY_HERE", "Busy-Here" all give 486).  0 if none does.
 * Reads exactly len bytes of text; text need not be NUL-terminated. */
int sipcodes_find(const char *text, size_t len);

/* Does text[0..len) equal the NUL-terminated phrase under the comparison
 * sipcodes_find uses (case, spaces and punctuation ignored)? */
int sipcodes_phrase_match(const char *text, size_t len, const char *phrase);

/* "standard", "deprecated", "obsolete", "nonstandard". */
const char *sipcodes_status_name(sipcodes_status status);

/* ---- classification (RFC 3261 §7.2, §8.1.3.2) --------------------------- */

/* 1 if code may go on the wire (100-699), else 0. */
int sipcodes_is_valid(int code);

/* The class digit (1-7) for 100-799, else 0. */
int sipcodes_class(int code);

/* "provisional", "success", "redirection", "client_failure",
 * "server_failure", "global_failure", "stack_error"; NULL outside 100-799. */
const char *sipcodes_class_name(int code);

/* The generic phrase of code's class ("Request Failure", ...) in lang, for a
 * reply whose code has no phrase of its own; NULL outside 100-799. */
const char *sipcodes_class_phrase(int code, sipcodes_lang lang);

/* The reason for code in lang, else its class phrase; NULL outside 100-799. */
const char *sipcodes_phrase(int code, sipcodes_lang lang);

/* What a UAC that does not know code treats it as (RFC 3261 §8.1.3.2):
 * a code in the registry is itself, an unknown 1xx is 183, an unknown final
 * code is the x00 of its class.  0 outside 100-699. */
int sipcodes_equivalent(int code);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif /* SIPCODES_H */
