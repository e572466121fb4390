/* jqcore.c — libjq confined to the VM: see jqcore.h. */
#include "cmd/jqcore.h"

#include <ctype.h>
#include <pthread.h>

extern char **environ;

static pthread_mutex_t jq_mutex = PTHREAD_MUTEX_INITIALIZER;
static char *empty_env[] = {NULL};

/* One line, so $__loc__ and line numbers of errors stay the user's. */
static const char prefix[] = "def input_filename: get_jq_origin; "
                             "def input_line_number: get_prog_origin; "
                             "def stderr: [\"\\u0000vos:stderr\", .] | debug | .[1]; "
                             "$__vos_env as $ENV | ";
#define PREFIX_LEN (sizeof prefix - 1)

static void install_state(struct jqc *c)
{
    c->saved_env = environ;
    environ = c->p->env ? c->p->env : empty_env;
    const char *colors = proc_getenv(c->p, "JQ_COLORS");
    if (!colors || !jq_set_colors(colors)) jq_set_colors("");
}

void jqc_lock(struct jqc *c)
{
    if (c->locked) return;
    pthread_mutex_lock(&jq_mutex);
    c->locked = true;
    install_state(c);
}

void jqc_unlock(struct jqc *c)
{
    if (!c->locked) return;
    environ = c->saved_env;
    c->locked = false;
    pthread_mutex_unlock(&jq_mutex);
}

/* Drop the lines-1 prefix from a located message. */
static jv fix_msg(jv msg)
{
    const char *s = jv_string_value(msg);
    const char *at = strstr(s, " at <top-level>, line 1:\n");
    if (!at) return msg;
    const char *body = at + strlen(" at <top-level>, line 1:\n");
    if (strncmp(body, prefix, PREFIX_LEN) != 0) return msg;
    size_t len = strlen(s);
    size_t trail = 0;
    while (trail < PREFIX_LEN && len - trail > (size_t)(body - s) + PREFIX_LEN &&
           s[len - trail - 1] == ' ')
        trail++;
    jv out = jv_string_sized(s, (int)(body - s));
    out = jv_string_append_buf(out, body + PREFIX_LEN, (int)(len - trail - (size_t)(body - s) -
                                                              PREFIX_LEN));
    jv_free(msg);
    return out;
}

static void err_cb(void *data, jv msg)
{
    struct jqc *c = data;
    msg = jq_format_error(msg);
    msg = fix_msg(msg);
    sbuf_add(&c->err, jv_string_value(msg), (size_t)jv_string_length_bytes(jv_copy(msg)));
    sbuf_addc(&c->err, '\n');
    jv_free(msg);
}

static void debug_cb(void *data, jv input)
{
    struct jqc *c = data;
    if (jv_get_kind(input) == JV_KIND_ARRAY && jv_array_length(jv_copy(input)) == 2) {
        jv tag = jv_array_get(jv_copy(input), 0);
        bool mine = jv_get_kind(tag) == JV_KIND_STRING &&
                    jv_string_length_bytes(jv_copy(tag)) == 11 &&
                    memcmp(jv_string_value(tag), "\0vos:stderr", 11) == 0;
        jv_free(tag);
        if (mine) {
            jv s = jv_dump_string(jv_array_get(input, 1), 0);
            sbuf_add(&c->err, jv_string_value(s), (size_t)jv_string_length_bytes(jv_copy(s)));
            jv_free(s);
            return;
        }
    }
    jv s = jv_dump_string(JV_ARRAY(jv_string("DEBUG:"), input), 0);
    sbuf_add(&c->err, jv_string_value(s), (size_t)jv_string_length_bytes(jv_copy(s)));
    sbuf_addc(&c->err, '\n');
    jv_free(s);
}

int jqc_init(struct jqc *c, struct proc *p)
{
    memset(c, 0, sizeof *c);
    c->p = p;
    sbuf_init(&c->err, p);
    jqc_lock(c);
    c->jq = jq_init();
    if (!c->jq) return -1;
    jq_set_error_cb(c->jq, err_cb, c);
    jq_set_debug_cb(c->jq, debug_cb, c);
    jq_set_attr(c->jq, jv_string("JQ_LIBRARY_PATH"), jv_array());
    jq_set_attr(c->jq, jv_string("JQ_ORIGIN"), jv_null());
    jq_set_attr(c->jq, jv_string("PROGRAM_ORIGIN"), jv_number(0));
    return 0;
}

/* Is the first token `import`, `include` or `module`? */
static bool uses_modules(const char *s)
{
    for (;;) {
        while (isspace((unsigned char)*s)) s++;
        if (*s != '#') break;
        while (*s && *s != '\n') s++;
    }
    static const char *const kw[] = {"import", "include", "module"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(kw[i]);
        if (strncmp(s, kw[i], n) == 0 && !isalnum((unsigned char)s[n]) && s[n] != '_')
            return true;
    }
    return false;
}

int jqc_compile(struct jqc *c, const char *program, jv args)
{
    if (uses_modules(program)) {
        sbuf_printf(&c->err, "jq: error: modules (import, include, module) are not "
                             "available in vos: no library path reaches files\n"
                             "jq: 1 compile error\n");
        jv_free(args);
        return 0;
    }
    size_t n = strlen(program);
    char *text = p_malloc(c->p, PREFIX_LEN + n + 1);
    if (!text) {
        jv_free(args);
        sbuf_printf(&c->err, "jq: error: memory exhausted\n");
        return 0;
    }
    memcpy(text, prefix, PREFIX_LEN);
    memcpy(text + PREFIX_LEN, program, n + 1);
    /* $ENV: libjq 1.6 binds it to the host environ at compile time, inside
     * the named arguments; the prefix rebinds it to the VM's. */
    jv env = jv_object();
    for (char **e = c->p->env; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        env = jv_object_set(env, jv_string_sized(*e, (int)(eq - *e)), jv_string(eq + 1));
    }
    args = jv_object_set(args, jv_string("__vos_env"), env);
    environ = empty_env; /* no HOME: libjq must not import the host's ~/.jq */
    int ok = jq_compile_args(c->jq, text, args);
    environ = c->p->env ? c->p->env : empty_env;
    p_free(c->p, text);
    return ok;
}

void jqc_set_input(struct jqc *c, jv filename, size_t line)
{
    jq_set_attr(c->jq, jv_string("JQ_ORIGIN"), filename);
    jq_set_attr(c->jq, jv_string("PROGRAM_ORIGIN"), jv_number((double)line));
}

void jqc_flush_err(struct jqc *c)
{
    if (c->locked || !c->err.len) return;
    io_write_all(c->p, 2, c->err.s, c->err.len);
    c->err.len = 0;
    if (c->err.s) c->err.s[0] = 0;
}

void jqc_free(struct jqc *c)
{
    jqc_lock(c);
    if (c->jq) jq_teardown(&c->jq);
    jqc_unlock(c);
    jqc_flush_err(c);
    sbuf_free(&c->err);
}
