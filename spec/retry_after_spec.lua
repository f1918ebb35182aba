-- The Retry-After header through require "sipcodes" (RFC 3261 §20.33):
-- parse_retry_after and format_retry_after, every grammar rule from both
-- sides, the error messages with their byte positions, the limits, round
-- trips, the argument errors, and the @usage lines of their documentation.
local before_globals = {}
for k in pairs(_G) do before_globals[k] = true end

local sip = require "sipcodes"
local math_type = rawget(math, "type") -- 5.3+
local unpack = rawget(table, "unpack") or rawget(_G, "unpack")
local INT_MAX = 2147483647

local function check_integer(v)
  if math_type then
    assert.are.equal("integer", math_type(v))
  end
end

describe("sipcodes Retry-After", function()
  it("creates no global", function()
    for k in pairs(_G) do
      assert.is_true(before_globals[k], "new global " .. tostring(k))
    end
  end)

  it("is two functions of the module", function()
    assert.are.equal("function", type(sip.parse_retry_after))
    assert.are.equal("function", type(sip.format_retry_after))
    local core = require "sipcodes.core"
    assert.are.equal(core.parse_retry_after, sip.parse_retry_after)
  end)
end)

describe("sipcodes.parse_retry_after", function()
  local parse = sip.parse_retry_after

  it("parses RFC 3261's examples", function()
    local t = parse("Retry-After: 18000;duration=3600")
    assert.are.same({ seconds = 18000, duration = 3600, params = {} }, t)
    check_integer(t.seconds)
    check_integer(t.duration)
    assert.are.same({ seconds = 120, comment = "I'm in a meeting", params = {} },
                    parse("Retry-After: 120 (I'm in a meeting)"))
  end)

  it("takes a value or a whole line, the name in any case, a final CRLF", function()
    local want = { seconds = 120, comment = "lunch", duration = 3600, params = {} }
    assert.are.same(want, parse("120 (lunch);duration=3600"))
    assert.are.same(want, parse("Retry-After: 120 (lunch);duration=3600"))
    assert.are.same(want, parse("retry-after:120 (lunch);duration=3600\r\n"))
    assert.are.same(want, parse("RETRY-AFTER \t:\t 120(lunch) ; DURATION = 3600"))
    assert.are.same({ seconds = 0, params = {} }, parse("0"))
    assert.are.same({ seconds = 7, params = {} }, parse("  007  "))
  end)

  it("reads the comment: nested, escaped, empty, spaced, UTF-8, folded", function()
    assert.are.equal("a (b (c)) d", parse("1 (a (b (c)) d)").comment)
    assert.are.equal("a ( b ) c \\ d", parse("1 (a \\( b \\) c \\\\ d)").comment)
    assert.are.equal("", parse("1 ()").comment)
    assert.are.equal(" spaced ", parse("1 ( spaced )").comment)
    assert.are.equal('Gr\195\188\195\159\t"q" <sip:x@y> ;,=',
                     parse('1 (Gr\195\188\195\159\t"q" <sip:x@y> ;,=)').comment)
    assert.are.equal("one two", parse("1 (one\r\n  two)").comment)
    assert.are.equal("a\1b", parse("1 (a\\\1b)").comment)
    assert.are.equal("(((((((x)))))))", parse("1 ((((((((x))))))))").comment)
  end)

  it("keeps the other parameters, as parse_reason does", function()
    assert.are.same({ seconds = 120, params = {
      flag = true, n = "1", host = "gw1.example.com", ip = "192.0.2.1", v6 = "[2001:db8::1]",
      q = 'a "b" c', e = "",
    } }, parse('120 ; flag ; n=1 ; host=gw1.example.com ; ip=192.0.2.1 ;'
               .. ' v6=[2001:db8::1] ; q="a \\"b\\" c"; e=""'))
    assert.are.same({ seconds = 1, duration = 7, params = { x = "1", Y = true } },
                    parse("1;x=1;DURATION=007;Y"))
  end)

  it("tolerates linear whitespace and folding around every separator", function()
    assert.are.same({ seconds = 120, comment = "x", duration = 60, params = { a = "b" } },
                    parse("Retry-After:\r\n 120\r\n (x)\r\n ;\r\n duration\r\n =\r\n 60"
                          .. "\r\n ;\r\n a\r\n =\r\n b\r\n"))
  end)

  it("reads delta-seconds beyond 2147483647 as 2147483647, on every interpreter", function()
    for _, s in ipairs({ "2147483647", "2147483648", "4294967296", "21474836470",
                         ("9"):rep(40), ("9"):rep(8192) }) do
      local t = parse(s)
      assert.are.equal(INT_MAX, t.seconds, s:sub(1, 20))
      check_integer(t.seconds)
    end
    assert.are.equal(2147483646, parse("2147483646").seconds)
    assert.are.equal(42, parse(("0"):rep(100) .. "42").seconds)
    local t = parse("1;duration=99999999999999")
    assert.are.equal(INT_MAX, t.duration)
    check_integer(t.duration)
  end)

  it("says what is wrong and where", function()
    local cases = {
      { "", "retry-after: expected delta-seconds at byte 1" },
      { "abc", "retry-after: expected delta-seconds at byte 1" },
      { "-1", "retry-after: expected delta-seconds at byte 1" },
      { "   ", "retry-after: expected delta-seconds at byte 4" },
      { "(x) 1", "retry-after: expected delta-seconds at byte 1" },
      { "Retry-After:", "retry-after: expected delta-seconds at byte 13" },
      { "Retry-After: x", "retry-after: expected delta-seconds at byte 14" },
      { "Retry-After 120", "retry-after: expected ':' after the header name at byte 13" },
      { "1.5", "retry-after: expected comment or ';' at byte 2" },
      { "120, 60", "retry-after: expected comment or ';' at byte 4" },
      { "120 (a)(b)", "retry-after: more than one comment at byte 8" },
      { "120 (a))", "retry-after: expected ';' at byte 8" },
      { "120;x=1 (c)", "retry-after: expected ';' at byte 9" },
      { "120 (a", "retry-after: unterminated comment at byte 5" },
      { "120 (a (b)", "retry-after: unterminated comment at byte 5" },
      { "120 (a\\)", "retry-after: unterminated comment at byte 5" },
      { "120 (a\1)", "retry-after: control character in comment at byte 7" },
      { "120 (a\0)", "retry-after: control character in comment at byte 7" },
      { "120 (a\nb)", "retry-after: CR or LF in comment at byte 7" },
      { "120 (a\\\r)", "retry-after: invalid escape in comment at byte 7" },
      { "120 (a\255)", "retry-after: invalid UTF-8 in comment at byte 7" },
      { "1 (((((((((x)))))))))", "retry-after: comment nested more than 8 deep at byte 11" },
      { "120\r\n;a", "retry-after: line break not followed by SP or HTAB at byte 4" },
      { "120;", "retry-after: expected parameter name at byte 5" },
      { "120;x=", "retry-after: expected parameter value at byte 7" },
      { '120;x="open', "retry-after: unterminated quoted string at byte 7" },
      { "120;x=[zz]", "retry-after: invalid IPv6 reference at byte 7" },
      { "120;duration", "retry-after: duration without a value at byte 5" },
      { "120;duration=abc", "retry-after: duration is not a number at byte 14" },
      { "120;duration=-1", "retry-after: duration is not a number at byte 14" },
      { '120;duration="60"', "retry-after: duration is not a number at byte 14" },
      { "120;duration=1;Duration=2", "retry-after: duplicate parameter at byte 16" },
      { "120;a;A=1", "retry-after: duplicate parameter at byte 7" },
      { "1;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p;q", "retry-after: more than 16 parameters at byte 35" },
      { "1;duration=1;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p",
        "retry-after: more than 16 parameters at byte 44" },
    }
    for _, c in ipairs(cases) do
      local t, err = parse(c[1])
      assert.is_nil(t, c[1])
      assert.are.equal(c[2], err, c[1])
    end
  end)

  it("takes 8192 bytes and refuses one more before reading it", function()
    local comment = ("x"):rep(8192 - 4)
    assert.are.same({ seconds = 1, comment = comment, params = {} }, parse("1 (" .. comment .. ")"))
    assert.are.same({ nil, "retry-after: input longer than 8192 bytes at byte 8193" },
                    { parse(("1"):rep(8193)) })
    assert.are.same({ nil, "retry-after: input longer than 8192 bytes at byte 8193" },
                    { parse(("\0"):rep(1024 * 1024)) })
  end)

  it("raises for a wrong argument, as every function does", function()
    assert.has_error(function() parse(120) end,
      "bad argument #1 to 'parse_retry_after' (string expected, got number)")
    assert.has_error(function() parse() end,
      "bad argument #1 to 'parse_retry_after' (string expected, got no value)")
    assert.has_error(function() parse({}) end,
      "bad argument #1 to 'parse_retry_after' (string expected, got table)")
    assert.has_error(function() parse("120", nil) end,
      "bad argument #2 to 'parse_retry_after' (no more than 1 argument expected, got 2)")
  end)

  it("gives a fresh table every time", function()
    local a, b = parse("1;x"), parse("1;x")
    assert.are_not.equal(a, b)
    assert.are_not.equal(a.params, b.params)
  end)
end)

describe("sipcodes.format_retry_after", function()
  local format = sip.format_retry_after

  it("writes the value", function()
    assert.are.equal("120", format(120))
    assert.are.equal("0", format(0))
    assert.are.equal("2147483647", format(2147483647))
    assert.are.equal("120", format(120.0))
    assert.are.equal("120", format("120"))
    assert.are.equal("120", format(120, {}))
    assert.are.equal("120", format(120, nil))
    assert.are.equal("120 (lunch);duration=3600", format(120, { comment = "lunch", duration = 3600 }))
    assert.are.equal("18000;duration=3600", format(18000, { duration = 3600 }))
    assert.are.equal("5;duration=0", format(5, { duration = 0 }))
    assert.are.equal("5 ()", format(5, { comment = "" }))
  end)

  it("keeps balanced parentheses of a comment bare and escapes the others", function()
    assert.are.equal("5 (a (b (c)) d)", format(5, { comment = "a (b (c)) d" }))
    assert.are.equal("5 (a \\( b)", format(5, { comment = "a ( b" }))
    assert.are.equal("5 (x\\) \\(y)", format(5, { comment = "x) (y" }))
    assert.are.equal("5 (back\\\\slash (ok))", format(5, { comment = "back\\slash (ok)" }))
    assert.are.equal("5 ((((((((x))))))))", format(5, { comment = "(((((((x)))))))" }))
    assert.are.equal("5 (\\(\\(\\(\\(\\(\\(\\(\\(x\\)\\)\\)\\)\\)\\)\\)\\))",
                     format(5, { comment = "((((((((x))))))))" }))
    assert.are.equal('5 (I\'m "here" <sip:a@b>; 50% \t\226\130\172)',
                     format(5, { comment = 'I\'m "here" <sip:a@b>; 50% \t\226\130\172' }))
  end)

  it("writes params sorted by name after the duration, quoting what is no token", function()
    assert.are.equal('60 (c);duration=5;B=[2001:db8::1];a;aa=gw.example.com;ab="two words";'
                     .. 'q="say \\"hi\\"";zeta=1',
                     format(60, { comment = "c", duration = 5, params = {
                       zeta = "1", a = true, ab = "two words", B = "[2001:db8::1]",
                       aa = "gw.example.com", q = 'say "hi"' } }))
    assert.are.equal('1;e=""', format(1, { params = { e = "" } }))
  end)

  it("writes at most 8192 bytes", function()
    assert.are.equal(8192, #format(1, { comment = ("x"):rep(8188) }))
    assert.are.equal(8192, #format(1, { comment = ("\\"):rep(4094) }))
  end)

  it("raises for what it cannot write so that it reads back the same", function()
    local function raises(msg, ...)
      local args = { n = select("#", ...), ... }
      assert.has_error(function() format(unpack(args, 1, args.n)) end,
                       "bad argument #" .. msg)
    end
    raises("1 to 'format_retry_after' (integer expected, got no value)")
    raises("1 to 'format_retry_after' (integer expected, got string)", "soon")
    raises("1 to 'format_retry_after' (integer expected, got table)", {})
    raises("1 to 'format_retry_after' (number has no integer representation)", 1.5)
    raises("1 to 'format_retry_after' (number has no integer representation)", 0 / 0)
    raises("1 to 'format_retry_after' (number has no integer representation)", 2 ^ 31)
    raises("1 to 'format_retry_after' (seconds must be 0 to 2147483647)", -1)
    raises("1 to 'format_retry_after' (seconds must be 0 to 2147483647)", -2 ^ 31)
    raises("2 to 'format_retry_after' (table expected, got string)", 1, "lunch")
    raises("2 to 'format_retry_after' (unknown option 'comments')", 1, { comments = "x" })
    raises("2 to 'format_retry_after' (unknown option 'seconds')", 1, { seconds = 1 })
    raises("2 to 'format_retry_after' (unknown option of type number)", 1, { "x" })
    raises("3 to 'format_retry_after' (no more than 2 arguments expected, got 3)", 1, nil, nil)
    raises("2 to 'format_retry_after' (option 'comment' must be a string)", 1, { comment = 1 })
    raises("2 to 'format_retry_after' (option 'duration' must be an integer from 0 to 2147483647)",
           1, { duration = "60" })
    raises("2 to 'format_retry_after' (option 'duration' must be an integer from 0 to 2147483647)",
           1, { duration = -1 })
    raises("2 to 'format_retry_after' (option 'duration' must be an integer from 0 to 2147483647)",
           1, { duration = 1.5 })
    raises("2 to 'format_retry_after' (option 'duration' must be an integer from 0 to 2147483647)",
           1, { duration = 2 ^ 31 })
    raises("2 to 'format_retry_after' (comment: CR or LF in comment at byte 2)",
           1, { comment = "a\r\nRetry-After: 0" })
    raises("2 to 'format_retry_after' (comment: control character in comment at byte 2)",
           1, { comment = "a\0" })
    raises("2 to 'format_retry_after' (comment: invalid UTF-8 in comment at byte 1)",
           1, { comment = "\255" })
    raises("2 to 'format_retry_after' (retry-after value longer than 8192 bytes)",
           1, { comment = ("x"):rep(8189) })
    raises("2 to 'format_retry_after' (retry-after value longer than 8192 bytes)",
           1, { comment = ("x"):rep(100000) })
    raises("2 to 'format_retry_after' (option 'params' must be a table)", 1, { params = "a=b" })
    raises("2 to 'format_retry_after' (params: string keys expected, got number)",
           1, { params = { "a" } })
    raises("2 to 'format_retry_after' (params.a: string or true expected, got number)",
           1, { params = { a = 1 } })
    raises("2 to 'format_retry_after' (params.a: string or true expected, got boolean)",
           1, { params = { a = false } })
    raises("2 to 'format_retry_after' (parameter 'a b': name is not a token)",
           1, { params = { ["a b"] = "1" } })
    raises("2 to 'format_retry_after' (parameter 'Duration': must be given as the duration)",
           1, { params = { Duration = "60" } })
    raises("2 to 'format_retry_after' (parameter 'a': repeats an earlier name (names ignore case))",
           1, { params = { a = "1", A = "2" } })
    raises("2 to 'format_retry_after' (params.a: CR or LF in quoted text at byte 2)",
           1, { params = { a = "x\ny" } })
    local many = {}
    for c in ("abcdefghijklmnop"):gmatch(".") do many[c] = true end
    assert.are.equal("1;a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p", format(1, { params = many }))
    raises("2 to 'format_retry_after' (more than 16 parameters)", 1, { duration = 1, params = many })
    many.q = true
    raises("2 to 'format_retry_after' (more than 16 parameters)", 1, { params = many })
  end)

  it("reads options made by __index, the strings kept alive while it writes", function()
    local opts = setmetatable({}, { __index = function(_, k)
      collectgarbage("step")
      if k == "comment" then return ("lunch "):rep(3) .. tostring(#k) end
      if k == "duration" then return 60 end
      if k == "params" then return { a = ("b"):rep(2) } end
    end })
    for _ = 1, 50 do
      assert.are.equal("1 (lunch lunch lunch 7);duration=60;a=bb", format(1, opts))
    end
  end)
end)

describe("sipcodes.parse_retry_after(sipcodes.format_retry_after(n, opts))", function()
  it("gives n and opts back", function()
    local cases = {
      { 0, nil },
      { 120, { comment = "lunch", duration = 3600 } },
      { INT_MAX, { duration = INT_MAX } },
      { 5, { comment = "" } },
      { 5, { comment = "a ( b" } },
      { 5, { comment = ")(" } },
      { 5, { comment = "\\" } },
      { 5, { comment = "a (b (c)) d \\ e" } },
      { 5, { comment = "((((((((x))))))))" } },
      { 5, { comment = " padded\t" } },
      { 5, { comment = 'Gr\195\188\195\159 "q"' } },
      { 60, { comment = "c", params = { zeta = "1", a = true, ab = "two words", B = "[::1]" } } },
      { 1, { params = { q = 'say "hi" \\ bye', e = "" } } },
    }
    for _, c in ipairs(cases) do
      local n, o = c[1], c[2] or {}
      local want = { seconds = n, comment = o.comment, duration = o.duration, params = o.params or {} }
      assert.are.same(want, sip.parse_retry_after(sip.format_retry_after(n, c[2])))
    end
  end)

  it("formats what it parsed to a fixed point", function()
    local cases = {
      { "Retry-After: 120 (lunch);duration=3600\r\n", "120 (lunch);duration=3600" },
      { "120(lunch)", "120 (lunch)" },
      { "120 (a \\( b)", "120 (a \\( b)" },
      { "120 (a \\(b\\))", "120 (a (b))" },
      { "120 (x\r\n y)", "120 (x y)" },
      { "007 ; DURATION = 05 ; z ; a=\"tok\" ; m=\"two words\"", '7;duration=5;a=tok;m="two words";z' },
      { "99999999999;duration=99999999999", "2147483647;duration=2147483647" },
    }
    for _, c in ipairs(cases) do
      local t = assert(sip.parse_retry_after(c[1]))
      local out = sip.format_retry_after(t.seconds, { comment = t.comment, duration = t.duration,
                                                      params = t.params })
      assert.are.equal(c[2], out)
      local again = assert(sip.parse_retry_after(out))
      assert.are.same(t, again)
      assert.are.equal(out, sip.format_retry_after(again.seconds, {
        comment = again.comment, duration = again.duration, params = again.params }))
    end
  end)
end)

describe("the documentation of parse_retry_after and format_retry_after", function()
  it("has @usage examples that give what they say", function()
    assert.are.equal(2, require("doc_examples").usage("csrc/lua_sipcodes_proto.c",
      "parse_retry_after format_retry_after", { sip = sip }))
  end)
end)
