/*
 * account_anomalies.c — backdoor accounts beyond a second UID 0 (T1136.001,
 * T1078.003): service accounts in the groups that give root (root, sudo,
 * wheel, admin) or read the logs (adm); accounts whose home is /root or
 * another person's home; service accounts (UID 1-999) with a password or
 * SSH keys; UIDs, GIDs and names given twice; and accounts added since the
 * last stored scan (store/accounts_seen.c). People (UID 1000 and up) in
 * sudo or wheel are expected and reported only when they are new.
 */
#include "core/i18n.h"
#include "audit/checks.h"
#include "core/log.h"
#include "core/util.h"
#include "store/accounts_seen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYSTEM_UID_MAX 999

typedef struct emit_args {
	const char *rule;
	rs_severity sev;
	const char *user;   /* may be NULL */
	const char *path;
	const char *attack2; /* a second technique, or NULL */
	const char *remediation;
} emit_args;

static void emit(rs_scan *scan, const emit_args *a, const char *title)
{
	rs_finding *f = rs_finding_new("audit", a->rule, a->sev, -1, title);
	rs_finding_set_str(f, "path", a->path);
	if (a->user)
		rs_finding_set_str(f, "user", a->user);
	rs_finding_add_attack(f, "T1136.001");
	if (a->attack2)
		rs_finding_add_attack(f, a->attack2);
	rs_finding_set_remediation(f, _(a->remediation));
	rs_finding_add_reference(f, "https://attack.mitre.org/techniques/T1136/001/");
	rs_scan_emit(scan, f);
}

static bool is_system(const rs_user *u)
{
	return u->uid > 0 && u->uid <= SYSTEM_UID_MAX;
}

/* The members of group G: its member list and the accounts whose primary
 * group it is. FN is called once per member name. */
static void each_member(const rs_facts *facts, const rs_group *g, void (*fn)(rs_scan *, const rs_group *, const char *, bool),
			rs_scan *scan)
{
	if (g->members && *g->members) {
		char *copy = rs_strdup(g->members);
		char *save = NULL;
		for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
			char *t = rs_trim(m);
			if (*t)
				fn(scan, g, t, false);
		}
		free(copy);
	}
	for (size_t i = 0; i < facts->users.len; i++) {
		const rs_user *u = rs_vec_at(&facts->users, i);
		if (u->name && u->gid == g->gid)
			fn(scan, g, u->name, true);
	}
}

static const char GROUP_FIX[] =
	N_("Confirm who added the account to the group (auth log, /etc/group's ctime, configuration "
	"management); remove it (gpasswd -d USER GROUP) unless it is sanctioned, and review what the "
	"account did (last, journalctl _UID=).");

static void judge_member(rs_scan *scan, const rs_group *g, const char *name, bool primary)
{
	if (strcmp(name, "root") == 0)
		return;
	const rs_user *u = rs_facts_user_by_name(scan->facts, name);
	bool admin = g->gid == 0 || strcmp(g->name, "sudo") == 0 || strcmp(g->name, "wheel") == 0 ||
		     strcmp(g->name, "admin") == 0;
	char title[512];
	emit_args a = { .rule = "rasoat:accounts.privileged_group", .user = name, .path = "/etc/group",
			.attack2 = "T1078.003", .remediation = GROUP_FIX };
	if (!u) {
		if (primary)
			return;
		snprintf(title, sizeof(title), _("Group %s names %s, an account that does not exist (staged for a "
					       "later account?)"), g->name, name);
		a.sev = RS_SEV_LOW;
		emit(scan, &a, title);
		return;
	}
	if (u->uid == 0)
		return; /* a second UID 0 is rasoat:accounts.uid0 */
	if (g->gid == 0) {
		snprintf(title, sizeof(title), _("Account %s (UID %u) is %s of the root group (GID 0)"), name,
			 (unsigned)u->uid, primary ? _("a primary member") : _("a member"));
		a.sev = is_system(u) && rs_user_login_shell(u->shell) ? RS_SEV_HIGH : RS_SEV_MEDIUM;
		emit(scan, &a, title);
	} else if (admin && is_system(u)) {
		snprintf(title, sizeof(title), _("Service account %s (UID %u) is in group %s (it can become root)"), name,
			 (unsigned)u->uid, g->name);
		a.sev = RS_SEV_HIGH;
		emit(scan, &a, title);
	} else if (strcmp(g->name, "adm") == 0 && is_system(u) && strcmp(name, "syslog") != 0 && !primary) {
		snprintf(title, sizeof(title), _("Service account %s (UID %u) is in group adm (it reads the logs)"), name,
			 (unsigned)u->uid);
		a.sev = rs_user_login_shell(u->shell) ? RS_SEV_MEDIUM : RS_SEV_LOW;
		emit(scan, &a, title);
	}
}

static void privileged_groups(rs_scan *scan)
{
	const rs_facts *facts = scan->facts;
	for (size_t i = 0; i < facts->groups.len; i++) {
		const rs_group *g = rs_vec_at(&facts->groups, i);
		if (!g->name)
			continue;
		if (g->gid == 0 || strcmp(g->name, "sudo") == 0 || strcmp(g->name, "wheel") == 0 ||
		    strcmp(g->name, "admin") == 0 || strcmp(g->name, "adm") == 0)
			each_member(facts, g, judge_member, scan);
	}
}

static void homes(rs_scan *scan)
{
	const rs_vec *users = &scan->facts->users;
	for (size_t i = 0; i < users->len; i++) {
		const rs_user *u = rs_vec_at(users, i);
		if (!u->name || !u->home || u->uid == 0)
			continue;
		char title[512];
		emit_args a = { .rule = "rasoat:accounts.shared_home", .user = u->name, .path = "/etc/passwd",
				.attack2 = "T1078.003",
				.remediation = N_("Give the account its own home (usermod -d) or remove it; look at what "
					       "it changed in the home it shared (start-up files, SSH keys).") };
		if (strcmp(u->home, "/root") == 0 || strcmp(u->home, "/root/") == 0) {
			snprintf(title, sizeof(title), _("Account %s (UID %u) has root's home /root"), u->name, (unsigned)u->uid);
			a.sev = RS_SEV_HIGH;
			emit(scan, &a, title);
			continue;
		}
		for (size_t k = 0; k < i; k++) { /* the account listed first owns the home */
			const rs_user *o = rs_vec_at(users, k);
			if (!o->name || !o->home || o->uid < 1000 || o->uid == 65534 || o->uid == u->uid ||
			    strcmp(o->home, u->home) != 0 || strcmp(o->home, "/") == 0 ||
			    strcmp(o->home, "/nonexistent") == 0)
				continue;
			snprintf(title, sizeof(title), _("Account %s (UID %u) shares the home %s of %s"), u->name,
				 (unsigned)u->uid, u->home, o->name);
			a.sev = RS_SEV_MEDIUM;
			emit(scan, &a, title);
			break;
		}
	}
}

static void system_accounts(rs_scan *scan)
{
	const rs_vec *users = &scan->facts->users;
	for (size_t i = 0; i < users->len; i++) {
		const rs_user *u = rs_vec_at(users, i);
		if (!u->name || !is_system(u))
			continue;
		char title[512];
		if (u->password == RS_PW_SET) {
			emit_args a = { .rule = "rasoat:accounts.system_password", .sev = RS_SEV_MEDIUM, .user = u->name,
					.path = "/etc/shadow", .attack2 = "T1078.003",
					.remediation = N_("Lock the password of a service account (passwd -l NAME); if you "
						       "did not set it, find out who did and when (chage -l NAME).") };
			snprintf(title, sizeof(title), _("Service account %s (UID %u) has a password"), u->name,
				 (unsigned)u->uid);
			emit(scan, &a, title);
		}
		if (!u->home || u->home[0] != '/' || strcmp(u->home, "/") == 0)
			continue;
		static const char *const keys[] = { "authorized_keys", "authorized_keys2" };
		for (size_t k = 0; k < 2; k++) {
			char *path = rs_sprintf("%s/.ssh/%s", u->home, keys[k]);
			struct stat st;
			if (rs_host_lstat(scan->host, path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
				bool shell = rs_user_login_shell(u->shell);
				emit_args a = { .rule = "rasoat:accounts.system_ssh_keys",
						.sev = shell ? RS_SEV_HIGH : RS_SEV_LOW, .user = u->name, .path = path,
						.attack2 = "T1098.004",
						.remediation = N_("Remove keys nobody vouches for from the service account and "
							       "give it /usr/sbin/nologin; review the SSH logs for their use.") };
				snprintf(title, sizeof(title), _("Service account %s (UID %u) has SSH keys in %s%s"), u->name,
					 (unsigned)u->uid, path, shell ? _(" and a login shell") : "");
				emit(scan, &a, title);
			}
			free(path);
		}
	}
}

static void duplicates(rs_scan *scan)
{
	const rs_vec *users = &scan->facts->users;
	for (size_t i = 0; i < users->len; i++) {
		const rs_user *u = rs_vec_at(users, i);
		for (size_t k = 0; k < i && u->name; k++) {
			const rs_user *o = rs_vec_at(users, k);
			if (!o->name)
				continue;
			char title[512];
			emit_args a = { .user = u->name, .path = "/etc/passwd", .attack2 = "T1078.003",
					.remediation = N_("Give each account its own UID and name (usermod -u, userdel); "
						       "files and processes of one are the other's.") };
			if (strcmp(o->name, u->name) == 0) {
				a.rule = "rasoat:accounts.duplicate_name";
				a.sev = RS_SEV_MEDIUM;
				snprintf(title, sizeof(title), _("Account name %s appears twice in /etc/passwd"), u->name);
				emit(scan, &a, title);
				break;
			}
			if (o->uid == u->uid && u->uid != 0) {
				a.rule = "rasoat:accounts.duplicate_uid";
				a.sev = RS_SEV_MEDIUM;
				snprintf(title, sizeof(title), _("Accounts %s and %s share UID %u"), o->name, u->name,
					 (unsigned)u->uid);
				emit(scan, &a, title);
				break;
			}
		}
	}
	const rs_vec *groups = &scan->facts->groups;
	for (size_t i = 0; i < groups->len; i++) {
		const rs_group *g = rs_vec_at(groups, i);
		for (size_t k = 0; k < i && g->name; k++) {
			const rs_group *o = rs_vec_at(groups, k);
			if (!o->name || o->gid != g->gid)
				continue;
			char title[512];
			emit_args a = { .rule = "rasoat:accounts.duplicate_gid", .sev = g->gid == 0 ? RS_SEV_HIGH : RS_SEV_LOW,
					.path = "/etc/group", .attack2 = "T1078.003",
					.remediation = N_("Give each group its own GID (groupmod -g); a second group with "
						       "a privileged GID gives its members that group's rights.") };
			snprintf(title, sizeof(title), _("Groups %s and %s share GID %u"), o->name, g->name, (unsigned)g->gid);
			emit(scan, &a, title);
			break;
		}
	}
}

static bool in_names(const rs_vec *names, const char *name)
{
	for (size_t i = 0; i < names->len; i++)
		if (strcmp(*(char **)rs_vec_at(names, i), name) == 0)
			return true;
	return false;
}

/* Member of a group that gives root (name or primary GID). */
static bool privileged(const rs_facts *facts, const rs_user *u)
{
	for (size_t i = 0; i < facts->groups.len; i++) {
		const rs_group *g = rs_vec_at(&facts->groups, i);
		if (!g->name || !(g->gid == 0 || strcmp(g->name, "sudo") == 0 || strcmp(g->name, "wheel") == 0 ||
				  strcmp(g->name, "admin") == 0))
			continue;
		if (u->gid == g->gid)
			return true;
		size_t n = strlen(u->name);
		for (const char *m = g->members; m && (m = strstr(m, u->name)) != NULL; m += n)
			if ((m == g->members || m[-1] == ',') && (m[n] == '\0' || m[n] == ','))
				return true;
	}
	return false;
}

static void added_since_last_scan(rs_scan *scan, rs_module_stats *stats)
{
	const char *rule = "rasoat:accounts.new_account";
	const char *title = _("Accounts added since the last scan");
	if (!scan->store) {
		rs_scan_check(scan, "audit", rule, title, "not_applicable", _("no scan store (--no-db)"));
		return;
	}
	rs_vec names;
	rs_vec_init(&names, sizeof(char *));
	char err[512];
	const char *root = scan->host->root ? scan->host->root : "/";
	long known = rs_accounts_seen_load(scan->store, root, &names, err, sizeof(err));
	if (known < 0) {
		rs_warn("%s", err);
		stats->errors++;
	}
	char when[40];
	rs_now_iso8601(when, sizeof(when));
	unsigned long added = 0;
	for (size_t i = 0; i < scan->facts->users.len && known >= 0; i++) {
		const rs_user *u = rs_vec_at(&scan->facts->users, i);
		if (!u->name || in_names(&names, u->name))
			continue;
		if (known > 0) {
			added++;
			bool priv = u->uid == 0 || privileged(scan->facts, u);
			char t[512];
			snprintf(t, sizeof(t), _("Account %s (UID %u%s) was added since the last scan"), u->name,
				 (unsigned)u->uid, priv ? _(", in a group that gives root") : "");
			emit_args a = { .rule = rule, .sev = priv ? RS_SEV_HIGH : RS_SEV_MEDIUM, .user = u->name,
					.path = "/etc/passwd", .attack2 = priv ? "T1078.003" : NULL,
					.remediation = N_("Confirm who created the account and why (auth log: useradd, "
						       "configuration management); lock or remove it if nobody did "
						       "(usermod -L NAME, userdel NAME).") };
			emit(scan, &a, t);
		}
		if (rs_accounts_seen_add(scan->store, root, u->name, u->uid, when, err, sizeof(err)) < 0) {
			rs_warn("%s", err);
			stats->errors++;
			break;
		}
		*(char **)rs_vec_push(&names) = rs_strdup(u->name);
	}
	rs_scan_check(scan, "audit", rule, title, known < 0 ? "not_applicable" : added ? "failed" : "passed",
		      known < 0 ? _("the store could not be read")
		      : known == 0 ? _("first scan of this root: its accounts are recorded")
		      : added ? _("accounts were added") : _("no account was added"));
	for (size_t i = 0; i < names.len; i++)
		free(*(char **)rs_vec_at(&names, i));
	rs_vec_free(&names);
}

void rs_audit_account_anomalies(rs_scan *scan, rs_module_stats *stats)
{
	if (!scan->facts->users.len)
		return;
	stats->checks += 5;
	privileged_groups(scan);
	homes(scan);
	system_accounts(scan);
	duplicates(scan);
	added_since_last_scan(scan, stats);
}
