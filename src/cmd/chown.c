/* chown.c — change file owner and group: OWNER[:[GROUP]], :GROUP,
 * OWNER.GROUP (with coreutils' warning), names from the VM's /etc/passwd
 * and /etc/group or numbers; -R (directories after their contents, as
 * coreutils) with -H -L -P, -h/--dereference, --from, --reference, -c -v
 * -f, --preserve-root. The kernel decides who may change what. chgrp.c
 * shares the engine through chown_run(). */
#include "cmd/cmd.h"
#include "lib/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int chown_run(struct proc *p, int argc, char **argv, bool chgrp);

static const char chown_help[] =
    "Usage: %s [OPTION]... [OWNER][:[GROUP]] FILE...\n"
    "  or:  %s [OPTION]... --reference=RFILE FILE...\n"
    "Change the owner and/or group of each FILE to OWNER and/or GROUP.\n"
    "With --reference, change the owner and group of each FILE to those of RFILE.\n"
    "\n"
    "  -c, --changes          like verbose but report only when a change is made\n"
    "  -f, --silent, --quiet  suppress most error messages\n"
    "  -v, --verbose          output a diagnostic for every file processed\n"
    "      --dereference      affect the referent of each symbolic link (this is\n"
    "                         the default), rather than the symbolic link itself\n"
    "  -h, --no-dereference   affect symbolic links instead of any referenced file\n"
    "                         (useful only on systems that can change the\n"
    "                         ownership of a symlink)\n"
    "      --from=CURRENT_OWNER:CURRENT_GROUP\n"
    "                         change the owner and/or group of each file only if\n"
    "                         its current owner and/or group match those specified\n"
    "                         here.  Either may be omitted, in which case a match\n"
    "                         is not required for the omitted attribute\n"
    "      --no-preserve-root  do not treat '/' specially (the default)\n"
    "      --preserve-root    fail to operate recursively on '/'\n"
    "      --reference=RFILE  use RFILE's owner and group rather than\n"
    "                         specifying OWNER:GROUP values\n"
    "  -R, --recursive        operate on files and directories recursively\n"
    "\n"
    "The following options modify how a hierarchy is traversed when the -R\n"
    "option is also specified.  If more than one is specified, only the final\n"
    "one takes effect.\n"
    "\n"
    "  -H                     if a command line argument is a symbolic link\n"
    "                         to a directory, traverse it\n"
    "  -L                     traverse every symbolic link to a directory\n"
    "                         encountered\n"
    "  -P                     do not traverse any symbolic links (default)\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Owner is unchanged if missing.  Group is unchanged if missing, but changed\n"
    "to login group if implied by a ':' following a symbolic OWNER.\n"
    "OWNER and GROUP may be numeric as well as symbolic.\n"
    "\n"
    "Examples:\n"
    "  chown root /u        Change the owner of /u to \"root\".\n"
    "  chown root:staff /u  Likewise, but also change its group to \"staff\".\n"
    "  chown -hR root /u    Change the owner of /u and subfiles to \"root\".\n"
    "\n"
    COREUTILS_HELP_TAIL("chown", "chown")
    ;

static const char chgrp_help[] =
    "Usage: %s [OPTION]... GROUP FILE...\n"
    "  or:  %s [OPTION]... --reference=RFILE FILE...\n"
    "Change the group of each FILE to GROUP.\n"
    "With --reference, change the group of each FILE to that of RFILE.\n"
    "\n"
    "  -c, --changes          like verbose but report only when a change is made\n"
    "  -f, --silent, --quiet  suppress most error messages\n"
    "  -v, --verbose          output a diagnostic for every file processed\n"
    "      --dereference      affect the referent of each symbolic link (this is\n"
    "                         the default), rather than the symbolic link itself\n"
    "  -h, --no-dereference   affect symbolic links instead of any referenced file\n"
    "                         (useful only on systems that can change the\n"
    "                         ownership of a symlink)\n"
    "      --no-preserve-root  do not treat '/' specially (the default)\n"
    "      --preserve-root    fail to operate recursively on '/'\n"
    "      --reference=RFILE  use RFILE's group rather than specifying a\n"
    "                         GROUP value\n"
    "  -R, --recursive        operate on files and directories recursively\n"
    "\n"
    "The following options modify how a hierarchy is traversed when the -R\n"
    "option is also specified.  If more than one is specified, only the final\n"
    "one takes effect.\n"
    "\n"
    "  -H                     if a command line argument is a symbolic link\n"
    "                         to a directory, traverse it\n"
    "  -L                     traverse every symbolic link to a directory\n"
    "                         encountered\n"
    "  -P                     do not traverse any symbolic links (default)\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Examples:\n"
    "  chgrp staff /u      Change the group of /u to \"staff\".\n"
    "  chgrp -hR staff /u  Change the group of /u and subfiles to \"staff\".\n"
    "\n"
    COREUTILS_HELP_TAIL("chgrp", "chgrp")
    ;

enum { OPT_DEREF = 256, OPT_FROM, OPT_NO_PRESERVE, OPT_PRESERVE, OPT_REFERENCE };
static const struct opt_long chown_longs[] = {{"recursive", OPT_NOARG, 'R'},
                                              {"changes", OPT_NOARG, 'c'},
                                              {"dereference", OPT_NOARG, OPT_DEREF},
                                              {"from", OPT_ARG, OPT_FROM},
                                              {"no-dereference", OPT_NOARG, 'h'},
                                              {"no-preserve-root", OPT_NOARG, OPT_NO_PRESERVE},
                                              {"preserve-root", OPT_NOARG, OPT_PRESERVE},
                                              {"quiet", OPT_NOARG, 'f'},
                                              {"silent", OPT_NOARG, 'f'},
                                              {"reference", OPT_ARG, OPT_REFERENCE},
                                              {"verbose", OPT_NOARG, 'v'},
                                              {0}};
static const struct opt_long chgrp_longs[] = {{"recursive", OPT_NOARG, 'R'},
                                              {"changes", OPT_NOARG, 'c'},
                                              {"dereference", OPT_NOARG, OPT_DEREF},
                                              {"no-dereference", OPT_NOARG, 'h'},
                                              {"no-preserve-root", OPT_NOARG, OPT_NO_PRESERVE},
                                              {"preserve-root", OPT_NOARG, OPT_PRESERVE},
                                              {"quiet", OPT_NOARG, 'f'},
                                              {"silent", OPT_NOARG, 'f'},
                                              {"reference", OPT_ARG, OPT_REFERENCE},
                                              {"verbose", OPT_NOARG, 'v'},
                                              {0}};
static const struct opt_spec chown_spec = {.name = "chown",
                                           .shorts = "HLPRcfhv",
                                           .longs = chown_longs,
                                           .help = chown_help,
                                           .authors = "David MacKenzie and Jim Meyering"};
static const struct opt_spec chgrp_spec = {.name = "chgrp",
                                           .shorts = "HLPRcfhv",
                                           .longs = chgrp_longs,
                                           .help = chgrp_help,
                                           .authors = "David MacKenzie and Jim Meyering"};

enum { V_OFF, V_CHANGES, V_HIGH };
enum { CH_NOT_APPLIED = 1, CH_SUCCEEDED, CH_FAILED, CH_NO_CHANGE_REQUESTED };

struct chown {
    struct proc *p;
    uid_t uid, req_uid;
    gid_t gid, req_gid;
    char user_name[256], group_name[256];
    bool have_user_name, have_group_name;
    bool recurse, force_silent, affect_referent, have_root;
    int verbosity;
    struct stat root_st;
    struct obuf out;
};

static bool parse_num(const char *s, unsigned long *v)
{
    if (!*s || *s == '-' || *s == '+' || *s == ' ') return false;
    char *e;
    errno = 0;
    unsigned long x = strtoul(s, &e, 10);
    if (*e || errno || x > 0xfffffffeul) return false;
    *v = x;
    return true;
}

/* gnulib parse_with_separator: NULL or the error text. */
static const char *parse_sep(struct proc *p, const char *spec, const char *sep, uid_t *uid,
                             gid_t *gid)
{
    uid_t unum = *uid;
    gid_t gnum = gid ? *gid : (gid_t)-1;
    char u[256];
    bool have_u = false;
    size_t ulen = sep ? (size_t)(sep - spec) : strlen(spec);
    if (ulen >= sizeof u) return "invalid user";
    if (ulen) {
        memcpy(u, spec, ulen);
        u[ulen] = 0;
        have_u = true;
    }
    const char *g = !sep || !sep[1] ? NULL : sep + 1;
    if (have_u) {
        uid_t pu;
        gid_t pg;
        if (u[0] == '+' || fs_user_by_name(p, u, &pu, &pg) < 0) {
            if (sep && !g) return "invalid spec";
            unsigned long v;
            if (!parse_num(u[0] == '+' ? u + 1 : u, &v)) return "invalid user";
            unum = (uid_t)v;
        } else {
            unum = pu;
            if (!g && sep) gnum = pg;
        }
    }
    if (g) {
        gid_t gg;
        if (g[0] == '+' || fs_group_by_name(p, g, &gg) < 0) {
            unsigned long v;
            if (!parse_num(g[0] == '+' ? g + 1 : g, &v)) return "invalid group";
            gnum = (gid_t)v;
        } else {
            gnum = gg;
        }
    }
    *uid = unum;
    if (gid) *gid = gnum;
    return NULL;
}

static const char *parse_spec(struct proc *p, const char *spec, uid_t *uid, gid_t *gid, bool *warn)
{
    const char *colon = strchr(spec, ':');
    *warn = false;
    const char *e = parse_sep(p, spec, colon, uid, gid);
    if (e && !colon) {
        const char *dot = strchr(spec, '.');
        if (dot && !parse_sep(p, spec, dot, uid, gid)) {
            *warn = true;
            e = NULL;
        }
    }
    return e;
}

static void spec_str(char *buf, size_t n, const char *user, const char *group)
{
    if (user && group)
        snprintf(buf, n, "%s:%s", user, group);
    else if (user)
        snprintf(buf, n, "%s", user);
    else if (group)
        snprintf(buf, n, "%s", group);
    else
        buf[0] = 0;
}

static void describe(struct chown *c, const char *file, int status, const struct stat *old)
{
    struct proc *p = c->p;
    const char *q = cmd_quoteaf(p, file);
    if (status == CH_NOT_APPLIED) {
        obuf_printf(&c->out, "neither symbolic link %s nor referent has been changed\n", q);
        return;
    }
    const char *user = c->have_user_name ? c->user_name : NULL;
    const char *group = c->have_group_name ? c->group_name : NULL;
    char ou[64], og[64], spec[520], old_spec[140];
    bool have_old = old != NULL;
    if (have_old) {
        fs_user_name(p, old->st_uid, ou, sizeof ou);
        fs_group_name(p, old->st_gid, og, sizeof og);
    }
    spec_str(spec, sizeof spec, user, group);
    spec_str(old_spec, sizeof old_spec, user && have_old ? ou : NULL, group && have_old ? og : NULL);
    switch (status) {
    case CH_SUCCEEDED:
        if (user) obuf_printf(&c->out, "changed ownership of %s from %s to %s\n", q, old_spec, spec);
        else if (group) obuf_printf(&c->out, "changed group of %s from %s to %s\n", q, old_spec, spec);
        else obuf_printf(&c->out, "no change to ownership of %s\n", q);
        break;
    case CH_FAILED:
        if (have_old && (user || group)) {
            obuf_printf(&c->out,
                        user ? "failed to change ownership of %s from %s to %s\n"
                             : "failed to change group of %s from %s to %s\n",
                        q, old_spec, spec);
        } else if (user || group) {
            obuf_printf(&c->out,
                        user ? "failed to change ownership of %s to %s\n"
                             : "failed to change group of %s to %s\n",
                        q, spec);
        } else {
            obuf_printf(&c->out, "failed to change ownership of %s\n", q);
        }
        break;
    case CH_NO_CHANGE_REQUESTED:
        if (user) obuf_printf(&c->out, "ownership of %s retained as %s\n", q, old_spec);
        else if (group) obuf_printf(&c->out, "group of %s retained as %s\n", q, old_spec);
        else obuf_printf(&c->out, "ownership of %s retained\n", q);
        break;
    }
}

static bool change_owner(struct chown *c, struct fwalk *w, struct fw_ent *e)
{
    struct proc *p = c->p;
    const char *name = e->path;
    bool ok = true;
    switch (e->info) {
    case FW_D:
        if (c->recurse) {
            if (c->have_root && e->st.st_ino == c->root_st.st_ino &&
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
            return true;
        }
        break;
    case FW_DP:
        if (!c->recurse) return true;
        break;
    case FW_NS:
        if (!c->force_silent) cmd_errno(p, -e->err, "cannot access %s", cmd_quoteaf(p, name));
        ok = false;
        break;
    case FW_DNR:
        if (!c->force_silent) cmd_errno(p, -e->err, "cannot read directory %s", cmd_quoteaf(p, name));
        ok = false;
        break;
    case FW_DC:
        cmd_error(p, "WARNING: Circular directory structure.\n"
                     "This almost certainly means that you have a corrupted file system.\n"
                     "NOTIFY YOUR SYSTEM MANAGER.\n"
                     "The following directory is part of the cycle:\n  %s\n",
                  cmd_quoteaf(p, name));
        ok = false;
        break;
    }
    bool do_chown = false, symlink_changed = true;
    struct stat st;
    const struct stat *fst = NULL;
    if (ok) {
        st = e->st;
        fst = &st;
        if (c->affect_referent && S_ISLNK(st.st_mode)) {
            int r = sys_stat(p, name, &st);
            if (r < 0) {
                if (!c->force_silent) cmd_errno(p, r, "cannot dereference %s", cmd_quoteaf(p, name));
                ok = false;
                fst = NULL;
            }
        }
        do_chown = ok && (c->req_uid == (uid_t)-1 || c->req_uid == st.st_uid) &&
                   (c->req_gid == (gid_t)-1 || c->req_gid == st.st_gid);
    }
    if (do_chown) {
        int r = sys_chown(p, name, c->uid, c->gid, !c->affect_referent);
        if (r == -EOPNOTSUPP && !c->affect_referent) {
            r = 0;
            symlink_changed = false;
        }
        ok = r == 0;
        if (!ok && !c->force_silent && r != -EINTR)
            cmd_errno(p, r, c->uid != (uid_t)-1 ? "changing ownership of %s" : "changing group of %s",
                      cmd_quoteaf(p, name));
    }
    if (c->verbosity != V_OFF) {
        bool changed = do_chown && ok && symlink_changed &&
                       !((c->uid == (uid_t)-1 || c->uid == st.st_uid) &&
                         (c->gid == (gid_t)-1 || c->gid == st.st_gid));
        if (changed || c->verbosity == V_HIGH) {
            int status = !ok                ? CH_FAILED
                         : !symlink_changed ? CH_NOT_APPLIED
                         : !changed         ? CH_NO_CHANGE_REQUESTED
                                            : CH_SUCCEEDED;
            describe(c, name, status, fst);
        }
    }
    if (!c->recurse) fwalk_skip(w, e);
    return ok;
}

int chown_run(struct proc *p, int argc, char **argv, bool chgrp)
{
    struct chown c = {.p = p, .uid = (uid_t)-1, .gid = (gid_t)-1, .req_uid = (uid_t)-1,
                      .req_gid = (gid_t)-1};
    int flags = FW_PHYSICAL, dereference = -1;
    bool preserve_root = false;
    const char *reference = NULL, *from = NULL;
    struct opt_state o;
    opt_init(&o, p, chgrp ? &chgrp_spec : &chown_spec, argc, argv);
    for (int ch; (ch = opt_next(&o)) != OPT_END;) {
        switch (ch) {
        case 'H': flags = FW_COMFOLLOW | FW_PHYSICAL; break;
        case 'L': flags = FW_LOGICAL; break;
        case 'P': flags = FW_PHYSICAL; break;
        case 'h': dereference = 0; break;
        case OPT_DEREF: dereference = 1; break;
        case OPT_NO_PRESERVE: preserve_root = false; break;
        case OPT_PRESERVE: preserve_root = true; break;
        case OPT_REFERENCE: reference = o.arg; break;
        case OPT_FROM: from = o.arg; break;
        case 'R': c.recurse = true; break;
        case 'c': c.verbosity = V_CHANGES; break;
        case 'f': c.force_silent = true; break;
        case 'v': c.verbosity = V_HIGH; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (c.recurse) {
        if (flags == FW_PHYSICAL) {
            if (dereference == 1) {
                cmd_error(p, "-R --dereference requires either -H or -L");
                return 1;
            }
            dereference = 0;
        }
    } else {
        flags |= FW_COMFOLLOW;
    }
    c.affect_referent = dereference != 0;
    if (from) {
        bool warn;
        const char *e = parse_spec(p, from, &c.req_uid, &c.req_gid, &warn);
        if (e) {
            cmd_error(p, "%s: %s", e, cmd_quote(p, from));
            return 1;
        }
    }
    if (argc - o.ind < (reference ? 1 : 2)) {
        if (argc <= o.ind) return opt_usage_error(&o, "missing operand");
        return opt_usage_error(&o, "missing operand after %s", cmd_quote(p, argv[argc - 1]));
    }
    if (reference) {
        struct stat st;
        int r = sys_stat(p, reference, &st);
        if (r < 0) {
            cmd_errno(p, r, "failed to get attributes of %s", cmd_quoteaf(p, reference));
            return 1;
        }
        if (!chgrp) {
            c.uid = st.st_uid;
            fs_user_name(p, c.uid, c.user_name, sizeof c.user_name);
            c.have_user_name = true;
        }
        c.gid = st.st_gid;
        fs_group_name(p, c.gid, c.group_name, sizeof c.group_name);
        c.have_group_name = true;
    } else if (chgrp) {
        const char *g = argv[o.ind++];
        if (*g) {
            gid_t gid;
            unsigned long v;
            if (fs_group_by_name(p, g, &gid) == 0) {
                c.gid = gid;
                snprintf(c.group_name, sizeof c.group_name, "%s", g);
            } else if (parse_num(g, &v)) {
                c.gid = (gid_t)v;
                snprintf(c.group_name, sizeof c.group_name, "%lu", v);
            } else {
                cmd_error(p, "invalid group: %s", cmd_quote(p, g));
                return 1;
            }
            c.have_group_name = true;
        }
    } else {
        const char *spec = argv[o.ind++];
        bool warn;
        const char *e = parse_spec(p, spec, &c.uid, &c.gid, &warn);
        if (e) {
            cmd_error(p, "%s: %s", e, cmd_quote(p, spec));
            return 1;
        }
        if (warn) cmd_error(p, "warning: '.' should be ':': %s", cmd_quote(p, spec));
        /* messages name them as given: a name, or a number */
        const char *sep = strchr(spec, ':');
        if (!sep && warn) sep = strchr(spec, '.');
        size_t ul = sep ? (size_t)(sep - spec) : strlen(spec);
        const char *g = sep && sep[1] ? sep + 1 : NULL;
        uid_t tu;
        gid_t tg;
        char ubuf[256];
        snprintf(ubuf, sizeof ubuf, "%.*s", (int)ul, spec);
        if (c.uid != (uid_t)-1) {
            if (ubuf[0] != '+' && fs_user_by_name(p, ubuf, &tu, &tg) == 0)
                snprintf(c.user_name, sizeof c.user_name, "%s", ubuf);
            else
                snprintf(c.user_name, sizeof c.user_name, "%lu", (unsigned long)c.uid);
            c.have_user_name = true;
        }
        if (c.gid != (gid_t)-1) {
            if (g && g[0] != '+' && fs_group_by_name(p, g, &tg) == 0)
                snprintf(c.group_name, sizeof c.group_name, "%s", g);
            else if (g)
                snprintf(c.group_name, sizeof c.group_name, "%lu", (unsigned long)c.gid);
            else
                fs_group_name(p, c.gid, c.group_name, sizeof c.group_name);
            c.have_group_name = true;
        }
    }
    if (c.recurse && preserve_root && sys_lstat(p, "/", &c.root_st) == 0) c.have_root = true;
    obuf_init(&c.out, p, 1);
    struct fwalk *w = fwalk_open(p, argv + o.ind, flags);
    if (!w) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    bool ok = true;
    struct fw_ent *e;
    int err;
    while ((e = fwalk_read(w, &err))) {
        ok &= change_owner(&c, w, e);
        if (obuf_failed(&c.out)) break;
    }
    if (err) {
        if (err != -EINTR) cmd_errno(p, err, "fts_read failed");
        ok = false;
    }
    fwalk_close(w);
    return cmd_close_stdout(p, &c.out, ok ? 0 : 1);
}

int cmd_chown(struct proc *p, int argc, char **argv)
{
    return chown_run(p, argc, argv, false);
}
