/*
 * instr_bench.c - the C core's cost per call in instructions, for
 * `valgrind --tool=callgrind` (bench/run.sh): callgrind counts instructions
 * exactly, whatever else the machine is doing, so these figures are stable
 * where timings are not.
 *
 * Each measured function is called through a volatile function pointer so
 * the compiler cannot inline or hoist it; run.sh divides the inclusive
 * instruction count of each function by its number of calls.  The
 * comparison figures (sofia-sip's sip_status_phrase at ~16 instructions and
 * its status-line parser at ~960) come from the design notes.
 *
 * usage: instr_bench N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipcodes.h"
#include "sipcodes_proto.h"

static const char line[] = "SIP/2.0 486 Busy Here";
static const char reason_hdr[] = "Q.850;cause=16;text=\"Terminated\"";

/* The phrase of a code: what sofia-sip's sip_status_phrase does. */
static const char *bench_reason(int code)
{
    return sipcodes_reason(code, SIPCODES_LANG_EN);
}

static int bench_parse_status_line(void)
{
    sipcodes_status_line sl;
    sipcodes_error err;
    return sipcodes_parse_status_line(line, sizeof line - 1, 0, &sl, &err);
}

static int bench_parse_reason(void)
{
    sipcodes_reason_iter it;
    sipcodes_reason_value v;
    sipcodes_error err;
    int n = 0;

    if (sipcodes_reason_init(&it, reason_hdr, sizeof reason_hdr - 1, &err))
        return -1;
    while (sipcodes_reason_next(&it, &v, &err) == 1)
        n++;
    return n;
}

static int bench_best_response(void)
{
    static const int codes[8] = {180, 503, 404, 486, 407, 603, 500, 302};
    size_t chosen;
    return sipcodes_best_response(codes, 8, &chosen);
}

static int bench_find(void)
{
    return sipcodes_find("busy here", 9);
}

const char *(*volatile reason_fn)(int) = bench_reason;
int (*volatile parse_fn)(void) = bench_parse_status_line;
int (*volatile reason_hdr_fn)(void) = bench_parse_reason;
int (*volatile best_fn)(void) = bench_best_response;
int (*volatile find_fn)(void) = bench_find;

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000, i;
    long sink = 0;

    for (i = 0; i < n; i++) {
        sink += reason_fn(486 + (int)(i & 1)) != NULL;
        sink += parse_fn();
        sink += reason_hdr_fn();
        sink += best_fn();
        sink += find_fn();
    }
    printf("%ld\n", sink);
    return 0;
}
