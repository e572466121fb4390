/* path.c — PATH lookup for commands that run other commands (env, xargs,
 * nice, timeout...), with execvp's rules, through the kernel's stat/access. */
#include "lib/path.h"
#include "kernel/kernel.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int path_search(struct proc *p, const char *name, const char *path, char *out, size_t n)
{
    if (!*name) return -ENOENT;
    if (strchr(name, '/')) {
        if (strlen(name) >= n) return -ENAMETOOLONG;
        strcpy(out, name);
        return 0;
    }
    if (!path) path = proc_getenv(p, "PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    int err = -ENOENT;
    size_t nlen = strlen(name);
    for (const char *d = path;;) {
        const char *colon = strchrnul(d, ':');
        size_t dlen = (size_t)(colon - d);
        if (dlen + 2 + nlen + 1 > n) {
            err = -ENAMETOOLONG;
        } else {
            if (dlen) {
                memcpy(out, d, dlen);
                out[dlen] = '/';
                memcpy(out + dlen + 1, name, nlen + 1);
            } else {
                memcpy(out, "./", 2);
                memcpy(out + 2, name, nlen + 1);
            }
            struct stat st;
            if (sys_stat(p, out, &st) == 0) {
                if (S_ISREG(st.st_mode) && sys_access(p, out, X_OK) == 0) return 0;
                err = -EACCES;
            }
        }
        if (!*colon) break;
        d = colon + 1;
    }
    return err;
}
