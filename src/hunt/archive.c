/*
 * archive.c — hunting inside archives (zip, tar, and gzip or xz streams,
 * also compressed tars) with libarchive, from the bytes already read. Each
 * member is hunted as "ARCHIVE!MEMBER" (nested: "A!B!C") up to a nesting
 * depth, a member size and a total size, so a zip bomb costs bounded time
 * and memory.
 */
#include "hunt/hunt.h"
#include "core/i18n.h"
#include "core/lib_archive.h"
#include "core/log.h"
#include "engine/scan.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define ARCHIVE_MAX_DEPTH 2
#define ARCHIVE_MAX_MEMBER (32u << 20)
#define ARCHIVE_MAX_TOTAL (256u << 20)
#define ARCHIVE_MAX_MEMBERS 10000
/* A member's buffer starts here and doubles as its bytes come (at most
 * ARCHIVE_MAX_MEMBER): most members are small (compressed manual pages,
 * changelogs), and a 32 MiB buffer per archive cost a mapping and, under
 * AddressSanitizer, 8 MiB of shadow writes for each one. */
#define ARCHIVE_FIRST_BUF (64u << 10)

static bool is_archive(const unsigned char *d, size_t len)
{
	if (len >= 4 && !memcmp(d, "PK\x03\x04", 4))
		return true;
	if (len >= 2 && d[0] == 0x1f && d[1] == 0x8b)
		return true;
	if (len >= 6 && !memcmp(d, "\xfd" "7zXZ\0", 6))
		return true;
	if (len >= 262 && !memcmp(d + 257, "ustar", 5))
		return true;
	return false;
}

/* libarchive loaded (core/lib_archive.h); when it cannot be, archives are
 * hunted as plain files and one warning says why. */
static bool archive_loaded(void)
{
	static atomic_bool warned;
	char err[512];
	if (rs_archive_load(err, sizeof(err)) == 0)
		return true;
	if (!atomic_exchange(&warned, true))
		rs_warn(_("the insides of archives are not hunted: %s"), err);
	return false;
}

/* Reads the current member into *buf (its size *size, grown as needed)
 * until its end or cap bytes; returns the bytes read. */
static size_t read_member(struct archive *a, unsigned char **buf, size_t *size, size_t cap)
{
	size_t got = 0;
	while (got < cap) {
		if (got == *size) {
			size_t want = *size ? *size * 2 : ARCHIVE_FIRST_BUF;
			if (want > ARCHIVE_MAX_MEMBER)
				want = ARCHIVE_MAX_MEMBER;
			*buf = rs_realloc(*buf, want);
			*size = want;
		}
		size_t room = (*size < cap ? *size : cap) - got;
		la_ssize_t n = rs_archive.read_data(a, *buf + got, room);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

static bool hunt_in(rs_hunt_worker *w, const char *shown, const unsigned char *data, size_t len,
		    int depth, rs_hunt_counts *c)
{
	if (depth > ARCHIVE_MAX_DEPTH || !is_archive(data, len) || !archive_loaded())
		return true;
	struct archive *a = rs_archive.read_new();
	rs_archive.read_support_filter_gzip(a);
	rs_archive.read_support_filter_xz(a);
	rs_archive.read_support_format_zip(a);
	rs_archive.read_support_format_tar(a);
	rs_archive.read_support_format_raw(a);
	bool clean = true;
	if (rs_archive.read_open_memory(a, data, len) != ARCHIVE_OK) {
		rs_archive.read_free(a);
		return true;
	}
	c->archives++;
	struct archive_entry *entry;
	size_t total = 0;
	int members = 0;
	unsigned char *buf = NULL;
	size_t buf_size = 0;
	while (members < ARCHIVE_MAX_MEMBERS && rs_archive.read_next_header(a, &entry) == ARCHIVE_OK) {
		members++;
		if (rs_archive.entry_filetype(entry) != AE_IFREG && rs_archive.format(a) != ARCHIVE_FORMAT_RAW)
			continue;
		const char *name = rs_archive.entry_pathname(entry);
		la_int64_t declared = rs_archive.entry_size_is_set(entry) ? rs_archive.entry_size(entry) : -1;
		if (declared > (la_int64_t)ARCHIVE_MAX_MEMBER) {
			c->too_large++;
			continue;
		}
		size_t cap = ARCHIVE_MAX_MEMBER;
		if (total >= ARCHIVE_MAX_TOTAL)
			break;
		if (cap > ARCHIVE_MAX_TOTAL - total)
			cap = ARCHIVE_MAX_TOTAL - total;
		size_t got = read_member(a, &buf, &buf_size, cap);
		if (got == cap && cap < ARCHIVE_MAX_MEMBER) {
			c->too_large++;
			break;
		}
		total += got;
		c->archive_members++;
		char *member = rs_sprintf("%s!%s", shown, name && *name ? name : "data");
		bool ok = rs_hunt_object(w, member, member, buf, got, NULL, NULL, c);
		bool inner_ok = hunt_in(w, member, buf, got, depth + 1, c);
		clean = clean && ok && inner_ok;
		free(member);
	}
	free(buf);
	rs_archive.read_free(a);
	return clean;
}

bool rs_hunt_archive(rs_hunt_worker *w, const char *path, const unsigned char *data, size_t len,
		     rs_hunt_counts *c)
{
	return hunt_in(w, path, data, len, 1, c);
}
