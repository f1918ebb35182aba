-- sipcodes.policy: the presets' decisions, the context rules, overrides,
-- the strings emitted for Kamailio and FreeSWITCH, probes and intents.
-- Expected values are written out by hand from the presets' definitions
-- (README "Routing policies"); regexes are checked with grep -E, an
-- outside regular-expression engine, over every three-digit string.
local policy = require "sipcodes.policy"
local doubles = require "doubles"

local function decide(p, code, ctx)
  return { p:decide(code, ctx) }
end

describe("sipcodes.policy presets", function()
  local rfc, carrier, lcr = policy.new("rfc3261"), policy.new("carrier"), policy.new("lcr")

  it("waits on 1xx and is done on 2xx, whatever the context", function()
    for _, p in ipairs({ rfc, carrier, lcr }) do
      assert.are.equal("wait", (p:decide(100)))
      assert.are.equal("wait", (p:decide(183, { canceled = true })))
      assert.are.equal("done", (p:decide(200, { local_timeout = true })))
      assert.are.equal("done", (p:decide(299)))
    end
  end)

  it("carrier: the consensus table", function()
    local expect = {
      [300] = "relay", [302] = "relay", [400] = "relay", [401] = "auth", [403] = "relay",
      [404] = "relay", [407] = "auth", [408] = "next", [420] = "amend", [421] = "amend",
      [422] = "amend", [423] = "amend", [480] = "relay", [484] = "relay", [486] = "relay",
      [487] = "relay", [491] = "amend", [494] = "amend", [500] = "next", [502] = "next",
      [503] = "next", [504] = "next", [600] = "relay", [603] = "relay", [604] = "relay",
      [606] = "relay", [607] = "relay", [608] = "relay",
    }
    for code, action in pairs(expect) do
      assert.are.equal(action, (carrier:decide(code)), "code " .. code)
    end
  end)

  it("lcr: carrier, and no route at one carrier moves on", function()
    for _, code in ipairs({ 404, 480, 484, 485, 603, 408, 500, 503 }) do
      assert.are.equal("next", (lcr:decide(code)), "code " .. code)
    end
    for _, code in ipairs({ 486, 487, 600, 604, 403 }) do
      assert.are.equal("relay", (lcr:decide(code)), "code " .. code)
    end
  end)

  it("rfc3261: only 503 and no response move on", function()
    assert.are.same({ 503 }, rfc:codes("next"))
    assert.are.equal("next", (rfc:decide(408, { local_timeout = true })))
    for _, code in ipairs({ 500, 502, 504, 408, 401, 407, 486, 603, 422 }) do
      assert.are.equal("relay", (rfc:decide(code)), "code " .. code)
    end
  end)

  it("decides a code the registry lacks as its class's x00 (RFC 3261 8.1.3.2)", function()
    assert.are.equal("relay", (carrier:decide(499)))
    assert.are.equal("next", (carrier:decide(599)))
    assert.are.equal("relay", (carrier:decide(699)))
    assert.are.equal("relay", (carrier:decide(399)))
    assert.are.equal("relay", (lcr:decide(498)))
    -- as its x00 is set now, overrides included, unless it is named itself
    local p = policy.new("carrier", { [400] = "next", [599] = "relay" })
    assert.are.same({ "next", "the policy sets this action for the code" }, decide(p, 499))
    assert.are.equal("relay", (p:decide(599)))
    assert.are.equal("next", (p:decide(598)))
  end)

  it("says why, rule by rule", function()
    assert.are.same({ "relay", "the callee is busy: relay the answer, trying elsewhere rings again" },
      decide(carrier, 600))
    assert.are.same({ "relay", "a global failure ends the search (RFC 3261 21.6): relay it" }, decide(carrier, 603))
    assert.are.same({ "relay", "the request was terminated: relay the answer" }, decide(carrier, 487))
    assert.are.same({ "next", "a 408 came back before any ringing: try the next destination" }, decide(carrier, 408))
    assert.are.same({ "next", "this destination has no route for the number: try the next one" },
      decide(policy.new("lcr"), 404))
    assert.are.same({ "next", "the destination is unavailable: try the next one (RFC 3263)" },
      decide(policy.new("rfc3261"), 503))
    assert.are.same({ "relay", "only a 503 or no response moves to the next destination (RFC 3263): relay it" },
      decide(policy.new("rfc3261"), 500))
    assert.are.same({ "next", "nothing came back: try the next destination (RFC 3263)" },
      decide(policy.new("rfc3261"), 408, { local_timeout = true }))
  end)

  it("answers nil outside 100-699 and raises for what is not a code", function()
    assert.is_nil(carrier:decide(99))
    assert.is_nil(carrier:decide(700))
    assert.has_error(function() carrier:decide("busy") end,
      "bad argument #2 to 'decide' (integer expected, got string)")
    assert.has_error(function() carrier:decide(486.5) end,
      "bad argument #2 to 'decide' (number has no integer representation)")
    assert.has_error(function() carrier.decide({}, 486) end,
      "bad argument #1 to 'decide' (sipcodes.policy expected, got table)")
    assert.has_error(function() carrier:decide(486, { ringing = true }) end,
      "bad argument #3 to 'decide' (unknown option 'ringing')")
    assert.has_error(function() carrier:decide(486, { canceled = "yes" }) end,
      "bad argument #3 to 'decide' (field 'canceled' must be a boolean)")
    assert.has_error(function() carrier:decide(503, { retry_after = -1 }) end,
      "bad argument #3 to 'decide' (field 'retry_after' must be a non-negative integer)")
    assert.has_error(function() carrier:decide(503, nil, 1) end,
      "bad argument #4 to 'decide' (no more than 3 arguments expected, got 4)")
  end)
end)

describe("sipcodes.policy context rules", function()
  local carrier = policy.new("carrier")

  it("relays everything final once the caller cancelled", function()
    for _, code in ipairs({ 487, 503, 408, 302, 401 }) do
      assert.are.same({ "relay", "the caller cancelled: relay, try nothing more" },
        decide(carrier, code, { canceled = true }))
    end
  end)

  it("marks a destination down when nothing came back, unless it rang", function()
    assert.are.same({ "next_down", "nothing came back: try the next destination, mark this one down", 60 },
      decide(carrier, 408, { local_timeout = true }))
    assert.are.same({ "relay", "it rang but nobody answered: relay the timeout" },
      decide(carrier, 408, { local_timeout = true, provisional = true }))
    assert.are.same({ "relay", "it rang already: no failover after ringing, relay the answer" },
      decide(carrier, 503, { provisional = true }))
    local late = policy.new("carrier", { failover_after_ringing = true })
    assert.are.equal("next", (late:decide(503, { provisional = true })))
    assert.are.equal("next_down", (late:decide(408, { local_timeout = true, provisional = true })))
  end)

  it("marks down for a 503's Retry-After, clamped by the policy", function()
    assert.are.same({ "next_down",
      "a 503 with Retry-After: try the next destination, mark this one down for that long", 120 },
      decide(carrier, 503, { retry_after = 120 }))
    assert.are.equal(3600, select(3, carrier:decide(503, { retry_after = 999999 })))
    assert.are.equal(0, select(3, carrier:decide(503, { retry_after = 0 })))
    local clamp = policy.new("carrier", { down_min = 30, down_max = 300, down_default = 45 })
    assert.are.equal(30, select(3, clamp:decide(503, { retry_after = 5 })))
    assert.are.equal(300, select(3, clamp:decide(503, { retry_after = 600 })))
    assert.are.equal(45, select(3, clamp:decide(408, { local_timeout = true })))
    -- a 500 with Retry-After is one failure, not a mark-down
    assert.are.same({ "next", "a server failure: try the next destination" },
      decide(carrier, 500, { retry_after = 120 }))
    -- a 486's Retry-After is for the caller: relayed
    assert.are.equal("relay", (carrier:decide(486, { retry_after = 120 })))
  end)

  it("answers a challenge once", function()
    assert.are.same({ "auth", "a challenge: answer it and retry" }, decide(carrier, 407))
    assert.are.same({ "relay", "a second challenge after answering one: a failure, relay it" },
      decide(carrier, 407, { auth_tried = true }))
    assert.are.same({ "next", "a second challenge after answering one: try the next destination" },
      decide(policy.new("lcr"), 401, { auth_tried = true }))
  end)

  it("follows redirects only when asked, and only so often", function()
    assert.are.same({ "relay", "this policy does not follow redirects: relay it" }, decide(carrier, 302))
    local follow = policy.new("carrier", { follow_redirects = true, max_redirects = 2 })
    assert.are.same({ "redirect", "a redirection: try the Contact targets" }, decide(follow, 302))
    assert.are.equal("redirect", (follow:decide(301, { redirects = 1 })))
    assert.are.same({ "relay", "enough redirects were followed: relay it" },
      decide(follow, 302, { redirects = 2 }))
    -- three by default
    local three = policy.new("carrier", { follow_redirects = true })
    assert.are.equal("redirect", (three:decide(302, { redirects = 2 })))
    assert.are.same({ "relay", "enough redirects were followed: relay it" },
      decide(three, 399, { redirects = 3 }))
    -- ringing stops moving on only: a redirection after it is followed
    assert.are.same({ "redirect", "a redirection: try the Contact targets" },
      decide(three, 302, { provisional = true }))
  end)
end)

describe("sipcodes.policy overrides", function()
  it("sets codes and classes, the code's own setting winning", function()
    local p = policy.new("carrier", { ["6xx"] = "next", [603] = "relay", [480] = "next" })
    assert.are.same({ "next", "the policy sets this action for the code's class" }, decide(p, 604))
    assert.are.same({ "next", "the policy sets this action for the code's class" }, decide(p, 699))
    assert.are.same({ "relay", "the policy sets this action for the code" }, decide(p, 603))
    assert.are.same({ "next", "the policy sets this action for the code" }, decide(p, 480))
    assert.are.equal("relay", (policy.new("carrier"):decide(480)))
    -- a class setting covers x00 to x99 and nothing either side
    local five = policy.new("carrier", { ["5xx"] = "relay", ["3xx"] = "next" })
    assert.are.same({ "relay", "the policy sets this action for the code's class" }, decide(five, 500))
    assert.are.same({ "relay", "the policy sets this action for the code's class" }, decide(five, 599))
    assert.are.same({ "relay", "a global failure ends the search (RFC 3261 21.6): relay it" }, decide(five, 604))
    assert.are.same({ "relay", "the callee is busy: relay the answer, trying elsewhere rings again" },
      decide(five, 600))
    assert.are.same({ "relay", "a request failure that another destination would repeat: relay it" },
      decide(five, 499))
    assert.are.same({ "next", "the policy sets this action for the code's class" }, decide(five, 300))
    assert.are.same({ "next", "the policy sets this action for the code's class" }, decide(five, 399))
    assert.are.same({ "relay", "a request failure that another destination would repeat: relay it" },
      decide(five, 400))
    -- a 2xx or a 1xx cannot be set: no class of theirs is an option
    assert.are.same({ "done", "a success: the request is answered" }, decide(five, 299))
    assert.are.same({ "wait", "a provisional response: wait for the final one" }, decide(five, 199))
  end)

  it("keeps an overridden 503 from marking down, and marks down a next_down code", function()
    assert.are.equal("next", (policy.new("carrier", { [503] = "next" }):decide(503, { retry_after = 60 })))
    assert.are.same({ "next_down", "the policy sets this action for the code", 60 },
      decide(policy.new("carrier", { [500] = "next_down" }), 500))
    -- a class setting is the policy's word too: no mark-down for Retry-After
    assert.are.same({ "next", "the policy sets this action for the code's class" },
      decide(policy.new("carrier", { ["5xx"] = "next" }), 503, { retry_after = 60 }))
  end)

  it("refuses what it cannot mean", function()
    local cases = {
      { { "carrier", { [180] = "next" } },
        "bad argument #2 to 'new' (code 180 cannot be overridden: only final codes 300-699 can)" },
      { { "carrier", { [200] = "next" } },
        "bad argument #2 to 'new' (code 200 cannot be overridden: only final codes 300-699 can)" },
      { { "carrier", { [700] = "next" } }, "bad argument #2 to 'new' (code 700 is not a code 300-699)" },
      { { "carrier", { [486.5] = "next" } },
        "bad argument #2 to 'new' (a key that is a number must be an integer code)" },
      { { "carrier", { [480] = "wait" } },
        "bad argument #2 to 'new' (override [480] must be one of relay, next, next_down, auth, redirect, amend)" },
      { { "carrier", { ["7xx"] = "next" } }, "bad argument #2 to 'new' (unknown option '7xx')" },
      { { "carrier", { zeta = 1, alpha = 2 } }, "bad argument #2 to 'new' (unknown option 'alpha')" },
      { { "carrier", { [true] = "next" } },
        "bad argument #2 to 'new' (keys must be codes, classes such as '6xx' or option names, got boolean)" },
      { { "carrier", { follow_redirects = 1 } },
        "bad argument #2 to 'new' (option 'follow_redirects' must be a boolean)" },
      { { "carrier", { down_max = -1 } },
        "bad argument #2 to 'new' (option 'down_max' must be an integer 0 to 86400)" },
      { { "carrier", { down_min = 10, down_max = 5 } },
        "bad argument #2 to 'new' (option 'down_min' must not exceed 'down_max')" },
      { { "sip" }, "bad argument #1 to 'new' (preset must be one of rfc3261, carrier, lcr)" },
      { { 1 }, "bad argument #1 to 'new' (string expected, got number)" },
      { { "carrier", "x" }, "bad argument #2 to 'new' (table expected, got string)" },
    }
    for _, c in ipairs(cases) do
      assert.has_error(function() policy.new(c[1][1], c[1][2]) end, c[2])
    end
  end)
end)

describe("sipcodes.policy codes and strings", function()
  local carrier = policy.new("carrier")

  it("lists the codes of an action, ascending", function()
    assert.are.same({ 401, 407 }, carrier:codes("auth"))
    assert.are.same({ 420, 421, 422, 423, 491, 494 }, carrier:codes("amend"))
    assert.are.same({}, carrier:codes("next_down"))
    local down = carrier:codes("next_down", { local_timeout = true })
    assert.are.equal(400, #down) -- every final code: nothing came back
    assert.are.equal(300, down[1])
    assert.has_error(function() carrier:codes("retry") end,
      "bad argument #2 to 'codes' (action must be one of wait, done, relay, next, next_down, auth, redirect, amend)")
  end)

  it("writes Kamailio regexes as compact as a class or decade allows", function()
    assert.are.equal("^(408|5[0-9][0-9])$", carrier:kamailio_regex("next"))
    assert.are.equal("^(40[17])$", carrier:kamailio_regex("auth"))
    assert.are.equal("^(42[0-3]|49[14])$", carrier:kamailio_regex("amend"))
    assert.are.equal("^(503)$", policy.new("rfc3261"):kamailio_regex("next"))
    assert.are.equal("^(40[48]|48[045]|5[0-9][0-9]|603)$", policy.new("lcr"):kamailio_regex("next"))
    assert.are.equal("^$", carrier:kamailio_regex("redirect"))
  end)

  -- grep -E reads each regex as Kamailio's regcomp(REG_EXTENDED) does.
  local function ere_matches(re)
    local path = os.tmpname()
    local f = assert(io.open(path, "w"))
    for n = 0, 999 do f:write(string.format("%03d\n", n)) end
    f:close()
    local out = assert(io.popen("grep -E '" .. re .. "' " .. path))
    local got = {}
    for line in out:lines() do got[#got + 1] = tonumber(line) end
    out:close()
    os.remove(path)
    return got
  end

  -- The lists written out from the presets' definitions: every code of a
  -- range, known or not, since an unknown code is decided as its x00.
  local function range(lo, hi, list)
    list = list or {}
    for c = lo, hi do list[#list + 1] = c end
    return list
  end

  it("lists the codes each preset moves on for, written out", function()
    assert.are.same(range(500, 599, { 408 }), carrier:codes("next"))
    assert.are.same({ 503 }, policy.new("rfc3261"):codes("next"))
    local lcr_next = range(500, 599, { 404, 408, 480, 484, 485 })
    lcr_next[#lcr_next + 1] = 603
    assert.are.same(lcr_next, policy.new("lcr"):codes("next"))
    -- rfc3261: every final code but 503 goes back, the 3xx too
    -- (redirections are not followed unless asked).
    local rfc_relay = range(300, 502)
    range(504, 699, rfc_relay)
    assert.are.same(rfc_relay, policy.new("rfc3261"):codes("relay"))
    assert.are.same({}, policy.new("rfc3261"):codes("auth"))
    -- carrier relays 3xx, 4xx but the challenges, the timeout and the
    -- amendable ones, and 6xx.
    local carrier_relay = range(300, 400)
    range(402, 406, carrier_relay)
    range(409, 419, carrier_relay)
    range(424, 490, carrier_relay)
    range(492, 493, carrier_relay)
    range(495, 499, carrier_relay)
    range(600, 699, carrier_relay)
    assert.are.same(carrier_relay, carrier:codes("relay"))
    -- With the caller gone, everything final is relayed.
    assert.are.same(range(300, 699), carrier:codes("relay", { canceled = true }))
    assert.are.same({ 100, 101 }, { carrier:codes("wait")[1], carrier:codes("wait")[2] })
    assert.are.equal(100, #carrier:codes("wait"))
    assert.are.equal(100, #carrier:codes("done"))
  end)

  it("matches exactly the code list, checked by grep -E over 000-999", function()
    local policies = { policy.new("rfc3261"), carrier, policy.new("lcr"),
                       policy.new("carrier", { ["6xx"] = "next", [486] = "next", [399] = "next" }) }
    for _, p in ipairs(policies) do
      for _, action in ipairs({ "relay", "next", "auth", "amend" }) do
        assert.are.same(p:codes(action), ere_matches(p:kamailio_regex(action)), tostring(p) .. " " .. action)
      end
    end
  end)

  it("tells which FreeSWITCH causes come closest, and what they get wrong", function()
    local list, conflicts = carrier:freeswitch_causes("next")
    assert.are.equal("NETWORK_OUT_OF_ORDER,NORMAL_TEMPORARY_FAILURE,RECOVERY_ON_TIMER_EXPIRE", list)
    local by = {}
    for _, c in ipairs(conflicts) do by[c.code] = c end
    -- 400, 481, 500, 503 are all NORMAL_TEMPORARY_FAILURE: half of them move
    -- on, so the cause is listed and 400, 481 are what the list gets wrong
    assert.are.same({ code = 400, cause = "NORMAL_TEMPORARY_FAILURE", action = "relay", listed = true }, by[400])
    assert.are.same({ code = 481, cause = "NORMAL_TEMPORARY_FAILURE", action = "relay", listed = true }, by[481])
    assert.is_nil(by[503])
    -- rfc3261 moves on after 503 only: one of four, not listed, a conflict
    local rl, rc = policy.new("rfc3261"):freeswitch_causes("next")
    assert.are.equal("", rl)
    assert.are.same({ { code = 503, cause = "NORMAL_TEMPORARY_FAILURE", action = "next", listed = false } }, rc)
    local relay = carrier:freeswitch_causes("relay")
    assert.is_truthy(relay:find("USER_BUSY", 1, true))
    assert.is_truthy(relay:find("CALL_REJECTED", 1, true))
    assert.is_falsy(relay:find("RECOVERY_ON_TIMER_EXPIRE", 1, true))
  end)
end)

describe("sipcodes.policy probes and intents", function()
  it("says which probe replies prove a destination up", function()
    assert.is_true(policy.is_alive(200))
    assert.is_true(policy.is_alive(404))
    assert.is_true(policy.is_alive(603))
    assert.is_false(policy.is_alive(408))
    assert.is_false(policy.is_alive(503))
    assert.is_false(policy.is_alive(500))
    assert.is_false(policy.is_alive(180))
    assert.is_false(policy.is_alive(200, { local_timeout = true }))
    assert.is_nil(policy.is_alive(700))
    -- at the edges: 1xx never, 5xx never, every other final code yes
    local want = { [99] = "nil", [100] = false, [199] = false, [200] = true, [299] = true,
                   [300] = true, [399] = true, [400] = true, [407] = true, [409] = true,
                   [499] = true, [500] = false, [599] = false, [600] = true, [699] = true,
                   [700] = "nil", [0] = "nil", [-1] = "nil" }
    for code, w in pairs(want) do
      local got = policy.is_alive(code)
      if w == "nil" then
        assert.is_nil(got, tostring(code))
      else
        assert.are.equal(w, got, tostring(code))
      end
      if w ~= "nil" then
        assert.is_false(policy.is_alive(code, { local_timeout = true }), tostring(code))
      end
    end
  end)

  it("refuses 1xx, 408 and 5xx probe codes at their edges, and takes the rest", function()
    assert.are.equal("code=200;code=299;code=407;code=409;code=499;code=600;code=699",
      policy.ds_ping_reply_codes({ 200, 299, 407, 409, 499, 600, 699 }))
    local bad = {
      { 500, "[1]: a 5xx reply says the destination is failing: it would keep it up" },
      { 599, "[1]: a 5xx reply says the destination is failing: it would keep it up" },
      { 199, "[1]: a provisional reply never ends a probe" },
      { 100, "[1]: a provisional reply never ends a probe" },
    }
    for _, b in ipairs(bad) do
      assert.are.same({ nil, b[2] }, { policy.ds_ping_reply_codes({ b[1] }) }, tostring(b[1]))
    end
    assert.are.same({ nil, "[2]: class 5 says the destination is failing: it would keep it up" },
      { policy.ds_ping_reply_codes({ 200, "5xx" }) })
    assert.are.equal("class=3;class=6", policy.ds_ping_reply_codes({ "6xx", "3xx" }))
    assert.are.equal("class=2;code=302", policy.ds_ping_reply_codes("code=302;class=2;code=299"))
  end)

  it("writes ds_ping_reply_codes and refuses what keeps dead gateways up", function()
    assert.are.equal("class=2;code=403;code=488", policy.ds_ping_reply_codes({ 403, "2xx", 488 }))
    assert.are.equal("class=6", policy.ds_ping_reply_codes({ "6xx", 603 }))
    assert.has_error(function() policy.ds_ping_reply_codes({ "2x9" }) end,
      "bad argument #1 to 'ds_ping_reply_codes' ([1]: a code or a class such as '2xx' expected, got string)")
    assert.are.same({ nil, "[1]: class 4 includes the 408 the proxy makes itself: it would keep a dead "
                           .. "destination up" }, { policy.ds_ping_reply_codes({ "4xx" }) })
    assert.are.equal("class=2;code=404", policy.ds_ping_reply_codes("code=404;class=2;code=202"))
    assert.are.same({ nil, "[1]: 408 would keep a dead destination up: the proxy makes it itself" },
      { policy.ds_ping_reply_codes({ 408 }) })
    assert.are.same({ nil, "class 4 includes the 408 the proxy makes itself: "
                           .. "it would keep a dead destination up at byte 1" },
      { policy.ds_ping_reply_codes("class=4;code=503;code=408") })
    assert.are.same({ nil, "expected class=N or code=NNN at byte 1" }, { policy.ds_ping_reply_codes("200|404|486") })
    assert.are.same({ nil, "expected class=N or code=NNN at byte 1" }, { policy.ds_ping_reply_codes("class2;class3") })
    assert.are.same({ nil, "expected one digit after class= at byte 7" }, { policy.ds_ping_reply_codes("class=;") })
    assert.are.same({ nil, "expected class=N or code=NNN after ';' at byte 9" },
      { policy.ds_ping_reply_codes("class=2;") })
    assert.has_error(function() policy.ds_ping_reply_codes(200) end,
      "bad argument #1 to 'ds_ping_reply_codes' (table or string expected, got number)")
  end)

  it("chooses the code for an intent", function()
    local expect = { busy = { 486, "Busy Here" }, decline = { 603, "Decline" },
      no_answer = { 480, "Temporarily Unavailable" }, not_registered = { 480, "Temporarily Unavailable" },
      no_route = { 404, "Not Found" }, overload = { 503, "Service Unavailable" },
      all_failed = { 500, "Server Internal Error" } }
    for intent, e in pairs(expect) do
      assert.are.same(e, { policy.choose(intent) }, intent)
    end
    assert.has_error(function() policy.choose("hang_up") end,
      "bad argument #1 to 'choose' (intent must be one of busy, decline, no_answer, not_registered, "
      .. "no_route, overload, all_failed)")
  end)
end)

describe("sipcodes.kamailio failover", function()
  local kam = require "sipcodes.kamailio"
  local carrier = policy.new("carrier")

  local function run(state, handlers, p)
    local ksr = doubles.ksr(state)
    local log = {}
    local h = {}
    for name, f in pairs(handlers or {}) do
      h[name] = type(f) ~= "function" and f or function(...) log[#log + 1] = name return f(...) end
    end
    local action, why, code = kam.new(ksr).failover(p or carrier, h)
    assert.are.equal(state.status, code)
    return action, why, log, ksr.calls
  end

  -- The action taken and why, as a list.
  local function taken(state, handlers, p)
    local action, why = run(state, handlers, p)
    return { action, why }
  end

  it("relays by doing nothing: no reply replaces the downstream one", function()
    local action, why, log, calls = run({ status = 486 }, { next = function() return true end })
    assert.are.equal("relay", action)
    assert.are.equal("the callee is busy: relay the answer, trying elsewhere rings again", why)
    assert.are.same({}, log)
    assert.are.same({}, calls)
  end)

  it("tries the next destination on a server failure", function()
    local seen
    local action, why, log = run({ status = 503 }, { next = function(ctx) seen = ctx return true end })
    assert.are.equal("next", action)
    assert.are.equal("a server failure: try the next destination", why)
    assert.are.same({ "next" }, log)
    assert.are.same({ code = 503, action = "next", why = "a server failure: try the next destination",
                      local_timeout = false, provisional = false, canceled = false, auth_tried = false,
                      redirects = 0 }, seen)
    assert.are.same({ "next", "a server failure: try the next destination" },
      taken({ status = 502 }, { next = function() return 1 end }))
  end)

  it("gives the handlers the whole context", function()
    local seen = {}
    local function keep(name) return function(...) seen[#seen + 1] = { name, ... } return true end end
    run({ status = 503, vars = { ["$T_rpl($hdr(Retry-After))"] = "90" } },
      { mark_down = keep("mark_down"), next = keep("next"), ctx = { redirects = 1, auth_tried = true } })
    local ctx = { code = 503, action = "next_down", seconds = 90, retry_after = 90,
                  why = "a 503 with Retry-After: try the next destination, mark this one down for that long",
                  local_timeout = false, provisional = false, canceled = false, auth_tried = true, redirects = 1 }
    assert.are.same({ { "mark_down", 90, ctx }, { "next", ctx } }, seen)
    assert.are.equal(seen[1][3], seen[2][2]) -- one table
    seen = {}
    run({ status = 407 }, { auth = keep("auth") })
    assert.are.same({ { "auth", { code = 407, action = "auth", why = "a challenge: answer it and retry",
                                  local_timeout = false, provisional = false, canceled = false,
                                  auth_tried = false, redirects = 0 } } }, seen)
  end)

  it("relays when there is no next destination or no handler, saying the policy's rule", function()
    assert.are.same({ "relay", "a server failure: try the next destination" },
      taken({ status = 503 }, { next = function() return false end }))
    assert.are.same({ "relay", "a server failure: try the next destination" },
      taken({ status = 500 }, { next = function() return nil end }))
    assert.are.same({ "relay", "the destination is unavailable: try the next one (RFC 3263)" },
      taken({ status = 503 }, {}, policy.new("rfc3261")))
    assert.are.same({ "relay", "a challenge: answer it and retry" }, taken({ status = 407 }, {}))
    assert.are.same({ "relay", "the destination asks for a changed request: amend it and retry there" },
      taken({ status = 422 }, {}))
    -- a mark-down without a next destination: marked, then relayed
    local action, why, log = run({ status = 408, branch_timeout = true },
      { mark_down = function() end, next = function() return false end })
    assert.are.same({ "relay", "nothing came back: try the next destination, mark this one down" },
      { action, why })
    assert.are.same({ "mark_down", "next" }, log)
  end)

  it("marks a silent destination down before moving on", function()
    local down
    local action, _, log = run({ status = 408, branch_timeout = true },
      { mark_down = function(s, ctx) down = { s, ctx.local_timeout } end, next = function() return true end })
    assert.are.equal("next_down", action)
    assert.are.same({ "mark_down", "next" }, log)
    assert.are.same({ 60, true }, down)
  end)

  it("reads the winning reply's Retry-After", function()
    local down
    local action = run({ status = 503, vars = { ["$T_rpl($hdr(Retry-After))"] = "120 (maintenance);duration=60" } },
      { mark_down = function(s) down = s end, next = function() return true end })
    assert.are.equal("next_down", action)
    assert.are.equal(120, down)
  end)

  it("relays after ringing and when cancelled", function()
    -- a timeout after a reply: tm cannot tell a 100 from ringing, so it is
    -- the 408 it is (next, no mark-down) unless handlers.ctx says it rang
    local log
    assert.are.equal("next", (run({ status = 408, branch_timeout = true, branch_replied = true },
      { next = function() return true end, mark_down = function() log = "down" end })))
    assert.is_nil(log)
    assert.are.same({ "relay", "it rang already: no failover after ringing, relay the answer" },
      taken({ status = 408, branch_timeout = true, branch_replied = true },
        { next = function() return true end, ctx = { provisional = true } }))
    -- a cancel before anything came back: tm reports 408 and a timeout
    assert.are.same({ "relay", "the caller cancelled: relay, try nothing more" },
      taken({ status = 408, branch_timeout = true, canceled = true }, { next = function() return true end }))
    assert.are.same({ "relay", "the caller cancelled: relay, try nothing more" },
      taken({ status = 487, canceled = true }, { next = function() return true end }))
    assert.are.same({ "relay", "it rang already: no failover after ringing, relay the answer" },
      taken({ status = 503 }, { next = function() return true end,
        ctx = function() return { provisional = true } end }))
    -- nothing came back although it rang: nobody answered
    assert.are.same({ "relay", "it rang but nobody answered: relay the timeout" },
      taken({ status = 408, branch_timeout = true }, { next = function() return true end,
        ctx = { provisional = true } }))
  end)

  it("calls auth, redirect and amend handlers", function()
    assert.are.same({ "auth", "a challenge: answer it and retry" },
      taken({ status = 407 }, { auth = function() end }))
    assert.are.same({ "relay", "a second challenge after answering one: a failure, relay it" },
      taken({ status = 407 }, { auth = function() end, ctx = { auth_tried = true } }))
    local follow = policy.new("carrier", { follow_redirects = true })
    assert.are.same({ "redirect", "a redirection: try the Contact targets" },
      taken({ status = 302 }, { redirect = function() end }, follow))
    assert.are.same({ "relay", "this policy does not follow redirects: relay it" },
      taken({ status = 302 }, { redirect = function() end }))
    assert.are.same({ "amend", "the destination asks for a changed request: amend it and retry there" },
      taken({ status = 422 }, { amend = function() end }))
  end)

  it("reads no Retry-After for a destination that sent nothing", function()
    local down
    run({ status = 408, branch_timeout = true, vars = { ["$T_rpl($hdr(Retry-After))"] = "5" } },
      { mark_down = function(s) down = s end, next = function() return true end })
    assert.are.equal(60, down)
  end)

  it("checks the handlers before anything runs", function()
    local ran = false
    local k = kam.new(doubles.ksr({ status = 503 }))
    assert.has_error(function() k.failover(carrier, { mark_down = function() ran = true end, next = 5 }) end,
      "bad argument #2 to 'failover' (handler 'next' must be a function, got number)")
    assert.is_false(ran)
    assert.has_error(function() k.failover(carrier, { nxt = print }) end,
      "bad argument #2 to 'failover' (unknown handler 'nxt')")
    assert.has_error(function() k.failover(carrier, { ctx = 5 }) end,
      "bad argument #2 to 'failover' (handler 'ctx' must be a function or a table, got number)")
    assert.has_error(function() k.failover(carrier, { ctx = function() return 5 end }) end,
      "bad argument #2 to 'failover' (handlers.ctx must give a table, got number)")
    assert.has_error(function() k.failover(carrier, { ctx = { provisional = "yes" } }) end,
      "bad argument #2 to 'failover' (handlers.ctx field 'provisional' must be a boolean)")
    assert.has_error(function() k.failover(carrier, { ctx = { ringing = true } }) end,
      "bad argument #2 to 'failover' (unknown handlers.ctx field 'ringing')")
    -- answered is a field of the outcome functions' ctx only
    assert.has_error(function() k.failover(carrier, { ctx = { answered = true } }) end,
      "bad argument #2 to 'failover' (unknown handlers.ctx field 'answered')")
    assert.has_error(function() carrier:decide(486, { answered = true }) end,
      "bad argument #3 to 'decide' (unknown option 'answered')")
    -- a field of handlers.ctx replaces what was read
    assert.are.equal("relay", (k.failover(carrier, { next = function() return true end,
      ctx = { canceled = true } })))
  end)

  it("lets KSR.x.exit() inside a handler through unchanged", function()
    local ksr = doubles.ksr({ status = 503 })
    local ok, err = pcall(kam.new(ksr).failover, carrier, { next = function() ksr.x.exit() end })
    assert.is_false(ok)
    assert.are.equal(doubles.EXIT, err)
  end)

  it("answers nil outside a failure route and raises on misuse", function()
    assert.is_nil((run({}, {})))
    assert.has_error(function() kam.new(doubles.ksr({ status = 486 })).failover({}, {}) end,
      "bad argument #1 to 'failover' (sipcodes.policy expected, got table)")
    assert.has_error(function() kam.new(doubles.ksr({ status = 486 })).failover(carrier) end,
      "bad argument #2 to 'failover' (table expected, got no value)")
  end)
end)

-- docs/routing.md: every "expression --> values" line of its Lua blocks
-- gives those values, every other block compiles, and its table of
-- decisions per code is what the presets decide.
describe("docs/routing.md", function()
  local f = assert(io.open("docs/routing.md"))
  local doc = f:read("*a")
  f:close()

  it("gives what its examples say", function()
    local n = require("doc_examples").run("docs/routing.md",
      { policy = policy, sip = require "sipcodes" })
    assert.is_true(n >= 20)
  end)

  it("has the table of decisions the presets make", function()
    local rows = 0
    local presets = { policy.new("rfc3261"), policy.new("carrier"), policy.new("lcr") }
    for code, r, c, l in doc:gmatch("\n| (%d%d%d) | [^|]+ | (%S+) | (%S+) | (%S+) |") do
      rows = rows + 1
      local want = { r, c, l }
      for i, p in ipairs(presets) do
        assert.are.equal(want[i], (p:decide(tonumber(code))), tostring(p) .. " " .. code)
      end
    end
    local known = 0
    for code in require("sipcodes").each() do
      if code >= 300 and code < 700 then known = known + 1 end
    end
    assert.are.equal(known, rows)
  end)
end)
