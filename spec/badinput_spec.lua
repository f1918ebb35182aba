-- The bad-input matrix, as rules.  Every public function, the adapters'
-- too, gets every kind of value in each argument position it has (the other
-- arguments valid), and one argument too many.  What must happen is not a
-- recording of some run: it follows from the rules below, written once per
-- kind of argument, and from a table of literal answers for the integers a
-- valid code argument may stand for.  The same rules hold on every
-- interpreter, for require "sipcodes", for sipcodes.core itself and for a
-- module with the LuaJIT memo in front (made here on every interpreter).
local doubles = require "doubles"

local math_type = rawget(math, "type") -- 5.3+
local unpack = rawget(table, "unpack") or rawget(_G, "unpack")
local mininteger = rawget(math, "mininteger")

local INT_MAX, INT_MIN = 2147483647, -2147483648
local NIL = {} -- stands for nil in the tables below

-- ---- the values -------------------------------------------------------------
-- Each value with a label and, reviewed by hand, what the one numeral rule
-- makes of it: int = the integer it stands for, or noint = true (a number
-- or numeral without an exact int value); neither: not a number at all.
local big = ("x"):rep(1024 * 1024)
local VALUES = {
  { label = "nil", v = nil },
  { label = "true", v = true },
  { label = "false", v = false },
  { label = "{}", v = {} },
  { label = "function", v = print },
  { label = "coroutine", v = coroutine.create(function() end) },
  { label = "userdata", v = io.stdout },
  { label = '""', v = "" },
  { label = '"abc"', v = "abc" },
  { label = '"486"', v = "486", int = 486 },
  { label = '" 486\\n"', v = " 486\n", int = 486 },
  { label = '"+486"', v = "+486", int = 486 },
  { label = '"486.0"', v = "486.0", int = 486 },
  { label = '"4.86e2"', v = "4.86e2", int = 486 },
  { label = '"0x1E6"', v = "0x1E6", int = 486 },
  { label = '"-1"', v = "-1", int = -1 },
  { label = '"486.5"', v = "486.5", noint = true },
  { label = '"1e309"', v = "1e309", noint = true },
  { label = '"2147483648"', v = "2147483648", noint = true },
  { label = '"inf"', v = "inf" },
  { label = '"nan"', v = "nan" },
  { label = '"486,0"', v = "486,0" },
  { label = '"0x1p4"', v = "0x1p4" },
  { label = '"48\\0 6"', v = "48\0 6" },
  { label = '"\\255\\254"', v = "\255\254" },
  { label = "1MB", v = big },
  { label = "486", v = 486, int = 486 },
  { label = "486.0", v = 486.0, int = 486 },
  { label = "-1", v = -1, int = -1 },
  { label = "0", v = 0, int = 0 },
  { label = "2^31-1", v = 2 ^ 31 - 1, int = INT_MAX },
  { label = "-2^31", v = -2 ^ 31, int = INT_MIN },
  { label = "486.5", v = 486.5, noint = true },
  { label = "2^31", v = 2 ^ 31, noint = true },
  { label = "-2^31-1", v = -2 ^ 31 - 1, noint = true },
  { label = "2^53", v = 2 ^ 53, noint = true },
  { label = "2^63", v = 2 ^ 63, noint = true },
  { label = "1/0", v = 1 / 0, noint = true },
  { label = "-1/0", v = -1 / 0, noint = true },
  { label = "0/0", v = 0 / 0, noint = true },
}
if mininteger then
  VALUES[#VALUES + 1] = { label = "math.mininteger", v = mininteger, noint = true }
end
local ABSENT = { label = "no value", absent = true }

-- Lua's type name of a value, as an argument error says it.
local function typename(x)
  if x.absent then
    return "no value"
  end
  return type(x.v)
end

-- What an error message shows of a string: at most 64 bytes, control
-- bytes and bytes >= 0x80 as "?".
local function shown(s)
  return (s:sub(1, 64):gsub("[%z\1-\31\127-\255]", "?"))
end

-- ---- the rules, one per kind of argument -------------------------------------
-- A rule gives the message of the argument error a value must raise, or
-- nil and the value the function then works with.

-- A code (or cause): a number, or a numeral string, with an exact int value.
local function code_rule(x)
  if x.int then
    return nil, x.int
  elseif x.noint then
    return "number has no integer representation"
  end
  return "integer expected, got " .. typename(x)
end

-- A code that may go on the wire.
local function wirecode_rule(x)
  local err, n = code_rule(x)
  if err then
    return err
  end
  if n < 100 or n > 699 then
    return "code must be 100 to 699"
  end
  return nil, n
end

-- The seconds of format_retry_after: an integer by the one rule, not
-- negative.
local function seconds_rule(x)
  local err, n = code_rule(x)
  if err then
    return err
  end
  if n < 0 then
    return "seconds must be 0 to 2147483647"
  end
  return nil, n
end

-- An optional language.
local function lang_rule(x)
  if x.absent or x.v == nil then
    return nil, "en"
  elseif type(x.v) ~= "string" then
    return "string expected, got " .. typename(x)
  elseif x.v == "en" or x.v == "de" then
    return nil, x.v
  end
  return "invalid option '" .. shown(x.v) .. "'"
end

-- Text: strings only (numbers are not taken for text).
local function text_rule(x)
  if not x.absent and type(x.v) == "string" then
    return nil, x.v
  end
  return "string expected, got " .. typename(x)
end

-- An optional phrase: nil or a string (what is in it is data, or the
-- phrase rule for the helpers that send it).
local function optstring_rule(x)
  if x.absent or x.v == nil or type(x.v) == "string" then
    return nil, x.v
  end
  return "string expected, got " .. typename(x)
end

-- A phrase a reply helper sends: nil, or a string the one phrase rule
-- (format_status_line's, and not empty) takes.  Of the pool's strings only
-- the numerals are phrases; the others are refused for the reasons given.
local PHRASE_REFUSED = {
  [""] = "empty reason phrase",
  ["48\0 6"] = "control character in reason phrase at byte 3",
  ["\255\254"] = "invalid UTF-8 in reason phrase at byte 1",
  [" 486\n"] = "CR or LF in reason phrase at byte 5",
  [big] = "reason phrase longer than 8178 bytes at byte 8179",
}
local function phrase_rule(x)
  local err = optstring_rule(x)
  if err then
    return err
  end
  return PHRASE_REFUSED[x.v], x.v
end

-- A table.
local function table_rule(x)
  if not x.absent and type(x.v) == "table" then
    return nil, x.v
  end
  return "table expected, got " .. typename(x)
end

-- Options: nil, or a table whose keys are known (the pool's only table,
-- {}, has none).
local function opts_rule(x)
  if x.absent or x.v == nil then
    return nil, nil
  end
  return table_rule(x)
end

-- A function.
local function function_rule(x)
  if not x.absent and type(x.v) == "function" then
    return nil, x.v
  end
  return "function expected, got " .. typename(x)
end

-- A FreeSWITCH cause: a code by the numeral rule, else a cause name (any
-- other string is a name FreeSWITCH does not have).
local function cause_rule(x)
  if x.int or x.noint then
    return code_rule(x)
  elseif not x.absent and type(x.v) == "string" then
    return nil, "name"
  end
  return "integer or string expected, got " .. typename(x)
end

-- A session: a table or userdata with the methods called; the pool has
-- none, and the first method is the one a table or userdata lacks.
local function session_rule(first)
  return function(x)
    local t = typename(x)
    if t == "table" or t == "userdata" then
      return "session expected, got " .. t .. " without " .. first .. "()"
    end
    return "session expected, got " .. t
  end
end

-- An optional code for the wire (protect's answer code).
local function optwirecode_rule(x)
  if x.absent or x.v == nil then
    return nil, 500
  end
  return wirecode_rule(x)
end

-- The code of register(): 100-799.
local function regcode_rule(x)
  local err, n = code_rule(x)
  if err then
    return err
  end
  if n < 100 or n > 799 then
    return "code must be 100 to 799"
  end
  return nil, n
end

-- The phrase of register(): a string the one phrase rule takes, not empty,
-- not padded, at most 128 bytes.  The pool's other strings are phrases.
local REG_REFUSED = {
  [""] = "empty reason phrase",
  ["48\0 6"] = "control character in reason phrase at byte 3",
  ["\255\254"] = "invalid UTF-8 in reason phrase at byte 1",
  [" 486\n"] = "CR or LF in reason phrase at byte 5",
  [big] = "reason longer than 128 bytes",
}
local function regphrase_rule(x)
  local err = text_rule(x)
  if err then
    return err
  end
  return REG_REFUSED[x.v], x.v
end

-- An optional class 1-7 of each().
local function class_rule(x)
  if x.absent or x.v == nil then
    return nil, 0
  end
  local err, n = code_rule(x)
  if err then
    return err
  end
  if n < 1 or n > 7 then
    return "class must be 1 to 7"
  end
  return nil, n
end

-- An optional KSR object: a table or userdata.
local function ksr_rule(x)
  if x.absent or x.v == nil or type(x.v) == "table" or type(x.v) == "userdata" then
    return nil, x.v
  end
  return "KSR object expected, got " .. typename(x)
end

-- A sipcodes.policy object: the pool has none.
local function policy_rule(x)
  return "sipcodes.policy expected, got " .. typename(x)
end

-- Names from a fixed list: the pool's strings are none of them.
local function oneof_rule(what, list)
  return function(x)
    if x.absent or type(x.v) ~= "string" then
      return "string expected, got " .. typename(x)
    end
    return what .. " must be one of " .. list
  end
end
local preset_rule = oneof_rule("preset", "rfc3261, carrier, lcr")
local action_rule = oneof_rule("action", "wait, done, relay, next, next_down, auth, redirect, amend")
local intent_rule = oneof_rule("intent", "busy, decline, no_answer, not_registered, no_route, overload, all_failed")

local profile_rule = oneof_rule("profile", "homer, rfc6076, custom")

-- A final code a KPI counter takes: 200-699.
local function finalcode_rule(x)
  local err, n = code_rule(x)
  if err then
    return err
  end
  if n < 200 or n > 699 then
    return "final code expected (200 to 699)"
  end
  return nil, n
end

local function optfinalcode_rule(x)
  if x.absent or x.v == nil then
    return nil, nil
  end
  return finalcode_rule(x)
end

-- An optional boolean.
local function bool_rule(x)
  if x.absent or x.v == nil or type(x.v) == "boolean" then
    return nil, x.v
  end
  return "boolean expected, got " .. typename(x)
end

-- A sipcodes.kpi counter: the pool has none.
local function kpi_rule(x)
  return "sipcodes.kpi expected, got " .. typename(x)
end

-- ds_ping_reply_codes' spec: a table or a string (what is in it is data).
local function pingspec_rule(x)
  if not x.absent and (type(x.v) == "table" or type(x.v) == "string") then
    return nil, x.v
  end
  return "table or string expected, got " .. typename(x)
end

-- ---- the literal answers ---------------------------------------------------
-- What each function answers for the integers a valid code argument of the
-- pool stands for, checked against the registry and the RFCs by hand.
local INTS = { 486, -1, 0, INT_MAX, INT_MIN }
local function row(...)
  local t, a = {}, { ... }
  for i, n in ipairs(INTS) do t[n] = a[i] end
  return t
end
local ANSWERS = {
  reason = row("Busy Here", NIL, NIL, NIL, NIL),
  phrase = row("Busy Here", NIL, NIL, NIL, NIL),
  name = row("BUSY_HERE", NIL, NIL, NIL, NIL),
  status = row("standard", NIL, NIL, NIL, NIL),
  class = row(4, NIL, NIL, NIL, NIL),
  class_name = row("client_failure", NIL, NIL, NIL, NIL),
  equivalent = row(486, NIL, NIL, NIL, NIL),
  is_known = row(true, false, false, false, false),
  is_valid = row(true, false, false, false, false),
  is_provisional = row(false, false, false, false, false),
  is_final = row(true, false, false, false, false),
  is_success = row(false, false, false, false, false),
  is_redirection = row(false, false, false, false, false),
  is_client_failure = row(true, false, false, false, false),
  is_server_failure = row(false, false, false, false, false),
  is_global_failure = row(false, false, false, false, false),
  is_failure = row(true, false, false, false, false),
  to_q850 = row(17, NIL, NIL, NIL, NIL),
  from_q850 = row(NIL, NIL, NIL, NIL, NIL),
  q850_name = row(NIL, NIL, NIL, NIL, NIL),
  q850_class_name = row(NIL, NIL, NIL, NIL, NIL),
  q850_reason = row(NIL, NIL, NIL, NIL, NIL),
  reason_for = row('Q.850;cause=17;text="User busy"', NIL, NIL, NIL, NIL),
  outcome = row("busy", NIL, NIL, NIL, NIL),
  warning_text = row(NIL, NIL, NIL, NIL, NIL),
  warning_info = row(NIL, NIL, NIL, NIL, NIL),
  q850_outcome = row(NIL, NIL, NIL, NIL, NIL),
  progress_kind = row(NIL, NIL, NIL, NIL, NIL),
  ["k.add"] = row(NIL, NIL, NIL, NIL, NIL),
  format_retry_after = row("486", NIL, "0", "2147483647", NIL),
  ["p.decide"] = row("relay", NIL, NIL, NIL, NIL),
  ["policy.is_alive"] = row(true, NIL, NIL, NIL, NIL),
  ["fs.cause_name"] = row(NIL, NIL, "NONE", NIL, NIL),
  ["fs.cause_number"] = row(NIL, NIL, 0, NIL, NIL),
  ["fs.sip_to_cause"] = row(17, 31, 31, 31, 31),
  ["fs.cause_to_sip"] = row(480, 480, 480, 480, 480),
  ["fs.cause_for_sip"] = row(17, 31, 31, 31, 31),
  ["fs.cause_q850"] = row(16, NIL, 0, 16, NIL),
}
-- Functions whose answer for a valid argument is checked by its shape.
local SHAPES = {
  description = function(r, n) return n == 486 and type(r[1]) == "string" or r[1] == nil end,
  info = function(r, n) return n == 486 and r[1].code == 486 or r[1] == nil end,
  required_headers = function(r, n) return n == 486 and next(r[1]) == nil or r[1] == nil end,
}

-- ---- the functions -----------------------------------------------------------
-- Each with its argument kinds, in order, and valid values for them.
local DEFAULT_TEXT = "SIP/2.0 486 Busy Here"

local function signatures(sip, kam, fs, ksr, session, policy, kpi)
  local list = {}
  local function add(name, f, max, kinds, defaults, answer)
    list[#list + 1] = { name = name, f = f, max = max, kinds = kinds, defaults = defaults,
                        answer = answer }
  end
  for _, n in ipairs({ "reason", "phrase", "description" }) do
    add(n, sip[n], 2, { code_rule, lang_rule }, { 486, "en" })
  end
  for _, n in ipairs({ "info", "name", "status", "class", "class_name", "equivalent",
                       "is_known", "is_valid", "is_provisional", "is_final", "is_success",
                       "is_redirection", "is_client_failure", "is_server_failure",
                       "is_global_failure", "is_failure", "required_headers",
                       "q850_name", "q850_class_name" }) do
    add(n, sip[n], 1, { code_rule }, { 486 })
  end
  add("from_q850", sip.from_q850, 2, { code_rule, opts_rule }, { 17, nil })
  add("q850_reason", sip.q850_reason, 2, { code_rule, opts_rule }, { 17, nil })
  add("reason_for", sip.reason_for, 2, { code_rule, opts_rule }, { 486, nil })
  add("to_q850", sip.to_q850, 2, { code_rule, opts_rule }, { 486, nil })
  add("outcome", sip.outcome, 2, { code_rule, opts_rule }, { 486, nil })
  add("warning_text", sip.warning_text, 2, { code_rule, lang_rule }, { 305, "en" })
  add("warning_info", sip.warning_info, 1, { code_rule }, { 305 })
  add("parse_warning", sip.parse_warning, 1, { text_rule }, { '399 gw "x"' },
      function(r) return type(r[1]) == "table" or type(r[2]) == "string" end)
  add("format_warning", sip.format_warning, 1, { table_rule }, { { code = 399, agent = "gw", text = "x" } },
      function(r) return r[1] == nil and r[2] == "no warning values (need a value or a non-empty list)" end)
  add("q850_outcome", sip.q850_outcome, 2, { code_rule, opts_rule }, { 17, nil })
  add("progress_kind", sip.progress_kind, 2, { code_rule, bool_rule }, { 180, nil })
  add("lookup", sip.lookup, 1, { text_rule }, { "busy here" }, function(r, x)
    if #x > 8192 then
      return r[1] == nil and r[2] == "input longer than 8192 bytes"
    end
    return r[1] == nil or not math_type or math_type(r[1]) == "integer"
  end)
  add("each", sip.each, 1, { class_rule }, { 4 }, function(r) return type(r[1]) == "function" end)
  add("parse_status_line", sip.parse_status_line, 2, { text_rule, opts_rule },
      { DEFAULT_TEXT, nil }, function(r) return type(r[1]) == "table" or type(r[2]) == "string" end)
  add("parse_reason", sip.parse_reason, 1, { text_rule }, { "SIP;cause=200" },
      function(r) return type(r[1]) == "table" or type(r[2]) == "string" end)
  add("format_status_line", sip.format_status_line, 2, { code_rule, optstring_rule },
      { 486, nil }, function(r) return type(r[1]) == "string" or type(r[2]) == "string" end)
  add("format_reason", sip.format_reason, 1, { table_rule }, { { protocol = "SIP" } },
      function(r) return r[1] == nil and r[2] == "no reason values (need a value or a non-empty list)" end)
  add("best_response", sip.best_response, 1, { table_rule }, { { 486 } },
      function(r) return r[1] == 408 end)
  add("parse_retry_after", sip.parse_retry_after, 1, { text_rule }, { "120 (lunch);duration=3600" },
      function(r) return type(r[1]) == "table" or type(r[2]) == "string" end)
  add("format_retry_after", sip.format_retry_after, 2, { seconds_rule, opts_rule }, { 120, nil },
      function(r) return type(r[1]) == "string" end)
  -- register() changes the state: each call gets a fresh one.
  add("register", function(...)
    package.loaded["sipcodes.core"] = nil
    return require("sipcodes.core").register(...)
  end, 3, { regcode_rule, regphrase_rule, opts_rule },
  { 798, "Vendor Thing", { replace = true, name = "MATRIX_THING" } })
  add("fs.cause_name", fs.cause_name, 1, { cause_rule }, { 17 })
  add("fs.cause_number", fs.cause_number, 1, { cause_rule }, { 17 })
  add("fs.cause_to_sip", fs.cause_to_sip, 1, { cause_rule }, { 17 })
  add("fs.cause_q850", fs.cause_q850, 1, { cause_rule }, { 17 })
  add("fs.sip_to_cause", fs.sip_to_cause, 1, { code_rule }, { 486 })
  add("fs.cause_for_sip", fs.cause_for_sip, 1, { code_rule }, { 486 })
  add("fs.causes", fs.causes, 0, {}, {})
  add("fs.respond", fs.respond, 3, { session_rule("execute"), wirecode_rule, phrase_rule },
      { session, 486, nil }, function(r) return type(r[1]) == "string" end)
  add("fs.hangup", fs.hangup, 2, { session_rule("setVariable"), wirecode_rule }, { session, 486 },
      function(r) return r[1] == "USER_BUSY" and r[2] == 486 end)
  add("fs.outcome", fs.outcome, 1, { session_rule("getVariable") }, { session })
  add("fs.tag", fs.tag, 2, { session_rule("getVariable"), optfinalcode_rule }, { session, nil })
  for _, n in ipairs({ "sl_reply", "send_reply", "t_reply" }) do
    add("kam." .. n, ksr[n], 3, { wirecode_rule, phrase_rule, opts_rule }, { 486, nil, nil },
        function(r) return r[1] == 1 and type(r[2]) == "string" end)
  end
  add("kam.winning", ksr.winning, 0, {}, {})
  add("kam.tag", ksr.tag, 1, { opts_rule }, { nil }, function(r) return r[1] == "busy" and r[3] == 486 end)
  add("kam.protect", ksr.protect, 2, { function_rule, optwirecode_rule }, { print, 500 },
      function(r) return type(r[1]) == "function" end)
  add("kam.new", kam.new, 1, { ksr_rule }, { nil }, function(r) return type(r[1]) == "table" end)
  add("kam.best_response", kam.best_response, 1, { table_rule }, { { 486 } },
      function(r) return r[1] == 486 or r[1] == 408 end)
  add("kam.failover", ksr.failover, 2, { policy_rule, table_rule }, { policy.new("carrier"), {} })
  add("fs.hunt", fs.hunt, 4, { session_rule("execute"), policy_rule, table_rule, opts_rule },
      { session, policy.new("carrier"), {}, nil })
  add("policy.new", policy.new, 2, { preset_rule, opts_rule }, { "carrier", nil })
  add("policy.is_alive", policy.is_alive, 2, { code_rule, opts_rule }, { 486, nil })
  add("policy.ds_ping_reply_codes", policy.ds_ping_reply_codes, 1, { pingspec_rule }, { { 403 } },
      function(r) return type(r[1]) == "string" or type(r[2]) == "string" end)
  add("policy.choose", policy.choose, 1, { intent_rule }, { "busy" })
  local p = policy.new("carrier")
  add("p.decide", p.decide, 3, { policy_rule, code_rule, opts_rule }, { p, 486, nil })
  for _, n in ipairs({ "codes", "kamailio_regex", "freeswitch_causes" }) do
    add("p." .. n, p[n], 3, { policy_rule, action_rule, opts_rule }, { p, "next", nil })
  end
  add("kpi.new", kpi.new, 2, { profile_rule, opts_rule }, { "homer", nil },
      function(r) return tostring(r[1]) == "sipcodes.kpi: 0 attempts" end)
  add("kpi.profile", kpi.profile, 1, { profile_rule }, { "homer" })
  local k = kpi.new("homer")
  add("k.add", k.add, 3, { kpi_rule, finalcode_rule, opts_rule }, { k, 486, nil })
  add("k.report", k.report, 1, { kpi_rule }, { k })
  return list
end

-- ---- running it ------------------------------------------------------------------

local function pack(...)
  return { n = select("#", ...), ... }
end

-- The message of an error without the "file:line: " Lua puts in front.
local function message(e)
  return (tostring(e):gsub("^[^\n]-:%d+: ", "", 1))
end

-- Fresh modules (register() changes the state they belong to), put back
-- after the run so that other specs see theirs.
local function fresh_modules(f)
  local names = { "sipcodes", "sipcodes.core", "sipcodes.kamailio", "sipcodes.freeswitch",
                  "sipcodes.policy", "sipcodes.kpi" }
  local saved = {}
  for _, n in ipairs(names) do
    saved[n] = package.loaded[n]
    package.loaded[n] = nil
  end
  local ok, err = pcall(f)
  for _, n in ipairs(names) do package.loaded[n] = saved[n] end
  assert(ok, err)
end

-- Check one call against the rules; returns a problem or nil.
local function check_call(sig, pos, x)
  local args, n = {}, 0
  for i = 1, #sig.kinds do
    if i == pos then
      if x.absent then break end
      args[i] = x.v
    else
      args[i] = sig.defaults[i]
    end
    n = i
  end
  if pos and x.absent then n = pos - 1 end
  local err, value = sig.kinds[pos](x)
  local r = pack(pcall(sig.f, unpack(args, 1, n)))
  local name = sig.name:gsub("^%a+%.", "")
  local what = ("%s with %s as argument %d"):format(sig.name, x.label, pos)
  if err then
    local want = ("bad argument #%d to '%s' (%s)"):format(pos, name, err)
    if r[1] then
      return what .. ": no error, want: " .. want
    elseif message(r[2]) ~= want then
      return what .. ": raised " .. message(r[2]) .. "\n     want " .. want
    end
    return nil
  end
  if not r[1] then
    return what .. ": raised " .. message(r[2]) .. " for a valid value"
  end
  local results = { unpack(r, 2, r.n) }
  local literal = ANSWERS[sig.name]
  if value == "name" then
    -- No string of the pool names a FreeSWITCH cause.
    if results[1] ~= nil then
      return what .. ": gave " .. tostring(results[1]) .. " for a name FreeSWITCH lacks"
    end
  elseif literal and type(value) == "number" and literal[value] ~= nil then
    local want = literal[value]
    if want == NIL then want = nil end
    if results[1] ~= want then
      return what .. ": gave " .. tostring(results[1]) .. ", want " .. tostring(want)
    end
  elseif SHAPES[sig.name] and sig.kinds[pos] == code_rule then
    if not SHAPES[sig.name](results, value) then
      return what .. ": unexpected answer " .. tostring(results[1])
    end
  elseif sig.answer and pos == 1 and not sig.answer(results, value) then
    return what .. ": unexpected answer " .. tostring(results[1]) .. ", " .. tostring(results[2])
  end
  return nil
end

local function run_matrix(which)
  local problems, calls = {}, 0
  fresh_modules(function()
    local core = require "sipcodes.core"
    local sip = require "sipcodes"
    if which == "core" then
      sip = core
    elseif which == "memo" then
      sip = core.module(function(f, memo) return require("sipcodes.memo")(f, memo) end)
    end
    local kam, fs = require "sipcodes.kamailio", require "sipcodes.freeswitch"
    local ksr = kam.new(doubles.ksr({ status = 486 }))
    local session = doubles.session()
    local policy = require "sipcodes.policy"
    for _, sig in ipairs(signatures(sip, kam, fs, ksr, session, policy, require "sipcodes.kpi")) do
      for pos = 1, #sig.kinds do
        for _, x in ipairs(VALUES) do
          -- Twice: the second call may be answered by a memo.
          for _ = 1, 2 do
            calls = calls + 1
            problems[#problems + 1] = check_call(sig, pos, x)
          end
        end
        calls = calls + 1
        problems[#problems + 1] = check_call(sig, pos, ABSENT)
      end
      -- One argument too many (nil counts): valid arguments, then nil.
      -- (unpack to max + 1: the defaults end in nils, and one nil more.)
      local r = pack(pcall(sig.f, unpack(sig.defaults, 1, sig.max + 1)))
      local want = ("bad argument #%d to '%s' (no more than %d argument%s expected, got %d)")
        :format(sig.max + 1, (sig.name:gsub("^%a+%.", "")), sig.max, sig.max == 1 and "" or "s",
                sig.max + 1)
      calls = calls + 1
      if r[1] or message(r[2]) ~= want then
        problems[#problems + 1] = sig.name .. " with one argument too many: " ..
          (r[1] and "no error" or message(r[2])) .. "\n     want " .. want
      end
    end
  end)
  return problems, calls
end

describe("the bad-input matrix", function()
  for _, which in ipairs({ "sipcodes", "core", "memo" }) do
    it("follows the rules for every argument of every function (" .. which .. ")", function()
      local problems, calls = run_matrix(which)
      assert.is_true(calls > 2000, "only " .. calls .. " calls")
      assert.are.equal("", table.concat(problems, "\n"))
    end)
  end

  it("covers every public function of the module", function()
    local listed = {}
    local any = function() return setmetatable({}, { __index = function() return print end }) end
    local sig = signatures(any(), { new = print }, any(), any(), {},
                           { new = function() return any() end, is_alive = print,
                             ds_ping_reply_codes = print, choose = print },
                           { new = function() return any() end, profile = print })
    for _, s in ipairs(sig) do listed[s.name] = true end
    -- The public names, written out: the module makes its functions on
    -- first use, so pairs() cannot list them.
    for _, name in ipairs({
      "reason", "phrase", "description", "info", "name", "status", "class", "class_name",
      "equivalent", "is_known", "is_valid", "is_provisional", "is_final", "is_success",
      "is_redirection", "is_client_failure", "is_server_failure", "is_global_failure",
      "is_failure", "lookup", "each", "register", "parse_status_line", "format_status_line",
      "parse_reason", "format_reason", "best_response", "required_headers", "to_q850",
      "from_q850", "q850_name", "q850_class_name", "q850_reason", "reason_for",
      "parse_retry_after", "format_retry_after", "outcome", "q850_outcome", "progress_kind",
      "fs.tag", "kpi.new", "kpi.profile", "k.add", "k.report",
      "warning_text", "warning_info", "parse_warning", "format_warning",
      "fs.cause_name", "fs.cause_number", "fs.sip_to_cause", "fs.cause_to_sip",
      "fs.cause_for_sip", "fs.cause_q850", "fs.causes", "fs.respond", "fs.hangup", "fs.outcome",
      "kam.sl_reply", "kam.send_reply", "kam.t_reply", "kam.winning", "kam.protect", "kam.new",
      "kam.tag",
      "kam.best_response", "kam.failover", "fs.hunt",
      "policy.new", "policy.is_alive", "policy.ds_ping_reply_codes", "policy.choose",
      "p.decide", "p.codes", "p.kamailio_regex", "p.freeswitch_causes",
    }) do
      assert.is_true(listed[name] or false, name .. " is not in the matrix")
      if not name:find(".", 1, true) then
        assert.are.equal("function", type(require("sipcodes")[name]), name)
      end
    end
  end)
end)

describe("unknown option and field names", function()
  it("name the smallest unknown key, the same on every interpreter and run", function()
    local sip = require "sipcodes"
    local many = { gamma = 1, alpha = 1, beta = 1, [1] = 1, [true] = 1 }
    assert.has_error(function() sip.parse_status_line("SIP/2.0 486 x", many) end,
      "bad argument #2 to 'parse_status_line' (unknown option 'alpha')")
    assert.has_error(function() sip.from_q850(17, { zz = 1, location = "U", new_numbre = true }) end,
      "bad argument #2 to 'from_q850' (unknown option 'new_numbre')")
    assert.has_error(function() sip.register(797, "X", { colour = 1, color = 1, replace = false }) end,
      "bad argument #3 to 'register' (unknown option 'color')")
    assert.has_error(function() sip.format_reason({ protocol = "SIP", couse = 1, cuase = 2 }) end,
      "bad argument #1 to 'format_reason' (unknown field 'couse')")
    -- Only keys that are no strings: the smallest type name.
    assert.has_error(function() sip.parse_status_line("SIP/2.0 486 x", { [true] = 1, [2] = 1 }) end,
      "bad argument #2 to 'parse_status_line' (unknown option of type boolean)")
    assert.has_error(function() sip.format_reason({ protocol = "SIP", [1.5] = 1 }) end,
      "bad argument #1 to 'format_reason' (unknown field of type number)")
  end)
end)

describe("codes with bad keys", function()
  it("raises for every key that names no code, and remembers none of them", function()
    local sip = require "sipcodes"
    for _, x in ipairs(VALUES) do
      local ok, err = pcall(function() return sip.codes[x.v] end)
      assert.is_false(ok, x.label)
      if type(x.v) == "string" then
        assert.are.equal("sipcodes.codes has no code named '" .. shown(x.v) .. "'", message(err), x.label)
      else
        assert.are.equal("sipcodes.codes is indexed by name, not by " .. type(x.v), message(err), x.label)
      end
    end
    assert.are.equal(486, sip.codes.BUSY_HERE)
    assert.has_error(function() return sip.codes["BUSY_HERE\0anything"] end,
      "sipcodes.codes has no code named 'BUSY_HERE?anything'")
    assert.has_error(function() sip.codes.BUSY_HERE = 1 end, "sipcodes.codes is read-only")
  end)
end)
