#!/bin/sh
# deps.sh demo|test|e2e|wireshark|doc - install the Debian packages a target
# needs and that this machine lacks, saying what it installs.  Everything
# sipcodes needs on a fresh Debian machine is listed here and nowhere else.
set -eu

build="make gcc libc6-dev"
demo="$build lua5.4 liblua5.4-dev"
e2e="$build lua5.1 liblua5.1-0-dev kamailio kamailio-lua-modules sipsak sip-tester lua-socket"
# tshark embeds Lua 5.2 (tools/wireshark-e2e.sh builds the module for it);
# locales holds the de_DE source its comma-locale check gives localedef.
wireshark="$build lua5.2 liblua5.2-dev tshark locales"
# make doc: LDoc, and the markdown it renders with (lua-discount; without
# it LDoc falls back to plain text, raw backticks and all).
doc="lua-ldoc lua-discount"
# Everything make test runs, so that it skips nothing (tools/run-tests.sh
# fails on a skipped test).  What a test would otherwise skip or fail
# without: lua5.3 (the FreeSWITCH 1.10 check of spec/freeswitch_spec.lua),
# locales (localedef -i de_DE in spec/exact_spec.lua and
# tools/wireshark-e2e.sh), tshark (tools/wireshark-e2e.sh), man-db (the
# man page check of spec/cli_spec.lua), procps (pgrep: run-tests.sh's check
# that no Kamailio is left running), git (make rock in
# tools/install-check.sh).
test="$build lua5.1 lua5.2 lua5.3 lua5.4 luajit liblua5.1-0-dev liblua5.2-dev
      liblua5.3-dev liblua5.4-dev libluajit-5.1-dev lua-busted lua-check
      luarocks lua-ldoc lua-discount valgrind clang libclang-rt-dev locales
      man-db procps git $e2e $wireshark"

case "${1:-}" in
demo) want=$demo ;;
test) want=$test ;;
e2e) want=$e2e ;;
wireshark) want=$wireshark ;;
doc) want=$doc ;;
*) echo "usage: $0 demo|test|e2e|wireshark|doc" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing Debian packages:$missing"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
        echo "deps: not root and no sudo; install them by hand:$missing" >&2
        exit 1
    }
    sudo=sudo
fi
# No questions: sudo drops the environment, so the frontend goes on the
# command line.  wireshark-common asks whether non-root users may capture
# (a setuid/capabilities dumpcap); the answer is no, the tests read files.
apt="env DEBIAN_FRONTEND=noninteractive apt-get"
case " $missing " in
*" tshark "*)
    echo "wireshark-common wireshark-common/install-setuid boolean false" |
        $sudo debconf-set-selections ;;
esac
# Debian's kamailio package starts and enables kamailio.service on
# install.  The tests run their own Kamailio on 127.0.0.1 and must leave no
# system service behind: while apt runs, a policy-rc.d (the hook that
# invoke-rc.d and deb-systemd-invoke ask) refuses every service start, and
# afterwards the unit the package enabled is disabled again.  A policy-rc.d
# that was there before (Docker images ship one) is left as it was.
policy=/usr/sbin/policy-rc.d
own_policy=""
case " $missing " in
*" kamailio "*)
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# tools/deps.sh (sipcodes): no service starts during its install\nexit 101\n' |
            $sudo tee "$policy" >/dev/null
        $sudo chmod 0755 "$policy"
        own_policy=$policy
        # dash runs no EXIT trap when a signal ends it: INT, TERM and HUP
        # remove the file too, or it would block every service start after.
        trap '$sudo rm -f "$own_policy"' EXIT
        trap '$sudo rm -f "$own_policy"; exit 130' INT
        trap '$sudo rm -f "$own_policy"; exit 143' TERM
        trap '$sudo rm -f "$own_policy"; exit 129' HUP
    fi ;;
esac
# shellcheck disable=SC2086 # $apt and $missing are word lists
$sudo $apt update -qq
# shellcheck disable=SC2086
$sudo $apt install -y -qq --no-install-recommends $missing >/dev/null
if [ -n "$own_policy" ]; then
    $sudo rm -f "$own_policy"
    trap - EXIT INT TERM HUP
fi
case " $missing " in
*" kamailio "*)
    [ -z "$own_policy" ] || echo "deps: kamailio.service was not started (policy-rc.d during the install)"
    if [ -d /run/systemd/system ]; then
        $sudo systemctl disable --now --quiet kamailio.service 2>/dev/null || true
        echo "deps: kamailio.service disabled: the tests run their own Kamailio" \
             "(systemctl enable --now kamailio undoes this)"
    fi ;;
esac
echo "deps: done"
