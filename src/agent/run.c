/*
 * run.c — `rasoat agent run --once`: one round of the agent. It checks in
 * (reporting its facts and how many batches wait in its spool; the reply
 * gives the scan interval and tasks), runs the tasks (tasks.c), runs a scan
 * when one is due (never scanned, the interval passed, or --scan) into the spool, and
 * uploads the spool oldest first. When the server is away or busy it waits
 * with exponential backoff and full jitter (bounded), honouring the
 * server's Retry-After; what cannot be sent stays spooled for next time.
 */
#include "agent/agent.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_SCAN_INTERVAL 86400
#define DEFAULT_CHECKIN_INTERVAL 300
#define IOPRIO_CLASS_BE 2
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_WHO_PROCESS 1
#define BACKOFF_BASE_MS 500
#define MAX_BATCH_FILE (8u << 20)

long long rs_agent_backoff_ms(int attempt, long long base_ms, long long max_ms)
{
	long long cap = base_ms;
	for (int i = 0; i < attempt && cap < max_ms; i++)
		cap *= 2;
	if (cap > max_ms)
		cap = max_ms;
	if (cap < 2)
		return cap;
	return cap / 2 + (long long)randombytes_uniform((uint32_t)(cap / 2 + 1));
}

static void sleep_ms(long long ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Whether a reply means "try again later": no reply, 429 or a 5xx. */
static bool retryable(const rs_agent_reply *r)
{
	return r->status == 0 || r->status == 429 || r->status >= 500;
}

/* POSTs with retries. Returns 0 with a final reply (any status) in REPLY,
 * or -1 when every attempt failed for a retryable reason. */
static int post_with_backoff(rs_agent_state *st, const rs_agent_run_options *o, const char *path,
			     const char *body, size_t len, rs_agent_reply *reply)
{
	for (int attempt = 0;; attempt++) {
		rs_agent_post_signed(st, path, body, len, reply);
		if (!retryable(reply))
			return 0;
		if (attempt >= o->retries)
			return -1;
		long long wait = rs_agent_backoff_ms(attempt, BACKOFF_BASE_MS, (long long)o->max_backoff * 1000);
		if (reply->retry_after > 0 && (long long)reply->retry_after * 1000 > wait)
			wait = (long long)(reply->retry_after < o->max_backoff ? reply->retry_after : o->max_backoff) * 1000;
		if (reply->status)
			rs_warn(_("%s%s: HTTP %ld; retrying in %lld ms"), st->server, path, reply->status, wait);
		else
			rs_warn(_("%s%s: %s; retrying in %lld ms"), st->server, path, reply->error, wait);
		rs_agent_reply_free(reply);
		sleep_ms(wait);
	}
}

static const char *reply_message(const rs_agent_reply *r)
{
	const char *m = json_string_value(json_object_get(r->body, "message"));
	return m ? m : r->status ? "no reason given" : r->error;
}

/* Checks in; fills *SCAN_INTERVAL and *TASKS (the reply's tasks, or NULL). Returns 0, or -1 when the
 * server could not be reached or refused. */
static int check_in(rs_agent_state *st, const rs_agent_run_options *o, size_t spooled,
		    long long *scan_interval, json_t **tasks)
{
	json_t *req = json_pack("{s:o,s:I}", "host", rs_agent_host_facts("/"), "spooled", (json_int_t)spooled);
	char *body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	rs_agent_reply reply;
	int rc = post_with_backoff(st, o, RS_FLEET_API "/checkin", body, strlen(body), &reply);
	free(body);
	if (rc == 0 && reply.status == 200) {
		json_t *v = json_object_get(reply.body, "scan_interval");
		if (json_is_integer(v) && json_integer_value(v) > 0)
			*scan_interval = json_integer_value(v);
		v = json_object_get(reply.body, "interval");
		if (json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= 86400)
			st->interval = json_integer_value(v);
		json_t *list = json_object_get(reply.body, "tasks");
		if (json_is_array(list) && json_array_size(list))
			*tasks = json_incref(list);
	} else {
		rs_error(_("%s: check-in failed: %s"), st->server, reply_message(&reply));
		rc = -1;
	}
	rs_agent_reply_free(&reply);
	return rc;
}

/* Uploads one spooled batch. Returns 0 sent (or refused for good and moved
 * aside), -1 when the server is away (stop for now). */
static int upload_one(rs_agent_state *st, const rs_agent_run_options *o, const char *spool, const char *name)
{
	size_t len = 0;
	char *body = rs_agent_read_file(spool, name, MAX_BATCH_FILE, &len);
	json_t *parsed = body ? json_loadb(body, len, 0, NULL) : NULL;
	const char *batch = json_string_value(json_object_get(parsed, "batch_id"));
	if (!batch) {
		rs_warn(_("%s/%s: not a readable batch; moved to %s/rejected"), spool, name, spool);
		json_decref(parsed);
		free(body);
		return rs_agent_spool_reject(st, name) == 0 ? 0 : -1;
	}
	rs_agent_reply reply;
	int rc = post_with_backoff(st, o, RS_FLEET_API "/results", body, len, &reply);
	const char *acked = json_string_value(json_object_get(reply.body, "batch_id"));
	if (rc == 0 && reply.status == 200 && acked && strcmp(acked, batch) == 0) {
		rc = rs_agent_spool_remove(st, name);
	} else if (rc == 0 && (reply.status == 400 || reply.status == 409 || reply.status == 413)) {
		/* the batch itself is refused: resending it cannot help */
		rs_error(_("%s refused batch %s (HTTP %ld): %s; moved to %s/rejected"), st->server, batch,
			 reply.status, reply_message(&reply), spool);
		rc = rs_agent_spool_reject(st, name) == 0 ? 0 : -1;
	} else {
		rc = -1;
		rs_error(_("%s: cannot upload batch %s now: %s; it stays in %s"), st->server, batch,
			 reply_message(&reply), spool);
	}
	rs_agent_reply_free(&reply);
	json_decref(parsed);
	free(body);
	return rc;
}

/* Uploads the spool, oldest first. Returns how many batches are left, -1 on error. */
static int upload_spool(rs_agent_state *st, const rs_agent_run_options *o)
{
	char **names;
	size_t count;
	if (rs_agent_spool_list(st, &names, &count) < 0)
		return -1;
	char *spool = rs_agent_spool_dir(st);
	size_t done = 0;
	for (; done < count; done++)
		if (upload_one(st, o, spool, names[done]) < 0)
			break;
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	free(spool);
	return (int)(count - done);
}

static int run_round(rs_agent_state *st, const rs_agent_run_options *o)
{
	char **names;
	size_t spooled = 0;
	if (rs_agent_spool_list(st, &names, &spooled) == 0) {
		for (size_t i = 0; i < spooled; i++)
			free(names[i]);
		free(names);
	}
	long long scan_interval = DEFAULT_SCAN_INTERVAL;
	json_t *tasks = NULL;
	/* outcomes of earlier tasks the server has not received (task_journal.c),
	 * before the check-in: the server then need not hand them out again */
	rs_agent_task_flush(st);
	bool reachable = check_in(st, o, spooled, &scan_interval, &tasks) == 0;
	/* the server's tasks (tasks.c): a scan task spools its scan there */
	bool scanned = false;
	if (tasks)
		rs_agent_run_tasks(st, o, tasks, &scanned);
	json_decref(tasks);
	long long now = (long long)time(NULL);
	long long last = rs_agent_last_scan(st);
	if (!scanned && (o->force_scan || last == 0 || now - last >= scan_interval)) {
		if (rs_agent_spool_scan(st, &o->scan) < 0)
			return -1;
		if (rs_agent_set_last_scan(st, now) < 0)
			return -1;
	}
	if (!reachable)
		return 1;
	int left = upload_spool(st, o);
	if (left < 0)
		return -1;
	return left > 0 ? 1 : 0;
}

int rs_agent_run_once(rs_agent_state *st, const rs_agent_run_options *o)
{
	/* scans read the content update-content tasks installed */
	char *content = rs_agent_content_dir(st, o);
	rs_agent_run_options with = *o;
	with.scan.content_dir = content;
	int rc = run_round(st, &with);
	free(content);
	return rc;
}

void rs_agent_lower_priority(void)
{
	if (setpriority(PRIO_PROCESS, 0, 10) < 0)
		rs_warn(_("cannot lower the agent's CPU priority: %s"), strerror(errno));
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT | 7) < 0)
		rs_warn(_("cannot lower the agent's I/O priority: %s"), strerror(errno));
}

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Sleeps SECONDS in short steps; returns early when a stop was asked. */
static void sleep_interruptible(long long ms)
{
	while (ms > 0 && !stop_requested) {
		long long step = ms < 200 ? ms : 200;
		sleep_ms(step);
		ms -= step;
	}
}

int rs_agent_run_forever(rs_agent_state *st, const rs_agent_run_options *o)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rs_agent_lower_priority();
	while (!stop_requested) {
		if (st->interval <= 0)
			st->interval = DEFAULT_CHECKIN_INTERVAL;
		rs_agent_run_once(st, o);
		long long base = st->interval * 1000;
		long long jitter = (long long)randombytes_uniform((uint32_t)(base / 5 + 1)) - base / 10;
		sleep_interruptible(base + jitter);
	}
	return 0;
}
