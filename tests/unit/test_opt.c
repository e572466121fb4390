/* test_opt.c — the shared option parser (lib/opt.c), number parsing, and
 * the quoting and buffered I/O of lib/io.c. Each test runs its body as a
 * host binding inside a VM, so the parser sees a real process and its
 * messages land in the exec's stdout/stderr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/kernel.h"
#include "lib/io.h"
#include "lib/opt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*body_fn)(struct proc *p, int argc, char **argv);

static int trampoline(vos_proc *vp, int argc, char **argv, void *userdata)
{
    return ((body_fn)userdata)((struct proc *)vp, argc, argv);
}

/* Run body as command "t" with argv (NULL-terminated) and optional env. */
static int run(body_fn body, const char *const *env, vos_result *r, ...)
{
    vos_vm *vm = vos_new(NULL);
    assert_non_null(vm);
    assert_int_equal(vos_register_command(vm, "t", trampoline, (void *)body), 0);
    char *argv[32];
    va_list ap;
    va_start(ap, r);
    int n = 0;
    for (char *a; (a = va_arg(ap, char *)) && n < 31;) argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    vos_exec_opts o = {.env = env};
    assert_int_equal(vos_run(vm, argv, &o, r), 0);
    vos_free(vm);
    return r->status;
}

/* ---- a test command: prints every option it sees, then the operands ---- */

static const struct opt_long demo_longs[] = {{"verbose", OPT_NOARG, 'v'},
                                             {"lines", OPT_ARG, 'n'},
                                             {"color", OPT_OPTARG, 256},
                                             {"verbatim", OPT_NOARG, 257},
                                             {"silent", OPT_NOARG, 'q'},
                                             {"quiet", OPT_NOARG, 'q'},
                                             {0}};
static const struct opt_spec demo = {.name = "demo",
                                     .shorts = "vn:c::q",
                                     .longs = demo_longs,
                                     .help = "Usage: %s [OPTION]... 100%%\n",
                                     .authors = "A and B"};

static int demo_main(struct proc *p, int argc, char **argv)
{
    struct opt_state o;
    struct sbuf sb;
    sbuf_init(&sb, p);
    opt_init(&o, p, &demo, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        if (c == OPT_EXIT) {
            sbuf_free(&sb);
            return o.status;
        }
        if (c < 256)
            sbuf_printf(&sb, "-%c", c);
        else
            sbuf_printf(&sb, "#%d", c);
        if (o.arg) sbuf_printf(&sb, "=%s", o.arg);
        sbuf_addc(&sb, ' ');
    }
    sbuf_add(&sb, "|", 1);
    for (int i = o.ind; i < argc; i++) sbuf_printf(&sb, " %s", argv[i]);
    sbuf_addc(&sb, '\n');
    p_write_all(p, 1, sb.s, sb.len);
    sbuf_free(&sb);
    return 0;
}

#define DEMO(res, ...) run(demo_main, NULL, &res, "t", __VA_ARGS__, (char *)NULL)

static void expect(vos_result *r, int status, const char *out, const char *err)
{
    assert_int_equal(r->status, status);
    assert_string_equal(r->out ? r->out : "", out);
    assert_string_equal(r->err ? r->err : "", err);
    vos_result_free(r);
}

static void test_clusters_and_args(void **state)
{
    vos_result r;
    DEMO(r, "-vq", "-n5", "-n", "7", "x");
    expect(&r, 0, "-v -q -n=5 -n=7 | x\n", "");
    DEMO(r, "-vn", "3", "y");
    expect(&r, 0, "-v -n=3 | y\n", "");
    DEMO(r, "-n", "-v");
    expect(&r, 0, "-n=-v |\n", "");
    DEMO(r, "-c", "-cred");
    expect(&r, 0, "-c -c=red |\n", "");
}

static void test_permutation(void **state)
{
    vos_result r;
    DEMO(r, "a", "-v", "b", "--lines=2", "c");
    expect(&r, 0, "-v -n=2 | a b c\n", "");
    DEMO(r, "a", "--", "-v", "b");
    expect(&r, 0, "| a -v b\n", "");
    DEMO(r, "-", "-v");
    expect(&r, 0, "-v | -\n", "");
    /* POSIXLY_CORRECT stops at the first operand */
    const char *env[] = {"POSIXLY_CORRECT=1", NULL};
    run(demo_main, env, &r, "t", "a", "-v", (char *)NULL);
    expect(&r, 0, "| a -v\n", "");
}

static void test_long_options(void **state)
{
    vos_result r;
    DEMO(r, "--verbose", "--lines", "4", "--lines=5", "--color", "--color=auto");
    expect(&r, 0, "-v -n=4 -n=5 #256 #256=auto |\n", "");
    DEMO(r, "--verbo", "--li=1", "--col");
    expect(&r, 0, "-v -n=1 #256 |\n", "");
    /* same target: not ambiguous */
    DEMO(r, "--s", "--qu");
    expect(&r, 0, "-q -q |\n", "");
    DEMO(r, "--verb");
    expect(&r, 1, "",
           "t: option '--verb' is ambiguous; possibilities: '--verbose' '--verbatim'\n"
           "Try 't --help' for more information.\n");
    DEMO(r, "--v=1");
    expect(&r, 1, "",
           "t: option '--v=1' is ambiguous; possibilities: '--verbose' '--verbatim' "
           "'--version'\nTry 't --help' for more information.\n");
}

static void test_errors(void **state)
{
    vos_result r;
    DEMO(r, "-z");
    expect(&r, 1, "", "t: invalid option -- 'z'\nTry 't --help' for more information.\n");
    DEMO(r, "-n");
    expect(&r, 1, "",
           "t: option requires an argument -- 'n'\nTry 't --help' for more information.\n");
    DEMO(r, "--lines");
    expect(&r, 1, "",
           "t: option '--lines' requires an argument\nTry 't --help' for more information.\n");
    DEMO(r, "--verbose=x");
    expect(&r, 1, "",
           "t: option '--verbose' doesn't allow an argument\n"
           "Try 't --help' for more information.\n");
    DEMO(r, "--nope=1");
    expect(&r, 1, "", "t: unrecognized option '--nope=1'\nTry 't --help' for more information.\n");
}

static void test_help_version(void **state)
{
    vos_result r;
    DEMO(r, "--help", "-z");
    expect(&r, 0, "Usage: t [OPTION]... 100%\n", "");
    DEMO(r, "--vers");
    expect(&r, 0,
           "demo (GNU coreutils) 9.1\nCopyright (C) 2022 Free Software Foundation, Inc.\n"
           "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
           "This is free software: you are free to change and redistribute it.\n"
           "There is NO WARRANTY, to the extent permitted by law.\n\nWritten by A and B.\n",
           "");
    DEMO(r, "-z", "--help");
    expect(&r, 1, "", "t: invalid option -- 'z'\nTry 't --help' for more information.\n");
}

/* '+' in the short string: stop at the first operand. */
static const struct opt_spec inorder = {.name = "io", .shorts = "+v", .err_status = 2};
static int inorder_main(struct proc *p, int argc, char **argv)
{
    struct opt_state o;
    opt_init(&o, p, &inorder, argc, argv);
    int nv = 0;
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        if (c == OPT_EXIT) return o.status;
        nv++;
    }
    p_printf(p, 1, "%d %d %s\n", nv, o.ind, o.ind < argc ? argv[o.ind] : "-");
    return 0;
}

static void test_in_order(void **state)
{
    vos_result r;
    run(inorder_main, NULL, &r, "t", "-v", "cmd", "-v", (char *)NULL);
    expect(&r, 0, "1 2 cmd\n", "");
    run(inorder_main, NULL, &r, "t", "-x", (char *)NULL);
    expect(&r, 2, "", "t: invalid option -- 'x'\nTry 't --help' for more information.\n");
}

/* ---- numbers ------------------------------------------------------------ */

static int numbers_main(struct proc *p, int argc, char **argv)
{
    uintmax_t u;
    intmax_t s;
    const char *sfx = "bkKmMGTPEZY0";
    assert_int_equal(opt_strtoumax("10", NULL, 10, &u, sfx), OPT_NUM_OK);
    assert_true(u == 10);
    assert_int_equal(opt_strtoumax("2k", NULL, 10, &u, sfx), OPT_NUM_OK);
    assert_true(u == 2048);
    assert_int_equal(opt_strtoumax("2KB", NULL, 10, &u, sfx), OPT_NUM_OK);
    assert_true(u == 2000);
    assert_int_equal(opt_strtoumax("2KiB", NULL, 10, &u, sfx), OPT_NUM_OK);
    assert_true(u == 2048);
    assert_int_equal(opt_strtoumax("3M", NULL, 10, &u, sfx), OPT_NUM_OK);
    assert_true(u == 3u << 20);
    assert_int_equal(opt_strtoumax("1b", NULL, 10, &u, sfx), OPT_NUM_OK);
    assert_true(u == 512);
    assert_int_equal(opt_strtoumax("1x", NULL, 10, &u, sfx), OPT_NUM_BAD_SUFFIX);
    assert_int_equal(opt_strtoumax("1kx", NULL, 10, &u, sfx), OPT_NUM_BAD_SUFFIX);
    assert_int_equal(opt_strtoumax("abc", NULL, 10, &u, sfx), OPT_NUM_INVALID);
    assert_int_equal(opt_strtoumax("-1", NULL, 10, &u, sfx), OPT_NUM_INVALID);
    assert_int_equal(opt_strtoumax("99999999999999999999999", NULL, 10, &u, sfx), OPT_NUM_OVERFLOW);
    assert_true(u == UINTMAX_MAX);
    assert_int_equal(opt_strtoumax("100E", NULL, 10, &u, sfx), OPT_NUM_OVERFLOW);
    assert_int_equal(opt_strtoumax("5", NULL, 10, &u, NULL), OPT_NUM_OK);
    assert_int_equal(opt_strtoimax("-3k", NULL, 10, &s, sfx), OPT_NUM_OK);
    assert_true(s == -3072);
    assert_int_equal(opt_strtoimax("-99999999999999999999", NULL, 10, &s, sfx), OPT_NUM_OVERFLOW);
    assert_true(s == INTMAX_MIN);
    char *end;
    assert_int_equal(opt_strtoumax("12abc", &end, 10, &u, NULL), OPT_NUM_OK);
    assert_string_equal(end, "abc");

    struct opt_state o;
    opt_init(&o, p, &demo, argc, argv);
    assert_int_equal(opt_dectoumax(&o, "7k", 0, UINTMAX_MAX, sfx, "bad n", &u), 0);
    assert_true(u == 7168);
    assert_int_equal(opt_dectoumax(&o, "7q", 0, UINTMAX_MAX, sfx, "bad n", &u), -1);
    assert_int_equal(opt_dectoumax(&o, "99999999999999999999999", 0, UINTMAX_MAX, sfx, "bad n", &u),
                     -1);
    static const char *const modes[] = {"warn", "warn-nopipe", "exit", NULL};
    assert_int_equal(opt_argmatch(&o, "--m", "warn", modes), 0);
    assert_int_equal(opt_argmatch(&o, "--m", "warn-", modes), 1);
    assert_int_equal(opt_argmatch(&o, "--m", "ex", modes), 2);
    assert_int_equal(opt_argmatch(&o, "--m", "w", modes), -1);
    return 0;
}

static void test_numbers(void **state)
{
    vos_result r;
    run(numbers_main, NULL, &r, "t", (char *)NULL);
    expect(&r, 0, "",
           "t: bad n: \xe2\x80\x98"
           "7q\xe2\x80\x99\n"
           "t: bad n: \xe2\x80\x98"
           "99999999999999999999999\xe2\x80\x99: Value too large for "
           "defined data type\n"
           "t: ambiguous argument \xe2\x80\x98w\xe2\x80\x99 for \xe2\x80\x98--m\xe2\x80\x99\n"
           "Valid arguments are:\n  - \xe2\x80\x98warn\xe2\x80\x99\n"
           "  - \xe2\x80\x98warn-nopipe\xe2\x80\x99\n  - \xe2\x80\x98"
           "exit\xe2\x80\x99\n"
           "Try 't --help' for more information.\n");
}

/* ---- quoting ------------------------------------------------------------ */

static int quote_main(struct proc *p, int argc, char **argv)
{
    static const struct {
        const char *in;
        enum quote_style st;
        const char *out;
    } cases[] = {
        {"plain", QUOTE_SHELL_ESCAPE, "plain"},
        {"plain", QUOTE_SHELL_ESCAPE_ALWAYS, "'plain'"},
        {"a b", QUOTE_SHELL_ESCAPE, "'a b'"},
        {"it's", QUOTE_SHELL_ESCAPE, "\"it's\""},
        {"it's $x", QUOTE_SHELL_ESCAPE, "'it'\\''s $x'"},
        {"a\nb", QUOTE_SHELL_ESCAPE, "'a'$'\\n''b'"},
        {"\x80", QUOTE_SHELL_ESCAPE, "''$'\\200'"},
        {"", QUOTE_SHELL_ESCAPE, "''"},
        {"{", QUOTE_SHELL_ESCAPE, "'{'"},
        {"a{", QUOTE_SHELL_ESCAPE, "a{"},
        {"~x", QUOTE_SHELL_ESCAPE, "'~x'"},
        {"x~", QUOTE_SHELL_ESCAPE, "x~"},
        {"\xc3\xa9", QUOTE_SHELL_ESCAPE, "\xc3\xa9"},
        {"a@b", QUOTE_SHELL_ESCAPE, "a@b"},
        {"abc", QUOTE_LOCALE,
         "\xe2\x80\x98"
         "abc\xe2\x80\x99"},
        {"a\\b\n", QUOTE_LOCALE,
         "\xe2\x80\x98"
         "a\\\\b\\n\xe2\x80\x99"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sbuf sb;
        sbuf_init(&sb, p);
        sbuf_quote(&sb, cases[i].in, strlen(cases[i].in), cases[i].st);
        assert_non_null(sb.s);
        assert_string_equal(sb.s, cases[i].out);
        sbuf_free(&sb);
    }
    return 0;
}

static void test_quoting(void **state)
{
    vos_result r;
    run(quote_main, NULL, &r, "t", (char *)NULL);
    expect(&r, 0, "", "");
}

/* ---- buffered I/O ------------------------------------------------------- */

static int io_main(struct proc *p, int argc, char **argv)
{
    /* A file with a 1 MiB line, a short line, a line without newline. */
    size_t big = 1 << 20;
    int fd = sys_open(p, "/tmp/lines", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    struct obuf o;
    obuf_init(&o, p, fd);
    for (size_t i = 0; i < big; i++) obuf_putc(&o, 'x');
    obuf_printf(&o, "\nshort %d\nlast", 42);
    assert_int_equal(obuf_flush(&o), 0);
    obuf_free(&o);
    sys_close(p, fd);

    fd = sys_open(p, "/tmp/lines", O_RDONLY, 0);
    struct ibuf in;
    ibuf_init(&in, p, fd);
    char *rec;
    assert_int_equal(ibuf_getline(&in, &rec), big + 1);
    assert_true(rec[0] == 'x' && rec[big - 1] == 'x' && rec[big] == '\n');
    assert_int_equal(ibuf_getline(&in, &rec), 9);
    assert_memory_equal(rec, "short 42\n", 9);
    assert_int_equal(ibuf_getline(&in, &rec), 4);
    assert_memory_equal(rec, "last", 4);
    assert_int_equal(ibuf_getline(&in, &rec), 0);
    ibuf_free(&in);
    sys_close(p, fd);

    /* NUL-delimited records and raw reads. */
    fd = sys_open(p, "/tmp/nul", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    p_write_all(p, fd, "a\0bb\0c", 6);
    sys_close(p, fd);
    fd = sys_open(p, "/tmp/nul", O_RDONLY, 0);
    ibuf_init(&in, p, fd);
    assert_int_equal(ibuf_getdelim(&in, 0, &rec), 2);
    assert_int_equal(ibuf_read(&in, 2, &rec), 2);
    assert_memory_equal(rec, "bb", 2);
    assert_int_equal(ibuf_getdelim(&in, 0, &rec), 1);
    assert_int_equal(ibuf_getdelim(&in, 0, &rec), 1);
    assert_int_equal(ibuf_getdelim(&in, 0, &rec), 0);
    ibuf_free(&in);
    sys_close(p, fd);

    /* Write errors stick. */
    obuf_init(&o, p, 99);
    obuf_puts(&o, "x");
    assert_int_equal(obuf_flush(&o), -EBADF);
    obuf_puts(&o, "y");
    assert_int_equal(obuf_flush(&o), -EBADF);
    obuf_free(&o);
    return 0;
}

static void test_io(void **state)
{
    vos_result r;
    run(io_main, NULL, &r, "t", (char *)NULL);
    expect(&r, 0, "", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clusters_and_args),
        cmocka_unit_test(test_permutation),
        cmocka_unit_test(test_long_options),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_help_version),
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_io),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
