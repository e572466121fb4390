/* sh/parse.h — the shell parser's API (incremental: one top-level complete
 * command per call), the printer's API, and, below the line, the state that
 * lex.c and parse.c share. The tree types are in sh/ast.h. */
#ifndef VOS_SH_PARSE_H
#define VOS_SH_PARSE_H

#include <setjmp.h>
#include <stddef.h>

#include "sh/ast.h"

struct sh_parse_opts {
    /* Alias lookup for a word in command position; NULL = no alias. The
     * returned text is copied at once. */
    const char *(*alias)(void *ctx, const char *name);
    void *ctx;
    /* Called for here-document end-of-file warnings (parsing continues). */
    void (*warn)(void *ctx, int line, const char *msg);
    int extglob;    /* shopt extglob: @( ) *( ) +( ) ?( ) !( ) are words */
    int max_depth;  /* nesting limit; 0 means 1000 */
    int first_line; /* line number of the first line; 0 means 1 */
};

struct sh_parser;

/* src is copied. opts is read at each sh_parse_next() call and may be
 * changed between calls (alias table, extglob); it may be NULL. */
struct sh_parser *sh_parser_new(const char *src, size_t len, const struct sh_parse_opts *opts);
void sh_parser_free(struct sh_parser *p); /* also frees every returned tree */

/* Parses the next complete command (a list ended by a newline or EOF).
 * 1: *out is the tree (NULL for an empty line only when nothing else is
 * left is never returned: blank lines are skipped); 0: end of input;
 * -1: syntax error (sh_parser_error); the parser is then finished. */
int sh_parse_next(struct sh_parser *p, struct sh_node **out);

/* Error text as bash words it, e.g. "syntax error near unexpected token `)'",
 * its line, and for "near unexpected token" errors the offending source
 * line (bash prints it as a second message: "`echo )'"), else NULL. */
const char *sh_parser_error(const struct sh_parser *p, int *line, const char **context);
int sh_parser_line(const struct sh_parser *p); /* current line number */
/* The source read so far (buffer and offset of the next unread byte). */
const char *sh_parser_text(const struct sh_parser *p, size_t *off);
struct sh_arena *sh_parser_arena(struct sh_parser *p);

/* Convenience: parse all of src as one tree into arena a (every complete
 * command joined in a LIST). Returns 0 or -1 with *err (arena string). */
int sh_parse_string(struct sh_arena *a, const char *src, size_t len,
                    const struct sh_parse_opts *opts, struct sh_node **out, const char **err,
                    int *err_line);

/* ---- printer (print.c) ---------------------------------------------------
 * All return malloc'd NUL-terminated text (caller frees), NULL on OOM. */

/* As `declare -f name` prints a function: "name () \n{ \n    ...\n}". */
char *sh_print_function(const char *name, const struct sh_node *funcdef_or_body);
/* One command the way bash prints it outside a function (one line where
 * bash uses one line), e.g. for `jobs`, $BASH_COMMAND-like uses, debugging. */
char *sh_print_command(const struct sh_node *n);
/* The canonical text of $( ... ) contents (bash 5.2 reformats them). */
char *sh_print_comsub(const struct sh_node *n);

/* ---- internal: shared by lex.c and parse.c --------------------------------- */
#ifdef SH_PARSE_INTERNAL

enum sh_tok {
    T_EOF,
    T_WORD,
    T_NEWLINE,
    T_SEMI,      /* ;  */
    T_DSEMI,     /* ;; */
    T_SEMI_AND,  /* ;& */
    T_DSEMI_AND, /* ;;& */
    T_AMP,       /* &  */
    T_AND,       /* && */
    T_PIPE,      /* |  */
    T_PIPE_AMP,  /* |& */
    T_OR,        /* || */
    T_LPAREN,    /* (  */
    T_RPAREN,    /* )  */
    T_REDIR,     /* any redirection operator, with its fd / {var} */
    T_DPAREN,    /* (( ... )) arithmetic command: .word holds the expression */
    T_CONDOP,    /* < or > inside [[ ]] */
};

/* Lexer context flags. */
#define LX_CMD 0x1      /* command position: keywords, aliases, (( */
#define LX_ASSIGN 0x2   /* assignment words allowed */
#define LX_DECL 0x4     /* arguments of declare/local/...: NAME=( ) allowed */
#define LX_COND 0x8     /* inside [[ ]] */
#define LX_REGEX 0x10   /* right side of =~ */
#define LX_CASEPAT 0x20 /* case pattern: no keywords except esac */
#define LX_ELEM 0x40    /* element of NAME=( ... ) */
#define LX_EXTPAT 0x80  /* right side of == != = in [[ ]]: extglob groups allowed */

struct sh_token {
    enum sh_tok t;
    int valid; /* lookahead holds a token */
    int flags; /* LX_* it was lexed with */
    size_t start;
    int start_line;
    int line; /* line of the token */
    struct sh_word *word;
    enum sh_redir_op rop;
    int rstrip; /* <<- */
    int fd;     /* -1 or explicit fd */
    const char *fd_var;
    const char *text; /* token text for error messages */
};

struct sh_heredoc_pending {
    struct sh_heredoc_pending *next;
    struct sh_redir *r;
    const char *word; /* raw delimiter word */
};

struct sh_alias_active {
    char *name;
    size_t end; /* expansion text ends here in buf */
};

struct sh_parser {
    struct sh_arena *arena;
    const struct sh_parse_opts *opts;
    struct sh_parse_opts defopts;
    char *buf; /* malloc'd, NUL-terminated; alias expansion splices it */
    size_t len, cap;
    size_t pos;
    int line;
    int depth, max_depth;
    int done;
    jmp_buf *jb;
    struct sh_token tok;
    struct sh_heredoc_pending *hd_head, **hd_tail;
    struct sh_alias_active *aliases;
    int nalias, alias_cap;
    int alias_first;       /* the next word starts an alias expansion: check it */
    int alias_next;        /* the last expansion ended in a blank */
    size_t alias_end;      /* where the last expansion's text ends */
    size_t alias_next_end; /* where the last blank-ended expansion ends */
    int cond_line;         /* line of the [[ being parsed */
    int in_cond;           /* lexing inside [[ ]]: extglob groups always allowed */
    int in_regex;          /* lexing the right side of =~ */
    int err_line;
    char *err;
    char *err_ctx;
};

/* lex.c */
void sh__fail(struct sh_parser *p, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
void sh__fail_near(struct sh_parser *p, const char *tok) __attribute__((noreturn));
void *sh__alloc(struct sh_parser *p, size_t n);
char *sh__strndup(struct sh_parser *p, const char *s, size_t n);
void sh__depth_enter(struct sh_parser *p);
void sh__depth_leave(struct sh_parser *p);
int sh__peekc(struct sh_parser *p, size_t k);
void sh__skip_blanks(struct sh_parser *p);
struct sh_token *sh__peek(struct sh_parser *p, int flags);
void sh__consume(struct sh_parser *p);
void sh__read_heredocs(struct sh_parser *p);
void sh__abandon_heredocs(struct sh_parser *p);
int sh__getc(struct sh_parser *p);
struct sh_word *sh__lex_arith_until(struct sh_parser *p, const char *stop, int *which);
void sh__queue_heredoc(struct sh_parser *p, struct sh_redir *r, const char *word);
int sh__alias_active(struct sh_parser *p, const char *name, size_t pos);
int sh__splice_alias(struct sh_parser *p, size_t start, size_t end, const char *name,
                     const char *value);
int sh__word_is(const struct sh_word *w, const char *s);
const char *sh__tok_text(struct sh_parser *p, struct sh_token *t);

/* parse.c */
struct sh_node *sh__parse_comsub(struct sh_parser *p, int *closed_paren);
struct sh_node *sh__parse_program(struct sh_parser *p);
struct sh_node *sh__parse_string_sub(struct sh_parser *p, const char *s, size_t n, int line);

/* print.c helpers used by the lexer to build canonical word text */
char *sh__print_comsub_arena(struct sh_arena *a, const struct sh_node *n);

#endif /* SH_PARSE_INTERNAL */
#endif
