/* main.c — the vos command line. For now: run a command by argv on a fresh
 * in-memory VM, streaming its output (`vos run CMD [ARG...]`), plus
 * --version and --help. The shell, scripts and the REPL grow here later.
 */
#include "vos.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "Usage: vos run [--timeout SECS] [--memory BYTES] [--disk BYTES] [--max-output BYTES]\n"
    "               [--env K=V]... [--cwd PATH] [--] COMMAND [ARG...]\n"
    "       vos --version | --help\n"
    "\n"
    "Run COMMAND inside a new in-memory virtual machine and stream its output.\n"
    "The host environment is never inherited; the exit status is the command's\n"
    "(124 when the time limit ends it).\n";

static void on_output(void *ud, int fd, const void *data, size_t len)
{
    (void)ud;
    fwrite(data, 1, len, fd == 2 ? stderr : stdout);
    if (fd == 2) fflush(stderr);
}

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "vos: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'vos --help' for more information.\n");
    return 2;
}

/* Parse a byte count with an optional K/M/G suffix (powers of 1024). */
static int parse_bytes(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-') return -1;
    int shift = 0;
    switch (*end) {
    case 'K': case 'k': shift = 10; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    }
    if (*end || (shift && v > (UINT64_MAX >> shift))) return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) free(buf);
            buf = nb;
        }
    }
    *len = n;
    return buf;
}

static int cmd_run(int argc, char **argv)
{
    vos_config cfg = {0};
    vos_exec_opts o = {0};
    const char *envs[256];
    int nenv = 0, i = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--timeout") || !strcmp(a, "--memory") || !strcmp(a, "--disk") ||
            !strcmp(a, "--max-output") || !strcmp(a, "--env") || !strcmp(a, "--cwd")) {
            if (!val) return bad_usage("option '%s' requires an argument", a);
            i++;
        } else return bad_usage("unrecognized option '%s'", a);
        uint64_t n = 0;
        if (!strcmp(a, "--timeout")) {
            char *end;
            double secs = strtod(val, &end);
            if (*end || secs <= 0) return bad_usage("invalid time interval '%s'", val);
            o.timeout_ms = (uint64_t)(secs * 1000 + 0.5);
        } else if (!strcmp(a, "--env")) {
            if (!strchr(val, '=') || nenv == 255) return bad_usage("invalid --env '%s'", val);
            envs[nenv++] = val;
        } else if (!strcmp(a, "--cwd")) {
            o.cwd = val;
        } else if (parse_bytes(val, &n) < 0 || !n) {
            return bad_usage("invalid size '%s'", val);
        } else if (!strcmp(a, "--memory")) cfg.limits.memory_bytes = n;
        else if (!strcmp(a, "--disk")) cfg.limits.fs_bytes = n;
        else cfg.limits.output_bytes = n;
    }
    if (i >= argc) return bad_usage("%s", "missing command");
    envs[nenv] = NULL;
    o.env = envs;
    o.on_output = on_output;
    size_t inlen = 0;
    char *in = NULL;
    if (!isatty(0)) {
        in = read_all(stdin, &inlen);
        o.stdin_data = in;
        o.stdin_len = inlen;
    }
    vos_vm *vm = vos_new(&cfg);
    if (!vm) {
        fprintf(stderr, "vos: cannot create a VM: %s\n", strerror(ENOMEM));
        free(in);
        return 1;
    }
    vos_result r;
    int rc = vos_run(vm, argv + i, &o, &r);
    fflush(stdout);
    int status = rc < 0 ? 1 : r.status;
    if (rc < 0) fprintf(stderr, "vos: %s\n", vos_strerror(rc));
    else vos_result_free(&r);
    vos_free(vm);
    free(in);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) return bad_usage("%s", "missing operand");
    if (!strcmp(argv[1], "--version")) {
        printf("vos %s\n", vos_version());
        return 0;
    }
    if (!strcmp(argv[1], "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "run")) return cmd_run(argc - 2, argv + 2);
    return bad_usage("unknown command '%s'", argv[1]);
}
