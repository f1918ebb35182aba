-- percall_report.lua SUITE N LIST DUMPS [LIMIT]: the per-call table of a
-- bench/percall.lua instr run.  LIST is `percall.lua list SUITE` output
-- ("label<TAB>group"), DUMPS the cg_dumps output of the run ("label|N" and
-- "label|0" with their instruction counts).  Per call = (|N - |0) / N, the
-- mean over "|N#1", "|N#2", ... when a case was measured more than once.
--   public:  sip.f, core.f and their difference, per function
--   unknown: each case and its ratio to the first (known) case of its group
--   lookup:  each case against LIMIT instructions (default 600)
local suite, N, list_file, dumps_file, limit = arg[1], tonumber(arg[2]), arg[3], arg[4], tonumber(arg[5] or "600")
local impl = arg[6] or ""

local total = {}
for line in io.lines(dumps_file) do
  local label, t = line:match("^(.*)\t(%d+)$")
  if label then total[label] = tonumber(t) end
end
local function per_call(label)
  local a, b = total[label .. "|" .. N], total[label .. "|0"]
  if a and b then return (a - b) / N end
  -- repeated measurements ("|N#1", "|N#2", ...): their mean
  local sum, n = 0, 0
  while true do
    a, b = total[label .. "|" .. N .. "#" .. (n + 1)], total[label .. "|0#" .. (n + 1)]
    if not a or not b then break end
    sum, n = sum + (a - b) / N, n + 1
  end
  return n > 0 and sum / n or nil
end

local cases = {}
for line in io.lines(list_file) do
  local label, group = line:match("^(.-)\t(.*)$")
  cases[#cases + 1] = { label = label, group = group, pc = per_call(label) }
end

if suite == "public" then
  print(string.format("%-40s %10s %10s %8s %8s", "function (typical arguments) " .. impl, "sip.f", "core.f",
                      "diff", "ratio"))
  local worst = 0
  for i = 1, #cases, 2 do
    local s, c = cases[i], cases[i + 1]
    local d = s.pc - c.pc
    if d / c.pc > worst then worst = d / c.pc end
    print(string.format("%-40s %10.1f %10.1f %8.1f %7.3fx", s.label:gsub("^sip%.", ""), s.pc, c.pc, d, s.pc / c.pc))
  end
  print(string.format("largest excess of sip.f over core.f: %+.1f%%", worst * 100))
elseif suite == "unknown" then
  print(string.format("%-36s %10s %10s", "call " .. impl, "instr", "x known"))
  local first = {}
  local worst, worst_label = 0, ""
  for _, c in ipairs(cases) do
    local f = first[c.group]
    if not f then
      first[c.group] = c
      print(string.format("%-36s %10.1f %10s", c.label, c.pc, "(known)"))
    else
      local r = c.pc / f.pc
      if r > worst then worst, worst_label = r, c.label end
      print(string.format("%-36s %10.1f %9.2fx%s", c.label, c.pc, r, r > 1.3 and "  > 1.3x" or ""))
    end
  end
  print(string.format("largest unknown/known: %.2fx (%s)", worst, worst_label))
elseif suite == "lookup" then
  local loop = per_call("empty loop (x = T)")
  print(string.format("%-52s %8s  %s", "lookup(text) " .. impl, "instr", "target <= " .. limit))
  local worst, worst_label = 0, ""
  for _, c in ipairs(cases) do
    if c.pc > worst then worst, worst_label = c.pc, c.label end
    print(string.format("%-52s %8.1f  %s", c.label, c.pc, c.pc <= limit and "ok" or "OVER"))
  end
  print(string.format("the loop alone (x = T): %.1f per iteration; largest: %.1f (%s)", loop or -1, worst, worst_label))
end
