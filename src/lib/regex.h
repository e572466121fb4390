/* regex.h — the one regular-expression layer of vos (grep, sed, and later
 * awk, find, xargs, diff, rg).
 *
 * Dialects: GNU BRE and ERE exactly as glibc's regex reads them under a set
 * of RE_* syntax bits (the defaults are grep's or sed's), PCRE2 for grep -P
 * and rg, and fixed strings (grep -F). Two engines sit behind one compiled
 * object:
 *   - PCRE2 (JIT, match/heap limits) runs a faithful translation of the
 *     POSIX pattern when one exists: match/no-match questions go to
 *     pcre2_match, exact match bounds (leftmost-longest, as POSIX says) to
 *     pcre2_dfa_match. A parser that mirrors glibc's regcomp produces the
 *     translation, so it reads a pattern the way glibc does (and reports the
 *     same errors). Classes, \w, \s and word anchors are spelled out from
 *     glibc's C.UTF-8 tables so they mean what glibc means.
 *   - glibc re_search (the GNU API, exact syntax bits) when subexpression
 *     bounds are wanted (sed's \1..\9), when exact bounds are wanted under
 *     back-references, or when no faithful translation exists (invalid
 *     UTF-8 in the pattern).
 * Literal patterns skip both: memmem over the whole buffer.
 *
 * Threads: a compiled pattern belongs to one process; nothing global is
 * written except glibc's re_syntax_options, which compile sets under a
 * lock. Memory: PCRE2 allocates through p_malloc (the VM's limit applies);
 * glibc regex allocates from the host heap and is freed by rx_free.
 * Bounds: PCRE2 matches run under match and heap limits; the record search
 * calls proc_check between records when it falls back to line-by-line
 * matching; a pattern whose expansion would be huge is refused.
 */
#ifndef VOS_LIB_REGEX_H
#define VOS_LIB_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct proc;
struct rx;

enum rx_kind {
    RX_BRE,   /* basic (grep -G, sed) */
    RX_ERE,   /* extended (grep -E, sed -E, awk with .syntax) */
    RX_PCRE,  /* Perl (grep -P) */
    RX_FIXED, /* fixed strings (grep -F): '\n' separates alternatives */
};

enum {
    RX_ICASE = 1 << 0,   /* ignore case */
    RX_UTF8 = 1 << 1,    /* the locale is UTF-8: characters, not bytes */
    RX_NEWLINE = 1 << 2, /* REG_NEWLINE: ^ $ also at '\n'; . and [^x] skip '\n' (sed M) */
    RX_WORD = 1 << 3,    /* match whole words only (grep -w) */
    RX_LINE = 1 << 4,    /* match whole records only (grep -x) */
    RX_LINES = 1 << 5,   /* searching records that end in .eol (grep): a match never
                          * spans a record end, ^ and $ are record bounds */
    RX_GREP = 1 << 6,    /* grep's dialect: RE_SYNTAX_GREP / RE_SYNTAX_EGREP, '\n' separates
                          * patterns (each numbers its own groups), dfa.c's checks */
    RX_POSIX = 1 << 7,   /* sed --posix: unmatched ) is an error, no GNU extensions */
    RX_NO_PCRE = 1 << 8, /* glibc's engine only (differential tests of the translation) */
};

/* Warnings while compiling (grep's "* at start of expression"). */
typedef void (*rx_warn_fn)(void *ctx, const char *msg);

struct rx_opts {
    enum rx_kind kind;
    unsigned flags;
    /* glibc RE_* syntax bits for RX_BRE/RX_ERE; 0 chooses the default:
     * grep's with RX_GREP, else sed's (RE_SYNTAX_POSIX_BASIC/EXTENDED without
     * RE_DOT_NOT_NULL). RE_ICASE is added for RX_ICASE. */
    unsigned long syntax;
    char eol; /* RX_LINES: the record terminator ('\n' or '\0') */
    rx_warn_fn warn;
    void *warn_ctx;
};

/* Compile pat[0..len). 0 and *out, or a negative errno with a GNU message
 * in err ("Unmatched ( or \\(", "Invalid back reference", PCRE2's texts):
 * -EINVAL for a bad pattern, -ENOMEM past the memory limit. */
int rx_compile(struct proc *p, const char *pat, size_t len, const struct rx_opts *o,
               struct rx **out, char *err, size_t errlen);
void rx_free(struct rx *r);

/* Number of subexpressions (\(...\) groups). */
size_t rx_nsub(const struct rx *r);

/* A span of the subject; so = eo = -1 when a group took no part. */
struct rx_span {
    ssize_t so, eo;
};

enum { RX_NOTBOL = 1, RX_NOTEOL = 2 };

/* Search s[start..len) for the first match; s[0..start) is context for ^,
 * \b, \< and look-behinds. nm = 0 asks only whether there is a match; nm = 1
 * wants its bounds (leftmost-longest for BRE/ERE/fixed, leftmost-first for
 * PCRE) in m[0]; nm > 1 also wants groups 1..nm-1 in m[1..]. Returns 1, 0
 * (no match) or a negative error (rx_strerror): -EINTR when the process was
 * killed, -ENOMEM, -E2BIG (PCRE2's backtracking limit), -ERANGE (nested
 * backtracking/heap limit). */
int rx_exec(struct rx *r, const char *s, size_t len, size_t start, int eflags,
            struct rx_span *m, size_t nm);

/* RX_LINES: the first record in buf[start..len) that holds a match (start
 * is the beginning of a record; the last record may lack its terminator).
 * 1 with [*rb, *re) the record without its terminator, 0 when none, or a
 * negative error as rx_exec. */
int rx_find(struct rx *r, const char *buf, size_t len, size_t start, size_t *rb, size_t *re);

/* Text of an rx_exec/rx_find error, as grep words it after "FILE: ". */
const char *rx_strerror(int err);

/* Whether the compiled pattern is a plain string (after -i/-w/-x it may
 * still need checks); for callers that pick their own fast paths. */
bool rx_is_literal(const struct rx *r, const char **lit, size_t *len);

/* Validate UTF-8: the length of the valid prefix of s[0..n). */
size_t rx_utf8_valid_prefix(const char *s, size_t n);

#endif
