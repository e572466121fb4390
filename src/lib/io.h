/* io.h — buffered I/O for commands over the kernel's fds, a growable string,
 * and GNU's file-name quoting (gnulib quotearg) for messages.
 *
 * Everything allocates through p_malloc, so the VM's memory limit applies,
 * and reaches fds only through sys_read/sys_write.
 */
#ifndef VOS_LIB_IO_H
#define VOS_LIB_IO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct proc;

#define IO_BUFSIZE (128 * 1024)

/* ---- output --------------------------------------------------------------
 * Writes collect in buf and go out with sys_write when it is full, on
 * obuf_flush, or after each newline when line is set. Large writes bypass
 * the buffer. The first write error (negative errno, e.g. -EPIPE) is kept in
 * err; after it every write is dropped, so a command may check once at the
 * end (or poll obuf_failed in a long loop to stop early). */
struct obuf {
    struct proc *p;
    int fd;
    bool line;
    int err;
    char *buf;
    size_t len, cap;
};

void obuf_init(struct obuf *o, struct proc *p, int fd);
void obuf_write(struct obuf *o, const void *data, size_t n);
void obuf_putc(struct obuf *o, int c);
void obuf_puts(struct obuf *o, const char *s);
void obuf_printf(struct obuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int obuf_flush(struct obuf *o); /* 0 or the first error */
static inline bool obuf_failed(const struct obuf *o)
{
    return o->err != 0;
}
void obuf_free(struct obuf *o); /* flushes, then frees the buffer */

/* Write all of buf to fd, retrying short writes: 0 or a negative errno. */
int io_write_all(struct proc *p, int fd, const void *buf, size_t n);

/* ---- input ---------------------------------------------------------------
 * Records of any length (the buffer grows as needed). A record points into
 * the buffer and stays valid until the next call. */
struct ibuf {
    struct proc *p;
    int fd;
    int err; /* first read error (negative errno) */
    bool eof;
    char *buf;
    size_t start, end, cap;
};

void ibuf_init(struct ibuf *in, struct proc *p, int fd);
void ibuf_free(struct ibuf *in);
/* The next record ending in delim, delim included (the last record of the
 * input may lack it). Returns its length, 0 at end of input, or a negative
 * errno (read error, or -ENOMEM when the record outgrows memory). */
ssize_t ibuf_getdelim(struct ibuf *in, int delim, char **rec);
static inline ssize_t ibuf_getline(struct ibuf *in, char **rec)
{
    return ibuf_getdelim(in, '\n', rec);
}
/* Whatever is buffered (reading once if nothing is): up to max bytes. */
ssize_t ibuf_read(struct ibuf *in, size_t max, char **data);

/* ---- strings ------------------------------------------------------------- */
struct sbuf {
    struct proc *p;
    char *s; /* NUL-terminated when not NULL */
    size_t len, cap;
    bool oom;
};
void sbuf_init(struct sbuf *sb, struct proc *p);
void sbuf_add(struct sbuf *sb, const void *data, size_t n);
void sbuf_addc(struct sbuf *sb, char c);
void sbuf_printf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *sb, const char *fmt, va_list ap);
void sbuf_free(struct sbuf *sb);

/* ---- quoting (gnulib quotearg styles used by coreutils messages) --------- */
enum quote_style {
    QUOTE_SHELL_ESCAPE,        /* quotef(): foo, 'a b', "it's", 'a'$'\n''b' */
    QUOTE_SHELL_ESCAPE_ALWAYS, /* quoteaf(): 'foo' */
    QUOTE_LOCALE,              /* quote() in a UTF-8 locale: ‘foo’ */
};
void sbuf_quote(struct sbuf *sb, const char *s, size_t n, enum quote_style style);

#endif
