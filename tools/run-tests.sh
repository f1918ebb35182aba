#!/bin/sh
# run-tests.sh - everything `make test` runs, on every interpreter, summed
# into one closing line "N passed, N failed".  Exits non-zero on any
# failure.  Called by `make test` after tools/deps.sh.
set -u
cd "$(dirname "$0")/.." || exit 2

versions=${SIPCODES_LUA_VERSIONS:-"5.1 5.2 5.3 5.4 jit"}
passed=0
failed=0
log=build/test-logs
mkdir -p "$log"

ok() { passed=$((passed + $1)); }
bad() { failed=$((failed + $1)); echo "FAILED: $2"; }

# Add every "<name>: N passed, M failed" line of a runner's output to the
# sums; a runner that printed none has failed.
count_summary() { # file label
    lines=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed' "$1")
    if [ -z "$lines" ]; then
        bad 1 "$2 (no summary line; see $1)"
        return
    fi
    p=$(echo "$lines" | sed -E 's/.*: ([0-9]+) passed.*/\1/' | awk '{ s += $1 } END { print s }')
    f=$(echo "$lines" | sed -E 's/.* ([0-9]+) failed.*/\1/' | awk '{ s += $1 } END { print s }')
    ok "$p"
    [ "$f" -eq 0 ] || bad "$f" "$2"
}

# 1. Build the module for every interpreter (a build failure is a failure).
for v in $versions; do
    if make -s LUA_VERSION="$v" >"$log/build-$v.txt" 2>&1; then
        ok 1
    else
        cat "$log/build-$v.txt"
        bad 1 "build for Lua $v"
    fi
done

# 2. The C tests of the pure core.
for src in ctest/test_*.c; do
    t=build/ctest/$(basename "$src" .c)
    if make -s "$t" >"$log/$(basename "$t").build.txt" 2>&1; then
        "$t" >"$log/$(basename "$t").txt" 2>&1
        cat "$log/$(basename "$t").txt" | grep -v ': [0-9]* passed' || true
        count_summary "$log/$(basename "$t").txt" "$t"
    else
        cat "$log/$(basename "$t").build.txt"
        bad 1 "build of $t"
    fi
done

# 3. The busted suite on each interpreter, counted from its TAP output.
for v in $versions; do
    if [ "$v" = jit ]; then lua=luajit; else lua=lua$v; fi
    out="$log/busted-$v.txt"
    busted --lua="$lua" --cpath="build/$v/?.so" -o TAP >"$out" 2>&1
    rc=$?
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^not ok ' "$out")
    ok "$p"
    if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ] || [ "$p" -eq 0 ]; then
        grep -A12 '^not ok ' "$out" | head -n 80
        [ "$f" -ne 0 ] || f=1
        bad "$f" "busted on $lua (see $out)"
    fi
    echo "busted $lua: $p passed, $f failed" | sed 's/^/  /'
done

# 4. luacheck over every Lua file of the project.
if luacheck -q . >"$log/luacheck.txt" 2>&1; then
    ok 1
else
    cat "$log/luacheck.txt"
    bad 1 "luacheck"
fi

# 5. LuaRocks: the rockspec builds and installs offline into a scratch tree
#    for Lua 5.1 and 5.4, and the module loads from there.  It builds from a
#    copy of the tracked sources, which also proves the rockspec lists them.
for v in 5.1 5.4; do
    tree=$(mktemp -d)
    src=$(mktemp -d)
    cp -r csrc lua bin ./*.rockspec "$src"/
    if (cd "$src" && luarocks --lua-version "$v" --tree "$tree" make) \
           >"$log/luarocks-$v.txt" 2>&1 &&
       env LUA_PATH="$tree/share/lua/$v/?.lua" LUA_CPATH="$tree/lib/lua/$v/?.so" \
           "lua$v" -e 'assert(require("sipcodes").reason(486) == "Busy Here")
                       assert(require("sipcodes.kamailio") and require("sipcodes.freeswitch"))' \
           >>"$log/luarocks-$v.txt" 2>&1 &&
       # luaopen_sipcodes_core must be the one symbol the module exports.
       [ "$(nm -D --defined-only "$tree/lib/lua/$v/sipcodes/core.so" | awk '{ print $3 }')" = luaopen_sipcodes_core ]; then
        ok 1
    else
        cat "$log/luarocks-$v.txt"
        bad 1 "luarocks make for Lua $v"
    fi
    rm -rf "$tree" "$src"
done

# 6. The API reference builds from the LDoc comments without warnings.
# (ldoc prints its configuration and format choice even with -q.)
#    Every public function must have made it onto the module's page.
rm -rf build/doc
ldoc -q . >"$log/ldoc.txt" 2>&1
rc=$?
documented=1
for f in reason phrase description info name lookup class class_name \
         equivalent is_known is_valid status each register codes \
         parse_status_line format_status_line parse_reason format_reason \
         best_response required_headers to_q850 from_q850 q850_name reason_for \
         outcome q850_outcome progress_kind warning_text warning_info \
         parse_warning format_warning; do
    grep -q "name = \"$f\"" build/doc/modules/sipcodes.html 2>/dev/null ||
        { echo "ldoc: $f is not in build/doc/modules/sipcodes.html" >>"$log/ldoc.txt"; documented=0; }
done
if [ "$rc" -eq 0 ] && [ "$documented" -eq 1 ] &&
   ! grep -v -e '^reading configuration' -e '^format:' "$log/ldoc.txt" | grep -q .; then
    ok 1
else
    cat "$log/ldoc.txt"
    bad 1 "ldoc"
fi

# 7. Sanitizers, threads, valgrind, the fuzz corpus replay and the
#    allocation-failure harness: each target
#    ends with its own "name: N passed, M failed" line.
for target in test-sanitize test-threads test-valgrind test-fuzz-corpus test-alloc; do
    make -s "$target" >"$log/$target.txt" 2>&1
    rc=$?
    grep -v -e ': [0-9]* passed' -e '^cc ' -e '^clang ' -e '^ ' "$log/$target.txt" | tail -n 30
    count_summary "$log/$target.txt" "$target"
    if [ "$rc" -ne 0 ] && ! grep -qE ': [0-9]+ passed, [1-9][0-9]* failed' "$log/$target.txt"; then
        bad 1 "$target exited $rc"
    fi
done

# 8. End-to-end tests against real hosts, where present: every executable
#    tools/*-e2e.sh, each ending with its own "name: N passed, M failed"
#    line.  kamailio-e2e.sh checks the replies of a real Kamailio;
#    kamailio-failover-e2e.sh (about 20 s) checks kam.failover in a real
#    Kamailio in front of SIPp gateways; wireshark-e2e.sh (about 5 s) runs
#    examples/wireshark/sipcodes-calls.lua in tshark over written captures.
for e2e in tools/*-e2e.sh; do
    [ -x "$e2e" ] || continue
    name=$(basename "$e2e" .sh)
    "$e2e" >"$log/$name.txt" 2>&1
    tail -n 30 "$log/$name.txt" | grep -v ': [0-9]* passed' || true
    count_summary "$log/$name.txt" "$name"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
