/*
 * derive.c — what `incident new` fills in from the linked findings when
 * the operator gives no value: the severity (the highest finding's), the
 * category (Mẫu 05's type the findings point to) and a title.
 */
#include "incident/record.h"
#include "core/finding.h"
#include "core/util.h"

#include <string.h>

static const char *const categories[] = {
	"dos", "phishing", "malware", "intrusion", "defacement", "ransomware",
	"sabotage", "espionage", "combined", "other", NULL,
};

bool rs_incident_category_valid(const char *category)
{
	for (const char *const *c = categories; category && *c; c++)
		if (strcmp(*c, category) == 0)
			return true;
	return false;
}

/* The finding with the highest severity (the first of equals), or NULL. */
static const json_t *top_finding(const json_t *findings, rs_severity *sev)
{
	const json_t *top = NULL;
	*sev = RS_SEV_INFO;
	size_t i;
	const json_t *f;
	json_array_foreach(findings, i, f) {
		rs_severity s;
		if (!rs_severity_parse(json_string_value(json_object_get(f, "severity")), &s))
			continue;
		if (!top || s > *sev) {
			top = f;
			*sev = s;
		}
	}
	return top;
}

const char *rs_incident_derive_severity(const json_t *findings)
{
	rs_severity sev;
	return top_finding(findings, &sev) ? rs_severity_name(sev) : "medium";
}

static bool any_mentions(const json_t *findings, const char *word)
{
	size_t i;
	const json_t *f;
	json_array_foreach(findings, i, f) {
		const char *rule = json_string_value(json_object_get(f, "rule"));
		const char *title = json_string_value(json_object_get(f, "title"));
		if ((rule && strcasestr(rule, word)) || (title && strcasestr(title, word)))
			return true;
	}
	return false;
}

const char *rs_incident_derive_category(const json_t *findings)
{
	if (json_array_size(findings) == 0)
		return "other";
	if (any_mentions(findings, "ransom"))
		return "ransomware";
	if (any_mentions(findings, "deface"))
		return "defacement";
	if (any_mentions(findings, "phish"))
		return "phishing";
	return "malware";
}

char *rs_incident_derive_title(const json_t *findings, const char *host)
{
	rs_severity sev;
	const json_t *top = top_finding(findings, &sev);
	const char *on = host ? " on " : "", *h = host ? host : "";
	if (!top)
		return rs_sprintf("Incident%s%s", on, h);
	const char *title = json_string_value(json_object_get(top, "title"));
	size_t more = json_array_size(findings) - 1;
	if (more == 0)
		return rs_sprintf("%s%s%s", title ? title : "finding", on, h);
	return rs_sprintf("%s and %zu more finding%s%s%s", title ? title : "finding", more,
			  more == 1 ? "" : "s", on, h);
}
