/*
 * dpkg.c — installed Debian packages from the dpkg status file
 * (/var/lib/dpkg/status).
 *
 * The file is a list of RFC822-style stanzas separated by blank lines; a line
 * that starts with a space or a tab continues the field before it. Of each
 * stanza we keep Package, Version, Architecture, Status and Source.
 *
 * Which stanzas become packages: those whose Status has "installed" as its
 * third word ("install ok installed", "hold ok installed", and also
 * "deinstall ok installed", a package selected for removal but still on
 * disk). Packages only half-installed, unpacked, or left as config-files are
 * not installed software and are left out. This is the list that
 * `dpkg-query -W -f='${db:Status-Abbrev}\t${Package}\t${Version}\n'` gives
 * once filtered to abbreviations ending in "i" ("ii", "hi", "ri"). Names are
 * kept as dpkg writes them, without an ":arch" suffix (as `${Package}`).
 *
 * The file may be truncated, corrupt or written by an attacker: each bad
 * line or stanza is warned about with the file and line, skipped, and the
 * rest is kept. At most MAX_WARNINGS warnings are printed per file, then one
 * that says how many more there were.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "core/lines.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DPKG_STATUS_PATH "/var/lib/dpkg/status"
#define DPKG_STATUS_MAX ((size_t)256 << 20)
#define MAX_WARNINGS 20

/* The fields of the stanza being read; pointers into the parser's copy. */
typedef struct stanza {
	size_t first_line;
	bool any_field;
	bool in_field;  /* a continuation line is allowed */
	char *package;
	char *version;
	char *arch;
	char *status;
	char *source;
	char *installed_size;
} stanza;

static void stanza_reset(stanza *s)
{
	memset(s, 0, sizeof(*s));
}

/* A field name is printable ASCII without spaces or colons. */
static bool valid_field_name(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c > '~' || c == ':')
			return false;
	}
	return true;
}

static bool field_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* Reads "Name: value" into the stanza. */
static void read_field(stanza *s, char *line, size_t number, rs_problems *p)
{
	char *colon = strchr(line, ':');
	if (!colon || !valid_field_name(line, (size_t)(colon - line))) {
		rs_problem(p, number, _("line without a field name; skipped"));
		s->in_field = false;
		return;
	}
	size_t n = (size_t)(colon - line);
	char *value = rs_trim(colon + 1);
	if (!s->any_field)
		s->first_line = number;
	s->any_field = true;
	s->in_field = true;
	if (field_is(line, n, "Package"))
		s->package = value;
	else if (field_is(line, n, "Version"))
		s->version = value;
	else if (field_is(line, n, "Architecture"))
		s->arch = value;
	else if (field_is(line, n, "Status"))
		s->status = value;
	else if (field_is(line, n, "Source"))
		s->source = value;
	else if (field_is(line, n, "Installed-Size"))
		s->installed_size = value;
}

/* Installed-Size in KiB: decimal digits only (at most 15), else 0. */
static unsigned long long installed_kb(const char *value)
{
	size_t n = value ? strspn(value, "0123456789") : 0;
	if (n == 0 || n > 15 || value[n] != '\0')
		return 0;
	return strtoull(value, NULL, 10);
}

/* True when the Status value's third word is "installed"; warns when the
 * value is not three words. */
static bool status_installed(const char *status, size_t line, rs_problems *p)
{
	char copy[128];
	char *words[4];
	size_t n = 0;
	snprintf(copy, sizeof(copy), "%s", status);
	char *save = NULL;
	for (char *w = strtok_r(copy, " \t", &save); w && n < 4; w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	if (n != 3) {
		rs_problem(p, line, _("Status field is not three words; stanza skipped"));
		return false;
	}
	return strcmp(words[2], "installed") == 0;
}

/* Splits "name (version)" into its parts; without a version, both default to
 * the binary package's. */
static void set_source(rs_package *pkg, const char *source)
{
	if (!source || !*source) {
		pkg->source = rs_strdup(pkg->name);
		pkg->source_version = rs_strdup(pkg->version);
		return;
	}
	const char *paren = strchr(source, '(');
	if (!paren) {
		pkg->source = rs_strdup(source);
		pkg->source_version = rs_strdup(pkg->version);
		return;
	}
	size_t name_len = (size_t)(paren - source);
	while (name_len > 0 && (source[name_len - 1] == ' ' || source[name_len - 1] == '\t'))
		name_len--;
	const char *ver = paren + 1;
	const char *close = strchr(ver, ')');
	size_t ver_len = close ? (size_t)(close - ver) : strlen(ver);
	pkg->source = name_len ? rs_strndup(source, name_len) : rs_strdup(pkg->name);
	char *v = rs_strndup(ver, ver_len);
	pkg->source_version = rs_strdup(rs_trim(v));
	free(v);
}

/* Turns a finished stanza into a package when it is installed. */
static void finish_stanza(stanza *s, rs_vec *packages, rs_problems *p)
{
	if (!s->any_field) {
		stanza_reset(s);
		return;
	}
	size_t line = s->first_line;
	if (!s->package || !*s->package)
		rs_problem(p, line, _("stanza without a Package field; skipped"));
	else if (!s->status || !*s->status)
		rs_problem(p, line, _("stanza without a Status field; skipped"));
	else if (status_installed(s->status, line, p)) {
		if (!s->version || !*s->version) {
			rs_problem(p, line, _("installed package without a Version field; skipped"));
		} else {
			rs_package *pkg = rs_vec_push(packages);
			pkg->name = rs_strdup(s->package);
			pkg->version = rs_strdup(s->version);
			pkg->arch = s->arch && *s->arch ? rs_strdup(s->arch) : NULL;
			pkg->status = rs_strdup(s->status);
			pkg->manager = rs_strdup("dpkg");
			pkg->installed_kb = installed_kb(s->installed_size);
			set_source(pkg, s->source);
		}
	}
	stanza_reset(s);
}

typedef struct dpkg_parse {
	stanza s;
	rs_vec *packages;
} dpkg_parse;

static void end_stanza(rs_problems *p, void *ctx)
{
	dpkg_parse *dp = ctx;
	finish_stanza(&dp->s, dp->packages, p);
}

static void read_line(char *line, size_t len, size_t number, rs_problems *p, void *ctx)
{
	dpkg_parse *dp = ctx;
	(void)len;
	if (line[0] == ' ' || line[0] == '\t') {
		if (!dp->s.in_field)
			rs_problem(p, number, _("continuation line outside a field; skipped"));
		return;
	}
	read_field(&dp->s, line, number, p);
}

/* rs_parse_dpkg_status on TEXT itself, which is cut into lines. */
static int parse_in_place(char *text, size_t len, const char *name, rs_vec *packages)
{
	rs_problems p = {name, 0, MAX_WARNINGS};
	dpkg_parse dp = {.packages = packages};
	stanza_reset(&dp.s);
	return rs_parse_stanzas_in_place(text, len, &p, read_line, end_stanza, &dp);
}

int rs_parse_dpkg_status(const char *text, size_t len, const char *name, rs_vec *packages)
{
	char *copy = rs_strndup(text, len);
	int rc = parse_in_place(copy, len, name, packages);
	free(copy);
	return rc;
}

int rs_collect_dpkg(const rs_host *h, rs_facts *f)
{
	char *text = NULL;
	size_t len = 0;
	int problems_met = 0;
	if (rs_read_host_file(h, DPKG_STATUS_PATH, DPKG_STATUS_MAX, _("the dpkg status file"),
			      _("dpkg packages are not listed"), &text, &len, &problems_met) < 0)
		return problems_met;
	char *display = rs_host_display_path(h, DPKG_STATUS_PATH);
	problems_met = parse_in_place(text, len, display, &f->packages); /* TEXT is ours: no copy */
	free(display);
	free(text);
	return problems_met;
}
