/* fuzz_sh_pattern.c — pattern compile + match + trim + find on arbitrary
 * input: first byte flags, then pattern \0 string. Must never crash, leak,
 * or run past the work budget. */
#include "sh/pattern.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int flags = data[0] & 0x0f;
    char *buf = malloc(size);
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = 0;
    const char *pat = buf;
    size_t pl = strlen(pat);
    const char *s = pl + 1 < size ? buf + pl + 1 : "";
    size_t n = pl + 1 < size ? size - 2 - pl : 0;
    struct sh_pat *p;
    if (sh_pat_compile(pat, flags, &p) == 0) {
        int m = sh_pat_exec(p, s, n);
        size_t cut;
        for (int op = 0; op < 4; op++) {
            int r = sh_pat_trim(p, s, n, (enum sh_pat_trim_op)op, &cut);
            if (r == 1 && cut > n) abort();
        }
        /* an exact match is a longest prefix of the whole string */
        if (m == 1 && sh_pat_trim(p, s, n, SH_TRIM_LONG_PREFIX, &cut) == 1 && cut != n) abort();
        struct sh_pat_span *sp;
        size_t cnt;
        for (int mode = 0; mode < 4; mode++) {
            if (sh_pat_find(p, s, n, (enum sh_pat_find_mode)mode, &sp, &cnt) == 0) {
                size_t last = 0;
                for (size_t i = 0; i < cnt; i++) {
                    if (sp[i].start < last || sp[i].end < sp[i].start || sp[i].end > n) abort();
                    last = sp[i].end;
                }
                free(sp);
            }
        }
        sh_pat_free(p);
    }
    sh_pat_has_magic(pat, flags);
    free(sh_pat_unescape(pat));
    free(buf);
    return 0;
}
