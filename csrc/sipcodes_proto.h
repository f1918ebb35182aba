/*
 * sipcodes_proto.h - protocol helpers in plain C: the Status-Line of RFC 3261
 * §7.2, the Reason header of RFC 3326 (with RFC 6432, RFC 8606 and RFC 9366),
 * the Retry-After header of RFC 3261 §20.33, the Warning header of RFC 3261
 * §20.43 and its registry of warn-codes, the forking proxy's choice of
 * a best response (RFC 3261 §16.7 step 6) and the header fields that a
 * response with a given code has to carry.
 *
 * The parsers face untrusted network text.  They read from (pointer, length),
 * never need a NUL, never read past the length, bound every loop by it,
 * allocate nothing and do not recurse.  Malformed input gives an error (a
 * static message and the 0-based byte offset where it was found); nothing
 * here aborts or writes to shared state, so every function may run in any
 * number of threads at once.  No Lua here.
 */
#ifndef SIPCODES_PROTO_H
#define SIPCODES_PROTO_H

/* Built into a Lua module, these symbols stay inside the shared object
 * (luaopen_sipcodes_core is the one export), even when the build does not
 * pass -fvisibility=hidden, as LuaRocks' builtin type does not. */
#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#include <stddef.h>

#include "sipcodes.h"

/* The longest input any parser here takes, in bytes.  A status line or a
 * Reason header field beyond it is refused before a byte of it is read, so
 * the cost of rejecting a hostile megabyte is constant.  8 KiB is far above
 * what real stacks send (their UDP datagrams are smaller). */
#define SIPCODES_MAX_LINE 8192

/* The longest reason phrase format can take: "SIP/2.0 ddd " is 12 bytes, and
 * the whole line with its final CRLF must stay parseable, i.e. within
 * SIPCODES_MAX_LINE. */
#define SIPCODES_MAX_REASON_PHRASE (SIPCODES_MAX_LINE - 14)

/* What a parser or validator reports: msg is a static, lower-case string
 * without a final period; pos is the 0-based offset of the offending byte
 * (equal to the length when the input ended too early). */
typedef struct {
    size_t pos;
    const char *msg;
} sipcodes_error;

/* A piece of the caller's input: ptr points into it, len bytes long. */
typedef struct {
    const char *ptr;
    size_t len;
} sipcodes_span;

/* ---- Status-Line (RFC 3261 §7.2, §25.1) -------------------------------- */

/* Option bit for sipcodes_parse_status_line: accept what real stacks send
 * besides the grammar, and say what that was in ->accepted. */
#define SIPCODES_LENIENT 1u

/* Bits of ->accepted: what lenient parsing had to accept.  Strict parsing
 * rejects every one of them. */
#define SIPCODES_ACCEPTED_NO_SP 0x01u          /* "SIP/2.0 200": no SP, empty phrase */
#define SIPCODES_ACCEPTED_BARE_LF 0x02u        /* line ended by LF alone */
#define SIPCODES_ACCEPTED_BARE_CR 0x04u        /* line ended by CR alone */
#define SIPCODES_ACCEPTED_TRAILING_SPACE 0x08u /* SP/HTAB at the end, dropped */
#define SIPCODES_ACCEPTED_CHARS 0x10u          /* `"`, `<`, `\`, a lone `%`, ... */
#define SIPCODES_ACCEPTED_BAD_UTF8 0x20u       /* bytes that are not UTF-8 */
#define SIPCODES_ACCEPTED_ALL 0x3Fu

/* The name of one ->accepted bit ("no_sp", "bare_lf", "bare_cr",
 * "trailing_space", "chars", "bad_utf8"), or NULL for anything else. */
const char *sipcodes_accepted_name(unsigned bit);

typedef struct {
    sipcodes_span version; /* "SIP/2.0" as sent (case kept) */
    int code;              /* 0-999: any three digits parse */
    int valid;             /* 1 if code is 100-699 (sipcodes_is_valid) */
    sipcodes_span reason;  /* the phrase as sent; %HH checked, not decoded */
    unsigned accepted;     /* SIPCODES_ACCEPTED_* bits; 0 when strict */
} sipcodes_status_line;

/* Parse s[0..len) as a Status-Line with an optional final CRLF (nothing may
 * follow it).  flags: 0 or SIPCODES_LENIENT.  0 and *out filled, or -1 and
 * *err filled (out is then unspecified). */
int sipcodes_parse_status_line(const char *s, size_t len, unsigned flags,
                               sipcodes_status_line *out, sipcodes_error *err);

/* Flags of sipcodes_check_reason_phrase: what a caller asks beyond the
 * grammar.  Kamailio's sl module refuses an empty phrase, so every reply
 * helper asks for NONEMPTY; a registered phrase is also TRIMMED. */
#define SIPCODES_PHRASE_NONEMPTY 1u /* not empty */
#define SIPCODES_PHRASE_TRIMMED 2u  /* no SP or HTAB at either end */

/* The one rule for a reason phrase that goes on the wire: the Reason-Phrase
 * grammar (strict), at most SIPCODES_MAX_REASON_PHRASE bytes, what
 * format_status_line, register and every reply helper check.  0, or -1
 * and *err (pos relative to s). */
int sipcodes_check_reason_phrase(const char *s, size_t len, unsigned flags,
                                 sipcodes_error *err);

/* Write "SIP/2.0 <code> <reason>" to out (no CRLF, no NUL) and return its
 * length; cap must be at least 12 + rlen.  0 with *err when code is not
 * 100-699, the phrase fails sipcodes_check_reason_phrase (no flags), or cap
 * is too small. */
size_t sipcodes_format_status_line(int code, const char *reason, size_t rlen,
                                   char *out, size_t cap, sipcodes_error *err);

/* ---- Reason header (RFC 3326, RFC 6432, RFC 8606, RFC 9366) ------------ */

/* One value per protocol.  RFC 3326 lets a message carry several Reason
 * values (in one header or in several Reason lines) only with different
 * protocols; RFC 9366 lifts that only for a protocol whose registration
 * says what several values mean, which neither SIP nor Q.850 does (both
 * are RFC 3326's own).  The parser sees one header field: a caller that
 * reads several Reason lines of one message checks across them (parse
 * them joined with ", ").  Other protocols may repeat: whether their
 * registration allows it is not known here. */

/* Most parameters one reason-value may carry (cause, text and location
 * included).  Real values carry two or three; more is refused, not cut. */
#define SIPCODES_REASON_MAX_PARAMS 16

/* One parameter that is not cause/text (nor location on Q.850). */
typedef struct {
    sipcodes_span name;  /* as sent; compare without regard to case */
    sipcodes_span value; /* for a quoted value the bytes between the
                          * quotes, escapes still in (sipcodes_unquote) */
    int has_value;       /* 0 for a bare "name" */
    int quoted;          /* 1 when the value was a quoted-string */
} sipcodes_param;

typedef struct {
    sipcodes_span protocol;  /* "SIP", "Q.850" or any token, as sent */
    int has_cause;
    int cause;               /* 0..INT_MAX */
    int has_text;
    sipcodes_span text;      /* between the quotes, escapes still in */
    int has_location;        /* only ever set for protocol Q.850 */
    sipcodes_span location;  /* "LN", "LOC-6" etc. as sent */
    int location_value;      /* its Q.850 location value (0-15) */
    int repeated;            /* 1: a SIP or Q.850 value after one of the
                              * same protocol in this header, which RFC
                              * 3326 forbids (see above); the value is
                              * parsed all the same, the caller decides */
    size_t nparams;
    sipcodes_param params[SIPCODES_REASON_MAX_PARAMS];
} sipcodes_reason_value;

/* A pull parser over one header field: init, then next until it gives 0.
 * The state is plain data (no pointers of its own, nothing to free), so it
 * may be copied or dropped at any time. */
typedef struct {
    const char *s;
    size_t len;
    size_t pos;  /* where the next value starts */
    int started; /* 0 before the first value, 1 after a comma, 2 at the end */
    unsigned seen; /* sipcodes_reason_once bits of the values so far */
} sipcodes_reason_iter;

/* Start on s[0..len): a header value ("Q.850;cause=16") or a whole line
 * with the name ("Reason: Q.850;cause=16", name without regard to case,
 * optional final CRLF).  0, or -1 and *err (input too long). */
int sipcodes_reason_init(sipcodes_reason_iter *it, const char *s, size_t len,
                         sipcodes_error *err);

/* The next reason-value: 1 and *v filled, 0 at the end, -1 and *err on
 * malformed input (the iterator then stays at the error).  A second SIP or
 * Q.850 value is well formed: it comes back with v->repeated set. */
int sipcodes_reason_next(sipcodes_reason_iter *it, sipcodes_reason_value *v,
                         sipcodes_error *err);

/* The message for a second value of protocol (SIP or Q.850): "second SIP
 * value (one per protocol)" or "second Q.850 value (one per protocol)". */
const char *sipcodes_reason_repeated_msg(sipcodes_span protocol);

/* For a reader that refuses what RFC 3326 forbids: -1 with *err (the
 * position of the value's protocol in s, and the message above) when
 * v->repeated, else 0. */
int sipcodes_reason_refuse_repeated(const char *s, const sipcodes_reason_value *v,
                                    sipcodes_error *err);

/* Which part of a value sipcodes_reason_append refused. */
#define SIPCODES_FIELD_VALUE 0       /* the value as a whole */
#define SIPCODES_FIELD_PROTOCOL 1
#define SIPCODES_FIELD_CAUSE 2
#define SIPCODES_FIELD_TEXT 3        /* pos is the byte in the text */
#define SIPCODES_FIELD_LOCATION 4
#define SIPCODES_FIELD_PARAM_NAME 5  /* param says which one */
#define SIPCODES_FIELD_PARAM_VALUE 6 /* param says which; pos the byte in it */
#define SIPCODES_FIELD_HEADER 7      /* the header would pass SIPCODES_MAX_LINE */

typedef struct {
    const char *msg; /* static, lower case, no final period */
    int field;       /* SIPCODES_FIELD_* */
    size_t param;    /* index into the value's params, for the PARAM fields */
    size_t pos;      /* for TEXT and PARAM_VALUE: 0-based byte in that text */
} sipcodes_format_error;

/* The inverse of sipcodes_reason_next: append the reason-value v to the
 * header being built in out[0..*len), after ", " when *len > 0.  out holds
 * SIPCODES_MAX_LINE bytes and the header never grows past them, so that
 * sipcodes_reason_init always takes it back.
 *
 * v is read as a parse gave it, except that text and every parameter value
 * are the text itself (escapes undone), the quoted flag, location_value and
 * repeated are ignored (a list's formatter asks sipcodes_reason_holds), and nparams may exceed SIPCODES_REASON_MAX_PARAMS to report
 * that count (params is then not read).  Written: the protocol, cause,
 * text as a quoted-string, location, then the params sorted by name (bytes
 * compared, a prefix first); a value that is a token or an IPv6 reference
 * stays bare, any other is quoted.  Refused: a protocol or parameter name
 * that is not a token, a negative cause, text or a value that
 * sipcodes_check_quotable refuses, a location on any protocol but Q.850 or
 * not one of RFC 8606's tokens (sipcodes_q850_location_value), a parameter named cause or text (or location on
 * Q.850), two names that differ only in case, more than
 * SIPCODES_REASON_MAX_PARAMS parameters with the fixed fields, and a header
 * that would pass SIPCODES_MAX_LINE.  0 and *len moved on, or -1 with *err
 * and *len as it was. */
int sipcodes_reason_append(char *out, size_t *len, const sipcodes_reason_value *v,
                           sipcodes_format_error *err);

/* Is this protocol Q.850 (compared without regard to case)? */
int sipcodes_reason_is_q850(sipcodes_span protocol);

/* The bit of a protocol that a header may carry once: 1 for SIP, 2 for
 * Q.850 (without regard to case), 0 for any other (see above). */
unsigned sipcodes_reason_once(sipcodes_span protocol);

/* Does the header s[0..len), as sipcodes_reason_append built it, already
 * hold a value of this protocol, which may come once?  0 for a protocol
 * that may repeat.  For a formatter of a list, before it appends. */
int sipcodes_reason_holds(const char *s, size_t len, sipcodes_span protocol);

/* Undo quoted-pair escapes and folding in the inside of a quoted-string
 * that a parser here accepted: writes at most len bytes to out and returns
 * how many. */
size_t sipcodes_unquote(const char *s, size_t len, char *out);

/* Comparisons without regard to ASCII case, as tokens and parameter names
 * compare (§7.3.1): s[0..len) with a NUL-terminated lower-case word, and
 * a[0..len) with b[0..len). */
int sipcodes_caseeq(const char *s, size_t len, const char *word);
int sipcodes_caseeq_n(const char *a, const char *b, size_t len);

/* Is s[0..len) a token (RFC 3261 §25.1), i.e. non-empty and made of
 * alphanum and - . ! % * _ + ` ' ~ only? */
int sipcodes_is_token(const char *s, size_t len);

/* May s[0..len) stand unquoted as a gen-value: a token (which covers host
 * names and IPv4 addresses) or an IPv6 reference "[...]"? */
int sipcodes_is_bare_value(const char *s, size_t len);

/* Can s[0..len) be put in a quoted-string by sipcodes_quote: no CR or LF,
 * no other control character but HTAB, well-formed UTF-8, at most
 * SIPCODES_MAX_LINE bytes?  0, or -1 and *err. */
int sipcodes_check_quotable(const char *s, size_t len, sipcodes_error *err);

/* Write s[0..len) as a quoted-string, quotes included, escaping `"` and `\`
 * with a backslash; out must hold 2 * len + 2 bytes.  Returns the length. */
size_t sipcodes_quote(const char *s, size_t len, char *out);

/* ---- Retry-After header (RFC 3261 §20.33) ------------------------------ */

/* Most parameters one Retry-After value may carry, duration included. */
#define SIPCODES_RETRY_AFTER_MAX_PARAMS 16

/* How deep comments may nest, the outer parentheses counting as the first
 * level: "(a (b))" is two deep.  The grammar has no limit; a fixed one keeps
 * the scan a loop with a counter, and no peer nests at all in practice. */
#define SIPCODES_COMMENT_MAX_DEPTH 8

/* The largest number of seconds a value carries.  RFC 3261 gives
 * delta-seconds no upper bound; longer digit runs saturate here rather
 * than fail (68 years means "not any time soon" either way, as HTTP's
 * caching rules read an overflowing delta-seconds), and the limit is what
 * an int holds on every platform and a lua_Integer on every interpreter. */
#define SIPCODES_DELTA_SECONDS_MAX 2147483647

typedef struct {
    int seconds;             /* 0..SIPCODES_DELTA_SECONDS_MAX, saturated */
    int has_comment;
    sipcodes_span comment;   /* between the outer parentheses, nested ones
                              * kept, quoted-pairs and folding still in
                              * (sipcodes_unquote undoes them) */
    int has_duration;
    int duration;            /* the duration parameter, saturated the same way */
    size_t nparams;          /* the other parameters, in the order sent */
    sipcodes_param params[SIPCODES_RETRY_AFTER_MAX_PARAMS];
} sipcodes_retry_after;

/* Parse s[0..len): a Retry-After value ("120 (lunch);duration=3600") or a
 * whole line with the name ("Retry-After: 120", name without regard to
 * case, optional final CRLF).  Linear whitespace and folding are allowed
 * around the comment and every separator.  Refused: more than
 * SIPCODES_MAX_LINE bytes (before a byte is read), no digits, a second
 * comment, an unbalanced comment or one nested deeper than
 * SIPCODES_COMMENT_MAX_DEPTH, a duration without digits, a parameter name
 * twice (without regard to case), more than SIPCODES_RETRY_AFTER_MAX_PARAMS
 * parameters.  0 and *out filled (spans point into s), or -1 and *err. */
int sipcodes_parse_retry_after(const char *s, size_t len, sipcodes_retry_after *out,
                               sipcodes_error *err);

/* Fields of sipcodes_format_error that only the Retry-After formatter uses
 * (it also reports VALUE for the count of parameters, PARAM_NAME,
 * PARAM_VALUE and HEADER, as sipcodes_reason_append does). */
#define SIPCODES_FIELD_SECONDS 8
#define SIPCODES_FIELD_COMMENT 9     /* pos is the byte in the comment */
#define SIPCODES_FIELD_DURATION 10

/* The inverse of sipcodes_parse_retry_after: write the value v (without the
 * header name, no CRLF, no NUL) to out[0..cap) and return its length, which
 * is never 0 and never more than SIPCODES_MAX_LINE, so that the parser
 * always takes it back.  0 with *err when refused.
 *
 * v is read as a parse gave it, except that the comment and every parameter
 * value are the text itself (escapes undone), the quoted flags are ignored
 * and nparams may exceed SIPCODES_RETRY_AFTER_MAX_PARAMS to report that
 * count (params is then not read).  Written: the seconds, " (comment)",
 * ";duration=N", then the params sorted by name as sipcodes_reason_append
 * sorts and writes them.  In the comment a backslash is escaped; its
 * parentheses stay bare when they balance and nest within the depth limit,
 * else every one is escaped, so the parser reads the same text back either
 * way.  Refused: negative seconds or duration, a comment with CR, LF,
 * another control character but HTAB or invalid UTF-8, a parameter name
 * that is not a token or is "duration" in any case, two names that differ
 * only in case, a value that sipcodes_check_quotable refuses, too many
 * parameters, a value longer than SIPCODES_MAX_LINE, and a cap too small
 * for the value. */
size_t sipcodes_format_retry_after(const sipcodes_retry_after *v, char *out, size_t cap,
                                   sipcodes_format_error *err);

/* ---- Warning header (RFC 3261 §20.43) ----------------------------------- */

/* The sizes of the strings of a warn-code row (arrays, not pointers, as in
 * sipcodes_entry: no relocations). */
#define SIPCODES_WARN_TEXT_SIZE 56
#define SIPCODES_WARN_RFC_SIZE 12
#define SIPCODES_WARN_GROUP_SIZE 24

/* One row of the IANA "Warning Codes (warn-codes)" registry.  group is one
 * of four names, from the ranges RFC 3261 §20.43 sets aside:
 *   "session_description"  300-329, a keyword of the session description
 *   "network_services"     330-339, a network service the SDP asked for
 *   "quality_of_service"   370-379, a QoS quantity the SDP asked for
 *   "miscellaneous"        390-399, and 380/381, which RFC 5630 registered
 *                          outside every range that RFC 3261 defines. */
typedef struct {
    int code;
    char text[SIPCODES_NLANGS][SIPCODES_WARN_TEXT_SIZE]; /* as registered; German */
    char rfc[SIPCODES_WARN_RFC_SIZE];                    /* "RFC 3261" */
    char group[SIPCODES_WARN_GROUP_SIZE];
    int automatic; /* 0 only for 399: a receiver MUST NOT act on it by
                    * itself (RFC 3261 §20.43), only show or log it */
} sipcodes_warn_code;

/* The row of code, or NULL when the registry has none. */
const sipcodes_warn_code *sipcodes_warn_lookup(int code);

/* The text of code in lang, or NULL for an unregistered code (or a lang out
 * of range). */
const char *sipcodes_warn_text(int code, sipcodes_lang lang);

/* Number of rows, and row i in ascending code order (NULL past the end). */
size_t sipcodes_warn_count(void);
const sipcodes_warn_code *sipcodes_warn_at(size_t i);

/* One warning-value = warn-code SP warn-agent SP warn-text. */
typedef struct {
    int code;            /* 0-999: any three digits parse, registered or not */
    sipcodes_span agent; /* hostport or pseudonym, as sent ("[::1]:5060") */
    sipcodes_span text;  /* between the quotes, escapes still in
                          * (sipcodes_unquote undoes them) */
} sipcodes_warning_value;

/* A pull parser over one Warning header field, as sipcodes_reason_iter:
 * plain data, to copy or drop at any time. */
typedef struct {
    const char *s;
    size_t len;
    size_t pos;  /* where the next value starts */
    int started; /* 0 before the first value, 1 after a comma, 2 at the end */
} sipcodes_warning_iter;

/* Start on s[0..len): a header value ('399 gw "x"') or a whole line with
 * the name ('Warning: 399 gw "x"', name without regard to case, optional
 * final CRLF).  0, or -1 and *err: more than SIPCODES_MAX_LINE bytes
 * (decided before a byte is read), or a name without its colon. */
int sipcodes_warning_init(sipcodes_warning_iter *it, const char *s, size_t len,
                          sipcodes_error *err);

/* The next warning-value: 1 and *v filled (spans into s), 0 at the end, -1
 * and *err on malformed input (the iterator then stays at the error).
 * Where the grammar has SP, any linear white space is taken, folding
 * included (§7.3.1: it reads as SP).  The warn-agent is an IPv6 reference
 * (its shape checked) or a token, either with an optional ":" port, and a
 * token before a port must be a host name or an IPv4 address (§25.1 host);
 * the warn-text is a quoted-string as in every parser here. */
int sipcodes_warning_next(sipcodes_warning_iter *it, sipcodes_warning_value *v,
                          sipcodes_error *err);

/* Is s[0..len) a warn-agent as sipcodes_warning_next reads one? */
int sipcodes_is_warn_agent(const char *s, size_t len);

/* Fields of sipcodes_format_error that only the Warning formatter uses (it
 * also reports TEXT and HEADER). */
#define SIPCODES_FIELD_WARN_CODE 11
#define SIPCODES_FIELD_AGENT 12

/* The inverse of sipcodes_warning_next: append the warning-value v to the
 * header being built in out[0..*len), after ", " when *len > 0.  out holds
 * SIPCODES_MAX_LINE bytes and the header never grows past them, so that
 * sipcodes_warning_init always takes it back.  v is read as a parse gave
 * it, except that text is the text itself (escapes undone).  Written: the
 * code as three digits, SP, the agent, SP, the text as a quoted-string.
 * Refused: a code outside 0-999, an agent that sipcodes_is_warn_agent
 * refuses, a text that sipcodes_check_quotable refuses, and a header that
 * would pass SIPCODES_MAX_LINE.  0 and *len moved on, or -1 with *err and
 * *len as it was. */
int sipcodes_warning_append(char *out, size_t *len, const sipcodes_warning_value *v,
                            sipcodes_format_error *err);

/* ---- best response (RFC 3261 §16.7 step 6, §16.8, §16.9) --------------- */

/* "No element": the answer was made up, not chosen from the list. */
#define SIPCODES_NONE ((size_t)-1)

/* The choice, fed one final response at a time; lets a caller that holds
 * the responses in another shape (a Lua table) choose without copying. */
typedef struct {
    int code;     /* best code so far, 0 while none */
    size_t index; /* its index */
    int rank;     /* its rank; lower is better */
} sipcodes_chooser;

void sipcodes_chooser_init(sipcodes_chooser *c);
void sipcodes_chooser_add(sipcodes_chooser *c, int code, size_t index);
/* The code to send upstream; *chosen is the index of the element it came
 * from, or SIPCODES_NONE when it was made up (408, 500).  chosen may be
 * NULL. */
int sipcodes_chooser_result(const sipcodes_chooser *c, size_t *chosen);

/* All of the above over an array. */
int sipcodes_best_response(const int *codes, size_t n, size_t *chosen);

/* ---- header fields a response needs ------------------------------------ */

typedef struct {
    int code;
    char name[24];  /* "WWW-Authenticate" */
    char level[8];  /* "must" or "should" */
    char rfc[32];   /* "RFC 3261 §22.2" */
} sipcodes_header_rule;

/* The rules for code, in table order, and their number in *count; NULL and
 * 0 when there are none.  Entries are per code (the 3xx are spelled out). */
const sipcodes_header_rule *sipcodes_required_headers(int code, size_t *count);

/* Every rule, sorted by code: their number, and rule i (NULL past the end). */
size_t sipcodes_header_rule_count(void);
const sipcodes_header_rule *sipcodes_header_rule_at(size_t i);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif /* SIPCODES_PROTO_H */
