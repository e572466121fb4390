/* cut.c — print selected parts of lines: -b/-c LIST (bytes; coreutils 9.1
 * treats characters as bytes), -f LIST with -d -s, --complement,
 * --output-delimiter, -z, -n (ignored). GNU's list syntax and messages. */
#include "cmd/cmd.h"

#include <stdlib.h>

static const char cut_help[] =
    "Usage: %s OPTION... [FILE]...\n"
    "Print selected parts of lines from each FILE to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -b, --bytes=LIST        select only these bytes\n"
    "  -c, --characters=LIST   select only these characters\n"
    "  -d, --delimiter=DELIM   use DELIM instead of TAB for field delimiter\n"
    "  -f, --fields=LIST       select only these fields;  also print any line\n"
    "                            that contains no delimiter character, unless\n"
    "                            the -s option is specified\n"
    "  -n                      (ignored)\n"
    "      --complement        complement the set of selected bytes, characters\n"
    "                            or fields\n"
    "  -s, --only-delimited    do not print lines not containing delimiters\n"
    "      --output-delimiter=STRING  use STRING as the output delimiter\n"
    "                            the default is to use the input delimiter\n"
    "  -z, --zero-terminated    line delimiter is NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Use one, and only one of -b, -c or -f.  Each LIST is made up of one\n"
    "range, or many ranges separated by commas.  Selected input is written\n"
    "in the same order that it is read, and is written exactly once.\n"
    "Each range is one of:\n"
    "\n"
    "  N     N'th byte, character or field, counted from 1\n"
    "  N-    from N'th byte, character or field, to end of line\n"
    "  N-M   from N'th to M'th (included) byte, character or field\n"
    "  -M    from first to M'th (included) byte, character or field\n"
    "\n"
    COREUTILS_HELP_TAIL("cut", "cut");

enum { OPT_COMPLEMENT = 256, OPT_OUTDELIM };
static const struct opt_long longs[] = {{"bytes", OPT_ARG, 'b'},
                                        {"characters", OPT_ARG, 'c'},
                                        {"fields", OPT_ARG, 'f'},
                                        {"delimiter", OPT_ARG, 'd'},
                                        {"only-delimited", OPT_NOARG, 's'},
                                        {"output-delimiter", OPT_ARG, OPT_OUTDELIM},
                                        {"complement", OPT_NOARG, OPT_COMPLEMENT},
                                        {"zero-terminated", OPT_NOARG, 'z'},
                                        {0}};
static const struct opt_spec spec = {.name = "cut",
                                     .shorts = "b:c:d:f:nsz",
                                     .longs = longs,
                                     .help = cut_help,
                                     .authors = "David M. Ihnat, David MacKenzie, and Jim Meyering"};

struct range {
    uintmax_t lo, hi;
};

struct cut {
    struct proc *p;
    struct opt_state *o;
    struct range *rs;
    size_t nr;
    bool fields, suppress, complement;
    unsigned char delim;
    char eol;
    const char *outdelim;
    size_t outdelim_len;
    bool outdelim_set;
    struct obuf out;
};

static int usage_fail(struct cut *c, const char *msg)
{
    cmd_error(c->p, "%s", msg);
    return opt_usage_error(c->o, NULL);
}

static int cmp_range(const void *a, const void *b)
{
    const struct range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static bool add_range(struct cut *c, uintmax_t lo, uintmax_t hi, size_t *cap)
{
    if (c->nr == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        struct range *n = p_realloc(c->p, c->rs, *cap * sizeof *n);
        if (!n) return false;
        c->rs = n;
    }
    c->rs[c->nr].lo = lo;
    c->rs[c->nr].hi = hi;
    c->nr++;
    return true;
}

/* GNU set_fields: parse LIST into sorted, merged ranges. 0 or a status. */
static int set_fields(struct cut *c, const char *s)
{
    bool pos = !c->fields;
    uintmax_t initial = 1, value = 0;
    bool lhs = false, rhs = false, dash = false, in_digits = false;
    const char *num_start = NULL;
    size_t cap = 0;
    for (;;) {
        if (*s == '-') {
            in_digits = false;
            if (dash) return usage_fail(c, pos ? "invalid byte or character range" : "invalid field range");
            dash = true;
            s++;
            if (lhs && !value)
                return usage_fail(c, pos ? "byte/character positions are numbered from 1"
                                         : "fields are numbered from 1");
            initial = lhs ? value : 1;
            value = 0;
        } else if (*s == ',' || *s == ' ' || *s == '\t' || *s == '\0') {
            in_digits = false;
            if (dash) {
                dash = false;
                if (!lhs && !rhs) return usage_fail(c, "invalid range with no endpoint: -");
                if (!rhs) {
                    if (!add_range(c, initial, UINTMAX_MAX, &cap)) goto oom;
                } else {
                    if (value < initial) return usage_fail(c, "invalid decreasing range");
                    if (!add_range(c, initial, value, &cap)) goto oom;
                }
                value = 0;
            } else {
                if (value == 0)
                    return usage_fail(c, pos ? "byte/character positions are numbered from 1"
                                             : "fields are numbered from 1");
                if (!add_range(c, value, value, &cap)) goto oom;
                value = 0;
            }
            if (*s == '\0') break;
            s++;
            lhs = rhs = false;
        } else if (*s >= '0' && *s <= '9') {
            if (!in_digits || !num_start) num_start = s;
            in_digits = true;
            if (dash)
                rhs = true;
            else
                lhs = true;
            unsigned d = (unsigned)(*s - '0');
            if (value > (UINTMAX_MAX - d) / 10 || value * 10 + d == UINTMAX_MAX) {
                size_t len = strspn(num_start, "0123456789");
                char *bad = p_strndup(c->p, num_start, len);
                cmd_error(c->p,
                          pos ? "byte/character offset %s is too large"
                              : "field number %s is too large",
                          cmd_quote(c->p, bad ? bad : ""));
                return opt_usage_error(c->o, NULL);
            }
            value = value * 10 + d;
            s++;
        } else {
            cmd_error(c->p, pos ? "invalid byte/character position %s" : "invalid field value %s",
                      cmd_quote(c->p, s));
            return opt_usage_error(c->o, NULL);
        }
    }
    if (!c->nr)
        return usage_fail(c, pos ? "missing list of byte/character positions"
                                 : "missing list of fields");
    qsort(c->rs, c->nr, sizeof *c->rs, cmp_range);
    size_t n = 0;
    for (size_t i = 0; i < c->nr; i++) {
        if (n && c->rs[i].lo <= c->rs[n - 1].hi) {
            if (c->rs[i].hi > c->rs[n - 1].hi) c->rs[n - 1].hi = c->rs[i].hi;
        } else
            c->rs[n++] = c->rs[i];
    }
    c->nr = n;
    if (c->complement) {
        /* The gaps between the ranges. */
        struct range *old = c->rs;
        size_t on = c->nr;
        c->rs = NULL;
        c->nr = 0;
        cap = 0;
        uintmax_t next = 1;
        for (size_t i = 0; i < on; i++) {
            if (old[i].lo > next && !add_range(c, next, old[i].lo - 1, &cap)) goto oom;
            if (old[i].hi == UINTMAX_MAX) {
                next = UINTMAX_MAX;
                break;
            }
            next = old[i].hi + 1;
        }
        if (next != UINTMAX_MAX && !add_range(c, next, UINTMAX_MAX, &cap)) goto oom;
        p_free(c->p, old);
    }
    return 0;
oom:
    cmd_error(c->p, "memory exhausted");
    return 1;
}

static void cut_bytes(struct cut *c, const char *rec, size_t len)
{
    bool printed = false;
    for (size_t i = 0; i < c->nr; i++) {
        uintmax_t lo = c->rs[i].lo;
        if (lo > len) break;
        uintmax_t hi = c->rs[i].hi < len ? c->rs[i].hi : len;
        if (c->outdelim_set && printed) obuf_write(&c->out, c->outdelim, c->outdelim_len);
        obuf_write(&c->out, rec + lo - 1, (size_t)(hi - lo + 1));
        printed = true;
    }
    obuf_putc(&c->out, c->eol);
}

static bool selected(const struct cut *c, uintmax_t k, size_t *ri)
{
    while (*ri < c->nr && c->rs[*ri].hi < k) (*ri)++;
    return *ri < c->nr && c->rs[*ri].lo <= k;
}

/* One record (without its terminator) in field mode. */
static void cut_fields(struct cut *c, const char *rec, size_t len)
{
    const char *d = memchr(rec, c->delim, len);
    if (!d) {
        if (!c->suppress) {
            obuf_write(&c->out, rec, len);
            obuf_putc(&c->out, c->eol);
        }
        return;
    }
    bool any = false;
    size_t ri = 0;
    uintmax_t k = 1;
    const char *s = rec, *end = rec + len;
    for (;;) {
        const char *e = memchr(s, c->delim, (size_t)(end - s));
        if (!e) e = end;
        if (selected(c, k, &ri)) {
            if (any) obuf_write(&c->out, c->outdelim, c->outdelim_len);
            obuf_write(&c->out, s, (size_t)(e - s));
            any = true;
        } else if (ri >= c->nr)
            break;
        if (e == end) break;
        s = e + 1;
        k++;
    }
    obuf_putc(&c->out, c->eol);
}

static int cut_file(struct cut *c, const char *name)
{
    struct proc *p = c->p;
    int fd = cmd_open_input(p, name);
    if (fd < 0) {
        cmd_file_error(p, name, fd);
        return 1;
    }
    struct ibuf in;
    ibuf_init(&in, p, fd);
    int status = 0;
    unsigned long iter = 0;
    /* With -d equal to the line delimiter, the whole input is one line. */
    int rdelim = c->fields && c->delim == (unsigned char)c->eol ? -1 : c->eol;
    for (;;) {
        char *rec;
        ssize_t n;
        if (rdelim < 0) {
            struct sbuf all;
            sbuf_init(&all, p);
            for (;;) {
                char *d;
                n = ibuf_read(&in, IO_BUFSIZE, &d);
                if (n <= 0) break;
                sbuf_add(&all, d, (size_t)n);
            }
            if (n < 0 || all.oom) {
                if (all.oom) n = -ENOMEM;
                sbuf_free(&all);
                goto err;
            }
            if (all.len) {
                size_t l = all.len;
                if (all.s[l - 1] == c->eol) l--;
                cut_fields(c, all.s, l);
            }
            sbuf_free(&all);
            break;
        }
        n = ibuf_getdelim(&in, c->eol, &rec);
        if (n < 0) {
        err:
            if (n == -ENOMEM)
                cmd_error(p, "memory exhausted");
            else if (n != -EINTR)
                cmd_file_error(p, name, (int)n);
            status = 1;
            break;
        }
        if (n == 0) break;
        size_t len = (size_t)n;
        if (rec[len - 1] == c->eol) len--;
        if (c->fields)
            cut_fields(c, rec, len);
        else
            cut_bytes(c, rec, len);
        if ((++iter & 0xffff) == 0 && (proc_check(p) < 0 || obuf_failed(&c->out))) {
            status = 1;
            break;
        }
    }
    ibuf_free(&in);
    cmd_close_input(p, fd);
    return status;
}

int cmd_cut(struct proc *p, int argc, char **argv)
{
    struct opt_state o;
    struct cut c = {.p = p, .o = &o, .delim = '\t', .eol = '\n'};
    enum { NONE, BYTES, FIELDS } mode = NONE;
    const char *list = NULL;
    bool delim_set = false;
    opt_init(&o, p, &spec, argc, argv);
    for (int ch; (ch = opt_next(&o)) != OPT_END;) {
        switch (ch) {
        case 'b':
        case 'c':
        case 'f':
            if (mode != NONE) return usage_fail(&c, "only one list may be specified");
            mode = ch == 'f' ? FIELDS : BYTES;
            list = o.arg;
            break;
        case 'd':
            if (o.arg[0] && o.arg[1])
                return usage_fail(&c, "the delimiter must be a single character");
            c.delim = (unsigned char)o.arg[0];
            delim_set = true;
            break;
        case OPT_OUTDELIM:
            /* Like GNU, an empty STRING outputs a NUL byte. */
            c.outdelim = o.arg;
            c.outdelim_len = o.arg[0] ? strlen(o.arg) : 1;
            c.outdelim_set = true;
            break;
        case 'n': break;
        case 's': c.suppress = true; break;
        case 'z': c.eol = '\0'; break;
        case OPT_COMPLEMENT: c.complement = true; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (mode == NONE) return usage_fail(&c, "you must specify a list of bytes, characters, or fields");
    if (delim_set && mode != FIELDS)
        return usage_fail(&c, "an input delimiter may be specified only when operating on fields");
    if (c.suppress && mode != FIELDS)
        return usage_fail(&c, "suppressing non-delimited lines makes sense\n"
                              "\tonly when operating on fields");
    c.fields = mode == FIELDS;
    int r = set_fields(&c, list);
    if (r) return r;
    char dbuf[1] = {(char)c.delim};
    if (!c.outdelim_set) {
        c.outdelim = dbuf;
        c.outdelim_len = 1;
    }
    obuf_init(&c.out, p, 1);
    int status = 0;
    if (o.ind >= argc)
        status |= cut_file(&c, "-");
    for (int i = o.ind; i < argc && !obuf_failed(&c.out); i++) status |= cut_file(&c, argv[i]);
    return cmd_close_stdout(p, &c.out, status);
}
