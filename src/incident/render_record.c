/*
 * render_record.c — reading the incident record (incident.h's JSON) for the
 * renderings: every reader tolerates a missing key or a value of the wrong
 * type (the record may come from a file or the fleet), and the time formats
 * the forms and exports print.
 */
#include "incident/record.h"
#include "incident/render_internal.h"

#include <stdio.h>
#include <string.h>

const char *rs_rec_str(const json_t *obj, const char *key)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	if (!json_is_string(v) || json_string_length(v) == 0)
		return NULL;
	return json_string_value(v);
}

const char *rs_rec_str2(const json_t *obj, const char *key, const char *key2)
{
	const json_t *inner = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	return rs_rec_str(inner, key2);
}

int rs_rec_bool(const json_t *obj, const char *key)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	if (!json_is_boolean(v))
		return -1;
	return json_is_true(v) ? 1 : 0;
}

bool rs_rec_true(const json_t *obj, const char *key)
{
	return rs_rec_bool(obj, key) == 1;
}

const json_t *rs_rec_array(const json_t *obj, const char *key)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	return json_is_array(v) ? v : NULL;
}

bool rs_rec_has(const json_t *obj, const char *key, const char *s)
{
	const json_t *arr = rs_rec_array(obj, key);
	size_t i;
	const json_t *v;

	json_array_foreach(arr, i, v) {
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

static void join_unique(rs_buf *b, rs_vec *seen, const char *s)
{
	for (size_t i = 0; i < seen->len; i++)
		if (strcmp(*(const char **)rs_vec_at(seen, i), s) == 0)
			return;
	*(const char **)rs_vec_push(seen) = s;
	if (b->len > 0)
		rs_buf_puts(b, "; ");
	rs_buf_puts(b, s);
}

static char *take_or_null(rs_buf *b)
{
	if (b->len == 0) {
		rs_buf_free(b);
		return NULL;
	}
	return rs_buf_take(b);
}

char *rs_rec_systems_join(const json_t *incident, const char *key)
{
	const json_t *systems = rs_rec_array(incident, "systems");
	rs_buf b;
	rs_vec seen;
	size_t i, j;
	const json_t *sys, *v;

	rs_buf_init(&b);
	rs_vec_init(&seen, sizeof(const char *));
	json_array_foreach(systems, i, sys) {
		const json_t *field = json_is_object(sys) ? json_object_get(sys, key) : NULL;
		if (json_is_string(field) && json_string_length(field) > 0)
			join_unique(&b, &seen, json_string_value(field));
		json_array_foreach(json_is_array(field) ? field : NULL, j, v) {
			if (json_is_string(v) && json_string_length(v) > 0)
				join_unique(&b, &seen, json_string_value(v));
		}
	}
	rs_vec_free(&seen);
	return take_or_null(&b);
}

char *rs_rec_systems_names(const json_t *incident)
{
	const json_t *systems = rs_rec_array(incident, "systems");
	rs_buf b;
	size_t i;
	const json_t *sys;

	rs_buf_init(&b);
	json_array_foreach(systems, i, sys) {
		const char *name = rs_rec_str(sys, "name");
		const char *host = rs_rec_str(sys, "host");
		if (name == NULL && host == NULL)
			continue;
		if (b.len > 0)
			rs_buf_puts(&b, "; ");
		if (name != NULL && host != NULL && strcmp(name, host) != 0)
			rs_buf_printf(&b, "%s (%s)", name, host);
		else
			rs_buf_puts(&b, name != NULL ? name : host);
	}
	return take_or_null(&b);
}

time_t rs_parse_time(const char *s)
{
	time_t t;
	if (s == NULL || rs_incident_time_parse(s, &t) != 0 || t <= 0)
		return 0;
	return t;
}

time_t rs_rec_time(const json_t *obj, const char *key)
{
	return rs_parse_time(rs_rec_str(obj, key));
}

/* The broken-down time of T shifted by OFFSET seconds; false when out of range. */
static bool shifted(time_t t, long offset, struct tm *tm)
{
	time_t when = t + offset;
	return gmtime_r(&when, tm) != NULL;
}

#define RS_VN_OFFSET (7 * 3600L)

void rs_fmt_rfc3339(time_t t, bool millis, char *buf, size_t size)
{
	struct tm tm;
	if (!shifted(t, 0, &tm) ||
	    (millis ? strftime(buf, size, "%Y-%m-%dT%H:%M:%S.000Z", &tm)
		    : strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm)) == 0)
		snprintf(buf, size, "?");
}

void rs_fmt_date_short(time_t t, char *buf, size_t size)
{
	struct tm tm;
	/* the form asks for dd/mm/yy: two digits of the year on purpose */
	if (!shifted(t, RS_VN_OFFSET, &tm))
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%02d/%02d/%02d", tm.tm_mday, tm.tm_mon + 1, (tm.tm_year + 1900) % 100);
}

void rs_fmt_date_long(time_t t, char *buf, size_t size)
{
	struct tm tm;
	if (!shifted(t, RS_VN_OFFSET, &tm) || strftime(buf, size, "%d/%m/%Y", &tm) == 0)
		snprintf(buf, size, "?");
}

void rs_fmt_hour_minute(const rs_form_text *t, time_t when, char *buf, size_t size)
{
	struct tm tm;
	if (!shifted(when, RS_VN_OFFSET, &tm)) {
		snprintf(buf, size, "?");
		return;
	}
	snprintf(buf, size, "%02d %s %02d %s", tm.tm_hour, t->hour, tm.tm_min, t->minute);
}

void rs_fmt_report_time(time_t t, char *buf, size_t size)
{
	struct tm tm;
	if (!shifted(t, RS_VN_OFFSET, &tm) || strftime(buf, size, "%d/%m/%Y/%H:%M", &tm) == 0)
		snprintf(buf, size, "?");
}

void rs_fmt_rfc5322(time_t t, char *buf, size_t size)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, size, "Thu, 01 Jan 1970 00:00:00 +0000");
		return;
	}
	snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
