/* id.c — print user and group IDs and names (-u -g -G -n -r -z), of the
 * current process or of USERs, from the VM's /etc/passwd and /etc/group. */
#include "cmd/cmd.h"
#include "lib/userdb.h"

#include <stdio.h>
#include <stdlib.h>

static const char id_help[] =
    "Usage: %s [OPTION]... [USER]...\n"
    "Print user and group information for each specified USER,\n"
    "or (when USER omitted) for the current process.\n"
    "\n"
    "  -a             ignore, for compatibility with other versions\n"
    "  -Z, --context  print only the security context of the process\n"
    "  -g, --group    print only the effective group ID\n"
    "  -G, --groups   print all group IDs\n"
    "  -n, --name     print a name instead of a number, for -ugG\n"
    "  -r, --real     print the real ID instead of the effective ID, with -ugG\n"
    "  -u, --user     print only the effective user ID\n"
    "  -z, --zero     delimit entries with NUL characters, not whitespace;\n"
    "                   not permitted in default format\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Without any OPTION, print some useful set of identified information.\n"
    "\n"
    COREUTILS_HELP_TAIL("id", "id");

static const struct opt_long longs[] = {{"context", OPT_NOARG, 'Z'}, {"group", OPT_NOARG, 'g'},
                                        {"groups", OPT_NOARG, 'G'},  {"name", OPT_NOARG, 'n'},
                                        {"real", OPT_NOARG, 'r'},    {"user", OPT_NOARG, 'u'},
                                        {"zero", OPT_NOARG, 'z'},    {0}};
static const struct opt_spec spec = {.name = "id",
                                     .shorts = "agnruzGZ",
                                     .longs = longs,
                                     .help = id_help,
                                     .authors = "Arnold Robbins and David MacKenzie"};

struct id {
    struct proc *p;
    struct obuf out;
    struct userdb db;
    bool names, ok;
};

static void print_user(struct id *c, uid_t uid)
{
    const struct udb_user *u = c->names ? udb_user_by_uid(&c->db, uid) : NULL;
    if (c->names && !u) {
        cmd_error(c->p, "cannot find name for user ID %u", (unsigned)uid);
        c->ok = false;
    }
    if (u)
        obuf_puts(&c->out, u->name);
    else
        obuf_printf(&c->out, "%u", (unsigned)uid);
}

static void print_group(struct id *c, gid_t gid)
{
    const struct udb_group *g = c->names ? udb_group_by_gid(&c->db, gid) : NULL;
    if (c->names && !g) {
        cmd_error(c->p, "cannot find name for group ID %u", (unsigned)gid);
        c->ok = false;
    }
    if (g)
        obuf_puts(&c->out, g->name);
    else
        obuf_printf(&c->out, "%u", (unsigned)gid);
}

/* coreutils print_group_list: rgid, egid if different, then the others. */
static void print_group_list(struct id *c, const char *user, gid_t rgid, gid_t egid, char delim)
{
    print_group(c, rgid);
    if (egid != rgid) {
        obuf_putc(&c->out, delim);
        print_group(c, egid);
    }
    gid_t *list;
    int n = udb_grouplist(&c->db, user, egid, &list);
    for (int i = 0; i < n; i++)
        if (list[i] != rgid && list[i] != egid) {
            obuf_putc(&c->out, delim);
            print_group(c, list[i]);
        }
}

static void print_full(struct id *c, const char *user, uid_t uid, gid_t gid)
{
    const struct udb_user *u = udb_user_by_uid(&c->db, uid);
    obuf_printf(&c->out, "uid=%u", (unsigned)uid);
    if (u) obuf_printf(&c->out, "(%s)", u->name);
    const struct udb_group *g = udb_group_by_gid(&c->db, gid);
    obuf_printf(&c->out, " gid=%u", (unsigned)gid);
    if (g) obuf_printf(&c->out, "(%s)", g->name);
    gid_t *list;
    int n = udb_grouplist(&c->db, user, gid, &list);
    if (n > 0) obuf_puts(&c->out, " groups=");
    for (int i = 0; i < n; i++) {
        if (i) obuf_putc(&c->out, ',');
        obuf_printf(&c->out, "%u", (unsigned)list[i]);
        g = udb_group_by_gid(&c->db, list[i]);
        if (g) obuf_printf(&c->out, "(%s)", g->name);
    }
}

int cmd_id(struct proc *p, int argc, char **argv)
{
    bool just_user = false, just_group = false, just_list = false, context = false, real = false,
         zero = false;
    struct id c = {.p = p, .ok = true};
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int ch; (ch = opt_next(&o)) != OPT_END;) {
        switch (ch) {
        case 'a': break;
        case 'Z': context = true; break;
        case 'g': just_group = true; break;
        case 'G': just_list = true; break;
        case 'n': c.names = true; break;
        case 'r': real = true; break;
        case 'u': just_user = true; break;
        case 'z': zero = true; break;
        case OPT_EXIT: return o.status;
        }
    }
    (void)real; /* real and effective IDs are the same in the VM */
    int nids = argc - o.ind;
    if (context) {
        cmd_error(p, "--context (-Z) works only on an SELinux-enabled kernel");
        return 1;
    }
    if (nids && context) {
        cmd_error(p, "cannot print security context when user specified");
        return 1;
    }
    if (just_user + just_group + just_list + context > 1) {
        cmd_error(p, "cannot print \"only\" of more than one choice");
        return 1;
    }
    bool deflt = !(just_user || just_group || just_list || context);
    if (deflt && (real || c.names)) {
        cmd_error(p, "cannot print only names or real IDs in default format");
        return 1;
    }
    if (deflt && zero) {
        cmd_error(p, "option --zero not permitted in default format");
        return 1;
    }
    if (udb_load(&c.db, p) < 0) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    obuf_init(&c.out, p, 1);
    char eol = zero ? '\0' : '\n';
    for (int i = o.ind; i < argc || (i == o.ind && !nids); i++) {
        const char *user = NULL;
        uid_t uid = p->uid;
        gid_t gid = p->gid;
        if (nids) {
            const char *spec_ = argv[i];
            const struct udb_user *u = udb_user_by_name(&c.db, spec_);
            if (!u) {
                char *end;
                unsigned long v = strtoul(spec_, &end, 10);
                if (*spec_ && !*end) u = udb_user_by_uid(&c.db, (uid_t)v);
            }
            if (!u) {
                cmd_error(p, "%s: no such user", cmd_quote(p, spec_));
                c.ok = false;
                continue;
            }
            user = u->name;
            uid = u->uid;
            gid = u->gid;
        } else {
            const struct udb_user *u = udb_user_by_uid(&c.db, uid);
            user = u ? u->name : NULL;
        }
        if (just_user) {
            print_user(&c, uid);
        } else if (just_group) {
            print_group(&c, gid);
        } else if (just_list) {
            print_group_list(&c, user, gid, gid, zero ? '\0' : ' ');
        } else {
            print_full(&c, user, uid, gid);
        }
        obuf_putc(&c.out, eol);
        if (!nids) break;
    }
    return cmd_close_stdout(p, &c.out, c.ok ? 0 : 1);
}
