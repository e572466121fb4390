/* yes.c — print a line (the operands joined by spaces, or "y") until the
 * output is closed. Writes a large block of copies at a time. */
#include "cmd/cmd.h"

static const char yes_help[] =
    "Usage: %s [STRING]...\n"
    "  or:  %s OPTION\n"
    "Repeatedly output a line with all specified STRING(s), or 'y'.\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("yes", "yes");

static const struct opt_spec spec = {
    .name = "yes", .shorts = "", .help = yes_help, .authors = "David MacKenzie"};

int cmd_yes(struct proc *p, int argc, char **argv)
{
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;)
        if (c == OPT_EXIT) return o.status;
    struct sbuf line;
    sbuf_init(&line, p);
    if (o.ind >= argc) sbuf_add(&line, "y", 1);
    for (int i = o.ind; i < argc; i++) {
        if (i > o.ind) sbuf_addc(&line, ' ');
        sbuf_add(&line, argv[i], strlen(argv[i]));
    }
    sbuf_addc(&line, '\n');
    if (line.oom) return 1;
    /* Fill at least 64 KiB with whole copies of the line. */
    struct sbuf block;
    sbuf_init(&block, p);
    do sbuf_add(&block, line.s, line.len);
    while (block.len < 65536 && !block.oom);
    if (block.oom) return 1;
    for (;;) {
        int r = io_write_all(p, 1, block.s, block.len);
        if (r < 0) {
            if (r != -EPIPE && r != -EINTR) cmd_errno(p, r, "standard output");
            return 1;
        }
    }
}
