#!/bin/sh
# kamailio-e2e.sh - sipcodes in a real Kamailio: Debian's kamailio with
# app_lua (Lua 5.1) runs examples/kamailio/kamailio.cfg and its KEMI script
# on 127.0.0.1, and the replies to OPTIONS and INVITEs (sent with sipsak and
# with tools/kamailio-e2e-client.lua) are checked: status lines, phrases,
# Reason headers, a code the script registers, an unknown code, the winning
# code of a failure route, KSR.x.exit() and errors inside protect().
#
# Installs what is missing through tools/deps.sh e2e (kamailio,
# kamailio-lua-modules, sipsak, lua5.1, liblua5.1-0-dev, lua-socket).  Builds the module with `make LUA_VERSION=5.1`.
# Uses only loopback and a free UDP port; stops Kamailio by its PID, also on
# failure or interruption.  Ends with one line
#   kamailio-e2e: N passed, M failed
# and exits non-zero when anything failed.
#
# Environment: SIPCODES_E2E_KEEP=1 keeps the scratch directory (config
# log, pid file) for a look afterwards.
set -u
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
e2e_name="kamailio-e2e"
# shellcheck source=tools/e2e-common.sh
. tools/e2e-common.sh

work=""
kpid=""

# Stop Kamailio (by the PID it wrote, else the one we started) and remove
# the scratch directory.  Runs on every exit.
stop_kamailio() {
    pid=""
    if [ -n "$work" ] && [ -s "$work/kamailio.pid" ]; then
        pid=$(cat "$work/kamailio.pid")
    fi
    [ -n "$pid" ] || pid=$kpid
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null
            return 1
        fi
    fi
    kpid=""
    return 0
}
cleanup() {
    stop_kamailio
    if [ -n "$work" ] && [ -z "${SIPCODES_E2E_KEEP:-}" ]; then
        rm -rf "$work"
    elif [ -n "$work" ]; then
        echo "kamailio-e2e: kept $work"
    fi
}
trap cleanup EXIT
trap 'echo "kamailio-e2e: interrupted"; exit 130' INT TERM HUP

# ---- 1. what the test needs ---------------------------------------------------
# tools/deps.sh holds the one list of Debian packages (the "e2e" set is
# kamailio, kamailio-lua-modules, sipsak, lua5.1, its headers and lua-socket).
if ! tools/deps.sh e2e; then
    fail "packages" "tools/deps.sh e2e could not install what the test needs"
    finish
fi
kamailio=$(command -v kamailio 2>/dev/null || echo /usr/sbin/kamailio)
if [ ! -x "$kamailio" ]; then
    fail "kamailio binary" "not found"
    finish
fi

# ---- 2. the module for Debian's app_lua (Lua 5.1) --------------------------
if out=$(make -s LUA_VERSION=5.1 2>&1) && [ -f build/5.1/sipcodes/core.so ]; then
    pass "make LUA_VERSION=5.1"
else
    fail "make LUA_VERSION=5.1" "$out"
    finish
fi

# ---- 3. Kamailio on 127.0.0.1, a free port ------------------------------------
client() { timeout 20 lua5.1 "$root/tools/kamailio-e2e-client.lua" "$@"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/sipcodes-e2e.XXXXXX") || { fail "mktemp"; finish; }
log="$work/kamailio.log"

start_kamailio() {
    port=$(client freeport) || return 1
    : >"$log"
    rm -f "$work/kamailio.pid"
    LUA_PATH="$root/lua/?.lua;;" LUA_CPATH="$root/build/5.1/?.so;;" \
    "$kamailio" -DD -E -f "$root/examples/kamailio/kamailio.cfg" \
        -l "udp:127.0.0.1:$port" -A SIPCODES_NO_LISTEN \
        -A "SIPCODES_SCRIPT=\"$root/examples/kamailio/kamailio.lua\"" \
        -w "$work" -Y "$work" -P "$work/kamailio.pid" -m 32 -M 8 \
        >>"$log" 2>&1 &
    kpid=$!
    # Up when the socket is bound and the PID file written (requests sent
    # before the workers read wait in the socket's buffer); at most 10 s.
    i=0
    while [ $i -lt 100 ]; do
        if ! kill -0 "$kpid" 2>/dev/null; then
            return 1
        fi
        if [ -s "$work/kamailio.pid" ] && grep -q "Listening on" "$log"; then
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

started=no
for attempt in 1 2 3; do
    if start_kamailio; then
        started=yes
        break
    fi
    stop_kamailio
    # A port taken between the probe and Kamailio's bind: try another.
    grep -q -i "address already in use" "$log" || break
done
if [ "$started" = yes ]; then
    pass "kamailio started on udp:127.0.0.1:$port (attempt $attempt)"
else
    fail "kamailio start" "$(tail -n 30 "$log")"
    finish
fi

# ---- 4. requests and replies ------------------------------------------------------

# expect DESCRIPTION METHOD USER STATUS-LINE [HEADER...]
# The first final response must have STATUS-LINE, exactly the HEADERs given
# among its Reason and X-Winning headers, and no second final response.
expect() {
    desc=$1 method=$2 user=$3 status=$4
    shift 4
    out=$(client send "$port" "$method" "$user" 2>&1)
    problems=""
    echo "$out" | grep -Fxq "status $status" ||
        problems="${problems}want status: $status
"
    n=0
    for h in "$@"; do
        n=$((n + 1))
        echo "$out" | grep -Fxq "header $h" ||
            problems="${problems}want header: $h
"
    done
    got=$(echo "$out" | grep -c '^header ')
    [ "$got" -eq "$n" ] || problems="${problems}want $n Reason/X-Winning header(s), got $got
"
    echo "$out" | grep -Fxq "finals 1" ||
        problems="${problems}want exactly one final response
"
    if [ -z "$problems" ]; then
        pass "$desc"
    else
        fail "$desc" "$problems--- got:
$out"
    fi
}

# Every status line expected is written out here, never computed by the
# library under test: IANA's phrase for a registered code (RFC 3261's
# "Server Internal Error" for 500, not the common alias), the script's own
# phrase where it gives one, and the class phrase for 499.
# spec/kamailio_spec.lua checks these lines against the IANA registry.

# OPTIONS through sipsak.
out=$(timeout 20 sipsak -vv -s "sip:ping@127.0.0.1:$port" 2>&1)
if echo "$out" | tr -d "\r" | grep -Fxq "SIP/2.0 200 OK"; then
    pass "sipsak OPTIONS: 200 OK"
else
    fail "sipsak OPTIONS: 200 OK" "$out"
fi

expect "OPTIONS: 200" OPTIONS ping "SIP/2.0 200 OK"
# Standard codes, stateless, with the code's Q.850 cause (RFC 3398, 6432).
expect "486 with Reason" INVITE 486 "SIP/2.0 486 Busy Here" \
    'Reason: Q.850;cause=17;text="User busy"'
expect "404 with Reason" INVITE 404 "SIP/2.0 404 Not Found" \
    'Reason: Q.850;cause=1;text="Unallocated (unassigned) number"'
expect "603 with Reason" INVITE 603 "SIP/2.0 603 Decline" \
    'Reason: Q.850;cause=21;text="Call rejected"'
expect "608 with Reason" INVITE 608 "SIP/2.0 608 Rejected" \
    'Reason: Q.850;cause=31;text="Normal, unspecified"'
# From a transaction, and through sl's send_reply without a Reason.
expect "t_reply 480" INVITE tm-480 "SIP/2.0 480 Temporarily Unavailable" \
    'Reason: Q.850;cause=18;text="No user responding"'
expect "send_reply 503" INVITE sr-503 "SIP/2.0 503 Service Unavailable"
# A Q.850 cause to a response, with that cause in the Reason header.
expect "cause 34 to 503" INVITE cause-34 "SIP/2.0 503 Service Unavailable" \
    'Reason: Q.850;cause=34;text="No circuit/channel available"'
# The script's own code, and a code no registry has (phrase of its class).
expect "registered 477" INVITE quota "SIP/2.0 477 Quota Exceeded"
expect "unknown 499" INVITE unknown "SIP/2.0 499 Request Failure"
# Relayed to this proxy again, refused there; the failure route relays
# the winning reply as it came, its Reason header included.
expect "failure route relays 486" INVITE fwd-486 "SIP/2.0 486 Busy Here" \
    'Reason: Q.850;cause=17;text="User busy"'
expect "failure route relays 499" INVITE fwd-unknown "SIP/2.0 499 Request Failure"
# KSR.x.exit() inside protect(): one reply, the one before the exit.
expect "KSR.x.exit() in protect" INVITE exit "SIP/2.0 480 Exit Test"
# A Lua error inside protect(): logged and answered with 500.
expect "error in protect" INVITE error "SIP/2.0 500 Server Internal Error"
# An error value whose __tostring raises: still logged and answered.
expect "unprintable error in protect" INVITE error-object "SIP/2.0 500 Server Internal Error"
# A reply, then a Lua error inside protect(): that reply only, no 500.
expect "reply, then error in protect" INVITE late-error "SIP/2.0 486 Late Error"

# ---- 5. the log, and the stop -----------------------------------------------------
if grep -q "sipcodes: route error: .*boom" "$log" &&
    grep -q "sipcodes: route error: (error object is a table value)" "$log" &&
    grep -q "sipcodes: route error: .*late boom (already replied)" "$log"; then
    pass "protect logged the route error"
else
    fail "protect logged the route error" "$(tail -n 20 "$log")"
fi
if grep -e "error from Lua" -e "ksr~exit" -e "reply reason is null" "$log" >"$work/errors.txt"; then
    fail "no script errors in the log" "$(head -n 20 "$work/errors.txt")"
else
    pass "no script errors in the log"
fi
if stop_kamailio; then
    pass "kamailio stopped by its PID"
else
    fail "kamailio stopped by its PID" "needed SIGKILL"
fi
if [ "$failed" -ne 0 ]; then
    echo "--- kamailio log (last 40 lines)"
    tail -n 40 "$log"
fi
finish
