/* sys.c — the path calls: each builds the calling process's view (its
 * namespace, credentials, cwd, umask) and hands the work to the VFS, where
 * every POSIX rule lives; sys_open then wraps the node in an open file.
 */
#include "kernel/kernel.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

struct file *fifo_open(struct proc *p, vnode node, int flags, int *err);
struct file *dev_open(struct vm *vm, vnode node, const struct stat *st, int flags, int *err);

void proc_vfs_ctx(struct proc *p, struct vfs_ctx *ctx, struct vfs_cred *cred)
{
    cred->uid = p->uid;
    cred->gid = p->gid;
    cred->ngroups = 0;
    cred->groups = NULL;
    ctx->ns = &p->vm->ns;
    ctx->cred = cred;
    ctx->cwd = p->cwd;
    ctx->proc = p;
    ctx->umask = p->umask;
    p->vm->current = p;
}

#define CTX(p)                                                                                     \
    struct vfs_ctx ctx;                                                                            \
    struct vfs_cred cred;                                                                          \
    int chk_ = proc_check(p);                                                                      \
    if (chk_ < 0) return chk_;                                                                     \
    proc_vfs_ctx(p, &ctx, &cred)

static struct file *node_file(struct proc *p, vnode n, int flags, int *err)
{
    struct stat st;
    int r = n.fs->ops->getattr(n.fs, n.ino, &st);
    if (r < 0) {
        *err = r;
        return NULL;
    }
    if (S_ISFIFO(st.st_mode)) return fifo_open(p, n, flags, err);
    if (S_ISCHR(st.st_mode)) return dev_open(p->vm, n, &st, flags, err);
    struct file *f = calloc(1, sizeof *f);
    if (!f) {
        *err = -ENOMEM;
        return NULL;
    }
    f->refs = 1;
    f->vm = p->vm;
    f->kind = S_ISDIR(st.st_mode) ? F_DIR : F_NODE;
    f->flags = flags & (O_ACCMODE | O_APPEND | O_NONBLOCK);
    f->node = n;
    f->dir_dots = 2;
    if (n.fs->ops->open) n.fs->ops->open(n.fs, n.ino);
    return f;
}

/* The absolute path an fd was opened by (not canonical), for readlink of
 * /proc/PID/fd/N. NULL when out of memory: readlink then says so. */
static char *abs_path(struct proc *p, const char *path)
{
    if (path[0] == '/') return strdup(path);
    char cwd[VFS_PATH_MAX];
    if (sys_getcwd(p, cwd, sizeof cwd) < 0) return NULL;
    char *r = malloc(strlen(cwd) + strlen(path) + 2);
    if (r) sprintf(r, "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", path);
    return r;
}

int sys_open(struct proc *p, const char *path, int flags, mode_t mode)
{
    CTX(p);
    vnode n;
    void *magic = NULL;
    int r = vfs_open(&ctx, path, flags, mode, &n, &magic);
    struct file *f;
    if (r == -EVFS_FILE) f = magic;
    else if (r < 0) return r;
    else if (!(f = node_file(p, n, flags, &r))) return r;
    if (!f->path) f->path = abs_path(p, path);
    r = fd_install(p, f, 0, false, flags & O_CLOEXEC);
    file_unref(f);
    return r;
}

int sys_stat(struct proc *p, const char *path, struct stat *st)
{
    CTX(p);
    return vfs_stat(&ctx, path, 0, st);
}

int sys_lstat(struct proc *p, const char *path, struct stat *st)
{
    CTX(p);
    return vfs_stat(&ctx, path, VFS_NOFOLLOW, st);
}

int sys_access(struct proc *p, const char *path, int mode)
{
    CTX(p);
    return vfs_access(&ctx, path, mode, 0);
}

int sys_mkdir(struct proc *p, const char *path, mode_t mode)
{
    CTX(p);
    return vfs_mkdir(&ctx, path, mode);
}

int sys_mknod(struct proc *p, const char *path, mode_t mode, dev_t dev)
{
    CTX(p);
    return vfs_mknod(&ctx, path, mode, dev);
}

int sys_rmdir(struct proc *p, const char *path)
{
    CTX(p);
    return vfs_rmdir(&ctx, path);
}

int sys_unlink(struct proc *p, const char *path)
{
    CTX(p);
    return vfs_unlink(&ctx, path);
}

int sys_rename(struct proc *p, const char *from, const char *to)
{
    CTX(p);
    return vfs_rename(&ctx, from, to);
}

int sys_link(struct proc *p, const char *from, const char *to)
{
    CTX(p);
    return vfs_link(&ctx, from, to, 0);
}

int sys_symlink(struct proc *p, const char *target, const char *path)
{
    CTX(p);
    return vfs_symlink(&ctx, target, path);
}

ssize_t sys_readlink(struct proc *p, const char *path, char *buf, size_t n)
{
    CTX(p);
    return vfs_readlink(&ctx, path, buf, n);
}

int sys_chmod(struct proc *p, const char *path, mode_t mode)
{
    CTX(p);
    return vfs_chmod(&ctx, path, mode, 0);
}

int sys_chown(struct proc *p, const char *path, uid_t uid, gid_t gid, bool nofollow)
{
    CTX(p);
    return vfs_chown(&ctx, path, uid, gid, nofollow ? VFS_NOFOLLOW : 0);
}

int sys_utimens(struct proc *p, const char *path, const struct timespec ts[2], bool nofollow)
{
    CTX(p);
    return vfs_utimens(&ctx, path, ts, nofollow ? VFS_NOFOLLOW : 0);
}

int sys_truncate(struct proc *p, const char *path, off_t size)
{
    CTX(p);
    return vfs_truncate(&ctx, path, size);
}

int sys_statfs(struct proc *p, const char *path, struct statvfs *sv)
{
    CTX(p);
    return vfs_statfs(&ctx, path, sv);
}

/* The fd variants work on the node behind an open file. */
static int fd_node(struct proc *p, int fd, vnode *n)
{
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    if (f->kind != F_NODE && f->kind != F_DIR && f->kind != F_DEV) return -EINVAL;
    *n = f->node;
    return 0;
}

int sys_fchmod(struct proc *p, int fd, mode_t mode)
{
    CTX(p);
    vnode n;
    int r = fd_node(p, fd, &n);
    return r < 0 ? r : vfs_node_chmod(&ctx, n, mode);
}

int sys_fchown(struct proc *p, int fd, uid_t uid, gid_t gid)
{
    CTX(p);
    vnode n;
    int r = fd_node(p, fd, &n);
    return r < 0 ? r : vfs_node_chown(&ctx, n, uid, gid);
}

int sys_futimens(struct proc *p, int fd, const struct timespec ts[2])
{
    CTX(p);
    vnode n;
    int r = fd_node(p, fd, &n);
    return r < 0 ? r : vfs_node_utimens(&ctx, n, ts);
}

int sys_ftruncate(struct proc *p, int fd, off_t size)
{
    CTX(p);
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    if (f->kind != F_NODE || (f->flags & O_ACCMODE) == O_RDONLY) return -EINVAL;
    return vfs_node_truncate(&ctx, f->node, size);
}

static int set_cwd(struct proc *p, vnode n)
{
    if (n.fs->ops->open) n.fs->ops->open(n.fs, n.ino);
    if (p->cwd.fs && p->cwd.fs->ops->close) p->cwd.fs->ops->close(p->cwd.fs, p->cwd.ino);
    p->cwd = n;
    return 0;
}

int sys_chdir(struct proc *p, const char *path)
{
    CTX(p);
    vnode n;
    void *magic = NULL;
    int r = vfs_resolve(&ctx, path, VFS_DIRECTORY, &n, &magic);
    if (r == -EVFS_FILE) {
        file_unref(magic);
        return -ENOTDIR;
    }
    if (r < 0) return r;
    struct stat st;
    if ((r = n.fs->ops->getattr(n.fs, n.ino, &st)) < 0) return r;
    if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
    if ((r = vfs_permission(&cred, &st, X_OK)) < 0) return r;
    return set_cwd(p, n);
}

int sys_fchdir(struct proc *p, int fd)
{
    struct file *f = fd_get(p, fd);
    if (!f) return -EBADF;
    if (f->kind != F_DIR) return -ENOTDIR;
    return set_cwd(p, f->node);
}

int sys_getcwd(struct proc *p, char *buf, size_t n)
{
    CTX(p);
    return vfs_path_of(&ctx, p->cwd, buf, n);
}

mode_t sys_umask(struct proc *p, mode_t mask)
{
    mode_t old = p->umask;
    p->umask = mask & 0777;
    return old;
}
