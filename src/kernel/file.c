/* file.c — open file descriptions and fd tables: regular files and
 * directories of the VFS, pipes (bounded 64 KiB rings that block and wake),
 * named FIFOs, character devices (/dev/null, zero, full, random, urandom),
 * stdin given as bytes, and the sinks that collect an exec's output.
 * All of it runs under the VM lock; blocking goes through vm_wait().
 */
#include "kernel/kernel.h"
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/sysmacros.h>

struct fifo_ent {
    struct fifo_ent *next;
    vnode node;
    struct pipe *pipe;
};

/* ---- file objects ------------------------------------------------------ */

static struct file *file_alloc(struct vm *vm, enum file_kind kind, int flags)
{
    struct file *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->refs = 1;
    f->kind = kind;
    f->flags = flags;
    f->vm = vm;
    return f;
}

struct file *file_ref(struct file *f)
{
    if (f) f->refs++;
    return f;
}

static void pipe_unref(struct pipe *pp)
{
    if (--pp->refs) return;
    free(pp->buf);
    free(pp);
}

static void fifo_forget(struct vm *vm, struct pipe *pp)
{
    for (struct fifo_ent **e = &vm->fifos; *e; e = &(*e)->next) {
        if ((*e)->pipe != pp) continue;
        struct fifo_ent *dead = *e;
        *e = dead->next;
        pipe_unref(dead->pipe);
        free(dead);
        return;
    }
}

static void sink_unref(struct sink *s)
{
    if (--s->refs) return;
    free(s->data);
    exec_unref(s->exec);
    free(s);
}

void file_unref(struct file *f)
{
    if (!f || --f->refs) return;
    struct vm *vm = f->vm;
    switch (f->kind) {
    case F_PIPE:
        if (f->pipe_write) f->pipe->writers--;
        else f->pipe->readers--;
        if (!f->pipe->readers && !f->pipe->writers) fifo_forget(vm, f->pipe);
        pipe_unref(f->pipe);
        vm_notify(vm);
        break;
    case F_NODE:
    case F_DIR:
    case F_DEV:
        if (f->node.fs && f->node.fs->ops->close) f->node.fs->ops->close(f->node.fs, f->node.ino);
        break;
    case F_SINK: sink_unref(f->sink); break;
    case F_BUF_IN:
    case F_MEMBUF: free((void *)f->buf); break;
    }
    free(f->path);
    free(f);
}

struct file *buf_file(struct vm *vm, const void *data, size_t len)
{
    struct file *f = file_alloc(vm, F_BUF_IN, O_RDONLY);
    if (!f) return NULL;
    char *copy = malloc(len ? len : 1);
    if (!copy) {
        free(f);
        return NULL;
    }
    if (len) memcpy(copy, data, len);
    f->buf = copy;
    f->buf_len = len;
    return f;
}

struct file *membuf_file(struct vm *vm, size_t max)
{
    struct file *f = file_alloc(vm, F_MEMBUF, O_WRONLY);
    if (f) f->buf_max = max;
    return f;
}

char *membuf_take(struct file *f, size_t *len)
{
    char *d = (char *)f->buf;
    if (!d) d = calloc(1, 1);
    *len = f->buf_len;
    f->buf = NULL;
    f->buf_len = f->buf_cap = 0;
    return d;
}

static ssize_t membuf_write(struct file *f, const char *data, size_t n)
{
    if (f->buf_len + n + 1 > f->buf_cap) {
        if (f->buf_len + n + 1 > f->buf_max) return -EFBIG;
        size_t cap = f->buf_cap ? f->buf_cap : 256;
        while (cap < f->buf_len + n + 1) cap *= 2;
        char *nb = realloc((char *)f->buf, cap);
        if (!nb) return -ENOMEM;
        f->buf = nb;
        f->buf_cap = cap;
    }
    memcpy((char *)f->buf + f->buf_len, data, n);
    f->buf_len += n;
    ((char *)f->buf)[f->buf_len] = 0;
    return (ssize_t)n;
}

struct file *sink_file(struct vm *vm, struct exec *e, int fd)
{
    struct file *f = file_alloc(vm, F_SINK, O_WRONLY);
    struct sink *s = calloc(1, sizeof *s);
    if (!f || !s) {
        free(f);
        free(s);
        return NULL;
    }
    s->refs = 1;
    s->fd = fd;
    s->exec = e;
    e->refs++;
    f->sink = s;
    return f;
}

/* ---- fd tables ----------------------------------------------------------- */

struct file *fd_get(struct proc *p, int fd)
{
    if (fd < 0 || fd >= p->nfds) return NULL;
    return p->fds[fd].f;
}

static int fd_grow(struct proc *p, int need)
{
    uint64_t lim = p->vm->limits.open_files;
    if (lim && (uint64_t)need > lim) return -EMFILE;
    if (need <= p->nfds) return 0;
    int n = p->nfds ? p->nfds : 8;
    while (n < need) n *= 2;
    if (lim && (uint64_t)n > lim) n = (int)lim;
    struct fdent *nf = realloc(p->fds, (size_t)n * sizeof *nf);
    if (!nf) return -ENOMEM;
    memset(nf + p->nfds, 0, (size_t)(n - p->nfds) * sizeof *nf);
    p->fds = nf;
    p->nfds = n;
    return 0;
}

int fd_install(struct proc *p, struct file *f, int min, bool exact, bool cloexec)
{
    if (min < 0) return -EBADF;
    int fd = min;
    if (!exact)
        while (fd < p->nfds && p->fds[fd].f) fd++;
    int r = fd_grow(p, fd + 1);
    if (r < 0) return exact ? -EBADF : r;
    struct file *old = p->fds[fd].f;
    p->fds[fd].f = file_ref(f);
    p->fds[fd].cloexec = cloexec;
    file_unref(old);
    return fd;
}

int sys_close(struct proc *p, int fd)
{
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    p->fds[fd].f = NULL;
    file_unref(f);
    return 0;
}

int sys_dup(struct proc *p, int fd)
{
    struct file *f = fd_get(p, fd);
    return f ? fd_install(p, f, 0, false, false) : -EBADF;
}

int sys_dup3(struct proc *p, int fd, int newfd, int flags)
{
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    if (fd == newfd) return flags ? -EINVAL : newfd;
    return fd_install(p, f, newfd, true, flags & O_CLOEXEC);
}

int sys_dup2(struct proc *p, int fd, int newfd)
{
    if (fd == newfd) return fd_get(p, fd) ? fd : -EBADF;
    return sys_dup3(p, fd, newfd, 0);
}

int sys_fcntl(struct proc *p, int fd, int cmd, long arg)
{
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    switch (cmd) {
    case F_DUPFD: return fd_install(p, f, (int)arg, false, false);
    case F_DUPFD_CLOEXEC: return fd_install(p, f, (int)arg, false, true);
    case F_GETFD: return p->fds[fd].cloexec ? FD_CLOEXEC : 0;
    case F_SETFD: p->fds[fd].cloexec = arg & FD_CLOEXEC; return 0;
    case F_GETFL: return f->flags;
    case F_SETFL:
        f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | ((int)arg & (O_APPEND | O_NONBLOCK));
        return 0;
    }
    return -EINVAL;
}

/* ---- pipes --------------------------------------------------------------- */

static struct pipe *pipe_alloc(void)
{
    struct pipe *pp = calloc(1, sizeof *pp);
    if (pp) pp->refs = 1;
    return pp;
}

static struct file *pipe_end(struct vm *vm, struct pipe *pp, bool write, int flags)
{
    struct file *f = file_alloc(vm, F_PIPE, (write ? O_WRONLY : O_RDONLY) | (flags & O_NONBLOCK));
    if (!f) return NULL;
    f->pipe = pp;
    f->pipe_write = write;
    pp->refs++;
    if (write) pp->writers++;
    else pp->readers++;
    return f;
}

int sys_pipe(struct proc *p, int fds[2], int flags)
{
    struct pipe *pp = pipe_alloc();
    if (!pp) return -ENOMEM;
    struct file *r = pipe_end(p->vm, pp, false, flags);
    struct file *w = r ? pipe_end(p->vm, pp, true, flags) : NULL;
    pipe_unref(pp);
    int rc = -ENOMEM;
    if (r && w) {
        rc = fds[0] = fd_install(p, r, 0, false, flags & O_CLOEXEC);
        if (rc >= 0) {
            rc = fds[1] = fd_install(p, w, 0, false, flags & O_CLOEXEC);
            if (rc < 0) sys_close(p, fds[0]);
        }
    }
    file_unref(r);
    file_unref(w);
    return rc < 0 ? rc : 0;
}

static ssize_t pipe_read(struct proc *p, struct file *f, char *buf, size_t n)
{
    struct pipe *pp = f->pipe;
    for (;;) {
        int r = proc_check(p);
        if (r < 0) return r;
        if (pp->len) break;
        if (!pp->writers) return 0;
        if (f->flags & O_NONBLOCK) return -EAGAIN;
        vm_wait(p->vm, p->exec ? p->exec->deadline : 0);
    }
    size_t done = 0;
    while (done < n && pp->len) {
        size_t run = PIPE_SIZE - pp->head;
        if (run > pp->len) run = pp->len;
        if (run > n - done) run = n - done;
        memcpy(buf + done, pp->buf + pp->head, run);
        pp->head = (pp->head + run) % PIPE_SIZE;
        pp->len -= run;
        done += run;
    }
    if (!pp->len) pp->head = 0;
    vm_notify(p->vm);
    return (ssize_t)done;
}

static ssize_t pipe_write(struct proc *p, struct file *f, const char *buf, size_t n)
{
    struct pipe *pp = f->pipe;
    size_t done = 0;
    if (!pp->buf && !(pp->buf = malloc(PIPE_SIZE))) return -ENOMEM;
    while (done < n) {
        int r = proc_check(p);
        if (r < 0) return done ? (ssize_t)done : r;
        if (!pp->readers) {
            sys_kill(p, p->pid, SIGPIPE);
            proc_check(p); /* take the default action now, as Linux does */
            return -EPIPE;
        }
        if (pp->len == PIPE_SIZE) {
            if (f->flags & O_NONBLOCK) return done ? (ssize_t)done : -EAGAIN;
            vm_wait(p->vm, p->exec ? p->exec->deadline : 0);
            continue;
        }
        size_t tail = (pp->head + pp->len) % PIPE_SIZE;
        size_t run = (tail >= pp->head ? PIPE_SIZE - tail : pp->head - tail);
        if (run > n - done) run = n - done;
        memcpy(pp->buf + tail, buf + done, run);
        pp->len += run;
        done += run;
        vm_notify(p->vm);
    }
    return (ssize_t)done;
}

/* Opening a named FIFO: find or make the pipe behind it, then wait for the
 * other end as Linux does (O_NONBLOCK readers don't wait; O_NONBLOCK writers
 * with no reader get ENXIO). */
struct file *fifo_open(struct proc *p, vnode node, int flags, int *err)
{
    struct vm *vm = p->vm;
    struct fifo_ent *e = vm->fifos;
    while (e && !(e->node.fs == node.fs && e->node.ino == node.ino)) e = e->next;
    if (!e) {
        e = calloc(1, sizeof *e);
        if (!e || !(e->pipe = pipe_alloc())) {
            free(e);
            *err = -ENOMEM;
            return NULL;
        }
        e->node = node;
        e->next = vm->fifos;
        vm->fifos = e;
    }
    struct pipe *pp = e->pipe;
    int acc = flags & O_ACCMODE;
    if (acc == O_WRONLY && (flags & O_NONBLOCK) && !pp->readers) {
        *err = -ENXIO;
        if (!pp->writers) fifo_forget(vm, pp);
        return NULL;
    }
    struct file *f = pipe_end(vm, pp, acc != O_RDONLY, flags);
    if (!f) {
        *err = -ENOMEM;
        return NULL;
    }
    if (acc == O_RDWR) pp->readers++, f->pipe_write = true; /* both ends */
    vm_notify(vm);
    if (acc == O_RDWR || (flags & O_NONBLOCK)) return f;
    /* Block until the other side has been opened at least once. */
    for (;;) {
        int r = proc_check(p); /* first: it may yield, see sys_waitpid */
        if (r < 0) {
            file_unref(f);
            *err = r;
            return NULL;
        }
        if (acc == O_RDONLY ? pp->writers > 0 || pp->len : pp->readers > 0) break;
        vm_wait(vm, p->exec ? p->exec->deadline : 0);
    }
    return f;
}

/* ---- devices ------------------------------------------------------------- */

static ssize_t dev_read(struct proc *p, struct file *f, void *buf, size_t n)
{
    switch (f->dev) {
    case 3: return 0;
    case 5:
    case 7: memset(buf, 0, n); return (ssize_t)n;
    case 8:
    case 9: return sys_getrandom(p, buf, n);
    }
    return -ENXIO;
}

static ssize_t dev_write(struct file *f, size_t n)
{
    switch (f->dev) {
    case 3:
    case 5:
    case 8:
    case 9: return (ssize_t)n;
    case 7: return -ENOSPC;
    }
    return -ENXIO;
}

ssize_t sys_getrandom(struct proc *p, void *buf, size_t n)
{
    (void)p;
    size_t done = 0;
    while (done < n) {
        ssize_t r = getrandom((char *)buf + done, n - done, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        done += (size_t)r;
    }
    return (ssize_t)n;
}

/* Open the device behind a character node: major 1 as Linux numbers them. */
struct file *dev_open(struct vm *vm, vnode node, const struct stat *st, int flags, int *err)
{
    if (major(st->st_rdev) != 1 || !strchr("\3\5\7\10\11", (int)minor(st->st_rdev)) ||
        !minor(st->st_rdev)) {
        *err = -ENXIO;
        return NULL;
    }
    struct file *f = file_alloc(vm, F_DEV, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    if (!f) {
        *err = -ENOMEM;
        return NULL;
    }
    f->dev = (int)minor(st->st_rdev);
    f->node = node;
    if (node.fs->ops->open) node.fs->ops->open(node.fs, node.ino);
    return f;
}

/* ---- sinks: an exec's stdout and stderr ---------------------------------- */

static ssize_t sink_write(struct proc *p, struct sink *s, const char *buf, size_t n)
{
    struct exec *e = s->exec;
    if (e->ended) return (ssize_t)n; /* a job that outlived its exec */
    size_t room = e->max_output > e->output_used ? e->max_output - e->output_used : 0;
    size_t take = n < room ? n : room;
    if (e->on_output) {
        if (take) e->on_output(e->userdata, s->fd, buf, take);
    } else if (take) {
        if (s->len + take + 1 > s->cap) {
            size_t cap = s->cap ? s->cap : 4096;
            while (cap < s->len + take + 1) cap *= 2;
            char *nd = realloc(s->data, cap);
            if (!nd) return -ENOMEM;
            s->data = nd;
            s->cap = cap;
        }
        memcpy(s->data + s->len, buf, take);
        s->len += take;
        s->data[s->len] = 0;
    }
    e->output_used += take;
    if (take < n) {
        e->output_exceeded = true;
        proc_kill(p, SIGXFSZ);
        return take ? (ssize_t)take : -EFBIG;
    }
    return (ssize_t)n;
}

/* ---- read and write ---------------------------------------------------- */

static ssize_t do_read(struct proc *p, struct file *f, void *buf, size_t n, off_t off, bool pos)
{
    if ((f->flags & O_ACCMODE) == O_WRONLY) return -EBADF;
    switch (f->kind) {
    case F_PIPE:
        if (pos) return -ESPIPE;
        return pipe_read(p, f, buf, n);
    case F_DIR: return -EISDIR;
    case F_DEV: return dev_read(p, f, buf, n);
    case F_SINK:
    case F_MEMBUF: return -EBADF;
    case F_BUF_IN: {
        off_t at = pos ? off : f->off;
        if (at >= (off_t)f->buf_len) return 0;
        size_t take = f->buf_len - (size_t)at;
        if (take > n) take = n;
        memcpy(buf, f->buf + at, take);
        if (!pos) f->off += (off_t)take;
        return (ssize_t)take;
    }
    case F_NODE: {
        off_t at = pos ? off : f->off;
        ssize_t r = f->node.fs->ops->read(f->node.fs, f->node.ino, buf, n, at);
        if (r > 0 && !pos) f->off += r;
        return r;
    }
    }
    return -EBADF;
}

static ssize_t do_write(struct proc *p, struct file *f, const void *buf, size_t n, off_t off,
                        bool pos)
{
    if ((f->flags & O_ACCMODE) == O_RDONLY) return -EBADF;
    switch (f->kind) {
    case F_PIPE:
        if (pos) return -ESPIPE;
        return pipe_write(p, f, buf, n);
    case F_DEV: return dev_write(f, n);
    case F_SINK: return sink_write(p, f->sink, buf, n);
    case F_MEMBUF: return membuf_write(f, buf, n);
    case F_DIR:
    case F_BUF_IN: return -EBADF;
    case F_NODE: {
        off_t at = pos ? off : f->off;
        if (f->flags & O_APPEND && !pos) {
            struct stat st;
            int r = f->node.fs->ops->getattr(f->node.fs, f->node.ino, &st);
            if (r < 0) return r;
            at = st.st_size;
        }
        if (at < 0 || (uint64_t)at + n > (uint64_t)INT64_MAX) return -EFBIG;
        ssize_t r = f->node.fs->ops->write(f->node.fs, f->node.ino, buf, n, at);
        if (r > 0 && !pos) f->off = at + r;
        return r;
    }
    }
    return -EBADF;
}

ssize_t sys_read(struct proc *p, int fd, void *buf, size_t n)
{
    int r = proc_check(p);
    if (r < 0) return r;
    struct file *f = fd_get(p, fd);
    return f ? do_read(p, f, buf, n, 0, false) : -EBADF;
}

ssize_t sys_write(struct proc *p, int fd, const void *buf, size_t n)
{
    int r = proc_check(p);
    if (r < 0) return r;
    struct file *f = fd_get(p, fd);
    return f ? do_write(p, f, buf, n, 0, false) : -EBADF;
}

ssize_t sys_pread(struct proc *p, int fd, void *buf, size_t n, off_t off)
{
    int r = proc_check(p);
    if (r < 0) return r;
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    return off < 0 ? -EINVAL : do_read(p, f, buf, n, off, true);
}

ssize_t sys_pwrite(struct proc *p, int fd, const void *buf, size_t n, off_t off)
{
    int r = proc_check(p);
    if (r < 0) return r;
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    return off < 0 ? -EINVAL : do_write(p, f, buf, n, off, true);
}

off_t sys_lseek(struct proc *p, int fd, off_t off, int whence)
{
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    if (f->kind == F_PIPE || f->kind == F_SINK || f->kind == F_MEMBUF) return -ESPIPE;
    if (f->kind == F_DEV) return 0;
    off_t base = 0;
    switch (whence) {
    case SEEK_SET: break;
    case SEEK_CUR: base = f->off; break;
    case SEEK_END:
        if (f->kind == F_BUF_IN) base = (off_t)f->buf_len;
        else {
            struct stat st;
            int r = f->node.fs->ops->getattr(f->node.fs, f->node.ino, &st);
            if (r < 0) return r;
            base = f->kind == F_DIR ? 0 : st.st_size;
        }
        break;
    default: return -EINVAL;
    }
    if ((off > 0 && base > INT64_MAX - off) || base + off < 0) return -EINVAL;
    f->off = base + off;
    if (f->kind == F_DIR && f->off == 0) {
        f->dir_cookie = 0;
        f->dir_dots = 2;
    }
    return f->off;
}

int sys_fstat(struct proc *p, int fd, struct stat *st)
{
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    memset(st, 0, sizeof *st);
    switch (f->kind) {
    case F_NODE:
    case F_DIR:
    case F_DEV: return f->node.fs->ops->getattr(f->node.fs, f->node.ino, st);
    case F_PIPE:
        st->st_mode = S_IFIFO | 0600;
        st->st_ino = (uint64_t)(uintptr_t)f->pipe & 0xffffff;
        st->st_nlink = 1;
        st->st_uid = p->uid;
        st->st_gid = p->gid;
        st->st_blksize = 4096;
        return 0;
    case F_BUF_IN:
    case F_SINK:
    case F_MEMBUF:
        st->st_mode = S_IFIFO | 0600;
        st->st_nlink = 1;
        st->st_uid = p->uid;
        st->st_gid = p->gid;
        st->st_blksize = 4096;
        return 0;
    }
    return -EBADF;
}

int sys_isatty(struct proc *p, int fd)
{
    return fd_get(p, fd) ? 0 : -EBADF;
}

static short poll_one(struct file *f, short events)
{
    short rev = 0;
    if (f->kind != F_PIPE) return events & (POLLIN | POLLOUT);
    struct pipe *pp = f->pipe;
    if (!f->pipe_write) {
        if (pp->len) rev |= POLLIN;
        if (!pp->writers) rev |= POLLHUP;
    } else {
        if (!pp->readers) rev |= POLLERR;
        else if (pp->len < PIPE_SIZE) rev |= POLLOUT;
    }
    return rev & (events | POLLHUP | POLLERR);
}

int sys_poll(struct proc *p, struct pollfd *fds, int n, int timeout_ms)
{
    uint64_t deadline = timeout_ms < 0 ? 0 : now_ns() + (uint64_t)timeout_ms * 1000000ull;
    for (;;) {
        int r = proc_check(p);
        if (r < 0) return r;
        int ready = 0;
        for (int i = 0; i < n; i++) {
            struct file *f = fd_get(p, fds[i].fd);
            fds[i].revents = fds[i].fd < 0 ? 0 : f ? poll_one(f, fds[i].events) : POLLNVAL;
            if (fds[i].revents) ready++;
        }
        if (ready || timeout_ms == 0) return ready;
        if (timeout_ms > 0 && now_ns() >= deadline) return 0;
        uint64_t d = deadline;
        if (p->exec && p->exec->deadline && (!d || p->exec->deadline < d)) d = p->exec->deadline;
        vm_wait(p->vm, d);
    }
}

int sys_getdents(struct proc *p, int fd, struct vfs_dirent *ents, int n)
{
    int r = proc_check(p);
    if (r < 0) return r;
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    if (f->kind != F_DIR) return -ENOTDIR;
    struct vfs_fs *fs = f->node.fs;
    int got = 0;
    while (got < n && f->dir_dots > 0) {
        /* "." then "..": the VFS knows what ".." is across mounts. */
        struct vfs_dirent *d = &ents[got];
        bool dot = f->dir_dots == 2;
        strcpy(d->name, dot ? "." : "..");
        d->type = DT_DIR;
        d->ino = f->node.ino;
        if (!dot) {
            struct vfs_ctx ctx;
            struct vfs_cred cred;
            proc_vfs_ctx(p, &ctx, &cred);
            ctx.cwd = f->node;
            struct stat st;
            if (vfs_stat(&ctx, "..", 0, &st) == 0) d->ino = st.st_ino;
        }
        f->dir_dots--;
        got++;
    }
    while (got < n) {
        r = fs->ops->readdir(fs, f->node.ino, &f->dir_cookie, &ents[got]);
        if (r < 0) return got ? got : r;
        if (r == 0) break;
        got++;
    }
    return got;
}
