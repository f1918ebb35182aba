/*
 * sipcodes_interop.h - telephony interop in plain C: ITU-T Q.850 cause
 * values and their names, the RFC 3398 mappings between SIP responses and
 * ISUP causes, the RFC 8606 cause location tokens, and FreeSWITCH's hangup
 * causes with mod_sofia's SIP <-> cause mapping.  No Lua here.
 *
 * All data is static const and nothing is allocated, so every function may
 * be called from any number of threads at once.  Strings are parsed from
 * (pointer, length) and need no NUL.
 */
#ifndef SIPCODES_INTEROP_H
#define SIPCODES_INTEROP_H

/* Built into a Lua module, these symbols stay inside the shared object
 * (luaopen_sipcodes_core is the one export), even when the build does not
 * pass -fvisibility=hidden, as LuaRocks' builtin type does not. */
#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#include <stddef.h>

#include "sipcodes_proto.h"

/* A cause value is a 7-bit field: 0-127, of which Q.850 assigns a subset;
 * 0 is never a cause. */
#define SIPCODES_Q850_MAX 127

/* ---- Q.850 ------------------------------------------------------------- */

/* The ITU-T Q.850 name of cause ("User busy" for 17), or NULL when Q.850
 * assigns no cause to that value. */
const char *sipcodes_q850_name(int cause);

/* The Q.850 class of a cause value 1-127, from its upper three bits:
 * "normal_event", "resource_unavailable", "service_not_available",
 * "service_not_implemented", "invalid_message", "protocol_error",
 * "interworking"; NULL outside 1-127.  Every value in range has a class,
 * assigned or not, which is what a receiver uses for values it does not
 * know. */
const char *sipcodes_q850_class_name(int cause);

/* The "unspecified" cause of cause's class (31, 47, 63, 79, 95, 111 or
 * 127); 0 outside 1-127. */
int sipcodes_q850_class_unspecified(int cause);

/* RFC 8606 cause location: the token of a Q.850 location value 0-15, or
 * NULL outside that range.  The values Q.850 names have their names ("U",
 * "LPN", "LN", "TN", "RLN", "RPN", "INTL", "BI" for 0-5, 7, 10); the spare
 * and reserved ones are "LOC-6", "LOC-8", "LOC-9", "LOC-11" ... "LOC-15",
 * as RFC 8606 §4 spells them. */
const char *sipcodes_q850_location_token(int value);

/* The Q.850 location value of an RFC 8606 token, compared without regard
 * to case (ABNF literals are case-insensitive); -1 for anything else. */
int sipcodes_q850_location_value(const char *token, size_t len);

/* ---- RFC 3398 ---------------------------------------------------------- */

/* The ISUP cause for a SIP response (RFC 3398 §8.2.6.1), or 0 for none.
 *   - a row of the table gives its cause, *note = NULL;
 *   - 300-699 codes the table does not list give 31 "Normal, unspecified",
 *     as the RFC says, *note = NULL;
 *   - 488 and 606 take their cause from the Warning header in the RFC;
 *     without one they give 31, and *note says so;
 *   - 487 has no mapping: 0, *note says why;
 *   - 100-299 are not failures: 0, *note says so;
 *   - anything else is not a response code: 0, *note = NULL.
 * note may be NULL when the caller does not want it. */
int sipcodes_to_q850(int code, const char **note);

/* sipcodes_to_q850 for a response that carried a Warning with warn-code
 * warning (0-999; -1: none).  For 488 and 606 the RFC's rule applies: a
 * Warning that speaks of a bearer capability the far end lacks
 * (sipcodes_warning_is_bearer) gives 65 "Bearer capability not
 * implemented", any other Warning 31; *note = NULL either way.  Other
 * codes are not affected by a Warning. */
int sipcodes_to_q850_warned(int code, int warning, const char **note);

/* Does warn-code w speak of a bearer capability that is not available?
 * 304 (media type not available), 305 (incompatible media format) and
 * 370 (insufficient bandwidth): what ISDN's bearer capability describes
 * (the kind of media and its rate).  The others speak of addressing,
 * syntax, network services, SIPS, or nothing in particular (399). */
int sipcodes_warning_is_bearer(int w);

/* RFC 3398 §8.2.6.1's default cause location for a response: 0 (U, the
 * user) for 600-699, 10 (BI, the network beyond the interworking point)
 * for 300-599, -1 (none) for anything else. */
int sipcodes_rfc3398_location(int code);

/* Append the Reason value of a Q.850 cause (1-127 expected), with its
 * Q.850 name as text when it has one, and ";location=" with the token of
 * location (0-15) unless location is -1, as sipcodes_reason_append does:
 * 0, or -1 with *err (a location outside -1..15, or what the appender
 * refuses). */
int sipcodes_q850_reason_append(char *out, size_t *len, int cause, int location,
                                sipcodes_format_error *err);

/* Footnote options of the RFC 3398 §7.2.4.1 table. */
#define SIPCODES_Q850_USER 1u        /* cause location is the user */
#define SIPCODES_Q850_NEW_NUMBER 2u  /* the diagnostic carries a new number */

/* The SIP response for an ISUP cause (RFC 3398 §7.2.4.1), or 0 for none.
 *   - a row of the table gives its code, *note = NULL; with
 *     SIPCODES_Q850_USER, 21 gives 603 instead of 403 (footnote "+"); with
 *     SIPCODES_Q850_NEW_NUMBER, 22 gives 301 instead of 410;
 *   - 16 "Normal call clearing" has no response: 0, *note says why;
 *   - a value 1-127 the table does not list is read as the "unspecified"
 *     cause of its class, as ISUP treats cause values it does not know,
 *     and mapped as that (see sipcodes_interop.c for the two classes whose
 *     unspecified cause the table lacks), *note = NULL;
 *   - 0 and values beyond 127 are not causes: 0, *note = NULL. */
int sipcodes_from_q850(int cause, unsigned flags, const char **note);

/* Is there a row for code in the §8.2.6.1 table (including 487, 488, 606,
 * whose rows have no fixed cause)?  For tests and documentation. */
int sipcodes_to_q850_listed(int code);

/* Is there a row for cause in the §7.2.4.1 table (including 16)? */
int sipcodes_from_q850_listed(int cause);

/* ---- FreeSWITCH -------------------------------------------------------- */

/* A hangup cause of FreeSWITCH (switch_call_cause_t). */
typedef struct {
    char name[32];  /* "USER_BUSY", as session:hangup() takes it */
    int cause;      /* 17 */
} sipcodes_fs_cause;

/* Number of FreeSWITCH causes, and cause i in ascending number order. */
size_t sipcodes_fs_cause_count(void);
const sipcodes_fs_cause *sipcodes_fs_cause_at(size_t i);

/* The name of a FreeSWITCH cause number, or NULL if FreeSWITCH has none. */
const char *sipcodes_fs_cause_name(int cause);

/* The number of a cause name, compared without regard to case as
 * FreeSWITCH does; -1 if no cause has that name. */
int sipcodes_fs_cause_find(const char *name, size_t len);

/* mod_sofia's SIP status -> cause (sofia_glue_sip_cause_to_freeswitch):
 * its table, else NORMAL_UNSPECIFIED (31), for any status. */
int sipcodes_fs_sip_to_cause(int status);

/* mod_sofia's cause -> SIP status (hangup_cause_to_sip): its table, else
 * 480, for any cause. */
int sipcodes_fs_cause_to_sip(int cause);

/* The cause to hang up a FreeSWITCH channel with so that mod_sofia refuses
 * the call with status: mod_sofia's own cause for status when that maps
 * back to status, else the lowest-numbered cause whose row of the
 * cause -> SIP table gives status.  When no cause gives status (608, 499),
 * mod_sofia's cause for it (sipcodes_fs_sip_to_cause), which then goes out
 * as sipcodes_fs_cause_to_sip of it. */
int sipcodes_fs_cause_for_sip(int status);

/* The Q.850 value FreeSWITCH puts on the wire for a cause
 * (switch_channel_cause_q850): causes up to 127 pass, the rest become 16
 * NORMAL_CLEARING.  Negative values are not causes: -1. */
int sipcodes_fs_cause_q850(int cause);

/* The SIP status a FreeSWITCH channel variable holds, 100-699, or 0 when it
 * holds none (unset, "000", "sip:999", other text).  SIPCODES_FS_STATUS:
 * three digits, white space around allowed, as in sip_term_status ("486");
 * SIPCODES_FS_PROTO: "sip:" or "sips:" in any case and three digits, as in
 * proto_specific_hangup_cause and last_bridge_proto_specific_hangup_cause
 * ("sip:486"). */
#define SIPCODES_FS_STATUS 0
#define SIPCODES_FS_PROTO 1
int sipcodes_fs_status_of(const char *s, size_t len, int form);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif /* SIPCODES_INTEROP_H */
