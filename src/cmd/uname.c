/* uname.c — print the VM's identity: Linux, the node name from the VM's
 * /etc/hostname, release 6.1.0-vos, x86_64, GNU/Linux (-a -s -n -r -v -m
 * -p -i -o). The processor and hardware platform are "unknown" as on
 * Debian. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <stdio.h>

static const char uname_help[] =
    "Usage: %s [OPTION]...\n"
    "Print certain system information.  With no OPTION, same as -s.\n"
    "\n"
    "  -a, --all                print all information, in the following order,\n"
    "                             except omit -p and -i if unknown:\n"
    "  -s, --kernel-name        print the kernel name\n"
    "  -n, --nodename           print the network node hostname\n"
    "  -r, --kernel-release     print the kernel release\n"
    "  -v, --kernel-version     print the kernel version\n"
    "  -m, --machine            print the machine hardware name\n"
    "  -p, --processor          print the processor type (non-portable)\n"
    "  -i, --hardware-platform  print the hardware platform (non-portable)\n"
    "  -o, --operating-system   print the operating system\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("uname", "uname");

static const struct opt_long longs[] = {{"all", OPT_NOARG, 'a'},
                                        {"kernel-name", OPT_NOARG, 's'},
                                        {"sysname", OPT_NOARG, 's'},
                                        {"nodename", OPT_NOARG, 'n'},
                                        {"kernel-release", OPT_NOARG, 'r'},
                                        {"release", OPT_NOARG, 'r'},
                                        {"kernel-version", OPT_NOARG, 'v'},
                                        {"machine", OPT_NOARG, 'm'},
                                        {"processor", OPT_NOARG, 'p'},
                                        {"hardware-platform", OPT_NOARG, 'i'},
                                        {"operating-system", OPT_NOARG, 'o'},
                                        {0}};
static const struct opt_spec spec = {.name = "uname",
                                     .shorts = "asnrvmpio",
                                     .longs = longs,
                                     .help = uname_help,
                                     .authors = "David MacKenzie"};

/* The VM's host name: /etc/hostname's first line, else the VM's name. */
int vos_hostname(struct proc *p, char *buf, size_t n);
int vos_hostname(struct proc *p, char *buf, size_t n)
{
    int fd = sys_open(p, "/etc/hostname", O_RDONLY, 0);
    ssize_t r = fd >= 0 ? sys_read(p, fd, buf, n - 1) : -1;
    if (fd >= 0) sys_close(p, fd);
    if (r > 0) {
        buf[r] = 0;
        buf[strcspn(buf, "\n")] = 0;
        if (buf[0]) return 0;
    }
    snprintf(buf, n, "%s", p->vm->hostname ? p->vm->hostname : "vos");
    return 0;
}

enum { S = 1, N = 2, R = 4, V = 8, M = 16, P = 32, I = 64, O = 128 };

int cmd_uname(struct proc *p, int argc, char **argv)
{
    unsigned what = 0;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'a': what |= S | N | R | V | M | O; break; /* -p -i omitted: unknown */
        case 's': what |= S; break;
        case 'n': what |= N; break;
        case 'r': what |= R; break;
        case 'v': what |= V; break;
        case 'm': what |= M; break;
        case 'p': what |= P; break;
        case 'i': what |= I; break;
        case 'o': what |= O; break;
        case OPT_EXIT: return o.status;
        }
    }
    if (o.ind < argc) {
        cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind]));
        return opt_usage_error(&o, NULL);
    }
    if (!what) what = S;
    char host[256];
    vos_hostname(p, host, sizeof host);
    const char *parts[] = {"Linux",  host,      "6.1.0-vos", "#1 SMP PREEMPT_DYNAMIC vos",
                           "x86_64", "unknown", "unknown",   "GNU/Linux"};
    struct obuf out;
    obuf_init(&out, p, 1);
    bool first = true;
    for (int i = 0; i < 8; i++)
        if (what & (1u << i)) {
            if (!first) obuf_putc(&out, ' ');
            obuf_puts(&out, parts[i]);
            first = false;
        }
    obuf_putc(&out, '\n');
    return cmd_close_stdout(p, &out, 0);
}
