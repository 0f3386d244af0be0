/*
 * driver.c — running, undoing and recovering response actions through
 * their kind and the journal (see driver.h).
 */
#include "respond/driver.h"
#include "core/crashpoint.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "store/actions.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Fields of a line that what apply learned (AFTER) must not replace. */
static const char *const reserved_fields[] = {
	"type", "id", "time", "action", "target", "state", "dry_run", "scan", "finding",
	"operator", "root", "before", "undo", "prev", "error", "recovered", "undoing",
	"mitigation", "reason", "plan", "changes", "rolled_back", "undo_error", NULL,
};

void rs_action_new_id(char id[40])
{
	unsigned char bytes[16];
	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes)) {
		/* ids must be unique, not secret: time, pid and a counter will do */
		static unsigned counter;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 24) ^
				       ((unsigned long long)getpid() << 44) ^ ++counter;
		for (size_t i = 0; i < sizeof(bytes); i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
			bytes[i] = (unsigned char)(x >> 56);
	}
	memcpy(id, "a-", 2);
	for (size_t i = 0; i < sizeof(bytes); i++)
		snprintf(id + 2 + 2 * i, 3, "%02x", bytes[i]);
}

const rs_action_kind *rs_driver_kind(const rs_driver *d, const char *name)
{
	if (!d->kinds)
		return rs_action_kind_find(name);
	for (size_t i = 0; name && d->kinds[i]; i++)
		if (strcmp(d->kinds[i]->name, name) == 0)
			return d->kinds[i];
	return NULL;
}

void rs_action_result_free(rs_action_result *r)
{
	json_decref(r->line);
	json_decref(r->describe);
	r->line = NULL;
	r->describe = NULL;
}

/* Points d->ctx->host at the root the action LINE acted on when that is not
 * the session's (an action applied with --root is undone inside the same
 * root). Returns 1 when it switched (TMP then holds the host), 0 when not
 * needed, -1 with ERR when the root cannot be opened. */
static int enter_root(rs_driver *d, const json_t *line, rs_host *tmp, const rs_host **saved,
		      char *err, size_t errsize)
{
	*saved = d->ctx->host;
	const char *root = json_string_value(json_object_get(line, "root"));
	if (!root || strcmp(root, d->ctx->host->root) == 0)
		return 0;
	if (rs_host_init(tmp, root, NULL) < 0) {
		snprintf(err, errsize, _("the action acted inside the root %s, which cannot be opened "
			 "now; mount it there again and retry"), root);
		return -1;
	}
	d->ctx->host = tmp;
	return 1;
}

static void leave_root(rs_driver *d, rs_host *tmp, const rs_host *saved, int entered)
{
	if (entered > 0)
		rs_host_free(tmp);
	d->ctx->host = saved;
}

/* The kind's undo of the action LINE, inside the root it acted on. */
static int undo_in_root(rs_driver *d, const rs_action_kind *kind, const json_t *line, char *err,
			size_t errsize)
{
	rs_host tmp;
	const rs_host *saved;
	int entered = enter_root(d, line, &tmp, &saved, err, errsize);
	if (entered < 0)
		return -1;
	int rc = kind->undo(d->ctx, json_object_get(line, "target"), json_object_get(line, "before"),
			    err, errsize);
	leave_root(d, &tmp, saved, entered);
	return rc;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A copy of LINE (a journaled line) for its next state: STATE, a new time,
 * no "prev", no transient marks. */
static json_t *next_line(const json_t *line, const char *state)
{
	json_t *next = json_deep_copy(line);
	char now[32];
	rs_now_iso8601(now, sizeof(now));
	json_object_set_new(next, "time", json_string(now));
	json_object_set_new(next, "state", json_string(state));
	json_object_del(next, "prev");
	json_object_del(next, "undoing");
	json_object_del(next, "recovered");
	json_object_del(next, "undo_error");
	return next;
}

/* Whether LINE is one the store records: a final state, not "planned" nor
 * the "applied" that marks an undo in progress. */
static bool recorded_in_store(const json_t *line)
{
	const char *state = json_string_value(json_object_get(line, "state"));
	return state && strcmp(state, "planned") != 0 && !json_is_true(json_object_get(line, "undoing"));
}

/* Appends LINE to the journal and, when it is a final state (not
 * "planned", not the "applied" that marks an undo in progress), to the
 * store. Returns 0 or -1 with ERR. */
static int write_line(rs_driver *d, json_t *line, char *err, size_t errsize)
{
	int rc = rs_journal_append(d->journal, line, err, errsize);
	if (rc == 0 && d->store && recorded_in_store(line) && rs_store_record_action(d->store, line) < 0)
		rs_warn(_("action %s is journaled in %s but could not be recorded in the scan database"),
			json_string_value(json_object_get(line, "id")), rs_journal_path(d->journal));
	return rc;
}

static json_t *planned_line(rs_driver *d, const rs_action_request *req, const char *id,
			    json_t *before, json_t *describe)
{
	char now[32];
	rs_now_iso8601(now, sizeof(now));
	json_t *line = json_object();
	json_object_set_new(line, "type", json_string("action"));
	json_object_set_new(line, "id", json_string(id));
	json_object_set_new(line, "time", json_string(now));
	json_object_set_new(line, "action", json_string(req->kind->name));
	json_object_set(line, "target", (json_t *)req->target);
	json_object_set_new(line, "state", json_string("planned"));
	json_object_set_new(line, "dry_run", json_boolean(d->ctx->dry_run));
	json_object_set_new(line, "scan", string_or_null(req->scan));
	json_object_set_new(line, "finding", string_or_null(req->finding));
	json_object_set_new(line, "operator", string_or_null(d->ctx->operator_name));
	json_object_set_new(line, "root", json_string(d->ctx->host->root));
	json_object_set_new(line, "mitigation", string_or_null(req->kind->mitigation));
	if (req->reason)
		json_object_set_new(line, "reason", json_string(req->reason));
	if (req->plan)
		json_object_set_new(line, "plan", json_string(req->plan));
	json_object_set(line, "before", before);
	json_object_set(line, "changes", describe);
	json_object_set_new(line, "undo", string_or_null(req->kind->undo_text));
	return line;
}

/* The "applied" line: PLANNED's next state with AFTER's facts merged in. */
static json_t *applied_line(const json_t *planned, const json_t *after)
{
	json_t *line = next_line(planned, "applied");
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)after, key, value) {
		bool reserved = false;
		for (const char *const *r = reserved_fields; *r && !reserved; r++)
			reserved = strcmp(*r, key) == 0;
		if (!reserved)
			json_object_set(line, key, value);
	}
	return line;
}

/* After a failed apply: undo whatever part of it ran, then "failed". */
static int fail_after_apply(rs_driver *d, const rs_action_request *req, const json_t *planned,
			    const json_t *before, rs_action_result *res)
{
	char undo_err[1024] = "";
	int undone = req->kind->undo(d->ctx, req->target, before, undo_err, sizeof(undo_err));
	json_t *line = next_line(planned, "failed");
	json_object_set_new(line, "error", json_string(res->error));
	json_object_set_new(line, "rolled_back", json_boolean(undone == 0));
	if (undone != 0)
		json_object_set_new(line, "undo_error", json_string(undo_err));
	res->state = "failed";
	char err[1024];
	if (write_line(d, line, err, sizeof(err)) < 0) {
		json_decref(line);
		snprintf(res->error + strlen(res->error), sizeof(res->error) - strlen(res->error),
			 "; and %s", err);
		return -1;
	}
	res->line = line;
	return -1;
}

static int apply_planned(rs_driver *d, const rs_action_request *req, json_t *planned,
			 const json_t *before, rs_action_result *res)
{
	json_t *after = json_object();
	rs_crashpoint("respond.apply");
	int rc = req->kind->apply(d->ctx, req->target, before, after, res->error, sizeof(res->error));
	if (rc < 0) {
		json_decref(after);
		return fail_after_apply(d, req, planned, before, res);
	}
	json_t *line = applied_line(planned, after);
	json_decref(after);
	if (write_line(d, line, res->error, sizeof(res->error)) < 0) {
		/* the change is made but not journaled: the next start sees the
		 * "planned" line and rolls it back, so the host never stays in
		 * a state the journal does not name */
		json_decref(line);
		res->state = "failed";
		return -1;
	}
	res->state = "applied";
	res->line = line;
	return 0;
}

int rs_driver_run(rs_driver *d, const rs_action_request *req, rs_action_result *res)
{
	memset(res, 0, sizeof(*res));
	res->state = "refused";
	res->describe = json_array();
	json_t *before = json_object();
	/* the id exists before prepare, so a kind can tag what it adds with it
	 * (block, isolate: ctx->action_id) */
	rs_action_new_id(res->id);
	d->ctx->action_id = res->id;
	if (req->kind->prepare(d->ctx, req->target, before, res->describe, res->error,
			       sizeof(res->error)) < 0) {
		d->ctx->action_id = NULL;
		res->id[0] = '\0';
		json_decref(before);
		return -1;
	}
	json_t *planned = planned_line(d, req, res->id, before, res->describe);
	if (write_line(d, planned, res->error, sizeof(res->error)) < 0) {
		d->ctx->action_id = NULL;
		res->id[0] = '\0';
		json_decref(planned);
		json_decref(before);
		return -1;
	}
	int rc = 0;
	if (d->ctx->dry_run) {
		res->state = "planned";
		res->line = json_incref(planned);
	} else {
		rc = apply_planned(d, req, planned, before, res);
	}
	d->ctx->action_id = NULL;
	json_decref(planned);
	json_decref(before);
	return rc;
}

/* Undoes the action whose latest line APPLIED is "applied" (possibly with
 * undoing:true from an interrupted undo); RECOVERED marks a crash recovery. */
static int undo_applied(rs_driver *d, const rs_action_kind *kind, const json_t *applied,
			bool recovered, char *msg, size_t msgsize)
{
	const char *id = json_string_value(json_object_get(applied, "id"));
	if (!json_is_true(json_object_get(applied, "undoing"))) {
		json_t *undoing = next_line(applied, "applied");
		json_object_set_new(undoing, "undoing", json_true());
		int rc = write_line(d, undoing, msg, msgsize);
		json_decref(undoing);
		if (rc < 0)
			return -1;
	}
	char err[1024] = "";
	if (undo_in_root(d, kind, applied, err, sizeof(err)) < 0) {
		/* back to plain "applied", with why, so the operator can retry */
		json_t *line = next_line(applied, "applied");
		json_object_set_new(line, "undo_error", json_string(err));
		int rc = write_line(d, line, msg, msgsize);
		json_decref(line);
		if (rc == 0)
			snprintf(msg, msgsize, _("%s: cannot undo: %s"), id, err);
		return -1;
	}
	json_t *line = next_line(applied, "undone");
	if (recovered)
		json_object_set_new(line, "recovered", json_true());
	int rc = write_line(d, line, msg, msgsize);
	json_decref(line);
	if (rc == 0)
		snprintf(msg, msgsize, _("%s: undone (%s)"), id, kind->undo_text ? kind->undo_text : "");
	return rc;
}

int rs_driver_undo(rs_driver *d, const char *id, char *msg, size_t msgsize)
{
	const json_t *latest = rs_journal_latest(d->journal, id);
	if (!latest) {
		snprintf(msg, msgsize, _("%s: no such action in %s; see `rasoat respond list`"), id,
			 rs_journal_path(d->journal));
		return -1;
	}
	const char *state = json_string_value(json_object_get(latest, "state"));
	if (strcmp(state, "undone") == 0) {
		snprintf(msg, msgsize, _("%s: already undone; nothing to do"), id);
		return 1;
	}
	if (strcmp(state, "failed") == 0) {
		snprintf(msg, msgsize, _("%s: failed and rolled back; nothing to undo"), id);
		return 1;
	}
	if (strcmp(state, "planned") == 0) {
		snprintf(msg, msgsize, _("%s: %s; nothing to undo"), id,
			 json_is_true(json_object_get(latest, "dry_run")) ?
			 "a dry run, it changed nothing" : "never applied");
		return 1;
	}
	const char *name = json_string_value(json_object_get(latest, "action"));
	const rs_action_kind *kind = rs_driver_kind(d, name);
	if (!kind) {
		snprintf(msg, msgsize, _("%s: this rasoat does not know the action \"%s\"; undo it with "
			 "the rasoat that applied it"), id, name);
		return -1;
	}
	return undo_applied(d, kind, latest, false, msg, msgsize);
}

/* Rolls back PLANNED, the latest line of an action a crash interrupted. */
static int recover_planned(rs_driver *d, const rs_action_kind *kind, const json_t *planned)
{
	const char *id = json_string_value(json_object_get(planned, "id"));
	char err[1024] = "";
	if (undo_in_root(d, kind, planned, err, sizeof(err)) < 0) {
		rs_error(_("action %s (%s) was interrupted and cannot be rolled back yet: %s; it is "
			 "retried at the next start"), id, kind->name, err);
		return -1;
	}
	json_t *line = next_line(planned, "failed");
	json_object_set_new(line, "error", json_string("interrupted (rasoat stopped before it "
						       "ended); rolled back"));
	json_object_set_new(line, "rolled_back", json_true());
	json_object_set_new(line, "recovered", json_true());
	int rc = write_line(d, line, err, sizeof(err));
	json_decref(line);
	if (rc < 0)
		rs_error("%s", err);
	else
		rs_warn(_("action %s (%s) was interrupted by a crash; rolled back"), id, kind->name);
	return rc;
}

static int recover_one(rs_driver *d, const json_t *latest)
{
	const char *id = json_string_value(json_object_get(latest, "id"));
	const char *state = json_string_value(json_object_get(latest, "state"));
	bool half_planned = !strcmp(state, "planned") && !json_is_true(json_object_get(latest, "dry_run"));
	bool half_undone = !strcmp(state, "applied") && json_is_true(json_object_get(latest, "undoing"));
	if (!half_planned && !half_undone)
		return 0;
	const char *name = json_string_value(json_object_get(latest, "action"));
	const rs_action_kind *kind = rs_driver_kind(d, name);
	if (!kind) {
		rs_error(_("action %s (%s) was interrupted, but this rasoat does not know the action; "
			 "recover it with the rasoat that started it"), id, name);
		return -1;
	}
	if (half_planned)
		return recover_planned(d, kind, latest) < 0 ? -1 : 1;
	char msg[1200];
	if (undo_applied(d, kind, latest, true, msg, sizeof(msg)) < 0) {
		rs_error(_("the undo of action %s (%s) was interrupted and cannot be finished yet: %s"),
			 id, name, msg);
		return -1;
	}
	rs_warn(_("the undo of action %s (%s) was interrupted by a crash; finished it"), id, name);
	return 1;
}

int rs_driver_recover(rs_driver *d)
{
	/* a copy: recovery appends lines, which changes the index */
	json_t *ids = json_deep_copy(rs_journal_action_ids(d->journal));
	int recovered = 0, failed = 0;
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id) {
		const json_t *latest = rs_journal_latest(d->journal, json_string_value(id));
		json_t *copy = json_deep_copy(latest);
		int rc = recover_one(d, copy);
		json_decref(copy);
		if (rc < 0)
			failed++;
		else
			recovered += rc;
	}
	json_decref(ids);
	return failed ? -1 : recovered;
}

int rs_driver_sync_store(rs_driver *d)
{
	if (!d->store)
		return 0;
	int added = 0;
	size_t i;
	json_t *line;
	json_array_foreach((json_t *)rs_journal_lines(d->journal), i, line) {
		if (!json_is_object(line) || !recorded_in_store(line))
			continue;
		int have = rs_store_action_recorded(d->store, json_string_value(json_object_get(line, "id")),
						    json_string_value(json_object_get(line, "state")),
						    json_string_value(json_object_get(line, "time")));
		if (have < 0 || (have == 0 && rs_store_record_action(d->store, line) < 0))
			return -1;
		added += have == 0;
	}
	return added;
}
