-- parsers_bench.lua: the parsers and best_response against what a user
-- would write in plain Lua, both measured in this run on this
-- interpreter, and the parsers' cost by input size.  Run by bench/run.sh;
-- prints, never asserts.
--
-- The Lua baselines check much less than the C parsers (no UTF-8, no
-- escapes, no single-SP rule, any text after "cause="), so a ratio below 1
-- means the full grammar costs less than the shortcut.
local sip = require "sipcodes"

local N = tonumber(os.getenv("SIPCODES_BENCH_CALLS")) or 300000
local impl = rawget(_G, "jit") and "luajit" or _VERSION
local best_of = require("timer").best_of

-- The one-liners.
local function lua_status_line(s)
  local version, code, reason = s:match("^(SIP/%d+%.%d+) (%d%d%d) ([^\r\n]*)\r?\n?$")
  if not version then return nil, "malformed" end
  return { version = version, code = tonumber(code), reason = reason }
end

local function lua_reason(s)
  local protocol = s:match("^%s*([^;%s]+)")
  if not protocol then return nil, "malformed" end
  return { { protocol = protocol, cause = tonumber(s:match(";%s*cause%s*=%s*(%d+)")),
             text = s:match(';%s*text%s*=%s*"([^"]*)"'), params = {} } }
end

local function lua_best(list)
  local best, best_rank
  for _, code in ipairs(list) do
    if code >= 200 then
      local rank
      if code < 300 then rank = 0
      elseif code >= 600 then rank = 1
      elseif code == 401 or code == 407 or code == 415 or code == 420 or code == 484 then rank = 2
      elseif code == 503 then rank = 9
      else rank = 2 + math.floor(code / 100) end
      if not best_rank or rank < best_rank or (rank == best_rank and code < best) then
        best, best_rank = code, rank
      end
    end
  end
  if not best then return 408 end
  if best == 503 then return 500 end
  return best
end

local line = "SIP/2.0 486 Busy Here"
local header = 'Q.850;cause=16;text="Terminated"'
local codes = { 180, 503, 404, 486, 407, 603, 500, 302 }

print(("== parsers and best_response, %s (%d calls each)"):format(impl, N))
print(("%-36s %10s %10s %8s"):format("call", "ns/call", "Lua", "ratio"))
for _, row in ipairs({
  { "parse_status_line(486 Busy Here)", sip.parse_status_line, lua_status_line, line },
  { 'parse_reason(Q.850;cause=16;text=...)', sip.parse_reason, lua_reason, header },
  { "best_response(8 codes)", sip.best_response, lua_best, codes },
}) do
  local ours, base = best_of(row[2], N, row[4]), best_of(row[3], N, row[4])
  print(("%-36s %10.1f %10.1f %7.2fx"):format(row[1], ours, base, ours / base))
end
print()

-- Cost by size: the parser reads up to 8192 bytes and refuses anything
-- longer before reading it.
print(("== cost by input size, %s (refused past 8192 bytes)"):format(impl))
print(("%-12s %14s %14s"):format("bytes", "status line us", "reason us"))
for _, size in ipairs({ 1024, 8192, 65536, 1048576 }) do
  local long_line = "SIP/2.0 200 " .. ("x"):rep(size - 12)
  local long_header = 'SIP;text="' .. ("x"):rep(size - 11) .. '"'
  local n = math.max(20, math.floor(2000000 / size))
  print(("%-12d %14.2f %14.2f"):format(size,
    best_of(sip.parse_status_line, n, long_line) / 1000,
    best_of(sip.parse_reason, n, long_header) / 1000))
end
print()
