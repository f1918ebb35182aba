/*
 * alloc_harness.c - sipcodes under allocation failure.  Built and run by
 * `make test-alloc` for Lua 5.1 and 5.4.
 *
 * usage: alloc_harness VERSION LUA_PATH LUA_CPATH CASES.lua
 *
 * The lua_States run on an allocator of our own that keeps exact account
 * of the live bytes and blocks (each block carries its size in a header,
 * checked against the size Lua passes back), and that can be armed to fail
 * allocation number N counted from arming, in one of two modes:
 *
 *   once  only the Nth allocation fails; later ones succeed (Lua 5.4 then
 *         retries after an emergency collection, so this mostly exercises
 *         a full GC at every allocation point);
 *   from  the Nth and every later allocation fail until disarmed.
 *
 * A new block and a block that grows count as allocations; freeing never
 * fails, and neither does shrinking.  Freed memory is poisoned, so that a
 * use after free shows in the results as well as under valgrind.
 *
 * Phases, each for both modes and N = 1, 2, ... until a run completes
 * without reaching the Nth allocation (at most ALLOC_MAX_N):
 *
 *   require  fresh states: require "sipcodes" (and, separately, "sipcodes.
 *            kamailio" and "sipcodes.freeswitch") armed.  The result must
 *            be success or a memory error; then, disarmed, the state must
 *            still work (a second require succeeds and reason(486) is
 *            "Busy Here"), and after lua_close no byte may be left.
 *   cases    ONE long-lived state, as a Kamailio worker has: every case of
 *            CASES.lua armed; the case must succeed or raise a memory
 *            error ("not enough memory": status LUA_ERRMEM, or LUA_ERRRUN
 *            with exactly that message when a Lua pcall re-raised it), and
 *            check() must then succeed disarmed.  Nothing else is
 *            acceptable: a misuse message ("bad argument ...") where the
 *            allocator failed is a bug of the library.  At the end the
 *            state is closed and must leave no byte behind.
 *   fresh    the cases marked `fresh = true` (or `only_fresh = true`)
 *            again, each run in a fresh state (CASES.lua loaded disarmed),
 *            so that first-use paths (lazily made functions, the first
 *            entry of a per-state cache) meet the failure at every N, not
 *            only in the first runs of a long-lived state.
 *
 * On Lua 5.1, require leaves a sentinel in package.loaded when the module's
 * chunk raised, and a second require then fails with "loop or previous
 * error loading module".  That is how 5.1 (and LuaJIT) work, not the
 * library's doing: in the require phase the harness removes such sentinels
 * before the second require, as a host that retries would, and counts them.
 * It never does so in the cases phases (a case that requires a module
 * itself, as a host would, deals with that there).  Likewise require's Lua
 * loader (5.1 and 5.4) words a memory error while compiling a module's
 * file as "error loading module 'm' from file 'f':\n\tnot enough memory";
 * the require phase takes exactly that as a memory error too, and counts
 * it.
 *
 * Output: stats, every failure (phase, case, mode, N, message), and last
 * "alloc-<VERSION>: <P> passed, <F> failed"; the exit status is 1 on any
 * failure.  One check is one require module x mode, one case x mode (per
 * phase), and the final leak check of the long-lived state.  At most
 * ALLOC_MAX_REPORTS (default 3) failed runs are printed per loop, then
 * their count.  With ALLOC_VERBOSE set in the environment, the N each
 * loop ended at goes to stderr.  A run (or check) that has not ended after
 * ALLOC_RUN_TIMEOUT seconds (default 60) is reported as a hang, and the
 * harness stops there.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#ifndef LUA_OK
#define LUA_OK 0
#endif
#if LUA_VERSION_NUM == 501
#define lua_rawlen lua_objlen
#endif

#define NOMEM "not enough memory"
#define ALLOC_MAX_N 20000L   /* give up on a case after this many runs */
static int max_reports = 3; /* failure messages printed per loop; ALLOC_MAX_REPORTS */
#define MAX_FAILURES 50      /* failed runs after which a loop stops */

/* ---- the allocator ----------------------------------------------------------- */

enum { MODE_ONCE, MODE_FROM };
static const char *const mode_names[] = {"once", "from"};

typedef struct {
    size_t live;    /* bytes Lua holds */
    size_t blocks;  /* blocks Lua holds */
    size_t peak;
    int armed;
    int mode;
    long target;    /* N: the allocation (counted from arming) that fails */
    long count;     /* allocations while armed, failed ones included */
    long refused;   /* allocations refused while armed */
    long bad_sizes; /* an osize that is not the block's size, or a foreign block */
} heap;

#define HEAP_MAGIC ((size_t)0x5ca11 ^ (size_t)0xa110c0de)

/* The header in front of every block: its size, and a magic word.  The
 * union keeps what follows aligned as malloc's own blocks are. */
typedef union {
    struct {
        size_t size;
        size_t magic;
    } h;
    long double ld;
    void *p;
    long long ll;
    double d;
} block_header;

static void *heap_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    heap *hp = (heap *)ud;
    block_header *b = NULL, *nb;
    size_t old = 0;

    if (ptr) {
        b = (block_header *)ptr - 1;
        if (b->h.magic != HEAP_MAGIC) {
            hp->bad_sizes++; /* not a live block of ours: leave it alone */
            return NULL;
        }
        old = b->h.size;
        if (old != osize)
            hp->bad_sizes++;
    }
    if (nsize == 0) {
        if (b) {
            hp->live -= old;
            hp->blocks--;
            b->h.magic = 0;
            memset(ptr, 0xa5, old);
            free(b);
        }
        return NULL;
    }
    if (nsize > old && hp->armed) {
        hp->count++;
        if (hp->count == hp->target || (hp->mode == MODE_FROM && hp->count > hp->target)) {
            hp->refused++;
            return NULL;
        }
    }
    if (nsize > (size_t)-1 - sizeof(block_header))
        return NULL;
    if (b && nsize < old)
        memset((char *)ptr + nsize, 0xa5, old - nsize);
    nb = (block_header *)realloc(b, sizeof(block_header) + nsize);
    if (!nb) {
        if (b && nsize <= old) {
            /* A shrink must not fail: keep the block, which is only too
             * large, and account for the size Lua now knows. */
            hp->live -= old - nsize;
            b->h.size = nsize;
            return ptr;
        }
        return NULL; /* a real allocation failure: Lua raises */
    }
    if (!b)
        hp->blocks++;
    hp->live = hp->live - old + nsize;
    if (hp->live > hp->peak)
        hp->peak = hp->live;
    nb->h.size = nsize;
    nb->h.magic = HEAP_MAGIC;
    return nb + 1;
}

static void heap_arm(heap *hp, long target, int mode)
{
    hp->count = 0;
    hp->refused = 0;
    hp->target = target;
    hp->mode = mode;
    hp->armed = 1;
}

static void heap_disarm(heap *hp)
{
    hp->armed = 0;
}

/* ---- results ------------------------------------------------------------------ */

static const char *version = "?";
static int passed, failed;

typedef struct {
    long runs;
    long memerrs;   /* runs that ended in a memory error */
    long maxn;      /* the N at which the loop ended */
} loop_stats;

static loop_stats stats_require[2], stats_cases[2], stats_fresh[2];
static long checks_run, loader_memerrs;
#if LUA_VERSION_NUM == 501
static long sentinels_cleared;
#endif
static size_t peak_long_lived;

/* Per loop (one case or module x mode): failures seen and printed. */
typedef struct {
    const char *phase;
    const char *name;
    int mode;
    int failures;
} loop_report;

static void report(loop_report *r, long n, const char *what, const char *msg)
{
    r->failures++;
    if (r->failures <= max_reports)
        printf("alloc-%s: FAIL %s '%s' %s N=%ld: %s%s%s\n", version, r->phase, r->name,
               mode_names[r->mode], n, what, msg ? ": " : "", msg ? msg : "");
    else if (r->failures == max_reports + 1)
        printf("alloc-%s: FAIL %s '%s' %s: further failures not shown\n", version,
               r->phase, r->name, mode_names[r->mode]);
}

static void tally(loop_report *r)
{
    if (r->failures) {
        if (r->failures > max_reports)
            printf("alloc-%s: FAIL %s '%s' %s: %d failed runs in all\n", version, r->phase,
                   r->name, mode_names[r->mode], r->failures);
        failed++;
    } else {
        passed++;
    }
}

/* ---- the watchdog: a run that never ends is a failure too ------------------ */

/* What is running, for the message; set before each armed run. */
static char running[512];
static unsigned run_timeout = 60; /* seconds; ALLOC_RUN_TIMEOUT */

static void on_alarm(int sig)
{
    char buf[768];
    int n;

    (void)sig;
    n = snprintf(buf, sizeof buf,
                 "alloc-%s: FAIL %s: did not end within %u s (a hang); stopped here\n"
                 "alloc-%s: %d passed, %d failed\n",
                 version, running, run_timeout, version, passed, failed + 1);
    if (n > 0)
        (void)!write(STDOUT_FILENO, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    _exit(1);
}

static void watch(const loop_report *r, long n, const char *what)
{
    snprintf(running, sizeof running, "%s '%s' %s N=%ld (%s)", r->phase, r->name,
             mode_names[r->mode], n, what);
    alarm(run_timeout);
}

static void unwatch(void)
{
    alarm(0);
}

/* Text of the error value at the top of the stack (call disarmed). */
static const char *errtext(lua_State *L)
{
    if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)
        return lua_tostring(L, -1);
    return lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, -1));
}

/* Is the outcome of a pcall (error value at the top) a memory error? */
static int is_memerr(lua_State *L, int status)
{
    if (status != LUA_ERRMEM && status != LUA_ERRRUN)
        return 0;
    return lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), NOMEM) == 0;
}

/* Is it the memory error of compiling a module's file, as require's own
 * Lua loader words it ("error loading module 'm' from file 'f':\n\t" and
 * the message of luaL_loadfile)?  That is the interpreter's wording of a
 * memory error, on 5.1 and 5.4 alike. */
static int is_loader_memerr(lua_State *L, int status)
{
    static const char head[] = "error loading module '", tail[] = ":\n\t" NOMEM;
    const char *s;
    size_t len;

    if (status != LUA_ERRRUN || lua_type(L, -1) != LUA_TSTRING)
        return 0;
    s = lua_tolstring(L, -1, &len);
    return len > sizeof head + sizeof tail && strncmp(s, head, sizeof head - 1) == 0 &&
           strcmp(s + len - (sizeof tail - 1), tail) == 0;
}

/* ---- states -------------------------------------------------------------------- */

static const char *lua_path_arg, *lua_cpath_arg, *cases_file;

static lua_State *new_state(heap *hp)
{
    lua_State *L;

    memset(hp, 0, sizeof *hp);
    L = lua_newstate(heap_alloc, hp);
    if (!L) {
        fprintf(stderr, "alloc-%s: lua_newstate failed\n", version);
        exit(2);
    }
    luaL_openlibs(L);
    lua_getglobal(L, "package");
    lua_pushstring(L, lua_path_arg);
    lua_setfield(L, -2, "path");
    lua_pushstring(L, lua_cpath_arg);
    lua_setfield(L, -2, "cpath");
    lua_pop(L, 1);
    return L;
}

/* Close the state; returns 0, or 1 with a message in buf when it left
 * memory behind or Lua passed a wrong size. */
static int close_state(lua_State *L, heap *hp, char *buf, size_t size)
{
    lua_close(L);
    if (hp->live != 0 || hp->blocks != 0) {
        snprintf(buf, size, "%lu bytes in %lu blocks left after lua_close",
                 (unsigned long)hp->live, (unsigned long)hp->blocks);
        return 1;
    }
    if (hp->bad_sizes) {
        snprintf(buf, size, "%ld frees or reallocs with a wrong size", hp->bad_sizes);
        return 1;
    }
    return 0;
}

#if LUA_VERSION_NUM == 501
/* Remove the sentinels a require that raised left in package.loaded. */
static void clear_sentinels(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, "_LOADED");
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawget(L, -3);
        if (lua_type(L, -1) == LUA_TLIGHTUSERDATA) {
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            lua_pushnil(L);
            lua_rawset(L, -4);
            sentinels_cleared++;
        } else {
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}
#endif

/* ---- the require phase ----------------------------------------------------------- */

/* Run disarmed after the armed require: `...` is the module name. */
static const char verify_require[] =
    "local name = ...\n"
    "local m = require(name)\n"
    "assert(type(m) == 'table', 'require gave no table')\n"
    "local sip = require 'sipcodes'\n"
    "assert(sip.reason(486) == 'Busy Here', 'reason(486)')\n"
    "assert(sip.codes.BUSY_HERE == 486, 'codes.BUSY_HERE')\n"
    "if name == 'sipcodes.kamailio' then\n"
    "  assert(m.EXIT == '~~ksr~exit~~' and type(m.new) == 'function', 'kamailio module')\n"
    "  local calls = {}\n"
    "  local K = m.new({ sl = { sl_send_reply = function(c, r)\n"
    "    calls[#calls + 1] = c .. ' ' .. r\n"
    "    return 1\n"
    "  end } })\n"
    "  K.sl_reply(486)\n"
    "  assert(calls[1] == '486 Busy Here', 'kamailio sl_reply')\n"
    "elseif name == 'sipcodes.freeswitch' then\n"
    "  assert(m.cause_name(17) == 'USER_BUSY' and m.sip_to_cause(486) == 17, 'freeswitch module')\n"
    "end\n";

static void require_phase(const char *module)
{
    int mode;

    for (mode = MODE_ONCE; mode <= MODE_FROM; mode++) {
        loop_report r;
        long n;
        char buf[256];

        r.phase = "require";
        r.name = module;
        r.mode = mode;
        r.failures = 0;
        for (n = 1; n <= ALLOC_MAX_N; n++) {
            heap hp;
            lua_State *L = new_state(&hp);
            int status, reached;

            lua_getglobal(L, "require");
            lua_pushstring(L, module);
            watch(&r, n, "require");
            heap_arm(&hp, n, mode);
            status = lua_pcall(L, 1, 1, 0);
            reached = hp.count >= n;
            heap_disarm(&hp);
            stats_require[mode].runs++;
            if (status != LUA_OK) {
                if (is_memerr(L, status)) {
                    stats_require[mode].memerrs++;
                    if (!reached)
                        report(&r, n, "memory error without a refused allocation", NULL);
                } else if (is_loader_memerr(L, status)) {
                    stats_require[mode].memerrs++;
                    loader_memerrs++;
                } else {
                    report(&r, n, "require raised", errtext(L));
                }
            }
            lua_settop(L, 0);
#if LUA_VERSION_NUM == 501
            if (status != LUA_OK)
                clear_sentinels(L);
#endif
            if (luaL_loadbuffer(L, verify_require, sizeof verify_require - 1, "=verify") !=
                LUA_OK) {
                report(&r, n, "verify chunk", errtext(L));
            } else {
                lua_pushstring(L, module);
                if (lua_pcall(L, 1, 0, 0) != LUA_OK)
                    report(&r, n, status == LUA_OK ? "state broken after require"
                                                   : "state broken after the caught memory error",
                           errtext(L));
            }
            if (close_state(L, &hp, buf, sizeof buf))
                report(&r, n, "leak", buf);
            unwatch();
            if (!reached || r.failures >= MAX_FAILURES)
                break;
        }
        if (n > ALLOC_MAX_N) {
            report(&r, n, "no run completed", NULL);
            n = ALLOC_MAX_N;
        }
        if (n > stats_require[mode].maxn)
            stats_require[mode].maxn = n;
        tally(&r);
    }
}

/* ---- the cases phases --------------------------------------------------------------- */

/* Load CASES.lua and leave its table at the top; 0, or 1 with the error. */
static int load_cases(lua_State *L)
{
    if (luaL_loadfile(L, cases_file) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
        return 1;
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_pushliteral(L, "CASES.lua returned no table");
        return 1;
    }
    lua_getfield(L, -1, "cases");
    lua_getfield(L, -2, "check");
    if (!lua_istable(L, -2) || !lua_isfunction(L, -1)) {
        lua_pop(L, 3);
        lua_pushliteral(L, "CASES.lua must return { cases = {...}, check = function }");
        return 1;
    }
    lua_pop(L, 2);
    return 0;
}

/* Push field k of case i of the cases table at idx. */
static void case_field(lua_State *L, int idx, int i, const char *k)
{
    lua_getfield(L, idx, "cases");
    lua_rawgeti(L, -1, i);
    lua_getfield(L, -1, k);
    lua_replace(L, -3);
    lua_pop(L, 1);
}

/* One armed run of case i (the cases table at idx) and the check after
 * it.  Returns 1 when the loop is done (the run did not reach N). */
static int run_case(lua_State *L, heap *hp, int idx, int i, long n, int mode,
                    loop_report *r, loop_stats *st)
{
    int status, reached;

    case_field(L, idx, i, "run");
    watch(r, n, "the case");
    heap_arm(hp, n, mode);
    status = lua_pcall(L, 0, 0, 0);
    reached = hp->count >= n;
    heap_disarm(hp);
    st->runs++;
    if (status != LUA_OK) {
        if (is_memerr(L, status)) {
            st->memerrs++;
            if (!reached)
                report(r, n, "memory error without a refused allocation", NULL);
        } else {
            report(r, n, reached ? "raised (allocation refused)" : "raised", errtext(L));
        }
        lua_pop(L, 1);
    }
    lua_getfield(L, idx, "check");
    checks_run++;
    watch(r, n, "check()");
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
        report(r, n, "check() failed", errtext(L));
        lua_pop(L, 1);
    }
    unwatch();
    return !reached || r->failures >= MAX_FAILURES;
}

static int verbose; /* ALLOC_VERBOSE set: one line per loop */

static void end_loop(loop_report *r, loop_stats *st, long n)
{
    if (verbose)
        fprintf(stderr, "alloc-%s: %s '%s' %s: ended at N=%ld\n", version, r->phase, r->name,
                mode_names[r->mode], n);
    if (n > ALLOC_MAX_N) {
        report(r, n, "no run completed", NULL);
        n = ALLOC_MAX_N;
    }
    if (n > st->maxn)
        st->maxn = n;
    tally(r);
}

static int flag(lua_State *L, int idx, int i, const char *k)
{
    int v;

    case_field(L, idx, i, k);
    v = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

static void cases_phase(int *ncases, int *nfresh)
{
    heap hp;
    lua_State *L = new_state(&hp);
    loop_report r;
    char names[256][128];
    int fresh[256];
    int i, n, idx, mode;
    char buf[256];

    r.phase = "cases";
    r.name = cases_file;
    r.mode = MODE_ONCE;
    r.failures = 0;
    if (load_cases(L)) {
        report(&r, 0, "loading", errtext(L));
        tally(&r);
        lua_close(L);
        return;
    }
    idx = lua_gettop(L);
    lua_getfield(L, idx, "cases");
    n = (int)lua_rawlen(L, -1);
    lua_pop(L, 1);
    if (n > 256)
        n = 256;
    *ncases = n;
    *nfresh = 0;
    for (i = 1; i <= n; i++) {
        case_field(L, idx, i, "name");
        snprintf(names[i - 1], sizeof names[i - 1], "%s",
                 lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
        lua_pop(L, 1);
        fresh[i - 1] = flag(L, idx, i, "fresh") + 2 * flag(L, idx, i, "only_fresh");
        if (fresh[i - 1])
            (*nfresh)++;
    }

    /* One long-lived state. */
    for (i = 1; i <= n; i++) {
        if (fresh[i - 1] & 2)
            continue;
        for (mode = MODE_ONCE; mode <= MODE_FROM; mode++) {
            long k;
            r.phase = "cases";
            r.name = names[i - 1];
            r.mode = mode;
            r.failures = 0;
            for (k = 1; k <= ALLOC_MAX_N; k++)
                if (run_case(L, &hp, idx, i, k, mode, &r, &stats_cases[mode]))
                    break;
            end_loop(&r, &stats_cases[mode], k);
        }
    }
    lua_settop(L, 0);
    peak_long_lived = hp.peak;
    r.phase = "cases";
    r.name = "lua_close of the long-lived state";
    r.mode = MODE_ONCE;
    r.failures = 0;
    if (close_state(L, &hp, buf, sizeof buf))
        report(&r, 0, "leak", buf);
    tally(&r);

    /* Fresh states, for the cases that ask for them. */
    for (i = 1; i <= n; i++) {
        if (!fresh[i - 1])
            continue;
        for (mode = MODE_ONCE; mode <= MODE_FROM; mode++) {
            long k;
            r.phase = "fresh";
            r.name = names[i - 1];
            r.mode = mode;
            r.failures = 0;
            for (k = 1; k <= ALLOC_MAX_N; k++) {
                heap fh;
                lua_State *F = new_state(&fh);
                int done;
                if (load_cases(F)) {
                    report(&r, k, "loading", errtext(F));
                    lua_close(F);
                    break;
                }
                done = run_case(F, &fh, lua_gettop(F), i, k, mode, &r, &stats_fresh[mode]);
                if (close_state(F, &fh, buf, sizeof buf))
                    report(&r, k, "leak", buf);
                if (done)
                    break;
            }
            end_loop(&r, &stats_fresh[mode], k);
        }
    }
}

static void print_stats(const char *what, const loop_stats *st)
{
    int mode;

    for (mode = MODE_ONCE; mode <= MODE_FROM; mode++)
        printf("alloc-%s: %-8s %s: %6ld runs, %6ld memory errors, largest N %ld\n", version,
               what, mode_names[mode], st[mode].runs, st[mode].memerrs, st[mode].maxn);
}

int main(int argc, char **argv)
{
    static const char *const modules[] = {"sipcodes", "sipcodes.kamailio", "sipcodes.freeswitch"};
    int ncases = 0, nfresh = 0;
    size_t m;

    if (argc != 5) {
        fprintf(stderr, "usage: %s VERSION LUA_PATH LUA_CPATH CASES.lua\n", argv[0]);
        return 2;
    }
    version = argv[1];
    lua_path_arg = argv[2];
    lua_cpath_arg = argv[3];
    cases_file = argv[4];
    setvbuf(stdout, NULL, _IOLBF, 0);
    verbose = getenv("ALLOC_VERBOSE") != NULL;
    if (getenv("ALLOC_MAX_REPORTS") && atoi(getenv("ALLOC_MAX_REPORTS")) > 0)
        max_reports = atoi(getenv("ALLOC_MAX_REPORTS"));
    if (getenv("ALLOC_RUN_TIMEOUT") && atoi(getenv("ALLOC_RUN_TIMEOUT")) > 0)
        run_timeout = (unsigned)atoi(getenv("ALLOC_RUN_TIMEOUT"));
    signal(SIGALRM, on_alarm);

    for (m = 0; m < sizeof modules / sizeof modules[0]; m++)
        require_phase(modules[m]);
    cases_phase(&ncases, &nfresh);

    printf("alloc-%s: %s (%s), %d cases, %d of them in fresh states (too, or only)\n", version,
           LUA_RELEASE, cases_file, ncases, nfresh);
    print_stats("require", stats_require);
    print_stats("cases", stats_cases);
    print_stats("fresh", stats_fresh);
    printf("alloc-%s: require: %ld of the memory errors worded by require's file loader\n",
           version, loader_memerrs);
    printf("alloc-%s: check() ran %ld times; peak of the long-lived state %lu bytes",
           version, checks_run, (unsigned long)peak_long_lived);
#if LUA_VERSION_NUM == 501
    printf("; require sentinels removed (require phase) %ld", sentinels_cleared);
#endif
    printf("\n");
    printf("alloc-%s: %d passed, %d failed\n", version, passed, failed);
    return failed ? 1 : 0;
}
