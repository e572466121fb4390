/* sh-driver.c — runs one script in a fresh VM for the differential shell
 * tests: the VM gets the directory DIR (created, made the cwd) and the
 * script runs like `bash -c SCRIPT`. Prints "OUTLEN ERRLEN STATUS\n", then
 * stdout and stderr bytes. */
#include "vos.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: sh-driver DIR SCRIPT-FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) return 2;
    static char script[1 << 20];
    size_t n = fread(script, 1, sizeof script - 1, f);
    fclose(f);
    script[n] = 0;
    vos_vm *vm = vos_new(NULL);
    if (!vm || vos_mkdir(vm, argv[1], 0755) < 0) return 2;
    char pwd[4200];
    snprintf(pwd, sizeof pwd, "PWD=%s", argv[1]);
    const char *env[] = {pwd, NULL};
    vos_exec_opts o = {.cwd = argv[1], .env = env, .timeout_ms = 10000};
    vos_result r;
    if (vos_exec(vm, script, &o, &r) < 0) return 2;
    printf("%zu %zu %d\n", r.out_len, r.err_len, r.status);
    fwrite(r.out, 1, r.out_len, stdout);
    fwrite(r.err, 1, r.err_len, stdout);
    vos_result_free(&r);
    vos_free(vm);
    return 0;
}
