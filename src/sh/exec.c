/* sh/exec.c — the executor: runs AST nodes. Simple commands (assignments,
 * redirections, functions, builtins, commands on PATH), pipelines (a child
 * process per stage, concurrently), lists and and-or lists, background jobs,
 * subshells, every compound command, functions, set -e / -x, and traps.
 *
 * Children are virtual processes with a copy of the shell state; a command
 * on PATH runs as a child process on this host thread (sync), pipeline
 * stages and background jobs on threads of their own.
 */
#include "sh/sh.h"
#include "sh/builtins.h"
#include "sh/pattern.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* ---- messages ------------------------------------------------------------ */

/* bash 5.2's prefixes: "bash: line N: " for -c and stdin scripts, "FILE:
 * line N: " for script files, and inside functions "environment: line N: "
 * (-c) or "main: line N: " (stdin). */
static char *msg_prefix(struct sh *sh, bool with_line)
{
    if (sh->interactive || !with_line) return xasprintf("%s: ", sh->interactive ? "bash" : sh->script_name);
    if (sh->func_depth > 0 && sh->src_kind != SRC_FILE)
        return xasprintf("%s: line %d: ", sh->src_kind == SRC_C ? "environment" : "main", sh->lineno);
    return xasprintf("%s: line %d: ", sh->script_name, sh->lineno);
}

static void verror(struct sh *sh, bool with_line, const char *fmt, va_list ap)
{
    char *msg;
    if (vasprintf(&msg, fmt, ap) < 0) return;
    char *pre = msg_prefix(sh, with_line);
    char *line = xasprintf("%s%s\n", pre, msg);
    p_write_all(sh->p, 2, line, strlen(line));
    free(line);
    free(pre);
    free(msg);
}

void sh_error(struct sh *sh, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(sh, true, fmt, ap);
    va_end(ap);
}

void sh_error_noline(struct sh *sh, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(sh, false, fmt, ap);
    va_end(ap);
}

int sh_write(struct sh *sh, int fd, const void *buf, size_t n)
{
    int r = p_write_all(sh->p, fd, buf, n);
    return r;
}

int sh_printf(struct sh *sh, int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) return -ENOMEM;
    int r = sh_write(sh, fd, s, (size_t)n);
    free(s);
    return r;
}

/* Quote s for reuse as input: 'single quotes' (always, or when needed),
 * $'...' when it holds control characters. */
char *sh_quote(const char *s, bool always_dollar)
{
    bool ctl = false, special = !*s;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x20 || *c == 0x7f) ctl = true;
        if (!isalnum(*c) && !strchr("_-./:=@%+,", *c) && *c < 0x80) special = true;
    }
    (void)always_dollar;
    size_t n = strlen(s);
    char *r = xmalloc(4 * n + 8), *o = r;
    if (ctl) {
        *o++ = '$';
        *o++ = '\'';
        for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
            switch (*c) {
            case '\n': *o++ = '\\', *o++ = 'n'; break;
            case '\t': *o++ = '\\', *o++ = 't'; break;
            case '\r': *o++ = '\\', *o++ = 'r'; break;
            case '\a': *o++ = '\\', *o++ = 'a'; break;
            case '\b': *o++ = '\\', *o++ = 'b'; break;
            case '\f': *o++ = '\\', *o++ = 'f'; break;
            case '\v': *o++ = '\\', *o++ = 'v'; break;
            case 033: *o++ = '\\', *o++ = 'E'; break;
            case '\'': *o++ = '\\', *o++ = '\''; break;
            case '\\': *o++ = '\\', *o++ = '\\'; break;
            default:
                if (*c < 0x20 || *c == 0x7f) o += sprintf(o, "\\%03o", *c);
                else *o++ = (char)*c;
            }
        }
        *o++ = '\'';
        *o = 0;
        return r;
    }
    *o++ = '\'';
    for (const char *c = s; *c; c++) {
        if (*c == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else *o++ = *c;
    }
    *o++ = '\'';
    *o = 0;
    (void)special;
    return r;
}

/* 'single quotes' always, newlines and all ('\'' for quotes): trap -p. */
char *sh_single_quote(const char *s)
{
    size_t n = strlen(s);
    char *r = xmalloc(4 * n + 3), *o = r;
    *o++ = '\'';
    for (const char *c = s; *c; c++) {
        if (*c == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else *o++ = *c;
    }
    *o++ = '\'';
    *o = 0;
    return r;
}

/* xtrace quoting: only when needed. */
static char *trace_quote(const char *s)
{
    if (!strcmp(s, "'")) return xstrdup("\\'"); /* bash's sh_single_quote does this */
    bool need = !*s;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (!isalnum(*c) && !strchr("_-./:=@%+,^", *c) && *c < 0x80) need = true;
    return need ? sh_quote(s, false) : xstrdup(s);
}

/* ---- state ------------------------------------------------------------------- */

const char *const sh_opt_names[O__COUNT] = {
    "errexit", "nounset", "xtrace", "pipefail", "noglob", "noclobber", "verbose", "noexec",
    "allexport", "hashall", "monitor", "notify", "onecmd", "braceexpand", "posix",
    "functrace", "errtrace", "histexpand", "physical", "ignoreeof", "interactive-comments",
    "keyword", "privileged", "emacs", "vi", "history", "nolog",
};
const char sh_opt_letters[O__COUNT] = {
    'e', 'u', 'x', 0, 'f', 'C', 'v', 'n', 'a', 'h', 'm', 'b', 't', 'B', 0,
    'T', 'E', 'H', 'P', 0, 0, 'k', 'p', 0, 0, 0, 0,
};
const char *const sh_shopt_names[S__COUNT] = {
    "extglob", "nullglob", "failglob", "dotglob", "globstar", "nocaseglob", "nocasematch",
    "expand_aliases", "lastpipe", "inherit_errexit", "xpg_echo", "extquote", "sourcepath",
    "globasciiranges", "checkwinsize", "cmdhist", "execfail", "localvar_inherit",
    "localvar_unset", "promptvars", "shift_verbose", "interactive_comments", "hostcomplete",
    "patsub_replacement", "extdebug", "globskipdots", "assoc_expand_once", "noexpand_translation",
    "checkhash", "cdspell", "autocd", "dirspell", "compat31", "compat32", "compat40",
    "lithist", "histappend", "force_fignore", "complete_fullquote", "progcomp", "no_empty_cmd_completion",
    "mailwarn", "huponexit", "gnu_errfmt", "compat41", "checkjobs", "direxpand",
    "histreedit", "histverify", "login_shell", "restricted_shell", "varredir_close",
    "progcomp_alias", "cdable_vars", "compat42", "compat43",
};

static const char *alias_lookup(void *ctx, const char *name)
{
    struct sh *sh = ctx;
    if (!sh->shopt[S_EXPAND_ALIASES]) return NULL;
    for (struct sh_alias *a = sh->aliases; a; a = a->next)
        if (!strcmp(a->name, name)) return a->value;
    return NULL;
}

static void set_default_vars(struct sh *sh)
{
    struct proc *p = sh->p;
    sh_vars_import(sh, p->env);
    const char *defs[][2] = {
        {"BASH", "/bin/bash"}, {"BASH_VERSION", "5.2.15(1)-release"}, {"HOSTTYPE", "x86_64"},
        {"MACHTYPE", "x86_64-pc-linux-gnu"}, {"OSTYPE", "linux-gnu"}, {"OPTERR", "1"},
        {"OPTIND", "1"}, {"PS4", "+ "}, {"PS2", "> "}, {"IFS", " \t\n"},
    };
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
        if (!sh_var_find(sh, defs[i][0])) sh_var_set(sh, defs[i][0], defs[i][1], false);
    char buf[64];
    snprintf(buf, sizeof buf, "%u", (unsigned)p->uid);
    struct sh_var *v = sh_var_declare(sh, "UID", false);
    free(v->val);
    v->val = xstrdup(buf);
    v->attr |= V_READONLY | V_INTEGER;
    v = sh_var_declare(sh, "EUID", false);
    free(v->val);
    v->val = xstrdup(buf);
    v->attr |= V_READONLY | V_INTEGER;
    snprintf(buf, sizeof buf, "%d", p->ppid);
    v = sh_var_declare(sh, "PPID", false);
    free(v->val);
    v->val = xstrdup(buf);
    v->attr |= V_READONLY | V_INTEGER;
    const char *shlvl = sh_var_get(sh, "SHLVL");
    snprintf(buf, sizeof buf, "%ld", shlvl ? strtol(shlvl, NULL, 10) + 1 : 1);
    sh_var_set(sh, "SHLVL", buf, false);
    sh_var_declare(sh, "SHLVL", false)->attr |= V_EXPORT;
    v = sh_var_declare(sh, "BASH_VERSINFO", false);
    sh_var_make_array(v);
    const char *vi[] = {"5", "2", "15", "1", "release", "x86_64-pc-linux-gnu"};
    for (int i = 0; i < 6; i++) sh_array_set(v, i, vi[i], false);
    v->attr |= V_READONLY;
    char host[256] = "vos";
    int fd = sys_open(p, "/etc/hostname", O_RDONLY, 0);
    if (fd >= 0) {
        ssize_t n = sys_read(p, fd, host, sizeof host - 1);
        if (n > 0) {
            host[n] = 0;
            host[strcspn(host, "\n")] = 0;
        }
        sys_close(p, fd);
    }
    sh_var_set(sh, "HOSTNAME", host, false);
    /* PWD from the environment is kept only if it names the cwd. */
    char cwd[VFS_PATH_MAX];
    const char *pwd = sh_var_get(sh, "PWD");
    struct stat a, b;
    if (sys_getcwd(p, cwd, sizeof cwd) >= 0 &&
        !(pwd && pwd[0] == '/' && sys_stat(p, pwd, &a) == 0 && sys_stat(p, ".", &b) == 0 &&
          a.st_ino == b.st_ino && a.st_dev == b.st_dev))
        sh_var_set(sh, "PWD", cwd, false);
    sh_var_declare(sh, "PWD", false)->attr |= V_EXPORT;
}

struct sh *sh_new(struct proc *p)
{
    struct sh *sh = calloc(1, sizeof *sh);
    if (!sh) return NULL;
    sh->p = p;
    sh->global = sh->scope = sh_scope_new(NULL, false);
    sh->arg0 = xstrdup("bash");
    sh->script_name = xstrdup("bash");
    sh->rootpid = p->pid;
    sh->start_ns = now_ns();
    sh->random_state = (uint32_t)now_ns() ^ (uint32_t)p->pid;
    sh->opt[O_BRACEEXPAND] = sh->opt[O_HASHALL] = sh->opt[O_INTERACTIVE_COMMENTS] = true;
    static const int on[] = {S_EXTQUOTE, S_SOURCEPATH, S_GLOBASCIIRANGES, S_CHECKWINSIZE,
                             S_CMDHIST, S_INTERACTIVE_COMMENTS, S_HOSTCOMPLETE,
                             S_PATCHSUB_REPLACEMENT, S_GLOBSKIPDOTS, S_FORCE_FIGNORE,
                             S_COMPLETE_FULLQUOTE, S_PROGCOMP, S_PROMPTVARS};
    for (size_t i = 0; i < sizeof on / sizeof on[0]; i++) sh->shopt[on[i]] = true;
    sh->lim = (struct sh_limits){
        .func_depth = 1000, .parse_depth = 1000, .string_bytes = 64u << 20,
        .array_elems = 10000000, .brace_results = 1000000, .glob_results = 1000000,
        .heredoc_bytes = 64u << 20,
    };
    sh->popts.alias = alias_lookup;
    sh->popts.ctx = sh;
    set_default_vars(sh);
    return sh;
}

static char **strv_copy(char **v, int n)
{
    char **r = xmalloc(((size_t)n + 1) * sizeof *r);
    for (int i = 0; i < n; i++) r[i] = xstrdup(v[i]);
    r[n] = NULL;
    return r;
}

static struct sh_scope *clone_scopes(const struct sh_scope *s)
{
    if (!s) return NULL;
    struct sh_scope *up = clone_scopes(s->up);
    return sh_scope_clone(s, up);
}

struct sh *sh_clone(struct sh *sh, struct proc *child)
{
    struct sh *c = xmalloc(sizeof *c);
    *c = *sh;
    c->p = child;
    c->scope = clone_scopes(sh->scope);
    c->global = c->scope;
    while (c->global->up) c->global = c->global->up;
    c->funcs = NULL;
    struct sh_func **tail = &c->funcs;
    for (struct sh_func *f = sh->funcs; f; f = f->next) {
        struct sh_func *nf = xmalloc(sizeof *nf);
        *nf = *f;
        nf->name = xstrdup(f->name);
        (*nf->arena_refs)++;
        nf->next = NULL;
        *tail = nf;
        tail = &nf->next;
    }
    c->aliases = NULL;
    for (struct sh_alias *a = sh->aliases; a; a = a->next) {
        struct sh_alias *na = xmalloc(sizeof *na);
        na->name = xstrdup(a->name);
        na->value = xstrdup(a->value);
        na->next = c->aliases;
        c->aliases = na;
    }
    c->arg0 = xstrdup(sh->arg0);
    c->argv = strv_copy(sh->argv, sh->argc);
    c->last_arg = xstrdup(sh->last_arg);
    c->script_name = xstrdup(sh->script_name);
    for (int i = 0; i < 65; i++) c->traps[i] = NULL; /* traps reset in subshells, EXIT too */
    /* bash keeps trap strings visible to `trap` in $( ) until one is set;
     * signals with a trap are reset to default in the child. */
    c->trap_err = sh->trap_err && sh->opt[O_ERRTRACE] ? xstrdup(sh->trap_err) : NULL;
    c->trap_return = NULL;
    c->trap_debug = NULL;
    /* A subshell can list its parent's jobs (jobs | wc -l), not wait for them. */
    c->jobs = sh->njobs ? xmalloc((size_t)sh->njobs * sizeof *c->jobs) : NULL;
    c->njobs = c->cap_jobs = sh->njobs;
    for (int i = 0; i < sh->njobs; i++) {
        c->jobs[i] = sh->jobs[i];
        c->jobs[i].pids = xmalloc((size_t)sh->jobs[i].npids * sizeof(int));
        memcpy(c->jobs[i].pids, sh->jobs[i].pids, (size_t)sh->jobs[i].npids * sizeof(int));
        c->jobs[i].status = xmalloc((size_t)sh->jobs[i].npids * sizeof(int));
        memcpy(c->jobs[i].status, sh->jobs[i].status, (size_t)sh->jobs[i].npids * sizeof(int));
        c->jobs[i].text = xstrdup(sh->jobs[i].text);
    }
    c->funcname = xmalloc(((size_t)sh->nfunc + 1) * sizeof *c->funcname);
    c->call_lines = xmalloc(((size_t)sh->nfunc + 1) * sizeof *c->call_lines);
    for (int i = 0; i < sh->nfunc; i++) {
        c->funcname[i] = xstrdup(sh->funcname[i]);
        c->call_lines[i] = sh->call_lines[i];
    }
    c->cap_func = sh->nfunc + 1;
    c->hash = NULL;
    c->ps_var = NULL;
    c->dirstack = strv_copy(sh->dirstack, sh->ndirs);
    c->is_subshell = true;
    c->subshell_level = sh->subshell_level + 1;
    c->loop_depth = 0; /* break/continue do not reach the parent's loops */
    sh_bi_state_clone(sh, c);
    c->popts.ctx = c;
    c->jump = J_NONE;
    c->exit_requested = false;
    c->in_trap = false;
    child->sig_caught_mask = 0;
    child->sig_caught = 0;
    return c;
}

static void free_funcs(struct sh_func *f)
{
    while (f) {
        struct sh_func *nx = f->next;
        if (--*f->arena_refs == 0) {
            sh_arena_free(f->arena);
            free(f->arena_refs);
        }
        free(f->name);
        free(f);
        f = nx;
    }
}

void sh_free(struct sh *sh)
{
    if (!sh) return;
    while (sh->scope) {
        struct sh_scope *up = sh->scope->up;
        sh_scope_free(sh->scope);
        sh->scope = up;
    }
    free_funcs(sh->funcs);
    while (sh->aliases) {
        struct sh_alias *a = sh->aliases;
        sh->aliases = a->next;
        free(a->name);
        free(a->value);
        free(a);
    }
    free(sh->arg0);
    for (int i = 0; i < sh->argc; i++) free(sh->argv[i]);
    free(sh->argv);
    free(sh->last_arg);
    free(sh->script_name);
    for (int i = 0; i < 65; i++) free(sh->traps[i]);
    free(sh->trap_err);
    free(sh->trap_return);
    free(sh->trap_debug);
    for (int i = 0; i < sh->njobs; i++) {
        free(sh->jobs[i].pids);
        free(sh->jobs[i].status);
        free(sh->jobs[i].text);
    }
    free(sh->jobs);
    for (int i = 0; i < sh->nfunc; i++) free(sh->funcname[i]);
    free(sh->funcname);
    free(sh->call_lines);
    while (sh->hash) {
        struct sh_hash *h = sh->hash;
        sh->hash = h->next;
        free(h->name);
        free(h->path);
        free(h);
    }
    for (int i = 0; i < sh->ndirs; i++) free(sh->dirstack[i]);
    free(sh->dirstack);
    if (sh->ps_var) {
        sh_var_clear_value(sh->ps_var);
        free(sh->ps_var);
    }
    sh_bi_state_free(sh);
    free(sh);
}

/* ---- functions ------------------------------------------------------------ */

struct sh_func *sh_func_find(struct sh *sh, const char *name)
{
    for (struct sh_func *f = sh->funcs; f; f = f->next)
        if (!strcmp(f->name, name)) return f;
    return NULL;
}

void sh_func_unset(struct sh *sh, const char *name)
{
    for (struct sh_func **pp = &sh->funcs; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->name, name)) continue;
        struct sh_func *f = *pp;
        *pp = f->next;
        f->next = NULL;
        free_funcs(f);
        return;
    }
}

int sh_func_define(struct sh *sh, const char *name, struct sh_node *def, struct sh_arena *unused)
{
    struct sh_arena *a = sh_arena_new();
    if (!a) return -1;
    struct sh_node *copy = sh_node_copy(a, def);
    if (!copy) {
        sh_arena_free(a);
        return -1;
    }
    struct sh_func *old = sh_func_find(sh, name);
    unsigned attr = old ? old->attr : 0;
    if (old && (old->attr & V_READONLY)) {
        sh_error(sh, "%s: readonly function", name);
        sh_arena_free(a);
        return -1;
    }
    sh_func_unset(sh, name);
    struct sh_func *f = xmalloc(sizeof *f);
    f->name = xstrdup(name);
    f->arena = a;
    f->arena_refs = xmalloc(sizeof *f->arena_refs);
    *f->arena_refs = 1;
    f->def = copy;
    f->attr = attr;
    /* Keep definition order: append. */
    f->next = NULL;
    struct sh_func **tail = &sh->funcs;
    while (*tail) tail = &(*tail)->next;
    *tail = f;
    return 0;
}

/* ---- redirections ------------------------------------------------------ */

struct saved_fd {
    int fd, saved; /* saved: a cloexec copy, or -1 when fd was closed */
};
struct undo {
    struct saved_fd v[32];
    int n;
    bool overflow;
};

static void save_fd(struct sh *sh, struct undo *u, int fd)
{
    if (!u) return;
    for (int i = 0; i < u->n; i++)
        if (u->v[i].fd == fd) return;
    if (u->n == 32) {
        u->overflow = true;
        return;
    }
    int s = fd_get(sh->p, fd) ? sys_fcntl(sh->p, fd, F_DUPFD_CLOEXEC, 10) : -1;
    u->v[u->n].fd = fd;
    u->v[u->n].saved = s;
    u->n++;
}

static void undo_redirs(struct sh *sh, struct undo *u)
{
    for (int i = u->n - 1; i >= 0; i--) {
        if (u->v[i].saved >= 0) {
            sys_dup2(sh->p, u->v[i].saved, u->v[i].fd);
            sys_close(sh->p, u->v[i].saved);
        } else sys_close(sh->p, u->v[i].fd);
    }
    u->n = 0;
}

static char *heredoc_text(struct sh *sh, struct sh_redir *r, size_t *len)
{
    struct sh_heredoc *h = r->heredoc;
    if (h->quoted || !h->word) {
        *len = h->body_len;
        return xstrndup(h->body ? h->body : "", h->body_len);
    }
    char *s = sh_expand_word(sh, h->word, X_NOSPLIT | X_HEREDOC);
    if (s) *len = strlen(s);
    return s;
}

/* The target of a redirection: one word after expansion, or an error. */
static char *redir_target(struct sh *sh, struct sh_word *w)
{
    struct sh_strv v = {0};
    struct sh_word one = *w;
    one.next = NULL;
    if (sh_expand_words(sh, &one, &v, 0) < 0) return NULL;
    if (v.n != 1) {
        sh_error(sh, "%s: ambiguous redirect", w->text);
        strv_clear(&v);
        return NULL;
    }
    char *r = v.v[0];
    free(v.v);
    return r;
}

static int open_error(struct sh *sh, const char *name, int err)
{
    sh_error(sh, "%s: %s", name, vos_strerror(err));
    return -1;
}

static int install(struct sh *sh, struct undo *u, int fd, int from)
{
    save_fd(sh, u, fd);
    if (from == fd) return 0;
    int r = sys_dup2(sh->p, from, fd);
    sys_close(sh->p, from);
    return r < 0 ? r : 0;
}

/* Apply redirections to sh->p's fds; with u, remember how to undo them. */
static int apply_redirs(struct sh *sh, struct sh_redir *r, struct undo *u)
{
    for (; r; r = r->next) {
        int fd = r->fd;
        bool out = r->op == SH_R_OUT || r->op == SH_R_APPEND || r->op == SH_R_CLOBBER ||
                   r->op == SH_R_DUP_OUT || r->op == SH_R_ERR_OUT || r->op == SH_R_APPEND_ERR;
        if (fd < 0) fd = out ? 1 : 0;
        if (r->op == SH_R_CLOSE && r->fd < 0) fd = 1;
        if (r->fd_var && (r->op == SH_R_CLOSE || r->op == SH_R_DUP_IN || r->op == SH_R_DUP_OUT)) {
            /* {var}>&- and {var}>&N act on the fd the variable names. */
            const char *v = sh_var_get(sh, r->fd_var);
            char *end;
            long n = v ? strtol(v, &end, 10) : -1;
            if (!v || *end || n < 0 || n > 1000000) {
                sh_error(sh, "%s: ambiguous redirect", r->fd_var);
                return -1;
            }
            fd = (int)n;
        }
        int flags = 0;
        char *name = NULL;
        switch (r->op) {
        case SH_R_IN: flags = O_RDONLY; break;
        case SH_R_OUT:
        case SH_R_ERR_OUT: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
        case SH_R_CLOBBER: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
        case SH_R_APPEND:
        case SH_R_APPEND_ERR: flags = O_WRONLY | O_CREAT | O_APPEND; break;
        case SH_R_RDWR: flags = O_RDWR | O_CREAT; break;
        case SH_R_HEREDOC:
        case SH_R_HERESTR: {
            size_t len;
            char *text;
            if (r->op == SH_R_HEREDOC) text = heredoc_text(sh, r, &len);
            else {
                char *w = sh_expand_word(sh, r->target, X_NOSPLIT);
                if (!w) return -1;
                text = xasprintf("%s\n", w);
                len = strlen(text);
                free(w);
            }
            if (!text) return -1;
            struct file *f = buf_file(sh->p->vm, text, len);
            free(text);
            if (!f) return -1;
            int nfd = fd_install(sh->p, f, 10, false, false);
            file_unref(f);
            if (nfd < 0 || install(sh, u, fd, nfd) < 0) return -1;
            continue;
        }
        case SH_R_DUP_IN:
        case SH_R_DUP_OUT: {
            int from = r->dup_fd;
            bool move = false;
            if (from < 0 && r->target) {
                char *t = sh_expand_word(sh, r->target, X_NOSPLIT);
                if (!t) return -1;
                size_t tl = strlen(t);
                if (!strcmp(t, "-")) {
                    free(t);
                    save_fd(sh, u, fd);
                    sys_close(sh->p, fd);
                    continue;
                }
                if (tl && t[tl - 1] == '-') {
                    move = true;
                    t[--tl] = 0;
                }
                char *end;
                long v = strtol(t, &end, 10);
                if (!tl || *end || v < 0 || v > 1000000) {
                    if (r->op == SH_R_DUP_OUT && r->fd < 0 && tl) {
                        /* >& word: like &> word */
                        name = t;
                        flags = O_WRONLY | O_CREAT | O_TRUNC;
                        goto open_both;
                    }
                    sh_error(sh, "%s: ambiguous redirect", r->target->text);
                    free(t);
                    return -1;
                }
                from = (int)v;
                free(t);
            }
            if (!fd_get(sh->p, from)) {
                sh_error(sh, "%d: Bad file descriptor", from);
                return -1;
            }
            save_fd(sh, u, fd);
            if (from != fd && sys_dup2(sh->p, from, fd) < 0) return -1;
            if (move && from != fd) {
                save_fd(sh, u, from);
                sys_close(sh->p, from);
            }
            continue;
        }
        case SH_R_CLOSE:
            save_fd(sh, u, fd);
            sys_close(sh->p, fd);
            continue;
        }
        name = redir_target(sh, r->target);
        if (!name) return -1;
    open_both:;
        if (sh->opt[O_NOCLOBBER] && (r->op == SH_R_OUT || r->op == SH_R_ERR_OUT)) {
            struct stat st;
            if (sys_stat(sh->p, name, &st) == 0 && S_ISREG(st.st_mode)) {
                sh_error(sh, "%s: cannot overwrite existing file", name);
                free(name);
                return -1;
            }
        }
        int nfd = sys_open(sh->p, name, flags | O_CLOEXEC, 0666);
        if (nfd < 0) {
            open_error(sh, name, nfd);
            free(name);
            return -1;
        }
        free(name);
        sys_fcntl(sh->p, nfd, F_SETFD, 0);
        if (r->fd_var) {
            /* {var}>file: the shell picks an fd >= 10 and names it. */
            int hi = sys_fcntl(sh->p, nfd, F_DUPFD, 10);
            sys_close(sh->p, nfd);
            char buf[16];
            snprintf(buf, sizeof buf, "%d", hi);
            sh_var_set(sh, r->fd_var, buf, false);
            continue;
        }
        if (r->op == SH_R_ERR_OUT || r->op == SH_R_APPEND_ERR ||
            (r->op == SH_R_DUP_OUT && r->fd < 0)) {
            save_fd(sh, u, 2);
            sys_dup2(sh->p, nfd, 2);
            fd = 1;
        }
        if (install(sh, u, fd, nfd) < 0) return -1;
    }
    return 0;
}

/* ---- xtrace ----------------------------------------------------------------- */

static char *ps4(struct sh *sh)
{
    const char *v = sh_var_get(sh, "PS4");
    if (!v) return xstrdup("");
    struct sh_word w = {0};
    struct sh_arena *a = sh_arena_new();
    struct sh_node *n = NULL;
    const char *err;
    int el;
    /* PS4 is expanded as a double-quoted word. */
    char *src = xasprintf(": \"%s\"", v);
    char *r = NULL;
    if (a && sh_parse_string(a, src, strlen(src), NULL, &n, &err, &el) == 0 && n &&
        n->kind == SH_N_SIMPLE && n->words && n->words->next) {
        int saved = sh->opt[O_XTRACE];
        sh->opt[O_XTRACE] = false;
        r = sh_expand_word(sh, n->words->next, X_NOSPLIT);
        sh->opt[O_XTRACE] = saved;
    }
    (void)w;
    if (a) sh_arena_free(a);
    free(src);
    if (!r) r = xstrdup(v);
    /* The first character repeats for each level of indirection. */
    if (*r && sh->subshell_level > 0) {
        /* bash repeats it per subshell/eval level only for $( ) nesting; keep one. */
    }
    return r;
}

static void trace(struct sh *sh, char **words, int n, struct sh_strv *assigns)
{
    if (!sh->opt[O_XTRACE]) return;
    char *pre = ps4(sh);
    struct sbuf_ {
        char *s;
        size_t len, cap;
    } b = {0};
#define PUT(str)                                                                                   \
    do {                                                                                           \
        const char *s_ = (str);                                                                    \
        size_t l_ = strlen(s_);                                                                    \
        if (b.len + l_ + 2 > b.cap) b.s = xrealloc(b.s, b.cap = 2 * (b.len + l_ + 2));             \
        memcpy(b.s + b.len, s_, l_);                                                               \
        b.len += l_;                                                                               \
        b.s[b.len] = 0;                                                                            \
    } while (0)
    PUT(pre);
    bool first = true;
    for (size_t i = 0; assigns && i < assigns->n; i++) {
        if (!first) PUT(" ");
        char *eq = strchr(assigns->v[i], '=');
        if (eq) {
            char *name = xstrndup(assigns->v[i], (size_t)(eq - assigns->v[i] + 1));
            char *q = trace_quote(eq + 1);
            PUT(name);
            PUT(q);
            free(name);
            free(q);
        } else PUT(assigns->v[i]);
        first = false;
    }
    for (int i = 0; i < n; i++) {
        if (!first) PUT(" ");
        char *q = trace_quote(words[i]);
        PUT(q);
        free(q);
        first = false;
    }
    PUT("\n");
#undef PUT
    sh_write(sh, 2, b.s, b.len);
    free(b.s);
    free(pre);
}

/* ---- command lookup ---------------------------------------------------------- */

char *sh_find_in_path(struct sh *sh, const char *name, bool use_hash)
{
    if (strchr(name, '/')) return xstrdup(name);
    if (use_hash)
        for (struct sh_hash *h = sh->hash; h; h = h->next)
            if (!strcmp(h->name, name)) {
                h->hits++;
                return xstrdup(h->path);
            }
    const char *path = sh_var_get(sh, "PATH");
    if (!path) path = "";
    char *found = NULL, *fallback = NULL;
    while (!found) {
        size_t l = strcspn(path, ":");
        char *cand = xasprintf("%.*s%s%s", (int)l, path, l ? "/" : "", name);
        struct stat st;
        if (sys_stat(sh->p, cand, &st) == 0 && S_ISREG(st.st_mode)) {
            if (sys_access(sh->p, cand, X_OK) == 0) found = cand;
            else if (!fallback) fallback = cand;
            else free(cand);
        } else free(cand);
        if (!path[l]) break;
        path += l + 1;
    }
    if (!found) found = fallback;
    else free(fallback);
    if (found && use_hash && sh->opt[O_HASHALL]) {
        struct sh_hash *h = xmalloc(sizeof *h);
        h->name = xstrdup(name);
        h->path = xstrdup(found);
        h->hits = 1;
        h->next = sh->hash;
        sh->hash = h;
    }
    return found;
}

/* ---- running external commands ------------------------------------------ */

static int wait_status(int ws)
{
    return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

static int exec_file(struct sh *sh, const char *path, char **argv, char **env);

/* Run argv[0] from PATH as a child process on this thread. */
static int run_external(struct sh *sh, int argc, char **argv, char **env)
{
    char *path = sh_find_in_path(sh, argv[0], true);
    if (!path) {
        sh_error(sh, "%s: command not found", argv[0]);
        for (char **e = env; *e; e++) free(*e);
        free(env);
        return 127;
    }
    int st = exec_file(sh, path, argv, env);
    free(path);
    return st;
}


static int exec_file(struct sh *sh, const char *path, char **argv, char **env)
{
    struct proc *c = proc_new(sh->p->vm, sh->p);
    if (!c) {
        sh_error(sh, "fork: retry: Resource temporarily unavailable");
        return 254;
    }
    for (char **e = c->env; *e; e++) free(*e);
    free(c->env);
    c->env = env;
    int r = sys_exec(c, path, argv, false);
    if (r == -ENOEXEC) {
        /* No #! line: bash runs it as a shell script in a subshell. */
        struct stat st;
        if (sys_stat(sh->p, path, &st) == 0 && S_ISREG(st.st_mode)) {
            int n = 0;
            while (argv[n]) n++;
            char **av = xmalloc(((size_t)n + 2) * sizeof *av);
            av[0] = "bash";
            av[1] = (char *)path;
            for (int i = 1; i < n; i++) av[i + 1] = argv[i];
            av[n + 1] = NULL;
            r = proc_start(c, cmd_bash, n + 1, av, false);
            free(av);
        }
    }
    if (r < 0) {
        proc_discard(c);
        struct stat st;
        if (r == -ENOENT) {
            sh_error(sh, "%s: No such file or directory", path);
            return 127;
        }
        if (r == -EACCES && sys_stat(sh->p, path, &st) == 0 && S_ISDIR(st.st_mode)) {
            sh_error(sh, "%s: Is a directory", path);
            return 126;
        }
        if (r == -ELOOP && sys_stat(sh->p, path, &st) == 0) {
            sh_error(sh, "%s: %s", path, vos_strerror(-ENOEXEC));
            return 126;
        }
        sh_error(sh, "%s: %s", path, vos_strerror(r));
        return 126;
    }
    int ws = 0;
    sys_waitpid(sh->p, c->pid, &ws, 0);
    return wait_status(ws);
}

/* ---- simple commands -------------------------------------------------------- */

/* The elements of NAME=( ... ) expanded: keys[i] is the subscript text
 * ("+" prefixed for [k]+=v) or NULL for a plain element, vals[i] the value.
 * Subscripts of an associative array are expanded as words, of an indexed
 * one kept as arithmetic text. */
static int expand_elems(struct sh *sh, struct sh_word *elems, const char *name,
                        struct sh_strv *keys, struct sh_strv *vals)
{
    struct sh_var *v = sh_var_resolve(sh, name, NULL);
    bool assoc = v && (v->attr & V_ASSOC);
    for (struct sh_word *e = elems; e; e = e->next) {
        if (e->assign && !e->assign->name && e->assign->index) {
            char *val = e->parts ? sh_expand_word(sh, e, X_NOSPLIT | X_ASSIGN) : xstrdup("");
            char *k = assoc ? sh_expand_word(sh, e->assign->index, X_NOSPLIT)
                            : sh_expand_word(sh, e->assign->index, X_NOSPLIT | X_HEREDOC);
            if (!val || !k) {
                free(val);
                free(k);
                return -1;
            }
            if (e->assign->append) {
                char *pk = xasprintf("+%s", k);
                free(k);
                k = pk;
            }
            /* keys and vals stay parallel: push the key first. */
            if (keys->n + 2 > keys->cap) {
                keys->cap = keys->cap ? keys->cap * 2 : 8;
                keys->v = xrealloc(keys->v, keys->cap * sizeof *keys->v);
            }
            keys->v[keys->n++] = k;
            keys->v[keys->n] = NULL;
            strv_push(vals, val);
            continue;
        }
        struct sh_strv one = {0};
        struct sh_word w = *e;
        w.next = NULL;
        if (sh_expand_words(sh, &w, &one, 0) < 0) {
            strv_clear(&one);
            return -1;
        }
        for (size_t i = 0; i < one.n; i++) {
            if (keys->n + 2 > keys->cap) {
                keys->cap = keys->cap ? keys->cap * 2 : 8;
                keys->v = xrealloc(keys->v, keys->cap * sizeof *keys->v);
            }
            keys->v[keys->n++] = NULL;
            keys->v[keys->n] = NULL;
            strv_push(vals, one.v[i]);
            one.v[i] = NULL;
        }
        free(one.v);
    }
    return 0;
}

/* Apply an assignment word; with env, collect NAME=VALUE for a command's
 * temporary environment instead. */
static int do_assign(struct sh *sh, struct sh_word *w, struct sh_strv *env, struct sh_strv *tr)
{
    struct sh_assign *a = w->assign;
    const char *name = a->name;
    if (a->compound && env) {
        /* As an environment binding a compound value is just text. */
        strv_push(env, xstrdup(w->text));
        return 0;
    }
    if (a->compound && a->index) {
        sh_error(sh, "%s[%s]: cannot assign list to array member", name, a->index->text ? a->index->text : "");
        return -1;
    }
    if (a->compound && tr && sh->opt[O_XTRACE]) {
        char *pre = ps4(sh);
        sh_printf(sh, 2, "%s%s\n", pre, w->text);
        free(pre);
    }
    if (a->compound) {
        /* NAME=( ... ): the elements are expanded before the array changes,
         * so a=(0 "${a[@]}") sees the old value. */
        struct sh_strv keys = {0}, vals = {0};
        int kind_r = expand_elems(sh, a->elems, name, &keys, &vals);
        if (kind_r < 0) {
            strv_clear(&keys);
            strv_clear(&vals);
            return -1;
        }
        struct sh_var *v = sh_var_resolve(sh, name, &name);
        if (v && (v->attr & V_READONLY)) {
            sh_error(sh, "%s: readonly variable", name);
            return -1;
        }
        if (!v) v = sh_var_declare(sh, name, false);
        bool assoc = v->attr & V_ASSOC;
        if (!a->append) {
            unsigned keep = v->attr & (V_EXPORT | V_LOCAL | V_INTEGER | V_LOWER | V_UPPER | V_ASSOC);
            sh_var_clear_value(v);
            v->attr = keep;
        }
        if (!assoc) sh_var_make_array(v);
        intmax_t next = 0;
        if (!assoc && v->n) next = v->arr[v->n - 1].idx + 1;
        int r = 0;
        for (size_t i = 0; i < vals.n && r == 0; i++) {
            const char *k = keys.v[i];
            bool app = k && k[0] == '+';
            if (app) k++;
            if (assoc) {
                if (!k) {
                    sh_error(sh, "%s: %s: must use subscript when assigning associative array", name,
                             vals.v[i]);
                    continue;
                }
                r = sh_var_set_elem(sh, name, k, 0, vals.v[i], app);
            } else if (k) {
                intmax_t idx;
                if (sh_arith_text(sh, k, &idx) < 0) r = -1;
                else {
                    r = sh_var_set_elem(sh, name, NULL, idx, vals.v[i], app);
                    next = idx + 1;
                }
            } else r = sh_var_set_elem(sh, name, NULL, next++, vals.v[i], false);
        }
        strv_clear(&keys);
        strv_clear(&vals);
        if (r < 0) return -1;
        return 0;
    }
    char *val = w->parts ? sh_expand_word(sh, w, X_NOSPLIT | X_ASSIGN) : xstrdup("");
    if (!val) return -1;
    if (tr) {
        char *t = a->index ? xasprintf("%s[%s]%s=%s", name, a->index->text, a->append ? "+" : "", val)
                           : xasprintf("%s%s=%s", name, a->append ? "+" : "", val);
        if (env) strv_push(tr, t);
        else {
            /* An assignment statement traces each assignment before it. */
            struct sh_strv one = {0};
            strv_push(&one, t);
            trace(sh, NULL, 0, &one);
            strv_clear(&one);
        }
    }
    int r = 0;
    if (env) {
        /* NAME[i]=v before a command is not part of its environment. */
        if (!a->index) strv_push(env, xasprintf("%s=%s", name, val));
        free(val);
        return 0;
    }
    if (a->index) {
        struct sh_var *v = sh_var_resolve(sh, name, &name);
        if (v && (v->attr & V_ASSOC)) {
            char *k = sh_expand_word(sh, a->index, X_NOSPLIT);
            r = k ? sh_var_set_elem(sh, name, k, 0, val, a->append) : -1;
            free(k);
        } else {
            intmax_t idx;
            r = sh_arith_word(sh, a->index, &idx);
            if (r == 0) r = sh_var_set_elem(sh, name, NULL, idx, val, a->append);
        }
    } else r = sh_var_set(sh, name, val, a->append);
    free(val);
    return r;
}

/* Run a builtin with redirections applied for its duration. */
static int run_builtin(struct sh *sh, const struct sh_builtin *b, int argc, char **argv)
{
    return b->fn(sh, argc, argv);
}

int sh_call_function(struct sh *sh, struct sh_func *f, int argc, char **argv)
{
    int call_line = sh->lineno;
    if (sh->func_depth >= sh->lim.func_depth) {
        sh_error(sh, "%s: maximum function nesting level exceeded (%d)", argv[0], sh->lim.func_depth);
        sh->fatal = true;
        return 1;
    }
    /* Positional parameters, FUNCNAME, a new local scope. */
    char **saved_argv = sh->argv;
    int saved_argc = sh->argc;
    sh->argv = strv_copy(argv + 1, argc - 1);
    sh->argc = argc - 1;
    if (sh->nfunc + 1 >= sh->cap_func) {
        sh->cap_func = (sh->nfunc + 1) * 2;
        sh->funcname = xrealloc(sh->funcname, (size_t)sh->cap_func * sizeof *sh->funcname);
        sh->call_lines = xrealloc(sh->call_lines, (size_t)sh->cap_func * sizeof *sh->call_lines);
    }
    sh->funcname[sh->nfunc] = xstrdup(f->name);
    sh->call_lines[sh->nfunc] = sh->lineno;
    sh->nfunc++;
    sh->scope = sh_scope_new(sh->scope, true);
    sh->func_depth++;
    (*f->arena_refs)++;
    struct sh_arena *arena = f->arena;
    int *refs = f->arena_refs;
    struct sh_node *def = f->def;
    int saved_loop = sh->loop_depth;
    sh->loop_depth = 0;
    struct undo u = {0};
    int st;
    if (apply_redirs(sh, def->redirs, &u) < 0) st = 1;
    else st = sh_exec_node(sh, def->body);
    undo_redirs(sh, &u);
    if (sh->jump == J_RETURN) {
        st = sh->status;
        sh->jump = J_NONE;
    }
    if (sh->jump == J_BREAK || sh->jump == J_CONTINUE) sh->jump = J_NONE;
    sh->loop_depth = saved_loop;
    if (sh->trap_return && !sh->in_trap) sh_run_trap(sh, sh->trap_return);
    sh->func_depth--;
    struct sh_scope *s = sh->scope;
    sh->scope = s->up;
    sh_scope_free(s);
    sh->nfunc--;
    free(sh->funcname[sh->nfunc]);
    for (int i = 0; i < sh->argc; i++) free(sh->argv[i]);
    free(sh->argv);
    sh->argv = saved_argv;
    sh->argc = saved_argc;
    if (--*refs == 0) {
        sh_arena_free(arena);
        free(refs);
    }
    sh->lineno = call_line;
    return st;
}

/* Temporary assignments (x=1 cmd) seen by a function or builtin: a scope
 * of exported variables around the call. */
static void push_tmpenv(struct sh *sh, struct sh_strv *tmpenv)
{
    sh->scope = sh_scope_new(sh->scope, false);
    for (size_t i = 0; i < tmpenv->n; i++) {
        char *eq = strchr(tmpenv->v[i], '=');
        char *name = xstrndup(tmpenv->v[i], (size_t)(eq - tmpenv->v[i]));
        struct sh_var *v = sh_var_declare(sh, name, true);
        free(v->val);
        v->val = xstrdup(eq + 1);
        v->attr |= V_EXPORT;
        free(name);
    }
}

static void pop_tmpenv(struct sh *sh)
{
    struct sh_scope *s = sh->scope;
    sh->scope = s->up;
    sh_scope_free(s);
}

/* Run an expanded command: function, builtin or file. */
static int dispatch(struct sh *sh, int argc, char **argv, struct sh_strv *tmpenv, bool no_func,
                    bool builtins_only)
{
    struct sh_func *f = no_func ? NULL : sh_func_find(sh, argv[0]);
    const struct sh_builtin *b = sh_builtin_find(argv[0]);
    if (b && !sh_builtin_enabled(sh, argv[0])) b = NULL;
    bool tmp = tmpenv && tmpenv->n;
    if (f && !(b && b->special && sh->opt[O_POSIX])) {
        if (tmp) push_tmpenv(sh, tmpenv);
        int st = sh_call_function(sh, f, argc, argv);
        if (tmp) pop_tmpenv(sh);
        return st;
    }
    if (b) {
        if (tmp && b->special) {
            /* Special builtins keep the assignments. */
            for (size_t i = 0; i < tmpenv->n; i++) {
                char *eq = strchr(tmpenv->v[i], '=');
                char *name = xstrndup(tmpenv->v[i], (size_t)(eq - tmpenv->v[i]));
                sh_var_set(sh, name, eq + 1, false);
                free(name);
            }
            tmp = false;
        }
        if (tmp) push_tmpenv(sh, tmpenv);
        int st = run_builtin(sh, b, argc, argv);
        if (tmp) pop_tmpenv(sh);
        return st;
    }
    if (builtins_only) {
        sh_error(sh, "%s: not a shell builtin", argv[0]);
        return 1;
    }
    char **env = sh_build_env(sh);
    if (tmpenv)
        for (size_t i = 0; i < tmpenv->n; i++) {
            char *eq = strchr(tmpenv->v[i], '=');
            char *name = xstrndup(tmpenv->v[i], (size_t)(eq - tmpenv->v[i]) + 1);
            size_t nl = strlen(name);
            size_t k = 0;
            while (env[k] && strncmp(env[k], name, nl)) k++;
            if (env[k]) {
                free(env[k]);
                env[k] = xstrdup(tmpenv->v[i]);
            } else {
                size_t n = k;
                env = xrealloc(env, (n + 2) * sizeof *env);
                env[n] = xstrdup(tmpenv->v[i]);
                env[n + 1] = NULL;
            }
            free(name);
        }
    return run_external(sh, argc, argv, env);
}

int sh_run_external_env(struct sh *sh, int argc, char **argv, char **env)
{
    return run_external(sh, argc, argv, env);
}

int sh_run_argv(struct sh *sh, int argc, char **argv, bool builtins_only, bool no_functions)
{
    return dispatch(sh, argc, argv, NULL, no_functions, builtins_only);
}

static void set_last_arg(struct sh *sh, int argc, char **argv)
{
    free(sh->last_arg);
    sh->last_arg = xstrdup(argc ? argv[argc - 1] : "");
}

static bool is_decl_builtin(struct sh *sh, const char *name)
{
    static const char *const names[] = {"declare", "typeset", "local", "export", "readonly"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i], name)) return !sh_func_find(sh, name);
    return false;
}

int sh_assign_text(struct sh *sh, const char *text)
{
    struct sh_arena *a = sh_arena_new();
    if (!a) return -1;
    struct sh_node *n = NULL;
    const char *err;
    int el, r = -1;
    if (sh_parse_string(a, text, strlen(text), NULL, &n, &err, &el) == 0 && n &&
        n->kind == SH_N_LIST && n->kids && !n->kids->next)
        n = n->kids;
    while (n && (n->kind == SH_N_PIPELINE || n->kind == SH_N_ANDOR) && n->kids && !n->kids->next)
        n = n->kids;
    if (n && n->kind == SH_N_SIMPLE && n->words && (n->words->flags & SH_WF_ASSIGN) && !n->words->next)
        r = do_assign(sh, n->words, NULL, NULL);
    else sh_error(sh, "`%s': not a valid identifier", text);
    sh_arena_free(a);
    return r;
}

static int exec_simple(struct sh *sh, struct sh_node *n)
{
    sh->lineno = n->line;
    uint64_t subs = sh->cmdsubs;
    struct sh_word *w = n->words;
    struct sh_word *assigns = NULL, *first_cmd = NULL;
    for (; w; w = w->next) {
        if (!(w->flags & SH_WF_ASSIGN)) {
            first_cmd = w;
            break;
        }
        if (!assigns) assigns = w;
    }
    struct sh_strv args = {0};
    if (first_cmd) {
        /* The command name first: declaration builtins expand their
         * assignment arguments differently. */
        struct sh_word one = *first_cmd;
        one.next = NULL;
        int r = sh_expand_words(sh, &one, &args, 0);
        int xf = 0;
        if (r == 0 && args.n && is_decl_builtin(sh, args.v[0])) xf = X_DECL;
        if (r == 0 && first_cmd->next) r = sh_expand_words(sh, first_cmd->next, &args, xf);
        if (r < 0) {
            strv_clear(&args);
            return sh->fatal ? (sh->status = 1) : 1;
        }
    }
    int st = 0;
    struct sh_strv tr = {0};
    if (!args.n) {
        /* Assignments only (or an empty expansion): they persist. */
        /* The status is that of the last command substitution, else 0;
         * $? in the values still sees the previous command's status. */
        for (w = assigns; w && w != first_cmd; w = w->next) {
            if (do_assign(sh, w, NULL, sh->opt[O_XTRACE] ? &tr : NULL) < 0) {
                st = 1;
                if (!sh->interactive) sh->fatal = true;
                break;
            }
        }
        strv_clear(&tr);
        struct undo u = {0};
        if (!st && apply_redirs(sh, n->redirs, &u) < 0) st = 1;
        undo_redirs(sh, &u);
        if (!st) st = sh->cmdsubs != subs ? sh->status : 0;
        strv_clear(&args);
        return st;
    }
    /* Temporary environment for the command. */
    struct sh_strv tmpenv = {0};
    for (w = assigns; w && w != first_cmd; w = w->next) {
        if (do_assign(sh, w, &tmpenv, sh->opt[O_XTRACE] ? &tr : NULL) < 0) {
            strv_clear(&tmpenv);
            strv_clear(&args);
            strv_clear(&tr);
            return 1;
        }
    }
    trace(sh, args.v, (int)args.n, &tr);
    strv_clear(&tr);
    if (!strcmp(args.v[0], "exec") && (args.n == 1 || (args.n == 2 && !strcmp(args.v[1], "--")))) {
        /* exec with only redirections: they stay. */
        st = apply_redirs(sh, n->redirs, NULL) < 0 ? 1 : 0;
        strv_clear(&tmpenv);
        strv_clear(&args);
        return st;
    }
    struct undo u = {0};
    if (apply_redirs(sh, n->redirs, &u) < 0) {
        undo_redirs(sh, &u);
        strv_clear(&tmpenv);
        strv_clear(&args);
        return 1;
    }
    sh->commands_run++;
    st = dispatch(sh, (int)args.n, args.v, &tmpenv, false, false);
    undo_redirs(sh, &u);
    set_last_arg(sh, (int)args.n, args.v);
    strv_clear(&tmpenv);
    strv_clear(&args);
    return st;
}

/* ---- subshells, pipelines, background -------------------------------------- */

struct child_arg {
    struct sh_node *node;
};

static int child_main(struct proc *p, int argc, char **argv)
{
    struct sh *sh = p->sh;
    struct sh_node *node = p->userdata;
    int st = sh_exec_node(sh, node);
    if (sh->jump == J_EXIT || sh->exit_requested) st = sh->exit_status;
    st = sh_exit_shell(sh, st);
    sh_free(sh);
    p->sh = NULL;
    return st;
}

/* Start node in a child process with a copy of the shell. in/out: fds of
 * the parent to put on the child's 0/1 (-1 to keep). */
static struct proc *spawn_node(struct sh *sh, struct sh_node *node, int in, int out,
                               bool async, int close_a, int close_b)
{
    struct proc *c = proc_new(sh->p->vm, sh->p);
    if (!c) {
        sh_error(sh, "fork: retry: Resource temporarily unavailable");
        return NULL;
    }
    if (in >= 0) fd_install(c, fd_get(sh->p, in), 0, true, false);
    if (out >= 0) fd_install(c, fd_get(sh->p, out), 1, true, false);
    if (close_a >= 0) sys_close(c, close_a);
    if (close_b >= 0) sys_close(c, close_b);
    proc_close_cloexec(c); /* pipe ends and the shell's saved fds */
    c->sh = sh_clone(sh, c);
    c->userdata = node;
    char *argv[] = {sh->arg0, NULL};
    if (proc_start(c, child_main, 1, argv, async) < 0) {
        sh_free(c->sh);
        proc_discard(c);
        sh_error(sh, "fork: retry: Resource temporarily unavailable");
        return NULL;
    }
    return c;
}

static void set_pipestatus(struct sh *sh, int *st, int n)
{
    sh->npipestatus = n < 256 ? n : 256;
    for (int i = 0; i < sh->npipestatus; i++) sh->pipestatus[i] = st[i];
}

/* $PIPESTATUS, $FUNCNAME, $BASH_LINENO and $BASH_SOURCE are built when
 * read: keeping arrays up to date after every command or call would cost
 * more than the commands. A scratch variable holds the last one read. */
struct sh_var *sh_special_array(struct sh *sh, const char *name)
{
    int which = !strcmp(name, "PIPESTATUS") ? 0 : !strcmp(name, "FUNCNAME") ? 1
              : !strcmp(name, "BASH_LINENO") ? 2 : !strcmp(name, "BASH_SOURCE") ? 3 : -1;
    if (which < 0 || (which > 0 && !sh->nfunc)) return NULL;
    if (!sh->ps_var) {
        sh->ps_var = calloc(1, sizeof *sh->ps_var);
        if (!sh->ps_var) return NULL;
    }
    struct sh_var *v = sh->ps_var;
    sh_var_clear_value(v);
    v->name = "";
    v->attr = V_ARRAY;
    int n = which == 0 ? sh->npipestatus : sh->nfunc;
    for (int i = 0; i < n; i++) {
        char buf[32];
        const char *val = buf;
        int top = sh->nfunc - 1 - i; /* innermost first */
        if (which == 0) snprintf(buf, sizeof buf, "%d", sh->pipestatus[i]);
        else if (which == 1) val = sh->funcname[top];
        else if (which == 2) snprintf(buf, sizeof buf, "%d", sh->call_lines[top]);
        else val = sh->src_kind == SRC_FILE ? sh->script_name : sh->src_kind == SRC_C ? "environment" : "main";
        sh_array_set(v, i, val, false);
    }
    return v;
}

static int exec_pipeline(struct sh *sh, struct sh_node *n)
{
    int count = 0;
    for (struct sh_node *k = n->kids; k; k = k->next) count++;
    bool bang = n->flags & SH_NF_BANG;
    int st;
    if (count <= 1) {
        if (bang) sh->errexit_suppressed++;
        st = n->kids ? sh_exec_node(sh, n->kids) : 0;
        if (bang) sh->errexit_suppressed--;
        if (!bang && n->kids && n->kids->kind != SH_N_SIMPLE) set_pipestatus(sh, &st, 1);
        else if (n->kids) set_pipestatus(sh, &st, 1);
        return bang ? !st : st;
    }
    int *pids = xmalloc((size_t)count * sizeof *pids);
    int *stats = xmalloc((size_t)count * sizeof *stats);
    int prev = -1, i = 0;
    bool lastpipe = sh->shopt[S_LASTPIPE] && !sh->opt[O_MONITOR];
    struct sh_node *k = n->kids;
    for (; k; k = k->next, i++) {
        int fds[2] = {-1, -1};
        bool last = !k->next;
        if (!last && sys_pipe(sh->p, fds, O_CLOEXEC) < 0) {
            pids[i] = -1;
            stats[i] = 1;
            break;
        }
        if (last && lastpipe) {
            /* The last stage runs in this shell with stdin from the pipe. */
            struct undo u = {0};
            save_fd(sh, &u, 0);
            sys_dup2(sh->p, prev, 0);
            sys_close(sh->p, prev);
            prev = -1;
            stats[i] = sh_exec_node(sh, k);
            pids[i] = 0;
            undo_redirs(sh, &u);
            break;
        }
        /* The last stage runs on this thread (as a child process): one host
         * thread fewer per pipeline. */
        struct proc *c = spawn_node(sh, k, prev, last ? -1 : fds[1], !last, -1, -1);
        pids[i] = c ? c->pid : -1;
        stats[i] = c ? 0 : 1;
        if (prev >= 0) sys_close(sh->p, prev);
        if (!last) sys_close(sh->p, fds[1]);
        prev = fds[0];
    }
    if (prev >= 0) sys_close(sh->p, prev);
    for (int j = 0; j < count; j++) {
        if (pids[j] <= 0) continue;
        int ws = 0;
        if (sys_waitpid(sh->p, pids[j], &ws, 0) == pids[j]) stats[j] = wait_status(ws);
        else stats[j] = 128 + (sh->p->killed ? sh->p->killed : SIGINT);
    }
    set_pipestatus(sh, stats, count);
    st = stats[count - 1];
    if (sh->opt[O_PIPEFAIL])
        for (int j = count - 1; j >= 0; j--)
            if (stats[j]) {
                st = stats[j];
                break;
            }
    free(pids);
    free(stats);
    return bang ? !st : st;
}

static void add_job(struct sh *sh, int pid, struct sh_node *n)
{
    if (sh->njobs == sh->cap_jobs) {
        sh->cap_jobs = sh->cap_jobs ? sh->cap_jobs * 2 : 4;
        sh->jobs = xrealloc(sh->jobs, (size_t)sh->cap_jobs * sizeof *sh->jobs);
    }
    struct sh_job *j = &sh->jobs[sh->njobs++];
    memset(j, 0, sizeof *j);
    j->id = sh->njobs;
    for (int i = 0; i < sh->njobs - 1; i++)
        if (sh->jobs[i].id >= j->id) j->id = sh->jobs[i].id + 1;
    j->pgid = pid;
    j->npids = 1;
    j->pids = xmalloc(sizeof *j->pids);
    j->pids[0] = pid;
    j->status = xmalloc(sizeof *j->status);
    j->status[0] = -1;
    j->text = sh_print_command(n);
    if (!j->text) j->text = xstrdup("");
}

static int exec_background(struct sh *sh, struct sh_node *n)
{
    /* Without job control, a background command's stdin is /dev/null. */
    int devnull = -1;
    if (!sh->opt[O_MONITOR]) devnull = sys_open(sh->p, "/dev/null", O_RDONLY | O_CLOEXEC, 0);
    struct proc *c = spawn_node(sh, n, devnull, -1, true, -1, -1);
    if (devnull >= 0) sys_close(sh->p, devnull);
    if (!c) return 1;
    sh->last_bg = c->pid;
    add_job(sh, c->pid, n);
    return 0;
}

/* ---- [[ ]] ------------------------------------------------------------------ */

static int regex_match(struct sh *sh, const char *s, const char *re)
{
    regex_t rx;
    int fl = REG_EXTENDED | (sh->shopt[S_NOCASEMATCH] ? REG_ICASE : 0);
    int rc = regcomp(&rx, re, fl);
    if (rc) {
        /* bash: status 2 for a bad regex */
        return 2;
    }
    regmatch_t m[64];
    proc_check(sh->p);
    rc = regexec(&rx, s, 64, m, 0);
    struct sh_var *v = sh_var_declare(sh, "BASH_REMATCH", false);
    if (!(v->attr & V_READONLY)) {
        sh_var_clear_value(v);
        v->attr = (v->attr & ~(V_ASSOC)) | V_ARRAY;
        if (rc == 0) {
            for (size_t i = 0; i <= rx.re_nsub && i < 64; i++) {
                if (m[i].rm_so < 0) {
                    sh_array_set(v, (intmax_t)i, "", false);
                    continue;
                }
                char *sub = xstrndup(s + m[i].rm_so, (size_t)(m[i].rm_eo - m[i].rm_so));
                sh_array_set(v, (intmax_t)i, sub, false);
                free(sub);
            }
        }
    }
    regfree(&rx);
    return rc == 0 ? 0 : 1;
}

static int eval_cond(struct sh *sh, struct sh_cond *c)
{
    int r;
    switch (c->kind) {
    case SH_C_AND:
        r = eval_cond(sh, c->left);
        if (r == 0) r = eval_cond(sh, c->right);
        break;
    case SH_C_OR:
        r = eval_cond(sh, c->left);
        if (r == 1) r = eval_cond(sh, c->right);
        break;
    case SH_C_GROUP: r = eval_cond(sh, c->left); break;
    case SH_C_UNARY: {
        char *a = sh_expand_word(sh, c->word, X_NOSPLIT);
        if (!a) return 2;
        int t = sh_test_unary(sh, c->op, a);
        free(a);
        r = t < 0 ? 2 : !t;
        break;
    }
    case SH_C_BINARY: {
        char *l = sh_expand_word(sh, c->word, X_NOSPLIT);
        if (!l) return 2;
        const char *op = c->op;
        if (!strcmp(op, "==") || !strcmp(op, "=") || !strcmp(op, "!=")) {
            char *pat = sh_expand_word(sh, c->word2, X_NOSPLIT | X_PATTERN);
            if (!pat) {
                free(l);
                return 2;
            }
            bool m = sh_match(sh, pat, l);
            r = (op[0] == '!') ? m : !m;
            free(pat);
        } else if (!strcmp(op, "=~")) {
            char *re = sh_expand_word(sh, c->word2, X_NOSPLIT | X_REGEX);
            if (!re) {
                free(l);
                return 2;
            }
            r = regex_match(sh, l, re);
            free(re);
        } else {
            char *rr = sh_expand_word(sh, c->word2, X_NOSPLIT);
            if (!rr) {
                free(l);
                return 2;
            }
            bool arith = !strcmp(op, "-eq") || !strcmp(op, "-ne") || !strcmp(op, "-lt") ||
                         !strcmp(op, "-le") || !strcmp(op, "-gt") || !strcmp(op, "-ge");
            if (arith) {
                intmax_t a, b;
                if (sh_arith_text(sh, l, &a) < 0 || sh_arith_text(sh, rr, &b) < 0) r = 2;
                else {
                    bool t = !strcmp(op, "-eq") ? a == b : !strcmp(op, "-ne") ? a != b
                             : !strcmp(op, "-lt") ? a < b : !strcmp(op, "-le") ? a <= b
                             : !strcmp(op, "-gt") ? a > b : a >= b;
                    r = !t;
                }
            } else {
                int t = sh_test_binary(sh, l, op, rr);
                r = t < 0 ? 2 : !t;
            }
            free(rr);
        }
        free(l);
        break;
    }
    default: r = 2;
    }
    if (c->negate && r < 2) r = !r;
    return r;
}

/* ---- compound commands -------------------------------------------------- */

static void debug_trap(struct sh *sh, int line);

static bool loop_should_stop(struct sh *sh)
{
    if (sh->jump == J_BREAK) {
        if (--sh->jump_count <= 0) sh->jump = J_NONE;
        return true;
    }
    if (sh->jump == J_CONTINUE) {
        if (--sh->jump_count <= 0) {
            sh->jump = J_NONE;
            return false;
        }
        return true;
    }
    return sh->jump != J_NONE || sh->fatal;
}

static int exec_for(struct sh *sh, struct sh_node *n)
{
    if (!sh_valid_name(n->name)) {
        sh_error(sh, "`%s': not a valid identifier", n->name);
        return 1;
    }
    struct sh_strv items = {0};
    if (n->flags & SH_NF_FOR_IN) {
        if (sh_expand_words(sh, n->words, &items, 0) < 0) return 1;
    } else {
        for (int i = 0; i < sh->argc; i++) strv_push(&items, xstrdup(sh->argv[i]));
    }
    int st = 0;
    sh->loop_depth++;
    for (size_t i = 0; i < items.n; i++) {
        if (proc_check(sh->p) < 0 && sh->p->killed) break;
        debug_trap(sh, n->line);
        if (sh->jump == J_EXIT) break;
        if (sh_var_set(sh, n->name, items.v[i], false) < 0) {
            st = 1;
            break;
        }
        st = sh_exec_node(sh, n->body);
        if (loop_should_stop(sh)) break;
    }
    sh->loop_depth--;
    strv_clear(&items);
    return st;
}

static int exec_arith_for(struct sh *sh, struct sh_node *n)
{
    intmax_t v;
    int st = 0;
    if (n->arith[0] && sh_arith_word(sh, n->arith[0], &v) < 0) return 1;
    sh->loop_depth++;
    for (;;) {
        if (proc_check(sh->p) < 0 && sh->p->killed) break;
        if (n->arith[1] && n->arith[1]->parts) {
            if (sh_arith_word(sh, n->arith[1], &v) < 0) {
                st = 1;
                break;
            }
            if (!v) break;
        }
        st = sh_exec_node(sh, n->body);
        if (loop_should_stop(sh)) break;
        if (n->arith[2] && sh_arith_word(sh, n->arith[2], &v) < 0) {
            st = 1;
            break;
        }
    }
    sh->loop_depth--;
    return st;
}

static int exec_while(struct sh *sh, struct sh_node *n, bool until)
{
    int st = 0;
    sh->loop_depth++;
    for (;;) {
        if (proc_check(sh->p) < 0 && sh->p->killed) break;
        sh->errexit_suppressed++;
        int c = sh_exec_node(sh, n->cond);
        sh->errexit_suppressed--;
        if (sh->jump != J_NONE) {
            if (loop_should_stop(sh)) break;
            continue;
        }
        if (sh->fatal) break;
        if (until ? c == 0 : c != 0) break;
        st = sh_exec_node(sh, n->body);
        if (loop_should_stop(sh)) break;
    }
    sh->loop_depth--;
    return st;
}

static int exec_case(struct sh *sh, struct sh_node *n)
{
    char *word = sh_expand_word(sh, n->words, X_NOSPLIT);
    if (!word) return 1;
    int st = 0;
    bool fall = false;
    for (struct sh_case_item *it = n->items; it; it = it->next) {
        bool hit = fall;
        for (struct sh_word *p = it->patterns; p && !hit; p = p->next) {
            char *pat = sh_expand_word(sh, p, X_NOSPLIT | X_PATTERN);
            if (!pat) {
                free(word);
                return 1;
            }
            hit = sh_match(sh, pat, word);
            free(pat);
        }
        if (!hit) continue;
        st = it->body ? sh_exec_node(sh, it->body) : 0;
        if (sh->jump != J_NONE || sh->fatal) break;
        if (it->term == SH_CASE_BREAK) break;
        fall = it->term == SH_CASE_FALL;
    }
    free(word);
    return st;
}

static void check_errexit(struct sh *sh, int st)
{
    if (!st || sh->errexit_suppressed || sh->jump != J_NONE) return;
    if (sh->trap_err && !sh->in_trap && (!sh->func_depth || sh->opt[O_ERRTRACE])) {
        int saved = sh->status;
        sh->status = st;
        sh_run_trap(sh, sh->trap_err);
        sh->status = saved;
    }
    if (sh->opt[O_ERREXIT] && !sh->exit_requested) {
        sh->exit_requested = true;
        sh->exit_status = st;
        sh->jump = J_EXIT;
    }
}

/* The DEBUG trap runs before simple commands, [[ ]], (( )), case, and each
 * for iteration, at the command's line; $? is kept for the command. */
static void debug_trap(struct sh *sh, int line)
{
    if (!sh->trap_debug || sh->in_trap || (sh->func_depth && !sh->opt[O_FUNCTRACE])) return;
    int saved = sh->status;
    sh->lineno = line;
    sh_run_trap(sh, sh->trap_debug);
    if (sh->jump == J_RETURN && !sh->func_depth && !sh->source_depth) sh->jump = J_NONE;
    if (sh->jump != J_EXIT) sh->status = saved;
}

static void run_pending_traps(struct sh *sh)
{
    struct proc *p = sh->p;
    if (!p->sig_caught || sh->in_trap) return;
    for (int sig = 1; sig <= 64; sig++) {
        uint64_t bit = 1ull << (sig - 1);
        if (!(p->sig_caught & bit)) continue;
        p->sig_caught &= ~bit;
        if (sh->traps[sig]) {
            int saved = sh->status;
            sh_run_trap(sh, sh->traps[sig]);
            if (sh->jump != J_EXIT) sh->status = saved;
        }
    }
}

void sh_after_command(struct sh *sh)
{
    run_pending_traps(sh);
}

static void debug_trap(struct sh *sh, int line);

static int exec_node_inner(struct sh *sh, struct sh_node *n)
{
    int st = 0;
    switch (n->kind) {
    case SH_N_SIMPLE:
        debug_trap(sh, n->line);
        if (sh->jump == J_EXIT) return sh->status;
        st = exec_simple(sh, n);
        sh->status = st;
        sh->pipestatus[0] = st;
        sh->npipestatus = 1;
        check_errexit(sh, st);
        return st;
    case SH_N_PIPELINE:
        sh->lineno = n->line;
        st = exec_pipeline(sh, n);
        sh->lineno = n->line;
        sh->status = st;
        if (n->kids && n->kids->next) check_errexit(sh, st);
        else if (n->flags & SH_NF_BANG) {
        }
        return st;
    case SH_N_ANDOR: {
        struct sh_node *k = n->kids;
        st = 0;
        bool run = true;
        for (; k; k = k->next) {
            bool last = !k->next;
            if (run) {
                if (!last) sh->errexit_suppressed++;
                st = sh_exec_node(sh, k);
                if (!last) sh->errexit_suppressed--;
                sh->status = st;
                if (sh->jump != J_NONE || sh->fatal) return st;
            }
            if (last) break;
            /* k->sep says how k connects to the next one. */
            if (k->sep == SH_SEP_AND) run = st == 0;
            else if (k->sep == SH_SEP_OR) run = st != 0;
        }
        return st;
    }
    case SH_N_LIST:
        for (struct sh_node *k = n->kids; k; k = k->next) {
            if (k->sep == SH_SEP_AMP) {
                st = exec_background(sh, k);
            } else st = sh_exec_node(sh, k);
            sh->status = st;
            sh_after_command(sh);
            if (sh->jump != J_NONE || sh->fatal) break;
        }
        return st;
    case SH_N_SUBSHELL: {
        struct proc *c = spawn_node(sh, n->body, -1, -1, false, -1, -1);
        if (!c) return 1;
        int ws = 0;
        sys_waitpid(sh->p, c->pid, &ws, 0);
        st = wait_status(ws);
        sh->status = st;
        check_errexit(sh, st);
        return st;
    }
    case SH_N_GROUP: return n->body ? sh_exec_node(sh, n->body) : 0;
    case SH_N_IF: {
        sh->errexit_suppressed++;
        int c = sh_exec_node(sh, n->cond);
        sh->errexit_suppressed--;
        if (sh->jump != J_NONE || sh->fatal) return c;
        if (c == 0) return n->body ? sh_exec_node(sh, n->body) : 0;
        if (n->els) return sh_exec_node(sh, n->els);
        return 0;
    }
    case SH_N_WHILE: return exec_while(sh, n, false);
    case SH_N_UNTIL: return exec_while(sh, n, true);
    case SH_N_FOR: return exec_for(sh, n);
    case SH_N_SELECT: return exec_for(sh, n);
    case SH_N_ARITH_FOR: return exec_arith_for(sh, n);
    case SH_N_CASE:
        debug_trap(sh, n->line);
        sh->lineno = n->line;
        return exec_case(sh, n);
    case SH_N_FUNCDEF:
        if (sh_func_define(sh, n->name, n, NULL) < 0) return 1;
        return 0;
    case SH_N_COND:
        debug_trap(sh, n->line);
        sh->lineno = n->line;
        if (sh->opt[O_XTRACE]) {
            char *t = sh_print_command(n);
            char *pre = ps4(sh);
            if (t) sh_printf(sh, 2, "%s%s\n", pre, t);
            free(t);
            free(pre);
        }
        st = eval_cond(sh, n->test);
        sh->status = st;
        check_errexit(sh, st);
        return st;
    case SH_N_ARITH: {
        debug_trap(sh, n->line);
        sh->lineno = n->line;
        intmax_t v;
        sh->arith_prefix = "((: ";
        if (sh_arith_word(sh, n->arith[0], &v) < 0) st = 1;
        else st = v == 0;
        sh->arith_prefix = NULL;
        if (sh->opt[O_XTRACE]) {
            char *e = sh_expand_word(sh, n->arith[0], X_NOSPLIT);
            char *pre = ps4(sh);
            sh_printf(sh, 2, "%s(( %s ))\n", pre, e ? e : "");
            free(e);
            free(pre);
        }
        sh->status = st;
        check_errexit(sh, st);
        return st;
    }
    case SH_N_COPROC:
        sh_error(sh, "coproc: not supported");
        return 1;
    }
    return 0;
}

/* Compound commands carry redirections of their own. */
int sh_exec_node(struct sh *sh, struct sh_node *n)
{
    if (!n) return 0;
    if (sh->fatal || sh->jump != J_NONE) return sh->status;
    if (sh->opt[O_NOEXEC]) return 0;
    if (proc_check(sh->p) < 0 && sh->p->killed) {
        sh->jump = J_EXIT;
        sh->exit_requested = true;
        sh->exit_status = 128 + sh->p->killed;
        return sh->exit_status;
    }
    run_pending_traps(sh);
    if (n->kind == SH_N_SIMPLE || !n->redirs || n->kind == SH_N_FUNCDEF)
        return exec_node_inner(sh, n);
    struct undo u = {0};
    int st;
    if (apply_redirs(sh, n->redirs, &u) < 0) {
        /* A failed redirection of a compound command counts for set -e. */
        st = sh->status = 1;
        check_errexit(sh, st);
    } else st = exec_node_inner(sh, n);
    undo_redirs(sh, &u);
    return st;
}

/* ---- running source text ---------------------------------------------------- */

int sh_run_trap(struct sh *sh, const char *code)
{
    bool saved_in = sh->in_trap;
    sh->in_trap = true;
    int saved_line = sh->lineno;
    int st = sh_run_source(sh, code, strlen(code), sh->lineno);
    sh->lineno = saved_line;
    sh->in_trap = saved_in;
    return st;
}

int sh_run_source(struct sh *sh, const char *src, size_t len, int first_line)
{
    const char *label = sh->run_label;
    sh->run_label = NULL; /* only for this level's syntax errors */
    struct sh_parse_opts o = sh->popts;
    o.first_line = first_line;
    o.max_depth = sh->lim.parse_depth;
    struct sh_parser *ps = sh_parser_new(src, len, &o);
    if (!ps) return 1;
    int st = sh->status;
    sh->run_depth++;
    const char *my_label = label;
    size_t shown = 0;
    for (;;) {
        o.extglob = sh->shopt[S_EXTGLOB];
        struct sh_node *n = NULL;
        int r = sh_parse_next(ps, &n);
        if (sh->opt[O_VERBOSE] && r >= 0) {
            /* set -v: echo the input as it is read. */
            size_t off;
            const char *text = sh_parser_text(ps, &off);
            if (off > shown) sh_write(sh, 2, text + shown, off - shown);
            shown = off;
        } else {
            sh_parser_text(ps, &shown);
        }
        if (r == 0) break;
        if (r < 0) {
            sh->run_label = my_label;
            int line;
            const char *ctx;
            const char *msg = sh_parser_error(ps, &line, &ctx);
            char *pre;
            const char *base = sh->func_depth > 0 && sh->src_kind != SRC_FILE
                                   ? (sh->src_kind == SRC_C ? "environment" : "main")
                                   : sh->script_name;
            if (sh->run_label) pre = xasprintf("%s: %s: line %d: ", base, sh->run_label, line - first_line + 1);
            else if (sh->src_kind == SRC_FILE) pre = xasprintf("%s: line %d: ", sh->script_name, line);
            else if (sh->run_depth == 1 && sh->src_kind == SRC_C) pre = xasprintf("bash: -c: line %d: ", line);
            else pre = xasprintf("%s: line %d: ", base, line);
            sh_printf(sh, 2, "%s%s\n", pre, msg ? msg : "syntax error");
            if (ctx) sh_printf(sh, 2, "%s`%s'\n", pre, ctx);
            free(pre);
            sh->run_label = NULL;
            st = 2;
            sh->status = 2;
            /* Only the script itself ends on a syntax error; eval, source
             * and traps return 2. */
            if (!sh->interactive && sh->run_depth == 1) {
                sh->exit_requested = true;
                sh->exit_status = 2;
                sh->jump = J_EXIT;
            }
            break;
        }
        if (!n) continue;
        st = sh_exec_node(sh, n);
        sh->status = st;
        sh_after_command(sh);
        if (sh->exit_requested && sh->jump == J_NONE) sh->jump = J_EXIT;
        if (sh->fatal) {
            /* An expansion or assignment error abandons the rest of the
             * current top-level command, as bash discards the line; in eval
             * and source it ends that text, which then returns 1. */
            if (sh->jump != J_NONE) break;
            sh->fatal = false;
            if (!st) st = sh->status = 1;
            if (sh->run_depth > 1) break;
            continue;
        }
        if (sh->jump != J_NONE) break;
    }
    sh_parser_free(ps);
    sh->run_depth--;
    return st;
}

int sh_exit_shell(struct sh *sh, int status)
{
    if (sh->traps[0]) {
        char *code = sh->traps[0];
        sh->traps[0] = NULL;
        sh->jump = J_NONE;
        sh->fatal = false;
        sh->status = status;
        sh_run_trap(sh, code);
        free(code);
        if (sh->jump == J_EXIT) status = sh->exit_status;
    }
    return status & 0xff;
}
