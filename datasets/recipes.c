/* The built-in recipes, and the hash that says when a cached file is stale.
 *
 * Lessons are written against these column names and distributions: change a
 * column and you change what every lesson on that recipe measures. The hash
 * notices any such change, so cached files are regenerated, never trusted.
 *
 * Columns are {name, type, distribution, a, b, nan_share, labels, weights,
 * meaning}; see pd_column_recipe. */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pdlab/dataset.h"
#include "dataset_int.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One weight per label: a shorter array would be read past its end. Label
 * arrays end with NULL, hence the - 1. */
#define SAME_LENGTH(weights, labels)                                         \
    _Static_assert(COUNT(weights) == COUNT(labels) - 1,                      \
                   #weights " needs one weight per label of " #labels)

/* ---- mixed: one table with every kind of column a lesson needs ---------- */

static const char *const region_labels[] = {
    "north", "south", "east", "west", "central", "coast", "hills", "islands",
    NULL,
};
/* Unequal, so a groupby has big and small groups, as real ones do. */
static const double region_weights[] = {
    0.20, 0.18, 0.15, 0.15, 0.12, 0.10, 0.06, 0.04,
};
SAME_LENGTH(region_weights, region_labels);

static const pd_column_recipe mixed_columns[] = {
    {"id", PD_COL_I64, PD_DIST_SEQUENCE, 1, 0, 0, NULL, NULL,
     "order number: 1, 2, 3, ... (a unique key)"},
    {"group", PD_COL_CATEGORY, PD_DIST_CHOICE, 0, 0, 0, region_labels,
     region_weights,
     "region the order came from, one of 8, from 20% of the orders down to "
     "4% (categorical)"},
    {"x", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0, NULL, NULL,
     "a measurement, normal with mean 0 and standard deviation 1"},
    {"y", PD_COL_F64, PD_DIST_UNIFORM, 0, 100, 0.05, NULL, NULL,
     "a score from 0 to 100; 5% of the values are missing (NaN)"},
    {"price", PD_COL_F64, PD_DIST_LOGNORMAL, 3, 0.5, 0, NULL, NULL,
     "unit price, lognormal: median about 20 with a long right tail"},
    {"qty", PD_COL_I32, PD_DIST_INT_UNIFORM, 1, 20, 0, NULL, NULL,
     "units ordered, a whole number from 1 to 20"},
    {"wait", PD_COL_F64, PD_DIST_EXPONENTIAL, 2, 0, 0, NULL, NULL,
     "days the order waited, exponential with mean 2"},
};

/* ---- points: rows of a 3-D point cloud, for broadcasting ---------------- */

static const pd_column_recipe points_columns[] = {
    {"a", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0, NULL, NULL,
     "coordinate of a point in 3-D"},
    {"b", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0, NULL, NULL,
     "coordinate of a point in 3-D"},
    {"c", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0, NULL, NULL,
     "coordinate of a point in 3-D"},
};

/* ---- events: a log of what users did, for membership, dedupe, top-k ------
 * Keys scale with the rows, so the share of repeats is the same at every
 * size: a lesson's comparison does not change its nature as n grows. */

static const char *const kind_labels[] = {"view", "click", "buy", NULL};
static const double kind_weights[] = {0.70, 0.25, 0.05};
SAME_LENGTH(kind_weights, kind_labels);

static const pd_column_recipe events_columns[] = {
    {"ts", PD_COL_I64, PD_DIST_SEQUENCE, 1, 0, 0, NULL, NULL,
     "when it happened, as the event's place in the log: 1, 2, 3, ..."},
    {"user", PD_COL_I64, PD_DIST_KEY, 0.25, 0, 0, NULL, NULL,
     "who did it: a user id from 1 to rows/4, so about 4 events per user "
     "(many repeats)"},
    {"item", PD_COL_I64, PD_DIST_KEY, 0.02, 0, 0, NULL, NULL,
     "what it was done to: an item id from 1 to rows/50, about 50 events "
     "per item"},
    {"amount", PD_COL_F64, PD_DIST_LOGNORMAL, 3, 1, 0, NULL, NULL,
     "money involved, lognormal: always positive, median about 20, a few "
     "very large"},
    {"kind", PD_COL_CATEGORY, PD_DIST_CHOICE, 0, 0, 0, kind_labels,
     kind_weights,
     "what happened: a view (70%), a click (25%) or a buy (5%) "
     "(categorical)"},
};

/* ---- people: text next to numbers, for string work and dtypes ----------- */

/* 40 of each: 1,600 full names, so names repeat from a few thousand rows. */
const char *const pd_first_names[] = {
    "Ada", "Alan", "Alice", "Amir", "Anna", "Ben", "Carla", "Chen", "Clara",
    "David", "Elena", "Emma", "Felix", "Grace", "Hana", "Hugo", "Ines",
    "Ivan", "Jack", "Julia", "Kenji", "Laura", "Leo", "Lina", "Marco",
    "Maria", "Mei", "Nina", "Noah", "Olga", "Omar", "Paul", "Priya", "Rosa",
    "Sam", "Sara", "Tom", "Vera", "Yusuf", "Zoe", NULL,
};
const char *const pd_last_names[] = {
    "Adams", "Baker", "Becker", "Bianchi", "Brown", "Castro", "Cohen",
    "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito",
    "Jensen", "Kim", "Kowalski", "Lee", "Lopez", "Martin", "Meyer", "Moreau",
    "Murphy", "Nagy", "Novak", "Okafor", "Olsen", "Patel", "Petrov", "Rossi",
    "Santos", "Schmidt", "Silva", "Smith", "Tanaka", "Walsh", "Weber",
    "Wilson", "Wong", "Young", NULL,
};
_Static_assert(COUNT(pd_first_names) == 41 && COUNT(pd_last_names) == 41,
               "the meaning of people/name says 40 first and 40 last names");

/* Reserved for examples (RFC 2606 and 6761): no real person's address. */
static const char *const domain_labels[] = {
    "example.org", "example.com", "example.net", "mail.test", "inbox.test",
    "post.example", NULL,
};

static const char *const city_labels[] = {
    "London", "Paris", "Berlin", "Madrid", "Rome", "Vienna", "Amsterdam",
    "Prague", "Lisbon", "Dublin", "Oslo", "Stockholm", "Copenhagen",
    "Helsinki", "Warsaw", "Budapest", "Athens", "Brussels", "Zurich",
    "Edinburgh", NULL,
};
/* Roughly Zipf: London is 50 times as common as Edinburgh. */
static const double city_weights[] = {
    20, 14, 11, 9, 8, 7, 6, 5, 4, 3.5, 3, 2.5, 2, 1.5, 1.2, 1, 0.8, 0.6, 0.5,
    0.4,
};
SAME_LENGTH(city_weights, city_labels);

static const pd_column_recipe people_columns[] = {
    {"id", PD_COL_I64, PD_DIST_SEQUENCE, 1, 0, 0, NULL, NULL,
     "person number: 1, 2, 3, ... (a unique key)"},
    {"name", PD_COL_STRING, PD_DIST_FULL_NAME, 0, 0, 0, NULL, NULL,
     "full name, \"First Last\", from 40 first and 40 last names (so names "
     "repeat)"},
    {"email", PD_COL_STRING, PD_DIST_EMAIL, 1, 999, 0, domain_labels, NULL,
     "email address like \"ada.smith123@example.org\": lower case, a number "
     "from 1 to 999, one of 6 domains (not the row's name)"},
    {"city", PD_COL_STRING, PD_DIST_CHOICE, 0, 0, 0, city_labels,
     city_weights,
     "home city, one of 20, London 50 times as common as Edinburgh (text, "
     "not categorical)"},
    {"age", PD_COL_I64, PD_DIST_INT_UNIFORM, 18, 90, 0, NULL, NULL,
     "age in years, a whole number from 18 to 90"},
    {"score", PD_COL_F64, PD_DIST_NORMAL, 70, 12, 0, NULL, NULL,
     "a test score, normal with mean 70 and standard deviation 12"},
};

/* ---- column: one float64 column, for `pdlab bench` ---------------------- */

static const pd_column_recipe column_columns[] = {
    {"value", PD_COL_F64, PD_DIST_NORMAL, 0, 1, 0, NULL, NULL,
     "a measurement, normal with mean 0 and standard deviation 1"},
};

static const pd_recipe recipes[] = {
    {"mixed",
     "orders: an id, a region, measurements, price, quantity and waiting "
     "time; mixed types with missing values",
     42, mixed_columns, COUNT(mixed_columns)},
    {"points", "points in 3-D, one per row, standard normal coordinates", 7,
     points_columns, COUNT(points_columns)},
    {"events",
     "a log of user events: when, who, which item, how much money and what "
     "kind; users and items repeat",
     11, events_columns, COUNT(events_columns)},
    {"people",
     "people: name, email and city as text, age and score as numbers; text "
     "next to other dtypes",
     13, people_columns, COUNT(people_columns)},
    {"column",
     "one float64 column of standard normal values, for timing loads",
     17, column_columns, COUNT(column_columns)},
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
 * types, distributions and their parameters, NaN shares, labels, weights,
 * the built-in names a column draws from, meanings, the description, the
 * seed, the layout version and the generator version. */

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

/* A NULL-terminated vector, count first; returns its length in *n. */
static uint64_t hash_strv(uint64_t h, const char *const *v, size_t *n) {
    size_t count = 0;
    while (v && v[count])
        count++;
    h = hash_u64(h, count);
    for (size_t i = 0; i < count; i++)
        h = hash_str(h, v[i]);
    *n = count;
    return h;
}

static uint64_t hash_column(uint64_t h, const pd_column_recipe *c) {
    size_t nlabels, nnames;
    h = hash_str(h, c->name);
    h = hash_u64(h, (uint64_t)c->type);
    h = hash_u64(h, (uint64_t)c->dist);
    h = hash_f64(h, c->a);
    h = hash_f64(h, c->b);
    h = hash_f64(h, c->nan_share);
    h = hash_strv(h, c->labels, &nlabels);
    h = hash_u64(h, c->weights ? nlabels : 0); /* one weight per label */
    for (size_t i = 0; c->weights && i < nlabels; i++)
        h = hash_f64(h, c->weights[i]);
    /* Only the columns that draw from the built-in names: editing the names
     * must not regenerate every other file. */
    if (c->dist == PD_DIST_FULL_NAME || c->dist == PD_DIST_EMAIL) {
        h = hash_strv(h, pd_first_names, &nnames);
        h = hash_strv(h, pd_last_names, &nnames);
    }
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
