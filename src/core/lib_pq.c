/*
 * lib_pq.c — the table of libpq's functions and its loading (lib_pq.h).
 */
#include "core/lib_pq.h"
#include "core/dynlib.h"

rs_pq_api rs_pq;

static const rs_dynlib_sym syms[] = {
	{ "PQclear", &rs_pq.clear },
	{ "PQcmdTuples", &rs_pq.cmdTuples },
	{ "PQconnectdb", &rs_pq.connectdb },
	{ "PQdb", &rs_pq.db },
	{ "PQerrorMessage", &rs_pq.errorMessage },
	{ "PQexec", &rs_pq.exec },
	{ "PQexecParams", &rs_pq.execParams },
	{ "PQexecPrepared", &rs_pq.execPrepared },
	{ "PQfinish", &rs_pq.finish },
	{ "PQfreemem", &rs_pq.freemem },
	{ "PQgetisnull", &rs_pq.getisnull },
	{ "PQgetvalue", &rs_pq.getvalue },
	{ "PQhost", &rs_pq.host },
	{ "PQnfields", &rs_pq.nfields },
	{ "PQntuples", &rs_pq.ntuples },
	{ "PQprepare", &rs_pq.prepare },
	{ "PQreset", &rs_pq.reset },
	{ "PQresultErrorMessage", &rs_pq.resultErrorMessage },
	{ "PQresultStatus", &rs_pq.resultStatus },
	{ "PQsetNoticeProcessor", &rs_pq.setNoticeProcessor },
	{ "PQstatus", &rs_pq.status },
	{ "PQunescapeBytea", &rs_pq.unescapeBytea },
};

static rs_dynlib lib = {
	.soname = "libpq.so.5",
	.package = "libpq5",
	.env = "RASOAT_SONAME_LIBPQ",
	.syms = syms,
	.n_syms = sizeof(syms) / sizeof(syms[0]),
};

int rs_pq_load(char *err, size_t errsize)
{
	return rs_dynlib_load(&lib, err, errsize);
}
