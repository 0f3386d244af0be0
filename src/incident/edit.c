/*
 * edit.c — the changes of an incident after it is opened: notes, links to
 * respond actions and evidence bundles, and state changes through the
 * lifecycle (lifecycle.c), each recorded with who and when.
 */
#include "incident/fields.h"
#include "incident/record.h"
#include "core/digest.h"
#include "core/host.h"
#include "core/i18n.h"
#include "core/util.h"
#include "store/incidents.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTE_MAX 8192

/* Reads the record of ID inside a transaction begun here. 0, or -1 (the
 * transaction is rolled back). */
static int begin(rs_store *store, const char *id, json_t **record, char *err, size_t errsize)
{
	if (rs_store_incident_begin(store, err, errsize) < 0)
		return -1;
	int got = rs_store_incident_get(store, id, record, err, errsize);
	if (got == 1)
		snprintf(err, errsize, _("no incident %s in %s; `rasoat incident list --db %s` lists them"),
			 id, rs_store_db_path(store), rs_store_db_path(store));
	if (got != 0) {
		rs_store_incident_rollback(store);
		return -1;
	}
	return 0;
}

/* Stamps RECORD updated at NOW, stores it and commits; rolls back on error. */
static int finish(rs_store *store, const char *id, json_t *record, int rc, const char *now,
		  char *err, size_t errsize)
{
	if (rc == 0) {
		json_object_set_new(record, "updated", json_string(now));
		rc = rs_store_incident_put(store, id,
					   json_string_value(json_object_get(record, "detected")),
					   record, err, errsize);
	}
	if (rc == 0)
		rc = rs_store_incident_commit(store, err, errsize);
	else
		rs_store_incident_rollback(store);
	json_decref(record);
	return rc;
}

int rs_incident_note(rs_store *store, const char *id, const char *text, const char *operator_name,
		     char *err, size_t errsize)
{
	if (!text || !*text || strlen(text) > NOTE_MAX) {
		snprintf(err, errsize, _("a note holds 1 to %d bytes of text"), NOTE_MAX);
		return -1;
	}
	json_t *record;
	if (begin(store, id, &record, err, errsize) < 0)
		return -1;
	char now[32], who[256];
	rs_incident_time_format(rs_incident_now(), now);
	rs_incident_operator(operator_name, who, sizeof(who));
	int rc = rs_store_incident_event(store, id, now, "note", NULL, who, text, err, errsize);
	return finish(store, id, record, rc, now, err, errsize);
}

int rs_incident_link_action(rs_store *store, const char *id, const char *action_id, char *err,
			    size_t errsize)
{
	char *full = rs_incident_find_action(store, action_id, err, errsize);
	if (!full)
		return -1;
	json_t *record;
	if (begin(store, id, &record, err, errsize) < 0) {
		free(full);
		return -1;
	}
	char now[32];
	rs_incident_time_format(rs_incident_now(), now);
	int rc = rs_store_incident_link(store, id, "action", full, NULL, now, err, errsize);
	free(full);
	return finish(store, id, record, rc < 0 ? -1 : 0, now, err, errsize);
}

/* The SHA-256 of the regular file at PATH (not followed if a symlink). */
static int file_sha256(const char *path, char out[65], char *err, size_t errsize)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, _("%s: cannot read the evidence bundle: %s; give the path of the "
			 "bundle `rasoat collect -o` wrote"), path,
			 fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	unsigned char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	int read_errno = errno;
	unsigned char md[32];
	unsigned int len = 0;
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	close(fd);
	if (n < 0) {
		snprintf(err, errsize, _("%s: cannot read the evidence bundle: %s"), path,
			 strerror(read_errno));
		return -1;
	}
	rs_hex_encode(md, 32, out);
	return 0;
}

int rs_incident_link_evidence(rs_store *store, const char *id, const char *bundle_path, char *err,
			      size_t errsize)
{
	char real[PATH_MAX], sha[65];
	if (!realpath(bundle_path, real)) {
		snprintf(err, errsize, _("%s: no such evidence bundle: %s"), bundle_path, strerror(errno));
		return -1;
	}
	if (file_sha256(real, sha, err, errsize) < 0)
		return -1;
	json_t *record;
	if (begin(store, id, &record, err, errsize) < 0)
		return -1;
	char now[32];
	rs_incident_time_format(rs_incident_now(), now);
	int rc = rs_store_incident_link(store, id, "evidence", real, sha, now, err, errsize);
	return finish(store, id, record, rc < 0 ? -1 : 0, now, err, errsize);
}

int rs_incident_advance(rs_store *store, const char *id, rs_incident_state state,
			const char *operator_name, char *err, size_t errsize)
{
	json_t *record;
	if (begin(store, id, &record, err, errsize) < 0)
		return -1;
	rs_incident_state from;
	const char *current = json_string_value(json_object_get(record, "state"));
	int rc = 0;
	if (rs_incident_state_parse(current, &from) < 0) {
		snprintf(err, errsize, _("incident %s: its stored state \"%s\" is unknown"), id,
			 current ? current : "");
		rc = -1;
	} else if (!rs_incident_transition_allowed(from, state)) {
		char next[128];
		rs_incident_allowed_next(from, next, sizeof(next));
		snprintf(err, errsize, _("incident %s is %s: it cannot move to %s; allowed next: %s"), id,
			 current, rs_incident_state_name(state), next);
		rc = -1;
	}
	char now[32], who[256];
	rs_incident_time_format(rs_incident_now(), now);
	rs_incident_operator(operator_name, who, sizeof(who));
	if (rc == 0)
		rc = rs_store_incident_event(store, id, now, "state", rs_incident_state_name(state), who,
					     NULL, err, errsize);
	if (rc == 0) {
		json_object_set_new(record, "state", json_string(rs_incident_state_name(state)));
		if (state == RS_INCIDENT_CLOSED)
			json_object_set_new(record, "response_ended", json_string(now));
	}
	return finish(store, id, record, rc, now, err, errsize);
}

int rs_incident_link_scan(rs_store *store, const char *id, const char *scan, char *err,
			  size_t errsize)
{
	char full[33];
	if (rs_store_resolve(store, scan, full) < 0) {
		snprintf(err, errsize, _("scan %s: not in %s (see the error above); `rasoat history "
			 "--db %s` lists the stored scans"), scan, rs_store_db_path(store),
			 rs_store_db_path(store));
		return -1;
	}
	json_t *record;
	if (begin(store, id, &record, err, errsize) < 0)
		return -1;
	char now[32];
	rs_incident_time_format(rs_incident_now(), now);
	int rc = rs_store_incident_link(store, id, "scan", full, NULL, now, err, errsize);
	return finish(store, id, record, rc < 0 ? -1 : 0, now, err, errsize);
}
