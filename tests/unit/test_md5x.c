/*
 * test_md5x.c — the 16-lane MD5 (core/md5x.h) gives OpenSSL's digest for
 * every length around the block and padding edges, with the lanes holding
 * streams of different lengths side by side (as the integrity workers
 * use it), in each variant this CPU runs (AVX-512, AVX2, generic).
 */
#include "testutil.h"
#include "core/md5x.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static void openssl_md5(const unsigned char *data, size_t len, unsigned char out[16])
{
	unsigned olen = 0;
	assert_int_equal(EVP_Digest(data, len, out, &olen, EVP_md5(), NULL), 1);
	assert_int_equal(olen, 16);
}

/* Hashes stream l of LENS[l] bytes from DATA + l * STRIDE in every lane at
 * once, feeding each lane its blocks as the integrity worker does (the
 * lanes with fewer blocks left decide how many run together). */
static void hash_lanes(const unsigned char *data, size_t stride, const size_t lens[RS_MD5X_LANES],
		       unsigned char out[RS_MD5X_LANES][16])
{
	rs_md5x m;
	unsigned char tail[RS_MD5X_LANES][128];
	static const unsigned char idle[128 * 64];
	size_t pos[RS_MD5X_LANES] = { 0 }, end[RS_MD5X_LANES];
	bool padded[RS_MD5X_LANES] = { false }, done[RS_MD5X_LANES] = { false };
	for (int l = 0; l < RS_MD5X_LANES; l++) {
		rs_md5x_reset(&m, l);
		end[l] = lens[l] / 64 * 64;
	}
	for (;;) {
		const unsigned char *ptr[RS_MD5X_LANES];
		size_t blocks = 128;
		int active = 0;
		for (int l = 0; l < RS_MD5X_LANES; l++) {
			if (!done[l] && !padded[l] && pos[l] == end[l]) {
				size_t t = lens[l] - end[l];
				memcpy(tail[l], data + l * stride + end[l], t);
				end[l] = rs_md5x_pad(tail[l], t, lens[l]);
				pos[l] = 0;
				padded[l] = true;
			}
			if (done[l]) {
				ptr[l] = idle;
				continue;
			}
			active++;
			ptr[l] = padded[l] ? tail[l] + pos[l] : data + l * stride + pos[l];
			if ((end[l] - pos[l]) / 64 < blocks)
				blocks = (end[l] - pos[l]) / 64;
		}
		if (!active)
			break;
		rs_md5x_blocks(&m, ptr, blocks);
		for (int l = 0; l < RS_MD5X_LANES; l++) {
			if (done[l])
				continue;
			pos[l] += blocks * 64;
			if (padded[l] && pos[l] == end[l]) {
				rs_md5x_digest(&m, l, out[l]);
				done[l] = true;
			}
		}
	}
}

static void check_variant(const char *name)
{
	if (rs_md5x_use(name) < 0) {
		printf("md5x %s: not run by this CPU, skipped\n", name);
		return;
	}
	assert_string_equal(rs_md5x_impl(), name);
	enum { STRIDE = 70000 };
	unsigned char *data = malloc((size_t)RS_MD5X_LANES * STRIDE);
	assert_non_null(data);
	srand(7);
	for (size_t i = 0; i < (size_t)RS_MD5X_LANES * STRIDE; i++)
		data[i] = (unsigned char)rand();
	unsigned char got[RS_MD5X_LANES][16], want[16];
	/* every length 0..300: the block (64) and padding (56, 120) edges */
	for (size_t base = 0; base <= 300; base += RS_MD5X_LANES) {
		size_t lens[RS_MD5X_LANES];
		for (int l = 0; l < RS_MD5X_LANES; l++)
			lens[l] = base + (size_t)l;
		hash_lanes(data, STRIDE, lens, got);
		for (int l = 0; l < RS_MD5X_LANES; l++) {
			openssl_md5(data + l * STRIDE, lens[l], want);
			assert_memory_equal(got[l], want, 16);
		}
	}
	/* long streams of very different lengths side by side */
	size_t lens[RS_MD5X_LANES] = { 0, 1, 55, 56, 63, 64, 65, 119, 120, 4095, 65536, 65537, 69999, 70000,
				       12345, 640 };
	hash_lanes(data, STRIDE, lens, got);
	for (int l = 0; l < RS_MD5X_LANES; l++) {
		openssl_md5(data + l * STRIDE, lens[l], want);
		assert_memory_equal(got[l], want, 16);
	}
	free(data);
}

static void test_variants(void **state)
{
	(void)state;
	check_variant("generic");
	check_variant("avx2");
	check_variant("avx512");
	assert_int_equal(rs_md5x_use("sse9"), -1);
}

static void test_pad(void **state)
{
	(void)state;
	unsigned char buf[128];
	assert_int_equal(rs_md5x_pad(buf, 0, 0), 64);
	assert_int_equal(buf[0], 0x80);
	assert_int_equal(rs_md5x_pad(buf, 55, 55), 64);
	assert_int_equal(buf[56], (55 * 8) & 0xff);
	assert_int_equal(buf[57], (55 * 8) >> 8);
	assert_int_equal(rs_md5x_pad(buf, 56, 120), 128);
	assert_int_equal(buf[56], 0x80);
	assert_int_equal(buf[120], (120 * 8) & 0xff);
	assert_int_equal(buf[121], (120 * 8) >> 8);
}

/* A stream whose first blocks went through the 16 lanes and whose rest
 * (its padding included) is hashed by rs_md5x_lane_blocks alone, as the
 * integrity worker finishes its last files, gives OpenSSL's digest; the
 * other lanes are left as they were. */
static void test_lane_alone(void **state)
{
	(void)state;
	enum { LEN = 10000 };
	unsigned char *data = malloc(LEN);
	assert_non_null(data);
	for (size_t i = 0; i < LEN; i++)
		data[i] = (unsigned char)(i * 31 + (i >> 7));
	size_t splits[] = { 0, 64, 640, 9984 }; /* bytes through the lanes first */
	for (size_t s = 0; s < sizeof(splits) / sizeof(splits[0]); s++) {
		rs_md5x m;
		const unsigned char *ptr[RS_MD5X_LANES];
		for (int l = 0; l < RS_MD5X_LANES; l++) {
			rs_md5x_reset(&m, l);
			ptr[l] = data;
		}
		rs_md5x_blocks(&m, ptr, splits[s] / 64);
		rs_md5x other = m;
		size_t whole = LEN / 64 * 64;
		rs_md5x_lane_blocks(&m, 5, data + splits[s], (whole - splits[s]) / 64);
		unsigned char tail[128];
		memcpy(tail, data + whole, LEN - whole);
		size_t n = rs_md5x_pad(tail, LEN - whole, LEN);
		rs_md5x_lane_blocks(&m, 5, tail, n / 64);
		unsigned char got[16], want[16];
		rs_md5x_digest(&m, 5, got);
		openssl_md5(data, LEN, want);
		assert_memory_equal(got, want, 16);
		for (int l = 0; l < RS_MD5X_LANES; l++)
			for (int k = 0; k < 4 && l != 5; k++)
				assert_int_equal(m.st[k][l], other.st[k][l]);
	}
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_pad),
		cmocka_unit_test(test_lane_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
