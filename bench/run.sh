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
    "$out/require_bench" "$rounds" "./lua/?.lua;./build/$v/?.lua;./bench/?.lua" "./build/$v/?.so" \
        sipcodes_empty sipcodes.core sipcodes_floor sipcodes sipcodes_firstuse sipcodes_luatable | tee "$out/require.txt"
    awk 'NR > 1 { t[$1] = $2; h[$1] = $3 }
         END { printf "vs the empty C module: sipcodes.core %.2fx, a one-line Lua module over it %.2fx, sipcodes %.2fx, sipcodes + first calls %.2fx, pure-Lua table %.2fx time\n",
               t["sipcodes.core"] / t["sipcodes_empty"], t["sipcodes_floor"] / t["sipcodes_empty"], t["sipcodes"] / t["sipcodes_empty"],
               t["sipcodes_firstuse"] / t["sipcodes_empty"], t["sipcodes_luatable"] / t["sipcodes_empty"];
               printf "heap: sipcodes %d bytes, pure-Lua table %d bytes\n\n", h["sipcodes"], h["sipcodes_luatable"] }' "$out/require.txt"
    # What compiling the Lua layer costs, against an empty chunk.
    "$lua" -e '
      local src = assert(io.open("lua/sipcodes.lua")):read("*a")
      local load = rawget(_G, "loadstring") or load
      local function t(s) local best = math.huge
        for _ = 1, 5 do local t0 = os.clock()
          for _ = 1, 500 do load(s, "=x") end
          best = math.min(best, (os.clock() - t0) / 500 * 1e6) end
        return best end
      print(string.format("compile lua/sipcodes.lua (%d bytes): %.1f us; an empty chunk: %.1f us\n",
                          #src, t(src), t("")))'
    for b in bench/*_bench.lua; do
        [ -f "$b" ] || continue
        LUA_PATH="./lua/?.lua;./bench/?.lua" LUA_CPATH="./build/$v/?.so" "$lua" "$b"
    done
done

# The hot calls in instructions on PUC Lua (callgrind), against the same
# baselines: a figure that does not move with the machine's load.
for v in 5.1 5.4; do
    echo "== hot calls, lua$v, in instructions per call (callgrind)"
    for w in "reason(486)" "class(486)" "is_final(486)" "codes.BUSY_HERE"; do
        base="base ${w%%(*}"
        [ "$w" = codes.BUSY_HERE ] && base="base codes"
        per_call() {
            r0=$(LUA_PATH="./lua/?.lua" LUA_CPATH="./build/$v/?.so" valgrind --tool=callgrind \
                 --callgrind-out-file=/dev/null "lua$v" bench/hot_instr.lua "$1" 0 2>&1 |
                 sed -n 's/.*I *refs: *//p' | tr -d ,)
            r1=$(LUA_PATH="./lua/?.lua" LUA_CPATH="./build/$v/?.so" valgrind --tool=callgrind \
                 --callgrind-out-file=/dev/null "lua$v" bench/hot_instr.lua "$1" 100000 2>&1 |
                 sed -n 's/.*I *refs: *//p' | tr -d ,)
            echo $(( (r1 - r0) / 100000 ))
        }
        ours=$(per_call "$w")
        theirs=$(per_call "$base")
        awk -v w="$w" -v a="$ours" -v b="$theirs" \
            'BEGIN { printf "%-22s %6d %6d  %5.2fx\n", w, a, b, a / b }'
    done
    echo
done

# The C core in instructions (callgrind: exact, unaffected by load).
echo "== the C core per call, in instructions (callgrind)"
mkdir -p build/bench
cc -O2 -std=c99 -Icsrc -o build/bench/instr_bench bench/instr_bench.c \
    csrc/sipcodes.c csrc/sipcodes_proto.c csrc/sipcodes_interop.c
calls=20000
valgrind --tool=callgrind --callgrind-out-file=build/bench/callgrind.out \
    build/bench/instr_bench "$calls" >/dev/null 2>&1
callgrind_annotate --inclusive=yes --threshold=100 build/bench/callgrind.out 2>/dev/null |
    awk -v n="$calls" '/bench_[a-z_]+ \[/ {
        gsub(",", "", $1); name = $0; sub(/.*bench_/, "", name); sub(/ .*/, "", name)
        printf "%-22s %8.0f instructions\n", name, $1 / n }' | sort
echo "(sofia-sip: sip_status_phrase ~16, its status-line parser ~960)"
