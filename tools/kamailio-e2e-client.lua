#!/usr/bin/env lua5.1
-- kamailio-e2e-client.lua - the small SIP client of tools/kamailio-e2e.sh.
--
--   lua5.1 tools/kamailio-e2e-client.lua freeport
--       prints a UDP port on 127.0.0.1 that was free a moment ago
--   lua5.1 tools/kamailio-e2e-client.lua send PORT METHOD USER [WAIT]
--       sends METHOD sip:USER@127.0.0.1:PORT from 127.0.0.1, ACKs a
--       non-2xx final response to an INVITE, keeps listening WAIT seconds
--       (default 0.5) for further final responses, and prints:
--         status <status line of the first final response>
--         header <Reason and X-Winning header lines, as received>
--         finals <number of final responses>
--       Exits 1 when no final response came within 10 seconds.
--
-- Only loopback; needs LuaSocket (Debian: lua-socket).

local socket = require "socket"

local HOST = "127.0.0.1"

local function die(msg)
  io.stderr:write("kamailio-e2e-client: ", msg, "\n")
  os.exit(2)
end

local function udp_on_loopback()
  local udp = assert(socket.udp())
  assert(udp:setsockname(HOST, 0))
  local _, port = udp:getsockname()
  return udp, tonumber(port)
end

local function token()
  return string.format("%08x%04x", math.random(0, 0x7fffffff), math.random(0, 0xffff))
end

-- Split a response into its status line and a list of header lines
-- (folded lines are not used by Kamailio's replies).
local function parse(msg)
  local head = msg:match("^(.-)\r\n\r\n") or msg
  local lines = {}
  for line in (head .. "\r\n"):gmatch("(.-)\r\n") do
    lines[#lines + 1] = line
  end
  local status = table.remove(lines, 1) or ""
  return status, lines
end

local function header(lines, name)
  local want = name:lower()
  for _, line in ipairs(lines) do
    local n, v = line:match("^([^:]+):%s*(.*)$")
    if n and n:lower() == want then
      return v
    end
  end
  return nil
end

local function send(port, method, user, wait)
  local udp, lport = udp_on_loopback()
  local branch = "z9hG4bK" .. token()
  local call_id = token() .. "@" .. HOST
  local from_tag = token()
  local ruri = string.format("sip:%s@%s:%d", user, HOST, port)
  local via = string.format("SIP/2.0/UDP %s:%d;branch=%s;rport", HOST, lport, branch)
  local from = string.format("<sip:e2e@%s:%d>;tag=%s", HOST, lport, from_tag)
  local to = "<" .. ruri .. ">"
  local request = table.concat({
    string.format("%s %s SIP/2.0", method, ruri),
    "Via: " .. via,
    "Max-Forwards: 70",
    "From: " .. from,
    "To: " .. to,
    "Call-ID: " .. call_id,
    "CSeq: 1 " .. method,
    string.format("Contact: <sip:e2e@%s:%d>", HOST, lport),
    "User-Agent: sipcodes-e2e",
    "Content-Length: 0",
    "", "",
  }, "\r\n")
  assert(udp:sendto(request, HOST, port))

  local deadline = socket.gettime() + 10
  local first, finals = nil, 0
  while true do
    local now = socket.gettime()
    local limit = first and math.min(deadline, first.at + wait) or deadline
    if now >= limit then
      break
    end
    udp:settimeout(limit - now)
    local msg = udp:receivefrom()
    if msg then
      local status, lines = parse(msg)
      local code = tonumber(status:match("^SIP/2%.0 (%d%d%d) "))
      if code and code >= 200 then
        finals = finals + 1
        if not first then
          first = { status = status, lines = lines, at = socket.gettime() }
          if method == "INVITE" and code >= 300 then
            -- RFC 3261 §17.1.1.3: the ACK of a non-2xx final response
            -- reuses the INVITE's Via branch and takes To from the reply.
            local ack = table.concat({
              string.format("ACK %s SIP/2.0", ruri),
              "Via: " .. via,
              "Max-Forwards: 70",
              "From: " .. from,
              "To: " .. (header(lines, "To") or to),
              "Call-ID: " .. call_id,
              "CSeq: 1 ACK",
              "Content-Length: 0",
              "", "",
            }, "\r\n")
            udp:sendto(ack, HOST, port)
          end
        end
      end
    end
  end
  udp:close()
  if not first then
    print("status none")
    print("finals 0")
    return 1
  end
  print("status " .. first.status)
  for _, line in ipairs(first.lines) do
    local n = line:match("^([^:]+):")
    if n and (n:lower() == "reason" or n:lower() == "x-winning") then
      print("header " .. line)
    end
  end
  print("finals " .. finals)
  return 0
end

local function main(...)
  local cmd = ...
  math.randomseed(os.time() + math.floor((socket.gettime() % 1) * 1e6))
  if cmd == "freeport" then
    local udp, port = udp_on_loopback()
    udp:close()
    print(port)
    return 0
  elseif cmd == "send" then
    local _, port, method, user, wait = ...
    port = tonumber(port)
    if not port or not method or not user then
      die("usage: send PORT METHOD USER [WAIT]")
    end
    return send(port, method, user, tonumber(wait) or 0.5)
  end
  die("usage: freeport | send PORT METHOD USER [WAIT]")
end

os.exit(main(...))
