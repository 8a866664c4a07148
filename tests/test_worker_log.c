/* Unit tests for bench/worker_log.c: what a worker prints is kept as its
 * first and last WORKER_LOG_HEAD / WORKER_LOG_TAIL bytes with a note of
 * what was left out, whatever sizes the reads come in, and the tail of a
 * log is read from its end. */

#define _XOPEN_SOURCE 700 /* mkdtemp */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdlab/alloc.h"
#include "pdlab/fileio.h"
#include "../bench/worker_log.h"

static char *scratch;

static int setup(void **state)
{
    (void)state;
    scratch = test_scratch_make("test_worker_log");
    return scratch ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return test_scratch_remove(scratch);
}

/* Byte i of the stream a test worker prints: a pattern that shows any
 * byte out of place. */
static char byte_at(uint64_t i)
{
    return (char)('a' + (i * 7 + i / 251) % 26);
}

/* Feeds `total` bytes of the pattern to a new log at `name`, in pieces of
 * `piece` bytes, and reads the file back (caller frees; length in *len). */
static char *log_of(const char *name, uint64_t total, size_t piece, size_t *len)
{
    char *path = test_path(scratch, name), *buf = pd_xrealloc(NULL, piece), *text;
    worker_log l;
    pd_err e = {0};
    uint64_t at = 0;

    assert_int_equal(worker_log_open(&l, path, &e), 0);
    while (at < total) {
        size_t n = total - at < piece ? (size_t)(total - at) : piece;
        for (size_t i = 0; i < n; i++) buf[i] = byte_at(at + i);
        worker_log_feed(&l, buf, n);
        at += n;
    }
    worker_log_close(&l);
    text = pd_read_file(path, len, &e);
    assert_non_null(text);
    free(buf);
    free(path);
    return text;
}

static void assert_pattern(const char *got, uint64_t from, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != byte_at(from + i))
            fail_msg("byte %llu of the stream is wrong", (unsigned long long)(from + i));
}

/* Under the head's size: the log is what was printed, byte for byte. */
static void test_small_output_whole(void **state)
{
    size_t len;
    char *text = log_of("small.log", 1000, 7, &len);
    (void)state;
    assert_int_equal(len, 1000);
    assert_pattern(text, 0, 1000);
    free(text);
}

/* Past head and tail together: the head, a note naming the bytes left
 * out, and the last WORKER_LOG_TAIL bytes in order, for reads of every
 * size (one byte, odd sizes, larger than the ring). */
static void test_flood_keeps_head_and_tail(void **state)
{
    static const size_t pieces[] = {1, 4093, 65536, 300000};
    const uint64_t total = 5u << 20;
    (void)state;
    for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
        size_t len;
        char *text = log_of("flood.log", total, pieces[k], &len), note[160];
        size_t note_len;
        snprintf(note, sizeof note,
                 "\n[pdlab: %llu bytes of this worker's output left out; the log keeps "
                 "its first and last %u KiB]\n",
                 (unsigned long long)(total - WORKER_LOG_HEAD - WORKER_LOG_TAIL),
                 WORKER_LOG_TAIL >> 10);
        note_len = strlen(note);
        assert_int_equal(len, WORKER_LOG_HEAD + note_len + WORKER_LOG_TAIL);
        assert_pattern(text, 0, WORKER_LOG_HEAD);
        assert_memory_equal(text + WORKER_LOG_HEAD, note, note_len);
        assert_pattern(text + WORKER_LOG_HEAD + note_len, total - WORKER_LOG_TAIL,
                       WORKER_LOG_TAIL);
        free(text);
        {
            char *path = test_path(scratch, "flood.log");
            remove(path);
            free(path);
        }
    }
}

/* Between head and head + tail: nothing left out, so no note. */
static void test_just_over_head_no_note(void **state)
{
    size_t len;
    uint64_t total = WORKER_LOG_HEAD + 1000;
    char *text = log_of("over.log", total, 5000, &len);
    (void)state;
    assert_int_equal(len, total);
    assert_pattern(text, 0, total);
    free(text);
}

/* The tail is read from the end, and a short file is read whole. */
static void test_tail(void **state)
{
    char *path = test_path(scratch, "tail.log"), *t;
    (void)state;
    test_put_file(path, "0123456789");
    t = worker_log_tail(path, 4);
    assert_string_equal(t, "6789");
    free(t);
    t = worker_log_tail(path, 100);
    assert_string_equal(t, "0123456789");
    free(t);
    free(path);
    t = worker_log_tail("/nonexistent/log", 10);
    assert_string_equal(t, "");
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_output_whole),
        cmocka_unit_test(test_flood_keeps_head_and_tail),
        cmocka_unit_test(test_just_over_head_no_note),
        cmocka_unit_test(test_tail),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
