/*
 * state.c — the agent's state directory (agent.h): private files written
 * crash-safely (temporary file, fsync, rename, fsync of the directory),
 * the identity and key left by enrolment, and the request counter, which
 * is persisted before each use so that a counter is never sent twice.
 */
#include "agent/agent.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IDENTITY_FILE "identity.json"
#define KEY_FILE "key"
#define COUNTER_FILE "counter"
#define LAST_SCAN_FILE "last_scan"

int rs_agent_make_dir(const char *dir)
{
	char *copy = rs_strdup(dir);
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
			rs_error(_("%s: cannot create the directory: %s"), copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		rs_error(_("%s: cannot create the agent's state directory: %s; give another --state"), dir,
			 strerror(errno));
		return -1;
	}
	struct stat st;
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		rs_error(_("%s: not a directory; give another --state"), dir);
		return -1;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 0077)) {
		if (st.st_uid == geteuid() && chmod(dir, 0700) == 0)
			return 0;
		rs_error(_("%s: the agent's state directory must belong to this user with mode 0700; "
			 "fix it with chmod 700 or give another --state"), dir);
		return -1;
	}
	return 0;
}

int rs_agent_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int rs_agent_write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char *tmp = rs_sprintf("%s/.%s.tmp", dir, name);
	char *path = rs_sprintf("%s/%s", dir, name);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && write_all(fd, data, len) == 0 && fsync(fd) == 0) {
		close(fd);
		fd = -1;
		if (rename(tmp, path) == 0 && rs_agent_fsync_dir(dir) == 0)
			rc = 0;
	}
	if (rc < 0) {
		rs_error(_("%s: cannot write it safely: %s; check the disk and the agent's --state"), path,
			 strerror(errno));
		unlink(tmp);
	}
	if (fd >= 0)
		close(fd);
	free(tmp);
	free(path);
	return rc;
}

char *rs_agent_read_file(const char *dir, const char *name, size_t max, size_t *len)
{
	char *path = rs_sprintf("%s/%s", dir, name);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	free(path);
	struct stat st;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(fd);
		return NULL;
	}
	char *data = rs_malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		free(data);
		return NULL;
	}
	data[got] = '\0';
	if (len)
		*len = got;
	return data;
}

static bool read_number(const char *dir, const char *name, unsigned long long *out)
{
	char *text = rs_agent_read_file(dir, name, 64, NULL);
	if (!text)
		return false;
	char *end = NULL;
	errno = 0;
	unsigned long long n = strtoull(text, &end, 10);
	bool ok = errno == 0 && end != text && (*end == '\0' || *end == '\n');
	free(text);
	if (ok)
		*out = n;
	return ok;
}

static int write_number(const char *dir, const char *name, unsigned long long n)
{
	char text[32];
	int len = snprintf(text, sizeof(text), "%llu\n", n);
	return rs_agent_write_file(dir, name, text, (size_t)len);
}

static int load_identity(rs_agent_state *st)
{
	char *text = rs_agent_read_file(st->dir, IDENTITY_FILE, 65536, NULL);
	json_t *id = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	const char *agent = json_string_value(json_object_get(id, "agent"));
	const char *server = json_string_value(json_object_get(id, "server"));
	const char *pin = json_string_value(json_object_get(id, "pin"));
	int rc = -1;
	if (agent && rs_fleet_is_hex(agent, RS_FLEET_ID_HEX) && server && *server &&
	    (!pin || !*pin || rs_fleet_is_hex(pin, RS_FLEET_PIN_HEX))) {
		snprintf(st->agent, sizeof(st->agent), "%s", agent);
		st->server = rs_strdup(server);
		snprintf(st->pin, sizeof(st->pin), "%s", pin ? pin : "");
		/* the server's content key, pinned at enrolment (absent: older enrolments) */
		const char *ck = json_string_value(json_object_get(id, "content_key"));
		st->has_content_key = ck && rs_fleet_unbase64(ck, st->content_key, sizeof(st->content_key)) == 0;
		rc = 0;
	}
	json_decref(id);
	return rc;
}

int rs_agent_state_load(const char *dir, rs_agent_state *st)
{
	memset(st, 0, sizeof(*st));
	st->dir = rs_strdup(dir);
	if (load_identity(st) < 0) {
		rs_error(_("%s: no agent identity here; enrol first with `rasoat agent --server URL --token T --state %s`"),
			 dir, dir);
		return -1;
	}
	size_t len = 0;
	char *key = rs_agent_read_file(dir, KEY_FILE, 1024, &len);
	if (!key || len != sizeof(st->secret_key)) {
		free(key);
		rs_error(_("%s/%s: the agent's key is missing or damaged; enrol again"), dir, KEY_FILE);
		return -1;
	}
	memcpy(st->secret_key, key, sizeof(st->secret_key));
	sodium_memzero(key, len);
	free(key);
	if (!read_number(dir, COUNTER_FILE, &st->counter)) {
		rs_error(_("%s/%s: the request counter is missing or damaged; enrol again"), dir, COUNTER_FILE);
		return -1;
	}
	return 0;
}

void rs_agent_state_free(rs_agent_state *st)
{
	free(st->dir);
	free(st->server);
	sodium_memzero(st, sizeof(*st));
}

int rs_agent_next_counter(rs_agent_state *st, unsigned long long *out)
{
	unsigned long long next = st->counter + 1;
	if (next > RS_FLEET_MAX_COUNTER) {
		rs_error(_("%s: the request counter is exhausted; enrol again"), st->dir);
		return -1;
	}
	if (write_number(st->dir, COUNTER_FILE, next) < 0)
		return -1;
	st->counter = next;
	*out = next;
	return 0;
}

int rs_agent_raise_counter(rs_agent_state *st, unsigned long long n)
{
	if (n <= st->counter)
		return 0;
	if (write_number(st->dir, COUNTER_FILE, n) < 0)
		return -1;
	st->counter = n;
	return 0;
}

long long rs_agent_last_scan(const rs_agent_state *st)
{
	unsigned long long n = 0;
	return read_number(st->dir, LAST_SCAN_FILE, &n) ? (long long)n : 0;
}

int rs_agent_set_last_scan(const rs_agent_state *st, long long when)
{
	return write_number(st->dir, LAST_SCAN_FILE, (unsigned long long)when);
}
