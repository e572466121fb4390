/* mktemp.c — create a temporary file or directory from a template with
 * trailing X's replaced by random characters (from sys_getrandom): -d -u
 * -q -p DIR/--tmpdir[=DIR] -t --suffix. */
#include "cmd/cmd.h"
#include "lib/fsutil.h"

#include <fcntl.h>

static const char mktemp_help[] =
    "Usage: %s [OPTION]... [TEMPLATE]\n"
    "Create a temporary file or directory, safely, and print its name.\n"
    "TEMPLATE must contain at least 3 consecutive 'X's in last component.\n"
    "If TEMPLATE is not specified, use tmp.XXXXXXXXXX, and --tmpdir is implied.\n"
    "Files are created u+rw, and directories u+rwx, minus umask restrictions.\n"
    "\n"
    "  -d, --directory     create a directory, not a file\n"
    "  -u, --dry-run       do not create anything; merely print a name (unsafe)\n"
    "  -q, --quiet         suppress diagnostics about file/dir-creation failure\n"
    "      --suffix=SUFF   append SUFF to TEMPLATE; SUFF must not contain a slash.\n"
    "                        This option is implied if TEMPLATE does not end in X\n"
    "  -p DIR, --tmpdir[=DIR]  interpret TEMPLATE relative to DIR; if DIR is not\n"
    "                        specified, use $TMPDIR if set, else /tmp.  With\n"
    "                        this option, TEMPLATE must not be an absolute name;\n"
    "                        unlike with -t, TEMPLATE may contain slashes, but\n"
    "                        mktemp creates only the final component\n"
    "  -t                  interpret TEMPLATE as a single file name component,\n"
    "                        relative to a directory: $TMPDIR, if set; else the\n"
    "                        directory specified via -p; else /tmp [deprecated]\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("mktemp", "mktemp")
    ;

enum { OPT_SUFFIX = 256, OPT_TMPDIR };
static const struct opt_long longs[] = {{"directory", OPT_NOARG, 'd'},
                                        {"quiet", OPT_NOARG, 'q'},
                                        {"dry-run", OPT_NOARG, 'u'},
                                        {"suffix", OPT_ARG, OPT_SUFFIX},
                                        {"tmpdir", OPT_OPTARG, OPT_TMPDIR},
                                        {0}};
static const struct opt_spec spec = {.name = "mktemp",
                                     .shorts = "dp:qtuV",
                                     .longs = longs,
                                     .help = mktemp_help,
                                     .authors = "Jim Meyering and Eric Blake"};

static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/* Replace the x_count X's before the suffix and create the node. 0 or a
 * negative errno. */
static int make_temp(struct proc *p, char *name, size_t suffix_len, size_t x_count, bool dir,
                     bool dry_run)
{
    size_t len = strlen(name);
    char *xs = name + len - suffix_len - x_count;
    for (int attempt = 0; attempt < 62 * 62 * 62; attempt++) {
        unsigned char rnd[64];
        size_t done = 0;
        while (done < x_count) {
            size_t want = x_count - done < sizeof rnd ? x_count - done : sizeof rnd;
            ssize_t r = sys_getrandom(p, rnd, want);
            if (r < 0) return (int)r;
            for (ssize_t i = 0; i < r; i++) {
                /* rejection sampling keeps the letters uniform */
                if (rnd[i] >= 248) continue;
                xs[done++] = letters[rnd[i] % 62];
                if (done == x_count) break;
            }
        }
        int r;
        if (dry_run) {
            struct stat st;
            r = sys_lstat(p, name, &st);
            if (r == -ENOENT) return 0;
            if (r == 0) r = -EEXIST;
        } else if (dir) {
            r = sys_mkdir(p, name, 0700);
        } else {
            r = sys_open(p, name, O_RDWR | O_CREAT | O_EXCL, 0600);
            if (r >= 0) {
                sys_close(p, r);
                r = 0;
            }
        }
        if (r != -EEXIST) return r;
        if ((r = proc_check(p)) < 0) return r;
    }
    return -EEXIST;
}

int cmd_mktemp(struct proc *p, int argc, char **argv)
{
    bool make_dir = false, quiet = false, dry_run = false, use_dest_dir = false, t_opt = false;
    const char *suffix_opt = NULL, *dest_dir_arg = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'd': make_dir = true; break;
        case 'p':
            dest_dir_arg = o.arg;
            use_dest_dir = true;
            break;
        case 'q': quiet = true; break;
        case 't':
            use_dest_dir = true;
            t_opt = true;
            break;
        case 'u': dry_run = true; break;
        case 'V': return opt_version(&o);
        case OPT_SUFFIX: suffix_opt = o.arg; break;
        case OPT_TMPDIR:
            use_dest_dir = true;
            dest_dir_arg = o.arg;
            break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (argc - o.ind > 1) return opt_usage_error(&o, "too many templates");
    const char *tmpl_arg;
    if (o.ind == argc) {
        use_dest_dir = true;
        tmpl_arg = "tmp.XXXXXXXXXX";
    } else {
        tmpl_arg = argv[o.ind];
    }
    size_t len = strlen(tmpl_arg);
    char *tmpl;
    size_t suffix_len;
    if (suffix_opt) {
        if (!len || tmpl_arg[len - 1] != 'X') {
            cmd_error(p, "with --suffix, template %s must end in X", cmd_quote(p, tmpl_arg));
            return 1;
        }
        suffix_len = strlen(suffix_opt);
        tmpl = p_malloc(p, len + suffix_len + 1);
        if (tmpl) {
            memcpy(tmpl, tmpl_arg, len);
            memcpy(tmpl + len, suffix_opt, suffix_len + 1);
        }
    } else {
        tmpl = p_strdup(p, tmpl_arg);
        const char *lastx = strrchr(tmpl_arg, 'X');
        suffix_len = lastx ? len - (size_t)(lastx - tmpl_arg) - 1 : 0;
    }
    if (!tmpl) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    size_t tlen = strlen(tmpl), x_count = 0;
    for (size_t i = tlen - suffix_len; i > 0 && tmpl[i - 1] == 'X'; i--) x_count++;
    if (x_count < 3) {
        cmd_error(p, "too few X's in template %s", cmd_quote(p, tmpl));
        return 1;
    }
    if (use_dest_dir) {
        const char *dest_dir;
        const char *env = proc_getenv(p, "TMPDIR");
        if (t_opt) {
            if (env && *env)
                dest_dir = env;
            else if (dest_dir_arg && *dest_dir_arg)
                dest_dir = dest_dir_arg;
            else
                dest_dir = "/tmp";
            if (fs_last_component(tmpl) != tmpl) {
                cmd_error(p, "invalid template, %s, contains directory separator", cmd_quote(p, tmpl));
                return 1;
            }
        } else {
            if (dest_dir_arg && *dest_dir_arg)
                dest_dir = dest_dir_arg;
            else
                dest_dir = env && *env ? env : "/tmp";
            if (tmpl[0] == '/') {
                cmd_error(p, "invalid template, %s; with --tmpdir, it may not be absolute",
                          cmd_quote(p, tmpl));
                return 1;
            }
        }
        char *full = fs_join(p, dest_dir, tmpl);
        if (!full) {
            cmd_error(p, "memory exhausted");
            return 1;
        }
        tmpl = full;
    }
    char *name = p_strdup(p, tmpl);
    if (!name) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    int r = make_temp(p, name, suffix_len, x_count, make_dir, dry_run);
    if (r < 0) {
        if (!quiet && r != -EINTR)
            cmd_errno(p, r, make_dir ? "failed to create directory via template %s"
                                     : "failed to create file via template %s",
                      cmd_quote(p, tmpl));
        return 1;
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    obuf_puts(&out, name);
    obuf_putc(&out, '\n');
    int st = cmd_close_stdout(p, &out, 0);
    if (st && !dry_run) {
        if (make_dir) sys_rmdir(p, name);
        else sys_unlink(p, name);
    }
    return st;
}
