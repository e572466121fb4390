/* test.c — the test and [ commands (coreutils test.c): the POSIX rules
 * for 0-4 arguments, then -a/-o/!/( ) precedence; string, integer (with
 * -l STRING lengths) and file operators through the kernel's stat and
 * access calls. Status 0 true, 1 false, 2 syntax error. The shell's own
 * test builtin (src/sh/bi_test.c) follows bash instead. */
#include "cmd/cmd.h"

#include <setjmp.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static const char test_help[] =
    "Usage: test EXPRESSION\n"
    "  or:  test\n"
    "  or:  [ EXPRESSION ]\n"
    "  or:  [ ]\n"
    "  or:  [ OPTION\n"
    "Exit with the status determined by EXPRESSION.\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "An omitted EXPRESSION defaults to false.  Otherwise,\n"
    "EXPRESSION is true or false and sets exit status.  It is one of:\n"
    "\n"
    "  ( EXPRESSION )               EXPRESSION is true\n"
    "  ! EXPRESSION                 EXPRESSION is false\n"
    "  EXPRESSION1 -a EXPRESSION2   both EXPRESSION1 and EXPRESSION2 are true\n"
    "  EXPRESSION1 -o EXPRESSION2   either EXPRESSION1 or EXPRESSION2 is true\n"
    "\n"
    "  -n STRING            the length of STRING is nonzero\n"
    "  STRING               equivalent to -n STRING\n"
    "  -z STRING            the length of STRING is zero\n"
    "  STRING1 = STRING2    the strings are equal\n"
    "  STRING1 != STRING2   the strings are not equal\n"
    "\n"
    "  INTEGER1 -eq INTEGER2   INTEGER1 is equal to INTEGER2\n"
    "  INTEGER1 -ge INTEGER2   INTEGER1 is greater than or equal to INTEGER2\n"
    "  INTEGER1 -gt INTEGER2   INTEGER1 is greater than INTEGER2\n"
    "  INTEGER1 -le INTEGER2   INTEGER1 is less than or equal to INTEGER2\n"
    "  INTEGER1 -lt INTEGER2   INTEGER1 is less than INTEGER2\n"
    "  INTEGER1 -ne INTEGER2   INTEGER1 is not equal to INTEGER2\n"
    "\n"
    "  FILE1 -ef FILE2   FILE1 and FILE2 have the same device and inode numbers\n"
    "  FILE1 -nt FILE2   FILE1 is newer (modification date) than FILE2\n"
    "  FILE1 -ot FILE2   FILE1 is older than FILE2\n"
    "\n"
    "  -b FILE     FILE exists and is block special\n"
    "  -c FILE     FILE exists and is character special\n"
    "  -d FILE     FILE exists and is a directory\n"
    "  -e FILE     FILE exists\n"
    "  -f FILE     FILE exists and is a regular file\n"
    "  -g FILE     FILE exists and is set-group-ID\n"
    "  -G FILE     FILE exists and is owned by the effective group ID\n"
    "  -h FILE     FILE exists and is a symbolic link (same as -L)\n"
    "  -k FILE     FILE exists and has its sticky bit set\n"
    "  -L FILE     FILE exists and is a symbolic link (same as -h)\n"
    "  -N FILE     FILE exists and has been modified since it was last read\n"
    "  -O FILE     FILE exists and is owned by the effective user ID\n"
    "  -p FILE     FILE exists and is a named pipe\n"
    "  -r FILE     FILE exists and the user has read access\n"
    "  -s FILE     FILE exists and has a size greater than zero\n"
    "  -S FILE     FILE exists and is a socket\n"
    "  -t FD       file descriptor FD is opened on a terminal\n"
    "  -u FILE     FILE exists and its set-user-ID bit is set\n"
    "  -w FILE     FILE exists and the user has write access\n"
    "  -x FILE     FILE exists and the user has execute (or search) access\n"
    "\n"
    "Except for -h and -L, all FILE-related tests dereference symbolic links.\n"
    "Beware that parentheses need to be escaped (e.g., by backslashes) for shells.\n"
    "INTEGER may also be -l STRING, which evaluates to the length of STRING.\n"
    "\n"
    "NOTE: Binary -a and -o are inherently ambiguous.  Use 'test EXPR1 && test\n"
    "EXPR2' or 'test EXPR1 || test EXPR2' instead.\n"
    "\n"
    "NOTE: [ honors the --help and --version options, but test does not.\n"
    "test treats each of those as it treats any other nonempty STRING.\n"
    "\n"
    "NOTE: your shell may have its own version of test and/or [, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    COREUTILS_HELP_TAIL("test", "test");

static const struct opt_spec spec = {.name = "[",
                                     .shorts = "",
                                     .help = test_help,
                                     .authors = "Kevin Braunsdorf and Matthew Bradburn"};

struct test {
    struct proc *p;
    int pos, argc;
    char **argv;
    int depth; /* ( nesting: the parser recurses on the C stack */
    jmp_buf fail;
};

static __attribute__((noreturn)) void syntax_error(struct test *t, const char *fmt, const char *a,
                                                   const char *b)
{
    if (b)
        cmd_error(t->p, fmt, a, b);
    else if (a)
        cmd_error(t->p, fmt, a);
    else
        cmd_error(t->p, "%s", fmt);
    longjmp(t->fail, 1);
}

static __attribute__((noreturn)) void beyond(struct test *t)
{
    syntax_error(t, "missing argument after %s", cmd_quote(t->p, t->argv[t->argc - 1]), NULL);
}

static void advance(struct test *t, bool f)
{
    ++t->pos;
    if (f && t->pos >= t->argc) beyond(t);
}

static void unary_advance(struct test *t)
{
    advance(t, true);
    ++t->pos;
}

static bool isblank_(char c)
{
    return c == ' ' || c == '\t';
}

/* The integer in s (blanks around allowed): a pointer to its first digit or
 * sign, for strintcmp. */
static const char *find_int(struct test *t, const char *string)
{
    const char *p = string, *start;
    while (isblank_(*p)) p++;
    if (*p == '+') {
        p++;
        start = p;
    } else {
        start = p;
        p += *p == '-';
    }
    if (*p >= '0' && *p <= '9') {
        p++;
        while (*p >= '0' && *p <= '9') p++;
        while (isblank_(*p)) p++;
        if (!*p) return start;
    }
    syntax_error(t, "invalid integer %s", cmd_quote(t->p, string), NULL);
}

/* Compare two integer strings as find_int returns them (gnulib strintcmp). */
static int strintcmp(const char *a, const char *b)
{
    bool na = *a == '-', nb = *b == '-';
    if (na) a++;
    if (nb) b++;
    while (*a == '0') a++;
    while (*b == '0') b++;
    size_t la = 0, lb = 0;
    while (a[la] >= '0' && a[la] <= '9') la++;
    while (b[lb] >= '0' && b[lb] <= '9') lb++;
    if (!la) na = false;
    if (!lb) nb = false;
    if (na != nb) return na ? -1 : 1;
    int c = la != lb ? (la < lb ? -1 : 1) : memcmp(a, b, la);
    if (c > 0) c = 1;
    if (c < 0) c = -1;
    return na ? -c : c;
}

static bool get_mtime(struct test *t, const char *f, struct timespec *ts)
{
    struct stat st;
    if (sys_stat(t->p, f, &st) < 0) return false;
    *ts = st.st_mtim;
    return true;
}

static int ts_cmp(struct timespec a, struct timespec b)
{
    if (a.tv_sec != b.tv_sec) return a.tv_sec < b.tv_sec ? -1 : 1;
    return a.tv_nsec < b.tv_nsec ? -1 : a.tv_nsec > b.tv_nsec;
}

static bool binop(const char *s)
{
    static const char *const ops[] = {"=",   "!=",  "==",  "-nt", "-ot", "-ef", "-eq",
                                      "-ne", "-lt", "-le", "-gt", "-ge", NULL};
    for (int i = 0; ops[i]; i++)
        if (!strcmp(s, ops[i])) return true;
    return false;
}

static bool binary_operator(struct test *t, bool l_is_l)
{
    char **argv = t->argv;
    if (l_is_l) advance(t, false);
    int op = t->pos + 1;
    bool r_is_l = false;
    if (op < t->argc - 2 && !strcmp(argv[op + 1], "-l")) {
        r_is_l = true;
        advance(t, false);
    }
    const char *o = argv[op];
    if (o[0] == '-') {
        if ((((o[1] == 'l' || o[1] == 'g') && (o[2] == 'e' || o[2] == 't')) ||
             (o[1] == 'e' && o[2] == 'q') || (o[1] == 'n' && o[2] == 'e')) &&
            !o[3]) {
            char lbuf[32], rbuf[32];
            const char *l, *r;
            if (l_is_l) {
                snprintf(lbuf, sizeof lbuf, "%zu", strlen(argv[op - 1]));
                l = lbuf;
            } else {
                l = find_int(t, argv[op - 1]);
            }
            if (r_is_l) {
                snprintf(rbuf, sizeof rbuf, "%zu", strlen(argv[op + 2]));
                r = rbuf;
            } else {
                r = find_int(t, argv[op + 1]);
            }
            int cmp = strintcmp(l, r);
            int xe = o[2] == 'e';
            t->pos += 3;
            return o[1] == 'l' ? cmp < xe : o[1] == 'g' ? cmp > -xe : (cmp != 0) == xe;
        }
        if ((!strcmp(o, "-nt") || !strcmp(o, "-ot") || !strcmp(o, "-ef"))) {
            t->pos += 3;
            if (l_is_l || r_is_l) syntax_error(t, "%s does not accept -l", o, NULL);
            if (o[1] == 'e') {
                struct stat a, b;
                return sys_stat(t->p, argv[op - 1], &a) == 0 &&
                       sys_stat(t->p, argv[op + 1], &b) == 0 && a.st_dev == b.st_dev &&
                       a.st_ino == b.st_ino;
            }
            struct timespec lt, rt;
            bool le = get_mtime(t, argv[op - 1], &lt), re = get_mtime(t, argv[op + 1], &rt);
            if (o[1] == 'n') return le && (!re || ts_cmp(lt, rt) > 0);
            return re && (!le || ts_cmp(lt, rt) < 0);
        }
        syntax_error(t, "%s: unknown binary operator", cmd_quote(t->p, o), NULL);
    }
    if (o[0] == '=' && (!o[1] || (o[1] == '=' && !o[2]))) {
        bool v = !strcmp(argv[t->pos], argv[t->pos + 2]);
        t->pos += 3;
        return v;
    }
    if (!strcmp(o, "!=")) {
        bool v = strcmp(argv[t->pos], argv[t->pos + 2]) != 0;
        t->pos += 3;
        return v;
    }
    syntax_error(t, "%s: unknown binary operator", cmd_quote(t->p, o), NULL);
}

static bool test_unop(const char *op)
{
    return op[0] == '-' && op[1] && !op[2] && strchr("abcdefgkhnprstuwxzGLOS", op[1]);
}

static bool unary_operator(struct test *t)
{
    struct stat st;
    struct proc *p = t->p;
    char c = t->argv[t->pos][1];
    unary_advance(t);
    const char *arg = t->argv[t->pos - 1];
    switch (c) {
    case 'e': return sys_stat(p, arg, &st) == 0;
    case 'r': return sys_access(p, arg, R_OK) == 0;
    case 'w': return sys_access(p, arg, W_OK) == 0;
    case 'x': return sys_access(p, arg, X_OK) == 0;
    case 'O': return sys_stat(p, arg, &st) == 0 && st.st_uid == p->uid;
    case 'G': return sys_stat(p, arg, &st) == 0 && st.st_gid == p->gid;
    case 'f': return sys_stat(p, arg, &st) == 0 && S_ISREG(st.st_mode);
    case 'd': return sys_stat(p, arg, &st) == 0 && S_ISDIR(st.st_mode);
    case 's': return sys_stat(p, arg, &st) == 0 && st.st_size > 0;
    case 'S': return sys_stat(p, arg, &st) == 0 && S_ISSOCK(st.st_mode);
    case 'c': return sys_stat(p, arg, &st) == 0 && S_ISCHR(st.st_mode);
    case 'b': return sys_stat(p, arg, &st) == 0 && S_ISBLK(st.st_mode);
    case 'p': return sys_stat(p, arg, &st) == 0 && S_ISFIFO(st.st_mode);
    case 'L':
    case 'h': return sys_lstat(p, arg, &st) == 0 && S_ISLNK(st.st_mode);
    case 'u': return sys_stat(p, arg, &st) == 0 && (st.st_mode & S_ISUID);
    case 'g': return sys_stat(p, arg, &st) == 0 && (st.st_mode & S_ISGID);
    case 'k': return sys_stat(p, arg, &st) == 0 && (st.st_mode & S_ISVTX);
    case 't': {
        const char *s = find_int(t, arg);
        char *end;
        errno = 0;
        long fd = strtol(s, &end, 10);
        return !errno && fd >= 0 && fd <= 0x7fffffff && sys_isatty(p, (int)fd) > 0;
    }
    case 'n': return arg[0] != 0;
    case 'z': return arg[0] == 0;
    }
    return false;
}

static bool posixtest(struct test *t, int nargs);
static bool or_(struct test *t);

static bool term(struct test *t)
{
    char **argv = t->argv;
    bool value, negated = false;
    while (t->pos < t->argc && argv[t->pos][0] == '!' && !argv[t->pos][1]) {
        advance(t, true);
        negated = !negated;
    }
    if (t->pos >= t->argc) beyond(t);
    if (argv[t->pos][0] == '(' && !argv[t->pos][1]) {
        if (++t->depth > 10000) syntax_error(t, "%s", "expression nesting too deep", NULL);
        advance(t, true);
        int nargs;
        for (nargs = 1; t->pos + nargs < t->argc && strcmp(argv[t->pos + nargs], ")"); nargs++)
            if (nargs == 4) {
                nargs = t->argc - t->pos;
                break;
            }
        value = posixtest(t, nargs);
        if (t->pos >= t->argc)
            syntax_error(t, "%s expected", cmd_quote(t->p, ")"), NULL);
        else if (strcmp(argv[t->pos], ")"))
            syntax_error(t, "%s expected, found %s", cmd_quote(t->p, ")"),
                         cmd_quote(t->p, argv[t->pos]));
        advance(t, false);
        t->depth--;
    } else if (4 <= t->argc - t->pos && !strcmp(argv[t->pos], "-l") && binop(argv[t->pos + 2])) {
        value = binary_operator(t, true);
    } else if (3 <= t->argc - t->pos && binop(argv[t->pos + 1])) {
        value = binary_operator(t, false);
    } else if (argv[t->pos][0] == '-' && argv[t->pos][1] && !argv[t->pos][2]) {
        if (test_unop(argv[t->pos]))
            value = unary_operator(t);
        else
            syntax_error(t, "%s: unary operator expected", cmd_quote(t->p, argv[t->pos]), NULL);
    } else {
        value = argv[t->pos][0] != 0;
        advance(t, false);
    }
    return negated ^ value;
}

static bool and_(struct test *t)
{
    bool value = true;
    for (;;) {
        value &= term(t);
        if (!(t->pos < t->argc && !strcmp(t->argv[t->pos], "-a"))) return value;
        advance(t, false);
    }
}

static bool or_(struct test *t)
{
    bool value = false;
    for (;;) {
        value |= and_(t);
        if (!(t->pos < t->argc && !strcmp(t->argv[t->pos], "-o"))) return value;
        advance(t, false);
    }
}

static bool expr(struct test *t)
{
    if (t->pos >= t->argc) beyond(t);
    return or_(t);
}

static bool one_argument(struct test *t)
{
    return t->argv[t->pos++][0] != 0;
}

static bool two_arguments(struct test *t)
{
    char **argv = t->argv;
    bool value;
    if (!strcmp(argv[t->pos], "!")) {
        advance(t, false);
        value = argv[t->pos][0] == 0;
        advance(t, false);
    } else if (argv[t->pos][0] == '-' && argv[t->pos][1] && !argv[t->pos][2]) {
        if (test_unop(argv[t->pos]))
            value = unary_operator(t);
        else
            syntax_error(t, "%s: unary operator expected", cmd_quote(t->p, argv[t->pos]), NULL);
    } else {
        beyond(t);
    }
    return value;
}

static bool three_arguments(struct test *t)
{
    char **argv = t->argv;
    bool value;
    if (binop(argv[t->pos + 1])) {
        value = binary_operator(t, false);
    } else if (!strcmp(argv[t->pos], "!")) {
        advance(t, true);
        value = !two_arguments(t);
    } else if (!strcmp(argv[t->pos], "(") && !strcmp(argv[t->pos + 2], ")")) {
        advance(t, false);
        value = one_argument(t);
        advance(t, false);
    } else if (!strcmp(argv[t->pos + 1], "-a") || !strcmp(argv[t->pos + 1], "-o")) {
        value = expr(t);
    } else {
        syntax_error(t, "%s: binary operator expected", cmd_quote(t->p, argv[t->pos + 1]), NULL);
    }
    return value;
}

static bool posixtest(struct test *t, int nargs)
{
    switch (nargs) {
    case 1: return one_argument(t);
    case 2: return two_arguments(t);
    case 3: return three_arguments(t);
    case 4:
        if (!strcmp(t->argv[t->pos], "!")) {
            advance(t, true);
            return !three_arguments(t);
        }
        if (!strcmp(t->argv[t->pos], "(") && !strcmp(t->argv[t->pos + 3], ")")) {
            advance(t, false);
            bool v = two_arguments(t);
            advance(t, false);
            return v;
        }
        /* fall through */
    default: return expr(t);
    }
}

static int run(struct proc *p, int argc, char **argv, bool bracket)
{
    struct test *t = p_calloc(p, 1, sizeof *t);
    if (!t) return 3;
    t->p = p;
    if (bracket) {
        if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "--version"))) {
            struct opt_state o;
            opt_init(&o, p, &spec, argc, argv);
            return !strcmp(argv[1], "--help") ? opt_help(&o) : opt_version(&o);
        }
        if (argc < 2 || strcmp(argv[argc - 1], "]")) {
            cmd_error(p, "missing %s", cmd_quote(p, "]"));
            return 2;
        }
        argc--;
    }
    t->argc = argc;
    t->argv = argv;
    t->pos = 1;
    if (t->pos >= t->argc) return 1;
    if (setjmp(t->fail)) return 2;
    bool value = posixtest(t, t->argc - 1);
    if (t->pos != t->argc) syntax_error(t, "extra argument %s", cmd_quote(p, argv[t->pos]), NULL);
    return value ? 0 : 1;
}

int cmd_test(struct proc *p, int argc, char **argv)
{
    return run(p, argc, argv, false);
}

int cmd_bracket(struct proc *p, int argc, char **argv)
{
    return run(p, argc, argv, true);
}
