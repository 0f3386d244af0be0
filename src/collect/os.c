/*
 * os.c — which system this is: os-release (ID, VERSION_ID, PRETTY_NAME,
 * VERSION_CODENAME), the hostname and the kernel release.
 *
 * os-release is read from /etc/os-release, else /usr/lib/os-release; its
 * values are unquoted as the shell would (double quotes with backslash
 * escapes, single quotes literal). The hostname comes from /etc/hostname,
 * and on the live host from uname(2), which wins. The kernel is uname's
 * release on the live host; for a root that is not live it is the newest
 * directory under /lib/modules (or /usr/lib/modules), if any.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "core/lines.h"
#include "core/util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define OS_RELEASE_MAX ((size_t)64 << 10)
#define HOSTNAME_MAX ((size_t)4 << 10)
#define MAX_WARNINGS 20
#define MAX_MODULE_DIRS 4096

/* Unquotes VALUE in place: "..." (backslash escapes \" \\ \$ \`), '...'
 * (literal), or bare words with backslash escapes. Returns false when a
 * quote is not closed. */
static bool unquote(char *value)
{
	char *out = value;
	const char *in = value;
	while (*in) {
		if (*in == '"') {
			in++;
			while (*in && *in != '"') {
				if (*in == '\\' && in[1] && strchr("\"\\$`", in[1]))
					in++;
				*out++ = *in++;
			}
			if (*in != '"') {
				*out = '\0';
				return false;
			}
			in++;
		} else if (*in == '\'') {
			in++;
			while (*in && *in != '\'')
				*out++ = *in++;
			if (*in != '\'') {
				*out = '\0';
				return false;
			}
			in++;
		} else if (*in == '\\' && in[1]) {
			in++;
			*out++ = *in++;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
	return true;
}

static void replace(char **field, const char *value)
{
	free(*field);
	*field = rs_strdup(value);
}

static void set_os_field(rs_facts *f, const char *key, const char *value, bool *have_pretty)
{
	if (strcmp(key, "ID") == 0)
		replace(&f->os_id, value);
	else if (strcmp(key, "VERSION_ID") == 0)
		replace(&f->os_version, value);
	else if (strcmp(key, "VERSION_CODENAME") == 0)
		replace(&f->os_codename, value);
	else if (strcmp(key, "PRETTY_NAME") == 0) {
		replace(&f->os_name, value);
		*have_pretty = true;
	} else if (strcmp(key, "NAME") == 0 && !*have_pretty) {
		replace(&f->os_name, value);
	}
}

static void read_os_line(rs_facts *f, char *line, const rs_lines *r, rs_problems *p,
			 bool *have_pretty)
{
	if (r->has_nul) {
		rs_problem(p, r->number, _("NUL byte in line; skipped"));
		return;
	}
	char *s = rs_trim(line);
	if (!*s || *s == '#')
		return;
	char *eq = strchr(s, '=');
	if (!eq || eq == s) {
		rs_problem(p, r->number, _("line is not KEY=VALUE; skipped"));
		return;
	}
	*eq = '\0';
	char *value = eq + 1;
	if (!unquote(value)) {
		rs_problem(p, r->number, _("quote not closed; skipped"));
		return;
	}
	set_os_field(f, s, value, have_pretty);
}

int rs_parse_os_release(const char *text, size_t len, const char *name, rs_facts *f)
{
	rs_problems p = {name, 0, MAX_WARNINGS};
	bool have_pretty = false;
	char *copy = rs_strndup(text, len);
	rs_lines r;
	rs_lines_init(&r, copy, len);
	const char *line;
	size_t line_len;
	while (rs_lines_next(&r, &line, &line_len))
		read_os_line(f, rs_lines_cut(&r, copy), &r, &p, &have_pretty);
	free(copy);
	return rs_problems_finish(&p);
}

static int collect_os_release(const rs_host *h, rs_facts *f)
{
	static const char *const paths[] = {"/etc/os-release", "/usr/lib/os-release"};
	int problems_met = 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *text = NULL;
		size_t len = 0;
		if (rs_read_host_file(h, paths[i], OS_RELEASE_MAX, NULL, NULL, &text, &len,
				      &problems_met) < 0)
			continue;
		char *display = rs_host_display_path(h, paths[i]);
		problems_met += rs_parse_os_release(text, len, display, f);
		free(display);
		free(text);
		break;
	}
	return problems_met;
}

/* The first line of /etc/hostname that is neither blank nor a comment. */
static int collect_hostname_file(const rs_host *h, rs_facts *f)
{
	char *text = NULL;
	size_t len = 0;
	int problems_met = 0;
	if (rs_read_host_file(h, "/etc/hostname", HOSTNAME_MAX, NULL, NULL, &text, &len,
			      &problems_met) < 0)
		return problems_met;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *name = rs_trim(line);
		if (*name && *name != '#') {
			replace(&f->hostname, name);
			break;
		}
	}
	free(text);
	return 0;
}

/* The newest (by version order) directory under DIR, or NULL. */
static char *newest_module_dir(const rs_host *h, const char *dir)
{
	DIR *d = rs_host_opendir(h, dir);
	if (!d)
		return NULL;
	char *best = NULL;
	struct dirent *e;
	for (int seen = 0; seen < MAX_MODULE_DIRS && (e = readdir(d)); seen++) {
		if (e->d_name[0] == '.')
			continue;
		char *path = rs_sprintf("%s/%s", dir, e->d_name);
		struct stat st;
		bool is_dir = rs_host_lstat(h, path, &st) == 0 && S_ISDIR(st.st_mode);
		free(path);
		if (is_dir && (!best || strverscmp(e->d_name, best) > 0))
			replace(&best, e->d_name);
	}
	closedir(d);
	return best;
}

static void collect_kernel(const rs_host *h, rs_facts *f, const struct utsname *uts)
{
	if (uts) {
		replace(&f->kernel, uts->release);
		return;
	}
	char *best = newest_module_dir(h, "/lib/modules");
	if (!best)
		best = newest_module_dir(h, "/usr/lib/modules");
	if (best) {
		free(f->kernel);
		f->kernel = best;
	}
}

int rs_collect_os(const rs_host *h, rs_facts *f)
{
	int problems_met = collect_os_release(h, f);
	problems_met += collect_hostname_file(h, f);
	struct utsname uts;
	bool have_uts = h->live && uname(&uts) == 0;
	if (have_uts)
		replace(&f->hostname, uts.nodename);
	collect_kernel(h, f, have_uts ? &uts : NULL);
	return problems_met;
}
