/* gold_status.c - stable names of enum gold_status.
 *
 * The names are part of the vector file format (vectors/README.md, `result = ...`), so they
 * never change once published; the table is indexed by the enum so that a new status without a
 * name fails to compile (the array size check below).
 */
#include <string.h>

#include "esp_golden.h"

static const char *const status_names[] = {
    [GOLD_OK] = "ok",
    [GOLD_E_PARAM] = "param",
    [GOLD_E_NOSPACE] = "nospace",
    [GOLD_E_TRUNCATED] = "truncated",
    [GOLD_E_BAD_LENGTH] = "bad-length",
    [GOLD_E_NOT_ESP] = "not-esp",
    [GOLD_E_BAD_HEADER] = "bad-header",
    [GOLD_E_SPI] = "spi",
    [GOLD_E_BAD_ICV] = "bad-icv",
    [GOLD_E_BAD_PAD] = "bad-pad",
    [GOLD_E_DUMMY] = "dummy",
    [GOLD_E_BAD_INNER] = "bad-inner",
    [GOLD_E_CRYPTO] = "crypto",
};

_Static_assert(sizeof status_names / sizeof status_names[0] == GOLD_STATUS_COUNT,
               "every gold_status needs a name");

const char *gold_status_name(enum gold_status s)
{
    /* The cast catches negative values an int may carry into the enum. */
    if ((unsigned)s >= GOLD_STATUS_COUNT)
        return "unknown";
    return status_names[s];
}

int gold_status_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < (int)GOLD_STATUS_COUNT; i++)
        if (strcmp(name, status_names[i]) == 0)
            return i;
    return -1;
}
