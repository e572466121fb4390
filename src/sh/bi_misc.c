/* sh/bi_misc.c — the remaining builtins: getopts, help, caller,
 * dirs/pushd/popd, ulimit, enable, disown/suspend/logout, fc/history and
 * bg/fg (a non-interactive shell: no history, no job control), and the
 * programmable-completion builtins compgen/complete/compopt. Also the
 * helpers every bi_*.c file uses: bash's internal_getopt (sh_bopt_next)
 * and NAME / NAME[SUB] assignment (sh_bi_assign).
 *
 * Per-shell state these builtins keep (getopts' position inside a cluster,
 * completion specs, disabled builtins, ulimit values) lives in a small
 * registry keyed by the shell (struct sh has no slot for it yet).
 */
#include "sh/builtins.h"
#include "lib/printf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- option parsing (bash's internal_getopt) ------------------------------------ */

int sh_bopt_next(struct sh *sh, struct sh_bopt *o, int argc, char **argv, const char *opts,
                 const char *usage)
{
    bool plus_ok = *opts == '+';
    if (plus_ok) opts++;
    const char *name = argv[0];
    if (o->ind == 0) {
        o->ind = 1;
        o->sp = 1;
    }
    o->arg = NULL;
    if (o->sp == 1) {
        if (o->ind >= argc) return -1;
        const char *w = argv[o->ind];
        if ((w[0] != '-' && !(plus_ok && w[0] == '+')) || !w[1]) return -1;
        if (!strcmp(w, "--help")) {
            extern int sh_help_topic(struct sh * sh, const char *name, int mode);
            sh_help_topic(sh, name, 0);
            return -2;
        }
        if (!strcmp(w, "--")) {
            o->ind++;
            return -1;
        }
        o->plus = w[0] == '+';
    }
    const char *w = argv[o->ind];
    char c = w[o->sp];
    const char *cp = c == ':' ? NULL : strchr(opts, c);
    if (!cp) {
        sh_error(sh, "%s: %c%c: invalid option", name, w[0], c);
        if (usage) sh_printf(sh, 2, "%s: usage: %s\n", name, usage);
        return -2;
    }
    if (cp[1] == ':') {
        if (w[o->sp + 1]) {
            o->arg = (char *)w + o->sp + 1;
            o->ind++;
        } else if (o->ind + 1 < argc) {
            o->arg = argv[o->ind + 1];
            o->ind += 2;
        } else {
            sh_error(sh, "%s: %c%c: option requires an argument", name, w[0], c);
            if (usage) sh_printf(sh, 2, "%s: usage: %s\n", name, usage);
            return -2;
        }
        o->sp = 1;
    } else if (!w[++o->sp]) {
        o->sp = 1;
        o->ind++;
    }
    return (unsigned char)c;
}

/* ---- assignment helpers ------------------------------------------------------------------ */

bool sh_bi_valid_lhs(const char *s)
{
    const char *lb = strchr(s, '[');
    if (!lb) return sh_valid_name(s);
    size_t n = strlen(s);
    if (n < 3 || s[n - 1] != ']' || lb + 1 >= s + n - 1) return false;
    char *base = xstrndup(s, (size_t)(lb - s));
    bool ok = sh_valid_name(base);
    free(base);
    return ok;
}

int sh_bi_assign(struct sh *sh, const char *lhs, const char *val)
{
    const char *lb = strchr(lhs, '[');
    if (!lb) return sh_var_set(sh, lhs, val, false);
    char *base = xstrndup(lhs, (size_t)(lb - lhs));
    char *sub = xstrndup(lb + 1, strlen(lb + 1) - 1);
    struct sh_var *v = sh_var_resolve(sh, base, NULL);
    int r;
    if (v && (v->attr & V_ASSOC)) {
        char *key = sh_subscript_key(sh, sub);
        r = key ? sh_var_set_elem(sh, base, key, 0, val, false) : -1;
        free(key);
    } else {
        intmax_t idx;
        if (sh_arith_text(sh, sub, &idx) < 0) r = -1;
        else r = sh_var_set_elem(sh, base, NULL, idx, val, false);
    }
    free(base);
    free(sub);
    return r;
}

/* ---- per-shell state ------------------------------------------------------------------ */

struct compspec {
    struct compspec *next;
    char *name; /* command, or "-D" "-E" "-I" */
    unsigned actions, options;
    char *words, *globpat, *prefix, *suffix, *filterpat, *command, *funcname;
};

struct bi_state {
    struct bi_state *next;
    const struct sh *sh;
    /* getopts */
    int optind, charindex;
    char *optind_seen; /* OPTIND as getopts last set it */
    /* completion */
    struct compspec *specs;
    /* enable -n */
    char **disabled;
    int ndisabled;
    /* ulimit values set in this shell: -1 not set */
    long long ulim[32];
};

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static struct bi_state *states;

static struct bi_state *bstate(struct sh *sh)
{
    pthread_mutex_lock(&state_lock);
    struct bi_state *s = states;
    while (s && s->sh != sh) s = s->next;
    if (!s) {
        s = xmalloc(sizeof *s);
        memset(s, 0, sizeof *s);
        s->sh = sh;
        for (int i = 0; i < 32; i++) s->ulim[i] = -2;
        s->next = states;
        states = s;
    }
    pthread_mutex_unlock(&state_lock);
    return s;
}

static struct compspec *spec_copy(const struct compspec *c)
{
    struct compspec *n = xmalloc(sizeof *n);
    *n = *c;
    n->next = NULL;
    n->name = xstrdup(c->name);
    n->words = xstrdup(c->words);
    n->globpat = xstrdup(c->globpat);
    n->prefix = xstrdup(c->prefix);
    n->suffix = xstrdup(c->suffix);
    n->filterpat = xstrdup(c->filterpat);
    n->command = xstrdup(c->command);
    n->funcname = xstrdup(c->funcname);
    return n;
}

static void spec_free(struct compspec *c);

void sh_bi_state_clone(struct sh *parent, struct sh *child)
{
    pthread_mutex_lock(&state_lock);
    struct bi_state *s = states;
    while (s && s->sh != parent) s = s->next;
    if (!s) {
        pthread_mutex_unlock(&state_lock);
        return;
    }
    struct bi_state *c = xmalloc(sizeof *c);
    *c = *s;
    c->sh = child;
    c->optind_seen = xstrdup(s->optind_seen);
    c->specs = NULL;
    struct compspec **tail = &c->specs;
    for (struct compspec *e = s->specs; e; e = e->next) {
        *tail = spec_copy(e);
        tail = &(*tail)->next;
    }
    c->disabled = s->ndisabled ? xmalloc((size_t)s->ndisabled * sizeof *c->disabled) : NULL;
    for (int i = 0; i < s->ndisabled; i++) c->disabled[i] = xstrdup(s->disabled[i]);
    c->next = states;
    states = c;
    pthread_mutex_unlock(&state_lock);
}

void sh_bi_state_free(struct sh *sh)
{
    pthread_mutex_lock(&state_lock);
    struct bi_state **pp = &states;
    while (*pp && (*pp)->sh != sh) pp = &(*pp)->next;
    struct bi_state *s = *pp;
    if (s) *pp = s->next;
    pthread_mutex_unlock(&state_lock);
    if (!s) return;
    free(s->optind_seen);
    while (s->specs) {
        struct compspec *c = s->specs;
        s->specs = c->next;
        spec_free(c);
    }
    for (int i = 0; i < s->ndisabled; i++) free(s->disabled[i]);
    free(s->disabled);
    free(s);
}


bool sh_builtin_enabled(struct sh *sh, const char *name)
{
    pthread_mutex_lock(&state_lock);
    struct bi_state *s = states;
    while (s && s->sh != sh) s = s->next;
    bool on = true;
    for (int i = 0; s && i < s->ndisabled; i++)
        if (!strcmp(s->disabled[i], name)) on = false;
    pthread_mutex_unlock(&state_lock);
    return on;
}

/* ---- getopts ------------------------------------------------------------------------------- */

#define GETOPTS_USAGE "getopts optstring name [arg ...]"

static int getopts_bind(struct sh *sh, const char *name, const char *val)
{
    if (!sh_valid_name(name)) {
        sh_error(sh, "getopts: `%s': not a valid identifier", name);
        return 1;
    }
    return sh_var_set(sh, name, val, false) < 0 ? 1 : 0;
}

int bi_getopts(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "", GETOPTS_USAGE)) != -1;)
        if (c == -2) return 2;
    argc -= o.ind;
    argv += o.ind;
    if (argc < 2) {
        sh_printf(sh, 2, "getopts: usage: %s\n", GETOPTS_USAGE);
        return 2;
    }
    const char *optstr = argv[0], *name = argv[1];
    bool silent = optstr[0] == ':';
    if (silent) optstr++;
    const char *oe = sh_var_get(sh, "OPTERR");
    bool opterr = !silent && !(oe && !strcmp(oe, "0"));
    /* The argument vector: given words, or $0 and the positional parameters. */
    int n;
    char **av;
    if (argc > 2) {
        n = argc - 2 + 1;
        av = xmalloc((size_t)(n + 1) * sizeof *av);
        av[0] = sh->arg0;
        for (int i = 2; i < argc; i++) av[i - 1] = argv[i];
    } else {
        n = sh->argc + 1;
        av = xmalloc((size_t)(n + 1) * sizeof *av);
        av[0] = sh->arg0;
        for (int i = 0; i < sh->argc; i++) av[i + 1] = sh->argv[i];
    }
    av[n] = NULL;
    struct bi_state *st = bstate(sh);
    const char *oi = sh_var_get(sh, "OPTIND");
    if (!oi || !st->optind_seen || strcmp(oi, st->optind_seen)) {
        int s = oi && *oi ? atoi(oi) : 0;
        if (s < 0 || s == 1) s = 0;
        st->optind = s;
        st->charindex = 0;
    }
    /* sh_getopt */
    int ret;
    int optopt = 0;
    const char *optarg = NULL;
    bool have_arg = false;
    if (st->optind >= n || st->optind < 0) {
        st->optind = n;
        ret = -1;
    } else {
        if (st->optind == 0) {
            st->optind = 1;
            st->charindex = 0;
        }
        ret = 0;
        if (st->charindex == 0 || (st->optind < n && !av[st->optind][st->charindex])) {
            st->charindex = 0;
            if (st->optind >= n) ret = -1;
            else {
                const char *t = av[st->optind];
                if (!strcmp(t, "--")) {
                    st->optind++;
                    ret = -1;
                } else if (t[0] != '-' || !t[1]) {
                    ret = -1;
                } else {
                    st->charindex = 1;
                }
            }
        }
        if (ret == 0) {
            const char *word = av[st->optind];
            char c = word[st->charindex++];
            const char *tmp = strchr(optstr, c);
            optopt = (unsigned char)c;
            if (!word[st->charindex]) {
                st->optind++;
                st->charindex = 0;
            }
            if (!tmp || c == ':') {
                if (opterr) sh_printf(sh, 2, "%s: illegal option -- %c\n", sh->arg0, c);
                ret = '?';
                optarg = NULL;
            } else if (tmp[1] == ':') {
                if (st->charindex) {
                    optarg = word + st->charindex;
                    have_arg = true;
                    st->optind++;
                } else if (st->optind >= n) {
                    if (opterr)
                        sh_printf(sh, 2, "%s: option requires an argument -- %c\n", sh->arg0, c);
                    optarg = "";
                    have_arg = true;
                    c = silent ? ':' : '?';
                } else {
                    optarg = av[st->optind++];
                    have_arg = true;
                }
                st->charindex = 0;
                ret = (unsigned char)c;
            } else {
                ret = (unsigned char)c;
            }
        }
    }
    free(av);
    char num[24];
    snprintf(num, sizeof num, "%d", st->optind);
    sh_var_set(sh, "OPTIND", num, false);
    free(st->optind_seen);
    st->optind_seen = xstrdup(num);
    char sv[2] = {(char)optopt, 0};
    if (ret == -1) {
        sh_var_unset(sh, "OPTARG");
        getopts_bind(sh, name, "?");
        return 1;
    }
    if (ret == '?' && !have_arg) { /* invalid option */
        int r = getopts_bind(sh, name, "?");
        if (silent) sh_var_set(sh, "OPTARG", sv, false);
        else sh_var_unset(sh, "OPTARG");
        return r;
    }
    if ((ret == '?' || ret == ':') && have_arg && !*optarg) { /* missing argument */
        int r;
        if (silent) {
            r = getopts_bind(sh, name, ":");
            sh_var_set(sh, "OPTARG", sv, false);
        } else {
            r = getopts_bind(sh, name, "?");
            sh_var_unset(sh, "OPTARG");
        }
        return r;
    }
    if (have_arg) sh_var_set(sh, "OPTARG", optarg, false);
    else sh_var_unset(sh, "OPTARG");
    char rv[2] = {(char)ret, 0};
    return getopts_bind(sh, name, rv);
}

/* ---- help --------------------------------------------------------------------------------- */

struct help_entry {
    const char *name, *synopsis, *summary;
};

static const struct help_entry help_table[] = {
    {"%", "job_spec [&]",
     "Resume job in foreground."},
    {"(( ... ))", "(( expression ))",
     "Evaluate arithmetic expression."},
    {".", ". filename [arguments]",
     "Execute commands from a file in the current shell."},
    {":", ":",
     "Null command."},
    {"[", "[ arg... ]",
     "Evaluate conditional expression."},
    {"[[ ... ]]", "[[ expression ]]",
     "Execute conditional command."},
    {"alias", "alias [-p] [name[=value] ... ]",
     "Define or display aliases."},
    {"bg", "bg [job_spec ...]",
     "Move jobs to the background."},
    {"bind", "bind [-lpsvPSVX] [-m keymap] [-f filename] [-q name] [-u name] [-r keyseq] [-x keyseq:shell-command] [keyseq:readline-function or readline-command]",
     "Set Readline key bindings and variables."},
    {"break", "break [n]",
     "Exit for, while, or until loops."},
    {"builtin", "builtin [shell-builtin [arg ...]]",
     "Execute shell builtins."},
    {"caller", "caller [expr]",
     "Return the context of the current subroutine call."},
    {"case", "case WORD in [PATTERN [| PATTERN]...) COMMANDS ;;]... esac",
     "Execute commands based on pattern matching."},
    {"cd", "cd [-L|[-P [-e]] [-@]] [dir]",
     "Change the shell working directory."},
    {"command", "command [-pVv] command [arg ...]",
     "Execute a simple command or display information about commands."},
    {"compgen", "compgen [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [word]",
     "Display possible completions depending on the options."},
    {"complete", "complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]",
     "Specify how arguments are to be completed by Readline."},
    {"compopt", "compopt [-o|+o option] [-DEI] [name ...]",
     "Modify or display completion options."},
    {"continue", "continue [n]",
     "Resume for, while, or until loops."},
    {"coproc", "coproc [NAME] command [redirections]",
     "Create a coprocess named NAME."},
    {"declare", "declare [-aAfFgiIlnrtux] [name[=value] ...] or declare -p [-aAfFilnrtux] [name ...]",
     "Set variable values and attributes."},
    {"dirs", "dirs [-clpv] [+N] [-N]",
     "Display directory stack."},
    {"disown", "disown [-h] [-ar] [jobspec ... | pid ...]",
     "Remove jobs from current shell."},
    {"echo", "echo [-neE] [arg ...]",
     "Write arguments to the standard output."},
    {"enable", "enable [-a] [-dnps] [-f filename] [name ...]",
     "Enable and disable shell builtins."},
    {"eval", "eval [arg ...]",
     "Execute arguments as a shell command."},
    {"exec", "exec [-cl] [-a name] [command [argument ...]] [redirection ...]",
     "Replace the shell with the given command."},
    {"exit", "exit [n]",
     "Exit the shell."},
    {"export", "export [-fn] [name[=value] ...] or export -p",
     "Set export attribute for shell variables."},
    {"false", "false",
     "Return an unsuccessful result."},
    {"fc", "fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]",
     "Display or execute commands from the history list."},
    {"fg", "fg [job_spec]",
     "Move job to the foreground."},
    {"for", "for NAME [in WORDS ... ] ; do COMMANDS; done",
     "Execute commands for each member in a list."},
    {"for ((", "for (( exp1; exp2; exp3 )); do COMMANDS; done",
     "Arithmetic for loop."},
    {"function", "function name { COMMANDS ; } or name () { COMMANDS ; }",
     "Define shell function."},
    {"getopts", "getopts optstring name [arg ...]",
     "Parse option arguments."},
    {"hash", "hash [-lr] [-p pathname] [-dt] [name ...]",
     "Remember or display program locations."},
    {"help", "help [-dms] [pattern ...]",
     "Display information about builtin commands."},
    {"history", "history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]",
     "Display or manipulate the history list."},
    {"if", "if COMMANDS; then COMMANDS; [ elif COMMANDS; then COMMANDS; ]... [ else COMMANDS; ] fi",
     "Execute commands based on conditional."},
    {"jobs", "jobs [-lnprs] [jobspec ...] or jobs -x command [args]",
     "Display status of jobs."},
    {"kill", "kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]",
     "Send a signal to a job."},
    {"let", "let arg [arg ...]",
     "Evaluate arithmetic expressions."},
    {"local", "local [option] name[=value] ...",
     "Define local variables."},
    {"logout", "logout [n]",
     "Exit a login shell."},
    {"mapfile", "mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]",
     "Read lines from the standard input into an indexed array variable."},
    {"popd", "popd [-n] [+N | -N]",
     "Remove directories from stack."},
    {"printf", "printf [-v var] format [arguments]",
     "Formats and prints ARGUMENTS under control of the FORMAT."},
    {"pushd", "pushd [-n] [+N | -N | dir]",
     "Add directories to stack."},
    {"pwd", "pwd [-LP]",
     "Print the name of the current working directory."},
    {"read", "read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]",
     "Read a line from the standard input and split it into fields."},
    {"readarray", "readarray [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]",
     "Read lines from a file into an array variable."},
    {"readonly", "readonly [-aAf] [name[=value] ...] or readonly -p",
     "Mark shell variables as unchangeable."},
    {"return", "return [n]",
     "Return from a shell function."},
    {"select", "select NAME [in WORDS ... ;] do COMMANDS; done",
     "Select words from a list and execute commands."},
    {"set", "set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]",
     "Set or unset values of shell options and positional parameters."},
    {"shift", "shift [n]",
     "Shift positional parameters."},
    {"shopt", "shopt [-pqsu] [-o] [optname ...]",
     "Set and unset shell options."},
    {"source", "source filename [arguments]",
     "Execute commands from a file in the current shell."},
    {"suspend", "suspend [-f]",
     "Suspend shell execution."},
    {"test", "test [expr]",
     "Evaluate conditional expression."},
    {"time", "time [-p] pipeline",
     "Report time consumed by pipeline's execution."},
    {"times", "times",
     "Display process times."},
    {"trap", "trap [-lp] [[arg] signal_spec ...]",
     "Trap signals and other events."},
    {"true", "true",
     "Return a successful result."},
    {"type", "type [-afptP] name [name ...]",
     "Display information about command type."},
    {"typeset", "typeset [-aAfFgiIlnrtux] name[=value] ... or typeset -p [-aAfFilnrtux] [name ...]",
     "Set variable values and attributes."},
    {"ulimit", "ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]",
     "Modify shell resource limits."},
    {"umask", "umask [-p] [-S] [mode]",
     "Display or set file mode mask."},
    {"unalias", "unalias [-a] name [name ...]",
     "Remove each NAME from the list of defined aliases."},
    {"unset", "unset [-f] [-v] [-n] [name ...]",
     "Unset values and attributes of shell variables and functions."},
    {"until", "until COMMANDS; do COMMANDS-2; done",
     "Execute commands as long as a test does not succeed."},
    {"variables", "variables - Names and meanings of some shell variables",
     "Common shell variable names and usage."},
    {"wait", "wait [-fn] [-p var] [id ...]",
     "Wait for job completion and return exit status."},
    {"while", "while COMMANDS; do COMMANDS-2; done",
     "Execute commands as long as a test succeeds."},
    {"{ ... }", "{ COMMANDS ; }",
     "Group commands as a unit."},
};
#define NHELP (sizeof help_table / sizeof help_table[0])

/* mode 0: full (synopsis and summary), 'd': summary, 's': synopsis, 'm': manpage-like. */
static void help_show(struct sh *sh, const struct help_entry *e, int mode)
{
    switch (mode) {
    case 'd': sh_printf(sh, 1, "%s - %s\n", e->name, e->summary); break;
    case 's': sh_printf(sh, 1, "%s: %s\n", e->name, e->synopsis); break;
    case 'm':
        sh_printf(sh, 1, "NAME\n    %s - %s\n\nSYNOPSIS\n    %s\n\nDESCRIPTION\n    %s\n\n", e->name,
                  e->summary, e->synopsis, e->summary);
        break;
    default: sh_printf(sh, 1, "%s: %s\n    %s\n\n", e->name, e->synopsis, e->summary); break;
    }
}

int sh_help_topic(struct sh *sh, const char *name, int mode);
int sh_help_topic(struct sh *sh, const char *name, int mode)
{
    for (size_t i = 0; i < NHELP; i++) {
        if (!strcmp(help_table[i].name, name)) {
            help_show(sh, &help_table[i], mode);
            return 0;
        }
    }
    return 1;
}

#define HELP_USAGE "help [-dms] [pattern ...]"

int bi_help(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    int mode = 0;
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "dms", HELP_USAGE)) != -1;) {
        if (c == -2) return 2;
        mode = c;
    }
    if (o.ind >= argc) {
        sh_printf(sh, 1,
                  "GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)\n"
                  "These shell commands are defined internally.  Type `help' to see this list.\n"
                  "Type `help name' to find out more about the function `name'.\n"
                  "Use `info bash' to find out more about the shell in general.\n"
                  "Use `man -k' or `info' to find out more about commands not in this list.\n"
                  "\n"
                  "A star (*) next to a name means that the command is disabled.\n"
                  "\n");
        const int width = 40;
        size_t height = (NHELP + 1) / 2;
        for (size_t i = 0; i < height; i++) {
            for (size_t col = 0; col < 2; col++) {
                size_t k = i + col * height;
                if (k >= NHELP) break;
                char buf[64];
                const char *syn = help_table[k].synopsis;
                int w = col ? width - 1 : width;
                buf[0] = sh_builtin_enabled(sh, help_table[k].name) ? ' ' : '*';
                size_t l = strlen(syn);
                if (l > (size_t)w - 2) {
                    memcpy(buf + 1, syn, (size_t)w - 3);
                    buf[w - 2] = '>';
                    buf[w - 1] = 0;
                } else {
                    memcpy(buf + 1, syn, l + 1);
                }
                sh_write(sh, 1, buf, strlen(buf));
                bool last = (i << 1) >= NHELP || i + height >= NHELP;
                if (col == 0 && !last)
                    for (size_t j = strlen(buf); j < (size_t)width; j++) sh_write(sh, 1, " ", 1);
            }
            sh_write(sh, 1, "\n", 1);
        }
        return 0;
    }
    int status = 0;
    if (strpbrk(argv[o.ind], "*?[")) {
        sh_printf(sh, 1, "Shell commands matching keyword%s `", o.ind + 1 < argc ? "s" : "");
        for (int i = o.ind; i < argc; i++) sh_printf(sh, 1, "%s%s", argv[i], i + 1 < argc ? ", " : "");
        sh_printf(sh, 1, "'\n\n");
    }
    for (int i = o.ind; i < argc; i++) {
        bool found = false;
        /* Pass 1: exact names and pattern matches; pass 2: prefixes. */
        for (int pass = 1; pass < 3 && !found; pass++) {
            for (size_t k = 0; k < NHELP; k++) {
                const char *nm = help_table[k].name;
                bool m = pass == 1 ? !strcmp(argv[i], nm) || sh_match(sh, argv[i], nm)
                                   : !strncmp(nm, argv[i], strlen(argv[i]));
                if (m) {
                    help_show(sh, &help_table[k], mode);
                    found = true;
                }
            }
        }
        if (!found) {
            sh_error(sh, "help: no help topics match `%s'.  Try `help help' or `man -k %s' or `info %s'.",
                     argv[i], argv[i], argv[i]);
            status = 1;
        }
    }
    return status;
}

/* ---- caller -------------------------------------------------------------------------------- */

int bi_caller(struct sh *sh, int argc, char **argv)
{
    if (sh->nfunc == 0) return 1;
    bool script = sh->script_name && strcmp(sh->script_name, "bash") && strcmp(sh->script_name, "sh");
    const char *src = script ? sh->script_name : NULL;
    if (argc < 2) {
        sh_printf(sh, 1, "%d %s\n", sh->call_lines[sh->nfunc - 1], src ? src : "NULL");
        return 0;
    }
    intmax_t n;
    char *end;
    errno = 0;
    n = strtoimax(argv[1], &end, 10);
    if (errno || end == argv[1] || *end) {
        sh_error(sh, "caller: %s: invalid number", argv[1]);
        sh_printf(sh, 2, "caller: usage: caller [expr]\n");
        return 2;
    }
    if (n < 0 || n >= sh->nfunc) return 1;
    int line = sh->call_lines[sh->nfunc - 1 - n];
    const char *fn = n + 1 < sh->nfunc ? sh->funcname[sh->nfunc - 2 - n] : (script ? "main" : NULL);
    if (!fn || !src) return 1;
    sh_printf(sh, 1, "%d %s %s\n", line, fn, src);
    return 0;
}

/* ---- dirs / pushd / popd ------------------------------------------------------------------ */
/* sh->dirstack[i] is entry i+1 of `dirs` (entry 0 is the current directory). */

static char *cur_dir(struct sh *sh)
{
    const char *pwd = sh_var_get(sh, "PWD");
    if (pwd && *pwd) return xstrdup(pwd);
    char buf[4096];
    if (sys_getcwd(sh->p, buf, sizeof buf) >= 0) return xstrdup(buf);
    return xstrdup(".");
}

static char *tilde_short(struct sh *sh, const char *d)
{
    const char *home = sh_var_get(sh, "HOME");
    size_t hl = home ? strlen(home) : 0;
    if (hl && !strncmp(d, home, hl) && (d[hl] == 0 || d[hl] == '/') && strcmp(home, "/"))
        return xasprintf("~%s", d + hl);
    return xstrdup(d);
}

/* The logical form of path relative to the current directory. */
static char *logical(struct sh *sh, const char *path)
{
    char *base = path[0] == '/' ? xstrdup("") : cur_dir(sh);
    char *full = xasprintf("%s/%s", base, path);
    free(base);
    char *out = xmalloc(strlen(full) + 2);
    size_t n = 0;
    for (char *c = full; *c;) {
        while (*c == '/') c++;
        if (!*c) break;
        size_t l = strcspn(c, "/");
        if (l == 1 && c[0] == '.') {
        } else if (l == 2 && c[0] == '.' && c[1] == '.') {
            while (n > 0 && out[n - 1] != '/') n--;
            if (n > 0) n--;
        } else {
            out[n++] = '/';
            memcpy(out + n, c, l);
            n += l;
        }
        c += l;
    }
    if (!n) out[n++] = '/';
    out[n] = 0;
    free(full);
    return out;
}

static int change_dir(struct sh *sh, const char *name, const char *dir)
{
    char *target = logical(sh, dir);
    int r = sys_chdir(sh->p, target);
    if (r < 0) {
        sh_error(sh, "%s: %s: %s", name, dir, vos_strerror(r));
        free(target);
        return 1;
    }
    char *old = cur_dir(sh);
    sh_var_set(sh, "OLDPWD", old, false);
    sh_var_set(sh, "PWD", target, false);
    free(old);
    free(target);
    return 0;
}

static void print_dirs(struct sh *sh, bool longf, bool perline, bool verbose)
{
    char *cur = cur_dir(sh);
    for (int i = 0; i <= sh->ndirs; i++) {
        const char *d = i == 0 ? cur : sh->dirstack[i - 1];
        char *s = longf ? xstrdup(d) : tilde_short(sh, d);
        if (verbose) sh_printf(sh, 1, "%2d  %s\n", i, s);
        else sh_printf(sh, 1, "%s%s", s, perline || i == sh->ndirs ? "\n" : " ");
        free(s);
    }
    free(cur);
}

/* +N / -N into an index of the full list (0 = cwd); -1 when out of range. */
static int stack_index(struct sh *sh, const char *arg, bool *isnum)
{
    *isnum = false;
    if ((arg[0] != '+' && arg[0] != '-') || !isdigit((unsigned char)arg[1])) return -1;
    char *end;
    long n = strtol(arg + 1, &end, 10);
    if (*end) return -1;
    *isnum = true;
    int total = sh->ndirs + 1;
    if (n >= total) return -1;
    return arg[0] == '+' ? (int)n : total - 1 - (int)n;
}

#define DIRS_USAGE "dirs [-clpv] [+N] [-N]"
#define PUSHD_USAGE "pushd [-n] [+N | -N | dir]"
#define POPD_USAGE "popd [-n] [+N | -N]"

int bi_dirs(struct sh *sh, int argc, char **argv)
{
    bool clear = false, longf = false, perline = false, verbose = false;
    const char *which = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && !strcmp(a, "--")) continue;
        if ((a[0] == '+' || a[0] == '-') && isdigit((unsigned char)a[1])) {
            which = a;
            continue;
        }
        if (a[0] == '-' && a[1]) {
            for (const char *c = a + 1; *c; c++) {
                if (*c == 'c') clear = true;
                else if (*c == 'l') longf = true;
                else if (*c == 'p') perline = true;
                else if (*c == 'v') verbose = perline = true;
                else {
                    sh_error(sh, "dirs: %s: invalid number", a);
                    sh_printf(sh, 2, "dirs: usage: %s\n", DIRS_USAGE);
                    return 2;
                }
            }
            continue;
        }
        sh_error(sh, "dirs: %s: invalid option", a);
        sh_printf(sh, 2, "dirs: usage: %s\n", DIRS_USAGE);
        return 2;
    }
    if (clear) {
        for (int i = 0; i < sh->ndirs; i++) free(sh->dirstack[i]);
        sh->ndirs = 0;
        return 0;
    }
    if (which) {
        bool isnum;
        int k = stack_index(sh, which, &isnum);
        if (k < 0) {
            if (sh->ndirs == 0) sh_error(sh, "dirs: directory stack empty");
            else sh_error(sh, "dirs: %s: directory stack index out of range", which + 1);
            return 1;
        }
        char *cur = cur_dir(sh);
        const char *d = k == 0 ? cur : sh->dirstack[k - 1];
        char *s = longf ? xstrdup(d) : tilde_short(sh, d);
        if (verbose) sh_printf(sh, 1, "%2d  %s\n", k, s);
        else sh_printf(sh, 1, "%s\n", s);
        free(s);
        free(cur);
        return 0;
    }
    print_dirs(sh, longf, perline, verbose);
    return 0;
}

static void stack_insert(struct sh *sh, int pos, char *d)
{
    sh->dirstack = xrealloc(sh->dirstack, (size_t)(sh->ndirs + 1) * sizeof *sh->dirstack);
    memmove(sh->dirstack + pos + 1, sh->dirstack + pos, (size_t)(sh->ndirs - pos) * sizeof *sh->dirstack);
    sh->dirstack[pos] = d;
    sh->ndirs++;
}

static char *stack_remove(struct sh *sh, int pos)
{
    char *d = sh->dirstack[pos];
    memmove(sh->dirstack + pos, sh->dirstack + pos + 1, (size_t)(sh->ndirs - pos - 1) * sizeof *sh->dirstack);
    sh->ndirs--;
    return d;
}

int bi_pushd(struct sh *sh, int argc, char **argv)
{
    bool nocd = false;
    const char *arg = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            if (i + 1 < argc) arg = argv[i + 1];
            break;
        }
        if (!strcmp(a, "-n")) {
            nocd = true;
            continue;
        }
        if ((a[0] == '+' || a[0] == '-') && a[1] && !isdigit((unsigned char)a[1]) && strcmp(a, "-")) {
            sh_error(sh, "pushd: %s: invalid number", a);
            sh_printf(sh, 2, "pushd: usage: %s\n", PUSHD_USAGE);
            return 2;
        }
        arg = a;
        break;
    }
    if (!arg) {
        if (sh->ndirs == 0) {
            sh_error(sh, "pushd: no other directory");
            return 1;
        }
        char *top = xstrdup(sh->dirstack[0]);
        if (!nocd && change_dir(sh, "pushd", top)) {
            free(top);
            return 1;
        }
        /* swap: the old cwd becomes entry 1 */
        free(sh->dirstack[0]);
        sh->dirstack[0] = xstrdup(sh_var_get(sh, "OLDPWD") ? sh_var_get(sh, "OLDPWD") : "");
        free(top);
        print_dirs(sh, false, false, false);
        return 0;
    }
    bool isnum;
    if ((arg[0] == '+' || arg[0] == '-') && isdigit((unsigned char)arg[1])) {
        int k = stack_index(sh, arg, &isnum);
        if (k < 0) {
            if (sh->ndirs == 0) sh_error(sh, "pushd: directory stack empty");
            else sh_error(sh, "pushd: %s: directory stack index out of range", arg + 1);
            return 1;
        }
        if (k == 0) {
            print_dirs(sh, false, false, false);
            return 0;
        }
        /* rotate so entry k is on top */
        int total = sh->ndirs + 1;
        char **all = xmalloc((size_t)total * sizeof *all);
        all[0] = cur_dir(sh);
        for (int i = 0; i < sh->ndirs; i++) all[i + 1] = sh->dirstack[i];
        if (!nocd && change_dir(sh, "pushd", all[k])) {
            free(all[0]);
            free(all);
            return 1;
        }
        for (int i = 1; i < total; i++) sh->dirstack[i - 1] = all[(k + i) % total];
        free(all[k]);
        free(all);
        print_dirs(sh, false, false, false);
        return 0;
    }
    char *old = cur_dir(sh);
    if (nocd) {
        stack_insert(sh, 0, logical(sh, arg));
        free(old);
        print_dirs(sh, false, false, false);
        return 0;
    }
    if (change_dir(sh, "pushd", arg)) {
        free(old);
        return 1;
    }
    stack_insert(sh, 0, old);
    print_dirs(sh, false, false, false);
    return 0;
}

int bi_popd(struct sh *sh, int argc, char **argv)
{
    bool nocd = false;
    const char *arg = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-n")) {
            nocd = true;
            continue;
        }
        if (!strcmp(a, "--")) continue;
        if ((a[0] == '+' || a[0] == '-') && isdigit((unsigned char)a[1])) {
            arg = a;
            continue;
        }
        if (a[0] == '-' || a[0] == '+') {
            sh_error(sh, "popd: %s: invalid number", a);
        } else {
            sh_error(sh, "popd: %s: invalid argument", a);
        }
        sh_printf(sh, 2, "popd: usage: %s\n", POPD_USAGE);
        return 2;
    }
    if (sh->ndirs == 0) {
        sh_error(sh, "popd: directory stack empty");
        return 1;
    }
    int k = 0;
    if (arg) {
        bool isnum;
        k = stack_index(sh, arg, &isnum);
        if (k < 0) {
            sh_error(sh, "popd: %s: directory stack index out of range", arg + 1);
            return 1;
        }
    }
    if (k == 0) {
        if (!nocd && change_dir(sh, "popd", sh->dirstack[0])) return 1;
        free(stack_remove(sh, 0));
    } else {
        free(stack_remove(sh, k - 1));
    }
    print_dirs(sh, false, false, false);
    return 0;
}

/* ---- ulimit ----------------------------------------------------------------------------- */

struct ulimit_def {
    char opt;
    const char *desc, *units;
    long long factor;
};

static const struct ulimit_def ulimits[] = {
    {'R', "real-time non-blocking time", "microseconds", 1},
    {'c', "core file size", "blocks", 512},
    {'d', "data seg size", "kbytes", 1024},
    {'e', "scheduling priority", NULL, 1},
    {'f', "file size", "blocks", 1024},
    {'i', "pending signals", NULL, 1},
    {'l', "max locked memory", "kbytes", 1024},
    {'m', "max memory size", "kbytes", 1024},
    {'n', "open files", NULL, 1},
    {'p', "pipe size", "512 bytes", 512},
    {'q', "POSIX message queues", "bytes", 1},
    {'r', "real-time priority", NULL, 1},
    {'s', "stack size", "kbytes", 1024},
    {'t', "cpu time", "seconds", 1},
    {'u', "max user processes", NULL, 1},
    {'v', "virtual memory", "kbytes", 1024},
    {'x', "file locks", NULL, 1},
};
#define NULIMITS (sizeof ulimits / sizeof ulimits[0])
#define UNLIMITED (-1LL)

static long long vm_limit(uint64_t v)
{
    return v == 0 || v == UINT64_MAX ? UNLIMITED : (long long)v;
}

/* The current limit in bytes/units (UNLIMITED for none). */
static long long ulimit_get(struct sh *sh, int i)
{
    struct bi_state *st = bstate(sh);
    if (st->ulim[i] != -2) return st->ulim[i];
    struct vm *vm = sh->p->vm;
    switch (ulimits[i].opt) {
    case 'c': return 0;
    case 'e': return 0;
    case 'i': return 7823;
    case 'l': return 8192LL * 1024;
    case 'n': return vm_limit(vm->limits.open_files);
    case 'p': return 4096;
    case 'q': return 819200;
    case 'r': return 0;
    case 's': return 8192LL * 1024;
    case 'u': return vm_limit(vm->limits.processes);
    case 'v': return vm_limit(vm->limits.memory_bytes);
    default: return UNLIMITED;
    }
}

static void ulimit_print(struct sh *sh, int i, bool desc)
{
    const struct ulimit_def *u = &ulimits[i];
    if (desc) {
        char unit[64];
        if (u->units) snprintf(unit, sizeof unit, "(%s, -%c) ", u->units, u->opt);
        else snprintf(unit, sizeof unit, "(-%c) ", u->opt);
        sh_printf(sh, 1, "%-20s %20s", u->desc, unit);
    }
    long long v = ulimit_get(sh, i);
    if (v == UNLIMITED) sh_printf(sh, 1, "unlimited\n");
    else sh_printf(sh, 1, "%lld\n", v / u->factor);
}

#define ULIMIT_USAGE "ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]"

int bi_ulimit(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    bool all = false;
    int sel[NULIMITS], nsel = 0;
    const char *setval[NULIMITS];
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "SHaRcdefilmnpqrstuvxbkPT", ULIMIT_USAGE)) != -1;) {
        if (c == -2) return 2;
        if (c == 'S' || c == 'H') continue;
        if (c == 'a') {
            all = true;
            continue;
        }
        int k = -1;
        for (size_t i = 0; i < NULIMITS; i++)
            if (ulimits[i].opt == c) k = (int)i;
        if (k < 0) {
            sh_error(sh, "ulimit: -%c: invalid option", c);
            sh_printf(sh, 2, "ulimit: usage: %s\n", ULIMIT_USAGE);
            return 2;
        }
        if (nsel < (int)NULIMITS) {
            setval[nsel] = NULL;
            sel[nsel++] = k;
        }
    }
    if (all) {
        for (size_t i = 0; i < NULIMITS; i++) ulimit_print(sh, (int)i, true);
        return 0;
    }
    if (!nsel) {
        for (size_t i = 0; i < NULIMITS; i++)
            if (ulimits[i].opt == 'f') sel[nsel] = (int)i;
        setval[nsel++] = NULL;
    }
    if (o.ind < argc) {
        if (o.ind + 1 < argc) {
            sh_error(sh, "ulimit: too many arguments");
            return 2;
        }
        setval[nsel - 1] = argv[o.ind];
    }
    int status = 0;
    for (int j = 0; j < nsel; j++) {
        int i = sel[j];
        if (!setval[j]) {
            ulimit_print(sh, i, nsel > 1);
            continue;
        }
        const char *s = setval[j];
        long long cur = ulimit_get(sh, i), nv;
        if (!strcmp(s, "unlimited")) nv = UNLIMITED;
        else if (!strcmp(s, "hard") || !strcmp(s, "soft")) nv = cur;
        else {
            char *end;
            errno = 0;
            long long n = strtoll(s, &end, 10);
            if (errno || end == s || *end || n < 0) {
                sh_error(sh, "ulimit: %s: invalid number", s);
                status = 1;
                continue;
            }
            nv = n * ulimits[i].factor;
        }
        if (cur != UNLIMITED && (nv == UNLIMITED || nv > cur)) {
            sh_error(sh, "ulimit: %s: cannot modify limit: %s", ulimits[i].desc,
                     vos_strerror(-EPERM));
            status = 1;
            continue;
        }
        bstate(sh)->ulim[i] = nv;
        /* Lower the VM's own limit where one applies. */
        struct vm *vm = sh->p->vm;
        if (nv != UNLIMITED) {
            if (ulimits[i].opt == 'n') vm->limits.open_files = (uint64_t)nv;
            else if (ulimits[i].opt == 'u') vm->limits.processes = (uint64_t)nv;
            else if (ulimits[i].opt == 'v') vm->limits.memory_bytes = (uint64_t)nv;
        }
    }
    return status;
}

/* ---- enable ---------------------------------------------------------------------------------- */

#define ENABLE_USAGE "enable [-a] [-dnps] [-f filename] [name ...]"

int bi_enable(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    bool all = false, disable = false, print = false, special = false;
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "adnpsf:", ENABLE_USAGE)) != -1;) {
        switch (c) {
        case -2: return 2;
        case 'a': all = true; break;
        case 'n': disable = true; break;
        case 'p': print = true; break;
        case 's': special = true; break;
        case 'd':
        case 'f':
            sh_error(sh, "enable: dynamic loading not available");
            return 1;
        }
    }
    struct bi_state *st = bstate(sh);
    if (o.ind >= argc || print) {
        for (size_t i = 0; i < sh_builtin_count; i++) {
            const struct sh_builtin *b = &sh_builtins[i];
            if (!strcmp(b->name, "bash_false_dummy")) continue;
            bool on = sh_builtin_enabled(sh, b->name);
            if (special && !b->special) continue;
            if (!all && (disable ? on : !on)) continue;
            sh_printf(sh, 1, "enable %s%s\n", on ? "" : "-n ", b->name);
        }
        return 0;
    }
    int status = 0;
    for (int i = o.ind; i < argc; i++) {
        const char *name = argv[i];
        if (!sh_builtin_find(name)) {
            sh_error(sh, "enable: %s: not a shell builtin", name);
            status = 1;
            continue;
        }
        pthread_mutex_lock(&state_lock);
        int k = -1;
        for (int j = 0; j < st->ndisabled; j++)
            if (!strcmp(st->disabled[j], name)) k = j;
        if (disable && k < 0) {
            st->disabled = xrealloc(st->disabled, (size_t)(st->ndisabled + 1) * sizeof *st->disabled);
            st->disabled[st->ndisabled++] = xstrdup(name);
        } else if (!disable && k >= 0) {
            free(st->disabled[k]);
            st->disabled[k] = st->disabled[--st->ndisabled];
        }
        pthread_mutex_unlock(&state_lock);
    }
    return status;
}

/* ---- job control and history in a non-interactive shell ------------------------------- */

int bi_fg(struct sh *sh, int argc, char **argv)
{
    sh_error(sh, "fg: no job control");
    return 1;
}

int bi_bg(struct sh *sh, int argc, char **argv)
{
    sh_error(sh, "bg: no job control");
    return 1;
}

#define DISOWN_USAGE "disown [-h] [-ar] [jobspec ... | pid ...]"

int bi_disown(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    bool all = false, running = false;
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "ahr", DISOWN_USAGE)) != -1;) {
        if (c == -2) return 2;
        if (c == 'a') all = true;
        if (c == 'r') running = true;
    }
    if (all || running) {
        for (int i = 0; i < sh->njobs; i++)
            if (!running || !sh->jobs[i].done) sh->jobs[i].id = -sh->jobs[i].id - 1;
        int n = 0;
        for (int i = 0; i < sh->njobs; i++) {
            if (sh->jobs[i].id < 0) {
                free(sh->jobs[i].pids);
                free(sh->jobs[i].status);
                free(sh->jobs[i].text);
            } else {
                sh->jobs[n++] = sh->jobs[i];
            }
        }
        sh->njobs = n;
        return 0;
    }
    if (o.ind >= argc) {
        if (sh->njobs == 0) {
            sh_error(sh, "disown: current: no such job");
            return 1;
        }
        struct sh_job *j = &sh->jobs[sh->njobs - 1];
        free(j->pids);
        free(j->status);
        free(j->text);
        sh->njobs--;
        return 0;
    }
    int status = 0;
    for (int i = o.ind; i < argc; i++) {
        const char *a = argv[i];
        int found = -1;
        for (int k = 0; k < sh->njobs; k++) {
            struct sh_job *j = &sh->jobs[k];
            if (a[0] == '%') {
                const char *spec = a + 1;
                if ((!strcmp(spec, "%") || !strcmp(spec, "+") || !*spec) && k == sh->njobs - 1) found = k;
                else if (!strcmp(spec, "-") && k == sh->njobs - 2) found = k;
                else if (isdigit((unsigned char)*spec) && atoi(spec) == j->id) found = k;
                else if (!isdigit((unsigned char)*spec) && j->text && !strncmp(j->text, spec, strlen(spec)))
                    found = k;
            } else {
                for (int p = 0; p < j->npids; p++)
                    if (j->pids[p] == atoi(a)) found = k;
            }
        }
        if (found < 0) {
            sh_error(sh, "disown: %s: no such job", a);
            status = 1;
            continue;
        }
        struct sh_job *j = &sh->jobs[found];
        free(j->pids);
        free(j->status);
        free(j->text);
        memmove(j, j + 1, (size_t)(sh->njobs - found - 1) * sizeof *j);
        sh->njobs--;
    }
    return status;
}

int bi_suspend(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "f", "suspend [-f]")) != -1;)
        if (c == -2) return 2;
    sh_error(sh, "suspend: cannot suspend: no job control");
    return 1;
}

int bi_logout(struct sh *sh, int argc, char **argv)
{
    sh_error(sh, "logout: not login shell: use `exit'");
    return 1;
}

#define HISTORY_USAGE "history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]"

int bi_history(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "acd:nprsw", HISTORY_USAGE)) != -1;) {
        if (c == -2) return 2;
        if (c == 'd') {
            sh_error(sh, "history: %s: history position out of range", o.arg);
            return 1;
        }
        if (c == 'p') {
            for (int i = o.ind; i < argc; i++) sh_printf(sh, 1, "%s\n", argv[i]);
            return 0;
        }
    }
    if (o.ind < argc) {
        const char *a = argv[o.ind];
        char *end;
        strtol(a, &end, 10);
        if (end == a || *end) {
            sh_error(sh, "history: %s: numeric argument required", a);
            return 1;
        }
        if (o.ind + 1 < argc) {
            sh_error(sh, "history: too many arguments");
            return 1;
        }
    }
    return 0;
}

#define FC_USAGE "fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]"

int bi_fc(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    bool list = false, redo = false;
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "e:lnrs", FC_USAGE)) != -1;) {
        if (c == -2) return 2;
        if (c == 'l') list = true;
        if (c == 's') redo = true;
    }
    if (list) return 0;
    (void)redo;
    sh_error(sh, "fc: no command found");
    return 1;
}

/* ---- programmable completion ------------------------------------------------------------ */

static const char *const comp_letters = "abcdefgjksuv";
static const char *const comp_letter_names[] = {"alias",   "builtin", "command", "directory",
                                                "export",  "file",    "group",   "job",
                                                "keyword", "service", "user",    "variable"};
static const char *const comp_anames[] = {"arrayvar", "binding",  "disabled", "enabled",
                                          "function", "helptopic", "hostname", "running",
                                          "setopt",   "shopt",    "signal",   "stopped", NULL};
static const char *const comp_onames[] = {"bashdefault", "default", "dirnames", "filenames",
                                          "noquote",     "nosort",  "nospace",  "plusdirs", NULL};
#define CA_LETTERS 12

static int action_bit(const char *name)
{
    for (int i = 0; i < CA_LETTERS; i++)
        if (!strcmp(comp_letter_names[i], name)) return i;
    for (int i = 0; comp_anames[i]; i++)
        if (!strcmp(comp_anames[i], name)) return CA_LETTERS + i;
    return -1;
}

static int option_bit(const char *name)
{
    for (int i = 0; comp_onames[i]; i++)
        if (!strcmp(comp_onames[i], name)) return i;
    return -1;
}

static void spec_free(struct compspec *c)
{
    free(c->name);
    free(c->words);
    free(c->globpat);
    free(c->prefix);
    free(c->suffix);
    free(c->filterpat);
    free(c->command);
    free(c->funcname);
    free(c);
}

static char *sq(const char *s)
{
    size_t n = strlen(s);
    char *r = xmalloc(4 * n + 3), *o = r;
    *o++ = '\'';
    for (; *s; s++) {
        if (*s == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *s;
        }
    }
    *o++ = '\'';
    *o = 0;
    return r;
}

static void spec_print(struct sh *sh, const struct compspec *c)
{
    char *line = xstrdup("complete ");
#define ADD(...)                                                                                   \
    do {                                                                                           \
        char *t_ = xasprintf(__VA_ARGS__);                                                         \
        char *n_ = xasprintf("%s%s", line, t_);                                                    \
        free(t_);                                                                                  \
        free(line);                                                                                \
        line = n_;                                                                                 \
    } while (0)
    for (int i = 0; comp_onames[i]; i++)
        if (c->options & (1u << i)) ADD("-o %s ", comp_onames[i]);
    for (int i = 0; i < CA_LETTERS; i++)
        if (c->actions & (1u << i)) ADD("-%c ", comp_letters[i]);
    for (int i = 0; comp_anames[i]; i++)
        if (c->actions & (1u << (CA_LETTERS + i))) ADD("-A %s ", comp_anames[i]);
    const char *sqargs[][2] = {{"-G", c->globpat}, {"-W", c->words},     {"-P", c->prefix},
                               {"-S", c->suffix},  {"-X", c->filterpat}, {"-C", c->command}};
    for (size_t i = 0; i < sizeof sqargs / sizeof sqargs[0]; i++) {
        if (!sqargs[i][1]) continue;
        char *q = sq(sqargs[i][1]);
        ADD("%s %s ", sqargs[i][0], q);
        free(q);
    }
    if (c->funcname) ADD("-F %s ", c->funcname);
    ADD("%s\n", c->name);
#undef ADD
    sh_write(sh, 1, line, strlen(line));
    free(line);
}

struct comp_args {
    unsigned actions, options, oplus, ominus;
    char *words, *globpat, *prefix, *suffix, *filterpat, *command, *funcname;
    bool print, remove, D, E, I;
    int ind;
};

/* Parse the options shared by compgen, complete and compopt. -2 after an
 * error (status 2), -1 after another error (status 1). */
static int comp_parse(struct sh *sh, int argc, char **argv, const char *opts, const char *usage,
                      struct comp_args *a)
{
    struct sh_bopt o = {0};
    memset(a, 0, sizeof *a);
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, opts, usage)) != -1;) {
        if (c == -2) return -2;
        const char *l = strchr(comp_letters, c);
        if (l && c) {
            a->actions |= 1u << (l - comp_letters);
            continue;
        }
        switch (c) {
        case 'p': a->print = true; break;
        case 'r': a->remove = true; break;
        case 'D': a->D = true; break;
        case 'E': a->E = true; break;
        case 'I': a->I = true; break;
        case 'A': {
            int b = action_bit(o.arg);
            if (b < 0) {
                sh_error(sh, "%s: %s: invalid action name", argv[0], o.arg);
                return -2;
            }
            a->actions |= 1u << b;
            break;
        }
        case 'o': {
            int b = option_bit(o.arg);
            if (b < 0) {
                sh_error(sh, "%s: %s: invalid option name", argv[0], o.arg);
                return -2;
            }
            if (o.plus) a->ominus |= 1u << b;
            else a->options |= 1u << b, a->oplus |= 1u << b;
            break;
        }
        case 'G': a->globpat = o.arg; break;
        case 'W': a->words = o.arg; break;
        case 'P': a->prefix = o.arg; break;
        case 'S': a->suffix = o.arg; break;
        case 'X': a->filterpat = o.arg; break;
        case 'C': a->command = o.arg; break;
        case 'F': a->funcname = o.arg; break;
        }
    }
    a->ind = o.ind;
    return 0;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void add_if(struct sh_strv *out, const char *s, const char *word)
{
    if (!strncmp(s, word, strlen(word))) strv_push(out, xstrdup(s));
}

static void gen_vars(struct sh *sh, struct sh_strv *out, const char *word, unsigned want)
{
    struct sh_strv all = {0};
    for (struct sh_scope *s = sh->scope; s; s = s->up)
        for (size_t b = 0; b < s->nbuckets; b++)
            for (struct sh_var *v = s->tab[b]; v; v = v->next) {
                if (sh_var_find(sh, v->name) != v) continue;
                if (want == 1 && !(v->attr & V_EXPORT)) continue;
                if (want == 2 && !(v->attr & (V_ARRAY | V_ASSOC))) continue;
                if (!v->val && !(v->attr & (V_ARRAY | V_ASSOC))) continue;
                add_if(&all, v->name, word);
            }
    if (all.n) qsort(all.v, all.n, sizeof *all.v, cmp_str);
    for (size_t i = 0; i < all.n; i++) strv_push(out, all.v[i]);
    free(all.v);
}

static void gen_files(struct sh *sh, struct sh_strv *out, const char *word, bool dirs_only)
{
    const char *slash = strrchr(word, '/');
    char *dir = slash ? xstrndup(word, (size_t)(slash - word) + 1) : xstrdup("");
    const char *base = slash ? slash + 1 : word;
    int fd = sys_open(sh->p, *dir ? dir : ".", O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        free(dir);
        return;
    }
    struct sh_strv found = {0};
    struct vfs_dirent ents[64];
    int n;
    while ((n = sys_getdents(sh->p, fd, ents, 64)) > 0) {
        for (int i = 0; i < n; i++) {
            const char *nm = ents[i].name;
            if (!strcmp(nm, ".") || !strcmp(nm, "..")) continue;
            if (nm[0] == '.' && base[0] != '.') continue;
            if (strncmp(nm, base, strlen(base))) continue;
            char *full = xasprintf("%s%s", dir, nm);
            if (dirs_only) {
                struct stat st;
                if (sys_stat(sh->p, full, &st) < 0 || !S_ISDIR(st.st_mode)) {
                    free(full);
                    continue;
                }
            }
            strv_push(&found, full);
        }
        if (proc_check(sh->p) < 0) break;
    }
    sys_close(sh->p, fd);
    if (found.n) qsort(found.v, found.n, sizeof *found.v, cmp_str);
    for (size_t i = 0; i < found.n; i++) strv_push(out, found.v[i]);
    free(found.v);
    free(dir);
}

static void gen_passwd(struct sh *sh, struct sh_strv *out, const char *word, const char *path)
{
    int fd = sys_open(sh->p, path, O_RDONLY, 0);
    if (fd < 0) return;
    char buf[8192];
    ssize_t n = sys_read(sh->p, fd, buf, sizeof buf - 1);
    sys_close(sh->p, fd);
    if (n <= 0) return;
    buf[n] = 0;
    for (char *line = buf; *line;) {
        size_t l = strcspn(line, "\n");
        size_t c = strcspn(line, ":\n");
        char *name = xstrndup(line, c);
        if (*name) add_if(out, name, word);
        free(name);
        line += l + (line[l] ? 1 : 0);
    }
}

static const char *const keywords[] = {"if", "then", "else", "elif", "fi", "case", "esac",
                                       "for", "select", "while", "until", "do", "done", "in",
                                       "function", "time", "{", "}", "!", "[[", "]]", "coproc",
                                       NULL};

static void gen_action(struct sh *sh, int bit, struct sh_strv *out, const char *word)
{
    if (bit < CA_LETTERS) {
        switch (comp_letters[bit]) {
        case 'a': {
            struct sh_strv al = {0};
            for (struct sh_alias *a = sh->aliases; a; a = a->next) add_if(&al, a->name, word);
            if (al.n) qsort(al.v, al.n, sizeof *al.v, cmp_str);
            for (size_t i = 0; i < al.n; i++) strv_push(out, al.v[i]);
            free(al.v);
            return;
        }
        case 'b':
            for (size_t i = 0; i < sh_builtin_count; i++)
                if (strcmp(sh_builtins[i].name, "bash_false_dummy"))
                    add_if(out, sh_builtins[i].name, word);
            return;
        case 'c': {
            for (struct sh_alias *a = sh->aliases; a; a = a->next) add_if(out, a->name, word);
            for (size_t i = 0; i < sh_builtin_count; i++)
                if (strcmp(sh_builtins[i].name, "bash_false_dummy"))
                    add_if(out, sh_builtins[i].name, word);
            for (struct sh_func *f = sh->funcs; f; f = f->next) add_if(out, f->name, word);
            for (int i = 0; keywords[i]; i++) add_if(out, keywords[i], word);
            const char *path = sh_var_get(sh, "PATH");
            for (const char *p = path; p && *p;) {
                size_t l = strcspn(p, ":");
                char *d = l ? xstrndup(p, l) : xstrdup(".");
                char *pre = xasprintf("%s/%s", d, word);
                struct sh_strv fl = {0};
                gen_files(sh, &fl, pre, false);
                for (size_t i = 0; i < fl.n; i++) {
                    if (sys_access(sh->p, fl.v[i], X_OK) == 0) strv_push(out, xstrdup(fl.v[i] + strlen(d) + 1));
                    free(fl.v[i]);
                }
                free(fl.v);
                free(pre);
                free(d);
                p += l;
                if (*p) p++;
            }
            return;
        }
        case 'd': gen_files(sh, out, word, true); return;
        case 'e': gen_vars(sh, out, word, 1); return;
        case 'f': gen_files(sh, out, word, false); return;
        case 'g': gen_passwd(sh, out, word, "/etc/group"); return;
        case 'j':
            for (int i = 0; i < sh->njobs; i++)
                if (sh->jobs[i].text) add_if(out, sh->jobs[i].text, word);
            return;
        case 'k':
            for (int i = 0; keywords[i]; i++) add_if(out, keywords[i], word);
            return;
        case 'u': gen_passwd(sh, out, word, "/etc/passwd"); return;
        case 'v': gen_vars(sh, out, word, 0); return;
        }
        return;
    }
    const char *an = comp_anames[bit - CA_LETTERS];
    if (!strcmp(an, "arrayvar")) gen_vars(sh, out, word, 2);
    else if (!strcmp(an, "enabled") || !strcmp(an, "disabled")) {
        bool want = an[0] == 'e';
        for (size_t i = 0; i < sh_builtin_count; i++)
            if (strcmp(sh_builtins[i].name, "bash_false_dummy") &&
                sh_builtin_enabled(sh, sh_builtins[i].name) == want)
                add_if(out, sh_builtins[i].name, word);
    } else if (!strcmp(an, "function")) {
        struct sh_strv fl = {0};
        for (struct sh_func *f = sh->funcs; f; f = f->next) add_if(&fl, f->name, word);
        if (fl.n) qsort(fl.v, fl.n, sizeof *fl.v, cmp_str);
        for (size_t i = 0; i < fl.n; i++) strv_push(out, fl.v[i]);
        free(fl.v);
    } else if (!strcmp(an, "helptopic")) {
        for (size_t i = 0; i < NHELP; i++) add_if(out, help_table[i].name, word);
    } else if (!strcmp(an, "setopt")) {
        struct sh_strv fl = {0};
        for (int i = 0; i < O__COUNT; i++)
            if (sh_opt_names[i]) add_if(&fl, sh_opt_names[i], word);
        if (fl.n) qsort(fl.v, fl.n, sizeof *fl.v, cmp_str);
        for (size_t i = 0; i < fl.n; i++) strv_push(out, fl.v[i]);
        free(fl.v);
    } else if (!strcmp(an, "shopt")) {
        struct sh_strv fl = {0};
        for (int i = 0; i < S__COUNT; i++)
            if (sh_shopt_names[i] && !strstr(sh_shopt_names[i], "_dummy"))
                add_if(&fl, sh_shopt_names[i], word);
        if (fl.n) qsort(fl.v, fl.n, sizeof *fl.v, cmp_str);
        for (size_t i = 0; i < fl.n; i++) strv_push(out, fl.v[i]);
        free(fl.v);
    } else if (!strcmp(an, "signal")) {
        static const char *const sigs[] = {
            "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",  "SIGTRAP", "SIGABRT", "SIGBUS",
            "SIGFPE",  "SIGKILL",   "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM",
            "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
            "SIGTTOU", "SIGURG",    "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",
            "SIGIO",   "SIGPWR",    "SIGSYS",  NULL};
        for (int i = 0; sigs[i]; i++) add_if(out, sigs[i], word);
    }
}

/* Run a completion function for compgen -F: COMPREPLY holds the matches. */
static void gen_function(struct sh *sh, const char *fname, const char *word, struct sh_strv *out)
{
    struct sh_func *f = sh_func_find(sh, fname);
    if (!f) {
        sh_error(sh, "compgen: %s: function not found", fname);
        return;
    }
    char *av[] = {(char *)fname, (char *)"", (char *)word, (char *)"", NULL};
    sh_var_unset(sh, "COMPREPLY");
    sh_call_function(sh, f, 4, av);
    struct sh_var *v = sh_var_find(sh, "COMPREPLY");
    if (v && (v->attr & V_ARRAY))
        for (size_t i = 0; i < v->n; i++) strv_push(out, xstrdup(v->arr[i].val));
    else if (v && v->val)
        strv_push(out, xstrdup(v->val));
}

#define COMPGEN_USAGE                                                                              \
    "compgen [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] "    \
    "[-C command] [-X filterpat] [-P prefix] [-S suffix] [word]"
#define COMPLETE_USAGE                                                                             \
    "complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] "    \
    "[-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]"

int bi_compgen(struct sh *sh, int argc, char **argv)
{
    struct comp_args a;
    int r = comp_parse(sh, argc, argv, "abcdefgjksuvo:A:G:W:F:C:X:P:S:", COMPGEN_USAGE, &a);
    if (r == -2) return 2;
    if (r < 0) return 1;
    const char *word = a.ind < argc ? argv[a.ind] : "";
    struct sh_strv res = {0};
    for (int bit = 0; bit < 32; bit++)
        if (a.actions & (1u << bit)) gen_action(sh, bit, &res, word);
    if (a.words) {
        const char *ifs = sh_ifs(sh);
        for (const char *p = a.words; *p;) {
            size_t l = strcspn(p, ifs);
            if (l) {
                char *w = xstrndup(p, l);
                add_if(&res, w, word);
                free(w);
            }
            p += l;
            if (*p) p++;
        }
    }
    if (a.funcname) {
        sh_error(sh, "compgen: warning: -F option may not work as you expect");
        gen_function(sh, a.funcname, word, &res);
    }
    if (a.command) sh_error(sh, "compgen: warning: -C option may not work as you expect");
    int found = 0;
    for (size_t i = 0; i < res.n; i++) {
        if (a.filterpat) {
            bool neg = a.filterpat[0] == '!';
            bool m = sh_match(sh, a.filterpat + neg, res.v[i]);
            if (neg ? !m : m) continue;
        }
        sh_printf(sh, 1, "%s%s%s\n", a.prefix ? a.prefix : "", res.v[i], a.suffix ? a.suffix : "");
        found++;
    }
    strv_clear(&res);
    free(res.v);
    return found ? 0 : 1;
}

static struct compspec **spec_find(struct bi_state *st, const char *name)
{
    struct compspec **pp = &st->specs;
    while (*pp && strcmp((*pp)->name, name)) pp = &(*pp)->next;
    return pp;
}

int bi_complete(struct sh *sh, int argc, char **argv)
{
    struct comp_args a;
    int r = comp_parse(sh, argc, argv, "abcdefgjksuvprDEIo:A:G:W:F:C:X:P:S:", COMPLETE_USAGE, &a);
    if (r == -2) return 2;
    if (r < 0) return 1;
    struct bi_state *st = bstate(sh);
    struct sh_strv names = {0};
    if (a.D) strv_push(&names, xstrdup("-D"));
    if (a.E) strv_push(&names, xstrdup("-E"));
    if (a.I) strv_push(&names, xstrdup("-I"));
    for (int i = a.ind; i < argc; i++) strv_push(&names, xstrdup(argv[i]));
    int status = 0;
    bool nothing = !a.actions && !a.options && !a.words && !a.globpat && !a.prefix && !a.suffix &&
                   !a.filterpat && !a.command && !a.funcname;
    if (a.print || (nothing && !a.remove && !names.n) || (nothing && !a.remove && names.n && 0)) {
        if (!names.n) {
            for (struct compspec *c = st->specs; c; c = c->next) spec_print(sh, c);
        } else {
            for (size_t i = 0; i < names.n; i++) {
                struct compspec *c = *spec_find(st, names.v[i]);
                if (c) spec_print(sh, c);
                else {
                    sh_error(sh, "complete: %s: no completion specification", names.v[i]);
                    status = 1;
                }
            }
        }
    } else if (a.remove) {
        if (!names.n) {
            while (st->specs) {
                struct compspec *c = st->specs;
                st->specs = c->next;
                spec_free(c);
            }
        }
        for (size_t i = 0; i < names.n; i++) {
            struct compspec **pp = spec_find(st, names.v[i]);
            if (*pp) {
                struct compspec *c = *pp;
                *pp = c->next;
                spec_free(c);
            }
        }
    } else if (!names.n) {
        sh_printf(sh, 2, "complete: usage: %s\n", COMPLETE_USAGE);
        status = 2;
    } else {
        for (size_t i = 0; i < names.n; i++) {
            struct compspec **pp = spec_find(st, names.v[i]);
            if (*pp) {
                struct compspec *old = *pp;
                *pp = old->next;
                spec_free(old);
            }
            struct compspec *c = xmalloc(sizeof *c);
            memset(c, 0, sizeof *c);
            c->name = xstrdup(names.v[i]);
            c->actions = a.actions;
            c->options = a.options;
            c->words = xstrdup(a.words);
            c->globpat = xstrdup(a.globpat);
            c->prefix = xstrdup(a.prefix);
            c->suffix = xstrdup(a.suffix);
            c->filterpat = xstrdup(a.filterpat);
            c->command = xstrdup(a.command);
            c->funcname = xstrdup(a.funcname);
                        c->next = NULL;
            *spec_find(st, "\x01") = c;
        }
    }
    strv_clear(&names);
    free(names.v);
    return status;
}

int bi_compopt(struct sh *sh, int argc, char **argv)
{
    struct comp_args a;
    int r = comp_parse(sh, argc, argv, "+o:DEI", "compopt [-o|+o option] [-DEI] [name ...]", &a);
    if (r == -2) return 2;
    if (r < 0) return 1;
    struct bi_state *st = bstate(sh);
    struct sh_strv names = {0};
    if (a.D) strv_push(&names, xstrdup("-D"));
    if (a.E) strv_push(&names, xstrdup("-E"));
    if (a.I) strv_push(&names, xstrdup("-I"));
    for (int i = a.ind; i < argc; i++) strv_push(&names, xstrdup(argv[i]));
    int status = 0;
    if (!names.n) {
        sh_error(sh, "compopt: not currently executing completion function");
        status = 1;
    }
    for (size_t i = 0; i < names.n; i++) {
        struct compspec *c = *spec_find(st, names.v[i]);
        if (!c) {
            sh_error(sh, "compopt: %s: no completion specification", names.v[i]);
            status = 1;
            continue;
        }
        if (!a.oplus && !a.ominus) {
            char *line = xstrdup("compopt ");
            for (int k = 0; comp_onames[k]; k++) {
                char *n = xasprintf("%s%co %s ", line, (c->options & (1u << k)) ? '-' : '+', comp_onames[k]);
                free(line);
                line = n;
            }
            sh_printf(sh, 1, "%s%s\n", line, c->name);
            free(line);
        } else {
            c->options = (c->options | a.oplus) & ~a.ominus;
        }
    }
    strv_clear(&names);
    free(names.v);
    return status;
}
