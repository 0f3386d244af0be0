/*
 * digest.h — the SHA-256 of a buffer as 64 lower-case hex digits, the form
 * findings, plans and manifests carry (OpenSSL libcrypto underneath).
 */
#ifndef RS_DIGEST_H
#define RS_DIGEST_H

#include <stddef.h>

/* Writes the SHA-256 of DATA (LEN bytes) into HEX as 64 hex digits and a NUL. */
void rs_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
