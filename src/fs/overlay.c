/* overlay.c — a copy-on-write memfs upper over a read-only lower instance
 * (usually a hostfs of the user's project): reads fall through to the lower,
 * every change stays in the upper, and the changes can be listed, shown as
 * a unified diff, or written back.
 *
 * Inode numbers. A node that comes from the lower keeps the lower's inode
 * number for ever, copied up or not ("L-nodes"); a node created in the VM
 * is its upper memfs number with the top bit set ("U-nodes"). Two
 * persistent maps (path-copying radix trees, below) tie them together:
 *     l2u:  lower ino L -> upper ino U of its copy
 *     umap: upper ino U -> struct ov_rec (its origin L and lazy-data state)
 *
 * The upper memfs holds two directories under its own root:
 *     r/   the overlay's root (origin: the lower root)
 *     i/   the index: copies of lower nodes at their lower position, named
 *          by the lower inode number in hex
 * A lower file or directory that is changed (data, attributes, entries) is
 * copied up into the index, not into a mirror of its path: it is still
 * found through its lower name (lookup falls through to the lower, gets L,
 * and l2u sends it to U), which also keeps lower hard links together. What
 * a rename moves leaves the index for its new directory, and a whiteout (a
 * character device 0:0) hides the old lower name. Directories: lookup in a
 * copied-up directory searches its upper copy, then its origin's lower
 * directory, so a renamed lower directory ("redirect") needs no path record:
 * its origin inode is the redirect. A directory made in the VM has no
 * origin, so it hides whatever the lower had there (it is "opaque").
 *
 * Copy-up is lazy and chunked. A regular file's copy starts sparse, its
 * size set, its bytes still in the lower; 64 KiB chunks are copied only
 * when a write touches them (a bitmap in the ov_rec), and bytes past `base`
 * (the lower size, lowered by truncation) live in the upper. Appending to
 * a 1 GB lower file copies one chunk. A copy-up also copies up the
 * directories above (found through the lower's "..", and for files through
 * the directory they were looked up in, remembered in a cache shared by all
 * clones since it describes the immutable lower), so every change is
 * reachable from r/ through copied-up directories: listing the changes
 * walks only those.
 *
 * Sharing. clone() is O(1): the upper memfs clones copy-on-write, the maps
 * share their roots, the lower is cloned (hostfs and memfs clones are O(1)
 * and share their contents). snapshot()/restore() keep or put back the
 * upper's snapshot and the map roots, also O(1).
 *
 * Limits of this design, documented: a lower file with several hard links
 * shows as changed only under the name it was reached by when first
 * changed; nlink of copied-up directories is the lower's; a file copied up
 * and then deleted keeps its index copy until the overlay is reset.
 */
#include "fs/overlay.h"
#include "fs/memfs.h"
#include "lib/udiff.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define OV_TOP (1ull << 63)
#define OV_CHUNK 65536ull
#define PM_FAN 64
#define PM_MAXH 11

/* ---- a persistent map u64 -> u64 (path-copying radix tree) ------------- */

struct pm_node {
    atomic_int refs;
    uint64_t s[PM_FAN];
};

struct pmap {
    struct pm_node *root;
    int height;
    int recs; /* values are struct ov_rec pointers (reference counted) */
};

struct ov_rec {
    atomic_int refs;
    uint64_t lower; /* origin: lower inode (0 none) */
    uint64_t base;  /* bytes below base not in a copied chunk are the lower's */
    uint64_t nlink; /* lower link count at copy-up */
    int indexed;    /* the copy lives in the index (at its lower position) */
    uint64_t *bits; /* copied chunks below base */
};

static void rec_unref(struct ov_rec *r)
{
    if (r && atomic_fetch_sub(&r->refs, 1) == 1) {
        free(r->bits);
        free(r);
    }
}

static void pm_val_ref(const struct pmap *m, uint64_t v)
{
    if (m->recs && v) atomic_fetch_add(&((struct ov_rec *)(uintptr_t)v)->refs, 1);
}

static void pm_val_unref(const struct pmap *m, uint64_t v)
{
    if (m->recs && v) rec_unref((struct ov_rec *)(uintptr_t)v);
}

static void pm_unref(const struct pmap *m, struct pm_node *n, int level)
{
    if (!n || atomic_fetch_sub(&n->refs, 1) != 1) return;
    for (int i = 0; i < PM_FAN; i++) {
        if (!n->s[i]) continue;
        if (level)
            pm_unref(m, (struct pm_node *)(uintptr_t)n->s[i], level - 1);
        else
            pm_val_unref(m, n->s[i]);
    }
    free(n);
}

static uint64_t pm_get(const struct pmap *m, uint64_t key)
{
    if (!m->root || (m->height < PM_MAXH && key >> (6 * m->height))) return 0;
    struct pm_node *n = m->root;
    for (int level = m->height - 1;; level--) {
        uint64_t v = n->s[(key >> (6 * level)) & 63];
        if (!level || !v) return v;
        n = (struct pm_node *)(uintptr_t)v;
    }
}

/* A private copy of n (or n itself when not shared). NULL on ENOMEM. */
static struct pm_node *pm_priv(const struct pmap *m, struct pm_node *n, int level)
{
    if (atomic_load(&n->refs) == 1) return n;
    struct pm_node *c = malloc(sizeof *c);
    if (!c) return NULL;
    atomic_init(&c->refs, 1);
    memcpy(c->s, n->s, sizeof c->s);
    for (int i = 0; i < PM_FAN; i++) {
        if (!c->s[i]) continue;
        if (level)
            atomic_fetch_add(&((struct pm_node *)(uintptr_t)c->s[i])->refs, 1);
        else
            pm_val_ref(m, c->s[i]);
    }
    pm_unref(m, n, level);
    return c;
}

static struct pm_node *pm_new(void)
{
    struct pm_node *n = calloc(1, sizeof *n);
    if (n) atomic_init(&n->refs, 1);
    return n;
}

/* The slot of key, on a path private to m. */
static int pm_slot(struct pmap *m, uint64_t key, uint64_t **slot)
{
    if (!m->root) {
        if (!(m->root = pm_new())) return -ENOMEM;
        m->height = 1;
    }
    while (m->height < PM_MAXH && key >> (6 * m->height)) {
        struct pm_node *n = pm_new();
        if (!n) return -ENOMEM;
        n->s[0] = (uintptr_t)m->root;
        m->root = n;
        m->height++;
    }
    struct pm_node *n = pm_priv(m, m->root, m->height - 1);
    if (!n) return -ENOMEM;
    m->root = n;
    for (int level = m->height - 1; level > 0; level--) {
        uint64_t *s = &n->s[(key >> (6 * level)) & 63];
        struct pm_node *c = *s ? pm_priv(m, (struct pm_node *)(uintptr_t)*s, level - 1) : pm_new();
        if (!c) return -ENOMEM;
        *s = (uintptr_t)c;
        n = c;
    }
    *slot = &n->s[key & 63];
    return 0;
}

/* Set key to v (taking over v's reference); 0 removes. */
static int pm_set(struct pmap *m, uint64_t key, uint64_t v)
{
    uint64_t *s;
    int r = pm_slot(m, key, &s);
    if (r < 0) {
        pm_val_unref(m, v);
        return r;
    }
    pm_val_unref(m, *s);
    *s = v;
    return 0;
}

static struct pmap pm_share(const struct pmap *m)
{
    if (m->root) atomic_fetch_add(&m->root->refs, 1);
    return *m;
}

static void pm_drop(struct pmap *m)
{
    pm_unref(m, m->root, m->height - 1);
    m->root = NULL;
    m->height = 0;
}

/* ---- the instance ---------------------------------------------------- */

/* Where lower non-directories were found: lower ino -> lower directory.
 * A fact about the (immutable) lower, so shared by every clone. */
struct ov_hints {
    atomic_int refs;
    pthread_mutex_t lock;
    uint64_t *keys, *vals;
    size_t cap, count;
};

struct ov_open {
    uint64_t ino;
    int upper, lower; /* open counts taken on each side */
};

struct overlay {
    struct vfs_fs fs;
    struct vfs_fs *upper, *lower;
    uint64_t uroot, uindex; /* upper inos of r/ and i/ */
    struct pmap l2u, umap;
    struct ov_hints *hints;
    struct ov_open *opens;
    size_t nopens;
};

struct ov_snap {
    void *upper;
    const struct vfs_ops *uops; /* the upper's (memfs) */
    struct pmap l2u, umap;
    uint64_t uroot, uindex;
};

static const struct vfs_ops overlay_ops;
#define OV(fs) ((struct overlay *)(fs))
#define U_OPS (o->upper->ops)
#define L_OPS (o->lower->ops)

static void hints_put(struct ov_hints *h)
{
    if (h && atomic_fetch_sub(&h->refs, 1) == 1) {
        pthread_mutex_destroy(&h->lock);
        free(h->keys);
        free(h->vals);
        free(h);
    }
}

static size_t hint_slot(const struct ov_hints *h, uint64_t k)
{
    size_t i = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 17) & (h->cap - 1);
    while (h->keys[i] && h->keys[i] != k) i = (i + 1) & (h->cap - 1);
    return i;
}

static void hint_note(struct ov_hints *h, uint64_t ino, uint64_t dir)
{
    pthread_mutex_lock(&h->lock);
    if ((h->count + 1) * 2 > h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 1024;
        uint64_t *nk = calloc(ncap, sizeof *nk), *nv = calloc(ncap, sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            pthread_mutex_unlock(&h->lock);
            return;
        }
        uint64_t *ok = h->keys, *ov = h->vals;
        size_t ocap = h->cap;
        h->keys = nk;
        h->vals = nv;
        h->cap = ncap;
        for (size_t i = 0; i < ocap; i++)
            if (ok[i]) {
                size_t s = hint_slot(h, ok[i]);
                h->keys[s] = ok[i];
                h->vals[s] = ov[i];
            }
        free(ok);
        free(ov);
    }
    size_t s = hint_slot(h, ino);
    if (!h->keys[s]) {
        h->keys[s] = ino;
        h->vals[s] = dir;
        h->count++;
    }
    pthread_mutex_unlock(&h->lock);
}

static uint64_t hint_get(struct ov_hints *h, uint64_t ino)
{
    pthread_mutex_lock(&h->lock);
    uint64_t v = 0;
    if (h->cap) {
        size_t s = hint_slot(h, ino);
        if (h->keys[s]) v = h->vals[s];
    }
    pthread_mutex_unlock(&h->lock);
    return v;
}

/* The upper with the overlay's clock and limits. */
static struct vfs_fs *ov_up(struct overlay *o)
{
    o->upper->now = o->fs.now;
    o->upper->now_ctx = o->fs.now_ctx;
    o->upper->max_bytes = o->fs.max_bytes;
    o->upper->max_inodes = o->fs.max_inodes;
    return o->upper;
}

static void ov_sync(struct overlay *o)
{
    o->fs.used_bytes = o->upper->used_bytes;
    o->fs.used_inodes = o->upper->used_inodes;
}

static struct ov_rec *ov_rec_of(struct overlay *o, uint64_t u)
{
    return (struct ov_rec *)(uintptr_t)pm_get(&o->umap, u);
}

/* The overlay's number for upper node u. */
static uint64_t ov_ino_of_upper(struct overlay *o, uint64_t u)
{
    struct ov_rec *r = ov_rec_of(o, u);
    return r && r->lower ? r->lower : u | OV_TOP;
}

/* The upper copy of overlay node ino (0: none). */
static uint64_t ov_upper_of(struct overlay *o, uint64_t ino)
{
    if (ino & OV_TOP) return ino & ~OV_TOP;
    return pm_get(&o->l2u, ino);
}

/* A mutable record of upper node u (copied if shared). */
static int ov_rec_mut(struct overlay *o, uint64_t u, struct ov_rec **out)
{
    uint64_t *s;
    int r = pm_slot(&o->umap, u, &s);
    if (r < 0) return r;
    struct ov_rec *rec = (struct ov_rec *)(uintptr_t)*s;
    if (!rec) return -ENOENT;
    if (atomic_load(&rec->refs) > 1) {
        struct ov_rec *c = malloc(sizeof *c);
        if (!c) return -ENOMEM;
        *c = *rec;
        atomic_init(&c->refs, 1);
        c->bits = NULL;
        uint64_t words = (rec->base + OV_CHUNK * 64 - 1) / (OV_CHUNK * 64);
        if (rec->bits && words) {
            if (!(c->bits = malloc(words * 8))) {
                free(c);
                return -ENOMEM;
            }
            memcpy(c->bits, rec->bits, words * 8);
        }
        rec_unref(rec);
        *s = (uintptr_t)c;
        rec = c;
    }
    *out = rec;
    return 0;
}

static int ov_is_whiteout(struct overlay *o, uint64_t u)
{
    struct stat st;
    return U_OPS->getattr(o->upper, u, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == 0;
}

/* Look name up in upper directory u: 1 found (whiteout: 2), 0 absent. */
static int ov_up_lookup(struct overlay *o, uint64_t u, const char *name, uint64_t *out)
{
    if (!u) return 0;
    int r = U_OPS->lookup(o->upper, u, name, out);
    if (r == -ENOENT) return 0;
    if (r < 0) return r;
    return ov_is_whiteout(o, *out) ? 2 : 1;
}

/* The lower directory merged under overlay directory ino (0: none). */
static uint64_t ov_lower_dir(uint64_t ino)
{
    return ino & OV_TOP ? 0 : ino;
}

static int ov_low_lookup(struct overlay *o, uint64_t ldir, const char *name, uint64_t *out)
{
    if (!ldir) return -ENOENT;
    int r = L_OPS->lookup(o->lower, ldir, name, out);
    if (r == 0 && (*out & OV_TOP)) return -EOVERFLOW;
    return r;
}

static void hexname(char buf[32], uint64_t ino)
{
    snprintf(buf, 32, "%016llx", (unsigned long long)ino);
}

/* ---- copy-up ----------------------------------------------------------- */

static int ov_new_rec(struct overlay *o, uint64_t u, uint64_t l, const struct stat *st)
{
    struct ov_rec *rec = calloc(1, sizeof *rec);
    if (!rec) return -ENOMEM;
    atomic_init(&rec->refs, 1);
    rec->lower = l;
    rec->base = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
    rec->nlink = st->st_nlink;
    rec->indexed = 1;
    int r = pm_set(&o->umap, u, (uintptr_t)rec);
    if (r == 0 && (r = pm_set(&o->l2u, l, u)) < 0) pm_set(&o->umap, u, 0);
    return r;
}

static int ov_copyup_dir(struct overlay *o, uint64_t ino, uint64_t *up, int depth);

/* Make the copy of lower node l in the index, with its attributes. */
static int ov_copyup_make(struct overlay *o, uint64_t l, const struct stat *st, uint64_t *up)
{
    struct vfs_fs *u = ov_up(o);
    char name[32], target[VFS_PATH_MAX];
    hexname(name, l);
    struct vfs_newnode nn = {st->st_mode, st->st_uid, st->st_gid, st->st_rdev, NULL};
    if (S_ISLNK(st->st_mode)) {
        ssize_t n = L_OPS->readlink(o->lower, l, target, sizeof target - 1);
        if (n < 0) return (int)n;
        target[n] = 0;
        nn.target = target;
    } else if ((S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) && st->st_rdev == 0) {
        return -EACCES; /* a host device shown as inaccessible */
    }
    uint64_t n;
    int r = u->ops->mknode(u, o->uindex, name, &nn, &n);
    if (r < 0) return r;
    struct vfs_setattr set = {
        .mask = VFS_SET_ATIME | VFS_SET_MTIME, .atime = st->st_atim, .mtime = st->st_mtim};
    if (S_ISREG(st->st_mode)) {
        set.mask |= VFS_SET_SIZE;
        set.size = st->st_size;
    }
    if (!S_ISLNK(st->st_mode)) r = u->ops->setattr(u, n, &set);
    if (r == 0) r = ov_new_rec(o, n, l, st);
    if (r < 0) {
        if (S_ISDIR(st->st_mode))
            u->ops->rmdir(u, o->uindex, name);
        else
            u->ops->unlink(u, o->uindex, name);
        return r;
    }
    *up = n;
    return 0;
}

static int ov_copyup_dir(struct overlay *o, uint64_t ino, uint64_t *up, int depth)
{
    if ((*up = ov_upper_of(o, ino))) return 0;
    if (depth > VFS_PATH_MAX) return -ELOOP;
    struct stat st;
    int r = L_OPS->getattr(o->lower, ino, &st);
    if (r < 0) return r;
    if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
    /* The directories above first: every copy is reachable from r/. */
    uint64_t parent, pu;
    if ((r = L_OPS->lookup(o->lower, ino, "..", &parent)) < 0) return r;
    if (parent != ino && (r = ov_copyup_dir(o, parent, &pu, depth + 1)) < 0) return r;
    return ov_copyup_make(o, ino, &st, up);
}

/* The upper copy of overlay node ino, made if needed (metadata only). */
static int ov_copyup(struct overlay *o, uint64_t ino, uint64_t *up)
{
    if ((*up = ov_upper_of(o, ino))) return 0;
    struct stat st;
    int r = L_OPS->getattr(o->lower, ino, &st);
    if (r < 0) return r;
    if (S_ISDIR(st.st_mode)) return ov_copyup_dir(o, ino, up, 0);
    uint64_t dir = hint_get(o->hints, ino), du;
    if (dir && (r = ov_copyup_dir(o, dir, &du, 0)) < 0) return r;
    return ov_copyup_make(o, ino, &st, up);
}

/* ---- lookups ------------------------------------------------------------- */

static int ov_lookup_in(struct overlay *o, uint64_t dir, const char *name, uint64_t *ino)
{
    uint64_t u = ov_upper_of(o, dir), e;
    if (!strcmp(name, "..")) {
        if (dir == o->fs.root_ino) return *ino = dir, 0;
        if (u) {
            int r = U_OPS->lookup(o->upper, u, "..", &e);
            if (r < 0) return r;
            if (e != o->uindex) return *ino = ov_ino_of_upper(o, e), 0;
        }
        if (dir & OV_TOP) return -ENOENT;
        return L_OPS->lookup(o->lower, dir, "..", ino);
    }
    int r = ov_up_lookup(o, u, name, &e);
    if (r < 0) return r;
    if (r == 2) return -ENOENT;
    if (r == 1) return *ino = ov_ino_of_upper(o, e), 0;
    uint64_t ldir = ov_lower_dir(dir);
    if ((r = ov_low_lookup(o, ldir, name, ino)) < 0) return r;
    if (!ov_upper_of(o, *ino)) hint_note(o->hints, *ino, ldir);
    return 0;
}

static int overlay_lookup(struct vfs_fs *fs, uint64_t dir, const char *name, uint64_t *ino)
{
    return ov_lookup_in(OV(fs), dir, name, ino);
}

static int overlay_getattr(struct vfs_fs *fs, uint64_t ino, struct stat *st)
{
    struct overlay *o = OV(fs);
    uint64_t u = ov_upper_of(o, ino);
    int r;
    if (u) {
        if ((r = U_OPS->getattr(o->upper, u, st)) < 0) return r;
        struct ov_rec *rec = ov_rec_of(o, u);
        if (rec && rec->lower) {
            if (S_ISDIR(st->st_mode))
                st->st_nlink = rec->nlink;
            else if (rec->indexed)
                st->st_nlink = st->st_nlink - 1 + rec->nlink;
        }
    } else if ((r = L_OPS->getattr(o->lower, ino, st)) < 0) {
        return r;
    }
    st->st_ino = ino;
    st->st_dev = fs->dev;
    return 0;
}

static int overlay_setattr(struct vfs_fs *fs, uint64_t ino, const struct vfs_setattr *set)
{
    struct overlay *o = OV(fs);
    uint64_t u;
    int r = ov_copyup(o, ino, &u);
    if (r < 0) return r;
    struct vfs_fs *up = ov_up(o);
    struct ov_rec *rec = ov_rec_of(o, u);
    if ((set->mask & VFS_SET_SIZE) && rec && (uint64_t)set->size < rec->base) {
        if ((r = ov_rec_mut(o, u, &rec)) < 0) return r;
    }
    r = up->ops->setattr(up, u, set);
    if (r == 0 && (set->mask & VFS_SET_SIZE) && rec && (uint64_t)set->size < rec->base)
        rec->base = (uint64_t)set->size;
    ov_sync(o);
    return r;
}

static int ov_chunk_copied(const struct ov_rec *rec, uint64_t idx)
{
    if (!rec || !rec->lower || idx * OV_CHUNK >= rec->base) return 1;
    return rec->bits && (rec->bits[idx / 64] >> (idx % 64) & 1);
}

/* Read lower bytes [off, off+n) of rec's origin, zeros past its end. */
static ssize_t ov_read_lower(struct overlay *o, uint64_t l, char *buf, size_t n, off_t off)
{
    size_t done = 0;
    while (done < n) {
        ssize_t g = L_OPS->read(o->lower, l, buf + done, n - done, off + (off_t)done);
        if (g < 0) return g;
        if (g == 0) {
            memset(buf + done, 0, n - done);
            break;
        }
        done += (size_t)g;
    }
    return (ssize_t)n;
}

static ssize_t overlay_read(struct vfs_fs *fs, uint64_t ino, void *buf, size_t n, off_t off)
{
    struct overlay *o = OV(fs);
    uint64_t u = ov_upper_of(o, ino);
    if (!u) return L_OPS->read(o->lower, ino, buf, n, off);
    struct ov_rec *rec = ov_rec_of(o, u);
    if (!rec || !rec->lower || (uint64_t)off >= rec->base)
        return U_OPS->read(o->upper, u, buf, n, off);
    struct stat st;
    int r = U_OPS->getattr(o->upper, u, &st);
    if (r < 0) return r;
    if (S_ISDIR(st.st_mode)) return -EISDIR;
    if (off >= st.st_size) return 0;
    if ((uint64_t)n > (uint64_t)(st.st_size - off)) n = (size_t)(st.st_size - off);
    size_t done = 0;
    while (done < n) {
        uint64_t at = (uint64_t)off + done, idx = at / OV_CHUNK;
        size_t piece = (size_t)((idx + 1) * OV_CHUNK - at);
        if (piece > n - done) piece = n - done;
        ssize_t g;
        if (ov_chunk_copied(rec, idx)) {
            g = U_OPS->read(o->upper, u, (char *)buf + done, piece, (off_t)at);
            if (g >= 0 && (size_t)g < piece) memset((char *)buf + done + g, 0, piece - (size_t)g);
        } else {
            size_t low = at < rec->base ? (size_t)(rec->base - at) : 0;
            if (low > piece) low = piece;
            g = ov_read_lower(o, rec->lower, (char *)buf + done, low, (off_t)at);
            if (g >= 0 && low < piece) memset((char *)buf + done + low, 0, piece - low);
        }
        if (g < 0) return done ? (ssize_t)done : g;
        done += piece;
    }
    return (ssize_t)done;
}

/* Copy the chunks [off, off+n) touches into the upper (partly covered ones). */
static int ov_fill_chunks(struct overlay *o, uint64_t u, struct ov_rec *rec, uint64_t off,
                          uint64_t n)
{
    if (!rec || !rec->lower || off >= rec->base || !n) return 0;
    uint64_t first = off / OV_CHUNK, last = (off + n - 1) / OV_CHUNK;
    char *buf = NULL;
    int r = 0;
    for (uint64_t idx = first; idx <= last && idx * OV_CHUNK < rec->base; idx++) {
        if (ov_chunk_copied(rec, idx)) continue;
        if (!rec->bits) {
            uint64_t words = (rec->base + OV_CHUNK * 64 - 1) / (OV_CHUNK * 64);
            if (!(rec->bits = calloc(words, 8))) return -ENOMEM;
        }
        uint64_t cs = idx * OV_CHUNK, ce = cs + OV_CHUNK;
        if (ce > rec->base) ce = rec->base;
        if (!(off <= cs && off + n >= ce)) { /* partly covered: keep its other bytes */
            if (!buf && !(buf = malloc(OV_CHUNK))) return -ENOMEM;
            ssize_t g = ov_read_lower(o, rec->lower, buf, ce - cs, (off_t)cs);
            if (g < 0) {
                r = (int)g;
                break;
            }
            struct vfs_fs *up = ov_up(o);
            ssize_t w = up->ops->write(up, u, buf, ce - cs, (off_t)cs);
            if (w < 0) {
                r = (int)w;
                break;
            }
        }
        rec->bits[idx / 64] |= 1ull << (idx % 64);
    }
    free(buf);
    return r;
}

static ssize_t overlay_write(struct vfs_fs *fs, uint64_t ino, const void *buf, size_t n, off_t off)
{
    struct overlay *o = OV(fs);
    uint64_t u;
    int r = ov_copyup(o, ino, &u);
    if (r < 0) return r;
    struct ov_rec *rec = ov_rec_of(o, u);
    if (rec && rec->lower && (uint64_t)off < rec->base) {
        if ((r = ov_rec_mut(o, u, &rec)) < 0) return r;
        if ((r = ov_fill_chunks(o, u, rec, (uint64_t)off, n)) < 0) {
            ov_sync(o);
            return r;
        }
    }
    struct vfs_fs *up = ov_up(o);
    ssize_t w = up->ops->write(up, u, buf, n, off);
    ov_sync(o);
    return w;
}

/* ---- directories ---------------------------------------------------------- */

/* Cookies: the upper's entries first (the cookie as memfs gives it), then
 * the lower's (top bit set, the lower's cookie below it). */
static int overlay_readdir(struct vfs_fs *fs, uint64_t dir, uint64_t *cookie,
                           struct vfs_dirent *out)
{
    struct overlay *o = OV(fs);
    uint64_t u = ov_upper_of(o, dir);
    int r;
    if (!(*cookie & OV_TOP) && u) {
        while ((r = U_OPS->readdir(o->upper, u, cookie, out)) > 0) {
            if (out->type == DT_CHR && ov_is_whiteout(o, out->ino)) continue;
            out->ino = ov_ino_of_upper(o, out->ino);
            return 1;
        }
        if (r < 0) return r;
        *cookie = OV_TOP;
    }
    uint64_t ldir = ov_lower_dir(dir);
    if (!ldir) return 0;
    uint64_t lc = *cookie & ~OV_TOP;
    for (;;) {
        r = L_OPS->readdir(o->lower, ldir, &lc, out);
        *cookie = lc | OV_TOP;
        if (r <= 0) return r;
        uint64_t e;
        int h = ov_up_lookup(o, u, out->name, &e);
        if (h < 0) return h;
        if (h) continue; /* listed above, or whited out */
        return 1;
    }
}

static int ov_dir_empty(struct overlay *o, uint64_t dir)
{
    uint64_t c = 0;
    struct vfs_dirent d;
    int r = overlay_readdir(&o->fs, dir, &c, &d);
    return r < 0 ? r : r == 0;
}

static int ov_whiteout(struct overlay *o, uint64_t udir, const char *name)
{
    struct vfs_newnode nn = {S_IFCHR, 0, 0, 0, NULL};
    uint64_t n;
    struct vfs_fs *up = ov_up(o);
    return up->ops->mknode(up, udir, name, &nn, &n);
}

/* Remove a whiteout named name in udir, if any. */
static int ov_clear_whiteout(struct overlay *o, uint64_t udir, const char *name)
{
    uint64_t e;
    int r = ov_up_lookup(o, udir, name, &e);
    if (r == 2) return U_OPS->unlink(o->upper, udir, name);
    return r < 0 ? r : 0;
}

/* Remove the whiteouts in upper directory u (before it goes). */
static int ov_clear_whiteouts(struct overlay *o, uint64_t u)
{
    uint64_t c = 0;
    struct vfs_dirent d;
    int r;
    while ((r = U_OPS->readdir(o->upper, u, &c, &d)) > 0)
        if (d.type == DT_CHR && ov_is_whiteout(o, d.ino) &&
            (r = U_OPS->unlink(o->upper, u, d.name)) < 0)
            return r;
    return r;
}

/* Forget the copy of lower node l (its copy is gone). */
static void ov_forget(struct overlay *o, uint64_t ino, uint64_t u)
{
    if (ino & OV_TOP) return;
    pm_set(&o->l2u, ino, 0);
    pm_set(&o->umap, u, 0);
}

static int overlay_mknode(struct vfs_fs *fs, uint64_t dir, const char *name,
                          const struct vfs_newnode *nn, uint64_t *ino)
{
    struct overlay *o = OV(fs);
    uint64_t x, ud, n;
    int r = ov_lookup_in(o, dir, name, &x);
    if (r == 0) return -EEXIST;
    if (r != -ENOENT) return r;
    if ((S_ISCHR(nn->mode) || S_ISBLK(nn->mode)) && nn->rdev == 0) return -EPERM;
    if ((r = ov_copyup(o, dir, &ud)) < 0) return r;
    if ((r = ov_clear_whiteout(o, ud, name)) < 0) return r;
    struct vfs_fs *up = ov_up(o);
    r = up->ops->mknode(up, ud, name, nn, &n);
    if (r == 0) *ino = n | OV_TOP;
    ov_sync(o);
    return r;
}

static int overlay_link(struct vfs_fs *fs, uint64_t ino, uint64_t dir, const char *name)
{
    struct overlay *o = OV(fs);
    uint64_t x, u, ud;
    int r = ov_lookup_in(o, dir, name, &x);
    if (r == 0) return -EEXIST;
    if (r != -ENOENT) return r;
    if ((r = ov_copyup(o, ino, &u)) < 0 || (r = ov_copyup(o, dir, &ud)) < 0) return r;
    if ((r = ov_clear_whiteout(o, ud, name)) < 0) return r;
    struct vfs_fs *up = ov_up(o);
    r = up->ops->link(up, u, ud, name);
    ov_sync(o);
    return r;
}

/* Remove name from dir: the upper entry, and a whiteout over the lower's. */
static int ov_remove(struct overlay *o, uint64_t dir, const char *name, int isdir)
{
    uint64_t x, ud, e;
    struct stat st;
    int r = ov_lookup_in(o, dir, name, &x);
    if (r < 0) return r;
    if ((r = overlay_getattr(&o->fs, x, &st)) < 0) return r;
    if (isdir && !S_ISDIR(st.st_mode)) return -ENOTDIR;
    if (!isdir && S_ISDIR(st.st_mode)) return -EISDIR;
    if (isdir && (r = ov_dir_empty(o, x)) != 1) return r < 0 ? r : -ENOTEMPTY;
    if ((r = ov_copyup(o, dir, &ud)) < 0) return r;
    struct vfs_fs *up = ov_up(o);
    uint64_t xu = ov_upper_of(o, x);
    if (isdir && xu && (r = ov_clear_whiteouts(o, xu)) < 0) return r;
    int in_upper = ov_up_lookup(o, ud, name, &e);
    if (in_upper == 1) {
        r = isdir ? up->ops->rmdir(up, ud, name) : up->ops->unlink(up, ud, name);
        if (r < 0) return r;
    } else if (isdir && xu) { /* a copy in the index */
        char hn[32];
        hexname(hn, x);
        if ((r = up->ops->rmdir(up, o->uindex, hn)) < 0) return r;
    }
    if (isdir && xu) ov_forget(o, x, xu);
    uint64_t lx;
    if (ov_low_lookup(o, ov_lower_dir(dir), name, &lx) == 0) r = ov_whiteout(o, ud, name);
    ov_sync(o);
    return r;
}

static int overlay_unlink(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    return ov_remove(OV(fs), dir, name, 0);
}

static int overlay_rmdir(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    return ov_remove(OV(fs), dir, name, 1);
}

static int overlay_rename(struct vfs_fs *fs, uint64_t olddir, const char *oldname, uint64_t newdir,
                          const char *newname)
{
    struct overlay *o = OV(fs);
    uint64_t src, dst = 0, uo, un, e;
    struct stat sst, dst_st;
    int r = ov_lookup_in(o, olddir, oldname, &src);
    if (r < 0) return r;
    if ((r = overlay_getattr(fs, src, &sst)) < 0) return r;
    r = ov_lookup_in(o, newdir, newname, &dst);
    if (r < 0 && r != -ENOENT) return r;
    int exists = r == 0;
    if (exists) {
        if (dst == src) return 0;
        if ((r = overlay_getattr(fs, dst, &dst_st)) < 0) return r;
        if (S_ISDIR(sst.st_mode) && !S_ISDIR(dst_st.st_mode)) return -ENOTDIR;
        if (!S_ISDIR(sst.st_mode) && S_ISDIR(dst_st.st_mode)) return -EISDIR;
        if (S_ISDIR(dst_st.st_mode) && (r = ov_dir_empty(o, dst)) != 1)
            return r < 0 ? r : -ENOTEMPTY;
    }
    if ((r = ov_copyup(o, olddir, &uo)) < 0 || (r = ov_copyup(o, newdir, &un)) < 0) return r;
    struct vfs_fs *up = ov_up(o);
    /* Where the source's upper entry is: its directory, or the index. */
    uint64_t sdir = uo, su;
    char sname[VFS_NAME_MAX + 1];
    snprintf(sname, sizeof sname, "%s", oldname);
    if ((r = ov_up_lookup(o, uo, oldname, &e)) < 0) return r;
    if (r != 1) {
        if ((r = ov_copyup(o, src, &su)) < 0) return r;
        sdir = o->uindex;
        hexname(sname, src);
    }
    /* Make room at the destination. */
    if ((r = ov_up_lookup(o, un, newname, &e)) < 0) return r;
    if (r == 2 && (r = up->ops->unlink(up, un, newname)) < 0) return r;
    if (r == 1 && S_ISDIR(dst_st.st_mode) && (r = ov_clear_whiteouts(o, e)) < 0) return r;
    if (exists && S_ISDIR(dst_st.st_mode) && r != 1) {
        uint64_t du = ov_upper_of(o, dst);
        char hn[32];
        hexname(hn, dst);
        if (du &&
            ((r = ov_clear_whiteouts(o, du)) < 0 || (r = up->ops->rmdir(up, o->uindex, hn)) < 0))
            return r;
        if (du) ov_forget(o, dst, du);
    }
    uint64_t dst_u = exists && S_ISDIR(dst_st.st_mode) ? ov_upper_of(o, dst) : 0;
    if ((r = up->ops->rename(up, sdir, sname, un, newname)) < 0) {
        ov_sync(o);
        return r;
    }
    if (dst_u) ov_forget(o, dst, dst_u);
    uint64_t moved = ov_upper_of(o, src);
    struct ov_rec *rec = ov_rec_of(o, moved);
    if (rec && rec->indexed && sdir == o->uindex && ov_rec_mut(o, moved, &rec) == 0)
        rec->indexed = 0;
    uint64_t lx;
    if (ov_low_lookup(o, ov_lower_dir(olddir), oldname, &lx) == 0) r = ov_whiteout(o, uo, oldname);
    ov_sync(o);
    return r;
}

static ssize_t overlay_readlink(struct vfs_fs *fs, uint64_t ino, char *buf, size_t n)
{
    struct overlay *o = OV(fs);
    uint64_t u = ov_upper_of(o, ino);
    return u ? U_OPS->readlink(o->upper, u, buf, n) : L_OPS->readlink(o->lower, ino, buf, n);
}

static int overlay_statfs(struct vfs_fs *fs, struct statvfs *sv)
{
    struct overlay *o = OV(fs);
    int r = L_OPS->statfs ? L_OPS->statfs(o->lower, sv) : 0;
    sv->f_flag &= ~(unsigned long)ST_RDONLY;
    sv->f_fsid = fs->dev;
    return r;
}

/* ---- open counts ------------------------------------------------------------- */

static struct ov_open *ov_open_ent(struct overlay *o, uint64_t ino, int make)
{
    for (size_t i = 0; i < o->nopens; i++)
        if (o->opens[i].ino == ino) return &o->opens[i];
    if (!make) return NULL;
    struct ov_open *n = realloc(o->opens, (o->nopens + 1) * sizeof *n);
    if (!n) return NULL;
    o->opens = n;
    n[o->nopens] = (struct ov_open){ino, 0, 0};
    return &n[o->nopens++];
}

static void overlay_open(struct vfs_fs *fs, uint64_t ino)
{
    struct overlay *o = OV(fs);
    struct ov_open *e = ov_open_ent(o, ino, 1);
    if (!e) return;
    uint64_t u = ov_upper_of(o, ino);
    if (u) {
        e->upper++;
        if (U_OPS->open) U_OPS->open(o->upper, u);
    } else {
        e->lower++;
        if (L_OPS->open) L_OPS->open(o->lower, ino);
    }
}

static void overlay_close(struct vfs_fs *fs, uint64_t ino)
{
    struct overlay *o = OV(fs);
    struct ov_open *e = ov_open_ent(o, ino, 0);
    if (!e) return;
    if (e->lower) {
        e->lower--;
        if (L_OPS->close) L_OPS->close(o->lower, ino);
    } else if (e->upper) {
        e->upper--;
        uint64_t u = ov_upper_of(o, ino);
        if (u && U_OPS->close) U_OPS->close(o->upper, u);
    }
    if (!e->lower && !e->upper) *e = o->opens[--o->nopens];
}

/* ---- sharing ------------------------------------------------------------------ */

static struct overlay *ov_alloc(struct vfs_fs *lower, struct vfs_fs *upper)
{
    struct overlay *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    o->fs.ops = &overlay_ops;
    o->lower = lower;
    o->upper = upper;
    o->umap.recs = 1;
    return o;
}

static struct vfs_fs *overlay_clone(struct vfs_fs *fs)
{
    struct overlay *o = OV(fs);
    if (!L_OPS->clone || !U_OPS->clone) return NULL;
    struct vfs_fs *lower = L_OPS->clone(o->lower);
    struct vfs_fs *upper = lower ? U_OPS->clone(o->upper) : NULL;
    struct overlay *c = upper ? ov_alloc(lower, upper) : NULL;
    if (!c) {
        if (upper) upper->ops->destroy(upper);
        if (lower) lower->ops->destroy(lower);
        return NULL;
    }
    struct vfs_fs hdr = c->fs;
    c->fs = o->fs;
    c->fs.ops = hdr.ops;
    c->uroot = o->uroot;
    c->uindex = o->uindex;
    c->l2u = pm_share(&o->l2u);
    c->umap = pm_share(&o->umap);
    c->hints = o->hints;
    atomic_fetch_add(&c->hints->refs, 1);
    return &c->fs;
}

static void *overlay_snapshot(struct vfs_fs *fs)
{
    struct overlay *o = OV(fs);
    if (!U_OPS->snapshot) return NULL;
    struct ov_snap *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->uops = U_OPS;
    if (!(s->upper = U_OPS->snapshot(o->upper))) {
        free(s);
        return NULL;
    }
    s->l2u = pm_share(&o->l2u);
    s->umap = pm_share(&o->umap);
    s->uroot = o->uroot;
    s->uindex = o->uindex;
    return s;
}

static void overlay_snapshot_free(void *snap)
{
    struct ov_snap *s = snap;
    if (!s) return;
    s->uops->snapshot_free(s->upper);
    pm_drop(&s->l2u);
    pm_drop(&s->umap);
    free(s);
}

static int overlay_restore(struct vfs_fs *fs, void *snap)
{
    struct overlay *o = OV(fs);
    struct ov_snap *s = snap;
    int r = U_OPS->restore(o->upper, s->upper);
    if (r < 0) return r;
    pm_drop(&o->l2u);
    pm_drop(&o->umap);
    o->l2u = pm_share(&s->l2u);
    o->umap = pm_share(&s->umap);
    o->uroot = s->uroot;
    o->uindex = s->uindex;
    ov_sync(o);
    return 0;
}

static void overlay_destroy(struct vfs_fs *fs)
{
    struct overlay *o = OV(fs);
    if (!o) return;
    if (o->upper) o->upper->ops->destroy(o->upper);
    if (o->lower) o->lower->ops->destroy(o->lower);
    pm_drop(&o->l2u);
    pm_drop(&o->umap);
    hints_put(o->hints);
    free(o->opens);
    free(o);
}

static const struct vfs_ops overlay_ops = {
    .lookup = overlay_lookup,
    .getattr = overlay_getattr,
    .setattr = overlay_setattr,
    .read = overlay_read,
    .write = overlay_write,
    .readdir = overlay_readdir,
    .mknode = overlay_mknode,
    .link = overlay_link,
    .unlink = overlay_unlink,
    .rmdir = overlay_rmdir,
    .rename = overlay_rename,
    .readlink = overlay_readlink,
    .statfs = overlay_statfs,
    .open = overlay_open,
    .close = overlay_close,
    .clone = overlay_clone,
    .snapshot = overlay_snapshot,
    .restore = overlay_restore,
    .snapshot_free = overlay_snapshot_free,
    .destroy = overlay_destroy,
};

int overlay_is(const struct vfs_fs *fs)
{
    return fs && fs->ops == &overlay_ops;
}

struct vfs_fs *overlay_lower(struct vfs_fs *fs)
{
    return overlay_is(fs) ? OV(fs)->lower : NULL;
}

/* A fresh upper: memfs with r/ (origin: the lower root) and i/. */
static int ov_init_upper(struct overlay *o)
{
    struct stat st;
    int r = L_OPS->getattr(o->lower, o->lower->root_ino, &st);
    if (r < 0) return r;
    struct vfs_fs *u = memfs_new(o->fs.dev, 0, 0);
    if (!u) return -ENOMEM;
    struct vfs_newnode nn = {S_IFDIR | 0700, 0, 0, 0, NULL};
    uint64_t root, index;
    if ((r = u->ops->mknode(u, u->root_ino, "i", &nn, &index)) < 0 ||
        (r = u->ops->mknode(u, u->root_ino, "r", &nn, &root)) < 0) {
        u->ops->destroy(u);
        return r;
    }
    struct vfs_setattr set = {.mask = VFS_SET_MODE | VFS_SET_UID | VFS_SET_GID | VFS_SET_ATIME |
                                      VFS_SET_MTIME,
                              .mode = st.st_mode & 07777,
                              .uid = st.st_uid,
                              .gid = st.st_gid,
                              .atime = st.st_atim,
                              .mtime = st.st_mtim};
    u->ops->setattr(u, root, &set);
    struct pmap l2u = {0}, umap = {.recs = 1};
    struct pmap ol = o->l2u, ou = o->umap;
    o->l2u = l2u;
    o->umap = umap;
    struct ov_rec *rec = calloc(1, sizeof *rec);
    r = -ENOMEM;
    if (rec) {
        atomic_init(&rec->refs, 1);
        rec->lower = o->lower->root_ino;
        rec->nlink = st.st_nlink;
        r = pm_set(&o->umap, root, (uintptr_t)rec);
        if (r == 0) r = pm_set(&o->l2u, o->lower->root_ino, root);
    }
    if (r < 0) {
        pm_drop(&o->l2u);
        pm_drop(&o->umap);
        o->l2u = ol;
        o->umap = ou;
        u->ops->destroy(u);
        return r;
    }
    pm_drop(&ol);
    pm_drop(&ou);
    if (o->upper) o->upper->ops->destroy(o->upper);
    o->upper = u;
    o->uroot = root;
    o->uindex = index;
    ov_sync(o);
    return 0;
}

struct vfs_fs *overlay_new(struct vfs_fs *lower, uint64_t dev, int *err)
{
    int e;
    if (!err) err = &e;
    if (lower->root_ino & OV_TOP) {
        *err = -EOVERFLOW;
        return NULL;
    }
    struct overlay *o = ov_alloc(lower, NULL);
    struct ov_hints *h = calloc(1, sizeof *h);
    if (!o || !h) {
        free(o);
        free(h);
        *err = -ENOMEM;
        return NULL;
    }
    atomic_init(&h->refs, 1);
    pthread_mutex_init(&h->lock, NULL);
    o->hints = h;
    o->fs.root_ino = lower->root_ino;
    o->fs.dev = dev;
    if ((*err = ov_init_upper(o)) < 0) {
        o->lower = NULL; /* the caller keeps it */
        overlay_destroy(&o->fs);
        return NULL;
    }
    return &o->fs;
}

int overlay_reset(struct vfs_fs *fs)
{
    return ov_init_upper(OV(fs));
}

/* ---- the changes ------------------------------------------------------------- */

struct ov_walk {
    struct overlay *o;
    overlay_change_fn fn;
    void *ctx;
    char path[VFS_PATH_MAX];
};

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, distinct names of directory dir of fs (and of fs2's dir2). */
static int ov_names(struct vfs_fs *fs, uint64_t dir, struct vfs_fs *fs2, uint64_t dir2, char ***out,
                    size_t *count)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    int r = 0;
    for (int side = 0; side < 2 && r == 0; side++) {
        struct vfs_fs *f = side ? fs2 : fs;
        uint64_t d = side ? dir2 : dir, c = 0;
        if (!f || !d) continue;
        struct vfs_dirent de;
        while ((r = f->ops->readdir(f, d, &c, &de)) > 0) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                char **nv = realloc(v, cap * sizeof *nv);
                if (!nv) {
                    r = -ENOMEM;
                    break;
                }
                v = nv;
            }
            if (!(v[n] = strdup(de.name))) {
                r = -ENOMEM;
                break;
            }
            n++;
        }
    }
    if (r == 0 && n) {
        qsort(v, n, sizeof *v, name_cmp);
        size_t k = 1;
        for (size_t i = 1; i < n; i++) {
            if (strcmp(v[i], v[k - 1]))
                v[k++] = v[i];
            else
                free(v[i]);
        }
        n = k;
    }
    if (r < 0) {
        for (size_t i = 0; i < n; i++) free(v[i]);
        free(v);
        return r;
    }
    *out = v;
    *count = n;
    return 0;
}

static void names_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* Do regular files a (of fa) and b (of fb) hold the same bytes? */
static int ov_same_bytes(struct vfs_fs *fa, uint64_t a, struct vfs_fs *fb, uint64_t b, off_t size)
{
    char *x = malloc(2 * OV_CHUNK), *y = x + OV_CHUNK;
    if (!x) return -ENOMEM;
    int same = 1;
    for (off_t off = 0; same == 1 && off < size; off += OV_CHUNK) {
        size_t n = (size_t)(size - off < (off_t)OV_CHUNK ? size - off : (off_t)OV_CHUNK);
        ssize_t g1 = fa->ops->read(fa, a, x, n, off), g2 = fb->ops->read(fb, b, y, n, off);
        if (g1 < 0 || g2 < 0)
            same = (int)(g1 < 0 ? g1 : g2);
        else if (g1 != g2 || memcmp(x, y, (size_t)g1))
            same = 0;
        else if (g1 == 0)
            break;
    }
    free(x);
    return same;
}

static int ov_walk_dir(struct ov_walk *w, size_t plen, uint64_t odir, uint64_t ldir);

/* Report everything under a directory as added (o side) or deleted. */
static int ov_walk_side(struct ov_walk *w, size_t plen, struct vfs_fs *fs, uint64_t dir, int kind)
{
    char **names;
    size_t n;
    int r = ov_names(fs, dir, NULL, 0, &names, &n);
    if (r < 0) return r;
    for (size_t i = 0; i < n && r == 0; i++) {
        size_t l = strlen(names[i]);
        if (plen + l + 2 > sizeof w->path) {
            r = -ENAMETOOLONG;
            break;
        }
        char *p = w->path + plen;
        if (plen) *p++ = '/';
        memcpy(p, names[i], l + 1);
        size_t nlen = (size_t)(p - w->path) + l;
        uint64_t ino;
        struct stat st;
        if ((r = fs->ops->lookup(fs, dir, names[i], &ino)) < 0 ||
            (r = fs->ops->getattr(fs, ino, &st)) < 0)
            break;
        struct overlay_change c = {kind, w->path, 0, 0, 1, 0, 0};
        if (kind == OV_ADDED)
            c.new_mode = st.st_mode, c.new_ino = ino;
        else
            c.old_mode = st.st_mode, c.old_ino = ino;
        if ((r = w->fn(w->ctx, &c)) != 0) break;
        if (S_ISDIR(st.st_mode)) r = ov_walk_side(w, nlen, fs, ino, kind);
        w->path[plen] = 0;
    }
    w->path[plen] = 0;
    names_free(names, n);
    return r;
}

static int ov_content_same(struct overlay *o, uint64_t oi, const struct stat *os, uint64_t li,
                           const struct stat *ls)
{
    if (S_ISLNK(os->st_mode)) {
        char a[VFS_PATH_MAX], b[VFS_PATH_MAX];
        ssize_t x = overlay_readlink(&o->fs, oi, a, sizeof a);
        ssize_t y = L_OPS->readlink(o->lower, li, b, sizeof b);
        if (x < 0 || y < 0) return (int)(x < 0 ? x : y);
        return x == y && !memcmp(a, b, (size_t)x);
    }
    if (!S_ISREG(os->st_mode)) return 1;
    if (os->st_size != ls->st_size) return 0;
    uint64_t u = ov_upper_of(o, oi);
    struct ov_rec *rec = u ? ov_rec_of(o, u) : NULL;
    if (!u || (rec && rec->lower == li && !rec->bits && rec->base == (uint64_t)ls->st_size))
        return 1;
    return ov_same_bytes(&o->fs, oi, o->lower, li, os->st_size);
}

static int ov_walk_entry(struct ov_walk *w, size_t plen, uint64_t odir, uint64_t ldir,
                         const char *name)
{
    struct overlay *o = w->o;
    uint64_t oi = 0, li = 0;
    struct stat os, ls;
    int have_o = ov_lookup_in(o, odir, name, &oi) == 0 && overlay_getattr(&o->fs, oi, &os) == 0;
    int have_l = ldir && L_OPS->lookup(o->lower, ldir, name, &li) == 0 &&
                 L_OPS->getattr(o->lower, li, &ls) == 0;
    if (have_o && have_l && oi == li && !ov_upper_of(o, oi)) return 0; /* untouched */
    size_t l = strlen(name);
    if (plen + l + 2 > sizeof w->path) return -ENAMETOOLONG;
    char *p = w->path + plen;
    if (plen) *p++ = '/';
    memcpy(p, name, l + 1);
    size_t nlen = (size_t)(p - w->path) + l;
    int r = 0;
    struct overlay_change c = {0, w->path,         have_l ? ls.st_mode : 0, have_o ? os.st_mode : 0,
                               1, have_l ? li : 0, have_o ? oi : 0};
    int odir_ = have_o && S_ISDIR(os.st_mode), ldir_ = have_l && S_ISDIR(ls.st_mode);
    if (have_o && have_l && (os.st_mode & S_IFMT) == (ls.st_mode & S_IFMT)) {
        int same = ov_content_same(o, oi, &os, li, &ls);
        if (same < 0) return same;
        c.content = !same;
        if (c.content || (os.st_mode & 07777) != (ls.st_mode & 07777)) {
            c.kind = OV_MODIFIED;
            r = w->fn(w->ctx, &c);
        }
        if (r == 0 && odir_) r = ov_walk_dir(w, nlen, oi, li);
    } else if (have_o && have_l && !odir_ && !ldir_) {
        c.kind = OV_MODIFIED; /* a file became a symlink, ... */
        r = w->fn(w->ctx, &c);
    } else {
        if (have_l) {
            c.kind = OV_DELETED;
            c.new_mode = 0;
            c.new_ino = 0;
            r = w->fn(w->ctx, &c);
            if (r == 0 && ldir_) r = ov_walk_side(w, nlen, o->lower, li, OV_DELETED);
        }
        if (r == 0 && have_o) {
            w->path[nlen] = 0;
            struct overlay_change a = {OV_ADDED, w->path, 0, os.st_mode, 1, 0, oi};
            r = w->fn(w->ctx, &a);
            if (r == 0 && odir_) r = ov_walk_side(w, nlen, &o->fs, oi, OV_ADDED);
        }
    }
    w->path[plen] = 0;
    return r;
}

static int ov_walk_dir(struct ov_walk *w, size_t plen, uint64_t odir, uint64_t ldir)
{
    char **names;
    size_t n;
    int r = ov_names(&w->o->fs, odir, w->o->lower, ldir, &names, &n);
    for (size_t i = 0; r == 0 && i < n; i++) r = ov_walk_entry(w, plen, odir, ldir, names[i]);
    if (r == 0 || n) names_free(names, n);
    return r;
}

int overlay_changes(struct vfs_fs *fs, overlay_change_fn fn, void *ctx)
{
    if (!overlay_is(fs)) return -EINVAL;
    struct ov_walk *w = malloc(sizeof *w);
    if (!w) return -ENOMEM;
    w->o = OV(fs);
    w->fn = fn;
    w->ctx = ctx;
    w->path[0] = 0;
    int r = ov_walk_dir(w, 0, fs->root_ino, w->o->lower->root_ino);
    free(w);
    return r;
}

/* ---- text output --------------------------------------------------------------- */

struct ov_buf {
    char *s;
    size_t len, cap;
    int err;
};

static void buf_add(struct ov_buf *b, const void *p, size_t n)
{
    if (b->err) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->err = -ENOMEM;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void buf_str(struct ov_buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static int buf_done(struct ov_buf *b, int r, char **text, size_t *len)
{
    if (r == 0) r = b->err;
    if (r == 0 && !b->s) buf_add(b, "", 0), r = b->err;
    if (r < 0) {
        free(b->s);
        return r;
    }
    *text = b->s;
    *len = b->len;
    return 0;
}

static void buf_path(struct ov_buf *b, const char *p)
{
    if (!strpbrk(p, "\n\t\\\"")) {
        buf_str(b, p);
        return;
    }
    buf_add(b, "\"", 1);
    for (; *p; p++) {
        const char *e = *p == '\n'   ? "\\n"
                        : *p == '\t' ? "\\t"
                        : *p == '\\' ? "\\\\"
                        : *p == '"'  ? "\\\""
                                     : NULL;
        if (e)
            buf_str(b, e);
        else
            buf_add(b, p, 1);
    }
    buf_add(b, "\"", 1);
}

static int list_cb(void *ctx, const struct overlay_change *c)
{
    struct ov_buf *b = ctx;
    char k[3] = {(char)c->kind, ' ', 0};
    buf_str(b, k);
    buf_path(b, c->path);
    buf_add(b, "\n", 1);
    return b->err;
}

int overlay_change_list(struct vfs_fs *fs, char **text, size_t *len)
{
    struct ov_buf b = {0};
    int r = overlay_changes(fs, list_cb, &b);
    return buf_done(&b, r, text, len);
}

/* The whole content of regular file ino of fs (malloc'd). */
static int read_whole(struct vfs_fs *fs, uint64_t ino, char **out, size_t *len)
{
    struct stat st;
    int r = fs->ops->getattr(fs, ino, &st);
    if (r < 0) return r;
    size_t n = (size_t)st.st_size, done = 0;
    char *buf = malloc(n + 1);
    if (!buf) return -ENOMEM;
    while (done < n) {
        ssize_t g = fs->ops->read(fs, ino, buf + done, n - done, (off_t)done);
        if (g < 0) {
            free(buf);
            return (int)g;
        }
        if (g == 0) break;
        done += (size_t)g;
    }
    buf[done] = 0;
    *out = buf;
    *len = done;
    return 0;
}

static void fmt_time(char *buf, size_t n, const struct timespec *ts)
{
    struct tm tm;
    time_t t = ts ? ts->tv_sec : 0;
    gmtime_r(&t, &tm);
    size_t l = strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf + l, n - l, ".%09ld +0000", ts ? ts->tv_nsec : 0L);
}

struct diff_ctx {
    struct overlay *o;
    struct ov_buf b;
};

static const char *type_name(mode_t m)
{
    switch (m & S_IFMT) {
    case S_IFREG: return "regular file";
    case S_IFDIR: return "directory";
    case S_IFLNK: return "symbolic link";
    case S_IFIFO: return "fifo";
    case S_IFCHR: return "character special file";
    case S_IFBLK: return "block special file";
    case S_IFSOCK: return "socket";
    }
    return "weird file";
}

static void udiff_out(void *ctx, const char *s, size_t n)
{
    buf_add(ctx, s, n);
}

/* One file pair of the diff. old/new mode 0: absent. */
static int diff_file(struct diff_ctx *d, const char *path, mode_t om, uint64_t oi, mode_t nm,
                     uint64_t ni)
{
    struct overlay *o = d->o;
    struct ov_buf *b = &d->b;
    if ((om && !S_ISREG(om)) || (nm && !S_ISREG(nm))) {
        if (om && nm && (om & S_IFMT) != (nm & S_IFMT)) {
            char line[VFS_PATH_MAX * 2 + 128];
            snprintf(line, sizeof line, "File a/%s is a %s while file b/%s is a %s\n", path,
                     type_name(om), path, type_name(nm));
            buf_str(b, line);
        } else if (om && nm && S_ISLNK(om)) {
            /* As diff --no-dereference; an added or removed symlink is in
             * the change list only (GNU prints nothing for it either). */
            char line[VFS_PATH_MAX * 2 + 128];
            snprintf(line, sizeof line, "Symbolic links a/%s and b/%s differ\n", path, path);
            buf_str(b, line);
        }
        return b->err;
    }
    char *x = NULL, *y = NULL;
    size_t xl = 0, yl = 0;
    int r = 0;
    struct stat os = {0}, ns = {0};
    if (om && ((r = read_whole(o->lower, oi, &x, &xl)) < 0 ||
               (r = L_OPS->getattr(o->lower, oi, &os)) < 0))
        goto out;
    if (nm &&
        ((r = read_whole(&o->fs, ni, &y, &yl)) < 0 || (r = overlay_getattr(&o->fs, ni, &ns)) < 0))
        goto out;
    if (xl == yl && (!xl || !memcmp(x, y, xl))) goto out;
    char ta[64], tb[64];
    fmt_time(ta, sizeof ta, om ? &os.st_mtim : NULL);
    fmt_time(tb, sizeof tb, nm ? &ns.st_mtim : NULL);
    size_t bx = xl < 4096 ? xl : 4096, by = yl < 4096 ? yl : 4096;
    if ((x && memchr(x, 0, bx)) || (y && memchr(y, 0, by))) {
        buf_str(b, "Binary files a/");
        buf_str(b, path);
        buf_str(b, " and b/");
        buf_str(b, path);
        buf_str(b, " differ\n");
        goto out;
    }
    buf_str(b, "diff -ruN a/");
    buf_str(b, path);
    buf_str(b, " b/");
    buf_str(b, path);
    buf_str(b, "\n--- a/");
    buf_str(b, path);
    buf_str(b, "\t");
    buf_str(b, ta);
    buf_str(b, "\n+++ b/");
    buf_str(b, path);
    buf_str(b, "\t");
    buf_str(b, tb);
    buf_str(b, "\n");
    r = udiff(x ? x : "", xl, y ? y : "", yl, 3, udiff_out, b);
out:
    free(x);
    free(y);
    return r < 0 ? r : b->err;
}

/* The changes in an array, for the diff (which looks ahead) and for
 * writing back (which changes the lower while it works). */
struct ov_chg {
    struct overlay_change c;
    char *path;
};
struct ov_chgs {
    struct ov_chg *v;
    size_t n, cap;
};

static int collect_cb(void *ctx, const struct overlay_change *c)
{
    struct ov_chgs *a = ctx;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        struct ov_chg *nv = realloc(a->v, cap * sizeof *nv);
        if (!nv) return -ENOMEM;
        a->v = nv;
        a->cap = cap;
    }
    struct ov_chg *e = &a->v[a->n];
    if (!(e->path = strdup(c->path))) return -ENOMEM;
    e->c = *c;
    e->c.path = e->path;
    a->n++;
    return 0;
}

static void chgs_free(struct ov_chgs *a)
{
    for (size_t i = 0; i < a->n; i++) free(a->v[i].path);
    free(a->v);
}

static int ov_collect(struct vfs_fs *fs, struct ov_chgs *a)
{
    memset(a, 0, sizeof *a);
    int r = overlay_changes(fs, collect_cb, a);
    if (r < 0) chgs_free(a);
    return r;
}

static int under(const char *path, const char *prefix)
{
    size_t l = strlen(prefix);
    return !strncmp(path, prefix, l) && path[l] == '/';
}

/* The index after the subtree of a[i] (entries under its path). */
static size_t past_subtree(const struct ov_chgs *a, size_t i)
{
    size_t j = i + 1;
    while (j < a->n && under(a->v[j].path, a->v[i].path)) j++;
    return j;
}

int overlay_diff(struct vfs_fs *fs, char **text, size_t *len)
{
    if (!overlay_is(fs)) return -EINVAL;
    struct ov_chgs a;
    int r = ov_collect(fs, &a);
    if (r < 0) return r;
    struct diff_ctx d = {OV(fs), {0}};
    char line[VFS_PATH_MAX * 2 + 128];
    for (size_t i = 0; r == 0 && i < a.n; i++) {
        const struct overlay_change *c = &a.v[i].c;
        mode_t om = c->old_mode, nm = c->new_mode;
        if (c->kind == OV_DELETED) {
            /* Does the path come back as another type (a type change)? */
            size_t j = S_ISDIR(om) ? past_subtree(&a, i) : i + 1;
            if (j < a.n && a.v[j].c.kind == OV_ADDED && !strcmp(a.v[j].path, c->path)) {
                nm = a.v[j].c.new_mode;
                if (S_ISDIR(om) || S_ISDIR(nm)) {
                    snprintf(line, sizeof line, "File a/%s is a %s while file b/%s is a %s\n",
                             c->path, type_name(om), c->path, type_name(nm));
                    buf_str(&d.b, line);
                    i = S_ISDIR(nm) ? past_subtree(&a, j) - 1 : j;
                    continue;
                }
            }
            if (!S_ISDIR(om)) r = diff_file(&d, c->path, om, c->old_ino, 0, 0);
            continue;
        }
        if (S_ISDIR(nm) || (c->kind == OV_MODIFIED && !c->content)) continue;
        r = diff_file(&d, c->path, c->kind == OV_ADDED ? 0 : om, c->old_ino, nm, c->new_ino);
    }
    chgs_free(&a);
    return buf_done(&d.b, r, text, len);
}

/* ---- writing back ---------------------------------------------------------------- */

/* Resolve the directories of a relative path in the target. */
static int t_walk(struct vfs_fs *t, const char *path, uint64_t *dir, const char **last)
{
    uint64_t cur = t->root_ino;
    const char *p = path;
    char name[VFS_NAME_MAX + 1];
    for (;;) {
        const char *s = strchr(p, '/');
        if (!s) break;
        size_t l = (size_t)(s - p);
        if (l > VFS_NAME_MAX) return -ENAMETOOLONG;
        memcpy(name, p, l);
        name[l] = 0;
        int r = t->ops->lookup(t, cur, name, &cur);
        if (r < 0) return r;
        p = s + 1;
    }
    *dir = cur;
    *last = p;
    return 0;
}

static int t_remove_tree(struct vfs_fs *t, uint64_t dir, const char *name, int depth)
{
    uint64_t ino;
    struct stat st;
    int r = t->ops->lookup(t, dir, name, &ino);
    if (r < 0) return r;
    if ((r = t->ops->getattr(t, ino, &st)) < 0) return r;
    if (!S_ISDIR(st.st_mode)) return t->ops->unlink(t, dir, name);
    if (depth > 512) return -ELOOP;
    struct vfs_dirent de;
    for (;;) {
        uint64_t c = 0;
        r = t->ops->readdir(t, ino, &c, &de);
        if (r <= 0) break;
        if ((r = t_remove_tree(t, ino, de.name, depth + 1)) < 0) return r;
    }
    return r < 0 ? r : t->ops->rmdir(t, dir, name);
}

/* Make a new node under a fresh temporary name in dir (names the host
 * happens to have are skipped). */
static int t_make_temp(struct vfs_fs *t, uint64_t dir, const struct vfs_newnode *nn, char name[64],
                       uint64_t *ino)
{
    static atomic_uint seq;
    for (int tries = 0; tries < 100; tries++) {
        snprintf(name, 64, ".vos-apply-%d-%u", (int)getpid(), atomic_fetch_add(&seq, 1));
        int r = t->ops->mknode(t, dir, name, nn, ino);
        if (r != -EEXIST) return r;
    }
    return -EEXIST;
}

static int t_copy(struct overlay *o, uint64_t from, struct vfs_fs *t, uint64_t to)
{
    char *buf = malloc(OV_CHUNK);
    if (!buf) return -ENOMEM;
    int r = 0;
    for (off_t off = 0;;) {
        ssize_t g = overlay_read(&o->fs, from, buf, OV_CHUNK, off);
        if (g <= 0) {
            r = (int)g;
            break;
        }
        ssize_t w = t->ops->write(t, to, buf, (size_t)g, off);
        if (w < 0) {
            r = (int)w;
            break;
        }
        off += g;
    }
    free(buf);
    return r;
}

/* Put change c in place in the target; staged: the new bytes' temp name. */
static int apply_one(struct overlay *o, struct vfs_fs *t, const struct overlay_change *c,
                     const char *staged)
{
    uint64_t dir, ino;
    const char *last;
    int r = t_walk(t, c->path, &dir, &last);
    if (r < 0) return r;
    mode_t nm = c->new_mode;
    struct vfs_setattr set = {.mask = VFS_SET_MODE, .mode = nm & 07777};
    if (c->kind == OV_DELETED) {
        r = t_remove_tree(t, dir, last, 0);
        return r == -ENOENT ? 0 : r;
    }
    if (staged) {
        if ((r = t->ops->lookup(t, t->root_ino, staged, &ino)) < 0) return r;
        if ((r = t->ops->setattr(t, ino, &set)) < 0) return r;
        return t->ops->rename(t, t->root_ino, staged, dir, last);
    }
    if (c->kind == OV_MODIFIED && !c->content && !S_ISLNK(nm)) { /* the mode only */
        if ((r = t->ops->lookup(t, dir, last, &ino)) < 0) return r;
        return t->ops->setattr(t, ino, &set);
    }
    if (S_ISDIR(nm)) {
        struct vfs_newnode nn = {S_IFDIR | (nm & 07777), 0, 0, 0, NULL};
        return t->ops->mknode(t, dir, last, &nn, &ino);
    }
    if (S_ISLNK(nm)) {
        char target[VFS_PATH_MAX], tmp[64];
        ssize_t n = overlay_readlink(&o->fs, c->new_ino, target, sizeof target - 1);
        if (n < 0) return (int)n;
        target[n] = 0;
        struct vfs_newnode nn = {S_IFLNK | 0777, 0, 0, 0, target};
        if ((r = t_make_temp(t, dir, &nn, tmp, &ino)) < 0) return r;
        if ((r = t->ops->rename(t, dir, tmp, dir, last)) < 0) t->ops->unlink(t, dir, tmp);
        return r;
    }
    return 0; /* FIFOs and devices are not written to the host */
}

int overlay_apply(struct vfs_fs *fs, struct vfs_fs *target)
{
    if (!overlay_is(fs)) return -EINVAL;
    struct overlay *o = OV(fs);
    struct ov_chgs a;
    int r = ov_collect(fs, &a);
    if (r < 0) return r;
    /* Stage every new file content first, while the lower still holds the
     * bytes a lazily copied file reads from. */
    char(*staged)[64] = calloc(a.n ? a.n : 1, sizeof *staged);
    if (!staged) r = -ENOMEM;
    for (size_t i = 0; r == 0 && i < a.n; i++) {
        const struct overlay_change *c = &a.v[i].c;
        if (c->kind == OV_DELETED || !S_ISREG(c->new_mode)) continue;
        if (c->kind == OV_MODIFIED && !c->content) continue;
        struct vfs_newnode nn = {S_IFREG | 0600, 0, 0, 0, NULL};
        uint64_t ino;
        if ((r = t_make_temp(target, target->root_ino, &nn, staged[i], &ino)) == 0)
            r = t_copy(o, c->new_ino, target, ino);
    }
    for (size_t i = 0; r == 0 && i < a.n; i++) {
        r = apply_one(o, target, &a.v[i].c, staged[i][0] ? staged[i] : NULL);
        if (r == 0) staged[i][0] = 0;
        if (r == 0 && a.v[i].c.kind == OV_DELETED && S_ISDIR(a.v[i].c.old_mode))
            i = past_subtree(&a, i) - 1; /* removed with its contents */
    }
    for (size_t i = 0; staged && i < a.n; i++)
        if (staged[i][0]) target->ops->unlink(target, target->root_ino, staged[i]);
    free(staged);
    chgs_free(&a);
    if (r == 0) r = overlay_reset(fs);
    return r;
}
