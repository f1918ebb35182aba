# bench/lib.sh - what the bench scripts share; sourced, never run.
# Run from the repository root (the scripts cd there first).

BENCH_OUT=${BENCH_OUT:-build/bench}
LIBDIR=/usr/lib/x86_64-linux-gnu

# lua_inc V: the include directory of interpreter V (5.1 ... 5.4, jit).
lua_inc() {
    if [ "$1" = jit ]; then echo /usr/include/luajit-2.1; else echo "/usr/include/lua$1"; fi
}
# lua_shared V: link flags for the shared library; lua_static V: the archive.
lua_shared() {
    if [ "$1" = jit ]; then echo -lluajit-5.1; else echo "-llua$1"; fi
}
lua_static() {
    if [ "$1" = jit ]; then echo "$LIBDIR/libluajit-5.1.a"; else echo "$LIBDIR/liblua$1.a"; fi
}
lua_name() {
    if [ "$1" = jit ]; then echo luajit; else echo "lua$1"; fi
}

# build_core V: build/V/sipcodes/core.so with the project's own Makefile.
build_core() {
    make -s LUA_VERSION="$1" >/dev/null
}

# build_host V: build/bench/V/host, bench/host.c against the static library.
build_host() {
    mkdir -p "$BENCH_OUT/$1"
    cc -O2 -std=c99 -Wall -Wextra -I"$(lua_inc "$1")" -o "$BENCH_OUT/$1/host" bench/host.c \
        -Wl,-E "$(lua_static "$1")" -lm -ldl
}

# setup_mod V: build/bench/V/mod, the one directory every module of the
# require benchmarks resolves from (package.path "MOD/?.lua", package.cpath
# "MOD/?.so"): copies of lua/ and of core.so, the empty C module, the
# one-line and empty Lua modules and the generated phrase table.  With a
# single template in each path, every module that ends in a C library
# makes exactly one failed fopen() in the Lua searcher (require_bench shows
# the counts).
setup_mod() {
    v=$1 mod="$BENCH_OUT/$1/mod"
    build_core "$v"
    rm -rf "$mod"
    mkdir -p "$mod/sipcodes"
    cp lua/sipcodes.lua "$mod/"
    cp lua/sipcodes/*.lua "$mod/sipcodes/"
    cp "build/$v/sipcodes/core.so" "$mod/sipcodes/core.so"
    cc -O2 -shared -fPIC -I"$(lua_inc "$v")" -o "$mod/sipcodes_empty.so" bench/empty_module.c
    cp bench/sipcodes_floor.lua bench/sipcodes_emptylua.lua bench/sipcodes_firstuse.lua \
        bench/sipcodes_whole.lua "$mod/"
    if [ -f "$BENCH_OUT/sipcodes_phrases.lua" ]; then
        cp "$BENCH_OUT/sipcodes_phrases.lua" "$mod/"
    fi
}

# cg OUTFILE COMMAND...: run COMMAND under callgrind, profile into OUTFILE
# (and OUTFILE.N for each client-request dump), valgrind's log into
# OUTFILE.log.  Extra valgrind options in CG_OPTS.
cg() {
    f=$1
    shift
    rm -f "$f" "$f".[0-9]* "$f.log"
    # shellcheck disable=SC2086
    valgrind --tool=callgrind ${CG_OPTS:-} --callgrind-out-file="$f" "$@" \
        >"$f.stdout" 2>"$f.log" || { echo "callgrind failed: $*" >&2; tail -n 20 "$f.log" >&2; return 1; }
}

# cg_dumps OUTFILE: one line "label<TAB>instructions" per client-request
# dump of a cg run, in dump order.  The count is the dump's "summary:",
# the instructions callgrind counted between the zero and the dump.  (Its
# "totals:", the sum of the cost lines, comes out a little higher in a dump
# taken in the middle of a run: 754 against 743 per call of reason on 5.4,
# where whole-process runs without dumps agree with the summary.  The
# by-function breakdowns of bench/cgprof.lua read the cost lines, so they
# carry that small excess, about 1%.)
cg_dumps() {
    n=1
    while [ -f "$1.$n" ]; do
        awk '/^desc: Trigger: Client Request: / { sub(/^desc: Trigger: Client Request: /, ""); l = $0 }
             /^summary:/ { t = $2 }
             END { printf "%s\t%s\n", l, t }' "$1.$n"
        n=$((n + 1))
    done
}

# cg_total FILE: the instructions counted in one callgrind output file.
cg_total() {
    awk '/^summary:/ { print $2 }' "$1"
}
