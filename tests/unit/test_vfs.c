/* test_vfs.c — path resolution, mounts and POSIX rules of src/fs/vfs.c.
 *
 * Each test gets a fresh namespace on memfs:
 *
 *   /            memfs dev 1, root 0755
 *   /tmp         1777 (sticky)
 *   /home/agent  0755 owned by 1000:1000
 *   /secret      0700 root, holding /secret/f
 *   /etc/passwd  0644 root, "root\n"
 *   /mnt         a second memfs (dev 2), read-write
 *   /ro          a third memfs (dev 3), read-only, holding f (0666) and d/
 *
 * and three callers: root, "user" (1000:1000, supplementary group 2000) and
 * "other" (1001:1001). Expected answers were checked against Linux 6.x on
 * the host (see the notes next to the less obvious ones).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fs/memfs.h"
#include "fs/vfs.h"

static const gid_t user_groups[] = {2000};
static const struct vfs_cred root_cred = {0, 0, 0, NULL};
static const struct vfs_cred user_cred = {1000, 1000, 1, user_groups};
static const struct vfs_cred other_cred = {1001, 1001, 0, NULL};

static struct vfs_ns ns;
static struct vfs_fs *rootfs, *mntfs, *rofs;
static struct vfs_ctx R, U, O; /* root, user, other */

/* ---- helpers ----------------------------------------------------------------- */

static int mkfile(struct vfs_ctx *c, const char *path, mode_t mode, const char *text)
{
    vnode n;
    int r = vfs_open(c, path, O_WRONLY | O_CREAT | O_TRUNC, mode, &n, NULL);
    if (r < 0) return r;
    if (text) {
        ssize_t w = n.fs->ops->write(n.fs, n.ino, text, strlen(text), 0);
        if (w < 0) return (int)w;
    }
    return 0;
}

static off_t size_of(const char *path)
{
    struct stat st;
    int r = vfs_stat(&R, path, 0, &st);
    return r < 0 ? r : st.st_size;
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(vfs_stat(&R, path, VFS_NOFOLLOW, &st), 0);
    return st.st_mode;
}

static int exists(const char *path)
{
    struct stat st;
    return vfs_stat(&R, path, VFS_NOFOLLOW, &st) == 0;
}

static vnode node_of(struct vfs_ctx *c, const char *path)
{
    vnode n = {0};
    assert_int_equal(vfs_resolve(c, path, 0, &n, NULL), 0);
    return n;
}

static void ctx_init(struct vfs_ctx *c, const struct vfs_cred *cred)
{
    memset(c, 0, sizeof *c);
    c->ns = &ns;
    c->cred = cred;
    c->cwd = vfs_root(&ns);
    c->umask = 022;
}

static int setup(void **state)
{
    rootfs = memfs_new(1, 0, 0);
    assert_non_null(rootfs);
    assert_int_equal(vfs_ns_init(&ns, rootfs), 0);
    ctx_init(&R, &root_cred);
    ctx_init(&U, &user_cred);
    ctx_init(&O, &other_cred);
    R.umask = 0;
    assert_int_equal(vfs_mkdir(&R, "/tmp", 01777), 0);
    assert_int_equal(vfs_mkdir(&R, "/home", 0755), 0);
    assert_int_equal(vfs_mkdir(&R, "/home/agent", 0755), 0);
    assert_int_equal(vfs_chown(&R, "/home/agent", 1000, 1000, 0), 0);
    assert_int_equal(vfs_mkdir(&R, "/secret", 0700), 0);
    assert_int_equal(mkfile(&R, "/secret/f", 0644, "s"), 0);
    assert_int_equal(vfs_mkdir(&R, "/etc", 0755), 0);
    assert_int_equal(mkfile(&R, "/etc/passwd", 0644, "root\n"), 0);
    assert_int_equal(vfs_mkdir(&R, "/mnt", 0755), 0);
    assert_int_equal(vfs_mkdir(&R, "/ro", 0755), 0);
    mntfs = memfs_new(2, 0, 0);
    rofs = memfs_new(3, 0, 0);
    assert_non_null(mntfs);
    assert_non_null(rofs);
    /* Fill the read-only instance before it is mounted read-only. */
    struct vfs_newnode nf = {S_IFREG | 0666, 0, 0, 0, NULL}, nd = {S_IFDIR | 0777, 0, 0, 0, NULL};
    uint64_t ino;
    assert_int_equal(rofs->ops->mknode(rofs, rofs->root_ino, "f", &nf, &ino), 0);
    assert_int_equal(rofs->ops->mknode(rofs, rofs->root_ino, "d", &nd, &ino), 0);
    assert_int_equal(vfs_mount(&R, "/mnt", mntfs, 0), 0);
    assert_int_equal(vfs_mount(&R, "/ro", rofs, 1), 0);
    assert_int_equal(vfs_chmod(&R, "/mnt", 0777, 0), 0);
    R.umask = 022;
    *state = NULL;
    return 0;
}

static int teardown(void **state)
{
    vfs_ns_free(&ns);
    return 0;
}

/* ---- clock, permission bits ----------------------------------------------------- */

static void fixed_clock(void *ctx, struct timespec *ts)
{
    ts->tv_sec = *(time_t *)ctx;
    ts->tv_nsec = 7;
}

static void test_now(void **state)
{
    struct vfs_fs fs = {0};
    struct timespec a, b;
    vfs_now(&fs, &a);
    clock_gettime(CLOCK_REALTIME, &b);
    assert_true(b.tv_sec - a.tv_sec <= 1);
    time_t t = 12345;
    fs.now = fixed_clock;
    fs.now_ctx = &t;
    vfs_now(&fs, &a);
    assert_int_equal(a.tv_sec, 12345);
    assert_int_equal(a.tv_nsec, 7);
}

static void test_permission_bits(void **state)
{
    struct stat st = {.st_mode = S_IFREG | 0640, .st_uid = 1000, .st_gid = 2000};
    assert_int_equal(vfs_permission(&user_cred, &st, R_OK | W_OK), 0);
    assert_int_equal(vfs_permission(&user_cred, &st, X_OK), -EACCES);
    /* other is not owner nor in group 2000 */
    assert_int_equal(vfs_permission(&other_cred, &st, R_OK), -EACCES);
    assert_int_equal(vfs_permission(&other_cred, &st, 0), 0);
    /* supplementary group */
    st.st_uid = 5;
    assert_int_equal(vfs_permission(&user_cred, &st, R_OK), 0);
    assert_int_equal(vfs_permission(&user_cred, &st, W_OK), -EACCES);
    /* owner bits apply even when group or other would allow more */
    st.st_uid = 1000;
    st.st_mode = S_IFREG | 0077;
    assert_int_equal(vfs_permission(&user_cred, &st, R_OK), -EACCES);
    /* root: R/W always; X only with some x bit, or on a directory */
    st.st_mode = S_IFREG | 0;
    assert_int_equal(vfs_permission(&root_cred, &st, R_OK | W_OK), 0);
    assert_int_equal(vfs_permission(&root_cred, &st, X_OK), -EACCES);
    st.st_mode = S_IFREG | 0001;
    assert_int_equal(vfs_permission(&root_cred, &st, X_OK), 0);
    st.st_mode = S_IFDIR | 0;
    assert_int_equal(vfs_permission(&root_cred, &st, X_OK), 0);
}

/* ---- resolution ------------------------------------------------------------------ */

static void test_resolve_basic(void **state)
{
    vnode root = vfs_root(&ns), n, m;
    assert_int_equal(vfs_resolve(&R, "/", 0, &n, NULL), 0);
    assert_true(n.fs == root.fs && n.ino == root.ino);
    assert_int_equal(vfs_resolve(&R, "///", 0, &n, NULL), 0);
    assert_int_equal(n.ino, root.ino);
    assert_int_equal(vfs_resolve(&R, "/..", 0, &n, NULL), 0);
    assert_int_equal(n.ino, root.ino);
    assert_int_equal(vfs_resolve(&R, "/../../etc/../..", 0, &n, NULL), 0);
    assert_int_equal(n.ino, root.ino);
    assert_int_equal(vfs_resolve(&R, "", 0, &n, NULL), -ENOENT);
    assert_int_equal(vfs_resolve(&R, "/nope", 0, &n, NULL), -ENOENT);
    assert_int_equal(vfs_resolve(&R, "/nope/x", 0, &n, NULL), -ENOENT);
    assert_int_equal(vfs_resolve(&R, "//etc///passwd", 0, &n, NULL), 0);
    assert_int_equal(vfs_resolve(&R, "/etc/./passwd", 0, &m, NULL), 0);
    assert_int_equal(n.ino, m.ino);
    /* relative to the cwd */
    R.cwd = node_of(&R, "/etc");
    assert_int_equal(vfs_resolve(&R, "passwd", 0, &m, NULL), 0);
    assert_int_equal(n.ino, m.ino);
    assert_int_equal(vfs_resolve(&R, "./passwd", 0, &m, NULL), 0);
    assert_int_equal(vfs_resolve(&R, "../etc/passwd", 0, &m, NULL), 0);
    assert_int_equal(n.ino, m.ino);
    assert_int_equal(vfs_resolve(&R, ".", 0, &m, NULL), 0);
    assert_int_equal(m.ino, node_of(&R, "/etc").ino);
    assert_int_equal(vfs_resolve(&R, "..", 0, &m, NULL), 0);
    assert_int_equal(m.ino, root.ino);
    /* a trailing slash after a directory is fine */
    assert_int_equal(vfs_resolve(&R, "/etc/", 0, &m, NULL), 0);
    assert_int_equal(vfs_resolve(&R, "/etc//.//", 0, &m, NULL), 0);
}

static void test_resolve_notdir(void **state)
{
    vnode n;
    assert_int_equal(vfs_resolve(&R, "/etc/passwd/x", 0, &n, NULL), -ENOTDIR);
    assert_int_equal(vfs_resolve(&R, "/etc/passwd/", 0, &n, NULL), -ENOTDIR);
    assert_int_equal(vfs_resolve(&R, "/etc/passwd/.", 0, &n, NULL), -ENOTDIR);
    assert_int_equal(vfs_resolve(&R, "/etc/passwd/..", 0, &n, NULL), -ENOTDIR);
    assert_int_equal(vfs_resolve(&R, "/etc/passwd", VFS_DIRECTORY, &n, NULL), -ENOTDIR);
    assert_int_equal(vfs_resolve(&R, "/etc", VFS_DIRECTORY, &n, NULL), 0);
    /* a relative path from a cwd that is not a directory */
    R.cwd = node_of(&R, "/etc/passwd");
    assert_int_equal(vfs_resolve(&R, "x", 0, &n, NULL), -ENOTDIR);
}

static void test_nametoolong(void **state)
{
    char name[300], path[VFS_PATH_MAX + 8];
    vnode n;
    memset(name, 'a', 256);
    name[256] = 0;
    assert_int_equal(vfs_resolve(&R, name, 0, &n, NULL), -ENAMETOOLONG);
    assert_int_equal(vfs_mkdir(&R, name, 0755), -ENAMETOOLONG);
    assert_int_equal(mkfile(&R, name, 0644, NULL), -ENAMETOOLONG);
    name[255] = 0;
    assert_int_equal(vfs_resolve(&R, name, 0, &n, NULL), -ENOENT);
    assert_int_equal(vfs_mkdir(&R, name, 0755), 0);
    /* 4095 bytes resolve, 4096 do not */
    size_t len = 0;
    path[len++] = '/';
    while (len + 2 <= VFS_PATH_MAX - 1 - 3) {
        path[len++] = '.';
        path[len++] = '/';
    }
    while (len < VFS_PATH_MAX - 1 - 3) path[len++] = '/';
    memcpy(path + len, "etc", 4);
    assert_int_equal(strlen(path), VFS_PATH_MAX - 1);
    assert_int_equal(vfs_resolve(&R, path, 0, &n, NULL), 0);
    memmove(path + 1, path, strlen(path) + 1);
    assert_int_equal(vfs_resolve(&R, path, 0, &n, NULL), -ENAMETOOLONG);
    /* symlink targets too */
    memset(path, 'x', VFS_PATH_MAX);
    path[VFS_PATH_MAX] = 0;
    assert_int_equal(vfs_symlink(&R, path, "/tmp/l"), -ENAMETOOLONG);
}

static void test_deep_path(void **state)
{
    /* 200 nested directories: resolve, name and climb out of them. */
    char path[VFS_PATH_MAX];
    size_t len = 0;
    path[0] = 0;
    for (int i = 0; i < 200; i++) {
        const char *part = i ? "/d" : "/tmp/d";
        memcpy(path + len, part, strlen(part) + 1);
        len += strlen(part);
        assert_int_equal(vfs_mkdir(&R, path, 0755), 0);
    }
    vnode n;
    assert_int_equal(vfs_resolve(&R, path, 0, &n, NULL), 0);
    char back[VFS_PATH_MAX];
    assert_int_equal(vfs_path_of(&R, n, back, sizeof back), 0);
    assert_string_equal(back, path);
    assert_int_equal(vfs_path_of(&R, n, back, 10), -ERANGE);
    /* climb all the way with ".." */
    R.cwd = n;
    char up[VFS_PATH_MAX] = "";
    for (int i = 0; i < 202; i++) strcat(up, "../");
    assert_int_equal(vfs_resolve(&R, up, 0, &n, NULL), 0);
    assert_int_equal(n.ino, vfs_root(&ns).ino);
}

static void test_symlinks(void **state)
{
    vnode n, m;
    assert_int_equal(vfs_mkdir(&R, "/tmp/d", 0755), 0);
    assert_int_equal(mkfile(&R, "/tmp/d/f", 0644, "hi"), 0);
    assert_int_equal(vfs_symlink(&R, "/etc", "/tmp/abs"), 0);
    assert_int_equal(vfs_symlink(&R, "d/f", "/tmp/rel"), 0);
    assert_int_equal(vfs_symlink(&R, "../etc/passwd", "/tmp/up"), 0);
    assert_int_equal(vfs_symlink(&R, "nowhere", "/tmp/dang"), 0);
    assert_int_equal(vfs_symlink(&R, "/", "/tmp/slash"), 0);
    assert_int_equal(vfs_symlink(&R, "d", "/tmp/ld"), 0);
    /* absolute target restarts from the root */
    assert_int_equal(vfs_resolve(&R, "/tmp/abs/passwd", 0, &n, NULL), 0);
    assert_int_equal(n.ino, node_of(&R, "/etc/passwd").ino);
    /* relative target continues in the link's directory */
    assert_int_equal(vfs_resolve(&R, "/tmp/rel", 0, &n, NULL), 0);
    assert_int_equal(n.ino, node_of(&R, "/tmp/d/f").ino);
    assert_int_equal(vfs_resolve(&R, "/tmp/up", 0, &n, NULL), 0);
    assert_int_equal(n.ino, node_of(&R, "/etc/passwd").ino);
    /* ".." after a symlink is physical: the parent of its target */
    assert_int_equal(vfs_resolve(&R, "/tmp/abs/..", 0, &n, NULL), 0);
    assert_int_equal(n.ino, vfs_root(&ns).ino);
    assert_int_equal(vfs_resolve(&R, "/tmp/slash", 0, &n, NULL), 0);
    assert_int_equal(n.ino, vfs_root(&ns).ino);
    assert_int_equal(vfs_resolve(&R, "/tmp/slash/etc", 0, &n, NULL), 0);
    /* NOFOLLOW stops at a final symlink only */
    assert_int_equal(vfs_resolve(&R, "/tmp/abs", VFS_NOFOLLOW, &n, NULL), 0);
    assert_true(S_ISLNK(mode_of("/tmp/abs")));
    assert_int_equal(vfs_resolve(&R, "/tmp/abs/passwd", VFS_NOFOLLOW, &m, NULL), 0);
    /* ... and a trailing slash follows it anyway (lstat("link/")) */
    struct stat st;
    assert_int_equal(vfs_stat(&R, "/tmp/ld/", VFS_NOFOLLOW, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(vfs_stat(&R, "/tmp/rel/", 0, &st), -ENOTDIR);
    /* VFS_DIRECTORY follows a final symlink to a directory */
    assert_int_equal(vfs_resolve(&R, "/tmp/ld", VFS_DIRECTORY, &n, NULL), 0);
    assert_int_equal(vfs_resolve(&R, "/tmp/ld", VFS_DIRECTORY | VFS_NOFOLLOW, &n, NULL), -ENOTDIR);
    /* dangling */
    assert_int_equal(vfs_stat(&R, "/tmp/dang", 0, &st), -ENOENT);
    assert_int_equal(vfs_stat(&R, "/tmp/dang", VFS_NOFOLLOW, &st), 0);
    assert_int_equal(vfs_stat(&R, "/tmp/dang/x", VFS_NOFOLLOW, &st), -ENOENT);
    /* a symlink's own stat */
    assert_int_equal(vfs_stat(&R, "/tmp/rel", VFS_NOFOLLOW, &st), 0);
    assert_int_equal(st.st_size, 3);
    assert_int_equal(st.st_mode, S_IFLNK | 0777);
}

static void test_symlink_loops(void **state)
{
    struct stat st;
    assert_int_equal(vfs_symlink(&R, "loop", "/tmp/loop"), 0);
    assert_int_equal(vfs_stat(&R, "/tmp/loop", 0, &st), -ELOOP);
    assert_int_equal(vfs_stat(&R, "/tmp/loop", VFS_NOFOLLOW, &st), 0);
    assert_int_equal(vfs_stat(&R, "/tmp/loop/x", VFS_NOFOLLOW, &st), -ELOOP);
    assert_int_equal(vfs_symlink(&R, "/tmp/b", "/tmp/a"), 0);
    assert_int_equal(vfs_symlink(&R, "/tmp/a", "/tmp/b"), 0);
    assert_int_equal(vfs_stat(&R, "/tmp/a", 0, &st), -ELOOP);
    vnode n;
    assert_int_equal(vfs_open(&R, "/tmp/a", O_RDONLY, 0, &n, NULL), -ELOOP);
    assert_int_equal(vfs_open(&R, "/tmp/a", O_WRONLY | O_CREAT, 0644, &n, NULL), -ELOOP);
}

/* A chain l0 -> l1 -> ... -> lN where lN is a file: N links are followed. */
static void make_chain(const char *dir, int count)
{
    char name[64], target[64];
    assert_int_equal(vfs_mkdir(&R, dir, 0755), 0);
    for (int i = 0; i < count; i++) {
        snprintf(name, sizeof name, "%s/l%d", dir, i);
        snprintf(target, sizeof target, "l%d", i + 1);
        assert_int_equal(vfs_symlink(&R, target, name), 0);
    }
    snprintf(name, sizeof name, "%s/l%d", dir, count);
    assert_int_equal(mkfile(&R, name, 0644, NULL), 0);
}

static void test_symlink_40_hops(void **state)
{
    struct stat st;
    make_chain("/tmp/c40", 40);
    make_chain("/tmp/c41", 41);
    assert_int_equal(vfs_stat(&R, "/tmp/c40/l0", 0, &st), 0);
    assert_int_equal(vfs_stat(&R, "/tmp/c41/l0", 0, &st), -ELOOP);
    assert_int_equal(vfs_stat(&R, "/tmp/c41/l1", 0, &st), 0);
    /* the limit is per resolution, not per link: 20 + 21 in one path */
    assert_int_equal(vfs_mkdir(&R, "/tmp/c40/dir", 0755), 0);
    assert_int_equal(vfs_symlink(&R, "/tmp/c40/l20", "/tmp/c40/dir/x"), 0);
    assert_int_equal(vfs_stat(&R, "/tmp/c40/dir/x", 0, &st), 0); /* 21 hops */
    make_chain("/tmp/cd", 20);
    assert_int_equal(vfs_symlink(&R, "/tmp/cd/l0", "/tmp/cd/start"), 0);
    /* cd/l20 is a file; make it a directory path: replace by a dir link */
    assert_int_equal(vfs_unlink(&R, "/tmp/cd/l20"), 0);
    assert_int_equal(vfs_symlink(&R, "/tmp/c40", "/tmp/cd/l20"), 0);
    /* start(1) + l0..l19 (20) + l20 (1) = 22 hops, then dir/x: 1 + 21 = 44 */
    assert_int_equal(vfs_stat(&R, "/tmp/cd/start/l0", 0, &st), -ELOOP);
    assert_int_equal(vfs_stat(&R, "/tmp/cd/start/l30", 0, &st), 0); /* 22 + 10 */
}

static void test_search_permission(void **state)
{
    vnode n;
    struct stat st;
    assert_int_equal(vfs_stat(&U, "/secret", 0, &st), 0);
    assert_int_equal(vfs_stat(&U, "/secret/f", 0, &st), -EACCES);
    assert_int_equal(vfs_stat(&U, "/secret/nope", 0, &st), -EACCES);
    assert_int_equal(vfs_stat(&U, "/secret/.", 0, &st), -EACCES);
    assert_int_equal(vfs_stat(&U, "/secret/..", 0, &st), -EACCES);
    assert_int_equal(vfs_stat(&R, "/secret/f", 0, &st), 0);
    /* through a symlink too */
    assert_int_equal(vfs_symlink(&R, "/secret/f", "/tmp/sf"), 0);
    assert_int_equal(vfs_stat(&U, "/tmp/sf", 0, &st), -EACCES);
    assert_int_equal(vfs_stat(&U, "/tmp/sf", VFS_NOFOLLOW, &st), 0);
    /* Linux checks x on the cwd even for "." and ".." */
    U.cwd = node_of(&R, "/secret");
    assert_int_equal(vfs_resolve(&U, ".", 0, &n, NULL), -EACCES);
    assert_int_equal(vfs_resolve(&U, "..", 0, &n, NULL), -EACCES);
    assert_int_equal(vfs_resolve(&U, "/etc", 0, &n, NULL), 0);
    /* x without r is enough to pass through */
    assert_int_equal(vfs_chmod(&R, "/secret", 0711, 0), 0);
    assert_int_equal(vfs_stat(&U, "/secret/f", 0, &st), 0);
    /* group x via a supplementary group */
    assert_int_equal(vfs_chmod(&R, "/secret", 0710, 0), 0);
    assert_int_equal(vfs_stat(&U, "/secret/f", 0, &st), -EACCES);
    assert_int_equal(vfs_chown(&R, "/secret", -1, 2000, 0), 0);
    assert_int_equal(vfs_stat(&U, "/secret/f", 0, &st), 0);
    assert_int_equal(vfs_stat(&O, "/secret/f", 0, &st), -EACCES);
}

static void test_resolve_parent(void **state)
{
    vnode d;
    char name[VFS_NAME_MAX + 1];
    int ts = -1;
    assert_int_equal(vfs_resolve_parent(&R, "/etc/passwd", &d, name, &ts), 0);
    assert_int_equal(d.ino, node_of(&R, "/etc").ino);
    assert_string_equal(name, "passwd");
    assert_int_equal(ts, 0);
    assert_int_equal(vfs_resolve_parent(&R, "/etc/newdir//", &d, name, &ts), 0);
    assert_string_equal(name, "newdir");
    assert_int_equal(ts, 1);
    assert_int_equal(vfs_resolve_parent(&R, "/", &d, name, &ts), -EBUSY);
    assert_int_equal(vfs_resolve_parent(&R, "/etc/.", &d, name, &ts), -EINVAL);
    assert_int_equal(vfs_resolve_parent(&R, "..", &d, name, &ts), -EINVAL);
    assert_int_equal(vfs_resolve_parent(&R, "/nope/x", &d, name, &ts), -ENOENT);
    /* the parent's symlinks are followed, the last name's are not */
    assert_int_equal(vfs_symlink(&R, "/etc", "/tmp/e"), 0);
    assert_int_equal(vfs_resolve_parent(&R, "/tmp/e/passwd", &d, name, &ts), 0);
    assert_int_equal(d.ino, node_of(&R, "/etc").ino);
    assert_int_equal(vfs_resolve_parent(&R, "/tmp/e", &d, name, &ts), 0);
    assert_string_equal(name, "e");
    assert_int_equal(vfs_resolve_parent(&U, "/secret/f", &d, name, &ts), -EACCES);
}

/* ---- mounts ------------------------------------------------------------------------ */

static void test_mount_crossing(void **state)
{
    vnode n;
    struct stat st;
    assert_int_equal(vfs_resolve(&R, "/mnt", 0, &n, NULL), 0);
    assert_ptr_equal(n.fs, mntfs);
    assert_int_equal(n.ino, mntfs->root_ino);
    assert_int_equal(vfs_stat(&R, "/mnt", 0, &st), 0);
    assert_int_equal(st.st_dev, 2);
    assert_int_equal(vfs_stat(&R, "/ro/f", 0, &st), 0);
    assert_int_equal(st.st_dev, 3);
    assert_int_equal(vfs_mkdir(&R, "/mnt/sub", 0755), 0);
    assert_int_equal(mkfile(&R, "/mnt/sub/f", 0644, "x"), 0);
    /* ".." at a mounted root: the covered directory's parent */
    assert_int_equal(vfs_resolve(&R, "/mnt/..", 0, &n, NULL), 0);
    assert_int_equal(n.ino, vfs_root(&ns).ino);
    assert_ptr_equal(n.fs, rootfs);
    assert_int_equal(vfs_resolve(&R, "/mnt/sub/../../etc/passwd", 0, &n, NULL), 0);
    assert_ptr_equal(n.fs, rootfs);
    R.cwd = node_of(&R, "/mnt/sub");
    assert_int_equal(vfs_resolve(&R, "../../mnt/sub/f", 0, &n, NULL), 0);
    assert_ptr_equal(n.fs, mntfs);
    /* a symlink on one instance into another */
    assert_int_equal(vfs_symlink(&R, "../ro/d", "/mnt/tord"), 0);
    assert_int_equal(vfs_resolve(&R, "/mnt/tord", 0, &n, NULL), 0);
    assert_ptr_equal(n.fs, rofs);
    /* a mount inside a mount, and one stacked on top of another */
    struct vfs_fs *inner = memfs_new(4, 0, 0), *top = memfs_new(5, 0, 0);
    assert_int_equal(vfs_mount(&R, "/mnt/sub", inner, 0), 0);
    assert_int_equal(vfs_resolve(&R, "/mnt/sub", 0, &n, NULL), 0);
    assert_ptr_equal(n.fs, inner);
    assert_int_equal(vfs_resolve(&R, "/mnt/sub/f", 0, &n, NULL), -ENOENT);
    assert_int_equal(vfs_resolve(&R, "/mnt/sub/..", 0, &n, NULL), 0);
    assert_ptr_equal(n.fs, mntfs);
    assert_int_equal(vfs_resolve(&R, "/mnt/sub/../..", 0, &n, NULL), 0);
    assert_int_equal(n.ino, vfs_root(&ns).ino);
    assert_int_equal(vfs_mount(&R, "/mnt", top, 0), 0);
    assert_int_equal(vfs_resolve(&R, "/mnt", 0, &n, NULL), 0);
    assert_ptr_equal(n.fs, top);
    assert_int_equal(vfs_resolve(&R, "/mnt/..", 0, &n, NULL), 0);
    assert_int_equal(n.ino, vfs_root(&ns).ino);
    assert_string_equal(ns.mounts[ns.nmounts - 1].path, "/mnt");
    assert_string_equal(ns.mounts[ns.nmounts - 2].path, "/mnt/sub");
    /* the old cwd under the covered mount still works */
    assert_int_equal(vfs_resolve(&R, "f", 0, &n, NULL), 0);
    assert_ptr_equal(n.fs, mntfs);
}

static void test_mount_errors(void **state)
{
    struct vfs_fs *fs = memfs_new(9, 0, 0);
    assert_int_equal(vfs_mount(&R, "/etc/passwd", fs, 0), -ENOTDIR);
    assert_int_equal(vfs_mount(&R, "/nope", fs, 0), -ENOENT);
    assert_int_equal(vfs_mount(&R, "/", fs, 0), -EBUSY);
    assert_int_equal(vfs_mount(&R, "/home", mntfs, 0), -EBUSY); /* already mounted */
    assert_int_equal(vfs_symlink(&R, "/home", "/tmp/h"), 0);
    assert_int_equal(vfs_mount(&R, "/tmp/h/.", fs, 0), 0);
    assert_string_equal(ns.mounts[ns.nmounts - 1].path, "/home");
    assert_int_equal(vfs_rmdir(&R, "/home"), -EBUSY);
    assert_int_equal(vfs_rmdir(&R, "/mnt"), -EBUSY);
    assert_int_equal(vfs_rmdir(&R, "/"), -EBUSY);
    assert_int_equal(vfs_rename(&R, "/mnt", "/mnt2"), -EBUSY);
    assert_int_equal(vfs_mkdir(&R, "/d2", 0755), 0);
    assert_int_equal(vfs_rename(&R, "/d2", "/mnt"), -EBUSY);
    assert_int_equal(vfs_unlink(&R, "/mnt"), -EISDIR);
}

static void test_path_of(void **state)
{
    char buf[VFS_PATH_MAX];
    assert_int_equal(vfs_path_of(&R, vfs_root(&ns), buf, sizeof buf), 0);
    assert_string_equal(buf, "/");
    assert_int_equal(vfs_path_of(&R, vfs_root(&ns), buf, 1), -ERANGE);
    assert_int_equal(vfs_path_of(&R, node_of(&R, "/home/agent"), buf, sizeof buf), 0);
    assert_string_equal(buf, "/home/agent");
    assert_int_equal(vfs_path_of(&R, node_of(&R, "/home/agent"), buf, 12), 0);
    assert_int_equal(vfs_path_of(&R, node_of(&R, "/home/agent"), buf, 11), -ERANGE);
    assert_int_equal(vfs_path_of(&R, node_of(&R, "/mnt"), buf, sizeof buf), 0);
    assert_string_equal(buf, "/mnt");
    assert_int_equal(vfs_mkdir(&R, "/mnt/a", 0755), 0);
    assert_int_equal(vfs_mkdir(&R, "/mnt/a/b", 0755), 0);
    vnode b = node_of(&R, "/mnt/a/b");
    assert_int_equal(vfs_path_of(&R, b, buf, sizeof buf), 0);
    assert_string_equal(buf, "/mnt/a/b");
    /* follows renames; a removed directory has no path */
    assert_int_equal(vfs_rename(&R, "/mnt/a", "/mnt/z"), 0);
    assert_int_equal(vfs_path_of(&R, b, buf, sizeof buf), 0);
    assert_string_equal(buf, "/mnt/z/b");
    vnode e;
    assert_int_equal(vfs_mkdir(&R, "/tmp/gone", 0755), 0);
    e = node_of(&R, "/tmp/gone");
    e.fs->ops->open(e.fs, e.ino);
    assert_int_equal(vfs_rmdir(&R, "/tmp/gone"), 0);
    assert_int_equal(vfs_path_of(&R, e, buf, sizeof buf), -ENOENT);
    e.fs->ops->close(e.fs, e.ino);
}

static void test_readonly_mount(void **state)
{
    vnode n;
    struct timespec ts[2] = {{1, 0}, {1, 0}};
    assert_int_equal(vfs_writable(&R, node_of(&R, "/ro/f")), -EROFS);
    assert_int_equal(vfs_writable(&R, node_of(&R, "/mnt")), 0);
    assert_int_equal(vfs_writable(&R, node_of(&R, "/etc")), 0);
    assert_int_equal(vfs_open(&R, "/ro/f", O_RDONLY, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&R, "/ro/f", O_WRONLY, 0, &n, NULL), -EROFS);
    assert_int_equal(vfs_open(&R, "/ro/f", O_RDONLY | O_TRUNC, 0, &n, NULL), -EROFS);
    assert_int_equal(vfs_open(&R, "/ro/new", O_WRONLY | O_CREAT, 0644, &n, NULL), -EROFS);
    /* O_CREAT on an existing file only reads: allowed (Linux) */
    assert_int_equal(vfs_open(&R, "/ro/f", O_RDONLY | O_CREAT, 0644, &n, NULL), 0);
    assert_int_equal(vfs_open(&R, "/ro/f", O_RDONLY | O_CREAT | O_EXCL, 0644, &n, NULL), -EEXIST);
    assert_int_equal(vfs_mkdir(&R, "/ro/x", 0755), -EROFS);
    assert_int_equal(vfs_mkdir(&R, "/ro/d", 0755), -EEXIST);
    assert_int_equal(vfs_mknod(&R, "/ro/p", S_IFIFO | 0644, 0), -EROFS);
    assert_int_equal(vfs_symlink(&R, "x", "/ro/l"), -EROFS);
    assert_int_equal(vfs_link(&R, "/ro/f", "/ro/f2", 0), -EROFS);
    assert_int_equal(vfs_unlink(&R, "/ro/f"), -EROFS);
    assert_int_equal(vfs_unlink(&R, "/ro/nope"), -EROFS);
    assert_int_equal(vfs_rmdir(&R, "/ro/d"), -EROFS);
    assert_int_equal(vfs_rename(&R, "/ro/f", "/ro/g"), -EROFS);
    assert_int_equal(vfs_chmod(&R, "/ro/f", 0600, 0), -EROFS);
    assert_int_equal(vfs_chown(&R, "/ro/f", 1, 1, 0), -EROFS);
    assert_int_equal(vfs_utimens(&R, "/ro/f", ts, 0), -EROFS);
    assert_int_equal(vfs_utimens(&R, "/ro/f", NULL, 0), -EROFS);
    assert_int_equal(vfs_truncate(&R, "/ro/f", 0), -EROFS);
    assert_int_equal(vfs_node_truncate(&R, node_of(&R, "/ro/f"), 0), -EROFS);
    assert_int_equal(vfs_node_chmod(&R, node_of(&R, "/ro/f"), 0600), -EROFS);
    assert_int_equal(vfs_access(&R, "/ro/f", R_OK, 0), 0);
    assert_int_equal(vfs_access(&R, "/ro/f", W_OK, 0), -EROFS);
    assert_int_equal(vfs_access(&R, "/ro/d", W_OK, 0), -EROFS);
    struct statvfs sv;
    assert_int_equal(vfs_statfs(&R, "/ro", &sv), 0);
    assert_true(sv.f_flag & ST_RDONLY);
    assert_int_equal(vfs_statfs(&R, "/mnt", &sv), 0);
    assert_false(sv.f_flag & ST_RDONLY);
    assert_int_equal(sv.f_namemax, 255);
    /* the mount point itself belongs to the covering instance */
    assert_int_equal(vfs_mkdir(&R, "/ro/.", 0755), -EEXIST);
}

static void test_exdev(void **state)
{
    assert_int_equal(mkfile(&R, "/tmp/f", 0644, "x"), 0);
    assert_int_equal(vfs_rename(&R, "/tmp/f", "/mnt/f"), -EXDEV);
    assert_int_equal(vfs_link(&R, "/tmp/f", "/mnt/f", 0), -EXDEV);
    assert_int_equal(vfs_mkdir(&R, "/mnt/d", 0755), 0);
    assert_int_equal(vfs_rename(&R, "/mnt/d", "/tmp/d"), -EXDEV);
    /* a mount point's own entry lives in the covering instance */
    assert_int_equal(vfs_rename(&R, "/mnt", "/tmp/m"), -EBUSY);
    assert_int_equal(vfs_rename(&R, "/mnt/d", "/mnt/e"), 0);
    assert_false(exists("/mnt/d"));
    assert_true(exists("/mnt/e"));
    assert_true(exists("/tmp/f"));
}

/* ---- rmdir, unlink ------------------------------------------------------------------- */

static void test_rmdir(void **state)
{
    assert_int_equal(vfs_mkdir(&R, "/tmp/d", 0755), 0);
    assert_int_equal(vfs_mkdir(&R, "/tmp/d/e", 0755), 0);
    assert_int_equal(vfs_rmdir(&R, "/tmp/d"), -ENOTEMPTY);
    assert_int_equal(vfs_rmdir(&R, "/tmp/d/e/."), -EINVAL);
    assert_int_equal(vfs_rmdir(&R, "/tmp/d/e/.."), -ENOTEMPTY);
    assert_int_equal(vfs_rmdir(&R, "/etc/passwd"), -ENOTDIR);
    assert_int_equal(vfs_rmdir(&R, "/tmp/nope"), -ENOENT);
    assert_int_equal(vfs_symlink(&R, "d", "/tmp/ld"), 0);
    assert_int_equal(vfs_rmdir(&R, "/tmp/ld"), -ENOTDIR);
    assert_int_equal(vfs_rmdir(&R, "/tmp/ld/"), -ENOTDIR);
    assert_int_equal(vfs_rmdir(&R, "/tmp/d/e/"), 0);
    assert_int_equal(vfs_rmdir(&R, "/tmp/d"), 0);
    assert_false(exists("/tmp/d"));
    /* permission: W+X on the parent */
    assert_int_equal(vfs_mkdir(&R, "/etc/x", 0777), 0);
    assert_int_equal(vfs_rmdir(&U, "/etc/x"), -EACCES);
}

static void test_unlink(void **state)
{
    assert_int_equal(mkfile(&R, "/tmp/f", 0644, NULL), 0);
    assert_int_equal(vfs_mkdir(&R, "/tmp/d", 0755), 0);
    assert_int_equal(vfs_symlink(&R, "d", "/tmp/ld"), 0);
    assert_int_equal(vfs_unlink(&R, "/tmp/d"), -EISDIR); /* Linux: EISDIR */
    assert_int_equal(vfs_unlink(&R, "/tmp/d/"), -EISDIR);
    assert_int_equal(vfs_unlink(&R, "/tmp/f/"), -ENOTDIR);
    assert_int_equal(vfs_unlink(&R, "/tmp/ld/"), -ENOTDIR);
    assert_int_equal(vfs_unlink(&R, "/tmp/nope/"), -ENOENT);
    assert_int_equal(vfs_unlink(&R, "/tmp/nope"), -ENOENT);
    assert_int_equal(vfs_unlink(&R, "/tmp/."), -EISDIR);
    assert_int_equal(vfs_unlink(&R, "/"), -EISDIR);
    assert_int_equal(vfs_unlink(&U, "/etc/passwd"), -EACCES);
    /* a symlink goes, not its target */
    assert_int_equal(vfs_unlink(&R, "/tmp/ld"), 0);
    assert_true(exists("/tmp/d"));
    assert_int_equal(vfs_unlink(&R, "/tmp/f"), 0);
    assert_false(exists("/tmp/f"));
}

static void test_sticky_tmp(void **state)
{
    R.umask = 0;
    assert_int_equal(mkfile(&U, "/tmp/ufile", 0666, NULL), 0);
    assert_int_equal(mkfile(&R, "/tmp/rfile", 0666, NULL), 0);
    assert_int_equal(vfs_mkdir(&R, "/tmp/rdir", 0777), 0);
    /* other may not remove or rename user's file, nor root's */
    assert_int_equal(vfs_unlink(&O, "/tmp/ufile"), -EPERM);
    assert_int_equal(vfs_rename(&O, "/tmp/ufile", "/tmp/x"), -EPERM);
    assert_int_equal(vfs_unlink(&U, "/tmp/rfile"), -EPERM);
    assert_int_equal(vfs_rmdir(&U, "/tmp/rdir"), -EPERM);
    /* nor replace one by rename */
    assert_int_equal(mkfile(&O, "/tmp/ofile", 0666, NULL), 0);
    assert_int_equal(vfs_rename(&O, "/tmp/ofile", "/tmp/ufile"), -EPERM);
    /* the owner of the entry may, and so may root */
    assert_int_equal(vfs_rename(&U, "/tmp/ufile", "/tmp/ufile2"), 0);
    assert_int_equal(vfs_unlink(&U, "/tmp/ufile2"), 0);
    assert_int_equal(vfs_unlink(&R, "/tmp/ofile"), 0);
    /* the owner of a sticky directory may remove anything in it */
    assert_int_equal(vfs_mkdir(&U, "/tmp/ushared", 0777), 0);
    assert_int_equal(vfs_chmod(&U, "/tmp/ushared", 01777, 0), 0);
    assert_int_equal(mkfile(&O, "/tmp/ushared/of", 0644, NULL), 0);
    assert_int_equal(vfs_unlink(&U, "/tmp/ushared/of"), 0);
    /* without the sticky bit, W on the directory is enough */
    assert_int_equal(vfs_mkdir(&R, "/tmp/open", 0777), 0);
    assert_int_equal(mkfile(&R, "/tmp/open/rf", 0600, NULL), 0);
    assert_int_equal(vfs_unlink(&O, "/tmp/open/rf"), 0);
}

/* ---- rename --------------------------------------------------------------------------- */

static void test_rename(void **state)
{
    assert_int_equal(vfs_mkdir(&R, "/tmp/a", 0755), 0);
    assert_int_equal(vfs_mkdir(&R, "/tmp/a/b", 0755), 0);
    assert_int_equal(mkfile(&R, "/tmp/a/f", 0644, "x"), 0);
    assert_int_equal(mkfile(&R, "/tmp/g", 0644, "yy"), 0);
    /* into its own subtree */
    assert_int_equal(vfs_rename(&R, "/tmp/a", "/tmp/a/b/c"), -EINVAL);
    assert_int_equal(vfs_rename(&R, "/tmp/a", "/tmp/a/c"), -EINVAL);
    assert_int_equal(vfs_symlink(&R, "a/b", "/tmp/lb"), 0);
    assert_int_equal(vfs_rename(&R, "/tmp/a", "/tmp/lb/c"), -EINVAL);
    /* over an ancestor of the source (Linux: ENOTEMPTY) */
    assert_int_equal(vfs_rename(&R, "/tmp/a/f", "/tmp/a"), -ENOTEMPTY);
    assert_int_equal(vfs_rename(&R, "/tmp/a/b", "/tmp/a"), -ENOTEMPTY);
    /* dots and the root */
    assert_int_equal(vfs_rename(&R, "/tmp/a/.", "/tmp/x"), -EBUSY);
    assert_int_equal(vfs_rename(&R, "/tmp/a/b/..", "/tmp/x"), -EBUSY);
    assert_int_equal(vfs_rename(&R, "/tmp/g", "/tmp/."), -EBUSY);
    assert_int_equal(vfs_rename(&R, "/", "/tmp/x"), -EBUSY);
    /* trailing slashes: only for directories */
    assert_int_equal(vfs_rename(&R, "/tmp/g", "/tmp/h/"), -ENOTDIR);
    assert_int_equal(vfs_rename(&R, "/tmp/g/", "/tmp/h"), -ENOTDIR);
    assert_int_equal(vfs_rename(&R, "/tmp/a/b/", "/tmp/b2/"), 0);
    assert_true(exists("/tmp/b2"));
    /* replace rules */
    assert_int_equal(vfs_mkdir(&R, "/tmp/e", 0755), 0);
    assert_int_equal(vfs_rename(&R, "/tmp/g", "/tmp/e"), -EISDIR);
    assert_int_equal(vfs_rename(&R, "/tmp/e", "/tmp/g"), -ENOTDIR);
    assert_int_equal(vfs_rename(&R, "/tmp/e", "/tmp/a"), -ENOTEMPTY);
    assert_int_equal(vfs_rename(&R, "/tmp/b2", "/tmp/e"), 0);
    assert_false(exists("/tmp/b2"));
    assert_int_equal(vfs_rename(&R, "/tmp/g", "/tmp/a/f"), 0);
    assert_int_equal(size_of("/tmp/a/f"), 2);
    assert_false(exists("/tmp/g"));
    /* missing source */
    assert_int_equal(vfs_rename(&R, "/tmp/nope", "/tmp/x"), -ENOENT);
    assert_int_equal(vfs_rename(&R, "/tmp/a/f", "/tmp/nope/x"), -ENOENT);
    /* same inode: a no-op that leaves both names */
    assert_int_equal(vfs_link(&R, "/tmp/a/f", "/tmp/hl", 0), 0);
    assert_int_equal(vfs_rename(&R, "/tmp/a/f", "/tmp/hl"), 0);
    assert_true(exists("/tmp/a/f"));
    assert_true(exists("/tmp/hl"));
    assert_int_equal(vfs_rename(&R, "/tmp/a/f", "/tmp/a/f"), 0);
    /* a symlink is renamed, not its target */
    assert_int_equal(vfs_rename(&R, "/tmp/lb", "/tmp/lc"), 0);
    assert_true(S_ISLNK(mode_of("/tmp/lc")));
}

static void test_rename_permissions(void **state)
{
    assert_int_equal(mkfile(&R, "/home/agent/rf", 0644, NULL), 0);
    assert_int_equal(vfs_mkdir(&R, "/home/agent/rd", 0755), 0);
    assert_int_equal(vfs_mkdir(&U, "/home/agent/ud", 0755), 0);
    /* W+X on both parents */
    assert_int_equal(vfs_rename(&U, "/home/agent/rf", "/etc/rf"), -EACCES);
    assert_int_equal(vfs_rename(&U, "/etc/passwd", "/home/agent/p"), -EACCES);
    assert_int_equal(vfs_rename(&U, "/home/agent/rf", "/home/agent/rf2"), 0);
    /* a directory moving to another parent needs W on itself ("..") */
    assert_int_equal(vfs_rename(&U, "/home/agent/rd", "/home/agent/ud/rd"), -EACCES);
    assert_int_equal(vfs_rename(&U, "/home/agent/rd", "/home/agent/rd2"), 0);
    assert_int_equal(vfs_mkdir(&U, "/home/agent/ud2", 0755), 0);
    assert_int_equal(vfs_rename(&U, "/home/agent/ud2", "/home/agent/ud/x"), 0);
}

/* ---- link, symlink, readlink -------------------------------------------------------- */

static void test_link(void **state)
{
    R.umask = 0;
    struct stat st;
    assert_int_equal(mkfile(&R, "/tmp/f", 0644, "x"), 0);
    assert_int_equal(vfs_symlink(&R, "f", "/tmp/lf"), 0);
    assert_int_equal(vfs_link(&R, "/tmp/f", "/tmp/g", 0), 0);
    assert_int_equal(vfs_stat(&R, "/tmp/f", 0, &st), 0);
    assert_int_equal(st.st_nlink, 2);
    assert_int_equal(vfs_link(&R, "/tmp/f", "/tmp/g", 0), -EEXIST);
    assert_int_equal(vfs_link(&R, "/tmp/f", "/tmp/lf", 0), -EEXIST);
    assert_int_equal(vfs_link(&R, "/tmp", "/tmp/dl", 0), -EPERM);
    assert_int_equal(vfs_link(&R, "/tmp/nope", "/tmp/x", 0), -ENOENT);
    assert_int_equal(vfs_link(&R, "/tmp/f/", "/tmp/x", 0), -ENOTDIR);
    assert_int_equal(vfs_link(&R, "/tmp/f", "/tmp/x/", 0), -ENOENT);
    assert_int_equal(vfs_link(&R, "/tmp/f", "/tmp/.", 0), -EEXIST);
    /* without AT_SYMLINK_FOLLOW the link itself is linked */
    assert_int_equal(vfs_link(&R, "/tmp/lf", "/tmp/lf2", 0), 0);
    assert_true(S_ISLNK(mode_of("/tmp/lf2")));
    assert_int_equal(vfs_link(&R, "/tmp/lf", "/tmp/lf3", AT_SYMLINK_FOLLOW), 0);
    assert_true(S_ISREG(mode_of("/tmp/lf3")));
    assert_int_equal(vfs_stat(&R, "/tmp/f", 0, &st), 0);
    assert_int_equal(st.st_nlink, 3);
    /* protected hardlinks: users link only what they own or may read and write */
    assert_int_equal(vfs_link(&U, "/etc/passwd", "/tmp/pw", 0), -EPERM);
    assert_int_equal(mkfile(&R, "/tmp/rw", 0666, NULL), 0);
    assert_int_equal(vfs_link(&U, "/tmp/rw", "/tmp/rw2", 0), 0);
    assert_int_equal(vfs_link(&U, "/tmp/rw", "/etc/f", 0), -EACCES);
}

static void test_symlink_create(void **state)
{
    char buf[64];
    struct stat st;
    assert_int_equal(vfs_symlink(&U, "target/x", "/home/agent/l"), 0);
    assert_int_equal(vfs_stat(&R, "/home/agent/l", VFS_NOFOLLOW, &st), 0);
    assert_int_equal(st.st_uid, 1000);
    assert_int_equal(st.st_gid, 1000);
    assert_int_equal(vfs_symlink(&U, "x", "/home/agent/l"), -EEXIST);
    assert_int_equal(vfs_symlink(&R, "x", "/etc/passwd"), -EEXIST);
    assert_int_equal(vfs_symlink(&R, "", "/tmp/e"), -ENOENT);
    assert_int_equal(vfs_symlink(&R, "x", "/tmp/new/"), -ENOENT);
    assert_int_equal(vfs_symlink(&R, "x", "/tmp/nope/l"), -ENOENT);
    assert_int_equal(vfs_symlink(&U, "x", "/etc/l"), -EACCES);
    assert_int_equal(vfs_symlink(&R, "x", "/"), -EEXIST);
    /* readlink */
    assert_int_equal(vfs_readlink(&R, "/home/agent/l", buf, sizeof buf), 8);
    assert_memory_equal(buf, "target/x", 8);
    assert_int_equal(vfs_readlink(&R, "/home/agent/l", buf, 3), 3);
    assert_memory_equal(buf, "tar", 3);
    assert_int_equal(vfs_readlink(&R, "/home/agent/l", buf, 0), -EINVAL);
    assert_int_equal(vfs_readlink(&R, "/etc/passwd", buf, sizeof buf), -EINVAL);
    assert_int_equal(vfs_readlink(&R, "/etc", buf, sizeof buf), -EINVAL);
    assert_int_equal(vfs_readlink(&R, "/nope", buf, sizeof buf), -ENOENT);
    assert_int_equal(vfs_symlink(&R, "/etc", "/tmp/le"), 0);
    assert_int_equal(vfs_readlink(&R, "/tmp/le/", buf, sizeof buf), -EINVAL);
}

/* ---- open ----------------------------------------------------------------------------- */

static void test_open_create(void **state)
{
    vnode n;
    struct stat st;
    U.umask = 027;
    assert_int_equal(vfs_open(&U, "/home/agent/f", O_WRONLY | O_CREAT, 0666, &n, NULL), 0);
    assert_int_equal(vfs_stat(&R, "/home/agent/f", 0, &st), 0);
    assert_int_equal(st.st_mode, S_IFREG | 0640);
    assert_int_equal(st.st_uid, 1000);
    assert_int_equal(st.st_gid, 1000);
    /* setuid and friends survive the umask; type bits in mode are ignored */
    R.umask = 0;
    assert_int_equal(vfs_open(&R, "/tmp/s", O_WRONLY | O_CREAT, S_IFDIR | 04755, &n, NULL), 0);
    assert_int_equal(mode_of("/tmp/s"), S_IFREG | 04755);
    /* permission to create: W+X on the directory (and then no check on the
     * new file's own mode, even 0) */
    assert_int_equal(vfs_open(&U, "/etc/f", O_WRONLY | O_CREAT, 0644, &n, NULL), -EACCES);
    assert_int_equal(vfs_open(&U, "/home/agent/z", O_RDWR | O_CREAT, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&U, "/home/agent/z", O_RDWR, 0, &n, NULL), -EACCES);
    /* O_EXCL */
    assert_int_equal(vfs_open(&R, "/etc/passwd", O_WRONLY | O_CREAT | O_EXCL, 0644, &n, NULL),
                     -EEXIST);
    assert_int_equal(vfs_symlink(&R, "/etc/passwd", "/tmp/lp"), 0);
    assert_int_equal(vfs_open(&R, "/tmp/lp", O_WRONLY | O_CREAT | O_EXCL, 0644, &n, NULL), -EEXIST);
    /* trailing slash on a name to create */
    assert_int_equal(vfs_open(&R, "/tmp/new/", O_RDONLY | O_CREAT, 0644, &n, NULL), -EISDIR);
    assert_int_equal(vfs_open(&R, "/tmp/new/", O_RDONLY, 0644, &n, NULL), -ENOENT);
    assert_int_equal(vfs_open(&R, "/tmp/", O_RDONLY | O_CREAT, 0644, &n, NULL), -EISDIR);
    assert_int_equal(vfs_open(&R, "/tmp", O_RDONLY | O_CREAT, 0644, &n, NULL), -EISDIR);
    assert_int_equal(vfs_open(&R, "/", O_RDONLY | O_CREAT, 0644, &n, NULL), -EISDIR);
    /* O_CREAT | O_DIRECTORY: EINVAL on Linux 6.4+ */
    assert_int_equal(vfs_open(&R, "/tmp/nd", O_RDONLY | O_CREAT | O_DIRECTORY, 0, &n, NULL),
                     -EINVAL);
    /* a missing directory on the way */
    assert_int_equal(vfs_open(&R, "/tmp/no/f", O_WRONLY | O_CREAT, 0644, &n, NULL), -ENOENT);
    assert_int_equal(vfs_open(&R, "/tmp/nope", O_RDONLY, 0, &n, NULL), -ENOENT);
}

static void test_open_dangling(void **state)
{
    vnode n;
    struct stat st;
    /* O_CREAT through a dangling symlink creates its target (Linux) */
    assert_int_equal(vfs_symlink(&R, "target", "/tmp/dang"), 0);
    assert_int_equal(vfs_open(&R, "/tmp/dang", O_WRONLY | O_CREAT | O_EXCL, 0644, &n, NULL),
                     -EEXIST);
    assert_int_equal(vfs_open(&R, "/tmp/dang", O_WRONLY | O_CREAT | O_NOFOLLOW, 0644, &n, NULL),
                     -ELOOP);
    assert_false(exists("/tmp/target"));
    assert_int_equal(vfs_open(&R, "/tmp/dang", O_WRONLY | O_CREAT, 0600, &n, NULL), 0);
    assert_int_equal(vfs_stat(&R, "/tmp/target", 0, &st), 0);
    assert_int_equal(st.st_ino, n.ino);
    assert_int_equal(st.st_mode, S_IFREG | 0600);
    /* through two links, the second absolute */
    assert_int_equal(vfs_symlink(&R, "/home/agent/t2", "/tmp/d2"), 0);
    assert_int_equal(vfs_symlink(&R, "d2", "/tmp/d1"), 0);
    assert_int_equal(vfs_open(&U, "/tmp/d1", O_WRONLY | O_CREAT, 0644, &n, NULL), 0);
    assert_true(exists("/home/agent/t2"));
    /* the target's directory must exist and be writable */
    assert_int_equal(vfs_symlink(&R, "/tmp/no/x", "/tmp/d3"), 0);
    assert_int_equal(vfs_open(&R, "/tmp/d3", O_WRONLY | O_CREAT, 0644, &n, NULL), -ENOENT);
    assert_int_equal(vfs_symlink(&R, "/etc/new", "/tmp/d4"), 0);
    assert_int_equal(vfs_open(&U, "/tmp/d4", O_WRONLY | O_CREAT, 0644, &n, NULL), -EACCES);
    /* a target with a trailing slash names a directory */
    assert_int_equal(vfs_symlink(&R, "newdir/", "/tmp/d5"), 0);
    assert_int_equal(vfs_open(&R, "/tmp/d5", O_WRONLY | O_CREAT, 0644, &n, NULL), -EISDIR);
    /* without O_CREAT a dangling link is just missing */
    assert_int_equal(vfs_open(&R, "/tmp/d3", O_RDONLY, 0, &n, NULL), -ENOENT);
}

static void test_open_flags(void **state)
{
    vnode n;
    assert_int_equal(mkfile(&R, "/tmp/f", 0644, "hello"), 0);
    assert_int_equal(vfs_symlink(&R, "f", "/tmp/lf"), 0);
    assert_int_equal(vfs_symlink(&R, "/etc", "/tmp/ld"), 0);
    /* O_NOFOLLOW */
    assert_int_equal(vfs_open(&R, "/tmp/lf", O_RDONLY | O_NOFOLLOW, 0, &n, NULL), -ELOOP);
    assert_int_equal(vfs_open(&R, "/tmp/ld", O_RDONLY | O_NOFOLLOW | O_DIRECTORY, 0, &n, NULL),
                     -ENOTDIR);
    assert_int_equal(vfs_open(&R, "/tmp/ld/", O_RDONLY | O_NOFOLLOW, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&R, "/tmp/ld/passwd", O_RDONLY | O_NOFOLLOW, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&R, "/tmp/lf", O_RDONLY, 0, &n, NULL), 0);
    assert_int_equal(n.ino, node_of(&R, "/tmp/f").ino);
    /* O_DIRECTORY */
    assert_int_equal(vfs_open(&R, "/tmp/f", O_RDONLY | O_DIRECTORY, 0, &n, NULL), -ENOTDIR);
    assert_int_equal(vfs_open(&R, "/tmp/ld", O_RDONLY | O_DIRECTORY, 0, &n, NULL), 0);
    /* directories: read only */
    assert_int_equal(vfs_open(&R, "/tmp", O_RDONLY, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&R, "/tmp", O_WRONLY, 0, &n, NULL), -EISDIR);
    assert_int_equal(vfs_open(&R, "/tmp", O_RDWR, 0, &n, NULL), -EISDIR);
    assert_int_equal(vfs_open(&R, "/tmp", O_RDONLY | O_TRUNC, 0, &n, NULL), -EISDIR);
    /* O_TRUNC */
    assert_int_equal(vfs_open(&R, "/tmp/f", O_RDONLY, 0, &n, NULL), 0);
    assert_int_equal(size_of("/tmp/f"), 5);
    assert_int_equal(vfs_open(&U, "/tmp/f", O_WRONLY | O_TRUNC, 0, &n, NULL), -EACCES);
    assert_int_equal(vfs_open(&U, "/tmp/f", O_RDONLY | O_TRUNC, 0, &n, NULL), -EACCES);
    assert_int_equal(size_of("/tmp/f"), 5);
    assert_int_equal(vfs_open(&R, "/tmp/lf", O_WRONLY | O_TRUNC, 0, &n, NULL), 0);
    assert_int_equal(size_of("/tmp/f"), 0);
    assert_int_equal(mkfile(&R, "/tmp/f", 0644, "again"), 0);
    assert_int_equal(vfs_open(&R, "/tmp/f", O_RDONLY | O_TRUNC, 0, &n, NULL), 0);
    assert_int_equal(size_of("/tmp/f"), 0);
    /* O_EXCL | O_CREAT implies O_TRUNC does nothing to a created file */
    assert_int_equal(vfs_open(&R, "/tmp/new", O_RDWR | O_CREAT | O_EXCL | O_TRUNC, 0644, &n, NULL),
                     0);
    /* access modes */
    assert_int_equal(vfs_open(&U, "/etc/passwd", O_RDONLY, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&U, "/etc/passwd", O_WRONLY, 0, &n, NULL), -EACCES);
    assert_int_equal(vfs_open(&U, "/etc/passwd", O_RDWR, 0, &n, NULL), -EACCES);
    assert_int_equal(vfs_open(&U, "/secret", O_RDONLY, 0, &n, NULL), -EACCES);
    assert_int_equal(vfs_open(&R, "/etc/passwd", O_RDWR, 0, &n, NULL), 0);
    assert_int_equal(vfs_chmod(&R, "/tmp/f", 0200, 0), 0);
    assert_int_equal(vfs_open(&R, "/tmp/f", O_RDWR, 0, &n, NULL), 0); /* root */
    assert_int_equal(vfs_chown(&R, "/tmp/f", 1000, -1, 0), 0);
    assert_int_equal(vfs_open(&U, "/tmp/f", O_WRONLY, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&U, "/tmp/f", O_RDONLY, 0, &n, NULL), -EACCES);
    /* O_PATH: no access checks */
    assert_int_equal(vfs_open(&U, "/tmp/f", O_PATH, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&U, "/tmp/lf", O_PATH | O_NOFOLLOW, 0, &n, NULL), 0);
}

static void test_open_special(void **state)
{
    R.umask = 0;
    vnode n;
    assert_int_equal(vfs_mknod(&R, "/tmp/fifo", S_IFIFO | 0666, 0), 0);
    assert_int_equal(vfs_mknod(&R, "/tmp/null", S_IFCHR | 0666, makedev(1, 3)), 0);
    assert_int_equal(vfs_open(&U, "/tmp/fifo", O_RDONLY, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&U, "/tmp/fifo", O_WRONLY | O_TRUNC, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&U, "/tmp/null", O_RDWR | O_TRUNC | O_CREAT, 0, &n, NULL), 0);
    struct stat st;
    assert_int_equal(vfs_stat(&R, "/tmp/null", 0, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(st.st_rdev, makedev(1, 3));
    /* devices on a read-only mount stay writable */
    assert_int_equal(
        rofs->ops->mknode(rofs, rofs->root_ino, "null",
                          &(struct vfs_newnode){S_IFCHR | 0666, 0, 0, makedev(1, 3), NULL}, &n.ino),
        0);
    assert_int_equal(vfs_open(&R, "/ro/null", O_WRONLY, 0, &n, NULL), 0);
    assert_int_equal(vfs_open(&U, "/tmp/fifo", O_RDONLY | O_DIRECTORY, 0, &n, NULL), -ENOTDIR);
}

/* ---- mkdir, mknod ----------------------------------------------------------------------- */

static void test_mkdir(void **state)
{
    struct stat st;
    U.umask = 022;
    assert_int_equal(vfs_mkdir(&U, "/home/agent/d", 07777), 0);
    assert_int_equal(vfs_stat(&R, "/home/agent/d", 0, &st), 0);
    assert_int_equal(st.st_mode, S_IFDIR | 01755); /* Linux drops setuid/setgid */
    assert_int_equal(st.st_uid, 1000);
    assert_int_equal(vfs_mkdir(&U, "/home/agent/d", 0755), -EEXIST);
    assert_int_equal(vfs_mkdir(&U, "/home/agent/e/", 0755), 0);
    assert_int_equal(vfs_mkdir(&U, "/home/agent/f//", 0755), 0);
    assert_int_equal(vfs_mkdir(&U, "/home/agent/.", 0755), -EEXIST);
    assert_int_equal(vfs_mkdir(&U, "/home/agent/..", 0755), -EEXIST);
    assert_int_equal(vfs_mkdir(&U, "/", 0755), -EEXIST);
    assert_int_equal(vfs_mkdir(&U, "/etc/passwd/x", 0755), -ENOTDIR);
    assert_int_equal(vfs_mkdir(&U, "/nope/x", 0755), -ENOENT);
    assert_int_equal(vfs_mkdir(&U, "/etc/x", 0755), -EACCES);
    assert_int_equal(vfs_mkdir(&U, "/etc/passwd", 0755), -EEXIST);
    /* a dangling symlink is not followed */
    assert_int_equal(vfs_symlink(&R, "nothing", "/tmp/dang"), 0);
    assert_int_equal(vfs_mkdir(&R, "/tmp/dang", 0755), -EEXIST);
    assert_int_equal(vfs_mkdir(&R, "/tmp/dang/", 0755), -EEXIST);
    assert_false(exists("/tmp/nothing"));
    /* setgid directories hand down their group, and setgid to new dirs */
    assert_int_equal(vfs_mkdir(&R, "/tmp/sg", 0777), 0);
    assert_int_equal(vfs_chown(&R, "/tmp/sg", -1, 3000, 0), 0);
    assert_int_equal(vfs_chmod(&R, "/tmp/sg", 02777, 0), 0);
    assert_int_equal(vfs_mkdir(&U, "/tmp/sg/sub", 0755), 0);
    assert_int_equal(vfs_stat(&R, "/tmp/sg/sub", 0, &st), 0);
    assert_int_equal(st.st_gid, 3000);
    assert_int_equal(st.st_mode, S_IFDIR | 02755);
    assert_int_equal(mkfile(&U, "/tmp/sg/file", 0644, NULL), 0);
    assert_int_equal(vfs_stat(&R, "/tmp/sg/file", 0, &st), 0);
    assert_int_equal(st.st_gid, 3000);
    assert_int_equal(st.st_mode, S_IFREG | 0644);
}

static void test_mknod(void **state)
{
    struct stat st;
    assert_int_equal(vfs_mknod(&U, "/home/agent/p", S_IFIFO | 0666, 0), 0);
    assert_int_equal(vfs_stat(&R, "/home/agent/p", 0, &st), 0);
    assert_int_equal(st.st_mode, S_IFIFO | 0644);
    assert_int_equal(vfs_mknod(&U, "/home/agent/c", S_IFCHR | 0666, makedev(1, 3)), -EPERM);
    assert_int_equal(vfs_mknod(&U, "/etc/c", S_IFCHR | 0666, makedev(1, 3)), -EACCES);
    assert_int_equal(vfs_mknod(&R, "/tmp/c", S_IFCHR | 0666, makedev(1, 3)), 0);
    assert_int_equal(vfs_mknod(&R, "/tmp/d", S_IFDIR | 0755, 0), -EPERM);
    assert_int_equal(vfs_mknod(&R, "/tmp/bad", 0170000 | 0644, 0), -EINVAL);
    assert_int_equal(vfs_mknod(&R, "/tmp/r", 0644, 0), 0); /* no type: a regular file */
    assert_true(S_ISREG(mode_of("/tmp/r")));
    assert_int_equal(vfs_mknod(&R, "/tmp/p/", S_IFIFO | 0644, 0), -ENOENT);
    assert_int_equal(vfs_mknod(&R, "/tmp/c", S_IFIFO | 0644, 0), -EEXIST);
}

/* ---- attributes --------------------------------------------------------------------------- */

static void test_chmod(void **state)
{
    assert_int_equal(mkfile(&U, "/home/agent/f", 0644, NULL), 0);
    assert_int_equal(vfs_chmod(&U, "/home/agent/f", 0600, 0), 0);
    assert_int_equal(mode_of("/home/agent/f"), S_IFREG | 0600);
    assert_int_equal(vfs_chmod(&O, "/home/agent/f", 0666, 0), -EPERM);
    assert_int_equal(vfs_chmod(&U, "/etc/passwd", 0666, 0), -EPERM);
    assert_int_equal(vfs_chmod(&R, "/home/agent/f", 0755 | S_IFDIR, 0), 0);
    assert_int_equal(mode_of("/home/agent/f"), S_IFREG | 0755);
    /* setgid only for members of the file's group */
    assert_int_equal(vfs_chmod(&U, "/home/agent/f", 02755, 0), 0);
    assert_int_equal(mode_of("/home/agent/f"), S_IFREG | 02755);
    assert_int_equal(vfs_chown(&R, "/home/agent/f", -1, 3000, 0), 0);
    assert_int_equal(vfs_chmod(&U, "/home/agent/f", 02755, 0), 0);
    assert_int_equal(mode_of("/home/agent/f"), S_IFREG | 0755);
    /* through symlinks; NOFOLLOW on a symlink is not supported (Linux) */
    assert_int_equal(vfs_symlink(&U, "f", "/home/agent/lf"), 0);
    assert_int_equal(vfs_chmod(&U, "/home/agent/lf", 0700, 0), 0);
    assert_int_equal(mode_of("/home/agent/f"), S_IFREG | 0700);
    assert_int_equal(vfs_chmod(&U, "/home/agent/lf", 0700, VFS_NOFOLLOW), -EOPNOTSUPP);
    assert_int_equal(vfs_chmod(&U, "/home/agent/f", 0600, VFS_NOFOLLOW), 0);
    assert_int_equal(vfs_node_chmod(&O, node_of(&R, "/home/agent/f"), 0777), -EPERM);
    assert_int_equal(vfs_node_chmod(&U, node_of(&R, "/home/agent/f"), 0640), 0);
    assert_int_equal(mode_of("/home/agent/f"), S_IFREG | 0640);
}

static void test_chown(void **state)
{
    struct stat st;
    assert_int_equal(mkfile(&U, "/home/agent/f", 0644, NULL), 0);
    assert_int_equal(vfs_chown(&U, "/home/agent/f", 0, -1, 0), -EPERM);
    assert_int_equal(vfs_chown(&U, "/home/agent/f", 1000, -1, 0), 0); /* to itself */
    assert_int_equal(vfs_chown(&U, "/home/agent/f", -1, -1, 0), 0);
    assert_int_equal(vfs_chown(&U, "/etc/passwd", -1, -1, 0), 0);
    assert_int_equal(vfs_chown(&U, "/home/agent/f", -1, 2000, 0), 0); /* supplementary */
    assert_int_equal(vfs_stat(&R, "/home/agent/f", 0, &st), 0);
    assert_int_equal(st.st_gid, 2000);
    assert_int_equal(vfs_chown(&U, "/home/agent/f", -1, 0, 0), -EPERM);
    assert_int_equal(vfs_chown(&O, "/home/agent/f", -1, 1001, 0), -EPERM);
    assert_int_equal(vfs_chown(&U, "/etc/passwd", -1, 1000, 0), -EPERM);
    assert_int_equal(vfs_chown(&R, "/home/agent/f", 7, 8, 0), 0);
    assert_int_equal(vfs_stat(&R, "/home/agent/f", 0, &st), 0);
    assert_int_equal(st.st_uid, 7);
    assert_int_equal(st.st_gid, 8);
    /* a change of owner drops setuid, and setgid on group-executables */
    assert_int_equal(vfs_chmod(&R, "/home/agent/f", 06755, 0), 0);
    assert_int_equal(vfs_chown(&R, "/home/agent/f", 1000, -1, 0), 0);
    assert_int_equal(mode_of("/home/agent/f"), S_IFREG | 0755);
    assert_int_equal(vfs_chmod(&R, "/home/agent/f", 06745, 0), 0);
    assert_int_equal(vfs_chown(&R, "/home/agent/f", -1, 1000, 0), 0);
    assert_int_equal(mode_of("/home/agent/f"), S_IFREG | 02745);
    /* ... and by a user outside the file's group, setgid goes too (Linux) */
    assert_int_equal(vfs_chown(&R, "/home/agent/f", -1, 0, 0), 0);
    assert_int_equal(vfs_chmod(&R, "/home/agent/f", 02745, 0), 0);
    assert_int_equal(vfs_chown(&U, "/home/agent/f", -1, 1000, 0), 0);
    assert_int_equal(mode_of("/home/agent/f"), S_IFREG | 0745);
    /* even chown(-1, -1) drops setuid: a mode change, so owner only */
    assert_int_equal(vfs_chmod(&R, "/home/agent/f", 04755, 0), 0);
    assert_int_equal(vfs_chown(&O, "/home/agent/f", -1, -1, 0), -EPERM);
    assert_int_equal(vfs_chown(&U, "/home/agent/f", -1, -1, 0), 0);
    assert_int_equal(mode_of("/home/agent/f"), S_IFREG | 0755);
    /* lchown changes the link, chown its target */
    assert_int_equal(vfs_symlink(&R, "f", "/home/agent/lf"), 0);
    assert_int_equal(vfs_chown(&R, "/home/agent/lf", 55, -1, VFS_NOFOLLOW), 0);
    assert_int_equal(vfs_stat(&R, "/home/agent/lf", VFS_NOFOLLOW, &st), 0);
    assert_int_equal(st.st_uid, 55);
    assert_int_equal(vfs_stat(&R, "/home/agent/f", 0, &st), 0);
    assert_int_equal(st.st_uid, 1000);
    assert_int_equal(vfs_node_chown(&U, node_of(&R, "/home/agent/f"), 1001, -1), -EPERM);
}

static void test_utimens(void **state)
{
    R.umask = 0;
    struct stat st;
    struct timespec ts[2] = {{100, 5}, {200, 6}};
    assert_int_equal(mkfile(&U, "/home/agent/f", 0644, NULL), 0);
    assert_int_equal(mkfile(&R, "/tmp/rw", 0666, NULL), 0);
    assert_int_equal(vfs_utimens(&U, "/home/agent/f", ts, 0), 0);
    assert_int_equal(vfs_stat(&R, "/home/agent/f", 0, &st), 0);
    assert_int_equal(st.st_atim.tv_sec, 100);
    assert_int_equal(st.st_atim.tv_nsec, 5);
    assert_int_equal(st.st_mtim.tv_sec, 200);
    assert_int_equal(st.st_mtim.tv_nsec, 6);
    /* explicit times: owner or root */
    assert_int_equal(vfs_utimens(&U, "/tmp/rw", ts, 0), -EPERM);
    assert_int_equal(vfs_utimens(&R, "/home/agent/f", ts, 0), 0);
    /* the current time: owner or write access */
    assert_int_equal(vfs_utimens(&U, "/tmp/rw", NULL, 0), 0);
    struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    assert_int_equal(vfs_utimens(&U, "/tmp/rw", now, 0), 0);
    assert_int_equal(vfs_utimens(&U, "/etc/passwd", NULL, 0), -EACCES);
    /* a mix is explicit (Linux: EPERM even with write access) */
    struct timespec mix[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
    assert_int_equal(vfs_utimens(&U, "/tmp/rw", mix, 0), -EPERM);
    assert_int_equal(vfs_utimens(&U, "/home/agent/f", mix, 0), 0);
    assert_int_equal(vfs_stat(&R, "/home/agent/f", 0, &st), 0);
    assert_int_equal(st.st_atim.tv_sec, 100); /* omitted */
    assert_true(st.st_mtim.tv_sec > 200);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    assert_int_equal(vfs_utimens(&U, "/etc/passwd", omit, 0), 0);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    assert_int_equal(vfs_utimens(&R, "/etc/passwd", bad, 0), -EINVAL);
    /* NOFOLLOW sets the link's own times */
    assert_int_equal(vfs_symlink(&U, "f", "/home/agent/lf"), 0);
    assert_int_equal(vfs_utimens(&U, "/home/agent/lf", ts, VFS_NOFOLLOW), 0);
    assert_int_equal(vfs_stat(&R, "/home/agent/lf", VFS_NOFOLLOW, &st), 0);
    assert_int_equal(st.st_mtim.tv_sec, 200);
    assert_int_equal(vfs_node_utimens(&U, node_of(&R, "/etc/passwd"), ts), -EPERM);
    assert_int_equal(vfs_node_utimens(&U, node_of(&R, "/tmp/rw"), NULL), 0);
}

static void test_truncate(void **state)
{
    assert_int_equal(mkfile(&R, "/tmp/f", 0644, "hello"), 0);
    assert_int_equal(vfs_truncate(&R, "/tmp/f", 2), 0);
    assert_int_equal(size_of("/tmp/f"), 2);
    assert_int_equal(vfs_truncate(&R, "/tmp/f", 10000), 0);
    assert_int_equal(size_of("/tmp/f"), 10000);
    assert_int_equal(vfs_truncate(&R, "/tmp/f", -1), -EINVAL);
    assert_int_equal(vfs_truncate(&R, "/tmp", 0), -EISDIR);
    assert_int_equal(vfs_truncate(&U, "/tmp/f", 0), -EACCES);
    assert_int_equal(vfs_truncate(&R, "/tmp/nope", 0), -ENOENT);
    assert_int_equal(vfs_mknod(&R, "/tmp/fifo", S_IFIFO | 0666, 0), 0);
    assert_int_equal(vfs_truncate(&R, "/tmp/fifo", 0), -EINVAL);
    assert_int_equal(vfs_symlink(&R, "f", "/tmp/lf"), 0);
    assert_int_equal(vfs_truncate(&R, "/tmp/lf", 1), 0);
    assert_int_equal(size_of("/tmp/f"), 1);
    /* an open file: no permission check (the fd was opened for writing) */
    assert_int_equal(vfs_node_truncate(&U, node_of(&R, "/tmp/f"), 0), 0);
    assert_int_equal(size_of("/tmp/f"), 0);
    assert_int_equal(vfs_node_truncate(&U, node_of(&R, "/tmp/f"), -5), -EINVAL);
    assert_int_equal(vfs_node_truncate(&U, node_of(&R, "/tmp"), 0), -EISDIR);
}

static void test_access_statfs(void **state)
{
    assert_int_equal(vfs_access(&U, "/etc/passwd", R_OK, 0), 0);
    assert_int_equal(vfs_access(&U, "/etc/passwd", F_OK, 0), 0);
    assert_int_equal(vfs_access(&U, "/etc/passwd", W_OK, 0), -EACCES);
    assert_int_equal(vfs_access(&U, "/etc/passwd", X_OK, 0), -EACCES);
    assert_int_equal(vfs_access(&R, "/etc/passwd", X_OK, 0), -EACCES);
    assert_int_equal(vfs_access(&R, "/etc/passwd", R_OK | W_OK, 0), 0);
    assert_int_equal(vfs_access(&U, "/nope", F_OK, 0), -ENOENT);
    assert_int_equal(vfs_access(&U, "/etc/passwd", 8, 0), -EINVAL);
    assert_int_equal(vfs_symlink(&R, "nope", "/tmp/dang"), 0);
    assert_int_equal(vfs_access(&U, "/tmp/dang", F_OK, 0), -ENOENT);
    assert_int_equal(vfs_access(&U, "/tmp/dang", F_OK, VFS_NOFOLLOW), 0);
    struct statvfs sv;
    assert_int_equal(vfs_statfs(&U, "/etc/passwd", &sv), 0);
    assert_int_equal(vfs_statfs(&U, "/secret/f", &sv), -EACCES);
    assert_int_equal(vfs_statfs(&U, "/nope", &sv), -ENOENT);
}

/* ---- clone ---------------------------------------------------------------------------------- */

static void test_ns_clone(void **state)
{
    struct vfs_ns copy;
    assert_int_equal(mkfile(&R, "/mnt/f", 0644, "m"), 0);
    assert_int_equal(vfs_ns_clone(&copy, &ns), 0);
    assert_int_equal(copy.nmounts, ns.nmounts);
    struct vfs_ctx c = R;
    c.ns = &copy;
    c.cwd = vfs_root(&copy);
    assert_ptr_not_equal(vfs_root(&copy).fs, rootfs);
    vnode n;
    assert_int_equal(vfs_resolve(&c, "/mnt/f", 0, &n, NULL), 0);
    assert_ptr_equal(n.fs, copy.mounts[1].fs);
    assert_int_equal(vfs_resolve(&c, "/mnt/..", 0, &n, NULL), 0);
    assert_ptr_equal(n.fs, copy.mounts[0].fs);
    assert_int_equal(vfs_mkdir(&c, "/ro/x", 0755), -EROFS);
    /* writes on one side are invisible on the other */
    assert_int_equal(vfs_unlink(&c, "/mnt/f"), 0);
    assert_int_equal(mkfile(&c, "/etc/new", 0644, NULL), 0);
    assert_true(exists("/mnt/f"));
    assert_false(exists("/etc/new"));
    assert_string_equal(copy.mounts[2].path, "/ro");
    vfs_ns_free(&copy);
    assert_int_equal(copy.nmounts, 0);
}

/* ---- magic links: a tiny procfs ----------------------------------------------------------- *
 *
 * root (1) holds: "cwd" magic -> a node (the vfs root's /etc), "pipe" magic
 * -> an open file, "plain" an ordinary symlink to "/etc" (magic says
 * -EINVAL), "gone" magic -> -ENOENT.
 */
enum { P_ROOT = 1, P_CWD, P_PIPE, P_PLAIN, P_GONE };
static const char *const pnames[] = {NULL, NULL, "cwd", "pipe", "plain", "gone"};
static vnode magic_target;
static int fake_file = 42, file_refs;

static int p_lookup(struct vfs_fs *fs, uint64_t dir, const char *name, uint64_t *ino)
{
    if (dir != P_ROOT) return -ENOTDIR;
    if (!strcmp(name, "..")) return *ino = P_ROOT, 0;
    for (uint64_t i = P_CWD; i <= P_GONE; i++)
        if (!strcmp(name, pnames[i])) return *ino = i, 0;
    return -ENOENT;
}

static int p_getattr(struct vfs_fs *fs, uint64_t ino, struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_ino = ino;
    st->st_dev = fs->dev;
    st->st_mode = ino == P_ROOT ? S_IFDIR | 0555 : S_IFLNK | 0777;
    st->st_nlink = 1;
    return 0;
}

static ssize_t p_readlink(struct vfs_fs *fs, uint64_t ino, char *buf, size_t n)
{
    const char *t = ino == P_PLAIN ? "/etc" : ino == P_PIPE ? "pipe:[1]" : "/etc";
    size_t len = strlen(t) < n ? strlen(t) : n;
    memcpy(buf, t, len);
    return len;
}

static int p_readdir(struct vfs_fs *fs, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out)
{
    if (*cookie >= 4) return 0;
    uint64_t i = P_CWD + (*cookie)++;
    out->ino = i;
    out->type = DT_LNK;
    strcpy(out->name, pnames[i]);
    return 1;
}

static int p_magic(struct vfs_fs *fs, uint64_t ino, void *proc, struct vfs_magic *out)
{
    assert_ptr_equal(proc, &fake_file); /* ctx->proc is passed through */
    switch (ino) {
    case P_CWD: out->node = magic_target; return 0;
    case P_PIPE:
        out->file = &fake_file;
        if (out->want_file) file_refs++;
        memset(&out->st, 0, sizeof out->st);
        out->st.st_mode = S_IFIFO | 0600;
        out->st.st_ino = 777;
        return 0;
    case P_GONE: return -ENOENT;
    default: return -EINVAL;
    }
}

static void p_destroy(struct vfs_fs *fs)
{
    free(fs);
}

static const struct vfs_ops p_ops = {
    .lookup = p_lookup,
    .getattr = p_getattr,
    .readlink = p_readlink,
    .readdir = p_readdir,
    .magic = p_magic,
    .destroy = p_destroy,
};

static void test_magic_links(void **state)
{
    struct vfs_fs *p = calloc(1, sizeof *p);
    p->ops = &p_ops;
    p->root_ino = P_ROOT;
    p->dev = 10;
    assert_int_equal(vfs_mkdir(&R, "/proc", 0555), 0);
    assert_int_equal(vfs_mount(&R, "/proc", p, 0), 0);
    R.proc = &fake_file;
    magic_target = node_of(&R, "/etc");
    vnode n;
    void *file = NULL;
    struct stat st;
    /* to a node: resolution continues from it */
    assert_int_equal(vfs_resolve(&R, "/proc/cwd", 0, &n, NULL), 0);
    assert_int_equal(n.ino, magic_target.ino);
    assert_int_equal(vfs_resolve(&R, "/proc/cwd/passwd", 0, &n, NULL), 0);
    assert_int_equal(n.ino, node_of(&R, "/etc/passwd").ino);
    assert_int_equal(vfs_resolve(&R, "/proc/cwd/..", 0, &n, NULL), 0);
    assert_int_equal(n.ino, vfs_root(&ns).ino);
    assert_int_equal(vfs_resolve(&R, "/proc/cwd", VFS_NOFOLLOW, &n, NULL), 0);
    assert_ptr_equal(n.fs, p);
    assert_int_equal(vfs_open(&R, "/proc/cwd/passwd", O_RDONLY, 0, &n, NULL), 0);
    /* to an open file: handed back with a reference when asked for */
    assert_int_equal(vfs_resolve(&R, "/proc/pipe", 0, &n, &file), -EVFS_FILE);
    assert_ptr_equal(file, &fake_file);
    assert_int_equal(file_refs, 1);
    assert_int_equal(vfs_resolve(&R, "/proc/pipe", 0, &n, NULL), -EVFS_FILE);
    assert_int_equal(file_refs, 1);
    file = NULL;
    assert_int_equal(vfs_open(&R, "/proc/pipe", O_WRONLY, 0, &n, &file), -EVFS_FILE);
    assert_ptr_equal(file, &fake_file);
    assert_int_equal(file_refs, 2);
    assert_int_equal(vfs_stat(&R, "/proc/pipe", 0, &st), 0);
    assert_int_equal(st.st_ino, 777);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(vfs_stat(&R, "/proc/pipe", VFS_NOFOLLOW, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(vfs_resolve(&R, "/proc/pipe/x", 0, &n, &file), -ENOTDIR);
    assert_int_equal(vfs_resolve(&R, "/proc/pipe/", 0, &n, &file), -ENOTDIR);
    assert_int_equal(vfs_resolve(&R, "/proc/pipe", VFS_DIRECTORY, &n, &file), -ENOTDIR);
    assert_int_equal(vfs_chmod(&R, "/proc/pipe", 0600, 0), -EINVAL);
    assert_int_equal(file_refs, 2);
    /* not magic: an ordinary symlink, read with readlink */
    assert_int_equal(vfs_resolve(&R, "/proc/plain/passwd", 0, &n, NULL), 0);
    assert_int_equal(n.ino, node_of(&R, "/etc/passwd").ino);
    char buf[32];
    assert_int_equal(vfs_readlink(&R, "/proc/pipe", buf, sizeof buf), 8);
    assert_int_equal(vfs_stat(&R, "/proc/gone", 0, &st), -ENOENT);
    /* path_of through the mount */
    assert_int_equal(vfs_path_of(&R, node_of(&R, "/proc"), buf, sizeof buf), 0);
    assert_string_equal(buf, "/proc");
    /* a magic link counts as a hop */
    make_chain("/tmp/ch", 38); /* 38 hops, then l38 -> /proc/cwd, then magic */
    assert_int_equal(vfs_unlink(&R, "/tmp/ch/l38"), 0);
    assert_int_equal(vfs_symlink(&R, "/proc/cwd", "/tmp/ch/l38"), 0);
    assert_int_equal(vfs_resolve(&R, "/tmp/ch/l0", 0, &n, NULL), 0); /* 40 hops */
    assert_int_equal(vfs_symlink(&R, "l0", "/tmp/ch/m"), 0);
    assert_int_equal(vfs_resolve(&R, "/tmp/ch/m", 0, &n, NULL), -ELOOP);
    /* an instance that cannot be cloned fails the whole clone, cleanly */
    struct vfs_ns copy;
    assert_int_equal(vfs_ns_clone(&copy, &ns), -EOPNOTSUPP);
    assert_int_equal(copy.nmounts, 0);
}

/* Every allocation memfs makes fails once in turn: each call either works
 * or says -ENOMEM, and the tree stays consistent. */
static void test_out_of_memory(void **state)
{
    vnode n;
    for (long k = 1; k < 200; k++) {
        memfs_fault_countdown = k;
        int r[7];
        r[0] = vfs_mkdir(&R, "/tmp/d", 0755);
        r[1] = vfs_open(&R, "/tmp/d/f", O_WRONLY | O_CREAT, 0644, &n, NULL);
        r[2] = vfs_symlink(&R, "d/f", "/tmp/l");
        r[3] = vfs_rename(&R, "/tmp/l", "/tmp/d/l");
        r[4] = vfs_link(&R, "/tmp/d/f", "/tmp/hl", 0);
        r[5] = vfs_chmod(&R, "/tmp/d", 0700, 0);
        struct vfs_fs *fs = memfs_new(50, 0, 0);
        r[6] = fs ? vfs_mount(&R, "/tmp", fs, 0) : -ENOMEM;
        if (fs && r[6] < 0) fs->ops->destroy(fs);
        memfs_fault_countdown = 0;
        for (int i = 0; i < 7; i++)
            if (r[i] < 0) assert_true(r[i] == -ENOMEM || r[i] == -ENOENT || r[i] == -EINVAL);
        for (int i = 0; i < ns.nmounts; i++)
            assert_int_equal(memfs_check(ns.mounts[i].fs, NULL), 0);
        teardown(state);
        setup(state);
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_now),
        T(test_permission_bits),
        T(test_resolve_basic),
        T(test_resolve_notdir),
        T(test_nametoolong),
        T(test_deep_path),
        T(test_symlinks),
        T(test_symlink_loops),
        T(test_symlink_40_hops),
        T(test_search_permission),
        T(test_resolve_parent),
        T(test_mount_crossing),
        T(test_mount_errors),
        T(test_path_of),
        T(test_readonly_mount),
        T(test_exdev),
        T(test_rmdir),
        T(test_unlink),
        T(test_sticky_tmp),
        T(test_rename),
        T(test_rename_permissions),
        T(test_link),
        T(test_symlink_create),
        T(test_open_create),
        T(test_open_dangling),
        T(test_open_flags),
        T(test_open_special),
        T(test_mkdir),
        T(test_mknod),
        T(test_chmod),
        T(test_chown),
        T(test_utimens),
        T(test_truncate),
        T(test_access_statfs),
        T(test_ns_clone),
        T(test_magic_links),
        T(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
