/* seq.c — print a sequence of numbers (-f FORMAT, -s SEP, -w), with GNU's
 * rules: integers of any size take an exact decimal-string path; others
 * are long doubles printed with %.PRECf (PREC from the operands) or %g. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char seq_help[] =
    "Usage: %s [OPTION]... LAST\n"
    "  or:  %s [OPTION]... FIRST LAST\n"
    "  or:  %s [OPTION]... FIRST INCREMENT LAST\n"
    "Print numbers from FIRST to LAST, in steps of INCREMENT.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -f, --format=FORMAT      use printf style floating-point FORMAT\n"
    "  -s, --separator=STRING   use STRING to separate numbers (default: \\n)\n"
    "  -w, --equal-width        equalize width by padding with leading zeroes\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "If FIRST or INCREMENT is omitted, it defaults to 1.  That is, an\n"
    "omitted INCREMENT defaults to 1 even when LAST is smaller than FIRST.\n"
    "The sequence of numbers ends when the sum of the current number and\n"
    "INCREMENT would become greater than LAST.\n"
    "FIRST, INCREMENT, and LAST are interpreted as floating point values.\n"
    "INCREMENT is usually positive if FIRST is smaller than LAST, and\n"
    "INCREMENT is usually negative if FIRST is greater than LAST.\n"
    "INCREMENT must not be 0; none of FIRST, INCREMENT and LAST may be NaN.\n"
    "FORMAT must be suitable for printing one argument of type 'double';\n"
    "it defaults to %%.PRECf if FIRST, INCREMENT, and LAST are all fixed point\n"
    "decimal numbers with maximum precision PREC, and to %%g otherwise.\n"
    "\n"
    COREUTILS_HELP_TAIL("seq", "seq");

static const struct opt_long longs[] = {
    {"equal-width", OPT_NOARG, 'w'}, {"format", OPT_ARG, 'f'}, {"separator", OPT_ARG, 's'}, {0}};
static const struct opt_spec spec = {.name = "seq",
                                     .shorts = "+f:s:w",
                                     .longs = longs,
                                     .help = seq_help,
                                     .authors = "Ulrich Drepper"};

struct operand {
    long double value;
    size_t width;  /* printed width if printed like the input */
    int precision; /* digits after the point, INT_MAX if not fixed-point */
};

static bool parse_ld(const char *s, long double *v)
{
    char *end;
    errno = 0;
    *v = strtold(s, &end);
    if (end == s || *end) return false;
    return !(errno == ERANGE && isinf(*v));
}

/* coreutils scan_arg: value, width and precision of an operand. */
static int scan_arg(struct opt_state *o, const char *arg, struct operand *r)
{
    struct proc *p = o->p;
    if (!parse_ld(arg, &r->value)) {
        cmd_error(p, "invalid floating point argument: %s", cmd_quote(p, arg));
        return opt_usage_error(o, NULL);
    }
    if (isnan(r->value)) {
        cmd_error(p, "invalid %s argument: %s", cmd_quote(p, "not-a-number"), cmd_quote(p, arg));
        return opt_usage_error(o, NULL);
    }
    while (isspace((unsigned char)*arg) || *arg == '+') arg++;
    r->width = 0;
    r->precision = INT_MAX;
    const char *dp = strchr(arg, '.');
    if (!dp && !strchr(arg, 'p')) r->precision = 0;
    if (!arg[strcspn(arg, "xX")] && isfinite(r->value)) {
        size_t fraction_len = 0;
        r->width = strlen(arg);
        if (dp) {
            fraction_len = strcspn(dp + 1, "eE");
            if (fraction_len <= INT_MAX) r->precision = (int)fraction_len;
            r->width +=
                fraction_len == 0 ? (size_t)-1 : (dp == arg || !isdigit((unsigned char)dp[-1]));
        }
        const char *e = strchr(arg, 'e');
        if (!e) e = strchr(arg, 'E');
        if (e) {
            long exponent = strtol(e + 1, NULL, 10);
            if (exponent < -LONG_MAX) exponent = -LONG_MAX;
            r->precision +=
                exponent < 0 ? -exponent : -(r->precision < exponent ? r->precision : exponent);
            r->width -= strlen(arg) - (size_t)(e - arg);
            if (exponent < 0) {
                if (dp) {
                    if (e == dp + 1) r->width++;
                } else {
                    r->width++;
                }
                exponent = -exponent;
            } else {
                if (dp && r->precision == 0 && fraction_len) r->width--;
                exponent -= (long)fraction_len < exponent ? (long)fraction_len : exponent;
            }
            r->width += (size_t)exponent;
        }
    }
    return 0;
}

/* Check FMT has exactly one floating directive; build its long double
 * form in out. 0, or an exit status after a message. */
static int long_double_format(struct opt_state *o, const char *fmt, char **out, size_t *prefix,
                              size_t *suffix)
{
    struct proc *p = o->p;
    size_t i, pre = 0, suf = 0;
    for (i = 0; !(fmt[i] == '%' && fmt[i + 1] != '%'); i += (fmt[i] == '%') + 1) {
        if (!fmt[i]) {
            cmd_error(p, "format %s has no %% directive", cmd_quote(p, fmt));
            return 1;
        }
        pre++;
    }
    i++;
    i += strspn(fmt + i, "-+#0 '");
    i += strspn(fmt + i, "0123456789");
    if (fmt[i] == '.') {
        i++;
        i += strspn(fmt + i, "0123456789");
    }
    size_t lmod = i;
    bool has_L = fmt[i] == 'L';
    i += has_L;
    if (fmt[i] == '\0') {
        cmd_error(p, "format %s ends in %%", cmd_quote(p, fmt));
        return 1;
    }
    if (!strchr("efgaEFGA", fmt[i])) {
        cmd_error(p, "format %s has unknown %%%c directive", cmd_quote(p, fmt), fmt[i]);
        return 1;
    }
    for (i++;; i += (fmt[i] == '%') + 1) {
        if (fmt[i] == '%' && fmt[i + 1] != '%') {
            cmd_error(p, "format %s has too many %% directives", cmd_quote(p, fmt));
            return 1;
        }
        if (!fmt[i]) break;
        suf++;
    }
    char *ld = p_malloc(p, strlen(fmt) + 2);
    if (!ld) return 1;
    memcpy(ld, fmt, lmod);
    ld[lmod] = 'L';
    strcpy(ld + lmod + 1, fmt + lmod + has_L);
    *out = ld;
    *prefix = pre;
    *suffix = suf;
    return 0;
}

static char *fmt_ld(struct proc *p, const char *fmt, long double x)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    sbuf_printf(&sb, fmt, x);
#pragma GCC diagnostic pop
    return sb.s ? sb.s : p_strdup(p, "");
}

static void print_numbers(struct proc *p, struct obuf *out, const char *fmt, size_t prefix,
                          size_t suffix, const char *sep, long double first, long double step,
                          long double last)
{
    bool out_of_range = step < 0 ? first < last : last < first;
    if (out_of_range) return;
    long double x = first;
    for (long double i = 1;; i++) {
        long double x0 = x;
        char *s = fmt_ld(p, fmt, x);
        obuf_puts(out, s);
        p_free(p, s);
        if (obuf_failed(out) || out_of_range) break;
        x = first + i * step;
        out_of_range = step < 0 ? x < last : last < x;
        if (out_of_range) {
            /* Print one past LAST if it prints as LAST and differs from
             * the previous number (rounding in the step). */
            bool extra = false;
            char *xs = fmt_ld(p, fmt, x);
            size_t xl = strlen(xs);
            xs[xl - suffix] = '\0';
            long double xv;
            if (parse_ld(xs + prefix, &xv) && xv == last) {
                char *x0s = fmt_ld(p, fmt, x0);
                x0s[strlen(x0s) - suffix] = '\0';
                extra = strcmp(x0s, xs) != 0;
                p_free(p, x0s);
            }
            p_free(p, xs);
            if (!extra) break;
        }
        obuf_puts(out, sep);
    }
    obuf_putc(out, '\n');
}

static bool all_digits(const char *s)
{
    return isdigit((unsigned char)s[0]) && strspn(s, "0123456789") == strlen(s);
}

/* Decimal strings: a <= b compare after trimming zeros. */
static int cmp_dec(const char *a, size_t al, const char *b, size_t bl)
{
    if (al != bl) return al < bl ? -1 : 1;
    return memcmp(a, b, al);
}

static const char *trim_zeros(const char *s)
{
    const char *t = s;
    while (*s == '0') s++;
    if (!*s && s != t) s--;
    return s;
}

/* Integers a..b (b may be "inf") by step, exactly; false if b < a. */
static bool seq_fast(struct proc *p, struct obuf *out, const char *a, const char *b, uintmax_t step,
                     char sep)
{
    bool inf = strcmp(b, "inf") == 0;
    a = trim_zeros(a);
    b = trim_zeros(b);
    size_t al = strlen(a), bl = inf ? 0 : strlen(b);
    if (!inf && cmp_dec(a, al, b, bl) > 0) return false;
    size_t cap = (al > bl ? al : bl) + 32;
    char *num = p_malloc(p, cap);
    if (!num) return true;
    /* the number is right-aligned in num: num[cap - len .. cap) */
    size_t len = al;
    memcpy(num + cap - len, a, al);
    obuf_write(out, num + cap - len, len);
    for (;;) {
        for (uintmax_t k = step; k; k--) {
            size_t i = cap;
            for (;;) {
                if (i == cap - len) {
                    if (len == cap) {
                        size_t ncap = cap * 2;
                        char *nn = p_malloc(p, ncap);
                        if (!nn) goto end;
                        memcpy(nn + ncap - len, num + cap - len, len);
                        p_free(p, num);
                        num = nn;
                        cap = ncap;
                        i = cap - len;
                    }
                    num[cap - len - 1] = '1';
                    len++;
                    break;
                }
                i--;
                if (num[i] < '9') {
                    num[i]++;
                    break;
                }
                num[i] = '0';
            }
        }
        if (!inf && cmp_dec(num + cap - len, len, b, bl) > 0) break;
        obuf_putc(out, sep);
        obuf_write(out, num + cap - len, len);
        if (obuf_failed(out)) break;
    }
end:
    obuf_putc(out, '\n');
    p_free(p, num);
    return true;
}

int cmd_seq(struct proc *p, int argc, char **argv)
{
    const char *format = NULL, *sep = "\n";
    bool equal_width = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (;;) {
        /* A negative number is an operand, not an option. */
        if (!o.next && o.ind < argc && argv[o.ind][0] == '-' &&
            (argv[o.ind][1] == '.' || isdigit((unsigned char)argv[o.ind][1])))
            break;
        int c = opt_next(&o);
        if (c == OPT_END) break;
        switch (c) {
        case 'f': format = o.arg; break;
        case 's': sep = o.arg; break;
        case 'w': equal_width = true; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    int nargs = argc - o.ind;
    if (nargs < 1) return opt_usage_error(&o, "missing operand");
    if (nargs > 3) return opt_usage_error(&o, "extra operand %s", cmd_quote(p, argv[o.ind + 3]));
    char *ldfmt = NULL;
    size_t prefix = 0, suffix = 0;
    if (format) {
        int r = long_double_format(&o, format, &ldfmt, &prefix, &suffix);
        if (r) return r;
    }
    if (format && equal_width) {
        cmd_error(p, "format string may not be specified when printing equal width strings");
        return opt_usage_error(&o, NULL);
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    char **a = argv + o.ind;
    struct operand first = {1, 1, 0}, step = {1, 1, 0}, last;

    bool fast_step_ok = nargs != 3;
    if (nargs == 3 && all_digits(a[1]) && parse_ld(a[1], &step.value) && step.value > 0 &&
        step.value <= 200)
        fast_step_ok = true;
    if (all_digits(a[0]) && (nargs == 1 || all_digits(a[1])) &&
        (nargs < 3 || (fast_step_ok && all_digits(a[2]))) && !equal_width && !format &&
        strlen(sep) == 1) {
        if (seq_fast(p, &out, nargs == 1 ? "1" : a[0], a[nargs - 1], (uintmax_t)step.value, sep[0]))
            return cmd_close_stdout(p, &out, 0);
    }
    step.value = 1;
    int i = 0, r;
    if ((r = scan_arg(&o, a[i++], &last))) return r;
    if (i < nargs) {
        first = last;
        if ((r = scan_arg(&o, a[i++], &last))) return r;
        if (i < nargs) {
            step = last;
            if (step.value == 0) {
                cmd_error(p, "invalid Zero increment value: %s", cmd_quote(p, a[i - 1]));
                return opt_usage_error(&o, NULL);
            }
            if ((r = scan_arg(&o, a[i++], &last))) return r;
        }
    }
    if (first.precision == 0 && step.precision == 0 && last.precision == 0 &&
        isfinite(first.value) && first.value >= 0 && last.value >= 0 && step.value > 0 &&
        step.value <= 200 && !equal_width && !format && strlen(sep) == 1) {
        char s1[64], s2[64];
        snprintf(s1, sizeof s1, "%0.Lf", first.value);
        if (!isfinite(last.value))
            strcpy(s2, "inf");
        else
            snprintf(s2, sizeof s2, "%0.Lf", last.value);
        if (s1[0] != '-' && s2[0] != '-' &&
            seq_fast(p, &out, s1, s2, (uintmax_t)step.value, sep[0]))
            return cmd_close_stdout(p, &out, 0);
    }
    char dfmt[64];
    if (!ldfmt) {
        int prec = first.precision > step.precision ? first.precision : step.precision;
        ldfmt = "%Lg";
        if (prec != INT_MAX && last.precision != INT_MAX) {
            if (equal_width) {
                size_t fw = first.width + (size_t)(prec - first.precision);
                size_t lw = last.width + (size_t)(prec - last.precision);
                if (last.precision && prec == 0) lw--;
                if (last.precision == 0 && prec) lw++;
                if (first.precision == 0 && prec) fw++;
                size_t w = fw > lw ? fw : lw;
                if (w <= INT_MAX) {
                    snprintf(dfmt, sizeof dfmt, "%%0%d.%dLf", (int)w, prec);
                    ldfmt = dfmt;
                }
            } else {
                snprintf(dfmt, sizeof dfmt, "%%.%dLf", prec);
                ldfmt = dfmt;
            }
        }
    }
    print_numbers(p, &out, ldfmt, prefix, suffix, sep, first.value, step.value, last.value);
    return cmd_close_stdout(p, &out, 0);
}
