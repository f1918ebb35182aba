-- bench/timer.lua: the timing loop the Lua benchmarks share.
--
-- best_of(f, n, arg) calls f n times and gives ns per call, the best of 3
-- runs (the machine is shared and noisy).  The argument rotates through 8
-- copies (tables are copied) and every result is kept, so that LuaJIT can
-- neither hoist a pure Lua baseline out of the loop as loop-invariant nor
-- drop the call as dead code; ours and the baselines run the same loop.
local M = {}

local clock = os.clock

M.sink = nil -- written only, to keep results alive

function M.best_of(f, n, arg)
  local args = {}
  for i = 1, 8 do
    if type(arg) == "table" then
      args[i] = {}
      for k, v in pairs(arg) do args[i][k] = v end
    else
      args[i] = arg
    end
  end
  local best = math.huge
  for _ = 1, 3 do
    local t0 = clock()
    local x
    for i = 1, n do x = f(args[i % 8 + 1]) end
    M.sink = x
    best = math.min(best, clock() - t0)
  end
  return best * 1e9 / n
end

return M
