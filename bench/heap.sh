#!/bin/sh
# bench/heap.sh - target 6: heap growth under hostile keys
# (bench/heap_hostile.lua) on Lua 5.1, 5.4 and LuaJIT as shipped, and on
# Lua 5.4 with the memo wrapper LuaJIT gets.  Environment:
# SIPCODES_BENCH_HOSTILE_CALLS (calls per row, default 1000000).
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
for v in 5.1 5.4 jit; do
    build_core "$v"
    build_host "$v"
done
for run in "5.1 plain" "5.4 plain" "jit plain" "5.4 memo"; do
    set -- $run
    LUA_PATH="./lua/?.lua" LUA_CPATH="./build/$1/?.so" \
        "$BENCH_OUT/$1/host" bench/heap_hostile.lua "$2" | tee "$BENCH_OUT/$1/heap-$2.txt"
    echo
done
