/* bench_ls.c — `ls -lR` over a 10,000-file tree (100 directories of 100
 * files) in vos against GNU ls on a tmpfs tree of the same shape. vos runs
 * the listing with vos_exec in a VM holding the tree; GNU ls runs as a
 * process. Also `ls -R` (names only) and `du -s` / `tree` over the same
 * tree for reference. Prints RESULT lines (ms, and GNU/vos speedups). */
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

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double run_vos(vos_vm *vm, const char *script)
{
    vos_result r;
    double t0 = now_ms();
    int rc = vos_exec(vm, script, NULL, &r);
    double t = now_ms() - t0;
    if (rc == 0) {
        if (r.status) fprintf(stderr, "vos: status %d: %.200s\n", r.status, r.err);
        vos_result_free(&r);
    }
    return t;
}

static double run_host(char *const argv[])
{
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    double t0 = now_ms();
    if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) return -1;
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

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

/* The host tree: on /dev/shm (tmpfs) when it is there. */
static int make_host_tree(char *dir, size_t n)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, n, "%s/vos-bench-ls-XXXXXX", base);
    if (!mkdtemp(dir)) return -1;
    char path[512];
    for (int d = 0; d < 100; d++) {
        snprintf(path, sizeof path, "%s/d%d", dir, d);
        if (mkdir(path, 0755) < 0) return -1;
        for (int f = 0; f < 100; f++) {
            snprintf(path, sizeof path, "%s/d%d/file%d.txt", dir, d, f);
            int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0) return -1;
            if (write(fd, "hello\n", 6) != 6) return -1;
            close(fd);
        }
    }
    return 0;
}

static void remove_host_tree(const char *dir)
{
    char *argv[] = {"rm", "-rf", (char *)dir, NULL};
    run_host(argv);
}

static void bench(const char *name, vos_vm *vm, const char *vos_script, char *const host_argv[],
                  int runs, const char *goal)
{
    double v[16], h[16];
    for (int i = 0; i < runs; i++) {
        v[i] = run_vos(vm, vos_script);
        h[i] = run_host(host_argv);
    }
    double mv = median(v, runs), mh = median(h, runs);
    printf("RESULT %s_vos %.3f ms info\n", name, mv);
    printf("RESULT %s_gnu %.3f ms reference\n", name, mh);
    printf("RESULT %s_speedup %.2f x %s\n", name, mh / mv, goal);
    fflush(stdout);
}

int main(void)
{
    int quick = getenv("BENCH_QUICK") && strcmp(getenv("BENCH_QUICK"), "0");
    int runs = quick ? 1 : 5;
    vos_vm *vm = vos_new(NULL);
    if (!vm) return 1;
    /* the VM tree: the same shape, built by the shell */
    vos_result r;
    const char *setup =
        "mkdir -p /tmp/t && cd /tmp/t && for ((d = 0; d < 100; d++)); do mkdir d$d; "
        "for ((f = 0; f < 100; f++)); do echo hello > d$d/file$f.txt; done; done";
    double t0 = now_ms();
    if (vos_exec(vm, setup, NULL, &r) == 0) {
        if (r.status) fprintf(stderr, "setup: status %d: %.200s\n", r.status, r.err);
        vos_result_free(&r);
    }
    fprintf(stderr, "vos tree built in %.0f ms\n", now_ms() - t0);
    char dir[256];
    if (make_host_tree(dir, sizeof dir) < 0) {
        perror("host tree");
        return 1;
    }
    char *ls_lR[] = {"ls", "-lR", dir, NULL};
    char *ls_R[] = {"ls", "-R", dir, NULL};
    char *du_s[] = {"du", "-s", dir, NULL};
    bench("ls_lR_10k", vm, "ls -lR /tmp/t > /dev/null", ls_lR, runs, ">=1");
    bench("ls_R_10k", vm, "ls -R /tmp/t > /dev/null", ls_R, runs, "info");
    bench("du_s_10k", vm, "du -s /tmp/t > /dev/null", du_s, runs, "info");
    remove_host_tree(dir);
    vos_free(vm);
    return 0;
}
