-- sipcodes_emptylua.lua: an empty Lua module.  bench/require.sh requires it
-- to show what finding, opening and compiling any Lua file costs.
return {}
