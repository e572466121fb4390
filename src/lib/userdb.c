/* userdb.c — parse the VM's /etc/passwd and /etc/group (see userdb.h). */
#include "lib/userdb.h"
#include "kernel/kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

/* The whole file, NUL-terminated, or NULL (missing or out of memory). */
static char *slurp(struct proc *p, const char *path)
{
    int fd = sys_open(p, path, O_RDONLY, 0);
    if (fd < 0) return NULL;
    size_t len = 0, cap = 4096;
    char *buf = p_malloc(p, cap);
    while (buf) {
        if (len + 1 >= cap) {
            char *nb = p_realloc(p, buf, cap * 2);
            if (!nb) {
                p_free(p, buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = sys_read(p, fd, buf + len, cap - len - 1);
        if (r <= 0) break;
        len += (size_t)r;
    }
    sys_close(p, fd);
    if (buf) buf[len] = 0;
    return buf;
}

/* Split line into up to n ':' fields in place; the count. */
static int fields(char *line, char **f, int n)
{
    int k = 0;
    f[k++] = line;
    for (char *s = line; *s && k < n; s++)
        if (*s == ':') {
            *s = 0;
            f[k++] = s + 1;
        }
    return k;
}

static bool parse_id(const char *s, unsigned *out)
{
    char *end;
    if (!*s) return false;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > 0xffffffffUL) return false;
    *out = (unsigned)v;
    return true;
}

int udb_load(struct userdb *db, struct proc *p)
{
    memset(db, 0, sizeof *db);
    db->p = p;
    char *pw = slurp(p, "/etc/passwd");
    for (char *line = pw, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        char *f[7];
        unsigned uid, gid;
        if (fields(line, f, 7) < 7 || !parse_id(f[2], &uid) || !parse_id(f[3], &gid)) continue;
        struct udb_user *nu = p_realloc(p, db->users, (db->nusers + 1) * sizeof *nu);
        if (!nu) return -ENOMEM;
        db->users = nu;
        nu[db->nusers++] = (struct udb_user){f[0], uid, gid, f[5], f[6]};
        if (!next) break;
    }
    char *gr = slurp(p, "/etc/group");
    for (char *line = gr, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        char *f[4];
        unsigned gid;
        if (fields(line, f, 4) < 4 || !parse_id(f[2], &gid)) continue;
        size_t nm = 1;
        for (char *s = f[3]; *s; s++) nm += *s == ',';
        char **mem = p_calloc(p, nm + 1, sizeof *mem);
        struct udb_group *ng = p_realloc(p, db->groups, (db->ngroups + 1) * sizeof *ng);
        if (!mem || !ng) return -ENOMEM;
        size_t k = 0;
        for (char *s = f[3], *save, *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save))
            mem[k++] = t;
        db->groups = ng;
        ng[db->ngroups++] = (struct udb_group){f[0], gid, mem};
        if (!next) break;
    }
    return 0;
}

void udb_free(struct userdb *db)
{
    /* Everything is p_malloc'd and freed with the process; drop the tables. */
    for (size_t i = 0; i < db->ngroups; i++) p_free(db->p, db->groups[i].members);
    p_free(db->p, db->users);
    p_free(db->p, db->groups);
    db->users = NULL;
    db->groups = NULL;
}

const struct udb_user *udb_user_by_name(const struct userdb *db, const char *name)
{
    for (size_t i = 0; i < db->nusers; i++)
        if (!strcmp(db->users[i].name, name)) return &db->users[i];
    return NULL;
}

const struct udb_user *udb_user_by_uid(const struct userdb *db, uid_t uid)
{
    for (size_t i = 0; i < db->nusers; i++)
        if (db->users[i].uid == uid) return &db->users[i];
    return NULL;
}

const struct udb_group *udb_group_by_gid(const struct userdb *db, gid_t gid)
{
    for (size_t i = 0; i < db->ngroups; i++)
        if (db->groups[i].gid == gid) return &db->groups[i];
    return NULL;
}

const struct udb_group *udb_group_by_name(const struct userdb *db, const char *name)
{
    for (size_t i = 0; i < db->ngroups; i++)
        if (!strcmp(db->groups[i].name, name)) return &db->groups[i];
    return NULL;
}

int udb_grouplist(const struct userdb *db, const char *name, gid_t gid, gid_t **out)
{
    gid_t *v = p_malloc(db->p, (db->ngroups + 1) * sizeof *v);
    if (!v) return -ENOMEM;
    int n = 0;
    v[n++] = gid;
    for (size_t i = 0; name && i < db->ngroups; i++) {
        const struct udb_group *g = &db->groups[i];
        bool member = false;
        for (char **m = g->members; *m; m++)
            if (!strcmp(*m, name)) member = true;
        if (!member) continue;
        bool dup = false;
        for (int k = 0; k < n; k++)
            if (v[k] == g->gid) dup = true;
        if (!dup) v[n++] = g->gid;
    }
    *out = v;
    return n;
}
