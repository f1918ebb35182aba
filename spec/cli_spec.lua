-- bin/sipcodes, run as a separate process with the interpreter that runs
-- this spec (so each of the five is exercised), and as the sh/Lua polyglot
-- it is (through its #!/bin/sh line) from scratch copies of a checkout.
local interpreter = rawget(_G, "jit") and "luajit" or ("lua" .. _VERSION:match("%d+%.%d+"))
local version = rawget(_G, "jit") and "jit" or _VERSION:match("%d+%.%d+")

local support = require "support"
local q, slurp = support.quote, support.read

local function capture(cmd)
  local p = io.popen(cmd)
  local s = p:read("*a")
  p:close()
  return s
end

local function sh_ok(cmd)
  local a = os.execute(cmd)
  return a == true or a == 0
end

-- A scratch directory for this file, removed at the end.
local scratch = capture("mktemp -d"):match("^(%S+)\n$")
assert(scratch, "mktemp -d failed")
local errfile = scratch .. "/stderr"
local cwd = capture("pwd"):match("^(.-)\n$")

teardown(function()
  os.execute("rm -rf " .. q(scratch))
end)

-- A shell command's stdout, stderr and exit status.  Its children run
-- without LD_PRELOAD: the sanitizer run preloads libasan for busted only
-- (and troff, run by man, is no ASan-clean program).
local function sh(cmd)
  local out = capture("exec 2>" .. q(errfile) .. "; unset LD_PRELOAD; " .. cmd .. "; echo \"rc=$?\"")
  local body, rc = out:match("^(.-)rc=(%d+)\n$")
  return body, slurp(errfile), tonumber(rc)
end

local function run(args)
  return sh(interpreter .. " bin/sipcodes " .. args)
end

-- Only stdout and the status, for the older tests below.
local function run2(args)
  local out, _, rc = run(args)
  return out, rc
end

local USAGE = "usage: sipcodes [--lang en|de] [--json] [--] CODE|CLASS|TEXT ...\n"
           .. "       sipcodes -h|--help|--version\n"

local OUT_486 = "486 Busy Here\n"
  .. "  The callee was reached but cannot take another call at this end point right now.\n"
  .. "  BUSY_HERE, client_failure, standard, RFC 3261\n"
local OUT_486_DE = "486 Besetzt\n"
  .. "  Der Angerufene ist erreichbar, kann an diesem Endpunkt aber gerade keinen weiteren"
  .. " Anruf annehmen.\n"
  .. "  BUSY_HERE, client_failure, standard, RFC 3261\n"
local OUT_499 = "499 Request Failure\n"
  .. "  Not in the registry: a UAC that does not know it treats it as 400 Bad Request"
  .. " (RFC 3261 section 8.1.3.2).\n"
  .. "  -, client_failure, unknown, -\n"
local JSON_499 = '{"class":4,"class_name":"client_failure","code":499,"equivalent":400,'
  .. '"known":false,"phrase":"Request Failure","phrase_de":"Fehler in der Anfrage"}'
local JSON_486 = '{"aliases":[],"class":4,"class_name":"client_failure","code":486,'
  .. '"description":"The callee was reached but cannot take another call at this end point'
  .. ' right now.","description_de":"Der Angerufene ist erreichbar, kann an diesem Endpunkt'
  .. ' aber gerade keinen weiteren Anruf annehmen.","known":true,"name":"BUSY_HERE",'
  .. '"reason":"Busy Here","reason_de":"Besetzt","rfc":["RFC 3261"],"status":"standard"}'

local function codes_of(out)
  local codes = {}
  for code in ("\n" .. out):gmatch("\n(%d%d%d) ") do codes[#codes + 1] = tonumber(code) end
  return codes
end

describe("bin/sipcodes", function()
  it("shows one code", function()
    local out, err, rc = run("486")
    assert.are.equal(OUT_486, out)
    assert.are.equal("", err)
    assert.are.equal(0, rc)
  end)

  it("speaks German with --lang de and --lang=de, before or after the code", function()
    for _, args in ipairs({ "--lang de 486", "--lang=de 486", "486 --lang=de",
                            "--lang=en --lang de 486" }) do
      local out, err, rc = run(args)
      assert.are.equal(OUT_486_DE, out, args)
      assert.are.equal("", err, args)
      assert.are.equal(0, rc, args)
    end
    assert.are.equal(OUT_486, (run("--lang=de --lang=en 486")))
  end)

  it("lists a class", function()
    local out, rc = run2("6xx")
    assert.are.equal(0, rc)
    assert.are.same({ 600, 603, 604, 606, 607, 608, 687 }, codes_of(out))
    assert.are.same({ 100, 180, 181, 182, 183, 199 }, codes_of((run2("1XX"))))
  end)

  it("searches phrases, aliases and names", function()
    local out, rc = run2("busy")
    assert.are.equal(0, rc)
    assert.is_truthy(out:find("486 Busy Here", 1, true))
    assert.is_truthy(out:find("600 Busy Everywhere", 1, true))
    out = run2("'internal server error'")
    assert.is_truthy(out:find("^500 Server Internal Error\n"))
  end)

  it("prints each code once, in order, whatever the order of the arguments", function()
    local out, _, rc = run("499 486 4xx")
    assert.are.equal(0, rc)
    local codes, sorted, n486 = codes_of(out), {}, 0
    for i, c in ipairs(codes) do
      sorted[i] = c
      if c == 486 then n486 = n486 + 1 end
    end
    table.sort(sorted)
    assert.are.same(sorted, codes)
    assert.are.equal(1, n486)
    assert.are.equal(499, codes[#codes])
    assert.is_truthy(out:find("\n" .. OUT_486 .. "487 ", 1, true))
    assert.are.equal(OUT_499, out:sub(-#OUT_499))
  end)

  it("prints JSON, an array even for one code", function()
    local out, rc = run2("--json 202")
    assert.are.equal(0, rc)
    assert.is_truthy(out:find('^%[{"aliases":%[.-%],"class":2,"class_name":"success","code":202,'))
    assert.is_truthy(out:find('"reason":"Accepted"', 1, true))
    assert.is_truthy(out:find('"status":"deprecated"', 1, true))
    assert.is_truthy(out:find('%]\n$'))
    local err
    out, err, rc = run("--json 486")
    assert.are.equal("[" .. JSON_486 .. "]\n", out)
    assert.are.equal("", err)
    assert.are.equal(0, rc)
    assert.are.equal("[" .. JSON_486 .. "]\n", (run("486 --json --lang=de")))
  end)

  describe("a code of 100-699 that the registry lacks", function()
    it("shows its class phrase and what RFC 3261 treats it as", function()
      local out, err, rc = run("499")
      assert.are.equal(OUT_499, out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
      out, err, rc = run("150")
      assert.are.equal("150 Provisional\n"
        .. "  Not in the registry: a UAC that does not know it treats it as 183 Session Progress"
        .. " (RFC 3261 section 8.1.3.2).\n"
        .. "  -, provisional, unknown, -\n", out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
      assert.are.equal("299 Successful\n"
        .. "  Not in the registry: a UAC that does not know it treats it as 200 OK"
        .. " (RFC 3261 section 8.1.3.2).\n"
        .. "  -, success, unknown, -\n", (run("299")))
      assert.are.equal("650 Global Failure\n"
        .. "  Not in the registry: a UAC that does not know it treats it as 600 Busy Everywhere"
        .. " (RFC 3261 section 8.1.3.2).\n"
        .. "  -, global_failure, unknown, -\n", (run("650")))
      -- 199 is in the registry (RFC 6228): shown as itself.
      assert.is_truthy((run("199")):find("^199 Early Dialog Terminated\n  "))
    end)

    it("in German", function()
      local out, _, rc = run("--lang=de 499")
      assert.are.equal("499 Fehler in der Anfrage\n"
        .. "  Nicht im Register: ein UAC, der den Code nicht kennt, behandelt ihn wie"
        .. " 400 Ung\195\188ltige Anfrage (RFC 3261 Abschnitt 8.1.3.2).\n"
        .. "  -, client_failure, unknown, -\n", out)
      assert.are.equal(0, rc)
    end)

    it("as a JSON object with known = false", function()
      local out, err, rc = run("--json 499")
      assert.are.equal("[" .. JSON_499 .. "]\n", out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
      assert.are.equal('[{"class":1,"class_name":"provisional","code":150,"equivalent":183,'
        .. '"known":false,"phrase":"Provisional","phrase_de":"Vorl\195\164ufige Antwort"}]\n',
        (run("--json 150")))
      assert.are.equal("[" .. JSON_486 .. "," .. JSON_499 .. "]\n", (run("--json 499 486")))
    end)
  end)

  it("says so and exits 1 for input that matches nothing", function()
    for _, w in ipairs({ "799", "800", "8xx", "0xx", "000", "099", "zzzz", "4860" }) do
      local out, err, rc = run(w)
      assert.are.equal("", out, w)
      assert.are.equal("sipcodes: no response code matches '" .. w .. "'\n", err, w)
      assert.are.equal(1, rc, w)
    end
    local out, err, rc = run("486 799")
    assert.are.equal(OUT_486, out)
    assert.are.equal("sipcodes: no response code matches '799'\n", err)
    assert.are.equal(1, rc)
    out, err, rc = run("--json 799")
    assert.are.equal("[]\n", out)
    assert.are.equal("sipcodes: no response code matches '799'\n", err)
    assert.are.equal(1, rc)
  end)

  it("prints its version", function()
    local out, err, rc = run("--version")
    assert.are.equal("sipcodes 0.1.0\n", out)
    assert.are.equal("", err)
    assert.are.equal(0, rc)
  end)

  it("prints its help, with examples, on stdout", function()
    local out, err, rc = run("--help")
    assert.are.equal("", err)
    assert.are.equal(0, rc)
    assert.are.equal(USAGE, out:sub(1, #USAGE))
    assert.is_truthy(out:find("\nexamples:\n  sipcodes 486 ", 1, true))
    assert.is_truthy(out:find("\n  sipcodes --lang=de 486 ", 1, true))
    assert.is_truthy(out:find("\n  sipcodes -- --version ", 1, true))
    assert.is_truthy(out:find("an array even", 1, true))
    assert.are.equal(out, (run("-h")))
    assert.are.equal(out, (run("486 --help")))
  end)

  it("takes every argument after -- as a word", function()
    local out, err, rc = run("-- -x")
    assert.are.equal("", err)
    assert.are.equal(0, rc)
    assert.are.same({ 305, 407, 420, 421, 440, 481, 604 }, codes_of(out))
    assert.are.equal(OUT_486, (run("-- 486")))
    assert.are.equal(OUT_486_DE, (run("--lang=de -- 486")))
    out, err, rc = run("-- --version")
    assert.is_truthy(out:find("^505 Version Not Supported\n  "))
    assert.are.same({ 505 }, codes_of(out))
    assert.are.equal("", err)
    assert.are.equal(0, rc)
    out, err, rc = run("486 -- --help --")
    assert.are.equal(OUT_486, out)
    assert.are.equal("sipcodes: no response code matches '--help'\n"
                     .. "sipcodes: no response code matches '--'\n", err)
    assert.are.equal(1, rc)
  end)

  it("exits 2 with the usage on stderr for a usage error", function()
    local cases = {
      { "", "" },
      { "--", "" },
      { "--json", "" },
      { "-x 486", "sipcodes: unknown option '-x'\n" },
      { "486 -x", "sipcodes: unknown option '-x'\n" },
      { "--foo 486", "sipcodes: unknown option '--foo'\n" },
      { "- 486", "sipcodes: unknown option '-'\n" },
      { "-hx", "sipcodes: unknown option '-hx'\n" },
      { "--json=1 486", "sipcodes: unknown option '--json=1'\n" },
      { "--version=2", "sipcodes: unknown option '--version=2'\n" },
      { "-486", "sipcodes: unknown option '-486'\n" },
      { "--lang fr 486", "sipcodes: --lang takes en or de, not 'fr'\n" },
      { "--lang=fr 486", "sipcodes: --lang takes en or de, not 'fr'\n" },
      { "--lang= 486", "sipcodes: --lang takes en or de, not ''\n" },
      { "--lang --json 486", "sipcodes: --lang takes en or de, not '--json'\n" },
      { "486 --lang", "sipcodes: --lang takes en or de\n" },
      { "-x --help", "sipcodes: unknown option '-x'\n" },
    }
    for _, c in ipairs(cases) do
      local out, err, rc = run(c[1])
      assert.are.equal("", out, c[1])
      assert.are.equal(c[2] .. USAGE, err, c[1])
      assert.are.equal(2, rc, c[1])
    end
  end)

  describe("the man page docs/sipcodes.1", function()
    local page = slurp("docs/sipcodes.1")

    it("renders without warnings", function()
      if not sh_ok("command -v man >/dev/null 2>&1") or
         not sh_ok("command -v groff >/dev/null 2>&1") then
        pending("man or groff is not installed")
        return
      end
      local out, err, rc = sh("LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l docs/sipcodes.1"
                              .. " >/dev/null")
      assert.are.equal("", out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
      out, err, rc = sh("groff -man -ww -z docs/sipcodes.1")
      assert.are.equal("", out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
    end)

    it("has the sections a user looks for", function()
      local want = { "NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "ARGUMENTS", "OUTPUT",
                     "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO" }
      local got = {}
      for name in page:gmatch("\n%.SH ([^\n]+)") do got[#got + 1] = name end
      assert.are.same(want, got)
      assert.is_truthy(page:find('\n%.TH SIPCODES 1 %S+ "sipcodes 0%.1%.0" '))
      assert.is_truthy(page:find("\n.B SIPCODES_LUA\n", 1, true))
    end)

    -- The option names of one entry, such as "-h, --help" or
    -- "--lang en|de, --lang=en|de".
    local function names(entry, set)
      for piece in (entry .. ","):gmatch("([^,]*),") do
        local name = piece:match("^%s*(%-[^%s=]*)")
        if name then set[name] = true end
      end
    end

    it("lists the options that the help lists, and no others", function()
      local help = run("--help")
      local from_help = {}
      local section = assert(help:match("\noptions:\n(.-)\n\n"))
      for line in (section .. "\n"):gmatch("([^\n]*)\n") do
        local entry = line:match("^  (%-.*)$")
        if entry then names(entry:match("^(.-)%s%s") or entry, from_help) end
      end
      local from_page = {}
      local options = assert(page:match("\n%.SH OPTIONS\n(.-)\n%.SH "))
      for tag in options:gmatch("%.TP\n([^\n]+)") do
        tag = tag:gsub("^%.%a+%s*", ""):gsub("\\f[BIRP]", ""):gsub("\\%-", "-"):gsub('"', "")
        names(tag, from_page)
      end
      local want = { ["-h"] = true, ["--help"] = true, ["--version"] = true,
                     ["--lang"] = true, ["--json"] = true, ["--"] = true }
      assert.are.same(want, from_help)
      assert.are.same(want, from_page)
    end)
  end)

  -- The polyglot: from a checkout, run by /bin/sh through its first line,
  -- it runs the interpreter of a build beside it, whatever `lua` is on PATH.
  describe("from a checkout", function()
    -- Another interpreter than this spec's, for the `lua` on PATH.
    local other_v = version == "5.4" and "5.1" or "5.4"
    local pathdir = scratch .. "/path"
    local path = "PATH=" .. q(pathdir) .. ":\"$PATH\" "

    -- A checkout in dir: bin/sipcodes copied, lua/ linked, and the real
    -- build of this spec's interpreter if `built`.
    local function checkout(dir, built)
      assert(sh_ok("mkdir -p " .. q(dir .. "/bin") .. " && cp bin/sipcodes " .. q(dir .. "/bin/")
                   .. " && ln -s " .. q(cwd .. "/lua") .. " " .. q(dir .. "/lua")))
      if built then
        local b = dir .. "/build/" .. version .. "/sipcodes"
        assert(sh_ok("mkdir -p " .. q(b) .. " && ln -s "
                     .. q(cwd .. "/build/" .. version .. "/sipcodes/core.so") .. " " .. q(b)))
      end
    end

    setup(function()
      assert(sh_ok("mkdir -p " .. q(pathdir) .. " && ln -s \"$(command -v lua" .. other_v
                   .. ")\" " .. q(pathdir .. "/lua")))
    end)

    it("runs the build's interpreter, not the lua on PATH", function()
      local dir = scratch .. "/one"
      checkout(dir, true)
      -- The lua on PATH is another version, which has no build here:
      local out, err, rc = sh(path .. "lua " .. q(dir .. "/bin/sipcodes") .. " 486")
      assert.are.equal("", out)
      assert.are.equal("sipcodes: no build for Lua " .. other_v .. " in " .. dir
                       .. "/bin/../build/" .. other_v .. "; run make LUA_VERSION=" .. other_v
                       .. "\n", err)
      assert.are.equal(2, rc)
      -- Builds later in the order 5.4 5.3 5.2 5.1 jit must not be chosen:
      -- empty files stand in for them (loading one would fail).
      local later = ({ ["5.4"] = "5.3 5.2 5.1 jit", ["5.3"] = "5.2 5.1 jit",
                       ["5.2"] = "5.1 jit", ["5.1"] = "jit", jit = "" })[version]
      for v in later:gmatch("%S+") do
        assert(sh_ok("mkdir -p " .. q(dir .. "/build/" .. v .. "/sipcodes") .. " && : >"
                     .. q(dir .. "/build/" .. v .. "/sipcodes/core.so")))
      end
      -- The command itself runs with this spec's interpreter.
      out, err, rc = sh(path .. q(dir .. "/bin/sipcodes") .. " 486")
      assert.are.equal(OUT_486, out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
      out, err, rc = sh("cd " .. q(dir .. "/bin") .. " && " .. path .. "./sipcodes --version")
      assert.are.equal("sipcodes 0.1.0\n", out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
    end)

    it("runs $SIPCODES_LUA when it is set", function()
      local dir = scratch .. "/env"
      checkout(dir, true)
      local out, err, rc = sh(path .. "SIPCODES_LUA=lua" .. other_v .. " "
                              .. q(dir .. "/bin/sipcodes") .. " 486")
      assert.are.equal("", out)
      assert.are.equal("sipcodes: no build for Lua " .. other_v .. " in " .. dir
                       .. "/bin/../build/" .. other_v .. "; run make LUA_VERSION=" .. other_v
                       .. "\n", err)
      assert.are.equal(2, rc)
      out, err, rc = sh(path .. "SIPCODES_LUA=" .. interpreter .. " "
                        .. q(dir .. "/bin/sipcodes") .. " 486")
      assert.are.equal(OUT_486, out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
    end)

    it("follows a symlink to the command (~/bin/sipcodes -> the checkout's)", function()
      local link = scratch .. "/links/sipcodes"
      assert.is_true(sh_ok("mkdir -p " .. q(scratch .. "/links") .. " && ln -sf "
                           .. q(cwd .. "/bin/sipcodes") .. " " .. q(link)))
      local out, err, rc = sh(path .. q(link) .. " 486")
      assert.are.equal(OUT_486, out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
    end)

    it("says so when there is no build", function()
      local dir = scratch .. "/none"
      checkout(dir, false)
      local out, err, rc = sh(path .. q(dir .. "/bin/sipcodes") .. " 486")
      assert.are.equal("", out)
      assert.are.equal("sipcodes: no build in " .. dir .. "/bin/../build; run make\n", err)
      assert.are.equal(2, rc)
    end)

    -- A real make install into a DESTDIR (it installs the module as built,
    -- with the three placeholders of bin/sipcodes filled in), run from the
    -- staging tree and, moved, from elsewhere, with a `lua` on PATH of
    -- another version; then make uninstall leaves the staging tree empty.
    it("runs as make install put it, from a DESTDIR and moved", function()
      local dir = scratch .. "/inst"
      local make = "make -s LUA_VERSION=" .. version .. " PREFIX=/usr DESTDIR=" .. q(dir)
      local _, err, rc = sh("mkdir -p " .. q(dir) .. " && " .. make .. " install >/dev/null")
      assert.are.equal(0, rc, err)
      local out
      local cmd = "/usr/bin/sipcodes-" .. version
      out, err, rc = sh(path .. q(dir .. cmd) .. " 486")
      assert.are.equal(OUT_486, out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
      assert(sh_ok("mv " .. q(dir) .. " " .. q(dir .. "-moved")))
      out, err, rc = sh(path .. "SIPCODES_LUA=lua" .. other_v .. " " .. q(dir .. "-moved" .. cmd) .. " 486")
      assert(sh_ok("mv " .. q(dir .. "-moved") .. " " .. q(dir)))
      assert.are.equal(OUT_486, out)
      assert.are.equal("", err)
      assert.are.equal(0, rc)
      out, err, rc = sh(make .. " uninstall >/dev/null && find " .. q(dir) .. " -mindepth 1")
      assert.are.equal("", out)
      assert.are.equal(0, rc, err)
    end)
  end)
end)
