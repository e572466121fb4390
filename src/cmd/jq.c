/* jq.c — command-line JSON processor on libjq (Debian's jq 1.6), with the
 * option parsing, input reading (the jq_util_input line logic), output
 * formatting, messages and exit codes of jq 1.6's main.c. Files and stdin
 * are read through the kernel and fed to jv_parser; output goes through
 * the kernel; env/$ENV/input_filename show the VM (see jqcore.h). */
#include "cmd/jqcore.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>

static const char jq_help_text[] =
    "jq - commandline JSON processor [version 1.6]\n"
    "\n"
    "Usage:\tjq [options] <jq filter> [file...]\n"
    "\tjq [options] --args <jq filter> [strings...]\n"
    "\tjq [options] --jsonargs <jq filter> [JSON_TEXTS...]\n"
    "\n"
    "jq is a tool for processing JSON inputs, applying the given filter to\n"
    "its JSON text inputs and producing the filter's results as JSON on\n"
    "standard output.\n"
    "\n"
    "The simplest filter is ., which copies jq's input to its output\n"
    "unmodified (except for formatting, but note that IEEE754 is used\n"
    "for number representation internally, with all that that implies).\n"
    "\n"
    "For more advanced filters see the jq(1) manpage (\"man jq\")\n"
    "and/or https://stedolan.github.io/jq\n"
    "\n"
    "Example:\n"
    "\n"
    "\t$ echo '{\"foo\": 0}' | jq .\n"
    "\t{\n"
    "\t\t\"foo\": 0\n"
    "\t}\n"
    "\n"
    "Some of the options include:\n"
    "  -c               compact instead of pretty-printed output;\n"
    "  -n               use `null` as the single input value;\n"
    "  -e               set the exit status code based on the output;\n"
    "  -s               read (slurp) all inputs into an array; apply filter to it;\n"
    "  -r               output raw strings, not JSON texts;\n"
    "  -R               read raw strings, not JSON texts;\n"
    "  -C               colorize JSON;\n"
    "  -M               monochrome (don't colorize JSON);\n"
    "  -S               sort keys of objects on output;\n"
    "  --tab            use tabs for indentation;\n"
    "  --arg a v        set variable $a to value <v>;\n"
    "  --argjson a v    set variable $a to JSON value <v>;\n"
    "  --slurpfile a f  set variable $a to an array of JSON texts read from <f>;\n"
    "  --rawfile a f    set variable $a to a string consisting of the contents of <f>;\n"
    "  --args           remaining arguments are string arguments, not files;\n"
    "  --jsonargs       remaining arguments are JSON arguments, not files;\n"
    "  --               terminates argument processing;\n"
    "\n"
    "Named arguments are also available as $ARGS.named[], while\n"
    "positional arguments are available as $ARGS.positional[].\n"
    "\n"
    "See the manpage for more options.\n";

enum {
    SLURP = 1, RAW_INPUT = 2, PROVIDE_NULL = 4, RAW_OUTPUT = 8, ASCII_OUTPUT = 16,
    COLOR_OUTPUT = 32, NO_COLOR_OUTPUT = 64, SORTED_OUTPUT = 128, FROM_FILE = 256,
    RAW_NO_LF = 512, UNBUFFERED_OUTPUT = 1024, EXIT_STATUS = 2048, SEQ = 4096,
};

#define LINE_MAX_CHUNK 4095

struct jqin {
    struct jqc *c;
    char **files;
    int nfiles, cur;
    int fd;         /* -1: none open */
    bool fd_stdin;  /* fd is 0: not closed */
    bool eof;       /* the current file hit end of input */
    int failures;
    jv_parser *parser;
    jv slurped;
    jv filename;    /* string or invalid */
    size_t line;
    char *rbuf;     /* read buffer */
    size_t rpos, rlen;
    char chunk[LINE_MAX_CHUNK + 1];
    size_t chunk_len;
};

static const char *progname;

static void die(struct jqc *c)
{
    sbuf_printf(&c->err, "Use %s --help for help with command-line options,\n", progname);
    sbuf_printf(&c->err, "or see the jq manpage, or online docs  at https://stedolan.github.io/jq\n");
}

/* Read more bytes into rbuf (unlocked around the kernel call). */
static ssize_t fill(struct jqin *in)
{
    struct jqc *c = in->c;
    jqc_unlock(c);
    jqc_flush_err(c);
    ssize_t r = proc_check(c->p);
    if (r == 0) r = sys_read(c->p, in->fd, in->rbuf, IO_BUFSIZE);
    jqc_lock(c);
    if (r == -EINTR) c->stop = true;
    return r;
}

/* jq_util_input_read_more: the next line (or 4095 bytes) of the inputs.
 * Returns whether this was the last of all input. */
static int read_more(struct jqin *in)
{
    struct jqc *c = in->c;
    if (in->fd < 0 || in->eof) {
        if (in->fd >= 0) {
            if (!in->fd_stdin) {
                jqc_unlock(c);
                sys_close(c->p, in->fd);
                jqc_lock(c);
            }
            in->fd = -1;
            jv_free(in->filename);
            in->filename = jv_invalid();
            in->line = 0;
        }
        if (in->cur < in->nfiles && !c->stop) {
            const char *f = in->files[in->cur++];
            jv_free(in->filename); /* left set by a file that failed to open */
            in->filename = jv_invalid();
            in->eof = false;
            in->rpos = in->rlen = 0;
            if (!strcmp(f, "-")) {
                in->fd = 0;
                in->fd_stdin = true;
                in->filename = jv_string("<stdin>");
            } else {
                jqc_unlock(c);
                int fd = sys_open(c->p, f, O_RDONLY, 0);
                jqc_lock(c);
                in->fd_stdin = false;
                in->filename = jv_string(f);
                if (fd < 0) {
                    sbuf_printf(&c->err, "jq: error: Could not open file %s: %s\n", f,
                                cmd_strerror(-fd));
                    in->failures++;
                    in->fd = -1;
                } else {
                    in->fd = fd;
                }
            }
            in->line = 0;
        }
    }
    in->chunk_len = 0;
    if (in->fd >= 0) {
        /* fgets: up to a newline or 4095 bytes */
        bool nl = false;
        while (in->chunk_len < LINE_MAX_CHUNK && !nl) {
            if (in->rpos == in->rlen) {
                ssize_t r = fill(in);
                if (r < 0) {
                    if (r != -EINTR) in->failures++;
                    in->eof = true;
                    break;
                }
                if (r == 0) {
                    in->eof = true;
                    break;
                }
                in->rpos = 0;
                in->rlen = (size_t)r;
            }
            size_t want = LINE_MAX_CHUNK - in->chunk_len;
            size_t avail = in->rlen - in->rpos;
            if (avail < want) want = avail;
            char *src = in->rbuf + in->rpos;
            char *q = memchr(src, '\n', want);
            if (q) {
                want = (size_t)(q - src) + 1;
                nl = true;
            }
            memcpy(in->chunk + in->chunk_len, src, want);
            in->chunk_len += want;
            in->rpos += want;
        }
        if (nl) in->line++;
        if (!nl && in->parser) {
            /* fgets data with a NUL: jq takes strlen */
            size_t l = strnlen(in->chunk, in->chunk_len);
            in->chunk_len = l;
        }
        jqc_set_input(c, jv_copy(in->filename), in->line);
    }
    return in->cur == in->nfiles && (in->fd < 0 || in->eof);
}

/* jq_util_input_next_input */
static jv next_input(struct jqin *in)
{
    int is_last = 0, has_more = 0;
    jv value = jv_invalid();
    do {
        if (in->c->stop) return jv_invalid();
        if (!in->parser) {
            is_last = read_more(in);
            if (in->chunk_len) {
                if (jv_is_valid(in->slurped)) {
                    in->slurped = jv_string_concat(in->slurped,
                                                   jv_string_sized(in->chunk, (int)in->chunk_len));
                } else {
                    if (!jv_is_valid(value)) value = jv_string("");
                    if (in->chunk[in->chunk_len - 1] == '\n')
                        return jv_string_concat(value,
                                                jv_string_sized(in->chunk, (int)in->chunk_len - 1));
                    value = jv_string_concat(value, jv_string_sized(in->chunk, (int)in->chunk_len));
                    in->chunk_len = 0;
                }
            }
        } else {
            if (jv_parser_remaining(in->parser) == 0) {
                is_last = read_more(in);
                jv_parser_set_buf(in->parser, in->chunk, (int)in->chunk_len, !is_last);
            }
            value = jv_parser_next(in->parser);
            if (jv_is_valid(in->slurped)) {
                has_more = jv_parser_remaining(in->parser);
                if (jv_is_valid(value)) {
                    in->slurped = jv_array_append(in->slurped, value);
                    value = jv_invalid();
                } else if (jv_invalid_has_msg(jv_copy(value))) {
                    return value;
                }
            } else if (jv_is_valid(value) || jv_invalid_has_msg(jv_copy(value))) {
                return value;
            }
        }
    } while (!is_last || has_more);
    if (jv_is_valid(in->slurped)) {
        value = in->slurped;
        in->slurped = jv_invalid();
    }
    return value;
}

static jv input_cb(jq_state *jq, void *data)
{
    return next_input(data);
}

/* Whole VM file: raw string, or an array of its JSON texts. Invalid with a
 * message on failure (jv_load_file). */
static jv load_file(struct jqc *c, const char *name, bool raw)
{
    jqc_unlock(c);
    struct sbuf sb;
    sbuf_init(&sb, c->p);
    int fd = sys_open(c->p, name, O_RDONLY, 0);
    int err = fd < 0 ? -fd : 0;
    if (fd >= 0) {
        char *buf = p_malloc(c->p, IO_BUFSIZE);
        if (!buf) err = ENOMEM;
        for (ssize_t r; buf && (r = sys_read(c->p, fd, buf, IO_BUFSIZE)) != 0;) {
            if (r < 0) {
                err = (int)-r;
                break;
            }
            sbuf_add(&sb, buf, (size_t)r);
        }
        p_free(c->p, buf);
        sys_close(c->p, fd);
    }
    if (sb.oom) err = ENOMEM;
    jqc_lock(c);
    jv data;
    if (err) {
        data = jv_invalid_with_msg(jv_string_fmt("Could not open %s: %s", name, cmd_strerror(err)));
    } else if (raw) {
        data = jv_string_sized(sb.s ? sb.s : "", (int)sb.len);
    } else {
        jv_parser *parser = jv_parser_new(0);
        jv_parser_set_buf(parser, sb.s ? sb.s : "", (int)sb.len, 0);
        data = jv_array();
        jv value;
        while (jv_is_valid((value = jv_parser_next(parser))))
            data = jv_array_append(data, value);
        if (jv_invalid_has_msg(jv_copy(value))) {
            jv_free(data);
            data = value;
        } else {
            jv_free(value);
        }
        jv_parser_free(parser);
    }
    sbuf_free(&sb);
    return data;
}

struct out {
    struct jqc *c;
    struct obuf o;
    bool unbuffered;
};

static void out_write(struct out *w, const char *s, size_t n)
{
    if (w->o.len + n > w->o.cap) {
        jqc_unlock(w->c);
        jqc_flush_err(w->c);
        if (proc_check(w->c->p) < 0) w->c->stop = true;
        obuf_write(&w->o, s, n);
        jqc_lock(w->c);
    } else {
        obuf_write(&w->o, s, n);
    }
    if (obuf_failed(&w->o)) w->c->stop = true;
}

static void out_flush(struct out *w)
{
    jqc_unlock(w->c);
    jqc_flush_err(w->c);
    obuf_flush(&w->o);
    jqc_lock(w->c);
}

static int process(struct jqc *c, struct jqin *in, struct out *w, jv value, int options,
                   int dumpopts)
{
    int ret = 14;
    jq_start(c->jq, value, 0);
    jv result;
    while (!c->stop && jv_is_valid(result = jq_next(c->jq))) {
        if ((options & RAW_OUTPUT) && jv_get_kind(result) == JV_KIND_STRING) {
            if (options & ASCII_OUTPUT) {
                jv s = jv_dump_string(jv_copy(result), JV_PRINT_ASCII);
                out_write(w, jv_string_value(s), (size_t)jv_string_length_bytes(jv_copy(s)));
                jv_free(s);
            } else {
                out_write(w, jv_string_value(result),
                          (size_t)jv_string_length_bytes(jv_copy(result)));
            }
            ret = 0;
            jv_free(result);
        } else {
            jv_kind k = jv_get_kind(result);
            ret = (k == JV_KIND_FALSE || k == JV_KIND_NULL) ? 11 : 0;
            if (options & SEQ) out_write(w, "\036", 1);
            jv s = jv_dump_string(result, dumpopts);
            out_write(w, jv_string_value(s), (size_t)jv_string_length_bytes(jv_copy(s)));
            jv_free(s);
        }
        if (!(options & RAW_NO_LF)) out_write(w, "\n", 1);
        if (w->unbuffered) out_flush(w);
    }
    if (c->stop) return ret;
    if (jq_halted(c->jq)) {
        jv code = jq_get_exit_code(c->jq);
        if (!jv_is_valid(code))
            ret = 0;
        else if (jv_get_kind(code) == JV_KIND_NUMBER)
            ret = (int)jv_number_value(code);
        else
            ret = 5;
        jv_free(code);
        jv msg = jq_get_error_message(c->jq);
        if (jv_get_kind(msg) == JV_KIND_STRING) {
            sbuf_add(&c->err, jv_string_value(msg), (size_t)jv_string_length_bytes(jv_copy(msg)));
        } else if (jv_get_kind(msg) == JV_KIND_NULL) {
        } else if (jv_is_valid(msg)) {
            msg = jv_dump_string(msg, 0);
            sbuf_printf(&c->err, "%s\n", jv_string_value(msg));
        }
        jv_free(msg);
        ret |= 0x10000; /* exact exit status */
    } else if (jv_invalid_has_msg(jv_copy(result))) {
        jv msg = jv_invalid_get_msg(jv_copy(result));
        jv pos = jv_get_kind(in->filename) == JV_KIND_STRING
                     ? jv_string_fmt("%s:%lu", jv_string_value(in->filename),
                                     (unsigned long)in->line)
                     : jv_string("<unknown>");
        if (jv_get_kind(msg) == JV_KIND_STRING) {
            sbuf_printf(&c->err, "jq: error (at %s): %s\n", jv_string_value(pos),
                        jv_string_value(msg));
        } else {
            msg = jv_dump_string(msg, 0);
            sbuf_printf(&c->err, "jq: error (at %s) (not a string): %s\n", jv_string_value(pos),
                        jv_string_value(msg));
        }
        ret = 5;
        jv_free(pos);
        jv_free(msg);
    }
    jv_free(result);
    return ret;
}

static int isoptarg(const char *t)
{
    return t[0] == '-' && (t[1] == '-' || isalpha((unsigned char)t[1]));
}

static int isoption(const char *text, char shortopt, const char *longopt, size_t *short_opts)
{
    if (text[0] != '-' || text[1] == '-') *short_opts = 0;
    if (text[0] != '-') return 0;
    if (text[1] == '-' && !strcmp(text + 2, longopt)) return 1;
    if (text[1] == '-') return 0;
    if (!shortopt) return 0;
    if (strchr(text, shortopt)) {
        (*short_opts)++;
        return 1;
    }
    return 0;
}

int cmd_jq(struct proc *p, int argc, char **argv)
{
    progname = "jq";
    struct jqc c;
    if (jqc_init(&c, p) < 0) {
        jqc_free(&c);
        p_errorf(p, "memory exhausted");
        return 2;
    }
    struct jqin in = {.c = &c, .fd = -1};
    in.slurped = jv_invalid();
    in.filename = jv_invalid();
    struct out w = {.c = &c};
    obuf_init(&w.o, p, 1);
    int ret = 0, options = 0, parser_flags = 0, dumpopts = JV_PRINT_INDENT_FLAGS(2);
    const char *program = NULL;
    bool further_strings = false, further_json = false, args_done = false;
    jv ARGS = jv_array(), named = jv_object();
    in.files = p_calloc(p, (size_t)argc + 1, sizeof(char *));
    in.rbuf = p_malloc(p, IO_BUFSIZE);
    if (!in.files || !in.rbuf) {
        sbuf_printf(&c.err, "jq: error: memory exhausted\n");
        ret = 2;
        goto out;
    }
    size_t short_opts = 0;
    for (int i = 1; i < argc; i++, short_opts = 0) {
        const char *text = argv[i];
        if (args_done) {
            if (further_strings) {
                ARGS = jv_array_append(ARGS, jv_string(text));
            } else if (further_json) {
                jv v = jv_parse(text);
                if (!jv_is_valid(v)) {
                    jv_free(v);
                    sbuf_printf(&c.err, "%s: invalid JSON text passed to --jsonargs\n", progname);
                    die(&c);
                    ret = 2;
                    goto out;
                }
                ARGS = jv_array_append(ARGS, v);
            } else {
                in.files[in.nfiles++] = argv[i];
            }
        } else if (!strcmp(text, "--")) {
            if (!program) {
                const char *cut = strstr(jq_help_text, "Some of the options");
                sbuf_add(&c.err, jq_help_text, (size_t)(cut - jq_help_text));
                sbuf_printf(&c.err, "For a listing of options, use %s --help.\n", progname);
                ret = 2;
                goto out;
            }
            args_done = true;
        } else if (!isoptarg(text)) {
            if (program) {
                if (further_strings) {
                    ARGS = jv_array_append(ARGS, jv_string(text));
                } else if (further_json) {
                    jv v = jv_parse(text);
                    if (!jv_is_valid(v)) {
                        jv_free(v);
                        sbuf_printf(&c.err, "%s: invalid JSON text passed to --jsonargs\n",
                                    progname);
                        die(&c);
                        ret = 2;
                        goto out;
                    }
                    ARGS = jv_array_append(ARGS, v);
                } else {
                    in.files[in.nfiles++] = argv[i];
                }
            } else {
                program = text;
            }
        } else {
            if (text[1] == 'L') {
                sbuf_printf(&c.err, "%s: -L is not supported in vos: jq modules cannot be "
                                    "loaded (no library path reaches files)\n",
                            progname);
                ret = 2;
                goto out;
            }
            if (isoption(text, 's', "slurp", &short_opts)) {
                options |= SLURP;
                if (!short_opts) continue;
            }
            if (isoption(text, 'r', "raw-output", &short_opts)) {
                options |= RAW_OUTPUT;
                if (!short_opts) continue;
            }
            if (isoption(text, 'c', "compact-output", &short_opts)) {
                dumpopts &= ~(JV_PRINT_TAB | JV_PRINT_INDENT_FLAGS(7));
                if (!short_opts) continue;
            }
            if (isoption(text, 'C', "color-output", &short_opts)) {
                options |= COLOR_OUTPUT;
                if (!short_opts) continue;
            }
            if (isoption(text, 'M', "monochrome-output", &short_opts)) {
                options |= NO_COLOR_OUTPUT;
                if (!short_opts) continue;
            }
            if (isoption(text, 'a', "ascii-output", &short_opts)) {
                options |= ASCII_OUTPUT;
                if (!short_opts) continue;
            }
            if (isoption(text, 0, "unbuffered", &short_opts)) {
                options |= UNBUFFERED_OUTPUT;
                if (!short_opts) continue;
            }
            if (isoption(text, 'S', "sort-keys", &short_opts)) {
                options |= SORTED_OUTPUT;
                if (!short_opts) continue;
            }
            if (isoption(text, 'R', "raw-input", &short_opts)) {
                options |= RAW_INPUT;
                if (!short_opts) continue;
            }
            if (isoption(text, 'n', "null-input", &short_opts)) {
                options |= PROVIDE_NULL;
                if (!short_opts) continue;
            }
            if (isoption(text, 'f', "from-file", &short_opts)) {
                options |= FROM_FILE;
                if (!short_opts) continue;
            }
            if (isoption(text, 'j', "join-output", &short_opts)) {
                options |= RAW_OUTPUT | RAW_NO_LF;
                if (!short_opts) continue;
            }
            if (isoption(text, 0, "tab", &short_opts)) {
                dumpopts &= ~JV_PRINT_INDENT_FLAGS(7);
                dumpopts |= JV_PRINT_TAB | JV_PRINT_PRETTY;
                continue;
            }
            if (isoption(text, 0, "indent", &short_opts)) {
                if (i >= argc - 1) {
                    sbuf_printf(&c.err, "%s: --indent takes one parameter\n", progname);
                    die(&c);
                    ret = 2;
                    goto out;
                }
                dumpopts &= ~(JV_PRINT_TAB | JV_PRINT_INDENT_FLAGS(7));
                int indent = atoi(argv[i + 1]);
                if (indent < -1 || indent > 7) {
                    sbuf_printf(&c.err, "%s: --indent takes a number between -1 and 7\n",
                                progname);
                    die(&c);
                    ret = 2;
                    goto out;
                }
                dumpopts |= JV_PRINT_INDENT_FLAGS(indent);
                i++;
                continue;
            }
            if (isoption(text, 0, "seq", &short_opts)) {
                options |= SEQ;
                continue;
            }
            if (isoption(text, 0, "stream", &short_opts)) {
                parser_flags |= JV_PARSE_STREAMING;
                continue;
            }
            if (isoption(text, 0, "stream-errors", &short_opts)) {
                parser_flags |= JV_PARSE_STREAMING | JV_PARSE_STREAM_ERRORS;
                continue;
            }
            if (isoption(text, 'e', "exit-status", &short_opts)) {
                options |= EXIT_STATUS;
                if (!short_opts) continue;
            }
            if (isoption(text, 0, "args", &short_opts)) {
                further_strings = true;
                further_json = false;
                continue;
            }
            if (isoption(text, 0, "jsonargs", &short_opts)) {
                further_strings = false;
                further_json = true;
                continue;
            }
            if (isoption(text, 0, "arg", &short_opts)) {
                if (i >= argc - 2) {
                    sbuf_printf(&c.err,
                                "%s: --arg takes two parameters (e.g. --arg varname value)\n",
                                progname);
                    die(&c);
                    ret = 2;
                    goto out;
                }
                if (!jv_object_has(jv_copy(named), jv_string(argv[i + 1])))
                    named = jv_object_set(named, jv_string(argv[i + 1]), jv_string(argv[i + 2]));
                i += 2;
                continue;
            }
            if (isoption(text, 0, "argjson", &short_opts)) {
                if (i >= argc - 2) {
                    sbuf_printf(&c.err,
                                "%s: --argjson takes two parameters (e.g. --argjson varname "
                                "text)\n",
                                progname);
                    die(&c);
                    ret = 2;
                    goto out;
                }
                if (!jv_object_has(jv_copy(named), jv_string(argv[i + 1]))) {
                    jv v = jv_parse(argv[i + 2]);
                    if (!jv_is_valid(v)) {
                        jv_free(v);
                        sbuf_printf(&c.err, "%s: invalid JSON text passed to --argjson\n",
                                    progname);
                        die(&c);
                        ret = 2;
                        goto out;
                    }
                    named = jv_object_set(named, jv_string(argv[i + 1]), v);
                }
                i += 2;
                continue;
            }
            bool raw = false;
            if (isoption(text, 0, "argfile", &short_opts) ||
                isoption(text, 0, "slurpfile", &short_opts) ||
                (raw = isoption(text, 0, "rawfile", &short_opts))) {
                const char *which = text + 2;
                if (i >= argc - 2) {
                    sbuf_printf(&c.err,
                                "%s: --%s takes two parameters (e.g. --%s varname filename)\n",
                                progname, which, which);
                    die(&c);
                    ret = 2;
                    goto out;
                }
                if (!jv_object_has(jv_copy(named), jv_string(argv[i + 1]))) {
                    jv data = load_file(&c, argv[i + 2], raw);
                    if (!jv_is_valid(data)) {
                        data = jv_invalid_get_msg(data);
                        sbuf_printf(&c.err, "%s: Bad JSON in --%s %s %s: %s\n", progname, which,
                                    argv[i + 1], argv[i + 2], jv_string_value(data));
                        jv_free(data);
                        ret = 2;
                        goto out;
                    }
                    if (!strcmp(which, "argfile") && jv_get_kind(data) == JV_KIND_ARRAY &&
                        jv_array_length(jv_copy(data)) == 1)
                        data = jv_array_get(data, 0);
                    named = jv_object_set(named, jv_string(argv[i + 1]), data);
                }
                i += 2;
                continue;
            }
            if (isoption(text, 'h', "help", &short_opts)) {
                jqc_unlock(&c);
                obuf_write(&w.o, jq_help_text, strlen(jq_help_text));
                jqc_lock(&c);
                ret = 0;
                goto out;
            }
            if (isoption(text, 'V', "version", &short_opts)) {
                jqc_unlock(&c);
                obuf_puts(&w.o, "jq-1.6\n");
                jqc_lock(&c);
                ret = 0;
                goto out;
            }
            if (strlen(text) != short_opts + 1) {
                sbuf_printf(&c.err, "%s: Unknown option %s\n", progname, text);
                die(&c);
                ret = 2;
                goto out;
            }
        }
    }

    if (options & COLOR_OUTPUT) dumpopts |= JV_PRINT_COLOR;
    if (options & NO_COLOR_OUTPUT) dumpopts &= ~JV_PRINT_COLOR;
    if (options & SORTED_OUTPUT) dumpopts |= JV_PRINT_SORTED;
    if (options & ASCII_OUTPUT) dumpopts |= JV_PRINT_ASCII;
    if (!program) program = ".";
    w.unbuffered = options & UNBUFFERED_OUTPUT;

    jv prog_text = jv_invalid();
    if (options & FROM_FILE) {
        prog_text = load_file(&c, program, true);
        if (!jv_is_valid(prog_text)) {
            jv msg = jv_invalid_get_msg(prog_text);
            sbuf_printf(&c.err, "%s: %s\n", progname, jv_string_value(msg));
            jv_free(msg);
            ret = 2;
            goto out;
        }
        program = jv_string_value(prog_text);
    }
    jv all = jv_copy(named);
    all = jv_object_set(all, jv_string("ARGS"),
                        JV_OBJECT(jv_string("positional"), ARGS, jv_string("named"),
                                  jv_copy(named)));
    ARGS = jv_invalid();
    int ok = jqc_compile(&c, program, all);
    jv_free(prog_text);
    if (!ok) {
        ret = 3;
        goto out;
    }

    if (options & RAW_INPUT) {
        in.parser = NULL;
    } else {
        in.parser = jv_parser_new((options & SEQ) ? parser_flags | JV_PARSE_SEQ : parser_flags);
    }
    if (options & SLURP) in.slurped = (options & RAW_INPUT) ? jv_string("") : jv_array();
    if (in.nfiles == 0) in.files[in.nfiles++] = "-";
    jq_set_input_cb(c.jq, input_cb, &in);

    if (options & PROVIDE_NULL) {
        ret = process(&c, &in, &w, jv_null(), options, dumpopts);
    } else {
        jv value;
        while (!c.stop && in.failures == 0 &&
               (jv_is_valid((value = next_input(&in))) || jv_invalid_has_msg(jv_copy(value)))) {
            if (jv_is_valid(value)) {
                ret = process(&c, &in, &w, value, options, dumpopts);
                continue;
            }
            jv msg = jv_invalid_get_msg(value);
            if (!(options & SEQ)) {
                ret = 4;
                sbuf_printf(&c.err, "parse error: %s\n", jv_string_value(msg));
                jv_free(msg);
                break;
            }
            sbuf_printf(&c.err, "ignoring parse error: %s\n", jv_string_value(msg));
            jv_free(msg);
        }
    }
    if (in.failures != 0) ret = 2;

out:
    jv_free(ARGS);
    jv_free(named);
    if (in.parser) jv_parser_free(in.parser);
    jv_free(in.slurped);
    jv_free(in.filename);
    jqc_unlock(&c);
    if (in.fd > 0 && !in.fd_stdin) sys_close(p, in.fd);
    jqc_free(&c);
    if (obuf_flush(&w.o) < 0 && w.o.err != -EPIPE && w.o.err != -EINTR) {
        p_printf(p, 2, "jq: error: writing output failed: %s\n", cmd_strerror(-w.o.err));
        ret = 2;
    }
    obuf_free(&w.o);
    if (ret & 0x10000) return ret & 0xff;
    if (ret >= 10 && (options & EXIT_STATUS)) return ret - 10;
    if (ret >= 10) return 0;
    return ret;
}
