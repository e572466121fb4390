/* sh/ast.c — the arena that owns syntax trees, and deep copies of trees into
 * another arena (function definitions outlive the parse that made them). */
#include "sh/ast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sh_chunk {
    struct sh_chunk *next;
    size_t used, cap;
    max_align_t data[]; /* cap bytes follow */
};

struct sh_arena {
    struct sh_chunk *head;
};

#define SH_CHUNK_MIN 8192

struct sh_arena *sh_arena_new(void)
{
    return calloc(1, sizeof(struct sh_arena));
}

void sh_arena_free(struct sh_arena *a)
{
    if (!a) return;
    struct sh_chunk *c = a->head;
    while (c) {
        struct sh_chunk *n = c->next;
        free(c);
        c = n;
    }
    free(a);
}

void *sh_arena_alloc(struct sh_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    if (n == 0) n = align;
    struct sh_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > SH_CHUNK_MIN / 2 ? n : SH_CHUNK_MIN;
        if (cap > SIZE_MAX - sizeof(*c)) return NULL;
        c = malloc(sizeof(*c) + cap);
        if (!c) return NULL;
        c->used = 0;
        c->cap = cap;
        /* A big one-off block goes behind the current chunk so the current
         * chunk keeps serving small allocations. */
        if (a->head && n > SH_CHUNK_MIN / 2) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *sh_arena_strndup(struct sh_arena *a, const char *s, size_t n)
{
    char *d = sh_arena_alloc(a, n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* ---- deep copy --------------------------------------------------------- */

struct sh_copy {
    struct sh_arena *a;
    int failed;
};

static void *cp_mem(struct sh_copy *c, const void *src, size_t n)
{
    if (!src || c->failed) return NULL;
    void *d = sh_arena_alloc(c->a, n);
    if (!d) {
        c->failed = 1;
        return NULL;
    }
    memcpy(d, src, n);
    return d;
}

static const char *cp_str(struct sh_copy *c, const char *s, size_t n)
{
    if (!s || c->failed) return NULL;
    char *d = sh_arena_strndup(c->a, s, n);
    if (!d) c->failed = 1;
    return d;
}

#define CP_CSTR(c, s) cp_str((c), (s), (s) ? strlen(s) : 0)

static struct sh_node *cp_node(struct sh_copy *c, const struct sh_node *n);
static struct sh_word *cp_words(struct sh_copy *c, const struct sh_word *w);

static struct sh_param *cp_param(struct sh_copy *c, const struct sh_param *p)
{
    struct sh_param *d = cp_mem(c, p, sizeof(*p));
    if (!d) return NULL;
    d->name = CP_CSTR(c, p->name);
    d->raw = CP_CSTR(c, p->raw);
    d->index = cp_words(c, p->index);
    d->arg = cp_words(c, p->arg);
    d->arg2 = cp_words(c, p->arg2);
    return d;
}

static struct sh_wpart *cp_parts(struct sh_copy *c, const struct sh_wpart *p)
{
    struct sh_wpart *head = NULL, **tail = &head;
    for (; p && !c->failed; p = p->next) {
        struct sh_wpart *d = cp_mem(c, p, sizeof(*p));
        if (!d) break;
        d->next = NULL;
        d->text = cp_str(c, p->text, p->len);
        d->sub = cp_parts(c, p->sub);
        d->param = p->param ? cp_param(c, p->param) : NULL;
        d->body = cp_node(c, p->body);
        d->expr = cp_words(c, p->expr);
        *tail = d;
        tail = &d->next;
    }
    return head;
}

static struct sh_assign *cp_assign(struct sh_copy *c, const struct sh_assign *s)
{
    struct sh_assign *d = cp_mem(c, s, sizeof(*s));
    if (!d) return NULL;
    d->name = CP_CSTR(c, s->name);
    d->index = cp_words(c, s->index);
    d->elems = cp_words(c, s->elems);
    return d;
}

/* Copies a whole next-linked list of words. */
static struct sh_word *cp_words(struct sh_copy *c, const struct sh_word *w)
{
    struct sh_word *head = NULL, **tail = &head;
    for (; w && !c->failed; w = w->next) {
        struct sh_word *d = cp_mem(c, w, sizeof(*w));
        if (!d) break;
        d->next = NULL;
        d->parts = cp_parts(c, w->parts);
        d->text = CP_CSTR(c, w->text);
        d->assign = w->assign ? cp_assign(c, w->assign) : NULL;
        *tail = d;
        tail = &d->next;
    }
    return head;
}

static struct sh_heredoc *cp_heredoc(struct sh_copy *c, const struct sh_heredoc *h)
{
    struct sh_heredoc *d = cp_mem(c, h, sizeof(*h));
    if (!d) return NULL;
    d->delim = CP_CSTR(c, h->delim);
    d->body = cp_str(c, h->body, h->body_len);
    d->word = cp_words(c, h->word);
    return d;
}

static struct sh_redir *cp_redirs(struct sh_copy *c, const struct sh_redir *r)
{
    struct sh_redir *head = NULL, **tail = &head;
    for (; r && !c->failed; r = r->next) {
        struct sh_redir *d = cp_mem(c, r, sizeof(*r));
        if (!d) break;
        d->next = NULL;
        d->fd_var = CP_CSTR(c, r->fd_var);
        d->target = cp_words(c, r->target);
        d->heredoc = r->heredoc ? cp_heredoc(c, r->heredoc) : NULL;
        *tail = d;
        tail = &d->next;
    }
    return head;
}

static struct sh_cond *cp_cond(struct sh_copy *c, const struct sh_cond *t)
{
    if (!t) return NULL;
    struct sh_cond *d = cp_mem(c, t, sizeof(*t));
    if (!d) return NULL;
    d->op = CP_CSTR(c, t->op);
    d->left = cp_cond(c, t->left);
    d->right = cp_cond(c, t->right);
    d->word = cp_words(c, t->word);
    d->word2 = cp_words(c, t->word2);
    return d;
}

static struct sh_case_item *cp_items(struct sh_copy *c, const struct sh_case_item *it)
{
    struct sh_case_item *head = NULL, **tail = &head;
    for (; it && !c->failed; it = it->next) {
        struct sh_case_item *d = cp_mem(c, it, sizeof(*it));
        if (!d) break;
        d->next = NULL;
        d->patterns = cp_words(c, it->patterns);
        d->body = cp_node(c, it->body);
        *tail = d;
        tail = &d->next;
    }
    return head;
}

/* Copies one node and its subtree; the node's own next link is not followed
 * except through kids lists, which are copied whole. */
static struct sh_node *cp_one(struct sh_copy *c, const struct sh_node *n)
{
    struct sh_node *d = cp_mem(c, n, sizeof(*n));
    if (!d) return NULL;
    d->next = NULL;
    d->redirs = cp_redirs(c, n->redirs);
    d->words = cp_words(c, n->words);
    d->cond = cp_node(c, n->cond);
    d->body = cp_node(c, n->body);
    d->els = cp_node(c, n->els);
    d->name = CP_CSTR(c, n->name);
    for (int i = 0; i < 3; i++) d->arith[i] = cp_words(c, n->arith[i]);
    d->items = cp_items(c, n->items);
    d->test = cp_cond(c, n->test);
    struct sh_node **tail = &d->kids;
    for (const struct sh_node *k = n->kids; k && !c->failed; k = k->next) {
        *tail = cp_one(c, k);
        if (*tail) tail = &(*tail)->next;
    }
    return d;
}

static struct sh_node *cp_node(struct sh_copy *c, const struct sh_node *n)
{
    return n ? cp_one(c, n) : NULL;
}

struct sh_node *sh_node_copy(struct sh_arena *dst, const struct sh_node *n)
{
    struct sh_copy c = {dst, 0};
    struct sh_node *d = cp_node(&c, n);
    return c.failed ? NULL : d;
}

struct sh_word *sh_word_copy(struct sh_arena *dst, const struct sh_word *w)
{
    struct sh_copy c = {dst, 0};
    if (!w) return NULL;
    struct sh_word one = *w;
    one.next = NULL;
    struct sh_word *d = cp_words(&c, &one);
    return c.failed ? NULL : d;
}
