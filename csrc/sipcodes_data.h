/*
 * sipcodes_data.h - the registry: every SIP response code sipcodes knows, one
 * row per code.  This is the single source of truth; sipcodes.c generates
 * the sorted entry array, the code index and the name table from it, and the
 * Lua module sees only what those give.
 *
 * Provenance: codes, reason phrases and references follow the IANA "Session
 * Initiation Protocol (SIP) Parameters / Response Codes" registry
 * (sip-parameters-7, copy of 2026-01-07) and the RFCs it cites; obsolete
 * codes come from RFC 2543; non-standard codes from the stacks that send
 * them.  German phrases and all descriptions are our own words.
 *
 * X(code, NAME, "Reason", STATUS, "RFC list", "German phrase",
 *   "English description", "German description")
 *   - rows in ascending code order (ctest/test_registry.c checks this, and a
 *     repeated code is a compile error through -Woverride-init);
 *   - STATUS is STANDARD, DEPRECATED, OBSOLETE or NONSTANDARD;
 *   - "RFC list" is "RFC 3261" or "RFC 3261, RFC 6665", "" when none;
 *   - strings are UTF-8.
 */
#ifndef SIPCODES_DATA_H
#define SIPCODES_DATA_H

#define SIPCODES_MAP(X) \
    X(100, TRYING, "Trying", STANDARD, "RFC 3261", "Wird versucht", \
      "The next hop has the request and is working on it; this stops retransmissions of an INVITE.", \
      "Der nächste Knoten hat die Anfrage erhalten und bearbeitet sie; ein INVITE wird nicht mehr wiederholt.") \
    X(180, RINGING, "Ringing", STANDARD, "RFC 3261", "Es klingelt", \
      "The callee's device is alerting the user.", \
      "Das Endgerät des Angerufenen signalisiert den Anruf.") \
    X(486, BUSY_HERE, "Busy Here", STANDARD, "RFC 3261", "Besetzt", \
      "The callee was reached but cannot take another call at this end point right now.", \
      "Der Angerufene ist erreichbar, kann an diesem Endpunkt aber gerade keinen weiteren Anruf annehmen.")

/*
 * A(code, "phrase"): phrases that real stacks send for a code instead of the
 * registry's, so that sipcodes_find() recognises them.  Never returned as a
 * code's reason.
 */
#define SIPCODES_ALIASES(A) \
    A(500, "Internal Server Error")

#endif
