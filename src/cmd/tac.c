/* tac.c — concatenate and print files in reverse: records end with the
 * separator (-s STRING, newline by default), or begin with it (-b); -r
 * reads the separator as a GNU regular expression (glibc re_search with the
 * default syntax, searching backwards as GNU tac does). Each input is read
 * whole into memory (the VM's memory limit applies). */
#include "cmd/cmd.h"

#include <fcntl.h>
#include "lib/gnuregex.h"
#include <stdlib.h>

static const char tac_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Write each FILE to standard output, last line first.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -b, --before             attach the separator before instead of after\n"
    "  -r, --regex              interpret the separator as a regular expression\n"
    "  -s, --separator=STRING   use STRING as the separator instead of newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("tac", "tac");

static const struct opt_long longs[] = {{"before", OPT_NOARG, 'b'},
                                        {"regex", OPT_NOARG, 'r'},
                                        {"separator", OPT_ARG, 's'},
                                        {0}};
static const struct opt_spec spec = {.name = "tac",
                                     .shorts = "brs:",
                                     .longs = longs,
                                     .help = tac_help,
                                     .authors = "Jay Lepreau and David MacKenzie"};

struct tac {
    struct proc *p;
    const char *sep;
    size_t seplen;
    bool before, regex;
    struct re_pattern_buffer re;
    struct re_registers regs;
    struct obuf out;
};

/* Read all of fd. */
static char *slurp(struct proc *p, int fd, const char *name, size_t *len, bool *oom)
{
    size_t cap = 65536, n = 0;
    char *buf = p_malloc(p, cap);
    if (!buf) {
        *oom = true;
        return NULL;
    }
    for (;;) {
        if (cap - n < 65536) {
            size_t nc = cap * 2;
            char *nb = p_realloc(p, buf, nc);
            if (!nb) {
                p_free(p, buf);
                *oom = true;
                return NULL;
            }
            buf = nb;
            cap = nc;
        }
        ssize_t r = sys_read(p, fd, buf + n, cap - n);
        if (r < 0) {
            /* GNU tac seeks on a directory and its read then fails with
             * EINVAL rather than EISDIR; say what it says. */
            if (r == -EISDIR) r = -EINVAL;
            if (r != -EINTR) cmd_errno(p, (int)r, "%s: read error", cmd_quotef(p, name));
            p_free(p, buf);
            return NULL;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    *len = n;
    return buf;
}

/* Find the last match of the separator that ends at or before limit;
 * its start and length, or false. */
static bool find_back(struct tac *t, const char *buf, size_t limit, size_t *start, size_t *mlen)
{
    if (t->regex) {
        regoff_t i = (regoff_t)limit;
        regoff_t range = 1 - i;
        if (range == 1) return false;
        regoff_t r = gre_search(&t->re, buf, i, i - 1, range, &t->regs);
        if (r < 0) return false;
        *start = (size_t)t->regs.start[0];
        *mlen = (size_t)(t->regs.end[0] - t->regs.start[0]);
        return true;
    }
    if (t->seplen == 0 || limit == 0) return false;
    /* Candidates start before limit; the separator must fit in the text
     * that was read (it may overlap an earlier match, as in GNU tac). */
    for (size_t k = limit; k-- > 0;) {
        if (buf[k] != t->sep[0]) continue;
        if (memcmp(buf + k + 1, t->sep + 1, t->seplen - 1) == 0) {
            *start = k;
            *mlen = t->seplen;
            return true;
        }
    }
    return false;
}

static int tac_file(struct tac *t, const char *name)
{
    struct proc *p = t->p;
    bool is_stdin = strcmp(name, "-") == 0;
    int fd = is_stdin ? 0 : sys_open(p, name, O_RDONLY, 0);
    if (fd < 0) {
        cmd_errno(p, fd, "failed to open %s for reading", cmd_quoteaf(p, name));
        return 1;
    }
    size_t len = 0;
    bool oom = false;
    char *buf = slurp(p, fd, is_stdin ? "standard input" : name, &len, &oom);
    if (!is_stdin) sys_close(p, fd);
    if (!buf) {
        if (oom) cmd_error(p, "memory exhausted");
        return 1;
    }
    /* Multi-byte plain separators: never read past the end of the input. */
    size_t past_end = len, search_limit = len;
    if (!t->regex && t->seplen > 1) search_limit = len >= t->seplen - 1 ? len - (t->seplen - 1) : 0;
    unsigned long iter = 0;
    for (;;) {
        size_t ms, ml;
        if (!find_back(t, buf, search_limit, &ms, &ml)) break;
        if (t->before) {
            obuf_write(&t->out, buf + ms, past_end - ms);
            past_end = ms;
        } else {
            obuf_write(&t->out, buf + ms + ml, past_end - (ms + ml));
            past_end = ms + ml;
        }
        search_limit = ms;
        if ((++iter & 0xfff) == 0 && (proc_check(p) < 0 || obuf_failed(&t->out))) break;
    }
    obuf_write(&t->out, buf, past_end);
    p_free(p, buf);
    return 0;
}

int cmd_tac(struct proc *p, int argc, char **argv)
{
    struct tac t = {.p = p, .sep = "\n", .seplen = 1};
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'b': t.before = true; break;
        case 'r': t.regex = true; break;
        case 's':
            t.sep = o.arg;
            t.seplen = strlen(o.arg);
            break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (t.regex) {
        if (t.seplen == 0) {
            cmd_error(p, "separator cannot be empty");
            return 1;
        }
        memset(&t.re, 0, sizeof t.re);
        const char *err = gre_compile(&t.re, t.sep, t.seplen, 0);
        if (err) {
            cmd_error(p, "%s", err);
            return 1;
        }
    }
    obuf_init(&t.out, p, 1);
    int status = 0;
    if (o.ind >= argc) status |= tac_file(&t, "-");
    for (int i = o.ind; i < argc && !obuf_failed(&t.out); i++) status |= tac_file(&t, argv[i]);
    if (t.regex) {
        gre_free(&t.re);
        if (t.regs.start) {
            free(t.regs.start);
            free(t.regs.end);
        }
    }
    return cmd_close_stdout(p, &t.out, status);
}
