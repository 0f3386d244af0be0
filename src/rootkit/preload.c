/*
 * preload.c — /etc/ld.so.preload makes the dynamic loader inject the listed
 * libraries into every process: the hiding mechanism of Azazel, Jynx,
 * Vlany and most userland rootkits (T1574.006). Stock Debian and RHEL ship
 * no such file, so any library named there is reported: high, and
 * critical when a library's symbol table shows it replaces libc's own
 * directory, process, file or socket functions (libhook.h).
 */
#include "core/i18n.h"
#include "collect/preload.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"
#include "rootkit/checks.h"
#include "rootkit/libhook.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PRELOAD_PATH RS_PRELOAD_PATH
#define PRELOAD_MAX RS_PRELOAD_MAX
#define RULE "rasoat:rootkit.ld_so_preload"
#define TITLE "No library is preloaded into every process"


void rs_rootkit_preload(rs_scan *scan, rs_module_stats *stats)
{
	char *text;
	size_t len;
	stats->checks++;
	if (rs_host_read(scan->host, PRELOAD_PATH, PRELOAD_MAX, &text, &len) < 0) {
		if (errno != ENOENT) {
			stats->errors++;
			rs_warn(_("%s: cannot read: %s; check it by hand"), PRELOAD_PATH, strerror(errno));
		}
		rs_scan_check(scan, "rootkit", RULE, TITLE, errno == ENOENT ? "passed" : "not_applicable",
			      errno == ENOENT ? _("no /etc/ld.so.preload") : _("cannot be read"));
		return;
	}
	stats->files++;
	stats->bytes += len;
	rs_vec names;
	rs_vec_init(&names, sizeof(char *));
	rs_parse_ld_so_preload(text, len, &names);
	json_t *libs = json_array(), *hooking = json_array();
	for (size_t i = 0; i < names.len; i++) {
		const char *lib = *(char **)rs_vec_at(&names, i);
		json_array_append_new(libs, rs_json_string(lib));
		/* the verdict from its symbols (libhook.h): libc's own functions replaced */
		json_t *hooks = json_array();
		const char *owner;
		char sha256[65];
		rs_libhook_kind k = lib[0] == '/' ? rs_libhook_judge_file(scan, lib, hooks, &owner, sha256)
						  : RS_LIBHOOK_NONE;
		if (k == RS_LIBHOOK_ROOTKIT || k == RS_LIBHOOK_LOOKALIKE)
			json_array_append_new(hooking, json_pack("{s:s,s:O}", "path", lib, "exports", hooks));
		json_decref(hooks);
	}
	rs_preload_libs_free(&names);
	free(text);
	if (json_array_size(libs) == 0) {
		json_decref(libs);
		json_decref(hooking);
		rs_scan_check(scan, "rootkit", RULE, TITLE, "passed", _("/etc/ld.so.preload names no library"));
		return;
	}
	rs_scan_check(scan, "rootkit", RULE, TITLE, "failed", _("libraries are preloaded"));
	bool hooks = json_array_size(hooking) > 0;
	rs_finding *f = rs_finding_new("rootkit", RULE, hooks ? RS_SEV_CRITICAL : RS_SEV_HIGH, hooks ? 95 : 85,
				       hooks ? _("A library that replaces libc's functions is preloaded into every "
					       "process by /etc/ld.so.preload (userland rootkit)")
					     : _("Libraries are preloaded into every process by /etc/ld.so.preload"));
	rs_finding_set_str(f, "path", PRELOAD_PATH);
	rs_finding_set_json(f, "libraries", libs);
	if (hooks)
		rs_finding_set_json(f, "hooking", hooking);
	else
		json_decref(hooking);
	rs_finding_add_attack(f, "T1574.006");
	rs_finding_add_attack(f, "T1014");
	rs_finding_set_remediation(f, _("Identify each library (dpkg -S / rpm -qf) and its origin; if it "
				      "is not part of a sanctioned product, copy it for analysis, empty "
				      "/etc/ld.so.preload and reboot, then hunt for what installed it."));
	rs_finding_add_reference(f, "https://attack.mitre.org/techniques/T1574/006/");
	rs_scan_emit(scan, f);
}
