/* main.c — the vos command line. Options (options.c) describe a VM: limits,
 * the user's project mounted at /workspace (--root), more host mounts, the
 * environment. What runs in it is, for now, a command by argv
 * (`vos [OPTIONS] run COMMAND [ARG...]`); the shell's `-c SCRIPT`, script
 * files and stdin scripts plug into run_in_vm() as other kinds of "what".
 */
#include "cli/options.h"
#include "vos.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "Usage: vos [OPTION]... run COMMAND [ARG]...\n"
    "Run COMMAND inside a new virtual machine and stream its output.\n"
    "\n"
    "  --root DIR[:VMPATH]   mount host directory DIR at VMPATH (default /workspace)\n"
    "                        as a copy-on-write overlay and start there: writes stay\n"
    "                        in memory\n"
    "  --rw                  make --root read-write (changes go to DIR; still confined)\n"
    "  --mount SRC:DST[:ro|rw|overlay]\n"
    "                        mount host directory SRC at DST (default ro); repeatable\n"
    "  --cwd PATH            working directory inside the VM\n"
    "  --env NAME=VALUE      set a variable (the host environment is never inherited)\n"
    "  --env-file FILE       set the NAME=VALUE lines of FILE (# comments)\n"
    "  --diff                at exit, print the changes under --root as a unified diff\n"
    "  --apply               at exit, write the changes under --root back to DIR\n"
    "  --json                print {\"stdout\",\"stderr\",\"exitCode\"} instead of streaming\n"
    "  --timeout SECS        wall time limit (exit status 124 when it ends the command)\n"
    "  --memory BYTES        memory limit (K, M, G suffixes)\n"
    "  --disk BYTES          limit of the VM's in-memory filesystem and overlay data\n"
    "  --max-output BYTES    limit of stdout + stderr\n"
    "  --help                display this help and exit\n"
    "  --version             output version information and exit\n"
    "\n"
    "The exit status is the command's; 2 for bad usage.\n";

/* What to run in the VM. The shell adds VOS_RUN_SCRIPT (-c, file, stdin). */
enum run_kind { RUN_ARGV };
struct run_what {
    enum run_kind kind;
    char **argv;
};

static int bad_usage(const char *msg)
{
    fprintf(stderr, "vos: %s\nTry 'vos --help' for more information.\n", msg);
    return 2;
}

static void on_output(void *ud, int fd, const void *data, size_t len)
{
    (void)ud;
    fwrite(data, 1, len, fd == 2 ? stderr : stdout);
    if (fd == 2) fflush(stderr);
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

static void json_string(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out); /* UTF-8 passes through */
    }
    fputc('"', out);
}

/* Run what in a VM made from o; print as o says; return the exit status. */
static int run_in_vm(const struct cli_opts *o, const struct run_what *what)
{
    char err[4200];
    vos_vm *vm;
    const char *cwd;
    int st = cli_make_vm(o, &vm, &cwd, err, sizeof err);
    if (st) {
        fprintf(stderr, "vos: %s\n", err);
        return st;
    }
    vos_exec_opts eo = {0};
    eo.cwd = cwd;
    eo.timeout_ms = o->timeout_ms;
    eo.max_output = o->max_output;
    if (!o->json) eo.on_output = on_output;
    size_t inlen = 0;
    char *in = NULL;
    if (!isatty(0)) {
        in = read_all(stdin, &inlen);
        eo.stdin_data = in;
        eo.stdin_len = inlen;
    }
    vos_result r;
    int rc = vos_run(vm, what->argv, &eo, &r);
    fflush(stdout);
    int status = rc < 0 ? 1 : r.status;
    char *diff = NULL;
    size_t dlen = 0;
    if (rc < 0) fprintf(stderr, "vos: %s\n", vos_strerror(rc));
    const char *at = o->root_at ? o->root_at : "/workspace";
    if (o->diff) {
        int d = vos_overlay_diff(vm, at, &diff, &dlen);
        if (d < 0) {
            fprintf(stderr, "vos: --diff: %s\n", vos_strerror(d));
            status = status ? status : 1;
        }
    }
    if (o->json) {
        fputs("{\"stdout\":", stdout);
        json_string(stdout, rc < 0 ? "" : r.out, rc < 0 ? 0 : r.out_len);
        fputs(",\"stderr\":", stdout);
        json_string(stdout, rc < 0 ? "" : r.err, rc < 0 ? 0 : r.err_len);
        fprintf(stdout, ",\"exitCode\":%d", status);
        if (diff) {
            fputs(",\"diff\":", stdout);
            json_string(stdout, diff, dlen);
        }
        fputs("}\n", stdout);
    } else if (diff) {
        fwrite(diff, 1, dlen, stdout);
    }
    fflush(stdout);
    if (o->apply) {
        int a = vos_overlay_apply(vm, at);
        if (a < 0) {
            fprintf(stderr, "vos: --apply: %s\n", vos_strerror(a));
            status = status ? status : 1;
        }
    }
    if (rc == 0) vos_result_free(&r);
    free(diff);
    vos_free(vm);
    free(in);
    return status;
}

int main(int argc, char **argv)
{
    struct cli_opts o;
    char err[4200];
    int st = cli_parse(argc, argv, &o, err, sizeof err);
    if (st) {
        cli_opts_free(&o);
        return bad_usage(err);
    }
    if (o.help || o.version) {
        if (o.help)
            fputs(usage, stdout);
        else
            printf("vos %s\n", vos_version());
        cli_opts_free(&o);
        return 0;
    }
    if (o.argc < 1)
        st = bad_usage("missing command");
    else if (strcmp(o.argv[0], "run")) {
        snprintf(err, sizeof err, "unknown command '%s'", o.argv[0]);
        st = bad_usage(err);
    } else {
        /* Options may also follow "run" (vos run --timeout 1 CMD). */
        int used = 0;
        st = cli_parse_more(o.argc - 1, o.argv + 1, &used, &o, err, sizeof err);
        if (st)
            st = bad_usage(err);
        else if (o.help || o.version) {
            if (o.help)
                fputs(usage, stdout);
            else
                printf("vos %s\n", vos_version());
        } else if (o.rw && !o.root)
            st = bad_usage("--rw needs --root");
        else if ((o.diff || o.apply) && (!o.root || o.rw))
            st = bad_usage(o.diff ? "--diff needs --root without --rw"
                                  : "--apply needs --root without --rw");
        else if (used + 1 >= o.argc)
            st = bad_usage("missing command");
        else {
            struct run_what w = {RUN_ARGV, o.argv + 1 + used};
            st = run_in_vm(&o, &w);
        }
    }
    cli_opts_free(&o);
    return st;
}
