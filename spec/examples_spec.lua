-- The examples print what their "--> " comments say.  examples/demo.lua is
-- also the README's quick start, so this keeps the README honest.
local function load_with_env(path, env)
  local setfenv = rawget(_G, "setfenv")
  if setfenv then
    local f = assert(loadfile(path))
    setfenv(f, env)
    return f
  end
  return assert(loadfile(path, "t", env))
end

local function expected_outputs(path)
  local want = {}
  for line in io.lines(path) do
    local out = line:match("^print%(.*%-%->%s(.*)$")
    if out then want[#want + 1] = out end
  end
  return want
end

describe("examples/demo.lua", function()
  it("prints what its comments say", function()
    local got = {}
    local env = setmetatable({
      print = function(...)
        local parts = {}
        for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
        got[#got + 1] = table.concat(parts, "\t")
      end,
    }, { __index = _G })
    -- Registrations are per lua_State and this one is shared with the
    -- other specs: run the demo's register on a fresh module table.
    package.loaded["sipcodes"], package.loaded["sipcodes.core"] = nil, nil
    load_with_env("examples/demo.lua", env)()
    package.loaded["sipcodes"], package.loaded["sipcodes.core"] = nil, nil
    local want = expected_outputs("examples/demo.lua")
    assert.is_true(#want >= 10)
    assert.are.same(want, got)
  end)

  it("is the README's quick start", function()
    local f = assert(io.open("README.md"))
    local readme = f:read("*a")
    f:close()
    for line in io.lines("examples/demo.lua") do
      if line:match("^print") or line:match("^sip%.") then
        assert.is_truthy(readme:find(line, 1, true), "README lacks: " .. line)
      end
    end
  end)
end)
