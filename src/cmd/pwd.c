/* pwd.c — print the working directory: -P (default) resolves it, -L uses
 * $PWD when it names the same directory and holds no "." or ".." parts. */
#include "cmd/cmd.h"

static const char pwd_help[] =
    "Usage: %s [OPTION]...\n"
    "Print the full filename of the current working directory.\n"
    "\n"
    "  -L, --logical   use PWD from environment, even if it contains symlinks\n"
    "  -P, --physical  avoid all symlinks\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "If no option is specified, -P is assumed.\n"
    "\n"
    "NOTE: your shell may have its own version of pwd, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    COREUTILS_HELP_TAIL("pwd", "pwd");

static const struct opt_long longs[] = {
    {"logical", OPT_NOARG, 'L'}, {"physical", OPT_NOARG, 'P'}, {0}};
static const struct opt_spec spec = {
    .name = "pwd", .shorts = "LP", .longs = longs, .help = pwd_help, .authors = "Jim Meyering"};

static bool logical_ok(struct proc *p, const char *wd)
{
    if (!wd || wd[0] != '/') return false;
    for (const char *s = wd; (s = strstr(s, "/.")); s++)
        if (s[2] == '\0' || s[2] == '/' || (s[2] == '.' && (s[3] == '\0' || s[3] == '/')))
            return false;
    struct stat a, b;
    return sys_stat(p, wd, &a) == 0 && sys_stat(p, ".", &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

int cmd_pwd(struct proc *p, int argc, char **argv)
{
    bool logical = proc_getenv(p, "POSIXLY_CORRECT") != NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        if (c == OPT_EXIT) return o.status;
        logical = c == 'L';
    }
    if (o.ind < argc) cmd_error(p, "ignoring non-option arguments");
    struct obuf out;
    obuf_init(&out, p, 1);
    const char *wd = proc_getenv(p, "PWD");
    if (logical && logical_ok(p, wd)) {
        obuf_puts(&out, wd);
    } else {
        char *buf = p_malloc(p, VFS_PATH_MAX + 1);
        int r = buf ? sys_getcwd(p, buf, VFS_PATH_MAX + 1) : -ENOMEM;
        if (r < 0) {
            cmd_errno(p, r, "cannot determine current directory");
            return 1;
        }
        obuf_puts(&out, buf);
    }
    obuf_putc(&out, '\n');
    return cmd_close_stdout(p, &out, 0);
}
