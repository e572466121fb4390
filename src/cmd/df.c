/* df.c — report file system space usage, as GNU df 9.1, for the VM's
 * mount table: every mounted instance with its quota (sys_statfs), or the
 * file systems of the FILEs given. -a -h -H -k -m -B -i -T -P -l -t -x
 * --output[=FIELDS] --total --sync --no-sync.
 *
 * The source column names the kind of file system ("memfs" for the
 * in-memory default, "proc", "hostfs", "overlay"), as tmpfs shows "tmpfs".
 * Pseudo file systems without blocks (proc) are listed only with -a. */
#include "cmd/cmd.h"
#include "fs/hostfs.h"
#include "fs/overlay.h"
#include "lib/human.h"

#include <stdio.h>

static const char df_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Show information about the file system on which each FILE resides,\n"
    "or all file systems by default.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -a, --all             include pseudo, duplicate, inaccessible file systems\n"
    "  -B, --block-size=SIZE  scale sizes by SIZE before printing them; e.g.,\n"
    "                           '-BM' prints sizes in units of 1,048,576 bytes;\n"
    "                           see SIZE format below\n"
    "  -h, --human-readable  print sizes in powers of 1024 (e.g., 1023M)\n"
    "  -H, --si              print sizes in powers of 1000 (e.g., 1.1G)\n"
    "  -i, --inodes          list inode information instead of block usage\n"
    "  -k                    like --block-size=1K\n"
    "  -l, --local           limit listing to local file systems\n"
    "      --no-sync         do not invoke sync before getting usage info (default)\n"
    "      --output[=FIELD_LIST]  use the output format defined by FIELD_LIST,\n"
    "                               or print all fields if FIELD_LIST is omitted.\n"
    "  -P, --portability     use the POSIX output format\n"
    "      --sync            invoke sync before getting usage info\n"
    "      --total           elide all entries insignificant to available space,\n"
    "                          and produce a grand total\n"
    "  -t, --type=TYPE       limit listing to file systems of type TYPE\n"
    "  -T, --print-type      print file system type\n"
    "  -x, --exclude-type=TYPE   limit listing to file systems not of type TYPE\n"
    "  -v                    (ignored)\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Display values are in units of the first available SIZE from --block-size,\n"
    "and the DF_BLOCK_SIZE, BLOCK_SIZE and BLOCKSIZE environment variables.\n"
    "Otherwise, units default to 1024 bytes (or 512 if POSIXLY_CORRECT is set).\n"
    "\n"
    "The SIZE argument is an integer and optional unit (example: 10K is 10*1024).\n"
    "Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).\n"
    "Binary prefixes can be used, too: KiB=K, MiB=M, and so on.\n"
    "\n"
    "FIELD_LIST is a comma-separated list of columns to be included.  Valid\n"
    "field names are: 'source', 'fstype', 'itotal', 'iused', 'iavail', 'ipcent',\n"
    "'size', 'used', 'avail', 'pcent', 'file' and 'target' (see info page).\n"
    "\n"
    COREUTILS_HELP_TAIL("df", "df");

enum field {
    F_SOURCE,
    F_FSTYPE,
    F_ITOTAL,
    F_IUSED,
    F_IAVAIL,
    F_IPCENT,
    F_SIZE,
    F_USED,
    F_AVAIL,
    F_PCENT,
    F_FILE,
    F_TARGET,
    F_NFIELDS
};
static const char *const field_names[] = {"source", "fstype", "itotal", "iused",
                                          "iavail", "ipcent", "size",   "used",
                                          "avail",  "pcent",  "file",   "target"};
static const char *const field_headers[] = {"Filesystem", "Type",  "Inodes", "IUsed",
                                            "IFree",      "IUse%", "Size",   "Used",
                                            "Avail",      "Use%",  "File",   "Mounted on"};
static const int field_width[] = {14, 4, 5, 5, 5, 4, 5, 5, 5, 4, 4, 0};
static const bool field_left[] = {true,  true,  false, false, false, false,
                                  false, false, false, false, true,  true};

enum mode { M_DEFAULT, M_INODES, M_HUMAN, M_POSIX, M_OUTPUT };

struct col {
    enum field f;
    const char *caption;
    size_t width;
};

struct df {
    struct proc *p;
    struct col cols[F_NFIELDS];
    int ncols;
    bool field_used[F_NFIELDS];
    enum mode mode;
    int human_opts;
    uintmax_t block_size;
    bool show_all, print_type, posix, total, local_only;
    const char **only_types, **skip_types;
    size_t nonly, nskip;
    char ***rows;
    size_t nrows, cap_rows;
    /* --total sums */
    uintmax_t t_size, t_used, t_avail, t_itotal, t_iused, t_iavail;
    bool oom;
    int status;
};

static const char *fs_kind(struct vfs_fs *fs, const struct statvfs *sv)
{
    if (hostfs_is(fs)) return "hostfs";
    if (overlay_is(fs)) return "overlay";
    if (sv->f_fsid == 0x9fa0) return "proc";
    return "memfs";
}

static char *xstr(struct df *df, const char *s)
{
    char *c = p_strdup(df->p, s);
    if (!c) df->oom = true;
    return c;
}

static void alloc_field(struct df *df, enum field f, const char *caption)
{
    df->cols[df->ncols].f = f;
    df->cols[df->ncols].caption = caption ? caption : field_headers[f];
    df->cols[df->ncols].width = (size_t)field_width[f];
    df->ncols++;
    df->field_used[f] = true;
}

/* --output=LIST: false after reporting an error. */
static bool decode_output_arg(struct df *df, struct opt_state *o, const char *arg)
{
    char *s = p_strdup(df->p, arg);
    if (!s) return false;
    for (char *tok = s, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next) *next++ = '\0';
        int f = -1;
        for (int i = 0; i < F_NFIELDS; i++)
            if (strcmp(tok, field_names[i]) == 0) f = i;
        if (f < 0) {
            opt_usage_error(o, "option --output: field %s unknown", cmd_quote(df->p, tok));
            return false;
        }
        if (df->field_used[f]) {
            opt_usage_error(o, "option --output: field %s used more than once",
                            cmd_quote(df->p, field_names[f]));
            return false;
        }
        const char *cap = NULL;
        if (f == F_SIZE) cap = "Size";
        if (f == F_AVAIL) cap = "Avail";
        alloc_field(df, (enum field)f, cap);
    }
    return true;
}

static char *num_cell(struct df *df, uintmax_t n, uintmax_t from, uintmax_t to, int opts)
{
    char hb[HUMAN_BUFSIZE];
    return xstr(df, human_readable(n, hb, opts, from, to));
}

static char *pct_cell(struct df *df, uintmax_t used, uintmax_t avail)
{
    char b[32];
    if (used + avail == 0 || used > UINTMAX_MAX / 100) return xstr(df, "-");
    uintmax_t u100 = used * 100, tot = used + avail;
    snprintf(b, sizeof b, "%ju%%", u100 / tot + (u100 % tot != 0));
    return xstr(df, b);
}

static bool add_row(struct df *df, char **row)
{
    if (df->nrows == df->cap_rows) {
        size_t n = df->cap_rows ? df->cap_rows * 2 : 16;
        char ***r = p_realloc(df->p, df->rows, n * sizeof *r);
        if (!r) return false;
        df->rows = r;
        df->cap_rows = n;
    }
    df->rows[df->nrows++] = row;
    return true;
}

static void get_header(struct df *df)
{
    char **row = p_calloc(df->p, (size_t)df->ncols, sizeof *row);
    if (!row) {
        df->oom = true;
        return;
    }
    for (int c = 0; c < df->ncols; c++) {
        struct col *col = &df->cols[c];
        char b[128];
        if (col->f == F_SIZE && (df->mode == M_DEFAULT ||
                                 (df->mode == M_OUTPUT && !(df->human_opts & HUMAN_AUTOSCALE)))) {
            char hb[HUMAN_BUFSIZE];
            int opts = HUMAN_SUPPRESS_POINT_ZERO | HUMAN_AUTOSCALE | HUMAN_SI |
                       (df->human_opts & (HUMAN_GROUP_DIGITS | HUMAN_BASE_1024 | HUMAN_B));
            uintmax_t q1000 = df->block_size, q1024 = df->block_size;
            bool d1000, d1024;
            do {
                d1000 = q1000 % 1000 == 0;
                q1000 /= 1000;
                d1024 = q1024 % 1024 == 0;
                q1024 /= 1024;
            } while (d1000 & d1024);
            if (d1000 < d1024) opts |= HUMAN_BASE_1024;
            if (d1024 < d1000) opts &= ~HUMAN_BASE_1024;
            if (!(opts & HUMAN_BASE_1024)) opts |= HUMAN_B;
            snprintf(b, sizeof b, "%s-blocks", human_readable(df->block_size, hb, opts, 1, 1));
            row[c] = xstr(df, b);
        } else if (df->mode == M_POSIX && col->f == F_SIZE) {
            snprintf(b, sizeof b, "%ju-blocks", df->block_size);
            row[c] = xstr(df, b);
        } else {
            row[c] = xstr(df, col->caption);
        }
    }
    if (!add_row(df, row)) df->oom = true;
}

static bool type_listed(const char **list, size_t n, const char *t)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], t) == 0) return true;
    return false;
}

/* One row for a file system; file is the operand ("-" for none). */
static void get_dev(struct df *df, struct vfs_fs *fs, const char *target, const char *file,
                    bool explicit)
{
    struct statvfs sv;
    int r = sys_statfs(df->p, target, &sv);
    if (r < 0) {
        cmd_errno(df->p, r, "%s", cmd_quotef(df->p, target));
        df->status = 1;
        return;
    }
    const char *kind = fs_kind(fs, &sv);
    if (!explicit) {
        if (!df->show_all && sv.f_blocks == 0) return;
        if (df->nonly && !type_listed(df->only_types, df->nonly, kind)) return;
        if (type_listed(df->skip_types, df->nskip, kind)) return;
    }
    uintmax_t frsize = sv.f_frsize ? sv.f_frsize : sv.f_bsize;
    uintmax_t total = sv.f_blocks, avail = sv.f_bavail, used = sv.f_blocks - sv.f_bfree;
    uintmax_t itotal = sv.f_files, iavail = sv.f_ffree, iused = sv.f_files - sv.f_ffree;
    char **row = p_calloc(df->p, (size_t)df->ncols, sizeof *row);
    if (!row) {
        df->oom = true;
        return;
    }
    int iopts = df->human_opts & HUMAN_AUTOSCALE ? df->human_opts : 0;
    for (int c = 0; c < df->ncols; c++) {
        switch (df->cols[c].f) {
        case F_SOURCE: row[c] = xstr(df, kind); break;
        case F_FSTYPE: row[c] = xstr(df, kind); break;
        case F_ITOTAL: row[c] = num_cell(df, itotal, 1, 1, iopts); break;
        case F_IUSED: row[c] = num_cell(df, iused, 1, 1, iopts); break;
        case F_IAVAIL: row[c] = num_cell(df, iavail, 1, 1, iopts); break;
        case F_IPCENT: row[c] = pct_cell(df, iused, iavail); break;
        case F_SIZE: row[c] = num_cell(df, total, frsize, df->block_size, df->human_opts); break;
        case F_USED: row[c] = num_cell(df, used, frsize, df->block_size, df->human_opts); break;
        case F_AVAIL: row[c] = num_cell(df, avail, frsize, df->block_size, df->human_opts); break;
        case F_PCENT: row[c] = pct_cell(df, used, avail); break;
        case F_FILE: row[c] = xstr(df, file); break;
        case F_TARGET: row[c] = xstr(df, target); break;
        default: row[c] = xstr(df, "-"); break;
        }
    }
    df->t_size += total * frsize;
    df->t_used += used * frsize;
    df->t_avail += avail * frsize;
    df->t_itotal += itotal;
    df->t_iused += iused;
    df->t_iavail += iavail;
    if (!add_row(df, row)) df->oom = true;
}

static void total_row(struct df *df)
{
    char **row = p_calloc(df->p, (size_t)df->ncols, sizeof *row);
    if (!row) {
        df->oom = true;
        return;
    }
    int iopts = df->human_opts & HUMAN_AUTOSCALE ? df->human_opts : 0;
    for (int c = 0; c < df->ncols; c++) {
        switch (df->cols[c].f) {
        case F_SOURCE: row[c] = xstr(df, "total"); break;
        case F_ITOTAL: row[c] = num_cell(df, df->t_itotal, 1, 1, iopts); break;
        case F_IUSED: row[c] = num_cell(df, df->t_iused, 1, 1, iopts); break;
        case F_IAVAIL: row[c] = num_cell(df, df->t_iavail, 1, 1, iopts); break;
        case F_IPCENT: row[c] = pct_cell(df, df->t_iused, df->t_iavail); break;
        case F_SIZE: row[c] = num_cell(df, df->t_size, 1, df->block_size, df->human_opts); break;
        case F_USED: row[c] = num_cell(df, df->t_used, 1, df->block_size, df->human_opts); break;
        case F_AVAIL: row[c] = num_cell(df, df->t_avail, 1, df->block_size, df->human_opts); break;
        case F_PCENT: row[c] = pct_cell(df, df->t_used, df->t_avail); break;
        default: row[c] = xstr(df, "-"); break;
        }
    }
    if (!add_row(df, row)) df->oom = true;
}

static size_t width_of(const char *s)
{
    size_t w = 0;
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if ((*u & 0xc0) != 0x80) w++;
    return w;
}

static void print_table(struct df *df, struct obuf *out)
{
    for (int c = 0; c < df->ncols; c++)
        for (size_t r = 0; r < df->nrows; r++) {
            size_t w = width_of(df->rows[r][c] ? df->rows[r][c] : "");
            if (w > df->cols[c].width) df->cols[c].width = w;
        }
    for (size_t r = 0; r < df->nrows; r++) {
        for (int c = 0; c < df->ncols; c++) {
            const char *cell = df->rows[r][c] ? df->rows[r][c] : "";
            if (c) obuf_putc(out, ' ');
            size_t w = width_of(cell), pad = df->cols[c].width > w ? df->cols[c].width - w : 0;
            bool last = c == df->ncols - 1;
            if (field_left[df->cols[c].f]) {
                obuf_puts(out, cell);
                if (!last)
                    for (size_t i = 0; i < pad; i++) obuf_putc(out, ' ');
            } else {
                for (size_t i = 0; i < pad; i++) obuf_putc(out, ' ');
                obuf_puts(out, cell);
            }
        }
        obuf_putc(out, '\n');
    }
}

/* The mount holding path: the one whose instance has path's st_dev, the
 * longest mount point among them. */
static int find_mount(struct df *df, const char *path, const struct stat *st)
{
    struct vfs_ns *ns = &df->p->vm->ns;
    int best = -1;
    for (int i = 0; i < ns->nmounts; i++) {
        if (ns->mounts[i].fs && ns->mounts[i].fs->dev == (uint64_t)st->st_dev) {
            if (best < 0 || strlen(ns->mounts[i].path) > strlen(ns->mounts[best].path)) best = i;
        }
    }
    (void)path;
    return best >= 0 ? best : 0;
}

enum { O_NO_SYNC = 256, O_SYNC, O_TOTAL, O_OUTPUT };
static const struct opt_long longs[] = {{"all", OPT_NOARG, 'a'},
                                        {"block-size", OPT_ARG, 'B'},
                                        {"inodes", OPT_NOARG, 'i'},
                                        {"human-readable", OPT_NOARG, 'h'},
                                        {"si", OPT_NOARG, 'H'},
                                        {"local", OPT_NOARG, 'l'},
                                        {"output", OPT_OPTARG, O_OUTPUT},
                                        {"portability", OPT_NOARG, 'P'},
                                        {"print-type", OPT_NOARG, 'T'},
                                        {"sync", OPT_NOARG, O_SYNC},
                                        {"no-sync", OPT_NOARG, O_NO_SYNC},
                                        {"total", OPT_NOARG, O_TOTAL},
                                        {"type", OPT_ARG, 't'},
                                        {"exclude-type", OPT_ARG, 'x'},
                                        {0}};
static const struct opt_spec spec = {.name = "df",
                                     .shorts = "aB:iF:hHklmPTt:vx:",
                                     .longs = longs,
                                     .help = df_help,
                                     .authors =
                                         "Torbjorn Granlund, David MacKenzie, and Paul Eggert"};

static bool push_type(struct df *df, const char ***list, size_t *n, const char *t)
{
    const char **l = p_realloc(df->p, *list, (*n + 1) * sizeof *l);
    if (!l) return false;
    l[(*n)++] = t;
    *list = l;
    return true;
}

int cmd_df(struct proc *p, int argc, char **argv)
{
    struct df *df = p_calloc(p, 1, sizeof *df);
    if (!df) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    df->p = p;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'a': df->show_all = true; break;
        case 'B': {
            int e = human_options(p, o.arg, &df->human_opts, &df->block_size);
            if (e != OPT_NUM_OK) {
                cmd_error(p, "invalid %s argument '%s'", o.long_index >= 0 ? "--block-size" : "-B",
                          o.arg);
                return 1;
            }
            break;
        }
        case 'i':
            if (df->mode == M_OUTPUT) {
                opt_usage_error(&o, "options %s and --output are mutually exclusive", "-i");
                return 1;
            }
            df->mode = M_INODES;
            break;
        case 'h':
            df->human_opts = HUMAN_AUTOSCALE | HUMAN_SI | HUMAN_BASE_1024;
            df->block_size = 1;
            break;
        case 'H':
            df->human_opts = HUMAN_AUTOSCALE | HUMAN_SI;
            df->block_size = 1;
            break;
        case 'k':
            df->human_opts = 0;
            df->block_size = 1024;
            break;
        case 'm':
            df->human_opts = 0;
            df->block_size = 1024 * 1024;
            break;
        case 'l': df->local_only = true; break;
        case 'T': df->print_type = true; break;
        case 'P':
            if (df->mode == M_OUTPUT) {
                opt_usage_error(&o, "options %s and --output are mutually exclusive", "-P");
                return 1;
            }
            df->posix = true;
            break;
        case O_SYNC:
        case O_NO_SYNC: break; /* memory file systems have nothing to sync */
        case 'F':
        case 't':
            if (!push_type(df, &df->only_types, &df->nonly, o.arg)) goto oom;
            break;
        case 'x':
            if (!push_type(df, &df->skip_types, &df->nskip, o.arg)) goto oom;
            break;
        case 'v': break; /* ignored, as by GNU df */
        case O_TOTAL: df->total = true; break;
        case O_OUTPUT:
            if (df->mode == M_INODES) {
                opt_usage_error(&o, "options %s and --output are mutually exclusive", "-i");
                return 1;
            }
            if (df->posix && df->mode == M_DEFAULT) {
                opt_usage_error(&o, "options %s and --output are mutually exclusive", "-P");
                return 1;
            }
            df->mode = M_OUTPUT;
            if (o.arg && !decode_output_arg(df, &o, o.arg)) return 1;
            break;
        case OPT_EXIT: return o.status;
        default: return 1;
        }
    }
    if (!df->block_size) {
        if (df->posix) {
            df->human_opts = 0;
            df->block_size = proc_getenv(p, "POSIXLY_CORRECT") ? 512 : 1024;
        } else {
            human_options(p, proc_getenv(p, "DF_BLOCK_SIZE"), &df->human_opts, &df->block_size);
        }
    }
    for (size_t i = 0; i < df->nonly; i++)
        if (type_listed(df->skip_types, df->nskip, df->only_types[i])) {
            cmd_error(p, "file system type %s both selected and excluded",
                      cmd_quote(p, df->only_types[i]));
            return 1;
        }
    if (df->mode == M_DEFAULT && (df->human_opts & HUMAN_AUTOSCALE))
        df->mode = M_HUMAN;
    else if (df->mode == M_DEFAULT && df->posix)
        df->mode = M_POSIX;
    switch (df->mode) {
    case M_DEFAULT:
    case M_POSIX:
    case M_HUMAN:
        alloc_field(df, F_SOURCE, NULL);
        if (df->print_type) alloc_field(df, F_FSTYPE, NULL);
        alloc_field(df, F_SIZE, df->mode == M_HUMAN ? "Size" : NULL);
        alloc_field(df, F_USED, NULL);
        alloc_field(df, F_AVAIL, df->mode == M_HUMAN ? NULL : "Available");
        alloc_field(df, F_PCENT, df->mode == M_POSIX ? "Capacity" : NULL);
        alloc_field(df, F_TARGET, NULL);
        break;
    case M_INODES:
        alloc_field(df, F_SOURCE, NULL);
        if (df->print_type) alloc_field(df, F_FSTYPE, NULL);
        alloc_field(df, F_ITOTAL, NULL);
        alloc_field(df, F_IUSED, NULL);
        alloc_field(df, F_IAVAIL, NULL);
        alloc_field(df, F_IPCENT, NULL);
        alloc_field(df, F_TARGET, NULL);
        break;
    case M_OUTPUT:
        if (!df->ncols &&
            !decode_output_arg(
                df, &o,
                "source,fstype,itotal,iused,iavail,ipcent,size,used,avail,pcent,file,target"))
            return 1;
        break;
    }
    get_header(df);
    struct vfs_ns *ns = &p->vm->ns;
    if (o.ind < argc) {
        for (int i = o.ind; i < argc; i++) {
            struct stat st;
            int r = sys_stat(p, argv[i], &st);
            if (r < 0) {
                cmd_errno(p, r, "%s", cmd_quotef(p, argv[i]));
                df->status = 1;
                continue;
            }
            int m = find_mount(df, argv[i], &st);
            get_dev(df, ns->mounts[m].fs, ns->mounts[m].path, argv[i], true);
        }
    } else {
        for (int i = 0; i < ns->nmounts; i++) {
            if (!ns->mounts[i].fs) continue;
            get_dev(df, ns->mounts[i].fs, ns->mounts[i].path, "-", false);
        }
    }
    if (df->oom) goto oom;
    if (df->nrows <= 1) {
        if (o.ind >= argc) {
            cmd_error(p, "no file systems processed");
            return 1;
        }
        return df->status;
    }
    if (df->total) total_row(df);
    struct obuf out;
    obuf_init(&out, p, 1);
    print_table(df, &out);
    return cmd_close_stdout(p, &out, df->status);
oom:
    cmd_error(p, "memory exhausted");
    return 1;
}
