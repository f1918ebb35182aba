-- The manual (`make doc`, config.ld): LDoc builds it once per busted run
-- into a scratch directory, with Debian's lua-discount for the markdown,
-- and this spec reads the HTML a reader gets.
--
-- - ldoc says nothing but its two lines of chatter: no warning, no
--   "markdown not found, falling back to text";
-- - every module page has the public functions listed below (from the API
--   tables of README.md and the adapters' own documentation), no more and
--   no fewer, under the section titles listed below, and a module example;
-- - every example on every module page (the @usage blocks, as the page
--   shows them) runs, and gives what its `-->` comments say;
-- - no raw markdown is left in the text (backticks, `**`, `[text](link)`,
--   list and heading marks, table rows), no summary ends in "e.g." or is
--   cut inside a parenthesis or a quote;
-- - the topic pages are in the navigation, in order, with their titles,
--   and show every code block of their markdown as code;
-- - every code block of the topic pages is checked by its kind:
--     lua    runs (a Kamailio route with the KSR double, a FreeSWITCH
--            script with the session double of spec/doubles.lua), its
--            `-->` comments checked as doc_examples.lua checks them; the
--            routes it defines are called; the main scripts of the
--            Kamailio and FreeSWITCH guides do what the guides say;
--     sh     each line by the rules of SH below (make targets and
--            variables exist in the Makefile, commands of the checkout
--            run, the rest is not run, with the reason given there);
--     text   "$ command" lines run, and print the lines that follow them;
--            a text block without a command is in NOT_RUN, with the reason;
--     xml    is well-formed; lua.conf.xml's directories are the install
--            directories of Getting started, a dialplan's Lua script is in
--            examples/freeswitch/;
--     cfg    passes `kamailio -c` (module names, parameter names and types);
--            a ds_ping_reply_codes value is what sipcodes.policy writes;
--     ini, env  the LUA_PATH/LUA_CPATH templates of one install prefix;
-- - the install table of Getting started is what `make install` does for
--   the Lua running this spec (a DESTDIR install), and each install page
--   lists every Lua file of lua/.
--
-- Without ldoc, lua-discount or kamailio this spec fails, saying what to
-- install (tools/deps.sh doc, tools/deps.sh test): it never passes unseen.
local doubles = require "doubles"
local ex = require "doc_examples"

local LUA_VERSION = rawget(_G, "jit") and "jit" or _VERSION:match("%d+%.%d+")
local INTERPRETER = LUA_VERSION == "jit" and "luajit" or "lua" .. LUA_VERSION

-- ---- the literals -------------------------------------------------------------

-- Each module page: its file, the sections (in order) and every public
-- name (functions, methods as `p:name`, fields and tables).
local MODULES = {
  { name = "sipcodes", page = "modules/sipcodes.html",
    sections = { "Looking up a code", "Classification", "The whole registry and codes of your own",
                 "Protocol helpers", "Telephony interop", "Call outcomes" },
    items = { "reason", "phrase", "description", "info", "name", "status", "is_known", "lookup",
              "codes", "each", "register", "_VERSION",
              "class", "class_name", "is_valid", "is_provisional", "is_final", "is_success",
              "is_redirection", "is_client_failure", "is_server_failure", "is_global_failure",
              "is_failure", "equivalent",
              "parse_status_line", "format_status_line", "parse_reason", "format_reason",
              "parse_retry_after", "format_retry_after", "warning_text", "warning_info",
              "parse_warning", "format_warning", "best_response", "required_headers",
              "to_q850", "from_q850", "q850_name", "q850_class_name", "q850_reason", "reason_for",
              "outcome", "q850_outcome", "progress_kind" } },
  { name = "sipcodes.kamailio", page = "modules/sipcodes.kamailio.html",
    sections = { "Replies", "Routes and transactions", "Binding and constants" },
    items = { "sl_reply", "send_reply", "t_reply", "winning", "protect", "failover", "tag", "new",
              "EXIT", "best_response" } },
  { name = "sipcodes.freeswitch", page = "modules/sipcodes.freeswitch.html",
    sections = { "Hangup causes", "Sessions" },
    items = { "cause_name", "cause_number", "sip_to_cause", "cause_to_sip", "cause_for_sip",
              "cause_q850", "causes", "respond", "hangup", "outcome", "tag", "hunt" } },
  { name = "sipcodes.policy", page = "modules/sipcodes.policy.html",
    sections = { "Policies", "Methods of a policy", "Probes and intents" },
    items = { "new", "p:decide", "p:codes", "p:kamailio_regex", "p:freeswitch_causes", "is_alive",
              "ds_ping_reply_codes", "choose" } },
  { name = "sipcodes.kpi", page = "modules/sipcodes.kpi.html",
    sections = { "Counters", "Methods of a counter", "Profiles" },
    items = { "new", "k:add", "k:report", "profile" } },
}

-- The topic pages, in the order of the navigation, with their titles.
local TOPICS = {
  { file = "docs/getting-started.md", title = "Getting started" },
  { file = "docs/kamailio.md", title = "The Kamailio guide" },
  { file = "docs/freeswitch.md", title = "The FreeSWITCH guide" },
  { file = "docs/routing.md", title = "Routing policies" },
  { file = "docs/outcomes.md", title = "Call outcomes, KPIs and the Warning header" },
}

-- The pages that say where `make install` puts the files.
local INSTALL_PAGES = { "docs/getting-started.md", "docs/kamailio.md", "docs/freeswitch.md" }

-- Text blocks without a command, by their first line: not run, and why.
local NOT_RUN = {
  ["ACC: transaction answered: ...;code=486;reason=Busy Here;sipcodes_outcome=busy;"
   .. "sipcodes_party=user;sipcodes_code=486;sipcodes_phrase=Busy Here"] =
    "acc's log line in a real Kamailio: tools/kamailio-failover-e2e.sh checks it there",
}

-- ---- running things -------------------------------------------------------------

local support = require "support"
local q, sh, read = support.quote, support.sh, support.read

local function exists(path)
  local f = io.open(path)
  if f then f:close() end
  return f ~= nil
end

local function set_of(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

-- Both ways: what `want` lists and `got` lacks, what `got` has beyond it.
local function same_set(want, got, what)
  local w, g = set_of(want), set_of(got)
  local missing, extra = {}, {}
  for _, v in ipairs(want) do if not g[v] then missing[#missing + 1] = v end end
  for _, v in ipairs(got) do if not w[v] then extra[#extra + 1] = v end end
  assert(#missing == 0 and #extra == 0, what .. ": missing {" .. table.concat(missing, ", ") ..
    "}, not listed {" .. table.concat(extra, ", ") .. "}")
end

-- The manual, built once: { dir, out, err } (err says what is missing).
local built
local function manual()
  if built then return built end
  local out = sh("mktemp -d")
  local dir = out:gsub("%s+$", "")
  local rc
  out, rc = sh("ldoc -q -d " .. q(dir) .. " .")
  built = { dir = dir, out = out }
  if rc == 127 or out:find("ldoc: not found", 1, true) then
    built.err = "ldoc is not installed: tools/deps.sh doc installs lua-ldoc and lua-discount"
  elseif out:find("not found, falling back to text", 1, true) then
    built.err = "ldoc found no lua-discount (\"" .. out:match("[^\n]*falling back to text") ..
      "\"): tools/deps.sh doc installs it"
  elseif rc ~= 0 then
    built.err = "ldoc failed (exit " .. rc .. "): " .. out
  end
  return built
end

local function page(name)
  local m = manual()
  assert(not m.err, m.err)
  local f = io.open(m.dir .. "/" .. name, "rb")
  assert(f, "the manual has no " .. name)
  local s = f:read("*a")
  f:close()
  return s
end

local function topic_page(t)
  return "topics/" .. t.file:match("([^/]+)$") .. ".html"
end

-- ---- reading the HTML ------------------------------------------------------------

local ENTITIES = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'", nbsp = " ", ldquo = "\226\128\156",
                   rdquo = "\226\128\157", lsquo = "\226\128\152", rsquo = "\226\128\153",
                   hellip = "\226\128\166", ndash = "\226\128\147", mdash = "\226\128\148" }

local function unescape(s)
  return (s:gsub("&(#?)(%w+);", function(hash, e)
    if hash == "#" then
      local n = tonumber(e)
      return n and n < 128 and string.char(n) or "?"
    end
    return ENTITIES[e] or ("&" .. e .. ";")
  end))
end

local function untag(s)
  return unescape((s:gsub("<[^>]*>", "")))
end

-- The text a reader reads as prose: without code, tags and the page head.
local function prose(html)
  local body = html:match("<body>(.*)$") or html
  body = body:gsub("<pre.-</pre>", " "):gsub("<code>.-</code>", " ")
  return untag(body)
end

-- Every <pre> of a page as text, its white space squeezed.
local function squeeze(s)
  return (s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
end

local function pres(html)
  local list = {}
  for body in html:gmatch("<pre[^>]*>(.-)</pre>") do
    list[#list + 1] = squeeze(untag(body))
  end
  return list
end

local function check_prose(html, name)
  local text = prose(html)
  local function no(pat, what)
    local at = text:find(pat)
    assert(not at, name .. ": " .. what .. " in the text: ..." .. text:sub(math.max(1, (at or 1) - 40),
      (at or 1) + 40) .. "...")
  end
  no("`", "a backtick")
  no("%*%*", "**")
  no("~~", "~~")
  no("%[[^%]\n]+%]%([^%)\n]+%)", "a markdown link")
  no("\n[ \t]*[%-%*%+] %S", "a list mark")
  no("\n[ \t]*#+ ", "a heading mark")
  no("|%s*%-%-%-", "a table rule")
  local body = (html:match("<body>(.*)$") or html):gsub("<pre.-</pre>", ""):gsub("<code>.-</code>", "")
  assert(not body:find("<sup>"), name .. ": a superscript (^ read as markdown)")
  assert(not body:find("<del>"), name .. ": struck-through text (~~ read as markdown)")
  for _, pat in ipairs({ "%w<em>", "</em>%w", "%w<strong>", "</strong>%w" }) do
    local at = body:find(pat)
    assert(not at, name .. ": emphasis inside a word (an underscore read as markdown): " ..
      (at and body:sub(math.max(1, at - 30), at + 30) or ""))
  end
end

-- The summaries of a page: the first sentence of each entry, shown in the
-- tables of contents (the topics have none).  A cut one ends in an
-- abbreviation or inside a parenthesis, a bracket or a quote.
local ABBREVIATIONS = { "e.g.", "i.e.", "etc.", "cf.", "vs.", "no.", "...", "\226\128\166" }

local function check_summary(s, name)
  local full = squeeze(untag(s))
  local text = squeeze(untag((s:gsub("<code>.-</code>", "x"))))
  local where = name .. ": summary \"" .. full .. "\""
  assert(full:find("[%.%?]$"), where .. " does not end a sentence")
  for _, a in ipairs(ABBREVIATIONS) do
    assert(full:lower():sub(-#a) ~= a, where .. " ends in " .. a)
  end
  for _, pair in ipairs({ { "(", ")" }, { "[", "]" }, { "{", "}" },
                          { "\226\128\156", "\226\128\157" } }) do
    local _, open = text:gsub(pair[1]:gsub("%p", "%%%0"), "")
    local _, close = text:gsub(pair[2]:gsub("%p", "%%%0"), "")
    assert(open == close, where .. " is cut inside " .. pair[1] .. " " .. pair[2])
  end
  local _, quotes = text:gsub('"', "")
  assert(quotes % 2 == 0, where .. " is cut inside a quote")
end

local function check_summaries(html, name)
  local n = 0
  for href, s in html:gmatch('<td class="name"[^>]*><a href="([^"]+)">.-</a></td>%s*<td class="summary">(.-)</td>') do
    if not href:find("^topics/") then
      n = n + 1
      check_summary(s, name)
    end
  end
  return n
end

-- The names of a module page's entries.
local function items_of(html)
  local list = {}
  for name in html:gmatch('<dt>%s*<a name = "([^"]+)"></a>') do
    list[#list + 1] = name
  end
  return list
end

-- ---- environments for the examples -------------------------------------------------

-- Registrations belong to the lua_State: examples run on fresh modules,
-- and the spec's own are put back after.
local MODULE_NAMES = { "sipcodes", "sipcodes.core", "sipcodes.kamailio", "sipcodes.freeswitch",
                       "sipcodes.policy", "sipcodes.kpi", "sipcodes.memo" }

local function fresh_modules()
  local saved = {}
  for _, n in ipairs(MODULE_NAMES) do
    saved[n] = package.loaded[n]
    package.loaded[n] = nil
  end
  return function()
    for _, n in ipairs(MODULE_NAMES) do package.loaded[n] = saved[n] end
  end
end

-- The KSR double of spec/doubles.lua with what the guides' scripts use
-- besides: core flags and method tests, rr, siputils, dispatcher (set 1
-- holds state.gateways gateways, 2 by default) and t_on_reply.  pv vars
-- default to an INVITE for 4930123 whose branch got a 180.
local function ksr(state)
  state = state or {}
  local k = doubles.ksr(state)
  local function rec(s) k.calls[#k.calls + 1] = s end
  local flags = {}
  local vars = k.vars
  vars["$rm"] = vars["$rm"] or "INVITE"
  vars["$rU"] = vars["$rU"] or "4930123"
  vars["$rs"] = vars["$rs"] or "180"
  k.setflag = function(f) rec("setflag " .. f) flags[f] = true return 1 end
  k.resetflag = function(f) rec("resetflag " .. f) flags[f] = nil return 1 end
  k.isflagset = function(f) return flags[f] == true end
  k.is_CANCEL = function() return vars["$rm"] == "CANCEL" end
  k.is_ACK = function() return vars["$rm"] == "ACK" end
  k.is_INVITE = function() return vars["$rm"] == "INVITE" end
  k.siputils = { has_totag = function() return state.totag and 1 or -1 end }
  k.rr = {
    loose_route = function() rec("loose_route") return state.route and 1 or -1 end,
    record_route = function() rec("record_route") return 1 end,
  }
  local gateways, current = state.gateways or 2, state.current or 0
  k.dispatcher = {
    ds_select_dst = function(set, alg)
      rec("ds_select_dst " .. set .. " " .. alg)
      if gateways == 0 then return -1 end
      current = 1
      return 1
    end,
    ds_next_dst = function()
      rec("ds_next_dst")
      if current >= gateways then return -1 end
      current = current + 1
      return 1
    end,
    ds_mark_dst_state = function(s) rec("ds_mark_dst_state " .. s) return 1 end,
  }
  k.tm.t_on_reply = function(name) rec("t_on_reply " .. name) end
  return k
end

-- A session double: an unanswered caller whose last bridge the far end
-- refused with 486; bridges to a first gateway (".../a/..." or
-- ".../carrier_a/...") get 503, to a second one (b) 486.
local function session()
  local s = doubles.session({ last_bridge_proto_specific_hangup_cause = "sip:486",
                              last_bridge_hangup_cause = "USER_BUSY", sip_hangup_phrase = "Busy Here" })
  s.far = setmetatable({}, { __index = function(_, target)
    if target:find("/a/", 1, true) or target:find("carrier_a/", 1, true) then
      return { code = 503, phrase = "Service Unavailable" }
    elseif target:find("/b/", 1, true) or target:find("carrier_b/", 1, true) then
      return { code = 486, phrase = "Busy Here" }
    end
  end })
  return s
end

-- The dial plan's arguments of the FreeSWITCH examples (docs/freeswitch.md:
-- the gateways; docs/routing.md: the number).
local ARGV = {
  ["docs/routing.md"] = { [0] = "bridge.lua", "4930123" },
  default = { [0] = "bridge.lua", "sofia/gateway/carrier_a/4930123", "sofia/gateway/carrier_b/4930123" },
}

-- Run f with the global KSR set to k, if any (the helpers look it up at
-- each call).
local function with_ksr(k, f, ...)
  rawset(_G, "KSR", k or nil)
  local ok, err = pcall(f, ...)
  rawset(_G, "KSR", nil)
  assert(ok, err)
end

-- Run one example (text) as a chunk in an environment made by make_env on
-- fresh modules, then after(env) if given; returns the number of checks.
local function run_in(text, name, make_env, after)
  local restore = fresh_modules()
  local ok, err = pcall(function()
    local env = setmetatable(make_env(), { __index = _G })
    local n = 0
    local f = ex.chunk(text, name, env, function() n = n + 1 end)
    with_ksr(env.KSR, f)
    if after then after(env) end
    return n
  end)
  restore()
  if not ok then error(err, 0) end
  return err
end

-- The environments of the module pages' examples, as each page says.
local PAGE_ENV = {
  ["sipcodes"] = function() return { sip = require "sipcodes", KSR = false } end,
  ["sipcodes.kamailio"] = function()
    -- in the failure route of an INVITE whose winning reply is a 486
    return { kam = require "sipcodes.kamailio", KSR = ksr({ status = 486 }) }
  end,
  ["sipcodes.freeswitch"] = function()
    return { fs = require "sipcodes.freeswitch", session = session(), KSR = false }
  end,
  ["sipcodes.policy"] = function() return { policy = require "sipcodes.policy", KSR = false } end,
  ["sipcodes.kpi"] = function()
    local kpi = require "sipcodes.kpi"
    local k = kpi.new("homer") -- "a counter of the homer profile that has counted a 200 and a 486"
    k:add(200)
    k:add(486)
    return { kpi = kpi, k = k, KSR = false }
  end,
}

-- What the blocks of a topic may name without a require of their own: the
-- routing and outcome guides continue one block in the next, as
-- spec/policy_spec.lua and spec/outcome_spec.lua run them.
local TOPIC_GLOBALS = {
  ["docs/routing.md"] = { "policy", "sip" },
  ["docs/outcomes.md"] = { "sip", "kpi", "fs" },
}
local GLOBAL_MODULES = { sip = "sipcodes", policy = "sipcodes.policy", kpi = "sipcodes.kpi",
                         fs = "sipcodes.freeswitch" }

-- A topic's Lua block: the KSR and session doubles and the dial plan's
-- argv, for the host scripts, and the page's globals.
local function host_env(file)
  return function()
    local env = { KSR = ksr(), session = session(), argv = ARGV[file] or ARGV.default }
    for _, g in ipairs(TOPIC_GLOBALS[file] or {}) do env[g] = require(GLOBAL_MODULES[g]) end
    return env
  end
end

-- After a host script ran: call the routes it defined, as Kamailio would,
-- request route first, then the onreply routes, then the failure route
-- (the winning reply a 503, so that failover has something to do).
local function call_routes(env)
  local names = {}
  for k, v in pairs(env) do
    if type(k) == "string" and k:find("^ksr_") and type(v) == "function" then names[#names + 1] = k end
  end
  local function rank(n)
    return n == "ksr_request_route" and 1 or n:find("failure") and 3 or 2
  end
  table.sort(names, function(a, b)
    if rank(a) ~= rank(b) then return rank(a) < rank(b) end
    return a < b
  end)
  local k = env.KSR
  for _, n in ipairs(names) do
    if rank(n) == 3 then k = ksr({ status = 503, current = 1 }) env.KSR = k end
    with_ksr(k, env[n])
  end
  return names
end

-- ---- the blocks of a topic page ------------------------------------------------------

-- The code blocks of a page: ```lua blocks (LDoc shows them as Lua), and
-- plain ``` blocks, each after a comment that names its kind,
-- "<!-- sh -->" (LDoc would colour any other fence as Lua; the comment
-- shows nowhere).  A fence of another kind, or a plain one without its
-- comment, is an error.
local function blocks_of(md, file)
  local list, kind, block = {}, nil, nil
  local n = 0
  for line in (md .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    if block then
      if line == "```" then
        block.text = table.concat(block.lines, "\n")
        list[#list + 1] = block
        block = nil
      else
        block.lines[#block.lines + 1] = line
      end
    elseif line:find("^```") then
      local fence = line:match("^```(.*)$")
      if fence == "lua" then
        block = { lang = "lua", lines = {} }
      else
        assert(fence == "" and kind, (file or "page") .. ":" .. n .. ": a ``` block must be ```lua, or plain " ..
          "after a comment naming its kind (<!-- sh -->), not ```" .. fence)
        block = { lang = kind, lines = {} }
      end
      kind = nil
    elseif line:find("^<!%-%- %w+ %-%->$") then
      kind = line:match("^<!%-%- (%w+) %-%->$")
    elseif line:find("%S") then
      kind = nil
    end
  end
  assert(not block, (file or "page") .. ": a ``` block is not closed")
  return list
end

local function makefile()
  local src = read("Makefile")
  local targets, vars = {}, {}
  for line in src:gmatch("[^\n]+") do
    local t = line:match("^([%w_.%-/]+)%s*:[^=]") or line:match("^([%w_.%-/]+)%s*:$")
    if t then targets[t] = true end
    local v = line:match("^([%u_][%u%d_]*)%s*[?:+]?=")
    if v then vars[v] = true end
  end
  for v in src:gmatch("%$%(([%u_][%u%d_]*)%)") do vars[v] = true end
  return targets, vars
end

-- A `make ...` line: its variables and targets exist (no target: the
-- default one).
local function check_make(args, where)
  local targets, vars = makefile()
  for word in args:gmatch("%S+") do
    local var, value = word:match("^([%u_][%u%d_]*)=(.*)$")
    if var then
      assert(vars[var], where .. ": the Makefile has no variable " .. var)
      if var == "LUA_VERSION" then
        assert(set_of({ "5.1", "5.2", "5.3", "5.4", "jit" })[value], where .. ": no LUA_VERSION " .. value)
      end
    else
      assert(targets[word], where .. ": the Makefile has no target " .. word)
    end
  end
end

-- A line of the checkout, run with the interpreter and build of this run,
-- and without the versioned search paths (LUA_CPATH_5_2 and the like),
-- which Lua would read instead of the line's own.
local VERSIONED = "env -u LUA_PATH_5_2 -u LUA_CPATH_5_2 -u LUA_PATH_5_3 -u LUA_CPATH_5_3 " ..
                  "-u LUA_PATH_5_4 -u LUA_CPATH_5_4 "
local function in_checkout(line)
  return VERSIONED .. (line:gsub("lua5%.4", INTERPRETER):gsub("build/5%.4/", "build/" .. LUA_VERSION .. "/"))
end

local function run_ok(cmd, where)
  local out, rc = sh(cmd)
  assert(rc == 0, where .. ": `" .. cmd .. "` exited " .. tostring(rc) .. ":\n" .. out)
  return out
end

-- The rules for a line of a sh block, first match wins: a function that
-- checks the line (what), or a reason why it is not run.
local SH = {
  { "^sudo (.+)$", "again without sudo: the same check" },
  { "^make%s*(.*)$", function(args, where) check_make(args, where) end },
  { "^luarocks %-%-lua%-version [%d.]+ make$",
    "not run: it installs into the system tree; tools/install-check.sh runs it into scratch trees" },
  { "^luarocks %-%-lua%-version [%d.]+ remove sipcodes$",
    "not run: it removes from the system tree; tools/install-check.sh runs it in scratch trees" },
  { "^systemctl ", "not run: it changes the services of this machine" },
  { "^fs_cli ", "not run: FreeSWITCH is not in Debian (spec/freeswitch_spec.lua runs a double)" },
  { "^ldd ", function(_, where, line) run_ok(line, where) end },
  { "^sipcodes (.*)$", function(args, where) run_ok(INTERPRETER .. " bin/sipcodes " .. args, where) end },
  { "^bin/sipcodes (.*)$", function(args, where) run_ok("bin/sipcodes " .. args, where) end },
  { "^lua5%.4 ", function(_, where, line) run_ok(in_checkout(line), where) end },
  { "^LUA_PATH=%S+ LUA_CPATH=%S+ lua5%.4 ", function(_, where, line) run_ok(in_checkout(line), where) end },
}

local function check_sh_line(line, where)
  for _, rule in ipairs(SH) do
    local capture = line:match(rule[1])
    if capture then
      if rule[2] == "again without sudo: the same check" then
        return check_sh_line(capture, where)
      elseif type(rule[2]) == "function" then
        rule[2](capture, where, line)
        return "checked"
      end
      return "not run"
    end
  end
  error(where .. ": no rule in spec/manual_spec.lua (SH) for the line: " .. line)
end

local function check_sh(text, where)
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    line = line:gsub("%s+#.*$", ""):gsub("^%s+", "")
    if line ~= "" and not line:find("^#") then
      -- "a && b": each command on its own
      for cmd in (line .. " && "):gmatch("(.-)%s+&&%s+") do check_sh_line(cmd, where) end
    end
  end
end

-- "$ command" lines and the output that follows each.
local function check_text(text, where)
  local first = text:match("^[^\n]*")
  if not first:find("^%$ ") then
    assert(NOT_RUN[first], where .. ": a text block with no command and no reason in NOT_RUN: " .. first)
    return
  end
  local cmd, want = nil, {}
  local function finish()
    if not cmd then return end
    local args = cmd:match("^sipcodes (.*)$")
    assert(args, where .. ": no rule for the command " .. cmd)
    local got = run_ok(INTERPRETER .. " bin/sipcodes " .. args, where)
    assert.are.equal(table.concat(want, "\n") .. "\n", got, where .. ": the output of " .. cmd)
  end
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    local c = line:match("^%$ (.+)$")
    if c then
      finish()
      cmd, want = c, {}
    else
      want[#want + 1] = line
    end
  end
  finish()
end

-- A small XML reader, enough to see that a fragment is well-formed: the
-- elements in order, each { name = , attrs = {} }.
local function xml_elements(s, where)
  local stack, elems, i = {}, {}, 1
  local function text(t)
    assert(not t:gsub("&[%w#]+;", ""):find("[<&]"), where .. ": a stray < or & in " .. t)
  end
  while true do
    local a, b, tag = s:find("<([^<>]*)>", i)
    text(s:sub(i, (a or #s + 1) - 1))
    if not a then break end
    if tag:find("^!%-%-") then
      assert(tag:find("%-%-$"), where .. ": a comment with > inside")
    elseif tag:find("^/") then
      local name = tag:match("^/([%w:_.%-]+)%s*$")
      assert(name and stack[#stack] == name, where .. ": </" .. tostring(name) .. "> closes " ..
        tostring(stack[#stack]))
      stack[#stack] = nil
    else
      local name, rest = tag:match("^([%w:_.%-]+)(.-)$")
      assert(name, where .. ": a malformed tag <" .. tag .. ">")
      local e = { name = name, attrs = {} }
      local left = rest:gsub('%s+([%w:_.%-]+)="([^"<]*)"', function(k, v)
        assert(e.attrs[k] == nil, where .. ": attribute " .. k .. " twice")
        e.attrs[k] = unescape(v)
        return ""
      end)
      assert(left == "" or left == "/" or left:find("^%s*/$") or left:find("^%s+$"),
        where .. ": malformed attributes in <" .. tag .. ">")
      elems[#elems + 1] = e
      if not left:find("/$") then stack[#stack + 1] = name end
    end
    i = b + 1
  end
  assert(#stack == 0, where .. ": <" .. tostring(stack[#stack]) .. "> is not closed")
  return elems
end

-- The install table of Getting started: LUA_VERSION -> { lib, share }.
local function install_table()
  local rows = {}
  for v, lib, share in read("docs/getting-started.md"):gmatch("\n| ([%w.]+) | `([^`]+)` | `([^`]+)` |") do
    rows[v] = { lib = lib, share = share }
  end
  return rows
end

local function check_xml(text, where)
  local rows = install_table()
  local libdirs, sharedirs = {}, {}
  for _, r in pairs(rows) do libdirs[r.lib] = true sharedirs[r.share] = true end
  for _, e in ipairs(xml_elements(text, where)) do
    if e.name == "param" and e.attrs.name == "module-directory" then
      local dir = e.attrs.value:match("^(.*/)%?%.so;;$")
      assert(dir and libdirs[dir], where .. ": module-directory " .. e.attrs.value ..
        " is no ?.so;; template of an install directory")
    elseif e.name == "param" and e.attrs.name == "script-directory" then
      local dir = e.attrs.value:match("^(.*/)%?%.lua;;$")
      assert(dir and sharedirs[dir], where .. ": script-directory " .. e.attrs.value ..
        " is no ?.lua;; template of an install directory")
    elseif e.name == "action" and e.attrs.application == "lua" then
      local script = e.attrs.data:match("^(%S+)")
      assert(exists("examples/freeswitch/" .. script), where .. ": no examples/freeswitch/" .. script)
    end
  end
end

-- (kamailio is in /usr/sbin, which the PATH of a user may lack.)
local KAMAILIO = "PATH=\"$PATH:/usr/sbin:/sbin\" kamailio"

local function check_cfg(text, where)
  local _, rc = sh("PATH=\"$PATH:/usr/sbin:/sbin\" command -v kamailio")
  assert(rc == 0, "kamailio is not installed, which checks the kamailio.cfg blocks: tools/deps.sh test")
  local file = os.tmpname()
  local f = assert(io.open(file, "w"))
  f:write("#!KAMAILIO\nauto_aliases=no\nlisten=udp:127.0.0.1:5060\n", text, "\n")
  f:close()
  local out, status = sh(KAMAILIO .. " -c -f " .. q(file))
  os.remove(file)
  assert(status == 0, where .. ": kamailio -c refuses the block:\n" .. out)
  local policy = require "sipcodes.policy"
  for v in text:gmatch('modparam%("dispatcher", "ds_ping_reply_codes", "([^"]*)"%)') do
    assert.are.equal(v, policy.ds_ping_reply_codes(v), where .. ": ds_ping_reply_codes")
  end
end

-- LUA_PATH and LUA_CPATH of one prefix and Lua version, each ending in ;;.
local function check_paths(text, where, form)
  local got = {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    if line ~= "" and not (form == "ini" and line == "[Service]") then
      local k, v
      if form == "ini" then
        k, v = line:match("^Environment=([%u_]+)=(%S+)$")
      else
        k, v = line:match("^([%u_]+)=(%S+)$")
        v = v and (v:match("^'(.*)'$") or v:match('^"(.*)"$') or v)
      end
      assert(k == "LUA_PATH" or k == "LUA_CPATH", where .. ": a line of no known form: " .. line)
      got[k] = v
    end
  end
  if form == "ini" then assert(text:find("^%[Service%]\n"), where .. ": no [Service] section") end
  local p1, v1 = (got.LUA_PATH or ""):match("^(/.+)/share/lua/(%d%.%d)/%?%.lua;;$")
  local p2, v2 = (got.LUA_CPATH or ""):match("^(/.+)/lib/lua/(%d%.%d)/%?%.so;;$")
  assert(p1 and p2, where .. ": LUA_PATH and LUA_CPATH are not the ?.lua;; and ?.so;; of an install")
  assert(p1 == p2 and v1 == v2, where .. ": LUA_PATH and LUA_CPATH name different installs")
end

-- ---- the specs -----------------------------------------------------------------------

describe("the manual", function()
  teardown(function()
    if built then sh("rm -rf " .. q(built.dir)) end
  end)

  it("builds with lua-discount and no warning", function()
    local m = manual()
    assert(not m.err, m.err)
    for line in m.out:gmatch("[^\n]+") do
      assert(line == "reading configuration from config.ld" or line:find("^found master module\t"),
        "ldoc said: " .. line)
    end
    assert(exists(m.dir .. "/index.html"), "no index.html")
  end)

  it("has a page per module, with its sections and every public name", function()
    local index = page("index.html")
    for _, m in ipairs(MODULES) do
      local html = page(m.page)
      assert.is_truthy(html:find("<h1>Module <code>" .. m.name:gsub("%p", "%%%0") .. "</code></h1>"), m.name)
      assert.is_truthy(index:find('<a href="' .. m.page .. '">' .. m.name .. "</a>", 1, true), m.name)
      same_set(m.items, items_of(html), m.page)
      local titles = {}
      for t in html:gmatch('<h2 class="section%-header[^"]*"><a name="[^"]*"></a>(.-)</h2>') do
        titles[#titles + 1] = squeeze(untag(t))
      end
      assert.are.same(m.sections, titles, m.page .. ": section titles")
    end
  end)

  it("has an example on every module page, and every example gives what it says", function()
    local checks = 0
    for _, m in ipairs(MODULES) do
      local html = page(m.page)
      local head = html:match("<h1>Module.-<h2 class=\"section%-header") or ""
      local usage = head:match("<h3>Usage:</h3>.-<pre class=\"example\">(.-)</pre>")
      assert(usage, m.page .. " has no module example")
      local n = run_in(untag(usage), m.page .. " (module example)", PAGE_ENV[m.name])
      assert(n >= 3, m.page .. ": the module example checks " .. n .. " results")
      checks = checks + n
      local i = 0
      for body in html:gmatch('<pre class="example">(.-)</pre>') do
        i = i + 1
        checks = checks + run_in(untag(body), m.page .. " example " .. i, PAGE_ENV[m.name])
      end
    end
    assert.is_true(checks >= 80, "only " .. checks .. " checks")
  end)

  it("leaves no markdown raw and cuts no summary", function()
    local summaries = check_summaries(page("index.html"), "index.html")
    check_prose(page("index.html"), "index.html")
    for _, m in ipairs(MODULES) do
      local html = page(m.page)
      check_prose(html, m.page)
      summaries = summaries + check_summaries(html, m.page)
    end
    for _, t in ipairs(TOPICS) do
      check_prose(page(topic_page(t)), topic_page(t))
    end
    assert.is_true(summaries >= 80, summaries .. " summaries")
  end)

  it("links only to pages and anchors it has", function()
    local pages = { "index.html" }
    for _, m in ipairs(MODULES) do pages[#pages + 1] = m.page end
    for _, t in ipairs(TOPICS) do pages[#pages + 1] = topic_page(t) end
    local links = 0
    for _, p in ipairs(pages) do
      local html = page(p)
      local dir = p:match("^(.*/)") or ""
      for href in html:gmatch('href="([^"]*)"') do
        local file, anchor = href:match("^([^#]*)#?(.*)$")
        if not href:find("^%a+:") then
          links = links + 1
          if file ~= "" then
            local target = dir .. file
            while target:find("[^/]+/%.%./") do target = target:gsub("[^/]+/%.%./", "", 1) end
            assert(exists(manual().dir .. "/" .. target), p .. " links to " .. href .. ", which is not there")
          elseif anchor ~= "" then
            assert(html:find('name%s*=%s*"' .. anchor:gsub("%p", "%%%0") .. '"'),
              p .. " links to #" .. anchor .. ", which it lacks")
          end
        end
      end
    end
    assert.is_true(links > 100, links .. " links")
  end)

  it("has the topic pages in its navigation, and shows their code as code", function()
    for _, p in ipairs({ "index.html", MODULES[1].page }) do
      local html = page(p)
      local prefix = p == "index.html" and "" or "../"
      local at = 1
      for _, t in ipairs(TOPICS) do
        local link = '<li><a href="' .. prefix .. topic_page(t) .. '">' .. t.title .. "</a></li>"
        local a = html:find(link, at, true)
        assert(a, p .. " lacks " .. link .. " (or has it out of order)")
        at = a
      end
    end
    for _, t in ipairs(TOPICS) do
      local html = page(topic_page(t))
      assert.is_truthy(html:find("<h1>" .. t.title:gsub("%p", "%%%0"), 1), t.file .. ": title")
      local shown = set_of(pres(html))
      local blocks = blocks_of(read(t.file), t.file)
      assert.is_true(#blocks > 0, t.file)
      for i, b in ipairs(blocks) do
        assert(shown[squeeze(b.text)], t.file .. ": block " .. i .. " (" .. b.lang ..
          ") is not shown as code:\n" .. b.text)
      end
    end
  end)

  it("runs every code block of the topic pages", function()
    local kinds = {}
    for _, t in ipairs(TOPICS) do
      for i, b in ipairs(blocks_of(read(t.file), t.file)) do
        local where = t.file .. " block " .. i .. " (" .. b.lang .. ")"
        kinds[b.lang] = (kinds[b.lang] or 0) + 1
        if b.lang == "lua" then
          run_in(b.text, where, host_env(t.file), call_routes)
        elseif b.lang == "sh" then
          check_sh(b.text, where)
        elseif b.lang == "text" then
          check_text(b.text, where)
        elseif b.lang == "xml" then
          check_xml(b.text, where)
        elseif b.lang == "cfg" then
          check_cfg(b.text, where)
        elseif b.lang == "ini" or b.lang == "env" then
          check_paths(b.text, where, b.lang)
        else
          error(where .. ": a block of no kind this spec knows (lua, sh, text, xml, cfg, ini, env)")
        end
      end
    end
    for _, kind in ipairs({ "lua", "sh", "text", "xml", "cfg", "ini", "env" }) do
      assert(kinds[kind], "no " .. kind .. " block was checked")
    end
  end)

  describe("the Kamailio guide's script", function()
    local script
    for _, b in ipairs(blocks_of(read("docs/kamailio.md"), "docs/kamailio.md")) do
      if b.lang == "lua" and b.text:find("function ksr_request_route", 1, true) and
         b.text:find("GATEWAYS", 1, true) then
        script = b.text
      end
    end

    -- Load the script with a KSR of state, call one route; the KSR calls.
    local function route(name, state)
      assert(script, "docs/kamailio.md has no script with ksr_request_route and GATEWAYS")
      local k = ksr(state)
      run_in(script, "docs/kamailio.md", function() return { KSR = k } end, function(env)
        with_ksr(k, env[name])
      end)
      return k.calls, k
    end

    local function has(calls, list)
      local at = 1
      for _, want in ipairs(list) do
        local found
        for i = at, #calls do
          if calls[i] == want then found = i break end
        end
        assert(found, "no " .. want .. " (in order) in: " .. table.concat(calls, " | "))
        at = found + 1
      end
    end

    local function lacks(calls, pattern)
      for _, c in ipairs(calls) do
        assert(not c:find(pattern), "a " .. pattern .. " call: " .. table.concat(calls, " | "))
      end
    end

    it("answers busy with 486 and relays other INVITEs to a gateway, accounted", function()
      local calls = route("ksr_request_route", { vars = { ["$rU"] = "busy" } })
      assert.are.same({ "sl_send_reply 486 Busy Here" }, calls)
      calls = route("ksr_request_route")
      has(calls, { "record_route", "ds_select_dst 1 4", "setflag 1", "setflag 2",
                   "t_on_failure ksr_failure_route", "t_on_reply ksr_onreply_route", "t_relay" })
      calls = route("ksr_request_route", { gateways = 0 })
      has(calls, { "sl_send_reply 503 Service Unavailable" })
      lacks(calls, "^t_relay")
    end)

    it("sends a CANCEL on and answers what it does not route", function()
      has(route("ksr_request_route", { vars = { ["$rm"] = "CANCEL" } }), { "t_check_trans" })
      assert.are.same({ "sl_send_reply 501 Not Implemented" },
        route("ksr_request_route", { vars = { ["$rm"] = "MESSAGE" } }))
      assert.are.same({ "loose_route", "sl_send_reply 404 Not Found" },
        route("ksr_request_route", { vars = { ["$rm"] = "BYE" }, totag = true }))
      assert.are.same({ "loose_route", "t_relay" },
        route("ksr_request_route", { vars = { ["$rm"] = "BYE" }, totag = true, route = true }))
    end)

    it("fails a 503 over to the next gateway, and relays a 486 as it came", function()
      local calls, k = route("ksr_failure_route", { status = 503, current = 1 })
      has(calls, { "ds_next_dst", "t_on_failure ksr_failure_route", "t_relay" })
      lacks(calls, "^t_reply")
      lacks(calls, "send_reply")
      assert.are.same({ "network_failure" }, k.avps.sipcodes_outcome)
      calls, k = route("ksr_failure_route", { status = 486, current = 1 })
      lacks(calls, "^t_reply")
      lacks(calls, "send_reply")
      lacks(calls, "^t_relay")
      lacks(calls, "ds_next_dst")
      assert.are.same({ "busy" }, k.avps.sipcodes_outcome)
      -- the last gateway failed too: its reply is relayed
      calls = route("ksr_failure_route", { status = 503, current = 2 })
      has(calls, { "ds_next_dst" })
      lacks(calls, "^t_relay")
    end)

    it("notes ringing and tags an answered call", function()
      local _, k = route("ksr_onreply_route", { vars = { ["$rs"] = "200" } })
      assert.are.same({ "answered" }, k.avps.sipcodes_outcome)
      local calls = route("ksr_onreply_route", { vars = { ["$rs"] = "180" } })
      assert.are.same({ "setflag 8" }, calls)
    end)
  end)

  it("runs the FreeSWITCH guide's script: the caller gets the best answer, tagged", function()
    local script
    for _, b in ipairs(blocks_of(read("docs/freeswitch.md"), "docs/freeswitch.md")) do
      if b.lang == "lua" and b.text:find("fs.hunt(session", 1, true) then script = b.text end
    end
    assert(script, "docs/freeswitch.md has no script with fs.hunt")
    local s = session()
    run_in(script, "docs/freeswitch.md", function()
      return { session = s, argv = ARGV.default }
    end)
    assert.are.same({ "sofia/gateway/carrier_a/4930123", "sofia/gateway/carrier_b/4930123" }, s.bridged)
    assert.are.equal("SIP/2.0 486 Busy Here", s.received)
    assert.are.equal("busy", s.vars.sipcodes_outcome)
  end)

  it("says where make install puts every file", function()
    local lua_files = {}
    local out = run_ok("cd lua && find . -name '*.lua' | sed 's|^[.]/||' | sort", "lua/")
    for f in out:gmatch("[^\n]+") do lua_files[#lua_files + 1] = f end
    assert.is_true(#lua_files >= 6)
    for _, p in ipairs(INSTALL_PAGES) do
      local named, seen = {}, {}
      for f in read(p):gmatch("`(sipcodes[%w_/]*%.lua)`") do
        if not seen[f] then seen[f] = true named[#named + 1] = f end
      end
      same_set(lua_files, named, p .. ": the Lua files it lists")
      assert.is_truthy(read(p):find("sipcodes/core.so", 1, true), p .. " does not name the C module")
    end
    -- What make install does for this Lua, staged (it installs this run's
    -- build as it is), then make uninstall, which also drops the record of
    -- the staged directories it kept in build/install-records/.
    local row = install_table()[LUA_VERSION]
    assert(row, "docs/getting-started.md has no install row for " .. LUA_VERSION)
    local stage = sh("mktemp -d"):gsub("%s+$", "")
    local make = "make -s LUA_VERSION=" .. LUA_VERSION .. " DESTDIR=" .. q(stage)
    local ok, err = pcall(function()
      run_ok(make .. " install", "install")
      assert(exists(stage .. row.lib .. "sipcodes/core.so"), "no " .. row.lib .. "sipcodes/core.so")
      local installed = {}
      out = run_ok("cd " .. q(stage .. row.share) .. " && find . -type f | sed 's|^[.]/||' | sort", "share")
      for f in out:gmatch("[^\n]+") do installed[#installed + 1] = f end
      same_set(lua_files, installed, "make install into " .. row.share)
      out = run_ok("cd " .. q(stage .. row.lib) .. " && find . -type f | sed 's|^[.]/||'", "lib")
      assert.are.equal("sipcodes/core.so\n", out)
    end)
    sh(make .. " uninstall; rm -rf " .. q(stage))
    assert(ok, err)
  end)
end)
