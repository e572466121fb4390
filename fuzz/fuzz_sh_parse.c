/* fuzz/fuzz_sh_parse.c — libFuzzer target for the shell front end: parse
 * the input one complete command at a time (with aliases and extglob
 * chosen by the first byte), print each command the way `declare -f`
 * would, re-parse the printed text (it must parse), and check that printing
 * is a fixed point and that deep copies print the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sh/parse.h"

static const char *fuzz_alias(void *ctx, const char *name)
{
    (void)ctx;
    static const char *const tab[][2] = {
        {"ll", "ls -l "}, {"e", "echo "}, {"ls", "ls -F"}, {"t", "if true; then"},
        {"q", "'"},       {"n", "e n "},  {"b", "{ "},     {"x", "x=1 "},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (!strcmp(tab[i][0], name)) return tab[i][1];
    return NULL;
}

/* A here-document ended by end of file prints as text that does not read
 * back (in bash too), so such commands skip the re-parse check. */
static void fuzz_warn(void *ctx, int line, const char *msg)
{
    (void)line;
    (void)msg;
    *(int *)ctx = 1;
}

static void check(int ok)
{
    if (!ok) __builtin_trap();
}

/* Printed text of one command as a function body; NULL if it fails. */
static char *print_as_function(const struct sh_node *n)
{
    return sh_print_function("f", n);
}

/* Parses text as one function definition and prints it again. */
static char *print_parsed(const char *text, int extglob)
{
    struct sh_parse_opts o = {0};
    o.extglob = extglob;
    struct sh_parser *p = sh_parser_new(text, strlen(text), &o);
    check(p != NULL);
    struct sh_node *n = NULL;
    int rc = sh_parse_next(p, &n);
    check(rc == 1 && n && n->kind == SH_N_FUNCDEF);
    char *again = sh_print_function(NULL, n);
    check(again != NULL);
    sh_parser_free(p);
    return again;
}

/* The printed function must parse back; printing is then stable (bash's
 * printer itself moves a space after a here-doc on the first round trip,
 * so the fixed point is checked from the second print on). */
static void reparse(const char *text, int extglob)
{
    char *s2 = print_parsed(text, extglob);
    if (strcmp(s2, text)) {
        char *s3 = print_parsed(s2, extglob);
        check(!strcmp(s2, s3));
        free(s3);
    }
    free(s2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    struct sh_parse_opts o = {0};
    o.extglob = data[0] & 1;
    if (data[0] & 2) o.alias = fuzz_alias;
    o.max_depth = 200;
    int warned = 0;
    o.warn = fuzz_warn;
    o.ctx = &warned;
    struct sh_parser *p = sh_parser_new((const char *)data + 1, size - 1, &o);
    if (!p) return 0;
    struct sh_arena *copy = sh_arena_new();
    struct sh_node *n;
    while (sh_parse_next(p, &n) > 0) {
        char *s = print_as_function(n);
        check(s != NULL);
        struct sh_node *c = sh_node_copy(copy, n);
        check(c != NULL);
        char *s2 = print_as_function(c);
        check(s2 && !strcmp(s, s2));
        free(s2);
        /* aliases change meaning on re-parse */
        /* bash prints `coproc cmd` as `coproc COPROC cmd`, which reads back
         * differently, so those are not re-parsed either */
        if (!(data[0] & 2) && !warned && !strstr(s, "coproc ")) reparse(s, o.extglob);
        warned = 0;
        free(s);
        char *one = sh_print_command(n);
        check(one != NULL);
        free(one);
    }
    sh_arena_free(copy);
    sh_parser_free(p);
    return 0;
}
