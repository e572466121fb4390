/* cp.c — copy files and directories: -r/-R, -a -d -p --preserve[=LIST]
 * --no-preserve, -L -H -P, -l -s, -f -i -n -u, -b/--backup -S,
 * --remove-destination, -t -T, --parents, -x, -v, --attributes-only,
 * --sparse, --reflink, --copy-contents, --strip-trailing-slashes. The work
 * is done by lib/copy.c. */
#include "cmd/cmd.h"
#include "lib/copy.h"
#include "lib/fsutil.h"

#include <sys/stat.h>

static const char cp_help[] =
    "Usage: %s [OPTION]... [-T] SOURCE DEST\n"
    "  or:  %s [OPTION]... SOURCE... DIRECTORY\n"
    "  or:  %s [OPTION]... -t DIRECTORY SOURCE...\n"
    "Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -a, --archive                same as -dR --preserve=all\n"
    "      --attributes-only        don't copy the file data, just the attributes\n"
    "      --backup[=CONTROL]       make a backup of each existing destination file\n"
    "  -b                           like --backup but does not accept an argument\n"
    "      --copy-contents          copy contents of special files when recursive\n"
    "  -d                           same as --no-dereference --preserve=links\n"
    "  -f, --force                  if an existing destination file cannot be\n"
    "                                 opened, remove it and try again (this option\n"
    "                                 is ignored when the -n option is also used)\n"
    "  -i, --interactive            prompt before overwrite (overrides a previous -n\n"
    "                                  option)\n"
    "  -H                           follow command-line symbolic links in SOURCE\n"
    "  -l, --link                   hard link files instead of copying\n"
    "  -L, --dereference            always follow symbolic links in SOURCE\n"
    "  -n, --no-clobber             do not overwrite an existing file (overrides\n"
    "                                 a previous -i option)\n"
    "  -P, --no-dereference         never follow symbolic links in SOURCE\n"
    "  -p                           same as --preserve=mode,ownership,timestamps\n"
    "      --preserve[=ATTR_LIST]   preserve the specified attributes (default:\n"
    "                                 mode,ownership,timestamps), if possible\n"
    "                                 additional attributes: context, links, xattr,\n"
    "                                 all\n"
    "      --no-preserve=ATTR_LIST  don't preserve the specified attributes\n"
    "      --parents                use full source file name under DIRECTORY\n"
    "  -R, -r, --recursive          copy directories recursively\n"
    "      --reflink[=WHEN]         control clone/CoW copies. See below\n"
    "      --remove-destination     remove each existing destination file before\n"
    "                                 attempting to open it (contrast with --force)\n"
    "      --sparse=WHEN            control creation of sparse files. See below\n"
    "      --strip-trailing-slashes  remove any trailing slashes from each SOURCE\n"
    "                                 argument\n"
    "  -s, --symbolic-link          make symbolic links instead of copying\n"
    "  -S, --suffix=SUFFIX          override the usual backup suffix\n"
    "  -t, --target-directory=DIRECTORY  copy all SOURCE arguments into DIRECTORY\n"
    "  -T, --no-target-directory    treat DEST as a normal file\n"
    "  -u, --update                 copy only when the SOURCE file is newer\n"
    "                                 than the destination file or when the\n"
    "                                 destination file is missing\n"
    "  -v, --verbose                explain what is being done\n"
    "  -x, --one-file-system        stay on this file system\n"
    "  -Z                           set SELinux security context of destination\n"
    "                                 file to default type\n"
    "      --context[=CTX]          like -Z, or if CTX is specified then set the\n"
    "                                 SELinux or SMACK security context to CTX\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "By default, sparse SOURCE files are detected by a crude heuristic and the\n"
    "corresponding DEST file is made sparse as well.  That is the behavior\n"
    "selected by --sparse=auto.  Specify --sparse=always to create a sparse DEST\n"
    "file whenever the SOURCE file contains a long enough sequence of zero bytes.\n"
    "Use --sparse=never to inhibit creation of sparse files.\n"
    "\n"
    "When --reflink[=always] is specified, perform a lightweight copy, where the\n"
    "data blocks are copied only when modified.  If this is not possible the copy\n"
    "fails, or if --reflink=auto is specified, fall back to a standard copy.\n"
    "Use --reflink=never to ensure a standard copy is performed.\n"
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
    "As a special case, cp makes a backup of SOURCE when the force and backup\n"
    "options are given and SOURCE and DEST are the same name for an existing,\n"
    "regular file.\n"
    "\n"
    COREUTILS_HELP_TAIL("cp", "cp")
    ;

enum {
    OPT_ATTR_ONLY = 256, OPT_BACKUP, OPT_COPY_CONTENTS, OPT_NO_PRESERVE, OPT_PARENTS, OPT_PRESERVE,
    OPT_REMOVE_DEST, OPT_SPARSE, OPT_REFLINK, OPT_STRIP, OPT_CONTEXT
};
static const struct opt_long longs[] = {{"archive", OPT_NOARG, 'a'},
                                        {"attributes-only", OPT_NOARG, OPT_ATTR_ONLY},
                                        {"backup", OPT_OPTARG, OPT_BACKUP},
                                        {"copy-contents", OPT_NOARG, OPT_COPY_CONTENTS},
                                        {"dereference", OPT_NOARG, 'L'},
                                        {"force", OPT_NOARG, 'f'},
                                        {"interactive", OPT_NOARG, 'i'},
                                        {"link", OPT_NOARG, 'l'},
                                        {"no-clobber", OPT_NOARG, 'n'},
                                        {"no-dereference", OPT_NOARG, 'P'},
                                        {"no-preserve", OPT_ARG, OPT_NO_PRESERVE},
                                        {"no-target-directory", OPT_NOARG, 'T'},
                                        {"one-file-system", OPT_NOARG, 'x'},
                                        {"parents", OPT_NOARG, OPT_PARENTS},
                                        {"path", OPT_NOARG, OPT_PARENTS},
                                        {"preserve", OPT_OPTARG, OPT_PRESERVE},
                                        {"recursive", OPT_NOARG, 'R'},
                                        {"remove-destination", OPT_NOARG, OPT_REMOVE_DEST},
                                        {"sparse", OPT_ARG, OPT_SPARSE},
                                        {"reflink", OPT_OPTARG, OPT_REFLINK},
                                        {"strip-trailing-slashes", OPT_NOARG, OPT_STRIP},
                                        {"suffix", OPT_ARG, 'S'},
                                        {"symbolic-link", OPT_NOARG, 's'},
                                        {"target-directory", OPT_ARG, 't'},
                                        {"update", OPT_NOARG, 'u'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {"context", OPT_OPTARG, OPT_CONTEXT},
                                        {0}};
static const struct opt_spec spec = {.name = "cp",
                                     .shorts = "abdfHilLnprst:uvxPRS:TZ",
                                     .longs = longs,
                                     .help = cp_help,
                                     .authors = "Torbjorn Granlund, David MacKenzie, and Jim Meyering"};

enum { PR_MODE, PR_TIMESTAMPS, PR_OWNERSHIP, PR_LINKS, PR_CONTEXT, PR_XATTR, PR_ALL };
static const char *const preserve_names[] = {"mode",    "timestamps", "ownership", "links",
                                             "context", "xattr",      "all",       NULL};

static bool decode_preserve(struct opt_state *o, struct cp_opts *x, const char *arg, bool on,
                            const char *option)
{
    struct proc *p = x->p;
    char *copy = p_strdup(p, arg);
    if (!copy) return false;
    for (char *s = copy, *e;; s = e + 1) {
        e = strchr(s, ',');
        if (e) *e = 0;
        int i = opt_argmatch(o, option, s, preserve_names);
        if (i < 0) return false;
        switch (i) {
        case PR_MODE: x->preserve_mode = on; break;
        case PR_TIMESTAMPS: x->preserve_time = on; break;
        case PR_OWNERSHIP:
            x->preserve_owner = on;
            x->explicit_owner = on;
            break;
        case PR_LINKS: x->preserve_links = on; break;
        case PR_ALL:
            x->preserve_mode = x->preserve_time = x->preserve_owner = x->preserve_links = on;
            break;
        }
        if (!e) break;
    }
    p_free(p, copy);
    return true;
}

/* --parents: make the directories of src under target (cp's
 * make_dir_parents_private), announcing each with -v. */
static bool make_parents(struct cp_opts *x, const char *target, const char *src)
{
    struct proc *p = x->p;
    char *rel = p_strdup(p, src);
    if (!rel) return false;
    bool ok = true;
    for (char *s = rel; ok && (s = strchr(s, '/')); s++) {
        *s = 0;
        if (*rel) {
            char *d = fs_join(p, target, rel);
            struct stat st;
            if (!d) {
                ok = false;
            } else if (sys_stat(p, d, &st) < 0) {
                struct stat sst;
                int r = sys_stat(p, rel, &sst);
                if (r == 0) r = sys_mkdir(p, d, (sst.st_mode & 07777) | S_IRWXU);
                if (r < 0) {
                    cmd_errno(p, r, "cannot make directory %s", cmd_quoteaf(p, d));
                    ok = false;
                } else {
                    if (x->verbose) p_printf(p, 1, "%s -> %s\n", rel, d);
                    sys_chmod(p, d, x->preserve_mode ? sst.st_mode & 07777 : sst.st_mode & 07777 & ~x->umask);
                }
            } else if (!S_ISDIR(st.st_mode)) {
                cmd_error(p, "%s exists but is not a directory", cmd_quoteaf(p, d));
                ok = false;
            }
            p_free(p, d);
        }
        *s = '/';
    }
    p_free(p, rel);
    return ok;
}

int cmd_cp(struct proc *p, int argc, char **argv)
{
    struct cp_opts x;
    cp_init(&x, p);
    x.deref = -1;
    bool make_backups = false, no_target = false, parents = false, strip = false;
    bool reflink_always = false;
    const char *backup_arg = NULL, *suffix = NULL, *target = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    static const char *const sparse_names[] = {"never", "auto", "always", NULL};
    static const char *const reflink_names[] = {"auto", "always", "never", NULL};
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'a':
            x.deref = DEREF_NEVER;
            x.preserve_links = x.preserve_owner = x.preserve_mode = x.preserve_time = true;
            x.recursive = true;
            break;
        case OPT_ATTR_ONLY: x.attributes_only = true; break;
        case 'b': make_backups = true; break;
        case OPT_BACKUP:
            make_backups = true;
            backup_arg = o.arg;
            break;
        case OPT_COPY_CONTENTS: break;
        case 'd':
            x.preserve_links = true;
            x.deref = DEREF_NEVER;
            break;
        case 'f': x.force = true; break;
        case 'H': x.deref = DEREF_COMMAND_LINE; break;
        case 'i':
            x.interactive = true;
            x.no_clobber = false;
            break;
        case 'l': x.hard_link = true; break;
        case 'L': x.deref = DEREF_ALWAYS; break;
        case 'n':
            x.no_clobber = true;
            x.interactive = false;
            break;
        case 'P': x.deref = DEREF_NEVER; break;
        case 'p': x.preserve_owner = x.preserve_mode = x.preserve_time = true; break;
        case OPT_PRESERVE:
            if (!o.arg) x.preserve_owner = x.preserve_mode = x.preserve_time = true;
            else if (!decode_preserve(&o, &x, o.arg, true, "--preserve")) return o.status ? o.status : 1;
            break;
        case OPT_NO_PRESERVE:
            if (!decode_preserve(&o, &x, o.arg, false, "--no-preserve")) return o.status ? o.status : 1;
            break;
        case OPT_PARENTS: parents = true; break;
        case 'r':
        case 'R': x.recursive = true; break;
        case OPT_REMOVE_DEST: x.remove_dest = true; break;
        case OPT_SPARSE:
            if (opt_argmatch(&o, "--sparse", o.arg, sparse_names) < 0) return o.status;
            break;
        case OPT_REFLINK:
            if (o.arg) {
                int i = opt_argmatch(&o, "--reflink", o.arg, reflink_names);
                if (i < 0) return o.status;
                reflink_always = i == 1;
            } else {
                reflink_always = true;
            }
            break;
        case OPT_STRIP: strip = true; break;
        case 's': x.symbolic_link = true; break;
        case 't':
            if (target) {
                cmd_error(p, "multiple target directories specified");
                return 1;
            }
            target = o.arg;
            break;
        case 'T': no_target = true; break;
        case 'u': x.update = true; break;
        case 'v': x.verbose = true; break;
        case 'x': x.one_fs = true; break;
        case 'S':
            make_backups = true;
            suffix = o.arg;
            break;
        case 'Z':
        case OPT_CONTEXT:
            if (o.arg) cmd_error(p, "warning: ignoring --context; it requires an SELinux-enabled kernel");
            break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (x.hard_link && x.symbolic_link) return opt_usage_error(&o, "cannot make both hard and symbolic links");
    if (make_backups && x.no_clobber)
        return opt_usage_error(&o, "options --backup and --no-clobber are mutually exclusive");
    if (reflink_always && x.attributes_only) {
        /* coreutils refuses the combination as well */
        return opt_usage_error(&o, "cannot combine --attributes-only with --reflink=always");
    }
    if (make_backups) {
        x.backup = fs_backup_type(&o, backup_arg);
        if (x.backup < 0) return o.status;
    }
    x.suffix = fs_backup_suffix(p, suffix);
    if (x.deref == -1) x.deref = x.recursive && !x.hard_link ? DEREF_NEVER : DEREF_ALWAYS;
    x.stdin_tty = sys_isatty(p, 0) == 1;
    char **files = argv + o.ind;
    int n = argc - o.ind, nsrc;
    const char *tdir;
    if (cp_operands(&o, files, n, target, no_target, &tdir, &nsrc) < 0) return o.status ? o.status : 1;
    if (parents && !tdir) {
        return opt_usage_error(&o, "with --parents, the destination must be a directory");
    }
    bool ok = true;
    for (int i = 0; i < nsrc; i++) {
        char *src = files[i];
        if (strip) {
            size_t l = strlen(src);
            while (l > 1 && src[l - 1] == '/') src[--l] = 0;
        }
        char *dst = !tdir ? p_strdup(p, files[1]) : parents ? fs_join(p, tdir, src)
                                                             : cp_dest_name(p, tdir, src);
        if (!dst) {
            cmd_error(p, "memory exhausted");
            return 1;
        }
        if (parents && !make_parents(&x, tdir, src)) {
            ok = false;
        } else if (reflink_always) {
            struct stat st;
            int r = sys_stat(p, src, &st);
            if (r < 0) cmd_errno(p, r, "cannot stat %s", cmd_quoteaf(p, src));
            else cmd_errno(p, -EOPNOTSUPP, "failed to clone %s from %s", cmd_quoteaf(p, dst), cmd_quoteaf(p, src));
            ok = false;
        } else {
            ok &= cp_copy(&x, src, dst, true);
        }
        p_free(p, dst);
        if (p->killed) break;
    }
    cp_free(&x);
    return ok ? 0 : 1;
}
