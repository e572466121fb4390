/* modechange.c — parsing and applying chmod-style mode strings; see
 * modechange.h. */
#include "lib/modechange.h"

#include "kernel/kernel.h"

#include <string.h>
#include <sys/stat.h>

#define ALLM 07777
#define UGO (S_IRWXU | S_IRWXG | S_IRWXO)

static struct mode_change *make_equals(struct proc *p, mode_t mode, mode_t mentioned, bool *oom)
{
    struct mode_change *mc = p_malloc(p, 2 * sizeof *mc);
    if (!mc) {
        if (oom) *oom = true;
        return NULL;
    }
    mc[0] = (struct mode_change){'=', MODE_ORDINARY_CHANGE, ALLM, mode, mentioned};
    mc[1] = (struct mode_change){0, MODE_DONE, 0, 0, 0};
    return mc;
}

struct mode_change *mode_create_from_ref(struct proc *p, mode_t mode)
{
    return make_equals(p, mode & ALLM, ALLM, NULL);
}

struct mode_change *mode_compile(struct proc *p, const char *s, bool *oom)
{
    if (oom) *oom = false;
    if (*s >= '0' && *s < '8') {
        unsigned v = 0;
        const char *q = s;
        do {
            v = 8 * v + (unsigned)(*q++ - '0');
            if (v > ALLM) return NULL;
        } while (*q >= '0' && *q < '8');
        if (*q) return NULL;
        /* Fewer than 5 digits leave the directory set-id bits alone. */
        mode_t mentioned = q - s < 5 ? (v & (S_ISUID | S_ISGID)) | S_ISVTX | UGO : ALLM;
        return make_equals(p, v, mentioned, oom);
    }
    size_t needed = 1;
    for (const char *q = s; *q; q++) needed += *q == '=' || *q == '+' || *q == '-';
    struct mode_change *mc = p_malloc(p, needed * sizeof *mc);
    if (!mc) {
        if (oom) *oom = true;
        return NULL;
    }
    size_t used = 0;
    for (;; s++) {
        mode_t affected = 0;
        for (;; s++) {
            switch (*s) {
            case 'u': affected |= S_ISUID | S_IRWXU; continue;
            case 'g': affected |= S_ISGID | S_IRWXG; continue;
            case 'o': affected |= S_ISVTX | S_IRWXO; continue;
            case 'a': affected |= ALLM; continue;
            case '=': case '+': case '-': break;
            default: goto invalid;
            }
            break;
        }
        do {
            char op = *s++;
            mode_t value = 0, mentioned = 0;
            char flag = MODE_COPY_EXISTING;
            switch (*s) {
            case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
                unsigned v = 0;
                do {
                    v = 8 * v + (unsigned)(*s++ - '0');
                    if (v > ALLM) goto invalid;
                } while (*s >= '0' && *s < '8');
                if (affected || (*s && *s != ',')) goto invalid;
                affected = mentioned = ALLM;
                value = v;
                flag = MODE_ORDINARY_CHANGE;
                break;
            }
            case 'u': value = S_IRWXU; s++; break;
            case 'g': value = S_IRWXG; s++; break;
            case 'o': value = S_IRWXO; s++; break;
            default:
                flag = MODE_ORDINARY_CHANGE;
                for (;; s++) {
                    switch (*s) {
                    case 'r': value |= S_IRUSR | S_IRGRP | S_IROTH; continue;
                    case 'w': value |= S_IWUSR | S_IWGRP | S_IWOTH; continue;
                    case 'x': value |= S_IXUSR | S_IXGRP | S_IXOTH; continue;
                    case 'X': flag = MODE_X_IF_ANY_X; continue;
                    case 's': value |= S_ISUID | S_ISGID; continue;
                    case 't': value |= S_ISVTX; continue;
                    }
                    break;
                }
            }
            mc[used++] = (struct mode_change){
                op, flag, affected, value,
                mentioned ? mentioned : affected ? affected & value : value};
        } while (*s == '=' || *s == '+' || *s == '-');
        if (*s != ',') break;
    }
    if (*s == 0) {
        mc[used].flag = MODE_DONE;
        return mc;
    }
invalid:
    p_free(p, mc);
    return NULL;
}

mode_t mode_adjust(mode_t oldmode, bool dir, mode_t umask_value, const struct mode_change *changes,
                   mode_t *mode_bits)
{
    mode_t newmode = oldmode & ALLM, bits = 0;
    const mode_t R = S_IRUSR | S_IRGRP | S_IROTH, W = S_IWUSR | S_IWGRP | S_IWOTH,
                 X = S_IXUSR | S_IXGRP | S_IXOTH;
    for (; changes->flag != MODE_DONE; changes++) {
        mode_t affected = changes->affected;
        mode_t omit = (dir ? S_ISUID | S_ISGID : 0) & ~changes->mentioned;
        mode_t value = changes->value;
        switch (changes->flag) {
        case MODE_COPY_EXISTING:
            value &= newmode;
            value |= (value & R ? R : 0) | (value & W ? W : 0) | (value & X ? X : 0);
            break;
        case MODE_X_IF_ANY_X:
            if ((newmode & X) || dir) value |= X;
            break;
        }
        value &= (affected ? affected : ~umask_value) & ~omit;
        switch (changes->op) {
        case '=': {
            mode_t preserved = (affected ? ~affected : 0) | omit;
            bits |= ALLM & ~preserved;
            newmode = (newmode & preserved) | value;
            break;
        }
        case '+': bits |= value; newmode |= value; break;
        case '-': bits |= value; newmode &= ~value; break;
        }
    }
    if (mode_bits) *mode_bits = bits;
    return newmode;
}

void mode_string(mode_t m, char out[11])
{
    char t = '?';
    switch (m & S_IFMT) {
    case S_IFREG: t = '-'; break;
    case S_IFDIR: t = 'd'; break;
    case S_IFLNK: t = 'l'; break;
    case S_IFIFO: t = 'p'; break;
    case S_IFCHR: t = 'c'; break;
    case S_IFBLK: t = 'b'; break;
    case S_IFSOCK: t = 's'; break;
    }
    out[0] = t;
    out[1] = m & S_IRUSR ? 'r' : '-';
    out[2] = m & S_IWUSR ? 'w' : '-';
    out[3] = m & S_ISUID ? (m & S_IXUSR ? 's' : 'S') : (m & S_IXUSR ? 'x' : '-');
    out[4] = m & S_IRGRP ? 'r' : '-';
    out[5] = m & S_IWGRP ? 'w' : '-';
    out[6] = m & S_ISGID ? (m & S_IXGRP ? 's' : 'S') : (m & S_IXGRP ? 'x' : '-');
    out[7] = m & S_IROTH ? 'r' : '-';
    out[8] = m & S_IWOTH ? 'w' : '-';
    out[9] = m & S_ISVTX ? (m & S_IXOTH ? 't' : 'T') : (m & S_IXOTH ? 'x' : '-');
    out[10] = 0;
}
