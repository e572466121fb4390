/* column.c — util-linux 2.38 column: fill columns (default) or rows (-x)
 * to the output width (-c, else $COLUMNS, else 80 when not a terminal),
 * and table mode (-t) with -s -o -N -R -L. Other table options of
 * util-linux (JSON, trees, wrapping...) are not supported. */
#include "cmd/cmd.h"

#include <stdlib.h>

static const char column_help[] =
    "\n"
    "Usage:\n"
    " %s [options] [<file>...]\n"
    "\n"
    "Columnate lists.\n"
    "\n"
    "Options:\n"
    " -t, --table                      create a table\n"
    " -n, --table-name <name>          table name for JSON output\n"
    " -O, --table-order <columns>      specify order of output columns\n"
    " -N, --table-columns <names>      comma separated columns names\n"
    " -l, --table-columns-limit <num>  maximal number of input columns\n"
    " -E, --table-noextreme <columns>  don't count long text from the columns to column width\n"
    " -d, --table-noheadings           don't print header\n"
    " -e, --table-header-repeat        repeat header for each page\n"
    " -H, --table-hide <columns>       don't print the columns\n"
    " -R, --table-right <columns>      right align text in these columns\n"
    " -T, --table-truncate <columns>   truncate text in the columns when necessary\n"
    " -W, --table-wrap <columns>       wrap text in the columns when necessary\n"
    " -L, --keep-empty-lines           don't ignore empty lines\n"
    " -J, --json                       use JSON output format for table\n"
    "\n"
    " -r, --tree <column>              column to use tree-like output for the table\n"
    " -i, --tree-id <column>           line ID to specify child-parent relation\n"
    " -p, --tree-parent <column>       parent to specify child-parent relation\n"
    "\n"
    " -c, --output-width <width>       width of output in number of characters\n"
    " -o, --output-separator <string>  columns separator for table output (default is two spaces)\n"
    " -s, --separator <string>         possible table delimiters\n"
    " -x, --fillrows                   fill rows before columns\n"
    "\n"
    " -h, --help                       display this help\n"
    " -V, --version                    display version\n"
    "\n"
    "For more details see column(1).\n";

static const struct opt_long longs[] = {{"table", OPT_NOARG, 't'},
                                        {"table-columns", OPT_ARG, 'N'},
                                        {"table-right", OPT_ARG, 'R'},
                                        {"keep-empty-lines", OPT_NOARG, 'L'},
                                        {"output-width", OPT_ARG, 'c'},
                                        {"columns", OPT_ARG, 'c'},
                                        {"output-separator", OPT_ARG, 'o'},
                                        {"separator", OPT_ARG, 's'},
                                        {"fillrows", OPT_NOARG, 'x'},
                                        {"help", OPT_NOARG, 'h'},
                                        {"version", OPT_NOARG, 'V'},
                                        {0}};
static const struct opt_spec spec = {.name = "column",
                                     .shorts = "tN:R:Lc:o:s:xhV",
                                     .longs = longs,
                                     .help = column_help,
                                     .version = "column from util-linux 2.38.1\n",
                                     .flags = OPT_NO_HELP};

struct ent {
    char *s;
    size_t len, width;
};

static size_t text_width(const char *s, size_t n, bool utf8)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = utf8 ? cmd_utf8_decode((const unsigned char *)s + i, n - i, &cp) : 1;
        if (k <= 0) {
            k = 1;
            cp = (unsigned char)s[i];
        } else if (!utf8)
            cp = (unsigned char)s[i];
        int cw = cmd_wcwidth(cp, utf8);
        w += cw > 0 ? (size_t)cw : 0;
        i += (size_t)k;
    }
    return w;
}

static void pad(struct obuf *o, size_t n)
{
    while (n--) obuf_putc(o, ' ');
}

int cmd_column(struct proc *p, int argc, char **argv)
{
    bool table = false, fillrows = false, keep_empty = false;
    const char *names = NULL, *right = NULL, *osep = "  ", *isep = " \t";
    bool greedy = true;
    long width = 0;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 't': table = true; break;
        case 'N': names = o.arg; break;
        case 'R': right = o.arg; break;
        case 'L': keep_empty = true; break;
        case 'c': {
            char *end;
            width = strtol(o.arg, &end, 10);
            if (*end || width <= 0) {
                cmd_error(p, "invalid columns argument: '%s'", o.arg);
                return 1;
            }
            break;
        }
        case 'o': osep = o.arg; break;
        case 's':
            isep = o.arg;
            greedy = false;
            break;
        case 'x': fillrows = true; break;
        case 'h': return opt_help(&o);
        case 'V': return opt_version(&o);
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (!width) {
        const char *cols = proc_getenv(p, "COLUMNS");
        long v = cols ? strtol(cols, NULL, 10) : 0;
        width = v > 0 ? v : 80;
    }
    bool utf8 = cmd_utf8_locale(p);
    /* Read all lines. */
    struct ent *ents = NULL;
    size_t n = 0, cap = 0, maxw = 0;
    int status = 0;
    static char *dash[] = {"-", NULL};
    char **files = o.ind < argc ? argv + o.ind : dash;
    int nf = o.ind < argc ? argc - o.ind : 1;
    for (int f = 0; f < nf; f++) {
        int fd = cmd_open_input(p, files[f]);
        if (fd < 0) {
            cmd_file_error(p, files[f], fd);
            status = 1;
            continue;
        }
        struct ibuf in;
        ibuf_init(&in, p, fd);
        for (;;) {
            char *rec;
            ssize_t len = ibuf_getline(&in, &rec);
            if (len < 0) {
                if (len != -EINTR) cmd_file_error(p, files[f], (int)len);
                status = 1;
                break;
            }
            if (len == 0) break;
            size_t l = (size_t)len - (rec[len - 1] == '\n');
            /* util-linux trims trailing whitespace of each line. */
            while (l && (rec[l - 1] == ' ' || rec[l - 1] == '\t')) l--;
            if (l == 0 && !(table && keep_empty)) continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                struct ent *ne = p_realloc(p, ents, cap * sizeof *ne);
                if (!ne) goto oom;
                ents = ne;
            }
            ents[n].s = p_strndup(p, rec, l);
            if (!ents[n].s) goto oom;
            ents[n].len = l;
            ents[n].width = text_width(rec, l, utf8);
            if (ents[n].width > maxw) maxw = ents[n].width;
            n++;
        }
        ibuf_free(&in);
        cmd_close_input(p, fd);
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    if (!table) {
        if (n == 0) return cmd_close_stdout(p, &out, status);
        size_t maxlength = (maxw + 8) & ~(size_t)7;
        if (maxw >= (size_t)width) {
            for (size_t i = 0; i < n; i++) {
                obuf_write(&out, ents[i].s, ents[i].len);
                obuf_putc(&out, '\n');
            }
            return cmd_close_stdout(p, &out, status);
        }
        size_t numcols = (size_t)width / maxlength;
        if (!numcols) numcols = 1;
        if (fillrows) {
            size_t chcnt = 0, col = 0, endcol = maxlength;
            for (size_t i = 0;; i++) {
                obuf_write(&out, ents[i].s, ents[i].len);
                chcnt += ents[i].width;
                if (i + 1 == n) break;
                if (++col == numcols) {
                    chcnt = col = 0;
                    endcol = maxlength;
                    obuf_putc(&out, '\n');
                } else {
                    size_t cnt;
                    while ((cnt = (chcnt + 8) & ~(size_t)7) <= endcol) {
                        obuf_putc(&out, '\t');
                        chcnt = cnt;
                    }
                    endcol += maxlength;
                }
            }
            if (chcnt) obuf_putc(&out, '\n');
        } else {
            size_t numrows = n / numcols + (n % numcols != 0);
            for (size_t row = 0; row < numrows; row++) {
                size_t endcol = maxlength, chcnt = 0;
                for (size_t base = row, col = 0; col < numcols; col++) {
                    obuf_write(&out, ents[base].s, ents[base].len);
                    chcnt += ents[base].width;
                    if ((base += numrows) >= n) break;
                    size_t cnt;
                    while ((cnt = (chcnt + 8) & ~(size_t)7) <= endcol) {
                        obuf_putc(&out, '\t');
                        chcnt = cnt;
                    }
                    endcol += maxlength;
                }
                obuf_putc(&out, '\n');
            }
        }
        return cmd_close_stdout(p, &out, status);
    }
    /* Table: split rows into cells. */
    struct cell {
        const char *s;
        size_t len, width;
    };
    struct row {
        struct cell *c;
        size_t n;
    };
    size_t nrows = n + (names ? 1 : 0), ncols = 0;
    struct row *rows = p_calloc(p, nrows ? nrows : 1, sizeof *rows);
    if (!rows) goto oom;
    size_t r0 = 0;
    if (names) {
        /* The header row from -N (comma separated). */
        char *copy = p_strdup(p, names);
        if (!copy) goto oom;
        size_t k = 1;
        for (char *t = copy; *t; t++) k += *t == ',';
        rows[0].c = p_calloc(p, k, sizeof *rows[0].c);
        if (!rows[0].c) goto oom;
        char *s = copy;
        for (size_t i = 0; i < k; i++) {
            char *e = strchr(s, ',');
            size_t l = e ? (size_t)(e - s) : strlen(s);
            rows[0].c[i] = (struct cell){s, l, text_width(s, l, utf8)};
            s = e ? e + 1 : s + l;
        }
        rows[0].n = k;
        r0 = 1;
    }
    for (size_t i = 0; i < n; i++) {
        struct row *rw = &rows[r0 + i];
        const char *s = ents[i].s, *end = s + ents[i].len;
        size_t k = 0, kc = 0;
        while (s <= end) {
            if (greedy)
                while (s < end && strchr(isep, *s)) s++;
            if (greedy && s == end && k > 0) break;
            const char *e = s;
            while (e < end && !strchr(isep, *e)) e++;
            if (k == kc) {
                kc = kc ? kc * 2 : 8;
                struct cell *nc = p_realloc(p, rw->c, kc * sizeof *nc);
                if (!nc) goto oom;
                rw->c = nc;
            }
            rw->c[k++] = (struct cell){s, (size_t)(e - s), text_width(s, (size_t)(e - s), utf8)};
            if (e == end) break;
            s = e + 1;
        }
        if (ents[i].len == 0) k = 0;
        rw->n = k;
    }
    for (size_t i = 0; i < nrows; i++)
        if (rows[i].n > ncols) ncols = rows[i].n;
    size_t *colw = p_calloc(p, ncols ? ncols : 1, sizeof *colw);
    bool *ralign = p_calloc(p, ncols ? ncols : 1, sizeof *ralign);
    if (!colw || !ralign) goto oom;
    if (right) {
        char *copy = p_strdup(p, right);
        if (!copy) goto oom;
        for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
            char *e;
            long v = strtol(tok, &e, 10);
            if (*e || v <= 0) {
                /* A column name from -N. */
                v = 0;
                if (names)
                    for (size_t k = 0; k < rows[0].n; k++)
                        if (rows[0].c[k].len == strlen(tok) && !memcmp(rows[0].c[k].s, tok, strlen(tok)))
                            v = (long)k + 1;
                if (!v) {
                    cmd_error(p, "undefined column name '%s'", tok);
                    return 1;
                }
            }
            if ((size_t)v <= ncols) ralign[v - 1] = true;
        }
    }
    for (size_t i = 0; i < nrows; i++)
        for (size_t k = 0; k < rows[i].n; k++)
            if (rows[i].c[k].width > colw[k]) colw[k] = rows[i].c[k].width;
    for (size_t i = 0; i < nrows; i++) {
        for (size_t k = 0; k < ncols; k++) {
            struct cell c = k < rows[i].n ? rows[i].c[k] : (struct cell){"", 0, 0};
            bool last = k + 1 == ncols;
            if (ralign[k]) pad(&out, colw[k] - c.width);
            obuf_write(&out, c.s, c.len);
            if (!last) {
                if (!ralign[k]) pad(&out, colw[k] - c.width);
                obuf_puts(&out, osep);
            }
        }
        obuf_putc(&out, '\n');
        if ((i & 0xffff) == 0 && proc_check(p) < 0) break;
    }
    return cmd_close_stdout(p, &out, status);
oom:
    cmd_error(p, "memory exhausted");
    return 1;
}
