/*
 * dash_i18n.c — the dashboard's texts in English and Vietnamese. The texts
 * are written in English as gettext msgids indexed by rs_str
 * (server/dash_strings.h); the Vietnamese wording is in po/vi/dashboard.po.
 * The server is multi-threaded and gettext's language is process-wide, so
 * the texts of both languages are looked up once, before the server starts
 * its threads (rs_dash_texts_init), and each request reads the table of its
 * language. A text without a translation falls back to English (a unit test
 * checks none is missing).
 */
#include "core/i18n.h"
#include "server/dash.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static const char *const msgids[S_COUNT] = {
	[S_APP] = N_("rasoat fleet"),
	[S_OVERVIEW] = N_("Overview"),
	[S_HOSTS] = N_("Hosts"),
	[S_HOST] = N_("Host"),
	[S_FINDINGS] = N_("Findings"),
	[S_VULNS] = N_("Vulnerabilities"),
	[S_COMPLIANCE] = N_("Compliance"),
	[S_INCIDENTS] = N_("Incidents"),
	[S_TASKS] = N_("Tasks"),
	[S_TOKENS] = N_("Enrolment tokens"),
	[S_USERS] = N_("Users"),
	[S_AUDIT] = N_("Audit log"),
	[S_LOGIN] = N_("Log in"),
	[S_LOGOUT] = N_("Log out"),
	[S_USERNAME] = N_("User name"),
	[S_PASSWORD] = N_("Password"),
	[S_LOGIN_FAILED] = N_("Wrong user name or password."),
	[S_LOGIN_LIMITED] = N_("Too many attempts from this address; wait a minute."),
	[S_FORBIDDEN] = N_("Your role does not allow this."),
	[S_NOT_FOUND] = N_("No such page."),
	[S_BAD_REQUEST] = N_("The request is not valid."),
	[S_CSRF_FAILED] = N_("The form expired or did not come from this dashboard; reload the page."),
	[S_DB_ERROR] = N_("The server cannot read its database; retry later."),
	[S_TOTAL] = N_("Total"),
	[S_ONLINE] = N_("Online"),
	[S_OFFLINE] = N_("Offline"),
	[S_NEVER] = N_("Never seen"),
	[S_STATUS] = N_("Status"),
	[S_SCORE] = N_("Score"),
	[S_FLEET_SCORE] = N_("Fleet score"),
	[S_TREND_90] = N_("Score over 90 days"),
	[S_BY_SEVERITY] = N_("Findings by severity"),
	[S_NEWEST_SEVERE] = N_("Newest critical and high findings"),
	[S_OVERDUE_INCIDENTS] = N_("Overdue incidents"),
	[S_INCIDENTS_EMPTY] = N_("Incidents appear here once they are recorded (rasoat incident)."),
	[S_NONE] = N_("None."),
	[S_NO_DATA] = N_("No data yet."),
	[S_CRITICAL] = N_("Critical"),
	[S_HIGH] = N_("High"),
	[S_MEDIUM] = N_("Medium"),
	[S_LOW] = N_("Low"),
	[S_INFO] = N_("Info"),
	[S_HOSTNAME] = N_("Host name"),
	[S_GROUP] = N_("Group"),
	[S_OS] = N_("OS"),
	[S_LAST_SEEN] = N_("Last seen"),
	[S_LAST_SCAN] = N_("Last scan"),
	[S_ENROLLED] = N_("Enrolled"),
	[S_FILTER] = N_("Filter"),
	[S_ANY] = N_("any"),
	[S_MIN_SCORE] = N_("Score at least"),
	[S_MAX_SCORE] = N_("Score at most"),
	[S_HAVING] = N_("Having rule or CVE"),
	[S_SORT] = N_("Sort"),
	[S_FACTS] = N_("Facts (as reported by the host)"),
	[S_SCANS] = N_("Scans"),
	[S_STARTED] = N_("Started"),
	[S_DURATION] = N_("Duration"),
	[S_ROOT] = N_("Root"),
	[S_COUNTS] = N_("Counts"),
	[S_FAILED_CHECKS] = N_("Failed checks"),
	[S_VULN_PACKAGES] = N_("Vulnerable packages"),
	[S_SCORE_TREND] = N_("Score trend"),
	[S_SCAN_NOW] = N_("Scan now"),
	[S_TASK_QUEUED] = N_("Scan task queued; the host runs it at its next check-in."),
	[S_RULE] = N_("Rule"),
	[S_MODULE] = N_("Module"),
	[S_SEVERITY] = N_("Severity"),
	[S_MIN_SEVERITY] = N_("Severity at least"),
	[S_TITLE] = N_("Title"),
	[S_AFFECTED] = N_("Hosts affected"),
	[S_EXPORT] = N_("Export"),
	[S_CVE] = N_("CVE"),
	[S_PACKAGE] = N_("Package"),
	[S_INSTALLED] = N_("Installed"),
	[S_FIXED] = N_("Fixed version"),
	[S_CHECK] = N_("Check"),
	[S_POLICY] = N_("Policy"),
	[S_PASS_RATE] = N_("Pass rate"),
	[S_PER_CHECK] = N_("Per check (hosts passing)"),
	[S_PER_HOST] = N_("Per host (checks passing)"),
	[S_PASSED] = N_("Passed"),
	[S_FAILED] = N_("Failed"),
	[S_KIND] = N_("Kind"),
	[S_CREATED] = N_("Created"),
	[S_CREATOR] = N_("Created by"),
	[S_DELIVERED] = N_("Delivered"),
	[S_STATE] = N_("State"),
	[S_EXPIRES] = N_("Expires"),
	[S_USES_LEFT] = N_("Uses left"),
	[S_CREATE] = N_("Create"),
	[S_REVOKE] = N_("Revoke"),
	[S_REMOVE] = N_("Remove"),
	[S_TTL_HOURS] = N_("Valid for (hours)"),
	[S_USES] = N_("Uses"),
	[S_NEW_TOKEN] = N_("New token (shown once; copy it now):"),
	[S_ROLE] = N_("Role"),
	[S_TIME] = N_("Time"),
	[S_USER] = N_("User"),
	[S_ACTION] = N_("Action"),
	[S_TARGET] = N_("Target"),
	[S_ADDRESS] = N_("Address"),
	[S_LANGUAGE] = N_("Tiếng Việt"),
	[S_SIGNED_IN_AS] = N_("Signed in as"),
	[S_USER_EXISTS] = N_("That user exists already, or the name or password is not valid (8+ characters)."),
	[S_LAST_ADMIN] = N_("The last admin cannot be removed."),
	[S_HOSTS_COUNT] = N_("hosts"),
	[S_INCIDENTS_PG] = N_("Incident records are kept in the SQLite store; on PostgreSQL use rasoat incident on the SQLite store."),
	[S_ID] = N_("ID"),
	[S_CATEGORY] = N_("Category"),
	[S_DETECTED] = N_("Detected"),
	[S_NOTIFY_BY] = N_("Notify VNCERT by"),
	[S_OVERDUE] = N_("Overdue"),
	[S_EXERCISE] = N_("exercise"),
	[S_TASK_NEW] = N_("New task"),
	[S_PARAMS] = N_("Parameters"),
	[S_MESSAGE] = N_("Message"),
	[S_APPROVE] = N_("Approve"),
	[S_APPROVED_BY] = N_("Approved by"),
	[S_MODULES] = N_("Modules (comma-separated; scan)"),
	[S_SCENARIO] = N_("Drill scenario (drill)"),
	[S_PATHS] = N_("Paths, one a line (collect)"),
	[S_PLAN] = N_("Response plan JSON (respond)"),
	[S_PLAN_TOKEN] = N_("Plan token (respond)"),
	[S_CONTENT_PATH] = N_("Content file path, e.g. rules/x.yar (update-content)"),
	[S_CONTENT_TEXT] = N_("Content file text (update-content)"),
	[S_TASKS_QUEUED] = N_("Tasks queued; the hosts run them at their next check-in (respond tasks wait for an admin's approval)."),
	[S_TASK_APPROVED] = N_("Plan approved; the host applies it at its next check-in if its configuration allows response actions."),
	[S_TASK_BAD] = N_("The task was refused:"),
	[S_HOST_ID] = N_("Host ID (or a group below)"),
	[S_COMPLIANCE_HISTORY] = N_("Pass rate over time"),
	[S_DAYS] = N_("days"),
	[S_TREND_DAYS] = N_("Over the window"),
	[S_COMPLIANCE_NOW] = N_("Newest scans"),
	[S_RULES_FILTER] = N_("Rules (ids or patterns such as persist:cron*, comma-separated; scan)"),
	[S_BUNDLE_DOWNLOAD] = N_("Download the evidence bundle"),
};

static const char *texts[RS_LANG_COUNT][S_COUNT];
static pthread_once_t texts_once = PTHREAD_ONCE_INIT;

/* Switches gettext to each language in turn and keeps the translations
 * (the catalogue's strings stay valid), then restores the language. */
static void build_texts(void)
{
	char before[8];
	char err[128];
	snprintf(before, sizeof(before), "%s", rs_i18n_lang());
	for (int l = 0; l < RS_LANG_COUNT; l++) {
		int ok = rs_i18n_init(rs_lang_code((rs_lang)l), err, sizeof(err)) == 0;
		for (int i = 0; i < S_COUNT; i++)
			texts[l][i] = ok && msgids[i] ? _(msgids[i]) : msgids[i];
	}
	rs_i18n_init(before, err, sizeof(err));
}

void rs_dash_texts_init(void)
{
	pthread_once(&texts_once, build_texts);
}

const char *rs_tr(rs_lang lang, rs_str id)
{
	if ((int)id < 0 || id >= S_COUNT)
		return "";
	if ((int)lang < 0 || lang >= RS_LANG_COUNT)
		lang = RS_LANG_EN;
	rs_dash_texts_init();
	const char *t = texts[lang][id];
	if (!t)
		t = msgids[id];
	return t ? t : "";
}

rs_lang rs_lang_parse(const char *code)
{
	return code && !strcmp(code, "vi") ? RS_LANG_VI : RS_LANG_EN;
}

const char *rs_lang_code(rs_lang lang)
{
	return lang == RS_LANG_VI ? "vi" : "en";
}

/* For the unit test: whether every text of LANG is there; in Vietnamese,
 * whether the catalogue translates it (gettext hands back the msgid itself
 * when it does not). */
int rs_tr_complete(rs_lang lang)
{
	rs_dash_texts_init();
	for (int i = 0; i < S_COUNT; i++) {
		const char *t = texts[lang][i];
		if (!msgids[i] || !t || !*t)
			return 0;
		if (lang == RS_LANG_VI && t == msgids[i])
			return 0;
	}
	return 1;
}
