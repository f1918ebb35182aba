-- require "sipcodes": the C functions of sipcodes.core (csrc/, which holds
-- their reference); on LuaJIT with a memo in front (lua/sipcodes/memo.lua).
return require("sipcodes.core").module(package.loaded.jit and "sipcodes.memo")
