/* bench_mcp.c — the round trip of `vos mcp` over stdio: a client (this
 * program) writes one tools/call line to the server's stdin and waits for
 * the answer line on its stdout. Measured: bash {"command":"echo hi"} (the
 * issue's figure), ping (the protocol and pipes alone), and the same bash
 * call fed to the dispatcher in-process (the tool without the pipes and
 * the worker hand-off). The server is $BUILD/vos (default build/vos).
 * Prints "RESULT name value unit goal" lines that scripts/run-bench reads.
 */
#include "serve/mcp.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

struct server {
    pid_t pid;
    int to, from;
    char buf[65536];
    size_t len;
};

static int start(struct server *s, const char *vos)
{
    int in[2], out[2];
    if (pipe(in) || pipe(out)) return -1;
    s->pid = fork();
    if (s->pid < 0) return -1;
    if (s->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execl(vos, vos, "mcp", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    s->to = in[1];
    s->from = out[0];
    s->len = 0;
    return 0;
}

/* Send one line, read one answer line. 0 or -1. */
static int round_trip(struct server *s, const char *line, char *answer, size_t cap)
{
    size_t n = strlen(line);
    if (write(s->to, line, n) != (ssize_t)n) return -1;
    for (;;) {
        char *nl = memchr(s->buf, '\n', s->len);
        if (nl) {
            size_t l = (size_t)(nl - s->buf);
            snprintf(answer, cap, "%.*s", (int)l, s->buf);
            memmove(s->buf, nl + 1, s->len - l - 1);
            s->len -= l + 1;
            return 0;
        }
        if (s->len == sizeof s->buf) return -1;
        ssize_t r = read(s->from, s->buf + s->len, sizeof s->buf - s->len);
        if (r <= 0) return -1;
        s->len += (size_t)r;
    }
}

static double measure(struct server *s, const char *line, const char *want, int n)
{
    double *t = malloc(sizeof(double) * (size_t)n);
    char ans[4096];
    for (int i = 0; i < n; i++) {
        double t0 = now_us();
        if (round_trip(s, line, ans, sizeof ans) < 0 || !strstr(ans, want)) {
            fprintf(stderr, "bench_mcp: unexpected answer: %s\n", ans);
            free(t);
            return -1;
        }
        t[i] = now_us() - t0;
    }
    double m = median(t, n);
    free(t);
    return m;
}

static void discard(void *ud, const char *msg, size_t len)
{
    (void)ud, (void)msg, (void)len;
}

int main(void)
{
    int quick = getenv("BENCH_QUICK") != NULL;
    int n = quick ? 500 : 5000;
    const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
    char vos[4096];
    snprintf(vos, sizeof vos, "%s/vos", build);
    static const char echo[] = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":"
                               "{\"name\":\"bash\",\"arguments\":{\"command\":\"echo hi\"}}}\n";

    struct server s;
    char ans[4096];
    if (access(vos, X_OK) || start(&s, vos) < 0 ||
        round_trip(&s,
                   "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
                   "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}\n",
                   ans, sizeof ans) < 0) {
        fprintf(stderr, "bench_mcp: cannot start %s mcp\n", vos);
        return 1;
    }
    measure(&s, echo, "\"hi\\n\"", n / 10); /* warm up */
    double bash = measure(&s, echo, "\"hi\\n\"", n);
    double ping =
        measure(&s, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}\n", "\"result\"", n);
    close(s.to);
    int st;
    waitpid(s.pid, &st, 0);
    if (bash >= 0) result("mcp_bash_echo_round_trip", bash, "us", "<=100");
    if (ping >= 0) result("mcp_ping_round_trip", ping, "us", "info");

    /* In-process: the dispatcher and the tool, no pipes, no worker. */
    vos_vm *vm = vos_new(NULL);
    struct mcp *m = vm ? mcp_new(vm, NULL, discard, NULL) : NULL;
    if (!m) return 1;
    static const char init[] = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                               "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}";
    mcp_handle_line(m, init, sizeof init - 1);
    double *t = malloc(sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) {
        double t0 = now_us();
        mcp_handle_line(m, echo, sizeof echo - 2);
        t[i] = now_us() - t0;
    }
    result("mcp_bash_echo_in_process", median(t, n), "us", "info");
    free(t);
    mcp_free(m, 0);
    vos_free(vm);
    return 0;
}
