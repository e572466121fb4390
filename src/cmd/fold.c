/* fold.c — wrap each input line to fit in a width: -w WIDTH (and the
 * obsolete -WIDTH), -b (count bytes), -s (break at blanks); GNU's column
 * rules (tab stops of 8, backspace, carriage return). */
#include "cmd/cmd.h"

static const char fold_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Wrap input lines in each FILE, writing to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -b, --bytes         count bytes rather than columns\n"
    "  -s, --spaces        break at spaces\n"
    "  -w, --width=WIDTH   use WIDTH columns instead of 80\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("fold", "fold");

static const struct opt_long longs[] = {
    {"bytes", OPT_NOARG, 'b'}, {"spaces", OPT_NOARG, 's'}, {"width", OPT_ARG, 'w'}, {0}};
static const struct opt_spec spec = {.name = "fold",
                                     .shorts = "bsw:0123456789",
                                     .longs = longs,
                                     .help = fold_help,
                                     .authors = "David MacKenzie"};

struct fold {
    struct proc *p;
    bool bytes, spaces;
    size_t width;
    struct obuf out;
    char *line;
    size_t len, cap;
};

static size_t adjust(const struct fold *f, size_t col, char c)
{
    if (f->bytes) return col + 1;
    if (c == '\b') return col ? col - 1 : 0;
    if (c == '\r') return 0;
    if (c == '\t') return col + 8 - col % 8;
    return col + 1;
}

static bool push(struct fold *f, char c)
{
    if (f->len + 1 >= f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 256;
        char *n = p_realloc(f->p, f->line, nc);
        if (!n) return false;
        f->line = n;
        f->cap = nc;
    }
    f->line[f->len++] = c;
    return true;
}

static int fold_file(struct fold *f, const char *name)
{
    struct proc *p = f->p;
    int fd = cmd_open_input(p, name);
    if (fd < 0) {
        cmd_file_error(p, name, fd);
        return 1;
    }
    char *buf = p_malloc(p, IO_BUFSIZE);
    if (!buf) {
        cmd_error(p, "memory exhausted");
        cmd_close_input(p, fd);
        return 1;
    }
    size_t col = 0;
    f->len = 0;
    int status = 0;
    for (;;) {
        ssize_t n = sys_read(p, fd, buf, IO_BUFSIZE);
        if (n < 0) {
            if (n != -EINTR) cmd_file_error(p, name, (int)n);
            status = 1;
            break;
        }
        if (n == 0) break;
        for (ssize_t i = 0; i < n; i++) {
            char c = buf[i];
            if (c == '\n') {
                obuf_write(&f->out, f->line, f->len);
                obuf_putc(&f->out, '\n');
                col = f->len = 0;
                continue;
            }
        rescan:
            col = adjust(f, col, c);
            if (col > f->width) {
                if (f->spaces) {
                    size_t end = f->len;
                    bool found = false;
                    while (end) {
                        --end;
                        if (f->line[end] == ' ' || f->line[end] == '\t') {
                            found = true;
                            break;
                        }
                    }
                    if (found) {
                        end++;
                        obuf_write(&f->out, f->line, end);
                        obuf_putc(&f->out, '\n');
                        memmove(f->line, f->line + end, f->len - end);
                        f->len -= end;
                        col = 0;
                        for (size_t k = 0; k < f->len; k++) col = adjust(f, col, f->line[k]);
                        goto rescan;
                    }
                }
                if (f->len == 0) {
                    if (!push(f, c)) goto oom;
                    continue;
                }
                obuf_write(&f->out, f->line, f->len);
                obuf_putc(&f->out, '\n');
                col = f->len = 0;
                goto rescan;
            }
            if (!push(f, c)) goto oom;
        }
        if (obuf_failed(&f->out) || proc_check(p) < 0) break;
    }
    obuf_write(&f->out, f->line, f->len);
    p_free(p, buf);
    cmd_close_input(p, fd);
    return status;
oom:
    cmd_error(p, "memory exhausted");
    p_free(p, buf);
    cmd_close_input(p, fd);
    return 1;
}

int cmd_fold(struct proc *p, int argc, char **argv)
{
    struct fold f = {.p = p, .width = 80};
    struct opt_state o;
    /* The obsolete -WIDTH: digits of one argument form the width. */
    char wbuf[32];
    opt_init(&o, p, &spec, argc, argv);
    size_t wlen = 0;
    int wind = -1;
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'b': f.bytes = true; break;
        case 's': f.spaces = true; break;
        case 'w':
        case 0x100: {
            uintmax_t w;
            if (opt_dectoumax(&o, o.arg, 1, SIZE_MAX - 9, "", "invalid number of columns", &w) < 0)
                return 1;
            f.width = (size_t)w;
            wlen = 0;
            break;
        }
        case OPT_EXIT: return o.status;
        default:
            if (c >= '0' && c <= '9') {
                if (wind != o.ind || wlen == 0) wlen = 0;
                wind = o.ind;
                if (wlen < sizeof wbuf - 1) wbuf[wlen++] = (char)c;
                wbuf[wlen] = 0;
                uintmax_t w;
                if (opt_dectoumax(&o, wbuf, 1, SIZE_MAX - 9, "", "invalid number of columns", &w) < 0)
                    return 1;
                f.width = (size_t)w;
                break;
            }
            return opt_usage_error(&o, NULL);
        }
    }
    obuf_init(&f.out, p, 1);
    int status = 0;
    if (o.ind >= argc) status |= fold_file(&f, "-");
    for (int i = o.ind; i < argc && !obuf_failed(&f.out); i++) status |= fold_file(&f, argv[i]);
    return cmd_close_stdout(p, &f.out, status);
}
