/* mem.c — process memory: every block a command allocates through p_malloc
 * is counted against its VM's memory limit and linked into the process, so
 * a process that is killed mid-way still gives everything back at exit.
 */
#include "kernel/kernel.h"
#include <stdlib.h>
#include <string.h>

struct memhdr {
    struct memhdr *prev, *next;
    size_t size;
    size_t pad; /* keeps the payload 16-byte aligned */
};

static bool charge(struct proc *p, size_t n)
{
    struct vm *vm = p->vm;
    uint64_t lim = vm->limits.memory_bytes;
    if (lim && vm->mem_used + n > lim) return false;
    vm->mem_used += n;
    p->mem_used += n;
    return true;
}

static void uncharge(struct proc *p, size_t n)
{
    p->vm->mem_used -= n;
    p->mem_used -= n;
}

static void link_block(struct proc *p, struct memhdr *h)
{
    h->prev = NULL;
    h->next = p->mem;
    if (p->mem) p->mem->prev = h;
    p->mem = h;
}

static void unlink_block(struct proc *p, struct memhdr *h)
{
    if (h->prev) h->prev->next = h->next;
    else p->mem = h->next;
    if (h->next) h->next->prev = h->prev;
}

void *p_malloc(struct proc *p, size_t n)
{
    if (n > SIZE_MAX - sizeof(struct memhdr) || !charge(p, n)) return NULL;
    struct memhdr *h = malloc(sizeof *h + n);
    if (!h) {
        uncharge(p, n);
        return NULL;
    }
    h->size = n;
    link_block(p, h);
    return h + 1;
}

void *p_calloc(struct proc *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    void *r = p_malloc(p, n * size);
    if (r) memset(r, 0, n * size);
    return r;
}

void p_free(struct proc *p, void *ptr)
{
    if (!ptr) return;
    struct memhdr *h = (struct memhdr *)ptr - 1;
    unlink_block(p, h);
    uncharge(p, h->size);
    free(h);
}

void *p_realloc(struct proc *p, void *ptr, size_t n)
{
    if (!ptr) return p_malloc(p, n);
    struct memhdr *h = (struct memhdr *)ptr - 1;
    size_t old = h->size;
    if (n > old && !charge(p, n - old)) return NULL;
    if (n > SIZE_MAX - sizeof(struct memhdr)) return NULL;
    unlink_block(p, h);
    struct memhdr *nh = realloc(h, sizeof *nh + n);
    if (!nh) {
        link_block(p, h);
        if (n > old) uncharge(p, n - old);
        return NULL;
    }
    if (n < old) uncharge(p, old - n);
    nh->size = n;
    link_block(p, nh);
    return nh + 1;
}

char *p_strndup(struct proc *p, const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *r = p_malloc(p, len + 1);
    if (!r) return NULL;
    memcpy(r, s, len);
    r[len] = 0;
    return r;
}

char *p_strdup(struct proc *p, const char *s)
{
    return p_strndup(p, s, SIZE_MAX);
}

void p_free_all(struct proc *p)
{
    while (p->mem) p_free(p, p->mem + 1);
}
