/* lib/printf.h — the printf engine shared by the bash `printf` builtin
 * (sh/bi_printf.c) and the coreutils `printf` command (cmd/printf.c).
 *
 * The two dialects read the same format language but differ in the details
 * users see: bash has %q/%Q, %(fmt)T, %n and `printf: abc: invalid number`;
 * coreutils has `printf: ‘abc’: expected a numeric value`, \c that ends all
 * output, no width on %b. Numbers are converted with the host's snprintf
 * (the same glibc bash and coreutils use), one directive at a time.
 *
 * Output goes to a pf_out: a growable buffer that is handed to a flush
 * callback every PF_FLUSH_AT bytes (stdout), or kept whole (printf -v).
 */
#ifndef VOS_LIB_PRINTF_H
#define VOS_LIB_PRINTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct proc;

#define PF_FLUSH_AT 65536

struct pf_out {
    char *buf; /* host malloc */
    size_t len, cap;
    size_t max;   /* most bytes held at once (0: no limit); past it err = -EFBIG */
    size_t total; /* bytes written so far, flushed or not */
    /* NULL: keep everything in buf. Else called with the buffered bytes;
     * returns 0 or a negative errno (which ends the run). */
    int (*flush)(void *ud, const void *buf, size_t n);
    void *ud;
    int err;
};

void pf_out_write(struct pf_out *o, const void *data, size_t n);
void pf_out_putc(struct pf_out *o, char c);
int pf_out_flush(struct pf_out *o); /* 0 or o->err */
void pf_out_free(struct pf_out *o);

enum pf_dialect { PF_BASH, PF_COREUTILS };

struct pf_ctx {
    enum pf_dialect dialect;
    struct proc *p; /* for proc_check between passes */
    struct pf_out out;
    bool utf8; /* locale is UTF-8: 'é is 233, \u escapes */
    /* Diagnostics: the text after "printf: " (e.g. "abc: invalid number"). */
    void (*error)(void *ud, const char *msg);
    void *ud;
    /* bash %n: assign value to name; 0, or -1 after printing an error. */
    int (*setvar)(void *ud, const char *name, intmax_t value);
    /* bash %(fmt)T: the time now and at shell start (epoch seconds) and TZ. */
    int64_t now, start_time;
    const char *tz;
    /* results */
    int status;   /* 0, or 1 after a conversion error */
    bool stopped; /* \c ended the output */
};

/* Run fmt over the arguments, reusing it while arguments remain (and some
 * were consumed). Returns the exit status (also in c->status). An output
 * error leaves c->out.err set. */
int pf_run(struct pf_ctx *c, const char *fmt, int argc, char **argv);

/* bash's printf %q of s (backslashes, or $'...' when s has unprintable
 * characters; '' for empty). malloc'd. */
char *pf_bash_quote(const char *s, bool utf8);
/* bash's $'...' quoting of s (ansic_quote). malloc'd. */
char *pf_ansic_quote(const char *s, bool utf8);
/* Whether bash would use $'...' for s (an unprintable character). */
bool pf_ansic_shouldquote(const char *s, bool utf8);

/* Write the UTF-8 encoding of cp to out (at least 4 bytes); its length. */
int pf_utf8_encode(uint32_t cp, char *out);

/* Broken-down local time for t under a POSIX TZ value ("UTC", "EST5",
 * "UTC-09:30", ":UTC"; NULL or unknown: UTC). DST rules are not applied.
 * Sets tm_zone (static strings or a copy in zbuf[16]) and tm_gmtoff. */
void pf_localtime(const char *tz, int64_t t, struct tm *tm, char zbuf[16]);

#endif
