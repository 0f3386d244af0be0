/*
 * digest.h — SHA-256 of a buffer as lowercase hex, for the places that hash
 * small texts (the respond journal's chain, plan tokens).
 */
#ifndef RS_DIGEST_H
#define RS_DIGEST_H

#include <stddef.h>

/* Writes the 64 hex digits and a NUL into OUT. */
void rs_sha256_hex(const void *data, size_t len, char out[65]);

#endif
