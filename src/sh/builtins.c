/* sh/builtins.c — the table of every builtin, and the small ones: control
 * flow (exit return break continue shift), eval/source/exec, set/shopt/unset,
 * cd/pwd/echo, alias, type/command/builtin/hash, trap, jobs/wait/kill,
 * umask, times, let. The big ones are in bi_*.c.
 */
#include "sh/builtins.h"
#include <ctype.h>
#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

const struct sh_builtin sh_builtins[] = {
    {".", bi_source, true},      {":", bi_colon, true},         {"[", bi_bracket, false},
    {"alias", bi_alias, false},  {"bg", bi_bg, false},           {"break", bi_break, true},
    {"builtin", bi_builtin, false}, {"caller", bi_caller, false}, {"cd", bi_cd, false},
    {"command", bi_command, false}, {"compgen", bi_compgen, false}, {"complete", bi_complete, false},
    {"compopt", bi_compopt, false}, {"continue", bi_continue, true}, {"declare", bi_declare, false},
    {"dirs", bi_dirs, false},    {"disown", bi_disown, false},   {"echo", bi_echo, false},
    {"enable", bi_enable, false}, {"eval", bi_eval, true},       {"exec", bi_exec, true},
    {"exit", bi_exit, true},     {"export", bi_export, true},    {"false", bi_false, false},
    {"fc", bi_fc, false},        {"fg", bi_fg, false},           {"getopts", bi_getopts, false},
    {"hash", bi_hash, false},    {"help", bi_help, false},       {"history", bi_history, false},
    {"jobs", bi_jobs, false},    {"kill", bi_kill, false},       {"let", bi_let, false},
    {"local", bi_local, false},  {"logout", bi_logout, false},   {"mapfile", bi_mapfile, false},
    {"popd", bi_popd, false},    {"printf", bi_printf, false},   {"pushd", bi_pushd, false},
    {"pwd", bi_pwd, false},      {"read", bi_read, false},       {"readarray", bi_mapfile, false},
    {"readonly", bi_readonly, true}, {"return", bi_return, true}, {"set", bi_set, true},
    {"shift", bi_shift, true},   {"shopt", bi_shopt, false},     {"source", bi_source, true},
    {"suspend", bi_suspend, false}, {"test", bi_test, false},    {"times", bi_times, true},
    {"trap", bi_trap, true},     {"true", bi_true, false},       {"type", bi_type, false},
    {"typeset", bi_declare, false}, {"ulimit", bi_ulimit, false}, {"umask", bi_umask, false},
    {"unalias", bi_unalias, false}, {"unset", bi_unset, true},   {"wait", bi_wait, false},
};
const size_t sh_builtin_count = sizeof sh_builtins / sizeof sh_builtins[0];

const struct sh_builtin *sh_builtin_find(const char *name)
{
    size_t lo = 0, hi = sh_builtin_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(sh_builtins[mid].name, name);
        if (!c) return &sh_builtins[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* "bash: line N: NAME: -x: invalid option" and the usage line. */
static int bad_option(struct sh *sh, const char *name, const char *opt, const char *usage)
{
    sh_error(sh, "%s: %.2s: invalid option", name, opt);
    if (usage) sh_printf(sh, 2, "%s: usage: %s\n", name, usage);
    return 2;
}

static bool parse_int(const char *s, intmax_t *out)
{
    char *end;
    errno = 0;
    while (isspace((unsigned char)*s)) s++;
    if (!*s) return false;
    intmax_t v = strtoimax(s, &end, 10);
    while (isspace((unsigned char)*end)) end++;
    if (errno || *end) return false;
    *out = v;
    return true;
}

size_t sh_echo_escapes(const char *in, char *out, bool *stop);

int bi_colon(struct sh *sh, int argc, char **argv)
{
    return 0;
}

int bi_true(struct sh *sh, int argc, char **argv)
{
    return 0;
}

int bi_false(struct sh *sh, int argc, char **argv)
{
    return 1;
}

/* ---- control flow --------------------------------------------------------- */

/* The status argument of exit and return: the status to use (the last
 * command's by default, 2 for a non-number), or -1 for too many arguments. */
static int status_arg(struct sh *sh, int argc, char **argv)
{
    int i = 1;
    if (i < argc && !strcmp(argv[i], "--")) i++;
    if (i >= argc) return sh->status;
    intmax_t v;
    if (!parse_int(argv[i], &v)) {
        sh_error(sh, "%s: %s: numeric argument required", argv[0], argv[i]);
        return 2;
    }
    if (i + 1 < argc) {
        sh_error(sh, "%s: too many arguments", argv[0]);
        return -1;
    }
    return (int)(v & 0xff);
}

int bi_exit(struct sh *sh, int argc, char **argv)
{
    int st = status_arg(sh, argc, argv);
    if (st < 0) {
        /* A special builtin's error: the rest of the line is dropped. */
        if (!sh->interactive) sh->fatal = true;
        return 1;
    }
    if (sh->interactive && !sh->is_subshell) sh_write(sh, 2, "exit\n", 5);
    sh->exit_requested = true;
    sh->exit_status = st;
    sh->jump = J_EXIT;
    return st;
}

int bi_return(struct sh *sh, int argc, char **argv)
{
    int st = status_arg(sh, argc, argv);
    if (st < 0) return 1;
    if (!sh->func_depth && !sh->source_depth) {
        sh_error(sh, "return: can only `return' from a function or sourced script");
        return 2;
    }
    sh->status = st;
    sh->jump = J_RETURN;
    return st;
}

static int loop_ctl(struct sh *sh, int argc, char **argv, enum sh_jump j)
{
    intmax_t n = 1;
    if (argc > 2) {
        /* A special builtin's usage error abandons the command. */
        sh_error(sh, "%s: too many arguments", argv[0]);
        sh->fatal = true;
        return 1;
    }
    if (argc > 1) {
        if (!parse_int(argv[1], &n)) {
            /* bash leaves the shell with 128 here. */
            sh_error(sh, "%s: %s: numeric argument required", argv[0], argv[1]);
            sh->exit_requested = true;
            sh->exit_status = 128;
            sh->jump = J_EXIT;
            return 128;
        }
        if (n < 1) {
            sh_error(sh, "%s: %s: loop count out of range", argv[0], argv[1]);
            return 1;
        }
    }
    if (!sh->loop_depth) {
        sh_error(sh, "%s: only meaningful in a `for', `while', or `until' loop", argv[0]);
        return 0;
    }
    sh->jump = j;
    sh->jump_count = (int)(n > sh->loop_depth ? sh->loop_depth : n);
    return 0;
}

int bi_break(struct sh *sh, int argc, char **argv)
{
    return loop_ctl(sh, argc, argv, J_BREAK);
}

int bi_continue(struct sh *sh, int argc, char **argv)
{
    return loop_ctl(sh, argc, argv, J_CONTINUE);
}

int bi_shift(struct sh *sh, int argc, char **argv)
{
    intmax_t n = 1;
    if (argc > 1 && !parse_int(argv[1], &n)) {
        sh_error(sh, "shift: %s: numeric argument required", argv[1]);
        return 1;
    }
    if (n < 0) {
        sh_error(sh, "shift: %s: shift count out of range", argv[1]);
        return 1;
    }
    if (n == 0) return 0;
    if (n > sh->argc) {
        if (sh->shopt[S_SHIFT_VERBOSE]) sh_error(sh, "shift: %jd: shift count out of range", n);
        return 1;
    }
    for (int i = 0; i < n; i++) free(sh->argv[i]);
    memmove(sh->argv, sh->argv + n, (size_t)(sh->argc - n + 1) * sizeof *sh->argv);
    sh->argc -= (int)n;
    return 0;
}

/* ---- eval, source, exec ---------------------------------------------------- */

static char *join_args(int argc, char **argv, int from)
{
    size_t len = 1;
    for (int i = from; i < argc; i++) len += strlen(argv[i]) + 1;
    char *s = xmalloc(len), *o = s;
    for (int i = from; i < argc; i++) {
        if (i > from) *o++ = ' ';
        size_t l = strlen(argv[i]);
        memcpy(o, argv[i], l);
        o += l;
    }
    *o = 0;
    return s;
}

int bi_eval(struct sh *sh, int argc, char **argv)
{
    int from = 1;
    if (from < argc && !strcmp(argv[from], "--")) from++;
    if (from >= argc) return 0;
    char *src = join_args(argc, argv, from);
    sh->status = 0;
    sh->run_label = "eval";
    int st = sh_run_source(sh, src, strlen(src), sh->lineno);
    free(src);
    return st;
}

static char *read_whole(struct sh *sh, const char *path, size_t *len, int *err)
{
    int fd = sys_open(sh->p, path, O_RDONLY, 0);
    if (fd < 0) {
        *err = fd;
        return NULL;
    }
    struct stat st;
    if (sys_fstat(sh->p, fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        sys_close(sh->p, fd);
        *err = -EISDIR;
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 4096 > cap) buf = xrealloc(buf, cap *= 2);
        ssize_t r = sys_read(sh->p, fd, buf + n, cap - n - 1);
        if (r <= 0) {
            if (r < 0) {
                free(buf);
                sys_close(sh->p, fd);
                *err = (int)r;
                return NULL;
            }
            break;
        }
        n += (size_t)r;
        if (n > sh->lim.string_bytes) {
            free(buf);
            sys_close(sh->p, fd);
            *err = -EFBIG;
            return NULL;
        }
    }
    sys_close(sh->p, fd);
    buf[n] = 0;
    *len = n;
    return buf;
}

int bi_source(struct sh *sh, int argc, char **argv)
{
    int from = 1;
    if (from < argc && !strcmp(argv[from], "--")) from++;
    if (from >= argc) {
        sh_error(sh, "%s: filename argument required", argv[0]);
        sh_printf(sh, 2, "%s: usage: %s filename [arguments]\n", argv[0], argv[0]);
        return 2;
    }
    const char *name = argv[from];
    char *path = NULL;
    if (!strchr(name, '/') && sh->shopt[S_SOURCEPATH]) path = sh_find_in_path(sh, name, false);
    if (!path) path = xstrdup(name);
    size_t len;
    int err = 0;
    char *src = read_whole(sh, path, &len, &err);
    if (!src) {
        sh_error(sh, "%s: %s", name, vos_strerror(err));
        free(path);
        return 1;
    }
    if (sh->source_depth >= sh->lim.func_depth) {
        sh_error(sh, "%s: maximum source nesting level exceeded", name);
        free(src);
        free(path);
        return 1;
    }
    char **saved_argv = NULL;
    int saved_argc = 0;
    bool new_args = from + 1 < argc;
    if (new_args) {
        saved_argv = sh->argv;
        saved_argc = sh->argc;
        sh->argc = argc - from - 1;
        sh->argv = xmalloc(((size_t)sh->argc + 1) * sizeof *sh->argv);
        for (int i = 0; i < sh->argc; i++) sh->argv[i] = xstrdup(argv[from + 1 + i]);
        sh->argv[sh->argc] = NULL;
    }
    sh->source_depth++;
    int saved_line = sh->lineno;
    sh->status = 0;
    int st = sh_run_source(sh, src, len, 1);
    sh->lineno = saved_line;
    sh->source_depth--;
    if (sh->jump == J_RETURN) {
        sh->jump = J_NONE;
        st = sh->status;
    }
    if (new_args) {
        for (int i = 0; i < sh->argc; i++) free(sh->argv[i]);
        free(sh->argv);
        sh->argv = saved_argv;
        sh->argc = saved_argc;
    }
    free(src);
    free(path);
    return st;
}

int bi_exec(struct sh *sh, int argc, char **argv)
{
    int i = 1;
    const char *argv0 = NULL;
    bool clear_env = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'c') clear_env = true;
            else if (*c == 'l') {
            } else if (*c == 'a' && i + 1 < argc) argv0 = argv[++i];
            else return bad_option(sh, "exec", argv[i], "exec [-cl] [-a name] [command [argument ...]] [redirection ...]");
        }
    }
    if (i >= argc) return 0; /* redirections only: they stay (the caller keeps them) */
    /* Run the command, then end this shell with its status. */
    char *saved = NULL;
    if (argv0) {
        saved = argv[i];
        argv[i] = (char *)argv0;
    }
    int st;
    char *path = sh_find_in_path(sh, saved ? saved : argv[i], false);
    if (!path) {
        sh_error(sh, "exec: %s: not found", saved ? saved : argv[i]);
        st = 127;
    } else if (clear_env) {
        char **env = xmalloc(sizeof *env);
        env[0] = NULL;
        st = sh_run_external_env(sh, argc - i, argv + i, env);
    } else st = sh_run_argv(sh, argc - i, argv + i, false, true);
    free(path);
    if (saved) argv[i] = saved;
    sh->exit_requested = true;
    sh->exit_status = st;
    sh->jump = J_EXIT;
    return st;
}

/* ---- set, shopt, unset -------------------------------------------------------- */

static int find_opt(const char *name)
{
    for (int i = 0; i < O__COUNT; i++)
        if (!strcmp(sh_opt_names[i], name)) return i;
    return -1;
}

static void print_vars(struct sh *sh)
{
    /* All variables, sorted, quoted for reuse: what `set` prints. */
    struct sh_strv names = {0};
    for (struct sh_scope *s = sh->scope; s; s = s->up)
        for (size_t b = 0; b < s->nbuckets; b++)
            for (struct sh_var *v = s->tab[b]; v; v = v->next)
                if (sh_var_find(sh, v->name) == v) strv_push(&names, xstrdup(v->name));
    for (size_t i = 1; i < names.n; i++)
        for (size_t j = i; j > 0 && strcmp(names.v[j - 1], names.v[j]) > 0; j--) {
            char *t = names.v[j];
            names.v[j] = names.v[j - 1];
            names.v[j - 1] = t;
        }
    for (size_t i = 0; i < names.n; i++) {
        struct sh_var *v = sh_var_find(sh, names.v[i]);
        if (v->attr & (V_ARRAY | V_ASSOC)) {
            sh_print_var_decl(sh, v, 1);
            continue;
        }
        if (!v->val) continue;
        bool need = !*v->val;
        for (const char *c = v->val; *c; c++)
            if (!isalnum((unsigned char)*c) && !strchr("_-./:=@%+,", *c) && (unsigned char)*c < 0x80) need = true;
        char *q = need ? sh_quote(v->val, false) : xstrdup(v->val);
        sh_printf(sh, 1, "%s=%s\n", v->name, q);
        free(q);
    }
    strv_clear(&names);
}

static void print_options(struct sh *sh, bool reusable)
{
    static const int order[] = {O_ALLEXPORT, O_BRACEEXPAND, O_EMACS, O_ERREXIT, O_ERRTRACE,
                                O_FUNCTRACE, O_HASHALL, O_HISTEXPAND, O_HISTORY, O_IGNOREEOF,
                                O_INTERACTIVE_COMMENTS, O_KEYWORD, O_MONITOR, O_NOCLOBBER,
                                O_NOEXEC, O_NOGLOB, O_NOLOG, O_NOTIFY, O_NOUNSET, O_ONECMD,
                                O_PHYSICAL, O_PIPEFAIL, O_POSIX, O_PRIVILEGED, O_VERBOSE, O_VI,
                                O_XTRACE};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int o = order[i];
        if (reusable) sh_printf(sh, 1, "set %co %s\n", sh->opt[o] ? '-' : '+', sh_opt_names[o]);
        else sh_printf(sh, 1, "%-15s\t%s\n", sh_opt_names[o], sh->opt[o] ? "on" : "off");
    }
}

static void set_positional(struct sh *sh, int n, char **v)
{
    for (int i = 0; i < sh->argc; i++) free(sh->argv[i]);
    free(sh->argv);
    sh->argv = xmalloc(((size_t)n + 1) * sizeof *sh->argv);
    for (int i = 0; i < n; i++) sh->argv[i] = xstrdup(v[i]);
    sh->argv[n] = NULL;
    sh->argc = n;
}

int bi_set(struct sh *sh, int argc, char **argv)
{
    if (argc == 1) {
        print_vars(sh);
        return 0;
    }
    int i = 1;
    bool set_args = false;
    for (; i < argc; i++) {
        char *a = argv[i];
        if (!strcmp(a, "+")) continue; /* a lone + is an ignored flag */
        if ((a[0] != '-' && a[0] != '+') || !a[1]) {
            if (!strcmp(a, "-")) {
                sh->opt[O_XTRACE] = sh->opt[O_VERBOSE] = false;
                i++;
                set_args = true;
            }
            break;
        }
        if (!strcmp(a, "--")) {
            i++;
            set_args = true;
            break;
        }
        bool on = a[0] == '-';
        for (const char *c = a + 1; *c; c++) {
            if (*c == 'o') {
                if (i + 1 >= argc) {
                    print_options(sh, !on);
                    continue;
                }
                const char *name = argv[++i];
                int o = find_opt(name);
                if (o < 0) {
                    sh_error(sh, "set: %s: invalid option name", name);
                    return 2;
                }
                sh->opt[o] = on;
                if (o == O_EMACS && on) sh->opt[O_VI] = false;
                if (o == O_VI && on) sh->opt[O_EMACS] = false;
                continue;
            }
            int o = -1;
            for (int k = 0; k < O__COUNT; k++)
                if (sh_opt_letters[k] == *c) o = k;
            if (o < 0) {
                char bad[3] = {a[0], *c, 0};
                sh_error(sh, "set: %s: invalid option", bad);
                sh_printf(sh, 2, "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n");
                return 2;
            }
            sh->opt[o] = on;
        }
    }
    if (i < argc || set_args) set_positional(sh, argc - i, argv + i);
    return 0;
}

int bi_shopt(struct sh *sh, int argc, char **argv)
{
    int i = 1;
    bool set = false, unset = false, quiet = false, print = false, oflag = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *c = argv[i] + 1; *c; c++) {
            switch (*c) {
            case 's': set = true; break;
            case 'u': unset = true; break;
            case 'q': quiet = true; break;
            case 'p': print = true; break;
            case 'o': oflag = true; break;
            default: return bad_option(sh, "shopt", argv[i], "shopt [-pqsu] [-o] [optname ...]");
            }
        }
    }
    if (set && unset) {
        sh_error(sh, "shopt: cannot set and unset shell options simultaneously");
        return 1;
    }
    int st = 0;
    if (i == argc) {
        for (int k = 0; k < (oflag ? O__COUNT : S__COUNT); k++) {
            bool v = oflag ? sh->opt[k] : sh->shopt[k];
            const char *name = oflag ? sh_opt_names[k] : sh_shopt_names[k];
            if ((set && !v) || (unset && v)) continue;
            if (quiet) continue;
            if (print || set || unset) {
                if (oflag) sh_printf(sh, 1, "set %co %s\n", v ? '-' : '+', name);
                else sh_printf(sh, 1, "shopt %s %s\n", v ? "-s" : "-u", name);
            } else sh_printf(sh, 1, "%-20s\t%s\n", name, v ? "on" : "off");
        }
        return 0;
    }
    for (; i < argc; i++) {
        int k = -1;
        int n = oflag ? O__COUNT : S__COUNT;
        for (int j = 0; j < n; j++)
            if (!strcmp(oflag ? sh_opt_names[j] : sh_shopt_names[j], argv[i])) k = j;
        if (k < 0) {
            sh_error(sh, "shopt: %s: invalid %s name", argv[i], oflag ? "option" : "shell option");
            st = 1;
            continue;
        }
        bool *slot = oflag ? &sh->opt[k] : &sh->shopt[k];
        if (set || unset) *slot = set;
        else if (quiet) st |= !*slot;
        else if (print) {
            if (oflag) sh_printf(sh, 1, "set %co %s\n", *slot ? '-' : '+', argv[i]);
            else sh_printf(sh, 1, "shopt %s %s\n", *slot ? "-s" : "-u", argv[i]);
            st |= !*slot;
        } else {
            sh_printf(sh, 1, "%-20s\t%s\n", argv[i], *slot ? "on" : "off");
            st |= !*slot;
        }
    }
    return st;
}

int bi_unset(struct sh *sh, int argc, char **argv)
{
    bool funcs = false, vars = false, nameref = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'f') funcs = true;
            else if (*c == 'v') vars = true;
            else if (*c == 'n') nameref = true;
            else return bad_option(sh, "unset", argv[i], "unset [-f] [-v] [-n] [name ...]");
        }
    }
    if (funcs && vars) {
        sh_error(sh, "unset: cannot simultaneously unset a function and a variable");
        return 1;
    }
    int st = 0;
    for (; i < argc; i++) {
        char *name = argv[i];
        if (funcs) {
            sh_func_unset(sh, name);
            continue;
        }
        char *br = strchr(name, '[');
        if (br && name[strlen(name) - 1] == ']') {
            char *base = xstrndup(name, (size_t)(br - name));
            char *sub = xstrndup(br + 1, strlen(br + 1) - 1);
            struct sh_var *v = sh_valid_name(base) ? sh_var_resolve(sh, base, NULL) : NULL;
            if (!sh_valid_name(base)) {
                sh_error(sh, "unset: `%s': not a valid identifier", name);
                st = 1;
            } else if (v && (v->attr & V_READONLY)) {
                sh_error(sh, "unset: %s: cannot unset: readonly variable", base);
                st = 1;
            } else if (v && (v->attr & V_ASSOC)) {
                char *key = sh_subscript_key(sh, sub); /* quotes and expansions apply */
                if (key) sh_assoc_unset(v, key);
                else st = 1;
                free(key);
            }
            else if (v && (!strcmp(sub, "@") || !strcmp(sub, "*"))) sh_var_unset(sh, base);
            else if (v) {
                intmax_t idx;
                if (sh_arith_text(sh, sub, &idx) == 0) {
                    if (v->attr & V_ARRAY) {
                        if (idx < 0) {
                            intmax_t top = v->n ? v->arr[v->n - 1].idx + 1 : 0;
                            if (idx + top < 0) {
                                sh_error(sh, "unset: [%jd]: bad array subscript", idx);
                                st = 1;
                            }
                            idx += top;
                        }
                        sh_array_unset(v, idx);
                    } else if (idx == 0) sh_var_unset(sh, base);
                } else st = 1;
            }
            free(base);
            free(sub);
            continue;
        }
        if (!sh_valid_name(name)) {
            sh_error(sh, "unset: `%s': not a valid identifier", name);
            st = 1;
            continue;
        }
        if (nameref) {
            struct sh_var *v = sh_var_find(sh, name);
            if (v && (v->attr & V_READONLY)) {
                sh_error(sh, "unset: %s: cannot unset: readonly variable", name);
                st = 1;
            } else if (v) {
                v->attr &= ~V_NAMEREF;
                sh_var_unset(sh, name);
            }
            continue;
        }
        struct sh_var *v = sh_var_find(sh, name);
        if (v || vars) {
            if (sh_var_unset(sh, name) < 0) st = 1;
        } else sh_func_unset(sh, name);
    }
    return st;
}

/* ---- cd, pwd, echo ---------------------------------------------------------- */

/* Canonical logical path: resolve . and .. textually. */
static char *logical_path(const char *base, const char *path)
{
    char *full = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", base, path);
    size_t n = strlen(full);
    char *out = xmalloc(n + 2);
    size_t o = 0;
    const char *s = full;
    while (*s) {
        while (*s == '/') s++;
        if (!*s) break;
        size_t l = strcspn(s, "/");
        if (l == 1 && s[0] == '.') {
        } else if (l == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;
        } else {
            out[o++] = '/';
            memcpy(out + o, s, l);
            o += l;
        }
        s += l;
    }
    if (!o) out[o++] = '/';
    out[o] = 0;
    free(full);
    return out;
}

int bi_cd(struct sh *sh, int argc, char **argv)
{
    bool physical = sh->opt[O_PHYSICAL];
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        bool ok = true;
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'P') physical = true;
            else if (*c == 'L') physical = false;
            else if (*c == 'e' || *c == '@') {
            } else ok = false;
        }
        if (!ok) return bad_option(sh, "cd", argv[i], "cd [-L|[-P [-e]] [-@]] [dir]");
    }
    if (i + 1 < argc) {
        sh_error(sh, "cd: too many arguments");
        return 1;
    }
    const char *dir = i < argc ? argv[i] : NULL;
    bool print = false;
    if (!dir) {
        dir = sh_var_get(sh, "HOME");
        if (!dir) {
            sh_error(sh, "cd: HOME not set");
            return 1;
        }
    } else if (!strcmp(dir, "-")) {
        dir = sh_var_get(sh, "OLDPWD");
        if (!dir) {
            sh_error(sh, "cd: OLDPWD not set");
            return 1;
        }
        print = true;
    }
    char *target = NULL;
    const char *cdpath = sh_var_get(sh, "CDPATH");
    if (cdpath && dir[0] != '/' && strncmp(dir, "./", 2) && strncmp(dir, "../", 3) &&
        strcmp(dir, ".") && strcmp(dir, "..")) {
        const char *c = cdpath;
        while (!target) {
            size_t l = strcspn(c, ":");
            char *cand = l ? xasprintf("%.*s/%s", (int)l, c, dir) : xstrdup(dir);
            struct stat st;
            if (sys_stat(sh->p, cand, &st) == 0 && S_ISDIR(st.st_mode)) {
                target = cand;
                if (l) print = true;
            } else free(cand);
            if (!c[l]) break;
            c += l + 1;
        }
    }
    if (!target) target = xstrdup(dir);
    const char *pwd = sh_var_get(sh, "PWD");
    char cwd[VFS_PATH_MAX];
    if (!pwd && sys_getcwd(sh->p, cwd, sizeof cwd) >= 0) pwd = cwd;
    /* Even a logical cd needs the path as written to exist (nope/.. fails). */
    struct stat tst;
    int tr = sys_stat(sh->p, target, &tst);
    if (tr < 0 || !S_ISDIR(tst.st_mode)) {
        sh_error(sh, "cd: %s: %s", dir, vos_strerror(tr < 0 ? tr : -ENOTDIR));
        free(target);
        return 1;
    }
    char *newpwd = physical || !pwd ? NULL : logical_path(pwd, target);
    int r = sys_chdir(sh->p, newpwd ? newpwd : target);
    if (r < 0 && newpwd) {
        free(newpwd);
        newpwd = NULL;
        r = sys_chdir(sh->p, target);
    }
    if (r < 0) {
        sh_error(sh, "cd: %s: %s", dir, vos_strerror(r));
        free(target);
        free(newpwd);
        return 1;
    }
    if (!newpwd || physical) {
        free(newpwd);
        newpwd = xmalloc(VFS_PATH_MAX);
        if (sys_getcwd(sh->p, newpwd, VFS_PATH_MAX) < 0) strcpy(newpwd, target);
    }
    sh_var_set(sh, "OLDPWD", pwd ? pwd : "", false);
    sh_var_declare(sh, "OLDPWD", false)->attr |= V_EXPORT;
    sh_var_set(sh, "PWD", newpwd, false);
    if (print) sh_printf(sh, 1, "%s\n", newpwd);
    free(newpwd);
    free(target);
    return 0;
}

int bi_pwd(struct sh *sh, int argc, char **argv)
{
    bool physical = sh->opt[O_PHYSICAL];
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-P")) physical = true;
        else if (!strcmp(argv[i], "-L")) physical = false;
        else if (argv[i][0] == '-' && argv[i][1])
            return bad_option(sh, "pwd", argv[i], "pwd [-LP]");
        else break;
    }
    char cwd[VFS_PATH_MAX];
    const char *pwd = sh_var_get(sh, "PWD");
    int r = sys_getcwd(sh->p, cwd, sizeof cwd);
    if (!physical && pwd && pwd[0] == '/') {
        struct stat a, b;
        if (r >= 0 && sys_stat(sh->p, pwd, &a) == 0 && sys_stat(sh->p, cwd, &b) == 0 &&
            a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
            sh_printf(sh, 1, "%s\n", pwd);
            return 0;
        }
    }
    if (r < 0 && !physical && pwd && pwd[0] == '/') {
        sh_printf(sh, 1, "%s\n", pwd); /* the directory is gone; bash keeps $PWD */
        return 0;
    }
    if (r < 0) {
        sh_error(sh, "pwd: error retrieving current directory: getcwd: cannot access parent directories: %s", vos_strerror(r));
        return 1;
    }
    sh_printf(sh, 1, "%s\n", cwd);
    return 0;
}

int bi_echo(struct sh *sh, int argc, char **argv)
{
    bool nl = true, esc = sh->shopt[S_XPG_ECHO];
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1] || strspn(a + 1, "neE") != strlen(a + 1)) break;
        for (const char *c = a + 1; *c; c++) {
            if (*c == 'n') nl = false;
            else if (*c == 'e') esc = true;
            else esc = false;
        }
    }
    size_t total = 2;
    for (int k = i; k < argc; k++) total += strlen(argv[k]) + 1;
    char *out = xmalloc(total), *o = out;
    bool stop = false;
    for (int k = i; k < argc && !stop; k++) {
        if (k > i) *o++ = ' ';
        if (esc) o += sh_echo_escapes(argv[k], o, &stop);
        else {
            size_t l = strlen(argv[k]);
            memcpy(o, argv[k], l);
            o += l;
        }
    }
    if (nl && !stop) *o++ = '\n';
    int r = sh_write(sh, 1, out, (size_t)(o - out));
    free(out);
    if (r < 0) {
        if (r != -EPIPE) sh_error(sh, "echo: write error: %s", vos_strerror(r));
        return 1;
    }
    return 0;
}

/* ---- alias ------------------------------------------------------------------ */

static struct sh_alias **alias_slot(struct sh *sh, const char *name)
{
    struct sh_alias **pp = &sh->aliases;
    while (*pp && strcmp((*pp)->name, name)) pp = &(*pp)->next;
    return pp;
}

static void print_alias(struct sh *sh, struct sh_alias *a)
{
    char *q = sh_quote(a->value, false);
    sh_printf(sh, 1, "alias %s=%s\n", a->name, q);
    free(q);
}

int bi_alias(struct sh *sh, int argc, char **argv)
{
    int i = 1;
    bool print = false;
    if (i < argc && !strcmp(argv[i], "-p")) print = true, i++;
    if (i < argc && !strcmp(argv[i], "--")) i++;
    if (i == argc || print) {
        /* Sorted by name. */
        struct sh_strv names = {0};
        for (struct sh_alias *a = sh->aliases; a; a = a->next) strv_push(&names, xstrdup(a->name));
        for (size_t k = 1; k < names.n; k++)
            for (size_t j = k; j > 0 && strcmp(names.v[j - 1], names.v[j]) > 0; j--) {
                char *t = names.v[j];
                names.v[j] = names.v[j - 1];
                names.v[j - 1] = t;
            }
        for (size_t k = 0; k < names.n; k++) print_alias(sh, *alias_slot(sh, names.v[k]));
        strv_clear(&names);
        if (i == argc) return 0;
    }
    int st = 0;
    for (; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            struct sh_alias *a = *alias_slot(sh, argv[i]);
            if (a) print_alias(sh, a);
            else {
                sh_error(sh, "alias: %s: not found", argv[i]);
                st = 1;
            }
            continue;
        }
        char *name = xstrndup(argv[i], (size_t)(eq - argv[i]));
        if (!*name || strpbrk(name, "/$`=\\ \t\n;&|<>()\"'")) {
            sh_error(sh, "alias: `%s': invalid alias name", name);
            free(name);
            st = 1;
            continue;
        }
        struct sh_alias **pp = alias_slot(sh, name);
        if (*pp) {
            free((*pp)->value);
            (*pp)->value = xstrdup(eq + 1);
            free(name);
        } else {
            struct sh_alias *a = xmalloc(sizeof *a);
            a->name = name;
            a->value = xstrdup(eq + 1);
            a->next = NULL;
            *pp = a;
        }
    }
    return st;
}

int bi_unalias(struct sh *sh, int argc, char **argv)
{
    int i = 1, st = 0;
    if (i < argc && !strcmp(argv[i], "-a")) {
        while (sh->aliases) {
            struct sh_alias *a = sh->aliases;
            sh->aliases = a->next;
            free(a->name);
            free(a->value);
            free(a);
        }
        return 0;
    }
    if (i < argc && !strcmp(argv[i], "--")) i++;
    if (i == argc) {
        sh_printf(sh, 2, "unalias: usage: unalias [-a] name [name ...]\n");
        return 2;
    }
    for (; i < argc; i++) {
        struct sh_alias **pp = alias_slot(sh, argv[i]);
        if (!*pp) {
            sh_error(sh, "unalias: %s: not found", argv[i]);
            st = 1;
            continue;
        }
        struct sh_alias *a = *pp;
        *pp = a->next;
        free(a->name);
        free(a->value);
        free(a);
    }
    return st;
}

/* ---- type, command, builtin, hash ------------------------------------------- */

static const char *const keywords[] = {"!", "[[", "]]", "case", "coproc", "do", "done", "elif",
                                       "else", "esac", "fi", "for", "function", "if", "in",
                                       "select", "then", "time", "until", "while", "{", "}"};

static bool is_keyword(const char *s)
{
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (!strcmp(keywords[i], s)) return true;
    return false;
}

/* Describe name as type/command -v/-V do. mode: 't' type -t, 'v' -v,
 * 'V' verbose, 'p' path only, 'P' forced path. Returns 1 if found. */
static int describe(struct sh *sh, const char *name, char mode, bool all, bool no_funcs)
{
    int found = 0;
    if (mode != 'P') {
        if (mode == 'p' && !all && (*alias_slot(sh, name) || is_keyword(name) ||
                                    (!no_funcs && sh_func_find(sh, name)) || sh_builtin_find(name)))
            return 1; /* found, but not a file: -p prints nothing */
        struct sh_alias *a = *alias_slot(sh, name);
        if (a && mode != 'p') {
            found = 1;
            if (mode == 't') sh_printf(sh, 1, "alias\n");
            else if (mode == 'v') {
                char *q = sh_quote(a->value, false);
                sh_printf(sh, 1, "alias %s=%s\n", name, q);
                free(q);
            } else sh_printf(sh, 1, "%s is aliased to `%s'\n", name, a->value);
            if (!all) return 1;
        }
        if (is_keyword(name) && mode != 'p') {
            found = 1;
            if (mode == 't') sh_printf(sh, 1, "keyword\n");
            else if (mode == 'v') sh_printf(sh, 1, "%s\n", name);
            else sh_printf(sh, 1, "%s is a shell keyword\n", name);
            if (!all) return 1;
        }
        struct sh_func *f = no_funcs ? NULL : sh_func_find(sh, name);
        if (f && mode != 'p') {
            found = 1;
            if (mode == 't') sh_printf(sh, 1, "function\n");
            else if (mode == 'v') sh_printf(sh, 1, "%s\n", name);
            else {
                char *text = sh_print_function(name, f->def);
                sh_printf(sh, 1, "%s is a function\n%s\n", name, text ? text : "");
                free(text);
            }
            if (!all) return 1;
        }
        if (sh_builtin_find(name) && mode != 'p') {
            found = 1;
            if (mode == 't') sh_printf(sh, 1, "builtin\n");
            else if (mode == 'v') sh_printf(sh, 1, "%s\n", name);
            else sh_printf(sh, 1, "%s is a shell builtin\n", name);
            if (!all) return 1;
        }
    }
    if (strchr(name, '/')) {
        struct stat st;
        if (sys_stat(sh->p, name, &st) == 0 && S_ISREG(st.st_mode) && sys_access(sh->p, name, X_OK) == 0) {
            if (mode == 't') sh_printf(sh, 1, "file\n");
            else if (mode == 'V') sh_printf(sh, 1, "%s is %s\n", name, name);
            else sh_printf(sh, 1, "%s\n", name);
            return 1;
        }
        return found;
    }
    /* Hashed first (type says "hashed"), then PATH. */
    for (struct sh_hash *h = sh->hash; h && !all; h = h->next) {
        if (strcmp(h->name, name)) continue;
        if (mode == 't') sh_printf(sh, 1, "file\n");
        else if (mode == 'V') sh_printf(sh, 1, "%s is hashed (%s)\n", name, h->path);
        else sh_printf(sh, 1, "%s\n", h->path);
        return 1;
    }
    const char *path = sh_var_get(sh, "PATH");
    if (!path) path = "";
    while (1) {
        size_t l = strcspn(path, ":");
        char *cand = xasprintf("%.*s%s%s", (int)l, path, l ? "/" : "", name);
        struct stat st;
        if (sys_stat(sh->p, cand, &st) == 0 && S_ISREG(st.st_mode) && sys_access(sh->p, cand, X_OK) == 0) {
            found = 1;
            if (mode == 't') sh_printf(sh, 1, "file\n");
            else if (mode == 'V') sh_printf(sh, 1, "%s is %s\n", name, cand);
            else sh_printf(sh, 1, "%s\n", cand);
            if (!all) {
                free(cand);
                return 1;
            }
        }
        free(cand);
        if (!path[l]) break;
        path += l + 1;
    }
    return found;
}

int bi_type(struct sh *sh, int argc, char **argv)
{
    char mode = 'V';
    bool all = false, no_funcs = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *c = argv[i] + 1; *c; c++) {
            switch (*c) {
            case 't': mode = 't'; break;
            case 'p': mode = 'p'; break;
            case 'P': mode = 'P'; break;
            case 'a': all = true; break;
            case 'f': no_funcs = true; break;
            default: return bad_option(sh, "type", argv[i], "type [-afptP] name [name ...]");
            }
        }
    }
    int st = 0;
    for (; i < argc; i++) {
        if (!describe(sh, argv[i], mode, all, no_funcs)) {
            if (mode == 'V') sh_error(sh, "type: %s: not found", argv[i]);
            st = 1;
        }
    }
    return st;
}

int bi_command(struct sh *sh, int argc, char **argv)
{
    char mode = 0;
    bool default_path = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'v') mode = 'v';
            else if (*c == 'V') mode = 'V';
            else if (*c == 'p') default_path = true;
            else return bad_option(sh, "command", argv[i], "command [-pVv] command [arg ...]");
        }
    }
    if (i >= argc) return 0;
    if (mode) {
        int st = 0;
        for (; i < argc; i++)
            if (!describe(sh, argv[i], mode, false, false)) {
                if (mode == 'V') sh_error(sh, "command: %s: not found", argv[i]);
                st = 1;
            }
        return st;
    }
    if (!default_path) return sh_run_argv(sh, argc - i, argv + i, false, true);
    /* -p: look the command up on the standard PATH (getconf PATH). */
    sh->scope = sh_scope_new(sh->scope, false);
    struct sh_var *pv = sh_var_declare(sh, "PATH", true);
    pv->val = xstrdup("/bin:/usr/bin");
    struct sh_hash *saved = sh->hash;
    sh->hash = NULL;
    int st = sh_run_argv(sh, argc - i, argv + i, false, true);
    while (sh->hash) {
        struct sh_hash *h = sh->hash;
        sh->hash = h->next;
        free(h->name);
        free(h->path);
        free(h);
    }
    sh->hash = saved;
    struct sh_scope *s = sh->scope;
    sh->scope = s->up;
    sh_scope_free(s);
    return st;
}

int bi_builtin(struct sh *sh, int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--")) {
        argc--;
        argv++;
    }
    if (argc < 2) return 0;
    if (!sh_builtin_find(argv[1])) {
        sh_error(sh, "builtin: %s: not a shell builtin", argv[1]);
        return 1;
    }
    return sh_run_argv(sh, argc - 1, argv + 1, true, true);
}

int bi_hash(struct sh *sh, int argc, char **argv)
{
    int i = 1;
    bool reset = false;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-r")) reset = true;
        else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else return bad_option(sh, "hash", argv[i], "hash [-lr] [-p pathname] [-dt] [name ...]");
    }
    if (reset) {
        while (sh->hash) {
            struct sh_hash *h = sh->hash;
            sh->hash = h->next;
            free(h->name);
            free(h->path);
            free(h);
        }
    }
    if (i == argc && !reset) {
        if (!sh->hash) {
            sh_printf(sh, 1, "hash: hash table empty\n");
            return 0;
        }
        sh_printf(sh, 1, "hits\tcommand\n");
        for (struct sh_hash *h = sh->hash; h; h = h->next) sh_printf(sh, 1, "%4d\t%s\n", h->hits, h->path);
        return 0;
    }
    int st = 0;
    for (; i < argc; i++) {
        if (sh_builtin_find(argv[i]) || sh_func_find(sh, argv[i])) continue;
        char *p = sh_find_in_path(sh, argv[i], true);
        if (!p) {
            sh_error(sh, "hash: %s: not found", argv[i]);
            st = 1;
        } else {
            for (struct sh_hash *h = sh->hash; h; h = h->next)
                if (!strcmp(h->name, argv[i])) h->hits = 0;
        }
        free(p);
    }
    return st;
}

/* ---- trap ------------------------------------------------------------------- */

static const char *const signames[65] = {
    "EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
    "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
    "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

/* A signal by name (with or without SIG, any case) or number; -1 if none.
 * Also ERR (-2), RETURN (-3), DEBUG (-4). */
int sh_signal_number(const char *s)
{
    if (isdigit((unsigned char)*s)) {
        char *end;
        long n = strtol(s, &end, 10);
        return *end || n > 64 ? -1 : (int)n;
    }
    if (!strcasecmp(s, "ERR")) return -2;
    if (!strcasecmp(s, "RETURN")) return -3;
    if (!strcasecmp(s, "DEBUG")) return -4;
    if (!strncasecmp(s, "SIG", 3)) s += 3;
    for (int i = 0; i < 32; i++)
        if (signames[i] && !strcasecmp(signames[i], s)) return i;
    if (!strncasecmp(s, "RTMIN", 5)) return 34 + (s[5] == '+' ? atoi(s + 6) : 0);
    if (!strncasecmp(s, "RTMAX", 5)) return 64 - (s[5] == '-' ? atoi(s + 6) : 0);
    return -1;
}

const char *sh_signal_name(int sig, char *buf, size_t n)
{
    if (sig == 0) return "EXIT";
    if (sig > 0 && sig < 32 && signames[sig]) {
        snprintf(buf, n, "SIG%s", signames[sig]);
        return buf;
    }
    if (sig >= 34 && sig <= 64) {
        if (sig <= 49) snprintf(buf, n, "SIGRTMIN%s%d", sig > 34 ? "+" : "", sig - 34 ? sig - 34 : 0);
        else snprintf(buf, n, "SIGRTMAX%s%d", sig < 64 ? "-" : "", 64 - sig);
        if (sig == 34) snprintf(buf, n, "SIGRTMIN");
        if (sig == 64) snprintf(buf, n, "SIGRTMAX");
        return buf;
    }
    snprintf(buf, n, "%d", sig);
    return buf;
}

static char **trap_slot(struct sh *sh, int sig)
{
    if (sig == -2) return &sh->trap_err;
    if (sig == -3) return &sh->trap_return;
    if (sig == -4) return &sh->trap_debug;
    return &sh->traps[sig];
}

static void print_trap(struct sh *sh, int sig)
{
    char **slot = trap_slot(sh, sig);
    bool ignored = sig > 0 && (sh->p->sig_ignored & (1ull << (sig - 1))) && !*slot;
    if (!*slot && !ignored) return;
    char buf[32];
    const char *name = sig == -2 ? "ERR" : sig == -3 ? "RETURN" : sig == -4 ? "DEBUG"
                                                                            : sh_signal_name(sig, buf, sizeof buf);
    char *q = sh_single_quote(*slot ? *slot : "");
    sh_printf(sh, 1, "trap -- %s %s\n", q, name);
    free(q);
}

static void set_trap(struct sh *sh, int sig, const char *action)
{
    char **slot = trap_slot(sh, sig);
    free(*slot);
    *slot = NULL;
    struct proc *p = sh->p;
    uint64_t bit = sig > 0 ? 1ull << (sig - 1) : 0;
    if (!action) {
        if (bit) {
            p->sig_caught_mask &= ~bit;
            p->sig_ignored &= ~bit;
        }
        return;
    }
    *slot = xstrdup(action);
    if (!bit) return;
    if (!*action) {
        p->sig_ignored |= bit;
        p->sig_caught_mask &= ~bit;
    } else {
        p->sig_caught_mask |= bit;
        p->sig_ignored &= ~bit;
    }
}

int bi_trap(struct sh *sh, int argc, char **argv)
{
    int i = 1;
    bool list = false, print = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (!strcmp(argv[i], "-l")) list = true;
        else if (!strcmp(argv[i], "-p")) print = true;
        else if (argv[i][1] && (isdigit((unsigned char)argv[i][1]) || sh_signal_number(argv[i] + 1) >= 0) && i == 1) {
            /* "trap -INT": not an option, treated as reset of a signal? bash: invalid option */
            return bad_option(sh, "trap", argv[i], "trap [-lp] [[arg] signal_spec ...]");
        } else return bad_option(sh, "trap", argv[i], "trap [-lp] [[arg] signal_spec ...]");
    }
    if (list) {
        char buf[32];
        for (int s = 1; s <= 64; s++) {
            if (s == 32 || s == 33) continue;
            sh_printf(sh, 1, "%2d) %-10s%s", s, sh_signal_name(s, buf, sizeof buf), s % 5 == 0 ? "\n" : "\t");
        }
        sh_printf(sh, 1, "\n");
        return 0;
    }
    if (i == argc || print) {
        if (i == argc) {
            print_trap(sh, 0);
            for (int s = 1; s <= 64; s++) print_trap(sh, s);
            print_trap(sh, -4);
            print_trap(sh, -2);
            print_trap(sh, -3);
            return 0;
        }
        int st = 0;
        for (; i < argc; i++) {
            int s = sh_signal_number(argv[i]);
            if (s == -1) {
                sh_error(sh, "trap: %s: invalid signal specification", argv[i]);
                st = 1;
            } else print_trap(sh, s);
        }
        return st;
    }
    const char *action = argv[i];
    int first = i + 1;
    /* "trap SIG..." with a signal as the first word resets those signals. */
    if (i + 1 == argc || (sh_signal_number(action) >= 0 && isdigit((unsigned char)action[0]))) {
        action = NULL;
        first = i;
    } else if (!strcmp(action, "-")) action = NULL;
    int st = 0;
    for (int k = first; k < argc; k++) {
        int s = sh_signal_number(argv[k]);
        if (s == -1) {
            sh_error(sh, "trap: %s: invalid signal specification", argv[k]);
            st = 1;
            continue;
        }
        if (s == SIGKILL || s == SIGSTOP) {
            set_trap(sh, s, NULL);
            continue;
        }
        set_trap(sh, s, action);
    }
    return st;
}

/* ---- jobs, wait, kill ----------------------------------------------------- */

static void reap_jobs(struct sh *sh)
{
    for (int j = 0; j < sh->njobs; j++) {
        struct sh_job *job = &sh->jobs[j];
        for (int k = 0; k < job->npids; k++) {
            if (job->status[k] >= 0) continue;
            int ws;
            if (sys_waitpid(sh->p, job->pids[k], &ws, WNOHANG) == job->pids[k]) job->status[k] = ws;
        }
        bool done = true;
        for (int k = 0; k < job->npids; k++) done &= job->status[k] >= 0;
        job->done = done;
    }
}

int bi_jobs(struct sh *sh, int argc, char **argv)
{
    bool pids_only = false, long_fmt = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-p")) pids_only = true;
        else if (!strcmp(argv[i], "-l")) long_fmt = true;
        else if (argv[i][0] == '-') return bad_option(sh, "jobs", argv[i], "jobs [-lnprs] [jobspec ...] or jobs -x command [args]");
    }
    reap_jobs(sh);
    for (int j = 0; j < sh->njobs; j++) {
        struct sh_job *job = &sh->jobs[j];
        char cur = j == sh->njobs - 1 ? '+' : j == sh->njobs - 2 ? '-' : ' ';
        if (pids_only) sh_printf(sh, 1, "%d\n", job->pids[0]);
        else {
            const char *state = "Running";
            char buf[32];
            if (job->done) {
                int ws = job->status[job->npids - 1];
                if (WIFSIGNALED(ws)) state = strsignal(WTERMSIG(ws));
                else if (WEXITSTATUS(ws)) {
                    snprintf(buf, sizeof buf, "Exit %d", WEXITSTATUS(ws));
                    state = buf;
                } else state = "Done";
            }
            if (long_fmt) sh_printf(sh, 1, "[%d]%c %5d %-22s %s%s\n", job->id, cur, job->pids[0], state, job->text, job->done ? "" : " &");
            else sh_printf(sh, 1, "[%d]%c  %-22s %s%s\n", job->id, cur, state, job->text, job->done ? "" : " &");
        }
    }
    /* Finished jobs are forgotten once reported. */
    int w = 0;
    for (int j = 0; j < sh->njobs; j++) {
        if (sh->jobs[j].done && !pids_only) {
            free(sh->jobs[j].pids);
            free(sh->jobs[j].status);
            free(sh->jobs[j].text);
        } else sh->jobs[w++] = sh->jobs[j];
    }
    sh->njobs = w;
    return 0;
}

static struct sh_job *job_by_spec(struct sh *sh, const char *spec)
{
    if (!sh->njobs) return NULL;
    if (!strcmp(spec, "%%") || !strcmp(spec, "%+") || !strcmp(spec, "%")) return &sh->jobs[sh->njobs - 1];
    if (!strcmp(spec, "%-")) return sh->njobs > 1 ? &sh->jobs[sh->njobs - 2] : NULL;
    if (isdigit((unsigned char)spec[1])) {
        int id = atoi(spec + 1);
        for (int j = 0; j < sh->njobs; j++)
            if (sh->jobs[j].id == id) return &sh->jobs[j];
        return NULL;
    }
    for (int j = sh->njobs - 1; j >= 0; j--)
        if (!strncmp(sh->jobs[j].text, spec + 1, strlen(spec + 1))) return &sh->jobs[j];
    return NULL;
}

static void forget_pid(struct sh *sh, int pid)
{
    for (int j = 0; j < sh->njobs; j++)
        for (int k = 0; k < sh->jobs[j].npids; k++)
            if (sh->jobs[j].pids[k] == pid) {
                free(sh->jobs[j].pids);
                free(sh->jobs[j].status);
                free(sh->jobs[j].text);
                memmove(&sh->jobs[j], &sh->jobs[j + 1], (size_t)(sh->njobs - j - 1) * sizeof *sh->jobs);
                sh->njobs--;
                return;
            }
}

int bi_wait(struct sh *sh, int argc, char **argv)
{
    int i = 1;
    bool any = false;
    const char *pvar = NULL;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "-n")) any = true;
        else if (!strcmp(argv[i], "-f")) {
        } else if (!strcmp(argv[i], "-p") && i + 1 < argc) pvar = argv[++i];
        else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else return bad_option(sh, "wait", argv[i], "wait [-fn] [-p var] [id ...]");
    }
    int st = 0;
    if (i == argc) {
        if (any) {
            int ws;
            int pid = sys_waitpid(sh->p, -1, &ws, 0);
            if (pid == -EINTR) return 128 + SIGINT;
            if (pid < 0) return 127;
            forget_pid(sh, pid);
            if (pvar) {
                char b[16];
                snprintf(b, sizeof b, "%d", pid);
                sh_var_set(sh, pvar, b, false);
            }
            return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
        }
        for (;;) {
            int ws;
            int pid = sys_waitpid(sh->p, -1, &ws, 0);
            if (pid == -EINTR) {
                /* A trapped signal interrupts wait with 128+sig. */
                for (int s = 1; s <= 64; s++)
                    if (sh->p->sig_caught & (1ull << (s - 1))) return 128 + s;
                return 128 + (sh->p->killed ? sh->p->killed : SIGINT);
            }
            if (pid < 0) break;
            forget_pid(sh, pid);
        }
        return 0;
    }
    for (; i < argc; i++) {
        int pid;
        if (argv[i][0] == '%') {
            struct sh_job *j = job_by_spec(sh, argv[i]);
            if (!j) {
                sh_error(sh, "wait: %s: no such job", argv[i]);
                st = 127;
                continue;
            }
            pid = j->pids[j->npids - 1];
        } else {
            char *end;
            long v = strtol(argv[i], &end, 10);
            if (*end || v <= 0) {
                sh_error(sh, "wait: `%s': not a pid or valid job spec", argv[i]);
                st = 2;
                continue;
            }
            pid = (int)v;
        }
        int ws;
        int r = sys_waitpid(sh->p, pid, &ws, 0);
        if (r == pid) {
            st = WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
            forget_pid(sh, pid);
        } else if (r == -EINTR) st = 128 + SIGINT;
        else {
            sh_error(sh, "wait: pid %d is not a child of this shell", pid);
            st = 127;
        }
    }
    return st;
}

int bi_kill(struct sh *sh, int argc, char **argv)
{
    int sig = SIGTERM, i = 1;
    if (argc < 2) {
        sh_printf(sh, 2, "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
        return 2;
    }
    char buf[32];
    if (!strcmp(argv[1], "-l") || !strcmp(argv[1], "-L")) {
        if (argc == 2) {
            for (int s = 1; s <= 64; s++) {
                if (s == 32 || s == 33) continue;
                sh_printf(sh, 1, "%2d) %-10s%s", s, sh_signal_name(s, buf, sizeof buf), s % 5 == 0 ? "\n" : "\t");
            }
            sh_printf(sh, 1, "\n");
            return 0;
        }
        int st = 0;
        for (int k = 2; k < argc; k++) {
            if (isdigit((unsigned char)argv[k][0])) {
                int n = atoi(argv[k]);
                if (n > 128) n -= 128;
                if (n <= 0 || n > 64 || n == 32 || n == 33) {
                    sh_error(sh, "kill: %s: invalid signal specification", argv[k]);
                    st = 1;
                    continue;
                }
                const char *nm = sh_signal_name(n, buf, sizeof buf);
                sh_printf(sh, 1, "%s\n", !strncmp(nm, "SIG", 3) ? nm + 3 : nm);
            } else {
                int n = sh_signal_number(argv[k]);
                if (n <= 0) {
                    sh_error(sh, "kill: %s: invalid signal specification", argv[k]);
                    st = 1;
                } else sh_printf(sh, 1, "%d\n", n);
            }
        }
        return st;
    }
    if (!strcmp(argv[1], "-s") || !strcmp(argv[1], "-n")) {
        if (argc < 3) {
            sh_error(sh, "kill: %s: option requires an argument", argv[1]);
            return 2;
        }
        sig = sh_signal_number(argv[2]);
        if (sig < 0) {
            sh_error(sh, "kill: %s: invalid signal specification", argv[2]);
            return 1;
        }
        i = 3;
    } else if (argv[1][0] == '-' && argv[1][1] && strcmp(argv[1], "--")) {
        sig = sh_signal_number(argv[1] + 1);
        if (sig < 0) {
            sh_error(sh, "kill: %s: invalid signal specification", argv[1] + 1);
            return 1;
        }
        i = 2;
    } else if (!strcmp(argv[1], "--")) i = 2;
    int st = 0;
    if (i >= argc) {
        sh_printf(sh, 2, "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
        return 2;
    }
    for (; i < argc; i++) {
        int pid;
        if (argv[i][0] == '%') {
            struct sh_job *j = job_by_spec(sh, argv[i]);
            if (!j) {
                sh_error(sh, "kill: %s: no such job", argv[i]);
                st = 1;
                continue;
            }
            pid = -j->pgid;
            /* Our jobs are single processes in the parent's group: signal the pids. */
            for (int k = 0; k < j->npids; k++) sys_kill(sh->p, j->pids[k], sig);
            continue;
        }
        char *end;
        long v = strtol(argv[i], &end, 10);
        if (*end || !*argv[i]) {
            sh_error(sh, "kill: %s: arguments must be process or job IDs", argv[i]);
            st = 1;
            continue;
        }
        pid = (int)v;
        int r = sys_kill(sh->p, pid, sig);
        if (r < 0) {
            sh_error(sh, "kill: (%d) - %s", pid, vos_strerror(r));
            st = 1;
        }
    }
    return st;
}

/* ---- umask, times, let ------------------------------------------------------ */

int bi_umask(struct sh *sh, int argc, char **argv)
{
    bool symbolic = false, reusable = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "-S")) symbolic = true;
        else if (!strcmp(argv[i], "-p")) reusable = true;
        else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else return bad_option(sh, "umask", argv[i], "umask [-p] [-S] [mode]");
    }
    mode_t cur = sys_umask(sh->p, 022);
    sys_umask(sh->p, cur);
    if (i == argc) {
        if (symbolic) {
            mode_t m = ~cur & 0777;
            char b[32];
            snprintf(b, sizeof b, "u=%s%s%s,g=%s%s%s,o=%s%s%s", m & 0400 ? "r" : "", m & 0200 ? "w" : "",
                     m & 0100 ? "x" : "", m & 040 ? "r" : "", m & 020 ? "w" : "", m & 010 ? "x" : "",
                     m & 04 ? "r" : "", m & 02 ? "w" : "", m & 01 ? "x" : "");
            sh_printf(sh, 1, "%s%s\n", reusable ? "umask -S " : "", b);
        } else sh_printf(sh, 1, "%s%04o\n", reusable ? "umask " : "", (unsigned)cur);
        return 0;
    }
    if (i + 1 < argc) {
        sh_error(sh, "umask: too many arguments");
        return 1;
    }
    const char *m = argv[i];
    if (!*m) {
        sh_error(sh, "umask: `': invalid symbolic mode operator");
        return 1;
    }
    if (isdigit((unsigned char)m[0])) {
        char *end;
        long v = strtol(m, &end, 8);
        if (*end || v > 0777) {
            sh_error(sh, "umask: %s: octal number out of range", m);
            return 1;
        }
        sys_umask(sh->p, (mode_t)v);
        return 0;
    }
    /* Symbolic: applied to the permission mask ~umask. */
    mode_t perm = ~cur & 0777;
    const char *s = m;
    while (*s) {
        mode_t who = 0;
        for (; strchr("ugoa", *s) && *s; s++)
            who |= *s == 'u' ? 0700 : *s == 'g' ? 070 : *s == 'o' ? 07 : 0777;
        if (!who) who = 0777;
        char op = *s;
        if (op != '+' && op != '-' && op != '=') {
            sh_error(sh, "umask: `%c': invalid symbolic mode operator", op ? op : ' ');
            return 1;
        }
        s++;
        mode_t bits = 0;
        for (; *s && *s != ','; s++) {
            if (*s == 'r') bits |= 0444;
            else if (*s == 'w') bits |= 0222;
            else if (*s == 'x') bits |= 0111;
            else {
                sh_error(sh, "umask: `%c': invalid symbolic mode character", *s);
                return 1;
            }
        }
        bits &= who;
        if (op == '+') perm |= bits;
        else if (op == '-') perm &= ~bits;
        else perm = (perm & ~who) | bits;
        if (*s == ',') s++;
    }
    sys_umask(sh->p, ~perm & 0777);
    return 0;
}

int bi_times(struct sh *sh, int argc, char **argv)
{
    uint64_t ns = now_ns() - sh->start_ns;
    double secs = (double)ns / 1e9;
    int m = (int)(secs / 60);
    sh_printf(sh, 1, "%dm%.3fs %dm%.3fs\n%dm%.3fs %dm%.3fs\n", m, secs - m * 60, 0, 0.0, 0, 0.0, 0, 0.0);
    return 0;
}

int bi_let(struct sh *sh, int argc, char **argv)
{
    if (argc < 2) {
        sh_error(sh, "let: expression expected");
        return 1;
    }
    intmax_t v = 0;
    sh->arith_prefix = "let: ";
    for (int i = 1; i < argc; i++)
        if (sh_arith_text(sh, argv[i], &v) < 0) {
            sh->arith_prefix = NULL;
            return 1;
        }
    sh->arith_prefix = NULL;
    return v == 0;
}

int bi_bash_false_dummy(struct sh *sh, int argc, char **argv)
{
    return 1;
}
