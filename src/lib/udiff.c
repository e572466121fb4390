/* udiff.c — unified diff of two buffers, line for line what GNU diffutils
 * 3.8 prints for `diff -u` on ordinary text. The steps are GNU's (analyze.c
 * and diffseq.h), rewritten small:
 *   1. lines become equivalence classes (same bytes, the newline included,
 *      so a last line without one differs from the same line with one);
 *   2. discard_confusing_lines: lines with no match in the other file are
 *      changes for sure and leave the search, as do runs of lines with
 *      very many matches inside such runs;
 *   3. compareseq: Myers' O(ND) search for the middle snake, recursively
 *      (no "too expensive" heuristic: vos never gives up on minimality);
 *   4. shift_boundaries: slide each run of changes to merge with its
 *      neighbours and to end where the other file's changes end;
 *   5. hunks: changes less than 2*context+1 lines apart share one.
 */
#include "lib/udiff.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct line {
    const char *s;
    size_t n; /* with its '\n' when it has one */
};

struct file {
    struct line *lines;
    long n;
    long *equivs;
    char *changed; /* n + 2, indexed from -1 */
    long *undiscarded, *realindex;
    long nundiscarded;
};

static long split(const char *s, size_t len, struct line **out)
{
    long n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n') n++;
    if (len && s[len - 1] != '\n') n++;
    struct line *v = malloc(((size_t)n + 1) * sizeof *v);
    if (!v) return -1;
    long k = 0;
    for (size_t i = 0; i < len;) {
        const char *e = memchr(s + i, '\n', len - i);
        size_t l = e ? (size_t)(e - (s + i)) + 1 : len - i;
        v[k++] = (struct line){s + i, l};
        i += l;
    }
    *out = v;
    return n;
}

static uint64_t hash_line(const struct line *l)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < l->n; i++) h = (h ^ (unsigned char)l->s[i]) * 1099511628211ull;
    return h;
}

/* Give every line its class number (from 1); returns the count + 1. */
static long classify(struct file *f)
{
    long total = f[0].n + f[1].n;
    size_t cap = 16;
    while (cap < (size_t)total * 2) cap *= 2;
    long *slot = malloc(cap * sizeof *slot); /* class of the slot, 0 empty */
    const struct line **rep = malloc(((size_t)total + 1) * sizeof *rep);
    if (!slot || !rep) {
        free(slot);
        free(rep);
        return -1;
    }
    memset(slot, 0, cap * sizeof *slot);
    long next = 1;
    for (int k = 0; k < 2; k++)
        for (long i = 0; i < f[k].n; i++) {
            const struct line *l = &f[k].lines[i];
            size_t j = (size_t)hash_line(l) & (cap - 1);
            while (slot[j]) {
                const struct line *r = rep[slot[j]];
                if (r->n == l->n && !memcmp(r->s, l->s, l->n)) break;
                j = (j + 1) & (cap - 1);
            }
            if (!slot[j]) {
                slot[j] = next;
                rep[next++] = l;
            }
            f[k].equivs[i] = slot[j];
        }
    free(slot);
    free(rep);
    return next;
}

static int discard_confusing_lines(struct file *f, long nclasses)
{
    long *counts[2];
    counts[0] = calloc((size_t)nclasses * 2, sizeof(long));
    char *disc[2];
    disc[0] = calloc((size_t)(f[0].n + f[1].n + 1), 1);
    if (!counts[0] || !disc[0]) {
        free(counts[0]);
        free(disc[0]);
        return -1;
    }
    counts[1] = counts[0] + nclasses;
    disc[1] = disc[0] + f[0].n;
    for (int k = 0; k < 2; k++)
        for (long i = 0; i < f[k].n; i++) counts[k][f[k].equivs[i]]++;
    for (int k = 0; k < 2; k++) {
        long end = f[k].n, many = 5, tem = end / 64;
        while ((tem = tem >> 2) > 0) many *= 2;
        for (long i = 0; i < end; i++) {
            long nmatch = counts[1 - k][f[k].equivs[i]];
            if (nmatch == 0)
                disc[k][i] = 1;
            else if (nmatch > many)
                disc[k][i] = 2;
        }
    }
    for (int k = 0; k < 2; k++) {
        long end = f[k].n;
        char *d = disc[k];
        for (long i = 0; i < end; i++) {
            if (d[i] == 2) {
                d[i] = 0;
                continue;
            }
            if (d[i] == 0) continue;
            long j, provisional = 0;
            for (j = i; j < end; j++) {
                if (d[j] == 0) break;
                if (d[j] == 2) provisional++;
            }
            while (j > i && d[j - 1] == 2) d[--j] = 0, provisional--;
            long length = j - i;
            if (provisional * 4 > length) {
                while (j > i)
                    if (d[--j] == 2) d[j] = 0;
            } else {
                long consec, minimum = 1, t = length >> 2;
                while (0 < (t >>= 2)) minimum <<= 1;
                minimum++;
                for (j = 0, consec = 0; j < length; j++)
                    if (d[i + j] != 2)
                        consec = 0;
                    else if (minimum == ++consec)
                        j -= consec;
                    else if (minimum < consec)
                        d[i + j] = 0;
                for (j = 0, consec = 0; j < length; j++) {
                    if (j >= 8 && d[i + j] == 1) break;
                    if (d[i + j] == 2)
                        consec = 0, d[i + j] = 0;
                    else if (d[i + j] == 0)
                        consec = 0;
                    else
                        consec++;
                    if (consec == 3) break;
                }
                i += length - 1;
                for (j = 0, consec = 0; j < length; j++) {
                    if (j >= 8 && d[i - j] == 1) break;
                    if (d[i - j] == 2)
                        consec = 0, d[i - j] = 0;
                    else if (d[i - j] == 0)
                        consec = 0;
                    else
                        consec++;
                    if (consec == 3) break;
                }
            }
        }
    }
    for (int k = 0; k < 2; k++) {
        long j = 0;
        for (long i = 0; i < f[k].n; i++)
            if (disc[k][i] == 0) {
                f[k].undiscarded[j] = f[k].equivs[i];
                f[k].realindex[j++] = i;
            } else
                f[k].changed[i] = 1;
        f[k].nundiscarded = j;
    }
    free(counts[0]);
    free(disc[0]);
    return 0;
}

/* ---- compareseq (diffseq.h) ------------------------------------------- */

struct ctx {
    const long *xv, *yv;
    char *xchg, *ychg; /* changed flags by real index */
    const long *xreal, *yreal;
    long *fdiag, *bdiag;
};

static void diag(struct ctx *c, long xoff, long xlim, long yoff, long ylim, long *xmid, long *ymid)
{
    long *const fd = c->fdiag, *const bd = c->bdiag;
    const long *xv = c->xv, *yv = c->yv;
    const long dmin = xoff - ylim, dmax = xlim - yoff;
    const long fmid = xoff - yoff, bmid = xlim - ylim;
    long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    int odd = (fmid - bmid) & 1;
    fd[fmid] = xoff;
    bd[bmid] = xlim;
    for (;;) {
        long d;
        if (fmin > dmin)
            fd[--fmin - 1] = -1;
        else
            ++fmin;
        if (fmax < dmax)
            fd[++fmax + 1] = -1;
        else
            --fmax;
        for (d = fmax; d >= fmin; d -= 2) {
            long x, y, tlo = fd[d - 1], thi = fd[d + 1];
            long x0 = tlo < thi ? thi : tlo + 1;
            for (x = x0, y = x0 - d; x < xlim && y < ylim && xv[x] == yv[y]; x++, y++) continue;
            fd[d] = x;
            if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
                *xmid = x;
                *ymid = y;
                return;
            }
        }
        if (bmin > dmin)
            bd[--bmin - 1] = LONG_MAX;
        else
            ++bmin;
        if (bmax < dmax)
            bd[++bmax + 1] = LONG_MAX;
        else
            --bmax;
        for (d = bmax; d >= bmin; d -= 2) {
            long x, y, tlo = bd[d - 1], thi = bd[d + 1];
            long x0 = tlo < thi ? tlo : thi - 1;
            for (x = x0, y = x0 - d; xoff < x && yoff < y && xv[x - 1] == yv[y - 1]; x--, y--)
                continue;
            bd[d] = x;
            if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
                *xmid = x;
                *ymid = y;
                return;
            }
        }
    }
}

static void compareseq(struct ctx *c, long xoff, long xlim, long yoff, long ylim)
{
    const long *xv = c->xv, *yv = c->yv;
    while (xoff < xlim && yoff < ylim && xv[xoff] == yv[yoff]) xoff++, yoff++;
    while (xoff < xlim && yoff < ylim && xv[xlim - 1] == yv[ylim - 1]) xlim--, ylim--;
    if (xoff == xlim) {
        while (yoff < ylim) c->ychg[c->yreal[yoff++]] = 1;
    } else if (yoff == ylim) {
        while (xoff < xlim) c->xchg[c->xreal[xoff++]] = 1;
    } else {
        long xmid, ymid;
        diag(c, xoff, xlim, yoff, ylim, &xmid, &ymid);
        compareseq(c, xoff, xmid, yoff, ymid);
        compareseq(c, xmid, xlim, ymid, ylim);
    }
}

static void shift_boundaries(struct file *f)
{
    for (int k = 0; k < 2; k++) {
        char *changed = f[k].changed, *other = f[1 - k].changed;
        const long *equivs = f[k].equivs;
        long i = 0, j = 0, i_end = f[k].n;
        for (;;) {
            long runlength, start, corresponding;
            while (i < i_end && !changed[i]) {
                while (other[j++]) continue;
                i++;
            }
            if (i == i_end) break;
            start = i;
            while (changed[++i]) continue;
            while (other[j]) j++;
            do {
                runlength = i - start;
                while (start && equivs[start - 1] == equivs[i - 1]) {
                    changed[--start] = 1;
                    changed[--i] = 0;
                    while (changed[start - 1]) start--;
                    while (other[--j]) continue;
                }
                corresponding = other[j - 1] ? i : i_end;
                while (i != i_end && equivs[start] == equivs[i]) {
                    changed[start++] = 0;
                    changed[i++] = 1;
                    while (changed[i]) i++;
                    while (other[++j]) corresponding = i;
                }
            } while (runlength != i - start);
            while (corresponding < i) {
                changed[--start] = 1;
                changed[--i] = 0;
                while (other[--j]) continue;
            }
        }
    }
}

/* ---- output ---------------------------------------------------------------- */

struct change {
    long line0, line1, deleted, inserted;
};

static void put_range(char *buf, size_t n, long a, long count)
{
    if (count == 0)
        snprintf(buf, n, "%ld,0", a);
    else if (count == 1)
        snprintf(buf, n, "%ld", a + 1);
    else
        snprintf(buf, n, "%ld,%ld", a + 1, count);
}

static void put_line(udiff_out_fn out, void *ctx, char mark, const struct line *l)
{
    out(ctx, &mark, 1);
    out(ctx, l->s, l->n);
    if (!l->n || l->s[l->n - 1] != '\n') out(ctx, "\n\\ No newline at end of file\n", 29);
}

static void print_hunks(struct file *f, struct change *ch, long nch, long context, udiff_out_fn out,
                        void *ctx)
{
    for (long h = 0; h < nch;) {
        long e = h;
        while (e + 1 < nch && ch[e + 1].line0 - (ch[e].line0 + ch[e].deleted) < 2 * context + 1)
            e++;
        long first0 = ch[h].line0 - context, first1 = ch[h].line1 - context;
        if (first0 < 0) first0 = 0;
        if (first1 < 0) first1 = 0;
        long last0 = ch[e].line0 + ch[e].deleted + context;
        long last1 = ch[e].line1 + ch[e].inserted + context;
        if (last0 > f[0].n) last0 = f[0].n;
        if (last1 > f[1].n) last1 = f[1].n;
        char r0[64], r1[64], head[160];
        put_range(r0, sizeof r0, first0, last0 - first0);
        put_range(r1, sizeof r1, first1, last1 - first1);
        int hl = snprintf(head, sizeof head, "@@ -%s +%s @@\n", r0, r1);
        out(ctx, head, (size_t)hl);
        long i = first0, j = first1, next = h;
        while (i < last0 || j < last1) {
            if (next > e || i < ch[next].line0) {
                put_line(out, ctx, ' ', &f[0].lines[i++]);
                j++;
            } else {
                for (long k = 0; k < ch[next].deleted; k++)
                    put_line(out, ctx, '-', &f[0].lines[i++]);
                for (long k = 0; k < ch[next].inserted; k++)
                    put_line(out, ctx, '+', &f[1].lines[j++]);
                next++;
            }
        }
        h = e + 1;
    }
}

int udiff(const char *a, size_t alen, const char *b, size_t blen, int context, udiff_out_fn out,
          void *ctx)
{
    struct file f[2];
    memset(f, 0, sizeof f);
    int r = -ENOMEM;
    struct change *ch = NULL;
    long *diags = NULL;
    f[0].n = split(a, alen, &f[0].lines);
    f[1].n = split(b, blen, &f[1].lines);
    if (f[0].n < 0 || f[1].n < 0) goto out;
    for (int k = 0; k < 2; k++) {
        size_t n = (size_t)f[k].n + 2;
        f[k].equivs = malloc(n * sizeof(long));
        f[k].undiscarded = malloc(n * sizeof(long));
        f[k].realindex = malloc(n * sizeof(long));
        char *chg = calloc(n, 1);
        if (!f[k].equivs || !f[k].undiscarded || !f[k].realindex || !chg) {
            free(chg);
            goto out;
        }
        f[k].changed = chg + 1;
    }
    long ncl = classify(f);
    if (ncl < 0 || discard_confusing_lines(f, ncl) < 0) goto out;
    long nx = f[0].nundiscarded, ny = f[1].nundiscarded;
    diags = malloc(((size_t)(nx + ny) + 3) * 2 * sizeof *diags);
    if (!diags) goto out;
    struct ctx c = {
        f[0].undiscarded, f[1].undiscarded, f[0].changed,   f[1].changed,
        f[0].realindex,   f[1].realindex,   diags + ny + 1, diags + ny + 1 + (nx + ny + 3)};
    compareseq(&c, 0, nx, 0, ny);
    shift_boundaries(f);
    long nch = 0, cap = 0;
    for (long i0 = 0, i1 = 0; i0 < f[0].n || i1 < f[1].n; i0++, i1++) {
        if (!(f[0].changed[i0] | f[1].changed[i1])) continue;
        long l0 = i0, l1 = i1;
        while (i0 < f[0].n && f[0].changed[i0]) i0++;
        while (i1 < f[1].n && f[1].changed[i1]) i1++;
        if (nch == cap) {
            cap = cap ? cap * 2 : 16;
            struct change *nc = realloc(ch, (size_t)cap * sizeof *nc);
            if (!nc) goto out;
            ch = nc;
        }
        ch[nch++] = (struct change){l0, l1, i0 - l0, i1 - l1};
    }
    print_hunks(f, ch, nch, context, out, ctx);
    r = 0;
out:
    for (int k = 0; k < 2; k++) {
        free(f[k].lines);
        free(f[k].equivs);
        free(f[k].undiscarded);
        free(f[k].realindex);
        if (f[k].changed) free(f[k].changed - 1);
    }
    free(ch);
    free(diags);
    return r;
}
