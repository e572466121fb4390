/* test_mcp.c — the API calls `vos mcp` added (vos_exec_cancel,
 * vos_session_reset) and the MCP dispatcher in-process: answers captured
 * from the write callback, tools run synchronously (no worker thread).
 * tests/behave/run-mcp drives the real server with the SDK client.
 */
#include "serve/mcp.h"
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static vos_vm *vm;

static int setup(void **state)
{
    vm = vos_new(NULL);
    return vm ? 0 : -1;
}

static int teardown(void **state)
{
    vos_free(vm);
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct canceller {
    int *flag;
    int rc;
};

static void *cancel_later(void *arg)
{
    struct canceller *c = arg;
    usleep(100000);
    c->rc = vos_exec_cancel(vm, c->flag);
    return NULL;
}

static void test_cancel_running(void **state)
{
    int flag = 0;
    vos_exec_opts o = {0};
    o.cancel = &flag;
    struct canceller c = {&flag, 1};
    pthread_t t;
    pthread_create(&t, NULL, cancel_later, &c);
    double t0 = now_s();
    vos_result r;
    assert_int_equal(vos_exec(vm, "sleep 100; echo never", &o, &r), 0);
    pthread_join(t, NULL);
    assert_true(now_s() - t0 < 5);
    assert_int_equal(c.rc, 0);
    assert_int_equal(r.status, 137);
    assert_null(strstr(r.out, "never"));
    vos_result_free(&r);
    /* Other execs are not affected. */
    assert_int_equal(vos_exec(vm, "echo ok", NULL, &r), 0);
    assert_string_equal(r.out, "ok\n");
    vos_result_free(&r);
}

static void test_cancel_before_start(void **state)
{
    int flag = 0;
    assert_int_equal(vos_exec_cancel(vm, &flag), -ESRCH);
    assert_int_equal(flag, 1);
    vos_exec_opts o = {0};
    o.cancel = &flag;
    vos_result r;
    assert_int_equal(vos_exec(vm, "echo no", &o, &r), -ECANCELED);
    assert_int_equal(vos_exec_cancel(vm, NULL), -EINVAL);
}

static void test_session_reset(void **state)
{
    vos_result r;
    assert_int_equal(vos_exec(vm, "cd /tmp; X=1", NULL, &r), 0);
    vos_result_free(&r);
    assert_int_equal(vos_exec(vm, "echo $X; pwd", NULL, &r), 0);
    assert_string_equal(r.out, "1\n/tmp\n");
    vos_result_free(&r);
    assert_int_equal(vos_session_reset(vm), 0);
    assert_int_equal(vos_exec(vm, "echo \"[$X]\"; pwd", NULL, &r), 0);
    assert_string_equal(r.out, "[]\n/home/agent\n");
    vos_result_free(&r);
}

/* ---- the dispatcher ----------------------------------------------------- */

static json_t *answers;

static void capture(void *ud, const char *msg, size_t len)
{
    assert_null(memchr(msg, '\n', len));
    json_t *j = json_loadb(msg, len, 0, NULL);
    assert_non_null(j);
    json_array_append_new(answers, j);
}

static struct mcp *server(void)
{
    json_decref(answers);
    answers = json_array();
    struct mcp *s = mcp_new(vm, NULL, capture, NULL);
    assert_non_null(s);
    return s;
}

static void feed(struct mcp *s, const char *line)
{
    mcp_handle_line(s, line, strlen(line));
}

static json_t *last(void)
{
    size_t n = json_array_size(answers);
    assert_true(n > 0);
    return json_array_get(answers, n - 1);
}

static void test_dispatch(void **state)
{
    struct mcp *s = server();
    feed(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            "{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{}}}");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(last(), "result"), "protocolVersion")),
        "2024-11-05");
    feed(s, "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"tools/call\",\"params\":{\"name\":"
            "\"bash\",\"arguments\":{\"command\":\"echo hi\"}}}");
    json_t *res = json_object_get(last(), "result");
    assert_string_equal(json_string_value(json_object_get(last(), "id")), "x");
    assert_true(json_is_false(json_object_get(res, "isError")));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(res, "content"), 0), "text")),
                        "hi\n");
    feed(s, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    feed(s, "");
    assert_int_equal(json_array_size(answers), 2); /* no answer to either */
    feed(s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"bogus\"}");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(last(), "error"), "code")),
                     -32601);
    feed(s, "[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"id\":4,"
            "\"method\":\"tools/list\"}]");
    assert_true(json_is_array(last()));
    assert_int_equal(json_array_size(last()), 2);
    mcp_line_too_long(s, 1 << 30);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(last(), "error"), "code")),
                     -32600);
    mcp_free(s, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cancel_running),
        cmocka_unit_test(test_cancel_before_start),
        cmocka_unit_test(test_session_reset),
        cmocka_unit_test(test_dispatch),
    };
    int r = cmocka_run_group_tests(tests, setup, teardown);
    json_decref(answers);
    return r;
}
