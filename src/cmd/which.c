/* which.c — locate commands on PATH (debianutils' which): -a for every
 * match; status 0 when all were found, 1 otherwise, 2 on a bad option. */
#include "cmd/cmd.h"

#include <sys/stat.h>
#include <unistd.h>

static bool executable(struct proc *p, const char *path)
{
    struct stat st;
    return sys_stat(p, path, &st) == 0 && S_ISREG(st.st_mode) && sys_access(p, path, X_OK) == 0;
}

int cmd_which(struct proc *p, int argc, char **argv)
{
    bool all = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *c = argv[i] + 1; *c; c++) {
            if (*c == 'a') {
                all = true;
                continue;
            }
            struct sbuf sb;
            sbuf_init(&sb, p);
            sbuf_printf(&sb, "Illegal option -%c\n", *c);
            if (sb.s) io_write_all(p, 2, sb.s, sb.len);
            sbuf_free(&sb);
            const char *u = "Usage: /usr/bin/which [-a] args\n";
            io_write_all(p, 1, u, strlen(u));
            return 2;
        }
    }
    int status = i >= argc ? 1 : 0;
    const char *path = proc_getenv(p, "PATH");
    if (!path) path = "";
    struct obuf out;
    obuf_init(&out, p, 1);
    struct sbuf cand;
    sbuf_init(&cand, p);
    for (; i < argc; i++) {
        const char *prog = argv[i];
        bool found = false;
        if (strchr(prog, '/')) {
            if (executable(p, prog)) {
                obuf_printf(&out, "%s\n", prog);
                found = true;
            }
        } else {
            /* The shell splits PATH on ':'; a trailing ':' adds "." . */
            const char *s = path;
            for (;;) {
                const char *e = strchr(s, ':');
                size_t n = e ? (size_t)(e - s) : strlen(s);
                if (!e && n == 0 && s != path && s[-1] != ':') break;
                cand.len = 0;
                if (n == 0)
                    sbuf_add(&cand, ".", 1);
                else
                    sbuf_add(&cand, s, n);
                sbuf_addc(&cand, '/');
                sbuf_add(&cand, prog, strlen(prog));
                if (cand.oom) break;
                if (executable(p, cand.s)) {
                    obuf_printf(&out, "%s\n", cand.s);
                    found = true;
                    if (!all) break;
                }
                if (!e) break;
                s = e + 1;
            }
        }
        if (!found) status = 1;
    }
    sbuf_free(&cand);
    return cmd_close_stdout(p, &out, status);
}
