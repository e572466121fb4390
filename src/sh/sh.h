/* sh/sh.h — the shell's run-time state and the executor's internal API.
 *
 * One struct sh is one shell process's state: variables (var.c), functions,
 * aliases, options, positional parameters, traps, jobs. The shell runs as a
 * virtual process (sh->p); a subshell, a pipeline stage or a command
 * substitution runs as a child process with a copy of the state (sh_clone),
 * so nothing a subshell does reaches its parent — with no host fork.
 *
 * Files: var.c (variables and arrays), expand.c (word expansion), exec.c
 * (commands, redirections, pipelines, functions), builtins.c (the builtin
 * table and the small builtins), bi_*.c (the big ones), session.c (vos_exec,
 * the bash command).
 */
#ifndef VOS_SH_SH_H
#define VOS_SH_SH_H

#include "kernel/kernel.h"
#include "sh/ast.h"
#include "sh/parse.h"
#include <stdint.h>

struct sh;

/* ---- variables (var.c) ------------------------------------------------- */

enum {
    V_EXPORT = 1 << 0,
    V_READONLY = 1 << 1,
    V_INTEGER = 1 << 2,
    V_LOWER = 1 << 3,
    V_UPPER = 1 << 4,
    V_NAMEREF = 1 << 5,
    V_ARRAY = 1 << 6,
    V_ASSOC = 1 << 7,
    V_LOCAL = 1 << 8,
    V_TRACE = 1 << 9,
    V_CAPITAL = 1 << 10, /* declare -c: first letter upper (bash 5.2 has it) */
};

struct sh_aelem { /* indexed array element */
    intmax_t idx;
    char *val;
};

struct sh_akv { /* associative array entry, chained in bash's hash order */
    struct sh_akv *next;
    char *key, *val;
    uint32_t hash;
};

struct sh_var {
    struct sh_var *next; /* hash chain in its scope */
    char *name;
    unsigned attr;
    char *val;           /* scalar value; NULL: declared but unset */
    struct sh_aelem *arr; /* V_ARRAY: sorted by idx */
    size_t n, cap;
    struct sh_akv **buckets; /* V_ASSOC */
    size_t nbuckets, count;
};

struct sh_scope {
    struct sh_scope *up;
    struct sh_var **tab;
    size_t nbuckets, count;
    bool is_func; /* a function's local scope */
};

struct sh_scope *sh_scope_new(struct sh_scope *up, bool is_func);
void sh_scope_free(struct sh_scope *s);
struct sh_scope *sh_scope_clone(const struct sh_scope *s, struct sh_scope *up);

/* Find a variable by name from the innermost scope out (no nameref hop). */
struct sh_var *sh_var_find(struct sh *sh, const char *name);
/* Follow namerefs (at most 8 hops); NULL when it ends unset. */
struct sh_var *sh_var_resolve(struct sh *sh, const char *name, const char **final_name);
bool sh_nameref_cycle(struct sh *sh, const char *name);
/* Get a scalar value: $name, ${name[0]} of an array. NULL if unset. */
const char *sh_var_get(struct sh *sh, const char *name);
/* Set a scalar (applying -i -l -u); append with append. Returns 0, or -1
 * after printing bash's message (readonly). */
int sh_var_set(struct sh *sh, const char *name, const char *val, bool append);
/* Set an element of an indexed or associative array (sub unexpanded for
 * assoc keys, an arithmetic expression for indexed ones: callers evaluate). */
int sh_var_set_elem(struct sh *sh, const char *name, const char *key, intmax_t idx,
                    const char *val, bool append);
int sh_var_unset(struct sh *sh, const char *name);
/* Make or find a variable in the current (local) or global scope. */
struct sh_var *sh_var_declare(struct sh *sh, const char *name, bool local);
const char *sh_array_get(const struct sh_var *v, intmax_t idx);
const char *sh_assoc_get(const struct sh_var *v, const char *key);
int sh_array_set(struct sh_var *v, intmax_t idx, const char *val, bool append);
int sh_assoc_set(struct sh_var *v, const char *key, const char *val, bool append);
void sh_array_unset(struct sh_var *v, intmax_t idx);
void sh_assoc_unset(struct sh_var *v, const char *key);
void sh_var_clear_value(struct sh_var *v);
/* Turn a scalar into an indexed array (value at 0) or an empty assoc. */
int sh_var_make_array(struct sh_var *v);
int sh_var_make_assoc(struct sh_var *v);
/* Iterate assoc entries in bash's order. */
struct sh_akv *sh_assoc_first(const struct sh_var *v, size_t *bucket);
struct sh_akv *sh_assoc_next(const struct sh_var *v, struct sh_akv *e, size_t *bucket);
/* The environment for a child: exported variables, NULL-terminated, malloc'd. */
char **sh_build_env(struct sh *sh);
bool sh_valid_name(const char *s);
void sh_vars_import(struct sh *sh, char **env);

/* ---- functions, aliases, traps, jobs --------------------------------- */

struct sh_func {
    struct sh_func *next;
    char *name;
    struct sh_arena *arena; /* owns the tree; refcounted across clones */
    int *arena_refs;
    struct sh_node *def;    /* the FUNCDEF node */
    unsigned attr;          /* export/readonly/trace */
};

struct sh_alias {
    struct sh_alias *next;
    char *name, *value;
};

struct sh_job {
    int id;
    int pgid;
    int npids;
    int *pids;
    int *status; /* wait status per pid, -1 while running */
    char *text;
    bool notified, done;
};

/* ---- options ------------------------------------------------------------- */

enum sh_opt {
    O_ERREXIT, O_NOUNSET, O_XTRACE, O_PIPEFAIL, O_NOGLOB, O_NOCLOBBER, O_VERBOSE, O_NOEXEC,
    O_ALLEXPORT, O_HASHALL, O_MONITOR, O_NOTIFY, O_ONECMD, O_BRACEEXPAND, O_POSIX,
    O_FUNCTRACE, O_ERRTRACE, O_HISTEXPAND, O_PHYSICAL, O_IGNOREEOF, O_INTERACTIVE_COMMENTS,
    O_KEYWORD, O_PRIVILEGED, O_EMACS, O_VI, O_HISTORY, O_NOLOG,
    O__COUNT
};

enum sh_shopt {
    S_EXTGLOB, S_NULLGLOB, S_FAILGLOB, S_DOTGLOB, S_GLOBSTAR, S_NOCASEGLOB, S_NOCASEMATCH,
    S_EXPAND_ALIASES, S_LASTPIPE, S_INHERIT_ERREXIT, S_XPG_ECHO, S_EXTQUOTE, S_SOURCEPATH,
    S_GLOBASCIIRANGES, S_CHECKWINSIZE, S_CMDHIST, S_EXECFAIL, S_LOCALVAR_INHERIT,
    S_LOCALVAR_UNSET, S_PROMPTVARS, S_SHIFT_VERBOSE, S_INTERACTIVE_COMMENTS, S_HOSTCOMPLETE,
    S_PATCHSUB_REPLACEMENT, S_EXTDEBUG, S_GLOBSKIPDOTS, S_ASSOC_EXPAND_ONCE, S_NOEXPAND_TRANSLATION,
    S_CHECKHASH, S_CDSPELL, S_AUTOCD, S_DIRSPELL, S_DOTGLOB_DUMMY, S_COMPAT_DUMMY, S_NULLGLOB_DUMMY,
    S_LITHIST, S_HISTAPPEND, S_FORCE_FIGNORE, S_COMPLETE_FULLQUOTE, S_PROGCOMP, S_NO_EMPTY_CMD_COMPLETION,
    S_MAILWARN, S_HUPONEXIT, S_GNU_ERRFMT, S_EXTGLOB_DUMMY, S_CHECKJOBS, S_DIREXPAND,
    S_HISTREEDIT, S_HISTVERIFY, S_LOGIN_SHELL, S_RESTRICTED_SHELL, S_VARREDIR_CLOSE,
    S_PROGCOMP_ALIAS, S_CDABLE_VARS, S_ARRAY_EXPAND_ONCE, S_BASH_SOURCE_FULLPATH,
    S__COUNT
};

extern const char *const sh_opt_names[O__COUNT];
extern const char sh_opt_letters[O__COUNT];
extern const char *const sh_shopt_names[S__COUNT];

/* ---- control flow -------------------------------------------------------- */

enum sh_jump { J_NONE, J_BREAK, J_CONTINUE, J_RETURN, J_EXIT };
enum { SRC_C, SRC_STDIN, SRC_FILE };

/* ---- limits ---------------------------------------------------------------- */
struct sh_limits {
    int func_depth;       /* 1000; bash: "maximum function nesting level exceeded" */
    int parse_depth;      /* 1000 */
    uint64_t commands;    /* commands per exec, 0: none */
    size_t string_bytes;  /* largest string/expansion result (64 MiB) */
    size_t array_elems;   /* 10,000,000 */
    size_t brace_results; /* 1,000,000 */
    size_t glob_results;  /* 1,000,000 */
    size_t heredoc_bytes; /* 64 MiB */
};

/* ---- the shell ------------------------------------------------------------- */

struct sh {
    struct proc *p;
    struct sh_scope *global, *scope; /* scope: innermost */
    struct sh_func *funcs;
    struct sh_alias *aliases;
    bool opt[O__COUNT];
    bool shopt[S__COUNT];

    char *arg0;     /* $0 */
    char **argv;    /* $1... */
    int argc;
    int status;     /* $? */
    int last_bg;    /* $! */
    char *last_arg; /* $_ */
    int pipestatus[256];
    int npipestatus;
    struct sh_var *ps_var; /* the last special array read (sh_special_array) */
    int lineno;
    int rootpid;    /* $$ */
    uint64_t start_ns; /* for SECONDS */
    intmax_t seconds_base;
    uint32_t random_state;

    char *traps[65]; /* 0: EXIT; signals 1-64 */
    char *trap_err, *trap_return, *trap_debug;
    bool in_trap;

    struct sh_job *jobs;
    int njobs, cap_jobs;

    /* control flow */
    enum sh_jump jump;
    int jump_count; /* break N / continue N */
    int loop_depth;
    int func_depth;
    int source_depth;
    bool exit_requested;
    int exit_status;
    /* set -e: >0 while running a condition (if/while test, &&/|| left, !) */
    int errexit_suppressed;
    bool errexit_triggered;

    /* FUNCNAME / BASH_SOURCE / BASH_LINENO stacks */
    char **funcname;
    int *call_lines;
    int nfunc, cap_func;
    char *script_name; /* for messages: "bash" or the script path */
    int src_kind;      /* SRC_C (bash -c, vos_exec), SRC_STDIN, SRC_FILE */
    int run_depth;     /* nesting of sh_run_source (1: the script itself) */
    const char *run_label; /* "eval" for the next sh_run_source's syntax errors */
    const char *arith_prefix; /* "let: ", "((: " or NULL, for arithmetic errors */
    bool interactive;
    bool is_subshell;
    int subshell_level;

    struct sh_parse_opts popts;
    struct sh_limits lim;
    uint64_t commands_run;
    uint64_t cmdsubs; /* command substitutions run: assignment statuses */
    bool fatal; /* a fatal expansion error: abandon the current command list */

    struct sh_hash { /* command hash table: name -> path */
        struct sh_hash *next;
        char *name, *path;
        int hits;
    } *hash;
    char **dirstack;
    int ndirs;
};

struct sh *sh_new(struct proc *p);
void sh_free(struct sh *sh);
/* A full copy for a child process (subshell, pipeline stage, $( )). */
struct sh *sh_clone(struct sh *sh, struct proc *child);

/* Run source text (a script, -c string, eval string, sourced file).
 * Returns the last status; sh->jump tells whether an exit happened. */
int sh_run_source(struct sh *sh, const char *src, size_t len, int first_line);
int sh_exec_node(struct sh *sh, struct sh_node *n);
/* After a command finished: errexit, traps, pending signals. */
void sh_after_command(struct sh *sh);
/* Run the EXIT trap (once) and return the final status. */
int sh_exit_shell(struct sh *sh, int status);
int sh_run_trap(struct sh *sh, const char *code);

/* Messages: "bash: line N: " prefix (or "bash: " when interactive). */
void sh_error(struct sh *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Without the line: "bash: msg". */
void sh_error_noline(struct sh *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- expansion (expand.c) ------------------------------------------------ */

struct sh_strv {
    char **v;
    size_t n, cap;
};
void strv_push(struct sh_strv *sv, char *s);
void strv_clear(struct sh_strv *sv);

enum {
    X_NOSPLIT = 1 << 0,  /* no field splitting (assignments, [[ ]], case word) */
    X_NOGLOB = 1 << 1,   /* no pathname expansion */
    X_PATTERN = 1 << 2,  /* result is a pattern: quoted chars escaped with \ */
    X_ASSIGN = 1 << 3,   /* assignment value: tilde after : and = */
    X_NOBRACE = 1 << 4,
    X_HEREDOC = 1 << 5,
    X_REGEX = 1 << 6,    /* =~ right side: quoted chars escaped for ERE */
    X_DECL = 1 << 7,     /* arguments of declare/local/export/...: NAME=v whole */
    X_BRACED = 1 << 8,   /* a word made by brace expansion: leading ~ expands */
};
/* Expand a list of words into fields; -1 on an expansion error (message
 * printed, sh->fatal may be set). */
int sh_expand_words(struct sh *sh, struct sh_word *words, struct sh_strv *out, int flags);
/* Expand one word to one string (no splitting, no globbing). */
char *sh_expand_word(struct sh *sh, const struct sh_word *w, int flags);
struct sh_word *sh_word_from_text(struct sh_arena *a, const char *text, size_t len);
/* An associative array key given as text ('a["k"]', 'a[$k]'): expanded as a
 * word. malloc'd, NULL on an expansion error. */
char *sh_subscript_key(struct sh *sh, const char *text);
/* Arithmetic on text (already expanded or not): 0 ok, -1 error printed. */
int sh_arith_text(struct sh *sh, const char *expr, intmax_t *out);
int sh_arith_word(struct sh *sh, const struct sh_word *w, intmax_t *out);
/* Run body as a command substitution; returns the output with trailing
 * newlines removed (malloc'd), NULL on failure. */
char *sh_command_subst(struct sh *sh, struct sh_node *body, size_t *len);
/* Quote for reuse as shell input (printf %q, ${v@Q}, declare -p, set). */
char *sh_quote(const char *s, bool dollar_single);
char *sh_single_quote(const char *s);
/* Case/[[ ]] pattern match with the shell's options. */
bool sh_match(struct sh *sh, const char *pattern, const char *s);
const char *sh_ifs(struct sh *sh);

/* ---- builtins (builtins.c) -------------------------------------------------- */
typedef int (*sh_builtin_fn)(struct sh *sh, int argc, char **argv);
struct sh_builtin {
    const char *name;
    sh_builtin_fn fn;
    bool special; /* POSIX special builtin: assignments persist, errors exit */
};
const struct sh_builtin *sh_builtin_find(const char *name);
extern const struct sh_builtin sh_builtins[];
extern const size_t sh_builtin_count;

/* Functions. */
struct sh_func *sh_func_find(struct sh *sh, const char *name);
int sh_func_define(struct sh *sh, const char *name, struct sh_node *def, struct sh_arena *arena);
void sh_func_unset(struct sh *sh, const char *name);
int sh_call_function(struct sh *sh, struct sh_func *f, int argc, char **argv);

/* Command lookup: "function", "builtin", "file" (path), or NULL. */
char *sh_find_in_path(struct sh *sh, const char *name, bool use_hash);

/* Perform an assignment given as text, "NAME=value", "NAME+=value",
 * "NAME[sub]=value" or "NAME=(...)" (parsed and expanded as bash would),
 * on the variable visible now. 0, or -1 after a message. */
int sh_assign_text(struct sh *sh, const char *text);

/* Run argv as a simple command that has been expanded (used by eval-like
 * builtins: command, builtin, exec). */
int sh_run_argv(struct sh *sh, int argc, char **argv, bool builtins_only, bool no_functions);

/* $PIPESTATUS, $FUNCNAME, $BASH_LINENO, $BASH_SOURCE, built when read. */
struct sh_var *sh_special_array(struct sh *sh, const char *name);
/* Run a command from PATH with exactly env (taken over). */
int sh_run_external_env(struct sh *sh, int argc, char **argv, char **env);

/* I/O helpers for builtins. */
int sh_write(struct sh *sh, int fd, const void *buf, size_t n);
int sh_printf(struct sh *sh, int fd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The bash/sh command (registered in src/cmd/table.c). */
int cmd_bash(struct proc *p, int argc, char **argv);

/* Memory helpers that fail loudly (NULL-safe); shells use host malloc for
 * their own long-lived state and p_malloc-free helpers are not needed. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
