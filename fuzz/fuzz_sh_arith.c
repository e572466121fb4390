/* fuzz_sh_arith.c — bash arithmetic on arbitrary text, with a variable
 * store whose values are parts of the input (so recursion through values,
 * arrays and assignments are reached). Must never crash, leak or hang. */
#include "sh/arith.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store {
    const char *vals[4]; /* a b c d: slices of the input */
    intmax_t set[4];
};

static int get(void *ctx, const char *name, const char *sub, char **value)
{
    struct store *s = ctx;
    *value = NULL;
    if (name[0] >= 'a' && name[0] <= 'd' && !name[1]) *value = strdup(s->vals[name[0] - 'a']);
    return 0;
}

static int set(void *ctx, const char *name, const char *sub, intmax_t v)
{
    struct store *s = ctx;
    if (name[0] >= 'a' && name[0] <= 'd' && !name[1]) s->set[name[0] - 'a'] = v;
    return 0;
}

static bool assoc(void *ctx, const char *name)
{
    return name[0] == 'h';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* input: expr \n a \n b \n c \n d */
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = 0;
    struct store s = {{"", "", "", ""}, {0}};
    char *p = buf, *expr = buf;
    for (int i = 0; i < 5 && p; i++) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        if (i == 0)
            expr = p;
        else
            s.vals[i - 1] = p;
        p = nl ? nl + 1 : NULL;
    }
    struct sh_arith_ops ops = {&s, get, set, assoc};
    intmax_t r;
    char *msg;
    sh_arith_eval(expr, &ops, &r, &msg);
    free(msg);
    free(buf);
    return 0;
}
