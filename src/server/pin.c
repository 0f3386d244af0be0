/*
 * pin.c — the pin of the server's certificate: the SHA-256 of its
 * SubjectPublicKeyInfo (what curl's CURLOPT_PINNEDPUBLICKEY "sha256//"
 * compares), carried in enrolment tokens so that an agent trusts exactly
 * this server's key, without a certificate authority.
 */
#include "server/server.h"
#include "fleet/proto.h"

#include <errno.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

int rs_server_cert_pin(const char *path, char pin[65], char *err, size_t errsize)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, errsize, "%s: cannot read the certificate: %s", path, strerror(errno));
		return -1;
	}
	X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!cert) {
		snprintf(err, errsize, "%s: not a PEM certificate; give the file given to --tls-cert", path);
		return -1;
	}
	unsigned char *der = NULL;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	X509_free(cert);
	if (len <= 0) {
		snprintf(err, errsize, "%s: cannot read the certificate's public key", path);
		return -1;
	}
	rs_sha256_hex(der, (size_t)len, pin);
	OPENSSL_free(der);
	return 0;
}
