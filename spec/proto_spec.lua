-- The protocol helpers of require "sipcodes": the Status-Line (RFC 3261
-- §7.2, §25.1), the Reason header (RFC 3326, RFC 8606, RFC 9366), the
-- forking proxy's best response (§16.7 step 6) and the header fields per
-- code.  Every grammar rule from both sides, the error messages with their
-- byte positions, round trips, and the argument errors.
local before_globals = {}
for k in pairs(_G) do before_globals[k] = true end

local sip = require "sipcodes"
local math_type = rawget(math, "type") -- 5.3+

local function check_integer(v)
  if math_type then
    assert.are.equal("integer", math_type(v))
  end
end

-- A small deterministic generator, so the generated cases are the same on
-- every interpreter and no global random state is touched.
local function generator(seed)
  local state = seed
  return function(n)
    state = (state * 1103515245 + 12345) % 2147483648
    return math.floor(state / 65536) % n + 1
  end
end

describe("sipcodes protocol helpers", function()
  it("create no global", function()
    for k in pairs(_G) do
      assert.is_true(before_globals[k], "new global " .. tostring(k))
    end
  end)

  it("are functions of the module", function()
    for _, name in ipairs({ "parse_status_line", "format_status_line", "parse_reason",
                            "format_reason", "best_response", "required_headers" }) do
      assert.are.equal("function", type(sip[name]), name)
    end
  end)
end)

describe("sipcodes.parse_status_line", function()
  local parse = sip.parse_status_line

  it("parses the parts of a status line", function()
    local t = parse("SIP/2.0 486 Busy Here")
    assert.are.same({ version = "SIP/2.0", code = 486, reason = "Busy Here", valid = true }, t)
    check_integer(t.code)
    assert.are.same(t, parse("SIP/2.0 486 Busy Here\r\n"))
  end)

  it("takes SIP in any case and keeps the version as sent (RFC 3261 §7.1)", function()
    assert.are.equal("sip/2.0", parse("sip/2.0 180 Ringing").version)
    assert.are.equal("Sip/2.0", parse("Sip/2.0 180 Ringing").version)
    assert.are.equal("SIP/3.14", parse("SIP/3.14 200 OK").version)
    assert.are.equal("SIP/123456789.987654321", parse("SIP/123456789.987654321 200 OK").version)
  end)

  it("parses codes outside 100-699 and flags them", function()
    for _, c in ipairs({ { "000", 0, false }, { "099", 99, false }, { "100", 100, true },
                         { "699", 699, true }, { "700", 700, false }, { "999", 999, false } }) do
      local t = parse("SIP/2.0 " .. c[1] .. " X")
      assert.are.equal(c[2], t.code)
      assert.are.equal(c[3], t.valid)
    end
  end)

  it("accepts every character the Reason-Phrase rule allows", function()
    local phrases = {
      "",                                  -- *( ... ) may be empty
      " ",                                 -- SP
      "a\tb",                              -- HTAB
      ";/?:@&=+$,",                        -- reserved
      "-_.!~*'()",                         -- mark
      "azAZ09",                            -- alphanum
      "Busy%20Here%2a%2A",                 -- escaped, kept as sent
      "Besetzt \195\188 \226\130\172 \240\159\147\158", -- UTF-8, 2-4 bytes
      "\194\128\223\191\224\160\128\237\159\191\238\128\128\239\191\191",
      "\240\144\128\128\244\143\191\191",  -- up to U+10FFFF
      "5 calls queued; expected waiting time is 15 minutes", -- RFC 3261 §21.1.4
      "Missing Call-ID header field",      -- §21.4.1
      "OK \t",                             -- trailing whitespace is phrase
    }
    for _, p in ipairs(phrases) do
      local t, err = parse("SIP/2.0 200 " .. p)
      assert.is_nil(err, p)
      assert.are.equal(p, t.reason)
      assert.is_nil(t.lenient)
    end
  end)

  it("refuses what the grammar forbids, saying what and at which byte", function()
    local cases = {
      { "", "expected SIP version at byte 1" },
      { "HTTP/1.1 200 OK", "expected SIP version at byte 1" },
      { "SIX/2.0 200 OK", "expected SIP version at byte 3" },
      { "SIP", "expected '/' after SIP at byte 4" },
      { "SIP 2.0 200 OK", "expected '/' after SIP at byte 4" },
      { "SIP/ 200 OK", "expected digit in SIP version at byte 5" },
      { "SIP/2 200 OK", "expected '.' in SIP version at byte 6" },
      { "SIP/2. 200 OK", "expected digit in SIP version at byte 7" },
      { "SIP/2.0a 200 OK", "expected SP after SIP version at byte 8" },
      { "SIP/1234567890.0 200 OK", "too many digits in SIP version at byte 14" },
      { "SIP/2.0", "expected SP after SIP version at byte 8" },
      { "SIP/2.0\t200 OK", "expected SP after SIP version at byte 8" },
      { "SIP/2.0  200 OK", "expected 3-digit status code at byte 9" },
      { "SIP/2.0 20 OK", "expected 3-digit status code at byte 11" },
      { "SIP/2.0 2x0 OK", "expected 3-digit status code at byte 10" },
      { "SIP/2.0 486Busy Here", "expected SP after status code at byte 12" },
      { "SIP/2.0 2000 OK", "expected SP after status code at byte 12" },
      { "SIP/2.0 200", "expected SP after status code at byte 12" },
      { "SIP/2.0 200\r\n", "expected SP after status code at byte 12" },
      { "SIP/2.0 486 Busy \"Here\"", "invalid character in reason phrase at byte 18" },
      { "SIP/2.0 486 <x>", "invalid character in reason phrase at byte 13" },
      { "SIP/2.0 486 a\\b", "invalid character in reason phrase at byte 14" },
      { "SIP/2.0 486 #[]{}|^`", "invalid character in reason phrase at byte 13" },
      { "SIP/2.0 486 100%", "invalid %-escape in reason phrase at byte 16" },
      { "SIP/2.0 486 %2g", "invalid %-escape in reason phrase at byte 13" },
      { "SIP/2.0 486 a\1", "control character in reason phrase at byte 14" },
      { "SIP/2.0 486 a\0b", "control character in reason phrase at byte 14" },
      { "SIP/2.0 486 a\127", "control character in reason phrase at byte 14" },
      { "SIP/2.0 486 \128", "invalid UTF-8 in reason phrase at byte 13" },
      { "SIP/2.0 486 \195", "invalid UTF-8 in reason phrase at byte 13" },
      { "SIP/2.0 486 \192\175", "invalid UTF-8 in reason phrase at byte 13" },   -- overlong
      { "SIP/2.0 486 \224\128\175", "invalid UTF-8 in reason phrase at byte 13" },
      { "SIP/2.0 486 \237\160\128", "invalid UTF-8 in reason phrase at byte 13" }, -- surrogate
      { "SIP/2.0 486 \244\144\128\128", "invalid UTF-8 in reason phrase at byte 13" },
      { "SIP/2.0 486 \248\136\128\128\128", "invalid UTF-8 in reason phrase at byte 13" },
      { "SIP/2.0 486 \252\132\128\128\128\128", "invalid UTF-8 in reason phrase at byte 13" },
      { "SIP/2.0 486 Vor\252bergehend", "invalid UTF-8 in reason phrase at byte 16" },
      { "SIP/2.0 200 OK\n", "LF without CR at byte 15" },
      { "SIP/2.0 200 OK\r", "expected LF after CR at byte 16" },
      { "SIP/2.0 200 OK\rX", "expected LF after CR at byte 16" },
      { "SIP/2.0 200 OK\r\n\r\n", "unexpected data after end of line at byte 17" },
      { "SIP/2.0 200 OK\r\nVia: x", "unexpected data after end of line at byte 17" },
      { "SIP/2.0 200 OK\r\n ", "unexpected data after end of line at byte 17" },
      { "\r\nSIP/2.0 200 OK", "expected SIP version at byte 1" },
    }
    for _, c in ipairs(cases) do
      local t, err = parse(c[1])
      assert.is_nil(t, c[1])
      assert.are.equal(c[2], err)
    end
  end)

  it("refuses more than 8192 bytes at byte 8193, whatever they are", function()
    local ok = "SIP/2.0 200 " .. ("x"):rep(8192 - 12)
    assert.are.equal(8180, #parse(ok).reason)
    local t, err = parse(ok .. "x")
    assert.is_nil(t)
    assert.are.equal("input longer than 8192 bytes at byte 8193", err)
    assert.are.equal("input longer than 8192 bytes at byte 8193",
                     select(2, parse(("\0"):rep(100000), { lenient = true })))
  end)

  describe("with opts.lenient", function()
    local function lenient(s) return parse(s, { lenient = true }) end

    it("accepts what strict accepts and says nothing", function()
      assert.are.same({ version = "SIP/2.0", code = 486, reason = "Busy Here", valid = true },
                      lenient("SIP/2.0 486 Busy Here\r\n"))
      assert.are.same(parse("SIP/2.0 200 OK"), parse("SIP/2.0 200 OK", { lenient = false }))
    end)

    it("accepts and reports what real stacks send", function()
      local cases = {
        { "SIP/2.0 200", "", { no_sp = true } },
        { "SIP/2.0 200\r\n", "", { no_sp = true } },
        { "SIP/2.0 200\n", "", { no_sp = true, bare_lf = true } },
        { "SIP/2.0 200 OK\n", "OK", { bare_lf = true } },
        { "SIP/2.0 200 OK\r", "OK", { bare_cr = true } },
        { "SIP/2.0 200 OK  \t", "OK", { trailing_space = true }, "OK  \t" },
        { "SIP/2.0 200 OK\r\n  ", "OK", { trailing_space = true } },
        { "SIP/2.0 200   ", "", { trailing_space = true }, "  " },
        { "SIP/2.0 200 Busy \n \t", "Busy", { trailing_space = true, bare_lf = true } },
        { "SIP/2.0 486 Busy \"Here\" <100%>", "Busy \"Here\" <100%>", { chars = true } },
        { "SIP/2.0 480 Vor\252bergehend", "Vor\252bergehend", { bad_utf8 = true } },
        { "SIP/2.0 480 \255\"x\" \n", "\255\"x\"",
          { bad_utf8 = true, chars = true, trailing_space = true, bare_lf = true } },
      }
      for _, c in ipairs(cases) do
        local t, err = lenient(c[1])
        assert.is_nil(err, c[1])
        assert.are.equal(c[2], t.reason)
        assert.are.same(c[3], t.lenient)
        -- strict refuses it, or (trailing whitespace) keeps it in the phrase
        local strict = parse(c[1])
        assert.are.equal(c[4], strict and strict.reason)
      end
    end)

    it("still refuses control characters and smuggled lines", function()
      local cases = {
        { "SIP/2.0 486 a\127", "control character in reason phrase at byte 14" },
        { "SIP/2.0 486 a\27[2J", "control character in reason phrase at byte 14" },
        { "SIP/2.0 486 a\0b", "control character in reason phrase at byte 14" },
        { "SIP/2.0 200 OK\r\nX", "unexpected data after end of line at byte 17" },
        { "SIP/2.0 200 OK\r\n \r\n", "unexpected data after end of line at byte 18" },
        { "SIP/2.0 200 OK\n\n", "unexpected data after end of line at byte 16" },
        { "SIP/2.0 200\tOK", "expected SP after status code at byte 12" },
        { "SIP/2.0 2000 OK", "expected SP after status code at byte 12" },
      }
      for _, c in ipairs(cases) do
        local t, err = lenient(c[1])
        assert.is_nil(t, c[1])
        assert.are.equal(c[2], err)
      end
    end)
  end)

  it("never raises on data", function()
    local rnd = generator(7)
    local alphabet = { "S", "I", "P", "/", "2", ".", "0", " ", "4", "8", "6", "\r", "\n", "\t",
                       "%", "a", "\"", "\128", "\195", "\188", "\255", "\0", ";" }
    for i = 1, 2000 do
      local parts = {}
      if i % 3 == 0 then parts[1] = "SIP/2.0 486 " end
      for _ = 1, rnd(30) - 1 do parts[#parts + 1] = alphabet[rnd(#alphabet)] end
      local s = table.concat(parts)
      for _, opts in ipairs({ false, { lenient = true } }) do
        local ok, t, err = pcall(parse, s, opts or nil)
        assert.is_true(ok, t)
        if t then
          assert.are.equal("table", type(t))
        else
          assert.are.equal("string", type(err))
          assert.is_truthy(err:find(" at byte %d+$"))
        end
      end
    end
  end)

  it("raises on misuse", function()
    assert.has_error(function() sip.parse_status_line(nil) end,
      "bad argument #1 to 'parse_status_line' (string expected, got nil)")
    assert.has_error(function() sip.parse_status_line() end,
      "bad argument #1 to 'parse_status_line' (string expected, got no value)")
    assert.has_error(function() sip.parse_status_line(200) end,
      "bad argument #1 to 'parse_status_line' (string expected, got number)")
    assert.has_error(function() sip.parse_status_line("SIP/2.0 200 OK", true) end,
      "bad argument #2 to 'parse_status_line' (table expected, got boolean)")
    assert.has_error(function() sip.parse_status_line("SIP/2.0 200 OK", { strict = true }) end,
      "bad argument #2 to 'parse_status_line' (unknown option 'strict')")
    assert.has_error(function() sip.parse_status_line("SIP/2.0 200 OK", { true }) end,
      "bad argument #2 to 'parse_status_line' (unknown option of type number)")
    assert.has_error(function() sip.parse_status_line("SIP/2.0 200 OK", { lenient = "yes" }) end,
      "bad argument #2 to 'parse_status_line' (option 'lenient': boolean expected, got string)")
    assert.has_error(function() sip.parse_status_line("SIP/2.0 200 OK", nil, 1) end,
      "bad argument #3 to 'parse_status_line' (no more than 2 arguments expected, got 3)")
  end)
end)

describe("sipcodes.format_status_line", function()
  local format = sip.format_status_line

  it("uses the code's phrase when no reason is given", function()
    assert.are.equal("SIP/2.0 486 Busy Here", format(486))
    assert.are.equal("SIP/2.0 200 OK", format(200))
    assert.are.equal("SIP/2.0 100 Trying", format(100))
    assert.are.equal("SIP/2.0 200 OK", format("200"))
  end)

  it("uses the class phrase for a code the registry lacks", function()
    -- The class phrases as literals (RFC 3261 section 21's headings, as
    -- the registry words them), not asked of sip.phrase.
    local class = { "Provisional", "Successful", "Redirection", "Request Failure",
                    "Server Failure", "Global Failure" }
    local n = 0
    for code = 100, 699 do
      if not sip.reason(code) then
        assert.are.equal("SIP/2.0 " .. code .. " " .. class[math.floor(code / 100)], format(code))
        n = n + 1
      end
    end
    assert.is_true(n > 400)
    assert.are.equal("SIP/2.0 199 Early Dialog Terminated", format(199))
    assert.are.equal("SIP/2.0 198 Provisional", format(198))
    assert.are.equal("SIP/2.0 699 Global Failure", format(699))
  end)

  it("gives a line parse_status_line reads back, for every code", function()
    for code = 100, 699 do
      local line = assert(format(code))
      local t = assert(sip.parse_status_line(line))
      assert.are.equal(code, t.code)
      assert.are.equal(line:sub(13), t.reason)
      assert.are.equal("SIP/2.0 " .. code .. " ", line:sub(1, 12))
    end
  end)

  it("uses a given reason, empty or not", function()
    assert.are.equal("SIP/2.0 486 Besetzt", format(486, "Besetzt"))
    assert.are.equal("SIP/2.0 200 ", format(200, ""))
    assert.are.equal("SIP/2.0 486 a%20b \226\130\172", format(486, "a%20b \226\130\172"))
    assert.are.equal("SIP/2.0 699 X", format(699, "X"))
  end)

  it("round-trips through parse_status_line", function()
    for _, r in ipairs({ "OK", "", "  ", "Busy Here", "a%20b", ";/?:@&=+$,-_.!~*'()",
                         "\195\188ber \240\159\147\158" }) do
      local t = sip.parse_status_line(format(488, r))
      assert.are.equal(488, t.code)
      assert.are.equal(r, t.reason)
    end
  end)

  it("gives nil and a message for a code outside 100-699", function()
    assert.are.same({ nil, "code must be 100 to 699, got 700" }, { format(700) })
    assert.are.same({ nil, "code must be 100 to 699, got 99" }, { format(99, "X") })
    assert.are.same({ nil, "code must be 100 to 699, got -1" }, { format(-1) })
  end)

  it("gives nil and a message for a reason the grammar forbids", function()
    local cases = {
      { "Busy\r\nVia: evil", "CR or LF in reason phrase at byte 5 of the reason" },
      { "a\nb", "CR or LF in reason phrase at byte 2 of the reason" },
      { "say \"hi\"", "invalid character in reason phrase at byte 5 of the reason" },
      { "50%", "invalid %-escape in reason phrase at byte 3 of the reason" },
      { "a\0", "control character in reason phrase at byte 2 of the reason" },
      { "\255", "invalid UTF-8 in reason phrase at byte 1 of the reason" },
      { ("x"):rep(8179), "reason phrase longer than 8178 bytes at byte 8179 of the reason" },
    }
    for _, c in ipairs(cases) do
      local s, err = format(486, c[1])
      assert.is_nil(s)
      assert.are.equal(c[2], err)
    end
    assert.are.equal(8190, #format(486, ("x"):rep(8178)))
    assert.is_table(sip.parse_status_line(format(486, ("x"):rep(8178)) .. "\r\n"))
  end)

  it("checks a registered phrase too", function()
    local code
    for c = 490, 499 do
      if not sip.is_known(c) then code = c break end
    end
    assert.is_not_nil(code)
    -- register() takes only what a Status-Line can carry, by the same
    -- rule: so every registered phrase formats.
    assert.has_error(function() sip.register(code, "Vendor <Special>") end,
      "bad argument #2 to 'register' (invalid character in reason phrase at byte 8)")
    sip.register(code, "Vendor Special", { name = "PROTO_SPEC_VENDOR" })
    assert.are.equal("SIP/2.0 " .. code .. " Vendor Special", format(code))
    assert.are.equal("SIP/2.0 " .. code .. " Vendor", format(code, "Vendor"))
  end)

  it("raises on misuse", function()
    assert.has_error(function() sip.format_status_line() end,
      "bad argument #1 to 'format_status_line' (integer expected, got no value)")
    assert.has_error(function() sip.format_status_line("abc") end,
      "bad argument #1 to 'format_status_line' (integer expected, got string)")
    assert.has_error(function() sip.format_status_line(486.5) end,
      "bad argument #1 to 'format_status_line' (number has no integer representation)")
    assert.has_error(function() sip.format_status_line(486, 1) end,
      "bad argument #2 to 'format_status_line' (string expected, got number)")
    assert.has_error(function() sip.format_status_line(486, {}) end,
      "bad argument #2 to 'format_status_line' (string expected, got table)")
    assert.has_error(function() sip.format_status_line(486, "x", 1) end,
      "bad argument #3 to 'format_status_line' (no more than 2 arguments expected, got 3)")
  end)
end)


describe("sipcodes.parse_reason", function()
  local parse = sip.parse_reason

  it("parses RFC 3326's example", function()
    local t = parse('SIP;cause=200;text="Call completed elsewhere"')
    assert.are.same({ { protocol = "SIP", cause = 200, text = "Call completed elsewhere",
                        params = {} } }, t)
    check_integer(t[1].cause)
  end)

  it("takes a whole line with the header name, in any case", function()
    local want = { { protocol = "Q.850", cause = 16, text = "Terminated", params = {} } }
    assert.are.same(want, parse('Reason: Q.850;cause=16;text="Terminated"'))
    assert.are.same(want, parse('reason :Q.850;cause=16;text="Terminated"\r\n'))
    assert.are.same(want, parse('REASON\t:\t Q.850 ; cause = 16 ; text = "Terminated"'))
    -- "Reason" without a colon is a protocol token
    assert.are.same({ { protocol = "Reason", cause = 1, params = {} } }, parse("Reason;cause=1"))
  end)

  it("parses several values, commas in quoted text being text", function()
    assert.are.same({
      { protocol = "SIP", cause = 580, text = "Precondition, failed", params = {} },
      { protocol = "Q.850", cause = 47, params = {} },
      { protocol = "X", cause = 31, params = {} },
    }, parse('SIP;cause=580;text="Precondition, failed", Q.850;cause=47,X;cause=31'))
  end)

  it("refuses a second SIP or Q.850 value (RFC 3326, RFC 9366: one per protocol)", function()
    assert.are.same({ nil, "second Q.850 value (one per protocol) at byte 16" },
                    { parse("Q.850;cause=47,Q.850;cause=31") })
    assert.are.same({ nil, "second Q.850 value (one per protocol) at byte 32" },
                    { parse("Q.850;cause=16, SIP;cause=200, q.850;cause=17") })
    assert.are.same({ nil, "second SIP value (one per protocol) at byte 24" },
                    { parse('Reason: SIP;cause=200, sip;cause=487\r\n') })
    assert.are.same({ nil, "second SIP value (one per protocol) at byte 38" },
                    { parse('SIP;cause=200;text="a, SIP;cause=1", SIP;cause=2') })
    -- A comma inside quoted text is no second value.
    assert.are.equal(1, #parse('SIP;cause=200;text="a, SIP;cause=1"'))
    -- Other protocols may repeat: their registrations decide (RFC 9366),
    -- and names that only look alike are other protocols.
    assert.are.same({
      { protocol = "STIR", cause = 436, params = {} },
      { protocol = "STIR", cause = 438, params = {} },
      { protocol = "SIPS", cause = 1, params = {} },
      { protocol = "SIP", cause = 2, params = {} },
      { protocol = "Q.8500", cause = 3, params = {} },
      { protocol = "Q.850", cause = 4, params = {} },
    }, parse("STIR;cause=436, STIR;cause=438, SIPS;cause=1, SIP;cause=2, Q.8500;cause=3, Q.850;cause=4"))
  end)

  it("reads RFC 8606 locations on Q.850, in any case, as sent", function()
    assert.are.same({ { protocol = "Q.850", cause = 1, text = "Unallocated (unassigned) number",
                        location = "LN", params = {} } },
                    parse('Q.850;cause=1;text="Unallocated (unassigned) number";location=LN'))
    for _, loc in ipairs({ "U", "LPN", "LN", "TN", "RLN", "RPN", "INTL", "BI", "bi", "Intl" }) do
      assert.are.equal(loc, parse("Q.850;cause=16;location=" .. loc)[1].location)
    end
    assert.are.equal("BI", parse("q.850;LOCATION=BI;Cause=34")[1].location)
  end)

  it("reads the LOC-n tokens of RFC 8606 section 4, exactly those", function()
    -- Spare and reserved location values: 6, 8, 9 and 11-15.
    for _, loc in ipairs({ "LOC-6", "LOC-8", "LOC-9", "LOC-11", "LOC-12", "LOC-13", "LOC-14",
                           "LOC-15", "loc-6", "Loc-15" }) do
      assert.are.same({ { protocol = "Q.850", cause = 16, location = loc, params = {} } },
                      parse("Q.850;cause=16;location=" .. loc))
    end
    -- Every boundary: the named values have no LOC-n, there is no 16,
    -- no leading zero, no other spelling.
    for _, loc in ipairs({ "LOC-0", "LOC-1", "LOC-5", "LOC-7", "LOC-10", "LOC-16", "LOC-06",
                           "LOC-", "LOC6", "LOC-6a", "LOC--6", "LOC-99", "6", "LOC-60" }) do
      assert.are.same({ nil, "location must be one of U, LPN, LN, TN, RLN, RPN, INTL, BI, "
                             .. "LOC-6, LOC-8, LOC-9, LOC-11 to LOC-15 at byte 25" },
                      { parse("Q.850;cause=16;location=" .. loc) }, loc)
    end
  end)

  it("keeps location on other protocols as an ordinary parameter", function()
    assert.are.same({ { protocol = "SIP", cause = 480, params = { location = "Mars" } } },
                    parse("SIP;cause=480;location=Mars"))
  end)

  it("keeps unknown parameters: flags, tokens, hosts, IPv6, quoted", function()
    assert.are.same({ { protocol = "X-Vendor", params = {
      flag = true, n = "1", host = "gw1.example.com", ip = "192.0.2.1", v6 = "[2001:db8::1]",
      q = 'a "b" c', e = "",
    } } }, parse('X-Vendor ; flag ; n=1 ; host=gw1.example.com ; ip=192.0.2.1 ;'
                 .. ' v6=[2001:db8::1] ; q="a \\"b\\" c"; e=""'))
  end)

  it("undoes escapes and folding in quoted text", function()
    assert.are.equal('back\\slash "q" x', parse('SIP;text="back\\\\slash \\"q\\" \\x"')[1].text)
    assert.are.equal("Gr\195\188\195\159e\t\226\130\172",
                     parse('SIP;text="Gr\195\188\195\159e\t\226\130\172"')[1].text)
    assert.are.equal("one two", parse('SIP;text="one\r\n  two"')[1].text)
    assert.are.equal("a\1b", parse('SIP;text="a\\\1b"')[1].text)
    assert.are.equal("", parse('SIP;text=""')[1].text)
  end)

  it("tolerates linear whitespace and folding around separators", function()
    assert.are.same({ { protocol = "SIP", cause = 200, params = {} },
                      { protocol = "Q.850", cause = 16, params = {} } },
                    parse("Reason:\r\n SIP\r\n\t;\r\n cause\r\n =\r\n 200\r\n ,\r\n Q.850 ; cause=16\r\n"))
    assert.are.equal(1, parse("  SIP;cause=1  ")[1].cause)
  end)

  it("reads cause as an integer up to 2147483647", function()
    assert.are.equal(16, parse("Q.850;cause=0016")[1].cause)
    assert.are.equal(0, parse("Q.850;cause=0")[1].cause)
    assert.are.equal(2147483647, parse("Q.850;cause=2147483647")[1].cause)
  end)

  it("takes every token character in a protocol, compared as sent", function()
    assert.are.equal("aZ09-.!%*_+`'~", parse("aZ09-.!%*_+`'~")[1].protocol)
    assert.are.equal("q.850", parse("q.850;cause=16")[1].protocol)
  end)

  it("takes up to 16 parameters in a value", function()
    assert.are.equal(16, (function()
      local n = 0
      for _ in pairs(parse("X;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p")[1].params) do n = n + 1 end
      return n
    end)())
  end)

  it("refuses malformed headers, saying what and at which byte", function()
    local cases = {
      { "", "expected protocol token at byte 1" },
      { "Reason:", "expected protocol token at byte 8" },
      { "Reason: ", "expected protocol token at byte 9" },
      { ";cause=1", "expected protocol token at byte 1" },
      { '"SIP";cause=1', "expected protocol token at byte 1" },
      { "SIP;cause=1,", "expected protocol token at byte 13" },
      { "SIP;cause=1,,Q.850", "expected protocol token at byte 13" },
      { "SIP/2.0", "expected ';' or ',' at byte 4" },
      { "SIP cause=1", "expected ';' or ',' at byte 5" },
      { 'SIP;text="a" "b"', "expected ';' or ',' at byte 14" },
      { "SIP;", "expected parameter name at byte 5" },
      { "SIP;;cause=1", "expected parameter name at byte 5" },
      { "SIP;cause=", "expected parameter value at byte 11" },
      { "SIP;x=<a>", "expected parameter value at byte 7" },
      { "SIP;x=[zz]", "invalid IPv6 reference at byte 7" },
      { "SIP;cause=1\r\nQ.850", "line break not followed by SP or HTAB at byte 12" },
      { "SIP;cause=1\n", "line break not followed by SP or HTAB at byte 12" },
      { "Q.850;cause", "cause without a value at byte 7" },
      { "Q.850;cause=abc", "cause is not a number at byte 13" },
      { "Q.850;cause=-1", "cause is not a number at byte 13" },
      { "Q.850;cause=1.5", "cause is not a number at byte 13" },
      { 'Q.850;cause="16"', "cause is not a number at byte 13" },
      { "Q.850;cause=2147483648", "cause out of range at byte 13" },
      { "Q.850;cause=99999999999999999999", "cause out of range at byte 13" },
      { "SIP;text", "text without a value at byte 5" },
      { "SIP;text=hello", "text must be a quoted string at byte 10" },
      { 'SIP;text="open', "unterminated quoted string at byte 10" },
      { 'SIP;text="open\\"', "unterminated quoted string at byte 10" },
      { 'SIP;text="a\r\nb"', "CR or LF in quoted string at byte 12" },
      { 'SIP;text="a\nb"', "CR or LF in quoted string at byte 12" },
      { 'SIP;text="a\\\r"', "invalid escape in quoted string at byte 12" },
      { 'SIP;text="a\\\195\188"', "invalid escape in quoted string at byte 12" },
      { 'SIP;text="a\1"', "control character in quoted string at byte 12" },
      { 'SIP;text="a\255"', "invalid UTF-8 in quoted string at byte 12" },
      { 'SIP;text="a\237\160\128"', "invalid UTF-8 in quoted string at byte 12" },
      { "Q.850;cause=16;location", "location without a value at byte 16" },
      { "Q.850;cause=16;location=XX",
        "location must be one of U, LPN, LN, TN, RLN, RPN, INTL, BI, LOC-6, LOC-8, LOC-9, "
        .. "LOC-11 to LOC-15 at byte 25" },
      { 'Q.850;cause=16;location="LN"',
        "location must be one of U, LPN, LN, TN, RLN, RPN, INTL, BI, LOC-6, LOC-8, LOC-9, "
        .. "LOC-11 to LOC-15 at byte 25" },
      { "Q.850;cause=16;cause=17", "duplicate parameter at byte 16" },
      { "Q.850;cause=16;CAUSE=16", "duplicate parameter at byte 16" },
      { 'SIP;text="a";Text="b"', "duplicate parameter at byte 14" },
      { "X;foo;FOO=1", "duplicate parameter at byte 7" },
      { "X;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p;q", "more than 16 parameters at byte 35" },
      { ("x"):rep(8193), "input longer than 8192 bytes at byte 8193" },
    }
    for _, c in ipairs(cases) do
      local t, err = parse(c[1])
      assert.is_nil(t, c[1])
      assert.are.equal(c[2], err)
    end
    assert.are.equal(8192, #parse(("x"):rep(8192))[1].protocol)
  end)

  it("never raises on data", function()
    local rnd = generator(11)
    local alphabet = { "SIP", "Q.850", ";", "=", ",", '"', "\\", " ", "\r\n", "\r\n ", "\n",
                       "cause", "text", "location", "16", "LN", "[", "]", ":", "\195\188",
                       "\255", "\0", "a" }
    for _ = 1, 2000 do
      local parts = {}
      for _ = 1, rnd(20) - 1 do parts[#parts + 1] = alphabet[rnd(#alphabet)] end
      local ok, t, err = pcall(parse, table.concat(parts))
      assert.is_true(ok, t)
      if t then
        assert.are.equal("table", type(t))
      else
        assert.is_truthy(err:find(" at byte %d+$"))
      end
    end
  end)

  it("raises on misuse", function()
    assert.has_error(function() sip.parse_reason(nil) end,
      "bad argument #1 to 'parse_reason' (string expected, got nil)")
    assert.has_error(function() sip.parse_reason({}) end,
      "bad argument #1 to 'parse_reason' (string expected, got table)")
    assert.has_error(function() sip.parse_reason("SIP", 1) end,
      "bad argument #2 to 'parse_reason' (no more than 1 argument expected, got 2)")
  end)
end)

describe("sipcodes.format_reason", function()
  local format = sip.format_reason

  it("formats one value", function()
    assert.are.equal('SIP;cause=200;text="Call completed elsewhere"',
      format({ protocol = "SIP", cause = 200, text = "Call completed elsewhere" }))
    assert.are.equal("Q.850;cause=16", format({ protocol = "Q.850", cause = 16 }))
    assert.are.equal("X", format({ protocol = "X" }))
    assert.are.equal("X", format({ protocol = "X", params = {} }))
    assert.are.equal('Q.850;cause=1;text="Unallocated";location=LN',
      format({ protocol = "Q.850", cause = 1, text = "Unallocated", location = "LN" }))
  end)

  it("escapes quotes and backslashes in text", function()
    assert.are.equal('SIP;text="say \\"hi\\" \\\\o/"', format({ protocol = "SIP", text = 'say "hi" \\o/' }))
    assert.are.equal('SIP;text=""', format({ protocol = "SIP", text = "" }))
    assert.are.equal('SIP;text="tab\there \226\130\172"', format({ protocol = "SIP", text = "tab\there \226\130\172" }))
  end)

  it("formats params sorted by name, quoting what is not a token", function()
    assert.are.equal('X;cause=1;a;b=tok;c="two words";d="";e=[::1];f="\\"q\\""',
      format({ protocol = "X", cause = 1, params = {
        f = '"q"', e = "[::1]", d = "", c = "two words", b = "tok", a = true } }))
    assert.are.equal("SIP;location=Mars", format({ protocol = "SIP", params = { location = "Mars" } }))
  end)

  it("formats a list, joined with commas", function()
    assert.are.equal("SIP;cause=200, Q.850;cause=16",
      format({ { protocol = "SIP", cause = 200 }, { protocol = "Q.850", cause = 16 } }))
    assert.are.equal("SIP", format({ { protocol = "SIP" } }))
  end)

  it("gives nil and a message for data it cannot write", function()
    local cases = {
      { { protocol = "S I P" }, "protocol is not a token" },
      { { protocol = "" }, "protocol is not a token" },
      { { protocol = "SIP", cause = -1 }, "cause must be a non-negative integer" },
      { { protocol = "SIP", cause = 1.5 }, "cause must be a non-negative integer" },
      { { protocol = "SIP", cause = 0 / 0 }, "cause must be a non-negative integer" },
      { { protocol = "SIP", cause = 2147483648 }, "cause must be at most 2147483647" },
      { { protocol = "SIP", cause = math.huge }, "cause must be at most 2147483647" },
      { { protocol = "SIP", text = "a\r\nb" }, "text: CR or LF in quoted text at byte 2" },
      { { protocol = "SIP", text = "ab\n" }, "text: CR or LF in quoted text at byte 3" },
      { { protocol = "SIP", text = "a\0" }, "text: control character in quoted text at byte 2" },
      { { protocol = "SIP", text = "\255" }, "text: invalid UTF-8 in quoted text at byte 1" },
      { { protocol = "SIP", location = "LN" },
        "location is only defined for Q.850 (use params for other protocols)" },
      { { protocol = "Q.850", location = "XX" },
        "location must be one of U, LPN, LN, TN, RLN, RPN, INTL, BI, LOC-6, LOC-8, LOC-9, LOC-11 to LOC-15" },
      { { protocol = "Q.850", location = "LOC-7" },
        "location must be one of U, LPN, LN, TN, RLN, RPN, INTL, BI, LOC-6, LOC-8, LOC-9, LOC-11 to LOC-15" },
      { { protocol = "Q.850", location = "LOC-16" },
        "location must be one of U, LPN, LN, TN, RLN, RPN, INTL, BI, LOC-6, LOC-8, LOC-9, LOC-11 to LOC-15" },
      { { { protocol = "Q.850", cause = 16 }, { protocol = "q.850", cause = 17 } },
        "value 2: second Q.850 value (one per protocol)" },
      { { { protocol = "SIP", cause = 200 }, { protocol = "X" }, { protocol = "Sip", cause = 1 } },
        "value 3: second SIP value (one per protocol)" },
      { { protocol = "X", params = { ["a b"] = true } }, "parameter 'a b': name is not a token" },
      { { protocol = "X", params = { Cause = "1" } },
        "parameter 'Cause': must be given as a field of the value" },
      { { protocol = "X", params = { text = "t" } },
        "parameter 'text': must be given as a field of the value" },
      { { protocol = "Q.850", params = { location = "LN" } },
        "parameter 'location': must be given as a field of the value" },
      { { protocol = "X", params = { foo = "1", FOO = "2" } },
        "parameter 'foo': repeats an earlier name (names ignore case)" },
      { { protocol = "X", params = { v = "a\nb" } }, "params.v: CR or LF in quoted text at byte 2" },
      { {}, "no reason values (need a value or a non-empty list)" },
      { { { protocol = "SIP" }, { protocol = "S;P" } }, "value 2: protocol is not a token" },
      { { { protocol = "SIP", text = "\r" } }, "value 1: text: CR or LF in quoted text at byte 1" },
    }
    for i, c in ipairs(cases) do
      local s, err = format(c[1])
      assert.is_nil(s, i)
      assert.are.equal(c[2], err)
    end
    local many = {}
    for i = 1, 15 do many["p" .. i] = ("v"):rep(i) .. " " end
    assert.is_string(format({ protocol = "X", cause = 1, params = many }))
    assert.are.same({ nil, "more than 16 parameters" },
                    { format({ protocol = "X", cause = 1, text = "", params = many }) })
  end)

  it("raises on misuse", function()
    local f = "bad argument #1 to 'format_reason' "
    assert.has_error(function() sip.format_reason() end, f .. "(table expected, got no value)")
    assert.has_error(function() sip.format_reason("SIP") end, f .. "(table expected, got string)")
    assert.has_error(function() sip.format_reason({ protocol = 1 }) end, f .. "(protocol: string expected, got number)")
    assert.has_error(function() sip.format_reason({ protocol = "SIP", cause = "16" }) end,
      f .. "(cause: number expected, got string)")
    assert.has_error(function() sip.format_reason({ protocol = "SIP", text = 1 }) end,
      f .. "(text: string expected, got number)")
    assert.has_error(function() sip.format_reason({ protocol = "Q.850", location = 2 }) end,
      f .. "(location: string expected, got number)")
    assert.has_error(function() sip.format_reason({ protocol = "SIP", params = "x" }) end,
      f .. "(params: table expected, got string)")
    assert.has_error(function() sip.format_reason({ protocol = "SIP", params = { "x" } }) end,
      f .. "(params: string keys expected, got number)")
    assert.has_error(function() sip.format_reason({ protocol = "SIP", params = { x = false } }) end,
      f .. "(params.x: string or true expected, got boolean)")
    assert.has_error(function() sip.format_reason({ protocol = "SIP", params = { x = 1 } }) end,
      f .. "(params.x: string or true expected, got number)")
    assert.has_error(function() sip.format_reason({ cause = 16 }) end,
      f .. "(protocol: string expected, got nil)")
    assert.has_error(function() sip.format_reason({ protocol = "SIP", couse = 1 }) end,
      f .. "(unknown field 'couse')")
    assert.has_error(function() sip.format_reason({ "SIP" }) end, f .. "([1]: table expected, got string)")
    assert.has_error(function() sip.format_reason({ { protocol = "SIP" }, { cause = 1 } }) end,
      f .. "([2].protocol: string expected, got nil)")
    assert.has_error(function() sip.format_reason({ { protocol = "SIP", cause = true } }) end,
      f .. "([1].cause: number expected, got boolean)")
    assert.has_error(function() sip.format_reason({ { protocol = "SIP", x = 1 } }) end,
      f .. "([1]: unknown field 'x')")
    assert.has_error(function() sip.format_reason({ protocol = "SIP" }, 1) end,
      "bad argument #2 to 'format_reason' (no more than 1 argument expected, got 2)")
  end)
end)

describe("sipcodes.parse_reason(sipcodes.format_reason(x))", function()
  it("refuses to build what parse_reason would refuse to read", function()
    local big = ("a"):rep(8192)
    for _, x in ipairs({
      { protocol = "SIP", text = big },
      { protocol = "SIP", text = ('"'):rep(5000) },
      { protocol = "Q.850", params = { a = ("b"):rep(5000), c = ("d"):rep(5000), e = "f" } },
    }) do
      assert.are.same({ nil, "reason header longer than 8192 bytes" }, { sip.format_reason(x) })
    end
    local many = {}
    for i = 1, 100000 do many[i] = { protocol = "X", cause = 200 } end
    assert.are.same({ nil, "reason header longer than 8192 bytes" }, { sip.format_reason(many) })
    local fits = {}
    for i = 1, 500 do fits[i] = { protocol = "X", cause = 200 } end
    local s = assert(sip.format_reason(fits))
    assert.are.equal(500, #assert(sip.parse_reason(s)))
  end)

  local protocols = { "SIP", "Q.850", "q.850", "Preemption", "X-Vendor.1", "RELEASE_CAUSE" }
  local texts = { "", "Normal call clearing", 'say "hi"', "back\\slash", "comma, semi; eq=",
                  "  spaced  ", "tab\there", "Gr\195\188\195\159e \226\130\172 \240\159\147\158",
                  "\\\"\\\"", "x" }
  local locations = { "U", "LPN", "LN", "TN", "RLN", "RPN", "INTL", "BI", "ln",
                      "LOC-6", "LOC-8", "LOC-9", "LOC-11", "LOC-12", "LOC-13", "LOC-14", "LOC-15",
                      "loc-6" }
  local names = { "a", "B", "foo", "x-y", "n.1", "z_z", "q", "emb~" }
  local values = { true, "tok", "192.0.2.1", "gw.example.com", "[2001:db8::1]", "",
                   "two words", 'q"uote', "semi;colon", "\195\188", "x=y" }

  local function value(rnd)
    local v = { protocol = protocols[rnd(#protocols)], params = {} }
    if rnd(4) > 1 then v.cause = ({ 0, 16, 17, 200, 487, 2147483647 })[rnd(6)] end
    if rnd(3) > 1 then v.text = texts[rnd(#texts)] end
    if v.protocol:lower() == "q.850" and rnd(2) == 1 then v.location = locations[rnd(#locations)] end
    local used = {}
    for _ = 1, rnd(5) - 1 do
      local name = names[rnd(#names)]
      if not used[name:lower()] then
        used[name:lower()] = true
        v.params[name] = values[rnd(#values)]
      end
    end
    return v
  end

  it("gives x back for a generated set of values and lists", function()
    local rnd = generator(2026)
    for _ = 1, 500 do
      -- A list holds at most one SIP and one Q.850 value, as a header
      -- may (format_reason refuses a second one, as parse_reason does).
      local x, once = {}, {}
      for _ = 1, rnd(3) do
        local v = value(rnd)
        local p = v.protocol:lower()
        if (p ~= "sip" and p ~= "q.850") or not once[p] then
          once[p] = true
          x[#x + 1] = v
        end
      end
      local s = assert(sip.format_reason(x))
      local y, err = sip.parse_reason(s)
      assert.is_nil(err, s)
      assert.are.same(x, y)
      -- and formatting is stable
      assert.are.equal(s, sip.format_reason(y))
      assert.are.same(x, sip.parse_reason("Reason: " .. s .. "\r\n"))
    end
  end)

  it("gives a single value back as a list of one", function()
    local v = { protocol = "Q.850", cause = 16, text = "Terminated", location = "LN", params = { a = true } }
    assert.are.same({ v }, sip.parse_reason(sip.format_reason(v)))
  end)
end)

describe("sipcodes.best_response", function()
  local best = sip.best_response

  it("follows the RFC's own example: 503, 407, 501, 404 -> 407 (§16.7 step 6)", function()
    assert.are.equal(407, best({ 503, 407, 501, 404 }))
    check_integer(best({ 503, 407, 501, 404 }))
  end)

  it("gives 408 when no final response came (§16.7 step 6, §16.8)", function()
    assert.are.equal(408, best({}))
    assert.are.equal(408, best({ 100, 180, 183 }))
    assert.are.same({ 408, nil }, { best({ { code = 180 } }) })
  end)

  it("ignores provisional codes and codes outside 100-699", function()
    assert.are.equal(486, best({ 180, 0, -5, 99, 700, 999, 486, 1000 }))
    assert.are.equal(408, best({ 700, 701, 99 }))
  end)

  it("picks a 2xx over anything (§16.7 step 5)", function()
    assert.are.equal(200, best({ 603, 486, 200, 503 }))
    assert.are.equal(200, best({ 486, 202, 200 }))
  end)

  it("picks a 6xx over 3xx-5xx, the lowest 6xx", function()
    assert.are.equal(603, best({ 302, 401, 500, 603 }))
    assert.are.equal(600, best({ 604, 603, 600 }))
    assert.are.equal(600, best({ 503, 600 }))
  end)

  it("else picks from the lowest class", function()
    assert.are.equal(302, best({ 500, 486, 302 }))
    assert.are.equal(486, best({ 500, 486 }))
    assert.are.equal(486, best({ 503, 486 }))
  end)

  it("prefers 401, 407, 415, 420, 484 within 4xx, in that order", function()
    assert.are.equal(484, best({ 400, 404, 484 }))
    assert.are.equal(407, best({ 484, 420, 415, 407 }))
    assert.are.equal(401, best({ 407, 401 }))
    assert.are.equal(415, best({ 420, 415 }))
    assert.are.equal(420, best({ 403, 484, 499, 420 }))
  end)

  it("otherwise picks the lowest code of the class", function()
    assert.are.equal(404, best({ 486, 404, 480 }))
    assert.are.equal(301, best({ 302, 301, 380 }))
    assert.are.equal(502, best({ 504, 502, 580 }))
  end)

  it("ranks 503 after every other 5xx, and makes only-503 a 500", function()
    assert.are.equal(504, best({ 503, 504 }))
    assert.are.equal(599, best({ 503, 599, 503 }))
    assert.are.equal(500, best({ 500, 503 }))
    assert.are.equal(500, best({ 503 }))
    assert.are.equal(500, best({ 503, 503, 180 }))
  end)

  it("returns the chosen table when the list holds tables", function()
    local a, b, c = { code = 503, id = "a" }, { code = 407, id = "b" }, { code = 404, id = "c" }
    local code, chosen = best({ a, b, c })
    assert.are.equal(407, code)
    assert.are.equal(b, chosen)
    local first, second = { code = 486 }, { code = 486 }
    assert.are.equal(first, select(2, best({ first, second })))
    -- made-up answers have no element
    assert.are.same({ 500, nil }, { best({ { code = 503 } }) })
    assert.are.same({ 408, nil }, { best({ { code = 183 } }) })
    -- a mixed list gives the element, whichever it is
    assert.are.same({ 404, 404 }, { best({ { code = 486 }, 404 }) })
    -- one value only for a plain list
    assert.are.equal(1, select("#", best({ 486 })))
    assert.are.equal(2, select("#", best({ { code = 486 } })))
  end)

  it("reads code through __index, as objects have it", function()
    local obj = setmetatable({}, { __index = { code = 486 } })
    assert.are.equal(obj, select(2, best({ obj })))
  end)

  it("raises on misuse", function()
    local f = "bad argument #1 to 'best_response' "
    assert.has_error(function() sip.best_response() end, f .. "(table expected, got no value)")
    assert.has_error(function() sip.best_response(486) end, f .. "(table expected, got number)")
    assert.has_error(function() sip.best_response({ 486, "x" }) end,
      f .. "([2]: integer or table expected, got string)")
    assert.has_error(function() sip.best_response({ 486, {} }) end, f .. "([2].code: integer expected, got nil)")
    -- Codes by the one rule: numerals count, other strings do not.
    assert.are.equal(486, (sip.best_response({ { code = "486" } })))
    assert.are.equal(603, sip.best_response({ "486", " 603 " }))
    assert.has_error(function() sip.best_response({ { code = "busy" } }) end,
      f .. "([1].code: integer expected, got string)")
    assert.has_error(function() sip.best_response({ "486.5" }) end,
      f .. "([1]: number has no integer representation)")
    assert.has_error(function() sip.best_response({ 486.5 }) end, f .. "([1]: number has no integer representation)")
    assert.has_error(function() sip.best_response({ { code = 0 / 0 } }) end,
      f .. "([1].code: number has no integer representation)")
    assert.has_error(function() sip.best_response({ 2 ^ 40 }) end, f .. "([1]: number has no integer representation)")
    assert.has_error(function() sip.best_response({}, 1) end,
      "bad argument #2 to 'best_response' (no more than 1 argument expected, got 2)")
  end)
end)

describe("sipcodes.required_headers", function()
  local req = sip.required_headers

  it("lists the header fields of every code in the table", function()
    local want = {
      [300] = { { name = "Contact", level = "should", rfc = "RFC 3261 §21.3.1" } },
      [301] = { { name = "Contact", level = "should", rfc = "RFC 3261 §21.3.2" } },
      [302] = { { name = "Contact", level = "should", rfc = "RFC 3261 §21.3.3" } },
      [305] = { { name = "Contact", level = "should", rfc = "RFC 3261 §21.3.4" } },
      [401] = { { name = "WWW-Authenticate", level = "must", rfc = "RFC 3261 §22.2" } },
      [405] = { { name = "Allow", level = "must", rfc = "RFC 3261 §21.4.6" } },
      [407] = { { name = "Proxy-Authenticate", level = "must", rfc = "RFC 3261 §22.3" } },
      [413] = { { name = "Retry-After", level = "should", rfc = "RFC 3261 §21.4.11" } },
      [415] = { { name = "Accept", level = "should", rfc = "RFC 3261 §21.4.13" },
                { name = "Accept-Encoding", level = "should", rfc = "RFC 3261 §21.4.13" },
                { name = "Accept-Language", level = "should", rfc = "RFC 3261 §21.4.13" } },
      [420] = { { name = "Unsupported", level = "must", rfc = "RFC 3261 §21.4.15" } },
      [421] = { { name = "Require", level = "must", rfc = "RFC 3261 §21.4.16" } },
      [422] = { { name = "Min-SE", level = "must", rfc = "RFC 4028 §6" } },
      [423] = { { name = "Min-Expires", level = "must", rfc = "RFC 3261 §20 (Table 2)" } },
      [469] = { { name = "Recv-Info", level = "must", rfc = "RFC 6086 §4.2.2" } },
      [470] = { { name = "Permission-Missing", level = "should", rfc = "RFC 5360" } },
      [494] = { { name = "Security-Server", level = "must", rfc = "RFC 3329 §2.3.1" } },
    }
    for code = 100, 699 do
      if sip.is_known(code) then
        assert.are.same(want[code] or {}, req(code), code)
      else
        assert.is_nil(want[code], code)
      end
    end
  end)

  it("gives an empty list for a known code without rules", function()
    for _, code in ipairs({ 100, 200, 380, 404, 485, 503, 701 }) do
      assert.are.same({}, req(code))
    end
  end)

  it("gives nil for a code that is not known", function()
    for _, code in ipairs({ 0, 99, 499, 699, 700, 799, -1, 100000 }) do
      assert.is_nil(req(code))
      assert.are.equal(1, select("#", req(code)))
    end
  end)

  it("gives a fresh table each time", function()
    local a = req(405)
    a[1].name = "changed"
    assert.are.equal("Allow", req(405)[1].name)
  end)

  it("raises on misuse", function()
    assert.has_error(function() sip.required_headers() end,
      "bad argument #1 to 'required_headers' (integer expected, got no value)")
    assert.has_error(function() sip.required_headers("x") end,
      "bad argument #1 to 'required_headers' (integer expected, got string)")
    assert.has_error(function() sip.required_headers(405.5) end,
      "bad argument #1 to 'required_headers' (number has no integer representation)")
    assert.has_error(function() sip.required_headers(405, 1) end,
      "bad argument #2 to 'required_headers' (no more than 1 argument expected, got 2)")
  end)
end)
