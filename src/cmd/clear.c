/* clear.c — clear the terminal (ncurses 6.4 clear): the terminfo "clear"
 * string of $TERM (or -T TERM), then E3 (clear scrollback) unless -x.
 * The terminal descriptions are those of Debian's ncurses-base, built in. */
#include "cmd/cmd.h"

static const struct {
    const char *name, *clear;
    bool e3;
} terms[] = {
    {"Eterm", "\033[H\033[2J", 0},
    {"Eterm-color", "\033[H\033[2J", 0},
    {"ansi", "\033[H\033[J", 0},
    {"cons25", "\033[H\033[J", 0},
    {"cons25-debian", "\033[H\033[J", 0},
    {"cygwin", "\033[H\033[J", 0},
    {"dumb", NULL, 0},
    {"hurd", "\033c", 0},
    {"linux", "\033[H\033[J", 1},
    {"mach", "\033c", 0},
    {"mach-bold", "\033c", 0},
    {"mach-color", "\033c", 0},
    {"mach-gnu", "\033c", 0},
    {"mach-gnu-color", "\033c", 0},
    {"pcansi", "\033[H\033[J", 0},
    {"rxvt", "\033[H\033[2J", 0},
    {"rxvt-basic", "\033[H\033[2J", 0},
    {"rxvt-m", "\033[H\033[2J", 0},
    {"rxvt-unicode", "\033[H\033[2J", 0},
    {"rxvt-unicode-256color", "\033[H\033[2J", 0},
    {"screen", "\033[H\033[J", 0},
    {"screen-256color", "\033[H\033[J", 0},
    {"screen-256color-bce", "\033[H\033[J", 0},
    {"screen-bce", "\033[H\033[J", 0},
    {"screen-s", "\033[H\033[J", 0},
    {"screen-w", "\033[H\033[J", 0},
    {"screen.xterm-256color", "\033[H\033[2J", 0},
    {"sun", "\f", 0},
    {"tmux", "\033[H\033[J", 1},
    {"tmux-256color", "\033[H\033[J", 1},
    {"vt100", "\033[H\033[J", 0},
    {"vt102", "\033[H\033[J", 0},
    {"vt220", "\033[H\033[J", 0},
    {"vt52", "\033H\033J", 0},
    {"wsvt25", "\033[H\033[J", 0},
    {"wsvt25m", "\033[H\033[J", 0},
    {"xterm", "\033[H\033[2J", 1},
    {"xterm-256color", "\033[H\033[2J", 1},
    {"xterm-color", "\033[H\033[2J", 0},
    {"xterm-debian", "\033[H\033[2J", 1},
    {"xterm-mono", "\033[H\033[2J", 0},
    {"xterm-r5", "\033[H\033[2J", 0},
    {"xterm-r6", "\033[H\033[2J", 0},
    {"xterm-vt220", "\033[H\033[2J", 1},
    {"xterm-xfree86", "\033[H\033[2J", 0},
};

static const char usage_text[] = "Usage: clear [options]\n"
                                 "\n"
                                 "Options:\n"
                                 "  -T TERM     use this instead of $TERM\n"
                                 "  -V          print curses-version\n"
                                 "  -x          do not try to clear scrollback\n";

static int usage(struct proc *p)
{
    io_write_all(p, 2, usage_text, sizeof usage_text - 1);
    return 1;
}

int cmd_clear(struct proc *p, int argc, char **argv)
{
    const char *term = NULL;
    bool no_e3 = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'x') {
                no_e3 = true;
            } else if (*c == 'V') {
                static const char v[] = "ncurses 6.4.20221231\n";
                io_write_all(p, 1, v, sizeof v - 1);
                return 0;
            } else if (*c == 'T') {
                if (c[1]) {
                    term = c + 1;
                } else if (i + 1 < argc) {
                    term = argv[++i];
                } else {
                    cmd_error(p, "option requires an argument -- 'T'");
                    return usage(p);
                }
                break;
            } else {
                cmd_error(p, "invalid option -- '%c'", *c);
                return usage(p);
            }
        }
    }
    if (i < argc) return usage(p);
    if (!term) term = proc_getenv(p, "TERM");
    if (!term) {
        static const char m[] = "TERM environment variable not set.\n";
        io_write_all(p, 2, m, sizeof m - 1);
        return 1;
    }
    for (size_t k = 0; k < sizeof terms / sizeof terms[0]; k++) {
        if (strcmp(terms[k].name, term)) continue;
        if (!terms[k].clear) return 1;
        struct obuf out;
        obuf_init(&out, p, 1);
        obuf_puts(&out, terms[k].clear);
        if (terms[k].e3 && !no_e3) obuf_puts(&out, "\033[3J");
        return cmd_close_stdout(p, &out, 0);
    }
    struct sbuf sb;
    sbuf_init(&sb, p);
    sbuf_printf(&sb, "'%s': unknown terminal type.\n", term);
    if (sb.s) io_write_all(p, 2, sb.s, sb.len);
    sbuf_free(&sb);
    return 1;
}
