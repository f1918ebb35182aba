-- sipcodes.kpi: KPI counters (ASR, NER, SEER, ISA, SDR) over named profiles
-- of code sets.  C (csrc/lua_sipcodes_kpi.c, with their reference).
return require("sipcodes.core").kpi()
