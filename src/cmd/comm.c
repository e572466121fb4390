/* comm.c — compare two sorted files line by line: three columns (lines
 * only in FILE1, only in FILE2, in both), -1 -2 -3, --check-order /
 * --nocheck-order, --output-delimiter, --total, -z. Byte order
 * comparison (C.UTF-8 collation). */
#include "cmd/cmd.h"

static const char comm_help[] =
    "Usage: %s [OPTION]... FILE1 FILE2\n"
    "Compare sorted files FILE1 and FILE2 line by line.\n"
    "\n"
    "When FILE1 or FILE2 (not both) is -, read standard input.\n"
    "\n"
    "With no options, produce three-column output.  Column one contains\n"
    "lines unique to FILE1, column two contains lines unique to FILE2,\n"
    "and column three contains lines common to both files.\n"
    "\n"
    "  -1                      suppress column 1 (lines unique to FILE1)\n"
    "  -2                      suppress column 2 (lines unique to FILE2)\n"
    "  -3                      suppress column 3 (lines that appear in both files)\n"
    "\n"
    "      --check-order       check that the input is correctly sorted, even\n"
    "                            if all input lines are pairable\n"
    "      --nocheck-order     do not check that the input is correctly sorted\n"
    "      --output-delimiter=STR  separate columns with STR\n"
    "      --total             output a summary\n"
    "  -z, --zero-terminated   line delimiter is NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Note, comparisons honor the rules specified by 'LC_COLLATE'.\n"
    "\n"
    "Examples:\n"
    "  %s -12 file1 file2  Print only lines present in both file1 and file2.\n"
    "  %s -3 file1 file2  Print lines in file1 not in file2, and vice versa.\n"
    "\n"
    COREUTILS_HELP_TAIL("comm", "comm");

enum { OPT_CHECK = 256, OPT_NOCHECK, OPT_DELIM, OPT_TOTAL };
static const struct opt_long longs[] = {{"check-order", OPT_NOARG, OPT_CHECK},
                                        {"nocheck-order", OPT_NOARG, OPT_NOCHECK},
                                        {"output-delimiter", OPT_ARG, OPT_DELIM},
                                        {"total", OPT_NOARG, OPT_TOTAL},
                                        {"zero-terminated", OPT_NOARG, 'z'},
                                        {0}};
static const struct opt_spec spec = {.name = "comm",
                                     .shorts = "123z",
                                     .longs = longs,
                                     .help = comm_help,
                                     .authors = "Richard M. Stallman and David MacKenzie"};

enum { CHECK_DEFAULT, CHECK_ENABLED, CHECK_DISABLED };

struct line {
    char *buf;
    size_t len, cap; /* len includes the delimiter */
};

struct comm {
    struct proc *p;
    bool col[3];
    int check;
    bool seen_unpairable, warned[2];
    const char *sep;
    size_t seplen;
    char eol;
    struct obuf out;
};

static int cmp_lines(const struct line *a, const struct line *b)
{
    size_t la = a->len - 1, lb = b->len - 1;
    int d = memcmp(a->buf, b->buf, la < lb ? la : lb);
    if (d) return d;
    return (la > lb) - (la < lb);
}

/* Read the next line into l (delimiter added if missing): 1, 0 at end, -1
 * on error (reported). */
static int read_line(struct comm *c, struct ibuf *in, const char *name, struct line *l)
{
    char *rec;
    ssize_t n = ibuf_getdelim(in, c->eol, &rec);
    if (n < 0) {
        if (n != -EINTR) cmd_file_error(c->p, name, (int)n);
        return -1;
    }
    if (n == 0) return 0;
    size_t need = (size_t)n + 1;
    if (l->cap < need) {
        size_t nc = l->cap ? l->cap : 128;
        while (nc < need) nc *= 2;
        char *nb = p_realloc(c->p, l->buf, nc);
        if (!nb) {
            cmd_error(c->p, "memory exhausted");
            return -1;
        }
        l->buf = nb;
        l->cap = nc;
    }
    memcpy(l->buf, rec, (size_t)n);
    l->len = (size_t)n;
    if (rec[n - 1] != c->eol) l->buf[l->len++] = c->eol;
    return 1;
}

static void writeline(struct comm *c, const struct line *l, int cls)
{
    switch (cls) {
    case 1:
        if (!c->col[0]) return;
        break;
    case 2:
        if (!c->col[1]) return;
        if (c->col[0]) obuf_write(&c->out, c->sep, c->seplen);
        break;
    case 3:
        if (!c->col[2]) return;
        if (c->col[0]) obuf_write(&c->out, c->sep, c->seplen);
        if (c->col[1]) obuf_write(&c->out, c->sep, c->seplen);
        break;
    }
    obuf_write(&c->out, l->buf, l->len);
}

/* false when --check-order makes a disorder fatal. */
static bool check_order(struct comm *c, const struct line *prev, const struct line *cur, int file)
{
    if (c->check == CHECK_DISABLED || (c->check != CHECK_ENABLED && !c->seen_unpairable))
        return true;
    if (c->warned[file - 1]) return true;
    if (cmp_lines(prev, cur) > 0) {
        obuf_flush(&c->out);
        cmd_error(c->p, "file %d is not in sorted order", file);
        if (c->check == CHECK_ENABLED) return false;
        c->warned[file - 1] = true;
    }
    return true;
}

int cmd_comm(struct proc *p, int argc, char **argv)
{
    struct comm c = {.p = p, .col = {true, true, true}, .sep = "\t", .seplen = 1, .eol = '\n'};
    bool total = false, delim_set = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int ch; (ch = opt_next(&o)) != OPT_END;) {
        switch (ch) {
        case '1': c.col[0] = false; break;
        case '2': c.col[1] = false; break;
        case '3': c.col[2] = false; break;
        case 'z': c.eol = '\0'; break;
        case OPT_CHECK: c.check = CHECK_ENABLED; break;
        case OPT_NOCHECK: c.check = CHECK_DISABLED; break;
        case OPT_TOTAL: total = true; break;
        case OPT_DELIM:
            if (delim_set && strcmp(c.sep, o.arg) != 0) {
                cmd_error(p, "multiple output delimiters specified");
                return 1;
            }
            delim_set = true;
            c.sep = o.arg;
            c.seplen = o.arg[0] ? strlen(o.arg) : 1;
            break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (argc - o.ind < 2) {
        if (argc - o.ind == 0)
            cmd_error(p, "missing operand");
        else
            cmd_error(p, "missing operand after %s", cmd_quote(p, argv[argc - 1]));
        return opt_usage_error(&o, NULL);
    }
    if (argc - o.ind > 2) {
        cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind + 2]));
        return opt_usage_error(&o, NULL);
    }
    const char *names[2] = {argv[o.ind], argv[o.ind + 1]};
    int fds[2];
    struct ibuf in[2];
    for (int i = 0; i < 2; i++) {
        fds[i] = cmd_open_input(p, names[i]);
        if (fds[i] < 0) {
            cmd_file_error(p, names[i], fds[i]);
            if (i) cmd_close_input(p, fds[0]);
            return 1;
        }
        ibuf_init(&in[i], p, fds[i]);
    }
    obuf_init(&c.out, p, 1);
    /* Two buffers per file: the current line and the previous one. */
    struct line lines[2][2] = {{{0}}};
    int cur[2] = {0, 0};
    bool have[2];
    int status = 0;
    uintmax_t totals[3] = {0, 0, 0};
    for (int i = 0; i < 2; i++) {
        int r = read_line(&c, &in[i], names[i], &lines[i][0]);
        if (r < 0) {
            status = 1;
            goto done;
        }
        have[i] = r > 0;
    }
    unsigned long iter = 0;
    while (have[0] || have[1]) {
        const struct line *l0 = &lines[0][cur[0]], *l1 = &lines[1][cur[1]];
        int order = !have[0] ? 1 : !have[1] ? -1 : cmp_lines(l0, l1);
        if (order == 0) {
            totals[2]++;
            writeline(&c, l1, 3);
        } else {
            c.seen_unpairable = true;
            if (order < 0) {
                totals[0]++;
                writeline(&c, l0, 1);
            } else {
                totals[1]++;
                writeline(&c, l1, 2);
            }
        }
        bool fill[2] = {order <= 0, order >= 0};
        for (int i = 0; i < 2; i++) {
            if (!fill[i]) continue;
            int next = !cur[i];
            int r = read_line(&c, &in[i], names[i], &lines[i][next]);
            if (r < 0) {
                status = 1;
                goto done;
            }
            have[i] = r > 0;
            if (have[i]) {
                if (!check_order(&c, &lines[i][cur[i]], &lines[i][next], i + 1)) {
                    status = 1;
                    goto done;
                }
                cur[i] = next;
            }
        }
        if ((++iter & 0xffff) == 0 && (proc_check(p) < 0 || obuf_failed(&c.out))) {
            status = 1;
            goto done;
        }
    }
    if (total)
        obuf_printf(&c.out, "%ju%.*s%ju%.*s%ju%.*stotal%c", totals[0], (int)c.seplen, c.sep,
                    totals[1], (int)c.seplen, c.sep, totals[2], (int)c.seplen, c.sep, c.eol);
    if (c.warned[0] || c.warned[1]) {
        obuf_flush(&c.out);
        cmd_error(p, "input is not in sorted order");
        status = 1;
    }
done:
    for (int i = 0; i < 2; i++) {
        ibuf_free(&in[i]);
        cmd_close_input(p, fds[i]);
    }
    return cmd_close_stdout(p, &c.out, status);
}
