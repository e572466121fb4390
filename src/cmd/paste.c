/* paste.c — merge lines of files: in parallel (default) or one file after
 * another (-s), with a cycling delimiter list (-d, escapes \0 \b \f \n \r
 * \t \v \\), -z. The stdin operand may be given more than once. */
#include "cmd/cmd.h"

#include <fcntl.h>

static const char paste_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Write lines consisting of the sequentially corresponding lines from\n"
    "each FILE, separated by TABs, to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -d, --delimiters=LIST   reuse characters from LIST instead of TABs\n"
    "  -s, --serial            paste one file at a time instead of in parallel\n"
    "  -z, --zero-terminated    line delimiter is NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("paste", "paste");

static const struct opt_long longs[] = {{"serial", OPT_NOARG, 's'},
                                        {"delimiters", OPT_ARG, 'd'},
                                        {"zero-terminated", OPT_NOARG, 'z'},
                                        {0}};
static const struct opt_spec spec = {.name = "paste",
                                     .shorts = "d:sz",
                                     .longs = longs,
                                     .help = paste_help,
                                     .authors = "David M. Ihnat and David MacKenzie"};

/* A delimiter; -1 is the empty one (\0). */
struct delims {
    int *d;
    size_t n;
};

static int collapse(struct proc *p, const char *s, struct delims *out)
{
    out->d = p_malloc(p, (strlen(s) + 1) * sizeof(int));
    if (!out->d) return -1;
    size_t n = 0;
    while (*s) {
        if (*s != '\\') {
            out->d[n++] = (unsigned char)*s++;
            continue;
        }
        switch (*++s) {
        case '0': out->d[n++] = -1; break;
        case 'b': out->d[n++] = '\b'; break;
        case 'f': out->d[n++] = '\f'; break;
        case 'n': out->d[n++] = '\n'; break;
        case 'r': out->d[n++] = '\r'; break;
        case 't': out->d[n++] = '\t'; break;
        case 'v': out->d[n++] = '\v'; break;
        case '\\': out->d[n++] = '\\'; break;
        case '\0': out->n = n; return 1;
        default: out->d[n++] = (unsigned char)*s; break;
        }
        s++;
    }
    out->n = n;
    return 0;
}

struct slot {
    struct ibuf *in;
    int fd;
    bool open;
};

static int paste_parallel(struct proc *p, char **files, int n, const struct delims *dl, char eol,
                          struct obuf *o)
{
    struct slot *s = p_calloc(p, (size_t)n, sizeof *s);
    struct ibuf *stdin_buf = NULL;
    if (!s) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    int files_open = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(files[i], "-") == 0) {
            if (!stdin_buf) {
                stdin_buf = p_malloc(p, sizeof *stdin_buf);
                if (!stdin_buf) {
                    cmd_error(p, "memory exhausted");
                    return 1;
                }
                ibuf_init(stdin_buf, p, 0);
            }
            s[i].in = stdin_buf;
            s[i].fd = 0;
        } else {
            int fd = sys_open(p, files[i], O_RDONLY, 0);
            if (fd < 0) {
                cmd_file_error(p, files[i], fd);
                return 1;
            }
            s[i].in = p_malloc(p, sizeof(struct ibuf));
            if (!s[i].in) {
                cmd_error(p, "memory exhausted");
                return 1;
            }
            ibuf_init(s[i].in, p, fd);
            s[i].fd = fd;
        }
        s[i].open = true;
        files_open++;
    }
    char *saved = p_malloc(p, (size_t)n + 1);
    if (!saved) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    int status = 0;
    while (files_open) {
        bool somedone = false;
        size_t di = 0, nsaved = 0;
        for (int i = 0; i < n && files_open; i++) {
            char *rec = NULL;
            ssize_t len = 0;
            if (s[i].open) {
                len = ibuf_getdelim(s[i].in, eol, &rec);
                if (len < 0) {
                    if (len != -EINTR) cmd_file_error(p, files[i], (int)len);
                    status = 1;
                    len = 0;
                }
                if (len > 0 && nsaved) {
                    obuf_write(o, saved, nsaved);
                    nsaved = 0;
                }
            }
            if (len == 0) {
                if (s[i].open) {
                    if (s[i].fd > 0) {
                        ibuf_free(s[i].in);
                        sys_close(p, s[i].fd);
                    }
                    s[i].open = false;
                    files_open--;
                }
                if (i + 1 == n) {
                    if (somedone) {
                        if (nsaved) obuf_write(o, saved, nsaved);
                        nsaved = 0;
                        obuf_putc(o, eol);
                    }
                } else {
                    if (dl->d[di] != -1) saved[nsaved++] = (char)dl->d[di];
                    if (++di == dl->n) di = 0;
                }
            } else {
                somedone = true;
                bool has_eol = rec[len - 1] == eol;
                obuf_write(o, rec, (size_t)len - has_eol);
                if (i + 1 != n) {
                    if (dl->d[di] != -1) obuf_putc(o, (char)dl->d[di]);
                    if (++di == dl->n) di = 0;
                } else
                    obuf_putc(o, eol);
            }
        }
        if (obuf_failed(o) || proc_check(p) < 0) {
            status = 1;
            break;
        }
    }
    if (stdin_buf) ibuf_free(stdin_buf);
    return status;
}

static int paste_serial(struct proc *p, char **files, int n, const struct delims *dl, char eol,
                        struct obuf *o)
{
    int status = 0;
    for (int i = 0; i < n; i++) {
        int fd = cmd_open_input(p, files[i]);
        if (fd < 0) {
            cmd_file_error(p, files[i], fd);
            status = 1;
            continue;
        }
        struct ibuf in;
        ibuf_init(&in, p, fd);
        size_t di = 0;
        bool first = true, ended_eol = false;
        for (;;) {
            char *rec;
            ssize_t len = ibuf_getdelim(&in, eol, &rec);
            if (len < 0) {
                if (len != -EINTR) cmd_file_error(p, files[i], (int)len);
                status = 1;
                break;
            }
            if (len == 0) break;
            if (!first) {
                /* The previous line's terminator becomes a delimiter. */
                if (dl->d[di] != -1) obuf_putc(o, (char)dl->d[di]);
                if (++di == dl->n) di = 0;
            }
            first = false;
            ended_eol = rec[len - 1] == eol;
            obuf_write(o, rec, (size_t)len - ended_eol);
            if (obuf_failed(o) || proc_check(p) < 0) break;
        }
        obuf_putc(o, eol);
        ibuf_free(&in);
        cmd_close_input(p, fd);
    }
    return status;
}

int cmd_paste(struct proc *p, int argc, char **argv)
{
    const char *darg = "\t";
    bool serial = false;
    char eol = '\n';
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'd': darg = o.arg[0] ? o.arg : "\\0"; break;
        case 's': serial = true; break;
        case 'z': eol = '\0'; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    struct delims dl;
    int r = collapse(p, darg, &dl);
    if (r < 0) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    if (r > 0) {
        cmd_error(p, "delimiter list ends with an unescaped backslash: %s", darg);
        return 1;
    }
    static char *dash[] = {"-", NULL};
    char **files = o.ind < argc ? argv + o.ind : dash;
    int n = o.ind < argc ? argc - o.ind : 1;
    struct obuf out;
    obuf_init(&out, p, 1);
    int status = serial ? paste_serial(p, files, n, &dl, eol, &out)
                        : paste_parallel(p, files, n, &dl, eol, &out);
    return cmd_close_stdout(p, &out, status);
}
