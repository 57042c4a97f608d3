/* json_merge.c - `make bench`: merge flat JSON objects (one per benchmark program) into one,
 * so that scripts read every figure from build/bench.json.
 *
 *   json_merge OUT IN...
 * Every IN must hold one JSON object; a key that appears twice is an error (two benchmarks
 * must not claim the same figure). Exit 0, or 1 with a one-line reason.
 */
#include <jansson.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: json_merge OUT IN...\n");
        return 1;
    }
    json_t *all = json_object();
    for (int i = 2; i < argc; i++) {
        json_error_t e;
        json_t *o = json_load_file(argv[i], 0, &e);
        if (!o || !json_is_object(o)) {
            fprintf(stderr, "json_merge: %s:%d: %s\n", argv[i], e.line,
                    o ? "not a JSON object" : e.text);
            return 1;
        }
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v) {
            if (json_object_get(all, k)) {
                fprintf(stderr, "json_merge: %s: key '%s' already set by an earlier file\n",
                        argv[i], k);
                return 1;
            }
            json_object_set(all, k, v);
        }
        json_decref(o);
    }
    if (json_dump_file(all, argv[1], JSON_INDENT(2) | JSON_SORT_KEYS)) {
        fprintf(stderr, "json_merge: cannot write %s\n", argv[1]);
        return 1;
    }
    json_decref(all);
    return 0;
}
