/*
 * c2scan.c — C2 IOCs (addresses, networks, domains) against what the host
 * shows of its connections and the names it resolves or was told to reach:
 * live sockets (remote addresses), /etc/hosts, shell histories of every
 * account, cron and systemd command lines, the DNS caches kept on disk
 * (nscd's persistent hosts database, binary, read up to 64 MiB; a BIND
 * cache dump), and the text logs under /var/log (bounded: files up to
 * 16 MiB, 256 MiB in all, compressed rotations skipped). One finding per
 * IOC and place.
 */
#include "core/i18n.h"
#include "hunt/hunt.h"
#include "core/lines.h"
#include "core/log.h"
#include "engine/scan.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEXT_FILE_MAX (16u << 20)
#define LOG_TOTAL_MAX (256ull << 20)
#define LOG_FILES_MAX 2000
#define DNS_CACHE_MAX (64u << 20)

typedef struct c2_ctx {
	rs_scan *scan;
	const rs_hunt_rules *rules;
	rs_hunt_counts *counts;
	const char *where;       /* "path", "socket", "cron", "unit" */
	const char *place;       /* the file or socket */
	size_t line;
	rs_vec reported;         /* char *: "source-index|place" already reported */
} c2_ctx;

static bool already(c2_ctx *c, const rs_ioc_source *src)
{
	char *key = rs_sprintf("%p|%s", (const void *)src, c->place);
	for (size_t i = 0; i < c->reported.len; i++) {
		if (!strcmp(*(char **)rs_vec_at(&c->reported, i), key)) {
			free(key);
			return true;
		}
	}
	*(char **)rs_vec_push(&c->reported) = key;
	return false;
}

static void on_hit(const rs_ioc_source *src, const char *token, void *ctx)
{
	c2_ctx *c = ctx;
	if (already(c, src))
		return;
	c->counts->matched++;
	char *rule = rs_ioc_rule_id("ioc-c2", src);
	char *title = rs_sprintf(_("C2 indicator %s (%s) in %s"), token, src->description, c->place);
	rs_finding *f = rs_finding_new("hunt", rule, rs_hunt_severity(src->score), src->score, title);
	rs_finding_set_str(f, "indicator", token);
	rs_finding_set_str(f, "ioc_file", src->file);
	if (src->line)
		rs_finding_set_int(f, "ioc_line", (long long)src->line);
	if (src->ref)
		rs_finding_set_str(f, "ioc_ref", src->ref);
	rs_finding_set_str(f, "description", src->description);
	rs_finding_set_str(f, c->where, c->place);
	if (c->line)
		rs_finding_set_int(f, "line", (long long)c->line);
	rs_finding_add_attack(f, "T1071");
	rs_finding_set_remediation(f,
		_("The host knows or reached a known command-and-control address: find the process or user "
		"behind it (socket owner, history, job), isolate the host and hunt for the implant; block the "
		"indicator at the perimeter."));
	rs_scan_emit(c->scan, f);
	free(rule);
	free(title);
}

/* The address part of "addr:port" or "[v6]:port". */
static void address_of(const char *endpoint, char *out, size_t size)
{
	const char *start = endpoint, *end;
	if (*endpoint == '[') {
		start = endpoint + 1;
		end = strchr(start, ']');
	} else {
		end = strrchr(endpoint, ':');
	}
	size_t n = end ? (size_t)(end - start) : strlen(start);
	if (n >= size)
		n = size - 1;
	memcpy(out, start, n);
	out[n] = '\0';
}

static void check_sockets(c2_ctx *c)
{
	const rs_vec *socks = &c->scan->facts->sockets;
	c->where = "socket";
	for (size_t i = 0; i < socks->len; i++) {
		const rs_socket *s = rs_vec_at(socks, i);
		char addr[64];
		address_of(s->remote, addr, sizeof(addr));
		c->counts->c2_checked++;
		const rs_ioc_source *src = rs_ioc_c2_match_ip(&c->rules->c2, addr);
		if (!src)
			continue;
		char place[160];
		snprintf(place, sizeof(place), "%s %s -> %s pid %d", s->proto, s->local, s->remote, (int)s->pid);
		c->place = place;
		c->line = 0;
		on_hit(src, addr, c);
	}
}

/* Every line of the host file PATH. */
static unsigned long long check_file(c2_ctx *c, const char *path, size_t max)
{
	char *text = NULL;
	size_t len = 0;
	int problems = 0;
	if (rs_read_host_file(c->scan->host, path, max, NULL, NULL, &text, &len, &problems) < 0)
		return 0;
	c->where = "path";
	c->place = path;
	c->counts->c2_checked++;
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t n;
	while (rs_lines_next(&r, &line, &n)) {
		c->line = r.number;
		rs_ioc_c2_scan_text(&c->rules->c2, line, n, on_hit, c);
	}
	free(text);
	return len;
}

/* nscd's persistent hosts cache: a binary database (glibc's layout, which
 * changes between versions) in which every name looked up, canonical name
 * and alias is a NUL-terminated string. Rather than parse the layout, the
 * first DNS_CACHE_MAX bytes are searched like free text: runs of name
 * characters with a dot are the candidates, everything else separates
 * them. Read through the host handle: never followed, never blocking. */
static void check_binary_cache(c2_ctx *c, const char *path)
{
	struct stat st;
	int fd = rs_host_open(c->scan->host, path, RS_OPEN_FILE | RS_OPEN_NOFOLLOW, &st);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			rs_warn_unreadable(c->scan->host, path, errno, _("the DNS cache"),
					   _("its names are not checked against the C2 IOCs"));
		return;
	}
	size_t want = (unsigned long long)st.st_size < DNS_CACHE_MAX ? (size_t)st.st_size : DNS_CACHE_MAX;
	char *data = rs_malloc(want + 1);
	size_t got = 0;
	while (got < want) {
		ssize_t n = pread(fd, data + got, want - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	c->where = "path";
	c->place = path;
	c->line = 0;
	c->counts->c2_checked++;
	rs_ioc_c2_scan_text(&c->rules->c2, data, got, on_hit, c);
	free(data);
}

static void check_histories(c2_ctx *c)
{
	static const char *const names[] = { ".bash_history", ".zsh_history", ".ash_history", ".sh_history",
					     ".history", ".python_history", ".mysql_history", ".psql_history" };
	const rs_vec *users = &c->scan->facts->users;
	for (size_t i = 0; i < users->len; i++) {
		const rs_user *u = rs_vec_at(users, i);
		if (!u->home || u->home[0] != '/' || (!strcmp(u->home, "/") && u->uid != 0))
			continue;
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			char *p = rs_sprintf("%s/%s", strcmp(u->home, "/") ? u->home : "", names[k]);
			check_file(c, p, TEXT_FILE_MAX);
			free(p);
		}
	}
}

static void check_jobs(c2_ctx *c)
{
	const rs_vec *cron = &c->scan->facts->cron;
	c->where = "cron";
	for (size_t i = 0; i < cron->len; i++) {
		const rs_cron_entry *e = rs_vec_at(cron, i);
		if (!e->command)
			continue;
		c->place = e->file;
		c->line = e->line > 0 ? (size_t)e->line : 0;
		c->counts->c2_checked++;
		rs_ioc_c2_scan_text(&c->rules->c2, e->command, strlen(e->command), on_hit, c);
	}
	const rs_vec *units = &c->scan->facts->units;
	c->where = "unit";
	for (size_t i = 0; i < units->len; i++) {
		const rs_unit *u = rs_vec_at(units, i);
		if (!u->exec_start)
			continue;
		c->place = u->path ? u->path : u->name;
		c->line = 0;
		c->counts->c2_checked++;
		rs_ioc_c2_scan_text(&c->rules->c2, u->exec_start, strlen(u->exec_start), on_hit, c);
	}
}

static bool compressed(const char *name)
{
	return rs_ends_with(name, ".gz") || rs_ends_with(name, ".xz") || rs_ends_with(name, ".bz2") ||
	       rs_ends_with(name, ".zst") || rs_ends_with(name, ".journal") || rs_ends_with(name, ".journal~");
}

static void check_logs(c2_ctx *c, const char *dir, int depth, unsigned long long *total, int *files)
{
	if (depth > 4)
		return;
	DIR *d = rs_host_opendir(c->scan->host, dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && *total < LOG_TOTAL_MAX && *files < LOG_FILES_MAX) {
		if (de->d_name[0] == '.' || compressed(de->d_name) || !strcmp(de->d_name, "journal") ||
		    !strcmp(de->d_name, "lastlog") || !strcmp(de->d_name, "wtmp") || !strcmp(de->d_name, "btmp"))
			continue;
		char *p = rs_sprintf("%s/%s", dir, de->d_name);
		struct stat st;
		if (rs_host_lstat(c->scan->host, p, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				check_logs(c, p, depth + 1, total, files);
			} else if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size <= TEXT_FILE_MAX) {
				(*files)++;
				*total += check_file(c, p, TEXT_FILE_MAX);
			}
		}
		free(p);
	}
	closedir(d);
}

int rs_hunt_c2(rs_scan *scan, const rs_hunt_rules *rules, rs_hunt_counts *counts)
{
	if (!rules->c2.nets.len && !rules->c2.domains.len)
		return 0;
	c2_ctx c = { .scan = scan, .rules = rules, .counts = counts };
	rs_vec_init(&c.reported, sizeof(char *));
	if (scan->host->live)
		check_sockets(&c);
	check_file(&c, "/etc/hosts", TEXT_FILE_MAX);
	check_file(&c, "/etc/resolv.conf", TEXT_FILE_MAX);
	check_binary_cache(&c, "/var/cache/nscd/hosts");
	check_file(&c, "/var/cache/bind/named_dump.db", TEXT_FILE_MAX); /* rndc dumpdb */
	check_histories(&c);
	check_jobs(&c);
	unsigned long long total = 0;
	int files = 0;
	check_logs(&c, "/var/log", 0, &total, &files);
	for (size_t i = 0; i < c.reported.len; i++)
		free(*(char **)rs_vec_at(&c.reported, i));
	rs_vec_free(&c.reported);
	return 0;
}
