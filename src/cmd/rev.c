/* rev.c — reverse the characters of each line (util-linux 2.38 rev):
 * UTF-8 characters in a UTF-8 locale, bytes otherwise; an invalid
 * sequence ends that file with util-linux's "NAME: LINE: ..." message. */
#include "cmd/cmd.h"

#include <fcntl.h>

static const char rev_help[] = "Usage: %s [options] [file ...]\n"
                               "\n"
                               "Reverse lines characterwise.\n"
                               "\n"
                               "Options:\n"
                               " -h, --help     display this help\n"
                               " -V, --version  display version\n"
                               "\n"
                               "For more details see rev(1).\n";

static const struct opt_long longs[] = {{"help", OPT_NOARG, 'h'}, {"version", OPT_NOARG, 'V'}, {0}};
static const struct opt_spec spec = {.name = "rev",
                                     .shorts = "hV",
                                     .longs = longs,
                                     .help = rev_help,
                                     .version = "rev from util-linux 2.38.1\n",
                                     .flags = OPT_NO_HELP};

/* Reverse one line (without its newline) into out; false on bad UTF-8. */
static bool rev_line(struct obuf *o, const char *s, size_t n, bool utf8, char *tmp)
{
    if (!utf8) {
        for (size_t i = 0; i < n; i++) tmp[i] = s[n - 1 - i];
        obuf_write(o, tmp, n);
        return true;
    }
    /* Copy characters from the end of tmp backwards. */
    size_t i = 0, end = n;
    while (i < n) {
        uint32_t cp;
        int k = cmd_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k <= 0) return false;
        end -= (size_t)k;
        memcpy(tmp + end, s + i, (size_t)k);
        i += (size_t)k;
    }
    obuf_write(o, tmp, n);
    return true;
}

int cmd_rev(struct proc *p, int argc, char **argv)
{
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'h': return opt_help(&o);
        case 'V': return opt_version(&o);
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    bool utf8 = cmd_utf8_locale(p);
    static char *dash[] = {"-", NULL};
    char **files = o.ind < argc ? argv + o.ind : dash;
    int n = o.ind < argc ? argc - o.ind : 1;
    struct obuf out;
    obuf_init(&out, p, 1);
    int status = 0;
    char *tmp = NULL;
    size_t tcap = 0;
    for (int f = 0; f < n && !obuf_failed(&out); f++) {
        bool is_stdin = strcmp(files[f], "-") == 0 && o.ind >= argc;
        const char *name = is_stdin ? "stdin" : files[f];
        int fd = is_stdin ? 0 : sys_open(p, files[f], O_RDONLY, 0);
        if (fd < 0) {
            cmd_errno(p, fd, "cannot open %s", files[f]);
            status = 1;
            continue;
        }
        struct ibuf in;
        ibuf_init(&in, p, fd);
        uintmax_t line = 0;
        for (;;) {
            char *rec;
            ssize_t len = ibuf_getdelim(&in, '\n', &rec);
            if (len < 0) {
                if (len != -EINTR) cmd_errno(p, (int)len, "%s: %ju", name, line);
                status = 1;
                break;
            }
            if (len == 0) break;
            bool nl = rec[len - 1] == '\n';
            size_t l = (size_t)len - nl;
            if (tcap < l + 1) {
                tcap = l + 1;
                char *t = p_realloc(p, tmp, tcap);
                if (!t) {
                    cmd_error(p, "memory exhausted");
                    status = 1;
                    break;
                }
                tmp = t;
            }
            if (!rev_line(&out, rec, l, utf8, tmp)) {
                cmd_errno(p, -EILSEQ, "%s: %ju", name, line);
                status = 1;
                break;
            }
            if (nl) obuf_putc(&out, '\n');
            line++;
            if ((line & 0xffff) == 0 && proc_check(p) < 0) break;
        }
        ibuf_free(&in);
        if (fd > 0) sys_close(p, fd);
    }
    return cmd_close_stdout(p, &out, status);
}
