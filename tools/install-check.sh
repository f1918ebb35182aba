#!/bin/sh
# install-check.sh - every way sipcodes gets installed, each into scratch
# trees (mktemp -d), with the files each leaves compared to literal lists:
#   - make install of Lua 5.1 then 5.4 into one DESTDIR and PREFIX, the
#     installed commands run from the staging tree with a PATH whose `lua`
#     is Lua 5.2 (a wrapper that logs its use), then make uninstall of 5.4
#     and of 5.1; a directory that held other files before stays, and so
#     does an empty one that was there before the install; LuaJIT
#     and 5.1, which share the module dirs, uninstalled one at a time;
#   - luarocks make for 5.1 and 5.4 into one tree from a copy of the
#     tracked files, luarocks remove of 5.4;
#   - make rock (luarocks pack on Lua 5.4), the source rock installed
#     offline for Lua 5.1, and examples/demo.lua from that tree;
#   - CC, CPPFLAGS, CFLAGS and LDFLAGS from the environment reach the
#     compiler, a user's build has no -Werror and the test builds have it;
#   - luaopen_sipcodes_core is the one symbol core.so exports.
# Ends with "install-check: N passed, M failed[, K skipped]"
# (tools/e2e-common.sh), as tools/run-tests.sh adds it up.  Uses the
# checkout's build/5.1, build/5.4 and build/jit (made when missing) for
# make install; LuaRocks builds its own.  About 50 s.
set -u
cd "$(dirname "$0")/.." || exit 2
e2e_name="install-check"
# shellcheck source=tools/e2e-common.sh
. tools/e2e-common.sh
top=$(pwd)

root=$(mktemp -d) || exit 2
trap 'rm -rf "$root"' EXIT
trap 'exit 1' INT TERM
logs=$root/logs
mkdir -p "$logs"
# Any download attempt fails at once: everything here works offline.
no_net="env http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 all_proxy=http://127.0.0.1:9"

# The files (and symlinks) under a tree, relative to it, one a line.
listing() { (cd "$1" && find . -mindepth 1 \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort); }
# check_list label dir "expected lines": the tree holds exactly those files
# and no empty directory.
check_list() {
    listing "$2" >"$root/got.txt"
    printf '%s\n' "$3" | sed '/^$/d' | LC_ALL=C sort >"$root/want.txt"
    empty=$(cd "$2" && find . -mindepth 1 -type d -empty)
    if cmp -s "$root/got.txt" "$root/want.txt" && [ -z "$empty" ]; then
        pass "$1"
    else
        fail "$1" "$(diff "$root/want.txt" "$root/got.txt"; [ -z "$empty" ] || echo "empty: $empty")"
    fi
}
# The Lua files of one module tree: sipcodes.lua and sipcodes/*.lua.
lua_files() { # dir
    for f in sipcodes.lua sipcodes/freeswitch.lua sipcodes/kamailio.lua sipcodes/kpi.lua \
             sipcodes/memo.lua sipcodes/policy.lua; do
        echo "$1/$f"
    done
}
# A `lua` on PATH that is another version (5.2) and logs every use.
mkdir -p "$root/path"
cat >"$root/path/lua" <<EOF
#!/bin/sh
echo "lua \$*" >>"$root/lua-on-path.log"
exec /usr/bin/lua5.2 "\$@"
EOF
chmod +x "$root/path/lua"
# Run a command as a user would: elsewhere, with that PATH, no LUA_PATH.
as_user() {
    (cd / && env -u LUA_PATH -u LUA_CPATH -u LUA_INIT -u LUA_PATH_5_2 -u LUA_CPATH_5_2 \
        -u LUA_PATH_5_3 -u LUA_CPATH_5_3 -u LUA_PATH_5_4 -u LUA_CPATH_5_4 \
        PATH="$root/path:/usr/bin:/bin" "$@" 2>&1)
}
# check_486 label command...: its first line is the literal one.
check_486() {
    label=$1
    shift
    rm -f "$root/lua-on-path.log"
    out=$(as_user "$@")
    first=$(printf '%s\n' "$out" | head -n 1)
    if [ "$first" = "486 Busy Here" ] && [ ! -e "$root/lua-on-path.log" ]; then
        pass "$label"
    else
        fail "$label" "$out$( [ ! -e "$root/lua-on-path.log" ] || { echo; echo "ran the lua on PATH:"; cat "$root/lua-on-path.log"; })"
    fi
}
# check_exports label core.so
check_exports() {
    syms=$(nm -D --defined-only "$2" 2>&1 | awk '{ print $3 }')
    if [ "$syms" = luaopen_sipcodes_core ]; then pass "$1"; else fail "$1" "$syms"; fi
}
# mk label logname make-arguments...: make, quiet, its output kept.
mk() {
    label=$1
    log=$logs/$2.txt
    shift 2
    if make -s "$@" >"$log" 2>&1; then pass "$label"; else fail "$label" "$(tail -n 20 "$log")"; fi
}
# A copy of the tracked files (what a release holds).
copy_tracked() { # dir
    mkdir -p "$1"
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files -z | tar --null -T - -cf - | tar -C "$1" -xf -
    else
        tar --exclude=./build -cf - . | tar -C "$1" -xf -
    fi
}

# ---- make install / make uninstall ---------------------------------------
stage=$root/stage
P=opt/sipcodes
mkdir -p "$stage"
mk "make install LUA_VERSION=5.1 PREFIX=/$P DESTDIR=<stage>" install-5.1 \
    install LUA_VERSION=5.1 PREFIX=/$P DESTDIR="$stage"
check_list "make install 5.1: 5.1's files" "$stage" "
$P/bin/sipcodes
$P/bin/sipcodes-5.1
$P/lib/lua/5.1/sipcodes/core.so
$(lua_files $P/share/lua/5.1)
$P/share/man/man1/sipcodes.1"
# A staged install keeps its record of the directories it made in the
# checkout's build/, not in the staging tree (which becomes a package).
record=$top/build/install-records/$(printf '%s' "$stage/$P" | tr / %)
if [ "$(cat "$record" 2>/dev/null)" = "$(printf '%s\n' "$stage/opt" "$stage/$P" \
      "$stage/$P/bin" "$stage/$P/lib" "$stage/$P/lib/lua" "$stage/$P/lib/lua/5.1" \
      "$stage/$P/lib/lua/5.1/sipcodes" "$stage/$P/share" "$stage/$P/share/lua" \
      "$stage/$P/share/lua/5.1" "$stage/$P/share/lua/5.1/sipcodes" "$stage/$P/share/man" \
      "$stage/$P/share/man/man1" | LC_ALL=C sort)" ]; then
    pass "make install 5.1: the record (in build/) lists the directories it made"
else
    fail "make install 5.1: the record (in build/) lists the directories it made" "$(cat "$record")"
fi
check_486 "sipcodes-5.1 from the staging tree, lua on PATH 5.2, only 5.1's core.so there" \
    "$stage/$P/bin/sipcodes-5.1" 486
check_486 "sipcodes (5.1's) from the staging tree, lua on PATH 5.2" "$stage/$P/bin/sipcodes" 486

mk "make install LUA_VERSION=5.4, same PREFIX and DESTDIR" install-5.4 \
    install LUA_VERSION=5.4 PREFIX=/$P DESTDIR="$stage"
both="
$P/bin/sipcodes
$P/bin/sipcodes-5.1
$P/bin/sipcodes-5.4
$P/lib/lua/5.1/sipcodes/core.so
$P/lib/lua/5.4/sipcodes/core.so
$(lua_files $P/share/lua/5.1)
$(lua_files $P/share/lua/5.4)
$P/share/man/man1/sipcodes.1"
check_list "make install 5.1 then 5.4: both versions' files" "$stage" "$both"
if cmp -s "$stage/$P/bin/sipcodes" "$stage/$P/bin/sipcodes-5.4" &&
   ! cmp -s "$stage/$P/bin/sipcodes" "$stage/$P/bin/sipcodes-5.1"; then
    pass "sipcodes is 5.4's copy, the last installed"
else
    fail "sipcodes is 5.4's copy, the last installed"
fi
for v in 5.1 5.4; do
    if grep -qx "lua=\"/usr/bin/lua$v\"" "$stage/$P/bin/sipcodes-$v" &&
       grep -qx "local LUADIR, LIBDIR = \"../share/lua/$v\", \"../lib/lua/$v\"" "$stage/$P/bin/sipcodes-$v" &&
       ! grep -q -e @LUA@ -e @LUADIR@ -e @LIBDIR@ "$stage/$P/bin/sipcodes-$v"; then
        pass "sipcodes-$v: /usr/bin/lua$v and the relative module dirs filled in"
    else
        fail "sipcodes-$v: /usr/bin/lua$v and the relative module dirs filled in" \
            "$(grep -n -e '^lua=' -e 'LUADIR, LIBDIR' "$stage/$P/bin/sipcodes-$v")"
    fi
done
for c in sipcodes sipcodes-5.1 sipcodes-5.4; do
    check_486 "$c from the staging tree, lua on PATH 5.2" "$stage/$P/bin/$c" 486
done
# A symlink to the installed command (into ~/bin, say) finds the modules
# beside the real file.
mkdir -p "$root/links" && ln -sf "$stage/$P/bin/sipcodes-5.4" "$root/links/sipcodes"
check_486 "a symlink to sipcodes-5.4 elsewhere, lua on PATH 5.2" "$root/links/sipcodes" 486
check_exports "make install 5.4: core.so exports luaopen_sipcodes_core only" \
    "$stage/$P/lib/lua/5.4/sipcodes/core.so"

mk "make uninstall LUA_VERSION=5.4" uninstall-5.4 \
    uninstall LUA_VERSION=5.4 PREFIX=/$P DESTDIR="$stage"
check_list "make uninstall 5.4: exactly 5.1's files left (sipcodes was 5.4's)" "$stage" "
$P/bin/sipcodes-5.1
$P/lib/lua/5.1/sipcodes/core.so
$(lua_files $P/share/lua/5.1)
$P/share/man/man1/sipcodes.1"
check_486 "sipcodes-5.1 after the uninstall of 5.4" "$stage/$P/bin/sipcodes-5.1" 486
mk "make uninstall LUA_VERSION=5.1" uninstall-5.1 \
    uninstall LUA_VERSION=5.1 PREFIX=/$P DESTDIR="$stage"
left=$(cd "$stage" && find . -mindepth 1)
if [ -d "$stage" ] && [ -z "$left" ]; then pass "make uninstall 5.1: nothing left in the staging tree"; else
    fail "make uninstall 5.1: nothing left in the staging tree" "$left"; fi

# The other order: uninstalling 5.1 leaves 5.4's sipcodes and the man page;
# a directory that held other files before the install stays, with them.
stage=$root/stage-other
mkdir -p "$stage/$P/bin"
echo other >"$stage/$P/bin/other-tool"
mk "make install LUA_VERSION=5.1 beside another tool" install-other-5.1 \
    install LUA_VERSION=5.1 PREFIX=/$P DESTDIR="$stage"
mk "make install LUA_VERSION=5.4 beside another tool" install-other-5.4 \
    install LUA_VERSION=5.4 PREFIX=/$P DESTDIR="$stage"
mk "make uninstall LUA_VERSION=5.1 first" uninstall-other-5.1 \
    uninstall LUA_VERSION=5.1 PREFIX=/$P DESTDIR="$stage"
check_list "make uninstall 5.1 first: 5.4's files, its sipcodes and the man page stay" "$stage" "
$P/bin/other-tool
$P/bin/sipcodes
$P/bin/sipcodes-5.4
$P/lib/lua/5.4/sipcodes/core.so
$(lua_files $P/share/lua/5.4)
$P/share/man/man1/sipcodes.1"
check_486 "sipcodes (5.4's) after the uninstall of 5.1" "$stage/$P/bin/sipcodes" 486
mk "make uninstall LUA_VERSION=5.4 beside another tool" uninstall-other-5.4 \
    uninstall LUA_VERSION=5.4 PREFIX=/$P DESTDIR="$stage"
check_list "make uninstall: the other tool and its bin/ stay, nothing else" "$stage" "$P/bin/other-tool"

# Empty directories that were there before (a fresh Debian's /usr/local/bin
# and /usr/local/share/man/man1 are empty) stay after the last uninstall.
stage=$root/stage-empty
mkdir -p "$stage/$P/bin" "$stage/$P/share/man/man1" "$stage/$P/lib"
mk "make install LUA_VERSION=5.4 over empty bin/, man1/, lib/" install-empty \
    install LUA_VERSION=5.4 PREFIX=/$P DESTDIR="$stage"
mk "make uninstall LUA_VERSION=5.4 over empty bin/, man1/, lib/" uninstall-empty \
    uninstall LUA_VERSION=5.4 PREFIX=/$P DESTDIR="$stage"
left=$(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' ')
if [ "$left" = "./opt ./$P ./$P/bin ./$P/lib ./$P/share ./$P/share/man ./$P/share/man/man1 " ]; then
    pass "make uninstall: the empty directories that were there before stay, no other"
else
    fail "make uninstall: the empty directories that were there before stay, no other" "$left"
fi

# A real install (no DESTDIR) keeps the record in the prefix, and the last
# uninstall takes the directories it made and only those: bin/, which was
# there and empty, stays.
live=$root/live/sipcodes
mkdir -p "$live/bin"
mk "make install LUA_VERSION=5.4 PREFIX=<live> (no DESTDIR)" install-live \
    install LUA_VERSION=5.4 PREFIX="$live"
check_list "make install PREFIX=<live>: the files and the record in the prefix" "$live" "
bin/sipcodes
bin/sipcodes-5.4
lib/lua/5.4/sipcodes/core.so
$(lua_files share/lua/5.4)
share/man/man1/sipcodes.1
share/sipcodes/installed-dirs"
check_486 "sipcodes-5.4 from <live>, lua on PATH 5.2" "$live/bin/sipcodes-5.4" 486
mk "make uninstall LUA_VERSION=5.4 PREFIX=<live>" uninstall-live \
    uninstall LUA_VERSION=5.4 PREFIX="$live"
left=$(cd "$root/live" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' ')
if [ "$left" = "./sipcodes ./sipcodes/bin " ]; then
    pass "make uninstall PREFIX=<live>: only the directories that were there before stay"
else
    fail "make uninstall PREFIX=<live>: only the directories that were there before stay" "$left"
fi

# Paths with white space are refused before anything is written or removed.
echo precious >"$root/keep"
if make -s uninstall LUA_VERSION=5.4 PREFIX="$root/keep me" >"$logs/space.txt" 2>&1 ||
   make -s install LUA_VERSION=5.4 DESTDIR="$root/sp ace" >>"$logs/space.txt" 2>&1; then
    fail "make install/uninstall refuse paths with white space" "$(cat "$logs/space.txt")"
elif [ "$(cat "$root/keep")" = precious ] && [ ! -e "$root/sp" ] && [ ! -e "$top/ace" ] &&
     grep -q "PREFIX holds white space" "$logs/space.txt" && grep -q "DESTDIR holds white space" "$logs/space.txt"; then
    pass "make install/uninstall refuse paths with white space, touching nothing"
else
    fail "make install/uninstall refuse paths with white space, touching nothing" "$(cat "$logs/space.txt")"
fi

# LuaJIT's modules live in 5.1's dirs: uninstalling jit keeps them for 5.1.
stage=$root/stage-jit
mkdir -p "$stage"
mk "make install LUA_VERSION=5.1 and jit (default PREFIX)" install-jit \
    install LUA_VERSION=5.1 DESTDIR="$stage"
mk "make install LUA_VERSION=jit" install-jit2 install LUA_VERSION=jit DESTDIR="$stage"
mk "make uninstall LUA_VERSION=jit" uninstall-jit uninstall LUA_VERSION=jit DESTDIR="$stage"
check_list "make uninstall jit: 5.1's files stay" "$stage" "
usr/local/bin/sipcodes-5.1
usr/local/lib/lua/5.1/sipcodes/core.so
$(lua_files usr/local/share/lua/5.1)
usr/local/share/man/man1/sipcodes.1"
check_486 "sipcodes-5.1 after the uninstall of jit" "$stage/usr/local/bin/sipcodes-5.1" 486
mk "make uninstall LUA_VERSION=5.1 after jit" uninstall-jit3 uninstall LUA_VERSION=5.1 DESTDIR="$stage"
check_list "make uninstall 5.1 after jit: nothing left" "$stage" ""

# ---- LuaRocks: luarocks make, luarocks remove ----------------------------
src=$root/src
tree=$root/tree
copy_tracked "$src"
for v in 5.1 5.4; do
    if (cd "$src" && $no_net luarocks --lua-version "$v" --tree "$tree" make) >"$logs/luarocks-$v.txt" 2>&1; then
        pass "luarocks make for Lua $v (a copy of the tracked files)"
    else
        fail "luarocks make for Lua $v (a copy of the tracked files)" "$(tail -n 30 "$logs/luarocks-$v.txt")"
    fi
    # LuaRocks' compiler flags, no -Werror (make prints the compile on
    # continued lines: the log as one line).
    cc_line=$(tr '\n' ' ' <"$logs/luarocks-$v.txt")
    case "$cc_line" in
    *-Werror*) fail "luarocks make $v compiles without -Werror" "$cc_line" ;;
    *"-o build/$v/sipcodes/core.so"*"-o build/$v/sipcodes/core.so"*)
        fail "luarocks make $v compiles once (its install step must not rebuild)" "$cc_line" ;;
    *"-I/usr/include/lua$v"*"-O2 -fPIC"*"-o build/$v/sipcodes/core.so"*) pass "luarocks make $v compiles with LuaRocks' LUA_INCDIR and CFLAGS, without -Werror" ;;
    *) fail "luarocks make $v compiles with LuaRocks' LUA_INCDIR and CFLAGS, without -Werror" "$cc_line" ;;
    esac
done
rocks=lib/luarocks/rocks
# Both versions: their modules, their own commands, no shared file.
check_list "luarocks make 5.1 and 5.4: the modules and sipcodes-5.1, sipcodes-5.4" "$tree/bin" "
sipcodes-5.1
sipcodes-5.4"
for v in 5.1 5.4; do
    check_list "luarocks make $v: lib/lua/$v" "$tree/lib/lua/$v" "sipcodes/core.so"
    check_list "luarocks make $v: share/lua/$v" "$tree/share/lua/$v" "$(lua_files .| sed 's|^\./||')"
    for f in docs/sipcodes.1 docs/routing.md examples/demo.lua examples/kamailio/kamailio.lua; do
        [ -f "$tree/$rocks-$v/sipcodes/0.1.0-1/$f" ] || { fail "luarocks make $v: the rock's $f"; continue; }
        pass "luarocks make $v: the rock's $f"
    done
    check_exports "luarocks make $v: core.so exports luaopen_sipcodes_core only" \
        "$tree/lib/lua/$v/sipcodes/core.so"
    check_486 "luarocks make $v: sipcodes-$v, lua on PATH 5.2" "$tree/bin/sipcodes-$v" 486
done
if $no_net luarocks --lua-version 5.4 --tree "$tree" remove sipcodes >"$logs/remove-5.4.txt" 2>&1; then
    pass "luarocks remove for Lua 5.4"
else
    fail "luarocks remove for Lua 5.4" "$(tail -n 20 "$logs/remove-5.4.txt")"
fi
check_list "luarocks remove 5.4: sipcodes-5.1 stays" "$tree/bin" "sipcodes-5.1"
for d in lib/lua/5.4 share/lua/5.4 $rocks-5.4/sipcodes; do
    if [ -e "$tree/$d" ]; then fail "luarocks remove 5.4: no $d" "$(ls -R "$tree/$d")"; else
        pass "luarocks remove 5.4: no $d"; fi
done
check_list "luarocks remove 5.4: 5.1's modules stay" "$tree/share/lua/5.1" "$(lua_files .| sed 's|^\./||')"
check_486 "luarocks remove 5.4: sipcodes-5.1 still works" "$tree/bin/sipcodes-5.1" 486
out=$(as_user env LUA_PATH="$tree/share/lua/5.1/?.lua" LUA_CPATH="$tree/lib/lua/5.1/?.so" lua5.1 -e '
    assert(require("sipcodes").reason(486) == "Busy Here")
    assert(require("sipcodes.kamailio") and require("sipcodes.freeswitch"))
    assert(require("sipcodes.policy") and require("sipcodes.kpi") and require("sipcodes.memo"))
    print("ok")')
if [ "$out" = ok ]; then pass "luarocks remove 5.4: 5.1's modules load"; else
    fail "luarocks remove 5.4: 5.1's modules load" "$out"; fi

# ---- make rock: luarocks pack, offline install on another version ---------
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    rock=$root/rock/sipcodes-0.1.0-1.src.rock
    mk "make rock (luarocks pack on Lua 5.4)" rock rock ROCK_DIR="$root/rock" \
        LUAROCKS="$no_net luarocks --lua-version 5.4"
    if [ -f "$rock" ] && unzip -l "$rock" >"$logs/rock-list.txt" 2>&1 &&
       grep -q ' sipcodes-0.1.0-1.rockspec$' "$logs/rock-list.txt" &&
       grep -q ' sipcodes-0.1.0.tar.gz$' "$logs/rock-list.txt"; then
        pass "the source rock holds the rockspec and the sources"
    else
        fail "the source rock holds the rockspec and the sources" "$(cat "$logs/rock-list.txt" 2>&1)"
    fi
    tree=$root/rock-tree
    if (cd "$root" && $no_net luarocks --lua-version 5.1 --tree "$tree" install "$rock") \
           >"$logs/rock-install.txt" 2>&1; then
        pass "luarocks install of the source rock for Lua 5.1, offline"
    else
        fail "luarocks install of the source rock for Lua 5.1, offline" "$(tail -n 30 "$logs/rock-install.txt")"
    fi
    demo=$tree/$rocks-5.1/sipcodes/0.1.0-1/examples/demo.lua
    if [ -f "$demo" ]; then
        as_user env LUA_PATH="$tree/share/lua/5.1/?.lua" LUA_CPATH="$tree/lib/lua/5.1/?.so" \
            lua5.1 "$demo" >"$root/demo-got.txt"
        rc=$?
        # What the demo's "--> " comments say it prints.
        sed -n 's/^print(.*--> //p' "$demo" >"$root/demo-want.txt"
        if [ "$rc" -eq 0 ] && [ "$(wc -l <"$root/demo-want.txt")" -ge 10 ] &&
           cmp -s "$root/demo-got.txt" "$root/demo-want.txt"; then
            pass "examples/demo.lua from the rock's tree prints what its comments say"
        else
            fail "examples/demo.lua from the rock's tree prints what its comments say" \
                "rc=$rc; $(diff "$root/demo-want.txt" "$root/demo-got.txt")"
        fi
    else
        fail "the rock installed examples/demo.lua" "$(ls "$tree/$rocks-5.1/sipcodes/0.1.0-1" 2>&1)"
    fi
    check_486 "the source rock's sipcodes-5.1" "$tree/bin/sipcodes-5.1" 486
else
    skip "make rock: packs a git checkout's tracked files, and this is none"
fi

# ---- compiler flags ----------------------------------------------------------
# A CC that records its arguments and makes the output file.
cat >"$root/cc" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$root/cc-args.txt"
while [ \$# -gt 1 ]; do [ "\$1" = -o ] && { : >"\$2"; exit 0; }; shift; done
exit 0
EOF
chmod +x "$root/cc"
if env CC="$root/cc" CPPFLAGS=-DSC_FROM_CPPFLAGS CFLAGS="-O1 -DSC_FROM_CFLAGS" LDFLAGS=-Wl,-z,now \
       make -s LUA_VERSION=5.4 BUILD="$root/ccbuild" >"$logs/cc.txt" 2>&1; then
    args=$(cat "$root/cc-args.txt" 2>/dev/null)
    case "$args" in
    *-Werror*) fail "a user's build (make): no -Werror" "$args" ;;
    *-Wall*-DSC_FROM_CPPFLAGS*"-O1 -DSC_FROM_CFLAGS"*-Wl,-z,now*"-o $root/ccbuild/sipcodes/core.so"*)
        pass "CC, CPPFLAGS, CFLAGS, LDFLAGS from the environment reach the compiler; no -Werror" ;;
    *) fail "CC, CPPFLAGS, CFLAGS, LDFLAGS from the environment reach the compiler; no -Werror" "$args" ;;
    esac
else
    fail "make with CC from the environment" "$(cat "$logs/cc.txt")"
fi
# The same from make's command line (as LuaRocks passes them).
rm -f "$root/cc-args.txt"
if make -s LUA_VERSION=5.1 BUILD="$root/ccbuild1" CC="$root/cc" CFLAGS=-O3 LDFLAGS=-Wl,-O1 \
       LUA_INCDIR=/nonexistent/include LIBFLAG="-shared -DSC_LIBFLAG" >"$logs/cc1.txt" 2>&1; then
    args=$(cat "$root/cc-args.txt" 2>/dev/null)
    case "$args" in
    *-Werror*) fail "make CC= CFLAGS= LDFLAGS= LUA_INCDIR= LIBFLAG=: no -Werror" "$args" ;;
    *-I/nonexistent/include*-O3*"-shared -DSC_LIBFLAG"*-Wl,-O1*)
        pass "CC, CFLAGS, LDFLAGS, LUA_INCDIR, LIBFLAG on make's command line reach the compiler" ;;
    *) fail "CC, CFLAGS, LDFLAGS, LUA_INCDIR, LIBFLAG on make's command line reach the compiler" "$args" ;;
    esac
else
    fail "make with CC on the command line" "$(cat "$logs/cc1.txt")"
fi
# LUA alone: LUA_VERSION is asked of the interpreter.
n=$(make -n -B LUA=/usr/bin/luajit 2>&1)
case "$n" in
*"-o build/jit/sipcodes/core.so"*) pass "make LUA=/usr/bin/luajit builds build/jit" ;;
*) fail "make LUA=/usr/bin/luajit builds build/jit" "$n" ;;
esac
# LuaRocks' LUA on the command line beats an exported LUA_VERSION; a
# LUA_VERSION on the command line beats both.
n=$(env LUA_VERSION=5.1 make -n -B LUA=/usr/bin/lua5.4 2>&1)
case "$n" in
*"-I/usr/include/lua5.4"*"-o build/5.4/sipcodes/core.so"*) pass "LUA=lua5.4 on the command line beats LUA_VERSION=5.1 from the environment" ;;
*) fail "LUA=lua5.4 on the command line beats LUA_VERSION=5.1 from the environment" "$n" ;;
esac
n=$(make -n -B LUA=/usr/bin/lua5.4 LUA_VERSION=5.3 2>&1)
case "$n" in
*"-o build/5.3/sipcodes/core.so"*) pass "LUA_VERSION on the command line beats LUA" ;;
*) fail "LUA_VERSION on the command line beats LUA" "$n" ;;
esac
# A build with other flags is not reused: the compile command is recorded.
if make -s LUA_VERSION=5.4 >/dev/null 2>&1 &&
   make LUA_VERSION=5.4 CFLAGS="-O1 -DSC_STAMP_CHECK" 2>&1 | grep -q -- "-DSC_STAMP_CHECK" &&
   make LUA_VERSION=5.4 2>&1 | grep -q -- "-o build/5.4/sipcodes/core.so"; then
    pass "a build with other CFLAGS, then the plain one: each rebuilds core.so"
else
    fail "a build with other CFLAGS, then the plain one: each rebuilds core.so"
fi
# tools/run-tests.sh's build and the project's test builds: -Werror on
# every compile (make -n prints them; FAKECC marks the compiler's lines).
n=$(make -n -B WERROR=-Werror LUA_VERSION=5.4 CC=FAKECC 2>&1)
case "$n" in
*"FAKECC "*-Werror*) pass "make WERROR=-Werror (tools/run-tests.sh's build): -Werror" ;;
*) fail "make WERROR=-Werror (tools/run-tests.sh's build): -Werror" "$n" ;;
esac
n=$(make -n -B CC=FAKECC FUZZ_CC=FAKECC index build/ctest/test_registry test-sanitize \
        test-threads test-valgrind build/fuzz/fuzz_reason 2>/dev/null | grep '^FAKECC ')
without=$(printf '%s\n' "$n" | grep -v -e -Werror)
if [ "$(printf '%s\n' "$n" | wc -l)" -ge 7 ] && [ -z "$without" ]; then
    pass "index, ctest, sanitizer, thread, valgrind and fuzz builds: -Werror on every compile"
else
    fail "index, ctest, sanitizer, thread, valgrind and fuzz builds: -Werror on every compile" "${without:-$n}"
fi

cd "$top" || exit 2
finish
