/* kill.c — the kill command (procps-ng 4.0.2): send a signal to processes
 * of the VM (-s SIG, -SIG, --signal), list signal names (-l [SIG],
 * --list[=SIG]) or a table (-L); pids are VM pids, negative for process
 * groups, -1 for every process but this one. -q VALUE is accepted (the
 * VM's signals carry no value). */
#include "cmd/cmd.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

static const char *const signames[] = {
    NULL,   "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1",
    "SEGV", "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "POLL", "PWR",  "SYS"};
#define NSIG_NAMES 31

static const char usage_text[] =
    "\n"
    "Usage:\n"
    " %s [options] <pid> [...]\n"
    "\n"
    "Options:\n"
    " <pid> [...]            send signal to every <pid> listed\n"
    " -<signal>, -s, --signal <signal>\n"
    "                        specify the <signal> to be sent\n"
    " -q, --queue <value>    integer value to be sent with the signal\n"
    " -l, --list=[<signal>]  list all signal names, or convert one to a name\n"
    " -L, --table            list all signal names in a nice table\n"
    "\n"
    " -h, --help     display this help and exit\n"
    " -V, --version  output version information and exit\n"
    "\n"
    "For more details see kill(1).\n";

/* procps signal_name_to_number: a number, or a name with or without SIG
 * (any case, with aliases); -1 if unknown. */
static int sig_number(const char *s)
{
    char *end;
    if (isdigit((unsigned char)*s)) {
        long v = strtol(s, &end, 10);
        return *end || v < 0 || v > 64 ? -1 : (int)v;
    }
    if (!strncasecmp(s, "SIG", 3)) s += 3;
    for (int i = 1; i <= NSIG_NAMES; i++)
        if (!strcasecmp(s, signames[i])) return i;
    if (!strcasecmp(s, "IOT")) return SIGABRT;
    if (!strcasecmp(s, "CLD")) return SIGCHLD;
    if (!strcasecmp(s, "IO")) return SIGIO;
    if (!strcasecmp(s, "RTMIN")) return 34;
    if (!strcasecmp(s, "RTMAX")) return 64;
    if (!strncasecmp(s, "RTMIN+", 6) || !strncasecmp(s, "RTMAX-", 6)) {
        long v = strtol(s + 6, &end, 10);
        if (*end || end == s + 6 || v < 0 || v > 30) return -1;
        return s[5] == '+' ? 34 + (int)v : 64 - (int)v;
    }
    return -1;
}

static void usage(struct proc *p, int fd)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
    const char *prog = cmd_prog(p), *slash = strrchr(prog, '/');
    sbuf_printf(&sb, usage_text, slash ? slash + 1 : prog);
    if (sb.s) io_write_all(p, fd, sb.s, sb.len);
    sbuf_free(&sb);
}

static void print_list(struct obuf *o)
{
    int pos = 0;
    for (int i = 1; i <= NSIG_NAMES; i++) {
        if (i > 1) {
            if (pos > 73) {
                obuf_putc(o, '\n');
                pos = 0;
            } else {
                obuf_putc(o, ' ');
                pos++;
            }
        }
        obuf_puts(o, signames[i]);
        pos += (int)strlen(signames[i]);
    }
    obuf_putc(o, '\n');
}

static void print_table(struct obuf *o)
{
    int i;
    for (i = 1; i <= NSIG_NAMES; i++) {
        char cell[32];
        int n = snprintf(cell, sizeof cell, "%2d %s", i, signames[i]);
        obuf_puts(o, cell);
        if (i % 7)
            obuf_printf(o, "%*s", 11 - n > 0 ? 11 - n : 0, "");
        else
            obuf_putc(o, '\n');
    }
    if ((i - 1) % 7) obuf_putc(o, '\n');
}

/* -l with an argument: a name for a number, a number for a name. */
static int list_one(struct proc *p, struct obuf *o, const char *arg)
{
    int sig = sig_number(arg);
    if (sig <= 0 || sig > NSIG_NAMES) {
        cmd_error(p, "unknown signal name %s", arg);
        return 0;
    }
    if (isdigit((unsigned char)*arg))
        obuf_printf(o, "%s\n", signames[sig]);
    else
        obuf_printf(o, "%d\n", sig);
    return 0;
}

int cmd_kill(struct proc *p, int argc, char **argv)
{
    int sig = SIGTERM;
    int i = 1;
    struct obuf out;
    obuf_init(&out, p, 1);
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) break;
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (!strcmp(a, "-l") || !strncmp(a, "--list", 6)) {
            const char *arg = NULL;
            if (!strncmp(a, "--list=", 7))
                arg = a + 7;
            else if (i + 1 < argc)
                arg = argv[i + 1];
            if (arg && arg[0] == '-') arg = NULL;
            if (arg)
                list_one(p, &out, arg);
            else
                print_list(&out);
            return cmd_close_stdout(p, &out, 0);
        }
        if (!strcmp(a, "-L") || !strcmp(a, "--table")) {
            print_table(&out);
            return cmd_close_stdout(p, &out, 0);
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            obuf_free(&out);
            usage(p, 1);
            return 0;
        }
        if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            obuf_puts(&out, "kill from procps-ng 4.0.2\n");
            return cmd_close_stdout(p, &out, 0);
        }
        if (!strncmp(a, "--signal=", 9)) {
            sig = sig_number(a + 9);
            continue;
        }
        if (!strcmp(a, "-s") || !strcmp(a, "--signal") || !strcmp(a, "-q") ||
            !strcmp(a, "--queue")) {
            if (i + 1 >= argc) {
                cmd_error(p, "invalid argument %c", a[1] == '-' ? a[2] : a[1]);
                usage(p, 2);
                obuf_free(&out);
                return 1;
            }
            if (a[1] == 's' || a[2] == 's') sig = sig_number(argv[i + 1]);
            i++;
            continue;
        }
        if (isdigit((unsigned char)a[1]) || isalpha((unsigned char)a[1])) {
            int s = sig_number(a + 1);
            if (s < 0) {
                cmd_error(p, "invalid argument %c", a[1]);
                usage(p, 2);
                obuf_free(&out);
                return 1;
            }
            sig = s;
            continue;
        }
        break;
    }
    obuf_free(&out);
    if (i >= argc) {
        usage(p, 2);
        return 1;
    }
    int status = 0;
    for (; i < argc; i++) {
        char *end;
        errno = 0;
        long pid = strtol(argv[i], &end, 10);
        if (!*argv[i] || *end || errno || pid > 0x7fffffff || pid < -0x7fffffff) {
            cmd_error(p, "failed to parse argument: '%s'", argv[i]);
            return 1;
        }
        int r = sys_kill(p, (int)pid, sig < 0 ? 0 : sig);
        if (r == 0 && sig < 0) r = -EINVAL;
        if (r < 0) {
            cmd_errno(p, r, "(%ld)", pid);
            status = 1;
        }
    }
    return status;
}
