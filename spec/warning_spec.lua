-- The Warning header through require "sipcodes" (RFC 3261 §20.43): the
-- warn-code registry (warning_text, warning_info), parse_warning and
-- format_warning, every grammar rule from both sides, the error messages
-- with their byte positions, the limits, round trips, the argument errors
-- and the @usage lines of their documentation.  Every expected value is a
-- literal typed here, never the module's own output.
local before_globals = {}
for k in pairs(_G) do before_globals[k] = true end

local sip = require "sipcodes"
local math_type = rawget(math, "type") -- 5.3+
local unpack = rawget(table, "unpack") or rawget(_G, "unpack")

local function check_integer(v)
  if math_type then
    assert.are.equal("integer", math_type(v))
  end
end

-- IANA's "Warning Codes (warn-codes)" registry, typed out: code, text as
-- registered, reference; then our German text and group.
local REGISTRY = {
  { 300, "Incompatible network protocol", "RFC 3261",
    "Inkompatibles Netzwerkprotokoll", "session_description" },
  { 301, "Incompatible network address formats", "RFC 3261",
    "Inkompatible Netzwerkadressformate", "session_description" },
  { 302, "Incompatible transport protocol", "RFC 3261",
    "Inkompatibles Transportprotokoll", "session_description" },
  { 303, "Incompatible bandwidth units", "RFC 3261",
    "Inkompatible Bandbreiteneinheiten", "session_description" },
  { 304, "Media type not available", "RFC 3261",
    "Medientyp nicht verf\195\188gbar", "session_description" },
  { 305, "Incompatible media format", "RFC 3261",
    "Inkompatibles Medienformat", "session_description" },
  { 306, "Attribute not understood", "RFC 3261",
    "Attribut nicht verstanden", "session_description" },
  { 307, "Session description parameter not understood", "RFC 3261",
    "Parameter der Sitzungsbeschreibung nicht verstanden", "session_description" },
  { 308, "Incompatible language specification", "RFC 8373",
    "Inkompatible Sprachangabe", "session_description" },
  { 330, "Multicast not available", "RFC 3261",
    "Multicast nicht verf\195\188gbar", "network_services" },
  { 331, "Unicast not available", "RFC 3261",
    "Unicast nicht verf\195\188gbar", "network_services" },
  { 370, "Insufficient bandwidth", "RFC 3261",
    "Unzureichende Bandbreite", "quality_of_service" },
  { 380, "SIPS Not Allowed", "RFC 5630", "SIPS nicht erlaubt", "miscellaneous" },
  { 381, "SIPS Required", "RFC 5630", "SIPS erforderlich", "miscellaneous" },
  { 399, "Miscellaneous warning", "RFC 3261", "Sonstige Warnung", "miscellaneous" },
}

describe("sipcodes Warning", function()
  it("creates no global", function()
    for k in pairs(_G) do
      assert.is_true(before_globals[k], "new global " .. tostring(k))
    end
  end)

  it("is four functions of the module", function()
    local core = require "sipcodes.core"
    for _, name in ipairs({ "warning_text", "warning_info", "parse_warning", "format_warning" }) do
      assert.are.equal("function", type(sip[name]), name)
      assert.are.equal(core[name], sip[name], name)
    end
  end)
end)

describe("sipcodes.warning_text and sipcodes.warning_info against the IANA copy", function()
  -- spec/fixtures/warning-codes.tsv: a committed copy of the reference
  -- file of the IANA "Warning Codes (warn-codes)" registry (code, text,
  -- reference, group), read as it is, checked in both directions.
  local rows = require("fixtures").read_tsv("warning-codes.tsv")

  it("has every row of the copy, with its text and RFC", function()
    local n = 0
    for _, row in ipairs(rows) do
      local code = tonumber(row.code)
      assert.are.equal(row.text, sip.warning_text(code), row.code)
      local info = sip.warning_info(code)
      assert.are.equal(code, info.code)
      assert.are.equal(row.text, info.text, row.code)
      assert.are.equal(row.reference, info.rfc, row.code)
      n = n + 1
    end
    assert.are.equal(15, n)
  end)

  it("has no warn-code the copy lacks", function()
    local listed = {}
    for _, row in ipairs(rows) do listed[tonumber(row.code)] = true end
    local n = 0
    for code = 0, 999 do
      if sip.warning_text(code) ~= nil then
        assert.is_true(listed[code], "warn-code " .. code .. " is not in the IANA copy")
        n = n + 1
      end
    end
    assert.are.equal(15, n)
  end)

  it("agrees with the typed-out table below, row for row", function()
    assert.are.equal(#rows, #REGISTRY)
    for i, row in ipairs(rows) do
      assert.are.equal(tonumber(row.code), REGISTRY[i][1])
      assert.are.equal(row.text, REGISTRY[i][2])
      assert.are.equal(row.reference, REGISTRY[i][3])
    end
  end)
end)

describe("sipcodes.warning_text and sipcodes.warning_info", function()
  it("hold every row of the registry", function()
    assert.are.equal(15, #REGISTRY)
    for _, row in ipairs(REGISTRY) do
      local code, text, rfc, text_de, group = unpack(row)
      assert.are.equal(text, sip.warning_text(code), code)
      assert.are.equal(text, sip.warning_text(code, "en"), code)
      assert.are.equal(text_de, sip.warning_text(code, "de"), code)
      local info = sip.warning_info(code)
      assert.are.same({ code = code, text = text, text_de = text_de, rfc = rfc,
                        group = group, automatic = code ~= 399 }, info)
      check_integer(info.code)
    end
  end)

  it("marks only 399 as one no receiver may act on by itself", function()
    assert.is_false(sip.warning_info(399).automatic)
    assert.is_true(sip.warning_info(370).automatic)
    assert.is_true(sip.warning_info(381).automatic)
  end)

  it("spells out the German texts", function()
    assert.are.equal("Unzureichende Bandbreite", sip.warning_text(370, "de"))
    assert.are.equal("Sonstige Warnung", sip.warning_text(399, "de"))
    assert.are.equal("SIPS erforderlich", sip.warning_text(381, "de"))
    assert.are.equal("Medientyp nicht verf\195\188gbar", sip.warning_text(304, "de"))
  end)

  it("gives a single nil for every other code", function()
    local registered = {}
    for _, row in ipairs(REGISTRY) do registered[row[1]] = true end
    local found = 0
    for code = -100, 1100 do
      if registered[code] then
        found = found + 1
      else
        assert.is_nil(sip.warning_text(code), code)
        assert.is_nil(sip.warning_text(code, "de"), code)
        assert.are.equal(1, select("#", sip.warning_info(code)), code)
        assert.is_nil(sip.warning_info(code), code)
      end
    end
    assert.are.equal(15, found)
    assert.is_nil(sip.warning_text(2147483647))
    assert.is_nil(sip.warning_info(-2147483648))
  end)

  it("reads a code as every function does: numbers with an int value, numerals", function()
    assert.are.equal("Insufficient bandwidth", sip.warning_text(370.0))
    assert.are.equal("Insufficient bandwidth", sip.warning_text("370"))
    assert.are.equal("Insufficient bandwidth", sip.warning_text(" 370 "))
    assert.are.equal(370, sip.warning_info("370").code)
  end)

  it("gives a fresh table every time", function()
    local a, b = sip.warning_info(399), sip.warning_info(399)
    assert.are_not.equal(a, b)
    a.text = "changed"
    assert.are.equal("Miscellaneous warning", sip.warning_info(399).text)
  end)

  it("raises for a wrong argument, as every function does", function()
    local function raises(f, msg, ...)
      local args = { n = select("#", ...), ... }
      assert.has_error(function() f(unpack(args, 1, args.n)) end, msg)
    end
    raises(sip.warning_text, "bad argument #1 to 'warning_text' (integer expected, got no value)")
    raises(sip.warning_text, "bad argument #1 to 'warning_text' (integer expected, got string)", "x")
    raises(sip.warning_text, "bad argument #1 to 'warning_text' (integer expected, got table)", {})
    raises(sip.warning_text, "bad argument #1 to 'warning_text' (integer expected, got nil)", nil)
    raises(sip.warning_text, "bad argument #1 to 'warning_text' (number has no integer representation)",
           370.5)
    raises(sip.warning_text, "bad argument #1 to 'warning_text' (number has no integer representation)",
           0 / 0)
    raises(sip.warning_text, "bad argument #1 to 'warning_text' (number has no integer representation)",
           2 ^ 40)
    raises(sip.warning_text, "bad argument #2 to 'warning_text' (invalid option 'fr')", 370, "fr")
    raises(sip.warning_text, "bad argument #2 to 'warning_text' (invalid option 'EN')", 370, "EN")
    raises(sip.warning_text, "bad argument #2 to 'warning_text' (string expected, got number)", 370, 1)
    raises(sip.warning_text, "bad argument #2 to 'warning_text' (string expected, got table)", 370, {})
    raises(sip.warning_text,
           "bad argument #3 to 'warning_text' (no more than 2 arguments expected, got 3)",
           370, "en", nil)
    raises(sip.warning_info, "bad argument #1 to 'warning_info' (integer expected, got no value)")
    raises(sip.warning_info, "bad argument #1 to 'warning_info' (integer expected, got boolean)", true)
    raises(sip.warning_info, "bad argument #1 to 'warning_info' (number has no integer representation)",
           399.25)
    raises(sip.warning_info,
           "bad argument #2 to 'warning_info' (no more than 1 argument expected, got 2)", 399, "de")
    raises(sip.warning_info,
           "bad argument #2 to 'warning_info' (no more than 1 argument expected, got 2)", 399, nil)
  end)
end)

describe("sipcodes.parse_warning", function()
  local parse = sip.parse_warning

  it("parses RFC 3261's examples", function()
    local t = parse("307 isi.edu \"Session parameter 'foo' not understood\"")
    assert.are.same({ { code = 307, agent = "isi.edu",
                        text = "Session parameter 'foo' not understood" } }, t)
    check_integer(t[1].code)
    assert.are.same({ { code = 301, agent = "isi.edu",
                        text = "Incompatible network address type 'E.164'" } },
                    parse("Warning: 301 isi.edu \"Incompatible network address type 'E.164'\""))
  end)

  it("takes a value or a whole line, the name in any case, a final CRLF", function()
    local want = { { code = 370, agent = "gw", text = "x" } }
    assert.are.same(want, parse('370 gw "x"'))
    assert.are.same(want, parse('Warning: 370 gw "x"'))
    assert.are.same(want, parse('warning:370 gw "x"\r\n'))
    assert.are.same(want, parse('WARNING \t:\t 370 gw "x"'))
    assert.are.same(want, parse('  370 gw "x"  '))
  end)

  it("reads several values in order; commas inside the text are text", function()
    assert.are.same({
      { code = 300, agent = "a", text = "one, two" },
      { code = 301, agent = "b", text = "three" },
      { code = 302, agent = "c", text = "" },
      { code = 300, agent = "a", text = "again" },
    }, parse('Warning: 300 a "one, two", 301 b "three" ,302 c "",300 a "again"'))
  end)

  it("takes any three digits, registered or not", function()
    assert.are.same({ { code = 392, agent = "10.0.0.1:5060",
                        text = "Noisy feedback tells: pid=7 req_src_ip=10.0.0.2" } },
                    parse('392 10.0.0.1:5060 "Noisy feedback tells: pid=7 req_src_ip=10.0.0.2"'))
    local t = parse('000 a "x", 042 b "y", 999 c "z"')
    assert.are.same({ 0, 42, 999 }, { t[1].code, t[2].code, t[3].code })
    check_integer(t[2].code)
  end)

  it("reads every kind of warn-agent", function()
    for _, agent in ipairs({ "isi.edu", "gw.example.com:5070", "example.com.", "example.com.:5060",
                             "192.0.2.1", "192.0.2.1:5060", "[::1]", "[::1]:5060",
                             "[2001:db8::10]:65535", "[::ffff:192.0.2.1]", "proxy_7",
                             "%!*+`'~_.", "-x-", "a:99999999999999999999" }) do
      assert.are.same({ { code = 399, agent = agent, text = "t" } },
                      parse("399 " .. agent .. ' "t"'), agent)
    end
  end)

  it("undoes the escapes of the text and reads folding as one SP", function()
    assert.are.equal('say "hi" \\ x', parse('399 a "say \\"hi\\" \\\\ \\x"')[1].text)
    assert.are.equal("Gr\195\188\195\159\te \226\130\172 <sip:a@b>;,=()",
                     parse('399 a "Gr\195\188\195\159\te \226\130\172 <sip:a@b>;,=()"')[1].text)
    assert.are.equal("one two", parse('399 a "one\r\n  two"')[1].text)
    assert.are.equal("a\1b", parse('399 a "a\\\1b"')[1].text)
  end)

  it("takes linear white space where the grammar has SP, and around commas", function()
    assert.are.same({ { code = 399, agent = "a", text = "x" }, { code = 300, agent = "b", text = "y" } },
                    parse('Warning:\r\n 399\t\t a  \r\n "x"\r\n ,\r\n 300 \r\n\tb "y"\r\n'))
  end)

  it("says what is wrong and where", function()
    local cases = {
      { "", "warning: expected 3-digit warn-code at byte 1" },
      { "   ", "warning: expected 3-digit warn-code at byte 4" },
      { "Warning:", "warning: expected 3-digit warn-code at byte 9" },
      { "Warning: ", "warning: expected 3-digit warn-code at byte 10" },
      { "Warning", "warning: expected ':' after the header name at byte 8" },
      { 'Warning 399 a "x"', "warning: expected ':' after the header name at byte 9" },
      { 'Warnings: 399 a "x"', "warning: expected ':' after the header name at byte 8" },
      { 'Reason: 399 a "x"', "warning: expected 3-digit warn-code at byte 1" },
      { '39 a "x"', "warning: expected 3-digit warn-code at byte 3" },
      { '3x9 a "x"', "warning: expected 3-digit warn-code at byte 2" },
      { '"x"', "warning: expected 3-digit warn-code at byte 1" },
      { '3999 a "x"', "warning: expected SP after warn-code at byte 4" },
      { "399", "warning: expected SP after warn-code at byte 4" },
      { '399a "x"', "warning: expected SP after warn-code at byte 4" },
      { "399 ", "warning: expected warn-agent at byte 5" },
      { '399  "x"', "warning: expected warn-agent at byte 6" },
      { '399 <a> "x"', "warning: expected warn-agent at byte 5" },
      { '399 [zz] "x"', "warning: invalid IPv6 reference in warn-agent at byte 5" },
      { '399 [::1 "x"', "warning: invalid IPv6 reference in warn-agent at byte 5" },
      { '399 gw_1:5060 "x"', "warning: warn-agent with a port is not a host name or IP address at byte 5" },
      { '399 a..b:5060 "x"', "warning: warn-agent with a port is not a host name or IP address at byte 5" },
      { '399 1.2.3:5060 "x"', "warning: warn-agent with a port is not a host name or IP address at byte 5" },
      { '399 gw: "x"', "warning: expected port after ':' in warn-agent at byte 8" },
      { '399 [::1]: "x"', "warning: expected port after ':' in warn-agent at byte 11" },
      { '399 gw"x"', "warning: expected SP after warn-agent at byte 7" },
      { '399 gw:50:60 "x"', "warning: expected SP after warn-agent at byte 10" },
      { "399 gw", "warning: expected SP after warn-agent at byte 7" },
      { "399 gw ", "warning: expected quoted warn-text at byte 8" },
      { "399 gw x", "warning: expected quoted warn-text at byte 8" },
      { '399 gw "x', "warning: unterminated quoted string at byte 8" },
      { '399 gw "x\\"', "warning: unterminated quoted string at byte 8" },
      { '399 gw "a\1"', "warning: control character in quoted string at byte 10" },
      { '399 gw "a\0b"', "warning: control character in quoted string at byte 10" },
      { '399 gw "a\nb"', "warning: CR or LF in quoted string at byte 10" },
      { '399 gw "a\\\r"', "warning: invalid escape in quoted string at byte 10" },
      { '399 gw "a\255"', "warning: invalid UTF-8 in quoted string at byte 10" },
      { '399 gw "x" y', "warning: expected ',' at byte 12" },
      { '399 gw "x";p=1', "warning: expected ',' at byte 11" },
      { '399 gw "x" 300 a "y"', "warning: expected ',' at byte 12" },
      { '399 gw "x"\r\n300 a "y"', "warning: line break not followed by SP or HTAB at byte 11" },
      { '399 gw "x"\n', "warning: line break not followed by SP or HTAB at byte 11" },
      { '399 gw "x",', "warning: expected 3-digit warn-code at byte 12" },
      { '399 gw "x", , 300 a "y"', "warning: expected 3-digit warn-code at byte 13" },
      { ', 399 gw "x"', "warning: expected 3-digit warn-code at byte 1" },
      { '300 a "x", 301 b "y", 30 c "z"', "warning: expected 3-digit warn-code at byte 25" },
    }
    for _, c in ipairs(cases) do
      local res = { parse(c[1]) }
      assert.are.same({ nil, c[2] }, res, c[1])
    end
  end)

  it("takes 8192 bytes and refuses one more before reading it", function()
    local text = ("x"):rep(8192 - 8)
    assert.are.same({ { code = 399, agent = "a", text = text } }, parse('399 a "' .. text .. '"'))
    local many = ('300 a "", '):rep(819):sub(1, -3)
    assert.are.equal(8188, #many)
    local t = parse(many)
    assert.are.equal(819, #t)
    assert.are.same({ code = 300, agent = "a", text = "" }, t[819])
    assert.are.same({ nil, "warning: input longer than 8192 bytes at byte 8193" },
                    { parse('399 a "' .. text .. 'x"') })
    assert.are.same({ nil, "warning: input longer than 8192 bytes at byte 8193" },
                    { parse(("\0"):rep(1024 * 1024)) })
  end)

  it("raises for a wrong argument, as every function does", function()
    assert.has_error(function() parse(399) end,
      "bad argument #1 to 'parse_warning' (string expected, got number)")
    assert.has_error(function() parse() end,
      "bad argument #1 to 'parse_warning' (string expected, got no value)")
    assert.has_error(function() parse({}) end,
      "bad argument #1 to 'parse_warning' (string expected, got table)")
    assert.has_error(function() parse('399 a "x"', nil) end,
      "bad argument #2 to 'parse_warning' (no more than 1 argument expected, got 2)")
  end)

  it("gives a fresh table every time", function()
    local a, b = parse('399 a "x"'), parse('399 a "x"')
    assert.are_not.equal(a, b)
    assert.are_not.equal(a[1], b[1])
  end)
end)

describe("sipcodes.format_warning", function()
  local format = sip.format_warning

  it("writes one value or a list of them", function()
    assert.are.equal('370 gw.example.com:5060 "Insufficient bandwidth"',
                     format({ code = 370, agent = "gw.example.com:5060", text = "Insufficient bandwidth" }))
    assert.are.equal('307 isi.edu "Session parameter \'foo\' not understood", 399 [::1]:5060 ""',
                     format({ { code = 307, agent = "isi.edu", text = "Session parameter 'foo' not understood" },
                              { code = 399, agent = "[::1]:5060", text = "" } }))
    assert.are.equal('399 a "x"', format({ { code = 399, agent = "a", text = "x" } }))
    assert.are.equal('399 a "x"', format({ code = 399.0, agent = "a", text = "x" }))
  end)

  it("writes any code from 0 to 999 as three digits", function()
    assert.are.equal('000 a ""', format({ code = 0, agent = "a", text = "" }))
    assert.are.equal('042 a ""', format({ code = 42, agent = "a", text = "" }))
    assert.are.equal('392 10.0.0.1:5060 "Noisy feedback"',
                     format({ code = 392, agent = "10.0.0.1:5060", text = "Noisy feedback" }))
    assert.are.equal('999 a ""', format({ code = 999, agent = "a", text = "" }))
  end)

  it("quotes the text, escaping quotes and backslashes", function()
    assert.are.equal('399 a "say \\"hi\\" \\\\ bye"', format({ code = 399, agent = "a", text = 'say "hi" \\ bye' }))
    assert.are.equal('399 a "\tGr\195\188\195\159, (ok); <sip:a@b>"',
                     format({ code = 399, agent = "a", text = "\tGr\195\188\195\159, (ok); <sip:a@b>" }))
  end)

  it("gives nil and a message for data it cannot write", function()
    local function refused(msg, v)
      assert.are.same({ nil, msg }, { format(v) })
    end
    refused("code must be an integer from 0 to 999", { code = 1000, agent = "a", text = "" })
    refused("code must be an integer from 0 to 999", { code = -1, agent = "a", text = "" })
    refused("code must be an integer from 0 to 999", { code = 399.5, agent = "a", text = "" })
    refused("code must be an integer from 0 to 999", { code = 0 / 0, agent = "a", text = "" })
    refused("code must be an integer from 0 to 999", { code = 2 ^ 53, agent = "a", text = "" })
    refused("agent must be a host, host:port or token", { code = 399, agent = "", text = "" })
    refused("agent must be a host, host:port or token", { code = 399, agent = "a b", text = "" })
    refused("agent must be a host, host:port or token", { code = 399, agent = "gw_1:5060", text = "" })
    refused("agent must be a host, host:port or token", { code = 399, agent = "[::1]:", text = "" })
    refused("agent must be a host, host:port or token",
            { code = 399, agent = 'a "x", 300 b', text = "" })
    refused("text: CR or LF in quoted text at byte 2",
            { code = 399, agent = "a", text = "x\r\nVia: evil" })
    refused("text: control character in quoted text at byte 3", { code = 399, agent = "a", text = "ab\0" })
    refused("text: invalid UTF-8 in quoted text at byte 1", { code = 399, agent = "a", text = "\255" })
    refused("value 2: agent must be a host, host:port or token",
            { { code = 399, agent = "a", text = "" }, { code = 399, agent = "a b", text = "" } })
    refused("value 3: text: CR or LF in quoted text at byte 1",
            { { code = 300, agent = "a", text = "" }, { code = 301, agent = "b", text = "" },
              { code = 302, agent = "c", text = "\n" } })
    refused("value 2: code must be an integer from 0 to 999",
            { { code = 300, agent = "a", text = "" }, { code = 3000, agent = "b", text = "" } })
    refused("no warning values (need a value or a non-empty list)", {})
    refused("warning header longer than 8192 bytes",
            { code = 399, agent = "a", text = ("x"):rep(8192 - 7) })
    refused("warning header longer than 8192 bytes",
            { code = 399, agent = "a", text = ("x"):rep(100000) })
    refused("warning header longer than 8192 bytes",
            { code = 399, agent = ("a"):rep(8192), text = "" })
    local list = {}
    for i = 1, 819 do list[i] = { code = 300, agent = "a", text = "" } end
    assert.are.equal(8188, #format(list))
    -- ", " and 10 more bytes: 8200, past the limit, which is the header's
    list[820] = { code = 300, agent = "a", text = "xx" }
    refused("warning header longer than 8192 bytes", list)
  end)

  it("writes at most 8192 bytes", function()
    assert.are.equal(8192, #format({ code = 399, agent = "a", text = ("x"):rep(8192 - 8) }))
    assert.are.equal(8192, #format({ code = 399, agent = "a", text = ("\\"):rep(4092) }))
    assert.are.same({ nil, "warning header longer than 8192 bytes" },
                    { format({ code = 399, agent = "a", text = ("\\"):rep(4093) }) })
  end)

  it("raises for a wrong type, an unknown field or a list with a hole", function()
    local function raises(msg, ...)
      local args = { n = select("#", ...), ... }
      assert.has_error(function() format(unpack(args, 1, args.n)) end,
                       "bad argument #" .. msg)
    end
    raises("1 to 'format_warning' (table expected, got no value)")
    raises("1 to 'format_warning' (table expected, got string)", '399 a "x"')
    raises("1 to 'format_warning' (table expected, got number)", 399)
    raises("2 to 'format_warning' (no more than 1 argument expected, got 2)",
           { code = 399, agent = "a", text = "" }, nil)
    raises("1 to 'format_warning' (code: number expected, got string)",
           { code = "399", agent = "a", text = "" })
    raises("1 to 'format_warning' (code: number expected, got nil)", { agent = "a", text = "" })
    raises("1 to 'format_warning' (agent: string expected, got nil)", { code = 399, text = "" })
    raises("1 to 'format_warning' (agent: string expected, got number)",
           { code = 399, agent = 1, text = "" })
    raises("1 to 'format_warning' (text: string expected, got nil)", { code = 399, agent = "a" })
    raises("1 to 'format_warning' (text: string expected, got table)",
           { code = 399, agent = "a", text = {} })
    raises("1 to 'format_warning' (unknown field 'txt')", { code = 399, agent = "a", txt = "" })
    raises("1 to 'format_warning' (unknown field 'Code')", { Code = 399, agent = "a", text = "" })
    raises("1 to 'format_warning' (unknown field of type boolean)",
           { code = 399, agent = "a", text = "", [true] = 1 })
    raises("1 to 'format_warning' ([2]: table expected, got string)",
           { { code = 399, agent = "a", text = "" }, "300 b \"\"" })
    raises("1 to 'format_warning' ([2]: table expected, got nil)",
           { { code = 399, agent = "a", text = "" }, nil, { code = 300, agent = "b", text = "" } })
    raises("1 to 'format_warning' ([2].agent: string expected, got nil)",
           { { code = 399, agent = "a", text = "" }, { code = 300, text = "" } })
    raises("1 to 'format_warning' ([1]: unknown field 'params')",
           { { code = 399, agent = "a", text = "", params = {} } })
  end)

  it("reads fields made by __index, the strings kept alive while it writes", function()
    local v = setmetatable({}, { __index = function(_, k)
      collectgarbage("step")
      if k == "code" then return 370 end
      if k == "agent" then return ("gw"):rep(2) .. ".example.com" end
      if k == "text" then return ("slow "):rep(3) .. tostring(#k) end
    end })
    for _ = 1, 50 do
      assert.are.equal('370 gwgw.example.com "slow slow slow 4"', format(v))
      assert.are.equal('370 gwgw.example.com "slow slow slow 4", 370 gwgw.example.com "slow slow slow 4"',
                       format({ v, v }))
    end
  end)
end)

describe("sipcodes.parse_warning(sipcodes.format_warning(x))", function()
  it("gives x back", function()
    local cases = {
      { code = 370, agent = "gw.example.com:5060", text = "Insufficient bandwidth" },
      { code = 0, agent = "a", text = "" },
      { code = 42, agent = "192.0.2.1", text = 'say "hi" \\ bye' },
      { code = 399, agent = "[::1]:5060", text = "\tGr\195\188\195\159, (ok); <sip:a@b>" },
      { code = 999, agent = "proxy_7!%*+`'~", text = " padded " },
    }
    for _, v in ipairs(cases) do
      assert.are.same({ v }, sip.parse_warning(sip.format_warning(v)))
    end
    assert.are.same(cases, sip.parse_warning(sip.format_warning(cases)))
  end)

  it("formats what it parsed to a fixed point", function()
    local cases = {
      { "Warning: 370 gw.example.com:5060 \"Insufficient bandwidth\"\r\n",
        '370 gw.example.com:5060 "Insufficient bandwidth"' },
      { 'warning:399 [::1]:5060 "a \\"b\\" \\\\ c \\d"', '399 [::1]:5060 "a \\"b\\" \\\\ c d"' },
      { 'Warning:\r\n 399\t\t a  \r\n "x\r\n y"\r\n ,\r\n 300 \r\n\tb ""',
        '399 a "x y", 300 b ""' },
      { '042 192.0.2.1 "one, two",000 -x- "" , 999 a.b.:1 "()"',
        '042 192.0.2.1 "one, two", 000 -x- "", 999 a.b.:1 "()"' },
    }
    for _, c in ipairs(cases) do
      local t = assert(sip.parse_warning(c[1]))
      local out = sip.format_warning(t)
      assert.are.equal(c[2], out)
      local again = assert(sip.parse_warning(out))
      assert.are.same(t, again)
      assert.are.equal(out, sip.format_warning(again))
    end
  end)
end)

describe("the documentation of the Warning functions", function()
  it("has @usage examples that give what they say", function()
    assert.are.equal(4, require("doc_examples").usage("csrc/lua_sipcodes_proto.c",
      "warning_text warning_info parse_warning format_warning", { sip = sip }))
  end)
end)
