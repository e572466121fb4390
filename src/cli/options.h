/* options.h — the command line's options (shared by `vos` and, later,
 * `vos mcp`): parsing into struct cli_opts, and making the VM they describe
 * (limits, mounts, environment, working directory). */
#ifndef VOS_CLI_OPTIONS_H
#define VOS_CLI_OPTIONS_H
#include "vos.h"
#include <stddef.h>
#include <stdint.h>

struct cli_mount {
    char *src, *dst;
    int mode; /* VOS_MOUNT_RO, VOS_MOUNT_RW or VOS_MOUNT_OVERLAY */
};

struct cli_opts {
    char *root, *root_at; /* --root DIR[:VMPATH]; root_at defaults to /workspace */
    int rw;               /* --rw: --root read-write instead of an overlay */
    struct cli_mount *mounts;
    int nmounts;
    const char *cwd;
    char **env; /* "K=V" from --env and --env-file, in order */
    int nenv;
    int diff, apply, json, version, help;
    uint64_t timeout_ms, memory, disk, max_output;
    const char *command; /* -c SCRIPT */
    char **shargs;       /* shell options for bash: -e, -u, -x, +e, -o NAME... */
    int nshargs;
    /* What is left after the options: a subcommand and its operands. */
    int argc;
    char **argv;
};

/* Parse argv[1..]: options, up to the first operand or "--" (a "run"
 * subcommand may be followed by more options). 0, or 2 (bad usage) with a
 * one-line message in err. Option values point into argv or are owned. */
int cli_parse(int argc, char **argv, struct cli_opts *o, char *err, size_t errlen);
/* Parse options only (no operands allowed to interleave): used after "run". */
int cli_parse_more(int argc, char **argv, int *used, struct cli_opts *o, char *err, size_t errlen);
void cli_opts_free(struct cli_opts *o);

/* A VM as the options say: limits, --root, --mount, environment. The
 * working directory to start in is stored in *cwd (static or o's). 0, or
 * an exit status (2) with a message in err. */
int cli_make_vm(const struct cli_opts *o, vos_vm **vm, const char **cwd, char *err, size_t errlen);

/* "1.5" seconds, "10K"/"3M"/"2G" byte counts: 0 or -1. */
int cli_parse_seconds(const char *s, uint64_t *ms);
int cli_parse_bytes(const char *s, uint64_t *out);

#endif
