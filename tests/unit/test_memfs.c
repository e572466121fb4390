/* test_memfs.c — memfs driven through its ops table: every op, the POSIX
 * error cases, limits, unlinked-open files, and sharing (clone, snapshot,
 * restore, threads), plus allocation-failure injection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "fs/memfs.h"

/* vfs.c owns vfs_now; this stands in when the test is built without it. */
__attribute__((weak)) void vfs_now(struct vfs_fs *fs, struct timespec *ts)
{
    if (fs->now)
        fs->now(fs->now_ctx, ts);
    else
        clock_gettime(CLOCK_REALTIME, ts);
}

/* A clock that moves 1 ms on every reading, so every change shows. */
static struct timespec fake_clock = {1700000000, 0};
static void fake_now(void *ctx, struct timespec *ts)
{
    struct timespec *c = ctx;
    c->tv_nsec += 1000000;
    if (c->tv_nsec >= 1000000000) c->tv_sec++, c->tv_nsec -= 1000000000;
    *ts = *c;
}

static struct vfs_fs *mk(void)
{
    struct vfs_fs *fs = memfs_new(42, 1000, 1000);
    assert_non_null(fs);
    fs->now = fake_now;
    fs->now_ctx = &fake_clock;
    return fs;
}

#define OPS(fs) ((fs)->ops)
#define ROOT(fs) ((fs)->root_ino)

static void check(struct vfs_fs *fs)
{
    assert_int_equal(memfs_check(fs, NULL), 0);
}

static uint64_t mkn(struct vfs_fs *fs, uint64_t dir, const char *name, mode_t mode)
{
    struct vfs_newnode nn = {.mode = mode, .uid = 1000, .gid = 1000};
    uint64_t ino = 0;
    assert_int_equal(OPS(fs)->mknode(fs, dir, name, &nn, &ino), 0);
    return ino;
}

static uint64_t mkfile(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    return mkn(fs, dir, name, S_IFREG | 0644);
}

static uint64_t mkdirn(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    return mkn(fs, dir, name, S_IFDIR | 0755);
}

static uint64_t lk(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    uint64_t ino = 0;
    assert_int_equal(OPS(fs)->lookup(fs, dir, name, &ino), 0);
    return ino;
}

static int lkerr(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    uint64_t ino;
    return OPS(fs)->lookup(fs, dir, name, &ino);
}

static void wr(struct vfs_fs *fs, uint64_t ino, const char *s, off_t off)
{
    assert_int_equal(OPS(fs)->write(fs, ino, s, strlen(s), off), (ssize_t)strlen(s));
}

static void expect(struct vfs_fs *fs, uint64_t ino, const char *s)
{
    char buf[4096];
    ssize_t n = OPS(fs)->read(fs, ino, buf, sizeof buf, 0);
    assert_int_equal(n, (ssize_t)strlen(s));
    assert_memory_equal(buf, s, strlen(s));
}

static struct stat st_of(struct vfs_fs *fs, uint64_t ino)
{
    struct stat st;
    assert_int_equal(OPS(fs)->getattr(fs, ino, &st), 0);
    return st;
}

static int ts_cmp(struct timespec a, struct timespec b)
{
    if (a.tv_sec != b.tv_sec) return a.tv_sec < b.tv_sec ? -1 : 1;
    return a.tv_nsec < b.tv_nsec ? -1 : a.tv_nsec > b.tv_nsec;
}

static int setsize(struct vfs_fs *fs, uint64_t ino, off_t size)
{
    struct vfs_setattr set = {.mask = VFS_SET_SIZE, .size = size};
    return OPS(fs)->setattr(fs, ino, &set);
}

/* A digest of everything visible: names, attributes, bytes, counters. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

static uint64_t digest_node(struct vfs_fs *fs, uint64_t ino, uint64_t h, int depth)
{
    struct stat st = st_of(fs, ino);
    uint64_t f[] = {st.st_ino,
                    st.st_mode,
                    st.st_nlink,
                    st.st_uid,
                    st.st_gid,
                    st.st_rdev,
                    (uint64_t)st.st_size,
                    (uint64_t)st.st_blocks,
                    (uint64_t)st.st_mtim.tv_sec,
                    (uint64_t)st.st_mtim.tv_nsec,
                    (uint64_t)st.st_ctim.tv_nsec,
                    (uint64_t)st.st_atim.tv_nsec};
    h = mix(h, f, sizeof f);
    if (S_ISREG(st.st_mode)) {
        static char buf[65536];
        for (off_t off = 0; off < st.st_size; off += sizeof buf) {
            ssize_t n = OPS(fs)->read(fs, ino, buf, sizeof buf, off);
            assert_true(n > 0);
            h = mix(h, buf, (size_t)n);
        }
    } else if (S_ISLNK(st.st_mode)) {
        char buf[4096];
        ssize_t n = OPS(fs)->readlink(fs, ino, buf, sizeof buf);
        h = mix(h, buf, (size_t)n);
    } else if (S_ISDIR(st.st_mode) && depth < 20) {
        uint64_t cookie = 0;
        struct vfs_dirent de;
        while (OPS(fs)->readdir(fs, ino, &cookie, &de) == 1) {
            h = mix(h, de.name, strlen(de.name) + 1);
            h = digest_node(fs, de.ino, h, depth + 1);
        }
    }
    return h;
}

static void frozen_now(void *ctx, struct timespec *ts)
{
    *ts = (struct timespec){1, 1};
}

/* Reading moves atime, so the digest reads through a clone (whose clock
 * stands still, so that a second name of a file digests the same). */
static uint64_t digest(struct vfs_fs *fs)
{
    struct vfs_fs *c = OPS(fs)->clone(fs);
    assert_non_null(c);
    c->now = frozen_now;
    uint64_t h = digest_node(c, ROOT(c), 14695981039346656037ull, 0);
    uint64_t u[] = {fs->used_bytes, fs->used_inodes};
    OPS(c)->destroy(c);
    return mix(h, u, sizeof u);
}

/* ---- basic ops ---------------------------------------------------------------- */

static void test_root(void **state)
{
    struct vfs_fs *fs = mk();
    struct stat st = st_of(fs, ROOT(fs));
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0755);
    assert_int_equal(st.st_nlink, 2);
    assert_int_equal(st.st_size, 4096);
    assert_int_equal(st.st_blksize, 4096);
    assert_int_equal(st.st_blocks, 8);
    assert_int_equal(st.st_dev, 42);
    assert_int_equal(st.st_uid, 1000);
    assert_int_equal(lk(fs, ROOT(fs), ".."), ROOT(fs));
    assert_int_equal(fs->used_inodes, 1);
    struct statvfs sv;
    assert_int_equal(OPS(fs)->statfs(fs, &sv), 0);
    assert_int_equal(sv.f_bsize, 4096);
    assert_int_equal(sv.f_namemax, 255);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_create_lookup(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t f = mkfile(fs, ROOT(fs), "a"), d = mkdirn(fs, ROOT(fs), "d");
    assert_int_not_equal(f, d);
    assert_int_equal(lk(fs, ROOT(fs), "a"), f);
    assert_int_equal(lk(fs, d, ".."), ROOT(fs));
    assert_int_equal(lkerr(fs, ROOT(fs), "b"), -ENOENT);
    assert_int_equal(lkerr(fs, f, "x"), -ENOTDIR);
    assert_int_equal(lkerr(fs, 9999, "x"), -ENOENT);
    struct vfs_newnode nn = {.mode = S_IFREG | 0644};
    uint64_t ino;
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), "a", &nn, &ino), -EEXIST);
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), "d", &nn, &ino), -EEXIST);
    assert_int_equal(OPS(fs)->mknode(fs, f, "x", &nn, &ino), -ENOTDIR);
    char longname[300];
    memset(longname, 'x', 299);
    longname[299] = 0;
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), longname, &nn, &ino), -ENAMETOOLONG);
    longname[255] = 0;
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), longname, &nn, &ino), 0);
    assert_int_equal(lk(fs, ROOT(fs), longname), ino);
    struct stat st = st_of(fs, f);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0644);
    assert_int_equal(st.st_nlink, 1);
    assert_int_equal(st.st_size, 0);
    assert_int_equal(st.st_blocks, 0);
    assert_int_equal(st.st_ino, f);
    assert_int_equal(st_of(fs, ROOT(fs)).st_nlink, 3);
    assert_int_equal(fs->used_inodes, 4);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_read_write(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t f = mkfile(fs, ROOT(fs), "f"), d = mkdirn(fs, ROOT(fs), "d");
    uint64_t p = mkn(fs, ROOT(fs), "p", S_IFIFO | 0644);
    char buf[64];
    wr(fs, f, "hello world", 0);
    expect(fs, f, "hello world");
    wr(fs, f, "W", 6);
    expect(fs, f, "hello World");
    assert_int_equal(OPS(fs)->read(fs, f, buf, sizeof buf, 11), 0);
    assert_int_equal(OPS(fs)->read(fs, f, buf, sizeof buf, 1000), 0);
    assert_int_equal(OPS(fs)->read(fs, f, buf, 3, 2), 3);
    assert_memory_equal(buf, "llo", 3);
    assert_int_equal(OPS(fs)->write(fs, f, "x", 0, 0), 0);
    assert_int_equal(OPS(fs)->write(fs, d, "x", 1, 0), -EISDIR);
    assert_int_equal(OPS(fs)->read(fs, d, buf, 1, 0), -EISDIR);
    assert_int_equal(OPS(fs)->write(fs, p, "x", 1, 0), -EINVAL);
    assert_int_equal(OPS(fs)->write(fs, f, "x", 1, -1), -EINVAL);
    assert_int_equal(OPS(fs)->write(fs, 12345, "x", 1, 0), -ENOENT);
    assert_int_equal(OPS(fs)->write(fs, f, "x", 1, (off_t)1 << 50), -EFBIG);

    /* Across chunk boundaries, with odd sizes and offsets. */
    size_t n = 300000;
    unsigned char *big = malloc(n), *back = malloc(n);
    for (size_t i = 0; i < n; i++) big[i] = (unsigned char)(i * 7 + i / 251);
    uint64_t g = mkfile(fs, ROOT(fs), "g");
    assert_int_equal(OPS(fs)->write(fs, g, big, n, 0), n);
    assert_int_equal(OPS(fs)->read(fs, g, back, n, 0), n);
    assert_memory_equal(big, back, n);
    for (int i = 0; i < 50; i++) {
        size_t off = (size_t)rand() % n, len = (size_t)rand() % 100000;
        ssize_t r = OPS(fs)->read(fs, g, back, len, (off_t)off);
        assert_int_equal(r, (ssize_t)(len < n - off ? len : n - off));
        assert_memory_equal(back, big + off, (size_t)r);
    }
    struct stat st = st_of(fs, g);
    assert_int_equal(st.st_size, n);
    assert_int_equal(st.st_blocks, (n + 4095) / 4096 * 8);
    assert_int_equal(fs->used_bytes, (n + 4095) / 4096 * 4096 + 4096);
    free(big);
    free(back);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_holes_blocks(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t f = mkfile(fs, ROOT(fs), "f");
    wr(fs, f, "x", 0);
    assert_int_equal(st_of(fs, f).st_blocks, 8);
    assert_int_equal(st_of(fs, f).st_size, 1);
    wr(fs, f, "y", 1 << 20);
    struct stat st = st_of(fs, f);
    assert_int_equal(st.st_size, (1 << 20) + 1);
    assert_int_equal(st.st_blocks, 16);
    char buf[8192];
    assert_int_equal(OPS(fs)->read(fs, f, buf, sizeof buf, 500000), sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++) assert_int_equal(buf[i], 0);
    assert_int_equal(OPS(fs)->read(fs, f, buf, 2, 0), 2);
    assert_memory_equal(buf, "x", 2);
    /* Straddling two blocks allocates both. */
    wr(fs, f, "ab", 3 * 4096 - 1);
    assert_int_equal(st_of(fs, f).st_blocks, 32);
    /* A far sparse write costs one block, not the hole. */
    uint64_t s = mkfile(fs, ROOT(fs), "sparse");
    wr(fs, s, "end", (off_t)1 << 40);
    st = st_of(fs, s);
    assert_int_equal(st.st_size, ((off_t)1 << 40) + 3);
    assert_int_equal(st.st_blocks, 8);
    struct memfs_stats ms;
    assert_int_equal(memfs_check(fs, &ms), 0);
    assert_true(ms.private_bytes < 256 * 1024);
    assert_int_equal(OPS(fs)->read(fs, s, buf, 4, ((off_t)1 << 40) - 1), 4);
    assert_memory_equal(buf, "\0end", 4);
    /* Extending with setattr makes a hole, no blocks. */
    assert_int_equal(setsize(fs, s, ((off_t)1 << 41)), 0);
    assert_int_equal(st_of(fs, s).st_blocks, 8);
    OPS(fs)->destroy(fs);
}

static void test_truncate(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t f = mkfile(fs, ROOT(fs), "f"), d = mkdirn(fs, ROOT(fs), "d");
    struct vfs_newnode nn = {.mode = S_IFLNK | 0777, .target = "f"};
    uint64_t l;
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), "l", &nn, &l), 0);
    static unsigned char big[200000];
    memset(big, 0xab, sizeof big);
    assert_int_equal(OPS(fs)->write(fs, f, big, sizeof big, 0), sizeof big);
    uint64_t before = fs->used_bytes;
    assert_int_equal(setsize(fs, f, 70000), 0);
    struct stat st = st_of(fs, f);
    assert_int_equal(st.st_size, 70000);
    assert_int_equal(st.st_blocks, (70000 + 4095) / 4096 * 8);
    assert_true(fs->used_bytes < before);
    assert_int_equal(fs->used_bytes, (70000 + 4095) / 4096 * 4096);
    check(fs);
    /* Extending again shows zeros, not the old bytes. */
    assert_int_equal(setsize(fs, f, 200000), 0);
    static unsigned char back[200000];
    assert_int_equal(OPS(fs)->read(fs, f, back, sizeof back, 0), sizeof back);
    assert_memory_equal(back, big, 70000);
    for (size_t i = 70000; i < sizeof back; i++) assert_int_equal(back[i], 0);
    assert_int_equal(setsize(fs, f, 0), 0);
    assert_int_equal(st_of(fs, f).st_blocks, 0);
    assert_int_equal(fs->used_bytes, 0);
    assert_int_equal(setsize(fs, d, 0), -EISDIR);
    assert_int_equal(setsize(fs, l, 0), -EINVAL);
    assert_int_equal(setsize(fs, f, -1), -EINVAL);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_times(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t d = mkdirn(fs, ROOT(fs), "d");
    struct stat d0 = st_of(fs, d);
    uint64_t f = mkfile(fs, d, "f");
    struct stat s0 = st_of(fs, f), d1 = st_of(fs, d);
    assert_int_equal(ts_cmp(s0.st_atim, s0.st_mtim), 0);
    assert_int_equal(ts_cmp(s0.st_ctim, s0.st_mtim), 0);
    assert_true(ts_cmp(d1.st_mtim, d0.st_mtim) > 0);
    assert_true(ts_cmp(d1.st_ctim, d0.st_ctim) > 0);
    wr(fs, f, "abc", 0);
    struct stat s1 = st_of(fs, f);
    assert_true(ts_cmp(s1.st_mtim, s0.st_mtim) > 0);
    assert_true(ts_cmp(s1.st_ctim, s0.st_ctim) > 0);
    assert_int_equal(ts_cmp(s1.st_atim, s0.st_atim), 0);
    char buf[4];
    assert_int_equal(OPS(fs)->read(fs, f, buf, 3, 0), 3);
    struct stat s2 = st_of(fs, f);
    assert_true(ts_cmp(s2.st_atim, s1.st_atim) > 0);
    assert_int_equal(ts_cmp(s2.st_mtim, s1.st_mtim), 0);
    struct vfs_setattr set = {.mask = VFS_SET_MODE, .mode = 0600};
    assert_int_equal(OPS(fs)->setattr(fs, f, &set), 0);
    struct stat s3 = st_of(fs, f);
    assert_true(ts_cmp(s3.st_ctim, s2.st_ctim) > 0);
    assert_int_equal(ts_cmp(s3.st_mtim, s2.st_mtim), 0);
    set = (struct vfs_setattr){
        .mask = VFS_SET_ATIME | VFS_SET_MTIME, .atime = {1000, 5}, .mtime = {0, UTIME_OMIT}};
    assert_int_equal(OPS(fs)->setattr(fs, f, &set), 0);
    struct stat s4 = st_of(fs, f);
    assert_int_equal(s4.st_atim.tv_sec, 1000);
    assert_int_equal(s4.st_atim.tv_nsec, 5);
    assert_int_equal(ts_cmp(s4.st_mtim, s3.st_mtim), 0);
    set = (struct vfs_setattr){.mask = VFS_SET_MTIME, .mtime = {0, UTIME_NOW}};
    assert_int_equal(OPS(fs)->setattr(fs, f, &set), 0);
    assert_true(ts_cmp(st_of(fs, f).st_mtim, s4.st_mtim) > 0);
    /* Truncate moves mtime; unlink moves the directory's and the inode's ctime. */
    struct stat s5 = st_of(fs, f);
    assert_int_equal(setsize(fs, f, 1), 0);
    assert_true(ts_cmp(st_of(fs, f).st_mtim, s5.st_mtim) > 0);
    uint64_t g = mkfile(fs, d, "g");
    assert_int_equal(OPS(fs)->link(fs, g, d, "g2"), 0);
    struct stat g0 = st_of(fs, g), d2 = st_of(fs, d);
    assert_int_equal(OPS(fs)->unlink(fs, d, "g"), 0);
    assert_true(ts_cmp(st_of(fs, g).st_ctim, g0.st_ctim) > 0);
    assert_true(ts_cmp(st_of(fs, d).st_mtim, d2.st_mtim) > 0);
    OPS(fs)->destroy(fs);
}

static void test_setattr(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t f = mkfile(fs, ROOT(fs), "f");
    struct vfs_setattr set = {.mask = VFS_SET_MODE | VFS_SET_UID | VFS_SET_GID,
                              .mode = S_IFDIR | 04711,
                              .uid = 5,
                              .gid = 6};
    assert_int_equal(OPS(fs)->setattr(fs, f, &set), 0);
    struct stat st = st_of(fs, f);
    assert_int_equal(st.st_mode, S_IFREG | 04711);
    assert_int_equal(st.st_uid, 5);
    assert_int_equal(st.st_gid, 6);
    assert_int_equal(OPS(fs)->setattr(fs, 999, &set), -ENOENT);
    OPS(fs)->destroy(fs);
}

static void test_symlink_special(void **state)
{
    struct vfs_fs *fs = mk();
    struct vfs_newnode nn = {.mode = S_IFLNK | 0777, .uid = 1, .target = "../some/where"};
    uint64_t l, c, p, f = mkfile(fs, ROOT(fs), "f");
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), "l", &nn, &l), 0);
    char buf[64];
    assert_int_equal(OPS(fs)->readlink(fs, l, buf, sizeof buf), 13);
    assert_memory_equal(buf, "../some/where", 13);
    assert_int_equal(OPS(fs)->readlink(fs, l, buf, 4), 4);
    assert_int_equal(OPS(fs)->readlink(fs, f, buf, 4), -EINVAL);
    struct stat st = st_of(fs, l);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(st.st_size, 13);
    assert_int_equal(st.st_blocks, 0);
    assert_int_equal(OPS(fs)->read(fs, l, buf, 1, 0), -EINVAL);
    nn = (struct vfs_newnode){.mode = S_IFCHR | 0666, .rdev = makedev(1, 3)};
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), "null", &nn, &c), 0);
    st = st_of(fs, c);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(st.st_rdev, makedev(1, 3));
    assert_int_equal(st.st_size, 0);
    nn = (struct vfs_newnode){.mode = S_IFIFO | 0600};
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), "fifo", &nn, &p), 0);
    assert_true(S_ISFIFO(st_of(fs, p).st_mode));
    struct vfs_dirent de;
    uint64_t cookie = 0;
    unsigned char types[8];
    int n = 0;
    while (OPS(fs)->readdir(fs, ROOT(fs), &cookie, &de) == 1) types[n++] = de.type;
    assert_int_equal(n, 4);
    assert_int_equal(types[0], DT_REG);
    assert_int_equal(types[1], DT_LNK);
    assert_int_equal(types[2], DT_CHR);
    assert_int_equal(types[3], DT_FIFO);
    nn = (struct vfs_newnode){.mode = S_IFLNK | 0777, .target = ""};
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), "e", &nn, &l), -ENOENT);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_hardlinks(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t d = mkdirn(fs, ROOT(fs), "d"), f = mkfile(fs, ROOT(fs), "f");
    wr(fs, f, "data", 0);
    assert_int_equal(OPS(fs)->link(fs, f, d, "g"), 0);
    assert_int_equal(lk(fs, d, "g"), f);
    assert_int_equal(st_of(fs, f).st_nlink, 2);
    assert_int_equal(OPS(fs)->link(fs, f, d, "g"), -EEXIST);
    assert_int_equal(OPS(fs)->link(fs, d, ROOT(fs), "dd"), -EPERM);
    assert_int_equal(OPS(fs)->link(fs, f, f, "x"), -ENOTDIR);
    assert_int_equal(OPS(fs)->unlink(fs, ROOT(fs), "f"), 0);
    assert_int_equal(st_of(fs, f).st_nlink, 1);
    expect(fs, f, "data");
    assert_int_equal(fs->used_inodes, 3);
    check(fs);
    assert_int_equal(OPS(fs)->unlink(fs, d, "g"), 0);
    struct stat st;
    assert_int_equal(OPS(fs)->getattr(fs, f, &st), -ENOENT);
    assert_int_equal(fs->used_inodes, 2);
    assert_int_equal(fs->used_bytes, 0);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_dirs(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t a = mkdirn(fs, ROOT(fs), "a");
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", i);
        mkdirn(fs, a, name);
    }
    mkfile(fs, a, "file");
    assert_int_equal(st_of(fs, a).st_nlink, 7);
    assert_int_equal(st_of(fs, ROOT(fs)).st_nlink, 3);
    assert_int_equal(OPS(fs)->rmdir(fs, ROOT(fs), "a"), -ENOTEMPTY);
    assert_int_equal(OPS(fs)->rmdir(fs, a, "file"), -ENOTDIR);
    assert_int_equal(OPS(fs)->unlink(fs, a, "s0"), -EISDIR);
    assert_int_equal(OPS(fs)->unlink(fs, a, "nope"), -ENOENT);
    assert_int_equal(OPS(fs)->rmdir(fs, a, "nope"), -ENOENT);
    assert_int_equal(OPS(fs)->rmdir(fs, a, "s0"), 0);
    assert_int_equal(st_of(fs, a).st_nlink, 6);
    assert_int_equal(lkerr(fs, a, "s0"), -ENOENT);
    check(fs);
    for (int i = 1; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", i);
        assert_int_equal(OPS(fs)->rmdir(fs, a, name), 0);
    }
    assert_int_equal(OPS(fs)->unlink(fs, a, "file"), 0);
    assert_int_equal(st_of(fs, a).st_nlink, 2);
    /* An open directory, removed, refuses new entries. */
    OPS(fs)->open(fs, a);
    assert_int_equal(OPS(fs)->rmdir(fs, ROOT(fs), "a"), 0);
    assert_int_equal(st_of(fs, a).st_nlink, 0);
    struct vfs_newnode nn = {.mode = S_IFREG | 0644};
    uint64_t ino;
    assert_int_equal(OPS(fs)->mknode(fs, a, "x", &nn, &ino), -ENOENT);
    uint64_t cookie = 0;
    struct vfs_dirent de;
    assert_int_equal(OPS(fs)->readdir(fs, a, &cookie, &de), 0);
    check(fs);
    OPS(fs)->close(fs, a);
    assert_int_equal(OPS(fs)->getattr(fs, a, &(struct stat){0}), -ENOENT);
    assert_int_equal(st_of(fs, ROOT(fs)).st_nlink, 2);
    assert_int_equal(fs->used_inodes, 1);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_rename(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t r = ROOT(fs), a = mkdirn(fs, r, "a"), b = mkdirn(fs, r, "b");
    uint64_t f = mkfile(fs, a, "f"), g = mkfile(fs, b, "g");
    wr(fs, f, "F", 0);
    wr(fs, g, "G", 0);
    /* Within a directory, then across. */
    struct stat f0 = st_of(fs, f);
    assert_int_equal(OPS(fs)->rename(fs, a, "f", a, "f2"), 0);
    assert_int_equal(lkerr(fs, a, "f"), -ENOENT);
    assert_int_equal(lk(fs, a, "f2"), f);
    assert_true(ts_cmp(st_of(fs, f).st_ctim, f0.st_ctim) > 0);
    assert_int_equal(OPS(fs)->rename(fs, a, "f2", b, "f"), 0);
    assert_int_equal(lk(fs, b, "f"), f);
    assert_int_equal(OPS(fs)->rename(fs, a, "nope", b, "x"), -ENOENT);
    /* Replace a file: the old one goes. */
    uint64_t inodes = fs->used_inodes;
    assert_int_equal(OPS(fs)->rename(fs, b, "f", b, "g"), 0);
    assert_int_equal(lk(fs, b, "g"), f);
    assert_int_equal(OPS(fs)->getattr(fs, g, &(struct stat){0}), -ENOENT);
    assert_int_equal(fs->used_inodes, inodes - 1);
    expect(fs, f, "F");
    check(fs);
    /* Directory moves update ".." and link counts. */
    uint64_t s = mkdirn(fs, a, "s");
    mkfile(fs, s, "inner");
    assert_int_equal(st_of(fs, a).st_nlink, 3);
    assert_int_equal(OPS(fs)->rename(fs, a, "s", b, "s"), 0);
    assert_int_equal(lk(fs, s, ".."), b);
    assert_int_equal(st_of(fs, a).st_nlink, 2);
    assert_int_equal(st_of(fs, b).st_nlink, 3);
    check(fs);
    /* The replace rules. */
    uint64_t e = mkdirn(fs, a, "empty");
    mkfile(fs, a, "file");
    assert_int_equal(OPS(fs)->rename(fs, a, "file", a, "empty"), -EISDIR);
    assert_int_equal(OPS(fs)->rename(fs, a, "empty", a, "file"), -ENOTDIR);
    assert_int_equal(OPS(fs)->rename(fs, a, "empty", b, "s"), -ENOTEMPTY);
    assert_int_equal(OPS(fs)->rename(fs, b, "s", a, "empty"), 0);
    assert_int_equal(OPS(fs)->getattr(fs, e, &(struct stat){0}), -ENOENT);
    assert_int_equal(lk(fs, a, "empty"), s);
    assert_int_equal(lk(fs, s, ".."), a);
    assert_int_equal(st_of(fs, a).st_nlink, 3);
    assert_int_equal(st_of(fs, b).st_nlink, 2);
    check(fs);
    /* Two names of one inode: a no-op, both stay. */
    assert_int_equal(OPS(fs)->link(fs, f, a, "hard"), 0);
    assert_int_equal(OPS(fs)->rename(fs, a, "hard", b, "g"), 0);
    assert_int_equal(lk(fs, a, "hard"), f);
    assert_int_equal(lk(fs, b, "g"), f);
    assert_int_equal(st_of(fs, f).st_nlink, 2);
    assert_int_equal(OPS(fs)->rename(fs, a, "hard", a, "hard"), 0);
    assert_int_equal(lk(fs, a, "hard"), f);
    /* Replacing a file kept open keeps it readable until close. */
    uint64_t h = mkfile(fs, a, "h");
    wr(fs, h, "keep", 0);
    OPS(fs)->open(fs, h);
    assert_int_equal(OPS(fs)->rename(fs, a, "file", a, "h"), 0);
    expect(fs, h, "keep");
    assert_int_equal(st_of(fs, h).st_nlink, 0);
    check(fs);
    OPS(fs)->close(fs, h);
    assert_int_equal(OPS(fs)->getattr(fs, h, &(struct stat){0}), -ENOENT);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_readdir_order(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t d = mkdirn(fs, ROOT(fs), "d"), f = mkfile(fs, ROOT(fs), "f");
    const char *names[] = {"zeta", "alpha", "m", "beta", "a.txt", "_x", "Z"};
    for (int i = 0; i < 7; i++) mkfile(fs, d, names[i]);
    uint64_t cookie = 0;
    struct vfs_dirent de;
    for (int i = 0; i < 7; i++) {
        assert_int_equal(OPS(fs)->readdir(fs, d, &cookie, &de), 1);
        assert_string_equal(de.name, names[i]);
        assert_int_equal(de.ino, lk(fs, d, names[i]));
        assert_int_equal(de.type, DT_REG);
    }
    assert_int_equal(OPS(fs)->readdir(fs, d, &cookie, &de), 0);
    assert_int_equal(OPS(fs)->readdir(fs, d, &cookie, &de), 0);
    cookie = 0;
    assert_int_equal(OPS(fs)->readdir(fs, f, &cookie, &de), -ENOTDIR);
    uint64_t e = mkdirn(fs, ROOT(fs), "e");
    assert_int_equal(OPS(fs)->readdir(fs, e, &cookie, &de), 0);
    OPS(fs)->destroy(fs);
}

/* Removing and adding entries while iterating never skips or repeats the
 * entries that stay. */
static void test_readdir_stable(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t d = mkdirn(fs, ROOT(fs), "d");
    enum { N = 2000 };
    static int seen[N], removed[N];
    char name[32];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "n%d", i);
        mkfile(fs, d, name);
    }
    uint64_t cookie = 0;
    struct vfs_dirent de;
    int step = 0, added = 0;
    srand(7);
    while (OPS(fs)->readdir(fs, d, &cookie, &de) == 1) {
        if (de.name[0] == 'n') {
            int i = atoi(de.name + 1);
            assert_false(removed[i]);
            seen[i]++;
        }
        /* Remove two random names, one behind and one ahead, and add one. */
        for (int k = 0; k < 2; k++) {
            int j = rand() % N;
            snprintf(name, sizeof name, "n%d", j);
            if (!removed[j] && (k == 0 ? seen[j] : !seen[j])) {
                assert_int_equal(OPS(fs)->unlink(fs, d, name), 0);
                removed[j] = 1;
            }
        }
        if (step++ % 3 == 0) {
            snprintf(name, sizeof name, "added%d", added++);
            mkfile(fs, d, name);
        }
    }
    for (int i = 0; i < N; i++) {
        assert_true(seen[i] <= 1);
        if (!removed[i]) assert_int_equal(seen[i], 1);
    }
    assert_true(added > 100);
    check(fs);
    OPS(fs)->destroy(fs);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_big_dir(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t d = mkdirn(fs, ROOT(fs), "d");
    enum { N = 10000 };
    static uint64_t ino[N];
    char name[32];
    double t0 = now_s();
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "file-%05d.txt", i);
        ino[i] = mkfile(fs, d, name);
    }
    for (int r = 0; r < 10; r++)
        for (int i = 0; i < N; i++) {
            snprintf(name, sizeof name, "file-%05d.txt", (i * 7919) % N);
            assert_int_equal(lk(fs, d, name), ino[(i * 7919) % N]);
        }
    double t1 = now_s();
    print_message("# 10000 creates + 100000 lookups: %.3f s\n", t1 - t0);
    assert_true(t1 - t0 < 2.0); /* quadratic would be ~1e8 string compares */
    check(fs);
    for (int i = 0; i < N; i += 2) {
        snprintf(name, sizeof name, "file-%05d.txt", i);
        assert_int_equal(OPS(fs)->unlink(fs, d, name), 0);
    }
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "file-%05d.txt", i);
        assert_int_equal(lkerr(fs, d, name), i % 2 ? 0 : -ENOENT);
    }
    assert_int_equal(fs->used_inodes, 2 + N / 2);
    check(fs);
    OPS(fs)->destroy(fs);
}

/* ---- limits ------------------------------------------------------------------- */

static void test_limit_bytes(void **state)
{
    struct vfs_fs *fs = mk();
    fs->max_bytes = 64 * 1024;
    uint64_t f = mkfile(fs, ROOT(fs), "f"), g = mkfile(fs, ROOT(fs), "g");
    static char buf[100000];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(OPS(fs)->write(fs, f, buf, sizeof buf, 0), 65536);
    assert_int_equal(fs->used_bytes, 65536);
    assert_int_equal(st_of(fs, f).st_size, 65536);
    assert_int_equal(OPS(fs)->write(fs, g, "y", 1, 0), -ENOSPC);
    assert_int_equal(OPS(fs)->write(fs, f, "y", 1, 65536), -ENOSPC);
    assert_int_equal(st_of(fs, g).st_size, 0);
    /* Rewriting allocated blocks needs nothing new. */
    assert_int_equal(OPS(fs)->write(fs, f, "zz", 2, 100), 2);
    struct statvfs sv;
    OPS(fs)->statfs(fs, &sv);
    assert_int_equal(sv.f_bfree, 0);
    /* Truncate gives blocks back, unlink too. */
    assert_int_equal(setsize(fs, f, 4096), 0);
    assert_int_equal(fs->used_bytes, 4096);
    assert_int_equal(OPS(fs)->write(fs, g, buf, 8192, 0), 8192);
    assert_int_equal(fs->used_bytes, 12288);
    assert_int_equal(OPS(fs)->unlink(fs, ROOT(fs), "f"), 0);
    assert_int_equal(fs->used_bytes, 8192);
    /* A write that straddles: up to the limit, block-exact. */
    uint64_t h = mkfile(fs, ROOT(fs), "h");
    assert_int_equal(OPS(fs)->write(fs, h, buf, sizeof buf, 100), 14 * 4096 - 100);
    assert_int_equal(fs->used_bytes, 65536);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_limit_inodes(void **state)
{
    struct vfs_fs *fs = mk();
    fs->max_inodes = 4;
    uint64_t d = mkdirn(fs, ROOT(fs), "d");
    mkfile(fs, d, "a");
    mkfile(fs, d, "b");
    struct vfs_newnode nn = {.mode = S_IFREG | 0644};
    uint64_t ino;
    assert_int_equal(OPS(fs)->mknode(fs, d, "c", &nn, &ino), -ENOSPC);
    nn.mode = S_IFDIR | 0755;
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), "e", &nn, &ino), -ENOSPC);
    assert_int_equal(lkerr(fs, d, "c"), -ENOENT);
    assert_int_equal(fs->used_inodes, 4);
    assert_int_equal(OPS(fs)->unlink(fs, d, "a"), 0);
    assert_int_equal(fs->used_inodes, 3);
    assert_int_equal(OPS(fs)->mknode(fs, ROOT(fs), "e", &nn, &ino), 0);
    struct statvfs sv;
    OPS(fs)->statfs(fs, &sv);
    assert_int_equal(sv.f_files, 4);
    assert_int_equal(sv.f_ffree, 0);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_unlinked_open(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t f = mkfile(fs, ROOT(fs), "f");
    static char buf[100000];
    memset(buf, 'q', sizeof buf);
    assert_int_equal(OPS(fs)->write(fs, f, buf, sizeof buf, 0), sizeof buf);
    OPS(fs)->open(fs, f);
    OPS(fs)->open(fs, f);
    assert_int_equal(OPS(fs)->unlink(fs, ROOT(fs), "f"), 0);
    assert_int_equal(lkerr(fs, ROOT(fs), "f"), -ENOENT);
    assert_int_equal(st_of(fs, f).st_nlink, 0);
    wr(fs, f, "tail", sizeof buf);
    char back[8];
    assert_int_equal(OPS(fs)->read(fs, f, back, 8, sizeof buf - 4), 8);
    assert_memory_equal(back, "qqqqtail", 8);
    assert_int_equal(fs->used_inodes, 2);
    check(fs);
    OPS(fs)->close(fs, f);
    assert_int_equal(st_of(fs, f).st_nlink, 0);
    OPS(fs)->close(fs, f);
    assert_int_equal(OPS(fs)->getattr(fs, f, &(struct stat){0}), -ENOENT);
    assert_int_equal(fs->used_inodes, 1);
    assert_int_equal(fs->used_bytes, 0);
    /* Many files open at once grow the open table. */
    uint64_t inos[100];
    char name[16];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "o%d", i);
        inos[i] = mkfile(fs, ROOT(fs), name);
        OPS(fs)->open(fs, inos[i]);
        assert_int_equal(OPS(fs)->unlink(fs, ROOT(fs), name), 0);
    }
    check(fs);
    for (int i = 0; i < 100; i += 2) OPS(fs)->close(fs, inos[i]);
    for (int i = 0; i < 100; i++)
        assert_int_equal(OPS(fs)->getattr(fs, inos[i], &(struct stat){0}), i % 2 ? 0 : -ENOENT);
    check(fs);
    /* destroy frees the orphans still open */
    OPS(fs)->destroy(fs);
}

/* ---- sharing -------------------------------------------------------------------- */

static void test_clone_isolation(void **state)
{
    struct vfs_fs *p = mk();
    uint64_t d = mkdirn(p, ROOT(p), "d"), f = mkfile(p, d, "f");
    wr(p, f, "shared", 0);
    uint64_t pd0 = digest(p);
    struct vfs_fs *c = OPS(p)->clone(p);
    assert_non_null(c);
    assert_int_equal(digest(c), pd0);
    assert_int_equal(c->used_inodes, p->used_inodes);
    /* Parent changes; child keeps the old state. */
    wr(p, f, "PARENT", 0);
    struct vfs_setattr set = {.mask = VFS_SET_MODE, .mode = 0600};
    assert_int_equal(OPS(p)->setattr(p, f, &set), 0);
    mkfile(p, d, "new-in-parent");
    assert_int_equal(digest(c), pd0);
    expect(c, f, "shared");
    assert_int_equal(st_of(c, f).st_mode & 07777, 0644);
    assert_int_equal(lkerr(c, d, "new-in-parent"), -ENOENT);
    /* Child changes; parent keeps its state. */
    uint64_t pd1 = digest(p);
    wr(c, f, "CHILD!!", 0);
    assert_int_equal(OPS(c)->unlink(c, d, "f"), 0);
    mkdirn(c, ROOT(c), "child-dir");
    assert_int_equal(digest(p), pd1);
    expect(p, f, "PARENT");
    assert_int_equal(lk(p, d, "f"), f);
    assert_int_equal(lkerr(p, ROOT(p), "child-dir"), -ENOENT);
    assert_int_equal(lkerr(c, d, "f"), -ENOENT);
    /* Inode numbers stay apart but may coincide: each instance is its own fs. */
    check(p);
    check(c);
    /* Destroying the parent leaves the child whole. */
    OPS(p)->destroy(p);
    assert_int_equal(lk(c, ROOT(c), "child-dir") > 0, 1);
    check(c);
    OPS(c)->destroy(c);
}

static void test_clone_orphans(void **state)
{
    struct vfs_fs *p = mk();
    uint64_t f = mkfile(p, ROOT(p), "f");
    wr(p, f, "x", 0);
    OPS(p)->open(p, f);
    OPS(p)->unlink(p, ROOT(p), "f");
    struct vfs_fs *c = OPS(p)->clone(p);
    assert_non_null(c);
    assert_int_equal(OPS(c)->getattr(c, f, &(struct stat){0}), -ENOENT);
    assert_int_equal(c->used_inodes, 1);
    assert_int_equal(c->used_bytes, 0);
    check(c);
    expect(p, f, "x");
    check(p);
    OPS(p)->close(p, f);
    check(p);
    OPS(c)->destroy(c);
    OPS(p)->destroy(p);
}

static void test_snapshot_restore(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t d = mkdirn(fs, ROOT(fs), "d"), f = mkfile(fs, d, "f");
    static char buf[150000];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)(i % 253);
    assert_int_equal(OPS(fs)->write(fs, f, buf, sizeof buf, 0), sizeof buf);
    mkfile(fs, d, "g");
    uint64_t h0 = digest(fs), bytes0 = fs->used_bytes, inodes0 = fs->used_inodes;
    void *snap = OPS(fs)->snapshot(fs);
    assert_non_null(snap);
    /* Change everything. */
    wr(fs, f, "overwrite", 70000);
    assert_int_equal(setsize(fs, f, 1000), 0);
    struct vfs_setattr set = {.mask = VFS_SET_MODE | VFS_SET_UID, .mode = 0, .uid = 7};
    assert_int_equal(OPS(fs)->setattr(fs, f, &set), 0);
    assert_int_equal(OPS(fs)->rename(fs, d, "g", ROOT(fs), "g2"), 0);
    mkdirn(fs, d, "sub");
    uint64_t late = mkfile(fs, ROOT(fs), "late");
    assert_int_not_equal(digest(fs), h0);
    assert_int_equal(OPS(fs)->restore(fs, snap), 0);
    assert_int_equal(digest(fs), h0);
    assert_int_equal(fs->used_bytes, bytes0);
    assert_int_equal(fs->used_inodes, inodes0);
    check(fs);
    /* Usable afterwards, and new inode numbers do not reuse old ones. */
    uint64_t n = mkfile(fs, ROOT(fs), "after");
    assert_true(n > late);
    wr(fs, f, "again", 0);
    assert_int_equal(OPS(fs)->restore(fs, snap), 0);
    assert_int_equal(digest(fs), h0);
    OPS(fs)->snapshot_free(snap);
    assert_int_equal(digest(fs), h0);
    check(fs);
    OPS(fs)->destroy(fs);
}

static void test_restore_open(void **state)
{
    struct vfs_fs *fs = mk();
    uint64_t old = mkfile(fs, ROOT(fs), "old");
    wr(fs, old, "old bytes", 0);
    uint64_t orphan = mkfile(fs, ROOT(fs), "orphan");
    OPS(fs)->open(fs, orphan);
    OPS(fs)->unlink(fs, ROOT(fs), "orphan");
    void *snap = OPS(fs)->snapshot(fs);
    assert_non_null(snap);
    uint64_t fresh = mkfile(fs, ROOT(fs), "fresh");
    wr(fs, fresh, "made after", 0);
    OPS(fs)->open(fs, fresh);
    OPS(fs)->open(fs, old);
    wr(fs, old, "NEW", 0);
    assert_int_equal(OPS(fs)->restore(fs, snap), 0);
    /* Open file made after the snapshot: still readable, no name. */
    expect(fs, fresh, "made after");
    assert_int_equal(st_of(fs, fresh).st_nlink, 0);
    assert_int_equal(lkerr(fs, ROOT(fs), "fresh"), -ENOENT);
    /* Open orphan from before: carried too. Open file in the snapshot:
     * its snapshot version. */
    assert_int_equal(st_of(fs, orphan).st_nlink, 0);
    expect(fs, old, "old bytes");
    check(fs);
    OPS(fs)->close(fs, fresh);
    OPS(fs)->close(fs, orphan);
    OPS(fs)->close(fs, old);
    assert_int_equal(OPS(fs)->getattr(fs, fresh, &(struct stat){0}), -ENOENT);
    assert_int_equal(OPS(fs)->getattr(fs, orphan, &(struct stat){0}), -ENOENT);
    assert_int_equal(fs->used_inodes, 2);
    check(fs);
    OPS(fs)->snapshot_free(snap);
    OPS(fs)->destroy(fs);
}

/* A 100 MB file and 10,000 files, cloned: one write copies a path. */
static void test_big_share(void **state)
{
    struct vfs_fs *p = mk();
    uint64_t big = mkfile(p, ROOT(p), "big"), d = mkdirn(p, ROOT(p), "many");
    size_t chunk = 1 << 20;
    char *buf = malloc(chunk);
    for (size_t i = 0; i < chunk; i++) buf[i] = (char)(i * 31);
    for (int i = 0; i < 100; i++)
        assert_int_equal(OPS(p)->write(p, big, buf, chunk, (off_t)i * chunk), chunk);
    char name[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(name, sizeof name, "f%d", i);
        uint64_t f = mkfile(p, d, name);
        wr(p, f, name, 0);
    }
    struct memfs_stats ps, cs;
    assert_int_equal(memfs_check(p, &ps), 0);
    assert_true(ps.private_bytes > 100 * chunk);
    double t0 = now_s();
    struct vfs_fs *c = OPS(p)->clone(p);
    double t1 = now_s();
    assert_non_null(c);
    assert_true(t1 - t0 < 0.01);
    assert_int_equal(memfs_check(c, &cs), 0);
    assert_int_equal(cs.private_bytes, 0);
    assert_int_equal(memfs_check(p, &ps), 0);
    assert_int_equal(ps.private_bytes, 0);
    /* One small write in the middle of the big file. */
    wr(c, big, "patch", 50 * chunk + 12345);
    assert_int_equal(memfs_check(c, &cs), 0);
    print_message("# after one write the clone owns %llu bytes\n",
                  (unsigned long long)cs.private_bytes);
    assert_true(cs.private_bytes < 100 * 1024); /* a 64 KiB chunk and a few nodes */
    /* A new file in the big directory copies that directory once. */
    mkfile(c, d, "one-more");
    assert_int_equal(memfs_check(c, &cs), 0);
    assert_true(cs.private_bytes < 1024 * 1024);
    /* The parent still has its bytes. */
    char back[5];
    assert_int_equal(OPS(p)->read(p, big, back, 5, 50 * chunk + 12345), 5);
    assert_memory_equal(back, buf + 12345, 5);
    OPS(p)->destroy(p);
    check(c);
    OPS(c)->destroy(c);
    free(buf);
}

/* Appending small pieces is amortised O(piece), before and after a fork. */
static void test_append_hot(void **state)
{
    struct vfs_fs *fs = mk();
    fs->now = NULL;
    uint64_t f = mkfile(fs, ROOT(fs), "log");
    char piece[100];
    for (int i = 0; i < 100; i++) piece[i] = (char)('a' + i % 26);
    double t0 = now_s();
    off_t off = 0;
    for (int i = 0; i < 1000000; i++, off += 100)
        assert_int_equal(OPS(fs)->write(fs, f, piece, 100, off), 100);
    double t1 = now_s();
    print_message("# 1e6 appends of 100 bytes: %.3f s\n", t1 - t0);
    assert_true(t1 - t0 < 5.0);
    assert_int_equal(st_of(fs, f).st_size, 100000000);
    struct vfs_fs *c = OPS(fs)->clone(fs);
    for (int i = 0; i < 10000; i++, off += 100)
        assert_int_equal(OPS(c)->write(c, f, piece, 100, off), 100);
    char back[100];
    assert_int_equal(OPS(c)->read(c, f, back, 100, 54321 * 100), 100);
    assert_memory_equal(back, piece, 100);
    assert_int_equal(st_of(fs, f).st_size, 100000000);
    check(c);
    OPS(c)->destroy(c);
    OPS(fs)->destroy(fs);
}

struct hammer {
    struct vfs_fs *fs;
    uint64_t dir, shared;
    int seed, ok;
};

/* Each thread works on its own clone: writes, creates, renames, removes,
 * reads shared bytes; then checks its own tree. */
static void *hammer_run(void *arg)
{
    struct hammer *h = arg;
    struct vfs_fs *fs = h->fs;
    unsigned seed = (unsigned)h->seed;
    char name[32], buf[256], exp[256];
    uint64_t mine = 0;
    struct vfs_newnode nn = {.mode = S_IFREG | 0644};
    h->ok = 1;
    for (int i = 0; i < 20000 && h->ok; i++) {
        int k = rand_r(&seed) % 100;
        snprintf(name, sizeof name, "f%d", rand_r(&seed) % 200);
        uint64_t ino;
        if (k < 30) {
            if (fs->ops->lookup(fs, h->dir, name, &ino) == 0) {
                int n = snprintf(buf, sizeof buf, "%d:%s", h->seed, name);
                if (fs->ops->write(fs, ino, buf, (size_t)n, rand_r(&seed) % 100000) != n) h->ok = 0;
            }
        } else if (k < 50) {
            fs->ops->mknode(fs, h->dir, name, &nn, &ino);
        } else if (k < 60) {
            fs->ops->unlink(fs, h->dir, name);
        } else if (k < 70) {
            char to[32];
            snprintf(to, sizeof to, "f%d", rand_r(&seed) % 200);
            fs->ops->rename(fs, h->dir, name, h->dir, to);
        } else if (k < 90) {
            /* The shared file reads the image's bytes everywhere. */
            off_t off = rand_r(&seed) % 1000000;
            if (fs->ops->read(fs, h->shared, buf, 64, off) != 64) h->ok = 0;
            for (int j = 0; j < 64; j++) exp[j] = (char)((off + j) * 13);
            if (memcmp(buf, exp, 64)) h->ok = 0;
        } else {
            if (!mine && fs->ops->mknode(fs, fs->root_ino, "mine", &nn, &mine)) h->ok = 0;
            int n = snprintf(buf, sizeof buf, "thread %d", h->seed);
            fs->ops->write(fs, mine, buf, (size_t)n, 0);
        }
    }
    if (memfs_check(fs, NULL)) h->ok = 0;
    return NULL;
}

static void test_threads(void **state)
{
    struct vfs_fs *img = memfs_new(1, 0, 0);
    uint64_t dir = mkdirn(img, ROOT(img), "work"), shared = mkfile(img, ROOT(img), "shared");
    static char buf[1000064];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)(i * 13);
    assert_int_equal(OPS(img)->write(img, shared, buf, sizeof buf, 0), sizeof buf);
    char name[32];
    for (int i = 0; i < 200; i += 2) {
        snprintf(name, sizeof name, "f%d", i);
        uint64_t f = mkfile(img, dir, name);
        wr(img, f, "image", 0);
    }
    uint64_t h0 = digest(img);
    enum { T = 4 };
    struct hammer h[T];
    pthread_t th[T];
    for (int i = 0; i < T; i++) {
        h[i] = (struct hammer){
            .fs = OPS(img)->clone(img), .dir = dir, .shared = shared, .seed = i + 1};
        assert_non_null(h[i].fs);
        h[i].fs->now = NULL;
    }
    for (int i = 0; i < T; i++) pthread_create(&th[i], NULL, hammer_run, &h[i]);
    for (int i = 0; i < T; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < T; i++) {
        assert_true(h[i].ok);
        char back[16];
        uint64_t mine = lk(h[i].fs, ROOT(img), "mine");
        assert_int_equal(OPS(h[i].fs)->read(h[i].fs, mine, back, 8, 0), 8);
        assert_memory_equal(back, "thread ", 7);
        assert_int_equal(back[7], '1' + i);
    }
    assert_int_equal(digest(img), h0);
    assert_int_equal(lkerr(img, ROOT(img), "mine"), -ENOENT);
    OPS(img)->destroy(img);
    for (int i = 0; i < T; i++) OPS(h[i].fs)->destroy(h[i].fs);
}

/* ---- allocation failures ------------------------------------------------------ */

/* A script of operations; each may fail with -ENOMEM and must then leave
 * the instance exactly as it was. */
static ssize_t script_op(struct vfs_fs *fs, int j)
{
    static char big[140000];
    memset(big, 'b', sizeof big);
    const struct vfs_ops *o = fs->ops;
    uint64_t r = fs->root_ino, d = 0, f = 0, ino;
    o->lookup(fs, r, "d", &d);
    o->lookup(fs, d ? d : r, "f", &f);
    struct vfs_newnode reg = {.mode = S_IFREG | 0644}, dir = {.mode = S_IFDIR | 0755};
    struct vfs_newnode sym = {.mode = S_IFLNK | 0777, .target = "somewhere"};
    struct vfs_setattr set = {.mask = VFS_SET_SIZE | VFS_SET_MODE, .size = 70000, .mode = 0600};
    char name[16];
    switch (j) {
    case 0: return o->mknode(fs, r, "d", &dir, &ino);
    case 1: return o->mknode(fs, d, "f", &reg, &ino);
    case 2: return o->write(fs, f, big, sizeof big, 0);
    case 3: return o->write(fs, f, "hello", 5, 3);
    case 4: return o->mknode(fs, d, "sym", &sym, &ino);
    case 5: return o->link(fs, f, r, "hard");
    case 6: return o->setattr(fs, f, &set);
    case 7: return o->rename(fs, d, "f", r, "moved");
    case 8: return o->rename(fs, r, "moved", d, "sym");
    case 9: return o->mknode(fs, d, "sub", &dir, &ino);
    case 10: return o->rename(fs, d, "sub", r, "sub2");
    case 11: return o->unlink(fs, r, "hard");
    case 12:
        for (int i = 0; i < 40; i++) {
            snprintf(name, sizeof name, "x%d", i);
            ssize_t e = o->mknode(fs, d, name, &reg, &ino);
            if (e) return e;
        }
        return 0;
    case 13:
        for (int i = 0; i < 40; i += 1) {
            snprintf(name, sizeof name, "x%d", i);
            ssize_t e = o->unlink(fs, d, name);
            if (e) return e;
        }
        return 0;
    case 14: return o->write(fs, f ? f : d, "far", 3, (off_t)1 << 33);
    case 15: return o->rmdir(fs, r, "sub2");
    case 16: return setsize(fs, o->lookup(fs, d, "sym", &ino) ? r : ino, 5);
    }
    return 1; /* end */
}

enum { NSCRIPT = 17 };

static void script_upto(struct vfs_fs *fs, int n)
{
    for (int j = 0; j < n; j++) script_op(fs, j);
}

/* Run op j with the kth allocation failing, on a private tree (shared
 * with a clone when shared is set). Returns whether a failure happened. */
static int fault_once(int j, long k, int shared)
{
    struct vfs_fs *fs = mk();
    script_upto(fs, j);
    struct vfs_fs *c = shared ? OPS(fs)->clone(fs) : NULL;
    uint64_t h = digest(fs);
    memfs_fault_countdown = k;
    ssize_t e = script_op(fs, j);
    int fired = memfs_fault_countdown == 0;
    memfs_fault_countdown = 0;
    /* Multi-step ops may fail after earlier steps succeeded; single ones
     * must change nothing. */
    if (e == -ENOMEM && j != 12 && j != 13 && digest(fs) != h)
        fail_msg("op %d, allocation %ld, shared %d: ENOMEM changed the tree", j, k, shared);
    check(fs);
    if (c) {
        check(c);
        OPS(c)->destroy(c);
    }
    OPS(fs)->destroy(fs);
    return fired;
}

static void test_enomem(void **state)
{
    int total = 0;
    for (int j = 0; j < NSCRIPT; j++) {
        for (int shared = 0; shared < 2; shared++)
            for (long k = 1; fault_once(j, k, shared); k++) total++;
    }
    print_message("# %d injected failures\n", total);
    assert_true(total > 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root),           cmocka_unit_test(test_create_lookup),
        cmocka_unit_test(test_read_write),     cmocka_unit_test(test_holes_blocks),
        cmocka_unit_test(test_truncate),       cmocka_unit_test(test_times),
        cmocka_unit_test(test_setattr),        cmocka_unit_test(test_symlink_special),
        cmocka_unit_test(test_hardlinks),      cmocka_unit_test(test_dirs),
        cmocka_unit_test(test_rename),         cmocka_unit_test(test_readdir_order),
        cmocka_unit_test(test_readdir_stable), cmocka_unit_test(test_big_dir),
        cmocka_unit_test(test_limit_bytes),    cmocka_unit_test(test_limit_inodes),
        cmocka_unit_test(test_unlinked_open),  cmocka_unit_test(test_clone_isolation),
        cmocka_unit_test(test_clone_orphans),  cmocka_unit_test(test_snapshot_restore),
        cmocka_unit_test(test_restore_open),   cmocka_unit_test(test_big_share),
        cmocka_unit_test(test_append_hot),     cmocka_unit_test(test_threads),
        cmocka_unit_test(test_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
