/* io.c — buffered output (obuf), buffered record input (ibuf), growable
 * strings (sbuf) and gnulib-compatible quoting of names in messages. */
#include "lib/io.h"
#include "kernel/kernel.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ---- output ------------------------------------------------------------- */

int io_write_all(struct proc *p, int fd, const void *buf, size_t n)
{
    const char *s = buf;
    while (n > 0) {
        ssize_t w = sys_write(p, fd, s, n);
        if (w < 0) {
            if (w == -EAGAIN) continue;
            return (int)w;
        }
        if (w == 0) return -EIO;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

void obuf_init(struct obuf *o, struct proc *p, int fd)
{
    memset(o, 0, sizeof *o);
    o->p = p;
    o->fd = fd;
}

static bool obuf_alloc(struct obuf *o)
{
    if (o->buf) return true;
    o->buf = p_malloc(o->p, IO_BUFSIZE);
    if (!o->buf) {
        o->err = -ENOMEM;
        return false;
    }
    o->cap = IO_BUFSIZE;
    return true;
}

int obuf_flush(struct obuf *o)
{
    if (o->len && !o->err) {
        int r = io_write_all(o->p, o->fd, o->buf, o->len);
        if (r < 0) o->err = r;
    }
    o->len = 0;
    return o->err;
}

void obuf_write(struct obuf *o, const void *data, size_t n)
{
    if (o->err || n == 0) return;
    if (o->len + n > o->cap) {
        if (o->len && obuf_flush(o)) return;
        if (n >= IO_BUFSIZE) {
            int r = io_write_all(o->p, o->fd, data, n);
            if (r < 0) o->err = r;
            return;
        }
        if (!obuf_alloc(o)) return;
    }
    memcpy(o->buf + o->len, data, n);
    o->len += n;
    if (o->line && memchr(data, '\n', n)) obuf_flush(o);
}

void obuf_putc(struct obuf *o, int c)
{
    if (o->len < o->cap && !o->line) {
        o->buf[o->len++] = (char)c;
        return;
    }
    char ch = (char)c;
    obuf_write(o, &ch, 1);
}

void obuf_puts(struct obuf *o, const char *s)
{
    obuf_write(o, s, strlen(s));
}

void obuf_printf(struct obuf *o, const char *fmt, ...)
{
    if (o->err || !obuf_alloc(o)) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < o->cap - o->len) {
        size_t old = o->len;
        o->len += (size_t)n;
        if (o->line && memchr(o->buf + old, '\n', (size_t)n)) obuf_flush(o);
        return;
    }
    struct sbuf sb;
    sbuf_init(&sb, o->p);
    va_start(ap, fmt);
    sbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    if (sb.oom)
        o->err = -ENOMEM;
    else
        obuf_write(o, sb.s, sb.len);
    sbuf_free(&sb);
}

void obuf_free(struct obuf *o)
{
    obuf_flush(o);
    p_free(o->p, o->buf);
    o->buf = NULL;
    o->cap = 0;
}

/* ---- input -------------------------------------------------------------- */

void ibuf_init(struct ibuf *in, struct proc *p, int fd)
{
    memset(in, 0, sizeof *in);
    in->p = p;
    in->fd = fd;
}

void ibuf_free(struct ibuf *in)
{
    p_free(in->p, in->buf);
    in->buf = NULL;
    in->cap = in->start = in->end = 0;
}

/* Read more bytes after end, compacting or growing the buffer first.
 * >0 bytes read, 0 at EOF, negative errno. */
static ssize_t ibuf_fill(struct ibuf *in)
{
    if (in->eof) return 0;
    if (in->err) return in->err;
    if (!in->buf) {
        in->buf = p_malloc(in->p, IO_BUFSIZE);
        if (!in->buf) return in->err = -ENOMEM;
        in->cap = IO_BUFSIZE;
    }
    if (in->start > 0 && (in->end == in->cap || in->start == in->end)) {
        memmove(in->buf, in->buf + in->start, in->end - in->start);
        in->end -= in->start;
        in->start = 0;
    }
    if (in->end == in->cap) {
        size_t ncap = in->cap * 2;
        char *nb = p_realloc(in->p, in->buf, ncap);
        if (!nb) return in->err = -ENOMEM;
        in->buf = nb;
        in->cap = ncap;
    }
    ssize_t r;
    do r = sys_read(in->p, in->fd, in->buf + in->end, in->cap - in->end);
    while (r == -EAGAIN);
    if (r < 0) return in->err = (int)r;
    if (r == 0) in->eof = true;
    in->end += (size_t)r;
    return r;
}

ssize_t ibuf_getdelim(struct ibuf *in, int delim, char **rec)
{
    size_t scanned = in->start;
    for (;;) {
        /* no buffer before the first fill: memchr(NULL, ..., 0) is undefined */
        char *nl = in->end > scanned ? memchr(in->buf + scanned, delim, in->end - scanned) : NULL;
        if (nl) {
            size_t len = (size_t)(nl - (in->buf + in->start)) + 1;
            *rec = in->buf + in->start;
            in->start += len;
            return (ssize_t)len;
        }
        size_t off = in->end - in->start; /* bytes already scanned */
        ssize_t r = ibuf_fill(in);
        if (r < 0) return r;
        scanned = in->start + off;
        if (r == 0) {
            size_t len = in->end - in->start;
            *rec = in->buf + in->start;
            in->start = in->end;
            return (ssize_t)len;
        }
    }
}

ssize_t ibuf_read(struct ibuf *in, size_t max, char **data)
{
    if (in->start == in->end) {
        in->start = in->end = 0;
        ssize_t r = ibuf_fill(in);
        if (r <= 0) return r;
    }
    size_t n = in->end - in->start;
    if (n > max) n = max;
    *data = in->buf + in->start;
    in->start += n;
    return (ssize_t)n;
}

/* ---- strings -------------------------------------------------------------- */

void sbuf_init(struct sbuf *sb, struct proc *p)
{
    memset(sb, 0, sizeof *sb);
    sb->p = p;
}

static bool sbuf_reserve(struct sbuf *sb, size_t extra)
{
    if (sb->oom) return false;
    if (sb->len + extra + 1 <= sb->cap) return true;
    size_t ncap = sb->cap ? sb->cap : 64;
    while (ncap < sb->len + extra + 1) ncap *= 2;
    char *ns = p_realloc(sb->p, sb->s, ncap);
    if (!ns) {
        sb->oom = true;
        return false;
    }
    sb->s = ns;
    sb->cap = ncap;
    return true;
}

void sbuf_add(struct sbuf *sb, const void *data, size_t n)
{
    if (!sbuf_reserve(sb, n)) return;
    memcpy(sb->s + sb->len, data, n);
    sb->len += n;
    sb->s[sb->len] = '\0';
}

void sbuf_addc(struct sbuf *sb, char c)
{
    sbuf_add(sb, &c, 1);
}

void sbuf_vprintf(struct sbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        sbuf_add(sb, tmp, (size_t)n);
        return;
    }
    if (!sbuf_reserve(sb, (size_t)n)) return;
    vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(sb, fmt, ap);
    va_end(ap);
}

void sbuf_free(struct sbuf *sb)
{
    p_free(sb->p, sb->s);
    sb->s = NULL;
    sb->len = sb->cap = 0;
}

/* ---- quoting ---------------------------------------------------------------- */

/* Length of the UTF-8 character at s (1..4), and whether it is printable;
 * an invalid or truncated sequence is 1 unprintable byte. */
static size_t utf8_char(const unsigned char *s, size_t n, bool *printable)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *printable = c >= 0x20 && c < 0x7f;
        return 1;
    }
    size_t len;
    unsigned cp, min;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        *printable = false;
        return 1;
    }
    if (len > n) {
        *printable = false;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *printable = false;
            return 1;
        }
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        *printable = false;
        return 1;
    }
    *printable = !(cp >= 0x80 && cp < 0xa0) && cp != 0x2028 && cp != 0x2029;
    return len;
}

static bool shell_safe(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("%+,-./:]_@", c) != NULL;
}

static int c_escape_letter(unsigned char c)
{
    switch (c) {
    case '\a': return 'a';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    case '\v': return 'v';
    }
    return 0;
}

static bool shell_needs_quotes(const unsigned char *s, size_t n)
{
    if (n == 0) return true;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (shell_safe(c)) {
            i++;
            continue;
        }
        if (c == '{' || c == '}') {
            if (n == 1) return true;
            i++;
            continue;
        }
        if (c == '#' || c == '~') {
            if (i == 0) return true;
            i++;
            continue;
        }
        if (c >= 0x80) {
            bool pr;
            size_t l = utf8_char(s + i, n - i, &pr);
            if (!pr) return true;
            i += l;
            continue;
        }
        return true; /* space, shell specials, quotes, controls */
    }
    return false;
}

static void octal(struct sbuf *sb, unsigned char c)
{
    char o[5] = {'\\', (char)('0' + (c >> 6)), (char)('0' + ((c >> 3) & 7)), (char)('0' + (c & 7)),
                 0};
    sbuf_add(sb, o, 4);
}

static void quote_shell(struct sbuf *sb, const unsigned char *s, size_t n, bool always)
{
    if (!always && !shell_needs_quotes(s, n)) {
        sbuf_add(sb, s, n);
        return;
    }
    size_t mark = sb->len;
    bool pending = false, single = false, compat = true;
    sbuf_addc(sb, '\'');
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        int esc = c_escape_letter(c);
        if (c == '\'') {
            single = true;
            sbuf_add(sb, "'\\''", 4);
            pending = false;
            i++;
        } else if (esc) {
            if (!pending) {
                sbuf_add(sb, "'$'", 3);
                pending = true;
            }
            sbuf_addc(sb, '\\');
            sbuf_addc(sb, (char)esc);
            compat = false;
            i++;
        } else {
            bool pr;
            size_t l = utf8_char(s + i, n - i, &pr);
            if (!pr) {
                if (!pending) {
                    sbuf_add(sb, "'$'", 3);
                    pending = true;
                }
                for (size_t k = 0; k < l; k++) octal(sb, s[i + k]);
                compat = false;
            } else {
                if (pending) {
                    sbuf_add(sb, "''", 2);
                    pending = false;
                }
                sbuf_add(sb, s + i, l);
                if (l == 1 && !shell_safe(c) && c != ' ' && !((c == '#' || c == '~') && i == 0) &&
                    !((c == '{' || c == '}') && n == 1))
                    compat = false;
            }
            i += l;
        }
    }
    if (single && compat) {
        sb->len = mark;
        sbuf_addc(sb, '"');
        sbuf_add(sb, s, n);
        sbuf_addc(sb, '"');
        return;
    }
    sbuf_addc(sb, '\'');
}

static void quote_locale(struct sbuf *sb, const unsigned char *s, size_t n)
{
    static const char lq[] = "\xe2\x80\x98", rq[] = "\xe2\x80\x99";
    sbuf_add(sb, lq, 3);
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        int esc = c_escape_letter(c);
        if (esc) {
            sbuf_addc(sb, '\\');
            sbuf_addc(sb, (char)esc);
            i++;
        } else if (c == '\\') {
            sbuf_add(sb, "\\\\", 2);
            i++;
        } else {
            bool pr;
            size_t l = utf8_char(s + i, n - i, &pr);
            if (!pr) {
                for (size_t k = 0; k < l; k++) octal(sb, s[i + k]);
            } else {
                if (l == 3 && memcmp(s + i, rq, 3) == 0) sbuf_addc(sb, '\\');
                sbuf_add(sb, s + i, l);
            }
            i += l;
        }
    }
    sbuf_add(sb, rq, 3);
}

void sbuf_quote(struct sbuf *sb, const char *s, size_t n, enum quote_style style)
{
    const unsigned char *u = (const unsigned char *)s;
    switch (style) {
    case QUOTE_SHELL_ESCAPE: quote_shell(sb, u, n, false); break;
    case QUOTE_SHELL_ESCAPE_ALWAYS: quote_shell(sb, u, n, true); break;
    case QUOTE_LOCALE: quote_locale(sb, u, n); break;
    }
}
