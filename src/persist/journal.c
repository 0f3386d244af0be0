/*
 * journal.c — a hole in the chain of systemd journal files (T1070.002):
 * journald numbers every entry from one counter shared by the system and
 * user files of a machine, so the union of the files' [head, tail]
 * sequence-number ranges has no gap unless a file was deleted from the
 * middle (vacuuming removes the oldest files only). Judged from the file
 * headers alone: the first 208 bytes of each *.journal and *.journal~, read
 * with O_NOFOLLOW and O_NONBLOCK after fstat (layout: systemd's
 * JOURNAL_FILE_FORMAT).
 */
#include "core/i18n.h"
#include "core/util.h"
#include "persist/traces.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JOURNAL_FILES_MAX 4096

int rs_journal_header_parse(const unsigned char *data, size_t len, rs_journal_header *h, char *err,
			    size_t errsize)
{
	memset(h, 0, sizeof(*h));
	if (len < 8 || memcmp(data, "LPKSHHRH", 8) != 0) {
		snprintf(err, errsize, _("not a journal file (no LPKSHHRH signature)"));
		return -1;
	}
	if (len < RS_JOURNAL_HEADER_MIN) {
		snprintf(err, errsize, _("journal header cut short (%zu bytes of at least %d)"), len,
			 RS_JOURNAL_HEADER_MIN);
		return -1;
	}
	h->state = data[16];
	memcpy(h->seqnum_id, data + 72, 16);
	h->header_size = rs_le64(data + 88);
	h->arena_size = rs_le64(data + 96);
	h->n_entries = rs_le64(data + 152);
	h->tail_seqnum = rs_le64(data + 160);
	h->head_seqnum = rs_le64(data + 168);
	h->head_realtime = rs_le64(data + 184);
	h->tail_realtime = rs_le64(data + 192);
	if (h->state > 2) {
		snprintf(err, errsize, _("journal header with an unknown state %u"), (unsigned)h->state);
		return -1;
	}
	if (h->header_size < RS_JOURNAL_HEADER_MIN || h->header_size > (1u << 20) ||
	    h->arena_size > (UINT64_MAX >> 2)) {
		snprintf(err, errsize, _("journal header with impossible sizes (header %" PRIu64 ", arena %" PRIu64 ")"),
			 h->header_size, h->arena_size);
		return -1;
	}
	if (h->n_entries > 0 && (h->head_seqnum > h->tail_seqnum || h->head_realtime > h->tail_realtime ||
				 h->head_seqnum == 0)) {
		snprintf(err, errsize, _("journal header whose first entry comes after its last"));
		return -1;
	}
	return 0;
}

/* ---- journal holes ---- */

typedef struct jfile {
	char name[256];
	rs_journal_header h;
} jfile;

static int by_head(const void *a, const void *b)
{
	const jfile *x = a, *y = b;
	int c = memcmp(x->h.seqnum_id, y->h.seqnum_id, 16);
	if (c)
		return c;
	return x->h.head_seqnum < y->h.head_seqnum ? -1 : x->h.head_seqnum > y->h.head_seqnum;
}

static bool journal_name(const char *name)
{
	return rs_ends_with(name, ".journal") || rs_ends_with(name, ".journal~");
}

/* Reads the headers of the journal files of DIR into FILES. */
static void journal_headers(rs_persist *p, const char *dir, rs_vec *files)
{
	DIR *d = rs_host_opendir(p->scan->host, dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && files->len < JOURNAL_FILES_MAX) {
		if (!journal_name(de->d_name) || strlen(de->d_name) >= sizeof(((jfile *)0)->name))
			continue;
		int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			continue;
		struct stat st;
		unsigned char head[RS_JOURNAL_HEADER_MIN];
		ssize_t r = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? pread(fd, head, sizeof(head), 0) : -1;
		close(fd);
		if (r < 0)
			continue;
		p->stats->files++;
		p->stats->bytes += (unsigned long long)r;
		jfile f;
		char err[160];
		snprintf(f.name, sizeof(f.name), "%s", de->d_name);
		if (rs_journal_header_parse(head, (size_t)r, &f.h, err, sizeof(err)) < 0 || f.h.n_entries == 0)
			continue;
		*(jfile *)rs_vec_push(files) = f;
	}
	closedir(d);
}

/* Judges the journal files of one machine directory: the union of their
 * sequence-number ranges (shared by system and user files) must have no
 * hole between its first and last file. */
static void judge_journal_dir(rs_persist *p, const char *dir)
{
	rs_vec files;
	rs_vec_init(&files, sizeof(jfile));
	journal_headers(p, dir, &files);
	if (files.len > 1)
		qsort(files.items, files.len, sizeof(jfile), by_head);
	rs_verdict v;
	rs_verdict_init(&v);
	uint64_t missing = 0, holes = 0;
	double longest = 0;
	char example[600] = "";
	size_t i = 0;
	while (i < files.len) {
		const jfile *a = rs_vec_at(&files, i);
		uint64_t reach = a->h.tail_seqnum, reach_time = a->h.tail_realtime;
		size_t k = i + 1;
		for (; k < files.len; k++) {
			const jfile *b = rs_vec_at(&files, k);
			if (memcmp(a->h.seqnum_id, b->h.seqnum_id, 16) != 0)
				break;
			if (b->h.head_seqnum > reach + 1) {
				holes++;
				missing += b->h.head_seqnum - reach - 1;
				double hours = b->h.head_realtime > reach_time
						       ? (double)(b->h.head_realtime - reach_time) / 3.6e9
						       : 0;
				if (hours > longest)
					longest = hours;
				if (!example[0])
					snprintf(example, sizeof(example), _("before %s: entries %" PRIu64 "-%" PRIu64 " missing"),
						 b->name, reach + 1, b->h.head_seqnum - 1);
			}
			if (b->h.tail_seqnum > reach) {
				reach = b->h.tail_seqnum;
				reach_time = b->h.tail_realtime;
			}
		}
		i = k;
	}
	if (holes) {
		char reason[300];
		snprintf(reason, sizeof(reason),
			 _("%" PRIu64 " journal entries missing in %" PRIu64 " holes between files (the longest spans "
			   "%.1f hours): a journal file was deleted from the middle of the chain"),
			 missing, holes, longest);
		rs_verdict_add(&v, RS_SEV_MEDIUM, reason);
	}
	char *what = rs_sprintf(_("%zu journal files; %s"), files.len, example[0] ? example : _("no hole"));
	rs_persist_entry(p, "journal_hole", N_("Journal"), "T1070.002", dir, 0, NULL, what, NULL, &v, RS_LOG_FIX);
	free(what);
	rs_vec_free(&files);
}

static void journals(rs_persist *p, const char *base)
{
	DIR *d = rs_host_opendir(p->scan->host, base);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != 32 || strspn(de->d_name, "0123456789abcdef") != 32)
			continue; /* one directory per machine id */
		char *dir = rs_sprintf("%s/%s", base, de->d_name);
		judge_journal_dir(p, dir);
		free(dir);
	}
	closedir(d);
}

void rs_persist_journal(rs_persist *p)
{
	journals(p, "/var/log/journal");
	journals(p, "/run/log/journal");
}
