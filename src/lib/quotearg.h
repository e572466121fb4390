/* quotearg.h — gnulib's quotearg for commands that print file names in a
 * chosen style (ls --quoting-style, -b, -Q; stat %N; tree -Q...).
 *
 * qa_quote appends arg[0..n) to sb quoted in the given style, with the
 * same output as gnulib quotearg_buffer_restyled: literal, shell,
 * shell-always, shell-escape, shell-escape-always, c, c-maybe, escape,
 * locale and clocale. Extra bytes to backslash-quote go in a
 * struct qa_opts (ls adds ' ' for -b and ':' for directory headers).
 */
#ifndef VOS_LIB_QUOTEARG_H
#define VOS_LIB_QUOTEARG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf;

enum qa_style {
    QA_LITERAL,
    QA_SHELL,
    QA_SHELL_ALWAYS,
    QA_SHELL_ESCAPE,
    QA_SHELL_ESCAPE_ALWAYS,
    QA_C,
    QA_C_MAYBE,
    QA_ESCAPE,
    QA_LOCALE,
    QA_CLOCALE,
};

/* The names --quoting-style accepts, in enum order, NULL-terminated. */
extern const char *const qa_style_names[];

struct qa_opts {
    enum qa_style style;
    bool utf8;             /* multibyte (UTF-8) locale, else unibyte C */
    bool elide_null_bytes; /* QA_ELIDE_NULL_BYTES */
    uint32_t extra[8];     /* quote_these_too: a bit per byte */
};

static inline void qa_set_char(struct qa_opts *o, unsigned char c)
{
    o->extra[c / 32] |= 1u << (c % 32);
}

void qa_quote(struct sbuf *sb, const char *arg, size_t n, const struct qa_opts *o);

#endif
