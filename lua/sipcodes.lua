--- SIP response codes for Lua: the registry, classification, protocol
-- helpers and telephony interop.
--
--     local sip = require "sipcodes"
--     sip.reason(486)        --> "Busy Here"
--     sip.codes.BUSY_HERE    --> 486
--
-- The functions live in the C module `sipcodes.core` and are re-exported
-- here unchanged, so a misuse error names the function you called
-- (`bad argument #1 to 'reason' (integer expected, got nil)`).  This file
-- only adds what is better written in Lua: the read-only `codes` table.
-- @module sipcodes

local core = require "sipcodes.core"

local error, pairs, setmetatable, tostring, type =
      error, pairs, setmetatable, tostring, type

local M = {}

-- Every core function, re-exported as it is (no wrapper: a call costs what
-- a C function call costs, and argument errors keep their names).  The
-- lookup of exact constant names stays internal to `codes`.
local code_of = core.code_of
for k, v in pairs(core) do
  if k ~= "code_of" and k ~= "_freeswitch" then
    M[k] = v
  end
end

--- Constant names for codes: `codes.BUSY_HERE == 486`.
-- Read-only and strict: a name that no code has raises an error instead of
-- quietly giving nil, so a typo in a route script fails loudly.  Names are
-- resolved on first use and remembered in a private cache (never in the
-- proxy itself, so that every assignment still reaches `__newindex`),
-- which keeps `require` cheap for hosts that create a fresh lua_State per
-- call.  Codes added with `register` get a name here too.
-- @table codes
local resolved = {}
M.codes = setmetatable({}, {
  __index = function(_, name)
    local code = resolved[name]
    if code then
      return code
    end
    code = type(name) == "string" and code_of(name) or nil
    if not code then
      error("sipcodes.codes has no code named '" .. tostring(name) .. "'", 2)
    end
    resolved[name] = code
    return code
  end,
  __newindex = function()
    error("sipcodes.codes is read-only", 2)
  end,
  __metatable = false,
})

return M
