#!/bin/sh
# bench/run.sh - `make bench`: build the harnesses and print the tables.
# Nothing here is a test: it prints what it measured, with ratios against
# baselines measured in the same run.
set -eu
cd "$(dirname "$0")/.."
versions=${SIPCODES_BENCH_VERSIONS:-"5.1 5.4 jit"}
rounds=${SIPCODES_BENCH_ROUNDS:-2000}

for v in $versions; do
    if [ "$v" = jit ]; then
        inc=/usr/include/luajit-2.1 lib=-lluajit-5.1 lua=luajit
    else
        inc=/usr/include/lua$v lib=-llua$v lua=lua$v
    fi
    out=build/bench/$v
    mkdir -p "$out"
    make -s LUA_VERSION="$v"
    cc -O2 -shared -fPIC -I"$inc" -o "build/$v/sipcodes_empty.so" bench/empty_module.c
    cc -O2 -I"$inc" -o "$out/require_bench" bench/require_bench.c $lib -lm
    LUA_PATH="./lua/?.lua" LUA_CPATH="./build/$v/?.so" \
        "$lua" bench/gen_table_module.lua "build/$v/sipcodes_luatable.lua"

    echo "== require in a fresh lua_State, $lua ($rounds rounds, median)"
    "$out/require_bench" "$rounds" "./lua/?.lua;./build/$v/?.lua" "./build/$v/?.so" \
        sipcodes_empty sipcodes sipcodes_luatable | tee "$out/require.txt"
    awk 'NR > 1 { t[$1] = $2; h[$1] = $3 }
         END { printf "sipcodes / empty C module: %.2fx time; luatable / empty: %.2fx time; heap %d vs %d bytes\n\n",
               t["sipcodes"] / t["sipcodes_empty"], t["sipcodes_luatable"] / t["sipcodes_empty"],
               h["sipcodes"], h["sipcodes_luatable"] }' "$out/require.txt"
    for b in bench/*_bench.lua; do
        [ -f "$b" ] || continue
        LUA_PATH="./lua/?.lua;./bench/?.lua" LUA_CPATH="./build/$v/?.so" "$lua" "$b"
    done
done
