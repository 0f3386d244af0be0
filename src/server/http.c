/*
 * http.c — the fleet server's HTTP side on libmicrohttpd: the daemon (epoll,
 * a thread pool, TLS when a certificate is given), routing of /api/v1,
 * bounded request bodies (refused with 413 from Content-Length before any
 * byte is buffered; a chunked body that grows past its limit closes the
 * connection), the per-address rate limit, JSON replies, and the run loop
 * that stops on SIGINT or SIGTERM.
 */
#include "server/server_internal.h"
#include "store/fleet_bundles.h"
#include "store/incidents.h"
#include "core/i18n.h"
#include "server/dash.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "fleet/proto.h"
#include "fleet/task.h"
#include "store/fleet.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_PEM (1u << 20)

typedef struct route {
	const char *method;
	const char *path;
	bool prefix;               /* path is a prefix followed by an id */
	size_t limit;              /* largest body */
	void (*handle)(rs_server *srv, rs_request *req, rs_reply *reply);
	bool spooled;              /* the body goes to a temporary file, not memory */
} route;

static const route routes[] = {
	{ "POST", RS_FLEET_API "/enroll", false, RS_FLEET_MAX_BODY_OTHER, rs_handle_enroll, false },
	{ "POST", RS_FLEET_API "/checkin", false, RS_FLEET_MAX_BODY_OTHER, rs_handle_checkin, false },
	{ "POST", RS_FLEET_API "/results", false, RS_FLEET_MAX_BODY_RESULTS, rs_handle_results, false },
	{ "GET", RS_FLEET_API "/hosts", false, RS_FLEET_MAX_BODY_OTHER, rs_handle_hosts, false },
	{ "GET", RS_FLEET_API "/hosts/", true, RS_FLEET_MAX_BODY_OTHER, rs_handle_host, false },
	{ "GET", RS_FLEET_API "/findings", false, RS_FLEET_MAX_BODY_OTHER, rs_handle_findings, false },
	{ "POST", RS_FLEET_API "/tasks", false, RS_TASK_MAX_BODY, rs_handle_task_create, false },
	{ "GET", RS_FLEET_API "/tasks", false, RS_FLEET_MAX_BODY_OTHER, rs_handle_task_list, false },
	{ "POST", RS_FLEET_API "/tasks/approve", false, RS_FLEET_MAX_BODY_OTHER, rs_handle_task_approve, false },
	{ "POST", RS_FLEET_API "/tasks/report", false, RS_FLEET_MAX_BODY_OTHER, rs_handle_task_report, false },
	{ "GET", RS_FLEET_API "/tokens", false, RS_FLEET_MAX_BODY_OTHER, rs_handle_tokens, false },
	{ "GET", RS_FLEET_API "/bundles", false, RS_FLEET_MAX_BODY_OTHER, rs_handle_bundle_list, false },
	{ "GET", RS_FLEET_API "/bundles/", true, RS_FLEET_MAX_BODY_OTHER, rs_handle_bundle_get, false },
	{ "POST", RS_FLEET_API "/bundles/", true, RS_FLEET_BUNDLE_MAX, rs_handle_bundle_upload, true },
};

/* Every path outside the API is the dashboard's (server/dash.c); its form
 * bodies are small. */
static const route dashboard_route = { "*", "/", true, 64 * 1024, rs_handle_dashboard, false };

void rs_server_config_defaults(rs_server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen = "0.0.0.0:8443";
	cfg->workers = 2;
	cfg->agent_rate = 2;
	cfg->agent_burst = 20;
	cfg->addr_rate = 200;
	cfg->addr_burst = 400;
	cfg->checkin_interval = 300;
	cfg->scan_interval = 86400;
}

long long rs_server_now(void)
{
	return (long long)time(NULL);
}

double rs_server_mono(void)
{
	return (double)rs_monotonic_ms() / 1000.0;
}

int rs_reply_error(rs_reply *reply, unsigned int status, const char *code, const char *message)
{
	json_decref(reply->body);
	reply->status = status;
	reply->body = json_pack("{s:s,s:s}", "error", code, "message", message);
	return -1;
}

int rs_reply_json(rs_reply *reply, unsigned int status, json_t *body)
{
	json_decref(reply->body);
	reply->status = status;
	reply->body = body;
	return 0;
}

const char *rs_request_header(const rs_request *req, const char *name)
{
	return rs_mhd.lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *rs_request_arg(const rs_request *req, const char *name)
{
	return rs_mhd.lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *info =
		rs_mhd.get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, size, "unknown");
	if (!info || !info->client_addr)
		return;
	const struct sockaddr *sa = info->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
}

/* True for a 429 when one was logged this second already: a flood must
 * not become a flood of log lines. */
static bool flood_quiet(unsigned int status)
{
	static _Atomic long long last_logged;
	if (status != MHD_HTTP_TOO_MANY_REQUESTS)
		return false;
	long long now = rs_server_now();
	long long last = atomic_exchange(&last_logged, now);
	return last == now;
}

static void add_html_headers(struct MHD_Response *resp)
{
	rs_mhd.add_response_header(resp, "Content-Security-Policy",
		"default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	rs_mhd.add_response_header(resp, "X-Content-Type-Options", "nosniff");
	rs_mhd.add_response_header(resp, "X-Frame-Options", "DENY");
	rs_mhd.add_response_header(resp, "Referrer-Policy", "same-origin");
}

/* A dashboard reply: HTML, CSV, CSS or a redirect, with its cookies. */
static enum MHD_Result send_raw(rs_request *req, rs_reply *reply)
{
	struct MHD_Response *resp = rs_mhd.create_response_from_buffer(reply->raw_len, reply->raw,
								      MHD_RESPMEM_MUST_FREE);
	reply->raw = NULL;
	rs_mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				reply->content_type ? reply->content_type : "text/html; charset=utf-8");
	rs_mhd.add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (reply->html)
		add_html_headers(resp);
	if (reply->disposition)
		rs_mhd.add_response_header(resp, "Content-Disposition", reply->disposition);
	if (reply->sha256[0])
		rs_mhd.add_response_header(resp, "X-Rasoat-SHA256", reply->sha256);
	if (reply->location)
		rs_mhd.add_response_header(resp, MHD_HTTP_HEADER_LOCATION, reply->location);
	if (reply->retry_after > 0) {
		char secs[24];
		snprintf(secs, sizeof(secs), "%d", reply->retry_after);
		rs_mhd.add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, secs);
	}
	for (size_t i = 0; i < sizeof(reply->set_cookie) / sizeof(reply->set_cookie[0]); i++)
		if (reply->set_cookie[i])
			rs_mhd.add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, reply->set_cookie[i]);
	if (reply->status >= 400 && reply->status != 404 && !flood_quiet(reply->status))
		rs_warn(_("refused %s %s from %s: %u"), req->method, req->url, req->addr, reply->status);
	enum MHD_Result rc = rs_mhd.queue_response(req->conn, reply->status, resp);
	rs_mhd.destroy_response(resp);
	rs_reply_clear(reply);
	return rc;
}

void rs_reply_clear(rs_reply *reply)
{
	free(reply->raw);
	reply->raw = NULL;
	free(reply->location);
	reply->location = NULL;
	for (size_t i = 0; i < sizeof(reply->set_cookie) / sizeof(reply->set_cookie[0]); i++) {
		free(reply->set_cookie[i]);
		reply->set_cookie[i] = NULL;
	}
	json_decref(reply->body);
	reply->body = NULL;
}

static enum MHD_Result send_reply(rs_request *req, rs_reply *reply)
{
	if (reply->raw)
		return send_raw(req, reply);
	if (!reply->body)
		reply->body = json_object();
	char *text = json_dumps(reply->body, JSON_COMPACT);
	size_t len = text ? strlen(text) : 0;
	struct MHD_Response *resp = rs_mhd.create_response_from_buffer(len, text ? text : (char *)"",
		text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	rs_mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	rs_mhd.add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (reply->retry_after > 0) {
		char secs[24];
		snprintf(secs, sizeof(secs), "%d", reply->retry_after);
		rs_mhd.add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, secs);
	}
	if (reply->status >= 400 && reply->status != 404 && !flood_quiet(reply->status)) {
		const char *code = json_string_value(json_object_get(reply->body, "error"));
		rs_warn(_("refused %s %s from %s: %u %s"), req->method, req->url, req->addr, reply->status,
			code ? code : "");
	}
	enum MHD_Result rc = rs_mhd.queue_response(req->conn, reply->status, resp);
	rs_mhd.destroy_response(resp);
	json_decref(reply->body);
	reply->body = NULL;
	return rc;
}

/* The route of METHOD URL; NULL with a 404 or 405 reply. */
static const route *find_route(const char *method, const char *url, rs_reply *reply)
{
	bool path_known = false;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const route *r = &routes[i];
		bool match = r->prefix ? rs_starts_with(url, r->path) && url[strlen(r->path)] != '\0' :
					 strcmp(url, r->path) == 0;
		if (!match)
			continue;
		path_known = true;
		if (strcmp(method, r->method) == 0)
			return r;
	}
	if (!path_known && !rs_starts_with(url, "/api/"))
		return &dashboard_route;
	if (path_known)
		rs_reply_error(reply, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
			       "this path does not take that method; see docs/FLEET.md");
	else
		rs_reply_error(reply, MHD_HTTP_NOT_FOUND, "not_found", "no such API path; see docs/FLEET.md");
	return NULL;
}

/* Checks made when the headers are in, before any body byte is read. */
static int early_checks(rs_server *srv, rs_request *req, rs_reply *reply)
{
	int wait = rs_ratelimit_take(srv->per_addr, req->addr, rs_server_mono());
	if (wait > 0) {
		reply->retry_after = wait;
		return rs_reply_error(reply, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited",
				      "too many requests from this address; retry after the time given");
	}
	const route *r = find_route(req->method, req->url, reply);
	if (!r)
		return -1;
	req->route = r;
	req->path = r->prefix ? req->url : r->path;   /* a prefix route signs its id too */
	req->limit = r->limit;
	const char *length = rs_request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (length) {
		char *end = NULL;
		errno = 0;
		unsigned long long n = strtoull(length, &end, 10);
		if (errno || end == length || *end || n > req->limit)
			return rs_reply_error(reply, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large",
					      "the body is larger than this request allows (see docs/FLEET.md)");
	}
	return 0;
}

void rs_request_defer(rs_request *req, rs_write_job *job,
		      void (*finish)(rs_server *srv, rs_request *req, rs_reply *reply),
		      void *state, void (*state_free)(void *state))
{
	req->job = job;
	req->finish = finish;
	req->state = state;
	req->state_free = state_free;
}

/* The handler left its write to the group commit: the connection waits
 * suspended (this thread goes on with other connections) and is resumed
 * when the write is committed; a stopping server runs it here. */
static enum MHD_Result defer_write(rs_server *srv, rs_request *req, rs_reply *reply)
{
	if (rs_group_submit(srv, req->job, req->conn)) {
		req->suspended = true;
		return MHD_YES;
	}
	(void)rs_group_write(srv, req->job);
	req->finish(srv, req, reply);
	if (reply->status == 0)
		rs_reply_error(reply, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "no reply");
	return send_reply(req, reply);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	rs_server *srv = cls;
	rs_request *req = *con_cls;
	rs_reply reply = { 0 };
	if (!req) {
		req = rs_calloc(1, sizeof(*req));
		*con_cls = req;
		req->conn = conn;
		req->method = method;
		req->url = url;
		client_address(conn, req->addr, sizeof(req->addr));
		if (early_checks(srv, req, &reply) < 0)
			return send_reply(req, &reply);
		if (((const route *)req->route)->spooled) {
			/* nothing reaches the disk from a request that names no
			 * enrolled agent */
			if (rs_agent_precheck(srv, req, &reply) < 0)
				return send_reply(req, &reply);
			char err[512];
			if (rs_upload_spool_open(&req->spool, err, sizeof(err)) < 0) {
				rs_error("%s", err);
				rs_reply_error(&reply, MHD_HTTP_SERVICE_UNAVAILABLE, "spool", "the server cannot store uploads now; retry later");
				reply.retry_after = 60;
				return send_reply(req, &reply);
			}
			req->spooled = true;
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!req->route || *upload_data_size > req->limit - req->len)
			return MHD_NO; /* a chunked body past its limit: close the connection */
		if (req->spooled) {   /* to disk as it arrives; a full disk closes the connection */
			if (rs_upload_spool_write(&req->spool, upload_data, *upload_data_size) < 0)
				return MHD_NO;
			req->len += *upload_data_size;
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (req->len + *upload_data_size + 1 > req->cap) {
			/* doubling, so a large body is copied a bounded number of times */
			size_t cap = req->cap ? req->cap : 16384;
			while (cap < req->len + *upload_data_size + 1)
				cap *= 2;
			req->cap = cap < req->limit + 1 ? cap : req->limit + 1;
			req->body = rs_realloc(req->body, req->cap);
		}
		memcpy(req->body + req->len, upload_data, *upload_data_size);
		req->len += *upload_data_size;
		req->body[req->len] = '\0';
		*upload_data_size = 0;
		return MHD_YES;
	}
	const route *r = req->route;
	if (!r)
		return MHD_NO;
	if (req->suspended) {
		/* resumed: the group commit has run the handler's write */
		req->suspended = false;
		rs_group_unsuspended(srv);
		req->finish(srv, req, &reply);
	} else {
		if (req->spooled)
			rs_upload_spool_finish(&req->spool);
		r->handle(srv, req, &reply);
		if (req->job && reply.status == 0)
			return defer_write(srv, req, &reply);
	}
	if (reply.status == 0)
		rs_reply_error(&reply, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "no reply");
	return send_reply(req, &reply);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)conn;
	(void)toe;
	rs_server *srv = cls;
	rs_request *req = *con_cls;
	if (!req)
		return;
	if (req->suspended)   /* ended while its write waited: never answered */
		rs_group_unsuspended(srv);
	if (req->state_free)
		req->state_free(req->state);
	if (req->spooled)
		rs_upload_spool_close(&req->spool);
	free(req->body);
	free(req);
	*con_cls = NULL;
}

/* "ADDR:PORT" or "[V6]:PORT" into SS. */
static int parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	const char *colon = strrchr(text, ':');
	long port;
	if (!colon || !rs_parse_long(colon + 1, &port) || port < 0 || port > 65535)
		return -1;
	char host[64];
	size_t hlen = (size_t)(colon - text);
	if (hlen >= sizeof(host))
		return -1;
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	if (hlen > 2 && host[0] == '[' && host[hlen - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		host[hlen - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 : -1;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	*len = sizeof(*s4);
	return inet_pton(AF_INET, host, &s4->sin_addr) == 1 ? 0 : -1;
}

/* Reads a small PEM file whole, NUL-terminated. */
static char *read_pem(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_PEM) {
		rs_error(_("%s: cannot read the TLS file: %s; give a PEM file with --tls-cert / --tls-key"),
			 path, fd < 0 ? strerror(errno) : "not a regular file of at most 1 MiB");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *text = rs_malloc((size_t)st.st_size + 1);
	ssize_t n = read(fd, text, (size_t)st.st_size);
	close(fd);
	if (n != (ssize_t)st.st_size) {
		rs_error(_("%s: cannot read the TLS file whole; give a PEM file"), path);
		free(text);
		return NULL;
	}
	text[n] = '\0';
	return text;
}

static struct MHD_Daemon *start_daemon(rs_server *srv, const struct sockaddr_storage *ss,
				       char *cert, char *key)
{
	unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cert)
		flags |= MHD_USE_TLS;
	unsigned int workers = (unsigned int)(srv->cfg.workers > 0 ? srv->cfg.workers : 1);
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, key },
		{ MHD_OPTION_END, 0, NULL },
	};
	return rs_mhd.start_daemon(flags, 0, NULL, NULL, on_request, srv,
		MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
		MHD_OPTION_THREAD_POOL_SIZE, workers,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_CONNECTION_TIMEOUT, 30u,
		MHD_OPTION_CONNECTION_LIMIT, 1000u,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
		MHD_OPTION_ARRAY, cert ? tls : tls + 2,   /* plain HTTP: no TLS options */
		MHD_OPTION_END);
}

/* Blocks until SIGINT or SIGTERM. */
static void wait_for_stop(const sigset_t *stop)
{
	int sig;
	while (sigwait(stop, &sig) != 0)
		;
}

/* A fleet on PostgreSQL keeps its incident records there too (unless
 * --incidents names another store): a connection of their own. */
static int open_pg_incidents(rs_server *srv, const rs_server_config *cfg)
{
	if (cfg->incidents_db || !rs_store_is_pg_url(cfg->db_path))
		return 0;
	if (rs_store_open_incidents(cfg->db_path, &srv->incidents) < 0) {
		rs_error(_("%s: cannot open the incident records in the fleet's database"), rs_db_name(srv->store));
		return -1;
	}
	return 0;
}

static int open_server(rs_server *srv, const rs_server_config *cfg)
{
	memset(srv, 0, sizeof(*srv));
	srv->cfg = *cfg;
	/* the incident records (`rasoat incident --db PATH`) for the dashboard */
	if (cfg->incidents_db && rs_store_open_incidents(cfg->incidents_db, &srv->incidents) < 0) {
		rs_error(_("--incidents %s: cannot open the incident store; give the file `rasoat incident --db` uses"),
			 cfg->incidents_db);
		return -1;
	}
	char err[1024];
	if (rs_db_open(cfg->db_path, &srv->store, err, sizeof(err)) < 0) {
		rs_error("%s", err);
		return -1;
	}
	if (open_pg_incidents(srv, cfg) < 0)
		return -1;
	if (rs_fleet_store_durable(srv->store) < 0)
		return -1;
	pthread_mutex_init(&srv->db_lock, NULL);
	if (rs_group_commit_init(srv) < 0) {
		pthread_mutex_destroy(&srv->db_lock);
		return -1;
	}
	srv->per_agent = rs_ratelimit_new(cfg->agent_rate, cfg->agent_burst);
	srv->per_addr = rs_ratelimit_new(cfg->addr_rate, cfg->addr_burst);
	srv->logins = rs_ratelimit_new(RS_DASH_LOGIN_RATE, RS_DASH_LOGIN_BURST);
	srv->keys = rs_keycache_new();
	rs_bundle_retention(srv);
	return 0;
}

static void close_server(rs_server *srv)
{
	if (srv->per_agent) {
		rs_group_commit_free(srv);
		pthread_mutex_destroy(&srv->db_lock);
		rs_ratelimit_free(srv->per_agent);
		rs_ratelimit_free(srv->per_addr);
		rs_ratelimit_free(srv->logins);
		rs_keycache_free(srv->keys);
	}
	if (srv->incidents)
		rs_store_close(srv->incidents);
	rs_db_close(srv->store);
}

int rs_server_run(const rs_server_config *cfg)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (parse_listen(cfg->listen, &ss, &sslen) < 0) {
		rs_error(_("--listen %s: not ADDR:PORT (e.g. 0.0.0.0:8443 or [::]:8443)"), cfg->listen);
		return -1;
	}
	if (!cfg->tls_cert != !cfg->tls_key) {
		rs_error(_("give both --tls-cert and --tls-key, or neither (plain HTTP)"));
		return -1;
	}
	char lib_err[512];
	if (rs_mhd_load(lib_err, sizeof(lib_err)) < 0) {
		rs_error("%s", lib_err);
		return -1;
	}
	char *cert = cfg->tls_cert ? read_pem(cfg->tls_cert) : NULL;
	char *key = cfg->tls_key ? read_pem(cfg->tls_key) : NULL;
	if (cfg->tls_cert && (!cert || !key)) {
		free(cert);
		free(key);
		return -1;
	}
	rs_server srv;
	int rc = -1;
	sigset_t stop;
	rs_dash_texts_init(); /* switches gettext's language: before any thread */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	signal(SIGPIPE, SIG_IGN);
	pthread_sigmask(SIG_BLOCK, &stop, NULL); /* the daemon's threads inherit the mask */
	if (open_server(&srv, cfg) == 0) {
		struct MHD_Daemon *d = start_daemon(&srv, &ss, cert, key);
		if (!d) {
			rs_error(_("cannot serve on %s: %s; is the port in use, or the TLS key wrong?"),
				 cfg->listen, strerror(errno));
		} else {
			const union MHD_DaemonInfo *info = rs_mhd.get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
			fprintf(stderr, "rasoat server: listening on %s://%s (port %u), database %s\n",
				cert ? "https" : "http", cfg->listen, info ? info->port : 0, cfg->db_path);
			wait_for_stop(&stop);
			fprintf(stderr, _("rasoat server: stopping\n"));
			/* libmicrohttpd must not stop with a connection suspended */
			rs_group_commit_quiesce(&srv);
			rs_mhd.stop_daemon(d);
			rc = 0;
		}
	}
	close_server(&srv);
	if (key)
		sodium_memzero(key, strlen(key));
	free(cert);
	free(key);
	return rc;
}
