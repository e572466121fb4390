/* udiff.h — unified diff of two byte buffers, as GNU diff -u prints the
 * hunks (the same line matching: GNU's discarding of confusing lines,
 * Myers' middle-snake search and boundary shifting). */
#ifndef VOS_LIB_UDIFF_H
#define VOS_LIB_UDIFF_H
#include <stddef.h>

typedef void (*udiff_out_fn)(void *ctx, const char *s, size_t n);

/* Write the hunks ("@@ -a,b +c,d @@" and the lines, with "\ No newline at
 * end of file" where needed) of a -> b with `context` lines of context.
 * Nothing is written when they are equal. 0 or -ENOMEM. */
int udiff(const char *a, size_t alen, const char *b, size_t blen, int context, udiff_out_fn out,
          void *ctx);

#endif
