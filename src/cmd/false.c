/* false.c — do nothing, unsuccessfully: even --help and --version (shown
 * only as the sole argument, like coreutils) exit 1. */
#include "cmd/cmd.h"

static const char false_help[] =
    "Usage: %s [ignored command line arguments]\n"
    "  or:  %s OPTION\n"
    "Exit with a status code indicating failure.\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "NOTE: your shell may have its own version of false, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    COREUTILS_HELP_TAIL("false", "false");

static const struct opt_spec spec = {
    .name = "false", .help = false_help, .authors = "Jim Meyering"};

int cmd_false(struct proc *p, int argc, char **argv)
{
    if (argc == 2) {
        struct opt_state o;
        opt_init(&o, p, &spec, argc, argv);
        if (strcmp(argv[1], "--help") == 0)
            opt_help(&o);
        else if (strcmp(argv[1], "--version") == 0)
            opt_version(&o);
    }
    return 1;
}
