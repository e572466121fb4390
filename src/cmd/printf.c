/* printf.c — format and print data (coreutils printf): the format engine
 * is lib/printf.c, shared with the shell's printf builtin. */
#include "cmd/cmd.h"
#include "lib/printf.h"

#include <stdlib.h>

static const char printf_help[] =
    "Usage: %s FORMAT [ARGUMENT]...\n"
    "  or:  %s OPTION\n"
    "Print ARGUMENT(s) according to FORMAT, or execute according to OPTION:\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "FORMAT controls the output as in C printf.  Interpreted sequences are:\n"
    "\n"
    "  \\\"      double quote\n"
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
    "  \\NNN    byte with octal value NNN (1 to 3 digits)\n"
    "  \\xHH    byte with hexadecimal value HH (1 to 2 digits)\n"
    "  \\uHHHH  Unicode (ISO/IEC 10646) character with hex value HHHH (4 digits)\n"
    "  \\UHHHHHHHH  Unicode character with hex value HHHHHHHH (8 digits)\n"
    "  %%%%      a single %%\n"
    "  %%b      ARGUMENT as a string with '\\' escapes interpreted,\n"
    "          except that octal escapes are of the form \\0 or \\0NNN\n"
    "  %%q      ARGUMENT is printed in a format that can be reused as shell input,\n"
    "          escaping non-printable characters with the proposed POSIX $'' syntax.\n"
    "\n"
    "and all C format specifications ending with one of diouxXfeEgGcs, with\n"
    "ARGUMENTs converted to proper type first.  Variable widths are handled.\n"
    "\n"
    "NOTE: your shell may have its own version of printf, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    COREUTILS_HELP_TAIL("printf", "printf");

static const struct opt_spec spec = {
    .name = "printf", .help = printf_help, .authors = "David MacKenzie"};

static void printf_error(void *ud, const char *msg)
{
    cmd_error(ud, "%s", msg);
}

static int printf_flush(void *ud, const void *buf, size_t n)
{
    return io_write_all(ud, 1, buf, n);
}

int cmd_printf(struct proc *p, int argc, char **argv)
{
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    if (argc == 2) {
        if (!strcmp(argv[1], "--help")) return opt_help(&o);
        if (!strcmp(argv[1], "--version")) return opt_version(&o);
    }
    if (argc > 1 && !strcmp(argv[1], "--")) {
        argc--;
        argv++;
    }
    if (argc < 2) {
        return opt_usage_error(&o, "missing operand");
    }
    struct pf_ctx c = {
        .dialect = PF_COREUTILS,
        .p = p,
        .out = {.flush = printf_flush, .ud = p, .max = 64u << 20},
        .utf8 = cmd_utf8_locale(p),
        .error = printf_error,
        .ud = p,
    };
    int status = pf_run(&c, argv[1], argc - 2, argv + 2);
    pf_out_flush(&c.out);
    if (c.stopped) status = 0; /* \c exits at once, successfully */
    if (c.out.err == -EFBIG) {
        cmd_error(p, "output exceeds the size limit (%zu bytes)", c.out.max);
        status = 1;
    } else if (c.out.err && c.out.err != -EPIPE) {
        cmd_errno(p, c.out.err, "write error");
        status = 1;
    }
    pf_out_free(&c.out);
    return status;
}
