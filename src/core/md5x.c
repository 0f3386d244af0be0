/*
 * md5x.c — MD5 of 16 streams at once on the vector unit (see md5x.h). The
 * block function is written once with the compiler's generic vectors (16
 * lanes of 32 bits) and compiled three times on x86-64: for AVX-512, for
 * AVX2 and for the build's baseline; the first the CPU supports is used.
 * The lanes' words are transposed with __builtin_shufflevector (GCC 12 or
 * later, clang).
 */
#include "core/md5x.h"

#include <stdatomic.h>
#include <string.h>

typedef uint32_t md5x_vec __attribute__((vector_size(64)));

static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* the left rotations of each round, step by step */
static const int md5_s[4][4] = { { 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 } };

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
static inline uint32_t load_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
#endif

/* The block function, inlined into each instruction-set variant below. */
static inline __attribute__((always_inline)) void md5x_body(rs_md5x *m, const unsigned char *const data[RS_MD5X_LANES],
							    size_t nblocks)
{
	md5x_vec a, b, c, d;
	memcpy(&a, m->st[0], sizeof(a));
	memcpy(&b, m->st[1], sizeof(b));
	memcpy(&c, m->st[2], sizeof(c));
	memcpy(&d, m->st[3], sizeof(d));
	for (size_t blk = 0; blk < nblocks; blk++) {
		/* word k of every lane side by side: w[k] */
		md5x_vec w[16];
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* each lane's block is a row; four rounds of swapping one bit of
		 * the row number with the same bit of the column number transpose
		 * the 16 x 16 words (the shuffles' second operand counts from 16) */
		for (int l = 0; l < RS_MD5X_LANES; l++)
			memcpy(&w[l], data[l] + blk * 64, 64);
		for (int l = 0; l < 16; l += 2) {
			md5x_vec x = w[l], y = w[l + 1];
			w[l] = __builtin_shufflevector(x, y, 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
			w[l + 1] = __builtin_shufflevector(x, y, 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
		}
		for (int l = 0; l < 16; l++) {
			if (l & 2)
				continue;
			md5x_vec x = w[l], y = w[l + 2];
			w[l] = __builtin_shufflevector(x, y, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
			w[l + 2] = __builtin_shufflevector(x, y, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
		}
		for (int l = 0; l < 16; l++) {
			if (l & 4)
				continue;
			md5x_vec x = w[l], y = w[l + 4];
			w[l] = __builtin_shufflevector(x, y, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
			w[l + 4] = __builtin_shufflevector(x, y, 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
		}
		for (int l = 0; l < 8; l++) {
			md5x_vec x = w[l], y = w[l + 8];
			w[l] = __builtin_shufflevector(x, y, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
			w[l + 8] = __builtin_shufflevector(x, y, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
		}
#else
		uint32_t t[16][RS_MD5X_LANES] __attribute__((aligned(64)));
		for (int l = 0; l < RS_MD5X_LANES; l++) {
			const unsigned char *p = data[l] + blk * 64;
			for (int k = 0; k < 16; k++)
				t[k][l] = load_le32(p + 4 * k);
		}
		memcpy(w, t, sizeof(w));
#endif
		md5x_vec a0 = a, b0 = b, c0 = c, d0 = d;
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++) {
			md5x_vec x = a + (d ^ (b & (c ^ d))) + w[i] + md5_k[i];
			int s = md5_s[0][i & 3];
			x = (x << s) | (x >> (32 - s));
			a = d;
			d = c;
			c = b;
			b = b + x;
		}
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++) {
			md5x_vec x = a + (c ^ (d & (b ^ c))) + w[(5 * i + 1) & 15] + md5_k[16 + i];
			int s = md5_s[1][i & 3];
			x = (x << s) | (x >> (32 - s));
			a = d;
			d = c;
			c = b;
			b = b + x;
		}
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++) {
			md5x_vec x = a + (b ^ c ^ d) + w[(3 * i + 5) & 15] + md5_k[32 + i];
			int s = md5_s[2][i & 3];
			x = (x << s) | (x >> (32 - s));
			a = d;
			d = c;
			c = b;
			b = b + x;
		}
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++) {
			md5x_vec x = a + (c ^ (b | ~d)) + w[(7 * i) & 15] + md5_k[48 + i];
			int s = md5_s[3][i & 3];
			x = (x << s) | (x >> (32 - s));
			a = d;
			d = c;
			c = b;
			b = b + x;
		}
		a += a0;
		b += b0;
		c += c0;
		d += d0;
	}
	memcpy(m->st[0], &a, sizeof(a));
	memcpy(m->st[1], &b, sizeof(b));
	memcpy(m->st[2], &c, sizeof(c));
	memcpy(m->st[3], &d, sizeof(d));
}

typedef void (*md5x_fn)(rs_md5x *m, const unsigned char *const data[RS_MD5X_LANES], size_t nblocks);

static void md5x_generic(rs_md5x *m, const unsigned char *const data[RS_MD5X_LANES], size_t nblocks)
{
	md5x_body(m, data, nblocks);
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static void md5x_avx512(rs_md5x *m, const unsigned char *const data[RS_MD5X_LANES],
							      size_t nblocks)
{
	md5x_body(m, data, nblocks);
}

__attribute__((target("avx2"))) static void md5x_avx2(rs_md5x *m, const unsigned char *const data[RS_MD5X_LANES],
							 size_t nblocks)
{
	md5x_body(m, data, nblocks);
}
#endif

typedef struct md5x_impl {
	const char *name;
	md5x_fn fn;
} md5x_impl;

static const md5x_impl impl_generic = { "generic", md5x_generic };
#if defined(__x86_64__)
static const md5x_impl impl_avx512 = { "avx512", md5x_avx512 };
static const md5x_impl impl_avx2 = { "avx2", md5x_avx2 };
#endif

/* The variant called NAME if this CPU runs it, else NULL; the best when
 * NAME is NULL. */
static const md5x_impl *find(const char *name)
{
#if defined(__x86_64__)
	__builtin_cpu_init();
	if ((!name || !strcmp(name, "avx512")) && __builtin_cpu_supports("avx512f"))
		return &impl_avx512;
	if ((!name || !strcmp(name, "avx2")) && __builtin_cpu_supports("avx2"))
		return &impl_avx2;
#endif
	return !name || !strcmp(name, "generic") ? &impl_generic : NULL;
}

static _Atomic(const md5x_impl *) chosen;

static const md5x_impl *impl(void)
{
	const md5x_impl *i = atomic_load_explicit(&chosen, memory_order_acquire);
	if (!i) {
		i = find(NULL);
		atomic_store_explicit(&chosen, i, memory_order_release);
	}
	return i;
}

void rs_md5x_blocks(rs_md5x *m, const unsigned char *const data[RS_MD5X_LANES], size_t nblocks)
{
	impl()->fn(m, data, nblocks);
}

int rs_md5x_use(const char *name)
{
	const md5x_impl *i = find(name);
	if (!i)
		return -1;
	atomic_store_explicit(&chosen, i, memory_order_release);
	return 0;
}

const char *rs_md5x_impl(void)
{
	return impl()->name;
}

static inline uint32_t rotl32(uint32_t x, int s)
{
	return x << s | x >> (32 - s);
}

void rs_md5x_lane_blocks(rs_md5x *m, int lane, const unsigned char *data, size_t nblocks)
{
	uint32_t a = m->st[0][lane], b = m->st[1][lane], c = m->st[2][lane], d = m->st[3][lane];
	for (size_t blk = 0; blk < nblocks; blk++, data += 64) {
		uint32_t w[16];
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		memcpy(w, data, sizeof(w));
#else
		for (int k = 0; k < 16; k++)
			w[k] = load_le32(data + 4 * k);
#endif
		uint32_t a0 = a, b0 = b, c0 = c, d0 = d;
#pragma GCC unroll 64
		for (int i = 0; i < 64; i++) {
			uint32_t f;
			int k;
			if (i < 16) {
				f = d ^ (b & (c ^ d));
				k = i;
			} else if (i < 32) {
				f = c ^ (d & (b ^ c));
				k = (5 * i + 1) & 15;
			} else if (i < 48) {
				f = b ^ c ^ d;
				k = (3 * i + 5) & 15;
			} else {
				f = c ^ (b | ~d);
				k = (7 * i) & 15;
			}
			uint32_t x = rotl32(a + f + w[k] + md5_k[i], md5_s[i >> 4][i & 3]);
			a = d;
			d = c;
			c = b;
			b = b + x;
		}
		a += a0;
		b += b0;
		c += c0;
		d += d0;
	}
	m->st[0][lane] = a;
	m->st[1][lane] = b;
	m->st[2][lane] = c;
	m->st[3][lane] = d;
}

void rs_md5x_reset(rs_md5x *m, int lane)
{
	m->st[0][lane] = 0x67452301;
	m->st[1][lane] = 0xefcdab89;
	m->st[2][lane] = 0x98badcfe;
	m->st[3][lane] = 0x10325476;
}

size_t rs_md5x_pad(unsigned char *buf, size_t tail, uint64_t total)
{
	size_t n = tail < 56 ? 64 : 128;
	buf[tail] = 0x80;
	memset(buf + tail + 1, 0, n - 8 - tail - 1);
	uint64_t bits = total * 8;
	for (int i = 0; i < 8; i++)
		buf[n - 8 + i] = (unsigned char)(bits >> (8 * i));
	return n;
}

void rs_md5x_digest(const rs_md5x *m, int lane, unsigned char out[16])
{
	for (int w = 0; w < 4; w++)
		for (int i = 0; i < 4; i++)
			out[4 * w + i] = (unsigned char)(m->st[w][lane] >> (8 * i));
}
