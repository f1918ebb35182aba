-- Every classification function of require "sipcodes" at every edge of
-- every class (99/100 ... 799/800), at the ends of the int range and at
-- numbers that are no code at all, each answer a literal of the table
-- below.  Asked three ways: the module as require gives it, the plain C
-- functions (core.module()), and the same behind the LuaJIT memo
-- (core.module("sipcodes.memo"), which PUC Lua can load too), the memo
-- asked twice so that its hit answers as well as its miss.  Then the same
-- edges before and after register(), which must empty every cache, and
-- the Kamailio failure-route helpers, which read a code from tm.
local before_globals = {}
for k in pairs(_G) do before_globals[k] = true end

local T, F = true, false
local math_type = rawget(math, "type") -- 5.3+
local maxinteger, mininteger = rawget(math, "maxinteger"), rawget(math, "mininteger")

-- The predicates, in the order of the columns of PREDICATE_ROWS.
local PREDICATES = { "is_valid", "is_provisional", "is_final", "is_success", "is_redirection",
                     "is_client_failure", "is_server_failure", "is_global_failure", "is_failure" }

-- The predicates at each edge: is_valid, is_provisional, is_final,
-- is_success, is_redirection, is_client_failure, is_server_failure,
-- is_global_failure, is_failure.
local PREDICATE_ROWS = {
  --  code          val  pro  fin  suc  red  cli  srv  glo  fail
  { -2147483648,  F,  F,  F,  F,  F,  F,  F,  F,  F },
  { -2147483647,  F,  F,  F,  F,  F,  F,  F,  F,  F },
  { -2147483548,  F,  F,  F,  F,  F,  F,  F,  F,  F },
  { -486,         F,  F,  F,  F,  F,  F,  F,  F,  F },
  { -100,         F,  F,  F,  F,  F,  F,  F,  F,  F },
  { -1,           F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 0,            F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 1,            F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 99,           F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 100,          T,  T,  F,  F,  F,  F,  F,  F,  F },
  { 101,          T,  T,  F,  F,  F,  F,  F,  F,  F },
  { 183,          T,  T,  F,  F,  F,  F,  F,  F,  F },
  { 198,          T,  T,  F,  F,  F,  F,  F,  F,  F },
  { 199,          T,  T,  F,  F,  F,  F,  F,  F,  F },
  { 200,          T,  F,  T,  T,  F,  F,  F,  F,  F },
  { 201,          T,  F,  T,  T,  F,  F,  F,  F,  F },
  { 299,          T,  F,  T,  T,  F,  F,  F,  F,  F },
  { 300,          T,  F,  T,  F,  T,  F,  F,  F,  T },
  { 399,          T,  F,  T,  F,  T,  F,  F,  F,  T },
  { 400,          T,  F,  T,  F,  F,  T,  F,  F,  T },
  { 499,          T,  F,  T,  F,  F,  T,  F,  F,  T },
  { 500,          T,  F,  T,  F,  F,  F,  T,  F,  T },
  { 599,          T,  F,  T,  F,  F,  F,  T,  F,  T },
  { 600,          T,  F,  T,  F,  F,  F,  F,  T,  T },
  { 699,          T,  F,  T,  F,  F,  F,  F,  T,  T },
  { 700,          F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 701,          F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 799,          F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 800,          F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 999,          F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 1000,         F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 65536 + 486,  F,  F,  F,  F,  F,  F,  F,  F,  F },
  { 2147483647,   F,  F,  F,  F,  F,  F,  F,  F,  F },
}

-- The other functions at the same edges: class, class_name, equivalent,
-- is_known, phrase (English), reason (English), status.  reason and status
-- are nil for a code the registry lacks; phrase is then the heading of the
-- class (RFC 3261 §21).  7xx is a class of its own (the stack codes), but
-- never on the wire: no equivalent.
local CLASS_ROWS = {
  -- code       class class_name       equiv known phrase, reason, status
  { -2147483648, nil, nil,              nil,  F,  nil, nil, nil },
  { -2147483647, nil, nil,              nil,  F,  nil, nil, nil },
  { -2147483548, nil, nil,              nil,  F,  nil, nil, nil },
  { -486,        nil, nil,              nil,  F,  nil, nil, nil },
  { -100,        nil, nil,              nil,  F,  nil, nil, nil },
  { -1,          nil, nil,              nil,  F,  nil, nil, nil },
  { 0,           nil, nil,              nil,  F,  nil, nil, nil },
  { 1,           nil, nil,              nil,  F,  nil, nil, nil },
  { 99,          nil, nil,              nil,  F,  nil, nil, nil },
  { 100,         1,   "provisional",    100,  T,  "Trying", "Trying", "standard" },
  { 101,         1,   "provisional",    183,  F,  "Provisional", nil, nil },
  { 183,         1,   "provisional",    183,  T,  "Session Progress", "Session Progress", "standard" },
  { 198,         1,   "provisional",    183,  F,  "Provisional", nil, nil },
  { 199,         1,   "provisional",    199,  T,  "Early Dialog Terminated", "Early Dialog Terminated", "standard" },
  { 200,         2,   "success",        200,  T,  "OK", "OK", "standard" },
  { 201,         2,   "success",        200,  F,  "Successful", nil, nil },
  { 299,         2,   "success",        200,  F,  "Successful", nil, nil },
  { 300,         3,   "redirection",    300,  T,  "Multiple Choices", "Multiple Choices", "standard" },
  { 399,         3,   "redirection",    300,  F,  "Redirection", nil, nil },
  { 400,         4,   "client_failure", 400,  T,  "Bad Request", "Bad Request", "standard" },
  { 499,         4,   "client_failure", 400,  F,  "Request Failure", nil, nil },
  { 500,         5,   "server_failure", 500,  T,  "Server Internal Error", "Server Internal Error", "standard" },
  { 599,         5,   "server_failure", 500,  F,  "Server Failure", nil, nil },
  { 600,         6,   "global_failure", 600,  T,  "Busy Everywhere", "Busy Everywhere", "standard" },
  { 699,         6,   "global_failure", 600,  F,  "Global Failure", nil, nil },
  { 700,         7,   "stack_error",    nil,  F,  "Stack Error", nil, nil },
  { 701,         7,   "stack_error",    nil,  T,  "No response from destination server",
    "No response from destination server", "nonstandard" },
  { 799,         7,   "stack_error",    nil,  F,  "Stack Error", nil, nil },
  { 800,         nil, nil,              nil,  F,  nil, nil, nil },
  { 999,         nil, nil,              nil,  F,  nil, nil, nil },
  { 1000,        nil, nil,              nil,  F,  nil, nil, nil },
  { 65536 + 486, nil, nil,              nil,  F,  nil, nil, nil },
  { 2147483647,  nil, nil,              nil,  F,  nil, nil, nil },
}

-- The functions of CLASS_ROWS, with the column each answers.
local OTHERS = { class = 2, class_name = 3, equivalent = 4, is_known = 5, phrase = 6,
                 reason = 7, status = 8 }

-- The three shapes of the module (they share one registry).
local function modules()
  local core = require "sipcodes.core"
  return {
    { "require 'sipcodes'", require "sipcodes", 1 },
    { "core.module()", core.module(), 1 },
    { "core.module('sipcodes.memo')", core.module("sipcodes.memo"), 2 },
  }
end

-- Call mod[fname](arg) `times` times; each call must give exactly one
-- result, want.
local function check(label, mod, times, fname, arg, want)
  for i = 1, times do
    local n = select("#", mod[fname](arg))
    local got = mod[fname](arg)
    local what = ("%s: %s(%s) call %d"):format(label, fname, tostring(arg), i)
    assert.are.equal(1, n, what .. " gave " .. n .. " results")
    assert.are.equal(want, got, what)
  end
end

-- A code as the arguments that must mean it: the number, the float of
-- the same value, and the numeral.
local function forms(code)
  return { code, code + 0.0, tostring(code), " " .. code .. " " }
end

describe("the class boundaries", function()
  it("creates no global", function()
    for k in pairs(_G) do
      assert.is_true(before_globals[k], "new global " .. tostring(k))
    end
  end)

  for _, shape in ipairs(modules()) do
    local label, mod, times = shape[1], shape[2], shape[3]
    it("answer the literal of every row, through " .. label, function()
      assert.are.equal(#PREDICATE_ROWS, #CLASS_ROWS)
      for n, row in ipairs(PREDICATE_ROWS) do
        assert.are.equal(row[1], CLASS_ROWS[n][1])
        for _, arg in ipairs(forms(row[1])) do
          for i, p in ipairs(PREDICATES) do
            check(label, mod, times, p, arg, row[i + 1])
          end
          for fname, col in pairs(OTHERS) do
            check(label, mod, times, fname, arg, CLASS_ROWS[n][col])
          end
        end
      end
    end)
  end

  it("give integers for class and equivalent", function()
    for _, shape in ipairs(modules()) do
      local mod = shape[2]
      assert.are.equal("2", tostring(mod.class(250.0)))
      for _, arg in ipairs({ 199, 199.0, "199", 200.0, 699.0, "0x2BB" }) do
        if math_type then
          assert.are.equal("integer", math_type(mod.class(arg)))
          assert.are.equal("integer", math_type(mod.equivalent(arg)))
        end
      end
      assert.are.equal("183", tostring(mod.equivalent(198.0)))
      assert.are.equal("600", tostring(mod.equivalent("699.0")))
    end
  end)

  it("read -0 as 0, and numerals in every form Lua writes them", function()
    local sip = require "sipcodes"
    assert.is_nil(sip.class(-0.0))
    assert.is_false(sip.is_valid(-0.0))
    assert.are.equal(1, sip.class("0x63" + 1)) -- 100
    assert.is_nil(sip.class("0x63"))           -- 99
    assert.are.equal(2, sip.class("1.99e2" + 1))
    assert.are.equal(1, sip.class("1.99e2"))
    assert.are.equal(7, sip.class("7.99E2"))
    assert.is_nil(sip.class("8e2"))
    assert.is_true(sip.is_failure("+300"))
    assert.is_false(sip.is_failure("299.000"))
  end)
end)

describe("numbers that are no code", function()
  -- Every function that takes a code raises for them, whatever the code
  -- would be if the fraction or the high bits were dropped.
  local FUNCS = { "is_valid", "is_provisional", "is_final", "is_success", "is_redirection",
                  "is_client_failure", "is_server_failure", "is_global_failure", "is_failure",
                  "class", "class_name", "equivalent", "is_known", "phrase", "reason",
                  "status", "name", "info", "description" }
  local BAD = {
    99.5, 199.5, 299.5, 699.5, 799.5, 0.5, -0.5, 486.000001, 199.99999999999997,
    2 ^ 31, -2 ^ 31 - 1, 2 ^ 32 + 486, 2 ^ 53, -2 ^ 53, 2 ^ 63, 1e300,
    1 / 0, -1 / 0, 0 / 0,
    "199.5", "2147483648", "-2147483649", "0x80000000", "4294967782", "1e10", "4.865e2",
  }
  if maxinteger then
    BAD[#BAD + 1] = maxinteger
    BAD[#BAD + 1] = mininteger
    BAD[#BAD + 1] = 2147483648 -- an integer on 5.3+
    BAD[#BAD + 1] = rawget(math, "tointeger")(2 ^ 32) + 486
  end

  for _, shape in ipairs(modules()) do
    local label, mod, times = shape[1], shape[2], shape[3]
    it("raise 'number has no integer representation', through " .. label, function()
      for _, f in ipairs(FUNCS) do
        for _, v in ipairs(BAD) do
          for _ = 1, times do
            assert.has_error(function() mod[f](v) end,
              "bad argument #1 to '" .. f .. "' (number has no integer representation)")
          end
        end
      end
    end)
  end

  it("raise a type error for what is no number at all", function()
    local sip = require "sipcodes"
    for _, f in ipairs(PREDICATES) do
      assert.has_error(function() sip[f]("199,5") end,
        "bad argument #1 to '" .. f .. "' (integer expected, got string)")
      assert.has_error(function() sip[f](nil) end,
        "bad argument #1 to '" .. f .. "' (integer expected, got nil)")
      assert.has_error(function() sip[f]() end,
        "bad argument #1 to '" .. f .. "' (integer expected, got no value)")
      assert.has_error(function() sip[f](true) end,
        "bad argument #1 to '" .. f .. "' (integer expected, got boolean)")
      assert.has_error(function() sip[f]({}) end,
        "bad argument #1 to '" .. f .. "' (integer expected, got table)")
      assert.has_error(function() sip[f]("inf") end,
        "bad argument #1 to '" .. f .. "' (integer expected, got string)")
    end
  end)
end)

describe("the memo in front of the hot functions", function()
  local m = require("sipcodes.core").module("sipcodes.memo")

  it("answers nil, not the memo, for an unknown code asked again", function()
    for _ = 1, 3 do
      assert.is_nil(m.reason(499))
      assert.is_nil(m.reason(799))
      assert.is_nil(m.class(800))
      assert.is_nil(m.equivalent(700))
      assert.is_nil(m.lookup("no such phrase at all"))
    end
  end)

  it("keeps the answers of different argument lists apart", function()
    -- The German answer must not come from the memo of the English one,
    -- nor the other way round.
    assert.are.equal("Besetzt", m.reason(486, "de"))
    assert.are.equal("Busy Here", m.reason(486))
    assert.are.equal("Besetzt", m.reason(486, "de"))
    assert.are.equal("Busy Here", m.reason(486))
    assert.are.equal("Busy Here", m.reason(486, "en"))
    assert.are.equal("Busy Here", m.phrase(486))
    assert.are.equal("Besetzt", m.phrase(486, "de"))
    assert.are.equal("Busy Here", m.phrase(486))
    -- An argument error still comes from the C function, hit or miss.
    assert.has_error(function() m.reason(486, "fr") end,
      "bad argument #2 to 'reason' (invalid option 'fr')")
    assert.has_error(function() m.reason(486, nil, nil) end,
      "bad argument #3 to 'reason' (no more than 2 arguments expected, got 3)")
    assert.has_error(function() m.is_final(199, 1) end,
      "bad argument #2 to 'is_final' (no more than 1 argument expected, got 2)")
  end)

  it("gives the same for a number and its numeral", function()
    assert.is_true(m.is_final(200))
    assert.is_true(m.is_final("200"))
    assert.is_false(m.is_final("199"))
    assert.is_false(m.is_final(199))
    assert.are.equal(6, m.class("699"))
    assert.are.equal(6, m.class(699))
    assert.are.equal(600, m.equivalent(" 699 "))
  end)
end)

-- register() changes this state's module, so these run in a fresh copy of
-- the modules (busted's insulate restores package.loaded afterwards).
insulate("register() at the class boundaries", function()
  package.loaded["sipcodes"] = nil
  package.loaded["sipcodes.core"] = nil
  package.loaded["sipcodes.kamailio"] = nil
  local shapes = modules()
  local kam = require "sipcodes.kamailio"
  local fake_ksr = require("doubles").ksr
  local s = shapes[1][2]

  -- code, then reason, phrase, equivalent, is_known, class, is_final
  -- before and after the registrations below.
  local BEFORE = {
    { 101, nil, "Provisional", 183, F, 1, F },
    { 199, "Early Dialog Terminated", "Early Dialog Terminated", 199, T, 1, F },
    { 299, nil, "Successful", 200, F, 2, T },
    { 399, nil, "Redirection", 300, F, 3, T },
    { 699, nil, "Global Failure", 600, F, 6, T },
    { 700, nil, "Stack Error", nil, F, 7, F },
    { 799, nil, "Stack Error", nil, F, 7, F },
  }
  local AFTER = {
    { 101, "Vendor Early", "Vendor Early", 101, T, 1, F },
    { 199, "Vendor Ended", "Vendor Ended", 199, T, 1, F },
    { 299, "Vendor Fine", "Vendor Fine", 299, T, 2, T },
    { 399, nil, "Redirection", 300, F, 3, T },
    { 699, "Vendor Nowhere", "Vendor Nowhere", 699, T, 6, T },
    { 700, "Vendor Stack Low", "Vendor Stack Low", nil, T, 7, F },
    { 799, "Vendor Stack High", "Vendor Stack High", nil, T, 7, F },
  }
  local FIELDS = { "reason", "phrase", "equivalent", "is_known", "class", "is_final" }

  local function check_all(rows)
    for _, shape in ipairs(shapes) do
      for _, row in ipairs(rows) do
        for i, f in ipairs(FIELDS) do
          check(shape[1], shape[2], shape[3], f, row[1], row[i + 1])
          check(shape[1], shape[2], shape[3], f, tostring(row[1]), row[i + 1])
        end
      end
    end
  end

  it("empty every cache: the answers before and after are the literals", function()
    -- Asked first, so that each memo and cache holds the old answers.
    check_all(BEFORE)
    for _, shape in ipairs(shapes) do
      assert.is_nil(shape[2].lookup("vendor fine"))
      assert.is_nil(shape[2].lookup("vendor fine"))
    end
    assert.has_error(function() return s.codes.VENDOR_FINE end,
      "sipcodes.codes has no code named 'VENDOR_FINE'")
    local code, info = kam.new(fake_ksr({ status = 299 })).winning()
    assert.are.equal(299, code)
    assert.are.same({ code = 299, class = 2, class_name = "success", phrase = "Successful",
                      known = false, canceled = false, timeout = false, replied = false }, info)

    assert.are.equal(101, s.register(101, "Vendor Early"))
    assert.are.equal(199, s.register(199, "Vendor Ended", { replace = true }))
    assert.are.equal(299, s.register(299, "Vendor Fine"))
    assert.are.equal(699, s.register(699, "Vendor Nowhere"))
    assert.are.equal(700, s.register(700, "Vendor Stack Low"))
    assert.are.equal(799, s.register(799, "Vendor Stack High"))

    check_all(AFTER)
    for _, shape in ipairs(shapes) do
      assert.are.equal(299, shape[2].lookup("vendor fine"))
      assert.are.equal(299, shape[2].lookup("VENDOR_FINE"))
    end
    assert.are.equal(299, s.codes.VENDOR_FINE)
    code, info = kam.new(fake_ksr({ status = 299 })).winning()
    assert.are.equal(299, code)
    assert.are.same({ code = 299, class = 2, class_name = "success", reason = "Vendor Fine",
                      phrase = "Vendor Fine", known = true, canceled = false, timeout = false,
                      replied = false }, info)
    -- A registered 7xx is known, but still not for tm: no winning code.
    assert.is_nil(kam.new(fake_ksr({ status = 700 })).winning())
    assert.is_nil(kam.new(fake_ksr({ status = 799 })).winning())
  end)

  it("take a code at the ends of 100-799 and refuse one past them", function()
    for _, code in ipairs({ 99, 800, -1, 0, -2147483648, 2147483647 }) do
      assert.has_error(function() s.register(code, "Vendor Out Of Range") end,
        "bad argument #1 to 'register' (code must be 100 to 799)")
    end
    for _, code in ipairs({ 99.5, 799.5, 2 ^ 31, -2 ^ 31 - 1, 2 ^ 53 }) do
      assert.has_error(function() s.register(code, "Vendor Out Of Range") end,
        "bad argument #1 to 'register' (number has no integer representation)")
    end
    assert.has_error(function() s.register(100, "Vendor Trying") end,
      "bad argument #1 to 'register' (code 100 is already registered as 'Trying'; "
      .. "pass replace = true to replace it)")
    assert.has_error(function() s.register(799, "Vendor Again") end,
      "bad argument #1 to 'register' (code 799 is already registered as 'Vendor Stack High'; "
      .. "pass replace = true to replace it)")
    assert.is_nil(s.lookup("vendor out of range"))
  end)
end)

describe("sipcodes.kamailio at the class boundaries", function()
  local kam = require "sipcodes.kamailio"
  local policy = require "sipcodes.policy"
  local fake_ksr = require("doubles").ksr

  -- What tm may answer for t_get_status_code, and the code winning() gives
  -- for it: only 100-699, what may go on the wire, is a winning code.
  local WINNING = {
    { -1, nil }, { 0, nil }, { 1, nil }, { 99, nil }, { 100, 100 }, { 199, 199 },
    { 200, 200 }, { 299, 299 }, { 300, 300 }, { 399, 399 }, { 400, 400 }, { 499, 499 },
    { 500, 500 }, { 599, 599 }, { 600, 600 }, { 699, 699 }, { 700, nil }, { 701, nil },
    { 799, nil }, { 800, nil }, { 2147483647, nil }, { -2147483648, nil },
    { 2 ^ 31, nil }, { 699.5, nil }, { 199.5, nil }, { "699", 699 }, { "700", nil },
    { "0x2BB", 699 }, { "0x2BC", nil },
  }

  it("winning() gives a code only for 100-699", function()
    for _, w in ipairs(WINNING) do
      local code = kam.new(fake_ksr({ status = w[1] })).winning()
      assert.are.equal(w[2], code, "t_get_status_code() == " .. tostring(w[1]))
    end
  end)

  it("winning() classifies the edges of each class", function()
    local CLASSES = {
      { 100, 1, "provisional" }, { 199, 1, "provisional" }, { 200, 2, "success" },
      { 299, 2, "success" }, { 300, 3, "redirection" }, { 399, 3, "redirection" },
      { 400, 4, "client_failure" }, { 499, 4, "client_failure" }, { 500, 5, "server_failure" },
      { 599, 5, "server_failure" }, { 600, 6, "global_failure" }, { 699, 6, "global_failure" },
    }
    for _, c in ipairs(CLASSES) do
      local _, info = kam.new(fake_ksr({ status = c[1] })).winning()
      assert.are.equal(c[2], info.class, c[1])
      assert.are.equal(c[3], info.class_name, c[1])
    end
  end)

  it("tag() and failover() take the winning code only from 100-699 too", function()
    for _, w in ipairs(WINNING) do
      local t = { kam.new(fake_ksr({ status = w[1] })).tag() }
      local f = { kam.new(fake_ksr({ status = w[1] })).failover(policy.new("carrier"), {}) }
      local what = "t_get_status_code() == " .. tostring(w[1])
      if w[2] then
        assert.are.equal(w[2], t[3], what)
        assert.are.equal(w[2], f[3], what)
      else
        assert.are.same({}, t, what)
        assert.are.same({}, f, what)
      end
    end
  end)
end)
