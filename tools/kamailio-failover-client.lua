#!/usr/bin/env lua5.1
-- kamailio-failover-client.lua - the caller of tools/kamailio-failover-e2e.sh.
--
--   lua5.1 tools/kamailio-failover-client.lua freeport [N]
--       prints N (default 1) UDP ports on 127.0.0.1 that were free a moment
--       ago, one a line, all different; below the kernel's ephemeral range,
--       so that no other program's client socket takes one of them while
--       the test's servers are not bound to it
--   lua5.1 tools/kamailio-failover-client.lua call PORT USER [cancel]
--       sends INVITE sip:USER@127.0.0.1:PORT from 127.0.0.1 and prints what
--       came back, line by line:
--         provisional <status line>   each 1xx, in order
--         status <status line>        the first final response
--         header <Name: value>        each header of that response, as
--                                     received
--         finals <n>                  final responses to the INVITE
--       A non-2xx final response is ACKed (RFC 3261 17.1.1.3).  A 2xx is
--       ACKed along its Record-Route, then the call is ended with a BYE:
--         bye <status line>           the final response to the BYE
--       With `cancel`, the INVITE is cancelled once a 1xx other than 100
--       came back:
--         cancel <status line>        the final response to the CANCEL
--       Exits 1 when no final response came within 12 seconds.
--
-- Only loopback; needs LuaSocket (Debian: lua-socket).

local socket = require "socket"

local HOST = "127.0.0.1"
local WAIT_FINAL = 12 -- seconds for the INVITE's final response
local WAIT_MORE = 0.5 -- seconds to listen for further final responses

local function die(msg)
  io.stderr:write("kamailio-failover-client: ", msg, "\n")
  os.exit(2)
end

local function udp_on_loopback()
  local udp = assert(socket.udp())
  assert(udp:setsockname(HOST, 0))
  local _, port = udp:getsockname()
  return udp, tonumber(port)
end

local function token()
  return string.format("%06x%04x", math.random(0, 0xffffff), math.random(0, 0xffff))
end

-- A response: its status line, code and header lines (Kamailio and SIPp
-- send no folded lines).
local function parse(msg)
  local head = msg:match("^(.-)\r\n\r\n") or msg
  local lines = {}
  for line in (head .. "\r\n"):gmatch("(.-)\r\n") do
    lines[#lines + 1] = line
  end
  local status = table.remove(lines, 1) or ""
  return status, tonumber(status:match("^SIP/2%.0 (%d%d%d) ")), lines
end

-- Every value of header name, in order (compact forms are not used here).
local function headers(lines, name)
  local want, out = name:lower(), {}
  for _, line in ipairs(lines) do
    local n, v = line:match("^([^:]+):%s*(.*)$")
    if n and n:lower() == want then
      out[#out + 1] = v
    end
  end
  return out
end

local function message(first, hdrs)
  hdrs[#hdrs + 1] = "Content-Length: 0"
  return first .. "\r\n" .. table.concat(hdrs, "\r\n") .. "\r\n\r\n"
end

local function call(port, user, cancel)
  local udp, lport = udp_on_loopback()
  local branch = "z9hG4bK" .. token()
  local call_id = token() .. "@" .. HOST
  local ruri = string.format("sip:%s@%s:%d", user, HOST, port)
  local via = string.format("SIP/2.0/UDP %s:%d;branch=%s;rport", HOST, lport, branch)
  local from = string.format("<sip:caller@%s:%d>;tag=%s", HOST, lport, token())
  local to = "<" .. ruri .. ">"
  local contact = string.format("<sip:caller@%s:%d>", HOST, lport)
  local function send(text)
    assert(udp:sendto(text, HOST, port))
  end
  send(message("INVITE " .. ruri .. " SIP/2.0", {
    "Via: " .. via, "Max-Forwards: 70", "From: " .. from, "To: " .. to,
    "Call-ID: " .. call_id, "CSeq: 1 INVITE", "Contact: " .. contact,
    "User-Agent: sipcodes-failover-e2e",
  }))

  -- Read until deadline; hand each response to on(status, code, lines,
  -- method) and stop when it returns true.
  local function read(deadline, on)
    while true do
      local left = deadline - socket.gettime()
      if left <= 0 then
        return false
      end
      udp:settimeout(left)
      local msg = udp:receivefrom()
      if msg then
        local status, code, lines = parse(msg)
        local method = (headers(lines, "CSeq")[1] or ""):match("%d+%s+(%u+)")
        if code and on(status, code, lines, method) then
          return true
        end
      end
    end
  end

  local first, finals, cancelled = nil, 0, false
  read(socket.gettime() + WAIT_FINAL, function(status, code, lines, method)
    if method == "CANCEL" then
      if code >= 200 then
        print("cancel " .. status)
      end
      return false
    end
    if method ~= "INVITE" then
      return false
    end
    if code < 200 then
      print("provisional " .. status)
      if cancel and code > 100 and not cancelled then
        cancelled = true
        -- RFC 3261 9.1: the INVITE's Request-URI, Call-ID, From, To
        -- (no tag), CSeq number and top Via.
        send(message("CANCEL " .. ruri .. " SIP/2.0", {
          "Via: " .. via, "Max-Forwards: 70", "From: " .. from, "To: " .. to,
          "Call-ID: " .. call_id, "CSeq: 1 CANCEL",
        }))
      end
      return false
    end
    finals = finals + 1
    first = { status = status, code = code, lines = lines }
    return true
  end)
  if not first then
    print("status none")
    print("finals 0")
    udp:close()
    return 1
  end
  print("status " .. first.status)
  for _, line in ipairs(first.lines) do
    print("header " .. line)
  end

  local reply_to = headers(first.lines, "To")[1] or to
  if first.code >= 300 then
    -- The ACK of a non-2xx: hop by hop, the INVITE's branch.
    send(message("ACK " .. ruri .. " SIP/2.0", {
      "Via: " .. via, "Max-Forwards: 70", "From: " .. from, "To: " .. reply_to,
      "Call-ID: " .. call_id, "CSeq: 1 ACK",
    }))
  else
    -- The ACK of a 2xx and the BYE: to the remote target, through the
    -- route set (the Record-Route entries, reversed: RFC 3261 12.1.2).
    local target = (headers(first.lines, "Contact")[1] or ""):match("<([^>]+)>") or ruri
    local rr = {}
    for _, v in ipairs(headers(first.lines, "Record-Route")) do
      for entry in v:gmatch("<[^>]+>[^,]*") do
        table.insert(rr, 1, entry)
      end
    end
    local route = #rr > 0 and "Route: " .. table.concat(rr, ", ") or nil
    local function in_dialog(method, cseq)
      local hdrs = {
        "Via: " .. string.format("SIP/2.0/UDP %s:%d;branch=z9hG4bK%s;rport", HOST, lport, token()),
        "Max-Forwards: 70", "From: " .. from, "To: " .. reply_to, "Call-ID: " .. call_id,
        "CSeq: " .. cseq .. " " .. method,
      }
      if route then
        table.insert(hdrs, 2, route)
      end
      send(message(method .. " " .. target .. " SIP/2.0", hdrs))
    end
    in_dialog("ACK", 1)
    -- Kamailio's workers relay in parallel: a BYE right behind the ACK
    -- could overtake it.  A caller talks a while first.
    socket.sleep(0.3)
    in_dialog("BYE", 2)
    local bye
    read(socket.gettime() + 5, function(status, code, _, method)
      if method == "INVITE" and code >= 200 then
        finals = finals + 1
      elseif method == "BYE" and code >= 200 then
        bye = status
        return true
      end
      return false
    end)
    print("bye " .. (bye or "none"))
  end

  -- Anything more: a second final response would be a bug of the proxy.
  read(socket.gettime() + WAIT_MORE, function(_, code, _, method)
    if method == "INVITE" and code >= 200 then
      finals = finals + 1
    end
    return false
  end)
  print("finals " .. finals)
  udp:close()
  return 0
end

local function main(...)
  local cmd = ...
  math.randomseed(os.time() + math.floor((socket.gettime() % 1) * 1e6))
  if cmd == "freeport" then
    -- Keep each socket open until all are chosen, so that none repeats.
    local n, held = tonumber((select(2, ...))) or 1, {}
    local low = 32768
    local f = io.open("/proc/sys/net/ipv4/ip_local_port_range")
    if f then
      low = tonumber(f:read("*n")) or low
      f:close()
    end
    for _ = 1, 200 do
      if #held == n then
        break
      end
      local udp = assert(socket.udp())
      -- Below the ephemeral range when there is room, else any port.
      local port = low > 12000 and math.random(low - 10000, low - 1) or 0
      if udp:setsockname(HOST, port) then
        local _, p = udp:getsockname()
        held[#held + 1] = udp
        print(p)
      else
        udp:close()
      end
    end
    for _, udp in ipairs(held) do
      udp:close()
    end
    return #held == n and 0 or 1
  elseif cmd == "call" then
    local _, port, user, mode = ...
    port = tonumber(port)
    if not port or not user or (mode and mode ~= "cancel") then
      die("usage: call PORT USER [cancel]")
    end
    return call(port, user, mode == "cancel")
  end
  die("usage: freeport [N] | call PORT USER [cancel]")
end

os.exit(main(...))
