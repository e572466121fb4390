/* echo.c — display a line of text (coreutils echo: -n -e -E, --help and
 * --version only as the sole argument, POSIXLY_CORRECT rules). */
#include "cmd/cmd.h"

#include <ctype.h>

static const char echo_help[] =
    "Usage: %s [SHORT-OPTION]... [STRING]...\n"
    "  or:  %s LONG-OPTION\n"
    "Echo the STRING(s) to standard output.\n"
    "\n"
    "  -n             do not output the trailing newline\n"
    "  -e             enable interpretation of backslash escapes\n"
    "  -E             disable interpretation of backslash escapes (default)\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "If -e is in effect, the following sequences are recognized:\n"
    "\n"
    "  \\\\      backslash\n"
    "  \\a      alert (BEL)\n"
    "  \\b      backspace\n"
    "  \\c      produce no further output\n"
    "  \\e      escape\n"
    "  \\f      form feed\n"
    "  \\n      new line\n"
    "  \\r      carriage return\n"
    "  \\t      horizontal tab\n"
    "  \\v      vertical tab\n"
    "  \\0NNN   byte with octal value NNN (1 to 3 digits)\n"
    "  \\xHH    byte with hexadecimal value HH (1 to 2 digits)\n"
    "\n"
    "NOTE: your shell may have its own version of echo, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    "NOTE: printf(1) is a preferred alternative,\n"
    "which does not have issues outputting option-like strings.\n"
    "\n"
    COREUTILS_HELP_TAIL("echo", "echo");

static const struct opt_spec spec = {
    .name = "echo", .help = echo_help, .authors = "Brian Fox and Chet Ramey"};

static int hexval(int c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Write s with backslash escapes; false when \c ends all output. */
static bool echo_escaped(struct obuf *out, const char *s)
{
    int c;
    while ((c = (unsigned char)*s++)) {
        if (c == '\\' && *s) {
            switch (c = (unsigned char)*s++) {
            case 'a': c = '\a'; break;
            case 'b': c = '\b'; break;
            case 'c': return false;
            case 'e': c = '\x1b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'v': c = '\v'; break;
            case 'x': {
                unsigned char ch = (unsigned char)*s;
                if (!isxdigit(ch)) {
                    obuf_putc(out, '\\');
                    break;
                }
                s++;
                c = hexval(ch);
                ch = (unsigned char)*s;
                if (isxdigit(ch)) {
                    s++;
                    c = c * 16 + hexval(ch);
                }
                break;
            }
            case '0':
                c = 0;
                if (!('0' <= *s && *s <= '7')) break;
                c = *s++;
                /* fall through */
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
            case '7':
                c -= '0';
                if ('0' <= *s && *s <= '7') c = c * 8 + (*s++ - '0');
                if ('0' <= *s && *s <= '7') c = c * 8 + (*s++ - '0');
                break;
            case '\\': break;
            default: obuf_putc(out, '\\'); break;
            }
        }
        obuf_putc(out, c);
    }
    return true;
}

int cmd_echo(struct proc *p, int argc, char **argv)
{
    bool newline = true, escapes = false;
    bool posix = proc_getenv(p, "POSIXLY_CORRECT") != NULL;
    bool allow_options = !posix || (argc > 1 && strcmp(argv[1], "-n") == 0);

    if (allow_options && argc == 2) {
        struct opt_state o;
        opt_init(&o, p, &spec, argc, argv);
        if (strcmp(argv[1], "--help") == 0) return opt_help(&o);
        if (strcmp(argv[1], "--version") == 0) return opt_version(&o);
    }
    int i = 1;
    if (allow_options) {
        for (; i < argc && argv[i][0] == '-'; i++) {
            const char *t = argv[i] + 1;
            if (!*t || t[strspn(t, "eEn")]) break;
            for (; *t; t++) {
                if (*t == 'e')
                    escapes = true;
                else if (*t == 'E')
                    escapes = false;
                else
                    newline = false;
            }
        }
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    bool go = true;
    for (int first = i; i < argc && go; i++) {
        if (i > first) obuf_putc(&out, ' ');
        if (escapes || posix)
            go = echo_escaped(&out, argv[i]);
        else
            obuf_puts(&out, argv[i]);
    }
    if (go && newline) obuf_putc(&out, '\n');
    return cmd_close_stdout(p, &out, 0);
}
