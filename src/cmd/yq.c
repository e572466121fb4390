/* yq.c — YAML processor with mikefarah yq v4's command line for the common
 * cases, on libyaml (parsing) and the libjq engine of jq (expressions, see
 * jqcore.h): YAML → jv → jq → YAML/JSON/props/CSV/TSV.
 *
 *   yq [eval|e|eval-all|ea] [flags] EXPRESSION [FILE...]
 *
 * Expressions are jq 1.6 programs plus yq's spellings of a few things
 * (keys in document order, type/tag as "!!str", "!!int"..., strenv(NAME),
 * env(NAME), sort_keys(path), filename, `. as $x ireduce (init; update)`
 * over all documents in eval-all). Not preserved: comments, anchors and
 * aliases (expanded, merge keys "<<" applied), flow styles, quoting styles
 * and number spellings (1.0 prints as 1). Sequences under a key are
 * indented by 2 as yq v4 prints them (libyaml's emitter cannot, so the
 * block emitter is here). */
#include "cmd/jqcore.h"

#include <ctype.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <yaml.h>

static const char yq_help[] =
    "yq is a portable command-line data file processor (vos: mikefarah yq v4 syntax for\n"
    "the common cases, expressions evaluated by the jq 1.6 engine).\n"
    "\n"
    "Usage:\n"
    "  yq [flags]\n"
    "  yq [command]\n"
    "\n"
    "Examples:\n"
    "\n"
    "# yq defaults to 'eval' command if no command is specified.\n"
    "yq '.a.b' f.yaml\n"
    "yq -o json '.' f.yaml\n"
    "yq -i '.a = \"x\" | del(.b)' f.yaml\n"
    "yq ea '. as $item ireduce ({}; . * $item)' a.yaml b.yaml\n"
    "\n"
    "Available Commands:\n"
    "  eval        (default) Apply the expression to each document in each yaml file\n"
    "  eval-all    Loads all yaml documents of all yaml files and runs expression once\n"
    "\n"
    "Flags:\n"
    "  -e, --exit-status            set exit status if there are no matches or null or false is returned\n"
    "  -h, --help                   help for yq\n"
    "  -I, --indent int             sets indent level for output (default 2)\n"
    "  -i, --inplace                update the file in place of first file given.\n"
    "  -p, --input-format string    [yaml|y|json|j] parse format for input (default \"yaml\")\n"
    "  -M, --no-colors              force print with no colors\n"
    "  -N, --no-doc                 Don't print document separators (---)\n"
    "  -n, --null-input             Don't read input, simply evaluate the expression given.\n"
    "  -o, --output-format string   [yaml|y|json|j|props|p|csv|c|tsv|t] output format type (default \"yaml\")\n"
    "  -P, --prettyPrint            pretty print, shorthand for '... style = \"\"'\n"
    "  -r, --unwrapScalar           unwrap scalar, print the value with no quotes (default true)\n"
    "  -V, --version                Print version information and quit\n"
    "\n"
    "Not preserved (vos): comments, anchors/aliases (expanded), flow and quoting\n"
    "styles, number spellings. Output is always block style, so -P changes nothing.\n";

enum fmt { F_YAML, F_JSON, F_PROPS, F_CSV, F_TSV };

struct yq {
    struct proc *p;
    struct jqc c;
    struct obuf o;
    enum fmt out;
    int indent;
    bool unwrap, unwrap_set, no_doc, exit_status, null_input, all, inplace;
    size_t ndocs_out;
    int cur_src, last_src; /* input document of the current / last output */
    jv last;
    bool any;
    jv docs; /* array of documents of all inputs (eval-all, input) */
    int next_doc;
    struct sbuf text; /* rendered output */
    bool failed;
    const char *fname;
};

/* ---- YAML → jv ----------------------------------------------------------- */

static bool all_match(const char *s, size_t n, const char *set)
{
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i])) return false;
    return true;
}

/* The value of a plain scalar (YAML 1.2 core schema as yaml.v3 reads it). */
static jv resolve_plain(const char *s, size_t n)
{
    if (n == 0 || (n == 1 && s[0] == '~') || (n == 4 && (!memcmp(s, "null", 4) ||
                                                        !memcmp(s, "Null", 4) ||
                                                        !memcmp(s, "NULL", 4))))
        return jv_null();
    if (n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))
        return jv_true();
    if (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))
        return jv_false();
    char buf[64];
    if (n < sizeof buf) {
        memcpy(buf, s, n);
        buf[n] = 0;
        const char *b = buf;
        bool neg = false;
        if (*b == '-' || *b == '+') neg = *b++ == '-';
        if (!strcmp(b, ".inf") || !strcmp(b, ".Inf") || !strcmp(b, ".INF"))
            return jv_number(neg ? -INFINITY : INFINITY);
        if (b == buf && (!strcmp(b, ".nan") || !strcmp(b, ".NaN") || !strcmp(b, ".NAN")))
            return jv_number(NAN);
        if (b[0] == '0' && (b[1] == 'x' || b[1] == 'o') && b == buf && b[2]) {
            const char *digits = b[1] == 'x' ? "0123456789abcdefABCDEF" : "01234567";
            if (all_match(b + 2, strlen(b + 2), digits))
                return jv_number((double)strtoull(b + 2, NULL, b[1] == 'x' ? 16 : 8));
        }
        /* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
        const char *q = b;
        size_t intd = 0, fracd = 0;
        while (isdigit((unsigned char)*q)) q++, intd++;
        if (*q == '.') {
            q++;
            while (isdigit((unsigned char)*q)) q++, fracd++;
        }
        bool ok = intd > 0 || fracd > 0;
        if (ok && (*q == 'e' || *q == 'E')) {
            q++;
            if (*q == '-' || *q == '+') q++;
            if (!isdigit((unsigned char)*q)) ok = false;
            while (isdigit((unsigned char)*q)) q++;
        }
        if (ok && *q == 0) return jv_number(strtod(buf, NULL));
    }
    return jv_string_sized(s, (int)n);
}

struct loader {
    yaml_document_t *doc;
    long budget; /* nodes left (alias bombs) */
    const char *err;
};

static jv node_to_jv(struct loader *L, yaml_node_t *node, int depth)
{
    if (!node) return jv_null();
    if (--L->budget < 0) {
        L->err = "document too large after alias expansion";
        return jv_invalid();
    }
    if (depth > 2000) {
        L->err = "document nested too deeply";
        return jv_invalid();
    }
    switch (node->type) {
    case YAML_SCALAR_NODE: {
        const char *s = (const char *)node->data.scalar.value;
        size_t n = node->data.scalar.length;
        const char *tag = (const char *)node->tag;
        if (tag && strcmp(tag, YAML_STR_TAG) != 0 && strcmp(tag, "!") != 0)
            return resolve_plain(s, n);
        if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) return resolve_plain(s, n);
        return jv_string_sized(s, (int)n);
    }
    case YAML_SEQUENCE_NODE: {
        jv a = jv_array();
        for (yaml_node_item_t *it = node->data.sequence.items.start;
             it < node->data.sequence.items.top; it++) {
            jv v = node_to_jv(L, yaml_document_get_node(L->doc, *it), depth + 1);
            if (!jv_is_valid(v)) {
                jv_free(a);
                return v;
            }
            a = jv_array_append(a, v);
        }
        return a;
    }
    case YAML_MAPPING_NODE: {
        jv o = jv_object();
        jv merges = jv_array();
        for (yaml_node_pair_t *pr = node->data.mapping.pairs.start;
             pr < node->data.mapping.pairs.top; pr++) {
            yaml_node_t *kn = yaml_document_get_node(L->doc, pr->key);
            jv k = node_to_jv(L, kn, depth + 1);
            jv v = node_to_jv(L, yaml_document_get_node(L->doc, pr->value), depth + 1);
            if (!jv_is_valid(k) || !jv_is_valid(v)) {
                jv_free(o);
                jv_free(merges);
                jv_free(k);
                if (!jv_is_valid(v)) return v;
                jv_free(v);
                return jv_invalid();
            }
            if (jv_get_kind(k) != JV_KIND_STRING) {
                jv_free(k);
                k = kn && kn->type == YAML_SCALAR_NODE
                        ? jv_string_sized((const char *)kn->data.scalar.value,
                                          (int)kn->data.scalar.length)
                        : jv_string("?");
            }
            if (kn && kn->type == YAML_SCALAR_NODE &&
                kn->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                !strcmp(jv_string_value(k), "<<")) {
                jv_free(k);
                if (jv_get_kind(v) == JV_KIND_ARRAY) {
                    merges = jv_array_concat(merges, v);
                } else {
                    merges = jv_array_append(merges, v);
                }
                continue;
            }
            o = jv_object_set(o, k, v);
        }
        /* merge keys: earlier maps win, the map's own keys win over all */
        jv_array_foreach(merges, i, m)
        {
            if (jv_get_kind(m) == JV_KIND_OBJECT) {
                jv_object_foreach(m, mk, mv)
                {
                    if (!jv_object_has(jv_copy(o), jv_copy(mk)))
                        o = jv_object_set(o, mk, mv);
                    else {
                        jv_free(mk);
                        jv_free(mv);
                    }
                }
            }
            jv_free(m);
        }
        jv_free(merges);
        return o;
    }
    default:
        return jv_null();
    }
}

/* All documents of a YAML text appended to docs. NULL, or an error text. */
static char *load_yaml(struct yq *y, const char *data, size_t len, jv *docs)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return p_strdup(y->p, "yaml: out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    char *err = NULL;
    for (;;) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
            struct sbuf sb;
            sbuf_init(&sb, y->p);
            sbuf_printf(&sb, "yaml: line %lu: %s", (unsigned long)parser.problem_mark.line + 1,
                        parser.problem ? parser.problem : "parse error");
            err = sb.s ? sb.s : p_strdup(y->p, "yaml: error");
            break;
        }
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root) {
            yaml_document_delete(&doc);
            break;
        }
        struct loader L = {.doc = &doc, .budget = 20000000};
        jqc_lock(&y->c);
        jv v = node_to_jv(&L, root, 0);
        if (jv_is_valid(v))
            *docs = jv_array_append(*docs, v);
        jqc_unlock(&y->c);
        yaml_document_delete(&doc);
        if (L.err) {
            err = p_strdup(y->p, L.err);
            break;
        }
        if (proc_check(y->p) < 0) break;
    }
    yaml_parser_delete(&parser);
    return err;
}

/* ---- jv → YAML ------------------------------------------------------------ */

static void put(struct yq *y, const char *s, size_t n)
{
    sbuf_add(&y->text, s, n);
}
static void puts_(struct yq *y, const char *s)
{
    put(y, s, strlen(s));
}
static void spaces(struct yq *y, int n)
{
    for (int i = 0; i < n; i++) sbuf_addc(&y->text, ' ');
}

static bool printable(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] == 0x7f) return false;
    return true;
}

/* How a string must be written as a plain/quoted YAML scalar. */
static int string_style(const char *s, size_t n)
{
    if (n == 0) return '"';
    if (!printable((const unsigned char *)s, n)) return '"';
    jv r = resolve_plain(s, n);
    bool ambiguous = jv_get_kind(r) != JV_KIND_STRING;
    jv_free(r);
    if (ambiguous) return '"';
    if (memchr(s, '\n', n)) return '|';
    if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) && !(s[0] == '-' && n > 1 && s[1] != ' ') &&
        !((s[0] == '?' || s[0] == ':') && n > 1 && s[1] != ' '))
        return '\'';
    if (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == ':' || memchr(s, '\t', n)) return '\'';
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == ':' && s[i + 1] == ' ') return '\'';
        if (s[i] == ' ' && s[i + 1] == '#') return '\'';
    }
    if (n == 3 && (!memcmp(s, "---", 3) || !memcmp(s, "...", 3))) return '\'';
    return 0;
}

static void emit_quoted(struct yq *y, const char *s, size_t n, int style)
{
    if (style == '\'') {
        put(y, "'", 1);
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '\'') put(y, "'", 1);
            put(y, s + i, 1);
        }
        put(y, "'", 1);
        return;
    }
    put(y, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '"': puts_(y, "\\\""); break;
        case '\\': puts_(y, "\\\\"); break;
        case '\n': puts_(y, "\\n"); break;
        case '\t': puts_(y, "\\t"); break;
        case '\r': puts_(y, "\\r"); break;
        case 0: puts_(y, "\\0"); break;
        default:
            if (ch < 0x20 || ch == 0x7f)
                sbuf_printf(&y->text, "\\x%02X", ch);
            else
                put(y, s + i, 1);
        }
    }
    put(y, "\"", 1);
}

static void emit_number(struct yq *y, jv v)
{
    double d = jv_number_value(v);
    if (isnan(d)) {
        puts_(y, ".nan");
    } else if (isinf(d)) {
        puts_(y, d < 0 ? "-.inf" : ".inf");
    } else if (d == floor(d) && fabs(d) < 1e17) {
        sbuf_printf(&y->text, "%.0f", d);
    } else {
        jv s = jv_dump_string(jv_copy(v), 0);
        puts_(y, jv_string_value(s));
        jv_free(s);
    }
}

/* A scalar after "key:" or "- " (indent: the block's content column). */
static void emit_scalar(struct yq *y, jv v, int indent)
{
    switch (jv_get_kind(v)) {
    case JV_KIND_NULL: puts_(y, "null"); break;
    case JV_KIND_TRUE: puts_(y, "true"); break;
    case JV_KIND_FALSE: puts_(y, "false"); break;
    case JV_KIND_NUMBER: emit_number(y, v); break;
    case JV_KIND_STRING: {
        const char *s = jv_string_value(v);
        size_t n = (size_t)jv_string_length_bytes(jv_copy(v));
        int st = string_style(s, n);
        if (st == '|') {
            size_t trail = 0;
            while (trail < n && s[n - 1 - trail] == '\n') trail++;
            puts_(y, trail == 0 ? "|-" : trail == 1 ? "|" : "|+");
            if (s[0] == ' ') sbuf_printf(&y->text, "%d", y->indent);
            size_t i = 0;
            while (i < n) {
                const char *nl = memchr(s + i, '\n', n - i);
                size_t e = nl ? (size_t)(nl - s) : n;
                put(y, "\n", 1);
                if (e > i) spaces(y, indent);
                put(y, s + i, e - i);
                i = e + 1;
                if (!nl) break;
            }
            return; /* the caller adds the final newline */
        }
        if (st)
            emit_quoted(y, s, n, st);
        else
            put(y, s, n);
        break;
    }
    default: break;
    }
}

static bool empty_coll(jv v)
{
    jv_kind k = jv_get_kind(v);
    if (k == JV_KIND_ARRAY) return jv_array_length(jv_copy(v)) == 0;
    if (k == JV_KIND_OBJECT) return jv_object_length(jv_copy(v)) == 0;
    return false;
}

static void emit_node(struct yq *y, jv v, int indent, bool inline_first);

static void emit_value_after(struct yq *y, jv v, int indent, bool in_seq)
{
    jv_kind k = jv_get_kind(v);
    if ((k == JV_KIND_OBJECT || k == JV_KIND_ARRAY) && !empty_coll(v)) {
        if (in_seq) {
            emit_node(y, v, indent + y->indent, true);
        } else {
            put(y, "\n", 1);
            emit_node(y, v, indent + y->indent, false);
        }
        return;
    }
    if (!in_seq) put(y, " ", 1);
    if (k == JV_KIND_OBJECT)
        puts_(y, "{}");
    else if (k == JV_KIND_ARRAY)
        puts_(y, "[]");
    else
        emit_scalar(y, v, indent + y->indent);
    put(y, "\n", 1);
}

/* A non-empty collection whose lines start at column indent; with
 * inline_first the first line follows "- " already written. */
static void emit_node(struct yq *y, jv v, int indent, bool inline_first)
{
    bool first = true;
    if (jv_get_kind(v) == JV_KIND_OBJECT) {
        jv_object_foreach(v, k, val)
        {
            if (!(first && inline_first)) spaces(y, indent);
            first = false;
            const char *ks = jv_string_value(k);
            size_t kn = (size_t)jv_string_length_bytes(jv_copy(k));
            int st = string_style(ks, kn);
            if (st == '|') st = '"';
            if (st)
                emit_quoted(y, ks, kn, st);
            else
                put(y, ks, kn);
            put(y, ":", 1);
            emit_value_after(y, val, indent, false);
            jv_free(k);
            jv_free(val);
        }
    } else {
        jv_array_foreach(v, i, item)
        {
            if (!(first && inline_first)) spaces(y, indent);
            first = false;
            put(y, "- ", 2);
            jv_kind k = jv_get_kind(item);
            if ((k == JV_KIND_OBJECT || k == JV_KIND_ARRAY) && !empty_coll(item)) {
                emit_node(y, item, indent + 2, true);
            } else if (k == JV_KIND_OBJECT) {
                puts_(y, "{}\n");
            } else if (k == JV_KIND_ARRAY) {
                puts_(y, "[]\n");
            } else {
                emit_scalar(y, item, indent + 2);
                put(y, "\n", 1);
            }
            jv_free(item);
        }
    }
}

static void emit_yaml_doc(struct yq *y, jv v)
{
    jv_kind k = jv_get_kind(v);
    if ((k == JV_KIND_OBJECT || k == JV_KIND_ARRAY) && !empty_coll(v)) {
        emit_node(y, v, 0, false);
    } else if (k == JV_KIND_STRING && y->unwrap) {
        put(y, jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
        put(y, "\n", 1);
    } else if (k == JV_KIND_OBJECT) {
        puts_(y, "{}\n");
    } else if (k == JV_KIND_ARRAY) {
        puts_(y, "[]\n");
    } else {
        emit_scalar(y, v, y->indent);
        put(y, "\n", 1);
    }
}

/* ---- other formats ----------------------------------------------------- */

static void props_scalar(struct yq *y, jv v)
{
    if (jv_get_kind(v) == JV_KIND_STRING)
        put(y, jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
    else if (jv_get_kind(v) == JV_KIND_NUMBER)
        emit_number(y, v);
    else
        emit_scalar(y, v, 0);
}

static void emit_props(struct yq *y, jv v, struct sbuf *path)
{
    jv_kind k = jv_get_kind(v);
    size_t len = path->len;
    if (k == JV_KIND_OBJECT) {
        jv_object_foreach(v, key, val)
        {
            if (path->len) sbuf_addc(path, '.');
            sbuf_add(path, jv_string_value(key), (size_t)jv_string_length_bytes(jv_copy(key)));
            emit_props(y, val, path);
            path->len = len;
            jv_free(key);
        }
    } else if (k == JV_KIND_ARRAY) {
        jv_array_foreach(v, i, val)
        {
            if (path->len) sbuf_addc(path, '.');
            sbuf_printf(path, "%d", i);
            emit_props(y, val, path);
            path->len = len;
        }
    } else {
        put(y, path->s ? path->s : "", path->len);
        puts_(y, " = ");
        props_scalar(y, v);
        put(y, "\n", 1);
    }
    jv_free(v);
}

static void csv_field(struct yq *y, jv v, char sep)
{
    if (jv_get_kind(v) != JV_KIND_STRING) {
        if (jv_get_kind(v) == JV_KIND_OBJECT || jv_get_kind(v) == JV_KIND_ARRAY) {
            jv s = jv_dump_string(jv_copy(v), 0);
            csv_field(y, s, sep);
        } else {
            props_scalar(y, v);
        }
        jv_free(v);
        return;
    }
    const char *s = jv_string_value(v);
    size_t n = (size_t)jv_string_length_bytes(jv_copy(v));
    bool quote = n > 0 && (s[0] == ' ' || s[0] == '\t');
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = true;
    if (quote) {
        put(y, "\"", 1);
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '"') put(y, "\"", 1);
            put(y, s + i, 1);
        }
        put(y, "\"", 1);
    } else {
        put(y, s, n);
    }
    jv_free(v);
}

static int emit_csv(struct yq *y, jv v, char sep)
{
    if (jv_get_kind(v) != JV_KIND_ARRAY) {
        jv_free(v);
        return -1;
    }
    jv first = jv_array_length(jv_copy(v)) ? jv_array_get(jv_copy(v), 0) : jv_null();
    if (jv_get_kind(first) == JV_KIND_OBJECT) {
        jv keys = jv_keys_unsorted(jv_copy(first));
        int nk = jv_array_length(jv_copy(keys));
        for (int i = 0; i < nk; i++) {
            if (i) put(y, &sep, 1);
            csv_field(y, jv_array_get(jv_copy(keys), i), sep);
        }
        put(y, "\n", 1);
        jv_array_foreach(v, r, row)
        {
            for (int i = 0; i < nk; i++) {
                if (i) put(y, &sep, 1);
                csv_field(y, jv_object_get(jv_copy(row), jv_array_get(jv_copy(keys), i)), sep);
            }
            put(y, "\n", 1);
            jv_free(row);
        }
        jv_free(keys);
    } else if (jv_get_kind(first) == JV_KIND_ARRAY) {
        jv_array_foreach(v, r, row)
        {
            if (jv_get_kind(row) == JV_KIND_ARRAY) {
                jv_array_foreach(row, i, f)
                {
                    if (i) put(y, &sep, 1);
                    csv_field(y, f, sep);
                }
            } else {
                csv_field(y, jv_copy(row), sep);
            }
            put(y, "\n", 1);
            jv_free(row);
        }
    } else {
        jv_array_foreach(v, i, f)
        {
            if (i) put(y, &sep, 1);
            csv_field(y, f, sep);
        }
        put(y, "\n", 1);
    }
    jv_free(first);
    jv_free(v);
    return 0;
}

/* One result of the expression (locked). */
static void output(struct yq *y, jv v)
{
    jv_free(y->last);
    y->last = jv_copy(v);
    y->any = true;
    switch (y->out) {
    case F_YAML:
        /* yq separates the outputs of different input documents only */
        if (y->ndocs_out++ && !y->no_doc && y->cur_src != y->last_src) puts_(y, "---\n");
        y->last_src = y->cur_src;
        emit_yaml_doc(y, v);
        break;
    case F_JSON: {
        if (jv_get_kind(v) == JV_KIND_STRING && y->unwrap_set && y->unwrap) {
            put(y, jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
        } else {
            int flags = y->indent > 0 ? JV_PRINT_INDENT_FLAGS(y->indent > 7 ? 7 : y->indent) : 0;
            jv s = jv_dump_string(jv_copy(v), flags);
            put(y, jv_string_value(s), (size_t)jv_string_length_bytes(jv_copy(s)));
            jv_free(s);
        }
        put(y, "\n", 1);
        break;
    }
    case F_PROPS: {
        struct sbuf path;
        sbuf_init(&path, y->p);
        emit_props(y, jv_copy(v), &path);
        sbuf_free(&path);
        break;
    }
    case F_CSV:
    case F_TSV:
        if (emit_csv(y, jv_copy(v), y->out == F_CSV ? ',' : '\t') < 0) {
            sbuf_printf(&y->c.err, "Error: csv encoding only works for arrays, got: %s\n",
                        jv_kind_name(jv_get_kind(v)));
            y->failed = true;
        }
        break;
    }
    jv_free(v);
}

/* Move rendered text out (unlocked), unless -i collects it. */
static void drain(struct yq *y)
{
    if (y->inplace || !y->text.len) return;
    bool was = y->c.locked;
    jqc_unlock(&y->c);
    jqc_flush_err(&y->c);
    obuf_write(&y->o, y->text.s, y->text.len);
    y->text.len = 0;
    if (proc_check(y->p) < 0 || obuf_failed(&y->o)) y->c.stop = true;
    if (was) jqc_lock(&y->c);
}

static jv input_cb(jq_state *jq, void *data)
{
    struct yq *y = data;
    if (y->next_doc < jv_array_length(jv_copy(y->docs)))
        return jv_array_get(jv_copy(y->docs), y->next_doc++);
    return jv_invalid();
}

static int run_one(struct yq *y, jv input)
{
    jq_start(y->c.jq, input, 0);
    jv r;
    while (!y->c.stop && jv_is_valid(r = jq_next(y->c.jq))) {
        output(y, r);
        if (y->text.len > IO_BUFSIZE) drain(y);
    }
    if (y->c.stop) return 1;
    if (jq_halted(y->c.jq)) return 0;
    if (jv_invalid_has_msg(jv_copy(r))) {
        jv msg = jv_invalid_get_msg(r);
        if (jv_get_kind(msg) != JV_KIND_STRING) msg = jv_dump_string(msg, 0);
        sbuf_printf(&y->c.err, "Error: %s\n", jv_string_value(msg));
        jv_free(msg);
        return 1;
    }
    jv_free(r);
    return 0;
}

/* yq spellings → jq: strenv(X), env(X), `. as $x ireduce (`. */
static char *translate(struct yq *y, const char *e, bool *reduce_all)
{
    struct sbuf sb;
    sbuf_init(&sb, y->p);
    const char *s = e;
    while (isspace((unsigned char)*s)) s++;
    *reduce_all = false;
    if (!strncmp(s, ". as $", 6)) {
        const char *q = s + 6;
        while (isalnum((unsigned char)*q) || *q == '_') q++;
        const char *r = q;
        while (isspace((unsigned char)*r)) r++;
        if (!strncmp(r, "ireduce", 7) && !isalnum((unsigned char)r[7])) {
            sbuf_add(&sb, "reduce (., inputs) as ", 22);
            sbuf_add(&sb, s + 5, (size_t)(q - (s + 5)));
            sbuf_addc(&sb, ' ');
            s = r + 7;
            *reduce_all = true;
        }
    }
    bool instr = false;
    for (; *s; s++) {
        if (instr) {
            sbuf_addc(&sb, *s);
            if (*s == '\\' && s[1]) sbuf_addc(&sb, *++s);
            else if (*s == '"') instr = false;
            continue;
        }
        if (*s == '"') {
            instr = true;
            sbuf_addc(&sb, *s);
            continue;
        }
        bool word_start = s == e || !(isalnum((unsigned char)s[-1]) || s[-1] == '_' ||
                                      s[-1] == '.' || s[-1] == '$');
        int kind = 0;
        size_t kl = 0;
        if (word_start && !strncmp(s, "strenv(", 7)) kind = 1, kl = 7;
        else if (word_start && !strncmp(s, "env(", 4)) kind = 2, kl = 4;
        if (kind) {
            const char *q = s + kl;
            while (isalnum((unsigned char)*q) || *q == '_') q++;
            if (*q == ')' && q > s + kl) {
                sbuf_printf(&sb, kind == 1 ? "($ENV[\"%.*s\"] // \"\")"
                                           : "($ENV[\"%.*s\"] | (fromjson? // .))",
                            (int)(q - (s + kl)), s + kl);
                s = q;
                continue;
            }
        }
        sbuf_addc(&sb, *s);
    }
    return sb.s ? sb.s : p_strdup(y->p, "");
}

static const char yq_defs[] =
    "def keys: keys_unsorted; "
    "def __yqtag: if type == \"number\" then (if . == floor then \"!!int\" else \"!!float\" end) "
    "else {\"string\":\"!!str\",\"null\":\"!!null\",\"boolean\":\"!!bool\",\"object\":\"!!map\","
    "\"array\":\"!!seq\"}[type] end; "
    "def tag: __yqtag; "
    "def filename: input_filename; "
    "def sort_keys(p): p |= (if type == \"object\" then to_entries | sort_by(.key) | "
    "from_entries else . end); ";

static int read_file(struct yq *y, const char *name, struct sbuf *sb)
{
    int fd = strcmp(name, "-") ? sys_open(y->p, name, O_RDONLY, 0) : 0;
    if (fd < 0) return fd;
    char *buf = p_malloc(y->p, IO_BUFSIZE);
    int err = buf ? 0 : -ENOMEM;
    for (ssize_t r; !err && (r = sys_read(y->p, fd, buf, IO_BUFSIZE)) != 0;) {
        if (r < 0) err = (int)r;
        else sbuf_add(sb, buf, (size_t)r);
    }
    p_free(y->p, buf);
    if (fd > 0) sys_close(y->p, fd);
    if (!err && sb->oom) err = -ENOMEM;
    return err;
}

static const char *go_errstr(int err)
{
    switch (err) {
    case ENOENT: return "no such file or directory";
    case EACCES: return "permission denied";
    case EISDIR: return "is a directory";
    default: return cmd_strerror(err);
    }
}

int cmd_yq(struct proc *p, int argc, char **argv)
{
    struct yq y = {.p = p, .out = F_YAML, .indent = 2, .unwrap = true};
    int i = 1;
    if (i < argc && (!strcmp(argv[i], "eval") || !strcmp(argv[i], "e"))) i++;
    else if (i < argc && (!strcmp(argv[i], "eval-all") || !strcmp(argv[i], "ea"))) y.all = true, i++;
    const char *expr = NULL;
    char **files = p_calloc(p, (size_t)argc + 1, sizeof(char *));
    int nfiles = 0;
    if (!files) {
        p_errorf(p, "memory exhausted");
        return 1;
    }
    bool opts_done = false;
    for (; i < argc; i++) {
        char *a = argv[i];
        if (opts_done || a[0] != '-' || !a[1]) {
            if (!expr) expr = a;
            else files[nfiles++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            opts_done = true;
            continue;
        }
        char *val = NULL;
        char *eq = NULL;
        if (a[1] == '-' && (eq = strchr(a, '='))) {
            *eq = 0;
            val = eq + 1;
        }
        const char *name = a[1] == '-' ? a + 2 : NULL;
        char sh = a[1] == '-' ? 0 : a[1];
        if (!name && a[2]) {
            if (strchr("oIp", sh)) {
                val = a[2] == '=' ? a + 3 : a + 2;
            } else {
                /* cluster of boolean flags */
                for (char *c = a + 1; *c; c++) {
                    switch (*c) {
                    case 'e': y.exit_status = true; break;
                    case 'i': y.inplace = true; break;
                    case 'n': y.null_input = true; break;
                    case 'P': case 'M': break;
                    case 'N': y.no_doc = true; break;
                    case 'r': y.unwrap = y.unwrap_set = true; break;
                    default:
                        p_printf(p, 2, "Error: unknown shorthand flag: '%c' in %s\n", *c, a);
                        return 1;
                    }
                }
                continue;
            }
        }
#define IS(s, l) ((sh && sh == (s)) || (name && !strcmp(name, (l))))
        if (IS('h', "help")) {
            p_write_all(p, 1, yq_help, sizeof yq_help - 1);
            return 0;
        } else if (IS('V', "version")) {
            p_printf(p, 1, "yq (https://github.com/mikefarah/yq/) version v4.0.0-vos\n");
            return 0;
        } else if (IS('e', "exit-status")) {
            y.exit_status = true;
        } else if (IS('i', "inplace")) {
            y.inplace = true;
        } else if (IS('n', "null-input")) {
            y.null_input = true;
        } else if (IS('P', "prettyPrint") || IS('M', "no-colors")) {
        } else if (IS('N', "no-doc")) {
            y.no_doc = true;
        } else if (IS('r', "unwrapScalar")) {
            y.unwrap_set = true;
            y.unwrap = !val || strcmp(val, "false") != 0;
        } else if (IS('o', "output-format") || IS('I', "indent") || IS('p', "input-format")) {
            if (!val) {
                if (i + 1 >= argc) {
                    p_printf(p, 2, "Error: flag needs an argument: %s\n", a);
                    return 1;
                }
                val = argv[++i];
            }
            if (IS('I', "indent")) {
                y.indent = atoi(val);
            } else if (IS('p', "input-format")) {
                if (strcmp(val, "yaml") && strcmp(val, "y") && strcmp(val, "json") &&
                    strcmp(val, "j")) {
                    p_printf(p, 2, "Error: unknown input format: %s\n", val);
                    return 1;
                }
            } else {
                static const char *const names[] = {"yaml", "y", "json", "j", "props", "p",
                                                    "csv", "c", "tsv", "t"};
                int f = -1;
                for (int k = 0; k < 10; k++)
                    if (!strcmp(val, names[k])) f = k / 2;
                if (f < 0) {
                    p_printf(p, 2, "Error: unknown output format: %s\n", val);
                    return 1;
                }
                y.out = (enum fmt)f;
            }
        } else {
            if (name)
                p_printf(p, 2, "Error: unknown flag: --%s\n", name);
            else
                p_printf(p, 2, "Error: unknown shorthand flag: '%c' in %s\n", sh, a);
            return 1;
        }
#undef IS
    }
    if (!expr) expr = ".";
    /* yq FILE: a lone argument naming a file is the file, with "." */
    struct stat st;
    if (nfiles == 0 && !y.null_input && strcmp(expr, ".") && sys_stat(p, expr, &st) == 0 &&
        !S_ISDIR(st.st_mode)) {
        files[nfiles++] = (char *)expr;
        expr = ".";
    }
    if (y.inplace && nfiles == 0) {
        p_printf(p, 2, "Error: write inplace flag only applicable when giving an expression and "
                       "at least one file\n");
        return 1;
    }
    if (y.out == F_JSON && !y.unwrap_set) y.unwrap = false;

    /* read all documents */
    y.docs = jv_array(); /* jv calls outside the lock touch no shared state */
    jv fnames = jv_array();
    if (!y.null_input) {
        if (nfiles == 0) files[nfiles++] = "-";
        for (int f = 0; f < nfiles; f++) {
            struct sbuf sb;
            sbuf_init(&sb, p);
            int r = read_file(&y, files[f], &sb);
            if (r < 0) {
                sbuf_free(&sb);
                jv_free(y.docs);
                jv_free(fnames);
                if (r != -EINTR) p_printf(p, 2, "Error: open %s: %s\n", files[f], go_errstr(-r));
                return 1;
            }
            int before = jv_array_length(jv_copy(y.docs));
            struct jqc tmp = {.p = p};
            y.c = tmp;
            char *err = load_yaml(&y, sb.s ? sb.s : "", sb.len, &y.docs);
            sbuf_free(&sb);
            if (err) {
                if (!strncmp(err, "yaml:", 5))
                    p_printf(p, 2, "Error: bad file '%s': %s\n", files[f], err);
                else
                    p_printf(p, 2, "Error: %s\n", err);
                jv_free(y.docs);
                jv_free(fnames);
                return 1;
            }
            int after = jv_array_length(jv_copy(y.docs));
            for (int d = before; d < after; d++)
                fnames = jv_array_append(fnames, jv_string(strcmp(files[f], "-") ? files[f] : ""));
        }
    }

    if (jqc_init(&y.c, p) < 0) {
        jqc_free(&y.c);
        p_errorf(p, "memory exhausted");
        return 1;
    }
    obuf_init(&y.o, p, 1);
    sbuf_init(&y.text, p);
    y.last = jv_invalid();
    int status = 0;
    bool reduce_all = false;
    char *prog = translate(&y, expr, &reduce_all);
    size_t dl = strlen(yq_defs), pl = strlen(prog);
    char *full = p_malloc(p, dl + pl + 1);
    if (full) {
        memcpy(full, yq_defs, dl);
        memcpy(full + dl, prog, pl + 1);
    }
    if (!full || !jqc_compile(&y.c, full, jv_object())) {
        /* "jq: error: MSG at <top-level>, line 1:" → "Error: MSG" */
        char *m = y.c.err.s ? y.c.err.s : "";
        char *s = strstr(m, "jq: error: ");
        s = s ? s + 11 : m;
        char *end = strstr(s, " at <top-level>");
        if (!end) end = strchr(s, '\n');
        struct sbuf msg;
        sbuf_init(&msg, p);
        sbuf_printf(&msg, "Error: %.*s\n", end ? (int)(end - s) : (int)strlen(s), s);
        y.c.err.len = 0;
        sbuf_add(&y.c.err, msg.s, msg.len);
        sbuf_free(&msg);
        status = 1;
        goto out;
    }
    jq_set_input_cb(y.c.jq, input_cb, &y);
    int ndocs = jv_array_length(jv_copy(y.docs));
    if (y.null_input || ndocs == 0) {
        if (y.null_input) status |= run_one(&y, jv_null());
    } else if (reduce_all && y.all) {
        y.next_doc = 1;
        jqc_set_input(&y.c, jv_array_get(jv_copy(fnames), 0), 0);
        status |= run_one(&y, jv_array_get(jv_copy(y.docs), 0));
    } else {
        for (int d = 0; d < ndocs && !y.c.stop; d++) {
            y.next_doc = ndocs; /* `input` sees no more documents */
            y.cur_src = d;
            jqc_set_input(&y.c, jv_array_get(jv_copy(fnames), d), 0);
            status |= run_one(&y, jv_array_get(jv_copy(y.docs), d));
            if (status) break;
        }
    }
    if (y.failed) status = 1;
out:
    jv_free(fnames);
    jv_free(y.docs);
    y.docs = jv_invalid();
    if (y.exit_status && status == 0) {
        if (!y.any || !jv_is_valid(y.last) || jv_get_kind(y.last) == JV_KIND_NULL ||
            jv_get_kind(y.last) == JV_KIND_FALSE) {
            status = 1;
            if (!y.any) sbuf_printf(&y.c.err, "Error: no matches found\n");
        }
    }
    jv_free(y.last);
    jqc_unlock(&y.c);
    if (y.inplace && status == 0) {
        int fd = sys_open(p, files[0], O_WRONLY | O_TRUNC | O_CREAT, 0644);
        if (fd < 0) {
            p_printf(p, 2, "Error: open %s: %s\n", files[0], go_errstr(-fd));
            status = 1;
        } else {
            io_write_all(p, fd, y.text.s ? y.text.s : "", y.text.len);
            sys_close(p, fd);
        }
        y.text.len = 0;
    }
    drain(&y);
    jqc_free(&y.c);
    sbuf_free(&y.text);
    obuf_free(&y.o);
    return status;
}
