/* gnuregex.h — glibc's GNU regex calls (re_compile_pattern, re_search,
 * regfree), reached by symbol version. Another library in the process
 * (oniguruma, linked for jq) exports functions with the same names, and
 * whichever is linked first would otherwise be called with glibc's
 * structures. The syntax bits are set around compiling under a lock. */
#ifndef VOS_LIB_GNUREGEX_H
#define VOS_LIB_GNUREGEX_H

#include <regex.h>
#include <stddef.h>

/* NULL on success, else glibc's error message. */
const char *gre_compile(struct re_pattern_buffer *b, const char *pat, size_t len,
                        reg_syntax_t syntax);
regoff_t gre_search(struct re_pattern_buffer *b, const char *s, regoff_t len, regoff_t start,
                    regoff_t range, struct re_registers *regs);
void gre_free(struct re_pattern_buffer *b);

#endif
