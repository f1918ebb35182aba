#!/usr/bin/env lua5.1
-- write-sip-pcap.lua - write a pcap file of SIP calls whose outcome is
-- known, for tools/wireshark-e2e.sh and examples/wireshark/.
--
--   lua tools/write-sip-pcap.lua MIX OUT.pcap
--
-- MIX is one of
--   calls   the known calls below, over UDP
--   odd     what a real capture may hold besides: a request without a
--           Call-ID, a CSeq that is no number, a status code outside
--           100-699, a response whose INVITE was not captured, a CANCEL
--           before its INVITE, a Call-ID with a quote and a percent sign,
--           two SIP messages in one TCP segment, a datagram that is no
--           SIP, a REGISTER challenge, a retransmitted INVITE, an INVITE
--           without a final response, the 200 of a re-INVITE whose
--           request is missing, an INVITE with credentials whose CANCEL
--           crossed its 200, a 407 followed by the 486 of an INVITE that
--           is missing, and a 180 without a Via
--   proxy   a capture on the host of a stateful proxy, every hop in it
--           (p01-p08 in mixes.proxy): a serial failover (503, then 200
--           from a second gateway), a parallel fork (486 and 200), a 486
--           relayed, a fork the caller cancels, the gateway side only
--           (503 and 486; 503 and 503), a fork whose other branch the
--           proxy cancels, with Via values folded on one line, and a
--           failover by a proxy whose Via has no branch
--   cancel  CANCELs that cross the final response (486, 603, 200, a 480
--           sent twice, a 486 at a proxy) and CANCELs in time (x01-x07)
--   auth    challenges after credentials (a01-a07): stale=true, then
--           answered or given up, refused, another realm, a 401
--           stale=false, "stale=true" inside a quoted nonce, a 401 after
--           Proxy-Authorization
--   empty   no packets at all (the global header only)
--
-- Plain Lua (5.1 to 5.4 and LuaJIT), no modules.  Every packet is
-- Ethernet + IPv4 + UDP (or TCP) on loopback, 127.0.0.1:5060 (the caller)
-- <-> 127.0.0.1:5062 (the called side); in the proxy mix (and x07) the
-- caller is on 5061, the proxy on 5060, the gateways on 5064 and 5066.
-- Lengths and checksums are correct (IPv4 header, UDP and TCP over the
-- pseudo header).  The timestamps are fixed (from 2024-01-01 00:00:00
-- UTC, 10 ms apart), so the same MIX always gives the same bytes.
--
-- The "calls" mix, one Call-ID each, in this order (the final responses
-- to initial INVITEs are what tools/wireshark-e2e.sh counts by hand):
--   c01-answered         100, 180, 200; ACK, BYE, 200
--   c02-busy             100, 486; ACK
--   c03-canceled         100, 180, CANCEL, 200 (CANCEL), 487; ACK
--   c04-no-answer        100, 180, 408; ACK
--   c05-unavailable      100, 503; ACK
--   c06-auth             407; ACK; a new INVITE (CSeq 2) with
--                        Proxy-Authorization: 100, 180, 200; ACK
--   c07-redirect         302 with a Contact; ACK
--   c08-not-found        404; ACK
--   c09-busy-resent      100, 486, the same 486 again; ACK, ACK
--   c10-reinvite         180, 200; ACK; a re-INVITE (To tag, CSeq 2): 200;
--                        ACK; BYE, 200
--   c11-trying-timeout   the INVITE twice (a retransmission), 100, 408; ACK
--   c12-server-timeout   100, 504; ACK
--   c13-www-auth         401; ACK (the caller gives up)
--   c14-declined         180, 603; ACK
--   c15-temp-unavailable 180, 480; ACK
--   c16-busy-everywhere  600; ACK

local PROGRAM = "write-sip-pcap"

-- ---- bytes ------------------------------------------------------------------

local char, floor = string.char, math.floor

local function u16be(n)
  return char(floor(n / 256) % 256, n % 256)
end

local function u32be(n)
  return char(floor(n / 16777216) % 256, floor(n / 65536) % 256, floor(n / 256) % 256, n % 256)
end

local function u16le(n)
  return char(n % 256, floor(n / 256) % 256)
end

local function u32le(n)
  return char(n % 256, floor(n / 256) % 256, floor(n / 65536) % 256, floor(n / 16777216) % 256)
end

-- The Internet checksum (RFC 1071) of the concatenated strings: the ones'
-- complement of the ones'-complement sum of their 16-bit big-endian words.
local function checksum(...)
  local s = table.concat({ ... })
  local sum = 0
  for i = 1, #s - 1, 2 do
    sum = sum + s:byte(i) * 256 + s:byte(i + 1)
  end
  if #s % 2 == 1 then
    sum = sum + s:byte(#s) * 256
  end
  while sum > 0xffff do
    sum = sum % 65536 + floor(sum / 65536)
  end
  return 0xffff - sum
end

local LOOPBACK = char(127, 0, 0, 1)
local CALLER_PORT, CALLED_PORT = 5060, 5062
local IPPROTO_TCP, IPPROTO_UDP = 6, 17

-- ---- packets ----------------------------------------------------------------

local packets = {}
local ip_id = 0
local tcp_seq = { [CALLER_PORT] = 1000, [CALLED_PORT] = 5000 }

local function ipv4(proto, l4)
  ip_id = ip_id + 1
  local total = 20 + #l4
  local head = char(0x45, 0) .. u16be(total) .. u16be(ip_id) .. u16be(0x4000) -- DF
      .. char(64, proto)
  local sum = checksum(head, "\0\0", LOOPBACK, LOOPBACK)
  return head .. u16be(sum) .. LOOPBACK .. LOOPBACK .. l4
end

local function pseudo_header(proto, len)
  return LOOPBACK .. LOOPBACK .. char(0, proto) .. u16be(len)
end

local function udp(sport, dport, payload)
  local len = 8 + #payload
  local head = u16be(sport) .. u16be(dport) .. u16be(len)
  local sum = checksum(pseudo_header(IPPROTO_UDP, len), head, "\0\0", payload)
  if sum == 0 then
    sum = 0xffff -- 0 would say "no checksum" (RFC 768)
  end
  return head .. u16be(sum) .. payload
end

-- One TCP segment, PSH+ACK, no handshake (Wireshark dissects the payload
-- by the port all the same); each direction keeps its sequence numbers.
local function tcp(sport, dport, payload)
  local seq, ack = tcp_seq[sport], tcp_seq[dport]
  tcp_seq[sport] = seq + #payload
  local head = u16be(sport) .. u16be(dport) .. u32be(seq) .. u32be(ack)
      .. char(0x50, 0x18) .. u16be(65535)
  local len = 20 + #payload
  local sum = checksum(pseudo_header(IPPROTO_TCP, len), head, "\0\0\0\0", payload)
  return head .. u16be(sum) .. u16be(0) .. payload
end

local function frame(ip)
  -- Ethernet II: both addresses zero (as on Linux's lo), type IPv4.
  return string.rep("\0", 12) .. u16be(0x0800) .. ip
end

local function emit(sport, dport, payload, transport)
  local l4
  if transport == "tcp" then
    l4 = tcp(sport, dport, payload)
  else
    l4 = udp(sport, dport, payload)
  end
  packets[#packets + 1] = frame(ipv4(transport == "tcp" and IPPROTO_TCP or IPPROTO_UDP, l4))
end

local T0 = 1704067200 -- 2024-01-01 00:00:00 UTC

local function pcap_bytes()
  local out = {
    -- Global header: magic (microseconds), version 2.4, GMT, sigfigs 0,
    -- snaplen 65535, link type 1 (Ethernet); little-endian.
    u32le(0xa1b2c3d4) .. u16le(2) .. u16le(4) .. u32le(0) .. u32le(0)
      .. u32le(65535) .. u32le(1),
  }
  for i, p in ipairs(packets) do
    local usec = (i - 1) * 10000
    out[#out + 1] = u32le(T0 + floor(usec / 1000000)) .. u32le(usec % 1000000)
      .. u32le(#p) .. u32le(#p) .. p
  end
  return table.concat(out)
end

-- ---- SIP ----------------------------------------------------------------------

local PHRASES = {
  [100] = "Trying", [180] = "Ringing", [183] = "Session Progress", [200] = "OK",
  [302] = "Moved Temporarily", [401] = "Unauthorized", [404] = "Not Found",
  [407] = "Proxy Authentication Required", [408] = "Request Timeout",
  [480] = "Temporarily Unavailable", [481] = "Call/Transaction Does Not Exist",
  [486] = "Busy Here", [487] = "Request Terminated",
  [503] = "Service Unavailable", [504] = "Server Time-out", [600] = "Busy Everywhere",
  [603] = "Decline",
}

local CALLER = "sip:alice@127.0.0.1:" .. CALLER_PORT
local CALLED = "sip:bob@127.0.0.1:" .. CALLED_PORT

local function message(first_line, headers)
  local lines = { first_line }
  local has_length = false
  for _, h in ipairs(headers) do
    lines[#lines + 1] = h
    if h:match("^Content%-Length:") then
      has_length = true
    end
  end
  if not has_length then
    lines[#lines + 1] = "Content-Length: 0"
  end
  return table.concat(lines, "\r\n") .. "\r\n\r\n"
end

-- A call: one Call-ID, the caller's From tag, the called side's To tag
-- (in every response but 100, and in requests once the dialog exists).
-- opts: call_id, transport, caller (the caller's port), called (the port
-- its requests go to).
local function new_call(name, opts)
  opts = opts or {}
  return {
    name = name,
    call_id = opts.call_id or (name .. "@sipcodes.test"),
    from_tag = "f-" .. name,
    to_tag = "t-" .. name,
    cseq = 0,
    branches = 0,
    transport = opts.transport or "udp",
    caller = opts.caller or CALLER_PORT,
    called = opts.called or CALLED_PORT,
    dialog = false, -- a 2xx has set up the dialog: requests carry the To tag
  }
end

local function branch(c)
  c.branches = c.branches + 1
  return "z9hG4bK-" .. c.name .. "-" .. c.branches
end

local function to_header(tag)
  if tag then
    return "To: <" .. CALLED .. ">;tag=" .. tag
  end
  return "To: <" .. CALLED .. ">"
end

-- The Via header value a message sent from port puts on top (without a
-- branch b: an RFC 2543 element).
local function via(c, port, b)
  return "SIP/2.0/" .. c.transport:upper() .. " 127.0.0.1:" .. port .. (b and (";branch=" .. b) or "")
end

-- A transaction (tx): method, cseq, branch (of its top Via), tagged (the
-- request carries the To tag), vias (the request's Via values, top
-- first), from and to (the ports its request goes from and to), extra
-- (the request's extra headers).
--
-- request_text(c, METHOD [, opts]) -> the message text and the tx.
-- opts: cseq (default: the next one; ACK and CANCEL take the INVITE's),
-- via_branch, no_branch (an RFC 2543 Via), below (the Via values under the top one: those of the
-- request a proxy forwards), from, to (ports; default the call's caller
-- and called), extra (header lines), tagged (the To tag), drop (header
-- names to leave out).
local function request_text(c, method, opts)
  local cseq = opts.cseq
  if not cseq then
    c.cseq = c.cseq + 1
    cseq = c.cseq
  end
  local tx = {
    method = method,
    cseq = cseq,
    branch = opts.via_branch or (not opts.no_branch and branch(c)) or nil,
    tagged = opts.tagged,
    from = opts.from or c.caller,
    to = opts.to or c.called,
    extra = opts.extra,
  }
  if tx.tagged == nil then
    tx.tagged = c.dialog
  end
  tx.vias = { via(c, tx.from, tx.branch) }
  for _, v in ipairs(opts.below or {}) do
    tx.vias[#tx.vias + 1] = v
  end
  local headers = {}
  for _, v in ipairs(tx.vias) do
    headers[#headers + 1] = "Via: " .. v
  end
  local rest = {
    "Max-Forwards: " .. (71 - #tx.vias),
    'From: "Alice" <' .. CALLER .. ">;tag=" .. c.from_tag,
    to_header(tx.tagged and c.to_tag),
    "Call-ID: " .. c.call_id,
    "CSeq: " .. (opts.cseq_text or (cseq .. " " .. method)),
  }
  for _, h in ipairs(rest) do
    headers[#headers + 1] = h
  end
  if method == "INVITE" then
    headers[#headers + 1] = "Contact: <" .. CALLER .. ">"
  end
  for _, h in ipairs(opts.extra or {}) do
    headers[#headers + 1] = h
  end
  local drop = opts.drop or {}
  local kept = {}
  for _, h in ipairs(headers) do
    if not drop[h:match("^([^:]+)")] then
      kept[#kept + 1] = h
    end
  end
  return message(method .. " " .. CALLED .. " SIP/2.0", kept), tx
end

local function request(c, method, opts)
  local text, tx = request_text(c, method, opts or {})
  emit(tx.from, tx.to, text, c.transport)
  return tx
end

-- A response to tx (the Via values of its request, back to where it came
-- from).  opts: to_tag (default the call's), extra (header lines),
-- fold_via (all the Via values on one line, comma-separated, as RFC 3261
-- §7.3.1 allows), status_text (the whole status, e.g. "799 Out Of
-- Range").  A tx made up for a response whose request is not captured
-- needs method, cseq, branch and tagged only.
local function response_text(c, tx, code, opts)
  opts = opts or {}
  local tag = opts.to_tag or c.to_tag
  if code == 100 and not tx.tagged then
    tag = nil
  end
  local headers = {}
  local vias = tx.vias or { via(c, c.caller, tx.branch) }
  if opts.fold_via then
    headers[1] = "Via: " .. table.concat(vias, ", ")
  else
    for _, v in ipairs(vias) do
      headers[#headers + 1] = "Via: " .. v
    end
  end
  local rest = {
    'From: "Alice" <' .. CALLER .. ">;tag=" .. c.from_tag,
    to_header(tag),
    "Call-ID: " .. c.call_id,
    "CSeq: " .. tx.cseq .. " " .. tx.method,
  }
  for _, h in ipairs(rest) do
    headers[#headers + 1] = h
  end
  if tx.method == "INVITE" and code >= 180 and code < 300 then
    headers[#headers + 1] = "Contact: <" .. CALLED .. ">"
  end
  for _, h in ipairs(opts.extra or {}) do
    headers[#headers + 1] = h
  end
  if tx.method == "INVITE" and code >= 200 then
    tx.to_tag = tag -- for its ACK
    if code < 300 then
      c.dialog, c.to_tag = true, tag
    end
  end
  local status = opts.status_text or (code .. " " .. PHRASES[code])
  return message("SIP/2.0 " .. status, headers)
end

-- respond(c, tx, code [, opts]): opts as for response_text, and again (the
-- same response twice: a retransmission).
local function respond(c, tx, code, opts)
  local text = response_text(c, tx, code, opts)
  for _ = 1, (opts and opts.again) and 2 or 1 do
    emit(tx.to or c.called, tx.from or c.caller, text, c.transport)
  end
end

-- The ACK of a final response: in the INVITE's transaction (same branch,
-- its top Via alone, hop by hop) for a non-2xx, a request of its own for
-- a 2xx (from tx.from to tx.to; a proxy forwards it on).  Returns the
-- ACK's tx.
local function ack(c, tx, code)
  if code >= 200 and code < 300 then
    return request(c, "ACK", { cseq = tx.cseq, tagged = true, from = tx.from, to = tx.to })
  end
  local saved = c.to_tag
  c.to_tag = tx.to_tag or saved -- the tag of the response it acknowledges
  local a = request(c, "ACK", {
    cseq = tx.cseq, via_branch = tx.branch, no_branch = not tx.branch, tagged = true, from = tx.from, to = tx.to,
  })
  c.to_tag = saved
  return a
end

-- invite(c, provisionals, final [, opts]): an INVITE, its provisional
-- responses and its final one, then the ACK.  opts: extra (headers of the
-- INVITE), final_extra (headers of the final response), resend_invite,
-- resend_final.
local function invite(c, provisionals, final, opts)
  opts = opts or {}
  local text, tx = request_text(c, "INVITE", { extra = opts.extra })
  emit(tx.from, tx.to, text, c.transport)
  if opts.resend_invite then
    emit(tx.from, tx.to, text, c.transport)
  end
  for _, p in ipairs(provisionals) do
    respond(c, tx, p)
  end
  if final then
    local ftext = response_text(c, tx, final, { extra = opts.final_extra })
    emit(tx.to, tx.from, ftext, c.transport)
    if opts.resend_final then
      emit(tx.to, tx.from, ftext, c.transport)
    end
    ack(c, tx, final)
    if opts.resend_final then
      ack(c, tx, final)
    end
  end
  return tx
end

local function bye(c)
  local tx = request(c, "BYE")
  respond(c, tx, 200)
end

-- A challenge (Proxy-Authenticate, WWW-Authenticate) or credentials
-- (Proxy-Authorization, Authorization) header line, Digest, MD5; more: the
-- parameters that follow (", stale=true").
local function challenge(name, realm, nonce, more)
  return name .. ': Digest realm="' .. realm .. '", nonce="' .. nonce .. '", algorithm=MD5' .. (more or "")
end

local function credentials(name, realm, nonce)
  return name .. ': Digest username="alice", realm="' .. realm .. '", nonce="' .. nonce .. '", uri="' .. CALLED
    .. '", response="0123456789abcdef0123456789abcdef", algorithm=MD5'
end

local REALM = "sipcodes.test"
local PROXY_AUTHENTICATE = challenge("Proxy-Authenticate", REALM, "4a5b6c7d")
local PROXY_AUTHORIZATION = credentials("Proxy-Authorization", REALM, "4a5b6c7d")
local WWW_AUTHENTICATE = challenge("WWW-Authenticate", REALM, "8e9f0a1b")

-- ---- a proxy --------------------------------------------------------------------
-- The proxy mix is a capture on the host of a stateful proxy (loopback):
-- the caller on PROXY_CALLER sends to the proxy on PROXY_PORT, which sends
-- on to two gateways, GATEWAY_A and GATEWAY_B.

local PROXY_CALLER, PROXY_PORT, GATEWAY_A, GATEWAY_B = 5061, 5060, 5064, 5066

local function proxied_call(name)
  return new_call(name, { caller = PROXY_CALLER, called = PROXY_PORT })
end

-- forward(c, up, port [, no_branch]): the proxy sends the request of tx up
-- on to port, its own Via (a new branch, or none) on top of up's.  Returns
-- the new tx.
local function forward(c, up, port, no_branch)
  return request(c, up.method, {
    cseq = up.cseq, tagged = up.tagged, from = PROXY_PORT, to = port, below = up.vias, extra = up.extra,
    no_branch = no_branch,
  })
end

-- The caller's INVITE as the proxy got it, where that was not captured.
local function uncaptured_invite(c)
  c.cseq = c.cseq + 1
  local b = branch(c)
  return { method = "INVITE", cseq = c.cseq, branch = b, tagged = false, from = PROXY_CALLER, to = PROXY_PORT,
    vias = { via(c, PROXY_CALLER, b) } }
end

-- cancel(c, tx): the CANCEL of tx's INVITE, along the same hop, with the
-- INVITE's top Via alone (RFC 3261 §9.1).
local function cancel(c, tx)
  return request(c, "CANCEL", { cseq = tx.cseq, via_branch = tx.branch, tagged = false, from = tx.from, to = tx.to })
end

-- ---- the mixes ------------------------------------------------------------------

local mixes = {}

function mixes.calls()
  local c = new_call("c01-answered")
  invite(c, { 100, 180 }, 200)
  bye(c)

  invite(new_call("c02-busy"), { 100 }, 486)

  c = new_call("c03-canceled")
  local tx = request(c, "INVITE")
  respond(c, tx, 100)
  respond(c, tx, 180)
  respond(c, cancel(c, tx), 200)
  respond(c, tx, 487)
  ack(c, tx, 487)

  invite(new_call("c04-no-answer"), { 100, 180 }, 408)
  invite(new_call("c05-unavailable"), { 100 }, 503)

  c = new_call("c06-auth")
  invite(c, {}, 407, { final_extra = { PROXY_AUTHENTICATE } })
  invite(c, { 100, 180 }, 200, { extra = { PROXY_AUTHORIZATION } })
  bye(c)

  invite(new_call("c07-redirect"), {}, 302, { final_extra = { "Contact: <sip:bob@127.0.0.1:5064>" } })
  invite(new_call("c08-not-found"), {}, 404)
  invite(new_call("c09-busy-resent"), { 100 }, 486, { resend_final = true })

  c = new_call("c10-reinvite")
  invite(c, { 180 }, 200)
  invite(c, {}, 200) -- the dialog exists: a re-INVITE, with the To tag
  bye(c)

  invite(new_call("c11-trying-timeout"), { 100 }, 408, { resend_invite = true })
  invite(new_call("c12-server-timeout"), { 100 }, 504)
  invite(new_call("c13-www-auth"), {}, 401, { final_extra = { WWW_AUTHENTICATE } })
  invite(new_call("c14-declined"), { 180 }, 603)
  invite(new_call("c15-temp-unavailable"), { 180 }, 480)
  invite(new_call("c16-busy-everywhere"), {}, 600)
end

function mixes.odd()
  -- o01: an INVITE and its 486 without a Call-ID header.
  local c = new_call("o01-no-call-id")
  local text, tx = request_text(c, "INVITE", { drop = { ["Call-ID"] = true } })
  emit(CALLER_PORT, CALLED_PORT, text, c.transport)
  emit(CALLED_PORT, CALLER_PORT, (response_text(c, tx, 486):gsub("Call%-ID: [^\r]*\r\n", "")), c.transport)

  -- o02: a CSeq whose number is no number.
  c = new_call("o02-bad-cseq")
  request(c, "INVITE", { cseq_text = "one INVITE" })

  -- o03: status codes outside 100-699 and one that is no number, then
  -- the real answer.
  c = new_call("o03-bad-status")
  tx = request(c, "INVITE")
  respond(c, tx, 180, { status_text = "799 Out Of Range" })
  respond(c, tx, 180, { status_text = "4x6 Not A Number" })
  respond(c, tx, 180, { status_text = "099 Too Small" })
  respond(c, tx, 486)
  ack(c, tx, 486)

  -- o04: the INVITE was not captured, only its 180 and 200.
  c = new_call("o04-invite-not-captured")
  tx = { method = "INVITE", cseq = 1, branch = "z9hG4bK-o04", tagged = false }
  respond(c, tx, 180)
  respond(c, tx, 200)

  -- o05: the CANCEL is captured before its INVITE (capture order), then
  -- the 487.
  c = new_call("o05-cancel-first")
  local itext, itx = request_text(c, "INVITE", {})
  local ctext = request_text(c, "CANCEL", { cseq = itx.cseq, via_branch = itx.branch, tagged = false })
  emit(CALLER_PORT, CALLED_PORT, ctext, c.transport)
  emit(CALLER_PORT, CALLED_PORT, itext, c.transport)
  respond(c, itx, 487)

  -- o06: a Call-ID with a quote and a percent sign (printed escaped).
  invite(new_call("o06", { call_id = 'o06%"odd@sipcodes.test' }), {}, 603)

  -- o07: over TCP, the 180 and the 200 in one segment.
  c = new_call("o07-tcp", { transport = "tcp" })
  tx = request(c, "INVITE")
  emit(CALLED_PORT, CALLER_PORT, response_text(c, tx, 180) .. response_text(c, tx, 200), "tcp")
  ack(c, tx, 200)

  -- A datagram that is no SIP, on the SIP port.
  emit(CALLER_PORT, CALLED_PORT, "\0\1\2\3 not SIP at all \255\254", "udp")

  -- o08: a REGISTER and its 401: no INVITE, no call.
  c = new_call("o08-register")
  tx = request(c, "REGISTER")
  respond(c, tx, 401, { extra = { WWW_AUTHENTICATE } })

  -- o09: the INVITE retransmitted after its final response, which comes
  -- again (a lost ACK): one attempt.
  c = new_call("o09-resent")
  text, tx = request_text(c, "INVITE", {})
  emit(CALLER_PORT, CALLED_PORT, text, c.transport)
  local ftext = response_text(c, tx, 404)
  emit(CALLED_PORT, CALLER_PORT, ftext, c.transport)
  emit(CALLER_PORT, CALLED_PORT, text, c.transport)
  emit(CALLED_PORT, CALLER_PORT, ftext, c.transport)
  ack(c, tx, 404)

  -- o10: an INVITE that never got a final response in the capture.
  invite(new_call("o10-unanswered"), { 100, 180 }, nil)

  -- o11: an answered call, then only the 200 of a re-INVITE whose request
  -- was not captured: no second attempt.
  c = new_call("o11-reinvite-not-captured")
  invite(c, {}, 200)
  respond(c, { method = "INVITE", cseq = 2, branch = "z9hG4bK-o11-re", tagged = true }, 200)

  -- o12: an INVITE with credentials (no challenge captured), 180, 200,
  -- and a 481 to a CANCEL that was not captured (it crossed the 200).
  c = new_call("o12-credentials")
  tx = invite(c, { 180 }, 200, { extra = { PROXY_AUTHORIZATION } })
  respond(c, { method = "CANCEL", cseq = tx.cseq, branch = tx.branch, tagged = true }, 481)

  -- o13: a 407, then only the 486 of the INVITE that followed it (its
  -- request not captured): no dialog yet, so a second attempt.
  c = new_call("o13-challenged-then-busy")
  invite(c, {}, 407, { final_extra = { PROXY_AUTHENTICATE } })
  respond(c, { method = "INVITE", cseq = 2, branch = "z9hG4bK-o13-2", tagged = false }, 486)

  -- o14: a 180 without a Via header, then the 486.
  c = new_call("o14-no-via")
  tx = request(c, "INVITE")
  emit(tx.to, tx.from, (response_text(c, tx, 180):gsub("Via: [^\r]*\r\n", "")), c.transport)
  respond(c, tx, 486)
  ack(c, tx, 486)
end


function mixes.proxy()
  -- p01: serial failover.  The caller's INVITE comes twice (a
  -- retransmission before the proxy's 100); gateway A answers 503, the
  -- proxy tries B, which rings and answers; the proxy relays the 180 and
  -- the 200.
  local c = proxied_call("p01-failover")
  local text, up = request_text(c, "INVITE", {})
  emit(up.from, up.to, text, c.transport)
  emit(up.from, up.to, text, c.transport)
  respond(c, up, 100)
  local a = forward(c, up, GATEWAY_A)
  respond(c, a, 100)
  respond(c, a, 503, { to_tag = "t-p01-a" })
  ack(c, a, 503)
  local b = forward(c, up, GATEWAY_B)
  respond(c, b, 100)
  respond(c, b, 180, { to_tag = "t-p01-b" })
  respond(c, up, 180, { to_tag = "t-p01-b" })
  respond(c, b, 200, { to_tag = "t-p01-b" })
  respond(c, up, 200, { to_tag = "t-p01-b" })
  forward(c, ack(c, up, 200), GATEWAY_B)

  -- p02: parallel fork.  Both gateways ring, A answers 486 first, then B
  -- answers 200, which B sends twice and the proxy relays twice.
  c = proxied_call("p02-fork")
  up = request(c, "INVITE")
  respond(c, up, 100)
  a = forward(c, up, GATEWAY_A)
  b = forward(c, up, GATEWAY_B)
  respond(c, a, 180, { to_tag = "t-p02-a" })
  respond(c, up, 180, { to_tag = "t-p02-a" })
  respond(c, b, 180, { to_tag = "t-p02-b" })
  respond(c, up, 180, { to_tag = "t-p02-b" })
  respond(c, a, 486, { to_tag = "t-p02-a" })
  ack(c, a, 486)
  text = response_text(c, b, 200, { to_tag = "t-p02-b" })
  local relayed = response_text(c, up, 200, { to_tag = "t-p02-b" })
  for _ = 1, 2 do
    emit(b.to, b.from, text, c.transport)
    emit(up.to, up.from, relayed, c.transport)
  end
  forward(c, ack(c, up, 200), GATEWAY_B)

  -- p03: A rings and is busy (its 486 twice: the proxy's first ACK was
  -- lost); the proxy relays the 180 and one 486.
  c = proxied_call("p03-busy-relayed")
  up = request(c, "INVITE")
  respond(c, up, 100)
  a = forward(c, up, GATEWAY_A)
  respond(c, a, 100)
  respond(c, a, 180, { to_tag = "t-p03-a" })
  respond(c, up, 180, { to_tag = "t-p03-a" })
  respond(c, a, 486, { to_tag = "t-p03-a" })
  ack(c, a, 486)
  respond(c, a, 486, { to_tag = "t-p03-a" })
  ack(c, a, 486)
  respond(c, up, 486, { to_tag = "t-p03-a" })
  ack(c, up, 486)

  -- p04: a parallel fork the caller cancels while A rings: the proxy
  -- answers the CANCEL and cancels both branches (each CANCEL with one
  -- Via), both answer 487, the proxy sends 487 upstream.
  c = proxied_call("p04-fork-canceled")
  up = request(c, "INVITE")
  respond(c, up, 100)
  a = forward(c, up, GATEWAY_A)
  b = forward(c, up, GATEWAY_B)
  respond(c, a, 180, { to_tag = "t-p04-a" })
  respond(c, up, 180, { to_tag = "t-p04-a" })
  respond(c, cancel(c, up), 200, { to_tag = "t-p04-a" })
  local ca, cb = cancel(c, a), cancel(c, b)
  respond(c, ca, 200, { to_tag = "t-p04-a" })
  respond(c, cb, 200, { to_tag = "t-p04-b" })
  respond(c, a, 487, { to_tag = "t-p04-a" })
  ack(c, a, 487)
  respond(c, b, 487, { to_tag = "t-p04-b" })
  ack(c, b, 487)
  respond(c, up, 487, { to_tag = "t-p04-a" })
  ack(c, up, 487)

  -- p05 and p06: only the proxy's side towards the gateways was captured
  -- (the caller's INVITE came in elsewhere): each INVITE carries two Vias.
  -- p05: A 503, then B rings and is busy.
  c = proxied_call("p05-gateways-only")
  up = uncaptured_invite(c)
  a = forward(c, up, GATEWAY_A)
  respond(c, a, 100)
  respond(c, a, 503, { to_tag = "t-p05-a" })
  ack(c, a, 503)
  b = forward(c, up, GATEWAY_B)
  respond(c, b, 180, { to_tag = "t-p05-b" })
  respond(c, b, 486, { to_tag = "t-p05-b" })
  ack(c, b, 486)

  -- p06: A 503, B 503.
  c = proxied_call("p06-gateways-only-503")
  up = uncaptured_invite(c)
  a = forward(c, up, GATEWAY_A)
  respond(c, a, 503, { to_tag = "t-p06-a" })
  ack(c, a, 503)
  b = forward(c, up, GATEWAY_B)
  respond(c, b, 503, { to_tag = "t-p06-b" })
  ack(c, b, 503)

  -- p07: parallel fork; B answers, the proxy cancels A (its CANCEL with
  -- one Via), A answers it and 487.  A's responses carry both Via values
  -- on one line.
  c = proxied_call("p07-fork-answered-other-canceled")
  up = request(c, "INVITE")
  respond(c, up, 100)
  a = forward(c, up, GATEWAY_A)
  b = forward(c, up, GATEWAY_B)
  respond(c, a, 180, { to_tag = "t-p07-a", fold_via = true })
  respond(c, up, 180, { to_tag = "t-p07-a" })
  respond(c, b, 200, { to_tag = "t-p07-b" })
  respond(c, up, 200, { to_tag = "t-p07-b" })
  respond(c, cancel(c, a), 200, { to_tag = "t-p07-a" })
  respond(c, a, 487, { to_tag = "t-p07-a", fold_via = true })
  ack(c, a, 487)
  forward(c, ack(c, up, 200), GATEWAY_B)

  -- p08: serial failover by an RFC 2543 proxy, whose Via has no branch
  -- (the caller's, under it, has one): A 503, B rings and answers.
  c = proxied_call("p08-failover-no-branch")
  up = request(c, "INVITE")
  respond(c, up, 100)
  a = forward(c, up, GATEWAY_A, true)
  respond(c, a, 503, { to_tag = "t-p08-a" })
  ack(c, a, 503)
  b = forward(c, up, GATEWAY_B, true)
  respond(c, b, 180, { to_tag = "t-p08-b" })
  respond(c, up, 180, { to_tag = "t-p08-b" })
  respond(c, b, 200, { to_tag = "t-p08-b" })
  respond(c, up, 200, { to_tag = "t-p08-b" })
  forward(c, ack(c, up, 200), GATEWAY_B, true)
end

function mixes.cancel()
  -- x01: the 486 crosses the CANCEL: INVITE, 100, 180, 486, CANCEL, 200
  -- (CANCEL); ACK.
  local c = new_call("x01-crossed-busy")
  local tx = request(c, "INVITE")
  respond(c, tx, 100)
  respond(c, tx, 180)
  respond(c, tx, 486)
  respond(c, cancel(c, tx), 200)
  ack(c, tx, 486)

  -- x02: the 603 crosses it, the CANCEL gets a 481.
  c = new_call("x02-crossed-decline")
  tx = request(c, "INVITE")
  respond(c, tx, 180)
  respond(c, tx, 603)
  respond(c, cancel(c, tx), 481)
  ack(c, tx, 603)

  -- x03: the 200 crosses it.
  c = new_call("x03-crossed-answer")
  tx = request(c, "INVITE")
  respond(c, tx, 180)
  respond(c, tx, 200)
  respond(c, cancel(c, tx), 200)
  ack(c, tx, 200)
  bye(c)

  -- x04: in time: INVITE, 180, CANCEL, 200 (CANCEL), 487; ACK.
  c = new_call("x04-in-time")
  tx = request(c, "INVITE")
  respond(c, tx, 180)
  respond(c, cancel(c, tx), 200)
  respond(c, tx, 487)
  ack(c, tx, 487)

  -- x05: in time, the CANCEL itself not captured, only its 200.
  c = new_call("x05-cancel-not-captured")
  tx = request(c, "INVITE")
  respond(c, tx, 180)
  respond(c, { method = "CANCEL", cseq = tx.cseq, branch = tx.branch, tagged = false }, 200)
  respond(c, tx, 487)
  ack(c, tx, 487)

  -- x06: the 480 crosses the CANCEL and comes again before the CANCEL's
  -- 200 (a retransmission).
  c = new_call("x06-crossed-resent")
  tx = request(c, "INVITE")
  respond(c, tx, 180)
  respond(c, tx, 480)
  local cx = cancel(c, tx)
  respond(c, tx, 480)
  respond(c, cx, 200)
  ack(c, tx, 480)

  -- x07: at a proxy: A's 486 is relayed, and then the caller's CANCEL
  -- reaches the proxy, which answers it (nothing left to cancel).
  c = proxied_call("x07-crossed-at-proxy")
  local up = request(c, "INVITE")
  respond(c, up, 100)
  local a = forward(c, up, GATEWAY_A)
  respond(c, a, 180, { to_tag = "t-x07-a" })
  respond(c, up, 180, { to_tag = "t-x07-a" })
  respond(c, a, 486, { to_tag = "t-x07-a" })
  ack(c, a, 486)
  respond(c, up, 486, { to_tag = "t-x07-a" })
  respond(c, cancel(c, up), 200, { to_tag = "t-x07-a" })
  ack(c, up, 486)
end

function mixes.auth()
  local PA, PZ, WA, WZ = "Proxy-Authenticate", "Proxy-Authorization", "WWW-Authenticate", "Authorization"

  -- a01: a challenge, credentials, a challenge with stale=true (the nonce
  -- expired), credentials with the new nonce, an answer.
  local c = new_call("a01-stale-then-answered")
  invite(c, {}, 407, { final_extra = { challenge(PA, REALM, "n1") } })
  invite(c, {}, 407, { extra = { credentials(PZ, REALM, "n1") },
    final_extra = { challenge(PA, REALM, "n2", ", stale=true") } })
  invite(c, { 100, 180 }, 200, { extra = { credentials(PZ, REALM, "n2") } })
  bye(c)

  -- a02: stale="TRUE" (quoted, upper case), and the caller gives up.
  c = new_call("a02-stale-given-up")
  invite(c, {}, 407, { final_extra = { challenge(PA, REALM, "n1") } })
  invite(c, {}, 407, { extra = { credentials(PZ, REALM, "n1") },
    final_extra = { challenge(PA, REALM, "n2", ', stale="TRUE"') } })

  -- a03: the credentials refused: a new challenge for the same realm.
  c = new_call("a03-refused")
  invite(c, {}, 407, { final_extra = { challenge(PA, REALM, "n1") } })
  invite(c, {}, 407, { extra = { credentials(PZ, REALM, "n1") },
    final_extra = { challenge(PA, REALM, "n2") } })

  -- a04: credentials for this proxy's realm, then a challenge of a second
  -- proxy, for its own realm.
  c = new_call("a04-other-realm")
  invite(c, {}, 407, { final_extra = { challenge(PA, REALM, "n1") } })
  invite(c, {}, 407, { extra = { credentials(PZ, REALM, "n1") },
    final_extra = { challenge(PA, "carrier.test", "m1") } })

  -- a05: WWW-Authenticate, Authorization, a 401 with stale=false.
  c = new_call("a05-www-refused")
  invite(c, {}, 401, { final_extra = { challenge(WA, REALM, "n1") } })
  invite(c, {}, 401, { extra = { credentials(WZ, REALM, "n1") },
    final_extra = { challenge(WA, REALM, "n2", ", stale=false") } })

  -- a06: "stale=true" inside the quoted nonce only: no stale parameter.
  c = new_call("a06-stale-in-nonce")
  invite(c, {}, 407, { final_extra = { challenge(PA, REALM, "n1") } })
  invite(c, {}, 407, { extra = { credentials(PZ, REALM, "n1") },
    final_extra = { challenge(PA, REALM, "n2, stale=true") } })

  -- a07: Proxy-Authorization for the realm, then a 401 (WWW-Authenticate)
  -- for the same realm name: the UAS had no credentials (Authorization).
  c = new_call("a07-proxy-then-uas")
  invite(c, {}, 407, { final_extra = { challenge(PA, REALM, "n1") } })
  invite(c, {}, 401, { extra = { credentials(PZ, REALM, "n1") },
    final_extra = { challenge(WA, REALM, "u1") } })
end

function mixes.empty() end

-- ---- main ---------------------------------------------------------------------

local mix, out = ...
if not mix or not mixes[mix] or not out then
  io.stderr:write("usage: ", PROGRAM, ".lua calls|odd|proxy|cancel|auth|empty OUT.pcap\n")
  os.exit(2)
end
mixes[mix]()
local f, err = io.open(out, "wb")
if not f then
  io.stderr:write(PROGRAM, ": ", err, "\n")
  os.exit(1)
end
local ok, werr = f:write(pcap_bytes())
local cok, cerr = f:close()
if not ok or not cok then
  io.stderr:write(PROGRAM, ": ", tostring(werr or cerr), "\n")
  os.exit(1)
end
