/*
 * journal_text.c — reading the respond journal's text (see journal.h):
 * lines, the torn tail, each line's shape and the hash chain. Pure: no
 * file access, so the fuzz target and the unit tests drive it directly.
 */
#include "respond/journal.h"
#include "core/digest.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

static const char zero_hash[65] = "0000000000000000000000000000000000000000000000000000000000000000";

static bool is_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static bool known_state(const char *state)
{
	static const char *const states[] = { "planned", "applied", "failed", "undone", NULL };
	for (const char *const *s = states; state && *s; s++)
		if (strcmp(state, *s) == 0)
			return true;
	return false;
}

bool rs_journal_line_valid(const json_t *line, char *why, size_t whysize)
{
	const char *problem = NULL;
	const char *id = json_string_value(json_object_get(line, "id"));
	if (!json_is_object(line))
		problem = "not a JSON object";
	else if (!json_is_string(json_object_get(line, "type")) ||
		 strcmp(json_string_value(json_object_get(line, "type")), "action") != 0)
		problem = "\"type\" is not \"action\"";
	else if (!id || strncmp(id, "a-", 2) != 0 || strlen(id) < 3)
		problem = "no action id (\"id\":\"a-...\")";
	else if (!json_is_string(json_object_get(line, "action")))
		problem = "no \"action\"";
	else if (!known_state(json_string_value(json_object_get(line, "state"))))
		problem = "\"state\" is not planned, applied, failed or undone";
	else if (!is_hex64(json_string_value(json_object_get(line, "prev"))))
		problem = "\"prev\" is not 64 hex digits";
	if (problem)
		snprintf(why, whysize, "%s", problem);
	return problem == NULL;
}

/* Parses one line (no newline); NULL and WHY when it is not a valid action line. */
static json_t *parse_line(const char *data, size_t len, char *why, size_t whysize)
{
	if (len > RS_JOURNAL_MAX_LINE) {
		snprintf(why, whysize, _("longer than %u bytes"), RS_JOURNAL_MAX_LINE);
		return NULL;
	}
	json_error_t error;
	json_t *obj = json_loadb(data, len, JSON_REJECT_DUPLICATES, &error);
	if (!obj) {
		snprintf(why, whysize, _("not JSON (%s at column %d)"), error.text, error.column);
		return NULL;
	}
	if (!rs_journal_line_valid(obj, why, whysize)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static void note_bad(rs_journal_text *t, size_t number, const char *why)
{
	if (t->bad_line != 0)
		return;
	t->bad_line = number;
	snprintf(t->bad_why, sizeof(t->bad_why), "%s", why);
}

/* Checks line NUMBER (object OBJ, or NULL when it did not parse) against the
 * hash of the line before it. */
static void check_chain(rs_journal_text *t, size_t number, const json_t *obj, const char *prev_hash)
{
	const char *prev = json_string_value(json_object_get(obj, "prev"));
	if (obj && strcmp(prev, prev_hash) != 0) {
		char why[200];
		snprintf(why, sizeof(why), _("\"prev\" does not match the SHA-256 of line %zu: the journal "
			 "was changed after it was written"), number - 1);
		if (number == 1)
			snprintf(why, sizeof(why), _("\"prev\" of the first line is not 64 zeros: lines "
				 "before it were removed"));
		note_bad(t, number, why);
	}
}

/* Where line I (starting at START, LEN bytes, ending in a newline unless
 * COMPLETE is false) is the last: whether it is a torn tail. */
static bool torn(const char *data, size_t start, size_t len, bool complete, char *why, size_t whysize)
{
	if (!complete) {
		snprintf(why, whysize, _("no newline at its end (an interrupted write)"));
		return true;
	}
	json_t *obj = parse_line(data + start, len, why, whysize);
	json_decref(obj);
	return obj == NULL;
}

void rs_journal_parse(const char *data, size_t len, rs_journal_text *t)
{
	memset(t, 0, sizeof(*t));
	t->lines = json_array();
	t->keep = len;
	memcpy(t->last_hash, zero_hash, sizeof(zero_hash));
	size_t start = 0, number = 0;
	while (start < len) {
		const char *nl = memchr(data + start, '\n', len - start);
		size_t line_len = nl ? (size_t)(nl - (data + start)) : len - start;
		bool last = !nl || (size_t)(nl - data) + 1 == len;
		number++;
		char why[200];
		if (last && torn(data, start, line_len, nl != NULL, why, sizeof(why))) {
			t->keep = start;
			t->torn_line = number;
			if (t->bad_line == 0)
				snprintf(t->bad_why, sizeof(t->bad_why), "%s", why);
			break;
		}
		json_t *obj = parse_line(data + start, line_len, why, sizeof(why));
		if (!obj)
			note_bad(t, number, why);
		check_chain(t, number, obj, t->last_hash);
		json_array_append_new(t->lines, obj ? obj : json_null());
		rs_sha256_hex(data + start, line_len, t->last_hash);
		start += line_len + 1;
	}
}

void rs_journal_text_free(rs_journal_text *t)
{
	json_decref(t->lines);
	t->lines = NULL;
}
