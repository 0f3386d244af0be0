/*
 * journal.c — the respond journal file (see journal.h): opening and
 * locking it, cutting a torn tail, appending lines with one write and an
 * fsync, the index of each action's latest line, and verification.
 */
#include "respond/journal.h"
#include "core/crashpoint.h"
#include "core/digest.h"
#include "core/host.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct rs_journal {
	int fd;
	char *path;
	json_t *lines;      /* every line read or appended (JSON null for a bad one) */
	json_t *latest;     /* action id -> its latest line */
	json_t *ids;        /* action ids in the order they first appear */
	size_t bad_line;
	char bad_why[200];
	char last_hash[65];
	off_t size;
};

/* Records LINE (a valid action line) as the latest of its action. */
static void index_line(rs_journal *j, json_t *line)
{
	const char *id = json_string_value(json_object_get(line, "id"));
	if (!json_object_get(j->latest, id))
		json_array_append_new(j->ids, json_string(id));
	json_object_set(j->latest, id, line);
}

/* Opens STATE_DIR (creating it with mode 0700) as a directory fd. */
static int open_state_dir(const char *state_dir, char *err, size_t errsize)
{
	if (mkdir(state_dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errsize, _("%s: cannot create the state directory: %s; create it or give "
			 "another --db"), state_dir, strerror(errno));
		return -1;
	}
	int dfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		snprintf(err, errsize, _("%s: cannot open the state directory: %s"), state_dir,
			 strerror(errno));
	return dfd;
}

/* Opens the journal in DFD, creating it (and syncing DFD) when missing. */
static int open_file(int dfd, const char *path, char *err, size_t errsize)
{
	int flags = O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
	int fd = openat(dfd, RS_JOURNAL_FILE, flags);
	if (fd < 0 && errno == ENOENT) {
		fd = openat(dfd, RS_JOURNAL_FILE, flags | O_CREAT | O_EXCL, 0600);
		if (fd < 0 && errno == EEXIST) /* another rasoat created it just now */
			fd = openat(dfd, RS_JOURNAL_FILE, flags);
		else if (fd >= 0 && fsync(dfd) < 0) {
			snprintf(err, errsize, _("%s: cannot sync its directory: %s"), path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (fd < 0) {
		snprintf(err, errsize, _("%s: cannot open the journal: %s%s"), path, strerror(errno),
			 errno == ELOOP ? " (a symbolic link: move it away)" : "");
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, _("%s: not a regular file; move it away"), path);
		close(fd);
		return -1;
	}
	return fd;
}

static int lock_file(rs_journal *j, char *err, size_t errsize)
{
	if (flock(j->fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK) {
		rs_warn(_("%s: another rasoat respond command holds the journal; waiting for it"), j->path);
		if (flock(j->fd, LOCK_EX) == 0)
			return 0;
	}
	snprintf(err, errsize, _("%s: cannot lock the journal: %s"), j->path, strerror(errno));
	return -1;
}

/* Cuts the file at KEEP bytes: a torn last line an interrupted append left. */
static int cut_torn_tail(rs_journal *j, const rs_journal_text *t, char *err, size_t errsize)
{
	if (ftruncate(j->fd, (off_t)t->keep) < 0 || fsync(j->fd) < 0) {
		snprintf(err, errsize, _("%s: cannot cut the torn line %zu at byte %zu: %s"), j->path,
			 t->torn_line, t->keep, strerror(errno));
		return -1;
	}
	rs_warn(_("%s: cut the torn last line %zu at byte offset %zu (%s); an append was interrupted"),
		j->path, t->torn_line, t->keep, t->bad_why);
	return 0;
}

static int load(rs_journal *j, char *err, size_t errsize)
{
	char *data = NULL;
	size_t len = 0;
	if (rs_read_fd(j->fd, RS_JOURNAL_MAX_BYTES, &data, &len) < 0) {
		snprintf(err, errsize, _("%s: cannot read the journal: %s"), j->path, strerror(errno));
		return -1;
	}
	rs_journal_text t;
	rs_journal_parse(data, len, &t);
	free(data);
	int rc = t.keep < len ? cut_torn_tail(j, &t, err, errsize) : 0;
	j->size = (off_t)t.keep;
	j->bad_line = t.bad_line;
	snprintf(j->bad_why, sizeof(j->bad_why), "%s", t.bad_line ? t.bad_why : "");
	memcpy(j->last_hash, t.last_hash, sizeof(j->last_hash));
	size_t i;
	json_t *line;
	json_array_foreach(t.lines, i, line)
		if (json_is_object(line))
			index_line(j, line);
	json_decref(j->lines);
	j->lines = json_incref(t.lines);
	rs_journal_text_free(&t);
	if (rc == 0 && j->bad_line)
		rs_warn(_("%s: line %zu: %s; run `rasoat respond verify` and keep a copy of the file"),
			j->path, j->bad_line, j->bad_why);
	return rc;
}

int rs_journal_open(const char *state_dir, rs_journal **out, char *err, size_t errsize)
{
	*out = NULL;
	int dfd = open_state_dir(state_dir, err, errsize);
	if (dfd < 0)
		return -1;
	rs_journal *j = rs_calloc(1, sizeof(*j));
	j->path = rs_sprintf("%s/%s", state_dir, RS_JOURNAL_FILE);
	j->lines = json_array();
	j->latest = json_object();
	j->ids = json_array();
	j->fd = open_file(dfd, j->path, err, errsize);
	close(dfd);
	if (j->fd < 0 || lock_file(j, err, errsize) < 0 || load(j, err, errsize) < 0) {
		rs_journal_close(j);
		return -1;
	}
	*out = j;
	return 0;
}

void rs_journal_close(rs_journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd); /* releases the lock */
	json_decref(j->lines);
	json_decref(j->latest);
	json_decref(j->ids);
	free(j->path);
	free(j);
}

const char *rs_journal_path(const rs_journal *j)
{
	return j->path;
}

size_t rs_journal_bad_line(const rs_journal *j, const char **why)
{
	if (why)
		*why = j->bad_why;
	return j->bad_line;
}

/* Writes LEN bytes of TEXT with one write; on a short write cuts the file
 * back so no partial line stays. */
static int write_line(rs_journal *j, const char *text, size_t len, char *err, size_t errsize)
{
	ssize_t n = write(j->fd, text, len);
	if (n == (ssize_t)len && fsync(j->fd) == 0)
		return 0;
	int saved = n < 0 ? errno : n == (ssize_t)len ? errno : ENOSPC;
	if (n > 0 && n != (ssize_t)len && ftruncate(j->fd, j->size) < 0)
		rs_warn(_("%s: cannot cut a partly written line: %s"), j->path, strerror(errno));
	snprintf(err, errsize, _("%s: cannot write to the journal: %s; free space or fix the "
		 "file system, then retry"), j->path, strerror(saved));
	return -1;
}

int rs_journal_append(rs_journal *j, json_t *line, char *err, size_t errsize)
{
	json_object_set_new(line, "prev", json_string(j->last_hash));
	char why[200];
	if (!rs_journal_line_valid(line, why, sizeof(why))) {
		snprintf(err, errsize, _("%s: refusing to append a bad line: %s"), j->path, why);
		return -1;
	}
	char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	size_t len = text ? strlen(text) : 0;
	if (!text || len > RS_JOURNAL_MAX_LINE) {
		snprintf(err, errsize, _("%s: a journal line would be %zu bytes, over the %u limit"),
			 j->path, len, RS_JOURNAL_MAX_LINE);
		free(text);
		return -1;
	}
	char *with_nl = rs_malloc(len + 1);
	memcpy(with_nl, text, len);
	with_nl[len] = '\n';
	rs_crashpoint("journal.append");
	int rc = write_line(j, with_nl, len + 1, err, errsize);
	if (rc == 0) {
		rs_sha256_hex(text, len, j->last_hash);
		j->size += (off_t)(len + 1);
		json_t *copy = json_deep_copy(line);
		json_array_append(j->lines, copy);
		index_line(j, copy);
		json_decref(copy);
	}
	free(with_nl);
	free(text);
	return rc;
}

const json_t *rs_journal_action_ids(const rs_journal *j)
{
	return j->ids;
}

const json_t *rs_journal_latest(const rs_journal *j, const char *id)
{
	return json_object_get(j->latest, id);
}

const json_t *rs_journal_latest_in_state(const rs_journal *j, const char *id, const char *state)
{
	for (size_t i = json_array_size(j->lines); i-- > 0;) {
		const json_t *line = json_array_get(j->lines, i);
		const char *line_id = json_string_value(json_object_get(line, "id"));
		const char *line_state = json_string_value(json_object_get(line, "state"));
		if (line_id && line_state && !strcmp(line_id, id) && !strcmp(line_state, state))
			return line;
	}
	return NULL;
}

const json_t *rs_journal_lines(const rs_journal *j)
{
	return j->lines;
}

json_t *rs_journal_history(const rs_journal *j, const char *id)
{
	json_t *history = json_array();
	size_t i;
	json_t *line;
	json_array_foreach(j->lines, i, line) {
		const char *line_id = json_string_value(json_object_get(line, "id"));
		if (line_id && strcmp(line_id, id) == 0)
			json_array_append(history, line);
	}
	return history;
}

static bool is_regular(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

int rs_journal_verify(const char *state_dir, size_t *lines, size_t *bad_line, char *why,
		      size_t whysize, char *err, size_t errsize)
{
	*lines = 0;
	*bad_line = 0;
	why[0] = '\0';
	char *path = rs_sprintf("%s/%s", state_dir, RS_JOURNAL_FILE);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	int rc = -1;
	char *data = NULL;
	size_t len = 0;
	if (fd < 0 && errno == ENOENT) {
		rc = 0;
	} else if (fd >= 0 && !is_regular(fd)) {
		snprintf(err, errsize, _("%s: not a regular file; move it away"), path);
	} else if (fd < 0 || flock(fd, LOCK_SH) < 0 || rs_read_fd(fd, RS_JOURNAL_MAX_BYTES, &data, &len) < 0) {
		snprintf(err, errsize, _("%s: cannot read the journal: %s"), path, strerror(errno));
	} else {
		rs_journal_text t;
		rs_journal_parse(data, len, &t);
		*lines = json_array_size(t.lines) + (t.torn_line ? 1 : 0);
		*bad_line = t.bad_line ? t.bad_line : t.torn_line;
		snprintf(why, whysize, "%s", *bad_line ? t.bad_why : "");
		rs_journal_text_free(&t);
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	free(data);
	free(path);
	return rc;
}
