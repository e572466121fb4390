/* test_overlay.c — the copy-on-write overlay: reads fall through, changes
 * stay in memory (the host tree hashes the same before and after), lazy
 * chunked copy-up of big files, stable inode numbers, merged directories,
 * whiteouts, renamed lower directories, fork and snapshots; and the change
 * list, the diff (compared with GNU `diff -ruN` of the trees before and
 * after) and writing back (compared with the same changes made on a copy
 * by the host).
 */
#include "fs/hostfs.h"
#include "fs/memfs.h"
#include "fs/overlay.h"
#include "kernel/kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

static char base[256], lower[300];

static void sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int r = system(cmd);
    if (r != 0) fail_msg("command failed (%d): %s", r, cmd);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, g;
    char *buf = malloc(cap + 1);
    while ((g = fread(buf + n, 1, cap - n, f)) > 0) {
        n += g;
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

static void spit(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, n, f);
    fclose(f);
}

/* ---- tree hash (as in test_hostfs) ---- */
static uint64_t th;
static size_t tb;
static void hmix(const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) th = (th ^ s[i]) * 1099511628211ull;
}
static int hash_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    hmix(path + tb, strlen(path + tb) + 1);
    hmix(&st->st_mode, sizeof st->st_mode);
    hmix(&st->st_size, sizeof st->st_size);
    if (!S_ISDIR(st->st_mode)) hmix(&st->st_mtim, sizeof st->st_mtim);
    if (S_ISREG(st->st_mode)) {
        size_t n;
        char *s = slurp(path, &n);
        if (s) hmix(s, n);
        free(s);
    } else if (S_ISLNK(st->st_mode)) {
        char t[4096];
        ssize_t n = readlink(path, t, sizeof t);
        if (n > 0) hmix(t, (size_t)n);
    }
    return 0;
}
static uint64_t hash_tree(const char *dir)
{
    th = 1469598103934665603ull;
    tb = strlen(dir);
    assert_int_equal(nftw(dir, hash_one, 32, FTW_PHYS), 0);
    return th;
}

/* A content hash that ignores times and directory order: sorted listing. */
static char *tree_listing(const char *dir)
{
    char cmd[2048], out[300];
    snprintf(out, sizeof out, "%s/listing.txt", base);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && find . -printf '%%y %%m %%p -> %%l\\n' | LC_ALL=C sort > '%s' && "
             "find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r md5sum >> '%s'",
             dir, out, out);
    assert_int_equal(system(cmd), 0);
    return slurp(out, NULL);
}

static void make_lower(void)
{
    sh("rm -rf '%s' && mkdir -p '%s'", lower, lower);
    sh("cd '%s' && mkdir -p src/lib docs/old empty keep && printf 'line1\\nline2\\nline3\\n' > "
       "README && seq 1 40 > src/numbers.txt && printf 'int main(void) { return 0; }\\n' > "
       "src/main.c && printf 'helper\\n' > src/lib/helper.c && printf 'old doc\\n' > "
       "docs/old/a.txt && printf 'b\\n' > docs/b.txt && printf 'x' > keep/noeol && ln -s "
       "README link && printf 'mode\\n' > script.sh && chmod 644 script.sh && printf "
       "'to delete\\n' > gone.txt && printf 'to become dir\\n' > filedir && mkdir dirfile && "
       "printf 'in dirfile\\n' > dirfile/x",
       lower);
}

static int setup(void **state)
{
    snprintf(base, sizeof base, "/tmp/vos-overlay-XXXXXX");
    if (!mkdtemp(base)) return -1;
    snprintf(lower, sizeof lower, "%s/proj", base);
    return 0;
}

static int teardown(void **state)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    return system(cmd) == 0 ? 0 : -1;
}

static vos_vm *mount_vm(void)
{
    vos_vm *vm = vos_new(NULL);
    assert_non_null(vm);
    assert_int_equal(vos_mount_host(vm, lower, "/workspace", VOS_MOUNT_OVERLAY), 0);
    return vm;
}

static char *vm_read(vos_vm *vm, const char *path)
{
    void *d = NULL;
    size_t n;
    int r = vos_read_file(vm, path, &d, &n);
    assert_int_equal(r, 0);
    return (char *)d;
}

/* The same edits, by the VM and by the host on a copy. */
static void vm_edits(vos_vm *vm)
{
    assert_int_equal(vos_write_file(vm, "/workspace/README", "line1\nchanged\nline3\n", 20), 0);
    char *nums = vm_read(vm, "/workspace/src/numbers.txt");
    size_t at = strcspn(nums, "\0");
    for (size_t i = 0; nums[i]; i++)
        if (!strncmp(nums + i, "\n20\n", 4)) at = i;
    assert_true(nums[at]);
    nums[at + 1] = nums[at + 2] = 'X';
    assert_int_equal(vos_write_file(vm, "/workspace/src/numbers.txt", nums, strlen(nums)), 0);
    free(nums);
    assert_int_equal(vos_write_file(vm, "/workspace/new.txt", "brand new\n", 10), 0);
    assert_int_equal(vos_mkdir(vm, "/workspace/newdir/sub", 0755), 0);
    assert_int_equal(vos_write_file(vm, "/workspace/newdir/sub/f", "deep\n", 5), 0);
    assert_int_equal(vos_remove(vm, "/workspace/gone.txt"), 0);
    assert_int_equal(vos_remove(vm, "/workspace/docs/old"), 0);
    assert_int_equal(vos_rename(vm, "/workspace/src/lib", "/workspace/lib2"), 0);
    assert_int_equal(vos_rename(vm, "/workspace/docs/b.txt", "/workspace/b-moved.txt"), 0);
    assert_int_equal(vos_chmod(vm, "/workspace/script.sh", 0755), 0);
    assert_int_equal(vos_symlink(vm, "src/main.c", "/workspace/mainlink"), 0);
    assert_int_equal(vos_write_file(vm, "/workspace/keep/noeol", "y", 1), 0);
    assert_int_equal(vos_remove(vm, "/workspace/filedir"), 0);
    assert_int_equal(vos_mkdir(vm, "/workspace/filedir", 0755), 0);
    assert_int_equal(vos_write_file(vm, "/workspace/filedir/inside", "now a dir\n", 10), 0);
    assert_int_equal(vos_remove(vm, "/workspace/dirfile"), 0);
    assert_int_equal(vos_write_file(vm, "/workspace/dirfile", "now a file\n", 11), 0);
}

static void host_edits(const char *d)
{
    sh("cd '%s' && printf 'line1\\nchanged\\nline3\\n' > README && sed -i 's/^20$/XX/' "
       "src/numbers.txt && printf 'brand new\\n' > new.txt && mkdir -p newdir/sub && printf "
       "'deep\\n' > newdir/sub/f && rm gone.txt && rm -r docs/old && mv src/lib lib2 && mv "
       "docs/b.txt b-moved.txt && chmod 755 script.sh && ln -s src/main.c mainlink && printf y "
       "> keep/noeol && rm filedir && mkdir filedir && printf 'now a dir\\n' > filedir/inside "
       "&& rm -r dirfile && printf 'now a file\\n' > dirfile",
       d);
}

/* Blank the times of "--- a/x\tTIME" / "+++ b/x\tTIME" header lines. */
static void strip_times(char *s)
{
    char *w = s;
    for (char *line = s; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        size_t keep = len;
        if (!strncmp(line, "--- ", 4) || !strncmp(line, "+++ ", 4)) {
            char *tab = memchr(line, '\t', len);
            if (tab) keep = (size_t)(tab - line);
        }
        memmove(w, line, keep);
        w += keep;
        if (keep != len) *w++ = '\n';
        line += len;
    }
    *w = 0;
}

static void test_reads_and_isolation(void **state)
{
    make_lower();
    uint64_t before = hash_tree(lower);
    vos_vm *vm = mount_vm();
    char *s = vm_read(vm, "/workspace/README");
    assert_string_equal(s, "line1\nline2\nline3\n");
    free(s);
    struct stat st1, st2;
    assert_int_equal(vos_stat(vm, "/workspace/README", &st1), 0);
    vm_edits(vm);
    assert_int_equal(vos_stat(vm, "/workspace/README", &st2), 0);
    assert_int_equal(st1.st_ino, st2.st_ino); /* stable across copy-up */
    s = vm_read(vm, "/workspace/README");
    assert_string_equal(s, "line1\nchanged\nline3\n");
    free(s);
    s = vm_read(vm, "/workspace/lib2/helper.c");
    assert_string_equal(s, "helper\n");
    free(s);
    struct stat st;
    assert_int_equal(vos_stat(vm, "/workspace/src/lib", &st), -ENOENT);
    assert_int_equal(vos_stat(vm, "/workspace/gone.txt", &st), -ENOENT);
    assert_int_equal(vos_stat(vm, "/workspace/docs/old/a.txt", &st), -ENOENT);
    assert_int_equal(vos_stat(vm, "/workspace/script.sh", &st), 0);
    assert_int_equal(st.st_mode & 0777, 0755);
    char **names;
    assert_int_equal(vos_list(vm, "/workspace", &names), 0);
    int n = 0, saw_new = 0, saw_gone = 0;
    for (char **q = names; *q; q++, n++) {
        saw_new |= !strcmp(*q, "new.txt");
        saw_gone |= !strcmp(*q, "gone.txt");
    }
    assert_true(saw_new);
    assert_false(saw_gone);
    vos_list_free(names);
    assert_int_equal(vos_list(vm, "/workspace/docs", &names), 0);
    assert_null(names[0]); /* b.txt moved, old removed */
    vos_list_free(names);
    /* .. of a renamed lower directory is its new parent */
    s = vm_read(vm, "/workspace/lib2/../README");
    assert_string_equal(s, "line1\nchanged\nline3\n");
    free(s);
    vos_free(vm);
    assert_true(hash_tree(lower) == before);
}

static void test_changes_diff_apply(void **state)
{
    make_lower();
    sh("rm -rf '%s/a' '%s/b' '%s/c' && cp -a '%s' '%s/a' && cp -a '%s' '%s/c'", base, base, base,
       lower, base, lower, base);
    char cdir[600];
    snprintf(cdir, sizeof cdir, "%s/c", base);
    host_edits(cdir);
    vos_vm *vm = mount_vm();
    vm_edits(vm);
    char *list;
    size_t len;
    assert_int_equal(vos_overlay_changes(vm, "/workspace", &list, &len), 0);
    const char *sorted = "M README\n"
                         "A b-moved.txt\n"
                         "D dirfile\n"
                         "D dirfile/x\n"
                         "A dirfile\n"
                         "D docs/b.txt\n"
                         "D docs/old\n"
                         "D docs/old/a.txt\n"
                         "D filedir\n"
                         "A filedir\n"
                         "A filedir/inside\n"
                         "D gone.txt\n"
                         "M keep/noeol\n"
                         "A lib2\n"
                         "A lib2/helper.c\n"
                         "A mainlink\n"
                         "A new.txt\n"
                         "A newdir\n"
                         "A newdir/sub\n"
                         "A newdir/sub/f\n"
                         "M script.sh\n"
                         "D src/lib\n"
                         "D src/lib/helper.c\n"
                         "M src/numbers.txt\n";
    if (strcmp(list, sorted)) fail_msg("change list:\n%s\nwant:\n%s", list, sorted);
    free(list);
    char *diff;
    assert_int_equal(vos_overlay_diff(vm, "/workspace", &diff, &len), 0);
    /* GNU diff of a (before) and c (the same edits by the host). */
    char path[700], cmd[1400];
    snprintf(cmd, sizeof cmd, "cd '%s' && TZ=UTC diff -ruN --no-dereference a c > gnu.diff", base);
    system(cmd);
    snprintf(path, sizeof path, "%s/gnu.diff", base);
    char *gnu = slurp(path, NULL);
    /* c is named b in ours */
    for (char *q = gnu; (q = strstr(q, " c/")); q++) q[1] = 'b';
    for (char *q = gnu; (q = strstr(q, "+++ c/")); q++) q[4] = 'b';
    for (char *q = gnu; (q = strstr(q, "--no-dereference "));)
        memmove(q, q + 17, strlen(q + 17) + 1);
    strip_times(gnu);
    char *ours = strdup(diff);
    strip_times(ours);
    if (strcmp(ours, gnu)) {
        snprintf(path, sizeof path, "/tmp/vos-overlay-ours.diff");
        spit(path, ours, strlen(ours));
        snprintf(path, sizeof path, "/tmp/vos-overlay-gnu.diff");
        spit(path, gnu, strlen(gnu));
        fail_msg("diff differs from GNU:\n--- ours\n%s\n--- gnu\n%s", ours, gnu);
    }
    free(ours);
    free(gnu);
    free(diff);
    /* Write back: the tree becomes what the host's own edits made. */
    assert_int_equal(vos_overlay_apply(vm, "/workspace"), 0);
    char *got = tree_listing(lower), *want = tree_listing(cdir);
    if (strcmp(got, want)) fail_msg("applied:\n%s\nwant:\n%s", got, want);
    free(got);
    free(want);
    assert_int_equal(vos_overlay_changes(vm, "/workspace", &list, &len), 0);
    assert_string_equal(list, "");
    free(list);
    char *s = vm_read(vm, "/workspace/README");
    assert_string_equal(s, "line1\nchanged\nline3\n");
    free(s);
    vos_free(vm);
}

static void test_lazy_big_file(void **state)
{
    sh("rm -rf '%s' && mkdir -p '%s'", lower, lower);
    char p[600];
    snprintf(p, sizeof p, "%s/big", lower);
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, "head", 4, 0), 4);
    assert_int_equal(pwrite(fd, "tail", 4, (1ll << 30) - 4), 4); /* 1 GiB, sparse */
    close(fd);
    uint64_t before = hash_tree(lower);
    int err;
    struct vfs_fs *h = hostfs_new(lower, 1, 5, 1000, 1000, &err);
    struct vfs_fs *ov = overlay_new(h, 6, &err);
    assert_non_null(ov);
    uint64_t ino;
    assert_int_equal(ov->ops->lookup(ov, ov->root_ino, "big", &ino), 0);
    struct stat st;
    assert_int_equal(ov->ops->getattr(ov, ino, &st), 0);
    assert_int_equal(st.st_size, 1ll << 30);
    /* Append: one chunk, not a gigabyte. */
    assert_int_equal(ov->ops->write(ov, ino, "APPENDED", 8, 1ll << 30), 8);
    assert_true(ov->used_bytes < 256 * 1024);
    /* Overwrite in the middle of the first chunk: its other bytes kept. */
    assert_int_equal(ov->ops->write(ov, ino, "XY", 2, 1), 2);
    char buf[16] = {0};
    assert_int_equal(ov->ops->read(ov, ino, buf, 4, 0), 4);
    assert_memory_equal(buf, "hXYd", 4);
    assert_int_equal(ov->ops->read(ov, ino, buf, 12, (1ll << 30) - 4), 12);
    assert_memory_equal(buf, "tailAPPENDED", 12);
    assert_int_equal(ov->ops->read(ov, ino, buf, 4, 1ll << 29), 4);
    assert_memory_equal(buf, "\0\0\0\0", 4);
    assert_true(ov->used_bytes < 512 * 1024);
    assert_int_equal(ov->ops->getattr(ov, ino, &st), 0);
    assert_int_equal(st.st_size, (1ll << 30) + 8);
    assert_int_equal(st.st_ino, ino);
    /* Truncate below the lower size then extend: zeros, not old bytes. */
    struct vfs_setattr set = {.mask = VFS_SET_SIZE, .size = 2};
    assert_int_equal(ov->ops->setattr(ov, ino, &set), 0);
    set.size = 4096;
    assert_int_equal(ov->ops->setattr(ov, ino, &set), 0);
    assert_int_equal(ov->ops->read(ov, ino, buf, 4, 0), 4);
    assert_memory_equal(buf, "hX\0\0", 4);
    /* A snapshot and a clone, O(1), each its own. */
    void *snap = ov->ops->snapshot(ov);
    assert_non_null(snap);
    struct vfs_fs *c = ov->ops->clone(ov);
    assert_non_null(c);
    assert_int_equal(c->ops->write(c, ino, "C", 1, 0), 1);
    assert_int_equal(ov->ops->write(ov, ino, "O", 1, 0), 1);
    assert_int_equal(c->ops->read(c, ino, buf, 1, 0), 1);
    assert_int_equal(buf[0], 'C');
    assert_int_equal(ov->ops->read(ov, ino, buf, 1, 0), 1);
    assert_int_equal(buf[0], 'O');
    uint64_t n2;
    struct vfs_newnode nn = {S_IFREG | 0644, 1000, 1000, 0, NULL};
    assert_int_equal(ov->ops->mknode(ov, ov->root_ino, "after", &nn, &n2), 0);
    assert_int_equal(ov->ops->restore(ov, snap), 0);
    assert_int_equal(ov->ops->lookup(ov, ov->root_ino, "after", &n2), -ENOENT);
    assert_int_equal(ov->ops->read(ov, ino, buf, 2, 0), 2);
    assert_memory_equal(buf, "hX", 2);
    assert_int_equal(c->ops->lookup(c, c->root_ino, "after", &n2), -ENOENT);
    ov->ops->snapshot_free(snap);
    c->ops->destroy(c);
    ov->ops->destroy(ov);
    assert_true(hash_tree(lower) == before);
}

static void test_fork_and_whiteouts(void **state)
{
    make_lower();
    vos_vm *vm = mount_vm();
    assert_int_equal(vos_write_file(vm, "/workspace/README", "parent\n", 7), 0);
    vos_vm *child = vos_fork(vm);
    assert_non_null(child);
    assert_int_equal(vos_write_file(child, "/workspace/README", "child\n", 6), 0);
    assert_int_equal(vos_remove(child, "/workspace/src"), 0);
    char *s = vm_read(vm, "/workspace/README");
    assert_string_equal(s, "parent\n");
    free(s);
    s = vm_read(child, "/workspace/README");
    assert_string_equal(s, "child\n");
    free(s);
    struct stat st;
    assert_int_equal(vos_stat(vm, "/workspace/src/main.c", &st), 0);
    assert_int_equal(vos_stat(child, "/workspace/src", &st), -ENOENT);
    /* Delete then recreate: a whiteout replaced. */
    assert_int_equal(vos_mkdir(child, "/workspace/src", 0755), 0);
    char **names;
    assert_int_equal(vos_list(child, "/workspace/src", &names), 0);
    assert_null(names[0]); /* opaque: nothing of the lower's src */
    vos_list_free(names);
    char *list;
    size_t len;
    assert_int_equal(vos_overlay_changes(child, "/workspace", &list, &len), 0);
    assert_non_null(strstr(list, "D src/main.c\n"));
    assert_non_null(strstr(list, "M README\n"));
    free(list);
    assert_int_equal(vos_overlay_changes(vm, "/workspace", &list, &len), 0);
    assert_string_equal(list, "M README\n");
    free(list);
    assert_int_equal(vos_overlay_changes(vm, "/", &list, &len), -EINVAL);
    vos_free(child);
    vos_free(vm);
}

static void test_over_memfs(void **state)
{
    /* Any read-only lower: here a memfs. */
    struct vfs_fs *m = memfs_new(1, 0, 0);
    uint64_t d, f, x;
    struct vfs_newnode dir = {S_IFDIR | 0755, 0, 0, 0, NULL}, reg = {S_IFREG | 0644, 0, 0, 0, NULL};
    assert_int_equal(m->ops->mknode(m, m->root_ino, "d", &dir, &d), 0);
    assert_int_equal(m->ops->mknode(m, d, "f", &reg, &f), 0);
    assert_int_equal(m->ops->write(m, f, "abc\n", 4, 0), 4);
    int err;
    struct vfs_fs *ov = overlay_new(m, 2, &err);
    assert_non_null(ov);
    assert_int_equal(ov->ops->rename(ov, ov->root_ino, "d", ov->root_ino, "e"), 0);
    assert_int_equal(ov->ops->lookup(ov, ov->root_ino, "e", &x), 0);
    assert_int_equal(x, d);
    assert_int_equal(ov->ops->lookup(ov, x, "f", &x), 0);
    assert_int_equal(x, f);
    assert_int_equal(ov->ops->write(ov, f, "abcd\n", 5, 0), 5);
    char *diff;
    size_t len;
    assert_int_equal(overlay_diff(ov, &diff, &len), 0);
    assert_non_null(strstr(diff, "--- a/d/f\t"));
    assert_non_null(strstr(diff, "+++ b/e/f\t"));
    assert_non_null(strstr(diff, "@@ -0,0 +1 @@\n+abcd\n"));
    assert_non_null(strstr(diff, "@@ -1 +0,0 @@\n-abc\n"));
    free(diff);
    char buf[8];
    assert_int_equal(m->ops->read(m, f, buf, 8, 0), 4); /* the lower untouched */
    ov->ops->destroy(ov);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_and_isolation), cmocka_unit_test(test_changes_diff_apply),
        cmocka_unit_test(test_lazy_big_file),       cmocka_unit_test(test_fork_and_whiteouts),
        cmocka_unit_test(test_over_memfs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
