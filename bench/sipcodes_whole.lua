-- sipcodes_whole.lua: require "sipcodes" and make every public function
-- (the module makes each on first use) and the codes table: what the
-- whole module costs in a fresh state.  bench/require.sh requires it by name.
local sip = require "sipcodes"
for _, name in ipairs({
  "reason", "phrase", "description", "name", "status", "info", "class", "class_name",
  "equivalent", "is_known", "is_valid", "is_provisional", "is_final", "is_success",
  "is_redirection", "is_client_failure", "is_server_failure", "is_global_failure",
  "is_failure", "lookup", "each", "best_response", "format_reason", "format_status_line",
  "parse_reason", "parse_status_line", "required_headers", "from_q850", "q850_class_name",
  "q850_name", "q850_reason", "reason_for", "to_q850", "register",
  "parse_retry_after", "format_retry_after",
}) do
  assert(type(sip[name]) == "function", name)
end
assert(sip.codes)
return sip
