/* grep.c — print lines that match patterns (GNU grep 3.8), and egrep/fgrep
 * (Debian's wrappers: grep -E / grep -F under the name grep).
 *
 * The driver follows GNU grep's: input is read in 96 KiB chunks; each
 * chunk's complete lines are searched as one buffer (lib/regex.h's
 * rx_find finds the next matching line, at memory speed for literals);
 * a chunk holding a NUL makes the file binary (output stops, NULs become
 * line ends, "binary file matches" at the end); a selected line with an
 * encoding error is held back the same way. Context, -m, -o, --color,
 * -b/-n/-T heads, recursion (lib/fsutil.h's walker in readdir order) and
 * --include/--exclude (gnulib exclude rules) behave as GNU's.
 */
#include "cmd/cmd.h"
#include "lib/fsutil.h"
#include "lib/regex.h"

#include <regex.h>

#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char grep_help[] =
    "Usage: %s [OPTION]... PATTERNS [FILE]...\n"
    "Search for PATTERNS in each FILE.\n"
    "Example: %s -i 'hello world' menu.h main.c\n"
    "PATTERNS can contain multiple patterns separated by newlines.\n"
    "\n"
    "Pattern selection and interpretation:\n"
    "  -E, --extended-regexp     PATTERNS are extended regular expressions\n"
    "  -F, --fixed-strings       PATTERNS are strings\n"
    "  -G, --basic-regexp        PATTERNS are basic regular expressions\n"
    "  -P, --perl-regexp         PATTERNS are Perl regular expressions\n"
    "  -e, --regexp=PATTERNS     use PATTERNS for matching\n"
    "  -f, --file=FILE           take PATTERNS from FILE\n"
    "  -i, --ignore-case         ignore case distinctions in patterns and data\n"
    "      --no-ignore-case      do not ignore case distinctions (default)\n"
    "  -w, --word-regexp         match only whole words\n"
    "  -x, --line-regexp         match only whole lines\n"
    "  -z, --null-data           a data line ends in 0 byte, not newline\n"
    "\n"
    "Miscellaneous:\n"
    "  -s, --no-messages         suppress error messages\n"
    "  -v, --invert-match        select non-matching lines\n"
    "  -V, --version             display version information and exit\n"
    "      --help                display this help text and exit\n"
    "\n"
    "Output control:\n"
    "  -m, --max-count=NUM       stop after NUM selected lines\n"
    "  -b, --byte-offset         print the byte offset with output lines\n"
    "  -n, --line-number         print line number with output lines\n"
    "      --line-buffered       flush output on every line\n"
    "  -H, --with-filename       print file name with output lines\n"
    "  -h, --no-filename         suppress the file name prefix on output\n"
    "      --label=LABEL         use LABEL as the standard input file name prefix\n"
    "  -o, --only-matching       show only nonempty parts of lines that match\n"
    "  -q, --quiet, --silent     suppress all normal output\n"
    "      --binary-files=TYPE   assume that binary files are TYPE;\n"
    "                            TYPE is 'binary', 'text', or 'without-match'\n"
    "  -a, --text                equivalent to --binary-files=text\n"
    "  -I                        equivalent to --binary-files=without-match\n"
    "  -d, --directories=ACTION  how to handle directories;\n"
    "                            ACTION is 'read', 'recurse', or 'skip'\n"
    "  -D, --devices=ACTION      how to handle devices, FIFOs and sockets;\n"
    "                            ACTION is 'read' or 'skip'\n"
    "  -r, --recursive           like --directories=recurse\n"
    "  -R, --dereference-recursive  likewise, but follow all symlinks\n"
    "      --include=GLOB        search only files that match GLOB (a file pattern)\n"
    "      --exclude=GLOB        skip files that match GLOB\n"
    "      --exclude-from=FILE   skip files that match any file pattern from FILE\n"
    "      --exclude-dir=GLOB    skip directories that match GLOB\n"
    "  -L, --files-without-match  print only names of FILEs with no selected lines\n"
    "  -l, --files-with-matches  print only names of FILEs with selected lines\n"
    "  -c, --count               print only a count of selected lines per FILE\n"
    "  -T, --initial-tab         make tabs line up (if needed)\n"
    "  -Z, --null                print 0 byte after FILE name\n"
    "\n"
    "Context control:\n"
    "  -B, --before-context=NUM  print NUM lines of leading context\n"
    "  -A, --after-context=NUM   print NUM lines of trailing context\n"
    "  -C, --context=NUM         print NUM lines of output context\n"
    "  -NUM                      same as --context=NUM\n"
    "      --group-separator=SEP  print SEP on line between matches with context\n"
    "      --no-group-separator  do not print separator for matches with context\n"
    "      --color[=WHEN],\n"
    "      --colour[=WHEN]       use markers to highlight the matching strings;\n"
    "                            WHEN is 'always', 'never', or 'auto'\n"
    "  -U, --binary              do not strip CR characters at EOL (MSDOS/Windows)\n"
    "\n"
    "When FILE is '-', read standard input.  With no FILE, read '.' if\n"
    "recursive, '-' otherwise.  With fewer than two FILEs, assume -h.\n"
    "Exit status is 0 if any line is selected, 1 otherwise;\n"
    "if any error occurs and -q is not given, the exit status is 2.\n"
    "\n"
    "Report bugs to: bug-grep@gnu.org\n"
    "GNU grep home page: <https://www.gnu.org/software/grep/>\n"
    "General help using GNU software: <https://www.gnu.org/gethelp/>\n";

static const char grep_version[] =
    "grep (GNU grep) 3.8\n"
    "Copyright (C) 2022 Free Software Foundation, Inc.\n"
    "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
    "This is free software: you are free to change and redistribute it.\n"
    "There is NO WARRANTY, to the extent permitted by law.\n"
    "\n"
    "Written by Mike Haertel and others; see\n"
    "<https://git.sv.gnu.org/cgit/grep.git/tree/AUTHORS>.\n";

enum {
    O_BINARY_FILES = 256,
    O_COLOR,
    O_EXCLUDE_DIR,
    O_EXCLUDE,
    O_EXCLUDE_FROM,
    O_GROUP_SEP,
    O_NO_GROUP_SEP,
    O_INCLUDE,
    O_LINE_BUFFERED,
    O_LABEL,
    O_NO_ICASE,
};

static const struct opt_long grep_longs[] = {
    {"basic-regexp", OPT_NOARG, 'G'},
    {"extended-regexp", OPT_NOARG, 'E'},
    {"fixed-regexp", OPT_NOARG, 'F'},
    {"fixed-strings", OPT_NOARG, 'F'},
    {"perl-regexp", OPT_NOARG, 'P'},
    {"after-context", OPT_ARG, 'A'},
    {"before-context", OPT_ARG, 'B'},
    {"binary-files", OPT_ARG, O_BINARY_FILES},
    {"byte-offset", OPT_NOARG, 'b'},
    {"context", OPT_ARG, 'C'},
    {"color", OPT_OPTARG, O_COLOR},
    {"colour", OPT_OPTARG, O_COLOR},
    {"count", OPT_NOARG, 'c'},
    {"devices", OPT_ARG, 'D'},
    {"directories", OPT_ARG, 'd'},
    {"exclude", OPT_ARG, O_EXCLUDE},
    {"exclude-from", OPT_ARG, O_EXCLUDE_FROM},
    {"exclude-dir", OPT_ARG, O_EXCLUDE_DIR},
    {"file", OPT_ARG, 'f'},
    {"files-with-matches", OPT_NOARG, 'l'},
    {"files-without-match", OPT_NOARG, 'L'},
    {"group-separator", OPT_ARG, O_GROUP_SEP},
    {"include", OPT_ARG, O_INCLUDE},
    {"ignore-case", OPT_NOARG, 'i'},
    {"no-ignore-case", OPT_NOARG, O_NO_ICASE},
    {"initial-tab", OPT_NOARG, 'T'},
    {"label", OPT_ARG, O_LABEL},
    {"line-buffered", OPT_NOARG, O_LINE_BUFFERED},
    {"line-number", OPT_NOARG, 'n'},
    {"line-regexp", OPT_NOARG, 'x'},
    {"max-count", OPT_ARG, 'm'},
    {"no-filename", OPT_NOARG, 'h'},
    {"no-group-separator", OPT_NOARG, O_NO_GROUP_SEP},
    {"no-messages", OPT_NOARG, 's'},
    {"null", OPT_NOARG, 'Z'},
    {"null-data", OPT_NOARG, 'z'},
    {"only-matching", OPT_NOARG, 'o'},
    {"quiet", OPT_NOARG, 'q'},
    {"recursive", OPT_NOARG, 'r'},
    {"dereference-recursive", OPT_NOARG, 'R'},
    {"regexp", OPT_ARG, 'e'},
    {"invert-match", OPT_NOARG, 'v'},
    {"silent", OPT_NOARG, 'q'},
    {"text", OPT_NOARG, 'a'},
    {"binary", OPT_NOARG, 'U'},
    {"unix-byte-offsets", OPT_NOARG, 'u'},
    {"with-filename", OPT_NOARG, 'H'},
    {"word-regexp", OPT_NOARG, 'w'},
    {0}};

static const struct opt_spec grep_spec = {
    .name = "grep",
    .shorts = "0123456789A:B:C:D:EFGHIPTUVX:abcd:e:f:hiLlm:noqRrsuvwxyZz",
    .longs = grep_longs,
    .help = grep_help,
    .version = grep_version,
    .err_status = 2,
    .try_text = "Usage: %s [OPTION]... PATTERNS [FILE]...\nTry '%s --help' for more information.\n",
};

#define READSIZE (96 * 1024)
enum { BIN_BINARY, BIN_TEXT, BIN_WITHOUT };
enum { LIST_NONE, LIST_MATCHING, LIST_NONMATCHING };
enum { DIR_READ, DIR_RECURSE, DIR_SKIP };
enum { DEV_READ_COMMAND_LINE, DEV_READ, DEV_SKIP };
enum { M_GREP, M_EGREP, M_FGREP, M_PERL };

struct excl_pat {
    char *pat;
    bool include;
};
struct excl {
    struct excl_pat *v;
    size_t n, cap;
};

struct grep {
    struct proc *p;
    struct obuf out;
    struct rx *rx;
    bool utf8;
    /* options */
    bool invert, count_matches, out_line, out_byte, align_tabs, only_matching;
    bool line_buffered, suppress_errors, done_on_match, exit_on_match, out_quiet;
    bool dev_null_output;
    int list_files, out_file, binary_files, directories, devices;
    bool filename_nul;
    intmax_t before, after, max_count;
    int color;
    const char *group_sep;
    char eol;
    const char *label;
    bool omit_dot_slash, logical;
    struct excl excl[2], excl_dir[2];
    bool have_out_stat;
    struct stat out_stat;
    /* colors */
    const char *ms_color, *mc_color, *fn_color, *ln_color, *bn_color, *se_color, *sl_color,
        *cx_color;
    const char *sgr_start, *sgr_end;
    /* state */
    bool errseen, matched_exit, used, fatal;
    const char *filename;
    int offset_width;
    /* the buffer */
    char *buffer;
    size_t bufalloc;
    char *bufbeg, *buflim;
    off_t bufoffset, after_last_match;
    intmax_t totalcc, totalnl, outleft, pending;
    char *lastnl, *lastout;
    bool encoding_error_output;
    bool seek_failed;
};

/* ---- output helpers ------------------------------------------------------ */

static void sgr_start(struct grep *g, const char *c)
{
    if (*c) {
        char b[128];
        snprintf(b, sizeof b, g->sgr_start, c);
        obuf_puts(&g->out, b);
    }
}

static void sgr_end(struct grep *g, const char *c)
{
    if (*c) obuf_puts(&g->out, g->sgr_end);
}

static void sgr_start_if(struct grep *g, const char *c)
{
    if (g->color) sgr_start(g, c);
}

static void sgr_end_if(struct grep *g, const char *c)
{
    if (g->color) sgr_end(g, c);
}

static const char *input_filename(struct grep *g)
{
    return g->filename ? g->filename : "(standard input)";
}

static void suppressible_error(struct grep *g, int err)
{
    if (err == -ENOMEM) {
        /* xalloc_die: "grep: memory exhausted", and grep stops */
        if (!g->fatal) {
            obuf_flush(&g->out);
            cmd_error(g->p, "memory exhausted");
        }
        g->fatal = g->errseen = true;
        return;
    }
    if (!g->suppress_errors) {
        obuf_flush(&g->out);
        cmd_errno(g->p, err, "%s", input_filename(g));
    }
    g->errseen = true;
}

static void print_filename(struct grep *g)
{
    sgr_start_if(g, g->fn_color);
    obuf_puts(&g->out, input_filename(g));
    sgr_end_if(g, g->fn_color);
}

static void print_sep(struct grep *g, char sep)
{
    sgr_start_if(g, g->se_color);
    obuf_putc(&g->out, sep);
    sgr_end_if(g, g->se_color);
}

static void print_offset(struct grep *g, intmax_t pos, const char *color)
{
    sgr_start_if(g, color);
    obuf_printf(&g->out, "%*" PRIdMAX, g->offset_width, pos);
    sgr_end_if(g, color);
}

/* How many bytes c are in p[0..n): eight at a time (exact zero-byte test). */
static size_t count_byte(const char *p, size_t n, char c)
{
    const uint64_t lo7 = 0x7f7f7f7f7f7f7f7full, hi = 0x8080808080808080ull;
    const uint64_t m = 0x0101010101010101ull * (unsigned char)c;
    size_t k = 0, i = 0;
    while (i + 8 <= n) {
        /* per-byte 0/1 flags summed in the bytes of acc (at most 255 rounds) */
        uint64_t acc = 0;
        for (int r = 0; r < 255 && i + 8 <= n; r++, i += 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            w ^= m;
            uint64_t t = ((w & lo7) + lo7) | w;
            acc += (~t & hi) >> 7;
        }
        /* add the eight byte lanes: first into 16-bit lanes (no overflow) */
        uint64_t w16 = (acc & 0x00ff00ff00ff00ffull) + ((acc >> 8) & 0x00ff00ff00ff00ffull);
        k += (size_t)((w16 * 0x0001000100010001ull) >> 48);
    }
    for (; i < n; i++) k += p[i] == c;
    return k;
}

static void nlscan(struct grep *g, const char *lim)
{
    if (g->lastnl < lim) g->totalnl += (intmax_t)count_byte(g->lastnl, (size_t)(lim - g->lastnl), g->eol);
    g->lastnl = (char *)lim;
}

/* The file name, line number and byte offset before a line or an -o
 * match; false (and nothing printed) when the text has an encoding
 * error that hides it. */
static bool print_line_head(struct grep *g, char *beg, size_t len, char *lim, char sep)
{
    if (g->binary_files != BIN_TEXT && g->utf8 && rx_utf8_valid_prefix(beg, len) != len) {
        g->encoding_error_output = true;
        return false;
    }
    if (g->out_file) {
        print_filename(g);
        if (!g->filename_nul)
            print_sep(g, sep);
        else
            obuf_putc(&g->out, 0);
    }
    if (g->out_line) {
        if (g->lastnl < lim) {
            nlscan(g, beg);
            g->totalnl++;
            g->lastnl = lim;
        }
        print_offset(g, g->totalnl, g->ln_color);
        print_sep(g, sep);
    }
    if (g->out_byte) {
        print_offset(g, g->totalcc + (beg - g->bufbeg), g->bn_color);
        print_sep(g, sep);
    }
    if (g->align_tabs && (g->out_file || g->out_line || g->out_byte) && len != 0)
        obuf_putc(&g->out, '\t');
    return true;
}

/* The next match in the line [beg, lim) (lim after the eol) at or after
 * cur: its offset from beg and size, or -1. */
static ptrdiff_t match_in_line(struct grep *g, char *beg, char *lim, char *cur, size_t *size)
{
    size_t len = (size_t)(lim - beg) - 1;
    struct rx_span m;
    int rc = rx_exec(g->rx, beg, len, (size_t)(cur - beg), 0, &m, 1);
    if (rc < 0) {
        if (rc != -EINTR) cmd_error(g->p, "%s: %s", input_filename(g), rx_strerror(rc));
        g->errseen = true;
        return -2;
    }
    if (rc == 0) return -1;
    *size = (size_t)(m.eo - m.so);
    return m.so;
}

static char *print_line_middle(struct grep *g, char *beg, char *lim, const char *line_color,
                               const char *match_color)
{
    char *cur, *mid = NULL, *b;
    size_t match_size;
    ptrdiff_t off;
    for (cur = beg; cur < lim && (off = match_in_line(g, beg, lim, cur, &match_size)) >= 0;
         cur = b + match_size) {
        b = beg + off;
        if (b == lim) break;
        if (match_size == 0) {
            match_size = 1;
            if (!mid) mid = cur;
        } else {
            if (g->only_matching) {
                char sep = g->invert ? '-' : ':';
                if (!print_line_head(g, b, match_size, lim, sep)) return NULL;
            } else {
                sgr_start(g, line_color);
                if (mid) {
                    cur = mid;
                    mid = NULL;
                }
                obuf_write(&g->out, cur, (size_t)(b - cur));
            }
            sgr_start_if(g, match_color);
            obuf_write(&g->out, b, match_size);
            sgr_end_if(g, match_color);
            if (g->only_matching) obuf_putc(&g->out, g->eol);
        }
    }
    if (g->only_matching)
        cur = lim;
    else if (mid)
        cur = mid;
    return cur;
}

static char *print_line_tail(struct grep *g, char *beg, const char *lim, const char *line_color)
{
    size_t eol_size = lim > beg && lim[-1] == g->eol;
    eol_size += lim - eol_size > beg && lim[-(1 + (ptrdiff_t)eol_size)] == '\r';
    size_t tail = (size_t)(lim - beg) - eol_size;
    if (tail > 0) {
        sgr_start(g, line_color);
        obuf_write(&g->out, beg, tail);
        beg += tail;
        sgr_end(g, line_color);
    }
    return beg;
}

static void prline(struct grep *g, char *beg, char *lim, char sep)
{
    if (!g->only_matching)
        if (!print_line_head(g, beg, (size_t)(lim - beg) - 1, lim, sep)) return;
    bool matching = (sep == ':') ^ g->invert;
    const char *line_color = NULL, *match_color = NULL;
    if (g->color) {
        line_color = ((sep == ':') ^ (g->invert && g->color < 0)) ? g->sl_color : g->cx_color;
        match_color = sep == ':' ? g->ms_color : g->mc_color;
    }
    if ((g->only_matching && matching) || (g->color && (*line_color || *match_color))) {
        if (matching && (g->only_matching || *match_color)) {
            beg = print_line_middle(g, beg, lim, line_color ? line_color : "",
                                    match_color ? match_color : "");
            if (!beg) return;
        }
        if (!g->only_matching && *line_color) beg = print_line_tail(g, beg, lim, line_color);
    }
    if (!g->only_matching && lim > beg) obuf_write(&g->out, beg, (size_t)(lim - beg));
    if (g->line_buffered) obuf_flush(&g->out);
    g->lastout = lim;
}

static void prpending(struct grep *g, char *lim)
{
    if (!g->lastout) g->lastout = g->bufbeg;
    for (; g->pending > 0 && g->lastout < lim; g->pending--) {
        char *nl = memchr(g->lastout, g->eol, (size_t)(lim - g->lastout));
        prline(g, g->lastout, nl + 1, '-');
    }
}

static void prtext(struct grep *g, char *beg, char *lim)
{
    char eol = g->eol;
    if (!g->out_quiet && g->pending > 0) prpending(g, beg);
    char *p = beg;
    if (!g->out_quiet) {
        char *bp = g->lastout ? g->lastout : g->bufbeg;
        for (intmax_t i = 0; i < g->before; ++i)
            if (p > bp) do
                    --p;
                while (p[-1] != eol);
        if ((0 <= g->before || 0 <= g->after) && g->used && p != g->lastout && g->group_sep) {
            sgr_start_if(g, g->se_color);
            obuf_puts(&g->out, g->group_sep);
            sgr_end_if(g, g->se_color);
            obuf_putc(&g->out, '\n');
        }
        while (p < beg) {
            char *nl = memchr(p, eol, (size_t)(beg - p));
            nl++;
            prline(g, p, nl, '-');
            p = nl;
        }
    }
    intmax_t n;
    if (g->invert) {
        for (n = 0; p < lim && n < g->outleft; n++) {
            char *nl = memchr(p, eol, (size_t)(lim - p));
            nl++;
            if (!g->out_quiet) prline(g, p, nl, ':');
            p = nl;
        }
    } else {
        if (!g->out_quiet) prline(g, beg, lim, ':');
        n = 1;
        p = lim;
    }
    g->after_last_match = g->bufoffset - (g->buflim - p);
    g->pending = g->out_quiet ? 0 : (g->after > 0 ? g->after : 0);
    g->used = true;
    g->outleft -= n;
}

/* The first matching line in [p, lim): offset and size with its eol. */
static ptrdiff_t find_line(struct grep *g, char *p, char *lim, size_t *size)
{
    size_t rb, re;
    int rc = rx_find(g->rx, p, (size_t)(lim - p), 0, &rb, &re);
    if (rc < 0) {
        if (rc != -EINTR) cmd_error(g->p, "%s: %s", input_filename(g), rx_strerror(rc));
        g->errseen = true;
        return -2;
    }
    if (rc == 0) return -1;
    *size = re - rb + 1;
    return (ptrdiff_t)rb;
}

/* Lines of [beg, lim) (which ends in eol): a count of selected lines. */
static intmax_t grepbuf(struct grep *g, char *beg, char *lim, bool *stop)
{
    intmax_t outleft0 = g->outleft;
    char *endp;
    for (char *p = beg; p < lim; p = endp) {
        size_t match_size;
        ptrdiff_t off = find_line(g, p, lim, &match_size);
        if (off == -2) {
            *stop = true;
            break;
        }
        if (off < 0) {
            if (!g->invert) break;
            off = lim - p;
            match_size = 0;
        }
        char *b = p + off;
        endp = b + match_size;
        if (!g->invert && b == lim) break;
        if (!g->invert || p < b) {
            char *prbeg = g->invert ? p : b;
            char *prend = g->invert ? b : endp;
            prtext(g, prbeg, prend);
            if (!g->outleft || g->done_on_match) {
                if (g->exit_on_match) g->matched_exit = true;
                break;
            }
        }
        if (obuf_failed(&g->out)) {
            *stop = true;
            break;
        }
    }
    return outleft0 - g->outleft;
}

/* Read more input after keeping save bytes before buflim: 0, or an
 * error. The bytes before bufbeg keep an eol sentinel. */
static int fillbuf(struct grep *g, size_t save, int fd)
{
    size_t need = 1 + save + READSIZE + 8;
    char *keep = save ? g->buflim - save : g->buflim; /* buflim is NULL before the first fill */
    if (need > g->bufalloc) {
        size_t na = g->bufalloc ? g->bufalloc : need;
        while (na < need) na *= 2;
        char *nb = p_malloc(g->p, na);
        if (!nb) return -ENOMEM;
        nb[0] = g->eol;
        if (save) memcpy(nb + 1, keep, save);
        p_free(g->p, g->buffer);
        g->buffer = nb;
        g->bufalloc = na;
    } else {
        if (save) memmove(g->buffer + 1, keep, save);
        g->buffer[0] = g->eol;
    }
    g->bufbeg = g->buffer + 1;
    char *readbuf = g->bufbeg + save;
    ssize_t r;
    do
        r = sys_read(g->p, fd, readbuf, READSIZE);
    while (r == -EAGAIN && proc_check(g->p) == 0);
    if (r < 0) {
        g->buflim = readbuf;
        return (int)r;
    }
    g->bufoffset += r;
    g->buflim = readbuf + r;
    memset(g->buflim, 0, 8);
    return 0;
}

static void zap_nuls(char *p, char *lim, char eol)
{
    if (!eol) return;
    for (; p < lim; p++) {
        p = memchr(p, 0, (size_t)(lim - p));
        if (!p) break;
        *p = eol;
    }
}

/* Search one open input. Returns the count of selected lines; *ineof. */
static intmax_t grep_fd(struct grep *g, int fd, const struct stat *st, bool *ineof)
{
    intmax_t nlines = 0, nlines_first_null = -1;
    size_t residue = 0, save = 0;
    char eol = g->eol, nul_zapper = 0;
    bool done_on_match0 = g->done_on_match, out_quiet0 = g->out_quiet;
    bool stop = false;

    g->bufoffset = 0;
    g->seek_failed = false;
    if (fd == 0) {
        off_t off = sys_lseek(g->p, 0, 0, SEEK_CUR);
        if (off < 0) {
            g->seek_failed = true;
            off = 0;
        }
        g->bufoffset = off;
    }
    g->buflim = g->buffer ? g->buffer + 1 : NULL;
    g->totalcc = 0;
    g->lastout = NULL;
    g->totalnl = 0;
    g->outleft = g->max_count;
    g->after_last_match = 0;
    g->pending = 0;
    g->encoding_error_output = false;

    int err = fillbuf(g, 0, fd);
    if (err) {
        if (err != -EINTR) suppressible_error(g, err);
        return 0;
    }
    g->offset_width = 0;
    if (g->align_tabs) {
        intmax_t num = S_ISREG(st->st_mode) ? (intmax_t)st->st_size : INTMAX_MAX;
        num += g->out_line && num < INTMAX_MAX;
        do
            g->offset_width++;
        while ((num /= 10) != 0);
    }
    for (;;) {
        if (nlines_first_null < 0 && eol && g->binary_files != BIN_TEXT &&
            memchr(g->bufbeg, 0, (size_t)(g->buflim - g->bufbeg))) {
            if (g->binary_files == BIN_WITHOUT) return 0;
            if (!g->count_matches) {
                g->out_quiet = true;
                if (g->max_count == INTMAX_MAX) g->done_on_match = true;
            }
            nlines_first_null = nlines;
            nul_zapper = eol;
        }
        g->lastnl = g->bufbeg;
        if (g->lastout) g->lastout = g->bufbeg;
        char *beg = g->bufbeg + save;
        if (beg == g->buflim) {
            *ineof = true;
            break;
        }
        zap_nuls(beg, g->buflim, nul_zapper);
        char *last_eol = memrchr(beg, eol, (size_t)(g->buflim - beg));
        beg -= residue;
        char *lim = last_eol ? last_eol + 1 : beg;
        residue = (size_t)(g->buflim - lim);
        if (beg < lim) {
            if (g->outleft) nlines += grepbuf(g, beg, lim, &stop);
            if (g->pending) prpending(g, lim);
            if (stop || g->matched_exit || (!g->outleft && !g->pending) ||
                (g->done_on_match && (nlines_first_null > 0 ? nlines_first_null : 0) < nlines))
                goto finish;
        }
        intmax_t i = 0;
        beg = lim;
        while (i < g->before && beg > g->bufbeg && beg != g->lastout) {
            ++i;
            do
                --beg;
            while (beg[-1] != eol);
        }
        if (beg != g->lastout) g->lastout = NULL;
        save = residue + (size_t)(lim - beg);
        if (g->out_byte) g->totalcc += (g->buflim - g->bufbeg) - (ptrdiff_t)save;
        if (g->out_line) nlscan(g, beg);
        /* fillbuf moves the kept bytes: keep lastout pointing at them. */
        ptrdiff_t lastout_off = g->lastout ? g->lastout - (g->buflim - save) : -1;
        err = fillbuf(g, save, fd);
        if (lastout_off >= 0) g->lastout = g->bufbeg + lastout_off;
        if (err) {
            if (err != -EINTR) suppressible_error(g, err);
            goto finish;
        }
        if (proc_check(g->p) < 0) goto finish;
    }
    if (residue) {
        *g->buflim++ = eol;
        if (g->outleft) nlines += grepbuf(g, g->bufbeg + save - residue, g->buflim, &stop);
        if (g->pending) prpending(g, g->buflim);
    }
finish:
    g->done_on_match = done_on_match0;
    g->out_quiet = out_quiet0;
    if (g->binary_files == BIN_BINARY && !g->out_quiet &&
        (g->encoding_error_output || (0 <= nlines_first_null && nlines_first_null < nlines))) {
        obuf_flush(&g->out);
        cmd_error(g->p, "%s: binary file matches", input_filename(g));
    }
    return nlines;
}

/* ---- files ------------------------------------------------------------- */

static bool excl_match(const struct excl *ex, const char *f, bool anchored)
{
    if (!ex->n) return false;
    for (size_t k = ex->n; k-- > 0;) {
        const char *pat = ex->v[k].pat;
        bool m = fnmatch(pat, f, 0) == 0;
        if (!anchored)
            for (const char *s = f; *s && !m; s++)
                if (*s == '/' && s[1] != '/') m = fnmatch(pat, s + 1, 0) == 0;
        if (m) return !ex->v[k].include;
    }
    return ex->v[0].include;
}

static bool skipped_file(struct grep *g, const char *name, bool command_line, bool is_dir)
{
    const struct excl *ex;
    if (!is_dir)
        ex = &g->excl[command_line];
    else if (g->directories == DIR_SKIP)
        return true;
    else if (command_line && g->omit_dot_slash)
        return false;
    else
        ex = &g->excl_dir[command_line];
    return excl_match(ex, name, !command_line);
}

static bool is_device_mode(mode_t m)
{
    return S_ISCHR(m) || S_ISBLK(m) || S_ISSOCK(m) || S_ISFIFO(m);
}

static bool skip_devices(struct grep *g, bool command_line)
{
    return g->devices == DEV_SKIP || (g->devices == DEV_READ_COMMAND_LINE && !command_line);
}

static bool grep_tree(struct grep *g, const char *root, bool command_line);

/* Finish reading stdin as GNU does: after -m, leave the offset just past
 * the last selected line; after an early stop, at the end. */
static void finalize_input(struct grep *g, int fd, bool ineof)
{
    if (fd != 0) return;
    if (g->outleft) {
        if (!ineof && !g->seek_failed) sys_lseek(g->p, 0, 0, SEEK_END);
    } else if (g->bufoffset != g->after_last_match && !g->seek_failed) {
        sys_lseek(g->p, 0, g->after_last_match, SEEK_SET);
    }
}

/* Search an open descriptor; true when no line was selected. */
static bool grepdesc(struct grep *g, int desc, bool command_line)
{
    bool status = true, ineof = false;
    struct stat st;
    int r = sys_fstat(g->p, desc, &st);
    if (r < 0) {
        suppressible_error(g, r);
        goto closeout;
    }
    if (desc != 0 && skip_devices(g, command_line) && is_device_mode(st.st_mode)) goto closeout;
    if (desc != 0 && command_line && skipped_file(g, g->filename, true, S_ISDIR(st.st_mode)))
        goto closeout;
    if (g->out_file < 0) g->out_file = S_ISDIR(st.st_mode) ? 1 : 0;
    if (desc != 0 && g->directories == DIR_RECURSE && S_ISDIR(st.st_mode)) {
        sys_close(g->p, desc);
        return grep_tree(g, g->filename, command_line);
    }
    if (desc != 0 && ((g->directories == DIR_SKIP && S_ISDIR(st.st_mode)) ||
                      ((g->devices == DEV_SKIP ||
                        (g->devices == DEV_READ_COMMAND_LINE && !command_line)) &&
                       is_device_mode(st.st_mode))))
        goto closeout;
    if (!g->out_quiet && g->list_files == LIST_NONE && 1 < g->max_count && S_ISREG(st.st_mode) &&
        g->have_out_stat && st.st_ino == g->out_stat.st_ino && st.st_dev == g->out_stat.st_dev) {
        if (!g->suppress_errors) {
            obuf_flush(&g->out);
            cmd_error(g->p, "%s: input file is also the output", input_filename(g));
        }
        g->errseen = true;
        goto closeout;
    }
    intmax_t count = grep_fd(g, desc, &st, &ineof);
    if (g->matched_exit || g->fatal) goto closeout;
    if (g->count_matches) {
        if (g->out_file) {
            print_filename(g);
            if (!g->filename_nul)
                print_sep(g, ':');
            else
                obuf_putc(&g->out, 0);
        }
        obuf_printf(&g->out, "%" PRIdMAX "\n", count);
        if (g->line_buffered) obuf_flush(&g->out);
    }
    status = !count;
    if (g->list_files == LIST_NONE)
        finalize_input(g, desc, ineof);
    else if (g->list_files == (status ? LIST_NONMATCHING : LIST_MATCHING)) {
        print_filename(g);
        obuf_putc(&g->out, g->filename_nul ? 0 : '\n');
        if (g->line_buffered) obuf_flush(&g->out);
    }
closeout:
    if (desc != 0) sys_close(g->p, desc);
    return status;
}

static bool grepfile(struct grep *g, const char *name, bool follow, bool command_line)
{
    int desc = sys_open(g->p, name, O_RDONLY | O_NOCTTY | (follow ? 0 : O_NOFOLLOW) |
                                        (skip_devices(g, command_line) ? O_NONBLOCK : 0),
                        0);
    if (desc < 0) {
        if (follow || desc != -ELOOP) suppressible_error(g, desc);
        return true;
    }
    return grepdesc(g, desc, command_line);
}

static bool grep_tree(struct grep *g, const char *root, bool command_line)
{
    bool status = true;
    /* fts drops trailing slashes of a root (keeping "/"). */
    size_t len = strlen(root);
    while (len > 1 && root[len - 1] == '/') len--;
    char *r = p_strndup(g->p, root, len);
    char *roots[2] = {r, NULL};
    int flags = g->logical ? FW_LOGICAL : (FW_PHYSICAL | (command_line ? FW_COMFOLLOW : 0));
    struct fwalk *w = r ? fwalk_open(g->p, roots, flags) : NULL;
    if (!w) {
        cmd_error(g->p, "memory exhausted");
        g->errseen = true;
        p_free(g->p, r);
        return true;
    }
    struct fw_ent *e;
    int err;
    while ((e = fwalk_read(w, &err))) {
        bool cl = command_line && e->level == 0;
        if (e->info == FW_DP) continue;
        if (!cl && skipped_file(g, e->name, false,
                                e->info == FW_D || e->info == FW_DC || e->info == FW_DNR)) {
            fwalk_skip(w, e);
            continue;
        }
        g->filename = e->path;
        if (g->omit_dot_slash && g->filename[0] && g->filename[1]) g->filename += 2;
        bool follow = g->logical || cl;
        switch (e->info) {
        case FW_D:
            continue;
        case FW_DC:
            if (!g->suppress_errors) {
                obuf_flush(&g->out);
                cmd_error(g->p, "%s: warning: recursive directory loop", g->filename);
            }
            continue;
        case FW_DNR:
        case FW_NS:
            suppressible_error(g, -e->err);
            continue;
        case FW_DEFAULT:
            if (skip_devices(g, cl) && is_device_mode(e->st.st_mode)) continue;
            break;
        case FW_F:
        case FW_SLNONE:
            break;
        case FW_SL:
            continue;
        }
        status &= grepfile(g, e->path, follow, cl);
        if (g->matched_exit || g->fatal || obuf_failed(&g->out)) break;
    }
    if (err && err != -EINTR) suppressible_error(g, err);
    fwalk_close(w);
    p_free(g->p, r);
    return status;
}

static void grep_warn(void *ctx, const char *msg)
{
    cmd_error((struct proc *)ctx, "warning: %s", msg);
}

static bool grep_command_line_arg(struct grep *g, const char *arg)
{
    if (strcmp(arg, "-") == 0) {
        g->filename = g->label;
        return grepdesc(g, 0, true);
    }
    g->filename = arg;
    return grepfile(g, arg, true, true);
}

/* ---- options --------------------------------------------------------------- */

static int excl_add(struct grep *g, struct excl *ex, const char *pat, bool include)
{
    if (ex->n == ex->cap) {
        size_t nc = ex->cap ? ex->cap * 2 : 8;
        struct excl_pat *nv = p_realloc(g->p, ex->v, nc * sizeof *nv);
        if (!nv) return -ENOMEM;
        ex->v = nv;
        ex->cap = nc;
    }
    ex->v[ex->n].pat = p_strdup(g->p, pat);
    if (!ex->v[ex->n].pat) return -ENOMEM;
    ex->v[ex->n].include = include;
    ex->n++;
    return 0;
}

/* The whole of a file (or stdin for "-"): 0 and *data (p_malloc'd). */
static int slurp(struct proc *p, const char *name, char **data, size_t *len)
{
    int fd = cmd_open_input(p, name);
    if (fd < 0) return fd;
    size_t cap = 4096, n = 0;
    char *b = p_malloc(p, cap);
    int err = 0;
    for (;;) {
        if (!b) {
            err = -ENOMEM;
            break;
        }
        if (n == cap) {
            char *nb = p_realloc(p, b, cap * 2);
            if (!nb) {
                err = -ENOMEM;
                break;
            }
            b = nb;
            cap *= 2;
        }
        ssize_t r = sys_read(p, fd, b + n, cap - n);
        if (r < 0) {
            err = (int)r;
            break;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    cmd_close_input(p, fd);
    if (err) {
        p_free(p, b);
        return err;
    }
    *data = b;
    *len = n;
    return 0;
}

static bool context_length_arg(struct grep *g, const char *str, intmax_t *out)
{
    intmax_t v;
    enum opt_num_status s = opt_strtoimax(str, NULL, 10, &v, "");
    if ((s == OPT_NUM_OK || s == OPT_NUM_OVERFLOW) && v >= 0) {
        *out = v;
        return true;
    }
    cmd_error(g->p, "%s: invalid context length argument", str);
    return false;
}

static void parse_grep_colors(struct grep *g)
{
    const char *env = proc_getenv(g->p, "GREP_COLORS");
    if (!env || !*env) return;
    char *q = p_strdup(g->p, env);
    if (!q) return;
    char *name = q, *val = NULL;
    for (;;) {
        if (*q == ':' || *q == 0) {
            char c = *q;
            *q++ = 0;
            static const char *const caps[] = {"mt", "ms", "mc", "fn", "ln", "bn",
                                               "se", "sl", "cx", "rv", "ne"};
            int k;
            for (k = 0; k < 11; k++)
                if (strcmp(caps[k], name) == 0) break;
            if (val) {
                switch (k) {
                case 0: g->ms_color = g->mc_color = val; break;
                case 1: g->ms_color = val; break;
                case 2: g->mc_color = val; break;
                case 3: g->fn_color = val; break;
                case 4: g->ln_color = val; break;
                case 5: g->bn_color = val; break;
                case 6: g->se_color = val; break;
                case 7: g->sl_color = val; break;
                case 8: g->cx_color = val; break;
                }
            }
            if (k == 0 && val) g->mc_color = g->ms_color;
            if (k == 9) g->color = -1;
            if (k == 10) {
                g->sgr_start = "\33[%sm";
                g->sgr_end = "\33[m";
            }
            if (c == 0) return;
            name = q;
            val = NULL;
        } else if (*q == '=') {
            if (q == name || val) return;
            *q++ = 0;
            val = q;
        } else if (!val)
            q++;
        else if (*q == ';' || (*q >= '0' && *q <= '9'))
            q++;
        else
            return;
    }
}

static const char *const dir_args[] = {"read", "recurse", "skip", NULL};

static int grep_main(struct proc *p, int argc, char **argv, int forced)
{
    struct grep G = {0}, *g = &G;
    g->p = p;
    g->utf8 = cmd_utf8_locale(p);
    g->eol = '\n';
    g->max_count = INTMAX_MAX;
    g->before = g->after = -1;
    g->group_sep = "--";
    g->ms_color = g->mc_color = "01;31";
    g->fn_color = "35";
    g->ln_color = g->bn_color = "32";
    g->se_color = "36";
    g->sl_color = g->cx_color = "";
    g->sgr_start = "\33[%sm\33[K";
    g->sgr_end = "\33[m\33[K";
    intmax_t default_context = -1;
    int matcher = forced, filename_option = 0, status_ret = 0;
    bool icase = false, words = false, lines = false, show_help = false;
    int last_recursive = 0;
    const char *xmatcher = NULL;
    struct sbuf keys;
    bool have_keys = false;
    sbuf_init(&keys, p);
    obuf_init(&g->out, p, 1);

    struct opt_state o;
    opt_init(&o, p, &grep_spec, argc, argv);
    /* get_nondigit_option: digits in one argument form one context number. */
    int prev_digit_ind = -1;
    char dbuf[26];
    size_t dlen = 0;
    bool was_digit = false;
    int this_digit_ind = o.ind;
    for (;;) {
        int prev_ind = o.ind;
        int c = opt_next(&o);
        if (c >= '0' && c <= '9') {
            if (prev_digit_ind != this_digit_ind || !was_digit)
                dlen = 0;
            else if (dlen && dbuf[0] == '0')
                dlen--, memmove(dbuf, dbuf + 1, dlen);
            if (dlen == sizeof dbuf - 4) {
                memcpy(dbuf + dlen, "...", 3);
                dlen += 3;
                dbuf[dlen] = 0;
                if (!context_length_arg(g, dbuf, &default_context)) goto usage2;
                dlen = 0;
                continue;
            }
            dbuf[dlen++] = (char)c;
            was_digit = true;
            prev_digit_ind = this_digit_ind;
            this_digit_ind = o.ind;
            continue;
        }
        if (dlen) {
            dbuf[dlen] = 0;
            dlen = 0;
            if (!context_length_arg(g, dbuf, &default_context)) goto usage2;
        }
        was_digit = false;
        this_digit_ind = o.ind;
        if (c == OPT_END) break;
        switch (c) {
        case 'A':
            if (!context_length_arg(g, o.arg, &g->after)) goto usage2;
            break;
        case 'B':
            if (!context_length_arg(g, o.arg, &g->before)) goto usage2;
            break;
        case 'C':
            if (!context_length_arg(g, o.arg, &default_context)) goto usage2;
            break;
        case 'D':
            if (strcmp(o.arg, "read") == 0)
                g->devices = DEV_READ;
            else if (strcmp(o.arg, "skip") == 0)
                g->devices = DEV_SKIP;
            else {
                cmd_error(p, "unknown devices method");
                goto usage2;
            }
            break;
        case 'E':
        case 'F':
        case 'G':
        case 'P':
        case 'X': {
            int m;
            const char *name = c == 'X' ? o.arg : NULL;
            if (c == 'E') m = M_EGREP;
            else if (c == 'F') m = M_FGREP;
            else if (c == 'G') m = M_GREP;
            else if (c == 'P') m = M_PERL;
            else if (!strcmp(name, "grep")) m = M_GREP;
            else if (!strcmp(name, "egrep")) m = M_EGREP;
            else if (!strcmp(name, "fgrep")) m = M_FGREP;
            else if (!strcmp(name, "perl")) m = M_PERL;
            else if (!strcmp(name, "awk")) m = 10;
            else if (!strcmp(name, "gawk")) m = 11;
            else if (!strcmp(name, "posixawk")) m = 12;
            else {
                cmd_error(p, "invalid matcher %s", name);
                goto usage2;
            }
            if (matcher >= 0 && matcher != m) {
                cmd_error(p, "conflicting matchers specified");
                goto usage2;
            }
            matcher = m;
            if (m >= 10) xmatcher = name;
            break;
        }
        case 'H': filename_option = 1; break;
        case 'I': g->binary_files = BIN_WITHOUT; break;
        case 'T': g->align_tabs = true; break;
        case 'U': break;
        case 'u':
            cmd_error(p, "warning: --unix-byte-offsets (-u) is obsolete");
            break;
        case 'V': {
            static const char *const dummy = NULL;
            (void)dummy;
            opt_version(&o);
            goto out;
        }
        case 'a': g->binary_files = BIN_TEXT; break;
        case 'b': g->out_byte = true; break;
        case 'c': g->count_matches = true; break;
        case 'd': {
            int k = opt_argmatch(&o, "--directories", o.arg, dir_args);
            if (k < 0) {
                status_ret = 1; /* gnulib's argmatch_die is usage (EXIT_FAILURE) */
                goto out;
            }
            g->directories = k == 0 ? DIR_READ : k == 1 ? DIR_RECURSE : DIR_SKIP;
            if (g->directories == DIR_RECURSE) last_recursive = prev_ind;
            break;
        }
        case 'e':
            sbuf_add(&keys, o.arg, strlen(o.arg));
            sbuf_addc(&keys, '\n');
            have_keys = true;
            break;
        case 'f': {
            char *data;
            size_t n;
            int r = slurp(p, o.arg, &data, &n);
            if (r < 0) {
                cmd_errno(p, r, "%s", o.arg);
                goto usage2;
            }
            sbuf_add(&keys, data, n);
            if (n && data[n - 1] != '\n') sbuf_addc(&keys, '\n');
            p_free(p, data);
            have_keys = true;
            break;
        }
        case 'h': filename_option = -1; break;
        case 'i':
        case 'y': icase = true; break;
        case O_NO_ICASE: icase = false; break;
        case 'L': g->list_files = LIST_NONMATCHING; break;
        case 'l': g->list_files = LIST_MATCHING; break;
        case 'm': {
            intmax_t v;
            enum opt_num_status s = opt_strtoimax(o.arg, NULL, 10, &v, "");
            if (s != OPT_NUM_OK && s != OPT_NUM_OVERFLOW) {
                cmd_error(p, "invalid max count");
                goto usage2;
            }
            g->max_count = v;
            break;
        }
        case 'n': g->out_line = true; break;
        case 'o': g->only_matching = true; break;
        case 'q': g->exit_on_match = true; break;
        case 'R':
            g->logical = true;
            /* fall through */
        case 'r':
            if (c == 'r') g->logical = false;
            g->directories = DIR_RECURSE;
            last_recursive = prev_ind;
            break;
        case 's': g->suppress_errors = true; break;
        case 'v': g->invert = true; break;
        case 'w': words = true; break;
        case 'x': lines = true; break;
        case 'Z': g->filename_nul = true; break;
        case 'z': g->eol = 0; break;
        case O_BINARY_FILES:
            if (!strcmp(o.arg, "binary"))
                g->binary_files = BIN_BINARY;
            else if (!strcmp(o.arg, "text"))
                g->binary_files = BIN_TEXT;
            else if (!strcmp(o.arg, "without-match"))
                g->binary_files = BIN_WITHOUT;
            else {
                cmd_error(p, "unknown binary-files type");
                goto usage2;
            }
            break;
        case O_COLOR:
            if (o.arg) {
                const char *a = o.arg;
                if (!strcasecmp(a, "always") || !strcasecmp(a, "yes") || !strcasecmp(a, "force"))
                    g->color = 1;
                else if (!strcasecmp(a, "never") || !strcasecmp(a, "no") ||
                         !strcasecmp(a, "none"))
                    g->color = 0;
                else if (!strcasecmp(a, "auto") || !strcasecmp(a, "tty") ||
                         !strcasecmp(a, "if-tty"))
                    g->color = 2;
                else
                    show_help = true;
            } else
                g->color = 2;
            break;
        case O_EXCLUDE:
        case O_INCLUDE:
            for (int k = 0; k < 2; k++)
                if (excl_add(g, &g->excl[k], o.arg, c == O_INCLUDE) < 0) goto nomem;
            break;
        case O_EXCLUDE_FROM: {
            char *data;
            size_t n;
            int r = slurp(p, o.arg, &data, &n);
            if (r < 0) {
                cmd_errno(p, r, "%s", o.arg);
                goto usage2;
            }
            for (size_t s0 = 0, k = 0; k <= n; k++) {
                if (k == n && (n == 0 || data[n - 1] == '\n')) break;
                if (k == n || data[k] == '\n') {
                    char *pat = p_strndup(p, data + s0, k - s0);
                    if (!pat) goto nomem;
                    for (int c2 = 0; c2 < 2; c2++)
                        if (excl_add(g, &g->excl[c2], pat, false) < 0) goto nomem;
                    p_free(p, pat);
                    s0 = k + 1;
                }
            }
            p_free(p, data);
            break;
        }
        case O_EXCLUDE_DIR: {
            char *a = o.arg;
            size_t n = strlen(a);
            while (n > 1 && a[n - 1] == '/') a[--n] = 0;
            for (int k = 0; k < 2; k++)
                if (excl_add(g, &g->excl_dir[k], a, false) < 0) goto nomem;
            break;
        }
        case O_GROUP_SEP: g->group_sep = o.arg; break;
        case O_NO_GROUP_SEP: g->group_sep = NULL; break;
        case O_LINE_BUFFERED: g->line_buffered = true; break;
        case O_LABEL: g->label = o.arg; break;
        case OPT_EXIT:
            status_ret = o.status;
            goto out;
        default:
            goto usage2;
        }
    }
    if (show_help) {
        opt_help(&o);
        goto out;
    }
    int ind = o.ind;
    if (have_keys) {
        if (keys.len == 0) {
            g->invert = !g->invert;
            lines = words = false;
            sbuf_addc(&keys, '\n');
        }
    } else if (ind < argc) {
        const char *pat = argv[ind++];
        if (matcher != M_FGREP && pat[0] == '\\' && pat[1] == '-') pat++;
        sbuf_add(&keys, pat, strlen(pat));
        sbuf_addc(&keys, '\n');
    } else {
        opt_usage_error(&o, NULL);
        status_ret = 2;
        goto out;
    }
    if (keys.oom) goto nomem;
    size_t keycc = keys.len - 1; /* without the last newline */

    struct stat tmp;
    bool possibly_tty = false;
    if (!g->exit_on_match && sys_fstat(p, 1, &tmp) == 0) {
        if (S_ISREG(tmp.st_mode)) {
            g->out_stat = tmp;
            g->have_out_stat = true;
        } else if (S_ISCHR(tmp.st_mode)) {
            struct stat ns;
            if (sys_stat(p, "/dev/null", &ns) == 0 && ns.st_ino == tmp.st_ino &&
                ns.st_dev == tmp.st_dev && ns.st_rdev == tmp.st_rdev)
                g->dev_null_output = true;
            else
                possibly_tty = true;
        }
    }
    if (g->exit_on_match || g->dev_null_output) g->list_files = LIST_NONE;
    if (g->exit_on_match || g->dev_null_output || g->list_files != LIST_NONE) {
        g->count_matches = false;
        if (g->max_count == INTMAX_MAX) g->done_on_match = true;
    }
    g->out_quiet = g->count_matches || g->done_on_match;
    if (g->after < 0) g->after = default_context;
    if (g->before < 0) g->before = default_context;

    if ((g->max_count == 0 || (keycc == 0 && g->invert && !lines && !words)) &&
        g->list_files != LIST_NONMATCHING) {
        status_ret = 1;
        goto out;
    }
    if (g->color == 2) {
        const char *t = proc_getenv(p, "TERM");
        g->color = possibly_tty && t && strcmp(t, "dumb") != 0 && sys_isatty(p, 1) > 0;
    }
    if (g->color) {
        const char *uv = proc_getenv(p, "GREP_COLOR");
        const char *used = NULL;
        if (uv && *uv)
            for (const char *q = uv; *q == ';' || (*q >= '0' && *q <= '9'); q++)
                if (!q[1]) {
                    g->ms_color = g->mc_color = used = uv;
                    break;
                }
        parse_grep_colors(g);
        if (used && (g->ms_color == used || g->mc_color == used))
            cmd_error(p, "warning: GREP_COLOR='%s' is deprecated; use GREP_COLORS='mt=%s'", uv, uv);
    }
    if (matcher < 0) matcher = M_GREP;

    /* Compile. */
    struct rx_opts ro = {0};
    ro.flags = RX_LINES | RX_GREP | (g->utf8 ? RX_UTF8 : 0) | (icase ? RX_ICASE : 0) |
               (words ? RX_WORD : 0) | (lines ? RX_LINE : 0);
    ro.eol = g->eol;
    switch (matcher) {
    case M_GREP: ro.kind = RX_BRE; break;
    case M_EGREP: ro.kind = RX_ERE; break;
    case M_FGREP: ro.kind = RX_FIXED; break;
    case M_PERL:
        ro.kind = RX_PCRE;
        if (memchr(keys.s, '\n', keycc)) {
            cmd_error(p, "the -P option only supports a single pattern");
            status_ret = 2;
            goto out;
        }
        break;
    default:
        ro.kind = RX_ERE;
        ro.flags &= ~RX_GREP;
        ro.syntax = matcher == 10 ? RE_SYNTAX_AWK : matcher == 11 ? RE_SYNTAX_GNU_AWK
                                                                 : RE_SYNTAX_POSIX_AWK;
        ro.syntax |= RE_NEWLINE_ALT;
        break;
    }
    (void)xmatcher;
    ro.warn = grep_warn;
    ro.warn_ctx = p;
    char errbuf[256];
    int rc = rx_compile(p, keys.s, keycc, &ro, &g->rx, errbuf, sizeof errbuf);
    if (rc < 0) {
        cmd_error(p, "%s", errbuf);
        status_ret = 2;
        goto out;
    }

    int num_operands = argc - ind;
    g->out_file = filename_option == 0 && num_operands <= 1
                      ? -(g->directories == DIR_RECURSE)
                      : 0 <= filename_option;
    if (g->logical && g->devices == DEV_READ_COMMAND_LINE) g->devices = DEV_READ;

    bool status = true;
    if (num_operands > 0) {
        for (int k = ind; k < argc; k++) {
            status &= grep_command_line_arg(g, argv[k]);
            if (g->matched_exit || g->fatal || obuf_failed(&g->out) || p->killed) break;
        }
    } else if (g->directories == DIR_RECURSE && last_recursive > 0) {
        g->omit_dot_slash = true;
        status &= grep_command_line_arg(g, ".");
    } else {
        status &= grep_command_line_arg(g, "-");
    }
    if (g->matched_exit)
        status_ret = 0;
    else
        status_ret = g->errseen ? 2 : status;
    goto out;

usage2:
    status_ret = 2;
    goto out;
nomem:
    cmd_error(p, "memory exhausted");
    status_ret = 2;
out:
    if (g->rx) rx_free(g->rx);
    sbuf_free(&keys);
    p_free(p, g->buffer);
    {
        int ws = obuf_flush(&g->out);
        obuf_free(&g->out);
        if (ws && ws != -EPIPE && ws != -EINTR) {
            cmd_errno(p, ws, "write error");
            return 2;
        }
    }
    return status_ret;
}

int cmd_grep(struct proc *p, int argc, char **argv)
{
    return grep_main(p, argc, argv, -1);
}

/* Debian's egrep and fgrep are "exec grep -E/-F": messages say grep. */
static int grep_as(struct proc *p, int argc, char **argv, int m)
{
    char *name = "grep";
    char **nargv = p_malloc(p, (size_t)(argc + 1) * sizeof *nargv);
    if (!nargv) {
        cmd_error(p, "memory exhausted");
        return 2;
    }
    nargv[0] = name;
    for (int k = 1; k < argc; k++) nargv[k] = argv[k];
    nargv[argc] = NULL;
    char **saved = p->argv;
    p->argv = nargv;
    int r = grep_main(p, argc, nargv, m);
    p->argv = saved;
    p_free(p, nargv);
    return r;
}

int cmd_egrep(struct proc *p, int argc, char **argv)
{
    return grep_as(p, argc, argv, M_EGREP);
}

int cmd_fgrep(struct proc *p, int argc, char **argv)
{
    return grep_as(p, argc, argv, M_FGREP);
}
