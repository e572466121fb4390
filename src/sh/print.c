/* sh/print.c — turns a syntax tree back into shell text exactly as bash 5.2
 * does for `declare -f`, `type` and the canonical form of $( ) contents:
 * 4-space indentation, `;` before newlines inside functions, `then`/`do`
 * placement, here-document bodies after the line that opens them. The
 * layout rules follow bash's printer state machine (indentation, "skip the
 * next indent", deferred here-documents, last-printed-character checks), so
 * odd corners come out byte for byte the same. */
#define SH_PARSE_INTERNAL
#include "sh/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pr {
    char *s;
    size_t n, cap;
    int oom;
    int indent;
    int skip;                         /* skip the indentation of the next command */
    int was_heredoc;                  /* a here-doc body was just printed */
    int in_func;                      /* printing inside a function definition */
    int in_conn;                      /* printing inside a connection (list/pipeline) */
    int comsub;                       /* printing $( ) contents: newlines stay newlines */
    const struct sh_redir **deferred; /* here-docs to print after the connector */
    size_t ndeferred, capdeferred;
};

static void out_n(struct pr *p, const char *s, size_t n)
{
    if (p->oom) return;
    if (p->n + n + 1 > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        while (cap < p->n + n + 1) cap *= 2;
        char *t = realloc(p->s, cap);
        if (!t) {
            p->oom = 1;
            return;
        }
        p->s = t;
        p->cap = cap;
    }
    memcpy(p->s + p->n, s, n);
    p->n += n;
    p->s[p->n] = 0;
}

static void out(struct pr *p, const char *s)
{
    out_n(p, s, strlen(s));
}

static void out_fd(struct pr *p, int fd)
{
    char b[16];
    snprintf(b, sizeof b, "%d", fd);
    out(p, b);
}

static void do_indent(struct pr *p, int n)
{
    for (; n > 0; n--) out_n(p, " ", 1);
}

static void newline(struct pr *p, const char *s)
{
    out(p, "\n");
    do_indent(p, p->indent);
    out(p, s);
}

/* A ";" unless the text already ends in & or a newline. */
static void semicolon(struct pr *p)
{
    if (p->n > 0 && (p->s[p->n - 1] == '&' || p->s[p->n - 1] == '\n')) return;
    out(p, ";");
}

static void make(struct pr *p, const struct sh_node *n);

/* ---- words and redirections --------------------------------------------- */

static void words(struct pr *p, const struct sh_word *w, const char *sep)
{
    for (; w; w = w->next) {
        out(p, w->text);
        if (w->next) out(p, sep);
    }
}

static void single_quote(struct pr *p, const char *s)
{
    if (s[0] == '\'' && !s[1]) {
        out(p, "\\'");
        return;
    }
    out(p, "'");
    for (; *s; s++) {
        out_n(p, s, 1);
        if (*s == '\'') out(p, "\\''");
    }
    out(p, "'");
}

static void redir_source(struct pr *p, const struct sh_redir *r, int deflt)
{
    if (r->fd_var) {
        out(p, "{");
        out(p, r->fd_var);
        out(p, "}");
    } else if ((r->fd < 0 ? deflt : r->fd) != deflt) {
        out_fd(p, r->fd);
    }
}

static void heredoc_header(struct pr *p, const struct sh_redir *r)
{
    redir_source(p, r, 0);
    out(p, r->heredoc->strip_tabs ? "<<-" : "<<");
    if (r->heredoc->quoted)
        single_quote(p, r->heredoc->delim ? r->heredoc->delim : "");
    else
        out(p, r->heredoc->delim ? r->heredoc->delim : "");
}

static void heredoc_bodies(struct pr *p, const struct sh_redir **list, size_t n)
{
    out(p, "\n");
    for (size_t i = 0; i < n; i++) {
        const struct sh_heredoc *h = list[i]->heredoc;
        out_n(p, h->body ? h->body : "", h->body ? h->body_len : 0);
        out(p, h->delim ? h->delim : "");
        out(p, "\n");
    }
    p->was_heredoc = 1;
}

static void redirection(struct pr *p, const struct sh_redir *r)
{
    const char *t = r->target ? r->target->text : "";
    switch (r->op) {
    case SH_R_IN: redir_source(p, r, 0), out(p, "< "), out(p, t); break;
    case SH_R_OUT: redir_source(p, r, 1), out(p, "> "), out(p, t); break;
    case SH_R_APPEND: redir_source(p, r, 1), out(p, ">> "), out(p, t); break;
    case SH_R_CLOBBER: redir_source(p, r, 1), out(p, ">| "), out(p, t); break;
    case SH_R_RDWR:
        /* bash shows the fd unless it is 1, so `1<> f` comes out as `<> f`
         * (fd 0 when read back); we always show it */
        if (r->fd_var)
            redir_source(p, r, -2);
        else
            out_fd(p, r->fd < 0 ? 0 : r->fd);
        out(p, "<> "), out(p, t);
        break;
    case SH_R_HERESTR: redir_source(p, r, 0), out(p, "<<< "), out(p, t); break;
    case SH_R_ERR_OUT: out(p, "&> "), out(p, t); break;
    case SH_R_APPEND_ERR: out(p, "&>> "), out(p, t); break;
    case SH_R_HEREDOC: heredoc_header(p, r); break;
    case SH_R_CLOSE: /* the parser filled in the default fd */
        if (r->fd_var)
            redir_source(p, r, -2);
        else
            out_fd(p, r->fd);
        out(p, ">&-");
        break;
    case SH_R_DUP_IN:
    case SH_R_DUP_OUT: {
        int deflt = r->op == SH_R_DUP_IN ? 0 : 1;
        int fd = r->fd < 0 ? deflt : r->fd;
        if (r->fd_var)
            redir_source(p, r, -2);
        else if (r->dup_fd >= 0 || fd != deflt)
            out_fd(p, fd);
        out(p, r->op == SH_R_DUP_IN ? "<&" : ">&");
        out(p, t);
        break;
    }
    }
}

static void defer(struct pr *p, const struct sh_redir *r)
{
    if (p->ndeferred == p->capdeferred) {
        size_t cap = p->capdeferred ? p->capdeferred * 2 : 4;
        const struct sh_redir **d = realloc(p->deferred, cap * sizeof *d);
        if (!d) {
            p->oom = 1;
            return;
        }
        p->deferred = d;
        p->capdeferred = cap;
    }
    p->deferred[p->ndeferred++] = r;
}

static void redirection_list(struct pr *p, const struct sh_redir *r)
{
    const struct sh_redir *hd[64];
    size_t nhd = 0;
    p->was_heredoc = 0;
    for (; r; r = r->next) {
        if (r->op == SH_R_HEREDOC && r->heredoc) {
            heredoc_header(p, r);
            if (nhd < 64) hd[nhd++] = r;
        } else {
            redirection(p, r);
        }
        if (r->next) out(p, " ");
    }
    if (nhd && p->in_conn) {
        p->ndeferred = 0;
        for (size_t i = 0; i < nhd; i++) defer(p, hd[i]);
    } else if (nhd) {
        heredoc_bodies(p, hd, nhd);
    }
}

/* Prints the connector text, then any deferred here-doc bodies. */
static void print_deferred(struct pr *p, const char *cstring)
{
    int show = cstring[0] && (cstring[0] != ';' || cstring[1]);
    if (show) out(p, cstring);
    if (p->ndeferred) {
        heredoc_bodies(p, p->deferred, p->ndeferred);
        if (show) out(p, " ");
        p->was_heredoc = 1;
    }
    p->ndeferred = 0;
}

static void flush_deferred(struct pr *p)
{
    if (p->ndeferred) print_deferred(p, "");
}

/* ---- connections: lists, and-or lists, pipelines ------------------------ */

static void connector(struct pr *p, enum sh_sep sep, int has_second)
{
    switch (sep) {
    case SH_SEP_AMP:
    case SH_SEP_PIPE:
        print_deferred(p, sep == SH_SEP_AMP ? " &" : " |");
        if (sep != SH_SEP_AMP || has_second) {
            out(p, " ");
            p->skip++;
        }
        break;
    case SH_SEP_AND:
    case SH_SEP_OR:
        print_deferred(p, sep == SH_SEP_AND ? " && " : " || ");
        if (has_second) p->skip++;
        break;
    default: { /* ; or newline */
        char c = sep == SH_SEP_NL ? '\n' : ';';
        char s[2] = {p->comsub ? c : ';', 0};
        int was_newline = !p->ndeferred && !p->was_heredoc && c == '\n';
        if (!p->ndeferred) {
            if (!p->was_heredoc)
                out(p, s);
            else
                p->was_heredoc = 0;
        } else {
            print_deferred(p, p->in_func ? "" : ";");
        }
        if (p->in_func) {
            out(p, "\n");
        } else if (p->comsub && c == '\n' && !was_newline) {
            out(p, "\n"); /* keep newlines in $( ) without doubling them */
        } else {
            if (c == ';') out(p, " ");
            if (has_second) p->skip++;
        }
    }
    }
}

static void connection(struct pr *p, const struct sh_node *kids)
{
    p->in_conn++;
    p->skip++;
    make(p, kids);
    for (const struct sh_node *k = kids; k; k = k->next) {
        if (!k->next && k->sep != SH_SEP_AMP) break;
        connector(p, k->sep == SH_SEP_NONE ? SH_SEP_SEMI : k->sep, k->next != NULL);
        make(p, k->next);
        flush_deferred(p);
    }
    p->in_conn--;
}

/* ---- compound commands --------------------------------------------------- */

static void body_block(struct pr *p, const struct sh_node *body)
{
    p->indent += 4;
    make(p, body);
    flush_deferred(p);
    semicolon(p);
    p->indent -= 4;
    newline(p, "done");
}

static void print_for(struct pr *p, const struct sh_node *n)
{
    out(p, n->kind == SH_N_SELECT ? "select " : "for ");
    out(p, n->name);
    out(p, " in ");
    if (n->flags & SH_NF_FOR_IN)
        words(p, n->words, " ");
    else
        out(p, "\"$@\"");
    out(p, ";");
    newline(p, "do\n");
    body_block(p, n->body);
}

static void print_arith_for(struct pr *p, const struct sh_node *n)
{
    out(p, "for ((");
    for (int i = 0; i < 3; i++) {
        if (n->arith[i]) out(p, n->arith[i]->text);
        if (i < 2) out(p, "; ");
    }
    out(p, "))");
    newline(p, "do\n");
    body_block(p, n->body);
}

static void print_group(struct pr *p, const struct sh_node *n)
{
    out(p, "{ ");
    if (!p->in_func) {
        p->skip++;
    } else {
        out(p, "\n");
        p->indent += 4;
    }
    make(p, n->body);
    flush_deferred(p);
    if (p->in_func) {
        out(p, "\n");
        p->indent -= 4;
        do_indent(p, p->indent);
    } else {
        semicolon(p);
        out(p, " ");
    }
    out(p, "}");
}

static void print_case(struct pr *p, const struct sh_node *n)
{
    out(p, "case ");
    out(p, n->words ? n->words->text : "");
    out(p, " in ");
    p->indent += 4;
    for (const struct sh_case_item *it = n->items; it; it = it->next) {
        newline(p, "");
        /* bash omits the optional ( even before a pattern `esac`, which
         * then reads back as the end of the case; keep it there */
        if (it->patterns && !strcmp(it->patterns->text, "esac")) out(p, "(");
        words(p, it->patterns, " | ");
        out(p, ")\n");
        p->indent += 4;
        make(p, it->body);
        p->indent -= 4;
        flush_deferred(p);
        newline(p, it->term == SH_CASE_FALL ? ";&" : it->term == SH_CASE_TEST ? ";;&" : ";;");
    }
    p->indent -= 4;
    newline(p, "esac");
}

static void print_while(struct pr *p, const struct sh_node *n)
{
    out(p, n->kind == SH_N_WHILE ? "while " : "until ");
    p->skip++;
    make(p, n->cond);
    flush_deferred(p);
    semicolon(p);
    out(p, " do\n");
    p->indent += 4;
    make(p, n->body);
    flush_deferred(p);
    p->indent -= 4;
    semicolon(p);
    newline(p, "done");
}

static void print_if(struct pr *p, const struct sh_node *n)
{
    out(p, "if ");
    p->skip++;
    make(p, n->cond);
    semicolon(p);
    out(p, " then\n");
    p->indent += 4;
    make(p, n->body);
    flush_deferred(p);
    p->indent -= 4;
    if (n->els) {
        semicolon(p);
        newline(p, "else\n");
        p->indent += 4;
        make(p, n->els);
        flush_deferred(p);
        p->indent -= 4;
    }
    semicolon(p);
    newline(p, "fi");
}

static void cond_node(struct pr *p, const struct sh_cond *c)
{
    if (!c) return;
    if (c->negate) out(p, "! ");
    switch (c->kind) {
    case SH_C_GROUP:
        out(p, "( ");
        cond_node(p, c->left);
        out(p, " )");
        break;
    case SH_C_AND:
    case SH_C_OR:
        cond_node(p, c->left);
        out(p, c->kind == SH_C_AND ? " && " : " || ");
        cond_node(p, c->right);
        break;
    case SH_C_UNARY:
        out(p, c->op);
        out(p, " ");
        out(p, c->word->text);
        break;
    case SH_C_BINARY:
        out(p, c->word->text);
        out(p, " ");
        out(p, c->op);
        out(p, " ");
        out(p, c->word2->text);
        break;
    }
}

/* Function body: a group's contents are printed without its braces, its
 * redirections after the closing brace. */
static void function_body(struct pr *p, const struct sh_node *body, int old_indent)
{
    const struct sh_redir *fr = NULL;
    p->in_func++;
    if (body && body->kind == SH_N_GROUP) {
        fr = body->redirs;
        make(p, body->body);
    } else {
        make(p, body);
    }
    flush_deferred(p);
    p->indent = old_indent;
    p->in_func--;
    if (fr) {
        newline(p, "} ");
        redirection_list(p, fr);
    } else {
        newline(p, "}");
        p->was_heredoc = 0;
    }
}

static void print_funcdef(struct pr *p, const struct sh_node *n)
{
    out(p, "function ");
    out(p, n->name);
    out(p, " () \n");
    do_indent(p, p->indent);
    out(p, "{ \n");
    int old = p->indent;
    p->indent += 4;
    function_body(p, n->body, old);
}

static int is_reserved(const char *s);

/* Words, then redirections, as bash prints them. A reserved word can only
 * be a command name after a leading redirection (`< f {`); bash would print
 * `{ < f`, which reads back differently, so there the redirections stay in
 * front. */
static void print_simple(struct pr *p, const struct sh_node *n)
{
    if (n->words && n->redirs && is_reserved(n->words->text)) {
        redirection_list(p, n->redirs);
        out(p, " ");
        words(p, n->words, " ");
        return;
    }
    words(p, n->words, " ");
    if (n->redirs) {
        if (n->words) out(p, " ");
        redirection_list(p, n->redirs);
    }
}

static void make_kind(struct pr *p, const struct sh_node *n)
{
    switch (n->kind) {
    case SH_N_SIMPLE: print_simple(p, n); break;
    case SH_N_PIPELINE:
    case SH_N_ANDOR:
    case SH_N_LIST:
        if (n->kids && (n->kids->next || n->kids->sep == SH_SEP_AMP))
            connection(p, n->kids);
        else if (n->kids)
            p->skip++, make(p, n->kids);
        break;
    case SH_N_SUBSHELL:
        out(p, "( ");
        p->skip++;
        make(p, n->body);
        flush_deferred(p);
        out(p, " )");
        break;
    case SH_N_GROUP: print_group(p, n); break;
    case SH_N_IF: print_if(p, n); break;
    case SH_N_WHILE:
    case SH_N_UNTIL: print_while(p, n); break;
    case SH_N_FOR:
    case SH_N_SELECT: print_for(p, n); break;
    case SH_N_ARITH_FOR: print_arith_for(p, n); break;
    case SH_N_CASE: print_case(p, n); break;
    case SH_N_FUNCDEF: print_funcdef(p, n); break;
    case SH_N_COND:
        out(p, "[[ ");
        cond_node(p, n->test);
        out(p, " ]]");
        break;
    case SH_N_ARITH:
        out(p, "((");
        out(p, n->arith[0] ? n->arith[0]->text : "");
        out(p, "))");
        break;
    case SH_N_COPROC:
        out(p, "coproc ");
        out(p, n->name ? n->name : "COPROC");
        out(p, " ");
        p->skip++;
        make(p, n->body);
        break;
    }
}

static void make(struct pr *p, const struct sh_node *n)
{
    if (!n) return;
    if (p->skip)
        p->skip--;
    else
        do_indent(p, p->indent);
    if (n->kind == SH_N_PIPELINE && (n->flags & SH_NF_TIME))
        out(p, (n->flags & SH_NF_TIME_POSIX) ? "time -p " : "time ");
    if (n->kind == SH_N_PIPELINE && (n->flags & SH_NF_BANG)) out(p, "! ");
    make_kind(p, n);
    if (n->redirs && n->kind != SH_N_SIMPLE) {
        out(p, " ");
        redirection_list(p, n->redirs);
    }
}

/* ---- entry points ------------------------------------------------------------ */

static char *finish(struct pr *p)
{
    free(p->deferred);
    if (p->oom) {
        free(p->s);
        return NULL;
    }
    if (!p->s) return strdup("");
    return p->s;
}

static int is_reserved(const char *s)
{
    static const char *const kw[] = {"if",   "then", "elif",     "else",   "fi",    "case",
                                     "esac", "for",  "select",   "while",  "until", "do",
                                     "done", "in",   "function", "time",   "{",     "}",
                                     "!",    "[[",   "]]",       "coproc", NULL};
    for (size_t i = 0; kw[i]; i++)
        if (!strcmp(kw[i], s)) return 1;
    return 0;
}

char *sh_print_function(const char *name, const struct sh_node *n)
{
    struct pr p = {0};
    const struct sh_node *body = n && n->kind == SH_N_FUNCDEF ? n->body : n;
    if (!name && n && n->kind == SH_N_FUNCDEF) name = n->name;
    if (name && *name) {
        if (is_reserved(name)) out(&p, "function ");
        out(&p, name);
        out(&p, " ");
    }
    out(&p, "() \n");
    p.indent = 4;
    out(&p, "{ \n");
    function_body(&p, body, 0);
    return finish(&p);
}

char *sh_print_command(const struct sh_node *n)
{
    struct pr p = {0};
    make(&p, n);
    flush_deferred(&p);
    return finish(&p);
}

char *sh_print_comsub(const struct sh_node *n)
{
    struct pr p = {0};
    p.comsub = 1;
    make(&p, n);
    return finish(&p);
}

char *sh__print_comsub_arena(struct sh_arena *a, const struct sh_node *n)
{
    char *s = sh_print_comsub(n);
    if (!s) return NULL;
    char *d = sh_arena_strndup(a, s, strlen(s));
    free(s);
    return d;
}
