#!/bin/sh
# wireshark-e2e.sh - sipcodes in a real Wireshark: Debian's tshark runs
# examples/wireshark/sipcodes-calls.lua over captures of known calls that
# tools/write-sip-pcap.lua writes, and what the script prints is checked
# line by line against the lines written out below (per call: the final
# code, outcome, party, ctx, phrase; then the KPIs of the homer and
# rfc6076 profiles, computed here by hand).
#
#   calls.pcap   sixteen calls over UDP, seventeen attempts (the mix is
#                listed in tools/write-sip-pcap.lua): answered, busy,
#                cancelled, no answer, 503, a 407 challenge then an answered
#                INVITE, a 302, a 404, a retransmitted 486, a re-INVITE in
#                an answered call, a 100 Trying then 408, 504, 401, 603, 480
#                and 600
#   odd.pcap     what real captures hold besides: no Call-ID, a CSeq that
#                is no number, status codes outside 100-699, an INVITE not
#                captured, a CANCEL before its INVITE, a Call-ID to escape,
#                two messages in one TCP segment, a datagram that is no SIP,
#                a REGISTER, a retransmitted INVITE, an unanswered INVITE,
#                a re-INVITE seen only by its 200, credentials without a
#                challenge and a CANCEL that crossed the 200, a 407 and then
#                only the 486 of the next INVITE, a 180 without a Via
#   proxy.pcap   a capture on a proxy's host, every hop in it: a serial
#                failover (503, then 200 from a second gateway), a parallel
#                fork (486 and 200), a 486 relayed to the caller, a fork the
#                caller cancels, the gateway side only (503 and 486; 503 and
#                503), a fork whose other branch the proxy cancels (Vias
#                folded on one line), a failover by a proxy without branches
#   cancel.pcap  CANCELs that cross the final response (486, 603, 200, a
#                480 sent twice, a 486 at a proxy) and CANCELs in time
#   auth.pcap    challenges after credentials: stale=true (then answered,
#                or given up), refused, another realm, a 401 stale=false,
#                "stale=true" inside a quoted nonce, a 401 after
#                Proxy-Authorization
#   empty.pcap   no packets: every ratio "-"
#
# Also: the writer gives the same bytes on every Lua it finds; tshark reads
# the captures as SIP with good checksums and no expert warnings; the
# script finds the module through LUA_PATH/LUA_CPATH and through
# SIPCODES_ROOT alike, in one pass and in two (-2); it prints the same
# lines in a locale whose decimal point is a comma (de_DE.UTF-8: one that
# is installed, else one localedef generates in the scratch directory;
# only if neither works is that check skipped); without the module it says
# so and prints nothing.
#
# Installs what is missing through tools/deps.sh wireshark (tshark, lua5.2,
# liblua5.2-dev); only if tshark cannot be installed is the test skipped
# (the summary line then says "1 skipped").  Builds the module with
# `make LUA_VERSION=5.2`, or for whichever Lua `tshark -v` says it embeds.
# tshark runs with a scratch HOME (no personal preferences or plugins), in
# the C locale unless said otherwise, and without LUA_PATH/LUA_CPATH from
# the caller's environment; every run has a time limit, and the runs of
# one step go side by side, at most four at a time.  No network, no
# capture privileges: the captures are files.  Ends with one line
#   wireshark-e2e: N passed, M failed
# and exits non-zero when anything failed.
#
# Environment: SIPCODES_E2E_KEEP=1 keeps the scratch directory (the
# captures, what tshark printed) for a look afterwards.
set -u
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
e2e_name="wireshark-e2e"
# shellcheck source=tools/e2e-common.sh
. tools/e2e-common.sh
script="$root/examples/wireshark/sipcodes-calls.lua"
mixes="calls odd proxy cancel auth empty"

work=""

# shellcheck disable=SC2317 # called by the trap
cleanup() {
    if [ -n "$work" ] && [ -z "${SIPCODES_E2E_KEEP:-}" ]; then
        rm -rf "$work"
    elif [ -n "$work" ]; then
        echo "wireshark-e2e: kept $work"
    fi
}
trap cleanup EXIT
trap 'echo "wireshark-e2e: interrupted"; exit 130' INT TERM HUP

start=$(date +%s)

# ---- 1. what the test needs ---------------------------------------------------
deps_out=$(timeout 900 tools/deps.sh wireshark 2>&1)
deps_rc=$?
if ! command -v tshark >/dev/null 2>&1; then
    skip "everything: tshark is not installed and tools/deps.sh wireshark could not install it"
    [ -z "$deps_out" ] || printf '%s\n' "$deps_out" | sed 's/^/    /'
    finish
fi
if [ "$deps_rc" -ne 0 ]; then
    fail "tools/deps.sh wireshark" "$deps_out"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sipcodes-wireshark-e2e.XXXXXX") || { fail "mktemp"; finish; }
mkdir -p "$work/home"

# A locale whose decimal point is a comma, for step 5: an installed one,
# else de_DE.UTF-8 generated into $work/loc (in the background: localedef
# takes a second or two).
comma_locale="" locpath="" where=""
for l in $(locale -a 2>/dev/null | grep -E '^(de_DE|fr_FR|es_ES|it_IT|nl_NL|pt_BR|ru_RU)\.(utf8|UTF-8)$' | head -3); do
    if [ "$(LC_ALL=$l locale decimal_point 2>/dev/null)" = "," ]; then
        comma_locale=$l locpath=${LOCPATH:-}
        break
    fi
done
localedef_pid=""
if [ -z "$comma_locale" ] && command -v localedef >/dev/null 2>&1; then
    mkdir -p "$work/loc"
    timeout 60 localedef -i de_DE -f UTF-8 "$work/loc/de_DE.UTF-8" >"$work/localedef.out" 2>&1 &
    localedef_pid=$!
fi

# ts ARGS...: tshark in a clean environment (C locale), at most 60 s; with
# other variables: ts_env VAR=VALUE... -- ARGS...
ts_env() {
    for a in "$@"; do
        shift
        if [ "$a" = "--" ]; then
            set -- "$@" timeout 60 tshark
        else
            set -- "$@" "$a"
        fi
    done
    env -u LUA_PATH -u LUA_CPATH -u LUA_PATH_5_2 -u LUA_CPATH_5_2 -u SIPCODES_ROOT -u LOCPATH \
        -u LANG -u LANGUAGE LC_ALL=C \
        HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" "$@"
}
ts() { ts_env -- "$@"; }

# bg NAME COMMAND...: COMMAND in the background, stdout in $work/NAME.out,
# stderr in $work/NAME.err, its exit status in $work/NAME.rc; at most four
# at a time (then the batch is waited for).  collect: wait for them all.
pids=""
njobs=0
bg() {
    name=$1
    shift
    [ "$njobs" -lt 4 ] || collect
    ("$@" >"$work/$name.out" 2>"$work/$name.err"; echo $? >"$work/$name.rc") &
    pids="$pids $!"
    njobs=$((njobs + 1))
}
collect() {
    for p in $pids; do
        wait "$p"
    done
    pids=""
    njobs=0
}

# ---- 2. the module, for the Lua inside tshark ---------------------------------
tshark_v=$(ts -v 2>/dev/null | tr '\n' ' ')
luaver=$(printf '%s' "$tshark_v" | sed -n 's/.*with Lua \([0-9]\.[0-9]\).*/\1/p')
tsver=$(printf '%s' "$tshark_v" | sed -n 's/^TShark (Wireshark) \([^ ]*\).*/\1/p')
case $luaver in
5.[1-4])
    pass "tshark $tsver embeds Lua $luaver" ;;
*)
    fail "tshark embeds Lua" "tshark -v names no Lua 5.1-5.4: $tshark_v"
    finish ;;
esac
if out=$(timeout 300 make -s LUA_VERSION="$luaver" 2>&1) && [ -f "build/$luaver/sipcodes/core.so" ]; then
    pass "make LUA_VERSION=$luaver"
else
    fail "make LUA_VERSION=$luaver" "$out"
    finish
fi
lua_path="$root/lua/?.lua;;"
lua_cpath="$root/build/$luaver/?.so;;"

# ---- 3. the captures ----------------------------------------------------------
# Written by the first Lua found; every other one must write the same bytes.
writers=""
for l in lua5.1 lua5.2 lua5.3 lua5.4 luajit; do
    command -v "$l" >/dev/null 2>&1 && writers="$writers $l"
done
ref=""
problems=""
for l in $writers; do
    mkdir -p "$work/$l"
    for mix in $mixes; do
        if ! o=$(timeout 30 "$l" tools/write-sip-pcap.lua "$mix" "$work/$l/$mix.pcap" 2>&1); then
            problems="${problems}$l $mix: $o
"
        fi
    done
    if [ -z "$ref" ]; then
        ref=$l
        for mix in $mixes; do
            cp "$work/$l/$mix.pcap" "$work/"
        done
    else
        for mix in $mixes; do
            cmp -s "$work/$ref/$mix.pcap" "$work/$l/$mix.pcap" ||
                problems="${problems}$mix.pcap: $l writes other bytes than $ref
"
        done
    fi
done
if [ -n "$ref" ] && [ -z "$problems" ]; then
    pass "write-sip-pcap.lua: the same six captures from$writers"
else
    fail "write-sip-pcap.lua" "${problems:-no Lua interpreter found}"
    finish
fi
# The global header alone is 24 bytes.
size=$(wc -c <"$work/empty.pcap")
if [ "$size" -eq 24 ]; then
    pass "empty.pcap: the 24-byte global header only"
else
    fail "empty.pcap: the 24-byte global header only" "$size bytes"
fi

# What tshark makes of them: how many frames, how many of them SIP (see
# each mix: odd.pcap has the datagram that is no SIP and the "4x6" status
# line, which tshark does not take for SIP), and in no capture is a
# checksum wrong (IPv4, UDP, TCP: checked) or a frame with an expert
# warning or malformed.
for mix in calls odd proxy cancel auth; do
    bg "$mix.frames" ts -r "$work/$mix.pcap" -T fields -e frame.protocols
    bg "$mix.checks" ts -r "$work/$mix.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
        -o tcp.check_checksum:TRUE \
        -Y "ip.checksum.status != 1 || (udp && udp.checksum.status != 1) || (tcp && tcp.checksum.status != 1) || _ws.malformed || _ws.expert.severity >= warning"
done
collect
for want in calls:81:81 odd:48:46 proxy:101:101 cancel:50:50 auth:49:49; do
    mix=${want%%:*} nframes=${want#*:} nsip=${want##*:}
    nframes=${nframes%%:*}
    got_frames=$(wc -l <"$work/$mix.frames.out")
    got_sip=$(grep -c ':sip$' "$work/$mix.frames.out")
    if [ "$got_frames" -eq "$nframes" ] && [ "$got_sip" -eq "$nsip" ]; then
        pass "$mix.pcap: $nframes frames, $nsip of them SIP"
    else
        fail "$mix.pcap: $nframes frames, $nsip of them SIP" "$got_frames frames, $got_sip SIP"
    fi
    bad=$(cat "$work/$mix.checks.out" "$work/$mix.checks.err" | grep -v '^Running as user')
    if [ "$(cat "$work/$mix.checks.rc")" -eq 0 ] && [ -z "$bad" ]; then
        pass "$mix.pcap: checksums good, no expert warnings"
    else
        fail "$mix.pcap: checksums good, no expert warnings" "$bad"
    fi
done

# ---- 4. the script --------------------------------------------------------------
# run NAME PCAP [VAR=VALUE...]: the script over PCAP in the background,
# with the module on LUA_PATH/LUA_CPATH unless VARs are given, and $opts;
# ran NAME, once collected: exit 0 and nothing on stderr but tshark's note
# about running as root.
run() {
    name=$1 pcap=$2
    shift 2
    [ $# -gt 0 ] || set -- LUA_PATH="$lua_path" LUA_CPATH="$lua_cpath"
    # shellcheck disable=SC2086 # $opts: words
    bg "$name" ts_env "$@" -- -q -r "$work/$pcap" -X "lua_script:$script" ${opts:-}
}
ran() {
    name=$1
    rc=$(cat "$work/$name.rc")
    err=$(grep -v '^Running as user' "$work/$name.err")
    if [ "$rc" -eq 0 ] && [ -z "$err" ]; then
        pass "$name: tshark ran the script, exit 0, nothing on stderr"
    else
        fail "$name: tshark ran the script, exit 0, nothing on stderr" "exit $rc
$err"
    fi
}

# lines NAME EXPECTED: what the script printed for NAME, line by line.
lines() {
    name=$1
    printf '%s\n' "$2" >"$work/$name.want"
    nwant=$(wc -l <"$work/$name.want")
    ngot=$(wc -l <"$work/$name.out")
    i=1
    while [ "$i" -le "$nwant" ]; do
        w=$(sed -n "${i}p" "$work/$name.want")
        g=$(sed -n "${i}p" "$work/$name.out")
        if [ "$w" = "$g" ]; then
            pass "$name line $i: $w"
        else
            fail "$name line $i" "want: $w
got:  $g"
        fi
        i=$((i + 1))
    done
    if [ "$ngot" -eq "$nwant" ]; then
        pass "$name: $nwant lines, no more"
    else
        fail "$name: $nwant lines, no more" "got $ngot:
$(sed -n "$((nwant + 1)),\$p" "$work/$name.out")"
    fi
}

# The calls of calls.pcap, as docs/outcomes.md has them: 408 is
# no_answer after a 180 and network_failure after a 100 only; 480 after a
# 180 is no_answer; the 487 after a CANCEL is canceled.  Call 6 is two
# attempts (407, then 200 with Proxy-Authorization: auth_tried); call 9's
# second 486 and call 11's second INVITE are retransmissions (repeats=2);
# call 10's re-INVITE is no attempt.  81 frames, one message each.
#
# The KPIs, by hand, over the 17 attempts:
#   200 x3 (calls 1, 6, 10)   486 x2 (2, 9)   487 (3)   408 x2 (4, 11)
#   503 (5)   407 (6)   302 (7)   404 (8)   504 (12)   401 (13)   603 (14)
#   480 (15)   600 (16)                      3+2+1+2+1+1+1+1+1+1+1+1+1 = 17
# homer: the denominator is the attempts minus the 407s: 17 - 1 = 16
#   asr = 200                   / 16 = 3 / 16         = 0.1875
#   ner = (200 + 486 + 487 + 603) / 16 = (3+2+1+1) / 16 = 7/16 = 0.4375
#   isa = (408 + 500 + 503 + 504) / 16 = (2+0+1+1) / 16 = 4/16 = 0.2500
#   sdr = (500 + 503 + 504)     / 16 = (0+1+1) / 16   = 2/16 = 0.1250
#   seer: not a homer ratio     -> "-"
# rfc6076:
#   asr (its SER) = 200 / (17 - 3xx - 401 - 402 - 407)
#                 = 3 / (17 - 1 - 1 - 0 - 1) = 3/14              = 0.2143
#   seer = (200 + 480 + 486 + 600 + 603) / (17 - 3xx)
#        = (3 + 1 + 2 + 1 + 1) / (17 - 1) = 8/16                 = 0.5000
#   isa  = (408 + 500 + 503 + 504) / 17 = (2+0+1+1) / 17 = 4/17  = 0.2353
#   ner, sdr: not rfc6076 ratios -> "-"
calls_want='call 1 code=200 outcome=answered party=user ctx=provisional finals=200 id=c01-answered@sipcodes.test phrase="OK"
call 2 code=486 outcome=busy party=user ctx=- finals=486 id=c02-busy@sipcodes.test phrase="Busy Here"
call 3 code=487 outcome=canceled party=user ctx=provisional,canceled finals=487 id=c03-canceled@sipcodes.test phrase="Request Terminated"
call 4 code=408 outcome=no_answer party=user ctx=provisional finals=408 id=c04-no-answer@sipcodes.test phrase="Request Timeout"
call 5 code=503 outcome=network_failure party=network ctx=- finals=503 id=c05-unavailable@sipcodes.test phrase="Service Unavailable"
call 6 code=200 outcome=answered party=user ctx=provisional,auth_tried finals=407,200 id=c06-auth@sipcodes.test phrase="OK"
call 7 code=302 outcome=redirected party=- ctx=- finals=302 id=c07-redirect@sipcodes.test phrase="Moved Temporarily"
call 8 code=404 outcome=not_found party=- ctx=- finals=404 id=c08-not-found@sipcodes.test phrase="Not Found"
call 9 code=486 outcome=busy party=user ctx=- finals=486 id=c09-busy-resent@sipcodes.test phrase="Busy Here"
call 10 code=200 outcome=answered party=user ctx=provisional finals=200 id=c10-reinvite@sipcodes.test phrase="OK"
call 11 code=408 outcome=network_failure party=network ctx=- finals=408 id=c11-trying-timeout@sipcodes.test phrase="Request Timeout"
call 12 code=504 outcome=network_failure party=network ctx=- finals=504 id=c12-server-timeout@sipcodes.test phrase="Server Time-out"
call 13 code=401 outcome=auth_required party=- ctx=- finals=401 id=c13-www-auth@sipcodes.test phrase="Unauthorized"
call 14 code=603 outcome=rejected party=user ctx=provisional finals=603 id=c14-declined@sipcodes.test phrase="Decline"
call 15 code=480 outcome=no_answer party=user ctx=provisional finals=480 id=c15-temp-unavailable@sipcodes.test phrase="Temporarily Unavailable"
call 16 code=600 outcome=busy party=user ctx=- finals=600 id=c16-busy-everywhere@sipcodes.test phrase="Busy Everywhere"
summary calls=16 attempts=17 messages=81 skipped=0 repeats=2
kpi homer attempts=17 asr=0.1875 ner=0.4375 seer=- isa=0.2500 sdr=0.1250
kpi rfc6076 attempts=17 asr=0.2143 ner=- seer=0.5000 isa=0.2353 sdr=-
codes 200=3 302=1 401=1 404=1 407=1 408=2 480=1 486=2 487=1 503=1 504=1 600=1 603=1'

# odd.pcap, message by message (48 frames):
#   o01  INVITE and 486 without a Call-ID: 2 skipped
#   o02  CSeq "one INVITE": 1 skipped
#   o03  "799 Out Of Range" and "099 Too Small": 2 skipped; "4x6 Not A
#        Number" is no SIP to tshark (no message); its 486 counts, and
#        none of the three was a provisional: ctx=-
#   o04  only the 180 and 200: taken as an initial INVITE, provisional
#   o05  the CANCEL before the INVITE, then 487: canceled, no provisional
#   o06  Call-ID o06%"odd@sipcodes.test: % and " escaped as %25 and %22
#   o07  INVITE over TCP, the 180 and the 200 in one segment: 2 messages
#   --   a datagram that is no SIP: no message
#   o08  REGISTER and 401: messages, but no INVITE: no call
#   o09  INVITE, 404, the INVITE again, the 404 again: repeats=2
#   o10  INVITE, 100, 180 and nothing more: code=-, in no KPI
#   o11  INVITE, 200, ACK; then a 200 to CSeq 2 INVITE, whose request is
#        not in the capture: after the answer, no new attempt
#   o12  INVITE with Proxy-Authorization (auth_tried: the 200 is no
#        challenge), 180, 200, ACK, and a 481 to a CANCEL not captured:
#        it came after the 200, so not canceled
#   o13  INVITE, 407, ACK, then only a 486 to CSeq 2 INVITE (no To tag
#        seen; no answer before it): a second attempt, finals=407,486
#   o14  INVITE, a 180 without a Via (1 skipped: no provisional), 486, ACK
# messages: 46 frames of SIP (48 minus the two that are none), frame 19
# holds two: 47.  skipped 2 + 1 + 2 + 1 = 6.
# KPIs over 11 attempts: 486 (o03), 200 (o04), 487, 603, 200 (o07), 404,
# 200 (o11), 200 (o12), 407 and 486 (o13), 486 (o14).
#   homer, over 11 - 1 (the 407) = 10: asr 4/10 = 0.4000;
#     ner (200 x4 + 486 x3 + 487 + 603)/10 = 9/10 = 0.9000;
#     isa 0/10 and sdr 0/10 = 0.0000
#   rfc6076: asr 4/(11 - 3xx 0 - 401/402/407 1) = 4/10 = 0.4000;
#     seer (200 x4 + 486 x3 + 603)/(11 - 0) = 8/11 = 0.72727 = 0.7273;
#     isa 0/11 = 0.0000
odd_want='call 1 code=486 outcome=busy party=user ctx=- finals=486 id=o03-bad-status@sipcodes.test phrase="Busy Here"
call 2 code=200 outcome=answered party=user ctx=provisional finals=200 id=o04-invite-not-captured@sipcodes.test phrase="OK"
call 3 code=487 outcome=canceled party=user ctx=canceled finals=487 id=o05-cancel-first@sipcodes.test phrase="Request Terminated"
call 4 code=603 outcome=rejected party=user ctx=- finals=603 id=o06%25%22odd@sipcodes.test phrase="Decline"
call 5 code=200 outcome=answered party=user ctx=provisional finals=200 id=o07-tcp@sipcodes.test phrase="OK"
call 6 code=404 outcome=not_found party=- ctx=- finals=404 id=o09-resent@sipcodes.test phrase="Not Found"
call 7 code=- outcome=- party=- ctx=provisional finals=- id=o10-unanswered@sipcodes.test phrase=-
call 8 code=200 outcome=answered party=user ctx=- finals=200 id=o11-reinvite-not-captured@sipcodes.test phrase="OK"
call 9 code=200 outcome=answered party=user ctx=provisional,auth_tried finals=200 id=o12-credentials@sipcodes.test phrase="OK"
call 10 code=486 outcome=busy party=user ctx=- finals=407,486 id=o13-challenged-then-busy@sipcodes.test phrase="Busy Here"
call 11 code=486 outcome=busy party=user ctx=- finals=486 id=o14-no-via@sipcodes.test phrase="Busy Here"
summary calls=11 attempts=11 messages=47 skipped=6 repeats=2
kpi homer attempts=11 asr=0.4000 ner=0.9000 seer=- isa=0.0000 sdr=0.0000
kpi rfc6076 attempts=11 asr=0.4000 ner=- seer=0.7273 isa=0.0000 sdr=-
codes 200=4 404=1 407=1 486=3 487=1 603=1'

# proxy.pcap: the caller on 5061, the proxy on 5060, gateways A (5064)
# and B (5066).  Each hop is a transaction of its own (its own top Via
# branch); the caller's has one Via, the proxy's towards a gateway two.
# An attempt is the transaction with the fewest Vias.
#   p01  the caller's INVITE twice (1 repeat), P 100; A: 100, 503, ACK;
#        B: 100, 180, 200; P relays 180 and 200; ACK, relayed.  The
#        caller's transaction: 180, 200 -> answered, provisional (A's 503
#        is A's transaction's)                                   15 frames
#   p02  P forks; A 180 and B 180, both relayed; A 486, ACK; B 200 twice
#        and P's relay twice (2 repeats: one per transaction); ACK,
#        relayed.  The caller's: 180, 180, 200 -> answered      16 frames
#   p03  A: 100, 180 (relayed), 486, ACK, 486 again (1 repeat), ACK; P's
#        486 to the caller, ACK.  The caller's: 180, 486 -> busy,
#        provisional; A's 486 and P's are one attempt            12 frames
#   p04  P forks, A 180 relayed; the caller's CANCEL, P's 200; P cancels
#        A and B (one Via each: not counted in a depth), 200 each; A 487,
#        B 487, ACKs; P's 487, ACK.  The caller's: 180, CANCEL before its
#        487 -> canceled, provisional                            18 frames
#   p05  the gateway side only (two Vias each): A 100, 503, ACK; B 180,
#        486, ACK: tied, best_response(503, 486) = 486 (503 last), B's
#        180 -> busy, provisional                                 8 frames
#   p06  the gateway side only: A 503, B 503: best_response(503, 503) =
#        500 (RFC 3261 16.7: a lone 503 becomes 500) -> network_failure
#                                                                 6 frames
#   p07  P forks; A's 180 (both Vias on one line: still two) relayed;
#        B 200 relayed; P cancels A (one Via), A 200 (CANCEL), A 487
#        (one line, two Vias), ACK; ACK, relayed.  The caller's: 180,
#        200 -> answered, provisional, not canceled (A's CANCEL is A's
#        transaction's)                                          14 frames
#   p08  P without branches: A 503, ACK, B 180 (relayed), B 200 (relayed):
#        P's two INVITEs and both finals are one transaction without a
#        branch, two Vias (its second INVITE and the 200: 2 repeats);
#        the caller's: 180, 200 -> answered, provisional          12 frames
# frames and messages: 15 + 16 + 12 + 18 + 8 + 6 + 14 + 12 = 101
# repeats: 1 (p01) + 2 (p02) + 1 (p03) + 2 (p08) = 6
# KPIs over 8 attempts: 200 x4 (p01, p02, p07, p08), 486 x2 (p03, p05),
# 487 (p04), 500 (p06)                                  4 + 2 + 1 + 1 = 8
#   homer, over 8 (no 407): asr 4/8 = 0.5000;
#     ner (200 x4 + 486 x2 + 487 + 603 x0)/8 = 7/8 = 0.8750;
#     isa (408 + 500 + 503 + 504)/8 = 1/8 = 0.1250; sdr (500 + 503 +
#     504)/8 = 1/8 = 0.1250
#   rfc6076: asr 4/(8 - 0) = 0.5000; seer (200 x4 + 486 x2)/8 = 6/8 =
#     0.7500; isa 1/8 = 0.1250
proxy_want='call 1 code=200 outcome=answered party=user ctx=provisional finals=200 id=p01-failover@sipcodes.test phrase="OK"
call 2 code=200 outcome=answered party=user ctx=provisional finals=200 id=p02-fork@sipcodes.test phrase="OK"
call 3 code=486 outcome=busy party=user ctx=provisional finals=486 id=p03-busy-relayed@sipcodes.test phrase="Busy Here"
call 4 code=487 outcome=canceled party=user ctx=provisional,canceled finals=487 id=p04-fork-canceled@sipcodes.test phrase="Request Terminated"
call 5 code=486 outcome=busy party=user ctx=provisional finals=486 id=p05-gateways-only@sipcodes.test phrase="Busy Here"
call 6 code=500 outcome=network_failure party=network ctx=- finals=500 id=p06-gateways-only-503@sipcodes.test phrase="Server Internal Error"
call 7 code=200 outcome=answered party=user ctx=provisional finals=200 id=p07-fork-answered-other-canceled@sipcodes.test phrase="OK"
call 8 code=200 outcome=answered party=user ctx=provisional finals=200 id=p08-failover-no-branch@sipcodes.test phrase="OK"
summary calls=8 attempts=8 messages=101 skipped=0 repeats=6
kpi homer attempts=8 asr=0.5000 ner=0.8750 seer=- isa=0.1250 sdr=0.1250
kpi rfc6076 attempts=8 asr=0.5000 ner=- seer=0.7500 isa=0.1250 sdr=-
codes 200=4 486=2 487=1 500=1'

# cancel.pcap: canceled only when the CANCEL (or its response) came
# before the transaction's final response.
#   x01  INVITE, 100, 180, 486, CANCEL, 200 (CANCEL), ACK: crossed -> busy
#                                                                 7 frames
#   x02  INVITE, 180, 603, CANCEL, 481, ACK: crossed -> rejected  6 frames
#   x03  INVITE, 180, 200, CANCEL, 200, ACK, BYE, 200: answered, and not
#        canceled                                                 8 frames
#   x04  INVITE, 180, CANCEL, 200, 487, ACK: in time -> canceled  6 frames
#   x05  INVITE, 180, the CANCEL's 200 (the CANCEL not captured), 487,
#        ACK: in time -> canceled                                 5 frames
#   x06  INVITE, 180, 480, CANCEL, 480 again (1 repeat), 200, ACK: the
#        first 480 came first -> no_answer (480 after a 180)      7 frames
#   x07  at a proxy: INVITE, P 100, P->A INVITE, A 180 (relayed), A 486,
#        ACK, P's 486 to the caller, then the caller's CANCEL and P's 200,
#        ACK: crossed in the caller's transaction -> busy        11 frames
# frames and messages: 7 + 6 + 8 + 6 + 5 + 7 + 11 = 50; repeats 1
# KPIs over 7 attempts: 486 x2 (x01, x07), 603, 200, 487 x2 (x04, x05),
# 480                                               2 + 1 + 1 + 2 + 1 = 7
#   homer, over 7: asr 1/7 = 0.142857 = 0.1429;
#     ner (200 + 486 x2 + 487 x2 + 603)/7 = 6/7 = 0.857142 = 0.8571;
#     isa and sdr 0/7 = 0.0000
#   rfc6076: asr 1/7 = 0.1429; seer (200 + 480 + 486 x2 + 603)/7 = 5/7 =
#     0.714285 = 0.7143; isa 0/7 = 0.0000
cancel_want='call 1 code=486 outcome=busy party=user ctx=provisional finals=486 id=x01-crossed-busy@sipcodes.test phrase="Busy Here"
call 2 code=603 outcome=rejected party=user ctx=provisional finals=603 id=x02-crossed-decline@sipcodes.test phrase="Decline"
call 3 code=200 outcome=answered party=user ctx=provisional finals=200 id=x03-crossed-answer@sipcodes.test phrase="OK"
call 4 code=487 outcome=canceled party=user ctx=provisional,canceled finals=487 id=x04-in-time@sipcodes.test phrase="Request Terminated"
call 5 code=487 outcome=canceled party=user ctx=provisional,canceled finals=487 id=x05-cancel-not-captured@sipcodes.test phrase="Request Terminated"
call 6 code=480 outcome=no_answer party=user ctx=provisional finals=480 id=x06-crossed-resent@sipcodes.test phrase="Temporarily Unavailable"
call 7 code=486 outcome=busy party=user ctx=provisional finals=486 id=x07-crossed-at-proxy@sipcodes.test phrase="Busy Here"
summary calls=7 attempts=7 messages=50 skipped=0 repeats=1
kpi homer attempts=7 asr=0.1429 ner=0.8571 seer=- isa=0.0000 sdr=0.0000
kpi rfc6076 attempts=7 asr=0.1429 ner=- seer=0.7143 isa=0.0000 sdr=-
codes 200=1 480=1 486=2 487=2 603=1'

# auth.pcap: a 401/407 refuses the credentials of its INVITE (auth_tried,
# rejected) when one of its challenges is of their kind, for their realm
# and not stale=true.  Every INVITE is a new attempt: INVITE, final, ACK.
#   a01  407; Proxy-Authorization -> 407 stale=true (the nonce expired,
#        not refused); new nonce -> 100, 180, 200, ACK, BYE, 200: the last
#        attempt answered, its INVITE had credentials: auth_tried
#                                                     3 + 3 + 5 + 2 = 13
#   a02  407; credentials -> 407 stale="TRUE": auth_required, no
#        auth_tried                                               6 frames
#   a03  407; credentials -> 407, same realm, not stale: rejected  6
#   a04  407 (sipcodes.test); its credentials -> 407 for carrier.test (a
#        second proxy): auth_required                              6
#   a05  401; Authorization -> 401 stale=false: rejected           6
#   a06  407; credentials -> 407 nonce="n2, stale=true" (inside the
#        quotes: no stale parameter): rejected                     6
#   a07  407; Proxy-Authorization -> 401 WWW-Authenticate for the same
#        realm name: no Authorization was tried: auth_required     6
# frames and messages: 13 + 6 x 6 = 49
# KPIs over 15 attempts: 407 x11 (2 each in a01-a04 and a06, 1 in a07),
# 401 x3 (a05 2, a07 1), 200 x1 (a01)                   11 + 3 + 1 = 15
#   homer, over 15 - 11 (the 407s) = 4: asr 1/4 = 0.2500; ner 1/4 =
#     0.2500 (no 486, 487, 603); isa and sdr 0/4 = 0.0000
#   rfc6076: asr 1/(15 - 3xx 0 - 401 3 - 402 0 - 407 11) = 1/1 = 1.0000;
#     seer 1/(15 - 0) = 0.06666 = 0.0667; isa 0/15 = 0.0000
auth_want='call 1 code=200 outcome=answered party=user ctx=provisional,auth_tried finals=407,407,200 id=a01-stale-then-answered@sipcodes.test phrase="OK"
call 2 code=407 outcome=auth_required party=- ctx=- finals=407,407 id=a02-stale-given-up@sipcodes.test phrase="Proxy Authentication Required"
call 3 code=407 outcome=rejected party=- ctx=auth_tried finals=407,407 id=a03-refused@sipcodes.test phrase="Proxy Authentication Required"
call 4 code=407 outcome=auth_required party=- ctx=- finals=407,407 id=a04-other-realm@sipcodes.test phrase="Proxy Authentication Required"
call 5 code=401 outcome=rejected party=- ctx=auth_tried finals=401,401 id=a05-www-refused@sipcodes.test phrase="Unauthorized"
call 6 code=407 outcome=rejected party=- ctx=auth_tried finals=407,407 id=a06-stale-in-nonce@sipcodes.test phrase="Proxy Authentication Required"
call 7 code=401 outcome=auth_required party=- ctx=- finals=407,401 id=a07-proxy-then-uas@sipcodes.test phrase="Unauthorized"
summary calls=7 attempts=15 messages=49 skipped=0 repeats=0
kpi homer attempts=15 asr=0.2500 ner=0.2500 seer=- isa=0.0000 sdr=0.0000
kpi rfc6076 attempts=15 asr=1.0000 ner=- seer=0.0667 isa=0.0000 sdr=-
codes 200=1 401=3 407=11'

# No packets: no call, no attempt, every ratio's denominator 0.
empty_want='summary calls=0 attempts=0 messages=0 skipped=0 repeats=0
kpi homer attempts=0 asr=- ner=- seer=- isa=- sdr=-
kpi rfc6076 attempts=0 asr=- ner=- seer=- isa=- sdr=-
codes -'

# The same report with the module found through SIPCODES_ROOT, and in a
# two-pass run.
opts=""
for mix in $mixes; do
    run "$mix.pcap" "$mix.pcap"
done
run calls-root calls.pcap SIPCODES_ROOT="$root"
opts=-2
run calls-2pass calls.pcap
opts=""
# Without the module: the script says why, and prints no report.
bg nomodule ts_env LUA_PATH="$work/nowhere/?.lua" LUA_CPATH="$work/nowhere/?.so" -- \
    -q -r "$work/calls.pcap" -X "lua_script:$script"
collect

ran calls.pcap
lines calls.pcap "$calls_want"
ran odd.pcap
lines odd.pcap "$odd_want"
ran proxy.pcap
lines proxy.pcap "$proxy_want"
ran cancel.pcap
lines cancel.pcap "$cancel_want"
ran auth.pcap
lines auth.pcap "$auth_want"
ran empty.pcap
lines empty.pcap "$empty_want"

same() { # NAME: NAME's output is calls.pcap's
    if cmp -s "$work/calls.pcap.out" "$work/$1.out"; then
        pass "$1: the same lines as calls.pcap${2:-}"
    else
        fail "$1: the same lines as calls.pcap${2:-}" "$(diff "$work/calls.pcap.out" "$work/$1.out")"
    fi
}
ran calls-root
same calls-root
ran calls-2pass
same calls-2pass

if grep -Fq "sipcodes-calls: cannot load the module 'sipcodes' (Lua $luaver)" "$work/nomodule.err" &&
   [ ! -s "$work/nomodule.out" ]; then
    pass "without the module: the script says so, and prints nothing"
else
    fail "without the module: the script says so, and prints nothing" \
        "stdout: $(cat "$work/nomodule.out")
stderr: $(cat "$work/nomodule.err")"
fi

# ---- 5. a locale whose decimal point is a comma ---------------------------------
# tshark calls setlocale(LC_ALL, ""): under de_DE "%.4f" prints 0,1875.
# The ratios must not follow it.  First, that the locale does that to a C
# printf here (else the check would prove nothing), then the report.
if [ -z "$comma_locale" ] && [ -n "$localedef_pid" ]; then
    wait "$localedef_pid"
    if [ "$(LOCPATH="$work/loc" LC_ALL=de_DE.UTF-8 locale decimal_point 2>/dev/null)" = "," ]; then
        comma_locale=de_DE.UTF-8 locpath="$work/loc" where=" (generated by localedef)"
    fi
fi
if [ -z "$comma_locale" ]; then
    if [ -n "$localedef_pid" ]; then
        why="localedef made none: $(tr '\n' ' ' <"$work/localedef.out")"
    else
        why="there is no localedef"
    fi
    skip "the report under a comma locale: none is installed, and $why"
else
    # The Lua tshark embeds, if it is here (LuaJIT formats numbers itself).
    loclua=lua$luaver
    command -v "$loclua" >/dev/null 2>&1 || loclua=$ref
    # shellcheck disable=SC2016 # Lua, not shell
    printed=$(env LOCPATH="$locpath" LC_ALL="$comma_locale" "$loclua" -e \
        'os.setlocale(""); io.write(string.format("%.4f", 0.1875))' 2>&1)
    if [ "$printed" = "0,1875" ]; then
        pass "$comma_locale$where: string.format(\"%.4f\", 0.1875) is $printed"
    else
        fail "$comma_locale$where: string.format(\"%.4f\", 0.1875) is 0,1875" "got: $printed"
    fi
    run calls-locale calls.pcap LUA_PATH="$lua_path" LUA_CPATH="$lua_cpath" LC_ALL="$comma_locale" \
        LOCPATH="$locpath"
    collect
    ran calls-locale
    same calls-locale " under $comma_locale"
fi

echo "wireshark-e2e: took $(($(date +%s) - start)) s"
finish
