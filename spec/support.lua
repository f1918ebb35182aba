-- What several specs need around the files and commands they check: a
-- file's bytes, a shell word, and a command's output with its exit status.
local M = {}

function M.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- s as one word for sh, quoted.
function M.quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- A shell command's output (stderr too) and exit status.  Children run
-- without LD_PRELOAD: the sanitizer run preloads libasan for busted only.
function M.sh(cmd)
  local p = io.popen("env -u LD_PRELOAD sh -c " .. M.quote(cmd) .. " 2>&1; echo \"rc=$?\"")
  local out = p:read("*a")
  p:close()
  local body, rc = out:match("^(.-)rc=(%d+)\n$")
  return body, tonumber(rc)
end

return M
