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
#include <stdint.h>

/* The one version string of the project (the rockspec repeats it; a spec
 * checks that both agree). */
#define SIPCODES_VERSION "0.1.0"

/* Lowest and highest code the registry may hold.  100-699 is what RFC 3261
 * allows on the wire; 7xx holds the non-standard "stack" codes that some
 * SIP stacks use internally. */
#define SIPCODES_MIN_CODE 100
#define SIPCODES_MAX_WIRE_CODE 699
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

/* The sizes of the strings of a row.  Rows hold their strings as arrays,
 * not pointers: a table of pointers in a shared object costs one
 * relocation per pointer at every dlopen (about 9 ns each), and FreeSWITCH
 * loads the module for every script run.  A longer string is a compile
 * error (-Werror); ctest checks that every string leaves room for its NUL. */
#define SIPCODES_NAME_SIZE 48
#define SIPCODES_PHRASE_SIZE 48
#define SIPCODES_DESCRIPTION_SIZE 176
#define SIPCODES_RFC_SIZE 24

/* One row of the registry (generated from SIPCODES_MAP in sipcodes_data.h). */
typedef struct {
    int code;
    sipcodes_status status;
    char name[SIPCODES_NAME_SIZE];                          /* "BUSY_HERE" */
    char reason[SIPCODES_NLANGS][SIPCODES_PHRASE_SIZE];     /* "Busy Here", "Besetzt" */
    char description[SIPCODES_NLANGS][SIPCODES_DESCRIPTION_SIZE];
    char rfc[SIPCODES_RFC_SIZE]; /* "RFC 3261" or "RFC 3261, RFC 6665"; "" if none */
} sipcodes_entry;

/* An alternative phrase that real stacks send for a registered code, and
 * who sends it or where it appears ("sofia-sip's phrase for 504, which
 * FreeSWITCH sends"). */
#define SIPCODES_ALIAS_SOURCE_SIZE 160
typedef struct {
    int code;
    char phrase[SIPCODES_PHRASE_SIZE];
    char source[SIPCODES_ALIAS_SOURCE_SIZE];
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
 * Where two codes share a text (406 and 606 "Not Acceptable") the first row
 * wins, then the aliases.  Reads exactly len bytes of text; text need not
 * be NUL-terminated.  One pass over text plus a probe of a const hash index
 * (csrc/sipcodes_index.h), so the cost does not grow with the registry. */
int sipcodes_find(const char *text, size_t len);

/* The hash sipcodes_find uses, over the bytes of text that the comparison
 * looks at (ASCII letters folded to lower case, digits, bytes >= 0x80),
 * and in *nsig how many there are: sipcodes_key_init's hash and nsig.  Two
 * texts that match each other under sipcodes_phrase_match have the same
 * hash. */
uint32_t sipcodes_text_hash(const char *text, size_t len, size_t *nsig);

/* A text as the lookup sees it, made in one pass: its significant bytes,
 * folded, and their hash (FNV-1a over them four at a time, then mixed).
 * No key of the registry or of a registration has more than
 * SIPCODES_KEY_MAX significant bytes, so a text with more stops there:
 * nsig is then SIPCODES_KEY_MAX + 1, the hash covers the first
 * SIPCODES_KEY_MAX, and the text matches nothing.  sig has room to spare:
 * the pass stores eight bytes ahead of its check. */
#define SIPCODES_KEY_MAX 128
typedef struct {
    uint32_t hash;
    size_t nsig;
    unsigned char sig[SIPCODES_KEY_MAX + 8];
} sipcodes_key;

void sipcodes_key_init(sipcodes_key *k, const char *text, size_t len);

/* sipcodes_key_init that stops after max (<= SIPCODES_KEY_MAX) significant
 * bytes: nsig is then max + 1 and the text matches no key of at most max
 * significant bytes, its hash being of no use.  A lookup that knows its
 * longest key reads no further than it needs to. */
void sipcodes_key_init_upto(sipcodes_key *k, const char *text, size_t len, size_t max);

/* The significant bytes of the registry's longest key. */
size_t sipcodes_key_longest(void);

/* Does the NUL-terminated phrase match the text k was made of? */
int sipcodes_key_matches(const sipcodes_key *k, const char *phrase);

/* sipcodes_find for a text already made into a key. */
int sipcodes_find_key(const sipcodes_key *k);

/* The keys sipcodes_find knows, in the order it ranks them: for each row
 * its reason, its name and its German reason, then every alias.  Key i is
 * the text of code *code; NULL past the end. */
size_t sipcodes_key_count(void);
const char *sipcodes_key_at(size_t i, int *code);

/* Fill an open-addressing index of slots entries (a power of two) with the keys in rank order, a key that matches an
 * earlier one left out: ref[s] is 1 + the key number (0: empty slot) and
 * hash[s] its hash.  This is what tools/gen_index.c writes into
 * csrc/sipcodes_index.h, and what ctest compares that file with.  Returns
 * 0, or -1 when slots is not a power of two or the distinct keys would fill
 * more than half of them. */
int sipcodes_index_build(uint16_t *ref, uint32_t *hash, size_t slots);

/* Does text[0..len) equal the NUL-terminated phrase under the comparison
 * sipcodes_find uses (case, spaces and punctuation ignored)? */
int sipcodes_phrase_match(const char *text, size_t len, const char *phrase);

/* Is s[0..len) a constant name as codes uses them: [A-Z][A-Z0-9_]*, 1 to
 * SIPCODES_MAX_NAME bytes? */
#define SIPCODES_MAX_NAME 64
int sipcodes_is_const_name(const char *s, size_t len);

/* The code whose constant name is exactly s[0..len) ("BUSY_HERE" -> 486;
 * the length counts, so "BUSY_HERE\0x" is no name); 0 if none. */
int sipcodes_code_of_name(const char *s, size_t len);

/* "standard", "deprecated", "obsolete", "nonstandard". */
const char *sipcodes_status_name(sipcodes_status status);

/* ---- numbers ------------------------------------------------------------ */

/* The one rule for a number that stands for a code or a cause: an exact C
 * int.  1 and *out set, or 0 for NaN, +-inf, a fraction and anything
 * beyond the int range. */
int sipcodes_int_of_number(double n, int *out);

/* Results of sipcodes_parse_int. */
#define SIPCODES_NUMERAL_INT 1     /* a numeral with an exact int value */
#define SIPCODES_NOT_NUMERAL 0     /* not a numeral at all */
#define SIPCODES_NUMERAL_NOT_INT (-1) /* a numeral, but a fraction or too big */

/* Read s[0..len) as the numeral a string argument may hold in place of a
 * number: optional white space (SP, HT, LF, VT, FF, CR), an optional sign,
 * then decimal digits with an optional fraction and exponent ("486",
 * "486.0", "4.86e2") or 0x and hex digits ("0x1E6"), then optional white
 * space.  Nothing else: no "inf", "nan" or hex fractions, no NUL.  The value
 * is taken exactly (no rounding through a double) and does not depend on
 * the C locale.  SIPCODES_NUMERAL_INT and *out, or one of the other two. */
int sipcodes_parse_int(const char *s, size_t len, int *out);

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
