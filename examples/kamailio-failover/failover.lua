-- failover.lua - KEMI routing script for examples/kamailio-failover/kamailio.cfg:
-- a proxy that sends INVITEs to the gateways of dispatcher set 1 and, when
-- one fails, lets a sipcodes policy decide what happens next.
--
-- The failure route is kam.tag() (the reply's outcome, for acc: see
-- Accounting below) and one call, kam.failover(p, handlers): it reads what
-- tm knows (cancelled, a local timeout, the winning code, its Retry-After),
-- decides with the policy and acts through the handlers below:
--
--   relay      nothing is sent from here: tm relays the gateway's reply as
--              it came, with every header (Retry-After, Proxy-Authenticate,
--              Contact, Reason ...)
--   next       the next gateway of the set (handlers.next)
--   next_down  that gateway marked down in the dispatcher first
--              (handlers.mark_down), then the next one
--   redirect   the first Contact of a 3xx tried (handlers.redirect; only
--              with the policy option follow_redirects = true)
--   auth       no handler here: the challenge goes back to the caller, who
--              holds the credentials (a trunk with credentials of its own
--              would call KSR.uac.uac_auth() and relay again)
--
-- The policy: the preset "carrier" by default.  A settings file named by
-- the environment variable SIPCODES_FAILOVER_SETTINGS may return a table
-- with any of
--   preset     "carrier" | "rfc3261" | "lcr"
--   overrides  the second argument of policy.new, e.g. { [603] = "next" }
--              or { follow_redirects = true }
--   set        the dispatcher set (1)
--   algorithm  the dispatcher algorithm (8: the first active gateway, the
--              others in priority order for failover)
--   parallel   true: ring every gateway of the set at once instead of one
--              after the other (tm then picks the best reply, RFC 3261
--              16.7, and the failure route sees that one)
-- e.g. SIPCODES_FAILOVER_SETTINGS=/etc/kamailio/failover-settings.lua with
--   return { overrides = { [603] = "next" } }
--
-- Ringing: tm does not record whether a provisional reply came back before
-- a final one, and the policy never fails over once the caller heard a
-- gateway ring (two phones would ring).  An onreply route, armed before
-- every t_relay of an INVITE, sets the flag FLT_RINGING on a 101-199 (not
-- on 100 Trying, which only says the gateway is there); handlers.ctx
-- reports it to kam.failover as `provisional`.  The flag belongs to the
-- transaction, not to one branch: once a gateway rang, the caller heard
-- it, whichever branch fails later (after ringing the policy relays, so a
-- later branch exists only with the option failover_after_ringing, which
-- does not read the flag, or after a followed redirect).
--
-- Accounting (kamailio.cfg loads acc): every initial INVITE is flagged for
-- acc (FLT_ACC, FLT_ACC_FAILED) before its t_relay, and kam.tag writes the
-- outcome of the reply the caller gets into the AVPs acc records
-- (sipcodes_outcome, sipcodes_party, sipcodes_code, sipcodes_phrase): the
-- failure route tags the winning reply before it fails over (a next
-- gateway's failure or 2xx tags again, replacing it), the onreply route
-- tags a 2xx with its code (an answered call has no failure route, and no
-- winning reply yet when its 200 comes in).
--
-- app_lua calls the ksr_* functions by name, so they have to be globals.
-- luacheck: globals ksr_request_route ksr_failure_manage ksr_onreply_ring
-- luacheck: read globals KSR

local policy = require "sipcodes.policy"
local kam = require "sipcodes.kamailio"

local os, pairs, tonumber, tostring = os, pairs, tonumber, tostring

local settings = { preset = "carrier", set = 1, algorithm = 8, parallel = false }
do
  local file = os.getenv("SIPCODES_FAILOVER_SETTINGS")
  if file and file ~= "" then
    for k, v in pairs(dofile(file)) do
      settings[k] = v
    end
  end
end

-- One policy per worker, made when app_lua loads this file.
local p = policy.new(settings.preset, settings.overrides)

local FAILURE_ROUTE = "ksr_failure_manage"
local ONREPLY_ROUTE = "ksr_onreply_ring"
-- The transaction flag that says a gateway rang (see the top).
local FLT_RINGING = 8
-- acc's log_flag and failed_transaction_flag (kamailio.cfg).
local FLT_ACC, FLT_ACC_FAILED = 1, 2

-- Every reply to a relayed INVITE, before tm handles it: a provisional
-- other than 100 sets FLT_RINGING; a 2xx is tagged answered for acc.
function ksr_onreply_ring()
  local c = tonumber(KSR.pv.get("$rs"))
  if c and c > 100 and c < 200 then
    KSR.setflag(FLT_RINGING)
  elseif c and c >= 200 and c < 300 then
    kam.tag({ code = c })
  end
end

-- Arm the routes an INVITE's branch needs, before its t_relay: the
-- failure route and the onreply route that notes ringing.
local function arm()
  KSR.tm.t_on_failure(FAILURE_ROUTE)
  KSR.tm.t_on_reply(ONREPLY_ROUTE)
end

-- Relay the request as it stands (R-URI, destination URI, branches); with
-- failover, the failure and onreply routes armed (initial INVITEs only: a
-- request inside a dialog has one place to go).
local function relay(failover)
  if failover then
    arm()
  end
  if KSR.tm.t_relay() < 0 then
    KSR.sl.sl_reply_error()
  end
end

-- Requests inside a dialog (ACK and BYE of an answered call, re-INVITE):
-- they follow the Record-Route this proxy put in.
local function within_dialog()
  if KSR.rr.loose_route() > 0 then
    relay()
    return
  end
  if KSR.is_ACK() then
    -- The ACK of a failed INVITE comes here hop by hop: tm absorbs it.
    if KSR.tm.t_check_trans() > 0 then
      relay()
    end
    return
  end
  kam.sl_reply(404)
end

-- Ring every gateway of the set at once: the main branch keeps the first
-- gateway, one more branch for each of the others.
local function fork_to_all()
  local first = KSR.pv.get("$du")
  for _ = 1, 32 do
    if KSR.dispatcher.ds_next_dst() < 0 then
      break
    end
    KSR.corex.append_branch()
  end
  KSR.setdsturi(first)
end

function ksr_request_route()
  if KSR.maxfwd.process_maxfwd(10) < 0 then
    kam.sl_reply(483)
    return
  end
  if KSR.is_CANCEL() then
    -- Relayed to the branches of its INVITE by tm, which answers 487.
    if KSR.tm.t_check_trans() > 0 then
      relay()
    end
    return
  end
  if KSR.siputils.has_totag() > 0 then
    within_dialog()
    return
  end
  -- Retransmissions of a request tm already handles.
  if not KSR.is_ACK() then
    if KSR.tmx.t_precheck_trans() > 0 then
      KSR.tm.t_check_trans()
      return
    end
    if KSR.tm.t_check_trans() == 0 then
      return
    end
  end
  if KSR.is_ACK() then
    return
  end
  if KSR.is_OPTIONS() and KSR.is_myself_ruri() then
    kam.sl_reply(200)
    return
  end
  if not KSR.is_INVITE() then
    kam.sl_reply(501)
    return
  end

  KSR.rr.record_route()
  if KSR.dispatcher.ds_select_dst(settings.set, settings.algorithm) < 0 then
    kam.send_reply(503)
    return
  end
  if settings.parallel then
    fork_to_all()
  end
  -- Accounted, answered or not (acc reads the flags when t_relay creates
  -- the transaction).
  KSR.setflag(FLT_ACC)
  KSR.setflag(FLT_ACC_FAILED)
  relay(true)
end

-- A 3xx is followed by sending the request to the first Contact of the
-- winning reply.  (uac_redirect's get_redirects() would add every
-- Contact as a branch.)  Follow redirects only from gateways you trust:
-- the Contact decides where the call goes.
local function follow_redirect(ctx)
  local contact = KSR.pv.get("$T_rpl($hdr(Contact))")
  local uri = contact and (contact:match("<(sips?:[^>]+)>") or contact:match("^%s*(sips?:[^;,%s]+)"))
  if not uri then
    return false
  end
  KSR.pv.sets("$avp(sipcodes_redirects)", tostring((ctx.redirects or 0) + 1))
  KSR.pv.sets("$ru", uri)
  KSR.resetdsturi()
  arm()
  return KSR.tm.t_relay() > 0
end

local handlers = {
  -- The next gateway of the set; false when there is none left, and the
  -- failed gateway's reply is relayed.
  next = function()
    if KSR.dispatcher.ds_next_dst() < 0 then
      return false
    end
    arm()
    return KSR.tm.t_relay() > 0
  end,
  -- The gateway that failed is still the current destination: inactive and
  -- probing, so that the next calls skip it; the dispatcher's OPTIONS
  -- probes (kamailio.cfg: ds_ping_interval, ds_probing_mode 2,
  -- ds_ping_reply_codes) make it active again once it answers.  The policy's
  -- seconds (Retry-After, clamped, else its default) are logged; the
  -- dispatcher has no timed mark-down.
  mark_down = function(seconds)
    KSR.dispatcher.ds_mark_dst_state("ip")
    KSR.info("failover: gateway " .. tostring(KSR.pv.get("$du")) .. " marked down (policy: "
      .. tostring(seconds) .. " s)\n")
  end,
  redirect = follow_redirect,
  -- What tm cannot tell: whether a gateway rang (the onreply route's
  -- flag; KSR.isflagset is a boolean), how many redirects this call
  -- followed already.
  ctx = function()
    return {
      provisional = KSR.isflagset(FLT_RINGING),
      redirects = tonumber(KSR.pv.get("$avp(sipcodes_redirects)")) or 0,
    }
  end,
}

function ksr_failure_manage()
  -- The winning code and its outcome, read before a handler relays again
  -- (after that tm has a new branch and no winner).  The tag is what acc
  -- records if this reply goes to the caller; the ctx is the handlers'
  -- (ringing turns a 408 into no answer).
  local code = KSR.tm.t_get_status_code()
  kam.tag({ ctx = handlers.ctx })
  local action, why = kam.failover(p, handlers)
  KSR.info("failover: " .. tostring(code) .. " -> " .. tostring(action) .. " (" .. tostring(why) .. ")\n")
end
