/* mv.c — move (rename) files: -f -i -n -u, -b/--backup -S, -t -T,
 * --strip-trailing-slashes, -v; across filesystems it copies and removes
 * (lib/copy.c). */
#include "cmd/cmd.h"
#include "lib/copy.h"
#include "lib/fsutil.h"

static const char mv_help[] =
    "Usage: %s [OPTION]... [-T] SOURCE DEST\n"
    "  or:  %s [OPTION]... SOURCE... DIRECTORY\n"
    "  or:  %s [OPTION]... -t DIRECTORY SOURCE...\n"
    "Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "      --backup[=CONTROL]       make a backup of each existing destination file\n"
    "  -b                           like --backup but does not accept an argument\n"
    "  -f, --force                  do not prompt before overwriting\n"
    "  -i, --interactive            prompt before overwrite\n"
    "  -n, --no-clobber             do not overwrite an existing file\n"
    "If you specify more than one of -i, -f, -n, only the final one takes effect.\n"
    "      --strip-trailing-slashes  remove any trailing slashes from each SOURCE\n"
    "                                 argument\n"
    "  -S, --suffix=SUFFIX          override the usual backup suffix\n"
    "  -t, --target-directory=DIRECTORY  move all SOURCE arguments into DIRECTORY\n"
    "  -T, --no-target-directory    treat DEST as a normal file\n"
    "  -u, --update                 move only when the SOURCE file is newer\n"
    "                                 than the destination file or when the\n"
    "                                 destination file is missing\n"
    "  -v, --verbose                explain what is being done\n"
    "  -Z, --context                set SELinux security context of destination\n"
    "                                 file to default type\n"
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
    COREUTILS_HELP_TAIL("mv", "mv")
    ;

enum { OPT_BACKUP = 256, OPT_STRIP, OPT_CONTEXT };
static const struct opt_long longs[] = {{"backup", OPT_OPTARG, OPT_BACKUP},
                                        {"context", OPT_NOARG, 'Z'},
                                        {"force", OPT_NOARG, 'f'},
                                        {"interactive", OPT_NOARG, 'i'},
                                        {"no-clobber", OPT_NOARG, 'n'},
                                        {"no-target-directory", OPT_NOARG, 'T'},
                                        {"strip-trailing-slashes", OPT_NOARG, OPT_STRIP},
                                        {"suffix", OPT_ARG, 'S'},
                                        {"target-directory", OPT_ARG, 't'},
                                        {"update", OPT_NOARG, 'u'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {0}};
static const struct opt_spec spec = {.name = "mv",
                                     .shorts = "bfint:uvS:TZ",
                                     .longs = longs,
                                     .help = mv_help,
                                     .authors = "Mike Parker, David MacKenzie, and Jim Meyering"};

int cmd_mv(struct proc *p, int argc, char **argv)
{
    struct cp_opts x;
    cp_init(&x, p);
    x.move = true;
    bool make_backups = false, no_target = false, strip = false;
    const char *backup_arg = NULL, *suffix = NULL, *target = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'b': make_backups = true; break;
        case OPT_BACKUP:
            make_backups = true;
            backup_arg = o.arg;
            break;
        case 'f':
            x.force = true;
            x.interactive = x.no_clobber = false;
            break;
        case 'i':
            x.interactive = true;
            x.force = x.no_clobber = false;
            break;
        case 'n':
            x.no_clobber = true;
            x.force = x.interactive = false;
            break;
        case OPT_STRIP: strip = true; break;
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
        case 'S':
            make_backups = true;
            suffix = o.arg;
            break;
        case 'Z': break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (make_backups && x.no_clobber)
        return opt_usage_error(&o, "options --backup and --no-clobber are mutually exclusive");
    char **files = argv + o.ind;
    int n = argc - o.ind, nsrc;
    const char *tdir;
    if (cp_operands(&o, files, n, target, no_target, &tdir, &nsrc) < 0) return o.status ? o.status : 1;
    if (make_backups) {
        x.backup = fs_backup_type(&o, backup_arg);
        if (x.backup < 0) return o.status;
    }
    x.suffix = fs_backup_suffix(p, suffix);
    x.stdin_tty = sys_isatty(p, 0) == 1;
    bool ok = true;
    for (int i = 0; i < nsrc; i++) {
        char *src = files[i];
        if (strip) {
            size_t l = strlen(src);
            while (l > 1 && src[l - 1] == '/') src[--l] = 0;
        }
        char *dst = tdir ? cp_dest_name(p, tdir, src) : p_strdup(p, files[1]);
        if (!dst) {
            cmd_error(p, "memory exhausted");
            return 1;
        }
        ok &= cp_move(&x, src, dst);
        p_free(p, dst);
        if (p->killed) break;
    }
    cp_free(&x);
    return ok ? 0 : 1;
}
