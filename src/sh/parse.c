/* sh/parse.c — the shell grammar: lists, and-or lists, pipelines, simple
 * and compound commands, function definitions, case, [[ ]], and the
 * incremental API that hands the executor one complete command at a time.
 * Characters and words are lexed by lex.c; this file decides in which
 * context (command position, assignment, [[ ]], case pattern) each token is
 * read, and expands aliases in command position. */
#define SH_PARSE_INTERNAL
#include "sh/parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define CMDPOS (LX_CMD | LX_ASSIGN)

static struct sh_node *compound_list(struct sh_parser *p);
static struct sh_node *parse_andor(struct sh_parser *p);
static struct sh_node *parse_command(struct sh_parser *p);

static struct sh_node *new_node(struct sh_parser *p, enum sh_node_kind k, int line)
{
    struct sh_node *n = sh__alloc(p, sizeof *n);
    n->kind = k;
    n->line = line;
    return n;
}

static void fail_tok(struct sh_parser *p, struct sh_token *t)
{
    if (t->t == T_EOF) sh__fail(p, p->line, "syntax error: unexpected end of file");
    sh__fail_near(p, sh__tok_text(p, t));
}

static int is_word(struct sh_token *t, const char *kw)
{
    return t->t == T_WORD && sh__word_is(t->word, kw);
}

static void expect_word(struct sh_parser *p, const char *kw)
{
    struct sh_token *t = sh__peek(p, CMDPOS);
    if (!is_word(t, kw)) fail_tok(p, t);
    sh__consume(p);
}

static void skip_newlines(struct sh_parser *p, int flags)
{
    while (sh__peek(p, flags)->t == T_NEWLINE) sh__consume(p);
}

/* ---- aliases -------------------------------------------------------------- */

static int alias_eligible(const struct sh_word *w)
{
    return w && !w->assign && !(w->flags & SH_WF_QUOTED) && w->parts && !w->parts->next &&
           w->parts->kind == SH_WP_LIT && !strchr(w->text, '/');
}

/* Expands the lookahead word if it names an alias; 1 when it did (the
 * caller peeks again). */
static int try_alias(struct sh_parser *p)
{
    struct sh_token *t = &p->tok;
    const struct sh_parse_opts *o = p->opts;
    if (!o->alias || !t->valid || t->t != T_WORD || !alias_eligible(t->word)) return 0;
    if (sh__alias_active(p, t->word->text, t->start)) return 0;
    const char *v = o->alias(o->ctx, t->word->text);
    if (!v) return 0;
    size_t vn = strlen(v), start = t->start;
    p->line = t->start_line;
    sh__splice_alias(p, start, p->pos, t->word->text, v);
    p->tok.valid = 0;
    /* the first word of the expansion is checked again; a trailing blank
     * makes the word after the expansion eligible too */
    p->alias_first = 1;
    p->alias_end = start + vn;
    if (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t')) {
        p->alias_next = 1; /* kept through nested expansions, as in bash */
        p->alias_next_end = start + vn;
    }
    return 1;
}

/* Peek in command position, expanding aliases. */
static struct sh_token *peek_cmd(struct sh_parser *p)
{
    int guard = 0;
    for (;;) {
        struct sh_token *t = sh__peek(p, CMDPOS);
        if (guard++ > 10000 || !try_alias(p)) {
            p->alias_first = 0;
            return t;
        }
    }
}

/* ---- redirections --------------------------------------------------------- */

static int all_digits(const char *s)
{
    if (!*s || strlen(s) > 9) return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

/* The redirection whose operator is the lookahead token. */
static struct sh_redir *parse_redir(struct sh_parser *p)
{
    struct sh_token *t = &p->tok;
    struct sh_redir *r = sh__alloc(p, sizeof *r);
    r->op = t->rop;
    r->fd = t->fd;
    r->fd_var = t->fd_var;
    r->dup_fd = -1;
    int strip = t->rstrip, line = t->line;
    sh__consume(p);
    struct sh_token *w = sh__peek(p, 0);
    if (w->t != T_WORD) fail_tok(p, w);
    sh__consume(p);
    r->target = w->word;
    if (r->op == SH_R_HEREDOC) {
        r->heredoc = sh__alloc(p, sizeof *r->heredoc);
        r->heredoc->strip_tabs = strip;
        r->heredoc->line = line;
        sh__queue_heredoc(p, r, w->word->text);
    } else if (r->op == SH_R_DUP_IN || r->op == SH_R_DUP_OUT) {
        if (!strcmp(w->word->text, "-")) {
            if (r->fd < 0 && !r->fd_var) r->fd = r->op == SH_R_DUP_IN ? 0 : 1;
            r->op = SH_R_CLOSE;
        } else if (all_digits(w->word->text) && !(w->word->flags & SH_WF_QUOTED)) {
            r->dup_fd = atoi(w->word->text);
        }
    }
    return r;
}

static void add_redir(struct sh_redir **list, struct sh_redir *r)
{
    while (*list) list = &(*list)->next;
    *list = r;
}

static void parse_trailing_redirs(struct sh_parser *p, struct sh_node *n)
{
    while (sh__peek(p, 0)->t == T_REDIR) add_redir(&n->redirs, parse_redir(p));
}

/* ---- simple commands ------------------------------------------------------ */

static int is_decl_builtin(const struct sh_word *w)
{
    static const char *const names[] = {"declare",  "typeset", "local", "export",
                                        "readonly", "let",     "eval",  "alias"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (sh__word_is(w, names[i])) return 1;
    return 0;
}

static void add_word(struct sh_word ***tail, struct sh_word *w)
{
    **tail = w;
    *tail = &w->next;
}

static struct sh_node *parse_funcdef_body(struct sh_parser *p, struct sh_node *f);

/* Words, assignments and redirections; first is an already-read word. */
static struct sh_node *parse_simple(struct sh_parser *p, struct sh_word *first, int line)
{
    struct sh_node *n = new_node(p, SH_N_SIMPLE, line);
    struct sh_word **tail = &n->words;
    int have_cmd = 0, decl = 0;
    if (first) {
        add_word(&tail, first);
        have_cmd = !first->assign;
        decl = is_decl_builtin(first);
    }
    for (;;) {
        int flags = have_cmd ? (decl ? LX_DECL : 0) : LX_ASSIGN;
        struct sh_token *t = sh__peek(p, flags);
        if (t->t == T_WORD && (p->alias_first || p->alias_next)) {
            int after = p->alias_next && t->start >= p->alias_next_end;
            int check = (p->alias_first && t->start < p->alias_end) || after;
            if (after) p->alias_next = 0;
            p->alias_first = 0;
            if (check && try_alias(p)) continue;
        }
        if (t->t == T_REDIR) {
            add_redir(&n->redirs, parse_redir(p));
            continue;
        }
        if (t->t != T_WORD) break;
        /* after assignments the command word is still in command position */
        if (!have_cmd && n->words && !t->word->assign && try_alias(p)) continue;
        struct sh_word *w = t->word;
        sh__consume(p);
        if (have_cmd && !decl && w->assign) w->assign = NULL;
        add_word(&tail, w);
        if (!have_cmd && !w->assign) {
            have_cmd = 1;
            decl = is_decl_builtin(w);
        }
    }
    p->alias_next = p->alias_first = 0;
    return n;
}

/* ---- compound commands ---------------------------------------------------- */

static struct sh_node *parse_group(struct sh_parser *p, int line)
{
    sh__consume(p); /* { */
    struct sh_node *n = new_node(p, SH_N_GROUP, line);
    n->body = compound_list(p);
    expect_word(p, "}");
    return n;
}

static struct sh_node *parse_subshell(struct sh_parser *p, int line)
{
    sh__consume(p); /* ( */
    struct sh_node *n = new_node(p, SH_N_SUBSHELL, line);
    n->body = compound_list(p);
    struct sh_token *t = sh__peek(p, CMDPOS);
    if (t->t != T_RPAREN) fail_tok(p, t);
    sh__consume(p);
    return n;
}

static struct sh_node *parse_if(struct sh_parser *p, int line)
{
    sh__consume(p); /* if / elif */
    struct sh_node *n = new_node(p, SH_N_IF, line);
    n->cond = compound_list(p);
    expect_word(p, "then");
    n->body = compound_list(p);
    struct sh_token *t = sh__peek(p, CMDPOS);
    if (is_word(t, "elif")) {
        sh__depth_enter(p);
        n->els = parse_if(p, t->line);
        sh__depth_leave(p);
        return n; /* the innermost elif consumed the fi */
    }
    if (is_word(t, "else")) {
        sh__consume(p);
        n->els = compound_list(p);
    }
    expect_word(p, "fi");
    return n;
}

static struct sh_node *parse_while(struct sh_parser *p, int line, enum sh_node_kind k)
{
    sh__consume(p);
    struct sh_node *n = new_node(p, k, line);
    n->cond = compound_list(p);
    expect_word(p, "do");
    n->body = compound_list(p);
    expect_word(p, "done");
    return n;
}

/* do list done, or { list } (bash accepts both after for/select; the
 * braces are not a group of their own). */
static void parse_do_body(struct sh_parser *p, struct sh_node *n)
{
    struct sh_token *t = sh__peek(p, CMDPOS);
    int brace = is_word(t, "{");
    if (!brace)
        expect_word(p, "do");
    else
        sh__consume(p);
    n->body = compound_list(p);
    expect_word(p, brace ? "}" : "done");
}

/* bash drops leading blanks of each for (( )) clause; an empty one is 1 */
static struct sh_word *trim_leading_blanks(struct sh_parser *p, struct sh_word *w)
{
    const char *s = w->text;
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    if (!*s) {
        struct sh_wpart *x = sh__alloc(p, sizeof *x);
        x->kind = SH_WP_LIT;
        x->text = "1";
        x->len = 1;
        w->parts = x;
        s = "1";
    }
    if (s != w->text) w->text = sh__strndup(p, s, strlen(s));
    return w;
}

static struct sh_node *parse_arith_for(struct sh_parser *p, int line)
{
    struct sh_node *n = new_node(p, SH_N_ARITH_FOR, line);
    sh__getc(p);
    sh__getc(p); /* (( */
    for (int i = 0; i < 3; i++) {
        int which;
        n->arith[i] = trim_leading_blanks(p, sh__lex_arith_until(p, i < 2 ? ";" : ")", &which));
        if (!which) sh__fail(p, line, "unexpected EOF while looking for matching `)'");
        if (i == 2 && sh__peekc(p, 1) != ')') sh__fail(p, line, "syntax error: `)' unexpected");
        sh__getc(p);
    }
    sh__getc(p); /* second ) */
    struct sh_token *t = sh__peek(p, CMDPOS);
    if (t->t == T_SEMI) sh__consume(p);
    skip_newlines(p, CMDPOS);
    parse_do_body(p, n);
    return n;
}

static int starts_dparen(struct sh_parser *p)
{
    sh__skip_blanks(p);
    return sh__peekc(p, 0) == '(' && sh__peekc(p, 1) == '(';
}

static struct sh_node *parse_for(struct sh_parser *p, int line, enum sh_node_kind k)
{
    sh__consume(p); /* for / select */
    if (k == SH_N_FOR && starts_dparen(p)) return parse_arith_for(p, line);
    struct sh_node *n = new_node(p, k, line);
    struct sh_token *t = sh__peek(p, 0);
    if (t->t != T_WORD) fail_tok(p, t);
    n->name = t->word->text;
    sh__consume(p);
    skip_newlines(p, CMDPOS);
    t = sh__peek(p, CMDPOS);
    if (is_word(t, "in")) {
        sh__consume(p);
        n->flags |= SH_NF_FOR_IN;
        struct sh_word **tail = &n->words;
        while ((t = sh__peek(p, 0))->t == T_WORD) {
            add_word(&tail, t->word);
            sh__consume(p);
        }
        if (t->t != T_SEMI && t->t != T_NEWLINE) fail_tok(p, t);
        sh__consume(p);
    } else if (t->t == T_SEMI) {
        sh__consume(p);
    }
    skip_newlines(p, CMDPOS);
    parse_do_body(p, n);
    return n;
}

static struct sh_case_item *parse_case_item(struct sh_parser *p)
{
    struct sh_case_item *it = sh__alloc(p, sizeof *it);
    struct sh_token *t = sh__peek(p, LX_CASEPAT);
    if (t->t == T_LPAREN) {
        sh__consume(p);
        t = sh__peek(p, LX_CASEPAT);
    }
    struct sh_word **tail = &it->patterns;
    for (;;) {
        if (t->t != T_WORD) fail_tok(p, t);
        add_word(&tail, t->word);
        sh__consume(p);
        t = sh__peek(p, LX_CASEPAT);
        if (t->t == T_RPAREN) break;
        if (t->t != T_PIPE) fail_tok(p, t);
        sh__consume(p);
        t = sh__peek(p, LX_CASEPAT);
    }
    sh__consume(p); /* ) */
    skip_newlines(p, CMDPOS);
    t = sh__peek(p, CMDPOS);
    if (t->t != T_DSEMI && t->t != T_SEMI_AND && t->t != T_DSEMI_AND && !is_word(t, "esac"))
        it->body = compound_list(p);
    t = sh__peek(p, CMDPOS);
    if (t->t == T_DSEMI || t->t == T_SEMI_AND || t->t == T_DSEMI_AND) {
        it->term = t->t == T_DSEMI      ? SH_CASE_BREAK
                   : t->t == T_SEMI_AND ? SH_CASE_FALL
                                        : SH_CASE_TEST;
        sh__consume(p);
        skip_newlines(p, CMDPOS);
    } else if (!is_word(t, "esac")) {
        fail_tok(p, t);
    }
    return it;
}

static struct sh_node *parse_case(struct sh_parser *p, int line)
{
    sh__consume(p); /* case */
    struct sh_node *n = new_node(p, SH_N_CASE, line);
    struct sh_token *t = sh__peek(p, 0);
    if (t->t != T_WORD) fail_tok(p, t);
    n->words = t->word;
    sh__consume(p);
    skip_newlines(p, CMDPOS);
    expect_word(p, "in");
    skip_newlines(p, LX_CASEPAT);
    struct sh_case_item **tail = &n->items;
    for (;;) {
        t = sh__peek(p, LX_CASEPAT);
        if (is_word(t, "esac")) break;
        if (t->t == T_EOF) fail_tok(p, t);
        *tail = parse_case_item(p);
        tail = &(*tail)->next;
    }
    sh__consume(p);
    return n;
}

/* ---- [[ ]] ------------------------------------------------------------------ */

static const char *const cond_unops[] = {"-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k",
                                         "-p", "-r", "-s", "-t", "-u", "-w", "-x", "-G", "-L",
                                         "-N", "-O", "-S", "-z", "-n", "-o", "-v", "-R", NULL};
static const char *const cond_binops[] = {"==",  "=",   "!=",  "=~",  "<",   ">",   "-eq", "-ne",
                                          "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", NULL};

static int in_list(const struct sh_word *w, const char *const *l)
{
    for (; *l; l++)
        if (sh__word_is(w, *l)) return 1;
    return 0;
}

/* [[ ]] follows bash's cond_term/cond_and/cond_or: newlines are skipped
 * only before a term and after one; `<` and `>` are operator tokens; a lone
 * word means -n word; errors carry bash's wording (some have none). */

static int cond_end(struct sh_token *t)
{
    return t->t == T_WORD && sh__word_is(t->word, "]]");
}

/* Text bash shows for a token in [[ ]] errors: operators and newline only. */
static const char *cond_tok_text(struct sh_parser *p, struct sh_token *t)
{
    if (t->t == T_WORD && !cond_end(t)) return NULL;
    return sh__tok_text(p, t);
}

static struct sh_token *cond_next(struct sh_parser *p, int flags)
{
    struct sh_token *t = sh__peek(p, LX_COND | flags);
    if (t->t == T_EOF) sh__fail(p, p->cond_line, "unexpected EOF while looking for `]]'");
    return t;
}

static struct sh_token *cond_skip_newlines(struct sh_parser *p)
{
    struct sh_token *t;
    while ((t = cond_next(p, 0))->t == T_NEWLINE) sh__consume(p);
    return t;
}

static void cond_fail(struct sh_parser *p, int line, const char *with, const char *without,
                      const char *tok)
{
    if (tok) sh__fail(p, line, with, tok);
    sh__fail(p, line, "%s", without);
}

static struct sh_cond *cond_or(struct sh_parser *p);

static struct sh_cond *new_cond(struct sh_parser *p, enum sh_cond_kind k)
{
    struct sh_cond *c = sh__alloc(p, sizeof *c);
    c->kind = k;
    return c;
}

static struct sh_cond *cond_group(struct sh_parser *p, int line)
{
    sh__depth_enter(p);
    struct sh_cond *c = new_cond(p, SH_C_GROUP);
    c->left = cond_or(p);
    sh__depth_leave(p);
    struct sh_token *t = cond_next(p, 0);
    if (t->t != T_RPAREN)
        cond_fail(p, line, "unexpected token `%s', expected `)'", "expected `)'",
                  cond_tok_text(p, t));
    sh__consume(p);
    cond_skip_newlines(p);
    return c;
}

static struct sh_cond *cond_unary(struct sh_parser *p, struct sh_word *op)
{
    struct sh_token *t = cond_next(p, 0);
    if (t->t != T_WORD || cond_end(t))
        cond_fail(p, t->line, "unexpected argument `%s' to conditional unary operator",
                  "unexpected argument to conditional unary operator", sh__tok_text(p, t));
    struct sh_cond *c = new_cond(p, SH_C_UNARY);
    c->op = op->text;
    c->word = t->word;
    sh__consume(p);
    cond_skip_newlines(p);
    return c;
}

static struct sh_cond *cond_binary(struct sh_parser *p, struct sh_word *left)
{
    struct sh_token *t = cond_next(p, 0);
    struct sh_cond *c;
    if (t->t == T_AND || t->t == T_OR || t->t == T_RPAREN || cond_end(t)) {
        c = new_cond(p, SH_C_UNARY); /* [[ x ]] means [[ -n x ]] */
        c->op = "-n";
        c->word = left;
        return c;
    }
    int ok = (t->t == T_WORD && in_list(t->word, cond_binops)) || t->t == T_CONDOP;
    if (!ok)
        cond_fail(p, t->line, "unexpected token `%s', conditional binary operator expected",
                  "conditional binary operator expected", cond_tok_text(p, t));
    c = new_cond(p, SH_C_BINARY);
    c->op = t->t == T_CONDOP ? t->text : t->word->text;
    c->word = left;
    int regex = !strcmp(c->op, "=~");
    int extpat = !strcmp(c->op, "=") || !strcmp(c->op, "==") || !strcmp(c->op, "!=");
    sh__consume(p);
    t = cond_next(p, regex ? LX_REGEX : extpat ? LX_EXTPAT : 0);
    if (t->t != T_WORD || cond_end(t))
        cond_fail(p, t->line, "unexpected argument `%s' to conditional binary operator",
                  "unexpected argument to conditional binary operator", sh__tok_text(p, t));
    c->word2 = t->word;
    if (regex) c->word2->flags |= SH_WF_REGEX;
    sh__consume(p);
    cond_skip_newlines(p);
    return c;
}

static struct sh_cond *cond_term(struct sh_parser *p)
{
    struct sh_token *t;
    while ((t = sh__peek(p, LX_COND))->t == T_NEWLINE) sh__consume(p);
    if (t->t == T_EOF) sh__fail(p, p->line, "unexpected token `EOF' in conditional command");
    int line = t->line;
    if (cond_end(t)) sh__fail(p, line, "%s", "");
    if (t->t == T_LPAREN) {
        sh__consume(p);
        return cond_group(p, line);
    }
    if (is_word(t, "!")) {
        sh__consume(p);
        sh__depth_enter(p);
        struct sh_cond *c = cond_term(p);
        sh__depth_leave(p);
        c->negate ^= 1;
        return c;
    }
    if (t->t == T_WORD) {
        struct sh_word *w = t->word;
        sh__consume(p);
        if (in_list(w, cond_unops)) return cond_unary(p, w);
        return cond_binary(p, w);
    }
    sh__fail(p, line, "unexpected token `%s' in conditional command", sh__tok_text(p, t));
}

static struct sh_cond *cond_and(struct sh_parser *p)
{
    struct sh_cond *l = cond_term(p);
    while (cond_next(p, 0)->t == T_AND) {
        sh__consume(p);
        struct sh_cond *c = new_cond(p, SH_C_AND);
        c->left = l;
        c->right = cond_term(p);
        l = c;
    }
    return l;
}

static struct sh_cond *cond_or(struct sh_parser *p)
{
    struct sh_cond *l = cond_and(p);
    while (cond_next(p, 0)->t == T_OR) {
        sh__consume(p);
        struct sh_cond *c = new_cond(p, SH_C_OR);
        c->left = l;
        c->right = cond_and(p);
        l = c;
    }
    return l;
}

static struct sh_node *parse_cond(struct sh_parser *p, int line)
{
    sh__consume(p); /* [[ */
    struct sh_node *n = new_node(p, SH_N_COND, line);
    p->cond_line = line;
    n->test = cond_or(p);
    struct sh_token *t = cond_next(p, 0);
    if (!cond_end(t))
        cond_fail(p, t->line, "syntax error in conditional expression: unexpected token `%s'",
                  "syntax error in conditional expression", cond_tok_text(p, t));
    sh__consume(p);
    return n;
}

/* ---- functions and coprocesses ------------------------------------------ */

static int starts_compound(struct sh_token *t)
{
    static const char *const kw[] = {"{",      "if",   "while", "until", "for",
                                     "select", "case", "[[",    NULL};
    if (t->t == T_LPAREN || t->t == T_DPAREN) return 1;
    return t->t == T_WORD && in_list(t->word, kw);
}

static struct sh_node *parse_compound(struct sh_parser *p);

static struct sh_node *parse_funcdef_body(struct sh_parser *p, struct sh_node *f)
{
    skip_newlines(p, CMDPOS);
    struct sh_token *t = peek_cmd(p);
    if (!starts_compound(t)) fail_tok(p, t);
    f->body = parse_compound(p);
    return f;
}

/* function name [()] body */
static struct sh_node *parse_function_kw(struct sh_parser *p, int line)
{
    sh__consume(p);
    struct sh_token *t = sh__peek(p, 0);
    if (t->t != T_WORD) fail_tok(p, t);
    struct sh_node *f = new_node(p, SH_N_FUNCDEF, line);
    f->flags |= SH_NF_FUNC_KW;
    f->name = t->word->text;
    sh__consume(p);
    t = sh__peek(p, CMDPOS);
    if (t->t == T_LPAREN) {
        sh__consume(p);
        t = sh__peek(p, CMDPOS);
        if (t->t != T_RPAREN) fail_tok(p, t);
        sh__consume(p);
    }
    return parse_funcdef_body(p, f);
}

static struct sh_node *parse_coproc(struct sh_parser *p, int line)
{
    sh__consume(p);
    struct sh_node *n = new_node(p, SH_N_COPROC, line);
    struct sh_token *t = peek_cmd(p);
    if (starts_compound(t)) {
        n->body = parse_compound(p);
        return n;
    }
    if (t->t != T_WORD) fail_tok(p, t);
    struct sh_word *w = t->word;
    int wline = t->line;
    sh__consume(p);
    t = peek_cmd(p);
    if (starts_compound(t)) {
        n->name = w->text;
        n->body = parse_compound(p);
        return n;
    }
    n->body = parse_simple(p, w, wline);
    return n;
}

/* A compound command at the lookahead, with its trailing redirections. */
static struct sh_node *parse_compound(struct sh_parser *p)
{
    struct sh_token *t = &p->tok;
    int line = t->line;
    struct sh_node *n;
    sh__depth_enter(p);
    if (t->t == T_LPAREN)
        n = parse_subshell(p, line);
    else if (t->t == T_DPAREN) {
        n = new_node(p, SH_N_ARITH, line);
        n->arith[0] = t->word;
        sh__consume(p);
    } else if (is_word(t, "{"))
        n = parse_group(p, line);
    else if (is_word(t, "if"))
        n = parse_if(p, line);
    else if (is_word(t, "while"))
        n = parse_while(p, line, SH_N_WHILE);
    else if (is_word(t, "until"))
        n = parse_while(p, line, SH_N_UNTIL);
    else if (is_word(t, "for"))
        n = parse_for(p, line, SH_N_FOR);
    else if (is_word(t, "select"))
        n = parse_for(p, line, SH_N_SELECT);
    else if (is_word(t, "case"))
        n = parse_case(p, line);
    else
        n = parse_cond(p, line);
    sh__depth_leave(p);
    parse_trailing_redirs(p, n);
    return n;
}

static int is_reserved_stop(struct sh_token *t)
{
    static const char *const kw[] = {"}",    "then", "fi", "do", "done", "esac",
                                     "elif", "else", "]]", "in", NULL};
    return t->t == T_WORD && in_list(t->word, kw);
}

static struct sh_node *parse_command(struct sh_parser *p)
{
    struct sh_token *t = peek_cmd(p);
    int line = t->line;
    if (starts_compound(t)) return parse_compound(p);
    if (is_word(t, "function")) return parse_function_kw(p, line);
    if (is_word(t, "coproc")) return parse_coproc(p, line);
    if (t->t == T_REDIR) return parse_simple(p, NULL, line);
    if (t->t != T_WORD || is_reserved_stop(t)) fail_tok(p, t);
    struct sh_word *w = t->word;
    sh__consume(p);
    if (!w->assign) {
        t = sh__peek(p, 0);
        if (t->t == T_LPAREN) { /* name () body */
            sh__consume(p);
            t = sh__peek(p, 0);
            if (t->t != T_RPAREN) fail_tok(p, t);
            sh__consume(p);
            struct sh_node *f = new_node(p, SH_N_FUNCDEF, line);
            f->name = w->text;
            return parse_funcdef_body(p, f);
        }
    }
    return parse_simple(p, w, line);
}

/* ---- pipelines and lists -------------------------------------------------- */

static void pipe_stderr(struct sh_parser *p, struct sh_node *n)
{
    struct sh_redir *r = sh__alloc(p, sizeof *r);
    r->op = SH_R_DUP_OUT;
    r->fd = 2;
    r->dup_fd = 1;
    r->from_pipe = 1;
    struct sh_word *w = sh__alloc(p, sizeof *w);
    w->text = "1";
    struct sh_wpart *x = sh__alloc(p, sizeof *x);
    x->kind = SH_WP_LIT;
    x->text = "1";
    x->len = 1;
    w->parts = x;
    r->target = w;
    add_redir(&n->redirs, r);
}

static int ends_pipeline(struct sh_token *t)
{
    return t->t == T_EOF || t->t == T_NEWLINE || t->t == T_SEMI || t->t == T_AMP || t->t == T_AND ||
           t->t == T_OR || t->t == T_RPAREN || t->t == T_DSEMI || t->t == T_SEMI_AND ||
           t->t == T_DSEMI_AND || is_reserved_stop(t);
}

static struct sh_node *parse_pipeline(struct sh_parser *p)
{
    struct sh_token *t = peek_cmd(p);
    int line = t->line;
    unsigned flags = 0;
    for (;;) {
        if (is_word(t, "!")) {
            flags ^= SH_NF_BANG;
            sh__consume(p);
        } else if (is_word(t, "time") && !(flags & SH_NF_TIME)) {
            flags |= SH_NF_TIME;
            sh__consume(p);
            if (is_word(sh__peek(p, CMDPOS), "-p")) {
                flags |= SH_NF_TIME_POSIX;
                sh__consume(p);
            }
        } else {
            break;
        }
        t = peek_cmd(p);
    }
    /* bare `time`; bash rejects `( time )` but prints `( time\n)` as that */
    if ((flags & SH_NF_TIME) && ends_pipeline(t)) {
        struct sh_node *n = new_node(p, SH_N_PIPELINE, line);
        n->flags = flags;
        return n;
    }
    struct sh_node *first = parse_command(p), *last = first;
    int count = 1;
    for (;;) {
        t = sh__peek(p, 0);
        if (t->t != T_PIPE && t->t != T_PIPE_AMP) break;
        if (t->t == T_PIPE_AMP) pipe_stderr(p, last);
        sh__consume(p);
        skip_newlines(p, CMDPOS);
        last->sep = SH_SEP_PIPE;
        last->next = parse_command(p);
        last = last->next;
        count++;
    }
    if (count == 1 && !flags) return first;
    struct sh_node *n = new_node(p, SH_N_PIPELINE, line);
    n->flags = flags;
    n->kids = first;
    return n;
}

static struct sh_node *parse_andor(struct sh_parser *p)
{
    struct sh_node *first = parse_pipeline(p), *last = first;
    int count = 1;
    for (;;) {
        struct sh_token *t = sh__peek(p, 0);
        if (t->t != T_AND && t->t != T_OR) break;
        last->sep = t->t == T_AND ? SH_SEP_AND : SH_SEP_OR;
        sh__consume(p);
        skip_newlines(p, CMDPOS);
        last->next = parse_pipeline(p);
        last = last->next;
        count++;
    }
    if (count == 1) return first;
    struct sh_node *n = new_node(p, SH_N_ANDOR, first->line);
    n->kids = first;
    return n;
}

static struct sh_node *make_list(struct sh_parser *p, struct sh_node *first, struct sh_node *last)
{
    if (last->sep == SH_SEP_SEMI || last->sep == SH_SEP_NL) last->sep = SH_SEP_NONE;
    if (first == last && last->sep == SH_SEP_NONE) return first;
    struct sh_node *n = new_node(p, SH_N_LIST, first->line);
    n->kids = first;
    return n;
}

/* Can the lookahead start another command in a compound list? */
static int list_continues(struct sh_parser *p)
{
    struct sh_token *t = peek_cmd(p);
    if (t->t == T_WORD) return !is_reserved_stop(t);
    return t->t == T_LPAREN || t->t == T_DPAREN || t->t == T_REDIR;
}

/* A list inside a compound command: newlines separate commands, and it
 * ends before a reserved word, ) or ;; that cannot start a command. */
static struct sh_node *compound_list(struct sh_parser *p)
{
    skip_newlines(p, CMDPOS);
    struct sh_node *first = parse_andor(p), *last = first;
    for (;;) {
        struct sh_token *t = sh__peek(p, 0);
        enum sh_sep sep;
        if (t->t == T_SEMI)
            sep = SH_SEP_SEMI;
        else if (t->t == T_AMP)
            sep = SH_SEP_AMP;
        else if (t->t == T_NEWLINE)
            sep = SH_SEP_NL;
        else
            break;
        sh__consume(p);
        last->sep = sep;
        skip_newlines(p, CMDPOS);
        if (!list_continues(p)) break;
        last->next = parse_andor(p);
        last = last->next;
    }
    return make_list(p, first, last);
}

/* A top-level complete command: and-or lists separated by ; or &, up to a
 * newline or the end of input. */
static struct sh_node *simple_list(struct sh_parser *p)
{
    struct sh_node *first = parse_andor(p), *last = first;
    for (;;) {
        struct sh_token *t = sh__peek(p, 0);
        if (t->t != T_SEMI && t->t != T_AMP) break;
        last->sep = t->t == T_SEMI ? SH_SEP_SEMI : SH_SEP_AMP;
        sh__consume(p);
        t = peek_cmd(p);
        if (t->t == T_NEWLINE || t->t == T_EOF) break;
        last->next = parse_andor(p);
        last = last->next;
    }
    struct sh_token *t = sh__peek(p, 0);
    if (t->t != T_NEWLINE && t->t != T_EOF) fail_tok(p, t);
    return make_list(p, first, last);
}

/* Next complete command, or NULL at the end of input. The newline after
 * it is consumed, so its here-documents are read. */
static struct sh_node *complete_command(struct sh_parser *p)
{
    skip_newlines(p, CMDPOS);
    struct sh_token *t = peek_cmd(p);
    if (t->t == T_EOF) return NULL;
    struct sh_node *n = simple_list(p);
    t = sh__peek(p, 0);
    sh__consume(p);
    if (t->t == T_EOF) sh__read_heredocs(p);
    return n;
}

/* A whole input (backquote body, sh_parse_string) as one tree. */
struct sh_node *sh__parse_program(struct sh_parser *p)
{
    struct sh_node *first = NULL, *last = NULL, *n;
    while ((n = complete_command(p))) {
        struct sh_node *k = n->kind == SH_N_LIST ? n->kids : n;
        if (last) {
            if (last->sep == SH_SEP_NONE) last->sep = SH_SEP_NL;
            last->next = k;
        } else {
            first = k;
        }
        for (last = k; last->next; last = last->next) {
        }
    }
    if (!first) return NULL;
    return make_list(p, first, last);
}

/* $( ... ) and <( ... ): a compound list ended by ). */
struct sh_node *sh__parse_comsub(struct sh_parser *p, int *closed)
{
    struct sh_token saved = p->tok;
    struct sh_heredoc_pending *hh = p->hd_head, **ht = p->hd_tail;
    int start_line = p->line;
    p->tok.valid = 0;
    p->hd_head = NULL;
    p->hd_tail = &p->hd_head;
    sh__depth_enter(p);
    struct sh_node *n = NULL;
    skip_newlines(p, CMDPOS);
    struct sh_token *t = peek_cmd(p);
    if (t->t != T_RPAREN) {
        if (t->t == T_EOF) sh__fail(p, p->line, "unexpected EOF while looking for matching `)'");
        n = compound_list(p);
        t = sh__peek(p, CMDPOS);
    }
    if (t->t == T_EOF) sh__fail(p, p->line, "unexpected EOF while looking for matching `)'");
    if (t->t != T_RPAREN) fail_tok(p, t);
    sh__depth_leave(p);
    (void)start_line;
    /* a here-document whose body never came inside the $( ) is empty;
     * bash warns about it too */
    if (p->hd_head) sh__abandon_heredocs(p);
    p->hd_head = hh;
    p->hd_tail = hh ? ht : &p->hd_head;
    p->tok = saved;
    *closed = 1;
    return n;
}

/* ---- API -------------------------------------------------------------------- */

struct sh_parser *sh_parser_new(const char *src, size_t len, const struct sh_parse_opts *opts)
{
    struct sh_parser *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->arena = sh_arena_new();
    p->buf = malloc(len + 1);
    if (!p->arena || !p->buf) {
        sh_parser_free(p);
        return NULL;
    }
    /* NUL bytes are dropped, as bash does when reading a script */
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (src[i]) p->buf[n++] = src[i];
    p->buf[n] = 0;
    p->len = n;
    p->cap = len + 1;
    p->opts = opts ? opts : &p->defopts;
    p->line = p->opts->first_line > 0 ? p->opts->first_line : 1;
    p->hd_tail = &p->hd_head;
    return p;
}

void sh_parser_free(struct sh_parser *p)
{
    if (!p) return;
    sh_arena_free(p->arena);
    free(p->buf);
    for (int i = 0; i < p->nalias; i++) free(p->aliases[i].name);
    free(p->aliases);
    free(p->err);
    free(p->err_ctx);
    free(p);
}

int sh_parse_next(struct sh_parser *p, struct sh_node **out)
{
    *out = NULL;
    if (p->err) return -1;
    if (p->done) return 0;
    jmp_buf jb;
    p->jb = &jb;
    p->max_depth = p->opts->max_depth > 0 ? p->opts->max_depth : 1000;
    p->depth = 0;
    if (setjmp(jb)) {
        p->done = 1;
        if (!p->err) p->err = strdup("syntax error");
        return -1;
    }
    struct sh_node *n = complete_command(p);
    if (!n) {
        p->done = 1;
        return 0;
    }
    *out = n;
    return 1;
}

const char *sh_parser_error(const struct sh_parser *p, int *line, const char **context)
{
    if (line) *line = p->err_line;
    if (context) *context = p->err_ctx;
    return p->err;
}

/* The source text consumed so far: buf[0..*off), for set -v. */
const char *sh_parser_text(const struct sh_parser *p, size_t *off)
{
    *off = p->pos;
    return p->buf;
}

int sh_parser_line(const struct sh_parser *p)
{
    return p->line;
}

struct sh_arena *sh_parser_arena(struct sh_parser *p)
{
    return p->arena;
}

int sh_parse_string(struct sh_arena *a, const char *src, size_t len,
                    const struct sh_parse_opts *opts, struct sh_node **out, const char **err,
                    int *err_line)
{
    *out = NULL;
    struct sh_parser *p = sh_parser_new(src, len, opts);
    if (!p) return -1;
    struct sh_node *first = NULL, *last = NULL, *n;
    int rc;
    while ((rc = sh_parse_next(p, &n)) > 0) {
        struct sh_node *c = sh_node_copy(a, n);
        if (!c) {
            rc = -1;
            break;
        }
        if (last) {
            if (last->sep == SH_SEP_NONE) last->sep = SH_SEP_NL;
            last->next = c;
        } else {
            first = c;
        }
        last = c;
    }
    if (rc < 0) {
        if (err)
            *err = sh_arena_strndup(a, p->err ? p->err : "out of memory",
                                    strlen(p->err ? p->err : "out of memory"));
        if (err_line) *err_line = p->err_line;
        sh_parser_free(p);
        return -1;
    }
    sh_parser_free(p);
    if (first && first->next) {
        struct sh_node *l = sh_arena_alloc(a, sizeof *l);
        if (!l) return -1;
        l->kind = SH_N_LIST;
        l->line = first->line;
        l->kids = first;
        first = l;
    }
    *out = first;
    return 0;
}
