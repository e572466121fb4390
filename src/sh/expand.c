/* sh/expand.c — word expansion, in bash's order: brace expansion, then per
 * word tilde, parameter, arithmetic and command substitution (left to
 * right), field splitting on IFS, pathname expansion, quote removal.
 *
 * A word is built into fields of bytes with a flag per byte: F_QUOTED bytes
 * came from quoting (never split, never glob characters), F_SPLIT bytes from
 * an unquoted expansion (split on IFS). "$@" and "${a[@]}" end a field and
 * start the next even inside quotes.
 */
#include "sh/sh.h"
#include "sh/arith.h"
#include "sh/brace.h"
#include "sh/glob.h"
#include "sh/pattern.h"
#include <ctype.h>
#include <locale.h>
#include <pthread.h>
#include <wchar.h>
#include <wctype.h>
#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define F_QUOTED 1
#define F_SPLIT 2

struct field {
    char *s;
    unsigned char *f;
    size_t len, cap;
    bool force; /* a quoted part was seen: keep even when empty */
    size_t *qe; /* offsets of quoted empty strings ("" '' "$empty"): each */
    size_t nqe, cap_qe; /* keeps an empty field where splitting leaves one */
};

struct xstate {
    struct sh *sh;
    int flags;
    struct field *fields;
    size_t n, cap;
    bool error;
    /* Inside the word of ${x:-word} and friends: unquoted literal text
     * splits like an expansion; within double quotes '...' stays literal. */
    bool arg_split, arg_dq;
    /* A leading ~ in literal text is a tilde prefix: words made by brace
     * expansion, and the word of ${x:-word} (the parser marks the rest). */
    bool tilde_ok;
};

void strv_push(struct sh_strv *sv, char *s)
{
    if (sv->n + 2 > sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 8;
        sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

void strv_clear(struct sh_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++) free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

/* ---- field building ---------------------------------------------------- */

static struct field *cur(struct xstate *x)
{
    if (!x->n) {
        x->fields = xrealloc(x->fields, (x->cap = 4) * sizeof *x->fields);
        memset(&x->fields[0], 0, sizeof x->fields[0]);
        x->n = 1;
    }
    return &x->fields[x->n - 1];
}

static void new_field(struct xstate *x)
{
    cur(x);
    if (x->n == x->cap) x->fields = xrealloc(x->fields, (x->cap *= 2) * sizeof *x->fields);
    memset(&x->fields[x->n], 0, sizeof x->fields[0]);
    x->n++;
}

static void add_raw(struct xstate *x, const char *s, size_t n, unsigned char flag);
static void mark_quoted(struct xstate *x);

/* Quoted bytes in a pattern context are escaped so the matcher takes them
 * literally. */
static void add(struct xstate *x, const char *s, size_t n, unsigned char flag)
{
    if (!(flag & F_QUOTED) || !(x->flags & (X_PATTERN | X_REGEX))) {
        add_raw(x, s, n, flag);
        return;
    }
    const char *special = (x->flags & X_REGEX) ? "\\.[]*+?{}()|^$" : "\\*?[]+@!()|";
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (!s[i] || !strchr(special, s[i])) continue;
        add_raw(x, s + start, i - start, flag);
        add_raw(x, "\\", 1, flag);
        start = i;
    }
    add_raw(x, s + start, n - start, flag);
}

static void add_raw(struct xstate *x, const char *s, size_t n, unsigned char flag)
{
    struct field *f = cur(x);
    if (f->len + n > x->sh->lim.string_bytes) {
        if (!x->error) sh_error(x->sh, "expansion exceeds the string size limit (%zu bytes)",
                                x->sh->lim.string_bytes);
        x->error = true;
        x->sh->fatal = true;
        return;
    }
    if (f->len + n + 1 > f->cap) {
        size_t cap = f->cap ? f->cap : 32;
        while (cap < f->len + n + 1) cap *= 2;
        f->s = xrealloc(f->s, cap);
        f->f = xrealloc(f->f, cap);
        f->cap = cap;
    }
    memcpy(f->s + f->len, s, n);
    memset(f->f + f->len, flag, n);
    f->len += n;
    f->s[f->len] = 0;
    if (flag & F_QUOTED) {
        if (n) f->force = true;
        else mark_quoted(x);
    }
}

/* A quoted part that added nothing: remember where, for splitting. */
static void mark_quoted(struct xstate *x)
{
    struct field *f = cur(x);
    f->force = true;
    if (f->nqe && f->qe[f->nqe - 1] == f->len) return;
    if (f->nqe == f->cap_qe) {
        f->cap_qe = f->cap_qe ? f->cap_qe * 2 : 4;
        f->qe = xrealloc(f->qe, f->cap_qe * sizeof *f->qe);
    }
    f->qe[f->nqe++] = f->len;
}

static void free_fields(struct xstate *x)
{
    for (size_t i = 0; i < x->n; i++) {
        free(x->fields[i].s);
        free(x->fields[i].f);
        free(x->fields[i].qe);
    }
    free(x->fields);
    x->fields = NULL;
    x->n = x->cap = 0;
}

/* ---- small helpers ------------------------------------------------------ */

const char *sh_ifs(struct sh *sh)
{
    const char *ifs = sh_var_get(sh, "IFS");
    return ifs ? ifs : " \t\n";
}

static bool ifs_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static const char *positional(struct sh *sh, long n)
{
    if (n == 0) return sh->arg0;
    return n <= sh->argc ? sh->argv[n - 1] : NULL;
}

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

/* The value of a special or ordinary scalar parameter; *freeit when the
 * result is malloc'd. NULL when unset. */
static const char *scalar_param(struct sh *sh, const char *name, char **freeit)
{
    *freeit = NULL;
    if (all_digits(name)) return positional(sh, strtol(name, NULL, 10));
    if (!name[1]) {
        switch (name[0]) {
        case '?': return *freeit = xasprintf("%d", sh->status);
        case '$': return *freeit = xasprintf("%d", sh->rootpid);
        case '!': return sh->last_bg ? (*freeit = xasprintf("%d", sh->last_bg)) : NULL;
        case '#': return *freeit = xasprintf("%d", sh->argc);
        case '_': return sh->last_arg ? sh->last_arg : "";
        case '-': {
            /* In bash's order, then c (-c) or s (stdin); i when interactive. */
            static const char order[] = "abefhikmnptuvxBCEHPT";
            char buf[32];
            size_t n = 0;
            for (const char *c = order; *c; c++) {
                bool on = false;
                for (int i = 0; i < O__COUNT; i++)
                    if (sh_opt_letters[i] == *c && sh->opt[i]) on = true;
                if (*c == 'i' && sh->interactive) on = true;
                if (on) buf[n++] = *c;
            }
            if (sh->src_kind == SRC_C) buf[n++] = 'c';
            else if (sh->src_kind == SRC_STDIN) buf[n++] = 's';
            buf[n] = 0;
            return *freeit = xstrdup(buf);
        }
        }
    }
    if (!strcmp(name, "SHELLOPTS") || !strcmp(name, "BASHOPTS")) {
        /* Colon-separated names of the options that are on, sorted. */
        bool shell = name[0] == 'S';
        int n = shell ? O__COUNT : S__COUNT;
        const char *const *names = shell ? sh_opt_names : sh_shopt_names;
        bool *on = shell ? sh->opt : sh->shopt;
        struct sh_strv v = {0};
        for (int i = 0; i < n; i++)
            if (on[i] && strncmp(names[i], "compat", 6)) strv_push(&v, xstrdup(names[i]));
        for (size_t i = 1; i < v.n; i++)
            for (size_t j = i; j > 0 && strcmp(v.v[j - 1], v.v[j]) > 0; j--) {
                char *t = v.v[j];
                v.v[j] = v.v[j - 1];
                v.v[j - 1] = t;
            }
        size_t len = 1;
        for (size_t i = 0; i < v.n; i++) len += strlen(v.v[i]) + 1;
        char *r = xmalloc(len), *o = r;
        for (size_t i = 0; i < v.n; i++) o += sprintf(o, "%s%s", i ? ":" : "", v.v[i]);
        *o = 0;
        strv_clear(&v);
        return *freeit = r;
    }
    if (!strcmp(name, "RANDOM")) {
        sh->random_state = sh->random_state * 1103515245u + 12345u;
        return *freeit = xasprintf("%u", (sh->random_state >> 16) & 0x7fff);
    }
    if (!strcmp(name, "SECONDS") && !sh_var_find(sh, "SECONDS"))
        return *freeit = xasprintf("%jd", sh->seconds_base + (intmax_t)((now_ns() - sh->start_ns) / 1000000000ull));
    if (!strcmp(name, "LINENO")) return *freeit = xasprintf("%d", sh->lineno);
    if (!strcmp(name, "BASHPID")) return *freeit = xasprintf("%d", sh->p->pid);
    if (!strcmp(name, "PPID") && !sh_var_find(sh, "PPID")) return *freeit = xasprintf("%d", sh->p->ppid);
    if (!strcmp(name, "EPOCHSECONDS") || !strcmp(name, "EPOCHREALTIME")) {
        struct timespec ts;
        sys_clock_gettime(sh->p, CLOCK_REALTIME, &ts);
        if (name[5] == 'S') return *freeit = xasprintf("%lld", (long long)ts.tv_sec);
        return *freeit = xasprintf("%lld.%06ld", (long long)ts.tv_sec, ts.tv_nsec / 1000);
    }
    if (!strcmp(name, "SHLVL") && !sh_var_find(sh, "SHLVL")) return "1";
    if (!strcmp(name, "BASH_SUBSHELL")) return *freeit = xasprintf("%d", sh->subshell_level);
    return sh_var_get(sh, name);
}

/* ---- parameter expansion ----------------------------------------------- */

struct pval {
    struct sh_strv v; /* the value(s) */
    bool set;         /* parameter set (for :- etc.) */
    bool multi;       /* "$@"-like: one field per element when quoted */
    bool star;        /* $* / ${a[*]}: joined by IFS[0] when quoted */
    bool is_array_all;
};

static void pv_add(struct pval *pv, const char *s)
{
    strv_push(&pv->v, xstrdup(s));
}

/* Evaluate a subscript of an indexed array. */
static int eval_index(struct sh *sh, const struct sh_word *w, intmax_t *idx)
{
    return sh_arith_word(sh, w, idx);
}

/* Gather the value(s) of a parameter reference, before any operator. */
/* A word parsed from text (a subscript kept as text: ${!ref} targets,
 * namerefs to a[i]); its text is the text itself. NULL on a parse error. */
struct sh_word *sh_word_from_text(struct sh_arena *a, const char *text, size_t len)
{
    char *src = xasprintf(": %.*s", (int)len, text);
    struct sh_node *n = NULL;
    const char *err;
    int el;
    struct sh_word *w = NULL;
    if (sh_parse_string(a, src, strlen(src), NULL, &n, &err, &el) == 0) {
        while (n && (n->kind == SH_N_LIST || n->kind == SH_N_PIPELINE || n->kind == SH_N_ANDOR) && n->kids)
            n = n->kids;
        if (n && n->kind == SH_N_SIMPLE && n->words && n->words->next && !n->words->next->next)
            w = n->words->next;
    }
    if (!w && !len) {
        w = sh_arena_alloc(a, sizeof *w);
        if (w) w->text = "";
    }
    if (w) w->text = sh_arena_strndup(a, text, len);
    free(src);
    return w;
}

char *sh_subscript_key(struct sh *sh, const char *text)
{
    struct sh_arena *a = sh_arena_new();
    struct sh_word *w = a ? sh_word_from_text(a, text, strlen(text)) : NULL;
    char *k = w ? sh_expand_word(sh, w, X_NOSPLIT) : NULL;
    if (a) sh_arena_free(a);
    return k;
}

static int param_lookup(struct sh *sh, const char *name, const struct sh_word *index,
                        struct pval *pv, bool for_length)
{
    memset(pv, 0, sizeof *pv);
    if (!strcmp(name, "@") || !strcmp(name, "*")) {
        for (int i = 0; i < sh->argc; i++) pv_add(pv, sh->argv[i]);
        pv->set = sh->argc > 0;
        pv->multi = true;
        pv->star = name[0] == '*';
        pv->is_array_all = true;
        return 0;
    }
    const char *final = name;
    struct sh_var *v = NULL;
    if (sh_valid_name(name)) v = sh_var_resolve(sh, name, &final);
    if (final != name && !index && strchr(final, '[')) {
        /* A nameref to an element, a[2]: look that up. */
        char *base = xstrndup(final, strcspn(final, "["));
        struct sh_arena *a = sh_arena_new();
        struct sh_word *sub = a ? sh_word_from_text(a, final + strlen(base) + 1, strlen(final) - strlen(base) - 2) : NULL;
        int r = sub ? param_lookup(sh, base, sub, pv, for_length) : -1;
        free(base);
        if (a) sh_arena_free(a);
        return r;
    }
    if (!v) v = sh_special_array(sh, name);
    if (index) {
        const char *it = index->text;
        bool all = it && (!strcmp(it, "@") || !strcmp(it, "*"));
        if (all) {
            pv->multi = true;
            pv->star = it[0] == '*';
            pv->is_array_all = true;
            if (v && (v->attr & V_ASSOC)) {
                size_t b;
                for (struct sh_akv *e = sh_assoc_first(v, &b); e; e = sh_assoc_next(v, e, &b))
                    pv_add(pv, e->val);
            } else if (v && (v->attr & V_ARRAY)) {
                for (size_t i = 0; i < v->n; i++) pv_add(pv, v->arr[i].val);
            } else if (v && v->val) pv_add(pv, v->val);
            pv->set = pv->v.n > 0;
            return 0;
        }
        if (v && (v->attr & V_ASSOC)) {
            char *key = sh_expand_word(sh, index, X_NOSPLIT);
            if (!key) return -1;
            const char *val = sh_assoc_get(v, key);
            free(key);
            if (val) pv_add(pv, val), pv->set = true;
            return 0;
        }
        intmax_t idx;
        if (eval_index(sh, index, &idx) < 0) return -1;
        if (v && (v->attr & V_ARRAY)) {
            if (idx < 0) {
                intmax_t top = v->n ? v->arr[v->n - 1].idx + 1 : 0;
                if (top + idx < 0) {
                    /* bash complains and expands to nothing. */
                    sh_error(sh, "%s: bad array subscript", name);
                    return 0;
                }
                idx += top;
            }
            const char *val = sh_array_get(v, idx);
            if (val) pv_add(pv, val), pv->set = true;
        } else if (v && v->val && (idx == 0 || idx == -1)) {
            pv_add(pv, v->val);
            pv->set = true;
        }
        return 0;
    }
    char *fr = NULL;
    const char *val = v && (v->attr & (V_ARRAY | V_ASSOC)) ? sh_array_get(v, 0)
                                                           : scalar_param(sh, name, &fr);
    if (v && (v->attr & V_ASSOC)) val = sh_assoc_get(v, "0");
    if (val) pv_add(pv, val), pv->set = true;
    free(fr);
    (void)for_length;
    return 0;
}

static char *join(struct sh *sh, struct sh_strv *v, bool star_sep)
{
    const char *ifs = sh_ifs(sh);
    char sep[2] = {star_sep ? ifs[0] : ' ', 0};
    size_t len = 0;
    for (size_t i = 0; i < v->n; i++) len += strlen(v->v[i]) + 1;
    char *r = xmalloc(len + 1), *o = r;
    for (size_t i = 0; i < v->n; i++) {
        if (i && sep[0]) *o++ = sep[0];
        size_t l = strlen(v->v[i]);
        memcpy(o, v->v[i], l);
        o += l;
    }
    *o = 0;
    return r;
}

static int pat_flags(struct sh *sh)
{
    return (sh->shopt[S_EXTGLOB] ? SH_PAT_EXTGLOB : 0);
}

bool sh_match(struct sh *sh, const char *pattern, const char *s)
{
    int fl = SH_PAT_EXTGLOB | (sh->shopt[S_NOCASEMATCH] ? SH_PAT_NOCASE : 0);
    return sh_pat_match(pattern, s, strlen(s), fl) == 1;
}

/* Apply a trimming or replacing operator to one string. */
static char *apply_pattern_op(struct sh *sh, const struct sh_param *pm, const char *s,
                              const char *pat, const char *rep)
{
    struct sh_pat *cp;
    size_t len = strlen(s);
    if (sh_pat_compile(pat, pat_flags(sh) | SH_PAT_EXTGLOB, &cp) < 0) return xstrdup(s);
    char *r = NULL;
    switch (pm->op) {
    case SH_PO_TRIM_SS:
    case SH_PO_TRIM_LS:
    case SH_PO_TRIM_SP:
    case SH_PO_TRIM_LP: {
        enum sh_pat_trim_op op = pm->op == SH_PO_TRIM_SS   ? SH_TRIM_SHORT_PREFIX
                                 : pm->op == SH_PO_TRIM_LS ? SH_TRIM_LONG_PREFIX
                                 : pm->op == SH_PO_TRIM_SP ? SH_TRIM_SHORT_SUFFIX
                                                           : SH_TRIM_LONG_SUFFIX;
        size_t cut;
        if (sh_pat_trim(cp, s, len, op, &cut) == 1)
            r = op <= SH_TRIM_LONG_PREFIX ? xstrdup(s + cut) : xstrndup(s, cut);
        else r = xstrdup(s);
        break;
    }
    default: {
        enum sh_pat_find_mode mode = pm->op == SH_PO_REPL       ? SH_FIND_FIRST
                                     : pm->op == SH_PO_REPL_ALL ? SH_FIND_ALL
                                     : pm->op == SH_PO_REPL_PFX ? SH_FIND_PREFIX
                                                                : SH_FIND_SUFFIX;
        struct sh_pat_span *sp = NULL;
        size_t cnt = 0;
        if (!*pat) {
            /* An empty pattern matches nowhere, except at the ends for /# /%. */
            if (mode == SH_FIND_PREFIX) r = xasprintf("%s%s", rep ? rep : "", s);
            else if (mode == SH_FIND_SUFFIX) r = xasprintf("%s%s", s, rep ? rep : "");
            else r = xstrdup(s);
            break;
        }
        if (sh_pat_find(cp, s, len, mode, &sp, &cnt) < 0 || !cnt) {
            free(sp);
            r = xstrdup(s);
            break;
        }
        size_t rl = rep ? strlen(rep) : 0, out = 0, at = 0;
        size_t total = len + cnt * rl + 1;
        r = xmalloc(total);
        for (size_t i = 0; i < cnt; i++) {
            memcpy(r + out, s + at, sp[i].start - at);
            out += sp[i].start - at;
            if (rl) memcpy(r + out, rep, rl);
            out += rl;
            at = sp[i].end;
        }
        memcpy(r + out, s + at, len - at);
        out += len - at;
        r[out] = 0;
        free(sp);
    }
    }
    sh_pat_free(cp);
    return r;
}

/* Case conversion of the characters matching pat (all when pat is empty),
 * character by character: UTF-8 in a UTF-8 locale, bytes otherwise. */
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;
static locale_t utf8_loc;

static void utf8_init(void)
{
    utf8_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

bool sh_utf8(struct sh *sh);

static char *apply_case_op(struct sh *sh, int op, const char *s, const char *pat)
{
    struct sh_pat *cp = NULL;
    if (pat && *pat && sh_pat_compile(pat, pat_flags(sh), &cp) < 0) cp = NULL;
    bool u8 = sh_utf8(sh);
    locale_t saved = (locale_t)0;
    if (u8) {
        pthread_once(&utf8_once, utf8_init);
        if (utf8_loc) saved = uselocale(utf8_loc); /* per thread: no global state */
        else u8 = false;
    }
    size_t n = strlen(s);
    char *r = xmalloc(n * 2 + 8), *o = r;
    bool done = false;
    mbstate_t ms;
    memset(&ms, 0, sizeof ms);
    for (size_t i = 0; i < n;) {
        size_t cl = 1;
        wint_t wc = (unsigned char)s[i];
        bool valid = true;
        if (u8 && (unsigned char)s[i] >= 0x80) {
            wchar_t w;
            size_t k = mbrtowc(&w, s + i, n - i, &ms);
            if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
                memset(&ms, 0, sizeof ms);
                valid = false;
                k = 1;
            } else wc = (wint_t)w;
            cl = k;
        }
        bool one = op == SH_PO_UPPER1 || op == SH_PO_LOWER1;
        bool match = !done && (!cp || sh_pat_exec(cp, s + i, cl) == 1);
        bool up = op == SH_PO_UPPER || op == SH_PO_UPPER1;
        if (match && valid) {
            wint_t m = u8 ? (up ? towupper(wc) : towlower(wc))
                          : (wint_t)(up ? toupper((int)wc) : tolower((int)wc));
            if (!u8 || m < 0x80) *o++ = (char)m;
            else {
                mbstate_t os;
                memset(&os, 0, sizeof os);
                size_t w = wcrtomb(o, (wchar_t)m, &os);
                if (w == (size_t)-1) {
                    memcpy(o, s + i, cl);
                    w = cl;
                }
                o += w;
            }
        } else {
            memcpy(o, s + i, cl);
            o += cl;
        }
        if (one) done = true;
        i += cl;
    }
    *o = 0;
    if (u8) uselocale(saved);
    if (cp) sh_pat_free(cp);
    return r;
}

/* ${v@E}: backslash escapes as $'...' does. */
char *sh_ansi_decode(const char *s, size_t *outlen);

static char *transform(struct sh *sh, char t, const char *s, const char *name, bool set)
{
    switch (t) {
    case 'Q': return sh_quote(s, false);
    case 'E': {
        size_t l;
        return sh_ansi_decode(s, &l);
    }
    case 'P': return xstrdup(s);
    case 'U': return apply_case_op(sh, SH_PO_UPPER, s, NULL);
    case 'u': return apply_case_op(sh, SH_PO_UPPER1, s, NULL);
    case 'L': return apply_case_op(sh, SH_PO_LOWER, s, NULL);
    case 'K':
    case 'k': return sh_quote(s, false);
    case 'a': {
        struct sh_var *v = sh_valid_name(name) ? sh_var_resolve(sh, name, NULL) : NULL;
        char buf[16];
        size_t n = 0;
        if (v) {
            if (v->attr & V_ARRAY) buf[n++] = 'a';
            if (v->attr & V_ASSOC) buf[n++] = 'A';
            if (v->attr & V_INTEGER) buf[n++] = 'i';
            if (v->attr & V_LOWER) buf[n++] = 'l';
            if (v->attr & V_NAMEREF) buf[n++] = 'n';
            if (v->attr & V_READONLY) buf[n++] = 'r';
            if (v->attr & V_TRACE) buf[n++] = 't';
            if (v->attr & V_UPPER) buf[n++] = 'u';
            if (v->attr & V_EXPORT) buf[n++] = 'x';
        }
        buf[n] = 0;
        return xstrdup(buf);
    }
    case 'A': {
        if (!set) return xstrdup("");
        char *q = sh_quote(s, false);
        char *r = xasprintf("%s=%s", name, q);
        free(q);
        return r;
    }
    }
    return xstrdup(s);
}

static void unbound(struct sh *sh, const char *name)
{
    sh_error(sh, "%s: unbound variable", name);
    sh->fatal = true;
    sh->exit_requested = !sh->interactive;
    sh->exit_status = !sh->is_subshell && sh->src_kind == SRC_C ? 127 : 1;
}

static int expand_part(struct xstate *x, const struct sh_wpart *p, bool quoted);
static int expand_part_word(struct xstate *x, const struct sh_word *w, bool quoted);

/* Emit values into the fields: elements of a multi value become separate
 * fields (quoted "$@"), or are joined ("$*" quoted); unquoted values are
 * splittable. */
static void emit_values(struct xstate *x, struct pval *pv, bool quoted)
{
    unsigned char fl = quoted ? F_QUOTED : F_SPLIT;
    if (pv->multi && pv->star && quoted) {
        char *j = join(x->sh, &pv->v, true);
        add(x, j, strlen(j), fl);
        free(j);
        return;
    }
    if (pv->multi && !(x->flags & X_NOSPLIT)) {
        for (size_t i = 0; i < pv->v.n; i++) {
            if (i) new_field(x);
            add(x, pv->v.v[i], strlen(pv->v.v[i]), fl);
            if (quoted) mark_quoted(x);
        }
        if (!pv->v.n && quoted) {
            /* "$@" with nothing: the word vanishes unless other parts add. */
            x->fields[x->n - 1 < x->n ? x->n - 1 : 0].force = cur(x)->force;
        }
        return;
    }
    if (pv->multi) {
        /* No splitting context (assignment, [[ ]]): join with spaces ($*: IFS[0]). */
        char *j = join(x->sh, &pv->v, pv->star);
        add(x, j, strlen(j), fl);
        free(j);
        return;
    }
    if (pv->v.n) add(x, pv->v.v[0], strlen(pv->v.v[0]), fl);
    else if (quoted) mark_quoted(x);
}

/* Expand an operator's argument word (the part after :- etc.). */
static char *arg_text(struct sh *sh, const struct sh_word *w, int flags)
{
    if (!w) return xstrdup("");
    return sh_expand_word(sh, w, flags);
}

bool sh_utf8(struct sh *sh);

static int substr_op(struct sh *sh, const struct sh_param *pm, struct pval *pv)
{
    bool u8 = sh_utf8(sh); /* offsets count characters, or bytes in the C locale */
    intmax_t off = 0, len = 0;
    bool has_len = pm->arg2 != NULL;
    if (sh_arith_word(sh, pm->arg, &off) < 0) return -1;
    if (has_len && sh_arith_word(sh, pm->arg2, &len) < 0) return -1;
    if (pv->is_array_all) {
        /* Slices of "$@" count $0 as position 0. */
        struct sh_strv all = {0};
        bool params = !strcmp(pm->name, "@") || !strcmp(pm->name, "*");
        if (params) strv_push(&all, xstrdup(sh->arg0));
        for (size_t i = 0; i < pv->v.n; i++) strv_push(&all, xstrdup(pv->v.v[i]));
        intmax_t n = (intmax_t)all.n;
        /* For arrays, offsets index the element list (sparse arrays: by index). */
        intmax_t start = off;
        if (!params) {
            struct sh_var *v = sh_var_resolve(sh, pm->name, NULL);
            if (v && (v->attr & V_ARRAY)) {
                intmax_t top = v->n ? v->arr[v->n - 1].idx + 1 : 0;
                if (off < 0) off += top;
                start = 0;
                while (start < (intmax_t)v->n && v->arr[start].idx < off) start++;
                if (off < 0) start = n;
            } else if (start < 0) start += n;
        } else if (start < 0) start += n;
        if (start < 0 || start > n) start = n;
        intmax_t end = n;
        if (has_len) {
            if (len < 0) {
                sh_error(sh, "%s: substring expression < 0", pm->arg2->text);
                strv_clear(&all);
                return -1;
            }
            end = start + len < n ? start + len : n;
        }
        strv_clear(&pv->v);
        for (intmax_t i = start; i < end; i++) strv_push(&pv->v, xstrdup(all.v[i]));
        strv_clear(&all);
        return 0;
    }
    if (!pv->v.n) return 0;
    const char *s = pv->v.v[0];
    /* Offsets count characters (UTF-8). */
    size_t nch = 0;
    for (const char *c = s; *c; c++)
        if (!u8 || ((unsigned char)*c & 0xc0) != 0x80) nch++;
    intmax_t n = (intmax_t)nch;
    if (off < 0) off += n;
    if (off < 0 || off > n) {
        free(pv->v.v[0]);
        pv->v.v[0] = xstrdup("");
        return 0;
    }
    intmax_t end = n;
    if (has_len) end = len < 0 ? n + len : (off + len < n ? off + len : n);
    if (end < off) {
        if (len < 0) {
            sh_error(sh, "%s: substring expression < 0", pm->arg2->text);
            return -1;
        }
        end = off;
    }
    /* Map character offsets to bytes. */
    size_t b0 = 0, ci = 0, i = 0;
    for (; s[i]; i++) {
        if (!u8 || ((unsigned char)s[i] & 0xc0) != 0x80) {
            if ((intmax_t)ci == off) b0 = i;
            if ((intmax_t)ci == end) break;
            ci++;
        }
    }
    if ((intmax_t)ci <= off && !s[i] && off == n) b0 = i;
    char *r = xstrndup(s + b0, i - b0);
    free(pv->v.v[0]);
    pv->v.v[0] = r;
    return 0;
}

/* The word of ${x:-word} / ${x:+word} where it becomes the value. */
static int expand_op_word(struct xstate *x, const struct sh_word *w, bool quoted)
{
    bool s = x->arg_split, d = x->arg_dq;
    x->arg_split = !quoted;
    x->arg_dq = quoted;
    x->tilde_ok = !quoted && !cur(x)->len;
    int r = expand_part_word(x, w, quoted);
    x->tilde_ok = false;
    x->arg_split = s;
    x->arg_dq = d;
    return r;
}

static int expand_param(struct xstate *x, const struct sh_param *pm, bool quoted)
{
    struct sh *sh = x->sh;
    if (pm->flags & SH_PARAM_BAD) {
        sh_error(sh, "%s: bad substitution", pm->raw ? pm->raw : "${}");
        sh->fatal = true;
        return -1;
    }
    struct pval pv;
    const char *name = pm->name;
    char *indirect = NULL;
    if (pm->op == SH_PO_PREFIX) {
        /* ${!prefix*}: names of variables starting with prefix, sorted. */
        memset(&pv, 0, sizeof pv);
        size_t pl = strlen(name);
        for (struct sh_scope *s = sh->scope; s; s = s->up)
            for (size_t b = 0; b < s->nbuckets; b++)
                for (struct sh_var *v = s->tab[b]; v; v = v->next)
                    if (!strncmp(v->name, name, pl) && sh_var_find(sh, v->name) == v &&
                        (v->val || v->n || v->count))
                        pv_add(&pv, v->name);
        qsort(pv.v.v, pv.v.n, sizeof *pv.v.v, (int (*)(const void *, const void *))strcmp);
        for (size_t i = 0; i < pv.v.n; i++) {
            /* qsort on char** needs a wrapper; redo with a simple insertion sort */
        }
        for (size_t i = 1; i < pv.v.n; i++)
            for (size_t j = i; j > 0 && strcmp(pv.v.v[j - 1], pv.v.v[j]) > 0; j--) {
                char *t = pv.v.v[j];
                pv.v.v[j] = pv.v.v[j - 1];
                pv.v.v[j - 1] = t;
            }
        pv.multi = true;
        pv.star = pm->transform == '*';
        pv.set = true;
        emit_values(x, &pv, quoted);
        strv_clear(&pv.v);
        return 0;
    }
    if (pm->op == SH_PO_KEYS) {
        memset(&pv, 0, sizeof pv);
        struct sh_var *v = sh_valid_name(name) ? sh_var_resolve(sh, name, NULL) : NULL;
        if (v && (v->attr & V_ASSOC)) {
            size_t b;
            for (struct sh_akv *e = sh_assoc_first(v, &b); e; e = sh_assoc_next(v, e, &b))
                pv_add(&pv, e->key);
        } else if (v && (v->attr & V_ARRAY)) {
            for (size_t i = 0; i < v->n; i++) {
                char buf[32];
                snprintf(buf, sizeof buf, "%jd", v->arr[i].idx);
                pv_add(&pv, buf);
            }
        } else if (v && v->val) pv_add(&pv, "0");
        pv.multi = true;
        pv.star = pm->index && pm->index->text && pm->index->text[0] == '*';
        emit_values(x, &pv, quoted);
        strv_clear(&pv.v);
        return 0;
    }
    struct sh_var *nr = (pm->flags & SH_PARAM_INDIRECT) && !pm->index && sh_valid_name(name)
                            ? sh_var_find(sh, name) : NULL;
    if (nr && (nr->attr & V_NAMEREF)) {
        /* bash inverts ${!ref} for a nameref: the name it refers to. */
        memset(&pv, 0, sizeof pv);
        if (nr->val) pv_add(&pv, nr->val), pv.set = true;
        emit_values(x, &pv, quoted);
        strv_clear(&pv.v);
        return 0;
    }
    if (pm->flags & SH_PARAM_INDIRECT) {
        /* ${!name}: the value of name names the parameter. */
        struct pval ref;
        if (param_lookup(sh, name, pm->index, &ref, false) < 0) return -1;
        if (!ref.v.n) {
            if (sh->opt[O_NOUNSET]) {
                unbound(sh, name);
                strv_clear(&ref.v);
                return -1;
            }
            strv_clear(&ref.v);
            sh_error(sh, "%s: invalid indirect expansion", name);
            return -1; /* the command fails; the shell goes on */
        }
        indirect = ref.multi ? join(sh, &ref.v, false) : xstrdup(ref.v.v[0]);
        strv_clear(&ref.v);
        name = indirect;
    }
    int r = 0;
    /* With ${!a[1]} the subscript picked the reference, not the target. */
    const struct sh_word *index = indirect ? NULL : pm->index;
    char *iname = NULL, *isub = NULL;
    if (indirect) {
        /* The indirect target may carry a subscript: a[1], a[@]. */
        char *br = strchr(indirect, '[');
        size_t l = strlen(indirect);
        if (br && l && indirect[l - 1] == ']') {
            iname = xstrndup(indirect, (size_t)(br - indirect));
            isub = xstrndup(br + 1, l - (size_t)(br - indirect) - 2);
            name = iname;
        } else if (!sh_valid_name(indirect) && !all_digits(indirect) &&
                   !(strlen(indirect) == 1 && strchr("@*#?-$!0_", indirect[0]))) {
            sh_error(sh, "%s: invalid variable name", indirect);
            free(indirect);
            return -1;
        }
    }
    struct sh_arena *sub_arena = NULL;
    if (isub) {
        sub_arena = sh_arena_new();
        index = sub_arena ? sh_word_from_text(sub_arena, isub, strlen(isub)) : NULL;
        if (!index) {
            r = -1;
            goto out;
        }
    }
    if (param_lookup(sh, name, index, &pv, pm->op == SH_PO_LENGTH) < 0) {
        r = -1;
        goto out;
    }
    bool colon = pm->flags & SH_PARAM_COLON;
    bool null = !pv.set || (pv.v.n == 0) || (pv.v.n == 1 && !*pv.v.v[0] && !pv.multi) ||
                (pv.multi && pv.v.n == 0);
    if (pv.multi && pv.v.n == 1 && !*pv.v.v[0] && colon) null = true;
    bool use_alt = colon ? !null : pv.set;
    switch (pm->op) {
    case SH_PO_DEFAULT:
        if (!use_alt) {
            strv_clear(&pv.v);
            r = expand_op_word(x, pm->arg, quoted);
            goto out;
        }
        break;
    case SH_PO_ALT:
        strv_clear(&pv.v);
        if (use_alt) r = expand_op_word(x, pm->arg, quoted);
        else if (quoted) mark_quoted(x);
        goto out;
    case SH_PO_ASSIGN:
        if (!use_alt) {
            char *val = arg_text(sh, pm->arg, X_NOSPLIT | X_ASSIGN);
            if (!val) {
                r = -1;
                goto out;
            }
            if (!sh_valid_name(name) || pm->index) {
                if (pm->index && sh_valid_name(name)) {
                    /* ${a[i]:=v} */
                    struct sh_var *v = sh_var_resolve(sh, name, NULL);
                    intmax_t idx = 0;
                    if (v && (v->attr & V_ASSOC)) {
                        char *k = sh_expand_word(sh, pm->index, X_NOSPLIT);
                        sh_var_set_elem(sh, name, k, 0, val, false);
                        free(k);
                    } else if (sh_arith_word(sh, pm->index, &idx) == 0)
                        sh_var_set_elem(sh, name, NULL, idx, val, false);
                } else {
                    sh_error(sh, "$%s: cannot assign in this way", name);
                    free(val);
                    sh->fatal = true;
                    r = -1;
                    goto out;
                }
            } else if (sh_var_set(sh, name, val, false) < 0) {
                free(val);
                sh->fatal = true;
                r = -1;
                goto out;
            }
            strv_clear(&pv.v);
            const char *nv = sh_var_get(sh, name);
            add(x, nv ? nv : val, strlen(nv ? nv : val), quoted ? F_QUOTED : F_SPLIT);
            free(val);
            goto out;
        }
        break;
    case SH_PO_ERROR:
        if (!use_alt) {
            char *msg = pm->arg ? arg_text(sh, pm->arg, X_NOSPLIT) : NULL;
            if (msg && *msg) sh_error(sh, "%s: %s", name, msg);
            else sh_error(sh, "%s: %s", name, colon ? "parameter null or not set" : "parameter not set");
            free(msg);
            sh->fatal = true;
            sh->exit_requested = !sh->interactive;
            sh->exit_status = !sh->is_subshell && sh->src_kind == SRC_C ? 127 : 1;
            r = -1;
            goto out;
        }
        break;
    default: break;
    }
    /* set -u: an unset parameter is an error, except $@ and $*. */
    if (!pv.set && sh->opt[O_NOUNSET] && pm->op != SH_PO_DEFAULT && pm->op != SH_PO_ASSIGN &&
        !(pv.is_array_all) && !(pm->op == SH_PO_TRANSFORM && pm->transform == 'a')) {
        if (pm->index && pm->index->text)
            unbound(sh, xasprintf("%s[%s]", name, pm->index->text)); /* leak-free enough: rare */
        else unbound(sh, name);
        r = -1;
        goto out;
    }
    switch (pm->op) {
    case SH_PO_LENGTH: {
        bool u8 = sh_utf8(sh);
        size_t n;
        if (pv.is_array_all) n = pv.v.n;
        else {
            n = 0;
            if (pv.v.n)
                for (const char *c = pv.v.v[0]; *c; c++)
                    if (!u8 || ((unsigned char)*c & 0xc0) != 0x80) n++;
        }
        char buf[32];
        snprintf(buf, sizeof buf, "%zu", n);
        strv_clear(&pv.v);
        add(x, buf, strlen(buf), quoted ? F_QUOTED : F_SPLIT);
        goto out;
    }
    case SH_PO_TRIM_SS:
    case SH_PO_TRIM_LS:
    case SH_PO_TRIM_SP:
    case SH_PO_TRIM_LP:
    case SH_PO_REPL:
    case SH_PO_REPL_ALL:
    case SH_PO_REPL_PFX:
    case SH_PO_REPL_SFX: {
        char *pat = arg_text(sh, pm->arg, X_NOSPLIT | X_PATTERN);
        char *rep = pm->arg2 ? arg_text(sh, pm->arg2, X_NOSPLIT) : NULL;
        if (!pat) {
            free(rep);
            r = -1;
            goto out;
        }
        for (size_t i = 0; i < pv.v.n; i++) {
            char *nv = apply_pattern_op(sh, pm, pv.v.v[i], pat, rep);
            free(pv.v.v[i]);
            pv.v.v[i] = nv;
        }
        free(pat);
        free(rep);
        break;
    }
    case SH_PO_SUBSTR:
        if (substr_op(sh, pm, &pv) < 0) {
            sh->fatal = true;
            r = -1;
            goto out;
        }
        break;
    case SH_PO_UPPER1:
    case SH_PO_UPPER:
    case SH_PO_LOWER1:
    case SH_PO_LOWER: {
        char *pat = pm->arg ? arg_text(sh, pm->arg, X_NOSPLIT | X_PATTERN) : NULL;
        for (size_t i = 0; i < pv.v.n; i++) {
            char *nv = apply_case_op(sh, pm->op, pv.v.v[i], pat);
            free(pv.v.v[i]);
            pv.v.v[i] = nv;
        }
        free(pat);
        break;
    }
    case SH_PO_TRANSFORM:
        if (pm->transform == 'a' && !pv.v.n) {
            char *nv = transform(sh, 'a', "", name, pv.set);
            pv_add(&pv, nv);
            free(nv);
            break;
        }
        for (size_t i = 0; i < pv.v.n; i++) {
            char *nv = transform(sh, pm->transform, pv.v.v[i], name, pv.set);
            free(pv.v.v[i]);
            pv.v.v[i] = nv;
        }
        break;
    default: break;
    }
    emit_values(x, &pv, quoted);
out:
    strv_clear(&pv.v);
    free(indirect);
    free(iname);
    free(isub);
    if (sub_arena) sh_arena_free(sub_arena);
    return r;
}

/* ---- tilde --------------------------------------------------------------- */

static void expand_tilde(struct xstate *x, const char *user)
{
    struct sh *sh = x->sh;
    if (!*user) {
        const char *home = sh_var_get(sh, "HOME");
        add(x, home ? home : "", strlen(home ? home : ""), F_QUOTED);
        if (!home) mark_quoted(x);
        return;
    }
    if (!strcmp(user, "+") || !strcmp(user, "-")) {
        const char *d = sh_var_get(sh, user[0] == '+' ? "PWD" : "OLDPWD");
        if (d) {
            add(x, d, strlen(d), F_QUOTED);
            return;
        }
    } else {
        /* Look the user up in the VM's /etc/passwd. */
        int fd = sys_open(sh->p, "/etc/passwd", O_RDONLY, 0);
        char buf[8192];
        ssize_t n = fd >= 0 ? sys_read(sh->p, fd, buf, sizeof buf - 1) : -1;
        if (fd >= 0) sys_close(sh->p, fd);
        if (n > 0) {
            buf[n] = 0;
            size_t ul = strlen(user);
            for (char *line = buf; line && *line;) {
                char *nl = strchr(line, '\n');
                if (nl) *nl = 0;
                if (!strncmp(line, user, ul) && line[ul] == ':') {
                    char *f = line;
                    for (int i = 0; i < 5 && f; i++) {
                        f = strchr(f, ':');
                        if (f) f++;
                    }
                    if (f) {
                        size_t l = strcspn(f, ":");
                        add(x, f, l, F_QUOTED);
                        return;
                    }
                }
                line = nl ? nl + 1 : NULL;
            }
        }
    }
    char *t = xasprintf("~%s", user);
    add(x, t, strlen(t), 0);
    free(t);
}

/* ---- command substitution ------------------------------------------------ */

static int subshell_main(struct proc *p, int argc, char **argv)
{
    struct sh *sh = p->sh;
    struct sh_node *body = (struct sh_node *)p->userdata;
    int st = body ? sh_exec_node(sh, body) : 0;
    if (sh->jump == J_EXIT) st = sh->exit_status;
    st = sh_exit_shell(sh, st);
    sh_free(sh);
    p->sh = NULL;
    return st;
}

/* $(< file): the file's contents, without running anything. */
static bool cat_subst(struct sh_node *n)
{
    while (n && (n->kind == SH_N_LIST || n->kind == SH_N_PIPELINE || n->kind == SH_N_ANDOR) &&
           n->kids && !n->kids->next)
        n = n->kids;
    return n && n->kind == SH_N_SIMPLE && !n->words && n->redirs && !n->redirs->next &&
           n->redirs->op == SH_R_IN && (n->redirs->fd < 0 || n->redirs->fd == 0);
}

static struct sh_node *first_simple(struct sh_node *n)
{
    while (n && n->kind != SH_N_SIMPLE) n = n->kids;
    return n;
}

char *sh_command_subst(struct sh *sh, struct sh_node *body, size_t *len)
{
    struct proc *p = sh->p;
    if (cat_subst(body)) {
        struct sh_redir *r = first_simple(body)->redirs;
        char *name = sh_expand_word(sh, r->target, X_NOSPLIT);
        if (!name) return NULL;
        int fd = sys_open(p, name, O_RDONLY, 0);
        if (fd < 0) {
            sh_error(sh, "%s: %s", name, vos_strerror(fd));
            free(name);
            sh->status = 1;
            sh->cmdsubs++;
            *len = 0;
            return xstrdup("");
        }
        free(name);
        size_t cap = 4096, n = 0;
        char *buf = xmalloc(cap);
        ssize_t got;
        while ((got = sys_read(p, fd, buf + n, cap - n - 1)) > 0) {
            n += (size_t)got;
            if (n > sh->lim.string_bytes) break;
            if (n + 1 >= cap) buf = xrealloc(buf, cap *= 2);
        }
        sys_close(p, fd);
        while (n && buf[n - 1] == '\n') n--;
        buf[n] = 0;
        *len = n;
        sh->status = 0;
        sh->cmdsubs++;
        return buf;
    }
    struct proc *c = proc_new(p->vm, p);
    if (!c) {
        sh_error(sh, "fork: retry: Resource temporarily unavailable");
        return NULL;
    }
    struct file *mb = membuf_file(p->vm, sh->lim.string_bytes);
    if (!mb) {
        proc_discard(c);
        return NULL;
    }
    fd_install(c, mb, 1, true, false);
    proc_close_cloexec(c);
    struct sh *csh = sh_clone(sh, c);
    csh->opt[O_ERREXIT] = sh->shopt[S_INHERIT_ERREXIT] ? sh->opt[O_ERREXIT] : false;
    c->sh = csh;
    c->userdata = body;
    char *argv[] = {sh->arg0, NULL};
    proc_start(c, subshell_main, 1, argv, false);
    int st = 0;
    sys_waitpid(p, c->pid, &st, 0);
    sh->status = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
    sh->cmdsubs++;
    char *out = membuf_take(mb, len);
    file_unref(mb);
    /* Strip trailing newlines; drop NUL bytes like bash (with a warning). */
    size_t n = *len, w = 0;
    bool nul = false;
    for (size_t i = 0; i < n; i++) {
        if (out[i]) out[w++] = out[i];
        else nul = true;
    }
    if (nul) sh_error(sh, "warning: command substitution: ignored null byte in input");
    while (w && out[w - 1] == '\n') w--;
    out[w] = 0;
    *len = w;
    return out;
}

/* <( ) and >( ): a child on a pipe, named /dev/fd/N in the parent. */
static char *process_subst(struct sh *sh, struct sh_node *body, bool in)
{
    struct proc *p = sh->p;
    int fds[2];
    if (sys_pipe(p, fds, 0) < 0) return NULL;
    struct proc *c = proc_new(p->vm, p);
    if (!c) {
        sys_close(p, fds[0]);
        sys_close(p, fds[1]);
        return NULL;
    }
    fd_install(c, fd_get(p, in ? fds[1] : fds[0]), in ? 1 : 0, true, false);
    sys_close(c, fds[0]);
    sys_close(c, fds[1]);
    proc_close_cloexec(c);
    struct sh *csh = sh_clone(sh, c);
    c->sh = csh;
    c->userdata = body;
    char *argv[] = {sh->arg0, NULL};
    proc_start(c, subshell_main, 1, argv, true);
    int keep = in ? fds[0] : fds[1];
    sys_close(p, in ? fds[1] : fds[0]);
    /* Move it high, as bash does (63 and down). */
    int hi = 63;
    while (hi > 10 && fd_get(p, hi)) hi--;
    int nfd = sys_dup2(p, keep, hi);
    if (nfd >= 0 && nfd != keep) sys_close(p, keep);
    sh->last_bg = c->pid;
    return xasprintf("/dev/fd/%d", nfd >= 0 ? nfd : keep);
}

/* ---- parts ------------------------------------------------------------------ */

/* ~user/rest at the start of a literal: expand when the prefix ends at a
 * slash in this literal, or at the end of the word. */
static bool lit_tilde(struct xstate *x, const struct sh_wpart *p)
{
    const char *slash = memchr(p->text, '/', p->len);
    if (!slash && p->next && !(p->next->kind == SH_WP_LIT && p->next->len && p->next->text[0] == '/'))
        return false;
    size_t ul = slash ? (size_t)(slash - p->text) - 1 : p->len - 1;
    char *user = xstrndup(p->text + 1, ul);
    expand_tilde(x, user);
    free(user);
    size_t used = 1 + ul;
    if (used < p->len) add(x, p->text + used, p->len - used, x->arg_split ? F_SPLIT : 0);
    return true;
}

static int expand_parts(struct xstate *x, const struct sh_wpart *p, bool quoted)
{
    for (; p; p = p->next)
        if (expand_part(x, p, quoted) < 0) return -1;
    return 0;
}

static int expand_part_word(struct xstate *x, const struct sh_word *w, bool quoted)
{
    if (!w) {
        if (quoted) mark_quoted(x);
        return 0;
    }
    if (!w->parts && quoted) mark_quoted(x);
    return expand_parts(x, w->parts, quoted);
}

/* A literal in a pattern context: glob characters that were quoted are
 * escaped so the matcher takes them literally. */
static void add_quoted(struct xstate *x, const char *s, size_t n)
{
    add(x, s, n, F_QUOTED);
    mark_quoted(x);
}

static int expand_part(struct xstate *x, const struct sh_wpart *p, bool quoted)
{
    struct sh *sh = x->sh;
    switch (p->kind) {
    case SH_WP_LIT:
        if (quoted) add_quoted(x, p->text, p->len);
        else if (x->tilde_ok && p->len && p->text[0] == '~' && !cur(x)->len && x->n == 1 &&
                 lit_tilde(x, p))
            ;
        else add(x, p->text, p->len, x->arg_split ? F_SPLIT : 0);
        x->tilde_ok = false;
        return 0;
    case SH_WP_SQUOTE:
        if (x->arg_dq && quoted && !(p->flags & SH_WPF_ANSI)) {
            /* "${x:-'a'}": the single quotes are ordinary characters. */
            add_quoted(x, "'", 1);
            add_quoted(x, p->text, p->len);
            add_quoted(x, "'", 1);
            return 0;
        }
        add_quoted(x, p->text, p->len);
        mark_quoted(x);
        return 0;
    case SH_WP_ESCAPED:
        add_quoted(x, p->text, p->len);
        mark_quoted(x);
        return 0;
    case SH_WP_DQUOTE: {
        /* "" keeps an empty word; "$@" with no parameters does not. */
        if (!p->sub) mark_quoted(x);
        bool saved = x->arg_dq;
        x->arg_dq = false; /* a nested "..." is an ordinary double quote */
        int r = expand_parts(x, p->sub, true);
        x->arg_dq = saved;
        return r;
    }
    case SH_WP_TILDE:
        if (quoted) {
            char *t = xasprintf("~%s", p->text);
            add_quoted(x, t, strlen(t));
            free(t);
        } else expand_tilde(x, p->text);
        return 0;
    case SH_WP_PARAM: {
        int r = expand_param(x, p->param, quoted);
        if (r < 0) x->error = true;
        return r;
    }
    case SH_WP_CMDSUB: {
        size_t len;
        char *out = sh_command_subst(sh, p->body, &len);
        if (!out) return x->error = true, -1;
        if (quoted) add_quoted(x, out, len);
        else add(x, out, len, F_SPLIT);
        free(out);
        return 0;
    }
    case SH_WP_ARITH: {
        intmax_t v;
        if (sh_arith_word(sh, p->expr, &v) < 0) {
            sh->fatal = true;
            x->error = true;
            return -1;
        }
        char buf[32];
        snprintf(buf, sizeof buf, "%jd", v);
        add(x, buf, strlen(buf), quoted ? F_QUOTED : F_SPLIT);
        return 0;
    }
    case SH_WP_PROCSUB: {
        char *path = process_subst(sh, p->body, p->flags & SH_WPF_IN);
        if (!path) return x->error = true, -1;
        add(x, path, strlen(path), F_QUOTED);
        free(path);
        return 0;
    }
    }
    return 0;
}

/* ---- splitting and globbing -------------------------------------------- */

static void split_field(struct sh *sh, struct field *f, struct sh_strv *out, struct sh_strv *outflags)
{
    const char *ifs = sh_ifs(sh);
    size_t n = f->len;
    char *s = f->s;
    unsigned char *fl = f->f;
    if (!*ifs) {
        if (n || f->force) {
            strv_push(out, xstrndup(s ? s : "", n));
            char *flags = xmalloc(n + 1); /* flag bytes may be 0: no strndup */
            if (n) memcpy(flags, fl, n);
            flags[n] = 0;
            strv_push(outflags, flags);
        }
        return;
    }
    char *buf = xmalloc(n + 1);
    unsigned char *bf = xmalloc(n + 1);
    size_t bl = 0;
    bool have = false;
    size_t q = 0; /* next quoted-empty marker */
#define IS_IFS(i) ((fl[i] & F_SPLIT) && strchr(ifs, s[i]) && s[i])
#define MARKS(i)                                                                                   \
    while (q < f->nqe && f->qe[q] <= (i)) q++, have = true
#define EMIT()                                                                                     \
    do {                                                                                           \
        char *fs_ = xstrndup(buf, bl);                                                             \
        char *ff_ = xmalloc(bl + 1);                                                               \
        memcpy(ff_, bf, bl);                                                                       \
        strv_push(out, fs_);                                                                       \
        strv_push(outflags, ff_);                                                                  \
        bl = 0;                                                                                    \
        have = false;                                                                              \
    } while (0)
    size_t i = 0;
    /* Leading IFS whitespace is dropped. */
    MARKS(0);
    while (i < n && IS_IFS(i) && ifs_ws(s[i]) && !have) {
        i++;
        MARKS(i);
    }
    while (i < n) {
        MARKS(i);
        if (IS_IFS(i)) {
            if (ifs_ws(s[i])) {
                size_t j = i;
                while (j < n && IS_IFS(j) && ifs_ws(s[j])) j++;
                if (j < n && IS_IFS(j) && !ifs_ws(s[j])) {
                    i = j;
                    continue;
                }
                if (bl || have) EMIT();
                i = j;
                continue;
            }
            EMIT();
            i++;
            while (i < n && IS_IFS(i) && ifs_ws(s[i])) i++;
            continue;
        }
        buf[bl] = s[i];
        bf[bl] = fl[i];
        bl++;
        have = true;
        i++;
    }
    MARKS(n);
    if (bl || have) EMIT();
    else if (f->force && !out->n && !n) EMIT();
#undef IS_IFS
#undef EMIT
#undef MARKS
    free(buf);
    free(bf);
}

static bool has_glob(const char *s, const unsigned char *fl, size_t n, bool extglob)
{
    for (size_t i = 0; i < n; i++) {
        if (fl[i] & F_QUOTED) continue;
        if (s[i] == '*' || s[i] == '?' || s[i] == '[') return true;
        if (extglob && i + 1 < n && strchr("+@!", s[i]) && s[i + 1] == '(') return true;
    }
    return false;
}

/* The glob pattern of a field: quoted bytes escaped. */
static char *glob_pattern(const char *s, const unsigned char *fl, size_t n)
{
    char *r = xmalloc(2 * n + 1), *o = r;
    for (size_t i = 0; i < n; i++) {
        if ((fl[i] & F_QUOTED) && strchr("\\*?[]+@!()|", s[i])) *o++ = '\\';
        *o++ = s[i];
    }
    *o = 0;
    return r;
}

/* Drop the names matching a pattern of GLOBIGNORE (colon-separated; each
 * matched against the whole name, a '/' only by a '/'). Returns the count. */
static size_t glob_ignore(struct sh *sh, const char *gi, char **res, size_t cnt)
{
    size_t w = 0;
    int pf = SH_PAT_PATHNAME | (sh->shopt[S_EXTGLOB] ? SH_PAT_EXTGLOB : 0) |
             (sh->shopt[S_NOCASEGLOB] ? SH_PAT_NOCASE : 0);
    for (size_t i = 0; i < cnt; i++) {
        const char *name = res[i];
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        bool drop = !strcmp(base, ".") || !strcmp(base, "..");
        for (const char *p = gi; *p && !drop;) {
            size_t l = strcspn(p, ":");
            char *one = xstrndup(p, l);
            if (*one && sh_pat_match(one, name, strlen(name), pf) == 1) drop = true;
            free(one);
            p += l;
            if (*p == ':') p++;
        }
        if (drop) free(res[i]);
        else res[w++] = res[i];
    }
    res[w] = NULL;
    return w;
}

static int glob_field(struct sh *sh, char *s, unsigned char *fl, size_t n, struct sh_strv *out)
{
    if (sh->opt[O_NOGLOB] || !has_glob(s, fl, n, sh->shopt[S_EXTGLOB])) {
        strv_push(out, xstrndup(s, n));
        return 0;
    }
    char *pat = glob_pattern(s, fl, n);
    int gf = (sh->shopt[S_DOTGLOB] ? SH_GLOB_DOTGLOB : 0) |
             (sh->shopt[S_GLOBSTAR] ? SH_GLOB_GLOBSTAR : 0) |
             (sh->shopt[S_EXTGLOB] ? SH_GLOB_EXTGLOB : 0) |
             (sh->shopt[S_NOCASEGLOB] ? SH_GLOB_NOCASE : 0);
    /* GLOBIGNORE: a non-empty value drops matching names and turns on
     * dotglob; "." and ".." stay out unless globskipdots is off. */
    const char *gi = sh_var_get(sh, "GLOBIGNORE");
    if (gi && *gi) gf |= SH_GLOB_DOTGLOB;
    char **res = NULL;
    size_t cnt = 0;
    int r = sh_glob(sh->p, pat, gf, &res, &cnt, sh->lim.glob_results);
    if (r >= 0 && gi && *gi && cnt) cnt = glob_ignore(sh, gi, res, cnt);
    if (r < 0 && r != -ENOENT) {
        if (r == SH_GLOB_TOO_MANY) sh_error(sh, "%s: too many pathname expansion results (limit %zu)", pat, sh->lim.glob_results);
        free(pat);
        sh_glob_free(res);
        sh->fatal = true;
        return -1;
    }
    if (cnt) {
        for (size_t i = 0; i < cnt; i++) strv_push(out, xstrdup(res[i]));
    } else if (sh->shopt[S_FAILGLOB]) {
        sh_error(sh, "no match: %s", s);
        free(pat);
        sh_glob_free(res);
        sh->fatal = true;
        return -1;
    } else if (!sh->shopt[S_NULLGLOB]) {
        strv_push(out, xstrndup(s, n));
    }
    sh_glob_free(res);
    free(pat);
    return 0;
}

/* ---- entry points ------------------------------------------------------------ */

/* "NAME=", "NAME+=" or "NAME[sub]=" of an assignment word. */
static char *assign_prefix(const struct sh_word *w)
{
    const struct sh_assign *a = w->assign;
    if (a->index) return xasprintf("%s[%s]%s=", a->name, a->index->text ? a->index->text : "", a->append ? "+" : "");
    return xasprintf("%s%s=", a->name, a->append ? "+" : "");
}

static int expand_one(struct sh *sh, const struct sh_word *w, int flags, struct sh_strv *out)
{
    struct xstate x = {sh, flags & ~X_BRACED, NULL, 0, 0, false};
    x.tilde_ok = flags & X_BRACED;
    if ((w->flags & SH_WF_ASSIGN) && w->assign && w->assign->name) {
        /* An assignment word as an argument. Declaration builtins get it
         * whole and unsplit (a compound value as its source text, which
         * they parse); other commands see NAME= then the usual expansion. */
        if (w->assign->compound) {
            strv_push(out, xstrdup(w->text));
            return 0;
        }
        char *pre = assign_prefix(w);
        if (flags & X_DECL) {
            char *val = w->parts ? sh_expand_word(sh, w, X_NOSPLIT | X_ASSIGN) : xstrdup("");
            if (!val) {
                free(pre);
                return -1;
            }
            strv_push(out, xasprintf("%s%s", pre, val));
            free(pre);
            free(val);
            return 0;
        }
        cur(&x);
        add(&x, pre, strlen(pre), F_QUOTED);
        free(pre);
    }
    cur(&x);
    int r = expand_part_word(&x, w, false);
    if (r < 0 || x.error) {
        free_fields(&x);
        return -1;
    }
    for (size_t i = 0; i < x.n; i++) {
        struct field *f = &x.fields[i];
        if (!f->s) {
            f->s = xstrdup("");
            f->f = (unsigned char *)xstrdup("");
        }
        if (flags & X_NOSPLIT) {
            strv_push(out, xstrndup(f->s, f->len));
            continue;
        }
        struct sh_strv parts = {0}, pflags = {0};
        split_field(sh, f, &parts, &pflags);
        for (size_t k = 0; k < parts.n; k++) {
            size_t len = strlen(parts.v[k]);
            if (flags & X_NOGLOB) strv_push(out, xstrdup(parts.v[k]));
            else if (glob_field(sh, parts.v[k], (unsigned char *)pflags.v[k], len, out) < 0) {
                strv_clear(&parts);
                strv_clear(&pflags);
                free_fields(&x);
                return -1;
            }
        }
        strv_clear(&parts);
        strv_clear(&pflags);
    }
    free_fields(&x);
    return 0;
}

int sh_expand_words(struct sh *sh, struct sh_word *words, struct sh_strv *out, int flags)
{
    for (struct sh_word *w = words; w; w = w->next) {
        if (!(flags & X_NOBRACE) && sh->opt[O_BRACEEXPAND] && sh_brace_maybe(w)) {
            struct sh_arena *a = sh_arena_new();
            struct sh_word *list = NULL;
            size_t nwords = 0;
            int r = a ? sh_brace_expand(a, w, sh->lim.brace_results, &list, &nwords) : -ENOMEM;
            if (r < 0) {
                if (a) sh_arena_free(a);
                if (r == SH_BRACE_TOO_DEEP) sh_error(sh, "brace expansion: nested too deeply");
                else sh_error(sh, "brace expansion: too many results (limit %zu)", sh->lim.brace_results);
                sh->fatal = true;
                return -1;
            }
            for (struct sh_word *bw = list; bw; bw = bw->next) {
                if (expand_one(sh, bw, flags | X_BRACED, out) < 0) {
                    sh_arena_free(a);
                    return -1;
                }
            }
            sh_arena_free(a);
            continue;
        }
        if (expand_one(sh, w, flags, out) < 0) return -1;
    }
    return 0;
}

char *sh_expand_word(struct sh *sh, const struct sh_word *w, int flags)
{
    struct xstate x = {sh, flags | X_NOSPLIT, NULL, 0, 0, false};
    cur(&x);
    if (w && expand_part_word(&x, w, false) < 0) {
        free_fields(&x);
        return NULL;
    }
    if (x.error) {
        free_fields(&x);
        return NULL;
    }
    /* Several fields (from "$@" in a no-split context) join with spaces. */
    size_t total = 0;
    for (size_t i = 0; i < x.n; i++) total += x.fields[i].len + 1;
    char *r = xmalloc(total + 1), *o = r;
    for (size_t i = 0; i < x.n; i++) {
        if (i) *o++ = ' ';
        if (x.fields[i].len) memcpy(o, x.fields[i].s, x.fields[i].len);
        o += x.fields[i].len;
    }
    *o = 0;
    free_fields(&x);
    return r;
}

/* ---- arithmetic ----------------------------------------------------------- */

static int arith_get(void *ctx, const char *name, const char *sub, char **value)
{
    struct sh *sh = ctx;
    *value = NULL;
    const char *v = NULL;
    char *fr = NULL;
    if (sub) {
        struct sh_var *var = sh_var_resolve(sh, name, NULL);
        if (var && (var->attr & V_ASSOC)) v = sh_assoc_get(var, sub);
        else if (var && (var->attr & V_ARRAY)) {
            intmax_t idx = strtoimax(sub, NULL, 10);
            if (idx < 0) idx += var->n ? var->arr[var->n - 1].idx + 1 : 0;
            v = sh_array_get(var, idx);
        } else if (var && !strcmp(sub, "0")) v = var->val;
    } else {
        v = scalar_param(sh, name, &fr);
        if (!v) {
            struct sh_var *sp = sh_special_array(sh, name);
            if (sp) v = sh_array_get(sp, 0);
        }
    }
    if (!v && sh->opt[O_NOUNSET]) {
        if (sub) {
            char *n = xasprintf("%s[%s]", name, sub);
            sh_error(sh, "%s: unbound variable", n);
            free(n);
        } else sh_error(sh, "%s: unbound variable", name);
        sh->fatal = true;
        sh->exit_requested = true;
        sh->exit_status = 1;
        free(fr);
        return -1;
    }
    if (v) *value = xstrdup(v);
    free(fr);
    return 0;
}

static int arith_set(void *ctx, const char *name, const char *sub, intmax_t val)
{
    struct sh *sh = ctx;
    char buf[32];
    snprintf(buf, sizeof buf, "%jd", val);
    if (sub) {
        struct sh_var *var = sh_var_resolve(sh, name, NULL);
        if (var && (var->attr & V_ASSOC)) return sh_var_set_elem(sh, name, sub, 0, buf, false) < 0 ? -1 : 0;
        return sh_var_set_elem(sh, name, NULL, strtoimax(sub, NULL, 10), buf, false) < 0 ? -1 : 0;
    }
    return sh_var_set(sh, name, buf, false) < 0 ? -1 : 0;
}

static bool arith_assoc(void *ctx, const char *name)
{
    struct sh_var *v = sh_var_resolve(ctx, name, NULL);
    return v && (v->attr & V_ASSOC);
}

int sh_arith_text(struct sh *sh, const char *expr, intmax_t *out)
{
    struct sh_arith_ops ops = {sh, arith_get, arith_set, arith_assoc};
    char *msg = NULL;
    int r = sh_arith_eval(expr, &ops, out, &msg);
    if (r == 0) return 0;
    if (msg) {
        sh_error(sh, "%s%s", sh->arith_prefix ? sh->arith_prefix : "", msg);
        free(msg);
    }
    if (!sh->arith_prefix) sh->fatal = true;
    return -1;
}

int sh_arith_word(struct sh *sh, const struct sh_word *w, intmax_t *out)
{
    if (!w) {
        *out = 0;
        return 0;
    }
    /* The expression is expanded like a double-quoted string first. */
    char *text = sh_expand_word(sh, w, X_NOSPLIT | X_HEREDOC);
    if (!text) return -1;
    int r = sh_arith_text(sh, text, out);
    free(text);
    return r;
}
