/*
 * record.c — drill run records (record.h).
 */
#include "drill/record.h"

#include "core/i18n.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool rs_drill_run_id_valid(const char *run)
{
	if (!run || strlen(run) != 18 || run[0] != 'd' || run[1] != '-')
		return false;
	for (int i = 2; i < 18; i++)
		if (!((run[i] >= '0' && run[i] <= '9') || (run[i] >= 'a' && run[i] <= 'f')))
			return false;
	return true;
}

static char *dir_of(const char *state_dir)
{
	return rs_sprintf("%s/drills", state_dir);
}

int rs_drill_record_write(const char *state_dir, const json_t *record, char *err, size_t errsize)
{
	const char *run = json_string_value(json_object_get(record, "run"));
	if (!rs_drill_run_id_valid(run)) {
		snprintf(err, errsize, _("drill: a record without a valid run id"));
		return -1;
	}
	char *dir = dir_of(state_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errsize, _("%s: cannot create: %s"), dir, strerror(errno));
		free(dir);
		return -1;
	}
	char *tmp = rs_sprintf("%s/.%s.json.part", dir, run);
	char *path = rs_sprintf("%s/%s.json", dir, run);
	char *text = json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		size_t len = strlen(text);
		rc = write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0 ? 0 : -1;
		close(fd);
		if (rc == 0)
			rc = rename(tmp, path);
	}
	if (rc < 0) {
		snprintf(err, errsize, _("%s: cannot write the drill record: %s"), path, strerror(errno));
		unlink(tmp);
	}
	free(text);
	free(tmp);
	free(path);
	free(dir);
	return rc;
}

json_t *rs_drill_record_read(const char *state_dir, const char *run, char *err, size_t errsize)
{
	if (!rs_drill_run_id_valid(run)) {
		snprintf(err, errsize, _("%s: not a run id (d- and 16 hex digits; `rasoat drill status` lists them)"),
			 run ? run : "");
		return NULL;
	}
	char *path = rs_sprintf("%s/drills/%s.json", state_dir, run);
	json_error_t je;
	json_t *r = json_load_file(path, 0, &je);
	if (!json_is_object(r)) {
		snprintf(err, errsize, _("%s: no readable record of run %s (%s)"), path, run, je.text);
		json_decref(r);
		r = NULL;
	}
	free(path);
	return r;
}

static int newest_first(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *sx = json_string_value(json_object_get(x, "started"));
	const char *sy = json_string_value(json_object_get(y, "started"));
	return strcmp(sy ? sy : "", sx ? sx : "");
}

json_t *rs_drill_record_list(const char *state_dir)
{
	json_t *out = json_array();
	char *dir = dir_of(state_dir);
	DIR *d = opendir(dir);
	struct dirent *e;
	rs_vec v;
	rs_vec_init(&v, sizeof(json_t *));
	while (d && (e = readdir(d))) {
		char run[19];
		if (strlen(e->d_name) != 23 || !rs_ends_with(e->d_name, ".json"))
			continue;
		memcpy(run, e->d_name, 18);
		run[18] = '\0';
		char err[256];
		json_t *r = rs_drill_record_read(state_dir, run, err, sizeof(err));
		if (r)
			*(json_t **)rs_vec_push(&v) = r;
		if (v.len >= 10000)
			break;
	}
	if (d)
		closedir(d);
	if (v.len)
		qsort(v.items, v.len, sizeof(json_t *), newest_first);
	for (size_t i = 0; i < v.len; i++)
		json_array_append_new(out, *(json_t **)rs_vec_at(&v, i));
	rs_vec_free(&v);
	free(dir);
	return out;
}

/* The start time (field 22 of /proc/PID/stat) of PID, 0 when gone. */
static unsigned long long start_time(long pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	unsigned long long v = 0;
	/* after ") ": state is field 3; start time is field 22 */
	char *save = NULL;
	int field = 2;
	for (char *tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (++field == 22) {
			v = strtoull(tok, NULL, 10);
			break;
		}
	}
	return v;
}

bool rs_drill_record_alive(const json_t *record)
{
	long pid = (long)json_integer_value(json_object_get(record, "pid"));
	json_int_t st = json_integer_value(json_object_get(record, "pid_start"));
	if (pid <= 0)
		return false;
	return start_time(pid) == (unsigned long long)st && kill((pid_t)pid, 0) == 0;
}

unsigned long long rs_drill_self_start(void)
{
	return start_time((long)getpid());
}
