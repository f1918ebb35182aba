-- sipcodes.memo (LuaJIT only): the fast path in front of a hot C function
-- f of sipcodes.core, such as reason.  memo maps a key to the answer f gave
-- for it when called with that one argument (the memo itself stands for
-- nil); f fills it and register() empties it, so a hit answers exactly as
-- f would.  Any other call, a miss included, is a tail call of f, whose
-- errors then name f and, on LuaJIT, point at the caller as f's own would
-- (a PUC Lua, where this is never used by require "sipcodes", can lose the
-- caller's position when the call to the wrapper is itself a tail call).
local select = select

return function(f, memo)
  return function(...)
    if select("#", ...) == 1 then
      local v = memo[...]
      if v ~= nil then
        if v == memo then
          return nil
        end
        return v
      end
    end
    return f(...)
  end
end
