/* bench_grep.c — grep and sed against GNU grep 3.8 and GNU sed 4.9 on the
 * same machine in the same run:
 *   grep_rn:   `grep -rn IDENT tree > out` over a generated tree of 10,000
 *              files / 200 MB (100 directories of 100 files of source-like
 *              lines, IDENT on about one line in 2,000), in a VM's memfs,
 *              against GNU grep on the same tree on tmpfs (/dev/shm),
 *              process start included;
 *   grep_rn_regex: the same with `grep -rnE 'IDENT[0-9]+_x'` (PCRE2 path);
 *   sed_sub:   `sed 's/a/b/g' big > out` on a 100 MB file.
 * Prints "RESULT name value unit goal" lines (ms and ratios host/vos).
 * BENCH_QUICK=1: a 10x smaller tree and file, one run each. */
#include "vos.h"
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static int quick;

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

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[n / 2];
}

static void result(const char *name, double v, const char *unit, const char *goal)
{
    printf("RESULT %s %.3f %s %s\n", name, v, unit, goal);
    fflush(stdout);
}

static unsigned long long rng = 88172645463325252ull;
static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

static const char *const words[] = {
    "static", "int", "return", "struct", "const", "char", "void", "size_t", "buffer", "length",
    "offset", "value", "result", "error", "proc", "file", "index", "count", "while", "for",
    "if", "else", "break", "pointer", "memcpy", "strlen", "alloc", "free", "node", "next"};

/* One file of about size bytes; IDENT on about one line in 2,000. */
static size_t make_file(char *buf, size_t size)
{
    size_t n = 0;
    while (n + 128 < size) {
        int nw = 3 + (int)(next_rand() % 8);
        n += (size_t)sprintf(buf + n, "    ");
        for (int i = 0; i < nw; i++) {
            const char *w = words[next_rand() % (sizeof words / sizeof *words)];
            n += (size_t)sprintf(buf + n, "%s%s", i ? " " : "", w);
        }
        if (next_rand() % 2000 == 0) n += (size_t)sprintf(buf + n, " IDENT%u_x", next_rand() % 100);
        buf[n++] = ';';
        buf[n++] = '\n';
    }
    return n;
}

static double run_host(char *const argv[], const char *out)
{
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    double t0 = now_ms();
    if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) return -1;
    int st;
    waitpid(pid, &st, 0);
    double t = now_ms() - t0;
    posix_spawn_file_actions_destroy(&fa);
    return t;
}

static double run_vos(vos_vm *vm, const char *script)
{
    vos_result r;
    double t0 = now_ms();
    int rc = vos_exec(vm, script, NULL, &r);
    double t = now_ms() - t0;
    if (rc == 0) {
        if (r.status > 1) fprintf(stderr, "vos: status %d: %.200s\n", r.status, r.err);
        vos_result_free(&r);
    }
    return t;
}

static void compare(const char *name, vos_vm *vm, const char *script, char *const hargv[],
                    const char *hout, int runs, const char *goal)
{
    double v[8], h[8];
    bool only_vos = getenv("BENCH_ONLY_VOS") != NULL; /* for profiling */
    for (int i = 0; i < runs; i++) {
        v[i] = run_vos(vm, script);
        h[i] = only_vos ? 1 : run_host(hargv, hout);
    }
    double mv = median(v, runs), mh = median(h, runs);
    char n[128];
    snprintf(n, sizeof n, "%s_vos", name);
    result(n, mv, "ms", "info");
    snprintf(n, sizeof n, "%s_gnu", name);
    result(n, mh, "ms", "reference");
    snprintf(n, sizeof n, "%s_speedup", name);
    result(n, mh / mv, "x", goal);
}

int main(void)
{
    quick = getenv("BENCH_QUICK") && strcmp(getenv("BENCH_QUICK"), "0");
    int runs = quick ? 1 : 5;
    int dirs = quick ? 10 : 100, files = 100;
    size_t fsize = 20 * 1024;
    char host[] = "/dev/shm/vos-bench-grep.XXXXXX";
    if (!mkdtemp(host)) {
        perror("mkdtemp");
        return 1;
    }
    vos_vm *vm = vos_new(NULL);
    vos_mkdir(vm, "/tmp/tree", 0755);
    char *buf = malloc(fsize + 256);
    char path[512];
    size_t total = 0;
    for (int d = 0; d < dirs; d++) {
        snprintf(path, sizeof path, "/tmp/tree/d%03d", d);
        vos_mkdir(vm, path, 0755);
        snprintf(path, sizeof path, "%s/d%03d", host, d);
        mkdir(path, 0755);
        for (int f = 0; f < files; f++) {
            size_t n = make_file(buf, fsize);
            total += n;
            snprintf(path, sizeof path, "/tmp/tree/d%03d/f%03d.c", d, f);
            vos_write_file(vm, path, buf, n);
            snprintf(path, sizeof path, "%s/d%03d/f%03d.c", host, d, f);
            FILE *fp = fopen(path, "w");
            if (fp) {
                fwrite(buf, 1, n, fp);
                fclose(fp);
            }
        }
    }
    result("grep_tree_mb", (double)total / 1e6, "MB", "info");

    char tree[600], out[600];
    snprintf(tree, sizeof tree, "%s", host);
    snprintf(out, sizeof out, "%s.out", host);
    /* GNU grep, run in the tree's parent so names match the VM's */
    char *g1[] = {"grep", "-rn", "IDENT", tree, NULL};
    compare("grep_rn", vm, "grep -rn IDENT /tmp/tree > /tmp/o", g1, out, runs, ">=1");
    char *g2[] = {"grep", "-rnE", "IDENT[0-9]+_x", tree, NULL};
    compare("grep_rn_regex", vm, "grep -rnE 'IDENT[0-9]+_x' /tmp/tree > /tmp/o", g2, out, runs,
            "info");
    char *g3[] = {"grep", "-rni", "ident", tree, NULL};
    compare("grep_rni", vm, "grep -rni ident /tmp/tree > /tmp/o", g3, out, runs, "info");

    /* sed on one big file */
    size_t big = quick ? 10u << 20 : 100u << 20;
    char *bb = malloc(big + 256);
    size_t bn = 0;
    while (bn < big) bn += make_file(bb + bn, 64 * 1024 < big - bn + 128 ? 64 * 1024 : big - bn + 128);
    vos_write_file(vm, "/tmp/big", bb, bn);
    char bigpath[600];
    snprintf(bigpath, sizeof bigpath, "%s/big", host);
    FILE *fp = fopen(bigpath, "w");
    if (fp) {
        fwrite(bb, 1, bn, fp);
        fclose(fp);
    }
    result("sed_file_mb", (double)bn / 1e6, "MB", "info");
    char *s1[] = {"sed", "s/a/b/g", bigpath, NULL};
    compare("sed_sub", vm, "sed 's/a/b/g' /tmp/big > /tmp/o", s1, out, runs, ">=0.83");
    char *s2[] = {"sed", "-E", "s/(st)(a)/\\2\\1/g", bigpath, NULL};
    compare("sed_sub_groups", vm, "sed -E 's/(st)(a)/\\2\\1/g' /tmp/big > /tmp/o", s2, out,
            quick ? 1 : 3, "info");

    vos_free(vm);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", host, out);
    if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
    free(buf);
    free(bb);
    return 0;
}
