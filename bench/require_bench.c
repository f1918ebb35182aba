/*
 * require_bench.c - what `require` costs in a fresh lua_State, the way
 * FreeSWITCH's mod_lua runs every script: luaL_newstate + luaL_openlibs,
 * set package.path/cpath, require, lua_close.  Linked against the
 * interpreter's shared liblua (as Kamailio's app_lua is), or its static
 * one with -Wl,-E (as /usr/bin/lua5.x is): bench/require.sh builds both.
 *
 *   require_bench time ROUNDS PATH CPATH MODULE...
 *       Interleaved rounds: in every round each module is required once in
 *       its own fresh state, the order rotating from round to round, so a
 *       burst of load on the machine hits every module alike.  For each
 *       module: the median, 25th and 75th percentile of the microseconds
 *       of CPU time (CLOCK_PROCESS_CPUTIME_ID: user and kernel, not the
 *       time the process waited for a CPU on this shared machine) the
 *       require call took; the median of the per-round ratio to the
 *       first module (the baseline) with its 25th-75th percentile; the
 *       Lua heap the require left behind after a full GC ("retained"), and
 *       what it had allocated before that GC ("peak"); the fopen() calls
 *       the searchers made (succeeded / failed) and the dlopen()s; the
 *       mean minor page faults of the require (getrusage); the median
 *       ratio in each third of the rounds, which shows a drift of the
 *       machine's load during the run; and the median per-round ratio in
 *       wall-clock time (CLOCK_MONOTONIC).
 *
 *   require_bench instr K PATH CPATH MODULE|-
 *       K fresh states, each requiring MODULE ("-": nothing), for callgrind:
 *       CALLGRIND_ZERO_STATS before the first state and a dump labelled
 *       "states" after the last, so the dump holds the K states and
 *       nothing of the process start.  (MODULE - nothing) / K is the cost
 *       of one require in a fresh state, lua_close included.
 *
 *   require_bench instr-req K PATH CPATH MODULE
 *       The same, with CALLGRIND_TOGGLE_COLLECT around the require call
 *       only (run it with --collect-atstart=no): the instructions of the
 *       require call itself, what `time` times.
 *
 *   require_bench trace PATH CPATH MODULE
 *       One require in a fresh state, printing every fopen() and dlopen()
 *       the searchers made and what it gave.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include <valgrind/callgrind.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

/* ---- fopen/dlopen interposition: count what the searchers open ---------- */

static int fopen_ok, fopen_failed, dlopen_calls, tracing;

static FILE *counted_fopen(const char *sym, const char *path, const char *mode)
{
    static FILE *(*real_fopen)(const char *, const char *);
    static FILE *(*real_fopen64)(const char *, const char *);
    FILE *(**real)(const char *, const char *) =
        strcmp(sym, "fopen") == 0 ? &real_fopen : &real_fopen64;
    FILE *f;

    if (!*real)
        *(void **)real = dlsym(RTLD_NEXT, sym);
    f = (*real)(path, mode);
    if (f)
        fopen_ok++;
    else
        fopen_failed++;
    if (tracing)
        printf("  %s(\"%s\") %s\n", sym, path, f ? "ok" : "failed");
    return f;
}

FILE *fopen(const char *path, const char *mode)
{
    return counted_fopen("fopen", path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
    return counted_fopen("fopen64", path, mode);
}

void *dlopen(const char *path, int flags)
{
    static void *(*real_dlopen)(const char *, int);
    void *h;

    if (!real_dlopen)
        *(void **)&real_dlopen = dlsym(RTLD_NEXT, "dlopen");
    h = real_dlopen(path, flags);
    dlopen_calls++;
    if (tracing)
        printf("  dlopen(\"%s\") %s\n", path ? path : "(null)", h ? "ok" : "failed");
    return h;
}

/* ---- one fresh state -------------------------------------------------- */

static double clock_us(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long heap_bytes(lua_State *L)
{
    return (long)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + (long)lua_gc(L, LUA_GCCOUNTB, 0);
}

static lua_State *fresh_state(const char *path, const char *cpath)
{
    lua_State *L = luaL_newstate();

    if (!L) {
        fprintf(stderr, "require_bench: cannot create a lua_State\n");
        exit(1);
    }
    luaL_openlibs(L);
    lua_getglobal(L, "package");
    lua_pushstring(L, path);
    lua_setfield(L, -2, "path");
    lua_pushstring(L, cpath);
    lua_setfield(L, -2, "cpath");
    lua_pop(L, 1);
    return L;
}

static void do_require(lua_State *L, const char *module, int toggle)
{
    lua_getglobal(L, "require");
    lua_pushstring(L, module);
    if (toggle)
        CALLGRIND_TOGGLE_COLLECT;
    if (lua_pcall(L, 1, 1, 0) != 0) {
        if (toggle)
            CALLGRIND_TOGGLE_COLLECT;
        fprintf(stderr, "require %s: %s\n", module, lua_tostring(L, -1));
        exit(1);
    }
    if (toggle)
        CALLGRIND_TOGGLE_COLLECT;
    lua_pop(L, 1);
}

typedef struct {
    double us, wall_us;
    long retained, peak, minflt;
    int ok, failed, dl;
} round_result;


static round_result one_round(const char *path, const char *cpath, const char *module)
{
    lua_State *L = fresh_state(path, cpath);
    round_result r;
    struct rusage u0, u1;  /* minor page faults only: its CPU times are tick-sampled */
    double t0, t1, w0, w1;
    long before;

    lua_gc(L, LUA_GCCOLLECT, 0);
    before = heap_bytes(L);
    fopen_ok = fopen_failed = dlopen_calls = 0;
    getrusage(RUSAGE_SELF, &u0);
    w0 = clock_us(CLOCK_MONOTONIC);
    t0 = clock_us(CLOCK_PROCESS_CPUTIME_ID);
    do_require(L, module, 0);
    t1 = clock_us(CLOCK_PROCESS_CPUTIME_ID);
    w1 = clock_us(CLOCK_MONOTONIC);
    getrusage(RUSAGE_SELF, &u1);
    r.minflt = u1.ru_minflt - u0.ru_minflt;
    r.ok = fopen_ok;
    r.failed = fopen_failed;
    r.dl = dlopen_calls;
    r.peak = heap_bytes(L) - before;
    lua_gc(L, LUA_GCCOLLECT, 0);
    lua_gc(L, LUA_GCCOLLECT, 0);
    r.retained = heap_bytes(L) - before;
    lua_close(L);
    r.us = t1 - t0;
    r.wall_us = w1 - w0;
    return r;
}

static double pct(double *sorted, int n, double p)
{
    int i = (int)(p * (n - 1) + 0.5);
    return sorted[i];
}

static int time_mode(int rounds, const char *path, const char *cpath, int nmod, char **mods)
{
    double **t = calloc((size_t)nmod, sizeof *t);
    double **ratio = calloc((size_t)nmod, sizeof *ratio);
    double **wall = calloc((size_t)nmod, sizeof *wall), **wratio = calloc((size_t)nmod, sizeof *wratio);
    round_result *last = calloc((size_t)nmod, sizeof *last);
    double *flt = calloc((size_t)nmod, sizeof *flt);
    int r, j, m;

    if (!t || !ratio || !last || !flt || !wall || !wratio)
        return 1;
    for (m = 0; m < nmod; m++) {
        t[m] = malloc(sizeof(double) * (size_t)rounds);
        ratio[m] = malloc(sizeof(double) * (size_t)rounds);
        wall[m] = malloc(sizeof(double) * (size_t)rounds);
        wratio[m] = malloc(sizeof(double) * (size_t)rounds);
        if (!t[m] || !ratio[m] || !wall[m] || !wratio[m])
            return 1;
        /* Warm-up: the first dlopen of a file, the page cache. */
        last[m] = one_round(path, cpath, mods[m]);
    }
    for (r = 0; r < rounds; r++) {
        for (j = 0; j < nmod; j++) {
            m = (r + j) % nmod;
            last[m] = one_round(path, cpath, mods[m]);
            t[m][r] = last[m].us;
            wall[m][r] = last[m].wall_us;
            flt[m] += (double)last[m].minflt;
        }
        for (m = 0; m < nmod; m++) {
            ratio[m][r] = t[m][r] / t[0][r];
            wratio[m][r] = wall[m][r] / wall[0][r];
        }
    }
    printf("%-22s %9s %9s %9s %8s %15s %16s %8s %9s %9s %8s %6s %6s\n", "module", "median_us",
           "p25_us", "p75_us", "ratio", "ratio_p25-p75", "ratio_by_third", "wall", "retained",
           "peak", "fopen", "dlopen", "faults");
    for (m = 0; m < nmod; m++) {
        char fo[32], rr[32], th[48];
        int third = rounds / 3, k;
        double med[3];
        /* The median ratio of each third of the rounds, before sorting: a
         * drift of the machine's load over the run shows here. */
        for (k = 0; k < 3; k++) {
            double *part = malloc(sizeof(double) * (size_t)(third > 0 ? third : 1));
            int i;
            if (!part || third < 1) {
                med[k] = 0;
                free(part);
                continue;
            }
            for (i = 0; i < third; i++)
                part[i] = ratio[m][k * third + i];
            qsort(part, (size_t)third, sizeof(double), cmp_double);
            med[k] = pct(part, third, 0.5);
            free(part);
        }
        qsort(t[m], (size_t)rounds, sizeof(double), cmp_double);
        qsort(ratio[m], (size_t)rounds, sizeof(double), cmp_double);
        qsort(wratio[m], (size_t)rounds, sizeof(double), cmp_double);
        snprintf(fo, sizeof fo, "%d/%d", last[m].ok, last[m].failed);
        snprintf(rr, sizeof rr, "%.2f-%.2f", pct(ratio[m], rounds, 0.25), pct(ratio[m], rounds, 0.75));
        snprintf(th, sizeof th, "%.2f/%.2f/%.2f", med[0], med[1], med[2]);
        printf("%-22s %9.1f %9.1f %9.1f %7.2fx %15s %16s %7.2fx %9ld %9ld %8s %6d %6.1f\n",
               mods[m], pct(t[m], rounds, 0.5), pct(t[m], rounds, 0.25), pct(t[m], rounds, 0.75),
               pct(ratio[m], rounds, 0.5), rr, th, pct(wratio[m], rounds, 0.5), last[m].retained,
               last[m].peak, fo, last[m].dl, flt[m] / rounds);
    }
    return 0;
}

static int instr_mode(int k, const char *path, const char *cpath, const char *module, int toggle)
{
    int i;

    CALLGRIND_ZERO_STATS;
    for (i = 0; i < k; i++) {
        lua_State *L = fresh_state(path, cpath);
        if (strcmp(module, "-") != 0)
            do_require(L, module, toggle);
        lua_close(L);
    }
    CALLGRIND_DUMP_STATS_AT("states");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 6 && strcmp(argv[1], "time") == 0) {
        int rounds = atoi(argv[2]);
        return time_mode(rounds < 1 ? 1 : rounds, argv[3], argv[4], argc - 5, argv + 5);
    }
    if (argc == 6 && (strcmp(argv[1], "instr") == 0 || strcmp(argv[1], "instr-req") == 0)) {
        int k = atoi(argv[2]);
        return instr_mode(k < 1 ? 1 : k, argv[3], argv[4], argv[5], argv[1][5] == '-');
    }
    if (argc == 5 && strcmp(argv[1], "trace") == 0) {
        lua_State *L = fresh_state(argv[2], argv[3]);
        printf("require \"%s\":\n", argv[4]);
        tracing = 1;
        do_require(L, argv[4], 0);
        tracing = 0;
        lua_close(L);
        return 0;
    }
    fprintf(stderr,
            "usage: %s time ROUNDS PATH CPATH MODULE...\n"
            "       %s instr|instr-req K PATH CPATH MODULE|-\n"
            "       %s trace PATH CPATH MODULE\n",
            argv[0], argv[0], argv[0]);
    return 2;
}
