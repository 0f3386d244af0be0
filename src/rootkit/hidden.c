/*
 * hidden.c — what a kernel rootkit hides from the proc listings, found by
 * asking the kernel directly (T1014):
 *
 *   pids: every pid up to kernel.pid_max that the listing did not show is
 *   probed with kill(pid, 0), getpriority, sched_getscheduler and a lookup
 *   of /proc/PID — the listing and the probes are raw system calls
 *   (core/rawsys.h), so a userland rootkit loaded into rasoat changes
 *   neither; one that exists but is neither listed in /proc nor a
 *   thread listed under /proc/PID/task is hidden. Candidates are probed
 *   again after a fresh listing, so a process that started or ended
 *   meanwhile is not reported.
 *
 *   ports: every TCP and UDP port no socket in /proc/net (read raw) holds
 *   is bound, through raw socket/bind system calls, on the dual-stack IPv6
 *   wildcard [::] (where net.ipv6.bindv6only is 0), which the kernel
 *   refuses when any IPv4 or IPv6 socket holds the port; where IPv6 is not
 *   available, on the IPv4 wildcard and then on loopback when the wildcard
 *   bind did not succeed (never connected, never listened on). A port the
 *   kernel says is in use is hidden; a wildcard bind that succeeds proves
 *   the port free on every address of its family, so one bind a port is
 *   enough. Candidates are rechecked the same way.
 *
 *   sockets: the kernel's own list over netlink sock_diag (what `ss`
 *   reads, sockdiag.c) against /proc/net (hidden_diag.c): a socket there
 *   and not in /proc/net is hidden from it; its port is then not reported
 *   a second time by the bind sweep.
 *
 * Both sweeps are split over the scan's threads (disjoint ranges); the
 * candidates are merged in order and rechecked on the calling thread.
 */
#include "core/i18n.h"
#include "core/rawsys.h"
#include "core/util.h"
#include "rootkit/checks.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PID_LIMIT (4u << 20)

typedef struct pid_marks {
	const rs_host *h;
	unsigned char *seen;
	unsigned max;
} pid_marks;

static void mark_thread(void *ctx, long tid)
{
	pid_marks *m = ctx;
	if ((unsigned long)tid <= m->max)
		m->seen[tid] = 1;
}

static void mark_pid(void *ctx, long pid)
{
	pid_marks *m = ctx;
	if ((unsigned long)pid > m->max)
		return;
	m->seen[pid] = 1;
	char rel[48];
	snprintf(rel, sizeof(rel), "%ld/task", pid);
	rs_raw_list_pids(m->h->proc_fd, rel, mark_thread, m);
}

/* Marks in SEEN every pid listed in proc and every thread of each, listed
 * through getdents64 itself (core/rawsys.h): what a preloaded library's
 * readdir hides from other programs is still listed here, so only what
 * the kernel itself hides is left for the probes. */
static void list_pids(const rs_host *h, unsigned char *seen, unsigned max)
{
	memset(seen, 0, max + 1);
	pid_marks m = { h, seen, max };
	if (h->proc_fd >= 0)
		rs_raw_list_pids(h->proc_fd, ".", mark_pid, &m);
}

/* Whether the kernel knows PID, asked through raw system calls (kill,
 * getpriority, sched_getscheduler, and the lookup of /proc/PID by name,
 * which a listing hook does not cover). */
static bool pid_exists(const rs_host *h, pid_t pid)
{
	if (rs_raw_kill(pid, 0) == 0 || errno == EPERM)
		return true;
	if (rs_raw_call(SYS_getpriority, PRIO_PROCESS, pid, 0, 0) >= 0)
		return true;
	if (rs_raw_call(SYS_sched_getscheduler, pid, 0, 0, 0) >= 0)
		return true;
	char rel[32];
	snprintf(rel, sizeof(rel), "%d", (int)pid);
	int fd = h->proc_fd >= 0 ? rs_raw_openat(h->proc_fd, rel, O_PATH | O_DIRECTORY | O_NOFOLLOW) : -1;
	if (fd < 0)
		return false;
	rs_raw_close(fd);
	return true;
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

/* One slice of a sweep: the values in [FIRST, LAST] for which PROBE says
 * "exists" while LISTED (indexed by value) does not list them. */
typedef struct sweep_slice {
	bool (*probe)(const void *ctx, unsigned value);
	const void *ctx;
	const unsigned char *listed;
	unsigned first, last;
	rs_vec found; /* unsigned, ascending */
} sweep_slice;

static void *sweep_worker(void *arg)
{
	sweep_slice *s = arg;
	for (unsigned v = s->first; v <= s->last; v++)
		if (!s->listed[v] && s->probe(s->ctx, v))
			*(unsigned *)rs_vec_push(&s->found) = v;
	return NULL;
}

/* Probes every value in [FIRST, LAST] not in LISTED over THREADS threads
 * (0: one per core), each a contiguous slice; appends what PROBE found, in
 * ascending order, to OUT (of unsigned). */
static void sweep(bool (*probe)(const void *ctx, unsigned value), const void *ctx,
		  const unsigned char *listed, unsigned first, unsigned last, int threads, rs_vec *out)
{
	threads = rs_thread_count(threads, 16);
	sweep_slice slices[16];
	pthread_t tids[16];
	bool started[16] = { false };
	unsigned span = last - first + 1, step = span / (unsigned)threads + 1;
	for (int t = 0; t < threads; t++) {
		unsigned lo = first + (unsigned)t * step;
		slices[t] = (sweep_slice){ .probe = probe, .ctx = ctx, .listed = listed, .first = lo,
					   .last = lo + step - 1 > last ? last : lo + step - 1 };
		rs_vec_init(&slices[t].found, sizeof(unsigned));
		if (lo > last)
			continue;
		/* the calling thread takes the first slice itself */
		started[t] = t > 0 && pthread_create(&tids[t], NULL, sweep_worker, &slices[t]) == 0;
		if (t > 0 && !started[t])
			sweep_worker(&slices[t]);
	}
	if (first <= last)
		sweep_worker(&slices[0]);
	for (int t = 0; t < threads; t++) {
		if (started[t])
			pthread_join(tids[t], NULL);
		for (size_t i = 0; i < slices[t].found.len; i++)
			*(unsigned *)rs_vec_push(out) = *(unsigned *)rs_vec_at(&slices[t].found, i);
		rs_vec_free(&slices[t].found);
	}
}

static bool probe_pid(const void *ctx, unsigned pid)
{
	return pid_exists(ctx, (pid_t)pid);
}

void rs_rootkit_hidden_pid_sweep(const rs_host *h, const unsigned char *listed, unsigned max, int threads,
				 rs_vec *out)
{
	if (max >= 1)
		sweep(probe_pid, h, listed, 1, max, threads, out);
}

void rs_rootkit_hidden_pids(rs_scan *scan, rs_module_stats *stats)
{
	static const char *const rule = "rasoat:rootkit.hidden_pid";
	const char *title = _("Every running process is listed in /proc");
	stats->checks++;
	if (!scan->host->live) {
		stats->skipped++;
		rs_scan_check(scan, "rootkit", rule, title, "not_applicable",
			      _("needs a live host (probes the running kernel); not available with --root"));
		return;
	}
	unsigned max = read_pid_max(scan->host);
	unsigned char *seen = rs_malloc((size_t)max + 1);
	list_pids(scan->host, seen, max);
	rs_vec candidates;
	rs_vec_init(&candidates, sizeof(unsigned));
	rs_scan_progress(scan, _("probing %u pids"), max);
	rs_rootkit_hidden_pid_sweep(scan->host, seen, max, scan->config->threads, &candidates);
	unsigned found = 0;
	if (candidates.len) {
		usleep(100 * 1000);
		list_pids(scan->host, seen, max);
		for (size_t i = 0; i < candidates.len; i++) {
			pid_t pid = (pid_t)*(unsigned *)rs_vec_at(&candidates, i);
			if (seen[pid] || !pid_exists(scan->host, pid))
				continue;
			found++;
			char *t = rs_sprintf(_("Process %d exists but is hidden from /proc"), (int)pid);
			rs_finding *f = rs_finding_new("rootkit", rule, RS_SEV_CRITICAL, 95, t);
			free(t);
			rs_finding_set_int(f, "pid", pid);
			rs_finding_add_attack(f, "T1014");
			rs_finding_set_remediation(f, _("A kernel-level rootkit is likely: capture memory (LiME, "
						      "avml) before anything else, then rebuild the host from "
						      "known-good media."));
			rs_scan_emit(scan, f);
		}
	}
	rs_vec_free(&candidates);
	free(seen);
	char reason[96];
	snprintf(reason, sizeof(reason), _("%u hidden of %u pids probed"), found, max);
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

/* The probes' system calls are made raw (core/rawsys.h): a library
 * preloaded into rasoat that makes bind() succeed on its port (to fool
 * bind sweeps such as unhide-tcp's) is not asked. */
static int raw_socket(int family, int type)
{
	return (int)rs_raw_call(SYS_socket, family, type | SOCK_CLOEXEC, 0, 0);
}

static int raw_bind(int s, const void *sa, size_t len)
{
	return (int)rs_raw_call(SYS_bind, s, (long)(uintptr_t)sa, (long)len, 0);
}

/* Whether binding PORT on ADDR (v4) fails with EADDRINUSE (1), succeeds (0)
 * or fails otherwise (-1). Never listens. */
static int bind_result(int type, in_addr_t addr, unsigned port)
{
	int s = raw_socket(AF_INET, type);
	if (s < 0)
		return -1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = addr;
	int rc = raw_bind(s, &sa, sizeof(sa)) == 0 ? 0 : errno == EADDRINUSE ? 1 : -1;
	rs_raw_close(s);
	return rc;
}

/* The same on the IPv6 wildcard, dual-stack on this host (bindv6only is
 * 0: a new IPv6 socket takes IPv4 too): in use on any IPv4 or IPv6 address
 * (1), free on all of them (0), or not answerable here (-1). */
static int bind_result_dual(int type, unsigned port)
{
	int s = raw_socket(AF_INET6, type);
	if (s < 0)
		return -1;
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
				   .sin6_addr = IN6ADDR_ANY_INIT };
	int rc = raw_bind(s, &sa, sizeof(sa)) == 0 ? 0 : errno == EADDRINUSE ? 1 : -1;
	rs_raw_close(s);
	return rc;
}

/* Whether new IPv6 sockets are dual-stack here (net.ipv6.bindv6only = 0),
 * read raw from /proc/sys. */
static bool dual_stack_default(void)
{
	char *text;
	size_t len;
	if (rs_raw_read_file(AT_FDCWD, "/proc/sys/net/ipv6/bindv6only", 64, &text, &len) < 0)
		return false;
	bool dual = text[0] == '0';
	free(text);
	return dual;
}

static bool port_hidden_now(int type, unsigned port, bool dual_ok)
{
	int dual = dual_ok ? bind_result_dual(type, port) : -1;
	if (dual >= 0)
		return dual == 1;
	int any = bind_result(type, htonl(INADDR_ANY), port);
	if (any >= 0)   /* in use, or free on every IPv4 address */
		return any == 1;
	return bind_result(type, htonl(INADDR_LOOPBACK), port) == 1;
}

static bool probe_tcp(const void *ctx, unsigned port)
{
	return port >= 1 && port_hidden_now(SOCK_STREAM, port, *(const bool *)ctx);
}

static bool probe_udp(const void *ctx, unsigned port)
{
	return port >= 1 && port_hidden_now(SOCK_DGRAM, port, *(const bool *)ctx);
}

void rs_rootkit_hidden_port_sweep(const unsigned char *tcp, const unsigned char *udp, int threads, rs_vec *out)
{
	bool dual = dual_stack_default();
	sweep(probe_tcp, &dual, tcp, 1, 65535, threads, out);
	rs_vec udp_found;
	rs_vec_init(&udp_found, sizeof(unsigned));
	sweep(probe_udp, &dual, udp, 1, 65535, threads, &udp_found);
	for (size_t i = 0; i < udp_found.len; i++)
		*(unsigned *)rs_vec_push(out) = *(unsigned *)rs_vec_at(&udp_found, i) | 0x10000u;
	rs_vec_free(&udp_found);
}

void rs_rootkit_hidden_ports(rs_scan *scan, rs_module_stats *stats)
{
	static const char *const rule = "rasoat:rootkit.hidden_port";
	const char *title = _("Every port in use is listed in /proc/net");
	stats->checks++;
	if (!scan->host->live) {
		stats->skipped++;
		rs_scan_check(scan, "rootkit", rule, title, "not_applicable",
			      _("needs a live host (binds ports on this machine); not available with --root"));
		return;
	}
	unsigned char *tcp = rs_malloc(65536), *udp = rs_malloc(65536);
	listed_ports(scan->host, tcp, udp);
	rs_vec candidates;
	rs_vec_init(&candidates, sizeof(unsigned));
	rs_scan_progress(scan, _("probing TCP and UDP ports"));
	rs_rootkit_hidden_port_sweep(tcp, udp, scan->config->threads, &candidates);
	/* the kernel's sock_diag list against /proc/net: sockets hidden from the latter */
	unsigned char *tcp_done = rs_calloc(65536, 1), *udp_done = rs_calloc(65536, 1);
	unsigned found = rs_rootkit_hidden_sockets(scan, tcp_done, udp_done);
	bool dual = dual_stack_default();
	if (candidates.len) {
		usleep(100 * 1000);
		listed_ports(scan->host, tcp, udp);
		for (size_t i = 0; i < candidates.len; i++) {
			unsigned c = *(unsigned *)rs_vec_at(&candidates, i);
			unsigned port = c & 0xffffu;
			bool is_udp = c & 0x10000u;
			if ((is_udp ? udp : tcp)[port] || (is_udp ? udp_done : tcp_done)[port] ||
			    !port_hidden_now(is_udp ? SOCK_DGRAM : SOCK_STREAM, port, dual))
				continue;
			found++;
			char *t = rs_sprintf(_("%s port %u is in use but no socket in /proc/net holds it"),
					     is_udp ? "UDP" : "TCP", port);
			rs_finding *f = rs_finding_new("rootkit", rule, RS_SEV_HIGH, 85, t);
			free(t);
			rs_finding_set_str(f, "proto", is_udp ? "udp" : "tcp");
			rs_finding_set_int(f, "port", port);
			rs_finding_add_attack(f, "T1014");
			rs_finding_add_attack(f, "T1205");
			rs_finding_set_remediation(f, _("Capture traffic on the port from another host or a tap; "
						      "a hidden listener means a kernel rootkit: capture memory "
						      "and rebuild the host."));
			rs_scan_emit(scan, f);
		}
	}
	rs_vec_free(&candidates);
	free(tcp);
	free(udp);
	free(tcp_done);
	free(udp_done);
	char reason[64];
	snprintf(reason, sizeof(reason), _("%u hidden ports"), found);
	rs_scan_check(scan, "rootkit", rule, title, found ? "failed" : "passed", reason);
}
