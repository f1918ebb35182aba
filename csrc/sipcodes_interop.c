/*
 * sipcodes_interop.c - Q.850 causes, RFC 3398 and FreeSWITCH mappings.
 *
 * Provenance of the data (facts, not text):
 *   - cause values and names: ITU-T Q.850 (05/98) with its Addendum 1 and
 *     Amendment 1 (causes 14 and 24); class boundaries from the cause
 *     field's upper three bits;
 *   - SIP <-> cause: RFC 3398 §7.2.4.1 (cause -> response) and §8.2.6.1
 *     (response -> cause), footnotes included;
 *   - location tokens: RFC 8606 §4 (the named values and the LOC-n
 *     tokens of the spare and reserved ones);
 *   - FreeSWITCH: switch_types.h (switch_call_cause_t), switch_channel.c
 *     (names, cause_q850) and mod_sofia (sofia_glue_sip_cause_to_freeswitch,
 *     hangup_cause_to_sip).
 * Each table is written once, as an X-macro or designated initialisers, so
 * that a value given twice is a compile error (duplicate case label, or
 * -Woverride-init under -Wextra).
 */
#include <string.h>

#include "sipcodes.h"
#include "sipcodes_interop.h"
#include "sipcodes_proto.h"

/* ---- Q.850 names --------------------------------------------------------- */

/* Indexed by cause value; NULL where Q.850 assigns nothing.  The "(national
 * use)" remarks are part of Q.850's names and are kept. */
/* (Arrays, not pointers, as in sipcodes.c: no relocations to load.) */
static const char sc_q850_names[SIPCODES_Q850_MAX + 1][88] = {
    /* normal event */
    [1] = "Unallocated (unassigned) number",
    [2] = "No route to specified transit network (national use)",
    [3] = "No route to destination",
    [4] = "Send special information tone",
    [5] = "Misdialled trunk prefix (national use)",
    [6] = "Channel unacceptable",
    [7] = "Call awarded and being delivered in an established channel",
    [8] = "Preemption",
    [9] = "Preemption - circuit reserved for reuse",
    [14] = "QoR: ported number",
    [16] = "Normal call clearing",
    [17] = "User busy",
    [18] = "No user responding",
    [19] = "No answer from user (user alerted)",
    [20] = "Subscriber absent",
    [21] = "Call rejected",
    [22] = "Number changed",
    [23] = "Redirection to new destination",
    [24] = "Call rejected due to feature at the destination",
    [25] = "Exchange routing error",
    [26] = "Non-selected user clearing",
    [27] = "Destination out of order",
    [28] = "Invalid number format (address incomplete)",
    [29] = "Facility rejected",
    [30] = "Response to STATUS ENQUIRY",
    [31] = "Normal, unspecified",
    /* resource unavailable */
    [34] = "No circuit/channel available",
    [38] = "Network out of order",
    [39] = "Permanent frame mode connection out of service",
    [40] = "Permanent frame mode connection operational",
    [41] = "Temporary failure",
    [42] = "Switching equipment congestion",
    [43] = "Access information discarded",
    [44] = "Requested circuit/channel not available",
    [46] = "Precedence call blocked",
    [47] = "Resource unavailable, unspecified",
    /* service or option not available */
    [49] = "Quality of service not available",
    [50] = "Requested facility not subscribed",
    [53] = "Outgoing calls barred within CUG",
    [55] = "Incoming calls barred within CUG",
    [57] = "Bearer capability not authorized",
    [58] = "Bearer capability not presently available",
    [62] = "Inconsistency in designated outgoing access information and "
           "subscriber class",
    [63] = "Service or option not available, unspecified",
    /* service or option not implemented */
    [65] = "Bearer capability not implemented",
    [66] = "Channel type not implemented",
    [69] = "Requested facility not implemented",
    [70] = "Only restricted digital information bearer capability is "
           "available (national use)",
    [79] = "Service or option not implemented, unspecified",
    /* invalid message */
    [81] = "Invalid call reference value",
    [82] = "Identified channel does not exist",
    [83] = "A suspended call exists, but this call identity does not",
    [84] = "Call identity in use",
    [85] = "No call suspended",
    [86] = "Call having the requested call identity has been cleared",
    [87] = "User not member of CUG",
    [88] = "Incompatible destination",
    [90] = "Non-existent CUG",
    [91] = "Invalid transit network selection (national use)",
    [95] = "Invalid message, unspecified",
    /* protocol error */
    [96] = "Mandatory information element is missing",
    [97] = "Message type non-existent or not implemented",
    [98] = "Message not compatible with call state or message type "
           "non-existent or not implemented",
    [99] = "Information element/parameter non-existent or not implemented",
    [100] = "Invalid information element contents",
    [101] = "Message not compatible with call state",
    [102] = "Recovery on timer expiry",
    [103] = "Parameter non-existent or not implemented - passed on",
    [110] = "Message with unrecognized parameter, discarded",
    [111] = "Protocol error, unspecified",
    /* interworking */
    [127] = "Interworking, unspecified",
};

const char *sipcodes_q850_name(int cause)
{
    if (cause < 1 || cause > SIPCODES_Q850_MAX || !sc_q850_names[cause][0])
        return NULL;
    return sc_q850_names[cause];
}

/* The class is the value's upper three bits; classes 0 and 1 are both
 * "normal event", so there are seven names for eight bit patterns. */
static const char sc_q850_classes[8][24] = {
    "normal_event", "normal_event", "resource_unavailable",
    "service_not_available", "service_not_implemented", "invalid_message",
    "protocol_error", "interworking"
};

const char *sipcodes_q850_class_name(int cause)
{
    if (cause < 1 || cause > SIPCODES_Q850_MAX)
        return NULL;
    return sc_q850_classes[cause >> 4];
}

int sipcodes_q850_class_unspecified(int cause)
{
    if (cause < 1 || cause > SIPCODES_Q850_MAX)
        return 0;
    /* The unspecified cause closes each class: x1111 in the class's bits,
     * and 31 for the normal event class, which spans two bit patterns. */
    return cause < 32 ? 31 : (cause | 0x0F);
}

/* ---- RFC 8606 location ---------------------------------------------------- */

/* The location field of a Q.850 cause is four bits.  RFC 8606 §4 gives the
 * eight values Q.850 assigns a name each, and every other value (the spare
 * ones and those reserved for national use) a token made of "LOC-" and the
 * value in decimal, without a leading zero.  So every value 0-15 has
 * exactly one token, and nothing else is a token: not "LOC-0" for U, not
 * "LOC-06", not "LOC-16". */
static const char sc_locations[16][8] = {
    [0] = "U", [1] = "LPN", [2] = "LN", [3] = "TN", [4] = "RLN",
    [5] = "RPN", [6] = "LOC-6", [7] = "INTL", [8] = "LOC-8", [9] = "LOC-9",
    [10] = "BI", [11] = "LOC-11", [12] = "LOC-12", [13] = "LOC-13",
    [14] = "LOC-14", [15] = "LOC-15",
};

const char *sipcodes_q850_location_token(int value)
{
    if (value < 0 || value > 15)
        return NULL;
    return sc_locations[value];
}

/* Does s[0..len) equal the NUL-terminated word, ignoring case?  The one
 * case-insensitive compare of the core (sipcodes_proto.c). */
static int sc_caseeq(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && sipcodes_caseeq_n(s, word, len);
}

int sipcodes_q850_location_value(const char *token, size_t len)
{
    int v;

    for (v = 0; v < 16; v++)
        if (sc_caseeq(token, len, sc_locations[v]))
            return v;
    return -1;
}

int sipcodes_rfc3398_location(int code)
{
    /* §8.2.6.1: by default the cause location of the REL is the user for a
     * 6xx and the network for a 4xx or 5xx.  Our choices: that "network"
     * is BI (network beyond the interworking point), the SIP side as the
     * PSTN sees it; and a 3xx, which the rule does not name, is a network
     * answer too (a redirection the gateway did not follow).  The RFC
     * says its table marks the exceptions; the marks of the copy we read,
     * (*) and (+), concern credentials and repairing the request, so no
     * row is treated as one. */
    if (code >= 600 && code <= 699)
        return 0;
    if (code >= 300 && code <= 599)
        return 10;
    return -1;
}

int sipcodes_q850_reason_append(char *out, size_t *len, int cause, int location,
                                sipcodes_format_error *err)
{
    sipcodes_reason_value v;
    const char *name = sipcodes_q850_name(cause);
    const char *token = sipcodes_q850_location_token(location);

    memset(&v, 0, sizeof v);
    v.protocol.ptr = "Q.850";
    v.protocol.len = 5;
    v.has_cause = 1;
    v.cause = cause;
    if (name) {
        v.has_text = 1;
        v.text.ptr = name;
        v.text.len = strlen(name);
    }
    if (location != -1) {
        if (!token) {
            err->msg = "location must be a Q.850 location value 0 to 15";
            err->field = SIPCODES_FIELD_LOCATION;
            err->param = 0;
            err->pos = 0;
            return -1;
        }
        v.has_location = 1;
        v.location.ptr = token;
        v.location.len = strlen(token);
    }
    return sipcodes_reason_append(out, len, &v, err);
}

/* ---- RFC 3398 §8.2.6.1: SIP response -> cause ----------------------------- */

/* Rows of the table.  SC_BY_WARNING marks 488 and 606, whose cause the RFC
 * takes from the Warning header, SC_NO_CAUSE marks 487, which has none. */
#define SC_NO_CAUSE (-1)
#define SC_BY_WARNING (-2)

#define SC_RFC3398_SIP_TO_CAUSE(X) \
    X(400, 41) X(401, 21) X(402, 21) X(403, 21) X(404, 1) X(405, 63) \
    X(406, 79) X(407, 21) X(408, 102) X(410, 22) X(413, 127) X(414, 127) \
    X(415, 79) X(416, 127) X(420, 127) X(421, 127) X(423, 127) X(480, 18) \
    X(481, 41) X(482, 25) X(483, 25) X(484, 28) X(485, 1) X(486, 17) \
    X(487, SC_NO_CAUSE) X(488, SC_BY_WARNING) X(500, 41) X(501, 79) \
    X(502, 38) X(503, 41) X(504, 102) X(505, 127) X(513, 127) X(600, 17) \
    X(603, 21) X(604, 1) X(606, SC_BY_WARNING)

/* The row's value for code, or 0 when the table has no row.  A switch
 * generated from the rows: a repeated code is a duplicate case label. */
static int sc_rfc3398_sip_row(int code)
{
    switch (code) {
#define SC_CASE(code, cause) case code: return cause;
        SC_RFC3398_SIP_TO_CAUSE(SC_CASE)
#undef SC_CASE
    default:
        return 0;
    }
}

int sipcodes_to_q850_listed(int code)
{
    return sc_rfc3398_sip_row(code) != 0;
}

int sipcodes_warning_is_bearer(int w)
{
    return w == 304 || w == 305 || w == 370;
}

int sipcodes_to_q850(int code, const char **note)
{
    return sipcodes_to_q850_warned(code, -1, note);
}

int sipcodes_to_q850_warned(int code, int warning, const char **note)
{
    int cause;
    const char *why = NULL;

    if (!sipcodes_is_valid(code)) {
        cause = 0;
    } else if (code < 300) {
        /* The table maps rejections; a provisional or success response
         * does not release the ISUP call. */
        cause = 0;
        why = "only a failure response (300-699) maps to a cause";
    } else {
        cause = sc_rfc3398_sip_row(code);
        if (cause == 0) {
            cause = 31; /* the RFC's rule for codes it does not list */
        } else if (cause == SC_NO_CAUSE) {
            /* 487 answers a CANCEL, which the gateway itself sent because
             * the ISUP side released first: there is no REL to build. */
            cause = 0;
            why = "487 has no cause mapping (RFC 3398 section 8.2.6.1): the "
                  "request was cancelled, so the call is already released";
        } else if (cause == SC_BY_WARNING && warning >= 0) {
            /* §8.2.6.1: 31 for most warn-codes, 65 for one that says a
             * bearer capability is missing. */
            cause = sipcodes_warning_is_bearer(warning) ? 65 : 31;
        } else if (cause == SC_BY_WARNING) {
            cause = 31;
            why = "RFC 3398 section 8.2.6.1 takes this cause from the "
                  "Warning header; 31 (normal, unspecified) without one";
        }
    }
    if (note)
        *note = why;
    return cause;
}

/* ---- RFC 3398 §7.2.4.1: cause -> SIP response ----------------------------- */

/* Indexed by cause; 0 where the table has no row, SC_NO_RESPONSE for 16. */
#define SC_NO_RESPONSE (-1)

static const short sc_rfc3398_cause_to_sip[SIPCODES_Q850_MAX + 1] = {
    /* normal event */
    [1] = 404, [2] = 404, [3] = 404, [16] = SC_NO_RESPONSE, [17] = 486,
    [18] = 408, [19] = 480, [20] = 480, [21] = 403, [22] = 410, [23] = 410,
    [26] = 404, [27] = 502, [28] = 484,
    /* 29 "facility rejected" goes to 501 Not Implemented.  Copies of the
     * RFC table that print "510" here have a typo: 510 is no SIP code
     * (RFC 3261 has none, IANA registers none), and the row's phrase is
     * 501's. */
    [29] = 501,
    [31] = 480,
    /* resource unavailable */
    [34] = 503, [38] = 503, [41] = 503, [42] = 503, [47] = 503,
    /* service or option not available */
    [55] = 403, [57] = 403, [58] = 503,
    /* service or option not implemented */
    [65] = 488, [70] = 488, [79] = 501,
    /* invalid message */
    [87] = 403, [88] = 503,
    /* protocol error */
    [102] = 504, [111] = 500,
    /* interworking */
    [127] = 500,
};

/* The table's footnotes: an alternative code for a cause when a condition
 * holds (21 from the user: a 6xx; 22 with the new number known: 301, the
 * number going into Contact). */
static const struct {
    unsigned char cause;
    unsigned char flag;
    short code;
} sc_rfc3398_footnotes[] = {
    {21, SIPCODES_Q850_USER, 603},
    {22, SIPCODES_Q850_NEW_NUMBER, 301},
};

#define SC_NFOOTNOTES \
    (sizeof(sc_rfc3398_footnotes) / sizeof(sc_rfc3398_footnotes[0]))

int sipcodes_from_q850_listed(int cause)
{
    return cause >= 1 && cause <= SIPCODES_Q850_MAX &&
           sc_rfc3398_cause_to_sip[cause] != 0;
}

int sipcodes_from_q850(int cause, unsigned flags, const char **note)
{
    size_t i;
    int code;

    if (note)
        *note = NULL;
    if (cause < 1 || cause > SIPCODES_Q850_MAX)
        return 0;
    for (i = 0; i < SC_NFOOTNOTES; i++)
        if (sc_rfc3398_footnotes[i].cause == cause &&
            (flags & sc_rfc3398_footnotes[i].flag))
            return sc_rfc3398_footnotes[i].code;
    code = sc_rfc3398_cause_to_sip[cause];
    if (code == SC_NO_RESPONSE) {
        if (note)
            *note = "cause 16 (normal call clearing) has no response "
                    "mapping: it ends a call with BYE or CANCEL (RFC 3398 "
                    "section 7.2.4.1)";
        return 0;
    }
    if (code != 0)
        return code;
    /* Not in the table.  ISUP reads a cause value it does not know as the
     * unspecified cause of the same class, and so do we.  The table lists
     * 31, 47, 79, 111 and 127 but neither 63 (service or option not
     * available) nor 95 (invalid message); for those two we take 503, the
     * code the table gives the "not presently available" and "incompatible
     * destination" rows of the same classes (58, 88). */
    code = sc_rfc3398_cause_to_sip[sipcodes_q850_class_unspecified(cause)];
    return code > 0 ? code : 503;
}

/* ---- FreeSWITCH ------------------------------------------------------------ */

/* switch_call_cause_t: name and number, in ascending number order. */
#define SC_FS_CAUSES(X) \
    X(NONE, 0) X(UNALLOCATED_NUMBER, 1) X(NO_ROUTE_TRANSIT_NET, 2) \
    X(NO_ROUTE_DESTINATION, 3) X(CHANNEL_UNACCEPTABLE, 6) \
    X(CALL_AWARDED_DELIVERED, 7) X(NORMAL_CLEARING, 16) X(USER_BUSY, 17) \
    X(NO_USER_RESPONSE, 18) X(NO_ANSWER, 19) X(SUBSCRIBER_ABSENT, 20) \
    X(CALL_REJECTED, 21) X(NUMBER_CHANGED, 22) \
    X(REDIRECTION_TO_NEW_DESTINATION, 23) X(EXCHANGE_ROUTING_ERROR, 25) \
    X(DESTINATION_OUT_OF_ORDER, 27) X(INVALID_NUMBER_FORMAT, 28) \
    X(FACILITY_REJECTED, 29) X(RESPONSE_TO_STATUS_ENQUIRY, 30) \
    X(NORMAL_UNSPECIFIED, 31) X(NORMAL_CIRCUIT_CONGESTION, 34) \
    X(NETWORK_OUT_OF_ORDER, 38) X(NORMAL_TEMPORARY_FAILURE, 41) \
    X(SWITCH_CONGESTION, 42) X(ACCESS_INFO_DISCARDED, 43) \
    X(REQUESTED_CHAN_UNAVAIL, 44) X(PRE_EMPTED, 45) \
    X(FACILITY_NOT_SUBSCRIBED, 50) X(OUTGOING_CALL_BARRED, 52) \
    X(INCOMING_CALL_BARRED, 54) X(BEARERCAPABILITY_NOTAUTH, 57) \
    X(BEARERCAPABILITY_NOTAVAIL, 58) X(SERVICE_UNAVAILABLE, 63) \
    X(BEARERCAPABILITY_NOTIMPL, 65) X(CHAN_NOT_IMPLEMENTED, 66) \
    X(FACILITY_NOT_IMPLEMENTED, 69) X(SERVICE_NOT_IMPLEMENTED, 79) \
    X(INVALID_CALL_REFERENCE, 81) X(INCOMPATIBLE_DESTINATION, 88) \
    X(INVALID_MSG_UNSPECIFIED, 95) X(MANDATORY_IE_MISSING, 96) \
    X(MESSAGE_TYPE_NONEXIST, 97) X(WRONG_MESSAGE, 98) X(IE_NONEXIST, 99) \
    X(INVALID_IE_CONTENTS, 100) X(WRONG_CALL_STATE, 101) \
    X(RECOVERY_ON_TIMER_EXPIRE, 102) X(MANDATORY_IE_LENGTH_ERROR, 103) \
    X(PROTOCOL_ERROR, 111) X(INTERWORKING, 127) X(SUCCESS, 142) \
    X(ORIGINATOR_CANCEL, 487) X(CRASH, 700) X(SYSTEM_SHUTDOWN, 701) \
    X(LOSE_RACE, 702) X(MANAGER_REQUEST, 703) X(BLIND_TRANSFER, 800) \
    X(ATTENDED_TRANSFER, 801) X(ALLOTTED_TIMEOUT, 802) \
    X(USER_CHALLENGE, 803) X(MEDIA_TIMEOUT, 804) X(PICKED_OFF, 805) \
    X(USER_NOT_REGISTERED, 806) X(PROGRESS_TIMEOUT, 807) \
    X(INVALID_GATEWAY, 808) X(GATEWAY_DOWN, 809) X(INVALID_URL, 810) \
    X(INVALID_PROFILE, 811) X(NO_PICKUP, 812) X(SRTP_READ_ERROR, 813) \
    X(BOWOUT, 814) X(BUSY_EVERYWHERE, 815) X(DECLINE, 816) \
    X(DOES_NOT_EXIST_ANYWHERE, 817) X(NOT_ACCEPTABLE, 818) \
    X(UNWANTED, 819) X(NO_IDENTITY, 820) X(BAD_IDENTITY_INFO, 821) \
    X(UNSUPPORTED_CERTIFICATE, 822) X(INVALID_IDENTITY, 823) \
    X(STALE_DATE, 824) X(REJECT_ALL, 825)

/* SC_FS_<NAME> = number, so that the mapping tables below name causes. */
enum {
#define SC_FS_ENUM(name, number) SC_FS_##name = number,
    SC_FS_CAUSES(SC_FS_ENUM)
#undef SC_FS_ENUM
    SC_FS_END_
};

static const sipcodes_fs_cause sc_fs_causes[] = {
#define SC_FS_ROW(name, number) {#name, number},
    SC_FS_CAUSES(SC_FS_ROW)
#undef SC_FS_ROW
};

#define SC_FS_NCAUSES (sizeof(sc_fs_causes) / sizeof(sc_fs_causes[0]))

size_t sipcodes_fs_cause_count(void)
{
    return SC_FS_NCAUSES;
}

const sipcodes_fs_cause *sipcodes_fs_cause_at(size_t i)
{
    return i < SC_FS_NCAUSES ? &sc_fs_causes[i] : NULL;
}

const char *sipcodes_fs_cause_name(int cause)
{
    size_t lo = 0, hi = SC_FS_NCAUSES;

    /* Binary search over the ascending rows (ctest checks the order). */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc_fs_causes[mid].cause == cause)
            return sc_fs_causes[mid].name;
        if (sc_fs_causes[mid].cause < cause)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int sipcodes_fs_cause_find(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < SC_FS_NCAUSES; i++)
        if (sc_caseeq(name, len, sc_fs_causes[i].name))
            return sc_fs_causes[i].cause;
    return -1;
}

/* sofia_glue_sip_cause_to_freeswitch: status -> cause.  mod_sofia says it
 * follows RFC 4497 §8.4.4 (SIP-QSIG), with additions of its own.  Kept as
 * FreeSWITCH has it, quirks included: 429 <-> BAD_IDENTITY_INFO (here and
 * in the table below) although 429 is Provide Referrer Identity (RFC 3892)
 * and a bad Identity header is 436's meaning (RFC 8224); 436 has no row
 * and falls to NORMAL_UNSPECIFIED.  A Reason: Q.850 header on the far
 * end's reply takes precedence over this table in sofia.c. */
#define SC_FS_SIP_TO_CAUSE(X) \
    X(200, NORMAL_CLEARING) X(401, CALL_REJECTED) X(402, CALL_REJECTED) \
    X(403, CALL_REJECTED) X(407, CALL_REJECTED) X(603, CALL_REJECTED) \
    X(608, CALL_REJECTED) X(607, UNWANTED) X(404, UNALLOCATED_NUMBER) \
    X(485, NO_ROUTE_DESTINATION) X(604, NO_ROUTE_DESTINATION) \
    X(408, RECOVERY_ON_TIMER_EXPIRE) X(504, RECOVERY_ON_TIMER_EXPIRE) \
    X(410, NUMBER_CHANGED) X(413, INTERWORKING) X(414, INTERWORKING) \
    X(416, INTERWORKING) X(420, INTERWORKING) X(421, INTERWORKING) \
    X(423, INTERWORKING) X(505, INTERWORKING) X(513, INTERWORKING) \
    X(480, NO_USER_RESPONSE) X(400, NORMAL_TEMPORARY_FAILURE) \
    X(481, NORMAL_TEMPORARY_FAILURE) X(500, NORMAL_TEMPORARY_FAILURE) \
    X(503, NORMAL_TEMPORARY_FAILURE) X(486, USER_BUSY) X(600, USER_BUSY) \
    X(484, INVALID_NUMBER_FORMAT) X(488, INCOMPATIBLE_DESTINATION) \
    X(606, INCOMPATIBLE_DESTINATION) X(502, NETWORK_OUT_OF_ORDER) \
    X(405, SERVICE_UNAVAILABLE) X(406, SERVICE_NOT_IMPLEMENTED) \
    X(415, SERVICE_NOT_IMPLEMENTED) X(501, SERVICE_NOT_IMPLEMENTED) \
    X(482, EXCHANGE_ROUTING_ERROR) X(483, EXCHANGE_ROUTING_ERROR) \
    X(487, ORIGINATOR_CANCEL) X(428, NO_IDENTITY) \
    X(429, BAD_IDENTITY_INFO) X(437, UNSUPPORTED_CERTIFICATE) \
    X(438, INVALID_IDENTITY)

int sipcodes_fs_sip_to_cause(int status)
{
    switch (status) {
#define SC_CASE(status, name) case status: return SC_FS_##name;
        SC_FS_SIP_TO_CAUSE(SC_CASE)
#undef SC_CASE
    default:
        return SC_FS_NORMAL_UNSPECIFIED;
    }
}

/* hangup_cause_to_sip: cause -> status.  mod_sofia says it follows RFC 4497
 * §8.4.1, plus its own rows for 815-819 and the STIR/SHAKEN causes. */
#define SC_FS_CAUSE_TO_SIP(X) \
    X(UNALLOCATED_NUMBER, 404) X(NO_ROUTE_TRANSIT_NET, 404) \
    X(NO_ROUTE_DESTINATION, 404) X(USER_BUSY, 486) \
    X(NO_USER_RESPONSE, 408) X(NO_ANSWER, 480) X(SUBSCRIBER_ABSENT, 480) \
    X(CALL_REJECTED, 603) X(NUMBER_CHANGED, 410) \
    X(REDIRECTION_TO_NEW_DESTINATION, 410) \
    X(DESTINATION_OUT_OF_ORDER, 502) X(INVALID_PROFILE, 502) \
    X(INVALID_NUMBER_FORMAT, 484) X(INVALID_URL, 484) \
    X(INVALID_GATEWAY, 484) X(FACILITY_REJECTED, 501) \
    X(NORMAL_UNSPECIFIED, 480) X(REQUESTED_CHAN_UNAVAIL, 503) \
    X(NORMAL_CIRCUIT_CONGESTION, 503) X(NETWORK_OUT_OF_ORDER, 503) \
    X(NORMAL_TEMPORARY_FAILURE, 503) X(SWITCH_CONGESTION, 503) \
    X(GATEWAY_DOWN, 503) X(OUTGOING_CALL_BARRED, 403) \
    X(INCOMING_CALL_BARRED, 403) X(BEARERCAPABILITY_NOTAUTH, 403) \
    X(BEARERCAPABILITY_NOTAVAIL, 503) X(BEARERCAPABILITY_NOTIMPL, 488) \
    X(INCOMPATIBLE_DESTINATION, 488) X(FACILITY_NOT_IMPLEMENTED, 501) \
    X(SERVICE_NOT_IMPLEMENTED, 501) X(RECOVERY_ON_TIMER_EXPIRE, 504) \
    X(ORIGINATOR_CANCEL, 487) X(EXCHANGE_ROUTING_ERROR, 483) \
    X(BUSY_EVERYWHERE, 600) X(DECLINE, 603) X(REJECT_ALL, 603) \
    X(DOES_NOT_EXIST_ANYWHERE, 604) X(NOT_ACCEPTABLE, 606) \
    X(UNWANTED, 607) X(NO_IDENTITY, 428) X(BAD_IDENTITY_INFO, 429) \
    X(UNSUPPORTED_CERTIFICATE, 437) X(INVALID_IDENTITY, 438) \
    X(STALE_DATE, 403)

/* The status of cause's row, or 0 when the table has none. */
static int sc_fs_cause_row(int cause)
{
    switch (cause) {
#define SC_CASE(name, status) case SC_FS_##name: return status;
        SC_FS_CAUSE_TO_SIP(SC_CASE)
#undef SC_CASE
    default:
        return 0;
    }
}

int sipcodes_fs_cause_to_sip(int cause)
{
    int status = sc_fs_cause_row(cause);

    return status ? status : 480;
}

int sipcodes_fs_cause_for_sip(int status)
{
    int cause = sipcodes_fs_sip_to_cause(status);
    size_t i;

    /* mod_sofia's own cause for the status, when it maps back... */
    if (sipcodes_fs_cause_to_sip(cause) == status)
        return cause;
    /* ...else the lowest cause whose row gives the status (the default 480
     * is no row: NONE and the like would be odd causes to hang up with)... */
    for (i = 0; i < SC_FS_NCAUSES; i++)
        if (status != 0 && sc_fs_cause_row(sc_fs_causes[i].cause) == status)
            return sc_fs_causes[i].cause; /* (a row of 0 is no row) */
    /* ...else no cause sends status, and mod_sofia's cause for it stands. */
    return cause;
}

int sipcodes_fs_cause_q850(int cause)
{
    if (cause < 0)
        return -1;
    return cause <= SIPCODES_Q850_MAX ? cause : SC_FS_NORMAL_CLEARING;
}

/* ---- FreeSWITCH channel variables ------------------------------------------- */

static int sc_fs_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

int sipcodes_fs_status_of(const char *s, size_t len, int form)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t p = 0, end = len;
    int code = 0, i;

    if (form == SIPCODES_FS_STATUS) {
        while (p < end && sc_fs_space(u[p]))
            p++;
        while (end > p && sc_fs_space(u[end - 1]))
            end--;
    } else {
        /* "sip:" or "sips:", letters in any case; nothing around it. */
        if (end - p < 4 || (u[p] | 0x20) != 's' || (u[p + 1] | 0x20) != 'i' ||
            (u[p + 2] | 0x20) != 'p')
            return 0;
        p += 3;
        if (p < end && (u[p] | 0x20) == 's')
            p++;
        if (p >= end || u[p] != ':')
            return 0;
        p++;
    }
    if (end - p != 3)
        return 0;
    for (i = 0; i < 3; i++) {
        if (u[p + i] < '0' || u[p + i] > '9')
            return 0;
        code = code * 10 + (u[p + i] - '0');
    }
    return sipcodes_is_valid(code) ? code : 0;
}
