/*
 * digest.h — SHA-256 of a buffer as lowercase hex, for the places that hash
 * small texts (the respond journal's chain, plan tokens, request bodies),
 * of a whole open file, and the hex encoding every digest is printed with.
 */
#ifndef RS_DIGEST_H
#define RS_DIGEST_H

#include <stddef.h>

/* Writes the 64 hex digits and a NUL into OUT. */
void rs_sha256_hex(const void *data, size_t len, char out[65]);
/* MD5 (what dpkg's md5sums record): 32 hex digits and a NUL. */
void rs_md5_hex(const void *data, size_t len, char out[33]);

/* Which digest rs_digest_fd_hex computes. */
typedef enum { RS_DIGEST_MD5, RS_DIGEST_SHA256 } rs_digest_kind;

/* Reads FD from its current offset to its end and writes the digest's hex
 * (32 or 64 digits and a NUL) into OUT; memory stays one 64 KiB buffer
 * however large the file. *BYTES (when not NULL) gets the number of bytes
 * read. Returns 0, or -1 with errno set when a read fails or the file holds
 * more than MAX bytes (EFBIG; ULLONG_MAX: no bound); OUT is then "". */
int rs_digest_fd_hex(int fd, rs_digest_kind kind, unsigned long long max, char out[65], unsigned long long *bytes);

/* Writes N bytes as 2N lowercase hex digits and a NUL into OUT. */
void rs_hex_encode(const unsigned char *bytes, size_t n, char *out);

/* The value of one hex digit (either case), or -1. */
int rs_hex_value(char c);

#endif
