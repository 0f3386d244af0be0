/*
 * digest.c — SHA-256 hex through OpenSSL (see digest.h).
 */
#include "core/digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

void rs_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32) {
		/* SHA-256 fails only when memory is exhausted, which rasoat
		 * treats as fatal everywhere (util.c) */
		fputs("rasoat: out of memory computing a SHA-256 digest\n", stderr);
		abort();
	}
	for (unsigned int i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}
