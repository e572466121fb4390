/* sh/pattern.h — bash's pattern matching (fnmatch with extglob), used by
 * case, [[ == ]], pathname expansion and the ${v#p} ${v%p} ${v/p/r} family.
 *
 * Pattern syntax: * ? [...] (ranges by code point as with globasciiranges,
 * [!..] [^..], [[:class:]], [[=c=]], [[.c.]]), \c quotes c (the executor
 * passes quoted characters backslash-escaped), and with SH_PAT_EXTGLOB
 * ?(a|b) *(..) +(..) @(..) !(..), nested. Strings are UTF-8: ? matches one
 * character; an invalid byte is a character of its own, as in bash.
 *
 * Matching is bounded: a compiled pattern is run as a set-of-positions
 * simulation (pattern item by item over all string positions at once), so
 * plain patterns cost O(len * items) and extglob at worst O(len^2 * items);
 * a work budget turns anything bigger into SH_PAT_TOO_COMPLEX. Recursion
 * follows only the nesting of extglob groups (at most SH_PAT_MAX_DEPTH).
 *
 * Everything is reentrant: no state outside the objects passed in.
 */
#ifndef VOS_SH_PATTERN_H
#define VOS_SH_PATTERN_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#define SH_PAT_EXTGLOB 0x01  /* ?( *( +( @( !( are groups */
#define SH_PAT_NOCASE 0x02   /* nocasematch / nocaseglob */
#define SH_PAT_PATHNAME 0x04 /* '/' is matched only by a literal '/' */
#define SH_PAT_PERIOD                                                                              \
    0x08 /* a leading '.' (also after '/' with PATHNAME)                                           \
            is matched only by a literal '.': glob                                                 \
            without dotglob */

/* Errors (negative): -ENOMEM, or these. */
#define SH_PAT_TOO_COMPLEX (-ELOOP) /* nesting or work budget exceeded */

#define SH_PAT_MAX_DEPTH 32          /* nesting of extglob groups */
#define SH_PAT_MAX_WORK (1ull << 28) /* position steps per call */

struct sh_pat;

/* Compile pat (NUL-terminated) under flags. 0 or -ENOMEM /
 * SH_PAT_TOO_COMPLEX (nesting). Malformed pieces (an unclosed '[' or
 * extglob group) are literal characters, as in bash. */
int sh_pat_compile(const char *pat, int flags, struct sh_pat **out);
void sh_pat_free(struct sh_pat *p);

/* Does the whole of s[0..len) match? 1 yes, 0 no, < 0 error. */
int sh_pat_exec(const struct sh_pat *p, const char *s, size_t len);
/* One-shot compile + exec. */
int sh_pat_match(const char *pat, const char *s, size_t len, int flags);

/* ${v#p} ${v##p} ${v%p} ${v%%p}: the matching prefix/suffix. */
enum sh_pat_trim_op {
    SH_TRIM_SHORT_PREFIX, /* # */
    SH_TRIM_LONG_PREFIX,  /* ## */
    SH_TRIM_SHORT_SUFFIX, /* % */
    SH_TRIM_LONG_SUFFIX,  /* %% */
};
/* 1 and *cut = the byte length of the matched prefix (prefix ops) or the
 * byte offset where the matched suffix starts (suffix ops); 0 when nothing
 * matches; < 0 error. */
int sh_pat_trim(const struct sh_pat *p, const char *s, size_t len, enum sh_pat_trim_op op,
                size_t *cut);

/* ${v/p/r} ${v//p/r} ${v/#p/r} ${v/%p/r}: match positions as bash finds
 * them: the leftmost start, the longest match there; for ALL the search goes
 * on after each match (after one character past an empty match) while
 * characters remain. */
enum sh_pat_find_mode {
    SH_FIND_FIRST,  /* /   */
    SH_FIND_ALL,    /* //  */
    SH_FIND_PREFIX, /* /#  longest match starting at 0 */
    SH_FIND_SUFFIX, /* /%  longest match ending at len */
};
struct sh_pat_span {
    size_t start, end; /* s[start..end) matched */
};
/* *spans (malloc'd, free()) receives *count matches in order. 0 or < 0. */
int sh_pat_find(const struct sh_pat *p, const char *s, size_t len, enum sh_pat_find_mode mode,
                struct sh_pat_span **spans, size_t *count);

/* Does word hold an unquoted glob character (* ? [..] or, with
 * SH_PAT_EXTGLOB, an extglob group)? Backslash quotes the next byte. */
bool sh_pat_has_magic(const char *word, int flags);

/* Remove backslash quoting: "a\*b" -> "a*b" (malloc'd; NULL on ENOMEM). */
char *sh_pat_unescape(const char *word);

#endif
