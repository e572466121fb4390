/* mknod.c — make block or character special files and FIFOs:
 * NAME TYPE [MAJOR MINOR] with TYPE b, c/u or p; -m MODE; -Z accepted. */
#include "cmd/cmd.h"
#include "lib/modechange.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

static const char mknod_help[] =
    "Usage: %s [OPTION]... NAME TYPE [MAJOR MINOR]\n"
    "Create the special file NAME of the given TYPE.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -m, --mode=MODE    set file permission bits to MODE, not a=rw - umask\n"
    "  -Z                   set the SELinux security context to default type\n"
    "      --context[=CTX]  like -Z, or if CTX is specified then set the SELinux\n"
    "                         or SMACK security context to CTX\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Both MAJOR and MINOR must be specified when TYPE is b, c, or u, and they\n"
    "must be omitted when TYPE is p.  If MAJOR or MINOR begins with 0x or 0X,\n"
    "it is interpreted as hexadecimal; otherwise, if it begins with 0, as octal;\n"
    "otherwise, as decimal.  TYPE may be:\n"
    "\n"
    "  b      create a block (buffered) special file\n"
    "  c, u   create a character (unbuffered) special file\n"
    "  p      create a FIFO\n"
    "\n"
    "NOTE: your shell may have its own version of mknod, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    COREUTILS_HELP_TAIL("mknod", "mknod")
    ;

static const struct opt_long longs[] = {{"mode", OPT_ARG, 'm'}, {"context", OPT_OPTARG, 'Z'}, {0}};
static const struct opt_spec spec = {.name = "mknod",
                                     .shorts = "m:Z",
                                     .longs = longs,
                                     .help = mknod_help,
                                     .authors = "David MacKenzie"};

int cmd_mknod(struct proc *p, int argc, char **argv)
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
    int nops = argc - o.ind;
    int expected = (nops <= 0 || (nops >= 2 && argv[o.ind + 1][0] == 'p')) ? 2 : 4;
    if (nops < expected) {
        struct sbuf sb;
        sbuf_init(&sb, p);
        if (nops <= 0)
            sbuf_printf(&sb, "%s: missing operand\n", cmd_prog(p));
        else
            sbuf_printf(&sb, "%s: missing operand after %s\n", cmd_prog(p), cmd_quote(p, argv[argc - 1]));
        if (expected == 4 && nops == 2)
            sbuf_printf(&sb, "Special files require major and minor device numbers.\n");
        if (sb.s) io_write_all(p, 2, sb.s, sb.len);
        sbuf_free(&sb);
        return opt_usage_error(&o, NULL);
    }
    if (nops > expected) {
        struct sbuf sb;
        sbuf_init(&sb, p);
        sbuf_printf(&sb, "%s: extra operand %s\n", cmd_prog(p), cmd_quote(p, argv[o.ind + expected]));
        if (expected == 2 && nops == 4)
            sbuf_printf(&sb, "Fifos do not have major and minor device numbers.\n");
        if (sb.s) io_write_all(p, 2, sb.s, sb.len);
        sbuf_free(&sb);
        return opt_usage_error(&o, NULL);
    }
    const char *name = argv[o.ind];
    int r;
    switch (argv[o.ind + 1][0]) {
    case 'b':
    case 'c':
    case 'u': {
        mode_t type = argv[o.ind + 1][0] == 'b' ? S_IFBLK : S_IFCHR;
        const char *smaj = argv[o.ind + 2], *smin = argv[o.ind + 3];
        uintmax_t maj, min;
        char *end;
        if (opt_strtoumax(smaj, &end, 0, &maj, "") != OPT_NUM_OK || *end || maj > 0xfffff) {
            cmd_error(p, "invalid major device number %s", cmd_quote(p, smaj));
            return 1;
        }
        if (opt_strtoumax(smin, &end, 0, &min, "") != OPT_NUM_OK || *end || min > 0xffffffffu) {
            cmd_error(p, "invalid minor device number %s", cmd_quote(p, smin));
            return 1;
        }
        r = sys_mknod(p, name, type | newmode, makedev((unsigned)maj, (unsigned)min));
        if (r < 0) {
            cmd_file_error(p, name, r);
            return 1;
        }
        break;
    }
    case 'p':
        r = sys_mknod(p, name, S_IFIFO | newmode, 0);
        if (r < 0) {
            cmd_file_error(p, name, r);
            return 1;
        }
        break;
    default:
        return opt_usage_error(&o, "invalid device type %s", cmd_quote(p, argv[o.ind + 1]));
    }
    if (mode && (r = sys_chmod(p, name, newmode)) < 0) {
        cmd_errno(p, r, "cannot set permissions of %s", cmd_quoteaf(p, name));
        return 1;
    }
    return 0;
}
