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
-- doubles.session(vars, answered, sofia): a mod_lua session as far as
-- sipcodes.freeswitch uses it, recording "execute respond 486 Busy Here";
-- sofia is the table of sofia-sip's phrases its mod_sofia uses
-- (M.SOFIA_PHRASES, the default, or M.SOFIA_PHRASES_BEFORE_65, below);
-- ready (the channel is up) until it hangs up (session:hangup, a respond
-- of 400 and up, a failed bridge without continue_on_fail) or s.live is set
-- to false.  s.received is the status line the caller got, as mod_sofia
-- sends it ("SIP/2.0 608 "); bridges go to the far ends in s.far (see
-- bridge below).
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

-- ---- FreeSWITCH ----------------------------------------------------------
-- The double follows ../shared/reference/freeswitch-measured.md (FreeSWITCH
-- 1.10.12, mod_sofia and mod_lua, a SIPp far end): where the page and this
-- file disagree, the page is right.  What the caller received is kept as the
-- raw status line in s.received ("SIP/2.0 608 ", a trailing space for an
-- empty phrase), set by the first final response and never again.

-- sofia-sip's phrase for each code it knows: sip_status_phrase() in
-- libsofia-sip-ua/sip/sip_status.c (freeswitch/sofia-sip), in two versions.
-- M.SOFIA_PHRASES is sofia-sip since its pull request #65 (2021), which
-- gave 428 and 436-439 a case in sip_status_phrase() (the version the
-- cross-check in iana-notes.md read): 67 codes.  M.SOFIA_PHRASES_BEFORE_65
-- is an older sofia-sip, as the copy at commit ad0adea has it: the strings
-- for those five are defined, but the switch has no case for them, so
-- they get "" too: 62 codes.  For any code not in the table, from 100 to
-- 699, sofia-sip gives "", and that is the phrase mod_sofia's hangup path
-- sends.  The sofia-sip of the FreeSWITCH measured is not on the page;
-- no measured row depends on the five codes.  A session uses
-- M.SOFIA_PHRASES unless doubles.session is given the other table.
M.SOFIA_PHRASES = {
  [100] = "Trying", [180] = "Ringing", [181] = "Call Is Being Forwarded",
  [182] = "Queued", [183] = "Session Progress",
  [200] = "OK", [202] = "Accepted",
  [300] = "Multiple Choices", [301] = "Moved Permanently", [302] = "Moved Temporarily",
  [305] = "Use Proxy", [380] = "Alternative Service",
  [400] = "Bad Request", [401] = "Unauthorized", [402] = "Payment Required",
  [403] = "Forbidden", [404] = "Not Found", [405] = "Method Not Allowed",
  [406] = "Not Acceptable", [407] = "Proxy Authentication Required",
  [408] = "Request Timeout", [409] = "Conflict", [410] = "Gone",
  [411] = "Length Required", [412] = "Precondition Failed",
  [413] = "Request Entity Too Large", [414] = "Request-URI Too Long",
  [415] = "Unsupported Media Type", [416] = "Unsupported URI Scheme",
  [417] = "Unknown Resource-Priority", [420] = "Bad Extension",
  [421] = "Extension Required", [422] = "Session Interval Too Small",
  [423] = "Interval Too Brief", [428] = "Use Identity Header",
  [436] = "Bad Identity Info", [437] = "Unsupported Credential",
  [438] = "Invalid Identity Header", [439] = "Stale Date",
  [480] = "Temporarily Unavailable", [481] = "Call/Transaction Does Not Exist",
  [482] = "Loop Detected", [483] = "Too Many Hops", [484] = "Address Incomplete",
  [485] = "Ambiguous", [486] = "Busy Here", [487] = "Request Terminated",
  [488] = "Not Acceptable Here", [489] = "Bad Event", [490] = "Request Updated",
  [491] = "Request Pending", [493] = "Undecipherable",
  [494] = "Security Agreement Required",
  [500] = "Internal Server Error", [501] = "Not Implemented", [502] = "Bad Gateway",
  [503] = "Service Unavailable", [504] = "Gateway Time-out",
  [505] = "Version Not Supported", [513] = "Message Too Large",
  [580] = "Precondition Failure",
  [600] = "Busy Everywhere", [603] = "Decline", [604] = "Does Not Exist Anywhere",
  [606] = "Not Acceptable", [607] = "Unwanted", [687] = "Dialog Terminated",
}
M.SOFIA_PHRASES_BEFORE_65 = {}
for code, phrase in pairs(M.SOFIA_PHRASES) do
  if code ~= 428 and (code < 436 or code > 439) then
    M.SOFIA_PHRASES_BEFORE_65[code] = phrase
  end
end

-- mod_sofia's two tables and FreeSWITCH's cause names, from the copies of
-- the reference tables in spec/fixtures (never from sipcodes itself):
-- sofia_cause[code] (sofia_glue_sip_cause_to_freeswitch), sofia_code[name]
-- (hangup_cause_to_sip in mod_sofia.c), cause_names[number].
local read_tsv = require("fixtures").read_tsv
local sofia_cause, sofia_cause_default = {}, nil
local sofia_code, sofia_code_default = {}, nil
for _, row in ipairs(read_tsv("freeswitch-sip-map.tsv")) do
  if row.direction == "sip_to_cause" then
    if row.sip_code == "default" then
      sofia_cause_default = row.cause_name
    else
      sofia_cause[tonumber(row.sip_code)] = row.cause_name
    end
  elseif row.direction == "cause_to_sip" then
    if row.cause_name == "default" then
      sofia_code_default = tonumber(row.sip_code)
    else
      sofia_code[row.cause_name] = tonumber(row.sip_code)
    end
  end
end
-- For the specs that check against the same copy.
M.sofia_code, M.sofia_code_default = sofia_code, sofia_code_default
local cause_names, cause_numbers = {}, {}
for _, row in ipairs(read_tsv("freeswitch-causes.tsv")) do
  cause_names[tonumber(row.number)] = row.name
  cause_numbers[row.name] = tonumber(row.number)
end

-- The cause name session:hangup(cause) ends with (switch_channel_str2cause):
-- a name in any case, a string that starts with a digit read as a number,
-- NORMAL_CLEARING for anything else and for no argument.
local function str2cause(cause)
  local s = tostring(cause or "NORMAL_CLEARING")
  if s:find("^%d") then
    local n = tonumber(s:match("^%d+"))
    return cause_names[n] or n
  end
  s = s:upper()
  return cause_numbers[s] and s or "NORMAL_CLEARING"
end

-- The truth of a channel variable as switch_true reads it (the common words).
local function is_true(v)
  v = v and tostring(v):lower()
  return v == "true" or v == "yes" or v == "on" or v == "1"
end

-- The status line s sends once, the first final response only.
local function send(s, code, phrase)
  if not s.received then
    s.received = "SIP/2.0 " .. tostring(code) .. " " .. phrase
  end
end

-- The channel hangs up with cause (a name, or a number without one).  For
-- an unanswered call mod_sofia's sofia_on_hangup refuses the INVITE with:
-- the code of a respond that hung the channel up, else the far end's code
-- in last_bridge_proto_specific_hangup_cause ("sip:608") unless
-- sip_ignore_remote_cause is true, else hangup_cause_to_sip(cause); and
-- with the respond's phrase, else sofia-sip's phrase for the code (maybe
-- ""): so a 608 passed on from a far end goes out as "608 ".
local function hang_up(s, cause)
  if not s.live then return end
  s.live = false
  s.cause = cause
  if s.up then return end -- a BYE: no status line
  local v = s.vars
  local code = sofia_code[cause] or sofia_code_default
  if not is_true(v.sip_ignore_remote_cause) then
    local ps = v.last_bridge_proto_specific_hangup_cause
    local n = ps and tonumber(tostring(ps):lower():match("^sips?:(%d+)"))
    if n and n ~= 0 then code = n end
  end
  if s.respond_code then code = s.respond_code end
  send(s, code, s.respond_phrase or s.sofia[code] or "")
end

-- session:execute("respond", data), as mod_sofia's RESPOND indication: the
-- code (atoi; none: 488) and the text after the first space as the phrase;
-- without a phrase sofia-sip's, and "Because" where that is empty.  A code
-- of 400 and up on an unanswered channel is kept with its phrase for the
-- hangup path, and the channel is hung up with mod_sofia's cause for the
-- code (sofia_glue_sip_cause_to_freeswitch): ready() turns false.  1xx-3xx
-- (progress, answer, redirect) are not modelled.
local function respond(s, data)
  data = tostring(data)
  local code = tonumber(data:match("^(%d+)")) or 0
  if code == 0 then code = 488 end
  local phrase = data:match("^%d+ (.+)$")
  if not phrase then
    phrase = s.sofia[code] or ""
    if phrase == "" then phrase = "Because" end
  end
  if code >= 400 and not s.up then
    s.respond_code, s.respond_phrase = code, phrase
    hang_up(s, sofia_cause[code] or sofia_cause_default)
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
-- next, without a mark-down).  The caller cancelling is { cancel = true }.
-- The variables are set as the page lists them on the caller's leg (for a
-- 486: last_bridge_proto_specific_hangup_cause = sip:486,
-- last_bridge_hangup_cause, originate_disposition and
-- originate_failed_cause = USER_BUSY, sip_hangup_phrase = Busy Here;
-- sip_term_status, proto_specific_hangup_cause and hangup_cause unset,
-- hangupCause() "NONE", answered() false).  Without continue_on_fail=true a
-- failed bridge hangs the caller up: ready() turns false, mod_sofia
-- refuses the call from its hangup path (recorded as "refused <code>", the
-- status line in s.received), and a later respond does nothing.
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
    v.originate_failed_cause = "ORIGINATOR_CANCEL"
    s.live = false
    return
  end
  if o.code then
    v.last_bridge_proto_specific_hangup_cause = "sip:" .. o.code
    v.last_bridge_hangup_cause = sofia_cause[o.code] or sofia_cause_default
    v.sip_hangup_phrase = o.phrase
  else
    v.last_bridge_hangup_cause = o.no_answer and "NO_ANSWER" or "RECOVERY_ON_TIMER_EXPIRE"
  end
  v.originate_disposition = v.last_bridge_hangup_cause
  v.originate_failed_cause = v.last_bridge_hangup_cause
  if not is_true(v.continue_on_fail) and not always_continue[v.last_bridge_hangup_cause] then
    hang_up(s, v.last_bridge_hangup_cause)
    s.cause = nil -- as measured: hangupCause() still "NONE"
    if s.received then
      s.calls[#s.calls + 1] = "refused " .. s.received:match("^SIP/2%.0 (%d+)")
    end
  end
end

function M.session(vars, answered, sofia)
  local s = { calls = {}, vars = vars or {}, up = answered or false, live = true, far = {}, bridged = {},
              sofia = sofia or M.SOFIA_PHRASES }
  function s:execute(app, data)
    if app == "respond" and not self.live then
      -- "Channel is hungup and application respond does not have the
      -- zombie_exec flag": nothing is sent
      self.calls[#self.calls + 1] = "ignored respond " .. tostring(data)
      return
    end
    self.calls[#self.calls + 1] = "execute " .. app .. " " .. tostring(data)
    if app == "bridge" then
      bridge(self, data)
    elseif app == "respond" then
      respond(self, data)
    end
  end
  function s:hangup(cause)
    self.calls[#self.calls + 1] = "hangup " .. tostring(cause)
    hang_up(self, str2cause(cause))
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
  function s:hangupCause()
    return self.cause and tostring(self.cause) or "NONE"
  end
  return s
end

return M
