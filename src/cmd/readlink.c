/* readlink.c — print resolved symbolic links or canonical file names:
 * -f -e -m (canonicalize), -n, -q -s -v, -z. */
#include "cmd/cmd.h"
#include "lib/fsutil.h"

static const char readlink_help[] =
    "Usage: %s [OPTION]... FILE...\n"
    "Print value of a symbolic link or canonical file name\n"
    "\n"
    "  -f, --canonicalize            canonicalize by following every symlink in\n"
    "                                every component of the given name recursively;\n"
    "                                all but the last component must exist\n"
    "  -e, --canonicalize-existing   canonicalize by following every symlink in\n"
    "                                every component of the given name recursively,\n"
    "                                all components must exist\n"
    "  -m, --canonicalize-missing    canonicalize by following every symlink in\n"
    "                                every component of the given name recursively,\n"
    "                                without requirements on components existence\n"
    "  -n, --no-newline              do not output the trailing delimiter\n"
    "  -q, --quiet\n"
    "  -s, --silent                  suppress most error messages (on by default)\n"
    "  -v, --verbose                 report error messages\n"
    "  -z, --zero                    end each output line with NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("readlink", "readlink")
    ;

static const struct opt_long longs[] = {{"canonicalize", OPT_NOARG, 'f'},
                                        {"canonicalize-existing", OPT_NOARG, 'e'},
                                        {"canonicalize-missing", OPT_NOARG, 'm'},
                                        {"no-newline", OPT_NOARG, 'n'},
                                        {"quiet", OPT_NOARG, 'q'},
                                        {"silent", OPT_NOARG, 's'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {"zero", OPT_NOARG, 'z'},
                                        {0}};
static const struct opt_spec spec = {.name = "readlink",
                                     .shorts = "efmnqsvz",
                                     .longs = longs,
                                     .help = readlink_help,
                                     .authors = "Dmitry V. Levin"};

int cmd_readlink(struct proc *p, int argc, char **argv)
{
    int can_mode = -1;
    bool no_newline = false, verbose = false, nuls = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'e': can_mode = CAN_EXISTING; break;
        case 'f': can_mode = CAN_ALL_BUT_LAST; break;
        case 'm': can_mode = CAN_MISSING; break;
        case 'n': no_newline = true; break;
        case 'q':
        case 's': verbose = false; break;
        case 'v': verbose = true; break;
        case 'z': nuls = true; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (o.ind >= argc) return opt_usage_error(&o, "missing operand");
    if (argc - o.ind > 1) {
        if (no_newline) cmd_error(p, "ignoring --no-newline with multiple arguments");
        no_newline = false;
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    int status = 0;
    char *buf = p_malloc(p, VFS_PATH_MAX + 1);
    if (!buf) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    for (int i = o.ind; i < argc; i++) {
        const char *name = argv[i];
        char *value = NULL;
        int err = 0;
        if (can_mode != -1) {
            value = fs_canonicalize(p, name, can_mode, &err);
        } else {
            ssize_t n = sys_readlink(p, name, buf, VFS_PATH_MAX);
            if (n >= 0) {
                buf[n] = 0;
                value = buf;
            } else {
                err = (int)n;
            }
        }
        if (value) {
            obuf_puts(&out, value);
            if (!no_newline) obuf_putc(&out, nuls ? '\0' : '\n');
            if (value != buf) p_free(p, value);
        } else {
            status = 1;
            if (err == -EINTR) break;
            if (verbose) {
                obuf_flush(&out);
                cmd_file_error(p, name, err);
            }
        }
    }
    return cmd_close_stdout(p, &out, status);
}
