-- bin/sipcodes, run as a separate process with the interpreter that runs
-- this spec (so each of the five is exercised).
local interpreter = rawget(_G, "jit") and "luajit" or ("lua" .. _VERSION:match("%d+%.%d+"))

local function run(args)
  local p = io.popen(interpreter .. " bin/sipcodes " .. args .. " 2>&1; echo \"rc=$?\"")
  local out = p:read("*a")
  p:close()
  local body, rc = out:match("^(.-)rc=(%d+)\n$")
  return body, tonumber(rc)
end

describe("bin/sipcodes", function()
  it("shows one code", function()
    local out, rc = run("486")
    assert.are.equal(0, rc)
    assert.is_truthy(out:find("^486 Busy Here\n"))
    assert.is_truthy(out:find("BUSY_HERE, client_failure, standard, RFC 3261", 1, true))
  end)

  it("speaks German", function()
    local out, rc = run("--lang de 486")
    assert.are.equal(0, rc)
    assert.is_truthy(out:find("^486 Besetzt\n"))
  end)

  it("lists a class", function()
    local out, rc = run("6xx")
    assert.are.equal(0, rc)
    local codes = {}
    for code in out:gmatch("\n?(%d%d%d) ") do codes[#codes + 1] = tonumber(code) end
    assert.are.same({ 600, 603, 604, 606, 607, 608, 687 }, codes)
  end)

  it("searches phrases, aliases and names", function()
    local out, rc = run("busy")
    assert.are.equal(0, rc)
    assert.is_truthy(out:find("486 Busy Here", 1, true))
    assert.is_truthy(out:find("600 Busy Everywhere", 1, true))
    out = run("'internal server error'")
    assert.is_truthy(out:find("^500 Server Internal Error\n"))
  end)

  it("prints JSON", function()
    local out, rc = run("--json 202")
    assert.are.equal(0, rc)
    assert.is_truthy(out:find('^%[{"aliases":%[.-%],"class":2,"class_name":"success","code":202,'))
    assert.is_truthy(out:find('"reason":"Accepted"', 1, true))
    assert.is_truthy(out:find('"status":"deprecated"', 1, true))
  end)

  it("says so and exits 1 for input that matches nothing", function()
    local out, rc = run("499")
    assert.are.equal(1, rc)
    assert.are.equal("sipcodes: no response code matches '499'\n", out)
    assert.are.equal(1, select(2, run("8xx")))
    assert.are.equal(1, select(2, run("zzzzqqq")))
  end)

  it("exits 2 on a usage error", function()
    local _, rc = run("")
    assert.are.equal(2, rc)
    _, rc = run("--lang fr 486")
    assert.are.equal(2, rc)
    _, rc = run("--bogus 486")
    assert.are.equal(2, rc)
  end)
end)
