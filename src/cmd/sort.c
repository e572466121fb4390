/* sort.c — sort, merge or check lines of text files, with GNU sort's
 * comparison rules in the C.UTF-8 locale (byte order for text):
 * -b -d -f -g -h -i -M -n -R -r -V, keys (-k F[.C][OPTS][,F[.C][OPTS]]
 * and the obsolete +POS1 -POS2), -t -s -u -z, -c/-C, -m, -o, --files0-from,
 * --random-source; -S -T --parallel --batch-size --compress-program are
 * accepted (everything is sorted in memory, no temporary files).
 *
 * All input is read into large chunks; each line becomes a struct line
 * (text, length, first key) and the array is merge sorted (stable), so a
 * million lines sort at memory speed. Allocation failure (the VM memory
 * limit) ends with "sort: memory exhausted", status 2.
 */
#include "cmd/cmd.h"
#include "lib/hash.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const char sort_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "  or:  %s [OPTION]... --files0-from=F\n"
    "Write sorted concatenation of all FILE(s) to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "Ordering options:\n"
    "\n"
    "  -b, --ignore-leading-blanks  ignore leading blanks\n"
    "  -d, --dictionary-order      consider only blanks and alphanumeric characters\n"
    "  -f, --ignore-case           fold lower case to upper case characters\n"
    "  -g, --general-numeric-sort  compare according to general numerical value\n"
    "  -i, --ignore-nonprinting    consider only printable characters\n"
    "  -M, --month-sort            compare (unknown) < 'JAN' < ... < 'DEC'\n"
    "  -h, --human-numeric-sort    compare human readable numbers (e.g., 2K 1G)\n"
    "  -n, --numeric-sort          compare according to string numerical value\n"
    "  -R, --random-sort           shuffle, but group identical keys.  See shuf(1)\n"
    "      --random-source=FILE    get random bytes from FILE\n"
    "  -r, --reverse               reverse the result of comparisons\n"
    "      --sort=WORD             sort according to WORD:\n"
    "                                general-numeric -g, human-numeric -h, month -M,\n"
    "                                numeric -n, random -R, version -V\n"
    "  -V, --version-sort          natural sort of (version) numbers within text\n"
    "\n"
    "Other options:\n"
    "\n"
    "      --batch-size=NMERGE   merge at most NMERGE inputs at once;\n"
    "                            for more use temp files\n"
    "  -c, --check, --check=diagnose-first  check for sorted input; do not sort\n"
    "  -C, --check=quiet, --check=silent  like -c, but do not report first bad line\n"
    "      --compress-program=PROG  compress temporaries with PROG;\n"
    "                              decompress them with PROG -d\n"
    "      --debug               annotate the part of the line used to sort,\n"
    "                              and warn about questionable usage to stderr\n"
    "      --files0-from=F       read input from the files specified by\n"
    "                            NUL-terminated names in file F;\n"
    "                            If F is - then read names from standard input\n"
    "  -k, --key=KEYDEF          sort via a key; KEYDEF gives location and type\n"
    "  -m, --merge               merge already sorted files; do not sort\n"
    "  -o, --output=FILE         write result to FILE instead of standard output\n"
    "  -s, --stable              stabilize sort by disabling last-resort comparison\n"
    "  -S, --buffer-size=SIZE    use SIZE for main memory buffer\n"
    "  -t, --field-separator=SEP  use SEP instead of non-blank to blank transition\n"
    "  -T, --temporary-directory=DIR  use DIR for temporaries, not $TMPDIR or /tmp;\n"
    "                              multiple options specify multiple directories\n"
    "      --parallel=N          change the number of sorts run concurrently to N\n"
    "  -u, --unique              with -c, check for strict ordering;\n"
    "                              without -c, output only the first of an equal run\n"
    "  -z, --zero-terminated     line delimiter is NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "KEYDEF is F[.C][OPTS][,F[.C][OPTS]] for start and stop position, where F is a\n"
    "field number and C a character position in the field; both are origin 1, and\n"
    "the stop position defaults to the line's end.  If neither -t nor -b is in\n"
    "effect, characters in a field are counted from the beginning of the preceding\n"
    "whitespace.  OPTS is one or more single-letter ordering options [bdfgiMhnRrV],\n"
    "which override global ordering options for that key.  If no key is given, use\n"
    "the entire line as the key.  Use --debug to diagnose incorrect key usage.\n"
    "\n"
    "SIZE may be followed by the following multiplicative suffixes:\n"
    "%% 1%% of memory, b 1, K 1024 (default), and so on for M, G, T, P, E, Z, Y.\n"
    "\n"
    "*** WARNING ***\n"
    "The locale specified by the environment affects sort order.\n"
    "Set LC_ALL=C to get the traditional sort order that uses\n"
    "native byte values.\n"
    "\n"
    COREUTILS_HELP_TAIL("sort", "sort");

enum {
    OPT_RANDOM_SOURCE = 256,
    OPT_SORT,
    OPT_BATCH,
    OPT_COMPRESS,
    OPT_FILES0,
    OPT_PARALLEL,
    OPT_DEBUG,
    OPT_CHECK
};
static const struct opt_long longs[] = {
    {"ignore-leading-blanks", OPT_NOARG, 'b'},
    {"check", OPT_OPTARG, OPT_CHECK},
    {"compress-program", OPT_ARG, OPT_COMPRESS},
    {"dictionary-order", OPT_NOARG, 'd'},
    {"ignore-case", OPT_NOARG, 'f'},
    {"files0-from", OPT_ARG, OPT_FILES0},
    {"general-numeric-sort", OPT_NOARG, 'g'},
    {"ignore-nonprinting", OPT_NOARG, 'i'},
    {"key", OPT_ARG, 'k'},
    {"merge", OPT_NOARG, 'm'},
    {"month-sort", OPT_NOARG, 'M'},
    {"numeric-sort", OPT_NOARG, 'n'},
    {"human-numeric-sort", OPT_NOARG, 'h'},
    {"version-sort", OPT_NOARG, 'V'},
    {"random-sort", OPT_NOARG, 'R'},
    {"random-source", OPT_ARG, OPT_RANDOM_SOURCE},
    {"sort", OPT_ARG, OPT_SORT},
    {"output", OPT_ARG, 'o'},
    {"reverse", OPT_NOARG, 'r'},
    {"stable", OPT_NOARG, 's'},
    {"batch-size", OPT_ARG, OPT_BATCH},
    {"buffer-size", OPT_ARG, 'S'},
    {"field-separator", OPT_ARG, 't'},
    {"temporary-directory", OPT_ARG, 'T'},
    {"unique", OPT_NOARG, 'u'},
    {"zero-terminated", OPT_NOARG, 'z'},
    {"parallel", OPT_ARG, OPT_PARALLEL},
    {0}};
static const struct opt_spec spec = {.name = "sort",
                                     .shorts = "bcCdfghik:mMno:rRsS:t:T:uVy:z",
                                     .longs = longs,
                                     .help = sort_help,
                                     .authors = "Mike Haertel and Paul Eggert",
                                     .err_status = 2};

#define SORT_FAILURE 2
#define TAB_DEFAULT 256
#define NOPOS SIZE_MAX

struct key {
    size_t sword, schar, eword, echar;
    const bool *ignore;
    const unsigned char *translate;
    bool skipsblanks, skipeblanks, numeric, general_numeric, human_numeric, month, version, random,
        reverse;
};

struct line {
    char *text;    /* the line, its delimiter replaced by NUL */
    size_t length; /* including that NUL */
    union {
        struct {
            char *keybeg, *keylim; /* the first key, when there are keys */
        };
        uint64_t prefix; /* no keys: the first 8 bytes, big-endian, for quick compares */
    };
};

struct sorter {
    struct proc *p;
    struct key *keys;
    size_t nkeys, cap_keys;
    int tab;
    char eol;
    bool unique, stable, reverse;
    bool blanks[256], nonprinting[256], nondictionary[256];
    unsigned char fold[256];
    struct md5_ctx random_state;
    /* input */
    char **chunks;
    size_t nchunks, cap_chunks;
    char *cur; /* current chunk: [cur_used, cur_cap) free */
    size_t cur_used, cur_cap;
    struct line *lines;
    size_t nlines, cap_lines;
    bool oom;
    long checks;
};

static bool key_numeric(const struct key *k)
{
    return k->numeric || k->general_numeric || k->human_numeric;
}

static bool default_key_compare(const struct key *k)
{
    return !(k->ignore || k->translate || k->skipsblanks || k->skipeblanks || key_numeric(k) ||
             k->month || k->version || k->random);
}

/* ---- fields ---------------------------------------------------------------- */

static char *begfield(const struct sorter *s, const struct line *line, const struct key *key)
{
    char *ptr = line->text, *lim = ptr + line->length - 1;
    size_t sword = key->sword, schar = key->schar;
    if (s->tab != TAB_DEFAULT)
        while (ptr < lim && sword--) {
            while (ptr < lim && *ptr != (char)s->tab) ++ptr;
            if (ptr < lim) ++ptr;
        }
    else
        while (ptr < lim && sword--) {
            while (ptr < lim && s->blanks[(unsigned char)*ptr]) ++ptr;
            while (ptr < lim && !s->blanks[(unsigned char)*ptr]) ++ptr;
        }
    if (key->skipsblanks)
        while (ptr < lim && s->blanks[(unsigned char)*ptr]) ++ptr;
    ptr = (size_t)(lim - ptr) < schar ? lim : ptr + schar;
    return ptr;
}

static char *limfield(const struct sorter *s, const struct line *line, const struct key *key)
{
    char *ptr = line->text, *lim = ptr + line->length - 1;
    size_t eword = key->eword, echar = key->echar;
    if (echar == 0) eword++;
    if (s->tab != TAB_DEFAULT)
        while (ptr < lim && eword--) {
            while (ptr < lim && *ptr != (char)s->tab) ++ptr;
            if (ptr < lim && (eword || echar)) ++ptr;
        }
    else
        while (ptr < lim && eword--) {
            while (ptr < lim && s->blanks[(unsigned char)*ptr]) ++ptr;
            while (ptr < lim && !s->blanks[(unsigned char)*ptr]) ++ptr;
        }
    if (echar != 0) {
        if (key->skipeblanks)
            while (ptr < lim && s->blanks[(unsigned char)*ptr]) ++ptr;
        ptr = (size_t)(lim - ptr) < echar ? lim : ptr + echar;
    }
    return ptr;
}

static void set_first_key(const struct sorter *s, struct line *l)
{
    const struct key *key = &s->keys[0];
    l->keylim = key->eword == NOPOS ? l->text + l->length - 1 : limfield(s, l, key);
    if (key->sword != NOPOS)
        l->keybeg = begfield(s, l, key);
    else {
        char *t = l->text;
        if (key->skipsblanks)
            while (s->blanks[(unsigned char)*t]) t++;
        l->keybeg = t;
    }
}

/* ---- comparisons -------------------------------------------------------------- */

#define ISDIGIT(c) ((unsigned)(c) - '0' <= 9)

static int fraccompare(const char *a, const char *b)
{
    if (*a == '.' && *b == '.') {
        while (*++a == *++b)
            if (!ISDIGIT(*a)) return 0;
        if (ISDIGIT(*a) && ISDIGIT(*b)) return *a - *b;
        if (ISDIGIT(*a)) goto a_trailing_nonzero;
        if (ISDIGIT(*b)) goto b_trailing_nonzero;
        return 0;
    } else if (*a++ == '.') {
    a_trailing_nonzero:
        while (*a == '0') a++;
        return ISDIGIT(*a);
    } else if (*b++ == '.') {
    b_trailing_nonzero:
        while (*b == '0') b++;
        return -ISDIGIT(*b);
    }
    return 0;
}

/* gnulib strnumcmp with '.' as the decimal point and no thousands
 * separator (C.UTF-8 has none). */
static int strnumcmp(const char *a, const char *b)
{
    unsigned char tmpa = (unsigned char)*a, tmpb = (unsigned char)*b;
    int tmp;
    size_t log_a, log_b;
    if (tmpa == '-') {
        do tmpa = (unsigned char)*++a;
        while (tmpa == '0');
        if (tmpb != '-') {
            if (tmpa == '.') do
                    tmpa = (unsigned char)*++a;
                while (tmpa == '0');
            if (ISDIGIT(tmpa)) return -1;
            while (tmpb == '0') tmpb = (unsigned char)*++b;
            if (tmpb == '.') do
                    tmpb = (unsigned char)*++b;
                while (tmpb == '0');
            return -ISDIGIT(tmpb);
        }
        do tmpb = (unsigned char)*++b;
        while (tmpb == '0');
        while (tmpa == tmpb && ISDIGIT(tmpa)) {
            tmpa = (unsigned char)*++a;
            tmpb = (unsigned char)*++b;
        }
        if ((tmpa == '.' && !ISDIGIT(tmpb)) || (tmpb == '.' && !ISDIGIT(tmpa)))
            return fraccompare(b, a);
        tmp = tmpb - tmpa;
        for (log_a = 0; ISDIGIT(tmpa); ++log_a) tmpa = (unsigned char)*++a;
        for (log_b = 0; ISDIGIT(tmpb); ++log_b) tmpb = (unsigned char)*++b;
        if (log_a != log_b) return log_a < log_b ? 1 : -1;
        if (!log_a) return 0;
        return tmp;
    } else if (tmpb == '-') {
        do tmpb = (unsigned char)*++b;
        while (tmpb == '0');
        if (tmpb == '.') do
                tmpb = (unsigned char)*++b;
            while (tmpb == '0');
        if (ISDIGIT(tmpb)) return 1;
        while (tmpa == '0') tmpa = (unsigned char)*++a;
        if (tmpa == '.') do
                tmpa = (unsigned char)*++a;
            while (tmpa == '0');
        return ISDIGIT(tmpa);
    } else {
        while (tmpa == '0') tmpa = (unsigned char)*++a;
        while (tmpb == '0') tmpb = (unsigned char)*++b;
        while (tmpa == tmpb && ISDIGIT(tmpa)) {
            tmpa = (unsigned char)*++a;
            tmpb = (unsigned char)*++b;
        }
        if ((tmpa == '.' && !ISDIGIT(tmpb)) || (tmpb == '.' && !ISDIGIT(tmpa)))
            return fraccompare(a, b);
        tmp = tmpa - tmpb;
        for (log_a = 0; ISDIGIT(tmpa); ++log_a) tmpa = (unsigned char)*++a;
        for (log_b = 0; ISDIGIT(tmpb); ++log_b) tmpb = (unsigned char)*++b;
        if (log_a != log_b) return log_a < log_b ? -1 : 1;
        if (!log_a) return 0;
        return tmp;
    }
}

static int unit_order(const char *number)
{
    const unsigned char *p = (const unsigned char *)number;
    bool minus = *p == '-';
    p += minus;
    int nonzero = 0;
    unsigned char ch;
    while (ISDIGIT(ch = *p++)) nonzero |= ch - '0';
    if (ch == '.')
        while (ISDIGIT(ch = *p++)) nonzero |= ch - '0';
    if (!nonzero) return 0;
    int order;
    switch (ch) {
    case 'K':
    case 'k': order = 1; break;
    case 'M': order = 2; break;
    case 'G': order = 3; break;
    case 'T': order = 4; break;
    case 'P': order = 5; break;
    case 'E': order = 6; break;
    case 'Z': order = 7; break;
    case 'Y': order = 8; break;
    default: order = 0;
    }
    return minus ? -order : order;
}

static int human_numcompare(const struct sorter *s, const char *a, const char *b)
{
    while (s->blanks[(unsigned char)*a]) a++;
    while (s->blanks[(unsigned char)*b]) b++;
    int oa = unit_order(a), ob = unit_order(b);
    return oa > ob ? 1 : oa < ob ? -1 : strnumcmp(a, b);
}

static int numcompare(const struct sorter *s, const char *a, const char *b)
{
    while (s->blanks[(unsigned char)*a]) a++;
    while (s->blanks[(unsigned char)*b]) b++;
    return strnumcmp(a, b);
}

static int general_numcompare(const char *sa, const char *sb)
{
    char *ea, *eb;
    long double a = strtold(sa, &ea);
    long double b = strtold(sb, &eb);
    if (sa == ea) return sb == eb ? 0 : -1;
    if (sb == eb) return 1;
    return a < b ? -1 : a > b ? 1 : a == b ? 0 : b == b ? -1 : a == a ? 1 : memcmp(&a, &b, 10);
}

static int getmonth(const struct sorter *s, const char *month, size_t len)
{
    static const struct {
        const char *name;
        int val;
    } tab[12] = {{"APR", 4}, {"AUG", 8}, {"DEC", 12}, {"FEB", 2}, {"JAN", 1},  {"JUL", 7},
                 {"JUN", 6}, {"MAR", 3}, {"MAY", 5},  {"NOV", 11}, {"OCT", 10}, {"SEP", 9}};
    const char *lim = month + len;
    for (;;) {
        if (month == lim) return 0;
        if (!s->blanks[(unsigned char)*month]) break;
        ++month;
    }
    size_t lo = 0, hi = 12;
    do {
        size_t ix = (lo + hi) / 2;
        const char *m = month;
        const char *n = tab[ix].name;
        for (;; m++, n++) {
            if (!*n) return tab[ix].val;
            if (m == lim || s->fold[(unsigned char)*m] < (unsigned char)*n) {
                hi = ix;
                break;
            } else if (s->fold[(unsigned char)*m] > (unsigned char)*n) {
                lo = ix + 1;
                break;
            }
        }
    } while (lo < hi);
    return 0;
}

static int compare_random(const struct sorter *s, const char *a, size_t la, const char *b,
                          size_t lb)
{
    uint32_t dig[2][4];
    struct md5_ctx c[2];
    /* GNU hashes strxfrm's output, which in C.UTF-8 is the key and a NUL. */
    c[0] = c[1] = s->random_state;
    md5_update(&c[0], a, la);
    md5_update(&c[0], "", 1);
    md5_final(&c[0], (uint8_t *)dig[0]);
    md5_update(&c[1], b, lb);
    md5_update(&c[1], "", 1);
    md5_final(&c[1], (uint8_t *)dig[1]);
    int diff = memcmp(dig[0], dig[1], sizeof dig[0]);
    if (!diff) {
        diff = memcmp(a, b, la < lb ? la : lb);
        if (!diff) diff = la < lb ? -1 : la != lb;
    }
    return diff;
}

/* gnulib filevercmp (2022). */
static bool c_isalpha(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26u;
}
static bool c_isalnum(unsigned char c)
{
    return c_isalpha(c) || ISDIGIT(c);
}

static size_t file_prefixlen(const char *s, size_t *len)
{
    size_t n = *len, prefixlen = 0;
    for (size_t i = 0;;) {
        if (i == n) {
            *len = n;
            return prefixlen;
        }
        i++;
        prefixlen = i;
        while (i + 1 < n && s[i] == '.' && (c_isalpha((unsigned char)s[i + 1]) || s[i + 1] == '~'))
            for (i += 2; i < n && (c_isalnum((unsigned char)s[i]) || s[i] == '~'); i++) continue;
    }
}

static int order(const char *s, size_t pos, size_t len)
{
    if (pos == len) return -1;
    unsigned char c = (unsigned char)s[pos];
    if (ISDIGIT(c)) return 0;
    if (c_isalpha(c)) return c;
    if (c == '~') return -2;
    return c + 256;
}

static int verrevcmp(const char *s1, size_t s1_len, const char *s2, size_t s2_len)
{
    size_t s1_pos = 0, s2_pos = 0;
    while (s1_pos < s1_len || s2_pos < s2_len) {
        int first_diff = 0;
        while ((s1_pos < s1_len && !ISDIGIT(s1[s1_pos])) ||
               (s2_pos < s2_len && !ISDIGIT(s2[s2_pos]))) {
            int s1_c = order(s1, s1_pos, s1_len);
            int s2_c = order(s2, s2_pos, s2_len);
            if (s1_c != s2_c) return s1_c - s2_c;
            s1_pos++;
            s2_pos++;
        }
        while (s1_pos < s1_len && s1[s1_pos] == '0') s1_pos++;
        while (s2_pos < s2_len && s2[s2_pos] == '0') s2_pos++;
        while (s1_pos < s1_len && s2_pos < s2_len && ISDIGIT(s1[s1_pos]) && ISDIGIT(s2[s2_pos])) {
            if (!first_diff) first_diff = s1[s1_pos] - s2[s2_pos];
            s1_pos++;
            s2_pos++;
        }
        if (s1_pos < s1_len && ISDIGIT(s1[s1_pos])) return 1;
        if (s2_pos < s2_len && ISDIGIT(s2[s2_pos])) return -1;
        if (first_diff) return first_diff;
    }
    return 0;
}

static int filevercmp(const char *a, const char *b)
{
    size_t alen = strlen(a), blen = strlen(b);
    if (!alen) return -!!blen;
    if (!blen) return 1;
    if (a[0] == '.') {
        if (b[0] != '.') return -1;
        bool adot = alen == 1, bdot = blen == 1;
        if (adot) return -!bdot;
        if (bdot) return 1;
        bool adotdot = a[1] == '.' && alen == 2, bdotdot = b[1] == '.' && blen == 2;
        if (adotdot) return -!bdotdot;
        if (bdotdot) return 1;
    } else if (b[0] == '.')
        return 1;
    size_t aprefix = file_prefixlen(a, &alen), bprefix = file_prefixlen(b, &blen);
    bool one_pass = aprefix == alen && bprefix == blen;
    int r = verrevcmp(a, aprefix, b, bprefix);
    return r || one_pass ? r : verrevcmp(a, alen, b, blen);
}

static int keycompare(const struct sorter *s, const struct line *a, const struct line *b)
{
    const struct key *key = s->keys, *kend = s->keys + s->nkeys;
    char *texta = a->keybeg, *textb = b->keybeg, *lima = a->keylim, *limb = b->keylim;
    int diff;
    for (;;) {
        const unsigned char *translate = key->translate;
        const bool *ignore = key->ignore;
        if (lima < texta) lima = texta;
        if (limb < textb) limb = textb;
        size_t lena = (size_t)(lima - texta), lenb = (size_t)(limb - textb);
        if (key->random)
            diff = compare_random(s, texta, lena, textb, lenb);
        else if (key_numeric(key) || key->version) {
            char sa = *lima, sb = *limb;
            *lima = *limb = '\0';
            diff = key->numeric           ? numcompare(s, texta, textb)
                   : key->general_numeric ? general_numcompare(texta, textb)
                   : key->human_numeric   ? human_numcompare(s, texta, textb)
                                          : filevercmp(texta, textb);
            *lima = sa, *limb = sb;
        } else if (key->month)
            diff = getmonth(s, texta, lena) - getmonth(s, textb, lenb);
        else if (ignore) {
            for (;;) {
                while (texta < lima && ignore[(unsigned char)*texta]) ++texta;
                while (textb < limb && ignore[(unsigned char)*textb]) ++textb;
                if (!(texta < lima && textb < limb)) break;
                diff = translate ? translate[(unsigned char)*texta] - translate[(unsigned char)*textb]
                                 : (unsigned char)*texta - (unsigned char)*textb;
                if (diff) goto not_equal;
                ++texta;
                ++textb;
            }
            diff = (texta < lima) - (textb < limb);
        } else if (lena == 0)
            diff = -(lenb != 0);
        else if (lenb == 0)
            diff = 1;
        else {
            if (translate) {
                diff = 0;
                while (texta < lima && textb < limb) {
                    diff = translate[(unsigned char)*texta++] - translate[(unsigned char)*textb++];
                    if (diff) goto not_equal;
                }
            } else {
                diff = memcmp(texta, textb, lena < lenb ? lena : lenb);
                if (diff) goto not_equal;
            }
            diff = lena < lenb ? -1 : lena != lenb;
        }
        if (diff) goto not_equal;
        if (++key == kend) break;
        if (key->eword != NOPOS)
            lima = limfield(s, a, key), limb = limfield(s, b, key);
        else
            lima = a->text + a->length - 1, limb = b->text + b->length - 1;
        if (key->sword != NOPOS)
            texta = begfield(s, a, key), textb = begfield(s, b, key);
        else {
            texta = a->text, textb = b->text;
            if (key->skipsblanks) {
                while (texta < lima && s->blanks[(unsigned char)*texta]) ++texta;
                while (textb < limb && s->blanks[(unsigned char)*textb]) ++textb;
            }
        }
    }
    return 0;
not_equal:
    return key->reverse ? -diff : diff;
}

static int compare(const struct sorter *s, const struct line *a, const struct line *b)
{
    int diff;
    if (s->nkeys) {
        diff = keycompare(s, a, b);
        if (diff || s->unique || s->stable) return diff;
    }
    size_t alen = a->length - 1, blen = b->length - 1;
    if (alen == 0)
        diff = -(blen != 0);
    else if (blen == 0)
        diff = 1;
    else if (!(diff = memcmp(a->text, b->text, alen < blen ? alen : blen)))
        diff = alen < blen ? -1 : alen != blen;
    return s->reverse ? -diff : diff;
}

/* ---- merge sort ------------------------------------------------------------ */

/* Byte order of whole lines (their NULs included, which orders a prefix
 * first), starting with the cached first 8 bytes. */
static inline int cmp_fast(const struct line *a, const struct line *b)
{
    if (a->prefix != b->prefix) return a->prefix < b->prefix ? -1 : 1;
    size_t alen = a->length, blen = b->length, m = alen < blen ? alen : blen;
    if (m > 8) {
        int d = memcmp(a->text + 8, b->text + 8, m - 8);
        if (d) return d;
    }
    return alen < blen ? -1 : alen != blen;
}

static uint64_t line_prefix(const char *t, size_t len)
{
    uint64_t v = 0;
    for (size_t i = 0; i < 8; i++) v = v << 8 | (i < len ? (unsigned char)t[i] : 0);
    return v;
}

#define CMP(s, a, b) (fast ? rev * cmp_fast(a, b) : compare(s, a, b))

/* Stable merge sort of v[0..n) using tmp (n elements) as scratch.
 * Returns false when the process is killed meanwhile. */
static bool merge_sort(struct sorter *s, struct line *v, struct line *tmp, size_t n)
{
    /* The no-key, no-option order is plain byte order: compare inline.
     * (The NUL ending each line sorts a prefix first, as GNU does.) */
    bool fast = s->nkeys == 0;
    int rev = s->reverse ? -1 : 1;
    const size_t RUN = 16;
    for (size_t lo = 0; lo < n; lo += RUN) {
        size_t hi = lo + RUN < n ? lo + RUN : n;
        for (size_t i = lo + 1; i < hi; i++) {
            struct line x = v[i];
            size_t j = i;
            while (j > lo && CMP(s, &v[j - 1], &x) > 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        if ((lo & 0xffff) == 0 && proc_check(s->p) < 0) return false;
    }
    struct line *src = v, *dst = tmp;
    for (size_t width = RUN; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            if (mid < hi && CMP(s, &src[mid - 1], &src[mid]) <= 0) {
                memcpy(&dst[lo], &src[lo], (hi - lo) * sizeof *src);
                continue;
            }
            while (i < mid && j < hi) {
                if (CMP(s, &src[j], &src[i]) < 0)
                    dst[k++] = src[j++];
                else
                    dst[k++] = src[i++];
            }
            if (i < mid) memcpy(&dst[k], &src[i], (mid - i) * sizeof *src);
            if (j < hi) memcpy(&dst[k], &src[j], (hi - j) * sizeof *src);
            if ((lo & 0x3ffff) == 0 && proc_check(s->p) < 0) return false;
        }
        struct line *t = src;
        src = dst;
        dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
    return true;
}

/* ---- input ------------------------------------------------------------------ */

static void sort_die(struct sorter *s, const char *msg, const char *file, int err)
{
    if (err == -EINTR) return;
    cmd_errno(s->p, err, "%s: %s", msg, cmd_quotef(s->p, file));
}

static bool add_line(struct sorter *s, char *text, size_t length)
{
    if (s->nlines == s->cap_lines) {
        size_t nc = s->cap_lines ? s->cap_lines * 2 : 4096;
        struct line *nl = p_realloc(s->p, s->lines, nc * sizeof *nl);
        if (!nl) return false;
        s->lines = nl;
        s->cap_lines = nc;
    }
    struct line *l = &s->lines[s->nlines++];
    l->text = text;
    l->length = length;
    if (s->nkeys)
        set_first_key(s, l);
    else
        l->prefix = line_prefix(text, length);
    return true;
}

/* Start a new chunk with at least want free bytes, moving the partial
 * line [from, cur_used) of the current one to its start. */
static bool new_chunk(struct sorter *s, size_t from, size_t want)
{
    size_t partial = s->cur ? s->cur_used - from : 0;
    size_t size = s->cur_cap ? s->cur_cap * 2 : (size_t)1 << 20;
    if (size > (size_t)64 << 20) size = (size_t)64 << 20;
    while (size < partial + want) size *= 2;
    if (s->nchunks == s->cap_chunks) {
        size_t nc = s->cap_chunks ? s->cap_chunks * 2 : 16;
        char **ncs = p_realloc(s->p, s->chunks, nc * sizeof *ncs);
        if (!ncs) return false;
        s->chunks = ncs;
        s->cap_chunks = nc;
    }
    char *c = p_malloc(s->p, size);
    if (!c) return false;
    if (partial) memcpy(c, s->cur + from, partial);
    /* A chunk that held only the moved partial line has no lines left. */
    if (s->cur && from == 0) {
        p_free(s->p, s->cur);
        s->nchunks--;
    }
    s->chunks[s->nchunks++] = c;
    s->cur = c;
    s->cur_used = partial;
    s->cur_cap = size;
    return true;
}

/* Read every line of fd; false on error (reported, or s->oom). */
static bool read_lines(struct sorter *s, int fd, const char *name)
{
    /* The unterminated line read so far is cur[line_start, cur_used). */
    size_t line_start = s->cur ? s->cur_used : 0;
    for (;;) {
        if (!s->cur || s->cur_cap - s->cur_used < 65536) {
            if (!new_chunk(s, line_start, 65536)) {
                s->oom = true;
                return false;
            }
            line_start = 0;
        }
        size_t want = s->cur_cap - s->cur_used;
        if (want > ((size_t)1 << 24)) want = (size_t)1 << 24;
        ssize_t r = sys_read(s->p, fd, s->cur + s->cur_used, want);
        if (r < 0) {
            sort_die(s, "read failed", name, (int)r);
            return false;
        }
        if (r == 0) break;
        char *scan = s->cur + s->cur_used, *end = scan + r;
        s->cur_used += (size_t)r;
        char *nl;
        while ((nl = memchr(scan, s->eol, (size_t)(end - scan)))) {
            *nl = '\0';
            char *text = s->cur + line_start;
            if (!add_line(s, text, (size_t)(nl + 1 - text))) {
                s->oom = true;
                return false;
            }
            scan = nl + 1;
            line_start = (size_t)(scan - s->cur);
        }
        if (proc_check(s->p) < 0) return false;
    }
    if (s->cur && line_start < s->cur_used) {
        if (s->cur_used == s->cur_cap) {
            if (!new_chunk(s, line_start, 1)) {
                s->oom = true;
                return false;
            }
            line_start = 0;
        }
        size_t len = s->cur_used - line_start;
        char *text = s->cur + line_start;
        text[len] = '\0';
        s->cur_used++;
        if (!add_line(s, text, len + 1)) {
            s->oom = true;
            return false;
        }
    }
    return true;
}

/* ---- output ------------------------------------------------------------------ */

static void put_line(struct sorter *s, struct obuf *o, const struct line *l)
{
    obuf_write(o, l->text, l->length - 1);
    obuf_putc(o, s->eol);
}

/* ---- check -------------------------------------------------------------------- */

static bool copy_line(struct sorter *s, struct line *dst, size_t *cap, const char *rec, size_t n,
                      bool has_eol)
{
    size_t len = has_eol ? n : n + 1;
    if (*cap < len + 1) {
        size_t nc = *cap ? *cap : 128;
        while (nc < len + 1) nc *= 2;
        char *t = p_realloc(s->p, dst->text, nc);
        if (!t) return false;
        dst->text = t;
        *cap = nc;
    }
    memcpy(dst->text, rec, n);
    dst->text[len - 1] = '\0';
    dst->length = len;
    if (s->nkeys) set_first_key(s, dst);
    return true;
}

/* -c / -C: 0 sorted, 1 disorder, 2 error. */
static int check(struct sorter *s, const char *name, bool diagnose)
{
    struct proc *p = s->p;
    int fd = cmd_open_input(p, name);
    if (fd < 0) {
        sort_die(s, "cannot read", name, fd);
        return SORT_FAILURE;
    }
    struct ibuf in;
    ibuf_init(&in, p, fd);
    struct line prev = {0}, cur = {0};
    size_t pcap = 0, ccap = 0;
    uintmax_t lineno = 0;
    int status = 0;
    for (;;) {
        char *rec;
        ssize_t n = ibuf_getdelim(&in, s->eol, &rec);
        if (n < 0) {
            if (n == -ENOMEM)
                s->oom = true;
            else
                sort_die(s, "read failed", name, (int)n);
            status = SORT_FAILURE;
            break;
        }
        if (n == 0) break;
        lineno++;
        bool has = rec[n - 1] == s->eol;
        if (!copy_line(s, &cur, &ccap, rec, (size_t)n, has)) {
            s->oom = true;
            status = SORT_FAILURE;
            break;
        }
        if (lineno > 1) {
            int c = compare(s, &prev, &cur);
            if (s->unique ? c >= 0 : c > 0) {
                if (diagnose) {
                    struct sbuf sb;
                    sbuf_init(&sb, p);
                    sbuf_printf(&sb, "%s: %s:%ju: disorder: ", cmd_prog(p), name, lineno);
                    sbuf_add(&sb, cur.text, cur.length - 1);
                    sbuf_addc(&sb, s->eol);
                    if (sb.s) io_write_all(p, 2, sb.s, sb.len);
                    sbuf_free(&sb);
                }
                status = 1;
                break;
            }
        }
        struct line t = prev;
        size_t tc = pcap;
        prev = cur, pcap = ccap;
        cur = t, ccap = tc;
        if ((lineno & 0xffff) == 0 && proc_check(p) < 0) {
            status = SORT_FAILURE;
            break;
        }
    }
    ibuf_free(&in);
    cmd_close_input(p, fd);
    p_free(p, prev.text);
    p_free(p, cur.text);
    return status;
}

/* ---- merge (-m) ------------------------------------------------------------------ */

struct reader {
    int fd;
    const char *name;
    struct ibuf in;
    struct line line;
    size_t cap;
    bool live;
};

/* Advance reader r: false at end or on error (*err set). */
static bool reader_next(struct sorter *s, struct reader *r, int *err)
{
    char *rec;
    ssize_t n = ibuf_getdelim(&r->in, s->eol, &rec);
    if (n <= 0) {
        if (n == -ENOMEM)
            s->oom = true, *err = 1;
        else if (n < 0)
            sort_die(s, "read failed", r->name, (int)n), *err = 1;
        return false;
    }
    if (!copy_line(s, &r->line, &r->cap, rec, (size_t)n, rec[n - 1] == s->eol)) {
        s->oom = true;
        *err = 1;
        return false;
    }
    return true;
}

static int merge_files(struct sorter *s, char **files, size_t nfiles, struct obuf *o)
{
    struct proc *p = s->p;
    struct reader *rs = p_calloc(p, nfiles, sizeof *rs);
    if (!rs) {
        s->oom = true;
        return SORT_FAILURE;
    }
    int err = 0;
    for (size_t i = 0; i < nfiles; i++) {
        rs[i].name = files[i];
        rs[i].fd = cmd_open_input(p, files[i]);
        if (rs[i].fd < 0) {
            sort_die(s, "cannot read", files[i], rs[i].fd);
            for (size_t j = 0; j < i; j++) {
                if (rs[j].live) ibuf_free(&rs[j].in);
                cmd_close_input(p, rs[j].fd);
            }
            return SORT_FAILURE;
        }
        ibuf_init(&rs[i].in, p, rs[i].fd);
        rs[i].live = true;
    }
    for (size_t i = 0; i < nfiles && !err; i++)
        if (!reader_next(s, &rs[i], &err)) rs[i].live = false;
    struct line saved = {0};
    size_t scap = 0;
    bool have_saved = false;
    unsigned long iter = 0;
    while (!err) {
        struct reader *best = NULL;
        for (size_t i = 0; i < nfiles; i++)
            if (rs[i].live && (!best || compare(s, &rs[i].line, &best->line) < 0)) best = &rs[i];
        if (!best) break;
        if (s->unique) {
            if (have_saved && compare(s, &saved, &best->line)) {
                put_line(s, o, &saved);
                have_saved = false;
            }
            if (!have_saved) {
                if (!copy_line(s, &saved, &scap, best->line.text, best->line.length, true)) {
                    s->oom = true;
                    err = 1;
                    break;
                }
                have_saved = true;
            }
        } else
            put_line(s, o, &best->line);
        if (!reader_next(s, best, &err)) best->live = false;
        if ((++iter & 0xffff) == 0 && (proc_check(p) < 0 || obuf_failed(o))) break;
    }
    if (have_saved && !err) put_line(s, o, &saved);
    for (size_t i = 0; i < nfiles; i++) {
        ibuf_free(&rs[i].in);
        cmd_close_input(p, rs[i].fd);
    }
    return err ? SORT_FAILURE : 0;
}

/* ---- options ------------------------------------------------------------------- */

static const char *parse_field_count(struct sorter *s, const char *str, size_t *val,
                                     const char *msgid)
{
    char *end;
    uintmax_t n;
    enum opt_num_status r = opt_strtoumax(str, &end, 10, &n, "");
    switch (r) {
    case OPT_NUM_OK:
    case OPT_NUM_BAD_SUFFIX: *val = n > SIZE_MAX ? SIZE_MAX : (size_t)n; break;
    case OPT_NUM_OVERFLOW:
    case OPT_NUM_BAD_SUFFIX_OVERFLOW: *val = SIZE_MAX; break;
    default:
        if (msgid)
            cmd_error(s->p, "%s: invalid count at start of %s", msgid, cmd_quote(s->p, str));
        return NULL;
    }
    return end;
}

enum blanktype { BL_START, BL_END, BL_BOTH };

static const char *set_ordering(struct sorter *s, const char *str, struct key *key,
                                enum blanktype bt)
{
    for (; *str; str++) {
        switch (*str) {
        case 'b':
            if (bt != BL_END) key->skipsblanks = true;
            if (bt != BL_START) key->skipeblanks = true;
            break;
        case 'd': key->ignore = s->nondictionary; break;
        case 'f': key->translate = s->fold; break;
        case 'g': key->general_numeric = true; break;
        case 'h': key->human_numeric = true; break;
        case 'i':
            if (!key->ignore) key->ignore = s->nonprinting;
            break;
        case 'M': key->month = true; break;
        case 'n': key->numeric = true; break;
        case 'R': key->random = true; break;
        case 'r': key->reverse = true; break;
        case 'V': key->version = true; break;
        default: return str;
        }
    }
    return str;
}

static bool add_key(struct sorter *s, const struct key *k)
{
    if (s->nkeys == s->cap_keys) {
        size_t nc = s->cap_keys ? s->cap_keys * 2 : 8;
        struct key *nk = p_realloc(s->p, s->keys, nc * sizeof *nk);
        if (!nk) return false;
        s->keys = nk;
        s->cap_keys = nc;
    }
    s->keys[s->nkeys++] = *k;
    return true;
}

static int badfieldspec(struct sorter *s, const char *spec_, const char *msg)
{
    cmd_error(s->p, "%s: invalid field specification %s", msg, cmd_quote(s->p, spec_));
    return -1;
}

/* -k KEYDEF: 0, or -1 after an error message. */
static int parse_key(struct sorter *s, const char *arg)
{
    struct key k = {.eword = NOPOS};
    const char *str = parse_field_count(s, arg, &k.sword, "invalid number at field start");
    if (!str) return -1;
    if (!k.sword--) return badfieldspec(s, arg, "field number is zero");
    if (*str == '.') {
        str = parse_field_count(s, str + 1, &k.schar, "invalid number after '.'");
        if (!str) return -1;
        if (!k.schar--) return badfieldspec(s, arg, "character offset is zero");
    }
    if (!(k.sword || k.schar)) k.sword = NOPOS;
    str = set_ordering(s, str, &k, BL_START);
    if (*str != ',') {
        k.eword = NOPOS;
        k.echar = 0;
    } else {
        str = parse_field_count(s, str + 1, &k.eword, "invalid number after ','");
        if (!str) return -1;
        if (!k.eword--) return badfieldspec(s, arg, "field number is zero");
        if (*str == '.') {
            str = parse_field_count(s, str + 1, &k.echar, "invalid number after '.'");
            if (!str) return -1;
        }
        str = set_ordering(s, str, &k, BL_END);
    }
    if (*str) return badfieldspec(s, arg, "stray character in field spec");
    if (!add_key(s, &k)) return -1;
    return 0;
}

/* The obsolete "+POS1 [-POS2]" key: 1 taken (and *used args consumed),
 * 0 not a key (a file), -1 error. */
static int parse_obsolete_key(struct sorter *s, char **argv, int i, int argc, int *used)
{
    const char *arg = argv[i];
    struct key k = {.eword = NOPOS};
    const char *str = parse_field_count(s, arg + 1, &k.sword, NULL);
    if (str && *str == '.') str = parse_field_count(s, str + 1, &k.schar, NULL);
    if (!(k.sword || k.schar)) k.sword = NOPOS;
    if (!str || *set_ordering(s, str, &k, BL_START)) return 0;
    *used = 1;
    if (i + 1 < argc && argv[i + 1][0] == '-' && ISDIGIT(argv[i + 1][1])) {
        const char *a1 = argv[i + 1];
        *used = 2;
        str = parse_field_count(s, a1 + 1, &k.eword, "invalid number after '-'");
        if (!str) return -1;
        if (*str == '.') {
            str = parse_field_count(s, str + 1, &k.echar, "invalid number after '.'");
            if (!str) return -1;
        }
        if (!k.echar && k.eword) k.eword--;
        if (*set_ordering(s, str, &k, BL_END)) {
            badfieldspec(s, a1, "stray character in field spec");
            return -1;
        }
    }
    return add_key(s, &k) ? 1 : -1;
}

/* -S SIZE: xstrtoumax with sort's suffixes. */
static int check_size(struct sorter *s, const char *opt, const char *arg)
{
    char *end;
    uintmax_t n;
    enum opt_num_status r = opt_strtoumax(arg, &end, 10, &n, "EgGkKmMPtTYZ");
    if (r == OPT_NUM_BAD_SUFFIX && end[0] && !end[1] && (*end == '%' || *end == 'b'))
        r = OPT_NUM_OK;
    if (r == OPT_NUM_OK) return 0;
    if (r == OPT_NUM_OVERFLOW || r == OPT_NUM_BAD_SUFFIX_OVERFLOW)
        return 0; /* GNU clamps huge sizes to the memory size */
    if (r == OPT_NUM_BAD_SUFFIX)
        cmd_error(s->p, "invalid suffix in %s argument '%s'", opt, arg);
    else
        cmd_error(s->p, "invalid %s argument '%s'", opt, arg);
    return -1;
}

/* Global-option letters in GNU's key_to_opts order. */
static void opts_string(const struct sorter *s, const struct key *k, char *o)
{
    if (k->skipsblanks || k->skipeblanks) *o++ = 'b';
    if (k->ignore == s->nondictionary) *o++ = 'd';
    if (k->translate) *o++ = 'f';
    if (k->general_numeric) *o++ = 'g';
    if (k->human_numeric) *o++ = 'h';
    if (k->ignore == s->nonprinting) *o++ = 'i';
    if (k->month) *o++ = 'M';
    if (k->numeric) *o++ = 'n';
    if (k->random) *o++ = 'R';
    if (k->reverse) *o++ = 'r';
    if (k->version) *o++ = 'V';
    *o = 0;
}

static bool read_random_source(struct sorter *s, const char *name)
{
    struct proc *p = s->p;
    uint8_t buf[16];
    size_t got = 0;
    if (name) {
        int fd = sys_open(p, name, O_RDONLY, 0);
        if (fd < 0) {
            sort_die(s, "open failed", name, fd);
            return false;
        }
        while (got < sizeof buf) {
            ssize_t r = sys_read(p, fd, buf + got, sizeof buf - got);
            if (r < 0) {
                sort_die(s, "read failed", name, (int)r);
                sys_close(p, fd);
                return false;
            }
            if (r == 0) {
                cmd_error(p, "%s: end of file", cmd_quotef(p, name));
                sys_close(p, fd);
                return false;
            }
            got += (size_t)r;
        }
        sys_close(p, fd);
    } else if (sys_getrandom(p, buf, sizeof buf) != (ssize_t)sizeof buf) {
        cmd_error(p, "cannot get random bytes");
        return false;
    }
    md5_init(&s->random_state);
    md5_update(&s->random_state, buf, sizeof buf);
    return true;
}

/* --files0-from=F: the names in F, NUL-separated. */
static char **read_files0(struct sorter *s, const char *f, size_t *n)
{
    struct proc *p = s->p;
    int fd = cmd_open_input(p, f);
    if (fd < 0) {
        sort_die(s, "open failed", f, fd);
        return NULL;
    }
    struct ibuf in;
    ibuf_init(&in, p, fd);
    char **names = NULL;
    size_t cnt = 0, cap = 0;
    bool ok = true;
    for (;;) {
        char *rec;
        ssize_t r = ibuf_getdelim(&in, '\0', &rec);
        if (r < 0) {
            cmd_errno(p, (int)r, "cannot read file names from %s", cmd_quoteaf(p, f));
            ok = false;
            break;
        }
        if (r == 0) break;
        size_t len = rec[r - 1] == '\0' ? (size_t)r - 1 : (size_t)r;
        if (len == 0) {
            cmd_error(p, "%s:%zu: invalid zero-length file name", cmd_quotef(p, f), cnt + 1);
            ok = false;
            break;
        }
        if (cnt + 1 >= cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = p_realloc(p, names, cap * sizeof *nn);
            if (!nn) {
                s->oom = true;
                ok = false;
                break;
            }
            names = nn;
        }
        names[cnt] = p_strndup(p, rec, len);
        if (!names[cnt]) {
            s->oom = true;
            ok = false;
            break;
        }
        if (strcmp(names[cnt], "-") == 0 && strcmp(f, "-") == 0) {
            cmd_error(p, "when reading file names from stdin, no file name of %s allowed",
                      cmd_quoteaf(p, "-"));
            ok = false;
            break;
        }
        cnt++;
    }
    ibuf_free(&in);
    cmd_close_input(p, fd);
    if (!ok) return NULL;
    if (cnt == 0) {
        cmd_error(p, "no input from %s", cmd_quoteaf(p, f));
        return NULL;
    }
    *n = cnt;
    return names;
}

int cmd_sort(struct proc *p, int argc, char **argv)
{
    struct sorter s = {.p = p, .tab = TAB_DEFAULT, .eol = '\n'};
    for (int i = 0; i < 256; i++) {
        s.blanks[i] = i == ' ' || i == '\t' || i == '\n';
        s.nonprinting[i] = !(i >= 0x20 && i < 0x7f);
        bool alnum = (i >= '0' && i <= '9') || ((i | 0x20) >= 'a' && (i | 0x20) <= 'z');
        s.nondictionary[i] = !alnum && !s.blanks[i];
        s.fold[i] = (unsigned char)(i >= 'a' && i <= 'z' ? i - 32 : i);
    }
    struct key gkey = {.eword = NOPOS};
    int checkonly = 0;
    bool merge = false;
    const char *outfile = NULL, *random_source = NULL, *files0 = NULL;

    /* The obsolete +POS1 [-POS2] keys are found before option parsing so
     * that they keep their place among -k options; they become "-k\1N". */
    char **av = p_calloc(p, (size_t)argc + 1, sizeof *av);
    if (!av) {
        cmd_error(p, "memory exhausted");
        return SORT_FAILURE;
    }
    int ac = 0;
    struct key *obs = NULL;
    size_t nobs = 0;
    bool posixly = proc_getenv(p, "POSIXLY_CORRECT") != NULL;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (i > 0 && strcmp(a, "--") == 0) {
            while (i < argc) av[ac++] = argv[i++];
            break;
        }
        if (i > 0 && a[0] == '+' && !posixly) {
            int used = 0;
            size_t before = s.nkeys;
            int r = parse_obsolete_key(&s, argv, i, argc, &used);
            if (r < 0) return SORT_FAILURE;
            if (r > 0) {
                struct key *no = p_realloc(p, obs, (nobs + 1) * sizeof *no);
                if (!no) {
                    cmd_error(p, "memory exhausted");
                    return SORT_FAILURE;
                }
                obs = no;
                obs[nobs] = s.keys[before];
                s.nkeys = before;
                char buf[32];
                snprintf(buf, sizeof buf, "-k\001%zu", nobs++);
                av[ac++] = p_strdup(p, buf);
                i += used - 1;
                continue;
            }
        }
        av[ac++] = a;
        /* Skip the separate argument of an option that takes one. */
        if (i > 0 && a[0] == '-' && a[1] && a[1] != '-') {
            for (const char *c = a + 1; *c; c++) {
                if (strchr("kotSTy", *c)) {
                    if (!c[1] && i + 1 < argc) av[ac++] = argv[++i];
                    break;
                }
                if (!strchr("bcCdfghimMnrRsuVz", *c)) break;
            }
        } else if (i > 0 && a[0] == '-' && a[1] == '-' && a[2] && !strchr(a, '=')) {
            static const char *const with_arg[] = {
                "key",        "output",         "buffer-size", "field-separator",
                "temporary-directory", "random-source", "sort", "batch-size",
                "compress-program", "files0-from", "parallel", NULL};
            size_t n = strlen(a + 2);
            for (int k = 0; with_arg[k]; k++)
                if (strncmp(with_arg[k], a + 2, n) == 0) {
                    if (i + 1 < argc) av[ac++] = argv[++i];
                    break;
                }
        }
    }
    av[ac] = NULL;

    static const char *const sort_words[] = {"general-numeric", "human-numeric", "month",
                                             "numeric",         "random",        "version", NULL};
    static const char sort_letters[] = "ghMnRV";
    static const char *const check_words[] = {"quiet", "silent", "diagnose-first", NULL};
    static const int check_vals[] = {'C', 'C', 'c'};

    struct opt_state o;
    opt_init(&o, p, &spec, ac, av);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'b':
        case 'd':
        case 'f':
        case 'g':
        case 'h':
        case 'i':
        case 'M':
        case 'n':
        case 'r':
        case 'R':
        case 'V': {
            char str[2] = {(char)c, 0};
            set_ordering(&s, str, &gkey, BL_BOTH);
            break;
        }
        case OPT_SORT: {
            int k = opt_argmatch(&o, "--sort", o.arg, sort_words);
            if (k < 0) return 1;
            char str[2] = {sort_letters[k], 0};
            set_ordering(&s, str, &gkey, BL_BOTH);
            break;
        }
        case OPT_CHECK:
        case 'c':
        case 'C': {
            int want = c;
            if (c == OPT_CHECK) {
                want = 'c';
                if (o.arg) {
                    int k = opt_argmatch_vals(&o, "--check", o.arg, check_words, check_vals);
                    if (k < 0) return 1;
                    want = check_vals[k];
                }
            }
            if (checkonly && checkonly != want) {
                cmd_error(p, "options '-cC' are incompatible");
                return SORT_FAILURE;
            }
            checkonly = want;
            break;
        }
        case OPT_COMPRESS:
        case 'T':
        case 'y': break;
        case OPT_FILES0: files0 = o.arg; break;
        case 'k':
            if (o.arg[0] == '\001') {
                if (!add_key(&s, &obs[strtoul(o.arg + 1, NULL, 10)])) {
                    cmd_error(p, "memory exhausted");
                    return SORT_FAILURE;
                }
            } else if (parse_key(&s, o.arg) < 0)
                return SORT_FAILURE;
            break;
        case 'm': merge = true; break;
        case 'o':
            if (outfile && strcmp(outfile, o.arg) != 0) {
                cmd_error(p, "multiple output files specified");
                return SORT_FAILURE;
            }
            outfile = o.arg;
            break;
        case OPT_RANDOM_SOURCE:
            if (random_source && strcmp(random_source, o.arg) != 0) {
                cmd_error(p, "multiple random sources specified");
                return SORT_FAILURE;
            }
            random_source = o.arg;
            break;
        case 's': s.stable = true; break;
        case 'S':
            if (check_size(&s, o.long_index >= 0 ? "--buffer-size" : "-S", o.arg) < 0)
                return SORT_FAILURE;
            break;
        case 't': {
            int newtab = (unsigned char)o.arg[0];
            if (!newtab) {
                cmd_error(p, "empty tab");
                return SORT_FAILURE;
            }
            if (o.arg[1]) {
                if (strcmp(o.arg, "\\0") == 0)
                    newtab = 0;
                else {
                    cmd_error(p, "multi-character tab %s", cmd_quote(p, o.arg));
                    return SORT_FAILURE;
                }
            }
            if (s.tab != TAB_DEFAULT && s.tab != newtab) {
                cmd_error(p, "incompatible tabs");
                return SORT_FAILURE;
            }
            s.tab = newtab;
            break;
        }
        case 'u': s.unique = true; break;
        case 'z': s.eol = '\0'; break;
        case OPT_PARALLEL: {
            uintmax_t n;
            char *end;
            enum opt_num_status r = opt_strtoumax(o.arg, &end, 10, &n, "");
            if (r == OPT_NUM_OK && n == 0) {
                cmd_error(p, "number in parallel must be nonzero");
                return SORT_FAILURE;
            }
            if (r != OPT_NUM_OK && r != OPT_NUM_OVERFLOW) {
                cmd_error(p, "invalid --parallel argument '%s'", o.arg);
                return SORT_FAILURE;
            }
            break;
        }
        case OPT_BATCH: {
            uintmax_t n;
            char *end;
            enum opt_num_status r = opt_strtoumax(o.arg, &end, 10, &n, "");
            if (r == OPT_NUM_OK && n < 2) {
                cmd_error(p, "invalid --batch-size argument %s", cmd_quote(p, o.arg));
                cmd_error(p, "minimum --batch-size argument is %s", cmd_quote(p, "2"));
                return SORT_FAILURE;
            }
            if (r != OPT_NUM_OK && r != OPT_NUM_OVERFLOW) {
                cmd_error(p, "invalid --batch-size argument '%s'", o.arg);
                return SORT_FAILURE;
            }
            break;
        }
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }

    /* Keys without options inherit the global ones. */
    bool need_random = false;
    for (size_t i = 0; i < s.nkeys; i++) {
        struct key *k = &s.keys[i];
        if (default_key_compare(k) && !k->reverse) {
            k->ignore = gkey.ignore;
            k->translate = gkey.translate;
            k->skipsblanks = gkey.skipsblanks;
            k->skipeblanks = gkey.skipeblanks;
            k->month = gkey.month;
            k->numeric = gkey.numeric;
            k->general_numeric = gkey.general_numeric;
            k->human_numeric = gkey.human_numeric;
            k->version = gkey.version;
            k->random = gkey.random;
            k->reverse = gkey.reverse;
        }
        need_random |= k->random;
    }
    if (!s.nkeys && !default_key_compare(&gkey)) {
        gkey.sword = 0;
        if (!add_key(&s, &gkey)) {
            cmd_error(p, "memory exhausted");
            return SORT_FAILURE;
        }
        need_random |= gkey.random;
    }
    for (size_t i = 0; i < s.nkeys; i++) {
        struct key *k = &s.keys[i];
        if (1 < k->numeric + k->general_numeric + k->human_numeric + k->month +
                    (k->version | k->random | !!k->ignore)) {
            struct key t = *k;
            t.skipsblanks = t.skipeblanks = t.reverse = false;
            char opts[16];
            opts_string(&s, &t, opts);
            cmd_error(p, "options '-%s' are incompatible", opts);
            return SORT_FAILURE;
        }
    }
    s.reverse = gkey.reverse;

    static char *dash[] = {"-", NULL};
    char **files = o.ind < ac ? av + o.ind : dash;
    size_t nfiles = o.ind < ac ? (size_t)(ac - o.ind) : 1;
    if (files0) {
        if (o.ind < ac) {
            cmd_error(p, "extra operand %s", cmd_quoteaf(p, av[o.ind]));
            const char *m = "file operands cannot be combined with --files0-from\n";
            io_write_all(p, 2, m, strlen(m));
            opt_usage_error(&o, NULL);
            return SORT_FAILURE;
        }
        files = read_files0(&s, files0, &nfiles);
        if (!files) {
            if (s.oom) cmd_error(p, "memory exhausted");
            return SORT_FAILURE;
        }
    }

    if (checkonly) {
        if (nfiles > 1) {
            cmd_error(p, "extra operand %s not allowed with -%c", cmd_quoteaf(p, files[1]),
                      checkonly);
            return SORT_FAILURE;
        }
        if (outfile) {
            cmd_error(p, "options '-%co' are incompatible", checkonly);
            return SORT_FAILURE;
        }
        if (need_random && !read_random_source(&s, random_source)) return SORT_FAILURE;
        int r = check(&s, files[0], checkonly == 'c');
        if (s.oom) cmd_error(p, "memory exhausted");
        return r;
    }
    if (need_random && !read_random_source(&s, random_source)) return SORT_FAILURE;

    int status = 0;
    if (!merge) {
        for (size_t i = 0; i < nfiles; i++) {
            int fd = cmd_open_input(p, files[i]);
            if (fd < 0) {
                sort_die(&s, "cannot read", files[i], fd);
                return SORT_FAILURE;
            }
            bool ok = read_lines(&s, fd, files[i]);
            cmd_close_input(p, fd);
            if (!ok) {
                if (s.oom) cmd_error(p, "memory exhausted");
                return SORT_FAILURE;
            }
        }
        if (s.nlines > 1) {
            struct line *tmp = p_malloc(p, s.nlines * sizeof *tmp);
            if (!tmp) {
                cmd_error(p, "memory exhausted");
                return SORT_FAILURE;
            }
            if (!merge_sort(&s, s.lines, tmp, s.nlines)) return SORT_FAILURE;
            p_free(p, tmp);
        }
    }

    int outfd = 1;
    if (outfile) {
        outfd = sys_open(p, outfile, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (outfd < 0) {
            sort_die(&s, "open failed", outfile, outfd);
            return SORT_FAILURE;
        }
    }
    struct obuf out;
    obuf_init(&out, p, outfd);
    if (merge)
        status = merge_files(&s, files, nfiles, &out);
    else {
        for (size_t i = 0; i < s.nlines && !obuf_failed(&out); i++) {
            if (s.unique && i > 0 && compare(&s, &s.lines[i - 1], &s.lines[i]) == 0) continue;
            put_line(&s, &out, &s.lines[i]);
        }
    }
    if (s.oom) cmd_error(p, "memory exhausted");
    int err = obuf_flush(&out);
    obuf_free(&out);
    if (outfd != 1) sys_close(p, outfd);
    if (err && err != -EPIPE && err != -EINTR) {
        sort_die(&s, "write failed", outfile ? outfile : "standard output", err);
        return SORT_FAILURE;
    }
    if (err) return SORT_FAILURE;
    return status;
}
