#!/bin/sh
# bench/kamailio.sh - target 5: sipcodes in a real Kamailio.
#
# Debian's kamailio with app_lua (Lua 5.1) runs bench/kamailio-bench.cfg
# (examples/kamailio/kamailio.cfg with children=1 and no TCP) on 127.0.0.1,
# once with bench/kamailio-sipcodes.lua (the example's route through
# sipcodes.kamailio: kam.sl_reply(code, nil, REASON) with REASON = {
# reason = true } at the top level) and once with
# bench/kamailio-handrolled.lua (the same route, phrase table and Reason
# lines in the script, KSR.hdr.append_to_reply + KSR.sl.sl_send_reply).
# bench/kamailio-client.lua sends INVITEs to user 486, one after the other.
#
#   instructions  each route under `valgrind --tool=callgrind
#                 --trace-children=yes --callgrind-out-file=.../cg.%p`,
#                 once with N0 and once with N INVITEs; the worker is the
#                 process whose profile has receive_msg.  Per request =
#                 (worker total at N - at N0) / (N - N0).  The same
#                 difference gives the calls to malloc/realloc/free (Lua's
#                 allocator is realloc/free; Kamailio's own pkg memory is
#                 not libc's) and, by function, where the difference
#                 between the routes goes.
#   heap          each route without valgrind, SIPCODES_BENCH_HEAP="W M
#                 FILE": the script stops the collector after W requests
#                 and reports the growth of collectgarbage("count") over the
#                 next M, per request and for the reply statement alone.
#
# Loopback only; every Kamailio is stopped by the PID it wrote (SIGTERM,
# then SIGKILL after 60 s), also on failure or interruption; each run is
# bounded by `timeout`.  Environment: SIPCODES_BENCH_KAM_N (default 2000),
# SIPCODES_BENCH_KAM_N0 (default 200), SIPCODES_BENCH_KAM_HEAP ("W M",
# default "200 1000").
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
root=$(pwd)

N=${SIPCODES_BENCH_KAM_N:-2000}
N0=${SIPCODES_BENCH_KAM_N0:-200}
HEAP=${SIPCODES_BENCH_KAM_HEAP:-"200 1000"}
work="$root/$BENCH_OUT/kamailio"
kamailio=$(command -v kamailio 2>/dev/null || echo /usr/sbin/kamailio)
client() { timeout 600 lua5.1 "$root/bench/kamailio-client.lua" "$@"; }

if [ ! -x "$kamailio" ] || ! lua5.1 -e 'require "socket"' 2>/dev/null; then
    echo "kamailio.sh: needs kamailio, kamailio-lua-modules, lua5.1 and lua-socket (tools/deps.sh e2e)"
    exit 1
fi
build_core 5.1 || exit 1

kdir=""
stop_kamailio() {
    [ -n "$kdir" ] || return 0
    pid=""
    [ -s "$kdir/kamailio.pid" ] && pid=$(cat "$kdir/kamailio.pid")
    [ -n "$pid" ] || pid=${kpid:-}
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
    # The children (their PIDs are in the profile names): gone with the
    # main process; any left over is ours and is stopped by its PID.
    for f in "$kdir"/cg.*; do
        [ -f "$f" ] || continue
        c=${f##*.}
        case "$c" in *[!0-9]*) continue ;; esac
        i=0
        while kill -0 "$c" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
        kill -0 "$c" 2>/dev/null && kill -KILL "$c" 2>/dev/null
    done
    [ -n "${kpid:-}" ] && wait "$kpid" 2>/dev/null
    kdir="" kpid=""
}
trap stop_kamailio EXIT
trap 'echo "kamailio.sh: interrupted"; exit 130' INT TERM HUP

# bound PORT: is a UDP socket bound to 127.0.0.1:PORT?
bound() {
    hex=$(printf '%04X' "$1")
    grep -q "0100007F:$hex " /proc/net/udp
}

# run NAME SCRIPT MODE COUNT: start Kamailio with SCRIPT (MODE cg: under
# callgrind; heap: plain, with the heap measurement on), wait until its
# socket is bound, send COUNT INVITEs to 486, stop it.  Leaves everything
# in $work/NAME.
run() {
    name=$1 script=$2 mode=$3 count=$4
    kdir="$work/$name"
    mkdir -p "$kdir"
    port=$(client freeport) || return 1
    set -- "$kamailio" -DD -E -f "$root/bench/kamailio-bench.cfg" -l "udp:127.0.0.1:$port" \
        -A SIPCODES_NO_LISTEN -A "SIPCODES_SCRIPT=\"$root/bench/$script\"" \
        -w "$kdir" -Y "$kdir" -P "$kdir/kamailio.pid" -m 32 -M 8
    if [ "$mode" = cg ]; then
        set -- valgrind --tool=callgrind --trace-children=yes \
            --callgrind-out-file="$kdir/cg.%p" "$@"
        heapenv=""
    else
        heapenv="$HEAP $kdir/heap.txt"
    fi
    SIPCODES_BENCH_HEAP="$heapenv" LUA_PATH="$root/lua/?.lua;;" LUA_CPATH="$root/build/5.1/?.so;;" \
        timeout 900 "$@" >"$kdir/kamailio.log" 2>&1 &
    kpid=$!
    i=0
    until [ -s "$kdir/kamailio.pid" ] && bound "$port"; do
        if ! kill -0 "$kpid" 2>/dev/null || [ $i -gt 600 ]; then
            echo "kamailio.sh: $name: Kamailio did not start"; tail -n 20 "$kdir/kamailio.log"
            stop_kamailio
            return 1
        fi
        sleep 0.1
        i=$((i + 1))
    done
    # Requests sent now wait in the bound socket until the worker reads.
    client invite "$port" "$count" 486 "$kdir/reply.txt" >"$kdir/client.txt" 2>&1
    rc=$?
    stop_kamailio
    [ $rc -eq 0 ] || { echo "kamailio.sh: $name: $(cat "$work/$name/client.txt")"; return 1; }
}

# worker NAME: the profile of the process that received the requests.
worker() {
    grep -l 'receive_msg' "$work/$1"/cg.[0-9]* | head -n 1
}

# SIPCODES_BENCH_KAM_REPORT_ONLY=1: print the tables of the last run again.
if [ -z "${SIPCODES_BENCH_KAM_REPORT_ONLY:-}" ]; then
    rm -rf "$work"
    mkdir -p "$work"
    failed=0
    for route in sipcodes handrolled; do
        for n in "$N0" "$N"; do
            run "$route-$n" "kamailio-$route.lua" cg "$n" || failed=1
        done
        run "$route-heap" "kamailio-$route.lua" heap $(( ${HEAP% *} + ${HEAP#* } + 1 )) || failed=1
    done
    [ $failed -eq 0 ] || exit 1
fi
rm -f "$work/summary.txt"

echo "== target 5: one Kamailio worker answering INVITEs (callgrind, N=$N, N0=$N0)"
echo "reply to INVITE sip:486@ from each route:"
for route in sipcodes handrolled; do
    echo "-- $route: $(cat "$work/$route-$N/client.txt")"
    sed 's/^/   /' "$work/$route-$N/reply.txt"
done
if cmp -s "$work/sipcodes-$N/reply.txt" "$work/handrolled-$N/reply.txt"; then
    echo "(the two replies are the same, Via/From/To/Call-ID masked)"
else
    echo "(THE REPLIES DIFFER)"
fi
echo
printf '%-12s %14s %14s %14s %12s %10s %10s %10s\n' route "worker@N0" "worker@N" "per request" \
    "receive_msg" malloc realloc free
for route in sipcodes handrolled; do
    a=$(worker "$route-$N0") b=$(worker "$route-$N")
    ta=$(cg_total "$a") tb=$(cg_total "$b")
    per=$(( (tb - ta) / (N - N0) ))
    rm_b=$(lua5.4 bench/cgprof.lua incl "$b" receive_msg | cut -f2)
    rm_a=$(lua5.4 bench/cgprof.lua incl "$a" receive_msg | cut -f2)
    calls_b=$(lua5.4 bench/cgprof.lua calls "$b" malloc realloc free | cut -f2 | tr '\n' ' ')
    calls_a=$(lua5.4 bench/cgprof.lua calls "$a" malloc realloc free | cut -f2 | tr '\n' ' ')
    echo "$route $ta $tb $per $rm_a $rm_b $calls_a $calls_b" >> "$work/summary.txt"
    # shellcheck disable=SC2086
    set -- $calls_a $calls_b
    printf '%-12s %14d %14d %14d %12d %10.2f %10.2f %10.2f\n' "$route" "$ta" "$tb" "$per" \
        $(( (rm_b - rm_a) / (N - N0) )) \
        "$(echo "($4 - $1) / ($N - $N0)" | bc -l)" "$(echo "($5 - $2) / ($N - $N0)" | bc -l)" \
        "$(echo "($6 - $3) / ($N - $N0)" | bc -l)"
done
awk -v n="$N" -v n0="$N0" '{ per[$1] = $4 }
     END { d = per["sipcodes"] - per["handrolled"]
           printf "sipcodes costs %d instructions per request more than the hand-rolled route: %.2f%% of the sipcodes route (%d), %.2f%% over the hand-rolled one (%d); target 0.5%%\n",
                  d, 100 * d / per["sipcodes"], per["sipcodes"], 100 * d / per["handrolled"], per["handrolled"] }' \
    "$work/summary.txt"
echo "(receive_msg: the worker's inclusive instructions per request in Kamailio's message handler;"
echo " malloc/realloc/free: calls per request in the worker, Lua's allocator included)"
echo

echo "== where the difference goes: (sipcodes@N - sipcodes@N0 - handrolled@N + handrolled@N0) / (N - N0), self instructions by function"
lua5.4 bench/cgprof.lua combo $((N - N0)) 30 \
    "$(worker "sipcodes-$N")" 1 "$(worker "sipcodes-$N0")" -1 \
    "$(worker "handrolled-$N")" -1 "$(worker "handrolled-$N0")" 1
echo
# Debian's liblua5.1.so.0 has no names for its internal functions: say
# which API functions call the addresses at the top of the difference.
liblua=/usr/lib/x86_64-linux-gnu/liblua5.1.so.0
if command -v objdump >/dev/null 2>&1 && [ -f "$liblua" ]; then
    lua5.4 bench/cgprof.lua combo $((N - N0)) 30 \
        "$(worker "sipcodes-$N")" 1 "$(worker "sipcodes-$N0")" -1 \
        "$(worker "handrolled-$N")" -1 "$(worker "handrolled-$N0")" 1 |
        sed -n 's/.*liblua5\.1\.so\.0\.0\.0:0x0*\([0-9a-f]*\)$/\1/p' | head -n 3 |
        while read -r addr; do
            callers=$(objdump -d --no-show-raw-insn "$liblua" |
                awk -v a="$addr" '/^[0-9a-f]+ <.*>:$/ { fn = $2 } $0 ~ ("call +" a " ") { sub(/@@.*/, "", fn); sub(/^</, "", fn); print fn }' |
                sort -u | tr '\n' ' ')
            echo "(liblua5.1.so.0:0x$addr is called from: ${callers:-?}- by objdump, the API function before it)"
        done
fi
echo

echo "== the sipcodes route per request: inclusive instructions and calls of its stages"
lua5.4 bench/cgprof.lua parts "$(worker "sipcodes-$N")" $((N - N0)) "$(worker "sipcodes-$N0")" $((N - N0)) \
    receive_msg sr_kemi_route sr_kemi_lua_exec_func l_kam_sl_reply lua_call sc_checkwirecode \
    sc_reason_option sc_checkopts sc_push_q850_reason sipcodes_reason_append sc_push_ksr \
    sc_push_phrase lua_getfield lua_setfield lua_pushlstring lua_concat add_lump_rpl2 \
    sl_send_reply_str build_res_buf_from_sip_req udp_send
lua5.4 bench/cgprof.lua parts "$(worker "sipcodes-$N")" $((N - N0)) "$(worker "sipcodes-$N0")" $((N - N0)) \
    l_kam_sl_reply lua_call | awk '{ v[NR] = $1 } END { printf "  %10.0f          kam.sl_reply itself (l_kam_sl_reply minus the KSR functions it calls)\n", v[1] - v[2] }'
echo "-- the hand-rolled route per request"
lua5.4 bench/cgprof.lua parts "$(worker "handrolled-$N")" $((N - N0)) "$(worker "handrolled-$N0")" $((N - N0)) \
    receive_msg sr_kemi_route sr_kemi_lua_exec_func lua_getfield add_lump_rpl2 sl_send_reply_str \
    build_res_buf_from_sip_req udp_send
echo

echo "== target 5: Lua heap per request inside the route (no valgrind; collector stopped after ${HEAP% *} requests, ${HEAP#* } measured)"
printf '%-12s %10s %16s %16s %18s\n' route requests "bytes total" "bytes/request" "reply stmt bytes"
for route in sipcodes handrolled; do
    read -r m total reply < "$work/$route-heap/heap.txt"
    printf '%-12s %10d %16.1f %16.3f %18.1f\n' "$route" "$m" "$total" "$(echo "$total / $m" | bc -l)" "$reply"
done
