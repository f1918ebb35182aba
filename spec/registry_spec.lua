-- A sweep of every registry row through every accessor, and every data
-- column checked against an outside copy or a reviewed literal:
--   spec/fixtures/iana-sip-response-codes.tsv   the IANA "Response Codes"
--       registry (copy of 2026-01-07): English phrase, first reference,
--       status of the 75 registered codes;
--   spec/fixtures/registry-references.tsv  every reference of every row;
--   spec/fixtures/registry-nonstandard.tsv  the rows IANA lacks, with the
--       source of each;
--   spec/fixtures/registry-aliases.tsv     every alias, with who sends it;
--   spec/fixtures/registry-de.tsv          German phrases and class phrases;
--   spec/fixtures/registry-classes-en.tsv  English class phrases;
--   spec/fixtures/registry-descriptions.tsv  every description, en and de;
--   spec/fixtures/registry-seed-texts.tsv  texts our descriptions must not
--       borrow from (RFC 3261 section 21, the seed list).
-- Every check runs both ways (each fixture row is in the registry, each
-- registry row is in the fixture) and counts exactly.
local sip = require "sipcodes"

-- The rows of a TSV fixture after its header line, each a list of fields
-- (a field may be empty; there is no quoting).
local function read_tsv(name, nfields)
  local rows = {}
  local f = assert(io.open("spec/fixtures/" .. name))
  f:read("*l") -- column names
  for line in f:lines() do
    local fields = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = field end
    assert(#fields == nfields, name .. ": " .. line)
    rows[#rows + 1] = fields
  end
  f:close()
  return rows
end

-- The registry's rows, in order.
local entries = {}
for code, info in sip.each() do entries[#entries + 1] = { code = code, info = info } end

local iana = read_tsv("iana-sip-response-codes.tsv", 3)
local nonstandard = read_tsv("registry-nonstandard.tsv", 4)
local references = read_tsv("registry-references.tsv", 2)
local aliases = read_tsv("registry-aliases.tsv", 3)
local german = read_tsv("registry-de.tsv", 2)
local classes_en = read_tsv("registry-classes-en.tsv", 2)
local descriptions = read_tsv("registry-descriptions.tsv", 3)
local seeds = read_tsv("registry-seed-texts.tsv", 2)

-- The English phrase of every code, from the two outside sources: IANA's
-- (202's description column carries "(Deprecated)", which is no part of
-- the phrase) and the non-IANA fixture.
local english = {}
for _, row in ipairs(iana) do
  english[tonumber(row[1])] = (row[2]:gsub(" %(Deprecated%)$", ""))
end
for _, row in ipairs(nonstandard) do english[tonumber(row[1])] = row[2] end

-- A text as lookup compares it: ASCII letters folded, digits and bytes
-- >= 0x80 kept, everything else dropped.
local function folded(text)
  return (text:lower():gsub("[^%w\128-\255]", ""))
end

describe("the registry", function()
  it("holds exactly the 75 IANA codes and the 7 rows of the non-IANA fixture", function()
    assert.are.equal(75, #iana)
    assert.are.equal(7, #nonstandard)
    assert.are.equal(82, #entries)
    local by_status = {}
    for _, e in ipairs(entries) do
      by_status[e.info.status] = (by_status[e.info.status] or 0) + 1
    end
    assert.are.same({ standard = 74, deprecated = 1, obsolete = 2, nonstandard = 5 }, by_status)
  end)

  for _, e in ipairs(entries) do
    local code, info = e.code, e.info
    it("answers every accessor consistently for " .. code, function()
      assert.are.equal(code, info.code)
      assert.are.equal(info.reason, sip.reason(code))
      assert.are.equal(info.reason_de, sip.reason(code, "de"))
      assert.are.equal(info.reason, sip.phrase(code))
      assert.are.equal(info.reason_de, sip.phrase(code, "de"))
      assert.are.equal(info.description, sip.description(code))
      assert.are.equal(info.description_de, sip.description(code, "de"))
      for _, text in ipairs({ info.reason, info.reason_de, info.description, info.description_de }) do
        assert.is_string(text)
        assert.is_truthy(text:find("^%S"), "no leading space")
        assert.is_truthy(text:find("%S$"), "no trailing space")
        assert.is_falsy(text:find("[%c\"]"), "no control character or quote")
      end
      assert.is_true(#info.description >= 30 and #info.description <= 200)
      assert.is_true(#info.description_de >= 30 and #info.description_de <= 220)
      assert.is_truthy(info.name:find("^[A-Z][A-Z0-9_]*$"))
      assert.are.equal(info.name, sip.name(code))
      assert.are.equal(code, sip.codes[info.name])
      assert.are.equal(code, sip.lookup(info.name))
      assert.are.equal(info.status, sip.status(code))
      assert.are.equal(sip.class(code), info.class)
      assert.are.equal(sip.class_name(code), info.class_name)
      assert.is_true(sip.is_known(code))
      assert.are.equal(code <= 699, sip.is_valid(code))
      if code <= 699 then assert.are.equal(code, sip.equivalent(code)) end
      for _, rfc in ipairs(info.rfc) do
        assert.is_truthy(rfc:find("^RFC %d+$"), rfc)
      end
    end)
  end

  it("matches the IANA registry row by row, in both directions", function()
    local registered = {}
    for _, row in ipairs(iana) do
      local code = tonumber(row[1])
      registered[code] = true
      local info = sip.info(code)
      assert.is_table(info, "missing " .. row[1])
      if code == 202 then
        assert.are.equal("Accepted (Deprecated)", row[2])
        assert.are.equal("Accepted", info.reason)
        assert.are.equal("deprecated", info.status)
      else
        assert.are.equal(row[2], info.reason)
        assert.are.equal("standard", info.status)
      end
      assert.are.equal(row[3], info.rfc[1], "first reference of " .. code)
      assert.is_true(info.registered == nil or info.registered == false)
    end
    local n = 0
    for _, e in ipairs(entries) do
      local status = e.info.status
      local is_iana = status == "standard" or status == "deprecated"
      assert.are.equal(is_iana, registered[e.code] == true, "status of " .. e.code)
      if is_iana then n = n + 1 end
    end
    assert.are.equal(75, n)
  end)

  -- The constant names follow from the phrases of the two outside sources
  -- by one rule: upper case, each run of other characters one "_" (none at
  -- either end).  One exception, written out: 606 shares 406's phrase, so
  -- its name (our choice) adds the "anywhere" of its class, the global
  -- failures, and the two names differ.
  it("names every row after its phrase, both ways, with one written-out exception", function()
    local exceptions = { [606] = "NOT_ACCEPTABLE_ANYWHERE" }
    local n = 0
    for code, phrase in pairs(english) do
      local want = exceptions[code]
                   or (phrase:upper():gsub("[^%w]+", "_"):gsub("^_", ""):gsub("_$", ""))
      assert.are.equal(want, sip.name(code), "name of " .. code)
      assert.are.equal(code, sip.codes[want])
      n = n + 1
    end
    assert.are.equal(82, n)
    for _, e in ipairs(entries) do
      assert.is_not_nil(english[e.code], "row " .. e.code .. " has a phrase in the fixtures")
    end
    assert.are.equal("CALL_TRANSACTION_DOES_NOT_EXIST", sip.name(481))
    assert.are.equal("REQUEST_URI_TOO_LONG", sip.name(414))
    assert.are.equal("NOT_ACCEPTABLE", sip.name(406))
  end)

  it("has the non-IANA rows of the fixture, phrase and status, in both directions", function()
    local listed = {}
    for _, row in ipairs(nonstandard) do
      local code = tonumber(row[1])
      listed[code] = true
      local info = sip.info(code)
      assert.is_table(info, "missing " .. row[1])
      assert.are.equal(row[2], info.reason)
      assert.are.equal(row[3], info.status)
      assert.is_truthy(#row[4] > 20, "a source for " .. row[1])
    end
    local n = 0
    for _, e in ipairs(entries) do
      local status = e.info.status
      if status == "obsolete" or status == "nonstandard" then
        n = n + 1
        assert.is_true(listed[e.code] == true, e.code .. " is not in registry-nonstandard.tsv")
      end
    end
    assert.are.equal(7, n)
    assert.are.equal(701, sip.codes.NO_RESPONSE_FROM_DESTINATION_SERVER)
    assert.are.equal("NO_RESPONSE_FROM_DESTINATION_SERVER", sip.name(701))
  end)

  it("has every reference of every row, in order", function()
    assert.are.equal(82, #references)
    local seen = {}
    for _, row in ipairs(references) do
      local code = tonumber(row[1])
      seen[code] = true
      local info = sip.info(code)
      assert.is_table(info, "missing " .. row[1])
      assert.are.equal(row[2], table.concat(info.rfc, ", "), "references of " .. code)
    end
    for _, e in ipairs(entries) do assert.is_true(seen[e.code], "no references row for " .. e.code) end
    -- The references after the first, literally: RFC 4474 defined the
    -- Identity codes before RFC 8224, RFC 3265 202 and 489 before RFC 6665.
    for _, code in ipairs({ 428, 436, 437, 438 }) do
      assert.are.same({ "RFC 8224", "RFC 4474" }, sip.info(code).rfc)
    end
    assert.are.same({ "RFC 6665", "RFC 3265" }, sip.info(202).rfc)
    assert.are.same({ "RFC 6665", "RFC 3265" }, sip.info(489).rfc)
    assert.are.same({ "RFC 2543" }, sip.info(409).rfc)
    assert.are.same({}, sip.info(701).rfc)
  end)

  it("has the aliases of the fixture, code by code, in both directions", function()
    assert.are.equal(13, #aliases)
    local want = {}
    for _, row in ipairs(aliases) do
      local code = tonumber(row[1])
      want[code] = want[code] or {}
      table.insert(want[code], row[2])
      assert.is_truthy(#row[3] > 10, "a source for " .. row[2])
    end
    local n = 0
    for _, e in ipairs(entries) do
      assert.are.same(want[e.code] or {}, e.info.aliases, "aliases of " .. e.code)
      n = n + #e.info.aliases
      for _, alias in ipairs(e.info.aliases) do
        assert.are_not.equal(alias, e.info.reason)
      end
    end
    assert.are.equal(13, n)
  end)

  it("finds every alias, the earlier row where two codes share one", function()
    local first = {}
    for _, row in ipairs(aliases) do
      local key = folded(row[2])
      first[key] = first[key] or tonumber(row[1])
    end
    for _, row in ipairs(aliases) do
      assert.are.equal(first[folded(row[2])], sip.lookup(row[2]), row[2])
    end
    -- 403 and 439 share "Stale Date": the standard use (RFC 8224) wins.
    assert.are.equal(403, sip.lookup("Stale Date"))
    assert.are.equal(603, sip.lookup("Network Blocked"))
    assert.are.equal(412, sip.lookup("Precondition Failed"))
    assert.are.equal(701, sip.lookup("Party Hangs Up"))
  end)

  it("finds every phrase at the code of the fixtures, the lower code where two share one", function()
    -- The first row (in code order) whose English or German phrase of
    -- the fixtures folds to key.
    local de = {}
    for _, row in ipairs(german) do
      if row[1]:find("^%d+$") then de[tonumber(row[1])] = row[2] end
    end
    local codes = {}
    for code in pairs(english) do codes[#codes + 1] = code end
    table.sort(codes)
    assert.are.equal(82, #codes)
    local function expected(text)
      local key = folded(text)
      for _, code in ipairs(codes) do
        if folded(english[code]) == key or folded(de[code]) == key then return code end
      end
    end
    for _, code in ipairs(codes) do
      assert.are.equal(expected(english[code]), sip.lookup(english[code]), english[code])
      assert.are.equal(expected(de[code]), sip.lookup(de[code]), de[code])
    end
    -- Literally, for the phrases two codes share.
    assert.are.equal(406, sip.lookup("Not Acceptable"))
    assert.are.equal(406, sip.lookup("Nicht akzeptabel"))
    assert.are.equal(606, sip.lookup("NOT_ACCEPTABLE_ANYWHERE"))
    assert.are.equal(486, sip.lookup("Besetzt"))
  end)

  it("has the German phrases and class phrases of the reviewed fixture", function()
    assert.are.equal(89, #german)
    local seen, nclasses = {}, 0
    for _, row in ipairs(german) do
      local class = row[1]:match("^(%d)xx$")
      if class then
        -- n98 is in no class's registry rows, so phrase() falls back.
        local code = tonumber(class) * 100 + 98
        assert.is_nil(sip.reason(code))
        assert.are.equal(row[2], sip.phrase(code, "de"), row[1])
        nclasses = nclasses + 1
      else
        local code = tonumber(row[1])
        seen[code] = true
        assert.are.equal(row[2], sip.reason(code, "de"), "German phrase of " .. code)
      end
    end
    assert.are.equal(7, nclasses)
    for _, e in ipairs(entries) do assert.is_true(seen[e.code], "no German row for " .. e.code) end
    assert.are.equal("Abgelehnt", sip.reason(603, "de"))
    assert.are.equal("Zurückgewiesen", sip.reason(608, "de"))
  end)

  it("has the English class phrases of the fixture", function()
    assert.are.equal(7, #classes_en)
    for _, row in ipairs(classes_en) do
      local code = tonumber(row[1]:match("^(%d)xx$")) * 100 + 98
      assert.is_nil(sip.reason(code))
      assert.are.equal(row[2], sip.phrase(code), row[1])
    end
  end)

  it("has every description of the fixture, English and German", function()
    assert.are.equal(164, #descriptions)
    local count = {}
    for _, row in ipairs(descriptions) do
      local code = tonumber(row[1])
      count[code] = (count[code] or 0) + 1
      assert.are.equal(row[3], sip.description(code, row[2]), row[2] .. " description of " .. code)
    end
    for _, e in ipairs(entries) do assert.are.equal(2, count[e.code], "descriptions of " .. e.code) end
  end)

  describe("descriptions in our own words", function()
    -- Every run of six words of a text, lower-cased, punctuation dropped.
    local function runs(text, into, tag)
      local words = {}
      for word in text:lower():gmatch("[%w\128-\255]+") do words[#words + 1] = word end
      for i = 1, #words - 5 do into[table.concat(words, " ", i, i + 5)] = tag end
      return into
    end
    local seed_runs = {}
    for _, row in ipairs(seeds) do runs(row[2], seed_runs, row[1]) end

    it("has a seed list that the check would catch", function()
      assert.are.equal(56, #seeds)
      local found = 0
      for run in pairs(runs("Der Angerufene ist vorübergehend woanders erreichbar; neu versuchen.", {}, "")) do
        if seed_runs[run] then found = found + 1 end
      end
      assert.are.equal(1, found)
    end)

    it("shares no run of six words with RFC 3261 section 21 or the seed list", function()
      local shared = {}
      for _, e in ipairs(entries) do
        for _, text in ipairs({ e.info.description, e.info.description_de }) do
          for run in pairs(runs(text, {}, "")) do
            if seed_runs[run] then shared[#shared + 1] = e.code .. ": " .. run .. " (" .. seed_runs[run] .. ")" end
          end
        end
      end
      assert.are.same({}, shared)
    end)
  end)

  describe("docs/registry.md", function()
    -- The rows of the first table after the heading line, as lists of
    -- cells.
    local function doc_table(heading)
      local f = assert(io.open("docs/registry.md"))
      local text = f:read("*a")
      f:close()
      local at = assert(text:find("\n" .. heading .. "\n", 1, true), heading)
      local rows, started = {}, false
      for line in text:sub(at + #heading + 2):gmatch("([^\n]*)\n") do
        if line:find("^|") then
          if not line:find("^|[%s%-|]+$") then
            local cells = {}
            for cell in line:sub(2):gmatch("%s*(.-)%s*|") do cells[#cells + 1] = cell end
            rows[#rows + 1] = cells
          end
          started = true
        elseif started then
          break
        end
      end
      table.remove(rows, 1) -- the column names
      return rows
    end

    it("lists every alias of the fixture with its source", function()
      assert.are.same(aliases, doc_table("## Aliases"))
    end)

    it("lists every non-IANA row of the fixture with its source", function()
      assert.are.same(nonstandard, doc_table("## Codes outside the IANA registry"))
    end)
  end)
end)
