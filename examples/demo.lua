-- demo.lua: a tour of the sipcodes API.  `make demo` runs it; the README's
-- quick start is this file, and spec/examples_spec.lua checks that every
-- "--> " comment below is what the line prints.
local sip = require "sipcodes"

print(sip.reason(486))                  --> Busy Here
print(sip.reason(486, "de"))            --> Besetzt
print(sip.phrase(499))                  --> Request Failure
print(sip.class_name(486))              --> client_failure
print(sip.is_final(180))                --> false
print(sip.equivalent(431))              --> 400
print(sip.codes.BUSY_HERE)              --> 486
print(sip.lookup("Internal Server Error")) --> 500
print(sip.status(202))                  --> deprecated
print(sip.info(701).status)             --> nonstandard
print(sip.reason(799))                  --> nil
sip.register(799, "Vendor Thing")       -- this lua_State only
print(sip.reason(799))                  --> Vendor Thing
print(sip.codes.VENDOR_THING)           --> 799
