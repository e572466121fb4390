/* rmdir.c — remove empty directories: -p (and their emptied parents), -v,
 * --ignore-fail-on-non-empty. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <sys/stat.h>

static const char rmdir_help[] =
    "Usage: %s [OPTION]... DIRECTORY...\n"
    "Remove the DIRECTORY(ies), if they are empty.\n"
    "\n"
    "      --ignore-fail-on-non-empty\n"
    "                    ignore each failure that is solely because a directory\n"
    "                    is non-empty\n"
    "\n"
    "  -p, --parents     remove DIRECTORY and its ancestors; e.g., 'rmdir -p a/b/c'\n"
    "                    is similar to 'rmdir a/b/c a/b a'\n"
    "\n"
    "  -v, --verbose     output a diagnostic for every directory processed\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("rmdir", "rmdir")
    ;

enum { OPT_IGNORE = 256 };
static const struct opt_long longs[] = {{"ignore-fail-on-non-empty", OPT_NOARG, OPT_IGNORE},
                                        {"path", OPT_NOARG, 'p'},
                                        {"parents", OPT_NOARG, 'p'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {0}};
static const struct opt_spec spec = {.name = "rmdir",
                                     .shorts = "pv",
                                     .longs = longs,
                                     .help = rmdir_help,
                                     .authors = "David MacKenzie"};

struct rmdir_opts {
    struct proc *p;
    bool ignore, parents, verbose;
};

static bool is_empty_dir(struct proc *p, const char *dir, int *err)
{
    *err = 0;
    int fd = sys_open(p, dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        *err = fd;
        return false;
    }
    struct vfs_dirent ents[3];
    int n, total = 0;
    while ((n = sys_getdents(p, fd, ents, 3)) > 0) total += n;
    if (n < 0) *err = n;
    sys_close(p, fd);
    return n == 0 && total <= 2;
}

static bool ignorable(struct rmdir_opts *o, int err, const char *dir)
{
    if (!o->ignore) return false;
    if (err == -ENOTEMPTY || err == -EEXIST) return true;
    if (err == -EACCES || err == -EPERM || err == -EROFS || err == -EBUSY) {
        int e;
        bool empty = is_empty_dir(o->p, dir, &e);
        return !empty && e == 0;
    }
    return false;
}

static void verbose(struct rmdir_opts *o, const char *dir)
{
    if (o->verbose)
        p_printf(o->p, 1, "%s: removing directory, %s\n", cmd_prog(o->p), cmd_quoteaf(o->p, dir));
}

static void strip_trailing_slashes(char *s)
{
    size_t n = strlen(s);
    while (n > 1 && s[n - 1] == '/') s[--n] = 0;
}

static bool remove_parents(struct rmdir_opts *o, char *dir)
{
    struct proc *p = o->p;
    strip_trailing_slashes(dir);
    for (;;) {
        char *slash = strrchr(dir, '/');
        if (!slash) break;
        while (slash > dir && *slash == '/') slash--;
        slash[1] = 0;
        verbose(o, dir);
        int r = sys_rmdir(p, dir);
        if (r < 0) {
            if (ignorable(o, r, dir)) return true;
            if (r == -EINTR) return false;
            if (r != -ENOTDIR)
                cmd_errno(p, r, "failed to remove directory %s", cmd_quoteaf(p, dir));
            else
                cmd_errno(p, r, "failed to remove %s", cmd_quoteaf(p, dir));
            return false;
        }
    }
    return true;
}

int cmd_rmdir(struct proc *p, int argc, char **argv)
{
    struct rmdir_opts ro = {.p = p};
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case OPT_IGNORE: ro.ignore = true; break;
        case 'p': ro.parents = true; break;
        case 'v': ro.verbose = true; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (o.ind >= argc) return opt_usage_error(&o, "missing operand");
    bool ok = true;
    for (int i = o.ind; i < argc; i++) {
        char *dir = argv[i];
        verbose(&ro, dir);
        int r = sys_rmdir(p, dir);
        if (r < 0) {
            if (ignorable(&ro, r, dir)) continue;
            if (r == -EINTR) return 1;
            bool custom = false;
            size_t n = strlen(dir);
            if (r == -ENOTDIR && n && dir[n - 1] == '/') {
                struct stat st;
                int sr = sys_stat(p, dir, &st);
                if ((sr < 0 && sr != -ENOTDIR) || (sr == 0 && S_ISDIR(st.st_mode))) {
                    char *copy = p_strdup(p, dir);
                    if (copy) {
                        strip_trailing_slashes(copy);
                        if (sys_lstat(p, copy, &st) == 0 && S_ISLNK(st.st_mode)) {
                            cmd_error(p, "failed to remove %s: Symbolic link not followed",
                                      cmd_quoteaf(p, dir));
                            custom = true;
                        }
                        p_free(p, copy);
                    }
                }
            }
            if (!custom) cmd_errno(p, r, "failed to remove %s", cmd_quoteaf(p, dir));
            ok = false;
        } else if (ro.parents) {
            ok &= remove_parents(&ro, dir);
        }
    }
    return ok ? 0 : 1;
}
