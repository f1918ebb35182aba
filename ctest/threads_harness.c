/*
 * threads_harness.c - sipcodes in the FreeSWITCH model: many threads, each
 * creating fresh lua_States in a loop, requiring sipcodes, calling every
 * function (register included) and closing the state.  Built and run under
 * ThreadSanitizer by `make test-threads` (part of `make test`).
 *
 * It also checks that a registration never leaks between states: each
 * state registers code 799 with its own phrase and must never see another
 * state's, and a fresh state must see none at all.
 *
 * usage: threads_harness THREADS ROUNDS LUA_PATH LUA_CPATH [PIN.so]
 *
 * PIN.so, when given, is dlopen()ed once before the threads start, so the
 * states' dlopen/dlclose only move its reference count.  The dynamic
 * loader is not instrumented, and without the pin ThreadSanitizer reports
 * the loader's own (lock-protected) bookkeeping as races.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

/* Run in every state; `...` is (thread, round).  Calls each public function
 * once, then the per-state registration checks.  Errors propagate. */
static const char script[] =
    "local thread, round = ...\n"
    "local sip = require 'sipcodes'\n"
    "assert(sip.reason(799) == nil, 'a registration leaked into a fresh state')\n"
    "local mine = 'Thread ' .. thread .. ' Round ' .. round\n"
    "sip.register(799, mine, { name = 'T' .. thread .. '_R' .. round })\n"
    "assert(sip.reason(799) == mine)\n"
    "assert(sip.codes['T' .. thread .. '_R' .. round] == 799)\n"
    "assert(sip.reason(486) == 'Busy Here' and sip.reason(486, 'de'))\n"
    "assert(sip.phrase(499) and sip.description(486) and sip.info(486))\n"
    "assert(sip.name(486) == 'BUSY_HERE' and sip.status(202) == 'deprecated')\n"
    "assert(sip.lookup('busy here') == 486 and sip.lookup(mine) == 799)\n"
    "assert(sip.class(486) == 4 and sip.class_name(486) == 'client_failure')\n"
    "assert(sip.is_valid(486) and sip.is_known(799) and sip.is_final(486))\n"
    "assert(sip.is_provisional(180) and sip.is_success(200))\n"
    "assert(sip.is_redirection(302) and sip.is_client_failure(486))\n"
    "assert(sip.is_server_failure(503) and sip.is_global_failure(603))\n"
    "assert(sip.is_failure(486) and sip.equivalent(431) == 400)\n"
    "assert(sip.codes.BUSY_HERE == 486)\n"
    "local n = 0\n"
    "for code, info in sip.each() do n = n + 1 end\n"
    "assert(n > 80)\n"
    "assert(not pcall(sip.reason, 'x'))\n"
    "assert(sip.parse_status_line('SIP/2.0 486 Busy Here').code == 486)\n"
    "assert(sip.format_status_line(486) == 'SIP/2.0 486 Busy Here')\n"
    "assert(sip.parse_reason('Q.850;cause=16;text=\"x\"')[1].cause == 16)\n"
    "assert(sip.format_reason({ protocol = 'SIP', cause = 200 }) == 'SIP;cause=200')\n"
    "assert(sip.best_response({ 503, 407, 501, 404 }) == 407)\n"
    "assert(sip.required_headers(405)[1].name == 'Allow')\n"
    "assert(sip.to_q850(486) == 17 and sip.from_q850(17) == 486)\n"
    "assert(sip.q850_name(17) and sip.q850_class_name(17) and sip.q850_reason(17))\n"
    "assert(sip.reason_for(486))\n"
    "local fs = require 'sipcodes.freeswitch'\n"
    "assert(fs.cause_number('USER_BUSY') == 17 and fs.cause_name(17) == 'USER_BUSY')\n"
    "assert(fs.sip_to_cause(486) == 17 and fs.cause_to_sip(17) == 486)\n"
    "assert(require('sipcodes.kamailio').best_response({ 486 }) == 486)\n"
    "assert(sip.parse_retry_after('120 (x);duration=60').duration == 60)\n"
    "assert(sip.format_retry_after(120, { comment = 'x' }) == '120 (x)')\n"
    "local policy = require 'sipcodes.policy'\n"
    "local p = policy.new('carrier', { [480] = 'next' })\n"
    "assert(p:decide(480) == 'next' and p:decide(503, { retry_after = 9 }) == 'next_down')\n"
    "assert(p:kamailio_regex('auth') == '^(40[17])$' and #p:codes('amend') == 6)\n"
    "assert(policy.is_alive(404) and policy.choose('busy') == 486)\n"
    "assert(policy.ds_ping_reply_codes({ 403 }) == 'code=403')\n"
    "assert(sip.outcome(486) == 'busy' and select(2, sip.outcome(503)) == 'network')\n"
    "assert(sip.q850_outcome(16, { answered = true }) == 'answered')\n"
    "assert(sip.progress_kind(180, true) == 'early_media')\n"
    "assert(sip.to_q850(488, { warning = 305 }) == 65)\n"
    "local kpi = require 'sipcodes.kpi'\n"
    "local k = kpi.new('homer')\n"
    "k:add(200) k:add(486) k:add(407) k:add(503)\n"
    "assert(k:report().asr == 1 / 3 and k:report().isa == 1 / 3)\n"
    "assert(kpi.profile('rfc6076').seer.codes[5] == 603)\n"
    "assert(sip.warning_text(370) == 'Insufficient bandwidth')\n"
    "assert(sip.warning_info(399).automatic == false)\n"
    "local w = sip.parse_warning('Warning: 305 gw.example.net \"no codec\"')\n"
    "assert(w[1].code == 305 and w[1].agent == 'gw.example.net' and w[1].text == 'no codec')\n"
    "assert(sip.format_warning(w) == '305 gw.example.net \"no codec\"')\n"
    "-- every function once more with odd arguments: errors, never a crash\n"
    "for _, name in ipairs({ 'reason', 'phrase', 'description', 'info', 'name', 'status',\n"
    "    'class', 'class_name', 'equivalent', 'is_known', 'is_valid', 'is_provisional',\n"
    "    'is_final', 'is_success', 'is_redirection', 'is_client_failure',\n"
    "    'is_server_failure', 'is_global_failure', 'is_failure', 'lookup', 'each',\n"
    "    'parse_status_line', 'format_status_line', 'parse_reason', 'format_reason',\n"
    "    'best_response', 'required_headers', 'to_q850', 'from_q850', 'q850_name',\n"
    "    'q850_class_name', 'q850_reason', 'reason_for', 'outcome', 'q850_outcome',\n"
    "    'progress_kind', 'warning_text', 'warning_info', 'parse_warning',\n"
    "    'format_warning' }) do\n"
    "  local f = assert(sip[name], name)\n"
    "  pcall(f, 486) pcall(f, 'SIP/2.0 486 Busy Here') pcall(f, {}) pcall(f)\n"
    "end\n"
    "assert(sip.reason(799) == mine)\n";

struct job {
    int id, rounds, failures;
    const char *path, *cpath;
};

static void *worker(void *arg)
{
    struct job *job = arg;
    int r;

    for (r = 0; r < job->rounds; r++) {
        lua_State *L = luaL_newstate();
        if (!L) {
            job->failures++;
            continue;
        }
        luaL_openlibs(L);
        lua_getglobal(L, "package");
        lua_pushstring(L, job->path);
        lua_setfield(L, -2, "path");
        lua_pushstring(L, job->cpath);
        lua_setfield(L, -2, "cpath");
        lua_pop(L, 1);
        if (luaL_loadstring(L, script) != 0) {
            fprintf(stderr, "load: %s\n", lua_tostring(L, -1));
            job->failures++;
        } else {
            lua_pushinteger(L, job->id);
            lua_pushinteger(L, r);
            if (lua_pcall(L, 2, 0, 0) != 0) {
                fprintf(stderr, "thread %d round %d: %s\n", job->id, r,
                        lua_tostring(L, -1));
                job->failures++;
            }
        }
        lua_close(L);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int nthreads, rounds, i, failures = 0;
    pthread_t *tids;
    struct job *jobs;

    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s THREADS ROUNDS LUA_PATH LUA_CPATH [PIN.so]\n",
                argv[0]);
        return 2;
    }
    if (argc == 6 && !dlopen(argv[5], RTLD_NOW | RTLD_GLOBAL)) {
        fprintf(stderr, "dlopen %s: %s\n", argv[5], dlerror());
        return 1;
    }
    nthreads = atoi(argv[1]);
    rounds = atoi(argv[2]);
    if (nthreads < 1 || rounds < 1)
        return 2;
    tids = calloc((size_t)nthreads, sizeof *tids);
    jobs = calloc((size_t)nthreads, sizeof *jobs);
    if (!tids || !jobs)
        return 1;
    for (i = 0; i < nthreads; i++) {
        jobs[i].id = i;
        jobs[i].rounds = rounds;
        jobs[i].path = argv[3];
        jobs[i].cpath = argv[4];
        if (pthread_create(&tids[i], NULL, worker, &jobs[i]) != 0)
            return 1;
    }
    for (i = 0; i < nthreads; i++) {
        pthread_join(tids[i], NULL);
        failures += jobs[i].failures;
    }
    printf("threads_harness: %d passed, %d failed\n",
           nthreads * rounds - failures, failures);
    free(tids);
    free(jobs);
    return failures ? 1 : 0;
}
