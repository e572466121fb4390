/* chmod.c — change file mode bits: octal and symbolic modes (X, s, t,
 * u=g...), -R, -c -v -f, --reference, --preserve-root; "chmod -w f" style
 * modes given as options, with coreutils' umask-surprise diagnostic. */
#include "cmd/cmd.h"
#include "lib/fsutil.h"
#include "lib/modechange.h"

#include <sys/stat.h>

static const char chmod_help[] =
    "Usage: %s [OPTION]... MODE[,MODE]... FILE...\n"
    "  or:  %s [OPTION]... OCTAL-MODE FILE...\n"
    "  or:  %s [OPTION]... --reference=RFILE FILE...\n"
    "Change the mode of each FILE to MODE.\n"
    "With --reference, change the mode of each FILE to that of RFILE.\n"
    "\n"
    "  -c, --changes          like verbose but report only when a change is made\n"
    "  -f, --silent, --quiet  suppress most error messages\n"
    "  -v, --verbose          output a diagnostic for every file processed\n"
    "      --no-preserve-root  do not treat '/' specially (the default)\n"
    "      --preserve-root    fail to operate recursively on '/'\n"
    "      --reference=RFILE  use RFILE's mode instead of MODE values\n"
    "  -R, --recursive        change files and directories recursively\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Each MODE is of the form '[ugoa]*([-+=]([rwxXst]*|[ugo]))+|[-+=][0-7]+'.\n"
    "\n"
    COREUTILS_HELP_TAIL("chmod", "chmod")
    ;

enum { OPT_NO_PRESERVE = 256, OPT_PRESERVE, OPT_REFERENCE };
static const struct opt_long longs[] = {{"changes", OPT_NOARG, 'c'},
                                        {"recursive", OPT_NOARG, 'R'},
                                        {"no-preserve-root", OPT_NOARG, OPT_NO_PRESERVE},
                                        {"preserve-root", OPT_NOARG, OPT_PRESERVE},
                                        {"quiet", OPT_NOARG, 'f'},
                                        {"reference", OPT_ARG, OPT_REFERENCE},
                                        {"silent", OPT_NOARG, 'f'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {0}};
static const struct opt_spec spec = {
    .name = "chmod",
    .shorts = "Rcfvr::w::x::X::s::t::u::g::o::a::,::+::=::0::1::2::3::4::5::6::7::",
    .longs = longs,
    .help = chmod_help,
    .authors = "David MacKenzie and Jim Meyering"};

enum { V_OFF, V_CHANGES, V_HIGH };
/* Ordered so that "ok" is status >= CH_NOT_APPLIED (coreutils). */
enum { CH_NO_STAT, CH_FAILED, CH_NOT_APPLIED, CH_NO_CHANGE_REQUESTED, CH_SUCCEEDED };

struct chmod {
    struct proc *p;
    struct mode_change *change;
    mode_t umask_value;
    bool recurse, force_silent, diagnose_surprises;
    int verbosity;
    bool have_root;
    struct stat root_st;
    struct obuf out;
};

static void describe(struct chmod *c, const char *file, int status, mode_t old, mode_t new)
{
    struct proc *p = c->p;
    const char *q = cmd_quoteaf(p, file);
    char perms[11], old_perms[11];
    switch (status) {
    case CH_NOT_APPLIED:
        obuf_printf(&c->out, "neither symbolic link %s nor referent has been changed\n", q);
        return;
    case CH_NO_STAT: obuf_printf(&c->out, "%s could not be accessed\n", q); return;
    }
    mode_string(new, perms);
    mode_string(old, old_perms);
    unsigned long om = old & 07777, m = new & 07777;
    switch (status) {
    case CH_SUCCEEDED:
        obuf_printf(&c->out, "mode of %s changed from %04lo (%s) to %04lo (%s)\n", q, om,
                    old_perms + 1, m, perms + 1);
        break;
    case CH_FAILED:
        obuf_printf(&c->out, "failed to change mode of %s from %04lo (%s) to %04lo (%s)\n", q, om,
                    old_perms + 1, m, perms + 1);
        break;
    case CH_NO_CHANGE_REQUESTED:
        obuf_printf(&c->out, "mode of %s retained as %04lo (%s)\n", q, m, perms + 1);
        break;
    }
}

static bool process(struct chmod *c, struct fwalk *w, struct fw_ent *e)
{
    struct proc *p = c->p;
    const char *name = e->path;
    int status = CH_NO_STAT;
    mode_t old = 0, new = 0;
    switch (e->info) {
    case FW_DP: return true;
    case FW_NS:
        if (!c->force_silent) cmd_errno(p, -e->err, "cannot access %s", cmd_quoteaf(p, name));
        break;
    case FW_DNR:
        if (!c->force_silent) cmd_errno(p, -e->err, "cannot read directory %s", cmd_quoteaf(p, name));
        break;
    case FW_SLNONE:
        if (!c->force_silent) cmd_error(p, "cannot operate on dangling symlink %s", cmd_quoteaf(p, name));
        break;
    case FW_DC:
        cmd_error(p, "WARNING: Circular directory structure.\n"
                     "This almost certainly means that you have a corrupted file system.\n"
                     "NOTIFY YOUR SYSTEM MANAGER.\n"
                     "The following directory is part of the cycle:\n  %s\n",
                  cmd_quoteaf(p, name));
        return false;
    default: status = CH_NOT_APPLIED; break;
    }
    if (status == CH_NOT_APPLIED && c->have_root && e->st.st_ino == c->root_st.st_ino &&
        e->st.st_dev == c->root_st.st_dev) {
        if (strcmp(name, "/") == 0)
            cmd_error(p, "it is dangerous to operate recursively on %s", cmd_quoteaf(p, name));
        else
            cmd_error(p, "it is dangerous to operate recursively on %s (same as '/')",
                      cmd_quoteaf(p, name));
        cmd_error(p, "use --no-preserve-root to override this failsafe");
        fwalk_skip(w, e);
        return false;
    }
    if (status == CH_NOT_APPLIED && !S_ISLNK(e->st.st_mode)) {
        old = e->st.st_mode;
        new = mode_adjust(old, S_ISDIR(old), c->umask_value, c->change, NULL);
        int r = sys_chmod(p, name, new);
        if (r == 0) {
            status = CH_SUCCEEDED;
        } else {
            if (!c->force_silent && r != -EINTR)
                cmd_errno(p, r, "changing permissions of %s", cmd_quoteaf(p, name));
            status = CH_FAILED;
        }
    }
    if (c->verbosity != V_OFF) {
        if (status == CH_SUCCEEDED) {
            mode_t actual = new;
            if (new & (S_ISUID | S_ISGID | S_ISVTX)) {
                struct stat st;
                if (sys_stat(p, name, &st) == 0) actual = st.st_mode;
            }
            if (!((old ^ actual) & 07777)) status = CH_NO_CHANGE_REQUESTED;
        }
        if (status == CH_SUCCEEDED || c->verbosity == V_HIGH) describe(c, name, status, old, new);
    }
    if (status >= CH_NO_CHANGE_REQUESTED && c->diagnose_surprises) {
        mode_t naive = mode_adjust(old, S_ISDIR(old), 0, c->change, NULL);
        if (new & ~naive) {
            char np[11], ep[11];
            mode_string(new, np);
            mode_string(naive, ep);
            obuf_flush(&c->out);
            cmd_error(p, "%s: new permissions are %s, not %s", cmd_quotef(p, name), np + 1, ep + 1);
            status = CH_FAILED;
        }
    }
    if (!c->recurse) fwalk_skip(w, e);
    return status >= CH_NOT_APPLIED;
}

int cmd_chmod(struct proc *p, int argc, char **argv)
{
    struct chmod c = {.p = p};
    bool preserve_root = false;
    const char *reference = NULL;
    struct sbuf mode;
    sbuf_init(&mode, p);
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int ch; (ch = opt_next(&o)) != OPT_END;) {
        switch (ch) {
        case 'r': case 'w': case 'x': case 'X': case 's': case 't': case 'u': case 'g':
        case 'o': case 'a': case ',': case '+': case '=': case '0': case '1': case '2':
        case '3': case '4': case '5': case '6': case '7': {
            /* a mode like "-w" given where an option goes */
            const char *arg = argv[o.ind - 1];
            if (mode.len) sbuf_addc(&mode, ',');
            sbuf_add(&mode, arg, strlen(arg));
            c.diagnose_surprises = true;
            break;
        }
        case OPT_NO_PRESERVE: preserve_root = false; break;
        case OPT_PRESERVE: preserve_root = true; break;
        case OPT_REFERENCE: reference = o.arg; break;
        case 'R': c.recurse = true; break;
        case 'c': c.verbosity = V_CHANGES; break;
        case 'f': c.force_silent = true; break;
        case 'v': c.verbosity = V_HIGH; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (mode.oom) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    const char *mode_str = mode.s;
    bool mode_from_operand = false;
    if (reference) {
        if (mode_str) return opt_usage_error(&o, "cannot combine mode and --reference options");
    } else if (!mode_str && o.ind < argc) {
        mode_str = argv[o.ind++];
        mode_from_operand = true;
    }
    if (o.ind >= argc) {
        if (!mode_str || !mode_from_operand) return opt_usage_error(&o, "missing operand");
        return opt_usage_error(&o, "missing operand after %s", cmd_quote(p, argv[argc - 1]));
    }
    if (reference) {
        struct stat st;
        int r = sys_stat(p, reference, &st);
        if (r < 0) {
            cmd_errno(p, r, "failed to get attributes of %s", cmd_quoteaf(p, reference));
            return 1;
        }
        c.change = mode_create_from_ref(p, st.st_mode);
    } else {
        bool oom;
        c.change = mode_compile(p, mode_str, &oom);
        if (!c.change && !oom) return opt_usage_error(&o, "invalid mode: %s", cmd_quote(p, mode_str));
        c.umask_value = sys_umask(p, 0);
        sys_umask(p, c.umask_value);
    }
    if (!c.change) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    if (c.recurse && preserve_root) {
        if (sys_lstat(p, "/", &c.root_st) == 0) c.have_root = true;
    }
    obuf_init(&c.out, p, 1);
    struct fwalk *w = fwalk_open(p, argv + o.ind, FW_PHYSICAL | FW_COMFOLLOW);
    if (!w) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    bool ok = true;
    struct fw_ent *e;
    int err;
    while ((e = fwalk_read(w, &err))) {
        ok &= process(&c, w, e);
        if (obuf_failed(&c.out)) break;
    }
    if (err) {
        if (err != -EINTR) cmd_errno(p, err, "fts_read failed");
        ok = false;
    }
    fwalk_close(w);
    return cmd_close_stdout(p, &c.out, ok ? 0 : 1);
}
