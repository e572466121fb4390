/* gnuregex.c — see gnuregex.h. */
#include "lib/gnuregex.h"

#include <dlfcn.h>
#include <pthread.h>

typedef const char *(*compile_fn)(const char *, size_t, struct re_pattern_buffer *);
typedef regoff_t (*search_fn)(struct re_pattern_buffer *, const char *, regoff_t, regoff_t,
                              regoff_t, struct re_registers *);
typedef void (*free_fn)(regex_t *);

static compile_fn g_compile;
static search_fn g_search;
static free_fn g_free;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t syntax_lock = PTHREAD_MUTEX_INITIALIZER;

static void *glibc_sym(void *libc, const char *name)
{
    void *f = libc ? dlvsym(libc, name, "GLIBC_2.2.5") : NULL;
    return f ? f : dlsym(RTLD_DEFAULT, name);
}

static void resolve(void)
{
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    g_compile = (compile_fn)glibc_sym(libc, "re_compile_pattern");
    g_search = (search_fn)glibc_sym(libc, "re_search");
    g_free = (free_fn)glibc_sym(libc, "regfree");
}

const char *gre_compile(struct re_pattern_buffer *b, const char *pat, size_t len,
                        reg_syntax_t syntax)
{
    pthread_once(&once, resolve);
    pthread_mutex_lock(&syntax_lock);
    reg_syntax_t saved = re_syntax_options;
    re_syntax_options = syntax;
    const char *err = g_compile(pat, len, b);
    re_syntax_options = saved;
    pthread_mutex_unlock(&syntax_lock);
    return err;
}

regoff_t gre_search(struct re_pattern_buffer *b, const char *s, regoff_t len, regoff_t start,
                    regoff_t range, struct re_registers *regs)
{
    pthread_once(&once, resolve);
    return g_search(b, s, len, start, range, regs);
}

void gre_free(struct re_pattern_buffer *b)
{
    pthread_once(&once, resolve);
    g_free(b);
}
