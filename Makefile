# sipcodes - build, test and install.
#
#   make                      build sipcodes.core for Lua 5.4 into build/5.4/
#   make LUA_VERSION=5.1      ... or 5.2, 5.3, jit (LuaJIT 2.1)
#   make demo                 set up what is missing, build, and show the CLI
#   make test                 set up what is missing, then every test on every
#                             interpreter; ends with "N passed, N failed"
#   make install              PREFIX=/usr/local DESTDIR= (LuaRocks names)
#
# The module is never linked against a liblua: the host process (lua,
# luajit, Kamailio's app_lua, FreeSWITCH's mod_lua) provides the symbols.

LUA_VERSION ?= 5.4

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
WARNFLAGS = -std=c99 -Wall -Wextra -Werror -Wshadow -Wcast-qual \
            -Wwrite-strings -Wmissing-prototypes -Wstrict-prototypes -pedantic
LIBFLAG ?= -shared
PREFIX ?= /usr/local
DESTDIR ?=
INST_LIBDIR ?= $(PREFIX)/lib/lua/$(LUA_ABI)
INST_LUADIR ?= $(PREFIX)/share/lua/$(LUA_ABI)
INST_BINDIR ?= $(PREFIX)/bin

BUILD = build/$(LUA_VERSION)
CORE_SO = $(BUILD)/sipcodes/core.so

# csrc/sipcodes*.c is the pure C core; csrc/lua_*.c the Lua binding.
CORE_SRC = $(sort $(wildcard csrc/sipcodes*.c))
BIND_SRC = $(sort $(wildcard csrc/lua_*.c))
HEADERS = $(wildcard csrc/*.h)
CTEST_SRC = $(sort $(wildcard ctest/test_*.c))
CTEST_BIN = $(patsubst ctest/%.c,build/ctest/%,$(CTEST_SRC))
LUA_MODULES = $(wildcard lua/sipcodes/*.lua)

.PHONY: all test ctest lint doc install uninstall clean demo bench deps

all: $(CORE_SO)

$(CORE_SO): $(CORE_SRC) $(BIND_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARNFLAGS) -fPIC -fvisibility=hidden -Icsrc \
	    -I$(LUA_INCDIR) $(LIBFLAG) -o $@ $(CORE_SRC) $(BIND_SRC)

# The C tests of the pure core: no Lua headers, no liblua.
build/ctest/%: ctest/%.c $(CORE_SRC) $(HEADERS) ctest/ctest.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CTEST_CFLAGS) $(WARNFLAGS) -Icsrc -o $@ $< $(CORE_SRC)

ctest: $(CTEST_BIN)
	@for t in $(CTEST_BIN); do $$t || exit 1; done

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

doc:
	ldoc -q .

install: $(CORE_SO)
	install -d $(DESTDIR)$(INST_LIBDIR)/sipcodes $(DESTDIR)$(INST_LUADIR)/sipcodes $(DESTDIR)$(INST_BINDIR)
	install -m 0755 $(CORE_SO) $(DESTDIR)$(INST_LIBDIR)/sipcodes/core.so
	install -m 0644 lua/sipcodes.lua $(DESTDIR)$(INST_LUADIR)/sipcodes.lua
	for f in $(LUA_MODULES); do install -m 0644 $$f $(DESTDIR)$(INST_LUADIR)/sipcodes/; done
	install -m 0755 bin/sipcodes $(DESTDIR)$(INST_BINDIR)/sipcodes

uninstall:
	rm -f $(DESTDIR)$(INST_LIBDIR)/sipcodes/core.so $(DESTDIR)$(INST_LUADIR)/sipcodes.lua
	rm -f $(addprefix $(DESTDIR)$(INST_LUADIR)/sipcodes/,$(notdir $(LUA_MODULES)))
	rm -f $(DESTDIR)$(INST_BINDIR)/sipcodes

clean:
	rm -rf build doc/ldoc

bench:
	@tools/deps.sh test
	@bench/run.sh
