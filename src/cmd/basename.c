/* basename.c — strip directory and suffix from names (-a -s -z). */
#include "cmd/cmd.h"

static const char basename_help[] =
    "Usage: %s NAME [SUFFIX]\n"
    "  or:  %s OPTION... NAME...\n"
    "Print NAME with any leading directory components removed.\n"
    "If specified, also remove a trailing SUFFIX.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -a, --multiple       support multiple arguments and treat each as a NAME\n"
    "  -s, --suffix=SUFFIX  remove a trailing SUFFIX; implies -a\n"
    "  -z, --zero           end each output line with NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Examples:\n"
    "  %s /usr/bin/sort          -> \"sort\"\n"
    "  %s include/stdio.h .h     -> \"stdio\"\n"
    "  %s -s .h include/stdio.h  -> \"stdio\"\n"
    "  %s -a any/str1 any/str2   -> \"str1\" followed by \"str2\"\n"
    "\n"
    COREUTILS_HELP_TAIL("basename", "basename");

static const struct opt_long longs[] = {
    {"multiple", OPT_NOARG, 'a'}, {"suffix", OPT_ARG, 's'}, {"zero", OPT_NOARG, 'z'}, {0}};
static const struct opt_spec spec = {.name = "basename",
                                     .shorts = "+as:z",
                                     .longs = longs,
                                     .help = basename_help,
                                     .authors = "David MacKenzie"};

/* Print the last component of name, minus suffix when it is a proper
 * suffix of that component (gnulib base_name + coreutils remove_suffix). */
static void print_base(struct obuf *out, const char *name, const char *suffix, char end)
{
    size_t len = strlen(name);
    const char *b;
    size_t blen;
    while (len > 1 && name[len - 1] == '/') len--;
    if (len == 0) {
        obuf_putc(out, end);
        return;
    }
    if (len == 1 && name[0] == '/') {
        b = name;
        blen = 1;
    } else {
        size_t start = len;
        while (start > 0 && name[start - 1] != '/') start--;
        b = name + start;
        blen = len - start;
        if (blen == 0) { /* all slashes: "//" */
            b = name;
            blen = 1;
        }
    }
    if (suffix && !(blen == 1 && b[0] == '/')) {
        size_t sl = strlen(suffix);
        if (sl < blen && memcmp(b + blen - sl, suffix, sl) == 0) blen -= sl;
    }
    obuf_write(out, b, blen);
    obuf_putc(out, end);
}

int cmd_basename(struct proc *p, int argc, char **argv)
{
    bool multiple = false;
    char end = '\n';
    const char *suffix = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 's': suffix = o.arg; /* fall through */
        case 'a': multiple = true; break;
        case 'z': end = '\0'; break;
        case OPT_EXIT: return o.status;
        }
    }
    if (o.ind >= argc) return opt_usage_error(&o, "missing operand");
    if (!multiple && o.ind + 2 < argc)
        return opt_usage_error(&o, "extra operand %s", cmd_quote(p, argv[o.ind + 2]));
    struct obuf out;
    obuf_init(&out, p, 1);
    if (multiple) {
        for (int i = o.ind; i < argc; i++) print_base(&out, argv[i], suffix, end);
    } else {
        print_base(&out, argv[o.ind], o.ind + 1 < argc ? argv[o.ind + 1] : NULL, end);
    }
    return cmd_close_stdout(p, &out, 0);
}
