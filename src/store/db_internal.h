/*
 * db_internal.h — what the two backends of store/db.h share: the connection
 * and statement records and the PostgreSQL half (store/db_pg.c), called by
 * the dispatching functions of store/db.c. Not for use outside src/store/.
 */
#ifndef RS_STORE_DB_INTERNAL_H
#define RS_STORE_DB_INTERNAL_H

#include "store/db.h"
#include "store/store_internal.h"

#include "core/lib_pq.h"

#define RS_DB_CACHE_SIZE 32

struct rs_db {
	rs_db_backend kind;
	rs_store *store;        /* SQLite: the scan store whose connection we use */
	PGconn *pg;             /* PostgreSQL */
	char *conninfo;         /* PostgreSQL: the URL, for reconnecting */
	char *name;
	char err[1024];
	long long changes;
	bool in_tx;
	long long maintained;   /* PostgreSQL: the month (y*12+m) partitions were made for */
	/* statements kept prepared across calls (rs_db_prepare_cached) */
	rs_db_stmt *cache[RS_DB_CACHE_SIZE];
	int pg_generation;      /* PostgreSQL: counts reconnections (server-side
				 * prepared statements die with their session) */
};

struct rs_db_stmt {
	rs_db *db;
	sqlite3_stmt *lite;     /* SQLite */
	bool stepped;
	char *cache_key;        /* the SQL it was cached under; NULL: not cached */
	bool in_use;            /* cached: handed out and not yet given back */
	int cache_index;        /* PostgreSQL: names the server-side statement */
	int pg_prepared;        /* PostgreSQL: pg_generation + 1 it was prepared on; 0: not */
	/* PostgreSQL */
	char *sql;              /* with $N parameters */
	int nparams;
	char **values;
	int *lengths;
	int *formats;
	Oid *types;
	PGresult *res;
	int row;
	unsigned char **blobs;  /* unescaped bytea of the current row, per column */
	size_t *blob_sizes;
};

/* Sets the error of DB (printf-like). */
void rs_db_set_error(rs_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int rs_db_pg_open(rs_db *db, const char *url);
void rs_db_pg_close(rs_db *db);
int rs_db_pg_exec(rs_db *db, const char *sql);
/* Rewrites the ? / ?N parameters of SQL to $N; the highest number to *COUNT.
 * Returns a new string. */
char *rs_db_pg_translate(const char *sql, int *count);
int rs_db_pg_prepare(rs_db_stmt *stmt, const char *sql);
void rs_db_pg_clear_row(rs_db_stmt *stmt);
int rs_db_pg_bind(rs_db_stmt *stmt, int index, const void *data, size_t size, Oid type, int format);
int rs_db_pg_step(rs_db_stmt *stmt);
void rs_db_pg_finalize(rs_db_stmt *stmt);
/* Forgets the bound values of STMT (a cached statement handed back). */
void rs_db_pg_clear_bindings(rs_db_stmt *stmt);
const void *rs_db_pg_blob(rs_db_stmt *stmt, int col, size_t *size);
/* Creates the schema (store/db_pg_schema.c): 0 / -1 with the error in DB. */
int rs_db_pg_migrate(rs_db *db);
/* Creates the partitions around NOW (store/db_pg_schema.c). */
int rs_db_pg_partitions(rs_db *db, long long now);

#endif
