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

local error, pairs, pcall, setmetatable, type =
      error, pairs, pcall, setmetatable, type

local M = {}

for k, v in pairs(core) do
  if k ~= "code_of" and k ~= "_freeswitch" then
    M[k] = v
  end
end

-- The C functions behind the fast paths.  Called through pcall, they name
-- themselves in an argument error (`bad argument #1 to 'reason' (...)`).
local reason, phrase, class, is_final, equivalent, lookup, register, code_of =
      core.reason, core.phrase, core.class, core.is_final, core.equivalent,
      core.lookup, core.register, core.code_of

-- Memo tables, code -> answer.  Only answers for codes 100-799 are kept,
-- so each holds at most 700 entries whatever the input; lookup's is keyed
-- by text and emptied when it reaches LOOKUP_MEMO_MAX entries.
-- register() empties those whose answers a registration can change.
local LOOKUP_MEMO_MAX = 256
local reason_memo, phrase_memo, equivalent_memo, lookup_memo = {}, {}, {}, {}
local class_memo, final_memo = {}, {}
local lookup_memo_size = 0

-- The slow paths call C through pcall and raise its error again one level
-- up, so that an argument error carries the position of the user's call,
-- not of this file (the C function's own message is unchanged).  Argument
-- errors are the only errors these C functions raise.
local function checked(ok, ...)
  if not ok then
    error((...), 3)
  end
  return ...
end

local function memoizable(code)
  return type(code) == "number" and code >= 100 and code <= 799
end

function M.reason(code, lang, extra)
  if lang == nil then
    local s = reason_memo[code]
    if s and extra == nil then
      return s
    end
    s = checked(pcall(reason, code, nil, extra))
    if s and memoizable(code) then
      reason_memo[code] = s
    end
    return s
  end
  return (checked(pcall(reason, code, lang, extra)))
end

function M.phrase(code, lang, extra)
  if lang == nil then
    local s = phrase_memo[code]
    if s and extra == nil then
      return s
    end
    s = checked(pcall(phrase, code, nil, extra))
    if s and memoizable(code) then
      phrase_memo[code] = s
    end
    return s
  end
  return (checked(pcall(phrase, code, lang, extra)))
end

function M.class(code, extra)
  local c = class_memo[code]
  if c and extra == nil then
    return c
  end
  c = checked(pcall(class, code, extra))
  if c and memoizable(code) then
    class_memo[code] = c
  end
  return c
end

function M.is_final(code, extra)
  local b = final_memo[code]
  if b ~= nil and extra == nil then
    return b
  end
  b = checked(pcall(is_final, code, extra))
  if memoizable(code) then
    final_memo[code] = b
  end
  return b
end

function M.equivalent(code, extra)
  local e = equivalent_memo[code]
  if e and extra == nil then
    return e
  end
  e = checked(pcall(equivalent, code, extra))
  if e and memoizable(code) then
    equivalent_memo[code] = e
  end
  return e
end

function M.lookup(text, extra)
  local code = lookup_memo[text]
  if code and extra == nil then
    return code
  end
  code = checked(pcall(lookup, text, extra))
  if code then
    if lookup_memo_size >= LOOKUP_MEMO_MAX then
      lookup_memo, lookup_memo_size = {}, 0
    end
    lookup_memo[text] = code
    lookup_memo_size = lookup_memo_size + 1
  end
  return code
end

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

M.codes = setmetatable({}, {
  __index = names,
  __newindex = function()
    error("sipcodes.codes is read-only", 2)
  end,
  __metatable = false,
})

function M.register(code, text, opts, extra)
  local r = checked(pcall(register, code, text, opts, extra))
  -- A registration can add or replace a code, a phrase or a name.
  reason_memo, phrase_memo, equivalent_memo = {}, {}, {}
  lookup_memo, lookup_memo_size = {}, 0
  for k in pairs(names) do
    names[k] = nil
  end
  return r
end

return M
