-- Test doubles of the hosts, shared by the specs and the allocation-failure
-- harness (ctest/alloc_cases.lua).
--
-- doubles.ksr(state): the parts of Kamailio's KSR that sipcodes.kamailio
-- and the example route use.  Every call is recorded as one string in
-- k.calls ("sl_send_reply 486 Busy Here").  state: status (what
-- t_get_status_code returns), canceled, timeout, replied (the tm flags),
-- vars (what pv.get returns).
--
-- doubles.session(vars, answered): a mod_lua session as far as
-- sipcodes.freeswitch uses it, recording "execute respond 486 Busy Here";
-- ready (the channel is up) until s.live is set to false.
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
    t_newtran = function() rec("t_newtran") return 1 end,
    t_relay = function() rec("t_relay") return 1 end,
    t_on_failure = function(name) rec("t_on_failure", name) end,
    t_check_trans = function() rec("t_check_trans") return 0 end,
  }
  k.hdr = {
    append_to_reply = function(text) rec("append_to_reply", text) return 1 end,
  }
  k.pv = {
    get = function(name) return k.vars[name] end,
    sets = function(name, value) rec("sets", name, value) k.vars[name] = value end,
  }
  k.x = { exit = function() error(M.EXIT, 0) end }
  k.err = function(msg) rec("err", msg) end
  return k
end

function M.session(vars, answered)
  local s = { calls = {}, vars = vars or {}, up = answered or false, live = true }
  function s:execute(app, data)
    self.calls[#self.calls + 1] = "execute " .. app .. " " .. tostring(data)
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
