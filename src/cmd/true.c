/* true.c — do nothing, successfully. Like coreutils, --help and --version
 * count only as the sole argument, and are not abbreviated. */
#include "cmd/cmd.h"

static const char true_help[] =
    "Usage: %s [ignored command line arguments]\n"
    "  or:  %s OPTION\n"
    "Exit with a status code indicating success.\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "NOTE: your shell may have its own version of true, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    COREUTILS_HELP_TAIL("true", "true");

static const struct opt_spec spec = {.name = "true", .help = true_help, .authors = "Jim Meyering"};

int cmd_true(struct proc *p, int argc, char **argv)
{
    if (argc == 2) {
        struct opt_state o;
        opt_init(&o, p, &spec, argc, argv);
        if (strcmp(argv[1], "--help") == 0) return opt_help(&o);
        if (strcmp(argv[1], "--version") == 0) return opt_version(&o);
    }
    return 0;
}
