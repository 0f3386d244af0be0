/*
 * respond_session.c — setting up a respond or quarantine command (see
 * respond_session.h).
 */
#include "cmd/respond_session.h"
#include "core/i18n.h"
#include "drill/run.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *rs_respond_state_dir(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');
	if (!slash)
		return rs_strdup(".");
	if (slash == db_path)
		return rs_strdup("/");
	return rs_strndup(db_path, (size_t)(slash - db_path));
}

void rs_respond_operator(char *buf, size_t size)
{
	const char *sudo_user = getenv("SUDO_USER");
	if (sudo_user && *sudo_user) {
		snprintf(buf, size, "%s", sudo_user);
		return;
	}
	if (getlogin_r(buf, size) == 0 && *buf)
		return;
	struct passwd pw, *found = NULL;
	char pwbuf[4096];
	if (getpwuid_r(geteuid(), &pw, pwbuf, sizeof(pwbuf), &found) == 0 && found)
		snprintf(buf, size, "%s", found->pw_name);
	else
		snprintf(buf, size, "uid %u", (unsigned)geteuid());
}

/* Appends S with control bytes written as \xNN, so a file name cannot
 * move the cursor or forge lines on the operator's terminal. */
static void append_printable(rs_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			rs_buf_printf(b, "\\x%02x", *p);
		else
			rs_buf_append(b, (const char *)p, 1);
	}
}

char *rs_respond_printable(const char *s)
{
	rs_buf b;
	rs_buf_init(&b);
	append_printable(&b, s ? s : "");
	return rs_buf_take(&b);
}

char *rs_respond_target_text(const json_t *target)
{
	rs_buf b;
	rs_buf_init(&b);
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)target, key, value) {
		if (b.len)
			rs_buf_puts(&b, " ");
		if (json_is_string(value)) {
			rs_buf_printf(&b, "%s=", key);
			append_printable(&b, json_string_value(value));
		} else {
			char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
			rs_buf_printf(&b, "%s=%s", key, text ? text : "?");
			free(text);
		}
	}
	return rs_buf_take(&b);
}

static int load_config(rs_respond_session *s, const rs_respond_setup *setup)
{
	rs_config_init(&s->config);
	const char *file = setup->config_file ? setup->config_file : RS_DEFAULT_CONFIG;
	if (rs_config_load(&s->config, file, setup->config_file != NULL) < 0)
		return -1;
	if (setup->db)
		rs_config_set_db(&s->config, setup->db);
	return 0;
}

/* The journal, the quarantine store and (optionally) the scan store. */
static int open_state(rs_respond_session *s)
{
	char err[1024];
	if (rs_journal_open(s->state_dir, &s->journal, err, sizeof(err)) < 0 ||
	    rs_quarantine_open(s->state_dir, &s->quarantine, err, sizeof(err)) < 0) {
		rs_error("%s", err);
		return -1;
	}
	if (rs_store_open(s->config.db_path, &s->store) < 0) {
		s->store = NULL;
		rs_warn(_("%s: actions are journaled in %s but not recorded in the scan database"),
			s->config.db_path, rs_journal_path(s->journal));
	}
	return 0;
}

int rs_respond_session_open(rs_respond_session *s, const rs_respond_setup *setup)
{
	memset(s, 0, sizeof(*s));
	if (load_config(s, setup) < 0) {
		rs_respond_session_close(s);
		return -1;
	}
	s->state_dir = rs_respond_state_dir(s->config.db_path);
	if (rs_host_init(&s->host, setup->root ? setup->root : "/", NULL) < 0) {
		rs_respond_session_close(s);
		return -1;
	}
	s->host_open = true;
	if (open_state(s) < 0) {
		rs_respond_session_close(s);
		return -1;
	}
	rs_respond_operator(s->operator_name, sizeof(s->operator_name));
	s->ctx = (rs_respond_ctx){
		.host = &s->host, .state_dir = s->state_dir, .quarantine = s->quarantine,
		.force = setup->force, .dry_run = setup->dry_run, .operator_name = s->operator_name,
		.management = s->config.management,
	};
	s->driver = (rs_driver){ .ctx = &s->ctx, .journal = s->journal, .store = s->store };
	/* a recovery that fails leaves its action for the next start; the
	 * command itself goes on (the error was printed) */
	if (setup->recover) {
		rs_driver_recover(&s->driver);
		/* drills a crash or a kill left planted (their record's rasoat is gone) */
		rs_drill_recover(&s->driver, s->state_dir);
		if (rs_driver_sync_store(&s->driver) < 0)
			rs_warn(_("%s: the actions table may lack some journaled actions; the journal %s "
				"has them all"), s->config.db_path, rs_journal_path(s->journal));
	}
	return 0;
}

void rs_respond_session_close(rs_respond_session *s)
{
	rs_journal_close(s->journal);
	if (s->quarantine)
		rs_quarantine_close(s->quarantine);
	rs_store_close(s->store);
	if (s->host_open)
		rs_host_free(&s->host);
	free(s->state_dir);
	rs_config_free(&s->config);
	memset(s, 0, sizeof(*s));
}
