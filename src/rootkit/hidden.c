/*
 * hidden.c — what a kernel rootkit hides from the proc listings, found by
 * asking the kernel directly (T1014):
 *
 *   pids: every pid up to kernel.pid_max is probed with kill(pid, 0),
 *   getpriority and sched_getscheduler and by opening /proc/PID; one that
 *   exists but is neither listed in /proc nor a thread listed under
 *   /proc/PID/task is hidden. Candidates are probed again after a fresh
 *   listing, so a process that started or ended meanwhile is not reported.
 *
 *   ports: every TCP and UDP port is bound on the wildcard and loopback
 *   addresses (never connected, never listened on); a port the kernel says
 *   is in use that no socket in /proc/net/{tcp,udp}{,6} holds is hidden.
 *   Candidates are rechecked the same way.
 */
#include "core/util.h"
#include "rootkit/checks.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define PID_LIMIT (4u << 20)

/* Marks in SEEN every pid listed in proc and every thread of each. */
static void list_pids(const rs_host *h, unsigned char *seen, unsigned max)
{
	memset(seen, 0, max + 1);
	DIR *d = rs_proc_opendir(h, ".");
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		long pid;
		if (!rs_parse_long(de->d_name, &pid) || pid <= 0 || (unsigned long)pid > max)
			continue;
		seen[pid] = 1;
		char rel[48];
		snprintf(rel, sizeof(rel), "%ld/task", pid);
		DIR *t = rs_proc_opendir(h, rel);
		if (!t)
			continue;
		struct dirent *te;
		while ((te = readdir(t)) != NULL) {
			long tid;
			if (rs_parse_long(te->d_name, &tid) && tid > 0 && (unsigned long)tid <= max)
				seen[tid] = 1;
		}
		closedir(t);
	}
	closedir(d);
}

static bool pid_exists(const rs_host *h, pid_t pid)
{
	if (kill(pid, 0) == 0 || errno == EPERM)
		return true;
	errno = 0;
	if (getpriority(PRIO_PROCESS, (id_t)pid) != -1 || errno == 0)
		return true;
	if (sched_getscheduler(pid) >= 0)
		return true;
	char rel[32];
	snprintf(rel, sizeof(rel), "%d/stat", (int)pid);
	int fd = openat(h->proc_fd, rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		close(fd);
		return true;
	}
	return false;
}

static unsigned read_pid_max(const rs_host *h)
{
	char *text;
	size_t len;
	long v = 32768;
	if (rs_proc_read(h, "sys/kernel/pid_max", 64, &text, &len) == 0) {
		char *t = rs_trim(text);
		if (!rs_parse_long(t, &v) || v < 300)
			v = 32768;
		free(text);
	}
	return v > (long)PID_LIMIT ? PID_LIMIT : (unsigned)v;
}

void rs_rootkit_hidden_pids(rs_scan *scan, rs_module_stats *stats)
{
	static const char *const rule = "rasoat:rootkit.hidden_pid";
	static const char *const title = "Every running process is listed in /proc";
	stats->checks++;
	if (!scan->host->live) {
		stats->skipped++;
		rs_scan_check(scan, "rootkit", rule, title, "not_applicable",
			      "needs a live host (probes the running kernel); not available with --root");
		return;
	}
	unsigned max = read_pid_max(scan->host);
	unsigned char *seen = rs_malloc((size_t)max + 1);
	list_pids(scan->host, seen, max);
	rs_vec candidates;
	rs_vec_init(&candidates, sizeof(pid_t));
	for (unsigned pid = 1; pid <= max; pid++) {
		if (!seen[pid] && pid_exists(scan->host, (pid_t)pid))
			*(pid_t *)rs_vec_push(&candidates) = (pid_t)pid;
		if ((pid & 0xffff) == 0)
			rs_scan_progress(scan, "rootkit: probing pid %u of %u", pid, max);
	}
	unsigned found = 0;
	if (candidates.len) {
		usleep(100 * 1000);
		list_pids(scan->host, seen, max);
		for (size_t i = 0; i < candidates.len; i++) {
			pid_t pid = *(pid_t *)rs_vec_at(&candidates, i);
			if (seen[pid] || !pid_exists(scan->host, pid))
				continue;
			found++;
			char *t = rs_sprintf("Process %d exists but is hidden from /proc", (int)pid);
			rs_finding *f = rs_finding_new("rootkit", rule, RS_SEV_CRITICAL, 95, t);
			free(t);
			rs_finding_set_int(f, "pid", pid);
			rs_finding_add_attack(f, "T1014");
			rs_finding_set_remediation(f, "A kernel-level rootkit is likely: capture memory (LiME, "
						      "avml) before anything else, then rebuild the host from "
						      "known-good media.");
			rs_scan_emit(scan, f);
		}
	}
	rs_vec_free(&candidates);
	free(seen);
	char reason[96];
	snprintf(reason, sizeof(reason), "%u hidden of %u pids probed", found, max);
	rs_scan_check(scan, "rootkit", rule, title, found ? "failed" : "passed", reason);
}

/* Ports listed in proc net tables, by transport: bit set = held by a socket. */
static void listed_ports(const rs_host *h, unsigned char *tcp, unsigned char *udp)
{
	memset(tcp, 0, 65536);
	memset(udp, 0, 65536);
	static const char *const tables[] = { "net/tcp", "net/tcp6", "net/udp", "net/udp6",
					      "net/udplite", "net/udplite6", "net/raw", "net/raw6" };
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char *text;
		size_t len;
		if (rs_proc_read(h, tables[i], 64u << 20, &text, &len) < 0)
			continue;
		unsigned char *set = rs_starts_with(tables[i], "net/tcp") ? tcp : udp;
		char *save = NULL;
		for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *colon = strchr(line, ':');  /* "  0: ADDR:PORT ..." */
			if (!colon)
				continue;
			char local[80];
			if (sscanf(colon + 1, "%79s", local) != 1)
				continue;
			char *pc = strrchr(local, ':');
			unsigned port;
			if (pc && sscanf(pc + 1, "%x", &port) == 1 && port < 65536)
				set[port] = 1;
		}
		free(text);
	}
}

/* Whether binding PORT on ADDR (v4) fails with EADDRINUSE. Never listens. */
static bool port_in_use(int type, in_addr_t addr, unsigned port)
{
	int s = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (s < 0)
		return false;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = addr;
	bool used = bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno == EADDRINUSE;
	close(s);
	return used;
}

static bool port_hidden_now(int type, unsigned port)
{
	return port_in_use(type, htonl(INADDR_ANY), port) || port_in_use(type, htonl(INADDR_LOOPBACK), port);
}

void rs_rootkit_hidden_ports(rs_scan *scan, rs_module_stats *stats)
{
	static const char *const rule = "rasoat:rootkit.hidden_port";
	static const char *const title = "Every port in use is listed in /proc/net";
	stats->checks++;
	if (!scan->host->live) {
		stats->skipped++;
		rs_scan_check(scan, "rootkit", rule, title, "not_applicable",
			      "needs a live host (binds ports on this machine); not available with --root");
		return;
	}
	unsigned char *tcp = rs_malloc(65536), *udp = rs_malloc(65536);
	listed_ports(scan->host, tcp, udp);
	rs_vec candidates;
	rs_vec_init(&candidates, sizeof(unsigned));
	for (unsigned port = 1; port < 65536; port++) {
		if (!tcp[port] && port_hidden_now(SOCK_STREAM, port))
			*(unsigned *)rs_vec_push(&candidates) = port;
		if (!udp[port] && port_hidden_now(SOCK_DGRAM, port))
			*(unsigned *)rs_vec_push(&candidates) = port | 0x10000u;
	}
	unsigned found = 0;
	if (candidates.len) {
		usleep(100 * 1000);
		listed_ports(scan->host, tcp, udp);
		for (size_t i = 0; i < candidates.len; i++) {
			unsigned c = *(unsigned *)rs_vec_at(&candidates, i);
			unsigned port = c & 0xffffu;
			bool is_udp = c & 0x10000u;
			if ((is_udp ? udp : tcp)[port] || !port_hidden_now(is_udp ? SOCK_DGRAM : SOCK_STREAM, port))
				continue;
			found++;
			char *t = rs_sprintf("%s port %u is in use but no socket in /proc/net holds it",
					     is_udp ? "UDP" : "TCP", port);
			rs_finding *f = rs_finding_new("rootkit", rule, RS_SEV_HIGH, 85, t);
			free(t);
			rs_finding_set_str(f, "proto", is_udp ? "udp" : "tcp");
			rs_finding_set_int(f, "port", port);
			rs_finding_add_attack(f, "T1014");
			rs_finding_add_attack(f, "T1205");
			rs_finding_set_remediation(f, "Capture traffic on the port from another host or a tap; "
						      "a hidden listener means a kernel rootkit: capture memory "
						      "and rebuild the host.");
			rs_scan_emit(scan, f);
		}
	}
	rs_vec_free(&candidates);
	free(tcp);
	free(udp);
	char reason[64];
	snprintf(reason, sizeof(reason), "%u hidden ports", found);
	rs_scan_check(scan, "rootkit", rule, title, found ? "failed" : "passed", reason);
}
