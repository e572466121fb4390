/* bench_kernel.c — the kernel's costs: creating and freeing a VM, memory
 * per idle VM, forking a big VM, and leaks across many new/run/free cycles.
 * Compared in the same run with what a host gives: posix_spawn of /bin/true
 * (process start) and cp -a of the same tree on /dev/shm (a filesystem copy).
 * Prints "RESULT name value unit goal" lines that scripts/run-bench reads.
 */
#include "vos.h"
#include <malloc.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static int quick;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
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

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static void bench_new_free(void)
{
    vos_free(vos_new(NULL)); /* builds the shared image once */
    int n = quick ? 2000 : 20000;
    double *t = malloc(sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) {
        double t0 = now_us();
        vos_free(vos_new(NULL));
        t[i] = now_us() - t0;
    }
    result("vos_new_free", median(t, n), "us", "<=10");
    int m = quick ? 50 : 300;
    for (int i = 0; i < m; i++) {
        char *argv[] = {"/bin/true", NULL};
        pid_t pid;
        double t0 = now_us();
        if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) == 0) waitpid(pid, NULL, 0);
        t[i] = now_us() - t0;
    }
    result("host_spawn_true", median(t, m), "us", "reference");
    free(t);
}

static void bench_idle_memory(void)
{
    int n = quick ? 1000 : 10000;
    vos_vm **vms = malloc(sizeof *vms * (size_t)n);
    malloc_trim(0);
    struct mallinfo2 a = mallinfo2();
    long r0 = rss_kib();
    for (int i = 0; i < n; i++) vms[i] = vos_new(NULL);
    struct mallinfo2 b = mallinfo2();
    long r1 = rss_kib();
    result("idle_vm_heap_bytes", (double)(b.uordblks - a.uordblks) / n, "B", "<=8192");
    result("idle_vm_rss_bytes", (double)(r1 - r0) * 1024 / n, "B", "<=8192");
    for (int i = 0; i < n; i++) vos_free(vms[i]);
    free(vms);
}

static void bench_fork(void)
{
    vos_vm *vm = vos_new(NULL);
    int files = quick ? 1000 : 10000;
    size_t big = quick ? (10u << 20) : (100u << 20);
    char *blob = malloc(big);
    memset(blob, 'x', big);
    char path[64];
    vos_mkdir(vm, "tree", 0755);
    for (int i = 0; i < files; i++) {
        if (i % 100 == 0) {
            snprintf(path, sizeof path, "tree/d%d", i / 100);
            vos_mkdir(vm, path, 0755);
        }
        snprintf(path, sizeof path, "tree/d%d/f%d.txt", i / 100, i);
        vos_write_file(vm, path, path, strlen(path));
    }
    vos_write_file(vm, "tree/big.bin", blob, big);
    int n = quick ? 200 : 2000;
    double *t = malloc(sizeof(double) * (size_t)n);
    vos_vm **kids = malloc(sizeof *kids * (size_t)n);
    malloc_trim(0);
    struct mallinfo2 a = mallinfo2();
    for (int i = 0; i < n; i++) {
        double t0 = now_us();
        kids[i] = vos_fork(vm);
        t[i] = now_us() - t0;
    }
    struct mallinfo2 b = mallinfo2();
    result("fork_10k_files_100MB", median(t, n), "us", "<=5");
    result("fork_added_bytes", (double)(b.uordblks - a.uordblks) / n, "B", "<=4096");
    /* A write in a fork copies only what it touches. */
    a = mallinfo2();
    for (int i = 0; i < n; i++) vos_write_file(kids[i], "tree/d5/f500.txt", "changed", 7);
    b = mallinfo2();
    result("fork_then_small_write_bytes", (double)(b.uordblks - a.uordblks) / n, "B", "info");
    for (int i = 0; i < n; i++) vos_free(kids[i]);
    /* Host reference: cp -a of the same tree on tmpfs. */
    char dir[] = "/dev/shm/vos-bench-XXXXXX";
    if (mkdtemp(dir)) {
        char cmd[512];
        snprintf(cmd, sizeof cmd,
                 "cd %s && mkdir -p tree && for d in $(seq 0 %d); do mkdir tree/d$d; done && "
                 "for i in $(seq 0 %d); do echo x > tree/d$((i/100))/f$i.txt; done && "
                 "head -c %zu /dev/zero > tree/big.bin",
                 dir, files / 100 - 1, files - 1, big);
        if (system(cmd) == 0) {
            snprintf(cmd, sizeof cmd, "cp -a %s/tree %s/copy", dir, dir);
            double t0 = now_us();
            int rc = system(cmd);
            double cp = now_us() - t0;
            if (rc == 0) result("host_cp_a_same_tree", cp, "us", "reference");
        }
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd)) fprintf(stderr, "could not remove %s\n", dir);
    }
    free(kids);
    free(t);
    free(blob);
    vos_free(vm);
}

static int b_true(vos_proc *p, int argc, char **argv, void *ud)
{
    return 0;
}

static void bench_cycles(void)
{
    int n = quick ? 10000 : 100000;
    char *argv[] = {"t", NULL};
    /* Warm up the allocator before the first reading. */
    for (int i = 0; i < 1000; i++) {
        vos_vm *vm = vos_new(NULL);
        vos_register_command(vm, "t", b_true, NULL);
        vos_result r;
        vos_run(vm, argv, NULL, &r);
        vos_result_free(&r);
        vos_free(vm);
    }
    long r0 = rss_kib();
    double t0 = now_us();
    for (int i = 0; i < n; i++) {
        vos_vm *vm = vos_new(NULL);
        vos_register_command(vm, "t", b_true, NULL);
        vos_result r;
        vos_run(vm, argv, NULL, &r);
        vos_result_free(&r);
        vos_free(vm);
    }
    double per = (now_us() - t0) / n;
    long r1 = rss_kib();
    result("new_run_free_cycle", per, "us", "info");
    result("cycles_rss_growth_kib", (double)(r1 - r0), "KiB", "<=1024");
}

int main(int argc, char **argv)
{
    quick = getenv("BENCH_QUICK") && *getenv("BENCH_QUICK") && strcmp(getenv("BENCH_QUICK"), "0");
    const char *only = argc > 1 ? argv[1] : "";
    if (!*only || !strcmp(only, "new")) bench_new_free();
    if (!*only || !strcmp(only, "idle")) bench_idle_memory();
    if (!*only || !strcmp(only, "fork")) bench_fork();
    if (!*only || !strcmp(only, "cycles")) bench_cycles();
    return 0;
}
