/* common.c — helpers shared by commands: GNU-shaped error messages, name
 * quoting, stdout closing, input opening. See cmd.h. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <wchar.h>
#include <wctype.h>
#include <stdarg.h>
#include <stdio.h>

const char *cmd_prog(struct proc *p)
{
    return p->argv && p->argv[0] ? p->argv[0] : "vos";
}

const char *cmd_strerror(int err)
{
    if (err < 0) err = -err;
    const char *s = strerrordesc_np(err);
    return s ? s : "Unknown error";
}

static void verror(struct proc *p, int err, const char *fmt, va_list ap)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
    sbuf_printf(&sb, "%s: ", cmd_prog(p));
    sbuf_vprintf(&sb, fmt, ap);
    if (err) sbuf_printf(&sb, ": %s", cmd_strerror(err));
    sbuf_addc(&sb, '\n');
    if (sb.s) io_write_all(p, 2, sb.s, sb.len);
    sbuf_free(&sb);
}

void cmd_error(struct proc *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(p, 0, fmt, ap);
    va_end(ap);
}

void cmd_errno(struct proc *p, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(p, err, fmt, ap);
    va_end(ap);
}

static const char *quote_with(struct proc *p, const char *s, enum quote_style style)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
    sbuf_quote(&sb, s, strlen(s), style);
    if (!sb.s || sb.oom) {
        sbuf_free(&sb);
        return "?";
    }
    return sb.s;
}

const char *cmd_quotef(struct proc *p, const char *s)
{
    return quote_with(p, s, QUOTE_SHELL_ESCAPE);
}

const char *cmd_quoteaf(struct proc *p, const char *s)
{
    return quote_with(p, s, QUOTE_SHELL_ESCAPE_ALWAYS);
}

const char *cmd_quote(struct proc *p, const char *s)
{
    return quote_with(p, s, QUOTE_LOCALE);
}

void cmd_file_error(struct proc *p, const char *name, int err)
{
    cmd_errno(p, err, "%s", cmd_quotef(p, name));
}

int cmd_close_stdout(struct proc *p, struct obuf *o, int status)
{
    int err = obuf_flush(o);
    obuf_free(o);
    if (err && err != -EPIPE && err != -EINTR) {
        cmd_errno(p, err, "write error");
        return 1;
    }
    return err ? 1 : status;
}

int cmd_open_input(struct proc *p, const char *name)
{
    if (strcmp(name, "-") == 0) return 0;
    return sys_open(p, name, O_RDONLY, 0);
}

void cmd_close_input(struct proc *p, int fd)
{
    if (fd > 0) sys_close(p, fd);
}

/* ---- characters ------------------------------------------------------------ */

bool cmd_utf8_locale(struct proc *p)
{
    const char *v = proc_getenv(p, "LC_ALL");
    if (!v || !*v) v = proc_getenv(p, "LC_CTYPE");
    if (!v || !*v) v = proc_getenv(p, "LANG");
    if (!v || !*v) return false;
    return strcasestr(v, "UTF-8") || strcasestr(v, "utf8");
}

int cmd_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, v = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, v = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, v = c & 0x07;
    else
        return -1;
    for (size_t i = 1; i < len; i++) {
        if (i >= n) return -2;
        if ((s[i] & 0xc0) != 0x80) return -1;
        /* Reject overlong, surrogate and out-of-range forms early, like
         * glibc, so that a bad second byte is invalid at once. */
        if (i == 1 && ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
                       (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f)))
            return -1;
        v = v << 6 | (s[i] & 0x3f);
    }
    *cp = v;
    return (int)len;
}

static locale_t utf8_loc;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_init(void)
{
    utf8_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static locale_t utf8_locale(void)
{
    pthread_once(&utf8_once, utf8_init);
    return utf8_loc;
}

bool cmd_iswprint(uint32_t c, bool utf8)
{
    if (c < 0x80 || !utf8) return c >= 0x20 && c < 0x7f;
    locale_t l = utf8_locale();
    if (l) return iswprint_l((wint_t)c, l);
    return c >= 0xa0;
}

bool cmd_iswspace(uint32_t c, bool utf8)
{
    if (c < 0x80 || !utf8) return c == ' ' || (c >= '\t' && c <= '\r');
    locale_t l = utf8_locale();
    if (l) return iswspace_l((wint_t)c, l);
    return c == 0x1680 || (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200a) ||
           c == 0x2028 || c == 0x2029 || c == 0x205f || c == 0x3000;
}

int cmd_wcwidth(uint32_t c, bool utf8)
{
    if (c < 0x80 || !utf8) return c >= 0x20 && c < 0x7f ? 1 : -1;
    locale_t l = utf8_locale();
    if (l) {
        locale_t old = uselocale(l);
        int w = wcwidth((wchar_t)c);
        uselocale(old);
        return w;
    }
    if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
        (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
        (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
        (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
        (c >= 0x20000 && c <= 0x3fffd))
        return 2;
    if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f)) return 0;
    return 1;
}
