/*
 * store_sink.c — the sink that records a scan into the store. begin writes
 * the scan row marked incomplete and commits it at once, so a scan that is
 * killed shows in the history as incomplete; the findings and the final
 * update that marks the scan complete then go into one transaction, so a
 * "complete" scan always has all its findings. The findings are held in
 * memory until the end and written then, so the write lock is held for
 * the moment of that write, not for the whole scan (two scans started at
 * once against one store both end stored); past PENDING_MAX findings they
 * spill into the transaction, which then stays open to the end (and takes
 * them ROWS_PER_INSERT at a time). A failing
 * write (disk full, database locked) is reported once and the scan goes on
 * without the store.
 */
#include "store/store_internal.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#define PENDING_MAX 4096
/* Findings written by one INSERT when they come in a group (the pending
 * ones): one statement step a group instead of one a finding */
#define ROWS_PER_INSERT 64
/* the columns each row binds (the scan's id, the same for every row, is
 * parameter 1 of a statement, bound once) */
#define ROW_VALUES 7

/* A finding as its row in the findings table: its texts (module, rule,
 * identity, JSON; each NUL-terminated) one after the other, copied into
 * the sink's text blocks, so that holding a finding is one copy and
 * thousands of findings a few allocations. */
typedef struct finding_row {
	char *texts;
	size_t module_len, rule_len, identity_len, json_len;
	int severity, score;
} finding_row;

/* Bytes of a block of held texts (a larger row gets a block of its own). */
#define TEXT_BLOCK (256 * 1024)

typedef struct store_sink_state {
	rs_store *store;
	char scan[33];
	sqlite3_stmt *insert_finding; /* reused for every finding */
	sqlite3_stmt *insert_group;   /* ROWS_PER_INSERT findings at once, reused */
	long long next_seq;
	bool recording;               /* scan row written: findings are kept */
	bool in_transaction;          /* the findings' transaction is open */
	bool keys_unchecked;          /* foreign keys off on the connection (see open_transaction) */
	bool failed;                  /* an error was reported; ignore the rest */
	finding_row *pending;         /* rows not yet written */
	size_t n_pending;
	rs_arena texts;               /* the pending rows' texts */
	rs_buf identity;              /* scratch for a finding's identity */
} store_sink_state;

/* F's row, its texts held by ST; -1 when F's text cannot be written
 * (evidence that is not UTF-8). */
static int row_init(store_sink_state *st, finding_row *row, const rs_finding *f)
{
	rs_buf *identity = &st->identity;
	size_t json_len;
	const char *json = rs_finding_text(f, &json_len); /* rs_finding_to_json's text, as rs_store_bind_json writes it */
	if (!json)
		return -1;
	const char *module = f->module ? f->module : "", *rule = f->rule ? f->rule : "";
	identity->len = 0;
	rs_finding_identity_append(identity, f);
	row->module_len = strlen(module);
	row->rule_len = strlen(rule);
	row->identity_len = identity->len;
	row->json_len = json_len;
	char *p = row->texts = rs_arena_alloc(&st->texts, row->module_len + row->rule_len + row->identity_len + json_len + 4);
	memcpy(p, module, row->module_len + 1);
	p += row->module_len + 1;
	memcpy(p, rule, row->rule_len + 1);
	p += row->rule_len + 1;
	memcpy(p, identity->data, row->identity_len + 1);
	p += row->identity_len + 1;
	memcpy(p, json, json_len);
	p[json_len] = '\0';
	row->severity = (int)f->severity;
	row->score = f->score;
	return 0;
}

/* Binds SEQ and ROW's texts as the row's values from parameter FIRST on
 * (seq, module, rule, severity, score, identity, json: ROW_VALUES); they
 * stay as they are until the row is stepped (so SQLite need not copy them). */
static void row_bind(sqlite3_stmt *stmt, int first, long long seq, const finding_row *row)
{
	const char *p = row->texts;
	sqlite3_bind_int64(stmt, first, seq);
	sqlite3_bind_text(stmt, first + 1, p, (int)row->module_len, SQLITE_STATIC);
	p += row->module_len + 1;
	sqlite3_bind_text(stmt, first + 2, p, (int)row->rule_len, SQLITE_STATIC);
	p += row->rule_len + 1;
	sqlite3_bind_int(stmt, first + 3, row->severity);
	sqlite3_bind_int(stmt, first + 4, row->score);
	sqlite3_bind_text(stmt, first + 5, p, (int)row->identity_len, SQLITE_STATIC);
	p += row->identity_len + 1;
	sqlite3_bind_text(stmt, first + 6, p, (int)row->json_len, SQLITE_STATIC);
}

static void drop_pending(store_sink_state *st)
{
	rs_arena_empty(&st->texts);
	st->n_pending = 0;
}

/* Foreign keys checked again, once the findings' transaction has ended. */
static void check_keys_again(store_sink_state *st)
{
	if (st->keys_unchecked)
		rs_store_exec(st->store, "PRAGMA foreign_keys = ON");
	st->keys_unchecked = false;
}

static void roll_back(store_sink_state *st)
{
	if (st->in_transaction && !sqlite3_get_autocommit(st->store->db))
		rs_store_exec(st->store, "ROLLBACK");
	st->in_transaction = false;
	check_keys_again(st);
	drop_pending(st);
}

/* Reports the first failure, undoes the open transaction and stops
 * recording this scan. */
static void fail(store_sink_state *st, const char *doing)
{
	if (!st->failed)
		rs_error(_("%s: cannot record scan %s (%s): %s; the scan goes on, but it will "
			 "not be complete in the history"), st->store->path, st->scan, doing,
			 sqlite3_errmsg(st->store->db));
	roll_back(st);
	st->failed = true;
	st->recording = false;
}

static int step_done(sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int insert_scan_row(store_sink_state *st, const rs_summary *head)
{
	static const unsigned long no_counts[RS_SEV_COUNT];
	sqlite3_stmt *stmt = rs_store_prepare(st->store,
		"INSERT INTO scans (id, host, root, started, complete, counts, modules, host_info)"
		" VALUES (?, ?, ?, ?, 0, ?, ?, ?)");
	if (!stmt)
		return -1;
	json_t *counts = rs_counts_to_json(no_counts);
	rs_store_bind_text(stmt, 1, st->scan);
	rs_store_bind_text(stmt, 2, head->host);
	rs_store_bind_text(stmt, 3, head->root ? head->root : "/");
	rs_store_bind_text(stmt, 4, head->started);
	rs_store_bind_json(stmt, 5, counts);
	rs_store_bind_json(stmt, 6, head->modules);
	rs_store_bind_json(stmt, 7, head->host_info);
	/* committed without syncing the log (one wait less at the start of
	 * every scan): the row only marks a scan under way; the scan's last
	 * commit syncs the log, this row with it */
	rs_store_exec(st->store, "PRAGMA synchronous = NORMAL");
	int rc = step_done(stmt);
	rs_store_exec(st->store, "PRAGMA synchronous = FULL");
	sqlite3_finalize(stmt);
	json_decref(counts);
	return rc;
}

static int sink_begin(rs_sink *sink, const rs_summary *head)
{
	store_sink_state *st = sink->state;
	if (st->recording)
		roll_back(st);
	snprintf(st->scan, sizeof(st->scan), "%s", head->scan);
	st->next_seq = 0;
	st->recording = false;
	st->failed = false;
	if (insert_scan_row(st, head) < 0) {
		fail(st, _("writing the scan"));
		return 0;
	}
	st->recording = true;
	return 0;
}

/* Opens the findings' transaction (taking the write lock, waiting for
 * another scan's write to end) if it is not open yet.
 * Foreign keys are not checked in it (the pragma works only outside a
 * transaction, so it is set first, and set back when it ends): each
 * finding's key is its scan, which begin wrote, and checking it cost a
 * look-up in the scans' key index a row and, as a failed check undoes only
 * its own statement, a statement journal for each group of rows (the
 * pages a group changes copied before it changes them): a tenth of a
 * stored vuln scan's instructions. The scan row is still there at the
 * commit: the transaction's last statement updates it and the sink fails
 * (rolls back) unless exactly that row changed, and no other writer can
 * remove it meanwhile (the transaction holds the write lock). Nothing else
 * in a scan deletes a scan, so ON DELETE CASCADE is not missed. */
static int open_transaction(store_sink_state *st)
{
	if (st->in_transaction)
		return 0;
	st->keys_unchecked = rs_store_exec(st->store, "PRAGMA foreign_keys = OFF") == 0;
	if (rs_store_exec(st->store, "BEGIN IMMEDIATE") < 0) {
		check_keys_again(st);
		return -1;
	}
	st->in_transaction = true;
	return 0;
}

static int write_row(store_sink_state *st, const finding_row *row)
{
	if (!st->insert_finding) {
		st->insert_finding = rs_store_prepare(st->store,
			"INSERT INTO findings (scan, seq, module, rule, severity, score, identity, json)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
		if (!st->insert_finding)
			return -1;
	}
	sqlite3_bind_text(st->insert_finding, 1, st->scan, -1, SQLITE_STATIC);
	row_bind(st->insert_finding, 2, st->next_seq, row);
	int rc = step_done(st->insert_finding);
	sqlite3_clear_bindings(st->insert_finding); /* nothing left pointing into the row */
	if (rc < 0)
		return -1;
	st->next_seq++;
	return 0;
}

/* "INSERT INTO findings (...) VALUES (?1, ?2, ..., ?8), (?1, ?9, ...), ...":
 * ROWS_PER_INSERT rows, each with the scan's id (?1) and its ROW_VALUES. */
static sqlite3_stmt *prepare_group(rs_store *store)
{
	rs_buf sql;
	rs_buf_init(&sql);
	/* OR FAIL: a failing row stops the statement and keeps the rows before
	 * it, and the sink then rolls back the whole transaction; the default
	 * (ABORT) would first undo the statement, for which SQLite keeps a
	 * statement journal of every group */
	rs_buf_puts(&sql, "INSERT OR FAIL INTO findings (scan, seq, module, rule, severity, score, identity, json) VALUES ");
	for (int r = 0; r < ROWS_PER_INSERT; r++) {
		rs_buf_puts(&sql, r ? ", (?1" : "(?1");
		for (int v = 0; v < ROW_VALUES; v++) {
			char param[16];
			snprintf(param, sizeof(param), ", ?%d", 2 + r * ROW_VALUES + v);
			rs_buf_puts(&sql, param);
		}
		rs_buf_puts(&sql, ")");
	}
	sqlite3_stmt *stmt = rs_store_prepare(store, sql.data);
	rs_buf_free(&sql);
	return stmt;
}

/* Writes ROWS_PER_INSERT rows from ROWS with one statement (numbered on from next_seq). */
static int write_group(store_sink_state *st, const finding_row *rows)
{
	if (!st->insert_group && !(st->insert_group = prepare_group(st->store)))
		return -1;
	sqlite3_bind_text(st->insert_group, 1, st->scan, -1, SQLITE_STATIC);
	for (int r = 0; r < ROWS_PER_INSERT; r++)
		row_bind(st->insert_group, 2 + r * ROW_VALUES, st->next_seq + r, &rows[r]);
	int rc = step_done(st->insert_group);
	sqlite3_clear_bindings(st->insert_group); /* nothing left pointing into the rows */
	if (rc < 0)
		return -1;
	st->next_seq += ROWS_PER_INSERT;
	return 0;
}

/* Writes the findings held in memory, inside the transaction: in groups,
 * the rest one by one. */
static int flush_pending(store_sink_state *st)
{
	if (open_transaction(st) < 0)
		return -1;
	size_t i = 0;
	for (; i + ROWS_PER_INSERT <= st->n_pending; i += ROWS_PER_INSERT)
		if (write_group(st, &st->pending[i]) < 0)
			return -1;
	for (; i < st->n_pending; i++)
		if (write_row(st, &st->pending[i]) < 0)
			return -1;
	drop_pending(st);
	return 0;
}

static int sink_finding(rs_sink *sink, const rs_finding *f)
{
	store_sink_state *st = sink->state;
	if (!st->recording)
		return 0;
	finding_row row;
	if (row_init(st, &row, f) < 0) {
		fail(st, st->in_transaction ? _("writing a finding") : _("keeping a finding"));
		return 0;
	}
	if (!st->pending)
		st->pending = rs_calloc(PENDING_MAX, sizeof(finding_row));
	st->pending[st->n_pending++] = row;
	/* spilled (the transaction is open): into it a group at a time */
	bool spilled = st->in_transaction;
	if (st->n_pending == (spilled ? ROWS_PER_INSERT : PENDING_MAX) && flush_pending(st) < 0)
		fail(st, spilled ? _("writing a finding") : _("writing findings"));
	return 0;
}

/* The summary as stored: its "complete" flag lives in its own column. */
static json_t *stored_summary_json(const rs_summary *summary)
{
	json_t *obj = rs_summary_to_json(summary);
	json_object_del(obj, "complete");
	return obj;
}

static int update_scan_row(store_sink_state *st, const rs_summary *s)
{
	sqlite3_stmt *stmt = rs_store_prepare(st->store,
		"UPDATE scans SET host = ?, root = ?, started = ?, duration_ms = ?, complete = 1,"
		" counts = ?, score = ?, exit_code = ?, modules = ?, host_info = ?, summary = ?"
		" WHERE id = ?");
	if (!stmt)
		return -1;
	json_t *counts = rs_counts_to_json(s->counts);
	json_t *summary = stored_summary_json(s);
	rs_store_bind_text(stmt, 1, s->host);
	rs_store_bind_text(stmt, 2, s->root ? s->root : "/");
	rs_store_bind_text(stmt, 3, s->started);
	sqlite3_bind_int64(stmt, 4, s->duration_ms);
	rs_store_bind_json(stmt, 5, counts);
	sqlite3_bind_int(stmt, 6, s->score);
	sqlite3_bind_int(stmt, 7, s->exit_code);
	rs_store_bind_json(stmt, 8, s->modules);
	rs_store_bind_json(stmt, 9, s->host_info);
	rs_store_bind_json(stmt, 10, summary);
	rs_store_bind_text(stmt, 11, st->scan);
	int rc = step_done(stmt);
	if (rc == 0 && sqlite3_changes(st->store->db) != 1)
		rc = -1;
	sqlite3_finalize(stmt);
	json_decref(counts);
	json_decref(summary);
	return rc;
}

static int sink_end(rs_sink *sink, const rs_summary *summary)
{
	store_sink_state *st = sink->state;
	if (!st->recording)
		return 0;
	if (flush_pending(st) < 0) {
		fail(st, _("writing the findings"));
		return 0;
	}
	if (update_scan_row(st, summary) < 0) {
		fail(st, _("writing the summary"));
		return 0;
	}
	if (rs_store_exec(st->store, "COMMIT") < 0) {
		fail(st, _("committing the findings"));
		return 0;
	}
	st->in_transaction = false;
	check_keys_again(st);
	st->recording = false;
	return 0;
}

/* Without end, the scan's findings are rolled back: it stays incomplete. */
static void sink_destroy(rs_sink *sink)
{
	store_sink_state *st = sink->state;
	if (st->recording)
		roll_back(st);
	drop_pending(st);
	rs_arena_free(&st->texts);
	free(st->pending);
	rs_buf_free(&st->identity);
	sqlite3_finalize(st->insert_finding);
	sqlite3_finalize(st->insert_group);
	free(st);
	free(sink);
}

rs_sink *rs_store_sink_new(rs_store *store)
{
	store_sink_state *st = rs_calloc(1, sizeof(*st));
	rs_arena_init(&st->texts, TEXT_BLOCK);
	st->store = store;
	rs_buf_init(&st->identity);
	rs_sink *sink = rs_calloc(1, sizeof(*sink));
	sink->begin = sink_begin;
	sink->finding = sink_finding;
	sink->check = NULL;
	sink->end = sink_end;
	sink->destroy = sink_destroy;
	sink->state = st;
	return sink;
}
