/*
 * test_osv_folder.c — an OSV folder listed and read (osv_folder.c): entries
 * sorted by name at each level with a subfolder's files where it sorts;
 * hidden names, other files, symlinks (to a file or a folder) and FIFOs
 * left out without being opened; read whole, or in consecutive shares put
 * back together, the records come in the same order; rs_osv_read_path
 * reads a folder in that order too. A file is read to its end whatever the
 * read size (a short read ends it only once its size is in). Read through
 * io_uring (osv_ring.c) and without it (RASOAT_IO_URING=0): the same
 * records over several batches, a file larger than the ring's read, an
 * empty one, and a FIFO (with a writer's bytes in it) or a symlink swapped
 * in after the listing skipped with a warning, the FIFO never read.
 */
#include "testutil.h"
#include "vuln/osv_folder.h"
#include "vuln/osv_internal.h"
#include "vuln/osv_ring.h"

#include <errno.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int collect_ids(const rs_vuln_record *r, void *ctx)
{
	rs_buf *b = ctx;
	rs_buf_puts(b, r->record);
	rs_buf_puts(b, " ");
	return 0;
}

static void record_text(char *text, size_t size, const char *id)
{
	snprintf(text, size,
		 "{\"id\": \"%s\", \"affected\": [{\"package\": {\"ecosystem\": \"npm\", \"name\": \"p\"}, "
		 "\"ranges\": [{\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.0.0\"}]}]}]}",
		 id);
}

static void write_record(const char *dir, const char *rel, const char *id)
{
	char text[512];
	record_text(text, sizeof(text), id);
	rs_test_write(dir, rel, text);
}

static void test_folder_order_and_shares(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	write_record(dir, "b.json", "R-b");
	write_record(dir, "a/2.json", "R-a2");
	write_record(dir, "a/1.json", "R-a1");
	write_record(dir, "a/deep/x.json", "R-adx");
	write_record(dir, "c.json", "R-c");
	write_record(dir, ".hidden.json", "R-hidden");
	write_record(dir, "a/notes.txt", "R-txt");
	char *p = rs_sprintf("%s/link.json", dir);
	assert_int_equal(symlink("b.json", p), 0); /* a symlink to a file: not read */
	free(p);
	p = rs_sprintf("%s/linkdir", dir);
	assert_int_equal(symlink("a", p), 0); /* nor a symlink to a folder */
	free(p);
	p = rs_sprintf("%s/fifo.json", dir);
	assert_int_equal(mkfifo(p, 0600), 0); /* never opened: it would block */
	free(p);

	rs_buf whole;
	rs_buf_init(&whole);
	rs_feed_stats st = { 0 };
	assert_int_equal(rs_osv_read_path(dir, collect_ids, &whole, &st), 0);
	assert_string_equal(whole.data, "R-a1 R-a2 R-adx R-b R-c ");
	assert_int_equal(st.skipped, 0);

	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	rs_osv_folder f;
	rs_osv_folder_list(fd, dir, &f, &st);
	assert_int_equal(f.files.len, 5);
	for (size_t cut = 0; cut <= f.files.len; cut++) {
		rs_buf shares;
		rs_buf_init(&shares);
		rs_osv_folder_read(&f, 0, cut, collect_ids, &shares, &st);
		rs_osv_folder_read(&f, cut, f.files.len + 3, collect_ids, &shares, &st); /* past the end: the end */
		assert_string_equal(shares.data, whole.data);
		rs_buf_free(&shares);
	}
	/* a subfolder replaced by a symlink after the listing is not followed */
	char *a = rs_sprintf("%s/a", dir), *moved = rs_sprintf("%s/moved", dir);
	assert_int_equal(rename(a, moved), 0);
	assert_int_equal(symlink("moved", a), 0);
	rs_buf after;
	rs_buf_init(&after);
	memset(&st, 0, sizeof(st));
	rs_test_capture_start();
	rs_osv_folder_read(&f, 0, f.files.len, collect_ids, &after, &st);
	rs_test_capture_stop();
	assert_string_equal(after.data, "R-b R-c ");
	assert_true(st.skipped >= 1);
	rs_buf_free(&after);
	free(a);
	free(moved);
	rs_osv_folder_free(&f);
	rs_buf_free(&whole);
	rs_test_rmrf(dir);
	free(dir);
}

/* Files read through reads of every size from 1 byte up: the same records,
 * none cut short, and an array file's later records too. */
static void test_read_sizes(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	write_record(dir, "a.json", "R-a");
	write_record(dir, "b.json", "R-b");
	char one[512], two[512], arr[1200];
	record_text(one, sizeof(one), "R-c1");
	record_text(two, sizeof(two), "R-c2");
	snprintf(arr, sizeof(arr), "[%s,\n %s]\n", one, two);
	rs_test_write(dir, "c.json", arr);
	for (size_t block = 1; block <= 300; block += block < 16 ? 1 : 37) {
		rs_osv_set_limits(block, 0);
		rs_buf ids;
		rs_buf_init(&ids);
		rs_feed_stats st = { 0 };
		rs_test_capture_start();
		assert_int_equal(rs_osv_read_path(dir, collect_ids, &ids, &st), 0);
		rs_test_capture_stop();
		assert_string_equal(ids.data, "R-a R-b R-c1 R-c2 ");
		assert_int_equal(st.skipped, 0);
		rs_buf_free(&ids);
	}
	rs_osv_set_limits(0, 0);
	rs_test_rmrf(dir);
	free(dir);
}

/* Reads folder F with io_uring (RING) or not: the ids, the count skipped. */
static size_t read_with_ring(const rs_osv_folder *f, bool ring, rs_buf *ids)
{
	assert_int_equal(setenv("RASOAT_IO_URING", ring ? "1" : "0", 1), 0);
	rs_feed_stats st = { 0 };
	rs_test_capture_start();
	rs_osv_folder_read(f, 0, f->files.len, collect_ids, ids, &st);
	assert_true(rs_test_captured_contains("070.json"));
	assert_true(rs_test_captured_contains("071.json"));
	rs_test_capture_stop();
	unsetenv("RASOAT_IO_URING");
	return st.skipped;
}

static void test_ring_and_plain(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_buf want;
	rs_buf_init(&want);
	char rel[64], id[32];
	for (int i = 0; i < 2 * RS_OSV_RING_BATCH + 7; i++) { /* three batches, the last short */
		snprintf(rel, sizeof(rel), "s/%03d.json", i);
		snprintf(id, sizeof(id), "R-%03d", i);
		if (i == 5) { /* larger than the ring's read: read plainly */
			size_t n = RS_OSV_RING_READ + 1000;
			char *big = rs_malloc(n + 600);
			char *pad = rs_malloc(n + 1);
			memset(pad, 'x', n);
			pad[n] = '\0';
			snprintf(big, n + 600, "{\"id\": \"%s\", \"details\": \"%s\", \"affected\": []}", id, pad);
			rs_test_write(dir, rel, big);
			free(big);
			free(pad);
		} else if (i == 6) {
			rs_test_write(dir, rel, ""); /* empty: no record */
		} else {
			write_record(dir, rel, id);
			if (i != 70 && i != 71) {
				rs_buf_puts(&want, id);
				rs_buf_puts(&want, " ");
			}
		}
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	rs_osv_folder f;
	rs_feed_stats lst = { 0 };
	rs_osv_folder_list(fd, dir, &f, &lst);
	assert_int_equal(f.files.len, 2 * RS_OSV_RING_BATCH + 7);
	/* after the listing: 070 becomes a FIFO holding a record, 071 a symlink */
	char *p70 = rs_sprintf("%s/s/070.json", dir), *p71 = rs_sprintf("%s/s/071.json", dir);
	assert_int_equal(unlink(p70), 0);
	assert_int_equal(mkfifo(p70, 0600), 0);
	int pipe_fd = open(p70, O_RDWR | O_NONBLOCK | O_CLOEXEC); /* a writer (and a reader) stays */
	assert_true(pipe_fd >= 0);
	char text[512];
	record_text(text, sizeof(text), "R-fifo");
	assert_int_equal(write(pipe_fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(unlink(p71), 0);
	assert_int_equal(symlink("000.json", p71), 0);
	rs_osv_ring probe;
	rs_osv_ring_init(&probe);
	if (!probe.ok)
		printf("io_uring refused here: both reads below are the plain one\n");
	rs_osv_ring_free(&probe);
	for (int ring = 0; ring <= 1; ring++) {
		rs_buf ids;
		rs_buf_init(&ids);
		/* the FIFO, the symlink, the empty file and the record without an
		 * affected package, each warned about */
		assert_int_equal(read_with_ring(&f, ring, &ids), 4);
		assert_string_equal(ids.data, want.data);
		rs_buf_free(&ids);
	}
	/* the FIFO's bytes are all still there: never read */
	char back[512];
	assert_int_equal(read(pipe_fd, back, sizeof(back)), (ssize_t)strlen(text));
	assert_int_equal(read(pipe_fd, back, sizeof(back)), -1);
	assert_int_equal(errno, EAGAIN);
	close(pipe_fd);
	free(p70);
	free(p71);
	rs_osv_folder_free(&f);
	rs_buf_free(&want);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folder_order_and_shares),
		cmocka_unit_test(test_read_sizes),
		cmocka_unit_test(test_ring_and_plain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
