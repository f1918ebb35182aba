-- The examples print what their "--> " comments say.  examples/demo.lua is
-- also the README's quick start, so this keeps the README honest.
local ex = require "doc_examples"
local support = require "support"

describe("examples/demo.lua", function()
  it("prints what its comments say", function()
    local got, want = ex.printed(support.read("examples/demo.lua"), "examples/demo.lua")
    assert.is_true(#want >= 10)
    assert.are.same(want, got)
  end)

  it("is the README's quick start", function()
    local readme = support.read("README.md")
    for line in io.lines("examples/demo.lua") do
      if line:match("^print") or line:match("^sip%.") then
        assert.is_truthy(readme:find(line, 1, true), "README lacks: " .. line)
      end
    end
  end)
end)
