/* main.c — the vos command line. Options (options.c) describe a VM: limits,
 * the user's project mounted at /workspace (--root), more host mounts, the
 * environment. What runs in it is, for now, a command by argv
 * (`vos [OPTIONS] run COMMAND [ARG...]`); the shell's `-c SCRIPT`, script
 * files and stdin scripts plug into run_in_vm() as other kinds of "what".
 */
#include "cli/mcp_cmd.h"
#include "cli/options.h"
#include "vos.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "Usage: vos [OPTION]... [-c SCRIPT [NAME [ARG]...] | FILE [ARG]...]\n"
    "       vos [OPTION]... run COMMAND [ARG]...\n"
    "Run a bash script (from -c, a file, or standard input) or a command inside a\n"
    "new virtual machine and stream its output; with no script and a terminal on\n"
    "standard input, start an interactive shell.\n"
    "\n"
    "  -c SCRIPT             run SCRIPT, like bash -c\n"
    "  -e, -u, -x, -o OPT    shell options, as bash takes them\n"
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

/* What to run in the VM: a command by argv (also how scripts run: as the
 * VM's /bin/bash with arguments), or an interactive session. */
enum run_kind { RUN_ARGV, RUN_INTERACTIVE };
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

/* A line-by-line interactive shell over the VM's session: each line runs
 * with vos_exec, so state persists as in a terminal. */
static int interactive(vos_vm *vm, vos_exec_opts *eo, vos_result *last)
{
    char *line = NULL;
    size_t cap = 0;
    int status = 0;
    memset(last, 0, sizeof *last);
    eo->stdin_data = NULL;
    eo->stdin_len = 0;
    for (;;) {
        fputs("vos$ ", stderr);
        fflush(stderr);
        ssize_t n = getline(&line, &cap, stdin);
        if (n < 0) {
            fputs("exit\n", stderr);
            break;
        }
        vos_result r;
        int rc = vos_exec(vm, line, eo, &r);
        eo->cwd = NULL; /* the session remembers where it is */
        if (rc < 0) {
            fprintf(stderr, "vos: %s\n", vos_strerror(rc));
            continue;
        }
        status = r.status;
        vos_result_free(&r);
        if (!strncmp(line, "exit", 4) && (line[4] == '\n' || line[4] == ' ' || !line[4])) break;
    }
    free(line);
    last->status = status;
    return 0;
}

/* argv for the VM's bash: shell options, then what to run. */
static char **bash_argv(const struct cli_opts *o, const char *script, int extra, char **args)
{
    char **v = calloc((size_t)o->nshargs + (size_t)extra + 8, sizeof *v);
    if (!v) return NULL;
    int n = 0;
    v[n++] = "/bin/bash";
    for (int i = 0; i < o->nshargs; i++) v[n++] = o->shargs[i];
    if (script) {
        v[n++] = "-c";
        v[n++] = (char *)script;
    }
    for (int i = 0; i < extra; i++) v[n++] = args[i];
    return v;
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
    int rc;
    if (what->kind == RUN_INTERACTIVE) rc = interactive(vm, &eo, &r);
    else rc = vos_run(vm, what->argv, &eo, &r);
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
    if (!o.command && o.argc >= 1 && !strcmp(o.argv[0], "mcp")) {
        st = cli_mcp(&o); /* vos mcp: an MCP server on stdio */
    } else if (o.command) {
        char **v = bash_argv(&o, o.command, o.argc, o.argv);
        struct run_what w = {RUN_ARGV, v};
        st = v ? run_in_vm(&o, &w) : 1;
        free(v);
    } else if (o.argc < 1 || strcmp(o.argv[0], "run")) {
        /* A script file (from the host), standard input, or a terminal. */
        char **v = NULL;
        char *text = NULL;
        struct run_what w = {RUN_ARGV, NULL};
        if (o.argc >= 1) {
            FILE *f = fopen(o.argv[0], "rb");
            size_t len;
            if (!f || !(text = read_all(f, &len))) {
                fprintf(stderr, "vos: %s: %s\n", o.argv[0], strerror(f ? ENOMEM : errno));
                if (f) fclose(f);
                cli_opts_free(&o);
                return 127;
            }
            fclose(f);
            if (memchr(text, 0, len)) {
                fprintf(stderr, "vos: %s: cannot execute binary file\n", o.argv[0]);
                free(text);
                cli_opts_free(&o);
                return 126;
            }
            /* bash FILE: $0 is FILE and messages say "FILE: line N:". */
            v = bash_argv(&o, NULL, 0, NULL);
            char **more = v ? realloc(v, ((size_t)o.nshargs + (size_t)o.argc + 8) * sizeof *v) : NULL;
            if (more) {
                v = more;
                int n = 1 + o.nshargs;
                v[n++] = "--vos-script-name";
                v[n++] = o.argv[0];
                v[n++] = "-c";
                v[n++] = text;
                for (int i = 0; i < o.argc; i++) v[n++] = o.argv[i];
                v[n] = NULL;
            } else {
                free(v);
                v = NULL;
            }
        } else if (!isatty(0)) {
            v = bash_argv(&o, NULL, 0, NULL);
        } else {
            w.kind = RUN_INTERACTIVE;
        }
        w.argv = v;
        st = (v || w.kind == RUN_INTERACTIVE) ? run_in_vm(&o, &w) : 1;
        free(v);
        free(text);
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
