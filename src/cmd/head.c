/* head.c — output the first part of files: -n [-]NUM lines, -c [-]NUM
 * bytes (a leading '-' prints all but the last NUM), -q -v headers, -z,
 * and the old "-5", "-3c", "-2kq" syntax. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <stdint.h>

static const char head_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Print the first 10 lines of each FILE to standard output.\n"
    "With more than one FILE, precede each with a header giving the file name.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -c, --bytes=[-]NUM       print the first NUM bytes of each file;\n"
    "                             with the leading '-', print all but the last\n"
    "                             NUM bytes of each file\n"
    "  -n, --lines=[-]NUM       print the first NUM lines instead of the first 10;\n"
    "                             with the leading '-', print all but the last\n"
    "                             NUM lines of each file\n"
    "  -q, --quiet, --silent    never print headers giving file names\n"
    "  -v, --verbose            always print headers giving file names\n"
    "  -z, --zero-terminated    line delimiter is NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "NUM may have a multiplier suffix:\n"
    "b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,\n"
    "GB 1000*1000*1000, G 1024*1024*1024, and so on for T, P, E, Z, Y.\n"
    "Binary prefixes can be used, too: KiB=K, MiB=M, and so on.\n"
    "\n"
    COREUTILS_HELP_TAIL("head", "head");

static const struct opt_long longs[] = {{"bytes", OPT_ARG, 'c'},
                                        {"lines", OPT_ARG, 'n'},
                                        {"quiet", OPT_NOARG, 'q'},
                                        {"silent", OPT_NOARG, 'q'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {"zero-terminated", OPT_NOARG, 'z'},
                                        {0}};
static const struct opt_spec spec = {.name = "head",
                                     .shorts = "c:n:qvz0123456789",
                                     .longs = longs,
                                     .help = head_help,
                                     .authors = "David MacKenzie and Jim Meyering"};

#define SUFFIXES "bkKmMGTPEZY0"

struct head {
    struct proc *p;
    struct obuf out;
    bool lines, elide;
    uintmax_t n;
    char delim;
    char *buf;
};

static int read_err(struct head *h, const char *name, ssize_t r)
{
    if (r != -EINTR) cmd_errno(h->p, (int)r, "error reading %s", cmd_quoteaf(h->p, name));
    return -1;
}

/* First n bytes. */
static int head_bytes(struct head *h, int fd, const char *name)
{
    uintmax_t left = h->n;
    while (left > 0) {
        size_t want = left < IO_BUFSIZE ? (size_t)left : IO_BUFSIZE;
        ssize_t r = sys_read(h->p, fd, h->buf, want);
        if (r < 0) return read_err(h, name, r);
        if (r == 0) break;
        obuf_write(&h->out, h->buf, (size_t)r);
        if (obuf_failed(&h->out)) return -1;
        left -= (uintmax_t)r;
    }
    return 0;
}

/* First n lines; give back what was read past them on a seekable input. */
static int head_lines(struct head *h, int fd, const char *name)
{
    uintmax_t left = h->n;
    while (left > 0) {
        ssize_t r = sys_read(h->p, fd, h->buf, IO_BUFSIZE);
        if (r < 0) return read_err(h, name, r);
        if (r == 0) break;
        size_t used = 0;
        while (used < (size_t)r && left > 0) {
            char *nl = memchr(h->buf + used, h->delim, (size_t)r - used);
            if (!nl) {
                used = (size_t)r;
                break;
            }
            used = (size_t)(nl - h->buf) + 1;
            left--;
        }
        obuf_write(&h->out, h->buf, used);
        if (obuf_failed(&h->out)) return -1;
        if (used < (size_t)r) sys_lseek(h->p, fd, (off_t)used - r, SEEK_CUR);
    }
    return 0;
}

/* All but the last n bytes or lines: hold back a window of input. */
static int head_elide(struct head *h, int fd, const char *name)
{
    struct proc *p = h->p;
    char *win = NULL;
    size_t start = 0, len = 0, cap = 0;
    uintmax_t nls = 0; /* delimiters in win[start, start+len) */
    int ret = 0;
    for (;;) {
        ssize_t r = sys_read(p, fd, h->buf, IO_BUFSIZE);
        if (r < 0) {
            ret = read_err(h, name, r);
            break;
        }
        bool eof = r == 0;
        if (!eof) {
            if (start + len + (size_t)r > cap) {
                if (start) {
                    memmove(win, win + start, len);
                    start = 0;
                }
                if (len + (size_t)r > cap) {
                    size_t ncap = cap ? cap : IO_BUFSIZE;
                    while (ncap < len + (size_t)r) ncap *= 2;
                    char *nw = p_realloc(p, win, ncap);
                    if (!nw) {
                        cmd_errno(p, -ENOMEM, "memory exhausted");
                        ret = -1;
                        break;
                    }
                    win = nw;
                    cap = ncap;
                }
            }
            memcpy(win + start + len, h->buf, (size_t)r);
            if (h->lines) {
                for (char *s = h->buf, *e = h->buf + r; (s = memchr(s, h->delim, (size_t)(e - s)));
                     s++)
                    nls++;
            }
            len += (size_t)r;
        }
        /* Output what can no longer be among the last n units. */
        size_t out = 0;
        if (!h->lines) {
            if (len > h->n) out = len - (size_t)h->n;
        } else {
            uintmax_t units = nls;
            if (eof && len > 0 && win[start + len - 1] != h->delim) units++;
            while (units > h->n) {
                char *nl = memchr(win + start + out, h->delim, len - out);
                if (!nl) {
                    out = len;
                    break;
                }
                out = (size_t)(nl - (win + start)) + 1;
                units--;
                nls--;
            }
        }
        obuf_write(&h->out, win + start, out);
        start += out;
        len -= out;
        if (obuf_failed(&h->out) || eof) {
            ret = obuf_failed(&h->out) ? -1 : 0;
            break;
        }
    }
    p_free(p, win);
    return ret;
}

static int head_file(struct head *h, const char *name, bool header, bool *first)
{
    bool is_stdin = strcmp(name, "-") == 0;
    const char *shown = is_stdin ? "standard input" : name;
    int fd = is_stdin ? 0 : sys_open(h->p, name, O_RDONLY, 0);
    if (fd < 0) {
        cmd_errno(h->p, fd, "cannot open %s for reading", cmd_quoteaf(h->p, name));
        return -1;
    }
    if (header) {
        obuf_printf(&h->out, "%s==> %s <==\n", *first ? "" : "\n", shown);
        *first = false;
    }
    int r;
    if (h->elide && h->n > 0)
        r = head_elide(h, fd, shown);
    else if (h->elide)
        r = h->lines ? (h->n = UINTMAX_MAX, head_lines(h, fd, shown))
                     : (h->n = UINTMAX_MAX, head_bytes(h, fd, shown));
    else
        r = h->lines ? head_lines(h, fd, shown) : head_bytes(h, fd, shown);
    if (!is_stdin) sys_close(h->p, fd);
    return r;
}

int cmd_head(struct proc *p, int argc, char **argv)
{
    struct head h = {.p = p, .lines = true, .n = 10, .delim = '\n'};
    enum { MULTIPLE, ALWAYS, NEVER } header_mode = MULTIPLE;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);

    /* Old syntax: -NUM[bkm][cl][qvz] as the first argument. */
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
        char *a = argv[1] + 1;
        size_t digits = strspn(a, "0123456789");
        char mult = 0;
        for (char *t = a + digits; *t; t++) {
            switch (*t) {
            case 'c':
                h.lines = false;
                mult = 0;
                break;
            case 'b':
            case 'k':
            case 'm':
                h.lines = false;
                mult = *t;
                break;
            case 'l': h.lines = true; break;
            case 'q': header_mode = NEVER; break;
            case 'v': header_mode = ALWAYS; break;
            case 'z': h.delim = '\0'; break;
            default: return opt_usage_error(&o, "invalid trailing option -- %c", *t);
            }
        }
        char num[64];
        if (digits > sizeof num - 2) digits = sizeof num - 2;
        memcpy(num, a, digits);
        num[digits] = mult;
        num[digits + (mult != 0)] = '\0';
        if (opt_dectoumax(&o, num, 0, UINTMAX_MAX, SUFFIXES,
                          h.lines ? "invalid number of lines" : "invalid number of bytes",
                          &h.n) < 0)
            return 1;
        o.ind = 2;
        o.first_nonopt = o.last_nonopt = 2;
    }
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'c':
        case 'n':
            h.lines = c == 'n';
            h.elide = *o.arg == '-';
            if (opt_dectoumax(&o, o.arg + h.elide, 0, UINTMAX_MAX, SUFFIXES,
                              h.lines ? "invalid number of lines" : "invalid number of bytes",
                              &h.n) < 0)
                return 1;
            break;
        case 'q': header_mode = NEVER; break;
        case 'v': header_mode = ALWAYS; break;
        case 'z': h.delim = '\0'; break;
        case OPT_EXIT: return o.status;
        default:
            if (c >= '0' && c <= '9')
                return opt_usage_error(&o, "invalid trailing option -- %c", c);
            return opt_usage_error(&o, NULL);
        }
    }
    static char *dash[] = {"-", NULL};
    char **files = o.ind < argc ? argv + o.ind : dash;
    int nfiles = o.ind < argc ? argc - o.ind : 1;
    bool header = header_mode == ALWAYS || (header_mode == MULTIPLE && nfiles > 1);

    h.buf = p_malloc(p, IO_BUFSIZE);
    if (!h.buf) {
        cmd_errno(p, -ENOMEM, "memory exhausted");
        return 1;
    }
    obuf_init(&h.out, p, 1);
    int status = 0;
    bool first = true;
    for (int i = 0; i < nfiles && !obuf_failed(&h.out); i++) {
        if (head_file(&h, files[i], header, &first) < 0) status = 1;
        obuf_flush(&h.out);
    }
    p_free(p, h.buf);
    return cmd_close_stdout(p, &h.out, status);
}
