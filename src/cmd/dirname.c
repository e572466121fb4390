/* dirname.c — strip the last component from each name (-z). */
#include "cmd/cmd.h"

static const char dirname_help[] =
    "Usage: %s [OPTION] NAME...\n"
    "Output each NAME with its last non-slash component and trailing slashes\n"
    "removed; if NAME contains no /'s, output '.' (meaning the current directory).\n"
    "\n"
    "  -z, --zero     end each output line with NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Examples:\n"
    "  %s /usr/bin/          -> \"/usr\"\n"
    "  %s dir1/str dir2/str  -> \"dir1\" followed by \"dir2\"\n"
    "  %s stdio.h            -> \".\"\n"
    "\n"
    COREUTILS_HELP_TAIL("dirname", "dirname");

static const struct opt_long longs[] = {{"zero", OPT_NOARG, 'z'}, {0}};
static const struct opt_spec spec = {.name = "dirname",
                                     .shorts = "z",
                                     .longs = longs,
                                     .help = dirname_help,
                                     .authors = "David MacKenzie and Jim Meyering"};

/* Length of the directory part of name (gnulib dir_len), 0 for ".". */
static size_t dir_len(const char *name)
{
    size_t prefix = name[0] == '/' ? 1 : 0;
    size_t len = strlen(name);
    /* strip trailing slashes, then the last component, then its slashes */
    while (len > prefix && name[len - 1] == '/') len--;
    while (len > prefix && name[len - 1] != '/') len--;
    while (len > prefix && name[len - 1] == '/') len--;
    return len;
}

int cmd_dirname(struct proc *p, int argc, char **argv)
{
    char end = '\n';
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        if (c == OPT_EXIT) return o.status;
        if (c == 'z') end = '\0';
    }
    if (o.ind >= argc) return opt_usage_error(&o, "missing operand");
    struct obuf out;
    obuf_init(&out, p, 1);
    for (int i = o.ind; i < argc; i++) {
        size_t len = dir_len(argv[i]);
        if (len == 0)
            obuf_putc(&out, '.');
        else
            obuf_write(&out, argv[i], len);
        obuf_putc(&out, end);
    }
    return cmd_close_stdout(p, &out, 0);
}
