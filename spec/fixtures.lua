-- Reading the copies of the reference tables in spec/fixtures/ (the IANA
-- registry, RFC 3398's tables, FreeSWITCH's tables).  A missing copy is an
-- error, never a skipped test.
local M = {}

-- The rows of a tab-separated file with a header line, each a table keyed
-- by the header's column names.
function M.read_tsv(name)
  local path = "spec/fixtures/" .. name
  local f = io.open(path)
  if not f then
    error("fixture " .. path .. " is missing (run busted from the repository root)", 2)
  end
  local rows, header = {}, nil
  for line in f:lines() do
    local fields = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      fields[#fields + 1] = field
    end
    if not header then
      header = fields
    else
      local row = {}
      for i, column in ipairs(header) do row[column] = fields[i] end
      rows[#rows + 1] = row
    end
  end
  f:close()
  return rows
end

return M
