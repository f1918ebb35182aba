-- README.md, as a newcomer reads it: every fenced block is run or checked
-- here (a block no rule below claims fails the spec), and the API tables
-- name exactly the functions the modules have.
local doubles = require "doubles"

local ex = require "doc_examples"
local support = require "support"
local read, shell, compile = support.read, support.sh, ex.compile

local README = read("README.md")

-- The fenced blocks, in order: { lang = "sh", text = "...", line = N }.
local function blocks(text)
  local found, pos = {}, 1
  while true do
    local s, e, lang, body = text:find("\n```([%w]*)\n(.-)\n```", pos)
    if not s then break end
    local _, n = text:sub(1, s):gsub("\n", "")
    found[#found + 1] = { lang = lang, text = body, line = n + 2 }
    pos = e + 1
  end
  return found
end

-- The rows of the README's API tables under a heading: the function names
-- of their first column ("`reason(code [, lang])`" is reason; "`is_provisional`,
-- `is_final`, ..." lists several).
local function table_names(heading)
  local section = README:match("\n### " .. heading .. "\n(.-)\n#")
  assert.is_truthy(section, "README has no section " .. heading)
  local names = {}
  for first in section:gmatch("\n| ([^|]+) |") do
    for name in first:gmatch("`([%w_.:]+)") do
      if name ~= "function" then names[#names + 1] = name end
    end
  end
  table.sort(names)
  return names
end

describe("README.md's API tables", function()
  -- The public functions, as the C binding lists them: every
  -- X(name, SC_PUBLIC ...) of its X-macro tables (the module table fills
  -- itself on first use, so pairs() would see only what was used so far).
  local function public_names()
    local names = {}
    local ls = io.popen("ls csrc/lua_sipcodes*.c")
    for file in ls:lines() do
      for name in read(file):gmatch("X%(([%w_]+), SC_PUBLIC[^)]*%)") do names[#names + 1] = name end
    end
    ls:close()
    return names
  end

  it("name every function of sipcodes, and only those", function()
    local listed = {}
    for _, h in ipairs({ "Registry", "Classification", "Protocol helpers", "Telephony interop" }) do
      for _, n in ipairs(table_names(h)) do listed[#listed + 1] = n end
    end
    -- the outcome functions are sipcodes' too; the kpi ones sipcodes.kpi's
    for _, n in ipairs(table_names("Outcomes and KPIs")) do
      if not n:find("^kpi%.") and not n:find("^k:") then listed[#listed + 1] = n end
    end
    local sip = require "sipcodes"
    local fns = {}
    for _, n in ipairs(listed) do
      local v = sip[(n:gsub("%.NAME$", ""))]
      if n == "codes.NAME" then
        assert.are.equal("table", type(v), n)
      elseif n == "_VERSION" then
        assert.are.equal("string", type(v), n)
      else
        assert.are.equal("function", type(v), "README lists " .. n)
        fns[#fns + 1] = n
      end
    end
    table.sort(fns)
    local have = public_names()
    table.sort(have)
    assert.are.same(have, fns)
  end)

  it("name every function of sipcodes.policy and sipcodes.kpi, and only those", function()
    local policy, kpi = require "sipcodes.policy", require "sipcodes.kpi"
    local p, k = policy.new("carrier"), kpi.new("homer")
    local want = { policy = {}, kpi = {}, p = {}, k = {} }
    local names = table_names("Routing policies")
    for _, n in ipairs(table_names("Outcomes and KPIs")) do names[#names + 1] = n end
    for _, n in ipairs(names) do
      local obj, sep, fname = n:match("^(%a+)([.:])([%w_]+)$")
      if obj then
        want[obj][#want[obj] + 1] = fname
        local target = ({ policy = policy, kpi = kpi, p = p, k = k })[obj]
        assert.are.equal("function", type(target[fname]), "README lists " .. n .. " (" .. sep .. ")")
      end
    end
    -- both ways: what the module tables hold, with the methods of an object
    local function functions(t)
      local out = {}
      for key, v in pairs(t) do
        if type(v) == "function" then out[#out + 1] = key end
      end
      table.sort(out)
      return out
    end
    -- The metatables are protected: the methods are the names in the C
    -- file that makes the object (every identifier in quotes, and in an
    -- X-macro list's X(...)) that the object answers with a function.
    local function methods(obj, cfile)
      local out, seen, src = {}, {}, read(cfile)
      local function try(name)
        local ok, v = pcall(function() return obj[name] end)
        if ok and type(v) == "function" and not seen[name] then
          seen[name] = true
          out[#out + 1] = name
        end
      end
      for name in src:gmatch('"(%a[%w_]*)"') do try(name) end
      for name in src:gmatch("X%((%a[%w_]*)%)") do try(name) end
      table.sort(out)
      return out
    end
    for _, list in pairs(want) do table.sort(list) end
    assert.are.same(functions(policy), want.policy)
    assert.are.same(functions(kpi), want.kpi)
    assert.are.same(methods(p, "csrc/lua_sipcodes_policy.c"), want.p)
    assert.are.same(methods(k, "csrc/lua_sipcodes_kpi.c"), want.k)
    assert.are.equal("userdata", type(p))
    assert.are.equal("userdata", type(k))
  end)
end)

describe("README.md's blocks", function()
  local all = blocks(README)
  local claimed = {}
  local function claim(pred)
    local out = {}
    for i, b in ipairs(all) do
      if pred(b) then
        claimed[i] = true
        out[#out + 1] = b
      end
    end
    return out
  end

  it("the Kamailio install list is every file of lua/ and the C module", function()
    local list = claim(function(b) return b.lang == "text" and b.text:find("sipcodes/core.so", 1, true) end)
    assert.are.equal(1, #list)
    local got = {}
    for path in list[1].text:gmatch("/usr/local/[%w/._]+") do got[#got + 1] = path end
    local want = { "/usr/local/lib/lua/5.1/sipcodes/core.so" }
    local ls = io.popen("cd lua && find . -name '*.lua' | sort")
    for f in ls:lines() do want[#want + 1] = "/usr/local/share/lua/5.1/" .. f:sub(3) end
    ls:close()
    table.sort(got)
    table.sort(want)
    assert.are.same(want, got)
  end)

  it("the Kamailio drop-in's templates find the modules of a make install with that prefix", function()
    local list = claim(function(b) return b.lang == "ini" and b.text:find("LUA_CPATH", 1, true) end)
    assert.are.equal(1, #list)
    local text = list[1].text
    assert.are.equal("[Service]", text:match("^[^\n]+"))
    local lpath = text:match('Environment="LUA_PATH=([^"]+);;"')
    local cpath = text:match('Environment="LUA_CPATH=([^"]+);;"')
    assert.are.equal("/opt/sipcodes/share/lua/5.1/?.lua", lpath)
    assert.are.equal("/opt/sipcodes/lib/lua/5.1/?.so", cpath)
    -- the files a PREFIX=/opt/sipcodes install puts there, as the Makefile
    -- would install them (make -n prints its commands)
    local out, rc = shell("make -n -s install LUA_VERSION=5.1 PREFIX=/opt/sipcodes DESTDIR=")
    assert.are.equal(0, rc, out)
    assert.is_truthy(out:find("/opt/sipcodes/lib/lua/5.1/sipcodes/core.so", 1, true), out)
    assert.is_truthy(out:find("/opt/sipcodes/share/lua/5.1/sipcodes.lua", 1, true), out)
    assert.is_truthy(out:find("/opt/sipcodes/share/lua/5.1/sipcodes", 1, true), out)
    assert.are.equal(lpath:gsub("%?", "sipcodes"), "/opt/sipcodes/share/lua/5.1/sipcodes.lua")
    assert.are.equal(cpath:gsub("%?", "sipcodes/core"), "/opt/sipcodes/lib/lua/5.1/sipcodes/core.so")
  end)

  it("the kamailio.cfg lines pass kamailio -c", function()
    local cfg = claim(function(b) return b.lang == "" and b.text:find("^loadmodule ") end)
    assert.are.equal(2, #cfg) -- the routing set-up and acc's lines
    local kamailio = io.popen("command -v kamailio || ls /usr/sbin/kamailio 2>/dev/null"):read("*l")
    assert.is_truthy(kamailio, "no kamailio binary (tools/deps.sh test installs Debian's kamailio)")
    local dir = shell("mktemp -d"):match("^(%S+)\n$")
    assert.is_truthy(dir, "mktemp -d failed")
    local text = cfg[1].text .. "\n" .. cfg[2].text
    assert.is_truthy(text:find('cfgengine "lua"', 1, true))
    text = text:gsub("/etc/kamailio/dispatcher%.list", dir .. "/dispatcher.list")
               :gsub("/etc/kamailio/kamailio%.lua", dir .. "/kamailio.lua")
    -- Kamailio wants its modules loaded before the routing engine's line.
    text = text:gsub('cfgengine "lua"\n', "") .. '\ncfgengine "lua"\n'
    local function write(name, body)
      local f = assert(io.open(dir .. "/" .. name, "w"))
      f:write(body)
      f:close()
    end
    write("kamailio.cfg", "#!KAMAILIO\nlisten=udp:127.0.0.1:5060\n" .. text)
    write("dispatcher.list", "1 sip:127.0.0.1:5071\n")
    write("kamailio.lua", "function ksr_request_route() end\n")
    local out, rc = shell(kamailio .. " -c -f " .. dir .. "/kamailio.cfg")
    os.execute("rm -rf " .. dir)
    assert.are.equal(0, rc, out)
  end)

  describe("the Kamailio KEMI script", function()
    local scripts = claim(function(b)
      return b.lang == "lua" and (b.text:find("sipcodes.kamailio", 1, true)
                                  or b.text:find("ksr_onreply_route", 1, true))
    end)
    -- Both blocks as one script, the second's lines added at the end of
    -- the first (it uses the first's locals and replaces its failure route).
    local function load_script(ksr)
      assert.are.equal(2, #scripts)
      local env = setmetatable({ KSR = ksr }, { __index = _G })
      compile(scripts[1].text .. "\n" .. scripts[2].text, "README.md:" .. scripts[1].line, env)()
      return env
    end
    -- app_lua's KSR is a global of the state: sipcodes.kamailio reads it there.
    before_each(function() rawset(_G, "KSR", nil) end)
    after_each(function() rawset(_G, "KSR", nil) end)

    it("answers busy with 486 Busy Here, stateless", function()
      local ksr = doubles.ksr({ vars = { ["$rU"] = "busy" } })
      rawset(_G, "KSR", ksr)
      ksr.dispatcher = { ds_select_dst = function() error("not reached") end }
      local env = load_script(ksr)
      env.ksr_request_route()
      assert.are.same({ "sl_send_reply 486 Busy Here" }, ksr.calls)
    end)

    it("answers 503 Service Unavailable when no gateway is up", function()
      local ksr = doubles.ksr({ vars = { ["$rU"] = "alice" } })
      rawset(_G, "KSR", ksr)
      ksr.dispatcher = { ds_select_dst = function() return -1 end }
      local env = load_script(ksr)
      env.ksr_request_route()
      assert.are.same({ "sl_send_reply 503 Service Unavailable" }, ksr.calls)
    end)

    it("relays to the gateway the dispatcher chose", function()
      local ksr = doubles.ksr({ vars = { ["$rU"] = "alice" } })
      rawset(_G, "KSR", ksr)
      ksr.dispatcher = { ds_select_dst = function(set, alg)
        ksr.calls[#ksr.calls + 1] = "ds_select_dst " .. set .. " " .. alg
        return 1
      end }
      local env = load_script(ksr)
      env.ksr_request_route()
      assert.are.same({ "ds_select_dst 1 4", "t_on_failure ksr_failure_route", "t_relay" }, ksr.calls)
    end)

    it("moves a 503 to the next gateway, tagging the outcome", function()
      local ksr = doubles.ksr({ status = 503, replied = true, branch_replied = true, vars = {} })
      rawset(_G, "KSR", ksr)
      ksr.dispatcher = {
        ds_next_dst = function() ksr.calls[#ksr.calls + 1] = "ds_next_dst" return 1 end,
        ds_mark_dst_state = function(s) ksr.calls[#ksr.calls + 1] = "ds_mark_dst " .. s return 1 end,
      }
      local flags = {}
      ksr.isflagset = function(f) return flags[f] == true end
      ksr.setflag = function(f) flags[f] = true end
      local env = load_script(ksr)
      env.ksr_failure_route()
      -- carrier: a 503 without Retry-After moves on, not marking it down
      assert.are.same({
        "sets $(avp(sipcodes_outcome)[*]) network_failure",
        "sets $(avp(sipcodes_party)[*]) network",
        "seti $(avp(sipcodes_code)[*]) 503",
        "sets $(avp(sipcodes_phrase)[*]) Service Unavailable",
        "ds_next_dst", "t_on_failure ksr_failure_route", "t_relay",
      }, ksr.calls)
    end)

    it("relays a 486 as it came, after ringing tagged busy", function()
      local ksr = doubles.ksr({ status = 486, replied = true, branch_replied = true, vars = {} })
      rawset(_G, "KSR", ksr)
      ksr.dispatcher = { ds_next_dst = function() error("not reached") end }
      local flags = {}
      ksr.isflagset = function(f) return flags[f] == true end
      ksr.setflag = function(f) flags[f] = true end
      local env = load_script(ksr)
      ksr.vars["$rs"] = "180"
      env.ksr_onreply_route()
      assert.is_true(flags[8])
      env.ksr_failure_route()
      assert.are.equal("busy", ksr.avps.sipcodes_outcome[1])
      assert.are.equal("user", ksr.avps.sipcodes_party[1])
      for _, c in ipairs(ksr.calls) do
        assert.is_falsy(c:find("reply", 1, true), c) -- tm relays it itself
      end
    end)

    it("tags a 2xx from the onreply route", function()
      local ksr = doubles.ksr({ vars = { ["$rs"] = "200" } })
      rawset(_G, "KSR", ksr)
      ksr.isflagset = function() return false end
      ksr.setflag = function() end
      local env = load_script(ksr)
      env.ksr_onreply_route()
      assert.are.equal("answered", ksr.avps.sipcodes_outcome[1])
      assert.are.equal("OK", ksr.avps.sipcodes_phrase[1])
    end)
  end)

  describe("the FreeSWITCH script", function()
    local scripts = claim(function(b) return b.lang == "lua" and b.text:find("sipcodes.freeswitch", 1, true) end)

    it("hunts the gateways and its --> lines hold", function()
      assert.are.equal(1, #scripts)
      local s = doubles.session({ continue_on_fail = "true" })
      s.far = { ["sofia/gateway/a/100"] = { code = 503, phrase = "Service Unavailable" },
                ["sofia/gateway/b/100"] = { code = 486, phrase = "Busy Here" } }
      local env = setmetatable({ session = s, argv = { "sofia/gateway/a/100", "sofia/gateway/b/100" } },
                               { __index = _G })
      local src, checks = {}, 0
      for line in scripts[1].text:gmatch("[^\n]*") do
        local expr, want = line:match("^(.-)%s*%-%->%s*(%S+)")
        if expr then
          checks = checks + 1
          src[#src + 1] = ("assert(tostring(%s) == %q, %q)"):format(expr, want, line)
        else
          src[#src + 1] = line
        end
      end
      src[#src + 1] = "return code, action, info"
      local code, action, info = compile(table.concat(src, "\n"), "README.md:" .. scripts[1].line, env)()
      assert.are.equal(2, checks)
      assert.are.equal(486, code)
      assert.are.equal("relay", action)
      assert.are.equal(2, #info.attempts)
      assert.are.equal("SIP/2.0 486 Busy Here", s.received)
      assert.are.same({ "sofia/gateway/a/100", "sofia/gateway/b/100" }, s.bridged)
    end)

    it("lua.conf.xml's templates find the modules of make install LUA_VERSION=5.3", function()
      local xml = claim(function(b) return b.lang == "xml" and b.text:find("lua.conf", 1, true) end)
      assert.are.equal(1, #xml)
      local mod = xml[1].text:match('name="module%-directory" value="([^"]+);;"')
      local script = xml[1].text:match('name="script%-directory" value="([^"]+);;"')
      assert.are.equal("/usr/local/lib/lua/5.3/?.so", mod)
      assert.are.equal("/usr/local/share/lua/5.3/?.lua", script)
      local out, rc = shell("make -n -s install LUA_VERSION=5.3 DESTDIR=")
      assert.are.equal(0, rc, out)
      assert.is_truthy(out:find((mod:gsub("%?", "sipcodes/core")), 1, true), out)
      assert.is_truthy(out:find((script:gsub("%?", "sipcodes")), 1, true), out)
      -- the element nesting, closed in order
      local stack = {}
      for close, name, self in xml[1].text:gmatch("<(/?)([%w_.-]+)[^>]-(/?)>") do
        if close == "/" then
          assert.are.equal(table.remove(stack), name)
        elseif self ~= "/" then
          stack[#stack + 1] = name
        end
      end
      assert.are.same({}, stack)
    end)
  end)

  it("the quick start prints what its --> comments say", function()
    local qs = claim(function(b) return b.lang == "lua" and b.text:find('^local sip = require "sipcodes"') end)
    assert.are.equal(1, #qs)
    local got, want = ex.printed(qs[1].text, "README.md:" .. qs[1].line)
    assert.is_true(#want >= 10)
    assert.are.same(want, got)
  end)

  it("the layout names paths that exist", function()
    local layout = claim(function(b) return b.lang == "" and b.text:find("^csrc/sipcodes_data%.h") end)
    assert.are.equal(1, #layout)
    local n = 0
    for line in layout[1].text:gmatch("[^\n]+") do
      local path = line:match("^(%S+)")
      if path then
        -- csrc/sipcodes.[ch], csrc/lua_sipcodes_*.c, docs/: a glob of the shell
        local out = shell("ls -d " .. path)
        assert.is_falsy(out:find("No such file", 1, true), line)
        n = n + 1
      end
    end
    assert.is_true(n >= 15)
  end)

  -- The shell blocks, one command at a time (a comment after "#" and a
  -- leading "sudo" dropped; "a && b" is two): each kind of command is run,
  -- dry-run or found where make test runs it, and any other command fails.
  describe("the shell commands", function()
    local sh = claim(function(b) return b.lang == "sh" end)
    local demo_want = ex.print_comments(read("examples/demo.lua"))
    local install_check = read("tools/install-check.sh")
    local wireshark_e2e = read("tools/wireshark-e2e.sh")
    local kinds = {
      -- make targets: a dry run proves the target and its variables exist
      { "^make ", function(cmd)
          local out, rc = shell("make -n -s " .. cmd:sub(6) .. " >/dev/null")
          assert.are.equal(0, rc, cmd .. ": " .. out)
        end },
      -- LuaRocks into the system tree: tools/install-check.sh runs the same
      -- command into scratch trees (make test)
      { "^luarocks ", function(cmd)
          local verb = cmd:match("^luarocks %-%-lua%-version [%d.]+ (%a+)")
          assert.is_truthy(verb, cmd)
          assert.is_truthy(install_check:find('luarocks --lua-version "$v" --tree "$tree" ' .. verb, 1, true), cmd)
        end },
      -- running a script in a checkout: run it
      { "^LUA_PATH=", function(cmd)
          local out, rc = shell(cmd)
          assert.are.equal(0, rc, out)
          local got = {}
          for l in out:gmatch("[^\n]+") do got[#got + 1] = l end
          assert.are.same(demo_want, got)
        end },
      -- tshark over a capture: tools/wireshark-e2e.sh runs it so (make test)
      { "tshark ", function(cmd)
          assert.is_truthy(cmd:find("-X lua_script:examples/wireshark/sipcodes-calls.lua", 1, true), cmd)
          assert.is_truthy(wireshark_e2e:find('-X "lua_script:$script"', 1, true))
          assert.is_truthy(wireshark_e2e:find("SIPCODES_ROOT", 1, true))
        end },
    }

    it("are each run or checked", function()
      assert.is_true(#sh >= 4)
      local n = 0
      for _, b in ipairs(sh) do
        for line in b.text:gmatch("[^\n]+") do
          local code = line:gsub("%s+#.*$", ""):gsub("^#.*$", "")
          for cmd in (code .. " && "):gmatch("%s*(.-)%s+&&%s+") do
            cmd = cmd:gsub("^sudo ", "")
            if cmd ~= "" then
              local done = false
              for _, kind in ipairs(kinds) do
                if not done and cmd:find(kind[1]) then
                  kind[2](cmd)
                  done = true
                  n = n + 1
                end
              end
              assert.is_true(done, ("README.md:%d: nothing checks `%s`"):format(b.line, cmd))
            end
          end
        end
      end
      assert.is_true(n >= 8)
    end)
  end)

  -- The command-line transcript: each "$ sipcodes ARGS" line is run as
  -- bin/sipcodes ARGS (the checkout's command); the lines under it, where
  -- the README shows them, are exactly what it prints, and it exits 0.
  it("the command-line examples print what the README shows", function()
    local cli = claim(function(b) return b.lang == "" and b.text:find("^%$ sipcodes ") end)
    assert.are.equal(1, #cli)
    local runs = {}
    for line in cli[1].text:gmatch("[^\n]+") do
      local args = line:match("^%$ sipcodes (.-)%s*$")
      if args then
        runs[#runs + 1] = { args = args:gsub("%s+#.*$", ""), shown = {} }
      else
        local shown = runs[#runs].shown
        shown[#shown + 1] = line
      end
    end
    assert.is_true(#runs >= 6)
    for _, r in ipairs(runs) do
      local out, rc = shell("bin/sipcodes " .. r.args)
      assert.are.equal(0, rc, r.args .. ": " .. out)
      if #r.shown > 0 then
        assert.are.equal(table.concat(r.shown, "\n") .. "\n", out, r.args)
      else
        assert.is_truthy(out:find("^%d%d%d ") or out:find("^%["), r.args .. ": " .. out)
      end
    end
  end)

  -- Last: every block above was claimed by one of the checks.
  it("has no block that nothing checks", function()
    local unclaimed = {}
    for i, b in ipairs(all) do
      if not claimed[i] then
        unclaimed[#unclaimed + 1] = ("README.md:%d ```%s %s"):format(b.line, b.lang, (b.text:match("^[^\n]*")))
      end
    end
    assert.are.same({}, unclaimed)
  end)
end)
