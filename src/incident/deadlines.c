/*
 * deadlines.c — the reporting deadlines of Circular 20/2017: the
 * notification is due 5 days after detection (Art. 9), the final report
 * (Mẫu 04) 5 days after the response ended. A deadline is overdue when it
 * has passed and what it asks for is not recorded as sent.
 */
#include "incident/record.h"

static json_t *time_or_null(bool known, time_t t)
{
	if (!known)
		return json_null();
	char buf[32];
	rs_incident_time_format(t, buf);
	return json_string(buf);
}

static bool has_time(const json_t *record, const char *key, time_t *t)
{
	return rs_incident_time_parse(json_string_value(json_object_get(record, key)), t) == 0;
}

json_t *rs_incident_deadlines(const json_t *record, time_t now)
{
	time_t detected, ended, unused;
	bool known_detected = has_time(record, "detected", &detected);
	bool known_ended = has_time(record, "response_ended", &ended);
	time_t notify = detected + RS_INCIDENT_NOTIFY_DAYS * RS_INCIDENT_DAY;
	time_t final = ended + RS_INCIDENT_FINAL_DAYS * RS_INCIDENT_DAY;
	bool notified = has_time(record, "notification_sent", &unused) ||
			json_is_object(json_object_get(record, "initial_report"));
	bool reported = has_time(record, "final_report_sent", &unused);
	return json_pack("{s:o, s:o, s:b, s:b}",
		"notify", time_or_null(known_detected, notify),
		"final", time_or_null(known_ended, final),
		"notify_overdue", known_detected && !notified && now > notify,
		"final_overdue", known_ended && !reported && now > final);
}
