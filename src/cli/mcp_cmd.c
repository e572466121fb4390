/* mcp_cmd.c — `vos [OPTION]... mcp [OPTION]...`: make the VM the options
 * describe (the same options as vos itself, options.c) and serve the Model
 * Context Protocol on stdin/stdout with it (src/serve/mcp.c). Messages for
 * people go to stderr only: stdout belongs to the protocol.
 */
#include "cli/mcp_cmd.h"
#include "serve/mcp.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char mcp_usage[] =
    "Usage: vos mcp [OPTION]...\n"
    "Serve the Model Context Protocol on standard input and output (JSON-RPC 2.0, one\n"
    "message per line) with the tools bash, read, write, edit, list, glob and grep, all\n"
    "running inside one virtual machine that lives as long as the server.\n"
    "\n"
    "  --root DIR[:VMPATH]   mount host directory DIR at VMPATH (default /workspace)\n"
    "                        as a copy-on-write overlay; the shell starts there\n"
    "  --rw                  make --root read-write (changes go to DIR; still confined)\n"
    "  --mount SRC:DST[:ro|rw|overlay]\n"
    "                        mount host directory SRC at DST (default ro); repeatable\n"
    "  --cwd PATH            where the shell session starts\n"
    "  --env NAME=VALUE      set a variable (the host environment is never inherited)\n"
    "  --env-file FILE       set the NAME=VALUE lines of FILE (# comments)\n"
    "  --timeout SECS        time limit of a bash call (default 120; also the most a\n"
    "                        call's timeout_ms may ask for)\n"
    "  --memory BYTES        memory limit (K, M, G suffixes)\n"
    "  --disk BYTES          limit of the VM's in-memory filesystem and overlay data\n"
    "  --max-output BYTES    limit of the output one command may produce\n"
    "  --output-limit BYTES  bytes of each output stream a tool returns; beyond it the\n"
    "                        middle is cut out (default 30000)\n"
    "  --help                display this help and exit\n"
    "\n"
    "Example: claude mcp add vos -- vos mcp --root .\n";

static int usage_error(const char *msg)
{
    fprintf(stderr, "vos mcp: %s\nTry 'vos mcp --help' for more information.\n", msg);
    return 2;
}

int cli_mcp(struct cli_opts *o)
{
    char err[4200];
    uint64_t output_limit = 0;
    /* --output-limit is ours; the rest is the shared option parser's. */
    char **args = calloc((size_t)o->argc + 1, sizeof *args);
    if (!args) return usage_error("out of memory");
    int n = 0;
    for (int i = 1; i < o->argc; i++) {
        const char *a = o->argv[i], *val = NULL;
        if (!strcmp(a, "--")) {
            while (i < o->argc) args[n++] = o->argv[i++];
            break;
        }
        if (!strcmp(a, "--output-limit")) {
            if (i + 1 >= o->argc) {
                free(args);
                return usage_error("option '--output-limit' requires an argument");
            }
            val = o->argv[++i];
        } else if (!strncmp(a, "--output-limit=", 15)) {
            val = a + 15;
        } else {
            args[n++] = o->argv[i];
            continue;
        }
        if (cli_parse_bytes(val, &output_limit) < 0 || output_limit < 64 ||
            output_limit > (1u << 30)) {
            snprintf(err, sizeof err, "invalid --output-limit '%s' (64 bytes to 1G)", val);
            free(args);
            return usage_error(err);
        }
    }
    int used = 0;
    int st = cli_parse_more(n, args, &used, o, err, sizeof err);
    if (!st && used < n) {
        snprintf(err, sizeof err, "unexpected argument '%s'", args[used]);
        st = 2;
    }
    free(args);
    if (st) return usage_error(err);
    if (o->help) {
        fputs(mcp_usage, stdout);
        return 0;
    }
    if (o->version) {
        printf("vos %s\n", vos_version());
        return 0;
    }
    if (o->rw && !o->root) return usage_error("--rw needs --root");
    if (o->command || o->nshargs || o->diff || o->apply || o->json)
        return usage_error("-c, shell options, --diff, --apply and --json do not apply to mcp");
    vos_vm *vm;
    const char *cwd;
    st = cli_make_vm(o, &vm, &cwd, err, sizeof err);
    if (st) {
        fprintf(stderr, "vos mcp: %s\n", err);
        return st;
    }
    signal(SIGPIPE, SIG_IGN); /* a client that went away is seen as EPIPE */
    struct mcp_config cfg = {0};
    cfg.cwd = cwd;
    cfg.timeout_ms = o->timeout_ms;
    cfg.max_timeout_ms = o->timeout_ms;
    cfg.output_limit = (size_t)output_limit;
    int r = mcp_serve_stdio(vm, &cfg, 0, 1);
    if (r < 0) fprintf(stderr, "vos mcp: %s\n", vos_strerror(r));
    vos_free(vm);
    return r < 0 ? 1 : 0;
}
