/* sh/arith.c — bash arithmetic evaluation, modelled on bash's expr.c so the
 * error tokens come out the same: a tokenizer that remembers where the last
 * token began (the "error token" is the rest of the expression from there),
 * a peek after each name to tell `x = ...` from `x + ...`, and `noeval`
 * for the branches && || ?: skip. Binary operators use precedence climbing
 * so C recursion follows only the nesting the input writes, which a depth
 * counter bounds. Errors set a flag and unwind by ordinary returns.
 */
#include "sh/arith.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tokens: bash's numbering for multi-character ones; single characters are
 * themselves. */
enum {
    EQEQ = 1,
    NEQ,
    LEQ,
    GEQ,
    STR,
    NUM,
    LAND,
    LOR,
    LSH,
    RSH,
    OP_ASSIGN,
    COND,
    POWER,
    PREINC,
    PREDEC,
    POSTINC,
    POSTDEC,
};

/* State shared by every nested evaluation of one sh_arith_eval call. */
struct shared {
    const struct sh_arith_ops *ops;
    int err; /* 0, SH_ARITH_ERROR, -ENOMEM or a callback's code */
    char *msg;
    int noeval;
    int depth;
};

/* An lvalue: the name (and subscript) of the last variable token. */
struct lval {
    const char *name; /* span in the expression */
    size_t name_len;
    const char *sub; /* subscript span (inside [ ]), NULL when none */
    size_t sub_len;
    bool have_key; /* key below was computed when the value was read */
    char *key;     /* malloc'd: decimal index or assoc key */
};

/* One expression being evaluated (a variable's value gets its own). */
struct ax {
    struct shared *sh;
    const char *expr;
    const char *tp, *lasttp;
    const char *cut; /* number errors show the expression up to here */
    int curtok, lasttok, assigntok;
    intmax_t tokval;
    bool have_tok; /* tok is valid (the current/last token was a name) */
    bool peeking;
    struct lval tok;
};

static bool failed(struct ax *a)
{
    return a->sh->err != 0;
}

static void evalerror(struct ax *a, const char *msg)
{
    if (a->sh->err) return;
    a->sh->err = SH_ARITH_ERROR;
    const char *t = a->expr;
    while (*t == ' ' || *t == '\t') t++;
    int tl = a->cut && a->cut >= t ? (int)(a->cut - t) : (int)strlen(t);
    const char *tok = a->lasttp && *a->lasttp ? a->lasttp : "";
    int tokl =
        a->cut && a->lasttp && a->cut >= a->lasttp ? (int)(a->cut - a->lasttp) : (int)strlen(tok);
    if (asprintf(&a->sh->msg, "%.*s: %s (error token is \"%.*s\")", tl, t, msg, tokl, tok) < 0) {
        a->sh->msg = NULL;
        a->sh->err = -ENOMEM;
    }
}

static void nomem(struct ax *a)
{
    if (!a->sh->err) a->sh->err = -ENOMEM;
}

static bool enter(struct ax *a)
{
    if (++a->sh->depth > SH_ARITH_MAX_DEPTH) {
        evalerror(a, "expression recursion level exceeded");
        return false;
    }
    return true;
}

static void leave(struct ax *a)
{
    a->sh->depth--;
}

static bool ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool alpha_(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool alnum_(char c)
{
    return alpha_(c) || digit(c);
}

static intmax_t wrap_add(intmax_t x, intmax_t y)
{
    return (intmax_t)((uintmax_t)x + (uintmax_t)y);
}

static intmax_t wrap_sub(intmax_t x, intmax_t y)
{
    return (intmax_t)((uintmax_t)x - (uintmax_t)y);
}

static intmax_t wrap_mul(intmax_t x, intmax_t y)
{
    return (intmax_t)((uintmax_t)x * (uintmax_t)y);
}

static intmax_t shl(intmax_t x, intmax_t n)
{
    return (intmax_t)((uintmax_t)x << (n & 63));
}

static intmax_t shr(intmax_t x, intmax_t n)
{
    return x >> (n & 63); /* arithmetic shift, as gcc and clang do */
}

static intmax_t ipow(intmax_t base, intmax_t exp)
{
    uintmax_t r = 1, b = (uintmax_t)base;
    while (exp) {
        if (exp & 1) r *= b;
        exp >>= 1;
        b *= b;
    }
    return (intmax_t)r;
}

/* bash's strlong over the number token s[0..n). */
static intmax_t strlong(struct ax *a, const char *s, size_t n)
{
    size_t i = 0;
    int base = 10, foundbase = 0;
    uintmax_t val = 0;
    if (s[0] == '0') {
        i++;
        if (i == n) return 0;
        if (s[i] == 'x' || s[i] == 'X')
            base = 16, i++;
        else
            base = 8;
        foundbase++;
    }
    for (; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '#') {
            if (foundbase) {
                evalerror(a, "invalid number");
                return 0;
            }
            if (val < 2 || val > 64) {
                evalerror(a, "invalid arithmetic base");
                return 0;
            }
            base = (int)val;
            val = 0;
            foundbase++;
            if (i + 1 >= n || !(alnum_(s[i + 1]) || s[i + 1] == '@')) {
                evalerror(a, "invalid integer constant");
                return 0;
            }
            continue;
        }
        if (digit((char)c))
            c -= '0';
        else if (c >= 'a' && c <= 'z')
            c -= 'a' - 10;
        else if (c >= 'A' && c <= 'Z')
            c -= 'A' - (base <= 36 ? 10 : 36);
        else if (c == '@')
            c = 62;
        else if (c == '_')
            c = 63;
        else
            break;
        if (c >= base) {
            evalerror(a, "value too great for base");
            return 0;
        }
        val = val * (uintmax_t)base + (uintmax_t)c;
    }
    return (intmax_t)val;
}

static int eval_sub(struct shared *sh, const char *expr, intmax_t *out);

static void lval_clear(struct lval *l)
{
    free(l->key);
    memset(l, 0, sizeof *l);
}

static char *span(const char *s, size_t n)
{
    return strndup(s, n);
}

/* The key of name[sub]: the subscript text for an associative array, else
 * its value in decimal. NULL with an error set on failure. */
static char *subscript_key(struct ax *a, const struct lval *l, const char *name)
{
    const struct sh_arith_ops *ops = a->sh->ops;
    if (ops && ops->assoc && ops->assoc(ops->ctx, name)) {
        char *k = span(l->sub, l->sub_len);
        if (!k) nomem(a);
        return k;
    }
    char *text = span(l->sub, l->sub_len);
    if (!text) {
        nomem(a);
        return NULL;
    }
    intmax_t idx = 0;
    int rc = eval_sub(a->sh, text, &idx);
    free(text);
    if (rc) return NULL;
    char *k;
    if (asprintf(&k, "%jd", idx) < 0) {
        nomem(a);
        return NULL;
    }
    return k;
}

/* Read the variable of the current token (bash's expr_streval). */
static intmax_t streval(struct ax *a, struct lval *l)
{
    if (a->sh->noeval) return 0;
    const struct sh_arith_ops *ops = a->sh->ops;
    char *name = span(l->name, l->name_len);
    if (!name) {
        nomem(a);
        return 0;
    }
    if (l->sub && !l->have_key) {
        l->key = subscript_key(a, l, name);
        if (!l->key) {
            free(name);
            return 0;
        }
        l->have_key = true;
    }
    char *value = NULL;
    intmax_t v = 0;
    if (ops && ops->get) {
        int rc = ops->get(ops->ctx, name, l->sub ? l->key : NULL, &value);
        if (rc < 0) {
            if (!a->sh->err) a->sh->err = rc;
            free(name);
            free(value);
            return 0;
        }
    }
    free(name);
    if (value) {
        if (enter(a)) {
            eval_sub(a->sh, value, &v);
            leave(a);
        }
        free(value);
    }
    return v;
}

/* Assign v to lvalue l; key_now: evaluate the subscript now (plain '='). */
static void bind(struct ax *a, struct lval *l, intmax_t v)
{
    if (a->sh->noeval || failed(a)) return;
    const struct sh_arith_ops *ops = a->sh->ops;
    char *name = span(l->name, l->name_len);
    if (!name) {
        nomem(a);
        return;
    }
    if (l->sub && !l->have_key) {
        l->key = subscript_key(a, l, name);
        if (!l->key) {
            free(name);
            return;
        }
        l->have_key = true;
    }
    if (ops && ops->set) {
        int rc = ops->set(ops->ctx, name, l->sub ? l->key : NULL, v);
        if (rc < 0 && !a->sh->err) a->sh->err = rc;
    }
    free(name);
}

static bool is_arithop(int c)
{
    return strchr("=><+-*/%!()&|^~?:,", c) != NULL && c != 0;
}

static bool is_multiop(int c)
{
    return c >= EQEQ && c <= POSTDEC && c != STR && c != NUM;
}

static void readtok(struct ax *a);

/* The token after the current one, without evaluating anything: a name
 * read while peeking is not looked up and does not peek in turn. */
static int peektok(struct ax *a)
{
    const char *tp = a->tp, *lasttp = a->lasttp;
    int curtok = a->curtok, lasttok = a->lasttok, assigntok = a->assigntok;
    intmax_t tokval = a->tokval;
    a->peeking = true;
    a->sh->noeval++;
    readtok(a);
    a->sh->noeval--;
    a->peeking = false;
    int t = a->curtok;
    a->tp = tp, a->lasttp = lasttp, a->curtok = curtok, a->lasttok = lasttok;
    a->assigntok = assigntok, a->tokval = tokval;
    return t;
}

static void readtok(struct ax *a)
{
    const char *cp = a->tp;
    char c;
    while ((c = *cp) && ws(c)) cp++;
    if (!c) {
        a->lasttok = a->curtok;
        a->curtok = 0;
        a->tp = cp;
        return;
    }
    a->lasttp = a->tp = cp;
    cp++;
    if (alpha_(c)) {
        const char *start = a->tp;
        while (alnum_(*cp)) cp++;
        struct lval l = {start, (size_t)(cp - start), NULL, 0, false, NULL};
        if (*cp == '[') {
            int depth = 0;
            const char *q = cp;
            for (; *q; q++) {
                if (*q == '[')
                    depth++;
                else if (*q == ']' && --depth == 0)
                    break;
            }
            if (*q != ']') {
                evalerror(a, "bad array subscript");
                return;
            }
            l.sub = cp + 1;
            l.sub_len = (size_t)(q - cp - 1);
            cp = q + 1;
            const char *s = l.sub;
            while (s < q && ws(*s)) s++;
            if (s == q && !a->sh->noeval) {
                if (!a->sh->err) {
                    a->sh->err = SH_ARITH_ERROR;
                    if (asprintf(&a->sh->msg, "%.*s: bad array subscript", (int)(cp - start),
                                 start) < 0)
                        a->sh->msg = NULL, a->sh->err = -ENOMEM;
                }
                return;
            }
        }
        if (a->peeking) {
            a->lasttok = a->curtok;
            a->curtok = STR;
            a->tp = cp;
            return;
        }
        lval_clear(&a->tok);
        a->tok = l;
        a->have_tok = true;
        a->tp = cp;
        a->lasttok = a->curtok;
        a->curtok = STR;
        int peek = peektok(a);
        if (failed(a)) return;
        /* x = ... does not read x (set -u does not object); ++x = does */
        if (a->lasttok == PREINC || a->lasttok == PREDEC || peek != '=')
            a->tokval = streval(a, &a->tok);
        else
            a->tokval = 0;
        a->tp = cp;
        return;
    }
    if (digit(c)) {
        while (alnum_(*cp) || *cp == '#' || *cp == '@') cp++;
        a->cut = cp;
        a->tokval = strlong(a, a->tp, (size_t)(cp - a->tp));
        if (failed(a)) return;
        a->cut = NULL;
        a->lasttok = a->curtok;
        a->curtok = NUM;
        a->tp = cp;
        return;
    }
    char c1 = *cp++;
    int t = (unsigned char)c;
    if (c == '=' && c1 == '=')
        t = EQEQ;
    else if (c == '!' && c1 == '=')
        t = NEQ;
    else if (c == '>' && c1 == '=')
        t = GEQ;
    else if (c == '<' && c1 == '=')
        t = LEQ;
    else if ((c == '<' || c == '>') && c1 == c) {
        if (*cp == '=') {
            a->assigntok = c == '<' ? LSH : RSH;
            t = OP_ASSIGN;
            cp++;
        } else {
            t = c == '<' ? LSH : RSH;
        }
    } else if (c == '&' && c1 == '&')
        t = LAND;
    else if (c == '|' && c1 == '|')
        t = LOR;
    else if (c == '*' && c1 == '*')
        t = POWER;
    else if ((c == '-' || c == '+') && c1 == c && a->curtok == STR)
        t = c == '-' ? POSTDEC : POSTINC;
    else if ((c == '-' || c == '+') && c1 == c && a->curtok == NUM &&
             (a->lasttok == PREINC || a->lasttok == PREDEC)) {
        evalerror(a,
                  c == '-' ? "--: assignment requires lvalue" : "++: assignment requires lvalue");
        return;
    } else if ((c == '-' || c == '+') && c1 == c) {
        const char *xp = cp;
        while (*xp && ws(*xp)) xp++;
        if (alpha_(*xp))
            t = c == '-' ? PREDEC : PREINC;
        else
            cp--;
    } else if (c1 == '=' && strchr("*/%+-&^|", c)) {
        a->assigntok = (unsigned char)c;
        t = OP_ASSIGN;
    } else if (!is_arithop((unsigned char)c)) {
        if (a->curtok == 0 || is_arithop(a->curtok) || is_multiop(a->curtok))
            evalerror(a, "syntax error: operand expected");
        else
            evalerror(a, "syntax error: invalid arithmetic operator");
        return;
    } else {
        cp--;
    }
    a->lasttok = a->curtok;
    a->curtok = t;
    a->tp = cp;
}

static intmax_t expcomma(struct ax *a);
static intmax_t expcond(struct ax *a);

static intmax_t apply(struct ax *a, int op, intmax_t x, intmax_t y)
{
    switch (op) {
    case '*': return wrap_mul(x, y);
    case '/':
    case '%':
        if (y == 0) {
            if (!a->sh->noeval) {
                evalerror(a, "division by 0");
                return 0;
            }
            y = 1;
        }
        if (x == INTMAX_MIN && y == -1) return op == '/' ? INTMAX_MIN : 0;
        return op == '/' ? x / y : x % y;
    case '+': return wrap_add(x, y);
    case '-': return wrap_sub(x, y);
    case LSH: return shl(x, y);
    case RSH: return shr(x, y);
    case '&': return x & y;
    case '^': return x ^ y;
    case '|': return x | y;
    }
    return 0;
}

static intmax_t exp0(struct ax *a)
{
    intmax_t val = 0;
    if (a->curtok == PREINC || a->curtok == PREDEC) {
        int stok = a->lasttok = a->curtok;
        readtok(a);
        if (failed(a)) return 0;
        if (a->curtok != STR) {
            evalerror(a, "identifier expected after pre-increment or pre-decrement");
            return 0;
        }
        val = stok == PREINC ? wrap_add(a->tokval, 1) : wrap_sub(a->tokval, 1);
        bind(a, &a->tok, val);
        a->curtok = NUM;
        readtok(a);
    } else if (a->curtok == '(') {
        readtok(a);
        if (failed(a) || !enter(a)) return 0;
        val = expcomma(a);
        leave(a);
        if (failed(a)) return 0;
        if (a->curtok != ')') {
            evalerror(a, "missing `)'");
            return 0;
        }
        readtok(a);
    } else if (a->curtok == NUM || a->curtok == STR) {
        val = a->tokval;
        if (a->curtok == STR) {
            int stok = peektok(a);
            if (failed(a)) return 0;
            if (stok == POSTINC || stok == POSTDEC) {
                /* consume the operator */
                readtok(a);
                if (failed(a)) return 0;
                a->lasttok = STR;
                bind(a, &a->tok, stok == POSTINC ? wrap_add(val, 1) : wrap_sub(val, 1));
                a->curtok = NUM;
            }
        }
        readtok(a);
    } else {
        evalerror(a, "syntax error: operand expected");
    }
    return val;
}

static intmax_t exp1(struct ax *a)
{
    int t = a->curtok;
    if (t == '!' || t == '~' || t == '-' || t == '+') {
        readtok(a);
        if (failed(a) || !enter(a)) return 0;
        intmax_t v = exp1(a);
        leave(a);
        a->lasttok = NUM;
        if (t == '!') return !v;
        if (t == '~') return ~v;
        if (t == '-') return wrap_sub(0, v);
        return v;
    }
    return exp0(a);
}

static intmax_t exppower(struct ax *a)
{
    intmax_t v1 = exp1(a);
    while (!failed(a) && a->curtok == POWER) {
        readtok(a);
        if (failed(a) || !enter(a)) return 0;
        intmax_t v2 = exppower(a);
        leave(a);
        if (failed(a)) return 0;
        a->lasttok = NUM;
        if (v2 == 0) return 1;
        if (v2 < 0) {
            evalerror(a, "exponent less than 0");
            return 0;
        }
        v1 = ipow(v1, v2);
    }
    return v1;
}

/* Binary operator precedence, lowest 1 (||) to highest 10 (* / %). */
static int prec(int t)
{
    switch (t) {
    case LOR: return 1;
    case LAND: return 2;
    case '|': return 3;
    case '^': return 4;
    case '&': return 5;
    case EQEQ:
    case NEQ: return 6;
    case '<':
    case '>':
    case LEQ:
    case GEQ: return 7;
    case LSH:
    case RSH: return 8;
    case '+':
    case '-': return 9;
    case '*':
    case '/':
    case '%': return 10;
    }
    return 0;
}

static intmax_t binary(struct ax *a, int minprec)
{
    intmax_t v1 = exppower(a);
    for (;;) {
        if (failed(a)) return 0;
        int op = a->curtok, p = prec(op);
        if (!p || p < minprec) return v1;
        const char *stp = a->tp;
        bool skip = (op == LAND && v1 == 0) || (op == LOR && v1 != 0);
        if (skip) a->sh->noeval++;
        readtok(a);
        intmax_t v2 = failed(a) ? 0 : binary(a, p + 1);
        if (skip) a->sh->noeval--;
        if (failed(a)) return 0;
        switch (op) {
        case LOR:
            v1 = v1 || v2;
            a->lasttok = LOR;
            continue;
        case LAND:
            v1 = v1 && v2;
            a->lasttok = LAND;
            continue;
        case EQEQ: v1 = v1 == v2; break;
        case NEQ: v1 = v1 != v2; break;
        case '<': v1 = v1 < v2; break;
        case '>': v1 = v1 > v2; break;
        case LEQ: v1 = v1 <= v2; break;
        case GEQ: v1 = v1 >= v2; break;
        case '/':
        case '%':
            if (v2 == 0 && !a->sh->noeval) {
                /* bash shows the text after the operator as the token */
                a->lasttp = stp;
                while (*a->lasttp == ' ' || *a->lasttp == '\t') a->lasttp++;
                evalerror(a, "division by 0");
                return 0;
            }
            /* fall through */
        default: v1 = apply(a, op, v1, v2);
        }
        a->lasttok = NUM;
    }
}

static intmax_t expcond(struct ax *a)
{
    intmax_t cval = binary(a, 1);
    if (failed(a) || a->curtok != '?') return cval;
    if (!enter(a)) return 0;
    if (!cval) a->sh->noeval++;
    readtok(a);
    if (!failed(a) && (a->curtok == 0 || a->curtok == ':')) evalerror(a, "expression expected");
    intmax_t v1 = failed(a) ? 0 : expcomma(a);
    if (!cval) a->sh->noeval--;
    if (failed(a)) goto out;
    if (a->curtok != ':') {
        evalerror(a, "`:' expected for conditional expression");
        goto out;
    }
    if (cval) a->sh->noeval++;
    readtok(a);
    if (!failed(a) && a->curtok == 0) evalerror(a, "expression expected");
    intmax_t v2 = failed(a) ? 0 : expcond(a);
    if (cval) a->sh->noeval--;
    leave(a);
    a->lasttok = COND;
    return cval ? v1 : v2;
out:
    leave(a);
    return 0;
}

static intmax_t expassign(struct ax *a)
{
    intmax_t value = expcond(a);
    if (failed(a) || (a->curtok != '=' && a->curtok != OP_ASSIGN)) return value;
    bool special = a->curtok == OP_ASSIGN;
    int op = a->assigntok;
    intmax_t lvalue = value;
    if (a->lasttok != STR) {
        evalerror(a, "attempted assignment to non-variable");
        return 0;
    }
    if (!a->have_tok) {
        evalerror(a, "syntax error in variable assignment");
        return 0;
    }
    /* the lvalue: keep a key read with the value (x[i++] += 1 reads i once) */
    struct lval lhs = a->tok;
    a->tok.key = NULL;
    a->tok.have_key = false;
    readtok(a);
    if (failed(a) || !enter(a)) {
        lval_clear(&lhs);
        return 0;
    }
    value = expassign(a);
    leave(a);
    if (failed(a)) {
        lval_clear(&lhs);
        return 0;
    }
    if (special) {
        if ((op == '/' || op == '%') && value == 0) {
            if (!a->sh->noeval) {
                evalerror(a, "division by 0");
                lval_clear(&lhs);
                return 0;
            }
            value = 1;
        }
        value = apply(a, op, lvalue, value);
    }
    if (!special) { /* plain '=': the subscript is evaluated now, after the value */
        free(lhs.key);
        lhs.key = NULL;
        lhs.have_key = false;
    }
    bind(a, &lhs, value);
    lval_clear(&lhs);
    a->have_tok = false;
    return value;
}

static intmax_t expcomma(struct ax *a)
{
    intmax_t v = expassign(a);
    while (!failed(a) && a->curtok == ',') {
        readtok(a);
        if (failed(a)) return 0;
        v = expassign(a);
    }
    return v;
}

/* Evaluate one expression text (the top level, a value, a subscript). */
static int eval_sub(struct shared *sh, const char *expr, intmax_t *out)
{
    *out = 0;
    const char *p = expr;
    while (*p && ws(*p)) p++;
    if (!*p) return 0;
    struct ax a;
    memset(&a, 0, sizeof a);
    a.sh = sh;
    a.expr = expr;
    a.tp = expr;
    readtok(&a);
    intmax_t v = failed(&a) ? 0 : expcomma(&a);
    if (!failed(&a) && a.curtok != 0) evalerror(&a, "syntax error in expression");
    lval_clear(&a.tok);
    if (sh->err) return sh->err;
    *out = v;
    return 0;
}

int sh_arith_eval(const char *expr, const struct sh_arith_ops *ops, intmax_t *result, char **msg)
{
    struct shared sh = {ops, 0, NULL, 0, 0};
    *msg = NULL;
    *result = 0;
    int rc = eval_sub(&sh, expr, result);
    if (rc) {
        *result = 0;
        if (rc == SH_ARITH_ERROR)
            *msg = sh.msg;
        else
            free(sh.msg);
        return rc;
    }
    free(sh.msg);
    return 0;
}
