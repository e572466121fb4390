/* nohup.c — run a command immune to hangups: SIGHUP is ignored for it, and
 * terminal stdin/stdout/stderr are redirected (nohup.out) as GNU does. */
#include "cmd/cmd.h"
#include "lib/path.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char nohup_help[] =
    "Usage: %s COMMAND [ARG]...\n"
    "  or:  %s OPTION\n"
    "Run COMMAND, ignoring hangup signals.\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "If standard input is a terminal, redirect it from an unreadable file.\n"
    "If standard output is a terminal, append output to 'nohup.out' if possible,\n"
    "'$HOME/nohup.out' otherwise.\n"
    "If standard error is a terminal, redirect it to standard output.\n"
    "To save output to FILE, use 'nohup COMMAND > FILE'.\n"
    "\n"
    "NOTE: your shell may have its own version of nohup, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    COREUTILS_HELP_TAIL("nohup", "nohup");

static const struct opt_spec spec = {.name = "nohup",
                                     .shorts = "+",
                                     .help = nohup_help,
                                     .authors = "Jim Meyering",
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

int cmd_nohup(struct proc *p, int argc, char **argv)
{
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;)
        if (c == OPT_EXIT) return o.status;
    int internal_failure = proc_getenv(p, "POSIXLY_CORRECT") ? 127 : 125;
    if (o.ind >= argc) {
        cmd_error(p, "missing operand");
        return opt_usage_error(&o, NULL);
    }
    bool ignoring_input = sys_isatty(p, 0) > 0;
    bool redirecting_stdout = sys_isatty(p, 1) > 0;
    struct stat st;
    bool stdout_closed = !redirecting_stdout && sys_fstat(p, 1, &st) == -EBADF;
    bool redirecting_stderr = sys_isatty(p, 2) > 0;
    if (ignoring_input) {
        int fd = sys_open(p, "/dev/null", O_WRONLY, 0);
        if (fd >= 0 && fd != 0) {
            sys_dup2(p, fd, 0);
            sys_close(p, fd);
        }
        if (!redirecting_stdout && !redirecting_stderr) cmd_error(p, "ignoring input");
    }
    int out_fd = 1;
    if (redirecting_stdout || (redirecting_stderr && stdout_closed)) {
        const char *file = "nohup.out";
        mode_t old = sys_umask(p, 077);
        int fd = sys_open(p, file, O_CREAT | O_WRONLY | O_APPEND, 0600);
        char *in_home = NULL;
        if (fd < 0) {
            int err1 = fd;
            const char *home = proc_getenv(p, "HOME");
            if (home) {
                size_t n = strlen(home) + 11;
                in_home = p_malloc(p, n);
                if (in_home) {
                    snprintf(in_home, n, "%s/nohup.out", home);
                    fd = sys_open(p, in_home, O_CREAT | O_WRONLY | O_APPEND, 0600);
                }
            }
            if (fd < 0) {
                cmd_errno(p, err1, "failed to open %s", cmd_quoteaf(p, file));
                if (in_home) cmd_errno(p, fd, "failed to open %s", cmd_quoteaf(p, in_home));
                sys_umask(p, old);
                return internal_failure;
            }
            file = in_home;
        }
        sys_umask(p, old);
        if (redirecting_stdout) {
            sys_dup2(p, fd, 1);
            sys_close(p, fd);
        } else {
            out_fd = fd;
        }
        cmd_error(p,
                  ignoring_input ? "ignoring input and appending output to %s"
                                 : "appending output to %s",
                  cmd_quoteaf(p, file));
    }
    if (redirecting_stderr) {
        if (!redirecting_stdout)
            cmd_error(p, ignoring_input ? "ignoring input and redirecting stderr to stdout"
                                        : "redirecting stderr to stdout");
        sys_dup2(p, out_fd, 2);
    }
    cmd_ignore_signal(p, SIGHUP);
    int r = run_command(p, argv + o.ind);
    if (r < 0) {
        cmd_errno(p, r, "failed to run command %s", cmd_quoteaf(p, argv[o.ind]));
        return r == -ENOENT ? 127 : 126;
    }
    return r;
}
