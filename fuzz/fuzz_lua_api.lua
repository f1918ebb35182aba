-- fuzz/fuzz_lua_api.lua - the driver of fuzz/fuzz_lua_api.c: one run per
-- fuzz input, in a fresh lua_State, with the input as its only argument.
--
-- The bytes are read as a sequence of operations (see `ops` at the end):
-- call a public function with 0-4 arguments from a pool (by pcall itself,
-- or from a Lua function, where an argument error must point at it),
-- register a code, index sipcodes.codes, a parser on text cut from the
-- input, set a C locale or repeat a call in another, replace the global
-- KSR, push 300 keys through a memo, check the module's shape, collect
-- garbage and check the heap.  A call goes three ways, each twice (the
-- second may answer from a memo):
--
--   sip.f    sip = require "sipcodes"
--   core.f   core = require "sipcodes.core"
--   memo.f   memo = core.module(<the sipcodes.memo wrapper>), the LuaJIT
--            fast path, which works on 5.4 too
--
-- (the adapters: require "sipcodes.kamailio", core.kamailio() and helpers
-- bound with new(KSR); require "sipcodes.freeswitch" and two
-- core.freeswitch() tables).  All six must give the same results (deep
-- compare, NaN-safe, math.type too), the same calls on the host doubles,
-- or the same error.  An error must be "bad argument #N to 'NAME' (...)"
-- with the function's own NAME, "not enough memory", or one of the few
-- documented others (allowed_error); the parsers never raise on a string.
-- Results are also checked against each other where the API promises it
-- (checks): parse_reason/format_reason and parse_status_line/
-- format_status_line are inverses, fresh tables share nothing, a
-- registration shows everywhere (memos emptied) or, if it raises, nowhere.
--
-- A broken promise calls fail(), whose error reaches the C side, which
-- aborts; errors of the library caught by the driver's own pcall are the
-- expected outcome of a call and go no further.
local data = ...

local unpack = table.unpack
local math_type = math.type

local core = require "sipcodes.core"
local sip = require "sipcodes"
local memo = core.module(function(f, m)
  return require("sipcodes.memo")(f, m)
end)
local kamA = require "sipcodes.kamailio"
local kamB = core.kamailio()
local fsA = require "sipcodes.freeswitch"
local fsB = core.freeswitch()
local fsC = core.freeswitch()
local polA = require "sipcodes.policy"
local polB = core.policy()
local polC = core.policy()
local kpiA = require "sipcodes.kpi"
local kpiB = core.kpi()
local kpiC = core.kpi()

local EXIT = "~~ksr~exit~~"

-- Bugs found, reported and not fixed yet, that a long campaign may let
-- pass so as to look for others (SIPCODES_FUZZ_KNOWN, comma-separated;
-- unset, every check holds):
--   ksr-shape     the Kamailio helpers, protect's own reply included,
--                 raise "attempt to index a nil value" when the KSR object
--                 lacks sl or tm (Kamailio without those modules) or is no
--                 table (kamailio.new(42));
--   locale-float  freeswitch.outcome reads a hangup cause that is a float
--                 (17.0) as "17.0" in the C locale, as "17,0" (no cause)
--                 in de_DE.
--
-- Locales: only "C" is sure to exist; the others are tried and skipped
-- when setlocale refuses them (LOCPATH may point at locales made with
-- localedef, e.g. de_DE.UTF-8, whose decimal comma is the interesting
-- case).
local KNOWN = {}
for tag in (os.getenv("SIPCODES_FUZZ_KNOWN") or ""):gmatch("[%w-]+") do KNOWN[tag] = true end
-- The error that the driver's own metamethods and routes raise on purpose:
-- it must pass through the library unchanged.
local RAISED = "DRIVER-RAISED"

-- ---- reporting --------------------------------------------------------------

-- Strings in byte order: the < operator follows the collation of the
-- locale (strcoll), which the driver changes.
local function byte_lt(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = a:byte(i), b:byte(i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local function show(v, depth)
  depth = depth or 0
  local t = type(v)
  if t == "string" then
    if #v > 80 then
      return ("string(%d bytes: %q...)"):format(#v, v:sub(1, 40))
    end
    return ("%q"):format(v)
  elseif t == "number" then
    if v ~= v then return "nan" end
    return math_type(v) .. ":" .. ("%.17g"):format(v)
  elseif t == "table" then
    if depth > 2 then return "{...}" end
    local parts = {}
    for k, x in pairs(v) do
      if #parts > 20 then parts[#parts + 1] = "..."; break end
      parts[#parts + 1] = "[" .. show(k, depth + 1) .. "]=" .. show(x, depth + 1)
    end
    table.sort(parts, byte_lt)
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return tostring(v)
end

local function fail(fmt, ...)
  local args = { ... }
  for i = 1, select("#", ...) do args[i] = show(args[i]) end
  error("VIOLATION: " .. fmt:format(unpack(args, 1, select("#", ...))), 0)
end

-- ---- deep comparison ----------------------------------------------------------

local function deq(a, b, seen)
  if rawequal(a, b) then return true end
  local ta, tb = type(a), type(b)
  if ta ~= tb then return false end
  if ta == "number" then
    if a ~= a and b ~= b then return true end
    return math_type(a) == math_type(b) and a == b
  elseif ta == "function" then
    -- Closures made by different calls: compared by what they do (post).
    return true
  elseif ta ~= "table" then
    return false
  end
  seen = seen or {}
  if seen[a] == b then return true end
  seen[a] = b
  -- (Each module table has a metatable of its own.)
  if (getmetatable(a) == nil) ~= (getmetatable(b) == nil) then return false end
  for k, x in next, a do
    local y = rawget(b, k)
    if y == nil or not deq(x, y, seen) then return false end
  end
  for k in next, b do
    if rawget(a, k) == nil then return false end
  end
  return true
end

-- ---- the input --------------------------------------------------------------

local pos = 1
local function more() return pos <= #data end
local function byte()
  local b = data:byte(pos) or 0
  pos = pos + 1
  return b
end
local function slice(n)
  local s = data:sub(pos, pos + n - 1)
  pos = pos + n
  return s
end

-- ---- host doubles (after spec/doubles.lua) -------------------------------------

local LOG = {}
local function rec(...)
  local parts = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    parts[i] = type(v) == "number" and (math_type(v) .. ":" .. tostring(v)) or tostring(v)
  end
  LOG[#LOG + 1] = table.concat(parts, " ")
end

local function make_ksr(o)
  local k = {}
  k.sl = {
    sl_send_reply = function(c, r) rec("sl_send_reply", c, r) return o.ret end,
    send_reply = function(c, r) rec("send_reply", c, r) return o.ret end,
  }
  k.tm = {
    t_reply = function(c, r) rec("t_reply", c, r) return o.ret end,
    t_is_canceled = function() return o.canceled end,
    t_any_timeout = function() return 1 end,
    t_any_replied = function() return -1 end,
  }
  if not o.old then
    k.tm.t_get_status_code = function() return o.status end
  end
  -- Kamailio without the sl or the tm module has no KSR.sl or KSR.tm.
  if o.no_sl then k.sl = nil end
  if o.no_tm then k.tm = nil end
  k.hdr = { append_to_reply = function(t) rec("append_to_reply", t) return 1 end }
  k.pv = { get = function(name) return (o.vars or {})[name] end }
  k.x = { exit = function() error(EXIT, 0) end }
  k.err = function(m) rec("err", m) end
  return k
end

local function make_session(vars, answered, cause)
  local s = { vars = vars }
  function s.execute(_, app, d) rec("execute", app, d) end
  function s.hangup(_, c) rec("hangup", c) end
  function s.getVariable(self, n) return self.vars[n] end
  function s.setVariable(self, n, v) rec("set", n, v) self.vars[n] = v end
  function s.answered() return answered end
  if cause ~= nil then
    function s.hangupCause() return cause end
  end
  return s
end

-- A table whose fields come from an __index that allocates and runs the
-- collector, giving strings that nothing else holds (stored reversed), so
-- that a pointer the library keeps without an anchor is freed under it.
local nchurn = 0
local function churn(full)
  local t = {}
  for i = 1, 6 do t[i] = { i, tostring(i) .. "x" } end
  nchurn = nchurn + 1
  -- A full collection every 4th time only: they are slow, and which
  -- access gets one changes no answer.
  if full and nchurn % 4 == 0 then collectgarbage() else collectgarbage("step") end
  return t
end
local function proxy(fields, full)
  local stored = {}
  for k, v in pairs(fields) do
    stored[k] = type(v) == "string" and v:reverse() or v
  end
  return setmetatable({}, {
    __index = function(_, k)
      churn(full)
      local v = stored[k]
      if type(v) == "string" then v = v:reverse() end
      return v
    end,
  })
end

local function raising_index(fields)
  return setmetatable(fields or {}, { __index = function() error(RAISED, 0) end })
end

-- ---- the pool of arguments ----------------------------------------------------

local ksrs = {
  make_ksr({ ret = 1, status = 486, canceled = -1 }),
  make_ksr({ ret = -1, status = "408", canceled = 1 }),
  make_ksr({ ret = "1", status = 486.5, old = true, vars = { ["$T_reply_code"] = 503 } }),
  make_ksr({ ret = nil, status = 0, old = true, vars = { ["$T_reply_code"] = "603" } }),
  make_ksr({ ret = {}, status = 2 ^ 31 }),
  make_ksr({ ret = 1, status = 486, no_tm = true, vars = { ["$T_reply_code"] = 486 } }),
  make_ksr({ ret = 1, status = 486, no_sl = true }),
  make_ksr({ ret = 1, old = true, vars = { ["$T_reply_code"] = {} } }),
}
ksrs[#ksrs + 1] = proxy({ sl = ksrs[1].sl, tm = ksrs[1].tm, hdr = ksrs[1].hdr,
                          pv = ksrs[1].pv, x = ksrs[1].x, err = ksrs[1].err }, false)
rawset(_G, "KSR", ksrs[1])

local sessions = {
  make_session({ sip_term_status = "486" }, false),
  make_session({ hangup_cause = "NORMAL_CLEARING" }, true),
  make_session({ proto_specific_hangup_cause = "sip:503", last_bridge_hangup_cause = 17 }, false, "USER_BUSY"),
  make_session({ sip_term_status = 486.0, originate_disposition = "CALL_REJECTED",
                 sip_hangup_phrase = "" }, false),
  make_session({ sip_term_status = {}, hangup_cause = 2 ^ 40,
                 last_bridge_proto_specific_hangup_cause = "sip:000" }, true, 0),
  make_session({ last_bridge_proto_specific_hangup_cause = "sip:480", hangup_cause = "SUCCESS" }, true, "NONE"),
  make_session({}, false, nil),
  make_session({ hangup_cause = 17.0, last_bridge_hangup_cause = 21.0 }, true, 34.0),
  make_session({ originate_disposition = 16.0 }, true, nil),
}
local s1 = sessions[1]
sessions[#sessions + 1] = proxy({ execute = s1.execute, hangup = s1.hangup, vars = s1.vars,
                                  getVariable = s1.getVariable, setVariable = s1.setVariable,
                                  answered = s1.answered }, true)
sessions[#sessions + 1] = { execute = s1.execute } -- no hangup, no getVariable

local routes = {
  function(...) return select("#", ...), ... end,
  function() error("route failed") end,
  function() error({ code = 1 }) end,
  function() error(setmetatable({}, { __tostring = function() return "custom error" end })) end,
  function() error(setmetatable({}, { __tostring = function() error("tostring raised") end })) end,
  function() error(setmetatable({}, { __tostring = function() return 42 end })) end,
  function() error() end,
  function() error(EXIT, 0) end,
  function() local k = rawget(_G, "KSR") if k then k.x.exit() end return "no KSR" end,
  function() kamA.sl_reply(486) error("after a reply") end,
  function() kamA.t_reply(200, "OK") return "done" end,
  function() kamA.sl_reply(100) error("after a provisional reply") end,
  function() coroutine.yield(1) end,
  function() churn(true) error("after a collection") end,
}

local wrappers = {
  function(f, m) return require("sipcodes.memo")(f, m) end,
  function(f) return f end,
  function() return 42 end,
  function() return nil end,
}

local mt_eq = setmetatable({}, {
  __tostring = function() return "486" end,
  __eq = function() return true end,
  __lt = function() return true end,
  __len = function() return 3 end,
})
local mt_tostring_raises = setmetatable({ protocol = "SIP" }, {
  __tostring = function() error(RAISED, 0) end,
})

local big = ("x"):rep(8193)
local seventeen = {}
for i = 1, 17 do seventeen["p" .. i] = "v" end

local pool = {
  nil, false, true,
  0, 99, 100, 199, 200, 299, 300, 399, 400, 499, 500, 599, 600, 699, 700, 799, 800, -1,
  2 ^ 31, 2 ^ 53, 2147483647, -2147483648, 2147483648, math.maxinteger, math.mininteger,
  1, 7, 8, 16, 17, 21, 22, 31, 34, 127, 128, 180, 183, 401, 407, 486, 487, 488, 503, 606, 608,
  486.5, 486.0, 0 / 0, 1 / 0, -1 / 0, -0.0, 1e-300,
  "486", " 486 ", "0x1E6", "4.86e2", "486,0", "inf", "nan", "486.0", "+486", "-1", "0486",
  "1e3", "4 86", "486\0", "0x", "", "  ", "\t486\n", "2147483648", "0x7FFFFFFF", "17",
  "en", "de", "DE", "fr",
  "busy here", "Busy Here", "BUSY_HERE", "besetzt", "Internal Server Error", "not acceptable",
  "...", "\255\254", "Caf\195\169", "Vendor Thing",
  "USER_BUSY", "user_busy", "NORMAL_CLEARING", "CALL_REJECTED", "NONE", "SUCCESS", "bogus_cause",
  "SIP/2.0 486 Busy Here", "SIP/2.0 486 Busy Here\r\n", "sip/2.0 200", "SIP/2.0 999 What",
  "SIP/2.0 200 OK \r\n", "SIP/2.0 200 Caf\233",
  'Q.850;cause=16;text="Terminated"', 'SIP;cause=200;text="Call completed elsewhere"',
  "Reason: SIP;cause=200\r\n", "Q.850;cause=17;location=LN", 'SIP;text="\\\1"',
  "SIP;cause=200, Q.850;cause=16", "SIP;cause=200\r\n",
  "LN", "U", "user", "BI", "sip:486", EXIT, "$T_reply_code",
  big, ("SIP;cause=200,"):rep(600), ("a"):rep(64), ("a"):rep(65), ("486"):rep(100),
  {}, { lenient = true }, { lenient = false }, { lenient = 1 }, { lenient = true, x = 1 },
  { 1, 2, 3 }, { location = "user" }, { location = "U" }, { location = 0 }, { location = 1 },
  { location = true }, { new_number = true }, { new_number = "sip:+1" }, { new_number = 1 },
  { reason = true }, { reason = false }, { reason = 17 }, { reason = 17.5 }, { reason = 0 },
  { reason = 200 }, { reason = "Q.850;cause=16" }, { reason = "Reason: SIP;cause=1" },
  { reason = "SIP;cause=1\r\n" }, { reason = "bad;;" }, { reason = { protocol = "SIP", cause = 200 } },
  { reason = { protocol = "SIP", bogus = 1 } }, { reason = {} }, { reason = type },
  { protocol = "SIP", cause = 200, text = "Call completed elsewhere" },
  { protocol = "Q.850", cause = 16, location = "LN", params = { x = "y", flag = true } },
  { protocol = "Q.850", cause = 16.5 }, { protocol = "Q.850", cause = 2 ^ 31 },
  { protocol = "Q.850", cause = -1 }, { protocol = "SIP", text = "a\1b" },
  { protocol = "SIP", params = { cause = "1" } }, { protocol = "SIP", params = { A = "1", a = "2" } },
  { protocol = "SIP", params = { "x" } }, { protocol = "SIP", params = { x = false } },
  { protocol = "SIP", couse = 1 }, { protocol = 1 }, { cause = 1 },
  { protocol = "SIP", params = seventeen },
  { protocol = "SIP", location = "LN" }, { protocol = "Q.850", text = big },
  { { protocol = "SIP", cause = 200 }, { protocol = "Q.850", cause = 16 } },
  { [1] = { protocol = "SIP" }, [3] = { protocol = "X" } }, { { protocol = "SIP" }, "x" },
  { 503, 407, 501, 404 }, { { code = 486 }, { code = 503 }, { code = 200 } }, { 180, 183 },
  { 486.5 }, { { code = "486" } }, { {} }, { 600, 200 }, { 503, 503 }, { [1] = 486, [3] = 200 },
  { replace = true }, { name = "VENDOR_THING" }, { name = "bad name" }, { reason_de = "Herstellerding" },
  { status = "deprecated" }, { status = "weird" }, { rfc = "RFC 1234, RFC 99" },
  { description = ("d"):rep(1025) }, { replace = "yes" }, { replace = true, name = "BUSY_HERE" },
  { description = "x", description_de = "y", replace = true }, { unknown = 1 },
  proxy({ protocol = "SIP", cause = 200, text = ("long text "):rep(8), params = { a = "b" } }, false),
  proxy({ protocol = "Q.850", cause = 17, location = "LN" }, true),
  proxy({ name = "PROXY_THING", reason_de = "Stellvertreter", replace = true, status = "standard" }, true),
  proxy({ reason = { protocol = "SIP", cause = 480, text = "Temporarily Unavailable" } }, false),
  proxy({ reason = "Q.850;cause=18;text=\"No user responding\"" }, true),
  proxy({ location = "user", new_number = true }, false),
  proxy({ lenient = true }, true),
  { proxy({ code = 486 }, false), proxy({ code = 603 }, true) },
  raising_index(), raising_index({ protocol = "SIP" }), mt_eq, mt_tostring_raises,
  type, routes[1], routes[2], routes[4], routes[8], routes[10], routes[13],
  coroutine.create(function() end), io.stdout,
  { name = 486, rfc = {} }, { location = {} }, { new_number = 486 },
  { { protocol = "SIP" }, { protocol = 1 } }, { protocol = "SIP", text = 1 },
  { protocol = "SIP", cause = "16" }, { protocol = "SIP", params = "x" }, { protocol = "SIP", [1] = 2 },
  { { code = 180 } },
}
local npool = 0
for i = 1, 400 do if pool[i] ~= nil or i <= 3 then npool = i end end
for _, k in ipairs(ksrs) do pool[npool + 1] = k; npool = npool + 1 end
for _, s in ipairs(sessions) do pool[npool + 1] = s; npool = npool + 1 end
for _, r in ipairs(routes) do pool[npool + 1] = r; npool = npool + 1 end
for _, w in ipairs(wrappers) do pool[npool + 1] = w; npool = npool + 1 end
-- policies, one per preset and one with overrides, for the methods and the
-- host helpers that take one
for _, pol in ipairs({ polA.new("rfc3261"), polA.new("carrier"), polA.new("lcr"),
                       polA.new("carrier", { [480] = "next", ["6xx"] = "next", follow_redirects = true }) }) do
  pool[npool + 1] = pol; npool = npool + 1
end
for _, a in ipairs({ "next", "relay", "next_down", "auth", "wait", "carrier", "busy", "class=2;code=403" }) do
  pool[npool + 1] = a; npool = npool + 1
end

-- One argument: 0xC0-0xFE a string of up to 62 bytes cut from the input,
-- 0xFF one of 4 * (next byte) bytes, 0x80-0xBF and the next byte any
-- element of the pool, below 0x80 one of its first 128.
local function pick()
  local b = byte()
  if b == 0xFF then
    return slice(4 * byte())
  elseif b >= 0xC0 then
    return slice(b - 0xC0)
  elseif b >= 0x80 then
    return pool[((b - 0x80) * 256 + byte()) % npool + 1]
  end
  return pool[b % npool + 1]
end

-- ---- calls and their outcomes ----------------------------------------------

local function pack(...)
  return { n = select("#", ...), ... }
end

-- A call from a Lua function (not a tail call): an argument error must
-- then point at it, "fuzz/fuzz_lua_api.lua:<line of via>: bad argument
-- ...", the memo's wrapper being no caller of its own.
local function via(f, ...)
  local r = pack(f(...))
  return unpack(r, 1, r.n)
end
local VIA_WHERE
do
  local _, e = pcall(via, error, "!")
  VIA_WHERE = e:sub(1, -2)
end

local function outcome(f, args, nargs, through)
  LOG = {}
  local r
  if through then
    r = pack(pcall(via, f, unpack(args, 1, nargs)))
  else
    r = pack(pcall(f, unpack(args, 1, nargs)))
  end
  r.log = LOG
  LOG = {}
  return r
end

local function same(a, b)
  if a.n ~= b.n or a[1] ~= b[1] then return false end
  for i = 2, a.n do
    if not deq(a[i], b[i]) then return false end
  end
  return deq(a.log, b.log) and deq(a.post, b.post)
end

local function is_int(v)
  return math_type(v) == "integer" and v >= -2147483648 and v <= 2147483647
end

local function plain_opts(t, names)
  if t == nil then return true end
  if type(t) ~= "table" or getmetatable(t) ~= nil then return false end
  for k, v in pairs(t) do
    if not names[k] or (v ~= nil and type(v) ~= "boolean") then return false end
  end
  return true
end

-- The errors allowed besides "bad argument": each a documented message.
local function allowed_error(F, msg)
  if msg == "not enough memory" or msg == RAISED then return true end
  if F.family == "kam" and rawget(_G, "KSR") == nil and
     msg:find("^" .. F.name .. ": no KSR object %(") then
    return true
  end
  -- A KSR double without the group a helper calls: named, as documented.
  if F.family == "kam" and (msg:find("^%a[%w_]*: KSR has no %a+%.[%w_]+ %(") or
                            msg:find("^%a[%w_]*: the global KSR is a %a+, not ")) then
    return true
  end
  return false
end

local function known_ksr_shape(F, msg)
  return KNOWN["ksr-shape"] and F.family == "kam" and type(msg) == "string" and
         msg:find("^attempt to %a+ a %a+ value") ~= nil
end

local function check_error(F, msg, nargs, what, through)
  if type(msg) ~= "string" then
    fail("%s: error value %s is not a string", what, msg)
  end
  if allowed_error(F, msg) or known_ksr_shape(F, msg) then return end
  if through then
    if msg:sub(1, #VIA_WHERE) ~= VIA_WHERE then
      fail("%s: error %s does not point at the caller (%s)", what, msg, VIA_WHERE)
    end
    msg = msg:sub(#VIA_WHERE + 1)
    if allowed_error(F, msg) then return end
  end
  local n, name = msg:match("^bad argument #(%d+) to '([^']*)' %(.*%)$")
  if not n then
    fail("%s: error %s is no argument error", what, msg)
  end
  if name ~= F.name then
    fail("%s: error %s names the wrong function", what, msg)
  end
  if tonumber(n) < 1 or tonumber(n) > nargs + 1 then
    fail("%s: error %s names argument %s of a call with %s", what, msg, n, nargs)
  end
end

-- ---- what the API promises beyond equal answers ---------------------------------

local checks = {}

-- parse_reason and format_reason are inverses: what parse gives, format
-- takes back (or refuses with nil, message: text with a control character
-- that came from a quoted-pair, a header that grows past 8192 bytes), and
-- format(parse(format(x))) == format(x).
local function reason_round_trip(list, what)
  local ok, out, why = pcall(sip.format_reason, list)
  if not ok then fail("%s: format_reason of what parse_reason gave raised %s", what, out) end
  if out == nil then
    if type(why) ~= "string" then fail("%s: format_reason gave nil without a message", what) end
    if not (why:find("control character in quoted text", 1, true) or
            why:find("longer than 8192 bytes", 1, true)) then
      fail("%s: format_reason refused what parse_reason gave: %s (%s)", what, why, list)
    end
    return
  end
  local back, err = sip.parse_reason(out)
  if not back then fail("%s: parse_reason(%s) failed: %s", what, out, err) end
  if not deq(back, list) then fail("%s: parse(format(x)) ~= x: %s -> %s -> %s", what, list, out, back) end
end

function checks.parse_reason(r, args)
  if type(r[2]) == "table" then reason_round_trip(r[2], "parse_reason(" .. show(args[1]) .. ")") end
end

function checks.format_reason(r)
  local out = r[2]
  if type(out) ~= "string" then
    if out ~= nil or type(r[3]) ~= "string" then fail("format_reason gave %s, %s", out, r[3]) end
    return
  end
  if #out > 8192 then fail("format_reason gave %s bytes", #out) end
  local list, err = sip.parse_reason(out)
  if not list then fail("parse_reason(format_reason(x)) = nil, %s for %s", err, out) end
  local again = sip.format_reason(list)
  if again ~= out then fail("format_reason is no fixed point: %s then %s", out, again) end
end

function checks.parse_status_line(r, args)
  local t = r[2]
  if type(t) ~= "table" or t.lenient or t.version ~= "SIP/2.0" or not t.valid then return end
  local out, err = sip.format_status_line(t.code, t.reason)
  if out == nil then
    if #t.reason > 8178 and err:find("longer than 8178") then return end
    fail("format_status_line refused what parse_status_line gave: %s (%s)", err, args[1])
  end
  local line = args[1]:gsub("\r\n$", "")
  if out ~= line then fail("format_status_line(parse(%s)) = %s", args[1], out) end
end

function checks.format_status_line(r, args)
  local out = r[2]
  if type(out) ~= "string" then return end
  local t, err = sip.parse_status_line(out)
  if not t then fail("parse_status_line(%s) failed: %s", out, err) end
  local want = args[2]
  if want == nil then want = sip.phrase(t.code) end
  if t.reason ~= want or t.version ~= "SIP/2.0" or not t.valid then
    fail("parse_status_line(%s) = %s", out, t)
  end
end

function checks.phrase(r, args, nargs)
  local p = r[2]
  if p == nil or nargs ~= 1 or not math_type(args[1]) then return end
  local code = math.tointeger(args[1])
  if is_int(code) and code >= 100 and code <= 699 then
    local line = sip.format_status_line(code)
    if line ~= ("SIP/2.0 %d %s"):format(code, p) then
      fail("format_status_line(%s) = %s, phrase %s", code, line, p)
    end
  end
end

function checks.lookup(r)
  if r[2] ~= nil and not sip.is_known(r[2]) then fail("lookup gave %s, which is not known", r[2]) end
end

local function reason_header(s, what)
  if s == nil then return end
  local list, err = sip.parse_reason(s)
  if not list or #list ~= 1 or list[1].protocol ~= "Q.850" then
    fail("%s gave %s, which parses as %s, %s", what, s, list, err)
  end
end

function checks.q850_reason(r) reason_header(r[2], "q850_reason") end
function checks.reason_for(r) reason_header(r[2], "reason_for") end

-- A reply helper sent a phrase a Status-Line can carry.
local function reply_check(r)
  local phrase = r[3]
  if r.n ~= 3 or type(phrase) ~= "string" or phrase == "" then
    fail("reply helper gave %s, %s", r[2], phrase)
  end
  if not sip.format_status_line(200, phrase) then
    fail("reply helper sent phrase %s", phrase)
  end
end
checks.sl_reply, checks.send_reply, checks.t_reply = reply_check, reply_check, reply_check

-- Must not raise: a parser on string data (and the few functions that
-- take plain data only).  true, or the one error that may still come.
local noraise = {}
function noraise.parse_reason(a, n) return n == 1 and type(a[1]) == "string" end
noraise.parse_retry_after = noraise.parse_reason
noraise.parse_warning = noraise.parse_reason
function noraise.lookup(a, n) return n == 1 and type(a[1]) == "string" end
function noraise.parse_status_line(a, n)
  return (n == 1 or n == 2) and type(a[1]) == "string" and plain_opts(a[2], { lenient = true })
end
function noraise.format_status_line(a, n)
  return (n == 1 or n == 2) and is_int(a[1]) and (a[2] == nil or type(a[2]) == "string")
end
local function int_only(a, n) return n == 1 and is_int(a[1]) end
for _, name in ipairs({ "class", "class_name", "equivalent", "info", "is_known", "is_valid",
                        "is_final", "name", "status", "required_headers", "to_q850",
                        "q850_name", "q850_class_name", "q850_reason", "reason_for",
                        "sip_to_cause", "cause_for_sip", "q850_outcome", "progress_kind",
                        "warning_info" }) do
  noraise[name] = int_only
end
-- A string that is a numeral without an int value (486.5, 1e309) raises
-- as any code or cause does; names and other text never.
local function cause_arg(a, n)
  if n ~= 1 then return false end
  if type(a[1]) == "string" then return "number has no integer representation" end
  return is_int(a[1])
end
noraise.cause_name, noraise.cause_number, noraise.cause_q850, noraise.cause_to_sip =
  cause_arg, cause_arg, cause_arg, cause_arg

-- ---- post: results that are functions or fresh modules, by what they do ----------

local post = {}

function post.each(r)
  local f, s, c = r[2], r[3], r[4]
  local seq = {}
  for _ = 1, 40 do
    local ok, code, info = pcall(f, s, c)
    if not ok then fail("the iterator of each raised %s", code) end
    if code == nil then break end
    if c ~= nil and code <= c then fail("each went from %s to %s", c, code) end
    seq[#seq + 1] = { code, info }
    c = code
  end
  -- By hand, with anything.
  seq.odd = pack(pcall(f, 99, -5))
  seq.odd2 = pack(pcall(f, "x", {}))
  return seq
end

-- protect: the wrapped route, called with two more arguments of the op.
local post_args = {}
function post.protect(r)
  local g = r[2]
  local o = outcome(g, post_args, 2)
  local co = coroutine.wrap(function() return pack(pcall(g, unpack(post_args, 1, 2))) end)
  LOG = {}
  local inco = co()
  o.co, o.colog = inco, LOG
  LOG = {}
  -- Only KSR.x.exit() goes through; without any KSR there is no one to
  -- answer, which is what every helper says then.
  local function allowed(msg)
    return msg == EXIT or (rawget(_G, "KSR") == nil and type(msg) == "string" and
                           msg:find("^protect: no KSR object %(")) or
           known_ksr_shape({ family = "kam" }, msg)
  end
  if not o[1] and not allowed(o[2]) then fail("a protected route raised %s", o[2]) end
  if not inco[1] and not allowed(inco[2]) then fail("a protected route raised %s in a coroutine", inco[2]) end
  return o
end

function post.new(r)
  local h = r[2]
  local out = {}
  for _, name in ipairs({ "winning", "sl_reply", "send_reply", "t_reply" }) do
    local args = name == "winning" and {} or { 486 }
    out[name] = outcome(h[name], args, #args)
  end
  return out
end

function post.module(r)
  local m = r[2]
  local out = { codes = rawequal(m.codes, sip.codes), version = m._VERSION }
  for _, call in ipairs({ { "reason", 486 }, { "lookup", "busy here" }, { "class", 486 },
                          { "parse_reason", "SIP;cause=200" } }) do
    local ok, f = pcall(function() return m[call[1]] end)
    out[call[1]] = ok and outcome(f, { call[2] }, 1) or pack(false, f)
  end
  return out
end

local function keys_of(r)
  local keys = {}
  for k, v in pairs(r[2]) do keys[#keys + 1] = k .. ":" .. type(v) end
  table.sort(keys, byte_lt)
  return keys
end
post.kamailio, post.freeswitch = keys_of, keys_of

-- ---- the functions ---------------------------------------------------------------

local FUNCS = {}
local SIP_NAMES = {
  "reason", "phrase", "description", "info", "name", "status", "class", "class_name",
  "equivalent", "is_known", "is_valid", "is_provisional", "is_final", "is_success",
  "is_redirection", "is_client_failure", "is_server_failure", "is_global_failure",
  "is_failure", "lookup", "each", "parse_status_line", "format_status_line",
  "parse_reason", "format_reason", "best_response", "required_headers", "to_q850",
  "from_q850", "q850_name", "q850_class_name", "q850_reason", "reason_for",
  "parse_retry_after", "format_retry_after", "outcome", "q850_outcome", "progress_kind",
  "warning_text", "warning_info", "parse_warning", "format_warning",
}
for _, n in ipairs(SIP_NAMES) do
  FUNCS[#FUNCS + 1] = { family = "sip", name = n, ways = function() return { sip[n], core[n], memo[n] } end }
end
for _, n in ipairs({ "sl_reply", "send_reply", "t_reply", "winning", "protect", "tag" }) do
  FUNCS[#FUNCS + 1] = { family = "kam", name = n, ways = function()
    return { kamA[n], kamB[n], kamA.new(rawget(_G, "KSR"))[n] }
  end }
end
for _, n in ipairs({ "new", "best_response" }) do
  FUNCS[#FUNCS + 1] = { family = "kam", name = n, ways = function()
    return { kamA[n], kamB[n], core.kamailio()[n] }
  end }
end
for _, n in ipairs({ "cause_for_sip", "cause_name", "cause_number", "cause_q850", "cause_to_sip",
                     "causes", "hangup", "outcome", "respond", "sip_to_cause", "tag" }) do
  FUNCS[#FUNCS + 1] = { family = "fs", name = n, ways = function() return { fsA[n], fsB[n], fsC[n] } end }
end
for _, n in ipairs({ "module", "kamailio", "freeswitch" }) do
  FUNCS[#FUNCS + 1] = { family = "core", name = n, ways = function() return { core[n], core[n], core[n] } end }
end
for _, n in ipairs({ "new", "is_alive", "ds_ping_reply_codes", "choose" }) do
  FUNCS[#FUNCS + 1] = { family = "policy", name = n, ways = function() return { polA[n], polB[n], polC[n] } end }
end
-- the methods, taken from policies of the three module tables: the self
-- argument comes from the pool like every other
do
  local pa, pb, pc = polA.new("carrier"), polB.new("carrier"), polC.new("carrier")
  for _, n in ipairs({ "decide", "codes", "kamailio_regex", "freeswitch_causes" }) do
    FUNCS[#FUNCS + 1] = { family = "policy", name = n, ways = function() return { pa[n], pb[n], pc[n] } end }
  end
end
for _, n in ipairs({ "new", "profile" }) do
  FUNCS[#FUNCS + 1] = { family = "kpi", name = n, ways = function() return { kpiA[n], kpiB[n], kpiC[n] } end }
end
-- a counter's methods, on counters of the three module tables
do
  local ka, kb, kc = kpiA.new("homer"), kpiB.new("homer"), kpiC.new("homer")
  for _, n in ipairs({ "add", "report" }) do
    FUNCS[#FUNCS + 1] = { family = "kpi", name = n, ways = function() return { ka[n], kb[n], kc[n] } end }
  end
end
FUNCS[#FUNCS + 1] = { family = "kam", name = "failover", ways = function()
  return { kamA.failover, kamB.failover, kamA.new(rawget(_G, "KSR")).failover }
end }
FUNCS[#FUNCS + 1] = { family = "fs", name = "hunt", ways = function() return { fsA.hunt, fsB.hunt, fsC.hunt } end }
-- register is an op of its own (it changes the state).

-- The module's shape: every public function is the core's closure (no
-- wrapper on 5.4), the memo module has each, and the non-public ones are
-- on the core only.
local function op_shape()
  for _, n in ipairs(SIP_NAMES) do
    if not rawequal(sip[n], core[n]) then fail("sip.%s is not core.%s", n, n) end
    if type(memo[n]) ~= "function" then fail("memo.%s is %s", n, memo[n]) end
  end
  for _, n in ipairs({ "module", "kamailio", "freeswitch", "register_x", "_VERSION_" }) do
    if sip[n] ~= nil or memo[n] ~= nil then fail("sip.%s is there", n) end
  end
  if not rawequal(sip.codes, memo.codes) then fail("two codes tables") end
end

-- Does a table reachable from b also lie in a?
local function shares(a, b)
  local inside, stack = {}, { a }
  while #stack > 0 do
    local t = table.remove(stack)
    if type(t) == "table" and not inside[t] then
      inside[t] = true
      for _, v in next, t do stack[#stack + 1] = v end
    end
  end
  stack = { b }
  local seen = {}
  while #stack > 0 do
    local t = table.remove(stack)
    if type(t) == "table" and not seen[t] then
      if inside[t] then return true end
      seen[t] = true
      for _, v in next, t do stack[#stack + 1] = v end
    end
  end
  return false
end

-- What these give is documented (or plainly meant) to be a fresh table,
-- nothing of it shared with an earlier answer.
local FRESH = { info = true, causes = true, required_headers = true, parse_reason = true,
                parse_status_line = true, winning = true, outcome = true, each = true,
                parse_retry_after = true, parse_warning = true, warning_info = true,
                report = true, profile = true }

local function run_call(F, args, nargs, what, through)
  local ways = F.ways()
  local outs = {}
  for w = 1, 3 do
    for _ = 1, 2 do
      local o = outcome(ways[w], args, nargs, through)
      if o[1] and post[F.name] then o.post = post[F.name](o, args, nargs) end
      outs[#outs + 1] = o
    end
  end
  for i = 2, #outs do
    if not same(outs[1], outs[i]) then
      fail("%s: way %s gave %s (log %s, post %s), way 1 gave %s (log %s, post %s)", what,
           (i + 1) // 2, outs[i], outs[i].log, outs[i].post, outs[1], outs[1].log, outs[1].post)
    end
  end
  if FRESH[F.name] and outs[1][1] then
    for i = 2, #outs do
      -- The arguments may come back (outcome's info holds what the
      -- session gave); only tables the library made count.
      local a = { outs[1][2], outs[1][3], outs[1].post }
      local b = { outs[i][2], outs[i][3], outs[i].post }
      local made = shares(a, b) and not shares(args, b)
      if made then fail("%s: two calls gave tables that share a table", what) end
    end
  end
  return outs[1]
end

local function describe(F, args, nargs)
  local parts = {}
  for i = 1, nargs do parts[i] = show(args[i], 1) end
  return F.name .. "(" .. table.concat(parts, ", ") .. ")"
end

local function op_call(F, args, nargs, through)
  local what = describe(F, args, nargs)
  local r = run_call(F, args, nargs, what, through)
  if not r[1] then
    check_error(F, r[2], nargs, what, through)
    local nr = noraise[F.name] and noraise[F.name](args, nargs)
    if nr and r[2] ~= "not enough memory" and
       not (type(nr) == "string" and r[2]:find(nr, 1, true)) then
      fail("%s raised %s", what, r[2])
    end
  elseif checks[F.name] then
    checks[F.name](r, args, nargs)
  end
  if F.name == "new" and r[1] then
    -- The helpers bound to whatever new() was given.
    for name, o in pairs(r.post) do
      if not o[1] then
        check_error({ family = "kam", name = name }, o[2], name == "winning" and 0 or 1,
                    what .. "." .. name)
      end
    end
  end
end

-- A call: the function (from 0x80 on called from a Lua function rather
-- than by pcall itself), the number of arguments, the arguments.
local function read_call()
  local b = byte()
  local F = FUNCS[b % #FUNCS + 1]
  local nargs = byte() % 5
  local args = {}
  for i = 1, nargs do args[i] = pick() end
  if F.name == "protect" then
    post_args[1], post_args[2] = pick(), pick()
  end
  return F, args, nargs, b >= 0x80
end

-- ---- register ---------------------------------------------------------------------

local function snapshot(code, reason)
  local s = {}
  for _, n in ipairs({ "reason", "name", "status", "description", "info", "is_known", "phrase",
                       "class", "equivalent" }) do
    s[n] = pack(pcall(sip[n], code))
    s["memo." .. n] = pack(pcall(memo[n], code))
  end
  s.de = pack(pcall(sip.reason, code, "de"))
  if type(reason) == "string" then
    s.lookup = pack(pcall(sip.lookup, reason))
    s.mlookup = pack(pcall(memo.lookup, reason))
  end
  local ok, nm = pcall(sip.name, code)
  if ok and type(nm) == "string" then s.codes = pack(pcall(function() return sip.codes[nm] end)) end
  return s
end

-- "Glbvs", "Yacxa" and "Glbvp", "Yacxb" share their hash (FNV-1a of the
-- letters, what lookup's keys table holds): two registrations of them
-- take lookup's way for a shared hash.
local reg_reasons = {
  "Vendor Thing", "Busy Here", ("r"):rep(129), " padded", "", "Ok Ok", "Vendor\r\nX",
  "Caf\195\169 Noir", "Caf\233", "...", "Q", "Busy  Here", "Another Vendor Thing", "x\"y",
  "Glbvs", "Yacxa", "Glbvp", "Yacxb",
}

local function op_register()
  local b = byte()
  local code
  if b < 200 then code = 700 + b % 100 elseif b < 240 then code = pick() else code = 100 + byte() * 3 end
  local rb = byte()
  local reason, opts
  if rb >= 0xC0 then
    pos = pos - 1 -- the byte is pick()'s: a string cut from the input
    reason = pick()
  elseif rb >= 0xB0 then
    reason = pick() -- anything
  else
    reason = reg_reasons[rb % #reg_reasons + 1]
  end
  if byte() % 3 ~= 0 then opts = pick() end
  local nargs = 3 - (opts == nil and byte() % 2 or 0)
  local args = { code, reason, opts }
  local ways = { sip.register, core.register, memo.register }
  local F = { family = "sip", name = "register" }
  local what = describe(F, args, nargs)
  local before = snapshot(code, reason)
  local w = byte() % 3 + 1
  local r = outcome(ways[w], args, nargs)
  if not r[1] then
    check_error(F, r[2], nargs, what)
    -- All or nothing.
    if not deq(snapshot(code, reason), before) then fail("%s raised but changed the state", what) end
    for i = 1, 3 do
      local o = outcome(ways[i], args, nargs)
      if not same(o, r) then fail("%s: way %s gave %s, then way %s %s", what, w, r, i, o) end
    end
    return
  end
  if r.n ~= 2 or not is_int(r[2]) or (math_type(code) and r[2] ~= code) then
    fail("%s gave %s", what, r)
  end
  code = r[2]
  -- Everywhere at once, the memos emptied.
  for _, m in ipairs({ sip, memo }) do
    if m.reason(code) ~= reason then fail("%s: reason gives %s", what, m.reason(code)) end
    if m.phrase(code) ~= reason then fail("%s: phrase gives %s", what, m.phrase(code)) end
    if not m.is_known(code) then fail("%s: not known", what) end
    if reason:find("[%w\128-\255]") and m.lookup(reason) ~= code then
      fail("%s: lookup gives %s", what, m.lookup(reason))
    end
  end
  local info = sip.info(code)
  if type(info) ~= "table" or info.registered ~= true or info.reason ~= reason then
    fail("%s: info gives %s", what, info)
  end
  local de = type(opts) == "table" and opts.reason_de or nil
  if sip.reason(code, "de") ~= (de or reason) then fail("%s: German reason %s", what, sip.reason(code, "de")) end
  local nm = sip.name(code)
  local ok, c = pcall(function() return sip.codes[nm] end)
  if not ok or c ~= code then fail("%s: codes[%s] gives %s", what, nm, c) end
  local replace = type(opts) == "table" and opts.replace == true
  for i = 1, 3 do
    local o = outcome(ways[i], args, nargs)
    if replace then
      if not same(o, r) then fail("%s again with replace: %s", what, o) end
    elseif o[1] or not tostring(o[2]):find("^bad argument #1 to 'register' %(code %d+ is already registered") then
      fail("%s again without replace: %s", what, o)
    end
  end
end

-- ---- the other ops -----------------------------------------------------------------

local function index(t, k) return t[k] end
local function assign(t, k) t[k] = 1 end

local function op_codes()
  local k = pick()
  for _, f in ipairs({ index, assign }) do
    local a = pack(pcall(f, sip.codes, k))
    local b = pack(pcall(f, memo.codes, k))
    if not same(a, b) then fail("codes[%s]: %s vs %s", k, a, b) end
    if not a[1] then
      local msg = a[2]
      if type(msg) ~= "string" or not msg:find("^[^\n]-:%d+: sipcodes%.codes ") then
        fail("codes[%s] raised %s", k, msg)
      end
    elseif f == index and not is_int(a[2]) then
      fail("codes[%s] = %s", k, a[2])
    elseif f == assign then
      fail("codes[%s] = 1 did not raise", k)
    end
  end
end

local locales = { "C", "C.UTF-8", "C.utf8", "POSIX", "de_DE.UTF-8", "de_DE", "fr_FR.UTF-8",
                  "tr_TR.UTF-8", "" }
local categories = { "all", "numeric", "ctype", "collate" }

local function op_locale()
  os.setlocale(locales[byte() % #locales + 1], categories[byte() % #categories + 1]) -- may fail
end

-- The same call in the C locale and in another one: the API says its
-- answers do not depend on the locale.
local function op_locale_call()
  local F, args, nargs, through = read_call()
  local loc = locales[byte() % #locales + 1]
  if KNOWN["locale-float"] and F.name == "outcome" then return end
  os.setlocale("C")
  local a = run_call(F, args, nargs, describe(F, args, nargs), through)
  if os.setlocale(loc) then
    local b = run_call(F, args, nargs, describe(F, args, nargs), through)
    os.setlocale("C")
    if not same(a, b) then fail("%s in locale %s: %s, in C: %s", describe(F, args, nargs), loc, b, a) end
  end
end

local function op_ksr()
  local b = byte()
  if b < 32 then
    rawset(_G, "KSR", nil)
  else
    rawset(_G, "KSR", ksrs[b % #ksrs + 1])
  end
end

-- A memo holds 256 answers, then starts over: 300 keys through a hot
-- function, twice, each answer the core's.
local hot = { "reason", "phrase", "class", "is_final", "equivalent", "lookup" }
local function op_flood()
  local n = hot[byte() % #hot + 1]
  local base = byte() * 3
  for _ = 1, 2 do
    for i = 1, 300 do
      local k = n == "lookup" and ("key " .. i) or base + i
      local a, b = pack(pcall(core[n], k)), pack(pcall(memo[n], k))
      if not same(a, b) then fail("memo.%s(%s) gave %s, core %s", n, k, b, a) end
    end
  end
end

local HEAP_LIMIT_KB = 64 * 1024

local function op_gc()
  collectgarbage()
  local kb = collectgarbage("count")
  if kb > HEAP_LIMIT_KB then fail("heap of %s KB after a full collection", kb) end
end

-- A parser on a string cut from the input, with the properties checked.
local parsers = { "parse_reason", "parse_status_line", "lookup", "format_status_line",
                  "parse_retry_after", "parse_warning" }
local function op_parse()
  local name = parsers[byte() % #parsers + 1]
  local F
  for _, G in ipairs(FUNCS) do if G.name == name then F = G end end
  local s = slice(byte() * 2)
  if name == "parse_status_line" then
    op_call(F, { s, byte() % 2 == 0 and { lenient = true } or nil }, 2)
  elseif name == "format_status_line" then
    op_call(F, { 100 + byte() * 3, s }, 2)
  else
    op_call(F, { s }, 1)
  end
end

local ops = {
  [0] = function() op_call(read_call()) end,
  function() op_call(read_call()) end,
  function() op_call(read_call()) end,
  function() op_call(read_call()) end,
  function() op_call(read_call()) end,
  function() op_call(read_call()) end,
  function() op_call(read_call()) end,
  function() op_call(read_call()) end,
  op_register,
  op_register,
  op_codes,
  op_parse,
  op_parse,
  op_locale,
  op_locale_call,
  function()
    local b = byte()
    if b < 128 then op_ksr() elseif b < 200 then op_gc() elseif b < 240 then op_flood() else op_shape() end
  end,
}

local nops = 0
while more() and nops < 200 do
  nops = nops + 1
  ops[byte() % 16]()
end
os.setlocale("C")
if nops >= 32 then op_gc() end
return nops
