/* sh/bi_test.c — `test` and `[`, after bash 5.2's test.c: the POSIX rules
 * for 0-4 arguments, then a recursive-descent parser (-o, -a, !, ( )) for
 * more; every unary and binary operator. The operators themselves
 * (sh_test_unary, sh_test_binary) are shared with [[ ]] in exec.c. File
 * tests go through sys_stat/sys_lstat/sys_access on the shell's process.
 */
#include "sh/builtins.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- operators ----------------------------------------------------------------- */

bool sh_test_is_unary(const char *op)
{
    return op[0] == '-' && op[1] && !op[2] && strchr("abcdefghknoprstuvwxzGLOSNR", op[1]);
}

bool sh_test_is_binary(const char *op)
{
    static const char *const ops[] = {"=",   "==",  "!=",  "<",   ">",   "-nt", "-ot", "-ef",
                                      "-eq", "-ne", "-lt", "-le", "-gt", "-ge", NULL};
    for (int i = 0; ops[i]; i++)
        if (!strcmp(op, ops[i])) return true;
    return false;
}

/* bash's legal_number: optional blanks, a decimal integer, optional blanks. */
static bool legal_number(const char *s, intmax_t *out)
{
    char *end;
    errno = 0;
    if (!s) return false;
    intmax_t v = strtoimax(s, &end, 10);
    if (errno || end == s) return false;
    while (isspace((unsigned char)*end)) end++;
    if (*end) return false;
    if (out) *out = v;
    return true;
}

static int sh_stat(struct sh *sh, const char *path, struct stat *st)
{
    if (!*path) return -ENOENT;
    return sys_stat(sh->p, path, st);
}

/* Is $n set / is the variable (or array element) set? */
static int test_var_set(struct sh *sh, const char *arg)
{
    intmax_t n;
    const char *lb = strchr(arg, '[');
    size_t len = strlen(arg);
    if (lb && lb != arg && len > 0 && arg[len - 1] == ']') {
        char *base = xstrndup(arg, (size_t)(lb - arg));
        char *sub = xstrndup(lb + 1, len - (size_t)(lb - arg) - 2);
        int r = 0;
        if (sh_valid_name(base)) {
            struct sh_var *v = sh_var_resolve(sh, base, NULL);
            if (v && (v->attr & V_ASSOC)) {
                if (!strcmp(sub, "@") || !strcmp(sub, "*")) r = v->count > 0;
                else {
                    char *key = sh_subscript_key(sh, sub); /* 'a[$k]': a word */
                    r = key ? sh_assoc_get(v, key) != NULL : -1;
                    free(key);
                }
            } else if (v && (!strcmp(sub, "@") || !strcmp(sub, "*"))) {
                r = (v->attr & V_ARRAY) ? v->n > 0 : v->val != NULL;
            } else if (v) {
                intmax_t idx;
                if (sh_arith_text(sh, sub, &idx) < 0) r = -1;
                else if (v->attr & V_ARRAY) {
                    if (idx < 0 && v->n) idx += v->arr[v->n - 1].idx + 1;
                    r = sh_array_get(v, idx) != NULL;
                } else {
                    r = idx == 0 && v->val != NULL;
                }
            }
        }
        free(base);
        free(sub);
        return r;
    }
    if (legal_number(arg, &n)) return n >= 0 && n <= sh->argc;
    struct sh_var *v = sh_var_resolve(sh, arg, NULL);
    if (!v) return 0;
    if (v->attr & V_ARRAY) return sh_array_get(v, 0) != NULL;
    if (v->attr & V_ASSOC) return sh_assoc_get(v, "0") != NULL;
    return v->val != NULL;
}

static int opt_index(const char *name)
{
    for (int i = 0; i < O__COUNT; i++)
        if (sh_opt_names[i] && !strcmp(sh_opt_names[i], name)) return i;
    return -1;
}

int sh_test_unary(struct sh *sh, const char *op, const char *arg)
{
    struct stat st;
    intmax_t r;
    if (!sh_test_is_unary(op)) return 0;
    switch (op[1]) {
    case 'a':
    case 'e': return sh_stat(sh, arg, &st) == 0;
    case 'r': return *arg && sys_access(sh->p, arg, R_OK) == 0;
    case 'w': return *arg && sys_access(sh->p, arg, W_OK) == 0;
    case 'x': return *arg && sys_access(sh->p, arg, X_OK) == 0;
    case 'O': return sh_stat(sh, arg, &st) == 0 && st.st_uid == sh->p->uid;
    case 'G': return sh_stat(sh, arg, &st) == 0 && st.st_gid == sh->p->gid;
    case 'N':
        if (sh_stat(sh, arg, &st) < 0) return 0;
        return st.st_mtim.tv_sec > st.st_atim.tv_sec ||
               (st.st_mtim.tv_sec == st.st_atim.tv_sec && st.st_mtim.tv_nsec > st.st_atim.tv_nsec);
    case 'f':
        if (sh_stat(sh, arg, &st) < 0) return 0;
        return S_ISREG(st.st_mode) || (st.st_mode & S_IFMT) == 0;
    case 'd': return sh_stat(sh, arg, &st) == 0 && S_ISDIR(st.st_mode);
    case 's': return sh_stat(sh, arg, &st) == 0 && st.st_size > 0;
    case 'S': return sh_stat(sh, arg, &st) == 0 && S_ISSOCK(st.st_mode);
    case 'c': return sh_stat(sh, arg, &st) == 0 && S_ISCHR(st.st_mode);
    case 'b': return sh_stat(sh, arg, &st) == 0 && S_ISBLK(st.st_mode);
    case 'p': return sh_stat(sh, arg, &st) == 0 && S_ISFIFO(st.st_mode);
    case 'L':
    case 'h': return *arg && sys_lstat(sh->p, arg, &st) == 0 && S_ISLNK(st.st_mode);
    case 'u': return sh_stat(sh, arg, &st) == 0 && (st.st_mode & S_ISUID);
    case 'g': return sh_stat(sh, arg, &st) == 0 && (st.st_mode & S_ISGID);
    case 'k': return sh_stat(sh, arg, &st) == 0 && (st.st_mode & S_ISVTX);
    case 't':
        if (!legal_number(arg, &r) || r != (int)r || r < 0) return 0;
        return sys_isatty(sh->p, (int)r) == 1;
    case 'n': return arg[0] != 0;
    case 'z': return arg[0] == 0;
    case 'o': {
        int i = opt_index(arg);
        return i >= 0 && sh->opt[i];
    }
    case 'v': {
        int t = test_var_set(sh, arg);
        return t < 0 ? -1 : t;
    }
    case 'R': {
        struct sh_var *v = sh_var_find(sh, arg);
        return v && (v->attr & V_NAMEREF) && v->val != NULL;
    }
    }
    return 0;
}

static int cmp_mtime(const struct stat *a, const struct stat *b)
{
    if (a->st_mtim.tv_sec != b->st_mtim.tv_sec) return a->st_mtim.tv_sec < b->st_mtim.tv_sec ? -1 : 1;
    if (a->st_mtim.tv_nsec != b->st_mtim.tv_nsec)
        return a->st_mtim.tv_nsec < b->st_mtim.tv_nsec ? -1 : 1;
    return 0;
}

static int filecomp(struct sh *sh, const char *s, const char *t, char op)
{
    struct stat st1, st2;
    int r1 = sh_stat(sh, s, &st1) < 0 ? -1 : 0;
    int r2 = sh_stat(sh, t, &st2) < 0 ? -1 : 0;
    switch (op) {
    case 'o': return r1 < r2 || (r2 == 0 && r1 == 0 && cmp_mtime(&st1, &st2) < 0);
    case 'n': return r1 > r2 || (r1 == 0 && r2 == 0 && cmp_mtime(&st1, &st2) > 0);
    default: return r1 == 0 && r2 == 0 && st1.st_dev == st2.st_dev && st1.st_ino == st2.st_ino;
    }
}

/* Arithmetic comparison; operands are integers (test) or arithmetic
 * expressions ([[ ]]: SH_TEST_ARITH). -1 after an error message; for test,
 * the caller's name prefixes it. */
static int arithcomp(struct sh *sh, const char *name, const char *s, const char *t,
                     const char *op, int flags)
{
    intmax_t l, r;
    if (flags & SH_TEST_ARITH) {
        if (sh_arith_text(sh, s, &l) < 0 || sh_arith_text(sh, t, &r) < 0) return -1;
    } else {
        if (!legal_number(s, &l)) {
            sh_error(sh, "%s: %s: integer expression expected", name, s);
            return -1;
        }
        if (!legal_number(t, &r)) {
            sh_error(sh, "%s: %s: integer expression expected", name, t);
            return -1;
        }
    }
    if (!strcmp(op, "-eq")) return l == r;
    if (!strcmp(op, "-ne")) return l != r;
    if (!strcmp(op, "-lt")) return l < r;
    if (!strcmp(op, "-le")) return l <= r;
    if (!strcmp(op, "-gt")) return l > r;
    return l >= r;
}

static int binary_test(struct sh *sh, const char *name, const char *l, const char *op,
                       const char *r, int flags)
{
    if (!strcmp(op, "=") || !strcmp(op, "=="))
        return (flags & SH_TEST_PATTERN) ? sh_match(sh, r, l) : !strcmp(l, r);
    if (!strcmp(op, "!="))
        return (flags & SH_TEST_PATTERN) ? !sh_match(sh, r, l) : strcmp(l, r) != 0;
    if (!strcmp(op, "<")) return ((flags & SH_TEST_LOCALE) ? strcoll(l, r) : strcmp(l, r)) < 0;
    if (!strcmp(op, ">")) return ((flags & SH_TEST_LOCALE) ? strcoll(l, r) : strcmp(l, r)) > 0;
    if (!strcmp(op, "-nt")) return filecomp(sh, l, r, 'n');
    if (!strcmp(op, "-ot")) return filecomp(sh, l, r, 'o');
    if (!strcmp(op, "-ef")) return filecomp(sh, l, r, 'e');
    if (sh_test_is_binary(op)) return arithcomp(sh, name, l, r, op, flags);
    return 0;
}

int sh_test_binary_ex(struct sh *sh, const char *l, const char *op, const char *r, int flags)
{
    return binary_test(sh, "[[", l, op, r, flags);
}

int sh_test_binary(struct sh *sh, const char *l, const char *op, const char *r)
{
    return binary_test(sh, "[[", l, op, r, SH_TEST_LOCALE);
}

/* ---- the test/[ parser ------------------------------------------------------------- */

struct tst {
    struct sh *sh;
    const char *name; /* "test" or "[" */
    char **argv;
    int argc, pos;
    bool failed;  /* a syntax error was reported: status 2 */
    bool bracket; /* `[`: argv[argc] is the "]" */
};

static int tsyntax(struct tst *t, const char *fmt, const char *arg)
{
    if (!t->failed) {
        char *msg = xasprintf(fmt, arg ? arg : "");
        sh_error(t->sh, "%s: %s", t->name, msg);
        free(msg);
    }
    t->failed = true;
    return 0;
}

static void beyond(struct tst *t)
{
    tsyntax(t, "argument expected", NULL);
}

static void advance(struct tst *t, bool check)
{
    t->pos++;
    if (check && t->pos >= t->argc) beyond(t);
}

static bool is(const char *s, const char *w)
{
    return s && !strcmp(s, w);
}

static int unary_operator(struct tst *t)
{
    const char *op = t->argv[t->pos];
    if (!sh_test_is_unary(op)) return 0;
    if (op[1] == 't') {
        advance(t, false);
        if (t->pos < t->argc) {
            if (legal_number(t->argv[t->pos], NULL)) {
                advance(t, false);
                return sh_test_unary(t->sh, op, t->argv[t->pos - 1]) == 1;
            }
            return 0;
        }
        return sh_test_unary(t->sh, op, "1") == 1;
    }
    advance(t, true);
    if (t->failed) return 0;
    int v = sh_test_unary(t->sh, op, t->argv[t->pos]);
    t->pos++;
    return v == 1;
}

static int binary_operator(struct tst *t)
{
    const char *w = t->argv[t->pos + 1];
    if (!sh_test_is_binary(w)) {
        return tsyntax(t, "%s: binary operator expected", w);
    }
    int v = binary_test(t->sh, t->name, t->argv[t->pos], w, t->argv[t->pos + 2], 0);
    if (v < 0) {
        t->failed = true;
        v = 0;
    }
    t->pos += 3;
    return v;
}

static int expr(struct tst *t);

static int term(struct tst *t)
{
    if (t->failed) return 0;
    if (t->pos >= t->argc) {
        beyond(t);
        return 0;
    }
    if (is(t->argv[t->pos], "!")) {
        int neg = 0;
        while (t->pos < t->argc && is(t->argv[t->pos], "!")) {
            advance(t, true);
            if (t->failed) return 0;
            neg = 1 - neg;
        }
        int v = term(t);
        return neg ? !v : v;
    }
    if (is(t->argv[t->pos], "(")) {
        advance(t, true);
        if (t->failed) return 0;
        int v = expr(t);
        if (t->failed) return 0;
        if (t->pos >= t->argc) {
            if (t->bracket) return tsyntax(t, "`)' expected, found %s", "]");
            return tsyntax(t, "`)' expected", NULL);
        }
        if (!is(t->argv[t->pos], ")")) return tsyntax(t, "`)' expected, found %s", t->argv[t->pos]);
        advance(t, false);
        return v;
    }
    if (t->pos + 3 <= t->argc && sh_test_is_binary(t->argv[t->pos + 1])) return binary_operator(t);
    if (t->pos + 2 <= t->argc && sh_test_is_unary(t->argv[t->pos])) return unary_operator(t);
    int v = t->argv[t->pos][0] != 0;
    advance(t, false);
    return v;
}

static int and_(struct tst *t)
{
    int v = term(t);
    if (!t->failed && t->pos < t->argc && is(t->argv[t->pos], "-a")) {
        advance(t, false);
        int v2 = and_(t);
        return v && v2;
    }
    return v;
}

static int or_(struct tst *t)
{
    int v = and_(t);
    if (!t->failed && t->pos < t->argc && is(t->argv[t->pos], "-o")) {
        advance(t, false);
        int v2 = or_(t);
        return v || v2;
    }
    return v;
}

static int expr(struct tst *t)
{
    if (t->pos >= t->argc) {
        beyond(t);
        return 0;
    }
    return or_(t);
}

static int two_arguments(struct tst *t)
{
    const char *a = t->argv[t->pos];
    if (is(a, "!")) return t->argv[t->pos + 1][0] == 0;
    if (a[0] == '-' && a[1] && !a[2]) {
        if (sh_test_is_unary(a)) return unary_operator(t);
    }
    return tsyntax(t, "%s: unary operator expected", a);
}

#define ANDOR(s) ((s)[0] == '-' && ((s)[1] == 'a' || (s)[1] == 'o') && !(s)[2])

static int three_arguments(struct tst *t)
{
    int v = 0;
    char **a = t->argv + t->pos;
    if (sh_test_is_binary(a[1])) {
        v = binary_operator(t);
        t->pos = t->argc;
    } else if (ANDOR(a[1])) {
        if (a[1][1] == 'a') v = a[0][0] && a[2][0];
        else v = a[0][0] || a[2][0];
        t->pos = t->argc;
    } else if (is(a[0], "!")) {
        advance(t, true);
        v = !two_arguments(t);
        t->pos = t->argc;
    } else if (is(a[0], "(") && is(a[2], ")")) {
        v = a[1][0] != 0;
        t->pos = t->argc;
    } else {
        tsyntax(t, "%s: binary operator expected", a[1]);
    }
    return v;
}

static int four_arguments(struct tst *t)
{
    if (is(t->argv[t->pos], "!")) {
        advance(t, true);
        return !three_arguments(t);
    }
    if (is(t->argv[t->pos], "(") && is(t->argv[t->argc - 1], ")")) {
        advance(t, true);
        int v = two_arguments(t);
        t->pos = t->argc;
        return v;
    }
    return expr(t);
}

static int run_test(struct sh *sh, const char *name, int argc, char **argv)
{
    struct tst t = {sh, name, argv, argc, 1, false, name[0] == '['};
    if (t.pos >= argc) return 1;
    int v;
    switch (argc - 1) {
    case 1:
        v = argv[1][0] != 0;
        t.pos = argc;
        break;
    case 2:
        v = two_arguments(&t);
        t.pos = argc;
        break;
    case 3: v = three_arguments(&t); break;
    case 4: v = four_arguments(&t); break;
    default: v = expr(&t);
    }
    if (t.failed) return 2;
    if (t.pos != argc) {
        if (t.pos < argc && t.argv[t.pos][0] == '-')
            tsyntax(&t, "syntax error: `%s' unexpected", t.argv[t.pos]);
        else
            tsyntax(&t, "too many arguments", NULL);
        return 2;
    }
    return v ? 0 : 1;
}

int bi_test(struct sh *sh, int argc, char **argv)
{
    return run_test(sh, "test", argc, argv);
}

int bi_bracket(struct sh *sh, int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[argc - 1], "]")) {
        sh_error(sh, "[: missing `]'");
        return 2;
    }
    argc--;
    return run_test(sh, "[", argc, argv);
}
