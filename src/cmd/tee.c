/* tee.c — copy standard input to standard output and to files (-a -i -p,
 * --output-error). Copies each block as it arrives, so it streams. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <signal.h>

static const char tee_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Copy standard input to each FILE, and also to standard output.\n"
    "\n"
    "  -a, --append              append to the given FILEs, do not overwrite\n"
    "  -i, --ignore-interrupts   ignore interrupt signals\n"
    "  -p                        diagnose errors writing to non pipes\n"
    "      --output-error[=MODE]   set behavior on write error.  See MODE below\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "MODE determines behavior with write errors on the outputs:\n"
    "  warn           diagnose errors writing to any output\n"
    "  warn-nopipe    diagnose errors writing to any output not a pipe\n"
    "  exit           exit on error writing to any output\n"
    "  exit-nopipe    exit on error writing to any output not a pipe\n"
    "The default MODE for the -p option is 'warn-nopipe'.\n"
    "The default operation when --output-error is not specified, is to\n"
    "exit immediately on error writing to a pipe, and diagnose errors\n"
    "writing to non pipe outputs.\n"
    "\n"
    COREUTILS_HELP_TAIL("tee", "tee");

static const struct opt_long longs[] = {{"append", OPT_NOARG, 'a'},
                                        {"ignore-interrupts", OPT_NOARG, 'i'},
                                        {"output-error", OPT_OPTARG, 'p'},
                                        {0}};
static const struct opt_spec spec = {.name = "tee",
                                     .shorts = "aip",
                                     .longs = longs,
                                     .help = tee_help,
                                     .authors =
                                         "Mike Parker, Richard M. Stallman, and David MacKenzie"};

enum { OE_SIGPIPE, OE_WARN, OE_WARN_NOPIPE, OE_EXIT, OE_EXIT_NOPIPE };
static const char *const modes[] = {"warn", "warn-nopipe", "exit", "exit-nopipe", NULL};

int cmd_tee(struct proc *p, int argc, char **argv)
{
    bool append = false, ignore_int = false;
    int mode = OE_SIGPIPE;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'a': append = true; break;
        case 'i': ignore_int = true; break;
        case 'p':
            if (o.arg) {
                int m = opt_argmatch(&o, "--output-error", o.arg, modes);
                if (m < 0) return o.status;
                mode = OE_WARN + m;
            } else {
                mode = OE_WARN_NOPIPE;
            }
            break;
        case OPT_EXIT: return o.status;
        }
    }
    if (ignore_int) cmd_ignore_signal(p, SIGINT);
    if (mode != OE_SIGPIPE) cmd_ignore_signal(p, SIGPIPE);

    int nfiles = argc - o.ind;
    int *fds = p_calloc(p, (size_t)nfiles + 1, sizeof *fds);
    const char **names = p_calloc(p, (size_t)nfiles + 1, sizeof *names);
    char *buf = p_malloc(p, IO_BUFSIZE);
    if (!fds || !names || !buf) {
        cmd_errno(p, -ENOMEM, "memory exhausted");
        return 1;
    }
    bool ok = true;
    int outputs = 1;
    fds[0] = 1;
    names[0] = "standard output";
    for (int i = 1; i <= nfiles; i++) {
        names[i] = argv[o.ind + i - 1];
        int fd = sys_open(p, names[i], O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0666);
        if (fd < 0) {
            cmd_file_error(p, names[i], fd);
            ok = false;
            fds[i] = -1;
        } else {
            fds[i] = fd;
            outputs++;
        }
    }
    while (outputs > 0) {
        ssize_t n = sys_read(p, 0, buf, IO_BUFSIZE);
        if (n == 0) break;
        if (n < 0) {
            if (n != -EINTR || p->killed) cmd_errno(p, (int)n, "read error");
            ok = false;
            break;
        }
        for (int i = 0; i <= nfiles; i++) {
            if (fds[i] < 0) continue;
            int r = io_write_all(p, fds[i], buf, (size_t)n);
            if (r == 0) continue;
            if (p->killed) return 1;
            bool fail = r != -EPIPE || mode == OE_EXIT || mode == OE_WARN;
            if (fail) {
                cmd_file_error(p, names[i], r);
                if (mode == OE_EXIT || mode == OE_EXIT_NOPIPE) return 1;
                ok = false;
            }
            if (i > 0) sys_close(p, fds[i]);
            fds[i] = -1;
            outputs--;
        }
    }
    for (int i = 1; i <= nfiles; i++) {
        if (fds[i] >= 0 && sys_close(p, fds[i]) < 0) {
            cmd_file_error(p, names[i], -EIO);
            ok = false;
        }
    }
    return ok ? 0 : 1;
}
