/* sh/brace.c — bash brace expansion, following bash's braces.c step by
 * step (brace_gobbler, expand_amble, expand_seqterm, mkseq) so the odd
 * cases come out the same, but over "units" instead of raw text: a unit is
 * a live character (from an unquoted literal) or an opaque piece (a quoted
 * part, an escape, an expansion) that no brace rule can see into. The
 * words of a word with several brace groups are built by a loop over the
 * groups (bash recurses on the rest of the word); only nesting recurses,
 * bounded by SH_BRACE_MAX_DEPTH.
 */
#include "sh/brace.h"
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit {
    int op;          /* < 0: the live character c; else an opaque piece's index */
    unsigned char c; /* live character */
};

/* A character made by a sequence ({Z..a} makes a backslash, which bash's
 * quote removal then drops). */
#define GEN (-2)

struct uvec {
    struct unit *u;
    size_t n;
};

struct wlist {
    struct uvec *w;
    size_t n, cap;
};

struct bctx {
    size_t max_words;
    int err;
};

static bool live(const struct unit *u, size_t i, size_t n, char c)
{
    return i < n && u[i].op < 0 && u[i].c == (unsigned char)c;
}

static bool bws(const struct unit *u, size_t i, size_t n)
{
    return i < n && u[i].op < 0 && (u[i].c == ' ' || u[i].c == '\t' || u[i].c == '\n');
}

static void wl_free(struct wlist *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->w[i].u);
    free(l->w);
    memset(l, 0, sizeof *l);
}

/* Append the concatenation a + b + c (any may be NULL/empty) to l. */
static int wl_push3(struct bctx *x, struct wlist *l, const struct uvec *a, const struct unit *b,
                    size_t bn, const struct uvec *c)
{
    if (l->n >= x->max_words) return x->err = SH_BRACE_TOO_MANY;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        struct uvec *w = realloc(l->w, cap * sizeof *w);
        if (!w) return x->err = -ENOMEM;
        l->w = w, l->cap = cap;
    }
    size_t an = a ? a->n : 0, cn = c ? c->n : 0, n = an + bn + cn;
    struct unit *u = malloc((n ? n : 1) * sizeof *u);
    if (!u) return x->err = -ENOMEM;
    if (an) memcpy(u, a->u, an * sizeof *u);
    if (bn) memcpy(u + an, b, bn * sizeof *u);
    if (cn) memcpy(u + an + bn, c->u, cn * sizeof *u);
    l->w[l->n++] = (struct uvec){u, n};
    return 0;
}

/* bash's brace_gobbler: from *i, find satisfy ('{', '}' or ',') at nesting
 * level 0. For '}' only a group that held a ',' or ".." at level 0
 * counts; a '{' that stands alone ("{ " or "{}" at the start) is skipped.
 * start: where the text being scanned begins. */
static bool gobble(const struct unit *u, size_t n, size_t start, size_t *i, char satisfy)
{
    int level = 0, commas = satisfy == '}' ? 0 : 1;
    for (size_t k = *i; k < n; k++) {
        if (u[k].op >= 0) continue;
        char c = (char)u[k].c;
        if (c == satisfy && level == 0 && commas > 0) {
            if (c == '{' && (k == start || bws(u, k - 1, n)) &&
                (bws(u, k + 1, n) || live(u, k + 1, n, '}')))
                continue;
            *i = k;
            return true;
        }
        if (c == '{')
            level++;
        else if (c == '}' && level)
            level--;
        else if (satisfy == '}' && c == ',' && level == 0)
            commas++;
        else if (satisfy == '}' && c == '.' && live(u, k + 1, n, '.') && !live(u, k + 2, n, '}') &&
                 level == 0)
            commas++;
    }
    *i = n;
    return false;
}

/* ---- sequences ------------------------------------------------------------ */

enum { ST_BAD, ST_INT, ST_CHAR, ST_ZINT };

static bool legal_number(const char *s, intmax_t *v)
{
    char *ep;
    errno = 0;
    *v = strtoimax(s, &ep, 10);
    if (errno || ep == s) return false;
    while (*ep == ' ' || *ep == '\t') ep++;
    return *ep == 0;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int push_str(struct bctx *x, struct wlist *l, const char *s)
{
    size_t n = strlen(s);
    struct unit tmp[64];
    for (size_t i = 0; i < n && i < 64; i++) tmp[i] = (struct unit){GEN, (unsigned char)s[i]};
    return wl_push3(x, l, NULL, tmp, n < 64 ? n : 64, NULL);
}

/* bash's mkseq. */
static int mkseq(struct bctx *x, struct wlist *l, intmax_t start, intmax_t end, intmax_t incr,
                 int type, int width)
{
    if (incr == 0) incr = 1;
    if (start > end && incr > 0)
        incr = -incr;
    else if (start < end && incr < 0)
        incr = -incr;
    /* end - start must not overflow (bash's SUBOVERFLOW with its margins) */
    if ((start < 0 && end > INTMAX_MAX - 2 + start) || (start > 0 && end < INTMAX_MIN + 3 + start))
        return 1;
    intmax_t prevn = end - start < 0 ? start - end : end - start;
    intmax_t aincr = incr < 0 ? (incr == INTMAX_MIN ? INTMAX_MAX : -incr) : incr;
    if (prevn / aincr > INT_MAX - 3) return 1;
    intmax_t n = start;
    char buf[64];
    for (;;) {
        if (type == ST_INT)
            snprintf(buf, sizeof buf, "%jd", n);
        else if (type == ST_ZINT)
            snprintf(buf, sizeof buf, "%0*d", width, (int)n);
        else
            buf[0] = (char)n, buf[1] = 0;
        if (push_str(x, l, buf)) return -1;
        intmax_t next;
        if (__builtin_add_overflow(n, incr, &next) || (incr < 0 && next < end) ||
            (incr > 0 && next > end))
            break;
        n = next;
    }
    return 0;
}

/* bash's expand_seqterm: 1 when the amble is not a sequence. */
static int seqterm(struct bctx *x, const struct unit *u, size_t n, struct wlist *out)
{
    char text[128];
    if (n >= sizeof text) return 1;
    for (size_t i = 0; i < n; i++) {
        if (u[i].op >= 0 || !u[i].c) return 1;
        text[i] = (char)u[i].c;
    }
    text[n] = 0;
    char *t = strstr(text, "..");
    if (!t) return 1;
    *t = 0;
    char *lhs = text, *rhs = t + 2;
    if (!*lhs || !*rhs) return 1;
    size_t lhs_l = strlen(lhs);
    intmax_t tl = 0, tr = 0, incr = 1;
    int lhs_t = legal_number(lhs, &tl) ? ST_INT : (is_alpha(lhs[0]) && !lhs[1]) ? ST_CHAR : ST_BAD;
    int rhs_t;
    char *ep = NULL;
    if (is_digit(rhs[0]) || ((rhs[0] == '+' || rhs[0] == '-') && is_digit(rhs[1]))) {
        rhs_t = ST_INT;
        errno = 0;
        tr = strtoimax(rhs, &ep, 10);
        if (errno == ERANGE || (*ep && *ep != '.')) rhs_t = ST_BAD;
    } else if (is_alpha(rhs[0]) && (!rhs[1] || rhs[1] == '.')) {
        rhs_t = ST_CHAR;
        ep = rhs + 1;
    } else {
        rhs_t = ST_BAD;
    }
    size_t rtlen = 0;
    if (rhs_t != ST_BAD) {
        char *oep = ep;
        errno = 0;
        if (ep[0] == '.' && ep[1] == '.' && ep[2]) incr = strtoimax(ep + 2, &ep, 10);
        if (*ep || errno == ERANGE) rhs_t = ST_BAD;
        rtlen = (size_t)(oep - rhs);
    }
    if (lhs_t != rhs_t || lhs_t == ST_BAD) return 1;
    intmax_t lo, hi;
    int width = 1;
    if (lhs_t == ST_CHAR) {
        lo = (unsigned char)lhs[0];
        hi = (unsigned char)rhs[0];
    } else {
        lo = tl, hi = tr;
        if (lhs_l > 1 && lhs[0] == '0') width = (int)lhs_l, lhs_t = ST_ZINT;
        if (lhs_l > 2 && lhs[0] == '-' && lhs[1] == '0') width = (int)lhs_l, lhs_t = ST_ZINT;
        if (rtlen > 1 && rhs[0] == '0' && width < (int)rtlen) width = (int)rtlen, lhs_t = ST_ZINT;
        if (rtlen > 2 && rhs[0] == '-' && rhs[1] == '0' && width < (int)rtlen)
            width = (int)rtlen, lhs_t = ST_ZINT;
    }
    return mkseq(x, out, lo, hi, incr, lhs_t, width);
}

/* ---- expansion ---------------------------------------------------------- */

static int expand(struct bctx *x, const struct unit *u, size_t n, int depth, struct wlist *out);

/* bash's expand_amble: split at level-0 commas, expand each piece. */
static int expand_amble(struct bctx *x, const struct unit *u, size_t n, int depth,
                        struct wlist *out)
{
    size_t start = 0, i = 0;
    for (;;) {
        bool more = gobble(u, n, 0, &i, ',');
        if (expand(x, u + start, i - start, depth, out)) return -1;
        if (!more) return 0;
        start = ++i;
    }
}

/* Every element of cur followed by pre and then each of tack. */
static int product(struct bctx *x, struct wlist *cur, const struct unit *pre, size_t pn,
                   const struct wlist *tack)
{
    struct wlist next = {0};
    for (size_t i = 0; i < cur->n; i++)
        for (size_t j = 0; j < tack->n; j++) {
            struct uvec mid = {(struct unit *)pre, pn};
            struct uvec head;
            /* head = cur[i] + pre, then + tack[j] */
            head = cur->w[i];
            struct unit *tmp = malloc((head.n + pn + 1) * sizeof *tmp);
            if (!tmp) {
                wl_free(&next);
                return x->err = -ENOMEM;
            }
            memcpy(tmp, head.u, head.n * sizeof *tmp);
            memcpy(tmp + head.n, mid.u, pn * sizeof *tmp);
            struct uvec h2 = {tmp, head.n + pn};
            int rc = wl_push3(x, &next, &h2, NULL, 0, &tack->w[j]);
            free(tmp);
            if (rc) {
                wl_free(&next);
                return rc;
            }
        }
    wl_free(cur);
    *cur = next;
    return 0;
}

static int expand(struct bctx *x, const struct unit *u, size_t n, int depth, struct wlist *out)
{
    if (depth > SH_BRACE_MAX_DEPTH) return x->err = SH_BRACE_TOO_DEEP;
    struct wlist cur = {0}, tack = {0};
    if (wl_push3(x, &cur, NULL, NULL, 0, NULL)) return -1;
    size_t pos = 0;
    for (;;) {
        size_t i = pos, j = 0;
        bool found = false;
        while (gobble(u, n, pos, &i, '{')) {
            j = i + 1;
            if (gobble(u, n, pos, &j, '}')) {
                found = true;
                break;
            }
            i++;
        }
        const struct unit *rest = u + pos;
        size_t rest_n = n - pos;
        if (!found) goto tail;
        const struct unit *amble = u + i + 1;
        size_t alen = j - i - 1;
        bool comma = false;
        for (size_t k = 0; k < alen; k++)
            if (live(amble, k, alen, ',')) comma = true;
        if (!comma) {
            int rc = seqterm(x, amble, alen, &tack);
            if (rc < 0) goto fail;
            if (rc > 0) {
                wl_free(&tack);
                if (j + 1 >= n) goto tail;
                /* not a sequence, but more follows: keep {..} literal */
                if (wl_push3(x, &tack, NULL, u + i, j - i + 1, NULL)) goto fail;
            }
        } else if (expand_amble(x, amble, alen, depth + 1, &tack)) {
            goto fail;
        }
        if (product(x, &cur, u + pos, i - pos, &tack)) goto fail;
        wl_free(&tack);
        pos = j + 1;
        if (pos >= n) break;
        continue;
    tail:
        for (size_t k = 0; k < cur.n; k++) {
            struct uvec r = {(struct unit *)rest, rest_n};
            struct unit *w = realloc(cur.w[k].u, (cur.w[k].n + rest_n + 1) * sizeof *w);
            if (!w) goto fail_nomem;
            memcpy(w + cur.w[k].n, r.u, rest_n * sizeof *w);
            cur.w[k].u = w;
            cur.w[k].n += rest_n;
        }
        break;
    }
    for (size_t k = 0; k < cur.n; k++) {
        if (out->n >= x->max_words) {
            x->err = SH_BRACE_TOO_MANY;
            goto fail;
        }
        if (wl_push3(x, out, &cur.w[k], NULL, 0, NULL)) goto fail;
    }
    wl_free(&cur);
    return 0;
fail_nomem:
    x->err = -ENOMEM;
fail:
    wl_free(&cur);
    wl_free(&tack);
    if (!x->err) x->err = -ENOMEM;
    return -1;
}

/* ---- words ---------------------------------------------------------------- */

bool sh_brace_maybe(const struct sh_word *w)
{
    for (const struct sh_wpart *p = w->parts; p; p = p->next)
        if (p->kind == SH_WP_LIT && memchr(p->text, '{', p->len)) return true;
    return false;
}

static int to_units(const struct sh_word *w, struct unit **out, size_t *n,
                    const struct sh_wpart ***parts)
{
    size_t cap = 0, np = 0;
    for (const struct sh_wpart *p = w->parts; p; p = p->next) {
        cap += p->kind == SH_WP_LIT ? p->len : 1;
        np++;
    }
    *out = malloc((cap + 1) * sizeof **out);
    *parts = malloc((np + 1) * sizeof **parts);
    if (!*out || !*parts) return -ENOMEM;
    size_t k = 0, pi = 0;
    for (const struct sh_wpart *p = w->parts; p; p = p->next, pi++) {
        (*parts)[pi] = p;
        if (p->kind == SH_WP_LIT)
            for (size_t i = 0; i < p->len; i++)
                (*out)[k++] = (struct unit){-1, (unsigned char)p->text[i]};
        else
            (*out)[k++] = (struct unit){(int)pi, 0};
    }
    *n = k;
    return 0;
}

static struct sh_word *build_word(struct sh_arena *a, const struct sh_word *w,
                                  const struct sh_wpart **parts, const struct uvec *v)
{
    struct sh_word *nw = sh_arena_alloc(a, sizeof *nw);
    if (!nw) return NULL;
    nw->text = w->text;
    nw->flags = w->flags;
    nw->assign = w->assign;
    struct sh_wpart **tail = &nw->parts;
    for (size_t i = 0; i < v->n;) {
        struct sh_wpart *p = sh_arena_alloc(a, sizeof *p);
        if (!p) return NULL;
        if (v->u[i].op >= 0) {
            *p = *parts[v->u[i].op];
            p->next = NULL;
            i++;
        } else {
            size_t j = i;
            while (j < v->n && v->u[j].op < 0) j++;
            char *t = sh_arena_alloc(a, j - i + 1);
            if (!t) return NULL;
            size_t len = 0;
            for (size_t k = i; k < j; k++)
                if (v->u[k].c != '\\' || v->u[k].op != GEN) t[len++] = (char)v->u[k].c;
            p->kind = SH_WP_LIT;
            p->text = t;
            p->len = len;
            i = j;
        }
        *tail = p;
        tail = &p->next;
    }
    return nw;
}

int sh_brace_expand(struct sh_arena *a, const struct sh_word *w, size_t max_words,
                    struct sh_word **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    struct unit *u = NULL;
    const struct sh_wpart **parts = NULL;
    size_t n;
    struct bctx x = {max_words ? max_words : 1, 0};
    struct wlist res = {0};
    int rc = to_units(w, &u, &n, &parts);
    if (rc == 0 && expand(&x, u, n, 0, &res)) rc = x.err ? x.err : -ENOMEM;
    struct sh_word **tail = out;
    for (size_t i = 0; rc == 0 && i < res.n; i++) {
        struct sh_word *nw = build_word(a, w, parts, &res.w[i]);
        if (!nw) {
            rc = -ENOMEM;
            break;
        }
        *tail = nw;
        tail = &nw->next;
        (*count)++;
    }
    if (rc) *out = NULL, *count = 0;
    wl_free(&res);
    free(u);
    free(parts);
    return rc;
}

/* ---- strings ---------------------------------------------------------------- */

/* The end of the opaque piece at s[i] (quotes, escapes, ${..}, $(..),
 * <(..) >(..)), or i when s[i] is a live character. */
static size_t opaque_end(const char *s, size_t i)
{
    char c = s[i];
    if (c == '\\') return s[i + 1] ? i + 2 : i + 1;
    if (c == '\'' || c == '`') {
        const char *e = strchr(s + i + 1, c);
        return e ? (size_t)(e - s) + 1 : strlen(s);
    }
    if (c == '"') {
        size_t k = i + 1;
        while (s[k] && s[k] != '"') k += (s[k] == '\\' && s[k + 1]) ? 2 : 1;
        return s[k] ? k + 1 : k;
    }
    if ((c == '$' && (s[i + 1] == '{' || s[i + 1] == '(')) ||
        ((c == '<' || c == '>') && s[i + 1] == '(')) {
        char open = s[i + 1], close = open == '{' ? '}' : ')';
        int level = 0;
        size_t k = i + 1;
        for (; s[k]; k++) {
            if (s[k] == '\\' && s[k + 1])
                k++;
            else if (s[k] == open)
                level++;
            else if (s[k] == close && --level == 0)
                return k + 1;
        }
        return k;
    }
    return i;
}

int sh_brace_expand_str(const char *s, size_t max_words, char ***out, size_t *count)
{
    *out = NULL;
    *count = 0;
    size_t len = strlen(s), n = 0, nop = 0;
    struct unit *u = malloc((len + 1) * sizeof *u);
    size_t(*spans)[2] = malloc((len + 1) * sizeof *spans);
    struct bctx x = {max_words ? max_words : 1, 0};
    struct wlist res = {0};
    int rc = u && spans ? 0 : -ENOMEM;
    for (size_t i = 0; rc == 0 && i < len;) {
        size_t e = opaque_end(s, i);
        if (e == i) {
            u[n++] = (struct unit){-1, (unsigned char)s[i++]};
        } else {
            spans[nop][0] = i, spans[nop][1] = e;
            u[n++] = (struct unit){(int)nop++, 0};
            i = e;
        }
    }
    if (rc == 0 && expand(&x, u, n, 0, &res)) rc = x.err ? x.err : -ENOMEM;
    char **v = rc ? NULL : calloc(res.n + 1, sizeof *v);
    if (!rc && !v) rc = -ENOMEM;
    for (size_t i = 0; rc == 0 && i < res.n; i++) {
        size_t l = 0;
        for (size_t k = 0; k < res.w[i].n; k++) {
            const struct unit *t = &res.w[i].u[k];
            l += t->op < 0 ? 1 : spans[t->op][1] - spans[t->op][0];
        }
        char *w = malloc(l + 1), *o = w;
        if (!w) {
            rc = -ENOMEM;
            break;
        }
        for (size_t k = 0; k < res.w[i].n; k++) {
            const struct unit *t = &res.w[i].u[k];
            if (t->op < 0) {
                *o++ = (char)t->c;
            } else {
                memcpy(o, s + spans[t->op][0], spans[t->op][1] - spans[t->op][0]);
                o += spans[t->op][1] - spans[t->op][0];
            }
        }
        *o = 0;
        v[i] = w;
    }
    if (rc) {
        sh_brace_free(v);
    } else {
        *out = v;
        *count = res.n;
    }
    wl_free(&res);
    free(u);
    free(spans);
    return rc;
}

void sh_brace_free(char **v)
{
    if (!v) return;
    for (char **p = v; *p; p++) free(*p);
    free(v);
}
