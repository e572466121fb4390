/* mkfifo.c — make FIFOs (named pipes): -m MODE, -Z accepted as GNU does
 * without SELinux. */
#include "cmd/cmd.h"
#include "lib/modechange.h"

#include <sys/stat.h>

static const char mkfifo_help[] =
    "Usage: %s [OPTION]... NAME...\n"
    "Create named pipes (FIFOs) with the given NAMEs.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -m, --mode=MODE    set file permission bits to MODE, not a=rw - umask\n"
    "  -Z                   set the SELinux security context to default type\n"
    "      --context[=CTX]  like -Z, or if CTX is specified then set the SELinux\n"
    "                         or SMACK security context to CTX\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("mkfifo", "mkfifo")
    ;

static const struct opt_long longs[] = {{"mode", OPT_ARG, 'm'}, {"context", OPT_OPTARG, 'Z'}, {0}};
static const struct opt_spec spec = {.name = "mkfifo",
                                     .shorts = "m:Z",
                                     .longs = longs,
                                     .help = mkfifo_help,
                                     .authors = "David MacKenzie"};

int cmd_mkfifo(struct proc *p, int argc, char **argv)
{
    const char *mode = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'm': mode = o.arg; break;
        case 'Z':
            if (o.arg) cmd_error(p, "warning: ignoring --context; it requires an SELinux/SMACK-enabled kernel");
            break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (o.ind >= argc) return opt_usage_error(&o, "missing operand");
    mode_t newmode = 0666;
    if (mode) {
        bool oom;
        struct mode_change *ch = mode_compile(p, mode, &oom);
        if (!ch) {
            cmd_error(p, oom ? "memory exhausted" : "invalid mode");
            return 1;
        }
        mode_t um = sys_umask(p, 0);
        sys_umask(p, um);
        newmode = mode_adjust(newmode, false, um, ch, NULL);
        p_free(p, ch);
        if (newmode & ~0777) {
            cmd_error(p, "mode must specify only file permission bits");
            return 1;
        }
    }
    int status = 0;
    for (int i = o.ind; i < argc; i++) {
        int r = sys_mknod(p, argv[i], S_IFIFO | newmode, 0);
        if (r < 0) {
            cmd_errno(p, r, "cannot create fifo %s", cmd_quoteaf(p, argv[i]));
            status = 1;
        } else if (mode && (r = sys_chmod(p, argv[i], newmode)) < 0) {
            cmd_errno(p, r, "cannot set permissions of %s", cmd_quoteaf(p, argv[i]));
            status = 1;
        }
    }
    return status;
}
