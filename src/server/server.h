/*
 * server.h — `rasoat server`: the fleet server. It serves the /api/v1 JSON
 * API (docs/FLEET.md) over HTTP or HTTPS with libmicrohttpd, on one store
 * shared by its worker threads, until SIGINT or SIGTERM.
 */
#ifndef RS_SERVER_H
#define RS_SERVER_H

#include <stddef.h>

typedef struct rs_server_config {
	const char *listen;        /* "ADDR:PORT" or "[V6]:PORT"; default 0.0.0.0:8443 */
	const char *db_path;       /* the --db URL: sqlite:PATH, PATH or postgresql://… */
	const char *tls_cert;      /* PEM files; both or neither */
	const char *tls_key;
	const char *incidents_db;  /* the SQLite store `rasoat incident --db` keeps incident records in;
				    * NULL: the fleet's own store when it is SQLite */
	int workers;               /* thread pool size (>= 1) */
	double agent_rate, agent_burst;   /* requests a second per agent */
	double addr_rate, addr_burst;     /* requests a second per client address */
	int checkin_interval;      /* seconds between an agent's check-ins */
	int scan_interval;         /* seconds between an agent's scans */
	int task_redeliver;        /* seconds after which a task handed out but never reported is
	                              handed out again at the agent's check-in (0: twice the
	                              check-in interval, at least 60) */
	int bundle_keep_days;      /* collect bundles older than this many days are removed
	                              (0: kept until removed by hand) */
} rs_server_config;

void rs_server_config_defaults(rs_server_config *cfg);

/* Runs the server until a signal stops it. Returns 0, or -1 after printing
 * an error (address in use, bad certificate, database). */
int rs_server_run(const rs_server_config *cfg);

/* The pin of the public key in the PEM certificate at PATH (the SHA-256 of
 * its SubjectPublicKeyInfo, 64 hex digits) into PIN. Returns 0 or -1 with
 * the reason in ERR. */
int rs_server_cert_pin(const char *path, char pin[65], char *err, size_t errsize);

#endif
