/*
 * digest.c — SHA-256 and MD5 hex through OpenSSL and hex encoding (see
 * digest.h).
 */
#include "core/digest.h"
#include "core/i18n.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void out_of_memory(void)
{
	/* a digest fails only when memory is exhausted, which rasoat treats as
	 * fatal everywhere (util.c) */
	fputs(_("rasoat: out of memory computing a digest\n"), stderr);
	abort();
}

static void digest_hex(const EVP_MD *type, unsigned int size, const void *data, size_t len, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_Digest(data, len, md, &n, type, NULL) || n != size)
		out_of_memory();
	rs_hex_encode(md, n, out);
}

int rs_digest_fd_hex(int fd, rs_digest_kind kind, unsigned long long max, char out[65], unsigned long long *bytes)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, kind == RS_DIGEST_MD5 ? EVP_md5() : EVP_sha256(), NULL))
		out_of_memory();
	unsigned char buf[65536];
	unsigned long long total = 0;
	int rc = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -1 : 0;
			break;
		}
		total += (unsigned long long)n;
		if (total > max) {
			errno = EFBIG;
			rc = -1;
			break;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	}
	int saved = errno;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!EVP_DigestFinal_ex(ctx, md, &len))
		out_of_memory();
	EVP_MD_CTX_free(ctx);
	if (rc == 0)
		rs_hex_encode(md, len, out);
	else
		out[0] = '\0';
	if (bytes)
		*bytes = total;
	errno = saved;
	return rc;
}

void rs_sha256_hex(const void *data, size_t len, char out[65])
{
	digest_hex(EVP_sha256(), 32, data, len, out);
}

void rs_md5_hex(const void *data, size_t len, char out[33])
{
	digest_hex(EVP_md5(), 16, data, len, out);
}

void rs_hex_encode(const unsigned char *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

int rs_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
