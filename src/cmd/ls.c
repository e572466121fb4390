/* ls.c — list directory contents, as GNU ls 9.1: long format (-l -g -o -n
 * -i -s -h --full-time --time-style), sorting (-t -S -X -v -U -r -c -u
 * --sort --group-directories-first), formats (-1 -C -x -m --format, GNU's
 * column layout with tabs), -a -A -d -R -F -p --indicator-style, quoting
 * (-b -Q -N -q --quoting-style), --color with GNU's default colours or
 * LS_COLORS, -L -H, -I --hide -B, --zero, -Z, --author.
 *
 * Output to a pipe or file (vos has no terminal) is one name per line with
 * literal names, like GNU ls off a tty. Directories are read with
 * sys_getdents and files looked at with sys_lstat/sys_stat.
 */
#include "cmd/cmd.h"
#include "lib/fileinfo.h"
#include "lib/human.h"
#include "lib/quotearg.h"
#include "lib/timefmt.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sysmacros.h>

static const char ls_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "List information about the FILEs (the current directory by default).\n"
    "Sort entries alphabetically if none of -cftuvSUX nor --sort is specified.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -a, --all                  do not ignore entries starting with .\n"
    "  -A, --almost-all           do not list implied . and ..\n"
    "      --author               with -l, print the author of each file\n"
    "  -b, --escape               print C-style escapes for nongraphic characters\n"
    "      --block-size=SIZE      with -l, scale sizes by SIZE when printing them;\n"
    "                             e.g., '--block-size=M'; see SIZE format below\n"
    "\n"
    "  -B, --ignore-backups       do not list implied entries ending with ~\n"
    "  -c                         with -lt: sort by, and show, ctime (time of last\n"
    "                             modification of file status information);\n"
    "                             with -l: show ctime and sort by name;\n"
    "                             otherwise: sort by ctime, newest first\n"
    "\n"
    "  -C                         list entries by columns\n"
    "      --color[=WHEN]         color the output WHEN; more info below\n"
    "  -d, --directory            list directories themselves, not their contents\n"
    "  -D, --dired                generate output designed for Emacs' dired mode\n"
    "  -f                         list all entries in directory order\n"
    "  -F, --classify[=WHEN]      append indicator (one of */=>@|) to entries WHEN\n"
    "      --file-type            likewise, except do not append '*'\n"
    "      --format=WORD          across -x, commas -m, horizontal -x, long -l,\n"
    "                             single-column -1, verbose -l, vertical -C\n"
    "\n"
    "      --full-time            like -l --time-style=full-iso\n"
    "  -g                         like -l, but do not list owner\n"
    "      --group-directories-first\n"
    "                             group directories before files;\n"
    "                             can be augmented with a --sort option, but any\n"
    "                             use of --sort=none (-U) disables grouping\n"
    "\n"
    "  -G, --no-group             in a long listing, don't print group names\n"
    "  -h, --human-readable       with -l and -s, print sizes like 1K 234M 2G etc.\n"
    "      --si                   likewise, but use powers of 1000 not 1024\n"
    "  -H, --dereference-command-line\n"
    "                             follow symbolic links listed on the command line\n"
    "      --dereference-command-line-symlink-to-dir\n"
    "                             follow each command line symbolic link\n"
    "                             that points to a directory\n"
    "\n"
    "      --hide=PATTERN         do not list implied entries matching shell PATTERN\n"
    "                             (overridden by -a or -A)\n"
    "\n"
    "      --hyperlink[=WHEN]     hyperlink file names WHEN\n"
    "      --indicator-style=WORD\n"
    "                             append indicator with style WORD to entry names:\n"
    "                             none (default), slash (-p),\n"
    "                             file-type (--file-type), classify (-F)\n"
    "\n"
    "  -i, --inode                print the index number of each file\n"
    "  -I, --ignore=PATTERN       do not list implied entries matching shell PATTERN\n"
    "  -k, --kibibytes            default to 1024-byte blocks for file system usage;\n"
    "                             used only with -s and per directory totals\n"
    "\n"
    "  -l                         use a long listing format\n"
    "  -L, --dereference          when showing file information for a symbolic\n"
    "                             link, show information for the file the link\n"
    "                             references rather than for the link itself\n"
    "\n"
    "  -m                         fill width with a comma separated list of entries\n"
    "  -n, --numeric-uid-gid      like -l, but list numeric user and group IDs\n"
    "  -N, --literal              print entry names without quoting\n"
    "  -o                         like -l, but do not list group information\n"
    "  -p, --indicator-style=slash\n"
    "                             append / indicator to directories\n"
    "  -q, --hide-control-chars   print ? instead of nongraphic characters\n"
    "      --show-control-chars   show nongraphic characters as-is (the default,\n"
    "                             unless program is 'ls' and output is a terminal)\n"
    "\n"
    "  -Q, --quote-name           enclose entry names in double quotes\n"
    "      --quoting-style=WORD   use quoting style WORD for entry names:\n"
    "                             literal, locale, shell, shell-always,\n"
    "                             shell-escape, shell-escape-always, c, escape\n"
    "                             (overrides QUOTING_STYLE environment variable)\n"
    "\n"
    "  -r, --reverse              reverse order while sorting\n"
    "  -R, --recursive            list subdirectories recursively\n"
    "  -s, --size                 print the allocated size of each file, in blocks\n"
    "  -S                         sort by file size, largest first\n"
    "      --sort=WORD            sort by WORD instead of name: none (-U), size (-S),\n"
    "                             time (-t), version (-v), extension (-X), width\n"
    "\n"
    "      --time=WORD            change the default of using modification times;\n"
    "                               access time (-u): atime, access, use;\n"
    "                               change time (-c): ctime, status;\n"
    "                               birth time: birth, creation;\n"
    "                             with -l, WORD determines which time to show;\n"
    "                             with --sort=time, sort by WORD (newest first)\n"
    "\n"
    "      --time-style=TIME_STYLE\n"
    "                             time/date format with -l; see TIME_STYLE below\n"
    "  -t                         sort by time, newest first; see --time\n"
    "  -T, --tabsize=COLS         assume tab stops at each COLS instead of 8\n"
    "  -u                         with -lt: sort by, and show, access time;\n"
    "                             with -l: show access time and sort by name;\n"
    "                             otherwise: sort by access time, newest first\n"
    "\n"
    "  -U                         do not sort; list entries in directory order\n"
    "  -v                         natural sort of (version) numbers within text\n"
    "  -w, --width=COLS           set output width to COLS.  0 means no limit\n"
    "  -x                         list entries by lines instead of by columns\n"
    "  -X                         sort alphabetically by entry extension\n"
    "  -Z, --context              print any security context of each file\n"
    "      --zero                 end each output line with NUL, not newline\n"
    "  -1                         list one file per line\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "The SIZE argument is an integer and optional unit (example: 10K is 10*1024).\n"
    "Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).\n"
    "Binary prefixes can be used, too: KiB=K, MiB=M, and so on.\n"
    "\n"
    "The TIME_STYLE argument can be full-iso, long-iso, iso, locale, or +FORMAT.\n"
    "FORMAT is interpreted like in date(1).  If FORMAT is FORMAT1<newline>FORMAT2,\n"
    "then FORMAT1 applies to non-recent files and FORMAT2 to recent files.\n"
    "TIME_STYLE prefixed with 'posix-' takes effect only outside the POSIX locale.\n"
    "Also the TIME_STYLE environment variable sets the default style to use.\n"
    "\n"
    "The WHEN argument defaults to 'always' and can also be 'auto' or 'never'.\n"
    "\n"
    "Using color to distinguish file types is disabled both by default and\n"
    "with --color=never.  With --color=auto, ls emits color codes only when\n"
    "standard output is connected to a terminal.  The LS_COLORS environment\n"
    "variable can change the settings.  Use the dircolors(1) command to set it.\n"
    "\n"
    "Exit status:\n"
    " 0  if OK,\n"
    " 1  if minor problems (e.g., cannot access subdirectory),\n"
    " 2  if serious trouble (e.g., cannot access command-line argument).\n"
    "\n"
    COREUTILS_HELP_TAIL("ls", "ls");

enum ftype {
    FT_UNKNOWN,
    FT_FIFO,
    FT_CHR,
    FT_DIR,
    FT_BLK,
    FT_REG,
    FT_LNK,
    FT_SOCK,
    FT_WHT,
    FT_ARGDIR
};
static const char ftype_letter[] = "?pcdb-lswd";

enum format { F_LONG, F_ONE, F_MANY, F_HORIZ, F_COMMAS };
enum sort { S_NAME, S_EXT, S_WIDTH, S_SIZE, S_VERSION, S_TIME, S_NONE };
enum ttype { T_MTIME, T_CTIME, T_ATIME, T_BTIME };
enum indic { I_NONE, I_SLASH, I_FILE_TYPE, I_CLASSIFY };
enum deref { D_UNDEF, D_NEVER, D_CMDLINE, D_CMDLINE_DIR, D_ALWAYS };
enum ignore { IG_DEFAULT, IG_DOTS, IG_MINIMAL };

enum color_ind {
    C_LEFT,
    C_RIGHT,
    C_END,
    C_RESET,
    C_NORM,
    C_FILE,
    C_DIR,
    C_LINK,
    C_FIFO,
    C_SOCK,
    C_BLK,
    C_CHR,
    C_MISSING,
    C_ORPHAN,
    C_EXEC,
    C_DOOR,
    C_SETUID,
    C_SETGID,
    C_STICKY,
    C_OTHER_WRITABLE,
    C_STICKY_OTHER_WRITABLE,
    C_CAP,
    C_MULTIHARDLINK,
    C_CLR_TO_EOL,
    C_COUNT
};
static const char indicator_name[C_COUNT][2] = {
    {'l', 'c'}, {'r', 'c'}, {'e', 'c'}, {'r', 's'}, {'n', 'o'}, {'f', 'i'}, {'d', 'i'}, {'l', 'n'},
    {'p', 'i'}, {'s', 'o'}, {'b', 'd'}, {'c', 'd'}, {'m', 'i'}, {'o', 'r'}, {'e', 'x'}, {'d', 'o'},
    {'s', 'u'}, {'s', 'g'}, {'s', 't'}, {'o', 'w'}, {'t', 'w'}, {'c', 'a'}, {'m', 'h'}, {'c', 'l'}};
static const char *const default_colors[C_COUNT] = {
    "\033[", "m",     NULL,    "0",     NULL,    NULL, "01;34", "01;36",
    "33",    "01;35", "01;33", "01;33", NULL,    NULL, "01;32", "01;35",
    "37;41", "30;43", "37;44", "34;42", "30;42", NULL, NULL,    "\033[K"};

struct bstr {
    size_t len;
    const char *s;
};
struct color_ext {
    struct bstr ext, seq;
    bool exact;
    struct color_ext *next;
};

struct ent {
    char *name;
    char *linkname;
    struct stat st;
    mode_t linkmode;
    enum ftype type;
    bool stat_ok, linkok;
    signed char quoted;
    size_t width;
};

struct pending {
    char *name, *realname;
    bool cmdline;
    struct pending *next;
};

struct pattern {
    const char *pat;
    struct pattern *next;
};

struct arena {
    char *block;
    size_t used, cap;
    struct arena_block *chain;
};
struct arena_block {
    struct arena_block *next;
};

struct ls {
    struct proc *p;
    struct obuf out;
    int status;
    /* options */
    enum format format;
    enum sort sort;
    enum ttype time_type;
    enum indic indicator;
    enum deref deref;
    enum ignore ignore;
    bool reverse, dirs_first, recursive, immediate_dirs, print_inode, print_block_size;
    bool print_owner, print_group, print_author, print_scontext, numeric_ids, qmark;
    bool color, hyperlink, align_quotes, utf8, format_needs_stat, format_needs_type;
    bool check_symlink_mode, color_symlink_as_referent;
    char eol;
    int human_opts, file_human_opts;
    uintmax_t block_size, file_block_size;
    size_t line_length, tabsize, max_idx;
    struct qa_opts fq, dq; /* file names, directory headers */
    const char *time_fmt[2];
    struct pattern *ignore_pats, *hide_pats;
    struct tf_zone tz;
    struct idcache ids;
    struct timespec now;
    bool now_set;
    /* colours */
    struct bstr colors[C_COUNT];
    struct color_ext *ext_list;
    bool used_color;
    /* the current table */
    struct ent *files;
    struct ent **sorted;
    void **sort_tmp;
    size_t nused, nalloc, sorted_alloc;
    bool some_quoted;
    int inode_w, block_w, nlink_w, owner_w, group_w, author_w, scontext_w, major_w, minor_w, size_w;
    struct arena arena;
    /* directories */
    struct pending *pending;
    bool print_dir_name, first_dir;
    dev_t *active_dev;
    ino_t *active_ino;
    size_t nactive, active_cap;
    struct vfs_dirent *dents;
    char *pathbuf;
    size_t *col_arr; /* column layout scratch */
    struct colinfo *colinfo;
    size_t colinfo_alloc;
    bool oom;
    char hostname[256];
};

struct colinfo {
    bool valid;
    size_t line_len;
    size_t *col_arr;
};

static void set_status(struct ls *ls, bool serious)
{
    if (serious)
        ls->status = 2;
    else if (ls->status == 0)
        ls->status = 1;
}

static void nomem(struct ls *ls)
{
    if (!ls->oom) cmd_error(ls->p, "memory exhausted");
    ls->oom = true;
    ls->status = 2;
}

/* ---- a string arena for the names of one directory -------------------------- */

static char *arena_dup(struct ls *ls, const char *s, size_t n)
{
    struct arena *a = &ls->arena;
    if (a->used + n + 1 > a->cap) {
        size_t cap = n + 1 > 60000 ? n + 1 + sizeof(struct arena_block) : 65536;
        char *b = p_malloc(ls->p, cap);
        if (!b) {
            nomem(ls);
            return NULL;
        }
        struct arena_block *hdr = (struct arena_block *)b;
        hdr->next = a->chain;
        a->chain = hdr;
        a->block = b;
        a->used = sizeof(struct arena_block);
        a->cap = cap;
    }
    char *d = a->block + a->used;
    memcpy(d, s, n);
    d[n] = '\0';
    a->used += n + 1;
    return d;
}

static void arena_reset(struct ls *ls)
{
    struct arena *a = &ls->arena;
    /* keep the newest block, free the rest */
    if (!a->chain) return;
    struct arena_block *keep = a->chain, *b = keep->next;
    while (b) {
        struct arena_block *n = b->next;
        p_free(ls->p, b);
        b = n;
    }
    keep->next = NULL;
    a->block = (char *)keep;
    a->used = sizeof(struct arena_block);
}

/* ---- output helpers ----------------------------------------------------------- */

static inline void out(struct ls *ls, const void *s, size_t n)
{
    obuf_write(&ls->out, s, n);
}
static inline void outc(struct ls *ls, char c)
{
    obuf_putc(&ls->out, c);
}
static inline void outs(struct ls *ls, const char *s)
{
    obuf_write(&ls->out, s, strlen(s));
}

static bool is_colored(struct ls *ls, enum color_ind t)
{
    size_t len = ls->colors[t].len;
    const char *s = ls->colors[t].s;
    return !(len == 0 || (len == 1 && s[0] == '0') || (len == 2 && s[0] == '0' && s[1] == '0'));
}

static void put_indicator(struct ls *ls, const struct bstr *b);

static void prep_non_filename_text(struct ls *ls)
{
    if (ls->colors[C_END].s) {
        put_indicator(ls, &ls->colors[C_END]);
    } else {
        put_indicator(ls, &ls->colors[C_LEFT]);
        put_indicator(ls, &ls->colors[C_RESET]);
        put_indicator(ls, &ls->colors[C_RIGHT]);
    }
}

static void put_indicator(struct ls *ls, const struct bstr *b)
{
    if (!ls->used_color) {
        ls->used_color = true;
        prep_non_filename_text(ls);
    }
    if (b->s) out(ls, b->s, b->len);
}

static void restore_default_color(struct ls *ls)
{
    put_indicator(ls, &ls->colors[C_LEFT]);
    put_indicator(ls, &ls->colors[C_RIGHT]);
}

static void set_normal_color(struct ls *ls)
{
    if (ls->color && is_colored(ls, C_NORM)) {
        put_indicator(ls, &ls->colors[C_LEFT]);
        put_indicator(ls, &ls->colors[C_NORM]);
        put_indicator(ls, &ls->colors[C_RIGHT]);
    }
}

/* ---- LS_COLORS ------------------------------------------------------------------- */

/* One LS_COLORS value with its escapes decoded into *dest. */
static bool get_funky_string(char **dest, const char **src, bool equals_end, size_t *count_out)
{
    enum { ST_GND, ST_BACKSLASH, ST_OCTAL, ST_HEX, ST_CARET, ST_END, ST_ERROR } state = ST_GND;
    const char *p = *src;
    char *q = *dest;
    size_t count = 0;
    char num = 0;
    while (state < ST_END) {
        switch (state) {
        case ST_GND:
            switch (*p) {
            case ':':
            case '\0': state = ST_END; break;
            case '\\':
                state = ST_BACKSLASH;
                ++p;
                break;
            case '^':
                state = ST_CARET;
                ++p;
                break;
            case '=':
                if (equals_end) {
                    state = ST_END;
                    break;
                }
                /* fall through */
            default:
                *q++ = *p++;
                ++count;
                break;
            }
            break;
        case ST_BACKSLASH:
            switch (*p) {
            case '0':
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
            case '7':
                state = ST_OCTAL;
                num = (char)(*p - '0');
                break;
            case 'x':
            case 'X':
                state = ST_HEX;
                num = 0;
                break;
            case 'a': num = '\a'; break;
            case 'b': num = '\b'; break;
            case 'e': num = 27; break;
            case 'f': num = '\f'; break;
            case 'n': num = '\n'; break;
            case 'r': num = '\r'; break;
            case 't': num = '\t'; break;
            case 'v': num = '\v'; break;
            case '?': num = 127; break;
            case '_': num = ' '; break;
            case '\0': state = ST_ERROR; break;
            default: num = *p; break;
            }
            if (state == ST_BACKSLASH) {
                *q++ = num;
                ++count;
                state = ST_GND;
            }
            ++p;
            break;
        case ST_OCTAL:
            if (*p < '0' || *p > '7') {
                *q++ = num;
                ++count;
                state = ST_GND;
            } else {
                num = (char)((num << 3) + (*p++ - '0'));
            }
            break;
        case ST_HEX:
            if (*p >= '0' && *p <= '9')
                num = (char)((num << 4) + (*p++ - '0'));
            else if (*p >= 'a' && *p <= 'f')
                num = (char)((num << 4) + (*p++ - 'a') + 10);
            else if (*p >= 'A' && *p <= 'F')
                num = (char)((num << 4) + (*p++ - 'A') + 10);
            else {
                *q++ = num;
                ++count;
                state = ST_GND;
            }
            break;
        case ST_CARET:
            state = ST_GND;
            if (*p >= '@' && *p <= '~') {
                *q++ = *p++ & 037;
                ++count;
            } else if (*p == '?') {
                *q++ = 127;
                ++count;
            } else {
                state = ST_ERROR;
            }
            break;
        default: break;
        }
    }
    *dest = q;
    *src = p;
    *count_out = count;
    return state != ST_ERROR;
}

static const char *const known_terms[] = {
    "Eterm",  "ansi",  "*color*", "con[0-9]*x[0-9]*", "cons25",  "console",    "cygwin", "*direct*",
    "dtterm", "gnome", "hurd",    "jfbterm",          "konsole", "kterm",      "linux",  "linux-c",
    "mlterm", "putty", "rxvt*",   "screen*",          "st",      "terminator", "tmux*",  "vt100",
    "xterm*", NULL};

static void parse_ls_color(struct ls *ls)
{
    struct proc *p = ls->p;
    const char *s = proc_getenv(p, "LS_COLORS");
    if (!s || !*s) {
        const char *ct = proc_getenv(p, "COLORTERM");
        if (ct && *ct) return;
        const char *term = proc_getenv(p, "TERM");
        if (term && *term)
            for (int i = 0; known_terms[i]; i++)
                if (fnmatch(known_terms[i], term, 0) == 0) return;
        ls->color = false;
        return;
    }
    char *buf = p_strdup(p, s);
    if (!buf) {
        nomem(ls);
        ls->color = false;
        return;
    }
    const char *q = s;
    struct color_ext *ext = NULL;
    enum { PS_START, PS_2, PS_3, PS_4, PS_DONE, PS_FAIL } state = PS_START;
    char label0 = 0, label1 = 0;
    while (state != PS_DONE && state != PS_FAIL) {
        switch (state) {
        case PS_START:
            switch (*q) {
            case ':': ++q; break;
            case '*':
                ext = p_malloc(p, sizeof *ext);
                if (!ext) {
                    state = PS_FAIL;
                    break;
                }
                ext->next = ls->ext_list;
                ls->ext_list = ext;
                ext->exact = false;
                ++q;
                ext->ext.s = buf;
                state = get_funky_string(&buf, &q, true, &ext->ext.len) ? PS_4 : PS_FAIL;
                break;
            case '\0': state = PS_DONE; break;
            default:
                label0 = *q++;
                state = PS_2;
                break;
            }
            break;
        case PS_2:
            if (*q) {
                label1 = *q++;
                state = PS_3;
            } else {
                state = PS_FAIL;
            }
            break;
        case PS_3:
            state = PS_FAIL;
            if (*q++ == '=') {
                for (int i = 0; i < C_COUNT; i++) {
                    if (label0 == indicator_name[i][0] && label1 == indicator_name[i][1]) {
                        ls->colors[i].s = buf;
                        state = get_funky_string(&buf, &q, false, &ls->colors[i].len) ? PS_START
                                                                                      : PS_FAIL;
                        break;
                    }
                }
                if (state == PS_FAIL) {
                    char lab[3] = {label0, label1, 0};
                    cmd_error(p, "unrecognized prefix: %s", cmd_quote(p, lab));
                }
            }
            break;
        case PS_4:
            if (*q++ == '=') {
                ext->seq.s = buf;
                state = get_funky_string(&buf, &q, false, &ext->seq.len) ? PS_START : PS_FAIL;
            } else {
                state = PS_FAIL;
            }
            break;
        default: break;
        }
    }
    if (state == PS_FAIL) {
        cmd_error(p, "unparsable value for LS_COLORS environment variable");
        ls->ext_list = NULL;
        ls->color = false;
        return;
    }
    for (struct color_ext *e1 = ls->ext_list; e1; e1 = e1->next) {
        bool case_ignored = false;
        for (struct color_ext *e2 = e1->next; e2; e2 = e2->next) {
            if (e2->ext.len < SIZE_MAX && e1->ext.len == e2->ext.len) {
                if (memcmp(e1->ext.s, e2->ext.s, e1->ext.len) == 0) {
                    e2->ext.len = SIZE_MAX;
                } else if (strncasecmp(e1->ext.s, e2->ext.s, e1->ext.len) == 0) {
                    if (case_ignored) {
                        e2->ext.len = SIZE_MAX;
                    } else if (e1->seq.len == e2->seq.len &&
                               memcmp(e1->seq.s, e2->seq.s, e1->seq.len) == 0) {
                        e2->ext.len = SIZE_MAX;
                        case_ignored = true;
                    } else {
                        e1->exact = e2->exact = true;
                    }
                }
            }
        }
    }
    if (ls->colors[C_LINK].len == 6 && strncmp(ls->colors[C_LINK].s, "target", 6) == 0)
        ls->color_symlink_as_referent = true;
}

static mode_t file_or_link_mode(const struct ent *f)
{
    return f->linkok && f->type == FT_LNK ? f->linkmode : f->st.st_mode;
}

static const struct bstr *get_color_indicator(struct ls *ls, const struct ent *f, bool target)
{
    enum color_ind type;
    const char *name;
    mode_t mode;
    int linkok;
    if (target) {
        name = f->linkname;
        mode = f->linkmode;
        linkok = f->linkok ? 0 : -1;
    } else {
        name = f->name;
        mode = ls->color_symlink_as_referent ? file_or_link_mode(f) : f->st.st_mode;
        linkok = f->linkok;
    }
    if (linkok == -1 && is_colored(ls, C_MISSING)) {
        type = C_MISSING;
    } else if (!f->stat_ok) {
        static const enum color_ind ft_ind[] = {C_ORPHAN, C_FIFO, C_CHR,  C_DIR,  C_BLK,
                                                C_FILE,   C_LINK, C_SOCK, C_FILE, C_DIR};
        type = ft_ind[f->type];
    } else if (S_ISREG(mode)) {
        type = C_FILE;
        if ((mode & S_ISUID) && is_colored(ls, C_SETUID))
            type = C_SETUID;
        else if ((mode & S_ISGID) && is_colored(ls, C_SETGID))
            type = C_SETGID;
        else if ((mode & 0111) && is_colored(ls, C_EXEC))
            type = C_EXEC;
        else if (f->st.st_nlink > 1 && is_colored(ls, C_MULTIHARDLINK))
            type = C_MULTIHARDLINK;
    } else if (S_ISDIR(mode)) {
        type = C_DIR;
        if ((mode & S_ISVTX) && (mode & S_IWOTH) && is_colored(ls, C_STICKY_OTHER_WRITABLE))
            type = C_STICKY_OTHER_WRITABLE;
        else if ((mode & S_IWOTH) && is_colored(ls, C_OTHER_WRITABLE))
            type = C_OTHER_WRITABLE;
        else if ((mode & S_ISVTX) && is_colored(ls, C_STICKY))
            type = C_STICKY;
    } else if (S_ISLNK(mode)) {
        type = C_LINK;
    } else if (S_ISFIFO(mode)) {
        type = C_FIFO;
    } else if (S_ISSOCK(mode)) {
        type = C_SOCK;
    } else if (S_ISBLK(mode)) {
        type = C_BLK;
    } else if (S_ISCHR(mode)) {
        type = C_CHR;
    } else {
        type = C_ORPHAN;
    }
    struct color_ext *ext = NULL;
    if (type == C_FILE && name) {
        size_t len = strlen(name);
        const char *end = name + len;
        for (ext = ls->ext_list; ext; ext = ext->next) {
            if (ext->ext.len <= len) {
                if (ext->exact) {
                    if (memcmp(end - ext->ext.len, ext->ext.s, ext->ext.len) == 0) break;
                } else if (strncasecmp(end - ext->ext.len, ext->ext.s, ext->ext.len) == 0) {
                    break;
                }
            }
        }
    }
    if (type == C_LINK && !linkok) {
        if (ls->color_symlink_as_referent || is_colored(ls, C_ORPHAN)) type = C_ORPHAN;
    }
    const struct bstr *s = ext ? &ext->seq : &ls->colors[type];
    return s->s ? s : NULL;
}

/* ---- names: quoting and width --------------------------------------------------- */

/* Display width of buf as gnulib mbsnwidth (flags 0) counts it. */
static size_t str_width(struct ls *ls, const char *buf, size_t len)
{
    size_t w = 0;
    const unsigned char *s = (const unsigned char *)buf, *e = s + len;
    while (s < e) {
        unsigned c = *s;
        if (c < 0x80) {
            if (c >= 0x20 && c < 0x7f) w++;
            s++;
            continue;
        }
        if (!ls->utf8) {
            s++;
            continue; /* not printable in the C locale; iscntrl is false: gnulib counts 1 */
        }
        uint32_t cp;
        int r = cmd_utf8_decode(s, (size_t)(e - s), &cp);
        if (r < 0) {
            if (r == -2) {
                w++;
                break;
            }
            w++;
            s++;
            continue;
        }
        int cw = cmd_wcwidth(cp, true);
        if (cw >= 0)
            w += (size_t)cw;
        else if (!(cp >= 0x80 && cp < 0xa0))
            w++;
        s += r;
    }
    return w;
}

static bool qmark_keeps(unsigned char c)
{
    return c >= 0x20 && c < 0x7f;
}

/* The quoted form of name in sb; whether it differs from name. */
static bool quote_to(struct ls *ls, struct sbuf *sb, const char *name, const struct qa_opts *o,
                     int needs_general)
{
    size_t n = strlen(name);
    bool quoted = false;
    if (needs_general != 0 && o->style != QA_LITERAL) {
        qa_quote(sb, name, n, o);
        if (sb->oom) return false;
        quoted = sb->len != n || memcmp(sb->s, name, n) != 0;
    } else {
        sbuf_add(sb, name, n);
    }
    bool further = ls->qmark &&
                   (o->style == QA_SHELL || o->style == QA_SHELL_ALWAYS || o->style == QA_LITERAL);
    if (further && sb->s) {
        unsigned char *s = (unsigned char *)sb->s, *q = s, *e = s + sb->len;
        while (s < e) {
            if (qmark_keeps(*s)) {
                *q++ = *s++;
                continue;
            }
            if (!ls->utf8) {
                *q++ = '?';
                s++;
                continue;
            }
            uint32_t cp;
            int r = cmd_utf8_decode(s, (size_t)(e - s), &cp);
            if (r == -1) {
                *q++ = '?';
                s++;
            } else if (r == -2) {
                *q++ = '?';
                s = e;
            } else if (cmd_wcwidth(cp, true) >= 0 && cp >= 0x20) {
                memmove(q, s, (size_t)r);
                q += r;
                s += r;
            } else {
                *q++ = '?';
                s += r;
            }
        }
        sb->len = (size_t)(q - (unsigned char *)sb->s);
        sb->s[sb->len] = '\0';
    }
    return quoted;
}

static bool needs_quoting(struct ls *ls, const char *name)
{
    if (ls->fq.style == QA_LITERAL) return false;
    struct sbuf sb;
    sbuf_init(&sb, ls->p);
    qa_quote(&sb, name, strlen(name), &ls->fq);
    size_t n = strlen(name);
    bool r = sb.len != n || (sb.s && memcmp(sb.s, name, n) != 0);
    sbuf_free(&sb);
    return r;
}

/* Write a quoted name; returns its width (padding included). */
static size_t quote_name(struct ls *ls, const char *name, const struct qa_opts *o,
                         int needs_general, const struct bstr *color, bool allow_pad,
                         bool want_width)
{
    size_t n = strlen(name);
    bool further = ls->qmark &&
                   (o->style == QA_SHELL || o->style == QA_SHELL_ALWAYS || o->style == QA_LITERAL);
    const char *buf = name;
    size_t len = n;
    bool quoted = false;
    struct sbuf sb = {0};
    if ((needs_general != 0 && o->style != QA_LITERAL) || further) {
        sbuf_init(&sb, ls->p);
        quoted = quote_to(ls, &sb, name, o, needs_general);
        if (sb.oom || !sb.s) {
            sbuf_free(&sb);
            nomem(ls);
            return 0;
        }
        buf = sb.s;
        len = sb.len;
    }
    bool pad = ls->align_quotes && ls->some_quoted && !quoted;
    if (pad && allow_pad) outc(ls, ' ');
    if (color) {
        if (is_colored(ls, C_NORM)) restore_default_color(ls);
        put_indicator(ls, &ls->colors[C_LEFT]);
        put_indicator(ls, color);
        put_indicator(ls, &ls->colors[C_RIGHT]);
    }
    out(ls, buf, len);
    size_t w = want_width ? str_width(ls, buf, len) : len;
    if (sb.s) sbuf_free(&sb);
    return w + pad;
}

static size_t name_width(struct ls *ls, const struct ent *f)
{
    if (f->width) return f->width;
    const char *name = f->name;
    bool further = ls->qmark && (ls->fq.style == QA_SHELL || ls->fq.style == QA_SHELL_ALWAYS ||
                                 ls->fq.style == QA_LITERAL);
    size_t w;
    bool quoted = false;
    if ((f->quoted != 0 && ls->fq.style != QA_LITERAL) || further) {
        struct sbuf sb;
        sbuf_init(&sb, ls->p);
        quoted = quote_to(ls, &sb, name, &ls->fq, f->quoted);
        w = sb.s ? str_width(ls, sb.s, sb.len) : 0;
        sbuf_free(&sb);
    } else {
        w = str_width(ls, name, strlen(name));
    }
    return w + (ls->align_quotes && ls->some_quoted && !quoted);
}

static size_t print_name_with_quoting(struct ls *ls, const struct ent *f, bool target,
                                      size_t start_col)
{
    const char *name = target ? f->linkname : f->name;
    const struct bstr *color = ls->color ? get_color_indicator(ls, f, target) : NULL;
    bool used_color_now = ls->color && (color || is_colored(ls, C_NORM));
    size_t len = quote_name(ls, name, &ls->fq, f->quoted, color, !target, false);
    if (used_color_now) {
        prep_non_filename_text(ls);
        if (ls->line_length && len &&
            start_col / ls->line_length != (start_col + len - 1) / ls->line_length)
            put_indicator(ls, &ls->colors[C_CLR_TO_EOL]);
    }
    return len;
}

static char get_type_indicator(struct ls *ls, bool stat_ok, mode_t mode, enum ftype type)
{
    if (stat_ok ? S_ISREG(mode) : type == FT_REG) {
        return stat_ok && ls->indicator == I_CLASSIFY && (mode & 0111) ? '*' : 0;
    }
    if (stat_ok ? S_ISDIR(mode) : type == FT_DIR || type == FT_ARGDIR) return '/';
    if (ls->indicator == I_SLASH) return 0;
    if (stat_ok ? S_ISLNK(mode) : type == FT_LNK) return '@';
    if (stat_ok ? S_ISFIFO(mode) : type == FT_FIFO) return '|';
    if (stat_ok ? S_ISSOCK(mode) : type == FT_SOCK) return '=';
    return 0;
}

static bool print_type_indicator(struct ls *ls, bool stat_ok, mode_t mode, enum ftype type)
{
    char c = get_type_indicator(ls, stat_ok, mode, type);
    if (c) outc(ls, c);
    return c != 0;
}

/* ---- sizes, owners, times ------------------------------------------------------- */

static uintmax_t nblocks(const struct stat *st)
{
    return (uintmax_t)st->st_blocks;
}

static const char *blocks_str(struct ls *ls, const struct ent *f, char *buf)
{
    if (!f->stat_ok) return "?";
    return human_readable(nblocks(&f->st), buf, ls->human_opts, 512, ls->block_size);
}

static const char *user_name(struct ls *ls, unsigned id)
{
    return ls->numeric_ids ? NULL : idcache_user(&ls->ids, id);
}
static const char *group_name(struct ls *ls, unsigned id)
{
    return ls->numeric_ids ? NULL : idcache_group(&ls->ids, id);
}

static int id_width(struct ls *ls, const char *name, unsigned id)
{
    if (name) return (int)str_width(ls, name, strlen(name));
    char b[24];
    return snprintf(b, sizeof b, "%u", id);
}

static void format_user_or_group(struct ls *ls, const char *name, unsigned id, int width)
{
    if (name) {
        int w = (int)str_width(ls, name, strlen(name));
        int pad = width - w;
        outs(ls, name);
        do outc(ls, ' ');
        while (pad-- > 0);
    } else {
        obuf_printf(&ls->out, "%*u ", width, id);
    }
}

static struct timespec ent_time(struct ls *ls, const struct stat *st)
{
    switch (ls->time_type) {
    case T_CTIME: return st->st_ctim;
    case T_ATIME: return st->st_atim;
    case T_BTIME: {
        struct timespec t = {-1, -1};
        return t;
    }
    default: return st->st_mtim;
    }
}

static int ts_cmp(struct timespec a, struct timespec b)
{
    if (a.tv_sec != b.tv_sec) return a.tv_sec < b.tv_sec ? -1 : 1;
    return (a.tv_nsec > b.tv_nsec) - (a.tv_nsec < b.tv_nsec);
}

static int long_time_expected_width(struct ls *ls)
{
    struct tm tm;
    char buf[1001];
    if (!tf_localtime(&ls->tz, 0, &tm)) return 0;
    size_t n = tf_strftime(buf, sizeof buf, ls->time_fmt[0], &tm, 0);
    if (n >= sizeof buf) n = 0;
    return n ? (int)str_width(ls, buf, n) : 0;
}

static void print_long_format(struct ls *ls, const struct ent *f)
{
    char modebuf[12];
    char hb[HUMAN_BUFSIZE];
    if (f->stat_ok) {
        file_mode_string(f->st.st_mode, modebuf);
    } else {
        modebuf[0] = ftype_letter[f->type];
        memset(modebuf + 1, '?', 10);
    }
    modebuf[10] = '\0';

    if (ls->print_inode) {
        char b[24];
        if (f->stat_ok) snprintf(b, sizeof b, "%ju", (uintmax_t)f->st.st_ino);
        obuf_printf(&ls->out, "%*s ", ls->inode_w, f->stat_ok ? b : "?");
    }
    if (ls->print_block_size) {
        const char *b = blocks_str(ls, f, hb);
        int pad = ls->block_w - (int)str_width(ls, b, strlen(b));
        for (; pad > 0; pad--) outc(ls, ' ');
        outs(ls, b);
        outc(ls, ' ');
    }
    {
        char nb[24];
        snprintf(nb, sizeof nb, "%ju", (uintmax_t)f->st.st_nlink);
        obuf_printf(&ls->out, "%s %*s ", modebuf, ls->nlink_w, f->stat_ok ? nb : "?");
    }
    if (ls->print_owner)
        format_user_or_group(ls, !f->stat_ok ? "?" : user_name(ls, f->st.st_uid), f->st.st_uid,
                             ls->owner_w);
    if (ls->print_group)
        format_user_or_group(ls, !f->stat_ok ? "?" : group_name(ls, f->st.st_gid), f->st.st_gid,
                             ls->group_w);
    if (ls->print_author)
        format_user_or_group(ls, !f->stat_ok ? "?" : user_name(ls, f->st.st_uid), f->st.st_uid,
                             ls->author_w);
    if (ls->print_scontext) format_user_or_group(ls, "?", 0, ls->scontext_w);

    if (f->stat_ok && (S_ISCHR(f->st.st_mode) || S_ISBLK(f->st.st_mode))) {
        int blanks = ls->size_w - (ls->major_w + 2 + ls->minor_w);
        obuf_printf(&ls->out, "%*u, %*u ", ls->major_w + (blanks > 0 ? blanks : 0),
                    major(f->st.st_rdev), ls->minor_w, minor(f->st.st_rdev));
    } else {
        const char *size = !f->stat_ok
                               ? "?"
                               : human_readable((uintmax_t)f->st.st_size, hb, ls->file_human_opts,
                                                1, ls->file_block_size);
        int pad = ls->size_w - (int)str_width(ls, size, strlen(size));
        for (; pad > 0; pad--) outc(ls, ' ');
        outs(ls, size);
        outc(ls, ' ');
    }

    struct timespec when = ent_time(ls, &f->st);
    bool btime_ok = !(when.tv_sec == -1 && when.tv_nsec == -1);
    struct tm tm;
    char tbuf[1001];
    size_t s = 0;
    tbuf[0] = '\1';
    if (f->stat_ok && btime_ok && tf_localtime(&ls->tz, when.tv_sec, &tm)) {
        if (!ls->now_set || ts_cmp(ls->now, when) < 0) {
            sys_clock_gettime(ls->p, CLOCK_REALTIME, &ls->now);
            ls->now_set = true;
        }
        struct timespec six = {ls->now.tv_sec - 31556952 / 2, ls->now.tv_nsec};
        bool recent = ts_cmp(six, when) < 0 && ts_cmp(when, ls->now) < 0;
        s = tf_strftime(tbuf, sizeof tbuf, ls->time_fmt[recent], &tm, when.tv_nsec);
        if (s >= sizeof tbuf)
            s = 0; /* too long: shown as seconds */
        else if (!s)
            tbuf[0] = '\0';
    }
    if (s || !tbuf[0]) {
        out(ls, tbuf, s);
        outc(ls, ' ');
    } else {
        char nb[32];
        if (f->stat_ok && btime_ok) snprintf(nb, sizeof nb, "%jd", (intmax_t)when.tv_sec);
        obuf_printf(&ls->out, "%*s ", long_time_expected_width(ls),
                    f->stat_ok && btime_ok ? nb : "?");
    }

    print_name_with_quoting(ls, f, false, 0);
    if (f->type == FT_LNK) {
        if (f->linkname) {
            outs(ls, " -> ");
            print_name_with_quoting(ls, f, true, 0);
            if (ls->indicator != I_NONE) print_type_indicator(ls, true, f->linkmode, FT_UNKNOWN);
        }
    } else if (ls->indicator != I_NONE) {
        print_type_indicator(ls, f->stat_ok, f->st.st_mode, f->type);
    }
}

static size_t length_of_file_name_and_frills(struct ls *ls, const struct ent *f)
{
    size_t len = 0;
    char buf[HUMAN_BUFSIZE];
    if (ls->print_inode) {
        if (ls->format == F_COMMAS) {
            char b[24];
            len += 1 + (size_t)snprintf(b, sizeof b, "%ju", (uintmax_t)f->st.st_ino);
        } else {
            len += 1 + (size_t)ls->inode_w;
        }
    }
    if (ls->print_block_size)
        len += 1 + (ls->format == F_COMMAS ? strlen(blocks_str(ls, f, buf)) : (size_t)ls->block_w);
    if (ls->print_scontext) len += 1 + (ls->format == F_COMMAS ? 1 : (size_t)ls->scontext_w);
    len += name_width(ls, f);
    if (ls->indicator != I_NONE)
        len += get_type_indicator(ls, f->stat_ok, f->st.st_mode, f->type) != 0;
    return len;
}

static size_t print_file_name_and_frills(struct ls *ls, const struct ent *f, size_t start_col)
{
    char buf[HUMAN_BUFSIZE];
    set_normal_color(ls);
    if (ls->print_inode) {
        char b[24];
        if (f->stat_ok) snprintf(b, sizeof b, "%ju", (uintmax_t)f->st.st_ino);
        obuf_printf(&ls->out, "%*s ", ls->format == F_COMMAS ? 0 : ls->inode_w,
                    f->stat_ok ? b : "?");
    }
    if (ls->print_block_size)
        obuf_printf(&ls->out, "%*s ", ls->format == F_COMMAS ? 0 : ls->block_w,
                    blocks_str(ls, f, buf));
    if (ls->print_scontext)
        obuf_printf(&ls->out, "%*s ", ls->format == F_COMMAS ? 0 : ls->scontext_w, "?");
    size_t w = print_name_with_quoting(ls, f, false, start_col);
    if (ls->indicator != I_NONE) w += print_type_indicator(ls, f->stat_ok, f->st.st_mode, f->type);
    return w;
}

/* ---- columns --------------------------------------------------------------------- */

static void indent(struct ls *ls, size_t from, size_t to)
{
    while (from < to) {
        if (ls->tabsize && to / ls->tabsize > (from + 1) / ls->tabsize) {
            outc(ls, '\t');
            from += ls->tabsize - from % ls->tabsize;
        } else {
            outc(ls, ' ');
            from++;
        }
    }
}

static size_t calculate_columns(struct ls *ls, bool by_columns, size_t *lens)
{
    size_t n = ls->nused;
    size_t max_cols = 0 < ls->max_idx && ls->max_idx < n ? ls->max_idx : n;
    if (ls->colinfo_alloc < max_cols) {
        struct colinfo *ci = p_realloc(ls->p, ls->colinfo, max_cols * sizeof *ci);
        if (!ci) {
            nomem(ls);
            return 1;
        }
        ls->colinfo = ci;
        size_t cells = max_cols * (max_cols + 1) / 2;
        size_t *arr = p_realloc(ls->p, ls->col_arr, cells * sizeof *arr);
        if (!arr) {
            nomem(ls);
            return 1;
        }
        ls->col_arr = arr;
        size_t off = 0;
        for (size_t i = 0; i < max_cols; i++) {
            ci[i].col_arr = arr + off;
            off += i + 1;
        }
        ls->colinfo_alloc = max_cols;
    }
    struct colinfo *ci = ls->colinfo;
    for (size_t i = 0; i < max_cols; i++) {
        ci[i].valid = true;
        ci[i].line_len = (i + 1) * 3;
        for (size_t j = 0; j <= i; j++) ci[i].col_arr[j] = 3;
    }
    for (size_t filesno = 0; filesno < n; filesno++) {
        size_t name_length = lens[filesno];
        for (size_t i = 0; i < max_cols; i++) {
            if (!ci[i].valid) continue;
            size_t idx = by_columns ? filesno / ((n + i) / (i + 1)) : filesno % (i + 1);
            size_t real_length = name_length + (idx == i ? 0 : 2);
            if (ci[i].col_arr[idx] < real_length) {
                ci[i].line_len += real_length - ci[i].col_arr[idx];
                ci[i].col_arr[idx] = real_length;
                ci[i].valid = ci[i].line_len < ls->line_length;
            }
        }
        if ((filesno & 1023) == 0 && proc_check(ls->p) < 0) break;
    }
    size_t cols;
    for (cols = max_cols; 1 < cols; --cols)
        if (ci[cols - 1].valid) break;
    return cols ? cols : 1;
}

static size_t *frill_lengths(struct ls *ls)
{
    size_t *lens = p_malloc(ls->p, (ls->nused ? ls->nused : 1) * sizeof *lens);
    if (!lens) {
        nomem(ls);
        return NULL;
    }
    for (size_t i = 0; i < ls->nused; i++)
        lens[i] = length_of_file_name_and_frills(ls, ls->sorted[i]);
    return lens;
}

static void print_many_per_line(struct ls *ls)
{
    size_t *lens = frill_lengths(ls);
    if (!lens) return;
    size_t cols = calculate_columns(ls, true, lens);
    if (ls->oom) goto done;
    {
        struct colinfo *fmt = &ls->colinfo[cols - 1];
        size_t n = ls->nused;
        size_t rows = n / cols + (n % cols != 0);
        for (size_t row = 0; row < rows; row++) {
            size_t col = 0, filesno = row, pos = 0;
            for (;;) {
                const struct ent *f = ls->sorted[filesno];
                size_t name_length = lens[filesno];
                size_t max_name_length = fmt->col_arr[col++];
                print_file_name_and_frills(ls, f, pos);
                if (n - rows <= filesno) break;
                filesno += rows;
                indent(ls, pos + name_length, pos + max_name_length);
                pos += max_name_length;
            }
            outc(ls, ls->eol);
        }
    }
done:
    p_free(ls->p, lens);
}

static void print_horizontal(struct ls *ls)
{
    size_t *lens = frill_lengths(ls);
    if (!lens) return;
    size_t cols = calculate_columns(ls, false, lens);
    if (ls->oom) goto done;
    {
        struct colinfo *fmt = &ls->colinfo[cols - 1];
        size_t pos = 0;
        size_t name_length = lens[0];
        size_t max_name_length = fmt->col_arr[0];
        print_file_name_and_frills(ls, ls->sorted[0], 0);
        for (size_t filesno = 1; filesno < ls->nused; filesno++) {
            size_t col = filesno % cols;
            if (col == 0) {
                outc(ls, ls->eol);
                pos = 0;
            } else {
                indent(ls, pos + name_length, pos + max_name_length);
                pos += max_name_length;
            }
            print_file_name_and_frills(ls, ls->sorted[filesno], pos);
            name_length = lens[filesno];
            max_name_length = fmt->col_arr[col];
        }
        outc(ls, ls->eol);
    }
done:
    p_free(ls->p, lens);
}

static void print_with_separator(struct ls *ls, char sep)
{
    size_t pos = 0;
    for (size_t i = 0; i < ls->nused; i++) {
        const struct ent *f = ls->sorted[i];
        size_t len = ls->line_length ? length_of_file_name_and_frills(ls, f) : 0;
        if (i != 0) {
            char separator;
            if (!ls->line_length ||
                (pos + len + 2 < ls->line_length && pos <= SIZE_MAX - len - 2)) {
                pos += 2;
                separator = ' ';
            } else {
                pos = 0;
                separator = ls->eol;
            }
            outc(ls, sep);
            outc(ls, separator);
        }
        print_file_name_and_frills(ls, f, pos);
        pos += len;
    }
    outc(ls, ls->eol);
}

static void print_current_files(struct ls *ls)
{
    switch (ls->format) {
    case F_ONE:
        for (size_t i = 0; i < ls->nused; i++) {
            print_file_name_and_frills(ls, ls->sorted[i], 0);
            outc(ls, ls->eol);
        }
        break;
    case F_MANY:
        if (!ls->line_length)
            print_with_separator(ls, ' ');
        else
            print_many_per_line(ls);
        break;
    case F_HORIZ:
        if (!ls->line_length)
            print_with_separator(ls, ' ');
        else
            print_horizontal(ls);
        break;
    case F_COMMAS: print_with_separator(ls, ','); break;
    case F_LONG:
        for (size_t i = 0; i < ls->nused; i++) {
            set_normal_color(ls);
            print_long_format(ls, ls->sorted[i]);
            outc(ls, ls->eol);
            if ((i & 255) == 0 && proc_check(ls->p) < 0) break;
        }
        break;
    }
}

/* ---- sorting --------------------------------------------------------------------- */

static bool is_directory(const struct ent *f)
{
    return f->type == FT_DIR || f->type == FT_ARGDIR;
}
static bool is_linked_directory(const struct ent *f)
{
    return is_directory(f) || S_ISDIR(f->linkmode);
}

static int cmp_key(struct ls *ls, const struct ent *a, const struct ent *b)
{
    int d;
    switch (ls->sort) {
    case S_TIME:
        d = ts_cmp(ent_time(ls, &b->st), ent_time(ls, &a->st));
        if (d) return d;
        break;
    case S_SIZE:
        d = (b->st.st_size > a->st.st_size) - (b->st.st_size < a->st.st_size);
        if (d) return d;
        break;
    case S_EXT: {
        const char *e1 = strrchr(a->name, '.'), *e2 = strrchr(b->name, '.');
        d = strcmp(e1 ? e1 : "", e2 ? e2 : "");
        if (d) return d;
        break;
    }
    case S_WIDTH: {
        size_t w1 = name_width(ls, a), w2 = name_width(ls, b);
        if (w1 != w2) return w1 < w2 ? -1 : 1;
        break;
    }
    case S_VERSION:
        d = filevercmp(a->name, b->name);
        if (d) return d;
        break;
    default: break;
    }
    return strcmp(a->name, b->name);
}

static int sort_cmp(const void *va, const void *vb, void *ctx)
{
    struct ls *ls = ctx;
    const struct ent *a = va, *b = vb;
    if (ls->dirs_first) {
        int d = is_linked_directory(b) - is_linked_directory(a);
        if (d) return d;
    }
    return ls->reverse ? cmp_key(ls, b, a) : cmp_key(ls, a, b);
}

static void sort_files(struct ls *ls)
{
    if (ls->sorted_alloc < ls->nused) {
        size_t n = ls->nused + ls->nused / 2 + 16;
        struct ent **s = p_realloc(ls->p, ls->sorted, n * sizeof *s);
        void **t = s ? p_realloc(ls->p, ls->sort_tmp, n * sizeof *t) : NULL;
        if (!s || !t) {
            if (s) ls->sorted = s;
            nomem(ls);
            ls->nused = 0;
            return;
        }
        ls->sorted = s;
        ls->sort_tmp = t;
        ls->sorted_alloc = n;
    }
    for (size_t i = 0; i < ls->nused; i++) ls->sorted[i] = &ls->files[i];
    if (ls->sort == S_WIDTH || (ls->line_length && (ls->format == F_MANY || ls->format == F_HORIZ)))
        for (size_t i = 0; i < ls->nused; i++) ls->sorted[i]->width = name_width(ls, ls->sorted[i]);
    if (ls->sort == S_NONE) return;
    ptr_mergesort((void **)ls->sorted, ls->nused, ls->sort_tmp, sort_cmp, ls);
}

/* ---- gathering files ---------------------------------------------------------------- */

static void clear_files(struct ls *ls)
{
    ls->nused = 0;
    ls->some_quoted = false;
    ls->inode_w = ls->block_w = ls->nlink_w = ls->owner_w = ls->group_w = ls->author_w = 0;
    ls->scontext_w = ls->major_w = ls->minor_w = ls->size_w = 0;
    arena_reset(ls);
}

static enum ftype dtype_ftype(unsigned char t)
{
    switch (t) {
    case DT_FIFO: return FT_FIFO;
    case DT_CHR: return FT_CHR;
    case DT_DIR: return FT_DIR;
    case DT_BLK: return FT_BLK;
    case DT_REG: return FT_REG;
    case DT_LNK: return FT_LNK;
    case DT_SOCK: return FT_SOCK;
    default: return FT_UNKNOWN;
    }
}

static enum ftype mode_ftype(mode_t m)
{
    if (S_ISREG(m)) return FT_REG;
    if (S_ISDIR(m)) return FT_DIR;
    if (S_ISLNK(m)) return FT_LNK;
    if (S_ISFIFO(m)) return FT_FIFO;
    if (S_ISCHR(m)) return FT_CHR;
    if (S_ISBLK(m)) return FT_BLK;
    if (S_ISSOCK(m)) return FT_SOCK;
    return FT_UNKNOWN;
}

static void file_failure(struct ls *ls, bool serious, const char *msg, const char *file, int err)
{
    obuf_flush(&ls->out); /* gnulib error() flushes stdout first */
    cmd_errno(ls->p, err, msg, cmd_quoteaf(ls->p, file));
    set_status(ls, serious);
}

static int num_width(uintmax_t v)
{
    int w = 1;
    while (v >= 10) {
        v /= 10;
        w++;
    }
    return w;
}

/* Add a file to the table; returns its blocks. */
static uintmax_t gobble_file(struct ls *ls, const char *name, enum ftype type, bool cmdline,
                             const char *dirname)
{
    struct proc *p = ls->p;
    if (ls->nused == ls->nalloc) {
        size_t n = ls->nalloc ? ls->nalloc * 2 : 128;
        struct ent *nf = p_realloc(p, ls->files, n * sizeof *nf);
        if (!nf) {
            nomem(ls);
            return 0;
        }
        ls->files = nf;
        ls->nalloc = n;
    }
    struct ent *f = &ls->files[ls->nused];
    memset(f, 0, sizeof *f);
    f->type = type;
    f->quoted = -1;
    if (!ls->some_quoted && ls->align_quotes) {
        f->quoted = needs_quoting(ls, name);
        if (f->quoted) ls->some_quoted = true;
    }
    bool check_stat =
        cmdline || ls->format_needs_stat || (ls->format_needs_type && type == FT_UNKNOWN) ||
        ((type == FT_DIR || type == FT_UNKNOWN) && ls->color &&
         (is_colored(ls, C_OTHER_WRITABLE) || is_colored(ls, C_STICKY) ||
          is_colored(ls, C_STICKY_OTHER_WRITABLE))) ||
        ((ls->print_inode || ls->format_needs_type) && (type == FT_LNK || type == FT_UNKNOWN) &&
         (ls->deref == D_ALWAYS || ls->color_symlink_as_referent || ls->check_symlink_mode)) ||
        ls->print_inode ||
        ((type == FT_REG || type == FT_UNKNOWN) &&
         (ls->indicator == I_CLASSIFY ||
          (ls->color &&
           (is_colored(ls, C_EXEC) || is_colored(ls, C_SETUID) || is_colored(ls, C_SETGID)))));
    const char *full = name;
    if (name[0] != '/' && dirname && (check_stat || ls->format == F_LONG)) {
        char *d = ls->pathbuf;
        size_t dl = strlen(dirname), nl = strlen(name);
        if (dl + nl + 2 > VFS_PATH_MAX * 2) {
            full = name; /* too long: the lookup fails with ENAMETOOLONG below */
        } else {
            size_t k = 0;
            if (!(dirname[0] == '.' && dirname[1] == 0)) {
                memcpy(d, dirname, dl);
                k = dl;
                if (k && d[k - 1] != '/') d[k++] = '/';
            }
            memcpy(d + k, name, nl + 1);
            full = d;
        }
    }
    if (check_stat) {
        int err;
        switch (ls->deref) {
        case D_ALWAYS: err = sys_stat(p, full, &f->st); break;
        case D_CMDLINE:
        case D_CMDLINE_DIR:
            if (cmdline) {
                err = sys_stat(p, full, &f->st);
                if (ls->deref == D_CMDLINE) break;
                bool need_lstat =
                    err < 0 ? (err == -ENOENT || err == -ELOOP) : !S_ISDIR(f->st.st_mode);
                if (!need_lstat) break;
            }
            /* fall through */
        default: err = sys_lstat(p, full, &f->st); break;
        }
        if (err < 0) {
            file_failure(ls, cmdline, "cannot access %s", full, err);
            if (cmdline) return 0;
            f->name = arena_dup(ls, name, strlen(name));
            if (f->name) ls->nused++;
            return 0;
        }
        f->stat_ok = true;
        f->type = type = mode_ftype(f->st.st_mode);
    }
    if (type == FT_DIR && cmdline && !ls->immediate_dirs) f->type = type = FT_ARGDIR;

    if (type == FT_LNK && (ls->format == F_LONG || ls->check_symlink_mode)) {
        char lb[VFS_PATH_MAX + 1];
        ssize_t r = sys_readlink(p, full, lb, sizeof lb - 1);
        if (r < 0) {
            file_failure(ls, cmdline, "cannot read symbolic link %s", full, (int)r);
        } else {
            f->linkname = arena_dup(ls, lb, (size_t)r);
            if (f->linkname && f->quoted == 0 && needs_quoting(ls, f->linkname)) f->quoted = -1;
            struct stat lst;
            if (f->linkname && (I_FILE_TYPE <= ls->indicator || ls->check_symlink_mode) &&
                sys_stat(p, full, &lst) == 0) {
                f->linkok = true;
                f->linkmode = lst.st_mode;
            }
        }
    }
    uintmax_t blocks = f->stat_ok ? nblocks(&f->st) : 0;
    char hb[HUMAN_BUFSIZE];
    if (ls->format == F_LONG || ls->print_block_size) {
        const char *b = human_readable(blocks, hb, ls->human_opts, 512, ls->block_size);
        int len = (int)strlen(b);
        if (ls->block_w < len) ls->block_w = len;
    }
    if (ls->format == F_LONG) {
        if (ls->print_owner) {
            int len = id_width(ls, user_name(ls, f->st.st_uid), f->st.st_uid);
            if (ls->owner_w < len) ls->owner_w = len;
        }
        if (ls->print_group) {
            int len = id_width(ls, group_name(ls, f->st.st_gid), f->st.st_gid);
            if (ls->group_w < len) ls->group_w = len;
        }
        if (ls->print_author) {
            int len = id_width(ls, user_name(ls, f->st.st_uid), f->st.st_uid);
            if (ls->author_w < len) ls->author_w = len;
        }
    }
    if (ls->print_scontext && ls->scontext_w < 1) ls->scontext_w = 1;
    if (ls->format == F_LONG) {
        int len = num_width(f->st.st_nlink);
        if (ls->nlink_w < len) ls->nlink_w = len;
        if (type == FT_CHR || type == FT_BLK) {
            len = num_width(major(f->st.st_rdev));
            if (ls->major_w < len) ls->major_w = len;
            len = num_width(minor(f->st.st_rdev));
            if (ls->minor_w < len) ls->minor_w = len;
            len = ls->major_w + 2 + ls->minor_w;
            if (ls->size_w < len) ls->size_w = len;
        } else {
            const char *s = human_readable((uintmax_t)f->st.st_size, hb, ls->file_human_opts, 1,
                                           ls->file_block_size);
            len = (int)strlen(s);
            if (ls->size_w < len) ls->size_w = len;
        }
    }
    if (ls->print_inode) {
        int len = num_width(f->st.st_ino);
        if (ls->inode_w < len) ls->inode_w = len;
    }
    f->name = arena_dup(ls, name, strlen(name));
    if (f->name) ls->nused++;
    return blocks;
}

static void queue_directory(struct ls *ls, const char *name, const char *realname, bool cmdline)
{
    struct pending *n = p_malloc(ls->p, sizeof *n);
    char *nm = name ? p_strdup(ls->p, name) : NULL;
    char *rn = realname ? p_strdup(ls->p, realname) : NULL;
    if (!n || (name && !nm) || (realname && !rn)) {
        nomem(ls);
        return;
    }
    n->name = nm;
    n->realname = rn;
    n->cmdline = cmdline;
    n->next = ls->pending;
    ls->pending = n;
}

static bool dot_or_dotdot_base(const char *name)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    /* last_component skips trailing slashes */
    if (!*b) {
        size_t n = strlen(name);
        while (n > 0 && name[n - 1] == '/') n--;
        size_t s = n;
        while (s > 0 && name[s - 1] != '/') s--;
        return (n - s == 1 && name[s] == '.') ||
               (n - s == 2 && name[s] == '.' && name[s + 1] == '.');
    }
    return (b[0] == '.' && (!b[1] || (b[1] == '.' && !b[2])));
}

static void extract_dirs_from_files(struct ls *ls, const char *dirname, bool cmdline)
{
    bool ignore_dots = dirname != NULL;
    if (dirname && ls->recursive) queue_directory(ls, NULL, dirname, false);
    for (size_t i = ls->nused; 0 < i;) {
        i--;
        struct ent *f = ls->sorted[i];
        if (is_directory(f) && (!ignore_dots || !dot_or_dotdot_base(f->name))) {
            if (!dirname || f->name[0] == '/') {
                queue_directory(ls, f->name, f->linkname, cmdline);
            } else {
                size_t dl = strlen(dirname), nl = strlen(f->name);
                char *full = p_malloc(ls->p, dl + nl + 2);
                if (!full) {
                    nomem(ls);
                    return;
                }
                /* file_name_concat: no extra '/' after a trailing one */
                memcpy(full, dirname, dl);
                size_t k = dl;
                if (k && full[k - 1] != '/') full[k++] = '/';
                memcpy(full + k, f->name, nl + 1);
                queue_directory(ls, full, f->linkname, cmdline);
                p_free(ls->p, full);
            }
        }
    }
    size_t j = 0;
    for (size_t i = 0; i < ls->nused; i++) {
        struct ent *f = ls->sorted[i];
        ls->sorted[j] = f;
        j += f->type != FT_ARGDIR;
    }
    ls->nused = j;
}

static bool patterns_match(struct pattern *pats, const char *name)
{
    for (struct pattern *q = pats; q; q = q->next)
        if (fnmatch(q->pat, name, FNM_PERIOD) == 0) return true;
    return false;
}

static bool file_ignored(struct ls *ls, const char *name)
{
    return (ls->ignore != IG_MINIMAL && name[0] == '.' &&
            (ls->ignore == IG_DEFAULT || !name[1 + (name[1] == '.')])) ||
           (ls->ignore == IG_DEFAULT && patterns_match(ls->hide_pats, name)) ||
           patterns_match(ls->ignore_pats, name);
}

static void print_total(struct ls *ls, uintmax_t total)
{
    char hb[HUMAN_BUFSIZE];
    outs(ls, "total ");
    outs(ls, human_readable(total, hb, ls->human_opts, 512, ls->block_size));
    outc(ls, ls->eol);
}

static void print_dir(struct ls *ls, const char *name, const char *realname, bool cmdline)
{
    struct proc *p = ls->p;
    uintmax_t total = 0;
    int fd = sys_open(p, name, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        file_failure(ls, cmdline, "cannot open directory %s", name, fd);
        return;
    }
    if (ls->recursive) {
        struct stat st;
        int r = sys_fstat(p, fd, &st);
        if (r < 0) {
            file_failure(ls, cmdline, "cannot determine device and inode of %s", name, r);
            sys_close(p, fd);
            return;
        }
        for (size_t i = 0; i < ls->nactive; i++) {
            if (ls->active_dev[i] == st.st_dev && ls->active_ino[i] == st.st_ino) {
                obuf_flush(&ls->out);
                cmd_error(p, "%s: not listing already-listed directory", cmd_quotef(p, name));
                sys_close(p, fd);
                set_status(ls, true);
                return;
            }
        }
        if (ls->nactive == ls->active_cap) {
            size_t n = ls->active_cap ? ls->active_cap * 2 : 32;
            dev_t *d = p_realloc(p, ls->active_dev, n * sizeof *d);
            if (d) ls->active_dev = d;
            ino_t *in = d ? p_realloc(p, ls->active_ino, n * sizeof *in) : NULL;
            if (!d || !in) {
                nomem(ls);
                sys_close(p, fd);
                return;
            }
            ls->active_ino = in;
            ls->active_cap = n;
        }
        ls->active_dev[ls->nactive] = st.st_dev;
        ls->active_ino[ls->nactive] = st.st_ino;
        ls->nactive++;
    }
    clear_files(ls);
    if (ls->recursive || ls->print_dir_name) {
        if (!ls->first_dir) outc(ls, '\n');
        ls->first_dir = false;
        quote_name(ls, realname ? realname : name, &ls->dq, -1, NULL, true, false);
        outs(ls, ":\n");
    }
    bool stream =
        ls->format == F_ONE && ls->sort == S_NONE && !ls->print_block_size && !ls->recursive;
    for (;;) {
        int n = sys_getdents(p, fd, ls->dents, 64);
        if (n < 0) {
            if (n != -EINTR) file_failure(ls, cmdline, "reading directory %s", name, n);
            break;
        }
        if (n == 0) break;
        for (int i = 0; i < n; i++) {
            const char *dn = ls->dents[i].name;
            if (file_ignored(ls, dn)) continue;
            total += gobble_file(ls, dn, dtype_ftype(ls->dents[i].type), false, name);
            if (stream) {
                sort_files(ls);
                print_current_files(ls);
                clear_files(ls);
            }
        }
        if (proc_check(p) < 0 || ls->oom) break;
    }
    sys_close(p, fd);
    sort_files(ls);
    if (ls->recursive) extract_dirs_from_files(ls, name, false);
    if (ls->format == F_LONG || ls->print_block_size) print_total(ls, total);
    if (ls->nused) print_current_files(ls);
}

/* ---- options ------------------------------------------------------------------------ */

enum {
    O_AUTHOR = 256,
    O_BLOCK_SIZE,
    O_COLOR,
    O_DEREF_DIR,
    O_FILE_TYPE,
    O_FORMAT,
    O_FULL_TIME,
    O_GROUP_DIRS,
    O_HIDE,
    O_HYPERLINK,
    O_INDICATOR,
    O_QUOTING,
    O_SHOW_CONTROL,
    O_SI,
    O_SORT,
    O_TIME,
    O_TIME_STYLE,
    O_ZERO
};

static const struct opt_long longs[] = {
    {"all", OPT_NOARG, 'a'},
    {"escape", OPT_NOARG, 'b'},
    {"directory", OPT_NOARG, 'd'},
    {"full-time", OPT_NOARG, O_FULL_TIME},
    {"group-directories-first", OPT_NOARG, O_GROUP_DIRS},
    {"human-readable", OPT_NOARG, 'h'},
    {"inode", OPT_NOARG, 'i'},
    {"kibibytes", OPT_NOARG, 'k'},
    {"numeric-uid-gid", OPT_NOARG, 'n'},
    {"no-group", OPT_NOARG, 'G'},
    {"hide-control-chars", OPT_NOARG, 'q'},
    {"reverse", OPT_NOARG, 'r'},
    {"size", OPT_NOARG, 's'},
    {"width", OPT_ARG, 'w'},
    {"almost-all", OPT_NOARG, 'A'},
    {"ignore-backups", OPT_NOARG, 'B'},
    {"classify", OPT_OPTARG, 'F'},
    {"file-type", OPT_NOARG, O_FILE_TYPE},
    {"si", OPT_NOARG, O_SI},
    {"dereference-command-line", OPT_NOARG, 'H'},
    {"dereference-command-line-symlink-to-dir", OPT_NOARG, O_DEREF_DIR},
    {"hide", OPT_ARG, O_HIDE},
    {"ignore", OPT_ARG, 'I'},
    {"indicator-style", OPT_ARG, O_INDICATOR},
    {"dereference", OPT_NOARG, 'L'},
    {"literal", OPT_NOARG, 'N'},
    {"quote-name", OPT_NOARG, 'Q'},
    {"quoting-style", OPT_ARG, O_QUOTING},
    {"recursive", OPT_NOARG, 'R'},
    {"format", OPT_ARG, O_FORMAT},
    {"show-control-chars", OPT_NOARG, O_SHOW_CONTROL},
    {"sort", OPT_ARG, O_SORT},
    {"tabsize", OPT_ARG, 'T'},
    {"time", OPT_ARG, O_TIME},
    {"time-style", OPT_ARG, O_TIME_STYLE},
    {"zero", OPT_NOARG, O_ZERO},
    {"color", OPT_OPTARG, O_COLOR},
    {"hyperlink", OPT_OPTARG, O_HYPERLINK},
    {"block-size", OPT_ARG, O_BLOCK_SIZE},
    {"context", OPT_NOARG, 'Z'},
    {"author", OPT_NOARG, O_AUTHOR},
    {0}};

static const struct opt_spec spec = {.name = "ls",
                                     .shorts = "abcdfghiklmnopqrstuvw:xABCFGHI:LNQRST:UXZ1",
                                     .longs = longs,
                                     .help = ls_help,
                                     .authors = "Richard M. Stallman and David MacKenzie",
                                     .err_status = 2};

static const char *const when_args[] = {"always", "yes",  "force", "never",  "no",
                                        "none",   "auto", "tty",   "if-tty", NULL};
static const int when_vals[] = {1, 1, 1, 0, 0, 0, 2, 2, 2};
static const char *const format_args[] = {"verbose", "long",     "commas",        "horizontal",
                                          "across",  "vertical", "single-column", NULL};
static const int format_vals[] = {F_LONG, F_LONG, F_COMMAS, F_HORIZ, F_HORIZ, F_MANY, F_ONE};
static const char *const sort_args[] = {"none",    "time",  "size", "extension",
                                        "version", "width", NULL};
static const int sort_vals[] = {S_NONE, S_TIME, S_SIZE, S_EXT, S_VERSION, S_WIDTH};
static const char *const time_args[] = {"atime",  "access", "use",      "ctime",
                                        "status", "birth",  "creation", NULL};
static const int time_vals[] = {T_ATIME, T_ATIME, T_ATIME, T_CTIME, T_CTIME, T_BTIME, T_BTIME};
static const char *const indicator_args[] = {"none", "slash", "file-type", "classify", NULL};
static const int indicator_vals[] = {I_NONE, I_SLASH, I_FILE_TYPE, I_CLASSIFY};
static const int quoting_vals[] = {
    QA_LITERAL, QA_SHELL,   QA_SHELL_ALWAYS, QA_SHELL_ESCAPE, QA_SHELL_ESCAPE_ALWAYS,
    QA_C,       QA_C_MAYBE, QA_ESCAPE,       QA_LOCALE,       QA_CLOCALE};

static int xargmatch(struct opt_state *o, const char *option, const char *arg,
                     const char *const *names, const int *vals)
{
    int i = opt_argmatch_vals(o, option, arg, names, vals);
    if (i < 0) o->status = 1; /* ls's ARGMATCH_DIE is usage (EXIT_FAILURE) */
    return i < 0 ? -1 : vals[i];
}

static ptrdiff_t decode_line_length(const char *s)
{
    uintmax_t v;
    switch (opt_strtoumax(s, NULL, 0, &v, "")) {
    case OPT_NUM_OK: return v <= PTRDIFF_MAX ? (ptrdiff_t)v : 0;
    case OPT_NUM_OVERFLOW: return 0;
    default: return -1;
    }
}

static bool add_pattern(struct ls *ls, struct pattern **list, const char *pat)
{
    struct pattern *q = p_malloc(ls->p, sizeof *q);
    if (!q) return false;
    q->pat = pat;
    q->next = *list;
    *list = q;
    return true;
}

int cmd_ls(struct proc *p, int argc, char **argv)
{
    struct ls *ls = p_calloc(p, 1, sizeof *ls);
    if (!ls) {
        cmd_error(p, "memory exhausted");
        return 2;
    }
    ls->p = p;
    ls->print_owner = ls->print_group = true;
    ls->print_dir_name = true;
    ls->first_dir = true;
    ls->eol = '\n';
    ls->file_block_size = 1;
    ls->utf8 = cmd_utf8_locale(p);
    ls->time_fmt[0] = "%b %e  %Y";
    ls->time_fmt[1] = "%b %e %H:%M";

    bool kibibytes = false, explicit_time = false;
    int format_opt = -1, hide_control_opt = -1, quoting_opt = -1, sort_opt = -1;
    ptrdiff_t tabsize_opt = -1, width_opt = -1;
    const char *time_style = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        int v;
        switch (c) {
        case 'a': ls->ignore = IG_MINIMAL; break;
        case 'b': quoting_opt = QA_ESCAPE; break;
        case 'c':
            ls->time_type = T_CTIME;
            explicit_time = true;
            break;
        case 'd': ls->immediate_dirs = true; break;
        case 'f':
            ls->ignore = IG_MINIMAL;
            sort_opt = S_NONE;
            if (format_opt == F_LONG) format_opt = -1;
            ls->color = false;
            ls->hyperlink = false;
            ls->print_block_size = false;
            break;
        case O_FILE_TYPE: ls->indicator = I_FILE_TYPE; break;
        case 'g':
            format_opt = F_LONG;
            ls->print_owner = false;
            break;
        case 'h':
            ls->file_human_opts = ls->human_opts = HUMAN_AUTOSCALE | HUMAN_SI | HUMAN_BASE_1024;
            ls->file_block_size = ls->block_size = 1;
            break;
        case 'i': ls->print_inode = true; break;
        case 'k': kibibytes = true; break;
        case 'l': format_opt = F_LONG; break;
        case 'm': format_opt = F_COMMAS; break;
        case 'n':
            ls->numeric_ids = true;
            format_opt = F_LONG;
            break;
        case 'o':
            format_opt = F_LONG;
            ls->print_group = false;
            break;
        case 'p': ls->indicator = I_SLASH; break;
        case 'q': hide_control_opt = 1; break;
        case 'r': ls->reverse = true; break;
        case 's': ls->print_block_size = true; break;
        case 't': sort_opt = S_TIME; break;
        case 'u':
            ls->time_type = T_ATIME;
            explicit_time = true;
            break;
        case 'v': sort_opt = S_VERSION; break;
        case 'w':
            width_opt = decode_line_length(o.arg);
            if (width_opt < 0) {
                cmd_error(p, "invalid line width: %s", cmd_quote(p, o.arg));
                return 2;
            }
            break;
        case 'x': format_opt = F_HORIZ; break;
        case 'A': ls->ignore = IG_DOTS; break;
        case 'B':
            if (!add_pattern(ls, &ls->ignore_pats, "*~") ||
                !add_pattern(ls, &ls->ignore_pats, ".*~"))
                goto oom;
            break;
        case 'C': format_opt = F_MANY; break;
        case 'F':
            v = 1;
            if (o.arg && (v = xargmatch(&o, "--classify", o.arg, when_args, when_vals)) < 0)
                return o.status;
            if (v == 1) ls->indicator = I_CLASSIFY;
            break;
        case 'G': ls->print_group = false; break;
        case 'H': ls->deref = D_CMDLINE; break;
        case O_DEREF_DIR: ls->deref = D_CMDLINE_DIR; break;
        case 'I':
            if (!add_pattern(ls, &ls->ignore_pats, o.arg)) goto oom;
            break;
        case 'L': ls->deref = D_ALWAYS; break;
        case 'N': quoting_opt = QA_LITERAL; break;
        case 'Q': quoting_opt = QA_C; break;
        case 'R': ls->recursive = true; break;
        case 'S': sort_opt = S_SIZE; break;
        case 'T': {
            uintmax_t t;
            if (opt_dectoumax(&o, o.arg, 0, PTRDIFF_MAX, "", "invalid tab size", &t) < 0) return 2;
            tabsize_opt = (ptrdiff_t)t;
            break;
        }
        case 'U': sort_opt = S_NONE; break;
        case 'X': sort_opt = S_EXT; break;
        case '1':
            if (format_opt != F_LONG) format_opt = F_ONE;
            break;
        case O_AUTHOR: ls->print_author = true; break;
        case O_HIDE:
            if (!add_pattern(ls, &ls->hide_pats, o.arg)) goto oom;
            break;
        case O_SORT:
            if ((v = xargmatch(&o, "--sort", o.arg, sort_args, sort_vals)) < 0) return o.status;
            sort_opt = v;
            break;
        case O_GROUP_DIRS: ls->dirs_first = true; break;
        case O_TIME:
            if ((v = xargmatch(&o, "--time", o.arg, time_args, time_vals)) < 0) return o.status;
            ls->time_type = v;
            explicit_time = true;
            break;
        case O_FORMAT:
            if ((v = xargmatch(&o, "--format", o.arg, format_args, format_vals)) < 0)
                return o.status;
            format_opt = v;
            break;
        case O_FULL_TIME:
            format_opt = F_LONG;
            time_style = "full-iso";
            break;
        case O_COLOR:
            v = 1;
            if (o.arg && (v = xargmatch(&o, "--color", o.arg, when_args, when_vals)) < 0)
                return o.status;
            ls->color = v == 1;
            break;
        case O_HYPERLINK:
            v = 1;
            if (o.arg && (v = xargmatch(&o, "--hyperlink", o.arg, when_args, when_vals)) < 0)
                return o.status;
            ls->hyperlink = v == 1;
            break;
        case O_INDICATOR:
            if ((v = xargmatch(&o, "--indicator-style", o.arg, indicator_args, indicator_vals)) < 0)
                return o.status;
            ls->indicator = v;
            break;
        case O_QUOTING:
            if ((v = xargmatch(&o, "--quoting-style", o.arg, qa_style_names, quoting_vals)) < 0)
                return o.status;
            quoting_opt = v;
            break;
        case O_TIME_STYLE: time_style = o.arg; break;
        case O_SHOW_CONTROL: hide_control_opt = 0; break;
        case O_BLOCK_SIZE: {
            int e = human_options(p, o.arg, &ls->human_opts, &ls->block_size);
            if (e != OPT_NUM_OK) {
                cmd_error(p, "invalid --block-size argument '%s'", o.arg);
                return 2;
            }
            ls->file_human_opts = ls->human_opts;
            ls->file_block_size = ls->block_size;
            break;
        }
        case O_SI:
            ls->file_human_opts = ls->human_opts = HUMAN_AUTOSCALE | HUMAN_SI;
            ls->file_block_size = ls->block_size = 1;
            break;
        case 'Z': ls->print_scontext = true; break;
        case O_ZERO:
            ls->eol = 0;
            hide_control_opt = 0;
            if (format_opt != F_LONG) format_opt = F_ONE;
            ls->color = false;
            quoting_opt = QA_LITERAL;
            break;
        case OPT_EXIT: return o.status;
        default: return 2;
        }
    }
    if (ls->hyperlink) {
        cmd_error(p, "--hyperlink is not supported in vos");
        return 2;
    }

    if (!ls->block_size) {
        const char *lbs = proc_getenv(p, "LS_BLOCK_SIZE");
        human_options(p, lbs, &ls->human_opts, &ls->block_size);
        if (lbs || proc_getenv(p, "BLOCK_SIZE")) {
            ls->file_human_opts = ls->human_opts;
            ls->file_block_size = ls->block_size;
        }
        if (kibibytes) {
            ls->human_opts = 0;
            ls->block_size = 1024;
        }
    }
    ls->format = format_opt >= 0 ? (enum format)format_opt : F_ONE; /* stdout is never a tty */

    ptrdiff_t linelen = width_opt;
    if (ls->format == F_MANY || ls->format == F_HORIZ || ls->format == F_COMMAS || ls->color) {
        if (linelen < 0) {
            const char *cols = proc_getenv(p, "COLUMNS");
            if (cols && *cols) {
                linelen = decode_line_length(cols);
                if (linelen < 0)
                    cmd_error(p, "ignoring invalid width in environment variable COLUMNS: %s",
                              cmd_quote(p, cols));
            }
        }
    }
    ls->line_length = linelen < 0 ? 80 : (size_t)linelen;
    ls->max_idx = ls->line_length / 3 + (ls->line_length % 3 != 0);
    if (ls->format == F_MANY || ls->format == F_HORIZ || ls->format == F_COMMAS) {
        if (tabsize_opt >= 0) {
            ls->tabsize = (size_t)tabsize_opt;
        } else {
            ls->tabsize = 8;
            const char *ts = proc_getenv(p, "TABSIZE");
            if (ts) {
                uintmax_t t;
                if (opt_strtoumax(ts, NULL, 0, &t, "") == OPT_NUM_OK)
                    ls->tabsize = (size_t)t;
                else
                    cmd_error(p, "ignoring invalid tab size in environment variable TABSIZE: %s",
                              cmd_quote(p, ts));
            }
        }
    }
    ls->qmark = hide_control_opt < 0 ? false : hide_control_opt;
    int qs = quoting_opt;
    if (qs < 0) {
        const char *env = proc_getenv(p, "QUOTING_STYLE");
        if (env) {
            int i = -1;
            for (int k = 0; qa_style_names[k]; k++)
                if (strcmp(qa_style_names[k], env) == 0) i = k;
            if (i < 0)
                cmd_error(p, "ignoring invalid value of environment variable QUOTING_STYLE: %s",
                          cmd_quote(p, env));
            else
                qs = quoting_vals[i];
        }
    }
    if (qs < 0) qs = QA_LITERAL;
    ls->align_quotes = (ls->format == F_LONG ||
                        ((ls->format == F_MANY || ls->format == F_HORIZ) && ls->line_length)) &&
                       (qs == QA_SHELL || qs == QA_SHELL_ESCAPE || qs == QA_C_MAYBE);
    ls->fq.style = (enum qa_style)qs;
    ls->fq.utf8 = ls->utf8;
    if (qs == QA_ESCAPE) qa_set_char(&ls->fq, ' ');
    if (I_FILE_TYPE <= ls->indicator)
        for (const char *c = &"*=>@|"[ls->indicator - I_FILE_TYPE]; *c; c++)
            qa_set_char(&ls->fq, (unsigned char)*c);
    ls->dq.style = (enum qa_style)qs;
    ls->dq.utf8 = ls->utf8;
    qa_set_char(&ls->dq, ':');

    ls->sort = sort_opt >= 0                             ? (enum sort)sort_opt
               : (ls->format != F_LONG && explicit_time) ? S_TIME
                                                         : S_NAME;
    if (ls->format == F_LONG) {
        const char *style = time_style;
        if (!style) {
            style = proc_getenv(p, "TIME_STYLE");
            if (!style) style = "locale";
        }
        while (strncmp(style, "posix-", 6) == 0) {
            if (!ls->utf8) goto styles_done; /* the C locale is not a "hard" one */
            style += 6;
        }
        if (*style == '+') {
            char *p0 = p_strdup(p, style + 1);
            if (!p0) goto oom;
            char *nl = strchr(p0, '\n');
            const char *p1 = p0;
            if (nl) {
                if (strchr(nl + 1, '\n')) {
                    cmd_error(p, "invalid time style format %s", cmd_quote(p, p0));
                    return 2;
                }
                *nl++ = '\0';
                p1 = nl;
            }
            ls->time_fmt[0] = p0;
            ls->time_fmt[1] = p1;
        } else {
            static const char *const styles[] = {"full-iso", "long-iso", "iso", "locale", NULL};
            size_t sl = strlen(style);
            int found = -1, matches = 0;
            for (int i = 0; styles[i]; i++) {
                if (strncmp(styles[i], style, sl) == 0) {
                    if (strlen(styles[i]) == sl) {
                        found = i;
                        matches = 1;
                        break;
                    }
                    found = i;
                    matches++;
                }
            }
            if (found < 0 || matches > 1) {
                struct sbuf sb;
                sbuf_init(&sb, p);
                sbuf_printf(&sb, "%s: %s argument ", cmd_prog(p),
                            matches > 1 ? "ambiguous" : "invalid");
                sbuf_quote(&sb, style, strlen(style), QUOTE_LOCALE);
                sbuf_printf(&sb, " for ");
                sbuf_quote(&sb, "time style", 10, QUOTE_LOCALE);
                sbuf_printf(&sb, "\nValid arguments are:\n");
                for (int i = 0; styles[i]; i++) sbuf_printf(&sb, "  - [posix-]%s\n", styles[i]);
                sbuf_printf(&sb, "  - +FORMAT (e.g., +%%H:%%M) for a 'date'-style format\n");
                sbuf_printf(&sb, "Try '%s --help' for more information.\n", cmd_prog(p));
                if (sb.s) io_write_all(p, 2, sb.s, sb.len);
                sbuf_free(&sb);
                return 2;
            }
            switch (found) {
            case 0: ls->time_fmt[0] = ls->time_fmt[1] = "%Y-%m-%d %H:%M:%S.%N %z"; break;
            case 1: ls->time_fmt[0] = ls->time_fmt[1] = "%Y-%m-%d %H:%M"; break;
            case 2:
                ls->time_fmt[0] = "%Y-%m-%d ";
                ls->time_fmt[1] = "%m-%d %H:%M";
                break;
            default: break;
            }
        }
    }
styles_done:

    for (int i = 0; i < C_COUNT; i++) {
        ls->colors[i].s = default_colors[i];
        ls->colors[i].len = default_colors[i] ? strlen(default_colors[i]) : 0;
    }
    if (ls->color) parse_ls_color(ls);
    if (ls->color) ls->tabsize = 0;
    if (ls->dirs_first)
        ls->check_symlink_mode = true;
    else if (ls->color && (is_colored(ls, C_ORPHAN) ||
                           (is_colored(ls, C_EXEC) && ls->color_symlink_as_referent) ||
                           (is_colored(ls, C_MISSING) && ls->format == F_LONG)))
        ls->check_symlink_mode = true;
    if (ls->deref == D_UNDEF)
        ls->deref = ls->immediate_dirs || ls->indicator == I_CLASSIFY || ls->format == F_LONG
                        ? D_NEVER
                        : D_CMDLINE_DIR;
    tf_zone_load(&ls->tz, proc_getenv(p, "TZ"));
    idcache_init(&ls->ids, p);
    ls->format_needs_stat =
        ls->sort == S_TIME || ls->sort == S_SIZE || ls->format == F_LONG || ls->print_block_size;
    ls->format_needs_type =
        !ls->format_needs_stat && (ls->recursive || ls->color || ls->print_scontext ||
                                   ls->dirs_first || ls->indicator != I_NONE);
    ls->dents = p_malloc(p, 64 * sizeof *ls->dents);
    ls->pathbuf = p_malloc(p, VFS_PATH_MAX * 2 + 2);
    if (!ls->dents || !ls->pathbuf) goto oom;
    obuf_init(&ls->out, p, 1);

    int n_files = argc - o.ind;
    if (n_files <= 0) {
        if (ls->immediate_dirs)
            gobble_file(ls, ".", FT_DIR, true, NULL);
        else
            queue_directory(ls, ".", NULL, true);
    } else {
        for (int i = o.ind; i < argc; i++) gobble_file(ls, argv[i], FT_UNKNOWN, true, NULL);
    }
    if (ls->nused) {
        sort_files(ls);
        if (!ls->immediate_dirs) extract_dirs_from_files(ls, NULL, true);
    }
    if (ls->nused) {
        print_current_files(ls);
        if (ls->pending) outc(ls, '\n');
    } else if (n_files <= 1 && ls->pending && !ls->pending->next) {
        ls->print_dir_name = false;
    }
    /* the names of the command-line files are no longer needed */
    while (ls->pending && !ls->oom) {
        struct pending *t = ls->pending;
        ls->pending = t->next;
        if (!t->name) {
            if (ls->nactive) ls->nactive--;
        } else {
            print_dir(ls, t->name, t->realname, t->cmdline);
            ls->print_dir_name = true;
        }
        p_free(p, t->name);
        p_free(p, t->realname);
        p_free(p, t);
        if (proc_check(p) < 0 || obuf_failed(&ls->out)) break;
    }
    if (ls->color && ls->used_color) {
        if (!(ls->colors[C_LEFT].len == 2 && memcmp(ls->colors[C_LEFT].s, "\033[", 2) == 0 &&
              ls->colors[C_RIGHT].len == 1 && ls->colors[C_RIGHT].s[0] == 'm'))
            restore_default_color(ls);
    }
    {
        int st = cmd_close_stdout(p, &ls->out, ls->status);
        return st == 1 && ls->status != 1 ? 2 : st;
    }
oom:
    cmd_error(p, "memory exhausted");
    return 2;
}
