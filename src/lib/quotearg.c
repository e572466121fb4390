/* quotearg.c — gnulib quotearg_buffer_restyled over an sbuf. See quotearg.h.
 *
 * The shell styles quote only when needed (shell, shell-escape) or always;
 * the -escape variants write unprintable bytes as $'\ooo'. c and escape
 * write C escapes; c-maybe quotes only when an escape is needed; locale
 * and clocale use ‘’ in a UTF-8 locale. */
#include "lib/quotearg.h"
#include "cmd/cmd.h"
#include "lib/io.h"

#include <ctype.h>
#include <string.h>

const char *const qa_style_names[] = {
    "literal", "shell",   "shell-always", "shell-escape", "shell-escape-always",
    "c",       "c-maybe", "escape",       "locale",       "clocale",
    NULL};

#define STORE(c) sbuf_addc(sb, (char)(c))

static bool c_and_shell_safe(unsigned char c)
{
    return c == '%' || c == '+' || c == ',' || c == '-' || c == '.' || c == '/' ||
           (c >= '0' && c <= '9') || c == ':' || (c >= 'A' && c <= 'Z') || c == ']' || c == '_' ||
           (c >= 'a' && c <= 'z');
}

/* Returns false when the outer quotes must be forced (the caller retries). */
static bool restyled(struct sbuf *sb, const unsigned char *arg, size_t n, enum qa_style style,
                     bool elide, const uint32_t *qtt, const struct qa_opts *o, bool *retry_c)
{
    bool backslash = false, pending_end = false, single_quote = false, all_compat = true;
    const char *quote_string = NULL;
    size_t qlen = 0;
    const char *lq = o->utf8 ? "\xe2\x80\x98" : "'";
    const char *rq = o->utf8 ? "\xe2\x80\x99" : style == QA_CLOCALE ? "\"" : "'";
    if (!o->utf8 && style == QA_CLOCALE) lq = "\"";

    switch (style) {
    case QA_C_MAYBE:
        style = QA_C;
        elide = true;
        /* fall through */
    case QA_C:
        if (!elide) STORE('"');
        backslash = true;
        quote_string = "\"";
        qlen = 1;
        break;
    case QA_ESCAPE:
        backslash = true;
        elide = false;
        break;
    case QA_LOCALE:
    case QA_CLOCALE:
        if (!elide) sbuf_add(sb, lq, strlen(lq));
        backslash = true;
        quote_string = rq;
        qlen = strlen(rq);
        break;
    case QA_SHELL_ESCAPE:
        backslash = true;
        /* fall through */
    case QA_SHELL:
        elide = true;
        /* fall through */
    case QA_SHELL_ESCAPE_ALWAYS:
        if (!elide) backslash = true;
        /* fall through */
    case QA_SHELL_ALWAYS:
        style = QA_SHELL_ALWAYS;
        if (!elide) STORE('\'');
        quote_string = "'";
        qlen = 1;
        break;
    case QA_LITERAL: elide = false; break;
    }

#define START_ESC()                                                                                \
    do {                                                                                           \
        if (elide) return false;                                                                   \
        escaping = true;                                                                           \
        if (style == QA_SHELL_ALWAYS && !pending_end) {                                            \
            sbuf_add(sb, "'$'", 3);                                                                \
            pending_end = true;                                                                    \
        }                                                                                          \
        STORE('\\');                                                                               \
    } while (0)
#define END_ESC()                                                                                  \
    do {                                                                                           \
        if (pending_end && !escaping) {                                                            \
            sbuf_add(sb, "''", 2);                                                                 \
            pending_end = false;                                                                   \
        }                                                                                          \
    } while (0)

    for (size_t i = 0; i < n; i++) {
        unsigned char c, esc = 0;
        bool is_right_quote = false, escaping = false, compat = false;

        if (backslash && style != QA_SHELL_ALWAYS && qlen && i + qlen <= n &&
            memcmp(arg + i, quote_string, qlen) == 0) {
            if (elide) return false;
            is_right_quote = true;
        }
        c = arg[i];
        switch (c) {
        case '\0':
            if (backslash) {
                START_ESC();
                if (style != QA_SHELL_ALWAYS && i + 1 < n && arg[i + 1] >= '0' &&
                    arg[i + 1] <= '9') {
                    STORE('0');
                    STORE('0');
                }
                c = '0';
            } else if (o->elide_null_bytes) {
                continue;
            }
            break;
        case '?':
            if (style == QA_SHELL_ALWAYS && elide) return false;
            break;
        case '\a': esc = 'a'; goto c_escape;
        case '\b': esc = 'b'; goto c_escape;
        case '\f': esc = 'f'; goto c_escape;
        case '\n': esc = 'n'; goto c_and_shell_escape;
        case '\r': esc = 'r'; goto c_and_shell_escape;
        case '\t': esc = 't'; goto c_and_shell_escape;
        case '\v': esc = 'v'; goto c_escape;
        case '\\':
            esc = c;
            if (style == QA_SHELL_ALWAYS) {
                if (elide) return false;
                goto store_c;
            }
            if (backslash && elide && qlen) goto store_c;
        c_and_shell_escape:
            if (style == QA_SHELL_ALWAYS && elide) return false;
        c_escape:
            if (backslash) {
                c = esc;
                goto store_escape;
            }
            break;
        case '{':
        case '}':
            if (n != 1) break;
            /* fall through */
        case '#':
        case '~':
            if (i != 0) break;
            /* fall through */
        case ' ':
            compat = true;
            /* fall through */
        case '!':
        case '"':
        case '$':
        case '&':
        case '(':
        case ')':
        case '*':
        case ';':
        case '<':
        case '=':
        case '>':
        case '[':
        case '^':
        case '`':
        case '|':
            if (style == QA_SHELL_ALWAYS && elide) return false;
            break;
        case '\'':
            single_quote = true;
            compat = true;
            if (style == QA_SHELL_ALWAYS) {
                if (elide) return false;
                sbuf_add(sb, "'\\'", 3);
                pending_end = false;
            }
            break;
        default:
            if (c_and_shell_safe(c)) {
                compat = true;
                break;
            }
            {
                size_t m;
                bool printable;
                if (!o->utf8) {
                    m = 1;
                    printable = c < 0x80 && isprint(c);
                } else {
                    uint32_t w;
                    int r = cmd_utf8_decode(arg + i, n - i, &w);
                    m = 0;
                    printable = true;
                    if (r == -1) {
                        printable = false;
                    } else if (r == -2) {
                        printable = false;
                        while (i + m < n && arg[i + m]) m++;
                    } else {
                        if (elide && style == QA_SHELL_ALWAYS) {
                            for (int j = 1; j < r; j++) {
                                unsigned char d = arg[i + m + j];
                                if (d == '[' || d == '\\' || d == '^' || d == '`' || d == '|')
                                    return false;
                            }
                        }
                        if (!cmd_iswprint(w, true)) printable = false;
                        m = (size_t)r;
                    }
                }
                compat = printable;
                if (1 < m || (backslash && !printable)) {
                    size_t ilim = i + m;
                    for (;;) {
                        if (backslash && !printable) {
                            START_ESC();
                            STORE('0' + (c >> 6));
                            STORE('0' + ((c >> 3) & 7));
                            c = '0' + (c & 7);
                        } else if (is_right_quote) {
                            STORE('\\');
                            is_right_quote = false;
                        }
                        if (ilim <= i + 1) break;
                        END_ESC();
                        STORE(c);
                        c = arg[++i];
                    }
                    goto store_c;
                }
            }
        }

        if (!(((backslash && style != QA_SHELL_ALWAYS) || elide) && qtt &&
              (qtt[c / 32] >> (c % 32) & 1)) &&
            !is_right_quote)
            goto store_c;
    store_escape:
        START_ESC();
    store_c:
        END_ESC();
        STORE(c);
        if (!compat) all_compat = false;
    }

    if (sb->len == 0 && style == QA_SHELL_ALWAYS && elide) return false;
    if (style == QA_SHELL_ALWAYS && !elide && single_quote && all_compat) *retry_c = true;
    if (quote_string && !elide) sbuf_add(sb, quote_string, strlen(quote_string));
    return true;
#undef START_ESC
#undef END_ESC
}

void qa_quote(struct sbuf *sb, const char *arg, size_t n, const struct qa_opts *o)
{
    enum qa_style style = o->style;
    const uint32_t *qtt = o->extra;
    for (int round = 0; round < 4; round++) {
        bool retry_c = false;
        struct sbuf tmp;
        sbuf_init(&tmp, sb->p);
        bool ok = restyled(&tmp, (const unsigned char *)arg, n, style, false, qtt, o, &retry_c);
        if (ok && !retry_c) {
            if (tmp.len) sbuf_add(sb, tmp.s, tmp.len);
            if (tmp.oom) sb->oom = true;
            sbuf_free(&tmp);
            return;
        }
        sbuf_free(&tmp);
        if (retry_c) {
            style = QA_C; /* 'it''s' reads better as "it's" */
        } else if (style == QA_C_MAYBE) {
            style = QA_C; /* an escape was needed: force the outer quotes */
            qtt = NULL;
        } else {
            style = style == QA_SHELL_ESCAPE || style == QA_SHELL_ESCAPE_ALWAYS
                        ? QA_SHELL_ESCAPE_ALWAYS
                        : QA_SHELL_ALWAYS;
            qtt = NULL;
        }
    }
}
