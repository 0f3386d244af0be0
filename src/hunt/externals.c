/*
 * externals.c — the external variables THOR and Loki give YARA rules, with
 * their meaning: filename (the base name), filepath (the directory, without
 * a trailing separator), extension (lower case, with the dot), filetype
 * (THOR's name for the content, decided from magic bytes) and owner (the
 * owning user's name, else the uid).
 */
#include "hunt/hunt.h"
#include "collect/facts.h"

#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool has_prefix(const unsigned char *h, size_t len, const char *magic, size_t mlen)
{
	return len >= mlen && memcmp(h, magic, mlen) == 0;
}

/* A case-insensitive search of NEEDLE in the first LEN bytes of H. */
static bool head_contains(const unsigned char *h, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp((const char *)h + i, needle, n) == 0)
			return true;
	return false;
}

/* The same, letter case included. */
static bool head_contains_exact(const unsigned char *h, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	return len >= n && memmem(h, len, needle, n) != NULL; /* H may be NULL when LEN is 0 */
}

const char *rs_filetype(const unsigned char *h, size_t len)
{
	if (has_prefix(h, len, "\x7f" "ELF", 4))
		return "ELF";
	if (has_prefix(h, len, "MZ", 2))
		return "EXE";
	if (has_prefix(h, len, "PK\x03\x04", 4))
		return "ZIP";
	if (has_prefix(h, len, "Rar!", 4))
		return "RAR";
	if (has_prefix(h, len, "7z\xbc\xaf\x27\x1c", 6))
		return "7Z";
	if (has_prefix(h, len, "\x1f\x8b", 2))
		return "GZIP";
	if (has_prefix(h, len, "\xfd" "7zXZ", 5))
		return "XZ";
	if (has_prefix(h, len, "%PDF", 4))
		return "PDF";
	if (has_prefix(h, len, "{\\rtf", 5))
		return "RTF";
	if (has_prefix(h, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return "DOC";
	if (has_prefix(h, len, "MDMP", 4))
		return "MDMP";
	if (has_prefix(h, len, "\xfe\xed\xfa\xce", 4) || has_prefix(h, len, "\xce\xfa\xed\xfe", 4) ||
	    has_prefix(h, len, "\xfe\xed\xfa\xcf", 4) || has_prefix(h, len, "\xcf\xfa\xed\xfe", 4))
		return "MACH-O";
	if (has_prefix(h, len, "\xca\xfe\xba\xbe", 4))
		return len >= 8 && h[7] > 30 ? "JAVA" : "MACH-O"; /* class major version vs fat arch count */
	size_t look = len < 512 ? len : 512;
	if (has_prefix(h, len, "#!", 2)) {
		size_t eol = 2;
		while (eol < look && h[eol] != '\n')
			eol++;
		if (head_contains(h, eol, "python"))
			return "Python";
		if (head_contains(h, eol, "perl"))
			return "Perl";
		if (head_contains(h, eol, "php"))
			return "PHP";
		if (head_contains(h, eol, "ruby"))
			return "Ruby";
		if (head_contains(h, eol, "sh"))
			return "SHELL";
		return "SCRIPT";
	}
	if (head_contains(h, look, "<?php"))
		return "PHP";
	/* ASP.NET first: its directives are written "<%@ Page", "<%@ Control",
	 * "<%@ WebHandler" (JSP's are lower case and case-sensitive) */
	if (head_contains_exact(h, look, "<%@ Page") || head_contains_exact(h, look, "<%@ Control") ||
	    head_contains(h, look, "<%@ WebHandler") || head_contains(h, look, "runat=\"server\"") ||
	    head_contains(h, look, "language=\"c#\"") || head_contains(h, look, "language=\"vb\""))
		return "ASP";
	if (head_contains(h, look, "<%@ page") || head_contains(h, look, "<jsp:"))
		return "JSP";
	if (head_contains(h, look, "@echo off"))
		return "BATCH";
	return "";
}

static void copy(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void rs_externals_fill(rs_externals *e, const char *path, const unsigned char *head,
		       size_t head_len, const char *owner)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	copy(e->filename, sizeof(e->filename), base, strlen(base));
	if (!slash)
		e->filepath[0] = '\0';
	else if (slash == path)
		copy(e->filepath, sizeof(e->filepath), "/", 1);
	else
		copy(e->filepath, sizeof(e->filepath), path, (size_t)(slash - path));
	const char *dot = strrchr(base, '.');
	if (dot && dot != base) {
		copy(e->extension, sizeof(e->extension), dot, strlen(dot));
		for (char *p = e->extension; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	} else {
		e->extension[0] = '\0';
	}
	e->filetype = rs_filetype(head, head_len);
	copy(e->owner, sizeof(e->owner), owner, strlen(owner));
}

void rs_owner_name(uid_t uid, const rs_facts *facts, rs_owner_cache *cache, char *out, size_t size)
{
	if (cache->valid && cache->uid == uid) {
		snprintf(out, size, "%s", cache->name);
		return;
	}
	/* The scanned system's accounts name the owner (an image's passwd, not
	 * the scanning machine's); the live host also asks NSS for users that
	 * /etc/passwd does not list (LDAP, SSSD). */
	const rs_user *u = facts ? rs_facts_user_by_uid(facts, uid) : NULL;
	struct passwd pw, *res = NULL;
	char buf[1024];
	if (u && u->name)
		snprintf(cache->name, sizeof(cache->name), "%s", u->name);
	else if ((!facts || facts->live) && getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res)
		snprintf(cache->name, sizeof(cache->name), "%s", pw.pw_name);
	else
		snprintf(cache->name, sizeof(cache->name), "%u", (unsigned)uid);
	cache->uid = uid;
	cache->valid = true;
	snprintf(out, size, "%s", cache->name);
}

static const char *const names[] = { "filename", "filepath", "extension", "filetype", "owner" };

int rs_externals_declare(YR_COMPILER *c)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (yr_compiler_define_string_variable(c, names[i], "") != ERROR_SUCCESS)
			return -1;
	return 0;
}

int rs_externals_apply(YR_SCANNER *s, const rs_externals *e)
{
	const char *values[] = { e->filename, e->filepath, e->extension,
				 e->filetype ? e->filetype : "", e->owner };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (yr_scanner_define_string_variable(s, names[i], values[i]) != ERROR_SUCCESS)
			return -1;
	return 0;
}
