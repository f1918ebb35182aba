-- sipcodes-calls.lua - what each SIP call in a capture came to, and the
-- KPIs of the capture, by the sipcodes library, from inside tshark.
--
--   tshark -q -r capture.pcap -X lua_script:examples/wireshark/sipcodes-calls.lua
--
-- tshark (Wireshark) embeds Lua 5.2: the module must be built for 5.2
-- (`make LUA_VERSION=5.2` in a checkout puts it in build/5.2/) and be on
-- tshark's Lua path.  Either
--   SIPCODES_ROOT=/path/to/sipcodes tshark ...
--     (a checkout: this script adds $SIPCODES_ROOT/lua/?.lua and
--     $SIPCODES_ROOT/build/5.2/?.so in front of the paths), or
--   LUA_PATH='/path/to/sipcodes/lua/?.lua;;' \
--   LUA_CPATH='/path/to/sipcodes/build/5.2/?.so;;' tshark ...
--     (Lua's own variables; LUA_PATH_5_2/LUA_CPATH_5_2 win over them), or
--   `make install LUA_VERSION=5.2`, which puts it where Lua 5.2 looks by
--     default (/usr/local/share/lua/5.2, /usr/local/lib/lua/5.2).
-- Without the module, loading the script fails with a message that says so.
-- Use -q: the report comes at the end, and without -q tshark's one line per
-- packet comes before it.
--
-- What counts (RFC 3261 terms):
-- * A call is a Call-ID with at least one initial INVITE, i.e. an INVITE
--   without a To tag.  An INVITE with a To tag (a re-INVITE in a dialog) is
--   no attempt.  When only the responses of an INVITE were captured, it is
--   taken as initial unless an earlier INVITE of the call was answered.
-- * An attempt is one initial INVITE (Call-ID, CSeq number): a challenged
--   INVITE (401/407) and the new INVITE that answers the challenge are two
--   attempts of one call, as the KPI profiles count them.
-- * A transaction is (Call-ID, CSeq number, branch of the top Via): each
--   hop of an attempt through a proxy is one (the proxy puts its own Via,
--   with its own branch, on top of the caller's).  A top Via without a
--   branch (RFC 2543) stands for its protocol and sent-by instead.  The
--   depth of a transaction is the number of Via values of its INVITE and
--   of the responses to it (a CANCEL has one Via whatever the depth, RFC
--   3261 §9.1, and does not count).  An attempt is what the transaction
--   closest to the caller saw, the one of the fewest Vias: with one hop
--   captured that hop, in a capture on a proxy's host the caller's own.
--   When several tie (only the proxy's side of a fork was captured), the
--   attempt's final response is sip.best_response over theirs (RFC 3261
--   §16.7: what the proxy sends upstream; two 503s make a 500), its
--   provisional and canceled those of any of them, its auth_tried that of
--   the one chosen.
-- * A transaction's final response is the first one captured; a
--   retransmitted INVITE and a repeated final response (a retransmission,
--   or a later fork's) count once (they are counted as "repeats").
-- * The ctx of each attempt (sip.outcome, kpi:add): provisional when a
--   101-199 response came before the final one; canceled when a CANCEL
--   (or a response to one) came before the final response; auth_tried
--   when the INVITE carried Authorization or Proxy-Authorization, except
--   when it was answered by a 401/407 none of whose challenges refuses
--   them: a challenge refuses credentials when it is of their kind
--   (WWW-Authenticate for Authorization, Proxy-Authenticate for
--   Proxy-Authorization), for their realm, and not stale=true (stale: the
--   nonce expired, the credentials were good).  A 401/407 without a
--   challenge header refuses any credentials.  local_timeout is never
--   set: a response on the wire was sent by someone.
-- * Messages without a Call-ID, a Via, a CSeq of the form "number method",
--   or with a status code outside 100-699 are skipped (and counted);
--   methods other than INVITE and CANCEL, and responses to them, are left
--   alone.  Every SIP message of a frame is read, also several in one TCP
--   segment.
--
-- Output (format 1), one record per line, fields separated by one space:
--   call N code=C outcome=CATEGORY party=PARTY ctx=FLAGS finals=LIST id=CALL-ID phrase="PHRASE"
--       one per call, N from 1 in the order the calls were first seen.
--       C is the final code of the call's last attempt; CATEGORY and PARTY
--       what sip.outcome says of it in its ctx; FLAGS the ctx fields that
--       are true, comma-separated (provisional,canceled,auth_tried); LIST
--       the final codes of all the call's attempts in CSeq order,
--       comma-separated; PHRASE sip.phrase(C).  CALL-ID is escaped: bytes
--       outside "!".."~", and % and ", as %XX.  "-" stands for nothing (no
--       final response captured, no party, no flag).
--   summary calls=N attempts=N messages=N skipped=N repeats=N
--       messages: the SIP messages read; attempts: the final responses
--       counted in the KPIs; repeats: per transaction.
--   kpi PROFILE attempts=N asr=R ner=R seer=R isa=R sdr=R
--       one line for "homer", one for "rfc6076": k:report() of
--       require("sipcodes.kpi").new(PROFILE) after k:add(code, ctx) for
--       every attempt with a final response; R as a fraction with four
--       decimals, rounded half up (0.2143), "." whatever the locale, "-"
--       when the profile does not define the ratio or its denominator is 0.
--   codes CODE=N ...
--       how many attempts ended with each code, codes ascending ("codes -"
--       when there were none).

local PROGRAM = "sipcodes-calls"

-- ---- the library ----------------------------------------------------------------

local LUAVER = _VERSION:match("%d+%.%d+") or "5.2" -- "5.2": the build directory's name

local root = os.getenv("SIPCODES_ROOT")
if root and root ~= "" then
  package.path = root .. "/lua/?.lua;" .. package.path
  package.cpath = root .. "/build/" .. LUAVER .. "/?.so;" .. package.cpath
end

local function load_module(name)
  local ok, mod = pcall(require, name)
  if not ok then
    error(PROGRAM .. ": cannot load the module '" .. name .. "' (" .. _VERSION .. "): build it with"
      .. " `make LUA_VERSION=" .. LUAVER .. "` and set SIPCODES_ROOT to the checkout, or LUA_PATH and LUA_CPATH"
      .. " (see examples/wireshark/README.md)\n" .. tostring(mod), 0)
  end
  return mod
end

local sip = load_module("sipcodes")
local kpi = load_module("sipcodes.kpi")

local PROFILES = { "homer", "rfc6076" }
local RATIOS = { "asr", "ner", "seer", "isa", "sdr" }
local CTX_FLAGS = { "provisional", "canceled", "auth_tried" }
local NONE = math.huge -- the depth of a transaction none of whose INVITE messages was seen

-- ---- what tshark gives ------------------------------------------------------------

-- The fields read, and the key each goes under in a message.  A frame
-- with one SIP message (UDP, nearly always) is read through the field
-- extractors; a frame with several (TCP) through all_field_infos(), which
-- lists the fields in tree order, each message starting with its
-- Request-Line or Status-Line.  A message holds the first value of each
-- field, and for the LISTS every occurrence as { offset, len, value }.
local FIELDS = {
  ["sip.Request-Line"] = "request",
  ["sip.Status-Line"] = "response",
  ["sip.Method"] = "method",
  ["sip.Status-Code"] = "status",
  ["sip.Call-ID"] = "call_id",
  ["sip.CSeq"] = "cseq",
  ["sip.to.tag"] = "to_tag",
  ["sip.Via"] = "via",                     -- one per header line
  ["sip.Via.transport"] = "via_transport", -- one per Via value (a line may hold several)
  ["sip.Via.branch"] = "via_branch",
  ["sip.Authorization"] = "www_credentials",
  ["sip.Proxy-Authorization"] = "proxy_credentials",
  ["sip.WWW-Authenticate"] = "www_challenge",
  ["sip.Proxy-Authenticate"] = "proxy_challenge",
}
local LISTS = {
  via = true, via_transport = true, via_branch = true,
  www_credentials = true, proxy_credentials = true, www_challenge = true, proxy_challenge = true,
}
local MAX_LIST = 64 -- occurrences kept per field and message

local extractors = {} -- key -> Field, the start lines apart
for name, key in pairs(FIELDS) do
  extractors[key] = Field.new(name)
end
local request_line, status_line = extractors.request, extractors.response
extractors.request, extractors.response = nil, nil

-- ---- the state ------------------------------------------------------------------------

local calls      -- Call-ID -> call
local order      -- the calls, first seen first
local stats      -- messages, skipped, repeats
local last_frame -- the frame number seen last (a smaller one: a new pass)

local function reset_state()
  calls, order = {}, {}
  stats = { messages = 0, skipped = 0, repeats = 0, errors = 0 }
  last_frame = 0
end
reset_state()

-- ---- reading a message ------------------------------------------------------------------

-- Character classes spelled out: Lua's %w and %s follow the C locale,
-- which tshark sets from the environment.
local TOKEN = "[A-Za-z0-9%-%.!%%%*_%+`'~]+" -- RFC 3261 token
local SP = "[ \t]"

-- "314159 INVITE" -> 314159, "INVITE"; nil for anything else.
local function parse_cseq(s)
  if type(s) ~= "string" then
    return nil
  end
  local num, method = s:match("^" .. SP .. "*([0-9]+)" .. SP .. "+(" .. TOKEN .. ")" .. SP .. "*$")
  if not num or #num > 10 then
    return nil
  end
  return tonumber(num), method
end

local function by_offset(a, b)
  return a.offset < b.offset
end

-- The number of Via values of a message and what identifies the hop of
-- the top one: its branch, or for a Via without one (RFC 2543) its
-- protocol and sent-by ("SIP/2.0/UDP 10.0.0.1:5060"), as RFC 3261
-- §17.2.3 matches such requests.  vias: the sip.Via fields (one per
-- header line), transports: the sip.Via.transport fields (one per value),
-- branches: sip.Via.branch.  A line counts for the values in it, at least
-- one.
local function via_info(vias, transports, branches)
  if #vias == 0 then
    return 0, nil
  end
  table.sort(vias, by_offset)
  table.sort(transports, by_offset)
  local count, j = 0, 1
  local top_end = vias[1].offset + vias[1].len -- where the top value ends
  local in_top = 0
  for _, v in ipairs(vias) do
    local stop, n = v.offset + v.len, 0
    while transports[j] and transports[j].offset < stop do
      if transports[j].offset >= v.offset then
        n = n + 1
        if v == vias[1] then
          in_top = in_top + 1
          if in_top == 2 then
            top_end = transports[j].offset
          end
        end
      end
      j = j + 1
    end
    count = count + math.max(n, 1)
  end
  for _, b in ipairs(branches) do
    if b.offset >= vias[1].offset and b.offset < top_end and type(b.value) == "string" then
      return count, "branch " .. b.value
    end
  end
  local top = type(vias[1].value) == "string" and vias[1].value:match("^[^,;]*") or ""
  return count, "sent-by " .. top:gsub("[ \t]+", " ")
end

-- The value of a quoted-string starting at s[i] ('"'), unescaped, and the
-- position after it (an unclosed one runs to the end).
local function quoted(s, i)
  local parts = {}
  i = i + 1
  while true do
    local j = s:find('["\\]', i)
    if not j then
      parts[#parts + 1] = s:sub(i)
      return table.concat(parts), #s + 1
    end
    parts[#parts + 1] = s:sub(i, j - 1)
    if s:byte(j) == 34 then -- "
      return table.concat(parts), j + 1
    end
    parts[#parts + 1] = s:sub(j + 1, j + 1)
    i = j + 2
  end
end

-- The realm and the stale flag of a challenge or credentials header value,
-- 'Digest realm="x", nonce="y", stale=true' (RFC 3261 §25.1, RFC 2617):
-- parameter by parameter, so that a "stale=true" inside a quoted value is
-- no parameter.
local function auth_params(s)
  if type(s) ~= "string" then
    return nil, false
  end
  local realm, stale
  local pos = s:match("^" .. SP .. "*" .. TOKEN .. SP .. "+()") or 1 -- after the scheme
  while pos <= #s do
    local name, at = s:match("^[ \t,]*(" .. TOKEN .. ")" .. SP .. "*=" .. SP .. "*()", pos)
    if not name then
      break
    end
    local value
    if s:sub(at, at) == '"' then
      value, pos = quoted(s, at)
    else
      value, pos = s:match("^([^ \t,]*)()", at)
    end
    name = name:lower()
    if name == "realm" and realm == nil then
      realm = value
    elseif name == "stale" and stale == nil then
      stale = value:lower() == "true"
    end
  end
  return realm, stale == true
end

-- The credentials of a request: kind ("www", "proxy") -> { realm -> true,
-- any = true when one had no realm }; nil when it carried none.
local function read_credentials(m)
  local creds
  for _, kind in ipairs({ "www", "proxy" }) do
    for _, fi in ipairs(m[kind .. "_credentials"]) do
      creds = creds or {}
      local realms = creds[kind] or {}
      creds[kind] = realms
      local realm = auth_params(fi.value)
      realms[realm or "any"] = true
    end
  end
  return creds
end

-- The challenges of a response: a list of { kind, realm, stale }.
local function read_challenges(m)
  local list = {}
  for _, kind in ipairs({ "www", "proxy" }) do
    for _, fi in ipairs(m[kind .. "_challenge"]) do
      local realm, stale = auth_params(fi.value)
      list[#list + 1] = { kind = kind, realm = realm, stale = stale }
    end
  end
  return list
end

-- ---- the transactions -------------------------------------------------------------

local function get_call(id)
  local call = calls[id]
  if not call then
    call = { id = id, attempts = {}, seqs = {} }
    calls[id] = call
    order[#order + 1] = call
  end
  return call
end

-- The transaction (seq, hop) of a call, hop as via_info gives it:
-- attempt.list holds them in the order they were first seen.
local function get_tx(call, seq, hop)
  local attempt = call.attempts[seq]
  if not attempt then
    attempt = { seq = seq, txs = {}, list = {} }
    call.attempts[seq] = attempt
    call.seqs[#call.seqs + 1] = seq
  end
  local tx = attempt.txs[hop]
  if not tx then
    tx = { depth = NONE }
    attempt.txs[hop] = tx
    attempt.list[#attempt.list + 1] = tx
  end
  return tx
end

local function skip()
  stats.skipped = stats.skipped + 1
end

-- One SIP message: m.kind "request" or "response", the first value of each
-- field, and the LISTS.
local function handle(m)
  stats.messages = stats.messages + 1
  local id = m.call_id
  local seq, method = parse_cseq(m.cseq)
  local depth, hop = via_info(m.via, m.via_transport, m.via_branch)
  if type(id) ~= "string" or id == "" or not seq or depth == 0 then
    return skip()
  end
  local code
  if m.kind == "response" then
    code = tonumber(m.status)
    if not code or code % 1 ~= 0 or code < 100 or code > 699 then
      return skip()
    end
  elseif m.method ~= method then
    -- A request whose CSeq names another method.
    return skip()
  end
  if method ~= "INVITE" and method ~= "CANCEL" then
    return
  end

  local tx = get_tx(get_call(id), seq, hop)
  if method == "CANCEL" then
    -- The CANCEL, or a response to it: the caller cancelled, whether or
    -- not the CANCEL itself was captured, unless the final response came
    -- first (they crossed).
    if not tx.final then
      tx.canceled = true
    end
    return
  end
  tx.depth = math.min(tx.depth, depth)
  if m.kind == "request" then
    if tx.request then
      stats.repeats = stats.repeats + 1
      return
    end
    tx.request = true
    tx.initial = not (type(m.to_tag) == "string" and m.to_tag ~= "")
    tx.credentials = read_credentials(m)
  elseif code < 200 then
    if code ~= 100 and not tx.final then
      tx.provisional = true
    end
  elseif tx.final then
    stats.repeats = stats.repeats + 1
  else
    tx.final = code
    if code == 401 or code == 407 then
      tx.challenges = read_challenges(m)
    end
  end
end

local function new_message(kind)
  local m = { kind = kind }
  for key in pairs(LISTS) do
    m[key] = {}
  end
  return m
end

local function add_field(m, key, fi)
  if LISTS[key] then
    local list = m[key]
    if #list < MAX_LIST then
      list[#list + 1] = { offset = fi.offset, len = fi.len, value = fi.value }
    end
  elseif m[key] == nil then
    m[key] = fi.value
  end
end

local function packet()
  local nreq, nresp = select("#", request_line()), select("#", status_line())
  if nreq + nresp == 1 then
    local m = new_message(nreq == 1 and "request" or "response")
    for key, field in pairs(extractors) do
      for _, fi in ipairs({ field() }) do
        add_field(m, key, fi)
      end
    end
    return handle(m)
  end
  local m
  for _, fi in ipairs({ all_field_infos() }) do
    local key = FIELDS[fi.name]
    if key == "request" or key == "response" then
      if m then
        handle(m)
      end
      m = new_message(key)
    elseif key and m then
      add_field(m, key, fi)
    end
  end
  if m then
    handle(m)
  end
end

-- ---- the report ------------------------------------------------------------------------

local function escape(s)
  return (s:gsub('[^!#-$&-~]', function(c)
    return string.format("%%%02X", c:byte())
  end))
end

-- A fraction with four decimals, rounded half up, with a "." whatever the
-- locale: tshark calls setlocale(LC_ALL, ""), and "%.4f" would follow
-- LC_NUMERIC ("0,1875" under de_DE).  For a ratio of counts n/d,
-- x * 10000 is either a tie (k + 1/2) or at least 1/(2d) away from one,
-- so TIE (about 1e-9) only absorbs the float error of x * 10000.
local TIE = 1 / 2 ^ 30
local function ratio(x)
  if type(x) ~= "number" or x ~= x or x < 0 or x > 2 ^ 40 then
    return "-"
  end
  local scaled = x * 10000
  local n = math.floor(scaled)
  if scaled - n >= 0.5 - TIE then
    n = n + 1
  end
  return string.format("%d.%04d", math.floor(n / 10000), n % 10000)
end

-- Whether the INVITE of tx had tried credentials that its final response
-- (code) did not accept, or, for other codes, carried any.
local function auth_tried(tx, code)
  local creds = tx.credentials
  if not creds then
    return false
  end
  if (code == 401 or code == 407) and tx.challenges and #tx.challenges > 0 then
    for _, ch in ipairs(tx.challenges) do
      local realms = creds[ch.kind]
      if realms and not ch.stale and (ch.realm == nil or realms[ch.realm] or realms.any) then
        return true
      end
    end
    return false
  end
  return true
end

-- An attempt as the transaction closest to the caller saw it: its final
-- code (or nil) and its ctx.
local function resolve(attempt)
  local depth = NONE
  for _, tx in ipairs(attempt.list) do
    depth = math.min(depth, tx.depth)
  end
  local tied = {}
  for _, tx in ipairs(attempt.list) do
    if tx.depth == depth then
      tied[#tied + 1] = tx
    end
  end
  local final, chosen
  if #tied == 1 then
    chosen = tied[1]
    final = chosen.final
  else
    local finals = {}
    for _, tx in ipairs(tied) do
      if tx.final then
        finals[#finals + 1] = { code = tx.final, tx = tx }
      end
    end
    if #finals > 0 then
      local elem
      final, elem = sip.best_response(finals)
      chosen = elem and elem.tx
    end
  end
  local ctx = { provisional = false, canceled = false, auth_tried = false }
  for _, tx in ipairs(tied) do
    ctx.provisional = ctx.provisional or tx.provisional == true
    ctx.canceled = ctx.canceled or tx.canceled == true
    if not chosen then
      ctx.auth_tried = ctx.auth_tried or tx.credentials ~= nil
    end
  end
  if chosen then
    ctx.auth_tried = auth_tried(chosen, final)
  end
  return final, ctx
end

-- Whether the attempt's INVITE had no To tag (nil: no INVITE captured).
local function initial_of(attempt)
  for _, tx in ipairs(attempt.list) do
    if tx.initial ~= nil then
      return tx.initial
    end
  end
  return nil
end

-- The attempts of a call, in CSeq order, each { final = code, ctx = ctx }.
local function attempts_of(call)
  local seqs = {}
  for i, s in ipairs(call.seqs) do
    seqs[i] = s
  end
  table.sort(seqs)
  local list, answered = {}, false
  for _, s in ipairs(seqs) do
    local attempt = call.attempts[s]
    local final, ctx = resolve(attempt)
    local initial = initial_of(attempt)
    if initial == nil then
      initial = not answered -- its INVITE was not captured
    end
    if initial then
      list[#list + 1] = { final = final, ctx = ctx }
    end
    if final and final < 300 then
      answered = true
    end
  end
  return list
end

local function report()
  local lines = {}
  local counters = {}
  for i, p in ipairs(PROFILES) do
    counters[i] = kpi.new(p)
  end
  local ncalls, nattempts = 0, 0
  for _, call in ipairs(order) do
    local attempts = attempts_of(call)
    if #attempts > 0 then
      ncalls = ncalls + 1
      local finals = {}
      for i, tx in ipairs(attempts) do
        finals[i] = tx.final or "-"
        if tx.final then
          nattempts = nattempts + 1
          for _, k in ipairs(counters) do
            k:add(tx.final, tx.ctx)
          end
        end
      end
      local last = attempts[#attempts]
      local category, party, phrase
      if last.final then
        category, party = sip.outcome(last.final, last.ctx)
        phrase = sip.phrase(last.final)
      end
      local flags = {}
      for _, f in ipairs(CTX_FLAGS) do
        if last.ctx[f] then
          flags[#flags + 1] = f
        end
      end
      lines[#lines + 1] = string.format("call %d code=%s outcome=%s party=%s ctx=%s finals=%s id=%s phrase=%s",
        ncalls, last.final or "-", category or "-", party or "-",
        #flags > 0 and table.concat(flags, ",") or "-", table.concat(finals, ","),
        escape(call.id), phrase and ('"' .. phrase .. '"') or "-")
    end
  end
  lines[#lines + 1] = string.format("summary calls=%d attempts=%d messages=%d skipped=%d repeats=%d",
    ncalls, nattempts, stats.messages, stats.skipped, stats.repeats)
  local counts
  for i, k in ipairs(counters) do
    local r = k:report()
    counts = r.counts
    local fields = { "kpi", PROFILES[i], "attempts=" .. r.attempts }
    for _, name in ipairs(RATIOS) do
      fields[#fields + 1] = name .. "=" .. ratio(r[name])
    end
    lines[#lines + 1] = table.concat(fields, " ")
  end
  local codes = {}
  for code in pairs(counts or {}) do
    codes[#codes + 1] = code
  end
  table.sort(codes)
  for i, code in ipairs(codes) do
    codes[i] = string.format("%d=%d", code, counts[code])
  end
  lines[#lines + 1] = "codes " .. (#codes > 0 and table.concat(codes, " ") or "-")
  return lines
end

-- ---- the tap ----------------------------------------------------------------------------

-- Once per frame that holds SIP.
local tap = Listener.new("frame", "sip")

function tap.packet(pinfo)
  if pinfo.number < last_frame then
    reset_state() -- a second pass over the capture
  end
  last_frame = pinfo.number
  -- A bug here must cost one frame, not the run.
  local ok, err = pcall(packet)
  if not ok then
    stats.errors = stats.errors + 1
    if stats.errors == 1 then
      io.stderr:write(PROGRAM, ": frame ", tostring(pinfo.number), ": ", tostring(err), "\n")
    end
  end
end

function tap.draw()
  local ok, lines = pcall(report)
  if not ok then
    io.stderr:write(PROGRAM, ": report: ", tostring(lines), "\n")
    return
  end
  io.stdout:write(table.concat(lines, "\n"), "\n")
  if stats.errors > 0 then
    io.stderr:write(PROGRAM, ": ", stats.errors, " frame(s) could not be read\n")
  end
  io.stdout:flush()
end

function tap.reset()
  reset_state()
end
