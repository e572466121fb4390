/* mcp.c — the Model Context Protocol server of `vos mcp` (see mcp.h).
 *
 * Wire: JSON-RPC 2.0, one message per line, parsed and built with jansson.
 * Requests answered here: initialize (version negotiation), ping,
 * tools/list, tools/call; notifications: initialized, cancelled (others are
 * ignored, as the spec says). Batches are accepted under the protocol
 * versions that have them (2024-11-05, 2025-03-26) and refused under the
 * later ones, which removed them.
 *
 * Threads: the caller of mcp_handle_line (the reader) answers everything
 * but tools/call itself; tool calls go to a FIFO that one worker thread
 * drains, so calls reach the VM one at a time and in arrival order while
 * the reader stays free for ping and cancellation. s->mu guards the queue,
 * the running call and batches; s->out_mu orders writes. Lock order:
 * s->mu, then the VM's lock (vos_exec_cancel); the worker never holds
 * s->mu while it is inside the VM.
 *
 * Tools live in mcp_tools.c; this file is the protocol.
 */
#include "serve/mcp_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const versions[] = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"};
#define NEWEST_VERSION "2025-11-25"
#define MAX_QUEUED 4096

/* JSON-RPC error codes */
#define E_PARSE -32700
#define E_REQUEST -32600
#define E_METHOD -32601
#define E_PARAMS -32602
#define E_INTERNAL -32603
#define E_BUSY -32000

/* A batch collects its answers and is written once all have come. */
struct batch {
    json_t *replies;
    int pending;
};

/* ---- writing ------------------------------------------------------------- */

static void send_json(struct mcp *s, json_t *msg)
{
    char *text = json_dumps(msg, JSON_COMPACT);
    if (!text) {
        /* Only on ENOMEM: every string we build is valid UTF-8. */
        static const char oom[] = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,"
                                  "\"message\":\"out of memory\"}}";
        pthread_mutex_lock(&s->out_mu);
        s->write(s->wud, oom, sizeof oom - 1);
        pthread_mutex_unlock(&s->out_mu);
        return;
    }
    pthread_mutex_lock(&s->out_mu);
    s->write(s->wud, text, strlen(text));
    pthread_mutex_unlock(&s->out_mu);
    free(text);
}

/* Deliver one answer (msg, stolen; NULL: this message has none). */
static void reply(struct mcp *s, struct batch *b, json_t *msg)
{
    if (!b) {
        if (msg) send_json(s, msg);
        json_decref(msg);
        return;
    }
    pthread_mutex_lock(&s->mu);
    if (msg) json_array_append_new(b->replies, msg);
    bool done = --b->pending == 0;
    pthread_mutex_unlock(&s->mu);
    if (!done) return;
    /* A batch of notifications only gets no answer at all. */
    if (json_array_size(b->replies)) send_json(s, b->replies);
    json_decref(b->replies);
    free(b);
}

static json_t *rpc_result(json_t *id, json_t *result)
{
    return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id, "result",
                     result ? result : json_object());
}

static json_t *rpc_error(json_t *id, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *m = json_string(msg);
    if (!m) m = json_string("invalid message"); /* the text quoted bad UTF-8 */
    return json_pack("{s:s, s:O, s:{s:i, s:o}}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                     "error", "code", code, "message", m);
}

/* ---- the call queue -------------------------------------------------------- */

static void call_free(struct call *c)
{
    if (!c) return;
    json_decref(c->id);
    json_decref(c->args);
    free(c->tool);
    free(c);
}

/* Run one call and deliver its answer (none when it was cancelled). */
static void call_finish(struct mcp *s, struct call *c)
{
    json_t *res = mcp_run_tool(s, c);
    pthread_mutex_lock(&s->mu);
    s->running = NULL;
    bool cancelled = c->cancelled;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (cancelled) {
        json_decref(res);
        reply(s, c->batch, NULL);
    } else {
        reply(s, c->batch, rpc_result(c->id, res));
    }
    call_free(c);
}

static void *worker_main(void *arg)
{
    struct mcp *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (!s->head && !s->stopping) pthread_cond_wait(&s->cv, &s->mu);
        struct call *c = s->head;
        if (!c) {
            pthread_mutex_unlock(&s->mu);
            break;
        }
        s->head = c->next;
        if (!s->head) s->tail = NULL;
        s->queued--;
        s->running = c;
        pthread_mutex_unlock(&s->mu);
        call_finish(s, c);
    }
    return NULL;
}

/* Queue c (or run it now without a worker). 0, or -EBUSY when full. */
static int call_submit(struct mcp *s, struct call *c)
{
    if (!s->worker_started) {
        pthread_mutex_lock(&s->mu);
        s->running = c;
        pthread_mutex_unlock(&s->mu);
        call_finish(s, c);
        return 0;
    }
    pthread_mutex_lock(&s->mu);
    if (s->queued >= MAX_QUEUED) {
        pthread_mutex_unlock(&s->mu);
        return -EBUSY;
    }
    c->next = NULL;
    if (s->tail)
        s->tail->next = c;
    else
        s->head = c;
    s->tail = c;
    s->queued++;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return 0;
}

/* notifications/cancelled: drop a queued call or kill the running one. */
static void cancel_request(struct mcp *s, json_t *id)
{
    struct call *dropped = NULL;
    pthread_mutex_lock(&s->mu);
    for (struct call **pp = &s->head; *pp; pp = &(*pp)->next) {
        if (!json_equal((*pp)->id, id)) continue;
        dropped = *pp;
        *pp = dropped->next;
        if (s->tail == dropped) {
            s->tail = NULL;
            for (struct call *t = s->head; t; t = t->next) s->tail = t;
        }
        s->queued--;
        break;
    }
    if (!dropped && s->running && json_equal(s->running->id, id)) {
        s->running->cancelled = true;
        /* Under s->mu: the call cannot finish and be freed meanwhile. */
        vos_exec_cancel(s->vm, &s->running->cancel);
    }
    pthread_mutex_unlock(&s->mu);
    if (dropped) {
        reply(s, dropped->batch, NULL);
        call_free(dropped);
    }
}

/* ---- requests ---------------------------------------------------------------- */

static bool batch_allowed(struct mcp *s)
{
    return s->initialized &&
           (!strcmp(s->version, "2024-11-05") || !strcmp(s->version, "2025-03-26"));
}

static json_t *do_initialize(struct mcp *s, json_t *id, json_t *params)
{
    json_t *v = params ? json_object_get(params, "protocolVersion") : NULL;
    if (!v || !json_is_string(v))
        return rpc_error(id, E_PARAMS, "Invalid params: initialize needs a string protocolVersion");
    json_t *caps = json_object_get(params, "capabilities");
    if (caps && !json_is_object(caps))
        return rpc_error(id, E_PARAMS, "Invalid params: capabilities must be an object");
    if (s->initialized)
        return rpc_error(id, E_REQUEST, "Invalid Request: the session is already initialized");
    const char *want = json_string_value(v), *use = NEWEST_VERSION;
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++)
        if (!strcmp(want, versions[i])) use = versions[i];
    snprintf(s->version, sizeof s->version, "%s", use);
    s->initialized = true;
    json_t *info = json_pack("{s:s, s:s}", "name", "vos", "version", vos_version());
    if (strcmp(use, "2025-06-18") >= 0) json_object_set_new(info, "title", json_string("vos"));
    json_t *res = json_pack(
        "{s:s, s:{s:{s:b}}, s:o, s:s}", "protocolVersion", use, "capabilities", "tools",
        "listChanged", 0, "serverInfo", info, "instructions",
        "vos is a virtual machine: the bash tool runs in its persistent shell session "
        "(cwd, variables and functions persist) and the file tools read and write its "
        "filesystem. All paths are paths inside the VM; relative ones are resolved against "
        "the shell's current directory.");
    return rpc_result(id, res);
}

static json_t *do_tools_call(struct mcp *s, json_t *id, json_t *params, struct batch *b,
                             bool *queued)
{
    json_t *name = params ? json_object_get(params, "name") : NULL;
    if (!name || !json_is_string(name))
        return rpc_error(id, E_PARAMS, "Invalid params: tools/call needs a string name");
    if (!mcp_tool_known(json_string_value(name)))
        return rpc_error(id, E_PARAMS, "Unknown tool: %s", json_string_value(name));
    json_t *args = json_object_get(params, "arguments");
    if (args && !json_is_object(args) && !json_is_null(args))
        return rpc_error(id, E_PARAMS, "Invalid params: arguments must be an object");
    struct call *c = calloc(1, sizeof *c);
    if (!c || !(c->tool = strdup(json_string_value(name)))) {
        call_free(c);
        return rpc_error(id, E_INTERNAL, "Internal error: out of memory");
    }
    c->id = json_incref(id);
    c->args = args && json_is_object(args) ? json_incref(args) : json_object();
    c->batch = b;
    if (call_submit(s, c) < 0) {
        c->batch = NULL;
        call_free(c);
        return rpc_error(id, E_BUSY, "Server busy: more than %d calls in flight", MAX_QUEUED);
    }
    *queued = true;
    return NULL;
}

static void do_notification(struct mcp *s, const char *method, json_t *params)
{
    if (!strcmp(method, "notifications/cancelled")) {
        json_t *rid = params ? json_object_get(params, "requestId") : NULL;
        if (rid && (json_is_string(rid) || json_is_integer(rid))) cancel_request(s, rid);
    } else if (!strcmp(method, "notifications/initialized")) {
        s->client_ready = true;
    }
    /* Any other notification is ignored, as JSON-RPC and MCP say. */
}

/* One message of a line or batch. Its answer goes to *out (NULL: none), or
 * *queued is set and the worker answers later. */
static json_t *handle_message(struct mcp *s, json_t *m, struct batch *b, bool *queued)
{
    *queued = false;
    if (!json_is_object(m))
        return rpc_error(NULL, E_REQUEST, "Invalid Request: a message must be a JSON object");
    json_t *jv = json_object_get(m, "jsonrpc"), *id = json_object_get(m, "id");
    json_t *method = json_object_get(m, "method"), *params = json_object_get(m, "params");
    bool id_ok = id && (json_is_string(id) || json_is_integer(id));
    if (!method && id && (json_object_get(m, "result") || json_object_get(m, "error")))
        return NULL; /* an answer to a request we never send: ignore */
    if (id && !id_ok)
        return rpc_error(NULL, E_REQUEST, "Invalid Request: id must be a string or an integer");
    if (!jv || !json_is_string(jv) || strcmp(json_string_value(jv), "2.0"))
        return rpc_error(id, E_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"");
    if (!method || !json_is_string(method))
        return rpc_error(id, E_REQUEST, "Invalid Request: method must be a string");
    const char *meth = json_string_value(method);
    if (params && !json_is_object(params)) {
        if (!id) return NULL;
        return rpc_error(id, E_PARAMS, "Invalid params: params must be an object");
    }
    if (!id) {
        do_notification(s, meth, params);
        return NULL;
    }
    if (!strcmp(meth, "initialize")) return do_initialize(s, id, params);
    if (!strcmp(meth, "ping")) return rpc_result(id, json_object());
    if (!strcmp(meth, "tools/list") || !strcmp(meth, "tools/call")) {
        if (!s->initialized)
            return rpc_error(id, E_REQUEST,
                             "Invalid Request: not initialized (send initialize first)");
        if (meth[6] == 'l') {
            json_t *cursor = params ? json_object_get(params, "cursor") : NULL;
            if (cursor && !json_is_string(cursor))
                return rpc_error(id, E_PARAMS, "Invalid params: cursor must be a string");
            return rpc_result(id, json_pack("{s:o}", "tools", mcp_tool_list(s)));
        }
        return do_tools_call(s, id, params, b, queued);
    }
    return rpc_error(id, E_METHOD, "Method not found: %s", meth);
}

void mcp_handle_line(struct mcp *s, const char *line, size_t len)
{
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t')) len--;
    size_t skip = 0;
    while (skip < len && (line[skip] == ' ' || line[skip] == '\t' || line[skip] == '\r')) skip++;
    if (skip == len) return; /* blank lines carry nothing */
    json_error_t err;
    json_t *m = json_loadb(line + skip, len - skip, JSON_DECODE_ANY, &err);
    if (!m) {
        reply(s, NULL,
              rpc_error(NULL, E_PARSE, "Parse error: %s (line %d, column %d)", err.text, err.line,
                        err.column));
        return;
    }
    bool queued;
    if (!json_is_array(m)) {
        json_t *out = handle_message(s, m, NULL, &queued);
        if (!queued) reply(s, NULL, out);
        json_decref(m);
        return;
    }
    if (!batch_allowed(s)) {
        reply(s, NULL,
              rpc_error(NULL, E_REQUEST, "Invalid Request: JSON-RPC batches are not supported%s%s",
                        s->initialized ? " in protocol version " : " before initialize",
                        s->initialized ? s->version : ""));
    } else if (!json_array_size(m)) {
        reply(s, NULL, rpc_error(NULL, E_REQUEST, "Invalid Request: empty batch"));
    } else {
        struct batch *b = calloc(1, sizeof *b);
        if (!b || !(b->replies = json_array())) {
            free(b);
            reply(s, NULL, rpc_error(NULL, E_INTERNAL, "Internal error: out of memory"));
        } else {
            b->pending = (int)json_array_size(m) + 1; /* +1 until all are dispatched */
            size_t i;
            json_t *e;
            json_array_foreach(m, i, e)
            {
                json_t *out = handle_message(s, e, b, &queued);
                if (!queued) reply(s, b, out);
            }
            reply(s, b, NULL);
        }
    }
    json_decref(m);
}

void mcp_line_too_long(struct mcp *s, size_t len)
{
    reply(s, NULL,
          rpc_error(NULL, E_REQUEST,
                    "Invalid Request: message of %zu bytes or more is larger "
                    "than the limit of %zu bytes",
                    len, s->cfg.max_line));
}

/* ---- life ------------------------------------------------------------------ */

struct mcp *mcp_new(vos_vm *vm, const struct mcp_config *cfg, mcp_write_fn write, void *userdata)
{
    struct mcp *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->vm = vm;
    if (cfg) s->cfg = *cfg;
    if (!s->cfg.timeout_ms) s->cfg.timeout_ms = 120000;
    if (!s->cfg.output_limit) s->cfg.output_limit = 30000;
    if (s->cfg.output_limit < 64) s->cfg.output_limit = 64;
    if (!s->cfg.max_line) s->cfg.max_line = 64u << 20;
    s->start_cwd = cfg && cfg->cwd ? strdup(cfg->cwd) : NULL;
    s->cfg.cwd = NULL;
    s->write = write;
    s->wud = userdata;
    s->cwd_dirty = true;
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->out_mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (cfg && cfg->cwd && !s->start_cwd) {
        mcp_free(s, 1);
        return NULL;
    }
    return s;
}

int mcp_start(struct mcp *s)
{
    if (s->worker_started) return 0;
    int r = pthread_create(&s->worker, NULL, worker_main, s);
    if (r) return -r;
    s->worker_started = true;
    return 0;
}

void mcp_free(struct mcp *s, int cancel_all)
{
    if (!s) return;
    struct call *drop = NULL;
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    if (cancel_all) {
        drop = s->head;
        s->head = s->tail = NULL;
        s->queued = 0;
        if (s->running) {
            s->running->cancelled = true;
            vos_exec_cancel(s->vm, &s->running->cancel);
        }
    }
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    while (drop) {
        struct call *n = drop->next;
        reply(s, drop->batch, NULL);
        call_free(drop);
        drop = n;
    }
    if (s->worker_started) pthread_join(s->worker, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->out_mu);
    free(s->cwd);
    free(s->start_cwd);
    free(s);
}

/* ---- stdio ----------------------------------------------------------------- */

struct fdout {
    int fd;
    bool broken;
};

static void write_fd(void *ud, const char *msg, size_t len)
{
    struct fdout *o = ud;
    if (o->broken) return;
    /* Called under out_mu: one message and its newline in one go. */
    struct part {
        const void *b;
        size_t n;
    } parts[2] = {{msg, len}, {"\n", 1}};
    for (int i = 0; i < 2; i++) {
        const char *p = parts[i].b;
        size_t n = parts[i].n;
        while (n) {
            ssize_t w = write(o->fd, p, n);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                o->broken = true;
                return;
            }
            p += w;
            n -= (size_t)w;
        }
    }
}

int mcp_serve_stdio(vos_vm *vm, const struct mcp_config *cfg, int in, int out)
{
    struct fdout o = {out, false};
    struct mcp *s = mcp_new(vm, cfg, write_fd, &o);
    if (!s) return -ENOMEM;
    int r = mcp_start(s);
    if (r < 0) {
        mcp_free(s, 1);
        return r;
    }
    size_t max = s->cfg.max_line, cap = 65536, len = 0;
    char *buf = malloc(cap);
    bool skipping = false; /* inside a line that is over the limit */
    size_t skipped = 0;
    while (buf) {
        if (len == cap) {
            size_t ncap = cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) break;
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(in, buf + len, cap - len);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        size_t start = 0, end = len + (size_t)got;
        for (size_t i = len; i < end; i++) {
            if (buf[i] != '\n') continue;
            if (skipping) {
                mcp_line_too_long(s, skipped + i - start);
                skipping = false;
            } else {
                mcp_handle_line(s, buf + start, i - start);
            }
            start = i + 1;
        }
        len = end - start;
        if (start && len) memmove(buf, buf + start, len);
        if (len > max || skipping) {
            /* Keep nothing of an over-long line: count it and wait for its end. */
            if (!skipping) skipped = 0;
            skipping = true;
            skipped += len;
            len = 0;
        }
        if (cap > 65536 && len < cap / 4) {
            char *nb = realloc(buf, cap / 2);
            if (nb) {
                buf = nb;
                cap /= 2;
            }
        }
    }
    if (buf && skipping)
        mcp_line_too_long(s, skipped);
    else if (buf && len)
        mcp_handle_line(s, buf, len); /* a last message without its newline */
    free(buf);
    mcp_free(s, o.broken);
    return 0;
}
