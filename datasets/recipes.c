/* The built-in recipes, and the hash that says when a cached file is stale.
 *
 * Lessons are written against these column names and distributions: change a
 * column and you change what every lesson on that recipe measures. The hash
 * notices any such change, so cached files are regenerated, never trusted. */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pdlab/dataset.h"
#include "dataset_int.h"

/* ---- mixed: one table with every kind of column a lesson needs ---------- */

static const char *const region_labels[] = {
    "north", "south", "east", "west", "central", "coast", "hills", "islands",
    NULL,
};

static const pd_column_recipe mixed_columns[] = {
    {"id", PD_COL_I64, PD_DIST_SEQUENCE, 1, 0, 0, NULL,
     "order number: 1, 2, 3, ... (a unique key)"},
    {"group", PD_COL_CATEGORY, PD_DIST_CHOICE, 0, 0, 0, region_labels,
     "region the order came from, one of 8 (categorical)"},
    {"x", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0, NULL,
     "a measurement, normal with mean 0 and standard deviation 1"},
    {"y", PD_COL_F64, PD_DIST_UNIFORM, 0, 100, 0.05, NULL,
     "a score from 0 to 100; 5% of the values are missing (NaN)"},
    {"price", PD_COL_F64, PD_DIST_LOGNORMAL, 3, 0.5, 0, NULL,
     "unit price, lognormal: median about 20 with a long right tail"},
    {"qty", PD_COL_I32, PD_DIST_INT_UNIFORM, 1, 20, 0, NULL,
     "units ordered, a whole number from 1 to 20"},
    {"wait", PD_COL_F64, PD_DIST_EXPONENTIAL, 2, 0, 0, NULL,
     "days the order waited, exponential with mean 2"},
};

/* ---- points: rows of a 3-D point cloud, for broadcasting ---------------- */

static const pd_column_recipe points_columns[] = {
    {"a", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0, NULL,
     "coordinate of a point in 3-D"},
    {"b", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0, NULL,
     "coordinate of a point in 3-D"},
    {"c", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0, NULL,
     "coordinate of a point in 3-D"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const pd_recipe recipes[] = {
    {"mixed",
     "orders: an id, a region, measurements, price, quantity and waiting "
     "time; mixed types with missing values",
     42, mixed_columns, COUNT(mixed_columns)},
    {"points", "points in 3-D, one per row, standard normal coordinates", 7,
     points_columns, COUNT(points_columns)},
};

const pd_recipe *pd_recipe_at(size_t i) {
    return i < COUNT(recipes) ? &recipes[i] : NULL;
}

const pd_recipe *pd_recipe_find(const char *name) {
    for (size_t i = 0; i < COUNT(recipes); i++)
        if (strcmp(recipes[i].name, name) == 0)
            return &recipes[i];
    return NULL;
}

/* ---- the hash ------------------------------------------------------------
 * FNV-1a over a canonical serialization: integers as 8 little-endian bytes,
 * doubles by their bit pattern, strings length-prefixed (so "ab","c" and
 * "a","bc" differ). Everything that ends up in the file is covered: names,
 * types, distributions and their parameters, NaN shares, labels, meanings,
 * the description, the seed, the layout version and the generator version. */

uint64_t pd_fnv1a(uint64_t h, const void *p, size_t n) {
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t hash_u64(uint64_t h, uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return pd_fnv1a(h, b, sizeof b);
}

static uint64_t hash_f64(uint64_t h, double v) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return hash_u64(h, bits);
}

static uint64_t hash_str(uint64_t h, const char *s) {
    if (!s)
        return hash_u64(h, UINT64_MAX);
    size_t n = strlen(s);
    return pd_fnv1a(hash_u64(h, n), s, n);
}

static uint64_t hash_column(uint64_t h, const pd_column_recipe *c) {
    h = hash_str(h, c->name);
    h = hash_u64(h, (uint64_t)c->type);
    h = hash_u64(h, (uint64_t)c->dist);
    h = hash_f64(h, c->a);
    h = hash_f64(h, c->b);
    h = hash_f64(h, c->nan_share);
    size_t nlabels = 0;
    while (c->labels && c->labels[nlabels])
        nlabels++;
    h = hash_u64(h, nlabels);
    for (size_t i = 0; i < nlabels; i++)
        h = hash_str(h, c->labels[i]);
    return hash_str(h, c->meaning);
}

void pd_recipe_hash(const pd_recipe *r, char out[17]) {
    uint64_t h = hash_str(PD_FNV_OFFSET, "pdlab recipe");
    h = hash_u64(h, PD_DATASET_FORMAT_VERSION);
    h = hash_u64(h, PD_GENERATOR_VERSION);
    h = hash_str(h, r->name);
    h = hash_str(h, r->description);
    h = hash_u64(h, r->seed);
    h = hash_u64(h, r->ncolumns);
    for (size_t i = 0; i < r->ncolumns; i++)
        h = hash_column(h, &r->columns[i]);
    snprintf(out, 17, "%016" PRIx64, h);
}
