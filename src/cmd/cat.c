/* cat.c — concatenate files to standard output. The plain case is a
 * read/write loop of large blocks; -n -b -s -E -T -v (and -A -e -t) go
 * through a formatting loop whose line state carries across files, as in
 * GNU cat. */
#include "cmd/cmd.h"

#include <fcntl.h>

static const char cat_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Concatenate FILE(s) to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "  -A, --show-all           equivalent to -vET\n"
    "  -b, --number-nonblank    number nonempty output lines, overrides -n\n"
    "  -e                       equivalent to -vE\n"
    "  -E, --show-ends          display $ at end of each line\n"
    "  -n, --number             number all output lines\n"
    "  -s, --squeeze-blank      suppress repeated empty output lines\n"
    "  -t                       equivalent to -vT\n"
    "  -T, --show-tabs          display TAB characters as ^I\n"
    "  -u                       (ignored)\n"
    "  -v, --show-nonprinting   use ^ and M- notation, except for LFD and TAB\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Examples:\n"
    "  %s f - g  Output f's contents, then standard input, then g's contents.\n"
    "  %s        Copy standard input to standard output.\n"
    "\n"
    COREUTILS_HELP_TAIL("cat", "cat");

static const struct opt_long longs[] = {
    {"number-nonblank", OPT_NOARG, 'b'}, {"number", OPT_NOARG, 'n'},
    {"squeeze-blank", OPT_NOARG, 's'},   {"show-nonprinting", OPT_NOARG, 'v'},
    {"show-ends", OPT_NOARG, 'E'},       {"show-tabs", OPT_NOARG, 'T'},
    {"show-all", OPT_NOARG, 'A'},        {0}};
static const struct opt_spec spec = {.name = "cat",
                                     .shorts = "benstuvAET",
                                     .longs = longs,
                                     .help = cat_help,
                                     .authors = "Torbjorn Granlund and Richard M. Stallman"};

struct cat {
    struct proc *p;
    bool number, nonblank, squeeze, ends, tabs, nonprint;
    /* GNU's line state: -1 inside a line, else newlines just seen - 1 */
    int newlines;
    uintmax_t lineno;
    bool pending_cr; /* -E: a '\r' ended the last block; ^M if '\n' follows */
    struct obuf out;
    char *buf;
};

static void put_lineno(struct cat *c)
{
    obuf_printf(&c->out, "%6ju\t", ++c->lineno);
}

static void format_block(struct cat *c, const unsigned char *s, size_t n)
{
    struct obuf *o = &c->out;
    if (c->pending_cr) {
        c->pending_cr = false;
        if (n && s[0] == '\n')
            obuf_write(o, "^M", 2);
        else
            obuf_putc(o, '\r');
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = s[i];
        if (ch == '\n') {
            if (++c->newlines > 0) {
                if (c->newlines >= 2) {
                    c->newlines = 2;
                    if (c->squeeze) continue;
                }
                if (c->number && !c->nonblank) put_lineno(c);
            }
            if (c->ends) obuf_putc(o, '$');
            obuf_putc(o, '\n');
            continue;
        }
        if (c->newlines >= 0 && c->number) put_lineno(c);
        c->newlines = -1;
        if (c->nonprint) {
            if (ch >= 32) {
                if (ch < 127) {
                    obuf_putc(o, ch);
                } else if (ch == 127) {
                    obuf_write(o, "^?", 2);
                } else {
                    obuf_write(o, "M-", 2);
                    if (ch >= 128 + 32) {
                        if (ch < 128 + 127)
                            obuf_putc(o, ch - 128);
                        else
                            obuf_write(o, "^?", 2);
                    } else {
                        obuf_putc(o, '^');
                        obuf_putc(o, ch - 128 + 64);
                    }
                }
            } else if (ch == '\t' && !c->tabs) {
                obuf_putc(o, '\t');
            } else {
                obuf_putc(o, '^');
                obuf_putc(o, ch + 64);
            }
        } else if (ch == '\t' && c->tabs) {
            obuf_write(o, "^I", 2);
        } else if (ch == '\r' && c->ends) {
            if (i + 1 == n)
                c->pending_cr = true;
            else if (s[i + 1] == '\n')
                obuf_write(o, "^M", 2);
            else
                obuf_putc(o, ch);
        } else {
            obuf_putc(o, ch);
        }
    }
}

/* Copy one input. Returns false after reporting an error. */
static bool cat_fd(struct cat *c, int fd, const char *name, bool plain)
{
    for (;;) {
        ssize_t n = sys_read(c->p, fd, c->buf, IO_BUFSIZE);
        if (n < 0) {
            if (n == -EINTR) return false;
            cmd_file_error(c->p, name, (int)n);
            return false;
        }
        if (n == 0) return true;
        if (plain) {
            int r = io_write_all(c->p, 1, c->buf, (size_t)n);
            if (r < 0) {
                c->out.err = r;
                return false;
            }
        } else {
            format_block(c, (unsigned char *)c->buf, (size_t)n);
            if (obuf_failed(&c->out)) return false;
        }
    }
}

int cmd_cat(struct proc *p, int argc, char **argv)
{
    struct cat c = {.p = p};
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int ch; (ch = opt_next(&o)) != OPT_END;) {
        switch (ch) {
        case 'b': c.number = c.nonblank = true; break;
        case 'e': c.ends = c.nonprint = true; break;
        case 'n': c.number = true; break;
        case 's': c.squeeze = true; break;
        case 't': c.tabs = c.nonprint = true; break;
        case 'u': break;
        case 'v': c.nonprint = true; break;
        case 'A': c.nonprint = c.ends = c.tabs = true; break;
        case 'E': c.ends = true; break;
        case 'T': c.tabs = true; break;
        case OPT_EXIT: return o.status;
        }
    }
    bool plain = !(c.number || c.squeeze || c.ends || c.tabs || c.nonprint);
    obuf_init(&c.out, p, 1);
    c.buf = p_malloc(p, IO_BUFSIZE);
    if (!c.buf) {
        cmd_errno(p, -ENOMEM, "%s", "memory exhausted");
        return 1;
    }
    struct stat ost;
    bool have_ost = sys_fstat(p, 1, &ost) == 0 && S_ISREG(ost.st_mode);

    static char *dash[] = {"-", NULL};
    char **files = o.ind < argc ? argv + o.ind : dash;
    int nfiles = o.ind < argc ? argc - o.ind : 1;
    int status = 0;
    for (int i = 0; i < nfiles && !obuf_failed(&c.out); i++) {
        const char *name = files[i];
        int fd = cmd_open_input(p, name);
        if (fd < 0) {
            cmd_file_error(p, name, fd);
            status = 1;
            continue;
        }
        struct stat ist;
        if (have_ost && sys_fstat(p, fd, &ist) == 0 && S_ISREG(ist.st_mode) &&
            ist.st_dev == ost.st_dev && ist.st_ino == ost.st_ino &&
            sys_lseek(p, fd, 0, SEEK_CUR) < ist.st_size) {
            cmd_error(p, "%s: input file is output file", cmd_quotef(p, name));
            cmd_close_input(p, fd);
            status = 1;
            continue;
        }
        if (!cat_fd(&c, fd, name, plain) && !obuf_failed(&c.out)) status = 1;
        cmd_close_input(p, fd);
        if (c.pending_cr) format_block(&c, NULL, 0); /* a final '\r' stays itself */
        if (!plain) obuf_flush(&c.out);
    }
    p_free(p, c.buf);
    return cmd_close_stdout(p, &c.out, status);
}
