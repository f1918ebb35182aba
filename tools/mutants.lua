-- luacheck: no max line length
-- tools/mutants.lua - the catalogue of tools/mutate.lua (make mutate;
-- docs/mutation.md).  Each mutant is one realistic bug:
--   id    a name, unique
--   file  the file it is made in
--   from  the original text: it must occur exactly once in the file, else
--         the mutant is STALE and the run fails (keep it short: a line or
--         part of one, so that edits nearby leave it alone)
--   upto  (optional) the mutated span runs on through the first occurrence
--         of this text after `from` (to delete a row of several lines)
--   to    what the text becomes
--   what  the bug, in one line
-- and optionally specs (the spec files to run first, else the file's own),
-- jit = true (also busted on LuaJIT, for the memo path that only LuaJIT
-- uses), e2e = "tools/<script>.sh", fuzz = "<fuzz target>" (the corpus
-- replay of an ASan/UBSan build), equivalent = "why no test can tell".
-- A mutant of csrc/sipcodes_data.h is followed by `make index`, as the
-- Makefile asks of whoever edits a row.

local list = {}
local function M(t)
  list[#list + 1] = t
end

-- ---- the registry rows (csrc/sipcodes_data.h) ----------------------------------

local DATA = "csrc/sipcodes_data.h"

M { id = "data-en-486-case", file = DATA,
    from = [[X(486, BUSY_HERE, "Busy Here"]], to = [[X(486, BUSY_HERE, "Busy here"]],
    what = "486's English phrase with a lower-case word" }
M { id = "data-en-490", file = DATA,
    from = [["Request Updated", NONSTANDARD]], to = [["Request Update", NONSTANDARD]],
    what = "the non-IANA 490 phrase misspelt" }
M { id = "data-en-701", file = DATA,
    from = [["No response from destination server", NONSTANDARD]],
    to = [["No response from the destination server", NONSTANDARD]],
    what = "the non-IANA 701 phrase misquoted" }
M { id = "data-en-504", file = DATA,
    from = [["Server Time-out", STANDARD]], to = [["Server Timeout", STANDARD]],
    what = "504's phrase without the registry's hyphen" }
M { id = "data-en-606", file = DATA,
    from = [[NOT_ACCEPTABLE_ANYWHERE, "Not Acceptable", STANDARD]],
    to = [[NOT_ACCEPTABLE_ANYWHERE, "Not Acceptable Anywhere", STANDARD]],
    what = "606's phrase taken from its constant name instead of the registry" }
M { id = "data-de-603-as-608", file = DATA,
    from = [["Decline", STANDARD, "RFC 3261", "Abgelehnt"]],
    to = [["Decline", STANDARD, "RFC 3261", "Zurückgewiesen"]],
    what = "603's German phrase is 608's (a half-done swap)" }
M { id = "data-de-404", file = DATA,
    from = [["Nicht gefunden"]], to = [["Nicht erreichbar"]],
    what = "404's German phrase says unreachable instead of not found" }
M { id = "data-de-486", file = DATA,
    from = [["RFC 3261", "Besetzt"]], to = [["RFC 3261", "Belegt"]],
    what = "486's German phrase replaced by a synonym" }
M { id = "data-rfc-428-second", file = DATA,
    from = [["RFC 8224, RFC 4474", "Identity-Header erforderlich"]],
    to = [["RFC 8224", "Identity-Header erforderlich"]],
    what = "428 loses RFC 4474, the reference after the first" }
M { id = "data-rfc-202-second", file = DATA,
    from = [["RFC 6665, RFC 3265", "Angenommen"]], to = [["RFC 6665", "Angenommen"]],
    what = "202 loses RFC 3265" }
M { id = "data-rfc-199-first", file = DATA,
    from = [["Early Dialog Terminated", STANDARD, "RFC 6228"]],
    to = [["Early Dialog Terminated", STANDARD, "RFC 3261"]],
    what = "199 cites RFC 3261 instead of RFC 6228" }
M { id = "data-status-202", file = DATA,
    from = [[ACCEPTED, "Accepted", DEPRECATED]], to = [[ACCEPTED, "Accepted", STANDARD]],
    what = "202 no longer deprecated" }
M { id = "data-status-409", file = DATA,
    from = [[CONFLICT, "Conflict", OBSOLETE]], to = [[CONFLICT, "Conflict", DEPRECATED]],
    what = "409 (RFC 2543 only) marked deprecated instead of obsolete" }
M { id = "data-status-687", file = DATA,
    from = [["Dialog Terminated", NONSTANDARD]], to = [["Dialog Terminated", STANDARD]],
    what = "sofia-sip's 687 marked as a registered code" }
M { id = "data-alias-412-moved", file = DATA,
    from = [[A(412, "Precondition Failed",]], to = [[A(421, "Precondition Failed",]],
    what = "sofia-sip's 412 alias attached to 421" }
M { id = "data-alias-603-deleted", file = DATA,
    from = "    A(603, \"Network Blocked\",", upto = "passthrough\") \\\n", to = "",
    what = "FreeSWITCH's 603 \"Network Blocked\" alias deleted" }
M { id = "data-alias-500", file = DATA,
    from = [[A(500, "Internal Server Error",]], to = [[A(500, "Internal Server Failure",]],
    what = "the RFC 3261 ABNF alias of 500 misquoted" }
M { id = "data-row-703-deleted", file = DATA,
    from = " \\\n    X(703, ERROR_SENDING_MESSAGE", upto = "Leitung nie gültig.\")", to = "",
    what = "the last row (703) deleted" }
M { id = "data-desc-408", file = DATA,
    from = [[the request may be retried later.]], to = [[the request must not be retried.]],
    what = "408's English description rewritten with the opposite advice" }
M { id = "data-desc-de-404", file = DATA,
    from = [[oder diese Domain wird hier nicht bedient.]], to = [[oder diese Domain ist unbekannt.]],
    what = "404's German description rewritten" }
M { id = "data-name-481", file = DATA,
    from = [[X(481, CALL_TRANSACTION_DOES_NOT_EXIST,]], to = [[X(481, CALL_LEG_DOES_NOT_EXIST,]],
    what = "481's constant named after the RFC 2543 phrase" }
M { id = "data-code-555", file = DATA,
    from = [[X(555, PUSH_NOTIFICATION]], to = [[X(556, PUSH_NOTIFICATION]],
    what = "the push-notification code typed as 556" }

-- ---- classes, predicates, lookup (csrc/sipcodes.c) ------------------------------

local CORE = "csrc/sipcodes.c"

M { id = "class-en-4xx", file = CORE,
    from = [["Redirection", "Request Failure",]], to = [["Redirection", "Client Failure",]],
    what = "the 4xx class phrase in HTTP's words, not RFC 3261's" }
M { id = "class-de-6xx", file = CORE,
    from = [["Globaler Fehler"]], to = [["Globales Versagen"]],
    what = "the German 6xx class phrase rewritten" }
M { id = "class-de-1xx", file = CORE,
    from = [["Vorl\xC3\xA4ufige Antwort"]], to = [["Vorl\xC3\xA4ufig"]],
    what = "the German 1xx class phrase shortened" }
M { id = "valid-699", file = CORE,
    from = [[code <= SIPCODES_MAX_WIRE_CODE;]], to = [[code < SIPCODES_MAX_WIRE_CODE;]],
    what = "is_valid stops at 698" }
M { id = "class-800", file = CORE,
    from = [[code <= SIPCODES_MAX_CODE)
               ? code / 100]], to = [[code <= SIPCODES_MAX_CODE + 1)
               ? code / 100]],
    what = "class() takes 800 (class 8, past the name tables)" }
M { id = "equivalent-1xx", file = CORE,
    from = [[return code < 200 ? 183 : code - code % 100;]],
    to = [[return code < 200 ? 100 : code - code % 100;]],
    what = "an unknown 1xx treated as 100 instead of 183 (RFC 3261 8.1.3.2)" }
M { id = "lookup-longest-key", file = CORE,
    from = [[k->nsig > SC_INDEX_MAXSIG)
        return 0;]], to = [[k->nsig >= SC_INDEX_MAXSIG)
        return 0;]],
    what = "lookup refuses the longest phrase of the registry" }
M { id = "name-prefix", file = CORE,
    from = [[strncmp(sc_entries[i].name, s, len) == 0 && sc_entries[i].name[len] == '\0']],
    to = [[strncmp(sc_entries[i].name, s, len) == 0]],
    what = "a constant name matches by prefix (codes.BUSY)" }
M { id = "name-max-len", file = CORE,
    from = [[len > SIPCODES_MAX_NAME || ]], to = [[len >= SIPCODES_MAX_NAME || ]],
    what = "a constant name of exactly 64 bytes refused" }
M { id = "key-matches-prefix", file = CORE,
    from = [[    return j == k->nsig;]], to = [[    return 1;]],
    what = "a registered phrase matches any text it starts with" }
M { id = "int-fraction", file = CORE,
    from = [[ || n != (double)(int)n)]], to = [[)]],
    what = "486.5 read as the integer 486" }
M { id = "int-hex-empty", file = CORE,
    from = [[if (end - p > 2 && u[p] == '0']], to = [[if (end - p >= 2 && u[p] == '0']],
    what = "the string \"0x\" read as 0" }
M { id = "int-trailing-space", file = CORE,
    from = "    while (end > p && sc_is_luaspace(u[end - 1]))\n        end--;\n", to = "",
    what = "a code string with trailing white space (\"486 \") not a numeral" }

-- ---- the Lua binding of the registry (csrc/lua_sipcodes.c) -----------------------

local BIND = "csrc/lua_sipcodes.c"

M { id = "is-failure-2xx", file = BIND,
    from = [[SC_CLASSES(is_failure, 3, 6)]], to = [[SC_CLASSES(is_failure, 2, 6)]],
    what = "is_failure from 200 (the boundary at 299/300 moved)" }
M { id = "is-final-1xx", file = BIND,
    from = [[SC_CLASSES(is_final, 2, 6)]], to = [[SC_CLASSES(is_final, 1, 6)]],
    what = "is_final true for provisional codes" }
M { id = "is-redirection-4xx", file = BIND,
    from = [[SC_CLASSES(is_redirection, 3, 3)]], to = [[SC_CLASSES(is_redirection, 3, 4)]],
    what = "is_redirection also true for 4xx (boundary 399/400)" }
M { id = "equivalent-no-registrations", file = BIND,
    from = [[    else if (sc_known(L, code))
        lua_pushinteger(L, code);]], to = [[    else if (sipcodes_lookup(code))
        lua_pushinteger(L, code);]],
    what = "equivalent() ignores the codes registered in the state" }
M { id = "register-name-clash", file = BIND,
    from = [[owner = sc_code_of(L, name, nlen);]], to = [[owner = 0;]],
    what = "register() never checks that the name is free" }
M { id = "register-reason-de-unchecked", file = BIND,
    from = "    if (!lua_isnil(L, -1))\n        sc_check_registered_phrase(L, -1, 3, \"option 'reason_de'\");\n",
    to = "",
    what = "register() takes any reason_de, CR LF included" }
M { id = "register-no-en-fallback", file = BIND,
    from = "    if (lua_isnil(L, -1) && lang != SIPCODES_LANG_EN) {\n        lua_pop(L, 1);\n" ..
           "        lua_getfield(L, -1, fields[SIPCODES_LANG_EN]);\n    }\n",
    to = "",
    what = "a registration without reason_de gives nil in German instead of the English phrase" }
M { id = "register-phrase-max", file = BIND,
    from = [[if (len > SC_REG_PHRASE_MAX)]], to = [[if (len >= SC_REG_PHRASE_MAX)]],
    what = "a registered phrase of exactly 128 bytes refused" }
M { id = "register-7xx-refused", file = BIND,
    from = [[code > SIPCODES_MAX_CODE)
        sc_argerror(L, 1, "code must be 100 to 799");]],
    to = [[code > SIPCODES_MAX_WIRE_CODE)
        sc_argerror(L, 1, "code must be 100 to 799");]],
    what = "register() refuses 700-799" }
M { id = "register-twice-silent", file = BIND,
    from = [[if (!replace && (builtin || was_registered)) {]], to = [[if (!replace && builtin) {]],
    what = "registering a registered code again replaces it without replace = true" }
M { id = "register-phrase-cache", file = BIND,
    from = "    sc_clearslot(L, SC_S_PHRASES);\n", to = "",
    what = "register() leaves the phrase cache (adapters' phrases) stale" }
M { id = "register-names-cache", file = BIND,
    from = "    sc_clearslot(L, SC_S_NAMES);\n", to = "",
    what = "register() leaves the codes.NAME cache stale" }
M { id = "register-memo-reset", file = BIND, jit = true,
    from = "    sc_clear_memos(L);\n    lua_pushinteger(L, code);", to = "    lua_pushinteger(L, code);",
    what = "register() leaves the LuaJIT memos stale" }
M { id = "memo-unbounded", file = BIND, jit = true,
    from = "    if (st->memo_entries >= SC_MEMO_MAX)\n        sc_clear_memos(L);\n", to = "",
    what = "the memos are never emptied when full (unbounded)" }
M { id = "memo-long-keys", file = BIND, jit = true,
    from = [[(t == LUA_TSTRING && len <= SC_MEMO_KEY_MAX)]], to = [[t == LUA_TSTRING]],
    what = "texts of any length kept in the memo" }
M { id = "nargs-position", file = BIND,
    from = [[sc_argerror(L, max + 1, lua_pushfstring(]], to = [[sc_argerror(L, max, lua_pushfstring(]],
    what = "the extra-argument error names the last allowed argument (off by one)" }
M { id = "final-code-1xx", file = BIND,
    from = [[if (code < 200 || code > 699)
        sc_argerror(L, arg, "final code expected]],
    to = [[if (code < 100 || code > 699)
        sc_argerror(L, arg, "final code expected]],
    what = "a provisional code passes the final-code check" }
M { id = "lang-swapped", file = BIND,
    from = [[sc_oneof(L, arg, "en\0de\0")]], to = [[sc_oneof(L, arg, "de\0en\0")]],
    what = "\"en\" and \"de\" swapped" }
M { id = "why-byte-0", file = BIND,
    from = [[return lua_pushfstring(L, "%s at byte %d", err->msg, (int)err->pos + 1);]],
    to = [[return lua_pushfstring(L, "%s at byte %d", err->msg, (int)err->pos);]],
    what = "error positions counted from 0" }
M { id = "shown-del", file = BIND,
    from = [[(c < 0x20 || c >= 0x7f) ? '?']], to = [[(c < 0x20) ? '?']],
    what = "DEL and high bytes of a bad text echoed raw into error messages" }
M { id = "each-class-7", file = BIND,
    from = [[if (cls < 1 || cls > 7)]], to = [[if (cls < 1 || cls > 6)]],
    what = "each(7) refused" }
M { id = "each-registered-order", file = BIND,
    from = [[if (r > prev && r <= hi && (!next || r < next))]], to = [[if (r > prev && r <= hi && !next)]],
    what = "each() skips a registered code that lies before the next built-in one" }
M { id = "info-rfc-space", file = BIND,
    from = "        while (p < len && rfc[p] == ' ')\n            p++;\n", to = "",
    what = "info().rfc keeps the space after each comma (\" RFC 4474\")" }
M { id = "description-lang", file = BIND,
    from = [[e ? e->description[lang] : NULL]], to = [[e ? e->description[SIPCODES_LANG_EN] : NULL]],
    what = "description(code, \"de\") gives the English text" }

-- ---- the memo of LuaJIT (lua/sipcodes/memo.lua) ------------------------------------

M { id = "memo-two-args", file = "lua/sipcodes/memo.lua", jit = true,
    from = [[if select("#", ...) == 1 then]], to = [[if select("#", ...) >= 1 then]],
    what = "the memo answers calls with two arguments (reason(486, \"de\"))" }
M { id = "memo-nil-sentinel", file = "lua/sipcodes/memo.lua", jit = true,
    from = "        if v == memo then\n          return nil\n        end\n", to = "",
    what = "a remembered nil answers with the memo table itself" }

-- ---- Q.850, RFC 3398, FreeSWITCH tables (csrc/sipcodes_interop.c) --------------------

local IOP = "csrc/sipcodes_interop.c"

M { id = "q850-name-41", file = IOP,
    from = [[[41] = "Temporary failure",]], to = [[[41] = "Temporary Failure",]],
    what = "Q.850 cause 41's name in title case" }
M { id = "q850-name-42", file = IOP,
    from = [[[42] = "Switching equipment congestion",]], to = [[[42] = "Switching equipment congested",]],
    what = "Q.850 cause 42's name misquoted" }
M { id = "q850-classes-swapped", file = IOP,
    from = [["service_not_available", "service_not_implemented",]],
    to = [["service_not_implemented", "service_not_available",]],
    what = "the Q.850 classes 011 and 100 swapped" }
M { id = "q850-unspecified-32", file = IOP,
    from = [[return cause < 32 ? 31 : (cause | 0x0F);]], to = [[return cause <= 32 ? 31 : (cause | 0x0F);]],
    what = "cause 32 counted in the normal-event class" }
M { id = "rfc3398-486", file = IOP,
    from = [[X(485, 1) X(486, 17)]], to = [[X(485, 1) X(486, 21)]],
    what = "486 maps to cause 21 instead of 17" }
M { id = "rfc3398-487", file = IOP,
    from = [[X(487, SC_NO_CAUSE)]], to = [[X(487, 31)]],
    what = "487 gets cause 31 instead of none" }
M { id = "rfc3398-cause-27", file = IOP,
    from = "[27] = 502,", to = "[27] = 503,",
    what = "cause 27 maps to 503 instead of 502" }
M { id = "rfc3398-footnote-21", file = IOP,
    from = [[{21, SIPCODES_Q850_USER, 603},]], to = [[{21, SIPCODES_Q850_USER, 600},]],
    what = "cause 21 from the user maps to 600 instead of 603" }
M { id = "rfc3398-bearer-305", file = IOP,
    from = [[return w == 304 || w == 305 || w == 370;]], to = [[return w == 304 || w == 370;]],
    what = "warn-code 305 not counted as a bearer-capability warning" }
M { id = "fs-480-cause", file = IOP,
    from = [[X(480, NO_USER_RESPONSE)]], to = [[X(480, NO_ANSWER)]],
    what = "mod_sofia's 480 mapped to NO_ANSWER instead of NO_USER_RESPONSE" }
M { id = "fs-429-quirk-fixed", file = IOP,
    from = [[X(429, BAD_IDENTITY_INFO)]], to = [[X(436, BAD_IDENTITY_INFO)]],
    what = "mod_sofia's 429 quirk \"fixed\" to 436 (not what FreeSWITCH does)" }
M { id = "fs-default-480", file = IOP,
    from = [[return status ? status : 480;]], to = [[return status ? status : 503;]],
    what = "an unmapped cause refuses with 503 instead of mod_sofia's 480" }
M { id = "fs-q850-127", file = IOP,
    from = [[return cause <= SIPCODES_Q850_MAX ? cause]], to = [[return cause < SIPCODES_Q850_MAX ? cause]],
    what = "cause 127 reported as 16 in Q.850 terms" }
M { id = "fs-status-digits", file = IOP,
    from = [[if (end - p != 3)]], to = [[if (end - p < 3)]],
    what = "\"sip:4861\" read as 486" }
M { id = "location-bi", file = IOP,
    from = [[[10] = "BI", [11] = "LOC-11",]], to = [[[10] = "LOC-10", [11] = "LOC-11",]],
    what = "location 10 spelt LOC-10, as if BI were a spare value" }

-- ---- outcomes and KPIs (csrc/sipcodes_outcome.c) ----------------------------------------

local OUT = "csrc/sipcodes_outcome.c"

M { id = "outcome-486", file = OUT,
    from = [[{486, B, U}]], to = [[{486, RJ, U}]], what = "486 counted as rejected instead of busy" }
M { id = "outcome-487", file = OUT,
    from = [[{487, CN, U}]], to = [[{487, F, N}]], what = "487 counted as a failure, not a cancel" }
M { id = "outcome-480", file = OUT,
    from = [[{480, UN, U}]], to = [[{480, NA, U}]], what = "480 counted as no answer instead of unavailable" }
M { id = "outcome-auth-407", file = OUT,
    from = [[if ((code == 401 || code == 407) && ctx->auth_tried)]], to = [[if (code == 401 && ctx->auth_tried)]],
    what = "a second 407 challenge not counted as rejected" }
M { id = "outcome-noanswer-local", file = OUT,
    from = [[ctx->provisional && !ctx->local_timeout)]], to = [[ctx->provisional)]],
    what = "a 408 of tm's own after ringing counted as no answer" }
M { id = "outcome-300-answered", file = OUT,
    from = "    if (code < 300)\n        return sc_put(SIPCODES_OUTCOME_ANSWERED",
    to = "    if (code <= 300)\n        return sc_put(SIPCODES_OUTCOME_ANSWERED",
    what = "300 counted as answered (boundary 299/300)" }
M { id = "q850-outcome-16", file = OUT,
    from = [[if (cause == 16 || ctx->canceled)]], to = [[if (ctx->canceled)]],
    what = "cause 16 before an answer not counted as a cancel" }
M { id = "q850-outcome-unspecified", file = OUT,
    from = [[{31, 31, 47, 63, 79, 95, 111, 127}]], to = [[{31, 47, 47, 63, 79, 95, 111, 127}]],
    what = "unlisted causes 16-31 take cause 47's row" }
M { id = "q850-outcome-17", file = OUT,
    from = [[{17, B, U}]], to = [[{17, RJ, U}]], what = "cause 17 (user busy) counted as rejected" }
M { id = "progress-180-sdp", file = OUT,
    from = [[return has_sdp ? SIPCODES_PROGRESS_EARLY_MEDIA : SIPCODES_PROGRESS_RINGING;]],
    to = [[return has_sdp ? SIPCODES_PROGRESS_RINGING : SIPCODES_PROGRESS_EARLY_MEDIA;]],
    what = "the two kinds of a 180 swapped (with SDP ringing, without early media)" }
M { id = "progress-200", file = OUT,
    from = [[code > 100 && code < 200 ?]], to = [[code > 100 && code <= 200 ?]],
    what = "200 given a progress kind" }
M { id = "kpi-homer-ner-487", file = OUT,
    from = [[{200, 486, 487, 603}]], to = [[{200, 486, 603}]],
    what = "homer's NER no longer counts 487" }
M { id = "kpi-rfc6076-asr-402", file = OUT,
    from = [[{-3, 401, 402, 407}]], to = [[{-3, 401, 407}]],
    what = "RFC 6076 SER keeps 402 in its denominator" }
M { id = "kpi-rfc6076-seer-480", file = OUT,
    from = [[{200, 480, 486, 600, 603}]], to = [[{200, 486, 600, 603}]],
    what = "RFC 6076 SEER no longer counts 480" }
M { id = "kpi-den-excluded", file = OUT,
    from = [[d = k->attempts - k->excluded[ratio];]], to = [[d = k->attempts;]],
    what = "excluded codes left in the denominator" }
M { id = "kpi-class-x99", file = OUT,
    from = [[c < cls * 100 + 100; c++)]], to = [[c < cls * 100 + 99; c++)]],
    what = "a class in a KPI set misses its x99 code" }
M { id = "kpi-excluded-counted", file = OUT,
    from = [[else if (sipcodes_kpi_has(d->codes, code)]], to = [[if (sipcodes_kpi_has(d->codes, code)]],
    what = "an excluded code is also counted in the numerator" }

-- ---- policies (csrc/sipcodes_policy.c, csrc/lua_sipcodes_policy.c) --------------------------

local POL = "csrc/sipcodes_policy.c"

M { id = "policy-carrier-408", file = POL,
    from = "    SC_SPAN(408, 408, TIMEOUT),\n", to = "",
    what = "carrier relays a received 408 instead of trying the next destination" }
M { id = "policy-carrier-423", file = POL,
    from = [[SC_SPAN(420, 423, AMEND),]], to = [[SC_SPAN(420, 422, AMEND),]],
    what = "carrier does not amend after 423 Interval Too Brief" }
M { id = "policy-carrier-600", file = POL,
    from = [[SC_SPAN(600, 600, BUSY),]], to = [[SC_SPAN(600, 600, GLOBAL),]],
    what = "600 explained as a global failure, not as busy" }
M { id = "policy-lcr-603", file = POL,
    from = [[SC_SPAN(603, 603, NO_ROUTE),]], to = [[SC_SPAN(604, 604, NO_ROUTE),]],
    what = "lcr moves on after 604 instead of 603" }
M { id = "policy-rfc3261-5xx", file = POL,
    from = [[SC_SPAN(503, 503, UNAVAILABLE),]], to = [[SC_SPAN(500, 503, UNAVAILABLE),]],
    what = "rfc3261 fails over on 500-502 too" }
M { id = "policy-redirects-max", file = POL,
    from = [[ctx->redirects >= p->max_redirects]], to = [[ctx->redirects > p->max_redirects]],
    what = "one redirect more than max_redirects followed" }
M { id = "policy-ringing-next-down", file = POL,
    from = [[(action == SIPCODES_ACT_NEXT || action == SIPCODES_ACT_NEXT_DOWN) &&]],
    to = [[action == SIPCODES_ACT_NEXT &&]],
    what = "a next_down after ringing still fails over" }
M { id = "policy-retry-after-0", file = POL,
    from = [[SIPCODES_ACT_NEXT && ctx->retry_after >= 0 &&]],
    to = [[SIPCODES_ACT_NEXT && ctx->retry_after > 0 &&]],
    what = "a 503 with Retry-After: 0 not treated as one with Retry-After" }
M { id = "policy-lcr-auth-again", file = POL,
    from = [[? SC_R_AUTH_AGAIN_NEXT : SC_R_AUTH_AGAIN;]], to = [[? SC_R_AUTH_AGAIN : SC_R_AUTH_AGAIN;]],
    what = "lcr relays a second challenge instead of trying the next destination" }
M { id = "policy-down-max", file = POL,
    from = [[if (s > p->down_max)]], to = [[if (s > SIPCODES_DOWN_LIMIT)]],
    what = "a Retry-After beyond down_max not clamped to it" }
M { id = "policy-class-2xx", file = POL,
    from = [[if (cls < 3 || cls > 6 || !sc_final_action(action))]],
    to = [[if (cls < 2 || cls > 6 || !sc_final_action(action))]],
    what = "a policy override of the 2xx class accepted" }
M { id = "policy-final-action", file = POL,
    from = [[return action > SIPCODES_ACT_DONE && action < SIPCODES_NACTIONS;]],
    to = [[return action >= SIPCODES_ACT_DONE && action < SIPCODES_NACTIONS;]],
    what = "\"done\" accepted as the action for a failure code" }
M { id = "policy-unknown-code-override", file = POL,
    from = [[if (code >= 300 && p->rule[code - 100] != SC_R_CODE && !sipcodes_lookup(code))]],
    to = [[if (code >= 300 && !sipcodes_lookup(code))]],
    what = "an override for a code the registry lacks is ignored (the x00 wins)" }
M { id = "probe-408-alive", file = POL,
    from = [[code < 200 || code == 408 || (code >= 500 && code < 600)]],
    to = [[code < 200 || (code >= 500 && code < 600)]],
    what = "a probe answered with 408 marks the destination alive" }
M { id = "regex-range-of-two", file = POL,
    from = [[if (j - i >= 2) {]], to = [[if (j - i >= 1) {]],
    what = "two adjacent digits written as a range (\"[4-5]\", not \"[45]\")" }
M { id = "policy-new-arg-position", file = "csrc/lua_sipcodes_policy.c",
    from = "sc_typeerror(L, 2, \"table\");\n    sc_checknargs(L, 2);\n    sipcodes_policy_init",
    to = "sc_typeerror(L, 1, \"table\");\n    sc_checknargs(L, 2);\n    sipcodes_policy_init",
    what = "policy.new's options error names argument #1 (off by one)" }
M { id = "policy-down-min-max", file = "csrc/lua_sipcodes_policy.c",
    from = [[if (pol.down_min > pol.down_max)]], to = [[if (pol.down_min > pol.down_default)]],
    what = "down_min checked against down_default instead of down_max" }
M { id = "kpi-new-arg-position", file = "csrc/lua_sipcodes_kpi.c",
    from = "sc_typeerror(L, 2, \"table\");\n    sc_checknargs(L, 2);\n    lua_settop(L, 2);\n    k = ",
    to = "sc_typeerror(L, 3, \"table\");\n    sc_checknargs(L, 2);\n    lua_settop(L, 2);\n    k = ",
    what = "kpi.new's options error names argument #3 (off by one)" }

-- ---- parsers and formatters (csrc/sipcodes_proto.c) ---------------------------------------

local PROTO = "csrc/sipcodes_proto.c"

M { id = "status-line-max", file = PROTO,
    from = "    if (len > SIPCODES_MAX_LINE)\n        return sc_fail(err, SIPCODES_MAX_LINE, SC_TOO_LONG);\n\n    /* Nearly",
    to = "    if (len >= SIPCODES_MAX_LINE)\n        return sc_fail(err, SIPCODES_MAX_LINE, SC_TOO_LONG);\n\n    /* Nearly",
    what = "a Status-Line of exactly 8192 bytes refused (off by one)" }
M { id = "phrase-max", file = PROTO,
    from = [[if (len > SIPCODES_MAX_REASON_PHRASE)]], to = [[if (len >= SIPCODES_MAX_REASON_PHRASE)]],
    what = "a reason phrase of exactly 8178 bytes refused" }
M { id = "phrase-escape-bound", file = PROTO, fuzz = "fuzz_status_line",
    from = [[if (len - pos >= 3 && sc_is_hex(u[pos + 1])]], to = [[if (len - pos >= 2 && sc_is_hex(u[pos + 1])]],
    what = "a %-escape at the end of the input reads one byte past it" }
M { id = "version-digits", file = PROTO,
    from = [[if (*p - start == 9)]], to = [[if (*p - start == 10)]],
    what = "SIP versions of 10 digits accepted" }
M { id = "status-line-trailing-flag", file = PROTO,
    from = "            accepted |= SIPCODES_ACCEPTED_TRAILING_SPACE;\n        }\n    }",
    to = "        }\n    }",
    what = "white space after the line end dropped without reporting trailing_space" }
M { id = "status-line-bare-cr-bound", file = PROTO, fuzz = "fuzz_status_line",
    from = [[if (u[p] == '\r' && len - p >= 2 && u[p + 1] == '\n') {]],
    to = [[if (u[p] == '\r' && u[p + 1] == '\n') {]],
    what = "a CR at the very end reads one byte past the input" }
M { id = "utf8-overlong-e0", file = PROTO,
    from = [[lo = 0xA0;]], to = [[lo = 0x80;]],
    what = "overlong 3-byte UTF-8 (E0 80-9F) accepted" }
M { id = "utf8-surrogate", file = PROTO,
    from = [[hi = 0x9F;]], to = [[hi = 0xBF;]],
    what = "UTF-16 surrogates (ED A0-BF) accepted" }
M { id = "phrase-trailing-space", file = PROTO,
    from = "        if (sc_is_wsp(u[len - 1]))\n            return sc_fail(err, len - 1,", upto = ");\n", to = "",
    what = "a trimmed phrase may end in white space" }
M { id = "sws-fold-bound", file = PROTO, fuzz = "fuzz_reason",
    from = [[if (len - p >= 3 && u[p] == '\r' && u[p + 1] == '\n' && sc_is_wsp(u[p + 2]))
            p += 3;]],
    to = [[if (len - p >= 2 && u[p] == '\r' && u[p + 1] == '\n' && sc_is_wsp(u[p + 2]))
            p += 3;]],
    what = "a header ending in CRLF reads one byte past the input" }
M { id = "quote-backslash", file = PROTO,
    from = [[        if (s[i] == '"' || s[i] == '\\')
            out[o++] = '\\';]], to = [[        if (s[i] == '"')
            out[o++] = '\\';]],
    what = "a backslash written unescaped inside quotes" }
M { id = "quote-need-backslash", file = PROTO, fuzz = "fuzz_reason_format",
    from = [[need += s[i] == '"' || s[i] == '\\';]], to = [[need += s[i] == '"';]],
    what = "the room for a quoted text ignores its backslashes (overflow at the limit)" }
M { id = "reason-cause-overflow", file = PROTO, fuzz = "fuzz_reason",
    from = [[if (n > (INT_MAX - d) / 10)]], to = [[if (n > INT_MAX / 10)]],
    what = "cause=2147483648 overflows instead of being refused" }
M { id = "reason-max-params", file = PROTO, fuzz = "fuzz_reason",
    from = [[nnames == SIPCODES_REASON_MAX_PARAMS, &g, err)]], to = [[nnames > SIPCODES_REASON_MAX_PARAMS, &g, err)]],
    what = "a 17th Reason parameter accepted (names[] overrun)" }
M { id = "reason-dup-case", file = PROTO,
    from = [[if (sc_span_caseeq(names[i], name))]],
    to = [[if (names[i].len == name.len && memcmp(names[i].ptr, name.ptr, name.len) == 0)]],
    what = "Reason parameter names compared with case (CAUSE and cause both taken)" }
M { id = "reason-text-unquoted", file = PROTO,
    from = "            if (!quoted)\n                return sc_fail(err, valpos, \"text must be a quoted string\");\n",
    to = "",
    what = "text=Busy (unquoted) accepted" }
M { id = "reason-format-location-any-protocol", file = PROTO,
    from = "        if (!q850)\n            return sc_fmt_fail(err, SIPCODES_FIELD_LOCATION, 0, 0,\n",
    upto = "(use params for other protocols)\");\n", to = "",
    what = "format_reason writes location on any protocol (RFC 8606 defines it for Q.850 only)" }
M { id = "unquote-fold", file = PROTO,
    from = "            out[o++] = ' ';\n", to = "",
    what = "a folded line in quoted text unquoted to nothing instead of one SP" }
M { id = "delta-overflow", file = PROTO, fuzz = "fuzz_retry_after",
    from = [[n = n > (SIPCODES_DELTA_SECONDS_MAX - d) / 10 ?]], to = [[n = n > SIPCODES_DELTA_SECONDS_MAX / 10 ?]],
    what = "Retry-After: 2147483648 overflows instead of saturating" }
M { id = "comment-depth", file = PROTO,
    from = [[if (depth == SIPCODES_COMMENT_MAX_DEPTH)]], to = [[if (depth > SIPCODES_COMMENT_MAX_DEPTH)]],
    what = "a comment nested 9 deep accepted" }
M { id = "retry-after-two-comments", file = PROTO,
    from = "            if (u[p] == '(' && out->has_comment)\n                return sc_fail(err, p, \"more than one comment\");\n",
    to = "",
    what = "a second comment reported as a missing ';'" }
M { id = "parens-fit-depth", file = PROTO,
    from = [[if (++depth >= SIPCODES_COMMENT_MAX_DEPTH)]], to = [[if (++depth > SIPCODES_COMMENT_MAX_DEPTH)]],
    what = "format_retry_after writes bare parentheses 8 deep inside the comment (9 with it)" }
M { id = "comment-backslash", file = PROTO,
    from = [[int esc = c == '\\' || (!bare && (c == '(' || c == ')'));]],
    to = [[int esc = !bare && (c == '(' || c == ')');]],
    what = "a backslash in a Retry-After comment written unescaped" }
M { id = "warning-port-empty", file = PROTO,
    from = "        if (q == e + 1)\n            return sc_fail(err, q, \"expected port",
    upto = ");\n", to = "",
    what = "a warn-agent \"host:\" with an empty port accepted" }
M { id = "warning-code-digits", file = PROTO,
    from = [[digits[1] = (char)('0' + v->code / 10 % 10);]], to = [[digits[1] = (char)('0' + v->code / 10);]],
    what = "the middle digit of a warn-code not reduced mod 10" }
M { id = "warn-text-370", file = PROTO,
    from = [[{370, {"Insufficient bandwidth"]], to = [[{370, {"Insufficient Bandwidth"]],
    what = "warn-code 370's registered text in title case" }
M { id = "hostname-toplabel", file = PROTO,
    from = [[return SC_DEF_ALPHA(u[start]); /* the last label]], to = [[return 1; /* the last label]],
    what = "a host name whose last label starts with a digit accepted" }
M { id = "ipv4-octet-digits", file = PROTO,
    from = [[while (p < len && p - start < 3 && sc_is_digit(u[p]))]], to = [[while (p < len && sc_is_digit(u[p]))]],
    what = "IPv4 parts of more than three digits accepted" }
M { id = "best-6xx-last", file = PROTO,
    from = [[class_order[7] = {0, 0, 0, 2, 3, 4, 1};]], to = [[class_order[7] = {0, 0, 0, 1, 2, 3, 4};]],
    what = "best_response ranks 6xx after 5xx (RFC 3261 16.7 says 6xx first)" }
M { id = "best-503-rank", file = PROTO,
    from = [[sub = xx == 3 ? 200 : xx;]], to = [[sub = xx;]],
    what = "503 not ranked last in its class" }
M { id = "best-484-preferred", file = PROTO,
    from = [[xx == 20 || xx == 84)]], to = [[xx == 20)]],
    what = "484 no longer preferred among the 4xx" }
M { id = "best-503-to-500", file = PROTO,
    from = "        code = 500;\n", to = "",
    what = "a winning 503 forwarded as 503 instead of 500" }
M { id = "best-tie-last", file = PROTO,
    from = [[if (rank < c->rank) {]], to = [[if (rank <= c->rank) {]],
    what = "on equal codes the last response wins instead of the first" }
M { id = "best-provisional", file = PROTO,
    from = [[if (!sipcodes_is_valid(code) || code < 200)
        return;]], to = [[if (!sipcodes_is_valid(code))
        return;]],
    what = "a provisional response can win best_response" }
M { id = "required-405-should", file = PROTO,
    from = [[{405, "Allow", "must",]], to = [[{405, "Allow", "should",]],
    what = "405's Allow header only \"should\"" }
M { id = "required-search", file = PROTO,
    from = [[sc_rules[i].code < code; i++)]], to = [[sc_rules[i].code <= code; i++)]],
    what = "required_headers skips past the code's own rows" }

-- ---- Kamailio (csrc/lua_sipcodes_kamailio.c) -------------------------------------------

local KAM = "csrc/lua_sipcodes_kamailio.c"

M { id = "kam-winning-7xx", file = KAM,
    from = [[!= SIPCODES_NUMERAL_INT || !sipcodes_is_valid(code)) {]],
    to = [[!= SIPCODES_NUMERAL_INT || !sipcodes_class(code)) {]],
    what = "winning() accepts a 7xx status" }
M { id = "kam-winning-code-7xx", file = KAM,
    from = [[code < 100 || code > 699)
        code = 0;]], to = [[code < 100 || code > 799)
        code = 0;]],
    what = "failover() and tag() accept a 7xx winning code" }
M { id = "kam-reply-empty-phrase", file = KAM,
    from = "        sc_push_phrase(L, code);\n        lua_replace(L, 2);",
    to = "        lua_pushliteral(L, \"\");\n        lua_replace(L, 2);",
    what = "a reply without a phrase goes out with an empty one (sl refuses it)" }
M { id = "kam-reply-nonempty", file = KAM,
    from = [[sc_checkphrase(L, 2, SIPCODES_PHRASE_NONEMPTY, &len);]], to = [[sc_checkphrase(L, 2, 0, &len);]],
    what = "an empty phrase given by the script accepted" }
M { id = "kam-protect-exit", file = KAM,
    from = "    if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), SC_KSR_EXIT) == 0)\n        return lua_error(L);\n",
    to = "",
    what = "KSR.x.exit() inside protect is logged and answered instead of exiting" }
M { id = "kam-protect-replied", file = KAM,
    from = [[replied = sc_finals(L) != before;]], to = [[replied = sc_finals(L) == before;]],
    what = "protect answers again after the route already replied" }
M { id = "kam-finals-provisional", file = KAM,
    from = "    if (code >= 200) {\n        int n = 0;", to = "    if (code >= 100) {\n        int n = 0;",
    what = "a provisional reply counted as the route's final reply" }
M { id = "kam-protect-code", file = KAM,
    from = [[int code = 500;]], to = [[int code = 503;]],
    what = "protect answers an error with 503 by default" }
M { id = "kam-local-timeout", file = KAM,
    from = [[!sc_tm_yes(L, ksr, keys, SC_K_t_branch_replied))]], to = [[sc_tm_yes(L, ksr, keys, SC_K_t_branch_replied))]],
    what = "a branch timeout after a reply read as silence (local_timeout)" }
M { id = "kam-winning-phrase", file = KAM,
    from = "    sc_push_phrase(L, code);\n    lua_setfield(L, info, \"phrase\");\n    lua_pushboolean(L, sc_known(L, code));",
    to = "    lua_pushstring(L, sipcodes_class_phrase(code, SIPCODES_LANG_EN));\n    lua_setfield(L, info, \"phrase\");\n    lua_pushboolean(L, sc_known(L, code));",
    what = "winning().phrase is the class phrase, not the code's" }

-- ---- FreeSWITCH (csrc/lua_sipcodes_freeswitch.c) ----------------------------------------

local FS = "csrc/lua_sipcodes_freeswitch.c"

M { id = "fs-respond-empty-phrase", file = FS,
    from = "        sc_push_phrase(L, code);\n    lua_concat(L, 2);",
    to = "        lua_pushliteral(L, \"\");\n    lua_concat(L, 2);",
    what = "respond without a phrase sends \"608 \" (empty phrase)" }
M { id = "fs-respond-nonempty", file = FS,
    from = [[sc_checkphrase(L, 3, SIPCODES_PHRASE_NONEMPTY, &len);]], to = [[sc_checkphrase(L, 3, 0, &len);]],
    what = "respond accepts an empty phrase from the script" }
M { id = "fs-hangup-remote-cause", file = FS,
    from = "    sc_method(L, \"setVariable\");\n    lua_pushliteral(L, \"sip_ignore_remote_cause\");",
    upto = "lua_call(L, 3, 0);\n", to = "",
    what = "hangup does not set sip_ignore_remote_cause (a bridged leg's code goes out)" }
M { id = "fs-hangup-returned-code", file = FS,
    from = "    lua_pushinteger(L, sent);\n    return 2;",
    to = "    lua_pushinteger(L, code);\n    return 2;",
    what = "hangup returns the code asked for, not the one mod_sofia sends" }
M { id = "fs-hunt-empty-far-phrase", file = FS,
    from = [[if (!sipcodes_check_reason_phrase(ph, len, SIPCODES_PHRASE_NONEMPTY, &err))]],
    to = [[if (!sipcodes_check_reason_phrase(ph, len, 0, &err))]],
    what = "hunt relays an empty phrase (sc_getvar turns an empty sip_hangup_phrase into nil, but mark_down can set ctx.phrase = \"\")" }
M { id = "fs-hunt-far-headers", file = FS,
    from = "            pidx = 0;\n        }\n        sc_respond(L, sent, pidx);",
    to = "        }\n        sc_respond(L, sent, pidx);",
    what = "hunt keeps the far end's phrase on the code mod_sofia substitutes" }
M { id = "fs-hunt-no-target", file = FS,
    from = [[sipcodes_chooser_result(&best, &chosen) : 500;]], to = [[sipcodes_chooser_result(&best, &chosen) : 480;]],
    what = "hunt with no target answers 480 instead of 500" }

-- ---- the command (bin/sipcodes) --------------------------------------------------

local CLI = "bin/sipcodes"

M { id = "cli-dashdash-ignored", file = CLI,
    from = [[options = false]], to = [[options = true]],
    what = "-- is swallowed but does not end the options (-- -x is an unknown option)" }
M { id = "cli-single-dash-searched", file = CLI,
    from = [[a:sub(1, 1) ~= "-"]], to = [[a:sub(1, 2) ~= "--"]],
    what = "only --words are options again: -x 486 searches the text x" }
M { id = "cli-usage-exit-1", file = CLI,
    from = "  return 2\nend", to = "  return 1\nend",
    what = "a usage error exits 1, like a lookup that found nothing" }
M { id = "cli-lang-value-searched", file = CLI,
    from = "        i = i + 1\n        value = argv[i]", to = "        value = argv[i + 1]",
    what = "--lang de takes de but leaves it to be searched as a word too" }
M { id = "cli-unregistered-no-match", file = CLI,
    from = [[(sip.is_known(code) or sip.equivalent(code)) and { code }]],
    to = [[sip.is_known(code) and { code }]],
    what = "a code of 100-699 that the registry lacks is 'no match' again (499)" }
M { id = "cli-unregistered-english", file = CLI,
    from = [[print(string.format("%d %s", code, sip.phrase(code, lang)))]],
    to = [[print(string.format("%d %s", code, sip.phrase(code)))]],
    what = "an unregistered code's class phrase ignores --lang" }
M { id = "cli-missing-exit-0", file = CLI,
    from = [[return #missing == 0 and 0 or 1]], to = [[return 0]],
    what = "an argument that matches nothing still exits 0" }
M { id = "cli-sh-last-build", file = CLI,
    from = [[for v in 5.4 5.3 5.2 5.1 jit; do]], to = [[for v in jit 5.1 5.2 5.3 5.4; do]],
    what = "in a checkout the polyglot runs the Lua of the last build in the order, not the first" }
M { id = "cli-sh-env-ignored", file = CLI,
    from = [[lua=${SIPCODES_LUA:-}]], to = [[lua=]],
    what = "SIPCODES_LUA is ignored in a checkout" }
M { id = "cli-sh-symlink-unresolved", file = CLI,
    from = [[self=$(readlink -f -- "$0" 2>/dev/null) || self=$0]], to = [[self=$0]],
    what = "a symlink to the command is not followed: the modules are looked for beside the link" }

return list
