/* sed.c — stream editor (GNU sed 4.9).
 *
 * Two halves, as in GNU sed: the compiler reads the script a character at
 * a time (so error positions — "-e expression #1, char 3" — and the
 * grammar's corner cases come out the same) into a vector of commands;
 * the executor runs it over the input lines with the pattern and hold
 * spaces, the append queue, ranges and the "is this the last line"
 * look-ahead across files. Regular expressions go through lib/regex.h
 * with sed's syntax bits (literals and group-free patterns never reach
 * glibc's engine). In-place editing writes a temporary file in the same
 * directory through the VFS and renames it over the original, keeping
 * its mode and owner. The e command and the s///e flag run the VM's
 * /bin/sh. --debug is not implemented (rejected as an unknown option).
 */
#include "cmd/cmd.h"
#include "lib/regex.h"

#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <wctype.h>

#define SED_USAGE_LINE "Usage: %s [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n"
#define SED_HELP_BODY \
    "  -n, --quiet, --silent\n" \
    "                 suppress automatic printing of pattern space\n" \
    "      --debug\n" \
    "                 annotate program execution\n" \
    "  -e script, --expression=script\n" \
    "                 add the script to the commands to be executed\n" \
    "  -f script-file, --file=script-file\n" \
    "                 add the contents of script-file to the commands to be executed\n" \
    "  --follow-symlinks\n" \
    "                 follow symlinks when processing in place\n" \
    "  -i[SUFFIX], --in-place[=SUFFIX]\n" \
    "                 edit files in place (makes backup if SUFFIX supplied)\n" \
    "  -l N, --line-length=N\n" \
    "                 specify the desired line-wrap length for the `l' command\n" \
    "  --posix\n" \
    "                 disable all GNU extensions.\n" \
    "  -E, -r, --regexp-extended\n" \
    "                 use extended regular expressions in the script\n" \
    "                 (for portability use POSIX -E).\n" \
    "  -s, --separate\n" \
    "                 consider files as separate rather than as a single,\n" \
    "                 continuous long stream.\n" \
    "      --sandbox\n" \
    "                 operate in sandbox mode (disable e/r/w commands).\n" \
    "  -u, --unbuffered\n" \
    "                 load minimal amounts of data from the input files and flush\n" \
    "                 the output buffers more often\n" \
    "  -z, --null-data\n" \
    "                 separate lines by NUL characters\n" \
    "      --help     display this help and exit\n" \
    "      --version  output version information and exit\n" \
    "\n" \
    "If no -e, --expression, -f, or --file option is given, then the first\n" \
    "non-option argument is taken as the sed script to interpret.  All\n" \
    "remaining arguments are names of input files; if no input files are\n" \
    "specified, then the standard input is read.\n" \
    "\n" \
    "GNU sed home page: <https://www.gnu.org/software/sed/>.\n" \
    "General help using GNU software: <https://www.gnu.org/gethelp/>.\n"

/* After a usage error GNU sed prints all of its usage on stderr. */
static const char sed_usage[] = SED_USAGE_LINE SED_HELP_BODY;
static const char sed_help[] = SED_USAGE_LINE SED_HELP_BODY "E-mail bug reports to: <bug-sed@gnu.org>.\n";

static const char sed_version[] =
    "sed (GNU sed) 4.9\n"
    "Packaged by Debian\n"
    "Copyright (C) 2022 Free Software Foundation, Inc.\n"
    "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
    "This is free software: you are free to change and redistribute it.\n"
    "There is NO WARRANTY, to the extent permitted by law.\n"
    "\n"
    "Written by Jay Fenlason, Tom Lord, Ken Pizzini,\n"
    "Paolo Bonzini, Jim Meyering, and Assaf Gordon.\n"
    "\n"
    "This sed program was built with SELinux support.\n"
    "SELinux is disabled on this system.\n"
    "\n"
    "GNU sed home page: <https://www.gnu.org/software/sed/>.\n"
    "General help using GNU software: <https://www.gnu.org/gethelp/>.\n"
    "E-mail bug reports to: <bug-sed@gnu.org>.\n";

enum {
    O_POSIX = 256,
    O_FOLLOW,
    O_SANDBOX,
    O_NULLDATA,
};

static const struct opt_long sed_longs[] = {
    {"binary", OPT_NOARG, 'b'},
    {"regexp-extended", OPT_NOARG, 'r'},
    {"expression", OPT_ARG, 'e'},
    {"file", OPT_ARG, 'f'},
    {"in-place", OPT_OPTARG, 'i'},
    {"line-length", OPT_ARG, 'l'},
    {"null-data", OPT_NOARG, 'z'},
    {"zero-terminated", OPT_NOARG, 'z'},
    {"quiet", OPT_NOARG, 'n'},
    {"posix", OPT_NOARG, O_POSIX},
    {"silent", OPT_NOARG, 'n'},
    {"sandbox", OPT_NOARG, O_SANDBOX},
    {"separate", OPT_NOARG, 's'},
    {"unbuffered", OPT_NOARG, 'u'},
    {"follow-symlinks", OPT_NOARG, O_FOLLOW},
    {0}};

static const struct opt_spec sed_spec = {
    .name = "sed",
    .shorts = "bsnrzuEe:f:l:i::",
    .longs = sed_longs,
    .help = sed_help,
    .version = sed_version,
    .err_status = 1,
    .try_text = sed_usage,
};

enum { POSIXLY_EXTENDED, POSIXLY_CORRECT, POSIXLY_BASIC };
enum { EXIT_BAD_USAGE = 1, EXIT_BAD_INPUT = 2, EXIT_PANIC = 4 };

/* ---- data ------------------------------------------------------------------ */

struct sregex {
    struct rx *rx;
    int flags; /* REG_ICASE | REG_NEWLINE */
    size_t nsub;
};

enum addr_type {
    ADDR_IS_NULL,
    ADDR_IS_REGEX,
    ADDR_IS_NUM,
    ADDR_IS_NUM_MOD,
    ADDR_IS_STEP,
    ADDR_IS_STEP_MOD,
    ADDR_IS_LAST,
};

struct addr {
    enum addr_type type;
    intmax_t number, step;
    struct sregex *re; /* NULL for "the last regex" */
};

enum { RANGE_INACTIVE, RANGE_ACTIVE, RANGE_CLOSED };

struct output {
    char *name;
    int fd;
    bool missing_newline;
    struct obuf ob;
    bool is_std; /* the main output or stderr: not closed here */
    struct output *link;
};

enum { REPL_ASIS = 0, REPL_UPPERCASE = 1, REPL_LOWERCASE = 2, REPL_UPPERCASE_FIRST = 4,
       REPL_LOWERCASE_FIRST = 8, REPL_MODIFIERS = REPL_UPPERCASE_FIRST | REPL_LOWERCASE_FIRST };

struct replacement {
    char *prefix;
    size_t prefix_length;
    int subst_id;
    int repl_type;
    struct replacement *next;
};

struct subst {
    struct sregex *regx; /* NULL: the last regex */
    struct replacement *replacement;
    intmax_t numb;
    struct output *outf;
    int max_id;
    bool global, eval;
    int print; /* 1 before eval, 2 after */
};

struct text {
    char *text;
    size_t len;
};

struct cmd {
    struct addr *a1, *a2;
    int range_state;
    bool bang;
    char cmd;
    union {
        struct text txt;      /* a i c e */
        size_t jump;          /* b t T { */
        intmax_t int_arg;     /* l L q Q */
        struct subst *s;      /* s */
        struct output *outf;  /* w W */
        struct {
            char *fname;
            bool append;
        } rd;                 /* r */
        struct input_file *inf; /* R */
        unsigned char *tr;    /* y, single-byte */
        char **trmb;          /* y, multibyte: src0 dst0 src1 dst1 ... NULL */
    } x;
};

struct input_file { /* an R file */
    char *name;
    int fd;
    bool eof, opened;
    char *buf;
    size_t start, end, cap;
    struct input_file *link;
};

struct label {
    size_t idx;
    char *name;
    int err_line;
    int err_expr;
    const char *err_name;
    size_t err_char;
    struct label *next;
};

/* A line of text (pattern space, hold space). */
struct line {
    char *text;
    size_t len, cap;
    bool chomped;
};

struct sed {
    struct proc *p;
    bool utf8;
    /* options */
    bool no_default_output, separate_files, unbuffered, extended, sandbox, follow_symlinks;
    bool debug;
    int posixicity;
    char *in_place; /* "*" or "*SUFFIX" or with '*'s; NULL when not editing in place */
    intmax_t lcmd_out_line_len;
    char delim; /* buffer delimiter */
    /* program */
    struct cmd *v;
    size_t nv, capv;
    bool partial; /* v[nv] is being compiled: freed on error */
    struct label *jumps, *labels, *blocks;
    struct output *file_write;
    struct input_file *file_read;
    struct output out_stdout, out_stderr;
    /* compiler input */
    const unsigned char *base, *cur, *end;
    const char *cur_name; /* file name of an -f script, else NULL */
    intmax_t cur_line;
    int expr_count;
    bool first_script;
    struct sbuf *pending_text;
    struct text *old_text_buf;
    int status;   /* set by bad_prog etc. */
    bool failed;  /* compile error reported */
    /* execution */
    struct line line, hold, s_accum;
    bool replaced;
    struct sregex *regex_last;
    struct output *output; /* current output (stdout or the in-place file) */
    struct aq {
        const char *fname;
        char *text;
        size_t len;
        bool own;
        struct aq *next;
    } *aq_head, *aq_tail;
    /* input */
    char **files;
    size_t nfiles, fidx;
    int fd;             /* current input, -1 none */
    bool fd_is_stdin;
    const char *in_name;
    char *ibuf;
    size_t istart, iend, icap;
    bool ieof;
    off_t ipos;          /* bytes consumed from the current input */
    intmax_t line_number;
    bool reset_at_next_file;
    intmax_t bad_count;
    /* in-place */
    char *out_temp;
    char *target_name;
    struct stat in_st;
    int quit_status;
};

/* ---- errors ------------------------------------------------------------------ */

static void bad_prog(struct sed *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad_prog(struct sed *s, const char *fmt, ...)
{
    if (s->failed) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->cur_name)
        cmd_error(s->p, "file %s line %jd: %s", s->cur_name, s->cur_line, msg);
    else
        cmd_error(s->p, "-e expression #%d, char %td: %s", s->expr_count,
                  (ptrdiff_t)(s->cur - s->base), msg);
    s->failed = true;
    s->status = EXIT_BAD_USAGE;
}

/* panic(): "sed: MESSAGE" and exit 4. */
static void panic_msg(struct sed *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void panic_msg(struct sed *s, const char *fmt, ...)
{
    if (s->failed) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    obuf_flush(&s->out_stdout.ob);
    cmd_error(s->p, "%s", msg);
    s->failed = true;
    s->status = EXIT_PANIC;
}

/* ---- compiler input ---------------------------------------------------- */

#define EOF_CH (-1)

static int inchar(struct sed *s)
{
    int ch = EOF_CH;
    if (s->cur < s->end) ch = *s->cur++;
    if (ch == '\n') ++s->cur_line;
    return ch;
}

static void savchar(struct sed *s, int ch)
{
    if (ch == EOF_CH) return;
    if (ch == '\n' && s->cur_line > 0) --s->cur_line;
    if (s->cur > s->base) s->cur--;
}

static bool isblank_c(int c)
{
    return c == ' ' || c == '\t';
}

static bool isspace_c(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool isdigit_c(int c)
{
    return c >= '0' && c <= '9';
}

static int in_nonblank(struct sed *s)
{
    int ch;
    do
        ch = inchar(s);
    while (isblank_c(ch));
    return ch;
}

static void read_end_of_cmd(struct sed *s)
{
    int ch = in_nonblank(s);
    if (ch == '}' || ch == '#')
        savchar(s, ch);
    else if (ch != EOF_CH && ch != '\n' && ch != ';')
        bad_prog(s, "extra characters after command");
}

static intmax_t in_integer(struct sed *s, int ch)
{
    intmax_t num = 0;
    while (isdigit_c(ch)) {
        if (num > (INTMAX_MAX - (ch - '0')) / 10)
            num = INTMAX_MAX;
        else
            num = num * 10 + ch - '0';
        ch = inchar(s);
    }
    savchar(s, ch);
    return num;
}

/* Whether the byte ch begins (or continues) a multibyte character, given
 * the state in *st (the count of continuation bytes still expected). */
static bool is_mb_char(struct sed *s, int ch, int *st)
{
    if (!s->utf8 || ch == EOF_CH) return false;
    unsigned c = (unsigned)ch;
    if (*st > 0) {
        if ((c & 0xc0) == 0x80) {
            (*st)--;
            return true;
        }
        *st = 0;
        return false;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        *st = 1;
        return true;
    }
    if (c >= 0xe0 && c <= 0xef) {
        *st = 2;
        return true;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        *st = 3;
        return true;
    }
    return false;
}

static int add_then_next(struct sed *s, struct sbuf *b, int ch)
{
    sbuf_addc(b, (char)ch);
    return inchar(s);
}

static const char *convert_number(char *result, const char *buf, const char *bufend, int base)
{
    int n = 0, max = 1;
    const char *p;
    for (p = buf + 1; p < bufend && max <= 255; ++p, max *= base) {
        int d = -1, c = *p;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        if (d < 0 || base <= d) break;
        n = n * base + d;
    }
    if (p == buf + 1)
        *result = *buf;
    else
        *result = (char)n;
    return p;
}

enum { TEXT_BUFFER, TEXT_REPLACEMENT, TEXT_REGEX };

/* Deal with \X escapes (GNU sed's normalize_text): in place, the new length. */
static size_t normalize_text(struct sed *s, char *buf, size_t len, int buftype)
{
    const char *bufend = buf + len;
    char *q = buf;
    const char *p = buf;
    int bracket_state = 0;
    while (p < bufend) {
        if (s->utf8 && (unsigned char)*p >= 0x80) {
            size_t l = rx_utf8_valid_prefix(p, (size_t)(bufend - p) < 4 ? (size_t)(bufend - p) : 4);
            uint32_t cp;
            int cl = cmd_utf8_decode((const unsigned char *)p, (size_t)(bufend - p), &cp);
            size_t mbclen = cl > 0 ? (size_t)cl : 1;
            (void)l;
            memmove(q, p, mbclen);
            q += mbclen;
            p += mbclen;
            continue;
        }
        if (*p == '\\' && p + 1 < bufend && bracket_state == 0) {
            char ch;
            int base = 0;
            switch (*++p) {
            case 'a': *q++ = '\a'; p++; continue;
            case 'f': *q++ = '\f'; p++; continue;
            case '\n':
            case 'n': *q++ = '\n'; p++; continue;
            case 'r': *q++ = '\r'; p++; continue;
            case 't': *q++ = '\t'; p++; continue;
            case 'v': *q++ = '\v'; p++; continue;
            case 'd': base = 10; goto convert;
            case 'x': base = 16; goto convert;
            case 'o':
                base = 8;
            convert:
                p = convert_number(&ch, p, bufend, base);
                if (buftype == TEXT_REPLACEMENT && (ch == '&' || ch == '\\')) *q++ = '\\';
                *q++ = ch;
                continue;
            case 'c':
                if (++p < bufend) {
                    *q++ = (char)(toupper((unsigned char)*p) ^ 0x40);
                    if (*p == '\\') {
                        p++;
                        if (*p != '\\') {
                            bad_prog(s, "recursive escaping after \\c not allowed");
                            return (size_t)(q - buf);
                        }
                    }
                    p++;
                    continue;
                } else {
                    if (buftype != TEXT_BUFFER) *q++ = '\\';
                    continue;
                }
            default:
                if (buftype != TEXT_BUFFER) *q++ = '\\';
                break;
            }
        } else if (buftype == TEXT_REGEX && s->posixicity != POSIXLY_EXTENDED) {
            switch (*p) {
            case '[':
                if (!bracket_state) bracket_state = -1;
                break;
            case ':':
            case '.':
            case '=':
                if (bracket_state == -1 && p > buf && p[-1] == '[') bracket_state = *p;
                break;
            case ']':
                if (bracket_state == 0)
                    ;
                else if (bracket_state == -1)
                    bracket_state = 0;
                else if (p - buf >= 2 && p[-2] != bracket_state && p[-1] == bracket_state)
                    bracket_state = -1;
                break;
            }
        }
        *q++ = *p++;
    }
    return (size_t)(q - buf);
}

static int snarf_char_class(struct sed *s, struct sbuf *b, int *mbst)
{
    int ch, state = 0, delim = 0;
    ch = inchar(s);
    if (ch == '^') ch = add_then_next(s, b, ch);
    if (ch == ']') ch = add_then_next(s, b, ch);
    for (;; ch = add_then_next(s, b, ch)) {
        bool mb = is_mb_char(s, ch, mbst);
        switch (ch) {
        case EOF_CH:
        case '\n':
            return ch;
        case '.':
        case ':':
        case '=':
            if (mb) continue;
            if (state == 1) {
                delim = ch;
                state = 2;
            } else if (state == 2 && ch == delim)
                state = 3;
            else
                break;
            continue;
        case '[':
            if (mb) continue;
            if (state == 0) state = 1;
            continue;
        case ']':
            if (mb) continue;
            if (state == 0 || state == 1) return ch;
            if (state == 3) state = 0;
            break;
        default:
            break;
        }
        state &= ~1;
    }
}

/* Text up to an unescaped slash (GNU match_slash): true and *b, or false. */
static bool match_slash(struct sed *s, int slash, bool regex, struct sbuf *b)
{
    int mbst = 0;
    if (is_mb_char(s, slash, &mbst)) {
        bad_prog(s, "delimiter character is not a single-byte character");
        return false;
    }
    mbst = 0;
    sbuf_init(b, s->p);
    sbuf_add(b, "", 0);
    int ch;
    while ((ch = inchar(s)) != EOF_CH && ch != '\n') {
        bool mb = is_mb_char(s, ch, &mbst);
        if (!mb) {
            if (ch == slash)
                return true;
            else if (ch == '\\') {
                ch = inchar(s);
                if (ch == EOF_CH) break;
                if (ch == 'n' && regex)
                    ch = '\n';
                else if (ch != '\n' && (ch != slash || (!regex && ch == '&')))
                    sbuf_addc(b, '\\');
            } else if (ch == '[' && regex) {
                sbuf_addc(b, (char)ch);
                ch = snarf_char_class(s, b, &mbst);
                if (ch != ']') break;
            }
        }
        sbuf_addc(b, (char)ch);
    }
    if (ch == '\n') savchar(s, ch);
    sbuf_free(b);
    return false;
}

/* ---- regular expressions ---------------------------------------------- */

static struct sregex *compile_regex(struct sed *s, struct sbuf *b, int flags, int needed_sub)
{
    if (b->len == 0) {
        if (flags > 0) bad_prog(s, "cannot specify modifiers on empty regexp");
        return NULL;
    }
    size_t len = normalize_text(s, b->s, b->len, TEXT_REGEX);
    if (s->failed) return NULL;
    struct rx_opts o = {0};
    o.kind = s->extended ? RX_ERE : RX_BRE;
    o.flags = (s->utf8 ? RX_UTF8 : 0) | ((flags & REG_ICASE) ? RX_ICASE : 0) |
              ((flags & REG_NEWLINE) ? RX_NEWLINE : 0);
    unsigned long syn = s->extended ? RE_SYNTAX_POSIX_EXTENDED : RE_SYNTAX_POSIX_BASIC;
    syn &= ~RE_DOT_NOT_NULL;
    syn |= RE_NO_POSIX_BACKTRACKING;
    if (s->posixicity == POSIXLY_EXTENDED)
        syn &= ~RE_UNMATCHED_RIGHT_PAREN_ORD;
    else
        syn |= RE_UNMATCHED_RIGHT_PAREN_ORD;
    if (s->posixicity == POSIXLY_BASIC) syn |= RE_NO_GNU_OPS;
    o.syntax = syn;
    struct sregex *r = p_calloc(s->p, 1, sizeof *r);
    if (!r) {
        panic_msg(s, "memory exhausted");
        return NULL;
    }
    char err[256];
    int rc = rx_compile(s->p, b->s, len, &o, &r->rx, err, sizeof err);
    if (rc < 0) {
        if (strcmp(err, "character class syntax is [[:space:]], not [:space:]") == 0)
            panic_msg(s, "%s", err);
        else
            bad_prog(s, "%s", err);
        p_free(s->p, r);
        return NULL;
    }
    r->flags = flags;
    r->nsub = rx_nsub(r->rx);
    if (needed_sub && r->nsub < (size_t)needed_sub - 1 && s->posixicity == POSIXLY_EXTENDED) {
        bad_prog(s, "invalid reference \\%d on `s' command's RHS", needed_sub - 1);
        rx_free(r->rx);
        p_free(s->p, r);
        return NULL;
    }
    return r;
}

/* Search line[0..len) from start; groups to regs (nregs spans). */
static int match_regex(struct sed *s, struct sregex *re, const char *buf, size_t len, size_t start,
                       struct rx_span *regs, size_t nregs)
{
    if (!re) {
        re = s->regex_last;
        if (!re) {
            obuf_flush(&s->out_stdout.ob);
            bad_prog(s, "no previous regular expression");
            return -1;
        }
    } else
        s->regex_last = re;
    int rc = rx_exec(re->rx, buf, len, start, 0, regs, nregs);
    if (rc < 0) {
        if (rc != -EINTR) panic_msg(s, "%s", rx_strerror(rc));
        return -1;
    }
    return rc;
}

/* ---- compiling --------------------------------------------------------------- */

static struct cmd *next_cmd_entry(struct sed *s)
{
    if (s->nv == s->capv) {
        size_t nc = s->capv ? s->capv * 2 : 32;
        struct cmd *nv = p_realloc(s->p, s->v, nc * sizeof *nv);
        if (!nv) return NULL;
        s->v = nv;
        s->capv = nc;
    }
    struct cmd *c = &s->v[s->nv];
    if (s->partial) {
        /* a v command reuses its slot: drop what its addresses compiled */
        if (c->a1 && c->a1->re) rx_free(c->a1->re->rx);
        if (c->a2 && c->a2->re) rx_free(c->a2->re->rx);
    }
    memset(c, 0, sizeof *c);
    return c;
}

static char *read_label(struct sed *s)
{
    struct sbuf b;
    sbuf_init(&b, s->p);
    sbuf_add(&b, "", 0);
    int ch = in_nonblank(s);
    while (ch != EOF_CH && ch != '\n' && !isblank_c(ch) && ch != ';' && ch != '}' && ch != '#')
        ch = add_then_next(s, &b, ch);
    savchar(s, ch);
    char *r = p_strdup(s->p, b.s ? b.s : "");
    sbuf_free(&b);
    return r;
}

static struct label *setup_label(struct sed *s, struct label *list, size_t idx, char *name)
{
    struct label *l = p_calloc(s->p, 1, sizeof *l);
    if (!l) return list;
    l->idx = idx;
    l->name = name;
    l->err_name = s->cur_name;
    l->err_line = (int)s->cur_line;
    l->err_expr = s->expr_count;
    l->err_char = (size_t)(s->cur - s->base);
    l->next = list;
    return l;
}

static struct sbuf *read_filename(struct sed *s, struct sbuf *b)
{
    if (s->sandbox) {
        bad_prog(s, "e/r/w commands disabled in sandbox mode");
        sbuf_init(b, s->p);
        return b;
    }
    sbuf_init(b, s->p);
    sbuf_add(b, "", 0);
    int ch = in_nonblank(s);
    while (ch != EOF_CH && ch != '\n') ch = add_then_next(s, b, ch);
    return b;
}

static int open_output_fd(struct sed *s, const char *name)
{
    return sys_open(s->p, name, O_WRONLY | O_CREAT | O_TRUNC, 0666);
}

static struct output *get_openfile(struct sed *s, struct output **list, bool write)
{
    struct sbuf b;
    read_filename(s, &b);
    const char *name = b.s ? b.s : "";
    if (s->failed) {
        sbuf_free(&b);
        return NULL;
    }
    if (!*name) {
        bad_prog(s, "missing filename in r/R/w/W commands");
        sbuf_free(&b);
        return NULL;
    }
    if (s->posixicity == POSIXLY_EXTENDED && write) {
        if (strcmp(name, "/dev/stdout") == 0) {
            sbuf_free(&b);
            return &s->out_stdout;
        }
        if (strcmp(name, "/dev/stderr") == 0) {
            sbuf_free(&b);
            return &s->out_stderr;
        }
    }
    struct output *o;
    for (o = *list; o; o = o->link)
        if (strcmp(o->name, name) == 0) break;
    if (!o) {
        o = p_calloc(s->p, 1, sizeof *o);
        if (!o) {
            sbuf_free(&b);
            return NULL;
        }
        o->name = p_strdup(s->p, name);
        o->fd = open_output_fd(s, name);
        if (o->fd < 0) {
            panic_msg(s, "couldn't open file %s: %s", name, cmd_strerror(o->fd));
            sbuf_free(&b);
            return NULL;
        }
        obuf_init(&o->ob, s->p, o->fd);
        o->link = *list;
        *list = o;
    }
    sbuf_free(&b);
    return o;
}

static struct input_file *get_readfile(struct sed *s)
{
    struct sbuf b;
    read_filename(s, &b);
    const char *name = b.s ? b.s : "";
    if (s->failed) {
        sbuf_free(&b);
        return NULL;
    }
    if (!*name) {
        bad_prog(s, "missing filename in r/R/w/W commands");
        sbuf_free(&b);
        return NULL;
    }
    struct input_file *f;
    for (f = s->file_read; f; f = f->link)
        if (strcmp(f->name, name) == 0) break;
    if (!f) {
        f = p_calloc(s->p, 1, sizeof *f);
        if (!f) {
            sbuf_free(&b);
            return NULL;
        }
        f->name = p_strdup(s->p, name);
        f->fd = -1;
        f->link = s->file_read;
        s->file_read = f;
    }
    sbuf_free(&b);
    return f;
}

static struct replacement *new_replacement(struct sed *s, char *text, size_t len, int type)
{
    struct replacement *r = p_calloc(s->p, 1, sizeof *r);
    if (!r) return NULL;
    r->prefix = text;
    r->prefix_length = len;
    r->subst_id = -1;
    r->repl_type = type;
    return r;
}

static void setup_replacement(struct sed *s, struct subst *sub, const char *text, size_t length)
{
    sub->max_id = 0;
    char *base = p_malloc(s->p, length + 1);
    if (!base) return;
    memcpy(base, text, length);
    length = normalize_text(s, base, length, TEXT_REPLACEMENT);
    char *text_end = base + length, *p;
    int repl_type = REPL_ASIS, save_type = REPL_ASIS;
    struct replacement root = {0}, *tail = &root;
    for (p = base; p < text_end; ++p) {
        if (*p == '\\') {
            tail = tail->next = new_replacement(s, base, (size_t)(p - base), repl_type);
            if (!tail) return;
            repl_type = save_type;
            ++p;
            if (p == text_end)
                ++tail->prefix_length;
            else if (s->posixicity == POSIXLY_BASIC && !isdigit_c(*p)) {
                p[-1] = *p;
                ++tail->prefix_length;
            } else
                switch (*p) {
                case '0': case '1': case '2': case '3': case '4':
                case '5': case '6': case '7': case '8': case '9':
                    tail->subst_id = *p - '0';
                    if (sub->max_id < tail->subst_id) sub->max_id = tail->subst_id;
                    break;
                case 'L':
                    repl_type = REPL_LOWERCASE;
                    save_type = REPL_LOWERCASE;
                    break;
                case 'U':
                    repl_type = REPL_UPPERCASE;
                    save_type = REPL_UPPERCASE;
                    break;
                case 'E':
                    repl_type = REPL_ASIS;
                    save_type = REPL_ASIS;
                    break;
                case 'l':
                    save_type = repl_type;
                    repl_type |= REPL_LOWERCASE_FIRST;
                    break;
                case 'u':
                    save_type = repl_type;
                    repl_type |= REPL_UPPERCASE_FIRST;
                    break;
                default:
                    p[-1] = *p;
                    ++tail->prefix_length;
                }
            base = p + 1;
        } else if (*p == '&') {
            tail = tail->next = new_replacement(s, base, (size_t)(p - base), repl_type);
            if (!tail) return;
            repl_type = save_type;
            tail->subst_id = 0;
            base = p + 1;
        }
    }
    if (base < text_end) tail = tail->next = new_replacement(s, base, (size_t)(text_end - base), repl_type);
    if (tail) tail->next = NULL;
    sub->replacement = root.next;
}

/* Text of a, i, c (GNU read_text): continues a pending text when buf is NULL. */
static void read_text(struct sed *s, struct text *buf, int leadin_ch)
{
    if (buf) {
        if (s->pending_text) {
            sbuf_free(s->pending_text);
            p_free(s->p, s->pending_text);
        }
        s->pending_text = p_calloc(s->p, 1, sizeof *s->pending_text);
        if (!s->pending_text) return;
        sbuf_init(s->pending_text, s->p);
        sbuf_add(s->pending_text, "", 0);
        buf->text = NULL;
        buf->len = 0;
        s->old_text_buf = buf;
    }
    if (leadin_ch == EOF_CH) return;
    struct sbuf *pt = s->pending_text;
    if (leadin_ch != '\n') sbuf_addc(pt, (char)leadin_ch);
    int ch = inchar(s);
    while (ch != EOF_CH && ch != '\n') {
        if (ch == '\\') {
            ch = inchar(s);
            if (ch != EOF_CH) sbuf_addc(pt, '\\');
        }
        if (ch == EOF_CH) {
            sbuf_addc(pt, '\n');
            return;
        }
        ch = add_then_next(s, pt, ch);
    }
    sbuf_addc(pt, '\n');
    if (!buf) buf = s->old_text_buf;
    size_t n = normalize_text(s, pt->s, pt->len, TEXT_BUFFER);
    buf->text = p_malloc(s->p, n + 1);
    if (buf->text) memcpy(buf->text, pt->s, n);
    buf->len = n;
    sbuf_free(pt);
    p_free(s->p, pt);
    s->pending_text = NULL;
}

static bool compile_address(struct sed *s, struct addr *a, int ch)
{
    memset(a, 0, sizeof *a);
    a->type = ADDR_IS_NULL;
    a->number = -1;
    if (ch == '/' || ch == '\\') {
        int flags = 0;
        struct sbuf b;
        a->type = ADDR_IS_REGEX;
        if (ch == '\\') ch = inchar(s);
        if (!match_slash(s, ch, true, &b)) {
            if (!s->failed) bad_prog(s, "unterminated address regex");
            return true;
        }
        for (;;) {
            ch = in_nonblank(s);
            if (s->posixicity == POSIXLY_BASIC) goto posix_mod;
            switch (ch) {
            case 'I':
                flags |= REG_ICASE;
                break;
            case 'M':
                flags |= REG_NEWLINE;
                break;
            default:
            posix_mod:
                savchar(s, ch);
                a->re = compile_regex(s, &b, flags, 0);
                sbuf_free(&b);
                return true;
            }
        }
    } else if (isdigit_c(ch)) {
        a->number = in_integer(s, ch);
        a->type = ADDR_IS_NUM;
        ch = in_nonblank(s);
        if (ch != '~' || s->posixicity == POSIXLY_BASIC)
            savchar(s, ch);
        else {
            intmax_t step = in_integer(s, in_nonblank(s));
            if (step > 0) {
                a->step = step;
                a->type = ADDR_IS_NUM_MOD;
            }
        }
    } else if ((ch == '+' || ch == '~') && s->posixicity != POSIXLY_BASIC) {
        a->step = in_integer(s, in_nonblank(s));
        if (a->step == 0)
            ;
        else if (ch == '+')
            a->type = ADDR_IS_STEP;
        else
            a->type = ADDR_IS_STEP_MOD;
    } else if (ch == '$') {
        a->type = ADDR_IS_LAST;
    } else
        return false;
    return true;
}

static struct addr *addr_dup(struct sed *s, const struct addr *a)
{
    struct addr *r = p_malloc(s->p, sizeof *r);
    if (r) *r = *a;
    return r;
}

static int mark_subst_opts(struct sed *s, struct subst *cmd)
{
    int flags = 0, ch;
    cmd->global = false;
    cmd->print = 0;
    cmd->eval = false;
    cmd->numb = 0;
    cmd->outf = NULL;
    for (;;) {
        if (s->failed) return flags;
        switch ((ch = in_nonblank(s))) {
        case 'i':
        case 'I':
            if (s->posixicity == POSIXLY_BASIC) {
                bad_prog(s, "unknown option to `s'");
                return flags;
            }
            flags |= REG_ICASE;
            break;
        case 'm':
        case 'M':
            if (s->posixicity == POSIXLY_BASIC) {
                bad_prog(s, "unknown option to `s'");
                return flags;
            }
            flags |= REG_NEWLINE;
            break;
        case 'e':
            if (s->posixicity == POSIXLY_BASIC) {
                bad_prog(s, "unknown option to `s'");
                return flags;
            }
            cmd->eval = true;
            break;
        case 'p':
            if (cmd->print) {
                bad_prog(s, "multiple `p' options to `s' command");
                return flags;
            }
            cmd->print |= (1 << cmd->eval);
            break;
        case 'g':
            if (cmd->global) {
                bad_prog(s, "multiple `g' options to `s' command");
                return flags;
            }
            cmd->global = true;
            break;
        case 'w':
            cmd->outf = get_openfile(s, &s->file_write, true);
            return flags;
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
            if (cmd->numb) {
                bad_prog(s, "multiple number options to `s' command");
                return flags;
            }
            cmd->numb = in_integer(s, ch);
            if (!cmd->numb) {
                bad_prog(s, "number option to `s' command may not be zero");
                return flags;
            }
            break;
        case '}':
        case '#':
            savchar(s, ch);
            /* fall through */
        case EOF_CH:
        case '\n':
        case ';':
            return flags;
        case '\r':
            if (inchar(s) == '\n') return flags;
            /* fall through */
        default:
            bad_prog(s, "unknown option to `s'");
            return flags;
        }
    }
}

/* The y command's strings (already normalized) into x.tr / x.trmb. */
static void setup_y(struct sed *s, struct cmd *c, char *src, size_t len, char *dst, size_t dlen)
{
    if (s->utf8) {
        size_t n = 0;
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            int l = cmd_utf8_decode((const unsigned char *)src + i, len - i, &cp);
            i += l > 0 ? (size_t)l : 1;
            n++;
        }
        char **pairs = p_calloc(s->p, 2 * n + 1, sizeof *pairs);
        if (!pairs) return;
        size_t i = 0, idx = 0, k = 0;
        for (; i < len; k++) {
            uint32_t cp;
            int l = cmd_utf8_decode((const unsigned char *)src + i, len - i, &cp);
            size_t sl = l > 0 ? (size_t)l : 1;
            if (idx >= dlen) {
                bad_prog(s, "strings for `y' command are different lengths");
                return;
            }
            pairs[2 * k] = p_strndup(s->p, src + i, sl);
            i += sl;
            l = cmd_utf8_decode((const unsigned char *)dst + idx, dlen - idx, &cp);
            size_t dl = l > 0 ? (size_t)l : 1;
            pairs[2 * k + 1] = p_strndup(s->p, dst + idx, dl);
            idx += dl;
        }
        pairs[2 * k] = NULL;
        if (idx != dlen) {
            bad_prog(s, "strings for `y' command are different lengths");
            return;
        }
        c->x.trmb = pairs;
    } else {
        if (len != dlen) {
            bad_prog(s, "strings for `y' command are different lengths");
            return;
        }
        unsigned char *t = p_malloc(s->p, 256);
        if (!t) return;
        for (int i = 0; i < 256; i++) t[i] = (unsigned char)i;
        for (size_t i = 0; i < len; i++) t[(unsigned char)src[i]] = (unsigned char)dst[i];
        c->x.tr = t;
    }
}

static void compile_program(struct sed *s)
{
    int ch;
    if (s->pending_text) read_text(s, NULL, '\n');
    for (;;) {
        if (s->failed) return;
        struct addr a;
        while ((ch = inchar(s)) == ';' || isspace_c(ch))
            ;
        if (ch == EOF_CH) break;
        struct cmd *cur = next_cmd_entry(s);
        if (!cur) {
            panic_msg(s, "memory exhausted");
            return;
        }
        s->partial = true;
        if (compile_address(s, &a, ch)) {
            if (s->failed) return;
            if (a.type == ADDR_IS_STEP || a.type == ADDR_IS_STEP_MOD) {
                bad_prog(s, "invalid usage of +N or ~N as first address");
                return;
            }
            cur->a1 = addr_dup(s, &a);
            ch = in_nonblank(s);
            if (ch == ',') {
                if (!compile_address(s, &a, in_nonblank(s))) {
                    bad_prog(s, "unexpected `,'");
                    return;
                }
                if (s->failed) return;
                cur->a2 = addr_dup(s, &a);
                ch = in_nonblank(s);
            }
            if ((cur->a1->type == ADDR_IS_NUM && cur->a1->number == 0) &&
                ((!cur->a2 && ch != 'r') || (cur->a2 && cur->a2->type != ADDR_IS_REGEX) ||
                 s->posixicity == POSIXLY_BASIC)) {
                bad_prog(s, "invalid usage of line address 0");
                return;
            }
        }
        if (ch == '!') {
            cur->bang = true;
            ch = in_nonblank(s);
            if (ch == '!') {
                bad_prog(s, "multiple `!'s");
                return;
            }
        }
        if (s->posixicity == POSIXLY_BASIC) switch (ch) {
            case 'e': case 'F': case 'v': case 'z': case 'L':
            case 'Q': case 'T': case 'R': case 'W':
                bad_prog(s, "unknown command: `%c'", ch);
                return;
            case 'a': case 'i': case 'l': case '=': case 'r':
                if (cur->a2) {
                    bad_prog(s, "command only uses one address");
                    return;
                }
            }
        cur->cmd = (char)ch;
        switch (ch) {
        case '#':
            if (cur->a1) {
                bad_prog(s, "comments don't accept any addresses");
                return;
            }
            ch = inchar(s);
            if (ch == 'n' && s->first_script && s->cur_line < 2 && s->cur == s->base + 2)
                s->no_default_output = true;
            while (ch != EOF_CH && ch != '\n') ch = inchar(s);
            continue;
        case 'v': {
            char *version = read_label(s);
            const char *cmp = (!version || !*version) ? "4.0" : version;
            if (strverscmp(cmp, "4.9") > 0) {
                bad_prog(s, "expected newer version of sed");
                return;
            }
            s->posixicity = POSIXLY_EXTENDED;
            continue;
        }
        case '{':
            s->blocks = setup_label(s, s->blocks, s->nv, NULL);
            cur->bang = !cur->bang;
            break;
        case '}':
            if (!s->blocks) {
                bad_prog(s, "unexpected `}'");
                return;
            }
            if (cur->a1) {
                bad_prog(s, "`}' doesn't want any addresses");
                return;
            }
            read_end_of_cmd(s);
            s->v[s->blocks->idx].x.jump = s->nv;
            s->blocks = s->blocks->next;
            break;
        case 'e':
            if (s->sandbox) {
                bad_prog(s, "e/r/w commands disabled in sandbox mode");
                return;
            }
            ch = in_nonblank(s);
            if (ch == EOF_CH || ch == '\n') {
                cur->x.txt.len = 0;
                break;
            }
            goto read_text_to_slash;
        case 'a':
        case 'i':
        case 'c':
            ch = in_nonblank(s);
        read_text_to_slash:
            if (ch == EOF_CH) {
                bad_prog(s, "expected \\ after `a', `c' or `i'");
                return;
            }
            if (ch == '\\')
                ch = inchar(s);
            else {
                if (s->posixicity == POSIXLY_BASIC) {
                    bad_prog(s, "expected \\ after `a', `c' or `i'");
                    return;
                }
                savchar(s, ch);
                ch = '\n';
            }
            read_text(s, &cur->x.txt, ch);
            break;
        case ':':
            if (cur->a1) {
                bad_prog(s, ": doesn't want any addresses");
                return;
            }
            {
                char *label = read_label(s);
                if (!label || !*label) {
                    bad_prog(s, "\":\" lacks a label");
                    return;
                }
                s->labels = setup_label(s, s->labels, s->nv, label);
            }
            break;
        case 'T':
        case 'b':
        case 't':
            s->jumps = setup_label(s, s->jumps, s->nv, read_label(s));
            break;
        case 'Q':
        case 'q':
            if (cur->a2) {
                bad_prog(s, "command only uses one address");
                return;
            }
            /* fall through */
        case 'L':
        case 'l':
            ch = in_nonblank(s);
            if (isdigit_c(ch) && s->posixicity != POSIXLY_BASIC)
                cur->x.int_arg = in_integer(s, ch);
            else {
                cur->x.int_arg = -1;
                savchar(s, ch);
            }
            read_end_of_cmd(s);
            break;
        case '=': case 'd': case 'D': case 'F': case 'g': case 'G': case 'h':
        case 'H': case 'n': case 'N': case 'p': case 'P': case 'z': case 'x':
            read_end_of_cmd(s);
            break;
        case 'r': {
            struct sbuf b;
            read_filename(s, &b);
            if (s->failed) {
                sbuf_free(&b);
                return;
            }
            if (!b.s || !*b.s) {
                sbuf_free(&b);
                bad_prog(s, "missing filename in r/R/w/W commands");
                return;
            }
            cur->x.rd.fname = p_strdup(s->p, b.s);
            sbuf_free(&b);
            if (cur->a1 && cur->a1->type == ADDR_IS_NUM && cur->a1->number == 0 && !cur->a2) {
                cur->a1->number = 1;
                cur->x.rd.append = false;
            } else
                cur->x.rd.append = true;
            break;
        }
        case 'R':
            cur->x.inf = get_readfile(s);
            break;
        case 'W':
        case 'w':
            cur->x.outf = get_openfile(s, &s->file_write, true);
            break;
        case 's': {
            struct sbuf b, b2;
            int slash = inchar(s);
            if (!match_slash(s, slash, true, &b)) {
                if (!s->failed) bad_prog(s, "unterminated `s' command");
                return;
            }
            if (!match_slash(s, slash, false, &b2)) {
                sbuf_free(&b);
                if (!s->failed) bad_prog(s, "unterminated `s' command");
                return;
            }
            struct subst *sub = p_calloc(s->p, 1, sizeof *sub);
            if (!sub) {
                panic_msg(s, "memory exhausted");
                return;
            }
            cur->x.s = sub;
            setup_replacement(s, sub, b2.s ? b2.s : "", b2.len);
            sbuf_free(&b2);
            int flags = mark_subst_opts(s, sub);
            if (s->failed) {
                sbuf_free(&b);
                return;
            }
            sub->regx = compile_regex(s, &b, flags, sub->max_id + 1);
            sbuf_free(&b);
            if (sub->eval && s->sandbox) {
                bad_prog(s, "e/r/w commands disabled in sandbox mode");
                return;
            }
            break;
        }
        case 'y': {
            struct sbuf b, b2;
            int slash = inchar(s);
            if (!match_slash(s, slash, false, &b)) {
                if (!s->failed) bad_prog(s, "unterminated `y' command");
                return;
            }
            size_t len = normalize_text(s, b.s, b.len, TEXT_BUFFER);
            if (!match_slash(s, slash, false, &b2)) {
                sbuf_free(&b);
                if (!s->failed) bad_prog(s, "unterminated `y' command");
                return;
            }
            size_t dlen = normalize_text(s, b2.s, b2.len, TEXT_BUFFER);
            setup_y(s, cur, b.s ? b.s : "", len, b2.s ? b2.s : "", dlen);
            sbuf_free(&b);
            sbuf_free(&b2);
            if (s->failed) return;
            read_end_of_cmd(s);
            break;
        }
        case EOF_CH:
            bad_prog(s, "missing command");
            return;
        default:
            bad_prog(s, "unknown command: `%c'", ch);
            return;
        }
        if (s->failed) return;
        ++s->nv;
        s->partial = false;
    }
    if (s->posixicity == POSIXLY_BASIC && s->pending_text) bad_prog(s, "incomplete command");
}

static void compile_string(struct sed *s, const char *str, size_t len)
{
    s->cur_name = NULL;
    s->base = (const unsigned char *)str;
    s->cur = s->base;
    s->end = s->cur + len;
    s->cur_line = 0;
    s->expr_count++;
    compile_program(s);
    s->base = s->cur = s->end = NULL;
    s->first_script = false;
}

static void compile_file(struct sed *s, const char *name)
{
    int fd = strcmp(name, "-") == 0 ? 0 : sys_open(s->p, name, O_RDONLY, 0);
    if (fd < 0) {
        panic_msg(s, "couldn't open file %s: %s", name, cmd_strerror(fd));
        return;
    }
    struct sbuf b;
    sbuf_init(&b, s->p);
    sbuf_add(&b, "", 0);
    char tmp[65536];
    for (;;) {
        ssize_t r = sys_read(s->p, fd, tmp, sizeof tmp);
        if (r < 0) {
            panic_msg(s, "read error on %s: %s", name, cmd_strerror((int)r));
            break;
        }
        if (r == 0) break;
        sbuf_add(&b, tmp, (size_t)r);
    }
    if (fd > 0) sys_close(s->p, fd);
    if (s->failed) {
        sbuf_free(&b);
        return;
    }
    s->cur_name = name;
    s->base = (const unsigned char *)b.s;
    s->cur = s->base;
    s->end = s->cur + b.len;
    s->cur_line = 1;
    compile_program(s);
    /* keep the name and line for run-time errors, as GNU sed does */
    s->base = s->cur = s->end = NULL;
    s->first_script = false;
    /* the text of a pending a/i/c refers into pending_text, not b */
    sbuf_free(&b);
}

static void check_final_program(struct sed *s)
{
    if (s->failed) return;
    if (s->blocks) {
        struct label *b = s->blocks;
        s->cur_name = b->err_name;
        s->cur_line = b->err_line;
        s->expr_count = b->err_expr;
        /* GNU reports the saved position; with strings it prints char 0 */
        s->base = s->cur = (const unsigned char *)"";
        bad_prog(s, "unmatched `{'");
        return;
    }
    if (s->pending_text) {
        struct text *t = s->old_text_buf;
        t->len = s->pending_text->len;
        if (t->len) {
            t->text = p_malloc(s->p, t->len + 1);
            if (t->text) memcpy(t->text, s->pending_text->s, t->len);
        }
        sbuf_free(s->pending_text);
        s->pending_text = NULL;
    }
    for (struct label *go = s->jumps; go; go = go->next) {
        struct label *l;
        for (l = s->labels; l; l = l->next)
            if (strcmp(l->name, go->name) == 0) break;
        if (l)
            s->v[go->idx].x.jump = l->idx;
        else {
            if (go->name && *go->name) {
                panic_msg(s, "can't find label for jump to `%s'", go->name);
                return;
            }
            s->v[go->idx].x.jump = s->nv;
        }
    }
}

/* ---- lines ---------------------------------------------------------------- */

static bool line_reserve(struct sed *s, struct line *l, size_t extra)
{
    if (l->len + extra + 1 <= l->cap) return true;
    size_t nc = l->cap ? l->cap : 64;
    while (nc < l->len + extra + 1) nc *= 2;
    char *nt = p_realloc(s->p, l->text, nc);
    if (!nt) {
        panic_msg(s, "memory exhausted");
        return false;
    }
    l->text = nt;
    l->cap = nc;
    return true;
}

static void str_append(struct sed *s, struct line *to, const char *str, size_t n)
{
    if (!n || !line_reserve(s, to, n)) return;
    memcpy(to->text + to->len, str, n);
    to->len += n;
}

static void line_copy(struct sed *s, struct line *from, struct line *to)
{
    to->len = 0;
    str_append(s, to, from->text, from->len);
    to->chomped = from->chomped;
}

static void line_append(struct sed *s, struct line *from, struct line *to)
{
    str_append(s, to, &s->delim, 1);
    str_append(s, to, from->text, from->len);
    to->chomped = from->chomped;
}

static void line_exchange(struct line *a, struct line *b)
{
    struct line t = *a;
    *a = *b;
    *b = t;
}

static locale_t utf8_l;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_init(void)
{
    utf8_l = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static locale_t utf8_loc(void)
{
    pthread_once(&utf8_once, utf8_init);
    return utf8_l;
}

/* Append with case conversion (\U \L \u \l). */
static void str_append_modified(struct sed *s, struct line *to, const char *str, size_t n,
                                int type)
{
    if (type == REPL_ASIS) {
        str_append(s, to, str, n);
        return;
    }
    locale_t loc = s->utf8 ? utf8_loc() : NULL;
    while (n) {
        uint32_t cp;
        int l;
        if (s->utf8) {
            l = cmd_utf8_decode((const unsigned char *)str, n, &cp);
            if (l == -1) {
                type &= ~(REPL_LOWERCASE_FIRST | REPL_UPPERCASE_FIRST);
                if (type == REPL_ASIS) {
                    str_append(s, to, str, n);
                    return;
                }
                str_append(s, to, str, 1);
                str++, n--;
                continue;
            }
            if (l == -2 || cp == 0) {
                str_append(s, to, str, n);
                return;
            }
        } else {
            cp = (unsigned char)*str;
            l = 1;
            if (cp == 0) {
                str_append(s, to, str, n);
                return;
            }
            if (cp >= 0x80) {
                /* glibc's C locale turns such a byte into a wide character
                 * that converts back as 0xff (GNU sed shows it) */
                str_append(s, to, "\xff", 1);
                str++, n--;
                if (type & (REPL_UPPERCASE_FIRST | REPL_LOWERCASE_FIRST)) {
                    type &= ~(REPL_LOWERCASE_FIRST | REPL_UPPERCASE_FIRST);
                    if (type == REPL_ASIS) {
                        str_append(s, to, str, n);
                        return;
                    }
                }
                continue;
            }
        }
        str += l, n -= (size_t)l;
        uint32_t wc = cp;
        if (type & (REPL_UPPERCASE_FIRST | REPL_LOWERCASE_FIRST)) {
            if (type & REPL_UPPERCASE_FIRST)
                wc = s->utf8 && loc ? towupper_l(wc, loc) : (uint32_t)toupper((int)wc);
            else
                wc = s->utf8 && loc ? towlower_l(wc, loc) : (uint32_t)tolower((int)wc);
            type &= ~(REPL_LOWERCASE_FIRST | REPL_UPPERCASE_FIRST);
        } else if (type & REPL_UPPERCASE)
            wc = s->utf8 && loc ? towupper_l(wc, loc) : (uint32_t)toupper((int)wc);
        else
            wc = s->utf8 && loc ? towlower_l(wc, loc) : (uint32_t)tolower((int)wc);
        char b[8];
        size_t bl;
        if (!s->utf8 || wc < 0x80) {
            b[0] = (char)wc;
            bl = 1;
        } else if (wc < 0x800) {
            b[0] = (char)(0xc0 | (wc >> 6));
            b[1] = (char)(0x80 | (wc & 0x3f));
            bl = 2;
        } else if (wc < 0x10000) {
            b[0] = (char)(0xe0 | (wc >> 12));
            b[1] = (char)(0x80 | ((wc >> 6) & 0x3f));
            b[2] = (char)(0x80 | (wc & 0x3f));
            bl = 3;
        } else {
            b[0] = (char)(0xf0 | (wc >> 18));
            b[1] = (char)(0x80 | ((wc >> 12) & 0x3f));
            b[2] = (char)(0x80 | ((wc >> 6) & 0x3f));
            b[3] = (char)(0x80 | (wc & 0x3f));
            bl = 4;
        }
        str_append(s, to, b, bl);
        if (type == REPL_ASIS) {
            str_append(s, to, str, n);
            return;
        }
    }
}

/* ---- output ------------------------------------------------------------- */

static void output_missing_newline(struct sed *s, struct output *o)
{
    if (o->missing_newline) {
        obuf_write(&o->ob, &s->delim, 1);
        o->missing_newline = false;
    }
}

static void flush_output(struct sed *s, struct output *o)
{
    if (s->unbuffered || o == &s->out_stderr) obuf_flush(&o->ob);
}

static void output_line(struct sed *s, const char *text, size_t len, bool nl, struct output *o)
{
    if (!text) return;
    output_missing_newline(s, o);
    if (len) obuf_write(&o->ob, text, len);
    if (nl)
        obuf_write(&o->ob, &s->delim, 1);
    else
        o->missing_newline = true;
    flush_output(s, o);
}

static struct aq *next_append_slot(struct sed *s)
{
    struct aq *n = p_calloc(s->p, 1, sizeof *n);
    if (!n) return NULL;
    if (s->aq_tail)
        s->aq_tail->next = n;
    else
        s->aq_head = n;
    return s->aq_tail = n;
}

static void release_append_queue(struct sed *s)
{
    struct aq *p, *q;
    for (p = s->aq_head; p; p = q) {
        if (p->own) p_free(s->p, p->text);
        q = p->next;
        p_free(s->p, p);
    }
    s->aq_head = s->aq_tail = NULL;
}

/* Copy a file to the output (r): a missing file is an empty one. */
static void print_file(struct sed *s, const char *name, struct output *o)
{
    int fd = strcmp(name, "/dev/stdin") == 0 ? 0 : sys_open(s->p, name, O_RDONLY, 0);
    if (fd < 0) return;
    char buf[8192];
    for (;;) {
        ssize_t r = sys_read(s->p, fd, buf, sizeof buf);
        if (r <= 0) break;
        obuf_write(&o->ob, buf, (size_t)r);
    }
    if (fd > 0) sys_close(s->p, fd);
}

static void dump_append_queue(struct sed *s)
{
    output_missing_newline(s, s->output);
    for (struct aq *p = s->aq_head; p; p = p->next) {
        if (p->text) obuf_write(&s->output->ob, p->text, p->len);
        if (p->fname) print_file(s, p->fname, s->output);
    }
    flush_output(s, s->output);
    release_append_queue(s);
}

/* ---- input ----------------------------------------------------------------- */

static int fill_input(struct sed *s)
{
    if (s->fd < 0 || s->ieof) return 0;
    if (s->istart > 0 && s->istart == s->iend) s->istart = s->iend = 0;
    if (s->iend == s->icap) {
        if (s->istart > 0) {
            memmove(s->ibuf, s->ibuf + s->istart, s->iend - s->istart);
            s->iend -= s->istart;
            s->istart = 0;
        } else {
            size_t nc = s->icap ? s->icap * 2 : 65536;
            char *nb = p_realloc(s->p, s->ibuf, nc);
            if (!nb) {
                panic_msg(s, "memory exhausted");
                return -1;
            }
            s->ibuf = nb;
            s->icap = nc;
        }
    }
    size_t want = s->icap - s->iend;
    if (s->unbuffered && want > 4096) want = 4096;
    ssize_t r = sys_read(s->p, s->fd, s->ibuf + s->iend, want);
    if (r < 0) {
        if (r != -EINTR)
            panic_msg(s, "read error on %s: %s", s->fd_is_stdin ? "stdin" : s->in_name,
                      cmd_strerror((int)r));
        else
            s->failed = true;
        return -1;
    }
    if (r == 0) {
        s->ieof = true;
        return 0;
    }
    s->iend += (size_t)r;
    return 1;
}

/* Read one line of the current input into the pattern space. */
static bool read_file_line(struct sed *s)
{
    if (s->fd < 0) return false;
    size_t scanned = s->istart;
    for (;;) {
        /* ibuf is NULL before the first fill: no memchr on it */
        char *nl = s->iend > scanned ? memchr(s->ibuf + scanned, s->delim, s->iend - scanned) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - (s->ibuf + s->istart));
            str_append(s, &s->line, s->ibuf + s->istart, n);
            s->istart += n + 1;
            s->ipos += (off_t)(n + 1);
            return true;
        }
        scanned = s->iend;
        size_t before = s->istart;
        int r = fill_input(s);
        scanned -= before - s->istart; /* the buffer may have moved */
        if (r < 0) return false;
        if (r == 0) {
            if (s->istart == s->iend) return false;
            size_t n = s->iend - s->istart;
            str_append(s, &s->line, s->ibuf + s->istart, n);
            s->istart = s->iend;
            s->ipos += (off_t)n;
            s->line.chomped = false;
            return true;
        }
    }
}

static int mkstemp_in(struct sed *s, const char *dir, char **name)
{
    static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int tries = 0; tries < 100; tries++) {
        unsigned char rnd[6];
        sys_getrandom(s->p, rnd, sizeof rnd);
        char suffix[7];
        for (int i = 0; i < 6; i++) suffix[i] = chars[rnd[i] % (sizeof chars - 1)];
        suffix[6] = 0;
        struct sbuf b;
        sbuf_init(&b, s->p);
        sbuf_printf(&b, "%s/sed%s", dir, suffix);
        if (b.oom) {
            sbuf_free(&b);
            return -ENOMEM;
        }
        int fd = sys_open(s->p, b.s, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd >= 0) {
            *name = b.s;
            return fd;
        }
        if (fd != -EEXIST) {
            *name = b.s;
            return fd;
        }
        sbuf_free(&b);
    }
    return -EEXIST;
}

/* The file a chain of symlinks ends at (--follow-symlinks). */
static char *follow_symlink(struct sed *s, const char *name)
{
    char *cur = p_strdup(s->p, name);
    for (int hops = 0; cur && hops < 40; hops++) {
        struct stat st;
        if (sys_lstat(s->p, cur, &st) < 0 || !S_ISLNK(st.st_mode)) return cur;
        char buf[4096];
        ssize_t n = sys_readlink(s->p, cur, buf, sizeof buf - 1);
        if (n < 0) return cur;
        buf[n] = 0;
        char *next;
        const char *slash = strrchr(cur, '/');
        if (buf[0] == '/' || !slash)
            next = p_strdup(s->p, buf);
        else {
            struct sbuf b;
            sbuf_init(&b, s->p);
            sbuf_add(&b, cur, (size_t)(slash - cur) + 1);
            sbuf_add(&b, buf, (size_t)n);
            next = b.s;
        }
        p_free(s->p, cur);
        cur = next;
    }
    return cur;
}

static void open_next_file(struct sed *s, const char *name)
{
    s->istart = s->iend = 0;
    s->ieof = false;
    s->ipos = 0;
    s->in_name = name;
    s->fd_is_stdin = false;
    if (name[0] == '-' && name[1] == 0 && !s->in_place) {
        s->fd = 0;
        s->fd_is_stdin = true;
    } else {
        if (s->follow_symlinks) s->in_name = follow_symlink(s, name);
        int fd = sys_open(s->p, s->in_name, O_RDONLY, 0);
        if (fd < 0) {
            if (fd == -EINTR) {
                s->failed = true;
                s->fd = -1;
                return;
            }
            obuf_flush(&s->out_stdout.ob);
            cmd_error(s->p, "can't read %s: %s", name, cmd_strerror(fd));
            s->fd = -1;
            ++s->bad_count;
            return;
        }
        s->fd = fd;
    }
    if (s->in_place) {
        const char *in = s->in_name;
        const char *slash = strrchr(in, '/');
        char *dir = slash ? p_strndup(s->p, in, (size_t)(slash - in)) : p_strdup(s->p, ".");
        if (slash && slash == in) {
            p_free(s->p, dir);
            dir = p_strdup(s->p, "/");
        }
        if (sys_isatty(s->p, s->fd) > 0) {
            panic_msg(s, "couldn't edit %s: is a terminal", in);
            return;
        }
        sys_fstat(s->p, s->fd, &s->in_st);
        if (!S_ISREG(s->in_st.st_mode)) {
            panic_msg(s, "couldn't edit %s: not a regular file", in);
            return;
        }
        char *tmp = NULL;
        int ofd = mkstemp_in(s, dir ? dir : ".", &tmp);
        if (ofd < 0) {
            panic_msg(s, "couldn't open temporary file %s: %s", tmp ? tmp : dir,
                      cmd_strerror(ofd));
            return;
        }
        s->out_temp = tmp;
        struct output *o = p_calloc(s->p, 1, sizeof *o);
        if (!o) {
            panic_msg(s, "memory exhausted");
            return;
        }
        o->fd = ofd;
        o->name = tmp;
        obuf_init(&o->ob, s->p, ofd);
        s->output = o;
        p_free(s->p, dir);
    } else {
        s->output = &s->out_stdout;
    }
}

static char *get_backup_file_name(struct sed *s, const char *name)
{
    /* each '*' of the extension stands for the file name as given */
    struct sbuf b;
    sbuf_init(&b, s->p);
    const char *ext = s->in_place, *a;
    while ((a = strchr(ext, '*'))) {
        sbuf_add(&b, ext, (size_t)(a - ext));
        sbuf_add(&b, name, strlen(name));
        ext = a + 1;
    }
    sbuf_add(&b, ext, strlen(ext));
    return b.s;
}

/* Done with the current input: in-place edits are committed here. */
static void closedown(struct sed *s)
{
    if (s->fd < 0) return;
    if (s->in_place && s->output != &s->out_stdout && s->output) {
        struct output *o = s->output;
        const char *target = s->in_name;
        int err = obuf_flush(&o->ob);
        if (err && !s->failed) panic_msg(s, "couldn't write to %s: %s", o->name, cmd_strerror(err));
        if (sys_fchown(s->p, o->fd, s->in_st.st_uid, s->in_st.st_gid) < 0)
            sys_fchown(s->p, o->fd, (uid_t)-1, s->in_st.st_gid);
        sys_fchmod(s->p, o->fd, s->in_st.st_mode & 07777);
        obuf_free(&o->ob);
        sys_close(s->p, o->fd);
        sys_close(s->p, s->fd);
        if (!s->failed || s->status != EXIT_PANIC) {
            bool ok = true;
            if (strcmp(s->in_place, "*") != 0) {
                char *bak = get_backup_file_name(s, target);
                if (bak) {
                    int r = sys_rename(s->p, target, bak);
                    if (r < 0) {
                        panic_msg(s, "cannot rename %s: %s", target, cmd_strerror(r));
                        ok = false;
                    }
                    p_free(s->p, bak);
                }
            }
            if (ok) {
                int r = sys_rename(s->p, o->name, target);
                if (r < 0) {
                    panic_msg(s, "cannot rename %s: %s", o->name, cmd_strerror(r));
                    ok = false;
                }
            }
            if (!ok) sys_unlink(s->p, o->name);
        } else
            sys_unlink(s->p, o->name);
        p_free(s->p, o);
        s->output = &s->out_stdout;
        s->out_temp = NULL;
    } else if (s->fd_is_stdin) {
        /* like fclose(stdin): leave the offset just past what was used */
        if (s->istart < s->iend) sys_lseek(s->p, 0, -(off_t)(s->iend - s->istart), SEEK_CUR);
    } else
        sys_close(s->p, s->fd);
    s->fd = -1;
}

static void reset_addresses(struct sed *s)
{
    for (size_t i = 0; i < s->nv; i++) {
        struct cmd *c = &s->v[i];
        if (c->a1 && c->a1->type == ADDR_IS_NUM && c->a1->number == 0)
            c->range_state = RANGE_ACTIVE;
        else
            c->range_state = RANGE_INACTIVE;
    }
}

static void rewind_read_files(struct sed *s)
{
    for (struct input_file *f = s->file_read; f; f = f->link) {
        if (f->fd > 0) sys_lseek(s->p, f->fd, 0, SEEK_SET);
        f->start = f->end = 0;
        f->eof = false;
    }
}

static bool read_pattern_space(struct sed *s, bool append)
{
    if (s->aq_head) dump_append_queue(s);
    s->replaced = false;
    if (!append) s->line.len = 0;
    s->line.chomped = true;
    while (!read_file_line(s)) {
        if (s->failed) return false;
        closedown(s);
        if (s->failed) return false;
        if (s->fidx >= s->nfiles) return false;
        if (s->reset_at_next_file) {
            s->line_number = 0;
            s->hold.len = 0;
            reset_addresses(s);
            rewind_read_files(s);
            if (s->in_place) s->out_stdout.missing_newline = false;
            s->reset_at_next_file = s->separate_files;
        }
        open_next_file(s, s->files[s->fidx++]);
        if (s->failed) return false;
    }
    ++s->line_number;
    return true;
}

static bool last_file_with_data_p(struct sed *s)
{
    for (;;) {
        closedown(s);
        if (s->failed) return true;
        if (s->fidx >= s->nfiles) return true;
        open_next_file(s, s->files[s->fidx++]);
        if (s->failed) return true;
        if (s->fd >= 0) {
            int r = fill_input(s);
            if (r < 0) return true;
            if (s->istart < s->iend) return false;
        }
    }
}

static bool test_eof(struct sed *s)
{
    if (s->istart < s->iend) return false;
    if (s->fd < 0 || s->ieof) return s->separate_files || last_file_with_data_p(s);
    int r = fill_input(s);
    if (r < 0) return true;
    if (s->istart < s->iend) return false;
    return s->separate_files || last_file_with_data_p(s);
}

/* ---- execution ---------------------------------------------------------------- */

static bool match_an_address_p(struct sed *s, struct addr *a)
{
    switch (a->type) {
    case ADDR_IS_NULL:
        return true;
    case ADDR_IS_REGEX:
        return match_regex(s, a->re, s->line.text, s->line.len, 0, NULL, 0) > 0;
    case ADDR_IS_NUM_MOD:
        return s->line_number >= a->number && ((s->line_number - a->number) % a->step) == 0;
    case ADDR_IS_STEP:
    case ADDR_IS_STEP_MOD:
        return a->number <= s->line_number;
    case ADDR_IS_LAST:
        return test_eof(s);
    case ADDR_IS_NUM:
        return a->number == s->line_number;
    }
    return false;
}

static bool match_address_p(struct sed *s, struct cmd *c)
{
    if (!c->a1) return true;
    if (c->range_state != RANGE_ACTIVE) {
        if (!c->a2) return match_an_address_p(s, c->a1);
        if (c->a1->type == ADDR_IS_NUM) {
            if (c->range_state == RANGE_CLOSED || s->line_number < c->a1->number) return false;
        } else if (!match_an_address_p(s, c->a1))
            return false;
        c->range_state = RANGE_ACTIVE;
        switch (c->a2->type) {
        case ADDR_IS_REGEX:
            return true;
        case ADDR_IS_NUM:
            if (s->line_number >= c->a2->number) c->range_state = RANGE_CLOSED;
            return s->line_number <= c->a2->number || match_an_address_p(s, c->a1);
        case ADDR_IS_STEP:
            c->a2->number = s->line_number > INTMAX_MAX - c->a2->step
                                ? INTMAX_MAX
                                : s->line_number + c->a2->step;
            return true;
        case ADDR_IS_STEP_MOD: {
            intmax_t add = c->a2->step - (s->line_number % c->a2->step);
            c->a2->number = s->line_number > INTMAX_MAX - add ? INTMAX_MAX : s->line_number + add;
            return true;
        }
        default:
            break;
        }
    }
    if (c->a2->type == ADDR_IS_NUM) {
        if (s->line_number >= c->a2->number) c->range_state = RANGE_CLOSED;
        return s->line_number <= c->a2->number;
    }
    if (match_an_address_p(s, c->a2)) c->range_state = RANGE_CLOSED;
    return true;
}

static void do_list(struct sed *s, intmax_t line_len)
{
    const unsigned char *p = (const unsigned char *)s->line.text;
    size_t len = s->line.len;
    intmax_t width = 0;
    struct obuf *o = &s->output->ob;
    output_missing_newline(s, s->output);
    for (; len--; ++p) {
        char obuf[8];
        char *q = obuf;
        if (*p < 0x80 && *p >= 0x20 && *p < 0x7f) {
            *q++ = (char)*p;
            if (*p == '\\') *q++ = '\\';
        } else {
            *q++ = '\\';
            switch (*p) {
            case '\a': *q++ = 'a'; break;
            case '\b': *q++ = 'b'; break;
            case '\f': *q++ = 'f'; break;
            case '\n': *q++ = 'n'; break;
            case '\r': *q++ = 'r'; break;
            case '\t': *q++ = 't'; break;
            case '\v': *q++ = 'v'; break;
            default:
                *q++ = (char)('0' + ((*p & 0300) >> 6));
                *q++ = (char)('0' + ((*p & 0070) >> 3));
                *q++ = (char)('0' + (*p & 0007));
                break;
            }
        }
        intmax_t olen = q - obuf;
        if (0 < line_len && line_len - olen <= width) {
            obuf_write(o, "\\", 1);
            obuf_write(o, &s->delim, 1);
            width = 0;
        }
        obuf_write(o, obuf, (size_t)olen);
        width += olen;
    }
    obuf_write(o, "$", 1);
    obuf_write(o, &s->delim, 1);
    flush_output(s, s->output);
}

static void append_replacement(struct sed *s, struct line *buf, struct replacement *p,
                               struct rx_span *regs, size_t nregs)
{
    int repl_mod = 0;
    for (; p; p = p->next) {
        int i = p->subst_id;
        int curr_type = (p->repl_type & REPL_MODIFIERS) ? p->repl_type : p->repl_type | repl_mod;
        repl_mod = 0;
        if (p->prefix_length) {
            str_append_modified(s, buf, p->prefix, p->prefix_length, curr_type);
            curr_type &= ~REPL_MODIFIERS;
        }
        if (0 <= i && (size_t)i < nregs) {
            if (regs[i].so < 0) {
                if (p->repl_type & REPL_MODIFIERS) repl_mod = curr_type & REPL_MODIFIERS;
            } else if (regs[i].eo == regs[i].so && (p->repl_type & REPL_MODIFIERS))
                repl_mod = curr_type & REPL_MODIFIERS;
            else if (regs[i].eo != regs[i].so)
                str_append_modified(s, buf, s->line.text + regs[i].so,
                                    (size_t)(regs[i].eo - regs[i].so), curr_type);
        }
    }
}

/* Run cmdline with the VM's /bin/sh -c; its output appended to out
 * (NULL: written to the current output). */
static void run_shell(struct sed *s, const char *cmdline, struct line *out)
{
    struct proc *p = s->p;
    int fds[2];
    if (sys_pipe(p, fds, O_CLOEXEC) < 0) {
        panic_msg(s, "error in subprocess");
        return;
    }
    struct proc *child = proc_new(p->vm, p);
    if (!child) {
        sys_close(p, fds[0]);
        sys_close(p, fds[1]);
        panic_msg(s, "error in subprocess");
        return;
    }
    obuf_flush(&s->output->ob);
    obuf_flush(&s->out_stdout.ob);
    sys_dup2(child, fds[1], 1);
    sys_close(child, fds[0]);
    sys_close(child, fds[1]);
    char *argv[] = {"sh", "-c", (char *)cmdline, NULL};
    int pid = child->pid;
    int r = sys_exec(child, "/bin/sh", argv, true);
    sys_close(p, fds[1]);
    if (r < 0) {
        proc_discard(child);
        sys_close(p, fds[0]);
        panic_msg(s, "error in subprocess");
        return;
    }
    char buf[4096];
    for (;;) {
        ssize_t n = sys_read(p, fds[0], buf, sizeof buf);
        if (n <= 0) break;
        if (out)
            str_append(s, out, buf, (size_t)n);
        else
            obuf_write(&s->output->ob, buf, (size_t)n);
    }
    sys_close(p, fds[0]);
    int st;
    sys_waitpid(p, pid, &st, 0);
}

static void do_subst(struct sed *s, struct subst *sub)
{
    size_t start = 0, last_end = 0;
    intmax_t count = 0;
    bool again = true;
    size_t nregs = (size_t)sub->max_id + 1;
    struct rx_span regs[10];
    s->s_accum.len = 0;
    int m = match_regex(s, sub->regx, s->line.text, s->line.len, start, regs, nregs);
    if (m <= 0) return;
    do {
        size_t offset = (size_t)regs[0].so;
        size_t matched = (size_t)(regs[0].eo - regs[0].so);
        if (start < offset) {
            str_append(s, &s->s_accum, s->line.text + start, offset - start);
            start = offset;
        }
        if ((matched > 0 || count == 0 || offset > last_end) && ++count >= sub->numb) {
            s->replaced = true;
            append_replacement(s, &s->s_accum, sub->replacement, regs, nregs);
            again = sub->global;
        } else {
            if (matched == 0) {
                if (start < s->line.len)
                    matched = 1; /* one byte, as GNU sed (even inside a character) */
                else
                    break;
            }
            str_append(s, &s->s_accum, s->line.text + offset, matched);
        }
        start = offset + matched;
        last_end = (size_t)regs[0].eo;
        if (s->failed) return;
    } while (again && start <= s->line.len &&
             (m = match_regex(s, sub->regx, s->line.text, s->line.len, start, regs, nregs)) > 0);
    if (m < 0) return;
    if (start < s->line.len) str_append(s, &s->s_accum, s->line.text + start, s->line.len - start);
    s->s_accum.chomped = s->line.chomped;
    line_exchange(&s->line, &s->s_accum);
    if (count < sub->numb) return;
    if (sub->print & 1) output_line(s, s->line.text, s->line.len, s->line.chomped, s->output);
    if (sub->eval) {
        s->s_accum.len = 0;
        str_append(s, &s->line, "", 1);
        s->line.len--;
        if (!line_reserve(s, &s->line, 1)) return;
        s->line.text[s->line.len] = 0;
        run_shell(s, s->line.text, &s->s_accum);
        line_exchange(&s->line, &s->s_accum);
        s->line.chomped = s->s_accum.chomped;
        if (s->line.len && s->line.text[s->line.len - 1] == s->delim) s->line.len--;
    }
    if (sub->print & 2) output_line(s, s->line.text, s->line.len, s->line.chomped, s->output);
    if (sub->outf) output_line(s, s->line.text, s->line.len, s->line.chomped, sub->outf);
}

static void translate_mb(struct sed *s, char **trans)
{
    struct line *ln = &s->line;
    for (size_t idx = 0; idx < ln->len;) {
        uint32_t cp;
        int l = cmd_utf8_decode((const unsigned char *)ln->text + idx, ln->len - idx, &cp);
        size_t mbclen = l > 0 ? (size_t)l : 1;
        for (size_t i = 0; trans[2 * i]; i++) {
            if (strlen(trans[2 * i]) == mbclen && memcmp(ln->text + idx, trans[2 * i], mbclen) == 0) {
                const char *tr = trans[2 * i + 1];
                size_t tl = *tr == 0 ? 1 : strlen(tr);
                if (tl != mbclen) {
                    if (tl > mbclen && !line_reserve(s, ln, tl - mbclen)) return;
                    memmove(ln->text + idx + tl, ln->text + idx + mbclen, ln->len - idx - mbclen);
                    ln->len = ln->len + tl - mbclen;
                }
                memcpy(ln->text + idx, tr, tl);
                mbclen = tl;
                break;
            }
        }
        idx += mbclen;
    }
}

static bool read_R_line(struct sed *s, struct input_file *f, struct aq *aq)
{
    if (!f->opened) {
        f->opened = true;
        f->fd = strcmp(f->name, "/dev/stdin") == 0 ? 0 : sys_open(s->p, f->name, O_RDONLY, 0);
        if (f->fd < 0) f->eof = true;
    }
    if (f->fd < 0) return false;
    for (;;) {
        char *nl = f->buf ? memchr(f->buf + f->start, s->delim, f->end - f->start) : NULL;
        if (nl || (f->eof && f->start < f->end)) {
            size_t n = nl ? (size_t)(nl - (f->buf + f->start)) + 1 : f->end - f->start;
            aq->text = p_malloc(s->p, n);
            if (!aq->text) return false;
            memcpy(aq->text, f->buf + f->start, n);
            aq->len = n;
            aq->own = true;
            f->start += n;
            return true;
        }
        if (f->eof) return false;
        if (f->start > 0) {
            memmove(f->buf, f->buf + f->start, f->end - f->start);
            f->end -= f->start;
            f->start = 0;
        }
        if (f->end == f->cap) {
            size_t nc = f->cap ? f->cap * 2 : 4096;
            char *nb = p_realloc(s->p, f->buf, nc);
            if (!nb) return false;
            f->buf = nb;
            f->cap = nc;
        }
        ssize_t r = sys_read(s->p, f->fd, f->buf + f->end, f->cap - f->end);
        if (r <= 0)
            f->eof = true;
        else
            f->end += (size_t)r;
    }
}

/* Run the program on the pattern space: -1 to go on, else the exit status. */
static int execute_program(struct sed *s)
{
    if (!s->nv) {
        if (!s->no_default_output)
            output_line(s, s->line.text, s->line.len, s->line.chomped, s->output);
        return -1;
    }
    struct cmd *cur = s->v, *end = s->v + s->nv;
    unsigned steps = 0;
    while (cur < end) {
        if (s->failed) return -1;
        if ((++steps & 4095) == 0 && proc_check(s->p) < 0) {
            s->failed = true;
            return -1;
        }
        if (match_address_p(s, cur) != cur->bang) {
            switch (cur->cmd) {
            case 'a': {
                struct aq *aq = next_append_slot(s);
                if (aq) {
                    aq->text = cur->x.txt.text;
                    aq->len = cur->x.txt.len;
                }
                break;
            }
            case '{':
            case 'b':
                cur = s->v + cur->x.jump;
                continue;
            case '}':
            case '#':
            case ':':
                break;
            case 'c':
                if (cur->range_state != RANGE_ACTIVE)
                    output_line(s, cur->x.txt.text, cur->x.txt.len ? cur->x.txt.len - 1 : 0, true,
                                s->output);
                /* fall through */
            case 'd':
                return -1;
            case 'D': {
                char *p = memchr(s->line.text, s->delim, s->line.len);
                if (!p) return -1;
                ++p;
                size_t cut = (size_t)(p - s->line.text);
                memmove(s->line.text, p, s->line.len - cut);
                s->line.len -= cut;
                cur = s->v;
                continue;
            }
            case 'e': {
                size_t n = cur->x.txt.len;
                if (!n) {
                    if (!line_reserve(s, &s->line, 1)) return -1;
                    s->line.text[s->line.len] = 0;
                    s->s_accum.len = 0;
                    run_shell(s, s->line.text, &s->s_accum);
                    if (s->s_accum.len && s->s_accum.text[s->s_accum.len - 1] == s->delim)
                        s->s_accum.len--;
                    s->s_accum.chomped = s->line.chomped;
                    line_exchange(&s->line, &s->s_accum);
                } else {
                    char *c = p_strndup(s->p, cur->x.txt.text, n - 1);
                    output_missing_newline(s, s->output);
                    if (c) run_shell(s, c, NULL);
                    p_free(s->p, c);
                    flush_output(s, s->output);
                }
                break;
            }
            case 'g':
                line_copy(s, &s->hold, &s->line);
                break;
            case 'G':
                line_append(s, &s->hold, &s->line);
                break;
            case 'h':
                line_copy(s, &s->line, &s->hold);
                break;
            case 'H':
                line_append(s, &s->line, &s->hold);
                break;
            case 'i':
                output_line(s, cur->x.txt.text, cur->x.txt.len ? cur->x.txt.len - 1 : 0, true,
                            s->output);
                break;
            case 'l':
                do_list(s, cur->x.int_arg == -1 ? s->lcmd_out_line_len : cur->x.int_arg);
                break;
            case 'n':
                if (!s->no_default_output)
                    output_line(s, s->line.text, s->line.len, s->line.chomped, s->output);
                if (test_eof(s) || !read_pattern_space(s, false)) return -1;
                break;
            case 'N':
                str_append(s, &s->line, &s->delim, 1);
                if (test_eof(s) || !read_pattern_space(s, true)) {
                    s->line.len--;
                    if (s->posixicity == POSIXLY_EXTENDED && !s->no_default_output)
                        output_line(s, s->line.text, s->line.len, s->line.chomped, s->output);
                    return -1;
                }
                break;
            case 'p':
                output_line(s, s->line.text, s->line.len, s->line.chomped, s->output);
                break;
            case 'P': {
                char *p = memchr(s->line.text, s->delim, s->line.len);
                output_line(s, s->line.text, p ? (size_t)(p - s->line.text) : s->line.len,
                            p ? true : s->line.chomped, s->output);
                break;
            }
            case 'q':
                if (!s->no_default_output)
                    output_line(s, s->line.text, s->line.len, s->line.chomped, s->output);
                dump_append_queue(s);
                /* fall through */
            case 'Q':
                return cur->x.int_arg < 0 ? 0 : cur->x.int_arg > INT_MAX ? INT_MAX : (int)cur->x.int_arg;
            case 'r':
                if (cur->x.rd.fname) {
                    if (cur->x.rd.append) {
                        struct aq *aq = next_append_slot(s);
                        if (aq) aq->fname = cur->x.rd.fname;
                    } else
                        print_file(s, cur->x.rd.fname, s->output);
                }
                break;
            case 'R':
                if (cur->x.inf) {
                    struct aq tmp = {0};
                    if (read_R_line(s, cur->x.inf, &tmp)) {
                        struct aq *aq = next_append_slot(s);
                        if (aq) {
                            aq->text = tmp.text;
                            aq->len = tmp.len;
                            aq->own = true;
                        }
                    }
                }
                break;
            case 's':
                do_subst(s, cur->x.s);
                break;
            case 't':
                if (s->replaced) {
                    s->replaced = false;
                    cur = s->v + cur->x.jump;
                    continue;
                }
                break;
            case 'T':
                if (!s->replaced) {
                    cur = s->v + cur->x.jump;
                    continue;
                } else
                    s->replaced = false;
                break;
            case 'w':
                if (cur->x.outf)
                    output_line(s, s->line.text, s->line.len, s->line.chomped, cur->x.outf);
                break;
            case 'W':
                if (cur->x.outf) {
                    char *p = memchr(s->line.text, s->delim, s->line.len);
                    output_line(s, s->line.text, p ? (size_t)(p - s->line.text) : s->line.len,
                                p ? true : s->line.chomped, cur->x.outf);
                }
                break;
            case 'x':
                line_exchange(&s->line, &s->hold);
                break;
            case 'y':
                if (cur->x.trmb)
                    translate_mb(s, cur->x.trmb);
                else if (cur->x.tr)
                    for (size_t i = 0; i < s->line.len; i++)
                        s->line.text[i] = (char)cur->x.tr[(unsigned char)s->line.text[i]];
                break;
            case 'z':
                s->line.len = 0;
                break;
            case '=':
                output_missing_newline(s, s->output);
                obuf_printf(&s->output->ob, "%jd%c", s->line_number, s->delim);
                flush_output(s, s->output);
                break;
            case 'F':
                output_missing_newline(s, s->output);
                obuf_printf(&s->output->ob, "%s%c", s->in_name ? s->in_name : "-", s->delim);
                flush_output(s, s->output);
                break;
            }
        }
        ++cur;
    }
    if (s->failed) return -1;
    if (!s->no_default_output)
        output_line(s, s->line.text, s->line.len, s->line.chomped, s->output);
    return -1;
}

static int process_files(struct sed *s)
{
    static char *stdin_argv[] = {"-", NULL};
    if (s->nfiles == 0) {
        if (s->in_place) {
            panic_msg(s, "no input files");
            return EXIT_PANIC;
        }
        s->files = stdin_argv;
        s->nfiles = 1;
    }
    s->reset_at_next_file = true;
    s->fd = -1;
    s->output = &s->out_stdout;
    int status = 0;
    while (read_pattern_space(s, false)) {
        status = execute_program(s);
        if (s->failed) break;
        if (status == -1)
            status = 0;
        else
            break;
        if (obuf_failed(&s->out_stdout.ob)) break;
    }
    if (!s->failed || s->status != EXIT_PANIC) closedown(s);
    if (s->bad_count) status = EXIT_BAD_INPUT;
    return status;
}

/* ---- main ------------------------------------------------------------------- */

static void sed_free(struct sed *s)
{
    /* the entry being compiled when an error stopped the compiler counts too */
    size_t n = s->nv + (s->partial ? 1 : 0);
    for (size_t i = 0; i < n; i++) {
        struct cmd *c = &s->v[i];
        if (c->a1 && c->a1->re) rx_free(c->a1->re->rx);
        if (c->a2 && c->a2->re) rx_free(c->a2->re->rx);
        if (c->cmd == 's' && c->x.s && c->x.s->regx) rx_free(c->x.s->regx->rx);
    }
    for (struct output *o = s->file_write; o; o = o->link) {
        obuf_free(&o->ob);
        if (o->fd >= 0) sys_close(s->p, o->fd);
    }
    for (struct input_file *f = s->file_read; f; f = f->link)
        if (f->fd > 0) sys_close(s->p, f->fd);
}

int cmd_sed(struct proc *p, int argc, char **argv)
{
    struct sed S = {0}, *s = &S;
    s->p = p;
    s->utf8 = cmd_utf8_locale(p);
    s->delim = '\n';
    s->lcmd_out_line_len = 70;
    s->first_script = true;
    s->posixicity = proc_getenv(p, "POSIXLY_CORRECT") ? POSIXLY_CORRECT : POSIXLY_EXTENDED;
    s->fd = -1;
    s->out_stdout.fd = 1;
    s->out_stdout.is_std = true;
    s->out_stdout.name = "/dev/stdout";
    obuf_init(&s->out_stdout.ob, p, 1);
    s->out_stderr.fd = 2;
    s->out_stderr.is_std = true;
    s->out_stderr.name = "/dev/stderr";
    obuf_init(&s->out_stderr.ob, p, 2);
    s->output = &s->out_stdout;
    s->line.chomped = s->hold.chomped = s->s_accum.chomped = true;
    int status = 0;
    /* lines always have a buffer: an empty hold space still prints */
    if (!line_reserve(s, &s->line, 64) || !line_reserve(s, &s->hold, 0) ||
        !line_reserve(s, &s->s_accum, 64))
        goto done; /* panic_msg said why and set the status */
    bool have_script = false;

    struct opt_state o;
    opt_init(&o, p, &sed_spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'n': s->no_default_output = true; break;
        case 'e':
            have_script = true;
            compile_string(s, o.arg, strlen(o.arg));
            if (s->failed) goto done;
            break;
        case 'f':
            have_script = true;
            compile_file(s, o.arg);
            if (s->failed) goto done;
            break;
        case 'z': s->delim = 0; break;
        case 'F': break;
        case 'i':
            s->separate_files = true;
            if (!o.arg)
                s->in_place = "*";
            else if (strchr(o.arg, '*'))
                s->in_place = o.arg;
            else {
                char *e = p_malloc(p, strlen(o.arg) + 2);
                if (!e) goto nomem;
                e[0] = '*';
                strcpy(e + 1, o.arg);
                s->in_place = e;
            }
            break;
        case 'l': s->lcmd_out_line_len = atoi(o.arg); break;
        case 'b': break;
        case O_FOLLOW: s->follow_symlinks = true; break;
        case O_POSIX: s->posixicity = POSIXLY_BASIC; break;
        case O_SANDBOX: s->sandbox = true; break;
        case 'E':
        case 'r': s->extended = true; break;
        case 's': s->separate_files = true; break;
        case 'u': s->unbuffered = true; break;
        case OPT_EXIT:
            status = o.status;
            goto done;
        default:
            status = EXIT_BAD_USAGE;
            goto done;
        }
    }
    int ind = o.ind;
    if (!have_script) {
        if (ind >= argc) {
            struct sbuf b;
            sbuf_init(&b, p);
            sbuf_printf(&b, sed_usage, cmd_prog(p));
            if (b.s) io_write_all(p, 2, b.s, b.len);
            sbuf_free(&b);
            status = EXIT_BAD_USAGE;
            goto done;
        }
        const char *script = argv[ind++];
        compile_string(s, script, strlen(script));
        if (s->failed) goto done;
    }
    check_final_program(s);
    if (s->failed) goto done;
    /* run-time errors ("no previous regular expression") report where the
     * compiler stopped: char 0 of the last -e, or the last line of the last -f */
    s->base = s->cur = (const unsigned char *)"";
    s->files = argv + ind;
    s->nfiles = (size_t)(argc - ind);
    status = process_files(s);
    goto done;
nomem:
    cmd_error(p, "memory exhausted");
    status = EXIT_PANIC;
done:
    if (s->failed) status = s->status;
    {
        int e1 = obuf_flush(&s->out_stdout.ob);
        for (struct output *w = s->file_write; w; w = w->link) obuf_flush(&w->ob);
        obuf_flush(&s->out_stderr.ob);
        if (e1 && e1 != -EPIPE && e1 != -EINTR && !s->failed) {
            cmd_error(p, "couldn't flush stdout: %s", cmd_strerror(e1));
            status = EXIT_PANIC;
        }
    }
    sed_free(s);
    obuf_free(&s->out_stdout.ob);
    obuf_free(&s->out_stderr.ob);
    return status;
}
