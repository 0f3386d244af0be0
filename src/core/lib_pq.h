/*
 * lib_pq.h — libpq (libpq.so.5, Debian package libpq5), loaded on first
 * use (core/dynlib.h): the fleet server's PostgreSQL store (store/db_pg.c).
 * Call rs_pq_load() before any rs_pq function.
 */
#ifndef RS_CORE_LIB_PQ_H
#define RS_CORE_LIB_PQ_H

#include <libpq-fe.h>
#include <stddef.h>

/* The functions rasoat uses, named as in libpq without "PQ". */
typedef struct rs_pq_api {
	__typeof__(PQclear) *clear;
	__typeof__(PQcmdTuples) *cmdTuples;
	__typeof__(PQconnectdb) *connectdb;
	__typeof__(PQdb) *db;
	__typeof__(PQerrorMessage) *errorMessage;
	__typeof__(PQexec) *exec;
	__typeof__(PQexecParams) *execParams;
	__typeof__(PQexecPrepared) *execPrepared;
	__typeof__(PQfinish) *finish;
	__typeof__(PQfreemem) *freemem;
	__typeof__(PQgetisnull) *getisnull;
	__typeof__(PQgetvalue) *getvalue;
	__typeof__(PQhost) *host;
	__typeof__(PQnfields) *nfields;
	__typeof__(PQntuples) *ntuples;
	__typeof__(PQprepare) *prepare;
	__typeof__(PQreset) *reset;
	__typeof__(PQresultErrorMessage) *resultErrorMessage;
	__typeof__(PQresultStatus) *resultStatus;
	__typeof__(PQsetNoticeProcessor) *setNoticeProcessor;
	__typeof__(PQstatus) *status;
	__typeof__(PQunescapeBytea) *unescapeBytea;
} rs_pq_api;

extern rs_pq_api rs_pq;

/* Loads libpq once; 0, or -1 with ERR naming the library and the package
 * to install. */
int rs_pq_load(char *err, size_t errsize);

#endif
