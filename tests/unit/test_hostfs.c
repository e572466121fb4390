/* test_hostfs.c — a host directory mounted in a VM: read-only and
 * read-write behaviour through the API and the ops table, and a table of
 * escape attempts (paths, "..", symlinks planted before and after the
 * mount, /proc/self/root, hard links, special files, a symlink swapped in
 * by a racing host thread) that must all fail, with the host tree hashed
 * before and after to prove read-only runs change nothing.
 */
#include "fs/hostfs.h"
#include "kernel/kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>

static char base[256]; /* /tmp/vos-hostfs-XXXXXX: root/ is mounted, outside/ is not */
static char rootdir[300], outside[300];

static void put(const char *dir, const char *name, const char *text)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    assert_int_equal(system(cmd), 0);
}

/* ---- hashing a host tree (paths, types, modes, bytes, link targets) ---- */

static uint64_t tree_hash;
static size_t tree_base_len;

static void hmix(const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) tree_hash = (tree_hash ^ s[i]) * 1099511628211ull;
}

static int hash_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    hmix(path + tree_base_len, strlen(path + tree_base_len) + 1);
    hmix(&st->st_mode, sizeof st->st_mode);
    hmix(&st->st_size, sizeof st->st_size);
    /* Directory mtimes move when this test plants links itself. */
    if (!S_ISDIR(st->st_mode)) hmix(&st->st_mtim, sizeof st->st_mtim);
    if (S_ISREG(st->st_mode)) {
        FILE *f = fopen(path, "rb");
        if (f) {
            char buf[4096];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0) hmix(buf, n);
            fclose(f);
        }
    } else if (S_ISLNK(st->st_mode)) {
        char t[4096];
        ssize_t n = readlink(path, t, sizeof t);
        if (n > 0) hmix(t, (size_t)n);
    }
    return 0;
}

/* nftw visits in directory order; that order is stable for an unchanged
 * directory, which is what is being checked. */
static uint64_t hash_tree(const char *dir)
{
    tree_hash = 1469598103934665603ull;
    tree_base_len = strlen(dir);
    assert_int_equal(nftw(dir, hash_one, 32, FTW_PHYS), 0);
    return tree_hash;
}

/* ---- fixtures ------------------------------------------------------------ */

static int setup(void **state)
{
    snprintf(base, sizeof base, "/tmp/vos-hostfs-XXXXXX");
    if (!mkdtemp(base)) return -1;
    snprintf(rootdir, sizeof rootdir, "%s/root", base);
    snprintf(outside, sizeof outside, "%s/outside", base);
    mkdir(rootdir, 0755);
    mkdir(outside, 0755);
    put(outside, "secret.txt", "SECRET\n");
    put(rootdir, "file.txt", "hello\n");
    char p[700], q[700];
    snprintf(p, sizeof p, "%s/sub", rootdir);
    mkdir(p, 0755);
    put(p, "inner.txt", "inner\n");
    snprintf(p, sizeof p, "%s/link_abs_passwd", rootdir);
    symlink("/etc/passwd", p);
    snprintf(p, sizeof p, "%s/link_root", rootdir);
    symlink("/", p);
    snprintf(p, sizeof p, "%s/link_up", rootdir);
    symlink("..", p);
    snprintf(p, sizeof p, "%s/link_rel_escape", rootdir);
    symlink("../outside/secret.txt", p);
    snprintf(p, sizeof p, "%s/link_rel_deep", rootdir);
    symlink("../../../../../../../../etc/passwd", p);
    snprintf(p, sizeof p, "%s/link_abs_outside", rootdir);
    snprintf(q, sizeof q, "%s/secret.txt", outside);
    symlink(q, p);
    snprintf(p, sizeof p, "%s/link_outside_dir", rootdir);
    symlink(outside, p);
    snprintf(p, sizeof p, "%s/link_proc", rootdir);
    symlink("/proc/self/root/etc/passwd", p);
    snprintf(p, sizeof p, "%s/hardlink_secret", rootdir);
    link(q, p); /* a host hard link to an outside file: the same inode */
    snprintf(p, sizeof p, "%s/fifo", rootdir);
    mkfifo(p, 0666);
    snprintf(p, sizeof p, "%s/null", rootdir);
    mknod(p, S_IFCHR | 0666, makedev(1, 3)); /* fails without root: fine */
    return 0;
}

static int teardown(void **state)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    return system(cmd) == 0 ? 0 : -1;
}

static vos_vm *mount_vm(int flags)
{
    vos_vm *vm = vos_new(NULL);
    assert_non_null(vm);
    assert_int_equal(vos_mount_host(vm, rootdir, "/mnt/h", flags), 0);
    return vm;
}

static char *read_vm(vos_vm *vm, const char *path, int *err)
{
    void *data;
    size_t len;
    *err = vos_read_file(vm, path, &data, &len);
    return *err == 0 ? data : NULL;
}

static char *host_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* ---- behaviour ------------------------------------------------------------ */

static void test_read_only(void **state)
{
    uint64_t before = hash_tree(rootdir);
    vos_vm *vm = mount_vm(VOS_MOUNT_RO);
    int err;
    char *s = read_vm(vm, "/mnt/h/file.txt", &err);
    assert_string_equal(s, "hello\n");
    free(s);
    s = read_vm(vm, "/mnt/h/sub/inner.txt", &err);
    assert_string_equal(s, "inner\n");
    free(s);
    s = read_vm(vm, "/mnt/h/sub/../file.txt", &err);
    assert_string_equal(s, "hello\n");
    free(s);
    assert_int_equal(vos_write_file(vm, "/mnt/h/new.txt", "x", 1), -EROFS);
    assert_int_equal(vos_write_file(vm, "/mnt/h/file.txt", "x", 1), -EROFS);
    assert_int_equal(vos_mkdir(vm, "/mnt/h/d", 0755), -EROFS);
    assert_int_equal(vos_remove(vm, "/mnt/h/file.txt"), -EROFS);
    assert_int_equal(vos_rename(vm, "/mnt/h/file.txt", "/mnt/h/x"), -EROFS);
    assert_int_equal(vos_chmod(vm, "/mnt/h/file.txt", 0777), -EROFS);
    struct stat st, hst;
    assert_int_equal(vos_stat(vm, "/mnt/h/file.txt", &st), 0);
    char p[600];
    snprintf(p, sizeof p, "%s/file.txt", rootdir);
    assert_int_equal(stat(p, &hst), 0);
    assert_int_equal(st.st_ino, hst.st_ino);
    assert_int_equal(st.st_mode, hst.st_mode);
    assert_int_equal(st.st_size, 6);
    /* Ownership: the host user's files are the VM user's. */
    if (hst.st_uid == geteuid()) assert_int_equal(st.st_uid, 1000);
    assert_int_equal(vos_lstat(vm, "/mnt/h/link_root", &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    char **names;
    assert_int_equal(vos_list(vm, "/mnt/h", &names), 0);
    int n = 0, saw_sub = 0;
    for (char **q = names; *q; q++, n++) saw_sub |= !strcmp(*q, "sub");
    assert_true(saw_sub);
    assert_true(n >= 10);
    vos_list_free(names);
    vos_free(vm);
    assert_true(hash_tree(rootdir) == before);
}

static void test_read_write(void **state)
{
    vos_vm *vm = mount_vm(VOS_MOUNT_RW);
    char p[600];
    assert_int_equal(vos_write_file(vm, "/mnt/h/rw.txt", "written\n", 8), 0);
    snprintf(p, sizeof p, "%s/rw.txt", rootdir);
    assert_string_equal(host_file(p), "written\n");
    assert_int_equal(vos_chmod(vm, "/mnt/h/rw.txt", 0600), 0);
    struct stat hst;
    assert_int_equal(stat(p, &hst), 0);
    assert_int_equal(hst.st_mode & 07777, 0600);
    assert_int_equal(vos_mkdir(vm, "/mnt/h/newdir/deeper", 0750), 0);
    assert_int_equal(vos_rename(vm, "/mnt/h/rw.txt", "/mnt/h/newdir/deeper/moved.txt"), 0);
    snprintf(p, sizeof p, "%s/newdir/deeper/moved.txt", rootdir);
    assert_string_equal(host_file(p), "written\n");
    /* A renamed directory carries what is below it. */
    assert_int_equal(vos_rename(vm, "/mnt/h/newdir", "/mnt/h/renamed"), 0);
    int err;
    char *s = read_vm(vm, "/mnt/h/renamed/deeper/moved.txt", &err);
    assert_non_null(s);
    assert_string_equal(s, "written\n");
    free(s);
    assert_int_equal(vos_symlink(vm, "deeper/moved.txt", "/mnt/h/renamed/ln"), 0);
    s = read_vm(vm, "/mnt/h/renamed/ln", &err);
    assert_string_equal(s, "written\n");
    free(s);
    assert_int_equal(vos_remove(vm, "/mnt/h/renamed"), 0);
    snprintf(p, sizeof p, "%s/renamed", rootdir);
    assert_int_equal(access(p, F_OK), -1);
    /* Hard links cannot leave the mount; special files cannot be made. */
    struct vm *k = (struct vm *)vm;
    struct vfs_cred cred = {1000, 1000, 0, NULL};
    struct vfs_ctx ctx = {&k->ns, &cred, vfs_root(&k->ns), NULL, 022};
    assert_int_equal(vfs_link(&ctx, "/mnt/h/file.txt", "/tmp/hl", 0), -EXDEV);
    assert_int_equal(vfs_link(&ctx, "/etc/passwd", "/mnt/h/hl", 0), -EXDEV);
    assert_int_equal(vfs_link(&ctx, "/mnt/h/file.txt", "/mnt/h/hl", 0), 0);
    snprintf(p, sizeof p, "%s/hl", rootdir);
    assert_string_equal(host_file(p), "hello\n");
    assert_int_equal(vfs_unlink(&ctx, "/mnt/h/hl"), 0);
    assert_int_equal(vfs_mknod(&ctx, "/mnt/h/ff", S_IFIFO | 0644, 0), -EPERM);
    vos_free(vm);
}

static void test_unlinked_open_and_ops(void **state)
{
    int err = 0;
    struct vfs_fs *fs = hostfs_new(rootdir, 0, 77, 1000, 1000, &err);
    assert_non_null(fs);
    uint64_t ino, up;
    struct vfs_newnode nn = {S_IFREG | 0644, 1000, 1000, 0, NULL};
    assert_int_equal(fs->ops->mknode(fs, fs->root_ino, "tmpfile", &nn, &ino), 0);
    assert_int_equal(fs->ops->mknode(fs, fs->root_ino, "tmpfile", &nn, &ino), -EEXIST);
    assert_int_equal(fs->ops->write(fs, ino, "abcdef", 6, 0), 6);
    fs->ops->open(fs, ino);
    assert_int_equal(fs->ops->unlink(fs, fs->root_ino, "tmpfile"), 0);
    char buf[16] = {0};
    assert_int_equal(fs->ops->read(fs, ino, buf, sizeof buf, 0), 6);
    assert_string_equal(buf, "abcdef");
    struct stat st;
    assert_int_equal(fs->ops->getattr(fs, ino, &st), 0);
    assert_int_equal(st.st_nlink, 0);
    assert_int_equal(st.st_dev, 77);
    fs->ops->close(fs, ino);
    assert_int_equal(fs->ops->getattr(fs, ino, &st), -ENOENT);
    /* Names that are not one component never reach the host. */
    assert_int_equal(fs->ops->lookup(fs, fs->root_ino, "../outside", &ino), -EINVAL);
    assert_int_equal(fs->ops->lookup(fs, fs->root_ino, "a/b", &ino), -EINVAL);
    assert_int_equal(fs->ops->lookup(fs, fs->root_ino, "..", &up), 0);
    assert_int_equal(up, fs->root_ino);
    assert_int_equal(fs->ops->mknode(fs, fs->root_ino, "..", &nn, &ino), -EINVAL);
    /* Special files: shown, never opened. */
    assert_int_equal(fs->ops->lookup(fs, fs->root_ino, "fifo", &ino), 0);
    assert_int_equal(fs->ops->getattr(fs, ino, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0);
    assert_int_equal(fs->ops->read(fs, ino, buf, 1, 0), -EACCES);
    assert_int_equal(fs->ops->write(fs, ino, buf, 1, 0), -EACCES);
    /* A clone shares the directory; no snapshot of a live host tree. */
    struct vfs_fs *c = fs->ops->clone(fs);
    assert_non_null(c);
    assert_null(fs->ops->snapshot(fs));
    assert_int_equal(c->ops->lookup(c, c->root_ino, "file.txt", &ino), 0);
    c->ops->destroy(c);
    fs->ops->destroy(fs);
    assert_null(hostfs_new("/nonexistent/dir", 1, 1, 0, 0, &err));
    assert_int_equal(err, -ENOENT);
}

/* ---- escapes ---------------------------------------------------------------- */

/* Every attempt reads through the VM's namespace; none may return the
 * outside secret or the host's own /etc/passwd. */
static void check_escapes(vos_vm *vm)
{
    char host_passwd[65536];
    snprintf(host_passwd, sizeof host_passwd, "%s", host_file("/etc/passwd"));
    char abs_secret[600], via_root[700], via_proc[700], planted[700];
    snprintf(abs_secret, sizeof abs_secret, "%s/secret.txt", outside);
    snprintf(via_root, sizeof via_root, "/mnt/h/link_root%s", abs_secret);
    snprintf(via_proc, sizeof via_proc, "/proc/self/root%s", abs_secret);
    snprintf(planted, sizeof planted, "%s/planted", rootdir);
    struct {
        const char *path;
        int want; /* the error, or 0: readable but must not be the host's; 1: either */
    } table[] = {
        {"/mnt/h/../../etc/passwd", 0},
        {"/mnt/h/../outside/secret.txt", -ENOENT},
        {"/mnt/h/../../../../../../..", -EISDIR},
        {abs_secret, -ENOENT},
        {via_root, -ENOENT},
        {via_proc, -ENOENT},
        {"/mnt/h/link_rel_escape", -ENOENT},
        {"/mnt/h/link_rel_deep", 0},
        {"/mnt/h/link_abs_passwd", 0},
        {"/mnt/h/link_abs_outside", -ENOENT},
        {"/mnt/h/link_outside_dir/secret.txt", -ENOENT},
        {"/mnt/h/link_up/outside/secret.txt", -ENOENT},
        {"/mnt/h/link_up/root/link_rel_escape", -ENOENT},
        {"/mnt/h/link_proc", 1}, /* the VM's /proc: whatever it has, not the host */
        {"/mnt/h/link_root/etc/passwd", 0},
        {"/mnt/h/sub/../../outside/secret.txt", -ENOENT},
        {"/mnt/h/planted", -ENOENT},
        {"/mnt/h/planted_dir/secret.txt", -ENOENT},
        {"/mnt/h/fifo", -EACCES},
    };
    /* Planted by the host after the mount. */
    unlink(planted);
    assert_int_equal(symlink(abs_secret, planted), 0);
    char pd[700];
    snprintf(pd, sizeof pd, "%s/planted_dir", rootdir);
    unlink(pd);
    assert_int_equal(symlink(outside, pd), 0);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        int err;
        char *s = read_vm(vm, table[i].path, &err);
        if (table[i].want == 1 && err) {
            /* refused: fine */
        } else if (table[i].want && table[i].want != 1) {
            if (err != table[i].want)
                fail_msg("%s: got %d (%s), want %d", table[i].path, err, s ? s : "", table[i].want);
        } else {
            if (err) fail_msg("%s: %d", table[i].path, err);
            assert_null(strstr(s, "SECRET"));
            if (!strcmp(s, host_passwd) && strstr(host_passwd, "agent") == NULL)
                fail_msg("%s: the host's /etc/passwd", table[i].path);
        }
        free(s);
    }
    /* The host hard link to an outside file is that very file: readable. */
    int err;
    char *s = read_vm(vm, "/mnt/h/hardlink_secret", &err);
    assert_int_equal(err, 0);
    assert_string_equal(s, "SECRET\n");
    free(s);
    /* A directory the VM has seen, swapped by the host for a symlink. */
    s = read_vm(vm, "/mnt/h/sub/inner.txt", &err);
    assert_int_equal(err, 0);
    free(s);
    sh("mv '%s/sub' '%s/sub.moved' && ln -s '%s' '%s/sub'", rootdir, rootdir, outside, rootdir);
    s = read_vm(vm, "/mnt/h/sub/secret.txt", &err);
    assert_int_equal(err, -ENOENT);
    sh("rm '%s/sub' && mv '%s/sub.moved' '%s/sub'", rootdir, rootdir, rootdir);
    unlink(planted);
    unlink(pd);
}

static void test_escapes_ro(void **state)
{
    uint64_t before = hash_tree(rootdir);
    vos_vm *vm = mount_vm(VOS_MOUNT_RO);
    check_escapes(vm);
    vos_free(vm);
    uint64_t after = hash_tree(rootdir);
    assert_true(before == after);
}

static void test_escapes_rw(void **state)
{
    vos_vm *vm = mount_vm(VOS_MOUNT_RW);
    check_escapes(vm);
    /* Writes through escaping names land nowhere outside. */
    assert_int_equal(vos_write_file(vm, "/mnt/h/link_abs_outside", "PWNED", 5), -ENOENT);
    assert_int_equal(vos_write_file(vm, "/mnt/h/link_rel_escape", "PWNED", 5), -ENOENT);
    char p[600];
    snprintf(p, sizeof p, "%s/secret.txt", outside);
    assert_string_equal(host_file(p), "SECRET\n");
    vos_free(vm);
}

static void test_escapes_overlay(void **state)
{
    uint64_t before = hash_tree(rootdir);
    vos_vm *vm = mount_vm(VOS_MOUNT_OVERLAY);
    check_escapes(vm);
    assert_int_equal(vos_write_file(vm, "/mnt/h/file.txt", "changed", 7), 0);
    assert_int_equal(vos_remove(vm, "/mnt/h/sub"), 0);
    vos_free(vm);
    assert_true(hash_tree(rootdir) == before);
}

/* A host thread swaps root/race between a real directory and a symlink to
 * the outside while the VM reads race/f: the VM must never see SECRET. */
static volatile int racing;

static void *swapper(void *arg)
{
    char dir[700], link_[700], tmp[700];
    snprintf(dir, sizeof dir, "%s/race", rootdir);
    snprintf(link_, sizeof link_, "%s/race.link", rootdir);
    snprintf(tmp, sizeof tmp, "%s/race.dir", rootdir);
    while (racing) {
        rename(dir, tmp);   /* the real directory steps aside */
        rename(link_, dir); /* a symlink to the outside takes its name */
        rename(dir, link_);
        rename(tmp, dir);
        for (volatile int i = 0; i < 2000; i++) continue; /* let some reads through */
    }
    return NULL;
}

static void test_symlink_race(void **state)
{
    char p[700];
    snprintf(p, sizeof p, "%s/race", rootdir);
    mkdir(p, 0755);
    put(p, "f", "INSIDE\n");
    put(outside, "f", "SECRET\n");
    snprintf(p, sizeof p, "%s/race.link", rootdir);
    symlink(outside, p);
    for (int mode = 0; mode < 3; mode++) {
        int flags = mode == 0 ? VOS_MOUNT_RO : mode == 1 ? VOS_MOUNT_RW : VOS_MOUNT_OVERLAY;
        vos_vm *vm = mount_vm(flags);
        racing = 1;
        pthread_t t;
        pthread_create(&t, NULL, swapper, NULL);
        int inside = 0;
        for (int i = 0; i < 3000; i++) {
            int err;
            char *s = read_vm(vm, "/mnt/h/race/f", &err);
            if (s) {
                assert_null(strstr(s, "SECRET"));
                inside++;
            }
            free(s);
        }
        racing = 0;
        pthread_join(t, NULL);
        vos_free(vm);
        print_message("# race mode %d: %d reads of the real file, none outside\n", mode, inside);
    }
    sh("rm -rf '%s/race' '%s/race.link' '%s/race.dir'", rootdir, rootdir, rootdir);
}

static void test_fork_keeps_mount(void **state)
{
    vos_vm *vm = mount_vm(VOS_MOUNT_RO);
    vos_vm *child = vos_fork(vm);
    assert_non_null(child);
    int err;
    char *s = read_vm(child, "/mnt/h/file.txt", &err);
    assert_string_equal(s, "hello\n");
    free(s);
    vos_free(vm);
    s = read_vm(child, "/mnt/h/sub/inner.txt", &err);
    assert_string_equal(s, "inner\n");
    free(s);
    vos_free(child);
}

static void test_mount_errors(void **state)
{
    vos_vm *vm = vos_new(NULL);
    assert_int_equal(vos_mount_host(vm, "/nonexistent", "/mnt/x", VOS_MOUNT_RO), -ENOENT);
    assert_int_equal(vos_mount_host(vm, rootdir, "/mnt/x", 0), -EINVAL);
    assert_int_equal(vos_mount_host(vm, rootdir, "relative", VOS_MOUNT_RO), -EINVAL);
    char p[700];
    snprintf(p, sizeof p, "%s/file.txt", rootdir);
    assert_int_equal(vos_mount_host(vm, p, "/mnt/x", VOS_MOUNT_RO), -ENOTDIR);
    assert_int_equal(vos_mount_host(vm, rootdir, "/etc/passwd", VOS_MOUNT_RO), -ENOTDIR);
    assert_int_equal(vos_mount_host(vm, rootdir, "/a/b/c", VOS_MOUNT_RO), 0);
    struct stat st;
    assert_int_equal(vos_stat(vm, "/a/b/c/file.txt", &st), 0);
    vos_free(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_only),
        cmocka_unit_test(test_read_write),
        cmocka_unit_test(test_unlinked_open_and_ops),
        cmocka_unit_test(test_escapes_ro),
        cmocka_unit_test(test_escapes_rw),
        cmocka_unit_test(test_escapes_overlay),
        cmocka_unit_test(test_symlink_race),
        cmocka_unit_test(test_fork_keeps_mount),
        cmocka_unit_test(test_mount_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
