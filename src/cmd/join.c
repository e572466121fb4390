/* join.c — join lines of two sorted files on a common field: -1 -2 -j,
 * -a -v, -e, -o (FILENUM.FIELD lists, 0, auto), -t (and -t '' for whole
 * lines), -i, --header, --check-order/--nocheck-order, -z. GNU join's
 * algorithm: runs of equal keys pair up as a cross product. */
#include "cmd/cmd.h"

static const char join_help[] =
    "Usage: %s [OPTION]... FILE1 FILE2\n"
    "For each pair of input lines with identical join fields, write a line to\n"
    "standard output.  The default join field is the first, delimited by blanks.\n"
    "\n"
    "When FILE1 or FILE2 (not both) is -, read standard input.\n"
    "\n"
    "  -a FILENUM             also print unpairable lines from file FILENUM, where\n"
    "                           FILENUM is 1 or 2, corresponding to FILE1 or FILE2\n"
    "  -e STRING              replace missing (empty) input fields with STRING;\n"
    "                           I.e., missing fields specified with '-12jo' options\n"
    "  -i, --ignore-case      ignore differences in case when comparing fields\n"
    "  -j FIELD               equivalent to '-1 FIELD -2 FIELD'\n"
    "  -o FORMAT              obey FORMAT while constructing output line\n"
    "  -t CHAR                use CHAR as input and output field separator\n"
    "  -v FILENUM             like -a FILENUM, but suppress joined output lines\n"
    "  -1 FIELD               join on this FIELD of file 1\n"
    "  -2 FIELD               join on this FIELD of file 2\n"
    "      --check-order      check that the input is correctly sorted, even\n"
    "                           if all input lines are pairable\n"
    "      --nocheck-order    do not check that the input is correctly sorted\n"
    "      --header           treat the first line in each file as field headers,\n"
    "                           print them without trying to pair them\n"
    "  -z, --zero-terminated  line delimiter is NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Unless -t CHAR is given, leading blanks separate fields and are ignored,\n"
    "else fields are separated by CHAR.  Any FIELD is a field number counted\n"
    "from 1.  FORMAT is one or more comma or blank separated specifications,\n"
    "each being 'FILENUM.FIELD' or '0'.  Default FORMAT outputs the join field,\n"
    "the remaining fields from FILE1, the remaining fields from FILE2, all\n"
    "separated by CHAR.  If FORMAT is the keyword 'auto', then the first\n"
    "line of each file determines the number of fields output for each line.\n"
    "\n"
    "Important: FILE1 and FILE2 must be sorted on the join fields.\n"
    "E.g., use \"sort -k 1b,1\" if 'join' has no options,\n"
    "or use \"join -t ''\" if 'sort' has no options.\n"
    "Note, comparisons honor the rules specified by 'LC_COLLATE'.\n"
    "If the input is not sorted and some lines cannot be joined, a\n"
    "warning message will be given.\n"
    "\n"
    COREUTILS_HELP_TAIL("join", "join");

enum { OPT_CHECK = 256, OPT_NOCHECK, OPT_HEADER };
static const struct opt_long longs[] = {{"ignore-case", OPT_NOARG, 'i'},
                                        {"check-order", OPT_NOARG, OPT_CHECK},
                                        {"nocheck-order", OPT_NOARG, OPT_NOCHECK},
                                        {"zero-terminated", OPT_NOARG, 'z'},
                                        {"header", OPT_NOARG, OPT_HEADER},
                                        {0}};
static const struct opt_spec spec = {.name = "join",
                                     .shorts = "a:e:i1:2:j:o:t:v:z",
                                     .longs = longs,
                                     .help = join_help,
                                     .authors = "Mike Haertel"};

#define NOFIELD SIZE_MAX

struct field {
    size_t beg, len;
};

struct line {
    char *buf;
    size_t len, cap; /* len includes the line delimiter */
    struct field *f;
    size_t nf, fcap;
};

struct out_spec {
    int file; /* 0 = the join field */
    size_t field;
};

struct seq {
    struct line **lines;
    size_t count, alloc;
};

struct join {
    struct proc *p;
    int tab; /* -1 blanks, '\n' whole line, else the char */
    char eol;
    bool ignore_case, print_pairables, unpair[2], autoformat, header;
    size_t jf[2], autocount[2];
    const char *empty;
    struct out_spec *outs;
    size_t nouts;
    int check; /* 0 default, 1 enabled, 2 disabled */
    bool seen_unpairable, warned[2];
    uintmax_t line_no[2];
    struct line *prev[2]; /* copies of the previous lines, for order checks */
    struct ibuf in[2];
    const char *names[2];
    struct obuf out;
    bool failed, oom;
};

static bool field_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static bool add_field(struct join *j, struct line *l, size_t beg, size_t len)
{
    if (l->nf == l->fcap) {
        size_t nc = l->fcap ? l->fcap * 2 : 8;
        struct field *f = p_realloc(j->p, l->f, nc * sizeof *f);
        if (!f) return false;
        l->f = f;
        l->fcap = nc;
    }
    l->f[l->nf].beg = beg;
    l->f[l->nf].len = len;
    l->nf++;
    return true;
}

static bool xfields(struct join *j, struct line *l)
{
    char *b = l->buf;
    size_t ptr = 0, lim = l->len - 1;
    l->nf = 0;
    if (ptr == lim) return true;
    if (j->tab >= 0 && j->tab != '\n') {
        char *sep;
        while ((sep = memchr(b + ptr, j->tab, lim - ptr))) {
            if (!add_field(j, l, ptr, (size_t)(sep - (b + ptr)))) return false;
            ptr = (size_t)(sep - b) + 1;
        }
    } else if (j->tab < 0) {
        while (field_sep(b[ptr]))
            if (++ptr == lim) return true;
        do {
            size_t sep;
            for (sep = ptr + 1; sep != lim && !field_sep(b[sep]); sep++) continue;
            if (!add_field(j, l, ptr, sep - ptr)) return false;
            if (sep == lim) return true;
            for (ptr = sep + 1; ptr != lim && field_sep(b[ptr]); ptr++) continue;
        } while (ptr != lim);
    }
    return add_field(j, l, ptr, lim - ptr);
}

static int keycmp(const struct join *j, const struct line *a, const struct line *b, size_t f1,
                  size_t f2)
{
    const char *b1 = NULL, *b2 = NULL;
    size_t l1 = 0, l2 = 0;
    if (f1 < a->nf) b1 = a->buf + a->f[f1].beg, l1 = a->f[f1].len;
    if (f2 < b->nf) b2 = b->buf + b->f[f2].beg, l2 = b->f[f2].len;
    if (l1 == 0) return l2 == 0 ? 0 : -1;
    if (l2 == 0) return 1;
    size_t m = l1 < l2 ? l1 : l2;
    int diff = 0;
    if (j->ignore_case) {
        for (size_t i = 0; i < m && !diff; i++) {
            unsigned char x = (unsigned char)b1[i], y = (unsigned char)b2[i];
            if (x >= 'a' && x <= 'z') x -= 32;
            if (y >= 'a' && y <= 'z') y -= 32;
            diff = x - y;
        }
    } else
        diff = memcmp(b1, b2, m);
    if (diff) return diff;
    return (l1 > l2) - (l1 < l2);
}

static bool copy_line(struct join *j, struct line *dst, const struct line *src)
{
    if (dst->cap < src->len) {
        char *nb = p_realloc(j->p, dst->buf, src->len);
        if (!nb) return false;
        dst->buf = nb;
        dst->cap = src->len;
    }
    memcpy(dst->buf, src->buf, src->len);
    dst->len = src->len;
    if (dst->fcap < src->nf) {
        struct field *f = p_realloc(j->p, dst->f, (src->nf + 1) * sizeof *f);
        if (!f) return false;
        dst->f = f;
        dst->fcap = src->nf + 1;
    }
    if (src->nf) memcpy(dst->f, src->f, src->nf * sizeof *dst->f);
    dst->nf = src->nf;
    return true;
}

static void check_order(struct join *j, const struct line *prev, const struct line *cur, int w)
{
    if (j->check == 2 || !(j->check == 1 || j->seen_unpairable) || j->warned[w - 1]) return;
    size_t jf = j->jf[w - 1];
    if (keycmp(j, prev, cur, jf, jf) > 0) {
        size_t len = cur->len;
        if (len && cur->buf[len - 1] == '\n') len--;
        obuf_flush(&j->out);
        cmd_error(j->p, "%s:%ju: is not sorted: %.*s", j->names[w - 1], j->line_no[w - 1],
                  (int)len, cur->buf);
        if (j->check == 1) j->failed = true;
        j->warned[w - 1] = true;
    }
}

/* Read the next line of file w into l: true, or false at end/error. */
static bool get_line(struct join *j, struct line *l, int w)
{
    if (j->failed) return false;
    char *rec;
    ssize_t n = ibuf_getdelim(&j->in[w - 1], j->eol, &rec);
    if (n <= 0) {
        if (n < 0) {
            if (n != -EINTR) cmd_errno(j->p, (int)n, "read error");
            j->failed = true;
        }
        return false;
    }
    size_t need = (size_t)n + 1;
    if (l->cap < need) {
        size_t nc = l->cap ? l->cap : 128;
        while (nc < need) nc *= 2;
        char *nb = p_realloc(j->p, l->buf, nc);
        if (!nb) goto oom;
        l->buf = nb;
        l->cap = nc;
    }
    memcpy(l->buf, rec, (size_t)n);
    l->len = (size_t)n;
    if (rec[n - 1] != j->eol) l->buf[l->len++] = j->eol;
    j->line_no[w - 1]++;
    if (!xfields(j, l)) goto oom;
    if (j->prev[w - 1]->len) {
        check_order(j, j->prev[w - 1], l, w);
        if (j->failed) return false;
    }
    if (!copy_line(j, j->prev[w - 1], l)) goto oom;
    return true;
oom:
    cmd_error(j->p, "memory exhausted");
    j->failed = j->oom = true;
    return false;
}

static bool getseq(struct join *j, struct seq *s, int w)
{
    if (s->count == s->alloc) {
        size_t na = s->alloc ? s->alloc * 2 : 4;
        struct line **nl = p_realloc(j->p, s->lines, na * sizeof *nl);
        if (!nl) goto oom;
        for (size_t i = s->alloc; i < na; i++) {
            nl[i] = p_calloc(j->p, 1, sizeof **nl);
            if (!nl[i]) {
                s->lines = nl;
                goto oom;
            }
        }
        s->lines = nl;
        s->alloc = na;
    }
    if (get_line(j, s->lines[s->count], w)) {
        s->count++;
        return true;
    }
    return false;
oom:
    cmd_error(j->p, "memory exhausted");
    j->failed = j->oom = true;
    return false;
}

static bool advance_seq(struct join *j, struct seq *s, bool first, int w)
{
    if (first) s->count = 0;
    return getseq(j, s, w);
}

static const struct line uni_blank;

static void prfield(struct join *j, size_t n, const struct line *l)
{
    if (n < l->nf && l->f[n].len)
        obuf_write(&j->out, l->buf + l->f[n].beg, l->f[n].len);
    else if (j->empty)
        obuf_puts(&j->out, j->empty);
}

static void prfields(struct join *j, const struct line *l, size_t jf, size_t autocount)
{
    size_t nf = j->autoformat ? autocount : l->nf;
    char sep = j->tab < 0 ? ' ' : (char)j->tab;
    for (size_t i = 0; i < jf && i < nf; i++) {
        obuf_putc(&j->out, sep);
        prfield(j, i, l);
    }
    for (size_t i = jf + 1; i < nf; i++) {
        obuf_putc(&j->out, sep);
        prfield(j, i, l);
    }
}

static void prjoin(struct join *j, const struct line *l1, const struct line *l2)
{
    char sep = j->tab < 0 ? ' ' : (char)j->tab;
    if (j->nouts) {
        for (size_t k = 0; k < j->nouts; k++) {
            const struct out_spec *o = &j->outs[k];
            const struct line *l;
            size_t field;
            if (o->file == 0) {
                if (l1 == &uni_blank)
                    l = l2, field = j->jf[1];
                else
                    l = l1, field = j->jf[0];
            } else {
                l = o->file == 1 ? l1 : l2;
                field = o->field;
            }
            prfield(j, field, l);
            if (k + 1 < j->nouts) obuf_putc(&j->out, sep);
        }
    } else {
        if (l1 == &uni_blank)
            prfield(j, j->jf[1], l2);
        else
            prfield(j, j->jf[0], l1);
        prfields(j, l1, j->jf[0], j->autocount[0]);
        prfields(j, l2, j->jf[1], j->autocount[1]);
    }
    obuf_putc(&j->out, j->eol);
}

static void do_join(struct join *j)
{
    struct seq s1 = {0}, s2 = {0};
    getseq(j, &s1, 1);
    getseq(j, &s2, 2);
    if (j->autoformat) {
        j->autocount[0] = s1.count ? s1.lines[0]->nf : 0;
        j->autocount[1] = s2.count ? s2.lines[0]->nf : 0;
    }
    if (j->header && (s1.count || s2.count)) {
        prjoin(j, s1.count ? s1.lines[0] : &uni_blank, s2.count ? s2.lines[0] : &uni_blank);
        j->prev[0]->len = j->prev[1]->len = 0;
        if (s1.count) advance_seq(j, &s1, true, 1);
        if (s2.count) advance_seq(j, &s2, true, 2);
    }
    unsigned long iter = 0;
    while (s1.count && s2.count && !j->failed) {
        int diff = keycmp(j, s1.lines[0], s2.lines[0], j->jf[0], j->jf[1]);
        if (diff < 0) {
            if (j->unpair[0]) prjoin(j, s1.lines[0], &uni_blank);
            advance_seq(j, &s1, true, 1);
            j->seen_unpairable = true;
            continue;
        }
        if (diff > 0) {
            if (j->unpair[1]) prjoin(j, &uni_blank, s2.lines[0]);
            advance_seq(j, &s2, true, 2);
            j->seen_unpairable = true;
            continue;
        }
        bool eof1 = false, eof2 = false;
        do
            if (!advance_seq(j, &s1, false, 1)) {
                eof1 = true;
                ++s1.count;
                break;
            }
        while (!keycmp(j, s1.lines[s1.count - 1], s2.lines[0], j->jf[0], j->jf[1]));
        do
            if (!advance_seq(j, &s2, false, 2)) {
                eof2 = true;
                ++s2.count;
                break;
            }
        while (!keycmp(j, s1.lines[0], s2.lines[s2.count - 1], j->jf[0], j->jf[1]));
        if (j->failed) break;
        if (j->print_pairables)
            for (size_t a = 0; a < s1.count - 1; a++)
                for (size_t b = 0; b < s2.count - 1; b++) prjoin(j, s1.lines[a], s2.lines[b]);
        struct line *t;
        if (!eof1) {
            t = s1.lines[0], s1.lines[0] = s1.lines[s1.count - 1], s1.lines[s1.count - 1] = t;
            s1.count = 1;
        } else
            s1.count = 0;
        if (!eof2) {
            t = s2.lines[0], s2.lines[0] = s2.lines[s2.count - 1], s2.lines[s2.count - 1] = t;
            s2.count = 1;
        } else
            s2.count = 0;
        if ((++iter & 0xfff) == 0 && (proc_check(j->p) < 0 || obuf_failed(&j->out))) {
            j->failed = true;
            break;
        }
    }
    if (j->failed) return;
    bool checktail = j->check != 2 && !(j->warned[0] && j->warned[1]);
    struct line tmp = {0};
    if ((j->unpair[0] || checktail) && s1.count) {
        if (j->unpair[0]) prjoin(j, s1.lines[0], &uni_blank);
        if (s2.count) j->seen_unpairable = true;
        while (get_line(j, &tmp, 1)) {
            if (j->unpair[0]) prjoin(j, &tmp, &uni_blank);
            if (j->warned[0] && !j->unpair[0]) break;
        }
    }
    if (j->failed) return;
    if ((j->unpair[1] || checktail) && s2.count) {
        if (j->unpair[1]) prjoin(j, &uni_blank, s2.lines[0]);
        if (s1.count) j->seen_unpairable = true;
        while (get_line(j, &tmp, 2)) {
            if (j->unpair[1]) prjoin(j, &uni_blank, &tmp);
            if (j->warned[1] && !j->unpair[1]) break;
        }
    }
}

/* FIELD number (1-based) to an index; false after a message. */
static bool join_field(struct join *j, const char *s, size_t *out)
{
    uintmax_t v;
    enum opt_num_status r = opt_strtoumax(s, NULL, 10, &v, "");
    if (r == OPT_NUM_OVERFLOW || (r == OPT_NUM_OK && v > SIZE_MAX))
        v = SIZE_MAX;
    else if (r != OPT_NUM_OK || v == 0) {
        cmd_error(j->p, "invalid field number: %s", cmd_quote(j->p, s));
        return false;
    }
    *out = (size_t)(v - 1);
    return true;
}

static bool set_join_field(struct join *j, size_t *var, size_t val)
{
    if (*var != NOFIELD && *var != val) {
        cmd_error(j->p, "conflicting join fields %zu %zu", *var + 1, val + 1);
        return false;
    }
    *var = val;
    return true;
}

static bool add_field_list(struct join *j, const char *arg)
{
    char *copy = p_strdup(j->p, arg);
    if (!copy) return false;
    char *s = copy;
    for (;;) {
        char *next = strpbrk(s, ", \t");
        if (next) *next++ = '\0';
        struct out_spec o;
        if (s[0] == '0') {
            if (s[1]) {
                cmd_error(j->p, "invalid field specifier: %s", cmd_quote(j->p, s));
                return false;
            }
            o.file = 0;
            o.field = 0;
        } else if (s[0] == '1' || s[0] == '2') {
            if (s[1] != '.') {
                cmd_error(j->p, "invalid field specifier: %s", cmd_quote(j->p, s));
                return false;
            }
            o.file = s[0] - '0';
            if (!join_field(j, s + 2, &o.field)) return false;
        } else {
            cmd_error(j->p, "invalid file number in field spec: %s", cmd_quote(j->p, s));
            return false;
        }
        struct out_spec *n = p_realloc(j->p, j->outs, (j->nouts + 1) * sizeof *n);
        if (!n) return false;
        j->outs = n;
        j->outs[j->nouts++] = o;
        if (!next) break;
        s = next;
    }
    return true;
}

int cmd_join(struct proc *p, int argc, char **argv)
{
    struct join j = {.p = p, .tab = -1, .eol = '\n', .print_pairables = true,
                     .jf = {NOFIELD, NOFIELD}};
    const char *files[2];
    int nfiles = 0;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'v': j.print_pairables = false; /* fallthrough */
        case 'a': {
            intmax_t v;
            if (opt_strtoimax(o.arg, NULL, 10, &v, "") != OPT_NUM_OK || (v != 1 && v != 2)) {
                cmd_error(p, "invalid field number: %s", cmd_quote(p, o.arg));
                return 1;
            }
            j.unpair[v - 1] = true;
            break;
        }
        case 'e':
            if (j.empty && strcmp(j.empty, o.arg) != 0) {
                cmd_error(p, "conflicting empty-field replacement strings");
                return 1;
            }
            j.empty = o.arg;
            break;
        case 'i': j.ignore_case = true; break;
        case '1':
        case '2':
        case 'j': {
            size_t v;
            if (!join_field(&j, o.arg, &v)) return 1;
            if (c != '2' && !set_join_field(&j, &j.jf[0], v)) return 1;
            if (c != '1' && !set_join_field(&j, &j.jf[1], c == 'j' ? j.jf[0] : v)) return 1;
            break;
        }
        case 'o':
            if (strcmp(o.arg, "auto") == 0) {
                j.autoformat = true;
                break;
            }
            if (!add_field_list(&j, o.arg)) return 1;
            break;
        case 't': {
            int newtab = (unsigned char)o.arg[0];
            if (!newtab)
                newtab = '\n';
            else if (o.arg[1]) {
                if (strcmp(o.arg, "\\0") == 0)
                    newtab = 0;
                else {
                    cmd_error(p, "multi-character tab %s", cmd_quote(p, o.arg));
                    return 1;
                }
            }
            if (j.tab >= 0 && j.tab != newtab) {
                cmd_error(p, "incompatible tabs");
                return 1;
            }
            j.tab = newtab;
            break;
        }
        case 'z': j.eol = '\0'; break;
        case OPT_CHECK: j.check = 1; break;
        case OPT_NOCHECK: j.check = 2; break;
        case OPT_HEADER: j.header = true; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    for (int i = o.ind; i < argc; i++) {
        if (nfiles == 2) {
            cmd_error(p, "extra operand %s", cmd_quoteaf(p, argv[i]));
            return opt_usage_error(&o, NULL);
        }
        files[nfiles++] = argv[i];
    }
    if (nfiles < 2) {
        if (nfiles == 0)
            cmd_error(p, "missing operand");
        else
            cmd_error(p, "missing operand after %s", cmd_quote(p, files[0]));
        return opt_usage_error(&o, NULL);
    }
    if (j.jf[0] == NOFIELD) j.jf[0] = 0;
    if (j.jf[1] == NOFIELD) j.jf[1] = 0;
    if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0) {
        /* GNU's die() passes a stale errno here (ENOENT from its locale
         * setup), so the message ends with its text. */
        cmd_errno(p, -ENOENT, "both files cannot be standard input");
        return 1;
    }
    int fds[2];
    for (int i = 0; i < 2; i++) {
        fds[i] = cmd_open_input(p, files[i]);
        if (fds[i] < 0) {
            cmd_file_error(p, files[i], fds[i]);
            if (i) cmd_close_input(p, fds[0]);
            return 1;
        }
        ibuf_init(&j.in[i], p, fds[i]);
        j.names[i] = files[i];
        j.prev[i] = p_calloc(p, 1, sizeof(struct line));
        if (!j.prev[i]) {
            cmd_error(p, "memory exhausted");
            return 1;
        }
    }
    obuf_init(&j.out, p, 1);
    do_join(&j);
    int status = j.failed ? 1 : 0;
    if (!j.failed && (j.warned[0] || j.warned[1])) {
        obuf_flush(&j.out);
        cmd_error(p, "input is not in sorted order");
        status = 1;
    }
    for (int i = 0; i < 2; i++) {
        ibuf_free(&j.in[i]);
        cmd_close_input(p, fds[i]);
    }
    return cmd_close_stdout(p, &j.out, status);
}
