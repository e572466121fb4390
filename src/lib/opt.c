/* opt.c — reentrant GNU getopt_long (see opt.h), --help/--version, and the
 * number parsing commands share for option arguments (gnulib xstrtol). */
#include "lib/opt.h"
#include "kernel/kernel.h"
#include "lib/io.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ID_HELP (-100)
#define ID_VERSION (-101)

static const struct opt_long auto_longs[] = {
    {"help", OPT_NOARG, ID_HELP},
    {"version", OPT_NOARG, ID_VERSION},
};

void opt_init(struct opt_state *st, struct proc *p, const struct opt_spec *spec, int argc,
              char **argv)
{
    memset(st, 0, sizeof *st);
    st->p = p;
    st->spec = spec;
    st->argc = argc;
    st->argv = argv;
    st->prog = argc > 0 && argv[0] ? argv[0] : spec->name;
    st->ind = 1;
    st->first_nonopt = st->last_nonopt = 1;
    st->long_index = -1;
    const char *s = spec->shorts ? spec->shorts : "";
    st->in_order = *s == '+' || (p && proc_getenv(p, "POSIXLY_CORRECT"));
}

static int err_status(const struct opt_state *st)
{
    return st->spec->err_status ? st->spec->err_status : 1;
}

static const char *shorts(const struct opt_state *st)
{
    const char *s = st->spec->shorts ? st->spec->shorts : "";
    while (*s == '+' || *s == '-' || *s == ':') s++;
    return s;
}

/* Append fmt with "%s" -> prog and "%%" -> "%" to sb. */
static void add_text(struct sbuf *sb, const char *fmt, const char *prog)
{
    for (const char *t = fmt; *t;) {
        const char *pct = strchr(t, '%');
        if (!pct) {
            sbuf_add(sb, t, strlen(t));
            break;
        }
        sbuf_add(sb, t, (size_t)(pct - t));
        if (pct[1] == 's') {
            sbuf_add(sb, prog, strlen(prog));
            t = pct + 2;
        } else if (pct[1] == '%') {
            sbuf_add(sb, "%", 1);
            t = pct + 2;
        } else {
            sbuf_add(sb, "%", 1);
            t = pct + 1;
        }
    }
}

static void emit(struct opt_state *st, int fd, struct sbuf *sb)
{
    if (sb->s && sb->len) p_write_all(st->p, fd, sb->s, sb->len);
    sbuf_free(sb);
}

static void try_line(struct opt_state *st, struct sbuf *sb)
{
    add_text(sb,
             st->spec->try_text ? st->spec->try_text : "Try '%s --help' for more information.\n",
             st->prog);
}

int opt_help(struct opt_state *st)
{
    struct sbuf sb;
    sbuf_init(&sb, st->p);
    if (st->spec->help) add_text(&sb, st->spec->help, st->prog);
    emit(st, 1, &sb);
    st->status = 0;
    return 0;
}

int opt_version(struct opt_state *st)
{
    struct sbuf sb;
    sbuf_init(&sb, st->p);
    const struct opt_spec *sp = st->spec;
    if (sp->version) {
        sbuf_add(&sb, sp->version, strlen(sp->version));
    } else {
        sbuf_printf(&sb,
                    "%s (GNU coreutils) 9.1\n"
                    "Copyright (C) 2022 Free Software Foundation, Inc.\n"
                    "License GPLv3+: GNU GPL version 3 or later "
                    "<https://gnu.org/licenses/gpl.html>.\n"
                    "This is free software: you are free to change and redistribute it.\n"
                    "There is NO WARRANTY, to the extent permitted by law.\n",
                    sp->name);
        if (sp->authors) sbuf_printf(&sb, "\nWritten by %s.\n", sp->authors);
    }
    emit(st, 1, &sb);
    st->status = 0;
    return 0;
}

int opt_usage_error(struct opt_state *st, const char *fmt, ...)
{
    struct sbuf sb;
    sbuf_init(&sb, st->p);
    if (fmt) {
        sbuf_printf(&sb, "%s: ", st->prog);
        va_list ap;
        va_start(ap, fmt);
        sbuf_vprintf(&sb, fmt, ap);
        va_end(ap);
        sbuf_add(&sb, "\n", 1);
    }
    try_line(st, &sb);
    emit(st, 2, &sb);
    st->status = err_status(st);
    return st->status;
}

/* An error in the option syntax: message (already formatted), Try line. */
static int opt_fail(struct opt_state *st, struct sbuf *sb)
{
    try_line(st, sb);
    emit(st, 2, sb);
    st->status = err_status(st);
    st->arg = NULL;
    return OPT_EXIT;
}

/* Move the operands skipped so far, [first_nonopt, last_nonopt), after the
 * options seen since, [last_nonopt, ind): glibc's exchange(). */
static void exchange(struct opt_state *st)
{
    char **argv = st->argv;
    int bottom = st->first_nonopt, middle = st->last_nonopt, top = st->ind;
    while (top > middle && middle > bottom) {
        if (top - middle > middle - bottom) {
            int len = middle - bottom;
            for (int i = 0; i < len; i++) {
                char *t = argv[bottom + i];
                argv[bottom + i] = argv[top - (middle - bottom) + i];
                argv[top - (middle - bottom) + i] = t;
            }
            top -= len;
        } else {
            int len = top - middle;
            for (int i = 0; i < len; i++) {
                char *t = argv[bottom + i];
                argv[bottom + i] = argv[middle + i];
                argv[middle + i] = t;
            }
            bottom += len;
        }
    }
    st->first_nonopt += st->ind - st->last_nonopt;
    st->last_nonopt = st->ind;
}

/* The long table entry i of the combined (spec + --help/--version) table. */
static const struct opt_long *long_at(const struct opt_state *st, int i)
{
    int n = 0;
    if (st->spec->longs)
        for (; st->spec->longs[n].name; n++)
            if (n == i) return &st->spec->longs[n];
    if (st->spec->flags & OPT_NO_HELP) return NULL;
    i -= n;
    return i >= 0 && i < 2 ? &auto_longs[i] : NULL;
}

static int dispatch_long(struct opt_state *st, const struct opt_long *lo, int idx)
{
    if (lo->val == ID_HELP) {
        opt_help(st);
        return OPT_EXIT;
    }
    if (lo->val == ID_VERSION) {
        opt_version(st);
        return OPT_EXIT;
    }
    st->long_index = idx;
    st->opt = lo->val;
    return lo->val;
}

static int parse_long(struct opt_state *st)
{
    char *name = st->argv[st->ind] + 2;
    char *eq = strchr(name, '=');
    size_t namelen = eq ? (size_t)(eq - name) : strlen(name);
    const struct opt_long *found = NULL;
    int found_idx = -1, nopts = 0;
    bool ambig = false;

    for (const struct opt_long *lo; (lo = long_at(st, nopts)); nopts++)
        if (strncmp(lo->name, name, namelen) == 0 && strlen(lo->name) == namelen) {
            found = lo;
            found_idx = nopts;
            break;
        }
    if (!found) {
        for (int i = 0; i < nopts; i++) {
            const struct opt_long *lo = long_at(st, i);
            if (strncmp(lo->name, name, namelen) != 0) continue;
            if (!found) {
                found = lo;
                found_idx = i;
            } else if (found->has_arg != lo->has_arg || found->val != lo->val) {
                ambig = true;
            }
        }
    }
    struct sbuf sb;
    sbuf_init(&sb, st->p);
    st->opt = 0;
    if (ambig) {
        sbuf_printf(&sb, "%s: option '--%s' is ambiguous; possibilities:", st->prog, name);
        for (int i = 0; i < nopts; i++) {
            const struct opt_long *lo = long_at(st, i);
            if (strncmp(lo->name, name, namelen) != 0) continue;
            if (i == found_idx || found->has_arg != lo->has_arg || found->val != lo->val)
                sbuf_printf(&sb, " '--%s'", lo->name);
        }
        sbuf_add(&sb, "\n", 1);
        st->ind++;
        return opt_fail(st, &sb);
    }
    if (!found) {
        sbuf_printf(&sb, "%s: unrecognized option '--%s'\n", st->prog, name);
        st->ind++;
        return opt_fail(st, &sb);
    }
    st->ind++;
    st->arg = NULL;
    if (eq) {
        if (found->has_arg == OPT_NOARG) {
            sbuf_printf(&sb, "%s: option '--%s' doesn't allow an argument\n", st->prog,
                        found->name);
            st->opt = found->val;
            return opt_fail(st, &sb);
        }
        st->arg = eq + 1;
    } else if (found->has_arg == OPT_ARG) {
        if (st->ind >= st->argc) {
            sbuf_printf(&sb, "%s: option '--%s' requires an argument\n", st->prog, found->name);
            st->opt = found->val;
            return opt_fail(st, &sb);
        }
        st->arg = st->argv[st->ind++];
    }
    sbuf_free(&sb);
    return dispatch_long(st, found, found_idx);
}

static int parse_short(struct opt_state *st)
{
    char c = *st->next++;
    const char *sh = shorts(st);
    const char *t = c && c != ':' ? strchr(sh, c) : NULL;
    st->arg = NULL;
    st->opt = (unsigned char)c;
    st->long_index = -1;
    if (!t) {
        if (!*st->next) {
            st->ind++;
            st->next = NULL;
        }
        struct sbuf sb;
        sbuf_init(&sb, st->p);
        sbuf_printf(&sb, "%s: invalid option -- '%c'\n", st->prog, c);
        return opt_fail(st, &sb);
    }
    if (t[1] == ':') {
        if (t[2] == ':') { /* optional: attached only */
            if (*st->next) st->arg = st->next;
            st->ind++;
        } else if (*st->next) {
            st->arg = st->next;
            st->ind++;
        } else {
            st->ind++;
            if (st->ind >= st->argc) {
                st->next = NULL;
                struct sbuf sb;
                sbuf_init(&sb, st->p);
                sbuf_printf(&sb, "%s: option requires an argument -- '%c'\n", st->prog, c);
                return opt_fail(st, &sb);
            }
            st->arg = st->argv[st->ind++];
        }
        st->next = NULL;
    } else if (!*st->next) {
        st->ind++;
        st->next = NULL;
    }
    return (unsigned char)c;
}

int opt_next(struct opt_state *st)
{
    st->arg = NULL;
    if (st->next && *st->next) return parse_short(st);
    st->next = NULL;

    if (st->last_nonopt > st->ind) st->last_nonopt = st->ind;
    if (st->first_nonopt > st->ind) st->first_nonopt = st->ind;

    char **argv = st->argv;
    int argc = st->argc;
#define NONOPT(i) (argv[i][0] != '-' || argv[i][1] == '\0')
    if (!st->in_order) {
        if (st->first_nonopt != st->last_nonopt && st->last_nonopt != st->ind)
            exchange(st);
        else if (st->last_nonopt != st->ind)
            st->first_nonopt = st->ind;
        while (st->ind < argc && NONOPT(st->ind)) st->ind++;
        st->last_nonopt = st->ind;
    }
    if (st->ind != argc && strcmp(argv[st->ind], "--") == 0) {
        st->ind++;
        if (st->first_nonopt != st->last_nonopt && st->last_nonopt != st->ind)
            exchange(st);
        else if (st->first_nonopt == st->last_nonopt)
            st->first_nonopt = st->ind;
        st->last_nonopt = argc;
        st->ind = argc;
    }
    if (st->ind == argc) {
        if (st->first_nonopt != st->last_nonopt) st->ind = st->first_nonopt;
        return OPT_END;
    }
    if (NONOPT(st->ind)) {
        /* Only reached in order mode: stop at the first operand. */
        return OPT_END;
    }
#undef NONOPT
    if (argv[st->ind][1] == '-') return parse_long(st);
    st->next = argv[st->ind] + 1;
    return parse_short(st);
}

/* ---- numbers ------------------------------------------------------------ */

static enum opt_num_status mul(uintmax_t *x, unsigned base, int power)
{
    enum opt_num_status r = OPT_NUM_OK;
    while (power-- > 0) {
        if (*x > UINTMAX_MAX / base) {
            *x = UINTMAX_MAX;
            r = OPT_NUM_OVERFLOW;
        } else {
            *x *= base;
        }
    }
    return r;
}

/* Parse the suffix at *p (gnulib xstrtol's rules) and scale *x by it. */
static enum opt_num_status apply_suffix(char **p, uintmax_t *x, const char *valid)
{
    if (!valid || !**p) return OPT_NUM_OK;
    char *s = *p;
    if (!strchr(valid, *s)) return OPT_NUM_BAD_SUFFIX;
    unsigned base = 1024;
    int suffixes = 1;
    if (strchr(valid, '0')) {
        if (s[1] == 'i' && s[2] == 'B')
            suffixes += 2;
        else if (s[1] == 'B' || s[1] == 'D') {
            base = 1000;
            suffixes++;
        }
    }
    enum opt_num_status r;
    switch (*s) {
    case 'b': r = mul(x, 512, 1); break;
    case 'B': r = mul(x, 1024, 1); break;
    case 'c': r = OPT_NUM_OK; break;
    case 'E': r = mul(x, base, 6); break;
    case 'G':
    case 'g': r = mul(x, base, 3); break;
    case 'k':
    case 'K': r = mul(x, base, 1); break;
    case 'M':
    case 'm': r = mul(x, base, 2); break;
    case 'P': r = mul(x, base, 5); break;
    case 'T':
    case 't': r = mul(x, base, 4); break;
    case 'w': r = mul(x, 2, 1); break;
    case 'Y': r = mul(x, base, 8); break;
    case 'Z': r = mul(x, base, 7); break;
    default: return OPT_NUM_BAD_SUFFIX;
    }
    *p = s + suffixes;
    return r;
}

enum opt_num_status opt_strtoumax(const char *s, char **end, int base, uintmax_t *val,
                                  const char *valid_suffixes)
{
    char *e;
    const char *q = s;
    while (*q == ' ' || (*q >= '\t' && *q <= '\r')) q++;
    if (*q == '-') {
        if (end) *end = (char *)s;
        return OPT_NUM_INVALID;
    }
    int saved = errno;
    errno = 0;
    uintmax_t x = strtoumax(s, &e, base);
    enum opt_num_status r = OPT_NUM_OK;
    if (e == s) {
        /* No digits: a bare suffix means 1 of it ("k" = 1024). */
        if (valid_suffixes && *e && strchr(valid_suffixes, *e))
            x = 1;
        else {
            errno = saved;
            if (end) *end = e;
            return OPT_NUM_INVALID;
        }
    } else if (errno == ERANGE) {
        r = OPT_NUM_OVERFLOW;
    }
    errno = saved;
    if (valid_suffixes && *e) {
        enum opt_num_status sr = apply_suffix(&e, &x, valid_suffixes);
        if (sr == OPT_NUM_BAD_SUFFIX) {
            if (end) *end = e;
            *val = x;
            return r | OPT_NUM_BAD_SUFFIX;
        }
        r |= sr;
        if (*e) r |= OPT_NUM_BAD_SUFFIX;
    } else if (!end && *e) {
        r |= OPT_NUM_BAD_SUFFIX;
    }
    if (end) *end = e;
    *val = x;
    return r;
}

enum opt_num_status opt_strtoimax(const char *s, char **end, int base, intmax_t *val,
                                  const char *valid_suffixes)
{
    const char *q = s;
    while (*q == ' ' || (*q >= '\t' && *q <= '\r')) q++;
    bool neg = *q == '-';
    uintmax_t u;
    enum opt_num_status r;
    if (neg) {
        char *e;
        int saved = errno;
        errno = 0;
        intmax_t x = strtoimax(s, &e, base);
        r = OPT_NUM_OK;
        if (e == s) {
            errno = saved;
            if (end) *end = e;
            return OPT_NUM_INVALID;
        }
        if (errno == ERANGE) r = OPT_NUM_OVERFLOW;
        errno = saved;
        u = x == INTMAX_MIN ? (uintmax_t)INTMAX_MAX + 1 : (uintmax_t)-x;
        if (valid_suffixes && *e) {
            enum opt_num_status sr = apply_suffix(&e, &u, valid_suffixes);
            if (sr == OPT_NUM_BAD_SUFFIX)
                r |= OPT_NUM_BAD_SUFFIX;
            else {
                r |= sr;
                if (*e) r |= OPT_NUM_BAD_SUFFIX;
            }
        } else if (!end && *e) {
            r |= OPT_NUM_BAD_SUFFIX;
        }
        if (end) *end = e;
        if (u > (uintmax_t)INTMAX_MAX + 1) {
            *val = INTMAX_MIN;
            return r | OPT_NUM_OVERFLOW;
        }
        *val = u == (uintmax_t)INTMAX_MAX + 1 ? INTMAX_MIN : -(intmax_t)u;
        return r;
    }
    r = opt_strtoumax(s, end, base, &u, valid_suffixes);
    if (r == OPT_NUM_INVALID) return r;
    if (u > INTMAX_MAX) {
        *val = INTMAX_MAX;
        return r | OPT_NUM_OVERFLOW;
    }
    *val = (intmax_t)u;
    return r;
}

int opt_dectoumax(struct opt_state *st, const char *s, uintmax_t min, uintmax_t max,
                  const char *suffixes, const char *errmsg, uintmax_t *val)
{
    uintmax_t x = 0;
    enum opt_num_status r = opt_strtoumax(s, NULL, 10, &x, suffixes);
    int e = 0;
    if (r == OPT_NUM_OK) {
        if (x < min || x > max) {
            r = OPT_NUM_OVERFLOW;
            e = x > INT_MAX / 2 ? EOVERFLOW : ERANGE;
        }
    } else if (r == OPT_NUM_OVERFLOW) {
        e = EOVERFLOW;
    }
    if (r != OPT_NUM_OK) {
        struct sbuf sb;
        sbuf_init(&sb, st->p);
        sbuf_printf(&sb, "%s: %s: ", st->prog, errmsg);
        sbuf_quote(&sb, s, strlen(s), QUOTE_LOCALE);
        if (e) {
            char eb[128];
            sbuf_printf(&sb, ": %s", strerror_r(e, eb, sizeof eb));
        }
        sbuf_add(&sb, "\n", 1);
        emit(st, 2, &sb);
        st->status = 1;
        return -1;
    }
    *val = x;
    return 0;
}

int opt_argmatch(struct opt_state *st, const char *option, const char *arg,
                 const char *const *names)
{
    return opt_argmatch_vals(st, option, arg, names, NULL);
}

int opt_argmatch_vals(struct opt_state *st, const char *option, const char *arg,
                      const char *const *names, const int *vals)
{
    size_t alen = strlen(arg);
    int found = -1;
    bool ambiguous = false;
    for (int i = 0; names[i]; i++) {
        if (strncmp(names[i], arg, alen) != 0) continue;
        if (strlen(names[i]) == alen) return i;
        if (found < 0)
            found = i;
        else if (!vals || vals[i] != vals[found])
            ambiguous = true;
    }
    if (found >= 0 && !ambiguous) return found;
    struct sbuf sb;
    sbuf_init(&sb, st->p);
    sbuf_printf(&sb, "%s: %s argument ", st->prog, ambiguous ? "ambiguous" : "invalid");
    sbuf_quote(&sb, arg, alen, QUOTE_LOCALE);
    sbuf_add(&sb, " for ", 5);
    sbuf_quote(&sb, option, strlen(option), QUOTE_LOCALE);
    sbuf_printf(&sb, "\nValid arguments are:");
    for (int i = 0; names[i]; i++) {
        /* names with the same value share a line, like gnulib argmatch_valid */
        if (vals && i > 0 && vals[i] == vals[i - 1]) {
            sbuf_add(&sb, ", ", 2);
        } else {
            sbuf_printf(&sb, "\n  - ");
        }
        sbuf_quote(&sb, names[i], strlen(names[i]), QUOTE_LOCALE);
    }
    sbuf_add(&sb, "\n", 1);
    try_line(st, &sb);
    emit(st, 2, &sb);
    st->status = err_status(st);
    return -1;
}
