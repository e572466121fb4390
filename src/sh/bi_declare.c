/* sh/bi_declare.c — declare/typeset, local, export, readonly, and
 * `declare -p` printing (sh_print_var_decl), after bash 5.2's declare.def,
 * setattr.def and variables.c: attribute flags and their order, +attr
 * removal, NAME=VALUE and NAME=(...) compound values, function printing,
 * and bash's quoting of values ("..." or $'...').
 */
#include "sh/builtins.h"
#include "lib/printf.h"
#include "sh/parse.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECLARE_USAGE                                                                              \
    "declare [-aAfFgiIlnrtux] [name[=value] ...] or declare -p [-aAfFilnrtux] [name ...]"
#define TYPESET_USAGE                                                                              \
    "typeset [-aAfFgiIlnrtux] name[=value] ... or typeset -p [-aAfFilnrtux] [name ...]"
#define LOCAL_USAGE "local [option] name[=value] ..."
#define EXPORT_USAGE "export [-fn] [name[=value] ...] or export -p"
#define READONLY_USAGE "readonly [-aAf] [name[=value] ...] or readonly -p"

/* An array declared without a value (`declare -a a`): declare -p shows no
 * "=()" for it. A private attribute bit; assignments through var.c keep or
 * drop it, and it only counts while the array is empty. */
#define V_NOVALUE (1u << 30)

/* ---- quoting ------------------------------------------------------------------------------ */

/* bash's sh_double_quote: "..." with \ before $ ` " \. */
static char *double_quote(const char *s)
{
    size_t n = strlen(s);
    char *r = xmalloc(2 * n + 3), *o = r;
    *o++ = '"';
    for (; *s; s++) {
        if (strchr("\"$`\\", *s)) *o++ = '\\';
        *o++ = *s;
    }
    *o++ = '"';
    *o = 0;
    return r;
}

/* A value as declare -p shows it. */
static char *quote_value(struct sh *sh, const char *s)
{
    bool utf8 = sh_utf8(sh);
    if (pf_ansic_shouldquote(s, utf8)) return pf_ansic_quote(s, utf8);
    return double_quote(s);
}

/* An assoc key: bare unless it holds shell metacharacters or blanks. */
static char *quote_key(struct sh *sh, const char *k)
{
    bool utf8 = sh_utf8(sh);
    if (pf_ansic_shouldquote(k, utf8)) return pf_ansic_quote(k, utf8);
    if (!*k || strpbrk(k, " \t\n|&;()<>$`\\\"'*?[#~=%")) return double_quote(k);
    return xstrdup(k);
}

/* ---- printing ------------------------------------------------------------------------------ */

static void attr_letters(const struct sh_var *v, char *buf, bool func)
{
    size_t i = 0;
    if (v->attr & V_ARRAY) buf[i++] = 'a';
    if (v->attr & V_ASSOC) buf[i++] = 'A';
    if (func) buf[i++] = 'f';
    if (v->attr & V_INTEGER) buf[i++] = 'i';
    if (v->attr & V_NAMEREF) buf[i++] = 'n';
    if (v->attr & V_READONLY) buf[i++] = 'r';
    if (v->attr & V_TRACE) buf[i++] = 't';
    if (v->attr & V_EXPORT) buf[i++] = 'x';
    if (v->attr & V_CAPITAL) buf[i++] = 'c';
    if (v->attr & V_LOWER) buf[i++] = 'l';
    if (v->attr & V_UPPER) buf[i++] = 'u';
    if (!i) buf[i++] = '-';
    buf[i] = 0;
}

struct strbuf {
    char *s;
    size_t n, cap;
};

static void sb_add(struct strbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l + 1 > b->cap) {
        b->cap = (b->n + l + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, l + 1);
    b->n += l;
}

static bool var_isset(const struct sh_var *v)
{
    if ((v->attr & V_NOVALUE) && !v->n && !v->count) return false;
    if (v->attr & V_ARRAY) return true;
    if (v->attr & V_ASSOC) return true;
    return v->val != NULL;
}

/* The value part after '=' (arrays as (...)); NULL when unset. */
static char *value_text(struct sh *sh, const struct sh_var *v)
{
    struct strbuf b = {0};
    if (v->attr & V_ASSOC) {
        sb_add(&b, "(");
        size_t bucket;
        for (struct sh_akv *e = sh_assoc_first(v, &bucket); e; e = sh_assoc_next(v, e, &bucket)) {
            char *k = quote_key(sh, e->key), *q = quote_value(sh, e->val);
            sb_add(&b, "[");
            sb_add(&b, k);
            sb_add(&b, "]=");
            sb_add(&b, q);
            sb_add(&b, " ");
            free(k);
            free(q);
        }
        sb_add(&b, ")");
        return b.s;
    }
    if (v->attr & V_ARRAY) {
        sb_add(&b, "(");
        for (size_t i = 0; i < v->n; i++) {
            char idx[32];
            snprintf(idx, sizeof idx, "%s[%jd]=", i ? " " : "", v->arr[i].idx);
            char *q = quote_value(sh, v->arr[i].val);
            sb_add(&b, idx);
            sb_add(&b, q);
            free(q);
        }
        sb_add(&b, ")");
        return b.s;
    }
    if (!v->val) return NULL;
    return quote_value(sh, v->val);
}

void sh_print_var_decl(struct sh *sh, struct sh_var *v, int fd)
{
    char flags[16];
    attr_letters(v, flags, false);
    char *val = var_isset(v) ? value_text(sh, v) : NULL;
    if (val) sh_printf(sh, fd, "declare -%s %s=%s\n", flags, v->name, val);
    else sh_printf(sh, fd, "declare -%s %s\n", flags, v->name);
    free(val);
}

static int cmp_var(const void *a, const void *b)
{
    const struct sh_var *x = *(struct sh_var *const *)a, *y = *(struct sh_var *const *)b;
    return strcmp(x->name, y->name);
}

/* Every visible variable, sorted by name; only_local: the current scope. */
static struct sh_var **visible_vars(struct sh *sh, size_t *count, bool only_local)
{
    size_t n = 0, cap = 64;
    struct sh_var **v = xmalloc(cap * sizeof *v);
    for (struct sh_scope *s = sh->scope; s; s = s->up) {
        for (size_t b = 0; b < s->nbuckets; b++)
            for (struct sh_var *x = s->tab[b]; x; x = x->next) {
                if (sh_var_find(sh, x->name) != x) continue;
                if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
                v[n++] = x;
            }
        if (only_local) break;
    }
    if (n) qsort(v, n, sizeof *v, cmp_var);
    *count = n;
    return v;
}

static int cmp_func(const void *a, const void *b)
{
    return strcmp((*(struct sh_func *const *)a)->name, (*(struct sh_func *const *)b)->name);
}

static struct sh_func **sorted_funcs(struct sh *sh, size_t *count)
{
    size_t n = 0;
    for (struct sh_func *f = sh->funcs; f; f = f->next) n++;
    struct sh_func **v = xmalloc((n + 1) * sizeof *v);
    n = 0;
    for (struct sh_func *f = sh->funcs; f; f = f->next) v[n++] = f;
    if (n) qsort(v, n, sizeof *v, cmp_func);
    *count = n;
    return v;
}

static void print_function(struct sh *sh, struct sh_func *f, bool names_only, bool decl_line)
{
    if (names_only) {
        char flags[8] = "f";
        size_t i = 1;
        if (f->attr & V_READONLY) flags[i++] = 'r';
        if (f->attr & V_TRACE) flags[i++] = 't';
        if (f->attr & V_EXPORT) flags[i++] = 'x';
        flags[i] = 0;
        if (decl_line) sh_printf(sh, 1, "declare -%s %s\n", flags, f->name);
        else sh_printf(sh, 1, "%s\n", f->name);
        return;
    }
    char *text = sh_print_function(f->name, f->def);
    if (text) {
        sh_printf(sh, 1, "%s\n", text);
        free(text);
    }
    if (f->attr & (V_READONLY | V_EXPORT | V_TRACE)) {
        char flags[8] = "f";
        size_t i = 1;
        if (f->attr & V_READONLY) flags[i++] = 'r';
        if (f->attr & V_TRACE) flags[i++] = 't';
        if (f->attr & V_EXPORT) flags[i++] = 'x';
        flags[i] = 0;
        sh_printf(sh, 1, "declare -%s %s\n", flags, f->name);
    }
}

/* ---- compound values ------------------------------------------------------------------ */

/* Assign "( ... )" (the source text of a compound value) to the array
 * variable v named name: the elements are parsed and expanded here. */
static int assign_compound(struct sh *sh, const char *name, struct sh_var *v, const char *text,
                           bool append)
{
    char *src = xasprintf("x=%s", text);
    struct sh_arena *arena = sh_arena_new();
    struct sh_node *node = NULL;
    const char *err = NULL;
    int err_line = 0;
    int r = sh_parse_string(arena, src, strlen(src), NULL, &node, &err, &err_line);
    free(src);
    while (r == 0 && node && node->kind == SH_N_LIST && node->kids) node = node->kids;
    while (r == 0 && node && (node->kind == SH_N_PIPELINE || node->kind == SH_N_ANDOR) && node->kids)
        node = node->kids;
    struct sh_word *w = r == 0 && node && node->kind == SH_N_SIMPLE ? node->words : NULL;
    if (!w || !w->assign || !w->assign->compound || w->next) {
        /* Not a compound value after all: a plain string at index 0 / key 0. */
        sh_arena_free(arena);
        if (v->attr & V_ASSOC) return sh_var_set_elem(sh, name, "0", 0, text, append);
        return sh_var_set_elem(sh, name, NULL, 0, text, append);
    }
    bool assoc = v->attr & V_ASSOC;
    if (!append) {
        unsigned keep = v->attr;
        sh_var_clear_value(v);
        v->attr = keep;
    }
    if (!assoc) sh_var_make_array(v);
    intmax_t next = 0;
    if (!assoc && v->n) next = v->arr[v->n - 1].idx + 1;
    int status = 0;
    for (struct sh_word *e = w->assign->elems; e; e = e->next) {
        if (e->assign && !e->assign->name && e->assign->index) {
            char *val = e->parts ? sh_expand_word(sh, e, X_NOSPLIT | X_ASSIGN) : xstrdup("");
            if (!val) {
                status = -1;
                break;
            }
            if (assoc) {
                char *k = sh_expand_word(sh, e->assign->index, X_NOSPLIT);
                if (k) sh_var_set_elem(sh, name, k, 0, val, e->assign->append);
                free(k);
            } else {
                intmax_t idx;
                if (sh_arith_word(sh, e->assign->index, &idx) == 0) {
                    sh_var_set_elem(sh, name, NULL, idx, val, e->assign->append);
                    next = idx + 1;
                } else {
                    status = -1;
                }
            }
            free(val);
            continue;
        }
        struct sh_strv vals = {0};
        struct sh_word one = *e;
        one.next = NULL;
        if (sh_expand_words(sh, &one, &vals, 0) < 0) {
            status = -1;
            break;
        }
        for (size_t i = 0; i < vals.n; i++) {
            if (assoc) {
                const char *val = i + 1 < vals.n ? vals.v[i + 1] : "";
                sh_var_set_elem(sh, name, vals.v[i], 0, val, false);
                i++;
            } else {
                sh_var_set_elem(sh, name, NULL, next++, vals.v[i], false);
            }
        }
        strv_clear(&vals);
    }
    sh_arena_free(arena);
    return status;
}

/* ---- declare ------------------------------------------------------------------------------- */

enum { DF_LOCAL = 1, DF_EXPORT_CMD = 2, DF_READONLY_CMD = 4 };

static unsigned letter_attr(int c)
{
    switch (c) {
    case 'a': return V_ARRAY;
    case 'A': return V_ASSOC;
    case 'i': return V_INTEGER;
    case 'l': return V_LOWER;
    case 'u': return V_UPPER;
    case 'c': return V_CAPITAL;
    case 'n': return V_NAMEREF;
    case 'r': return V_READONLY;
    case 't': return V_TRACE;
    case 'x': return V_EXPORT;
    }
    return 0;
}

static bool in_function(struct sh *sh)
{
    return sh->func_depth > 0 || (sh->scope && sh->scope != sh->global && sh->scope->is_func);
}

/* Set the attributes on (and off) a variable, checking conversions. */
static int apply_attrs(struct sh *sh, const char *cmd, struct sh_var *v, unsigned on, unsigned off)
{
    if ((on & V_ARRAY) && (v->attr & V_ASSOC)) {
        sh_error(sh, "%s: %s: cannot convert associative to indexed array", cmd, v->name);
        return 1;
    }
    if ((on & V_ASSOC) && (v->attr & V_ARRAY)) {
        sh_error(sh, "%s: %s: cannot convert indexed to associative array", cmd, v->name);
        return 1;
    }
    if ((off & (V_ARRAY | V_ASSOC)) && (v->attr & (V_ARRAY | V_ASSOC))) {
        sh_error(sh, "%s: %s: cannot destroy array variables in this way", cmd, v->name);
        return 1;
    }
    if ((off & V_READONLY) && (v->attr & V_READONLY)) {
        sh_error(sh, "%s: %s: readonly variable", cmd, v->name);
        return 1;
    }
    if (on & V_ARRAY) sh_var_make_array(v);
    if (on & V_ASSOC) {
        if (!(v->attr & V_ASSOC)) {
            char *old = v->val;
            v->val = NULL;
            v->attr |= V_ASSOC;
            if (old) sh_assoc_set(v, "0", old, false);
            free(old);
        }
    }
    if (on & V_LOWER) v->attr &= ~(unsigned)(V_UPPER | V_CAPITAL);
    if (on & V_UPPER) v->attr &= ~(unsigned)(V_LOWER | V_CAPITAL);
    if (on & V_CAPITAL) v->attr &= ~(unsigned)(V_LOWER | V_UPPER);
    v->attr |= on & ~(unsigned)(V_ARRAY | V_ASSOC);
    v->attr &= ~off;
    /* -l/-u/-c convert the current value like bash does on the next assignment. */
    if ((on & (V_LOWER | V_UPPER | V_CAPITAL)) && v->val && !(v->attr & (V_ARRAY | V_ASSOC))) {
        for (char *c = v->val; *c; c++)
            *c = (char)((v->attr & V_UPPER) ? toupper((unsigned char)*c) : tolower((unsigned char)*c));
        if ((v->attr & V_CAPITAL) && *v->val) *v->val = (char)toupper((unsigned char)*v->val);
    }
    return 0;
}

static struct sh_func *find_func(struct sh *sh, const char *name)
{
    return sh_func_find(sh, name);
}

/* The common body of declare, typeset, local, export and readonly. */
static int declare_main(struct sh *sh, int argc, char **argv, const char *opts, const char *usage,
                        int mode)
{
    const char *cmd = argv[0];
    struct sh_bopt o = {0};
    unsigned on = 0, off = 0;
    bool print = false, funcs = false, fnames = false, global = false, unexport = false;
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, opts, usage)) != -1;) {
        if (c == -2) return 2;
        switch (c) {
        case 'p': print = true; break;
        case 'f': funcs = true; break;
        case 'F': funcs = fnames = true; break;
        case 'g': global = true; break;
        case 'I': break; /* inherit: locals start with the outer value's attributes */
        case 'n':
            if (mode & DF_EXPORT_CMD) {
                unexport = true;
                break;
            }
            /* fall through */
        default:
            if (o.plus) off |= letter_attr(c);
            else on |= letter_attr(c);
        }
    }
    if (mode & DF_EXPORT_CMD) on |= unexport ? 0 : V_EXPORT, off |= unexport ? V_EXPORT : 0;
    if (mode & DF_READONLY_CMD) on |= V_READONLY;
    if ((mode & DF_LOCAL) && !in_function(sh)) {
        sh_error(sh, "%s: can only be used in a function", cmd);
        return 1;
    }
    bool local = !global && ((mode & DF_LOCAL) || (!(mode & (DF_EXPORT_CMD | DF_READONLY_CMD)) &&
                                                   in_function(sh)));
    int status = 0;

    /* Listing. */
    if (o.ind >= argc) {
        if (funcs) {
            size_t n;
            struct sh_func **fv = sorted_funcs(sh, &n);
            for (size_t i = 0; i < n; i++) {
                unsigned fa = fv[i]->attr;
                if ((on & V_EXPORT) && !(fa & V_EXPORT)) continue;
                if ((on & V_READONLY) && !(fa & V_READONLY)) continue;
                print_function(sh, fv[i], fnames, true);
            }
            free(fv);
            return 0;
        }
        if (!print && !on && !off && !(mode & (DF_LOCAL | DF_EXPORT_CMD | DF_READONLY_CMD))) {
            /* plain `declare`: like `set` */
            size_t n;
            struct sh_var **vv = visible_vars(sh, &n, false);
            for (size_t i = 0; i < n; i++) {
                if (!var_isset(vv[i])) continue;
                char *val = value_text(sh, vv[i]);
                if (val && !(vv[i]->attr & (V_ARRAY | V_ASSOC))) {
                    free(val);
                    val = vv[i]->val && *vv[i]->val ? sh_quote(vv[i]->val, false) : xstrdup("''");
                    bool plain = true;
                    for (const char *c = vv[i]->val; *c; c++)
                        if (!isalnum((unsigned char)*c) && !strchr("_-./:=@%+,", *c)) plain = false;
                    if (plain && *vv[i]->val) {
                        free(val);
                        val = xstrdup(vv[i]->val);
                    }
                }
                sh_printf(sh, 1, "%s=%s\n", vv[i]->name, val ? val : "");
                free(val);
            }
            free(vv);
            size_t nf;
            struct sh_func **fv = sorted_funcs(sh, &nf);
            for (size_t i = 0; i < nf; i++) print_function(sh, fv[i], false, false);
            free(fv);
            return 0;
        }
        size_t n;
        struct sh_var **vv = visible_vars(sh, &n, (mode & DF_LOCAL) != 0);
        for (size_t i = 0; i < n; i++) {
            if (on && (vv[i]->attr & on) != on) continue;
            if ((mode & DF_LOCAL) && !(vv[i]->attr & V_LOCAL) && sh->scope == sh->global) continue;
            sh_print_var_decl(sh, vv[i], 1);
        }
        free(vv);
        return 0;
    }

    for (int i = o.ind; i < argc; i++) {
        const char *arg = argv[i];
        const char *eq = strchr(arg, '=');
        const char *lb = strchr(arg, '[');
        size_t namelen = eq ? (size_t)(eq - arg) : strlen(arg);
        bool append = eq && eq > arg && eq[-1] == '+';
        if (append) namelen--;
        if (lb && lb < arg + namelen) namelen = (size_t)(lb - arg);
        char *name = xstrndup(arg, namelen);
        const char *value = eq ? eq + 1 : NULL;

        if (funcs) {
            struct sh_func *f = find_func(sh, name);
            if (eq) {
                sh_error(sh, "%s: cannot use `-f' to make functions", cmd);
                free(name);
                return 1;
            }
            if (!f) {
                if (print || fnames || !(on | off)) status = 1;
                else {
                    sh_error(sh, "%s: %s: not a function", cmd, name);
                    status = 1;
                }
                free(name);
                continue;
            }
            if (on || off) {
                f->attr = (f->attr | (on & (V_EXPORT | V_READONLY | V_TRACE))) & ~off;
                if (print) print_function(sh, f, fnames, true);
            } else {
                print_function(sh, f, fnames, false);
            }
            free(name);
            continue;
        }

        if (!sh_valid_name(name) || (lb && lb < (eq ? eq : arg + strlen(arg)) && !eq && 0)) {
            sh_error(sh, "%s: `%s': not a valid identifier", cmd, arg);
            status = 1;
            free(name);
            continue;
        }

        if (print && !eq) {
            struct sh_var *v = sh_var_find(sh, name);
            if (!v) {
                sh_error(sh, "%s: %s: not found", cmd, name);
                status = 1;
            } else {
                sh_print_var_decl(sh, v, 1);
            }
            free(name);
            continue;
        }

        /* Find or make the variable in the right scope. */
        struct sh_var *v;
        if (local) {
            v = sh_var_declare(sh, name, true);
            if (sh->scope != sh->global) v->attr |= V_LOCAL;
        } else if (global) {
            v = sh_var_declare(sh, name, false);
        } else {
            v = sh_var_find(sh, name);
            if (v && (v->attr & V_NAMEREF) && !(on & V_NAMEREF) && !(off & V_NAMEREF)) {
                const char *final = name;
                struct sh_var *t = sh_var_resolve(sh, name, &final);
                v = t ? t : sh_var_declare(sh, final, false);
            }
            if (!v) v = sh_var_declare(sh, name, false);
        }
        if ((v->attr & V_READONLY) && (eq || (off & ~V_EXPORT) || (on & ~(V_READONLY | V_EXPORT)))) {
            if (eq || off) {
                sh_error(sh, "%s: %s: readonly variable", cmd, name);
                status = 1;
                free(name);
                continue;
            }
        }
        if ((on & V_NAMEREF) && value && !sh_bi_valid_lhs(value) && *value) {
            sh_error(sh, "%s: `%s': invalid variable name for name reference", cmd, value);
            status = 1;
            free(name);
            continue;
        }
        if ((on & V_NAMEREF) && value && !strcmp(value, name)) {
            sh_error(sh, "%s: %s: nameref variable self references not allowed", cmd, name);
            status = 1;
            free(name);
            continue;
        }
        unsigned set_on = on & ~(unsigned)V_READONLY; /* readonly after the value */
        if (apply_attrs(sh, cmd, v, set_on, off)) {
            status = 1;
            free(name);
            continue;
        }
        if (eq) {
            bool compound = value[0] == '(' && value[strlen(value) - 1] == ')' &&
                            (v->attr & (V_ARRAY | V_ASSOC) || (on & (V_ARRAY | V_ASSOC)) ||
                             !(lb && lb < eq));
            int r;
            if (lb && lb < eq) {
                /* NAME[SUB]=VALUE */
                size_t sl = (size_t)(eq - lb) - 2 - (append ? 1 : 0);
                char *sub = xstrndup(lb + 1, sl);
                if (v->attr & V_ASSOC) {
                    r = sh_var_set_elem(sh, name, sub, 0, value, append);
                } else {
                    intmax_t idx;
                    r = sh_arith_text(sh, sub, &idx);
                    if (r == 0) r = sh_var_set_elem(sh, name, NULL, idx, value, append);
                }
                free(sub);
            } else if (compound && (v->attr & (V_ARRAY | V_ASSOC) || value[0] == '(')) {
                if (!(v->attr & (V_ARRAY | V_ASSOC))) sh_var_make_array(v);
                r = assign_compound(sh, name, v, value, append);
            } else if (v->attr & (V_ARRAY | V_ASSOC)) {
                r = (v->attr & V_ASSOC) ? sh_var_set_elem(sh, name, "0", 0, value, append)
                                        : sh_var_set_elem(sh, name, NULL, 0, value, append);
            } else if (v->attr & V_NAMEREF) {
                free(v->val);
                v->val = xstrdup(value);
                r = 0;
            } else {
                /* sh_var_set resolves the name from the innermost scope: the
                 * variable we declared is what it finds. */
                unsigned save = v->attr;
                v->attr &= ~(unsigned)V_READONLY;
                r = sh_var_set(sh, name, value, append);
                v = sh_var_find(sh, name);
                if (v) v->attr |= save & V_READONLY;
            }
            if (r < 0) status = 1;
        }
        if (v && (on & V_READONLY)) v->attr |= V_READONLY;
        if (v && !eq && (v->attr & (V_ARRAY | V_ASSOC)) && !v->n && !v->count) v->attr |= V_NOVALUE;
        if (v && eq) v->attr &= ~V_NOVALUE;
        free(name);
    }
    return status;
}

int bi_declare(struct sh *sh, int argc, char **argv)
{
    bool typeset = !strcmp(argv[0], "typeset");
    return declare_main(sh, argc, argv, "+aAcfFgiIlnprtux", typeset ? TYPESET_USAGE : DECLARE_USAGE, 0);
}

int bi_local(struct sh *sh, int argc, char **argv)
{
    return declare_main(sh, argc, argv, "+aAcfFgiIlnprtux", LOCAL_USAGE, DF_LOCAL);
}

int bi_export(struct sh *sh, int argc, char **argv)
{
    return declare_main(sh, argc, argv, "fnp", EXPORT_USAGE, DF_EXPORT_CMD);
}

int bi_readonly(struct sh *sh, int argc, char **argv)
{
    return declare_main(sh, argc, argv, "aAfp", READONLY_USAGE, DF_READONLY_CMD);
}
