/* fuzz_sed.c — sed's script compiler and executor on arbitrary scripts.
 * Input: byte 0 picks options (1 -n, 2 -E, 4 -z, 8 -s, 16 --posix, 32 a
 * second -e, 64 -u), then the script up to a NUL (a second NUL starts the
 * second -e when asked), then the standard input. Runs `sed --sandbox`
 * (no e/r/w: the fuzzer must not write files) in one VM with a 1 s wall
 * limit and a 1 MiB output limit: it must end with a status, never crash. */
#include "vos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static vos_vm *vm;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    if (!vm) vm = vos_new(NULL);
    unsigned f = data[0];
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    const char *nul = memchr(p, 0, (size_t)(end - p));
    char *script = strndup(p, nul ? (size_t)(nul - p) : (size_t)(end - p));
    char *script2 = NULL;
    const char *in = nul ? nul + 1 : end;
    if ((f & 32) && in < end) {
        const char *n2 = memchr(in, 0, (size_t)(end - in));
        script2 = strndup(in, n2 ? (size_t)(n2 - in) : (size_t)(end - in));
        in = n2 ? n2 + 1 : end;
    }
    char *argv[16];
    int n = 0;
    argv[n++] = "sed";
    argv[n++] = "--sandbox";
    if (f & 1) argv[n++] = "-n";
    if (f & 2) argv[n++] = "-E";
    if (f & 4) argv[n++] = "-z";
    if (f & 8) argv[n++] = "-s";
    if (f & 16) argv[n++] = "--posix";
    if (f & 64) argv[n++] = "-u";
    argv[n++] = "-e";
    argv[n++] = script;
    if (script2) {
        argv[n++] = "-e";
        argv[n++] = script2;
    }
    argv[n] = NULL;
    vos_exec_opts o = {0};
    o.stdin_data = in;
    o.stdin_len = (size_t)(end - in);
    o.timeout_ms = 1000;
    o.max_output = 1 << 20;
    vos_result r;
    if (vos_run(vm, argv, &o, &r) == 0) vos_result_free(&r);
    free(script);
    free(script2);
    return 0;
}
