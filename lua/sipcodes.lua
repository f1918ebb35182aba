-- sipcodes: SIP response codes for Lua.  The functions are C, in
-- sipcodes.core (csrc/lua_sipcodes*.c, which also holds their reference),
-- and core.module makes each on first use.  On LuaJIT, which compiles a
-- table lookup but not a call into C, the hot functions get a memo in
-- front (sipcodes.memo); the C function fills it, so it answers as C does.
local core = require "sipcodes.core"
if not package.loaded.jit then
  return core.module()
end
return core.module(function(f, memo)
  return require("sipcodes.memo")(f, memo)
end)
