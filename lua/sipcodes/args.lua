-- sipcodes.args: the argument checks of the Kamailio and FreeSWITCH
-- adapters, worded as the C functions word theirs
-- (`bad argument #2 to 'respond' (integer expected, got nil)`).
-- Internal: its functions may change without notice.

local error, math_floor, select, string_format, string_match, tonumber, type =
      error, math.floor, select, string.format, string.match, tonumber, type

local M = {}

-- Raise at the adapter's caller's level, without a position prefix (the
-- C functions' messages have none either).
function M.argerror(n, fname, msg)
  error(string_format("bad argument #%d to '%s' (%s)", n, fname, msg), 0)
end
local argerror = M.argerror

-- The type name of argument n of a call with these arguments.
function M.typename(n, ...)
  if select("#", ...) < n then
    return "no value"
  end
  return type((select(n, ...)))
end
local typename = M.typename

function M.checknargs(fname, max, ...)
  local n = select("#", ...)
  if n > max then
    argerror(max + 1, fname, string_format("no more than %d argument%s expected, got %d",
      max, max == 1 and "" or "s", n))
  end
end

-- A response code: a number or numeric string with an integer value
-- 100-699, what a SIP response may carry.  Returned as an integer (on
-- 5.3+ math.floor gives one), so that 486.0 and "486" go out as 486.
function M.checkcode(n, fname, ...)
  local v = select(n, ...)
  local num = tonumber(v)
  -- Lua 5.1's tonumber stops at a NUL ("48\0 6" -> 48); the others refuse.
  if type(v) == "string" and v:find("\0", 1, true) then
    num = nil
  end
  if (type(v) ~= "number" and type(v) ~= "string") or not num then
    argerror(n, fname, "integer expected, got " .. typename(n, ...))
  end
  if num ~= num or num % 1 ~= 0 or num >= 2 ^ 31 or num < -2 ^ 31 then
    argerror(n, fname, "number has no integer representation")
  end
  if num < 100 or num > 699 then
    argerror(n, fname, "code must be 100 to 699")
  end
  return math_floor(num)
end

-- An optional reason phrase: a non-empty string that cannot break out of
-- the status line.
function M.checkreason(n, fname, ...)
  local v = select(n, ...)
  if v == nil then
    return nil
  end
  if type(v) ~= "string" then
    argerror(n, fname, "string expected, got " .. typename(n, ...))
  end
  if v == "" or string_match(v, "[%z\r\n]") then
    argerror(n, fname, "reason must be non-empty, without CR, LF or NUL")
  end
  return v
end

return M
