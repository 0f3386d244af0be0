/*
 * summary.c — scan ids, the summary object and the host score.
 */
#include "core/summary.h"
#include "core/json.h"
#include "core/util.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void rs_summary_init(rs_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->modules = json_object();
	s->host_info = json_object();
	s->score = 100;
}

void rs_summary_free(rs_summary *s)
{
	free(s->host);
	free(s->root);
	json_decref(s->modules);
	json_decref(s->host_info);
	memset(s, 0, sizeof(*s));
}

void rs_summary_new_id(rs_summary *s)
{
	unsigned char bytes[16];
	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes)) {
		/* Fall back to time and pid: ids need to be unique, not secret. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
				       (unsigned long long)getpid() << 40;
		for (size_t i = 0; i < sizeof(bytes); i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
			bytes[i] = (unsigned char)(x >> 56);
	}
	for (size_t i = 0; i < sizeof(bytes); i++)
		snprintf(s->scan + 2 * i, 3, "%02x", bytes[i]);
}

json_t *rs_counts_to_json(const unsigned long counts[RS_SEV_COUNT])
{
	json_t *o = json_object();
	for (int i = RS_SEV_COUNT - 1; i >= 0; i--)
		json_object_set_new(o, rs_severity_name((rs_severity)i), json_integer((json_int_t)counts[i]));
	return o;
}

json_t *rs_summary_to_json(const rs_summary *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string("summary"));
	json_object_set_new(o, "scan", json_string(s->scan));
	json_object_set_new(o, "host", rs_json_string(s->host));
	json_object_set_new(o, "root", rs_json_string(s->root ? s->root : "/"));
	json_object_set_new(o, "started", json_string(s->started));
	json_object_set_new(o, "duration_ms", json_integer(s->duration_ms));
	json_object_set(o, "modules", s->modules);
	json_object_set_new(o, "counts", rs_counts_to_json(s->counts));
	json_object_set_new(o, "score", json_integer(s->score));
	json_object_set_new(o, "exit", json_integer(s->exit_code));
	if (!s->complete)
		json_object_set_new(o, "complete", json_false());
	return o;
}

void rs_summary_from_json(rs_summary *s, const json_t *obj)
{
	const char *v;
	if ((v = json_string_value(json_object_get(obj, "scan"))))
		snprintf(s->scan, sizeof(s->scan), "%s", v);
	if ((v = json_string_value(json_object_get(obj, "host")))) {
		free(s->host);
		s->host = rs_strdup(v);
	}
	if ((v = json_string_value(json_object_get(obj, "root")))) {
		free(s->root);
		s->root = rs_strdup(v);
	}
	if ((v = json_string_value(json_object_get(obj, "started"))))
		snprintf(s->started, sizeof(s->started), "%s", v);
	s->duration_ms = json_integer_value(json_object_get(obj, "duration_ms"));
	json_t *m = json_object_get(obj, "modules");
	if (json_is_object(m))
		json_object_update(s->modules, m);
	json_t *counts = json_object_get(obj, "counts");
	for (int i = 0; i < RS_SEV_COUNT; i++)
		s->counts[i] = (unsigned long)json_integer_value(
			json_object_get(counts, rs_severity_name((rs_severity)i)));
	s->score = (int)json_integer_value(json_object_get(obj, "score"));
	s->exit_code = (int)json_integer_value(json_object_get(obj, "exit"));
	json_t *complete = json_object_get(obj, "complete");
	s->complete = complete ? json_is_true(complete) : true;
}

int rs_score_from_counts(const unsigned long counts[RS_SEV_COUNT])
{
	/* Each finding costs points by severity; the cost decays so that many
	 * low findings never weigh like one critical. See docs/SCORING.md. */
	static const double weight[RS_SEV_COUNT] = { 0.0, 1.0, 4.0, 12.0, 30.0 };
	double penalty = 0;
	for (int i = 0; i < RS_SEV_COUNT; i++)
		penalty += weight[i] * (double)counts[i];
	double score = 100.0 * exp(-penalty / 100.0);
	if (counts[RS_SEV_CRITICAL] > 0 && score > 40)
		score = 40;
	return (int)lround(score);
}

int rs_score_combine(int findings_score, int modules_score)
{
	if (modules_score < 0)
		return findings_score;
	return (findings_score + modules_score + 1) / 2;
}
