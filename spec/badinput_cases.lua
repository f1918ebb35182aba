-- The bad-input matrix: every public function of sipcodes and its adapters,
-- called with every kind of wrong value, each outcome written as one line
-- ("reason(nil) -> raise bad argument #1 to 'reason' (...)").
--
-- spec/badinput_spec.lua compares these lines, on each interpreter, with
-- spec/fixtures/badinput.txt, so the outcomes are the same on Lua 5.1,
-- 5.2, 5.3, 5.4 and LuaJIT.  After a deliberate change of behaviour,
-- regenerate the file and read its diff:
--
--     LUA_PATH='./lua/?.lua;./spec/?.lua' LUA_CPATH='./build/5.4/?.so' \
--         lua5.4 spec/badinput_cases.lua > spec/fixtures/badinput.txt

local sip = require "sipcodes"
local kam = require "sipcodes.kamailio"
local fs = require "sipcodes.freeswitch"

local M = {}

local math_type = rawget(math, "type")
local mininteger = rawget(math, "mininteger")

-- The wrong values.  Each has a label, so that the lines do not depend on
-- how an interpreter prints a number or a table address.
local big = ("x"):rep(1024 * 1024)
local values = {
  { "nil", nil },
  { "true", true },
  { "false", false },
  { "{}", {} },
  { "function", print },
  { "coroutine", coroutine.create(function() end) },
  { '""', "" },
  { '"abc"', "abc" },
  { '"486"', "486" },
  { "486.5", 486.5 },
  { "-1", -1 },
  { "0", 0 },
  { "99", 99 },
  { "700", 700 },
  { "1e309", 1e309 },
  { "-1e309", -1e309 },
  { "0/0", 0 / 0 },
  { "2^53", 2 ^ 53 },
  { "2^63", 2 ^ 63 },
  { "1MB", big },
  { '"48\\0 6"', "48\0 6" },
  { '"\\xff\\xfe"', "\255\254" },
}
if mininteger then
  values[#values + 1] = { "math.mininteger", mininteger }
end

-- A short, interpreter-independent rendering of a result.
local function show(v, depth)
  local t = type(v)
  if t == "string" then
    if #v > 100 then
      return ("string(%d bytes)"):format(#v)
    end
    -- Escaped by hand: %q differs between versions for control bytes.
    return '"' .. v:gsub('[%c"\\\128-\255]', function(c)
      return ("\\%03d"):format(c:byte())
    end) .. '"'
  elseif t == "number" then
    if v ~= v then
      return "nan"
    elseif math_type and math_type(v) == "float" and v == math.floor(v) and v > -1e15 and v < 1e15 then
      return ("float(%d)"):format(v) -- 5.3+ would print 486.0 where 5.1 prints 486
    end
    return ("%.14g"):format(v)
  elseif t == "table" then
    if (depth or 0) > 2 then
      return "{...}"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    local parts = {}
    for _, k in ipairs(keys) do
      parts[#parts + 1] = tostring(k) .. "=" .. show(v[k], (depth or 0) + 1)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return t == "nil" and "nil" or t == "boolean" and tostring(v) or t
end

-- Run f with the arguments and describe what happened.  Errors lose the
-- "file:line:" that some of them carry; the message itself must match.
local function pack(...)
  return { n = select("#", ...), ... }
end

local function outcome(f, ...)
  local r = pack(pcall(f, ...))
  if not r[1] then
    local msg = tostring(r[2]):gsub("^[^\n]-:%d+: ", "")
    return "raise " .. msg
  end
  local parts = {}
  for i = 2, r.n do parts[#parts + 1] = show(r[i]) end
  return "return " .. table.concat(parts, ", ")
end

-- A KSR double that accepts everything, and a FreeSWITCH session double.
local function fake_ksr()
  local ok = function() return 1 end
  return {
    sl = { sl_send_reply = ok, send_reply = ok },
    tm = { t_reply = ok, t_get_status_code = function() return 486 end },
    hdr = { append_to_reply = ok },
    pv = { get = function() return nil end },
    x = { exit = function() error("~~ksr~exit~~", 0) end },
    err = function() end,
  }
end

local function fake_session()
  local s = {}
  function s.execute() end
  function s.hangup() end
  function s.setVariable() end
  function s.getVariable() return nil end
  function s.answered() return false end
  function s.ready() return true end
  function s.hangupCause() return "NONE" end
  return s
end

-- Every function, with the argument list that puts the wrong value in
-- each position it takes ("V" marks it), and one call with an extra
-- argument.
local function targets()
  local k = kam.new(fake_ksr())
  local s = fake_session()
  local list = {}
  local function add(name, f, ...)
    list[#list + 1] = { name = name, f = f, shapes = { ... } }
  end
  for _, n in ipairs({ "reason", "phrase", "description" }) do
    add(n, sip[n], { "V" }, { 486, "V" }, { 486, "en", 1 })
  end
  for _, n in ipairs({ "info", "name", "status", "class", "class_name", "equivalent",
                       "is_known", "is_valid", "is_provisional", "is_final", "is_success",
                       "is_redirection", "is_client_failure", "is_server_failure",
                       "is_global_failure", "is_failure", "required_headers", "to_q850",
                       "q850_name", "q850_class_name", "q850_reason", "reason_for" }) do
    add(n, sip[n], { "V" }, { 486, 1 })
  end
  add("lookup", sip.lookup, { "V" }, { "busy here", 1 })
  add("each", sip.each, { "V" }, { 4, 1 })
  add("from_q850", sip.from_q850, { "V" }, { 17, "V" }, { 17, nil, 1 })
  add("register", sip.register, { "V", "Vendor" }, { 798, "V" }, { 798, "Vendor", "V" }, { 798, "X", {}, 1 })
  add("codes", function(v) return sip.codes[v] end, { "V" })
  add("parse_status_line", sip.parse_status_line, { "V" }, { "SIP/2.0 200 OK", "V" },
      { "SIP/2.0 200 OK", nil, 1 })
  add("format_status_line", sip.format_status_line, { "V" }, { 486, "V" }, { 486, "Busy", 1 })
  add("parse_reason", sip.parse_reason, { "V" }, { "SIP;cause=200", 1 })
  add("format_reason", sip.format_reason, { "V" }, { { protocol = "V" } },
      { { protocol = "SIP", cause = "V" } }, { { protocol = "Q.850", text = "V" } },
      { { protocol = "SIP" }, 1 })
  add("best_response", sip.best_response, { "V" }, { { "V" } }, { { { code = "V" } } }, { {}, 1 })
  add("fs.cause_name", fs.cause_name, { "V" }, { 17, 1 })
  add("fs.cause_number", fs.cause_number, { "V" }, { 17, 1 })
  add("fs.sip_to_cause", fs.sip_to_cause, { "V" }, { 486, 1 })
  add("fs.cause_to_sip", fs.cause_to_sip, { "V" }, { 17, 1 })
  add("fs.cause_for_sip", fs.cause_for_sip, { "V" }, { 486, 1 })
  add("fs.causes", fs.causes, { 1 })
  add("fs.respond", fs.respond, { "V", 486 }, { s, "V" }, { s, 486, "V" }, { s, 486, "Busy", 1 })
  add("fs.hangup", fs.hangup, { "V", 486 }, { s, "V" }, { s, 486, 1 })
  add("fs.outcome", fs.outcome, { "V" }, { s, 1 })
  add("kam.new", kam.new, { "V" })
  add("kam.sl_reply", k.sl_reply, { "V" }, { 486, "V" }, { 486, nil, "V" }, { 486, nil, nil, 1 })
  add("kam.send_reply", k.send_reply, { "V" }, { 486, "V" })
  add("kam.t_reply", k.t_reply, { "V" }, { 486, "V" }, { 486, nil, "V" })
  add("kam.winning", k.winning, { 1 })
  add("kam.best_response", kam.best_response, { "V" })
  add("kam.protect", k.protect, { "V" })
  return list
end

-- The lines, in a fixed order, each with the label of its wrong value, so
-- that the caller can leave the lines of a value this interpreter lacks
-- (math.mininteger before 5.3) unchecked.
function M.lines()
  local unpack = rawget(table, "unpack") or rawget(_G, "unpack")
  local out = {}
  for _, t in ipairs(targets()) do
    for _, shape in ipairs(t.shapes) do
      -- Shapes like { 17, nil, 1 } have holes: the argument count is the
      -- largest index.
      local n, has_v = 0, false
      for i, x in pairs(shape) do
        n = math.max(n, i)
        has_v = has_v or x == "V"
        if type(x) == "table" then
          for _, y in pairs(x) do
            has_v = has_v or y == "V" or (type(y) == "table" and y.code == "V")
          end
        end
      end
      for _, v in ipairs(has_v and values or { { "-" } }) do
        local args, labels = {}, {}
        for i = 1, n do
          local x = shape[i]
          if x == "V" then
            args[i], labels[i] = v[2], v[1]
          elseif type(x) == "table" then
            -- a table with "V" one or two levels down
            local copy, label = {}, {}
            for key, y in pairs(x) do
              if y == "V" then
                copy[key], label[#label + 1] = v[2], tostring(key) .. "=" .. v[1]
              elseif type(y) == "table" then
                copy[key] = { code = (y.code == "V") and v[2] or y.code }
                label[#label + 1] = tostring(key) .. "={code=" .. v[1] .. "}"
              else
                copy[key], label[#label + 1] = y, tostring(key) .. "=" .. show(y)
              end
            end
            table.sort(label)
            args[i], labels[i] = copy, "{" .. table.concat(label, ",") .. "}"
          else
            args[i], labels[i] = x, show(x)
          end
        end
        out[#out + 1] = {
          value = has_v and v[1] or nil,
          text = ("%s(%s) -> %s"):format(t.name, table.concat(labels, ", "),
                                         outcome(t.f, unpack(args, 1, n))),
        }
      end
    end
  end
  return out
end

M.optional_values = { ["math.mininteger"] = true }

-- Every public function of require "sipcodes" (the module fills itself
-- lazily, so pairs() cannot list them); the spec checks that each is in
-- the matrix and that the module has it.
M.functions = {
  "reason", "phrase", "description", "info", "name", "status", "class", "class_name",
  "equivalent", "is_known", "is_valid", "is_provisional", "is_final", "is_success",
  "is_redirection", "is_client_failure", "is_server_failure", "is_global_failure",
  "is_failure", "lookup", "each", "register", "parse_status_line", "format_status_line",
  "parse_reason", "format_reason", "best_response", "required_headers", "to_q850",
  "from_q850", "q850_name", "q850_class_name", "q850_reason", "reason_for",
}

-- Run as a script (no module name in `...`): print the fixture.
if select("#", ...) == 0 then
  for _, l in ipairs(M.lines()) do print(l.text) end
end

return M
