/* hostname.c — show or set the VM's host name (Debian hostname 3.23). The
 * name lives in the VM's /etc/hostname; -s -f -d derive from it (no DNS in
 * the VM), -i gives the loopback address, -I the VM's addresses (none),
 * -a -A no aliases. Setting (NAME, -F FILE, -b) needs root. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <stdio.h>

static const char usage_text[] =
    "Usage: hostname [-b] {hostname|-F file}         set host name (from file)\n"
    "       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name\n"
    "       hostname                                 display host name\n"
    "\n"
    "       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)\n"
    "       {yp,nis,}domainname                      display NIS domain name\n"
    "\n"
    "       dnsdomainname                            display dns domain name\n"
    "\n"
    "       hostname -V|--version|-h|--help          print info and exit\n"
    "\n"
    "Program name:\n"
    "       {yp,nis,}domainname=hostname -y\n"
    "       dnsdomainname=hostname -d\n"
    "\n"
    "Program options:\n"
    "    -a, --alias            alias names\n"
    "    -A, --all-fqdns        all long host names (FQDNs)\n"
    "    -b, --boot             set default hostname if none available\n"
    "    -d, --domain           DNS domain name\n"
    "    -f, --fqdn, --long     long host name (FQDN)\n"
    "    -F, --file             read host name or NIS domain name from given file\n"
    "    -i, --ip-address       addresses for the host name\n"
    "    -I, --all-ip-addresses all addresses for the host\n"
    "    -s, --short            short host name\n"
    "    -y, --yp, --nis        NIS/YP domain name\n"
    "\n"
    "Description:\n"
    "   This command can get or set the host name or the NIS domain name. You can\n"
    "   also get the DNS domain or the FQDN (fully qualified domain name).\n"
    "   Unless you are using bind or NIS for host lookups you can change the\n"
    "   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is\n"
    "   part of the FQDN) in the /etc/hosts file.\n";

static const struct opt_long longs[] = {{"alias", OPT_NOARG, 'a'},
                                        {"all-fqdns", OPT_NOARG, 'A'},
                                        {"boot", OPT_NOARG, 'b'},
                                        {"domain", OPT_NOARG, 'd'},
                                        {"fqdn", OPT_NOARG, 'f'},
                                        {"long", OPT_NOARG, 'f'},
                                        {"file", OPT_ARG, 'F'},
                                        {"ip-address", OPT_NOARG, 'i'},
                                        {"all-ip-addresses", OPT_NOARG, 'I'},
                                        {"short", OPT_NOARG, 's'},
                                        {"yp", OPT_NOARG, 'y'},
                                        {"nis", OPT_NOARG, 'y'},
                                        {"help", OPT_NOARG, 'h'},
                                        {"version", OPT_NOARG, 'V'},
                                        {0}};
static const struct opt_spec spec = {.name = "hostname",
                                     .shorts = "aAbdfF:hiIsVy",
                                     .longs = longs,
                                     .try_text = "",
                                     .err_status = 255,
                                     .flags = OPT_NO_HELP};

int vos_hostname(struct proc *p, char *buf, size_t n); /* uname.c */

static int usage(struct proc *p, int fd)
{
    io_write_all(p, fd, usage_text, sizeof usage_text - 1);
    return 255;
}

int cmd_hostname(struct proc *p, int argc, char **argv)
{
    int what = 0;
    const char *file = NULL;
    bool boot = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'h': return usage(p, 1);
        case 'V': {
            static const char v[] = "hostname 3.23\n";
            io_write_all(p, 1, v, sizeof v - 1);
            return 0;
        }
        case 'F': file = o.arg; break;
        case 'b': boot = true; break;
        case OPT_EXIT: return usage(p, 1);
        default: what = c;
        }
    }
    if (argc - o.ind > 1) return usage(p, 2);
    if (o.ind < argc || file || boot) {
        if (p->uid != 0) {
            cmd_error(p, "you must be root to change the host name");
            return 1;
        }
        char name[256];
        if (file) {
            int fd = sys_open(p, file, O_RDONLY, 0);
            if (fd < 0) {
                cmd_errno(p, fd, "%s", file);
                return 1;
            }
            ssize_t r = sys_read(p, fd, name, sizeof name - 1);
            sys_close(p, fd);
            name[r > 0 ? r : 0] = 0;
            name[strcspn(name, "\n")] = 0;
        } else if (o.ind < argc) {
            snprintf(name, sizeof name, "%s", argv[o.ind]);
        } else {
            vos_hostname(p, name, sizeof name);
            if (!*name) snprintf(name, sizeof name, "localhost");
        }
        if (strlen(name) > 64 || !*name) {
            cmd_error(p, "name too long");
            return 1;
        }
        int fd = sys_open(p, "/etc/hostname", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            cmd_errno(p, fd, "/etc/hostname");
            return 1;
        }
        size_t n = strlen(name);
        name[n] = '\n';
        io_write_all(p, fd, name, n + 1);
        sys_close(p, fd);
        return 0;
    }
    char host[256];
    vos_hostname(p, host, sizeof host);
    struct obuf out;
    obuf_init(&out, p, 1);
    char *dot = strchr(host, '.');
    switch (what) {
    case 'y': /* net-tools prints this on stdout */
        obuf_printf(&out, "%s: Local domain name not set\n", cmd_prog(p));
        return cmd_close_stdout(p, &out, 1);
    case 's':
        if (dot) *dot = 0;
        obuf_printf(&out, "%s\n", host);
        break;
    case 'd':
        if (dot) obuf_printf(&out, "%s\n", dot + 1);
        break;
    case 'a':
    case 'A':
    case 'I': obuf_puts(&out, "\n"); break;
    case 'i': obuf_puts(&out, "127.0.0.1\n"); break;
    default: obuf_printf(&out, "%s\n", host);
    }
    return cmd_close_stdout(p, &out, 0);
}
