/* expr.c — evaluate expressions: | & < <= = == != >= > + - * / % : and
 * match substr index length quote, with GNU precedence, arbitrary-precision
 * integers (lib/bignum), BRE matching anchored at the start (glibc regcomp,
 * the engine GNU expr uses), UTF-8 character counts, and exit statuses
 * 0 (non-null), 1 (null or zero), 2 (invalid expression), 3 (other error).
 */
#include "cmd/cmd.h"
#include "lib/bignum.h"

#include <locale.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>

static const char expr_help[] =
    "Usage: %s EXPRESSION\n"
    "  or:  %s OPTION\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Print the value of EXPRESSION to standard output.  A blank line below\n"
    "separates increasing precedence groups.  EXPRESSION may be:\n"
    "\n"
    "  ARG1 | ARG2       ARG1 if it is neither null nor 0, otherwise ARG2\n"
    "\n"
    "  ARG1 & ARG2       ARG1 if neither argument is null or 0, otherwise 0\n"
    "\n"
    "  ARG1 < ARG2       ARG1 is less than ARG2\n"
    "  ARG1 <= ARG2      ARG1 is less than or equal to ARG2\n"
    "  ARG1 = ARG2       ARG1 is equal to ARG2\n"
    "  ARG1 != ARG2      ARG1 is unequal to ARG2\n"
    "  ARG1 >= ARG2      ARG1 is greater than or equal to ARG2\n"
    "  ARG1 > ARG2       ARG1 is greater than ARG2\n"
    "\n"
    "  ARG1 + ARG2       arithmetic sum of ARG1 and ARG2\n"
    "  ARG1 - ARG2       arithmetic difference of ARG1 and ARG2\n"
    "\n"
    "  ARG1 * ARG2       arithmetic product of ARG1 and ARG2\n"
    "  ARG1 / ARG2       arithmetic quotient of ARG1 divided by ARG2\n"
    "  ARG1 %% ARG2       arithmetic remainder of ARG1 divided by ARG2\n"
    "\n"
    "  STRING : REGEXP   anchored pattern match of REGEXP in STRING\n"
    "\n"
    "  match STRING REGEXP        same as STRING : REGEXP\n"
    "  substr STRING POS LENGTH   substring of STRING, POS counted from 1\n"
    "  index STRING CHARS         index in STRING where any CHARS is found, or 0\n"
    "  length STRING              length of STRING\n"
    "  + TOKEN                    interpret TOKEN as a string, even if it is a\n"
    "                               keyword like 'match' or an operator like '/'\n"
    "\n"
    "  ( EXPRESSION )             value of EXPRESSION\n"
    "\n"
    "Beware that many operators need to be escaped or quoted for shells.\n"
    "Comparisons are arithmetic if both ARGs are numbers, else lexicographical.\n"
    "Pattern matches return the string matched between \\( and \\) or null; if\n"
    "\\( and \\) are not used, they return the number of characters matched or 0.\n"
    "\n"
    "Exit status is 0 if EXPRESSION is neither null nor 0, 1 if EXPRESSION is null\n"
    "or 0, 2 if EXPRESSION is syntactically invalid, and 3 if an error occurred.\n"
    "\n"
    COREUTILS_HELP_TAIL("expr", "expr");

static const struct opt_spec spec = {.name = "expr",
                                     .shorts = "",
                                     .help = expr_help,
                                     .authors = "Mike Parker, James Youngman, and Paul Eggert"};

enum { EXPR_INVALID = 2, EXPR_FAILURE = 3 };

struct val {
    bool is_int;
    struct bn i;
    char *s;
};

struct expr {
    struct proc *p;
    char **args, **end;
    bool utf8;
    int fail;  /* exit status of an error already reported, or 0 */
    int depth; /* ( nesting: the evaluator recurses on the C stack */
};

static struct val *new_val(struct expr *e)
{
    struct val *v = p_calloc(e->p, 1, sizeof *v);
    if (!v && !e->fail) {
        cmd_error(e->p, "memory exhausted");
        e->fail = EXPR_FAILURE;
    }
    return v;
}

static struct val *str_value(struct expr *e, const char *s)
{
    struct val *v = new_val(e);
    if (!v) return NULL;
    v->s = p_strdup(e->p, s);
    if (!v->s && !e->fail) {
        cmd_error(e->p, "memory exhausted");
        e->fail = EXPR_FAILURE;
    }
    return v;
}

static struct val *int_value(struct expr *e, intmax_t n)
{
    struct val *v = new_val(e);
    if (!v) return NULL;
    v->is_int = true;
    if (bn_from_int(e->p, &v->i, n) < 0 && !e->fail) {
        cmd_error(e->p, "memory exhausted");
        e->fail = EXPR_FAILURE;
    }
    return v;
}

static void freev(struct expr *e, struct val *v)
{
    if (!v) return;
    if (v->is_int) bn_free(e->p, &v->i);
    p_free(e->p, v->s);
    p_free(e->p, v);
}

static bool looks_like_integer(const char *cp)
{
    cp += *cp == '-';
    do {
        if (*cp < '0' || *cp > '9') return false;
    } while (*++cp);
    return true;
}

static void tostring(struct expr *e, struct val *v)
{
    if (!v || !v->is_int) return;
    char *s = bn_to_dec(e->p, &v->i);
    if (!s) {
        if (!e->fail) cmd_error(e->p, "memory exhausted");
        e->fail = EXPR_FAILURE;
        s = p_strdup(e->p, "0");
    }
    bn_free(e->p, &v->i);
    v->is_int = false;
    v->s = s;
}

static bool toarith(struct expr *e, struct val *v)
{
    if (v->is_int) return true;
    if (!looks_like_integer(v->s)) return false;
    if (bn_parse_dec(e->p, &v->i, v->s, strlen(v->s)) < 0) {
        if (!e->fail) cmd_error(e->p, "memory exhausted");
        e->fail = EXPR_FAILURE;
        return false;
    }
    p_free(e->p, v->s);
    v->s = NULL;
    v->is_int = true;
    return true;
}

static bool null(const struct val *v)
{
    if (v->is_int) return bn_is_zero(&v->i);
    const char *cp = v->s;
    if (!*cp) return true;
    cp += *cp == '-';
    do {
        if (*cp != '0') return false;
    } while (*++cp);
    return true;
}

static bool nextarg(struct expr *e, const char *str)
{
    if (e->args == e->end || strcmp(*e->args, str)) return false;
    e->args++;
    return true;
}

static bool nomoreargs(struct expr *e)
{
    return e->args == e->end;
}

static void syntax_error(struct expr *e, const char *fmt, const char *arg)
{
    if (e->fail) return;
    if (arg)
        cmd_error(e->p, fmt, cmd_quote(e->p, arg));
    else
        cmd_error(e->p, "%s", fmt);
    e->fail = EXPR_INVALID;
}

/* Characters in s[0..n) (bytes outside a UTF-8 locale; an invalid byte is
 * one character). */
static size_t nchars(struct expr *e, const char *s, size_t n)
{
    if (!e->utf8) return n;
    size_t c = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int l = cmd_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        i += l > 0 ? (size_t)l : 1;
        c++;
    }
    return c;
}

/* Byte offset of character number k of s (or the end). */
static size_t char_offset(struct expr *e, const char *s, size_t n, size_t k)
{
    if (!e->utf8) return k < n ? k : n;
    size_t i = 0;
    while (i < n && k > 0) {
        uint32_t cp;
        int l = cmd_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        i += l > 0 ? (size_t)l : 1;
        k--;
    }
    return i;
}

static size_t char_len_at(struct expr *e, const char *s, size_t n)
{
    if (!e->utf8 || !n) return n ? 1 : 0;
    uint32_t cp;
    int l = cmd_utf8_decode((const unsigned char *)s, n, &cp);
    return l > 0 ? (size_t)l : 1;
}

static pthread_mutex_t syntax_lock = PTHREAD_MUTEX_INITIALIZER;

/* glibc regex in C.UTF-8 for this thread only (uselocale), when the
 * process's locale is UTF-8. */
static locale_t utf8_loc;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_init(void)
{
    utf8_loc = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
}

static locale_t utf8_locale(void)
{
    pthread_once(&utf8_once, utf8_init);
    return utf8_loc;
}

static struct val *docolon(struct expr *e, struct val *sv, struct val *pv)
{
    tostring(e, sv);
    tostring(e, pv);
    if (e->fail) return NULL;
    locale_t loc = e->utf8 ? utf8_locale() : (locale_t)0;
    locale_t old = loc ? uselocale(loc) : (locale_t)0;
    struct re_pattern_buffer re;
    memset(&re, 0, sizeof re);
    /* expr's syntax: POSIX basic without RE_CONTEXT_INVALID_DUP and
     * RE_NO_EMPTY_RANGES. re_syntax_options is a glibc global. */
    pthread_mutex_lock(&syntax_lock);
    reg_syntax_t saved = re_syntax_options;
    re_syntax_options = RE_SYNTAX_POSIX_BASIC & ~RE_CONTEXT_INVALID_DUP & ~RE_NO_EMPTY_RANGES;
    const char *err = re_compile_pattern(pv->s, strlen(pv->s), &re);
    re_syntax_options = saved;
    pthread_mutex_unlock(&syntax_lock);
    struct val *v = NULL;
    if (err) {
        if (old) uselocale(old);
        cmd_error(e->p, "%s", err);
        e->fail = EXPR_INVALID;
        regfree(&re);
        return NULL;
    }
    re.newline_anchor = 0;
    struct re_registers regs;
    memset(&regs, 0, sizeof regs);
    regoff_t len = (regoff_t)strlen(sv->s);
    regoff_t m = re_match(&re, sv->s, len, 0, &regs);
    if (old) uselocale(old);
    if (m >= 0) {
        if (re.re_nsub > 0) {
            if (regs.end[1] < 0) {
                v = str_value(e, "");
            } else {
                char *sub =
                    p_strndup(e->p, sv->s + regs.start[1], (size_t)(regs.end[1] - regs.start[1]));
                v = str_value(e, sub ? sub : "");
                p_free(e->p, sub);
            }
        } else {
            v = int_value(e, (intmax_t)nchars(e, sv->s, (size_t)m));
        }
    } else if (m == -1) {
        v = re.re_nsub > 0 ? str_value(e, "") : int_value(e, 0);
    } else {
        cmd_error(e->p, "error in regular expression matcher");
        e->fail = EXPR_FAILURE;
    }
    free(regs.start);
    free(regs.end);
    regfree(&re);
    return v;
}

static struct val *eval(struct expr *e, bool evaluate);

static struct val *eval7(struct expr *e, bool evaluate)
{
    if (e->fail) return NULL;
    if (nomoreargs(e)) {
        syntax_error(e, "syntax error: missing argument after %s", e->args[-1]);
        return NULL;
    }
    if (nextarg(e, "(")) {
        if (e->depth >= 10000) {
            cmd_error(e->p, "expression nesting too deep");
            e->fail = EXPR_INVALID;
            return NULL;
        }
        e->depth++;
        struct val *v = eval(e, evaluate);
        e->depth--;
        if (e->fail) {
            freev(e, v);
            return NULL;
        }
        if (nomoreargs(e)) {
            syntax_error(e, "syntax error: expecting ')' after %s", e->args[-1]);
            freev(e, v);
            return NULL;
        }
        if (!nextarg(e, ")")) {
            syntax_error(e, "syntax error: expecting ')' instead of %s", *e->args);
            freev(e, v);
            return NULL;
        }
        return v;
    }
    if (nextarg(e, ")")) {
        syntax_error(e, "syntax error: unexpected ')'", NULL);
        return NULL;
    }
    return str_value(e, *e->args++);
}

static struct val *eval6(struct expr *e, bool evaluate)
{
    if (e->fail) return NULL;
    if (nextarg(e, "+")) {
        if (nomoreargs(e)) {
            syntax_error(e, "syntax error: missing argument after %s", e->args[-1]);
            return NULL;
        }
        return str_value(e, *e->args++);
    }
    if (nextarg(e, "length")) {
        struct val *r = eval6(e, evaluate);
        if (!r) return NULL;
        tostring(e, r);
        struct val *v = int_value(e, (intmax_t)nchars(e, r->s, strlen(r->s)));
        freev(e, r);
        return v;
    }
    if (nextarg(e, "match")) {
        struct val *l = eval6(e, evaluate), *r = l ? eval6(e, evaluate) : NULL, *v;
        if (!r) {
            freev(e, l);
            return NULL;
        }
        if (evaluate) {
            v = docolon(e, l, r);
            freev(e, l);
        } else {
            v = l;
        }
        freev(e, r);
        return v;
    }
    if (nextarg(e, "index")) {
        struct val *l = eval6(e, evaluate), *r = l ? eval6(e, evaluate) : NULL;
        if (!r) {
            freev(e, l);
            return NULL;
        }
        tostring(e, l);
        tostring(e, r);
        size_t ln = strlen(l->s), rn = strlen(r->s), pos = 0, k = 0;
        for (size_t i = 0; i < ln; k++) {
            size_t cl = char_len_at(e, l->s + i, ln - i);
            bool found = false;
            for (size_t j = 0; j < rn;) {
                size_t rl = char_len_at(e, r->s + j, rn - j);
                if (rl == cl && !memcmp(l->s + i, r->s + j, cl)) {
                    found = true;
                    break;
                }
                j += rl;
            }
            if (found) {
                pos = k + 1;
                break;
            }
            i += cl;
        }
        struct val *v = int_value(e, (intmax_t)pos);
        freev(e, l);
        freev(e, r);
        return v;
    }
    if (nextarg(e, "substr")) {
        struct val *l = eval6(e, evaluate), *i1 = l ? eval6(e, evaluate) : NULL,
                   *i2 = i1 ? eval6(e, evaluate) : NULL, *v;
        if (!i2) {
            freev(e, l);
            freev(e, i1);
            return NULL;
        }
        tostring(e, l);
        if (!toarith(e, i1) || !toarith(e, i2)) {
            v = str_value(e, "");
        } else {
            intmax_t pos, len;
            size_t n = strlen(l->s), llen = nchars(e, l->s, n);
            bool okp = bn_to_int(&i1->i, &pos), okl = bn_to_int(&i2->i, &len);
            if (!okp || !okl || pos <= 0 || len <= 0 || (uintmax_t)pos > llen) {
                v = str_value(e, "");
            } else {
                size_t take =
                    (uintmax_t)len < llen - (size_t)pos + 1 ? (size_t)len : llen - (size_t)pos + 1;
                size_t b0 = char_offset(e, l->s, n, (size_t)pos - 1);
                size_t b1 = char_offset(e, l->s, n, (size_t)pos - 1 + take);
                char *sub = p_strndup(e->p, l->s + b0, b1 - b0);
                v = str_value(e, sub ? sub : "");
                p_free(e->p, sub);
            }
        }
        freev(e, l);
        freev(e, i1);
        freev(e, i2);
        return v;
    }
    return eval7(e, evaluate);
}

static struct val *eval5(struct expr *e, bool evaluate)
{
    struct val *l = eval6(e, evaluate);
    while (l && !e->fail) {
        if (!nextarg(e, ":")) return l;
        struct val *r = eval6(e, evaluate);
        if (!r) break;
        if (evaluate) {
            struct val *v = docolon(e, l, r);
            freev(e, l);
            l = v;
        }
        freev(e, r);
    }
    freev(e, l);
    return NULL;
}

static bool arith_args(struct expr *e, struct val *l, struct val *r)
{
    if (!toarith(e, l) || !toarith(e, r)) {
        if (!e->fail) {
            cmd_error(e->p, "non-integer argument");
            e->fail = EXPR_INVALID;
        }
        return false;
    }
    return true;
}

static bool arith_result(struct expr *e, int r)
{
    if (r == 0) return true;
    if (!e->fail) cmd_error(e->p, "%s", r == -EINTR ? "interrupted" : "memory exhausted");
    e->fail = EXPR_FAILURE;
    return false;
}

static struct val *eval4(struct expr *e, bool evaluate)
{
    struct val *l = eval5(e, evaluate);
    while (l && !e->fail) {
        char op;
        if (nextarg(e, "*"))
            op = '*';
        else if (nextarg(e, "/"))
            op = '/';
        else if (nextarg(e, "%"))
            op = '%';
        else
            return l;
        struct val *r = eval5(e, evaluate);
        if (!r) break;
        if (evaluate) {
            if (!arith_args(e, l, r)) {
                freev(e, r);
                break;
            }
            if (op != '*' && bn_is_zero(&r->i)) {
                cmd_error(e->p, "division by zero");
                e->fail = EXPR_INVALID;
                freev(e, r);
                break;
            }
            int rc = op == '*'   ? bn_mul(e->p, &l->i, &l->i, &r->i, 0)
                     : op == '/' ? bn_div(e->p, &l->i, &l->i, &r->i, 0)
                                 : bn_mod(e->p, &l->i, &l->i, &r->i, 0);
            if (!arith_result(e, rc)) {
                freev(e, r);
                break;
            }
        }
        freev(e, r);
    }
    freev(e, l);
    return NULL;
}

static struct val *eval3(struct expr *e, bool evaluate)
{
    struct val *l = eval4(e, evaluate);
    while (l && !e->fail) {
        bool plus;
        if (nextarg(e, "+"))
            plus = true;
        else if (nextarg(e, "-"))
            plus = false;
        else
            return l;
        struct val *r = eval4(e, evaluate);
        if (!r) break;
        if (evaluate) {
            if (!arith_args(e, l, r)) {
                freev(e, r);
                break;
            }
            int rc = plus ? bn_add(e->p, &l->i, &l->i, &r->i) : bn_sub(e->p, &l->i, &l->i, &r->i);
            if (!arith_result(e, rc)) {
                freev(e, r);
                break;
            }
        }
        freev(e, r);
    }
    freev(e, l);
    return NULL;
}

/* Compare integer strings numerically (coreutils strintcmp). */
static int intcmp(struct expr *e, const char *a, const char *b)
{
    struct bn x = BN_ZERO, y = BN_ZERO;
    if (bn_parse_dec(e->p, &x, a, strlen(a)) < 0 || bn_parse_dec(e->p, &y, b, strlen(b)) < 0) {
        arith_result(e, -ENOMEM);
        return 0;
    }
    int c = bn_cmp(&x, &y);
    bn_free(e->p, &x);
    bn_free(e->p, &y);
    return c;
}

static struct val *eval2(struct expr *e, bool evaluate)
{
    struct val *l = eval3(e, evaluate);
    while (l && !e->fail) {
        int op;
        if (nextarg(e, "<"))
            op = 0;
        else if (nextarg(e, "<="))
            op = 1;
        else if (nextarg(e, "=") || nextarg(e, "=="))
            op = 2;
        else if (nextarg(e, "!="))
            op = 3;
        else if (nextarg(e, ">="))
            op = 4;
        else if (nextarg(e, ">"))
            op = 5;
        else
            return l;
        struct val *r = eval3(e, evaluate);
        if (!r) break;
        if (evaluate) {
            tostring(e, l);
            tostring(e, r);
            int cmp = looks_like_integer(l->s) && looks_like_integer(r->s) ? intcmp(e, l->s, r->s)
                                                                           : strcmp(l->s, r->s);
            bool val = op == 0   ? cmp < 0
                       : op == 1 ? cmp <= 0
                       : op == 2 ? cmp == 0
                       : op == 3 ? cmp != 0
                       : op == 4 ? cmp >= 0
                                 : cmp > 0;
            freev(e, l);
            l = int_value(e, val);
        }
        freev(e, r);
    }
    freev(e, l);
    return NULL;
}

static struct val *eval1(struct expr *e, bool evaluate)
{
    struct val *l = eval2(e, evaluate);
    while (l && !e->fail) {
        if (!nextarg(e, "&")) return l;
        struct val *r = eval2(e, evaluate && !null(l));
        if (!r) break;
        if (null(l) || null(r)) {
            freev(e, l);
            freev(e, r);
            l = int_value(e, 0);
        } else {
            freev(e, r);
        }
    }
    freev(e, l);
    return NULL;
}

static struct val *eval(struct expr *e, bool evaluate)
{
    struct val *l = eval1(e, evaluate);
    while (l && !e->fail) {
        if (!nextarg(e, "|")) return l;
        struct val *r = eval1(e, evaluate && null(l));
        if (!r) break;
        if (null(l)) {
            freev(e, l);
            l = r;
            if (null(l)) {
                freev(e, l);
                l = int_value(e, 0);
            }
        } else {
            freev(e, r);
        }
    }
    freev(e, l);
    return NULL;
}

int cmd_expr(struct proc *p, int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "--version"))) {
        struct opt_state o;
        opt_init(&o, p, &spec, argc, argv);
        return !strcmp(argv[1], "--help") ? opt_help(&o) : opt_version(&o);
    }
    int first = 1;
    if (argc > 1 && !strcmp(argv[1], "--")) first = 2;
    if (argc <= first) {
        struct opt_state o;
        opt_init(&o, p, &spec, argc, argv);
        cmd_error(p, "missing operand");
        opt_usage_error(&o, NULL);
        return EXPR_INVALID;
    }
    struct expr e = {.p = p, .args = argv + first, .end = argv + argc, .utf8 = cmd_utf8_locale(p)};
    struct val *v = eval(&e, true);
    if (!e.fail && !nomoreargs(&e))
        syntax_error(&e, "syntax error: unexpected argument %s", *e.args);
    if (e.fail) {
        freev(&e, v);
        return e.fail;
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    if (v->is_int) {
        char *s = bn_to_dec(p, &v->i);
        if (!s) {
            cmd_error(p, "memory exhausted");
            obuf_free(&out);
            return EXPR_FAILURE;
        }
        obuf_puts(&out, s);
    } else {
        obuf_puts(&out, v->s);
    }
    obuf_putc(&out, '\n');
    int status = null(v) ? 1 : 0;
    freev(&e, v);
    int r = cmd_close_stdout(p, &out, status);
    return r == 1 && status == 0 ? EXPR_FAILURE : r;
}
