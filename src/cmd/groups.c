/* groups.c — print the groups of the current process or of each USERNAME
 * (from the VM's /etc/passwd and /etc/group). */
#include "cmd/cmd.h"
#include "lib/userdb.h"

static const char groups_help[] =
    "Usage: %s [OPTION]... [USERNAME]...\n"
    "Print group memberships for each USERNAME or, if no USERNAME is specified, for\n"
    "the current process (which may differ if the groups database has changed).\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("groups", "groups");

static const struct opt_spec spec = {.name = "groups",
                                     .shorts = "",
                                     .help = groups_help,
                                     .authors = "David MacKenzie and James Youngman"};

static bool print_groups(struct proc *p, struct obuf *out, struct userdb *db, const char *user,
                         gid_t gid)
{
    bool ok = true;
    gid_t *list;
    int n = udb_grouplist(db, user, gid, &list);
    for (int i = 0; i < n; i++) {
        if (i) obuf_putc(out, ' ');
        const struct udb_group *g = udb_group_by_gid(db, list[i]);
        if (g) {
            obuf_puts(out, g->name);
        } else {
            cmd_error(p, "cannot find name for group ID %u", (unsigned)list[i]);
            obuf_printf(out, "%u", (unsigned)list[i]);
            ok = false;
        }
    }
    obuf_putc(out, '\n');
    return ok;
}

int cmd_groups(struct proc *p, int argc, char **argv)
{
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;)
        if (c == OPT_EXIT) return o.status;
    struct userdb db;
    if (udb_load(&db, p) < 0) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    bool ok = true;
    if (o.ind == argc) {
        const struct udb_user *u = udb_user_by_uid(&db, p->uid);
        ok = print_groups(p, &out, &db, u ? u->name : NULL, p->gid);
    }
    for (int i = o.ind; i < argc; i++) {
        const struct udb_user *u = udb_user_by_name(&db, argv[i]);
        if (!u) {
            obuf_flush(&out);
            cmd_error(p, "%s: no such user", cmd_quote(p, argv[i]));
            ok = false;
            continue;
        }
        obuf_printf(&out, "%s : ", argv[i]);
        ok &= print_groups(p, &out, &db, u->name, u->gid);
    }
    return cmd_close_stdout(p, &out, ok ? 0 : 1);
}
