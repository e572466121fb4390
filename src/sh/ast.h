/* sh/ast.h — the shell's syntax tree: nodes, words, word parts, redirections,
 * [[ ]] trees, and the arena they live in. Produced by the parser (parse.c),
 * printed by print.c, consumed by the executor. Nothing here executes.
 *
 * Shape in brief (see docs/shell-ast.md):
 *   command nodes  sh_node: kind + line + redirs + next/sep (sibling link and
 *                  the connector that follows it in its parent list)
 *   words          sh_word: parts (linked sh_wpart) + text (bash's canonical
 *                  source text, used by the printer) + optional assignment
 *   word parts     literal / single-quoted / escaped / double-quoted(children) /
 *                  parameter / command substitution / arithmetic / process
 *                  substitution / tilde prefix
 */
#ifndef VOS_SH_AST_H
#define VOS_SH_AST_H

#include <stddef.h>

/* ---- arena ------------------------------------------------------------- */

/* A bump allocator: every node, word and string of one parse lives here and
 * is released by one sh_arena_free(). */
struct sh_arena;

struct sh_arena *sh_arena_new(void);
void sh_arena_free(struct sh_arena *a);
/* Zeroed memory, or NULL when out of memory. */
void *sh_arena_alloc(struct sh_arena *a, size_t n);
char *sh_arena_strndup(struct sh_arena *a, const char *s, size_t n);

/* ---- words ------------------------------------------------------------- */

enum sh_wpart_kind {
    SH_WP_LIT,     /* literal text; unquoted (glob/brace chars live) unless
                      it sits inside SH_WP_DQUOTE or a here-doc body */
    SH_WP_SQUOTE,  /* '...' text, or $'...' already decoded (SH_WPF_ANSI) */
    SH_WP_ESCAPED, /* \c outside double quotes: text is "c" (quoted) */
    SH_WP_DQUOTE,  /* "...": children in .sub; $"..." has SH_WPF_LOCALE */
    SH_WP_PARAM,   /* $name, $1, $@, ${...}: .param */
    SH_WP_CMDSUB,  /* $(...) or `...` (SH_WPF_BACKQUOTE): .body */
    SH_WP_ARITH,   /* $((...)) or $[...] (SH_WPF_BRACKET): .expr word */
    SH_WP_PROCSUB, /* <(...) (SH_WPF_IN) or >(...): .body */
    SH_WP_TILDE,   /* ~ or ~user prefix: text is the user part ("" for ~) */
};

#define SH_WPF_ANSI 0x1      /* SQUOTE came from $'...' */
#define SH_WPF_LOCALE 0x2    /* DQUOTE came from $"..." */
#define SH_WPF_BACKQUOTE 0x4 /* CMDSUB written `...` */
#define SH_WPF_BRACKET 0x8   /* ARITH written $[...] */
#define SH_WPF_IN 0x10       /* PROCSUB <( ) */

enum sh_param_op {
    SH_PO_NONE,
    SH_PO_DEFAULT,   /* -  (:- with SH_PARAM_COLON) */
    SH_PO_ASSIGN,    /* =  := */
    SH_PO_ERROR,     /* ?  :? */
    SH_PO_ALT,       /* +  :+ */
    SH_PO_TRIM_SS,   /* #  */
    SH_PO_TRIM_LS,   /* ## */
    SH_PO_TRIM_SP,   /* %  */
    SH_PO_TRIM_LP,   /* %% */
    SH_PO_REPL,      /* /pat/rep */
    SH_PO_REPL_ALL,  /* //pat/rep */
    SH_PO_REPL_PFX,  /* /#pat/rep */
    SH_PO_REPL_SFX,  /* /%pat/rep */
    SH_PO_SUBSTR,    /* :off[:len]  arg=off, arg2=len or NULL */
    SH_PO_UPPER1,    /* ^pat  */
    SH_PO_UPPER,     /* ^^pat */
    SH_PO_LOWER1,    /* ,pat  */
    SH_PO_LOWER,     /* ,,pat */
    SH_PO_TRANSFORM, /* @X: .transform = 'Q','E','P','A','a','U','u','L','K','k' */
    SH_PO_LENGTH,    /* ${#name} ${#arr[@]} */
    SH_PO_PREFIX,    /* ${!prefix*} / ${!prefix@}: .transform = '*' or '@' */
    SH_PO_KEYS,      /* ${!arr[@]} / ${!arr[*]} */
};

#define SH_PARAM_BRACED 0x1   /* written ${...} */
#define SH_PARAM_COLON 0x2    /* :- := :? :+ (test for null too) */
#define SH_PARAM_INDIRECT 0x4 /* ${!name...} */
#define SH_PARAM_BAD                                                                               \
    0x8 /* not a valid ${...}: expanding it is the                                                 \
           "${...}: bad substitution" error (.raw) */

struct sh_word;
struct sh_node;

struct sh_param {
    const char *name;      /* identifier, digits, or one of @ * # ? - $ ! 0 */
    struct sh_word *index; /* [subscript] or NULL; "@"/"*" for whole array */
    unsigned char op;      /* enum sh_param_op */
    unsigned char flags;   /* SH_PARAM_* */
    char transform;        /* SH_PO_TRANSFORM letter, SH_PO_PREFIX '*'/'@' */
    struct sh_word *arg;   /* word/pattern/offset; NULL when absent */
    struct sh_word *arg2;  /* replacement (REPL*: NULL = no '/'), length */
    const char *raw;       /* source text of the whole ${...} */
};

struct sh_wpart {
    enum sh_wpart_kind kind;
    unsigned flags; /* SH_WPF_* */
    struct sh_wpart *next;
    const char *text;       /* LIT, SQUOTE, ESCAPED, TILDE (NUL-terminated) */
    size_t len;             /* length of text (SQUOTE from $'..' may hold NULs) */
    struct sh_wpart *sub;   /* DQUOTE children */
    struct sh_param *param; /* PARAM */
    struct sh_node *body;   /* CMDSUB, PROCSUB (NULL for an empty one) */
    struct sh_word *expr;   /* ARITH */
};

/* Assignment words: NAME=v, NAME+=v, NAME[i]=v, NAME=(...) and, inside a
 * compound assignment, [k]=v elements (name NULL). For an assignment word,
 * word->parts is the value only. */
struct sh_assign {
    const char *name;      /* NULL for a [k]=v array element */
    struct sh_word *index; /* [subscript] or NULL */
    int append;            /* += */
    int compound;          /* NAME=( ... ): elements in .elems, parts NULL */
    struct sh_word *elems; /* compound elements, linked by word->next */
};

#define SH_WF_ASSIGN 0x1 /* word->assign is set */
#define SH_WF_QUOTED 0x2 /* some part was quoted (keyword/alias check) */
#define SH_WF_REGEX 0x4  /* right side of =~ */

struct sh_word {
    struct sh_word *next;
    struct sh_wpart *parts;
    const char *text; /* canonical source text, as bash prints it */
    unsigned flags;   /* SH_WF_* */
    struct sh_assign *assign;
};

/* ---- redirections ------------------------------------------------------ */

enum sh_redir_op {
    SH_R_IN,         /* <   */
    SH_R_OUT,        /* >   */
    SH_R_APPEND,     /* >>  */
    SH_R_RDWR,       /* <>  */
    SH_R_CLOBBER,    /* >|  */
    SH_R_HEREDOC,    /* << and <<- (.heredoc) */
    SH_R_HERESTR,    /* <<< */
    SH_R_ERR_OUT,    /* &> word */
    SH_R_APPEND_ERR, /* &>> word */
    SH_R_DUP_IN,     /* <& : .dup_fd >= 0, else .target word (n, n-, ...) */
    SH_R_DUP_OUT,    /* >& : likewise; a non-number word means &> at run time */
    SH_R_CLOSE,      /* <&- or >&- */
};

struct sh_heredoc {
    const char *delim; /* delimiter after quote removal */
    int quoted;        /* delimiter had quotes: body is literal */
    int strip_tabs;    /* <<- */
    const char *body;  /* raw body text (tabs stripped for <<-), with '\n's */
    size_t body_len;
    struct sh_word *word; /* unquoted: parsed body (parts as in "..."), else NULL */
    int line;             /* line of the << operator */
};

struct sh_redir {
    struct sh_redir *next;
    enum sh_redir_op op;
    int fd;             /* explicit source fd, or -1 for the default */
    const char *fd_var; /* {name}> : the variable, else NULL */
    int dup_fd;         /* DUP_IN/DUP_OUT numeric target, else -1 */
    struct sh_word *target;
    struct sh_heredoc *heredoc;
    int from_pipe; /* the 2>&1 added by |& */
};

/* ---- [[ ]] ------------------------------------------------------------- */

enum sh_cond_kind {
    SH_C_AND,    /* left && right */
    SH_C_OR,     /* left || right */
    SH_C_GROUP,  /* ( left ) */
    SH_C_UNARY,  /* op word:  -f x  ([[ x ]] is -n x, as in bash) */
    SH_C_BINARY, /* word op word2: == != =~ < > -eq -nt ... */
};

struct sh_cond {
    enum sh_cond_kind kind;
    int negate; /* preceded by an odd number of '!' */
    const char *op;
    struct sh_cond *left, *right;
    struct sh_word *word, *word2;
};

/* ---- commands ---------------------------------------------------------- */

enum sh_node_kind {
    SH_N_SIMPLE,    /* words (assignment words first have SH_WF_ASSIGN) */
    SH_N_PIPELINE,  /* kids linked by next; flags BANG/TIME */
    SH_N_ANDOR,     /* kids linked by next, kid->sep = SH_SEP_AND / SH_SEP_OR */
    SH_N_LIST,      /* kids linked by next, kid->sep = ; & newline or none */
    SH_N_SUBSHELL,  /* ( body ) */
    SH_N_GROUP,     /* { body; } */
    SH_N_IF,        /* if cond; then body; else els; fi (elif = nested IF) */
    SH_N_WHILE,     /* while cond; do body; done */
    SH_N_UNTIL,     /* until cond; do body; done */
    SH_N_FOR,       /* for name [in words]; do body; done */
    SH_N_SELECT,    /* select name [in words]; do body; done */
    SH_N_ARITH_FOR, /* for ((init; test; step)); do body; done */
    SH_N_CASE,      /* case word in items esac */
    SH_N_FUNCDEF,   /* name () body */
    SH_N_COND,      /* [[ cond ]] */
    SH_N_ARITH,     /* (( expr )) */
    SH_N_COPROC,    /* coproc [name] body */
};

enum sh_sep {
    SH_SEP_NONE,
    SH_SEP_SEMI, /* ; */
    SH_SEP_NL,   /* newline */
    SH_SEP_AMP,  /* & (run in background) */
    SH_SEP_AND,  /* && */
    SH_SEP_OR,   /* || */
    SH_SEP_PIPE, /* |  (|& is | plus a from_pipe 2>&1 redirection) */
};

#define SH_NF_BANG 0x1       /* ! pipeline */
#define SH_NF_TIME 0x2       /* time pipeline */
#define SH_NF_TIME_POSIX 0x4 /* time -p */
#define SH_NF_FUNC_KW 0x8    /* FUNCDEF written with `function` */
#define SH_NF_FOR_IN 0x10    /* FOR/SELECT had `in` (words may be empty) */

enum sh_case_term { SH_CASE_BREAK, SH_CASE_FALL, SH_CASE_TEST }; /* ;; ;& ;;& */

struct sh_case_item {
    struct sh_case_item *next;
    struct sh_word *patterns; /* linked by next */
    struct sh_node *body;     /* NULL when empty */
    enum sh_case_term term;
};

struct sh_node {
    enum sh_node_kind kind;
    int line;        /* line of the command's first token */
    unsigned flags;  /* SH_NF_* */
    enum sh_sep sep; /* connector after this node in its parent */
    struct sh_node *next;
    struct sh_redir *redirs;

    struct sh_word *words;    /* SIMPLE words; FOR/SELECT list; CASE subject */
    struct sh_node *kids;     /* PIPELINE/ANDOR/LIST members */
    struct sh_node *cond;     /* IF/WHILE/UNTIL test */
    struct sh_node *body;     /* most compound commands; FUNCDEF body */
    struct sh_node *els;      /* IF else branch (an IF node for elif) */
    const char *name;         /* FOR/SELECT variable, FUNCDEF/COPROC name */
    struct sh_word *arith[3]; /* ARITH_FOR init/test/step; ARITH uses [0] */
    struct sh_case_item *items;
    struct sh_cond *test; /* COND */
};

/* Deep copy of a tree into another arena (e.g. a function definition that
 * must outlive its parse). NULL on out of memory. */
struct sh_node *sh_node_copy(struct sh_arena *dst, const struct sh_node *n);
struct sh_word *sh_word_copy(struct sh_arena *dst, const struct sh_word *w);

#endif
