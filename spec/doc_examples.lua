-- Run the Lua examples of a guide page (docs/*.md): every line of a
-- ```lua block written "expression --> values" must give those values;
-- a block's other lines run as they are (locals set up for its examples),
-- and a block without such lines (host code: a Kamailio route, a
-- FreeSWITCH script) must compile.  Returns the number of checks made.
local assert = require "luassert"
local M = {}

local function compile(src, name, env)
  local setfenv = rawget(_G, "setfenv")
  local chunk, err
  if setfenv then
    chunk, err = rawget(_G, "loadstring")(src, "=" .. name)
    if chunk then setfenv(chunk, env) end
  else
    chunk, err = load(src, "=" .. name, "t", env)
  end
  return assert(chunk, err)
end

-- path: the page; globals: what its examples may name besides _G's.
function M.run(path, globals)
  local f = assert(io.open(path))
  local doc = f:read("*a")
  f:close()
  local env = setmetatable(globals, { __index = _G })
  local n = 0
  for block in doc:gmatch("```lua\n(.-)```") do
    local src, lines = {}, {}
    for line in block:gmatch("[^\n]+") do
      local expr, want = line:match("^(.-)%s*%-%->%s*(.+)$")
      if expr then
        lines[#lines + 1] = line
        src[#src + 1] = ("check(%d, { %s }, { %s })"):format(#lines, expr, want)
      else
        src[#src + 1] = line
      end
    end
    if #lines > 0 then
      env.check = function(i, got, want)
        n = n + 1
        assert.are.same(want, got, lines[i])
      end
      compile(table.concat(src, "\n"), path, env)()
    else
      compile(block, path, env)
    end
  end
  return n
end

return M
