/*
 * upload_spool.c — request bodies spooled to an unlinked temporary file
 * with their SHA-256 (upload_spool.h).
 */
#include "server/upload_spool.h"
#include "core/digest.h"
#include "core/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int rs_upload_spool_open(rs_upload_spool *s, char *err, size_t errsize)
{
	memset(s, 0, sizeof(*s));
	const char *dir = getenv("TMPDIR");
	if (!dir || dir[0] != '/')
		dir = "/tmp";
	s->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (s->fd < 0) {
		snprintf(err, errsize, _("%s: cannot create a temporary file for an upload: %s; set TMPDIR to a "
					 "writable directory"), dir, strerror(errno));
		return -1;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		close(s->fd);
		s->fd = -1;
		snprintf(err, errsize, _("cannot start a SHA-256 digest (OpenSSL)"));
		return -1;
	}
	s->sha = ctx;
	return 0;
}

int rs_upload_spool_write(rs_upload_spool *s, const void *data, size_t n)
{
	const char *p = data;
	for (size_t done = 0; done < n;) {
		ssize_t w = write(s->fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	EVP_DigestUpdate(s->sha, data, n);
	s->len += n;
	return 0;
}

void rs_upload_spool_finish(rs_upload_spool *s)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	if (s->digest[0] || !s->sha)
		return;
	EVP_DigestFinal_ex(s->sha, md, &mdlen);
	rs_hex_encode(md, sizeof(md), s->digest);
}

const void *rs_upload_spool_map(rs_upload_spool *s)
{
	if (s->map)
		return s->map;
	if (s->len == 0)
		return NULL;
	void *m = mmap(NULL, s->len, PROT_READ, MAP_PRIVATE, s->fd, 0);
	s->map = m == MAP_FAILED ? NULL : m;
	return s->map;
}

void rs_upload_spool_close(rs_upload_spool *s)
{
	if (s->map)
		munmap(s->map, s->len);
	EVP_MD_CTX_free(s->sha);
	if (s->fd >= 0)
		close(s->fd);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}
