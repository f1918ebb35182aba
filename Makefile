# sipcodes - build, test and install.
#
#   make                      build sipcodes.core for Lua 5.4 into build/5.4/
#   make LUA_VERSION=5.1      ... or 5.2, 5.3, jit (LuaJIT 2.1); or LUA=<interpreter>
#                             alone: LUA_VERSION is then asked of it
#   make run                  the interpreter ($(LUA)) with this checkout's lua/
#                             and build on LUA_PATH/LUA_CPATH: interactive;
#                             make run FILE=examples/demo.lua [ARGS="..."] runs a
#                             script (make run FILE=bin/sipcodes ARGS=486)
#   make demo                 set up what is missing, build, and show the CLI
#   make test                 set up what is missing, then every test on every
#                             interpreter; ends with "N passed, N failed,
#                             N skipped" (a skip fails it too)
#   make install              LUA_VERSION's files under PREFIX=/usr/local, staged
#                             under DESTDIR: $(INST_LIBDIR)/sipcodes/core.so,
#                             $(INST_LUADIR)/sipcodes.lua and sipcodes/*.lua (as
#                             lua/ holds them), $(INST_BINDIR)/sipcodes-$(LUA_VERSION)
#                             (the command, bound to this interpreter), and the
#                             files the versions share: $(INST_BINDIR)/sipcodes, a
#                             copy of the last version installed, and
#                             $(INST_MANDIR)/man1/sipcodes.1 (INSTALL_SHARED=no,
#                             as the rockspec sets it, leaves these two out)
#   make uninstall            remove LUA_VERSION's files (same PREFIX, DESTDIR):
#                             sipcodes only while it is that version's copy, the
#                             man page once no sipcodes-<version> is left, then
#                             the directories an install made, once empty
#                             ($(INST_PREFIX)/share/sipcodes/installed-dirs
#                             lists them, build/install-records/ for a DESTDIR
#                             install; one that was there before stays)
#   make rock                 $(ROCK_DIR)/sipcodes-<version>.src.rock (ROCK_DIR=
#                             build/rock) packed by $(LUAROCKS) from this
#                             checkout's tracked files, offline
#   make lint | doc | clean   luacheck . | the LDoc reference in build/doc | rm -rf build
#   make bench                the performance targets (bench/run.sh)
#   make deps                 install the Debian packages make test needs
#   make ctest                the C tests of the pure core
#   make test-sanitize | test-threads | test-valgrind | test-alloc | test-fuzz-corpus
#                             the ASan+UBSan, ThreadSanitizer, valgrind,
#                             allocation-failure and corpus-replay runs (make test)
#   make fuzz | fuzz-build | fuzz-seeds   libFuzzer: run, build, regenerate seeds
#   make index                regenerate csrc/sipcodes_index.h after a row change
#   make mutate               the mutation run of tools/mutants.lua (not in
#                             make test; docs/mutation.md)
#
# CC, CFLAGS, CPPFLAGS, LDFLAGS and LuaRocks' variables (LUA, LUA_INCDIR,
# LIBFLAG, INST_PREFIX, INST_BINDIR, INST_LIBDIR, INST_LUADIR) are taken
# from the command line or the environment.  The warnings are errors only
# in the project's own test builds: tools/run-tests.sh builds with
# WERROR=-Werror, and the C tests, sanitizer, valgrind, thread, allocation
# and fuzz builds and make index always do; make, make install and LuaRocks
# show the same warnings without failing on them.
#
# The module is never linked against a liblua: the host process (lua,
# luajit, Kamailio's app_lua, FreeSWITCH's mod_lua) provides the symbols.

# LUA given without LUA_VERSION (as LuaRocks calls make): ask the
# interpreter, "jit" for LuaJIT.
# An interpreter on make's command line (LuaRocks gives one) also beats a
# LUA_VERSION from the environment; only LUA_VERSION on the command line
# beats it.
ifneq ($(or $(filter undefined,$(origin LUA_VERSION)),$(and $(filter command line,$(origin LUA)),$(filter-out command line,$(origin LUA_VERSION)))),)
ifneq ($(filter command line environment,$(origin LUA)),)
LUA_VERSION := $(shell $(LUA) -e 'print(rawget(_G, "jit") and "jit" or _VERSION:match("%d+%.%d+"))' 2>/dev/null)
ifeq ($(LUA_VERSION),)
$(error LUA=$(LUA) does not run; give LUA_VERSION=5.1|5.2|5.3|5.4|jit)
endif
endif
endif
LUA_VERSION ?= 5.4
ifneq ($(words $(filter 5.1 5.2 5.3 5.4 jit,$(LUA_VERSION))) $(words $(LUA_VERSION)),1 1)
$(error LUA_VERSION is 5.1, 5.2, 5.3, 5.4 or jit, not '$(LUA_VERSION)' (Lua 5.5 is not supported yet))
endif

ifeq ($(LUA_VERSION),jit)
LUA ?= luajit
LUA_INCDIR ?= /usr/include/luajit-2.1
LUA_ABI = 5.1
else
LUA ?= lua$(LUA_VERSION)
LUA_INCDIR ?= /usr/include/lua$(LUA_VERSION)
LUA_ABI = $(LUA_VERSION)
endif

CC ?= cc
CFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=
WARNFLAGS = -std=c99 -Wall -Wextra -Wshadow -Wcast-qual \
            -Wwrite-strings -Wmissing-prototypes -Wstrict-prototypes -pedantic
# Empty for a user's build; -Werror in the project's test builds.
WERROR ?=
LIBFLAG ?= -shared
PREFIX ?= /usr/local
DESTDIR ?=
INST_PREFIX ?= $(PREFIX)
INST_LIBDIR ?= $(INST_PREFIX)/lib/lua/$(LUA_ABI)
INST_LUADIR ?= $(INST_PREFIX)/share/lua/$(LUA_ABI)
INST_BINDIR ?= $(INST_PREFIX)/bin
INST_MANDIR ?= $(INST_PREFIX)/share/man
INSTALL_SHARED ?= yes

BUILD = build/$(LUA_VERSION)
CORE_SO = $(BUILD)/sipcodes/core.so

# csrc/sipcodes*.c is the pure C core; csrc/lua_*.c the Lua binding.
CORE_SRC = $(sort $(wildcard csrc/sipcodes*.c))
BIND_SRC = $(sort $(wildcard csrc/lua_*.c))
HEADERS = $(wildcard csrc/*.h)
CTEST_SRC = $(sort $(wildcard ctest/test_*.c))
CTEST_BIN = $(patsubst ctest/%.c,build/ctest/%,$(CTEST_SRC))
LUA_MODULES = $(wildcard lua/sipcodes/*.lua)
# The project's test builds: the warnings are errors.
TEST_WARNFLAGS = $(WARNFLAGS) -Werror

.PHONY: FORCE all test ctest lint doc install uninstall clean demo bench deps run rock \
        test-sanitize test-threads test-valgrind fuzz fuzz-build fuzz-seeds \
        test-fuzz-corpus test-alloc index mutate

all: $(CORE_SO)

# The user's CPPFLAGS and CFLAGS come after the project's flags, so that
# they win; LDFLAGS goes to the link.
CORE_CC = $(CC) $(WARNFLAGS) $(WERROR) -fPIC -fvisibility=hidden -Icsrc -I$(LUA_INCDIR) \
	    $(CPPFLAGS) $(CFLAGS) $(LIBFLAG) $(LDFLAGS)
$(CORE_SO): $(CORE_SRC) $(BIND_SRC) $(HEADERS) $(BUILD)/compile-flags
	@mkdir -p $(dir $@)
	$(CORE_CC) -o $@ $(CORE_SRC) $(BIND_SRC)

# The compile command of the last build: rewritten (and so core.so rebuilt)
# when the compiler or a flag differs, so that a build with other CFLAGS,
# WERROR or LuaRocks' flags never reuses one made with different ones.
# (It is remade on every run, so make -n and make -q always show core.so as
# out of date; a real second make does nothing.)
$(BUILD)/compile-flags: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(subst ','\'',$(CORE_CC))' >$@.new; \
	if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi
FORCE:

# The C tests of the pure core: no Lua headers, no liblua.
build/ctest/%: ctest/%.c $(CORE_SRC) $(HEADERS) ctest/ctest.h
	@mkdir -p $(dir $@)
	$(CC) $(TEST_WARNFLAGS) -Icsrc $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_SRC)

ctest: $(CTEST_BIN)
	@for t in $(CTEST_BIN); do $$t || exit 1; done

# csrc/sipcodes_index.h, the hash index of sipcodes_find(), is derived from
# the rows of csrc/sipcodes_data.h and committed (a LuaRocks build runs no
# generator).  After changing a row or an alias: make index.  test_registry
# fails while the committed file is stale.
index:
	@mkdir -p build/tools
	$(CC) $(TEST_WARNFLAGS) -DSIPCODES_NO_INDEX -Icsrc \
	    -o build/tools/gen_index tools/gen_index.c csrc/sipcodes.c
	build/tools/gen_index > csrc/sipcodes_index.h.new
	mv csrc/sipcodes_index.h.new csrc/sipcodes_index.h

# ---- sanitizers, threads, valgrind (issue: reliability) -------------------
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=undefined
ASAN_LIB = $(shell $(CC) -print-file-name=libasan.so)

# The C tests and the busted suite (Lua 5.4) against an ASan+UBSan build.
# The interpreter is not instrumented, so libasan is preloaded; leaks of
# the interpreter itself are not ours to report.
test-sanitize:
	@mkdir -p build/asan/sipcodes build/asan/ctest
	$(CC) $(SAN_FLAGS) $(TEST_WARNFLAGS) -fPIC -Icsrc -I/usr/include/lua5.4 \
	    $(LIBFLAG) -o build/asan/sipcodes/core.so $(CORE_SRC) $(BIND_SRC)
	@for t in $(CTEST_SRC); do \
	    b=build/asan/ctest/$$(basename $$t .c); \
	    $(CC) $(SAN_FLAGS) $(TEST_WARNFLAGS) -Icsrc -o $$b $$t $(CORE_SRC) && \
	    $$b || exit 1; done
	LD_PRELOAD=$(ASAN_LIB) ASAN_OPTIONS=detect_leaks=0 SIPCODES_SPEC_CALLS=20000 \
	    lua5.4 /usr/bin/busted --ignore-lua --cpath="build/asan/?.so" -o TAP > build/asan/busted.txt 2>&1; \
	    rc=$$?; s=$$(grep -c '^ok [0-9]* - # SKIP ' build/asan/busted.txt); p=$$(($$(grep -c '^ok ' build/asan/busted.txt) - s)); f=$$(grep -c '^not ok ' build/asan/busted.txt); \
	    if grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' build/asan/busted.txt; then \
	        grep -A20 -e 'ERROR: AddressSanitizer' -e 'runtime error:' build/asan/busted.txt | head -40; f=$$((f+1)); fi; \
	    [ $$rc -eq 0 ] || [ $$f -gt 0 ] || f=1; \
	    echo "busted-asan: $$p passed, $$f failed, $$s skipped"; [ $$f -eq 0 ]

# 8 threads creating, using and closing fresh lua_States, the C module and
# the harness built with ThreadSanitizer.
THREADS ?= 8
THREAD_ROUNDS ?= 25
test-threads:
	@mkdir -p build/tsan/sipcodes
	$(CC) -O1 -g -fsanitize=thread $(TEST_WARNFLAGS) -fPIC -Icsrc -I/usr/include/lua5.4 \
	    $(LIBFLAG) -o build/tsan/sipcodes/core.so $(CORE_SRC) $(BIND_SRC)
	$(CC) -O1 -g -fsanitize=thread -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
	    -I/usr/include/lua5.4 -o build/tsan/threads_harness ctest/threads_harness.c \
	    -llua5.4 -lpthread -ldl
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" build/tsan/threads_harness \
	    $(THREADS) $(THREAD_ROUNDS) "./lua/?.lua" "./build/tsan/?.so" build/tsan/sipcodes/core.so

# The busted suite (Lua 5.4) under valgrind memcheck; any error from the
# process fails it.  SIPCODES_SPEC_CALLS: the million-call heap checks of
# spec/bounds_spec.lua run 20000 calls here (the plain runs make the million).
# --ignore-lua here and in test-sanitize: the process under test must be the
# one that runs the suite (.busted may name another interpreter to re-run
# busted with).
test-valgrind: WERROR = -Werror
test-valgrind: all
	SIPCODES_SPEC_CALLS=20000 valgrind -q --error-exitcode=99 --leak-check=no \
	    lua5.4 /usr/bin/busted --ignore-lua --cpath="build/5.4/?.so" -o TAP > build/valgrind.txt 2>&1; \
	    rc=$$?; s=$$(grep -c '^ok [0-9]* - # SKIP ' build/valgrind.txt); p=$$(($$(grep -c '^ok ' build/valgrind.txt) - s)); f=$$(grep -c '^not ok ' build/valgrind.txt); \
	    [ $$rc -eq 0 ] || { grep '^==' build/valgrind.txt | head -40; [ $$f -gt 0 ] || f=1; }; \
	    echo "busted-valgrind: $$p passed, $$f failed, $$s skipped"; [ $$f -eq 0 ]

# ---- allocation failures --------------------------------------------------
# ctest/alloc_harness.c: a host whose lua_Alloc fails the Nth allocation,
# N = 1, 2, ... until a case runs through, for require and every public
# function (the adapters too, with the doubles of spec/doubles.lua), on Lua
# 5.1 and 5.4.  Ends with "alloc-5.x: N passed, M failed" per version.
ALLOC_VERSIONS ?= 5.1 5.4
test-alloc:
	@rc=0; for v in $(ALLOC_VERSIONS); do \
	    $(MAKE) -s LUA_VERSION=$$v WERROR=-Werror >/dev/null || exit 1; \
	    mkdir -p build/alloc; \
	    $(CC) -O1 -g -std=c99 -D_POSIX_C_SOURCE=200809L $(filter-out -std=c99,$(TEST_WARNFLAGS)) \
	        -I/usr/include/lua$$v -o build/alloc/alloc_harness-$$v ctest/alloc_harness.c \
	        -llua$$v -lm -ldl || exit 1; \
	    build/alloc/alloc_harness-$$v "$$v" "./lua/?.lua;./spec/?.lua;./ctest/?.lua" \
	        "./build/$$v/?.so" ctest/alloc_cases.lua || rc=1; \
	done; exit $$rc

# ---- fuzzing (libFuzzer, clang from Debian) ---------------------------------
# One target per C entry point that reads text (fuzz/fuzz_*.c), built with
# ASan and UBSan.  fuzz/corpus/<target>/ is the committed corpus: seeds from
# the specs (make fuzz-seeds) plus every input that once found a bug.
FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_SRC = $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN = $(patsubst fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_TIME ?= 60
FUZZ_MAX_LEN ?= 9000

build/fuzz/%: fuzz/%.c $(CORE_SRC) $(HEADERS) $(wildcard fuzz/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -std=c99 -Wall -Wextra -Werror -Icsrc -o $@ $< $(CORE_SRC)

# fuzz/fuzz_lua_*.c drive the public Lua API through a real lua_State: Lua
# 5.4 linked statically, the binding compiled in with the sanitizers, and
# lua/ loaded from the checkout (run from the project's root).
build/fuzz/fuzz_lua_%: fuzz/fuzz_lua_%.c $(CORE_SRC) $(BIND_SRC) $(HEADERS) $(wildcard lua/*.lua lua/sipcodes/*.lua)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -std=c99 -Wall -Wextra -Werror -Icsrc -I/usr/include/lua5.4 \
	    -o $@ $< $(CORE_SRC) $(BIND_SRC) -Wl,-Bstatic -llua5.4 -Wl,-Bdynamic -lm -ldl

fuzz-build: $(FUZZ_BIN)

# Run each target for FUZZ_TIME seconds on a scratch copy of its corpus
# (new finds stay in build/fuzz/work/; a crash leaves its input in
# build/fuzz/ and stops the run).
fuzz: fuzz-build
	@for t in $(FUZZ_BIN); do n=$$(basename $$t); \
	    mkdir -p build/fuzz/work/$$n; \
	    echo "== $$n for $(FUZZ_TIME) s"; \
	    $$t -max_total_time=$(FUZZ_TIME) -max_len=$(FUZZ_MAX_LEN) \
	        -artifact_prefix=build/fuzz/$$n- -print_final_stats=1 \
	        build/fuzz/work/$$n fuzz/corpus/$$n > build/fuzz/$$n.log 2>&1; rc=$$?; \
	    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss)' build/fuzz/$$n.log; \
	    [ $$rc -eq 0 ] || { grep -A30 -E '==[0-9]+==ERROR|runtime error|deadly signal' build/fuzz/$$n.log | head -n 40; exit 1; }; \
	    done

# Every committed corpus input once through every target (part of make test).
test-fuzz-corpus: fuzz-build
	@p=0; f=0; for t in $(FUZZ_BIN); do n=$$(basename $$t); \
	    if $$t -runs=0 fuzz/corpus/$$n > build/fuzz/$$n.replay.txt 2>&1; then \
	        p=$$((p + $$(ls fuzz/corpus/$$n | wc -l))); \
	    else tail -n 30 build/fuzz/$$n.replay.txt; f=$$((f + 1)); fi; done; \
	    echo "fuzz-corpus: $$p passed, $$f failed"; [ $$f -eq 0 ]

# Regenerate the seeds from the specs, then keep only the inputs that add
# coverage (libFuzzer's merge).
fuzz-seeds: all fuzz-build
	@rm -rf build/fuzz/seeds && mkdir -p build/fuzz/seeds
	@for t in $(FUZZ_BIN); do mkdir -p build/fuzz/seeds/$$(basename $$t); done
	@for s in spec/*_spec.lua; do \
	    busted --lua=lua5.4 --no-auto-insulate --helper=tools/fuzz-seeds.lua -o TAP $$s >/dev/null 2>&1 || true; done
	@for t in $(FUZZ_BIN); do n=$$(basename $$t); \
	    $$t -merge=1 fuzz/corpus/$$n build/fuzz/seeds/$$n 2>&1 | grep -E 'MERGE-OUTER: [0-9]+ new files'; done

# Mutation testing (docs/mutation.md): every mutant of tools/mutants.lua,
# one at a time on a scratch copy in build/mutate/ (never on this tree),
# through the C build, make ctest and busted; build/mutate/results.md says
# which were killed.  MUTANTS=id1,id2 runs a subset, MUTATE_JOBS=1 one at a
# time.  Not part of make test: it takes about 10 minutes on 2 CPUs.
mutate:
	@lua5.4 tools/mutate.lua

deps:
	@tools/deps.sh test

test:
	@tools/deps.sh test
	@tools/run-tests.sh

demo:
	@tools/deps.sh demo
	@$(MAKE) --no-print-directory LUA_VERSION=5.4
	@tools/demo.sh

lint:
	luacheck .

# The manual (LDoc, config.ld): the module pages from the C binding's LDoc
# blocks, the guides from docs/.  tools/deps.sh doc installs lua-ldoc and
# lua-discount (without discount LDoc falls back to plain text).  ldoc's
# two lines of chatter ("reading configuration", "found master module")
# are left out; anything else it says is shown.
doc:
	@tools/deps.sh doc
	@rm -rf build/doc && mkdir -p build
	@ldoc -q . >build/ldoc.txt 2>&1; rc=$$?; \
	    grep -v -e '^reading configuration from config.ld$$' -e '^found master module' build/ldoc.txt; \
	    if grep -q 'falling back to text' build/ldoc.txt; then \
	        echo "doc: ldoc found no lua-discount (tools/deps.sh doc installs it)" >&2; exit 1; fi; \
	    [ $$rc -eq 0 ] && [ -f build/doc/index.html ] && echo "manual: build/doc/index.html"

# ---- install, uninstall, run, rock --------------------------------------
# The command: bin/sipcodes with its three placeholders filled in, the
# interpreter's path and the module dirs relative to INST_BINDIR, so that it
# runs with its own Lua whatever `lua` is on PATH, from a DESTDIR staging
# tree or a moved prefix too.
CMD = $(BUILD)/sipcodes-$(LUA_VERSION)
# lua/ as make install knows it: sipcodes.lua and sipcodes/*.lua.
LUA_UNLISTED = $(filter-out lua/sipcodes.lua $(LUA_MODULES),$(shell find lua -name '*.lua'))
# LuaJIT's modules go to Lua 5.1's dirs: uninstalling one of the two keeps
# them while the other's command is installed.
ABI_TWIN = $(if $(filter jit,$(LUA_VERSION)),5.1,$(if $(filter 5.1,$(LUA_VERSION)),jit))
BIN = $(DESTDIR)$(INST_BINDIR)
# The directories install uses, and the record of those it made
# (tools/install-dirs.sh), shared by the versions installed under one
# prefix: uninstall removes only what an install made, once empty.
INST_DIRS = $(DESTDIR)$(INST_LIBDIR)/sipcodes $(DESTDIR)$(INST_LUADIR)/sipcodes $(BIN) \
            $(if $(filter yes,$(INSTALL_SHARED)),$(DESTDIR)$(INST_MANDIR)/man1)
# In a real install the record lives in the prefix, so that an uninstall
# from any checkout finds it.  A staged install (DESTDIR) keeps it in this
# checkout's build/ instead: the staging tree becomes a package, which must
# not carry this machine's paths, and its directories are the package
# manager's business once installed.
DIR_RECORD = $(if $(DESTDIR),build/install-records/$(subst /,%,$(abspath $(DESTDIR))$(INST_PREFIX)),$(INST_PREFIX)/share/sipcodes/installed-dirs)

# Paths with white space would split into several words in the recipes
# below (and an rm -f of a word could name another file): refused.
CHECK_PATHS = $(foreach v,DESTDIR PREFIX INST_PREFIX INST_BINDIR INST_LIBDIR INST_LUADIR INST_MANDIR,$(if $(word 2,$($(v))),$(error $(v) holds white space ('$($(v))'): make install and uninstall take paths without it)))
# install takes the module as the last build made it (with that build's
# flags: make CFLAGS=... then make install, or LuaRocks' build step then its
# install step), and builds it only when there is none.
install: $(if $(wildcard $(CORE_SO)),,$(CORE_SO))
	$(CHECK_PATHS)
	$(if $(LUA_UNLISTED),$(error make install knows lua/sipcodes.lua and lua/sipcodes/*.lua, not $(LUA_UNLISTED)))
	$(if $(filter-out yes no,$(INSTALL_SHARED)),$(error INSTALL_SHARED is yes or no, not $(INSTALL_SHARED)))
	@for p in @LUA@ @LUADIR@ @LIBDIR@; do grep -q "$$p" bin/sipcodes || \
	    { echo "make install: bin/sipcodes lacks the placeholder $$p" >&2; exit 1; }; done
	@lua=$$(command -v "$(LUA)") || { echo "make install: no interpreter $(LUA) (give LUA=/path/to/lua)" >&2; exit 1; }; \
	case $$lua in /*) ;; *) lua=$(CURDIR)/$$lua ;; esac; \
	case $$(readlink "$$lua") in /etc/alternatives/*) lua=$$(readlink -f "$$lua") ;; esac; \
	luadir=$$(realpath -m -s --relative-to="$(INST_BINDIR)" "$(INST_LUADIR)") && \
	libdir=$$(realpath -m -s --relative-to="$(INST_BINDIR)" "$(INST_LIBDIR)") && \
	echo "$(CMD): @LUA@=$$lua @LUADIR@=$$luadir @LIBDIR@=$$libdir" && \
	sed -e "s|@LUA@|$$lua|g" -e "s|@LUADIR@|$$luadir|g" -e "s|@LIBDIR@|$$libdir|g" bin/sipcodes >$(CMD)
ifeq ($(INSTALL_SHARED),yes)
	@$(if $(DESTDIR),mkdir -p $(dir $(DIR_RECORD)),:)
	tools/install-dirs.sh make $(DIR_RECORD) $(INST_DIRS)
else
	install -d $(INST_DIRS)
endif
	install -m 0755 $(CORE_SO) $(DESTDIR)$(INST_LIBDIR)/sipcodes/core.so
	install -m 0644 lua/sipcodes.lua $(DESTDIR)$(INST_LUADIR)/sipcodes.lua
	install -m 0644 $(LUA_MODULES) $(DESTDIR)$(INST_LUADIR)/sipcodes/
	install -m 0755 $(CMD) $(BIN)/sipcodes-$(LUA_VERSION)
ifeq ($(INSTALL_SHARED),yes)
	install -m 0755 $(CMD) $(BIN)/sipcodes
	install -m 0644 docs/sipcodes.1 $(DESTDIR)$(INST_MANDIR)/man1/sipcodes.1
endif

# Then the directories an install made (tools/install-dirs.sh's record),
# once empty: never one that was there before.
RM_MODULES = rm -f $(DESTDIR)$(INST_LIBDIR)/sipcodes/core.so $(DESTDIR)$(INST_LUADIR)/sipcodes.lua \
	$(addprefix $(DESTDIR)$(INST_LUADIR)/sipcodes/,$(notdir $(LUA_MODULES)))
uninstall:
	$(CHECK_PATHS)
ifneq ($(ABI_TWIN),)
	if [ -e $(BIN)/sipcodes-$(ABI_TWIN) ]; then \
	    echo "make uninstall: sipcodes-$(ABI_TWIN) uses the modules in $(INST_LUADIR) and $(INST_LIBDIR): kept"; \
	else $(RM_MODULES); fi
else
	$(RM_MODULES)
endif
	@[ -e $(BIN)/sipcodes-$(LUA_VERSION) ] || \
	    echo "make uninstall: no $(BIN)/sipcodes-$(LUA_VERSION): is PREFIX (or DESTDIR, INST_BINDIR) the install's?"
	if cmp -s $(BIN)/sipcodes $(BIN)/sipcodes-$(LUA_VERSION); then rm -f $(BIN)/sipcodes; fi
	rm -f $(BIN)/sipcodes-$(LUA_VERSION)
	for f in $(addprefix $(BIN)/sipcodes-,5.1 5.2 5.3 5.4 jit); do [ ! -e $$f ] || exit 0; done; \
	    rm -f $(DESTDIR)$(INST_MANDIR)/man1/sipcodes.1
	@last=--last; for f in $(addprefix $(BIN)/sipcodes-,5.1 5.2 5.3 5.4 jit); do \
	    [ ! -e $$f ] || last=; done; \
	tools/install-dirs.sh prune $(DIR_RECORD) $$last $(INST_DIRS)

# make run: $(LUA) with this checkout's lua/ and build on its module paths
# (the versioned variables too, which Lua 5.2-5.4 read first), running FILE
# with ARGS, or interactive without FILE.
RUN_LPATH = $(CURDIR)/lua/?.lua;;
RUN_CPATH = $(CURDIR)/$(BUILD)/?.so;;
RUN_SUFFIX = $(if $(filter 5.2 5.3 5.4,$(LUA_VERSION)),_$(subst .,_,$(LUA_VERSION)))
run: $(CORE_SO)
	@env LUA_PATH='$(RUN_LPATH)' LUA_CPATH='$(RUN_CPATH)' \
	    $(if $(RUN_SUFFIX),LUA_PATH$(RUN_SUFFIX)='$(RUN_LPATH)' LUA_CPATH$(RUN_SUFFIX)='$(RUN_CPATH)') \
	    $(LUA) $(FILE) $(ARGS)

# make rock: the rockspec's source is the release (a tag on the project's
# repository), which `luarocks pack` would fetch; this packs the checkout
# instead, offline: the tracked files as they are in the working tree, in
# $(ROCK_DIR)/sipcodes-<version>.tar.gz, and a copy of the rockspec whose
# source is that file, packed by LuaRocks into $(ROCK_DIR).
ROCKSPEC = $(wildcard sipcodes-*.rockspec)
ROCK_VERSION = $(patsubst sipcodes-%.rockspec,%,$(ROCKSPEC))
ROCK_SRCDIR = sipcodes-$(firstword $(subst -, ,$(ROCK_VERSION)))
ROCK_DIR ?= build/rock
LUAROCKS ?= luarocks
rock:
	@[ "$(words $(ROCKSPEC))" = 1 ] || { echo "make rock: want one sipcodes-*.rockspec, have: $(ROCKSPEC)" >&2; exit 1; }
	@git rev-parse --is-inside-work-tree >/dev/null 2>&1 || \
	    { echo "make rock: packs the tracked files of a git checkout, and this is none" >&2; exit 1; }
	mkdir -p $(ROCK_DIR)
	rm -f $(ROCK_DIR)/$(ROCK_SRCDIR).tar.gz $(ROCK_DIR)/$(ROCKSPEC) $(ROCK_DIR)/sipcodes-$(ROCK_VERSION).src.rock
	git ls-files -z | tar --null -T - --transform 's|^|$(ROCK_SRCDIR)/|' --sort=name \
	    --owner=0 --group=0 --numeric-owner -czf $(ROCK_DIR)/$(ROCK_SRCDIR).tar.gz
	sed '/^source = {/,/^}/c source = { url = "file://$(abspath $(ROCK_DIR))/$(ROCK_SRCDIR).tar.gz", dir = "$(ROCK_SRCDIR)" }' \
	    $(ROCKSPEC) >$(ROCK_DIR)/$(ROCKSPEC)
	@grep -q '^source = { url = "file://' $(ROCK_DIR)/$(ROCKSPEC) || \
	    { echo "make rock: no 'source = {' ... '}' block replaced in $(ROCKSPEC)" >&2; exit 1; }
	cd $(ROCK_DIR) && $(LUAROCKS) pack $(ROCKSPEC)

clean:
	rm -rf build

bench:
	@tools/deps.sh test
	@bench/run.sh
