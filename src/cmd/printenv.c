/* printenv.c — print all or some environment variables (-0). Exit 1 when
 * a named variable is unset, 2 on usage errors. */
#include "cmd/cmd.h"

static const char printenv_help[] =
    "Usage: %s [OPTION]... [VARIABLE]...\n"
    "Print the values of the specified environment VARIABLE(s).\n"
    "If no VARIABLE is specified, print name and value pairs for them all.\n"
    "\n"
    "  -0, --null     end each output line with NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "NOTE: your shell may have its own version of printenv, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    COREUTILS_HELP_TAIL("printenv", "printenv");

static const struct opt_long longs[] = {{"null", OPT_NOARG, '0'}, {0}};
static const struct opt_spec spec = {.name = "printenv",
                                     .shorts = "+iu:0",
                                     .longs = longs,
                                     .help = printenv_help,
                                     .authors = "David MacKenzie and Richard Mlynarik",
                                     .err_status = 2};

int cmd_printenv(struct proc *p, int argc, char **argv)
{
    char end = '\n';
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        if (c == OPT_EXIT) return o.status;
        if (c == '0')
            end = '\0';
        else
            return opt_usage_error(&o, NULL);
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    int status = 0;
    if (o.ind >= argc) {
        for (char **e = p->env; e && *e; e++) {
            obuf_puts(&out, *e);
            obuf_putc(&out, end);
        }
    } else {
        int matched = 0;
        for (int i = o.ind; i < argc; i++) {
            if (strchr(argv[i], '=')) continue;
            size_t n = strlen(argv[i]);
            for (char **e = p->env; e && *e; e++) {
                if (strncmp(*e, argv[i], n) == 0 && (*e)[n] == '=') {
                    obuf_puts(&out, *e + n + 1);
                    obuf_putc(&out, end);
                    matched++;
                    break;
                }
            }
        }
        status = matched == argc - o.ind ? 0 : 1;
    }
    return cmd_close_stdout(p, &out, status);
}
