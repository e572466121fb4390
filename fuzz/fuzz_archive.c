/* fuzz_archive.c — the tar/zip/gzip readers on hostile bytes: the input is
 * written into a VM as an archive and listed and extracted with tar, unzip
 * and gzip (libarchive's callback readers and our extraction code). The
 * first byte picks the tool. Whatever the bytes, nothing may be written
 * outside /tmp/x/out (checked: /tmp/x holds only the archive and out/), no crash,
 * no leak, and the VM must still run a command afterwards. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vos.h"

static vos_vm *vm;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!vm) {
        vos_config cfg = {0};
        cfg.limits.fs_bytes = 8 << 20;
        cfg.limits.output_bytes = 1 << 20;
        cfg.limits.wall_ms = 5000;
        vm = vos_new(&cfg);
        if (!vm) return 0;
    }
    static const char *const scripts[] = {
        "cd /tmp/x && tar -tvf a >/dev/null 2>&1; tar -xf a -C out 2>/dev/null",
        "cd /tmp/x && tar -xpf a -C out --strip-components=1 2>/dev/null; tar -xOf a >/dev/null 2>&1",
        "cd /tmp/x && unzip -l a >/dev/null 2>&1; unzip -o -q a -d out 2>/dev/null",
        "cd /tmp/x && unzip -t a >/dev/null 2>&1; unzip -p a >/dev/null 2>&1",
        "cd /tmp/x && zcat a >/dev/null 2>&1; gzip -l a >/dev/null 2>&1; bzip2 -dc a >/dev/null 2>&1; "
        "xz -dc a >/dev/null 2>&1; file -z a >/dev/null",
    };
    const char *script = scripts[size ? data[0] % 5 : 0];
    vos_result r = {0};
    vos_exec_opts o = {.fresh_session = 1};
    vos_exec(vm, "rm -rf /tmp/x; mkdir -p /tmp/x/out", &o, &r);
    vos_result_free(&r);
    if (size) vos_write_file(vm, "/tmp/x/a", data + 1, size - 1);
    vos_exec(vm, script, &o, &r);
    vos_result_free(&r);
    /* nothing escaped /tmp/x/out */
    char **names = NULL;
    if (vos_list(vm, "/tmp/x", &names) == 0) {
        for (char **n = names; *n; n++)
            if (strcmp(*n, "a") && strcmp(*n, "out")) abort();
        vos_list_free(names);
    }
    if (vos_list(vm, "/tmp", &names) == 0) {
        for (char **n = names; *n; n++)
            if (strcmp(*n, "x")) abort();
        vos_list_free(names);
    }
    struct stat st;
    if (vos_lstat(vm, "/tmp/x/out", &st) == 0 && !S_ISDIR(st.st_mode)) abort();
    vos_exec(vm, "echo ok", &o, &r);
    if (r.status != 0 || !r.out || strcmp(r.out, "ok\n")) abort();
    vos_result_free(&r);
    return 0;
}
