/* bc.c — GNU bc 1.07.1: an arbitrary-precision calculator language.
 *
 * Input is read a line ("input item") at a time, parsed to a tree and run
 * at once, like GNU bc: numbers in ibase, scale, obase (up to 2^31-1, big
 * bases as space-separated groups), variables, arrays (auto-growing, up to
 * BC_DIM_MAX), functions with define/auto/return and dynamic scope, array
 * parameters by value, void functions, if/else, while, for, break,
 * continue, halt, quit (on reading), print, strings, read(), length(),
 * scale(), sqrt(), ++/--, compound assignment, the -l math library (GNU's
 * libmath.b: s c a l e j), BC_LINE_LENGTH wrapping, limits, warranty.
 *
 * Messages follow GNU: "(standard_in) N: syntax error" for the parser and
 * "Runtime error (func=F, adr=N): ..." at run time, where N is the address
 * GNU's byte code would have reached: every tree node knows the size of
 * the code GNU generates for it (see layout()).
 *
 * Arithmetic is lib/bignum (bc's number.c rules: truncation to scale).
 */
#include "cmd/cmd.h"
#include "lib/bignum.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage_text[] = "usage: %s [options] [file ...]\n"
                                 "  -h  --help         print this usage and exit\n"
                                 "  -i  --interactive  force interactive mode\n"
                                 "  -l  --mathlib      use the predefined math routines\n"
                                 "  -q  --quiet        don't print initial banner\n"
                                 "  -s  --standard     non-standard bc constructs are errors\n"
                                 "  -w  --warn         warn about non-standard bc constructs\n"
                                 "  -v  --version      print version information and exit\n";

static const char version_text[] =
    "bc 1.07.1\n"
    "Copyright 1991-1994, 1997, 1998, 2000, 2004, 2006, 2008, 2012-2017 Free Software "
    "Foundation, Inc.\n";

static const char warranty_text[] =
    "\n"
    "bc 1.07.1\n"
    "Copyright 1991-1994, 1997, 1998, 2000, 2004, 2006, 2008, 2012-2017 Free Software Foundation, "
    "Inc.\n"
    "\n"
    "    This program is free software; you can redistribute it and/or modify\n"
    "    it under the terms of the GNU General Public License as published by\n"
    "    the Free Software Foundation; either version 3 of the License , or\n"
    "    (at your option) any later version.\n"
    "\n"
    "    This program is distributed in the hope that it will be useful,\n"
    "    but WITHOUT ANY WARRANTY; without even the implied warranty of\n"
    "    MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the\n"
    "    GNU General Public License for more details.\n"
    "\n"
    "    You should have received a copy of the GNU General Public License\n"
    "    along with this program. If not, write to\n"
    "\n"
    "       The Free Software Foundation, Inc.\n"
    "       51 Franklin Street, Fifth Floor\n"
    "       Boston, MA 02110-1335  USA\n"
    "\n";

/* GNU bc's libmath.b (bc -l). */
static const char libmath[] =
    "scale = 20\n"
    "define e(x) {\n"
    "  auto  a, b, d, e, f, i, m, n, v, z\n"
    "  b = ibase\n"
    "  ibase = A\n"
    "  if (x<0) {\n"
    "    m = 1\n"
    "    x = -x\n"
    "  }\n"
    "  z = scale;\n"
    "  n = 6 + z + .44*x;\n"
    "  scale = scale(x)+1;\n"
    "  while (x > 1) {\n"
    "    f += 1;\n"
    "    x /= 2;\n"
    "    scale += 1;\n"
    "  }\n"
    "  scale = n;\n"
    "  v = 1+x\n"
    "  a = x\n"
    "  d = 1\n"
    "  for (i=2; 1; i++) {\n"
    "    e = (a *= x) / (d *= i)\n"
    "    if (e == 0) {\n"
    "      if (f>0) while (f--)  v = v*v;\n"
    "      scale = z\n"
    "      if (m) {\n"
    "        ibase = b\n"
    "        return (1/v);\n"
    "      }\n"
    "      ibase = b\n"
    "      return (v/1);\n"
    "    }\n"
    "    v += e\n"
    "  }\n"
    "}\n"
    "define l(x) {\n"
    "  auto b, e, f, i, m, n, v, z\n"
    "  b = ibase\n"
    "  ibase = A\n"
    "  if (x <= 0) {\n"
    "    ibase = b\n"
    "    return ((1 - 10^scale)/1)\n"
    "  }\n"
    "  z = scale;\n"
    "  scale = 6 + scale;\n"
    "  f = 2;\n"
    "  i=0\n"
    "  while (x >= 2) {\n"
    "    f *= 2;\n"
    "    x = sqrt(x);\n"
    "  }\n"
    "  while (x <= .5) {\n"
    "    f *= 2;\n"
    "    x = sqrt(x);\n"
    "  }\n"
    "  v = n = (x-1)/(x+1)\n"
    "  m = n*n\n"
    "  for (i=3; 1; i+=2) {\n"
    "    e = (n *= m) / i\n"
    "    if (e == 0) {\n"
    "      v = f*v\n"
    "      scale = z\n"
    "      ibase = b\n"
    "      return (v/1)\n"
    "    }\n"
    "    v += e\n"
    "  }\n"
    "}\n"
    "define s(x) {\n"
    "  auto  b, e, i, m, n, s, v, z\n"
    "  b = ibase\n"
    "  ibase = A\n"
    "  z = scale\n"
    "  scale = 1.1*z + 2;\n"
    "  v = a(1)\n"
    "  if (x < 0) {\n"
    "    m = 1;\n"
    "    x = -x;\n"
    "  }\n"
    "  scale = 0\n"
    "  n = (x / v + 2 )/4\n"
    "  x = x - 4*n*v\n"
    "  if (n%2) x = -x\n"
    "  scale = z + 2;\n"
    "  v = e = x\n"
    "  s = -x*x\n"
    "  for (i=3; 1; i+=2) {\n"
    "    e *= s/(i*(i-1))\n"
    "    if (e == 0) {\n"
    "      scale = z\n"
    "      ibase = b\n"
    "      if (m) return (-v/1);\n"
    "      return (v/1);\n"
    "    }\n"
    "    v += e\n"
    "  }\n"
    "}\n"
    "define c(x) {\n"
    "  auto b, v, z;\n"
    "  b = ibase\n"
    "  ibase = A\n"
    "  z = scale;\n"
    "  scale = scale*1.2;\n"
    "  v = s(x+a(1)*2);\n"
    "  scale = z;\n"
    "  ibase = b\n"
    "  return (v/1);\n"
    "}\n"
    "define a(x) {\n"
    "  auto a, b, e, f, i, m, n, s, v, z\n"
    "  b = ibase\n"
    "  ibase = A\n"
    "  m = 1;\n"
    "  if (x<0) {\n"
    "    m = -1;\n"
    "    x = -x;\n"
    "  }\n"
    "  if (x==1) {\n"
    "    if (scale <= 25) {\n"
    "      ibase = b\n"
    "      return (.7853981633974483096156608/m)\n"
    "    }\n"
    "    if (scale <= 40) {\n"
    "      ibase = b\n"
    "      return (.7853981633974483096156608458198757210492/m)\n"
    "    }\n"
    "    if (scale <= 60) {\n"
    "      ibase = b\n"
    "      return (.785398163397448309615660845819875721049292349843776455243736/m)\n"
    "    }\n"
    "  }\n"
    "  if (x==.2) {\n"
    "    if (scale <= 25) {\n"
    "      ibase = b\n"
    "      return (.1973955598498807583700497/m)\n"
    "    }\n"
    "    if (scale <= 40) {\n"
    "      ibase = b\n"
    "      return (.1973955598498807583700497651947902934475/m)\n"
    "    }\n"
    "    if (scale <= 60) {\n"
    "      ibase = b\n"
    "      return (.197395559849880758370049765194790293447585103787852101517688/m)\n"
    "    }\n"
    "  }\n"
    "  z = scale;\n"
    "  if (x > .2)  {\n"
    "    scale = z+5;\n"
    "    a = a(.2);\n"
    "  }\n"
    "  scale = z+3;\n"
    "  while (x > .2) {\n"
    "    f += 1;\n"
    "    x = (x-.2) / (1+x*.2);\n"
    "  }\n"
    "  v = n = x;\n"
    "  s = -x*x;\n"
    "  for (i=3; 1; i+=2) {\n"
    "    e = (n *= s) / i;\n"
    "    if (e == 0) {\n"
    "      scale = z;\n"
    "      ibase = b\n"
    "      return ((f*a+v)/m);\n"
    "    }\n"
    "    v += e\n"
    "  }\n"
    "}\n"
    "define j(n,x) {\n"
    "  auto a, b, d, e, f, i, m, s, v, z\n"
    "  b = ibase\n"
    "  ibase = A\n"
    "  z = scale;\n"
    "  scale = 0;\n"
    "  n = n/1;\n"
    "  if (n<0) {\n"
    "    n = -n;\n"
    "    if (n%2 == 1) m = 1;\n"
    "  }\n"
    "  f = 1;\n"
    "  for (i=2; i<=n; i++) f = f*i;\n"
    "  scale = 1.5*z;\n"
    "  f = x^n / 2^n / f;\n"
    "  v = e = 1;\n"
    "  s = -x*x/4\n"
    "  scale = 1.5*z + length(f) - scale(f);\n"
    "  for (i=1; 1; i++) {\n"
    "    e =  e * s / i / (n+i);\n"
    "    if (e == 0) {\n"
    "       ibase = b\n"
    "       scale = z\n"
    "       if (m) return (-f*v/1);\n"
    "       return (f*v/1);\n"
    "    }\n"
    "    v += e;\n"
    "  }\n"
    "}\n";

/* ---- tokens ------------------------------------------------------------------- */

enum tok {
    T_EOF,
    T_NL,
    T_NUM,
    T_STR,
    T_NAME,
    T_ERR,
    /* keywords */
    K_AUTO,
    K_BREAK,
    K_CONTINUE,
    K_DEFINE,
    K_ELSE,
    K_FOR,
    K_HALT,
    K_IBASE,
    K_IF,
    K_LAST,
    K_LENGTH,
    K_LIMITS,
    K_OBASE,
    K_PRINT,
    K_QUIT,
    K_READ,
    K_RETURN,
    K_SCALE,
    K_SQRT,
    K_VOID,
    K_WARRANTY,
    K_WHILE,
    /* operators */
    T_PLUS,
    T_MINUS,
    T_MUL,
    T_DIV,
    T_MOD,
    T_POW,
    T_INC,
    T_DEC,
    T_ASSIGN, /* = += ... in op */
    T_REL,
    T_NOT,
    T_AND,
    T_OR,
    T_LP,
    T_RP,
    T_LB,
    T_RB,
    T_LC,
    T_RC,
    T_COMMA,
    T_SEMI,
    T_DOT,
};

static const struct {
    const char *w;
    enum tok t;
} keywords[] = {{"auto", K_AUTO},     {"break", K_BREAK},   {"continue", K_CONTINUE},
                {"define", K_DEFINE}, {"else", K_ELSE},     {"for", K_FOR},
                {"halt", K_HALT},     {"ibase", K_IBASE},   {"if", K_IF},
                {"last", K_LAST},     {"length", K_LENGTH}, {"limits", K_LIMITS},
                {"obase", K_OBASE},   {"print", K_PRINT},   {"quit", K_QUIT},
                {"read", K_READ},     {"return", K_RETURN}, {"scale", K_SCALE},
                {"sqrt", K_SQRT},     {"void", K_VOID},     {"warranty", K_WARRANTY},
                {"while", K_WHILE}};

/* ---- tree --------------------------------------------------------------------- */

enum nkind {
    N_NUM,
    N_VAR,
    N_ARR,
    N_SPECIAL,
    N_CALL,
    N_BIN,
    N_NEG,
    N_NOT,
    N_AND,
    N_OR,
    N_REL,
    N_ASSIGN,
    N_PREINC,
    N_PREDEC,
    N_POSTINC,
    N_POSTDEC,
    N_LENGTH,
    N_SCALE,
    N_SQRT,
    N_READ,
    /* statements */
    S_EXPR,
    S_STR,
    S_PRINT,
    S_IF,
    S_WHILE,
    S_FOR,
    S_BLOCK,
    S_BREAK,
    S_CONTINUE,
    S_RETURN,
    S_HALT,
    S_LIMITS,
    S_WARRANTY,
};

enum special { SP_IBASE, SP_OBASE, SP_SCALE, SP_LAST };

struct node {
    enum nkind kind;
    int op;       /* N_BIN '+'..; N_REL '<' 'L'(<=) '>' 'G'(>=) '=' '!' ; N_ASSIGN 0 or op */
    int id;       /* variable/array/function index; special */
    bool paren;   /* written in parentheses (prints even when an assignment) */
    bool arr_arg; /* a call argument written NAME[] */
    char *text;   /* N_NUM digits, S_STR / print strings */
    struct node *a, *b, *c, *d; /* children */
    struct node **list;         /* call args, block statements, print items */
    int n;
    int adr; /* GNU byte-code address after this node's own instruction */
    int line;
};

struct func {
    char *name;
    bool defined, is_void;
    int nparams;
    int *params; /* var or array ids */
    bool *param_arr;
    int nautos;
    int *autos;
    bool *auto_arr;
    struct node *body;
};

/* A variable's or array's stack of values (autos and parameters push). */
struct arr {
    struct bn **chunks; /* 256 numbers each */
    size_t nchunks;
};

struct slot {
    char *name;
    struct bn *vals; /* stack */
    int depth, cap;
    struct arr **arrs;
    int adepth, acap;
};

struct bc {
    struct proc *p;
    struct obuf out;
    int out_col, line_size;
    /* input */
    const char *src;
    size_t len, pos;
    const char *fname; /* for messages: "(standard_in)" or a file name */
    int line;
    bool src_is_stdin;
    int depth;        /* function calls and expression nesting in progress */
    bool interactive; /* -i: readline echoes each line read from stdin */
    size_t echoed;    /* stdin bytes already echoed */
    /* lookahead */
    enum tok tk;
    int tkop;
    char *tktext;
    int tkline;
    bool have_tk;
    /* names */
    struct slot *vars, *arrays;
    int nvars, narrays, capvars, caparrays;
    struct func *funcs;
    int nfuncs, capfuncs;
    /* state */
    int ibase, obase, scale;
    struct bn last;
    bool quit, halted;
    bool syntax_error;
    bool in_func, in_loop, in_for;
    struct func *cur_func; /* being parsed */
    const char *run_func;  /* name for runtime messages */
    int status;
    /* stdin for read() when the program is not on stdin */
    struct ibuf *rin;
};

enum flow { F_NORMAL, F_BREAK, F_CONTINUE, F_RETURN, F_ERROR, F_HALT };

static void *xalloc(struct bc *bc, size_t n)
{
    void *m = p_calloc(bc->p, 1, n ? n : 1);
    return m;
}

/* ---- output ----------------------------------------------------------------- */

static void out_char(struct bc *bc, int ch)
{
    if (ch == '\n') {
        bc->out_col = 0;
        obuf_putc(&bc->out, '\n');
        return;
    }
    bc->out_col++;
    if (bc->line_size && bc->out_col == bc->line_size - 1) {
        obuf_putc(&bc->out, '\\');
        obuf_putc(&bc->out, '\n');
        bc->out_col = 1;
    }
    obuf_putc(&bc->out, (char)ch);
}

static void out_str(struct bc *bc, const char *s)
{
    for (; *s; s++) out_char(bc, (unsigned char)*s);
}

static void rt_msg(struct bc *bc, bool error, int adr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void rt_msg(struct bc *bc, bool error, int adr, const char *fmt, ...)
{
    obuf_flush(&bc->out);
    struct sbuf sb;
    sbuf_init(&sb, bc->p);
    sbuf_printf(&sb, "Runtime %s (func=%s, adr=%d): ", error ? "error" : "warning",
                bc->run_func ? bc->run_func : "(main)", adr);
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    sbuf_addc(&sb, '\n');
    if (sb.s) io_write_all(bc->p, 2, sb.s, sb.len);
    sbuf_free(&sb);
}

static void parse_msg(struct bc *bc, int line, const char *fmt, const char *arg)
{
    obuf_flush(&bc->out);
    struct sbuf sb;
    sbuf_init(&sb, bc->p);
    sbuf_printf(&sb, "%s %d: ", bc->fname, line);
    sbuf_printf(&sb, fmt, arg);
    sbuf_addc(&sb, '\n');
    if (sb.s) io_write_all(bc->p, 2, sb.s, sb.len);
    sbuf_free(&sb);
}

/* bc_out_long: a digit of a big base, zero-filled to size, after a space. */
static void out_long(struct bc *bc, long val, int size, bool space)
{
    char digits[40];
    int len = snprintf(digits, sizeof digits, "%ld", val);
    if (space) out_char(bc, ' ');
    for (int i = 0; i < size - len; i++) out_char(bc, '0');
    for (int i = 0; i < len; i++) out_char(bc, digits[i]);
}

/* bc_out_num. Returns 0 or a negative errno. */
static int out_num(struct bc *bc, const struct bn *num)
{
    struct proc *p = bc->p;
    static const char ref[] = "0123456789ABCDEF";
    if (num->neg) out_char(bc, '-');
    if (bn_is_zero(num)) {
        out_char(bc, '0');
        return 0;
    }
    int ilen = num->n > num->scale ? num->n - num->scale : 0;
    if (bc->obase == 10) {
        for (int i = num->n - 1; i >= num->scale; i--) out_char(bc, '0' + num->mag[i]);
        (void)ilen;
        if (num->scale > 0) {
            out_char(bc, '.');
            for (int i = num->scale - 1; i >= 0; i--)
                out_char(bc, '0' + (i < num->n ? num->mag[i] : 0));
        }
        return 0;
    }
    int r = 0;
    struct bn ip = BN_ZERO, fp = BN_ZERO, base = BN_ZERO, dig = BN_ZERO, one = BN_ZERO,
              maxd = BN_ZERO, t = BN_ZERO;
    long *stack = NULL;
    size_t ns = 0, cap = 0;
    r = bn_rescale(p, &ip, num, 0);
    if (!r) r = bn_sub(p, &fp, num, &ip);
    ip.neg = false;
    fp.neg = false;
    if (!r) r = bn_from_int(p, &base, bc->obase);
    if (!r) r = bn_from_int(p, &maxd, bc->obase - 1);
    int maxlen = 1;
    {
        long m = bc->obase - 1;
        while (m >= 10) m /= 10, maxlen++;
    }
    while (!r && !bn_is_zero(&ip)) {
        if (proc_check(p) < 0) {
            r = -EINTR;
            break;
        }
        r = bn_mod(p, &dig, &ip, &base, 0);
        if (r) break;
        intmax_t v = 0;
        bn_to_int(&dig, &v);
        if (ns == cap) {
            cap = cap ? cap * 2 : 32;
            long *nsx = p_realloc(p, stack, cap * sizeof *nsx);
            if (!nsx) {
                r = -ENOMEM;
                break;
            }
            stack = nsx;
        }
        stack[ns++] = (long)v;
        r = bn_div(p, &ip, &ip, &base, 0);
    }
    while (!r && ns > 0) {
        long d = stack[--ns];
        if (bc->obase <= 16)
            out_char(bc, ref[d]);
        else
            out_long(bc, d, maxlen, true);
    }
    if (!r && num->scale > 0) {
        out_char(bc, '.');
        bool pre_space = false;
        r = bn_from_int(p, &t, 1);
        while (!r && bn_length(&t) <= num->scale) {
            if (proc_check(p) < 0) {
                r = -EINTR;
                break;
            }
            r = bn_mul(p, &fp, &fp, &base, num->scale);
            if (r) break;
            intmax_t v = 0;
            r = bn_rescale(p, &dig, &fp, 0);
            if (r) break;
            bn_to_int(&dig, &v);
            r = bn_sub(p, &fp, &fp, &dig);
            if (r) break;
            if (bc->obase <= 16) {
                out_char(bc, ref[v]);
            } else {
                out_long(bc, (long)v, maxlen, pre_space);
                pre_space = true;
            }
            r = bn_mul(p, &t, &t, &base, 0);
        }
    }
    p_free(p, stack);
    bn_free(p, &ip);
    bn_free(p, &fp);
    bn_free(p, &base);
    bn_free(p, &dig);
    bn_free(p, &one);
    bn_free(p, &maxd);
    bn_free(p, &t);
    return r;
}

/* ---- names --------------------------------------------------------------------- */

static int lookup_slot(struct bc *bc, struct slot **tab, int *n, int *cap, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp((*tab)[i].name, name)) return i;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        struct slot *nt = p_realloc(bc->p, *tab, (size_t)*cap * sizeof *nt);
        if (!nt) return -1;
        *tab = nt;
    }
    memset(&(*tab)[*n], 0, sizeof **tab);
    (*tab)[*n].name = p_strdup(bc->p, name);
    return (*n)++;
}

static int var_id(struct bc *bc, const char *name)
{
    return lookup_slot(bc, &bc->vars, &bc->nvars, &bc->capvars, name);
}

static int arr_id(struct bc *bc, const char *name)
{
    return lookup_slot(bc, &bc->arrays, &bc->narrays, &bc->caparrays, name);
}

static int func_id(struct bc *bc, const char *name)
{
    for (int i = 0; i < bc->nfuncs; i++)
        if (!strcmp(bc->funcs[i].name, name)) return i;
    if (bc->nfuncs == bc->capfuncs) {
        bc->capfuncs = bc->capfuncs ? bc->capfuncs * 2 : 16;
        struct func *nf = p_realloc(bc->p, bc->funcs, (size_t)bc->capfuncs * sizeof *nf);
        if (!nf) return -1;
        bc->funcs = nf;
    }
    memset(&bc->funcs[bc->nfuncs], 0, sizeof *bc->funcs);
    bc->funcs[bc->nfuncs].name = p_strdup(bc->p, name);
    return bc->nfuncs++;
}

/* The current value of a variable (top of its stack; zero when unset). */
static struct bn *var_ref(struct bc *bc, int id)
{
    struct slot *s = &bc->vars[id];
    if (s->depth == 0) {
        s->vals = p_calloc(bc->p, 4, sizeof *s->vals);
        if (!s->vals) return NULL;
        s->cap = 4;
        s->depth = 1;
    }
    return &s->vals[s->depth - 1];
}

static struct arr *arr_ref(struct bc *bc, int id)
{
    struct slot *s = &bc->arrays[id];
    if (s->adepth == 0) {
        s->arrs = p_calloc(bc->p, 4, sizeof *s->arrs);
        if (!s->arrs) return NULL;
        s->acap = 4;
        s->arrs[0] = p_calloc(bc->p, 1, sizeof **s->arrs);
        if (!s->arrs[0]) return NULL;
        s->adepth = 1;
    }
    return s->arrs[s->adepth - 1];
}

#define VOS_BC_DIM_MAX 16777215

static struct bn *arr_elem(struct bc *bc, struct arr *a, long idx)
{
    size_t chunk = (size_t)idx / 256;
    if (chunk >= a->nchunks) {
        size_t nn = a->nchunks ? a->nchunks : 4;
        while (nn <= chunk) nn *= 2;
        struct bn **nc = p_realloc(bc->p, a->chunks, nn * sizeof *nc);
        if (!nc) return NULL;
        memset(nc + a->nchunks, 0, (nn - a->nchunks) * sizeof *nc);
        a->chunks = nc;
        a->nchunks = nn;
    }
    if (!a->chunks[chunk]) {
        a->chunks[chunk] = p_calloc(bc->p, 256, sizeof **a->chunks);
        if (!a->chunks[chunk]) return NULL;
    }
    return &a->chunks[chunk][idx % 256];
}

static void arr_free(struct bc *bc, struct arr *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->nchunks; i++)
        if (a->chunks[i]) {
            for (int k = 0; k < 256; k++) bn_free(bc->p, &a->chunks[i][k]);
            p_free(bc->p, a->chunks[i]);
        }
    p_free(bc->p, a->chunks);
    p_free(bc->p, a);
}

static struct arr *arr_copy(struct bc *bc, const struct arr *src)
{
    struct arr *a = p_calloc(bc->p, 1, sizeof *a);
    if (!a) return NULL;
    if (!src) return a;
    a->chunks = p_calloc(bc->p, src->nchunks ? src->nchunks : 1, sizeof *a->chunks);
    if (!a->chunks) return NULL;
    a->nchunks = src->nchunks;
    for (size_t i = 0; i < src->nchunks; i++) {
        if (!src->chunks[i]) continue;
        a->chunks[i] = p_calloc(bc->p, 256, sizeof **a->chunks);
        if (!a->chunks[i]) return NULL;
        for (int k = 0; k < 256; k++)
            if (bn_copy(bc->p, &a->chunks[i][k], &src->chunks[i][k]) < 0) return NULL;
    }
    return a;
}

/* ---- lexer ---------------------------------------------------------------------- */

static char *span(struct bc *bc, size_t start, size_t end)
{
    return p_strndup(bc->p, bc->src + start, end - start);
}

/* The next token into bc->tk (and tkop/tktext/tkline). */
static void echo_line(struct bc *bc)
{
    if (!bc->interactive || !bc->src_is_stdin || bc->pos < bc->echoed || bc->pos >= bc->len) return;
    size_t e = bc->pos;
    while (e < bc->len && bc->src[e] != '\n') e++;
    obuf_write(&bc->out, bc->src + bc->pos, e - bc->pos);
    obuf_putc(&bc->out, '\n');
    bc->echoed = e + 1;
}

static void lex(struct bc *bc)
{
    const char *s = bc->src;
    echo_line(bc);
    bc->tktext = NULL;
    bc->tkop = 0;
    for (;;) {
        while (bc->pos < bc->len && (s[bc->pos] == ' ' || s[bc->pos] == '\t' || s[bc->pos] == '\r'))
            bc->pos++;
        if (bc->pos + 1 < bc->len && s[bc->pos] == '/' && s[bc->pos + 1] == '*') {
            size_t q = bc->pos + 2;
            int startline = bc->line;
            while (q + 1 < bc->len && !(s[q] == '*' && s[q + 1] == '/')) {
                if (s[q] == '\n') bc->line++;
                q++;
            }
            if (q + 1 >= bc->len) {
                parse_msg(bc, startline, "%s", "comment not terminated");
                bc->pos = bc->len;
                continue;
            }
            bc->pos = q + 2;
            continue;
        }
        if (bc->pos < bc->len && s[bc->pos] == '#') {
            while (bc->pos < bc->len && s[bc->pos] != '\n') bc->pos++;
            continue;
        }
        if (bc->pos + 1 < bc->len && s[bc->pos] == '\\' && s[bc->pos + 1] == '\n') {
            bc->pos += 2;
            bc->line++;
            continue;
        }
        break;
    }
    bc->tkline = bc->line;
    if (bc->pos >= bc->len) {
        bc->tk = T_EOF;
        return;
    }
    char c = s[bc->pos];
    size_t start = bc->pos;
    if (c == '\n') {
        bc->pos++;
        bc->line++;
        bc->tk = T_NL;
        return;
    }
    if (isdigit((unsigned char)c) || (c >= 'A' && c <= 'Z') ||
        (c == '.' && bc->pos + 1 < bc->len &&
         (isdigit((unsigned char)s[bc->pos + 1]) ||
          (s[bc->pos + 1] >= 'A' && s[bc->pos + 1] <= 'Z')))) {
        /* numbers: digits and capital letters, one point; backslash-newline inside */
        struct sbuf sb;
        sbuf_init(&sb, bc->p);
        bool dot = false;
        while (bc->pos < bc->len) {
            char d = s[bc->pos];
            if (d == '\\' && bc->pos + 1 < bc->len && s[bc->pos + 1] == '\n') {
                bc->pos += 2;
                bc->line++;
                continue;
            }
            if (isdigit((unsigned char)d) || (d >= 'A' && d <= 'Z')) {
                sbuf_addc(&sb, d);
            } else if (d == '.' && !dot) {
                dot = true;
                sbuf_addc(&sb, d);
            } else {
                break;
            }
            bc->pos++;
        }
        bc->tk = T_NUM;
        bc->tktext = sb.s ? sb.s : p_strdup(bc->p, "0");
        /* GNU's scanner drops leading zeros ("007" is 7, "0.5" is .5) */
        char *t = bc->tktext;
        size_t z = 0;
        while (t[z] == '0' && t[z + 1] && t[z + 1] != '.') z++;
        if (t[z] == '0' && t[z + 1] == '.') z++;
        if (z) memmove(t, t + z, strlen(t + z) + 1);
        return;
    }
    if (c == '.') {
        bc->pos++;
        bc->tk = T_DOT;
        return;
    }
    if (islower((unsigned char)c)) {
        while (bc->pos < bc->len && (islower((unsigned char)s[bc->pos]) ||
                                     isdigit((unsigned char)s[bc->pos]) || s[bc->pos] == '_'))
            bc->pos++;
        char *w = span(bc, start, bc->pos);
        for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
            if (w && !strcmp(w, keywords[i].w)) {
                bc->tk = keywords[i].t;
                p_free(bc->p, w);
                return;
            }
        bc->tk = T_NAME;
        bc->tktext = w;
        return;
    }
    if (c == '"') {
        size_t q = bc->pos + 1;
        int lines = 0;
        while (q < bc->len && s[q] != '"') {
            if (s[q] == '\n') lines++;
            q++;
        }
        if (q >= bc->len) {
            bc->pos++;
            bc->tk = T_ERR;
            bc->tkop = '"';
            return;
        }
        bc->tktext = span(bc, bc->pos + 1, q);
        bc->line += lines;
        bc->pos = q + 1;
        bc->tk = T_STR;
        return;
    }
    bc->pos++;
    char n = bc->pos < bc->len ? s[bc->pos] : 0;
#define TWO(ch, tkn, opv)                                                                          \
    if (n == (ch)) {                                                                               \
        bc->pos++;                                                                                 \
        bc->tk = tkn;                                                                              \
        bc->tkop = opv;                                                                            \
        return;                                                                                    \
    }
    switch (c) {
    case '+':
        TWO('+', T_INC, 0);
        TWO('=', T_ASSIGN, '+');
        bc->tk = T_PLUS;
        return;
    case '-':
        TWO('-', T_DEC, 0);
        TWO('=', T_ASSIGN, '-');
        bc->tk = T_MINUS;
        return;
    case '*':
        TWO('=', T_ASSIGN, '*');
        bc->tk = T_MUL;
        return;
    case '/':
        TWO('=', T_ASSIGN, '/');
        bc->tk = T_DIV;
        return;
    case '%':
        TWO('=', T_ASSIGN, '%');
        bc->tk = T_MOD;
        return;
    case '^':
        TWO('=', T_ASSIGN, '^');
        bc->tk = T_POW;
        return;
    case '=':
        TWO('=', T_REL, '=');
        bc->tk = T_ASSIGN;
        bc->tkop = 0;
        return;
    case '<':
        TWO('=', T_REL, 'L');
        bc->tk = T_REL;
        bc->tkop = '<';
        return;
    case '>':
        TWO('=', T_REL, 'G');
        bc->tk = T_REL;
        bc->tkop = '>';
        return;
    case '!':
        TWO('=', T_REL, '!');
        bc->tk = T_NOT;
        return;
    case '&': TWO('&', T_AND, 0); break;
    case '|': TWO('|', T_OR, 0); break;
    case '(': bc->tk = T_LP; return;
    case ')': bc->tk = T_RP; return;
    case '[': bc->tk = T_LB; return;
    case ']': bc->tk = T_RB; return;
    case '{': bc->tk = T_LC; return;
    case '}': bc->tk = T_RC; return;
    case ',': bc->tk = T_COMMA; return;
    case ';': bc->tk = T_SEMI; return;
    }
    bc->tk = T_ERR;
    bc->tkop = (unsigned char)c;
#undef TWO
}

static void next(struct bc *bc)
{
    lex(bc);
    while (bc->tk == T_ERR) {
        char ch[2] = {(char)bc->tkop, 0};
        parse_msg(bc, bc->tkline, "illegal character: %s", ch);
        bc->syntax_error = true;
        lex(bc);
    }
    if (bc->tk == K_QUIT) bc->quit = true;
}

/* ---- parser --------------------------------------------------------------------- */

/* Trees are walked recursively (layout, eval): bound their depth. */
#define MAX_NEST 4000

static struct node *nest_error(struct bc *bc)
{
    if (!bc->syntax_error) parse_msg(bc, bc->line, "%s", "expression nesting too deep");
    bc->syntax_error = true;
    return NULL;
}

static struct node *mk(struct bc *bc, enum nkind k)
{
    struct node *n = xalloc(bc, sizeof *n);
    if (n) {
        n->kind = k;
        n->line = bc->tkline;
    }
    return n;
}

static bool perr(struct bc *bc)
{
    /* At the end of input GNU's scanner has already reset its line count. */
    if (!bc->syntax_error) parse_msg(bc, bc->tk == T_EOF ? 1 : bc->line, "%s", "syntax error");
    bc->syntax_error = true;
    return false;
}

static bool add_item(struct bc *bc, struct node *n, struct node *item)
{
    struct node **nl = p_realloc(bc->p, n->list, (size_t)(n->n + 1) * sizeof *nl);
    if (!nl) return false;
    n->list = nl;
    n->list[n->n++] = item;
    return true;
}

static void skip_nl(struct bc *bc)
{
    while (bc->tk == T_NL) next(bc);
}

static struct node *expr(struct bc *bc);

static bool is_lvalue(const struct node *n)
{
    return n && !n->paren && (n->kind == N_VAR || n->kind == N_ARR || n->kind == N_SPECIAL);
}

static struct node *primary_(struct bc *bc);

static struct node *primary(struct bc *bc)
{
    if (bc->depth >= MAX_NEST) return nest_error(bc);
    bc->depth++;
    struct node *n = primary_(bc);
    bc->depth--;
    return n;
}

static struct node *primary_(struct bc *bc)
{
    struct node *n;
    switch (bc->tk) {
    case T_NUM:
        n = mk(bc, N_NUM);
        if (!n) return NULL;
        n->text = bc->tktext;
        next(bc);
        return n;
    case T_DOT: /* last */
        n = mk(bc, N_SPECIAL);
        if (n) n->id = SP_LAST;
        next(bc);
        return n;
    case K_IBASE:
    case K_OBASE:
    case K_SCALE:
    case K_LAST: {
        enum tok t = bc->tk;
        next(bc);
        if (t == K_SCALE && bc->tk == T_LP) {
            next(bc);
            n = mk(bc, N_SCALE);
            if (!n || !(n->a = expr(bc))) return NULL;
            if (bc->tk != T_RP) return perr(bc), NULL;
            next(bc);
            return n;
        }
        n = mk(bc, N_SPECIAL);
        if (n)
            n->id = t == K_IBASE   ? SP_IBASE
                    : t == K_OBASE ? SP_OBASE
                    : t == K_SCALE ? SP_SCALE
                                   : SP_LAST;
        return n;
    }
    case K_LENGTH:
    case K_SQRT: {
        enum nkind k = bc->tk == K_LENGTH ? N_LENGTH : N_SQRT;
        next(bc);
        if (bc->tk != T_LP) return perr(bc), NULL;
        next(bc);
        n = mk(bc, k);
        if (!n || !(n->a = expr(bc))) return NULL;
        if (bc->tk != T_RP) return perr(bc), NULL;
        next(bc);
        return n;
    }
    case K_READ:
        next(bc);
        if (bc->tk != T_LP) return perr(bc), NULL;
        next(bc);
        if (bc->tk != T_RP) return perr(bc), NULL;
        next(bc);
        return mk(bc, N_READ);
    case T_LP:
        next(bc);
        n = expr(bc);
        if (!n) return NULL;
        if (bc->tk != T_RP) return perr(bc), NULL;
        next(bc);
        n->paren = true;
        return n;
    case T_NAME: {
        char *name = bc->tktext;
        next(bc);
        if (bc->tk == T_LB) {
            next(bc);
            n = mk(bc, N_ARR);
            if (!n) return NULL;
            n->id = arr_id(bc, name);
            if (!(n->a = expr(bc))) return NULL;
            if (bc->tk != T_RB) return perr(bc), NULL;
            next(bc);
            return n;
        }
        if (bc->tk == T_LP) {
            next(bc);
            n = mk(bc, N_CALL);
            if (!n) return NULL;
            n->id = func_id(bc, name);
            while (bc->tk != T_RP) {
                struct node *arg;
                if (bc->tk == T_NAME) {
                    /* NAME[] passes an array */
                    size_t save_pos = bc->pos;
                    int save_line = bc->line;
                    char *an = bc->tktext;
                    int tkl = bc->tkline;
                    next(bc);
                    if (bc->tk == T_LB) {
                        next(bc);
                        if (bc->tk == T_RB) {
                            next(bc);
                            arg = mk(bc, N_ARR);
                            if (!arg) return NULL;
                            arg->arr_arg = true;
                            arg->id = arr_id(bc, an);
                            goto have_arg;
                        }
                    }
                    bc->pos = save_pos;
                    bc->line = save_line;
                    bc->tk = T_NAME;
                    bc->tktext = an;
                    bc->tkline = tkl;
                }
                arg = expr(bc);
                if (!arg) return NULL;
            have_arg:
                if (!add_item(bc, n, arg)) return NULL;
                if (bc->tk == T_COMMA) {
                    next(bc);
                    continue;
                }
                if (bc->tk != T_RP) return perr(bc), NULL;
            }
            next(bc);
            return n;
        }
        n = mk(bc, N_VAR);
        if (n) n->id = var_id(bc, name);
        return n;
    }
    default: return perr(bc), NULL;
    }
}

static struct node *incdec(struct bc *bc)
{
    if (bc->tk == T_INC || bc->tk == T_DEC) {
        enum nkind k = bc->tk == T_INC ? N_PREINC : N_PREDEC;
        next(bc);
        struct node *t = primary(bc);
        if (!t) return NULL;
        if (!is_lvalue(t)) return perr(bc), NULL;
        struct node *n = mk(bc, k);
        if (n) n->a = t;
        return n;
    }
    struct node *t = primary(bc);
    if (t && is_lvalue(t) && (bc->tk == T_INC || bc->tk == T_DEC)) {
        struct node *n = mk(bc, bc->tk == T_INC ? N_POSTINC : N_POSTDEC);
        next(bc);
        if (n) n->a = t;
        return n;
    }
    return t;
}

static struct node *unary_body(struct bc *bc);

static struct node *unary(struct bc *bc)
{
    if (bc->depth >= MAX_NEST) return nest_error(bc);
    bc->depth++;
    struct node *n = unary_body(bc);
    bc->depth--;
    return n;
}

static struct node *unary_body(struct bc *bc)
{
    if (bc->tk == T_MINUS) {
        next(bc);
        struct node *e = unary(bc);
        if (!e) return NULL;
        struct node *n = mk(bc, N_NEG);
        if (n) n->a = e;
        return n;
    }
    return incdec(bc);
}

static struct node *power_body(struct bc *bc);

static struct node *power(struct bc *bc)
{
    if (bc->depth >= MAX_NEST) return nest_error(bc);
    bc->depth++;
    struct node *n = power_body(bc);
    bc->depth--;
    return n;
}

static struct node *power_body(struct bc *bc)
{
    struct node *l = unary(bc);
    if (l && bc->tk == T_POW) {
        next(bc);
        struct node *r = power(bc);
        if (!r) return NULL;
        struct node *n = mk(bc, N_BIN);
        if (!n) return NULL;
        n->op = '^';
        n->a = l;
        n->b = r;
        return n;
    }
    return l;
}

static struct node *mul(struct bc *bc)
{
    struct node *l = power(bc);
    int chain = 0;
    while (l && (bc->tk == T_MUL || bc->tk == T_DIV || bc->tk == T_MOD)) {
        if (++chain + bc->depth >= MAX_NEST) return nest_error(bc);
        int op = bc->tk == T_MUL ? '*' : bc->tk == T_DIV ? '/' : '%';
        next(bc);
        struct node *r = power(bc);
        if (!r) return NULL;
        struct node *n = mk(bc, N_BIN);
        if (!n) return NULL;
        n->op = op;
        n->a = l;
        n->b = r;
        l = n;
    }
    return l;
}

static struct node *add(struct bc *bc)
{
    struct node *l = mul(bc);
    int chain = 0;
    while (l && (bc->tk == T_PLUS || bc->tk == T_MINUS)) {
        if (++chain + bc->depth >= MAX_NEST) return nest_error(bc);
        int op = bc->tk == T_PLUS ? '+' : '-';
        next(bc);
        struct node *r = mul(bc);
        if (!r) return NULL;
        struct node *n = mk(bc, N_BIN);
        if (!n) return NULL;
        n->op = op;
        n->a = l;
        n->b = r;
        l = n;
    }
    return l;
}

static struct node *assign_body(struct bc *bc);

static struct node *assign(struct bc *bc)
{
    if (bc->depth >= MAX_NEST) return nest_error(bc);
    bc->depth++;
    struct node *n = assign_body(bc);
    bc->depth--;
    return n;
}

static struct node *assign_body(struct bc *bc)
{
    struct node *l = add(bc);
    if (l && bc->tk == T_ASSIGN) {
        if (!is_lvalue(l)) return perr(bc), NULL;
        int op = bc->tkop;
        next(bc);
        struct node *r = assign(bc);
        if (!r) return NULL;
        if (r->kind == N_CALL && r->id >= 0 && bc->funcs[r->id].is_void) {
            parse_msg(bc, bc->line, "%s", "Assignment of a void expression");
            bc->syntax_error = true;
            return NULL;
        }
        struct node *n = mk(bc, N_ASSIGN);
        if (!n) return NULL;
        n->op = op;
        n->a = l;
        n->b = r;
        return n;
    }
    return l;
}

static struct node *rel(struct bc *bc)
{
    struct node *l = assign(bc);
    int chain = 0;
    while (l && bc->tk == T_REL) {
        if (++chain + bc->depth >= MAX_NEST) return nest_error(bc);
        int op = bc->tkop;
        next(bc);
        struct node *r = assign(bc);
        if (!r) return NULL;
        struct node *n = mk(bc, N_REL);
        if (!n) return NULL;
        n->op = op;
        n->a = l;
        n->b = r;
        l = n;
    }
    return l;
}

static struct node *not__body(struct bc *bc);

static struct node *not_(struct bc *bc)
{
    if (bc->depth >= MAX_NEST) return nest_error(bc);
    bc->depth++;
    struct node *n = not__body(bc);
    bc->depth--;
    return n;
}

static struct node *not__body(struct bc *bc)
{
    if (bc->tk == T_NOT) {
        next(bc);
        struct node *e = not_(bc);
        if (!e) return NULL;
        struct node *n = mk(bc, N_NOT);
        if (n) n->a = e;
        return n;
    }
    return rel(bc);
}

static struct node *and_(struct bc *bc)
{
    struct node *l = not_(bc);
    int chain = 0;
    while (l && bc->tk == T_AND) {
        if (++chain + bc->depth >= MAX_NEST) return nest_error(bc);
        next(bc);
        struct node *r = not_(bc);
        if (!r) return NULL;
        struct node *n = mk(bc, N_AND);
        if (!n) return NULL;
        n->a = l;
        n->b = r;
        l = n;
    }
    return l;
}

static struct node *expr(struct bc *bc)
{
    struct node *l = and_(bc);
    int chain = 0;
    while (l && bc->tk == T_OR) {
        if (++chain + bc->depth >= MAX_NEST) return nest_error(bc);
        next(bc);
        struct node *r = and_(bc);
        if (!r) return NULL;
        struct node *n = mk(bc, N_OR);
        if (!n) return NULL;
        n->a = l;
        n->b = r;
        l = n;
    }
    return l;
}

static struct node *statement(struct bc *bc);

/* Statements up to '}' separated by ';' and newlines. */
static struct node *block_body(struct bc *bc)
{
    struct node *b = mk(bc, S_BLOCK);
    if (!b) return NULL;
    for (;;) {
        while (bc->tk == T_NL || bc->tk == T_SEMI) next(bc);
        if (bc->tk == T_RC || bc->tk == T_EOF) break;
        struct node *s = statement(bc);
        if (!s) return NULL;
        if (!add_item(bc, b, s)) return NULL;
        if (bc->tk != T_NL && bc->tk != T_SEMI && bc->tk != T_RC) return perr(bc), NULL;
    }
    if (bc->tk != T_RC) return perr(bc), NULL;
    next(bc);
    return b;
}

static struct node *opt_expr(struct bc *bc, enum tok end)
{
    if (bc->tk == end) return NULL;
    return expr(bc);
}

static struct node *statement_body(struct bc *bc);

static struct node *statement(struct bc *bc)
{
    if (bc->depth >= MAX_NEST) return nest_error(bc);
    bc->depth++;
    struct node *n = statement_body(bc);
    bc->depth--;
    return n;
}

static struct node *statement_body(struct bc *bc)
{
    struct node *n;
    switch (bc->tk) {
    case T_STR:
        n = mk(bc, S_STR);
        if (n) n->text = bc->tktext;
        next(bc);
        return n;
    case K_BREAK:
    case K_CONTINUE: {
        bool brk = bc->tk == K_BREAK;
        if (!bc->in_loop || (!brk && !bc->in_for && !bc->in_loop)) {
            parse_msg(bc, bc->tkline, "%s",
                      brk ? "Break outside a for/while" : "Continue outside a for");
            bc->syntax_error = true;
            return NULL;
        }
        n = mk(bc, brk ? S_BREAK : S_CONTINUE);
        next(bc);
        return n;
    }
    case K_QUIT: next(bc); return mk(bc, S_BLOCK); /* bc->quit is set */
    case K_HALT: next(bc); return mk(bc, S_HALT);
    case K_LIMITS: next(bc); return mk(bc, S_LIMITS);
    case K_WARRANTY: next(bc); return mk(bc, S_WARRANTY);
    case K_RETURN:
        if (!bc->in_func) {
            parse_msg(bc, bc->tkline, "%s", "Return outside of a function.");
            bc->syntax_error = true;
            return NULL;
        }
        n = mk(bc, S_RETURN);
        next(bc);
        if (!n) return NULL;
        if (bc->tk != T_NL && bc->tk != T_SEMI && bc->tk != T_RC && bc->tk != T_EOF) {
            if (!(n->a = expr(bc))) return NULL;
        }
        return n;
    case T_LC: next(bc); return block_body(bc);
    case K_IF: {
        next(bc);
        if (bc->tk != T_LP) return perr(bc), NULL;
        next(bc);
        n = mk(bc, S_IF);
        if (!n || !(n->a = expr(bc))) return NULL;
        if (bc->tk != T_RP) return perr(bc), NULL;
        next(bc);
        skip_nl(bc);
        if (!(n->b = statement(bc))) return NULL;
        /* else may follow on the next lines */
        size_t save = bc->pos;
        int sl = bc->line;
        enum tok st = bc->tk;
        int stl = bc->tkline;
        int nls = 0;
        while (bc->tk == T_NL) next(bc), nls++;
        if (bc->tk == K_ELSE) {
            next(bc);
            skip_nl(bc);
            if (!(n->c = statement(bc))) return NULL;
        } else if (nls) {
            bc->pos = save;
            bc->line = sl;
            bc->tk = st;
            bc->tkline = stl;
        }
        return n;
    }
    case K_WHILE: {
        next(bc);
        if (bc->tk != T_LP) return perr(bc), NULL;
        next(bc);
        n = mk(bc, S_WHILE);
        if (!n || !(n->a = expr(bc))) return NULL;
        if (bc->tk != T_RP) return perr(bc), NULL;
        next(bc);
        skip_nl(bc);
        bool ol = bc->in_loop;
        bc->in_loop = true;
        n->b = statement(bc);
        bc->in_loop = ol;
        return n->b ? n : NULL;
    }
    case K_FOR: {
        next(bc);
        if (bc->tk != T_LP) return perr(bc), NULL;
        next(bc);
        n = mk(bc, S_FOR);
        if (!n) return NULL;
        n->a = opt_expr(bc, T_SEMI);
        if (bc->syntax_error) return NULL;
        if (bc->tk != T_SEMI) return perr(bc), NULL;
        next(bc);
        n->b = opt_expr(bc, T_SEMI);
        if (bc->syntax_error) return NULL;
        if (bc->tk != T_SEMI) return perr(bc), NULL;
        next(bc);
        n->c = opt_expr(bc, T_RP);
        if (bc->syntax_error) return NULL;
        if (bc->tk != T_RP) return perr(bc), NULL;
        next(bc);
        skip_nl(bc);
        bool ol = bc->in_loop, of = bc->in_for;
        bc->in_loop = bc->in_for = true;
        n->d = statement(bc);
        bc->in_loop = ol;
        bc->in_for = of;
        return n->d ? n : NULL;
    }
    case K_PRINT:
        next(bc);
        n = mk(bc, S_PRINT);
        if (!n) return NULL;
        for (;;) {
            struct node *item;
            if (bc->tk == T_STR) {
                item = mk(bc, S_STR);
                if (!item) return NULL;
                item->text = bc->tktext;
                next(bc);
            } else {
                item = expr(bc);
                if (!item) return NULL;
            }
            if (!add_item(bc, n, item)) return NULL;
            if (bc->tk != T_COMMA) break;
            next(bc);
        }
        return n;
    default:
        n = mk(bc, S_EXPR);
        if (!n || !(n->a = expr(bc))) return NULL;
        return n;
    }
}

/* ---- GNU code addresses ----------------------------------------------------------
 * The size of the byte code GNU bc generates for each construct, so that
 * runtime messages name the same "adr". Each node gets the address just
 * after its own instruction. */

static int idx_size(int id)
{
    return id >= 128 ? 2 : 1;
}

static void layout(struct node *n, int *pc);

static void layout_expr(struct node *n, int *pc)
{
    if (!n) return;
    switch (n->kind) {
    case N_NUM:
        *pc += !strcmp(n->text, "0") || !strcmp(n->text, "1") ? 1 : 2 + (int)strlen(n->text);
        break;
    case N_VAR: *pc += 1 + idx_size(n->id); break;
    case N_SPECIAL: *pc += 2; break;
    case N_ARR:
        if (n->arr_arg) break;
        layout_expr(n->a, pc);
        *pc += 1 + idx_size(n->id);
        break;
    case N_CALL:
        for (int i = 0; i < n->n; i++) layout_expr(n->list[i], pc);
        *pc += 1 + idx_size(n->id);
        n->adr = *pc; /* "not defined" */
        *pc += n->n + 1;
        n->op = *pc; /* parameter mismatch */
        break;
    case N_BIN:
    case N_REL:
        layout_expr(n->a, pc);
        layout_expr(n->b, pc);
        *pc += 1;
        break;
    case N_NEG:
    case N_NOT:
        layout_expr(n->a, pc);
        *pc += 1;
        break;
    case N_AND:
        layout_expr(n->a, pc);
        *pc += 5;
        layout_expr(n->b, pc);
        *pc += 6;
        break;
    case N_OR:
        layout_expr(n->a, pc);
        *pc += 3;
        layout_expr(n->b, pc);
        *pc += 8;
        break;
    case N_ASSIGN: {
        struct node *l = n->a;
        int store = 1 + (l->kind == N_SPECIAL ? 1 : idx_size(l->id));
        if (l->kind == N_ARR) layout_expr(l->a, pc);
        if (n->op) *pc += l->kind == N_ARR ? 2 + idx_size(l->id) : store;
        layout_expr(n->b, pc);
        if (n->op) *pc += 1;
        n->b->adr = n->b->adr ? n->b->adr : *pc;
        *pc += store;
        break;
    }
    case N_PREINC:
    case N_PREDEC:
    case N_POSTINC:
    case N_POSTDEC: {
        struct node *l = n->a;
        if (l->kind == N_ARR) {
            layout_expr(l->a, pc);
            *pc += 2 + 2 * idx_size(l->id) + 1;
        } else {
            *pc += 4;
        }
        break;
    }
    case N_LENGTH:
    case N_SCALE:
    case N_SQRT:
        layout_expr(n->a, pc);
        *pc += 2;
        break;
    case N_READ: *pc += 2; break;
    default: layout(n, pc); return;
    }
    if (n->kind != N_CALL) n->adr = *pc;
}

static void layout(struct node *n, int *pc)
{
    if (!n) return;
    switch (n->kind) {
    case S_EXPR:
        layout_expr(n->a, pc);
        *pc += 1;
        break;
    case S_STR: *pc += 2 + (int)strlen(n->text); break;
    case S_PRINT:
        for (int i = 0; i < n->n; i++) {
            if (n->list[i]->kind == S_STR)
                *pc += 2 + (int)strlen(n->list[i]->text);
            else {
                layout_expr(n->list[i], pc);
                *pc += 1;
            }
        }
        break;
    case S_IF:
        layout_expr(n->a, pc);
        *pc += 3;
        layout(n->b, pc);
        if (n->c) {
            *pc += 3;
            layout(n->c, pc);
        }
        break;
    case S_WHILE:
        layout_expr(n->a, pc);
        *pc += 3;
        layout(n->b, pc);
        *pc += 3;
        break;
    case S_FOR:
        if (n->a) {
            layout_expr(n->a, pc);
            *pc += 1;
        }
        if (n->b)
            layout_expr(n->b, pc);
        else
            *pc += 1;
        *pc += 6;
        if (n->c) {
            layout_expr(n->c, pc);
            *pc += 1;
        }
        *pc += 3;
        layout(n->d, pc);
        *pc += 3;
        break;
    case S_BLOCK:
        for (int i = 0; i < n->n; i++) layout(n->list[i], pc);
        break;
    case S_BREAK:
    case S_CONTINUE: *pc += 3; break;
    case S_RETURN:
        if (n->a) {
            layout_expr(n->a, pc);
            *pc += 1;
        } else {
            *pc += 2;
        }
        break;
    case S_HALT: *pc += 1; break;
    default:
        if (n->kind < S_EXPR) layout_expr(n, pc);
        break;
    }
    n->adr = n->adr ? n->adr : *pc;
}

/* ---- evaluation ---------------------------------------------------------------- */

struct frame {
    enum flow flow;
    struct bn ret;
};

static enum flow exec(struct bc *bc, struct node *n, struct frame *fr);
static int eval(struct bc *bc, struct node *n, struct bn *out);

/* eval returns 0, or -1 after a runtime error was reported (the item
 * stops), or -2 for halt. */
#define RT_ERR (-1)
#define RT_HALT (-2)

static int oom(struct bc *bc)
{
    cmd_error(bc->p, "Out of memory!");
    bc->quit = true;
    bc->status = 1;
    return RT_ERR;
}

static int chk(struct bc *bc, int r)
{
    if (r == 0) return 0;
    if (r == -EINTR) {
        bc->quit = true;
        return RT_ERR;
    }
    return oom(bc);
}

/* Convert a constant's text in ibase (GNU push_constant). */
static int constant(struct bc *bc, const char *t, struct bn *out)
{
    struct proc *p = bc->p;
    int base = bc->ibase;
    struct bn build = BN_ZERO, mult = BN_ZERO, tmp = BN_ZERO, res = BN_ZERO, div = BN_ZERO;
    int r = bn_from_int(p, &mult, base);
    if (!r && base == 10) {
        bool plain = true;
        for (const char *c = t; *c; c++)
            if (*c >= 'A' && *c <= 'Z') plain = false;
        if (plain) {
            r = bn_parse_dec(p, out, t, strlen(t));
            bn_free(p, &mult);
            return chk(bc, r);
        }
    }
    const char *c = t;
    int val = 0;
    if (!r && *c && *c != '.') {
        int first = isdigit((unsigned char)*c) ? *c - '0' : *c - 'A' + 10;
        c++;
        if (*c && *c != '.' && first >= base) first = base - 1;
        r = bn_from_int(p, &build, first);
    }
    while (!r && *c && *c != '.') {
        val = isdigit((unsigned char)*c) ? *c - '0' : *c - 'A' + 10;
        if (val >= base) val = base - 1;
        r = bn_mul(p, &build, &build, &mult, 0);
        if (!r) r = bn_from_int(p, &tmp, val);
        if (!r) r = bn_add(p, &build, &build, &tmp);
        c++;
    }
    if (!r && *c == '.') {
        c++;
        int digits = 0;
        r = bn_from_int(p, &div, 1);
        while (!r && *c) {
            val = isdigit((unsigned char)*c) ? *c - '0' : *c - 'A' + 10;
            if (val >= base) val = base - 1;
            digits++;
            r = bn_mul(p, &res, &res, &mult, 0);
            if (!r) r = bn_from_int(p, &tmp, val);
            if (!r) r = bn_add(p, &res, &res, &tmp);
            if (!r) r = bn_mul(p, &div, &div, &mult, 0);
            c++;
        }
        if (!r) r = bn_div(p, &res, &res, &div, digits);
        if (!r) r = bn_add(p, &build, &build, &res);
    }
    if (!r) r = bn_copy(p, out, &build);
    bn_free(p, &build);
    bn_free(p, &mult);
    bn_free(p, &tmp);
    bn_free(p, &res);
    bn_free(p, &div);
    return chk(bc, r);
}

static bool to_long(const struct bn *v, long *out)
{
    intmax_t x;
    if (!bn_to_int(v, &x) || x > LONG_MAX || x < LONG_MIN) return false;
    *out = (long)x;
    return true;
}

/* The array element an N_ARR node names (index evaluated). */
static int elem_ref(struct bc *bc, struct node *n, struct bn **ref, int adr)
{
    struct bn idx = BN_ZERO;
    int r = eval(bc, n->a, &idx);
    if (r) return r;
    long i;
    bool ok = to_long(&idx, &i);
    bn_free(bc->p, &idx);
    if (!ok || i < 0 || i > VOS_BC_DIM_MAX) {
        rt_msg(bc, true, adr, "Array %s subscript out of bounds.", bc->arrays[n->id].name);
        return RT_ERR;
    }
    struct arr *a = arr_ref(bc, n->id);
    *ref = a ? arr_elem(bc, a, i) : NULL;
    return *ref ? 0 : oom(bc);
}

static int load(struct bc *bc, struct node *l, struct bn *out)
{
    if (l->kind == N_VAR) {
        struct bn *v = var_ref(bc, l->id);
        return v ? chk(bc, bn_copy(bc->p, out, v)) : oom(bc);
    }
    if (l->kind == N_SPECIAL) {
        if (l->id == SP_LAST) return chk(bc, bn_copy(bc->p, out, &bc->last));
        int v = l->id == SP_IBASE ? bc->ibase : l->id == SP_OBASE ? bc->obase : bc->scale;
        return chk(bc, bn_from_int(bc->p, out, v));
    }
    struct bn *ref;
    int r = elem_ref(bc, l, &ref, l->adr);
    if (r) return r;
    return chk(bc, bn_copy(bc->p, out, ref));
}

/* Store v into a special variable with GNU's range checks. */
static int store_special(struct bc *bc, struct node *l, int adr, const struct bn *v)
{
    if (l->id == SP_LAST) return chk(bc, bn_copy(bc->p, &bc->last, v));
    long x;
    bool fits = to_long(v, &x);
    if (!fits) x = v->neg ? LONG_MIN : LONG_MAX;
    if (l->id == SP_SCALE) {
        if (x < 0) {
            rt_msg(bc, false, adr, "negative scale, set to 0");
            x = 0;
        } else if (x > 2147483647L) {
            rt_msg(bc, false, adr, "scale too large, set to %d", 2147483647);
            x = 2147483647L;
        }
        bc->scale = (int)x;
    } else if (l->id == SP_IBASE) {
        if (x < 2) {
            rt_msg(bc, false, adr, "ibase too small, set to 2");
            x = 2;
        } else if (x > 36) {
            rt_msg(bc, false, adr, "ibase too large, set to 36");
            x = 36;
        }
        bc->ibase = (int)x;
    } else {
        if (x < 2) {
            rt_msg(bc, false, adr, "obase too small, set to 2");
            x = 2;
        } else if (x > 2147483647L) {
            rt_msg(bc, false, adr, "obase too large, set to %d", 2147483647);
            x = 2147483647L;
        }
        bc->obase = (int)x;
    }
    return 0;
}

static int store(struct bc *bc, struct node *l, struct bn *elem, const struct bn *v, int adr)
{
    if (l->kind == N_VAR) {
        struct bn *ref = var_ref(bc, l->id);
        return ref ? chk(bc, bn_copy(bc->p, ref, v)) : oom(bc);
    }
    if (l->kind == N_SPECIAL) return store_special(bc, l, adr, v);
    return chk(bc, bn_copy(bc->p, elem, v));
}

static int arith(struct bc *bc, int op, struct bn *out, const struct bn *a, const struct bn *b,
                 int adr)
{
    struct proc *p = bc->p;
    int r;
    switch (op) {
    case '+': r = bn_add(p, out, a, b); break;
    case '-': r = bn_sub(p, out, a, b); break;
    case '*': r = bn_mul(p, out, a, b, bc->scale); break;
    case '/':
        if (bn_is_zero(b)) {
            rt_msg(bc, true, adr, "Divide by zero");
            return RT_ERR;
        }
        r = bn_div(p, out, a, b, bc->scale);
        break;
    case '%':
        if (bn_is_zero(b)) {
            rt_msg(bc, true, adr, "Modulo by zero");
            return RT_ERR;
        }
        r = bn_mod(p, out, a, b, bc->scale);
        break;
    default: { /* ^ */
        if (b->scale > 0) {
            for (int i = 0; i < b->scale && i < b->n; i++)
                if (b->mag[i]) {
                    rt_msg(bc, false, adr, "non-zero scale in exponent");
                    break;
                }
        }
        intmax_t e;
        struct bn bi = BN_ZERO;
        r = bn_rescale(p, &bi, b, 0);
        if (r) return chk(bc, r);
        bool ok = bn_to_int(&bi, &e);
        bn_free(p, &bi);
        if (!ok || e > INT_MAX || e < -INT_MAX) {
            rt_msg(bc, true, adr, "exponent too large in raise");
            return RT_ERR;
        }
        if (e == 0) {
            r = bn_from_int(p, out, 1);
        } else if (bn_is_zero(a) && e < 0) {
            rt_msg(bc, true, adr, "divide by zero");
            return RT_ERR;
        } else {
            r = bn_raise(p, out, a, e, bc->scale);
        }
    }
    }
    return chk(bc, r);
}

static int call(struct bc *bc, struct node *n, struct bn *out);

/* Calls nest on the C stack of the process's thread. */
#define MAX_DEPTH 1000

static int eval(struct bc *bc, struct node *n, struct bn *out)
{
    struct proc *p = bc->p;
    int r;
    if (proc_check(p) < 0) {
        bc->quit = true;
        return RT_ERR;
    }
    switch (n->kind) {
    case N_NUM: return constant(bc, n->text, out);
    case N_VAR:
    case N_SPECIAL:
    case N_ARR: return load(bc, n, out);
    case N_CALL: return call(bc, n, out);
    case N_BIN: {
        struct bn a = BN_ZERO, b = BN_ZERO;
        r = eval(bc, n->a, &a);
        if (!r) r = eval(bc, n->b, &b);
        if (!r) r = arith(bc, n->op, out, &a, &b, n->adr);
        bn_free(p, &a);
        bn_free(p, &b);
        return r;
    }
    case N_NEG:
        r = eval(bc, n->a, out);
        if (!r && !bn_is_zero(out)) out->neg = !out->neg;
        return r;
    case N_NOT:
        r = eval(bc, n->a, out);
        if (!r) r = chk(bc, bn_from_int(p, out, bn_is_zero(out)));
        return r;
    case N_AND:
    case N_OR: {
        r = eval(bc, n->a, out);
        if (r) return r;
        bool v = !bn_is_zero(out);
        if (n->kind == N_AND ? v : !v) {
            r = eval(bc, n->b, out);
            if (r) return r;
            v = !bn_is_zero(out);
        }
        return chk(bc, bn_from_int(p, out, v));
    }
    case N_REL: {
        struct bn a = BN_ZERO, b = BN_ZERO;
        r = eval(bc, n->a, &a);
        if (!r) r = eval(bc, n->b, &b);
        if (!r) {
            int c = bn_cmp(&a, &b);
            bool v = n->op == '<'   ? c < 0
                     : n->op == 'L' ? c <= 0
                     : n->op == '>' ? c > 0
                     : n->op == 'G' ? c >= 0
                     : n->op == '=' ? c == 0
                                    : c != 0;
            r = chk(bc, bn_from_int(p, out, v));
        }
        bn_free(p, &a);
        bn_free(p, &b);
        return r;
    }
    case N_ASSIGN: {
        struct node *l = n->a;
        struct bn *elem = NULL;
        if (l->kind == N_ARR && (r = elem_ref(bc, l, &elem, n->adr))) return r;
        struct bn rhs = BN_ZERO, cur = BN_ZERO;
        if (n->op) {
            r = elem ? chk(bc, bn_copy(p, &cur, elem)) : load(bc, l, &cur);
            if (r) return r;
        }
        r = eval(bc, n->b, &rhs);
        /* the element may move when the array grew during the RHS */
        if (!r && l->kind == N_ARR) {
            struct bn idx = BN_ZERO;
            (void)idx;
        }
        if (!r && n->op) r = arith(bc, n->op, &rhs, &cur, &rhs, n->b->adr);
        if (!r) r = store(bc, l, elem, &rhs, n->adr);
        if (!r) r = load(bc, l, out);
        if (!r && l->kind == N_ARR) r = chk(bc, bn_copy(p, out, elem));
        bn_free(p, &rhs);
        bn_free(p, &cur);
        return r;
    }
    case N_PREINC:
    case N_PREDEC:
    case N_POSTINC:
    case N_POSTDEC: {
        struct node *l = n->a;
        struct bn *elem = NULL;
        if (l->kind == N_ARR && (r = elem_ref(bc, l, &elem, n->adr))) return r;
        struct bn cur = BN_ZERO, one = BN_ZERO, nv = BN_ZERO;
        r = elem ? chk(bc, bn_copy(p, &cur, elem)) : load(bc, l, &cur);
        if (!r) r = chk(bc, bn_from_int(p, &one, 1));
        if (!r)
            r = chk(bc, (n->kind == N_PREINC || n->kind == N_POSTINC) ? bn_add(p, &nv, &cur, &one)
                                                                      : bn_sub(p, &nv, &cur, &one));
        if (!r) r = store(bc, l, elem, &nv, n->adr);
        if (!r) {
            if (n->kind == N_POSTINC || n->kind == N_POSTDEC)
                r = chk(bc, bn_copy(p, out, &cur));
            else
                r = elem ? chk(bc, bn_copy(p, out, elem)) : load(bc, l, out);
        }
        bn_free(p, &cur);
        bn_free(p, &one);
        bn_free(p, &nv);
        return r;
    }
    case N_LENGTH:
        r = eval(bc, n->a, out);
        if (!r) r = chk(bc, bn_from_int(p, out, bn_length(out)));
        return r;
    case N_SCALE:
        r = eval(bc, n->a, out);
        if (!r) r = chk(bc, bn_from_int(p, out, out->scale));
        return r;
    case N_SQRT:
        r = eval(bc, n->a, out);
        if (r) return r;
        if (out->neg) {
            rt_msg(bc, true, n->adr, "Square root of a negative number");
            return RT_ERR;
        }
        return chk(bc, bn_sqrt(p, out, out, bc->scale));
    case N_READ: {
        /* one line of input read as a number in ibase */
        char *line = NULL;
        ssize_t len = 0;
        if (bc->src_is_stdin) {
            size_t e = bc->pos;
            while (e < bc->len && bc->src[e] != '\n') e++;
            line = p_strndup(p, bc->src + bc->pos, e - bc->pos);
            bc->pos = e < bc->len ? e + 1 : e;
            bc->line++;
        } else if (bc->rin) {
            char *rec;
            len = ibuf_getline(bc->rin, &rec);
            if (len > 0) line = p_strndup(p, rec, (size_t)(rec[len - 1] == '\n' ? len - 1 : len));
        }
        const char *s = line ? line : "";
        while (*s == ' ' || *s == '\t') s++;
        bool neg = *s == '-';
        if (neg) s++;
        char *t = p_strdup(p, s);
        if (!t) return oom(bc);
        size_t k = 0;
        while (t[k] &&
               (isdigit((unsigned char)t[k]) || (t[k] >= 'A' && t[k] <= 'Z') || t[k] == '.'))
            k++;
        t[k] = 0;
        r = constant(bc, k ? t : "0", out);
        if (!r && neg && !bn_is_zero(out)) out->neg = true;
        p_free(p, t);
        p_free(p, line);
        return r;
    }
    default: return 0;
    }
}

static int call(struct bc *bc, struct node *n, struct bn *out)
{
    struct proc *p = bc->p;
    struct func *f = &bc->funcs[n->id];
    if (!f->defined) {
        rt_msg(bc, true, n->adr, "Function %s not defined.", f->name);
        return RT_ERR;
    }
    if (f->nparams != n->n) {
        rt_msg(bc, true, n->op, "Parameter number mismatch");
        return RT_ERR;
    }
    for (int i = 0; i < n->n; i++)
        if (f->param_arr[i] != n->list[i]->arr_arg) {
            rt_msg(bc, true, n->op, "Parameter type mismatch");
            return RT_ERR;
        }
    if (bc->depth >= MAX_DEPTH) {
        rt_msg(bc, true, n->op, "function call nesting too deep (more than %d)", MAX_DEPTH);
        return RT_ERR;
    }
    /* Evaluate arguments first, in the caller's scope. */
    struct bn *vals = p_calloc(p, (size_t)(n->n + 1), sizeof *vals);
    struct arr **arrs = p_calloc(p, (size_t)(n->n + 1), sizeof *arrs);
    if (!vals || !arrs) return oom(bc);
    int r = 0;
    for (int i = 0; i < n->n && !r; i++) {
        if (n->list[i]->arr_arg) {
            arrs[i] = arr_copy(bc, arr_ref(bc, n->list[i]->id));
            if (!arrs[i]) r = oom(bc);
        } else {
            r = eval(bc, n->list[i], &vals[i]);
        }
    }
    if (r) return r;
    /* Push parameters and autos (dynamic scope). */
    int nslots = f->nparams + f->nautos;
    for (int i = 0; i < nslots; i++) {
        bool isarr = i < f->nparams ? f->param_arr[i] : f->auto_arr[i - f->nparams];
        int id = i < f->nparams ? f->params[i] : f->autos[i - f->nparams];
        struct slot *s = isarr ? &bc->arrays[id] : &bc->vars[id];
        if (isarr) {
            arr_ref(bc, id);
            if (s->adepth == s->acap) {
                struct arr **na = p_realloc(p, s->arrs, (size_t)(s->acap * 2) * sizeof *na);
                if (!na) return oom(bc);
                s->arrs = na;
                s->acap *= 2;
            }
            s->arrs[s->adepth++] = i < f->nparams ? arrs[i] : p_calloc(p, 1, sizeof(struct arr));
        } else {
            var_ref(bc, id);
            if (s->depth == s->cap) {
                struct bn *nv = p_realloc(p, s->vals, (size_t)(s->cap * 2) * sizeof *nv);
                if (!nv) return oom(bc);
                s->vals = nv;
                s->cap *= 2;
            }
            s->vals[s->depth++] = i < f->nparams ? vals[i] : BN_ZERO;
        }
    }
    const char *saved = bc->run_func;
    bc->run_func = f->name;
    struct frame fr = {F_NORMAL, BN_ZERO};
    bc->depth++;
    enum flow fl = exec(bc, f->body, &fr);
    bc->depth--;
    bc->run_func = saved;
    for (int i = nslots - 1; i >= 0; i--) {
        bool isarr = i < f->nparams ? f->param_arr[i] : f->auto_arr[i - f->nparams];
        int id = i < f->nparams ? f->params[i] : f->autos[i - f->nparams];
        struct slot *s = isarr ? &bc->arrays[id] : &bc->vars[id];
        if (isarr)
            arr_free(bc, s->arrs[--s->adepth]);
        else
            bn_free(p, &s->vals[--s->depth]);
    }
    p_free(p, vals);
    p_free(p, arrs);
    if (fl == F_ERROR) return RT_ERR;
    if (fl == F_HALT) return RT_HALT;
    if (fl == F_RETURN) {
        bn_free(p, out);
        *out = fr.ret;
    } else {
        r = chk(bc, bn_from_int(p, out, 0));
    }
    return r;
}

static void print_string(struct bc *bc, const char *s, bool escapes)
{
    for (; *s; s++) {
        if (escapes && *s == '\\' && s[1]) {
            s++;
            switch (*s) {
            case 'a': out_char(bc, '\a'); break;
            case 'b': out_char(bc, '\b'); break;
            case 'f': out_char(bc, '\f'); break;
            case 'n': out_char(bc, '\n'); break;
            case 'q': out_char(bc, '"'); break;
            case 'r': out_char(bc, '\r'); break;
            case 't': out_char(bc, '\t'); break;
            case '\\': out_char(bc, '\\'); break;
            default: out_char(bc, '\\'); out_char(bc, (unsigned char)*s);
            }
            continue;
        }
        out_char(bc, (unsigned char)*s);
    }
}

static enum flow flow_of(int r)
{
    return r == RT_HALT ? F_HALT : F_ERROR;
}

static enum flow exec(struct bc *bc, struct node *n, struct frame *fr)
{
    struct proc *p = bc->p;
    if (!n) return F_NORMAL;
    if (proc_check(p) < 0) {
        bc->quit = true;
        return F_ERROR;
    }
    int r;
    switch (n->kind) {
    case S_EXPR: {
        struct bn v = BN_ZERO;
        r = eval(bc, n->a, &v);
        if (r) {
            bn_free(p, &v);
            return flow_of(r);
        }
        bool is_void_call = n->a->kind == N_CALL && bc->funcs[n->a->id].is_void;
        if ((n->a->kind != N_ASSIGN || n->a->paren) && !is_void_call) {
            if (out_num(bc, &v) < 0) {
                bn_free(p, &v);
                return F_ERROR;
            }
            out_char(bc, '\n');
            bn_free(p, &bc->last);
            bc->last = v;
            return F_NORMAL;
        }
        bn_free(p, &v);
        return F_NORMAL;
    }
    case S_STR: print_string(bc, n->text, false); return F_NORMAL;
    case S_PRINT:
        for (int i = 0; i < n->n; i++) {
            if (n->list[i]->kind == S_STR) {
                print_string(bc, n->list[i]->text, true);
            } else {
                struct bn v = BN_ZERO;
                r = eval(bc, n->list[i], &v);
                if (r) return flow_of(r);
                if (out_num(bc, &v) < 0) return F_ERROR;
                bn_free(p, &bc->last);
                bc->last = v;
            }
        }
        return F_NORMAL;
    case S_IF: {
        struct bn v = BN_ZERO;
        r = eval(bc, n->a, &v);
        if (r) return flow_of(r);
        bool t = !bn_is_zero(&v);
        bn_free(p, &v);
        return exec(bc, t ? n->b : n->c, fr);
    }
    case S_WHILE:
        for (;;) {
            struct bn v = BN_ZERO;
            r = eval(bc, n->a, &v);
            if (r) return flow_of(r);
            bool t = !bn_is_zero(&v);
            bn_free(p, &v);
            if (!t) return F_NORMAL;
            enum flow f = exec(bc, n->b, fr);
            if (f == F_BREAK) return F_NORMAL;
            if (f != F_NORMAL && f != F_CONTINUE) return f;
        }
    case S_FOR: {
        struct bn v = BN_ZERO;
        if (n->a && (r = eval(bc, n->a, &v))) return flow_of(r);
        for (;;) {
            if (n->b) {
                r = eval(bc, n->b, &v);
                if (r) return flow_of(r);
                if (bn_is_zero(&v)) break;
            }
            enum flow f = exec(bc, n->d, fr);
            if (f == F_BREAK) break;
            if (f != F_NORMAL && f != F_CONTINUE) {
                bn_free(p, &v);
                return f;
            }
            if (n->c && (r = eval(bc, n->c, &v))) return flow_of(r);
        }
        bn_free(p, &v);
        return F_NORMAL;
    }
    case S_BLOCK:
        for (int i = 0; i < n->n; i++) {
            enum flow f = exec(bc, n->list[i], fr);
            if (f != F_NORMAL) return f;
        }
        return F_NORMAL;
    case S_BREAK: return F_BREAK;
    case S_CONTINUE: return F_CONTINUE;
    case S_RETURN:
        if (n->a) {
            r = eval(bc, n->a, &fr->ret);
            if (r) return flow_of(r);
        } else {
            bn_free(p, &fr->ret);
        }
        return F_RETURN;
    case S_HALT: return F_HALT;
    case S_LIMITS:
        out_str(bc, "BC_BASE_MAX     = 2147483647\n"
                    "BC_DIM_MAX      = 16777215\n"
                    "BC_SCALE_MAX    = 2147483647\n"
                    "BC_STRING_MAX   = 2147483647\n"
                    "MAX Exponent    = 9223372036854775807\n"
                    "Number of vars  = 32767\n");
        return F_NORMAL;
    case S_WARRANTY: out_str(bc, warranty_text); return F_NORMAL;
    default: return F_NORMAL;
    }
}

/* ---- top level -------------------------------------------------------------------- */

/* define NAME ( params ) { autos statements } */
static bool definition(struct bc *bc)
{
    next(bc);
    bool is_void = false;
    if (bc->tk == K_VOID) {
        is_void = true;
        next(bc);
    }
    if (bc->tk != T_NAME) return perr(bc);
    int id = func_id(bc, bc->tktext);
    if (id < 0) return oom(bc), false;
    next(bc);
    if (bc->tk != T_LP) return perr(bc);
    next(bc);
    struct func nf = {0};
    nf.is_void = is_void;
    int cap = 8;
    nf.params = p_calloc(bc->p, (size_t)cap, sizeof *nf.params);
    nf.param_arr = p_calloc(bc->p, (size_t)cap, sizeof *nf.param_arr);
    nf.autos = p_calloc(bc->p, (size_t)cap, sizeof *nf.autos);
    nf.auto_arr = p_calloc(bc->p, (size_t)cap, sizeof *nf.auto_arr);
    int acap = cap;
    if (!nf.params || !nf.param_arr || !nf.autos || !nf.auto_arr) return oom(bc), false;
    while (bc->tk != T_RP) {
        if (bc->tk != T_NAME) return perr(bc);
        char *name = bc->tktext;
        next(bc);
        bool arr = false;
        if (bc->tk == T_LB) {
            next(bc);
            if (bc->tk != T_RB) return perr(bc);
            next(bc);
            arr = true;
        }
        if (nf.nparams == cap) {
            cap *= 2;
            nf.params = p_realloc(bc->p, nf.params, (size_t)cap * sizeof *nf.params);
            nf.param_arr = p_realloc(bc->p, nf.param_arr, (size_t)cap * sizeof *nf.param_arr);
            if (!nf.params || !nf.param_arr) return oom(bc), false;
        }
        nf.param_arr[nf.nparams] = arr;
        nf.params[nf.nparams++] = arr ? arr_id(bc, name) : var_id(bc, name);
        if (bc->tk == T_COMMA) {
            next(bc);
            continue;
        }
        if (bc->tk != T_RP) return perr(bc);
    }
    next(bc);
    skip_nl(bc);
    if (bc->tk != T_LC) return perr(bc);
    next(bc);
    skip_nl(bc);
    if (bc->tk == K_AUTO) {
        next(bc);
        for (;;) {
            if (bc->tk != T_NAME) return perr(bc);
            char *name = bc->tktext;
            next(bc);
            bool arr = false;
            if (bc->tk == T_LB) {
                next(bc);
                if (bc->tk != T_RB) return perr(bc);
                next(bc);
                arr = true;
            }
            if (nf.nautos == acap) {
                acap *= 2;
                nf.autos = p_realloc(bc->p, nf.autos, (size_t)acap * sizeof *nf.autos);
                nf.auto_arr = p_realloc(bc->p, nf.auto_arr, (size_t)acap * sizeof *nf.auto_arr);
                if (!nf.autos || !nf.auto_arr) return oom(bc), false;
            }
            nf.auto_arr[nf.nautos] = arr;
            nf.autos[nf.nautos++] = arr ? arr_id(bc, name) : var_id(bc, name);
            if (bc->tk == T_COMMA) {
                next(bc);
                continue;
            }
            break;
        }
        if (bc->tk != T_NL && bc->tk != T_SEMI) return perr(bc);
    }
    bool of = bc->in_func, ol = bc->in_loop, ofr = bc->in_for;
    bc->in_func = true;
    bc->in_loop = bc->in_for = false;
    struct node *body = block_body(bc);
    bc->in_func = of;
    bc->in_loop = ol;
    bc->in_for = ofr;
    if (!body) return false;
    int pc = 0;
    layout(body, &pc);
    nf.body = body;
    nf.defined = true;
    nf.name = bc->funcs[id].name;
    bc->funcs[id] = nf;
    return true;
}

/* Run one source text. */
static void run_source(struct bc *bc, const char *src, size_t len, const char *fname, bool is_stdin)
{
    bc->src = src;
    bc->len = len;
    bc->pos = 0;
    bc->line = 1;
    bc->fname = fname;
    bc->src_is_stdin = is_stdin;
    next(bc);
    while (!bc->quit && !bc->halted) {
        if (bc->tk == T_EOF) break;
        if (bc->tk == T_NL || bc->tk == T_SEMI) {
            next(bc);
            continue;
        }
        bc->syntax_error = false;
        if (bc->tk == K_DEFINE) {
            definition(bc);
        } else {
            struct node *item = mk(bc, S_BLOCK);
            if (!item) {
                oom(bc);
                break;
            }
            for (;;) {
                struct node *s = statement(bc);
                if (!s) break;
                add_item(bc, item, s);
                if (bc->tk == T_SEMI) {
                    next(bc);
                    if (bc->tk == T_NL) break;
                    if (bc->tk == T_EOF) {
                        perr(bc);
                        break;
                    }
                    continue;
                }
                if (bc->tk != T_NL) perr(bc);
                break;
            }
            if (bc->quit) break;
            if (!bc->syntax_error) {
                int pc = 0;
                layout(item, &pc);
                bc->run_func = NULL;
                struct frame fr = {F_NORMAL, BN_ZERO};
                enum flow f = exec(bc, item, &fr);
                if (f == F_HALT) {
                    bc->halted = true;
                    break;
                }
            }
        }
        if (bc->syntax_error) {
            /* GNU's recovery: drop the rest of the line */
            while (bc->tk != T_NL && bc->tk != T_EOF) next(bc);
        }
        if (bc->quit) break;
        if (bc->tk == T_NL)
            next(bc);
        else if (bc->tk != T_EOF && !bc->syntax_error) {
            /* an item that ended at '}' followed by more on the line */
            continue;
        }
    }
    if (bc->tk == T_EOF && bc->syntax_error == false && !bc->quit && !bc->halted) {
        /* nothing */
    }
}

static char *read_all(struct proc *p, int fd, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = p_malloc(p, cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *nb = p_realloc(p, buf, cap *= 2);
            if (!nb) {
                p_free(p, buf);
                return NULL;
            }
            buf = nb;
        }
        ssize_t r = sys_read(p, fd, buf + n, cap - n - 1);
        if (r < 0) {
            p_free(p, buf);
            return NULL;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    if (buf) buf[n] = 0;
    *len = n;
    return buf;
}

static const struct opt_long longs[] = {
    {"help", OPT_NOARG, 'h'},     {"interactive", OPT_NOARG, 'i'},
    {"mathlib", OPT_NOARG, 'l'},  {"quiet", OPT_NOARG, 'q'},
    {"standard", OPT_NOARG, 's'}, {"warn", OPT_NOARG, 'w'},
    {"version", OPT_NOARG, 'v'},  {0}};
static const struct opt_spec spec = {
    .name = "bc", .shorts = "hilqswv", .longs = longs, .try_text = "", .flags = OPT_NO_HELP};

static void usage(struct proc *p, int fd)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
    sbuf_printf(&sb, usage_text, cmd_prog(p));
    if (sb.s) io_write_all(p, fd, sb.s, sb.len);
    sbuf_free(&sb);
}

int cmd_bc(struct proc *p, int argc, char **argv)
{
    bool mathlib = false, interactive = false, quiet = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'h': usage(p, 1); return 0;
        case 'v': io_write_all(p, 1, version_text, sizeof version_text - 1); return 0;
        case 'l': mathlib = true; break;
        case 'i': interactive = true; break;
        case 'q': quiet = true; break;
        case 's':
        case 'w': break;
        case OPT_EXIT: usage(p, 1); return 1;
        }
    }
    struct bc *bc = p_calloc(p, 1, sizeof *bc);
    if (!bc) {
        cmd_error(p, "Out of memory!");
        return 1;
    }
    bc->p = p;
    bc->ibase = bc->obase = 10;
    bc->line_size = 70;
    const char *ll = proc_getenv(p, "BC_LINE_LENGTH");
    if (ll) {
        bc->line_size = atoi(ll);
        if (bc->line_size < 3 && bc->line_size != 0) bc->line_size = 70;
    }
    obuf_init(&bc->out, p, 1);
    bc->interactive = interactive;
    if (interactive && !quiet)
        obuf_puts(&bc->out,
                  "bc 1.07.1\n"
                  "Copyright 1991-1994, 1997, 1998, 2000, 2004, 2006, 2008, 2012-2017 Free "
                  "Software Foundation, Inc.\n"
                  "This is free software with ABSOLUTELY NO WARRANTY.\n"
                  "For details type `warranty'. \n");
    /* the special variables hold ids below every user name */
    if (mathlib) run_source(bc, libmath, sizeof libmath - 1, "(standard_in)", false);
    struct ibuf rin;
    ibuf_init(&rin, p, 0);
    bc->rin = &rin;
    for (int i = o.ind; i < argc && !bc->quit && !bc->halted; i++) {
        int fd = sys_open(p, argv[i], O_RDONLY, 0);
        if (fd < 0) {
            obuf_flush(&bc->out);
            struct sbuf sb;
            sbuf_init(&sb, p);
            sbuf_printf(&sb, "File %s is unavailable.\n", argv[i]);
            if (sb.s) io_write_all(p, 2, sb.s, sb.len);
            sbuf_free(&sb);
            obuf_free(&bc->out);
            return 1;
        }
        size_t len;
        char *src = read_all(p, fd, &len);
        sys_close(p, fd);
        if (!src) {
            cmd_error(p, "Out of memory!");
            return 1;
        }
        run_source(bc, src, len, argv[i], false);
    }
    if (!bc->quit && !bc->halted) {
        size_t len;
        char *src = read_all(p, 0, &len);
        if (src && interactive && len && src[len - 1] != '\n') {
            /* readline hands over a last line without its newline as a line */
            char *ns = p_realloc(p, src, len + 2);
            if (ns) {
                src = ns;
                src[len++] = '\n';
                src[len] = 0;
            }
        }
        if (src) run_source(bc, src, len, "(standard_in)", true);
    }
    ibuf_free(&rin);
    return cmd_close_stdout(p, &bc->out, bc->status);
}
