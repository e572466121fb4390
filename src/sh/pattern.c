/* sh/pattern.c — bash pattern matching: compile a pattern into sequences of
 * items (character, ?, *, bracket set, extglob group), then match by
 * advancing a set of string positions through the items, one item at a
 * time. A group runs its alternatives on the whole set at once; repetition
 * is a closure over positions; !(..) runs its alternatives from each start
 * position alone and takes the complement. No backtracking, so no
 * exponential cases; a work counter bounds the polynomial ones.
 *
 * Running the items last to first over positions from the end gives the
 * suffix and "where can a match start" questions the ${v%p} and ${v/p/r}
 * operators need, in one pass each.
 */
#include "sh/pattern.h"
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* ---- characters ---------------------------------------------------------- */

#define BADBYTE 0x110000u /* an invalid byte b decodes to BADBYTE | b */

/* Length of the UTF-8 character at s[0..n), 1 for an invalid byte. */
static size_t u8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, v = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, v = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, v = c & 0x07, min = 0x10000;
    else
        goto bad;
    if (len > n) goto bad;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) goto bad;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) goto bad;
    *cp = v;
    return len;
bad:
    *cp = BADBYTE | c;
    return 1;
}

/* The C.UTF-8 character tables, made once per host process and never
 * changed after: the only shared state, read-only. */
static locale_t utf8_loc;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_init(void)
{
    utf8_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (!utf8_loc) utf8_loc = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
}

static locale_t loc(void)
{
    pthread_once(&utf8_once, utf8_init);
    return utf8_loc;
}

static uint32_t fold(uint32_t c)
{
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= BADBYTE || !loc()) return c;
    return (uint32_t)towlower_l((wint_t)c, loc());
}

static uint32_t upper(uint32_t c)
{
    if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
    if (c >= BADBYTE || !loc()) return c;
    return (uint32_t)towupper_l((wint_t)c, loc());
}

static int class_match(const char *name, size_t n, uint32_t c, bool *known)
{
    static const char *const names[] = {"alnum", "alpha",  "blank", "cntrl", "digit",
                                        "graph", "lower",  "print", "punct", "space",
                                        "upper", "xdigit", "word",  "ascii"};
    int k = -1;
    for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
        if (strlen(names[i]) == n && !memcmp(names[i], name, n)) k = i;
    *known = k >= 0;
    if (k < 0 || c >= BADBYTE) return 0;
    if (k == 13) return c < 0x80;
    if (c < 0x80) {
        switch (k) {
        case 0: return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
        case 1: return (c | 32) >= 'a' && (c | 32) <= 'z';
        case 2: return c == ' ' || c == '\t';
        case 3: return c < 32 || c == 127;
        case 4: return c >= '0' && c <= '9';
        case 5: return c > 32 && c < 127;
        case 6: return c >= 'a' && c <= 'z';
        case 7: return c >= 32 && c < 127;
        case 8:
            return c > 32 && c < 127 &&
                   !((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'));
        case 9: return c == ' ' || (c >= '\t' && c <= '\r');
        case 10: return c >= 'A' && c <= 'Z';
        case 11: return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f');
        case 12: return c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
        }
    }
    locale_t l = loc();
    if (!l) return 0;
    wint_t w = (wint_t)c;
    switch (k) {
    case 0: return iswalnum_l(w, l);
    case 1: return iswalpha_l(w, l);
    case 2: return iswblank_l(w, l);
    case 3: return iswcntrl_l(w, l);
    case 4: return iswdigit_l(w, l);
    case 5: return iswgraph_l(w, l);
    case 6: return iswlower_l(w, l);
    case 7: return iswprint_l(w, l);
    case 8: return iswpunct_l(w, l);
    case 9: return iswspace_l(w, l);
    case 10: return iswupper_l(w, l);
    case 11: return iswxdigit_l(w, l);
    case 12: return iswalnum_l(w, l);
    }
    return 0;
}

/* ---- bracket expressions --------------------------------------------------- */

/* pat[i] == '['. The index just past the closing ']', or 0 when the bracket
 * is not closed (then '[' is an ordinary character). */
static size_t bracket_end(const char *pat, size_t i)
{
    size_t j = i + 1;
    if (pat[j] == '!' || pat[j] == '^') j++;
    if (pat[j] == ']') j++;
    while (pat[j]) {
        if (pat[j] == '[' && (pat[j + 1] == ':' || pat[j + 1] == '=' || pat[j + 1] == '.')) {
            char d = pat[j + 1];
            size_t k = j + 2;
            while (pat[k] && !(pat[k] == d && pat[k + 1] == ']')) k++;
            if (pat[k]) {
                j = k + 2;
                continue;
            }
            j++;
            continue;
        }
        if (pat[j] == '\\' && pat[j + 1]) {
            j += 2;
            continue;
        }
        if (pat[j] == ']') return j + 1;
        j++;
    }
    return 0;
}

/* One endpoint of a bracket item at pat[*j] (before end): a character, an
 * escaped one, or [.c.]. */
static uint32_t bracket_char(const char *pat, size_t *j, size_t end)
{
    uint32_t c;
    if (pat[*j] == '[' && pat[*j + 1] == '.') {
        size_t k = *j + 2;
        while (k + 1 < end && !(pat[k] == '.' && pat[k + 1] == ']')) k++;
        if (k + 1 < end) {
            size_t len = u8_len((const unsigned char *)pat + *j + 2, k - *j - 2, &c);
            if (k - *j - 2 == 0)
                c = '.';
            else if (len != k - *j - 2)
                c = BADBYTE | 0xff; /* multi-char names: no match */
            *j = k + 2;
            return c;
        }
    }
    if (pat[*j] == '\\' && *j + 1 < end - 1) (*j)++;
    *j += u8_len((const unsigned char *)pat + *j, end - *j, &c);
    return c;
}

/* Does c match the bracket expression pat[start..end) (from '[' to past ']')? */
static bool bracket_match(const char *pat, size_t start, size_t end, uint32_t c, bool nocase)
{
    size_t j = start + 1, last = end - 1; /* pat[last] == ']' */
    bool neg = false, hit = false;
    if (pat[j] == '!' || pat[j] == '^') neg = true, j++;
    uint32_t lc = nocase ? fold(c) : c, uc = nocase ? upper(c) : c;
    (void)uc;
    while (j < last) {
        if (pat[j] == '[' && (pat[j + 1] == ':' || pat[j + 1] == '=')) {
            char d = pat[j + 1];
            size_t k = j + 2;
            while (k + 1 < end && !(pat[k] == d && pat[k + 1] == ']')) k++;
            if (k + 1 < end) {
                if (d == ':') {
                    bool known;
                    if (class_match(pat + j + 2, k - j - 2, c, &known)) hit = true;
                    if (!known) return false; /* bash: a bad class never matches */
                } else {
                    uint32_t e;
                    size_t len = u8_len((const unsigned char *)pat + j + 2, k - j - 2, &e);
                    if (len == k - j - 2 && (e == c || (nocase && fold(e) == lc))) hit = true;
                }
                j = k + 2;
                continue;
            }
        }
        uint32_t lo = bracket_char(pat, &j, end), hi = lo;
        if (pat[j] == '-' && j + 1 < last) {
            j++;
            hi = bracket_char(pat, &j, end);
        }
        if (lo <= c && c <= hi)
            hit = true;
        else if (nocase && ((lo <= lc && lc <= hi) || (lo <= uc && uc <= hi)))
            hit = true;
    }
    return hit != neg;
}

/* ---- compiled patterns ------------------------------------------------------ */

enum { K_CHAR, K_ANY, K_STAR, K_SET, K_GROUP };

struct pnode {
    unsigned char kind, op; /* op: K_GROUP's ? * + @ ! */
    int next, prev;         /* siblings in the sequence, -1 at the ends */
    uint32_t c;             /* K_CHAR (folded under NOCASE) */
    size_t a, b;            /* K_SET: [a, b) of src; K_GROUP: a = first alternative */
};

struct pseq {
    int first, last; /* node indexes, -1 when empty */
    int next_alt;    /* next alternative of the same group, -1 */
};

struct sh_pat {
    int flags;
    char *src;
    struct pnode *nodes;
    size_t nn, capn;
    struct pseq *seqs;
    size_t ns, caps;
    int top;
};

static int new_node(struct sh_pat *p, int seq, unsigned char kind)
{
    if (p->nn == p->capn) {
        size_t cap = p->capn ? p->capn * 2 : 16;
        struct pnode *n = realloc(p->nodes, cap * sizeof *n);
        if (!n) return -ENOMEM;
        p->nodes = n, p->capn = cap;
    }
    int id = (int)p->nn++;
    struct pnode *n = &p->nodes[id];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->next = -1;
    n->prev = p->seqs[seq].last;
    if (n->prev >= 0)
        p->nodes[n->prev].next = id;
    else
        p->seqs[seq].first = id;
    p->seqs[seq].last = id;
    return id;
}

static int new_seq(struct sh_pat *p)
{
    if (p->ns == p->caps) {
        size_t cap = p->caps ? p->caps * 2 : 8;
        struct pseq *s = realloc(p->seqs, cap * sizeof *s);
        if (!s) return -ENOMEM;
        p->seqs = s, p->caps = cap;
    }
    p->seqs[p->ns] = (struct pseq){-1, -1, -1};
    return (int)p->ns++;
}

/* pat[i] is an extglob operator followed by '('. The index of the matching
 * ')', or 0 when there is none. */
static size_t group_end(const char *pat, size_t i)
{
    int depth = 0;
    for (size_t j = i + 1; pat[j]; j++) {
        if (pat[j] == '\\') {
            if (!pat[j + 1]) return 0;
            j++;
        } else if (pat[j] == '[') {
            size_t e = bracket_end(pat, j);
            if (e) j = e - 1;
        } else if (pat[j] == '(') {
            depth++;
        } else if (pat[j] == ')') {
            if (--depth == 0) return j;
        }
    }
    return 0;
}

static bool is_extop(char c)
{
    return c == '?' || c == '*' || c == '+' || c == '@' || c == '!';
}

/* Parse pat[i..end) into sequence seq. */
static int parse_seq(struct sh_pat *p, size_t i, size_t end, int seq, int depth)
{
    const char *pat = p->src;
    bool ext = p->flags & SH_PAT_EXTGLOB;
    while (i < end) {
        char ch = pat[i];
        if (ext && is_extop(ch) && i + 1 < end && pat[i + 1] == '(') {
            size_t close = group_end(pat, i);
            if (close && close < end) {
                if (depth + 1 > SH_PAT_MAX_DEPTH) return SH_PAT_TOO_COMPLEX;
                int id = new_node(p, seq, K_GROUP);
                if (id < 0) return id;
                p->nodes[id].op = (unsigned char)ch;
                /* split the body at '|' outside brackets and nested parens */
                size_t s = i + 2, j = s;
                int lvl = 0, prev_alt = -1;
                for (;; j++) {
                    bool split = j == close;
                    if (!split) {
                        if (pat[j] == '\\' && j + 1 < close) {
                            j++;
                            continue;
                        }
                        if (pat[j] == '[') {
                            size_t e = bracket_end(pat, j);
                            if (e && e <= close) j = e - 1;
                            continue;
                        }
                        if (pat[j] == '(')
                            lvl++;
                        else if (pat[j] == ')')
                            lvl--;
                        else if (pat[j] == '|' && lvl == 0)
                            split = true;
                    }
                    if (!split) continue;
                    int alt = new_seq(p);
                    if (alt < 0) return alt;
                    if (prev_alt < 0)
                        p->nodes[id].a = (size_t)alt;
                    else
                        p->seqs[prev_alt].next_alt = alt;
                    prev_alt = alt;
                    int rc = parse_seq(p, s, j, alt, depth + 1);
                    if (rc < 0) return rc;
                    s = j + 1;
                    if (j == close) break;
                }
                i = close + 1;
                continue;
            }
        }
        if (ch == '*') {
            int last = p->seqs[seq].last;
            if (last < 0 || p->nodes[last].kind != K_STAR) {
                int id = new_node(p, seq, K_STAR);
                if (id < 0) return id;
            }
            i++;
            continue;
        }
        if (ch == '?') {
            int id = new_node(p, seq, K_ANY);
            if (id < 0) return id;
            i++;
            continue;
        }
        if (ch == '[') {
            size_t e = bracket_end(pat, i);
            if (e && e <= end) {
                int id = new_node(p, seq, K_SET);
                if (id < 0) return id;
                p->nodes[id].a = i, p->nodes[id].b = e;
                i = e;
                continue;
            }
        }
        if (ch == '\\' && i + 1 < end) i++;
        uint32_t c;
        size_t len = u8_len((const unsigned char *)pat + i, end - i, &c);
        int id = new_node(p, seq, K_CHAR);
        if (id < 0) return id;
        p->nodes[id].c = (p->flags & SH_PAT_NOCASE) ? fold(c) : c;
        i += len;
    }
    return 0;
}

int sh_pat_compile(const char *pat, int flags, struct sh_pat **out)
{
    *out = NULL;
    struct sh_pat *p = calloc(1, sizeof *p);
    if (!p) return -ENOMEM;
    p->flags = flags;
    p->src = strdup(pat);
    int rc = p->src ? new_seq(p) : -ENOMEM;
    if (rc >= 0) {
        p->top = rc;
        rc = parse_seq(p, 0, strlen(pat), p->top, 0);
    }
    if (rc < 0) {
        sh_pat_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void sh_pat_free(struct sh_pat *p)
{
    if (!p) return;
    free(p->src);
    free(p->nodes);
    free(p->seqs);
    free(p);
}

/* ---- position sets ----------------------------------------------------------- */

/* A set of string positions 0..n: a byte per position, with the range
 * [lo, hi] outside which every byte is 0 (empty: lo > hi). */
struct pset {
    unsigned char *b;
    size_t lo, hi;
    struct pset *free_next;
};

struct sim {
    const struct sh_pat *p;
    const unsigned char *s;
    size_t n;
    unsigned char *cl; /* cl[i]: length of the character at boundary i, else 0 */
    int dir;           /* +1: items first to last from the start; -1 backwards */
    uint64_t work;
    int err;
    struct pset *pool;
};

static bool empty(const struct pset *x)
{
    return x->lo > x->hi;
}

static struct pset *pset_get(struct sim *m)
{
    struct pset *x = m->pool;
    if (x) {
        m->pool = x->free_next;
    } else {
        x = malloc(sizeof *x);
        if (!x || !(x->b = calloc(m->n + 1, 1))) {
            free(x);
            m->err = -ENOMEM;
            return NULL;
        }
    }
    x->lo = m->n + 1, x->hi = 0;
    return x;
}

static void pset_put(struct sim *m, struct pset *x)
{
    if (!x) return;
    if (!empty(x)) memset(x->b + x->lo, 0, x->hi - x->lo + 1);
    x->free_next = m->pool;
    m->pool = x;
}

static void add(struct pset *x, size_t i)
{
    x->b[i] = 1;
    if (i < x->lo) x->lo = i;
    if (i > x->hi) x->hi = i;
}

static bool charge(struct sim *m, size_t units)
{
    m->work += units + 1;
    if (m->work > SH_PAT_MAX_WORK) {
        m->err = SH_PAT_TOO_COMPLEX;
        return false;
    }
    return true;
}

static void unite(struct sim *m, struct pset *dst, const struct pset *src)
{
    if (empty(src)) return;
    charge(m, src->hi - src->lo);
    for (size_t i = src->lo; i <= src->hi; i++)
        if (src->b[i]) add(dst, i);
}

/* The boundary before boundary i > 0. */
static size_t prevb(const struct sim *m, size_t i)
{
    for (size_t k = 1; k <= 4 && k <= i; k++)
        if (m->cl[i - k] == k) return i - k;
    return i - 1;
}

static uint32_t char_at(const struct sim *m, size_t i)
{
    uint32_t c;
    u8_len(m->s + i, m->cl[i], &c);
    return c;
}

/* May a wildcard consume the character at boundary i? Not '/' in pathname
 * mode, nor a leading '.' under SH_PAT_PERIOD. */
static bool wild_ok(const struct sim *m, size_t i)
{
    int f = m->p->flags;
    if ((f & SH_PAT_PATHNAME) && m->s[i] == '/') return false;
    if ((f & SH_PAT_PERIOD) && m->s[i] == '.' &&
        (i == 0 || ((f & SH_PAT_PATHNAME) && m->s[i - 1] == '/')))
        return false;
    return true;
}

static bool item_match(const struct sim *m, const struct pnode *nd, size_t i)
{
    uint32_t c = char_at(m, i);
    bool nocase = m->p->flags & SH_PAT_NOCASE;
    switch (nd->kind) {
    case K_CHAR: return (nocase ? fold(c) : c) == nd->c;
    case K_ANY: return wild_ok(m, i);
    case K_SET: return wild_ok(m, i) && bracket_match(m->p->src, nd->a, nd->b, c, nocase);
    }
    return false;
}

static struct pset *run_seq(struct sim *m, int seq, const struct pset *in);

/* Positions after any alternative of group node nd, from the set in. */
static struct pset *run_alts(struct sim *m, const struct pnode *nd, const struct pset *in)
{
    struct pset *out = pset_get(m);
    if (!out) return NULL;
    for (int a = (int)nd->a; a >= 0; a = m->p->seqs[a].next_alt) {
        struct pset *r = run_seq(m, a, in);
        if (!r) {
            pset_put(m, out);
            return NULL;
        }
        unite(m, out, r);
        pset_put(m, r);
    }
    return out;
}

/* Zero or more repetitions from the set in (which is kept). */
static struct pset *closure(struct sim *m, const struct pnode *nd, struct pset *in)
{
    struct pset *all = pset_get(m), *front = pset_get(m);
    if (!all || !front) goto fail;
    unite(m, all, in);
    unite(m, front, in);
    while (!empty(front) && !m->err) {
        struct pset *r = run_alts(m, nd, front);
        if (!r) goto fail;
        pset_put(m, front);
        front = pset_get(m);
        if (!front) {
            pset_put(m, r);
            goto fail;
        }
        if (!empty(r)) {
            charge(m, r->hi - r->lo);
            for (size_t i = r->lo; i <= r->hi; i++)
                if (r->b[i] && !all->b[i]) add(all, i), add(front, i);
        }
        pset_put(m, r);
    }
    pset_put(m, front);
    return all;
fail:
    pset_put(m, all);
    pset_put(m, front);
    return NULL;
}

/* !(alts): from each start alone, every position the alternatives do not
 * reach (consuming only what a wildcard may). */
static struct pset *negate(struct sim *m, const struct pnode *nd, const struct pset *in)
{
    struct pset *out = pset_get(m), *one = pset_get(m);
    if (!out || !one) goto fail;
    for (size_t i = in->lo; i <= in->hi && !empty(in) && !m->err; i++) {
        if (!in->b[i]) continue;
        add(one, i);
        struct pset *r = run_alts(m, nd, one);
        pset_put(m, one);
        one = pset_get(m);
        if (!r || !one) {
            pset_put(m, r);
            goto fail;
        }
        if (m->dir > 0) {
            charge(m, m->n - i);
            for (size_t j = i;; j += m->cl[j]) {
                if (!r->b[j]) add(out, j);
                if (j == m->n || !wild_ok(m, j)) break;
            }
        } else {
            charge(m, i);
            for (size_t j = i;;) {
                if (!r->b[j]) add(out, j);
                if (j == 0) break;
                j = prevb(m, j);
                if (!wild_ok(m, j)) break;
            }
        }
        pset_put(m, r);
    }
    pset_put(m, one);
    return out;
fail:
    pset_put(m, out);
    pset_put(m, one);
    return NULL;
}

static struct pset *step(struct sim *m, const struct pnode *nd, struct pset *in)
{
    if (nd->kind == K_GROUP) {
        struct pset *r, *x;
        switch (nd->op) {
        case '@': return run_alts(m, nd, in);
        case '?':
            r = run_alts(m, nd, in);
            if (r) unite(m, r, in);
            return r;
        case '*': return closure(m, nd, in);
        case '+':
            x = run_alts(m, nd, in);
            if (!x) return NULL;
            r = closure(m, nd, x);
            pset_put(m, x);
            return r;
        default: return negate(m, nd, in);
        }
    }
    struct pset *out = pset_get(m);
    if (!out || empty(in)) return out;
    if (!charge(m, in->hi - in->lo)) return out;
    if (nd->kind == K_STAR) {
        bool on = false;
        if (m->dir > 0) {
            for (size_t i = in->lo; i <= m->n; i += m->cl[i]) {
                on |= in->b[i];
                if (on) add(out, i);
                if (i == m->n) break;
                if (on && !wild_ok(m, i)) on = false;
            }
        } else {
            for (size_t i = in->hi;;) {
                on |= in->b[i];
                if (on) add(out, i);
                if (i == 0) break;
                i = prevb(m, i);
                if (on && !wild_ok(m, i)) on = false;
            }
        }
        charge(m, m->dir > 0 ? m->n - in->lo : in->hi);
        return out;
    }
    for (size_t i = in->lo; i <= in->hi; i++) {
        if (!in->b[i]) continue;
        if (m->dir > 0) {
            if (i < m->n && item_match(m, nd, i)) add(out, i + m->cl[i]);
        } else if (i > 0) {
            size_t j = prevb(m, i);
            if (item_match(m, nd, j)) add(out, j);
        }
    }
    return out;
}

/* The positions reached after sequence seq from the set in (a new set). */
static struct pset *run_seq(struct sim *m, int seq, const struct pset *in)
{
    struct pset *cur = pset_get(m);
    if (!cur) return NULL;
    unite(m, cur, in);
    const struct pseq *sq = &m->p->seqs[seq];
    for (int k = m->dir > 0 ? sq->first : sq->last; k >= 0 && !empty(cur);) {
        const struct pnode *nd = &m->p->nodes[k];
        struct pset *nx = step(m, nd, cur);
        pset_put(m, cur);
        cur = nx;
        if (!cur || m->err) break;
        k = m->dir > 0 ? nd->next : nd->prev;
    }
    if (m->err) {
        pset_put(m, cur);
        return NULL;
    }
    return cur;
}

static int sim_init(struct sim *m, const struct sh_pat *p, const char *s, size_t n)
{
    memset(m, 0, sizeof *m);
    m->p = p;
    m->s = (const unsigned char *)s;
    m->n = n;
    m->dir = 1;
    m->cl = calloc(n + 1, 1);
    if (!m->cl) return -ENOMEM;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t len = u8_len(m->s + i, n - i, &c);
        m->cl[i] = (unsigned char)len;
        i += len;
    }
    return 0;
}

static void sim_done(struct sim *m)
{
    while (m->pool) {
        struct pset *x = m->pool;
        m->pool = x->free_next;
        free(x->b);
        free(x);
    }
    free(m->cl);
}

/* Run the whole pattern from the single position start, in direction dir. */
static struct pset *run_from(struct sim *m, size_t start, int dir)
{
    m->dir = dir;
    struct pset *in = pset_get(m);
    if (!in) return NULL;
    add(in, start);
    struct pset *r = run_seq(m, m->p->top, in);
    pset_put(m, in);
    return r;
}

int sh_pat_exec(const struct sh_pat *p, const char *s, size_t len)
{
    struct sim m;
    if (sim_init(&m, p, s, len) < 0) return -ENOMEM;
    struct pset *r = run_from(&m, 0, 1);
    int rc = r ? r->b[len] : m.err;
    pset_put(&m, r);
    sim_done(&m);
    return rc;
}

int sh_pat_match(const char *pat, const char *s, size_t len, int flags)
{
    struct sh_pat *p;
    int rc = sh_pat_compile(pat, flags, &p);
    if (rc < 0) return rc;
    rc = sh_pat_exec(p, s, len);
    sh_pat_free(p);
    return rc;
}

int sh_pat_trim(const struct sh_pat *p, const char *s, size_t len, enum sh_pat_trim_op op,
                size_t *cut)
{
    struct sim m;
    if (sim_init(&m, p, s, len) < 0) return -ENOMEM;
    bool prefix = op == SH_TRIM_SHORT_PREFIX || op == SH_TRIM_LONG_PREFIX;
    struct pset *r = run_from(&m, prefix ? 0 : len, prefix ? 1 : -1);
    int rc = r ? 0 : m.err;
    if (r && !empty(r)) {
        rc = 1;
        if (op == SH_TRIM_SHORT_PREFIX || op == SH_TRIM_LONG_SUFFIX)
            *cut = r->lo;
        else
            *cut = r->hi;
    }
    pset_put(&m, r);
    sim_done(&m);
    return rc;
}

static int push_span(struct sh_pat_span **v, size_t *n, size_t *cap, size_t a, size_t b)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 4;
        struct sh_pat_span *x = realloc(*v, c * sizeof *x);
        if (!x) return -ENOMEM;
        *v = x, *cap = c;
    }
    (*v)[(*n)++] = (struct sh_pat_span){a, b};
    return 0;
}

int sh_pat_find(const struct sh_pat *p, const char *s, size_t len, enum sh_pat_find_mode mode,
                struct sh_pat_span **spans, size_t *count)
{
    struct sim m;
    struct sh_pat_span *v = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    *spans = NULL;
    *count = 0;
    if (sim_init(&m, p, s, len) < 0) return -ENOMEM;
    struct pset *r = NULL, *starts = NULL;
    /* bash (match_upattern) first checks the whole string against the
     * pattern wrapped in '*'s, not wrapping one that begins and ends with
     * '*' even when the last is escaped: so "*\*" finds nothing in "*c". */
    size_t pl = strlen(p->src);
    if (pl > 1 && p->src[0] == '*' && p->src[pl - 1] == '*' &&
        !((p->flags & SH_PAT_EXTGLOB) && p->src[1] == '(')) {
        r = run_from(&m, 0, 1);
        if (!r) goto fail;
        bool whole = r->b[len];
        pset_put(&m, r);
        r = NULL;
        if (!whole) goto out;
    }
    /* bash (match_pattern_char) lets only a pattern that begins with '*'
     * match at the end of the string for / // and /#. */
    bool end_ok = p->src[0] == '*';
    if (mode == SH_FIND_PREFIX && len == 0 && !end_ok) goto out;
    if (mode == SH_FIND_PREFIX || mode == SH_FIND_SUFFIX) {
        bool pre = mode == SH_FIND_PREFIX;
        r = run_from(&m, pre ? 0 : len, pre ? 1 : -1);
        if (!r)
            rc = m.err;
        else if (!empty(r))
            rc = pre ? push_span(&v, &n, &cap, 0, r->hi) : push_span(&v, &n, &cap, r->lo, len);
        goto out;
    }
    /* Where can a match start? Run backwards from every position at once. */
    struct pset *all = pset_get(&m);
    if (!all) goto fail;
    for (size_t i = 0; i <= len; i += m.cl[i]) {
        add(all, i);
        if (i == len) break;
    }
    m.dir = -1;
    starts = run_seq(&m, p->top, all);
    pset_put(&m, all);
    if (!starts) goto fail;
    for (size_t pos = 0; !empty(starts);) {
        size_t i = pos;
        while (i <= starts->hi && !starts->b[i]) i++;
        if (i > starts->hi || (i == len && !end_ok)) break;
        r = run_from(&m, i, 1);
        if (!r) goto fail;
        size_t e = empty(r) ? i : r->hi;
        pset_put(&m, r);
        r = NULL;
        if ((rc = push_span(&v, &n, &cap, i, e)) < 0) goto out;
        if (mode != SH_FIND_ALL) break;
        if (e == i) {
            if (e == len) break;
            e += m.cl[e];
        }
        if (e >= len) break;
        pos = e;
    }
    goto out;
fail:
    rc = m.err ? m.err : -ENOMEM;
out:
    pset_put(&m, r);
    pset_put(&m, starts);
    sim_done(&m);
    if (rc < 0) {
        free(v);
        return rc;
    }
    *spans = v;
    *count = n;
    return 0;
}

bool sh_pat_has_magic(const char *w, int flags)
{
    bool open = false;
    for (size_t i = 0; w[i]; i++) {
        switch (w[i]) {
        case '\\':
            if (w[i + 1]) i++;
            break;
        case '*':
        case '?': return true;
        case '[': open = true; break;
        case ']':
            if (open) return true;
            break;
        case '+':
        case '@':
        case '!':
            if ((flags & SH_PAT_EXTGLOB) && w[i + 1] == '(') return true;
            break;
        }
    }
    return false;
}

char *sh_pat_unescape(const char *w)
{
    char *r = malloc(strlen(w) + 1), *o = r;
    if (!r) return NULL;
    for (; *w; w++) {
        if (*w == '\\' && w[1]) w++;
        *o++ = *w;
    }
    *o = 0;
    return r;
}
