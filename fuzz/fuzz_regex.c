/* fuzz_regex.c — the regex layer on arbitrary patterns and subjects, and a
 * differential check of its PCRE2 translation against glibc's engine.
 * Input: byte 0 flags (1 ERE, 2 ignore case, 4 UTF-8, 8 REG_NEWLINE,
 * 16 grep's record search, 32 -w, 64 -x, 128 PCRE), then the pattern, a
 * NUL, and the subject. Every compile and match must end without a crash;
 * where both engines accept a pattern they must agree on whether and where
 * it matches (leftmost-longest bounds), except where the engines' case
 * folding or encoding-error rules differ (non-ASCII with -i; invalid UTF-8,
 * which glibc reads as Latin-1 characters in places). */
#include "kernel/kernel.h"
#include "lib/regex.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t *in_data;
static size_t in_size;

static bool ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

static void mismatch(const char *what, const char *pat, size_t pl, const char *s, size_t n,
                     unsigned flags)
{
    fprintf(stderr, "regex mismatch (%s) flags=%#x pattern='%.*s' subject='%.*s'\n", what, flags,
            (int)pl, pat, (int)n, s);
    fprintf(stderr, "subject bytes:");
    for (size_t i = 0; i < n; i++) fprintf(stderr, " %02x", (unsigned char)s[i]);
    fprintf(stderr, "\n");
    abort();
}

static int run(struct proc *p, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (in_size < 1) return 0;
    unsigned f = in_data[0];
    const char *pat = (const char *)in_data + 1;
    size_t rest = in_size - 1;
    const char *nul = memchr(pat, 0, rest);
    size_t pl = nul ? (size_t)(nul - pat) : rest;
    const char *s = nul ? nul + 1 : pat + rest;
    size_t n = nul ? rest - pl - 1 : 0;
    struct rx_opts o = {0};
    o.kind = (f & 128) ? RX_PCRE : (f & 1) ? RX_ERE : RX_BRE;
    o.flags = ((f & 2) ? RX_ICASE : 0) | ((f & 4) ? RX_UTF8 : 0);
    if (f & 16) {
        o.flags |= RX_LINES | RX_GREP | ((f & 32) ? RX_WORD : 0) | ((f & 64) ? RX_LINE : 0);
        o.eol = '\n';
    } else if (f & 8)
        o.flags |= RX_NEWLINE;
    char err[256];
    struct rx *a = NULL, *b = NULL;
    int ra = rx_compile(p, pat, pl, &o, &a, err, sizeof err);
    bool compare = o.kind != RX_PCRE && pl <= 4096 &&
                   (!(o.flags & RX_ICASE) || (ascii(pat, pl) && ascii(s, n))) &&
                   (!(o.flags & RX_UTF8) || (rx_utf8_valid_prefix(s, n) == n &&
                                             rx_utf8_valid_prefix(pat, pl) == pl)) &&
                   /* grep -E reads a leading '{' as dfa.c does, not as glibc */
                   !((f & 16) && (f & 1) && memchr(pat, '{', pl)) &&
                   /* grep -i reads "\h" as dfa.c does (glibc never matches it) */
                   !((f & 16) && (f & 2) && memchr(pat, '\\', pl));
    if (o.kind != RX_PCRE) {
        struct rx_opts ob = o;
        ob.flags |= RX_NO_PCRE;
        char errb[256];
        int rb = rx_compile(p, pat, pl, &ob, &b, errb, sizeof errb);
        /* past glibc's size the PCRE2 side still serves */
        if (rb < 0 && strcmp(errb, "Regular expression too big") == 0) compare = false;
        if (compare && (ra < 0) != (rb < 0) && ra != -ENOMEM && rb != -ENOMEM)
            mismatch("compile", pat, pl, s, n, f);
    }
    /* grep -w never takes an empty match where a longer one fails (GNU's
     * shorten-then-advance loop); the translation takes any bounded match */
    if (a && b && (o.flags & RX_WORD)) {
        struct rx_opts oc = o;
        oc.flags &= ~(RX_WORD | RX_LINE);
        struct rx *c = NULL;
        if (rx_compile(p, pat, pl, &oc, &c, err, sizeof err) == 0 &&
            rx_exec(c, "", 0, 0, 0, NULL, 0) == 1)
            compare = false;
        rx_free(c);
    }
    if (a) {
        struct rx_span ma[10], mb[10], mc[10];
        if (o.flags & RX_LINES) {
            size_t rb0, re0;
            for (size_t pos = 0; pos < n;) {
                int r = rx_find(a, s, n, pos, &rb0, &re0);
                if (r <= 0) break;
                if (re0 < rb0 || re0 > n) abort();
                pos = re0 + 1;
            }
            if (b && compare) {
                /* record by record against glibc */
                for (size_t pos = 0; pos < n;) {
                    const char *e = memchr(s + pos, '\n', n - pos);
                    size_t end = e ? (size_t)(e - s) : n;
                    int x = rx_exec(a, s + pos, end - pos, 0, 0, NULL, 0);
                    int y = rx_exec(b, s + pos, end - pos, 0, 0, NULL, 0);
                    if (x >= 0 && y >= 0 && x != y) {
                        fprintf(stderr, "pcre %d glibc %d\n", x, y);
                        mismatch("record", pat, pl, s + pos, end - pos, f);
                    }
                    x = rx_exec(a, s + pos, end - pos, 0, 0, ma, 1);
                    y = rx_exec(b, s + pos, end - pos, 0, 0, mb, 1);
                    if (x > 0 && y > 0 && (ma[0].so != mb[0].so || ma[0].eo != mb[0].eo))
                        mismatch("record bounds", pat, pl, s + pos, end - pos, f);
                    pos = end + 1;
                }
            }
        } else {
            for (int ef = 0; ef < 4; ef++) {
                int x = rx_exec(a, s, n, 0, ef, ma, 1);
                int nm = (int)rx_nsub(a) + 1 < 10 ? (int)rx_nsub(a) + 1 : 10;
                rx_exec(a, s, n, n / 2, ef, mc, (size_t)nm);
                if (b && compare) {
                    int y = rx_exec(b, s, n, 0, ef, mb, 1);
                    if (x >= 0 && y >= 0 && x != y) mismatch("match", pat, pl, s, n, f);
                    if (x > 0 && y > 0 && (ma[0].so != mb[0].so || ma[0].eo != mb[0].eo)) {
                        fprintf(stderr, "ef=%d pcre %zd..%zd glibc %zd..%zd\n", ef, ma[0].so,
                                ma[0].eo, mb[0].so, mb[0].eo);
                        mismatch("bounds", pat, pl, s, n, f);
                    }
                    x = rx_exec(a, s, n, 0, ef, NULL, 0);
                    if (x >= 0 && y >= 0 && x != y) mismatch("match0", pat, pl, s, n, f);
                }
            }
        }
    }
    rx_free(a);
    rx_free(b);
    return 0;
}

static vos_vm *vm;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!vm) vm = vos_new(NULL);
    in_data = data;
    in_size = size;
    vos_exec_opts o = {0};
    vos_result res;
    char *argv[] = {"fuzz", NULL};
    vm_exec((struct vm *)vm, &o, &res, run, 1, argv, NULL);
    vos_result_free(&res);
    return 0;
}
