/*
 * digest.c — SHA-256 of a buffer in hex (digest.h).
 */
#include "core/digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

void rs_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32) {
		memset(hex, '0', 64); /* cannot happen with a working libcrypto */
		hex[64] = '\0';
		return;
	}
	static const char digits[] = "0123456789abcdef";
	for (unsigned int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}
