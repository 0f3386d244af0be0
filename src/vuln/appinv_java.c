/*
 * appinv_java.c — the Maven packages inside JAR, WAR and EAR files, read with
 * libarchive: each META-INF/maven/GROUP/ARTIFACT/pom.properties, or, in an
 * archive that has none, its META-INF/MANIFEST.MF (Bundle-SymbolicName or
 * Implementation-Vendor-Id with a version). Archives inside archives
 * (WEB-INF/lib/x.jar, BOOT-INF/lib/x.jar, an EAR's modules) are read too,
 * up to a nesting depth, a member size and a total size; their sources read
 * "/srv/app.war!WEB-INF/lib/x.jar!META-INF/maven/g/a/pom.properties".
 */
#include "core/i18n.h"
#include "core/lib_archive.h"
#include "vuln/appinv_read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAVEN "Maven"
#define JAR_MAX_DEPTH 3             /* the file, and archives nested twice inside it */
#define JAR_MAX_MEMBER (64u << 20)  /* a nested archive read into memory */
#define JAR_MAX_TEXT (1u << 20)     /* a pom.properties or MANIFEST.MF */
#define JAR_MAX_TOTAL (512u << 20)  /* all nested archives of one file */
#define JAR_MAX_ENTRIES 200000

typedef struct jar_walk {
	rs_app_inventory *inv;
	const char *application;
	size_t total; /* bytes of nested archives read */
} jar_walk;

/* The value of KEY in a properties text (key=value, key: value), a copy. */
static char *property(const char *text, const char *key)
{
	size_t k = strlen(key);
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		const char *s = line;
		while (s < line + n && (*s == ' ' || *s == '\t'))
			s++;
		if ((size_t)(line + n - s) > k && !strncmp(s, key, k)) {
			const char *v = s + k;
			while (v < line + n && (*v == ' ' || *v == '\t'))
				v++;
			if (v < line + n && (*v == '=' || *v == ':')) {
				char *out = rs_strndup(v + 1, (size_t)(line + n - v - 1));
				char *t = rs_trim(out);
				memmove(out, t, strlen(t) + 1);
				return out;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

int rs_app_read_pom_properties(const char *text, size_t len, const char *source, const char *application,
			       rs_app_inventory *inv)
{
	if (memchr(text, '\0', len))
		return rs_app_problem(inv, source, _("holds a NUL byte: not a pom.properties"));
	char *copy = rs_strndup(text, len);
	char *group = property(copy, "groupId");
	char *artifact = property(copy, "artifactId");
	char *version = property(copy, "version");
	int rc = 0;
	if (group && artifact && version && *group && *artifact && *version) {
		char *name = rs_sprintf("%s:%s", group, artifact);
		rs_app_add(inv, MAVEN, name, version, source, application);
		free(name);
	} else {
		rc = rs_app_problem(inv, source, _("no groupId, artifactId or version (truncated?)"));
	}
	free(group);
	free(artifact);
	free(version);
	free(copy);
	return rc;
}

/* MANIFEST.MF with continuation lines (a leading space) joined and CRs dropped. */
static char *manifest_unfold(const char *text, size_t len)
{
	rs_buf b;
	rs_buf_init(&b);
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\r')
			continue;
		if (text[i] == '\n' && i + 1 < len && text[i + 1] == ' ') {
			i++; /* a continuation: drop the newline and the space */
			continue;
		}
		rs_buf_append(&b, text + i, 1);
	}
	return rs_buf_take(&b);
}

/* The artifact Maven named the archive after: "asm-tree" for
 * ".../asm-tree-9.7.1.jar!META-INF/MANIFEST.MF" with VERSION 9.7.1; NULL
 * when the archive's name does not end in "-VERSION.jar". */
static char *artifact_from_name(const char *source, const char *version)
{
	const char *bang = strstr(source, "!META-INF/MANIFEST.MF");
	size_t end = bang ? (size_t)(bang - source) : strlen(source);
	size_t start = end;
	while (start > 0 && source[start - 1] != '/' && source[start - 1] != '!')
		start--;
	char *base = rs_strndup(source + start, end - start);
	char *suffix = rs_sprintf("-%s.jar", version);
	char *out = NULL;
	size_t bl = strlen(base), sl = strlen(suffix);
	if (bl > sl && !strcmp(base + bl - sl, suffix))
		out = rs_strndup(base, bl - sl);
	free(suffix);
	free(base);
	return out;
}

int rs_app_read_jar_manifest(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv)
{
	if (memchr(text, '\0', len))
		return rs_app_problem(inv, source, _("holds a NUL byte: not a MANIFEST.MF"));
	char *m = manifest_unfold(text, len);
	char *symbolic = property(m, "Bundle-SymbolicName");
	char *vendor_id = property(m, "Implementation-Vendor-Id");
	char *title = property(m, "Implementation-Title");
	char *version = property(m, "Bundle-Version");
	if (!version)
		version = property(m, "Implementation-Version");
	/* the artifact: the archive's name when Maven named it (NAME-VERSION.jar),
	 * else the last part of the bundle name or the implementation title; the
	 * group: Implementation-Vendor-Id, else the bundle name without that last part */
	char *group = NULL, *artifact = version ? artifact_from_name(source, version) : NULL;
	if (symbolic) {
		symbolic[strcspn(symbolic, ";")] = '\0'; /* ";singleton:=true" */
		char *t = rs_trim(symbolic);
		size_t tl = strlen(t), al = artifact ? strlen(artifact) : 0;
		char *dot = strrchr(t, '.');
		if (artifact && tl > al + 1 && t[tl - al - 1] == '.' && !strcmp(t + tl - al, artifact))
			dot = t + tl - al - 1; /* "com.acme.lib-extra" for lib-extra */
		if (!artifact)
			artifact = rs_strdup(dot ? dot + 1 : t);
		if (vendor_id && *vendor_id)
			group = rs_strdup(vendor_id);
		else if (dot && dot != t)
			group = rs_strndup(t, (size_t)(dot - t));
	} else if (vendor_id && *vendor_id) {
		group = rs_strdup(vendor_id);
		if (!artifact && title && *title && !strchr(title, ' '))
			artifact = rs_strdup(title);
	}
	size_t gl = group ? strlen(group) : 0;
	if (artifact && gl && !strncmp(artifact, group, gl) && artifact[gl] == '.' && artifact[gl + 1])
		memmove(artifact, artifact + gl + 1, strlen(artifact + gl + 1) + 1); /* "GROUP.ARTIFACT-1.0.jar" */
	if (group && artifact && version && *group && *artifact && *version && !strchr(version, ' ')) {
		char *name = rs_sprintf("%s:%s", group, artifact);
		rs_app_add(inv, MAVEN, name, version, source, application);
		free(name);
	}
	free(group);
	free(artifact);
	free(symbolic);
	free(vendor_id);
	free(title);
	free(version);
	free(m);
	return 0;
}

static bool is_pom_properties(const char *name)
{
	/* META-INF/maven/GROUP/ARTIFACT/pom.properties */
	if (!rs_starts_with(name, "META-INF/maven/") || !rs_ends_with(name, "/pom.properties"))
		return false;
	int slashes = 0;
	for (const char *s = name + strlen("META-INF/maven/"); *s; s++)
		slashes += *s == '/';
	return slashes == 2;
}

static bool is_nested_archive(const char *name)
{
	return rs_ends_with(name, ".jar") || rs_ends_with(name, ".war") || rs_ends_with(name, ".ear");
}

/* Reads the current entry whole, up to MAX bytes; NULL (and *TOO_LARGE) beyond. */
static unsigned char *entry_data(struct archive *a, struct archive_entry *e, size_t max, size_t *len,
				 bool *too_large)
{
	*too_large = false;
	la_int64_t declared = rs_archive.entry_size_is_set(e) ? rs_archive.entry_size(e) : -1;
	if (declared > (la_int64_t)max) {
		*too_large = true;
		return NULL;
	}
	size_t cap = declared >= 0 ? (size_t)declared + 1 : 65536;
	unsigned char *buf = rs_malloc(cap);
	size_t got = 0;
	for (;;) {
		if (got == cap) {
			if (cap > max) {
				free(buf);
				*too_large = true;
				return NULL;
			}
			cap = cap > max / 2 ? max + 1 : cap * 2; /* one byte past MAX tells it is larger */
			buf = rs_realloc(buf, cap);
		}
		la_ssize_t n = rs_archive.read_data(a, buf + got, cap - got);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > max) {
		free(buf);
		*too_large = true;
		return NULL;
	}
	*len = got;
	return buf;
}

static int read_archive(jar_walk *w, struct archive *a, const char *shown, int depth);

static int read_nested(jar_walk *w, const unsigned char *data, size_t len, const char *shown, int depth)
{
	struct archive *a = rs_archive.read_new();
	rs_archive.read_support_format_zip_seekable(a);
	if (rs_archive.read_open_memory(a, data, len) != ARCHIVE_OK) {
		int rc = rs_app_problem(w->inv, shown, _("not a readable zip archive (%s)"), rs_archive.error_string(a));
		rs_archive.read_free(a);
		return rc;
	}
	int rc = read_archive(w, a, shown, depth);
	rs_archive.read_free(a);
	return rc;
}

static int read_archive(jar_walk *w, struct archive *a, const char *shown, int depth)
{
	struct archive_entry *e;
	char *manifest = NULL;
	size_t manifest_len = 0;
	bool any_pom = false;
	int rc = 0, r;
	unsigned long entries = 0;
	while ((r = rs_archive.read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if (++entries > JAR_MAX_ENTRIES) {
			rc = rs_app_problem(w->inv, shown, _("more than %d entries; the rest is not read"), JAR_MAX_ENTRIES);
			break;
		}
		if (rs_archive.entry_filetype(e) != AE_IFREG)
			continue;
		const char *name = rs_archive.entry_pathname(e);
		if (!name)
			continue;
		bool pom = is_pom_properties(name);
		bool mf = !strcmp(name, "META-INF/MANIFEST.MF");
		bool nested = depth < JAR_MAX_DEPTH && is_nested_archive(name);
		if (!pom && !mf && !nested)
			continue;
		char *member = rs_sprintf("%s!%s", shown, name);
		size_t max = nested ? JAR_MAX_MEMBER : JAR_MAX_TEXT;
		if (nested && w->total >= JAR_MAX_TOTAL) {
			free(member);
			continue;
		}
		size_t len = 0;
		bool too_large;
		unsigned char *data = entry_data(a, e, max, &len, &too_large);
		if (!data) {
			rc = too_large ? rs_app_problem(w->inv, member, _("larger than %zu bytes; not read"), max)
				       : rs_app_problem(w->inv, member, _("cannot be read from the archive (%s)"),
							rs_archive.error_string(a));
			free(member);
			continue;
		}
		if (pom) {
			any_pom = true;
			if (rs_app_read_pom_properties((const char *)data, len, member, w->application, w->inv) < 0)
				rc = -1;
		} else if (mf) {
			free(manifest);
			manifest = (char *)data;
			manifest_len = len;
			data = NULL;
		} else {
			w->total += len;
			if (read_nested(w, data, len, member, depth + 1) < 0)
				rc = -1;
		}
		free(data);
		free(member);
	}
	if (r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN && entries <= JAR_MAX_ENTRIES)
		rc = rs_app_problem(w->inv, shown, _("the archive is damaged after %lu entries (%s)"), entries,
				    rs_archive.error_string(a));
	if (manifest && !any_pom) {
		char *member = rs_sprintf("%s!META-INF/MANIFEST.MF", shown);
		rs_app_read_jar_manifest(manifest, manifest_len, member, w->application, w->inv);
		free(member);
	}
	free(manifest);
	return rc;
}

int rs_app_read_jar(const void *data, size_t len, const char *source, const char *application,
		    rs_app_inventory *inv)
{
	char err[512];
	if (rs_archive_load(err, sizeof(err)) < 0)
		return rs_app_problem(inv, source, "%s", err);
	jar_walk w = { .inv = inv, .application = application };
	return read_nested(&w, data, len, source, 1);
}

/* ---- reading an archive from an open file with pread, seekable ---- */

typedef struct fd_source {
	int fd;
	int64_t pos, size;
	unsigned char buf[65536];
} fd_source;

static la_ssize_t fd_read(struct archive *a, void *ctx, const void **out)
{
	(void)a;
	fd_source *s = ctx;
	ssize_t n;
	do {
		n = pread(s->fd, s->buf, sizeof(s->buf), (off_t)s->pos);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	s->pos += n;
	*out = s->buf;
	return n;
}

static la_int64_t fd_seek(struct archive *a, void *ctx, la_int64_t offset, int whence)
{
	(void)a;
	fd_source *s = ctx;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? s->pos : s->size;
	int64_t to = base + offset;
	if (to < 0)
		return ARCHIVE_FATAL;
	s->pos = to;
	return to;
}

static la_int64_t fd_skip(struct archive *a, void *ctx, la_int64_t request)
{
	(void)a;
	fd_source *s = ctx;
	s->pos += request;
	return request;
}

int rs_app_read_jar_fd(int fd, const char *source, const char *application, rs_app_inventory *inv)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return rs_app_problem(inv, source, _("cannot stat (%s)"), strerror(errno));
	char err[512];
	if (rs_archive_load(err, sizeof(err)) < 0)
		return rs_app_problem(inv, source, "%s", err);
	fd_source *s = rs_calloc(1, sizeof(*s));
	s->fd = fd;
	s->size = st.st_size;
	struct archive *a = rs_archive.read_new();
	rs_archive.read_support_format_zip_seekable(a);
	rs_archive.read_set_callback_data(a, s);
	rs_archive.read_set_read_callback(a, fd_read);
	rs_archive.read_set_seek_callback(a, fd_seek);
	rs_archive.read_set_skip_callback(a, fd_skip);
	int rc;
	if (rs_archive.read_open1(a) != ARCHIVE_OK) {
		rc = rs_app_problem(inv, source, _("not a readable zip archive (%s)"), rs_archive.error_string(a));
	} else {
		jar_walk w = { .inv = inv, .application = application };
		rc = read_archive(&w, a, source, 1);
	}
	rs_archive.read_free(a);
	free(s);
	return rc;
}
