/* Unit tests for base/fileio.c, base/error.c and base/alloc.c.
 *
 * Faults are injected through pd_sys, the table every system call of an
 * atomic write goes through: a full disk, a failing fsync, close or rename
 * must each fail the write, leave the old file as it was and leave no
 * temporary file behind. Each test that swaps a member of pd_sys puts the
 * real one back in its teardown, which cmocka runs even after a failed
 * assertion.
 *
 * Files go into a fresh directory under $PDLAB_TEST_DIR (or /tmp), removed
 * at the end. */

#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_util.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdlab/alloc.h"
#include "pdlab/error.h"
#include "pdlab/fileio.h"

static char *scratch;     /* this run's directory; removed in teardown */
static pd_syscalls real;  /* pd_sys as the library initialized it */


/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

/* Path of name inside the scratch directory; caller frees. */
static char *in_scratch(const char *name) {
    return test_path(scratch, name);
}

#define put_file test_put_file

static void assert_file_is(const char *path, const void *data, size_t len) {
    pd_err e = {0};
    size_t got_len = 0;
    char *got = pd_read_file(path, &got_len, &e);

    if (got == NULL) fail_msg("%s", e.msg);
    assert_int_equal(got_len, len);
    assert_memory_equal(got, data, len);
    free(got);
}

/* Entries of the scratch directory named "<base>.tmp.*". */
static int count_temps(const char *base) {
    char *prefix = pd_strdup_printf("%s.tmp.", base);
    DIR *d = opendir(scratch);
    struct dirent *de;
    int n = 0;

    assert_non_null(d);
    while ((de = readdir(d)) != NULL)
        n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    free(prefix);
    return n;
}

static int count_open_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    assert_non_null(d);
    while (readdir(d) != NULL) n++;
    closedir(d);
    return n;
}

/* A payload large enough to need several writes from the fakes below. */
static char *make_payload(size_t len) {
    char *p = pd_xcalloc(len, 1);
    for (size_t i = 0; i < len; i++) p[i] = (char)('a' + i % 26);
    return p;
}

/* ------------------------------------------------------------------------
 * Fakes for pd_sys
 * ---------------------------------------------------------------------- */

static size_t disk_room; /* bytes the fake disk still accepts */
static int write_calls;

/* Accepts disk_room bytes in all, the first write falling short, then
 * fails as a full disk does. */
static ssize_t write_disk_full(int fd, const void *buf, size_t n) {
    ssize_t r;

    write_calls++;
    if (disk_room == 0) {
        errno = ENOSPC;
        return -1;
    }
    r = real.write(fd, buf, n < disk_room ? n : disk_room);
    if (r > 0) disk_room -= (size_t)r;
    return r;
}

/* Interrupted every other call; at most 7 bytes otherwise. */
static ssize_t write_trickle(int fd, const void *buf, size_t n) {
    if (write_calls++ % 2 == 0) {
        errno = EINTR;
        return -1;
    }
    return real.write(fd, buf, n < 7 ? n : 7);
}

/* A write that takes nothing and reports no error. */
static ssize_t write_nothing(int fd, const void *buf, size_t n) {
    write_calls++;
    return 0;
}

static int fsync_eio(int fd) {
    errno = EIO;
    return -1;
}

/* Linux releases the descriptor even when close() reports an error. */
static int close_eio(int fd) {
    real.close(fd);
    errno = EIO;
    return -1;
}

static int rename_erofs(const char *from, const char *to) {
    errno = EROFS;
    return -1;
}

static void install_disk_full(void) {
    disk_room = 100;
    pd_sys.write = write_disk_full;
}
static void install_write_nothing(void) { pd_sys.write = write_nothing; }
static void install_fsync_eio(void) { pd_sys.fsync = fsync_eio; }
static void install_close_eio(void) { pd_sys.close = close_eio; }
static void install_rename_erofs(void) { pd_sys.rename = rename_erofs; }

static int restore_sys(void **state) {
    pd_sys = real;
    write_calls = 0;
    return 0;
}

/* ------------------------------------------------------------------------
 * Fixture
 * ---------------------------------------------------------------------- */

static int group_setup(void **state) {
    real = pd_sys;
    scratch = test_scratch_make("test_fileio");
    return scratch ? 0 : -1;
}

static int group_teardown(void **state) {
    return test_scratch_remove(scratch);
}

/* ------------------------------------------------------------------------
 * Atomic write
 * ---------------------------------------------------------------------- */

static void test_atomic_round_trip(void **state) {
    char *path = in_scratch("round_trip.json");
    const char first[] = "{\"a\": 1}\n", second[] = "{\"b\": [2, 3]}\n";
    pd_err e = {0};

    assert_int_equal(pd_write_file_atomic(path, first, strlen(first), &e), 0);
    assert_file_is(path, first, strlen(first));
    /* Replacing a longer file with a shorter one leaves no old tail. */
    assert_int_equal(pd_write_file_atomic(path, second, 3, &e), 0);
    assert_file_is(path, second, 3);
    assert_int_equal(pd_write_file_atomic(path, "", 0, &e), 0);
    assert_file_is(path, "", 0);
    assert_int_equal(count_temps("round_trip.json"), 0);
    assert_int_equal(e.set, 0);
    free(path);
}

static void test_atomic_short_writes_and_eintr(void **state) {
    char *path = in_scratch("trickle.bin");
    char *data = make_payload(1000);
    pd_err e = {0};

    pd_sys.write = write_trickle;
    assert_int_equal(pd_write_file_atomic(path, data, 1000, &e), 0);
    pd_sys = real;
    assert_true(write_calls >= 2 * (1000 / 7)); /* it really trickled */
    assert_file_is(path, data, 1000);
    free(data);
    free(path);
}

/* Runs one atomic write with a fault installed, first with no target and
 * then over an existing one, and checks that nothing changed. With a fake
 * write installed, each attempt must have called it `writes` times (0: not
 * counted). */
static void check_fault(void (*install)(void), const char *what,
                        const char *why, int writes) {
    char *path = in_scratch("target.txt");
    const char old[] = "old contents, must survive\n";
    char *data = make_payload(10000);
    int fds = count_open_fds();

    for (int have_old = 0; have_old <= 1; have_old++) {
        pd_err e = {0};
        struct stat st;

        if (have_old) put_file(path, old);
        write_calls = 0;
        install();
        assert_int_equal(pd_write_file_atomic(path, data, 10000, &e), -1);
        pd_sys = real;
        if (writes) assert_int_equal(write_calls, writes);

        assert_int_equal(e.set, 1);
        assert_contains(e.msg, what);
        assert_contains(e.msg, path);
        assert_contains(e.msg, why);
        if (have_old)
            assert_file_is(path, old, strlen(old));
        else
            assert_int_equal(stat(path, &st), -1);
        assert_int_equal(count_temps("target.txt"), 0);
        assert_int_equal(count_open_fds(), fds);
    }
    unlink(path);
    free(data);
    free(path);
}

static void test_fault_disk_full(void **state) {
    /* 100 bytes go in, then the disk is full: the short write is resumed,
     * the error is not retried. */
    check_fault(install_disk_full, "cannot write", "No space left on device", 2);
}

static void test_fault_write_returns_zero(void **state) {
    /* Taken as a full disk at once, not retried. */
    check_fault(install_write_nothing, "cannot write",
                "No space left on device", 1);
}

static void test_fault_fsync(void **state) {
    check_fault(install_fsync_eio, "cannot sync", "Input/output error", 0);
}

static void test_fault_close(void **state) {
    check_fault(install_close_eio, "cannot close", "Input/output error", 0);
}

static void test_fault_rename(void **state) {
    check_fault(install_rename_erofs, "cannot rename", "Read-only file system", 0);
}

static void test_atomic_missing_directory(void **state) {
    char *path = in_scratch("no/such/dir/file.txt");
    pd_err e = {0};

    assert_int_equal(pd_write_file_atomic(path, "x", 1, &e), -1);
    assert_contains(e.msg, path);
    assert_contains(e.msg, "No such file or directory");
    free(path);
}

/* ------------------------------------------------------------------------
 * mkdir -p and whole-file read
 * ---------------------------------------------------------------------- */

static void test_mkdir_p(void **state) {
    char *deep = in_scratch("m/a/b/c");
    char *messy = in_scratch("m//x///y/");
    char *file = in_scratch("m/a/plain");
    char *under_file = in_scratch("m/a/plain/sub");
    pd_err e = {0};
    struct stat st;

    assert_int_equal(pd_mkdir_p(deep, &e), 0);
    assert_int_equal(stat(deep, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(pd_mkdir_p(deep, &e), 0); /* already there: fine */
    assert_int_equal(pd_mkdir_p(messy, &e), 0);
    assert_int_equal(stat(messy, &st), 0);
    assert_int_equal(pd_mkdir_p(scratch, &e), 0); /* absolute path */
    assert_int_equal(e.set, 0);

    /* A file where a directory should be. */
    put_file(file, "x");
    assert_int_equal(pd_mkdir_p(file, &e), -1);
    assert_contains(e.msg, file);
    assert_contains(e.msg, "Not a directory");
    pd_error_clear(&e);
    assert_int_equal(pd_mkdir_p(under_file, &e), -1);
    assert_contains(e.msg, "Not a directory");
    pd_error_clear(&e);
    assert_int_equal(pd_mkdir_p("", &e), -1);
    assert_int_equal(e.set, 1);

    free(deep);
    free(messy);
    free(file);
    free(under_file);
}

/* A tree goes with everything in it, but a link in it is removed, never
 * followed: a worker's scratch directory may hold a link a variant made to
 * the user's files. */
static void test_remove_tree(void **state) {
    char *outside = in_scratch("outside"), *keep = in_scratch("outside/keep.txt");
    char *tree = in_scratch("tree"), *deep = in_scratch("tree/a/b");
    char *file = in_scratch("tree/a/b/f.txt"), *link = in_scratch("tree/a/link");
    pd_err e = {0};
    struct stat st;

    (void)state;
    assert_int_equal(pd_mkdir_p(outside, &e), 0);
    put_file(keep, "keep");
    assert_int_equal(pd_mkdir_p(deep, &e), 0);
    put_file(file, "gone");
    assert_int_equal(symlink(outside, link), 0);

    assert_int_equal(pd_remove_tree(tree, &e), 0);
    assert_int_equal(lstat(tree, &st), -1);
    assert_file_is(keep, "keep", 4);
    /* Missing is success: there is nothing to remove. */
    assert_int_equal(pd_remove_tree(tree, &e), 0);
    assert_false(e.set);

    free(outside);
    free(keep);
    free(tree);
    free(deep);
    free(file);
    free(link);
}

static void test_read_file(void **state) {
    char *path = in_scratch("read.txt");
    char *missing = in_scratch("missing.txt");
    pd_err e = {0};
    size_t len = 99;
    char *s;

    put_file(path, "");
    s = pd_read_file(path, &len, &e);
    assert_non_null(s);
    assert_int_equal(len, 0);
    assert_string_equal(s, "");
    free(s);

    /* /proc reports size 0 for files that are not empty. */
    s = pd_read_file("/proc/self/status", NULL, &e);
    assert_non_null(s);
    assert_contains(s, "VmPeak");
    free(s);

    assert_null(pd_read_file(missing, &len, &e));
    assert_contains(e.msg, missing);
    assert_contains(e.msg, "No such file or directory");
    pd_error_clear(&e);
    assert_null(pd_read_file(scratch, &len, &e)); /* a directory */
    assert_contains(e.msg, "Is a directory");

    free(path);
    free(missing);
}

/* A copy holds every byte of a file larger than the copy's buffer; a copy
 * the disk cannot take is removed, not left half written. */
static void test_copy_file(void **state) {
    char *src = in_scratch("copy-src.bin"), *dst = in_scratch("copy-dst.bin");
    char *missing = in_scratch("copy-missing.bin");
    size_t n = (3u << 20) + 17, len;
    char *data = malloc(n), *back;
    pd_err e = {0};
    FILE *f;

    for (size_t i = 0; i < n; i++) data[i] = (char)(i * 7 + i / 4096);
    f = fopen(src, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    assert_int_equal(pd_copy_file(src, dst, &e), 0);
    back = pd_read_file(dst, &len, &e);
    assert_non_null(back);
    assert_int_equal(len, n);
    assert_memory_equal(back, data, n);
    free(back);

    install_disk_full();
    assert_int_equal(pd_copy_file(src, dst, &e), -1);
    pd_sys = real;
    assert_contains(e.msg, dst);
    assert_contains(e.msg, "No space left on device");
    assert_int_equal(access(dst, F_OK), -1);
    pd_error_clear(&e);
    assert_int_equal(pd_copy_file(missing, dst, &e), -1);
    assert_contains(e.msg, missing);
    free(data);
    free(src);
    free(dst);
    free(missing);
}

static void test_strings_and_alloc(void **state) {
    char *s = pd_strdup_printf("%s-%d-%.1f", "run", 42, 2.5);
    char *d = pd_strdup("copy");
    unsigned char *z = pd_xcalloc(16, 4);
    void *empty = pd_xcalloc(0, 8);

    assert_string_equal(s, "run-42-2.5");
    assert_string_equal(d, "copy");
    assert_null(pd_strdup(NULL));
    for (int i = 0; i < 64; i++) assert_int_equal(z[i], 0);
    assert_non_null(empty); /* callers need not special-case n == 0 */
    free(s);
    free(d);
    free(z);
    free(empty);
}

/* ------------------------------------------------------------------------
 * The error channel
 * ---------------------------------------------------------------------- */

static void test_error_first_wins(void **state) {
    pd_err e = {0};

    assert_int_equal(pd_error(&e, "first %d", 1), -1);
    assert_int_equal(pd_error(&e, "second"), -1);
    errno = EIO;
    assert_int_equal(pd_error_errno(&e, "third"), -1);
    assert_int_equal(e.set, 1);
    assert_string_equal(e.msg, "first 1");

    pd_error_clear(&e);
    assert_int_equal(e.set, 0);
    assert_string_equal(e.msg, "");
    pd_error(&e, "after clear");
    assert_string_equal(e.msg, "after clear");

    assert_int_equal(pd_error(NULL, "nowhere"), -1); /* must not crash */
}

static void test_error_errno_and_prefix(void **state) {
    pd_err e = {0};

    pd_error_prefix(&e, "lesson %s", "x"); /* nothing recorded: no-op */
    assert_int_equal(e.set, 0);
    assert_string_equal(e.msg, "");

    errno = ENOSPC;
    pd_error_errno(&e, "cannot write %s", "out/results.json");
    assert_int_equal(errno, ENOSPC); /* left for the caller */
    assert_string_equal(e.msg,
                        "cannot write out/results.json: No space left on device");
    pd_error_prefix(&e, "variant %s", "loc");
    pd_error_prefix(&e, "lesson %s", "chained_indexing");
    assert_string_equal(e.msg, "lesson chained_indexing: variant loc: "
                               "cannot write out/results.json: "
                               "No space left on device");
}

static void test_error_truncation(void **state) {
    static char big[2 * PD_ERR_MAX];
    pd_err e = {0};
    size_t len;

    memset(big, 'a', sizeof(big) - 1);

    /* Too long: cut, marked, terminated. */
    pd_error(&e, "%s", big);
    assert_int_equal(strlen(e.msg), PD_ERR_MAX - 1);
    assert_string_equal(e.msg + PD_ERR_MAX - 4, "...");

    /* The errno text survives a long message. */
    pd_error_clear(&e);
    errno = ENOSPC;
    pd_error_errno(&e, "cannot write %s", big);
    len = strlen(e.msg);
    assert_int_equal(len, PD_ERR_MAX - 1);
    assert_string_equal(e.msg + len - strlen("...: No space left on device"),
                        "...: No space left on device");

    /* A prefix on a message near the maximum goes in front; the tail
     * gives way. */
    pd_error_clear(&e);
    pd_error(&e, "%.*s", PD_ERR_MAX - 10, big);
    pd_error_prefix(&e, "lesson %s", "groupby");
    assert_int_equal(strlen(e.msg), PD_ERR_MAX - 1);
    assert_memory_equal(e.msg, "lesson groupby: aaa", 19);
    assert_string_equal(e.msg + PD_ERR_MAX - 4, "...");

    /* A prefix longer than the buffer. */
    pd_error_clear(&e);
    pd_error(&e, "short");
    pd_error_prefix(&e, "%s", big);
    assert_int_equal(strlen(e.msg), PD_ERR_MAX - 1);
    assert_int_equal(e.msg[0], 'a');

    /* A message exactly at the limit is not marked. */
    pd_error_clear(&e);
    pd_error(&e, "%.*s", PD_ERR_MAX - 1, big);
    assert_int_equal(strlen(e.msg), PD_ERR_MAX - 1);
    assert_int_equal(e.msg[PD_ERR_MAX - 2], 'a');
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atomic_round_trip),
        cmocka_unit_test_teardown(test_atomic_short_writes_and_eintr, restore_sys),
        cmocka_unit_test_teardown(test_fault_disk_full, restore_sys),
        cmocka_unit_test_teardown(test_fault_write_returns_zero, restore_sys),
        cmocka_unit_test_teardown(test_fault_fsync, restore_sys),
        cmocka_unit_test_teardown(test_fault_close, restore_sys),
        cmocka_unit_test_teardown(test_fault_rename, restore_sys),
        cmocka_unit_test(test_atomic_missing_directory),
        cmocka_unit_test(test_mkdir_p),
        cmocka_unit_test(test_read_file),
        cmocka_unit_test_teardown(test_copy_file, restore_sys),
        cmocka_unit_test(test_remove_tree),
        cmocka_unit_test(test_strings_and_alloc),
        cmocka_unit_test(test_error_first_wins),
        cmocka_unit_test(test_error_errno_and_prefix),
        cmocka_unit_test(test_error_truncation),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
