-- The bad-input matrix (spec/badinput_cases.lua): every public function,
-- adapters included, with nil, booleans, tables, functions, coroutines,
-- "", "abc", "486", 486.5, -1, 0, 99, 700, +-1e309, 0/0, 2^53, 2^63,
-- math.mininteger, a 1 MB string, a string with a NUL byte, invalid UTF-8
-- and one argument too many.  Each outcome must be the one recorded in
-- spec/fixtures/badinput.txt, which is the same file for all five
-- interpreters: so every interpreter gives the same errors and results.
local cases = require "badinput_cases"

local function fixture()
  local f = assert(io.open("spec/fixtures/badinput.txt", "rb"),
                   "fixture spec/fixtures/badinput.txt is missing")
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()
  return lines
end

describe("the bad-input matrix", function()
  local want = fixture()
  local got = cases.lines()

  it("gives the recorded outcome for every call", function()
    local i = 1
    for _, line in ipairs(want) do
      -- Lines for a value this interpreter lacks (math.mininteger before
      -- 5.3) are in the fixture but not in this run.
      local optional = false
      for v in pairs(cases.optional_values) do
        optional = optional or line:find(v, 1, true) ~= nil
      end
      if got[i] and got[i].text == line then
        i = i + 1
      else
        assert.is_true(optional, "expected: " .. line .. "\n     got: " ..
                       tostring(got[i] and got[i].text))
      end
    end
    assert.are.equal(#got + 1, i, "calls beyond the fixture")
  end)

  it("raises only in the standard form, or with a message of the module's own", function()
    for _, l in ipairs(got) do
      local msg = l.text:match(" %-> raise (.*)$")
      if msg then
        assert.is_truthy(msg:find("^bad argument #%d+ to '[%w_]+' %(.+%)$") or
                         msg:find("^sipcodes%.codes "), l.text)
      end
    end
  end)

  it("covers every function of the module", function()
    local sip = require "sipcodes"
    local seen = {}
    for _, l in ipairs(got) do seen[l.text:match("^([%w_.]+)%(")] = true end
    for _, name in ipairs(cases.functions) do
      assert.are.equal("function", type(sip[name]), name)
      assert.is_true(seen[name] or false, name)
    end
  end)
end)
