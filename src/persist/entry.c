/*
 * entry.c — how an autostart entry of the persist module becomes a
 * finding: the verdict on the file that holds it (ownership by a package,
 * recent change) joins the verdict on its content, and an entry with no
 * reason is a passed check, shown only with --all.
 */
#include "core/i18n.h"
#include "core/util.h"
#include "persist/persist.h"

#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

void rs_persist_judge_file(rs_persist *p, const char *path, const struct stat *st, rs_place place,
			   rs_verdict *v, const char **package)
{
	*package = NULL;
	const char *owner = p->have_packages ? rs_scan_package_owner(p->scan, path) : NULL;
	if (owner) {
		*package = owner;
		return; /* a package's file (dpkg or rpm): integrity verifies its content */
	}
	/* a copy a maintainer script put in place (/etc/profile from
	 * /usr/share/base-files/profile): no package lists it, but a package
	 * ships exactly these bytes */
	if (p->have_packages && place != RS_PLACE_USER && st && S_ISREG(st->st_mode)) {
		const rs_pkgfile *src = rs_pkgcopy_source(p->pkgcopy, p->scan->host, path);
		if (src) {
			*package = src->package;
			return;
		}
	}
	if (p->have_packages && place == RS_PLACE_PACKAGE)
		rs_verdict_add(v, RS_SEV_MEDIUM, _("not owned by any package in a place packages own"));
	else if (p->have_packages && place == RS_PLACE_ADMIN)
		rs_verdict_add(v, RS_SEV_INFO, _("not owned by any package"));
	if (st && p->recent_days > 0) {
		time_t newest = st->st_mtime > st->st_ctime ? st->st_mtime : st->st_ctime;
		double days = difftime(p->now, newest) / 86400.0;
		if (days < p->recent_days && days > -1) {
			char reason[96];
			snprintf(reason, sizeof(reason), _("changed within the last %d days"), p->recent_days);
			rs_verdict_add(v, RS_SEV_LOW, reason);
		}
	}
}

/* "line_sha256" (of LINE) and "lines" (every line that gave a reason, with
 * the SHA-256 of its bytes): what `respond remove` matches a line by. */
static void set_lines(rs_finding *f, const rs_verdict *v, size_t line)
{
	if (v->n_lines == 0)
		return;
	json_t *lines = json_array();
	for (size_t i = 0; i < v->n_lines; i++) {
		if (v->lines[i].number == line)
			rs_finding_set_str(f, "line_sha256", v->lines[i].sha256);
		json_array_append_new(lines, json_pack("{s:I,s:s}", "line", (json_int_t)v->lines[i].number,
						       "sha256", v->lines[i].sha256));
	}
	rs_finding_set_json(f, "lines", lines);
}

static int score_of(rs_severity sev)
{
	static const int scores[RS_SEV_COUNT] = { 10, 30, 55, 80, 95 };
	return scores[sev];
}

void rs_persist_entry(rs_persist *p, const char *kind, const char *label, const char *attack,
		      const char *path, size_t line, const char *user, const char *what,
		      const char *package, const rs_verdict *v, const char *remediation)
{
	p->entries++;
	p->stats->checks++;
	char *rule = rs_sprintf("rasoat:persist.%s", kind);
	char *where = line ? rs_sprintf("%s:%zu", path, line) : rs_strdup(path);
	if (!v->any) {
		char *title = rs_sprintf("%s %s", _(label), where);
		rs_scan_check(p->scan, "persist", rule, title, "passed",
			      package ? _("owned by a package, nothing suspicious") : _("nothing suspicious"));
		free(title);
		free(rule);
		free(where);
		return;
	}
	char *title = rs_sprintf("%s %s: %s", _(label), where, v->reasons);
	rs_finding *f = rs_finding_new("persist", rule, v->severity, score_of(v->severity), title);
	rs_finding_set_str(f, "path", path);
	if (line)
		rs_finding_set_int(f, "line", (long long)line);
	set_lines(f, v, line);
	if (user)
		rs_finding_set_str(f, "user", user);
	if (what) {
		char *cut = rs_strndup(what, strnlen(what, 1024));
		rs_finding_set_str(f, "entry", cut);
		free(cut);
	}
	if (package)
		rs_finding_set_str(f, "package", package);
	rs_finding_set_str(f, "verdict", v->reasons);
	rs_finding_add_attack(f, attack);
	if (v->extra_attack[0] && strcmp(v->extra_attack, attack) != 0)
		rs_finding_add_attack(f, v->extra_attack);
	rs_finding_set_remediation(f, _(remediation));
	char *ref = rs_sprintf("https://attack.mitre.org/techniques/%s/", attack);
	char *dot = strrchr(ref, '.');
	if (dot && dot > strrchr(ref, 'T'))
		*dot = '/';
	rs_finding_add_reference(f, ref);
	free(ref);
	rs_scan_emit(p->scan, f);
	free(title);
	free(rule);
	free(where);
}
