/* lib/printf.c — the printf engine of the bash builtin and of coreutils
 * printf (see printf.h). The directive scanners follow bash 5.2's
 * printf.def and coreutils 9.1's printf.c closely, so that corner cases
 * (reused formats, missing arguments, bad numbers, odd escapes) give the
 * same bytes, messages and statuses.
 */
#include "lib/printf.h"
#include "kernel/kernel.h"
#include "lib/io.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output --------------------------------------------------------------- */

void pf_out_write(struct pf_out *o, const void *data, size_t n)
{
    if (o->err || !n) return;
    if (o->max && o->len + n > o->max) {
        o->err = -EFBIG;
        return;
    }
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + n) cap *= 2;
        char *nb = realloc(o->buf, cap);
        if (!nb) {
            o->err = -ENOMEM;
            return;
        }
        o->buf = nb;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, data, n);
    o->len += n;
    o->total += n;
    if (o->flush && o->len >= PF_FLUSH_AT) pf_out_flush(o);
}

void pf_out_putc(struct pf_out *o, char c)
{
    pf_out_write(o, &c, 1);
}

int pf_out_flush(struct pf_out *o)
{
    if (o->flush && o->len && !o->err) {
        int r = o->flush(o->ud, o->buf, o->len);
        if (r < 0) o->err = r;
    }
    if (o->flush) o->len = 0;
    return o->err;
}

void pf_out_free(struct pf_out *o)
{
    free(o->buf);
    o->buf = NULL;
    o->len = o->cap = 0;
}

static void pf_error(struct pf_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pf_error(struct pf_ctx *c, const char *fmt, ...)
{
    char *msg;
    va_list ap;
    va_start(ap, fmt);
    int r = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (r < 0) return;
    if (c->error) c->error(c->ud, msg);
    free(msg);
}

/* One directive through the host snprintf. */
static int emit(struct pf_ctx *c, const char *f, int nstar, int a1, int a2, int kind, ...)
{
    char small[512];
    va_list ap, ap2;
    va_start(ap, kind);
    va_copy(ap2, ap);
    int n;
#define CALL(buf, sz, AP)                                                                          \
    do {                                                                                           \
        switch (kind) {                                                                            \
        case 'i': {                                                                                \
            intmax_t v = va_arg(AP, intmax_t);                                                     \
            n = nstar == 2   ? snprintf(buf, sz, f, a1, a2, v)                                     \
                : nstar == 1 ? snprintf(buf, sz, f, a1, v)                                         \
                             : snprintf(buf, sz, f, v);                                            \
            break;                                                                                 \
        }                                                                                          \
        case 'u': {                                                                                \
            uintmax_t v = va_arg(AP, uintmax_t);                                                   \
            n = nstar == 2   ? snprintf(buf, sz, f, a1, a2, v)                                     \
                : nstar == 1 ? snprintf(buf, sz, f, a1, v)                                         \
                             : snprintf(buf, sz, f, v);                                            \
            break;                                                                                 \
        }                                                                                          \
        case 'f': {                                                                                \
            long double v = va_arg(AP, long double);                                               \
            n = nstar == 2   ? snprintf(buf, sz, f, a1, a2, v)                                     \
                : nstar == 1 ? snprintf(buf, sz, f, a1, v)                                         \
                             : snprintf(buf, sz, f, v);                                            \
            break;                                                                                 \
        }                                                                                          \
        case 'c': {                                                                                \
            int v = va_arg(AP, int);                                                               \
            n = nstar == 2   ? snprintf(buf, sz, f, a1, a2, v)                                     \
                : nstar == 1 ? snprintf(buf, sz, f, a1, v)                                         \
                             : snprintf(buf, sz, f, v);                                            \
            break;                                                                                 \
        }                                                                                          \
        default: {                                                                                 \
            const char *v = va_arg(AP, const char *);                                              \
            n = nstar == 2   ? snprintf(buf, sz, f, a1, a2, v)                                     \
                : nstar == 1 ? snprintf(buf, sz, f, a1, v)                                         \
                             : snprintf(buf, sz, f, v);                                            \
            break;                                                                                 \
        }                                                                                          \
        }                                                                                          \
    } while (0)
    CALL(small, sizeof small, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        c->out.err = -EFBIG;
        return -1;
    }
    if ((size_t)n < sizeof small) {
        pf_out_write(&c->out, small, (size_t)n);
    } else if (c->out.max && (size_t)n > c->out.max) {
        c->out.err = -EFBIG;
    } else {
        char *big = malloc((size_t)n + 1);
        if (!big) {
            c->out.err = -ENOMEM;
        } else {
            CALL(big, (size_t)n + 1, ap2);
            pf_out_write(&c->out, big, (size_t)n);
            free(big);
        }
    }
#undef CALL
    va_end(ap2);
    return c->out.err ? -1 : 0;
}

/* ---- characters ------------------------------------------------------------ */

int pf_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xc0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xe0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    if (cp > 0x7fffffff) cp = 0x7fffffff;
    if (cp < 0x200000) {
        o[0] = (unsigned char)(0xf0 | cp >> 18);
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[3] = (unsigned char)(0x80 | (cp & 0x3f));
        return 4;
    }
    /* Beyond Unicode: glibc's wcrtomb refuses; bash then prints nothing. */
    return 0;
}

/* Decode one UTF-8 character: its length, or -1 when invalid/incomplete. */
static int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (!n) return -1;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int len;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, v = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, v = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, v = c & 0x07, min = 0x10000;
    else
        return -1;
    if ((size_t)len > n) return -1;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return -1;
        v = v << 6 | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return -1;
    *cp = v;
    return len;
}

/* iswprint of C.UTF-8 for the characters that matter here: controls, the
 * C1 range, separators and unassigned/format characters are not printable.
 * A close approximation of glibc's table for common text. */
static bool wprint(uint32_t c)
{
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return false;
    if (c == 0x2028 || c == 0x2029) return false;
    if (c >= 0xd800 && c <= 0xdfff) return false;
    if (c >= 0xe000 && c <= 0xf8ff) return false; /* private use: glibc says no */
    if (c == 0xfffe || c == 0xffff || c > 0x10ffff) return false;
    if (c >= 0x200b && c <= 0x200f) return c == 0x200b ? false : false;
    if (c >= 0x202a && c <= 0x202e) return false;
    if (c >= 0x2060 && c <= 0x2064) return false;
    if (c == 0xfeff) return false;
    return true;
}

/* ---- bash's %q --------------------------------------------------------------- */

static bool is_basic(unsigned char c)
{
    return c < 0x80;
}

bool pf_ansic_shouldquote(const char *s, bool utf8)
{
    const unsigned char *u = (const unsigned char *)s;
    for (; *u; u++) {
        if (!is_basic(*u)) {
            if (!utf8) return true;
            /* ansic_wshouldquote: the whole rest as wide characters. */
            size_t n = strlen((const char *)u);
            while (n) {
                uint32_t cp;
                int l = utf8_decode(u, n, &cp);
                if (l < 0) return true;
                if (!wprint(cp)) return true;
                u += l;
                n -= (size_t)l;
            }
            return false;
        }
        if (!isprint(*u)) return true;
    }
    return false;
}

char *pf_ansic_quote(const char *str, bool utf8)
{
    size_t n = strlen(str);
    char *r = malloc(4 * n + 4);
    if (!r) return NULL;
    char *o = r;
    *o++ = '$';
    *o++ = '\'';
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        unsigned c = *s;
        int e = 0;
        switch (c) {
        case 033: e = 'E'; break;
        case '\a': e = 'a'; break;
        case '\v': e = 'v'; break;
        case '\b': e = 'b'; break;
        case '\f': e = 'f'; break;
        case '\n': e = 'n'; break;
        case '\r': e = 'r'; break;
        case '\t': e = 't'; break;
        case '\\':
        case '\'': e = (int)c; break;
        }
        if (e) {
            *o++ = '\\';
            *o++ = (char)e;
            s++;
            continue;
        }
        int clen = 1;
        bool printable;
        if (c >= 0x80) {
            uint32_t cp;
            clen = utf8 ? utf8_decode(s, strlen((const char *)s), &cp) : -1;
            printable = clen > 0 && wprint(cp);
        } else {
            printable = isprint((int)c);
        }
        if (!printable) {
            *o++ = '\\';
            *o++ = (char)('0' + ((c >> 6) & 7));
            *o++ = (char)('0' + ((c >> 3) & 7));
            *o++ = (char)('0' + (c & 7));
            s++;
            continue;
        }
        memcpy(o, s, (size_t)clen);
        o += clen;
        s += clen;
    }
    *o++ = '\'';
    *o = 0;
    return r;
}

/* sh_backslash_quote(s, 0, 3): the characters special to the shell get a
 * backslash; also # at the start, ~ at the start or after : or =, blanks. */
static const char bstab[] = " \t\n!\"$&'()*,;<>?[\\]^`{|}";

char *pf_bash_quote(const char *s, bool utf8)
{
    if (!*s) return strdup("''");
    if (pf_ansic_shouldquote(s, utf8)) return pf_ansic_quote(s, utf8);
    size_t n = strlen(s);
    char *r = malloc(2 * n + 1);
    if (!r) return NULL;
    char *o = r;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c && strchr(bstab, c))
            *o++ = '\\';
        else if (c == '#' && p == s)
            *o++ = '\\';
        else if (c == '~' && (p == s || p[-1] == ':' || p[-1] == '='))
            *o++ = '\\';
        *o++ = (char)c;
    }
    *o = 0;
    return r;
}

/* ---- time --------------------------------------------------------------------- */

static const char *parse_tz_offset(const char *s, long *secs)
{
    int sign = 1;
    if (*s == '+')
        s++;
    else if (*s == '-')
        sign = -1, s++;
    if (!isdigit((unsigned char)*s)) return NULL;
    long h = 0, m = 0, sec = 0;
    while (isdigit((unsigned char)*s)) h = h * 10 + (*s++ - '0');
    if (*s == ':') {
        s++;
        while (isdigit((unsigned char)*s)) m = m * 10 + (*s++ - '0');
        if (*s == ':') {
            s++;
            while (isdigit((unsigned char)*s)) sec = sec * 10 + (*s++ - '0');
        }
    }
    *secs = sign * (h * 3600 + m * 60 + sec);
    return s;
}

void pf_localtime(const char *tz, int64_t t, struct tm *tm, char zbuf[16])
{
    long west = 0; /* POSIX offsets are west of Greenwich */
    const char *zone = "UTC";
    if (tz && *tz == ':') tz++;
    if (tz && *tz) {
        const char *s = tz, *name = tz;
        size_t nlen;
        if (*s == '<') {
            name = ++s;
            while (*s && *s != '>') s++;
            nlen = (size_t)(s - name);
            if (*s) s++;
        } else {
            while (isalpha((unsigned char)*s)) s++;
            nlen = (size_t)(s - name);
        }
        long off;
        if (nlen >= 3 && nlen < 16 && parse_tz_offset(s, &off)) {
            memcpy(zbuf, name, nlen);
            zbuf[nlen] = 0;
            zone = zbuf;
            west = off;
        } else if (nlen >= 3 && nlen < 16 && !*s) {
            /* A bare name (no zoneinfo here): glibc uses UTC with it. */
            memcpy(zbuf, name, nlen);
            zbuf[nlen] = 0;
            zone = !strcmp(zbuf, "GMT") || !strcmp(zbuf, "UTC") ? zbuf : "UTC";
        }
    }
    time_t tt = (time_t)(t - west);
    if (!gmtime_r(&tt, tm)) {
        tt = 0;
        gmtime_r(&tt, tm);
    }
    tm->tm_gmtoff = -west;
    tm->tm_zone = zone;
    tm->tm_isdst = 0;
}

/* ---- bash ------------------------------------------------------------------------ */

struct bargs {
    int argc, i;
    char **argv;
};

static const char *bnext(struct bargs *a)
{
    return a->i < a->argc ? a->argv[a->i++] : NULL;
}

static void bash_invalidnum(struct pf_ctx *c, const char *s)
{
    const char *msg = "invalid number";
    if (s[0] == '0' && isdigit((unsigned char)s[1]))
        msg = "invalid octal number";
    else if (s[0] == '0' && s[1] == 'x')
        msg = "invalid hex number";
    pf_error(c, "%s: %s", s, msg);
    c->status = 1;
}

static intmax_t bash_asciicode(struct pf_ctx *c, const char *s)
{
    size_t n = strlen(s + 1);
    if (c->utf8 && n) {
        uint32_t cp;
        if (utf8_decode((const unsigned char *)s + 1, n, &cp) > 0) return cp;
    }
    return (unsigned char)s[1];
}

static intmax_t bash_getint(struct pf_ctx *c, struct bargs *a)
{
    const char *s = bnext(a);
    if (!s) return 0;
    if (s[0] == '\'' || s[0] == '"') return bash_asciicode(c, s);
    char *end;
    errno = 0;
    intmax_t v = strtoimax(s, &end, 0);
    if (*end)
        bash_invalidnum(c, s);
    else if (errno == ERANGE)
        pf_error(c, "warning: %s: %s", s, strerror(ERANGE));
    return v;
}

static uintmax_t bash_getuint(struct pf_ctx *c, struct bargs *a)
{
    const char *s = bnext(a);
    if (!s) return 0;
    if (s[0] == '\'' || s[0] == '"') return (uintmax_t)bash_asciicode(c, s);
    char *end;
    errno = 0;
    uintmax_t v = strtoumax(s, &end, 0);
    if (*end)
        bash_invalidnum(c, s);
    else if (errno == ERANGE)
        pf_error(c, "warning: %s: %s", s, strerror(ERANGE));
    return v;
}

static long double bash_getfloat(struct pf_ctx *c, struct bargs *a)
{
    const char *s = bnext(a);
    if (!s) return 0;
    if (s[0] == '\'' || s[0] == '"') return (long double)bash_asciicode(c, s);
    char *end;
    errno = 0;
    long double v = strtold(s, &end);
    if (*end)
        bash_invalidnum(c, s);
    else if (errno == ERANGE)
        pf_error(c, "warning: %s: %s", s, strerror(ERANGE));
    return v;
}

static int bash_getwidth(struct pf_ctx *c, struct bargs *a)
{
    intmax_t v = bash_getint(c, a);
    const char *next = a->i < a->argc ? a->argv[a->i] : NULL;
    if (!next) return (int)v; /* bash checks the range only when more args follow */
    if (v > INT_MAX) {
        pf_error(c, "warning: %s: %s", next, strerror(ERANGE));
        v = INT_MAX;
    } else if (v < INT_MIN) {
        pf_error(c, "warning: %s: %s", next, strerror(ERANGE));
        v = INT_MIN;
    }
    return (int)v;
}

#define ISOCT(c) ((c) >= '0' && (c) <= '7')
static int hexval(int c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* bash's tescape: decode the escape after a backslash at p. Writes the
 * bytes to out (up to 4), their count to *olen, and returns how many input
 * chars were used (0: not an escape, out holds a backslash). sawc NULL: the
 * format string (\', \", \? are escapes, \c is not); else %b (\c sets it). */
static int bash_tescape(struct pf_ctx *c, const char *p, char *out, int *olen, bool *sawc)
{
    const char *start = p;
    int ch = (unsigned char)*p++;
    *olen = 1;
    switch (ch) {
    case 'a': *out = '\a'; break;
    case 'b': *out = '\b'; break;
    case 'e':
    case 'E': *out = '\033'; break;
    case 'f': *out = '\f'; break;
    case 'n': *out = '\n'; break;
    case 'r': *out = '\r'; break;
    case 't': *out = '\t'; break;
    case 'v': *out = '\v'; break;
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
        int v = ch - '0';
        for (int n = 2 + (!v && sawc); ISOCT(*p) && n--; p++) v = v * 8 + (*p - '0');
        *out = (char)(v & 0xff);
        break;
    }
    case 'x': {
        int v = 0, n = 2;
        for (; isxdigit((unsigned char)*p) && n--; p++) v = v * 16 + hexval(*p);
        if (p == start + 1) {
            pf_error(c, "missing hex digit for \\x");
            *out = '\\';
            return 0;
        }
        *out = (char)(v & 0xff);
        break;
    }
    case 'u':
    case 'U': {
        uint32_t v = 0;
        int n = ch == 'u' ? 4 : 8;
        for (; isxdigit((unsigned char)*p) && n--; p++) v = v * 16 + (uint32_t)hexval(*p);
        if (p == start + 1) {
            pf_error(c, "missing unicode digit for \\%c", ch);
            *out = '\\';
            return 0;
        }
        if (v <= 0x7f)
            *out = (char)v;
        else
            *olen = pf_utf8_encode(v, out);
        break;
    }
    case '\\': *out = '\\'; break;
    case '\'':
    case '"':
    case '?':
        if (!sawc) {
            *out = (char)ch;
        } else {
            *out = '\\';
            return 0;
        }
        break;
    case 'c':
        if (sawc) {
            *sawc = true;
            break;
        }
        /* fall through */
    default: *out = '\\'; return 0;
    }
    return (int)(p - start);
}

/* %b: the argument with escapes expanded; *sawc when \c cut it. */
static char *bash_bexpand(struct pf_ctx *c, const char *s, size_t *len, bool *sawc)
{
    char *r = malloc(strlen(s) + 1);
    if (!r) return NULL;
    size_t n = 0;
    *sawc = false;
    while (*s) {
        char ch = *s++;
        if (ch != '\\' || !*s) {
            r[n++] = ch;
            continue;
        }
        char buf[8];
        int olen;
        bool c_seen = false;
        int used = bash_tescape(c, s, buf, &olen, &c_seen);
        s += used;
        if (c_seen) {
            *sawc = true;
            break;
        }
        memcpy(r + n, buf, (size_t)olen);
        n += (size_t)olen;
    }
    r[n] = 0;
    *len = n;
    return r;
}

/* bash's printstr: %s-like output of bytes that may hold NULs, honouring
 * the '-' flag, the field width and the precision of the directive. */
static void bash_printstr(struct pf_ctx *c, const char *fmt, const char *s, size_t len,
                          int fieldwidth, int precision)
{
    bool ljust = false;
    long fw = 0, pr = -1;
    if (*fmt == '%') fmt++;
    while (*fmt && strchr("#'-+ 0", *fmt)) {
        if (*fmt == '-') ljust = true;
        fmt++;
    }
    if (*fmt == '*') {
        fmt++;
        fw = fieldwidth;
        if (fw < 0) {
            fw = -fw;
            ljust = true;
        }
    } else if (isdigit((unsigned char)*fmt)) {
        long m = 0;
        while (isdigit((unsigned char)*fmt)) {
            m = m * 10 + (*fmt++ - '0');
            if (m > INT_MAX) m = INT_MAX;
        }
        fw = m;
    }
    if (*fmt == '.') {
        fmt++;
        if (*fmt == '*') {
            fmt++;
            pr = precision;
        } else if (isdigit((unsigned char)*fmt)) {
            long m = 0;
            while (isdigit((unsigned char)*fmt)) {
                m = m * 10 + (*fmt++ - '0');
                if (m > INT_MAX) m = INT_MAX;
            }
            pr = m;
        } else {
            pr = 0;
        }
    }
    size_t nc = (pr >= 0 && (size_t)pr <= len) ? (size_t)pr : len;
    size_t pad = fw > 0 && (size_t)fw > nc ? (size_t)fw - nc : 0;
    if (c->out.max && pad > c->out.max) {
        c->out.err = -EFBIG;
        return;
    }
    if (!ljust)
        for (size_t i = 0; i < pad && !c->out.err; i++) pf_out_putc(&c->out, ' ');
    pf_out_write(&c->out, s, nc);
    if (ljust)
        for (size_t i = 0; i < pad && !c->out.err; i++) pf_out_putc(&c->out, ' ');
}

/* Truncate s to prec characters (multibyte-aware), for %Q. */
static char *trunc_chars(const char *s, int prec, bool utf8)
{
    size_t n = strlen(s), i = 0;
    for (int k = 0; k < prec && i < n; k++) {
        uint32_t cp;
        int l = utf8 ? utf8_decode((const unsigned char *)s + i, n - i, &cp) : 1;
        i += l > 0 ? (size_t)l : 1;
    }
    return strndup(s, i);
}

static void bash_time(struct pf_ctx *c, const char *tfmt, const char *dir, struct bargs *a, int fw,
                      int prec)
{
    int64_t secs;
    intmax_t arg = a->i < a->argc ? bash_getint(c, a) : -1;
    if (arg == -1)
        secs = c->now;
    else if (arg == -2)
        secs = c->start_time;
    else
        secs = arg;
    struct tm tm;
    char zbuf[16];
    pf_localtime(c->tz, secs, &tm, zbuf);
    char buf[128];
    size_t n = strftime(buf, sizeof buf, *tfmt ? tfmt : "%X", &tm);
    if (n == 0) buf[0] = 0;
    buf[sizeof buf - 1] = 0;
    bash_printstr(c, dir, buf, strlen(buf), fw, prec);
}

static bool legal_identifier(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_')) return false;
    for (s++; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_')) return false;
    return true;
}

/* One pass of the format. Returns 0 to go on, 1 to stop (error or \c). */
static int bash_pass(struct pf_ctx *c, const char *format, struct bargs *a)
{
    size_t pass_start = c->out.total;
    char dir[256];
    for (const char *fmt = format; *fmt; fmt++) {
        if (c->out.err) return 1;
        if (*fmt == '\\') {
            char buf[8];
            int olen;
            fmt++;
            int used = bash_tescape(c, fmt, buf, &olen, NULL);
            pf_out_write(&c->out, buf, (size_t)olen);
            fmt += used;
            fmt--;
            continue;
        }
        if (*fmt != '%') {
            pf_out_putc(&c->out, *fmt);
            continue;
        }
        const char *start = fmt++;
        if (*fmt == '%') {
            pf_out_putc(&c->out, '%');
            continue;
        }
        int fieldwidth = 0, precision = 0, nstar = 0, a1 = 0, a2 = 0;
        bool have_fw = false, have_prec = false;
        while (*fmt && strchr("#'-+ 0", *fmt)) fmt++;
        if (*fmt == '*') {
            fmt++;
            have_fw = true;
            fieldwidth = bash_getwidth(c, a);
        } else {
            while (isdigit((unsigned char)*fmt)) fmt++;
        }
        if (*fmt == '.') {
            fmt++;
            if (*fmt == '*') {
                fmt++;
                have_prec = true;
                precision = bash_getwidth(c, a);
            } else {
                if (*fmt == '-') fmt++;
                while (isdigit((unsigned char)*fmt)) fmt++;
            }
        }
        const char *modstart = fmt;
        while (*fmt && strchr("hjlLtz", *fmt)) fmt++;
        if (!*fmt) {
            pf_error(c, "`%s': missing format character", start);
            c->status = 1;
            return 2;
        }
        char conv = *fmt;
        /* The directive without length modifiers: start..modstart + conv. */
        size_t dl = (size_t)(modstart - start);
        if (dl > sizeof dir - 4) dl = sizeof dir - 4;
        memcpy(dir, start, dl);
        if (have_fw) a1 = fieldwidth, nstar = 1;
        if (have_prec) {
            if (nstar)
                a2 = precision;
            else
                a1 = precision;
            nstar++;
        }
        switch (conv) {
        case 'c': {
            const char *s = bnext(a);
            dir[dl] = 'c';
            dir[dl + 1] = 0;
            emit(c, dir, nstar, a1, a2, 'c', s ? (int)(unsigned char)s[0] : 0);
            break;
        }
        case 's': {
            const char *s = bnext(a);
            dir[dl] = 's';
            dir[dl + 1] = 0;
            emit(c, dir, nstar, a1, a2, 's', s ? s : "");
            break;
        }
        case '(': {
            /* %(fmt)T: find the matching paren. */
            const char *f = fmt + 1;
            int depth = 1;
            size_t tl = 0;
            char *tfmt = malloc(strlen(f) + 3);
            if (!tfmt) return 1;
            for (; *f; f++) {
                if (*f == '(')
                    depth++;
                else if (*f == ')')
                    depth--;
                if (!depth) break;
                tfmt[tl++] = *f;
            }
            tfmt[tl] = 0;
            if (*f) f++;
            if (*f != 'T') {
                pf_error(c, "warning: `%c': invalid time format specification", *f);
                free(tfmt);
                fmt = start;
                pf_out_putc(&c->out, *fmt);
                continue;
            }
            fmt = f;
            dir[dl] = 's';
            dir[dl + 1] = 0;
            bash_time(c, tfmt, dir, a, fieldwidth, have_prec ? precision : -1);
            free(tfmt);
            break;
        }
        case 'n': {
            const char *var = bnext(a);
            if (var && *var) {
                if (legal_identifier(var)) {
                    if (c->setvar) c->setvar(c->ud, var, (intmax_t)(c->out.total - pass_start));
                } else {
                    pf_error(c, "`%s': not a valid identifier", var);
                    c->status = 1;
                    return 2;
                }
            }
            break;
        }
        case 'b': {
            const char *s = bnext(a);
            size_t len;
            bool sawc;
            char *x = bash_bexpand(c, s ? s : "", &len, &sawc);
            if (!x) return 1;
            dir[dl] = 's';
            dir[dl + 1] = 0;
            bash_printstr(c, dir, x, len, fieldwidth, have_prec ? precision : -1);
            free(x);
            if (sawc) {
                c->stopped = true;
                return 2;
            }
            break;
        }
        case 'q':
        case 'Q': {
            const char *s = bnext(a);
            char *tr = NULL;
            if (!s) s = "";
            int prec = have_prec ? precision : -1;
            if (conv == 'Q' && !have_prec) {
                /* A literal precision: %.3Q */
                const char *d = memchr(start, '.', (size_t)(modstart - start));
                if (d) prec = atoi(d + 1) < 0 ? -1 : atoi(d + 1);
            }
            if (conv == 'Q' && prec >= 0) s = tr = trunc_chars(s, prec, c->utf8);
            char *x = pf_bash_quote(s, c->utf8);
            free(tr);
            if (!x) return 1;
            dir[dl] = 's';
            dir[dl + 1] = 0;
            if (conv == 'Q') {
                /* precision already applied: drop it from the directive */
                char *d = strchr(dir, '.');
                if (d) *d = 0, strcat(dir, "s");
                bash_printstr(c, dir, x, strlen(x), fieldwidth, -1);
            } else {
                bash_printstr(c, dir, x, strlen(x), fieldwidth, have_prec ? precision : -1);
            }
            free(x);
            break;
        }
        case 'd':
        case 'i': {
            intmax_t v = bash_getint(c, a);
            dir[dl] = 'j';
            dir[dl + 1] = conv;
            dir[dl + 2] = 0;
            emit(c, dir, nstar, a1, a2, 'i', v);
            break;
        }
        case 'o':
        case 'u':
        case 'x':
        case 'X': {
            uintmax_t v = bash_getuint(c, a);
            dir[dl] = 'j';
            dir[dl + 1] = conv;
            dir[dl + 2] = 0;
            emit(c, dir, nstar, a1, a2, 'u', v);
            break;
        }
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
        case 'a':
        case 'A': {
            long double v = bash_getfloat(c, a);
            dir[dl] = 'L';
            dir[dl + 1] = conv;
            dir[dl + 2] = 0;
            emit(c, dir, nstar, a1, a2, 'f', v);
            break;
        }
        default:
            pf_error(c, "`%c': invalid format character", conv);
            c->status = 1;
            return 2;
        }
    }
    return c->out.err ? 1 : 0;
}

/* ---- coreutils ---------------------------------------------------------------------- */

static bool cu_stop(struct pf_ctx *c)
{
    return c->stopped || c->out.err;
}

/* quote() of coreutils messages in a UTF-8 locale: ‘s’ (C locale: 's'). */
static const char *lq(struct pf_ctx *c)
{
    return c->utf8 ? "\xe2\x80\x98" : "'";
}
static const char *rq(struct pf_ctx *c)
{
    return c->utf8 ? "\xe2\x80\x99" : "'";
}

static void cu_verify(struct pf_ctx *c, const char *s, const char *end, int err)
{
    if (err) {
        pf_error(c, "%s%s%s: %s", lq(c), s, rq(c), strerror(err));
        c->status = 1;
    } else if (*end) {
        if (s == end)
            pf_error(c, "%s%s%s: expected a numeric value", lq(c), s, rq(c));
        else
            pf_error(c, "%s%s%s: value not completely converted", lq(c), s, rq(c));
        c->status = 1;
    }
}

/* A character constant ('a or "a): its value, warning about extra chars. */
static bool cu_charconst(struct pf_ctx *c, const char *s, uintmax_t *val)
{
    if (!((s[0] == '"' || s[0] == '\'') && s[1])) return false;
    const char *p = s + 1;
    *val = (unsigned char)*p;
    if (c->utf8 && p[1]) {
        uint32_t cp;
        int l = utf8_decode((const unsigned char *)p, strlen(p), &cp);
        if (l > 0) {
            *val = cp;
            p += l - 1;
        }
    }
    if (*++p)
        pf_error(c, "warning: %s: character(s) following character constant have been ignored", p);
    return true;
}

static intmax_t cu_int(struct pf_ctx *c, const char *s)
{
    uintmax_t cv;
    if (cu_charconst(c, s, &cv)) return (intmax_t)cv;
    char *end;
    errno = 0;
    intmax_t v = strtoimax(s, &end, 0);
    cu_verify(c, s, end, errno);
    return v;
}

static uintmax_t cu_uint(struct pf_ctx *c, const char *s)
{
    uintmax_t cv;
    if (cu_charconst(c, s, &cv)) return cv;
    char *end;
    errno = 0;
    uintmax_t v = strtoumax(s, &end, 0);
    cu_verify(c, s, end, errno);
    return v;
}

static long double cu_float(struct pf_ctx *c, const char *s)
{
    uintmax_t cv;
    if (cu_charconst(c, s, &cv)) return (long double)cv;
    char *end;
    errno = 0;
    long double v = strtold(s, &end);
    cu_verify(c, s, end, errno);
    return v;
}

/* coreutils print_esc: p at the backslash; returns chars used after it.
 * -1: a fatal error was reported. */
static int cu_esc(struct pf_ctx *c, const char *escstart, bool octal_0)
{
    const char *p = escstart + 1;
    int v = 0, n;
    if (*p == 'x') {
        for (n = 0, ++p; n < 2 && isxdigit((unsigned char)*p); ++n, ++p) v = v * 16 + hexval(*p);
        if (n == 0) {
            pf_error(c, "missing hexadecimal number in escape");
            c->status = 1;
            return -1;
        }
        pf_out_putc(&c->out, (char)v);
    } else if (ISOCT(*p)) {
        for (n = 0, p += octal_0 && *p == '0'; n < 3 && ISOCT(*p); ++n, ++p) v = v * 8 + (*p - '0');
        pf_out_putc(&c->out, (char)v);
    } else if (*p && strchr("\"\\abcefnrtv", *p)) {
        char e = *p++;
        switch (e) {
        case 'a': e = '\a'; break;
        case 'b': e = '\b'; break;
        case 'c': c->stopped = true; return (int)(p - escstart - 1);
        case 'e': e = '\033'; break;
        case 'f': e = '\f'; break;
        case 'n': e = '\n'; break;
        case 'r': e = '\r'; break;
        case 't': e = '\t'; break;
        case 'v': e = '\v'; break;
        }
        pf_out_putc(&c->out, e);
    } else if (*p == 'u' || *p == 'U') {
        char ec = *p;
        uint32_t u = 0;
        for (n = ec == 'u' ? 4 : 8, ++p; n > 0; --n, ++p) {
            if (!isxdigit((unsigned char)*p)) {
                pf_error(c, "missing hexadecimal number in escape");
                c->status = 1;
                return -1;
            }
            u = u * 16 + (uint32_t)hexval(*p);
        }
        if ((u <= 0x9f && u != 0x24 && u != 0x40 && u != 0x60) || (u >= 0xd800 && u <= 0xdfff)) {
            pf_error(c, "invalid universal character name \\%c%0*x", ec, ec == 'u' ? 4 : 8, u);
            c->status = 1;
            return -1;
        }
        char buf[8];
        int l = pf_utf8_encode(u, buf);
        if (!c->utf8 && u >= 0x80) {
            /* Not representable: gnulib prints \uXXXX / \UXXXXXXXX. */
            l = snprintf(buf, sizeof buf, u < 0x10000 ? "\\u%04X" : "\\U%08X", u);
        }
        pf_out_write(&c->out, buf, (size_t)l);
    } else {
        pf_out_putc(&c->out, '\\');
        if (*p) pf_out_putc(&c->out, *p++);
    }
    return (int)(p - escstart - 1);
}

/* One pass; returns the number of arguments used, -1 on a fatal error. */
static int cu_pass(struct pf_ctx *c, const char *format, int argc, char **argv)
{
    int save = argc;
    char dir[256];
    for (const char *f = format; *f; ++f) {
        if (cu_stop(c)) return save - argc;
        if (*f == '\\') {
            int n = cu_esc(c, f, false);
            if (n < 0) return -1;
            f += n;
            continue;
        }
        if (*f != '%') {
            pf_out_putc(&c->out, *f);
            continue;
        }
        const char *start = f++;
        size_t dlen = 1;
        bool have_fw = false, have_prec = false;
        int fw = 0, prec = 0;
        if (*f == '%') {
            pf_out_putc(&c->out, '%');
            continue;
        }
        if (*f == 'b') {
            if (argc > 0) {
                const char *s = *argv++;
                argc--;
                for (; *s && !cu_stop(c); s++) {
                    if (*s == '\\') {
                        int n = cu_esc(c, s, true);
                        if (n < 0) return -1;
                        s += n;
                    } else {
                        pf_out_putc(&c->out, *s);
                    }
                }
            }
            continue;
        }
        if (*f == 'q') {
            if (argc > 0) {
                /* gnulib shell_escape quoting, as ls/cp name files */
                struct sbuf sb;
                sbuf_init(&sb, c->p);
                sbuf_quote(&sb, *argv, strlen(*argv), QUOTE_SHELL_ESCAPE);
                argv++;
                argc--;
                if (sb.s) pf_out_write(&c->out, sb.s, sb.len);
                sbuf_free(&sb);
            }
            continue;
        }
        bool ok[256] = {0};
        ok['a'] = ok['A'] = ok['c'] = ok['d'] = ok['e'] = ok['E'] = ok['f'] = ok['F'] = ok['g'] =
            ok['G'] = ok['i'] = ok['o'] = ok['s'] = ok['u'] = ok['x'] = ok['X'] = true;
        for (;; f++, dlen++) {
            switch (*f) {
            case 'I':
            case '\'':
                ok['a'] = ok['A'] = ok['c'] = ok['e'] = ok['E'] = ok['o'] = ok['s'] = ok['x'] =
                    ok['X'] = false;
                continue;
            case '-':
            case '+':
            case ' ': continue;
            case '#': ok['c'] = ok['d'] = ok['i'] = ok['s'] = ok['u'] = false; continue;
            case '0': ok['c'] = ok['s'] = false; continue;
            }
            break;
        }
        if (*f == '*') {
            ++f;
            ++dlen;
            if (argc > 0) {
                intmax_t w = cu_int(c, *argv);
                if (w < INT_MIN || w > INT_MAX) {
                    pf_error(c, "invalid field width: %s%s%s", lq(c), *argv, rq(c));
                    c->status = 1;
                    return -1;
                }
                fw = (int)w;
                ++argv;
                --argc;
            }
            have_fw = true;
        } else {
            while (isdigit((unsigned char)*f)) ++f, ++dlen;
        }
        if (*f == '.') {
            ++f;
            ++dlen;
            ok['c'] = false;
            if (*f == '*') {
                ++f;
                ++dlen;
                if (argc > 0) {
                    intmax_t pr = cu_int(c, *argv);
                    if (pr < 0) {
                        prec = -1;
                    } else if (pr > INT_MAX) {
                        pf_error(c, "invalid precision: %s%s%s", lq(c), *argv, rq(c));
                        c->status = 1;
                        return -1;
                    } else {
                        prec = (int)pr;
                    }
                    ++argv;
                    --argc;
                }
                have_prec = true;
            } else {
                while (isdigit((unsigned char)*f)) ++f, ++dlen;
            }
        }
        while (*f == 'l' || *f == 'L' || *f == 'h' || *f == 'j' || *f == 't' || *f == 'z') ++f;
        unsigned char conv = (unsigned char)*f;
        if (!ok[conv]) {
            int speclen = (int)(f + (*f ? 1 : 0) - start);
            pf_error(c, "%.*s: invalid conversion specification", speclen, start);
            c->status = 1;
            return -1;
        }
        const char *arg = argc > 0 ? (argc--, *argv++) : "";
        if (dlen > sizeof dir - 4) dlen = sizeof dir - 4;
        memcpy(dir, start, dlen);
        int nstar = 0, a1 = 0, a2 = 0;
        if (have_fw) a1 = fw, nstar = 1;
        if (have_prec) {
            if (nstar)
                a2 = prec;
            else
                a1 = prec;
            nstar++;
        }
        switch (conv) {
        case 'd':
        case 'i':
            dir[dlen] = 'j', dir[dlen + 1] = (char)conv, dir[dlen + 2] = 0;
            emit(c, dir, nstar, a1, a2, 'i', cu_int(c, arg));
            break;
        case 'o':
        case 'u':
        case 'x':
        case 'X':
            dir[dlen] = 'j', dir[dlen + 1] = (char)conv, dir[dlen + 2] = 0;
            emit(c, dir, nstar, a1, a2, 'u', cu_uint(c, arg));
            break;
        case 'c':
            dir[dlen] = 'c', dir[dlen + 1] = 0;
            emit(c, dir, nstar, a1, a2, 'c', (int)(unsigned char)*arg);
            break;
        case 's':
            dir[dlen] = 's', dir[dlen + 1] = 0;
            emit(c, dir, nstar, a1, a2, 's', arg);
            break;
        default:
            dir[dlen] = 'L', dir[dlen + 1] = (char)conv, dir[dlen + 2] = 0;
            emit(c, dir, nstar, a1, a2, 'f', cu_float(c, arg));
            break;
        }
    }
    return save - argc;
}

/* ---- driver ------------------------------------------------------------------------ */

int pf_run(struct pf_ctx *c, const char *fmt, int argc, char **argv)
{
    c->status = 0;
    c->stopped = false;
    if (c->dialect == PF_BASH) {
        struct bargs a = {argc, 0, argv};
        do {
            int before = a.i;
            int r = bash_pass(c, fmt, &a);
            if (r) break;
            if (c->p && proc_check(c->p) < 0) break;
            if (a.i == before) break;
        } while (a.i < a.argc);
    } else {
        int used;
        do {
            used = cu_pass(c, fmt, argc, argv);
            if (used < 0 || c->stopped || c->out.err) break;
            argc -= used;
            argv += used;
            if (c->p && proc_check(c->p) < 0) break;
        } while (used > 0 && argc > 0);
        if (used >= 0 && !c->stopped && !c->out.err && argc > 0) {
            pf_error(c, "warning: ignoring excess arguments, starting with %s%s%s", lq(c), argv[0],
                     rq(c));
        }
    }
    if (c->out.err && c->out.err != -EPIPE) c->status = 1;
    return c->status;
}
