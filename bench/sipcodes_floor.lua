-- sipcodes_floor.lua: the least a Lua module over sipcodes.core can cost
-- (find and compile a one-line file, load the C module).  require_bench
-- loads it by name, to show what any Lua layer starts from.
return require "sipcodes.core"
