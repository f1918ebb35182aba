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
M.compile = compile

-- One example as a function of env: its lines "expression --> values"
-- become checks that the expression gives those values (each a separate
-- Lua expression list), the other lines stay as they are.  Returns the
-- function and the number of checks it makes; each check made calls
-- counted() when given.
function M.chunk(text, name, env, counted)
  local src, lines = {}, {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    local expr, want = line:match("^(.-)%s*%-%->%s*(.+)$")
    if expr then
      lines[#lines + 1] = line
      src[#src + 1] = ("check(%d, { %s }, { %s })"):format(#lines, expr, want)
    else
      src[#src + 1] = line
    end
  end
  local f = compile(table.concat(src, "\n"), name, env)
  return function()
    env.check = function(i, got, want)
      if counted then counted() end
      assert.are.same(want, got, name .. ": " .. lines[i])
    end
    return f()
  end, #lines
end

-- path: the page; globals: what its examples may name besides _G's.
function M.run(path, globals)
  local f = assert(io.open(path))
  local doc = f:read("*a")
  f:close()
  local env = setmetatable(globals, { __index = _G })
  local n = 0
  for block in doc:gmatch("```lua\n(.-)```") do
    local run, checks = M.chunk(block, path, env, function() n = n + 1 end)
    if checks > 0 then
      run()
    end
  end
  return n
end

-- The @usage lines of the LDoc blocks of the C functions `names` (a string
-- of names) in cfile: the first "expression --> result" of each, the
-- expression evaluated with the globals given, the result read as Lua;
-- the values must be the same.  Returns how many were checked.
function M.usage(cfile, names, globals)
  local env = setmetatable(globals, { __index = _G })
  local function eval(src)
    return compile("return " .. src, "usage", env)()
  end
  local f = assert(io.open(cfile))
  local src = f:read("*a")
  f:close()
  local seen = 0
  for name in names:gmatch("%S+") do
    -- the block right before the function: from the last "/***" before it
    local stop = src:find("%*/%s*static int l_" .. name .. "%(")
    assert.is_truthy(stop, name)
    local start
    for at in src:sub(1, stop):gmatch("()/%*%*%*") do start = at end
    local block = src:sub(start, stop)
    -- a method is named after its object: "@function k:report"
    assert.is_truthy(block:find("@function " .. name, 1, true) or
                     block:find("@function %a+:" .. name .. "\n"), name)
    local expr, result = block:match("@usage%s+(.-)%s+%-%->%s+([^\n]+)")
    assert.is_truthy(expr, name .. " has no @usage example with -->")
    assert.are.same({ eval(result) }, { eval(expr) }, name)
    seen = seen + 1
  end
  return seen
end

-- What a script written "print(...) --> output" should print: the outputs
-- of those lines, in order.
function M.print_comments(text)
  local want = {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    local out = line:match("^print%(.*%-%->%s(.*)$")
    if out then want[#want + 1] = out end
  end
  return want
end

-- Run such a script (its text, named name) and give what it printed, one
-- string a print call, and what its comments say it prints.  It runs on a
-- fresh module table: registrations are per lua_State, and this one is
-- shared with the other specs.
function M.printed(text, name)
  local got = {}
  local env = setmetatable({
    print = function(...)
      local parts = {}
      for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
      got[#got + 1] = table.concat(parts, "\t")
    end,
  }, { __index = _G })
  package.loaded["sipcodes"], package.loaded["sipcodes.core"] = nil, nil
  compile(text, name, env)()
  package.loaded["sipcodes"], package.loaded["sipcodes.core"] = nil, nil
  return got, M.print_comments(text)
end

return M
