/* memfs.c — the default in-memory filesystem, built for sharing.
 *
 * Many VMs are forked from one base image, so an instance is a *version* of a
 * tree whose parts are shared with other versions (clones, snapshots) and
 * copied only when written. Everything shared is reference counted with C11
 * atomics, because VMs forked from one image run on different host threads;
 * one instance is only ever used by one thread at a time (its VM's lock).
 *
 * The rule that makes it fast: a node whose count is 1, reached from the
 * instance through nodes whose counts are all 1, belongs to this instance
 * alone and is changed in place. A node with a count above 1 is frozen: a
 * writer copies it (taking references on its children), points its own,
 * already private, parent at the copy and drops one reference on the
 * original. So an unforked instance runs like a plain mutable filesystem,
 * and a write after a fork copies only the path it touches.
 *
 * The structures, top down:
 *
 *   struct memfs       one instance: the vfs_fs header, the inode map, the
 *                      next inode number, and the open counts (private to the
 *                      instance, never shared; see below).
 *   inode map          a persistent radix tree (struct memfs_rx) from inode
 *                      number to inode record: 64-way nodes, as tall as the
 *                      largest number needs. Inode numbers are handed out in
 *                      sequence and never reused by an instance, so they are
 *                      stable and the tree stays dense; nodes left empty by
 *                      removals are freed.
 *   inode record       struct memfs_inode: type, mode, owner, times, link
 *                      count, size, and per type: the chunk tree (regular
 *                      files), the directory table, or the symlink target.
 *   directory table    struct memfs_dir: entries in an array in creation order,
 *                      each with a sequence number (readdir's cookie is
 *                      "the next sequence number", found by binary search, so
 *                      entries added or removed between calls never make it
 *                      skip or repeat the others), names in one string arena,
 *                      and an open-addressing hash of entry indices for O(1)
 *                      lookup. Removed entries are marked dead and squeezed
 *                      out when they outnumber the live ones. A shared table
 *                      is copied whole (O(entries), once) on its first write.
 *   file contents      a second persistent radix tree per file, from chunk
 *                      index to struct memfs_chunk: 64 KiB of file, reference
 *                      counted. Missing chunks are holes and read as zeros.
 *
 * Why 64 KiB chunks: a copy-on-write after a fork copies at most 64 KiB
 * (a few microseconds); a 100 MB file has 1600 chunks, so its chunk tree is
 * two levels and a read is one memcpy per 64 KiB; per-chunk overhead is
 * negligible. Small files must stay small though, so a chunk's buffer covers
 * only the bytes up to the highest one written (`cap`, grown by doubling, so
 * appends are amortised O(piece)); bytes past cap read as zeros. Each chunk
 * also keeps a bitmap of the 4 KiB blocks written: that is the allocation
 * st_blocks and the byte limit count, as ext4 would (a 1-byte file has
 * st_blocks 8, a hole of whole blocks costs nothing).
 *
 * Open counts: unlinked-but-open inodes stay in the map with nlink 0 until
 * the last close. The counts live in a small hash (ino -> count) in the
 * instance, outside the shared structures: clones and snapshots do not carry
 * them, and drop the orphans they would otherwise inherit (O(open files)).
 * restore() keeps open files usable: an open inode absent from the snapshot
 * is carried into the restored tree as an orphan (nlink 0, freed on last
 * close; a directory comes empty, like a removed one); one present in the snapshot is seen in its
 * snapshot version. The next inode number never goes back, so an open file never aliases a new one.
 *
 * Allocation failures: each operation checks, then prepares (every copy and
 * allocation it needs, which changes nothing visible), then commits without
 * allocating; so -ENOMEM leaves the instance as it was.
 */
#include "fs/memfs.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MEMFS_CHUNK_SHIFT 16
#define MEMFS_CHUNK (1u << MEMFS_CHUNK_SHIFT)
#define MEMFS_BLOCK_SHIFT 12
#define MEMFS_BLOCK (1u << MEMFS_BLOCK_SHIFT)
#define MEMFS_MAX_SIZE (1ULL << 44) /* 16 TiB, like ext4 */
#define MEMFS_LINK_MAX 65000
#define MEMFS_ROOT_INO 1

#define RX_BITS 6
#define RX_FAN (1u << RX_BITS)
#define RX_MAXH 11 /* 66 bits: any uint64_t key */

/* ---- allocation, with a fault hook for tests ----------------------------- */

long memfs_fault_countdown;

static bool memfs_fault(void)
{
    if (memfs_fault_countdown <= 0) return false;
    return --memfs_fault_countdown == 0;
}

static void *memfs_malloc(size_t n)
{
    return memfs_fault() ? NULL : malloc(n);
}

static void *memfs_calloc(size_t n, size_t size)
{
    return memfs_fault() ? NULL : calloc(n, size);
}

static void *memfs_realloc(void *p, size_t n)
{
    return memfs_fault() ? NULL : realloc(p, n);
}

/* ---- reference counts ----------------------------------------------------- */

/* The first member of everything shared. */
struct memfs_ref {
    _Atomic uint32_t n;
};

static void ref_init(void *p)
{
    atomic_init(&((struct memfs_ref *)p)->n, 1);
}

static void ref_get(void *p)
{
    atomic_fetch_add_explicit(&((struct memfs_ref *)p)->n, 1, memory_order_relaxed);
}

/* Drop a reference; true when it was the last and the caller must free. */
static bool ref_put(void *p)
{
    return atomic_fetch_sub_explicit(&((struct memfs_ref *)p)->n, 1, memory_order_acq_rel) == 1;
}

/* Acquire pairs with ref_put's release: once we see 1, the other holders'
 * reads of the node (to copy it) are finished and we may write it. */
static bool ref_shared(const void *p)
{
    return atomic_load_explicit(&((struct memfs_ref *)p)->n, memory_order_acquire) > 1;
}

/* ---- persistent radix tree: uint64_t key -> refcounted leaf --------------- */

/* height 0: root is the leaf of key 0 (or NULL); height h: root is a node and
 * keys are below 64^h. Leaves of the inode map are inodes, of a file chunks. */
struct memfs_node {
    struct memfs_ref ref;
    void *slot[RX_FAN];
};

struct memfs_rx {
    void *root;
    unsigned height;
};

typedef void (*memfs_leaf_free)(void *leaf);

static unsigned rx_index(uint64_t key, unsigned level)
{
    return (key >> (RX_BITS * (level - 1))) & (RX_FAN - 1);
}

static bool rx_fits(uint64_t key, unsigned height)
{
    return RX_BITS * height >= 64 || (key >> (RX_BITS * height)) == 0;
}

static void *rx_get(const struct memfs_rx *rx, uint64_t key)
{
    if (!rx_fits(key, rx->height)) return NULL;
    void *p = rx->root;
    for (unsigned l = rx->height; l > 0 && p; l--)
        p = ((struct memfs_node *)p)->slot[rx_index(key, l)];
    return p;
}

static void rx_drop(void *p, unsigned level, memfs_leaf_free lf)
{
    if (!p || !ref_put(p)) return;
    if (level == 0) {
        lf(p);
        return;
    }
    struct memfs_node *n = p;
    for (unsigned i = 0; i < RX_FAN; i++) rx_drop(n->slot[i], level - 1, lf);
    free(n);
}

/* Make the node at *pp (of the given level) private to this tree. */
static struct memfs_node *rx_own(void **pp, unsigned level, memfs_leaf_free lf)
{
    struct memfs_node *n = *pp;
    if (!ref_shared(n)) return n;
    struct memfs_node *c = memfs_malloc(sizeof *c);
    if (!c) return NULL;
    ref_init(c);
    for (unsigned i = 0; i < RX_FAN; i++) {
        c->slot[i] = n->slot[i];
        if (c->slot[i]) ref_get(c->slot[i]);
    }
    *pp = c;
    rx_drop(n, level, lf);
    return c;
}

static int rx_grow(struct memfs_rx *rx, uint64_t key)
{
    while (!rx_fits(key, rx->height)) {
        if (rx->root) {
            struct memfs_node *n = memfs_calloc(1, sizeof *n);
            if (!n) return -ENOMEM;
            ref_init(n);
            n->slot[0] = rx->root;
            rx->root = n;
        }
        rx->height++;
    }
    return 0;
}

/* Point *out at key's leaf slot on a path private to this tree, copying
 * shared nodes and, with create, adding missing ones. The leaf itself is
 * left as it is. -ENOENT when missing (without create), -ENOMEM. */
static int rx_slot(struct memfs_rx *rx, uint64_t key, bool create, memfs_leaf_free lf, void ***out)
{
    if (!rx_fits(key, rx->height)) {
        if (!create) return -ENOENT;
        int e = rx_grow(rx, key);
        if (e) return e;
    }
    void **pp = &rx->root;
    for (unsigned l = rx->height; l > 0; l--) {
        if (!*pp) {
            if (!create) return -ENOENT;
            struct memfs_node *n = memfs_calloc(1, sizeof *n);
            if (!n) return -ENOMEM;
            ref_init(n);
            *pp = n;
        } else if (!rx_own(pp, l, lf)) {
            return -ENOMEM;
        }
        pp = &((struct memfs_node *)*pp)->slot[rx_index(key, l)];
    }
    *out = pp;
    return 0;
}

static bool rx_node_empty(const struct memfs_node *n)
{
    for (unsigned i = 0; i < RX_FAN; i++)
        if (n->slot[i]) return false;
    return true;
}

/* Unhook key's leaf and hand it to the caller; nodes left empty are freed. */
static int rx_take(struct memfs_rx *rx, uint64_t key, memfs_leaf_free lf, void **leaf)
{
    void **path[RX_MAXH + 1];
    if (!rx_fits(key, rx->height)) return -ENOENT;
    void **pp = &rx->root;
    for (unsigned l = rx->height; l > 0; l--) {
        if (!*pp) return -ENOENT;
        if (!rx_own(pp, l, lf)) return -ENOMEM;
        path[l] = pp;
        pp = &((struct memfs_node *)*pp)->slot[rx_index(key, l)];
    }
    if (!*pp) return -ENOENT;
    *leaf = *pp;
    *pp = NULL;
    for (unsigned l = 1; l <= rx->height; l++) {
        struct memfs_node *n = *path[l];
        if (!rx_node_empty(n)) break;
        free(n);
        *path[l] = NULL;
    }
    return 0;
}

/* Call fn on every leaf in key order. */
static int rx_each(const void *p, unsigned level, uint64_t base,
                   int (*fn)(void *arg, uint64_t key, const void *leaf), void *arg)
{
    if (!p) return 0;
    if (level == 0) return fn(arg, base, p);
    const struct memfs_node *n = p;
    uint64_t step = level > 1 && RX_BITS * (level - 1) < 64 ? 1ULL << (RX_BITS * (level - 1)) : 1;
    for (unsigned i = 0; i < RX_FAN; i++) {
        int e = rx_each(n->slot[i], level - 1, base + i * step, fn, arg);
        if (e) return e;
    }
    return 0;
}

/* ---- chunks: 64 KiB of a file --------------------------------------------- */

struct memfs_chunk {
    struct memfs_ref ref;
    uint32_t cap; /* bytes of data[]; the rest of the chunk reads as zeros */
    uint16_t map; /* 4 KiB blocks written (allocated, as st_blocks counts) */
    unsigned char data[];
};

static void memfs_chunk_free(void *p)
{
    free(p);
}

static uint32_t memfs_chunk_grow_cap(uint32_t cap, uint32_t need)
{
    uint32_t n = cap * 2 > need ? cap * 2 : need;
    if (n < 64) n = 64;
    n = (n + 63) & ~63u;
    return n > MEMFS_CHUNK ? MEMFS_CHUNK : n;
}

/* Make the chunk at *pp private with at least need bytes of buffer (a new
 * one if the slot is empty). */
static struct memfs_chunk *memfs_chunk_own(void **pp, uint32_t need)
{
    struct memfs_chunk *c = *pp;
    bool shared = c && ref_shared(c);
    if (c && !shared && c->cap >= need) return c;
    uint32_t cap = c ? c->cap : 0;
    uint32_t ncap = need > cap ? memfs_chunk_grow_cap(cap, need) : cap;
    struct memfs_chunk *n;
    if (c && !shared) {
        n = memfs_realloc(c, sizeof *n + ncap);
        if (!n) return NULL;
    } else {
        n = memfs_malloc(sizeof *n + ncap);
        if (!n) return NULL;
        ref_init(n);
        n->map = 0;
        if (c) {
            n->map = c->map;
            memcpy(n->data, c->data, cap);
            if (ref_put(c)) free(c);
        }
    }
    memset(n->data + cap, 0, ncap - cap);
    n->cap = ncap;
    *pp = n;
    return n;
}

/* Blocks (bits of map) that bytes [a, a+len) of a chunk touch. */
static uint16_t memfs_block_bits(uint32_t a, uint32_t len)
{
    unsigned first = a >> MEMFS_BLOCK_SHIFT, last = (a + len - 1) >> MEMFS_BLOCK_SHIFT;
    return (uint16_t)(((1u << (last + 1)) - 1) & ~((1u << first) - 1));
}

static uint64_t memfs_tree_blocks(const void *p, unsigned level)
{
    if (!p) return 0;
    if (level == 0) return __builtin_popcount(((const struct memfs_chunk *)p)->map);
    uint64_t sum = 0;
    for (unsigned i = 0; i < RX_FAN; i++)
        sum += memfs_tree_blocks(((const struct memfs_node *)p)->slot[i], level - 1);
    return sum;
}

/* Drop every chunk with index >= from under *pp (level l, first key base);
 * the path along from must already be private. Returns blocks freed. */
static uint64_t memfs_tree_cut(void **pp, unsigned l, uint64_t base, uint64_t from)
{
    void *p = *pp;
    if (!p) return 0;
    if (from <= base) {
        uint64_t b = memfs_tree_blocks(p, l);
        rx_drop(p, l, memfs_chunk_free);
        *pp = NULL;
        return b;
    }
    if (l == 0) return 0;
    uint64_t step = 1ULL << (RX_BITS * (l - 1));
    if (from >= base + step * RX_FAN) return 0;
    uint64_t sum = 0;
    struct memfs_node *n = p;
    for (unsigned i = 0; i < RX_FAN; i++)
        sum += memfs_tree_cut(&n->slot[i], l - 1, base + i * step, from);
    return sum;
}

/* ---- directory tables ----------------------------------------------------- */

struct memfs_dent {
    uint64_t ino;
    uint64_t seq;  /* creation order; a readdir cookie is the next seq */
    uint32_t name; /* offset in the names arena (NUL-terminated there) */
    uint32_t hash;
    uint16_t len;
    uint8_t type; /* DT_* */
    uint8_t dead;
};

struct memfs_dir {
    struct memfs_ref ref;
    uint32_t n, cap; /* entries in ent[] (live and dead), room */
    uint32_t live;
    uint32_t hcap, hused; /* hash slots (a power of two), slots not empty */
    uint64_t next_seq;
    size_t names_len, names_cap;
    struct memfs_dent *ent;
    uint32_t *hash; /* entry index + 1; 0 empty; a dead entry's slot is a tombstone */
    char *names;
};

static void memfs_dir_free(struct memfs_dir *d)
{
    if (!d) return;
    free(d->ent);
    free(d->hash);
    free(d->names);
    free(d);
}

static void memfs_dir_put(struct memfs_dir *d)
{
    if (d && ref_put(d)) memfs_dir_free(d);
}

static uint32_t memfs_name_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int memfs_dir_find(const struct memfs_dir *d, const char *name, size_t len, uint32_t h)
{
    if (!d || !d->hcap) return -1;
    uint32_t mask = d->hcap - 1;
    for (uint32_t i = h & mask; d->hash[i]; i = (i + 1) & mask) {
        const struct memfs_dent *e = &d->ent[d->hash[i] - 1];
        if (!e->dead && e->hash == h && e->len == len && !memcmp(d->names + e->name, name, len))
            return (int)(d->hash[i] - 1);
    }
    return -1;
}

static void memfs_dir_hash_put(struct memfs_dir *d, uint32_t idx)
{
    uint32_t mask = d->hcap - 1;
    uint32_t i = d->ent[idx].hash & mask;
    while (d->hash[i] && !d->ent[d->hash[i] - 1].dead) i = (i + 1) & mask;
    if (!d->hash[i]) d->hused++;
    d->hash[i] = idx + 1;
}

/* Rebuild the hash with room for want live entries. */
static int memfs_dir_rehash(struct memfs_dir *d, uint32_t want)
{
    uint32_t cap = 8;
    while (cap < want * 2 + 2) cap *= 2;
    uint32_t *h = memfs_calloc(cap, sizeof *h);
    if (!h) return -ENOMEM;
    free(d->hash);
    d->hash = h;
    d->hcap = cap;
    d->hused = 0;
    for (uint32_t i = 0; i < d->n; i++)
        if (!d->ent[i].dead) memfs_dir_hash_put(d, i);
    return 0;
}

/* A new table holding d's live entries (order and seq kept). */
static struct memfs_dir *memfs_dir_copy_live(const struct memfs_dir *d)
{
    struct memfs_dir *c = memfs_calloc(1, sizeof *c);
    if (!c) return NULL;
    ref_init(c);
    c->next_seq = d ? d->next_seq : 0;
    if (!d || !d->live) return c;
    size_t names = 0;
    for (uint32_t i = 0; i < d->n; i++)
        if (!d->ent[i].dead) names += d->ent[i].len + 1u;
    c->ent = memfs_malloc(d->live * sizeof *c->ent);
    c->names = memfs_malloc(names);
    if (!c->ent || !c->names) goto fail;
    c->cap = d->live;
    c->names_cap = names;
    for (uint32_t i = 0; i < d->n; i++) {
        const struct memfs_dent *e = &d->ent[i];
        if (e->dead) continue;
        c->ent[c->n] = *e;
        c->ent[c->n].name = (uint32_t)c->names_len;
        memcpy(c->names + c->names_len, d->names + e->name, e->len + 1u);
        c->names_len += e->len + 1u;
        c->n++;
    }
    c->live = c->n;
    if (memfs_dir_rehash(c, c->live)) goto fail;
    return c;
fail:
    memfs_dir_free(c);
    return NULL;
}

/* Room for one more entry of len bytes, so that dir_add cannot fail. */
static int memfs_dir_reserve(struct memfs_dir *d, size_t len)
{
    if (d->n == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 4;
        struct memfs_dent *e = memfs_realloc(d->ent, cap * sizeof *e);
        if (!e) return -ENOMEM;
        d->ent = e;
        d->cap = cap;
    }
    if (d->names_len + len + 1 > d->names_cap) {
        size_t cap = d->names_cap ? d->names_cap * 2 : 64;
        while (cap < d->names_len + len + 1) cap *= 2;
        if (cap > UINT32_MAX) return -ENOSPC;
        char *s = memfs_realloc(d->names, cap);
        if (!s) return -ENOMEM;
        d->names = s;
        d->names_cap = cap;
    }
    if ((d->hused + 1) * 2 > d->hcap) return memfs_dir_rehash(d, d->live + 1);
    return 0;
}

static void memfs_dir_add(struct memfs_dir *d, const char *name, size_t len, uint64_t ino,
                          unsigned char type)
{
    struct memfs_dent *e = &d->ent[d->n];
    e->ino = ino;
    e->seq = d->next_seq++;
    e->name = (uint32_t)d->names_len;
    e->hash = memfs_name_hash(name, len);
    e->len = (uint16_t)len;
    e->type = type;
    e->dead = 0;
    memcpy(d->names + d->names_len, name, len);
    d->names[d->names_len + len] = 0;
    d->names_len += len + 1;
    d->live++;
    memfs_dir_hash_put(d, d->n++);
}

/* Squeeze dead entries out once they outnumber the live ones. Optional
 * work: on ENOMEM the table simply stays as it is. */
static void memfs_dir_compact(struct memfs_dir *d)
{
    uint32_t dead = d->n - d->live;
    if (dead < 32 || dead <= d->live) return;
    struct memfs_dir *c = memfs_dir_copy_live(d);
    if (!c) return;
    free(d->ent);
    free(d->hash);
    free(d->names);
    d->n = c->n, d->cap = c->cap, d->live = c->live;
    d->hcap = c->hcap, d->hused = c->hused;
    d->names_len = c->names_len, d->names_cap = c->names_cap;
    d->ent = c->ent, d->hash = c->hash, d->names = c->names;
    free(c);
}

static void memfs_dir_del(struct memfs_dir *d, int idx)
{
    d->ent[idx].dead = 1;
    d->live--;
    memfs_dir_compact(d);
}

/* ---- inode records -------------------------------------------------------- */

struct memfs_inode {
    struct memfs_ref ref;
    uint32_t nlink;
    uint64_t ino;
    mode_t mode;
    uid_t uid;
    gid_t gid;
    dev_t rdev;
    uint64_t size;   /* regular: bytes; symlink: target length */
    uint64_t blocks; /* regular: 4 KiB blocks allocated */
    uint64_t parent; /* directory: ino of ".." */
    struct timespec atime, mtime, ctime;
    struct memfs_rx data;  /* regular: chunk index -> chunk */
    struct memfs_dir *dir; /* directory: NULL until the first entry */
    char *target;          /* symlink */
};

static void memfs_inode_free(void *p)
{
    struct memfs_inode *ip = p;
    rx_drop(ip->data.root, ip->data.height, memfs_chunk_free);
    memfs_dir_put(ip->dir);
    free(ip->target);
    free(ip);
}

static struct memfs_inode *memfs_inode_copy(const struct memfs_inode *ip)
{
    struct memfs_inode *c = memfs_malloc(sizeof *c);
    if (!c) return NULL;
    /* Everything but the count, which other threads may be changing. */
    size_t skip = offsetof(struct memfs_inode, nlink);
    memcpy((char *)c + skip, (const char *)ip + skip, sizeof *c - skip);
    ref_init(c);
    if (ip->target && !(c->target = strdup(ip->target))) {
        free(c);
        return NULL;
    }
    if (c->data.root) ref_get(c->data.root);
    if (c->dir) ref_get(c->dir);
    return c;
}

/* ---- the instance ---------------------------------------------------------- */

struct memfs_open {
    uint64_t ino; /* 0: empty slot */
    uint64_t count;
};

struct memfs {
    struct vfs_fs fs;
    struct memfs_rx inodes;
    uint64_t next_ino;
    struct memfs_open *opens; /* linear probing, power-of-two size */
    uint32_t opens_cap, opens_used;
};

struct memfs_snap {
    struct memfs_rx inodes;
    uint64_t next_ino, used_bytes, used_inodes;
};

static const struct vfs_ops memfs_ops;

static struct memfs *M(struct vfs_fs *fs)
{
    return (struct memfs *)fs;
}

static struct timespec memfs_time(struct memfs *m)
{
    struct timespec ts;
    vfs_now(&m->fs, &ts);
    return ts;
}

static unsigned char memfs_dtype(mode_t mode)
{
    return (unsigned char)((mode & S_IFMT) >> 12);
}

static const struct memfs_inode *memfs_iget(struct memfs *m, uint64_t ino)
{
    return rx_get(&m->inodes, ino);
}

/* The inode ino of map rx, made private (copied if shared). */
static int memfs_rx_imut(struct memfs_rx *rx, uint64_t ino, struct memfs_inode **out)
{
    void **pp;
    int e = rx_slot(rx, ino, false, memfs_inode_free, &pp);
    if (e) return e;
    struct memfs_inode *ip = *pp;
    if (!ip) return -ENOENT;
    if (ref_shared(ip)) {
        struct memfs_inode *c = memfs_inode_copy(ip);
        if (!c) return -ENOMEM;
        *pp = c;
        if (ref_put(ip)) memfs_inode_free(ip);
        ip = c;
    }
    *out = ip;
    return 0;
}

static int memfs_imut(struct memfs *m, uint64_t ino, struct memfs_inode **out)
{
    return memfs_rx_imut(&m->inodes, ino, out);
}

/* A directory inode with its table private, ready for changes. */
static int memfs_dirmut(struct memfs *m, uint64_t ino, struct memfs_inode **out)
{
    struct memfs_inode *dp;
    int e = memfs_imut(m, ino, &dp);
    if (e) return e;
    if (!dp->dir || ref_shared(dp->dir)) {
        struct memfs_dir *c = memfs_dir_copy_live(dp->dir);
        if (!c) return -ENOMEM;
        memfs_dir_put(dp->dir);
        dp->dir = c;
    }
    *out = dp;
    return 0;
}

/* Check name and look it up in directory dir: its entry index or -1. */
static int memfs_dir_check(struct memfs *m, uint64_t dir, const char *name,
                           const struct memfs_inode **dp, int *idx)
{
    size_t len = strlen(name);
    if (len == 0) return -ENOENT;
    if (len > VFS_NAME_MAX) return -ENAMETOOLONG;
    const struct memfs_inode *d = memfs_iget(m, dir);
    if (!d) return -ENOENT;
    if (!S_ISDIR(d->mode)) return -ENOTDIR;
    *dp = d;
    *idx = memfs_dir_find(d->dir, name, len, memfs_name_hash(name, len));
    return 0;
}

static int memfs_dir_index(const struct memfs_dir *d, const char *name)
{
    size_t len = strlen(name);
    return memfs_dir_find(d, name, len, memfs_name_hash(name, len));
}

/* ---- open counts (private to the instance) -------------------------------- */

static uint32_t memfs_open_home(const struct memfs *m, uint64_t ino)
{
    return (uint32_t)((ino * 0x9E3779B97F4A7C15ull) >> 32) & (m->opens_cap - 1);
}

static struct memfs_open *memfs_open_find(struct memfs *m, uint64_t ino)
{
    if (!m->opens_cap) return NULL;
    uint32_t mask = m->opens_cap - 1;
    for (uint32_t i = memfs_open_home(m, ino); m->opens[i].ino; i = (i + 1) & mask)
        if (m->opens[i].ino == ino) return &m->opens[i];
    return NULL;
}

static uint64_t memfs_open_count(struct memfs *m, uint64_t ino)
{
    struct memfs_open *o = memfs_open_find(m, ino);
    return o ? o->count : 0;
}

static void memfs_open_put(struct memfs *m, uint64_t ino, uint64_t count)
{
    uint32_t mask = m->opens_cap - 1, i = memfs_open_home(m, ino);
    while (m->opens[i].ino) i = (i + 1) & mask;
    m->opens[i].ino = ino;
    m->opens[i].count = count;
    m->opens_used++;
}

static int memfs_open_grow(struct memfs *m)
{
    uint32_t cap = m->opens_cap ? m->opens_cap * 2 : 16;
    struct memfs_open *old = m->opens, *t = memfs_calloc(cap, sizeof *t);
    uint32_t oldcap = m->opens_cap;
    if (!t) return -ENOMEM;
    m->opens = t;
    m->opens_cap = cap;
    m->opens_used = 0;
    for (uint32_t i = 0; i < oldcap; i++)
        if (old[i].ino) memfs_open_put(m, old[i].ino, old[i].count);
    free(old);
    return 0;
}

/* Backward-shift deletion keeps probe chains whole without tombstones. */
static void memfs_open_del(struct memfs *m, struct memfs_open *o)
{
    uint32_t mask = m->opens_cap - 1, i = (uint32_t)(o - m->opens), j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!m->opens[j].ino) break;
        uint32_t k = memfs_open_home(m, m->opens[j].ino);
        bool move = i <= j ? (k <= i || k > j) : (k <= i && k > j);
        if (move) {
            m->opens[i] = m->opens[j];
            i = j;
        }
    }
    m->opens[i].ino = 0;
    m->opens_used--;
}

/* ---- freeing inodes -------------------------------------------------------- */

static void memfs_unaccount(uint64_t *bytes, uint64_t *inodes, const struct memfs_inode *ip)
{
    *bytes -= ip->blocks * MEMFS_BLOCK;
    *inodes -= 1;
}

/* Take an inode out of a map and free it (a reference on it, if shared). */
static int memfs_forget(struct memfs_rx *rx, uint64_t ino, uint64_t *bytes, uint64_t *inodes)
{
    void *leaf;
    int e = rx_take(rx, ino, memfs_inode_free, &leaf);
    if (e) return e;
    memfs_unaccount(bytes, inodes, leaf);
    if (ref_put(leaf)) memfs_inode_free(leaf);
    return 0;
}

/* ino just lost its last link: free it unless it is open. Its path is
 * private already (the caller changed it), so this cannot fail. */
static void memfs_release(struct memfs *m, uint64_t ino)
{
    if (memfs_open_count(m, ino)) return;
    memfs_forget(&m->inodes, ino, &m->fs.used_bytes, &m->fs.used_inodes);
}

/* ---- ops: lookup, getattr, setattr ---------------------------------------- */

static int memfs_lookup(struct vfs_fs *fs, uint64_t dir, const char *name, uint64_t *ino)
{
    struct memfs *m = M(fs);
    const struct memfs_inode *d = memfs_iget(m, dir);
    if (!d) return -ENOENT;
    if (!S_ISDIR(d->mode)) return -ENOTDIR;
    if (!strcmp(name, "..")) return *ino = d->parent, 0;
    if (!strcmp(name, ".")) return *ino = dir, 0;
    int idx;
    int e = memfs_dir_check(m, dir, name, &d, &idx);
    if (e) return e;
    if (idx < 0) return -ENOENT;
    *ino = d->dir->ent[idx].ino;
    return 0;
}

static int memfs_getattr(struct vfs_fs *fs, uint64_t ino, struct stat *st)
{
    const struct memfs_inode *ip = memfs_iget(M(fs), ino);
    if (!ip) return -ENOENT;
    memset(st, 0, sizeof *st);
    st->st_dev = fs->dev;
    st->st_ino = ino;
    st->st_mode = ip->mode;
    st->st_nlink = ip->nlink;
    st->st_uid = ip->uid;
    st->st_gid = ip->gid;
    st->st_rdev = ip->rdev;
    st->st_blksize = MEMFS_BLOCK;
    st->st_atim = ip->atime;
    st->st_mtim = ip->mtime;
    st->st_ctim = ip->ctime;
    if (S_ISREG(ip->mode)) {
        st->st_size = (off_t)ip->size;
        st->st_blocks = (blkcnt_t)(ip->blocks * (MEMFS_BLOCK / 512));
    } else if (S_ISDIR(ip->mode)) {
        st->st_size = MEMFS_BLOCK;
        st->st_blocks = MEMFS_BLOCK / 512;
    } else if (S_ISLNK(ip->mode)) {
        st->st_size = (off_t)ip->size;
        st->st_blocks = ip->size < 60 ? 0 : MEMFS_BLOCK / 512; /* ext4 fast symlinks */
    }
    return 0;
}

static struct timespec memfs_settime(struct memfs *m, struct timespec cur, struct timespec set)
{
    if (set.tv_nsec == UTIME_OMIT) return cur;
    if (set.tv_nsec == UTIME_NOW) return memfs_time(m);
    return set;
}

/* Cut or extend ip's bytes to size; prepares every copy first (-ENOMEM
 * changes nothing), then frees what lies past the end. */
static int memfs_truncate(struct memfs *m, struct memfs_inode *ip, uint64_t size)
{
    struct memfs_rx *rx = &ip->data;
    if (size >= ip->size) return ip->size = size, 0;
    uint64_t freed;
    if (size == 0) {
        freed = ip->blocks;
        rx_drop(rx->root, rx->height, memfs_chunk_free);
        rx->root = NULL;
        rx->height = 0;
    } else {
        uint64_t keep = (size + MEMFS_CHUNK - 1) >> MEMFS_CHUNK_SHIFT;
        uint32_t tail = size & (MEMFS_CHUNK - 1);
        struct memfs_chunk *c = NULL;
        void **pp;
        int e = rx_slot(rx, size >> MEMFS_CHUNK_SHIFT, false, memfs_chunk_free, &pp);
        if (e == -ENOMEM) return e;
        if (!e && tail && *pp && !(c = memfs_chunk_own(pp, 0))) return -ENOMEM;
        e = rx_slot(rx, keep, false, memfs_chunk_free, &pp);
        if (e == -ENOMEM) return e;
        freed = memfs_tree_cut(&rx->root, rx->height, 0, keep);
        if (c) {
            uint16_t keepmap = memfs_block_bits(0, tail);
            freed += __builtin_popcount(c->map & ~keepmap);
            c->map &= keepmap;
            if (c->cap > tail) memset(c->data + tail, 0, c->cap - tail);
        }
    }
    ip->blocks -= freed;
    m->fs.used_bytes -= freed * MEMFS_BLOCK;
    ip->size = size;
    return 0;
}

static int memfs_setattr(struct vfs_fs *fs, uint64_t ino, const struct vfs_setattr *set)
{
    struct memfs *m = M(fs);
    const struct memfs_inode *cur = memfs_iget(m, ino);
    if (!cur) return -ENOENT;
    if (set->mask & VFS_SET_SIZE) {
        if (S_ISDIR(cur->mode)) return -EISDIR;
        if (!S_ISREG(cur->mode) || set->size < 0) return -EINVAL;
        if ((uint64_t)set->size > MEMFS_MAX_SIZE) return -EFBIG;
    }
    if (!set->mask) return 0;
    struct memfs_inode *ip;
    int e = memfs_imut(m, ino, &ip);
    if (e) return e;
    struct timespec now = memfs_time(m);
    if (set->mask & VFS_SET_SIZE) {
        if ((e = memfs_truncate(m, ip, (uint64_t)set->size))) return e;
        ip->mtime = now;
    }
    if (set->mask & VFS_SET_MODE) ip->mode = (ip->mode & S_IFMT) | (set->mode & 07777);
    if (set->mask & VFS_SET_UID) ip->uid = set->uid;
    if (set->mask & VFS_SET_GID) ip->gid = set->gid;
    if (set->mask & VFS_SET_ATIME) ip->atime = memfs_settime(m, ip->atime, set->atime);
    if (set->mask & VFS_SET_MTIME) ip->mtime = memfs_settime(m, ip->mtime, set->mtime);
    ip->ctime = now;
    return 0;
}

/* ---- ops: read, write ------------------------------------------------------ */

static int memfs_file_check(const struct memfs_inode *ip, off_t off)
{
    if (!ip) return -ENOENT;
    if (S_ISDIR(ip->mode)) return -EISDIR;
    if (!S_ISREG(ip->mode) || off < 0) return -EINVAL;
    return 0;
}

static bool memfs_ts_le(struct timespec a, struct timespec b)
{
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

/* relatime: atime moves when it is not newer than mtime/ctime, or a day old.
 * Best effort: a failed copy just leaves atime. */
static void memfs_touch_atime(struct memfs *m, uint64_t ino, const struct memfs_inode *ip)
{
    struct timespec now = memfs_time(m);
    if (!memfs_ts_le(ip->atime, ip->mtime) && !memfs_ts_le(ip->atime, ip->ctime) &&
        now.tv_sec - ip->atime.tv_sec < 86400)
        return;
    struct memfs_inode *w;
    if (!memfs_imut(m, ino, &w)) w->atime = now;
}

static ssize_t memfs_read(struct vfs_fs *fs, uint64_t ino, void *buf, size_t n, off_t off)
{
    struct memfs *m = M(fs);
    const struct memfs_inode *ip = memfs_iget(m, ino);
    int e = memfs_file_check(ip, off);
    if (e) return e;
    if ((uint64_t)off >= ip->size || n == 0) return 0;
    if (n > ip->size - (uint64_t)off) n = ip->size - (uint64_t)off;
    if (n > SSIZE_MAX) n = SSIZE_MAX;
    unsigned char *out = buf;
    for (size_t done = 0; done < n;) {
        uint64_t pos = (uint64_t)off + done;
        uint32_t a = pos & (MEMFS_CHUNK - 1);
        size_t len = MEMFS_CHUNK - a < n - done ? MEMFS_CHUNK - a : n - done;
        const struct memfs_chunk *c = rx_get(&ip->data, pos >> MEMFS_CHUNK_SHIFT);
        size_t have = c && c->cap > a ? (c->cap - a < len ? c->cap - a : len) : 0;
        if (have) memcpy(out + done, c->data + a, have);
        memset(out + done + have, 0, len - have);
        done += len;
    }
    memfs_touch_atime(m, ino, ip);
    return (ssize_t)n;
}

/* 4 KiB blocks the byte limit still allows. */
static uint64_t memfs_budget(struct memfs *m)
{
    if (!m->fs.max_bytes) return UINT64_MAX;
    if (m->fs.used_bytes >= m->fs.max_bytes) return 0;
    return (m->fs.max_bytes - m->fs.used_bytes) >> MEMFS_BLOCK_SHIFT;
}

/* Shorten [a, a+len) of a chunk whose map is have to what the budget allows. */
static uint32_t memfs_fit(uint16_t have, uint32_t a, uint32_t len, uint64_t budget)
{
    uint16_t add = memfs_block_bits(a, len) & ~have;
    if ((uint64_t)__builtin_popcount(add) <= budget) return len;
    for (unsigned b = a >> MEMFS_BLOCK_SHIFT;; b++) {
        if (have & (1u << b)) continue;
        if (budget-- == 0) {
            uint32_t end = b << MEMFS_BLOCK_SHIFT;
            return end > a ? end - a : 0;
        }
    }
}

/* Write into one chunk; returns bytes written (short at the byte limit). */
static ssize_t memfs_chunk_write(struct memfs *m, struct memfs_inode *ip, uint64_t ci, uint32_t a,
                                 const unsigned char *src, uint32_t len)
{
    void **pp;
    int e = rx_slot(&ip->data, ci, true, memfs_chunk_free, &pp);
    if (e) return e;
    const struct memfs_chunk *old = *pp;
    len = memfs_fit(old ? old->map : 0, a, len, memfs_budget(m));
    if (!len) return -ENOSPC;
    struct memfs_chunk *c = memfs_chunk_own(pp, a + len);
    if (!c) return -ENOMEM;
    memcpy(c->data + a, src, len);
    uint16_t add = memfs_block_bits(a, len) & ~c->map;
    c->map |= add;
    ip->blocks += __builtin_popcount(add);
    m->fs.used_bytes += (uint64_t)__builtin_popcount(add) * MEMFS_BLOCK;
    return len;
}

static ssize_t memfs_write(struct vfs_fs *fs, uint64_t ino, const void *buf, size_t n, off_t off)
{
    struct memfs *m = M(fs);
    int e = memfs_file_check(memfs_iget(m, ino), off);
    if (e) return e;
    if (n == 0) return 0;
    if ((uint64_t)off >= MEMFS_MAX_SIZE) return -EFBIG;
    if (n > MEMFS_MAX_SIZE - (uint64_t)off) n = MEMFS_MAX_SIZE - (uint64_t)off;
    if (n > SSIZE_MAX) n = SSIZE_MAX;
    struct memfs_inode *ip;
    if ((e = memfs_imut(m, ino, &ip))) return e;
    size_t done = 0;
    ssize_t r = 0;
    while (done < n) {
        uint64_t pos = (uint64_t)off + done;
        uint32_t a = pos & (MEMFS_CHUNK - 1);
        uint32_t len = MEMFS_CHUNK - a < n - done ? MEMFS_CHUNK - a : (uint32_t)(n - done);
        r = memfs_chunk_write(m, ip, pos >> MEMFS_CHUNK_SHIFT, a, (const unsigned char *)buf + done,
                              len);
        if (r <= 0) break;
        done += (size_t)r;
        if ((uint32_t)r < len) break;
    }
    if (!done) return r < 0 ? r : -ENOSPC;
    if ((uint64_t)off + done > ip->size) ip->size = (uint64_t)off + done;
    ip->mtime = ip->ctime = memfs_time(m);
    return (ssize_t)done;
}

/* ---- ops: directories -------------------------------------------------------- */

static int memfs_readdir(struct vfs_fs *fs, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out)
{
    const struct memfs_inode *ip = memfs_iget(M(fs), dir);
    if (!ip) return -ENOENT;
    if (!S_ISDIR(ip->mode)) return -ENOTDIR;
    const struct memfs_dir *d = ip->dir;
    if (!d) return 0;
    uint32_t lo = 0, hi = d->n; /* first entry with seq >= *cookie */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->ent[mid].seq < *cookie)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo < d->n && d->ent[lo].dead) lo++;
    if (lo == d->n) return 0;
    const struct memfs_dent *e = &d->ent[lo];
    out->ino = e->ino;
    out->type = e->type;
    memcpy(out->name, d->names + e->name, e->len + 1u);
    *cookie = e->seq + 1;
    return 1;
}

static struct memfs_inode *memfs_inode_new(struct memfs *m, const struct vfs_newnode *nn,
                                           uint64_t parent)
{
    struct memfs_inode *ip = memfs_calloc(1, sizeof *ip);
    if (!ip) return NULL;
    ref_init(ip);
    ip->mode = nn->mode;
    ip->uid = nn->uid;
    ip->gid = nn->gid;
    ip->nlink = S_ISDIR(nn->mode) ? 2 : 1;
    ip->parent = parent;
    ip->atime = ip->mtime = ip->ctime = memfs_time(m);
    if (S_ISCHR(nn->mode) || S_ISBLK(nn->mode)) ip->rdev = nn->rdev;
    if (S_ISLNK(nn->mode)) {
        ip->size = strlen(nn->target);
        if (!(ip->target = strdup(nn->target))) {
            free(ip);
            return NULL;
        }
    }
    return ip;
}

static int memfs_newnode_check(const struct vfs_newnode *nn)
{
    switch (nn->mode & S_IFMT) {
    case S_IFREG:
    case S_IFDIR:
    case S_IFIFO:
    case S_IFCHR:
    case S_IFBLK:
    case S_IFSOCK: return 0;
    case S_IFLNK:
        if (!nn->target) return -EINVAL;
        if (!*nn->target) return -ENOENT;
        return strlen(nn->target) >= VFS_PATH_MAX ? -ENAMETOOLONG : 0;
    }
    return -EINVAL;
}

static int memfs_mknode(struct vfs_fs *fs, uint64_t dir, const char *name,
                        const struct vfs_newnode *nn, uint64_t *ino)
{
    struct memfs *m = M(fs);
    const struct memfs_inode *d;
    int idx, e = memfs_dir_check(m, dir, name, &d, &idx);
    if (e) return e;
    if (d->nlink == 0) return -ENOENT;
    if (idx >= 0) return -EEXIST;
    if ((e = memfs_newnode_check(nn))) return e;
    if (S_ISDIR(nn->mode) && d->nlink >= MEMFS_LINK_MAX) return -EMLINK;
    if (fs->max_inodes && fs->used_inodes >= fs->max_inodes) return -ENOSPC;
    struct memfs_inode *dp, *ip;
    void **slot;
    uint64_t n = m->next_ino;
    if ((e = memfs_dirmut(m, dir, &dp)) || (e = memfs_dir_reserve(dp->dir, strlen(name)))) return e;
    if (!(ip = memfs_inode_new(m, nn, dir))) return -ENOMEM;
    if ((e = rx_slot(&m->inodes, n, true, memfs_inode_free, &slot))) {
        memfs_inode_free(ip);
        return e;
    }
    ip->ino = n;
    *slot = ip;
    m->next_ino++;
    fs->used_inodes++;
    memfs_dir_add(dp->dir, name, strlen(name), n, memfs_dtype(ip->mode));
    if (S_ISDIR(ip->mode)) dp->nlink++;
    dp->mtime = dp->ctime = ip->ctime;
    *ino = n;
    return 0;
}

static int memfs_link(struct vfs_fs *fs, uint64_t ino, uint64_t dir, const char *name)
{
    struct memfs *m = M(fs);
    const struct memfs_inode *t = memfs_iget(m, ino), *d;
    if (!t) return -ENOENT;
    if (S_ISDIR(t->mode)) return -EPERM;
    if (t->nlink == 0) return -ENOENT;
    if (t->nlink >= MEMFS_LINK_MAX) return -EMLINK;
    int idx, e = memfs_dir_check(m, dir, name, &d, &idx);
    if (e) return e;
    if (d->nlink == 0) return -ENOENT;
    if (idx >= 0) return -EEXIST;
    struct memfs_inode *dp, *tp;
    if ((e = memfs_dirmut(m, dir, &dp)) || (e = memfs_dir_reserve(dp->dir, strlen(name))) ||
        (e = memfs_imut(m, ino, &tp)))
        return e;
    memfs_dir_add(dp->dir, name, strlen(name), ino, memfs_dtype(tp->mode));
    tp->nlink++;
    tp->ctime = dp->mtime = dp->ctime = memfs_time(m);
    return 0;
}

/* unlink and rmdir: the name goes, the inode loses a link (all of them for
 * a directory) and is freed when nothing holds it any more. */
static int memfs_remove(struct vfs_fs *fs, uint64_t dir, const char *name, bool isdir)
{
    struct memfs *m = M(fs);
    const struct memfs_inode *d;
    int idx, e = memfs_dir_check(m, dir, name, &d, &idx);
    if (e) return e;
    if (idx < 0) return -ENOENT;
    uint64_t ino = d->dir->ent[idx].ino;
    const struct memfs_inode *t = memfs_iget(m, ino);
    if (!t) return -EIO;
    if (!isdir && S_ISDIR(t->mode)) return -EISDIR;
    if (isdir && !S_ISDIR(t->mode)) return -ENOTDIR;
    if (isdir && t->dir && t->dir->live) return -ENOTEMPTY;
    struct memfs_inode *dp, *tp;
    if ((e = memfs_dirmut(m, dir, &dp)) || (e = memfs_imut(m, ino, &tp))) return e;
    memfs_dir_del(dp->dir, memfs_dir_index(dp->dir, name));
    if (isdir) dp->nlink--;
    tp->nlink = isdir ? 0 : tp->nlink - 1;
    tp->ctime = dp->mtime = dp->ctime = memfs_time(m);
    if (tp->nlink == 0) memfs_release(m, ino);
    return 0;
}

static int memfs_unlink(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    return memfs_remove(fs, dir, name, false);
}

static int memfs_rmdir(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    return memfs_remove(fs, dir, name, true);
}

/* The replace rules of rename(2) for moving mv over r. */
static int memfs_rename_check(const struct memfs_inode *mv, const struct memfs_inode *r)
{
    if (S_ISDIR(mv->mode) && !S_ISDIR(r->mode)) return -ENOTDIR;
    if (!S_ISDIR(mv->mode) && S_ISDIR(r->mode)) return -EISDIR;
    if (S_ISDIR(r->mode) && r->dir && r->dir->live) return -ENOTEMPTY;
    return 0;
}

static int memfs_rename(struct vfs_fs *fs, uint64_t olddir, const char *oldname, uint64_t newdir,
                        const char *newname)
{
    struct memfs *m = M(fs);
    const struct memfs_inode *od, *nd, *mv, *r = NULL;
    int oi, ni, e;
    if ((e = memfs_dir_check(m, olddir, oldname, &od, &oi))) return e;
    if (oi < 0) return -ENOENT;
    uint64_t moved = od->dir->ent[oi].ino, repl = 0;
    if ((e = memfs_dir_check(m, newdir, newname, &nd, &ni))) return e;
    if (nd->nlink == 0) return -ENOENT;
    if (!(mv = memfs_iget(m, moved))) return -EIO;
    if (moved == newdir) return -EINVAL;
    if (ni >= 0) {
        repl = nd->dir->ent[ni].ino;
        if (repl == moved) return 0;
        if (!(r = memfs_iget(m, repl))) return -EIO;
        if ((e = memfs_rename_check(mv, r))) return e;
    }
    bool isdir = S_ISDIR(mv->mode), moves = olddir != newdir;
    if (isdir && moves && !r && nd->nlink >= MEMFS_LINK_MAX) return -EMLINK;
    /* Prepare: private copies of both directories, both inodes, room. */
    struct memfs_inode *odp, *ndp, *mvp, *rp = NULL;
    if ((e = memfs_dirmut(m, olddir, &odp))) return e;
    if (moves && (e = memfs_dirmut(m, newdir, &ndp))) return e;
    if (!moves) ndp = odp;
    if (!r && (e = memfs_dir_reserve(ndp->dir, strlen(newname)))) return e;
    if ((e = memfs_imut(m, moved, &mvp)) || (r && (e = memfs_imut(m, repl, &rp)))) return e;
    /* Commit: nothing below allocates. */
    if (rp) {
        struct memfs_dent *ne = &ndp->dir->ent[memfs_dir_index(ndp->dir, newname)];
        ne->ino = moved;
        ne->type = memfs_dtype(mvp->mode);
    } else {
        memfs_dir_add(ndp->dir, newname, strlen(newname), moved, memfs_dtype(mvp->mode));
    }
    memfs_dir_del(odp->dir, memfs_dir_index(odp->dir, oldname));
    struct timespec now = memfs_time(m);
    if (isdir) {
        mvp->parent = newdir;
        if (moves) odp->nlink--, ndp->nlink++;
    }
    mvp->ctime = odp->mtime = odp->ctime = ndp->mtime = ndp->ctime = now;
    if (rp) {
        if (isdir) ndp->nlink--;
        rp->nlink = isdir ? 0 : rp->nlink - 1;
        rp->ctime = now;
        if (rp->nlink == 0) memfs_release(m, repl);
    }
    return 0;
}

/* ---- ops: the rest ------------------------------------------------------------- */

static ssize_t memfs_readlink(struct vfs_fs *fs, uint64_t ino, char *buf, size_t n)
{
    const struct memfs_inode *ip = memfs_iget(M(fs), ino);
    if (!ip) return -ENOENT;
    if (!S_ISLNK(ip->mode)) return -EINVAL;
    if (n > ip->size) n = ip->size;
    memcpy(buf, ip->target, n);
    return (ssize_t)n;
}

static int memfs_statfs(struct vfs_fs *fs, struct statvfs *sv)
{
    uint64_t blocks = fs->max_bytes ? fs->max_bytes / MEMFS_BLOCK : 1ULL << 32;
    uint64_t used = fs->used_bytes / MEMFS_BLOCK;
    uint64_t files = fs->max_inodes ? fs->max_inodes : 1ULL << 32;
    if (blocks < used) blocks = used;
    if (files < fs->used_inodes) files = fs->used_inodes;
    memset(sv, 0, sizeof *sv);
    sv->f_bsize = sv->f_frsize = MEMFS_BLOCK;
    sv->f_blocks = blocks;
    sv->f_bfree = sv->f_bavail = blocks - used;
    sv->f_files = files;
    sv->f_ffree = sv->f_favail = files - fs->used_inodes;
    sv->f_fsid = (unsigned long)fs->dev;
    sv->f_namemax = VFS_NAME_MAX;
    return 0;
}

/* open cannot report failure: if the table cannot grow while full, the
 * count is lost and an unlinked file may go at its last unlink. */
static void memfs_open(struct vfs_fs *fs, uint64_t ino)
{
    struct memfs *m = M(fs);
    struct memfs_open *o = memfs_open_find(m, ino);
    if (o) {
        o->count++;
        return;
    }
    if ((m->opens_used + 1) * 2 > m->opens_cap && memfs_open_grow(m) &&
        m->opens_used + 1 >= m->opens_cap)
        return;
    memfs_open_put(m, ino, 1);
}

static void memfs_close(struct vfs_fs *fs, uint64_t ino)
{
    struct memfs *m = M(fs);
    struct memfs_open *o = memfs_open_find(m, ino);
    if (!o || --o->count) return;
    memfs_open_del(m, o);
    const struct memfs_inode *ip = memfs_iget(m, ino);
    if (ip && ip->nlink == 0) memfs_forget(&m->inodes, ino, &fs->used_bytes, &fs->used_inodes);
}

/* ---- sharing: clone, snapshot, restore ------------------------------------------ */

/* A reference on m's tree, without the orphans that only m's open files
 * keep alive (the copy does not carry the open counts). */
static int memfs_capture(struct memfs *m, struct memfs_snap *s)
{
    s->inodes = m->inodes;
    if (s->inodes.root) ref_get(s->inodes.root);
    s->next_ino = m->next_ino;
    s->used_bytes = m->fs.used_bytes;
    s->used_inodes = m->fs.used_inodes;
    for (uint32_t i = 0; i < m->opens_cap; i++) {
        uint64_t ino = m->opens[i].ino;
        const struct memfs_inode *ip = ino ? rx_get(&s->inodes, ino) : NULL;
        if (!ip || ip->nlink) continue;
        if (memfs_forget(&s->inodes, ino, &s->used_bytes, &s->used_inodes)) {
            rx_drop(s->inodes.root, s->inodes.height, memfs_inode_free);
            return -ENOMEM;
        }
    }
    return 0;
}

static struct vfs_fs *memfs_clone(struct vfs_fs *fs)
{
    struct memfs *m = M(fs), *c = memfs_calloc(1, sizeof *c);
    struct memfs_snap s;
    if (!c) return NULL;
    if (memfs_capture(m, &s)) {
        free(c);
        return NULL;
    }
    c->fs = m->fs;
    c->inodes = s.inodes;
    c->next_ino = s.next_ino;
    c->fs.used_bytes = s.used_bytes;
    c->fs.used_inodes = s.used_inodes;
    return &c->fs;
}

static void *memfs_snapshot(struct vfs_fs *fs)
{
    struct memfs_snap *s = memfs_malloc(sizeof *s);
    if (s && memfs_capture(M(fs), s)) {
        free(s);
        return NULL;
    }
    return s;
}

static void memfs_snapshot_free(void *snap)
{
    struct memfs_snap *s = snap;
    if (!s) return;
    rx_drop(s->inodes.root, s->inodes.height, memfs_inode_free);
    free(s);
}

/* Carry open inode ino of m into tree t as an orphan, unless t has it.
 * A directory comes empty: its entries name inodes of the other tree. */
static int memfs_carry(struct memfs *m, struct memfs_snap *t, uint64_t ino)
{
    const struct memfs_inode *cur = memfs_iget(m, ino);
    if (!cur || rx_get(&t->inodes, ino)) return 0;
    void **pp;
    struct memfs_inode *ip;
    int e = rx_slot(&t->inodes, ino, true, memfs_inode_free, &pp);
    if (e) return e;
    ref_get((void *)cur);
    *pp = (void *)cur;
    if ((e = memfs_rx_imut(&t->inodes, ino, &ip))) return e;
    ip->nlink = 0;
    if (S_ISDIR(ip->mode)) { /* like a removed directory: empty */
        memfs_dir_put(ip->dir);
        ip->dir = NULL;
    }
    t->used_bytes += ip->blocks * MEMFS_BLOCK;
    t->used_inodes++;
    return 0;
}

static int memfs_restore(struct vfs_fs *fs, void *snap)
{
    struct memfs *m = M(fs);
    const struct memfs_snap *s = snap;
    struct memfs_snap t = *s;
    if (t.inodes.root) ref_get(t.inodes.root);
    for (uint32_t i = 0; i < m->opens_cap; i++) {
        if (!m->opens[i].ino) continue;
        int e = memfs_carry(m, &t, m->opens[i].ino);
        if (e) {
            rx_drop(t.inodes.root, t.inodes.height, memfs_inode_free);
            return e;
        }
    }
    rx_drop(m->inodes.root, m->inodes.height, memfs_inode_free);
    m->inodes = t.inodes;
    if (t.next_ino > m->next_ino) m->next_ino = t.next_ino;
    fs->used_bytes = t.used_bytes;
    fs->used_inodes = t.used_inodes;
    return 0;
}

static void memfs_destroy(struct vfs_fs *fs)
{
    struct memfs *m = M(fs);
    if (!m) return;
    rx_drop(m->inodes.root, m->inodes.height, memfs_inode_free);
    free(m->opens);
    free(m);
}

static const struct vfs_ops memfs_ops = {
    .lookup = memfs_lookup,
    .getattr = memfs_getattr,
    .setattr = memfs_setattr,
    .read = memfs_read,
    .write = memfs_write,
    .readdir = memfs_readdir,
    .mknode = memfs_mknode,
    .link = memfs_link,
    .unlink = memfs_unlink,
    .rmdir = memfs_rmdir,
    .rename = memfs_rename,
    .readlink = memfs_readlink,
    .statfs = memfs_statfs,
    .open = memfs_open,
    .close = memfs_close,
    .clone = memfs_clone,
    .snapshot = memfs_snapshot,
    .restore = memfs_restore,
    .snapshot_free = memfs_snapshot_free,
    .destroy = memfs_destroy,
};

struct vfs_fs *memfs_new(uint64_t dev, uid_t uid, gid_t gid)
{
    struct memfs *m = memfs_calloc(1, sizeof *m);
    if (!m) return NULL;
    m->fs.ops = &memfs_ops;
    m->fs.root_ino = MEMFS_ROOT_INO;
    m->fs.dev = dev;
    m->next_ino = MEMFS_ROOT_INO + 1;
    struct vfs_newnode nn = {.mode = S_IFDIR | 0755, .uid = uid, .gid = gid};
    struct memfs_inode *root = memfs_inode_new(m, &nn, MEMFS_ROOT_INO);
    if (!root) {
        free(m);
        return NULL;
    }
    root->ino = MEMFS_ROOT_INO;
    void **slot;
    if (rx_slot(&m->inodes, MEMFS_ROOT_INO, true, memfs_inode_free, &slot)) {
        memfs_inode_free(root);
        memfs_destroy(&m->fs);
        return NULL;
    }
    *slot = root;
    m->fs.used_inodes = 1;
    return &m->fs;
}

/* ---- introspection for tests and fuzzing ---------------------------------------- */

struct memfs_census {
    struct memfs_stats *st;
    const struct memfs_rx *map;
    uint64_t *links; /* links counted from directory entries, by position */
    uint64_t *inos;
    size_t n, cap;
    int err;
};

static int memfs_census_add(void *arg, uint64_t key, const void *leaf)
{
    struct memfs_census *c = arg;
    const struct memfs_inode *ip = leaf;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        uint64_t *a = realloc(c->inos, cap * sizeof *a);
        if (!a) return -ENOMEM;
        c->inos = a;
        c->cap = cap;
    }
    c->inos[c->n++] = key;
    c->st->inodes++;
    c->st->bytes += ip->blocks * MEMFS_BLOCK;
    if (ip->ino != key) return -EIO;
    if (S_ISREG(ip->mode) && memfs_tree_blocks(ip->data.root, ip->data.height) != ip->blocks)
        return -EIO;
    return 0;
}

static size_t memfs_census_pos(const struct memfs_census *c, uint64_t ino)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->inos[mid] < ino)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && c->inos[lo] == ino ? lo : SIZE_MAX;
}

/* Count each entry's link, check the hash finds it, and the dir's nlink. */
static int memfs_census_dir(struct memfs_census *c, uint64_t ino, const struct memfs_inode *d)
{
    uint32_t subdirs = 0, live = 0;
    for (uint32_t i = 0; d->dir && i < d->dir->n; i++) {
        const struct memfs_dent *e = &d->dir->ent[i];
        if (e->dead) continue;
        live++;
        const char *name = d->dir->names + e->name;
        if (memfs_dir_find(d->dir, name, e->len, e->hash) != (int)i) return -EIO;
        if (i && e->seq <= d->dir->ent[i - 1].seq) return -EIO;
        size_t pos = memfs_census_pos(c, e->ino);
        if (pos == SIZE_MAX) return -EIO;
        const struct memfs_inode *t = rx_get(c->map, e->ino);
        if (e->type != memfs_dtype(t->mode)) return -EIO;
        if (S_ISDIR(t->mode)) {
            subdirs++;
            if (t->parent != ino) return -EIO;
        }
        c->links[pos]++;
    }
    if (d->dir && live != d->dir->live) return -EIO;
    if (d->nlink && d->nlink != 2 + subdirs) return -EIO;
    return 0;
}

static uint64_t memfs_priv_chunks(const void *p, unsigned l)
{
    if (!p || ref_shared(p)) return 0;
    if (l == 0) return sizeof(struct memfs_chunk) + ((const struct memfs_chunk *)p)->cap;
    uint64_t sum = sizeof(struct memfs_node);
    for (unsigned i = 0; i < RX_FAN; i++)
        sum += memfs_priv_chunks(((const struct memfs_node *)p)->slot[i], l - 1);
    return sum;
}

static uint64_t memfs_priv_dir(const struct memfs_dir *d)
{
    if (!d || ref_shared(d)) return 0;
    return sizeof *d + d->cap * sizeof *d->ent + d->hcap * sizeof *d->hash + d->names_cap;
}

static uint64_t memfs_priv_inodes(const void *p, unsigned l)
{
    if (!p || ref_shared(p)) return 0;
    if (l == 0) {
        const struct memfs_inode *ip = p;
        return sizeof *ip + (ip->target ? ip->size + 1 : 0) + memfs_priv_dir(ip->dir) +
               memfs_priv_chunks(ip->data.root, ip->data.height);
    }
    uint64_t sum = sizeof(struct memfs_node);
    for (unsigned i = 0; i < RX_FAN; i++)
        sum += memfs_priv_inodes(((const struct memfs_node *)p)->slot[i], l - 1);
    return sum;
}

int memfs_check(struct vfs_fs *fs, struct memfs_stats *st)
{
    struct memfs *m = M(fs);
    struct memfs_stats local;
    struct memfs_census c = {.st = st ? st : &local, .map = &m->inodes};
    memset(c.st, 0, sizeof *c.st);
    int e = rx_each(m->inodes.root, m->inodes.height, 0, memfs_census_add, &c);
    if (!e && !(c.links = calloc(c.n + 1, sizeof *c.links))) e = -ENOMEM;
    for (size_t i = 0; !e && i < c.n; i++) {
        const struct memfs_inode *ip = rx_get(&m->inodes, c.inos[i]);
        if (S_ISDIR(ip->mode) && ip->nlink)
            e = memfs_census_dir(&c, c.inos[i], ip);
        else if (S_ISDIR(ip->mode) && ip->dir && ip->dir->live)
            e = -EIO; /* removed, not empty */
    }
    for (size_t i = 0; !e && i < c.n; i++) {
        const struct memfs_inode *ip = rx_get(&m->inodes, c.inos[i]);
        uint64_t want = S_ISDIR(ip->mode) ? (ip->nlink ? 1 : 0) : ip->nlink;
        if (c.inos[i] == fs->root_ino) want = 0;
        if (c.links[i] != want) e = -EIO;
        if (!ip->nlink && !memfs_open_count(m, c.inos[i])) e = -EIO; /* orphan leaked */
    }
    if (!e && (c.st->bytes != fs->used_bytes || c.st->inodes != fs->used_inodes)) e = -EIO;
    c.st->private_bytes = memfs_priv_inodes(m->inodes.root, m->inodes.height);
    free(c.links);
    free(c.inos);
    return e;
}
