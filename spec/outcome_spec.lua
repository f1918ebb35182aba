-- sip.outcome, sip.q850_outcome, sip.progress_kind and sipcodes.kpi,
-- checked against the tables of docs/outcomes.md (the page is the outside
-- copy: its rows were written by hand from the sources it names) and
-- against literals here.
local sip = require "sipcodes"
local core = require "sipcodes.core"
local kpi = require "sipcodes.kpi"

local read = require("support").read

local doc = read("docs/outcomes.md")

-- The cells of the rows of the table under the header line `header`,
-- those whose first cell starts with a digit.
local function rows(header)
  local start = assert(doc:find(header, 1, true), header)
  local out = {}
  for line in doc:sub(start):gmatch("([^\n]*)\n") do
    if line == "" then break end
    if line:match("^| %d") then
      local cells = {}
      for cell in line:sub(2):gmatch("([^|]*)|") do cells[#cells + 1] = cell:match("^%s*(.-)%s*$") end
      out[#out + 1] = cells
    end
  end
  return out
end

local function dash(s)
  if s == "-" then return nil end
  return s
end

describe("sip.outcome", function()
  it("is the same function on sipcodes and sipcodes.core", function()
    assert.are.equal(core.outcome, sip.outcome)
    assert.are.equal(core.q850_outcome, sip.q850_outcome)
    assert.are.equal(core.progress_kind, sip.progress_kind)
  end)

  it("gives every row of the guide's table of final responses", function()
    local n = 0
    for _, r in ipairs(rows("| code | phrase | category | party | why |")) do
      local code = tonumber(r[1])
      local c, p = sip.outcome(code)
      assert.are.same({ dash(r[3]), dash(r[4]) }, { c, p }, "row " .. r[1])
      assert.are.equal(sip.reason(code), r[2], "phrase of " .. r[1])
      n = n + 1
    end
    assert.are.equal(73, n)
  end)

  it("has a row in the guide for every registered code from 200 to 699", function()
    local listed = {}
    for _, r in ipairs(rows("| code | phrase | category | party | why |")) do
      listed[tonumber(r[1])] = true
    end
    for code in sip.each() do
      if code >= 200 and code <= 699 then
        assert.is_true(listed[code] == true, "no row for " .. code)
      end
    end
  end)

  it("reads a code the table lacks as the x00 of its class", function()
    local want = {
      [201] = { "answered", "user" }, [299] = { "answered", "user" },
      [303] = { "redirected" }, [399] = { "redirected" },
      [418] = { "failed", "network" }, [499] = { "failed", "network" },
      [510] = { "network_failure", "network" }, [599] = { "network_failure", "network" },
      [601] = { "busy", "user" }, [699] = { "busy", "user" },
    }
    for code, w in pairs(want) do
      assert.are.same(w, { sip.outcome(code) }, tostring(code))
    end
  end)

  it("gives nil, nil for provisional codes and outside the responses", function()
    for _, code in ipairs({ 100, 180, 183, 199, 99, 0, -1, 700, 701, 999, 1000, 2147483647 }) do
      local c, p = sip.outcome(code)
      assert.is_nil(c, code)
      assert.is_nil(p, code)
      assert.are.equal(2, select("#", sip.outcome(code)))
    end
  end)

  it("takes numeral strings as every code argument does", function()
    assert.are.same({ "busy", "user" }, { sip.outcome("486") })
    assert.are.same({ "busy", "user" }, { sip.outcome(486.0) })
  end)

  it("applies the ctx in the guide's order", function()
    assert.are.same({ "answered", "user" }, { sip.outcome(200, { canceled = true }) })
    assert.are.same({ "canceled", "user" }, { sip.outcome(486, { canceled = true }) })
    assert.are.same({ "canceled", "user" }, { sip.outcome(407, { canceled = true, auth_tried = true }) })
    assert.are.same({ "rejected" }, { sip.outcome(401, { auth_tried = true }) })
    assert.are.same({ "auth_required" }, { sip.outcome(401, { auth_tried = false }) })
    assert.are.same({ "no_answer", "user" }, { sip.outcome(408, { provisional = true }) })
    assert.are.same({ "network_failure", "network" },
      { sip.outcome(408, { provisional = true, local_timeout = true }) })
    assert.are.same({ "unavailable", "user" }, { sip.outcome(480, { provisional = false }) })
    assert.are.same({ "network_failure", "network" }, { sip.outcome(503, { provisional = true }) })
    -- every 2xx, an unknown one too, whatever the ctx
    assert.are.same({ "answered", "user" }, { sip.outcome(299, { canceled = true }) })
    -- canceled comes before the rule of a provisional
    assert.are.same({ "canceled", "user" }, { sip.outcome(408, { provisional = true, canceled = true }) })
    assert.are.same({ "canceled", "user" }, { sip.outcome(480, { provisional = true, canceled = true }) })
    -- the routing ctx's other fields are taken and change nothing here
    assert.are.same({ "busy", "user" }, { sip.outcome(486, { retry_after = 30, redirects = 2, answered = true }) })
    assert.are.same({ "busy", "user" }, { sip.outcome(486, nil) })
  end)

  it("refuses a bad argument with Lua's standard message", function()
    local function err(...)
      local ok, e = pcall(...)
      assert.is_false(ok)
      return e
    end
    assert.are.equal("bad argument #1 to 'outcome' (integer expected, got no value)", err(sip.outcome))
    assert.are.equal("bad argument #1 to 'outcome' (integer expected, got string)", err(sip.outcome, "busy"))
    assert.are.equal("bad argument #1 to 'outcome' (number has no integer representation)",
      err(sip.outcome, 486.5))
    assert.are.equal("bad argument #2 to 'outcome' (table expected, got boolean)", err(sip.outcome, 486, true))
    assert.are.equal("bad argument #2 to 'outcome' (unknown option 'answerd')",
      err(sip.outcome, 486, { answerd = true }))
    assert.are.equal("bad argument #2 to 'outcome' (field 'provisional' must be a boolean)",
      err(sip.outcome, 486, { provisional = 1 }))
    assert.are.equal("bad argument #3 to 'outcome' (no more than 2 arguments expected, got 3)",
      err(sip.outcome, 486, nil, nil))
  end)
end)

describe("sip.q850_outcome", function()
  it("gives every row of the guide's table of causes", function()
    local n = 0
    for _, r in ipairs(rows("| cause | name | category | party | why |")) do
      assert.are.same({ dash(r[3]), dash(r[4]) }, { sip.q850_outcome(tonumber(r[1])) }, "cause " .. r[1])
      n = n + 1
    end
    assert.are.equal(44, n)
  end)

  it("reads 16 by ctx.answered, and any cause of an answered call as answered", function()
    assert.are.same({ "canceled", "user" }, { sip.q850_outcome(16) })
    assert.are.same({ "canceled", "user" }, { sip.q850_outcome(16, { answered = false }) })
    assert.are.same({ "answered", "user" }, { sip.q850_outcome(16, { answered = true }) })
    assert.are.same({ "answered", "user" }, { sip.q850_outcome(41, { answered = true }) })
    assert.are.same({ "canceled", "user" }, { sip.q850_outcome(17, { canceled = true }) })
    -- answered comes first
    assert.are.same({ "answered", "user" }, { sip.q850_outcome(41, { answered = true, canceled = true }) })
    assert.are.same({ "answered", "user" }, { sip.q850_outcome(16, { answered = true, canceled = true }) })
  end)

  it("reads a cause the table lacks as its class's unspecified cause", function()
    local want = {
      [4] = { "failed" }, [24] = { "failed" }, [32] = { "network_failure", "network" },
      [46] = { "network_failure", "network" }, [49] = { "failed", "network" },
      [62] = { "failed", "network" }, [67] = { "failed", "network" },
      [81] = { "failed", "network" }, [96] = { "failed", "network" },
      [110] = { "failed", "network" }, [120] = { "failed", "network" },
    }
    for cause, w in pairs(want) do
      assert.are.same(w, { sip.q850_outcome(cause) }, tostring(cause))
    end
  end)

  it("gives nil, nil outside 1-127", function()
    for _, cause in ipairs({ 0, -1, 128, 142, 487, 816, 2147483647 }) do
      assert.are.same({}, { sip.q850_outcome(cause) }, tostring(cause))
      assert.are.equal(2, select("#", sip.q850_outcome(cause)))
    end
  end)

  it("refuses a bad argument", function()
    local ok, e = pcall(sip.q850_outcome, 17, { answered = "yes" })
    assert.is_false(ok)
    assert.are.equal("bad argument #2 to 'q850_outcome' (field 'answered' must be a boolean)", e)
  end)
end)

describe("sip.progress_kind", function()
  it("gives every row of the guide's table", function()
    local n = 0
    for _, r in ipairs(rows("| code | has_sdp | kind |")) do
      local code = tonumber(r[1])
      local sdp = { no = { false }, yes = { true }, either = { false, true } }
      for _, s in ipairs(sdp[r[2]]) do
        assert.are.equal(r[3], sip.progress_kind(code, s), r[1] .. " " .. r[2])
        n = n + 1
      end
    end
    assert.are.equal(12, n)
  end)

  it("gives progress for other 1xx and nil for everything else", function()
    for _, code in ipairs({ 101, 150, 179, 184, 198 }) do
      assert.are.equal("progress", sip.progress_kind(code), tostring(code))
      assert.are.equal("progress", sip.progress_kind(code, true), tostring(code))
      assert.are.equal("progress", sip.progress_kind(code, false), tostring(code))
    end
    for _, code in ipairs({ 200, 486, 99, 0, 700, -180 }) do
      assert.is_nil(sip.progress_kind(code))
      assert.are.equal(1, select("#", sip.progress_kind(code)))
    end
    assert.are.equal("ringing", sip.progress_kind(180, nil))
    assert.are.equal("ringing", sip.progress_kind(180, false))
  end)

  it("takes has_sdp as a boolean only", function()
    local ok, e = pcall(sip.progress_kind, 180, 1)
    assert.is_false(ok)
    assert.are.equal("bad argument #2 to 'progress_kind' (boolean expected, got number)", e)
    ok, e = pcall(sip.progress_kind, 180, "yes")
    assert.is_false(ok)
    assert.are.equal("bad argument #2 to 'progress_kind' (boolean expected, got string)", e)
    ok, e = pcall(sip.progress_kind, 180, true, 1)
    assert.is_false(ok)
    assert.are.equal("bad argument #3 to 'progress_kind' (no more than 2 arguments expected, got 3)", e)
  end)
end)

describe("sipcodes.kpi", function()
  it("is the module of sipcodes.core.kpi()", function()
    assert.are.equal("function", type(kpi.new))
    assert.are.equal("function", type(kpi.profile))
    assert.are.equal(kpi, require "sipcodes.kpi")
  end)

  -- The mix of ctest/test_outcome.c, computed there by hand:
  -- 200 x4, 486 x2, 487, 603 x2, 407 x2, 408, 503 x2, 302, 404, 480, 600.
  local mix = { 200, 486, 407, 200, 487, 603, 408, 503, 302, 404, 200, 503, 407, 486, 480, 600, 200, 603 }

  it("computes every ratio of the homer profile for a fixed mix", function()
    local k = kpi.new("homer")
    for _, c in ipairs(mix) do k:add(c) end
    local r = k:report()
    assert.are.equal(18, r.attempts)
    assert.are.same({ [200] = 4, [486] = 2, [487] = 1, [603] = 2, [407] = 2, [408] = 1, [503] = 2,
                      [302] = 1, [404] = 1, [480] = 1, [600] = 1 }, r.counts)
    assert.are.equal(4 / 16, r.asr)  -- den 18 - two 407
    assert.are.equal(9 / 16, r.ner)  -- 200 x4, 486 x2, 487, 603 x2
    assert.are.equal(3 / 16, r.isa)  -- 408, 503 x2
    assert.are.equal(2 / 16, r.sdr)  -- 503 x2
    assert.is_nil(r.seer)
  end)

  it("computes every ratio of the rfc6076 profile for the same mix", function()
    local k = kpi.new("rfc6076")
    for _, c in ipairs(mix) do k:add(c) end
    local r = k:report()
    assert.are.equal(18, r.attempts)
    assert.are.equal(4 / 15, r.asr)   -- SER: den 18 - 302 - two 407
    assert.are.equal(10 / 17, r.seer) -- den 18 - 302: 200 x4, 480, 486 x2, 600, 603 x2
    assert.are.equal(3 / 18, r.isa)   -- over every attempt
    assert.is_nil(r.ner)
    assert.is_nil(r.sdr)
  end)

  it("has no ratio before anything is counted, and a fresh report each time", function()
    local k = kpi.new("homer")
    assert.are.same({ attempts = 0, counts = {} }, k:report())
    k:add(407)
    assert.are.same({ attempts = 1, counts = { [407] = 1 } }, k:report()) -- den 0
    k:add(200)
    local a, b = k:report(), k:report()
    assert.are_not.equal(a, b)
    -- the 407 is out of every homer ratio: 200 over 200
    local want = { attempts = 2, counts = { [407] = 1, [200] = 1 }, asr = 1, ner = 1, isa = 0, sdr = 0 }
    assert.are.same(want, a)
    assert.are.same(want, b)
    a.asr = 0.5 -- a report is the caller's own
    assert.are.same(want, k:report())
  end)

  it("shows each profile's code sets", function()
    assert.are.same({
      name = "homer",
      asr = { codes = { 200 }, exclude = { 407 }, outcomes = {} },
      ner = { codes = { 200, 486, 487, 603 }, exclude = { 407 }, outcomes = {} },
      isa = { codes = { 408, 500, 503, 504 }, exclude = { 407 }, outcomes = {} },
      sdr = { codes = { 500, 503, 504 }, exclude = { 407 }, outcomes = {} },
    }, kpi.profile("homer"))
    assert.are.same({
      name = "rfc6076",
      asr = { codes = { 200 }, exclude = { "3xx", 401, 402, 407 }, outcomes = {} },
      seer = { codes = { 200, 480, 486, 600, 603 }, exclude = { "3xx" }, outcomes = {} },
      isa = { codes = { 408, 500, 503, 504 }, exclude = {}, outcomes = {} },
    }, kpi.profile("rfc6076"))
    assert.are.same({ name = "custom" }, kpi.profile("custom"))
    assert.are_not.equal(kpi.profile("homer"), kpi.profile("homer"))
  end)

  it("takes overrides: fields replace, false drops, a new ratio starts empty", function()
    local k = kpi.new("homer", { isa = { codes = { 408, 500, 503 } }, sdr = false,
                                 seer = { codes = { 200, "4xx" } } })
    for _, c in ipairs({ 200, 504, 407, 486, 408 }) do k:add(c) end
    local r = k:report()
    assert.are.equal(1 / 4, r.isa)  -- 408 only; 407 still excluded
    assert.is_nil(r.sdr)
    assert.are.equal(4 / 5, r.seer) -- 200, 407, 486, 408 (seer has no exclusion)
    assert.are.equal(1 / 4, r.asr)
    local c = kpi.new("custom", { asr = { codes = { "2xx" }, exclude = { "3xx", "4xx" } } })
    for _, code in ipairs({ 200, 202, 302, 404, 503, 600 }) do c:add(code) end
    assert.are.equal(2 / 4, c:report().asr)
  end)

  it("takes the ends of the range: 200 and 699", function()
    local k = kpi.new("homer")
    k:add(699)
    assert.are.same({ attempts = 1, counts = { [699] = 1 }, asr = 0, ner = 0, isa = 0, sdr = 0 }, k:report())
    local c = kpi.new("custom", { asr = { codes = { "6xx" } } })
    c:add(699)
    assert.are.equal(1, c:report().asr)
    c = kpi.new("custom", { asr = { codes = { 699 } } })
    c:add(699) c:add(200)
    assert.are.equal(0.5, c:report().asr)
    c = kpi.new("custom", { asr = { codes = { 200 }, exclude = { 699 } } })
    c:add(699) c:add(200)
    assert.are.equal(1, c:report().asr)
    c = kpi.new("custom", { asr = { codes = { "2xx" } } })
    c:add(200) c:add(299) c:add(300)
    assert.are.equal(2 / 3, c:report().asr)
  end)

  it("reads long code lists", function()
    local all = {}
    for code = 200, 699 do all[#all + 1] = code end
    local k = kpi.new("custom", { ner = { codes = all }, asr = { codes = all, exclude = all } })
    k:add(486)
    local r = k:report()
    assert.are.equal(1, r.ner)
    assert.is_nil(r.asr) -- everything excluded
  end)

  it("counts outcome categories in the ctx of each add", function()
    local k = kpi.new("custom", { ner = { outcomes = { "no_answer", "canceled" } } })
    k:add(408, { provisional = true })
    k:add(408)
    k:add(486, { canceled = true })
    k:add(486)
    assert.are.equal(2 / 4, k:report().ner)
  end)

  it("says what it is", function()
    local k = kpi.new("rfc6076")
    k:add(200)
    assert.are.equal("sipcodes.kpi: 1 attempts", tostring(k))
    assert.is_false(getmetatable(k))
  end)

  it("refuses misuse with Lua's standard messages", function()
    local function err(...)
      local ok, e = pcall(...)
      assert.is_false(ok)
      return e
    end
    local k = kpi.new("homer")
    assert.are.equal("bad argument #1 to 'new' (string expected, got no value)", err(kpi.new))
    assert.are.equal("bad argument #1 to 'new' (profile must be one of homer, rfc6076, custom)",
      err(kpi.new, "HOMER"))
    assert.are.equal("bad argument #2 to 'new' (table expected, got string)", err(kpi.new, "homer", "isa"))
    assert.are.equal("bad argument #2 to 'new' (unknown ratio 'ser')", err(kpi.new, "homer", { ser = {} }))
    assert.are.equal("bad argument #2 to 'new' (ratio names must be strings, got number)",
      err(kpi.new, "homer", { {} }))
    assert.are.equal("bad argument #2 to 'new' (ratio 'asr' must be a table or false)",
      err(kpi.new, "homer", { asr = true }))
    assert.are.equal("bad argument #2 to 'new' (unknown field 'asr.code')",
      err(kpi.new, "homer", { asr = { code = {} } }))
    assert.are.equal("bad argument #2 to 'new' (asr.codes must be a list)",
      err(kpi.new, "homer", { asr = { codes = 200 } }))
    local want = "a final code 200-699 or a class such as '3xx' expected"
    assert.are.equal("bad argument #2 to 'new' (asr.codes[2]: " .. want .. ")",
      err(kpi.new, "homer", { asr = { codes = { 200, 180 } } }))
    assert.are.equal("bad argument #2 to 'new' (asr.exclude[1]: " .. want .. ")",
      err(kpi.new, "homer", { asr = { exclude = { "1xx" } } }))
    assert.are.equal("bad argument #2 to 'new' (asr.codes[1]: " .. want .. ")",
      err(kpi.new, "homer", { asr = { codes = { "7xx" } } }))
    assert.are.equal("bad argument #2 to 'new' (asr.exclude[1]: " .. want .. ")",
      err(kpi.new, "homer", { asr = { exclude = { "3x0" } } }))
    assert.are.equal("bad argument #2 to 'new' (asr.exclude[1]: " .. want .. ")",
      err(kpi.new, "homer", { asr = { exclude = { "3X" } } }))
    assert.are.equal("bad argument #2 to 'new' (asr.codes[1]: " .. want .. ")",
      err(kpi.new, "homer", { asr = { codes = { 700 } } }))
    assert.are.equal("bad argument #2 to 'new' (asr.codes[1]: " .. want .. ")",
      err(kpi.new, "homer", { asr = { codes = { 199 } } }))
    assert.are.equal("bad argument #2 to 'new' (asr.codes[1]: " .. want .. ")",
      err(kpi.new, "homer", { asr = { codes = { 200.5 } } }))
    assert.are.equal("bad argument #2 to 'new' (asr.codes[2]: code expected, got nil)",
      err(kpi.new, "homer", { asr = { codes = { 200, nil, 486 } } }))
    assert.are.equal("bad argument #2 to 'new' (ner.outcomes[1]: an outcome category expected)",
      err(kpi.new, "custom", { ner = { outcomes = { "busy_here" } } }))
    assert.are.equal("bad argument #3 to 'new' (no more than 2 arguments expected, got 3)",
      err(kpi.new, "homer", nil, nil))
    assert.are.equal("bad argument #1 to 'add' (sipcodes.kpi expected, got table)", err(k.add, {}, 200))
    assert.are.equal("bad argument #2 to 'add' (final code expected (200 to 699))", err(k.add, k, 180))
    assert.are.equal("bad argument #2 to 'add' (final code expected (200 to 699))", err(k.add, k, 700))
    assert.are.equal("bad argument #2 to 'add' (integer expected, got no value)", err(k.add, k))
    assert.are.equal("bad argument #3 to 'add' (unknown option 'x')", err(k.add, k, 200, { x = 1 }))
    assert.are.equal("bad argument #4 to 'add' (no more than 3 arguments expected, got 4)",
      err(k.add, k, 200, nil, nil))
    assert.are.equal("bad argument #1 to 'report' (sipcodes.kpi expected, got no value)", err(k.report))
    assert.are.equal("bad argument #1 to 'profile' (profile must be one of homer, rfc6076, custom)",
      err(kpi.profile, "ser"))
    -- nothing was counted by the refused calls
    assert.are.equal(0, k:report().attempts)
  end)
end)

describe("the documentation of the outcome and KPI functions", function()
  it("has @usage examples that give what they say", function()
    local ex = require "doc_examples"
    assert.are.equal(3, ex.usage("csrc/lua_sipcodes_outcome.c", "outcome q850_outcome progress_kind",
      { sip = sip }))
    local k = kpi.new("homer")
    k:add(200) k:add(486)
    assert.are.equal(2, ex.usage("csrc/lua_sipcodes_kpi.c", "report profile", { kpi = kpi, k = k }))
  end)
end)

describe("docs/outcomes.md", function()
  it("has the warn-code registry as warning_info gives it", function()
    local n = 0
    for _, r in ipairs(rows("| code | text | group | RFC |")) do
      local info = sip.warning_info(tonumber(r[1]))
      assert.are.same({ r[2], r[3], r[4] }, { info.text, info.group, info.rfc }, r[1])
      n = n + 1
    end
    assert.are.equal(15, n)
  end)

  it("gives what its examples say", function()
    local n = require("doc_examples").run("docs/outcomes.md",
      { sip = sip, kpi = kpi, fs = require "sipcodes.freeswitch" })
    assert.is_true(n >= 35)
  end)
end)
