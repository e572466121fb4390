/* sh/var.c — shell variables: scopes (global and one per function call,
 * looked up from the innermost out: bash's dynamic scoping), attributes,
 * indexed arrays (sparse, sorted by index) and associative arrays (kept in
 * bash's own hash order — FNV-1 into 1024 buckets, newest first in a
 * bucket — so ${!a[@]} lists keys exactly as bash does).
 */
#include "sh/sh.h"
#include <ctype.h>
#include <inttypes.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory ---------------------------------------------------------------- */

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) abort(); /* host out of memory: input-driven growth is capped by limits */
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) abort();
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    size_t l = strnlen(s, n);
    char *r = xmalloc(l + 1);
    memcpy(r, s, l);
    r[l] = 0;
    return r;
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, SIZE_MAX) : NULL;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *r;
    if (vasprintf(&r, fmt, ap) < 0) abort();
    va_end(ap);
    return r;
}

/* ---- scopes ------------------------------------------------------------------ */

static uint32_t fnv1(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h *= 16777619u;
        h ^= (unsigned char)*s;
    }
    return h;
}

struct sh_scope *sh_scope_new(struct sh_scope *up, bool is_func)
{
    struct sh_scope *s = xmalloc(sizeof *s);
    s->up = up;
    s->nbuckets = up ? 16 : 256;
    s->tab = calloc(s->nbuckets, sizeof *s->tab);
    if (!s->tab) abort();
    s->count = 0;
    s->is_func = is_func;
    return s;
}

void sh_var_clear_value(struct sh_var *v)
{
    free(v->val);
    v->val = NULL;
    for (size_t i = 0; i < v->n; i++) free(v->arr[i].val);
    free(v->arr);
    v->arr = NULL;
    v->n = v->cap = 0;
    for (size_t b = 0; b < v->nbuckets; b++) {
        struct sh_akv *e = v->buckets[b];
        while (e) {
            struct sh_akv *nx = e->next;
            free(e->key);
            free(e->val);
            free(e);
            e = nx;
        }
    }
    free(v->buckets);
    v->buckets = NULL;
    v->nbuckets = v->count = 0;
}

static void var_free(struct sh_var *v)
{
    sh_var_clear_value(v);
    free(v->name);
    free(v);
}

void sh_scope_free(struct sh_scope *s)
{
    for (size_t i = 0; i < s->nbuckets; i++) {
        struct sh_var *v = s->tab[i];
        while (v) {
            struct sh_var *nx = v->next;
            var_free(v);
            v = nx;
        }
    }
    free(s->tab);
    free(s);
}

static struct sh_var *var_copy(const struct sh_var *v)
{
    struct sh_var *c = xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    c->name = xstrdup(v->name);
    c->attr = v->attr;
    c->val = xstrdup(v->val);
    if (v->n) {
        c->arr = xmalloc(v->n * sizeof *c->arr);
        c->n = c->cap = v->n;
        for (size_t i = 0; i < v->n; i++) {
            c->arr[i].idx = v->arr[i].idx;
            c->arr[i].val = xstrdup(v->arr[i].val);
        }
    }
    if (v->nbuckets) {
        c->nbuckets = v->nbuckets;
        c->count = v->count;
        c->buckets = calloc(v->nbuckets, sizeof *c->buckets);
        if (!c->buckets) abort();
        for (size_t b = 0; b < v->nbuckets; b++) {
            struct sh_akv **tail = &c->buckets[b];
            for (struct sh_akv *e = v->buckets[b]; e; e = e->next) {
                struct sh_akv *ne = xmalloc(sizeof *ne);
                ne->key = xstrdup(e->key);
                ne->val = xstrdup(e->val);
                ne->hash = e->hash;
                ne->next = NULL;
                *tail = ne;
                tail = &ne->next;
            }
        }
    }
    return c;
}

struct sh_scope *sh_scope_clone(const struct sh_scope *s, struct sh_scope *up)
{
    struct sh_scope *c = xmalloc(sizeof *c);
    c->up = up;
    c->nbuckets = s->nbuckets;
    c->count = s->count;
    c->is_func = s->is_func;
    c->tab = calloc(s->nbuckets, sizeof *c->tab);
    if (!c->tab) abort();
    for (size_t i = 0; i < s->nbuckets; i++) {
        struct sh_var **tail = &c->tab[i];
        for (struct sh_var *v = s->tab[i]; v; v = v->next) {
            *tail = var_copy(v);
            tail = &(*tail)->next;
        }
    }
    return c;
}

static struct sh_var *scope_lookup(const struct sh_scope *s, const char *name, uint32_t h)
{
    for (struct sh_var *v = s->tab[h & (s->nbuckets - 1)]; v; v = v->next)
        if (!strcmp(v->name, name)) return v;
    return NULL;
}

static void scope_grow(struct sh_scope *s)
{
    size_t nb = s->nbuckets * 2;
    struct sh_var **tab = calloc(nb, sizeof *tab);
    if (!tab) abort();
    for (size_t i = 0; i < s->nbuckets; i++) {
        struct sh_var *v = s->tab[i];
        while (v) {
            struct sh_var *nx = v->next;
            uint32_t h = fnv1(v->name) & (uint32_t)(nb - 1);
            v->next = tab[h];
            tab[h] = v;
            v = nx;
        }
    }
    free(s->tab);
    s->tab = tab;
    s->nbuckets = nb;
}

static struct sh_var *scope_add(struct sh_scope *s, const char *name)
{
    if (s->count >= s->nbuckets) scope_grow(s);
    struct sh_var *v = xmalloc(sizeof *v);
    memset(v, 0, sizeof *v);
    v->name = xstrdup(name);
    uint32_t h = fnv1(name) & (uint32_t)(s->nbuckets - 1);
    v->next = s->tab[h];
    s->tab[h] = v;
    s->count++;
    return v;
}

static void scope_remove(struct sh_scope *s, struct sh_var *v)
{
    struct sh_var **pp = &s->tab[fnv1(v->name) & (s->nbuckets - 1)];
    while (*pp && *pp != v) pp = &(*pp)->next;
    if (*pp) {
        *pp = v->next;
        s->count--;
        var_free(v);
    }
}

/* ---- lookup ------------------------------------------------------------- */

bool sh_valid_name(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_')) return false;
    for (s++; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_')) return false;
    return true;
}

struct sh_var *sh_var_find(struct sh *sh, const char *name)
{
    uint32_t h = fnv1(name);
    for (struct sh_scope *s = sh->scope; s; s = s->up) {
        struct sh_var *v = scope_lookup(s, name, h);
        if (v) return v;
    }
    return NULL;
}

static struct sh_scope *scope_of(struct sh *sh, struct sh_var *target)
{
    uint32_t h = fnv1(target->name);
    for (struct sh_scope *s = sh->scope; s; s = s->up)
        if (scope_lookup(s, target->name, h) == target) return s;
    return NULL;
}

/* A nameref's target must be a name or name[subscript]; anything else
 * (bash: "#", "1") leaves the variable an ordinary one. */
static bool ref_target_ok(const char *t)
{
    if (!t || !*t) return false;
    const char *br = strchr(t, '[');
    if (!br) return sh_valid_name(t);
    size_t l = strlen(t);
    if (t[l - 1] != ']') return false;
    char *base = xstrndup(t, (size_t)(br - t));
    bool ok = sh_valid_name(base);
    free(base);
    return ok;
}

struct sh_var *sh_var_resolve(struct sh *sh, const char *name, const char **final_name)
{
    struct sh_var *v = sh_var_find(sh, name);
    int hops = 0;
    while (v && (v->attr & V_NAMEREF) && ref_target_ok(v->val)) {
        if (++hops > 8) {
            /* A circle of namerefs: reads see nothing. */
            if (final_name) *final_name = name;
            return NULL;
        }
        name = v->val;
        /* A reference to an array element ("a[1]") resolves no further here. */
        if (strchr(name, '[')) break;
        v = sh_var_find(sh, name);
    }
    if (final_name) *final_name = name;
    return v;
}

bool sh_nameref_cycle(struct sh *sh, const char *name)
{
    struct sh_var *v = sh_var_find(sh, name);
    for (int hops = 0; v && (v->attr & V_NAMEREF) && ref_target_ok(v->val); hops++) {
        if (hops > 8) return true;
        if (strchr(v->val, '[')) return false;
        v = sh_var_find(sh, v->val);
    }
    return false;
}

const char *sh_array_get(const struct sh_var *v, intmax_t idx)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->arr[mid].idx < idx) lo = mid + 1;
        else hi = mid;
    }
    return lo < v->n && v->arr[lo].idx == idx ? v->arr[lo].val : NULL;
}

static struct sh_akv *assoc_find(const struct sh_var *v, const char *key, struct sh_akv ***link)
{
    if (!v->nbuckets) return NULL;
    uint32_t h = fnv1(key);
    struct sh_akv **pp = &v->buckets[h & (v->nbuckets - 1)];
    for (; *pp; pp = &(*pp)->next) {
        if ((*pp)->hash == h && !strcmp((*pp)->key, key)) {
            if (link) *link = pp;
            return *pp;
        }
    }
    return NULL;
}

const char *sh_assoc_get(const struct sh_var *v, const char *key)
{
    struct sh_akv *e = assoc_find(v, key, NULL);
    return e ? e->val : NULL;
}

const char *sh_var_get(struct sh *sh, const char *name)
{
    struct sh_var *v = sh_var_resolve(sh, name, &name);
    if (!v) return NULL;
    if (v->attr & V_ASSOC) return sh_assoc_get(v, "0");
    if (v->attr & V_ARRAY) return sh_array_get(v, 0);
    return v->val;
}

/* ---- values ---------------------------------------------------------------- */

static char *apply_case(unsigned attr, char *s)
{
    if (attr & V_LOWER)
        for (char *c = s; *c; c++) *c = (char)tolower((unsigned char)*c);
    if (attr & V_UPPER)
        for (char *c = s; *c; c++) *c = (char)toupper((unsigned char)*c);
    if (attr & V_CAPITAL && *s) {
        for (char *c = s; *c; c++) *c = (char)tolower((unsigned char)*c);
        *s = (char)toupper((unsigned char)*s);
    }
    return s;
}

/* The new value of a variable with attributes, given the old one: -i
 * evaluates arithmetic (and += adds), otherwise += concatenates. */
static char *compute_value(struct sh *sh, unsigned attr, const char *old, const char *val,
                           bool append, int *err)
{
    *err = 0;
    if (attr & V_INTEGER) {
        intmax_t n = 0, o = 0;
        if (sh_arith_text(sh, val, &n) < 0) {
            *err = 1;
            return NULL;
        }
        if (append && old && sh_arith_text(sh, old, &o) < 0) o = 0;
        return xasprintf("%jd", append ? (intmax_t)((uintmax_t)o + (uintmax_t)n) : n);
    }
    char *r;
    if (append && old) r = xasprintf("%s%s", old, val);
    else r = xstrdup(val);
    return apply_case(attr, r);
}

static int readonly_error(struct sh *sh, const char *name)
{
    sh_error(sh, "%s: readonly variable", name);
    return -1;
}

int sh_array_set(struct sh_var *v, intmax_t idx, const char *val, bool append)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->arr[mid].idx < idx) lo = mid + 1;
        else hi = mid;
    }
    if (lo < v->n && v->arr[lo].idx == idx) {
        char *nv = append ? xasprintf("%s%s", v->arr[lo].val, val) : xstrdup(val);
        free(v->arr[lo].val);
        v->arr[lo].val = nv;
        return 0;
    }
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->arr = xrealloc(v->arr, v->cap * sizeof *v->arr);
    }
    memmove(&v->arr[lo + 1], &v->arr[lo], (v->n - lo) * sizeof *v->arr);
    v->arr[lo].idx = idx;
    v->arr[lo].val = xstrdup(val);
    v->n++;
    return 0;
}

void sh_array_unset(struct sh_var *v, intmax_t idx)
{
    for (size_t i = 0; i < v->n; i++) {
        if (v->arr[i].idx != idx) continue;
        free(v->arr[i].val);
        memmove(&v->arr[i], &v->arr[i + 1], (v->n - i - 1) * sizeof *v->arr);
        v->n--;
        return;
    }
}

int sh_assoc_set(struct sh_var *v, const char *key, const char *val, bool append)
{
    struct sh_akv *e = assoc_find(v, key, NULL);
    if (e) {
        char *nv = append ? xasprintf("%s%s", e->val, val) : xstrdup(val);
        free(e->val);
        e->val = nv;
        return 0;
    }
    if (!v->nbuckets) {
        v->nbuckets = 1024;
        v->buckets = calloc(v->nbuckets, sizeof *v->buckets);
        if (!v->buckets) abort();
    }
    e = xmalloc(sizeof *e);
    e->key = xstrdup(key);
    e->val = xstrdup(val);
    e->hash = fnv1(key);
    /* bash's hash_insert puts new items at the head of their bucket. */
    struct sh_akv **b = &v->buckets[e->hash & (v->nbuckets - 1)];
    e->next = *b;
    *b = e;
    v->count++;
    return 0;
}

void sh_assoc_unset(struct sh_var *v, const char *key)
{
    struct sh_akv **link;
    struct sh_akv *e = assoc_find(v, key, &link);
    if (!e) return;
    *link = e->next;
    free(e->key);
    free(e->val);
    free(e);
    v->count--;
}

struct sh_akv *sh_assoc_first(const struct sh_var *v, size_t *bucket)
{
    for (*bucket = 0; *bucket < v->nbuckets; (*bucket)++)
        if (v->buckets[*bucket]) return v->buckets[*bucket];
    return NULL;
}

struct sh_akv *sh_assoc_next(const struct sh_var *v, struct sh_akv *e, size_t *bucket)
{
    if (e->next) return e->next;
    for ((*bucket)++; *bucket < v->nbuckets; (*bucket)++)
        if (v->buckets[*bucket]) return v->buckets[*bucket];
    return NULL;
}

int sh_var_make_array(struct sh_var *v)
{
    if (v->attr & (V_ARRAY | V_ASSOC)) return 0;
    char *old = v->val;
    v->val = NULL;
    v->attr |= V_ARRAY;
    if (old) sh_array_set(v, 0, old, false);
    free(old);
    return 0;
}

int sh_var_make_assoc(struct sh_var *v)
{
    if (v->attr & V_ASSOC) return 0;
    char *old = v->val;
    v->val = NULL;
    v->attr |= V_ASSOC;
    if (old) sh_assoc_set(v, "0", old, false);
    free(old);
    return 0;
}

struct sh_var *sh_var_declare(struct sh *sh, const char *name, bool local)
{
    struct sh_scope *s = local ? sh->scope : sh->global;
    uint32_t h = fnv1(name);
    struct sh_var *v = scope_lookup(s, name, h);
    return v ? v : scope_add(s, name);
}

/* Where an assignment to name lands: the variable visible now, or a new
 * global (bash creates unknown variables in the global scope). */
static struct sh_var *target_var(struct sh *sh, const char *name, const char **final)
{
    struct sh_var *v = sh_var_resolve(sh, name, final);
    if (v) return v;
    /* A nameref to a not-yet-existing name creates that name. */
    return sh_var_declare(sh, *final, false);
}

static void special_assigned(struct sh *sh, struct sh_var *v);

int sh_var_set(struct sh *sh, const char *name, const char *val, bool append)
{
    if (!strcmp(name, "SHELLOPTS") || !strcmp(name, "BASHOPTS")) return readonly_error(sh, name);
    if (sh_nameref_cycle(sh, name)) {
        sh_error(sh, "warning: %s: circular name reference", name);
        sh->fatal = true;
        return -1;
    }
    const char *final = name;
    struct sh_var *v = sh_var_resolve(sh, name, &final);
    if (final != name && strchr(final, '[')) {
        /* nameref to an array element: a[1] */
        char *base = xstrndup(final, strcspn(final, "["));
        char *sub = xstrdup(final + strlen(base) + 1);
        size_t l = strlen(sub);
        if (l && sub[l - 1] == ']') sub[l - 1] = 0;
        struct sh_var *av = sh_var_find(sh, base);
        intmax_t idx = 0;
        int r = 0;
        if (av && (av->attr & V_ASSOC)) {
            char *key = sh_subscript_key(sh, sub);
            r = key ? sh_var_set_elem(sh, base, key, 0, val, append) : -1;
            free(key);
        }
        else if (sh_arith_text(sh, sub, &idx) == 0) r = sh_var_set_elem(sh, base, NULL, idx, val, append);
        else r = -1;
        free(base);
        free(sub);
        return r;
    }
    if (!v) v = target_var(sh, name, &final);
    if (v->attr & V_READONLY) return readonly_error(sh, final);
    int err;
    if (v->attr & V_ASSOC) return sh_var_set_elem(sh, final, "0", 0, val, append);
    if (v->attr & V_ARRAY) return sh_var_set_elem(sh, final, NULL, 0, val, append);
    char *nv = compute_value(sh, v->attr, v->val, val, append, &err);
    if (err) return -1;
    free(v->val);
    v->val = nv;
    if (sh->opt[O_ALLEXPORT]) v->attr |= V_EXPORT;
    special_assigned(sh, v);
    return 0;
}

int sh_var_set_elem(struct sh *sh, const char *name, const char *key, intmax_t idx,
                    const char *val, bool append)
{
    const char *final = name;
    struct sh_var *v = target_var(sh, name, &final);
    if (v->attr & V_READONLY) return readonly_error(sh, final);
    int err;
    if (v->attr & V_ASSOC) {
        const char *old = sh_assoc_get(v, key ? key : "0");
        char *nv = compute_value(sh, v->attr, old, val, append, &err);
        if (err) return -1;
        sh_assoc_set(v, key ? key : "0", nv, false);
        free(nv);
        return 0;
    }
    sh_var_make_array(v);
    if (idx < 0) {
        intmax_t top = v->n ? v->arr[v->n - 1].idx + 1 : 0;
        if (top + idx < 0) {
            sh_error(sh, "%s[%jd]: bad array subscript", final, idx);
            return -1;
        }
        idx += top;
    }
    if (v->n >= sh->lim.array_elems && !sh_array_get(v, idx)) {
        sh_error(sh, "%s: array size limit exceeded (%zu elements)", final, sh->lim.array_elems);
        return -1;
    }
    char *nv = compute_value(sh, v->attr, sh_array_get(v, idx), val, append, &err);
    if (err) return -1;
    sh_array_set(v, idx, nv, false);
    free(nv);
    return 0;
}

int sh_var_unset(struct sh *sh, const char *name)
{
    struct sh_var *v = sh_var_find(sh, name);
    if (v && (v->attr & V_NAMEREF) && v->val && *v->val) {
        const char *final;
        struct sh_var *t = sh_var_resolve(sh, name, &final);
        if (t) v = t;
    }
    if (!v) return 0;
    if (v->attr & V_READONLY) {
        sh_error(sh, "unset: %s: cannot unset: readonly variable", v->name);
        return -1;
    }
    struct sh_scope *s = scope_of(sh, v);
    /* Unsetting a local of the current function leaves it unset but local;
     * from a function it called, the local goes and the outer value shows. */
    if (s && s == sh->scope && s != sh->global && s->is_func && (v->attr & V_LOCAL)) {
        /* Unsetting a local keeps it local but unset (bash's localvar_unset off:
         * it then shows the outer value... bash 5.2 makes it unset-local). */
        sh_var_clear_value(v);
        v->attr &= V_LOCAL;
        return 0;
    }
    if (s) scope_remove(s, v);
    return 0;
}

/* ---- special variables ------------------------------------------------------ */

static void special_assigned(struct sh *sh, struct sh_var *v)
{
    if (!strcmp(v->name, "RANDOM")) {
        intmax_t seed = 0;
        if (v->val) seed = strtoimax(v->val, NULL, 10);
        sh->random_state = (uint32_t)seed;
    } else if (!strcmp(v->name, "SECONDS")) {
        sh->seconds_base = v->val ? strtoimax(v->val, NULL, 10) : 0;
        sh->start_ns = now_ns();
    } else if (!strcmp(v->name, "LINENO")) {
        /* ignored, like bash once assigned? bash keeps counting. */
    }
}

/* ---- environment ------------------------------------------------------------ */

char **sh_build_env(struct sh *sh)
{
    size_t n = 0, cap = 32;
    char **env = xmalloc(cap * sizeof *env);
    /* Innermost definitions win: walk scopes in and skip names seen. */
    for (struct sh_scope *s = sh->scope; s; s = s->up) {
        for (size_t b = 0; b < s->nbuckets; b++) {
            for (struct sh_var *v = s->tab[b]; v; v = v->next) {
                if (!(v->attr & V_EXPORT) || (v->attr & (V_ARRAY | V_ASSOC)) || !v->val) continue;
                if (sh_var_find(sh, v->name) != v) continue;
                if (n + 2 > cap) env = xrealloc(env, (cap *= 2) * sizeof *env);
                env[n++] = xasprintf("%s=%s", v->name, v->val);
            }
        }
    }
    env[n] = NULL;
    return env;
}

void sh_vars_import(struct sh *sh, char **env)
{
    for (char **e = env; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        char *name = xstrndup(*e, (size_t)(eq - *e));
        if (sh_valid_name(name)) {
            struct sh_var *v = sh_var_declare(sh, name, false);
            free(v->val);
            v->val = xstrdup(eq + 1);
            v->attr |= V_EXPORT;
        }
        free(name);
    }
}
