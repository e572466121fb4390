/* test_jq.c — jq on libjq under concurrency: several VMs run jq at once
 * (libjq's process-wide state is serialized by jqcore's lock, which each
 * run re-installs for its own VM), each sees only its own environment, and
 * a jq | jq pipeline in one VM moving more than a pipe's worth of data does
 * not deadlock on that lock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "vos.h"

struct job {
    int id;
    int ok;
};

static void *thread_jq(void *arg)
{
    struct job *j = arg;
    vos_vm *vm = vos_new(NULL);
    if (!vm) return NULL;
    char val[32];
    snprintf(val, sizeof val, "vm%d", j->id);
    vos_setenv(vm, "WHO", val);
    char script[512];
    snprintf(script, sizeof script,
             "for i in 1 2 3 4 5 6 7 8 9 10; do "
             "jq -n -r --arg i $i '[range(20000)] | map(. * 2) | add | tostring + \" \" + "
             "env.WHO + \" \" + $ENV.WHO + \" \" + $i'; done");
    vos_result r;
    j->ok = 1;
    if (vos_exec(vm, script, NULL, &r) != 0) {
        j->ok = 0;
    } else {
        char want[4096] = "";
        for (int i = 1; i <= 10; i++) {
            char line[128];
            snprintf(line, sizeof line, "399980000 %s %s %d\n", val, val, i);
            strcat(want, line);
        }
        if (r.status != 0 || strcmp(r.out, want) != 0 || r.err_len != 0) j->ok = 0;
        vos_result_free(&r);
    }
    vos_free(vm);
    return NULL;
}

static void test_parallel_vms(void **state)
{
    enum { N = 6 };
    pthread_t t[N];
    struct job jobs[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (struct job){.id = i};
        pthread_create(&t[i], NULL, thread_jq, &jobs[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(jobs[i].ok, 1);
    }
}

static void test_pipeline_no_deadlock(void **state)
{
    vos_vm *vm = vos_new(NULL);
    assert_non_null(vm);
    vos_result r;
    vos_exec_opts o = {.timeout_ms = 60000};
    assert_int_equal(vos_exec(vm,
                              "jq -n '[range(200000) | {n: ., s: \"x\\(.)\"}]' | jq -c '.[]' | "
                              "jq -s 'length'",
                              &o, &r),
                     0);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "200000\n");
    vos_result_free(&r);
    vos_free(vm);
}

static void test_env_is_vm(void **state)
{
    vos_vm *vm = vos_new(NULL);
    assert_non_null(vm);
    vos_result r;
    assert_int_equal(vos_exec(vm, "jq -n -c '[env | keys[] | select(. == \"PATH\" or . == "
                                  "\"HOME\")], env.HOME, $ENV.HOME, (env | length < 30)'",
                              NULL, &r),
                     0);
    assert_string_equal(r.out, "[\"HOME\",\"PATH\"]\n\"/home/agent\"\n\"/home/agent\"\ntrue\n");
    vos_result_free(&r);
    /* no variable of the host's environment shows */
    setenv("VOS_TEST_HOST_ONLY", "leak", 1);
    assert_int_equal(vos_exec(vm, "jq -n 'env.VOS_TEST_HOST_ONLY, $ENV.VOS_TEST_HOST_ONLY'",
                              NULL, &r),
                     0);
    assert_string_equal(r.out, "null\nnull\n");
    vos_result_free(&r);
    assert_int_equal(vos_exec(vm, "jq -n 'import \"a\" as a; 1'; echo $?; jq -L / -n 1; echo $?",
                              NULL, &r),
                     0);
    assert_string_equal(r.out, "3\n2\n");
    vos_result_free(&r);
    vos_free(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_vms),
        cmocka_unit_test(test_pipeline_no_deadlock),
        cmocka_unit_test(test_env_is_vm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
