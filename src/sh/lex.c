/* sh/lex.c — the shell lexer: characters (line continuations, comments),
 * operator tokens, and words with their structure (quotes, $-expansions,
 * command/arithmetic/process substitutions, tildes, extglob groups,
 * assignments, compound arrays) plus here-document bodies. Words that
 * contain $( ) call back into parse.c to parse the command inside. Also the
 * parser's error and memory helpers, since every lexing step may fail.
 *
 * Failure (syntax error, nesting limit, out of memory) longjmps to the
 * sh_parse_next() that started the parse; everything allocated lives in the
 * parse's arena, so nothing leaks. */
#define SH_PARSE_INTERNAL
#include "sh/parse.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors, memory, depth --------------------------------------------- */

static char *line_text(struct sh_parser *p, int line_of_pos)
{
    (void)line_of_pos;
    size_t s = p->pos > p->len ? p->len : p->pos;
    /* The line being read: from the previous newline (not counting one
     * that was just consumed) to the next one. */
    size_t b = s;
    if (b > 0 && p->buf[b - 1] == '\n' && b == s) b--;
    while (b > 0 && p->buf[b - 1] != '\n') b--;
    size_t e = b;
    while (e < p->len && p->buf[e] != '\n') e++;
    char *t = malloc(e - b + 1);
    if (t) {
        memcpy(t, p->buf + b, e - b);
        t[e - b] = 0;
    }
    return t;
}

void sh__fail(struct sh_parser *p, int line, const char *fmt, ...)
{
    if (!p->err) {
        char buf[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        p->err = strdup(buf);
        p->err_line = line;
    }
    longjmp(*p->jb, 1);
}

void sh__fail_near(struct sh_parser *p, const char *tok)
{
    if (!p->err) {
        size_t n = strlen(tok) + 48;
        p->err = malloc(n);
        if (p->err) snprintf(p->err, n, "syntax error near unexpected token `%s'", tok);
        p->err_line = p->tok.valid ? p->tok.line : p->line;
        p->err_ctx = line_text(p, 0);
    }
    longjmp(*p->jb, 1);
}

void *sh__alloc(struct sh_parser *p, size_t n)
{
    void *m = sh_arena_alloc(p->arena, n);
    if (!m) sh__fail(p, p->line, "out of memory");
    return m;
}

char *sh__strndup(struct sh_parser *p, const char *s, size_t n)
{
    char *d = sh_arena_strndup(p->arena, s, n);
    if (!d) sh__fail(p, p->line, "out of memory");
    return d;
}

void sh__depth_enter(struct sh_parser *p)
{
    if (++p->depth > p->max_depth)
        sh__fail(p, p->line, "maximum nesting depth (%d) exceeded", p->max_depth);
}

void sh__depth_leave(struct sh_parser *p)
{
    p->depth--;
}

/* ---- string builder (arena) -------------------------------------------- */

struct sb {
    char *s;
    size_t n, cap;
};

static void sb_grow(struct sh_parser *p, struct sb *b, size_t more)
{
    if (b->n + more + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap * 2 : 32;
    while (cap < b->n + more + 1) cap *= 2;
    char *s = sh__alloc(p, cap);
    if (b->n) memcpy(s, b->s, b->n);
    b->s = s;
    b->cap = cap;
}

static void sb_putn(struct sh_parser *p, struct sb *b, const char *s, size_t n)
{
    sb_grow(p, b, n);
    if (n) memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static void sb_putc(struct sh_parser *p, struct sb *b, int c)
{
    char ch = (char)c;
    sb_putn(p, b, &ch, 1);
}

static void sb_puts(struct sh_parser *p, struct sb *b, const char *s)
{
    sb_putn(p, b, s, strlen(s));
}

static const char *sb_str(struct sh_parser *p, struct sb *b)
{
    if (!b->s) return sh__strndup(p, "", 0);
    return b->s;
}

/* ---- characters -------------------------------------------------------- */

static int rawc(struct sh_parser *p, size_t i)
{
    return i < p->len ? (unsigned char)p->buf[i] : 0;
}

static size_t skip_cont_at(struct sh_parser *p, size_t i)
{
    while (rawc(p, i) == '\\' && rawc(p, i + 1) == '\n') i += 2;
    return i;
}

/* Drops line continuations at the current position. */
static void skip_cont(struct sh_parser *p)
{
    while (rawc(p, p->pos) == '\\' && rawc(p, p->pos + 1) == '\n') {
        p->pos += 2;
        p->line++;
    }
}

/* The k-th character ahead, looking through line continuations. */
int sh__peekc(struct sh_parser *p, size_t k)
{
    size_t i = skip_cont_at(p, p->pos);
    while (k-- > 0) {
        if (i >= p->len) return 0;
        i = skip_cont_at(p, i + 1);
    }
    return rawc(p, i);
}

static int pc(struct sh_parser *p)
{
    skip_cont(p);
    return rawc(p, p->pos);
}

static int getch(struct sh_parser *p)
{
    skip_cont(p);
    int c = rawc(p, p->pos);
    if (c) {
        p->pos++;
        if (c == '\n') p->line++;
    }
    return c;
}

/* Raw read: no continuation removal (single quotes, quoted here-docs). */
static int getraw(struct sh_parser *p)
{
    int c = rawc(p, p->pos);
    if (c) {
        p->pos++;
        if (c == '\n') p->line++;
    }
    return c;
}

static int is_blank(int c)
{
    return c == ' ' || c == '\t';
}

static int is_meta(int c)
{
    return c == 0 || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' ||
           c == '(' || c == ')' || c == '<' || c == '>';
}

static int is_name_start(int c)
{
    return isalpha(c) || c == '_';
}

static int is_name_char(int c)
{
    return isalnum(c) || c == '_';
}

void sh__skip_blanks(struct sh_parser *p)
{
    while (is_blank(pc(p))) getch(p);
}

/* ---- word builder ------------------------------------------------------- */

/* Word modes: what ends a word and which characters are special. */
enum wmode {
    WM_NORMAL,   /* command words: ends at a metacharacter */
    WM_DQUOTE,   /* inside "...": ends at " */
    WM_HEREDOC,  /* here-document body: ends at end of input */
    WM_PARAM,    /* ${x OP word}: ends at } (or a stop character) */
    WM_ARITH,    /* $(( ... )): ends at )) at depth 0 */
    WM_BRACKET,  /* $[ ... ] and [subscripts]: ends at ] at depth 0 */
    WM_REGEX,    /* right side of =~ */
    WM_EXTGLOB,  /* inside @( ... ): ends at ) at depth 0 */
    WM_ARITHCMD, /* (( ... )) / for (( ; ; )): ends at stop chars */
};

struct wb {
    struct sh_wpart *head, **tail;
    struct sb text; /* canonical text */
    struct sb lit;  /* pending literal */
    int have_lit;
    unsigned wflags;
    int in_dq;     /* parts land inside double quotes (or a here-doc) */
    int ansi_bare; /* $'..' text is shown unquoted ("${x:-$'a'}" prints a) */
};

static void wb_init(struct wb *w)
{
    memset(w, 0, sizeof *w);
    w->tail = &w->head;
}

static struct sh_wpart *wb_add(struct sh_parser *p, struct wb *w, enum sh_wpart_kind k);

static void wb_flush(struct sh_parser *p, struct wb *w)
{
    if (!w->have_lit) return;
    w->have_lit = 0;
    struct sh_wpart *x = sh__alloc(p, sizeof *x);
    x->kind = SH_WP_LIT;
    x->text = sh__strndup(p, w->lit.s ? w->lit.s : "", w->lit.n);
    x->len = w->lit.n;
    *w->tail = x;
    w->tail = &x->next;
    w->lit.n = 0;
}

static struct sh_wpart *wb_add(struct sh_parser *p, struct wb *w, enum sh_wpart_kind k)
{
    wb_flush(p, w);
    struct sh_wpart *x = sh__alloc(p, sizeof *x);
    x->kind = k;
    *w->tail = x;
    w->tail = &x->next;
    return x;
}

/* Literal character c, shown as itself in the text. */
static void wb_lit(struct sh_parser *p, struct wb *w, int c)
{
    sb_putc(p, &w->lit, c);
    w->have_lit = 1;
    sb_putc(p, &w->text, c);
}

static struct sh_word *wb_word(struct sh_parser *p, struct wb *w)
{
    wb_flush(p, w);
    struct sh_word *wd = sh__alloc(p, sizeof *wd);
    wd->parts = w->head;
    wd->text = sb_str(p, &w->text);
    wd->flags = w->wflags;
    return wd;
}

/* ---- quoting helpers ---------------------------------------------------- */

/* bash's sh_single_quote: 'text' with each ' written as '\'' */
static void put_single_quoted(struct sh_parser *p, struct sb *b, const char *s, size_t n)
{
    if (n == 1 && s[0] == '\'') {
        sb_puts(p, b, "\\'");
        return;
    }
    sb_putc(p, b, '\'');
    for (size_t i = 0; i < n; i++) {
        sb_putc(p, b, s[i]);
        if (s[i] == '\'') sb_puts(p, b, "\\''");
    }
    sb_putc(p, b, '\'');
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* bash encodes \u and \U values as (extended, up to 6-byte) UTF-8 */
static void put_utf8(struct sh_parser *p, struct sb *b, unsigned long u)
{
    char t[6];
    int n = u < 0x80           ? 1
            : u < 0x800        ? 2
            : u < 0x10000      ? 3
            : u < 0x200000     ? 4
            : u < 0x4000000    ? 5
            : u < 0x80000000UL ? 6
                               : 0;
    if (n == 0) return;
    if (n == 1) {
        t[0] = (char)u;
    } else {
        static const unsigned char lead[7] = {0, 0, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc};
        for (int i = n - 1; i > 0; i--, u >>= 6) t[i] = (char)(0x80 | (u & 0x3f));
        t[0] = (char)(lead[n] | u);
    }
    sb_putn(p, b, t, (size_t)n);
}

/* Decodes one backslash escape of $'...' starting after the backslash at
 * s[*i]; appends the bytes to out. */
static void ansi_escape(struct sh_parser *p, const char *s, size_t n, size_t *i, struct sb *out)
{
    int c = (unsigned char)s[(*i)++];
    int v = 0, k;
    switch (c) {
    case 'a': sb_putc(p, out, 7); return;
    case 'b': sb_putc(p, out, 8); return;
    case 'e':
    case 'E': sb_putc(p, out, 27); return;
    case 'f': sb_putc(p, out, 12); return;
    case 'n': sb_putc(p, out, '\n'); return;
    case 'r': sb_putc(p, out, '\r'); return;
    case 't': sb_putc(p, out, '\t'); return;
    case 'v': sb_putc(p, out, 11); return;
    case '\\':
    case '\'':
    case '"':
    case '?': sb_putc(p, out, c); return;
    case 'c':
        if (*i < n) {
            int d = (unsigned char)s[(*i)++];
            if (d == '\\' && *i < n && s[*i] == '\\') (*i)++;
            sb_putc(p, out, d == '?' ? 0x7f : (toupper(d) & 0x1f));
        } else {
            sb_puts(p, out, "\\c");
        }
        return;
    case 'x':
        for (k = 0; k < 2 && *i < n && hexval((unsigned char)s[*i]) >= 0; k++)
            v = v * 16 + hexval((unsigned char)s[(*i)++]);
        if (k == 0)
            sb_puts(p, out, "\\x");
        else
            sb_putc(p, out, v);
        return;
    case 'u':
    case 'U': {
        int max = c == 'u' ? 4 : 8;
        unsigned long u = 0;
        for (k = 0; k < max && *i < n && hexval((unsigned char)s[*i]) >= 0; k++)
            u = u * 16 + (unsigned long)hexval((unsigned char)s[(*i)++]);
        if (k == 0) {
            sb_putc(p, out, '\\');
            sb_putc(p, out, c);
        } else {
            put_utf8(p, out, u);
        }
        return;
    }
    default:
        if (c >= '0' && c <= '7') {
            v = c - '0';
            for (k = 1; k < 3 && *i < n && s[*i] >= '0' && s[*i] <= '7'; k++)
                v = v * 8 + (s[(*i)++] - '0');
            sb_putc(p, out, v & 0xff);
            return;
        }
        sb_putc(p, out, '\\');
        sb_putc(p, out, c);
    }
}

/* ---- lexing words ------------------------------------------------------- */

static void lex_parts(struct sh_parser *p, struct wb *w, enum wmode m, const char *stops);
static void lex_dollar(struct sh_parser *p, struct wb *w, enum wmode m);

static void eof_matching(struct sh_parser *p, int line, const char *what)
{
    sh__fail(p, line, "unexpected EOF while looking for matching `%s'", what);
}

static void lex_squote(struct sh_parser *p, struct wb *w)
{
    int line = p->line;
    getch(p); /* ' */
    struct sb t = {0};
    for (;;) {
        int c = getraw(p);
        if (!c) eof_matching(p, line, "'");
        if (c == '\'') break;
        sb_putc(p, &t, c);
    }
    struct sh_wpart *x = wb_add(p, w, SH_WP_SQUOTE);
    x->text = sb_str(p, &t);
    x->len = t.n;
    sb_putc(p, &w->text, '\'');
    sb_putn(p, &w->text, t.s ? t.s : "", t.n);
    sb_putc(p, &w->text, '\'');
    w->wflags |= SH_WF_QUOTED;
}

/* $'...': decoded now (bash does it at parse time too); the text becomes
 * the single-quoted decoded string, as bash prints it. */
static void lex_ansi(struct sh_parser *p, struct wb *w)
{
    int line = p->line;
    getch(p);
    getch(p); /* $' */
    struct sb raw = {0};
    for (;;) {
        int c = getraw(p);
        if (!c) eof_matching(p, line, "'");
        if (c == '\'') break;
        sb_putc(p, &raw, c);
        if (c == '\\') {
            int d = getraw(p);
            if (!d) eof_matching(p, line, "'");
            sb_putc(p, &raw, d);
        }
    }
    struct sb out = {0};
    for (size_t i = 0; i < raw.n;) {
        if (raw.s[i] == '\\' && i + 1 < raw.n) {
            i++;
            ansi_escape(p, raw.s, raw.n, &i, &out);
        } else {
            sb_putc(p, &out, raw.s[i++]);
        }
    }
    size_t n = out.s ? strlen(out.s) : 0; /* a NUL ends the string, as in bash */
    struct sh_wpart *x = wb_add(p, w, SH_WP_SQUOTE);
    x->flags = SH_WPF_ANSI;
    x->text = sh__strndup(p, out.s ? out.s : "", n);
    x->len = n;
    /* bash shows the decoded text bare inside "${x-...}"; text that would
     * read back differently there keeps its $'...' form */
    if (w->ansi_bare && !strpbrk(x->text, "{}\"\\$`'")) {
        sb_putn(p, &w->text, x->text, n);
    } else if (w->ansi_bare) {
        sb_puts(p, &w->text, "$'");
        sb_putn(p, &w->text, raw.s ? raw.s : "", raw.n);
        sb_putc(p, &w->text, '\'');
    } else {
        put_single_quoted(p, &w->text, x->text, n);
    }
    w->wflags |= SH_WF_QUOTED;
}

/* "..." (or $"..." when locale) */
static void lex_dquote(struct sh_parser *p, struct wb *w, int locale)
{
    int line = p->line;
    if (locale) getch(p);
    getch(p); /* " */
    struct wb in;
    wb_init(&in);
    in.in_dq = 1;
    lex_parts(p, &in, WM_DQUOTE, NULL);
    if (pc(p) != '"') eof_matching(p, line, "\"");
    getch(p);
    struct sh_word *iw = wb_word(p, &in);
    struct sh_wpart *x = wb_add(p, w, SH_WP_DQUOTE);
    x->sub = iw->parts;
    if (locale) x->flags = SH_WPF_LOCALE;
    sb_putc(p, &w->text, '"');
    sb_puts(p, &w->text, iw->text);
    sb_putc(p, &w->text, '"');
    w->wflags |= SH_WF_QUOTED;
}

/* Backslash: outside quotes it quotes the next character; inside double
 * quotes (and here-docs) only before $ ` " \ (and " not in here-docs). */
static void lex_backslash(struct sh_parser *p, struct wb *w, enum wmode m)
{
    getch(p); /* \ ; a following newline was a continuation, already gone */
    int c = rawc(p, p->pos);
    if (!c) { /* a backslash at the very end stands for itself */
        struct sh_wpart *x = wb_add(p, w, SH_WP_ESCAPED);
        x->text = "\\";
        x->len = 1;
        sb_puts(p, &w->text, "\\\\");
        return;
    }
    if (w->in_dq) {
        int special = c == '$' || c == '`' || c == '\\' || (c == '"' && m != WM_HEREDOC) ||
                      (c == '}' && m == WM_PARAM);
        getraw(p);
        sb_putc(p, &w->text, '\\');
        if (!special) {
            sb_putc(p, &w->lit, '\\');
            w->have_lit = 1;
        }
        wb_lit(p, w, c);
        return;
    }
    getraw(p);
    struct sh_wpart *x = wb_add(p, w, SH_WP_ESCAPED);
    char ch = (char)c;
    x->text = sh__strndup(p, &ch, 1);
    x->len = 1;
    sb_putc(p, &w->text, '\\');
    sb_putc(p, &w->text, c);
    w->wflags |= SH_WF_QUOTED;
}

/* `...`: the text is unescaped (\\ \` \$, and \" inside double quotes) and
 * parsed as a script of its own. */
static void lex_backquote(struct sh_parser *p, struct wb *w)
{
    int line = p->line;
    getch(p);
    struct sb raw = {0}, body = {0};
    for (;;) {
        int c = getraw(p);
        if (!c) eof_matching(p, line, "`");
        if (c == '`') break;
        if (c != '\\') sb_putc(p, &raw, c);
        if (c == '\\') {
            int d = getraw(p);
            if (!d) eof_matching(p, line, "`");
            if (d == '\n') continue; /* a line continuation is gone from text too */
            sb_putc(p, &raw, c);
            sb_putc(p, &raw, d);
            if (d == '\\' || d == '`' || d == '$' || (d == '"' && w->in_dq)) {
                sb_putc(p, &body, d);
            } else {
                sb_putc(p, &body, '\\');
                sb_putc(p, &body, d);
            }
            continue;
        }
        sb_putc(p, &body, c);
    }
    struct sh_wpart *x = wb_add(p, w, SH_WP_CMDSUB);
    x->flags = SH_WPF_BACKQUOTE;
    x->body = sh__parse_string_sub(p, body.s ? body.s : "", body.n, line);
    sb_putc(p, &w->text, '`');
    sb_putn(p, &w->text, raw.s ? raw.s : "", raw.n);
    sb_putc(p, &w->text, '`');
}

/* $( ... ) or <( ... ) / >( ... ): parse the list inside now. */
static void lex_comsub(struct sh_parser *p, struct wb *w, enum sh_wpart_kind k, int dir)
{
    getch(p);
    getch(p); /* $( or <( */
    int closed = 0;
    struct sh_node *n = sh__parse_comsub(p, &closed);
    struct sh_wpart *x = wb_add(p, w, k);
    x->body = n;
    if (k == SH_WP_PROCSUB && dir == '<') x->flags = SH_WPF_IN;
    char *t = n ? sh__print_comsub_arena(p->arena, n) : "";
    if (!t) sh__fail(p, p->line, "out of memory");
    if (k == SH_WP_CMDSUB)
        sb_puts(p, &w->text, "$(");
    else
        sb_putc(p, &w->text, dir), sb_putc(p, &w->text, '(');
    if (t[0] == '(') sb_putc(p, &w->text, ' ');
    sb_puts(p, &w->text, t);
    sb_putc(p, &w->text, ')');
}

/* Is the $(( at the current position an arithmetic expansion? Looks for
 * the )) that closes it at paren depth 0, skipping quoted text. */
static int looks_arith(struct sh_parser *p, size_t i)
{
    int depth = 0;
    for (; i < p->len; i++) {
        int c = rawc(p, i);
        if (c == '\\') {
            i++;
        } else if (c == '\'' || c == '"' || c == '`') {
            size_t j = i + 1;
            while (j < p->len && rawc(p, j) != c) j += (rawc(p, j) == '\\' && c != '\'') ? 2 : 1;
            i = j;
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (depth == 0) return rawc(p, i + 1) == ')';
            depth--;
        }
    }
    return 1; /* runs off the end: report the missing ) as arithmetic */
}

static void lex_arith(struct sh_parser *p, struct wb *w, int bracket)
{
    int line = p->line;
    getch(p);
    getch(p);
    if (!bracket) getch(p); /* $(( or $[ */
    struct wb in;
    wb_init(&in);
    in.in_dq = 1;
    lex_parts(p, &in, bracket ? WM_BRACKET : WM_ARITH, NULL);
    if (bracket) {
        if (pc(p) != ']') eof_matching(p, line, "]");
        getch(p);
    } else {
        if (pc(p) != ')' || sh__peekc(p, 1) != ')') eof_matching(p, line, ")");
        getch(p);
        getch(p);
    }
    struct sh_word *e = wb_word(p, &in);
    struct sh_wpart *x = wb_add(p, w, SH_WP_ARITH);
    x->expr = e;
    if (bracket) x->flags = SH_WPF_BRACKET;
    sb_puts(p, &w->text, bracket ? "$[" : "$((");
    sb_puts(p, &w->text, e->text);
    sb_puts(p, &w->text, bracket ? "]" : "))");
}

static int is_special_param(int c)
{
    return c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' || c == '!' ||
           isdigit(c);
}

/* $name $1 $@ ... */
static void lex_simple_param(struct sh_parser *p, struct wb *w)
{
    getch(p); /* $ */
    struct sb name = {0};
    int c = pc(p);
    if (is_name_start(c)) {
        while (is_name_char(pc(p))) sb_putc(p, &name, getch(p));
    } else {
        sb_putc(p, &name, getch(p));
    }
    struct sh_wpart *x = wb_add(p, w, SH_WP_PARAM);
    x->param = sh__alloc(p, sizeof *x->param);
    x->param->name = sb_str(p, &name);
    sb_putc(p, &w->text, '$');
    sb_puts(p, &w->text, name.s);
}

/* Reads ${...} operand text as a word up to one of stops (at depth 0). */
static struct sh_word *param_arg_bare(struct sh_parser *p, struct wb *outer, const char *stops,
                                      int bare)
{
    struct wb in;
    wb_init(&in);
    in.in_dq = outer->in_dq;
    in.ansi_bare = bare && outer->in_dq;
    lex_parts(p, &in, WM_PARAM, stops);
    struct sh_word *a = wb_word(p, &in);
    sb_puts(p, &outer->text, a->text);
    return a;
}

static struct sh_word *param_arg(struct sh_parser *p, struct wb *outer, const char *stops)
{
    return param_arg_bare(p, outer, stops, 0);
}

/* Skips to the } that closes a bad ${...}, keeping the text. */
static void param_bad(struct sh_parser *p, struct wb *w, struct sh_param *pr, size_t t0, int line)
{
    struct sh_word *rest = param_arg(p, w, "}");
    (void)rest;
    if (pc(p) != '}') eof_matching(p, line, "}");
    getch(p);
    sb_putc(p, &w->text, '}');
    pr->flags |= SH_PARAM_BAD;
    pr->op = SH_PO_NONE;
    pr->arg = pr->arg2 = NULL;
    pr->raw = sh__strndup(p, w->text.s + t0, w->text.n - t0);
}

static void param_name(struct sh_parser *p, struct wb *w, struct sb *name)
{
    int c = pc(p);
    if (is_name_start(c)) {
        while (is_name_char(pc(p))) sb_putc(p, name, getch(p));
    } else if (isdigit(c)) {
        while (isdigit(pc(p))) sb_putc(p, name, getch(p));
    } else if (is_special_param(c)) {
        sb_putc(p, name, getch(p));
    }
    if (name->n) sb_puts(p, &w->text, name->s);
}

static struct sh_word *param_index(struct sh_parser *p, struct wb *w, int line)
{
    getch(p); /* [ */
    sb_putc(p, &w->text, '[');
    struct wb in;
    wb_init(&in);
    in.in_dq = 1;
    lex_parts(p, &in, WM_BRACKET, NULL);
    if (pc(p) != ']') eof_matching(p, line, "}");
    getch(p);
    struct sh_word *ix = wb_word(p, &in);
    sb_puts(p, &w->text, ix->text);
    sb_putc(p, &w->text, ']');
    return ix;
}

/* The operator after ${name[...]; returns 0 when there is none that fits. */
static int param_op(struct sh_parser *p, struct wb *w, struct sh_param *pr)
{
    int c = pc(p), d = sh__peekc(p, 1);
    const char *ops1 = "-=?+";
    if (c == ':' && d && strchr(ops1, d)) {
        pr->flags |= SH_PARAM_COLON;
        getch(p);
        sb_putc(p, &w->text, ':');
        c = d;
    }
    if (c && strchr(ops1, c)) {
        getch(p);
        sb_putc(p, &w->text, c);
        pr->op = c == '-'   ? SH_PO_DEFAULT
                 : c == '=' ? SH_PO_ASSIGN
                 : c == '?' ? SH_PO_ERROR
                            : SH_PO_ALT;
        pr->arg = param_arg_bare(p, w, "}", 1);
        return 1;
    }
    if (pr->flags & SH_PARAM_COLON) return 0;
    if (c == '#' || c == '%' || c == '^' || c == ',') {
        getch(p);
        sb_putc(p, &w->text, c);
        int dbl = pc(p) == c;
        if (dbl) getch(p), sb_putc(p, &w->text, c);
        static const unsigned char ops[4][2] = {{SH_PO_TRIM_SS, SH_PO_TRIM_LS},
                                                {SH_PO_TRIM_SP, SH_PO_TRIM_LP},
                                                {SH_PO_UPPER1, SH_PO_UPPER},
                                                {SH_PO_LOWER1, SH_PO_LOWER}};
        int r = c == '#' ? 0 : c == '%' ? 1 : c == '^' ? 2 : 3;
        pr->op = ops[r][dbl];
        pr->arg = param_arg(p, w, "}");
        return 1;
    }
    if (c == '/') {
        getch(p);
        sb_putc(p, &w->text, '/');
        pr->op = SH_PO_REPL;
        int e = pc(p);
        if (e == '/' || e == '#' || e == '%') {
            getch(p);
            sb_putc(p, &w->text, e);
            pr->op = e == '/' ? SH_PO_REPL_ALL : e == '#' ? SH_PO_REPL_PFX : SH_PO_REPL_SFX;
        }
        pr->arg = param_arg(p, w, "/}");
        if (pc(p) == '/') {
            getch(p);
            sb_putc(p, &w->text, '/');
            pr->arg2 = param_arg(p, w, "}");
        }
        return 1;
    }
    if (c == ':') {
        getch(p);
        sb_putc(p, &w->text, ':');
        pr->op = SH_PO_SUBSTR;
        pr->arg = param_arg(p, w, ":}");
        if (pc(p) == ':') {
            getch(p);
            sb_putc(p, &w->text, ':');
            pr->arg2 = param_arg(p, w, "}");
        }
        return pr->arg->text[0] || pr->arg2; /* ${x:} is a bad substitution */
    }
    if (c == '@' && d && strchr("QEPAaUuLKk", d) && sh__peekc(p, 2) == '}') {
        getch(p);
        getch(p);
        sb_putc(p, &w->text, '@');
        sb_putc(p, &w->text, d);
        pr->op = SH_PO_TRANSFORM;
        pr->transform = (char)d;
        return 1;
    }
    return 0;
}

/* ${...} in all its forms. Malformed ones are not syntax errors in bash
 * (they fail when expanded), so they become SH_PARAM_BAD. */
static void lex_brace_param(struct sh_parser *p, struct wb *w)
{
    int line = p->line;
    size_t t0 = w->text.n;
    getch(p);
    getch(p); /* ${ */
    sb_puts(p, &w->text, "${");
    struct sh_wpart *x = wb_add(p, w, SH_WP_PARAM);
    struct sh_param *pr = sh__alloc(p, sizeof *pr);
    x->param = pr;
    pr->flags = SH_PARAM_BRACED;
    sh__depth_enter(p);
    int c = pc(p), d = sh__peekc(p, 1);
    if (c == '#' && d != '}' && !(d == ':' || d == '-' || d == '=' || d == '?' || d == '+')) {
        getch(p);
        sb_putc(p, &w->text, '#');
        pr->op = SH_PO_LENGTH;
    } else if (c == '!' && d != '}') {
        getch(p);
        sb_putc(p, &w->text, '!');
        pr->flags |= SH_PARAM_INDIRECT;
    }
    struct sb name = {0};
    param_name(p, w, &name);
    pr->name = sb_str(p, &name);
    if (!name.n) {
        param_bad(p, w, pr, t0, line);
        goto out;
    }
    if (pc(p) == '[' && is_name_start((unsigned char)name.s[0]))
        pr->index = param_index(p, w, line);
    if ((pr->flags & SH_PARAM_INDIRECT) && !pr->index && (pc(p) == '*' || pc(p) == '@') &&
        sh__peekc(p, 1) == '}') {
        pr->op = SH_PO_PREFIX;
        pr->transform = (char)getch(p);
        pr->flags &= ~SH_PARAM_INDIRECT;
        sb_putc(p, &w->text, pr->transform);
    } else if ((pr->flags & SH_PARAM_INDIRECT) && pr->index && pc(p) == '}' &&
               (!strcmp(pr->index->text, "@") || !strcmp(pr->index->text, "*"))) {
        pr->op = SH_PO_KEYS;
        pr->flags &= ~SH_PARAM_INDIRECT;
    }
    if (pc(p) != '}') {
        if (pr->op == SH_PO_LENGTH || pr->op == SH_PO_PREFIX || pr->op == SH_PO_KEYS ||
            !param_op(p, w, pr)) {
            param_bad(p, w, pr, t0, line);
            goto out;
        }
    }
    if (pc(p) != '}') eof_matching(p, line, "}");
    getch(p);
    sb_putc(p, &w->text, '}');
    pr->raw = sh__strndup(p, w->text.s + t0, w->text.n - t0);
out:
    sh__depth_leave(p);
}

static void lex_dollar(struct sh_parser *p, struct wb *w, enum wmode m)
{
    int c = sh__peekc(p, 1);
    /* $'..' and $".." work everywhere except directly inside "..." */
    int quotes_ok = !w->in_dq || (m != WM_DQUOTE && m != WM_HEREDOC);
    if (c == '\'' && quotes_ok) {
        lex_ansi(p, w);
    } else if (c == '"' && quotes_ok) {
        lex_dquote(p, w, 1);
    } else if (c == '(' && sh__peekc(p, 2) == '(' && looks_arith(p, skip_cont_at(p, p->pos) + 3)) {
        sh__depth_enter(p);
        lex_arith(p, w, 0);
        sh__depth_leave(p);
    } else if (c == '(' && sh__peekc(p, 2) == '(') {
        /* $(( that is not arithmetic: bash keeps the source text */
        size_t t0 = w->text.n, s0 = skip_cont_at(p, p->pos);
        lex_comsub(p, w, SH_WP_CMDSUB, '$');
        w->text.n = t0;
        sb_putn(p, &w->text, p->buf + s0, p->pos - s0);
    } else if (c == '(') {
        lex_comsub(p, w, SH_WP_CMDSUB, '$');
    } else if (c == '[') {
        sh__depth_enter(p);
        lex_arith(p, w, 1);
        sh__depth_leave(p);
    } else if (c == '{') {
        lex_brace_param(p, w);
    } else if (is_name_start(c) || is_special_param(c)) {
        lex_simple_param(p, w);
    } else {
        getch(p);
        wb_lit(p, w, '$');
    }
    (void)m;
}

static int extglob_on(struct sh_parser *p, enum wmode m)
{
    return p->opts->extglob || m == WM_EXTGLOB || p->in_cond;
}

/* @( ... ) and friends: the operator and parentheses are literal text;
 * inside, blanks and | < > are part of the word. */
static void lex_extglob(struct sh_parser *p, struct wb *w)
{
    int line = p->line;
    wb_lit(p, w, getch(p));
    wb_lit(p, w, getch(p));
    sh__depth_enter(p);
    lex_parts(p, w, WM_EXTGLOB, NULL);
    sh__depth_leave(p);
    if (pc(p) != ')') eof_matching(p, line, ")");
    wb_lit(p, w, getch(p));
}

/* Does c end the word in mode m (at paren depth *depth)? Tracks nesting. */
static int word_ends(struct sh_parser *p, enum wmode m, int c, int *depth, const char *stops)
{
    switch (m) {
    case WM_NORMAL: return is_meta(c);
    case WM_DQUOTE: return c == '"' || c == 0;
    case WM_HEREDOC: return c == 0;
    case WM_PARAM: /* bash does not pair braces inside ${...} */
        return c == 0 || strchr(stops, c) != NULL;
    case WM_ARITH:
    case WM_EXTGLOB:
        if (c == 0) return 1;
        if (c == '(') (*depth)++;
        if (c == ')') {
            if (*depth == 0) return 1;
            (*depth)--;
        }
        return 0;
    case WM_BRACKET:
        if (c == 0) return 1;
        if (c == '[') (*depth)++;
        if (c == ']') {
            if (*depth == 0) return 1;
            (*depth)--;
        }
        return 0;
    case WM_ARITHCMD:
        if (c == 0) return 1;
        if (c == '(') (*depth)++;
        if (c == ')' && *depth > 0) {
            (*depth)--;
            return 0;
        }
        return *depth == 0 && strchr(stops, c) != NULL;
    case WM_REGEX:
        if (c == '(') (*depth)++;
        if (c == ')' && *depth > 0) {
            (*depth)--;
            return 0;
        }
        if (*depth > 0) return c == 0; /* bash reads (...) as a matched pair */
        return is_meta(c) && c != '|';
    }
    return 1;
}

static int tilde_ok(struct sh_parser *p, size_t *n, int assign)
{
    size_t k = 1;
    int c;
    while ((c = sh__peekc(p, k)) && (isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+'))
        k++;
    *n = k;
    return c == '/' || is_meta(c) || (assign && c == ':');
}

/* ~user prefix at the current position (start of word, or after = / : in
 * an assignment value). */
static int lex_tilde(struct sh_parser *p, struct wb *w, int assign)
{
    size_t n;
    if (pc(p) != '~' || !tilde_ok(p, &n, assign)) return 0;
    struct sb user = {0};
    getch(p);
    for (size_t i = 1; i < n; i++) sb_putc(p, &user, getch(p));
    struct sh_wpart *x = wb_add(p, w, SH_WP_TILDE);
    x->text = sb_str(p, &user);
    x->len = user.n;
    sb_putc(p, &w->text, '~');
    sb_puts(p, &w->text, x->text);
    return 1;
}

/* The main loop: parts until the mode's terminator (not consumed). */
static void lex_parts(struct sh_parser *p, struct wb *w, enum wmode m, const char *stops)
{
    int depth = 0;
    int assign_val = stops && !strcmp(stops, "=");
    if (assign_val) stops = NULL;
    for (;;) {
        int c = pc(p);
        int c1 = sh__peekc(p, 1);
        if (m != WM_DQUOTE && m != WM_HEREDOC && c && strchr("?*+@!", c) && c1 == '(' &&
            extglob_on(p, m) && m != WM_ARITH && m != WM_BRACKET && m != WM_ARITHCMD) {
            lex_extglob(p, w);
            continue;
        }
        if (m == WM_NORMAL && (c == '<' || c == '>') && c1 == '(' && w->text.n == 0) {
            sh__depth_enter(p);
            lex_comsub(p, w, SH_WP_PROCSUB, c);
            sh__depth_leave(p);
            continue;
        }
        if (m == WM_ARITH && c == ')' && depth == 0 && c1 == ')') return;
        if (word_ends(p, m, c, &depth, stops)) {
            if (m == WM_REGEX && depth > 0) eof_matching(p, p->line, ")");
            return;
        }
        if (c == '\\') {
            lex_backslash(p, w, m);
        } else if (c == '$') {
            lex_dollar(p, w, m);
        } else if (c == '`') {
            lex_backquote(p, w);
        } else if (c == '\'' && m != WM_DQUOTE && m != WM_HEREDOC) {
            lex_squote(p, w);
        } else if (c == '"' && m != WM_HEREDOC && m != WM_DQUOTE) {
            lex_dquote(p, w, 0);
        } else if (assign_val && c == ':' && !w->in_dq) {
            wb_lit(p, w, getch(p));
            lex_tilde(p, w, 1);
        } else {
            getch(p);
            wb_lit(p, w, c);
        }
    }
}

/* ---- assignments --------------------------------------------------------- */

/* Length of NAME at the current position if followed by = += or [. */
static size_t assign_name_len(struct sh_parser *p)
{
    if (!is_name_start(sh__peekc(p, 0))) return 0;
    size_t k = 1;
    while (is_name_char(sh__peekc(p, k))) k++;
    int c = sh__peekc(p, k);
    if (c == '=' || c == '[' || (c == '+' && sh__peekc(p, k + 1) == '=')) return k;
    return 0;
}

/* [subscript] at the current position, into w's text; returns the word. */
static struct sh_word *lex_subscript(struct sh_parser *p, struct wb *w)
{
    int line = p->line;
    getch(p);
    struct wb in;
    wb_init(&in);
    in.in_dq = 1;
    lex_parts(p, &in, WM_BRACKET, NULL);
    if (pc(p) != ']') eof_matching(p, line, "]");
    getch(p);
    struct sh_word *ix = wb_word(p, &in);
    sb_putc(p, &w->text, '[');
    sb_puts(p, &w->text, ix->text);
    sb_putc(p, &w->text, ']');
    return ix;
}

static void skip_comment(struct sh_parser *p)
{
    while (rawc(p, p->pos) && rawc(p, p->pos) != '\n') p->pos++;
}

static struct sh_word *lex_word_mode(struct sh_parser *p, int flags);

/* NAME=( elements ): elements are words, [k]=v ones with an index. The
 * text is normalized to single spaces, as bash prints it. */
static void lex_compound(struct sh_parser *p, struct wb *w, struct sh_assign *as)
{
    int line = p->line;
    getch(p); /* ( */
    sb_putc(p, &w->text, '(');
    struct sh_word **tail = &as->elems;
    int first = 1;
    for (;;) {
        int c = pc(p);
        if (is_blank(c) || c == '\n') {
            getch(p);
            continue;
        }
        if (c == '#') {
            skip_comment(p);
            continue;
        }
        if (c == ')') break;
        if (!c) eof_matching(p, line, ")");
        if (is_meta(c)) {
            char t[2] = {(char)c, 0};
            sh__fail_near(p, t);
        }
        struct sh_word *e = lex_word_mode(p, LX_ELEM);
        if (!first) sb_putc(p, &w->text, ' ');
        sb_puts(p, &w->text, e->text);
        first = 0;
        *tail = e;
        tail = &e->next;
    }
    getch(p);
    sb_putc(p, &w->text, ')');
    as->compound = 1;
}

/* NAME= NAME+= NAME[i]= and, for array elements (LX_ELEM), [k]=. Returns
 * NULL and consumes nothing when the word is not an assignment; else the
 * assignment, with the value's parts in w. */
static struct sh_assign *lex_assignment(struct sh_parser *p, struct wb *w, int flags,
                                        int *nonassign)
{
    int elem = flags & LX_ELEM;
    size_t save = p->pos;
    int save_line = p->line;
    size_t n = elem ? 0 : assign_name_len(p);
    if (!n && !(elem && pc(p) == '[')) return NULL;
    struct wb pre;
    wb_init(&pre);
    struct sb name = {0};
    for (size_t i = 0; i < n; i++) sb_putc(p, &name, getch(p));
    sb_puts(p, &pre.text, name.s ? name.s : "");
    struct sh_word *ix = NULL;
    if (pc(p) == '[') ix = lex_subscript(p, &pre);
    int append = 0;
    if (pc(p) == '+' && sh__peekc(p, 1) == '=') {
        getch(p);
        append = 1;
    }
    if (pc(p) != '=') {
        if (!ix) { /* NAME+ without = : an ordinary word */
            p->pos = save;
            p->line = save_line;
            return NULL;
        }
        /* NAME[...] without =: bash keeps the bracketed text in the word */
        sb_putn(p, &w->lit, name.s, name.n);
        sb_putc(p, &w->lit, '[');
        w->have_lit = 1;
        wb_flush(p, w);
        *w->tail = ix->parts;
        while (*w->tail) w->tail = &(*w->tail)->next;
        sb_putc(p, &w->lit, ']');
        w->have_lit = 1;
        sb_puts(p, &w->text, pre.text.s);
        if (append) sb_putc(p, &w->lit, '+'), sb_putc(p, &w->text, '+');
        *nonassign = 1;
        return NULL;
    }
    getch(p);
    sb_puts(p, &pre.text, append ? "+=" : "=");
    struct sh_assign *as = sh__alloc(p, sizeof *as);
    as->name = name.n ? name.s : NULL;
    as->index = ix;
    as->append = append;
    sb_puts(p, &w->text, pre.text.s);
    if (pc(p) == '(' && !elem) {
        lex_compound(p, w, as);
    } else {
        lex_tilde(p, w, 1);
        lex_parts(p, w, WM_NORMAL, "=");
    }
    w->wflags |= SH_WF_ASSIGN;
    return as;
}

/* One word in normal mode. flags: LX_ASSIGN / LX_DECL allow assignments;
 * LX_ELEM marks an element of a compound assignment. */
static struct sh_word *lex_word_mode(struct sh_parser *p, int flags)
{
    struct wb w;
    wb_init(&w);
    struct sh_assign *as = NULL;
    int nonassign = 0;
    if (flags & (LX_ASSIGN | LX_DECL | LX_ELEM)) as = lex_assignment(p, &w, flags, &nonassign);
    if (!as) {
        if (!nonassign) lex_tilde(p, &w, 0);
        lex_parts(p, &w, p->in_regex ? WM_REGEX : WM_NORMAL, NULL);
    }
    struct sh_word *wd = wb_word(p, &w);
    wd->assign = as;
    return wd;
}

/* Arithmetic text up to a stop character at depth 0 (for (( )) commands
 * and for ((;;)) clauses). *which is the stop found, 0 at end of input. */
struct sh_word *sh__lex_arith_until(struct sh_parser *p, const char *stop, int *which)
{
    struct wb in;
    wb_init(&in);
    in.in_dq = 1;
    lex_parts(p, &in, WM_ARITHCMD, stop);
    *which = pc(p);
    return wb_word(p, &in);
}

/* ---- here-documents -------------------------------------------------------- */

/* Delimiter after quote removal; *quoted when any quoting was present. */
static const char *heredoc_delim(struct sh_parser *p, const char *raw, int *quoted)
{
    struct sb d = {0};
    *quoted = 0;
    for (size_t i = 0; raw[i]; i++) {
        int c = (unsigned char)raw[i];
        if (c == '\\') {
            *quoted = 1;
            if (raw[i + 1]) sb_putc(p, &d, raw[++i]);
        } else if (c == '\'' || c == '"') {
            *quoted = 1;
            size_t j = i + 1;
            for (; raw[j] && raw[j] != c; j++) {
                if (c == '"' && raw[j] == '\\' && raw[j + 1] && strchr("$`\"\\", raw[j + 1])) j++;
                sb_putc(p, &d, raw[j]);
            }
            i = raw[j] ? j : j - 1;
        } else if (c == '$' && (raw[i + 1] == '\'' || raw[i + 1] == '"')) {
            continue;
        } else {
            sb_putc(p, &d, c);
        }
    }
    return sb_str(p, &d);
}

/* One line of the body into line (without its newline); 0 at end of input.
 * Unquoted bodies join lines ending in an unescaped backslash. */
static int heredoc_line(struct sh_parser *p, struct sb *line, int quoted, int *had_nl)
{
    line->n = 0;
    if (line->s) line->s[0] = 0;
    *had_nl = 0;
    if (p->pos >= p->len) return 0;
    for (;;) {
        int c = getraw(p);
        if (!c) return 1;
        if (c == '\n') {
            *had_nl = 1;
            return 1;
        }
        if (c == '\\' && !quoted) {
            int d = rawc(p, p->pos);
            if (d == '\n') {
                getraw(p);
                continue;
            }
            sb_putc(p, line, c);
            if (d) sb_putc(p, line, getraw(p));
            continue;
        }
        sb_putc(p, line, c);
    }
}

static struct sh_word *heredoc_parse_body(struct sh_parser *p, const char *body, size_t n,
                                          int line);

static void read_one_heredoc(struct sh_parser *p, struct sh_heredoc_pending *h)
{
    struct sh_heredoc *hd = h->r->heredoc;
    hd->delim = heredoc_delim(p, h->word, &hd->quoted);
    struct sb body = {0}, line = {0};
    int start_line = p->line, had_nl, found = 0;
    while (heredoc_line(p, &line, hd->quoted, &had_nl)) {
        const char *s = line.s ? line.s : "";
        if (hd->strip_tabs)
            while (*s == '\t') s++;
        if (!strcmp(s, hd->delim)) {
            found = 1;
            break;
        }
        sb_puts(p, &body, s);
        sb_putc(p, &body, '\n'); /* bash ends a last unterminated line too */
    }
    if (!found && p->opts->warn) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "warning: here-document at line %d delimited by end-of-file (wanted `%.200s')",
                 hd->line, hd->delim);
        p->opts->warn(p->opts->ctx, p->line, msg);
    }
    hd->body = sb_str(p, &body);
    hd->body_len = body.n;
    if (!hd->quoted) hd->word = heredoc_parse_body(p, hd->body, hd->body_len, start_line);
}

void sh__abandon_heredocs(struct sh_parser *p)
{
    int n = 0;
    for (struct sh_heredoc_pending *h = p->hd_head; h; h = h->next, n++) {
        struct sh_heredoc *hd = h->r->heredoc;
        hd->delim = heredoc_delim(p, h->word, &hd->quoted);
        hd->body = "";
        if (!hd->quoted) hd->word = heredoc_parse_body(p, "", 0, p->line);
    }
    p->hd_head = NULL;
    p->hd_tail = &p->hd_head;
    if (p->opts->warn) {
        char msg[100];
        snprintf(msg, sizeof msg, "warning: command substitution: %d unterminated here-document",
                 n);
        p->opts->warn(p->opts->ctx, p->line, msg);
    }
}

void sh__read_heredocs(struct sh_parser *p)
{
    while (p->hd_head) {
        struct sh_heredoc_pending *h = p->hd_head;
        p->hd_head = h->next;
        if (!p->hd_head) p->hd_tail = &p->hd_head;
        read_one_heredoc(p, h);
    }
}

/* ---- sub-buffers: here-doc bodies and backquotes are lexed by swapping the
 * parser's input for a while. */

struct saved_input {
    char *buf;
    size_t len, cap, pos;
    int line;
    struct sh_token tok;
    struct sh_heredoc_pending *hd_head, **hd_tail;
    struct sh_alias_active *aliases;
    int nalias, alias_cap;
};

static void input_push(struct sh_parser *p, struct saved_input *s, const char *text, size_t n,
                       int line)
{
    s->buf = p->buf;
    s->len = p->len;
    s->cap = p->cap;
    s->pos = p->pos;
    s->line = p->line;
    s->tok = p->tok;
    s->hd_head = p->hd_head;
    s->hd_tail = p->hd_tail;
    s->aliases = p->aliases;
    s->nalias = p->nalias;
    s->alias_cap = p->alias_cap;
    char *b = malloc(n + 1);
    if (!b) sh__fail(p, p->line, "out of memory");
    memcpy(b, text, n);
    b[n] = 0;
    p->buf = b;
    p->len = n;
    p->cap = n + 1;
    p->pos = 0;
    p->line = line;
    p->tok.valid = 0;
    p->hd_head = NULL;
    p->hd_tail = &p->hd_head;
    p->aliases = NULL;
    p->nalias = p->alias_cap = 0;
}

static void input_pop(struct sh_parser *p, struct saved_input *s)
{
    free(p->buf);
    for (int i = 0; i < p->nalias; i++) free(p->aliases[i].name);
    free(p->aliases);
    p->aliases = s->aliases;
    p->alias_cap = s->alias_cap;
    p->buf = s->buf;
    p->len = s->len;
    p->cap = s->cap;
    p->pos = s->pos;
    p->line = s->line;
    p->tok = s->tok;
    p->hd_head = s->hd_head;
    p->hd_tail = s->hd_tail;
    p->nalias = s->nalias;
}

static struct sh_word *heredoc_parse_body(struct sh_parser *p, const char *body, size_t n, int line)
{
    struct saved_input s;
    jmp_buf jb, *outer = p->jb;
    input_push(p, &s, body, n, line);
    if (setjmp(jb)) {
        input_pop(p, &s);
        p->jb = outer;
        longjmp(*outer, 1);
    }
    p->jb = &jb;
    struct wb w;
    wb_init(&w);
    w.in_dq = 1;
    lex_parts(p, &w, WM_HEREDOC, NULL);
    struct sh_word *wd = wb_word(p, &w);
    p->jb = outer;
    input_pop(p, &s);
    return wd;
}

struct sh_node *sh__parse_string_sub(struct sh_parser *p, const char *s, size_t n, int line)
{
    struct saved_input sv;
    jmp_buf jb, *outer = p->jb;
    input_push(p, &sv, s, n, line);
    if (setjmp(jb)) {
        input_pop(p, &sv);
        p->jb = outer;
        longjmp(*outer, 1);
    }
    p->jb = &jb;
    sh__depth_enter(p);
    struct sh_node *node = sh__parse_program(p);
    sh__depth_leave(p);
    p->jb = outer;
    input_pop(p, &sv);
    return node;
}

/* ---- tokens -------------------------------------------------------------- */

static void add_heredoc(struct sh_parser *p, struct sh_redir *r, const char *word)
{
    struct sh_heredoc_pending *h = sh__alloc(p, sizeof *h);
    h->r = r;
    h->word = word;
    *p->hd_tail = h;
    p->hd_tail = &h->next;
}

void sh__queue_heredoc(struct sh_parser *p, struct sh_redir *r, const char *word)
{
    add_heredoc(p, r, word);
}

/* Redirection operator at the current position, or 0. */
static int lex_redir_op(struct sh_parser *p, struct sh_token *t)
{
    int c = pc(p), d = sh__peekc(p, 1), e = sh__peekc(p, 2);
    int n = 0;
    t->rstrip = 0;
    if (c == '<') {
        if (d == '<' && e == '<')
            t->rop = SH_R_HERESTR, n = 3;
        else if (d == '<' && e == '-')
            t->rop = SH_R_HEREDOC, t->rstrip = 1, n = 3;
        else if (d == '<')
            t->rop = SH_R_HEREDOC, n = 2;
        else if (d == '>')
            t->rop = SH_R_RDWR, n = 2;
        else if (d == '&')
            t->rop = SH_R_DUP_IN, n = 2;
        else
            t->rop = SH_R_IN, n = 1;
    } else if (c == '>') {
        if (d == '>')
            t->rop = SH_R_APPEND, n = 2;
        else if (d == '|')
            t->rop = SH_R_CLOBBER, n = 2;
        else if (d == '&')
            t->rop = SH_R_DUP_OUT, n = 2;
        else
            t->rop = SH_R_OUT, n = 1;
    } else if (c == '&' && d == '>') {
        if (e == '>')
            t->rop = SH_R_APPEND_ERR, n = 3;
        else
            t->rop = SH_R_ERR_OUT, n = 2;
    }
    struct sb txt = {0};
    for (int i = 0; i < n; i++) sb_putc(p, &txt, getch(p));
    if (n) t->text = txt.s;
    return n;
}

/* 2> or {fd}> : a number or {name} directly followed by < or >. */
static int lex_redir_prefix(struct sh_parser *p, struct sh_token *t)
{
    size_t k = 0;
    int c = sh__peekc(p, 0);
    if (isdigit(c)) {
        while (isdigit(sh__peekc(p, k))) k++;
        c = sh__peekc(p, k);
        if ((c != '<' && c != '>') || k > 9) return 0;
        int fd = 0;
        for (size_t i = 0; i < k; i++) fd = fd * 10 + (getch(p) - '0');
        t->fd = fd;
        return 1;
    }
    if (c == '{' && is_name_start(sh__peekc(p, 1))) {
        k = 2;
        while (is_name_char(sh__peekc(p, k))) k++;
        if (sh__peekc(p, k) != '}') return 0;
        c = sh__peekc(p, k + 1);
        if (c != '<' && c != '>') return 0;
        struct sb name = {0};
        getch(p);
        for (size_t i = 1; i < k; i++) sb_putc(p, &name, getch(p));
        getch(p);
        t->fd_var = name.s;
        return 1;
    }
    return 0;
}

static int op_token(struct sh_parser *p, struct sh_token *t)
{
    int c = pc(p), d = sh__peekc(p, 1), e = sh__peekc(p, 2);
    static const struct {
        const char *s;
        enum sh_tok t;
    } ops[] = {{";;&", T_DSEMI_AND}, {";;", T_DSEMI}, {";&", T_SEMI_AND}, {";", T_SEMI},
               {"&&", T_AND},        {"&", T_AMP},    {"||", T_OR},       {"|&", T_PIPE_AMP},
               {"|", T_PIPE},        {"(", T_LPAREN}, {")", T_RPAREN}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const char *s = ops[i].s;
        size_t n = strlen(s);
        if (s[0] != c || (n > 1 && s[1] != d) || (n > 2 && s[2] != e)) continue;
        for (size_t j = 0; j < n; j++) getch(p);
        t->t = ops[i].t;
        t->text = s;
        return 1;
    }
    return 0;
}

/* (( at command position: an arithmetic command if a matching )) closes it
 * at depth 0, else a subshell inside a subshell. */
static int lex_dparen(struct sh_parser *p, struct sh_token *t)
{
    size_t save = p->pos;
    int save_line = p->line;
    getch(p);
    getch(p);
    int which;
    struct sh_word *e = sh__lex_arith_until(p, ")", &which);
    if (which == ')' && sh__peekc(p, 1) == ')') {
        getch(p);
        getch(p);
        t->t = T_DPAREN;
        t->word = e;
        t->text = "((";
        return 1;
    }
    if (!which) eof_matching(p, save_line, ")");
    p->pos = save;
    p->line = save_line;
    return 0;
}

static void lex_token_in(struct sh_parser *p, struct sh_token *t, int flags)
{
    memset(t, 0, sizeof *t);
    t->fd = -1;
    sh__skip_blanks(p);
    if (pc(p) == '#') skip_comment(p);
    t->start = p->pos;
    t->start_line = p->line;
    t->line = p->line;
    t->flags = flags;
    int c = pc(p);
    if (!c) {
        t->t = T_EOF;
        t->text = "end of file";
        return;
    }
    if (c == '\n') {
        getch(p);
        t->t = T_NEWLINE;
        t->text = "newline";
        sh__read_heredocs(p);
        return;
    }
    if ((c == '<' || c == '>') && sh__peekc(p, 1) == '(' && !(flags & LX_COND)) {
        t->t = T_WORD;
        t->word = lex_word_mode(p, 0);
        return;
    }
    if (c == '(' && sh__peekc(p, 1) == '(' && (flags & LX_CMD) && lex_dparen(p, t)) return;
    if (!(flags & LX_COND) && (lex_redir_prefix(p, t) || lex_redir_op(p, t))) {
        if (!t->text) lex_redir_op(p, t);
        t->t = T_REDIR;
        return;
    }
    if (!((flags & LX_REGEX) && (c == '(' || c == '|')) && op_token(p, t)) return;
    if ((flags & LX_COND) && (c == '<' || c == '>')) {
        t->t = T_CONDOP;
        t->text = getch(p) == '<' ? "<" : ">";
        return;
    }
    t->t = T_WORD;
    t->word = lex_word_mode(p, flags);
    t->text = t->word->text;
}

static void lex_token(struct sh_parser *p, struct sh_token *t, int flags)
{
    int oc = p->in_cond, orx = p->in_regex;
    p->in_cond = !!(flags & LX_EXTPAT);
    p->in_regex = !!(flags & LX_REGEX);
    lex_token_in(p, t, flags);
    p->in_cond = oc;
    p->in_regex = orx;
}

int sh__getc(struct sh_parser *p)
{
    return getch(p);
}

/* Lookahead: the next token, lexed in context flags. A token lexed earlier
 * in another context is lexed again from its start. */
struct sh_token *sh__peek(struct sh_parser *p, int flags)
{
    if (p->tok.valid && p->tok.flags != flags && p->tok.t != T_NEWLINE && p->tok.t != T_EOF) {
        p->pos = p->tok.start;
        p->line = p->tok.start_line;
        p->tok.valid = 0;
    }
    if (!p->tok.valid) {
        struct sh_token t; /* built apart: $( ) inside re-enters the parser */
        lex_token(p, &t, flags);
        p->tok = t;
        p->tok.valid = 1;
    }
    return &p->tok;
}

void sh__consume(struct sh_parser *p)
{
    p->tok.valid = 0;
}

const char *sh__tok_text(struct sh_parser *p, struct sh_token *t)
{
    (void)p;
    return t->text ? t->text : "";
}

int sh__word_is(const struct sh_word *w, const char *s)
{
    return w && !w->assign && !strcmp(w->text, s);
}

/* ---- aliases --------------------------------------------------------------- */

/* Replaces buf[start,end) with value; the alias stays "active" (not
 * expanded again) until the input position passes the replacement. */
int sh__splice_alias(struct sh_parser *p, size_t start, size_t end, const char *name,
                     const char *value)
{
    size_t vn = strlen(value), old = end - start;
    size_t nlen = p->len - old + vn;
    if (nlen + 1 > p->cap) {
        size_t cap = (nlen + 1) * 2;
        char *b = realloc(p->buf, cap);
        if (!b) sh__fail(p, p->line, "out of memory");
        p->buf = b;
        p->cap = cap;
    }
    memmove(p->buf + start + vn, p->buf + end, p->len - end + 1);
    memcpy(p->buf + start, value, vn);
    p->len = nlen;
    for (int i = 0; i < p->nalias; i++)
        if (p->aliases[i].end >= end) p->aliases[i].end = p->aliases[i].end - old + vn;
    if (p->alias_next && p->alias_next_end >= end) p->alias_next_end = p->alias_next_end - old + vn;
    if (p->nalias == p->alias_cap) {
        int cap = p->alias_cap ? p->alias_cap * 2 : 8;
        void *a = realloc(p->aliases, (size_t)cap * sizeof *p->aliases);
        if (!a) sh__fail(p, p->line, "out of memory");
        p->aliases = a;
        p->alias_cap = cap;
    }
    p->aliases[p->nalias].name = strdup(name);
    if (!p->aliases[p->nalias].name) sh__fail(p, p->line, "out of memory");
    p->aliases[p->nalias].end = start + vn;
    p->nalias++;
    p->pos = start;
    return 0;
}

/* Is alias name being expanded at position pos (its text not yet passed)? */
int sh__alias_active(struct sh_parser *p, const char *name, size_t pos)
{
    int j = 0, found = 0;
    for (int i = 0; i < p->nalias; i++) {
        if (p->aliases[i].end <= pos) { /* passed: forget it */
            free(p->aliases[i].name);
            continue;
        }
        if (!strcmp(p->aliases[i].name, name)) found = 1;
        p->aliases[j++] = p->aliases[i];
    }
    p->nalias = j;
    return found;
}
