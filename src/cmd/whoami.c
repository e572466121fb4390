/* whoami.c — print the name of the effective user ID (from /etc/passwd). */
#include "cmd/cmd.h"
#include "lib/userdb.h"

static const char whoami_help[] =
    "Usage: %s [OPTION]...\n"
    "Print the user name associated with the current effective user ID.\n"
    "Same as id -un.\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("whoami", "whoami");

static const struct opt_spec spec = {
    .name = "whoami", .shorts = "", .help = whoami_help, .authors = "Richard Mlynarik"};

int cmd_whoami(struct proc *p, int argc, char **argv)
{
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;)
        if (c == OPT_EXIT) return o.status;
    if (o.ind < argc) {
        cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind]));
        return opt_usage_error(&o, NULL);
    }
    struct userdb db;
    if (udb_load(&db, p) < 0) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    const struct udb_user *u = udb_user_by_uid(&db, p->uid);
    if (!u) {
        cmd_error(p, "cannot find name for user ID %u", (unsigned)p->uid);
        return 1;
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    obuf_puts(&out, u->name);
    obuf_putc(&out, '\n');
    return cmd_close_stdout(p, &out, 0);
}
