/*
 * accounts.c — account checks from the passwd/shadow facts: a second
 * superuser (UID 0 other than root) is the classic backdoor account; an
 * account with an empty password and a login shell lets anyone in.
 */
#include "core/i18n.h"
#include "audit/checks.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static void check_uid0(rs_scan *scan, const rs_user *u)
{
	char *title = rs_sprintf(_("Account %s has UID 0 (a second superuser)"), u->name);
	rs_finding *f = rs_finding_new("audit", "rasoat:accounts.uid0", RS_SEV_HIGH, 85, title);
	free(title);
	rs_finding_set_str(f, "path", "/etc/passwd");
	rs_finding_set_str(f, "user", u->name);
	rs_finding_set_int(f, "uid", 0);
	rs_finding_set_str(f, "shell", u->shell ? u->shell : "");
	rs_finding_add_attack(f, "T1136.001");
	rs_finding_add_attack(f, "T1078.003");
	rs_finding_set_remediation(f, _("Confirm who created the account; if it is not a sanctioned "
				      "break-glass account, lock it (usermod -L NAME), change its "
				      "UID or remove it (userdel NAME), and review its logins (last NAME)."));
	rs_finding_add_reference(f, "https://attack.mitre.org/techniques/T1136/001/");
	rs_scan_emit(scan, f);
}

static void check_empty_password(rs_scan *scan, const rs_user *u)
{
	char *title = rs_sprintf(_("Account %s has an empty password and a login shell"), u->name);
	rs_finding *f = rs_finding_new("audit", "rasoat:accounts.empty_password",
				       u->uid == 0 ? RS_SEV_CRITICAL : RS_SEV_HIGH, -1, title);
	free(title);
	rs_finding_set_str(f, "path", "/etc/shadow");
	rs_finding_set_str(f, "user", u->name);
	rs_finding_set_int(f, "uid", u->uid);
	rs_finding_add_attack(f, "T1078.003");
	rs_finding_set_remediation(f, _("Set a password (passwd NAME) or lock the account "
				      "(passwd -l NAME); ensure PAM does not use nullok."));
	rs_scan_emit(scan, f);
}

void rs_audit_accounts(rs_scan *scan, rs_module_stats *stats)
{
	const rs_facts *facts = scan->facts;
	int uid0 = 0, empty = 0;
	stats->checks += 2;
	for (size_t i = 0; i < facts->users.len; i++) {
		const rs_user *u = rs_vec_at(&facts->users, i);
		if (!u->name)
			continue;
		if (u->uid == 0 && strcmp(u->name, "root") != 0) {
			check_uid0(scan, u);
			uid0++;
		}
		if (u->password == RS_PW_EMPTY && rs_user_login_shell(u->shell)) {
			check_empty_password(scan, u);
			empty++;
		}
	}
	const char *no_accounts = facts->users.len ? NULL : _("no accounts could be read from /etc/passwd");
	rs_scan_check(scan, "audit", "rasoat:accounts.uid0", _("Only root has UID 0"),
		      no_accounts ? "not_applicable" : uid0 ? "failed" : "passed",
		      no_accounts ? no_accounts : uid0 ? _("a second UID 0 account exists") : _("root is the only UID 0 account"));
	rs_scan_check(scan, "audit", "rasoat:accounts.empty_password",
		      _("No account with a login shell has an empty password"),
		      no_accounts ? "not_applicable" : empty ? "failed" : "passed",
		      no_accounts ? no_accounts : empty ? _("accounts log in without a password") : _("none found"));
}
