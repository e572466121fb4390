/* sh/brace.h — bash brace expansion: {a,b}, nesting, {1..10}, {1..10..3},
 * {a..z}, {z..a..2}, zero padding {01..10}, negative numbers; invalid forms
 * ({a}, {a..1}, {}, unbalanced) stay literal, as in bash 5.2.
 *
 * Brace characters count only in unquoted SH_WP_LIT parts of a word;
 * quoted parts, escapes (\{ is an SH_WP_ESCAPED part) and expansions
 * ($x, ${x}, $(..)) are opaque units that are copied whole, so
 * a{b,"c d"}$x gives the words  ab$x  and  a"c d"$x.
 */
#ifndef VOS_SH_BRACE_H
#define VOS_SH_BRACE_H

#include "sh/ast.h"
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#define SH_BRACE_TOO_MANY (-E2BIG) /* more than max_words results */
#define SH_BRACE_TOO_DEEP (-ELOOP) /* braces nested deeper than the limit */
#define SH_BRACE_MAX_DEPTH 256

/* Could w expand (an unquoted '{' in a literal part)? A cheap pre-check. */
bool sh_brace_maybe(const struct sh_word *w);

/* Expand w into *out: a list of new words linked by ->next (*count of
 * them; a word without brace expansion gives one word equal to it), all
 * in arena a. The new words share w's flags and assign; their text is w's
 * text (the source of the whole word). Parts are shallow copies: nested
 * pointers (DQUOTE children, params, bodies) are shared with w.
 * 0, -ENOMEM, SH_BRACE_TOO_MANY or SH_BRACE_TOO_DEEP. */
int sh_brace_expand(struct sh_arena *a, const struct sh_word *w, size_t max_words,
                    struct sh_word **out, size_t *count);

/* The same on source text, like bash's brace_expand(): quotes ('..' ".."
 * `..`), backslash escapes, ${..} and $(..) are opaque and kept as written
 * (no quote removal). *out: malloc'd NULL-terminated vector of malloc'd
 * strings; free with sh_brace_free. */
int sh_brace_expand_str(const char *s, size_t max_words, char ***out, size_t *count);
void sh_brace_free(char **v);

#endif
