/* nice.c — run a command with an adjusted niceness, or print the niceness.
 * The VM does not schedule by niceness: every process runs at 0, raising it
 * is accepted and lowering it is refused like for a non-root user. */
#include "cmd/cmd.h"
#include "lib/path.h"

#include <ctype.h>
#include <stdlib.h>
#include <sys/wait.h>

static const char nice_help[] =
    "Usage: %s [OPTION] [COMMAND [ARG]...]\n"
    "Run COMMAND with an adjusted niceness, which affects process scheduling.\n"
    "With no COMMAND, print the current niceness.  Niceness values range from\n"
    "-20 (most favorable to the process) to 19 (least favorable to the process).\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -n, --adjustment=N   add integer N to the niceness (default 10)\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "NOTE: your shell may have its own version of nice, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    COREUTILS_HELP_TAIL("nice", "nice");

static const struct opt_long longs[] = {{"adjustment", OPT_ARG, 'n'}, {0}};
static const struct opt_spec spec = {.name = "nice",
                                     .shorts = "+n:",
                                     .longs = longs,
                                     .help = nice_help,
                                     .authors = "David MacKenzie",
                                     .err_status = 125};

/* Run argv[0] (found on PATH) as a child and wait: its status (128+sig
 * when killed), or -errno when it could not start. */
static int run_command(struct proc *p, char **argv)
{
    char path[VFS_PATH_MAX];
    int r = path_search(p, argv[0], NULL, path, sizeof path);
    if (r < 0) return r;
    struct proc *child = proc_new(p->vm, p);
    if (!child) return -ENOMEM;
    int pid = child->pid;
    int argc = 0;
    while (argv[argc]) argc++;
    r = sys_exec(child, path, argv, false);
    if (r < 0) {
        proc_discard(child);
        return r == -ENOEXEC ? -EACCES : r;
    }
    int status = 0;
    if (sys_waitpid(p, pid, &status, 0) < 0) return 1;
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

int cmd_nice(struct proc *p, int argc, char **argv)
{
    const char *adjustment = NULL;
    int i = 1;
    while (i < argc) {
        const char *s = argv[i];
        if (s[0] == '-' && isdigit((unsigned char)s[1 + (s[1] == '-' || s[1] == '+')])) {
            adjustment = s + 1;
            i++;
            continue;
        }
        /* One option at a time through the shared parser, like coreutils'
         * getopt loop over the rest of argv. */
        char *fake[4] = {argv[0], argv[i], i + 1 < argc ? argv[i + 1] : NULL, NULL};
        int fargc = i + 1 < argc ? 3 : 2;
        struct opt_state o;
        opt_init(&o, p, &spec, fargc, fake);
        int c = opt_next(&o);
        if (c == OPT_EXIT) return o.status;
        if (c == OPT_END) {
            i += o.ind - 1;
            break;
        }
        adjustment = o.arg;
        int used = o.arg == fake[2] && o.arg ? 2 : 1;
        i += used;
    }
    long adj = 10;
    if (adjustment) {
        char *end;
        errno = 0;
        long v = strtol(adjustment, &end, 10);
        if (end == adjustment || *end) {
            cmd_error(p, "invalid adjustment %s", cmd_quote(p, adjustment));
            return 125;
        }
        adj = errno == ERANGE ? (v < 0 ? -40 : 40) : v;
    }
    if (i >= argc) {
        if (adjustment) {
            cmd_error(p, "a command must be given with an adjustment");
            char *fake[2] = {argv[0], NULL};
            struct opt_state o;
            opt_init(&o, p, &spec, 1, fake);
            return opt_usage_error(&o, NULL);
        }
        struct obuf out;
        obuf_init(&out, p, 1);
        obuf_puts(&out, "0\n");
        return cmd_close_stdout(p, &out, 0);
    }
    if (adj < 0 && p->uid != 0) cmd_errno(p, EACCES, "cannot set niceness");
    int r = run_command(p, argv + i);
    if (r < 0) {
        cmd_errno(p, r, "%s", cmd_quote(p, argv[i]));
        return r == -ENOENT ? 127 : 126;
    }
    return r;
}
