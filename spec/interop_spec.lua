-- Q.850 and RFC 3398 through require "sipcodes": every row of the
-- reference table, the footnotes, the defaults for what the tables do not
-- list, the Q.850 names, and the argument errors.
local before_globals = {}
for k in pairs(_G) do before_globals[k] = true end

local sip = require "sipcodes"
local math_type = rawget(math, "type") -- 5.3+

-- Copies of the reference tables (RFC 3398's two tables) live in
-- spec/fixtures/, as the IANA registry does; a missing copy is an error,
-- never a skipped test.
local read_tsv = require("fixtures").read_tsv

local function check_integer(v)
  if math_type then
    assert.are.equal("integer", math_type(v))
  end
end

describe("sipcodes interop", function()
  it("creates no global", function()
    for k in pairs(_G) do
      assert.is_true(before_globals[k], "new global " .. tostring(k))
    end
  end)
end)

describe("sipcodes.to_q850 against RFC 3398 section 8.2.6.1", function()
  local rows = read_tsv("q850-mapping.tsv")

  it("maps every row of the table", function()
    local n = 0
    for _, row in ipairs(rows) do
      if row.direction == "sip_to_isup" then
        local code = tonumber(row.sip_code)
        local cause, note = sip.to_q850(code)
        if row.isup_cause ~= "" then
          assert.are.equal(tonumber(row.isup_cause), cause, "row " .. code)
          assert.is_nil(note)
          check_integer(cause)
        elseif row.note:find("no mapping", 1, true) then
          assert.is_nil(cause, "row " .. code)
          assert.matches("487 has no cause mapping", note)
        else
          -- "by Warning header": 31 unless the Warning header says more.
          assert.matches("by Warning", row.note)
          assert.are.equal(31, cause, "row " .. code)
          assert.matches("Warning header", note)
        end
        n = n + 1
      end
    end
    assert.are.equal(37, n)
  end)

  it("gives 31 for every failure code the table does not list", function()
    local listed = {}
    for _, row in ipairs(rows) do
      if row.direction == "sip_to_isup" then listed[tonumber(row.sip_code)] = true end
    end
    for code = 300, 699 do
      if not listed[code] then
        local cause, note = sip.to_q850(code)
        assert.are.equal(31, cause, "code " .. code)
        assert.is_nil(note)
      end
    end
  end)
end)

describe("sipcodes.from_q850 against RFC 3398 section 7.2.4.1", function()
  local rows = read_tsv("q850-mapping.tsv")

  it("maps every row of the table, footnotes included", function()
    local n = 0
    for _, row in ipairs(rows) do
      if row.direction == "isup_to_sip" then
        local cause, code = tonumber(row.isup_cause), tonumber(row.sip_code)
        if row.isup_cause_text:find("w/ diagnostic", 1, true) then
          assert.are.equal(code, sip.from_q850(cause, { new_number = true }))
          assert.are.equal(code, sip.from_q850(cause, { new_number = "+4930123456" }))
        elseif not code then
          local none, why = sip.from_q850(cause)
          assert.is_nil(none, "row " .. cause)
          assert.matches("BYE or CANCEL", why)
        else
          local got, note = sip.from_q850(cause)
          assert.are.equal(code, got, "row " .. cause)
          assert.is_nil(note)
          check_integer(got)
        end
        if row.note:find("(+)", 1, true) then
          -- The cause location "user" may turn the 4xx into 603.
          for _, location in ipairs({ "user", "USER", "U", "u", 0 }) do
            assert.are.equal(603, sip.from_q850(cause, { location = location }))
          end
          for _, location in ipairs({ "LN", "TN", "INTL", "BI", 2, "network", "elsewhere" }) do
            assert.are.equal(code, sip.from_q850(cause, { location = location }))
          end
        end
        n = n + 1
      end
    end
    assert.are.equal(33, n)
  end)

  it("reads a cause the table lacks as its class's unspecified cause", function()
    local listed = {}
    for _, row in ipairs(rows) do
      if row.direction == "isup_to_sip" then listed[tonumber(row.isup_cause)] = true end
    end
    -- The classes by their value ranges (Q.850: the upper three bits),
    -- written out rather than asked of q850_class_name.
    local by_class = {
      { 31, 480 },  -- normal event 1-31, as 31
      { 47, 503 },  -- resource unavailable 32-47, as 47
      { 63, 503 },  -- service or option not available 48-63: 63 is not in the table, ours
      { 79, 501 },  -- service or option not implemented 64-79, as 79
      { 95, 503 },  -- invalid message 80-95: 95 is not in the table, ours
      { 111, 500 }, -- protocol error 96-111, as 111
      { 127, 500 }, -- interworking 112-127, as 127
    }
    local function class_code(cause)
      for _, c in ipairs(by_class) do
        if cause <= c[1] then return c[2] end
      end
    end
    local unlisted = 0
    for cause = 1, 127 do
      if not listed[cause] then
        local want = class_code(cause)
        assert.are.equal(want, sip.from_q850(cause), "cause " .. cause)
        unlisted = unlisted + 1
      end
    end
    assert.are.equal(127 - 32, unlisted)
  end)

  it("maps cause 29 to 501, not the 510 that copies of the RFC print", function()
    -- 510 is no SIP code; the fixture and the code agree on 501.
    local row29
    for _, row in ipairs(rows) do
      if row.direction == "isup_to_sip" and row.isup_cause == "29" then row29 = row end
      assert.are_not.equal("510", row.sip_code)
    end
    assert.are.equal("501", row29.sip_code)
    assert.are.equal(501, sip.from_q850(29))
  end)

  it("changes nothing but 21 and 22 for the options", function()
    for cause = 1, 127 do
      if cause ~= 21 and cause ~= 22 and cause ~= 16 then
        local plain = sip.from_q850(cause)
        assert.are.equal(plain, sip.from_q850(cause, { location = "user", new_number = true }))
      end
    end
    assert.are.equal(410, sip.from_q850(22, { location = "user" }))
    assert.are.equal(403, sip.from_q850(21, { new_number = true }))
    assert.are.equal(410, sip.from_q850(22, { new_number = false }))
  end)
end)

-- RFC 3398 §8.2.6.1 on 488 and 606: 31 by default for most warn-codes, 65
-- "Bearer Capability Not Implemented" for a Warning about an unavailable
-- bearer capability.  Which registered warn-codes speak of the bearer is
-- our reading (docs/outcomes.md): 304, 305 and 370.
describe("sipcodes.to_q850 with the response's Warning", function()
  local registered = { 300, 301, 302, 303, 304, 305, 306, 307, 308, 330, 331, 370, 380, 381, 399 }
  local bearer = { [304] = true, [305] = true, [370] = true }

  it("gives 65 for a bearer-capability Warning on 488 and 606, else 31, without a note", function()
    for _, code in ipairs({ 488, 606 }) do
      for _, w in ipairs(registered) do
        local want = bearer[w] and 65 or 31
        assert.are.same({ want }, { sip.to_q850(code, { warning = w }) }, code .. " " .. w)
      end
      assert.are.same({ 31 }, { sip.to_q850(code, { warning = 100 }) })
      assert.are.same({ 31 }, { sip.to_q850(code, { warning = 0 }) }) -- "000" is a warn-code too
      assert.are.same({ 31 }, { sip.to_q850(code, { warning = 42 }) })
      assert.are.same({ 31 }, { sip.to_q850(code, { warning = 999 }) })
      assert.are.same({ 65 }, { sip.to_q850(code, { warning = 305.0 }) })
      assert.are.same({ 65 }, { sip.to_q850(code, { warning = "305" }) }) -- a numeral, as every code
    end
  end)

  it("leaves the other codes as the table maps them", function()
    assert.are.same({ 17 }, { sip.to_q850(486, { warning = 305 }) })
    assert.are.same({ 31 }, { sip.to_q850(499, { warning = 305 }) })
    local c, why = sip.to_q850(487, { warning = 305 })
    assert.is_nil(c)
    assert.is_string(why)
    assert.are.same({ 31, select(2, sip.to_q850(488)) }, { sip.to_q850(488, {}) })
    assert.are.same({ sip.to_q850(488) }, { sip.to_q850(488, { warning = nil }) })
  end)
end)

describe("sipcodes.to_q850 and from_q850 edges", function()
  it("gives nil and why for a response that is not a failure", function()
    for _, code in ipairs({ 100, 180, 183, 200, 202, 299 }) do
      local cause, why = sip.to_q850(code)
      assert.is_nil(cause)
      assert.are.equal("only a failure response (300-699) maps to a cause", why)
    end
  end)

  it("gives a single nil for what is not a code or a cause", function()
    for _, code in ipairs({ 0, 99, 700, 799, -486, 1000 }) do
      assert.are.equal(0, select("#", sip.to_q850(code)) - 1)
      assert.is_nil(sip.to_q850(code))
    end
    for _, cause in ipairs({ 0, 128, 255, -17, 486 }) do
      assert.are.equal(1, select("#", sip.from_q850(cause)))
      assert.is_nil(sip.from_q850(cause))
    end
  end)

  it("accepts numeric strings as Lua coerces them", function()
    assert.are.equal(17, sip.to_q850("486"))
    assert.are.equal(486, sip.from_q850("17"))
    assert.are.equal(486, sip.from_q850(17.0))
  end)

  it("raises on a wrong argument", function()
    assert.has_error(function() sip.to_q850() end,
      "bad argument #1 to 'to_q850' (integer expected, got no value)")
    assert.has_error(function() sip.to_q850("busy") end,
      "bad argument #1 to 'to_q850' (integer expected, got string)")
    assert.has_error(function() sip.to_q850(486.5) end,
      "bad argument #1 to 'to_q850' (number has no integer representation)")
    assert.has_error(function() sip.to_q850(486, 1) end,
      "bad argument #2 to 'to_q850' (table expected, got number)")
    assert.has_error(function() sip.to_q850(486, nil, 1) end,
      "bad argument #3 to 'to_q850' (no more than 2 arguments expected, got 3)")
    assert.has_error(function() sip.to_q850(488, { warn = 305 }) end,
      "bad argument #2 to 'to_q850' (unknown option 'warn')")
    for _, bad in ipairs({ -1, 1000, 30.5, "x", "30.5", true, {} }) do
      assert.has_error(function() sip.to_q850(488, { warning = bad }) end,
        "bad argument #2 to 'to_q850' (option 'warning' must be a warn-code 0 to 999)")
    end
    assert.has_error(function() sip.from_q850({}) end,
      "bad argument #1 to 'from_q850' (integer expected, got table)")
    assert.has_error(function() sip.from_q850(0 / 0) end,
      "bad argument #1 to 'from_q850' (number has no integer representation)")
    assert.has_error(function() sip.from_q850(21, "user") end,
      "bad argument #2 to 'from_q850' (table expected, got string)")
    assert.has_error(function() sip.from_q850(21, { where = "user" }) end,
      "bad argument #2 to 'from_q850' (unknown option 'where')")
    assert.has_error(function() sip.from_q850(21, { [1] = "user" }) end,
      "bad argument #2 to 'from_q850' (unknown option of type number)")
    assert.has_error(function() sip.from_q850(21, { location = true }) end,
      "bad argument #2 to 'from_q850' (option 'location' must be a string or a number)")
    assert.has_error(function() sip.from_q850(22, { new_number = 30123 }) end,
      "bad argument #2 to 'from_q850' (option 'new_number' must be a boolean or a string)")
    assert.has_error(function() sip.from_q850(21, nil, 1) end,
      "bad argument #3 to 'from_q850' (no more than 2 arguments expected, got 3)")
  end)
end)

describe("sipcodes.q850_name", function()
  -- spec/fixtures/q850-names.tsv: every cause ITU-T Q.850 Table 1 names
  -- (with Addendum 1's 14 and Amendment 1's 24), typed in and reviewed
  -- against three outside copies of the table, named in agrees_with:
  --   a  the "Cause No. N - name" list of SEMS's KFPC_Q850.h
  --      (leegoex/yxcti, softswitch/sems-1.6.0/.../KFPC_Q850.h);
  --   b  a Q.850 cause decoder's table (the "Q.850 Add.1"/"Amd.1" one);
  --   c  Wireshark's ISUP/Etheric q850_cause_code_vals.
  -- Every row agrees exactly (letter case aside) with at least one copy.
  local rows = read_tsv("q850-names.tsv")

  it("gives the name of every row of the fixture", function()
    local n = 0
    for _, row in ipairs(rows) do
      assert.are.equal(row.name, sip.q850_name(tonumber(row.cause)), "cause " .. row.cause)
      assert.are_not.equal("", row.agrees_with, "cause " .. row.cause .. " unchecked")
      n = n + 1
    end
    assert.are.equal(71, n)
  end)

  it("names no cause the fixture lacks: those give nil", function()
    local named = {}
    for _, row in ipairs(rows) do named[tonumber(row.cause)] = row.name end
    local n = 0
    for cause = -1, 300 do
      local name = sip.q850_name(cause)
      if name ~= nil then
        assert.are.equal(named[cause], name, "cause " .. cause)
        n = n + 1
      else
        assert.is_nil(named[cause], "cause " .. cause .. " lost its name")
      end
    end
    assert.are.equal(71, n)
    -- Unassigned values, pinned: spare ones and FreeSWITCH's own numbers.
    for _, cause in ipairs({ 0, 10, 15, 32, 33, 45, 52, 54, 56, 89, 112, 126, 128 }) do
      assert.is_nil(sip.q850_name(cause), "cause " .. cause)
    end
  end)

  it("gives the ITU-T text", function()
    assert.are.equal("Normal call clearing", sip.q850_name(16))
    assert.are.equal("User busy", sip.q850_name(17))
    assert.are.equal("No answer from user (user alerted)", sip.q850_name(19))
    assert.are.equal("Call rejected", sip.q850_name(21))
    assert.are.equal("Normal, unspecified", sip.q850_name(31))
    assert.are.equal("No circuit/channel available", sip.q850_name(34))
    assert.are.equal("Temporary failure", sip.q850_name(41))
    assert.are.equal("Switching equipment congestion", sip.q850_name(42))
    assert.are.equal("Recovery on timer expiry", sip.q850_name(102))
    assert.are.equal("Interworking, unspecified", sip.q850_name(127))
  end)

  it("knows the class of every value 1-127", function()
    assert.are.equal("normal_event", sip.q850_class_name(1))
    assert.are.equal("normal_event", sip.q850_class_name(31))
    assert.are.equal("resource_unavailable", sip.q850_class_name(41))
    assert.are.equal("service_not_available", sip.q850_class_name(57))
    assert.are.equal("service_not_implemented", sip.q850_class_name(79))
    assert.are.equal("invalid_message", sip.q850_class_name(88))
    assert.are.equal("protocol_error", sip.q850_class_name(102))
    assert.are.equal("interworking", sip.q850_class_name(127))
    assert.are.equal("interworking", sip.q850_class_name(115))
    assert.is_nil(sip.q850_class_name(0))
    assert.is_nil(sip.q850_class_name(128))
  end)

  it("raises on a wrong argument", function()
    assert.has_error(function() sip.q850_name("x") end,
      "bad argument #1 to 'q850_name' (integer expected, got string)")
    assert.has_error(function() sip.q850_class_name(nil) end,
      "bad argument #1 to 'q850_class_name' (integer expected, got nil)")
  end)
end)

describe("sipcodes.q850_reason", function()
  it("builds the Reason value of a Q.850 cause", function()
    assert.are.equal('Q.850;cause=16;text="Normal call clearing"', sip.q850_reason(16))
    assert.are.equal('Q.850;cause=34;text="No circuit/channel available"', sip.q850_reason(34))
    assert.are.equal("Q.850;cause=10", sip.q850_reason(10))
    assert.is_nil(sip.q850_reason(0))
    assert.is_nil(sip.q850_reason(128))
  end)

  it("raises on a wrong argument", function()
    assert.has_error(function() sip.q850_reason("x") end,
      "bad argument #1 to 'q850_reason' (integer expected, got string)")
    assert.has_error(function() sip.q850_reason(17, {}, 1) end,
      "bad argument #3 to 'q850_reason' (no more than 2 arguments expected, got 3)")
    assert.has_error(function() sip.q850_reason(17, 1) end,
      "bad argument #2 to 'q850_reason' (table expected, got number)")
    assert.has_error(function() sip.q850_reason(17, { place = "LN" }) end,
      "bad argument #2 to 'q850_reason' (unknown option 'place')")
    for _, bad in ipairs({ true, "LOC-7", "LOC-16", "XX", "", 16, -1, 2.5, {} }) do
      assert.has_error(function() sip.q850_reason(17, { location = bad }) end,
        "bad argument #2 to 'q850_reason' (option 'location' must be an RFC 8606 token or a location value 0 to 15)")
    end
  end)

  it("adds the RFC 8606 location when asked, as a token or a value", function()
    assert.are.equal('Q.850;cause=17;text="User busy";location=LN', sip.q850_reason(17, { location = "LN" }))
    assert.are.equal('Q.850;cause=17;text="User busy";location=LN', sip.q850_reason(17, { location = "ln" }))
    assert.are.equal('Q.850;cause=17;text="User busy";location=LN', sip.q850_reason(17, { location = 2 }))
    assert.are.equal('Q.850;cause=16;text="Normal call clearing";location=U', sip.q850_reason(16, { location = 0 }))
    assert.are.equal('Q.850;cause=16;text="Normal call clearing";location=LOC-6', sip.q850_reason(16, { location = 6 }))
    assert.are.equal("Q.850;cause=10;location=LOC-15", sip.q850_reason(10, { location = "loc-15" }))
    assert.are.equal('Q.850;cause=17;text="User busy"', sip.q850_reason(17, {}))
    assert.are.equal('Q.850;cause=17;text="User busy"', sip.q850_reason(17, nil))
    assert.is_nil(sip.q850_reason(128, { location = "LN" }))
    -- Every value 0-15, by its token (a literal list, RFC 8606 section 4).
    local tokens = { [0] = "U", "LPN", "LN", "TN", "RLN", "RPN", "LOC-6", "INTL",
                     "LOC-8", "LOC-9", "BI", "LOC-11", "LOC-12", "LOC-13", "LOC-14", "LOC-15" }
    for v = 0, 15 do
      local want = "Q.850;cause=127;text=\"Interworking, unspecified\";location=" .. tokens[v]
      assert.are.equal(want, sip.q850_reason(127, { location = v }))
      assert.are.equal(want, sip.q850_reason(127, { location = tokens[v]:lower() }))
    end
  end)
end)

describe("sipcodes.reason_for", function()
  it("builds the RFC 6432 Reason value of a response", function()
    assert.are.equal('Q.850;cause=17;text="User busy"', sip.reason_for(486))
    assert.are.equal('Q.850;cause=21;text="Call rejected"', sip.reason_for(603))
    assert.are.equal('Q.850;cause=1;text="Unallocated (unassigned) number"', sip.reason_for(404))
    assert.are.equal('Q.850;cause=31;text="Normal, unspecified"', sip.reason_for(499))
  end)

  it("gives every code the cause of RFC 3398's table and the Q.850 name, from the fixtures", function()
    -- Expected values from the two fixtures and the RFC's rules, none
    -- from the functions under test: a listed row's cause, 31 for a
    -- 300-699 code the table lacks and for 488/606 without a Warning,
    -- nothing for 487 and below 300.
    local cause_of, names = {}, {}
    for _, row in ipairs(read_tsv("q850-mapping.tsv")) do
      if row.direction == "sip_to_isup" then
        cause_of[tonumber(row.sip_code)] = tonumber(row.isup_cause) or false
      end
    end
    cause_of[488], cause_of[606], cause_of[487] = 31, 31, false
    for _, row in ipairs(read_tsv("q850-names.tsv")) do names[tonumber(row.cause)] = row.name end
    local built = 0
    for code = 100, 699 do
      local want
      if code >= 300 then
        local cause = cause_of[code]
        if cause == nil then cause = 31 end
        if cause then
          want = string.format('Q.850;cause=%d;text="%s"', cause, names[cause])
        end
      end
      assert.are.equal(want, (sip.reason_for(code)), "code " .. code)
      if want then built = built + 1 end
    end
    assert.are.equal(399, built)
  end)

  it("passes on the notes of to_q850", function()
    local value, note = sip.reason_for(606)
    assert.are.equal('Q.850;cause=31;text="Normal, unspecified"', value)
    assert.matches("Warning header", note)
    local none, why = sip.reason_for(487)
    assert.is_nil(none)
    assert.matches("487 has no cause mapping", why)
    assert.is_nil(sip.reason_for(700))
  end)

  it("parses back with parse_reason", function()
    local parsed = sip.parse_reason(sip.reason_for(486))
    assert.are.equal("Q.850", parsed[1].protocol)
    assert.are.equal(17, parsed[1].cause)
    assert.are.equal("User busy", parsed[1].text)
  end)

  it("adds RFC 3398's default cause location for location = true", function()
    -- Section 8.2.6.1: 6xx the user (U), 4xx and 5xx the network, which
    -- beyond a gateway is BI; 3xx as the network too.
    assert.are.equal('Q.850;cause=21;text="Call rejected";location=U', sip.reason_for(603, { location = true }))
    assert.are.equal('Q.850;cause=17;text="User busy";location=U', sip.reason_for(600, { location = true }))
    assert.are.equal('Q.850;cause=31;text="Normal, unspecified";location=U', sip.reason_for(699, { location = true }))
    assert.are.equal('Q.850;cause=31;text="Normal, unspecified";location=BI', sip.reason_for(599, { location = true }))
    assert.are.equal('Q.850;cause=17;text="User busy";location=BI', sip.reason_for(486, { location = true }))
    assert.are.equal('Q.850;cause=41;text="Temporary failure";location=BI', sip.reason_for(400, { location = true }))
    assert.are.equal('Q.850;cause=41;text="Temporary failure";location=BI', sip.reason_for(503, { location = true }))
    assert.are.equal('Q.850;cause=31;text="Normal, unspecified";location=BI', sip.reason_for(300, { location = true }))
    assert.are.equal('Q.850;cause=31;text="Normal, unspecified";location=BI', sip.reason_for(399, { location = true }))
    -- The notes still come, and no cause still means no value.
    local v, note = sip.reason_for(606, { location = true })
    assert.are.equal('Q.850;cause=31;text="Normal, unspecified";location=U', v)
    assert.matches("Warning header", note)
    local none, why = sip.reason_for(487, { location = true })
    assert.is_nil(none)
    assert.matches("487 has no cause mapping", why)
    assert.is_nil((sip.reason_for(200, { location = true })))
    assert.is_nil((sip.reason_for(299, { location = true })))
    assert.is_nil(sip.reason_for(700, { location = true }))
    assert.is_nil(sip.reason_for(0, { location = true }))
  end)

  it("keeps the old value without the option, and a given location whatever the code", function()
    assert.are.equal('Q.850;cause=17;text="User busy"', sip.reason_for(486))
    assert.are.equal('Q.850;cause=17;text="User busy"', sip.reason_for(486, {}))
    assert.are.equal('Q.850;cause=17;text="User busy"', sip.reason_for(486, { location = false }))
    assert.are.equal('Q.850;cause=21;text="Call rejected"', sip.reason_for(603, { location = false }))
    -- An explicit location wins over the default, both ways round.
    assert.are.equal('Q.850;cause=21;text="Call rejected";location=LN', sip.reason_for(603, { location = "LN" }))
    assert.are.equal('Q.850;cause=17;text="User busy";location=U', sip.reason_for(486, { location = "u" }))
    assert.are.equal('Q.850;cause=17;text="User busy";location=U', sip.reason_for(486, { location = 0 }))
    assert.are.equal('Q.850;cause=17;text="User busy";location=LOC-12', sip.reason_for(486, { location = 12 }))
  end)

  it("parses back with its location", function()
    for _, code in ipairs({ 404, 486, 503, 603, 604 }) do
      local parsed = sip.parse_reason(sip.reason_for(code, { location = true }))
      assert.are.equal(code >= 600 and "U" or "BI", parsed[1].location)
    end
  end)

  it("raises on a wrong argument", function()
    assert.has_error(function() sip.reason_for("486x") end,
      "bad argument #1 to 'reason_for' (integer expected, got string)")
    assert.has_error(function() sip.reason_for(486, {}, 1) end,
      "bad argument #3 to 'reason_for' (no more than 2 arguments expected, got 3)")
    assert.has_error(function() sip.reason_for(486, "BI") end,
      "bad argument #2 to 'reason_for' (table expected, got string)")
    assert.has_error(function() sip.reason_for(486, { locaton = true }) end,
      "bad argument #2 to 'reason_for' (unknown option 'locaton')")
    for _, bad in ipairs({ "LOC-7", "LOC-0", "LOC-16", "user", "network", "", 16, -1, 0.5, {} }) do
      assert.has_error(function() sip.reason_for(486, { location = bad }) end,
        "bad argument #2 to 'reason_for' (option 'location' must be true, an RFC 8606 token "
        .. "or a location value 0 to 15)")
    end
  end)
end)
