#!/usr/bin/env lua5.1
-- kamailio-client.lua - the UDP client of bench/kamailio.sh (LuaSocket).
--
--   lua5.1 bench/kamailio-client.lua freeport
--       a UDP port on 127.0.0.1 that was free a moment ago
--   lua5.1 bench/kamailio-client.lua invite PORT N USER [REPLYFILE]
--       N INVITEs to sip:USER@127.0.0.1:PORT, one after the other: each
--       (a new Call-ID and branch) waits for its final response before
--       the next goes out, so the one worker is never flooded.  No ACK:
--       the bench counts what one INVITE costs.  Prints
--         finals <n> of <N>, <codes>
--       and writes the first final response, headers with Via/From/To/
--       Call-ID values masked, to REPLYFILE.  Exits 1 if any INVITE got
--       no final response within 60 s.
-- Only loopback.
local socket = require "socket"

local HOST = "127.0.0.1"

local function token()
  return string.format("%08x%04x", math.random(0, 0x7fffffff), math.random(0, 0xffff))
end

local function invite(lport, port, user, seq)
  local branch = "z9hG4bK" .. token() .. seq
  local call_id = token() .. seq .. "@" .. HOST
  local ruri = string.format("sip:%s@%s:%d", user, HOST, port)
  return table.concat({
    string.format("INVITE %s SIP/2.0", ruri),
    string.format("Via: SIP/2.0/UDP %s:%d;branch=%s;rport", HOST, lport, branch),
    "Max-Forwards: 70",
    string.format("From: <sip:bench@%s:%d>;tag=%s", HOST, lport, token()),
    "To: <" .. ruri .. ">",
    "Call-ID: " .. call_id,
    "CSeq: 1 INVITE",
    string.format("Contact: <sip:bench@%s:%d>", HOST, lport),
    "User-Agent: sipcodes-bench",
    "Content-Length: 0",
    "", "",
  }, "\r\n"), call_id
end

local function main(cmd, ...)
  math.randomseed(os.time() + math.floor((socket.gettime() % 1) * 1e6))
  if cmd == "freeport" then
    local udp = assert(socket.udp())
    assert(udp:setsockname(HOST, 0))
    local _, port = udp:getsockname()
    udp:close()
    print(port)
    return 0
  end
  if cmd ~= "invite" then
    io.stderr:write("usage: freeport | invite PORT N USER [REPLYFILE]\n")
    return 2
  end
  local port, n, user, replyfile = ...
  port, n = tonumber(port), tonumber(n)
  local udp = assert(socket.udp())
  assert(udp:setsockname(HOST, 0))
  local _, lport = udp:getsockname()
  lport = tonumber(lport)
  local finals, codes, first = 0, {}, nil
  for i = 1, n do
    local req, call_id = invite(lport, port, user, i)
    assert(udp:sendto(req, HOST, port))
    local deadline = socket.gettime() + 60
    local got = false
    while not got do
      local left = deadline - socket.gettime()
      if left <= 0 then break end
      udp:settimeout(left)
      local msg = udp:receivefrom()
      if msg and msg:find("Call-ID: " .. call_id, 1, true) then
        local code = tonumber(msg:match("^SIP/2%.0 (%d%d%d) "))
        if code and code >= 200 then
          got = true
          finals = finals + 1
          codes[code] = (codes[code] or 0) + 1
          first = first or msg
        end
      end
    end
    if not got then
      io.stderr:write(string.format("kamailio-client: no final response to INVITE %d\n", i))
      break
    end
  end
  udp:close()
  local list = {}
  for code, count in pairs(codes) do list[#list + 1] = code .. " x" .. count end
  table.sort(list)
  print(string.format("finals %d of %d, %s", finals, n, table.concat(list, ", ")))
  if replyfile and first then
    local f = assert(io.open(replyfile, "w"))
    local masked = first:gsub("\r\n", "\n")
    masked = masked:gsub("\n(Via: )[^\n]*", "\n%1...")
    masked = masked:gsub("\n(From: )[^\n]*", "\n%1...")
    masked = masked:gsub("\n(To: )[^\n]*", "\n%1...")
    masked = masked:gsub("\n(Call%-ID: )[^\n]*", "\n%1...")
    f:write(masked)
    f:close()
  end
  return finals == n and 0 or 1
end

os.exit(main(...))
