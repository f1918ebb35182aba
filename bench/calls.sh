#!/bin/sh
# bench/calls.sh - targets 3 and 4: what a call costs, as a script makes it.
#
# bench/percall.lua runs in bench/host.c (the interpreter's static library,
# so profiles name its functions), under callgrind for instructions: a loop
# of N calls minus the same loop of 0 calls, divided by N, each loop
# between a zero and a dump of callgrind's counters.  Timings (target 3's
# unknown/known pair also in ns) come from interleaved rounds outside
# valgrind.
#
#   target 3a  every public function, sip.f against core.f (5.1, 5.4), and
#              whether sip.f is the very closure core.f is
#   target 3b  unknown against known codes and texts (5.1-5.4, LuaJIT):
#              instructions and ns
#   target 4   lookup of the target's texts with 0, 1 and 100 codes
#              registered (5.1, 5.4), against 600 instructions
# After the tables: where the instructions go (self instructions per call
# by function, from the same dumps) for the cases that miss a target.
#
# Environment: SIPCODES_BENCH_CALLS (N, default 2000),
# SIPCODES_BENCH_TIME_ROUNDS (default 21).
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

N=${SIPCODES_BENCH_CALLS:-2000}

# run_suite V SUITE: the instr run of a suite; leaves V/SUITE.list and .dumps.
run_suite() {
    v=$1 s=$2 d="$BENCH_OUT/$1"
    LUA_PATH="./lua/?.lua" LUA_CPATH="./build/$v/?.so" "$d/host" bench/percall.lua list "$s" > "$d/$s.list"
    LUA_PATH="./lua/?.lua" LUA_CPATH="./build/$v/?.so" \
        cg "$d/cg-calls/$s" "$PWD/$d/host" bench/percall.lua instr "$s" "$N"
    cg_dumps "$d/cg-calls/$s" > "$d/$s.dumps"
}

# dump_of V SUITE LABEL|N: the dump file of that label (of its first
# repetition, "LABEL|N#1", in the public suite).
dump_of() {
    for l in "$3" "$3#1"; do
        f=$(grep -l -F -x "desc: Trigger: Client Request: $l" "$BENCH_OUT/$1/cg-calls/$2".[0-9]* | head -n 1)
        [ -n "$f" ] && { echo "$f"; return 0; }
    done
    echo "calls.sh: no dump labelled $3 in $1/$2" >&2
    return 1
}

# profile V SUITE LABEL [BASELABEL]: self instructions per call by function,
# LABEL's loop minus its 0-loop (or minus BASELABEL's loop of N).
profile() {
    v=$1 s=$2 a=$3
    fa=$(dump_of "$v" "$s" "$a|$N")
    if [ $# -ge 4 ]; then
        fb=$(dump_of "$v" "$s" "$4|$N")
        echo "-- $(lua_name "$v"): $a minus $4, per call"
    else
        fb=$(dump_of "$v" "$s" "$a|0")
        echo "-- $(lua_name "$v"): $a, per call"
    fi
    lua5.4 bench/cgprof.lua top "$fa" "$N" 16 "$fb" "$N"
}

for v in 5.1 5.2 5.3 5.4 jit; do
    build_core "$v"
    build_host "$v"
    mkdir -p "$BENCH_OUT/$v/cg-calls"
done

echo "== target 3: sip.f against core.f (callgrind, instructions per call, N=$N)"
for v in 5.1 5.4 jit; do
    LUA_PATH="./lua/?.lua" LUA_CPATH="./build/$v/?.so" "$BENCH_OUT/$v/host" bench/percall.lua check public
done
echo
for v in 5.1 5.4; do
    run_suite "$v" public
    lua5.4 bench/percall_report.lua public "$N" "$BENCH_OUT/$v/public.list" "$BENCH_OUT/$v/public.dumps" 0 "$(lua_name "$v")"
    echo
done

echo "== target 3: unknown against known (callgrind, instructions per call, N=$N)"
for v in 5.1 5.2 5.3 5.4 jit; do
    run_suite "$v" unknown
    lua5.4 bench/percall_report.lua unknown "$N" "$BENCH_OUT/$v/unknown.list" "$BENCH_OUT/$v/unknown.dumps" 0 "$(lua_name "$v")"
    echo
done

echo "== target 3: unknown against known (time, ns per call, interleaved rounds)"
for v in 5.1 5.2 5.3 5.4 jit; do
    LUA_PATH="./lua/?.lua" LUA_CPATH="./build/$v/?.so" "$BENCH_OUT/$v/host" bench/percall.lua time unknown |
        tee "$BENCH_OUT/$v/unknown-time.txt"
    echo
done

# lookup_c_alone V: the same cases, counting only what lookup's C function
# does (l_lookup's inclusive instructions), without the interpreter's cost
# of calling a C function, which every function pays alike.
lookup_c_alone() {
    printf '%-52s %8s  %s\n' "l_lookup alone $(lua_name "$1")" instr "target <= 600"
    worst=0
    while IFS="$(printf '\t')" read -r label _; do
        a=$(lua5.4 bench/cgprof.lua incl "$(dump_of "$1" lookup "$label|$N")" l_lookup | cut -f2)
        b=$(lua5.4 bench/cgprof.lua incl "$(dump_of "$1" lookup "$label|0")" l_lookup | cut -f2)
        pc=$(( (a - b) / N ))
        [ "$pc" -gt "$worst" ] && worst=$pc
        printf '%-52s %8d  %s\n' "$label" "$pc" "$([ "$pc" -le 600 ] && echo ok || echo OVER)"
    done < "$BENCH_OUT/$1/lookup.list"
    echo "largest: $worst"
}

echo "== target 4: lookup (callgrind, instructions per call as the script sees it, N=$N)"
for v in 5.1 5.4; do
    run_suite "$v" lookup
    lua5.4 bench/percall_report.lua lookup "$N" "$BENCH_OUT/$v/lookup.list" "$BENCH_OUT/$v/lookup.dumps" 600 "$(lua_name "$v")"
    echo
    lookup_c_alone "$v"
    echo
done

echo "== where the instructions go (self instructions per call, by function)"
for v in 5.1 5.4; do
    profile "$v" public "sip.reason(486)"
    profile "$v" unknown "pcall codes.NO_SUCH_PHRASE"
    profile "$v" unknown "pcall codes.NO_SUCH_PHRASE" "pcall codes.BUSY_HERE"
    profile "$v" unknown "is_known(299)" "is_known(486)"
    profile "$v" unknown "equivalent(299)" "equivalent(486)"
    profile "$v" lookup "0 registered: short known (9 B)"
    profile "$v" lookup "0 registered: unknown (64 B)"
    profile "$v" lookup "0 registered: longest known (43 B)"
    profile "$v" lookup "100 registered: spaces+known (64 B)"
    profile "$v" lookup "100 registered: registered phrase (14 B)"
done
profile jit unknown "is_final(K[i%8+1]=299)" "is_final(K[i%8+1]=486)"
profile jit unknown "pcall codes.NO_SUCH_PHRASE"

echo
echo "== sanity: callgrind_annotate of one dump (lua5.4, sip.reason(486), $N calls; its PROGRAM TOTALS is the summary the tables use)"
f=$(dump_of 5.4 public "sip.reason(486)|$N")
f0=$(dump_of 5.4 public "sip.reason(486)|0")
callgrind_annotate "$f" 2>/dev/null | grep 'PROGRAM TOTALS'
callgrind_annotate "$f0" 2>/dev/null | grep 'PROGRAM TOTALS' | sed 's/$/ (the same loop, 0 calls)/'
echo "(the self instructions of its top functions, for $N calls; callgrind_annotate also lists the"
echo " frames that were active at the dump at 100%, left out here)"
callgrind_annotate --threshold=100 "$f" 2>/dev/null | grep -E '^ *[0-9,]+ +\( *[0-9.]+%\)  ' | grep -v '100.0%' | grep -v 'PROGRAM TOTALS' | head -n 10
