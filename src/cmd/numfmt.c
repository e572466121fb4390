/* numfmt.c — convert numbers to and from human-readable strings (coreutils
 * numfmt): --from/--to none|auto|si|iec|iec-i, --from-unit/--to-unit,
 * --round, --suffix, --padding (and automatic padding of blank-led fields),
 * --format %[0]['][-][N][.N]f, --field lists, -d, --header, --invalid,
 * --grouping, -z. Arithmetic in long double like GNU. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char numfmt_help[] =
    "Usage: %s [OPTION]... [NUMBER]...\n"
    "Reformat NUMBER(s), or the numbers from standard input if none are specified.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "      --debug          print warnings about invalid input\n"
    "  -d, --delimiter=X    use X instead of whitespace for field delimiter\n"
    "      --field=FIELDS   replace the numbers in these input fields (default=1);\n"
    "                         see FIELDS below\n"
    "      --format=FORMAT  use printf style floating-point FORMAT;\n"
    "                         see FORMAT below for details\n"
    "      --from=UNIT      auto-scale input numbers to UNITs; default is 'none';\n"
    "                         see UNIT below\n"
    "      --from-unit=N    specify the input unit size (instead of the default 1)\n"
    "      --grouping       use locale-defined grouping of digits, e.g. 1,000,000\n"
    "                         (which means it has no effect in the C/POSIX locale)\n"
    "      --header[=N]     print (without converting) the first N header lines;\n"
    "                         N defaults to 1 if not specified\n"
    "      --invalid=MODE   failure mode for invalid numbers: MODE can be:\n"
    "                         abort (default), fail, warn, ignore\n"
    "      --padding=N      pad the output to N characters; positive N will\n"
    "                         right-align; negative N will left-align;\n"
    "                         padding is ignored if the output is wider than N;\n"
    "                         the default is to automatically pad if a whitespace\n"
    "                         is found\n"
    "      --round=METHOD   use METHOD for rounding when scaling; METHOD can be:\n"
    "                         up, down, from-zero (default), towards-zero, nearest\n"
    "      --suffix=SUFFIX  add SUFFIX to output numbers, and accept optional\n"
    "                         SUFFIX in input numbers\n"
    "      --to=UNIT        auto-scale output numbers to UNITs; see UNIT below\n"
    "      --to-unit=N      the output unit size (instead of the default 1)\n"
    "  -z, --zero-terminated    line delimiter is NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "UNIT options:\n"
    "  none       no auto-scaling is done; suffixes will trigger an error\n"
    "  auto       accept optional single/two letter suffix:\n"
    "               1K = 1000,\n"
    "               1Ki = 1024,\n"
    "               1M = 1000000,\n"
    "               1Mi = 1048576,\n"
    "  si         accept optional single letter suffix:\n"
    "               1K = 1000,\n"
    "               1M = 1000000,\n"
    "               ...\n"
    "  iec        accept optional single letter suffix:\n"
    "               1K = 1024,\n"
    "               1M = 1048576,\n"
    "               ...\n"
    "  iec-i      accept optional two-letter suffix:\n"
    "               1Ki = 1024,\n"
    "               1Mi = 1048576,\n"
    "               ...\n"
    "\n"
    "FIELDS supports cut(1) style field ranges:\n"
    "  N    N'th field, counted from 1\n"
    "  N-   from N'th field, to end of line\n"
    "  N-M  from N'th to M'th field (inclusive)\n"
    "  -M   from first to M'th field (inclusive)\n"
    "  -    all fields\n"
    "Multiple fields/ranges can be separated with commas\n"
    "\n"
    "FORMAT must be suitable for printing one floating-point argument '%%f'.\n"
    "Optional quote (%%'f) will enable --grouping (if supported by current locale).\n"
    "Optional width value (%%10f) will pad output. Optional zero (%%010f) width\n"
    "will zero pad the number. Optional negative values (%%-10f) will left align.\n"
    "Optional precision (%%.1f) will override the input determined precision.\n"
    "\n"
    "Exit status is 0 if all input numbers were successfully converted.\n"
    "By default, numfmt will stop at the first conversion error with exit status 2.\n"
    "With --invalid='fail' a warning is printed for each conversion error\n"
    "and the exit status is 2.  With --invalid='warn' each conversion error is\n"
    "diagnosed, but the exit status is 0.  With --invalid='ignore' conversion\n"
    "errors are not diagnosed and the exit status is 0.\n"
    "\n"
    "Examples:\n"
    "  $ numfmt --to=si 1000\n"
    "            -> \"1.0K\"\n"
    "  $ numfmt --to=iec 2048\n"
    "           -> \"2.0K\"\n"
    "  $ numfmt --to=iec-i 4096\n"
    "           -> \"4.0Ki\"\n"
    "  $ echo 1K | numfmt --from=si\n"
    "           -> \"1000\"\n"
    "  $ echo 1K | numfmt --from=iec\n"
    "           -> \"1024\"\n"
    "  $ df -B1 | numfmt --header --field 2-4 --to=si\n"
    "  $ ls -l  | numfmt --header --field 5 --to=iec\n"
    "  $ ls -lh | numfmt --header --field 5 --from=iec --padding=10\n"
    "  $ ls -lh | numfmt --header --field 5 --from=iec --format %%10f\n"
    "\n"
    COREUTILS_HELP_TAIL("numfmt", "numfmt");

enum {
    O_FROM = 256,
    O_FROM_UNIT,
    O_TO,
    O_TO_UNIT,
    O_ROUND,
    O_SUFFIX,
    O_GROUPING,
    O_PADDING,
    O_FIELD,
    O_HEADER,
    O_FORMAT,
    O_INVALID
};
static const struct opt_long longs[] = {{"from", OPT_ARG, O_FROM},
                                        {"from-unit", OPT_ARG, O_FROM_UNIT},
                                        {"to", OPT_ARG, O_TO},
                                        {"to-unit", OPT_ARG, O_TO_UNIT},
                                        {"round", OPT_ARG, O_ROUND},
                                        {"padding", OPT_ARG, O_PADDING},
                                        {"suffix", OPT_ARG, O_SUFFIX},
                                        {"grouping", OPT_NOARG, O_GROUPING},
                                        {"delimiter", OPT_ARG, 'd'},
                                        {"field", OPT_ARG, O_FIELD},
                                        {"header", OPT_OPTARG, O_HEADER},
                                        {"format", OPT_ARG, O_FORMAT},
                                        {"invalid", OPT_ARG, O_INVALID},
                                        {"zero-terminated", OPT_NOARG, 'z'},
                                        {0}};
static const struct opt_spec spec = {.name = "numfmt",
                                     .shorts = "d:z",
                                     .longs = longs,
                                     .help = numfmt_help,
                                     .authors = "Assaf Gordon"};

enum scale { SC_NONE, SC_AUTO, SC_SI, SC_IEC, SC_IEC_I };
enum round { R_UP, R_DOWN, R_FROM_ZERO, R_TO_ZERO, R_NEAREST };
enum inval { I_ABORT, I_FAIL, I_WARN, I_IGNORE };
enum sse {
    SSE_OK,
    SSE_OK_LOSS,
    SSE_OVERFLOW,
    SSE_INVALID_NUMBER,
    SSE_FORBIDDEN_SUFFIX,
    SSE_INVALID_SUFFIX,
    SSE_MISSING_I
};

#define MAX_UNSCALED_DIGITS 18
#define MAX_ACCEPTABLE_DIGITS 27
#define DELIM_DEFAULT 256

struct nf {
    struct proc *p;
    struct obuf out;
    enum scale from, to;
    enum round round;
    enum inval inval;
    uintmax_t from_unit, to_unit;
    const char *suffix;
    long padding_width;
    bool pad_left, auto_padding, grouping;
    int zero_padding;
    long user_precision;
    const char *fmt_prefix, *fmt_suffix;
    int delim;
    char line_delim;
    /* fields: all, or ranges */
    bool all_fields;
    uintmax_t (*ranges)[2];
    size_t nranges;
    bool aborted;
};

static const char suffixes[] = "KMGTPEZY";

static long double powerld(long double base, unsigned x)
{
    long double r = 1;
    while (x--) r *= base;
    return r;
}

static long double expld(long double val, unsigned base, unsigned *x)
{
    unsigned power = 0;
    if (val >= -LDBL_MAX && val <= LDBL_MAX) {
        while (fabsl(val) >= base) {
            val /= base;
            power++;
        }
    }
    if (x) *x = power;
    return val;
}

static long double round_val(long double val, enum round t)
{
    intmax_t mul = (intmax_t)(val / INTMAX_MAX);
    val -= (long double)INTMAX_MAX * mul;
    intmax_t r = (intmax_t)val;
    switch (t) {
    case R_UP:
        if (r < val) r++;
        break;
    case R_DOWN:
        if (r > val) r--;
        break;
    case R_FROM_ZERO:
        if (val < 0) {
            if (r > val) r--;
        } else if (r < val) {
            r++;
        }
        break;
    case R_TO_ZERO: break;
    case R_NEAREST: r = (intmax_t)(val < 0 ? val - 0.5L : val + 0.5L); break;
    }
    return (long double)INTMAX_MAX * mul + r;
}

static enum sse strtod_int(const char *s, char **end, long double *value, bool *neg)
{
    enum sse e = SSE_OK;
    long double val = 0;
    unsigned digits = 0;
    bool found = false;
    *neg = *s == '-';
    if (*neg) s++;
    *end = (char *)s;
    while (isdigit((unsigned char)**end)) {
        int d = **end - '0';
        found = true;
        if (val || d) digits++;
        if (digits > MAX_UNSCALED_DIGITS) e = SSE_OK_LOSS;
        if (digits > MAX_ACCEPTABLE_DIGITS) return SSE_OVERFLOW;
        val = val * 10 + d;
        (*end)++;
    }
    if (!found && **end != '.') return SSE_INVALID_NUMBER;
    *value = *neg ? -val : val;
    return e;
}

static enum sse strtod_human(const char *s, char **end, long double *value, size_t *precision,
                             enum scale allowed)
{
    int base = allowed == SC_SI ? 1000 : 1024;
    if (allowed == SC_AUTO) base = 1000;
    if (allowed == SC_NONE) base = 1;
    *precision = 0;
    bool neg;
    enum sse e = strtod_int(s, end, value, &neg);
    if (e != SSE_OK && e != SSE_OK_LOSS) return e;
    if (**end == '.') {
        char *p2;
        long double frac = 0;
        bool nf;
        (*end)++;
        enum sse e2 = strtod_int(*end, &p2, &frac, &nf);
        if (e2 != SSE_OK && e2 != SSE_OK_LOSS) return e2;
        if (e2 == SSE_OK_LOSS) e = e2;
        if (nf) return SSE_INVALID_NUMBER;
        size_t exponent = (size_t)(p2 - *end);
        frac /= powerld(10, (unsigned)exponent);
        *value += neg ? -frac : frac;
        *precision = exponent;
        *end = p2;
    }
    while (**end == ' ' || **end == '\t') (*end)++;
    unsigned power = 0;
    if (**end) {
        const char *sp = strchr(suffixes, **end);
        if (!sp || !**end) return SSE_INVALID_SUFFIX;
        if (allowed == SC_NONE) return SSE_FORBIDDEN_SUFFIX;
        power = (unsigned)(sp - suffixes) + 1;
        (*end)++;
        if (allowed == SC_AUTO && **end == 'i') {
            base = 1024;
            (*end)++;
        } else if (allowed == SC_IEC_I) {
            if (**end == 'i')
                (*end)++;
            else
                return SSE_MISSING_I;
        }
        *precision = 0;
    }
    *value *= powerld(base, power);
    return e;
}

/* Report a conversion error; false when processing must stop (abort). */
static void conv_error(struct nf *n, const char *fmt, const char *a, const char *b)
{
    if (n->inval == I_IGNORE) return;
    if (b)
        cmd_error(n->p, fmt, cmd_quote(n->p, a), cmd_quote(n->p, b));
    else
        cmd_error(n->p, fmt, cmd_quote(n->p, a));
    if (n->inval == I_ABORT) n->aborted = true;
}

static bool parse_number(struct nf *n, const char *str, long double *val, size_t *precision)
{
    char *end = NULL;
    enum sse e = strtod_human(str, &end, val, precision, n->from);
    switch (e) {
    case SSE_OK:
    case SSE_OK_LOSS: break;
    case SSE_OVERFLOW:
        conv_error(n, "value too large to be converted: %s", str, NULL);
        return false;
    case SSE_INVALID_NUMBER: conv_error(n, "invalid number: %s", str, NULL); return false;
    case SSE_FORBIDDEN_SUFFIX:
        conv_error(n, "rejecting suffix in input: %s (consider using --from)", str, NULL);
        return false;
    case SSE_INVALID_SUFFIX: conv_error(n, "invalid suffix in input: %s", str, NULL); return false;
    case SSE_MISSING_I:
        conv_error(n, "missing 'i' suffix in input: %s (e.g Ki/Mi/Gi)", str, NULL);
        return false;
    }
    if (end && *end) {
        conv_error(n, "invalid suffix in input %s: %s", str, end);
        return false;
    }
    return true;
}

static void to_human(struct nf *n, long double val, int precision, char *buf, size_t size)
{
    char fmt[64], *pf = fmt;
    *pf++ = '%';
    if (n->zero_padding) pf += snprintf(pf, sizeof fmt - 2, "0%d", n->zero_padding);
    if (n->to == SC_NONE) {
        val *= powerld(10, (unsigned)precision);
        val = round_val(val, n->round);
        val /= powerld(10, (unsigned)precision);
        strcpy(pf, ".*Lf");
        snprintf(buf, size, fmt, precision, val);
        return;
    }
    unsigned base = n->to == SC_SI ? 1000 : 1024, power = 0;
    val = expld(val, base, &power);
    unsigned adjust = 0;
    if (n->user_precision != -1)
        adjust = power * 3 < (unsigned)n->user_precision ? power * 3 : (unsigned)n->user_precision;
    else if (fabsl(val) < 10)
        adjust = 1;
    val *= powerld(10, adjust);
    val = round_val(val, n->round);
    val /= powerld(10, adjust);
    if (fabsl(val) >= base) {
        val /= base;
        power++;
    }
    int show_point = val != 0 && fabsl(val) < 10 && power > 0;
    strcpy(pf, ".*Lf%s");
    int prec = n->user_precision == -1 ? show_point : (int)n->user_precision;
    char suf[3] = {0};
    if (power > 0 && power <= 8) suf[0] = suffixes[power - 1];
    if (n->to == SC_IEC_I && power > 0) suf[1] = 'i';
    snprintf(buf, size, fmt, prec, val, suf);
}

static bool field_selected(struct nf *n, uintmax_t field)
{
    if (n->all_fields) return true;
    for (size_t i = 0; i < n->nranges; i++)
        if (field >= n->ranges[i][0] && field <= n->ranges[i][1]) return true;
    return false;
}

/* One field: converted, or copied as is. false when it was invalid. */
static bool process_field(struct nf *n, char *text, uintmax_t field)
{
    if (!field_selected(n, field)) {
        obuf_puts(&n->out, text);
        return true;
    }
    if (n->suffix && strlen(text) > strlen(n->suffix)) {
        char *ps = text + strlen(text) - strlen(n->suffix);
        if (!strcmp(ps, n->suffix)) *ps = 0;
    }
    char *q = text;
    while (*q == ' ' || *q == '\t') q++;
    long padding = n->padding_width;
    if (n->auto_padding) padding = (q > text || field > 1) ? (long)strlen(text) : 0;
    long double val = 0;
    size_t precision = 0;
    bool ok = parse_number(n, q, &val, &precision);
    if (ok && (n->from_unit != 1 || n->to_unit != 1))
        val = val * (long double)n->from_unit / (long double)n->to_unit;
    char buf[256];
    if (ok) {
        size_t prec = n->user_precision == -1 ? precision : (size_t)n->user_precision;
        unsigned x;
        expld(val, 10, &x);
        if (n->to == SC_NONE && x + prec > MAX_UNSCALED_DIGITS) {
            if (n->inval != I_IGNORE) {
                char num[64];
                snprintf(num, sizeof num, "%Lg", val);
                if (prec)
                    cmd_error(
                        n->p,
                        "value/precision too large to be printed: '%s/%zu' (consider using --to)",
                        num, prec);
                else
                    cmd_error(n->p, "value too large to be printed: '%s' (consider using --to)",
                              num);
                if (n->inval == I_ABORT) n->aborted = true;
            }
            ok = false;
        } else if (x > MAX_ACCEPTABLE_DIGITS - 1) {
            if (n->inval != I_IGNORE) {
                char num[64];
                snprintf(num, sizeof num, "%Lg", val);
                cmd_error(n->p, "value too large to be printed: '%s' (cannot handle values > 999Y)",
                          num);
                if (n->inval == I_ABORT) n->aborted = true;
            }
            ok = false;
        } else {
            to_human(n, val, (int)prec, buf, sizeof buf - 64);
            if (n->suffix) strncat(buf, n->suffix, sizeof buf - strlen(buf) - 1);
        }
    }
    if (n->aborted) return false;
    if (!ok) {
        obuf_puts(&n->out, text);
        return false;
    }
    obuf_puts(&n->out, n->fmt_prefix ? n->fmt_prefix : "");
    long len = (long)strlen(buf);
    if (padding && len < padding) {
        if (n->pad_left) {
            obuf_puts(&n->out, buf);
            obuf_printf(&n->out, "%*s", (int)(padding - len), "");
        } else {
            obuf_printf(&n->out, "%*s", (int)(padding - len), "");
            obuf_puts(&n->out, buf);
        }
    } else {
        obuf_puts(&n->out, buf);
    }
    obuf_puts(&n->out, n->fmt_suffix ? n->fmt_suffix : "");
    return true;
}

static bool process_line(struct nf *n, char *line, bool newline)
{
    bool valid = true;
    uintmax_t field = 0;
    for (;;) {
        field++;
        char *end = line;
        if (n->delim != DELIM_DEFAULT) {
            while (*end && *end != n->delim) end++;
        } else {
            while (*end && (*end == ' ' || *end == '\t')) end++;
            while (*end && !(*end == ' ' || *end == '\t')) end++;
        }
        char saved = *end;
        *end = 0;
        if (!process_field(n, line, field)) valid = false;
        if (n->aborted) return false;
        if (!saved) break;
        obuf_putc(&n->out, n->delim == DELIM_DEFAULT ? ' ' : (char)n->delim);
        line = end + 1;
    }
    if (newline) obuf_putc(&n->out, n->line_delim);
    return valid;
}

static int usage_err(struct opt_state *o)
{
    return opt_usage_error(o, NULL);
}

/* --field: N, N-M, -M, N-, - and comma lists. */
static bool parse_fields(struct nf *n, const char *s)
{
    if (!strcmp(s, "-")) {
        n->all_fields = true;
        return true;
    }
    size_t cnt = 1;
    for (const char *c = s; *c; c++) cnt += *c == ',';
    n->ranges = p_calloc(n->p, cnt, sizeof *n->ranges);
    if (!n->ranges) return false;
    for (const char *c = s; *c;) {
        uintmax_t lo = 1, hi = UINTMAX_MAX;
        char *end;
        if (isdigit((unsigned char)*c)) {
            lo = strtoumax(c, &end, 10);
            c = end;
            if (lo == 0) {
                cmd_error(n->p, "fields are numbered from 1");
                return false;
            }
            hi = lo;
        } else if (*c != '-') {
            goto bad;
        }
        if (*c == '-') {
            c++;
            hi = UINTMAX_MAX;
            if (isdigit((unsigned char)*c)) {
                hi = strtoumax(c, &end, 10);
                c = end;
                if (hi < lo) {
                    cmd_error(n->p, "invalid decreasing range");
                    return false;
                }
            }
        }
        if (*c && *c != ',') goto bad;
        n->ranges[n->nranges][0] = lo;
        n->ranges[n->nranges][1] = hi;
        n->nranges++;
        if (*c == ',') c++;
    }
    return true;
bad:
    cmd_error(n->p, "invalid field value %s", cmd_quote(n->p, s));
    return false;
}

/* --format: prefix %[0]['][-][N][.N]f suffix. 0 ok, else the status. */
static int parse_format(struct nf *n, const char *fmt)
{
    size_t i = 0, prefix_len = 0;
    for (;;) {
        while (fmt[i] && fmt[i] != '%') i++;
        if (fmt[i] == '%' && fmt[i + 1] == '%') {
            i += 2;
            continue;
        }
        break;
    }
    prefix_len = i;
    if (!fmt[i]) {
        cmd_error(n->p, "format %s has no %% directive", cmd_quote(n->p, fmt));
        return 1;
    }
    i++;
    for (;;) {
        if (fmt[i] == '\'') {
            n->grouping = true;
            i++;
        } else if (fmt[i] == '0') {
            n->zero_padding = -1;
            i++;
        } else {
            break;
        }
    }
    char *end;
    errno = 0;
    long pad = strtol(fmt + i, &end, 10);
    if (errno == ERANGE || pad < -LONG_MAX) {
        cmd_error(n->p, "invalid format %s (width overflow)", cmd_quote(n->p, fmt));
        return 1;
    }
    if (end != fmt + i && pad != 0) {
        if (n->zero_padding == -1 && pad > 0) {
            n->zero_padding = (int)pad;
        } else {
            n->padding_width = pad < 0 ? -pad : pad;
            n->pad_left = pad < 0;
        }
    }
    if (n->zero_padding == -1) n->zero_padding = 0;
    i = (size_t)(end - fmt);
    if (fmt[i] == '\0') {
        cmd_error(n->p, "format %s ends in %%", cmd_quote(n->p, fmt));
        return 1;
    }
    if (fmt[i] == '.') {
        i++;
        errno = 0;
        n->user_precision = strtol(fmt + i, &end, 10);
        if (errno == ERANGE || n->user_precision < 0 || isspace((unsigned char)fmt[i]) ||
            fmt[i] == '+') {
            cmd_error(n->p, "invalid precision in format %s", cmd_quote(n->p, fmt));
            return 1;
        }
        i = (size_t)(end - fmt);
    }
    if (fmt[i] != 'f') {
        cmd_error(n->p, "invalid format %s, directive must be %%[0]['][-][N][.][N]f",
                  cmd_quote(n->p, fmt));
        return 1;
    }
    i++;
    for (size_t k = i; fmt[k]; k++) {
        if (fmt[k] == '%' && fmt[k + 1] == '%') {
            k++;
        } else if (fmt[k] == '%') {
            cmd_error(n->p, "format %s has too many %% directives", cmd_quote(n->p, fmt));
            return 1;
        }
    }
    /* prefix and suffix with %% made single */
    char *pre = p_strndup(n->p, fmt, prefix_len), *suf = p_strdup(n->p, fmt + i);
    if (!pre || !suf) return 1;
    for (char *s = pre, *d = pre; (*d = *s); s++, d++)
        if (s[0] == '%' && s[1] == '%') s++;
    n->fmt_prefix = pre;
    n->fmt_suffix = suf;
    return 0;
}

static bool unit_size(struct nf *n, const char *s, uintmax_t *out)
{
    /* "1Ki" is 1024-based, "1K" 1000-based (coreutils unit_to_umax). */
    size_t len = strlen(s);
    char *t = p_malloc(n->p, len + 3);
    if (!t) return false;
    strcpy(t, s);
    if (len > 1 && s[len - 1] == 'i')
        strcat(t, "B");
    else if (len && isalpha((unsigned char)s[len - 1]))
        strcat(t, "B");
    char *end;
    enum opt_num_status st = opt_strtoumax(t, &end, 10, out, "KMGTPEZY0");
    if (st == OPT_NUM_OK && *end) st = OPT_NUM_INVALID;
    if (st != OPT_NUM_OK || *out == 0) {
        /* "Ki"-style: xstrtoumax accepts iB via the '0' flag; retry 1024 forms */
        cmd_error(n->p, "invalid unit size: %s", cmd_quote(n->p, s));
        return false;
    }
    return true;
}

int cmd_numfmt(struct proc *p, int argc, char **argv)
{
    static const char *const scale_from_names[] = {"none", "auto", "si", "iec", "iec-i", NULL};
    static const enum scale scale_from_vals[] = {SC_NONE, SC_AUTO, SC_SI, SC_IEC, SC_IEC_I};
    static const char *const scale_to_names[] = {"none", "si", "iec", "iec-i", NULL};
    static const enum scale scale_to_vals[] = {SC_NONE, SC_SI, SC_IEC, SC_IEC_I};
    static const char *const round_names[] = {"up",           "down",    "from-zero",
                                              "towards-zero", "nearest", NULL};
    static const char *const inval_names[] = {"abort", "fail", "warn", "ignore", NULL};
    struct nf n = {.p = p,
                   .round = R_FROM_ZERO,
                   .from_unit = 1,
                   .to_unit = 1,
                   .user_precision = -1,
                   .delim = DELIM_DEFAULT,
                   .line_delim = '\n'};
    uintmax_t header = 0;
    const char *format = NULL;
    int k;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case O_FROM:
            if ((k = opt_argmatch(&o, "--from", o.arg, scale_from_names)) < 0) return o.status;
            n.from = scale_from_vals[k];
            break;
        case O_TO:
            if ((k = opt_argmatch(&o, "--to", o.arg, scale_to_names)) < 0) return o.status;
            n.to = scale_to_vals[k];
            break;
        case O_ROUND:
            if ((k = opt_argmatch(&o, "--round", o.arg, round_names)) < 0) return o.status;
            n.round = (enum round)k;
            break;
        case O_INVALID:
            if ((k = opt_argmatch(&o, "--invalid", o.arg, inval_names)) < 0) return o.status;
            n.inval = (enum inval)k;
            break;
        case O_FROM_UNIT:
            if (!unit_size(&n, o.arg, &n.from_unit)) return 1;
            break;
        case O_TO_UNIT:
            if (!unit_size(&n, o.arg, &n.to_unit)) return 1;
            break;
        case O_PADDING: {
            char *end;
            errno = 0;
            long v = strtol(o.arg, &end, 10);
            if (end == o.arg || *end || errno || v == 0) {
                cmd_error(p, "invalid padding value %s", cmd_quote(p, o.arg));
                return 1;
            }
            n.padding_width = v < 0 ? -v : v;
            n.pad_left = v < 0;
            break;
        }
        case O_FIELD:
            p_free(p, n.ranges);
            n.ranges = NULL;
            n.nranges = 0;
            n.all_fields = false;
            if (!parse_fields(&n, o.arg)) return usage_err(&o);
            break;
        case 'd':
            if (o.arg[0] && o.arg[1]) {
                cmd_error(p, "the delimiter must be a single character");
                return 1;
            }
            n.delim = (unsigned char)o.arg[0];
            break;
        case 'z': n.line_delim = '\0'; break;
        case O_SUFFIX: n.suffix = o.arg; break;
        case O_GROUPING: n.grouping = true; break;
        case O_HEADER:
            header = 1;
            if (o.arg &&
                (opt_strtoumax(o.arg, NULL, 10, &header, "") != OPT_NUM_OK || header == 0)) {
                cmd_error(p, "invalid header value %s", cmd_quote(p, o.arg));
                return 1;
            }
            break;
        case O_FORMAT: format = o.arg; break;
        case OPT_EXIT: return o.status;
        }
    }
    if (format) {
        int r = parse_format(&n, format);
        if (r) return r;
    }
    if (n.grouping && n.to != SC_NONE) {
        cmd_error(p, "grouping cannot be combined with --to");
        return 1;
    }
    if (!n.all_fields && !n.nranges) {
        static uintmax_t one[1][2] = {{1, 1}};
        n.ranges = one;
        n.nranges = 1;
    }
    n.auto_padding = n.padding_width == 0 && n.delim == DELIM_DEFAULT;
    obuf_init(&n.out, p, 1);
    bool valid = true;
    if (o.ind < argc) {
        for (int i = o.ind; i < argc && !n.aborted; i++) {
            char *copy = p_strdup(p, argv[i]);
            if (!copy) break;
            valid &= process_line(&n, copy, true);
            p_free(p, copy);
        }
    } else {
        struct ibuf in;
        ibuf_init(&in, p, 0);
        char *rec;
        ssize_t len;
        while ((len = ibuf_getdelim(&in, n.line_delim, &rec)) > 0 && !n.aborted) {
            if (proc_check(p) < 0) break;
            bool nl = rec[len - 1] == n.line_delim;
            char *copy = p_strndup(p, rec, (size_t)(nl ? len - 1 : len));
            if (!copy) break;
            if (header) {
                header--;
                obuf_write(&n.out, rec, (size_t)len);
            } else {
                valid &= process_line(&n, copy, nl);
            }
            p_free(p, copy);
        }
        if (len < 0 && len != -EINTR) {
            cmd_errno(p, (int)len, "error reading %s", cmd_quoteaf(p, "standard input"));
            valid = false;
            n.aborted = true;
        }
        ibuf_free(&in);
    }
    if (n.aborted) return cmd_close_stdout(p, &n.out, 2) ? 2 : 2;
    int status = !valid && n.inval == I_FAIL ? 2 : 0;
    return cmd_close_stdout(p, &n.out, status);
}
