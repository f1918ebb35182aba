-- Test doubles of the hosts, shared by the specs and the allocation-failure
-- harness (ctest/alloc_cases.lua).
--
-- doubles.ksr(state): the parts of Kamailio's KSR that sipcodes.kamailio
-- and the example route use.  Every call is recorded as one string in
-- k.calls ("sl_send_reply 486 Busy Here").  state: status (what
-- t_get_status_code returns), canceled, timeout, replied (the tm flags;
-- branch_timeout and branch_replied for the branch a failure route runs
-- for, as t_branch_timeout and t_branch_replied report them), vars (what
-- pv.get returns, e.g. ["$T_rpl($hdr(Retry-After))"]).  pv.sets, pv.seti
-- and pv.unset behave as in Kamailio 5.6 (measured): they give true, or
-- false where Kamailio refuses (seti on a $dlg_var: "non-string values are
-- not supported"); an AVP is a stack of values, k.avps[name] top first:
-- "$avp(name)" = v adds one on top, "$(avp(name)[*])" = v replaces them
-- all, unset of "$(avp(name)[*])" removes them all, get gives the top one.
--
-- doubles.session(vars, answered): a mod_lua session as far as
-- sipcodes.freeswitch uses it, recording "execute respond 486 Busy Here";
-- ready (the channel is up) until s.live is set to false.  Bridges go to
-- the far ends in s.far (see bridge below).
local M = {}

local math_type = rawget(math, "type") -- 5.3+

-- A number as Lua 5.1 prints it; floats marked, so that 486.0 sent where
-- 486 was meant shows.
local function show(v)
  if math_type and math_type(v) == "float" then
    return "float:" .. tostring(v)
  end
  return tostring(v)
end

-- The error value of KSR.x.exit(), raised from C by app_lua: no position.
M.EXIT = "~~ksr~exit~~"

function M.ksr(state)
  state = state or {}
  local k = { calls = {}, vars = state.vars or {} }
  local function rec(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[i] = show((select(i, ...))) end
    k.calls[#k.calls + 1] = table.concat(parts, " ")
  end
  local function flag(v) return v and 1 or -1 end
  k.sl = {
    sl_send_reply = function(code, reason) rec("sl_send_reply", code, reason) return 1 end,
    send_reply = function(code, reason) rec("send_reply", code, reason) return 1 end,
  }
  k.tm = {
    t_reply = function(code, reason) rec("t_reply", code, reason) return 1 end,
    t_get_status_code = function() return state.status or -1 end,
    t_is_canceled = function() return flag(state.canceled) end,
    t_any_timeout = function() return flag(state.timeout) end,
    t_any_replied = function() return flag(state.replied) end,
    t_branch_timeout = function() return flag(state.branch_timeout) end,
    t_branch_replied = function() return flag(state.branch_replied) end,
    t_newtran = function() rec("t_newtran") return 1 end,
    t_relay = function() rec("t_relay") return 1 end,
    t_on_failure = function(name) rec("t_on_failure", name) end,
    t_check_trans = function() rec("t_check_trans") return 0 end,
  }
  k.hdr = {
    append_to_reply = function(text) rec("append_to_reply", text) return 1 end,
  }
  k.avps = {}
  -- The AVP name of "$avp(n)" and of "$(avp(n)[*])" (all = true), or nil.
  local function avp(name)
    local n = name:match("^%$avp%(([%w_]+)%)$")
    if n then return n, false end
    n = name:match("^%$%(avp%(([%w_]+)%)%[%*%]%)$")
    return n, n ~= nil
  end
  local function set(name, value)
    local n, all = avp(name)
    if not n then
      k.vars[name] = value
    elseif all or not k.avps[n] then
      k.avps[n] = { value }
    else
      table.insert(k.avps[n], 1, value)
    end
    return true
  end
  k.pv = {
    get = function(name)
      local n = avp(name)
      if n and k.avps[n] then return k.avps[n][1] end
      return k.vars[name]
    end,
    sets = function(name, value) rec("sets", name, value) return set(name, value) end,
    seti = function(name, value)
      rec("seti", name, value)
      if name:find("^%$dlg_var%(") then return false end
      return set(name, value)
    end,
    unset = function(name)
      rec("unset", name)
      local n, all = avp(name)
      if not n then
        k.vars[name] = nil
      elseif all then
        k.avps[n] = nil
      elseif k.avps[n] then
        table.remove(k.avps[n], 1)
      end
      return true
    end,
  }
  k.x = { exit = function() error(M.EXIT, 0) end }
  k.err = function(msg) rec("err", msg) end
  return k
end

-- What mod_sofia reports on the caller's leg when a far end refuses a
-- bridged call: the cause for a SIP status, from the copy of its table
-- (sofia_glue_sip_cause_to_freeswitch) in spec/fixtures, read once here.
local sofia_cause, sofia_default = {}, nil
for _, row in ipairs(require("fixtures").read_tsv("freeswitch-sip-map.tsv")) do
  if row.direction == "sip_to_cause" then
    if row.sip_code == "default" then
      sofia_default = row.cause_name
    else
      sofia_cause[tonumber(row.sip_code)] = row.cause_name
    end
  end
end

-- The causes after which FreeSWITCH goes on with the dialplan even without
-- continue_on_fail (freeswitch-measured.md: "With neither variable set,
-- NO_ANSWER, NO_USER_RESPONSE and ORIGINATOR_CANCEL always continue").
local always_continue = { NO_ANSWER = true, NO_USER_RESPONSE = true, ORIGINATOR_CANCEL = true }

-- A bridge, as measured: the far end s.far[target] answers
-- ({ answer = true }), refuses ({ code = 486, phrase = "Busy Here" }),
-- rings without an answer ({ no_answer = true }), or sends nothing
-- ({ no_response = true }, the default).  The last is not measured: it is
-- modelled as the timer's cause without a SIP status; a real mod_sofia may
-- report sofia-sip's own 408 instead (then fs.hunt decides a received 408:
-- next, without a mark-down).  The caller cancelling is { cancel = true }.  The variables are set as FreeSWITCH
-- sets them on the caller's leg.  Without continue_on_fail=true a failed
-- bridge hangs the caller up: ready() turns false, mod_sofia refuses the
-- call with the far end's code from its hangup path (recorded as
-- "refused <code>"), and a later respond does nothing.
local function bridge(s, target)
  local o = s.far[target] or { no_response = true }
  local v = s.vars
  s.bridged[#s.bridged + 1] = target
  if o.answer then
    v.originate_disposition = "SUCCESS"
    v.last_bridge_hangup_cause = "NORMAL_CLEARING"
    s.up = true
    return
  end
  if o.cancel then
    v.last_bridge_hangup_cause = "ORIGINATOR_CANCEL"
    v.originate_disposition = "ORIGINATOR_CANCEL"
    s.live = false
    return
  end
  if o.code then
    v.last_bridge_proto_specific_hangup_cause = "sip:" .. o.code
    v.last_bridge_hangup_cause = sofia_cause[o.code] or sofia_default
    v.sip_hangup_phrase = o.phrase
  else
    v.last_bridge_hangup_cause = o.no_answer and "NO_ANSWER" or "RECOVERY_ON_TIMER_EXPIRE"
  end
  v.originate_disposition = v.last_bridge_hangup_cause
  if v.continue_on_fail ~= "true" and not always_continue[v.last_bridge_hangup_cause] then
    s.live = false
    s.calls[#s.calls + 1] = "refused " .. tostring(o.code or 480)
  end
end

function M.session(vars, answered)
  local s = { calls = {}, vars = vars or {}, up = answered or false, live = true, far = {}, bridged = {} }
  function s:execute(app, data)
    if app == "respond" and not self.live then
      -- "Channel is hungup and application respond does not have the
      -- zombie_exec flag": nothing is sent
      self.calls[#self.calls + 1] = "ignored respond " .. tostring(data)
      return
    end
    self.calls[#self.calls + 1] = "execute " .. app .. " " .. tostring(data)
    if app == "bridge" then bridge(self, data) end
  end
  function s:hangup(cause)
    self.calls[#self.calls + 1] = "hangup " .. tostring(cause)
  end
  function s:getVariable(name)
    return self.vars[name]
  end
  function s:setVariable(name, value)
    self.calls[#self.calls + 1] = "set " .. tostring(name) .. "=" .. tostring(value)
    self.vars[name] = value
  end
  function s:answered()
    return self.up
  end
  function s:ready()
    return self.live
  end
  return s
end

return M
