/* proc.c — virtual processes: the process table, start and exit, threads,
 * wait, signals and their delivery at cancellation points, environments,
 * and exec of a VM path (native command marker or #! script).
 */
#include "kernel/kernel.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define SIGBIT(s) (1ull << ((s) - 1))

static char **strv_dup(char *const *v, int *count)
{
    int n = 0;
    while (v && v[n]) n++;
    char **r = calloc((size_t)n + 1, sizeof *r);
    if (!r) return NULL;
    for (int i = 0; i < n; i++) {
        if (!(r[i] = strdup(v[i]))) {
            while (i--) free(r[i]);
            free(r);
            return NULL;
        }
    }
    if (count) *count = n;
    return r;
}

static void strv_free(char **v)
{
    if (!v) return;
    for (char **s = v; *s; s++) free(*s);
    free(v);
}

/* ---- the table ----------------------------------------------------------- */

struct proc *proc_find(struct vm *vm, int pid)
{
    for (int i = 0; i < vm->nprocs; i++)
        if (vm->procs[i]->pid == pid) return vm->procs[i];
    return NULL;
}

static int table_add(struct vm *vm, struct proc *p)
{
    if (vm->nprocs == vm->cap_procs) {
        int cap = vm->cap_procs ? vm->cap_procs * 2 : 8;
        struct proc **np = realloc(vm->procs, (size_t)cap * sizeof *np);
        if (!np) return -ENOMEM;
        vm->procs = np;
        vm->cap_procs = cap;
    }
    do {
        if (++vm->next_pid > 4194304) vm->next_pid = 2;
    } while (proc_find(vm, vm->next_pid));
    p->pid = vm->next_pid;
    vm->procs[vm->nprocs++] = p;
    return 0;
}

static void table_remove(struct vm *vm, struct proc *p)
{
    for (int i = 0; i < vm->nprocs; i++) {
        if (vm->procs[i] != p) continue;
        vm->procs[i] = vm->procs[--vm->nprocs];
        return;
    }
}

static void proc_destroy(struct proc *p)
{
    for (int i = 0; i < p->nfds; i++) file_unref(p->fds[i].f);
    free(p->fds);
    p_free_all(p);
    strv_free(p->env);
    strv_free(p->argv);
    if (p->exec) exec_unref(p->exec);
    if (p->cwd.fs && p->cwd.fs->ops->close) p->cwd.fs->ops->close(p->cwd.fs, p->cwd.ino);
    free(p);
}

struct proc *proc_new(struct vm *vm, struct proc *parent)
{
    uint64_t lim = vm->limits.processes;
    if (lim && (uint64_t)vm->live_procs >= lim) return NULL;
    struct proc *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->vm = vm;
    p->state = P_EMBRYO;
    p->start_ns = now_ns();
    if (parent) {
        p->ppid = parent->pid;
        p->pgid = parent->pgid;
        p->cwd = parent->cwd;
        p->umask = parent->umask;
        p->uid = parent->uid;
        p->gid = parent->gid;
        p->sig_ignored = parent->sig_ignored;
        p->env = strv_dup(parent->env, NULL);
        if ((p->exec = parent->exec)) p->exec->refs++;
        if (parent->nfds) {
            p->fds = calloc((size_t)parent->nfds, sizeof *p->fds);
            if (p->fds) {
                p->nfds = parent->nfds;
                for (int i = 0; i < parent->nfds; i++) {
                    p->fds[i].f = file_ref(parent->fds[i].f);
                    p->fds[i].cloexec = parent->fds[i].cloexec;
                }
            }
        }
    } else {
        p->cwd = vm->cwd;
        p->umask = 022;
        p->uid = vm->uid;
        p->gid = vm->gid;
        p->env = strv_dup(vm->env, NULL);
    }
    if (p->cwd.fs && p->cwd.fs->ops->open) p->cwd.fs->ops->open(p->cwd.fs, p->cwd.ino);
    if (!p->env || (parent && parent->nfds && !p->fds) || table_add(vm, p) < 0) {
        proc_destroy(p);
        return NULL;
    }
    if (!parent) p->pgid = p->pid;
    vm->live_procs++;
    return p;
}

static void reap(struct proc *p)
{
    table_remove(p->vm, p);
    proc_destroy(p);
}

void proc_reap(struct proc *p)
{
    reap(p);
}

void proc_discard(struct proc *p)
{
    p->vm->live_procs--;
    reap(p);
}

/* The process has returned from its main: close everything, become a
 * zombie for the parent (or go at once when nobody will wait), hand the
 * children to nobody. */
static void proc_exit(struct proc *p, int code)
{
    struct vm *vm = p->vm;
    for (int i = 0; i < p->nfds; i++) {
        file_unref(p->fds[i].f);
        p->fds[i].f = NULL;
    }
    p_free_all(p);
    p->status = p->killed ? (p->killed & 0x7f) : ((code & 0xff) << 8);
    p->state = P_ZOMBIE;
    vm->live_procs--;
    for (int i = 0; i < vm->nprocs; i++) {
        struct proc *c = vm->procs[i];
        if (c->ppid != p->pid || c == p) continue;
        c->ppid = 0;
        if (c->state == P_ZOMBIE) {
            reap(c);
            i--;
        }
    }
    if (p->exec) {
        exec_unref(p->exec);
        p->exec = NULL;
    }
    struct proc *parent = p->ppid ? proc_find(vm, p->ppid) : NULL;
    if (parent) parent->sig_pending |= SIGBIT(SIGCHLD);
    vm_notify(vm);
    if (p->reaped_by_nobody || (p->ppid && !parent)) reap(p);
}

static int run_main(struct proc *p)
{
    if (p->binding) return p->binding((vos_proc *)p, p->argc, p->argv, p->userdata);
    return p->main(p, p->argc, p->argv);
}

static void run_async(struct proc *p)
{
    struct vm *vm = p->vm;
    vm_lock(vm);
    int code = run_main(p);
    proc_exit(p, code);
    vm->threads--;
    vm_notify(vm);
    vm_unlock(vm);
}

/* Host threads for asynchronous processes come from a process-wide pool:
 * a pipeline stage then costs a hand-over, not a thread creation. Idle
 * threads end after a few seconds without work. */
static struct {
    pthread_mutex_t m;
    pthread_cond_t c;
    struct proc *head, **tail;
    int idle, total, pending; /* pending: queued jobs not yet taken */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, &pool.head, 0, 0, 0};

static void *pool_worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&pool.m);
    for (;;) {
        while (!pool.head) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 5;
            pool.idle++;
            int r = pthread_cond_timedwait(&pool.c, &pool.m, &ts);
            pool.idle--;
            if (r && !pool.head) {
                pool.total--;
                pthread_mutex_unlock(&pool.m);
                return NULL;
            }
        }
        struct proc *p = pool.head;
        pool.head = p->pool_next;
        if (!pool.head) pool.tail = &pool.head;
        pool.pending--;
        pthread_mutex_unlock(&pool.m);
        run_async(p);
        pthread_mutex_lock(&pool.m);
    }
}

static int pool_submit(struct proc *p)
{
    pthread_mutex_lock(&pool.m);
    p->pool_next = NULL;
    *pool.tail = p;
    pool.tail = &p->pool_next;
    pool.pending++;
    int r = 0;
    /* Every queued job needs a waiting worker of its own, or a new one. */
    if (pool.idle >= pool.pending) {
        pthread_cond_signal(&pool.c);
    } else {
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&at, 8u << 20);
        pthread_t t;
        r = pthread_create(&t, &at, pool_worker, NULL);
        pthread_attr_destroy(&at);
        if (r) {
            /* Take the job back out of the queue. */
            struct proc **pp = &pool.head;
            while (*pp != p) pp = &(*pp)->pool_next;
            *pp = NULL;
            pool.tail = pp;
            pool.pending--;
        } else pool.total++;
    }
    pthread_mutex_unlock(&pool.m);
    return r ? -EAGAIN : 0;
}

int proc_start(struct proc *p, proc_main_fn main, int argc, char *const argv[], bool async)
{
    char **av = strv_dup(argv, NULL);
    if (!av) return -ENOMEM;
    strv_free(p->argv);
    p->argv = av;
    p->argc = argc;
    if (main) p->main = main;
    p->state = P_RUNNING;
    if (!async) {
        proc_exit(p, run_main(p));
        return 0;
    }
    p->vm->threads++;
    if (pool_submit(p) < 0) {
        p->vm->threads--;
        p->state = P_EMBRYO;
        return -EAGAIN;
    }
    p->has_thread = true;
    return 0;
}

/* ---- signals ------------------------------------------------------------- */

void proc_kill(struct proc *p, int sig)
{
    if (p->killed || p->state == P_ZOMBIE) return;
    p->killed = sig;
    vm_notify(p->vm);
}

static bool default_ignored(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

int proc_check(struct proc *p)
{
    struct vm *vm = p->vm;
    if (vm->dying) proc_kill(p, SIGKILL);
    if (p->exec && p->exec->deadline && !p->killed && now_ns() >= p->exec->deadline) {
        p->exec->timed_out = true;
        proc_kill(p, SIGKILL);
    }
    bool interrupted = false;
    while (p->sig_pending && !p->killed) {
        int sig = __builtin_ctzll(p->sig_pending) + 1;
        p->sig_pending &= ~SIGBIT(sig);
        if (sig == SIGKILL) proc_kill(p, sig);
        else if (p->sig_caught_mask & SIGBIT(sig)) {
            p->sig_caught |= SIGBIT(sig);
            interrupted = true;
        } else if (!(p->sig_ignored & SIGBIT(sig)) && !default_ignored(sig))
            proc_kill(p, sig);
    }
    if (p->killed || interrupted) return -EINTR;
    vm_yield(vm);
    return 0;
}

static void deliver(struct proc *t, int sig)
{
    if (t->state == P_ZOMBIE || !sig) return;
    if (sig == SIGKILL) proc_kill(t, SIGKILL);
    else t->sig_pending |= SIGBIT(sig);
    vm_notify(t->vm);
}

int sys_kill(struct proc *p, int pid, int sig)
{
    if (sig < 0 || sig > 64) return -EINVAL;
    struct vm *vm = p->vm;
    if (pid > 0) {
        struct proc *t = proc_find(vm, pid);
        if (!t || t->state == P_ZOMBIE) return -ESRCH;
        deliver(t, sig);
        return 0;
    }
    int pg = pid == 0 ? p->pgid : -pid;
    int hit = 0;
    for (int i = 0; i < vm->nprocs; i++) {
        struct proc *t = vm->procs[i];
        if (t->state == P_ZOMBIE || (pid != -1 && t->pgid != pg) || (pid == -1 && t == p))
            continue;
        deliver(t, sig);
        hit++;
    }
    return hit ? 0 : -ESRCH;
}

int sys_setpgid(struct proc *p, int pid, int pgid)
{
    struct proc *t = pid ? proc_find(p->vm, pid) : p;
    if (!t || (t != p && t->ppid != p->pid)) return -ESRCH;
    if (pgid < 0) return -EINVAL;
    t->pgid = pgid ? pgid : t->pid;
    return 0;
}

int sys_waitpid(struct proc *p, int pid, int *status, int options)
{
    struct vm *vm = p->vm;
    for (;;) {
        /* The cancellation point comes first: it may yield the lock, and
         * nothing may run between the scan and the wait. */
        if (!(options & WNOHANG)) {
            int r = proc_check(p);
            if (r < 0) return r;
        }
        bool any = false;
        for (int i = 0; i < vm->nprocs; i++) {
            struct proc *c = vm->procs[i];
            if (c->ppid != p->pid || c == p) continue;
            if (pid > 0 && c->pid != pid) continue;
            if (pid == 0 && c->pgid != p->pgid) continue;
            if (pid < -1 && c->pgid != -pid) continue;
            any = true;
            if (c->state != P_ZOMBIE) continue;
            int cpid = c->pid;
            if (status) *status = c->status;
            reap(c);
            return cpid;
        }
        if (!any) return -ECHILD;
        if (options & WNOHANG) return 0;
        vm_wait(vm, p->exec ? p->exec->deadline : 0);
    }
}

int sys_nanosleep(struct proc *p, const struct timespec *ts)
{
    if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000) return -EINVAL;
    uint64_t now = now_ns();
    uint64_t d = (uint64_t)ts->tv_sec > (UINT64_MAX - now) / 1000000000ull - 1
                     ? UINT64_MAX
                     : now + (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
    for (;;) {
        int r = proc_check(p);
        if (r < 0) return r;
        uint64_t t = now_ns();
        if (t >= d) return 0;
        uint64_t until = d;
        if (p->exec && p->exec->deadline && p->exec->deadline < until) until = p->exec->deadline;
        vm_wait(p->vm, until);
    }
}

int sys_clock_gettime(struct proc *p, clockid_t clk, struct timespec *ts)
{
    if (clk == CLOCK_REALTIME) {
        vm_time(p->vm, ts);
        return 0;
    }
    if (clk == CLOCK_MONOTONIC) {
        uint64_t n = now_ns();
        ts->tv_sec = (time_t)(n / 1000000000ull);
        ts->tv_nsec = (long)(n % 1000000000ull);
        return 0;
    }
    if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID) {
        uint64_t n = now_ns() - p->start_ns;
        ts->tv_sec = (time_t)(n / 1000000000ull);
        ts->tv_nsec = (long)(n % 1000000000ull);
        return 0;
    }
    return -EINVAL;
}

/* ---- environment ---------------------------------------------------------- */

static char **env_slot(char **env, const char *name, size_t nl)
{
    for (char **e = env; *e; e++)
        if (!strncmp(*e, name, nl) && (*e)[nl] == '=') return e;
    return NULL;
}

const char *proc_getenv(struct proc *p, const char *name)
{
    char **e = env_slot(p->env, name, strlen(name));
    return e ? *e + strlen(name) + 1 : NULL;
}

int env_set(char ***envp, const char *name, const char *value)
{
    size_t nl = strlen(name);
    if (!nl || strchr(name, '=')) return -EINVAL;
    char **e = env_slot(*envp, name, nl);
    if (!value) {
        if (!e) return 0;
        free(*e);
        do e[0] = e[1];
        while (*e++);
        return 0;
    }
    char *kv = malloc(nl + strlen(value) + 2);
    if (!kv) return -ENOMEM;
    sprintf(kv, "%s=%s", name, value);
    if (e) {
        free(*e);
        *e = kv;
        return 0;
    }
    int n = 0;
    while ((*envp)[n]) n++;
    char **ne = realloc(*envp, (size_t)(n + 2) * sizeof *ne);
    if (!ne) {
        free(kv);
        return -ENOMEM;
    }
    ne[n] = kv;
    ne[n + 1] = NULL;
    *envp = ne;
    return 0;
}

int proc_setenv(struct proc *p, const char *name, const char *value)
{
    return env_set(&p->env, name, value);
}

/* ---- messages --------------------------------------------------------- */

int p_write_all(struct proc *p, int fd, const void *buf, size_t n)
{
    const char *s = buf;
    while (n) {
        ssize_t r = sys_write(p, fd, s, n);
        if (r < 0) return (int)r;
        s += r;
        n -= (size_t)r;
    }
    return 0;
}

static int vprint(struct proc *p, int fd, const char *prefix, const char *fmt, va_list ap)
{
    char small[512], *buf = small;
    va_list ap2;
    va_copy(ap2, ap);
    int pl = prefix ? (int)strlen(prefix) + 2 : 0;
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return -EINVAL;
    size_t total = (size_t)pl + (size_t)n + 2;
    if (total > sizeof small && !(buf = malloc(total))) return -ENOMEM;
    if (prefix) sprintf(buf, "%s: ", prefix);
    vsnprintf(buf + pl, (size_t)n + 1, fmt, ap);
    size_t len = (size_t)pl + (size_t)n;
    if (prefix) buf[len++] = '\n';
    int r = p_write_all(p, fd, buf, len);
    if (buf != small) free(buf);
    return r;
}

void p_errorf(struct proc *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(p, 2, p->argv && p->argv[0] ? p->argv[0] : "vos", fmt, ap);
    va_end(ap);
}

int p_printf(struct proc *p, int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vprint(p, fd, NULL, fmt, ap);
    va_end(ap);
    return r;
}

/* ---- exec ------------------------------------------------------------- */

int proc_lookup_command(struct vm *vm, const char *name, proc_main_fn *fn, vos_command_fn *bfn,
                        void **userdata)
{
    for (struct binding *b = vm->bindings; b; b = b->next) {
        if (strcmp(b->name, name)) continue;
        *fn = NULL;
        *bfn = b->fn;
        *userdata = b->userdata;
        return 0;
    }
    const struct cmd_entry *c = cmd_find(name);
    if (!c) return -ENOENT;
    *fn = c->fn;
    *bfn = NULL;
    *userdata = NULL;
    return 0;
}

void proc_close_cloexec(struct proc *p)
{
    for (int i = 0; i < p->nfds; i++) {
        if (!p->fds[i].cloexec || !p->fds[i].f) continue;
        file_unref(p->fds[i].f);
        p->fds[i].f = NULL;
    }
}

/* Read the head of an executable: a native marker names a command, "#!"
 * names an interpreter and one optional argument. */
static int exec_head(struct proc *c, const char *path, char *head, size_t n)
{
    struct stat st;
    int r = sys_stat(c, path, &st);
    if (r < 0) return r;
    if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) return -EACCES;
    if ((r = sys_access(c, path, X_OK)) < 0) return r;
    int fd = sys_open(c, path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return fd;
    ssize_t got = sys_read(c, fd, head, n - 1);
    sys_close(c, fd);
    if (got < 0) return (int)got;
    head[got] = 0;
    return (int)got;
}

int sys_exec(struct proc *c, const char *path, char *const argv[], bool async)
{
    char head[256];
    char *args[4096 + 3];
    char *const *av = argv;
    char interp[256], iarg[256], pathbuf[VFS_PATH_MAX];
    for (int depth = 0;; depth++) {
        int got = exec_head(c, path, head, sizeof head);
        if (got < 0) return got;
        size_t ml = sizeof VOS_CMD_MAGIC - 1;
        if ((size_t)got > ml && !memcmp(head, VOS_CMD_MAGIC, ml)) {
            char *name = head + ml;
            name[strcspn(name, "\n")] = 0;
            int r = proc_lookup_command(c->vm, name, &c->main, &c->binding, &c->userdata);
            if (r < 0) return -ENOEXEC;
            int argc = 0;
            while (av[argc]) argc++;
            proc_close_cloexec(c);
            return proc_start(c, NULL, argc, av, async);
        }
        if (got < 2 || head[0] != '#' || head[1] != '!') return -ENOEXEC;
        if (depth) return -ELOOP; /* an interpreter must be a native command */
        /* "#!interp [arg]" as Linux splits it: one optional argument. */
        char *s = head + 2, *end = s + strcspn(s, "\n");
        *end = 0;
        while (*s == ' ' || *s == '\t') s++;
        size_t il = strcspn(s, " \t");
        if (!il) return -ENOEXEC;
        snprintf(interp, sizeof interp, "%.*s", (int)il, s);
        s += il;
        while (*s == ' ' || *s == '\t') s++;
        char *e = s + strlen(s);
        while (e > s && (e[-1] == ' ' || e[-1] == '\t')) *--e = 0;
        snprintf(iarg, sizeof iarg, "%s", s);
        snprintf(pathbuf, sizeof pathbuf, "%s", path);
        int n = 0;
        args[n++] = interp;
        if (*iarg) args[n++] = iarg;
        args[n++] = pathbuf;
        for (int i = 1; av[i] && n < 4096 + 2; i++) args[n++] = av[i];
        args[n] = NULL;
        av = args;
        path = interp;
    }
}
