/* api.c — the public C API (include/vos.h): machines, fork and snapshots,
 * running commands, host bindings, and file calls. Each entry point takes
 * the VM lock for its whole duration; file calls run as the VM's user
 * through a transient process that is never in the process table.
 */
#include "kernel/kernel.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define GiB (1ull << 30)

static const vos_limits default_limits = {
    .memory_bytes = GiB,
    .fs_bytes = GiB,
    .fs_inodes = 1000000,
    .processes = 256,
    .open_files = 1024,
    .output_bytes = 64ull << 20,
    .wall_ms = 0,
};

/* A snapshot keeps a frozen copy of every mounted instance that can make
 * one (memfs, the overlay's upper); host directories are not snapshotted. */
struct vos_snapshot {
    int n;
    struct {
        const struct vfs_ops *ops;
        void *snap;
    } m[];
};

const char *vos_version(void)
{
    return VOS_VERSION;
}

const char *vos_strerror(int err)
{
    if (err == 0) return "Success";
    return strerror(err < 0 ? -err : err);
}

/* Apply a limits struct: 0 keeps the current value, -1 means none. */
static void merge_limits(vos_limits *dst, const vos_limits *src)
{
    const uint64_t *s = (const uint64_t *)src;
    uint64_t *d = (uint64_t *)dst;
    for (size_t i = 0; i < sizeof *src / sizeof(uint64_t); i++)
        if (s[i]) d[i] = s[i] == UINT64_MAX ? 0 : s[i];
}

static void apply_fs_limits(struct vm *vm)
{
    struct vfs_fs *root = vm->ns.mounts[0].fs;
    root->max_bytes = vm->limits.fs_bytes;
    root->max_inodes = vm->limits.fs_inodes;
}

static void vm_free_parts(struct vm *vm)
{
    if (vm->ns.mounts) vfs_ns_free(&vm->ns);
    if (vm->env)
        for (char **e = vm->env; *e; e++) free(*e);
    free(vm->env);
    while (vm->bindings) {
        struct binding *b = vm->bindings;
        vm->bindings = b->next;
        free(b);
    }
    free(vm->procs);
    free(vm->user);
    free(vm->home);
    free(vm->hostname);
    vm_lock_destroy(vm);
    free(vm);
}

static struct vm *vm_alloc(void)
{
    struct vm *vm = calloc(1, sizeof *vm);
    if (!vm) return NULL;
    if (vm_lock_init(vm) < 0) {
        free(vm);
        return NULL;
    }
    vm->next_pid = 1;
    vm->limits = default_limits;
    return vm;
}

/* A process for the API's own file calls: never in the table, never runs. */
static void api_proc(struct vm *vm, struct proc *p)
{
    memset(p, 0, sizeof *p);
    p->vm = vm;
    p->cwd = vm->cwd;
    p->umask = 022;
    p->uid = vm->uid;
    p->gid = vm->gid;
    p->env = vm->env;
    p->state = P_RUNNING;
}

static void api_proc_done(struct proc *p)
{
    for (int i = 0; i < p->nfds; i++) file_unref(p->fds[i].f);
    free(p->fds);
    p_free_all(p);
}

static int set_cwd_path(struct vm *vm, const char *path)
{
    struct vfs_ctx ctx;
    struct vfs_cred cred = {vm->uid, vm->gid, 0, NULL};
    ctx = (struct vfs_ctx){&vm->ns, &cred, vfs_root(&vm->ns), NULL, 022};
    vnode n;
    int r = vfs_resolve(&ctx, path, VFS_DIRECTORY, &n, NULL);
    if (r < 0) return r;
    vm->cwd = n;
    return 0;
}

static int vm_setup(struct vm *vm, const vos_config *cfg)
{
    bool root = cfg && cfg->user && !strcmp(cfg->user, "root");
    vm->uid = vm->gid = root ? 0 : 1000;
    vm->user = strdup(root ? "root" : "agent");
    vm->home = strdup(root ? "/root" : "/home/agent");
    vm->hostname = strdup(cfg && cfg->hostname ? cfg->hostname : "vos");
    if (!vm->user || !vm->home || !vm->hostname) return -ENOMEM;
    if (cfg && cfg->user && !root && strcmp(cfg->user, "agent")) return -EINVAL;
    if (cfg) merge_limits(&vm->limits, &cfg->limits);
    struct vfs_fs *fs = image_clone();
    if (!fs) return -ENOMEM;
    int r = vfs_ns_init(&vm->ns, fs);
    if (r < 0) {
        fs->ops->destroy(fs);
        return r;
    }
    apply_fs_limits(vm);
    struct vfs_fs *pf = procfs_new(vm, 3);
    if (!pf) return -ENOMEM;
    struct vfs_cred rc = {0, 0, 0, NULL};
    struct vfs_ctx ctx = {&vm->ns, &rc, vfs_root(&vm->ns), NULL, 022};
    if ((r = vfs_mount(&ctx, "/proc", pf, 0)) < 0) {
        pf->ops->destroy(pf);
        return r;
    }
    vm->env = calloc(1, sizeof *vm->env);
    if (!vm->env) return -ENOMEM;
    const char *defaults[][2] = {
        {"HOME", vm->home}, {"USER", vm->user}, {"LOGNAME", vm->user}, {"SHELL", "/bin/bash"},
        {"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"LANG", "C.UTF-8"}, {"PWD", vm->home},
    };
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if ((r = env_set(&vm->env, defaults[i][0], defaults[i][1])) < 0) return r;
    if (strcmp(vm->hostname, "vos")) {
        char text[300];
        snprintf(text, sizeof text, "%s\n", vm->hostname);
        vnode n;
        if ((r = vfs_open(&ctx, "/etc/hostname", O_WRONLY | O_TRUNC, 0, &n, NULL)) < 0) return r;
        ssize_t w = n.fs->ops->write(n.fs, n.ino, text, strlen(text), 0);
        if (w < 0) return (int)w;
    }
    return set_cwd_path(vm, vm->home);
}

vos_vm *vos_new(const vos_config *cfg)
{
    struct vm *vm = vm_alloc();
    if (!vm) return NULL;
    if (vm_setup(vm, cfg) < 0) {
        vm_free_parts(vm);
        return NULL;
    }
    return (vos_vm *)vm;
}

void vos_free(vos_vm *v)
{
    struct vm *vm = (struct vm *)v;
    if (!vm) return;
    vm_lock(vm);
    vm->dying = true;
    for (int i = 0; i < vm->nprocs; i++) proc_kill(vm->procs[i], SIGKILL);
    vm_notify(vm);
    while (vm->threads) vm_wait(vm, 0);
    while (vm->nprocs) proc_reap(vm->procs[0]);
    if (vm->session && vm->session_free) vm->session_free(vm->session);
    vm->session = NULL;
    vm_unlock(vm);
    vm_free_parts(vm);
}

vos_vm *vos_fork(vos_vm *v)
{
    struct vm *src = (struct vm *)v;
    struct vm *vm = vm_alloc();
    if (!vm) return NULL;
    vm_lock(src);
    int r = -ENOMEM;
    vm->uid = src->uid;
    vm->gid = src->gid;
    vm->limits = src->limits;
    vm->user = strdup(src->user);
    vm->home = strdup(src->home);
    vm->hostname = strdup(src->hostname);
    int n = 0;
    while (src->env[n]) n++;
    vm->env = calloc((size_t)n + 1, sizeof *vm->env);
    for (int i = 0; vm->env && i < n; i++)
        if (!(vm->env[i] = strdup(src->env[i]))) break;
    /* The bindings' files are in the cloned filesystem already. */
    struct binding **tail = &vm->bindings;
    for (struct binding *b = src->bindings; b; b = b->next) {
        size_t sz = sizeof *b + strlen(b->name) + 1;
        if (!(*tail = malloc(sz))) break;
        memcpy(*tail, b, sz);
        (*tail)->next = NULL;
        tail = &(*tail)->next;
    }
    if (vm->user && vm->home && vm->hostname && vm->env && (!n || vm->env[n - 1]) &&
        (r = vfs_ns_clone(&vm->ns, &src->ns)) == 0) {
        for (int i = 0; i < vm->ns.nmounts; i++) {
            procfs_rebind(vm->ns.mounts[i].fs, vm);
            if (src->ns.mounts[i].fs == src->cwd.fs)
                vm->cwd = (vnode){vm->ns.mounts[i].fs, src->cwd.ino};
        }
        apply_fs_limits(vm);
    }
    vm_unlock(src);
    if (r < 0 || !vm->cwd.fs) {
        vm_free_parts(vm);
        return NULL;
    }
    return (vos_vm *)vm;
}

vos_snapshot *vos_snapshot_take(vos_vm *v)
{
    struct vm *vm = (struct vm *)v;
    vm_lock(vm);
    int n = vm->ns.nmounts;
    vos_snapshot *s = calloc(1, sizeof *s + (size_t)n * sizeof s->m[0]);
    bool ok = s != NULL;
    for (int i = 0; ok && i < n; i++) {
        struct vfs_fs *fs = vm->ns.mounts[i].fs;
        s->m[i].ops = fs->ops;
        if (!fs->ops->snapshot) continue;
        s->m[i].snap = fs->ops->snapshot(fs);
        /* hostfs says no (NULL) by design; memfs only on ENOMEM. */
        if (!s->m[i].snap && i == 0) ok = false;
    }
    if (s) s->n = n;
    vm_unlock(vm);
    if (!ok) {
        vos_snapshot_free(s);
        return NULL;
    }
    return s;
}

int vos_restore(vos_vm *v, const vos_snapshot *s)
{
    struct vm *vm = (struct vm *)v;
    vm_lock(vm);
    int r = s->n == vm->ns.nmounts ? 0 : -EINVAL;
    for (int i = 0; r == 0 && i < s->n; i++)
        if (vm->ns.mounts[i].fs->ops != s->m[i].ops) r = -EINVAL;
    for (int i = 0; r == 0 && i < s->n; i++) {
        struct vfs_fs *fs = vm->ns.mounts[i].fs;
        if (s->m[i].snap) r = fs->ops->restore(fs, s->m[i].snap);
    }
    vm_unlock(vm);
    return r;
}

void vos_snapshot_free(vos_snapshot *s)
{
    if (!s) return;
    for (int i = 0; i < s->n; i++)
        if (s->m[i].snap) s->m[i].ops->snapshot_free(s->m[i].snap);
    free(s);
}

int vos_set_limits(vos_vm *v, const vos_limits *l)
{
    struct vm *vm = (struct vm *)v;
    vm_lock(vm);
    merge_limits(&vm->limits, l);
    apply_fs_limits(vm);
    vm_unlock(vm);
    return 0;
}

int vos_get_limits(vos_vm *v, vos_limits *l)
{
    struct vm *vm = (struct vm *)v;
    vm_lock(vm);
    *l = vm->limits;
    vm_unlock(vm);
    return 0;
}

int vos_setenv(vos_vm *v, const char *name, const char *value)
{
    struct vm *vm = (struct vm *)v;
    vm_lock(vm);
    int r = env_set(&vm->env, name, value);
    vm_unlock(vm);
    return r;
}

const char *vos_getenv(vos_vm *v, const char *name)
{
    struct vm *vm = (struct vm *)v;
    size_t nl = strlen(name);
    for (char **e = vm->env; *e; e++)
        if (!strncmp(*e, name, nl) && (*e)[nl] == '=') return *e + nl + 1;
    return NULL;
}

/* ---- bindings --------------------------------------------------------- */

int vos_register_command(vos_vm *v, const char *name, vos_command_fn fn, void *userdata)
{
    struct vm *vm = (struct vm *)v;
    size_t nl = strlen(name);
    if (!nl || nl > VFS_NAME_MAX || strchr(name, '/') || !fn) return -EINVAL;
    struct binding *b = calloc(1, sizeof *b + nl + 1);
    if (!b) return -ENOMEM;
    memcpy(b->name, name, nl + 1);
    b->fn = fn;
    b->userdata = userdata;
    char path[VFS_PATH_MAX], text[VFS_NAME_MAX + 16];
    snprintf(path, sizeof path, "/usr/local/bin/%s", name);
    snprintf(text, sizeof text, VOS_CMD_MAGIC "%s\n", name);
    vm_lock(vm);
    struct proc p;
    api_proc(vm, &p);
    p.uid = p.gid = 0;
    int fd = sys_open(&p, path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    int r = fd < 0 ? fd : p_write_all(&p, fd, text, strlen(text));
    if (fd >= 0) sys_close(&p, fd);
    api_proc_done(&p);
    if (r == 0) {
        b->next = vm->bindings;
        vm->bindings = b;
    } else free(b);
    vm_unlock(vm);
    return r;
}

long vos_proc_read(vos_proc *p, int fd, void *buf, size_t n)
{
    return sys_read((struct proc *)p, fd, buf, n);
}

long vos_proc_write(vos_proc *p, int fd, const void *buf, size_t n)
{
    int r = p_write_all((struct proc *)p, fd, buf, n);
    return r < 0 ? r : (long)n;
}

const char *vos_proc_getenv(vos_proc *p, const char *name)
{
    return proc_getenv((struct proc *)p, name);
}

/* ---- running ------------------------------------------------------------ */

struct exec *exec_new(struct vm *vm, const vos_exec_opts *o)
{
    struct exec *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->refs = 1;
    e->vm = vm;
    uint64_t wall = vm->limits.wall_ms;
    if (o && o->timeout_ms && (!wall || o->timeout_ms < wall)) wall = o->timeout_ms;
    if (wall) e->deadline = now_ns() + wall * 1000000ull;
    e->wall_ms = wall;
    e->max_output = vm->limits.output_bytes ? vm->limits.output_bytes : UINT64_MAX;
    if (o && o->max_output && o->max_output < e->max_output) e->max_output = o->max_output;
    if (o) {
        e->on_output = o->on_output;
        e->userdata = o->userdata;
        e->cancel = o->cancel;
    }
    return e;
}

void exec_unref(struct exec *e)
{
    if (e && !--e->refs) free(e);
}

/* Find a command name on PATH in the VM, as execvp does. */
static int find_on_path(struct proc *p, const char *name, char *out, size_t n)
{
    if (strchr(name, '/')) {
        snprintf(out, n, "%s", name);
        return 0;
    }
    const char *path = proc_getenv(p, "PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    int best = -ENOENT;
    while (1) {
        size_t l = strcspn(path, ":");
        snprintf(out, n, "%.*s%s%s", (int)l, path, l ? "/" : "", name);
        struct stat st;
        if (sys_stat(p, out, &st) == 0 && S_ISREG(st.st_mode)) {
            if (sys_access(p, out, X_OK) == 0) return 0;
            best = -EACCES;
        }
        if (!path[l]) break;
        path += l + 1;
    }
    return best;
}

static int result_take(struct sink *s, char **data, size_t *len)
{
    *len = s->len;
    *data = s->data ? s->data : calloc(1, 1);
    s->data = NULL;
    s->len = s->cap = 0;
    return *data ? 0 : -ENOMEM;
}

static void sink_note(struct file *errf, const char *msg)
{
    struct sink *s = errf->sink;
    struct exec *e = s->exec;
    size_t l = strlen(msg);
    if (e->on_output) {
        e->on_output(e->userdata, 2, msg, l);
        return;
    }
    char *nd = realloc(s->data, s->len + l + 1);
    if (!nd) return;
    memcpy(nd + s->len, msg, l + 1);
    s->data = nd;
    s->len += l;
    s->cap = s->len + 1;
}

static int setup_std(struct vm *vm, struct proc *p, struct exec *e, const vos_exec_opts *o,
                     struct file **outf, struct file **errf)
{
    struct file *in = buf_file(vm, o ? o->stdin_data : NULL, o && o->stdin_data ? o->stdin_len : 0);
    *outf = sink_file(vm, e, 1);
    *errf = sink_file(vm, e, 2);
    int r = (in && *outf && *errf) ? 0 : -ENOMEM;
    if (!r) r = fd_install(p, in, 0, true, false);
    if (r >= 0) r = fd_install(p, *outf, 1, true, false);
    if (r >= 0) r = fd_install(p, *errf, 2, true, false);
    file_unref(in);
    return r < 0 ? r : 0;
}

static int apply_opts(struct proc *p, const vos_exec_opts *o)
{
    if (!o) return 0;
    for (const char *const *kv = o->env; kv && *kv; kv++) {
        const char *eq = strchr(*kv, '=');
        if (!eq) return -EINVAL;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(eq - *kv), *kv);
        int r = proc_setenv(p, name, eq + 1);
        if (r < 0) return r;
    }
    return o->cwd ? sys_chdir(p, o->cwd) : 0;
}

/* The first process of a vos_run: find argv[0] on PATH and run it as a
 * child, as execvp would, with "vos:" messages for what fails. */
static int run_argv_main(struct proc *p, int argc, char **argv)
{
    char path[VFS_PATH_MAX];
    int r = find_on_path(p, argv[0], path, sizeof path);
    if (r == -ENOENT && !strchr(argv[0], '/')) {
        p_printf(p, 2, "vos: %s: command not found\n", argv[0]);
        return 127;
    }
    struct proc *c = r == 0 ? proc_new(p->vm, p) : NULL;
    if (r == 0 && !c) r = -EAGAIN;
    if (r == 0) r = sys_exec(c, path, argv, false);
    if (r < 0) {
        if (c) proc_discard(c);
        p_printf(p, 2, "vos: %s: %s\n", argv[0], vos_strerror(r));
        return r == -ENOENT ? 127 : 126;
    }
    int ws = 0;
    sys_waitpid(p, c->pid, &ws, 0);
    if (WIFSIGNALED(ws)) proc_kill(p, WTERMSIG(ws));
    return WEXITSTATUS(ws);
}

int vm_exec(struct vm *vm, const vos_exec_opts *o, vos_result *res, proc_main_fn main, int argc,
            char *const argv[], void *userdata)
{
    memset(res, 0, sizeof *res);
    vm_lock(vm);
    struct exec *e = exec_new(vm, o);
    struct proc *p = e ? proc_new(vm, NULL) : NULL;
    struct file *outf = NULL, *errf = NULL;
    int r = p ? 0 : (e ? -EAGAIN : -ENOMEM);
    if (!r) {
        p->exec = e;
        e->refs++;
        p->userdata = userdata;
        r = setup_std(vm, p, e, o, &outf, &errf);
    }
    if (!r) r = apply_opts(p, o);
    if (!r && e->cancel && *e->cancel) r = -ECANCELED; /* set under this lock */
    if (r < 0) {
        if (p) proc_discard(p);
    } else {
        proc_start(p, main, argc, argv, false);
        int ws = p->status;
        res->status = WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
        proc_reap(p);
        char msg[128];
        if (e->timed_out) {
            snprintf(msg, sizeof msg, "vos: wall time limit exceeded (%llu ms)\n",
                     (unsigned long long)e->wall_ms);
            sink_note(errf, msg);
            res->status = 124;
        } else if (e->output_exceeded) {
            snprintf(msg, sizeof msg, "vos: output limit exceeded (%llu bytes)\n",
                     (unsigned long long)e->max_output);
            sink_note(errf, msg);
        }
        e->ended = true;
        if (result_take(outf->sink, &res->out, &res->out_len) < 0 ||
            result_take(errf->sink, &res->err, &res->err_len) < 0)
            r = -ENOMEM;
    }
    file_unref(outf);
    file_unref(errf);
    exec_unref(e);
    vm_unlock(vm);
    if (r < 0) vos_result_free(res);
    return r;
}

int vos_run(vos_vm *v, char *const argv[], const vos_exec_opts *o, vos_result *res)
{
    if (!argv || !argv[0]) {
        memset(res, 0, sizeof *res);
        return -EINVAL;
    }
    int argc = 0;
    while (argv[argc]) argc++;
    return vm_exec((struct vm *)v, o, res, run_argv_main, argc, argv, NULL);
}

int vos_exec_cancel(vos_vm *v, int *cancel)
{
    struct vm *vm = (struct vm *)v;
    if (!cancel) return -EINVAL;
    vm_lock(vm);
    *cancel = 1; /* vm_exec reads it under the lock: no exec starts after this */
    int r = -ESRCH;
    for (int i = 0; i < vm->nprocs; i++) {
        struct proc *p = vm->procs[i];
        if (p && p->state != P_ZOMBIE && p->exec && p->exec->cancel == cancel) {
            proc_kill(p, SIGKILL);
            r = 0;
        }
    }
    vm_notify(vm);
    vm_unlock(vm);
    return r;
}

int vos_session_reset(vos_vm *v)
{
    struct vm *vm = (struct vm *)v;
    vm_lock(vm);
    if (vm->session && vm->session_free) vm->session_free(vm->session);
    vm->session = NULL;
    vm_unlock(vm);
    return 0;
}

void vos_result_free(vos_result *r)
{
    if (!r) return;
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
    r->out_len = r->err_len = 0;
}

/* ---- files ---------------------------------------------------------------- */

#define API_BEGIN(v)                                                                               \
    struct vm *vm = (struct vm *)(v);                                                              \
    struct proc p;                                                                                 \
    vm_lock(vm);                                                                                   \
    api_proc(vm, &p)
#define API_END(r)                                                                                 \
    do {                                                                                           \
        api_proc_done(&p);                                                                         \
        vm_unlock(vm);                                                                             \
        return (r);                                                                                \
    } while (0)

int vos_write_file(vos_vm *v, const char *path, const void *data, size_t len)
{
    API_BEGIN(v);
    int fd = sys_open(&p, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int r = fd < 0 ? fd : p_write_all(&p, fd, data, len);
    API_END(r);
}

int vos_read_file(vos_vm *v, const char *path, void **data, size_t *len)
{
    API_BEGIN(v);
    *data = NULL;
    *len = 0;
    int fd = sys_open(&p, path, O_RDONLY, 0);
    int r = fd < 0 ? fd : 0;
    size_t cap = 0, n = 0;
    char *buf = NULL;
    while (r == 0) {
        if (n + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 65536 * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                r = -ENOMEM;
                break;
            }
            buf = nb;
        }
        ssize_t got = sys_read(&p, fd, buf + n, cap - n - 1);
        if (got < 0) r = (int)got;
        else if (got == 0) break;
        else n += (size_t)got;
    }
    if (r == 0) {
        if (!buf && !(buf = malloc(1))) r = -ENOMEM;
        else {
            buf[n] = 0;
            *data = buf;
            *len = n;
        }
    }
    if (r < 0) free(buf);
    API_END(r);
}

int vos_stat(vos_vm *v, const char *path, struct stat *st)
{
    API_BEGIN(v);
    int r = sys_stat(&p, path, st);
    API_END(r);
}

int vos_lstat(vos_vm *v, const char *path, struct stat *st)
{
    API_BEGIN(v);
    int r = sys_lstat(&p, path, st);
    API_END(r);
}

void vos_list_free(char **names)
{
    if (!names) return;
    for (char **n = names; *n; n++) free(*n);
    free(names);
}

int vos_list(vos_vm *v, const char *path, char ***out)
{
    API_BEGIN(v);
    *out = NULL;
    int fd = sys_open(&p, path, O_RDONLY | O_DIRECTORY, 0);
    int r = fd < 0 ? fd : 0;
    char **names = calloc(1, sizeof *names);
    size_t n = 0;
    struct vfs_dirent d[16];
    if (!names) r = -ENOMEM;
    while (r == 0) {
        int got = sys_getdents(&p, fd, d, 16);
        if (got <= 0) {
            r = got;
            break;
        }
        for (int i = 0; i < got && r == 0; i++) {
            if (!strcmp(d[i].name, ".") || !strcmp(d[i].name, "..")) continue;
            char **nn = realloc(names, (n + 2) * sizeof *nn);
            if (!nn || !(nn[n] = strdup(d[i].name))) {
                if (nn) names = nn;
                r = -ENOMEM;
                break;
            }
            names = nn;
            names[++n] = NULL;
        }
    }
    if (r < 0) vos_list_free(names);
    else *out = names;
    API_END(r);
}

int vos_mkdir(vos_vm *v, const char *path, mode_t mode)
{
    API_BEGIN(v);
    char buf[VFS_PATH_MAX];
    int r = snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf ? -ENAMETOOLONG : 0;
    /* Each prefix in turn, as mkdir -p does. */
    for (char *s = buf + 1; r == 0 && *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        int m = sys_mkdir(&p, buf, 0755);
        if (m < 0 && m != -EEXIST) r = m;
        *s = '/';
    }
    if (r == 0) {
        r = sys_mkdir(&p, buf, mode);
        struct stat st;
        if (r == -EEXIST && sys_stat(&p, buf, &st) == 0 && S_ISDIR(st.st_mode)) r = 0;
    }
    API_END(r);
}

static int remove_tree(struct proc *p, char *path, size_t len, int depth)
{
    struct stat st;
    int r = sys_lstat(p, path, &st);
    if (r < 0) return r;
    if (!S_ISDIR(st.st_mode)) return sys_unlink(p, path);
    if (depth > 256) return -ELOOP;
    int fd = sys_open(p, path, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) return fd;
    struct vfs_dirent d;
    while (r == 0) {
        int got = sys_getdents(p, fd, &d, 1);
        if (got <= 0) {
            r = got;
            break;
        }
        if (!strcmp(d.name, ".") || !strcmp(d.name, "..")) continue;
        size_t nl = strlen(d.name);
        if (len + nl + 2 > VFS_PATH_MAX) {
            r = -ENAMETOOLONG;
            break;
        }
        path[len] = '/';
        memcpy(path + len + 1, d.name, nl + 1);
        r = remove_tree(p, path, len + 1 + nl, depth + 1);
        path[len] = 0;
    }
    sys_close(p, fd);
    return r < 0 ? r : sys_rmdir(p, path);
}

int vos_remove(vos_vm *v, const char *path)
{
    API_BEGIN(v);
    char buf[VFS_PATH_MAX];
    size_t len = strlen(path);
    int r = len >= sizeof buf ? -ENAMETOOLONG : 0;
    if (r == 0) {
        memcpy(buf, path, len + 1);
        while (len > 1 && buf[len - 1] == '/') buf[--len] = 0;
        r = remove_tree(&p, buf, len, 0);
    }
    API_END(r);
}

int vos_rename(vos_vm *v, const char *from, const char *to)
{
    API_BEGIN(v);
    int r = sys_rename(&p, from, to);
    API_END(r);
}

int vos_chmod(vos_vm *v, const char *path, mode_t mode)
{
    API_BEGIN(v);
    int r = sys_chmod(&p, path, mode);
    API_END(r);
}

int vos_symlink(vos_vm *v, const char *target, const char *path)
{
    API_BEGIN(v);
    int r = sys_symlink(&p, target, path);
    API_END(r);
}
