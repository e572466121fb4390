/* env.c — run a program in a modified environment, or print the
 * environment (-i -u -0 -C -S -v, signal options). The program is found on
 * the (new) PATH and run as a child; env's status is the child's. */
#include "cmd/cmd.h"
#include "lib/path.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

static const char env_help[] =
    "Usage: %s [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]\n"
    "Set each NAME to VALUE in the environment and run COMMAND.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -i, --ignore-environment  start with an empty environment\n"
    "  -0, --null           end each output line with NUL, not newline\n"
    "  -u, --unset=NAME     remove variable from the environment\n"
    "  -C, --chdir=DIR      change working directory to DIR\n"
    "  -S, --split-string=S  process and split S into separate arguments;\n"
    "                        used to pass multiple arguments on shebang lines\n"
    "      --block-signal[=SIG]    block delivery of SIG signal(s) to COMMAND\n"
    "      --default-signal[=SIG]  reset handling of SIG signal(s) to the default\n"
    "      --ignore-signal[=SIG]   set handling of SIG signal(s) to do nothing\n"
    "      --list-signal-handling  list non default signal handling to stderr\n"
    "  -v, --debug          print verbose information for each processing step\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "A mere - implies -i.  If no COMMAND, print the resulting environment.\n"
    "\n"
    "SIG may be a signal name like 'PIPE', or a signal number like '13'.\n"
    "Without SIG, all known signals are included.  Multiple signals can be\n"
    "comma-separated.\n"
    "\n"
    COREUTILS_HELP_TAIL("env", "env");

enum { DEFAULT_SIGNAL = 256, IGNORE_SIGNAL, BLOCK_SIGNAL, LIST_SIGNALS };
static const struct opt_long longs[] = {{"ignore-environment", OPT_NOARG, 'i'},
                                        {"null", OPT_NOARG, '0'},
                                        {"unset", OPT_ARG, 'u'},
                                        {"chdir", OPT_ARG, 'C'},
                                        {"default-signal", OPT_OPTARG, DEFAULT_SIGNAL},
                                        {"ignore-signal", OPT_OPTARG, IGNORE_SIGNAL},
                                        {"block-signal", OPT_OPTARG, BLOCK_SIGNAL},
                                        {"list-signal-handling", OPT_NOARG, LIST_SIGNALS},
                                        {"debug", OPT_NOARG, 'v'},
                                        {"split-string", OPT_ARG, 'S'},
                                        {0}};
static const struct opt_spec spec = {.name = "env",
                                     .shorts = "+C:iS:u:v0 \t\n\v\f\r",
                                     .longs = longs,
                                     .help = env_help,
                                     .authors =
                                         "Richard Mlynarik, David MacKenzie, and Assaf Gordon",
                                     .err_status = 125};

#define EXIT_CANCELED 125

static const struct {
    const char *name;
    int num;
} signames[] = {
    {"HUP", SIGHUP},     {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"ILL", SIGILL},
    {"TRAP", SIGTRAP},   {"ABRT", SIGABRT}, {"BUS", SIGBUS},       {"FPE", SIGFPE},
    {"USR1", SIGUSR1},   {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},
    {"ALRM", SIGALRM},   {"TERM", SIGTERM}, {"CHLD", SIGCHLD},     {"CONT", SIGCONT},
    {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
    {"WINCH", SIGWINCH}, {"SYS", SIGSYS},
};

/* Apply --default-signal / --ignore-signal to the ignored-signal mask. */
static int signal_option(struct proc *p, struct opt_state *o, const char *arg, bool ignore)
{
    uint64_t mask = 0;
    if (!arg) {
        for (size_t i = 0; i < sizeof signames / sizeof signames[0]; i++)
            if (signames[i].num != SIGKILL && signames[i].num != SIGSTOP)
                mask |= 1ull << (signames[i].num - 1);
    } else {
        char *copy = p_strdup(p, arg);
        if (!copy) return -1;
        for (char *save, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            int num = 0;
            char *end;
            long v = strtol(t, &end, 10);
            if (*t && !*end && v > 0 && v < 64) {
                num = (int)v;
            } else {
                const char *n = strncmp(t, "SIG", 3) == 0 ? t + 3 : t;
                for (size_t i = 0; i < sizeof signames / sizeof signames[0]; i++)
                    if (strcmp(n, signames[i].name) == 0) num = signames[i].num;
            }
            if (!num) {
                cmd_error(p, "%s: invalid signal", cmd_quote(p, t));
                opt_usage_error(o, NULL);
                return -1;
            }
            mask |= 1ull << (num - 1);
        }
    }
    if (ignore)
        p->sig_ignored |= mask;
    else
        p->sig_ignored &= ~mask;
    return 0;
}

struct words {
    struct proc *p;
    char **v;
    int n, cap;
    struct sbuf tok;
    bool have; /* a word is open (even an empty "" one) */
};

static bool push_word(struct words *w)
{
    if (!w->have) return true;
    if (w->n + 1 >= w->cap) {
        w->cap = w->cap ? w->cap * 2 : 8;
        char **nv = p_realloc(w->p, w->v, (size_t)w->cap * sizeof *nv);
        if (!nv) return false;
        w->v = nv;
    }
    w->v[w->n] = p_strndup(w->p, w->tok.s ? w->tok.s : "", w->tok.len);
    if (!w->v[w->n++]) return false;
    w->tok.len = 0;
    w->have = false;
    return true;
}

/* -S: split s into arguments with env's quoting rules ('...', "...",
 * backslash escapes, ${VAR}, # comments, \c), insert them at o->ind.
 * Returns 0 or an exit status (message printed). */
static int split_string(struct proc *p, struct opt_state *o, const char *s, int *argcp,
                        char ***argvp)
{
    struct words w = {.p = p};
    sbuf_init(&w.tok, p);
    enum { NONE, SQ, DQ } q = NONE;
    for (; *s; s++) {
        char c = *s;
        if (q == NONE && strchr(" \t\n\v\f\r", c)) {
            if (!push_word(&w)) return EXIT_CANCELED;
            continue;
        }
        if (q == NONE && c == '#' && !w.have) break;
        if (q != DQ && c == '\'') {
            q = q == SQ ? NONE : SQ;
            w.have = true;
            continue;
        }
        if (q != SQ && c == '"') {
            q = q == DQ ? NONE : DQ;
            w.have = true;
            continue;
        }
        if (q != SQ && c == '$') {
            const char *e = s[1] == '{' ? strchr(s + 2, '}') : NULL;
            if (!e) {
                cmd_error(p, "only ${VARNAME} expansion is supported, error at: %s", s);
                return EXIT_CANCELED;
            }
            char *name = p_strndup(p, s + 2, (size_t)(e - s - 2));
            const char *v = name ? proc_getenv(p, name) : NULL;
            if (v) sbuf_add(&w.tok, v, strlen(v));
            w.have = true;
            s = e;
            continue;
        }
        if (c == '\\' && (q != SQ || s[1] == '\\' || s[1] == '\'')) {
            char n = *++s, out;
            switch (n) {
            case '"':
            case '#':
            case '$':
            case '\'':
            case '\\': out = n; break;
            case '_':
                if (q == NONE) { /* separates arguments */
                    if (!push_word(&w)) return EXIT_CANCELED;
                    continue;
                }
                out = ' ';
                break;
            case 'c':
                if (q == DQ) {
                    cmd_error(p, "'\\c' must not appear in double-quoted -S string");
                    return EXIT_CANCELED;
                }
                goto done;
            case 'f': out = '\f'; break;
            case 'n': out = '\n'; break;
            case 'r': out = '\r'; break;
            case 't': out = '\t'; break;
            case 'v': out = '\v'; break;
            case '\0':
                cmd_error(p, "invalid backslash at end of string in -S");
                return EXIT_CANCELED;
            default: cmd_error(p, "invalid sequence '\\%c' in -S", n); return EXIT_CANCELED;
            }
            sbuf_addc(&w.tok, out);
            w.have = true;
            continue;
        }
        sbuf_addc(&w.tok, c);
        w.have = true;
    }
    if (q != NONE) {
        cmd_error(p, "no terminating quote in -S string");
        return EXIT_CANCELED;
    }
done:
    if (!push_word(&w)) return EXIT_CANCELED;
    sbuf_free(&w.tok);
    /* New argv: argv[0..ind) + words + argv[ind..argc). */
    int argc = *argcp;
    char **argv = *argvp;
    char **nv = p_calloc(p, (size_t)(argc + w.n + 1), sizeof *nv);
    if (!nv) return EXIT_CANCELED;
    int k = 0;
    for (int i = 0; i < o->ind; i++) nv[k++] = argv[i];
    for (int i = 0; i < w.n; i++) nv[k++] = w.v[i];
    for (int i = o->ind; i < argc; i++) nv[k++] = argv[i];
    nv[k] = NULL;
    *argcp = k;
    *argvp = nv;
    o->argc = k;
    o->argv = nv;
    return 0;
}

static void debug(struct proc *p, bool on, const char *fmt, const char *arg)
{
    if (!on) return;
    struct sbuf sb;
    sbuf_init(&sb, p);
    sbuf_printf(&sb, fmt, arg);
    if (sb.s) io_write_all(p, 2, sb.s, sb.len);
    sbuf_free(&sb);
}

int cmd_env(struct proc *p, int argc, char **argv)
{
    bool ignore_env = false, nul = false, dbg = false, list = false;
    const char *newdir = NULL;
    const char **unset = p_calloc(p, (size_t)argc + 1, sizeof *unset);
    int nunset = 0;
    if (!unset) return EXIT_CANCELED;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'i': ignore_env = true; break;
        case 'u': {
            if (nunset >= argc) {
                const char **nu = p_realloc(p, unset, (size_t)(nunset * 2 + 2) * sizeof *nu);
                if (!nu) return EXIT_CANCELED;
                unset = nu;
            }
            unset[nunset++] = o.arg;
            break;
        }
        case 'v': dbg = true; break;
        case '0': nul = true; break;
        case 'C': newdir = o.arg; break;
        case 'S': {
            int r = split_string(p, &o, o.arg, &argc, &argv);
            if (r) return r;
            break;
        }
        case DEFAULT_SIGNAL:
        case IGNORE_SIGNAL:
            if (signal_option(p, &o, o.arg, c == IGNORE_SIGNAL) < 0) return EXIT_CANCELED;
            break;
        case BLOCK_SIGNAL: break;
        case LIST_SIGNALS: list = true; break;
        case ' ':
        case '\t':
        case '\n':
        case '\v':
        case '\f':
        case '\r':
            cmd_error(p, "invalid option -- '%c'", c);
            cmd_error(p, "use -[v]S to pass options in shebang lines");
            return opt_usage_error(&o, NULL);
        case OPT_EXIT: return o.status;
        }
    }
    if (o.ind < argc && strcmp(argv[o.ind], "-") == 0) {
        ignore_env = true;
        o.ind++;
    }
    if (ignore_env) {
        debug(p, dbg, "cleaning environ\n", NULL);
        while (p->env && p->env[0]) {
            char *name = p_strndup(p, p->env[0], strcspn(p->env[0], "="));
            if (!name || proc_setenv(p, name, NULL) < 0 ||
                (p->env[0] && !strncmp(p->env[0], "=", 1)))
                break;
        }
    } else {
        for (int i = 0; i < nunset; i++) {
            debug(p, dbg, "unset:    %s\n", unset[i]);
            if (!*unset[i] || strchr(unset[i], '=')) {
                cmd_errno(p, EINVAL, "cannot unset %s", cmd_quote(p, unset[i]));
                return EXIT_CANCELED;
            }
            proc_setenv(p, unset[i], NULL);
        }
    }
    char *eq;
    while (o.ind < argc && (eq = strchr(argv[o.ind], '='))) {
        debug(p, dbg, "setenv:   %s\n", argv[o.ind]);
        char *name = p_strndup(p, argv[o.ind], (size_t)(eq - argv[o.ind]));
        if (!name || !*name || proc_setenv(p, name, eq + 1) < 0) {
            cmd_errno(p, EINVAL, "cannot set %s", cmd_quote(p, name ? name : ""));
            return EXIT_CANCELED;
        }
        o.ind++;
    }
    bool program = o.ind < argc;
    if (nul && program) {
        cmd_error(p, "cannot specify --null (-0) with command");
        return opt_usage_error(&o, NULL);
    }
    if (newdir && !program) {
        cmd_error(p, "must specify command with --chdir (-C)");
        return opt_usage_error(&o, NULL);
    }
    if (!program) {
        struct obuf out;
        obuf_init(&out, p, 1);
        for (char **e = p->env; e && *e; e++) {
            obuf_puts(&out, *e);
            obuf_putc(&out, nul ? '\0' : '\n');
        }
        return cmd_close_stdout(p, &out, 0);
    }
    if (list) {
        for (size_t i = 0; i < sizeof signames / sizeof signames[0]; i++)
            if (p->sig_ignored & (1ull << (signames[i].num - 1))) {
                struct sbuf sb;
                sbuf_init(&sb, p);
                sbuf_printf(&sb, "%-10s (%2d): IGNORE\n", signames[i].name, signames[i].num);
                if (sb.s) io_write_all(p, 2, sb.s, sb.len);
                sbuf_free(&sb);
            }
    }
    if (newdir) {
        debug(p, dbg, "chdir:    %s\n", cmd_quoteaf(p, newdir));
        int r = sys_chdir(p, newdir);
        if (r < 0) {
            cmd_errno(p, r, "cannot change directory to %s", cmd_quoteaf(p, newdir));
            return EXIT_CANCELED;
        }
    }
    if (dbg) {
        debug(p, true, "executing: %s\n", argv[o.ind]);
        for (int i = o.ind; i < argc; i++) {
            struct sbuf sb;
            sbuf_init(&sb, p);
            sbuf_printf(&sb, "   arg[%d]= %s\n", i - o.ind, cmd_quote(p, argv[i]));
            if (sb.s) io_write_all(p, 2, sb.s, sb.len);
            sbuf_free(&sb);
        }
    }
    char path[VFS_PATH_MAX];
    int r = path_search(p, argv[o.ind], NULL, path, sizeof path);
    int pid = 0;
    if (r == 0) {
        struct proc *child = proc_new(p->vm, p);
        if (!child) {
            r = -ENOMEM;
        } else {
            pid = child->pid;
            r = sys_exec(child, path, argv + o.ind, false);
            if (r < 0) proc_discard(child);
        }
    }
    if (r < 0) {
        if (r == -ENOEXEC) r = -EACCES;
        cmd_errno(p, r, "%s", cmd_quote(p, argv[o.ind]));
        if (r == -ENOENT && strpbrk(argv[o.ind], " \t\n\v\f\r"))
            cmd_error(p, "use -[v]S to pass options in shebang lines");
        return r == -ENOENT ? 127 : 126;
    }
    int status = 0;
    r = sys_waitpid(p, pid, &status, 0);
    if (r < 0) return 1;
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
