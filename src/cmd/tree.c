/* tree.c — list contents of directories in a tree-like format, as tree
 * 2.1.0: -a -d -l -f -x -L -P -I --ignore-case --matchdirs --prune
 * --filelimit --noreport -i -q -N -Q -p -u -g -s -h --si --du -D --timefmt
 * -F --inodes --device -v -t -c -U -r --dirsfirst --filesfirst --sort
 * --charset, with tree's line drawing, its "[...]" info column and its
 * summary line (2.1.0 counts a non-empty top directory too).
 *
 * Options are parsed the way tree does it (not getopt): "-L 2" takes the
 * next argument, "--opt=X" or "--opt X". HTML/JSON/XML output and git
 * ignore files are not supported and fail as unknown options. */
#include "cmd/cmd.h"
#include "lib/fileinfo.h"
#include "lib/timefmt.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>

static const char tree_help[] =
    "usage: tree [-acdfghilnpqrstuvxACDFJQNSUX] [-L level [-R]] [-H  baseHREF]\n"
    "\t[-T title] [-o filename] [-P pattern] [-I pattern] [--gitignore]\n"
    "\t[--gitfile[=]file] [--matchdirs] [--metafirst] [--ignore-case]\n"
    "\t[--nolinks] [--hintro[=]file] [--houtro[=]file] [--inodes] [--device]\n"
    "\t[--sort[=]<name>] [--dirsfirst] [--filesfirst] [--filelimit #] [--si]\n"
    "\t[--du] [--prune] [--charset[=]X] [--timefmt[=]format] [--fromfile]\n"
    "\t[--fflinks] [--info] [--infofile[=]file] [--noreport] [--version]\n"
    "\t[--help] [--] [directory ...]\n"
    "  ------- Listing options -------\n"
    "  -a            All files are listed.\n"
    "  -d            List directories only.\n"
    "  -l            Follow symbolic links like directories.\n"
    "  -f            Print the full path prefix for each file.\n"
    "  -x            Stay on current filesystem only.\n"
    "  -L level      Descend only level directories deep.\n"
    "  -R            Rerun tree when max dir level reached.\n"
    "  -P pattern    List only those files that match the pattern given.\n"
    "  -I pattern    Do not list files that match the given pattern.\n"
    "  --gitignore   Filter by using .gitignore files.\n"
    "  --gitfile X   Explicitly read gitignore file.\n"
    "  --ignore-case Ignore case when pattern matching.\n"
    "  --matchdirs   Include directory names in -P pattern matching.\n"
    "  --metafirst   Print meta-data at the beginning of each line.\n"
    "  --prune       Prune empty directories from the output.\n"
    "  --info        Print information about files found in .info files.\n"
    "  --infofile X  Explicitly read info file.\n"
    "  --noreport    Turn off file/directory count at end of tree listing.\n"
    "  --charset X   Use charset X for terminal/HTML and indentation line output.\n"
    "  --filelimit # Do not descend dirs with more than # files in them.\n"
    "  -o filename   Output to file instead of stdout.\n"
    "  ------- File options -------\n"
    "  -q            Print non-printable characters as '?'.\n"
    "  -N            Print non-printable characters as is.\n"
    "  -Q            Quote filenames with double quotes.\n"
    "  -p            Print the protections for each file.\n"
    "  -u            Displays file owner or UID number.\n"
    "  -g            Displays file group owner or GID number.\n"
    "  -s            Print the size in bytes of each file.\n"
    "  -h            Print the size in a more human readable way.\n"
    "  --si          Like -h, but use in SI units (powers of 1000).\n"
    "  --du          Compute size of directories by their contents.\n"
    "  -D            Print the date of last modification or (-c) status change.\n"
    "  --timefmt <f> Print and format time according to the format <f>.\n"
    "  -F            Appends '/', '=', '*', '@', '|' or '>' as per ls -F.\n"
    "  --inodes      Print inode number of each file.\n"
    "  --device      Print device ID number to which each file belongs.\n"
    "  ------- Sorting options -------\n"
    "  -v            Sort files alphanumerically by version.\n"
    "  -t            Sort files by last modification time.\n"
    "  -c            Sort files by last status change time.\n"
    "  -U            Leave files unsorted.\n"
    "  -r            Reverse the order of the sort.\n"
    "  --dirsfirst   List directories before files (-U disables).\n"
    "  --filesfirst  List files before directories (-U disables).\n"
    "  --sort X      Select sort: name,version,size,mtime,ctime.\n"
    "  ------- Graphics options -------\n"
    "  -i            Don't print indentation lines.\n"
    "  -A            Print ANSI lines graphic indentation lines.\n"
    "  -S            Print with CP437 (console) graphics indentation lines.\n"
    "  -n            Turn colorization off always (-C overrides).\n"
    "  -C            Turn colorization on always.\n"
    "  ------- XML/HTML/JSON options -------\n"
    "  -X            Prints out an XML representation of the tree.\n"
    "  -J            Prints out an JSON representation of the tree.\n"
    "  -H baseHREF   Prints out HTML format with baseHREF as top directory.\n"
    "  -T string     Replace the default HTML title and H1 header with string.\n"
    "  --nolinks     Turn off hyperlinks in HTML output.\n"
    "  --hintro X    Use file X as the HTML intro.\n"
    "  --houtro X    Use file X as the HTML outro.\n"
    "  ------- Input options -------\n"
    "  --fromfile    Reads paths from files (.=stdin)\n"
    "  --fflinks     Process link information when using --fromfile.\n"
    "  ------- Miscellaneous options -------\n"
    "  --version     Print version and exit.\n"
    "  --help        Print usage and this help message and exit.\n"
    "  --            Options processing terminator.\n";

static const char tree_version[] =
    "tree v2.1.0 \xc2\xa9 1996 - 2022 by Steve Baker, Thomas Moore, Francesc Rocher, Florian "
    "Sesser, Kyosuke Tokoro\n";

enum sortkind { SORT_NAME, SORT_VERSION, SORT_SIZE, SORT_MTIME, SORT_CTIME, SORT_NONE };

struct tent {
    char *name;
    char *link;
    struct stat st; /* lstat */
    mode_t target_mode;
    bool isdir, target_ok, err;
};

struct tree {
    struct proc *p;
    struct obuf out;
    bool all, dirs_only, follow, full_path, xdev, noindent, report, prune, match_dirs, icase;
    bool perms, user, group, size, human, si, du, date, classify, inodes, device, quote;
    int nonprint; /* 0 escape \ooo, 1 '?', 2 as is */
    bool dirs_first, files_first, reverse, ascii;
    enum sortkind sort;
    long max_level;
    long filelimit;
    const char *pattern, *ignore, *timefmt;
    struct idcache ids;
    struct tf_zone tz;
    struct timespec now;
    uintmax_t ndirs, nfiles;
    int status;
    dev_t root_dev;
    dev_t *adev;
    ino_t *aino;
    size_t nactive, cap_active;
    struct vfs_dirent *dents;
    bool oom;
};

/* ---- name output ------------------------------------------------------------- */

static void put_name(struct tree *t, const char *s)
{
    struct obuf *o = &t->out;
    if (t->quote) obuf_putc(o, '"');
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    bool utf8 = cmd_utf8_locale(t->p);
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        if (c >= 0x20 && c < 0x7f) {
            obuf_putc(o, (char)c);
            i++;
            continue;
        }
        uint32_t cp;
        int r = utf8 && c >= 0x80 ? cmd_utf8_decode(u + i, n - i, &cp) : -1;
        if (r > 0 && cmd_iswprint(cp, true)) {
            obuf_write(o, u + i, (size_t)r);
            i += (size_t)r;
            continue;
        }
        if (t->nonprint == 2)
            obuf_putc(o, (char)c);
        else if (t->nonprint == 1)
            obuf_putc(o, '?');
        else
            obuf_printf(o, "\\%03o", c);
        i++;
    }
    if (t->quote) obuf_putc(o, '"');
}

/* " %4d" / " %3.1fK" / " %11lld" as tree's psize. */
static int psize(struct tree *t, char *buf, size_t n, uintmax_t size)
{
    static const char iec[] = "BKMGTPEZY", si[] = "dkMGTPEZY";
    if (t->human || t->si) {
        const char *unit = t->si ? si : iec;
        uintmax_t usize = t->si ? 1000 : 1024;
        int idx;
        for (idx = size < usize ? 0 : 1; size >= usize * usize; idx++, size /= usize)
            ;
        if (!idx) return snprintf(buf, n, " %4d", (int)size);
        return snprintf(buf, n, size / usize >= 10 ? " %3.0f%c" : " %3.1f%c",
                        (double)((float)size / (float)usize), unit[idx]);
    }
    return snprintf(buf, n, " %11lld", (long long)size);
}

static void put_info(struct tree *t, const struct stat *st, uintmax_t dusize)
{
    char buf[512];
    int n = 0;
    if (t->inodes) n += snprintf(buf + n, sizeof buf - (size_t)n, " %7lld", (long long)st->st_ino);
    if (t->device) n += snprintf(buf + n, sizeof buf - (size_t)n, " %3d", (int)st->st_dev);
    if (t->perms) {
        char m[12];
        file_mode_string(st->st_mode, m);
        m[10] = '\0';
        n += snprintf(buf + n, sizeof buf - (size_t)n, " %s", m);
    }
    if (t->user) {
        const char *nm = idcache_user(&t->ids, st->st_uid);
        char num[24];
        if (!nm) snprintf(num, sizeof num, "%u", st->st_uid), nm = num;
        n += snprintf(buf + n, sizeof buf - (size_t)n, " %-8.32s", nm);
    }
    if (t->group) {
        const char *nm = idcache_group(&t->ids, st->st_gid);
        char num[24];
        if (!nm) snprintf(num, sizeof num, "%u", st->st_gid), nm = num;
        n += snprintf(buf + n, sizeof buf - (size_t)n, " %-8.32s", nm);
    }
    if (t->size)
        n += psize(t, buf + n, sizeof buf - (size_t)n, t->du ? dusize : (uintmax_t)st->st_size);
    if (t->date) {
        struct timespec ts = t->sort == SORT_CTIME ? st->st_ctim : st->st_mtim;
        struct tm tm;
        char tb[256];
        const char *fmt = t->timefmt;
        if (!fmt)
            fmt = ts.tv_sec > t->now.tv_sec || ts.tv_sec < t->now.tv_sec - 6 * 31 * 24 * 60 * 60
                      ? "%b %e  %Y"
                      : "%b %e %H:%M";
        size_t l = 0;
        if (tf_localtime(&t->tz, ts.tv_sec, &tm))
            l = tf_strftime(tb, sizeof tb, fmt, &tm, ts.tv_nsec);
        if (l >= sizeof tb) l = 0;
        tb[l] = '\0';
        n += snprintf(buf + n, sizeof buf - (size_t)n, " %s", tb);
    }
    if (n <= 0) return;
    if (n >= (int)sizeof buf) n = (int)sizeof buf - 1;
    obuf_putc(&t->out, '[');
    obuf_write(&t->out, buf + 1, (size_t)n - 1);
    obuf_puts(&t->out, "]  ");
}

static char indicator(mode_t m)
{
    if (S_ISDIR(m)) return '/';
    if (S_ISSOCK(m)) return '=';
    if (S_ISFIFO(m)) return '|';
    if (S_ISLNK(m)) return '@';
    if (S_ISREG(m) && (m & 0111)) return '*';
    return 0;
}

/* ---- patterns and sorting ------------------------------------------------------ */

static bool patmatch(struct tree *t, const char *pat, const char *name)
{
    char buf[1024];
    const char *s = pat;
    for (;;) {
        const char *bar = strchr(s, '|');
        size_t l = bar ? (size_t)(bar - s) : strlen(s);
        if (l < sizeof buf) {
            memcpy(buf, s, l);
            buf[l] = '\0';
            if (fnmatch(buf, name, t->icase ? FNM_CASEFOLD : 0) == 0) return true;
        }
        if (!bar) return false;
        s = bar + 1;
    }
}

static int ent_cmp(const void *va, const void *vb, void *ctx)
{
    struct tree *t = ctx;
    const struct tent *a = va, *b = vb;
    if (t->dirs_first && a->isdir != b->isdir) return a->isdir ? -1 : 1;
    if (t->files_first && a->isdir != b->isdir) return a->isdir ? 1 : -1;
    int v = 0;
    switch (t->sort) {
    case SORT_VERSION: v = strverscmp(a->name, b->name); break;
    case SORT_SIZE:
        v = a->st.st_size == b->st.st_size ? 0 : a->st.st_size < b->st.st_size ? 1 : -1;
        if (!v) v = strcmp(a->name, b->name);
        break;
    case SORT_MTIME:
    case SORT_CTIME: {
        struct timespec x = t->sort == SORT_MTIME ? a->st.st_mtim : a->st.st_ctim;
        struct timespec y = t->sort == SORT_MTIME ? b->st.st_mtim : b->st.st_ctim;
        v = x.tv_sec == y.tv_sec ? strcmp(a->name, b->name) : x.tv_sec < y.tv_sec ? -1 : 1;
        break;
    }
    case SORT_NONE: return 0;
    default: v = strcmp(a->name, b->name); break;
    }
    return t->reverse ? -v : v;
}

/* ---- walking ----------------------------------------------------------------- */

struct listing {
    struct tent *ents;
    size_t n;
    char *names; /* arena */
};

static void free_listing(struct tree *t, struct listing *l)
{
    for (size_t i = 0; i < l->n; i++) {
        p_free(t->p, l->ents[i].name);
        p_free(t->p, l->ents[i].link);
    }
    p_free(t->p, l->ents);
    l->ents = NULL;
    l->n = 0;
}

static char *join(struct tree *t, const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *s = p_malloc(t->p, dl + nl + 2);
    if (!s) return NULL;
    memcpy(s, dir, dl);
    size_t k = dl;
    if (!(k && s[k - 1] == '/')) s[k++] = '/';
    memcpy(s + k, name, nl + 1);
    return s;
}

/* Read dir's entries that pass the filters. -1 when it cannot be opened. */
static int read_dir(struct tree *t, const char *path, struct listing *l)
{
    struct proc *p = t->p;
    int fd = sys_open(p, path, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) return -1;
    size_t cap = 0;
    l->ents = NULL;
    l->n = 0;
    for (;;) {
        int n = sys_getdents(p, fd, t->dents, 64);
        if (n <= 0) break;
        for (int i = 0; i < n; i++) {
            const char *nm = t->dents[i].name;
            if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) continue;
            if (!t->all && nm[0] == '.') continue;
            if (l->n == cap) {
                size_t nc = cap ? cap * 2 : 32;
                struct tent *ne = p_realloc(p, l->ents, nc * sizeof *ne);
                if (!ne) {
                    t->oom = true;
                    break;
                }
                l->ents = ne;
                cap = nc;
            }
            struct tent *e = &l->ents[l->n];
            memset(e, 0, sizeof *e);
            e->name = p_strdup(p, nm);
            char *full = join(t, path, nm);
            if (!e->name || !full) {
                p_free(p, full);
                t->oom = true;
                break;
            }
            if (sys_lstat(p, full, &e->st) < 0) e->err = true;
            e->isdir = S_ISDIR(e->st.st_mode);
            if (S_ISLNK(e->st.st_mode)) {
                char lb[VFS_PATH_MAX + 1];
                ssize_t r = sys_readlink(p, full, lb, sizeof lb - 1);
                if (r >= 0) {
                    lb[r] = '\0';
                    e->link = p_strdup(p, lb);
                }
                struct stat ts;
                if (sys_stat(p, full, &ts) == 0) {
                    e->target_ok = true;
                    e->target_mode = ts.st_mode;
                    e->isdir = S_ISDIR(ts.st_mode);
                    if (t->follow) {
                        e->st.st_size = ts.st_size;
                    }
                }
            }
            p_free(p, full);
            /* filters */
            bool keep = true;
            if (t->dirs_only && !e->isdir) keep = false;
            if (keep && t->ignore && patmatch(t, t->ignore, nm)) keep = false;
            if (keep && t->pattern && (!e->isdir || t->match_dirs) &&
                !patmatch(t, t->pattern, nm)) {
                if (!e->isdir) keep = false;
            }
            if (!keep) {
                p_free(p, e->name);
                p_free(p, e->link);
                continue;
            }
            l->n++;
        }
        if (t->oom || proc_check(p) < 0) break;
    }
    sys_close(p, fd);
    if (t->sort != SORT_NONE || t->dirs_first || t->files_first) {
        void **v = p_malloc(p, (l->n + 1) * sizeof *v),
             **tmp = p_malloc(p, (l->n + 1) * sizeof *tmp);
        struct tent *sorted = p_malloc(p, (l->n + 1) * sizeof *sorted);
        if (!v || !tmp || !sorted) {
            t->oom = true;
        } else {
            for (size_t i = 0; i < l->n; i++) v[i] = &l->ents[i];
            ptr_mergesort(v, l->n, tmp, ent_cmp, t);
            for (size_t i = 0; i < l->n; i++) sorted[i] = *(struct tent *)v[i];
            p_free(p, l->ents);
            l->ents = sorted;
            sorted = NULL;
        }
        p_free(p, v);
        p_free(p, tmp);
        p_free(p, sorted);
    } else if (t->reverse) {
        for (size_t i = 0; i < l->n / 2; i++) {
            struct tent x = l->ents[i];
            l->ents[i] = l->ents[l->n - 1 - i];
            l->ents[l->n - 1 - i] = x;
        }
    }
    return 0;
}

static const char *const utf8_lines[4] = {"\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80 ",
                                          "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 ",
                                          "\xe2\x94\x82\xc2\xa0\xc2\xa0 ", "    "};
static const char *const ascii_lines[4] = {"|-- ", "`-- ", "|   ", "    "};

/* Print the entries of dir (already known to be a directory) at depth
 * level (1 for the top's children); prefix holds "more" flags. Returns the
 * total size (for --du). */
static uintmax_t list_dir(struct tree *t, const char *path, int level, bool *more, bool *nonempty);

static bool subtree_has_match(struct tree *t, const char *path, int level);
static uintmax_t du_size(struct tree *t, const char *path, const struct stat *st, int level);

static uintmax_t print_entry(struct tree *t, const char *dirpath, struct tent *e, int level,
                             bool *more, bool last)
{
    struct proc *p = t->p;
    const char *const *lines = t->ascii ? ascii_lines : utf8_lines;
    char *full = join(t, dirpath, e->name);
    if (!full) {
        t->oom = true;
        return 0;
    }
    /* what the entry holds, listed below it */
    bool descend = e->isdir && !e->err && (!S_ISLNK(e->st.st_mode) || t->follow) &&
                   (t->max_level <= 0 || level < t->max_level);
    bool recursive_link = false;
    struct stat dst;
    if (descend && sys_stat(p, full, &dst) == 0) {
        for (size_t i = 0; i < t->nactive; i++)
            if (t->adev[i] == dst.st_dev && t->aino[i] == dst.st_ino) recursive_link = true;
        if (t->xdev && dst.st_dev != t->root_dev) descend = false;
    }
    if (recursive_link) descend = false;
    /* --du shows a directory's whole subtree on its own line */
    uintmax_t dusize = (uintmax_t)e->st.st_size;
    if (t->du && e->isdir && !S_ISLNK(e->st.st_mode)) dusize = du_size(t, full, &e->st, level);
    if (!t->noindent) {
        for (int i = 1; i < level; i++) obuf_puts(&t->out, more[i] ? lines[2] : lines[3]);
        obuf_puts(&t->out, last ? lines[1] : lines[0]);
    }
    put_info(t, &e->st, dusize);
    if (t->full_path)
        put_name(t, full);
    else
        put_name(t, e->name);
    if (S_ISLNK(e->st.st_mode) && e->link) {
        obuf_puts(&t->out, " -> ");
        put_name(t, e->link);
        if (t->classify && e->target_ok) {
            char c = indicator(e->target_mode);
            if (c) obuf_putc(&t->out, c);
        }
    } else if (t->classify && !e->err) {
        char c = indicator(e->st.st_mode);
        if (c) obuf_putc(&t->out, c);
    }
    uintmax_t total = dusize; /* tree 2.1.0's --du report adds up every line's size */
    if (recursive_link) obuf_puts(&t->out, "  [recursive, not followed]");
    if (e->isdir) {
        t->ndirs++;
        if (descend) {
            struct listing l;
            if (t->filelimit > 0) {
                if (read_dir(t, full, &l) == 0) {
                    if ((long)l.n > t->filelimit) {
                        obuf_printf(&t->out, "  [%zu entries exceeds filelimit, not opening dir]\n",
                                    l.n);
                        free_listing(t, &l);
                        p_free(p, full);
                        return total;
                    }
                    free_listing(t, &l);
                }
            }
            int fd = sys_open(p, full, O_RDONLY | O_DIRECTORY, 0);
            if (fd < 0) {
                obuf_puts(&t->out, "  [error opening dir]\n");
                t->status = 2;
                p_free(p, full);
                return total;
            }
            sys_close(p, fd);
            obuf_putc(&t->out, '\n');
            bool ne;
            total += list_dir(t, full, level + 1, more, &ne);
        } else {
            obuf_putc(&t->out, '\n');
        }
    } else {
        t->nfiles++;
        obuf_putc(&t->out, '\n');
    }
    p_free(p, full);
    return total;
}

static bool subtree_has_match(struct tree *t, const char *path, int level)
{
    struct listing l;
    if (read_dir(t, path, &l) < 0) return false;
    bool found = false;
    for (size_t i = 0; i < l.n && !found; i++) {
        struct tent *e = &l.ents[i];
        if (!e->isdir) {
            found = true;
        } else if (!S_ISLNK(e->st.st_mode) && (t->max_level <= 0 || level < t->max_level)) {
            char *full = join(t, path, e->name);
            if (full) found = subtree_has_match(t, full, level + 1);
            p_free(t->p, full);
        }
    }
    free_listing(t, &l);
    return found;
}

static uintmax_t list_dir(struct tree *t, const char *path, int level, bool *more, bool *nonempty)
{
    struct proc *p = t->p;
    struct listing l;
    *nonempty = false;
    if (level > 4000 || read_dir(t, path, &l) < 0) return 0;
    struct stat st;
    bool pushed = false;
    if (sys_stat(p, path, &st) == 0) {
        if (t->nactive == t->cap_active) {
            size_t nc = t->cap_active ? t->cap_active * 2 : 32;
            dev_t *d = p_realloc(p, t->adev, nc * sizeof *d);
            if (d) t->adev = d;
            ino_t *in = d ? p_realloc(p, t->aino, nc * sizeof *in) : NULL;
            if (in) {
                t->aino = in;
                t->cap_active = nc;
            }
        }
        if (t->nactive < t->cap_active) {
            t->adev[t->nactive] = st.st_dev;
            t->aino[t->nactive] = st.st_ino;
            t->nactive++;
            pushed = true;
        }
    }
    /* --prune drops directories with nothing to show below */
    if (t->prune) {
        size_t j = 0;
        for (size_t i = 0; i < l.n; i++) {
            struct tent *e = &l.ents[i];
            bool keep = true;
            if (e->isdir && !S_ISLNK(e->st.st_mode)) {
                char *full = join(t, path, e->name);
                keep = full && subtree_has_match(t, full, level + 1);
                p_free(p, full);
            } else if (e->isdir) {
                keep = false;
            }
            if (keep)
                l.ents[j++] = *e;
            else {
                p_free(p, e->name);
                p_free(p, e->link);
            }
        }
        l.n = j;
    }
    uintmax_t total = 0;
    *nonempty = l.n > 0;
    bool *m = more;
    for (size_t i = 0; i < l.n && !t->oom; i++) {
        m[level] = i + 1 < l.n;
        total += print_entry(t, path, &l.ents[i], level, m, i + 1 == l.n);
        if (proc_check(p) < 0 || obuf_failed(&t->out)) break;
    }
    if (pushed) t->nactive--;
    free_listing(t, &l);
    return total;
}

/* --du: sizes include everything below; computed by a first walk. */
static uintmax_t du_size(struct tree *t, const char *path, const struct stat *st, int level)
{
    uintmax_t total = (uintmax_t)st->st_size;
    if (!S_ISDIR(st->st_mode)) return total;
    struct listing l;
    if (read_dir(t, path, &l) < 0) return total;
    for (size_t i = 0; i < l.n; i++) {
        struct tent *e = &l.ents[i];
        char *full = join(t, path, e->name);
        if (!full) break;
        if (S_ISDIR(e->st.st_mode) && level < 4000)
            total += du_size(t, full, &e->st, level + 1);
        else
            total += (uintmax_t)e->st.st_size;
        p_free(t->p, full);
    }
    free_listing(t, &l);
    return total;
}

static void usage_err(struct tree *t)
{
    const char *end = strstr(tree_help, "  ------- Listing options");
    size_t n = end ? (size_t)(end - tree_help) : strlen(tree_help);
    /* the help text has "%%" for printf; the usage lines have none */
    io_write_all(t->p, 2, tree_help, n);
}

static int bad_arg(struct tree *t, const char *fmt, const char *arg)
{
    char b[512];
    snprintf(b, sizeof b, fmt, arg);
    io_write_all(t->p, 2, b, strlen(b));
    usage_err(t);
    return 1;
}

static int missing(struct tree *t, const char *opt)
{
    char b[128];
    snprintf(b, sizeof b, "tree: Missing argument to %s option.\n", opt);
    io_write_all(t->p, 2, b, strlen(b));
    return 1;
}

int cmd_tree(struct proc *p, int argc, char **argv)
{
    struct tree *t = p_calloc(p, 1, sizeof *t);
    if (!t) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    t->p = p;
    t->report = true;
    t->sort = SORT_NAME;
    char **dirs = p_calloc(p, (size_t)argc + 1, sizeof *dirs);
    if (!dirs) return 1;
    int ndirs = 0;
    bool opts_done = false;
    for (int n = 1; n < argc; n++) {
        char *a = argv[n];
        if (opts_done || a[0] != '-' || !a[1]) {
            dirs[ndirs++] = a;
            continue;
        }
        if (a[1] == '-') {
            if (!a[2]) {
                opts_done = true;
                continue;
            }
            const char *name = a + 2;
            char *eq = strchr(a, '=');
            size_t nl = eq ? (size_t)(eq - name) : strlen(name);
            const char *val = eq ? eq + 1 : NULL;
#define IS(s) (nl == strlen(s) && strncmp(name, s, nl) == 0)
#define NEEDVAL(s)                                                                                 \
    do {                                                                                           \
        if (!val) {                                                                                \
            if (n + 1 >= argc) return missing(t, "--" s);                                          \
            val = argv[++n];                                                                       \
        }                                                                                          \
    } while (0)
            if (IS("help")) {
                obuf_init(&t->out, p, 1);
                obuf_printf(&t->out, tree_help);
                return cmd_close_stdout(p, &t->out, 0);
            } else if (IS("version")) {
                io_write_all(p, 1, tree_version, strlen(tree_version));
                return 0;
            } else if (IS("noreport")) {
                t->report = false;
            } else if (IS("dirsfirst")) {
                t->dirs_first = true;
            } else if (IS("filesfirst")) {
                t->files_first = true;
            } else if (IS("du")) {
                t->du = true;
                t->size = true;
            } else if (IS("prune")) {
                t->prune = true;
            } else if (IS("si")) {
                t->si = true;
                t->size = true;
            } else if (IS("inodes")) {
                t->inodes = true;
            } else if (IS("device")) {
                t->device = true;
            } else if (IS("matchdirs")) {
                t->match_dirs = true;
            } else if (IS("ignore-case")) {
                t->icase = true;
            } else if (IS("filelimit")) {
                NEEDVAL("filelimit");
                t->filelimit = atol(val);
            } else if (IS("timefmt")) {
                NEEDVAL("timefmt");
                t->timefmt = val;
                t->date = true;
            } else if (IS("charset")) {
                NEEDVAL("charset");
                t->ascii = strcasecmp(val, "utf-8") != 0 && strcasecmp(val, "utf8") != 0;
            } else if (IS("sort")) {
                NEEDVAL("sort");
                static const char *const sorts[] = {"name",  "version", "size", "mtime",
                                                    "ctime", "none",    NULL};
                int k = -1;
                for (int i = 0; sorts[i]; i++)
                    if (strcmp(val, sorts[i]) == 0) k = i;
                if (k < 0) {
                    char b[256];
                    snprintf(b, sizeof b,
                             "tree: Sort type '%s' not valid, should be one of: ", val);
                    io_write_all(p, 2, b, strlen(b));
                    io_write_all(p, 1, "name,version,size,mtime,ctime\n", 30);
                    return 1;
                }
                t->sort = (enum sortkind)k;
            } else {
                return bad_arg(t, "tree: Invalid argument `%s'.\n", a);
            }
            continue;
        }
        for (char *c = a + 1; *c; c++) {
            switch (*c) {
            case 'a': t->all = true; break;
            case 'd': t->dirs_only = true; break;
            case 'l': t->follow = true; break;
            case 'f': t->full_path = true; break;
            case 'x': t->xdev = true; break;
            case 'i': t->noindent = true; break;
            case 'q': t->nonprint = 1; break;
            case 'N': t->nonprint = 2; break;
            case 'Q': t->quote = true; break;
            case 'p': t->perms = true; break;
            case 'u': t->user = true; break;
            case 'g': t->group = true; break;
            case 's': t->size = true; break;
            case 'h':
                t->human = true;
                t->size = true;
                break;
            case 'D': t->date = true; break;
            case 'F': t->classify = true; break;
            case 'v': t->sort = SORT_VERSION; break;
            case 't': t->sort = SORT_MTIME; break;
            case 'c': t->sort = SORT_CTIME; break;
            case 'U': t->sort = SORT_NONE; break;
            case 'r': t->reverse = true; break;
            case 'n': break; /* no colour: vos never colours tree output */
            case 'L':
                if (n + 1 >= argc) return missing(t, "-L");
                {
                    char *end;
                    long v = strtol(argv[++n], &end, 10);
                    if (*end || v < 1) {
                        const char *m = "tree: Invalid level, must be greater than 0.\n";
                        io_write_all(p, 2, m, strlen(m));
                        return 1;
                    }
                    t->max_level = v;
                }
                break;
            case 'P':
                if (n + 1 >= argc) return missing(t, "-P");
                t->pattern = argv[++n];
                break;
            case 'I':
                if (n + 1 >= argc) return missing(t, "-I");
                t->ignore = argv[++n];
                break;
            default: {
                char b[8] = {*c, 0};
                return bad_arg(t, "tree: Invalid argument -`%s'.\n", b);
            }
            }
        }
    }
    idcache_init(&t->ids, p);
    tf_zone_load(&t->tz, proc_getenv(p, "TZ"));
    sys_clock_gettime(p, CLOCK_REALTIME, &t->now);
    t->dents = p_malloc(p, 64 * sizeof *t->dents);
    bool *more = p_calloc(p, 4100, sizeof *more);
    if (!t->dents || !more) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    if (!ndirs) dirs[ndirs++] = ".";
    obuf_init(&t->out, p, 1);
    uintmax_t grand = 0; /* --du: the sum of the sizes shown below the tops */
    for (int i = 0; i < ndirs; i++) {
        const char *d = dirs[i];
        struct stat st;
        int r = sys_stat(p, d, &st);
        if (r < 0 || !S_ISDIR(st.st_mode)) {
            if (r >= 0)
                t->nfiles++;
            else
                t->status = 2;
            put_name(t, d);
            obuf_puts(&t->out, "  [error opening dir]\n");
            continue;
        }
        t->root_dev = st.st_dev;
        uintmax_t dus = t->du ? du_size(t, d, &st, 0) : (uintmax_t)st.st_size;
        put_info(t, &st, dus);
        put_name(t, d);
        if (t->classify) obuf_putc(&t->out, '/');
        int fd = sys_open(p, d, O_RDONLY | O_DIRECTORY, 0);
        if (fd < 0) {
            obuf_puts(&t->out, "  [error opening dir]\n");
            t->status = 2;
            continue;
        }
        sys_close(p, fd);
        obuf_putc(&t->out, '\n');
        bool nonempty;
        grand += list_dir(t, d, 1, more, &nonempty);
        if (nonempty) t->ndirs++; /* tree 2.1.0 counts a non-empty top directory */
    }
    if (t->report) {
        obuf_putc(&t->out, '\n');
        if (t->du) {
            char b[64];
            psize(t, b, sizeof b, grand);
            obuf_puts(&t->out, b);
            obuf_puts(&t->out, t->human || t->si ? " used in " : " bytes used in ");
        }
        obuf_printf(&t->out, "%ju director%s", t->ndirs, t->ndirs == 1 ? "y" : "ies");
        if (!t->dirs_only)
            obuf_printf(&t->out, ", %ju file%s", t->nfiles, t->nfiles == 1 ? "" : "s");
        obuf_putc(&t->out, '\n');
    }
    return cmd_close_stdout(p, &t->out, t->status);
}
