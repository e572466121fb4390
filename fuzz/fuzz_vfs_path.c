/* fuzz_vfs_path.c — random paths and calls on a small namespace must never
 * crash, leak or break an invariant.
 *
 * Each input is a script of up to 64 lines "OC path [path2]": O picks the
 * call, C the caller (root, a user, another user) and flag bits; paths are
 * any bytes but '\n' and ' '. The namespace is rebuilt per input: a memfs
 * root with /tmp (1777), /etc/passwd, /a/b/c, symlinks (a loop, a dangling
 * one, an absolute one), a second memfs on /mnt and a read-only one on /ro.
 *
 * Checked besides "no crash": every directory that resolves has a canonical
 * path (vfs_path_of) that resolves back to it, and memfs_check passes on
 * every instance at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "fs/memfs.h"
#include "fs/vfs.h"

static const gid_t groups[] = {2000};
static const struct vfs_cred creds[3] = {
    {0, 0, 0, NULL},
    {1000, 1000, 1, groups},
    {1001, 1001, 0, NULL},
};

static void check(int ok)
{
    if (!ok) __builtin_trap();
}

static void mkfile(struct vfs_ctx *c, const char *path, const char *text)
{
    vnode n;
    if (vfs_open(c, path, O_WRONLY | O_CREAT, 0644, &n, NULL) == 0 && text)
        n.fs->ops->write(n.fs, n.ino, text, strlen(text), 0);
}

static int build(struct vfs_ns *ns, struct vfs_fs *fs[3])
{
    fs[0] = memfs_new(1, 0, 0);
    fs[1] = memfs_new(2, 0, 0);
    fs[2] = memfs_new(3, 0, 0);
    if (!fs[0] || !fs[1] || !fs[2] || vfs_ns_init(ns, fs[0]) < 0) {
        for (int i = 0; i < 3; i++)
            if (fs[i]) fs[i]->ops->destroy(fs[i]);
        return -1;
    }
    struct vfs_ctx c = {ns, &creds[0], vfs_root(ns), NULL, 0};
    vfs_mkdir(&c, "/tmp", 01777);
    vfs_mkdir(&c, "/etc", 0755);
    mkfile(&c, "/etc/passwd", "root\n");
    vfs_mkdir(&c, "/a", 0755);
    vfs_mkdir(&c, "/a/b", 0700);
    vfs_mkdir(&c, "/a/b/c", 0777);
    vfs_mkdir(&c, "/home", 0755);
    vfs_mkdir(&c, "/home/agent", 0755);
    vfs_chown(&c, "/home/agent", 1000, 1000, 0);
    vfs_symlink(&c, "loop", "/tmp/loop");
    vfs_symlink(&c, "nowhere", "/tmp/dang");
    vfs_symlink(&c, "/a/b", "/tmp/ab");
    vfs_symlink(&c, "../etc/passwd", "/a/pw");
    vfs_mkdir(&c, "/mnt", 0777);
    vfs_mkdir(&c, "/ro", 0755);
    struct vfs_newnode nd = {S_IFDIR | 0777, 0, 0, 0, NULL};
    uint64_t ino;
    fs[2]->ops->mknode(fs[2], fs[2]->root_ino, "d", &nd, &ino);
    vfs_mount(&c, "/mnt", fs[1], 0);
    vfs_mount(&c, "/ro", fs[2], 1);
    vfs_mkdir(&c, "/mnt/x", 0755);
    return 0;
}

/* A directory that resolves has a canonical path leading back to it. */
static void check_path_of(struct vfs_ctx *c, const char *path)
{
    vnode n, m;
    char buf[VFS_PATH_MAX];
    if (vfs_resolve(c, path, VFS_DIRECTORY, &n, NULL) < 0) return;
    int r = vfs_path_of(c, n, buf, sizeof buf);
    if (r == -ENAMETOOLONG) return;
    check(r == 0 && buf[0] == '/');
    struct vfs_ctx root = *c;
    root.cred = &creds[0];
    check(vfs_resolve(&root, buf, VFS_DIRECTORY, &m, NULL) == 0);
    check(m.fs == n.fs && m.ino == n.ino);
}

static void run(struct vfs_ctx *c, int op, int flags, const char *p1, const char *p2)
{
    vnode n;
    struct stat st;
    struct statvfs sv;
    char buf[64];
    struct timespec ts[2] = {{flags, 0}, {0, flags & 1 ? UTIME_NOW : UTIME_OMIT}};
    int nf = flags & 1 ? VFS_NOFOLLOW : 0;
    static const int oflags[8] = {
        O_RDONLY,
        O_WRONLY | O_CREAT,
        O_RDWR | O_CREAT | O_EXCL,
        O_WRONLY | O_TRUNC,
        O_RDONLY | O_DIRECTORY,
        O_RDONLY | O_NOFOLLOW,
        O_RDWR | O_CREAT | O_TRUNC,
        O_WRONLY | O_CREAT | O_NOFOLLOW,
    };
    switch (op % 20) {
    case 0: vfs_resolve(c, p1, flags & 3, &n, NULL); break;
    case 1: vfs_stat(c, p1, nf, &st); break;
    case 2: vfs_open(c, p1, oflags[flags & 7], 0666, &n, NULL); break;
    case 3: vfs_mkdir(c, p1, 0777); break;
    case 4: vfs_rmdir(c, p1); break;
    case 5: vfs_unlink(c, p1); break;
    case 6: vfs_rename(c, p1, p2); break;
    case 7: vfs_link(c, p1, p2, flags & 1 ? AT_SYMLINK_FOLLOW : 0); break;
    case 8: vfs_symlink(c, p1, p2); break;
    case 9: vfs_readlink(c, p1, buf, sizeof buf); break;
    case 10: vfs_chmod(c, p1, flags * 0111, nf); break;
    case 11: vfs_chown(c, p1, flags & 2 ? 1000 : -1, flags & 4 ? 2000 : -1, nf); break;
    case 12: vfs_utimens(c, p1, flags & 2 ? ts : NULL, nf); break;
    case 13: vfs_truncate(c, p1, flags * 1000); break;
    case 14: vfs_statfs(c, p1, &sv); break;
    case 15: vfs_access(c, p1, flags & 7, nf); break;
    case 16: vfs_mknod(c, p1, (flags & 1 ? S_IFIFO : S_IFCHR) | 0644, makedev(1, 3)); break;
    case 17: {
        vnode d;
        char name[VFS_NAME_MAX + 1];
        int ts2;
        vfs_resolve_parent(c, p1, &d, name, &ts2);
        break;
    }
    case 18:
        if (vfs_resolve(c, p1, VFS_DIRECTORY, &n, NULL) == 0) c->cwd = n;
        break;
    case 19: check_path_of(c, p1); break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vfs_ns ns;
    struct vfs_fs *fs[3];
    if (size > 65536 || build(&ns, fs) < 0) return 0;
    char *text = malloc(size + 1);
    if (!text) goto out;
    memcpy(text, data, size);
    text[size] = 0;
    struct vfs_ctx c = {&ns, &creds[0], vfs_root(&ns), NULL, 022};
    char *line = text;
    for (int i = 0; i < 64 && line; i++) {
        char *next = strchr(line, '\n');
        if (next) *next++ = 0;
        if (strlen(line) >= 2) {
            int op = (unsigned char)line[0], who = (unsigned char)line[1];
            char *p1 = line + 2, *p2 = strchr(p1, ' ');
            if (p2) *p2++ = 0;
            c.cred = &creds[who % 3];
            run(&c, op, who >> 2, p1, p2 ? p2 : "/tmp/x");
            check_path_of(&c, ".");
        }
        line = next;
    }
    free(text);
out:
    for (int i = 0; i < 3; i++) check(memfs_check(fs[i], NULL) == 0);
    vfs_ns_free(&ns);
    return 0;
}
