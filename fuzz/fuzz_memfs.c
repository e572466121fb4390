/* fuzz_memfs.c — random operation sequences on a memfs instance, its clone
 * and a snapshot, with injected allocation failures; the tree invariants
 * (memfs_check) must hold after every step and nothing may leak.
 *
 * Input: a sequence of 4-byte records {op, a, b, c}. Names are "n0".."n7",
 * inodes are picked from those seen so far. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/memfs.h"

#define NAMES 8
#define INOS 64

struct world {
    struct vfs_fs *fs[2]; /* an instance and its clone */
    void *snap;
    uint64_t inos[INOS];
    int ninos;
    long fault; /* for the next step */
};

static void remember(struct world *w, uint64_t ino)
{
    w->inos[w->ninos++ % INOS] = ino;
}

static uint64_t pick(struct world *w, uint8_t x)
{
    int n = w->ninos < INOS ? w->ninos : INOS;
    return n ? w->inos[x % n] : 1;
}

static void step(struct world *w, const uint8_t *r)
{
    struct vfs_fs *fs = w->fs[r[0] & 1];
    const struct vfs_ops *o = fs->ops;
    char name[4] = {'n', (char)('0' + r[1] % NAMES), 0},
         name2[4] = {'n', (char)('0' + r[2] % NAMES), 0};
    uint64_t dir = pick(w, r[3]), ino = pick(w, r[2]);
    static char buf[256 * 1000];
    struct vfs_newnode nn = {.mode = S_IFREG | 0644, .target = "t"};
    struct vfs_setattr set = {.mask = VFS_SET_SIZE, .size = (off_t)r[2] * 3001};
    uint64_t cookie = r[2], out;
    struct vfs_dirent de;
    switch ((r[0] >> 1) % 16) {
    case 0: nn.mode = S_IFDIR | 0755; /* fall through */
    case 1:
        if (r[2] & 1) nn.mode = S_IFLNK | 0777;
        if (!o->mknode(fs, dir, name, &nn, &out)) remember(w, out);
        break;
    case 2: o->write(fs, ino, buf, (size_t)r[1] * 997, (off_t)r[2] * 7919); break;
    case 3: o->read(fs, ino, buf, (size_t)r[1] * 997, (off_t)r[2] * 7919); break;
    case 4: o->unlink(fs, dir, name); break;
    case 5: o->rmdir(fs, dir, name); break;
    case 6: o->rename(fs, dir, name, pick(w, r[2]), name2); break;
    case 7: o->link(fs, ino, dir, name); break;
    case 8: o->setattr(fs, ino, &set); break;
    case 9: o->open(fs, ino); break;
    case 10: o->close(fs, ino); break;
    case 11: o->readdir(fs, dir, &cookie, &de); break;
    case 12:
        if (w->snap) o->snapshot_free(w->snap);
        w->snap = o->snapshot(fs);
        break;
    case 13:
        if (w->snap) o->restore(fs, w->snap);
        break;
    case 14: w->fault = r[1] % 8 + 1; break;
    case 15: fs->max_bytes = r[1] ? (uint64_t)r[1] << 14 : 0; break;
    }
    if (!o->lookup(fs, dir, name, &out)) remember(w, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct world w = {0};
    w.fs[0] = memfs_new(1, 0, 0);
    if (!w.fs[0]) return 0;
    remember(&w, w.fs[0]->root_ino);
    w.fs[1] = w.fs[0]->ops->clone(w.fs[0]);
    if (!w.fs[1]) {
        w.fs[0]->ops->destroy(w.fs[0]);
        return 0;
    }
    for (size_t i = 0; i + 4 <= size; i += 4) {
        memfs_fault_countdown = w.fault;
        w.fault = 0;
        step(&w, data + i);
        memfs_fault_countdown = 0;
        for (int k = 0; k < 2; k++)
            if (memfs_check(w.fs[k], NULL)) {
                fprintf(stderr, "memfs_check failed after record %zu\n", i / 4);
                abort();
            }
    }
    memfs_fault_countdown = 0;
    if (w.snap) w.fs[0]->ops->snapshot_free(w.snap);
    w.fs[0]->ops->destroy(w.fs[0]);
    w.fs[1]->ops->destroy(w.fs[1]);
    return 0;
}
