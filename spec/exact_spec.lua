-- The module is exact: every public function of require "sipcodes" answers
-- as its C function in sipcodes.core does, for every argument list, and so
-- does a module with the LuaJIT memo in front (made here on every
-- interpreter; LuaJIT's require "sipcodes" is one).  Argument lists are
-- generated: 0 to 4 arguments of nil, false, numeric strings, floats,
-- "inf" and "nan", tables with metamethods, functions.  Each call is made
-- twice, so that a memo answers the second.  Also after register(), after
-- a register() that raised half way, and in a locale with a decimal comma.
local unpack = rawget(table, "unpack") or rawget(_G, "unpack")

local function pack(...)
  return { n = select("#", ...), ... }
end

-- Fresh modules for a test that registers codes; the spec's own are put
-- back after it.
local function with_fresh_modules(f)
  local names = { "sipcodes", "sipcodes.core", "sipcodes.kamailio", "sipcodes.freeswitch" }
  local saved = {}
  for _, n in ipairs(names) do
    saved[n] = package.loaded[n]
    package.loaded[n] = nil
  end
  local ok, err = pcall(f)
  for _, n in ipairs(names) do package.loaded[n] = saved[n] end
  assert(ok, err)
end

local function modules()
  local core = require "sipcodes.core"
  return {
    core = core,
    sip = require "sipcodes",
    memo = core.module(function(f, memo) return require("sipcodes.memo")(f, memo) end),
  }
end

-- A table whose fields come from an __index that allocates and moves the
-- garbage collector on: what is read from it must be anchored by the
-- reader (lua_getfield leaves it on the stack until its bytes are used).
local function computed(fields)
  return setmetatable({}, {
    __index = function(_, k)
      local junk = {}
      for i = 1, 20 do junk[i] = ("%d"):format(i):rep(8) end
      collectgarbage("step", #junk > 0 and 0 or 1)
      local v = fields[k]
      if type(v) == "string" then
        v = v .. "" -- a string made now, referenced only from here
      end
      return v
    end,
  })
end

local mt_value = setmetatable({}, {
  __tostring = function() return "486" end,
  __eq = function() return true end,
  __len = function() return 3 end,
})

local POOL = {
  { "nil", nil }, { "false", false }, { "true", true },
  { "486", 486 }, { "486.0", 486.0 }, { "486.5", 486.5 }, { "-1", -1 }, { "0", 0 },
  { "100", 100 }, { "699", 699 }, { "700", 700 }, { "17", 17 }, { "2^31", 2 ^ 31 },
  { "0/0", 0 / 0 }, { "1/0", 1 / 0 },
  { '"486"', "486" }, { '" 486 "', " 486 " }, { '"0x1E6"', "0x1E6" }, { '"486.0"', "486.0" },
  { '"486,0"', "486,0" }, { '"inf"', "inf" }, { '"nan"', "nan" }, { '""', "" },
  { '"busy here"', "busy here" }, { '"de"', "de" }, { '"en"', "en" }, { '"user_busy"', "user_busy" },
  { '"SIP/2.0 486 Busy Here"', "SIP/2.0 486 Busy Here" },
  { '"Q.850;cause=16"', 'Q.850;cause=16;text="x"' },
  { "{}", {} }, { "{486,603}", { 486, 603 } }, { "{486,nil,603}", { 486, nil, 603 } },
  { "{protocol}", { protocol = "SIP", cause = 200, text = "Done" } },
  { "{lenient}", { lenient = true } }, { "{location}", { location = "U" } },
  { "computed", computed({ protocol = "SIP", cause = 1, text = "t", code = 486,
                           params = { a = "b" } }) },
  { "metamethods", mt_value }, { "function", print },
}

-- The public functions but register (which changes the state, and is made
-- exact by construction: every module's register is the core's closure).
local FUNCTIONS = {
  "reason", "phrase", "description", "info", "name", "status", "class", "class_name",
  "equivalent", "is_known", "is_valid", "is_provisional", "is_final", "is_success",
  "is_redirection", "is_client_failure", "is_server_failure", "is_global_failure",
  "is_failure", "lookup", "each", "parse_status_line", "format_status_line",
  "parse_reason", "format_reason", "best_response", "required_headers", "to_q850",
  "from_q850", "q850_name", "q850_class_name", "q850_reason", "reason_for",
  "parse_retry_after", "format_retry_after", "outcome", "q850_outcome", "progress_kind",
  "warning_text", "warning_info", "parse_warning", "format_warning",
}

-- Equal as answers: the same types, numbers equal (NaN equal to NaN),
-- tables equal field by field, functions and threads by type.
local function same(a, b, depth)
  if type(a) ~= type(b) then
    return false
  end
  if type(a) == "number" then
    return a == b or (a ~= a and b ~= b)
  elseif type(a) == "table" then
    if (depth or 0) > 4 then return true end
    for k, v in pairs(a) do
      if not same(v, b[k], (depth or 0) + 1) then return false end
    end
    for k in pairs(b) do
      if a[k] == nil then return false end
    end
    return true
  elseif type(a) == "function" or type(a) == "thread" then
    return true
  end
  return a == b
end

local function outcome(f, args)
  local r = pack(pcall(f, unpack(args, 1, args.n)))
  if not r[1] then
    return { error = tostring(r[2]) }
  end
  return { values = r }
end

local function same_outcome(a, b)
  if a.error or b.error then
    return a.error == b.error
  end
  if a.values.n ~= b.values.n then
    return false
  end
  for i = 2, a.values.n do
    if not same(a.values[i], b.values[i]) then return false end
  end
  return true
end

local function describe_args(labels)
  return "(" .. table.concat(labels, ", ") .. ")"
end

-- The second arguments: each kind of value a second parameter takes or
-- refuses (a language, options, a phrase), and the odd ones.
local SECOND = {}
for _, a in ipairs(POOL) do
  local keep = { ["nil"] = 1, ["false"] = 1, ["486"] = 1, ['"486"'] = 1, ["0/0"] = 1,
                 ['"de"'] = 1, ['"en"'] = 1, ['""'] = 1, ['"busy here"'] = 1, ["{}"] = 1,
                 ["{lenient}"] = 1, ["{location}"] = 1, ["computed"] = 1,
                 ["metamethods"] = 1, ["function"] = 1 }
  if keep[a[1]] then SECOND[#SECOND + 1] = a end
end

-- Every argument list of 0 to 4 arguments this spec makes.
local function arglists()
  local lists = { { n = 0, labels = {} } }
  for _, a in ipairs(POOL) do
    lists[#lists + 1] = { n = 1, a[2], labels = { a[1] } }
    for _, b in ipairs(SECOND) do
      lists[#lists + 1] = { n = 2, a[2], b[2], labels = { a[1], b[1] } }
    end
    lists[#lists + 1] = { n = 3, a[2], nil, nil, labels = { a[1], "nil", "nil" } }
    lists[#lists + 1] = { n = 3, 486, nil, a[2], labels = { "486", "nil", a[1] } }
    lists[#lists + 1] = { n = 4, 486, nil, nil, a[2], labels = { "486", "nil", "nil", a[1] } }
  end
  return lists
end

-- Compare sip.f, memo.f and core.f over every list; returns the problems.
local function compare_all(m, lists)
  local problems, calls = {}, 0
  for _, name in ipairs(FUNCTIONS) do
    for _, args in ipairs(lists) do
      for _ = 1, 2 do
        local want = outcome(m.core[name], args)
        for _, other in ipairs({ "sip", "memo" }) do
          local got = outcome(m[other][name], args)
          calls = calls + 1
          if not same_outcome(want, got) then
            problems[#problems + 1] = ("%s.%s%s: %s, core: %s"):format(other, name,
              describe_args(args.labels), got.error or tostring(got.values[2]),
              want.error or tostring(want.values[2]))
            if #problems > 20 then return problems, calls end
          end
        end
      end
    end
  end
  return problems, calls
end

-- What the three forms agree on must also be right: one answer or more
-- per function, written out (RFC 3261, RFC 3398 and Q.850 for the values;
-- the other specs check each function in full).  Each is asked twice of
-- every form, so that the memo's answer is checked too.
local LITERALS = {
  { "reason", { 486 }, { "Busy Here" } },
  { "reason", { 486, "de" }, { "Besetzt" } },
  { "reason", { 499 }, { nil } },
  { "phrase", { 499 }, { "Request Failure" } },
  { "phrase", { 686 }, { "Global Failure" } },
  { "description", { 999 }, { nil } },
  { "info", { 999 }, { nil } },
  { "name", { 486 }, { "BUSY_HERE" } },
  { "status", { 202 }, { "deprecated" } },
  { "status", { 486 }, { "standard" } },
  { "class", { 486 }, { 4 } },
  { "class", { "699" }, { 6 } },
  { "class_name", { 486 }, { "client_failure" } },
  { "equivalent", { 499 }, { 400 } },
  { "equivalent", { 486 }, { 486 } },
  { "is_known", { 499 }, { false } },
  { "is_known", { 486 }, { true } },
  { "is_valid", { 699 }, { true } },
  { "is_valid", { 700 }, { false } },
  { "is_provisional", { 199 }, { true } },
  { "is_provisional", { 200 }, { false } },
  { "is_final", { 200 }, { true } },
  { "is_success", { 299 }, { true } },
  { "is_success", { 300 }, { false } },
  { "is_redirection", { 300 }, { true } },
  { "is_client_failure", { 499 }, { true } },
  { "is_server_failure", { 599 }, { true } },
  { "is_global_failure", { 600 }, { true } },
  { "is_failure", { 299 }, { false } },
  { "is_failure", { 400 }, { true } },
  { "lookup", { "busy here" }, { 486 } },
  { "each", {}, { "function" } },
  { "parse_status_line", { "SIP/2.0 486 Busy Here" },
    { { code = 486, reason = "Busy Here", valid = true, version = "SIP/2.0" } } },
  { "format_status_line", { 486 }, { "SIP/2.0 486 Busy Here" } },
  { "parse_reason", { 'Q.850;cause=16;text="x"' },
    { { { cause = 16, params = {}, protocol = "Q.850", text = "x" } } } },
  { "format_reason", { { protocol = "SIP", cause = 200, text = "Done" } }, { 'SIP;cause=200;text="Done"' } },
  { "best_response", { { 486, 603 } }, { 603 } },
  { "required_headers", { 401 }, { { { level = "must", name = "WWW-Authenticate", rfc = "RFC 3261 §22.2" } } } },
  { "to_q850", { 486 }, { 17 } },
  { "from_q850", { 17 }, { 486 } },
  { "q850_name", { 17 }, { "User busy" } },
  { "q850_class_name", { 17 }, { "normal_event" } },
  { "q850_reason", { 17 }, { 'Q.850;cause=17;text="User busy"' } },
  { "reason_for", { 486 }, { 'Q.850;cause=17;text="User busy"' } },
  { "parse_retry_after", { "120" }, { { params = {}, seconds = 120 } } },
  { "format_retry_after", { 120 }, { "120" } },
  { "outcome", { 486 }, { "busy", "user" } },
  { "q850_outcome", { 17 }, { "busy", "user" } },
  { "progress_kind", { 180 }, { "ringing" } },
  { "warning_text", { 399 }, { "Miscellaneous warning" } },
  { "warning_info", { 399 }, { { automatic = false, code = 399, group = "miscellaneous", rfc = "RFC 3261",
                                 text = "Miscellaneous warning", text_de = "Sonstige Warnung" } } },
  { "parse_warning", { '399 host "x"' }, { { { agent = "host", code = 399, text = "x" } } } },
  { "format_warning", { { code = 399, agent = "host", text = "x" } }, { '399 host "x"' } },
}

describe("the module", function()
  local lists = arglists()

  it("gives the right answers, written out, in every form", function()
    with_fresh_modules(function()
      local m = modules()
      local asked = {}
      for _, case in ipairs(LITERALS) do
        local name, args, want = case[1], case[2], case[3]
        asked[name] = true
        for _, form in ipairs({ "core", "sip", "memo" }) do
          for round = 1, 2 do
            local got = pack(m[form][name](unpack(args)))
            if name == "each" then got = { n = 1, type(got[1]) } end
            local label = ("%s.%s #%d, round %d"):format(form, name, #args, round)
            assert.are.equal(math.max(#want, 1), math.max(got.n, 1), label)
            for i = 1, #want do
              assert.is_true(same(want[i], got[i]), label .. ": value " .. i .. " is " .. tostring(got[i]))
            end
            if #want == 0 then assert.is_nil(got[1], label) end
          end
        end
      end
      -- one at least for every function the other tests compare
      for _, name in ipairs(FUNCTIONS) do
        assert.is_true(asked[name], "no literal answer for " .. name)
      end
    end)
  end)

  it("answers as the C functions for every argument list", function()
    with_fresh_modules(function()
      local problems, calls = compare_all(modules(), lists)
      assert.is_true(calls > 50000, "only " .. calls .. " calls")
      assert.are.equal("", table.concat(problems, "\n"))
    end)
  end)

  it("answers as the C functions after register()", function()
    with_fresh_modules(function()
      local m = modules()
      -- Warm every memo first, so that stale answers would show.
      compare_all(m, lists)
      m.sip.register(486, "Totally Busy", { replace = true, reason_de = "Ganz besetzt" })
      m.sip.register(499, "Vendor Failure")
      m.memo.register(700, "Stack Thing")
      assert.are.equal("Totally Busy", m.memo.reason(486))
      assert.are.equal("Totally Busy", m.sip.reason(486))
      assert.are.equal(499, m.memo.lookup("vendor failure"))
      assert.are.equal(499, m.memo.equivalent(499))
      local problems = compare_all(m, lists)
      assert.are.equal("", table.concat(problems, "\n"))
    end)
  end)

  it("answers as the C functions after a register() that raised half way", function()
    with_fresh_modules(function()
      local m = modules()
      compare_all(m, lists)
      -- An error from inside register (as a memory error would come):
      -- the opts' __index raises after some fields were read.
      for _, field in ipairs({ "reason_de", "description", "description_de", "rfc", "status", "name" }) do
        local opts = setmetatable({ replace = true }, { __index = function(_, k)
          if k == field then error("not enough memory", 0) end
          return nil
        end })
        local ok, err = pcall(m.sip.register, 486, "Half Busy", opts)
        assert.is_false(ok)
        assert.are.equal("not enough memory", err)
        assert.are.equal("Busy Here", m.core.reason(486))
        assert.are.equal("Busy Here", m.memo.reason(486))
        assert.is_nil(m.core.lookup("half busy"))
      end
      local problems = compare_all(m, lists)
      assert.are.equal("", table.concat(problems, "\n"))
    end)
  end)

  it("is exact for the Kamailio and FreeSWITCH helpers' argument errors too", function()
    -- The helpers have no second form to compare with; their errors name
    -- them, whichever table they are called from.
    local kam = require "sipcodes.kamailio"
    local k = kam.new(require("doubles").ksr())
    for _, f in ipairs({ { kam.sl_reply, "sl_reply" }, { k.sl_reply, "sl_reply" },
                         { k.t_reply, "t_reply" }, { k.send_reply, "send_reply" } }) do
      local ok, err = pcall(f[1], "x")
      assert.is_false(ok)
      assert.are.equal("bad argument #1 to '" .. f[2] .. "' (integer expected, got string)", err)
    end
  end)
end)

-- The same answers in a locale whose decimal point is a comma: numeral
-- strings are read by the core's own rule, never by strtod.  setlocale only
-- finds a locale the C library can load, so the check runs in a child
-- interpreter with LOCPATH pointing at one made here with localedef.
describe("numeral strings", function()
  local function interpreter()
    if rawget(_G, "jit") then return "luajit" end
    return "lua" .. _VERSION:match("%d+%.%d+")
  end

  it("are read the same in a locale with a decimal comma (de_DE.UTF-8)", function()
    local dir = "build/locale"
    if not io.open(dir .. "/de_DE.UTF-8/LC_NUMERIC", "rb") then
      -- os.execute: true (5.2+) or 0 (5.1, LuaJIT without 5.2 compat) on success.
      local r = os.execute("mkdir -p " .. dir .. " && localedef -i de_DE -f UTF-8 " ..
                           dir .. "/de_DE.UTF-8 >/dev/null 2>&1")
      assert.is_true(r == true or r == 0,
        "localedef failed: Debian's locales package is needed (tools/deps.sh installs it)")
    end
    local script = [[
      local core = require "sipcodes.core"
      local sip = require "sipcodes"
      local memo = core.module(function(f, m) return require("sipcodes.memo")(f, m) end)
      local inputs = { "486", " 486 ", "486.0", "4.86e2", "0x1E6", "486,0", "4,86e2", "486.5",
                       "1e309", "inf", "nan", " 1,5 " }
      local function run()
        local out = {}
        for _, s in ipairs(inputs) do
          for _, m in ipairs({ core, sip, memo }) do
            local ok, r = pcall(m.reason, s)
            out[#out + 1] = s .. "=" .. tostring(ok) .. ":" .. tostring(r)
            ok, r = pcall(m.class, s)
            out[#out + 1] = tostring(ok) .. ":" .. tostring(r)
          end
          local fs = require "sipcodes.freeswitch"
          out[#out + 1] = tostring(select(2, pcall(fs.cause_name, (s:gsub("486", "17")))))
          out[#out + 1] = tostring((fs.outcome({ getVariable = function(_, n)
            return ({ hangup_cause = 17.0, sip_term_status = 486.0 })[n] end })))
        end
        return table.concat(out, "\n")
      end
      local before = run()
      assert(os.setlocale("de_DE.UTF-8"), "no de_DE.UTF-8 locale")
      -- (LuaJIT formats numbers itself, whatever the locale.)
      assert(rawget(_G, "jit") or tostring(0.5) == "0,5", "the locale has no decimal comma")
      local after = run()
      os.setlocale("C")
      io.write(before == after and "same\n" or ("differ\n" .. before .. "\n--\n" .. after))
      io.write(after, "\n")
    ]]
    local f = assert(io.open("build/locale/check.lua", "w"))
    f:write(script)
    f:close()
    local cpath = package.cpath:match("[^;]*build/[^;]*%?%.so") or "./build/5.4/?.so"
    local cmd = ("LOCPATH=%s LUA_PATH='./lua/?.lua' LUA_CPATH='%s' %s build/locale/check.lua 2>&1")
      :format(dir, cpath, interpreter())
    local p = assert(io.popen(cmd))
    local out = p:read("*a")
    p:close()
    assert.are.equal("same", out:match("^(%a+)\n"), out)
    -- And what they read as, written out: a comma is no decimal point.
    assert.is_truthy(out:find("\n486=true:Busy Here\n", 1, true), out)
    assert.is_truthy(out:find("\n486,0=false:bad argument #1 to 'reason' (integer expected, got string)\n",
                              1, true), out)
    assert.is_truthy(out:find("\n486%.0=true:Busy Here\n"), out)
    assert.is_truthy(out:find("\n486.5=false:bad argument #1 to 'reason' (number has no integer representation)\n",
                              1, true), out)
  end)
end)
