/* tr.c — translate, squeeze and/or delete bytes of standard input, with
 * GNU tr's set syntax (escapes, ranges, [:class:], [=c=], [c*n], [c*]),
 * its validation rules and messages, -c/-C -d -s -t. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <stdio.h>

static const char tr_help[] =
    "Usage: %s [OPTION]... STRING1 [STRING2]\n"
    "Translate, squeeze, and/or delete characters from standard input,\n"
    "writing to standard output.  STRING1 and STRING2 specify arrays of\n"
    "characters ARRAY1 and ARRAY2 that control the action.\n"
    "\n"
    "  -c, -C, --complement    use the complement of ARRAY1\n"
    "  -d, --delete            delete characters in ARRAY1, do not translate\n"
    "  -s, --squeeze-repeats   replace each sequence of a repeated character\n"
    "                            that is listed in the last specified ARRAY,\n"
    "                            with a single occurrence of that character\n"
    "  -t, --truncate-set1     first truncate ARRAY1 to length of ARRAY2\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "ARRAYs are specified as strings of characters.  Most represent themselves.\n"
    "Interpreted sequences are:\n"
    "\n"
    "  \\NNN            character with octal value NNN (1 to 3 octal digits)\n"
    "  \\\\              backslash\n"
    "  \\a              audible BEL\n"
    "  \\b              backspace\n"
    "  \\f              form feed\n"
    "  \\n              new line\n"
    "  \\r              return\n"
    "  \\t              horizontal tab\n"
    "  \\v              vertical tab\n"
    "  CHAR1-CHAR2     all characters from CHAR1 to CHAR2 in ascending order\n"
    "  [CHAR*]         in ARRAY2, copies of CHAR until length of ARRAY1\n"
    "  [CHAR*REPEAT]   REPEAT copies of CHAR, REPEAT octal if starting with 0\n"
    "  [:alnum:]       all letters and digits\n"
    "  [:alpha:]       all letters\n"
    "  [:blank:]       all horizontal whitespace\n"
    "  [:cntrl:]       all control characters\n"
    "  [:digit:]       all digits\n"
    "  [:graph:]       all printable characters, not including space\n"
    "  [:lower:]       all lower case letters\n"
    "  [:print:]       all printable characters, including space\n"
    "  [:punct:]       all punctuation characters\n"
    "  [:space:]       all horizontal or vertical whitespace\n"
    "  [:upper:]       all upper case letters\n"
    "  [:xdigit:]      all hexadecimal digits\n"
    "  [=CHAR=]        all characters which are equivalent to CHAR\n"
    "\n"
    "Translation occurs if -d is not given and both STRING1 and STRING2 appear.\n"
    "-t may be used only when translating.  ARRAY2 is extended to length of\n"
    "ARRAY1 by repeating its last character as necessary.  Excess characters\n"
    "of ARRAY2 are ignored.  Character classes expand in unspecified order;\n"
    "while translating, [:lower:] and [:upper:] may be used in pairs to\n"
    "specify case conversion.  Squeezing occurs after translation or deletion.\n"
    "\n"
    COREUTILS_HELP_TAIL("tr", "tr");

static const struct opt_long longs[] = {{"complement", OPT_NOARG, 'c'},
                                        {"delete", OPT_NOARG, 'd'},
                                        {"squeeze-repeats", OPT_NOARG, 's'},
                                        {"truncate-set1", OPT_NOARG, 't'},
                                        {0}};
static const struct opt_spec spec = {.name = "tr",
                                     .shorts = "+cCdst",
                                     .longs = longs,
                                     .help = tr_help,
                                     .authors = "Jim Meyering"};

#define REPEAT_COUNT_MAXIMUM UINTMAX_MAX

enum elem_type { RE_NORMAL, RE_RANGE, RE_CLASS, RE_EQUIV, RE_REPEAT };
enum cclass {
    CC_ALNUM,
    CC_ALPHA,
    CC_BLANK,
    CC_CNTRL,
    CC_DIGIT,
    CC_GRAPH,
    CC_LOWER,
    CC_PRINT,
    CC_PUNCT,
    CC_SPACE,
    CC_UPPER,
    CC_XDIGIT
};
static const char *const class_names[] = {"alnum", "alpha", "blank", "cntrl",
                                          "digit", "graph", "lower", "print",
                                          "punct", "space", "upper", "xdigit"};
enum ulclass { UL_NONE, UL_LOWER, UL_UPPER };

struct elem {
    enum elem_type type;
    unsigned char a, b; /* char, range ends, repeated char */
    enum cclass cls;
    uintmax_t count; /* RE_REPEAT; 0 = indefinite / none */
};

#define BEGIN_STATE (-2)
#define NEW_ELEMENT (-1)

struct spec_list {
    struct elem *e;
    size_t n, cap;
    /* iteration */
    size_t tail;      /* index of the current element */
    intmax_t state;   /* BEGIN_STATE, NEW_ELEMENT or a position */
    uintmax_t length;
    size_t n_indef;
    size_t indef;     /* index of the [c*] element */
    bool has_class, has_restricted, has_equiv;
};

static bool class_member(enum cclass c, int ch)
{
    if (ch >= 128) return false;
    switch (c) {
    case CC_ALNUM: return isalnum(ch);
    case CC_ALPHA: return isalpha(ch);
    case CC_BLANK: return ch == ' ' || ch == '\t';
    case CC_CNTRL: return iscntrl(ch);
    case CC_DIGIT: return ch >= '0' && ch <= '9';
    case CC_GRAPH: return ch > 32 && ch < 127;
    case CC_LOWER: return ch >= 'a' && ch <= 'z';
    case CC_PRINT: return ch >= 32 && ch < 127;
    case CC_PUNCT: return ispunct(ch);
    case CC_SPACE: return ch == ' ' || (ch >= 9 && ch <= 13);
    case CC_UPPER: return ch >= 'A' && ch <= 'Z';
    case CC_XDIGIT: return isxdigit(ch);
    }
    return false;
}

struct tr {
    struct proc *p;
    bool complement, del, squeeze, truncate, translating;
    bool oom;
};

static bool append(struct tr *t, struct spec_list *s, struct elem e)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        struct elem *ne = p_realloc(t->p, s->e, nc * sizeof *ne);
        if (!ne) {
            t->oom = true;
            return false;
        }
        s->e = ne;
        s->cap = nc;
    }
    s->e[s->n++] = e;
    return true;
}

/* An escaped string: bytes and which were written with a backslash. */
struct estr {
    unsigned char *s;
    bool *esc;
    size_t len;
};

static bool unquote(struct tr *t, const char *s, struct estr *es)
{
    size_t len = strlen(s);
    es->s = p_malloc(t->p, len + 1);
    es->esc = p_calloc(t->p, len + 1, sizeof *es->esc);
    if (!es->s || !es->esc) {
        t->oom = true;
        return false;
    }
    size_t j = 0;
    for (size_t i = 0; s[i]; i++) {
        unsigned char c;
        if (s[i] != '\\') {
            es->s[j++] = (unsigned char)s[i];
            continue;
        }
        es->esc[j] = true;
        switch (s[i + 1]) {
        case '\\': c = '\\'; break;
        case 'a': c = '\a'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'v': c = '\v'; break;
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7': {
            c = (unsigned char)(s[i + 1] - '0');
            int d = s[i + 2] - '0';
            if (d >= 0 && d <= 7) {
                c = (unsigned char)(8 * c + d);
                ++i;
                d = s[i + 2] - '0';
                if (d >= 0 && d <= 7) {
                    if (8 * c + d < 256) {
                        c = (unsigned char)(8 * c + d);
                        ++i;
                    } else
                        cmd_error(t->p,
                                  "warning: the ambiguous octal escape \\%c%c%c is being\n"
                                  "\tinterpreted as the 2-byte sequence \\0%c%c, %c",
                                  s[i], s[i + 1], s[i + 2], s[i], s[i + 1], s[i + 2]);
                }
            }
            break;
        }
        case '\0':
            cmd_error(t->p, "warning: an unescaped backslash at end of string is not portable");
            es->esc[j] = false;
            i--;
            c = '\\';
            break;
        default: c = (unsigned char)s[i + 1]; break;
        }
        ++i;
        es->s[j++] = c;
    }
    es->len = j;
    return true;
}

static bool es_match(const struct estr *es, size_t i, char c)
{
    return i < es->len && es->s[i] == (unsigned char)c && !es->esc[i];
}

static void printable_char(unsigned char c, char *buf)
{
    if (c >= 32 && c < 127) {
        buf[0] = (char)c;
        buf[1] = 0;
    } else
        snprintf(buf, 5, "\\%03o", c);
}

static char *printable_str(struct tr *t, const unsigned char *s, size_t len)
{
    char *out = p_malloc(t->p, len * 4 + 1), *o = out;
    if (!out) return (char *)"";
    for (size_t i = 0; i < len; i++) {
        const char *tmp;
        char buf[5];
        switch (s[i]) {
        case '\\': tmp = "\\"; break;
        case '\a': tmp = "\\a"; break;
        case '\b': tmp = "\\b"; break;
        case '\f': tmp = "\\f"; break;
        case '\n': tmp = "\\n"; break;
        case '\r': tmp = "\\r"; break;
        case '\t': tmp = "\\t"; break;
        case '\v': tmp = "\\v"; break;
        default:
            printable_char(s[i], buf);
            tmp = buf;
        }
        o = stpcpy(o, tmp);
    }
    *o = 0;
    return out;
}

static bool star_digits_closebracket(const struct estr *es, size_t idx)
{
    if (!es_match(es, idx, '*')) return false;
    for (size_t i = idx + 1; i < es->len; i++)
        if (!isdigit(es->s[i]) || es->esc[i]) return es_match(es, i, ']');
    return false;
}

/* 0 found, -1 not a repeat, -2 bad count (reported). */
static int find_bracketed_repeat(struct tr *t, const struct estr *es, size_t start,
                                 unsigned char *ch, uintmax_t *count, size_t *close)
{
    if (!es_match(es, start + 1, '*')) return -1;
    for (size_t i = start + 2; i < es->len && !es->esc[i]; i++) {
        if (es->s[i] == ']') {
            size_t dlen = i - start - 2;
            *ch = es->s[start];
            if (dlen == 0)
                *count = 0;
            else {
                const char *d = (const char *)&es->s[start + 2];
                char tmp[64];
                size_t k = dlen < sizeof tmp - 1 ? dlen : sizeof tmp - 1;
                memcpy(tmp, d, k);
                tmp[k] = 0;
                char *end;
                enum opt_num_status r =
                    k == dlen ? opt_strtoumax(tmp, &end, *d == '0' ? 8 : 10, count, NULL)
                              : OPT_NUM_INVALID;
                if (r != OPT_NUM_OK || end != tmp + dlen) {
                    cmd_error(t->p, "invalid repeat count %s in [c*n] construct",
                              cmd_quote(t->p, printable_str(t, es->s + start + 2, dlen)));
                    return -2;
                }
            }
            *close = i;
            return 0;
        }
    }
    return -1;
}

static bool build_spec_list(struct tr *t, const struct estr *es, struct spec_list *res)
{
    const unsigned char *p = es->s;
    size_t i = 0;
    while (i + 2 < es->len) {
        if (es_match(es, i, '[')) {
            if (es_match(es, i + 1, ':') || es_match(es, i + 1, '=')) {
                size_t close = 0;
                bool found = false;
                for (size_t k = i + 2; k + 1 < es->len; k++)
                    if (p[k] == p[i + 1] && p[k + 1] == ']' && !es->esc[k] && !es->esc[k + 1]) {
                        close = k;
                        found = true;
                        break;
                    }
                if (found) {
                    size_t olen = close - (i + 2);
                    const unsigned char *opnd = p + i + 2;
                    if (olen == 0) {
                        cmd_error(t->p, p[i + 1] == ':' ? "missing character class name '[::]'"
                                                        : "missing equivalence class character '[==]'");
                        return false;
                    }
                    if (p[i + 1] == ':') {
                        int k = -1;
                        for (int c = 0; c < 12; c++)
                            if (strlen(class_names[c]) == olen &&
                                memcmp(class_names[c], opnd, olen) == 0)
                                k = c;
                        if (k < 0) {
                            if (star_digits_closebracket(es, i + 2)) goto try_repeat;
                            cmd_error(t->p, "invalid character class %s",
                                      cmd_quote(t->p, printable_str(t, opnd, olen)));
                            return false;
                        }
                        if (!append(t, res, (struct elem){.type = RE_CLASS, .cls = (enum cclass)k}))
                            return false;
                    } else {
                        if (olen != 1) {
                            if (star_digits_closebracket(es, i + 2)) goto try_repeat;
                            cmd_error(t->p, "%s: equivalence class operand must be a single character",
                                      printable_str(t, opnd, olen));
                            return false;
                        }
                        if (!append(t, res, (struct elem){.type = RE_EQUIV, .a = *opnd}))
                            return false;
                    }
                    i = close + 2;
                    continue;
                }
            }
        try_repeat:;
            unsigned char ch;
            uintmax_t count;
            size_t close;
            int err = find_bracketed_repeat(t, es, i + 1, &ch, &count, &close);
            if (err == 0) {
                if (!append(t, res, (struct elem){.type = RE_REPEAT, .a = ch, .count = count}))
                    return false;
                i = close + 1;
                continue;
            }
            if (err == -2) return false;
        }
        if (es_match(es, i + 1, '-')) {
            if (p[i + 2] < p[i]) {
                char b1[5], b2[5];
                printable_char(p[i], b1);
                printable_char(p[i + 2], b2);
                cmd_error(t->p, "range-endpoints of '%s-%s' are in reverse collating sequence order",
                          b1, b2);
                return false;
            }
            if (!append(t, res, (struct elem){.type = RE_RANGE, .a = p[i], .b = p[i + 2]}))
                return false;
            i += 3;
        } else {
            if (!append(t, res, (struct elem){.type = RE_NORMAL, .a = p[i]})) return false;
            i++;
        }
    }
    for (; i < es->len; i++)
        if (!append(t, res, (struct elem){.type = RE_NORMAL, .a = p[i]})) return false;
    return true;
}

static int get_next(struct spec_list *s, enum ulclass *cls)
{
    if (cls) *cls = UL_NONE;
    if (s->state == BEGIN_STATE) {
        s->tail = 0;
        s->state = NEW_ELEMENT;
    }
    for (;;) {
        if (s->tail >= s->n) return -1;
        struct elem *p = &s->e[s->tail];
        int ret;
        switch (p->type) {
        case RE_NORMAL:
        case RE_EQUIV:
            ret = p->a;
            s->state = NEW_ELEMENT;
            s->tail++;
            return ret;
        case RE_RANGE:
            if (s->state == NEW_ELEMENT)
                s->state = p->a;
            else
                ++s->state;
            ret = (int)s->state;
            if (s->state == p->b) {
                s->tail++;
                s->state = NEW_ELEMENT;
            }
            return ret;
        case RE_CLASS: {
            if (cls) *cls = p->cls == CC_LOWER ? UL_LOWER : p->cls == CC_UPPER ? UL_UPPER : UL_NONE;
            int i;
            if (s->state == NEW_ELEMENT) {
                for (i = 0; i < 256 && !class_member(p->cls, i); i++) continue;
                s->state = i;
            }
            ret = (int)s->state;
            for (i = ret + 1; i < 256 && !class_member(p->cls, i); i++) continue;
            if (i < 256)
                s->state = i;
            else {
                s->tail++;
                s->state = NEW_ELEMENT;
            }
            return ret;
        }
        case RE_REPEAT:
            if (p->count == 0) {
                s->tail++;
                s->state = NEW_ELEMENT;
                continue;
            }
            if (s->state == NEW_ELEMENT) s->state = 0;
            ++s->state;
            if ((uintmax_t)s->state == p->count) {
                s->tail++;
                s->state = NEW_ELEMENT;
            }
            return p->a;
        }
    }
}

static void skip_construct(struct spec_list *s)
{
    s->tail++;
    s->state = NEW_ELEMENT;
}

/* Returns false when the length overflows (reported). */
static bool get_spec_stats(struct tr *t, struct spec_list *s)
{
    uintmax_t length = 0;
    s->n_indef = 0;
    s->has_equiv = s->has_restricted = s->has_class = false;
    for (size_t k = 0; k < s->n; k++) {
        struct elem *p = &s->e[k];
        uintmax_t len = 0;
        switch (p->type) {
        case RE_NORMAL: len = 1; break;
        case RE_RANGE: len = (uintmax_t)(p->b - p->a) + 1; break;
        case RE_CLASS:
            s->has_class = true;
            for (int i = 0; i < 256; i++) len += class_member(p->cls, i);
            if (p->cls != CC_UPPER && p->cls != CC_LOWER) s->has_restricted = true;
            break;
        case RE_EQUIV:
            len = 1;
            s->has_equiv = true;
            break;
        case RE_REPEAT:
            if (p->count > 0)
                len = p->count;
            else {
                s->indef = k;
                s->n_indef++;
            }
            break;
        }
        uintmax_t nl = length + len;
        if (nl < length) {
            cmd_error(t->p, "too many characters in set");
            return false;
        }
        length = nl;
    }
    s->length = length;
    return true;
}

static int fail(struct tr *t, const char *msg)
{
    cmd_error(t->p, "%s", msg);
    return 1;
}

/* GNU validate(): 0 or an exit status after a message. */
static int validate(struct tr *t, struct spec_list *s1, struct spec_list *s2)
{
    if (!get_spec_stats(t, s1)) return 1;
    if (t->complement) {
        bool in[256] = {0};
        int card = 256, c;
        s1->state = BEGIN_STATE;
        while ((c = get_next(s1, NULL)) != -1) {
            card -= !in[c];
            in[c] = true;
        }
        s1->length = (uintmax_t)card;
    }
    if (s1->n_indef > 0) return fail(t, "the [c*] repeat construct may not appear in string1");
    if (!s2) return 0;
    if (!get_spec_stats(t, s2)) return 1;
    if (s1->length >= s2->length && s2->n_indef == 1) {
        s2->e[s2->indef].count = s1->length - s2->length;
        s2->length = s1->length;
    }
    if (s2->n_indef > 1) return fail(t, "only one [c*] repeat construct may appear in string2");
    if (!t->translating) {
        if (s2->n_indef > 0)
            return fail(t, "the [c*] construct may appear in string2 only when translating");
        return 0;
    }
    if (s2->has_equiv)
        return fail(t, "[=c=] expressions may not appear in string2 when translating");
    if (s2->has_restricted)
        return fail(t, "when translating, the only character classes that may appear in\n"
                       "string2 are 'upper' and 'lower'");
    if (s2->has_class) {
        /* validate_case_classes */
        int c1 = 0, c2 = 0;
        bool n1 = true, n2 = true;
        s1->state = s2->state = BEGIN_STATE;
        while (c1 != -1 && c2 != -1) {
            enum ulclass k1, k2;
            c1 = get_next(s1, &k1);
            c2 = get_next(s2, &k2);
            if (n2 && k2 != UL_NONE && !(n1 && k1 != UL_NONE))
                return fail(t, "misaligned [:upper:] and/or [:lower:] construct");
            if (k2 != UL_NONE) {
                skip_construct(s1);
                skip_construct(s2);
                s1->length -= 26 - 1;
                s2->length -= 26 - 1;
            }
            n1 = s1->state == NEW_ELEMENT;
            n2 = s2->state == NEW_ELEMENT;
        }
    }
    if (s1->length > s2->length && !t->truncate) {
        if (s2->length == 0) return fail(t, "when not truncating set1, string2 must be non-empty");
        struct elem *last = &s2->e[s2->n - 1];
        unsigned char ch;
        switch (last->type) {
        case RE_NORMAL: ch = last->a; break;
        case RE_RANGE: ch = last->b; break;
        case RE_REPEAT: ch = last->a; break;
        default:
            return fail(t, "when translating with string1 longer than string2,\n"
                           "the latter string must not end with a character class");
        }
        if (!append(t, s2,
                    (struct elem){.type = RE_REPEAT, .a = ch, .count = s1->length - s2->length}))
            return fail(t, "memory exhausted");
        s2->length = s1->length;
    }
    if (t->complement && s1->has_class) {
        bool homogeneous = false;
        if (s2->length == s1->length) {
            s2->state = BEGIN_STATE;
            int b = get_next(s2, NULL), c;
            homogeneous = b != -1;
            while (homogeneous && (c = get_next(s2, NULL)) != -1)
                if (c != b) homogeneous = false;
        }
        if (!homogeneous)
            return fail(t, "when translating with complemented character classes,\n"
                           "string2 must map all characters in the domain to one");
    }
    return 0;
}

static void set_initialize(struct spec_list *s, bool complement, bool *in)
{
    int c;
    s->state = BEGIN_STATE;
    while ((c = get_next(s, NULL)) != -1) in[c] = true;
    if (complement)
        for (int i = 0; i < 256; i++) in[i] = !in[i];
}

int cmd_tr(struct proc *p, int argc, char **argv)
{
    struct tr t = {.p = p};
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'c':
        case 'C': t.complement = true; break;
        case 'd': t.del = true; break;
        case 's': t.squeeze = true; break;
        case 't': t.truncate = true; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    int nargs = argc - o.ind;
    t.translating = nargs == 2 && !t.del;
    int min_ops = 1 + (t.del == t.squeeze), max_ops = 1 + (t.del <= t.squeeze);
    if (nargs < min_ops) {
        if (nargs == 0)
            cmd_error(p, "missing operand");
        else {
            cmd_error(p, "missing operand after %s", cmd_quote(p, argv[argc - 1]));
            const char *m = t.squeeze ? "Two strings must be given when both deleting and "
                                        "squeezing repeats.\n"
                                      : "Two strings must be given when translating.\n";
            io_write_all(p, 2, m, strlen(m));
        }
        return opt_usage_error(&o, NULL);
    }
    if (max_ops < nargs) {
        cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind + max_ops]));
        if (nargs == 2) {
            const char *m = "Only one string may be given when deleting without squeezing "
                            "repeats.\n";
            io_write_all(p, 2, m, strlen(m));
        }
        return opt_usage_error(&o, NULL);
    }
    struct spec_list s1 = {0}, s2 = {0};
    struct estr e1, e2;
    if (!unquote(&t, argv[o.ind], &e1) || !build_spec_list(&t, &e1, &s1)) {
        if (t.oom) cmd_error(p, "memory exhausted");
        return 1;
    }
    bool two = nargs == 2;
    if (two && (!unquote(&t, argv[o.ind + 1], &e2) || !build_spec_list(&t, &e2, &s2))) {
        if (t.oom) cmd_error(p, "memory exhausted");
        return 1;
    }
    int r = validate(&t, &s1, two ? &s2 : NULL);
    if (r) return r;

    bool in_delete[256] = {0}, in_squeeze[256] = {0};
    unsigned char xlate[256];
    for (int i = 0; i < 256; i++) xlate[i] = (unsigned char)i;
    bool do_xlate = false, do_delete = false, do_squeeze = false;
    if (t.squeeze && nargs == 1) {
        set_initialize(&s1, t.complement, in_squeeze);
        do_squeeze = true;
    } else if (t.del && nargs == 1) {
        set_initialize(&s1, t.complement, in_delete);
        do_delete = true;
    } else if (t.squeeze && t.del && nargs == 2) {
        set_initialize(&s1, t.complement, in_delete);
        set_initialize(&s2, false, in_squeeze);
        do_delete = do_squeeze = true;
    } else if (t.translating) {
        do_xlate = true;
        if (t.complement) {
            bool in_s1[256] = {0};
            set_initialize(&s1, false, in_s1);
            s2.state = BEGIN_STATE;
            for (int i = 0; i < 256; i++) {
                if (!in_s1[i]) {
                    int ch = get_next(&s2, NULL);
                    if (ch == -1) break;
                    xlate[i] = (unsigned char)ch;
                }
            }
        } else {
            s1.state = s2.state = BEGIN_STATE;
            for (;;) {
                enum ulclass k1, k2;
                int c1 = get_next(&s1, &k1), c2 = get_next(&s2, &k2);
                if (k1 == UL_LOWER && k2 == UL_UPPER) {
                    for (int i = 'a'; i <= 'z'; i++) xlate[i] = (unsigned char)(i - 32);
                } else if (k1 == UL_UPPER && k2 == UL_LOWER) {
                    for (int i = 'A'; i <= 'Z'; i++) xlate[i] = (unsigned char)(i + 32);
                } else {
                    if (c1 == -1 || c2 == -1) break;
                    xlate[c1] = (unsigned char)c2;
                }
                if (k2 != UL_NONE) {
                    skip_construct(&s1);
                    skip_construct(&s2);
                }
            }
        }
        if (t.squeeze) {
            set_initialize(&s2, false, in_squeeze);
            do_squeeze = true;
        }
    }

    char *buf = p_malloc(p, IO_BUFSIZE);
    if (!buf) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    int status = 0;
    int last = -1; /* the last byte written, for squeezing */
    for (;;) {
        ssize_t n = sys_read(p, 0, buf, IO_BUFSIZE);
        if (n < 0) {
            if (n != -EINTR) cmd_errno(p, (int)n, "read error");
            status = 1;
            break;
        }
        if (n == 0) break;
        size_t len = (size_t)n;
        if (do_delete) {
            size_t k = 0;
            for (size_t i = 0; i < len; i++)
                if (!in_delete[(unsigned char)buf[i]]) buf[k++] = buf[i];
            len = k;
        }
        if (do_xlate)
            for (size_t i = 0; i < len; i++) buf[i] = (char)xlate[(unsigned char)buf[i]];
        if (do_squeeze) {
            size_t k = 0;
            for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)buf[i];
                if ((int)c == last && in_squeeze[c]) continue;
                buf[k++] = (char)c;
                last = c;
            }
            len = k;
        }
        obuf_write(&out, buf, len);
        if (obuf_failed(&out)) break;
    }
    p_free(p, buf);
    return cmd_close_stdout(p, &out, status);
}
