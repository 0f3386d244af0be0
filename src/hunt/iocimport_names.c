/*
 * iocimport_names.c — what a CSV column header or a "Type" / "Loại" cell
 * names, in English or Vietnamese ("IP address", "Địa chỉ IP", "Tên miền",
 * "Mã băm", "SHA-256", MISP and STIX type names): compared after lowering
 * the letters (Vietnamese ones too) and dropping spaces, "-", "_", "." and
 * "/", so "Địa chỉ IP", "ĐỊA CHỈ IP" and "dia_chi_ip" are one name.
 */
#include "hunt/iocimport.h"

#include <stdlib.h>
#include <string.h>

/* Decodes one UTF-8 sequence at S (N bytes left); 0 when invalid. */
static unsigned decode(const unsigned char *s, size_t n, size_t *used)
{
	if (s[0] < 0x80) {
		*used = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0 && n >= 2 && (s[1] & 0xc0) == 0x80) {
		*used = 2;
		return (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if ((s[0] & 0xf0) == 0xe0 && n >= 3 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		*used = 3;
		return (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	*used = 1;
	return 0;
}

static size_t encode(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | cp >> 12);
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

static unsigned lower_cp(unsigned cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return cp + 32;
	if (cp >= 0x100 && cp <= 0x17f && !(cp & 1))
		return cp + 1; /* Ă, Đ, Ĩ, Ũ and the rest of Latin Extended-A */
	if (cp == 0x1a0)
		return 0x1a1;  /* Ơ */
	if (cp == 0x1af)
		return 0x1b0;  /* Ư */
	if (cp >= 0x1ea0 && cp <= 0x1ef9 && !(cp & 1))
		return cp + 1; /* Ạ … Ỹ */
	return cp;
}

void rs_ioc_lower_utf8(char *s)
{
	/* a lower-case letter is never longer in UTF-8 than its capital here */
	const unsigned char *r = (const unsigned char *)s;
	size_t n = strlen(s);
	char *w = s;
	while (n) {
		size_t used;
		unsigned cp = decode(r, n, &used);
		if (cp == 0) {
			*w++ = (char)*r;
		} else {
			w += encode(lower_cp(cp), w);
		}
		r += used;
		n -= used;
	}
	*w = '\0';
}

static const struct {
	const char *name;
	rs_iocv kind;
} names[] = {
	/* addresses */
	{ "ip", RS_IOCV_IP }, { "ipaddress", RS_IOCV_IP }, { "ipaddr", RS_IOCV_IP }, { "ipv4", RS_IOCV_IP },
	{ "ipv6", RS_IOCV_IP }, { "ipv4addr", RS_IOCV_IP }, { "ipv6addr", RS_IOCV_IP }, { "ipsrc", RS_IOCV_IP },
	{ "ipdst", RS_IOCV_IP }, { "srcip", RS_IOCV_IP }, { "dstip", RS_IOCV_IP }, { "địachỉip", RS_IOCV_IP },
	{ "diachiip", RS_IOCV_IP }, { "ipnguồn", RS_IOCV_IP }, { "ipđích", RS_IOCV_IP }, { "ipc2", RS_IOCV_IP },
	{ "c2ip", RS_IOCV_IP },
	/* domains */
	{ "domain", RS_IOCV_DOMAIN }, { "domainname", RS_IOCV_DOMAIN }, { "domains", RS_IOCV_DOMAIN },
	{ "hostname", RS_IOCV_DOMAIN }, { "host", RS_IOCV_DOMAIN }, { "fqdn", RS_IOCV_DOMAIN },
	{ "tênmiền", RS_IOCV_DOMAIN }, { "tenmien", RS_IOCV_DOMAIN }, { "c2domain", RS_IOCV_DOMAIN },
	/* URLs */
	{ "url", RS_IOCV_URL }, { "urls", RS_IOCV_URL }, { "uri", RS_IOCV_URL }, { "link", RS_IOCV_URL },
	{ "đườngdẫn", RS_IOCV_URL }, { "duongdan", RS_IOCV_URL }, { "liênkết", RS_IOCV_URL },
	/* hashes */
	{ "md5", RS_IOCV_MD5 }, { "sha1", RS_IOCV_SHA1 }, { "sha256", RS_IOCV_SHA256 },
	{ "hash", RS_IOCV_HASH }, { "hashes", RS_IOCV_HASH }, { "filehash", RS_IOCV_HASH },
	{ "mãbăm", RS_IOCV_HASH }, { "mabam", RS_IOCV_HASH }, { "giátrịbăm", RS_IOCV_HASH },
	{ "checksum", RS_IOCV_HASH }, { "md5hash", RS_IOCV_MD5 }, { "sha1hash", RS_IOCV_SHA1 },
	{ "sha256hash", RS_IOCV_SHA256 }, { "mãbămmd5", RS_IOCV_MD5 }, { "mãbămsha1", RS_IOCV_SHA1 },
	{ "mãbămsha256", RS_IOCV_SHA256 },
	/* file names */
	{ "filename", RS_IOCV_FILENAME }, { "file", RS_IOCV_FILENAME }, { "filepath", RS_IOCV_FILENAME },
	{ "path", RS_IOCV_FILENAME }, { "têntệp", RS_IOCV_FILENAME }, { "tentep", RS_IOCV_FILENAME },
	{ "tênfile", RS_IOCV_FILENAME }, { "tệp", RS_IOCV_FILENAME }, { "tệptin", RS_IOCV_FILENAME },
	{ "têntệptin", RS_IOCV_FILENAME }, { "đườngdẫntệp", RS_IOCV_FILENAME },
	/* generic: the value's shape decides */
	{ "ioc", RS_IOCV_AUTO }, { "iocs", RS_IOCV_AUTO }, { "indicator", RS_IOCV_AUTO },
	{ "indicators", RS_IOCV_AUTO }, { "value", RS_IOCV_AUTO }, { "giátrị", RS_IOCV_AUTO },
	{ "giatri", RS_IOCV_AUTO }, { "observable", RS_IOCV_AUTO }, { "dấuhiệu", RS_IOCV_AUTO },
	{ "dấuhiệunhậnbiết", RS_IOCV_AUTO }, { "chỉdấu", RS_IOCV_AUTO },
};

rs_iocv rs_ioc_kind_of_name(const char *name)
{
	char *n = rs_strdup(name);
	rs_ioc_lower_utf8(n);
	char *w = n;
	for (const char *r = n; *r; r++)
		if (*r != ' ' && *r != '-' && *r != '_' && *r != '.' && *r != '/' && *r != '\t' && *r != '"')
			*w++ = *r;
	*w = '\0';
	rs_iocv kind = RS_IOCV_NONE;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(n, names[i].name)) {
			kind = names[i].kind;
			break;
		}
	}
	free(n);
	return kind;
}
