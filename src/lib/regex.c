/* regex.c — the regular-expression layer (see regex.h).
 *
 * Layout: character-class tables from glibc's C.UTF-8 (what [[:alpha:]],
 * \w, \s and the word anchors mean), the translator (a parser that follows
 * glibc's regcomp.c token by token and writes an equivalent PCRE2
 * pattern), the glibc engine (re_search under the exact syntax bits), the
 * PCRE2 engine, and the two entry points rx_exec and rx_find.
 */
#include "lib/regex.h"

#include "kernel/kernel.h"
#include "lib/io.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ---- locales ------------------------------------------------------------ */

static locale_t loc_utf8, loc_c;
static pthread_once_t loc_once = PTHREAD_ONCE_INIT;

static void loc_init(void)
{
    loc_utf8 = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
    loc_c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t rx_locale(bool utf8)
{
    pthread_once(&loc_once, loc_init);
    return utf8 ? loc_utf8 : loc_c;
}

/* ---- class tables --------------------------------------------------------
 * For each POSIX class, the non-ASCII code points glibc's C.UTF-8 puts in
 * it, as sorted ranges. Built once per host process on first use. */

enum {
    CL_ALPHA,
    CL_UPPER,
    CL_LOWER,
    CL_DIGIT,
    CL_XDIGIT,
    CL_SPACE,
    CL_PRINT,
    CL_PUNCT,
    CL_GRAPH,
    CL_CNTRL,
    CL_BLANK,
    CL_ALNUM,
    CL_COUNT
};
static const char *const class_names[CL_COUNT] = {"alpha", "upper", "lower", "digit",
                                                  "xdigit", "space", "print", "punct",
                                                  "graph", "cntrl", "blank", "alnum"};

struct cprange {
    uint32_t lo, hi;
};
static struct {
    struct cprange *r;
    size_t n;
    bool done;
} class_tab[CL_COUNT];
static pthread_mutex_t class_mu = PTHREAD_MUTEX_INITIALIZER;

static void class_build(int cl)
{
    locale_t l = rx_locale(true);
    wctype_t wt = wctype_l(class_names[cl], l);
    size_t n = 0, cap = 64;
    struct cprange *r = malloc(cap * sizeof *r);
    bool in = false;
    for (uint32_t c = 0x80; c <= 0x110000 && r; c++) {
        bool m = c < 0x110000 && !(c >= 0xd800 && c <= 0xdfff) && l && wt &&
                 iswctype_l((wint_t)c, wt, l);
        if (m && !in) {
            if (n == cap) {
                cap *= 2;
                struct cprange *nr = realloc(r, cap * sizeof *r);
                if (!nr) {
                    free(r);
                    r = NULL;
                    break;
                }
                r = nr;
            }
            r[n].lo = c;
            in = true;
        } else if (!m && in) {
            r[n++].hi = c - 1;
            in = false;
        }
    }
    class_tab[cl].r = r;
    class_tab[cl].n = r ? n : 0;
}

static const struct cprange *class_ranges(int cl, size_t *n)
{
    pthread_mutex_lock(&class_mu);
    if (!class_tab[cl].done) {
        class_build(cl);
        class_tab[cl].done = true;
    }
    pthread_mutex_unlock(&class_mu);
    *n = class_tab[cl].n;
    return class_tab[cl].r;
}

/* ---- UTF-8 ------------------------------------------------------------- */

/* Length of the valid UTF-8 character at s[0..n), or 0 when invalid. */
static int u8len(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int len;
    uint32_t v;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, v = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, v = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, v = c & 0x07;
    else
        return 0;
    if ((size_t)len > n) return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) || (len == 4 && (v < 0x10000 || v > 0x10ffff)))
        return 0;
    *cp = v;
    return len;
}

size_t rx_utf8_valid_prefix(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        /* ASCII runs a word at a time. */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= n) break;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int l = u8len(s + i, n - i, &cp);
        if (!l) return i;
        i += (size_t)l;
    }
    return n;
}

/* ---- the translator ------------------------------------------------------
 * A parser that follows glibc's regcomp.c (peek_token, parse_reg_exp,
 * parse_branch, parse_expression, parse_sub_exp, parse_dup_op,
 * parse_bracket_exp) so that it splits a pattern into the same tokens and
 * rejects the same patterns, writing a PCRE2 pattern as it goes. */

enum tok_type {
    T_END,
    T_CHAR,
    T_BACKSLASH, /* a lone trailing backslash */
    T_ALT,
    T_BACKREF,
    T_ANCHOR,
    T_OPEN,
    T_CLOSE,
    T_STAR,
    T_PLUS,
    T_QUEST,
    T_OPEN_DUP,
    T_CLOSE_DUP,
    T_BRACKET,
    T_PERIOD,
    T_WORD,
    T_NOTWORD,
    T_SPACE,
    T_NOTSPACE,
};

enum anchor { A_LINE_FIRST, A_LINE_LAST, A_BUF_FIRST, A_BUF_LAST, A_WORD_FIRST, A_WORD_LAST,
              A_WORD_DELIM, A_NOT_WORD_DELIM };

struct tok {
    enum tok_type type;
    uint32_t c;    /* the character (code point when mb) */
    int anchor;    /* T_ANCHOR */
    int idx;       /* T_BACKREF: 0..8 */
    size_t len;    /* bytes */
    bool invalid;  /* a byte that is not valid UTF-8 in a UTF-8 locale */
    bool lead_dup; /* text of the token, for warnings */
};

#define CARET_HERE (1ul << 62) /* RE_CARET_ANCHORS_HERE */

struct tr {
    struct proc *p;
    const unsigned char *pat;
    size_t len, i;
    unsigned long syn;
    bool mb, icase, lines, newline, grep;
    char eol;
    struct sbuf out;
    int err;          /* REG_* */
    bool unsupported; /* no faithful PCRE translation */
    size_t nsub;      /* groups of this pattern */
    size_t base;      /* groups of earlier patterns (grep) */
    unsigned completed;
    bool backref;
    size_t cost;
    int depth;
    /* literal analysis */
    bool only_lit;   /* nothing but literal characters so far */
    struct sbuf lit; /* those characters */
    struct sbuf run, best;
    bool top_alt;
    bool nullable; /* whether the unit just parsed can match empty */
    int nullrep, anchors; /* empty-matching atoms repeated without bound; anchors */
    bool colon; /* dfa.c's "[:space:]" error (after glibc's errors) */
    const char *warns[16]; /* dfa.c's warnings, shown once the pattern compiles */
    int nwarn;
};

static void emit(struct tr *t, const char *s)
{
    sbuf_add(&t->out, s, strlen(s));
}

static void emit_cp(struct tr *t, uint32_t c, bool in_class)
{
    char b[16];
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        sbuf_addc(&t->out, (char)c);
        return;
    }
    (void)in_class;
    snprintf(b, sizeof b, "\\x{%x}", (unsigned)c);
    emit(t, b);
}

/* The bytes of the character at i (mb: a whole valid character). */
static size_t char_at(struct tr *t, size_t i, uint32_t *cp, bool *invalid)
{
    *invalid = false;
    if (t->mb && t->pat[i] >= 0x80) {
        int l = u8len(t->pat + i, t->len - i, cp);
        if (l) return (size_t)l;
        *invalid = true;
    }
    *cp = t->pat[i];
    return 1;
}

static void peek_token(struct tr *t, struct tok *tk, unsigned long syn);

static void peek_at(struct tr *t, size_t at, struct tok *tk, unsigned long syn)
{
    size_t save = t->i;
    t->i = at;
    peek_token(t, tk, syn);
    t->i = save;
}

static void peek_token(struct tr *t, struct tok *tk, unsigned long syn)
{
    memset(tk, 0, sizeof *tk);
    if (t->i >= t->len) {
        tk->type = T_END;
        return;
    }
    unsigned char c = t->pat[t->i];
    tk->type = T_CHAR;
    if (c == '\\') {
        if (t->i + 1 >= t->len) {
            tk->type = T_BACKSLASH;
            tk->len = 1;
            return;
        }
        unsigned char c2 = t->pat[t->i + 1];
        bool inv;
        tk->len = 1 + char_at(t, t->i + 1, &tk->c, &inv);
        tk->invalid = inv;
        bool gnu = !(syn & RE_NO_GNU_OPS);
        switch (c2) {
        case '|':
            if (!(syn & RE_LIMITED_OPS) && !(syn & RE_NO_BK_VBAR)) tk->type = T_ALT;
            break;
        case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
            if (!(syn & RE_NO_BK_REFS)) {
                tk->type = T_BACKREF;
                tk->idx = c2 - '1';
            }
            break;
        case '<':
            if (gnu) tk->type = T_ANCHOR, tk->anchor = A_WORD_FIRST;
            break;
        case '>':
            if (gnu) tk->type = T_ANCHOR, tk->anchor = A_WORD_LAST;
            break;
        case 'b':
            if (gnu) tk->type = T_ANCHOR, tk->anchor = A_WORD_DELIM;
            break;
        case 'B':
            if (gnu) tk->type = T_ANCHOR, tk->anchor = A_NOT_WORD_DELIM;
            break;
        case 'w':
            if (gnu) tk->type = T_WORD;
            break;
        case 'W':
            if (gnu) tk->type = T_NOTWORD;
            break;
        case 's':
            if (gnu) tk->type = T_SPACE;
            break;
        case 'S':
            if (gnu) tk->type = T_NOTSPACE;
            break;
        case '`':
            if (gnu) tk->type = T_ANCHOR, tk->anchor = A_BUF_FIRST;
            break;
        case '\'':
            if (gnu) tk->type = T_ANCHOR, tk->anchor = A_BUF_LAST;
            break;
        case '(':
            if (!(syn & RE_NO_BK_PARENS)) tk->type = T_OPEN;
            break;
        case ')':
            if (!(syn & RE_NO_BK_PARENS)) tk->type = T_CLOSE;
            break;
        case '+':
            if (!(syn & RE_LIMITED_OPS) && (syn & RE_BK_PLUS_QM)) tk->type = T_PLUS;
            break;
        case '?':
            if (!(syn & RE_LIMITED_OPS) && (syn & RE_BK_PLUS_QM)) tk->type = T_QUEST;
            break;
        case '{':
            if ((syn & RE_INTERVALS) && !(syn & RE_NO_BK_BRACES)) tk->type = T_OPEN_DUP;
            break;
        case '}':
            if ((syn & RE_INTERVALS) && !(syn & RE_NO_BK_BRACES)) tk->type = T_CLOSE_DUP;
            break;
        default:
            break;
        }
        if (tk->type != T_CHAR) tk->len = 2;
        return;
    }
    bool inv;
    tk->len = char_at(t, t->i, &tk->c, &inv);
    tk->invalid = inv;
    switch (c) {
    case '\n':
        if (syn & RE_NEWLINE_ALT) tk->type = T_ALT;
        break;
    case '|':
        if (!(syn & RE_LIMITED_OPS) && (syn & RE_NO_BK_VBAR)) tk->type = T_ALT;
        break;
    case '*':
        tk->type = T_STAR;
        break;
    case '+':
        if (!(syn & RE_LIMITED_OPS) && !(syn & RE_BK_PLUS_QM)) tk->type = T_PLUS;
        break;
    case '?':
        if (!(syn & RE_LIMITED_OPS) && !(syn & RE_BK_PLUS_QM)) tk->type = T_QUEST;
        break;
    case '{':
        if ((syn & RE_INTERVALS) && (syn & RE_NO_BK_BRACES)) tk->type = T_OPEN_DUP;
        break;
    case '}':
        if ((syn & RE_INTERVALS) && (syn & RE_NO_BK_BRACES)) tk->type = T_CLOSE_DUP;
        break;
    case '(':
        if (syn & RE_NO_BK_PARENS) tk->type = T_OPEN;
        break;
    case ')':
        if (syn & RE_NO_BK_PARENS) tk->type = T_CLOSE;
        break;
    case '[':
        tk->type = T_BRACKET;
        break;
    case '.':
        tk->type = T_PERIOD;
        break;
    case '^':
        if (!(syn & (RE_CONTEXT_INDEP_ANCHORS | CARET_HERE)) && t->i != 0) {
            unsigned char prev = t->pat[t->i - 1];
            if (!(syn & RE_NEWLINE_ALT) || prev != '\n') break;
        }
        tk->type = T_ANCHOR;
        tk->anchor = A_LINE_FIRST;
        break;
    case '$':
        if (!(syn & RE_CONTEXT_INDEP_ANCHORS) && t->i + 1 != t->len) {
            struct tok next;
            peek_at(t, t->i + 1, &next, syn & ~CARET_HERE);
            if (next.type != T_ALT && next.type != T_CLOSE) break;
        }
        tk->type = T_ANCHOR;
        tk->anchor = A_LINE_LAST;
        break;
    default:
        break;
    }
}

static void fetch_token(struct tr *t, struct tok *tk, unsigned long syn)
{
    peek_token(t, tk, syn);
    t->i += tk->len;
}

/* ---- emitting classes ---------------------------------------------------- */

static void emit_class_body(struct tr *t, int cl)
{
    char b[64];
    snprintf(b, sizeof b, "[:%s:]", class_names[cl]);
    emit(t, b);
    if (!t->mb) return;
    size_t n;
    const struct cprange *r = class_ranges(cl, &n);
    for (size_t k = 0; k < n; k++) {
        if (r[k].lo == r[k].hi)
            snprintf(b, sizeof b, "\\x{%x}", (unsigned)r[k].lo);
        else
            snprintf(b, sizeof b, "\\x{%x}-\\x{%x}", (unsigned)r[k].lo, (unsigned)r[k].hi);
        emit(t, b);
    }
}

/* What a negated set must also leave out: the record end when searching
 * records; '\n' under RE_HAT_LISTS_NOT_NEWLINE. */
static void emit_neg_excl(struct tr *t)
{
    if (t->lines)
        emit(t, t->eol ? "\\x{a}" : "\\x{0}");
    else if (t->syn & RE_HAT_LISTS_NOT_NEWLINE)
        emit(t, "\\x{a}");
}

static void emit_word_set(struct tr *t, bool neg)
{
    emit(t, neg ? "[^_" : "[_");
    emit_class_body(t, CL_ALNUM);
    if (neg) emit_neg_excl(t);
    emit(t, "]");
}

static void emit_anchor(struct tr *t, int a)
{
    switch (a) {
    case A_LINE_FIRST:
        if (t->lines)
            emit(t, "^");
        else if (t->newline)
            emit(t, "(?:^|(?<=\\n))");
        else
            emit(t, "^");
        break;
    case A_LINE_LAST:
        if (t->lines)
            emit(t, "$");
        else if (t->newline)
            emit(t, "(?:$|(?=\\n))");
        else
            emit(t, "$");
        break;
    case A_BUF_FIRST:
        emit(t, t->lines ? "^" : "\\A");
        break;
    case A_BUF_LAST:
        emit(t, t->lines ? "$" : "\\z");
        break;
    case A_WORD_FIRST:
        emit(t, "(?<!");
        emit_word_set(t, false);
        emit(t, ")(?=");
        emit_word_set(t, false);
        emit(t, ")");
        break;
    case A_WORD_LAST:
        emit(t, "(?<=");
        emit_word_set(t, false);
        emit(t, ")(?!");
        emit_word_set(t, false);
        emit(t, ")");
        break;
    case A_WORD_DELIM:
        emit(t, "(?:");
        emit_anchor(t, A_WORD_FIRST);
        emit(t, "|");
        emit_anchor(t, A_WORD_LAST);
        emit(t, ")");
        break;
    case A_NOT_WORD_DELIM:
        emit(t, "(?:(?<=");
        emit_word_set(t, false);
        emit(t, ")(?=");
        emit_word_set(t, false);
        emit(t, ")|(?<!");
        emit_word_set(t, false);
        emit(t, ")(?!");
        emit_word_set(t, false);
        emit(t, "))");
        break;
    }
}

/* ---- bracket expressions ------------------------------------------------- */

enum btok { B_END, B_CHAR, B_CLOSE, B_NONMATCH, B_RANGE, B_COLL, B_EQUIV, B_CLASS };

struct bracket_tok {
    enum btok type;
    unsigned char c;
    size_t len;
};

static void peek_bracket(struct tr *t, struct bracket_tok *bt)
{
    memset(bt, 0, sizeof *bt);
    if (t->i >= t->len) {
        bt->type = B_END;
        return;
    }
    unsigned char c = t->pat[t->i];
    bt->c = c;
    bt->len = 1;
    bt->type = B_CHAR;
    if (c == '\\' && (t->syn & RE_BACKSLASH_ESCAPE_IN_LISTS) && t->i + 1 < t->len) {
        bt->c = t->pat[t->i + 1];
        bt->len = 2;
        return;
    }
    if (c == '[') {
        unsigned char c2 = t->i + 1 < t->len ? t->pat[t->i + 1] : 0;
        if (c2 == '.')
            bt->type = B_COLL, bt->len = 2;
        else if (c2 == '=')
            bt->type = B_EQUIV, bt->len = 2;
        else if (c2 == ':' && (t->syn & RE_CHAR_CLASSES))
            bt->type = B_CLASS, bt->len = 2;
        return;
    }
    switch (c) {
    case ']':
        bt->type = B_CLOSE;
        break;
    case '^':
        bt->type = B_NONMATCH;
        break;
    case '-':
        if (!(t->i + 2 < t->len && t->pat[t->i + 1] == '-' && t->pat[t->i + 2] == '-')) {
            bt->type = B_RANGE;
            break;
        }
        bt->len = 3; /* "---" is one '-' */
        break;
    default:
        break;
    }
}

enum elem_type { E_SB, E_MB, E_COLL, E_EQUIV, E_CLASS };
struct belem {
    enum elem_type type;
    uint32_t c; /* E_SB byte, E_MB code point */
    char name[40];
};

struct cset {
    struct cprange *r;
    size_t n, cap;
    unsigned classes;
    bool oom;
};

static void cset_add(struct tr *t, struct cset *s, uint32_t lo, uint32_t hi)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        struct cprange *nr = p_realloc(t->p, s->r, nc * sizeof *nr);
        if (!nr) {
            s->oom = true;
            return;
        }
        s->r = nr;
        s->cap = nc;
    }
    s->r[s->n].lo = lo;
    s->r[s->n].hi = hi;
    s->n++;
}

static int parse_bracket_symbol(struct tr *t, struct belem *e, const struct bracket_tok *bt)
{
    unsigned char delim = t->pat[t->i - 1]; /* '.', '=' or ':' */
    if (t->i >= t->len) return REG_EBRACK;
    int n = 0;
    for (;; n++) {
        if (n >= 32) return REG_EBRACK;
        unsigned char ch = t->pat[t->i++];
        if (t->i >= t->len) return REG_EBRACK;
        if (ch == delim && t->pat[t->i] == ']') break;
        e->name[n] = (char)ch;
    }
    t->i++;
    e->name[n] = 0;
    e->type = bt->type == B_COLL ? E_COLL : bt->type == B_EQUIV ? E_EQUIV : E_CLASS;
    return 0;
}

static int parse_bracket_element(struct tr *t, struct belem *e, const struct bracket_tok *bt,
                                 bool accept_hyphen)
{
    uint32_t cp;
    bool inv = false;
    if (t->mb && t->pat[t->i] >= 0x80) {
        size_t l = char_at(t, t->i, &cp, &inv);
        if (l > 1) {
            e->type = E_MB;
            e->c = cp;
            t->i += l;
            return 0;
        }
    }
    t->i += bt->len;
    if (bt->type == B_COLL || bt->type == B_CLASS || bt->type == B_EQUIV)
        return parse_bracket_symbol(t, e, bt);
    if (bt->type == B_RANGE && !accept_hyphen) {
        struct bracket_tok bt2;
        peek_bracket(t, &bt2);
        if (bt2.type != B_CLOSE) return REG_ERANGE;
    }
    e->type = E_SB;
    e->c = bt->c;
    if (t->mb && bt->c >= 0x80) t->unsupported = true; /* a stray byte */
    return 0;
}

static int class_index(const char *name)
{
    for (int k = 0; k < CL_COUNT; k++)
        if (strcmp(name, class_names[k]) == 0) return k;
    return -1;
}

/* The code point a range endpoint stands for, or an error. */
static int range_point(struct tr *t, const struct belem *e, uint32_t *out)
{
    if (e->type == E_EQUIV || e->type == E_CLASS) return REG_ERANGE;
    if (e->type == E_COLL && strlen(e->name) > 1) return REG_ECOLLATE;
    if (e->type == E_MB) {
        *out = e->c;
        return 0;
    }
    unsigned char ch = e->type == E_SB ? (unsigned char)e->c : (unsigned char)e->name[0];
    if (t->mb && ch >= 0x80) return REG_ECOLLATE;
    *out = ch;
    return 0;
}

static int add_element(struct tr *t, struct cset *s, const struct belem *e)
{
    switch (e->type) {
    case E_SB:
    case E_MB:
        cset_add(t, s, e->c, e->c);
        return 0;
    case E_COLL:
    case E_EQUIV:
        if (strlen(e->name) != 1) return REG_ECOLLATE;
        if (t->mb && (unsigned char)e->name[0] >= 0x80) t->unsupported = true;
        cset_add(t, s, (unsigned char)e->name[0], (unsigned char)e->name[0]);
        return 0;
    case E_CLASS: {
        const char *name = e->name;
        if (t->icase && (strcmp(name, "upper") == 0 || strcmp(name, "lower") == 0)) name = "alpha";
        int k = class_index(name);
        if (k < 0) return REG_ECTYPE;
        s->classes |= 1u << k;
        return 0;
    }
    }
    return 0;
}

/* dfa.c's check for "[:space:]" written for "[[:space:]]": s[0..n) is the
 * bracket body after '[' and an optional '^', through the closing ']'
 * (already known to be well formed). Mirrors colon_warning_state. */
static bool colon_confusion(struct tr *t, const unsigned char *s, size_t n)
{
    size_t k = 0;
    bool esc = t->syn & RE_BACKSLASH_ESCAPE_IN_LISTS;
#define FETCH() (k < n ? s[k++] : ']')
    int c = FETCH(), c1;
    int state = c == ':';
    do {
        c1 = -1;
        state &= ~2;
        if (c == '[') {
            c1 = FETCH();
            if ((c1 == ':' && (t->syn & RE_CHAR_CLASSES)) || c1 == '.' || c1 == '=') {
                for (;;) {
                    c = FETCH();
                    if (k >= n || (c == c1 && s[k] == ']')) break;
                }
                FETCH(); /* the ']' */
                state |= 8;
                c1 = FETCH();
                continue;
            }
        }
        if (c == '\\' && esc) c = FETCH();
        if (c1 == -1) c1 = FETCH();
        if (c1 == '-') {
            size_t save = k;
            int c2 = FETCH();
            if (c2 == '[' && k < n && s[k] == '.') c2 = ']';
            if (c2 == ']') {
                k = save;
            } else {
                if (c2 == '\\' && esc) FETCH();
                state |= 8;
                c1 = FETCH();
                continue;
            }
        }
        state |= c == ':' ? 2 : 4;
    } while ((c = c1) != ']' && k <= n);
#undef FETCH
    return state == 7;
}

static int parse_bracket(struct tr *t)
{
    struct bracket_tok bt;
    struct cset s = {0};
    bool neg = false;
    size_t body = t->i;
    int err = 0;
    peek_bracket(t, &bt);
    if (bt.type == B_END) return REG_BADPAT;
    if (bt.type == B_NONMATCH) {
        neg = true;
        t->i += bt.len;
        body = t->i;
        peek_bracket(t, &bt);
        if (bt.type == B_END) return REG_BADPAT;
    }
    if (bt.type == B_CLOSE) bt.type = B_CHAR;
    bool first = true;
    for (;;) {
        struct belem start = {0}, end = {0};
        bool is_range = false;
        struct bracket_tok bt2;
        err = parse_bracket_element(t, &start, &bt, first);
        if (err) goto out;
        first = false;
        peek_bracket(t, &bt);
        if (start.type != E_CLASS && start.type != E_EQUIV) {
            if (bt.type == B_END) {
                err = REG_EBRACK;
                goto out;
            }
            if (bt.type == B_RANGE) {
                t->i += bt.len;
                peek_bracket(t, &bt2);
                if (bt2.type == B_END) {
                    err = REG_EBRACK;
                    goto out;
                }
                if (bt2.type == B_CLOSE) {
                    t->i -= bt.len;
                    bt.type = B_CHAR;
                } else
                    is_range = true;
            }
        }
        if (is_range) {
            err = parse_bracket_element(t, &end, &bt2, true);
            if (err) goto out;
            peek_bracket(t, &bt);
            uint32_t lo, hi;
            err = range_point(t, &start, &lo);
            if (!err) err = range_point(t, &end, &hi);
            if (err) goto out;
            if ((t->syn & RE_NO_EMPTY_RANGES) && lo > hi) {
                err = REG_ERANGE;
                goto out;
            }
            if (lo <= hi) cset_add(t, &s, lo, hi);
        } else {
            err = add_element(t, &s, &start);
            if (err) goto out;
        }
        if (bt.type == B_END) {
            err = REG_EBRACK;
            goto out;
        }
        if (bt.type == B_CLOSE) break;
    }
    t->i += bt.len; /* the ']' */
    if (!t->colon && colon_confusion(t, t->pat + body, t->i - body)) t->colon = true;
    if (s.oom) {
        err = REG_ESPACE;
        goto out;
    }
    /* Emit. Searching records, a set must not take the record end. */
    if (!neg && t->lines) {
        unsigned char e = (unsigned char)t->eol;
        bool has = (s.classes & (1u << CL_CNTRL)) || (e == '\n' && (s.classes & (1u << CL_SPACE)));
        for (size_t k = 0; k < s.n && !has; k++) has = s.r[k].lo <= e && e <= s.r[k].hi;
        if (has) emit(t, e ? "(?!\\n)" : "(?!\\x{0})");
    }
    emit(t, neg ? "[^" : "[");
    for (size_t k = 0; k < s.n; k++) {
        emit_cp(t, s.r[k].lo, true);
        if (s.r[k].hi != s.r[k].lo) {
            sbuf_addc(&t->out, '-');
            emit_cp(t, s.r[k].hi, true);
        }
    }
    for (int k = 0; k < CL_COUNT; k++)
        if (s.classes & (1u << k)) emit_class_body(t, k);
    if (neg) emit_neg_excl(t);
    if (!neg && s.n == 0 && !s.classes) emit(t, "\\x{0}"); /* cannot happen */
    emit(t, "]");
    t->cost += 1;
out:
    p_free(t->p, s.r);
    return err;
}

/* ---- expressions ------------------------------------------------------------ */

static void run_end(struct tr *t)
{
    if (t->run.len > t->best.len) {
        t->best.len = 0;
        sbuf_add(&t->best, t->run.s, t->run.len);
    }
    t->run.len = 0;
}

static bool parse_reg_exp(struct tr *t, struct tok *tk, int nest);

/* Wrap out[a0..] as an atom and add quantifier q. */
static void quantify(struct tr *t, size_t a0, const char *q)
{
    sbuf_add(&t->out, "(?:", 3); /* grow; then shift */
    if (t->out.oom) return;
    memmove(t->out.s + a0 + 3, t->out.s + a0, t->out.len - 3 - a0);
    memcpy(t->out.s + a0, "(?:", 3);
    emit(t, ")");
    emit(t, q);
}

/* glibc's fetch_number: -1 none, -2 invalid, else the number (capped). */
static long fetch_number(struct tr *t, struct tok *tk)
{
    long num = -1;
    for (;;) {
        fetch_token(t, tk, t->syn);
        uint32_t c = tk->c;
        if (tk->type == T_END) return -2;
        if (tk->type == T_CLOSE_DUP || c == ',') break;
        num = (tk->type != T_CHAR || c < '0' || c > '9' || num == -2)
                  ? -2
                  : num == -1 ? (long)(c - '0')
                              : (num * 10 + (long)(c - '0') > RE_DUP_MAX + 1
                                     ? RE_DUP_MAX + 1
                                     : num * 10 + (long)(c - '0'));
    }
    return num;
}

/* A repetition after the atom at out[a0..]. Returns false on error;
 * *rolled when an invalid interval became a literal '{'. */
static bool parse_dup(struct tr *t, struct tok *tk, size_t a0, bool has_elem, bool *rolled,
                      size_t lit_mark, size_t cost0, bool *an)
{
    long start, end;
    size_t start_idx = t->i;
    struct tok start_tok = *tk;
    *rolled = false;
    if (tk->type == T_OPEN_DUP) {
        end = 0;
        start = fetch_number(t, tk);
        if (start == -1) {
            if (tk->type == T_CHAR && tk->c == ',')
                start = 0;
            else {
                t->err = REG_BADBR;
                return false;
            }
        }
        if (start != -2) {
            end = tk->type == T_CLOSE_DUP ? start
                  : (tk->type == T_CHAR && tk->c == ',') ? fetch_number(t, tk)
                                                          : -2;
        }
        if (start == -2 || end == -2) {
            if (!(t->syn & RE_INVALID_INTERVAL_ORD)) {
                t->err = tk->type == T_END ? REG_EBRACE : REG_BADBR;
                return false;
            }
            t->i = start_idx;
            *tk = start_tok;
            tk->type = T_CHAR;
            tk->c = '{';
            *rolled = true;
            return true;
        }
        if ((end != -1 && start > end) || tk->type != T_CLOSE_DUP) {
            t->err = REG_BADBR;
            return false;
        }
        if ((end == -1 ? start : end) > RE_DUP_MAX) {
            t->err = REG_ESIZE;
            return false;
        }
    } else {
        start = tk->type == T_PLUS ? 1 : 0;
        end = tk->type == T_QUEST ? 1 : -1;
    }
    fetch_token(t, tk, t->syn);
    if (!has_elem) return true;
    /* The literal run loses the repeated character. */
    if (t->depth == 0) {
        if (t->run.len >= lit_mark) t->run.len = lit_mark;
        run_end(t);
    }
    t->only_lit = false;
    char q[64];
    if (end == -1)
        snprintf(q, sizeof q, start == 0 ? "*" : start == 1 ? "+" : "{%ld,}", start);
    else if (start == end)
        snprintf(q, sizeof q, "{%ld}", start);
    else
        snprintf(q, sizeof q, start == 0 && end == 1 ? "?" : "{%ld,%ld}", start, end);
    quantify(t, a0, q);
    /* glibc copies the atom once per repetition it spells out: keep a
     * count of its tree's nodes, to refuse what would swamp it. */
    size_t copies = end == -1 ? (size_t)start + 1 : (size_t)(end > start ? end : start);
    if (copies < 1) copies = 1;
    /* an empty-matching atom repeated without bound makes glibc's epsilon
     * closures grow much faster than its node count */
    if (*an && end == -1) {
        copies *= 4;
        t->nullrep++;
    }
    if (start == 0) *an = true;
    size_t atom = t->cost - cost0 + 1;
    if (atom > ((size_t)1 << 40) / copies)
        t->cost = (size_t)1 << 40;
    else
        t->cost = cost0 + atom * copies;
    return true;
}

/* After an interval's '{' at i: the index past its closing brace when it
 * reads as {M}, {M,}, {,N}, {,} or {M,N} with M <= N, else 0. */
static size_t interval_end(struct tr *t, size_t i)
{
    long lo = -1, hi = -1;
    bool comma = false;
    while (i < t->len) {
        unsigned char c = t->pat[i];
        if (c >= '0' && c <= '9') {
            long *v = comma ? &hi : &lo;
            *v = (*v < 0 ? 0 : *v) * 10 + (c - '0');
            if (*v > RE_DUP_MAX + 1) *v = RE_DUP_MAX + 1;
            i++;
        } else if (c == ',' && !comma) {
            comma = true;
            i++;
        } else
            break;
    }
    bool bk = !(t->syn & RE_NO_BK_BRACES);
    if (bk) {
        if (i + 1 >= t->len || t->pat[i] != '\\' || t->pat[i + 1] != '}') return 0;
        i += 2;
    } else {
        if (i >= t->len || t->pat[i] != '}') return 0;
        i++;
    }
    if (comma && lo >= 0 && hi >= 0 && lo > hi) return 0;
    return i;
}

static void warn_start(struct tr *t, const struct tok *tk)
{
    if (t->colon || t->nwarn >= 16) return;
    const char *m = tk->type == T_STAR   ? "* at start of expression"
                    : tk->type == T_PLUS ? "+ at start of expression"
                    : tk->type == T_QUEST ? "? at start of expression"
                                          : "{...} at start of expression";
    t->warns[t->nwarn++] = m;
}

/* parse_expression: one atom and its repetitions. Returns false on error. */
static bool parse_expression(struct tr *t, struct tok *tk, int nest)
{
    size_t a0 = t->out.len;
    size_t lit_mark = t->run.len;
    size_t cost0 = t->cost;
    bool has_elem = true;
    bool an = false; /* the atom can match empty */
again:
    switch (tk->type) {
    case T_CHAR: {
        if (tk->invalid) t->unsupported = true;
        /* The character's bytes: after a backslash, skip it. */
        const unsigned char *b = t->pat + t->i - tk->len;
        size_t bl = tk->len;
        bool escaped = bl >= 2 && b[0] == '\\';
        if (escaped) {
            /* "\c": the character c (possibly multibyte). */
            b++, bl--;
        }
        if (t->icase && !t->grep && escaped && tk->c >= 'a' && tk->c <= 'z') {
            /* glibc compares an escaped byte with the upper-cased subject
             * under RE_ICASE, so "\h" never matches (GNU sed shows it;
             * grep's dfa.c does not). */
            emit(t, "(?!)");
            t->only_lit = false;
            if (t->depth == 0) run_end(t);
            break;
        }
        emit_cp(t, tk->c, false);
        if (t->only_lit) sbuf_add(&t->lit, b, bl);
        if (t->depth == 0) {
            lit_mark = t->run.len;
            sbuf_add(&t->run, b, bl);
        }
        t->cost++;
        break;
    }
    case T_OPEN: {
        if (t->depth == 0) run_end(t);
        t->only_lit = false;
        size_t idx = t->nsub++;
        if (++t->depth > 2000) {
            t->err = REG_ESPACE;
            return false;
        }
        emit(t, "(");
        fetch_token(t, tk, t->syn | CARET_HERE);
        an = true;
        if (tk->type != T_CLOSE) {
            if (!parse_reg_exp(t, tk, nest + 1)) return false;
            an = t->nullable;
            if (tk->type != T_CLOSE) {
                t->err = REG_EPAREN;
                return false;
            }
        }
        t->depth--;
        if (idx <= 8) t->completed |= 1u << idx;
        emit(t, ")");
        break;
    }
    case T_BRACKET: {
        if (t->depth == 0) run_end(t);
        t->only_lit = false;
        int e = parse_bracket(t);
        if (e) {
            t->err = e;
            return false;
        }
        break;
    }
    case T_BACKREF: {
        if (!(t->completed & (1u << tk->idx))) {
            t->err = REG_ESUBREG;
            return false;
        }
        if (t->depth == 0) run_end(t);
        t->only_lit = false;
        t->backref = true;
        an = true;
        char b[32];
        snprintf(b, sizeof b, "(?:\\g{%zu})", t->base + (size_t)tk->idx + 1);
        emit(t, b);
        break;
    }
    case T_OPEN_DUP:
        if (t->syn & RE_CONTEXT_INVALID_DUP) {
            t->err = REG_BADRPT;
            return false;
        }
        /* fall through */
    case T_STAR:
    case T_PLUS:
    case T_QUEST:
        if (t->syn & RE_CONTEXT_INVALID_OPS) {
            t->err = REG_BADRPT;
            return false;
        }
        if (t->syn & RE_CONTEXT_INDEP_OPS) {
            if (tk->type == T_OPEN_DUP && t->grep) {
                /* dfa.c (which picks grep's lines) drops a whole valid
                 * interval here and reads an invalid one as '{'. */
                size_t end = interval_end(t, t->i);
                if (!end) {
                    tk->type = T_CHAR;
                    tk->c = '{';
                    goto again;
                }
                warn_start(t, tk);
                t->i = end;
                fetch_token(t, tk, t->syn);
                goto again;
            }
            warn_start(t, tk);
            fetch_token(t, tk, t->syn);
            goto again;
        }
        /* fall through */
    case T_CLOSE:
        if (tk->type == T_CLOSE && !(t->syn & RE_UNMATCHED_RIGHT_PAREN_ORD)) {
            t->err = REG_ERPAREN;
            return false;
        }
        /* fall through */
    case T_CLOSE_DUP: {
        /* An ordinary character. */
        uint32_t c = tk->c;
        emit_cp(t, c, false);
        char cb = (char)c;
        if (t->only_lit) sbuf_add(&t->lit, &cb, 1);
        if (t->depth == 0) {
            lit_mark = t->run.len;
            sbuf_add(&t->run, &cb, 1);
        }
        break;
    }
    case T_ANCHOR:
        if (t->depth == 0) run_end(t);
        t->only_lit = false;
        t->anchors++;
        emit_anchor(t, tk->anchor);
        fetch_token(t, tk, t->syn);
        t->nullable = true;
        return true; /* no repetition after an anchor */
    case T_PERIOD:
        if (t->depth == 0) run_end(t);
        t->only_lit = false;
        if (t->lines)
            emit(t, t->eol ? "[^\\n]" : "[^\\x{0}]");
        else {
            bool nl = !(t->syn & RE_DOT_NEWLINE);
            bool nul = t->syn & RE_DOT_NOT_NULL;
            emit(t, nl && nul ? "[^\\n\\x{0}]" : nl ? "[^\\n]" : nul ? "[^\\x{0}]" : "(?s:.)");
        }
        break;
    case T_WORD:
    case T_NOTWORD:
        if (t->depth == 0) run_end(t);
        t->only_lit = false;
        emit_word_set(t, tk->type == T_NOTWORD);
        break;
    case T_SPACE:
    case T_NOTSPACE:
        if (t->depth == 0) run_end(t);
        t->only_lit = false;
        if (tk->type == T_SPACE && t->lines && t->eol == '\n') emit(t, "(?!\\n)");
        emit(t, tk->type == T_NOTSPACE ? "[^" : "[");
        emit_class_body(t, CL_SPACE);
        if (tk->type == T_NOTSPACE) emit_neg_excl(t);
        emit(t, "]");
        break;
    case T_ALT:
    case T_END:
        t->nullable = true;
        return true;
    case T_BACKSLASH:
        t->err = REG_EESCAPE;
        return false;
    }
    fetch_token(t, tk, t->syn);
    while (tk->type == T_STAR || tk->type == T_PLUS || tk->type == T_QUEST ||
           tk->type == T_OPEN_DUP) {
        bool rolled;
        enum tok_type was = tk->type;
        if (!parse_dup(t, tk, a0, has_elem, &rolled, lit_mark, cost0, &an)) return false;
        if (rolled) break;
        if ((t->syn & RE_CONTEXT_INVALID_DUP) && (tk->type == T_STAR || tk->type == T_OPEN_DUP)) {
            t->err = REG_BADRPT;
            return false;
        }
        (void)was;
    }
    t->nullable = an;
    return true;
}

static bool parse_branch(struct tr *t, struct tok *tk, int nest)
{
    if (!parse_expression(t, tk, nest)) return false;
    bool nb = t->nullable;
    while (tk->type != T_ALT && tk->type != T_END && (nest == 0 || tk->type != T_CLOSE)) {
        if (!parse_expression(t, tk, nest)) return false;
        nb = nb && t->nullable;
        if (t->out.oom) {
            t->err = REG_ESPACE;
            return false;
        }
    }
    t->nullable = nb;
    return true;
}

static bool parse_reg_exp(struct tr *t, struct tok *tk, int nest)
{
    unsigned initial = t->completed;
    if (!parse_branch(t, tk, nest)) return false;
    bool nr = t->nullable;
    while (tk->type == T_ALT) {
        if (t->depth == 0) {
            t->top_alt = true;
            run_end(t);
        }
        t->only_lit = false;
        emit(t, "|");
        fetch_token(t, tk, t->syn | CARET_HERE);
        if (tk->type != T_ALT && tk->type != T_END && (nest == 0 || tk->type != T_CLOSE)) {
            unsigned acc = t->completed;
            t->completed = initial;
            if (!parse_branch(t, tk, nest)) return false;
            t->completed |= acc;
            nr = nr || t->nullable;
        } else
            nr = true;
    }
    t->nullable = nr;
    return true;
}

static const char *const reg_msgs[] = {
    [REG_NOERROR] = "Success",
    [REG_NOMATCH] = "No match",
    [REG_BADPAT] = "Invalid regular expression",
    [REG_ECOLLATE] = "Invalid collation character",
    [REG_ECTYPE] = "Invalid character class name",
    [REG_EESCAPE] = "Trailing backslash",
    [REG_ESUBREG] = "Invalid back reference",
    [REG_EBRACK] = "Unmatched [, [^, [:, [., or [=",
    [REG_EPAREN] = "Unmatched ( or \\(",
    [REG_EBRACE] = "Unmatched \\{",
    [REG_BADBR] = "Invalid content of \\{\\}",
    [REG_ERANGE] = "Invalid range end",
    [REG_ESPACE] = "Memory exhausted",
    [REG_BADRPT] = "Invalid preceding regular expression",
    [REG_EEND] = "Premature end of regular expression",
    [REG_ESIZE] = "Regular expression too big",
    [REG_ERPAREN] = "Unmatched ) or \\)",
};

/* ---- the compiled object ------------------------------------------------ */

struct gre {
    struct re_pattern_buffer re;
    struct re_registers regs;
    bool compiled;
};

struct rx {
    struct proc *p;
    enum rx_kind kind;
    unsigned flags;
    unsigned long syn;
    char eol;
    char *pat; /* the BRE/ERE text (fixed strings converted) */
    size_t patlen;
    size_t nsub;
    bool backref;
    /* literal */
    bool literal; /* the whole pattern is lit */
    char *lit;
    size_t litlen;
    char *must; /* a string every match contains (prefilter), or NULL */
    size_t mustlen;
    /* PCRE2 */
    bool have_pcre;
    pcre2_general_context *gc;
    pcre2_code *code, *dcode;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    pcre2_jit_stack *js;
    size_t js_size;
    int *ws;
    size_t wslen;
    bool dfa_ok;
    /* glibc */
    struct gre *gre; /* one, or one per grep pattern when they hold back-references */
    size_t ngre;
    bool gre_tried;
    bool gre_failed;
    struct litset *set; /* many fixed strings (grep -F -f list) */
    size_t cost; /* the size of glibc's tree, roughly */
    int gre_err;
};

static void *pc_malloc(PCRE2_SIZE n, void *ud)
{
    return p_malloc((struct proc *)ud, n);
}

static void pc_free(void *ptr, void *ud)
{
    if (ptr) p_free((struct proc *)ud, ptr);
}

static pthread_mutex_t syntax_mu = PTHREAD_MUTEX_INITIALIZER;

/* Compile one pattern with glibc; NULL or glibc's message. */
static const char *gre_compile(struct rx *r, struct gre *g, const char *pat, size_t len)
{
    memset(g, 0, sizeof *g);
    g->re.fastmap = malloc(256);
    if (!g->re.fastmap) return reg_msgs[REG_ESPACE];
    unsigned long syn = r->syn;
    if (r->flags & RX_ICASE) syn |= RE_ICASE;
    if (r->flags & RX_NEWLINE) {
        syn &= ~RE_DOT_NEWLINE;
        syn |= RE_HAT_LISTS_NOT_NEWLINE;
    }
    locale_t old = uselocale(rx_locale(r->flags & RX_UTF8));
    pthread_mutex_lock(&syntax_mu);
    reg_syntax_t saved = re_set_syntax(syn);
    const char *msg = re_compile_pattern(pat, len, &g->re);
    re_set_syntax(saved);
    pthread_mutex_unlock(&syntax_mu);
    uselocale(old);
    if (msg) {
        free(g->re.fastmap);
        g->re.fastmap = NULL;
        return msg;
    }
    g->re.newline_anchor = (r->flags & RX_NEWLINE) != 0;
    g->re.regs_allocated = REGS_UNALLOCATED;
    g->compiled = true;
    return NULL;
}

static void gre_free(struct gre *g)
{
    if (!g->compiled) return;
    regfree(&g->re); /* frees buffer, fastmap, translate */
    if (g->regs.start) free(g->regs.start);
    if (g->regs.end) free(g->regs.end);
    g->compiled = false;
}

/* The glibc side, compiled on first need. Patterns of grep that hold
 * back-references are compiled one by one (GNU grep numbers each pattern's
 * groups apart). */
#define GRE_COST_MAX ((size_t)1 << 17)

static int gre_ensure(struct rx *r, char *err, size_t errlen)
{
    if (r->gre_tried) return r->gre_failed ? r->gre_err : 0;
    r->gre_tried = true;
    if (r->cost > GRE_COST_MAX) {
        /* glibc would spell out every copy (GNU grep and sed hang here). */
        if (err) snprintf(err, errlen, "%s", reg_msgs[REG_ESIZE]);
        r->gre_failed = true;
        return r->gre_err = -EFBIG;
    }
    size_t n = 1;
    bool split = (r->flags & RX_GREP) && memchr(r->pat, '\n', r->patlen);
    if (split)
        for (size_t k = 0; k < r->patlen; k++) n += r->pat[k] == '\n';
    r->gre = p_calloc(r->p, n, sizeof *r->gre);
    if (!r->gre) {
        r->gre_failed = true;
        if (err) snprintf(err, errlen, "%s", "memory exhausted");
        return r->gre_err = -ENOMEM;
    }
    r->ngre = n;
    const char *s = r->pat, *end = r->pat + r->patlen;
    for (size_t k = 0; k < n; k++) {
        const char *e = split ? memchr(s, '\n', (size_t)(end - s)) : NULL;
        if (!e) e = end;
        const char *msg = gre_compile(r, &r->gre[k], s, (size_t)(e - s));
        if (msg) {
            if (err) snprintf(err, errlen, "%s", msg);
            r->gre_failed = true;
            return r->gre_err = -EINVAL;
        }
        s = e + 1;
    }
    return 0;
}

/* re_search over s[0..len) from start: 1/0/<0; spans in m[0..nm). */
static int gre_exec(struct rx *r, const char *s, size_t len, size_t start, int eflags,
                    struct rx_span *m, size_t nm)
{
    int ge = gre_ensure(r, NULL, 0);
    if (ge < 0) return ge == -ENOMEM ? -ENOMEM : -EFBIG;
    if (proc_check(r->p) < 0) return -EINTR;
    locale_t old = uselocale(rx_locale(r->flags & RX_UTF8));
    int found = 0;
    ssize_t best_so = -1, best_eo = -1;
    for (size_t k = 0; k < r->ngre; k++) {
        struct gre *g = &r->gre[k];
        g->re.not_bol = (eflags & RX_NOTBOL) != 0;
        g->re.not_eol = (eflags & RX_NOTEOL) != 0;
        regoff_t pos = re_search(&g->re, s, (regoff_t)len, (regoff_t)start,
                                 (regoff_t)(len - start), nm ? &g->regs : NULL);
        if (pos == -2) {
            found = -ENOMEM;
            break;
        }
        if (pos < 0) continue;
        ssize_t eo = nm ? (ssize_t)g->regs.end[0] : pos;
        if (found && !(pos < best_so || (pos == best_so && eo > best_eo))) continue;
        found = 1;
        best_so = pos;
        best_eo = eo;
        if (nm) {
            m[0].so = pos;
            m[0].eo = eo;
            for (size_t j = 1; j < nm; j++) {
                if (j < g->regs.num_regs && j <= g->re.re_nsub) {
                    m[j].so = g->regs.start[j];
                    m[j].eo = g->regs.end[j];
                } else
                    m[j].so = m[j].eo = -1;
            }
        }
        if (r->ngre == 1 || !nm) break;
    }
    uselocale(old);
    return found;
}

/* Whether the character before s[at] / at s[at] is a word constituent
 * (alnum or '_'), as GNU grep's wordchar_prev/wordchar_next. */
static bool word_cp(uint32_t c, bool utf8)
{
    if (c == '_') return true;
    if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (!utf8) return false;
    return iswalnum_l((wint_t)c, rx_locale(true));
}

static bool word_before(const char *s, size_t at, bool utf8)
{
    if (at == 0) return false;
    const unsigned char *u = (const unsigned char *)s;
    if (!utf8 || u[at - 1] < 0x80) return word_cp(u[at - 1], utf8);
    size_t b = at - 1;
    while (b > 0 && at - b < 4 && (u[b] & 0xc0) == 0x80) b--;
    uint32_t cp;
    int l = u8len(u + b, at - b, &cp);
    return l && (size_t)l == at - b && word_cp(cp, true);
}

static bool word_after(const char *s, size_t at, size_t len, bool utf8)
{
    if (at >= len) return false;
    const unsigned char *u = (const unsigned char *)s;
    uint32_t cp;
    if (!utf8 || u[at] < 0x80) return word_cp(u[at], utf8);
    int l = u8len(u + at, len - at, &cp);
    return l && word_cp(cp, true);
}

/* Whether at falls inside a valid multibyte character of s. */
static bool inside_char(const char *s, size_t len, size_t at)
{
    const unsigned char *u = (const unsigned char *)s;
    if (at >= len || (u[at] & 0xc0) != 0x80) return false;
    for (size_t b = at; b > 0 && at - b < 3;) {
        b--;
        if ((u[b] & 0xc0) != 0x80) {
            uint32_t cp;
            int l = u8len(u + b, len - b, &cp);
            return l && b + (size_t)l > at;
        }
    }
    return false;
}

/* -x and -w on the glibc side, as GNU grep's EGexecute: -x wants the
 * leftmost-longest match to be the whole record; -w tries shorter matches
 * at the same start, then later starts. */
static int gre_exec_wx(struct rx *r, const char *s, size_t len, size_t start, int eflags,
                       struct rx_span *m, size_t nm)
{
    struct rx_span one[10];
    struct rx_span *mm = nm ? m : one;
    size_t n = nm ? nm : 1;
    bool utf8 = r->flags & RX_UTF8;
    size_t pos = start;
    for (;;) {
        int rc = gre_exec(r, s, len, pos, eflags, mm, n);
        if (rc <= 0) return rc;
        size_t so = (size_t)mm[0].so, l = (size_t)(mm[0].eo - mm[0].so);
        if (r->flags & RX_LINE) return so == 0 && l == len ? 1 : 0;
        if (utf8 && inside_char(s, len, so)) {
            /* inside a character: not a place a word can start */
            pos = so + 1;
            if (pos > len) return 0;
            continue;
        }
        for (;;) {
            if (!word_before(s, so, utf8) && !word_after(s, so + l, len, utf8)) {
                mm[0].so = (ssize_t)so;
                mm[0].eo = (ssize_t)(so + l);
                return 1;
            }
            if (l == 0) break;
            l--;
            /* The longest match at so that ends by so + l. */
            ssize_t best = -1;
            locale_t old = uselocale(rx_locale(utf8));
            for (size_t k = 0; k < r->ngre; k++) {
                r->gre[k].re.not_eol = 1;
                regoff_t ml = re_match(&r->gre[k].re, s, (regoff_t)(so + l), (regoff_t)so, NULL);
                if (ml > best) best = ml;
            }
            uselocale(old);
            if (best <= 0) break;
            l = (size_t)best;
        }
        pos = so + 1;
        if (pos > len) return 0;
    }
}

/* ---- PCRE2 ---------------------------------------------------------------- */

static int pcre_err(int rc)
{
    switch (rc) {
    case PCRE2_ERROR_NOMATCH:
        return 0;
    case PCRE2_ERROR_MATCHLIMIT:
        return -E2BIG;
    case PCRE2_ERROR_DEPTHLIMIT:
        return -ERANGE;
    case PCRE2_ERROR_HEAPLIMIT:
        return -EOVERFLOW;
    case PCRE2_ERROR_NOMEMORY:
        return -ENOMEM;
    case PCRE2_ERROR_JIT_STACKLIMIT:
        return -ENOSPC;
    case PCRE2_ERROR_RECURSELOOP:
        return -ELOOP;
    default:
        return -EIO;
    }
}

const char *rx_strerror(int err)
{
    switch (err) {
    case -E2BIG:
        return "exceeded PCRE's backtracking limit";
    case -ERANGE:
        return "exceeded PCRE's nested backtracking limit";
    case -EOVERFLOW:
        return "exceeded PCRE's heap limit";
    case -ENOMEM:
        return "memory exhausted";
    case -ENOSPC:
        return "exhausted PCRE JIT stack";
    case -ELOOP:
        return "PCRE detected recurse loop";
    case -EINTR:
        return "interrupted";
    case -EFBIG:
        return "regular expression too big";
    default:
        return "internal PCRE error";
    }
}

static int pcre_match(struct rx *r, const char *s, size_t len, size_t start, uint32_t opts)
{
    for (;;) {
        int rc = pcre2_match(r->code, (PCRE2_SPTR)s, len, start, opts, r->md, r->mc);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT && r->js_size < (64u << 20)) {
            size_t ns = r->js_size * 4;
            pcre2_jit_stack *js = pcre2_jit_stack_create(32 << 10, ns, r->gc);
            if (!js) return -ENOMEM;
            if (r->js) pcre2_jit_stack_free(r->js);
            r->js = js;
            r->js_size = ns;
            pcre2_jit_stack_assign(r->mc, NULL, js);
            continue;
        }
        return rc;
    }
}

/* Leftmost-longest bounds with the DFA matcher. */
static int pcre_dfa(struct rx *r, const char *s, size_t len, size_t start, uint32_t opts)
{
    for (;;) {
        const pcre2_code *c = r->code;
        if (r->dcode) {
            if (rx_utf8_valid_prefix(s, len) != len) return PCRE2_ERROR_BADOPTION;
            c = r->dcode;
            opts |= PCRE2_NO_UTF_CHECK;
        }
        int rc = pcre2_dfa_match(c, (PCRE2_SPTR)s, len, start, opts, r->md, r->mc, r->ws,
                                 r->wslen);
        if (rc == PCRE2_ERROR_DFA_WSSIZE && r->wslen < (1u << 22)) {
            size_t nl = r->wslen * 4;
            int *nw = p_realloc(r->p, r->ws, nl * sizeof(int));
            if (!nw) return PCRE2_ERROR_NOMEMORY;
            r->ws = nw;
            r->wslen = nl;
            continue;
        }
        if (rc == 0) rc = 1; /* ovector too small: the longest is still first */
        return rc;
    }
}

static int pcre_setup(struct rx *r, const char *pat, size_t len, uint32_t flags, char *err,
                      size_t errlen)
{
    r->gc = pcre2_general_context_create(pc_malloc, pc_free, r->p);
    if (!r->gc) return -ENOMEM;
    pcre2_compile_context *cc = pcre2_compile_context_create(r->gc);
    if (!cc) return -ENOMEM;
    if ((r->flags & RX_LINES) && r->eol == 0) pcre2_set_newline(cc, PCRE2_NEWLINE_NUL);
    int ec;
    PCRE2_SIZE eoff;
    r->code = pcre2_compile((PCRE2_SPTR)pat, len, flags, &ec, &eoff, cc);
    /* pcre2_dfa_match refuses PCRE2_MATCH_INVALID_UTF: a second code for
     * it, used on subjects checked to be valid. */
    if (r->code && (flags & PCRE2_MATCH_INVALID_UTF) && r->kind != RX_PCRE)
        r->dcode = pcre2_compile((PCRE2_SPTR)pat, len, flags & ~PCRE2_MATCH_INVALID_UTF, &ec,
                                 &eoff, cc);
    pcre2_compile_context_free(cc);
    if (!r->code) {
        if (err) pcre2_get_error_message(ec, (PCRE2_UCHAR *)err, errlen);
        return ec == PCRE2_ERROR_HEAP_FAILED ? -ENOMEM : -EINVAL;
    }
    pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
    r->md = pcre2_match_data_create_from_pattern(r->code, r->gc);
    r->mc = pcre2_match_context_create(r->gc);
    if (!r->md || !r->mc) return -ENOMEM;
    pcre2_set_match_limit(r->mc, 10000000);
    pcre2_set_heap_limit(r->mc, 64 * 1024); /* KiB */
    r->js_size = 0;
    r->js = pcre2_jit_stack_create(32 << 10, 1 << 20, r->gc);
    if (r->js) {
        r->js_size = 1 << 20;
        pcre2_jit_stack_assign(r->mc, NULL, r->js);
    }
    r->wslen = 1000;
    r->ws = p_malloc(r->p, r->wslen * sizeof(int));
    if (!r->ws) return -ENOMEM;
    r->have_pcre = true;
    return 0;
}

/* ---- many fixed strings ----------------------------------------------------
 * grep -F (or a pattern list of plain strings) with many patterns: a hash
 * set of the strings, probed with one rolling hash per distinct length
 * while the subject is scanned; a match is the longest string at the
 * leftmost position where one occurs (and is word/line-bounded for -w/-x).
 * ASCII case folding for -i. Linear in the subject times the number of
 * distinct lengths, whatever the number of strings. */

struct litset {
    char **str;
    size_t *len;
    size_t n;
    size_t *lens; /* distinct lengths, longest first */
    size_t nlens;
    uint64_t *pow; /* B^(L-1) per distinct length */
    uint32_t *slot; /* hash table of string indexes + 1 (0: empty) */
    uint64_t *shash;
    size_t mask;
    bool icase, has_empty;
};

#define LS_B 1099511628211ull

static inline unsigned char ls_fold(const struct litset *ls, unsigned char c)
{
    return ls->icase && c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static uint64_t ls_hash(const struct litset *ls, const char *p, size_t n)
{
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++) h = h * LS_B + ls_fold(ls, (unsigned char)p[i]);
    return h;
}

static uint64_t ls_mix(uint64_t h, size_t len)
{
    h ^= len * 0x9e3779b97f4a7c15ull;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 32);
}

static bool ls_eq(const struct litset *ls, const char *a, const char *b, size_t n)
{
    if (!ls->icase) return memcmp(a, b, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (ls_fold(ls, (unsigned char)a[i]) != ls_fold(ls, (unsigned char)b[i])) return false;
    return true;
}

/* Whether a string of length L with hash h sits at p. */
static bool ls_has(const struct litset *ls, uint64_t h, const char *p, size_t L)
{
    uint64_t k = ls_mix(h, L);
    for (size_t i = k & ls->mask;; i = (i + 1) & ls->mask) {
        uint32_t v = ls->slot[i];
        if (!v) return false;
        if (ls->shash[i] == k && ls->len[v - 1] == L && ls_eq(ls, ls->str[v - 1], p, L))
            return true;
    }
}

static int cmp_size_desc(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Build from '\n'-separated strings; NULL when out of memory. */
static struct litset *ls_build(struct proc *p, const char *pat, size_t plen, bool icase)
{
    struct litset *ls = p_calloc(p, 1, sizeof *ls);
    if (!ls) return NULL;
    ls->icase = icase;
    size_t n = 1;
    for (size_t i = 0; i < plen; i++) n += pat[i] == '\n';
    ls->str = p_calloc(p, n, sizeof *ls->str);
    ls->len = p_calloc(p, n, sizeof *ls->len);
    ls->lens = p_calloc(p, n, sizeof *ls->lens);
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    ls->slot = p_calloc(p, cap, sizeof *ls->slot);
    ls->shash = p_calloc(p, cap, sizeof *ls->shash);
    if (!ls->str || !ls->len || !ls->lens || !ls->slot || !ls->shash) return NULL;
    ls->mask = cap - 1;
    const char *s = pat, *end = pat + plen;
    for (;;) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) e = end;
        size_t L = (size_t)(e - s);
        if (L == 0)
            ls->has_empty = true;
        else {
            uint64_t k = ls_mix(ls_hash(ls, s, L), L);
            size_t i = k & ls->mask;
            bool dup = false;
            for (; ls->slot[i]; i = (i + 1) & ls->mask)
                if (ls->shash[i] == k && ls->len[ls->slot[i] - 1] == L &&
                    ls_eq(ls, ls->str[ls->slot[i] - 1], s, L)) {
                    dup = true;
                    break;
                }
            if (!dup) {
                ls->str[ls->n] = (char *)s;
                ls->len[ls->n] = L;
                ls->n++;
                ls->slot[i] = (uint32_t)ls->n;
                ls->shash[i] = k;
                bool seen = false;
                for (size_t j = 0; j < ls->nlens && !seen; j++) seen = ls->lens[j] == L;
                if (!seen) ls->lens[ls->nlens++] = L;
            }
        }
        if (e == end) break;
        s = e + 1;
    }
    qsort(ls->lens, ls->nlens, sizeof *ls->lens, cmp_size_desc);
    ls->pow = p_calloc(p, ls->nlens ? ls->nlens : 1, sizeof *ls->pow);
    if (!ls->pow) return NULL;
    for (size_t j = 0; j < ls->nlens; j++) {
        uint64_t pw = 1;
        for (size_t k = 1; k < ls->lens[j]; k++) pw *= LS_B;
        ls->pow[j] = pw;
    }
    return ls;
}

static void ls_free(struct proc *p, struct litset *ls)
{
    if (!ls) return;
    p_free(p, ls->str);
    p_free(p, ls->len);
    p_free(p, ls->lens);
    p_free(p, ls->pow);
    p_free(p, ls->slot);
    p_free(p, ls->shash);
    p_free(p, ls);
}

static bool word_before(const char *s, size_t at, bool utf8);
static bool word_after(const char *s, size_t at, size_t len, bool utf8);

/* Leftmost-longest occurrence in s[start..len) that is bounded as flags
 * ask: 1 and the bounds, or 0. */
static int ls_search(struct rx *r, const char *s, size_t len, size_t start, size_t *so,
                     size_t *eo)
{
    struct litset *ls = r->set;
    bool word = r->flags & RX_WORD, line = r->flags & RX_LINE, utf8 = r->flags & RX_UTF8;
    if (line) {
        /* the whole subject must be one of the strings */
        if (start > 0) return 0;
        bool ok = len == 0 ? ls->has_empty : ls_has(ls, ls_hash(ls, s, len), s, len);
        if (ok) *so = 0, *eo = len;
        return ok;
    }
    size_t nl = ls->nlens;
    uint64_t hs[64];
    uint64_t *h = nl <= 64 ? hs : p_malloc(r->p, nl * sizeof *h);
    if (!h) return -ENOMEM;
    for (size_t j = 0; j < nl; j++)
        if (start + ls->lens[j] <= len) h[j] = ls_hash(ls, s + start, ls->lens[j]);
    int found = 0;
    for (size_t pos = start; pos <= len; pos++) {
        for (size_t j = 0; j < nl; j++) {
            size_t L = ls->lens[j];
            if (pos + L > len) continue;
            if (ls_has(ls, h[j], s + pos, L) &&
                (!word || (!word_before(s, pos, utf8) && !word_after(s, pos + L, len, utf8)))) {
                *so = pos, *eo = pos + L;
                found = 1;
                goto out;
            }
        }
        if (ls->has_empty && (!word || (!word_before(s, pos, utf8) && !word_after(s, pos, len, utf8)))) {
            *so = *eo = pos;
            found = 1;
            goto out;
        }
        if (pos == len) break;
        /* roll each hash one byte on */
        unsigned char out = ls_fold(ls, (unsigned char)s[pos]);
        for (size_t j = 0; j < nl; j++) {
            size_t L = ls->lens[j];
            if (pos + 1 + L <= len)
                h[j] = (h[j] - out * ls->pow[j]) * LS_B + ls_fold(ls, (unsigned char)s[pos + L]);
        }
    }
out:
    if (h != hs) p_free(r->p, h);
    return found;
}

/* Whether the '\n'-separated patterns are all plain strings under syn. */
static bool list_is_plain(const char *pat, size_t len, bool ere)
{
    for (size_t i = 0; i < len; i++) {
        char c = pat[i];
        if (c == '\\' || c == '[' || c == '.' || c == '*' || c == '^' || c == '$') return false;
        if (ere && (c == '+' || c == '?' || c == '{' || c == '}' || c == '(' || c == ')' || c == '|'))
            return false;
    }
    return true;
}

/* ---- compile ------------------------------------------------------------------ */

static unsigned long default_syntax(const struct rx_opts *o)
{
    bool ere = o->kind == RX_ERE;
    if (o->flags & RX_GREP)
        return (ere ? RE_SYNTAX_EGREP : RE_SYNTAX_GREP) | RE_NO_EMPTY_RANGES;
    unsigned long s = ere ? RE_SYNTAX_POSIX_EXTENDED : RE_SYNTAX_POSIX_BASIC;
    s &= ~RE_DOT_NOT_NULL;
    s |= RE_NO_POSIX_BACKTRACKING;
    if (o->flags & RX_POSIX)
        s |= RE_UNMATCHED_RIGHT_PAREN_ORD | RE_NO_GNU_OPS;
    else
        s &= ~RE_UNMATCHED_RIGHT_PAREN_ORD;
    return s;
}

/* grep -F: the strings as a BRE. */
static char *fixed_to_bre(struct proc *p, const char *s, size_t n, size_t *outlen)
{
    char *o = p_malloc(p, 2 * n + 1);
    if (!o) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' || c == '[' || c == ']' || c == '.' || c == '*' || c == '^' || c == '$')
            o[k++] = '\\';
        o[k++] = c;
    }
    o[k] = 0;
    *outlen = k;
    return o;
}

static void tr_free(struct tr *t)
{
    sbuf_free(&t->out);
    sbuf_free(&t->lit);
    sbuf_free(&t->run);
    sbuf_free(&t->best);
}

/* Translate one pattern (grep: one line of the pattern list). */
static bool translate_one(struct tr *t, const char *pat, size_t len)
{
    t->pat = (const unsigned char *)pat;
    t->len = len;
    t->i = 0;
    t->completed = 0;
    t->nsub = 0;
    struct tok tk;
    fetch_token(t, &tk, t->syn | CARET_HERE);
    if (!parse_reg_exp(t, &tk, 0)) return false;
    if (tk.type != T_END) {
        /* Only a ')' at nest 0 without RE_UNMATCHED_RIGHT_PAREN_ORD. */
        t->err = REG_ERPAREN;
        return false;
    }
    return true;
}

int rx_compile(struct proc *p, const char *pat, size_t len, const struct rx_opts *o,
               struct rx **out, char *err, size_t errlen)
{
    *out = NULL;
    if (err && errlen) err[0] = 0;
    struct rx *r = p_calloc(p, 1, sizeof *r);
    if (!r) {
        if (err) snprintf(err, errlen, "memory exhausted");
        return -ENOMEM;
    }
    r->p = p;
    r->kind = o->kind;
    r->flags = o->flags;
    r->eol = (o->flags & RX_LINES) ? o->eol : '\n';
    int rc = 0;
    bool utf8 = o->flags & RX_UTF8;

    if (o->kind == RX_PCRE) {
        const char *pre = "", *post = "";
        if (o->flags & RX_LINE)
            pre = "^(?:", post = ")$";
        else if (o->flags & RX_WORD)
            pre = "(?<!\\w)(?:", post = ")(?!\\w)";
        struct sbuf sb;
        sbuf_init(&sb, p);
        sbuf_add(&sb, pre, strlen(pre));
        sbuf_add(&sb, pat, len);
        sbuf_add(&sb, post, strlen(post));
        if (sb.oom) {
            sbuf_free(&sb);
            rc = -ENOMEM;
            goto fail;
        }
        uint32_t fl = PCRE2_DOLLAR_ENDONLY;
        if (o->flags & RX_ICASE) fl |= PCRE2_CASELESS;
        if (utf8) fl |= PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
        rc = pcre_setup(r, sb.s ? sb.s : "", sb.len, fl, err, errlen);
        sbuf_free(&sb);
        if (rc < 0) goto fail;
        r->nsub = 0;
        uint32_t cap = 0;
        pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &cap);
        r->nsub = cap;
        *out = r;
        return 0;
    }

    r->syn = o->syntax ? o->syntax : default_syntax(o);
    /* Many plain strings: the literal set (what GNU grep's kwset does). */
    if ((o->flags & RX_GREP) && (o->flags & RX_LINES) && !(o->flags & RX_NO_PCRE)) {
        size_t npat = 1;
        for (size_t i = 0; i < len; i++) npat += pat[i] == '\n';
        bool plain = o->kind == RX_FIXED ||
                     ((o->kind == RX_BRE || o->kind == RX_ERE) && !o->syntax &&
                      list_is_plain(pat, len, o->kind == RX_ERE));
        bool ascii = true;
        for (size_t i = 0; i < len && ascii; i++) ascii = (unsigned char)pat[i] < 0x80;
        if (npat > 64 && plain && (ascii || !(o->flags & RX_ICASE)) &&
            (!utf8 || rx_utf8_valid_prefix(pat, len) == len) &&
            (o->eol == '\n' || memchr(pat, o->eol, len) == NULL)) {
            r->pat = p_malloc(p, len + 1);
            if (!r->pat) {
                rc = -ENOMEM;
                goto fail;
            }
            memcpy(r->pat, pat, len);
            r->pat[len] = 0;
            r->patlen = len;
            r->set = ls_build(p, r->pat, len, o->flags & RX_ICASE);
            if (!r->set) {
                rc = -ENOMEM;
                goto fail;
            }
            *out = r;
            return 0;
        }
    }
    if (o->kind == RX_FIXED) {
        r->pat = fixed_to_bre(p, pat, len, &r->patlen);
        if (o->flags & RX_GREP) r->syn = RE_SYNTAX_GREP | RE_NO_EMPTY_RANGES;
    } else {
        r->pat = p_malloc(p, len + 1);
        if (r->pat) {
            memcpy(r->pat, pat, len);
            r->pat[len] = 0;
            r->patlen = len;
        }
    }
    if (!r->pat) {
        rc = -ENOMEM;
        goto fail;
    }

    struct tr t = {0};
    t.p = p;
    t.syn = r->syn;
    t.mb = utf8;
    t.icase = o->flags & RX_ICASE;
    t.lines = o->flags & RX_LINES;
    t.newline = o->flags & RX_NEWLINE;
    t.grep = o->flags & RX_GREP;
    if (t.newline) {
        t.syn &= ~RE_DOT_NEWLINE;
        t.syn |= RE_HAT_LISTS_NOT_NEWLINE;
    }
    t.eol = r->eol;
    t.only_lit = true;
    sbuf_init(&t.out, p);
    sbuf_init(&t.lit, p);
    sbuf_init(&t.run, p);
    sbuf_init(&t.best, p);
    sbuf_add(&t.out, "", 0);
    sbuf_add(&t.lit, "", 0);
    sbuf_add(&t.best, "", 0);

    bool multi = (o->flags & RX_GREP) && memchr(r->pat, '\n', r->patlen);
    bool ok = true;
    if (o->flags & RX_LINE)
        emit(&t, "^(?:");
    else if (o->flags & RX_WORD) {
        emit(&t, "(?<!");
        emit_word_set(&t, false);
        emit(&t, ")(?:");
    }
    if (multi) {
        /* Each pattern alone: its own groups, its own errors. */
        const char *s = r->pat, *end = r->pat + r->patlen;
        t.syn &= ~RE_NEWLINE_ALT;
        t.only_lit = false;
        t.top_alt = true;
        size_t total = 0;
        for (bool first = true;; first = false) {
            const char *e = memchr(s, '\n', (size_t)(end - s));
            if (!e) e = end;
            if (!first) emit(&t, "|");
            emit(&t, "(?:");
            t.base = total;
            ok = translate_one(&t, s, (size_t)(e - s));
            emit(&t, ")");
            total += t.nsub;
            if (!ok || e == end) break;
            s = e + 1;
        }
        r->nsub = total;
    } else {
        ok = translate_one(&t, r->pat, r->patlen);
        r->nsub = t.nsub;
    }
    if (o->flags & RX_LINE)
        emit(&t, ")$");
    else if (o->flags & RX_WORD) {
        emit(&t, ")(?!");
        emit_word_set(&t, false);
        emit(&t, ")");
    }
    r->backref = t.backref;
    if (ok && t.out.oom) {
        ok = false;
        t.err = REG_ESPACE;
    }

    /* glibc checks small patterns too: its messages are the reference. */
    r->cost = t.cost;
    /* Anchors ahead of nested empty-matching loops make glibc's closure
     * computation explode (GNU grep and sed hang on '^(x?)+++'): past a
     * few such loops its engine is refused, and not asked to validate. */
    if (t.anchors && t.nullrep >= 3) r->cost = GRE_COST_MAX + 1;
    if (!ok || t.unsupported ||
        (r->patlen <= 4096 && r->cost <= GRE_COST_MAX && !(t.anchors && t.nullrep))) {
        char gerr[200];
        int g = gre_ensure(r, gerr, sizeof gerr);
        if (g < 0) {
            if (err) snprintf(err, errlen, "%s", gerr);
            rc = g == -ENOMEM ? -ENOMEM : -EINVAL;
            tr_free(&t);
            goto fail;
        }
        if (!ok) t.unsupported = true; /* glibc accepts what the translator refused */
    }
    if (!ok && !t.unsupported) {
        if (err)
            snprintf(err, errlen, "%s",
                     t.err > 0 && t.err <= REG_ERPAREN ? reg_msgs[t.err]
                                                       : "Invalid regular expression");
        rc = t.err == REG_ESPACE ? -ENOMEM : -EINVAL;
        tr_free(&t);
        goto fail;
    }
    /* dfa.c runs after glibc: its warnings, then its error. */
    for (int k = 0; k < t.nwarn && o->warn; k++) o->warn(o->warn_ctx, t.warns[k]);
    if (t.colon) {
        if (err) snprintf(err, errlen, "character class syntax is [[:space:]], not [:space:]");
        rc = -EINVAL;
        tr_free(&t);
        goto fail;
    }

    if (o->flags & RX_NO_PCRE) t.unsupported = true;
    if (!t.unsupported && ok) {
        if (t.only_lit && !t.top_alt) {
            r->literal = true;
            r->litlen = t.lit.len;
            r->lit = p_malloc(p, t.lit.len + 1);
            if (r->lit) memcpy(r->lit, t.lit.s ? t.lit.s : "", t.lit.len);
            if (!r->lit) r->literal = false;
        }
        run_end(&t);
        if (!t.top_alt && t.best.len > 0 && !(o->flags & RX_ICASE)) {
            r->must = p_malloc(p, t.best.len + 1);
            if (r->must) {
                memcpy(r->must, t.best.s, t.best.len);
                r->mustlen = t.best.len;
            }
        }
        uint32_t fl = 0;
        if (o->flags & RX_ICASE) fl |= PCRE2_CASELESS;
        if (utf8) fl |= PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
        if (o->flags & RX_LINES)
            fl |= PCRE2_MULTILINE;
        else
            fl |= PCRE2_DOLLAR_ENDONLY;
        char perr[128];
        int prc = pcre_setup(r, t.out.s, t.out.len, fl, perr, sizeof perr);
        if (prc == -ENOMEM) {
            tr_free(&t);
            rc = -ENOMEM;
            goto fail;
        }
        if (prc < 0) r->have_pcre = false; /* e.g. too large: glibc does it */
        r->dfa_ok = r->have_pcre && !r->backref;
    }
    tr_free(&t);
    if (!r->have_pcre && !r->literal) {
        char gerr[200];
        int g = gre_ensure(r, gerr, sizeof gerr);
        if (g < 0) {
            if (err) snprintf(err, errlen, "%s", gerr);
            rc = g;
            goto fail;
        }
    }
    *out = r;
    return 0;
fail:
    if (rc == -ENOMEM && err && !err[0]) snprintf(err, errlen, "memory exhausted");
    rx_free(r);
    return rc;
}

void rx_free(struct rx *r)
{
    if (!r) return;
    struct proc *p = r->p;
    for (size_t k = 0; k < r->ngre; k++) gre_free(&r->gre[k]);
    ls_free(p, r->set);
    p_free(p, r->gre);
    if (r->md) pcre2_match_data_free(r->md);
    if (r->mc) pcre2_match_context_free(r->mc);
    if (r->js) pcre2_jit_stack_free(r->js);
    if (r->code) pcre2_code_free(r->code);
    if (r->dcode) pcre2_code_free(r->dcode);
    if (r->gc) pcre2_general_context_free(r->gc);
    p_free(p, r->ws);
    p_free(p, r->pat);
    p_free(p, r->lit);
    p_free(p, r->must);
    p_free(p, r);
}

size_t rx_nsub(const struct rx *r)
{
    return r->nsub;
}

bool rx_is_literal(const struct rx *r, const char **lit, size_t *len)
{
    if (!r->literal) return false;
    if (lit) *lit = r->lit;
    if (len) *len = r->litlen;
    return true;
}

/* ---- matching -------------------------------------------------------------- */

static bool plain_literal(const struct rx *r)
{
    return r->literal && !(r->flags & (RX_ICASE | RX_WORD | RX_LINE));
}

int rx_exec(struct rx *r, const char *s, size_t len, size_t start, int eflags,
            struct rx_span *m, size_t nm)
{
    if (start > len) return 0;
    if (r->set) {
        size_t so, eo;
        int rc = ls_search(r, s, len, start, &so, &eo);
        if (rc > 0 && nm) {
            m[0].so = (ssize_t)so;
            m[0].eo = (ssize_t)eo;
            for (size_t j = 1; j < nm; j++) m[j].so = m[j].eo = -1;
        }
        return rc;
    }
    if (plain_literal(r)) {
        const char *f = r->litlen ? memmem(s + start, len - start, r->lit, r->litlen) : s + start;
        if (!f) return 0;
        if (nm) {
            m[0].so = f - s;
            m[0].eo = m[0].so + (ssize_t)r->litlen;
            for (size_t j = 1; j < nm; j++) m[j].so = m[j].eo = -1;
        }
        return 1;
    }
    bool need_groups = nm > 1 && r->nsub > 0;
    uint32_t opts = 0;
    if (eflags & RX_NOTBOL) opts |= PCRE2_NOTBOL;
    if (eflags & RX_NOTEOL) opts |= PCRE2_NOTEOL;
    if (r->kind == RX_PCRE) {
        int rc = pcre_match(r, s, len, start, opts);
        if (rc < 0) return pcre_err(rc);
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
        uint32_t oc = pcre2_get_ovector_count(r->md);
        for (size_t j = 0; j < nm; j++) {
            if (j < oc && ov[2 * j] != PCRE2_UNSET) {
                m[j].so = (ssize_t)ov[2 * j];
                m[j].eo = (ssize_t)ov[2 * j + 1];
            } else
                m[j].so = m[j].eo = -1;
        }
        return 1;
    }
    /* A start inside a character (sed steps over empty matches a byte at a
     * time): glibc reads the rest as bytes; the translation cannot. */
    bool midchar = (r->flags & RX_UTF8) && start > 0 && inside_char(s, len, start);
    if (r->have_pcre && !need_groups && (nm == 0 || r->dfa_ok) && !midchar) {
        int rc = nm == 0 ? pcre_match(r, s, len, start, opts) : pcre_dfa(r, s, len, start, opts);
        if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH) {
            if (rc == PCRE2_ERROR_NOMATCH) return 0;
            if (nm) {
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
                m[0].so = (ssize_t)ov[0];
                m[0].eo = (ssize_t)ov[1];
                for (size_t j = 1; j < nm; j++) m[j].so = m[j].eo = -1;
            }
            return 1;
        }
        if (rc == PCRE2_ERROR_NOMEMORY) return -ENOMEM;
        /* A limit: glibc has none (as GNU grep and sed). */
    }
    int rc = (r->flags & (RX_WORD | RX_LINE)) ? gre_exec_wx(r, s, len, start, eflags, m, nm)
                                              : gre_exec(r, s, len, start, eflags, m, nm);
    if (rc > 0 && nm > 1)
        for (size_t j = r->nsub + 1; j < nm; j++) m[j].so = m[j].eo = -1;
    return rc;
}

/* The record around position at of buf[start..len). */
static void record_bounds(const struct rx *r, const char *buf, size_t len, size_t start,
                          size_t at, size_t *rb, size_t *re)
{
    const char *b = at > start ? memrchr(buf + start, r->eol, at - start) : NULL;
    *rb = b ? (size_t)(b - buf) + 1 : start;
    const char *e = at < len ? memchr(buf + at, r->eol, len - at) : NULL;
    *re = e ? (size_t)(e - buf) : len;
}

static int match_record(struct rx *r, const char *buf, size_t b, size_t e)
{
    return rx_exec(r, buf + b, e - b, 0, 0, NULL, 0);
}

int rx_find(struct rx *r, const char *buf, size_t len, size_t start, size_t *rb, size_t *re)
{
    size_t pos = start;
    if (pos >= len) return 0;
    if (r->set && !(r->flags & (RX_WORD | RX_LINE))) {
        /* one scan of the whole buffer; a hit never spans a record end */
        size_t so, eo;
        int rc = ls_search(r, buf, len, pos, &so, &eo);
        if (rc <= 0) return rc;
        if (so >= len && len > start && buf[len - 1] == r->eol) return 0;
        record_bounds(r, buf, len, pos, so, rb, re);
        return 1;
    }
    if (r->kind != RX_PCRE && (r->literal || r->must) && !(r->literal && r->flags & RX_ICASE)) {
        const char *lit = r->literal ? r->lit : r->must;
        size_t ll = r->literal ? r->litlen : r->mustlen;
        bool exact = plain_literal(r);
        unsigned n = 0;
        while (pos < len) {
            const char *f = ll ? memmem(buf + pos, len - pos, lit, ll) : buf + pos;
            if (!f) return 0;
            size_t b, e;
            record_bounds(r, buf, len, pos, (size_t)(f - buf), &b, &e);
            if (exact && (ll == 0 || memchr(lit, r->eol, ll) == NULL)) {
                *rb = b;
                *re = e;
                return 1;
            }
            int rc = match_record(r, buf, b, e);
            if (rc < 0) return rc;
            if (rc > 0) {
                *rb = b;
                *re = e;
                return 1;
            }
            pos = e + 1;
            if ((++n & 1023) == 0 && proc_check(r->p) < 0) return -EINTR;
        }
        return 0;
    }
    if (r->have_pcre && r->kind != RX_PCRE) {
        int rc = pcre_match(r, buf, len, pos, 0);
        if (rc == PCRE2_ERROR_NOMATCH) return 0;
        if (rc >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
            size_t at = ov[0];
            if (at >= len && len > start && buf[len - 1] == r->eol) return 0;
            record_bounds(r, buf, len, pos, at, rb, re);
            return 1;
        }
        if (rc == PCRE2_ERROR_NOMEMORY) return -ENOMEM;
        /* A limit over the whole buffer: go record by record. */
    }
    unsigned n = 0;
    while (pos < len) {
        const char *e = memchr(buf + pos, r->eol, len - pos);
        size_t end = e ? (size_t)(e - buf) : len;
        int rc = match_record(r, buf, pos, end);
        if (rc < 0) return rc;
        if (rc > 0) {
            *rb = pos;
            *re = end;
            return 1;
        }
        pos = end + 1;
        if ((++n & 255) == 0 && proc_check(r->p) < 0) return -EINTR;
    }
    return 0;
}
