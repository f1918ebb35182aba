# e2e-common.sh - what the end-to-end tests (tools/*-e2e.sh) share: their
# counters and the TAP-like lines they print.  Sourced after the script has
# set e2e_name and changed to the checkout's root:
#   ok - what passed
#   not ok - what failed, with the evidence indented below
#   skipped - what could not run here
# and at the end, from finish, the one line tools/run-tests.sh adds up:
#   <e2e_name>: N passed, M failed[, K skipped]
# finish exits, non-zero when anything failed.
passed=0
failed=0
skipped=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() {
    failed=$((failed + 1))
    echo "not ok - $1"
    if [ -n "${2:-}" ]; then printf '%s\n' "$2" | sed 's/^/    /'; fi
}
skip() { skipped=$((skipped + 1)); echo "skipped - $1"; }
finish() {
    if [ "$skipped" -gt 0 ]; then
        echo "$e2e_name: $passed passed, $failed failed, $skipped skipped"
    else
        echo "$e2e_name: $passed passed, $failed failed"
    fi
    [ "$failed" -eq 0 ]
    exit $?
}
