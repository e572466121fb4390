/* wc.c — newline, word, character, byte counts and longest line width
 * (-l -w -m -c -L, --files0-from), with GNU's column width rule: one count
 * of one input is printed bare; else the width of the total size of the
 * regular files, at least 7 when a non-regular input (a pipe) is among them. */
#include "cmd/cmd.h"

#include <fcntl.h>

static const char wc_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "  or:  %s [OPTION]... --files0-from=F\n"
    "Print newline, word, and byte counts for each FILE, and a total line if\n"
    "more than one FILE is specified.  A word is a non-zero-length sequence of\n"
    "printable characters delimited by white space.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "The options below may be used to select which counts are printed, always in\n"
    "the following order: newline, word, character, byte, maximum line length.\n"
    "  -c, --bytes            print the byte counts\n"
    "  -m, --chars            print the character counts\n"
    "  -l, --lines            print the newline counts\n"
    "      --files0-from=F    read input from the files specified by\n"
    "                           NUL-terminated names in file F;\n"
    "                           If F is - then read names from standard input\n"
    "  -L, --max-line-length  print the maximum display width\n"
    "  -w, --words            print the word counts\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("wc", "wc");

enum { FILES0_FROM = 256 };
static const struct opt_long longs[] = {{"bytes", OPT_NOARG, 'c'},
                                        {"chars", OPT_NOARG, 'm'},
                                        {"lines", OPT_NOARG, 'l'},
                                        {"words", OPT_NOARG, 'w'},
                                        {"files0-from", OPT_ARG, FILES0_FROM},
                                        {"max-line-length", OPT_NOARG, 'L'},
                                        {0}};
static const struct opt_spec spec = {.name = "wc",
                                     .shorts = "clLmw",
                                     .longs = longs,
                                     .help = wc_help,
                                     .authors = "Paul Rubin and David MacKenzie"};

struct counts {
    uintmax_t lines, words, chars, bytes, maxlen;
};

struct wc {
    struct proc *p;
    bool lines, words, chars, bytes, maxlen;
    bool utf8;
    bool nbsp_sep; /* no-break spaces separate words (unless POSIXLY_CORRECT) */
    int width;
    struct obuf out;
    struct counts total;
    char *buf;
};

/* Count one input; false on a read error (already reported). */
static bool wc_fd(struct wc *w, int fd, const char *name, struct counts *c)
{
    bool in_word = false, ok = true;
    bool slow = w->words || w->chars || w->maxlen;
    uintmax_t linepos = 0;
    size_t carry = 0; /* bytes of an incomplete UTF-8 character, kept before buf+4 */
    unsigned char *base = (unsigned char *)w->buf;
    for (;;) {
        ssize_t n = sys_read(w->p, fd, base + 4, IO_BUFSIZE);
        if (n < 0) {
            if (n != -EINTR) cmd_file_error(w->p, name, (int)n);
            ok = false;
            break;
        }
        if (n == 0) break;
        c->bytes += (size_t)n;
        if (!slow) {
            const unsigned char *s = base + 4, *e = s + n;
            for (; (s = memchr(s, '\n', (size_t)(e - s))); s++) c->lines++;
            continue;
        }
        const unsigned char *s = base + 4 - carry;
        size_t len = (size_t)n + carry;
        carry = 0;
        for (size_t i = 0; i < len;) {
            uint32_t wc = s[i];
            if (wc < 0x80 || !w->utf8) {
                i++;
                if (wc >= 0x80) { /* C locale: a character, not printable */
                    c->chars++;
                    continue;
                }
            } else {
                int l = cmd_utf8_decode(s + i, len - i, &wc);
                if (l == -2) {
                    carry = len - i;
                    memmove(base + 4 - carry, s + i, carry);
                    break;
                }
                if (l < 0) {
                    i++;
                    continue;
                }
                i += (size_t)l;
            }
            c->chars++;
            switch (wc) {
            case '\n':
                c->lines++;
                /* fall through */
            case '\r':
            case '\f':
                if (linepos > c->maxlen) c->maxlen = linepos;
                linepos = 0;
                goto sep;
            case '\t': linepos += 8 - (linepos % 8); goto sep;
            case ' ':
                linepos++;
                /* fall through */
            case '\v':
            sep:
                c->words += in_word;
                in_word = false;
                break;
            default:
                if (cmd_iswprint(wc, w->utf8)) {
                    int width = cmd_wcwidth(wc, w->utf8);
                    if (width > 0) linepos += (uintmax_t)width;
                    if (cmd_iswspace(wc, w->utf8) ||
                        (w->nbsp_sep &&
                         (wc == 0xa0 || wc == 0x2007 || wc == 0x202f || wc == 0x2060)))
                        goto sep;
                    in_word = true;
                }
                break;
            }
        }
    }
    if (linepos > c->maxlen) c->maxlen = linepos;
    c->words += in_word;
    return ok;
}

static void put_counts(struct wc *w, const struct counts *c, const char *name)
{
    const char *sep = "";
    uintmax_t vals[5] = {c->lines, c->words, c->chars, c->bytes, c->maxlen};
    bool on[5] = {w->lines, w->words, w->chars, w->bytes, w->maxlen};
    for (int i = 0; i < 5; i++) {
        if (!on[i]) continue;
        obuf_printf(&w->out, "%s%*ju", sep, w->width, vals[i]);
        sep = " ";
    }
    if (name) {
        obuf_putc(&w->out, ' ');
        obuf_puts(&w->out, strchr(name, '\n') ? cmd_quotef(w->p, name) : name);
    }
    obuf_putc(&w->out, '\n');
}

static bool wc_file(struct wc *w, const char *name, const char *shown)
{
    bool is_stdin = !name || strcmp(name, "-") == 0;
    int fd = is_stdin ? 0 : sys_open(w->p, name, O_RDONLY, 0);
    if (fd < 0) {
        cmd_file_error(w->p, name, fd);
        return false;
    }
    struct counts c = {0};
    bool ok = wc_fd(w, fd, is_stdin && !name ? "standard input" : name, &c);
    if (!is_stdin) sys_close(w->p, fd);
    put_counts(w, &c, shown);
    w->total.lines += c.lines;
    w->total.words += c.words;
    w->total.chars += c.chars;
    w->total.bytes += c.bytes;
    if (c.maxlen > w->total.maxlen) w->total.maxlen = c.maxlen;
    return ok;
}

/* Read NUL-separated names from file f ("-": stdin). */
static char **read_names(struct wc *w, const char *f, int *count, bool *ok, bool *regular)
{
    int fd = cmd_open_input(w->p, f);
    if (fd < 0) {
        cmd_errno(w->p, fd, "cannot open %s for reading", cmd_quoteaf(w->p, f));
        return NULL;
    }
    struct stat st;
    *regular = sys_fstat(w->p, fd, &st) == 0 && S_ISREG(st.st_mode);
    struct sbuf data;
    sbuf_init(&data, w->p);
    for (;;) {
        ssize_t n = sys_read(w->p, fd, w->buf, IO_BUFSIZE);
        if (n <= 0) {
            if (n < 0) {
                cmd_file_error(w->p, f, (int)n);
                *ok = false;
            }
            break;
        }
        sbuf_add(&data, w->buf, (size_t)n);
    }
    cmd_close_input(w->p, fd);
    int n = 0;
    for (size_t i = 0; i < data.len; i++)
        if (data.s[i] == '\0' || i + 1 == data.len) n++;
    char **names = p_calloc(w->p, (size_t)n + 1, sizeof *names);
    if (!names || data.oom) return NULL;
    int k = 0;
    for (size_t i = 0; i < data.len;) {
        size_t l = strnlen(data.s + i, data.len - i);
        names[k++] = data.s + i;
        i += l + 1;
    }
    *count = k;
    return names;
}

int cmd_wc(struct proc *p, int argc, char **argv)
{
    struct wc w = {.p = p};
    const char *files0 = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'c': w.bytes = true; break;
        case 'm': w.chars = true; break;
        case 'l': w.lines = true; break;
        case 'w': w.words = true; break;
        case 'L': w.maxlen = true; break;
        case FILES0_FROM: files0 = o.arg; break;
        case OPT_EXIT: return o.status;
        }
    }
    if (!(w.bytes || w.chars || w.lines || w.words || w.maxlen)) w.lines = w.words = w.bytes = true;
    w.utf8 = cmd_utf8_locale(p);
    w.nbsp_sep = !proc_getenv(p, "POSIXLY_CORRECT");
    w.buf = p_malloc(p, IO_BUFSIZE + 4);
    if (!w.buf) {
        cmd_errno(p, -ENOMEM, "memory exhausted");
        return 1;
    }
    bool ok = true;
    char **files;
    int nfiles;
    bool files0_regular = true; /* GNU reads names from a non-file as a stream: width 1 */
    static char *none[] = {NULL};
    if (files0) {
        if (o.ind < argc) {
            cmd_error(p, "extra operand %s", cmd_quoteaf(p, argv[o.ind]));
            io_write_all(p, 2, "file operands cannot be combined with --files0-from\n", 52);
            return opt_usage_error(&o, NULL);
        }
        files = read_names(&w, files0, &nfiles, &ok, &files0_regular);
        if (!files) return 1;
    } else if (o.ind < argc) {
        files = argv + o.ind;
        nfiles = argc - o.ind;
    } else {
        files = none;
        nfiles = 1;
    }
    int ncounts = w.lines + w.words + w.chars + w.bytes + w.maxlen;
    /* Column width: see the comment at the top. */
    w.width = 1;
    if (files0_regular && (nfiles > 1 || (nfiles == 1 && ncounts > 1))) {
        int minw = 1;
        uintmax_t regular = 0;
        for (int i = 0; i < nfiles; i++) {
            struct stat st;
            int r = !files[i] || strcmp(files[i], "-") == 0 ? sys_fstat(p, 0, &st)
                                                            : sys_stat(p, files[i], &st);
            if (r < 0) continue;
            if (S_ISREG(st.st_mode))
                regular += (uintmax_t)st.st_size;
            else
                minw = 7;
        }
        for (; regular >= 10; regular /= 10) w.width++;
        if (w.width < minw) w.width = minw;
    }
    obuf_init(&w.out, p, 1);
    for (int i = 0; i < nfiles && !obuf_failed(&w.out); i++) {
        const char *f = files[i];
        if (files0 && f && !*f) {
            cmd_error(p, "%s:%d: invalid zero-length file name",
                      cmd_quotef(p, strcmp(files0, "-") == 0 ? "-" : files0), i + 1);
            ok = false;
            continue;
        }
        if (files0 && strcmp(files0, "-") == 0 && f && strcmp(f, "-") == 0) {
            cmd_error(p, "when reading file names from stdin, no file name of %s allowed",
                      cmd_quoteaf(p, f));
            ok = false;
            continue;
        }
        if (!wc_file(&w, f, f)) ok = false;
        obuf_flush(&w.out);
    }
    if (nfiles > 1) put_counts(&w, &w.total, "total");
    p_free(p, w.buf);
    return cmd_close_stdout(p, &w.out, ok ? 0 : 1);
}
