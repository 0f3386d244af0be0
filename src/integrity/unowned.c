/*
 * unowned.c — regular files that no package owns in directories packages
 * own: bin and sbin (a dropped tool or a trojan beside the real one,
 * medium), the system library directories (an injected library, medium)
 * and the PAM module directories (a credential-stealing module, high).
 * Owned means listed by dpkg (info/PKG.list, diversions honoured) or by an
 * rpm header of rpmdb.sqlite. Symlinks are left alone: alternatives and
 * ldconfig make many.
 */
#include "core/i18n.h"
#include "core/lines.h"
#include "collect/rpmfiles.h"
#include "core/util.h"
#include "integrity/integrity.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct place {
	const char *dir;
	rs_severity severity;
	const char *what;
	const char *attack;
} place;

static const place places[] = {
	{ "/usr/bin", RS_SEV_MEDIUM, "a program", "T1036.005" },
	{ "/usr/sbin", RS_SEV_MEDIUM, "a program", "T1036.005" },
	{ "/bin", RS_SEV_MEDIUM, "a program", "T1036.005" },
	{ "/sbin", RS_SEV_MEDIUM, "a program", "T1036.005" },
	{ "/usr/lib/x86_64-linux-gnu/security", RS_SEV_HIGH, "a PAM module", "T1556.003" },
	{ "/usr/lib/aarch64-linux-gnu/security", RS_SEV_HIGH, "a PAM module", "T1556.003" },
	{ "/usr/lib64/security", RS_SEV_HIGH, "a PAM module", "T1556.003" },
	{ "/usr/lib/security", RS_SEV_HIGH, "a PAM module", "T1556.003" },
	{ "/lib/x86_64-linux-gnu/security", RS_SEV_HIGH, "a PAM module", "T1556.003" },
	{ "/lib/security", RS_SEV_HIGH, "a PAM module", "T1556.003" },
	{ "/usr/lib/x86_64-linux-gnu", RS_SEV_MEDIUM, "a library", "T1574.006" },
	{ "/usr/lib/aarch64-linux-gnu", RS_SEV_MEDIUM, "a library", "T1574.006" },
	{ "/lib/x86_64-linux-gnu", RS_SEV_MEDIUM, "a library", "T1574.006" },
	{ "/usr/lib64", RS_SEV_MEDIUM, "a library", "T1574.006" },
	{ "/lib64", RS_SEV_MEDIUM, "a library", "T1574.006" },
};

static bool library_name(const char *name)
{
	return strstr(name, ".so") != NULL;
}

/* Whether PATH is in the dpkg diversions LIST. */
static bool diverted(const rs_vec *list, const char *path)
{
	for (size_t i = 0; i < list->len; i++)
		if (strcmp(*(char **)rs_vec_at(list, i), path) == 0)
			return true;
	return false;
}

void rs_integrity_unowned(rs_scan *scan, rs_module_stats *stats)
{
	rs_vec diversions;
	rs_vec_init(&diversions, sizeof(char *));
	char *text;
	size_t len;
	int problems = 0;
	if (rs_read_host_file(scan->host, "/var/lib/dpkg/diversions", 4u << 20, NULL, NULL, &text, &len,
			      &problems) == 0) {
		problems += rs_dpkg_diversions_parse(text, len, "/var/lib/dpkg/diversions", &diversions);
		free(text);
	}
	stats->errors += (unsigned long long)problems;
	static const char *const rule = "rasoat:integrity.unowned_system_file";
	const char *title = _("Every file in bin, sbin, library and PAM directories belongs to a package");
	stats->checks++;
	struct stat top;
	bool merged = rs_host_lstat(scan->host, "/bin", &top) == 0 && S_ISLNK(top.st_mode);
	unsigned found = 0;
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		const place *pl = &places[i];
		if (merged && (rs_starts_with(pl->dir, "/bin") || rs_starts_with(pl->dir, "/sbin") ||
			       rs_starts_with(pl->dir, "/lib/") || rs_starts_with(pl->dir, "/lib64")))
			continue;
		struct stat dst;
		if (rs_host_lstat(scan->host, pl->dir, &dst) < 0 || !S_ISDIR(dst.st_mode))
			continue;
		DIR *d = rs_host_opendir(scan->host, pl->dir);
		if (!d)
			continue;
		bool lib = strcmp(pl->what, "a library") == 0;
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || (lib && !library_name(de->d_name)))
				continue;
			char *path = rs_sprintf("%s/%s", pl->dir, de->d_name);
			struct stat st;
			if (rs_host_lstat(scan->host, path, &st) < 0 || !S_ISREG(st.st_mode) ||
			    rs_scan_package_owner(scan, path) ||
			    diverted(&diversions, path)) {
				free(path);
				continue;
			}
			stats->files++;
			found++;
			char *t = rs_sprintf(_("%s %s is not owned by any package"), lib ? _("Library") :
					     pl->severity == RS_SEV_HIGH ? _("PAM module") : _("Program"), path);
			rs_finding *f = rs_finding_new("integrity", rule, pl->severity, -1, t);
			free(t);
			rs_finding_set_str(f, "path", path);
			rs_finding_set_int(f, "size", (long long)st.st_size);
			rs_finding_set_int(f, "mtime", (long long)st.st_mtime);
			rs_finding_add_attack(f, pl->attack);
			rs_finding_set_remediation(f, _("Find what installed it (a vendor installer, make install, "
						      "pip or npm) and move it under /usr/local or /opt; if nothing "
						      "explains it, copy it for analysis and remove it."));
			rs_scan_emit(scan, f);
			free(path);
		}
		closedir(d);
	}
	for (size_t i = 0; i < diversions.len; i++)
		free(*(char **)rs_vec_at(&diversions, i));
	rs_vec_free(&diversions);
	char reason[64];
	snprintf(reason, sizeof(reason), _("%u unowned files"), found);
	rs_scan_check(scan, "integrity", rule, title, found ? "failed" : "passed", reason);
}
