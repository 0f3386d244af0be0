/*
 * digest.h — SHA-256 of a buffer as lowercase hex, for the places that hash
 * small texts (the respond journal's chain, plan tokens, request bodies),
 * and the hex encoding every digest is printed with.
 */
#ifndef RS_DIGEST_H
#define RS_DIGEST_H

#include <stddef.h>

/* Writes the 64 hex digits and a NUL into OUT. */
void rs_sha256_hex(const void *data, size_t len, char out[65]);
/* MD5 (what dpkg's md5sums record): 32 hex digits and a NUL. */
void rs_md5_hex(const void *data, size_t len, char out[33]);

/* Writes N bytes as 2N lowercase hex digits and a NUL into OUT. */
void rs_hex_encode(const unsigned char *bytes, size_t n, char *out);

/* The value of one hex digit (either case), or -1. */
int rs_hex_value(char c);

#endif
