/* vm.c — the VM lock, the VM's event condition, and its clocks.
 *
 * One lock per VM: a fair ticket lock made of a host mutex (held only for a
 * few instructions) and a condition. Fairness matters because a CPU-bound
 * process that calls proc_check() often must not starve a pipeline stage or
 * a sleeper whose time is up: vm_yield() hands the lock over in ticket order.
 *
 * Blocking uses one event condition per VM: a waiter records event_gen,
 * gives up its turn and sleeps until the generation moves (vm_notify) or its
 * deadline passes, then queues for the lock again and rechecks its
 * condition. Since notifiers hold the VM lock while changing state and bump
 * the generation under the mutex, no wake-up is lost.
 */
#include "kernel/kernel.h"
#include <errno.h>
#include <time.h>

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void vm_time(struct vm *vm, struct timespec *ts)
{
    (void)vm;
    clock_gettime(CLOCK_REALTIME, ts);
}

static void take_turn(struct vm *vm)
{
    uint64_t ticket = vm->next_ticket++;
    __atomic_add_fetch(&vm->lock_waiters, 1, __ATOMIC_RELAXED);
    while (vm->serving != ticket) pthread_cond_wait(&vm->turn, &vm->m);
    __atomic_sub_fetch(&vm->lock_waiters, 1, __ATOMIC_RELAXED);
}

static void give_turn(struct vm *vm)
{
    vm->serving++;
    if (__atomic_load_n(&vm->lock_waiters, __ATOMIC_RELAXED))
        pthread_cond_broadcast(&vm->turn);
}

void vm_lock(struct vm *vm)
{
    pthread_mutex_lock(&vm->m);
    take_turn(vm);
    pthread_mutex_unlock(&vm->m);
}

void vm_unlock(struct vm *vm)
{
    pthread_mutex_lock(&vm->m);
    give_turn(vm);
    pthread_mutex_unlock(&vm->m);
}

void vm_notify(struct vm *vm)
{
    pthread_mutex_lock(&vm->m);
    vm->event_gen++;
    pthread_cond_broadcast(&vm->event);
    pthread_mutex_unlock(&vm->m);
}

void vm_wait(struct vm *vm, uint64_t deadline_ns)
{
    pthread_mutex_lock(&vm->m);
    uint64_t gen = vm->event_gen;
    give_turn(vm);
    while (vm->event_gen == gen) {
        if (!deadline_ns) {
            pthread_cond_wait(&vm->event, &vm->m);
            continue;
        }
        if (now_ns() >= deadline_ns) break;
        struct timespec ts = {(time_t)(deadline_ns / 1000000000ull),
                              (long)(deadline_ns % 1000000000ull)};
        pthread_cond_timedwait(&vm->event, &vm->m, &ts);
    }
    take_turn(vm);
    pthread_mutex_unlock(&vm->m);
}

void vm_yield(struct vm *vm)
{
    /* Racy read on purpose: a missed waiter only delays the hand-over to the
     * next check. */
    if (!__atomic_load_n(&vm->lock_waiters, __ATOMIC_RELAXED)) return;
    pthread_mutex_lock(&vm->m);
    give_turn(vm);
    take_turn(vm);
    pthread_mutex_unlock(&vm->m);
}

int vm_lock_init(struct vm *vm)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int r = pthread_mutex_init(&vm->m, NULL);
    if (!r) r = pthread_cond_init(&vm->turn, NULL);
    if (!r) r = pthread_cond_init(&vm->event, &ca);
    pthread_condattr_destroy(&ca);
    return r ? -ENOMEM : 0;
}

void vm_lock_destroy(struct vm *vm)
{
    pthread_cond_destroy(&vm->event);
    pthread_cond_destroy(&vm->turn);
    pthread_mutex_destroy(&vm->m);
}
