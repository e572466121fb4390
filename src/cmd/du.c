/* du.c — estimate file space usage, as GNU du 9.1: disk usage (st_blocks)
 * or --apparent-size / -b, -a -s -c -d/--max-depth -S -x -L -D/-H -P -l,
 * --exclude / -X, --files0-from, -0, --inodes, -t/--threshold, --time /
 * --time-style, and sizes in blocks (-k -m -B, DU_BLOCK_SIZE) or human
 * form (-h --si).
 *
 * Directories are walked depth first with sys_getdents, children in the
 * directory's own order (fts without a comparison function), each counted
 * after its contents. Hard links count once unless -l; with several
 * operands or -L every file and directory is remembered, so a tree named
 * twice counts once. */
#include "cmd/cmd.h"
#include "lib/human.h"
#include "lib/timefmt.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>

static const char du_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "  or:  %s [OPTION]... --files0-from=F\n"
    "Summarize device usage of the set of FILEs, recursively for directories.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -0, --null            end each output line with NUL, not newline\n"
    "  -a, --all             write counts for all files, not just directories\n"
    "      --apparent-size   print apparent sizes rather than device usage; although\n"
    "                          the apparent size is usually smaller, it may be\n"
    "                          larger due to holes in ('sparse') files, internal\n"
    "                          fragmentation, indirect blocks, and the like\n"
    "  -B, --block-size=SIZE  scale sizes by SIZE before printing them; e.g.,\n"
    "                           '-BM' prints sizes in units of 1,048,576 bytes;\n"
    "                           see SIZE format below\n"
    "  -b, --bytes           equivalent to '--apparent-size --block-size=1'\n"
    "  -c, --total           produce a grand total\n"
    "  -D, --dereference-args  dereference only symlinks that are listed on the\n"
    "                          command line\n"
    "  -d, --max-depth=N     print the total for a directory (or file, with --all)\n"
    "                          only if it is N or fewer levels below the command\n"
    "                          line argument;  --max-depth=0 is the same as\n"
    "                          --summarize\n"
    "      --files0-from=F   summarize device usage of the\n"
    "                          NUL-terminated file names specified in file F;\n"
    "                          if F is -, then read names from standard input\n"
    "  -H                    equivalent to --dereference-args (-D)\n"
    "  -h, --human-readable  print sizes in human readable format (e.g., 1K 234M 2G)\n"
    "      --inodes          list inode usage information instead of block usage\n"
    "  -k                    like --block-size=1K\n"
    "  -L, --dereference     dereference all symbolic links\n"
    "  -l, --count-links     count sizes many times if hard linked\n"
    "  -m                    like --block-size=1M\n"
    "  -P, --no-dereference  don't follow any symbolic links (this is the default)\n"
    "  -S, --separate-dirs   for directories do not include size of subdirectories\n"
    "      --si              like -h, but use powers of 1000 not 1024\n"
    "  -s, --summarize       display only a total for each argument\n"
    "  -t, --threshold=SIZE  exclude entries smaller than SIZE if positive,\n"
    "                          or entries greater than SIZE if negative\n"
    "      --time            show time of the last modification of any file in the\n"
    "                          directory, or any of its subdirectories\n"
    "      --time=WORD       show time as WORD instead of modification time:\n"
    "                          atime, access, use, ctime or status\n"
    "      --time-style=STYLE  show times using STYLE, which can be:\n"
    "                            full-iso, long-iso, iso, or +FORMAT;\n"
    "                            FORMAT is interpreted like in 'date'\n"
    "  -X, --exclude-from=FILE  exclude files that match any pattern in FILE\n"
    "      --exclude=PATTERN    exclude files that match PATTERN\n"
    "  -x, --one-file-system    skip directories on different file systems\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Display values are in units of the first available SIZE from --block-size,\n"
    "and the DU_BLOCK_SIZE, BLOCK_SIZE and BLOCKSIZE environment variables.\n"
    "Otherwise, units default to 1024 bytes (or 512 if POSIXLY_CORRECT is set).\n"
    "\n"
    "The SIZE argument is an integer and optional unit (example: 10K is 10*1024).\n"
    "Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).\n"
    "Binary prefixes can be used, too: KiB=K, MiB=M, and so on.\n"
    "\n"
    COREUTILS_HELP_TAIL("du", "du");

struct duinfo {
    uintmax_t size, inodes;
    struct timespec tmax;
};

struct pat {
    char *pat;
    struct pat *next;
};

struct seen {
    uint64_t *keys; /* dev ^ ino mix, open addressing; 0 empty */
    dev_t *dev;
    ino_t *ino;
    size_t cap, n;
};

struct du {
    struct proc *p;
    struct obuf out;
    bool ok;
    bool all, apparent, count_links, separate, one_fs, inodes, opt_time, summarize, total;
    bool hash_all, deref_all, deref_args;
    char eol;
    int human_opts;
    uintmax_t block_size;
    intmax_t threshold;
    size_t max_depth;
    int time_kind; /* 0 mtime, 1 atime, 2 ctime */
    const char *time_fmt;
    struct tf_zone tz;
    struct pat *excludes;
    struct seen seen;
    struct duinfo tot;
    dev_t root_dev;
    struct vfs_dirent *dents;
    bool oom;
};

static void nomem(struct du *du)
{
    if (!du->oom) cmd_error(du->p, "memory exhausted");
    du->oom = true;
    du->ok = false;
}

static uint64_t mix(dev_t d, ino_t i)
{
    uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15ull ^ ((uint64_t)d + 0x632BE59BD9B4E019ull);
    x ^= x >> 29;
    return x ? x : 1;
}

/* Insert (dev, ino): true when it was not there yet. */
static bool seen_insert(struct du *du, dev_t d, ino_t i)
{
    struct seen *s = &du->seen;
    if ((s->n + 1) * 2 > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 1024;
        uint64_t *k = p_calloc(du->p, nc, sizeof *k);
        dev_t *dv = p_malloc(du->p, nc * sizeof *dv);
        ino_t *in = p_malloc(du->p, nc * sizeof *in);
        if (!k || !dv || !in) {
            p_free(du->p, k);
            p_free(du->p, dv);
            p_free(du->p, in);
            nomem(du);
            return true;
        }
        for (size_t j = 0; j < s->cap; j++) {
            if (!s->keys[j]) continue;
            size_t h = s->keys[j] & (nc - 1);
            while (k[h]) h = (h + 1) & (nc - 1);
            k[h] = s->keys[j];
            dv[h] = s->dev[j];
            in[h] = s->ino[j];
        }
        p_free(du->p, s->keys);
        p_free(du->p, s->dev);
        p_free(du->p, s->ino);
        s->keys = k;
        s->dev = dv;
        s->ino = in;
        s->cap = nc;
    }
    uint64_t key = mix(d, i);
    size_t h = key & (s->cap - 1);
    while (s->keys[h]) {
        if (s->keys[h] == key && s->dev[h] == d && s->ino[h] == i) return false;
        h = (h + 1) & (s->cap - 1);
    }
    s->keys[h] = key;
    s->dev[h] = d;
    s->ino[h] = i;
    s->n++;
    return true;
}

static void dui_add(struct duinfo *a, const struct duinfo *b)
{
    a->size = a->size + b->size < a->size ? UINTMAX_MAX : a->size + b->size;
    a->inodes += b->inodes;
    if (b->tmax.tv_sec > a->tmax.tv_sec ||
        (b->tmax.tv_sec == a->tmax.tv_sec && b->tmax.tv_nsec > a->tmax.tv_nsec))
        a->tmax = b->tmax;
}

static void dui_init(struct duinfo *d)
{
    d->size = 0;
    d->inodes = 0;
    d->tmax.tv_sec = INT64_MIN;
    d->tmax.tv_nsec = -1;
}

static bool excluded(struct du *du, const char *path)
{
    for (struct pat *q = du->excludes; q; q = q->next) {
        if (fnmatch(q->pat, path, 0) == 0) return true;
        for (const char *s = path; *s; s++)
            if (*s == '/' && s[1] != '/' && fnmatch(q->pat, s + 1, 0) == 0) return true;
    }
    return false;
}

static void print_size(struct du *du, const struct duinfo *d, const char *name)
{
    char hb[HUMAN_BUFSIZE];
    uintmax_t v = du->inodes ? d->inodes : d->size;
    obuf_puts(&du->out, v == UINTMAX_MAX
                            ? "Infinity"
                            : human_readable(v, hb, du->human_opts, 1, du->block_size));
    if (du->opt_time) {
        obuf_putc(&du->out, '\t');
        struct tm tm;
        char tb[1024];
        if (tf_localtime(&du->tz, d->tmax.tv_sec, &tm)) {
            size_t n = tf_strftime(tb, sizeof tb, du->time_fmt, &tm, d->tmax.tv_nsec);
            if (n >= sizeof tb) n = 0;
            obuf_write(&du->out, tb, n);
        } else {
            obuf_printf(&du->out, "%jd", (intmax_t)d->tmax.tv_sec);
        }
    }
    obuf_putc(&du->out, '\t');
    obuf_puts(&du->out, name);
    obuf_putc(&du->out, du->eol);
}

static void maybe_print(struct du *du, const struct duinfo *d, const char *name)
{
    uintmax_t v = du->inodes ? d->inodes : d->size;
    if (du->threshold < 0 ? v <= (uintmax_t)(-du->threshold) : v >= (uintmax_t)du->threshold)
        print_size(du, d, name);
}

static struct timespec pick_time(struct du *du, const struct stat *st)
{
    return du->time_kind == 1 ? st->st_atim : du->time_kind == 2 ? st->st_ctim : st->st_mtim;
}

/* Count path (at depth level; st from the caller) and, for a directory,
 * everything under it. Adds this entry's total to *sum. */
static void du_path(struct du *du, char *path, size_t plen, size_t cap, size_t level,
                    struct duinfo *sum, const struct stat *st)
{
    struct proc *p = du->p;
    if (proc_check(p) < 0 || du->oom) return;
    bool is_dir = S_ISDIR(st->st_mode);
    struct duinfo self;
    dui_init(&self);
    bool print = true;
    if (du->one_fs && level > 0 && st->st_dev != du->root_dev && is_dir) return;
    if (!du->count_links && (du->hash_all || (!is_dir && st->st_nlink > 1)) &&
        !seen_insert(du, st->st_dev, st->st_ino)) {
        if (is_dir) return; /* a directory seen before: skipped whole */
        print = false;
    } else {
        self.size = du->apparent ? (st->st_size > 0 ? (uintmax_t)st->st_size : 0)
                                 : (uintmax_t)st->st_blocks * 512;
        self.inodes = 1;
        self.tmax = pick_time(du, st);
    }
    struct duinfo printed = self; /* own size + files (+ subtrees unless -S) */
    struct duinfo whole = self;   /* the whole subtree, for the parent */
    if (is_dir) {
        int fd = sys_open(p, path, O_RDONLY | O_DIRECTORY, 0);
        if (fd < 0) {
            obuf_flush(&du->out);
            cmd_errno(p, fd, "cannot read directory %s", cmd_quoteaf(p, path));
            du->ok = false;
        } else {
            /* read all names first: the fd is not held while descending */
            char *names = NULL;
            size_t nlen = 0, ncap = 0;
            for (;;) {
                int n = sys_getdents(p, fd, du->dents, 64);
                if (n < 0) {
                    if (n != -EINTR) {
                        obuf_flush(&du->out);
                        cmd_errno(p, n, "cannot read directory %s", cmd_quoteaf(p, path));
                        du->ok = false;
                    }
                    break;
                }
                if (n == 0) break;
                for (int i = 0; i < n; i++) {
                    const char *nm = du->dents[i].name;
                    if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) continue;
                    size_t l = strlen(nm) + 1;
                    if (nlen + l > ncap) {
                        size_t nc = ncap ? ncap * 2 : 4096;
                        while (nc < nlen + l) nc *= 2;
                        char *nn = p_realloc(p, names, nc);
                        if (!nn) {
                            nomem(du);
                            break;
                        }
                        names = nn;
                        ncap = nc;
                    }
                    memcpy(names + nlen, nm, l);
                    nlen += l;
                }
                if (du->oom) break;
            }
            sys_close(p, fd);
            /* children are named dir + "/" + name, without the dir's trailing slashes */
            size_t base = plen;
            while (base > 1 && path[base - 1] == '/') base--;
            for (size_t off = 0; off < nlen && !du->oom; off += strlen(names + off) + 1) {
                const char *nm = names + off;
                size_t l = strlen(nm);
                size_t k = base;
                if (!(k == 1 && path[0] == '/')) k++;
                if (k + l + 1 > cap) {
                    cmd_errno(p, -ENAMETOOLONG, "cannot access %s", cmd_quoteaf(p, nm));
                    du->ok = false;
                    continue;
                }
                path[k - 1] = '/';
                if (k == 1) k = 1;
                memcpy(path + k, nm, l + 1);
                struct stat cst;
                int r = du->deref_all ? sys_stat(p, path, &cst) : sys_lstat(p, path, &cst);
                if (r < 0) {
                    obuf_flush(&du->out);
                    cmd_errno(p, r, "cannot access %s", cmd_quoteaf(p, path));
                    du->ok = false;
                } else if (!excluded(du, path)) {
                    struct duinfo child;
                    dui_init(&child);
                    du_path(du, path, k + l, cap, level + 1, &child, &cst);
                    dui_add(&whole, &child);
                    if (!du->separate || !S_ISDIR(cst.st_mode)) dui_add(&printed, &child);
                }
                memset(path + base, '/', plen - base);
                path[plen] = '\0';
            }
            memset(path + base, '/', plen - base);
            path[plen] = '\0';
            p_free(p, names);
        }
    }
    *sum = whole;
    if (print &&
        ((is_dir && level <= du->max_depth) || (du->all && level <= du->max_depth) || level == 0))
        maybe_print(du, &printed, path);
}

static void du_operand(struct du *du, const char *name)
{
    struct proc *p = du->p;
    struct stat st;
    int r = du->deref_all || du->deref_args ? sys_stat(p, name, &st) : sys_lstat(p, name, &st);
    if (r < 0 && (du->deref_args) && !du->deref_all && (r == -ENOENT || r == -ELOOP))
        r = sys_lstat(p, name, &st);
    if (r < 0) {
        obuf_flush(&du->out);
        cmd_errno(p, r, "cannot access %s", cmd_quoteaf(p, name));
        du->ok = false;
        return;
    }
    if (excluded(du, name)) return;
    size_t cap = VFS_PATH_MAX * 2;
    size_t nl = strlen(name);
    if (nl + 2 > cap) cap = nl + 2;
    char *path = p_malloc(p, cap);
    if (!path) {
        nomem(du);
        return;
    }
    /* fts keeps one of several trailing slashes */
    if (2 < nl && name[nl - 1] == '/')
        while (1 < nl && name[nl - 2] == '/') --nl;
    memcpy(path, name, nl);
    path[nl] = '\0';
    du->root_dev = st.st_dev;
    struct duinfo sum;
    dui_init(&sum);
    du_path(du, path, nl, cap, 0, &sum, &st);
    dui_add(&du->tot, &sum);
    p_free(p, path);
}

enum {
    O_APPARENT = 256,
    O_EXCLUDE,
    O_FILES0,
    O_INODES,
    O_SI,
    O_TIME,
    O_TIME_STYLE,
    O_HUMAN_NUMERIC
};

static const struct opt_long longs[] = {{"all", OPT_NOARG, 'a'},
                                        {"apparent-size", OPT_NOARG, O_APPARENT},
                                        {"block-size", OPT_ARG, 'B'},
                                        {"bytes", OPT_NOARG, 'b'},
                                        {"count-links", OPT_NOARG, 'l'},
                                        {"dereference", OPT_NOARG, 'L'},
                                        {"dereference-args", OPT_NOARG, 'D'},
                                        {"exclude", OPT_ARG, O_EXCLUDE},
                                        {"exclude-from", OPT_ARG, 'X'},
                                        {"files0-from", OPT_ARG, O_FILES0},
                                        {"human-readable", OPT_NOARG, 'h'},
                                        {"inodes", OPT_NOARG, O_INODES},
                                        {"max-depth", OPT_ARG, 'd'},
                                        {"null", OPT_NOARG, '0'},
                                        {"no-dereference", OPT_NOARG, 'P'},
                                        {"one-file-system", OPT_NOARG, 'x'},
                                        {"separate-dirs", OPT_NOARG, 'S'},
                                        {"summarize", OPT_NOARG, 's'},
                                        {"total", OPT_NOARG, 'c'},
                                        {"threshold", OPT_ARG, 't'},
                                        {"time", OPT_OPTARG, O_TIME},
                                        {"time-style", OPT_ARG, O_TIME_STYLE},
                                        {"si", OPT_NOARG, O_SI},
                                        {0}};
static const struct opt_spec spec = {.name = "du",
                                     .shorts = "0abd:chHklmst:xB:DLPSX:",
                                     .longs = longs,
                                     .help = du_help,
                                     .authors = "Torbjorn Granlund, David MacKenzie, Paul Eggert,\n"
                                                "and Jim Meyering"};

/* Read a whole file (or stdin for "-") into memory. */
static char *slurp(struct proc *p, const char *name, size_t *len, int *err)
{
    int fd = cmd_open_input(p, name);
    if (fd < 0) {
        *err = fd;
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = p_malloc(p, cap + 1);
    while (buf) {
        if (n == cap) {
            char *nb = p_realloc(p, buf, cap * 2 + 1);
            if (!nb) {
                p_free(p, buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = sys_read(p, fd, buf + n, cap - n);
        if (r < 0) {
            *err = (int)r;
            p_free(p, buf);
            cmd_close_input(p, fd);
            return NULL;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    cmd_close_input(p, fd);
    if (!buf) {
        *err = -ENOMEM;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static bool add_exclude(struct du *du, const char *pat)
{
    struct pat *q = p_malloc(du->p, sizeof *q);
    char *c = p_strdup(du->p, pat);
    if (!q || !c) return false;
    q->pat = c;
    q->next = du->excludes;
    du->excludes = q;
    return true;
}

int cmd_du(struct proc *p, int argc, char **argv)
{
    struct du *du = p_calloc(p, 1, sizeof *du);
    if (!du) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    du->p = p;
    du->ok = true;
    du->eol = '\n';
    du->max_depth = SIZE_MAX;
    bool max_depth_set = false;
    const char *files0 = NULL, *time_style = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case '0': du->eol = '\0'; break;
        case 'a': du->all = true; break;
        case O_APPARENT: du->apparent = true; break;
        case 'b':
            du->apparent = true;
            du->human_opts = 0;
            du->block_size = 1;
            break;
        case 'c': du->total = true; break;
        case 'h':
            du->human_opts = HUMAN_AUTOSCALE | HUMAN_SI | HUMAN_BASE_1024;
            du->block_size = 1;
            break;
        case O_SI:
            du->human_opts = HUMAN_AUTOSCALE | HUMAN_SI;
            du->block_size = 1;
            break;
        case 'k':
            du->human_opts = 0;
            du->block_size = 1024;
            break;
        case 'm':
            du->human_opts = 0;
            du->block_size = 1024 * 1024;
            break;
        case 'd': {
            uintmax_t v;
            if (opt_strtoumax(o.arg, NULL, 0, &v, "") != OPT_NUM_OK) {
                return opt_usage_error(&o, "invalid maximum depth %s", cmd_quote(p, o.arg)), 1;
            }
            du->max_depth = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
            max_depth_set = true;
            break;
        }
        case O_INODES: du->inodes = true; break;
        case 's': du->summarize = true; break;
        case 't': {
            intmax_t v;
            if (opt_strtoimax(o.arg, NULL, 0, &v, "KMGTPEZY0") != OPT_NUM_OK) {
                cmd_error(p, "invalid %s argument '%s'", o.long_index >= 0 ? "--threshold" : "-t",
                          o.arg);
                return 1;
            }
            if (v == 0 && o.arg[0] == '-') {
                cmd_error(p, "invalid --threshold argument '-0'");
                return 1;
            }
            du->threshold = v;
            break;
        }
        case 'x': du->one_fs = true; break;
        case 'B': {
            int e = human_options(p, o.arg, &du->human_opts, &du->block_size);
            if (e != OPT_NUM_OK) {
                cmd_error(p, "invalid %s argument '%s'", o.long_index >= 0 ? "--block-size" : "-B",
                          o.arg);
                return 1;
            }
            break;
        }
        case 'H':
        case 'D': du->deref_args = true; break;
        case 'L': du->deref_all = true; break;
        case 'P': du->deref_all = du->deref_args = false; break;
        case 'l': du->count_links = true; break;
        case 'S': du->separate = true; break;
        case 'X': {
            size_t len;
            int err = 0;
            char *data = slurp(p, o.arg, &len, &err);
            if (!data) {
                cmd_errno(p, err, "%s", cmd_quotef(p, o.arg));
                opt_usage_error(&o, NULL);
                return 1;
            }
            for (char *line = data; line < data + len;) {
                char *nl = memchr(line, '\n', (size_t)(data + len - line));
                if (nl) *nl = '\0';
                if (*line && !add_exclude(du, line)) goto oom;
                if (!nl) break;
                line = nl + 1;
            }
            break;
        }
        case O_EXCLUDE:
            if (!add_exclude(du, o.arg)) goto oom;
            break;
        case O_FILES0: files0 = o.arg; break;
        case O_TIME:
            du->opt_time = true;
            if (o.arg) {
                static const char *const names[] = {"atime", "access", "use",
                                                    "ctime", "status", NULL};
                static const int vals[] = {1, 1, 1, 2, 2};
                int i = opt_argmatch_vals(&o, "--time", o.arg, names, vals);
                if (i < 0) return 1;
                du->time_kind = vals[i];
            }
            break;
        case O_TIME_STYLE: time_style = o.arg; break;
        case OPT_EXIT: return o.status;
        default: return 1;
        }
    }
    if (!du->block_size)
        human_options(p, proc_getenv(p, "DU_BLOCK_SIZE"), &du->human_opts, &du->block_size);
    if (du->all && du->summarize) {
        opt_usage_error(&o, "cannot both summarize and show all entries");
        return 1;
    }
    if (du->summarize && max_depth_set && du->max_depth == 0) {
        cmd_error(p, "warning: summarizing is the same as using --max-depth=0");
    }
    if (du->summarize && max_depth_set && du->max_depth != 0) {
        opt_usage_error(&o, "warning: summarizing conflicts with --max-depth=%zu", du->max_depth);
        return 1;
    }
    if (du->summarize) du->max_depth = 0;
    if (du->inodes) {
        if (du->apparent)
            cmd_error(p, "warning: options --apparent-size and -b are ineffective with --inodes");
        du->block_size = 1;
    }
    if (du->opt_time) {
        const char *style = time_style;
        if (!style) {
            style = proc_getenv(p, "TIME_STYLE");
            if (!style || strcmp(style, "locale") == 0)
                style = "long-iso";
            else if (style[0] == '+') {
                /* only the first format of "+FMT1\nFMT2" */
                char *c = p_strdup(p, style);
                if (!c) goto oom;
                char *nl = strchr(c, '\n');
                if (nl) *nl = '\0';
                style = c;
            }
        }
        if (style[0] == '+') {
            du->time_fmt = style + 1;
        } else {
            static const char *const names[] = {"full-iso", "long-iso", "iso", NULL};
            static const int vals[] = {0, 1, 2};
            int i = opt_argmatch_vals(&o, "time style", style, names, vals);
            if (i < 0) return 1;
            du->time_fmt = i == 0   ? "%Y-%m-%d %H:%M:%S.%N %z"
                           : i == 1 ? "%Y-%m-%d %H:%M"
                                    : "%Y-%m-%d";
        }
        tf_zone_load(&du->tz, proc_getenv(p, "TZ"));
    }
    du->dents = p_malloc(p, 64 * sizeof *du->dents);
    if (!du->dents) goto oom;
    dui_init(&du->tot);
    obuf_init(&du->out, p, 1);

    if (files0) {
        if (o.ind < argc) {
            cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind]));
            io_write_all(p, 2, "file operands cannot be combined with --files0-from\n", 52);
            opt_usage_error(&o, NULL);
            return 1;
        }
        size_t len;
        int err = 0;
        char *data = slurp(p, files0, &len, &err);
        if (!data) {
            cmd_errno(p, err, "cannot open %s for reading", cmd_quoteaf(p, files0));
            return 1;
        }
        du->hash_all = true;
        size_t item = 0;
        for (size_t off = 0; off < len;) {
            char *name = data + off;
            size_t l = strnlen(name, len - off);
            item++;
            if (l == 0) {
                obuf_flush(&du->out);
                if (strcmp(files0, "-") == 0)
                    cmd_error(p, "-:%zu: invalid zero-length file name", item);
                else
                    cmd_error(p, "%s:%zu: invalid zero-length file name", cmd_quotef(p, files0),
                              item);
                du->ok = false;
            } else if (strcmp(files0, "-") == 0 && strcmp(name, "-") == 0) {
                obuf_flush(&du->out);
                cmd_error(p, "when reading file names from stdin, no file name of %s allowed",
                          cmd_quoteaf(p, "-"));
                du->ok = false;
            } else {
                du_operand(du, name);
            }
            off += l + 1;
            if (obuf_failed(&du->out)) break;
        }
    } else {
        du->hash_all = argc - o.ind > 1 || du->deref_all;
        if (o.ind >= argc) {
            du_operand(du, ".");
        } else {
            for (int i = o.ind; i < argc && !obuf_failed(&du->out); i++) du_operand(du, argv[i]);
        }
    }
    if (du->total) print_size(du, &du->tot, "total");
    return cmd_close_stdout(p, &du->out, du->ok ? 0 : 1);
oom:
    cmd_error(p, "memory exhausted");
    return 1;
}
