--- FreeSWITCH helpers: hangup causes, mod_sofia's SIP <-> cause mapping,
-- and session helpers for mod_lua scripts.
--
--     local fs = require "sipcodes.freeswitch"
--     fs.cause_number("user_busy")     --> 17
--     fs.cause_name(17)                --> "USER_BUSY"
--     fs.sip_to_cause(486)             --> 17   (as mod_sofia maps a 486)
--     fs.cause_to_sip("CALL_REJECTED") --> 603  (as mod_sofia refuses with it)
--     fs.respond(session, 608)         -- session:execute("respond", "608 Rejected")
--
-- The tables live in the C core (one copy, shared by every thread of
-- FreeSWITCH); this file only adds the session helpers.  mod_lua makes a
-- new lua_State for every script run, so nothing here is built up front
-- beyond one small table of functions.
--
-- Sessions are passed in, never taken from a global: a helper works on the
-- `session` of a dialplan script, on a session made with
-- `freeswitch.Session(...)`, or on a test double with the same methods
-- (`execute`, `hangup`, `getVariable`, `setVariable`, `answered`).
-- @module sipcodes.freeswitch

local sip = require "sipcodes"
local core = require "sipcodes.core"

local ipairs, pcall, select, string_format, string_match, tonumber, type =
      ipairs, pcall, select, string.format, string.match, tonumber, type

local fsc = core._freeswitch()

local M = {}

--- The name of a cause: a number, a numeric string or a name in any case.
-- @function cause_name
-- @tparam int|string cause
-- @treturn[1] string e.g. "USER_BUSY"
-- @treturn[2] nil when FreeSWITCH has no such cause
M.cause_name = fsc.cause_name

--- The number of a cause: a name in any case (as `session:hangup` takes it),
-- a numeric string or a number.
-- @function cause_number
-- @tparam int|string cause
-- @treturn[1] int e.g. 17
-- @treturn[2] nil when FreeSWITCH has no such cause
M.cause_number = fsc.cause_number

--- The cause mod_sofia records for a SIP status it receives, when no
-- Reason header gives one: its table (RFC 4497 based, with additions),
-- else NORMAL_UNSPECIFIED (31).
-- @function sip_to_cause
-- @int code
-- @treturn int cause number (see `cause_name`)
M.sip_to_cause = fsc.sip_to_cause

--- The SIP status mod_sofia refuses a call with for a hangup cause: its
-- table, else 480.
-- @function cause_to_sip
-- @tparam int|string cause number or name
-- @treturn[1] int code
-- @treturn[2] nil for a name FreeSWITCH does not have
M.cause_to_sip = fsc.cause_to_sip

--- The cause to hang up with so that mod_sofia sends code: its own cause
-- for code if that maps back, else the lowest cause that maps to code.
-- When no cause gives code (608, 499), the cause mod_sofia gives code;
-- compare `cause_to_sip` of the result with code to see what goes out.
-- @function cause_for_sip
-- @int code
-- @treturn int cause number
M.cause_for_sip = fsc.cause_for_sip

--- The Q.850 value FreeSWITCH sends for a cause (Reason header,
-- hangup_cause_q850): causes up to 127 as they are, others 16.
-- @function cause_q850
-- @tparam int|string cause number or name
-- @treturn[1] int
-- @treturn[2] nil for an unknown name or a negative number
M.cause_q850 = fsc.cause_q850

--- A fresh table of every cause, NAME -> number.
-- @function causes
-- @treturn table
M.causes = fsc.causes

-- ---- argument checks (shared with the other adapter: sipcodes.args) ------

local args = require "sipcodes.args"
local argerror, typename, checkcode, checkreason =
      args.argerror, args.typename, args.checkcode, args.checkreason

-- A session: a table or userdata whose methods (the ones the helper is
-- about to call) are there, so that a wrong object gets an argument error
-- instead of "attempt to call a nil value" from inside the helper.
local function checksession(fname, methods, ...)
  local s = ...
  local t = type(s)
  if t ~= "userdata" and t ~= "table" then
    argerror(1, fname, "session expected, got " .. typename(1, ...))
  end
  for _, m in ipairs(methods) do
    local ok, f = pcall(function() return s[m] end)
    if not ok or f == nil then
      argerror(1, fname, "session expected, got " .. t .. " without " .. m .. "()")
    end
  end
  return s
end



-- ---- session helpers -------------------------------------------------------------

--- Answer an unanswered call with a SIP response and a real phrase.
-- Runs `session:execute("respond", "<code> <phrase>")`.  Without a reason
-- the phrase is `sipcodes.phrase(code)`, never FreeSWITCH's "Because",
-- which mod_sofia sends when sofia-sip has no phrase for a code (608,
-- 425, ...).  mod_sofia gives some codes a meaning of their own: 302
-- redirects, 401/407 challenge; use the dialplan's redirect and auth for
-- those.
-- @param session a mod_lua session
-- @int code 100-699
-- @string[opt] reason the phrase; default `sipcodes.phrase(code)`
-- @treturn string what was passed to respond, e.g. "608 Rejected"
function M.respond(...)
  local session = checksession("respond", { "execute" }, ...)
  local code = checkcode(2, "respond", ...)
  local reason = checkreason(3, "respond", ...)
  if select("#", ...) > 3 then
    argerror(4, "respond", "no more than 3 arguments expected, got " .. select("#", ...))
  end
  local data = string_format("%d %s", code, reason or sip.phrase(code))
  session:execute("respond", data)
  return data
end

--- Hang up with the cause that makes mod_sofia refuse the call with code
-- (see `cause_for_sip`).  Returns the cause name used and the code that
-- mod_sofia derives from it, which differs from code when no cause gives
-- code (then use `respond` for the exact code).
--
-- mod_sofia refuses with `hangup_cause_to_sip(cause)` unless a leg this
-- one was bridged to left `last_bridge_proto_specific_hangup_cause`
-- ("sip:NNN"): then it sends NNN instead, unless the channel variable
-- `sip_ignore_remote_cause` is true.  So that the code returned is the
-- code that goes out, `hangup` sets `sip_ignore_remote_cause` to "true"
-- before it hangs up.
-- @param session a mod_lua session
-- @int code 100-699
-- @treturn string cause name, e.g. "USER_BUSY"
-- @treturn int the code mod_sofia sends for it
function M.hangup(...)
  local session = checksession("hangup", { "setVariable", "hangup" }, ...)
  local code = checkcode(2, "hangup", ...)
  if select("#", ...) > 2 then
    argerror(3, "hangup", "no more than 2 arguments expected, got " .. select("#", ...))
  end
  local cause = fsc.cause_for_sip(code)
  local name = fsc.cause_name(cause)
  session:setVariable("sip_ignore_remote_cause", "true")
  session:hangup(name)
  return name, fsc.cause_to_sip(cause)
end

-- A channel variable, nil when unset or empty.
local function getvar(session, name)
  local v = session:getVariable(name)
  if v == nil or v == "" then
    return nil
  end
  return v
end

-- The code in a variable: "486" (form "status") or "sip:486" ("proto"),
-- only when it is a status a response can have (100-699): "000" or
-- "sip:999" tell nothing, and the next source is read.
local function code_of(value, form)
  if not value then
    return nil
  end
  local digits
  if form == "status" then
    digits = string_match(value, "^%s*(%d%d%d)%s*$")
  else
    digits = string_match(value, "^[Ss][Ii][Pp][Ss]?:(%d%d%d)$")
  end
  local code = digits and tonumber(digits)
  if not code or code < 100 or code > 699 then
    return nil
  end
  return code
end

-- Where outcome looks for the SIP status, in order: the status this leg
-- ended with, the protocol-specific cause of this leg, then what the leg it
-- was bridged to left behind (on the caller's leg after a failed bridge).
local SOURCES = {
  { "sip_term_status", "status" },
  { "proto_specific_hangup_cause", "proto" },
  { "last_bridge_proto_specific_hangup_cause", "proto" },
}

-- Then, without any SIP status, the hangup causes, in order: this leg's
-- (hangup_cause, else session:hangupCause()), the bridged leg's, and the
-- cause of a failed originate ("USER_BUSY"; "SUCCESS", "failure" and
-- "call accepted" are other values it takes).
local CAUSES = { "hangup_cause", "last_bridge_hangup_cause", "originate_disposition" }

-- The cause number of a cause name (or number), nil for none: an unknown
-- name, or NONE (0), which a channel that has not ended reports.
local function cause_of(name)
  local cause = name and fsc.cause_number(name)
  if cause == 0 then
    return nil
  end
  return cause
end

--- How a call ended, as a SIP code and an info table.
-- Reads, in order, the SIP status in `sip_term_status` ("486"),
-- `proto_specific_hangup_cause` ("sip:486") and
-- `last_bridge_proto_specific_hangup_cause` ("sip:486"), taking only
-- 100-699.  Without one, a hangup cause in `hangup_cause` (else
-- `session:hangupCause()`), `last_bridge_hangup_cause` or
-- `originate_disposition`, in that order, is turned into a code as
-- mod_sofia would (`cause_to_sip`), except that a normal clearing
-- (NORMAL_CLEARING, SUCCESS) of an answered call is 200.
-- @param session a mod_lua session
-- @treturn[1] int code
-- @treturn[1] table info: `code`, `phrase`, `class_name`, `source` (the
--   variable the code came from), `hangup_cause` (name of this leg's
--   cause), `cause` (its number), `q850`, `answered`, and the variables
--   read
-- @treturn[2] nil when the session tells nothing yet
-- @treturn[2] table info with what was read
function M.outcome(...)
  local session = checksession("outcome", { "getVariable" }, ...)
  if select("#", ...) > 1 then
    argerror(2, "outcome", "no more than 1 argument expected, got " .. select("#", ...))
  end
  local info = {}
  local code
  for i = 1, #SOURCES do
    local var, form = SOURCES[i][1], SOURCES[i][2]
    local value = getvar(session, var)
    info[var] = value
    local c = code_of(value, form)
    if c and not code then
      code, info.source = c, var
    end
  end

  -- The causes, read whether or not a status was found, for info.
  local causes = {}
  for i = 1, #CAUSES do
    local var = CAUSES[i]
    local value = getvar(session, var)
    if var == "hangup_cause" then
      if not value and type(session.hangupCause) == "function" then
        value = session:hangupCause()
      end
      local cause = cause_of(value)
      if cause then
        info.hangup_cause = fsc.cause_name(cause)
        info.cause = cause
        info.q850 = fsc.cause_q850(cause)
      end
    else
      info[var] = value
    end
    causes[i] = cause_of(value)
  end
  if type(session.answered) == "function" then
    info.answered = session:answered() and true or false
  end
  info.sip_hangup_phrase = getvar(session, "sip_hangup_phrase")

  for i = 1, #CAUSES do
    local cause = causes[i]
    if not code and cause then
      local name = fsc.cause_name(cause)
      if (name == "NORMAL_CLEARING" or name == "SUCCESS") and info.answered then
        code = 200
      else
        code = fsc.cause_to_sip(cause)
      end
      info.source = CAUSES[i]
    end
  end
  if not code then
    return nil, info
  end
  info.code = code
  info.phrase = sip.phrase(code)
  info.class_name = sip.class_name(code)
  return code, info
end

return M
