/* bench_text.c — the text tools against the host's GNU tools on the same
 * data: sort of 1,000,000 random lines (plain, -n, -k2), sha256sum and
 * md5sum of 200 MB, and a few streaming filters (tr, cut, uniq, tail,
 * base64) over 50 MB. vos reads the input from its in-memory filesystem
 * (written with vos_write_file) and writes to /dev/null; the host tool
 * reads a file in /dev/shm (or /tmp) and writes to /dev/null.
 * Prints "RESULT name value unit goal": times in ms and vos/host ratios. */
#include "vos.h"
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static int quick;
static char host_dir[256];

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double run_vos(vos_vm *vm, const char *script)
{
    vos_result r;
    double t0 = now_ms();
    int rc = vos_exec(vm, script, NULL, &r);
    double t = now_ms() - t0;
    if (rc != 0)
        fprintf(stderr, "vos: %s: exec failed (%d)\n", script, rc);
    else {
        if (r.status) fprintf(stderr, "vos: %s: status %d: %.200s\n", script, r.status, r.err);
        vos_result_free(&r);
    }
    return t;
}

/* bash -c SCRIPT with LC_ALL unset and LANG=C.UTF-8, like the VM. */
static double run_host(const char *script)
{
    char *argv[] = {"bash", "-c", (char *)script, NULL};
    char *envp[] = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", NULL};
    pid_t pid;
    double t0 = now_ms();
    if (posix_spawnp(&pid, "bash", NULL, NULL, argv, envp) != 0) return -1;
    int st;
    waitpid(pid, &st, 0);
    return now_ms() - t0;
}

static void result(const char *name, double v, const char *unit, const char *goal)
{
    printf("RESULT %s %.3f %s %s\n", name, v, unit, goal);
    fflush(stdout);
}

/* Time SCRIPT (with %s for the data directory) in vos and on the host. */
static void compare(vos_vm *vm, const char *name, const char *fmt, const char *goal)
{
    int runs = quick ? 1 : 3;
    double v[8], h[8];
    char vs[512], hs[512];
    snprintf(vs, sizeof vs, fmt, "/tmp/data");
    snprintf(hs, sizeof hs, fmt, host_dir);
    for (int i = 0; i < runs; i++) {
        v[i] = run_vos(vm, vs);
        h[i] = run_host(hs);
    }
    qsort(v, (size_t)runs, sizeof *v, cmp_d);
    qsort(h, (size_t)runs, sizeof *h, cmp_d);
    char n[128];
    snprintf(n, sizeof n, "text_%s_vos", name);
    result(n, v[runs / 2], "ms", "info");
    snprintf(n, sizeof n, "text_%s_gnu", name);
    result(n, h[runs / 2], "ms", "reference");
    snprintf(n, sizeof n, "text_%s_ratio", name);
    result(n, v[runs / 2] / h[runs / 2], "x", goal);
}

static int put(vos_vm *vm, const char *name, const char *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "/tmp/data/%s", name);
    if (vos_write_file(vm, path, data, len) < 0) return -1;
    snprintf(path, sizeof path, "%s/%s", host_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(data, 1, len, f);
    fclose(f);
    return w == len ? 0 : -1;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

int main(void)
{
    quick = getenv("BENCH_QUICK") && strcmp(getenv("BENCH_QUICK"), "0");
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(host_dir, sizeof host_dir, "%s/vos-bench-text-%d", base, (int)getpid());
    mkdir(host_dir, 0755);

    vos_vm *vm = vos_new(NULL);
    if (!vm) return 1;
    vos_result r;
    if (vos_exec(vm, "mkdir -p /tmp/data", NULL, &r) == 0) vos_result_free(&r);

    /* 1,000,000 lines: a word, a number, random text. */
    size_t nlines = quick ? 100000 : 1000000;
    size_t cap = nlines * 48, len = 0;
    char *lines = malloc(cap);
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789 ";
    for (size_t i = 0; i < nlines; i++) {
        uint64_t x = next();
        int w = 3 + (int)(x % 8), t = 5 + (int)((x >> 8) % 25);
        for (int k = 0; k < w; k++) lines[len++] = alpha[next() % 26];
        len += (size_t)sprintf(lines + len, " %d ", (int)(next() % 1000000));
        for (int k = 0; k < t; k++) lines[len++] = alpha[next() % 37];
        lines[len++] = '\n';
    }
    if (put(vm, "lines", lines, len) < 0) return 1;
    compare(vm, "sort_1M", "sort %s/lines > /dev/null", "<=1.5");
    compare(vm, "sort_n_1M", "sort -n -k2,2 %s/lines > /dev/null", "<=1.5");
    compare(vm, "sort_k1_1M", "sort -k1,1 %s/lines > /dev/null", "<=1.5");
    compare(vm, "sort_u_1M", "sort -u %s/lines > /dev/null", "<=1.5");
    compare(vm, "uniq_c_1M", "uniq -c %s/lines > /dev/null", "<=2");
    compare(vm, "cut_f2_1M", "cut -d' ' -f2 %s/lines > /dev/null", "<=2");
    compare(vm, "tr_1M", "tr a-z A-Z < %s/lines > /dev/null", "<=2");
    compare(vm, "tail_1M", "tail -n 1000 %s/lines > /dev/null", "<=2");
    compare(vm, "base64_1M", "base64 %s/lines > /dev/null", "<=2");
    free(lines);

    size_t big = quick ? (size_t)20 << 20 : (size_t)200 << 20;
    char *data = malloc(big);
    for (size_t i = 0; i + 8 <= big; i += 8) {
        uint64_t x = next();
        memcpy(data + i, &x, 8);
    }
    if (put(vm, "big", data, big) < 0) return 1;
    free(data);
    compare(vm, "sha256sum_200M", "sha256sum %s/big > /dev/null", "<=1.2");
    compare(vm, "md5sum_200M", "md5sum %s/big > /dev/null", "<=1.5");
    compare(vm, "sha1sum_200M", "sha1sum %s/big > /dev/null", "<=1.5");
    compare(vm, "b2sum_200M", "b2sum %s/big > /dev/null", "<=1.5");
    compare(vm, "cksum_200M", "cksum %s/big > /dev/null", "info");

    vos_free(vm);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s/lines", host_dir);
    unlink(cmd);
    snprintf(cmd, sizeof cmd, "%s/big", host_dir);
    unlink(cmd);
    rmdir(host_dir);
    return 0;
}
