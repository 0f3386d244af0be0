/*
 * auth.c — persistence in authentication: PAM stacks and the modules they
 * load (T1556.003), sudoers rules (T1548.003), SSH authorized_keys of every
 * account with their options (T1098.004) and system accounts that were
 * given a login shell (T1136.001).
 */
#include "core/i18n.h"
#include "core/util.h"
#include "persist/persist.h"
#include "persist/traces.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUTH_FILE_MAX (1u << 20)

/* Reads the host file PATH into TEXT (NUL and CR bytes made spaces) and RAW
 * (its bytes as they are, for the line hashes); false when it cannot be read. */
static bool read_lines(rs_persist *p, const char *path, struct stat *st, char **text, char **raw)
{
	size_t len;
	if (rs_host_lstat(p->scan->host, path, st) < 0 || rs_persist_read(p, path, AUTH_FILE_MAX, text, &len) < 0)
		return false;
	*raw = rs_malloc(len + 1);
	memcpy(*raw, *text, len + 1);
	for (size_t i = 0; i < len; i++)
		if ((*text)[i] == '\0' || (*text)[i] == '\r')
			(*text)[i] = ' ';
	return true;
}

static const char *const pam_dirs[] = {
	"/usr/lib/x86_64-linux-gnu/security", "/lib/x86_64-linux-gnu/security",
	"/usr/lib/aarch64-linux-gnu/security", "/lib/aarch64-linux-gnu/security",
	"/usr/lib/i386-linux-gnu/security", "/usr/lib64/security", "/lib64/security",
	"/usr/lib/security", "/lib/security",
};

/* The length of the line at S, a line of TEXT whose '\n' may be cut to a NUL. */
static size_t line_length(const char *s, const char *nl)
{
	return nl ? (size_t)(nl - s) : strlen(s);
}

/* Notes the line at S (of TEXT) in V when it added a reason since HITS. */
static void note(rs_verdict *v, unsigned long hits, size_t number, const char *text, const char *raw,
		 const char *s, size_t len)
{
	if (v->hits != hits)
		rs_verdict_note_line(v, number, raw + (s - text), len);
}

/* Adds a reason when the PAM module MODULE exists and no package owns it. */
static void judge_pam_module(rs_persist *p, const char *module, rs_verdict *v)
{
	if (!p->have_packages || !module[0])
		return;
	for (size_t i = 0; i < sizeof(pam_dirs) / sizeof(pam_dirs[0]); i++) {
		char *path = module[0] == '/' ? rs_strdup(module) : rs_sprintf("%s/%s", pam_dirs[i], module);
		struct stat st;
		bool exists = rs_host_lstat(p->scan->host, path, &st) == 0;
		bool owned = exists && rs_scan_package_owner(p->scan, path) != NULL;
		free(path);
		if (exists) {
			if (!owned)
				rs_verdict_add(v, RS_SEV_HIGH, _("loads a PAM module that no package installed"));
			return;
		}
		if (module[0] == '/')
			return;
	}
}

/* Judges one line into V: its JUDGE with the state CTX it keeps. */
typedef void (*line_judge)(void *ctx, const char *line, rs_verdict *v);

/* Reads PATH, adds its file verdict (PLACE) to V (initialised here) and
 * judges each of its lines with JUDGE, noting each line that gave a reason.
 * *PACKAGE: the file's owner; *FIRST: the first line that changed V's
 * reasons (0: none). False when PATH cannot be read. */
static bool judge_file_lines(rs_persist *p, const char *path, rs_place place, line_judge judge, void *ctx,
			     rs_verdict *v, const char **package, size_t *first)
{
	struct stat st;
	char *text, *raw;
	if (!read_lines(p, path, &st, &text, &raw))
		return false;
	rs_verdict_init(v);
	*package = NULL;
	rs_persist_judge_file(p, path, &st, place, v, package);
	size_t number = 0;
	*first = 0;
	for (char *s = text; s && *s;) {
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		number++;
		size_t len = line_length(s, nl);
		unsigned long hits = v->hits;
		char before[sizeof(v->reasons)];
		memcpy(before, v->reasons, sizeof(before));
		judge(ctx, s, v);
		if (!*first && strcmp(before, v->reasons) != 0)
			*first = number;
		note(v, hits, number, text, raw, s, len);
		s = nl ? nl + 1 : NULL;
	}
	free(text);
	free(raw);
	return true;
}

/* What the judge of PAM lines keeps from line to line. */
typedef struct pam_state {
	rs_persist *p;
	bool conf;            /* /etc/pam.conf: a service field first */
	rs_pam_stack stack;   /* the stack as a whole: what comes before pam_unix (pam.c) */
	char service[sizeof(((rs_pam_line *)0)->service)];
} pam_state;

static void pam_line(void *ctx, const char *line, rs_verdict *v)
{
	pam_state *st = ctx;
	char module[512];
	const char *judged = line; /* pam.conf: the same line after its service field */
	if (st->conf) {
		judged += strspn(judged, " \t");
		judged = *judged == '#' ? "" : judged + strcspn(judged, " \t");
	}
	rs_persist_judge_pam_line(judged, module, sizeof(module), v);
	judge_pam_module(st->p, module, v);
	rs_pam_line pl;
	if (rs_pam_parse_line(line, st->conf, &pl)) {
		if (st->conf && strcmp(pl.service, st->service) != 0) { /* pam.conf: one stack per service */
			rs_pam_stack_finish(&st->stack, v);
			rs_pam_stack_init(&st->stack);
			snprintf(st->service, sizeof(st->service), "%s", pl.service);
		}
		rs_pam_stack_judge(&st->stack, &pl, v);
	}
}

static void pam_file(rs_persist *p, const char *path)
{
	pam_state ps = { .p = p, .conf = strcmp(path, "/etc/pam.conf") == 0 };
	rs_pam_stack_init(&ps.stack);
	rs_verdict v;
	const char *package;
	size_t first;
	if (!judge_file_lines(p, path, RS_PLACE_ADMIN, pam_line, &ps, &v, &package, &first))
		return;
	rs_pam_stack_finish(&ps.stack, &v);
	rs_persist_entry(p, "pam", N_("PAM configuration"), "T1556.003", path, first, NULL, NULL, package, &v,
			 N_("Compare the stack with the distribution's (dpkg -S, debsums -c); remove lines and "
			 "modules you did not add, then change the passwords that went through it."));
}

static void sudoers_line(void *ctx, const char *line, rs_verdict *v)
{
	(void)ctx;
	rs_persist_judge_sudoers_line(line, v);
}

static void sudoers_file(rs_persist *p, const char *path)
{
	rs_verdict v;
	const char *package;
	size_t first;
	if (!judge_file_lines(p, path, RS_PLACE_USER, sudoers_line, NULL, &v, &package, &first))
		return;
	package = p->have_packages ? rs_scan_package_owner(p->scan, path) : NULL;
	rs_persist_entry(p, "sudoers", N_("sudoers rules"), "T1548.003", path, first, NULL, NULL, package, &v,
			 N_("Check the rule with visudo -c -f FILE; remove grants you did not make."));
}

static void authorized_keys(rs_persist *p, const rs_user *u, const char *path)
{
	struct stat st;
	char *text, *raw;
	if (!read_lines(p, path, &st, &text, &raw))
		return;
	size_t number = 0;
	for (char *s = text; s && *s;) {
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		number++;
		size_t len = line_length(s, nl);
		rs_verdict v;
		rs_verdict_init(&v);
		if (rs_persist_judge_authorized_key(s, &v)) {
			rs_verdict_note_line(&v, number, raw + (s - text), len);
			const char *package = NULL;
			rs_persist_judge_file(p, path, &st, RS_PLACE_USER, &v, &package);
			char *t = rs_trim(s);
			char *what = rs_strndup(t, strnlen(t, 240));
			rs_persist_entry(p, "ssh_authorized_key", N_("SSH authorized key"), "T1098.004", path, number,
					 u->name, what, NULL, &v,
					 N_("Ask the account's owner about the key; remove keys nobody vouches "
					 "for and review the SSH logs for their use."));
			free(what);
		}
		s = nl ? nl + 1 : NULL;
	}
	free(text);
	free(raw);
}

static void accounts(rs_persist *p)
{
	const rs_vec *users = &p->scan->facts->users;
	rs_vec seen;
	rs_vec_init(&seen, sizeof(char *));
	for (size_t i = 0; i < users->len; i++) {
		const rs_user *u = rs_vec_at(users, i);
		if (u->uid > 0 && u->uid < 1000 && rs_user_login_shell(u->shell)) {
			rs_verdict v;
			rs_verdict_init(&v);
			bool password = u->password == RS_PW_SET || u->password == RS_PW_EMPTY;
			rs_verdict_add(&v, password ? RS_SEV_MEDIUM : RS_SEV_LOW,
				       password ? _("a system account with a login shell and a password")
						: _("a system account with a login shell"));
			char *what = rs_sprintf(_("%s uid %u shell %s"), u->name, (unsigned)u->uid, u->shell);
			rs_persist_entry(p, "system_account_shell", N_("Account"), "T1136.001", "/etc/passwd", 0,
					 u->name, what, NULL, &v,
					 N_("Give the account /usr/sbin/nologin (usermod -s) unless a service "
					 "needs a shell, and lock its password (passwd -l)."));
			free(what);
		}
		if (!rs_persist_new_home(&seen, u))
			continue;
		static const char *const names[] = { "authorized_keys", "authorized_keys2" };
		for (size_t k = 0; k < 2; k++) {
			char *path = rs_sprintf("%s/.ssh/%s", u->home, names[k]);
			authorized_keys(p, u, path);
			free(path);
		}
	}
	rs_vec_free(&seen);
}

static void each_in_dir(rs_persist *p, const char *dir, void (*fn)(rs_persist *, const char *))
{
	DIR *d = rs_host_opendir(p->scan->host, dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || rs_ends_with(de->d_name, "~") || strstr(de->d_name, ".dpkg-"))
			continue;
		char *path = rs_sprintf("%s/%s", dir, de->d_name);
		fn(p, path);
		free(path);
	}
	closedir(d);
}

void rs_persist_auth(rs_persist *p)
{
	each_in_dir(p, "/etc/pam.d", pam_file);
	pam_file(p, "/etc/pam.conf");
	sudoers_file(p, "/etc/sudoers");
	each_in_dir(p, "/etc/sudoers.d", sudoers_file);
	accounts(p);
}
