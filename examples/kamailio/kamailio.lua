-- kamailio.lua - KEMI routing script for examples/kamailio/kamailio.cfg.
--
-- Every reply goes through sipcodes.kamailio, so it always carries a real
-- reason phrase (Kamailio's sl module refuses an empty one), and optionally
-- a Q.850 Reason header (RFC 6432).  The request-URI user picks what the
-- script does, which is what tools/kamailio-e2e.sh exercises:
--
--   OPTIONS           200 OK
--   486, 603, ...     that code, stateless, with its Reason header
--   tm-<code>         that code from a transaction (t_reply)
--   sr-<code>         that code through sl's send_reply
--   cause-<n>         the RFC 3398 response for Q.850 cause n, with a
--                     Reason header carrying cause n
--   quota             477, a code this script registers
--   unknown           499, which no registry has: phrase() gives its class
--   fwd-<user>        relayed to <user> on this same proxy; the failure
--                     route relays the winning reply, headers and all
--   exit              KSR.x.exit() inside sipcodes' protect(): still exits
--   error             a Lua error inside protect(): logged, 500 sent
--   error-object      an error value whose __tostring raises: logged by
--                     its type, 500 sent
--   late-error        a reply, then a Lua error inside protect(): logged,
--                     and no second final reply
--
-- app_lua calls the ksr_* functions by name, so they have to be globals.
-- luacheck: globals ksr_request_route ksr_failure_route
-- luacheck: read globals KSR

local sip = require "sipcodes"
local kam = require "sipcodes.kamailio"
local policy = require "sipcodes.policy"

local tonumber, setmetatable = tonumber, setmetatable

-- Option tables made once: a route that replies on every request should
-- not build a table for each one.
local WITH_REASON = { reason = true }

-- What the failure route does after a final response (made once per worker).
local CARRIER = policy.new("carrier")
local NO_HANDLERS = {}

-- A code of this deployment.  Registrations belong to one lua_State, and
-- app_lua loads this file once in each worker, so every worker has it.
sip.register(477, "Quota Exceeded", { description = "The caller used up the call quota of the account." })

local function code_in(s)
  local n = tonumber(s)
  if n and n >= 100 and n <= 699 and n % 1 == 0 then
    return n
  end
  return nil
end

-- Runs inside protect(): a reply, then KSR.x.exit().  If protect swallowed
-- the exit, the caller's next reply would go out as well.
local exit_test = kam.protect(function()
  kam.sl_reply(480, "Exit Test")
  KSR.x.exit()
end)

local error_test = kam.protect(function()
  error("boom")
end)

-- An error value nobody can print: protect must still log and answer.
local object_test = kam.protect(function()
  error(setmetatable({}, { __tostring = function() error("no text") end }))
end)

local late_error_test = kam.protect(function()
  kam.sl_reply(486, "Late Error")
  error("late boom")
end)

function ksr_request_route()
  local method = KSR.pv.get("$rm")
  if method == "ACK" then
    -- The ACK to a reply of a transaction: let tm absorb it.
    KSR.tm.t_check_trans()
    return
  end
  if method == "OPTIONS" then
    kam.sl_reply(200)
    return
  end
  if method ~= "INVITE" then
    kam.sl_reply(501)
    return
  end

  local user = KSR.pv.get("$rU") or ""
  local code = code_in(user)
  if code then
    kam.sl_reply(code, nil, WITH_REASON)
    return
  end

  local kind, arg = user:match("^(%a+)%-(.+)$")
  if kind == "tm" and code_in(arg) then
    KSR.tm.t_newtran()
    kam.t_reply(code_in(arg), nil, WITH_REASON)
  elseif kind == "sr" and code_in(arg) then
    kam.send_reply(code_in(arg))
  elseif kind == "cause" and arg:match("^%d%d?%d?$") then
    local cause = tonumber(arg)
    local reply = sip.from_q850(cause) or 500
    kam.sl_reply(reply, nil, { reason = cause })
  elseif kind == "fwd" then
    KSR.pv.sets("$rU", arg)
    KSR.tm.t_on_failure("ksr_failure_route")
    KSR.tm.t_relay()
  elseif user == "quota" then
    kam.sl_reply(477)
  elseif user == "unknown" then
    kam.sl_reply(499)
  elseif user == "exit" then
    exit_test()
    kam.sl_reply(500, "Exit Swallowed")
  elseif user == "error" then
    error_test()
  elseif user == "error-object" then
    object_test()
  elseif user == "late-error" then
    late_error_test()
  else
    kam.sl_reply(404)
  end
end

-- The relayed INVITE failed.  Whatever the policy decides, nothing is sent
-- over the winning reply: when the route sends nothing, tm relays that
-- reply with every header it carries (a Retry-After, a Proxy-Authenticate,
-- a Contact), and a cancelled INVITE gets its 487.  This proxy has no
-- second destination, so "next" finds no handler and relays too; see
-- examples/kamailio-failover/ for a dispatcher set.
function ksr_failure_route()
  kam.failover(CARRIER, NO_HANDLERS)
end
