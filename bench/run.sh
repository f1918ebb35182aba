#!/bin/sh
# bench/run.sh - `make bench`: measure the performance targets, each
# against a baseline measured in the same run, and print every figure.
# bench/RESULTS.md says what the figures of the last full run mean.
#
#   require   targets 1 and 2: require in a fresh lua_State (bench/require.sh)
#   calls     targets 3 and 4: per-call instructions and ns (bench/calls.sh)
#   kamailio  target 5: a real Kamailio worker (bench/kamailio.sh)
#   heap      target 6: heap under hostile keys (bench/heap.sh)
#   extra     not a target: the parsers against Lua one-liners, and the C
#             core in instructions (bench/parsers_bench.lua, instr_bench.c)
#
# SIPCODES_BENCH_PARTS picks parts (default "require calls kamailio heap").
# The output is also kept in build/bench/<part>.txt; the callgrind files
# stay under build/bench/ for callgrind_annotate.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

parts=${SIPCODES_BENCH_PARTS:-"require calls kamailio heap"}
mkdir -p "$BENCH_OUT"

echo "== machine"
echo "$(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem:/ { print $2 }') GiB;" \
     "$(. /etc/os-release && echo "$PRETTY_NAME"); $(cc --version | head -n 1); $(valgrind --version)"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
changed=$(git diff --name-only HEAD -- csrc lua 2>/dev/null | tr '\n' ' ')
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')${changed:+, with uncommitted changes in: $changed}"
libhash() { cat csrc/* lua/*.lua lua/sipcodes/*.lua | sha256sum | cut -c1-16; }
hash0=$(libhash)
echo "library sources (csrc/*, lua/**/*.lua) sha256: $hash0"
echo

extra() {
    for v in 5.1 5.4 jit; do
        build_core "$v"
        LUA_PATH="./lua/?.lua;./bench/?.lua" LUA_CPATH="./build/$v/?.so" "$(lua_name "$v")" bench/parsers_bench.lua
    done
    echo "== the C core per call, in instructions (callgrind)"
    cc -O2 -std=c99 -Icsrc -o "$BENCH_OUT/instr_bench" bench/instr_bench.c \
        csrc/sipcodes.c csrc/sipcodes_proto.c csrc/sipcodes_interop.c
    calls=20000
    cg "$BENCH_OUT/instr_bench.cg" "$BENCH_OUT/instr_bench" "$calls"
    lua5.4 bench/cgprof.lua parts "$BENCH_OUT/instr_bench.cg" "$calls" - 1 \
        bench_reason bench_parse_status_line bench_parse_reason bench_best_response bench_find
}

failed=""
for part in $parts; do
    start=$(date +%s)
    rm -f "$BENCH_OUT/$part.failed"
    {
        case "$part" in
        require) bench/require.sh ;;
        calls) bench/calls.sh ;;
        kamailio) bench/kamailio.sh ;;
        heap) bench/heap.sh ;;
        extra) extra ;;
        *) echo "run.sh: unknown part '$part'"; false ;;
        esac || touch "$BENCH_OUT/$part.failed"
    } 2>&1 | tee "$BENCH_OUT/$part.txt"
    [ -f "$BENCH_OUT/$part.failed" ] && failed="$failed $part"
    echo "($part took $(( $(date +%s) - start )) s; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
done
if [ "$(libhash)" != "$hash0" ]; then
    echo "bench: THE LIBRARY SOURCES CHANGED DURING THE RUN (sha256 now $(libhash)); the parts measured different builds"
fi
if [ -n "$failed" ]; then
    echo "bench: failed:$failed"
    exit 1
fi
