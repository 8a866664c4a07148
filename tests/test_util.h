#ifndef PDLAB_TEST_UTIL_H
#define PDLAB_TEST_UTIL_H
/* What the C unit tests share: a scratch directory per test program under
 * $PDLAB_TEST_DIR (or /tmp), files in it, and a substring assertion. Include
 * after <cmocka.h>. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/fileio.h"

#define assert_contains(hay, needle)                                        \
    do {                                                                    \
        const char *h_ = (hay);                                             \
        if (!h_ || strstr(h_, (needle)) == NULL)                            \
            fail_msg("\"%s\" not found in \"%s\"", (needle),                \
                     h_ ? h_ : "(null)");                                   \
    } while (0)

/* A new directory $PDLAB_TEST_DIR/PREFIX.XXXXXX (caller frees the path and
 * removes it with test_scratch_remove), or NULL. */
static inline char *test_scratch_make(const char *prefix)
{
    const char *base = getenv("PDLAB_TEST_DIR");
    pd_err e = {0};
    char *dir;
    if (base == NULL || base[0] == '\0') base = "/tmp";
    if (pd_mkdir_p(base, &e) != 0) return NULL;
    dir = pd_strdup_printf("%s/%s.XXXXXX", base, prefix);
    if (mkdtemp(dir) == NULL) {
        free(dir);
        return NULL;
    }
    return dir;
}

/* Removes the directory and everything in it; frees the path. */
static inline int test_scratch_remove(char *dir)
{
    pd_err e = {0};
    int rc = dir ? pd_remove_tree(dir, &e) : 0;
    free(dir);
    return rc;
}

/* dir/name, newly allocated. */
static inline char *test_path(const char *dir, const char *name)
{
    return pd_strdup_printf("%s/%s", dir, name);
}

static inline void test_put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

#endif
