/*
 * md5x.h — MD5 (RFC 1321) of 16 independent streams at once. One MD5 is a
 * chain of dependent steps that a single core runs at about 0.7 GB/s; 16
 * streams side by side fill the lanes of the vector unit instead (AVX-512
 * or AVX2 when the CPU has them, chosen at run time; plain vectors of the
 * build's own instruction set otherwise), so a caller with many files to
 * hash (the integrity module: every package file against dpkg's md5sums)
 * hashes several times more bytes per core. Every byte is hashed: this is
 * the same digest as OpenSSL's, computed differently.
 *
 * Use: rs_md5x_reset a lane when a stream starts in it, rs_md5x_blocks to
 * run N whole 64-byte blocks through every lane (idle lanes are given any
 * readable data and their state ignored), rs_md5x_lane_blocks to run one
 * lane alone on the scalar unit (a stream left alone), rs_md5x_pad to end a stream's
 * last partial block, rs_md5x_digest to read a lane's result.
 */
#ifndef RS_MD5X_H
#define RS_MD5X_H

#include <stddef.h>
#include <stdint.h>

enum { RS_MD5X_LANES = 16 };

typedef struct rs_md5x {
	uint32_t st[4][RS_MD5X_LANES]; /* A, B, C, D of each lane */
} rs_md5x;

/* Puts LANE back to MD5's initial state. */
void rs_md5x_reset(rs_md5x *m, int lane);

/* Runs NBLOCKS consecutive 64-byte blocks starting at DATA[lane] through
 * each lane. Every DATA[lane] must have NBLOCKS * 64 readable bytes. */
void rs_md5x_blocks(rs_md5x *m, const unsigned char *const data[RS_MD5X_LANES], size_t nblocks);

/* Runs NBLOCKS consecutive 64-byte blocks at DATA through LANE alone,
 * on the scalar unit (the other lanes untouched): for the last one or two
 * streams of a run, where a 16-lane step would mostly hash idle lanes. */
void rs_md5x_lane_blocks(rs_md5x *m, int lane, const unsigned char *data, size_t nblocks);

/* Appends MD5's padding for a stream of TOTAL bytes to its last TAIL bytes
 * (TAIL < 64, already at BUF[0..TAIL)), BUF having 128 bytes of room.
 * Returns the bytes now in BUF to hash: 64 or 128. */
size_t rs_md5x_pad(unsigned char *buf, size_t tail, uint64_t total);

/* The 16-byte digest of LANE after its padded stream was hashed. */
void rs_md5x_digest(const rs_md5x *m, int lane, unsigned char out[16]);

/* The instruction set rs_md5x_blocks uses here: "avx512", "avx2" or
 * "generic" (for benchmarks and notes). */
const char *rs_md5x_impl(void);

/* Makes rs_md5x_blocks use the variant NAME ("avx512", "avx2",
 * "generic"), for tests of each. -1 when this CPU or build lacks it. */
int rs_md5x_use(const char *name);

#endif
