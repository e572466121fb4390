/* rm.c — remove files and directories: -f -i -I --interactive[=WHEN] -r/-R
 * -d -v --one-file-system --preserve-root[=all] --no-preserve-root.
 * Follows coreutils' remove.c over the fts-like walker of lib/fsutil.h:
 * prompts read answers from stdin, a failure inside a directory spares
 * its ancestors silently, "." and ".." and "/" are refused. */
#include "cmd/cmd.h"
#include "lib/fsutil.h"

#include <fcntl.h>
#include <sys/stat.h>

static const char rm_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Remove (unlink) the FILE(s).\n"
    "\n"
    "  -f, --force           ignore nonexistent files and arguments, never prompt\n"
    "  -i                    prompt before every removal\n"
    "  -I                    prompt once before removing more than three files, or\n"
    "                          when removing recursively; less intrusive than -i,\n"
    "                          while still giving protection against most mistakes\n"
    "      --interactive[=WHEN]  prompt according to WHEN: never, once (-I), or\n"
    "                          always (-i); without WHEN, prompt always\n"
    "      --one-file-system  when removing a hierarchy recursively, skip any\n"
    "                          directory that is on a file system different from\n"
    "                          that of the corresponding command line argument\n"
    "      --no-preserve-root  do not treat '/' specially\n"
    "      --preserve-root[=all]  do not remove '/' (default);\n"
    "                              with 'all', reject any command line argument\n"
    "                              on a separate device from its parent\n"
    "  -r, -R, --recursive   remove directories and their contents recursively\n"
    "  -d, --dir             remove empty directories\n"
    "  -v, --verbose         explain what is being done\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "By default, rm does not remove directories.  Use the --recursive (-r or -R)\n"
    "option to remove each listed directory, too, along with all of its contents.\n"
    "\n"
    "To remove a file whose name starts with a '-', for example '-foo',\n"
    "use one of these commands:\n"
    "  rm -- -foo\n"
    "\n"
    "  rm ./-foo\n"
    "\n"
    "Note that if you use rm to remove a file, it might be possible to recover\n"
    "some of its contents, given sufficient expertise and/or time.  For greater\n"
    "assurance that the contents are truly unrecoverable, consider using shred(1).\n"
    "\n"
    COREUTILS_HELP_TAIL("rm", "rm")
    ;

enum { OPT_INTERACTIVE = 256, OPT_ONE_FS, OPT_NO_PRESERVE, OPT_PRESERVE, OPT_PRESUME_TTY };
static const struct opt_long longs[] = {{"force", OPT_NOARG, 'f'},
                                        {"interactive", OPT_OPTARG, OPT_INTERACTIVE},
                                        {"one-file-system", OPT_NOARG, OPT_ONE_FS},
                                        {"no-preserve-root", OPT_NOARG, OPT_NO_PRESERVE},
                                        {"preserve-root", OPT_OPTARG, OPT_PRESERVE},
                                        {"-presume-input-tty", OPT_NOARG, OPT_PRESUME_TTY},
                                        {"recursive", OPT_NOARG, 'r'},
                                        {"dir", OPT_NOARG, 'd'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {0}};

enum { RMI_ALWAYS = 1, RMI_SOMETIMES, RMI_NEVER };
enum rm_status { RM_OK = 2, RM_USER_DECLINED, RM_ERROR };
enum { PA_DESCEND_INTO_DIR, PA_REMOVE_DIR };

struct rm {
    struct proc *p;
    struct fwalk *fts;
    int interactive;
    bool ignore_missing, recursive, remove_empty_dirs, verbose, one_fs, stdin_tty;
    bool preserve_root, preserve_all;
    struct stat root_st;
    bool have_root;
    struct ibuf in;
    bool in_init;
};

static const struct opt_spec spec = {.name = "rm",
                                     .shorts = "dfirvIR",
                                     .longs = longs,
                                     .help = rm_help,
                                     .authors = "Paul Rubin, David MacKenzie, Richard M. Stallman,\n"
                                                "and Jim Meyering"};

/* Read one answer line from stdin: yes when it starts with y or Y. */
static bool yesno(struct rm *x)
{
    if (!x->in_init) {
        ibuf_init(&x->in, x->p, 0);
        x->in_init = true;
    }
    char *line;
    ssize_t n = ibuf_getline(&x->in, &line);
    if (n <= 0) return false;
    return line[0] == 'y' || line[0] == 'Y';
}

static const char *file_type(const struct stat *st)
{
    switch (st->st_mode & S_IFMT) {
    case S_IFREG: return st->st_size == 0 ? "regular empty file" : "regular file";
    case S_IFDIR: return "directory";
    case S_IFLNK: return "symbolic link";
    case S_IFIFO: return "fifo";
    case S_IFCHR: return "character special file";
    case S_IFBLK: return "block special file";
    case S_IFSOCK: return "socket";
    }
    return "weird file";
}

static bool is_empty_dir(struct proc *p, const char *dir)
{
    int fd = sys_open(p, dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) return false;
    struct vfs_dirent ents[3];
    int n, total = 0;
    while ((n = sys_getdents(p, fd, ents, 3)) > 0 && total <= 2) total += n;
    sys_close(p, fd);
    return n >= 0 && total <= 2;
}

static enum rm_status prompt(struct rm *x, struct fw_ent *ent, bool is_dir, int mode,
                             int *is_empty_p)
{
    struct proc *p = x->p;
    const char *name = ent->path;
    bool is_empty = false;
    if (is_empty_p) {
        is_empty = is_empty_dir(p, name);
        *is_empty_p = is_empty ? 1 : 0;
    }
    if (ent->number) return RM_USER_DECLINED;
    if (x->interactive == RMI_NEVER) return RM_OK;
    int dtype = is_dir ? 'd' : 0;
    int write_protected = 0, wp_err = 0;
    struct stat st;
    bool have_st = false;
    if (!x->ignore_missing && (x->interactive == RMI_ALWAYS || x->stdin_tty) && dtype != 'l') {
        int r = sys_lstat(p, name, &st);
        if (r < 0) {
            write_protected = -1, wp_err = r;
        } else {
            have_st = true;
            if (S_ISLNK(st.st_mode)) {
                write_protected = 0;
            } else if (p->uid != 0) {
                r = sys_access(p, name, W_OK);
                if (r == -EACCES) write_protected = 1;
                else if (r < 0) write_protected = -1, wp_err = r;
            }
        }
    }
    if (write_protected || x->interactive == RMI_ALWAYS) {
        if (write_protected >= 0 && dtype == 0) {
            if (have_st || sys_lstat(p, name, &st) == 0) {
                have_st = true;
                if (S_ISLNK(st.st_mode)) dtype = 'l';
                else if (S_ISDIR(st.st_mode)) dtype = 'd';
            } else {
                int r = sys_lstat(p, name, &st);
                write_protected = -1, wp_err = r;
            }
        }
        if (write_protected >= 0) {
            if (dtype == 'l') {
                if (x->interactive != RMI_ALWAYS) return RM_OK;
            } else if (dtype == 'd') {
                if (!(x->recursive || (x->remove_empty_dirs && is_empty))) {
                    write_protected = -1;
                    wp_err = -EISDIR;
                }
            }
        }
        const char *q = cmd_quoteaf(p, name);
        if (write_protected < 0) {
            cmd_errno(p, wp_err, "cannot remove %s", q);
            return RM_ERROR;
        }
        if (dtype == 'd' && mode == PA_DESCEND_INTO_DIR && !is_empty) {
            p_printf(p, 2,
                     write_protected ? "%s: descend into write-protected directory %s? "
                                     : "%s: descend into directory %s? ",
                     cmd_prog(p), q);
        } else {
            int r = sys_lstat(p, name, &st);
            if (r < 0) {
                cmd_errno(p, r, "cannot remove %s", q);
                return RM_ERROR;
            }
            p_printf(p, 2, write_protected ? "%s: remove write-protected %s %s? " : "%s: remove %s %s? ",
                     cmd_prog(p), file_type(&st), q);
        }
        if (!yesno(x)) return RM_USER_DECLINED;
    }
    return RM_OK;
}

static enum rm_status excise(struct rm *x, struct fw_ent *ent, bool is_dir)
{
    struct proc *p = x->p;
    int r = is_dir ? sys_rmdir(p, ent->path) : sys_unlink(p, ent->path);
    if (r == 0) {
        if (x->verbose)
            p_printf(p, 1, is_dir ? "removed directory %s\n" : "removed %s\n",
                     cmd_quoteaf(p, ent->path));
        return RM_OK;
    }
    if (r == -EINTR) return RM_ERROR;
    if (r == -EROFS) {
        struct stat st;
        if (sys_lstat(p, ent->path, &st) == -ENOENT) r = -ENOENT;
    }
    if (x->ignore_missing && (r == -ENOENT || r == -ENOTDIR)) return RM_OK;
    if (ent->info == FW_DNR && (r == -ENOTEMPTY || r == -EISDIR || r == -ENOTDIR || r == -EEXIST) &&
        (ent->err == EPERM || ent->err == EACCES))
        r = -ent->err;
    cmd_errno(p, r, "cannot remove %s", cmd_quoteaf(p, ent->path));
    fwalk_mark_ancestors(ent);
    return RM_ERROR;
}

static bool same_as_root(struct rm *x, const struct stat *st)
{
    return x->have_root && st->st_ino == x->root_st.st_ino && st->st_dev == x->root_st.st_dev;
}

static enum rm_status rm_ent(struct rm *x, struct fw_ent *ent)
{
    struct proc *p = x->p;
    switch (ent->info) {
    case FW_D:
        if (!x->recursive && !(x->remove_empty_dirs && is_empty_dir(p, ent->path))) {
            int err = x->remove_empty_dirs ? -ENOTEMPTY : -EISDIR;
            cmd_errno(p, err, "cannot remove %s", cmd_quoteaf(p, ent->path));
            fwalk_mark_ancestors(ent);
            fwalk_skip(x->fts, ent);
            return RM_ERROR;
        }
        if (ent->level == 0) {
            if (fs_dot_or_dotdot(fs_last_component(ent->path))) {
                cmd_error(p, "refusing to remove '.' or '..' directory: skipping %s",
                          cmd_quoteaf(p, ent->path));
                fwalk_skip(x->fts, ent);
                return RM_ERROR;
            }
            if (same_as_root(x, &ent->st)) {
                if (strcmp(ent->path, "/") == 0)
                    cmd_error(p, "it is dangerous to operate recursively on %s",
                              cmd_quoteaf(p, ent->path));
                else
                    cmd_error(p, "it is dangerous to operate recursively on %s (same as '/')",
                              cmd_quoteaf(p, ent->path));
                cmd_error(p, "use --no-preserve-root to override this failsafe");
                fwalk_skip(x->fts, ent);
                return RM_ERROR;
            }
            if (x->preserve_all) {
                char *parent = fs_join(p, ent->path, "..");
                struct stat pst;
                if (parent && sys_stat(p, parent, &pst) == 0 && pst.st_dev != ent->st.st_dev) {
                    cmd_error(p, "skipping %s, since it's on a different device",
                              cmd_quoteaf(p, ent->path));
                    cmd_error(p, "and --preserve-root=all is in effect");
                    fwalk_skip(x->fts, ent);
                    return RM_ERROR;
                }
            }
        }
        {
            int is_empty = 0;
            enum rm_status s = prompt(x, ent, true, PA_DESCEND_INTO_DIR, &is_empty);
            if (s == RM_OK && is_empty) {
                s = excise(x, ent, true);
                if (s == RM_OK) fwalk_skip(x->fts, ent);
            }
            if (s != RM_OK) {
                fwalk_mark_ancestors(ent);
                fwalk_skip(x->fts, ent);
            }
            return s;
        }
    case FW_DC:
        cmd_error(p, "WARNING: Circular directory structure.\n"
                     "This almost certainly means that you have a corrupted file system.\n"
                     "NOTIFY YOUR SYSTEM MANAGER.\n"
                     "The following directory is part of the cycle:\n  %s\n",
                  cmd_quoteaf(p, ent->path));
        fwalk_skip(x->fts, ent);
        return RM_ERROR;
    default: {
        const struct fw_ent *root = ent;
        while (root->parent) root = root->parent;
        if (ent->info == FW_DP && x->one_fs && ent->level > 0 && ent->st.st_dev != root->st.st_dev) {
            fwalk_mark_ancestors(ent);
            cmd_error(p, "skipping %s, since it's on a different device", cmd_quoteaf(p, ent->path));
            return RM_ERROR;
        }
        bool is_dir = ent->info == FW_DP || ent->info == FW_DNR;
        enum rm_status s = prompt(x, ent, is_dir, PA_REMOVE_DIR, NULL);
        if (s != RM_OK) return s;
        return excise(x, ent, is_dir);
    }
    }
}

static enum rm_status rm_files(struct rm *x, char **files)
{
    struct proc *p = x->p;
    x->fts = fwalk_open(p, files, FW_PHYSICAL | (x->one_fs ? FW_XDEV : 0));
    if (!x->fts) {
        cmd_error(p, "memory exhausted");
        return RM_ERROR;
    }
    enum rm_status st = RM_OK;
    struct fw_ent *ent;
    int err;
    while ((ent = fwalk_read(x->fts, &err))) {
        enum rm_status s = rm_ent(x, ent);
        if (s == RM_ERROR || (s == RM_USER_DECLINED && st == RM_OK)) st = s;
    }
    if (err) {
        if (err != -EINTR) cmd_errno(p, err, "fts_read failed");
        st = RM_ERROR;
    }
    fwalk_close(x->fts);
    return st;
}

int cmd_rm(struct proc *p, int argc, char **argv)
{
    struct rm x = {.p = p, .interactive = RMI_SOMETIMES, .preserve_root = true};
    bool prompt_once = false;
    /* coreutils suggests "rm ./-foo" when an operand looks like an option */
    struct opt_spec sp = spec;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (argv[i][0] == '-' && argv[i][1] && sys_lstat(p, argv[i], &st) == 0) {
            struct sbuf sb;
            sbuf_init(&sb, p);
            struct sbuf q;
            sbuf_init(&q, p);
            sbuf_quote(&q, argv[i], strlen(argv[i]), QUOTE_SHELL_ESCAPE);
            const char *qa = cmd_quoteaf(p, argv[i]);
            sbuf_add(&sb, "Try '%s ./", 10);
            for (const char *s = q.s ? q.s : ""; *s; s++) {
                if (*s == '%') sbuf_addc(&sb, '%');
                sbuf_addc(&sb, *s);
            }
            sbuf_add(&sb, "' to remove the file ", 21);
            for (const char *s = qa; *s; s++) {
                if (*s == '%') sbuf_addc(&sb, '%');
                sbuf_addc(&sb, *s);
            }
            sbuf_add(&sb, ".\nTry '%s --help' for more information.\n", 40);
            if (sb.s && !sb.oom) sp.try_text = sb.s;
            sbuf_free(&q);
            break;
        }
    }
    struct opt_state o;
    opt_init(&o, p, &sp, argc, argv);
    static const char *const when[] = {"never", "no", "none", "once", "always", "yes", NULL};
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'd': x.remove_empty_dirs = true; break;
        case 'f':
            x.interactive = RMI_NEVER;
            x.ignore_missing = true;
            prompt_once = false;
            break;
        case 'i':
            x.interactive = RMI_ALWAYS;
            x.ignore_missing = false;
            prompt_once = false;
            break;
        case 'I':
            x.interactive = RMI_SOMETIMES;
            x.ignore_missing = false;
            prompt_once = true;
            break;
        case 'r':
        case 'R': x.recursive = true; break;
        case OPT_INTERACTIVE: {
            int i = 4;
            static const int when_vals[] = {0, 0, 0, 1, 2, 2};
            if (o.arg && (i = opt_argmatch_vals(&o, "--interactive", o.arg, when, when_vals)) < 0)
                return o.status;
            if (i <= 2) {
                x.interactive = RMI_NEVER;
                prompt_once = false;
            } else if (i == 3) {
                x.interactive = RMI_SOMETIMES;
                x.ignore_missing = false;
                prompt_once = true;
            } else {
                x.interactive = RMI_ALWAYS;
                x.ignore_missing = false;
                prompt_once = false;
            }
            break;
        }
        case OPT_ONE_FS: x.one_fs = true; break;
        case OPT_NO_PRESERVE:
            if (strcmp(argv[o.ind - 1], "--no-preserve-root") != 0) {
                cmd_error(p, "you may not abbreviate the --no-preserve-root option");
                return 1;
            }
            x.preserve_root = false;
            break;
        case OPT_PRESERVE:
            if (o.arg) {
                if (strcmp(o.arg, "all") != 0) {
                    cmd_error(p, "unrecognized --preserve-root argument: %s", cmd_quoteaf(p, o.arg));
                    return 1;
                }
                x.preserve_all = true;
            }
            x.preserve_root = true;
            break;
        case OPT_PRESUME_TTY: x.stdin_tty = true; break;
        case 'v': x.verbose = true; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (o.ind >= argc) {
        if (x.ignore_missing) return 0;
        return opt_usage_error(&o, "missing operand");
    }
    if (!x.stdin_tty) x.stdin_tty = sys_isatty(p, 0) == 1;
    if (x.recursive && x.preserve_root) {
        if (sys_lstat(p, "/", &x.root_st) < 0) {
            cmd_errno(p, -ENOENT, "failed to get attributes of '/'");
            return 1;
        }
        x.have_root = true;
    }
    long n = argc - o.ind;
    if (prompt_once && (x.recursive || n > 3)) {
        if (x.recursive)
            p_printf(p, 2, n == 1 ? "%s: remove %ld argument recursively? "
                                  : "%s: remove %ld arguments recursively? ",
                     cmd_prog(p), n);
        else
            p_printf(p, 2, "%s: remove %ld arguments? ", cmd_prog(p), n);
        if (!yesno(&x)) return 0;
    }
    enum rm_status st = rm_files(&x, argv + o.ind);
    if (x.in_init) ibuf_free(&x.in);
    return st == RM_ERROR ? 1 : 0;
}
