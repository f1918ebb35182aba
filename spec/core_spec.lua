-- The registry and classification functions of require "sipcodes", with
-- their argument errors, on every interpreter.
local before_globals = {}
for k in pairs(_G) do before_globals[k] = true end

local sip = require "sipcodes"
local math_type = rawget(math, "type") -- 5.3+

describe("sipcodes", function()
  it("creates no global", function()
    for k in pairs(_G) do
      assert.is_true(before_globals[k], "new global " .. tostring(k))
    end
  end)

  it("carries the version of the rockspec", function()
    local found
    for _, dir in ipairs({ ".", ".." }) do
      local p = io.popen("ls " .. dir .. "/sipcodes-*.rockspec 2>/dev/null")
      local name = p:read("*l")
      p:close()
      if name then found = name break end
    end
    assert.is_not_nil(found)
    local f = assert(io.open(found))
    local text = f:read("*a")
    f:close()
    local version = text:match('\nversion%s*=%s*"([^"]+)%-%d+"')
    assert.are.equal(version, sip._VERSION)
    assert.is_truthy(found:find(version, 1, true))
  end)
end)

describe("sipcodes.reason", function()
  it("gives the registry phrase", function()
    assert.are.equal("Busy Here", sip.reason(486))
    assert.are.equal("OK", sip.reason(200))
    assert.are.equal("Accepted", sip.reason(202))
    assert.are.equal("Rejected", sip.reason(608))
  end)

  it("speaks German on request", function()
    assert.are.equal("Besetzt", sip.reason(486, "de"))
    assert.are.equal("Busy Here", sip.reason(486, "en"))
    assert.are.equal("Busy Here", sip.reason(486, nil))
  end)

  it("returns nil for an unknown code", function()
    assert.is_nil(sip.reason(499))
    assert.is_nil(sip.reason(0))
    assert.is_nil(sip.reason(-1))
    assert.is_nil(sip.reason(1000))
    assert.is_nil(sip.reason(99))
  end)

  it("accepts numeric strings as Lua coerces them", function()
    assert.are.equal("Busy Here", sip.reason("486"))
    assert.are.equal("Busy Here", sip.reason(" 486 "))
    assert.are.equal("Busy Here", sip.reason(486.0))
  end)

  it("raises on a wrong type", function()
    -- A missing argument and nil are told apart, on every interpreter and
    -- with or without the LuaJIT memo in front.
    assert.has_error(function() sip.reason() end,
      "bad argument #1 to 'reason' (integer expected, got no value)")
    assert.has_error(function() sip.reason(nil) end,
      "bad argument #1 to 'reason' (integer expected, got nil)")
    assert.has_error(function() sip.reason("abc") end,
      "bad argument #1 to 'reason' (integer expected, got string)")
    assert.has_error(function() sip.reason({}) end,
      "bad argument #1 to 'reason' (integer expected, got table)")
    assert.has_error(function() sip.reason(true) end,
      "bad argument #1 to 'reason' (integer expected, got boolean)")
  end)

  it("rejects numbers without an exact int value the same everywhere", function()
    for _, n in ipairs({ 486.5, 0 / 0, 1 / 0, -1 / 0, 2 ^ 31, -2 ^ 31 - 1, 2 ^ 53, 2 ^ 63 }) do
      assert.has_error(function() sip.reason(n) end,
        "bad argument #1 to 'reason' (number has no integer representation)")
    end
  end)

  it("raises on a bad language and on extra arguments", function()
    assert.has_error(function() sip.reason(486, "fr") end,
      "bad argument #2 to 'reason' (invalid option 'fr')")
    -- The option is shown printable and cut at 64 bytes.
    assert.has_error(function() sip.reason(486, "de\0x") end,
      "bad argument #2 to 'reason' (invalid option 'de?x')")
    assert.has_error(function() sip.reason(486, ("y"):rep(1000)) end,
      "bad argument #2 to 'reason' (invalid option '" .. ("y"):rep(64) .. "')")
    assert.has_error(function() sip.reason(486, {}) end,
      "bad argument #2 to 'reason' (string expected, got table)")
    assert.has_error(function() sip.reason(486, "en", 1) end,
      "bad argument #3 to 'reason' (no more than 2 arguments expected, got 3)")
    -- nil counts as an argument, as luaposix counts them.
    assert.has_error(function() sip.reason(486, nil, nil) end,
      "bad argument #3 to 'reason' (no more than 2 arguments expected, got 3)")
  end)
end)

describe("sipcodes.phrase", function()
  it("is the reason of a known code", function()
    assert.are.equal("Busy Here", sip.phrase(486))
    assert.are.equal("Besetzt", sip.phrase(486, "de"))
  end)

  it("falls back to the class heading for an unknown code", function()
    assert.are.equal("Provisional", sip.phrase(150))
    assert.are.equal("Successful", sip.phrase(299))
    assert.are.equal("Redirection", sip.phrase(399))
    assert.are.equal("Request Failure", sip.phrase(499))
    assert.are.equal("Server Failure", sip.phrase(599))
    assert.are.equal("Global Failure", sip.phrase(699))
    assert.are.equal("Fehler in der Anfrage", sip.phrase(499, "de"))
  end)

  it("is never nil or empty for 100-699", function()
    for code = 100, 699 do
      local p = sip.phrase(code)
      assert.is_string(p)
      assert.is_true(#p > 0)
      assert.is_string(sip.phrase(code, "de"))
    end
  end)

  it("is nil outside 100-799", function()
    assert.is_nil(sip.phrase(99))
    assert.is_nil(sip.phrase(800))
  end)
end)

describe("sipcodes.description", function()
  it("describes a code in English and German", function()
    assert.is_string(sip.description(486))
    assert.is_string(sip.description(486, "de"))
    assert.are_not.equal(sip.description(486), sip.description(486, "de"))
    assert.is_nil(sip.description(499))
  end)
end)

describe("sipcodes.info", function()
  it("gives every field of an entry in a fresh table", function()
    local i = sip.info(486)
    assert.are.same({
      code = 486, name = "BUSY_HERE", reason = "Busy Here", reason_de = "Besetzt",
      class = 4, class_name = "client_failure", status = "standard",
      rfc = { "RFC 3261" }, aliases = {},
      description = sip.description(486), description_de = sip.description(486, "de"),
    }, i)
    i.reason = "changed"
    assert.are.equal("Busy Here", sip.info(486).reason)
  end)

  it("marks deprecated, obsolete and non-standard codes", function()
    assert.are.equal("deprecated", sip.info(202).status)
    assert.are.equal("obsolete", sip.info(409).status)
    assert.are.equal("obsolete", sip.info(411).status)
    assert.are.equal("nonstandard", sip.info(490).status)
    assert.are.equal("nonstandard", sip.info(687).status)
    assert.are.equal("nonstandard", sip.info(701).status)
    assert.are.same({ "RFC 2543" }, sip.info(409).rfc)
    assert.are.same({}, sip.info(490).rfc)
  end)

  it("returns nil for an unknown code", function()
    assert.is_nil(sip.info(499))
  end)
end)

describe("sipcodes.status, name, is_known", function()
  it("answer for known and unknown codes", function()
    assert.are.equal("standard", sip.status(486))
    assert.is_nil(sip.status(499))
    assert.are.equal("BUSY_HERE", sip.name(486))
    assert.is_nil(sip.name(499))
    assert.is_true(sip.is_known(486))
    assert.is_true(sip.is_known(701))
    assert.is_false(sip.is_known(499))
    assert.is_false(sip.is_known(-5))
  end)
end)

describe("sipcodes.class and class_name", function()
  it("classify 100-799", function()
    local names = { "provisional", "success", "redirection", "client_failure",
                    "server_failure", "global_failure", "stack_error" }
    for code = 100, 799 do
      local c = math.floor(code / 100)
      assert.are.equal(c, sip.class(code))
      assert.are.equal(names[c], sip.class_name(code))
    end
  end)

  it("return nil outside 100-799", function()
    for _, code in ipairs({ -1, 0, 99, 800, 1000 }) do
      assert.is_nil(sip.class(code))
      assert.is_nil(sip.class_name(code))
    end
  end)

  it("return integers", function()
    if math_type then
      assert.are.equal("integer", math_type(sip.class(486)))
      assert.are.equal("integer", math_type(sip.class("486")))
    end
    assert.are.equal("4", tostring(sip.class(486)))
  end)
end)

describe("the range predicates", function()
  local cases = {
    -- code, valid, provisional, final, success, redirection, client, server, global, failure
    { 99, false, false, false, false, false, false, false, false, false },
    { 100, true, true, false, false, false, false, false, false, false },
    { 199, true, true, false, false, false, false, false, false, false },
    { 200, true, false, true, true, false, false, false, false, false },
    { 302, true, false, true, false, true, false, false, false, true },
    { 486, true, false, true, false, false, true, false, false, true },
    { 503, true, false, true, false, false, false, true, false, true },
    { 603, true, false, true, false, false, false, false, true, true },
    { 699, true, false, true, false, false, false, false, true, true },
    { 701, false, false, false, false, false, false, false, false, false },
    { -486, false, false, false, false, false, false, false, false, false },
  }
  local preds = { "is_valid", "is_provisional", "is_final", "is_success", "is_redirection",
                  "is_client_failure", "is_server_failure", "is_global_failure", "is_failure" }
  for _, case in ipairs(cases) do
    it("classify " .. case[1], function()
      for i, p in ipairs(preds) do
        assert.are.equal(case[i + 1], sip[p](case[1]), p .. "(" .. case[1] .. ")")
      end
    end)
  end

  it("raise with their own names", function()
    -- Lua names a function in an error by how the call site spells it, so
    -- each call is compiled as sip.<name>(...), the way users write it.
    local load = rawget(_G, "loadstring") or load
    for _, p in ipairs(preds) do
      local bad_type = assert(load("local sip = ...; sip." .. p .. '("x")'))
      local too_many = assert(load("local sip = ...; sip." .. p .. "(1, 2)"))
      assert.has_error(function() bad_type(sip) end,
        "bad argument #1 to '" .. p .. "' (integer expected, got string)")
      assert.has_error(function() too_many(sip) end,
        "bad argument #2 to '" .. p .. "' (no more than 1 argument expected, got 2)")
    end
  end)
end)

describe("sipcodes.equivalent", function()
  it("keeps a known code", function()
    assert.are.equal(486, sip.equivalent(486))
    assert.are.equal(100, sip.equivalent(100))
    assert.are.equal(202, sip.equivalent(202))
  end)

  it("maps an unknown final code to x00 of its class (RFC 3261 8.1.3.2)", function()
    assert.are.equal(400, sip.equivalent(431))
    assert.are.equal(400, sip.equivalent(499))
    assert.are.equal(200, sip.equivalent(299))
    assert.are.equal(300, sip.equivalent(399))
    assert.are.equal(500, sip.equivalent(599))
    assert.are.equal(600, sip.equivalent(699))
  end)

  it("maps an unknown provisional code to 183", function()
    assert.are.equal(183, sip.equivalent(150))
    assert.are.equal(183, sip.equivalent(198))
  end)

  it("is nil outside 100-699", function()
    assert.is_nil(sip.equivalent(99))
    assert.is_nil(sip.equivalent(701))
    assert.is_nil(sip.equivalent(700))
  end)
end)

describe("sipcodes.lookup", function()
  it("finds a code by phrase, ignoring case, spaces and punctuation", function()
    assert.are.equal(486, sip.lookup("Busy Here"))
    assert.are.equal(486, sip.lookup("busy here"))
    assert.are.equal(486, sip.lookup("BUSY-HERE"))
    assert.are.equal(486, sip.lookup("  busy   here "))
    assert.are.equal(481, sip.lookup("call/transaction does not exist"))
  end)

  it("finds a code by constant name and by German phrase", function()
    assert.are.equal(486, sip.lookup("BUSY_HERE"))
    assert.are.equal(486, sip.lookup("Besetzt"))
  end)

  it("finds the phrases real stacks send", function()
    assert.are.equal(500, sip.lookup("Internal Server Error"))
    assert.are.equal(414, sip.lookup("Request-URI Too Large"))
    assert.are.equal(481, sip.lookup("Call Leg/Transaction Does Not Exist"))
    assert.are.equal(504, sip.lookup("Gateway Time-out"))
    assert.are.equal(437, sip.lookup("Unsupported Certificate"))
  end)

  it("returns nil for text that names nothing", function()
    assert.is_nil(sip.lookup("no such phrase"))
    assert.is_nil(sip.lookup(""))
    assert.is_nil(sip.lookup("   "))
    assert.is_nil(sip.lookup("busy here\0x"))
    assert.is_nil(sip.lookup(string.rep("a", 100000)))
  end)

  it("raises on a non-string", function()
    assert.has_error(function() sip.lookup(486) end,
      "bad argument #1 to 'lookup' (string expected, got number)")
    assert.has_error(function() sip.lookup(nil) end,
      "bad argument #1 to 'lookup' (string expected, got nil)")
  end)
end)

describe("sipcodes.codes", function()
  it("maps constant names to codes", function()
    assert.are.equal(486, sip.codes.BUSY_HERE)
    assert.are.equal(200, sip.codes.OK)
    assert.are.equal(100, sip.codes.TRYING)
    assert.are.equal(486, sip.codes.BUSY_HERE)
  end)

  it("raises for a name no code has", function()
    assert.has_error(function() return sip.codes.BUSY_THERE end,
      "sipcodes.codes has no code named 'BUSY_THERE'")
    assert.has_error(function() return sip.codes.busy_here end,
      "sipcodes.codes has no code named 'busy_here'")
  end)

  it("is read-only", function()
    assert.has_error(function() sip.codes.BUSY_HERE = 1 end, "sipcodes.codes is read-only")
    assert.has_error(function() sip.codes.NEW = 1 end, "sipcodes.codes is read-only")
    assert.are.equal(false, getmetatable(sip.codes))
  end)

  it("agrees with name() for every code", function()
    for code, info in sip.each() do
      assert.are.equal(code, sip.codes[info.name])
    end
  end)
end)

describe("sipcodes.each", function()
  it("walks the registry in ascending order", function()
    local prev, n = 0, 0
    for code, info in sip.each() do
      assert.is_true(code > prev)
      assert.are.equal(code, info.code)
      prev, n = code, n + 1
    end
    assert.is_true(n >= 80)
  end)

  it("walks one class", function()
    local seen = {}
    for code in sip.each(6) do seen[#seen + 1] = code end
    assert.are.same({ 600, 603, 604, 606, 607, 608, 687 }, seen)
    for code in sip.each(7) do assert.are.equal(7, sip.class(code)) end
  end)

  it("raises on a bad class", function()
    assert.has_error(function() sip.each(8) end,
      "bad argument #1 to 'each' (class must be 1 to 7)")
    assert.has_error(function() sip.each("x") end,
      "bad argument #1 to 'each' (integer expected, got string)")
  end)
end)

describe("sipcodes.each's iterator", function()
  it("clamps a state made by hand instead of scanning or overflowing", function()
    local f = sip.each()
    assert.are.equal(100, (f(0, -2 ^ 31)))
    assert.are.equal(100, (f(9, 0)))
    assert.is_nil(f(0, 2 ^ 31 - 1))
    assert.is_nil(f(0, 799))
    -- Within its class, whatever code it is handed.
    assert.are.equal(400, (f(4, 100)))
    assert.are.equal(600, (f(6, -5)))
    assert.is_nil(f(4, 499))
  end)
end)

-- register() changes this state's module, so these run in a fresh copy of
-- the modules (busted's insulate restores package.loaded afterwards).
insulate("sipcodes.register", function()
  package.loaded["sipcodes"] = nil
  package.loaded["sipcodes.core"] = nil
  local s = require "sipcodes"

  it("adds a code that every accessor then sees", function()
    assert.is_nil(s.reason(798))
    assert.are.equal(798, s.register(798, "Vendor Thing", {
      reason_de = "Herstellersache", description = "A vendor's own code.",
      rfc = "RFC 9999, RFC 9998" }))
    assert.are.equal("Vendor Thing", s.reason(798))
    assert.are.equal("Herstellersache", s.reason(798, "de"))
    assert.are.equal("Vendor Thing", s.phrase(798))
    assert.are.equal("A vendor's own code.", s.description(798))
    assert.are.equal("VENDOR_THING", s.name(798))
    assert.are.equal("nonstandard", s.status(798))
    assert.is_true(s.is_known(798))
    assert.are.equal(798, s.lookup("vendor thing"))
    assert.are.equal(798, s.lookup("Herstellersache"))
    assert.are.equal(798, s.codes.VENDOR_THING)
    local info = s.info(798)
    assert.are.same({ "RFC 9999", "RFC 9998" }, info.rfc)
    assert.is_true(info.registered)
    assert.are.equal(7, info.class)
    local seen
    for code in s.each(7) do seen = seen or code == 798 end
    assert.is_true(seen)
  end)

  it("walks registered codes in their place among the built-in ones", function()
    s.register(450, "Vendor Four Fifty")
    s.register(458, "Vendor Four Fifty-Eight")
    local walked = {}
    for code in s.each(4) do walked[#walked + 1] = code end
    assert.are.same({ 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412,
                      413, 414, 415, 416, 417, 420, 421, 422, 423, 424, 425, 428, 429,
                      430, 433, 436, 437, 438, 439, 440, 450, 458, 469, 470, 480, 481,
                      482, 483, 484, 485, 486, 487, 488, 489, 490, 491, 493, 494 }, walked)
  end)

  it("takes a phrase of 128 bytes and refuses one of 129", function()
    local p128 = ("Vendor "):rep(18) .. "ab" -- 7 * 18 + 2 = 128 bytes
    assert.are.equal(128, #p128)
    assert.are.equal(452, s.register(452, p128))
    assert.are.equal(p128, s.reason(452))
    assert.has_error(function() s.register(453, p128 .. "c") end,
      "bad argument #2 to 'register' (reason longer than 128 bytes)")
    assert.is_nil(s.reason(453))
  end)

  it("refuses to replace a known code silently, and replaces it when asked", function()
    assert.has_error(function() s.register(486, "Busy") end,
      "bad argument #1 to 'register' (code 486 is already registered as 'Busy Here'; "
      .. "pass replace = true to replace it)")
    assert.has_error(function() s.register(798, "Other") end,
      "bad argument #1 to 'register' (code 798 is already registered as 'Vendor Thing'; "
      .. "pass replace = true to replace it)")
    assert.are.equal("Busy Here", s.reason(486))
    s.register(486, "Busy Right Now", { replace = true })
    assert.are.equal("Busy Right Now", s.reason(486))
    assert.are.equal("Busy Right Now", s.phrase(486))
    assert.are.equal("BUSY_HERE", s.name(486))
    assert.are.equal("standard", s.status(486))
    assert.are.equal(486, s.lookup("busy right now"))
    -- No reason_de given: German speaks the new English phrase, not the
    -- German of the phrase it replaced (which lookup still knows).
    assert.are.equal("Busy Right Now", s.reason(486, "de"))
    assert.are.equal("Busy Right Now", s.phrase(486, "de"))
    assert.are.equal(486, s.lookup("Besetzt"))
  end)

  it("falls back to English where a registration gives no German", function()
    s.register(796, "Vendor Plain", { description = "A vendor's plain code." })
    assert.are.equal("Vendor Plain", s.reason(796, "de"))
    assert.are.equal("Vendor Plain", s.phrase(796, "de"))
    assert.are.equal("A vendor's plain code.", s.description(796, "de"))
    assert.are.equal("A vendor's plain code.", s.description(796))
    -- info shows what was registered, and nothing for what was not.
    local info = s.info(796)
    assert.are.equal("Vendor Plain", info.reason)
    assert.is_nil(info.reason_de)
    assert.is_nil(info.description_de)
    -- No description at all: none in either language.
    s.register(795, "Vendor Bare")
    assert.is_nil(s.description(795))
    assert.is_nil(s.description(795, "de"))
    assert.are.equal("Vendor Bare", s.reason(795, "de"))
    -- German given: German it is, and English stays English.
    s.register(794, "Vendor Both", { reason_de = "Hersteller beides", description = "English.",
                                     description_de = "Deutsch." })
    assert.are.equal("Hersteller beides", s.reason(794, "de"))
    assert.are.equal("Vendor Both", s.reason(794))
    assert.are.equal("Deutsch.", s.description(794, "de"))
    assert.are.equal("English.", s.description(794))
  end)

  it("makes equivalent() keep a registered code", function()
    assert.are.equal(400, s.equivalent(432))
    assert.are.equal(183, s.equivalent(150))
    assert.are.equal(200, s.equivalent(299))
    s.register(432, "Vendor Refusal")
    s.register(150, "Vendor Progress")
    assert.are.equal(432, s.equivalent(432))
    assert.are.equal(432, s.equivalent("432"))
    assert.are.equal(150, s.equivalent(150))
    -- Its neighbours stay what they were, and 7xx has none, registered or not.
    assert.are.equal(400, s.equivalent(431))
    assert.are.equal(183, s.equivalent(151))
    assert.are.equal(200, s.equivalent(299))
    assert.is_nil(s.equivalent(798))
  end)

  it("refuses a name another code has, built in or registered", function()
    assert.has_error(function() s.register(797, "Thing", { name = "BUSY_HERE" }) end,
      "bad argument #3 to 'register' (name 'BUSY_HERE' is taken by code 486)")
    assert.has_error(function() s.register(797, "Thing", { name = "TRYING" }) end,
      "bad argument #3 to 'register' (name 'TRYING' is taken by code 100)")
    assert.has_error(function() s.register(797, "Thing", { name = "NO_RESPONSE_FROM_DESTINATION_SERVER" }) end,
      "bad argument #3 to 'register' (name 'NO_RESPONSE_FROM_DESTINATION_SERVER' is taken by code 701)")
    assert.has_error(function() s.register(486, "Busy Now", { replace = true, name = "DECLINE" }) end,
      "bad argument #3 to 'register' (name 'DECLINE' is taken by code 603)")
    -- A name that is no code's name but another code's alias.
    assert.has_error(function() s.register(797, "Thing", { name = "INTERNAL_SERVER_ERROR" }) end,
      "bad argument #3 to 'register' (name 'INTERNAL_SERVER_ERROR' already names code 500)")
    assert.is_nil(s.reason(797))
    assert.are.equal("Busy Right Now", s.reason(486))
    -- A code may keep its own name when it is replaced.
    s.register(798, "Vendor Thing Again", { replace = true, name = "VENDOR_THING" })
    assert.are.equal(798, s.codes.VENDOR_THING)
    s.register(798, "Vendor Thing", { replace = true, reason_de = "Herstellersache" })
    assert.are.equal("VENDOR_THING", s.name(798))
  end)

  it("checks reason_de as it checks the phrase", function()
    local cases = {
      { { reason_de = 42 }, "option 'reason_de' must be a string" },
      { { reason_de = ("x"):rep(129) }, "option 'reason_de' longer than 128 bytes" },
      { { reason_de = " Sache" }, "option 'reason_de': white space at the start of the reason phrase at byte 1" },
      { { reason_de = "Sache " }, "option 'reason_de': white space at the end of the reason phrase at byte 6" },
      { { reason_de = "Sa\r\nche" }, "option 'reason_de': CR or LF in reason phrase at byte 3" },
      { { reason_de = "Sa<che" }, "option 'reason_de': invalid character in reason phrase at byte 3" },
      { { reason_de = "Nicht gefunden" }, "reason_de 'Nicht gefunden' already names code 404" },
      { { reason_de = "Busy Here" }, "reason_de 'Busy Here' already names code 486" },
      { { reason_de = "BUSY_HERE" }, "reason_de 'BUSY_HERE' already names code 486" },
    }
    for _, c in ipairs(cases) do
      assert.has_error(function() s.register(797, "Vendor Seven", c[1]) end,
        "bad argument #3 to 'register' (" .. c[2] .. ")")
    end
    assert.is_nil(s.reason(797))
    assert.is_nil(s.lookup("vendor seven"))
  end)

  it("forgets a name when a replacement renames the code", function()
    s.register(793, "Vendor Old Name", { name = "VENDOR_OLD" })
    assert.are.equal(793, s.codes.VENDOR_OLD)
    assert.are.equal(793, s.lookup("vendor old name"))
    s.register(793, "Vendor New Name", { replace = true, name = "VENDOR_NEW" })
    assert.has_error(function() return s.codes.VENDOR_OLD end,
      "sipcodes.codes has no code named 'VENDOR_OLD'")
    assert.are.equal(793, s.codes.VENDOR_NEW)
    assert.is_nil(s.lookup("vendor old name"))
    assert.is_nil(s.lookup("VENDOR_OLD"))
    assert.are.equal(793, s.lookup("vendor new name"))
  end)

  it("refuses a phrase or name that already names another code", function()
    assert.has_error(function() s.register(797, "Internal Server Error") end,
      "bad argument #2 to 'register' (reason 'Internal Server Error' already names code 500)")
    assert.has_error(function() s.register(797, "Thing", { reason_de = "Besetzt" }) end,
      "bad argument #3 to 'register' (reason_de 'Besetzt' already names code 486)")
    assert.has_error(function() s.register(797, "Thing", { name = "VENDOR_THING" }) end,
      "bad argument #3 to 'register' (name 'VENDOR_THING' is taken by code 798)")
    assert.are.equal(500, s.lookup("internal server error"))
    assert.is_nil(s.reason(797))
  end)

  it("validates the code, the phrase and the options", function()
    local cases = {
      { function() s.register(800, "X") end, "bad argument #1 to 'register' (code must be 100 to 799)" },
      { function() s.register(99, "X") end, "bad argument #1 to 'register' (code must be 100 to 799)" },
      { function() s.register(797, "") end, "bad argument #2 to 'register' (empty reason phrase)" },
      { function() s.register(797, " X") end,
        "bad argument #2 to 'register' (white space at the start of the reason phrase at byte 1)" },
      { function() s.register(797, "X\t") end,
        "bad argument #2 to 'register' (white space at the end of the reason phrase at byte 2)" },
      { function() s.register(797, "A\r\nB") end,
        "bad argument #2 to 'register' (CR or LF in reason phrase at byte 2)" },
      -- The rule of format_status_line: what a Status-Line cannot carry.
      { function() s.register(797, "Busy\1Here") end,
        "bad argument #2 to 'register' (control character in reason phrase at byte 5)" },
      { function() s.register(797, 'Say "Hi"') end,
        "bad argument #2 to 'register' (invalid character in reason phrase at byte 5)" },
      { function() s.register(797, "Gr\252\223") end,
        "bad argument #2 to 'register' (invalid UTF-8 in reason phrase at byte 3)" },
      { function() s.register(797, "X", { reason_de = "Gro\223" }) end,
        "bad argument #3 to 'register' (option 'reason_de': invalid UTF-8 in reason phrase at byte 4)" },
      { function() s.register(797, "X", { reason_de = "" }) end,
        "bad argument #3 to 'register' (option 'reason_de': empty reason phrase)" },
      { function() s.register(797, "X", { description = ("d"):rep(1025) }) end,
        "bad argument #3 to 'register' (option 'description' longer than 1024 bytes)" },
      { function() s.register(797, ("x"):rep(129)) end,
        "bad argument #2 to 'register' (reason longer than 128 bytes)" },
      { function() s.register(797, "X", { colour = "red" }) end,
        "bad argument #3 to 'register' (unknown option 'colour')" },
      { function() s.register(797, "X", { replace = "no" }) end,
        "bad argument #3 to 'register' (option 'replace' must be a boolean)" },
      { function() s.register(797, "X", { status = "great" }) end,
        "bad argument #3 to 'register' (option 'status' must be one of standard, deprecated, obsolete, nonstandard)" },
      { function() s.register(797, "X", { name = "lower" }) end,
        "bad argument #3 to 'register' (name 'lower' is not UPPER_SNAKE of at most 64 bytes (give opts.name))" },
      { function() s.register(797, "X", { name = "X\0Y" }) end,
        "bad argument #3 to 'register' (name 'X?Y' is not UPPER_SNAKE of at most 64 bytes (give opts.name))" },
      { function() s.register(797, "X", nil, nil) end,
        "bad argument #4 to 'register' (no more than 3 arguments expected, got 4)" },
      { function() s.register(797, 42) end, "bad argument #2 to 'register' (string expected, got number)" },
      { function() s.register(797, "X", "opts") end, "bad argument #3 to 'register' (table expected, got string)" },
    }
    for _, c in ipairs(cases) do
      assert.has_error(c[1], c[2])
    end
    assert.is_nil(s.reason(797))
  end)

  it("tells apart registered texts that share a hash slot", function()
    -- "Vendor Reason 100620" and "Vendor Reason 302303" fall into the same
    -- slot of the keys table (ctest's test_keys checks that they do), so
    -- lookup must compare the texts, not trust the hash.
    s.register(771, "Vendor Reason 100620", { name = "VENDOR_A" })
    assert.is_nil(s.lookup("Vendor Reason 302303"))
    s.register(772, "Vendor Reason 302303", { name = "VENDOR_B" })
    assert.are.equal(771, s.lookup("vendor reason 100620"))
    assert.are.equal(772, s.lookup("VENDOR-REASON-302303"))
    assert.is_nil(s.lookup("Vendor Reason 100621"))
    assert.are.equal(771, s.lookup("VENDOR_A"))
    assert.are.equal(772, s.lookup("VENDOR_B"))
  end)

  it("finds a registered text longer than any built-in one", function()
    local long = "Vendor Specific Reason That Is Longer Than Any Phrase In The Registry"
    s.register(773, long, { name = "VENDOR_LONG" })
    assert.are.equal(773, s.lookup(long))
    assert.are.equal(773, s.lookup(long:lower()))
    assert.is_nil(s.lookup(long .. " Too"))
    assert.is_nil(s.lookup(long:sub(1, -2)))
  end)

  it("keeps the aliases of a built-in code it replaces, which lookup still finds", function()
    s.register(500, "Server Oops", { replace = true })
    assert.are.same({ "Internal Server Error" }, s.info(500).aliases)
    assert.are.equal(500, s.lookup("Internal Server Error"))
    assert.are.equal(500, s.lookup("server oops"))
  end)

  it("stays in this lua_State", function()
    local other = package.loaded["sipcodes.core"]
    assert.is_truthy(other)
    -- a fresh load of the C module in the same state shares nothing with
    -- the registrations of the first one
    package.loaded["sipcodes.core"] = nil
    package.loaded["sipcodes"] = nil
    local fresh = require "sipcodes"
    assert.is_nil(fresh.reason(798))
    assert.are.equal("Busy Here", fresh.reason(486))
  end)
end)
