/*
 * apk.c — installed Alpine packages from apk's database
 * (/lib/apk/db/installed).
 *
 * The database is a list of stanzas separated by blank lines; each line is
 * one letter, a colon and a value. We keep P (name), V (version), A (arch)
 * and o (origin, the source package). Every stanza in the file is an
 * installed package. Bad lines and stanzas without a name or version are
 * warned about with the file and line and skipped; the rest is kept. At most
 * MAX_WARNINGS warnings are printed per file.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "core/lines.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#define APK_INSTALLED_PATH "/lib/apk/db/installed"
#define APK_INSTALLED_MAX ((size_t)256 << 20)
#define MAX_WARNINGS 20

/* The fields of the stanza being read; pointers into the parser's copy. */
typedef struct stanza {
	size_t first_line;
	bool any_field;
	const char *name;
	const char *version;
	const char *arch;
	const char *origin;
} stanza;

static void finish_stanza(stanza *s, rs_vec *packages, rs_problems *p)
{
	if (s->any_field) {
		if (!s->name || !*s->name) {
			rs_problem(p, s->first_line, _("package without a name (P:); skipped"));
		} else if (!s->version || !*s->version) {
			rs_problem(p, s->first_line, _("package without a version (V:); skipped"));
		} else {
			rs_package *pkg = rs_vec_push(packages);
			pkg->name = rs_strdup(s->name);
			pkg->version = rs_strdup(s->version);
			pkg->source = rs_strdup(s->origin && *s->origin ? s->origin : s->name);
			pkg->source_version = rs_strdup(s->version);
			pkg->arch = s->arch && *s->arch ? rs_strdup(s->arch) : NULL;
			pkg->status = rs_strdup("installed");
			pkg->manager = rs_strdup("apk");
		}
	}
	memset(s, 0, sizeof(*s));
}

static void read_field(stanza *s, char *line, size_t number)
{
	const char *value = line + 2;
	if (!s->any_field)
		s->first_line = number;
	s->any_field = true;
	switch (line[0]) {
	case 'P': s->name = value; break;
	case 'V': s->version = value; break;
	case 'A': s->arch = value; break;
	case 'o': s->origin = value; break;
	default: break;
	}
}

typedef struct apk_parse {
	stanza s;
	rs_vec *packages;
} apk_parse;

static void end_stanza(rs_problems *p, void *ctx)
{
	apk_parse *ap = ctx;
	finish_stanza(&ap->s, ap->packages, p);
}

static void read_line(char *line, size_t len, size_t number, rs_problems *p, void *ctx)
{
	apk_parse *ap = ctx;
	unsigned char key = (unsigned char)line[0];
	if (len < 2 || line[1] != ':' || key <= ' ' || key > '~') {
		rs_problem(p, number, _("line is not KEY:VALUE; skipped"));
		return;
	}
	read_field(&ap->s, line, number);
}

int rs_parse_apk_installed(const char *text, size_t len, const char *name, rs_vec *packages)
{
	rs_problems p = {name, 0, MAX_WARNINGS};
	apk_parse ap;
	memset(&ap, 0, sizeof(ap));
	ap.packages = packages;
	return rs_parse_stanzas(text, len, &p, read_line, end_stanza, &ap);
}

int rs_collect_apk(const rs_host *h, rs_facts *f)
{
	char *text = NULL;
	size_t len = 0;
	int problems_met = 0;
	if (rs_read_host_file(h, APK_INSTALLED_PATH, APK_INSTALLED_MAX, _("the apk database"),
			      _("apk packages are not listed"), &text, &len, &problems_met) < 0)
		return problems_met;
	char *display = rs_host_display_path(h, APK_INSTALLED_PATH);
	problems_met = rs_parse_apk_installed(text, len, display, &f->packages);
	free(display);
	free(text);
	return problems_met;
}
