/* nl.c — number lines of files: body/header/footer styles (-b -h -f with
 * a t n pBRE), logical page sections (-d, "\:\:\:" "\:\:" "\:"), -i -l -n
 * (ln rn rz) -p -s -v -w. BRE matching uses glibc's GNU regex API. */
#include "cmd/cmd.h"

#include <limits.h>
#include "lib/gnuregex.h"

static const char nl_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Write each FILE to standard output, with line numbers added.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -b, --body-numbering=STYLE      use STYLE for numbering body lines\n"
    "  -d, --section-delimiter=CC      use CC for logical page delimiters\n"
    "  -f, --footer-numbering=STYLE    use STYLE for numbering footer lines\n"
    "  -h, --header-numbering=STYLE    use STYLE for numbering header lines\n"
    "  -i, --line-increment=NUMBER     line number increment at each line\n"
    "  -l, --join-blank-lines=NUMBER   group of NUMBER empty lines counted as one\n"
    "  -n, --number-format=FORMAT      insert line numbers according to FORMAT\n"
    "  -p, --no-renumber               do not reset line numbers for each section\n"
    "  -s, --number-separator=STRING   add STRING after (possible) line number\n"
    "  -v, --starting-line-number=NUMBER  first line number for each section\n"
    "  -w, --number-width=NUMBER       use NUMBER columns for line numbers\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Default options are: -bt -d'\\:' -fn -hn -i1 -l1 -n'rn' -s<TAB> -v1 -w6\n"
    "\n"
    "CC are two delimiter characters used to construct logical page delimiters;\n"
    "a missing second character implies ':'.  As a GNU extension one can specify\n"
    "more than two characters, and also specifying the empty string (-d '')\n"
    "disables section matching.\n"
    "\n"
    "STYLE is one of:\n"
    "\n"
    "  a      number all lines\n"
    "  t      number only nonempty lines\n"
    "  n      number no lines\n"
    "  pBRE   number only lines that contain a match for the basic regular\n"
    "         expression, BRE\n"
    "\n"
    "FORMAT is one of:\n"
    "\n"
    "  ln     left justified, no leading zeros\n"
    "  rn     right justified, no leading zeros\n"
    "  rz     right justified, leading zeros\n"
    "\n"
    "\n"
    COREUTILS_HELP_TAIL("nl", "nl");

static const struct opt_long longs[] = {{"header-numbering", OPT_ARG, 'h'},
                                        {"body-numbering", OPT_ARG, 'b'},
                                        {"footer-numbering", OPT_ARG, 'f'},
                                        {"starting-line-number", OPT_ARG, 'v'},
                                        {"line-increment", OPT_ARG, 'i'},
                                        {"no-renumber", OPT_NOARG, 'p'},
                                        {"join-blank-lines", OPT_ARG, 'l'},
                                        {"number-separator", OPT_ARG, 's'},
                                        {"number-width", OPT_ARG, 'w'},
                                        {"number-format", OPT_ARG, 'n'},
                                        {"section-delimiter", OPT_ARG, 'd'},
                                        {0}};
static const struct opt_spec spec = {.name = "nl",
                                     .shorts = "h:b:f:v:i:pl:s:w:n:d:",
                                     .longs = longs,
                                     .help = nl_help,
                                     .authors = "Scott Bartram and David MacKenzie"};

struct style {
    char type; /* a t n p */
    struct re_pattern_buffer re;
    bool have_re;
};

struct nl {
    struct proc *p;
    struct style styles[3]; /* header, body, footer */
    struct style *cur;
    intmax_t start, incr, blank_join, line_no, blank_lines;
    int width;
    int fmt; /* 0 ln, 1 rn, 2 rz */
    bool reset, overflow;
    const char *sep;
    char delims[3][64];
    size_t dlen[3]; /* header, body, footer delimiter lengths */
    struct obuf out;
};

static bool set_style(struct nl *n, struct opt_state *o, struct style *s, const char *arg,
                      const char *what)
{
    switch (arg[0]) {
    case 'a':
    case 't':
    case 'n':
        if (arg[1]) break;
        s->type = arg[0];
        return true;
    case 'p': {
        s->type = 'p';
        memset(&s->re, 0, sizeof s->re);
        const char *err =
            gre_compile(&s->re, arg + 1, strlen(arg + 1),
                        RE_SYNTAX_POSIX_BASIC & ~RE_CONTEXT_INVALID_DUP & ~RE_NO_EMPTY_RANGES);
        if (err) {
            cmd_error(n->p, "%s", err);
            o->status = 1;
            return false;
        }
        s->have_re = true;
        return true;
    }
    }
    cmd_error(n->p, "invalid %s numbering style: %s", what, cmd_quote(n->p, arg));
    opt_usage_error(o, NULL);
    return false;
}

/* xdectoimax: a decimal in [min, max], else a message. */
static bool dectoimax(struct nl *n, const char *s, intmax_t min, intmax_t max, const char *msg,
                      intmax_t *val)
{
    intmax_t v;
    char *end;
    enum opt_num_status r = opt_strtoimax(s, &end, 10, &v, "");
    if (r == OPT_NUM_OK && v >= min && v <= max) {
        *val = v;
        return true;
    }
    if (r == OPT_NUM_OK || r == OPT_NUM_OVERFLOW)
        cmd_errno(n->p, (r == OPT_NUM_OVERFLOW || v > max) && v > INT_MAX ? -EOVERFLOW : -ERANGE,
                  "%s: %s", msg, cmd_quote(n->p, s));
    else
        cmd_error(n->p, "%s: %s", msg, cmd_quote(n->p, s));
    return false;
}

static void print_no_line(struct nl *n)
{
    obuf_printf(&n->out, "%*s", (int)(n->width + strlen(n->sep)), "");
}

static bool print_lineno(struct nl *n)
{
    if (n->overflow) {
        cmd_error(n->p, "line number overflow");
        return false;
    }
    switch (n->fmt) {
    case 0: obuf_printf(&n->out, "%-*jd%s", n->width, n->line_no, n->sep); break;
    case 1: obuf_printf(&n->out, "%*jd%s", n->width, n->line_no, n->sep); break;
    default: obuf_printf(&n->out, "%0*jd%s", n->width, n->line_no, n->sep); break;
    }
    if (__builtin_add_overflow(n->line_no, n->incr, &n->line_no)) n->overflow = true;
    return true;
}

/* One line (without its newline). false on a fatal error. */
static bool proc_line(struct nl *n, const char *s, size_t len)
{
    /* Section delimiters. */
    if (len >= 2 && n->dlen[2] >= 2 && memcmp(s, n->delims[2], 2) == 0) {
        for (int k = 0; k < 3; k++) {
            if (len == n->dlen[k] && memcmp(s, n->delims[k], len) == 0) {
                n->cur = &n->styles[k];
                if (n->reset) n->line_no = n->start;
                obuf_putc(&n->out, '\n');
                return true;
            }
        }
    }
    bool ok = true;
    switch (n->cur->type) {
    case 'a':
        if (n->blank_join > 1) {
            if (len > 0 || ++n->blank_lines == n->blank_join) {
                ok = print_lineno(n);
                n->blank_lines = 0;
            } else
                print_no_line(n);
        } else
            ok = print_lineno(n);
        break;
    case 't':
        if (len > 0)
            ok = print_lineno(n);
        else
            print_no_line(n);
        break;
    case 'n': print_no_line(n); break;
    case 'p': {
        regoff_t r = gre_search(&n->cur->re, s, (regoff_t)len, 0, (regoff_t)len, NULL);
        if (r == -2) {
            cmd_error(n->p, "error in regular expression search");
            return false;
        }
        if (r == -1)
            print_no_line(n);
        else
            ok = print_lineno(n);
        break;
    }
    }
    if (!ok) return false;
    obuf_write(&n->out, s, len);
    obuf_putc(&n->out, '\n');
    return true;
}

static int nl_file(struct nl *n, const char *name)
{
    struct proc *p = n->p;
    int fd = cmd_open_input(p, name);
    if (fd < 0) {
        cmd_file_error(p, name, fd);
        return 1;
    }
    struct ibuf in;
    ibuf_init(&in, p, fd);
    int status = 0;
    unsigned long iter = 0;
    for (;;) {
        char *rec;
        ssize_t len = ibuf_getline(&in, &rec);
        if (len < 0) {
            if (len != -EINTR) cmd_file_error(p, name, (int)len);
            status = 1;
            break;
        }
        if (len == 0) break;
        size_t l = (size_t)len - (rec[len - 1] == '\n');
        if (!proc_line(n, rec, l)) {
            status = 2;
            break;
        }
        if ((++iter & 0xffff) == 0 && (proc_check(p) < 0 || obuf_failed(&n->out))) {
            status = 1;
            break;
        }
    }
    ibuf_free(&in);
    cmd_close_input(p, fd);
    return status;
}

int cmd_nl(struct proc *p, int argc, char **argv)
{
    struct nl n = {.p = p, .start = 1, .incr = 1, .blank_join = 1, .width = 6, .fmt = 1,
                   .reset = true, .sep = "\t"};
    n.styles[0].type = 'n';
    n.styles[1].type = 't';
    n.styles[2].type = 'n';
    const char *delim = "\\:";
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        intmax_t v;
        switch (c) {
        case 'h':
            if (!set_style(&n, &o, &n.styles[0], o.arg, "header")) return o.status;
            break;
        case 'b':
            if (!set_style(&n, &o, &n.styles[1], o.arg, "body")) return o.status;
            break;
        case 'f':
            if (!set_style(&n, &o, &n.styles[2], o.arg, "footer")) return o.status;
            break;
        case 'v':
            if (!dectoimax(&n, o.arg, INTMAX_MIN, INTMAX_MAX, "invalid starting line number", &v))
                return 1;
            n.start = v;
            break;
        case 'i':
            if (!dectoimax(&n, o.arg, INTMAX_MIN, INTMAX_MAX, "invalid line number increment", &v))
                return 1;
            n.incr = v;
            break;
        case 'p': n.reset = false; break;
        case 'l':
            if (!dectoimax(&n, o.arg, 1, INTMAX_MAX, "invalid line number of blank lines", &v))
                return 1;
            n.blank_join = v;
            break;
        case 's': n.sep = o.arg; break;
        case 'w':
            if (!dectoimax(&n, o.arg, 1, INT_MAX, "invalid line number field width", &v)) return 1;
            n.width = (int)v;
            break;
        case 'n':
            if (strcmp(o.arg, "ln") == 0)
                n.fmt = 0;
            else if (strcmp(o.arg, "rn") == 0)
                n.fmt = 1;
            else if (strcmp(o.arg, "rz") == 0)
                n.fmt = 2;
            else {
                cmd_error(p, "invalid line numbering format: %s", cmd_quote(p, o.arg));
                return opt_usage_error(&o, NULL);
            }
            break;
        case 'd': delim = o.arg; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    /* CC: a missing second character is ':'; longer strings are allowed. */
    char cc[64];
    size_t dl = strlen(delim);
    if (dl > 20) dl = 20;
    memcpy(cc, delim, dl);
    if (dl == 1) cc[dl++] = ':';
    for (int k = 0; k < 3; k++) {
        size_t reps = (size_t)(3 - k);
        n.dlen[k] = dl * reps;
        for (size_t r = 0; r < reps; r++) memcpy(n.delims[k] + r * dl, cc, dl);
    }
    n.cur = &n.styles[1];
    n.line_no = n.start;
    obuf_init(&n.out, p, 1);
    int status = 0;
    static char *dash[] = {"-", NULL};
    char **files = o.ind < argc ? argv + o.ind : dash;
    int nf = o.ind < argc ? argc - o.ind : 1;
    for (int i = 0; i < nf && !obuf_failed(&n.out); i++) {
        int r = nl_file(&n, files[i]);
        if (r) status = 1;
        if (r == 2) break;
    }
    for (int k = 0; k < 3; k++)
        if (n.styles[k].have_re) gre_free(&n.styles[k].re);
    return cmd_close_stdout(p, &n.out, status);
}
