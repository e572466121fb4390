/* tty.c — print the terminal on standard input: the VM has no terminals,
 * so this says "not a tty" (status 1) unless stdin is a terminal device. */
#include "cmd/cmd.h"

static const char tty_help[] =
    "Usage: %s [OPTION]...\n"
    "Print the file name of the terminal connected to standard input.\n"
    "\n"
    "  -s, --silent, --quiet   print nothing, only return an exit status\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("tty", "tty");

static const struct opt_long longs[] = {{"silent", OPT_NOARG, 's'}, {"quiet", OPT_NOARG, 's'}, {0}};
static const struct opt_spec spec = {.name = "tty",
                                     .shorts = "s",
                                     .longs = longs,
                                     .help = tty_help,
                                     .authors = "David MacKenzie",
                                     .err_status = 2};

int cmd_tty(struct proc *p, int argc, char **argv)
{
    bool silent = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        if (c == 's') silent = true;
        if (c == OPT_EXIT) return o.status;
    }
    if (o.ind < argc) {
        cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind]));
        return opt_usage_error(&o, NULL);
    }
    bool tty = sys_isatty(p, 0) > 0;
    if (silent) return tty ? 0 : 1;
    struct obuf out;
    obuf_init(&out, p, 1);
    obuf_puts(&out, tty ? "/dev/tty\n" : "not a tty\n");
    if (cmd_close_stdout(p, &out, 0)) return 3;
    return tty ? 0 : 1;
}
