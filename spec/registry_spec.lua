-- A sweep of every registry row through every accessor, and a check of the
-- registry against a copy of the IANA "Response Codes" registry
-- (spec/fixtures/iana-sip-response-codes.tsv, the copy of 2026-01-07).
local sip = require "sipcodes"

local function read_iana()
  local rows = {}
  local f = assert(io.open("spec/fixtures/iana-sip-response-codes.tsv"))
  f:read("*l") -- column names
  for line in f:lines() do
    local code, phrase, ref = line:match("^(%d+)\t([^\t]+)\t([^\t]+)$")
    rows[#rows + 1] = { code = tonumber(code), phrase = phrase, ref = ref }
  end
  f:close()
  return rows
end

describe("the registry", function()
  local entries = {}
  for code, info in sip.each() do entries[#entries + 1] = { code, info } end

  it("holds the standard, deprecated, obsolete and non-standard codes", function()
    local by_status = {}
    for _, e in ipairs(entries) do
      by_status[e[2].status] = (by_status[e[2].status] or 0) + 1
    end
    assert.are.equal(74, by_status.standard)
    assert.are.equal(1, by_status.deprecated)
    assert.are.equal(2, by_status.obsolete)
    assert.is_true(by_status.nonstandard >= 3)
  end)

  for _, e in ipairs(entries) do
    local code, info = e[1], e[2]
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
      assert.are.equal(info.status, sip.status(code))
      assert.are.equal(sip.class(code), info.class)
      assert.are.equal(sip.class_name(code), info.class_name)
      assert.is_true(sip.is_known(code))
      assert.are.equal(code <= 699, sip.is_valid(code))
      if code <= 699 then assert.are.equal(code, sip.equivalent(code)) end
      -- lookup by phrase or name gives this code, or a lower code with the
      -- same phrase (406 and 606 are both "Not Acceptable").
      for _, text in ipairs({ info.reason, info.name, info.reason_de }) do
        local found = sip.lookup(text)
        assert.is_truthy(found)
        assert.is_true(found == code or sip.lookup(sip.reason(found)) == found)
      end
      for _, alias in ipairs(info.aliases) do
        assert.are.equal(code, sip.lookup(alias))
        assert.are_not.equal(alias, info.reason)
      end
      for _, rfc in ipairs(info.rfc) do
        assert.is_truthy(rfc:find("^RFC %d+$"), rfc)
      end
      if info.status == "standard" or info.status == "deprecated" then
        assert.is_true(#info.rfc >= 1)
      elseif info.status == "obsolete" then
        assert.are.same({ "RFC 2543" }, info.rfc)
      else
        assert.are.same({}, info.rfc)
      end
    end)
  end

  it("matches the IANA registry row by row", function()
    local iana = read_iana()
    assert.are.equal(75, #iana)
    local registered = {}
    for _, row in ipairs(iana) do
      registered[row.code] = true
      local info = sip.info(row.code)
      assert.is_table(info, "missing " .. row.code)
      if row.code == 202 then
        -- IANA's description column says "Accepted (Deprecated)"; the
        -- phrase on the wire is "Accepted".
        assert.are.equal("Accepted (Deprecated)", row.phrase)
        assert.are.equal("Accepted", info.reason)
        assert.are.equal("deprecated", info.status)
      else
        assert.are.equal(row.phrase, info.reason)
        assert.are.equal("standard", info.status)
      end
      assert.are.equal(row.ref, info.rfc[1])
    end
    for _, e in ipairs(entries) do
      local status = e[2].status
      assert.are.equal(status == "standard" or status == "deprecated",
                       registered[e[1]] == true, "status of " .. e[1])
    end
  end)
end)
