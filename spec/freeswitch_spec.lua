-- require "sipcodes.freeswitch": FreeSWITCH's causes and mod_sofia's
-- mapping row by row against the reference tables, and the session helpers
-- driven through a test double that records what a mod_lua session would
-- be asked to do.  FreeSWITCH is not in Debian, so this is as close as the
-- test run gets; one test runs the example under lua5.3, the Lua of
-- FreeSWITCH's Debian 12 packages.
local before_globals = {}
for k in pairs(_G) do before_globals[k] = true end

local sip = require "sipcodes"
local fs = require "sipcodes.freeswitch"
local math_type = rawget(math, "type") -- 5.3+

-- Copies of FreeSWITCH's tables (switch_types.h, mod_sofia) live in
-- spec/fixtures/; a missing copy is an error, never a skipped test.
local read_tsv = require("fixtures").read_tsv

-- A mod_lua session as far as the helpers use it, recording every call as a
-- string, e.g. "execute respond 486 Busy Here", with what mod_sofia would
-- send the caller in s.received, "SIP/2.0 608 " (spec/doubles.lua, built
-- on the measurements in ../shared/reference/freeswitch-measured.md and on
-- the copies of mod_sofia's tables in spec/fixtures, not on sipcodes).
local doubles = require "doubles"
local fake_session = doubles.session

-- mod_sofia's cause -> SIP table from its copy (spec/doubles.lua reads
-- it): code[cause name], and the default for a cause it does not list.
local sofia_code, sofia_code_default = doubles.sofia_code, doubles.sofia_code_default

-- The IANA phrase of each registered code, from its copy ("Accepted
-- (Deprecated)" is the registry's note; "Accepted" goes on the wire).
local iana_phrase = {}
for _, row in ipairs(read_tsv("iana-sip-response-codes.tsv")) do
  iana_phrase[tonumber(row.code)] = row.reason_phrase:gsub(" %(Deprecated%)$", "")
end

describe("sipcodes.freeswitch", function()
  it("creates no global", function()
    for k in pairs(_G) do
      assert.is_true(before_globals[k], "new global " .. tostring(k))
    end
  end)
end)

describe("sipcodes.freeswitch causes", function()
  local rows = read_tsv("freeswitch-causes.tsv")

  it("converts names and numbers for every row of FreeSWITCH's table", function()
    local all = fs.causes()
    local n = 0
    for _, row in ipairs(rows) do
      local number = tonumber(row.number)
      assert.are.equal(number, fs.cause_number(row.name))
      assert.are.equal(number, fs.cause_number(row.name:lower()))
      assert.are.equal(number, fs.cause_number(tostring(number)))
      assert.are.equal(number, fs.cause_number(number))
      assert.are.equal(row.name, fs.cause_name(number))
      assert.are.equal(row.name, fs.cause_name(tostring(number)))
      assert.are.equal(row.name, fs.cause_name(row.name:lower()))
      assert.are.equal("SWITCH_CAUSE_" .. row.name, row.enum)
      assert.are.equal(number, all[row.name])
      -- What goes on the wire: up to 127 as it is, the rest as 16.
      if row.on_wire_q850 == "yes" then
        assert.are.equal(number, fs.cause_q850(row.name))
      elseif number > 127 then
        assert.are.equal(16, fs.cause_q850(number))
      end
      if math_type then
        assert.are.equal("integer", math_type(fs.cause_number(row.name)))
      end
      n = n + 1
    end
    local count = 0
    for _ in pairs(all) do count = count + 1 end
    assert.are.equal(n, count)
    assert.are.equal(82, n)
  end)

  it("gives nil for what FreeSWITCH does not have", function()
    assert.is_nil(fs.cause_number("NO_SUCH_CAUSE"))
    assert.is_nil(fs.cause_number(""))
    assert.is_nil(fs.cause_number("17abc"))
    assert.is_nil(fs.cause_number(26))
    assert.is_nil(fs.cause_number(-1))
    assert.is_nil(fs.cause_name(26))
    assert.is_nil(fs.cause_name(9999))
    assert.is_nil(fs.cause_name("user busy"))
    assert.is_nil(fs.cause_to_sip("NO_SUCH_CAUSE"))
    assert.is_nil(fs.cause_q850("NO_SUCH_CAUSE"))
    assert.is_nil(fs.cause_q850(-1))
  end)

  it("raises on a wrong argument", function()
    assert.has_error(function() fs.cause_name() end,
      "bad argument #1 to 'cause_name' (integer or string expected, got no value)")
    assert.has_error(function() fs.cause_number({}) end,
      "bad argument #1 to 'cause_number' (integer or string expected, got table)")
    assert.has_error(function() fs.cause_to_sip(true) end,
      "bad argument #1 to 'cause_to_sip' (integer or string expected, got boolean)")
    assert.has_error(function() fs.cause_name(17.5) end,
      "bad argument #1 to 'cause_name' (number has no integer representation)")
    assert.has_error(function() fs.sip_to_cause("busy") end,
      "bad argument #1 to 'sip_to_cause' (integer expected, got string)")
    assert.has_error(function() fs.cause_name(17, 1) end,
      "bad argument #2 to 'cause_name' (no more than 1 argument expected, got 2)")
    assert.has_error(function() fs.causes(1) end,
      "bad argument #1 to 'causes' (no more than 0 arguments expected, got 1)")
  end)
end)

describe("sipcodes.freeswitch mapping, as mod_sofia", function()
  local rows = read_tsv("freeswitch-sip-map.tsv")

  it("maps every SIP status row to its cause, and any other to NORMAL_UNSPECIFIED", function()
    local listed, default, n = {}, nil, 0
    for _, row in ipairs(rows) do
      if row.direction == "sip_to_cause" then
        if row.sip_code == "default" then
          default = row.cause_name
        else
          local code = tonumber(row.sip_code)
          assert.are.equal(row.cause_name, fs.cause_name(fs.sip_to_cause(code)), "status " .. code)
          listed[code] = true
          n = n + 1
        end
      end
    end
    assert.are.equal(44, n)
    assert.are.equal("NORMAL_UNSPECIFIED", default)
    for code = 0, 999 do
      if not listed[code] then
        assert.are.equal(default, fs.cause_name(fs.sip_to_cause(code)), "status " .. code)
      end
    end
  end)

  it("maps every cause row to its status, and any other cause to 480", function()
    local listed, default, n = {}, nil, 0
    for _, row in ipairs(rows) do
      if row.direction == "cause_to_sip" then
        if row.cause_name == "default" then
          default = tonumber(row.sip_code)
        else
          local code = tonumber(row.sip_code)
          assert.are.equal(code, fs.cause_to_sip(row.cause_name), "cause " .. row.cause_name)
          assert.are.equal(code, fs.cause_to_sip(row.cause_name:lower()))
          assert.are.equal(code, fs.cause_to_sip(fs.cause_number(row.cause_name)))
          listed[row.cause_name] = true
          n = n + 1
        end
      end
    end
    assert.are.equal(45, n)
    assert.are.equal(480, default)
    for name, number in pairs(fs.causes()) do
      if not listed[name] then
        assert.are.equal(default, fs.cause_to_sip(name), "cause " .. name)
        assert.are.equal(default, fs.cause_to_sip(number))
      end
    end
    assert.are.equal(default, fs.cause_to_sip(26)) -- no name, still a cause
  end)

  it("keeps mod_sofia's 429 <-> BAD_IDENTITY_INFO, 436's meaning, as FreeSWITCH does", function()
    assert.are.equal(821, fs.sip_to_cause(429))
    assert.are.equal("BAD_IDENTITY_INFO", fs.cause_name(821))
    assert.are.equal(429, fs.cause_to_sip("BAD_IDENTITY_INFO"))
    assert.are.equal(821, fs.cause_for_sip(429))
    assert.are.equal(31, fs.sip_to_cause(436)) -- not in mod_sofia's table
  end)

  it("gives 16 as the Q.850 value of ORIGINATOR_CANCEL (on SIP it is Reason: SIP;cause=487)", function()
    assert.are.equal(16, fs.cause_q850("ORIGINATOR_CANCEL"))
    assert.are.equal(16, fs.cause_q850(487))
    assert.are.equal(127, fs.cause_q850(127))
    assert.are.equal(16, fs.cause_q850(128))
  end)

  it("differs from RFC 3398 where mod_sofia does", function()
    assert.are.equal(603, fs.cause_to_sip("CALL_REJECTED"))
    assert.are.equal(403, sip.from_q850(21))
    assert.are.equal("ORIGINATOR_CANCEL", fs.cause_name(fs.sip_to_cause(487)))
    assert.is_nil(sip.to_q850(487))
    assert.are.equal("INCOMPATIBLE_DESTINATION", fs.cause_name(fs.sip_to_cause(488)))
    assert.are.equal(3, fs.sip_to_cause(604))
    assert.are.equal(1, sip.to_q850(604))
  end)

  it("finds the cause that makes mod_sofia send a code", function()
    assert.are.equal("USER_BUSY", fs.cause_name(fs.cause_for_sip(486)))
    assert.are.equal("NO_ANSWER", fs.cause_name(fs.cause_for_sip(480)))
    assert.are.equal("BUSY_EVERYWHERE", fs.cause_name(fs.cause_for_sip(600)))
    assert.are.equal("DESTINATION_OUT_OF_ORDER", fs.cause_name(fs.cause_for_sip(502)))
    -- every code a cause gives (the copy of mod_sofia's table) comes back
    local n = 0
    for name, code in pairs(sofia_code) do
      assert.are.equal(code, sofia_code[fs.cause_name(fs.cause_for_sip(code))] or sofia_code_default, name)
      n = n + 1
    end
    assert.are.equal(45, n)
    -- No cause gives 608: mod_sofia's cause for it, which leaves as 603.
    assert.are.equal("CALL_REJECTED", fs.cause_name(fs.cause_for_sip(608)))
  end)
end)

describe("sipcodes.freeswitch.respond", function()
  it("responds with the code and a real phrase", function()
    for code, sent in pairs({ [608] = "608 Rejected", [486] = "486 Busy Here", ["425"] = "425 Bad Alert Message",
                              [499] = "499 Request Failure", [429] = "429 Provide Referrer Identity",
                              [180] = "180 Ringing", [687] = "687 Dialog Terminated" }) do
      local s = fake_session()
      assert.are.equal(sent, fs.respond(s, code))
      assert.are.same({ "execute respond " .. sent }, s.calls)
    end
  end)

  it("is what the caller gets, and ends an unanswered call from 400 on", function()
    local s = fake_session()
    fs.respond(s, 608)
    assert.are.equal("SIP/2.0 608 Rejected", s.received)
    assert.is_false(s:ready())
    s = fake_session()
    fs.respond(s, 425)
    assert.are.equal("SIP/2.0 425 Bad Alert Message", s.received)
    s = fake_session()
    fs.respond(s, 486, "Nobody Home")
    assert.are.equal("SIP/2.0 486 Nobody Home", s.received)
  end)

  it("sends 608 Rejected, a code sofia-sip has no phrase for", function()
    local s = fake_session()
    assert.are.equal("608 Rejected", fs.respond(s, 608))
    assert.are.same({ "execute respond 608 Rejected" }, s.calls)
  end)

  it("never leaves the phrase to FreeSWITCH", function()
    -- IANA's phrase for a registered code (the copy); some phrase of its
    -- own for the others, never "Because" and never empty
    local class_phrase = { "Provisional", "Successful", "Redirection", "Request Failure",
                           "Server Failure", "Global Failure" }
    local registered, classed = 0, 0
    for code = 100, 699 do
      local s = fake_session()
      local data = fs.respond(s, code)
      assert.are.same({ "execute respond " .. data }, s.calls)
      local phrase = data:match("^" .. code .. " (.+)$")
      assert.is_truthy(phrase, data)
      assert.is_nil(data:find("Because", 1, true))
      if iana_phrase[code] then
        assert.are.equal(iana_phrase[code], phrase)
        registered = registered + 1
      elseif phrase == class_phrase[math.floor(code / 100)] then
        classed = classed + 1
      end
      if code >= 400 then assert.are.equal("SIP/2.0 " .. data, s.received) end
    end
    assert.are.equal(75, registered)
    assert.is_true(classed > 400)
  end)

  it("takes a phrase of the caller's", function()
    local s = fake_session()
    assert.are.equal("486 Nobody Home", fs.respond(s, 486, "Nobody Home"))
    assert.are.same({ "execute respond 486 Nobody Home" }, s.calls)
  end)

  it("raises on misuse", function()
    local s = fake_session()
    assert.has_error(function() fs.respond() end,
      "bad argument #1 to 'respond' (session expected, got no value)")
    assert.has_error(function() fs.respond("session", 486) end,
      "bad argument #1 to 'respond' (session expected, got string)")
    assert.has_error(function() fs.respond(s) end,
      "bad argument #2 to 'respond' (integer expected, got no value)")
    assert.has_error(function() fs.respond(s, "busy") end,
      "bad argument #2 to 'respond' (integer expected, got string)")
    assert.has_error(function() fs.respond(s, 486.5) end,
      "bad argument #2 to 'respond' (number has no integer representation)")
    assert.has_error(function() fs.respond(s, 0 / 0) end,
      "bad argument #2 to 'respond' (number has no integer representation)")
    assert.has_error(function() fs.respond(s, 99) end,
      "bad argument #2 to 'respond' (code must be 100 to 699)")
    assert.has_error(function() fs.respond(s, 700) end,
      "bad argument #2 to 'respond' (code must be 100 to 699)")
    -- A phrase is checked by the rule of format_status_line, not empty.
    assert.has_error(function() fs.respond(s, 486, "") end,
      "bad argument #3 to 'respond' (empty reason phrase)")
    assert.has_error(function() fs.respond(s, 486, "Busy\r\nX-Evil: 1") end,
      "bad argument #3 to 'respond' (CR or LF in reason phrase at byte 5)")
    assert.has_error(function() fs.respond(s, 486, "Busy\1Here") end,
      "bad argument #3 to 'respond' (control character in reason phrase at byte 5)")
    assert.has_error(function() fs.respond(s, 486, ("x"):rep(9000)) end,
      "bad argument #3 to 'respond' (reason phrase longer than 8178 bytes at byte 8179)")
    assert.has_error(function() fs.respond(s, 486, "\255") end,
      "bad argument #3 to 'respond' (invalid UTF-8 in reason phrase at byte 1)")
    assert.has_error(function() fs.respond(s, 486, 17) end,
      "bad argument #3 to 'respond' (string expected, got number)")
    assert.has_error(function() fs.respond(s, 486, "Busy", 1) end,
      "bad argument #4 to 'respond' (no more than 3 arguments expected, got 4)")
    assert.are.same({}, s.calls)
  end)
end)

describe("sipcodes.freeswitch.hangup", function()
  it("hangs up with the cause that maps to the code", function()
    for code, want in pairs({
      [486] = { "USER_BUSY", "SIP/2.0 486 Busy Here" },
      [404] = { "UNALLOCATED_NUMBER", "SIP/2.0 404 Not Found" },
      [480] = { "NO_ANSWER", "SIP/2.0 480 Temporarily Unavailable" },
      [603] = { "CALL_REJECTED", "SIP/2.0 603 Decline" },
      [607] = { "UNWANTED", "SIP/2.0 607 Unwanted" },
    }) do
      local s = fake_session()
      assert.are.same({ want[1], code }, { fs.hangup(s, code) })
      assert.are.same({ "set sip_ignore_remote_cause=true", "hangup " .. want[1] }, s.calls)
      assert.are.equal(want[2], s.received)
      assert.is_false(s:ready())
    end
  end)

  it("returns the code mod_sofia sends, also after a failed bridge", function()
    -- The far end refused with 404; the script hangs up for 486.  Without
    -- sip_ignore_remote_cause, mod_sofia would send the far end's 404.
    local s = fake_session({ last_bridge_proto_specific_hangup_cause = "sip:404" })
    assert.are.same({ "USER_BUSY", 486 }, { fs.hangup(s, 486) })
    assert.are.equal("SIP/2.0 486 Busy Here", s.received)
    assert.are.same({ "set sip_ignore_remote_cause=true", "hangup USER_BUSY" }, s.calls)
    for asked, got in pairs({ [403] = "SIP/2.0 403 Forbidden", [480] = "SIP/2.0 480 Temporarily Unavailable",
                              [486] = "SIP/2.0 486 Busy Here", [502] = "SIP/2.0 502 Bad Gateway",
                              [603] = "SIP/2.0 603 Decline", [608] = "SIP/2.0 603 Decline",
                              [429] = "SIP/2.0 429 Provide Referrer Identity" }) do
      s = fake_session({ last_bridge_proto_specific_hangup_cause = "sip:503" })
      local _, code = fs.hangup(s, asked)
      assert.are.equal(got, s.received, "code " .. asked)
      assert.are.equal(tonumber(got:sub(9, 11)), code, "code " .. asked)
    end
  end)

  it("says which code goes out when no cause gives the one asked for", function()
    local s = fake_session()
    assert.are.same({ "CALL_REJECTED", 603 }, { fs.hangup(s, 608) })
    assert.are.equal("SIP/2.0 603 Decline", s.received)
    s = fake_session()
    assert.are.same({ "NORMAL_UNSPECIFIED", 480 }, { fs.hangup(s, 499) })
    assert.are.equal("SIP/2.0 480 Temporarily Unavailable", s.received)
  end)

  it("responds where mod_sofia's hangup path would send an empty phrase (429)", function()
    -- mod_sofia maps 429 <-> BAD_IDENTITY_INFO, and sofia-sip has no phrase
    -- for 429: "hangup BAD_IDENTITY_INFO" alone would send "SIP/2.0 429 "
    local s = fake_session()
    s:hangup("BAD_IDENTITY_INFO")
    assert.are.equal("SIP/2.0 429 ", s.received)
    s = fake_session()
    assert.are.same({ "BAD_IDENTITY_INFO", 429 }, { fs.hangup(s, 429) })
    assert.are.same({ "set sip_ignore_remote_cause=true", "execute respond 429 Provide Referrer Identity",
                      "hangup BAD_IDENTITY_INFO" }, s.calls)
    assert.are.equal("SIP/2.0 429 Provide Referrer Identity", s.received)
    assert.is_false(s:ready())
    assert.are.equal("BAD_IDENTITY_INFO", s:hangupCause())
    -- an answered call gets a BYE, which has no phrase: hang up only
    s = fake_session({}, true)
    assert.are.same({ "BAD_IDENTITY_INFO", 429 }, { fs.hangup(s, 429) })
    assert.are.same({ "set sip_ignore_remote_cause=true", "hangup BAD_IDENTITY_INFO" }, s.calls)
    assert.is_nil(s.received)
  end)

  it("responds for the STIR/SHAKEN codes an older sofia-sip has no phrase for", function()
    -- sofia-sip before its pull request #65 gives 428 and 436-439 "", so a
    -- bare hangup with NO_IDENTITY sends "SIP/2.0 428 " there; fs.hangup
    -- cannot know the version and responds with either
    local stir = {
      [428] = { "NO_IDENTITY", "Use Identity Header" },
      [437] = { "UNSUPPORTED_CERTIFICATE", "Unsupported Credential" },
      [438] = { "INVALID_IDENTITY", "Invalid Identity Header" },
    }
    for code, want in pairs(stir) do
      local old, new = fake_session({}, false, doubles.SOFIA_PHRASES_BEFORE_65), fake_session()
      old:hangup(want[1])
      new:hangup(want[1])
      assert.are.equal("SIP/2.0 " .. code .. " ", old.received, code)
      assert.are.equal("SIP/2.0 " .. code .. " " .. want[2], new.received, code)
      for _, phrases in ipairs({ doubles.SOFIA_PHRASES_BEFORE_65, doubles.SOFIA_PHRASES }) do
        local s = fake_session({}, false, phrases)
        assert.are.same({ want[1], code }, { fs.hangup(s, code) })
        assert.are.same({ "set sip_ignore_remote_cause=true", "execute respond " .. code .. " " .. want[2],
                          "hangup " .. want[1] }, s.calls)
        assert.are.equal("SIP/2.0 " .. code .. " " .. want[2], s.received)
        s = fake_session({}, true, phrases)
        assert.are.same({ want[1], code }, { fs.hangup(s, code) })
        assert.are.same({ "set sip_ignore_remote_cause=true", "hangup " .. want[1] }, s.calls)
      end
    end
  end)

  it("never lets the caller get an empty phrase, with either sofia-sip", function()
    for _, phrases in ipairs({ doubles.SOFIA_PHRASES_BEFORE_65, doubles.SOFIA_PHRASES }) do
      for code = 100, 699 do
        local s = fake_session({ last_bridge_proto_specific_hangup_cause = "sip:608" }, false, phrases)
        local _, sent = fs.hangup(s, code)
        local got, phrase = s.received:match("^SIP/2%.0 (%d%d%d) (.*)$")
        assert.are.equal(sent, tonumber(got), "code " .. code)
        assert.are_not.equal("", phrase, "code " .. code)
        assert.is_false(s:ready())
      end
    end
  end)

  it("needs execute() only when it responds", function()
    local function no_execute(answered)
      local s = fake_session({}, answered)
      s.execute = nil
      return s
    end
    local s = no_execute(false)
    assert.are.same({ "USER_BUSY", 486 }, { fs.hangup(s, 486) })
    assert.are.equal("SIP/2.0 486 Busy Here", s.received)
    s = no_execute(true) -- answered: a BYE, no respond
    assert.are.same({ "NO_IDENTITY", 428 }, { fs.hangup(s, 428) })
    for _, code in ipairs({ 428, 429, 437, 438 }) do
      s = no_execute(false)
      assert.has_error(function() fs.hangup(s, code) end,
        "bad argument #1 to 'hangup' (session expected, got table without execute())")
      assert.are.same({}, s.calls) -- raised before anything was set
      assert.is_true(s:ready())
    end
  end)

  it("raises on misuse", function()
    assert.has_error(function() fs.hangup(nil, 486) end,
      "bad argument #1 to 'hangup' (session expected, got nil)")
    assert.has_error(function() fs.hangup({ hangup = print }, 486) end,
      "bad argument #1 to 'hangup' (session expected, got table without setVariable())")
    assert.has_error(function() fs.hangup(io.stdout, 486) end,
      "bad argument #1 to 'hangup' (session expected, got userdata without setVariable())")
    assert.has_error(function() fs.hangup(fake_session(), "USER_BUSY") end,
      "bad argument #2 to 'hangup' (integer expected, got string)")
    assert.has_error(function() fs.hangup(fake_session(), 486, 1) end,
      "bad argument #3 to 'hangup' (no more than 2 arguments expected, got 3)")
  end)
end)

describe("sipcodes.freeswitch.outcome", function()
  it("reads sip_term_status first", function()
    local code, info = fs.outcome(fake_session({
      sip_term_status = "486", proto_specific_hangup_cause = "sip:486",
      hangup_cause = "USER_BUSY",
    }))
    assert.are.equal(486, code)
    assert.are.equal("sip_term_status", info.source)
    assert.are.equal("Busy Here", info.phrase)
    assert.are.equal("client_failure", info.class_name)
    assert.are.equal("USER_BUSY", info.hangup_cause)
    assert.are.equal(17, info.cause)
    assert.are.equal(17, info.q850)
    assert.are.equal("sip:486", info.proto_specific_hangup_cause)
    assert.is_false(info.answered)
    if math_type then assert.are.equal("integer", math_type(code)) end
  end)

  it("reads the protocol cause of the leg, then of the bridged leg", function()
    local code, info = fs.outcome(fake_session({ proto_specific_hangup_cause = "sip:404" }))
    assert.are.equal(404, code)
    assert.are.equal("proto_specific_hangup_cause", info.source)
    code, info = fs.outcome(fake_session({ last_bridge_proto_specific_hangup_cause = "sip:608" }))
    assert.are.equal(608, code)
    assert.are.equal("last_bridge_proto_specific_hangup_cause", info.source)
    assert.are.equal("global_failure", info.class_name)
  end)

  it("falls back to the hangup cause as mod_sofia maps it", function()
    local code, info = fs.outcome(fake_session({ hangup_cause = "CALL_REJECTED" }))
    assert.are.equal(603, code)
    assert.are.equal("hangup_cause", info.source)
    code = fs.outcome(fake_session({ hangup_cause = "NO_ANSWER" }))
    assert.are.equal(480, code)
    -- A normal clearing: 200 when the call was answered.
    code = fs.outcome(fake_session({ hangup_cause = "NORMAL_CLEARING" }, true))
    assert.are.equal(200, code)
    code = fs.outcome(fake_session({ hangup_cause = "NORMAL_CLEARING" }, false))
    assert.are.equal(480, code)
  end)

  it("asks the session for the cause when the variable is not set", function()
    local s = fake_session({})
    function s.hangupCause() return "ORIGINATOR_CANCEL" end
    local code, info = fs.outcome(s)
    assert.are.equal(487, code)
    assert.are.equal(16, info.q850)
  end)

  it("takes only 100-699 as a SIP status, and reads on otherwise", function()
    local code, info = fs.outcome(fake_session({
      sip_term_status = "000", proto_specific_hangup_cause = "sip:999",
      last_bridge_proto_specific_hangup_cause = "sip:486",
    }))
    assert.are.equal(486, code)
    assert.are.equal("last_bridge_proto_specific_hangup_cause", info.source)
    assert.are.equal("000", info.sip_term_status)
    code, info = fs.outcome(fake_session({ sip_term_status = "999", hangup_cause = "USER_BUSY" }))
    assert.are.equal(486, code)
    assert.are.equal("hangup_cause", info.source)
    code, info = fs.outcome(fake_session({ sip_term_status = "099", proto_specific_hangup_cause = "sip:700" }))
    assert.is_nil(code)
    assert.is_nil(info.source)
    assert.are.equal(100, (fs.outcome(fake_session({ sip_term_status = "100" }))))
    assert.are.equal(699, (fs.outcome(fake_session({ proto_specific_hangup_cause = "SIP:699" }))))
    assert.are.equal(603, (fs.outcome(fake_session({ proto_specific_hangup_cause = "sips:603" }))))
  end)

  it("falls back to the bridged leg's cause, then to the originate disposition", function()
    -- A bridge that failed without a SIP status (no route, timeout, ...).
    local code, info = fs.outcome(fake_session({ last_bridge_hangup_cause = "NO_ROUTE_DESTINATION" }))
    assert.are.equal(404, code)
    assert.are.equal("last_bridge_hangup_cause", info.source)
    assert.are.equal("NO_ROUTE_DESTINATION", info.last_bridge_hangup_cause)
    code, info = fs.outcome(fake_session({ originate_disposition = "USER_BUSY" }))
    assert.are.equal(486, code)
    assert.are.equal("originate_disposition", info.source)
    code, info = fs.outcome(fake_session({ originate_disposition = "NO_ANSWER" }))
    assert.are.equal(480, code)
    assert.are.equal("originate_disposition", info.source)
    -- In order: this leg's cause, the bridged leg's, the disposition.
    code, info = fs.outcome(fake_session({
      hangup_cause = "CALL_REJECTED", last_bridge_hangup_cause = "USER_BUSY",
      originate_disposition = "NO_ANSWER",
    }))
    assert.are.equal(603, code)
    assert.are.equal("hangup_cause", info.source)
    code, info = fs.outcome(fake_session({
      hangup_cause = "NONE", last_bridge_hangup_cause = "USER_BUSY", originate_disposition = "NO_ANSWER",
    }))
    assert.are.equal(486, code)
    assert.are.equal("last_bridge_hangup_cause", info.source)
    -- A live channel reports NONE; "failure" and "call accepted" are no
    -- causes.
    local s = fake_session({ last_bridge_hangup_cause = "bogus", originate_disposition = "failure" })
    function s.hangupCause() return "NONE" end
    code, info = fs.outcome(s)
    assert.is_nil(code)
    assert.are.equal("failure", info.originate_disposition)
    assert.is_nil(fs.outcome(fake_session({ originate_disposition = "call accepted" })))
    -- A SIP status still comes first.
    code, info = fs.outcome(fake_session({
      last_bridge_proto_specific_hangup_cause = "sip:608", last_bridge_hangup_cause = "CALL_REJECTED",
    }))
    assert.are.equal(608, code)
    assert.are.equal("last_bridge_proto_specific_hangup_cause", info.source)
    -- A successful originate of an answered call is 200.
    code, info = fs.outcome(fake_session({ originate_disposition = "SUCCESS" }, true))
    assert.are.equal(200, code)
    assert.are.equal("originate_disposition", info.source)
  end)

  it("reads numbers as numbers, whatever the locale would write", function()
    -- A variable or hangupCause() that gives a number, float or not.
    local function session(vars, cause)
      return { getVariable = function(_, n) return vars[n] end,
               hangupCause = cause and function() return cause end or nil }
    end
    assert.are.equal(486, (fs.outcome(session({ hangup_cause = 17.0 }))))
    assert.are.equal(486, (fs.outcome(session({}, 17))))
    assert.are.equal(603, (fs.outcome(session({ originate_disposition = 21.0 }))))
    assert.are.equal(404, (fs.outcome(session({ sip_term_status = 404.0 }))))
    assert.is_nil((fs.outcome(session({ sip_term_status = 404.5 }))))
    assert.is_nil((fs.outcome(session({ proto_specific_hangup_cause = 486 }))))
  end)

  it("ignores what it cannot read", function()
    local code, info = fs.outcome(fake_session({
      sip_term_status = "", proto_specific_hangup_cause = "q850:17",
      last_bridge_proto_specific_hangup_cause = "sip:48", hangup_cause = "NONE",
    }))
    assert.is_nil(code)
    assert.is_nil(info.source)
    assert.are.equal("q850:17", info.proto_specific_hangup_cause)
    assert.is_nil(fs.outcome(fake_session({ hangup_cause = "WHATEVER" })))
  end)

  it("raises on misuse", function()
    assert.has_error(function() fs.outcome(42) end,
      "bad argument #1 to 'outcome' (session expected, got number)")
  end)
end)

-- Run a dialplan script (examples/freeswitch/bridge.lua unless source, the
-- text of another, is given) with a session and argv of our own, as
-- mod_lua gives them: globals of the script.
local function run_example(session, argv, source)
  local env = setmetatable({ session = session, argv = argv }, { __index = _G })
  if not source then
    local f = assert(io.open("examples/freeswitch/bridge.lua"))
    source = f:read("*a")
    f:close()
  end
  local setfenv = rawget(_G, "setfenv")
  local chunk
  if setfenv then
    chunk = assert((rawget(_G, "loadstring") or load)(source, "=bridge.lua"))
    setfenv(chunk, env)
  else
    chunk = assert(load(source, "=bridge.lua", "t", env))
  end
  chunk()
end

-- The session double against ../shared/reference/freeswitch-measured.md,
-- row by row, with the page's literal results.  The scripts here use the
-- session alone (no sipcodes), so that the double is checked on its own.
describe("the session double, as FreeSWITCH 1.10.12 was measured", function()
  -- "Lua bridge to the far end, then read the outcome and respond": the
  -- far end's code and phrase as the channel variables give them.
  local function bridge_then_respond(s)
    s:execute("bridge", "far")
    local code = (s:getVariable("last_bridge_proto_specific_hangup_cause") or ""):match("^sip:(%d+)$")
    s:execute("respond", code .. " " .. s:getVariable("sip_hangup_phrase"))
  end

  local function far_end(code, phrase, vars)
    local s = fake_session(vars or {})
    s.far = { far = { code = code, phrase = phrase } }
    return s
  end

  it("sends what the caller received, row by row", function()
    local rows = {
      { "Lua respond 608 Rejected", function(s) s:execute("respond", "608 Rejected") end,
        "SIP/2.0 608 Rejected" },
      { "Lua respond 425 Bad Alert Message", function(s) s:execute("respond", "425 Bad Alert Message") end,
        "SIP/2.0 425 Bad Alert Message" },
      { "Lua respond 608 (no phrase)", function(s) s:execute("respond", "608") end, "SIP/2.0 608 Because" },
      { "XML respond 608", function(s) s:execute("respond", "608") end, "SIP/2.0 608 Because" },
      { "XML respond 425", function(s) s:execute("respond", "425") end, "SIP/2.0 425 Because" },
      { "XML respond 486", function(s) s:execute("respond", "486") end, "SIP/2.0 486 Busy Here" },
      { "Lua hang up with USER_BUSY", function(s) s:hangup("USER_BUSY") end, "SIP/2.0 486 Busy Here" },
      { "Lua hang up with CALL_REJECTED", function(s) s:hangup("CALL_REJECTED") end, "SIP/2.0 603 Decline" },
    }
    for _, row in ipairs(rows) do
      local s = fake_session()
      row[2](s)
      assert.are.equal(row[3], s.received, row[1])
    end
    local bridged = {
      { "bridge, read, respond", 486, "Busy Here", {}, bridge_then_respond, "SIP/2.0 486 Busy Here" },
      { "the same", 608, "Rejected", {}, bridge_then_respond, "SIP/2.0 608 " },
      { "the same, with continue_on_fail=true", 608, "Rejected", { continue_on_fail = "true" },
        bridge_then_respond, "SIP/2.0 608 Rejected" },
      { "the same, with continue_on_fail=true", 425, "Bad Alert Message", { continue_on_fail = "true" },
        bridge_then_respond, "SIP/2.0 425 Bad Alert Message" },
      { "the same, with sip_ignore_remote_cause=true", 608, "Rejected", { sip_ignore_remote_cause = "true" },
        bridge_then_respond, "SIP/2.0 603 Decline" },
      { "continue_on_fail; bridge; USER_BUSY with sip_ignore_remote_cause", 608, "Rejected",
        { continue_on_fail = "true" }, function(s)
          s:execute("bridge", "far")
          s:setVariable("sip_ignore_remote_cause", "true")
          s:hangup("USER_BUSY") -- the cause mod_sofia's table gives 486
        end, "SIP/2.0 486 Busy Here" },
      { "continue_on_fail; bridge; USER_BUSY", 608, "Rejected", { continue_on_fail = "true" }, function(s)
          s:execute("bridge", "far")
          s:hangup("USER_BUSY")
        end, "SIP/2.0 608 " },
    }
    for _, row in ipairs(bridged) do
      local s = far_end(row[2], row[3], row[4])
      row[5](s)
      assert.are.equal(row[6], s.received, row[1] .. ", far end " .. row[2])
    end
    assert.are.equal(15, #rows + #bridged) -- every row of the page's table
  end)

  it("is hung up after a failed bridge unless continue_on_fail is set", function()
    local s = far_end(608, "Rejected")
    bridge_then_respond(s)
    assert.are.same({ "execute bridge far", "refused 608", "ignored respond 608 Rejected" }, s.calls)
    assert.is_false(s:ready())
    s = far_end(608, "Rejected", { continue_on_fail = "true" })
    s:execute("bridge", "far")
    assert.is_true(s:ready())
    -- a final response goes out once: a later hangup sends nothing more
    s:execute("respond", "608 Rejected")
    s:hangup("USER_BUSY")
    assert.are.equal("SIP/2.0 608 Rejected", s.received)
  end)

  it("leaves the variables the page lists after a bridge to a far end answering 486", function()
    for _, cof in ipairs({ false, true }) do
      local s = far_end(486, "Busy Here", { continue_on_fail = cof and "true" or nil })
      s:execute("bridge", "far")
      assert.are.equal(cof, s:ready())
      assert.is_false(s:answered())
      local v = s.vars
      assert.is_nil(v.sip_term_status)
      assert.is_nil(v.proto_specific_hangup_cause)
      assert.are.equal("sip:486", v.last_bridge_proto_specific_hangup_cause)
      assert.is_nil(v.hangup_cause)
      assert.are.equal("NONE", s:hangupCause())
      assert.are.equal("USER_BUSY", v.last_bridge_hangup_cause)
      assert.are.equal("USER_BUSY", v.originate_disposition)
      assert.are.equal("USER_BUSY", v.originate_failed_cause)
      assert.are.equal("Busy Here", v.sip_hangup_phrase)
    end
    local s = far_end(608, "Rejected")
    s:execute("bridge", "far")
    assert.are.equal("sip:608", s.vars.last_bridge_proto_specific_hangup_cause)
    assert.are.equal("CALL_REJECTED", s.vars.last_bridge_hangup_cause)
    assert.are.equal("Rejected", s.vars.sip_hangup_phrase)
  end)

  it("has sofia-sip's phrases, and none for the codes sofia-sip lacks", function()
    -- iana-notes.md: sofia-sip lacks these registered codes
    for _, code in ipairs({ 199, 204, 424, 425, 429, 430, 433, 440, 469, 470, 555, 608 }) do
      assert.is_nil(doubles.SOFIA_PHRASES[code], code)
      if code >= 400 then -- a final refusal: respond fills in "Because"
        local s = fake_session()
        s:execute("respond", tostring(code))
        assert.are.equal("SIP/2.0 " .. code .. " Because", s.received)
      end
    end
    -- and where it differs from IANA (iana-notes.md)
    assert.are.equal("Stale Date", doubles.SOFIA_PHRASES[439])
    assert.are.equal("Internal Server Error", doubles.SOFIA_PHRASES[500])
    assert.are.equal("Gateway Time-out", doubles.SOFIA_PHRASES[504])
    assert.are.equal("Precondition Failed", doubles.SOFIA_PHRASES[412])
    local n, iana = 0, 0
    for code in pairs(doubles.SOFIA_PHRASES) do
      n = n + 1
      if iana_phrase[code] then iana = iana + 1 end
    end
    assert.are.equal(67, n)
    assert.are.equal(75 - 12, iana) -- every registered code but the twelve
  end)

  it("has an older sofia-sip's phrases too: none for 428 and 436-439", function()
    -- the stored sip_status.c (commit ad0adea) has no case for these five;
    -- sofia-sip's pull request #65 added them
    local old = doubles.SOFIA_PHRASES_BEFORE_65
    for _, code in ipairs({ 428, 436, 437, 438, 439 }) do
      assert.is_nil(old[code], code)
      local s = fake_session({}, false, old)
      s:execute("respond", tostring(code))
      assert.are.equal("SIP/2.0 " .. code .. " Because", s.received)
    end
    assert.are.equal("Use Identity Header", doubles.SOFIA_PHRASES[428])
    assert.are.equal("Bad Identity Info", doubles.SOFIA_PHRASES[436])
    local n = 0
    for code, phrase in pairs(old) do
      n = n + 1
      assert.are.equal(doubles.SOFIA_PHRASES[code], phrase, code)
    end
    assert.are.equal(62, n)
  end)
end)

describe("sipcodes.freeswitch.outcome and tag: the call's outcome", function()
  -- After a bridge the double leaves what the real FreeSWITCH left
  -- (../shared/reference/freeswitch-measured.md): sip:486 and USER_BUSY for
  -- a far end answering 486, and so on.
  local function bridged(far)
    local s = fake_session({})
    s.far = { gw = far }
    s:execute("bridge", "gw")
    return s
  end

  local function set_calls(s)
    local out = {}
    for _, c in ipairs(s.calls) do
      if c:find("^set ") then out[#out + 1] = c end
    end
    return out
  end

  it("adds category and party to outcome's info", function()
    local _, info = fs.outcome(bridged({ code = 486, phrase = "Busy Here" }))
    assert.are.same({ "busy", "user" }, { info.category, info.party })
    _, info = fs.outcome(bridged({ code = 404, phrase = "Not Found" }))
    assert.are.same({ "not_found" }, { info.category, info.party })
    _, info = fs.outcome(bridged({ code = 503, phrase = "Service Unavailable" }))
    assert.are.same({ "network_failure", "network" }, { info.category, info.party })
  end)

  it("reads the outcome from the Q.850 cause when the code came from one", function()
    -- NO_ANSWER: mod_sofia's code for it is 480, but nobody answered
    local code, info = fs.outcome(bridged({ no_answer = true }))
    assert.are.same({ 480, "no_answer", "user" }, { code, info.category, info.party })
    code, info = fs.outcome(bridged({}))  -- no response: RECOVERY_ON_TIMER_EXPIRE, sent as 504
    assert.are.same({ 504, "network_failure", "network" }, { code, info.category, info.party })
    code, info = fs.outcome(fake_session({ hangup_cause = "NORMAL_CLEARING" }, true))
    assert.are.same({ 200, "answered", "user" }, { code, info.category, info.party })
    code, info = fs.outcome(fake_session({ hangup_cause = "NORMAL_CLEARING" }, false))
    assert.are.same({ 480, "canceled", "user" }, { code, info.category, info.party })
    -- FreeSWITCH's own causes above 127: from the code mod_sofia gives them
    code, info = fs.outcome(bridged({ cancel = true }))
    assert.are.same({ 487, "canceled", "user" }, { code, info.category, info.party })
    code, info = fs.outcome(fake_session({ hangup_cause = "DECLINE" }))
    assert.are.same({ 603, "rejected", "user" }, { code, info.category, info.party })
    code, info = fs.outcome(fake_session({ hangup_cause = "BUSY_EVERYWHERE" }))
    assert.are.same({ 600, "busy", "user" }, { code, info.category, info.party })
    -- 127, the last Q.850 cause: from the cause (mod_sofia sends it as 480)
    code, info = fs.outcome(fake_session({ hangup_cause = "INTERWORKING" }))
    assert.are.same({ 480, "failed", "network" }, { code, info.category, info.party })
  end)

  it("counts the answer of this leg only for this leg's own cause", function()
    -- an IVR answered the caller, then a bridge got no answer: no answer
    local s = fake_session({ last_bridge_hangup_cause = "NO_ANSWER" }, true)
    local code, info = fs.outcome(s)
    assert.are.same({ 480, "no_answer", "user" }, { code, info.category, info.party })
    -- an answered leg ended by a cause of its own: answered, whatever the cause
    code, info = fs.outcome(fake_session({ hangup_cause = "NORMAL_TEMPORARY_FAILURE" }, true))
    assert.are.same({ 503, "answered", "user" }, { code, info.category, info.party })
    info = select(2, fs.outcome(fake_session({ hangup_cause = "MEDIA_TIMEOUT" }, true)))
    assert.are.same({ "answered", "user" }, { info.category, info.party })
    -- and unanswered, by the cause
    code, info = fs.outcome(fake_session({ hangup_cause = "NORMAL_TEMPORARY_FAILURE" }, false))
    assert.are.same({ 503, "network_failure", "network" }, { code, info.category, info.party })
    -- a bridge that succeeded: 200, answered
    code, info = fs.outcome(fake_session({ last_bridge_hangup_cause = "NORMAL_CLEARING" }, true))
    assert.are.same({ 200, "answered", "user" }, { code, info.category, info.party })
  end)

  it("has no outcome when the session tells nothing", function()
    local code, info = fs.outcome(fake_session({}))
    assert.is_nil(code)
    assert.is_nil(info.category)
    assert.is_nil(info.party)
  end)

  it("tags the channel for CDR templates", function()
    local s = bridged({ code = 486, phrase = "Busy Here" })
    assert.are.same({ "busy", "user", 486 }, { fs.tag(s) })
    assert.are.same({
      "set sipcodes_outcome=busy", "set sipcodes_party=user",
      "set sipcodes_code=486", "set sipcodes_phrase=Busy Here",
    }, set_calls(s))
    assert.are.equal("486", s.vars.sipcodes_code)
    if math_type then assert.are.equal("integer", math_type((select(3, fs.tag(s))))) end
  end)

  it("tags a cancel, an answered call and a code whose party is none", function()
    local s = bridged({ cancel = true })
    assert.are.same({ "canceled", "user", 487 }, { fs.tag(s) })
    assert.are.same({ "set sipcodes_outcome=canceled", "set sipcodes_party=user",
                      "set sipcodes_code=487", "set sipcodes_phrase=Request Terminated" }, set_calls(s))
    s = fake_session({ hangup_cause = "NORMAL_CLEARING" }, true)
    assert.are.same({ "answered", "user", 200 }, { fs.tag(s) })
    assert.are.equal("OK", s.vars.sipcodes_phrase)
    -- the party variable is unset where no party fits
    s = bridged({ code = 404, phrase = "Not Found" })
    local n = select("#", fs.tag(s))
    assert.are.equal(3, n)
    assert.are.same({ "not_found", nil, 404 }, { fs.tag(s) })
    assert.is_nil(s.vars.sipcodes_party)
    assert.are.same({ "set sipcodes_outcome=not_found", "set sipcodes_party=nil",
                      "set sipcodes_code=404", "set sipcodes_phrase=Not Found" },
                    { set_calls(s)[1], set_calls(s)[2], set_calls(s)[3], set_calls(s)[4] })
  end)

  it("leaves nothing of an earlier tag", function()
    local s = bridged({ code = 486, phrase = "Busy Here" })
    fs.tag(s)
    assert.are.equal("user", s.vars.sipcodes_party)
    s.vars.last_bridge_proto_specific_hangup_cause = "sip:404"
    assert.are.same({ "not_found", nil, 404 }, { fs.tag(s) })
    assert.is_nil(s.vars.sipcodes_party)
    assert.are.equal("not_found", s.vars.sipcodes_outcome)
    assert.are.equal("404", s.vars.sipcodes_code)
    assert.are.equal("Not Found", s.vars.sipcodes_phrase)
  end)

  it("tags a code it is given instead of what the session tells", function()
    -- what fs.hunt answered with: the best response of the attempts
    local s = bridged({ code = 503, phrase = "Service Unavailable" })
    assert.are.same({ "busy", "user", 486 }, { fs.tag(s, 486) })
    assert.are.same({ "set sipcodes_outcome=busy", "set sipcodes_party=user",
                      "set sipcodes_code=486", "set sipcodes_phrase=Busy Here" }, set_calls(s))
    s = fake_session({})
    assert.are.same({ "rejected", "network", 608 }, { fs.tag(s, "608") })
    assert.are.equal("Rejected", s.vars.sipcodes_phrase)
    assert.are.same({ "failed", "network", 499 }, { fs.tag(fake_session({}), 499) })
    assert.are.equal("Request Failure", (function()
      local t = fake_session({})
      fs.tag(t, 499)
      return t.vars.sipcodes_phrase
    end)())
    s = fake_session({}, true)
    assert.are.same({ "answered", "user", 200 }, { fs.tag(s, 200) })
  end)

  it("sets nothing when the session tells nothing", function()
    local s = fake_session({})
    assert.are.same({}, { fs.tag(s) })
    assert.are.equal(1, select("#", fs.tag(s)))
    assert.are.same({}, set_calls(s))
  end)

  it("refuses what is no session", function()
    local function err(...)
      local ok, e = pcall(...)
      assert.is_false(ok)
      return e
    end
    assert.are.equal("bad argument #1 to 'tag' (session expected, got no value)", err(fs.tag))
    assert.are.equal("bad argument #1 to 'tag' (session expected, got table without getVariable())",
      err(fs.tag, {}))
    assert.are.equal("bad argument #1 to 'tag' (session expected, got table without setVariable())",
      err(fs.tag, { getVariable = function() end }))
    assert.are.equal("bad argument #2 to 'tag' (final code expected (200 to 699))",
      err(fs.tag, fake_session({}), 180))
    assert.are.equal("bad argument #2 to 'tag' (final code expected (200 to 699))",
      err(fs.tag, fake_session({}), 700))
    assert.are.equal("bad argument #2 to 'tag' (integer expected, got string)",
      err(fs.tag, fake_session({}), "busy"))
    assert.are.equal("bad argument #2 to 'tag' (number has no integer representation)",
      err(fs.tag, fake_session({}), 486.5))
    assert.are.equal("bad argument #3 to 'tag' (no more than 2 arguments expected, got 3)",
      err(fs.tag, fake_session({}), nil, nil))
  end)
end)

describe("examples/freeswitch/bridge.lua", function()
  -- The session double bridges as the measured FreeSWITCH does: far ends
  -- in s.far, variables on the caller's leg, hung up after a failed bridge
  -- unless continue_on_fail is set.
  -- The calls but the "set <var>=" with which hunt clears what the last
  -- bridge left.
  local function without_clearing(calls)
    local t = {}
    for _, c in ipairs(calls) do
      if not c:find("^set [%w_]+=$") then t[#t + 1] = c end
    end
    return t
  end

  local function far_session(far, answered)
    local s = fake_session(nil, answered)
    s.far = far
    return s
  end

  -- The channel variables the dialplan's set actions give before its lua
  -- action, in text (the example's header, docs/hosts.md).
  local function dialplan_vars(text)
    local vars, seen_lua = {}, false
    for line in text:gmatch("[^\n]+") do
      if line:find('application="lua"', 1, true) then
        seen_lua = true
        break
      end
      local k, v = line:match('<action application="set" data="([%w_]+)=([^"]*)"/>')
      if k then vars[k] = v end
    end
    assert.is_true(seen_lua, "no lua action in the dialplan")
    return vars
  end

  local read = require("support").read

  -- The example as it was before fs.hunt (git show c976e88^:examples/freeswitch/bridge.lua,
  -- comments cut): bridge, then respond with the outcome.  Its dialplan had
  -- no continue_on_fail.
  local OLD_EXAMPLE = [[
local fs = require "sipcodes.freeswitch"
if not session:ready() then return end
local target = argv[1]
if not target or target == "" then fs.respond(session, 484) return end
session:execute("bridge", target)
if session:answered() then return end
if not session:ready() then return end
local code = fs.outcome(session)
if not code or code < 300 then code = 480 end
fs.respond(session, code)
]]

  it("shows the dialplan with continue_on_fail=true before the script", function()
    local header = read("examples/freeswitch/bridge.lua"):match("^(.-)\nlocal ")
    assert.are.same({ continue_on_fail = "true" }, dialplan_vars(header))
    local docs = read("docs/hosts.md")
    local block = docs:match("examples/freeswitch/bridge.lua` is a dialplan script.-```xml\n(.-)```")
    assert.are.same({ continue_on_fail = "true" }, dialplan_vars(block))
  end)

  it("shows the bug the old example had: without continue_on_fail the caller gets '608 '", function()
    local far = { ["sofia/gateway/pstn/1"] = { code = 608, phrase = "Rejected" } }
    local s = far_session(far)
    run_example(s, { [0] = "bridge.lua", "sofia/gateway/pstn/1" }, OLD_EXAMPLE)
    assert.are.equal("SIP/2.0 608 ", s.received)
    assert.are.same({ "execute bridge sofia/gateway/pstn/1", "refused 608" }, s.calls)
    -- with the dialplan shown, its respond runs
    local header = read("examples/freeswitch/bridge.lua"):match("^(.-)\nlocal ")
    s = fake_session(dialplan_vars(header))
    s.far = far
    run_example(s, { [0] = "bridge.lua", "sofia/gateway/pstn/1" }, OLD_EXAMPLE)
    assert.are.equal("SIP/2.0 608 Rejected", s.received)
    assert.are.same({ "execute bridge sofia/gateway/pstn/1", "execute respond 608 Rejected" }, s.calls)
  end)

  it("gives the caller '608 Rejected' with the dialplan shown, and with the old one", function()
    local header = read("examples/freeswitch/bridge.lua"):match("^(.-)\nlocal ")
    for _, vars in ipairs({ dialplan_vars(header), {} }) do
      local dialplan = vars.continue_on_fail
      local s = fake_session(vars)
      s.far = { ["sofia/gateway/pstn/1"] = { code = 608, phrase = "Rejected" } }
      run_example(s, { [0] = "bridge.lua", "sofia/gateway/pstn/1" })
      assert.are.equal("SIP/2.0 608 Rejected", s.received)
      assert.is_false(s:ready())
      assert.are.equal("rejected", s.vars.sipcodes_outcome)
      -- the dialplan's continue_on_fail as it was (unset: "")
      assert.are.equal(dialplan or "", s.vars.continue_on_fail)
    end
  end)

  it("refuses the caller with the far end's code and a real phrase, and tags the channel", function()
    local s = far_session({ ["sofia/gateway/pstn/4930123"] = { code = 608 } })
    run_example(s, { [0] = "bridge.lua", "sofia/gateway/pstn/4930123" })
    assert.are.same({
      "set continue_on_fail=true",
      "execute bridge sofia/gateway/pstn/4930123",
      "execute respond 608 Rejected",
      "set sipcodes_outcome=rejected",
      "set sipcodes_party=network",
      "set sipcodes_code=608",
      "set sipcodes_phrase=Rejected",
    }, without_clearing(s.calls))
  end)

  it("tags what the caller got: the best response when every gateway failed", function()
    local s = far_session({ a = { code = 503, phrase = "Service Unavailable" },
                            b = { code = 404, phrase = "Not Found" } })
    run_example(s, { [0] = "bridge.lua", "a", "b" })
    assert.are.equal("execute respond 404 Not Found", s.calls[#s.calls - 4])
    assert.are.same({ "not_found", nil, "404", "Not Found" },
      { s.vars.sipcodes_outcome, s.vars.sipcodes_party, s.vars.sipcodes_code, s.vars.sipcodes_phrase })
  end)

  it("tries the next gateway after a server failure", function()
    local s = far_session({ a = { code = 503, phrase = "Service Unavailable" }, b = { answer = true } })
    run_example(s, { [0] = "bridge.lua", "a", "b" })
    assert.are.same({ "a", "b" }, s.bridged)
    for _, c in ipairs(s.calls) do assert.is_falsy(c:find("^execute respond")) end
  end)

  it("stops at a busy gateway", function()
    local s = far_session({ a = { code = 486, phrase = "Busy Here" }, b = { answer = true } })
    run_example(s, { [0] = "bridge.lua", "a", "b" })
    assert.are.same({ "a" }, s.bridged)
    assert.are.equal("execute respond 486 Busy Here", s.calls[#s.calls - 4])
    assert.are.equal("busy", s.vars.sipcodes_outcome)
  end)

  it("responds to nobody when the caller has gone", function()
    local s = far_session({})
    s.live = false
    run_example(s, { [0] = "bridge.lua", "a" })
    assert.are.same({}, s.calls)
  end)

  it("sends nothing after an answered call, and tags it answered", function()
    local s = far_session({ a = { answer = true } })
    run_example(s, { [0] = "bridge.lua", "a" })
    assert.are.same({ "a" }, s.bridged)
    for _, c in ipairs(s.calls) do assert.is_falsy(c:find("^execute respond")) end
    assert.are.same({ "answered", "user", "200", "OK" },
      { s.vars.sipcodes_outcome, s.vars.sipcodes_party, s.vars.sipcodes_code, s.vars.sipcodes_phrase })
  end)

  it("answers 484 without a target", function()
    local s = far_session({})
    run_example(s, { [0] = "bridge.lua" })
    assert.are.same({ "execute respond 484 Address Incomplete" }, s.calls)
  end)

  -- FreeSWITCH's Debian 12 packages embed Lua 5.3: run the example there,
  -- whichever interpreter runs this spec, against the 5.3 build.
  it("runs under lua5.3", function()
    local cpath = os.getenv("SIPCODES_LUA53_CPATH") or "./build/5.3/?.so"
    local so = io.open((cpath:gsub("%?", "sipcodes/core")))
    local lua53 = io.popen("command -v lua5.3 2>/dev/null"):read("*l")
    if not so or not lua53 then
      if so then so:close() end
      pending("lua5.3 or the 5.3 build (" .. cpath .. ") is missing")
      return
    end
    so:close()
    local driver = os.tmpname()
    local f = assert(io.open(driver, "w"))
    f:write([[
package.path = "./lua/?.lua;./spec/?.lua;" .. package.path
package.cpath = ]] .. string.format("%q", cpath) .. [[ .. ";" .. package.cpath
session = require("doubles").session()
session.far = { ["sofia/gateway/pstn/1"] = { code = 425 } }
argv = { [0] = "bridge.lua", "sofia/gateway/pstn/1" }
dofile("examples/freeswitch/bridge.lua")
print(_VERSION)
for _, c in ipairs(session.calls) do
  if c:find("^execute") then print(c) end
end
]])
    f:close()
    local p = io.popen("lua5.3 " .. driver .. " 2>&1")
    local out = p:read("*a")
    p:close()
    os.remove(driver)
    assert.are.equal(table.concat({
      "Lua 5.3",
      "execute bridge sofia/gateway/pstn/1",
      "execute respond 425 Bad Alert Message",
      "",
    }, "\n"), out)
  end)
end)

describe("sipcodes.freeswitch.hunt", function()
  local policy = require "sipcodes.policy"
  local carrier = policy.new("carrier")

  local function session(far)
    local s = doubles.session()
    s.far = far
    return s
  end

  it("moves past a 503 to the next target, which answers", function()
    local s = session({ a = { code = 503, phrase = "Service Unavailable" }, b = { answer = true } })
    local code, action, info = fs.hunt(s, carrier, { "a", "b" })
    assert.are.equal(200, code)
    assert.are.equal("done", action)
    assert.are.same({ "a", "b" }, s.bridged)
    assert.are.equal(503, info.attempts[1].code)
    assert.are.equal("next", info.attempts[1].action)
    assert.is_nil(info.sent)
    -- bridged with continue_on_fail=true, the dialplan's value put back
    assert.are.equal("set continue_on_fail=true", s.calls[1])
    assert.are.equal("set continue_on_fail=", s.calls[#s.calls])
    s = session({ a = { code = 486 } })
    s.vars.continue_on_fail = "USER_BUSY"
    fs.hunt(s, carrier, { "a" })
    assert.are.equal("USER_BUSY", s.vars.continue_on_fail)
  end)

  it("reads each attempt's own outcome, not what the last one left", function()
    -- a answers 503, b sends nothing: b's attempt must not read a's sip:503
    local s = session({ a = { code = 503, phrase = "Service Unavailable" }, b = { no_response = true } })
    local _, _, info = fs.hunt(s, carrier, { "a", "b" })
    assert.are.equal(408, info.attempts[2].code)
    assert.is_true(info.attempts[2].local_timeout)
    assert.are.equal("next_down", info.attempts[2].action)
  end)

  it("takes the phrase of the attempt whose code it sends", function()
    -- 486 (a) beats 503 (b) in the best response: a's phrase goes out
    local downs = {}
    local lcr = policy.new("lcr", { [486] = "next" })
    local s = session({ a = { code = 486, phrase = "Gone Fishing" }, b = { code = 503, phrase = "Overloaded" } })
    local code, _, info = fs.hunt(s, lcr, { "a", "b" }, { mark_down = function(t) downs[#downs + 1] = t end })
    assert.are.equal(486, code)
    assert.are.equal("486 Gone Fishing", info.sent)
    assert.are.same({}, downs)
  end)

  it("ends without a response when the caller cancels during a bridge", function()
    local s = session({ a = { cancel = true }, b = { answer = true } })
    local code, action, info = fs.hunt(s, carrier, { "a", "b" })
    assert.are.same({ 487, "canceled" }, { code, action })
    assert.is_true(info.canceled)
    assert.are.same({ "a" }, s.bridged)
    for _, c in ipairs(s.calls) do assert.is_falsy(c:find("^execute respond")) end
  end)

  it("keeps hunting for a caller answered before the hunt", function()
    -- an IVR answered the call: answered() is true from the start, so only
    -- the originate's disposition tells whether a bridge was answered
    local s = session({ a = { code = 503 }, b = { answer = true } })
    s.up = true
    local code, action = fs.hunt(s, carrier, { "a", "b" })
    assert.are.same({ 200, "done" }, { code, action })
    assert.are.same({ "a", "b" }, s.bridged)
  end)

  it("has a double that goes on after NO_ANSWER without continue_on_fail, as measured", function()
    local s = session({ a = { no_answer = true }, b = { code = 486 } })
    s:execute("bridge", "a")
    assert.is_true(s:ready())
    s:execute("bridge", "b")
    assert.is_false(s:ready())
    -- and mod_sofia's causes for the codes, from the reference table
    s = session({ c = { code = 407 }, d = { code = 606 } })
    s.vars.continue_on_fail = "true"
    s:execute("bridge", "c")
    assert.are.equal("CALL_REJECTED", s.vars.last_bridge_hangup_cause)
    s:execute("bridge", "d")
    assert.are.equal("INCOMPATIBLE_DESTINATION", s.vars.last_bridge_hangup_cause)
  end)

  it("stops at a busy target and answers with its code and phrase", function()
    local s = session({ a = { code = 486, phrase = "Busy Here" }, b = { answer = true } })
    local code, action, info = fs.hunt(s, carrier, { "a", "b" })
    assert.are.same({ 486, "relay" }, { code, action })
    assert.are.same({ "a" }, s.bridged)
    assert.are.equal("486 Busy Here", info.sent)
    assert.are.equal("execute respond 486 Busy Here", s.calls[#s.calls])
  end)

  it("answers with a real phrase where mod_sofia's hangup path sends none", function()
    -- measured: a bridge refused with 608 reaches the caller as "608 " unless
    -- the script responds itself after continue_on_fail
    local s = session({ a = { code = 608, phrase = "Rejected" } })
    assert.are.equal("608 Rejected", select(3, fs.hunt(s, carrier, { "a" })).sent)
    s = session({ a = { code = 608 } })
    assert.are.equal("608 Rejected", select(3, fs.hunt(s, carrier, { "a" })).sent)
    s = session({ a = { code = 425, phrase = "bad\1phrase" } })
    assert.are.equal("425 Bad Alert Message", select(3, fs.hunt(s, carrier, { "a" })).sent)
    for _, c in ipairs(s.calls) do assert.is_falsy(c:find("Because", 1, true)) end
  end)

  it("marks a silent target down and sends the best response when all failed", function()
    local downs = {}
    local s = session({ a = { no_response = true }, b = { code = 503, phrase = "Service Unavailable" },
                        c = { code = 404, phrase = "Not Found" } })
    local lcr = policy.new("lcr")
    local code, action, info = fs.hunt(s, lcr, { "a", "b", "c" },
      { mark_down = function(target, seconds) downs[#downs + 1] = target .. "=" .. seconds end })
    assert.are.same({ "a=60" }, downs)
    assert.are.same({ "a", "b", "c" }, s.bridged)
    -- 408 (a), 503 (b), 404 (c): the lowest class, 4xx; RFC 3261 16.7
    assert.are.same({ 404, "relay" }, { code, action })
    assert.is_true(info.exhausted)
    assert.are.equal("404 Not Found", info.sent)
    assert.are.equal("next_down", info.attempts[1].action)
    assert.is_true(info.attempts[1].local_timeout)
  end)

  it("answers what mod_sofia sends where the far end's headers would be needed", function()
    -- a challenge is FreeSWITCH's to answer, a 302 says where in its
    -- Contact: neither can reach the caller's leg with its header
    for far, sent in pairs({ [407] = "603 Decline", [401] = "603 Decline",
                             [302] = "480 Temporarily Unavailable", [420] = "480 Temporarily Unavailable" }) do
      local s = session({ a = { code = far } })
      local code, action, info = fs.hunt(s, carrier, { "a" })
      assert.are.equal(sent, info.sent, "far end " .. far)
      assert.are.equal(tonumber(sent:sub(1, 3)), code)
      assert.are.equal("relay", action)
      assert.are.equal(far, info.attempts[1].code)
    end
  end)

  it("does not put the far end's phrase on the code it sends instead", function()
    -- the far end's 407 with its own phrase: mod_sofia maps 407 to
    -- CALL_REJECTED, which it sends as 603, so the caller gets "603 Decline",
    -- never "603 Proxy Authentication Required"
    for far, sent in pairs({ [407] = { "Proxy Authentication Required", "603 Decline" },
                             [302] = { "Moved Temporarily", "480 Temporarily Unavailable" } }) do
      local s = session({ a = { code = far, phrase = sent[1] } })
      local code, _, info = fs.hunt(s, carrier, { "a" })
      assert.are.equal(sent[1], info.attempts[1].phrase, "far end " .. far)
      assert.are.equal(sent[2], info.sent, "far end " .. far)
      assert.are.equal("execute respond " .. sent[2], s.calls[#s.calls], "far end " .. far)
      assert.are.equal(tonumber(sent[2]:sub(1, 3)), code)
    end
  end)

  it("never sends an empty phrase, even when mark_down empties the attempt's", function()
    -- mark_down is given the attempt's table: a phrase it leaves there is
    -- checked like the far end's, and "" is not one for the wire
    local s = session({ a = { no_response = true } })
    local code, _, info = fs.hunt(s, carrier, { "a" }, { mark_down = function(_, _, ctx) ctx.phrase = "" end })
    assert.are.equal(408, code)
    assert.are.equal("", info.attempts[1].phrase)
    assert.are.equal("408 Request Timeout", info.sent)
    assert.are.equal("SIP/2.0 408 Request Timeout", s.received)
  end)

  it("sends 500 Server Internal Error when there is no target", function()
    local s = session({})
    local code, action, info = fs.hunt(s, carrier, {})
    assert.are.same({ 500, "relay" }, { code, action })
    assert.is_true(info.exhausted)
    assert.are.equal("500 Server Internal Error", info.sent)
    assert.are.same({}, s.bridged)
    assert.are.equal("SIP/2.0 500 Server Internal Error", s.received)
  end)

  it("sends 500 when every target answered 503 (RFC 3261 16.7)", function()
    local s = session({ a = { code = 503, phrase = "Service Unavailable" }, b = { code = 503 } })
    local code, action, info = fs.hunt(s, carrier, { "a", "b" })
    assert.are.same({ 500, "relay" }, { code, action })
    assert.are.equal("500 Server Internal Error", info.sent)
  end)

  it("does not try elsewhere after ringing without an answer", function()
    local s = session({ a = { no_answer = true }, b = { answer = true } })
    local code, action, info = fs.hunt(s, carrier, { "a", "b" })
    assert.are.same({ 480, "relay" }, { code, action })
    assert.are.same({ "a" }, s.bridged)
    assert.are.equal("480 Temporarily Unavailable", info.sent)
  end)

  it("ends without a response when the caller is gone", function()
    local s = session({ a = { code = 503 } })
    s.live = false
    local code, action, info = fs.hunt(s, carrier, { "a" })
    assert.are.same({ 487, "canceled" }, { code, action })
    assert.is_true(info.canceled)
    assert.are.same({}, s.bridged)
  end)

  it("shows why continue_on_fail is needed: the double hangs up without it", function()
    -- the double as measured: a failed bridge without continue_on_fail ends
    -- the caller's leg, and a respond afterwards does nothing
    local s = session({ a = { code = 608, phrase = "Rejected" } })
    s:execute("bridge", "a")
    assert.is_false(s:ready())
    s:execute("respond", "608 Rejected")
    assert.are.same({ "execute bridge a", "refused 608", "ignored respond 608 Rejected" }, s.calls)
  end)

  it("raises on misuse", function()
    local s = session({})
    assert.has_error(function() fs.hunt(s, {}, { "a" }) end,
      "bad argument #2 to 'hunt' (sipcodes.policy expected, got table)")
    assert.has_error(function() fs.hunt(s, carrier, { "a", 5 }) end,
      "bad argument #3 to 'hunt' ([2]: string expected, got number)")
    assert.has_error(function() fs.hunt(s, carrier, "a") end,
      "bad argument #3 to 'hunt' (table expected, got string)")
    assert.has_error(function() fs.hunt(s, carrier, { "a" }, { retries = 2 }) end,
      "bad argument #4 to 'hunt' (unknown option 'retries')")
    assert.has_error(function() fs.hunt(s, carrier, { "a" }, { mark_down = 1 }) end,
      "bad argument #4 to 'hunt' (option 'mark_down' must be a function)")
  end)
end)
