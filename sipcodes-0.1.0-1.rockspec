rockspec_format = "3.0"
package = "sipcodes"
version = "0.1.0-1"
source = {
  url = "git+file://.",
}
description = {
  summary = "SIP response codes for Lua: registry, classification, parsers, Q.850 interop",
  detailed = [[
Every IANA-registered SIP response code with its reason phrase, class,
status and RFCs, German phrases and descriptions; RFC 3261 classification
and fallback rules; status-line and Reason-header parsing and formatting;
the forking proxy's best response; SIP <-> Q.850 and FreeSWITCH causes; and
adapters for Kamailio (KEMI) and FreeSWITCH (mod_lua).  A C core with a thin
Lua layer, for Lua 5.1-5.4 and LuaJIT.
]],
  license = "MIT",
}
dependencies = {
  "lua >= 5.1",
}
build = {
  type = "builtin",
  modules = {
    ["sipcodes.core"] = {
      sources = {
        "csrc/lua_sipcodes.c",
        "csrc/lua_sipcodes_freeswitch.c",
        "csrc/lua_sipcodes_interop.c",
        "csrc/lua_sipcodes_kamailio.c",
        "csrc/lua_sipcodes_kpi.c",
        "csrc/lua_sipcodes_outcome.c",
        "csrc/lua_sipcodes_policy.c",
        "csrc/lua_sipcodes_proto.c",
        "csrc/sipcodes.c",
        "csrc/sipcodes_interop.c",
        "csrc/sipcodes_outcome.c",
        "csrc/sipcodes_policy.c",
        "csrc/sipcodes_proto.c",
      },
      incdirs = { "csrc" },
    },
    ["sipcodes"] = "lua/sipcodes.lua",
    ["sipcodes.freeswitch"] = "lua/sipcodes/freeswitch.lua",
    ["sipcodes.kamailio"] = "lua/sipcodes/kamailio.lua",
    ["sipcodes.kpi"] = "lua/sipcodes/kpi.lua",
    ["sipcodes.memo"] = "lua/sipcodes/memo.lua",
    ["sipcodes.policy"] = "lua/sipcodes/policy.lua",
  },
  install = {
    bin = { sipcodes = "bin/sipcodes" },
  },
}
test = {
  type = "busted",
}
