/* install.c — copy files and set attributes: SOURCE DEST, SOURCE...
 * DIRECTORY, -t DIRECTORY, -d DIRECTORY...; -m MODE (default 0755), -o
 * OWNER, -g GROUP, -D (make leading directories), -C (copy only when
 * different), -p, -b/--backup -S, -T, -v. -s fails: there is no strip
 * program in the VM. Copies go through lib/copy.c. */
#include "cmd/cmd.h"
#include "lib/copy.h"
#include "lib/fsutil.h"
#include "lib/modechange.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

static const char install_help[] =
    "Usage: %s [OPTION]... [-T] SOURCE DEST\n"
    "  or:  %s [OPTION]... SOURCE... DIRECTORY\n"
    "  or:  %s [OPTION]... -t DIRECTORY SOURCE...\n"
    "  or:  %s [OPTION]... -d DIRECTORY...\n"
    "\n"
    "This install program copies files (often just compiled) into destination\n"
    "locations you choose.  If you want to download and install a ready-to-use\n"
    "package on a GNU/Linux system, you should instead be using a package manager\n"
    "like yum(1) or apt-get(1).\n"
    "\n"
    "In the first three forms, copy SOURCE to DEST or multiple SOURCE(s) to\n"
    "the existing DIRECTORY, while setting permission modes and owner/group.\n"
    "In the 4th form, create all components of the given DIRECTORY(ies).\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "      --backup[=CONTROL]  make a backup of each existing destination file\n"
    "  -b                  like --backup but does not accept an argument\n"
    "  -c                  (ignored)\n"
    "  -C, --compare       compare content of source and destination files, and\n"
    "                        if no change to content, ownership, and permissions,\n"
    "                        do not modify the destination at all\n"
    "  -d, --directory     treat all arguments as directory names; create all\n"
    "                        components of the specified directories\n"
    "  -D                  create all leading components of DEST except the last,\n"
    "                        or all components of --target-directory,\n"
    "                        then copy SOURCE to DEST\n"
    "  -g, --group=GROUP   set group ownership, instead of process' current group\n"
    "  -m, --mode=MODE     set permission mode (as in chmod), instead of rwxr-xr-x\n"
    "  -o, --owner=OWNER   set ownership (super-user only)\n"
    "  -p, --preserve-timestamps   apply access/modification times of SOURCE files\n"
    "                        to corresponding destination files\n"
    "  -s, --strip         strip symbol tables\n"
    "      --strip-program=PROGRAM  program used to strip binaries\n"
    "  -S, --suffix=SUFFIX  override the usual backup suffix\n"
    "  -t, --target-directory=DIRECTORY  copy all SOURCE arguments into DIRECTORY\n"
    "  -T, --no-target-directory  treat DEST as a normal file\n"
    "  -v, --verbose       print the name of each directory as it is created\n"
    "      --preserve-context  preserve SELinux security context\n"
    "  -Z                      set SELinux security context of destination\n"
    "                            file and each created directory to default type\n"
    "      --context[=CTX]     like -Z, or if CTX is specified then set the\n"
    "                            SELinux or SMACK security context to CTX\n"
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
    COREUTILS_HELP_TAIL("install", "install")
    ;

enum { OPT_BACKUP = 256, OPT_PRESERVE_CONTEXT, OPT_STRIP_PROGRAM, OPT_CONTEXT, OPT_DEBUG };
static const struct opt_long longs[] = {{"backup", OPT_OPTARG, OPT_BACKUP},
                                        {"compare", OPT_NOARG, 'C'},
                                        {"directory", OPT_NOARG, 'd'},
                                        {"group", OPT_ARG, 'g'},
                                        {"mode", OPT_ARG, 'm'},
                                        {"no-target-directory", OPT_NOARG, 'T'},
                                        {"owner", OPT_ARG, 'o'},
                                        {"preserve-timestamps", OPT_NOARG, 'p'},
                                        {"preserve-context", OPT_NOARG, OPT_PRESERVE_CONTEXT},
                                        {"strip", OPT_NOARG, 's'},
                                        {"strip-program", OPT_ARG, OPT_STRIP_PROGRAM},
                                        {"suffix", OPT_ARG, 'S'},
                                        {"target-directory", OPT_ARG, 't'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {"context", OPT_OPTARG, OPT_CONTEXT},
                                        {0}};
static const struct opt_spec spec = {.name = "install",
                                     .shorts = "bcCsDdg:m:o:pt:TvS:Z",
                                     .longs = longs,
                                     .help = install_help,
                                     .authors = "David MacKenzie"};

struct install {
    struct proc *p;
    struct cp_opts x;
    bool verbose, compare, strip, preserve_time;
    mode_t mode, dir_mode, dir_mode_bits;
    uid_t owner;
    gid_t group;
    const char *strip_program;
};

static void announce(struct install *in, const char *dir)
{
    if (in->verbose)
        p_printf(in->p, 1, "%s: creating directory %s\n", cmd_prog(in->p), cmd_quoteaf(in->p, dir));
}

/* mkdir -p of dir's ancestors (all of dir when whole). */
static bool make_parents(struct install *in, char *dir, bool whole)
{
    struct proc *p = in->p;
    char *s = dir;
    while (*s == '/') s++;
    for (;;) {
        char *e = s;
        while (*e && *e != '/') e++;
        char *next = e;
        while (*next == '/') next++;
        if (!*next && !whole) return true;
        if (!(e - s == 1 && s[0] == '.') && e > s) {
            char save = *e;
            *e = 0;
            int r = sys_mkdir(p, dir, 0777);
            if (r == 0) {
                announce(in, dir);
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
        if (!*next) return true;
        s = next;
    }
}

static bool set_attrs(struct install *in, const char *name, mode_t mode)
{
    struct proc *p = in->p;
    int r;
    if ((in->owner != (uid_t)-1 || in->group != (gid_t)-1) &&
        (r = sys_chown(p, name, in->owner, in->group, false)) < 0) {
        cmd_errno(p, r, "cannot change ownership of %s", cmd_quoteaf(p, name));
        return false;
    }
    if ((r = sys_chmod(p, name, mode)) < 0) {
        cmd_errno(p, r, "cannot change permissions of %s", cmd_quoteaf(p, name));
        return false;
    }
    return true;
}

static bool install_dir(struct install *in, char *dir)
{
    struct proc *p = in->p;
    if (!make_parents(in, dir, false)) return false;
    int r = sys_mkdir(p, dir, 0700);
    if (r == 0) {
        announce(in, dir);
    } else {
        struct stat st;
        if (!(sys_stat(p, dir, &st) == 0 && S_ISDIR(st.st_mode))) {
            if (r != -EINTR) cmd_errno(p, r, "cannot create directory %s", cmd_quote(p, dir));
            return false;
        }
    }
    return set_attrs(in, dir, in->dir_mode);
}

/* -C: is a copy needed? */
static bool need_copy(struct install *in, const char *from, const char *to)
{
    struct proc *p = in->p;
    struct stat s, d;
    if (sys_stat(p, from, &s) < 0 || sys_lstat(p, to, &d) < 0) return true;
    if ((s.st_mode | d.st_mode) & (S_ISUID | S_ISGID | S_ISVTX)) return true;
    if (!S_ISREG(s.st_mode) || !S_ISREG(d.st_mode)) return true;
    if (s.st_size != d.st_size || (d.st_mode & 07777) != in->mode) return true;
    if (d.st_uid != (in->owner != (uid_t)-1 ? in->owner : p->uid)) return true;
    if (d.st_gid != (in->group != (gid_t)-1 ? in->group : p->gid)) return true;
    int a = sys_open(p, from, O_RDONLY, 0), b = sys_open(p, to, O_RDONLY, 0);
    bool differ = a < 0 || b < 0;
    char *ba = differ ? NULL : p_malloc(p, 65536), *bb = differ ? NULL : p_malloc(p, 65536);
    if (!ba || !bb) differ = true;
    while (!differ) {
        ssize_t na = sys_read(p, a, ba, 65536);
        ssize_t nb = na > 0 ? sys_read(p, b, bb, (size_t)na) : sys_read(p, b, bb, 1);
        if (na < 0 || nb < 0 || na != nb || memcmp(ba, bb, (size_t)na)) differ = true;
        if (na <= 0) break;
    }
    p_free(p, ba);
    p_free(p, bb);
    if (a >= 0) sys_close(p, a);
    if (b >= 0) sys_close(p, b);
    return differ;
}

static bool install_file(struct install *in, const char *from, const char *to)
{
    struct proc *p = in->p;
    struct stat st;
    if (in->preserve_time) {
        int r = sys_stat(p, from, &st);
        if (r < 0) {
            cmd_errno(p, r, "cannot stat %s", cmd_quoteaf(p, from));
            return false;
        }
    }
    if (in->compare && !need_copy(in, from, to)) return true;
    if (!cp_copy(&in->x, from, to, true)) return false;
    if (in->strip) {
        cmd_errno(p, -ENOENT, "cannot run %s", cmd_quoteaf(p, in->strip_program));
        sys_unlink(p, to);
        return false;
    }
    if (!set_attrs(in, to, in->mode)) return false;
    if (in->preserve_time) {
        struct timespec ts[2] = {st.st_atim, st.st_mtim};
        int r = sys_utimens(p, to, ts, false);
        if (r < 0) {
            cmd_errno(p, r, "cannot set timestamps for %s", cmd_quoteaf(p, to));
            return false;
        }
    }
    return true;
}

int cmd_install(struct proc *p, int argc, char **argv)
{
    struct install in = {.p = p, .owner = (uid_t)-1, .group = (gid_t)-1, .strip_program = "strip"};
    cp_init(&in.x, p);
    in.x.install = true;
    bool dir_arg = false, mkdir_and_install = false, no_target = false, make_backups = false;
    const char *target = NULL, *backup_arg = NULL, *suffix = NULL, *mode_arg = NULL;
    const char *owner = NULL, *group = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'b': make_backups = true; break;
        case OPT_BACKUP:
            make_backups = true;
            backup_arg = o.arg;
            break;
        case 'c': break;
        case 'C': in.compare = true; break;
        case 's': in.strip = true; break;
        case OPT_STRIP_PROGRAM: in.strip_program = o.arg; break;
        case 'd': dir_arg = true; break;
        case 'D': mkdir_and_install = true; break;
        case 'v': in.verbose = true; break;
        case 'g': group = o.arg; break;
        case 'm': mode_arg = o.arg; break;
        case 'o': owner = o.arg; break;
        case 'p': in.preserve_time = true; break;
        case 'S':
            make_backups = true;
            suffix = o.arg;
            break;
        case 't':
            if (target) {
                cmd_error(p, "multiple target directories specified");
                return 1;
            }
            target = o.arg;
            break;
        case 'T': no_target = true; break;
        case OPT_PRESERVE_CONTEXT:
        case 'Z':
        case OPT_CONTEXT: break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (dir_arg && in.strip) {
        cmd_error(p, "the strip option may not be used when installing a directory");
        return 1;
    }
    if (dir_arg && target) {
        cmd_error(p, "target directory not allowed when installing a directory");
        return 1;
    }
    if (make_backups) {
        in.x.backup = fs_backup_type(&o, backup_arg);
        if (in.x.backup < 0) return o.status;
    }
    in.x.suffix = fs_backup_suffix(p, suffix);
    if (in.preserve_time && in.compare)
        return opt_usage_error(&o, "options --compare (-C) and --preserve-timestamps are mutually exclusive");
    if (in.compare && in.strip)
        return opt_usage_error(&o, "options --compare (-C) and --strip are mutually exclusive");
    char **file = argv + o.ind;
    int n = argc - o.ind;
    if (n <= !(dir_arg || target)) {
        if (n <= 0) return opt_usage_error(&o, "missing file operand");
        return opt_usage_error(&o, "missing destination file operand after %s", cmd_quoteaf(p, file[0]));
    }
    if (target && !no_target) {
        struct stat st;
        int r = sys_stat(p, target, &st);
        if (r < 0 && !mkdir_and_install) {
            cmd_errno(p, r, "failed to access %s", cmd_quoteaf(p, target));
            return 1;
        }
        if (r == 0 && !S_ISDIR(st.st_mode)) {
            cmd_error(p, "target %s is not a directory", cmd_quoteaf(p, target));
            return 1;
        }
    }
    if (no_target) {
        if (target) {
            cmd_error(p, "cannot combine --target-directory (-t) and --no-target-directory (-T)");
            return 1;
        }
        if (n > 2) return opt_usage_error(&o, "extra operand %s", cmd_quoteaf(p, file[2]));
    } else if (!(dir_arg || target)) {
        struct stat st;
        int r = sys_stat(p, file[n - 1], &st);
        if (n >= 2 && r == 0 && S_ISDIR(st.st_mode)) {
            target = file[--n];
        } else if (n > 2) {
            cmd_errno(p, r < 0 ? r : -ENOTDIR, "target %s", cmd_quoteaf(p, file[n - 1]));
            return 1;
        }
    }
    in.mode = in.dir_mode = 0755;
    if (mode_arg) {
        bool oom;
        struct mode_change *ch = mode_compile(p, mode_arg, &oom);
        if (!ch) {
            cmd_error(p, oom ? "memory exhausted" : "invalid mode %s", cmd_quote(p, mode_arg));
            return 1;
        }
        in.mode = mode_adjust(0, false, 0, ch, NULL);
        in.dir_mode = mode_adjust(0, true, 0, ch, &in.dir_mode_bits);
        p_free(p, ch);
    }
    if (in.compare && (in.mode & (S_ISUID | S_ISGID | S_ISVTX)))
        cmd_error(p, "the --compare (-C) option is ignored when you specify a mode with non-permission bits");
    if (owner) {
        uid_t u;
        unsigned long v;
        char *e;
        if (fs_user_by_name(p, owner, &u, NULL) == 0) {
            in.owner = u;
        } else if (*owner && (v = strtoul(owner, &e, 10), !*e) && *owner != '-') {
            in.owner = (uid_t)v;
        } else {
            cmd_error(p, "invalid user %s", cmd_quote(p, owner));
            return 1;
        }
    }
    if (group) {
        gid_t g;
        unsigned long v;
        char *e;
        if (fs_group_by_name(p, group, &g) == 0) {
            in.group = g;
        } else if (*group && (v = strtoul(group, &e, 10), !*e) && *group != '-') {
            in.group = (gid_t)v;
        } else {
            cmd_error(p, "invalid group %s", cmd_quote(p, group));
            return 1;
        }
    }
    in.x.verbose = in.verbose;
    bool ok = true;
    if (dir_arg) {
        for (int i = 0; i < n; i++) ok &= install_dir(&in, file[i]);
    } else if (!target) {
        if (mkdir_and_install) {
            char *to = p_strdup(p, file[1]);
            ok = to && make_parents(&in, to, false);
            p_free(p, to);
        }
        if (ok) ok = install_file(&in, file[0], file[1]);
    } else {
        if (mkdir_and_install) {
            char *t = p_strdup(p, target);
            ok = t && make_parents(&in, t, true);
            p_free(p, t);
        }
        bool all = true;
        for (int i = 0; ok && i < n; i++) {
            char *to = cp_dest_name(p, target, file[i]);
            if (!to) {
                cmd_error(p, "memory exhausted");
                return 1;
            }
            all &= install_file(&in, file[i], to);
            p_free(p, to);
        }
        ok = ok && all;
    }
    cp_free(&in.x);
    return ok ? 0 : 1;
}
