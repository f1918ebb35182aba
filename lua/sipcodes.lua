-- SIP response codes for Lua: the registry, classification, protocol
-- helpers and telephony interop.
--
--     local sip = require "sipcodes"
--     sip.reason(486)        --> "Busy Here"
--     sip.codes.BUSY_HERE    --> 486
--
-- The functions live in the C module `sipcodes.core` and are re-exported
-- here unchanged, except the few that route scripts call on every message
-- (reason, phrase, class, is_final, equivalent, lookup, codes.X).  Those get
-- a Lua fast path: a per-state memo table filled on first use, so that a
-- repeated call costs a Lua table index (which LuaJIT compiles, while it
-- cannot compile a call into C).  Anything the memo does not hold, a
-- language, a wrong argument, goes to the C function, so results and
-- errors are exactly the C module's.
--
-- The API reference (LDoc, `make doc`) is written in the C binding,
-- csrc/lua_sipcodes*.c, including `codes`.

local core = require "sipcodes.core"

local error, ipairs, pairs, pcall, setmetatable, type =
      error, ipairs, pairs, pcall, setmetatable, type

-- The module: the fast paths and `codes` below, and every other function
-- of sipcodes.core, taken from it on first use (the C module makes its
-- functions lazily too, which keeps require cheap for hosts that create a
-- fresh lua_State per call).  code_of and _freeswitch stay internal.
local M = setmetatable({ _VERSION = core._VERSION }, {
  __index = function(t, k)
    if k == "code_of" or k == "_freeswitch" then
      return nil
    end
    local v = core[k]
    t[k] = v
    return v
  end,
})

-- The slow paths call C through pcall and raise its error again one level
-- up, so that an argument error carries the position of the user's call,
-- not of this file; the C function names itself in the message.  Argument
-- errors are the only errors these C functions raise.
local function checked(ok, ...)
  if not ok then
    error((...), 3)
  end
  return ...
end

-- Every memo's reset (and the `codes` name cache's), for register().
local resets = {}

-- A fast path in front of the C function f(key [, option]): an answer for
-- a key without option comes from a memo table once f has given it.  The
-- memo holds at most MEMO_MAX entries (it starts over when full), whatever
-- keys a script passes; nil answers are not kept.  One closure per
-- function, from this one prototype: little to compile on require.
--
-- The hit is tested with as few VM instructions as we could (each costs
-- 30-60 machine instructions on PUC Lua; see bench/RESULTS.md): truth
-- first, a false answer (is_final) on a second test.  A third argument is
-- only looked at on a miss or with an option, so f(key, nil, x) may answer
-- from the memo where the C function would refuse the extra argument.
local MEMO_MAX = 700

local function fast(f)
  local memo, n = {}, 0
  resets[#resets + 1] = function()
    memo, n = {}, 0
  end
  return function(key, option, extra)
    local v = memo[key]
    if v and option == nil then
      return v
    end
    if v == false and option == nil then
      return false
    end
    v = checked(pcall(f, key, option, extra))
    if v ~= nil and option == nil then
      if n >= MEMO_MAX then
        memo, n = {}, 0
      end
      memo[key], n = v, n + 1
    end
    return v
  end
end

for _, name in ipairs({ "reason", "phrase", "class", "is_final", "equivalent", "lookup" }) do
  M[name] = fast(core[name])
end

local code_of, register = core.code_of, core.register

-- Constant names for codes: `codes.BUSY_HERE == 486`.
-- Read-only and strict: a name that no code has raises an error instead of
-- quietly giving nil, so a typo in a route script fails loudly.  `codes`
-- itself stays empty, so that every assignment reaches `__newindex`; its
-- `__index` is the plain table `names`, filled name by name on first use
-- (which keeps `require` cheap), so a repeated `codes.X` costs two table
-- lookups and no function call.  Codes added with `register` get a name
-- here too.
local names = setmetatable({}, {
  __index = function(t, name)
    if type(name) ~= "string" then
      error("sipcodes.codes is indexed by name, not by " .. type(name), 2)
    end
    local code = code_of(name)
    if not code then
      -- The name may be anything a script got from the network: keep the
      -- message short and printable.
      local shown = name:sub(1, 64):gsub("[%c\128-\255]", "?")
      error("sipcodes.codes has no code named '" .. shown .. "'", 2)
    end
    t[name] = code
    return code
  end,
})

resets[#resets + 1] = function()
  for k in pairs(names) do
    names[k] = nil
  end
end

M.codes = setmetatable({}, {
  __index = names,
  __newindex = function()
    error("sipcodes.codes is read-only", 2)
  end,
  __metatable = false,
})

function M.register(code, text, opts, extra)
  local r = checked(pcall(register, code, text, opts, extra))
  -- A registration can add or replace a code, a phrase or a name: every
  -- memo and the name cache start over.
  for _, reset in ipairs(resets) do
    reset()
  end
  return r
end

return M
