#!/bin/sh
# install-dirs.sh - the directories that make install made, so that make
# uninstall removes those, once empty, and never one that was there before
# (a fresh Debian has an empty /usr/local/bin: it must stay).
#
#   install-dirs.sh make RECORD DIR...
#       make each DIR with its parents, and add to RECORD every directory
#       that did not exist before (RECORD's own directory too, made first).
#   install-dirs.sh prune RECORD [--last] DIR...
#       rmdir each DIR, then its parents, while the directory is empty and
#       RECORD lists it, and drop what was removed from RECORD.  --last
#       (no version is left installed): also RECORD and, the same way, its
#       directories.
#
# One RECORD serves every Lua version installed under a prefix
# ($(INST_PREFIX)/share/sipcodes/installed-dirs, or for a DESTDIR install
# build/install-records/<DESTDIR and prefix> in the checkout): a directory that one
# version made and another still uses (bin/, man1/) stays listed until the
# last of them is removed.  One path per line.
set -eu

# The directories from $1 up that do not exist, deepest first.
missing() {
    p=$1
    while [ ! -d "$p" ]; do
        printf '%s\n' "$p"
        up=$(dirname "$p")
        [ "$up" != "$p" ] || break
        p=$up
    done
}

# Remove $1 and its parents while empty and listed in the record; the
# record file is rewritten without them.
prune_up() {
    p=$1
    while [ -f "$record" ] && grep -qxF -- "$p" "$record" && rmdir -- "$p" 2>/dev/null; do
        echo "rmdir $p"
        grep -vxF -- "$p" "$record" >"$record.new" || true
        mv -- "$record.new" "$record"
        p=$(dirname "$p")
    done
}

cmd=${1:-}
record=${2:-}
if [ -z "$cmd" ] || [ -z "$record" ]; then
    echo "usage: $0 make|prune RECORD [--last] DIR..." >&2
    exit 2
fi
shift 2

case $cmd in
make)
    rdir=$(dirname "$record")
    made=$(missing "$rdir")
    mkdir -p -- "$rdir"
    for d in "$@"; do
        made="$made
$(missing "$d")"
        mkdir -p -- "$d"
    done
    [ -f "$record" ] || : >"$record"
    printf '%s\n' "$made" | grep . >>"$record" || true
    sort -u -o "$record" "$record"
    ;;
prune)
    last=no
    if [ "${1:-}" = --last ]; then last=yes; shift; fi
    [ -f "$record" ] || echo "install-dirs: no record $record (removed, or from another checkout): the directories stay"
    for d in "$@"; do prune_up "$d"; done
    if [ "$last" = yes ] && [ -f "$record" ]; then
        # What is left of the record names directories still in use by
        # nothing of ours: the record's own directory chain goes last.
        rest=$(cat "$record")
        rm -f -- "$record"
        rdir=$(dirname "$record")
        p=$rdir
        while printf '%s\n' "$rest" | grep -qxF -- "$p" && rmdir -- "$p" 2>/dev/null; do
            echo "rmdir $p"
            p=$(dirname "$p")
        done
    fi
    ;;
*)
    echo "usage: $0 make|prune RECORD [--last] DIR..." >&2
    exit 2
    ;;
esac
