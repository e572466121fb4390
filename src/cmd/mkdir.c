/* mkdir.c — make directories: -p (with ancestors), -m MODE (octal or
 * symbolic, applied exactly, umask aside), -v, and -Z accepted as GNU does
 * without SELinux. */
#include "cmd/cmd.h"
#include "lib/modechange.h"

#include <sys/stat.h>

static const char mkdir_help[] =
    "Usage: %s [OPTION]... DIRECTORY...\n"
    "Create the DIRECTORY(ies), if they do not already exist.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -m, --mode=MODE   set file mode (as in chmod), not a=rwx - umask\n"
    "  -p, --parents     no error if existing, make parent directories as needed,\n"
    "                    with their file modes unaffected by any -m option.\n"
    "  -v, --verbose     print a message for each created directory\n"
    "  -Z                   set SELinux security context of each created directory\n"
    "                         to the default type\n"
    "      --context[=CTX]  like -Z, or if CTX is specified then set the SELinux\n"
    "                         or SMACK security context to CTX\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("mkdir", "mkdir")
    ;

static const struct opt_long longs[] = {{"mode", OPT_ARG, 'm'},
                                        {"parents", OPT_NOARG, 'p'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {"context", OPT_OPTARG, 'Z'},
                                        {0}};
static const struct opt_spec spec = {.name = "mkdir",
                                     .shorts = "pm:vZ",
                                     .longs = longs,
                                     .help = mkdir_help,
                                     .authors = "David MacKenzie"};

struct mkdir_opts {
    struct proc *p;
    bool parents, verbose, set_mode;
    mode_t mode, mode_bits, ancestor_mode;
};

static void announce(struct mkdir_opts *m, const char *dir)
{
    if (m->verbose) p_printf(m->p, 1, "%s: created directory %s\n", cmd_prog(m->p), cmd_quoteaf(m->p, dir));
}

/* Make the ancestors of dir (all but its last component). */
static bool make_ancestors(struct mkdir_opts *m, char *dir)
{
    struct proc *p = m->p;
    char *s = dir;
    while (*s == '/') s++;
    for (;;) {
        char *e = s;
        while (*e && *e != '/') e++;
        char *next = e;
        while (*next == '/') next++;
        if (!*next) return true; /* s is the last component */
        bool dot = (e - s == 1 && s[0] == '.');
        if (!dot) {
            char save = *e;
            *e = 0;
            int r = sys_mkdir(p, dir, m->ancestor_mode);
            if (r == 0) {
                announce(m, dir);
            } else {
                struct stat st;
                int sr = sys_stat(p, dir, &st);
                if (sr < 0 || !S_ISDIR(st.st_mode)) {
                    int err = r != -EEXIST ? r : sr < 0 ? sr : -ENOTDIR;
                    if (err != -EINTR) cmd_errno(p, err, "cannot create directory %s", cmd_quote(p, dir));
                    *e = save;
                    return false;
                }
            }
            *e = save;
        }
        s = next;
    }
}

static bool make_dir(struct mkdir_opts *m, char *dir)
{
    struct proc *p = m->p;
    if (m->parents && !make_ancestors(m, dir)) return false;
    int r = sys_mkdir(p, dir, m->mode);
    if (r < 0) {
        if (m->parents) {
            struct stat st;
            if (sys_stat(p, dir, &st) == 0 && S_ISDIR(st.st_mode)) return true;
        }
        if (r != -EINTR) cmd_errno(p, r, "cannot create directory %s", cmd_quote(p, dir));
        return false;
    }
    announce(m, dir);
    if (m->set_mode) {
        struct stat st;
        r = sys_lstat(p, dir, &st);
        if (r == 0) {
            mode_t want = (st.st_mode & 07777 & ~m->mode_bits) | (m->mode & m->mode_bits);
            if (want != (st.st_mode & 07777)) r = sys_chmod(p, dir, want);
        }
        if (r < 0) {
            cmd_errno(p, r, "cannot set permissions of %s", cmd_quoteaf(p, dir));
            return false;
        }
    }
    return true;
}

int cmd_mkdir(struct proc *p, int argc, char **argv)
{
    struct mkdir_opts m = {.p = p};
    const char *mode = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'p': m.parents = true; break;
        case 'm': mode = o.arg; break;
        case 'v': m.verbose = true; break;
        case 'Z':
            if (o.arg) cmd_error(p, "warning: ignoring --context; it requires an SELinux/SMACK-enabled kernel");
            break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (o.ind >= argc) return opt_usage_error(&o, "missing operand");
    mode_t umask_value = sys_umask(p, 0);
    sys_umask(p, umask_value);
    m.ancestor_mode = 0777 & ~(umask_value & ~(S_IWUSR | S_IXUSR));
    m.mode = 0777;
    if (mode) {
        bool oom;
        struct mode_change *ch = mode_compile(p, mode, &oom);
        if (!ch) {
            if (oom) cmd_error(p, "memory exhausted");
            else cmd_error(p, "invalid mode %s", cmd_quote(p, mode));
            return 1;
        }
        m.mode = mode_adjust(0777, true, umask_value, ch, &m.mode_bits);
        m.set_mode = true;
        p_free(p, ch);
    }
    bool ok = true;
    for (int i = o.ind; i < argc; i++) ok &= make_dir(&m, argv[i]);
    return ok ? 0 : 1;
}
