/* fileinfo.c — mode strings, user and group names, the VM's time zone and
 * GNU strftime, filevercmp, a stable sort. See fileinfo.h. */
#include "lib/fileinfo.h"
#include "kernel/kernel.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- modes ---------------------------------------------------------------- */

char file_type_letter(mode_t m)
{
    if (S_ISREG(m)) return '-';
    if (S_ISDIR(m)) return 'd';
    if (S_ISLNK(m)) return 'l';
    if (S_ISCHR(m)) return 'c';
    if (S_ISBLK(m)) return 'b';
    if (S_ISFIFO(m)) return 'p';
    if (S_ISSOCK(m)) return 's';
    return '?';
}

void file_mode_string(mode_t m, char buf[12])
{
    buf[0] = file_type_letter(m);
    buf[1] = m & S_IRUSR ? 'r' : '-';
    buf[2] = m & S_IWUSR ? 'w' : '-';
    buf[3] = m & S_ISUID ? (m & S_IXUSR ? 's' : 'S') : (m & S_IXUSR ? 'x' : '-');
    buf[4] = m & S_IRGRP ? 'r' : '-';
    buf[5] = m & S_IWGRP ? 'w' : '-';
    buf[6] = m & S_ISGID ? (m & S_IXGRP ? 's' : 'S') : (m & S_IXGRP ? 'x' : '-');
    buf[7] = m & S_IROTH ? 'r' : '-';
    buf[8] = m & S_IWOTH ? 'w' : '-';
    buf[9] = m & S_ISVTX ? (m & S_IXOTH ? 't' : 'T') : (m & S_IXOTH ? 'x' : '-');
    buf[10] = ' ';
    buf[11] = '\0';
}

const char *file_type_name(const struct stat *st)
{
    mode_t m = st->st_mode;
    if (S_ISREG(m)) return st->st_size == 0 ? "regular empty file" : "regular file";
    if (S_ISDIR(m)) return "directory";
    if (S_ISLNK(m)) return "symbolic link";
    if (S_ISCHR(m)) return "character special file";
    if (S_ISBLK(m)) return "block special file";
    if (S_ISFIFO(m)) return "fifo";
    if (S_ISSOCK(m)) return "socket";
    return "weird file";
}

/* ---- user and group names --------------------------------------------------- */

struct idname {
    unsigned id;
    char *name;
};

void idcache_init(struct idcache *c, struct proc *p)
{
    memset(c, 0, sizeof *c);
    c->p = p;
}

/* Read "name:x:id:..." lines of path into a table (first entry for an id wins). */
static void load_ids(struct proc *p, const char *path, struct idname **tab, size_t *n)
{
    int fd = sys_open(p, path, O_RDONLY, 0);
    if (fd < 0) return;
    size_t cap = 0, len = 0;
    char *data = NULL;
    for (;;) {
        if (len + 4096 > cap) {
            size_t nc = cap ? cap * 2 : 8192;
            char *nd = p_realloc(p, data, nc);
            if (!nd) break;
            data = nd;
            cap = nc;
        }
        ssize_t r = sys_read(p, fd, data + len, cap - len - 1);
        if (r <= 0) break;
        len += (size_t)r;
    }
    sys_close(p, fd);
    if (!data) return;
    data[len] = '\0';
    size_t tcap = 0;
    for (char *line = data; *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c1 && c2 && c2[1] >= '0' && c2[1] <= '9') {
            *c1 = '\0';
            unsigned id = (unsigned)strtoul(c2 + 1, NULL, 10);
            if (*n == tcap) {
                size_t nc = tcap ? tcap * 2 : 16;
                struct idname *nt = p_realloc(p, *tab, nc * sizeof *nt);
                if (!nt) break;
                *tab = nt;
                tcap = nc;
            }
            (*tab)[*n].id = id;
            (*tab)[*n].name = line;
            (*n)++;
        }
        if (!nl) break;
        line = nl + 1;
    }
    /* the names point into data, which stays allocated with the table */
}

static const char *lookup(struct idname *tab, size_t n, size_t *last, unsigned id)
{
    if (*last < n && tab[*last].id == id) return tab[*last].name;
    for (size_t i = 0; i < n; i++)
        if (tab[i].id == id) {
            *last = i;
            return tab[i].name;
        }
    return NULL;
}

const char *idcache_user(struct idcache *c, unsigned uid)
{
    if (!c->users_loaded) {
        c->users_loaded = true;
        load_ids(c->p, "/etc/passwd", &c->users, &c->nusers);
    }
    return lookup(c->users, c->nusers, &c->last_user, uid);
}

const char *idcache_group(struct idcache *c, unsigned gid)
{
    if (!c->groups_loaded) {
        c->groups_loaded = true;
        load_ids(c->p, "/etc/group", &c->groups, &c->ngroups);
    }
    return lookup(c->groups, c->ngroups, &c->last_group, gid);
}

void idcache_free(struct idcache *c)
{
    /* names and tables are process memory: freed with the process */
    p_free(c->p, c->users);
    p_free(c->p, c->groups);
    c->users = c->groups = NULL;
}

/* ---- filevercmp -------------------------------------------------------------- */

static bool c_isdigit(unsigned char c)
{
    return c >= '0' && c <= '9';
}
static bool c_isalpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of s without its suffix (\.[A-Za-z~][A-Za-z0-9~]*)*$ */
static size_t file_prefixlen(const char *s, size_t n)
{
    size_t prefixlen = 0;
    for (size_t i = 0;;) {
        if (i == n) return prefixlen;
        i++;
        prefixlen = i;
        while (i + 1 < n && s[i] == '.' && (c_isalpha((unsigned char)s[i + 1]) || s[i + 1] == '~'))
            for (i += 2; i < n && (c_isalpha((unsigned char)s[i]) ||
                                   c_isdigit((unsigned char)s[i]) || s[i] == '~');
                 i++)
                continue;
    }
}

static int order(const char *s, size_t pos, size_t len)
{
    if (pos == len) return -1;
    unsigned char c = (unsigned char)s[pos];
    if (c_isdigit(c)) return 0;
    if (c_isalpha(c)) return c;
    if (c == '~') return -2;
    return c + 256;
}

static int verrevcmp(const char *s1, size_t l1, const char *s2, size_t l2)
{
    size_t p1 = 0, p2 = 0;
    while (p1 < l1 || p2 < l2) {
        int first_diff = 0;
        while ((p1 < l1 && !c_isdigit((unsigned char)s1[p1])) ||
               (p2 < l2 && !c_isdigit((unsigned char)s2[p2]))) {
            int c1 = order(s1, p1, l1), c2 = order(s2, p2, l2);
            if (c1 != c2) return c1 - c2;
            p1++;
            p2++;
        }
        while (p1 < l1 && s1[p1] == '0') p1++;
        while (p2 < l2 && s2[p2] == '0') p2++;
        while (p1 < l1 && p2 < l2 && c_isdigit((unsigned char)s1[p1]) &&
               c_isdigit((unsigned char)s2[p2])) {
            if (!first_diff) first_diff = s1[p1] - s2[p2];
            p1++;
            p2++;
        }
        if (p1 < l1 && c_isdigit((unsigned char)s1[p1])) return 1;
        if (p2 < l2 && c_isdigit((unsigned char)s2[p2])) return -1;
        if (first_diff) return first_diff;
    }
    return 0;
}

int filevercmp(const char *a, const char *b)
{
    if (!a[0]) return -!!b[0];
    if (!b[0]) return 1;
    if (a[0] == '.') {
        if (b[0] != '.') return -1;
        bool adot = !a[1], bdot = !b[1];
        if (adot) return -!bdot;
        if (bdot) return 1;
        bool add = a[1] == '.' && !a[2], bdd = b[1] == '.' && !b[2];
        if (add) return -!bdd;
        if (bdd) return 1;
    } else if (b[0] == '.') {
        return 1;
    }
    size_t alen = strlen(a), blen = strlen(b);
    size_t ap = file_prefixlen(a, alen), bp = file_prefixlen(b, blen);
    bool one_pass = ap == alen && bp == blen;
    int r = verrevcmp(a, ap, b, bp);
    return r || one_pass ? r : verrevcmp(a, alen, b, blen);
}

/* ---- stable sort ------------------------------------------------------------- */

void ptr_mergesort(void **v, size_t n, void **tmp, ptr_cmp_fn cmp, void *ctx)
{
    if (n < 2) return;
    if (n <= 8) {
        for (size_t i = 1; i < n; i++) {
            void *x = v[i];
            size_t j = i;
            while (j > 0 && cmp(v[j - 1], x, ctx) > 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    ptr_mergesort(v, h, tmp, cmp, ctx);
    ptr_mergesort(v + h, n - h, tmp, cmp, ctx);
    if (cmp(v[h - 1], v[h], ctx) <= 0) return;
    memcpy(tmp, v, h * sizeof *v);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) v[k++] = cmp(tmp[i], v[j], ctx) <= 0 ? tmp[i++] : v[j++];
    while (i < h) v[k++] = tmp[i++];
}
