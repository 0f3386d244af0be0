/*
 * iocimport_value.c — one imported IOC value into the hunt's sets: its
 * defanging undone ("hxxp://evil[.]example"), its kind decided by the
 * column or type that holds it or else by its shape (a hex digest, an
 * address or network, a URL, a path or a name with a file extension, a
 * domain), then added as a hash, file-name or C2 IOC. A URL's host is
 * hunted as a C2 domain or address.
 */
#include "core/i18n.h"
#include "hunt/iocimport.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define VALUE_MAX 8192

void rs_ioc_import_init(rs_ioc_import *im, rs_ioc_hashes *h, rs_ioc_names *n, rs_ioc_c2 *c,
			const char *file)
{
	memset(im, 0, sizeof(*im));
	im->hashes = h;
	im->names = n;
	im->c2 = c;
	im->file = file;
	im->now = time(NULL);
	im->problems.file = file;
}

/* Replaces every FROM (case-insensitive) in S by TO (never longer). */
static void replace_all(char *s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to);
	char *w = s;
	for (const char *r = s; *r;) {
		if (!strncasecmp(r, from, fl)) {
			memcpy(w, to, tl);
			w += tl;
			r += fl;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

void rs_ioc_undefang(char *s)
{
	static const char *const pairs[][2] = {
		{ "[.]", "." }, { "(.)", "." }, { "{.}", "." }, { "[dot]", "." }, { "(dot)", "." },
		{ "[:]", ":" }, { "[/]", "/" }, { "[://]", "://" }, { "[@]", "@" }, { "[at]", "@" },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		replace_all(s, pairs[i][0], pairs[i][1]);
	/* a defanged scheme at the start: hxxp, hXXp, hxxps, fxp */
	if (!strncasecmp(s, "hxxp", 4) && (s[4] == ':' || ((s[4] == 's' || s[4] == 'S') && s[5] == ':')))
		memcpy(s, "http", 4);
	else if (!strncasecmp(s, "fxp:", 4))
		memcpy(s, "ftp", 3);
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

static bool is_address(const char *s)
{
	unsigned char buf[16];
	char copy[64];
	size_t n = strlen(s);
	if (n >= sizeof(copy))
		return false;
	memcpy(copy, s, n + 1);
	char *slash = strchr(copy, '/');
	if (slash)
		*slash = '\0';
	return inet_pton(AF_INET, copy, buf) == 1 || inet_pton(AF_INET6, copy, buf) == 1;
}

/* File extensions that make "name.ext" a file name rather than a domain. */
static bool file_extension(const char *s)
{
	static const char *const exts[] = {
		"exe", "dll", "sys", "scr", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "hta", "lnk",
		"msi", "jar", "class", "php", "phtml", "jsp", "jspx", "asp", "aspx", "ashx", "asmx", "cgi",
		"sh", "elf", "bin", "so", "ko", "py", "pl", "rb", "doc", "docx", "docm", "xls", "xlsx",
		"xlsm", "ppt", "pptx", "pdf", "rtf", "zip", "rar", "7z", "gz", "tgz", "tar", "iso", "img",
		"txt", "tmp", "dat", "log", "war", "apk", "dmg", "out", "run",
	};
	const char *dot = strrchr(s, '.');
	if (!dot)
		return false;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!strcasecmp(dot + 1, exts[i]))
			return true;
	return false;
}

static bool domain_shape(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 253 || !strchr(s, '.') || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!isalnum(ch) && ch != '-' && ch != '_' && ch != '.')
			return false;
	}
	/* the top label is not all digits */
	const char *top = strrchr(s, '.');
	top = top[1] ? top + 1 : s;
	return strspn(top, "0123456789") != strlen(top);
}

/* "HOST:PORT" with a dotted-quad or domain HOST: the port is dropped in place. */
static bool strip_port(char *v)
{
	char *colon = strrchr(v, ':');
	if (!colon || strchr(v, ':') != colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return false;
	*colon = '\0';
	return true;
}

/* The kind of V by its shape alone; V may lose a ":PORT". */
static rs_iocv shape_of(char *v)
{
	size_t n = strlen(v);
	if ((n == 32 || n == 40 || n == 64) && all_hex(v, n))
		return RS_IOCV_HASH;
	if (strstr(v, "://"))
		return RS_IOCV_URL;
	if (is_address(v))
		return RS_IOCV_IP;
	if (v[0] == '/' || (isalpha((unsigned char)v[0]) && v[1] == ':' && v[2] == '\\') || strchr(v, '\\'))
		return RS_IOCV_FILENAME;
	const char *slash = strchr(v, '/');
	if (slash) {
		/* "evil.example/path": a URL without its scheme */
		char host[256];
		size_t hl = (size_t)(slash - v);
		if (hl == 0 || hl >= sizeof(host))
			return RS_IOCV_NONE;
		memcpy(host, v, hl);
		host[hl] = '\0';
		strip_port(host);
		return domain_shape(host) || is_address(host) ? RS_IOCV_URL : RS_IOCV_NONE;
	}
	if (file_extension(v))
		return RS_IOCV_FILENAME;
	if (domain_shape(v))
		return RS_IOCV_DOMAIN;
	char copy[256];
	if (n < sizeof(copy)) {
		memcpy(copy, v, n + 1);
		if (strip_port(copy) && (is_address(copy) || domain_shape(copy))) {
			strip_port(v);
			return is_address(v) ? RS_IOCV_IP : RS_IOCV_DOMAIN;
		}
	}
	return RS_IOCV_NONE;
}

/* The host of URL ("scheme://user@host:port/path", or without a scheme)
 * into OUT; false when it has none. */
static bool url_host(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t end = strcspn(p, "/?#");
	const char *at = memchr(p, '@', end);
	if (at) {
		end -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	const char *start = p;
	size_t n;
	if (*p == '[') {
		const char *close = memchr(p, ']', end);
		if (!close)
			return false;
		start = p + 1;
		n = (size_t)(close - start);
	} else {
		const char *colon = memchr(p, ':', end);
		n = colon ? (size_t)(colon - p) : end;
	}
	if (n == 0 || n >= size)
		return false;
	memcpy(out, start, n);
	out[n] = '\0';
	return true;
}

static const char *add_c2(rs_ioc_import *im, const char *value, const rs_ioc_source *tmpl)
{
	const char *why = rs_ioc_c2_add(im->c2, value, tmpl);
	if (!why)
		im->added++;
	return why;
}

static const char *hash_problem(rs_iocv kind, const char *v)
{
	size_t n = strlen(v);
	size_t want = kind == RS_IOCV_MD5 ? 32 : kind == RS_IOCV_SHA1 ? 40 : kind == RS_IOCV_SHA256 ? 64 : 0;
	if (!all_hex(v, n) || (want && n != want) || (!want && n != 32 && n != 40 && n != 64)) {
		return kind == RS_IOCV_MD5	? _("is not an MD5 digest (32 hex digits)")
		       : kind == RS_IOCV_SHA1	? _("is not a SHA-1 digest (40 hex digits)")
		       : kind == RS_IOCV_SHA256 ? _("is not a SHA-256 digest (64 hex digits)")
						: _("is not an MD5, SHA-1 or SHA-256 digest");
	}
	return NULL;
}

const char *rs_ioc_import_value(rs_ioc_import *im, rs_iocv kind, const char *value,
				const rs_ioc_source *tmpl)
{
	size_t len = strlen(value);
	if (len > VALUE_MAX)
		return _("is a value over 8192 bytes");
	char *v = rs_strdup(value);
	char *t = rs_trim(v);
	/* quotes and angle brackets around a value copied from a mail */
	size_t tl = strlen(t);
	if (tl >= 2 && ((t[0] == '<' && t[tl - 1] == '>') || (t[0] == '"' && t[tl - 1] == '"'))) {
		t[tl - 1] = '\0';
		t++;
	}
	rs_ioc_undefang(t);
	const char *why = NULL;
	if (!*t) {
		free(v);
		return "is empty";
	}
	if (kind == RS_IOCV_AUTO) {
		kind = shape_of(t);
		if (kind == RS_IOCV_NONE)
			why = _("is neither a hash, an address, a domain, a URL nor a file name");
	}
	char host[256];
	switch (kind) {
	case RS_IOCV_HASH:
	case RS_IOCV_MD5:
	case RS_IOCV_SHA1:
	case RS_IOCV_SHA256:
		why = hash_problem(kind, t);
		if (!why && rs_ioc_hashes_add(im->hashes, t, strlen(t), tmpl))
			im->added++;
		break;
	case RS_IOCV_IP:
		if (!is_address(t)) {
			char copy[64];
			size_t n = strlen(t);
			if (n < sizeof(copy)) {
				memcpy(copy, t, n + 1);
				if (strip_port(copy) && is_address(copy))
					strip_port(t);
			}
		}
		why = is_address(t) ? add_c2(im, t, tmpl) : _("is not an IP address or network");
		break;
	case RS_IOCV_DOMAIN:
		if (t[strlen(t) - 1] == '.')
			t[strlen(t) - 1] = '\0';
		why = domain_shape(t) && !is_address(t) ? add_c2(im, t, tmpl) : _("is not a domain name");
		break;
	case RS_IOCV_URL:
		if (!url_host(t, host, sizeof(host))) {
			why = _("is a URL without a host");
		} else {
			rs_ioc_source src = *tmpl;
			char *desc = NULL;
			if (!src.description || !*src.description) {
				desc = rs_sprintf("URL %s", t);
				src.description = desc;
			}
			why = is_address(host) || domain_shape(host) ? add_c2(im, host, &src)
								     : _("is a URL whose host is neither an address nor a domain");
			free(desc);
		}
		break;
	case RS_IOCV_FILENAME:
		why = rs_ioc_names_add_literal(im->names, t, tmpl);
		if (!why)
			im->added++;
		break;
	default:
		if (!why)
			why = _("is of no kind rasoat hunts");
		break;
	}
	free(v);
	return why;
}
