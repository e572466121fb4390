/* sh/session.c — where the shell meets the outside: vos_exec (a script in
 * the VM's persistent shell session) and the `bash`/`sh` command (a new
 * shell process running a script file, -c string or stdin).
 */
#include "sh/sh.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

/* The session: shell state kept between vos_exec calls, plus what belongs
 * to the process rather than the shell (cwd, umask). */
struct session {
    struct sh *sh;
    vnode cwd;
    mode_t umask;
};

static void session_free(void *s)
{
    struct session *ss = s;
    sh_free(ss->sh);
    if (ss->cwd.fs && ss->cwd.fs->ops->close) ss->cwd.fs->ops->close(ss->cwd.fs, ss->cwd.ino);
    free(ss);
}

struct exec_arg {
    const char *script;
    bool fresh;
};

static int session_main(struct proc *p, int argc, char **argv)
{
    struct exec_arg *a = p->userdata;
    struct vm *vm = p->vm;
    struct session *ss = a->fresh ? NULL : vm->session;
    struct sh *sh;
    if (ss) {
        sh = ss->sh;
        sh->p = p;
        if (ss->cwd.fs) {
            /* Back to where the last exec left off. */
            if (p->cwd.fs && p->cwd.fs->ops->close) p->cwd.fs->ops->close(p->cwd.fs, p->cwd.ino);
            p->cwd = ss->cwd;
            ss->cwd.fs = NULL;
        }
        p->umask = ss->umask;
        sh->rootpid = p->pid;
    } else {
        sh = sh_new(p);
        if (!sh) return 1;
    }
    p->sh = sh;
    sh->jump = J_NONE;
    sh->exit_requested = false;
    sh->exit_status = 0;
    sh->fatal = false;
    sh->status = 0;
    int st = sh_run_source(sh, a->script, strlen(a->script), 1);
    if (sh->jump == J_EXIT || sh->exit_requested) st = sh->exit_status;
    st = sh_exit_shell(sh, st);
    sh->jump = J_NONE;
    sh->exit_requested = false;
    sh->p = NULL;
    p->sh = NULL;
    if (a->fresh) {
        sh_free(sh);
        return st;
    }
    if (!ss) {
        ss = calloc(1, sizeof *ss);
        if (!ss) {
            sh_free(sh);
            return st;
        }
        ss->sh = sh;
        vm->session = ss;
        vm->session_free = session_free;
    }
    /* Keep the cwd (with an open reference, so it stays valid). */
    ss->cwd = p->cwd;
    p->cwd.fs = NULL;
    ss->umask = p->umask;
    return st;
}

int vos_exec(vos_vm *v, const char *script, const vos_exec_opts *o, vos_result *r)
{
    if (!script) return -EINVAL;
    struct exec_arg a = {script, o && o->fresh_session};
    char *argv[] = {"bash", NULL};
    return vm_exec((struct vm *)v, o, r, session_main, 1, argv, &a);
}

/* ---- the bash command ------------------------------------------------------ */

static const char *const bash_usage =
    "Usage:\tbash [GNU long option] [option] ...\n"
    "\tbash [GNU long option] [option] script-file ...\n";

static char *slurp(struct sh *sh, int fd, size_t *len, int *err)
{
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 4096 > cap) buf = xrealloc(buf, cap *= 2);
        ssize_t r = sys_read(sh->p, fd, buf + n, cap - n - 1);
        if (r < 0) {
            free(buf);
            *err = (int)r;
            return NULL;
        }
        if (!r) break;
        n += (size_t)r;
        if (n > sh->lim.string_bytes) {
            free(buf);
            *err = -EFBIG;
            return NULL;
        }
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

int cmd_bash(struct proc *p, int argc, char **argv)
{
    struct sh *sh = sh_new(p);
    if (!sh) return 2;
    p->sh = sh;
    const char *cmd = NULL, *script_name = NULL;
    bool read_stdin = false;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (!strcmp(a, "--vos-script-name") && i + 1 < argc) {
            /* vos FILE: the script text comes with -c, named as a file. */
            script_name = argv[++i];
            continue;
        }
        if (!strcmp(a, "--norc") || !strcmp(a, "--noprofile") || !strcmp(a, "--posix")) {
            if (!strcmp(a, "--posix")) sh->opt[O_POSIX] = true;
            continue;
        }
        if (!strcmp(a, "--version")) {
            sh_printf(sh, 1, "GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)\n");
            sh_free(sh);
            p->sh = NULL;
            return 0;
        }
        if (!strcmp(a, "--help")) {
            sh_printf(sh, 1, "%s", bash_usage);
            sh_free(sh);
            p->sh = NULL;
            return 0;
        }
        if ((a[0] != '-' && a[0] != '+') || !a[1]) break;
        if (a[1] == '-') {
            sh_printf(sh, 2, "%s: %s: invalid option\n%s", argv[0], a, bash_usage);
            sh_free(sh);
            p->sh = NULL;
            return 2;
        }
        bool on = a[0] == '-';
        for (const char *c = a + 1; *c; c++) {
            if (*c == 'c') cmd = "";
            else if (*c == 's') read_stdin = true;
            else if (*c == 'i' || *c == 'l' || *c == 'r') {
            } else if (*c == 'o' && i + 1 < argc) {
                const char *name = argv[++i];
                for (int k = 0; k < O__COUNT; k++)
                    if (!strcmp(sh_opt_names[k], name)) sh->opt[k] = on;
            } else if (*c == 'O' && i + 1 < argc) {
                const char *name = argv[++i];
                for (int k = 0; k < S__COUNT; k++)
                    if (!strcmp(sh_shopt_names[k], name)) sh->shopt[k] = on;
            } else {
                int k = 0;
                while (k < O__COUNT && sh_opt_letters[k] != *c) k++;
                if (k == O__COUNT) {
                    sh_printf(sh, 2, "%s: -%c: invalid option\n%s", argv[0], *c, bash_usage);
                    sh_free(sh);
                    p->sh = NULL;
                    return 2;
                }
                sh->opt[k] = on;
            }
        }
    }
    char *src = NULL;
    size_t len = 0;
    int err = 0;
    if (cmd) {
        if (i >= argc) {
            sh_printf(sh, 2, "%s: -c: option requires an argument\n", argv[0]);
            sh_free(sh);
            p->sh = NULL;
            return 2;
        }
        src = xstrdup(argv[i++]);
        len = strlen(src);
        if (i < argc) {
            free(sh->arg0);
            sh->arg0 = xstrdup(argv[i++]);
        }
        if (script_name) {
            free(sh->script_name);
            sh->script_name = xstrdup(script_name);
            sh->src_kind = SRC_FILE;
        }
    } else if (i < argc && !read_stdin) {
        /* A script file: $0 is its name, messages say "name: line N:". */
        const char *file = argv[i++];
        int fd = sys_open(p, file, O_RDONLY, 0);
        if (fd < 0) {
            sh_printf(sh, 2, "%s: %s: %s\n", argv[0], file, vos_strerror(fd));
            sh_free(sh);
            p->sh = NULL;
            return 127;
        }
        src = slurp(sh, fd, &len, &err);
        sys_close(p, fd);
        free(sh->arg0);
        sh->arg0 = xstrdup(file);
        free(sh->script_name);
        sh->script_name = xstrdup(file);
        sh->src_kind = SRC_FILE;
    } else {
        src = slurp(sh, 0, &len, &err);
        sh->src_kind = SRC_STDIN;
    }
    if (!src) {
        sh_printf(sh, 2, "%s: %s\n", argv[0], vos_strerror(err));
        sh_free(sh);
        p->sh = NULL;
        return 2;
    }
    if (i < argc) {
        sh->argc = argc - i;
        sh->argv = xmalloc(((size_t)sh->argc + 1) * sizeof *sh->argv);
        for (int k = 0; k < sh->argc; k++) sh->argv[k] = xstrdup(argv[i + k]);
        sh->argv[sh->argc] = NULL;
    }
    int st = sh_run_source(sh, src, len, 1);
    if (sh->jump == J_EXIT || sh->exit_requested) st = sh->exit_status;
    st = sh_exit_shell(sh, st);
    free(src);
    sh_free(sh);
    p->sh = NULL;
    return st;
}
