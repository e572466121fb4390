/* procfs.c — /proc: a filesystem generated from the VM's process table.
 *
 *   /proc/self            symlink to the calling process's directory
 *   /proc/PID/fd/N        magic links to open files (a pipe opens the same
 *                         pipe; a file reopens the node, as on Linux)
 *   /proc/PID/cwd         magic link to the working directory
 *   /proc/PID/cmdline, environ, status
 *   /proc/uptime, meminfo, version
 *
 * Inode numbers encode what a node is: the pid in the high 32 bits, a kind
 * in bits 20-27 and an fd number in the low 20 bits. Nothing is stored.
 */
#include "kernel/kernel.h"
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_PIDDIR = 1, K_FDDIR, K_FD, K_CWD, K_CMDLINE, K_ENVIRON, K_STATUS };
enum { I_ROOT = 1, I_SELF, I_UPTIME, I_MEMINFO, I_VERSION };

struct procfs {
    struct vfs_fs base;
    struct vm *vm;
};

#define INO(pid, kind, fd) (((uint64_t)(pid) << 32) | ((uint64_t)(kind) << 20) | (uint64_t)(fd))
#define PID(ino) ((int)((ino) >> 32))
#define KIND(ino) ((int)(((ino) >> 20) & 0xff))
#define FDN(ino) ((int)((ino)&0xfffff))

static const char *const top_files[] = {"uptime", "meminfo", "version"};
static const char *const pid_entries[] = {"fd", "cwd", "cmdline", "environ", "status"};
static const int pid_kinds[] = {K_FDDIR, K_CWD, K_CMDLINE, K_ENVIRON, K_STATUS};

static struct vm *pvm(struct vfs_fs *fs)
{
    return ((struct procfs *)fs)->vm;
}

static struct proc *live(struct vfs_fs *fs, int pid)
{
    struct proc *p = proc_find(pvm(fs), pid);
    return p && p->state != P_ZOMBIE ? p : NULL;
}

/* Does this inode still name something? */
static int check(struct vfs_fs *fs, uint64_t ino)
{
    if (ino <= I_VERSION) return ino ? 0 : -ENOENT;
    struct proc *p = live(fs, PID(ino));
    if (!p) return -ENOENT;
    if (KIND(ino) == K_FD && !fd_get(p, FDN(ino))) return -ENOENT;
    return 0;
}

static int parse_num(const char *s)
{
    if (!*s || strlen(s) > 9) return -1;
    int n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        n = n * 10 + (*s - '0');
    }
    return n;
}

static int procfs_lookup(struct vfs_fs *fs, uint64_t dir, const char *name, uint64_t *ino)
{
    int r = check(fs, dir);
    if (r < 0) return r;
    bool dotdot = !strcmp(name, "..");
    if (dir == I_ROOT) {
        if (dotdot) return *ino = I_ROOT, 0;
        if (!strcmp(name, "self")) return *ino = I_SELF, 0;
        for (size_t i = 0; i < 3; i++)
            if (!strcmp(name, top_files[i])) return *ino = I_UPTIME + i, 0;
        int pid = parse_num(name);
        if (pid <= 0 || !live(fs, pid)) return -ENOENT;
        return *ino = INO(pid, K_PIDDIR, 0), 0;
    }
    int pid = PID(dir);
    if (KIND(dir) == K_PIDDIR) {
        if (dotdot) return *ino = I_ROOT, 0;
        for (size_t i = 0; i < 5; i++)
            if (!strcmp(name, pid_entries[i])) return *ino = INO(pid, pid_kinds[i], 0), 0;
        return -ENOENT;
    }
    if (KIND(dir) == K_FDDIR) {
        if (dotdot) return *ino = INO(pid, K_PIDDIR, 0), 0;
        int fd = parse_num(name);
        if (fd < 0 || fd > 0xfffff || !fd_get(live(fs, pid), fd)) return -ENOENT;
        return *ino = INO(pid, K_FD, fd), 0;
    }
    return -ENOTDIR;
}

static int procfs_getattr(struct vfs_fs *fs, uint64_t ino, struct stat *st)
{
    int r = check(fs, ino);
    if (r < 0) return r;
    memset(st, 0, sizeof *st);
    st->st_dev = fs->dev;
    st->st_ino = ino;
    st->st_nlink = 1;
    st->st_blksize = 1024;
    vm_time(pvm(fs), &st->st_mtim);
    st->st_atim = st->st_ctim = st->st_mtim;
    struct proc *p = ino > I_VERSION ? live(fs, PID(ino)) : NULL;
    if (p) {
        st->st_uid = p->uid;
        st->st_gid = p->gid;
    }
    int kind = ino > I_VERSION ? KIND(ino) : 0;
    if (ino == I_ROOT || kind == K_PIDDIR || kind == K_FDDIR) {
        st->st_mode = S_IFDIR | 0555;
        st->st_nlink = 2;
    } else if (ino == I_SELF || kind == K_FD || kind == K_CWD) {
        st->st_mode = S_IFLNK | 0777;
        if (kind == K_FD) st->st_mode = S_IFLNK | 0700;
    } else {
        st->st_mode = S_IFREG | 0444;
        if (kind == K_ENVIRON) st->st_mode = S_IFREG | 0400;
    }
    return 0;
}

static int procfs_setattr(struct vfs_fs *fs, uint64_t ino, const struct vfs_setattr *set)
{
    int r = check(fs, ino);
    return r < 0 ? r : -EPERM;
}

/* The text of a generated file, malloc'd; *len its length. */
static char *gen(struct vfs_fs *fs, uint64_t ino, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0;
    FILE *m = open_memstream(&buf, &cap);
    if (!m) return NULL;
    struct vm *vm = pvm(fs);
    struct proc *p = ino > I_VERSION ? live(fs, PID(ino)) : NULL;
    if (ino == I_UPTIME) {
        fprintf(m, "%.2f %.2f\n", 0.0, 0.0);
    } else if (ino == I_MEMINFO) {
        uint64_t total = vm->limits.memory_bytes ? vm->limits.memory_bytes : (1ull << 30);
        fprintf(m, "MemTotal:       %8llu kB\nMemFree:        %8llu kB\nMemAvailable:   %8llu kB\n",
                (unsigned long long)(total >> 10),
                (unsigned long long)((total - vm->mem_used) >> 10),
                (unsigned long long)((total - vm->mem_used) >> 10));
    } else if (ino == I_VERSION) {
        fprintf(m, "Linux version 6.1.0-vos (vos " VOS_VERSION ")\n");
    } else if (p && KIND(ino) == K_CMDLINE) {
        for (int i = 0; p->argv && p->argv[i]; i++) fwrite(p->argv[i], 1, strlen(p->argv[i]) + 1, m);
    } else if (p && KIND(ino) == K_ENVIRON) {
        for (char **e = p->env; e && *e; e++) fwrite(*e, 1, strlen(*e) + 1, m);
    } else if (p && KIND(ino) == K_STATUS) {
        const char *name = p->argv && p->argv[0] ? p->argv[0] : "";
        const char *slash = strrchr(name, '/');
        fprintf(m, "Name:\t%.15s\nState:\t%s\nPid:\t%d\nPPid:\t%d\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n",
                slash ? slash + 1 : name, p->state == P_RUNNING ? "R (running)" : "S (sleeping)",
                p->pid, p->ppid, p->uid, p->uid, p->uid, p->uid, p->gid, p->gid, p->gid, p->gid);
    }
    fclose(m);
    *len = cap;
    return buf;
}

static ssize_t procfs_read(struct vfs_fs *fs, uint64_t ino, void *out, size_t n, off_t off)
{
    struct stat st;
    int r = procfs_getattr(fs, ino, &st);
    if (r < 0) return r;
    if (S_ISDIR(st.st_mode)) return -EISDIR;
    size_t len;
    char *text = gen(fs, ino, &len);
    if (!text) return -ENOMEM;
    size_t take = (size_t)off >= len ? 0 : len - (size_t)off;
    if (take > n) take = n;
    memcpy(out, text + off, take);
    free(text);
    return (ssize_t)take;
}

static ssize_t procfs_write(struct vfs_fs *fs, uint64_t ino, const void *b, size_t n, off_t off)
{
    int r = check(fs, ino);
    return r < 0 ? r : -EACCES;
}

static int procfs_readdir(struct vfs_fs *fs, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out)
{
    int r = check(fs, dir);
    if (r < 0) return r;
    struct vm *vm = pvm(fs);
    uint64_t c = *cookie;
    if (dir == I_ROOT) {
        if (c < 4) {
            const char *name = c == 0 ? "self" : top_files[c - 1];
            snprintf(out->name, sizeof out->name, "%s", name);
            out->ino = c == 0 ? I_SELF : I_UPTIME + (c - 1);
            out->type = c == 0 ? DT_LNK : DT_REG;
            *cookie = c + 1;
            return 1;
        }
        /* Then the pids in increasing order: the cookie is 4 + the last pid. */
        int last = (int)(c - 4), best = 0;
        for (int i = 0; i < vm->nprocs; i++) {
            struct proc *p = vm->procs[i];
            if (p->state != P_ZOMBIE && p->pid > last && (!best || p->pid < best)) best = p->pid;
        }
        if (!best) return 0;
        snprintf(out->name, sizeof out->name, "%d", best);
        out->ino = INO(best, K_PIDDIR, 0);
        out->type = DT_DIR;
        *cookie = 4 + (uint64_t)best;
        return 1;
    }
    int pid = PID(dir);
    if (KIND(dir) == K_PIDDIR) {
        if (c >= 5) return 0;
        snprintf(out->name, sizeof out->name, "%s", pid_entries[c]);
        out->ino = INO(pid, pid_kinds[c], 0);
        out->type = pid_kinds[c] == K_FDDIR ? DT_DIR : pid_kinds[c] == K_CWD ? DT_LNK : DT_REG;
        *cookie = c + 1;
        return 1;
    }
    if (KIND(dir) != K_FDDIR) return -ENOTDIR;
    struct proc *p = live(fs, pid);
    for (int fd = (int)c; fd < p->nfds; fd++) {
        if (!p->fds[fd].f) continue;
        snprintf(out->name, sizeof out->name, "%d", fd);
        out->ino = INO(pid, K_FD, fd);
        out->type = DT_LNK;
        *cookie = (uint64_t)fd + 1;
        return 1;
    }
    return 0;
}

static ssize_t put(char *buf, size_t n, const char *s)
{
    size_t l = strlen(s);
    if (l > n) l = n;
    memcpy(buf, s, l);
    return (ssize_t)l;
}

static ssize_t procfs_readlink(struct vfs_fs *fs, uint64_t ino, char *buf, size_t n)
{
    int r = check(fs, ino);
    if (r < 0) return r;
    char tmp[VFS_PATH_MAX + 32];
    struct vm *vm = pvm(fs);
    if (ino == I_SELF) {
        if (!vm->current) return -ENOENT;
        snprintf(tmp, sizeof tmp, "%d", vm->current->pid);
        return put(buf, n, tmp);
    }
    struct proc *p = live(fs, PID(ino));
    if (KIND(ino) == K_CWD) {
        struct vfs_ctx ctx;
        struct vfs_cred cred;
        struct proc *cur = vm->current;
        proc_vfs_ctx(p, &ctx, &cred);
        vm->current = cur;
        r = vfs_path_of(&ctx, p->cwd, tmp, sizeof tmp);
        return r < 0 ? r : put(buf, n, tmp);
    }
    if (KIND(ino) != K_FD) return -EINVAL;
    struct file *f = fd_get(p, FDN(ino));
    if (f->path && (f->kind == F_NODE || f->kind == F_DIR || f->kind == F_DEV))
        return put(buf, n, f->path);
    void *id = f->kind == F_PIPE ? (void *)f->pipe : f->kind == F_SINK ? (void *)f->sink : (void *)f;
    snprintf(tmp, sizeof tmp, "pipe:[%lu]", (unsigned long)(((uintptr_t)id >> 4) & 0xffffff));
    return put(buf, n, tmp);
}

static int procfs_magic(struct vfs_fs *fs, uint64_t ino, void *proc, struct vfs_magic *out)
{
    int r = check(fs, ino);
    if (r < 0) return r;
    struct vm *vm = pvm(fs);
    if (ino == I_SELF) {
        struct proc *cur = proc ? proc : vm->current;
        if (!cur) return -ENOENT;
        out->node = (vnode){fs, INO(cur->pid, K_PIDDIR, 0)};
        return 0;
    }
    struct proc *p = live(fs, PID(ino));
    if (KIND(ino) == K_CWD) {
        out->node = p->cwd;
        return 0;
    }
    if (KIND(ino) != K_FD) return -EINVAL;
    struct file *f = fd_get(p, FDN(ino));
    if (f->kind == F_NODE || f->kind == F_DIR || f->kind == F_DEV) {
        out->node = f->node;
        return 0;
    }
    r = sys_fstat(p, FDN(ino), &out->st);
    if (r < 0) return r;
    out->file = out->want_file ? file_ref(f) : f;
    return 0;
}

static int procfs_statfs(struct vfs_fs *fs, struct statvfs *sv)
{
    memset(sv, 0, sizeof *sv);
    sv->f_bsize = sv->f_frsize = 4096;
    sv->f_namemax = 255;
    sv->f_fsid = 0x9fa0; /* PROC_SUPER_MAGIC */
    return 0;
}

static int procfs_refuse(void)
{
    return -EACCES;
}

static int procfs_mknode(struct vfs_fs *fs, uint64_t dir, const char *name,
                         const struct vfs_newnode *nn, uint64_t *ino)
{
    uint64_t x;
    return procfs_lookup(fs, dir, name, &x) == 0 ? -EEXIST : procfs_refuse();
}

static int procfs_link(struct vfs_fs *fs, uint64_t ino, uint64_t dir, const char *name)
{
    return procfs_refuse();
}

static int procfs_unlink(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    return procfs_refuse();
}

static int procfs_rename(struct vfs_fs *fs, uint64_t od, const char *on, uint64_t nd,
                         const char *nn)
{
    return procfs_refuse();
}

static struct vfs_fs *procfs_clone(struct vfs_fs *fs)
{
    return procfs_new(pvm(fs), fs->dev);
}

static void procfs_destroy(struct vfs_fs *fs)
{
    free(fs);
}

static const struct vfs_ops procfs_ops = {
    .lookup = procfs_lookup,
    .getattr = procfs_getattr,
    .setattr = procfs_setattr,
    .read = procfs_read,
    .write = procfs_write,
    .readdir = procfs_readdir,
    .mknode = procfs_mknode,
    .link = procfs_link,
    .unlink = procfs_unlink,
    .rmdir = procfs_unlink,
    .rename = procfs_rename,
    .readlink = procfs_readlink,
    .statfs = procfs_statfs,
    .magic = procfs_magic,
    .clone = procfs_clone,
    .destroy = procfs_destroy,
};

struct vfs_fs *procfs_new(struct vm *vm, uint64_t dev)
{
    struct procfs *pf = calloc(1, sizeof *pf);
    if (!pf) return NULL;
    pf->base.ops = &procfs_ops;
    pf->base.root_ino = I_ROOT;
    pf->base.dev = dev;
    pf->vm = vm;
    return &pf->base;
}

void procfs_rebind(struct vfs_fs *fs, struct vm *vm)
{
    if (fs->ops == &procfs_ops) ((struct procfs *)fs)->vm = vm;
}
