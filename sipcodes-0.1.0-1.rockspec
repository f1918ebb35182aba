rockspec_format = "3.0"
package = "sipcodes"
version = "0.1.0-1"
-- The release: the tag on the project's repository.  `make rock` packs a
-- checkout offline instead, with a copy of this file whose source is a
-- tarball of the checkout's tracked files (Makefile).
source = {
  url = "git+https://github.com/sipcodes/sipcodes.git",
  tag = "v0.1.0",
}
description = {
  summary = "SIP response codes for Lua: registry, classification, parsers, Q.850 interop",
  detailed = [[
sipcodes knows every SIP response code in the IANA registry: its reason
phrase (in English and German), a description, its class, whether it is
standard, deprecated or obsolete, and the RFCs that define it.  Codes are
also reachable by constant name (sipcodes.codes.BUSY_HERE == 486).

On top of the registry it applies RFC 3261's rules: the class of a code and
what an unknown code of a class is treated as; the best final response of
a forking proxy; the headers a response must carry.  It parses and formats
status lines, Reason headers (SIP and Q.850), Warning headers and
Retry-After; maps SIP codes to and from Q.850 causes and FreeSWITCH hangup
causes; has routing policies (which responses send a call to the next
destination, and the matching Kamailio and FreeSWITCH settings); and
classifies call outcomes and counts KPIs (ASR, NER).

Adapters for Kamailio (KEMI, app_lua) and FreeSWITCH (mod_lua) apply these
rules to the host's objects.  A command, sipcodes-<Lua version> (with a
manual page in the rock's docs), looks codes up from the shell.

A C core with a thin Lua layer; no globals; the same behaviour on Lua 5.1,
5.2, 5.3, 5.4 and LuaJIT.
]],
  homepage = "https://github.com/sipcodes/sipcodes",
  license = "MIT",
  labels = { "sip", "voip", "telephony", "kamailio", "freeswitch" },
}
dependencies = {
  "lua >= 5.1, < 5.5",
}
-- The Makefile builds and installs, with LuaRocks' compiler, flags and
-- directories: the modules and the command sipcodes-<Lua version> only
-- (INSTALL_SHARED=no: no unversioned sipcodes, no man page in a shared
-- place), so that the rocks of two Lua versions share no file.  docs/ (the
-- man page with it) and examples/ go to the rock's directory.
build = {
  type = "make",
  build_variables = {
    CFLAGS = "$(CFLAGS)",
    LIBFLAG = "$(LIBFLAG)",
    LUA = "$(LUA)",
    LUA_INCDIR = "$(LUA_INCDIR)",
  },
  install_variables = {
    LUA = "$(LUA)",
    INST_PREFIX = "$(PREFIX)",
    INST_BINDIR = "$(BINDIR)",
    INST_LIBDIR = "$(LIBDIR)",
    INST_LUADIR = "$(LUADIR)",
    INSTALL_SHARED = "no",
  },
  copy_directories = { "docs", "examples" },
}
test = {
  type = "busted",
}
