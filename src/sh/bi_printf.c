/* sh/bi_printf.c — the printf builtin (on the engine in lib/printf.c, bash
 * dialect: %q %Q %(fmt)T %n, -v var) and bash's backslash-escape decoders:
 * echo -e (sh_echo_escapes) and $'...' / ${v@E} (sh_ansi_decode), both
 * after bash's ansicstr().
 */
#include "sh/builtins.h"
#include "lib/printf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PRINTF_USAGE "printf [-v var] format [arguments]"

/* ---- escapes (bash's ansicstr) ------------------------------------------------ */

enum { AC_ECHO = 1, AC_DOLLAR = 2 };

static int hexval(int c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Decode s into out (room for strlen(s) + 1); returns the length. flags:
 * AC_ECHO for echo -e (\0nnn octal, \1..\7 kept, \' \" \? kept, \c stops),
 * AC_DOLLAR for $'...' (\x{...}, \cX control characters). */
static size_t ansicstr(const char *s, char *out, int flags, bool *sawc)
{
    char *r = out;
    if (sawc) *sawc = false;
    while (*s) {
        int c = (unsigned char)*s++;
        if (c != '\\' || !*s) {
            *r++ = (char)c;
            continue;
        }
        switch (c = (unsigned char)*s++) {
        case 'a': c = '\a'; break;
        case 'v': c = '\v'; break;
        case 'b': c = '\b'; break;
        case 'e':
        case 'E': c = 033; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case '1': case '2': case '3': case '4': case '5': case '6': case '7':
            if (flags & AC_ECHO) {
                *r++ = '\\';
                break;
            }
            /* fall through */
        case '0': {
            int temp = 2 + ((flags & AC_ECHO) && c == '0');
            for (c -= '0'; *s >= '0' && *s <= '7' && temp--; s++) c = c * 8 + (*s - '0');
            c &= 0xff;
            break;
        }
        case 'x': {
            bool brace = false;
            if ((flags & AC_DOLLAR) && *s == '{') {
                brace = true;
                s++;
            }
            int temp = 2;
            for (c = 0; isxdigit((unsigned char)*s) && temp--; s++) c = c * 16 + hexval(*s);
            if (brace) {
                for (; isxdigit((unsigned char)*s); s++) c = c * 16 + hexval(*s);
                if (*s == '}') s++;
            } else if (temp == 2) {
                *r++ = '\\';
                c = 'x';
            }
            c &= 0xff;
            break;
        }
        case 'u':
        case 'U': {
            int temp = c == 'u' ? 4 : 8, full = temp;
            unsigned long v = 0;
            for (; isxdigit((unsigned char)*s) && temp--; s++) v = v * 16 + (unsigned long)hexval(*s);
            if (temp == full) {
                *r++ = '\\';
                break;
            }
            if (v <= 0x7f) {
                c = (int)v;
                break;
            }
            r += pf_utf8_encode((uint32_t)(v > 0x7fffffff ? 0x7fffffff : v), r);
            continue;
        }
        case '\\': break;
        case '\'':
        case '"':
        case '?':
            if (flags & AC_ECHO) *r++ = '\\';
            break;
        case 'c':
            if (sawc) {
                *sawc = true;
                *r = 0;
                return (size_t)(r - out);
            }
            if (!(flags & AC_ECHO) && !*s) {
                *r++ = '\\'; /* a trailing \c passes through */
                break;
            }
            if (!(flags & AC_ECHO) && (c = (unsigned char)*s)) {
                s++;
                if ((flags & AC_DOLLAR) && c == '\\' && *s == '\\') s++;
                c = c == '?' ? 0x7f : (toupper(c) & 0x1f);
                break;
            }
            /* fall through */
        default: *r++ = '\\'; break;
        }
        *r++ = (char)c;
    }
    *r = 0;
    return (size_t)(r - out);
}

size_t sh_echo_escapes(const char *in, char *out, bool *stop)
{
    bool sawc = false;
    size_t n = ansicstr(in, out, AC_ECHO, &sawc);
    if (stop) *stop = sawc;
    return n;
}

char *sh_ansi_decode(const char *s, size_t *outlen)
{
    /* \u escapes never grow the text: 10 input chars give at most 6 bytes. */
    char *out = xmalloc(strlen(s) + 8);
    size_t n = ansicstr(s, out, AC_DOLLAR, NULL);
    if (outlen) *outlen = n;
    return out;
}

/* ---- printf ----------------------------------------------------------------------- */

bool sh_utf8(struct sh *sh)
{
    const char *v = sh_var_get(sh, "LC_ALL");
    if (!v || !*v) v = sh_var_get(sh, "LC_CTYPE");
    if (!v || !*v) v = sh_var_get(sh, "LANG");
    if (!v || !*v) return false;
    return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
}

struct printf_ud {
    struct sh *sh;
};

static void printf_error(void *ud, const char *msg)
{
    struct printf_ud *u = ud;
    sh_error(u->sh, "printf: %s", msg);
}

static int printf_setvar(void *ud, const char *name, intmax_t value)
{
    struct printf_ud *u = ud;
    char buf[32];
    snprintf(buf, sizeof buf, "%jd", value);
    return sh_var_set(u->sh, name, buf, false);
}

static int printf_flush(void *ud, const void *buf, size_t n)
{
    struct printf_ud *u = ud;
    return sh_write(u->sh, 1, buf, n);
}

int bi_printf(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    const char *vname = NULL;
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "v:", PRINTF_USAGE)) != -1;) {
        if (c == -2) return 2;
        if (c == 'v') {
            if (!sh_bi_valid_lhs(o.arg)) {
                sh_error(sh, "printf: `%s': not a valid identifier", o.arg);
                return 2;
            }
            vname = o.arg;
        }
    }
    if (o.ind >= argc) {
        sh_printf(sh, 2, "printf: usage: %s\n", PRINTF_USAGE);
        return 2;
    }
    struct printf_ud ud = {sh};
    struct timespec ts = {0};
    sys_clock_gettime(sh->p, CLOCK_REALTIME, &ts);
    uint64_t up = now_ns() - sh->start_ns;
    struct sh_var *tzv = sh_var_find(sh, "TZ");
    struct pf_ctx c = {
        .dialect = PF_BASH,
        .p = sh->p,
        .out = {.max = sh->lim.string_bytes ? sh->lim.string_bytes : (64u << 20)},
        .utf8 = sh_utf8(sh),
        .error = printf_error,
        .ud = &ud,
        .setvar = printf_setvar,
        .now = ts.tv_sec,
        .start_time = ts.tv_sec - (int64_t)(up / 1000000000u),
        .tz = tzv && (tzv->attr & V_EXPORT) ? tzv->val : NULL,
    };
    if (!vname) {
        c.out.flush = printf_flush;
        c.out.ud = &ud;
    }
    int status = pf_run(&c, argv[o.ind], argc - o.ind - 1, argv + o.ind + 1);
    if (c.out.err == -EFBIG) {
        sh_error(sh, "printf: output exceeds the string size limit (%zu bytes)", c.out.max);
        status = 1;
    } else if (vname) {
        if (!c.out.err) {
            pf_out_putc(&c.out, 0);
            if (!c.out.err && sh_bi_assign(sh, vname, c.out.buf) < 0) status = 1;
        }
    } else if (pf_out_flush(&c.out) < 0 || c.out.err) {
        if (c.out.err != -EPIPE) sh_error(sh, "printf: write error: %s", vos_strerror(c.out.err));
        status = 1;
    }
    pf_out_free(&c.out);
    return status;
}
