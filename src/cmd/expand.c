/* expand.c — expand and unexpand: convert tabs to spaces and back, with
 * coreutils' tab stop lists (-t N, -t LIST, '/' and '+' prefixes on the
 * last stop, the obsolete -N,M... form), expand -i and unexpand -a and
 * --first-only. Both commands live here because they share the tab-stop
 * code (coreutils' expand-common.c). Input files form one stream. */
#include "cmd/cmd.h"

static const char expand_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Convert tabs in each FILE to spaces, writing to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -i, --initial    do not convert tabs after non blanks\n"
    "  -t, --tabs=N     have tabs N characters apart, not 8\n"
    "  -t, --tabs=LIST  use comma separated list of tab positions.\n"
    "                     The last specified position can be prefixed with '/'\n"
    "                     to specify a tab size to use after the last\n"
    "                     explicitly specified tab stop.  Also a prefix of '+'\n"
    "                     can be used to align remaining tab stops relative to\n"
    "                     the last specified tab stop instead of the first column\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("expand", "expand");

static const char unexpand_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Convert blanks in each FILE to tabs, writing to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -a, --all        convert all blanks, instead of just initial blanks\n"
    "      --first-only  convert only leading sequences of blanks (overrides -a)\n"
    "  -t, --tabs=N     have tabs N characters apart instead of 8 (enables -a)\n"
    "  -t, --tabs=LIST  use comma separated list of tab positions.\n"
    "                     The last specified position can be prefixed with '/'\n"
    "                     to specify a tab size to use after the last\n"
    "                     explicitly specified tab stop.  Also a prefix of '+'\n"
    "                     can be used to align remaining tab stops relative to\n"
    "                     the last specified tab stop instead of the first column\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("unexpand", "unexpand");

enum { OPT_FIRST_ONLY = 256 };
static const struct opt_long expand_longs[] = {
    {"tabs", OPT_ARG, 't'}, {"initial", OPT_NOARG, 'i'}, {0}};
static const struct opt_long unexpand_longs[] = {{"tabs", OPT_ARG, 't'},
                                                 {"all", OPT_NOARG, 'a'},
                                                 {"first-only", OPT_NOARG, OPT_FIRST_ONLY},
                                                 {0}};

struct tabs {
    struct proc *p;
    uintmax_t *list;
    size_t n, cap;
    uintmax_t tab_size, extend_size, increment_size, max_width;
    bool ok;
};

static void add_tab_stop(struct tabs *t, uintmax_t v)
{
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 8;
        uintmax_t *l = p_realloc(t->p, t->list, nc * sizeof *l);
        if (!l) {
            cmd_error(t->p, "memory exhausted");
            t->ok = false;
            return;
        }
        t->list = l;
        t->cap = nc;
    }
    uintmax_t prev = t->n ? t->list[t->n - 1] : 0;
    if (v > prev && v - prev > t->max_width) t->max_width = v - prev;
    t->list[t->n++] = v;
}

static bool set_extend(struct tabs *t, uintmax_t v)
{
    bool ok = true;
    if (t->extend_size) {
        cmd_error(t->p, "'/' specifier only allowed with the last value");
        ok = false;
    }
    t->extend_size = v;
    return ok;
}

static bool set_increment(struct tabs *t, uintmax_t v)
{
    bool ok = true;
    if (t->increment_size) {
        cmd_error(t->p, "'+' specifier only allowed with the last value");
        ok = false;
    }
    t->increment_size = v;
    return ok;
}

/* coreutils parse_tab_stops; false after messages (exit 1). */
static bool parse_tab_stops(struct tabs *t, const char *s)
{
    bool have = false, extend = false, increment = false, ok = true;
    uintmax_t v = 0;
    const char *num_start = NULL;
    for (; *s; s++) {
        if (*s == ',' || *s == ' ' || *s == '\t') {
            if (have) {
                if (extend) {
                    if (!set_extend(t, v)) {
                        ok = false;
                        break;
                    }
                } else if (increment) {
                    if (!set_increment(t, v)) {
                        ok = false;
                        break;
                    }
                } else
                    add_tab_stop(t, v);
            }
            have = false;
        } else if (*s == '/') {
            if (have) {
                cmd_error(t->p, "'/' specifier not at start of number: %s", cmd_quote(t->p, s));
                ok = false;
            }
            extend = true;
            increment = false;
        } else if (*s == '+') {
            if (have) {
                cmd_error(t->p, "'+' specifier not at start of number: %s", cmd_quote(t->p, s));
                ok = false;
            }
            increment = true;
            extend = false;
        } else if (*s >= '0' && *s <= '9') {
            if (!have) {
                v = 0;
                have = true;
                num_start = s;
            }
            unsigned d = (unsigned)(*s - '0');
            if (v > (UINTMAX_MAX - d) / 10) {
                size_t len = strspn(num_start, "0123456789");
                char *bad = p_strndup(t->p, num_start, len);
                cmd_error(t->p, "tab stop is too large %s", cmd_quote(t->p, bad ? bad : ""));
                ok = false;
                s = num_start + len - 1;
            } else
                v = v * 10 + d;
        } else {
            cmd_error(t->p, "tab size contains invalid character(s): %s", cmd_quote(t->p, s));
            ok = false;
            break;
        }
    }
    if (ok && have) {
        if (extend)
            ok &= set_extend(t, v);
        else if (increment)
            ok &= set_increment(t, v);
        else
            add_tab_stop(t, v);
    }
    return ok && t->ok;
}

static bool finalize(struct tabs *t)
{
    uintmax_t prev = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->list[i] == 0) {
            cmd_error(t->p, "tab size cannot be 0");
            return false;
        }
        if (t->list[i] <= prev) {
            cmd_error(t->p, "tab sizes must be ascending");
            return false;
        }
        prev = t->list[i];
    }
    if (t->increment_size && t->extend_size) {
        cmd_error(t->p, "'/' specifier is mutually exclusive with '+'");
        return false;
    }
    if (t->n == 0)
        t->tab_size = t->max_width =
            t->extend_size ? t->extend_size : t->increment_size ? t->increment_size : 8;
    else if (t->n == 1 && !t->extend_size && !t->increment_size)
        t->tab_size = t->list[0];
    else
        t->tab_size = 0;
    if (t->extend_size > t->max_width) t->max_width = t->extend_size;
    if (t->increment_size > t->max_width) t->max_width = t->increment_size;
    return true;
}

static uintmax_t next_tab(const struct tabs *t, uintmax_t col, size_t *idx, bool *last)
{
    *last = false;
    if (t->tab_size) return col + (t->tab_size - col % t->tab_size);
    for (; *idx < t->n; (*idx)++)
        if (col < t->list[*idx]) return t->list[*idx];
    if (t->extend_size) return col + (t->extend_size - col % t->extend_size);
    if (t->increment_size) {
        uintmax_t end = t->list[t->n - 1];
        return col + (t->increment_size - ((col - end) % t->increment_size));
    }
    *last = true;
    return 0;
}

/* The input files as one byte stream. */
struct stream {
    struct proc *p;
    char **files;
    int n, cur, fd;
    bool open;
    char *buf;
    size_t pos, len;
    int status;
};

static int next_byte(struct stream *s)
{
    for (;;) {
        if (s->pos < s->len) return (unsigned char)s->buf[s->pos++];
        if (!s->open) {
            if (s->cur >= s->n) return -1;
            const char *name = s->files[s->cur++];
            int fd = cmd_open_input(s->p, name);
            if (fd < 0) {
                cmd_file_error(s->p, name, fd);
                s->status = 1;
                continue;
            }
            s->fd = fd;
            s->open = true;
        }
        ssize_t r = sys_read(s->p, s->fd, s->buf, IO_BUFSIZE);
        if (r <= 0) {
            if (r < 0) {
                if (r != -EINTR) cmd_file_error(s->p, s->files[s->cur - 1], (int)r);
                s->status = 1;
                if (r == -EINTR) return -1;
            }
            cmd_close_input(s->p, s->fd);
            s->open = false;
            continue;
        }
        s->pos = 0;
        s->len = (size_t)r;
    }
}

static int too_long(struct proc *p)
{
    cmd_error(p, "input line is too long");
    return 1;
}

static int do_expand(struct stream *s, const struct tabs *t, bool entire, struct obuf *o)
{
    unsigned long iter = 0;
    for (;;) {
        bool convert = true;
        uintmax_t col = 0;
        size_t idx = 0;
        int c;
        do {
            c = next_byte(s);
            if (convert) {
                if (c == '\t') {
                    bool last;
                    uintmax_t nt = next_tab(t, col, &idx, &last);
                    if (last) nt = col + 1;
                    if (nt < col) return too_long(s->p);
                    while (++col < nt) obuf_putc(o, ' ');
                    c = ' ';
                } else if (c == '\b') {
                    col -= !!col;
                    idx -= !!idx;
                } else {
                    col++;
                    if (!col) return too_long(s->p);
                }
                convert &= entire || c == ' ' || c == '\t';
            }
            if (c < 0) return 0;
            obuf_putc(o, (char)c);
        } while (c != '\n');
        if ((++iter & 0xfff) == 0 && (proc_check(s->p) < 0 || obuf_failed(o))) return 1;
    }
}

static int do_unexpand(struct stream *s, const struct tabs *t, bool entire, struct obuf *o)
{
    char *pending = p_malloc(s->p, (size_t)(t->max_width < 4096 ? 4096 : t->max_width + 1));
    size_t pcap = t->max_width < 4096 ? 4096 : (size_t)t->max_width + 1;
    if (!pending) {
        cmd_error(s->p, "memory exhausted");
        return 1;
    }
    unsigned long iter = 0;
    for (;;) {
        bool convert = true, one_blank_before = false, prev_blank = true;
        uintmax_t col = 0, nt = 0;
        size_t idx = 0, npend = 0;
        int c;
        do {
            c = next_byte(s);
            if (convert) {
                bool blank = c == ' ' || c == '\t';
                if (blank) {
                    bool last;
                    nt = next_tab(t, col, &idx, &last);
                    if (last) convert = false;
                    if (convert) {
                        if (nt < col) return too_long(s->p);
                        if (c == '\t') {
                            col = nt;
                            if (npend) pending[0] = '\t';
                        } else {
                            col++;
                            if (!(prev_blank && col == nt)) {
                                if (col == nt) one_blank_before = true;
                                if (npend + 1 >= pcap) {
                                    size_t ncap = pcap * 2;
                                    char *np = p_realloc(s->p, pending, ncap);
                                    if (!np) {
                                        cmd_error(s->p, "memory exhausted");
                                        return 1;
                                    }
                                    pending = np;
                                    pcap = ncap;
                                }
                                pending[npend++] = (char)c;
                                prev_blank = true;
                                continue;
                            }
                            pending[0] = (char)(c = '\t');
                        }
                        npend = one_blank_before;
                    }
                } else if (c == '\b') {
                    col -= !!col;
                    nt = col;
                    idx -= !!idx;
                } else {
                    col++;
                    if (!col) return too_long(s->p);
                }
                if (npend) {
                    if (npend > 1 && one_blank_before) pending[0] = '\t';
                    obuf_write(o, pending, npend);
                    npend = 0;
                    one_blank_before = false;
                }
                prev_blank = blank;
                convert &= entire || blank;
            }
            if (c < 0) {
                p_free(s->p, pending);
                return 0;
            }
            obuf_putc(o, (char)c);
        } while (c != '\n');
        if ((++iter & 0xfff) == 0 && (proc_check(s->p) < 0 || obuf_failed(o))) return 1;
    }
}

static int tab_main(struct proc *p, int argc, char **argv, bool un)
{
    struct opt_spec spec = {.name = un ? "unexpand" : "expand",
                            .shorts = un ? ",0123456789at:"
                                         : "it:0::1::2::3::4::5::6::7::8::9::",
                            .longs = un ? unexpand_longs : expand_longs,
                            .help = un ? unexpand_help : expand_help,
                            .authors = "David MacKenzie"};
    struct tabs t = {.p = p, .ok = true};
    bool entire = !un, first_only = false;
    /* Obsolete forms: expand -N[,M...] (a digit with an optional
     * argument); unexpand's digits accumulate until a ','. */
    bool have_tabval = false;
    uintmax_t tabval = 0;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'i': entire = false; break;
        case 'a': entire = true; break;
        case OPT_FIRST_ONLY: first_only = true; break;
        case 't':
            if (un) entire = true;
            if (!parse_tab_stops(&t, o.arg)) return 1;
            break;
        case ',':
            if (have_tabval) add_tab_stop(&t, tabval);
            have_tabval = false;
            break;
        case OPT_EXIT: return o.status;
        default:
            if (c >= '0' && c <= '9') {
                if (!un) {
                    char one[2] = {(char)c, 0};
                    if (!parse_tab_stops(&t, o.arg ? o.arg - 1 : one)) return 1;
                    break;
                }
                if (!have_tabval) {
                    tabval = 0;
                    have_tabval = true;
                }
                unsigned d = (unsigned)(c - '0');
                if (tabval > (UINTMAX_MAX - d) / 10) {
                    cmd_error(p, "tab stop value is too large");
                    return 1;
                }
                tabval = tabval * 10 + d;
                break;
            }
            return opt_usage_error(&o, NULL);
        }
    }
    if (have_tabval) add_tab_stop(&t, tabval);
    if (!t.ok) return 1;
    if (first_only) entire = false;
    if (!finalize(&t)) return 1;
    static char *dash[] = {"-", NULL};
    struct stream s = {.p = p,
                       .files = o.ind < argc ? argv + o.ind : dash,
                       .n = o.ind < argc ? argc - o.ind : 1};
    s.buf = p_malloc(p, IO_BUFSIZE);
    if (!s.buf) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    int r = un ? do_unexpand(&s, &t, entire, &out) : do_expand(&s, &t, entire, &out);
    if (s.open) cmd_close_input(p, s.fd);
    return cmd_close_stdout(p, &out, r || s.status ? 1 : 0);
}

int cmd_expand(struct proc *p, int argc, char **argv)
{
    return tab_main(p, argc, argv, false);
}

int cmd_unexpand(struct proc *p, int argc, char **argv)
{
    return tab_main(p, argc, argv, true);
}
