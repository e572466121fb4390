/* realpath.c — print the resolved absolute file name: -e -m, -L -P -s,
 * -q, -z, --relative-to=DIR, --relative-base=DIR. */
#include "cmd/cmd.h"
#include "lib/fsutil.h"

#include <sys/stat.h>

static const char realpath_help[] =
    "Usage: %s [OPTION]... FILE...\n"
    "Print the resolved absolute file name;\n"
    "all but the last component must exist\n"
    "\n"
    "  -e, --canonicalize-existing  all components of the path must exist\n"
    "  -m, --canonicalize-missing   no path components need exist or be a directory\n"
    "  -L, --logical                resolve '..' components before symlinks\n"
    "  -P, --physical               resolve symlinks as encountered (default)\n"
    "  -q, --quiet                  suppress most error messages\n"
    "      --relative-to=DIR        print the resolved path relative to DIR\n"
    "      --relative-base=DIR      print absolute paths unless paths below DIR\n"
    "  -s, --strip, --no-symlinks   don't expand symlinks\n"
    "  -z, --zero                   end each output line with NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("realpath", "realpath")
    ;

enum { OPT_RELATIVE_TO = 256, OPT_RELATIVE_BASE };
static const struct opt_long longs[] = {{"canonicalize-existing", OPT_NOARG, 'e'},
                                        {"canonicalize-missing", OPT_NOARG, 'm'},
                                        {"relative-to", OPT_ARG, OPT_RELATIVE_TO},
                                        {"relative-base", OPT_ARG, OPT_RELATIVE_BASE},
                                        {"quiet", OPT_NOARG, 'q'},
                                        {"strip", OPT_NOARG, 's'},
                                        {"no-symlinks", OPT_NOARG, 's'},
                                        {"zero", OPT_NOARG, 'z'},
                                        {"logical", OPT_NOARG, 'L'},
                                        {"physical", OPT_NOARG, 'P'},
                                        {0}};
static const struct opt_spec spec = {.name = "realpath",
                                     .shorts = "eLmPqsz",
                                     .longs = longs,
                                     .help = realpath_help,
                                     .authors = "Padraig Brady"};

struct realpath {
    struct proc *p;
    bool logical, quiet, nuls;
    char *rel_to, *rel_base;
    struct obuf out;
};

static char *canon(struct realpath *r, const char *name, int mode, int *err)
{
    char *c = fs_canonicalize(r->p, name, mode, err);
    if (r->logical && c) {
        char *c2 = fs_canonicalize(r->p, c, mode & ~CAN_NOLINKS, err);
        p_free(r->p, c);
        return c2;
    }
    return c;
}

static bool path_prefix(const char *prefix, const char *path)
{
    prefix++, path++;
    if (!*prefix) return *path != '/';
    if (*prefix == '/' && !prefix[1]) return *path == '/';
    while (*prefix && *path && *prefix == *path) prefix++, path++;
    return !*prefix && (*path == '/' || !*path);
}

static bool is_dir(struct proc *p, const char *name)
{
    struct stat st;
    return sys_stat(p, name, &st) == 0 && S_ISDIR(st.st_mode);
}

int cmd_realpath(struct proc *p, int argc, char **argv)
{
    struct realpath r = {.p = p};
    int can_mode = CAN_ALL_BUT_LAST;
    const char *relative_to = NULL, *relative_base = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'e': can_mode = (can_mode & ~CAN_MODE_MASK) | CAN_EXISTING; break;
        case 'm': can_mode = (can_mode & ~CAN_MODE_MASK) | CAN_MISSING; break;
        case 'L': can_mode |= CAN_NOLINKS, r.logical = true; break;
        case 's': can_mode |= CAN_NOLINKS, r.logical = false; break;
        case 'P': can_mode &= ~CAN_NOLINKS, r.logical = false; break;
        case 'q': r.quiet = true; break;
        case 'z': r.nuls = true; break;
        case OPT_RELATIVE_TO: relative_to = o.arg; break;
        case OPT_RELATIVE_BASE: relative_base = o.arg; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (o.ind >= argc) return opt_usage_error(&o, "missing operand");
    if (relative_base && !relative_to) relative_to = relative_base;
    bool need_dir = (can_mode & CAN_MODE_MASK) == CAN_EXISTING;
    int err;
    if (relative_to) {
        r.rel_to = canon(&r, relative_to, can_mode, &err);
        if (!r.rel_to) {
            cmd_file_error(p, relative_to, err);
            return 1;
        }
        if (need_dir && !is_dir(p, r.rel_to)) {
            cmd_file_error(p, relative_to, -ENOTDIR);
            return 1;
        }
    }
    if (relative_base == relative_to) {
        r.rel_base = r.rel_to;
    } else if (relative_base) {
        char *base = canon(&r, relative_base, can_mode, &err);
        if (!base) {
            cmd_file_error(p, relative_base, err);
            return 1;
        }
        if (need_dir && !is_dir(p, base)) {
            cmd_file_error(p, relative_base, -ENOTDIR);
            return 1;
        }
        if (path_prefix(base, r.rel_to)) {
            r.rel_base = base;
        } else {
            r.rel_base = r.rel_to;
            r.rel_to = NULL;
        }
    }
    obuf_init(&r.out, p, 1);
    bool ok = true;
    for (int i = o.ind; i < argc; i++) {
        char *c = canon(&r, argv[i], can_mode, &err);
        if (!c) {
            if (err == -EINTR) return 1;
            if (!r.quiet) {
                obuf_flush(&r.out);
                cmd_file_error(p, argv[i], err);
            }
            ok = false;
            continue;
        }
        char *rel = NULL;
        if (r.rel_to && !(r.rel_base && !path_prefix(r.rel_base, c)))
            rel = fs_relpath(p, c, r.rel_to);
        obuf_puts(&r.out, rel ? rel : c);
        obuf_putc(&r.out, r.nuls ? '\0' : '\n');
        p_free(p, rel);
        p_free(p, c);
    }
    return cmd_close_stdout(p, &r.out, ok ? 0 : 1);
}
