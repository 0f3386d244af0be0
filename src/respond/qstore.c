/*
 * qstore.c — the quarantine store's directory (STATE_DIR/quarantine, mode
 * 0700): opening it, loading an image's manifest, each image's status
 * (restored or not), the `quarantine list` lines and leftovers of an
 * interrupted snapshot.
 */
#include "respond/quarantine.h"
#include "core/readfile.h"
#include "respond/qimage.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool rs_qid_valid(const char *id)
{
	if (!id || strlen(id) != 34 || strncmp(id, "q-", 2) != 0)
		return false;
	for (size_t i = 2; i < 34; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return false;
	return true;
}

int rs_quarantine_open(const char *state_dir, rs_quarantine **out, char *err, size_t errsize)
{
	*out = NULL;
	if (mkdir(state_dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errsize, _("%s: cannot create the state directory: %s; give a writable --db directory"),
			 state_dir, strerror(errno));
		return -1;
	}
	char *dir = rs_sprintf("%s/quarantine", state_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errsize, _("%s: cannot create the quarantine store: %s"), dir, strerror(errno));
		free(dir);
		return -1;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errsize, _("%s: cannot open the quarantine store: %s"), dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(dir);
		return -1;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		/* root-only: anyone else able to read it could take the samples,
		 * anyone able to write it could change what a restore puts back */
		if (st.st_uid != geteuid() || fchmod(fd, 0700) < 0) {
			snprintf(err, errsize, _("%s: the quarantine store is not owned by uid %u with mode 0700; fix it "
				 "(chown, chmod 0700) and retry"), dir, (unsigned)geteuid());
			close(fd);
			free(dir);
			return -1;
		}
	}
	rs_quarantine *q = rs_calloc(1, sizeof(*q));
	q->dir = dir;
	q->fd = fd;
	/* leftovers of a snapshot that was interrupted */
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d && dfd >= 0)
		close(dfd);
	if (d) {
		rewinddir(d);
		struct dirent *de;
		while ((de = readdir(d)) != NULL)
			if (strncmp(de->d_name, ".tmp-q-", 7) == 0)
				rs_qremove_tree(fd, de->d_name, 0);
		closedir(d);
	}
	*out = q;
	return 0;
}

void rs_quarantine_close(rs_quarantine *q)
{
	if (!q)
		return;
	close(q->fd);
	free(q->dir);
	free(q);
}

int rs_qstore_load(const rs_quarantine *q, const char *id, rs_qmanifest *m, char *err, size_t errsize)
{
	memset(m, 0, sizeof(*m));
	if (!rs_qid_valid(id)) {
		snprintf(err, errsize, _("%s: not a quarantine id (q- and 32 hex digits); see `rasoat quarantine list`"),
			 id ? id : "(null)");
		return -1;
	}
	int dfd = openat(q->fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	char *text = NULL;
	size_t len = 0;
	if (dfd < 0 || rs_read_regular_at(dfd, "manifest.json", RS_Q_MAX_MANIFEST, &text, &len) < 0) {
		snprintf(err, errsize, _("%s/%s: cannot read the image's manifest: %s; see `rasoat quarantine list`"),
			 q->dir, id, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	close(dfd);
	char perr[512];
	int rc = rs_qmanifest_parse(text, len, m, perr, sizeof(perr));
	free(text);
	if (rc < 0) {
		snprintf(err, errsize, _("%s/%s/manifest.json: %s"), q->dir, id, perr);
		return -1;
	}
	if (strcmp(m->id, id) != 0) {
		snprintf(err, errsize, _("%s/%s/manifest.json: it names another image (%s); the store was tampered with"),
			 q->dir, id, m->id);
		rs_qmanifest_free(m);
		return -1;
	}
	return 0;
}

int rs_qstore_open_data(const rs_quarantine *q, const char *id, long n)
{
	char rel[80];
	snprintf(rel, sizeof(rel), "%s/data/%ld", id, n);
	return openat(q->fd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
}

int rs_qstore_write_file(int dirfd, const char *name, const char *buf, size_t len, mode_t mode)
{
	char tmp[300];
	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	unlinkat(dirfd, tmp, 0);
	int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, buf + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;
			close(fd);
			unlinkat(dirfd, tmp, 0);
			errno = e;
			return -1;
		}
		done += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0 || renameat(dirfd, tmp, dirfd, name) < 0) {
		int e = errno;
		unlinkat(dirfd, tmp, 0);
		errno = e;
		return -1;
	}
	fsync(dirfd);
	return 0;
}

void rs_qstatus_read(const rs_quarantine *q, const char *id, rs_qstatus *st)
{
	memset(st, 0, sizeof(*st));
	char rel[80];
	snprintf(rel, sizeof(rel), "%s/status.json", id);
	char *text = NULL;
	size_t len = 0;
	if (!rs_qid_valid(id) || rs_read_regular_at(q->fd, rel, 4096, &text, &len) < 0)
		return;
	json_t *o = json_loadb(text, len, 0, NULL);
	free(text);
	st->restored = json_is_true(json_object_get(o, "restored"));
	st->removed = json_is_true(json_object_get(o, "removed"));
	const json_t *as = json_object_get(o, "restored_as");
	const json_t *dev = json_object_get(as, "dev"), *ino = json_object_get(as, "ino");
	if (json_is_integer(dev) && json_is_integer(ino)) {
		st->has_restored_as = true;
		st->restored_dev = (unsigned long long)json_integer_value(dev);
		st->restored_ino = (unsigned long long)json_integer_value(ino);
	}
	json_decref(o);
}

int rs_qstatus_write(const rs_quarantine *q, const char *id, const rs_qstatus *st)
{
	if (!rs_qid_valid(id)) {
		errno = EINVAL;
		return -1;
	}
	int dfd = openat(q->fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	json_t *o = json_object();
	json_object_set_new(o, "restored", json_boolean(st->restored));
	json_object_set_new(o, "removed", json_boolean(st->removed));
	if (st->has_restored_as)
		json_object_set_new(o, "restored_as", json_pack("{s:I,s:I}", "dev", (json_int_t)st->restored_dev,
								"ino", (json_int_t)st->restored_ino));
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	int rc = rs_qstore_write_file(dfd, "status.json", text, strlen(text), 0600);
	int e = errno;
	free(text);
	close(dfd);
	errno = e;
	return rc;
}

int rs_quarantine_set_restored(rs_quarantine *q, const char *id, bool restored)
{
	rs_qstatus st;
	rs_qstatus_read(q, id, &st);
	st.restored = restored;
	return rs_qstatus_write(q, id, &st);
}

/* A list line and the image's precise time, for the order. */
typedef struct listed {
	char time[32];
	json_t *line;
} listed;

static int cmp_newest_first(const void *a, const void *b)
{
	const listed *x = a, *y = b;
	int c = strcmp(y->time, x->time);
	return c ? c : strcmp(json_string_value(json_object_get(x->line, "id")),
			      json_string_value(json_object_get(y->line, "id")));
}

json_t *rs_quarantine_list(rs_quarantine *q)
{
	json_t *out = json_array();
	int dfd = dup(q->fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return out;
	}
	rewinddir(d); /* the duplicate shares the store fd's offset */
	rs_vec items;
	rs_vec_init(&items, sizeof(listed));
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!rs_qid_valid(de->d_name))
			continue;
		rs_qmanifest m;
		char err[512];
		if (rs_qstore_load(q, de->d_name, &m, err, sizeof(err)) < 0)
			continue;
		rs_qstatus st;
		rs_qstatus_read(q, m.id, &st);
		json_t *o = json_object();
		json_object_set_new(o, "type", json_string("quarantine"));
		json_object_set_new(o, "id", json_string(m.id));
		json_object_set_new(o, "path", rs_json_string(m.path));
		json_t *utf8 = json_stringn(m.path, strlen(m.path));
		if (utf8)
			json_decref(utf8);
		else
			rs_qjson_set_bytes(o, "path", m.path, strlen(m.path)); /* adds path_b64 */
		const rs_qentry *top = &m.entries[0];
		unsigned long long size = 0;
		for (size_t i = 0; i < m.n_entries; i++)
			if (m.entries[i].type == RS_QT_FILE && m.entries[i].link < 0)
				size += m.entries[i].size;
		json_object_set_new(o, "sha256", json_string(top->type == RS_QT_FILE ? top->sha256 : ""));
		json_object_set_new(o, "size", json_integer((json_int_t)size));
		char shown[32];
		snprintf(shown, sizeof(shown), "%.19sZ", m.time); /* to the second, like every time in FORMATS.md */
		json_object_set_new(o, "time", json_string(strlen(m.time) > 20 ? shown : m.time));
		json_object_set_new(o, "restored", json_boolean(st.restored));
		json_object_set_new(o, "kind", json_string(rs_qtype_name(top->type)));
		json_object_set_new(o, "entries", json_integer((json_int_t)m.n_entries));
		listed *l = rs_vec_push(&items);
		snprintf(l->time, sizeof(l->time), "%s", m.time);
		l->line = o;
		rs_qmanifest_free(&m);
	}
	closedir(d);
	if (items.len > 1)
		qsort(items.items, items.len, sizeof(listed), cmp_newest_first);
	for (size_t i = 0; i < items.len; i++)
		json_array_append_new(out, ((listed *)rs_vec_at(&items, i))->line);
	rs_vec_free(&items);
	return out;
}
