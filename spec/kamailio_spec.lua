-- require "sipcodes.kamailio": the reply helpers, the failure-route
-- status, protect() and KSR.x.exit(), driven through a KSR test double
-- that records every call.  tools/kamailio-e2e.sh runs the same example
-- script in a real Kamailio.
local before_globals = {}
for k in pairs(_G) do before_globals[k] = true end

local sip = require "sipcodes"
local kam = require "sipcodes.kamailio"
local math_type = rawget(math, "type") -- 5.3+

local EXIT = "~~ksr~exit~~"

-- The parts of KSR the helpers and the example use, recording every call
-- as one string: "sl_send_reply 486 Busy Here" (spec/doubles.lua).
local fake_ksr = require("doubles").ksr

describe("sipcodes.kamailio", function()
  it("creates no global", function()
    for k in pairs(_G) do
      assert.is_true(before_globals[k], "new global " .. tostring(k))
    end
  end)

  it("names what is missing from an incomplete KSR, instead of indexing nil", function()
    local hdr = { append_to_reply = function() return 1 end }
    local no_tm = { sl = { sl_send_reply = function() return 1 end,
                           send_reply = function() return 1 end }, hdr = hdr }
    local no_sl = { tm = { t_reply = function() return 1 end }, hdr = hdr, err = function() end }
    assert.has_error(function() kam.new(no_tm).t_reply(486) end,
      "t_reply: KSR has no tm.t_reply (is the Kamailio module that exports it loaded?)")
    assert.has_error(function() kam.new(no_sl).sl_reply(486) end,
      "sl_reply: KSR has no sl.sl_send_reply (is the Kamailio module that exports it loaded?)")
    assert.has_error(function() kam.new({ sl = no_tm.sl }).sl_reply(486, nil, { reason = true }) end,
      "sl_reply: KSR has no hdr.append_to_reply (is the Kamailio module that exports it loaded?)")
    -- protect logs, then cannot answer: it says why.
    assert.has_error(function() kam.new(no_sl).protect(function() error("route bug", 0) end)() end,
      "protect: KSR has no sl.send_reply (is the Kamailio module that exports it loaded?)")
    assert.has_error(function() kam.new(42) end,
      "bad argument #1 to 'new' (KSR object expected, got number)")
    rawset(_G, "KSR", 42)
    local ok, err = pcall(kam.sl_reply, 486)
    rawset(_G, "KSR", nil)
    assert.is_false(ok)
    assert.are.equal("sl_reply: the global KSR is a number, not Kamailio's KSR object", err)
  end)

  it("uses the global KSR when there is one, and says so when there is none", function()
    assert.has_error(function() kam.sl_reply(486) end,
      "sl_reply: no KSR object (not running in Kamailio's app_lua; pass one to sipcodes.kamailio.new)")
    local k = fake_ksr()
    rawset(_G, "KSR", k)
    local ok, err = pcall(kam.sl_reply, 486)
    rawset(_G, "KSR", nil)
    assert.is_true(ok, err)
    assert.are.same({ "sl_send_reply 486 Busy Here" }, k.calls)
  end)
end)

describe("sipcodes.kamailio replies", function()
  it("sends a phrase that is never empty", function()
    local k = fake_ksr()
    local K = kam.new(k)
    assert.are.same({ 1, "Busy Here" }, { K.sl_reply(486) })
    assert.are.same({ 1, "Not Found" }, { K.sl_reply("404") })
    assert.are.same({ 1, "Busy Here" }, { K.sl_reply(486.0) })
    assert.are.same({ 1, "Request Failure" }, { K.sl_reply(499) })
    assert.are.same({ 1, "Nobody Home" }, { K.sl_reply(486, "Nobody Home") })
    assert.are.same({
      "sl_send_reply 486 Busy Here",
      "sl_send_reply 404 Not Found",
      "sl_send_reply 486 Busy Here",
      "sl_send_reply 499 Request Failure",
      "sl_send_reply 486 Nobody Home",
    }, k.calls)
  end)

  -- Every code 100-699 goes out with IANA's phrase (the committed copy of
  -- the registry), or with one of the phrases below, or with the heading
  -- of its class in RFC 3261 section 21.
  it("sends IANA's phrase for every registered code and a class heading for the rest", function()
    local iana = {}
    local f = assert(io.open("spec/fixtures/iana-sip-response-codes.tsv"))
    f:read("*l")
    for line in f:lines() do
      local code, phrase = line:match("^(%d+)\t([^\t]+)\t")
      iana[tonumber(code)] = phrase
    end
    f:close()
    local other = {
      [202] = "Accepted",          -- IANA lists "Accepted (Deprecated)"
      [409] = "Conflict",          -- RFC 2543, dropped by RFC 3261
      [411] = "Length Required",   -- RFC 2543, dropped by RFC 3261
      [490] = "Request Updated",   -- in no registry (nonstandard)
      [687] = "Dialog Terminated", -- in no registry (nonstandard)
    }
    local class = { "Provisional", "Successful", "Redirection", "Request Failure",
                    "Server Failure", "Global Failure" }
    local k = fake_ksr()
    local K = kam.new(k)
    local registered = 0
    for code = 100, 699 do
      local want = other[code] or iana[code]
      if want then
        registered = registered + 1
      else
        want = class[math.floor(code / 100)]
      end
      assert.are.same({ 1, want }, { K.sl_reply(code) }, tostring(code))
      assert.are.equal("sl_send_reply " .. code .. " " .. want, k.calls[#k.calls])
    end
    assert.are.equal(600, #k.calls)
    assert.are.equal(79, registered) -- IANA's 75 rows 100-699, and 409, 411, 490, 687
  end)

  it("replies statelessly, through send_reply and through tm", function()
    local k = fake_ksr()
    local K = kam.new(k)
    assert.are.same({ 1, "Temporarily Unavailable" }, { K.sl_reply(480) })
    assert.are.same({ 1, "Temporarily Unavailable" }, { K.send_reply(480) })
    assert.are.same({ 1, "Try Later" }, { K.t_reply(480, "Try Later") })
    assert.are.same({
      "sl_send_reply 480 Temporarily Unavailable",
      "send_reply 480 Temporarily Unavailable",
      "t_reply 480 Try Later",
    }, k.calls)
  end)

  it("passes on what KSR returns, and the phrase it sent", function()
    local k = fake_ksr()
    local sent = {}
    k.sl.sl_send_reply = function(code, phrase) sent[#sent + 1] = code .. " " .. phrase return -1 end
    k.sl.send_reply = function(code, phrase) sent[#sent + 1] = code .. " " .. phrase return 0 end
    k.tm.t_reply = function(code, phrase) sent[#sent + 1] = code .. " " .. phrase return -2 end
    local K = kam.new(k)
    assert.are.same({ -1, "Busy Here" }, { K.sl_reply(486) })
    assert.are.same({ 0, "Decline" }, { K.send_reply(603) })
    assert.are.same({ -2, "Not Acceptable Here" }, { K.t_reply(488) })
    assert.are.same({ "486 Busy Here", "603 Decline", "488 Not Acceptable Here" }, sent)
    -- Two results, whatever KSR returned.
    k.sl.sl_send_reply = function() return nil, "more" end
    assert.are.equal(2, select("#", K.sl_reply(486)))
    assert.are.same({ nil, "Busy Here" }, { K.sl_reply(486) })
  end)

  it("adds the Q.850 Reason header of the code on request", function()
    local k = fake_ksr()
    local K = kam.new(k)
    assert.are.same({ 1, "Busy Here" }, { K.sl_reply(486, nil, { reason = true }) })
    assert.are.same({ 1, "Go Away" }, { K.t_reply(603, "Go Away", { reason = true }) })
    -- no cause: no header
    assert.are.same({ 1, "Request Terminated" }, { K.send_reply(487, nil, { reason = true }) })
    assert.are.same({ 1, "Temporarily Unavailable" }, { K.sl_reply(480, nil, { reason = false }) })
    assert.are.same({ 1, "Busy Everywhere" },
      { K.sl_reply(600, nil, { reason = 'SIP;cause=600;text="Busy Everywhere"' }) })
    -- RFC 3398 section 8.2.6.1 (spec/fixtures/q850-mapping.tsv): 480 is
    -- cause 18, 503 cause 41, 404 cause 1; the names are Q.850's.
    K.t_reply(480, nil, { reason = true })
    K.send_reply(503, nil, { reason = true })
    K.sl_reply(404, nil, { reason = true })
    assert.are.same({
      'append_to_reply Reason: Q.850;cause=17;text="User busy"\r\n',
      "sl_send_reply 486 Busy Here",
      'append_to_reply Reason: Q.850;cause=21;text="Call rejected"\r\n',
      "t_reply 603 Go Away",
      "send_reply 487 Request Terminated",
      "sl_send_reply 480 Temporarily Unavailable",
      'append_to_reply Reason: SIP;cause=600;text="Busy Everywhere"\r\n',
      "sl_send_reply 600 Busy Everywhere",
      'append_to_reply Reason: Q.850;cause=18;text="No user responding"\r\n',
      "t_reply 480 Temporarily Unavailable",
      'append_to_reply Reason: Q.850;cause=41;text="Temporary failure"\r\n',
      "send_reply 503 Service Unavailable",
      'append_to_reply Reason: Q.850;cause=1;text="Unallocated (unassigned) number"\r\n',
      "sl_send_reply 404 Not Found",
    }, k.calls)
  end)

  it("adds the Reason header of a Q.850 cause", function()
    local k = fake_ksr()
    local K = kam.new(k)
    assert.are.same({ 1, "Service Unavailable" }, { K.sl_reply(503, nil, { reason = 34 }) })
    -- a value Q.850 does not name
    assert.are.same({ 1, "Temporarily Unavailable" }, { K.sl_reply(480, nil, { reason = 10 }) })
    -- not a cause: no header
    assert.are.same({ 1, "Temporarily Unavailable" }, { K.sl_reply(480, nil, { reason = 200 }) })
    K.sl_reply(480, nil, { reason = 0 })
    K.sl_reply(480, nil, { reason = 128 })
    K.t_reply(486, nil, { reason = 127 }) -- the last cause
    K.t_reply(486, nil, { reason = 1 })   -- the first
    assert.are.same({
      'append_to_reply Reason: Q.850;cause=34;text="No circuit/channel available"\r\n',
      "sl_send_reply 503 Service Unavailable",
      "append_to_reply Reason: Q.850;cause=10\r\n",
      "sl_send_reply 480 Temporarily Unavailable",
      "sl_send_reply 480 Temporarily Unavailable",
      "sl_send_reply 480 Temporarily Unavailable",
      "sl_send_reply 480 Temporarily Unavailable",
      'append_to_reply Reason: Q.850;cause=127;text="Interworking, unspecified"\r\n',
      "t_reply 486 Busy Here",
      'append_to_reply Reason: Q.850;cause=1;text="Unallocated (unassigned) number"\r\n',
      "t_reply 486 Busy Here",
    }, k.calls)
  end)

  it("adds a Reason header from a table through format_reason", function()
    local k = fake_ksr()
    local K = kam.new(k)
    local value = { protocol = "SIP", cause = 600, text = "Busy Everywhere" }
    assert.are.same({ 1, "Busy Everywhere" }, { K.sl_reply(600, nil, { reason = value }) })
    assert.are.same({ 1, "Decline" },
      { K.t_reply(603, nil, { reason = { { protocol = "Q.850", cause = 21 } } }) })
    assert.are.same({
      'append_to_reply Reason: SIP;cause=600;text="Busy Everywhere"\r\n',
      "sl_send_reply 600 Busy Everywhere",
      "append_to_reply Reason: Q.850;cause=21\r\n",
      "t_reply 603 Decline",
    }, k.calls)
  end)

  it("raises, naming the helper called, for a Reason option it cannot send", function()
    local k = fake_ksr()
    local K = kam.new(k)
    -- Tables format_reason refuses: data it gives nil and why for, and
    -- fields of the wrong type, which it raises on.  The words after
    -- "option 'reason': " are format_reason's (proto_spec.lua has them).
    local bad = {
      { {}, "no reason values (need a value or a non-empty list)" },
      { { protocol = "SIP", cause = 1.5 }, "cause must be a non-negative integer" },
      { { protocol = "SIP", cause = 600, text = "a\r\nX: 1" }, "text: CR or LF in quoted text at byte 2" },
      { { protocol = "Q.850", cause = "x" }, "cause: number expected, got string" },
      { { cause = 17 }, "protocol: string expected, got nil" },
    }
    for _, case in ipairs(bad) do
      for _, helper in ipairs({ "sl_reply", "send_reply", "t_reply" }) do
        assert.has_error(function() K[helper](600, nil, { reason = case[1] }) end,
          "bad argument #3 to '" .. helper .. "' (option 'reason': " .. case[2] .. ")")
      end
    end
    -- A cause number that is no integer: raised here, not by q850_reason.
    assert.has_error(function() K.t_reply(486, nil, { reason = 17.5 }) end,
      "bad argument #3 to 't_reply' (option 'reason' must be an integer)")
    assert.has_error(function() K.sl_reply(486, nil, { reason = 0 / 0 }) end,
      "bad argument #3 to 'sl_reply' (option 'reason' must be an integer)")
    assert.has_error(function() K.send_reply(486, nil, { reason = 2 ^ 53 }) end,
      "bad argument #3 to 'send_reply' (option 'reason' must be an integer)")
    -- The module's own helpers name themselves the same way.
    rawset(_G, "KSR", k)
    local ok, err = pcall(kam.sl_reply, 486, nil, { reason = 17.5 })
    rawset(_G, "KSR", nil)
    assert.is_false(ok)
    assert.are.equal("bad argument #3 to 'sl_reply' (option 'reason' must be an integer)", err)
    assert.are.same({}, k.calls)
  end)

  it("raises on misuse and sends nothing", function()
    local k = fake_ksr()
    local K = kam.new(k)
    assert.has_error(function() K.sl_reply() end,
      "bad argument #1 to 'sl_reply' (integer expected, got no value)")
    assert.has_error(function() K.sl_reply("busy") end,
      "bad argument #1 to 'sl_reply' (integer expected, got string)")
    assert.has_error(function() K.t_reply(486.5) end,
      "bad argument #1 to 't_reply' (number has no integer representation)")
    assert.has_error(function() K.send_reply(1 / 0) end,
      "bad argument #1 to 'send_reply' (number has no integer representation)")
    assert.has_error(function() K.sl_reply(99) end,
      "bad argument #1 to 'sl_reply' (code must be 100 to 699)")
    assert.has_error(function() K.sl_reply(701) end,
      "bad argument #1 to 'sl_reply' (code must be 100 to 699)")
    -- A phrase is checked by the rule of format_status_line, not empty.
    assert.has_error(function() K.sl_reply(486, "") end,
      "bad argument #2 to 'sl_reply' (empty reason phrase)")
    assert.has_error(function() K.sl_reply(486, "Busy\r\nX: 1") end,
      "bad argument #2 to 'sl_reply' (CR or LF in reason phrase at byte 5)")
    assert.has_error(function() K.sl_reply(486, "Busy\1Here") end,
      "bad argument #2 to 'sl_reply' (control character in reason phrase at byte 5)")
    assert.has_error(function() K.t_reply(486, ("x"):rep(9000)) end,
      "bad argument #2 to 't_reply' (reason phrase longer than 8178 bytes at byte 8179)")
    assert.has_error(function() K.send_reply(486, 'Say "Hi"') end,
      "bad argument #2 to 'send_reply' (invalid character in reason phrase at byte 5)")
    assert.has_error(function() K.sl_reply(486, 1) end,
      "bad argument #2 to 'sl_reply' (string expected, got number)")
    assert.has_error(function() K.sl_reply(486, nil, true) end,
      "bad argument #3 to 'sl_reply' (table expected, got boolean)")
    assert.has_error(function() K.sl_reply(486, nil, { header = true }) end,
      "bad argument #3 to 'sl_reply' (unknown option 'header')")
    assert.has_error(function() K.sl_reply(486, nil, { reason = print }) end,
      "bad argument #3 to 'sl_reply' (option 'reason' must be a boolean, a string, a number or a table)")
    -- A string must be a Reason header value, by parse_reason's rules.
    assert.has_error(function() K.sl_reply(486, nil, { reason = "x\r\nY: z" }) end,
      "bad argument #3 to 'sl_reply' (option 'reason': CR or LF in a header value)")
    -- Folding parses, but has no place in a header we write.
    assert.has_error(function() K.sl_reply(486, nil, { reason = "SIP;cause=200\r\n ;text=\"x\"" }) end,
      "bad argument #3 to 'sl_reply' (option 'reason': CR or LF in a header value)")
    assert.has_error(function() K.sl_reply(486, nil, { reason = "" }) end,
      "bad argument #3 to 'sl_reply' (option 'reason': expected protocol token at byte 1)")
    -- One SIP and one Q.850 value per header (RFC 3326): a second is refused
    -- where it starts, as parse_reason refuses it; other protocols repeat.
    assert.has_error(function() K.sl_reply(486, nil, { reason = "Q.850;cause=17, q.850;cause=16" }) end,
      "bad argument #3 to 'sl_reply' (option 'reason': second Q.850 value (one per protocol) at byte 17)")
    assert.has_error(function() K.t_reply(486, nil, { reason = "SIP;cause=486, Q.850;cause=17, SIP;cause=600" }) end,
      "bad argument #3 to 't_reply' (option 'reason': second SIP value (one per protocol) at byte 32)")
    local k2 = fake_ksr()
    assert.are.same({ 1, "Busy Here" }, { kam.new(k2).sl_reply(486, nil,
      { reason = "SIP;cause=486, Q.850;cause=17, X-Vendor;cause=1, X-Vendor;cause=2" }) })
    assert.are.same({ "append_to_reply Reason: SIP;cause=486, Q.850;cause=17, X-Vendor;cause=1, X-Vendor;cause=2\r\n",
                      "sl_send_reply 486 Busy Here" }, k2.calls)
    assert.has_error(function() K.sl_reply(486, nil, { reason = "Reason: SIP;cause=486" }) end,
      "bad argument #3 to 'sl_reply' (option 'reason': a header value, without the name)")
    assert.has_error(function() K.sl_reply(486, nil, { reason = "SIP;cause=486\r\n" }) end,
      "bad argument #3 to 'sl_reply' (option 'reason': CR or LF in a header value)")
    assert.has_error(function() K.sl_reply(486, nil, nil, 1) end,
      "bad argument #4 to 'sl_reply' (no more than 3 arguments expected, got 4)")
    assert.are.same({}, k.calls)
  end)
end)

describe("sipcodes.kamailio.winning", function()
  it("gives the winning code of the failure route and what it is", function()
    local K = kam.new(fake_ksr({ status = 486, replied = true }))
    local code, info = K.winning()
    assert.are.equal(486, code)
    assert.are.same({
      code = 486, class = 4, class_name = "client_failure", reason = "Busy Here",
      phrase = "Busy Here", known = true, canceled = false, timeout = false, replied = true,
    }, info)
  end)

  it("tells a local timeout and a cancel", function()
    local code, info = kam.new(fake_ksr({ status = 408, timeout = true })).winning()
    assert.are.equal(408, code)
    assert.is_true(info.timeout)
    assert.is_false(info.replied)
    code, info = kam.new(fake_ksr({ status = 487, canceled = true, replied = true })).winning()
    assert.are.equal(487, code)
    assert.is_true(info.canceled)
  end)

  it("describes a code no registry has", function()
    local code, info = kam.new(fake_ksr({ status = 499 })).winning()
    assert.are.equal(499, code)
    assert.is_nil(info.reason)
    assert.are.equal("Request Failure", info.phrase)
    assert.is_false(info.known)
  end)

  it("gives nil when tm has no code", function()
    assert.is_nil(kam.new(fake_ksr({ status = -1 })).winning())
    assert.is_nil(kam.new(fake_ksr({ status = 0 })).winning())
  end)

  it("reads $T_reply_code where tm has no t_get_status_code (Kamailio < 5.3)", function()
    local k = fake_ksr({ replied = true, vars = { ["$T_reply_code"] = 486 } })
    k.tm.t_get_status_code = nil
    local code, info = kam.new(k).winning()
    assert.are.equal(486, code)
    assert.are.equal("client_failure", info.class_name)
    assert.is_true(info.replied)
    if math_type then assert.are.equal("integer", math_type(code)) end
    k.vars["$T_reply_code"] = "603"
    assert.are.equal(603, (kam.new(k).winning()))
    k.vars["$T_reply_code"] = 0 -- no winning branch
    assert.is_nil(kam.new(k).winning())
    k.vars["$T_reply_code"] = nil -- tmx not loaded
    assert.is_nil(kam.new(k).winning())
  end)

  it("raises on extra arguments", function()
    assert.has_error(function() kam.new(fake_ksr()).winning(1) end,
      "bad argument #1 to 'winning' (no more than 0 arguments expected, got 1)")
  end)
end)

describe("sipcodes.kamailio.tag", function()
  it("writes the outcome of a winning 486 into the acc AVPs", function()
    local k = fake_ksr({ status = 486, branch_replied = true })
    local res = { kam.new(k).tag() }
    assert.are.same({ "busy", "user", 486 }, res)
    if math_type then assert.are.equal("integer", math_type(res[3])) end
    assert.are.same({
      "sets $(avp(sipcodes_outcome)[*]) busy",
      "sets $(avp(sipcodes_party)[*]) user",
      "seti $(avp(sipcodes_code)[*]) 486",
      "sets $(avp(sipcodes_phrase)[*]) Busy Here",
    }, k.calls)
    -- What acc reads: the top value of each AVP.
    assert.are.equal("busy", k.pv.get("$avp(sipcodes_outcome)"))
    assert.are.equal("user", k.pv.get("$avp(sipcodes_party)"))
    assert.are.equal(486, k.pv.get("$avp(sipcodes_code)"))
    assert.are.equal("Busy Here", k.pv.get("$avp(sipcodes_phrase)"))
  end)

  it("tags a cancelled call canceled/user, whatever the winning code", function()
    local k = fake_ksr({ status = 487, canceled = true, branch_replied = true })
    assert.are.same({ "canceled", "user", 487 }, { kam.new(k).tag() })
    assert.are.same({
      "sets $(avp(sipcodes_outcome)[*]) canceled",
      "sets $(avp(sipcodes_party)[*]) user",
      "seti $(avp(sipcodes_code)[*]) 487",
      "sets $(avp(sipcodes_phrase)[*]) Request Terminated",
    }, k.calls)
    k = fake_ksr({ status = 503, canceled = true, branch_replied = true })
    assert.are.same({ "canceled", "user", 503 }, { kam.new(k).tag() })
  end)

  it("tells a 408 after a provisional (no answer) from a silent destination", function()
    -- tm's own 408, nothing received: the network, whatever the script says.
    local silent = { status = 408, branch_timeout = true }
    assert.are.same({ "network_failure", "network", 408 }, { kam.new(fake_ksr(silent)).tag() })
    assert.are.same({ "network_failure", "network", 408 },
      { kam.new(fake_ksr(silent)).tag({ ctx = { provisional = true } }) })
    -- Timed out after a 100 Trying: a 408 of a destination that answered.
    local trying = { status = 408, branch_timeout = true, branch_replied = true }
    assert.are.same({ "network_failure", "network", 408 }, { kam.new(fake_ksr(trying)).tag() })
    -- It rang (an onreply route noted it): nobody answered.
    local k = fake_ksr(trying)
    assert.are.same({ "no_answer", "user", 408 },
      { kam.new(k).tag({ ctx = function() return { provisional = true } end }) })
    assert.are.same({
      "sets $(avp(sipcodes_outcome)[*]) no_answer",
      "sets $(avp(sipcodes_party)[*]) user",
      "seti $(avp(sipcodes_code)[*]) 408",
      "sets $(avp(sipcodes_phrase)[*]) Request Timeout",
    }, k.calls)
    -- A field of opts.ctx replaces what tm said.
    assert.are.same({ "no_answer", "user", 408 },
      { kam.new(fake_ksr(silent)).tag({ ctx = { local_timeout = false, provisional = true } }) })
  end)

  it("writes $dlg_var strings with store = dlg_var", function()
    local k = fake_ksr({ status = 486, branch_replied = true })
    assert.are.same({ "busy", "user", 486 }, { kam.new(k).tag({ store = "dlg_var" }) })
    assert.are.same({
      "sets $dlg_var(sipcodes_outcome) busy",
      "sets $dlg_var(sipcodes_party) user",
      "sets $dlg_var(sipcodes_code) 486",
      "sets $dlg_var(sipcodes_phrase) Busy Here",
    }, k.calls)
    assert.are.equal("486", k.pv.get("$dlg_var(sipcodes_code)"))
    assert.are.same({ "redirected", nil, 302 },
      { kam.new(k).tag({ store = "dlg_var", code = 302 }) })
    assert.are.equal("unset $dlg_var(sipcodes_party)", k.calls[6])
    assert.is_nil(k.pv.get("$dlg_var(sipcodes_party)"))
    assert.are.same({}, k.avps)
    -- store = "avp" is the default.
    k = fake_ksr({ status = 486 })
    kam.new(k).tag({ store = "avp" })
    assert.are.equal("sets $(avp(sipcodes_outcome)[*]) busy", k.calls[1])
  end)

  it("tags the code given, reading no branch flag (an onreply route's 2xx)", function()
    local k = fake_ksr({ status = 180 })
    -- tm answers these in failure routes only.
    k.tm.t_branch_timeout = function() error("t_branch_timeout outside a failure route") end
    k.tm.t_branch_replied = function() error("t_branch_replied outside a failure route") end
    k.tm.t_get_status_code = function() error("the code was given") end
    assert.are.same({ "answered", "user", 200 }, { kam.new(k).tag({ code = 200 }) })
    assert.are.same({
      "sets $(avp(sipcodes_outcome)[*]) answered",
      "sets $(avp(sipcodes_party)[*]) user",
      "seti $(avp(sipcodes_code)[*]) 200",
      "sets $(avp(sipcodes_phrase)[*]) OK",
    }, k.calls)
    -- A 2xx stays answered when the CANCEL crossed it; a numeral string is
    -- a code too.
    k = fake_ksr({ canceled = true })
    assert.are.same({ "answered", "user", 200 }, { kam.new(k).tag({ code = "200" }) })
    -- ... and a failure is cancelled: t_is_canceled is read everywhere.
    assert.are.same({ "canceled", "user", 486 }, { kam.new(k).tag({ code = 486 }) })
    -- The winning code is replaced, in a failure route too.
    k = fake_ksr({ status = 486, branch_timeout = true })
    assert.are.same({ "not_found", nil, 404 }, { kam.new(k).tag({ code = 404 }) })
  end)

  it("replaces what an earlier branch wrote, and removes what has no value", function()
    local k = fake_ksr({ status = 503, branch_replied = true })
    local K = kam.new(k)
    assert.are.same({ "network_failure", "network", 503 }, { K.tag() })
    -- A stale value under the AVP (as $avp(x) = v adds on top): gone too.
    k.pv.sets("$avp(sipcodes_party)", "stale")
    k.calls = {}
    assert.are.same({ "redirected", nil, 302 }, { K.tag({ code = 302 }) })
    assert.are.same({
      "sets $(avp(sipcodes_outcome)[*]) redirected",
      "unset $(avp(sipcodes_party)[*])",
      "seti $(avp(sipcodes_code)[*]) 302",
      "sets $(avp(sipcodes_phrase)[*]) Moved Temporarily",
    }, k.calls)
    assert.are.same({ { "redirected" }, { 302 }, { "Moved Temporarily" } },
      { k.avps.sipcodes_outcome, k.avps.sipcodes_code, k.avps.sipcodes_phrase })
    assert.is_nil(k.avps.sipcodes_party)
    assert.is_nil(k.pv.get("$avp(sipcodes_party)"))
    -- A 1xx has no category: code and phrase only.
    k.calls = {}
    assert.are.same({ nil, nil, 180 }, { K.tag({ code = 180 }) })
    assert.are.equal(3, select("#", K.tag({ code = 180 })))
    assert.are.same({
      "unset $(avp(sipcodes_outcome)[*])",
      "unset $(avp(sipcodes_party)[*])",
      "seti $(avp(sipcodes_code)[*]) 180",
      "sets $(avp(sipcodes_phrase)[*]) Ringing",
    }, { k.calls[1], k.calls[2], k.calls[3], k.calls[4] })
  end)

  it("gives a single nil and writes nothing when there is no code", function()
    for _, status in ipairs({ -1, 0, 99, 700 }) do
      local k = fake_ksr({ status = status })
      local called = false
      assert.are.equal(1, select("#", kam.new(k).tag({ ctx = function() called = true end })))
      assert.is_nil((kam.new(k).tag()))
      assert.are.same({}, k.calls)
      assert.is_false(called)
    end
  end)

  it("uses the global KSR", function()
    local k = fake_ksr({ status = 603, branch_replied = true })
    rawset(_G, "KSR", k)
    local ok, category, party, code = pcall(kam.tag)
    rawset(_G, "KSR", nil)
    assert.is_true(ok, category)
    assert.are.same({ "rejected", "user", 603 }, { category, party, code })
    assert.are.equal("sets $(avp(sipcodes_outcome)[*]) rejected", k.calls[1])
  end)

  it("raises on bad options and writes nothing", function()
    local k = fake_ksr({ status = 486 })
    local K = kam.new(k)
    local bad = {
      { function() K.tag(5) end, "bad argument #1 to 'tag' (table expected, got number)" },
      { function() K.tag("avp") end, "bad argument #1 to 'tag' (table expected, got string)" },
      { function() K.tag({}, nil) end, "bad argument #2 to 'tag' (no more than 1 argument expected, got 2)" },
      { function() K.tag({ stor = "avp" }) end, "bad argument #1 to 'tag' (unknown option 'stor')" },
      { function() K.tag({ [1] = "avp" }) end, "bad argument #1 to 'tag' (unknown option of type number)" },
      { function() K.tag({ store = "db" }) end, "bad argument #1 to 'tag' (option 'store' must be avp or dlg_var)" },
      { function() K.tag({ store = true }) end, "bad argument #1 to 'tag' (option 'store' must be avp or dlg_var)" },
      { function() K.tag({ code = 486.5 }) end,
        "bad argument #1 to 'tag' (option 'code' must be an integer 100 to 699)" },
      { function() K.tag({ code = 99 }) end, "bad argument #1 to 'tag' (option 'code' must be an integer 100 to 699)" },
      { function() K.tag({ code = 700 }) end,
        "bad argument #1 to 'tag' (option 'code' must be an integer 100 to 699)" },
      { function() K.tag({ code = "busy" }) end,
        "bad argument #1 to 'tag' (option 'code' must be an integer 100 to 699)" },
      { function() K.tag({ code = 0 / 0 }) end,
        "bad argument #1 to 'tag' (option 'code' must be an integer 100 to 699)" },
      { function() K.tag({ ctx = 5 }) end,
        "bad argument #1 to 'tag' (option 'ctx' must be a function or a table, got number)" },
      { function() K.tag({ ctx = function() return 5 end }) end,
        "bad argument #1 to 'tag' (opts.ctx must give a table, got number)" },
      { function() K.tag({ ctx = { ringing = true } }) end,
        "bad argument #1 to 'tag' (unknown opts.ctx field 'ringing')" },
      { function() K.tag({ ctx = { provisional = "yes" } }) end,
        "bad argument #1 to 'tag' (opts.ctx field 'provisional' must be a boolean)" },
    }
    for _, case in ipairs(bad) do
      assert.has_error(case[1], case[2])
    end
    assert.are.same({}, k.calls)
  end)

  it("names what KSR lacks before it writes anything", function()
    local k = fake_ksr({ status = 486 })
    k.pv.seti = nil
    assert.has_error(function() kam.new(k).tag() end,
      "tag: KSR has no pv.seti (is the Kamailio module that exports it loaded?)")
    -- A $dlg_var takes no integer: seti is not needed there.
    assert.are.same({ "busy", "user", 486 }, { kam.new(k).tag({ store = "dlg_var" }) })
    k = fake_ksr({ status = 486 })
    k.tm = nil
    assert.has_error(function() kam.new(k).tag() end,
      "tag: KSR has no tm.t_get_status_code (is the Kamailio module that exports it loaded?)")
    assert.are.same({}, k.calls)
  end)
end)

describe("sipcodes.kamailio.best_response", function()
  it("is the protocol function of sipcodes", function()
    assert.are.equal(sip.best_response, kam.best_response)
    assert.are.equal(407, kam.best_response({ 503, 407, 501, 404 }))
  end)
end)

describe("sipcodes.kamailio.protect", function()
  it("returns what the function returns", function()
    local K = kam.new(fake_ksr())
    local f = K.protect(function(a, b) return a, nil, b end)
    assert.are.equal(3, select("#", f(1, 2)))
    assert.are.same({ 1, nil, 2 }, { f(1, 2) })
  end)

  it("re-raises KSR.x.exit() unchanged", function()
    local k = fake_ksr()
    local K = kam.new(k)
    local f = K.protect(function() K.sl_reply(480) k.x.exit() end)
    local ok, err = pcall(f)
    assert.is_false(ok)
    assert.are.equal("~~ksr~exit~~", err) -- exactly: app_lua compares the string
    assert.are.equal("~~ksr~exit~~", kam.EXIT)
    assert.are.same({ "sl_send_reply 480 Temporarily Unavailable" }, k.calls)
  end)

  it("logs another error and answers it with 500 or the code given", function()
    local k = fake_ksr()
    local K = kam.new(k)
    local boom = K.protect(function() error("boom", 0) end)
    assert.are.equal(1, select("#", boom()))
    assert.is_nil(boom())
    k.calls = {}
    assert.are.same({ n = 1 }, { n = select("#", K.protect(function() error({ "not a string" }) end, 503)()) })
    assert.is_nil(K.protect(function() error("boom", 0) end)())
    assert.is_nil(K.protect(function() error("gone", 0) end, "404")())
    assert.are.same({
      "err sipcodes: route error: (error object is a table value)\n",
      "send_reply 503 Service Unavailable",
      "err sipcodes: route error: boom\n",
      "send_reply 500 Server Internal Error",
      "err sipcodes: route error: gone\n",
      "send_reply 404 Not Found",
    }, k.calls)
  end)

  it("sends no second final reply when f replied and then raised", function()
    local k = fake_ksr()
    local K = kam.new(k)
    local f = K.protect(function() K.t_reply(486) error("late", 0) end)
    assert.is_nil(f())
    assert.are.same({
      "t_reply 486 Busy Here",
      "err sipcodes: route error: late (already replied)\n",
    }, k.calls)
    -- Also when the reply went out through the module's own helpers, and
    -- through an inner protect.
    k.calls = {}
    rawset(_G, "KSR", k)
    local ok, err = pcall(K.protect(function()
      kam.protect(function() kam.sl_reply(403) error("inner", 0) end)()
      error("outer", 0)
    end))
    rawset(_G, "KSR", nil)
    assert.is_true(ok, err)
    assert.are.same({
      "sl_send_reply 403 Forbidden",
      "err sipcodes: route error: inner (already replied)\n",
      "err sipcodes: route error: outer (already replied)\n",
    }, k.calls)
  end)

  it("still answers after a provisional reply or a reply KSR refused", function()
    local k = fake_ksr()
    local K = kam.new(k)
    assert.is_nil(K.protect(function() K.sl_reply(100) error("x", 0) end)())
    assert.are.same({
      "sl_send_reply 100 Trying",
      "err sipcodes: route error: x\n",
      "send_reply 500 Server Internal Error",
    }, k.calls)
    k.calls = {}
    k.tm.t_reply = function() return -1 end
    assert.is_nil(K.protect(function() K.t_reply(486) error("y", 0) end)())
    assert.are.same({
      "err sipcodes: route error: y\n",
      "send_reply 500 Server Internal Error",
    }, k.calls)
    -- A reply KSR took (any result but a negative number) counts: 0 too.
    k.calls = {}
    k.tm.t_reply = function() return 0 end
    assert.is_nil(K.protect(function() K.t_reply(486) error("z", 0) end)())
    assert.are.same({ "err sipcodes: route error: z (already replied)\n" }, k.calls)
    -- A 199, the last provisional code, is no final reply; a 200 is one.
    k.calls = {}
    assert.is_nil(K.protect(function() K.sl_reply(199) error("p", 0) end)())
    assert.is_nil(K.protect(function() K.sl_reply(200) error("q", 0) end)())
    assert.are.same({
      "sl_send_reply 199 Early Dialog Terminated",
      "err sipcodes: route error: p\n",
      "send_reply 500 Server Internal Error",
      "sl_send_reply 200 OK",
      "err sipcodes: route error: q (already replied)\n",
    }, k.calls)
  end)

  it("re-raises KSR.x.exit() unchanged after a reply too, and replies nothing more", function()
    local k = fake_ksr()
    local K = kam.new(k)
    local ok, err = pcall(K.protect(function() K.sl_reply(100) k.x.exit() end))
    assert.is_false(ok)
    assert.are.equal(EXIT, err)
    assert.are.same({ "sl_send_reply 100 Trying" }, k.calls)
  end)

  it("logs and answers any error value, also one whose __tostring raises", function()
    local k = fake_ksr()
    local K = kam.new(k)
    local raising = setmetatable({}, { __tostring = function() error("no text for you") end })
    local not_text = setmetatable({}, { __tostring = function() return {} end })
    local yielding = setmetatable({}, { __tostring = function() coroutine.yield() end })
    local named = setmetatable({}, { __tostring = function() return "a named error" end })
    for _, case in ipairs({
      { raising, "(error object is a table value)" },
      { not_text, "(error object is a table value)" },
      { yielding, "(error object is a table value)" },
      { named, "a named error" },
      { 42, "42" },
      { true, "(error object is a boolean value)" },
      { print, "(error object is a function value)" },
    }) do
      k.calls = {}
      -- (level 0: Lua 5.1 would put a position in front of a number)
      assert.is_nil(K.protect(function() error(case[1], 0) end)())
      assert.are.same({
        "err sipcodes: route error: " .. case[2] .. "\n",
        "send_reply 500 Server Internal Error",
      }, k.calls)
    end
    -- error(nil): pcall gives nil as the value.
    k.calls = {}
    assert.is_nil(K.protect(function() error() end)())
    assert.are.same({ "err sipcodes: route error: (error object is a nil value)\n",
                      "send_reply 500 Server Internal Error" }, k.calls)
  end)

  it("answers even when KSR.err itself fails", function()
    local k = fake_ksr()
    k.err = function() error("logger down") end
    assert.is_nil(kam.new(k).protect(function() error("boom") end)())
    assert.are.same({ "send_reply 500 Server Internal Error" }, k.calls)
  end)

  it("ends a yield inside the route as an error, the same on every interpreter", function()
    local k = fake_ksr()
    local K = kam.new(k)
    local route = K.protect(function() coroutine.yield("away") return "not reached" end)
    -- Run where a yield could go somewhere: inside a coroutine.
    local co = coroutine.create(function() return "done", route() end)
    local ok, a, b = coroutine.resume(co)
    assert.is_true(ok)
    assert.are.equal("done", a)
    assert.is_nil(b)
    assert.are.equal("dead", coroutine.status(co))
    assert.are.same({
      "err sipcodes: route error: attempt to yield inside a protected route\n",
      "send_reply 500 Server Internal Error",
    }, k.calls)
  end)

  it("passes a memory error of the route on as a logged 500, not as misuse", function()
    local k = fake_ksr()
    assert.is_nil(kam.new(k).protect(function() error("not enough memory", 0) end)())
    assert.are.same({ "err sipcodes: route error: not enough memory\n",
                      "send_reply 500 Server Internal Error" }, k.calls)
  end)

  it("raises on misuse", function()
    local K = kam.new(fake_ksr())
    assert.has_error(function() K.protect() end,
      "bad argument #1 to 'protect' (function expected, got no value)")
    assert.has_error(function() K.protect(print, 700) end,
      "bad argument #2 to 'protect' (code must be 100 to 699)")
  end)
end)

-- Load examples/kamailio/kamailio.lua as app_lua would, with KSR in its
-- environment.  It registers a code, and registrations belong to the
-- lua_State: it gets fresh modules, and the spec's are put back after.
local function load_example(k)
  local saved = {}
  local names = { "sipcodes", "sipcodes.core", "sipcodes.kamailio" }
  for _, name in ipairs(names) do
    saved[name] = package.loaded[name]
    package.loaded[name] = nil
  end
  local env = setmetatable({ KSR = k }, { __index = _G })
  local setfenv = rawget(_G, "setfenv")
  local chunk
  if setfenv then
    chunk = assert(loadfile("examples/kamailio/kamailio.lua"))
    setfenv(chunk, env)
  else
    chunk = assert(loadfile("examples/kamailio/kamailio.lua", "t", env))
  end
  local ok, err = pcall(chunk)
  for _, name in ipairs(names) do
    package.loaded[name] = saved[name]
  end
  assert(ok, err)
  return env
end

describe("examples/kamailio/kamailio.lua", function()
  -- app_lua's KSR is a real global, which the helpers look up: it is set
  -- for the call and removed again.  Gives everything pcall gave, packed.
  local function with_ksr(k, f, ...)
    rawset(_G, "KSR", k)
    local res = { n = 0 }
    local function keep(...)
      res = { n = select("#", ...), ... }
    end
    keep(pcall(f, ...))
    rawset(_G, "KSR", nil)
    return res
  end

  local function route(user, state)
    local k = fake_ksr(state)
    k.vars["$rm"] = (state and state.method) or "INVITE"
    k.vars["$rU"] = user
    local env = load_example(k)
    return k.calls, with_ksr(k, env.ksr_request_route), env, k
  end

  -- A route that ran to its end: it raised nothing and returned nothing
  -- (app_lua reads no result of ksr_request_route).  Gives the KSR calls.
  local function ran(user, state)
    local calls, res = route(user, state)
    assert.are.same({ n = 1, true }, res, user)
    return calls
  end

  it("answers OPTIONS with 200 and another method with 501", function()
    assert.are.same({ "sl_send_reply 200 OK" }, ran("ping", { method = "OPTIONS" }))
    assert.are.same({ "sl_send_reply 501 Not Implemented" }, ran("486", { method = "BYE" }))
  end)

  it("answers a code in the user part with that code and its Reason", function()
    assert.are.same({
      'append_to_reply Reason: Q.850;cause=17;text="User busy"\r\n',
      "sl_send_reply 486 Busy Here",
    }, ran("486"))
    -- 487 has no cause (RFC 3398 maps no Q.850 cause to it): no header.
    assert.are.same({ "sl_send_reply 487 Request Terminated" }, ran("487"))
    -- Not a code 100-699: the user is unknown.
    assert.are.same({ "sl_send_reply 404 Not Found" }, ran("700"))
    assert.are.same({ "sl_send_reply 404 Not Found" }, ran("nobody"))
  end)

  it("replies from a transaction and through send_reply", function()
    assert.are.same({
      "t_newtran",
      'append_to_reply Reason: Q.850;cause=18;text="No user responding"\r\n',
      "t_reply 480 Temporarily Unavailable",
    }, ran("tm-480"))
    assert.are.same({ "send_reply 503 Service Unavailable" }, ran("sr-503"))
  end)

  it("answers a Q.850 cause with the RFC 3398 response and a Reason carrying the cause", function()
    assert.are.same({
      'append_to_reply Reason: Q.850;cause=17;text="User busy"\r\n',
      "sl_send_reply 486 Busy Here",
    }, ran("cause-17"))
    -- RFC 3398 section 7.2.4.1: cause 34 is 503.
    assert.are.same({
      'append_to_reply Reason: Q.850;cause=34;text="No circuit/channel available"\r\n',
      "sl_send_reply 503 Service Unavailable",
    }, ran("cause-34"))
  end)

  it("sends the code it registered, and a class phrase for an unknown one", function()
    assert.are.same({ "sl_send_reply 477 Quota Exceeded" }, ran("quota"))
    assert.are.same({ "sl_send_reply 499 Request Failure" }, ran("unknown"))
  end)

  it("keeps KSR.x.exit() working inside protect", function()
    local calls, res = route("exit")
    assert.are.same({ n = 2, false, "~~ksr~exit~~" }, res)
    assert.are.same({ "sl_send_reply 480 Exit Test" }, calls)
  end)

  it("answers an error inside protect with 500", function()
    local calls = ran("error")
    assert.are.equal(2, #calls)
    assert.matches("^err sipcodes: route error: .*boom\n$", calls[1])
    assert.are.equal("send_reply 500 Server Internal Error", calls[2])
  end)

  it("answers an error value it cannot print with 500 too", function()
    assert.are.same({ "err sipcodes: route error: (error object is a table value)\n",
                      "send_reply 500 Server Internal Error" }, ran("error-object"))
  end)

  it("answers a reply followed by an error inside protect only once", function()
    local calls = ran("late-error")
    assert.are.equal("sl_send_reply 486 Late Error", calls[1])
    assert.matches("^err sipcodes: route error: .*late boom %(already replied%)\n$", calls[2])
    assert.are.equal(2, #calls)
  end)

  it("relays fwd- users and sends nothing over the winning reply", function()
    local calls, res, env = route("fwd-486", { status = 486, replied = true })
    assert.are.same({ n = 1, true }, res)
    assert.are.same({ "sets $rU 486", "t_on_failure ksr_failure_route", "t_relay" }, calls)
    -- a busy callee, a server failure without a second destination, a
    -- cancelled call: tm relays the reply as it came, headers and all
    for _, state in ipairs({ { status = 486 }, { status = 503 }, { status = 487, canceled = true },
                             { status = 408, branch_timeout = true } }) do
      local k = require("doubles").ksr(state)
      assert.are.same({ n = 1, true }, with_ksr(k, env.ksr_failure_route))
      assert.are.same({}, k.calls)
    end
  end)

  it("lets tm absorb an ACK", function()
    assert.are.same({ "t_check_trans" }, ran("486", { method = "ACK" }))
  end)
end)

-- tools/kamailio-e2e.sh must not check Kamailio against what the library
-- under test computes: every status line it expects is written out, and
-- for a code in the IANA registry (spec/fixtures) the phrase is IANA's.
describe("tools/kamailio-e2e.sh", function()
  local function iana()
    local phrases = {}
    local f = assert(io.open("spec/fixtures/iana-sip-response-codes.tsv"))
    f:read("*l")
    for line in f:lines() do
      local code, phrase = line:match("^(%d+)\t([^\t]+)\t")
      phrases[tonumber(code)] = phrase
    end
    f:close()
    return phrases
  end

  it("expects literal status lines, IANA's phrase for a registered code", function()
    local f = assert(io.open("tools/kamailio-e2e.sh"))
    local script = f:read("*a")
    f:close()
    f = assert(io.open("examples/kamailio/kamailio.lua"))
    local example = f:read("*a")
    f:close()
    assert.is_nil(script:find("phrase()", 1, true), "the script computes phrases")
    local phrases = iana()
    local n = 0
    for line in script:gmatch("[^\n]+") do
      for status in line:gmatch('"(SIP/2%.0 [^"]*)"') do
        assert.is_nil(status:find("[$`]"), "not literal: " .. status)
        local code, phrase = status:match("^SIP/2%.0 (%d%d%d) (.+)$")
        assert.is_string(code, status)
        -- A phrase of the example script's own ("Exit Test") is sent as
        -- it is; any other phrase of a registered code must be IANA's.
        if phrases[tonumber(code)] and not example:find('"' .. phrase .. '"', 1, true) then
          assert.are.equal("SIP/2.0 " .. code .. " " .. phrases[tonumber(code)], status)
        end
        n = n + 1
      end
    end
    assert.is_true(n >= 15, "found " .. n .. " status lines")
  end)
end)
