/*
 * procs.c — live checks on running processes: LD_PRELOAD in a process's
 * environment and executable mappings from temporary or hidden places
 * (T1574.006), executables run from /tmp, /var/tmp, /dev/shm or hidden
 * directories, kernel-thread names on processes that have an executable
 * and daemon names on the wrong executable (T1036.004, T1036.005), shells whose standard
 * input or output is a network socket (reverse shell, T1059.004), and web
 * or database servers with a shell child (web shell, T1505.003).
 */
#include "core/i18n.h"
#include "core/json.h"
#include "core/util.h"
#include "rootkit/checks.h"
#include "rootkit/execmaps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ENVIRON_MAX (256u << 10)

static void process_finding(rs_scan *scan, const rs_process *p, const char *rule, rs_severity sev,
			    const char *why, const char *attack, const char *remediation,
			    const char *key, const char *value)
{
	char *title = rs_sprintf(_("Process %d (%s) %s"), (int)p->pid, p->comm, why);
	rs_finding *f = rs_finding_new("rootkit", rule, sev, -1, title);
	free(title);
	rs_finding_set_int(f, "pid", p->pid);
	rs_finding_set_int(f, "ppid", p->ppid);
	if (p->exe)
		rs_finding_set_str(f, "exe", p->exe);
	rs_finding_set_int(f, "uid", p->uid);
	json_t *argv = json_array();
	for (size_t i = 0; i < p->argc; i++)
		json_array_append_new(argv, rs_json_string(p->argv[i]));
	rs_finding_set_json(f, "cmdline", argv);
	if (key && value)
		rs_finding_set_str(f, key, value);
	rs_finding_add_attack(f, attack);
	rs_finding_set_remediation(f, remediation);
	rs_scan_emit(scan, f);
}

static bool temp_place(const char *path)
{
	return rs_starts_with(path, "/tmp/") || rs_starts_with(path, "/var/tmp/") ||
	       rs_starts_with(path, "/dev/shm/");
}

static bool hidden_place(const char *path)
{
	for (const char *s = strstr(path, "/."); s; s = strstr(s + 1, "/."))
		if (s[2] && s[2] != '/' && s[2] != '.')
			return true;
	return false;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void check_environ(rs_scan *scan, const rs_process *p, const rs_proc_maps *pm)
{
	(void)pm;
	char rel[48], *text;
	size_t len;
	snprintf(rel, sizeof(rel), "%d/environ", (int)p->pid);
	if (rs_proc_read(scan->host, rel, ENVIRON_MAX, &text, &len) < 0)
		return;
	for (size_t off = 0; off < len;) {
		const char *var = text + off;
		size_t n = strnlen(var, len - off);
		if (n > 11 && strncmp(var, "LD_PRELOAD=", 11) == 0 && var[11]) {
			char *value = rs_strndup(var + 11, n - 11);
			bool odd = temp_place(value) || hidden_place(value);
			process_finding(scan, p, "rasoat:process.ld_preload_env", odd ? RS_SEV_HIGH : RS_SEV_MEDIUM,
					odd ? _("preloads a library from a temporary or hidden place (LD_PRELOAD)")
					    : _("runs with LD_PRELOAD in its environment"),
					"T1574.006",
					_("Identify the library (dpkg -S PATH) and who started the process with it; "
					"if it is not a sanctioned tool (a profiler, libeatmydata), copy it for "
					"analysis and stop the process."),
					"ld_preload", value);
			free(value);
			break;
		}
		off += n + 1;
	}
	free(text);
}

/* Whether LIB lies in the hidden directory tree that EXE also comes from
 * (~/.pyenv/versions/X/lib/... for ~/.pyenv/versions/X/bin/python). */
static bool same_hidden_tree(const char *lib, const char *exe)
{
	const char *h = strstr(lib, "/.");
	if (!h || !exe)
		return false;
	const char *end = strchr(h + 1, '/');
	size_t n = end ? (size_t)(end - lib) : strlen(lib);
	return strncmp(lib, exe, n) == 0 && exe[n] == '/';
}

static void check_maps(rs_scan *scan, const rs_process *p, const rs_proc_maps *pm)
{
	if (!pm)
		return; /* the maps could not be read */
	/* The executable read around the maps, not the snapshot's: a process
	 * that exec'd since the snapshot maps its new image's libraries. */
	const char *exe = pm->exe ? pm->exe : p->exe;
	for (size_t i = 0; i < pm->maps.len; i++) {
		const char *path = ((const rs_exec_map *)rs_vec_at(&pm->maps, i))->path;
		if (exe && strncmp(path, exe, strlen(exe)) == 0)
			continue; /* the executable itself: the exe checks judge it */
		bool temp = temp_place(path);
		if (!temp && (!hidden_place(path) || same_hidden_tree(path, exe)))
			continue;
		process_finding(scan, p, "rasoat:process.library_suspicious_path", temp ? RS_SEV_HIGH : RS_SEV_MEDIUM,
				temp ? _("maps executable code from a temporary directory")
				     : _("maps executable code from a hidden directory its executable is not in"),
				"T1574.006",
				_("Copy the library for analysis, find how it was loaded (environment, "
				"/etc/ld.so.preload, dlopen) and stop the process."),
				"library", path);
		break;
	}
}

/* The inode of the socket behind fd N of P, 0 when it is not a socket. */
static unsigned long socket_inode(rs_scan *scan, const rs_process *p, int fd)
{
	char rel[48], link[128];
	snprintf(rel, sizeof(rel), "%d/fd/%d", (int)p->pid, fd);
	ssize_t n = rs_proc_readlink(scan->host, rel, link, sizeof(link));
	if (n <= 0)
		return 0;
	link[n < (ssize_t)sizeof(link) ? n : (ssize_t)sizeof(link) - 1] = '\0';
	unsigned long inode = 0;
	return sscanf(link, "socket:[%lu]", &inode) == 1 ? inode : 0;
}

static const rs_socket *inet_socket(rs_scan *scan, unsigned long inode)
{
	for (size_t i = 0; inode && i < scan->facts->sockets.len; i++) {
		const rs_socket *s = rs_vec_at(&scan->facts->sockets, i);
		if (s->inode == inode)
			return s;
	}
	return NULL;
}

static bool is_shell(const char *name)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "csh", "tcsh",
					      "fish", "busybox" };
	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (strcmp(name, shells[i]) == 0)
			return true;
	return false;
}

static bool is_server(const char *comm)
{
	static const char *const servers[] = { "nginx", "apache2", "httpd", "lighttpd", "php-fpm", "php-cgi",
					       "mysqld", "mariadbd", "postgres", "redis-server", "mongod",
					       "tomcat", "caddy", "uwsgi", "gunicorn" };
	for (size_t i = 0; i < sizeof(servers) / sizeof(servers[0]); i++)
		if (rs_starts_with(comm, servers[i]))
			return true;
	return false;
}

static void check_reverse_shell(rs_scan *scan, const rs_process *p, const rs_proc_maps *pm)
{
	(void)pm;
	if (!p->exe || !is_shell(base_name(p->exe)))
		return;
	for (int fd = 0; fd <= 2; fd++) {
		const rs_socket *s = inet_socket(scan, socket_inode(scan, p, fd));
		if (!s)
			continue;
		char *conn = rs_sprintf("%s %s -> %s", s->proto, s->local, s->remote);
		process_finding(scan, p, "rasoat:process.shell_socket_stdio", RS_SEV_HIGH,
				fd == 0 ? _("is a shell reading commands from a network socket (reverse shell)")
					: _("is a shell writing to a network socket (reverse shell)"),
				"T1059.004",
				_("Note the remote address, capture the process (cp /proc/PID/exe; ss -tpn), "
				"then kill it and find how it was started (its parent and the service behind it)."),
				"connection", conn);
		free(conn);
		return;
	}
}

static void check_web_shell(rs_scan *scan, const rs_process *p, const rs_proc_maps *pm)
{
	(void)pm;
	if (!p->exe || !is_shell(base_name(p->exe)))
		return;
	const rs_process *parent = rs_facts_process(scan->facts, p->ppid);
	if (!parent || !is_server(parent->comm))
		return;
	char *why = rs_sprintf(_("is a shell started by the server process %d (%s)"), (int)parent->pid, parent->comm);
	process_finding(scan, p, "rasoat:process.server_shell_child", RS_SEV_HIGH, why, "T1505.003",
			_("Look at the server's access log at the time the shell started for the request "
			"that spawned it, hunt the web root for a web shell, and stop the shell."),
			"parent_exe", parent->exe);
	free(why);
}

static void check_names(rs_scan *scan, const rs_process *p, const rs_proc_maps *pm)
{
	(void)pm;
	/* deleted and in-memory executables are deleted_exe.c's findings */
	if (!p->exe || p->exe_deleted || rs_starts_with(p->exe, "/memfd:"))
		return;
	const char *argv0 = p->argc > 0 && p->argv[0] ? p->argv[0] : "";
	size_t n = strlen(argv0);
	if ((argv0[0] == '[' && n > 2 && argv0[n - 1] == ']') || rs_starts_with(p->comm, "kworker") ||
	    rs_starts_with(p->comm, "ksoftirqd") || rs_starts_with(p->comm, "kthreadd") ||
	    rs_starts_with(p->comm, "migration/")) {
		process_finding(scan, p, "rasoat:process.kernel_thread_name", RS_SEV_HIGH,
				_("has a kernel thread's name but runs an executable"), "T1036.004",
				_("Kernel threads have no executable: dump this one (cp /proc/PID/exe FILE), "
				"note its connections and parent, then stop it."),
				"argv0", argv0);
		return;
	}
	static const char *const daemons[] = { "sshd", "cron", "crond", "systemd", "init", "rsyslogd",
					       "dbus-daemon", "atd", "udevd", "systemd-udevd", "systemd-journal",
					       "systemd-logind", "agetty", "nginx", "apache2", "httpd", "mysqld",
					       "containerd", "dockerd", "kubelet" };
	const char *base = base_name(p->exe);
	for (size_t i = 0; i < sizeof(daemons) / sizeof(daemons[0]); i++) {
		/* comm is the executable's name cut to 15 bytes unless the process renamed itself */
		if (strcmp(p->comm, daemons[i]) == 0 && strncmp(base, p->comm, strlen(p->comm)) != 0 &&
		    !(strcmp(p->comm, "systemd") == 0 && strcmp(base, "init") == 0) &&
		    !(strcmp(p->comm, "init") == 0 && strcmp(base, "systemd") == 0)) {
			char *why = rs_sprintf(_("calls itself %s but runs %s"), p->comm, p->exe);
			process_finding(scan, p, "rasoat:process.name_masquerade", RS_SEV_HIGH, why, "T1036.005",
					_("A process that takes a system daemon's name while running another "
					"program is hiding: dump it (cp /proc/PID/exe FILE), note its "
					"connections and parent, then stop it."),
					"comm", p->comm);
			free(why);
			return;
		}
	}
	if (temp_place(p->exe)) {
		/* medium: installers and test harnesses do it too; deleted from there is high */
		process_finding(scan, p, "rasoat:process.exe_temp_path", RS_SEV_MEDIUM,
				_("runs an executable from a temporary directory"), "T1036.005",
				_("Confirm what started it (its parent, an installer, a build); if nothing you run "
				"explains it, copy the executable for analysis and stop the process."),
				NULL, NULL);
	} else if (hidden_place(p->exe)) {
		bool home = rs_starts_with(p->exe, "/root/") || rs_starts_with(p->exe, "/home/");
		process_finding(scan, p, "rasoat:process.exe_hidden_path", home ? RS_SEV_LOW : RS_SEV_MEDIUM,
				_("runs an executable from a hidden directory"), "T1564.001",
				_("Confirm the program is a tool a user installed (~/.cargo, ~/.local); if not, "
				"copy it for analysis and stop it."),
				NULL, NULL);
	}
}

void rs_rootkit_processes(rs_scan *scan, rs_module_stats *stats, const rs_rootkit_maps *maps)
{
	static const char *const rules[][2] = {
		{ "rasoat:process.ld_preload_env", N_("No process runs with LD_PRELOAD") },
		{ "rasoat:process.library_suspicious_path", N_("No process maps code from temporary or hidden places") },
		{ "rasoat:process.shell_socket_stdio", N_("No shell talks to a network socket on its standard streams") },
		{ "rasoat:process.server_shell_child", N_("No web or database server has a shell child") },
		{ "rasoat:process.kernel_thread_name", N_("No process with an executable wears a kernel thread's or daemon's name") },
	};
	size_t nrules = sizeof(rules) / sizeof(rules[0]);
	stats->checks += nrules;
	if (!scan->host->live) {
		stats->skipped += nrules;
		for (size_t i = 0; i < nrules; i++)
			rs_scan_check(scan, "rootkit", rules[i][0], _(rules[i][1]), "not_applicable",
				      _("needs a live host (processes); not available with --root"));
		return;
	}
	/* in the order of RULES; check_names also reports odd executable paths; each is handed
	 * the process's executable mappings (execmaps.h; NULL when unread), which check_maps judges */
	void (*const checks[])(rs_scan *, const rs_process *, const rs_proc_maps *) = {
		check_environ, check_maps, check_reverse_shell, check_web_shell, check_names
	};
	unsigned long found[sizeof(checks) / sizeof(checks[0])] = { 0 };
	pid_t self = getpid();
	for (size_t i = 0; i < scan->facts->processes.len; i++) {
		const rs_process *p = rs_vec_at(&scan->facts->processes, i);
		if (!p->exe || p->pid == self)
			continue; /* kernel threads, and rasoat itself */
		for (size_t k = 0; k < nrules; k++) {
			unsigned long before = scan->module_findings;
			checks[k](scan, p, rs_rootkit_maps_at(maps, i));
			found[k] += scan->module_findings - before;
		}
	}
	for (size_t i = 0; i < nrules; i++)
		rs_scan_check(scan, "rootkit", rules[i][0], _(rules[i][1]), found[i] ? "failed" : "passed",
			      found[i] ? _("see the process findings") : _("none found"));
}
