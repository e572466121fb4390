/* uniq.c — report or omit repeated lines: -c -d -D/--all-repeated -u -i
 * -f -s -w -z --group, the obsolete -N and +N forms, and an optional
 * OUTPUT operand. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <strings.h>

static const char uniq_help[] =
    "Usage: %s [OPTION]... [INPUT [OUTPUT]]\n"
    "Filter adjacent matching lines from INPUT (or standard input),\n"
    "writing to OUTPUT (or standard output).\n"
    "\n"
    "With no options, matching lines are merged to the first occurrence.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -c, --count           prefix lines by the number of occurrences\n"
    "  -d, --repeated        only print duplicate lines, one for each group\n"
    "  -D                    print all duplicate lines\n"
    "      --all-repeated[=METHOD]  like -D, but allow separating groups\n"
    "                                 with an empty line;\n"
    "                                 METHOD={none(default),prepend,separate}\n"
    "  -f, --skip-fields=N   avoid comparing the first N fields\n"
    "      --group[=METHOD]  show all items, separating groups with an empty line;\n"
    "                          METHOD={separate(default),prepend,append,both}\n"
    "  -i, --ignore-case     ignore differences in case when comparing\n"
    "  -s, --skip-chars=N    avoid comparing the first N characters\n"
    "  -u, --unique          only print unique lines\n"
    "  -z, --zero-terminated     line delimiter is NUL, not newline\n"
    "  -w, --check-chars=N   compare no more than N characters in lines\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "A field is a run of blanks (usually spaces and/or TABs), then non-blank\n"
    "characters.  Fields are skipped before chars.\n"
    "\n"
    "Note: 'uniq' does not detect repeated lines unless they are adjacent.\n"
    "You may want to sort the input first, or use 'sort -u' without 'uniq'.\n"
    "\n"
    COREUTILS_HELP_TAIL("uniq", "uniq");

enum { OPT_ALL_REPEATED = 256, OPT_GROUP };
static const struct opt_long longs[] = {{"count", OPT_NOARG, 'c'},
                                        {"repeated", OPT_NOARG, 'd'},
                                        {"all-repeated", OPT_OPTARG, OPT_ALL_REPEATED},
                                        {"group", OPT_OPTARG, OPT_GROUP},
                                        {"ignore-case", OPT_NOARG, 'i'},
                                        {"unique", OPT_NOARG, 'u'},
                                        {"skip-fields", OPT_ARG, 'f'},
                                        {"skip-chars", OPT_ARG, 's'},
                                        {"check-chars", OPT_ARG, 'w'},
                                        {"zero-terminated", OPT_NOARG, 'z'},
                                        {0}};
static const struct opt_spec spec = {.name = "uniq",
                                     .shorts = "0123456789cdDf:is:uw:z",
                                     .longs = longs,
                                     .help = uniq_help,
                                     .authors = "Richard M. Stallman and David MacKenzie"};

enum delim_method { DM_NONE, DM_PREPEND, DM_SEPARATE };
enum group_method { GM_NONE, GM_PREPEND, GM_APPEND, GM_SEPARATE, GM_BOTH };

struct uniq {
    size_t skip_fields, skip_chars, check_chars;
    bool count, out_unique, out_first_rep, out_later_rep, ignore_case;
    enum delim_method delim;
    enum group_method group;
    char eol;
};

static bool field_sep(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* The part of line [s, s+len) that is compared. */
static const char *find_field(const struct uniq *u, const char *s, size_t len, size_t *out_len)
{
    size_t i = 0;
    for (size_t count = 0; count < u->skip_fields && i < len; count++) {
        while (i < len && field_sep((unsigned char)s[i])) i++;
        while (i < len && !field_sep((unsigned char)s[i])) i++;
    }
    i += u->skip_chars < len - i ? u->skip_chars : len - i;
    size_t rest = len - i;
    *out_len = rest < u->check_chars ? rest : u->check_chars;
    return s + i;
}

static bool different(const struct uniq *u, const char *a, size_t al, const char *b, size_t bl)
{
    if (al != bl) return true;
    if (u->ignore_case) {
        for (size_t i = 0; i < al; i++) {
            unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
            if (x >= 'a' && x <= 'z') x -= 32;
            if (y >= 'a' && y <= 'z') y -= 32;
            if (x != y) return true;
        }
        return false;
    }
    return memcmp(a, b, al) != 0;
}

static void put(struct obuf *o, const struct uniq *u, const char *s, size_t len, uintmax_t n)
{
    if (u->count) obuf_printf(o, "%7ju ", n + 1);
    obuf_write(o, s, len);
    obuf_putc(o, u->eol);
}

static bool size_opt(struct proc *p, const char *arg, const char *msg, size_t *val)
{
    uintmax_t n;
    enum opt_num_status r = opt_strtoumax(arg, NULL, 10, &n, "");
    if (r != OPT_NUM_OK && r != OPT_NUM_OVERFLOW) {
        cmd_error(p, "%s: %s", arg, msg);
        return false;
    }
    *val = n > SIZE_MAX ? SIZE_MAX : (size_t)n;
    return true;
}

int cmd_uniq(struct proc *p, int argc, char **argv)
{
    struct uniq u = {.check_chars = SIZE_MAX,
                     .out_unique = true,
                     .out_first_rep = true,
                     .eol = '\n'};
    static const char *const delim_names[] = {"none", "prepend", "separate", NULL};
    static const char *const group_names[] = {"prepend", "append", "separate", "both", NULL};
    bool obsolete_fields = false;
    int last_digit_ind = -1;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'c': u.count = true; break;
        case 'd': u.out_unique = false; break;
        case 'D':
            u.out_unique = false;
            u.out_later_rep = true;
            if (u.delim == DM_NONE) u.delim = DM_NONE;
            break;
        case OPT_ALL_REPEATED:
            u.out_unique = false;
            u.out_later_rep = true;
            if (o.arg) {
                int k = opt_argmatch(&o, "--all-repeated", o.arg, delim_names);
                if (k < 0) return o.status;
                u.delim = (enum delim_method)k;
            } else
                u.delim = DM_NONE;
            break;
        case OPT_GROUP:
            if (o.arg) {
                int k = opt_argmatch(&o, "--group", o.arg, group_names);
                if (k < 0) return o.status;
                static const enum group_method gm[] = {GM_PREPEND, GM_APPEND, GM_SEPARATE,
                                                       GM_BOTH};
                u.group = gm[k];
            } else
                u.group = GM_SEPARATE;
            break;
        case 'f':
            if (!size_opt(p, o.arg, "invalid number of fields to skip", &u.skip_fields)) return 1;
            obsolete_fields = false;
            break;
        case 'i': u.ignore_case = true; break;
        case 's':
            if (!size_opt(p, o.arg, "invalid number of bytes to skip", &u.skip_chars)) return 1;
            break;
        case 'u': u.out_first_rep = false; break;
        case 'w':
            if (!size_opt(p, o.arg, "invalid number of bytes to compare", &u.check_chars))
                return 1;
            break;
        case 'z': u.eol = '\0'; break;
        case OPT_EXIT: return o.status;
        default:
            if (c >= '0' && c <= '9') {
                /* Obsolete -N: digits of one argument accumulate. */
                int ind = o.ind;
                if (!obsolete_fields || ind != last_digit_ind) {
                    if (!obsolete_fields) u.skip_fields = 0;
                }
                if (!obsolete_fields) u.skip_fields = 0;
                obsolete_fields = true;
                last_digit_ind = ind;
                size_t d = (size_t)(c - '0');
                if (u.skip_fields > (SIZE_MAX - d) / 10)
                    u.skip_fields = SIZE_MAX;
                else
                    u.skip_fields = u.skip_fields * 10 + d;
                break;
            }
            return opt_usage_error(&o, NULL);
        }
    }
    /* Operands: INPUT, OUTPUT; "+N" is the obsolete -s N. */
    const char *files[2] = {"-", "-"};
    int nfiles = 0;
    for (int i = o.ind; i < argc; i++) {
        const char *a = argv[i];
        uintmax_t n;
        if (a[0] == '+' && !proc_getenv(p, "POSIXLY_CORRECT") &&
            opt_strtoumax(a, NULL, 10, &n, "") == OPT_NUM_OK) {
            u.skip_chars = n > SIZE_MAX ? SIZE_MAX : (size_t)n;
            continue;
        }
        if (nfiles == 2) {
            cmd_error(p, "extra operand %s", cmd_quote(p, a));
            return opt_usage_error(&o, NULL);
        }
        files[nfiles++] = a;
    }
    if (u.group != GM_NONE && (!u.out_unique || !u.out_first_rep || u.out_later_rep || u.count)) {
        cmd_error(p, "--group is mutually exclusive with -c/-d/-D/-u");
        return opt_usage_error(&o, NULL);
    }
    if (u.count && u.out_later_rep) {
        cmd_error(p, "printing all duplicated lines and repeat counts is meaningless");
        return opt_usage_error(&o, NULL);
    }

    int in = cmd_open_input(p, files[0]);
    if (in < 0) {
        cmd_file_error(p, files[0], in);
        return 1;
    }
    int outfd = 1;
    if (strcmp(files[1], "-") != 0) {
        outfd = sys_open(p, files[1], O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (outfd < 0) {
            cmd_file_error(p, files[1], outfd);
            cmd_close_input(p, in);
            return 1;
        }
    }
    struct ibuf ib;
    ibuf_init(&ib, p, in);
    struct obuf out;
    obuf_init(&out, p, outfd);

    /* GNU's two loops, line for line: prev is the line compared with. */
    struct line {
        char *buf;
        size_t len, cap; /* len without the delimiter */
        const char *field;
        size_t flen;
    } lines[2] = {{0}}, *prev = &lines[0], *cur = &lines[1];
    bool have_prev = false;
    int status = 0;
    unsigned long iter = 0;
    bool simple = u.out_unique && u.out_first_rep && !u.count && !u.out_later_rep;
    bool first_group_printed = false, first_delimiter = true;
    uintmax_t match_count = 0;
    for (;;) {
        char *rec;
        ssize_t n = ibuf_getdelim(&ib, u.eol, &rec);
        if (n < 0) {
            if (n == -ENOMEM)
                cmd_error(p, "memory exhausted");
            else if (n != -EINTR)
                cmd_error(p, "error reading %s", cmd_quoteaf(p, files[0]));
            status = 1;
            break;
        }
        if (n == 0) break;
        size_t len = (size_t)n;
        if (rec[len - 1] == u.eol) len--;
        if (cur->cap < len + 1) {
            size_t nc = cur->cap ? cur->cap : 128;
            while (nc < len + 1) nc *= 2;
            char *nb = p_realloc(p, cur->buf, nc);
            if (!nb) {
                cmd_error(p, "memory exhausted");
                status = 1;
                break;
            }
            cur->buf = nb;
            cur->cap = nc;
        }
        memcpy(cur->buf, rec, len);
        cur->len = len;
        cur->field = find_field(&u, cur->buf, len, &cur->flen);
        struct line *t;
        if (!have_prev) {
            have_prev = true;
            if (simple) {
                if (u.group == GM_PREPEND || u.group == GM_BOTH) obuf_putc(&out, u.eol);
                obuf_write(&out, cur->buf, cur->len);
                obuf_putc(&out, u.eol);
                first_group_printed = true;
            }
            t = prev, prev = cur, cur = t;
            continue;
        }
        bool match = !different(&u, cur->field, cur->flen, prev->field, prev->flen);
        if (simple) {
            bool new_group = !match;
            if (new_group && u.group != GM_NONE &&
                (u.group == GM_PREPEND || u.group == GM_BOTH ||
                 (first_group_printed && (u.group == GM_APPEND || u.group == GM_SEPARATE))))
                obuf_putc(&out, u.eol);
            if (new_group || u.group != GM_NONE) {
                obuf_write(&out, cur->buf, cur->len);
                obuf_putc(&out, u.eol);
                t = prev, prev = cur, cur = t;
                first_group_printed = true;
            }
        } else {
            match_count += match;
            if (u.delim != DM_NONE) {
                if (!match) {
                    if (match_count) first_delimiter = false;
                } else if (match_count == 1) {
                    if (u.delim == DM_PREPEND || (u.delim == DM_SEPARATE && !first_delimiter))
                        obuf_putc(&out, u.eol);
                }
            }
            if (!match || u.out_later_rep) {
                bool show = match_count == 0 ? u.out_unique
                            : !match         ? u.out_first_rep
                                             : u.out_later_rep;
                if (show) put(&out, &u, prev->buf, prev->len, match_count);
                t = prev, prev = cur, cur = t;
                if (!match) match_count = 0;
            }
        }
        if ((++iter & 0xffff) == 0 && (proc_check(p) < 0 || obuf_failed(&out))) {
            status = 1;
            break;
        }
    }
    if (have_prev && status == 0) {
        if (simple) {
            if ((u.group == GM_BOTH || u.group == GM_APPEND) && first_group_printed)
                obuf_putc(&out, u.eol);
        } else {
            bool show = match_count == 0 ? u.out_unique : u.out_first_rep;
            if (show) put(&out, &u, prev->buf, prev->len, match_count);
        }
    }
    p_free(p, lines[0].buf);
    p_free(p, lines[1].buf);
    ibuf_free(&ib);
    cmd_close_input(p, in);
    status = cmd_close_stdout(p, &out, status);
    if (outfd != 1) sys_close(p, outfd);
    return status;
}
