#!/bin/sh
# run-tests.sh - everything `make test` runs, on every interpreter, summed
# into one closing line "N passed, N failed, N skipped".  Exits non-zero on
# any failure, and on any skipped test too: `make test` runs tools/deps.sh
# test first, which installs what every test needs, so on a machine it
# could set up nothing is skipped; a skip is listed with its reason at the
# end.  Called by `make test` after tools/deps.sh.
set -u
cd "$(dirname "$0")/.." || exit 2

versions=${SIPCODES_LUA_VERSIONS:-"5.1 5.2 5.3 5.4 jit"}
passed=0
failed=0
skipped=0
log=build/test-logs
mkdir -p "$log"
# What was skipped, one line each ("<runner>: <what and why>"), shown at
# the end.
skips="$log/skipped.txt"
: >"$skips"
# What was running before the tests: kamailio processes and, on a systemd
# machine, whether kamailio.service was active.  The tests start their own
# Kamailio and must leave neither more processes nor a service behind
# (checked at the end).
if command -v pgrep >/dev/null 2>&1; then
    pgrep -x kamailio | sort >"$log/kamailio-before.txt"
else
    echo "FAILED: no pgrep (procps: tools/deps.sh test installs it)"
    echo nopgrep >"$log/kamailio-before.txt"
fi
service_before=inactive
if [ -d /run/systemd/system ] && systemctl is-active --quiet kamailio.service 2>/dev/null; then
    service_before=active
fi

ok() { passed=$((passed + $1)); }
bad() { failed=$((failed + $1)); echo "FAILED: $2"; }
skip() { # count label file-of-reasons
    skipped=$((skipped + $1))
    echo "SKIPPED: $1 in $2"
    sed "s|^|$2: |" "$3" >>"$skips"
}

# Add every "<name>: N passed, M failed" or "<name>: N passed, M failed,
# K skipped" line of a runner's output to the sums; a runner that printed
# none has failed.  The reasons of its skips are its lines "skipped - why"
# (tools/e2e-common.sh) or "<name>: skipped: why".
count_summary() { # file label
    lines=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?' "$1")
    if [ -z "$lines" ]; then
        bad 1 "$2 (no summary line; see $1)"
        return
    fi
    p=$(echo "$lines" | sed -E 's/.*: ([0-9]+) passed.*/\1/' | awk '{ s += $1 } END { print s }')
    f=$(echo "$lines" | sed -E 's/.* ([0-9]+) failed.*/\1/' | awk '{ s += $1 } END { print s }')
    k=$(echo "$lines" | sed -E -e 's/.* failed, ([0-9]+) skipped.*/\1/' -e t -e 's/.*/0/' |
        awk '{ s += $1 } END { print s }')
    ok "$p"
    [ "$f" -eq 0 ] || bad "$f" "$2"
    if [ "$k" -gt 0 ]; then
        grep -E -e '^skipped - ' -e '^[A-Za-z0-9_.-]+: skipped: ' "$1" |
            sed -E -e 's/^skipped - //' -e 's/^[A-Za-z0-9_.-]+: skipped: //' >"$log/reasons.txt"
        [ -s "$log/reasons.txt" ] || echo "(no reason given; see $1)" >"$log/reasons.txt"
        skip "$k" "$2" "$log/reasons.txt"
    fi
}

# 1. Build the module for every interpreter (a build failure is a failure),
#    with the warnings as errors (WERROR=-Werror; a plain `make` is
#    without).  A build left by a user's make, with other flags, is not
#    taken for this one: build/<v>/compile-flags differs, so make rebuilds.  spec/freeswitch_spec.lua runs the FreeSWITCH
#    example under lua5.3 against build/5.3, whichever interpreter runs the
#    suite: that build is made too when 5.3 is not among the versions.
builds=$versions
case " $versions " in *" 5.3 "*) ;; *) builds="$builds 5.3" ;; esac
for v in $builds; do
    if make -s LUA_VERSION="$v" WERROR=-Werror >"$log/build-$v.txt" 2>&1; then
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
        rc=$?
        grep -v ': [0-9]* passed' "$log/$(basename "$t").txt" || true
        count_summary "$log/$(basename "$t").txt" "$t"
        # A test that printed its summary and then crashed or exited
        # non-zero has failed, whatever the summary said.
        [ "$rc" -eq 0 ] || bad 1 "$t exited $rc"
    else
        cat "$log/$(basename "$t").build.txt"
        bad 1 "build of $t"
    fi
done

# 3. The busted suite on each interpreter, counted from its TAP output.
#    busted prints a pending test as "ok N - # SKIP <its message>": it is
#    counted as skipped, not as passed.
for v in $versions; do
    if [ "$v" = jit ]; then lua=luajit; else lua=lua$v; fi
    out="$log/busted-$v.txt"
    busted --lua="$lua" --cpath="build/$v/?.so" -o TAP >"$out" 2>&1
    rc=$?
    grep -E '^ok [0-9]+ - # SKIP ' "$out" | sed -E 's/^ok [0-9]+ - # SKIP //' >"$log/reasons.txt"
    k=$(wc -l <"$log/reasons.txt")
    p=$(($(grep -c '^ok ' "$out") - k))
    f=$(grep -c '^not ok ' "$out")
    ok "$p"
    if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ] || [ "$p" -eq 0 ]; then
        grep -A12 '^not ok ' "$out" | head -n 80
        [ "$f" -ne 0 ] || f=1
        bad "$f" "busted on $lua (see $out)"
    fi
    [ "$k" -eq 0 ] || skip "$k" "busted on $lua" "$log/reasons.txt"
    echo "busted $lua: $p passed, $f failed, $k skipped" | sed 's/^/  /'
done

# 4. luacheck over every Lua file of the project.
if luacheck -q . >"$log/luacheck.txt" 2>&1; then
    ok 1
else
    cat "$log/luacheck.txt"
    bad 1 "luacheck"
fi

# 5. The install paths, each into scratch trees (tools/install-check.sh,
#    about 50 s): make install and make uninstall of 5.1, 5.4 and LuaJIT,
#    luarocks make and luarocks remove for 5.1 and 5.4, make rock (luarocks
#    pack) installed offline on another version with the demo run from
#    there, the compiler flags, and that core.so exports
#    luaopen_sipcodes_core only.  Ends with its own summary line.
tools/install-check.sh >"$log/install-check.txt" 2>&1
rc=$?
grep -v -e '^ok - ' -e ': [0-9]* passed' "$log/install-check.txt" | tail -n 60
count_summary "$log/install-check.txt" install-check
[ "$rc" -eq 0 ] || bad 1 "install-check exited $rc"

# 6. The manual builds with `make doc` (LDoc, rendering its markdown with
#    lua-discount) without a warning: make doc leaves out ldoc's two lines
#    of chatter and shows anything else it says, so its output must be
#    just the closing "manual: build/doc/index.html" (never "markdown not
#    found" or "falling back to text"), and every module page and guide
#    must be there.  What the pages hold (every public function on each
#    module page, the examples, the code blocks of the guides, no raw
#    markdown) is checked by spec/manual_spec.lua in the busted runs of 3.
make -s doc >"$log/ldoc.txt" 2>&1
rc=$?
pages_ok=1
for p in index.html modules/sipcodes.html modules/sipcodes.kamailio.html \
         modules/sipcodes.freeswitch.html modules/sipcodes.policy.html modules/sipcodes.kpi.html \
         topics/getting-started.md.html topics/kamailio.md.html topics/freeswitch.md.html \
         topics/routing.md.html topics/outcomes.md.html; do
    [ -s "build/doc/$p" ] ||
        { echo "ldoc: build/doc/$p is missing" >>"$log/ldoc.txt"; pages_ok=0; }
done
if [ "$rc" -eq 0 ] && [ "$pages_ok" -eq 1 ] &&
   ! grep -v -x 'manual: build/doc/index.html' "$log/ldoc.txt" | grep -q . &&
   ! grep -q -i -e 'not found' -e 'falling back' "$log/ldoc.txt"; then
    ok 1
else
    cat "$log/ldoc.txt"
    bad 1 "ldoc (make doc)"
fi

# 7. Sanitizers, threads, valgrind, the fuzz corpus replay and the
#    allocation-failure harness: each target
#    ends with its own "name: N passed, M failed[, K skipped]" line.
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
#    line, and ", K skipped" when it skipped a check (tools/e2e-common.sh).
#    kamailio-e2e.sh checks the replies of a real Kamailio;
#    kamailio-failover-e2e.sh (about 20 s) checks kam.failover in a real
#    Kamailio in front of SIPp gateways; wireshark-e2e.sh (about 5 s) runs
#    examples/wireshark/sipcodes-calls.lua in tshark over written captures.
for e2e in tools/*-e2e.sh; do
    name=$(basename "$e2e" .sh)
    if [ ! -x "$e2e" ]; then
        bad 1 "$e2e is not executable (chmod +x, and commit the mode)"
        continue
    fi
    "$e2e" >"$log/$name.txt" 2>&1
    rc=$?
    tail -n 30 "$log/$name.txt" | grep -v ': [0-9]* passed' || true
    count_summary "$log/$name.txt" "$name"
    [ "$rc" -eq 0 ] || bad 1 "$name exited $rc"
done

# 9. Nothing left running: no kamailio process the tests started, and no
#    kamailio.service that tools/deps.sh's install of Debian's kamailio
#    started (it keeps the service stopped and disabled).
#    A Kamailio's children may take a moment to follow their main process:
#    up to 5 s.
if ! command -v pgrep >/dev/null 2>&1; then
    bad 1 "no pgrep: cannot check that no kamailio is left running (install procps)"
fi
i=0
left=""
while command -v pgrep >/dev/null 2>&1; do
    left=$(pgrep -x kamailio | sort | comm -13 "$log/kamailio-before.txt" - | tr '\n' ' ')
    if [ -z "$left" ] || [ $i -ge 50 ]; then break; fi
    sleep 0.1
    i=$((i + 1))
done
if ! command -v pgrep >/dev/null 2>&1; then
    : # failed above
elif [ -n "${left% }" ]; then
    bad 1 "kamailio processes left running by the tests: ${left% }"
else
    ok 1
fi
if [ "$service_before" = inactive ] && [ -d /run/systemd/system ] &&
   systemctl is-active --quiet kamailio.service 2>/dev/null; then
    bad 1 "kamailio.service is running (systemctl disable --now kamailio; tools/deps.sh keeps it stopped)"
fi

if [ "$skipped" -gt 0 ]; then
    echo "Skipped (install what they need: tools/deps.sh test):"
    sed 's/^/  /' "$skips"
fi
rm -f "$log/reasons.txt"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ]
