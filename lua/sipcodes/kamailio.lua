--- Kamailio helpers for KEMI Lua scripts (app_lua).
--
--     local kam = require "sipcodes.kamailio"
--     kam.sl_reply(486)                       -- 486 Busy Here, stateless
--     kam.t_reply(608, nil, { reason = true }) -- + Reason: Q.850;cause=31;...
--     local code, info = kam.winning()        -- in a failure route
--
-- Kamailio's sl module refuses an empty reason phrase ("reply reason is
-- null or empty"), so every reply helper supplies one: the phrase given, or
-- `sipcodes.phrase(code)`, which exists for every code 100-699.
--
-- The helpers use the `KSR` object that app_lua puts into every worker's
-- lua_State, looked up when they are called (never created).  `new(ksr)`
-- gives the same helpers bound to another object, for tests or for code
-- that passes KSR around.
--
-- `KSR.x.exit()` works by raising the string "~~ksr~exit~~", which app_lua
-- compares exactly.  Every pcall in this module re-raises that value as it
-- is (`error(e, 0)`), so exit keeps working inside `protect`.
-- @module sipcodes.kamailio

local sip = require "sipcodes"

local error, pairs, pcall, rawget, select, string_match,
      tonumber, tostring, type =
      error, pairs, pcall, rawget, select, string.match,
      tonumber, tostring, type
local G = _G

local EXIT = "~~ksr~exit~~"

local M = {}

--- The error value of `KSR.x.exit()`.
M.EXIT = EXIT

--- The best response of a list of branch codes (RFC 3261 §16.7 step 6),
-- as `sipcodes.best_response` chooses it.
-- @function best_response
-- @tparam {int,...} codes
-- @treturn int
M.best_response = sip.best_response

-- ---- argument checks (shared with the other adapter: sipcodes.args) ------

local args = require "sipcodes.args"
local argerror, typename, checknargs, checkcode, checkreason =
      args.argerror, args.typename, args.checknargs, args.checkcode, args.checkreason


local REPLY_OPTS = { reason = true }

-- What sipcodes.format_reason makes of a table, or why it cannot: its
-- argument errors raise "bad argument #1 to '...' (why)", its refusals of
-- data give nil and why.
local function format_table(r)
  local ok, value, why = pcall(sip.format_reason, r)
  if not ok then
    local e = tostring(value)
    return nil, string_match(e, "^.-bad argument #%d+ to '[^']*' %((.*)%)$") or e
  end
  return value, why
end

-- Check opts and work out the value of the Reason header the reply is to
-- carry, from opts.reason:
--   true      the Q.850 cause of code (RFC 3398) with its name (RFC 6432);
--   a number  that Q.850 cause with its name (nothing outside 1-127);
--   a table   a reason value for sipcodes.format_reason;
--   a string  the header value as it is.
-- Returns nil when there is nothing to add (no option, or a code without
-- a cause).  Every option that cannot make a header raises here, naming
-- the helper called, before anything is sent.
local function checkopts(n, fname, code, ...)
  local opts = select(n, ...)
  if opts == nil then
    return nil
  end
  if type(opts) ~= "table" then
    argerror(n, fname, "table expected, got " .. typename(n, ...))
  end
  for k in pairs(opts) do
    if not REPLY_OPTS[k] then
      argerror(n, fname, "unknown option '" .. tostring(k) .. "'")
    end
  end
  local r = opts.reason
  local t = type(r)
  if r == nil or r == false then
    return nil
  elseif r == true then
    return (sip.reason_for(code))
  elseif t == "number" then
    if r ~= r or r % 1 ~= 0 or r >= 2 ^ 31 or r < -2 ^ 31 then
      argerror(n, fname, "option 'reason' must be an integer")
    end
    return sip.q850_reason(r)
  elseif t == "string" then
    if r == "" or string_match(r, "[%z\r\n]") then
      argerror(n, fname, "option 'reason' must be non-empty, without CR, LF or NUL")
    end
    return r
  elseif t == "table" then
    local value, why = format_table(r)
    if not value then
      argerror(n, fname, "option 'reason': " .. tostring(why))
    end
    return value
  end
  argerror(n, fname, "option 'reason' must be a boolean, a string, a number or a table")
end

-- ---- the helpers, bound to a KSR object or to the global one ---------------

-- How many final replies (200-699) the helpers have sent in this
-- lua_State, whichever helper table sent them.  protect compares it before
-- and after the route function, so that a function that replied and then
-- raised gets no second final reply.  A Kamailio worker runs one route at
-- a time in its lua_State, so one counter does.
local finals = 0

--- Helpers bound to a KSR object.  The module itself is `new()` bound to
-- the global `KSR`, looked up at each call.
-- @param[opt] ksr the KSR object (default: the global KSR when called)
-- @treturn table the helpers
function M.new(ksr)
  local K = {}

  local function host(fname)
    local k = ksr or rawget(G, "KSR")
    if k == nil then
      error(fname .. ": no KSR object (not running in Kamailio's app_lua; "
        .. "pass one to sipcodes.kamailio.new)", 0)
    end
    return k
  end

  -- Reply through send(code, phrase) after adding the Reason header.
  local function reply(fname, send, ...)
    local code = checkcode(1, fname, ...)
    local reason = checkreason(2, fname, ...)
    local value = checkopts(3, fname, code, ...)
    checknargs(fname, 3, ...)
    local k = host(fname)
    local phrase = reason or sip.phrase(code)
    if value then
      k.hdr.append_to_reply("Reason: " .. value .. "\r\n")
    end
    local ret = send(k, code, phrase)
    -- KSR gives -1 (or less) when nothing went out.
    local n = tonumber(ret)
    if code >= 200 and not (n and n < 0) then
      finals = finals + 1
    end
    return ret, phrase
  end

  --- Stateless reply (`KSR.sl.sl_send_reply`) with a phrase that is never
  -- empty.
  -- @int code 100-699
  -- @string[opt] reason default `sipcodes.phrase(code)`
  -- @tab[opt] opts `reason`: true for the code's Q.850 Reason header, a
  --   Q.850 cause number (an integer; none outside 1-127), a table for
  --   `format_reason`, or a header value.  A value that cannot make a
  --   header (17.5, a table `format_reason` refuses) raises, and nothing
  --   is sent.
  -- @treturn int what KSR returned (1 on success, -1 on failure)
  -- @treturn string the phrase sent
  -- @function sl_reply
  function K.sl_reply(...)
    return reply("sl_reply", function(k, c, p) return k.sl.sl_send_reply(c, p) end, ...)
  end

  --- Reply statefully if a transaction exists, else statelessly
  -- (`KSR.sl.send_reply`).  Arguments and results as `sl_reply`.
  -- @function send_reply
  function K.send_reply(...)
    return reply("send_reply", function(k, c, p) return k.sl.send_reply(c, p) end, ...)
  end

  --- Stateful reply (`KSR.tm.t_reply`).  Arguments and results as
  -- `sl_reply`.
  -- @function t_reply
  function K.t_reply(...)
    return reply("t_reply", function(k, c, p) return k.tm.t_reply(c, p) end, ...)
  end

  -- 1 from a KSR predicate; nil when the function is missing.
  local function flag(tbl, name)
    local f = tbl and tbl[name]
    if type(f) ~= "function" then
      return nil
    end
    return f() == 1
  end

  --- The winning reply code of the transaction, in a failure route: what
  -- `KSR.tm.t_get_status_code()` returns there (the reply tm picked,
  -- 408 for a local timeout).  Kamailio before 5.3 has no
  -- `t_get_status_code`; there the code is `KSR.pv.get("$T_reply_code")`
  -- (module tmx), the same code in a failure route.
  -- @treturn[1] int code
  -- @treturn[1] table info: `code`, `class`, `class_name`, `reason` (nil
  --   for a code the registry lacks), `phrase`, `known`, and when tm can
  --   tell: `canceled`, `timeout` (any branch timed out), `replied` (any
  --   branch got a reply)
  -- @treturn[2] nil when tm has no code (-1, 0: no transaction, no reply)
  -- @function winning
  function K.winning(...)
    checknargs("winning", 0, ...)
    local k = host("winning")
    local tm = k.tm
    local code
    if tm and type(tm.t_get_status_code) == "function" then
      code = tm.t_get_status_code()
    elseif k.pv and type(k.pv.get) == "function" then
      code = k.pv.get("$T_reply_code")
    end
    code = tonumber(code)
    if not code or code < 100 or code > 699 or code % 1 ~= 0 then
      return nil
    end
    local info = {
      code = code,
      class = sip.class(code),
      class_name = sip.class_name(code),
      reason = sip.reason(code),
      phrase = sip.phrase(code),
      known = sip.is_known(code),
      canceled = flag(tm, "t_is_canceled"),
      timeout = flag(tm, "t_any_timeout"),
      replied = flag(tm, "t_any_replied"),
    }
    return code, info
  end

  --- Wrap a route function so that a Lua error in it is logged and
  -- answered instead of aborting the route with no reply.  `KSR.x.exit()`
  -- and `KSR.x.drop()` inside f still work: their error value is re-raised
  -- unchanged.  When f sent a final reply through these helpers before
  -- the error, the error is only logged: the request has its answer, and a
  -- second final reply would be wrong.  (Replies sent through KSR
  -- directly are not seen.)
  -- @func f the route function
  -- @int[opt=500] code the reply sent (with `send_reply`) after an error
  -- @treturn function the wrapped function; it returns what f returns
  -- @function protect
  function K.protect(...)
    local f = select(1, ...)
    if type(f) ~= "function" then
      argerror(1, "protect", "function expected, got " .. typename(1, ...))
    end
    local code = 500
    if select(2, ...) ~= nil then
      code = checkcode(2, "protect", ...)
    end
    checknargs("protect", 2, ...)
    -- pcall's results go through varargs, so that any number of results
    -- (nil among them) comes back as f returned it.
    local function finish(before, ok, ...)
      if ok then
        return ...
      end
      local e = ...
      if e == EXIT then
        error(e, 0)
      end
      local k = host("protect")
      local replied = finals ~= before
      if type(k.err) == "function" then
        k.err("sipcodes: route error: " .. tostring(e)
          .. (replied and " (already replied)" or "") .. "\n")
      end
      if not replied then
        K.send_reply(code)
      end
      return nil
    end
    return function(...)
      return finish(finals, pcall(f, ...))
    end
  end

  return K
end

-- The module's own helpers use the global KSR at each call.
local default = M.new(nil)
for name, fn in pairs(default) do
  M[name] = fn
end

return M
