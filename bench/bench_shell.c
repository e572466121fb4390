/* bench_shell.c — the shell against bash on the same machine: a 1,000,000
 * iteration arithmetic loop, 10,000 command substitutions, 10,000
 * two-builtin pipelines, and a 100-level recursive function (100 times).
 * vos runs each script with vos_exec in a fresh VM; bash runs `bash -c`
 * as a process. Prints RESULT lines (times in ms, and vos/bash ratios). */
#include "vos.h"
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double run_vos(const char *script)
{
    vos_vm *vm = vos_new(NULL);
    vos_result r;
    double t0 = now_ms();
    int rc = vos_exec(vm, script, NULL, &r);
    double t = now_ms() - t0;
    if (rc == 0) {
        if (r.status) fprintf(stderr, "vos: status %d: %.200s\n", r.status, r.err);
        vos_result_free(&r);
    }
    vos_free(vm);
    return t;
}

static double run_bash(const char *script)
{
    char *argv[] = {"bash", "-c", (char *)script, NULL};
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
    double t0 = now_ms();
    if (posix_spawnp(&pid, "bash", &fa, NULL, argv, environ) != 0) return -1;
    int st;
    waitpid(pid, &st, 0);
    posix_spawn_file_actions_destroy(&fa);
    return now_ms() - t0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void bench(const char *name, const char *script, int runs, const char *goal)
{
    double v[16], b[16];
    for (int i = 0; i < runs; i++) {
        v[i] = run_vos(script);
        b[i] = run_bash(script);
    }
    qsort(v, (size_t)runs, sizeof *v, cmp);
    qsort(b, (size_t)runs, sizeof *b, cmp);
    double mv = v[runs / 2], mb = b[runs / 2];
    printf("RESULT sh_%s_vos %.3f ms info\n", name, mv);
    printf("RESULT sh_%s_bash %.3f ms reference\n", name, mb);
    printf("RESULT sh_%s_speedup %.2f x %s\n", name, mb / mv, goal);
    fflush(stdout);
}

int main(void)
{
    int quick = getenv("BENCH_QUICK") && strcmp(getenv("BENCH_QUICK"), "0");
    int runs = quick ? 1 : 5;
    bench("arith_loop_1M", quick ? "i=0; while ((i < 100000)); do ((i++)); done"
                                 : "i=0; while ((i < 1000000)); do ((i++)); done",
          runs, ">=1");
    bench("cmdsubst_10k", "for ((i=0;i<10000;i++)); do x=$(echo hi); done", runs, ">=10");
    bench("pipeline_10k", "for ((i=0;i<10000;i++)); do echo hi | true; done", runs, ">=10");
    bench("recursion_100", "f() { if (($1 > 0)); then f $(($1-1)); fi; }; for ((i=0;i<100;i++)); do f 100; done",
          runs, "info");
    return 0;
}
