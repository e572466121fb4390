/* ln.c — make links: hard links by default, -s symbolic, -r relative,
 * -f -i -b/--backup -S, -n -T -t, -L -P, -v. */
#include "cmd/cmd.h"
#include "lib/fsutil.h"

#include <fcntl.h>
#include <sys/stat.h>

static const char ln_help[] =
    "Usage: %s [OPTION]... [-T] TARGET LINK_NAME\n"
    "  or:  %s [OPTION]... TARGET\n"
    "  or:  %s [OPTION]... TARGET... DIRECTORY\n"
    "  or:  %s [OPTION]... -t DIRECTORY TARGET...\n"
    "In the 1st form, create a link to TARGET with the name LINK_NAME.\n"
    "In the 2nd form, create a link to TARGET in the current directory.\n"
    "In the 3rd and 4th forms, create links to each TARGET in DIRECTORY.\n"
    "Create hard links by default, symbolic links with --symbolic.\n"
    "By default, each destination (name of new link) should not already exist.\n"
    "When creating hard links, each TARGET must exist.  Symbolic links\n"
    "can hold arbitrary text; if later resolved, a relative link is\n"
    "interpreted in relation to its parent directory.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "      --backup[=CONTROL]      make a backup of each existing destination file\n"
    "  -b                          like --backup but does not accept an argument\n"
    "  -d, -F, --directory         allow the superuser to attempt to hard link\n"
    "                                directories (note: will probably fail due to\n"
    "                                system restrictions, even for the superuser)\n"
    "  -f, --force                 remove existing destination files\n"
    "  -i, --interactive           prompt whether to remove destinations\n"
    "  -L, --logical               dereference TARGETs that are symbolic links\n"
    "  -n, --no-dereference        treat LINK_NAME as a normal file if\n"
    "                                it is a symbolic link to a directory\n"
    "  -P, --physical              make hard links directly to symbolic links\n"
    "  -r, --relative              with -s, create links relative to link location\n"
    "  -s, --symbolic              make symbolic links instead of hard links\n"
    "  -S, --suffix=SUFFIX         override the usual backup suffix\n"
    "  -t, --target-directory=DIRECTORY  specify the DIRECTORY in which to create\n"
    "                                the links\n"
    "  -T, --no-target-directory   treat LINK_NAME as a normal file always\n"
    "  -v, --verbose               print name of each linked file\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "The backup suffix is '~', unless set with --suffix or SIMPLE_BACKUP_SUFFIX.\n"
    "The version control method may be selected via the --backup option or through\n"
    "the VERSION_CONTROL environment variable.  Here are the values:\n"
    "\n"
    "  none, off       never make backups (even if --backup is given)\n"
    "  numbered, t     make numbered backups\n"
    "  existing, nil   numbered if numbered backups exist, simple otherwise\n"
    "  simple, never   always make simple backups\n"
    "\n"
    "Using -s ignores -L and -P.  Otherwise, the last option specified controls\n"
    "behavior when a TARGET is a symbolic link, defaulting to -P.\n"
    "\n"
    COREUTILS_HELP_TAIL("ln", "ln")
    ;

enum { OPT_BACKUP = 256 };
static const struct opt_long longs[] = {{"backup", OPT_OPTARG, OPT_BACKUP},
                                        {"directory", OPT_NOARG, 'F'},
                                        {"no-dereference", OPT_NOARG, 'n'},
                                        {"no-target-directory", OPT_NOARG, 'T'},
                                        {"force", OPT_NOARG, 'f'},
                                        {"interactive", OPT_NOARG, 'i'},
                                        {"suffix", OPT_ARG, 'S'},
                                        {"target-directory", OPT_ARG, 't'},
                                        {"logical", OPT_NOARG, 'L'},
                                        {"physical", OPT_NOARG, 'P'},
                                        {"relative", OPT_NOARG, 'r'},
                                        {"symbolic", OPT_NOARG, 's'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {0}};
static const struct opt_spec spec = {.name = "ln",
                                     .shorts = "bdfinrst:vFLPS:T",
                                     .longs = longs,
                                     .help = ln_help,
                                     .authors = "Mike Parker and David MacKenzie"};

struct ln {
    struct proc *p;
    bool symbolic, relative, force, interactive, verbose, logical, hard_dir;
    int backup;
    const char *suffix;
    struct ibuf in;
    bool in_init;
};

/* Whether a and b name the same directory entry. */
static bool same_name(struct proc *p, const char *a, const char *b)
{
    const char *ba = fs_last_component(a), *bb = fs_last_component(b);
    size_t la = strcspn(ba, "/"), lb = strcspn(bb, "/");
    if (la != lb || strncmp(ba, bb, la)) return false;
    char *da = ba == a ? p_strdup(p, ".") : p_strndup(p, a, (size_t)(ba - a));
    char *db = bb == b ? p_strdup(p, ".") : p_strndup(p, b, (size_t)(bb - b));
    struct stat sa, sb;
    bool same = da && db && sys_stat(p, da, &sa) == 0 && sys_stat(p, db, &sb) == 0 &&
                sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
    p_free(p, da);
    p_free(p, db);
    return same;
}

static int make_link(struct ln *l, const char *source, const char *dest)
{
    struct proc *p = l->p;
    if (l->symbolic) return sys_symlink(p, source, dest);
    if (l->logical) {
        int err;
        char *real = fs_canonicalize(p, source, CAN_EXISTING, &err);
        if (!real) return err;
        int r = sys_link(p, real, dest);
        p_free(p, real);
        return r;
    }
    return sys_link(p, source, dest);
}

/* coreutils convert_abs_rel: source relative to dest's directory. */
static char *relative_source(struct ln *l, const char *source, const char *dest)
{
    struct proc *p = l->p;
    const char *base = fs_last_component(dest);
    char *dir = base == dest ? p_strdup(p, ".") : p_strndup(p, dest, (size_t)(base - dest));
    int err;
    char *rdir = dir ? fs_canonicalize(p, dir, CAN_MISSING, &err) : NULL;
    char *rsrc = fs_canonicalize(p, source, CAN_MISSING, &err);
    char *rel = rdir && rsrc ? fs_relpath(p, rsrc, rdir) : NULL;
    p_free(p, dir);
    p_free(p, rdir);
    p_free(p, rsrc);
    return rel ? rel : p_strdup(p, source);
}

static bool do_link(struct ln *l, const char *source, const char *dest)
{
    struct proc *p = l->p;
    struct stat sst;
    bool have_src = false;
    if (!l->symbolic) {
        int r = l->logical ? sys_stat(p, source, &sst) : sys_lstat(p, source, &sst);
        if (r < 0) {
            cmd_errno(p, r, "failed to access %s", cmd_quoteaf(p, source));
            return false;
        }
        have_src = true;
        if (S_ISDIR(sst.st_mode)) {
            cmd_error(p, "%s: hard link not allowed for directory", cmd_quotef(p, source));
            return false;
        }
    }
    char *rel = NULL;
    if (l->relative) source = rel = relative_source(l, source, dest);
    if (!source) {
        cmd_error(p, "memory exhausted");
        return false;
    }
    int r = make_link(l, source, dest);
    char *backup = NULL;
    if (r == -EEXIST && (l->force || l->interactive || l->backup != BK_NONE)) {
        struct stat dst;
        int sr = sys_lstat(p, dest, &dst);
        if (sr < 0) {
            cmd_errno(p, sr, "failed to access %s", cmd_quoteaf(p, dest));
            return false;
        }
        if (S_ISDIR(dst.st_mode)) {
            cmd_error(p, "%s: cannot overwrite directory", cmd_quotef(p, dest));
            return false;
        }
        struct stat tmp;
        if (same_name(p, source, dest) && (!l->symbolic || sys_stat(p, source, &tmp) == 0)) {
            cmd_error(p, "%s and %s are the same file", cmd_quoteaf(p, source), cmd_quoteaf(p, dest));
            return false;
        }
        if (l->interactive) {
            p_printf(p, 2, "%s: replace %s? ", cmd_prog(p), cmd_quoteaf(p, dest));
            if (!l->in_init) {
                ibuf_init(&l->in, p, 0);
                l->in_init = true;
            }
            if (!fs_yesno(&l->in)) return true;
        }
        if (l->backup != BK_NONE) {
            backup = fs_backup_name(p, dest, l->backup, l->suffix);
            if (!backup) {
                cmd_error(p, "memory exhausted");
                return false;
            }
            int br = sys_rename(p, dest, backup);
            if (br < 0) {
                p_free(p, backup);
                backup = NULL;
                if (br != -ENOENT) {
                    cmd_errno(p, br, "cannot backup %s", cmd_quoteaf(p, dest));
                    return false;
                }
            }
        }
        if (!backup) {
            int ur = sys_unlink(p, dest);
            if (ur < 0 && ur != -ENOENT) {
                cmd_errno(p, ur, "cannot remove %s", cmd_quoteaf(p, dest));
                return false;
            }
        }
        r = make_link(l, source, dest);
    }
    (void)have_src;
    if (r == 0) {
        if (l->verbose) {
            if (backup) p_printf(p, 1, "%s ~ ", cmd_quoteaf(p, backup));
            p_printf(p, 1, "%s %c> %s\n", cmd_quoteaf(p, dest), l->symbolic ? '-' : '=',
                     cmd_quoteaf(p, source));
        }
        p_free(p, backup);
        p_free(p, rel);
        return true;
    }
    if (r == -EINTR) return false;
    const char *fmt;
    if (l->symbolic)
        fmt = r != -ENAMETOOLONG && *source ? "failed to create symbolic link %s"
                                            : "failed to create symbolic link %s -> %s";
    else if (r == -EMLINK)
        fmt = "failed to create hard link to %.0s%s";
    else if (r == -EDQUOT || r == -EEXIST || r == -ENOSPC || r == -EROFS)
        fmt = "failed to create hard link %s";
    else
        fmt = "failed to create hard link %s => %s";
    cmd_errno(p, r, fmt, cmd_quoteaf(p, dest), cmd_quoteaf(p, source));
    if (backup && sys_rename(p, backup, dest) < 0)
        cmd_errno(p, -errno, "cannot un-backup %s", cmd_quoteaf(p, dest));
    return false;
}

int cmd_ln(struct proc *p, int argc, char **argv)
{
    struct ln l = {.p = p};
    const char *target_dir = NULL, *backup_arg = NULL, *suffix = NULL;
    bool no_target = false, no_deref = false, make_backups = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'b':
            make_backups = true;
            break;
        case OPT_BACKUP:
            make_backups = true;
            backup_arg = o.arg;
            break;
        case 'd':
        case 'F': l.hard_dir = true; break;
        case 'f': l.force = true, l.interactive = false; break;
        case 'i': l.force = false, l.interactive = true; break;
        case 'L': l.logical = true; break;
        case 'n': no_deref = true; break;
        case 'P': l.logical = false; break;
        case 'r': l.relative = true; break;
        case 's': l.symbolic = true; break;
        case 't':
            if (target_dir) {
                cmd_error(p, "multiple target directories specified");
                return 1;
            }
            target_dir = o.arg;
            break;
        case 'T': no_target = true; break;
        case 'v': l.verbose = true; break;
        case 'S':
            make_backups = true;
            suffix = o.arg;
            break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    int n = argc - o.ind;
    char **file = argv + o.ind;
    if (n <= 0) return opt_usage_error(&o, "missing file operand");
    if (l.relative && !l.symbolic) {
        cmd_error(p, "cannot do --relative without --symbolic");
        return 1;
    }
    if (no_target) {
        if (target_dir) {
            cmd_error(p, "cannot combine --target-directory and --no-target-directory");
            return 1;
        }
        if (n != 2) {
            if (n < 2)
                return opt_usage_error(&o, "missing destination file operand after %s",
                                       cmd_quoteaf(p, file[0]));
            return opt_usage_error(&o, "extra operand %s", cmd_quoteaf(p, file[2]));
        }
    }
    if (target_dir) {
        struct stat st;
        int r = sys_stat(p, target_dir, &st);
        if (r < 0) {
            cmd_errno(p, r, "failed to access %s", cmd_quoteaf(p, target_dir));
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            cmd_error(p, "target %s is not a directory", cmd_quoteaf(p, target_dir));
            return 1;
        }
    }
    if (no_target) {
    } else if (n < 2 && !target_dir) {
        target_dir = ".";
    } else if (!target_dir) {
        const char *last = file[n - 1];
        struct stat st;
        int r = no_deref ? sys_lstat(p, last, &st) : sys_stat(p, last, &st);
        if (r == 0 && S_ISDIR(st.st_mode)) {
            target_dir = last;
            n--;
        } else if (n > 2) {
            cmd_errno(p, r < 0 ? r : -ENOTDIR, "target %s", cmd_quoteaf(p, last));
            return 1;
        }
    }
    if (make_backups) {
        l.backup = fs_backup_type(&o, backup_arg);
        if (l.backup < 0) return o.status;
    }
    l.suffix = fs_backup_suffix(p, suffix);
    bool ok = true;
    if (target_dir) {
        for (int i = 0; i < n; i++) {
            char *dest = fs_join(p, target_dir, fs_last_component(file[i]));
            if (!dest) {
                cmd_error(p, "memory exhausted");
                return 1;
            }
            /* a trailing slash on the source is not part of the name */
            size_t dl = strlen(dest);
            while (dl > 1 && dest[dl - 1] == '/' && dest[dl - 2] != '/') dest[--dl] = 0;
            ok &= do_link(&l, file[i], dest);
            p_free(p, dest);
        }
    } else {
        ok = do_link(&l, file[0], file[1]);
    }
    if (l.in_init) ibuf_free(&l.in);
    return ok ? 0 : 1;
}
