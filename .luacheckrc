-- Plain Lua everywhere; busted's globals only in the specs.  No `globals`
-- entry: the project defines none.
std = "min"
include_files = { "lua/**/*.lua", "spec/**/*.lua", "bin/sipcodes", "examples/**/*.lua",
                  "bench/**/*.lua", "tools/**/*.lua", "ctest/**/*.lua", "fuzz/**/*.lua",
                  "*.rockspec", ".busted", ".luacheckrc", "config.ld" }
exclude_files = { "build" }
files["spec"] = { std = "+busted" }
-- The Lua-state fuzzer links Lua 5.4 and only ever runs there.
files["fuzz"] = { std = "lua54" }
-- The Wireshark example runs inside tshark (Lua 5.2), which provides these.
files["examples/wireshark"] = { read_globals = { "Field", "Listener", "all_field_infos" } }
files["*.rockspec"] = { std = "+rockspec" }
files[".busted"] = { std = "min" }
files["config.ld"] = { std = "+ldoc" }
