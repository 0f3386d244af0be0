/*
 * content.c — what the agent keeps of its tasks on disk: the content of an
 * update-content task installed atomically (a new directory written and
 * fsynced beside the old one, swapped in with renameat2 RENAME_EXCHANGE),
 * and the summary of a collect task's evidence bundle (its size, SHA-256
 * and manifest) reported to the server in place of the bundle.
 */
#include "agent/agent.h"
#include "core/config.h"
#include "core/digest.h"
#include "core/dirlist.h"
#include "core/i18n.h"
#include "core/lib_archive.h"
#include "core/log.h"
#include "core/util.h"
#include "fleet/task.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST_MAX (1u << 20)
#define MANIFEST_KEEP (24u << 10)

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes FILE under ROOT (its directories made, no symlink followed). */
static int write_one(const char *root, const rs_content_file *file, char *err, size_t errsize)
{
	char *path = rs_sprintf("%s/%s", root, file->path);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			snprintf(err, errsize, _("%s: cannot make the directory: %s"), path, strerror(errno));
			free(path);
			return -1;
		}
		*p = '/';
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	int rc = fd < 0 ? -1 : 0;
	for (size_t off = 0; rc == 0 && off < file->len;) {
		ssize_t n = write(fd, file->data + off, file->len - off);
		if (n <= 0)
			rc = -1;
		else
			off += (size_t)n;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = -1;
	if (rc < 0)
		snprintf(err, errsize, _("%s: cannot write: %s"), path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

json_t *rs_agent_content_install(const char *dir, const char *text, char *err, size_t errsize)
{
	rs_content_bundle b;
	if (rs_content_parse(text, strlen(text), &b, err, errsize) < 0)
		return NULL;
	char *tmp = rs_sprintf("%s.new-XXXXXX", dir);
	json_t *result = NULL;
	if (!mkdtemp(tmp)) {
		snprintf(err, errsize, _("%s: cannot make a directory beside it: %s"), dir, strerror(errno));
		goto out;
	}
	size_t bytes = 0;
	json_t *files = json_array();
	for (size_t i = 0; i < b.n_files; i++) {
		if (write_one(tmp, &b.files[i], err, errsize) < 0) {
			json_decref(files);
			remove_tree(tmp);
			goto out;
		}
		bytes += b.files[i].len;
		json_array_append_new(files, json_string(b.files[i].path));
	}
	char hex[65];
	rs_sha256_hex(text, strlen(text), hex);
	result = json_pack("{s:i,s:I,s:I,s:s}", "files", (int)b.n_files, "bytes", (json_int_t)bytes, "created",
			   (json_int_t)b.created, "sha256", hex);
	json_t *manifest = json_pack("{s:I,s:s,s:o}", "created", (json_int_t)b.created, "sha256", hex, "files", files);
	char *mtext = json_dumps(manifest, JSON_COMPACT);
	json_decref(manifest);
	rs_content_file mf = { .path = ".bundle.json", .data = (unsigned char *)mtext, .len = strlen(mtext) };
	int rc = write_one(tmp, &mf, err, errsize);
	free(mtext);
	if (rc == 0)
		rc = rs_agent_fsync_dir(tmp);
	/* swap in: one rename, so a reader sees the old content or the new, whole */
	if (rc == 0) {
		struct stat sb;
		if (lstat(dir, &sb) == 0) {
			rc = renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE);
			if (rc == 0)
				remove_tree(tmp); /* now the old content */
		} else {
			rc = rename(tmp, dir);
		}
		if (rc < 0)
			snprintf(err, errsize, _("%s: cannot install the new content: %s"), dir, strerror(errno));
	}
	if (rc < 0) {
		remove_tree(tmp);
		json_decref(result);
		result = NULL;
	} else {
		char *parent = rs_strdup(dir);
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent)
			*slash = '\0';
		rs_agent_fsync_dir(parent);
		free(parent);
	}
out:
	free(tmp);
	rs_content_free(&b);
	return result;
}

/* SHA-256 hex and size of the file PATH. */
static int hash_file(const char *path, char hex[65], long long *size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	unsigned long long n = 0;
	int rc = rs_digest_fd_hex(fd, RS_DIGEST_SHA256, ULLONG_MAX, hex, &n);
	close(fd);
	*size = (long long)n;
	return rc;
}

/* The bundle's manifest.json (at most MANIFEST_MAX bytes), or NULL. */
static char *read_manifest(const char *path)
{
	char err[512];
	if (rs_archive_load(err, sizeof(err)) < 0) {
		rs_warn("%s: %s", path, err);
		return NULL;
	}
	struct archive *a = rs_archive.read_new();
	rs_archive.read_support_filter_gzip(a);
	rs_archive.read_support_format_tar(a);
	char *text = NULL;
	if (rs_archive.read_open_filename(a, path, 65536) == ARCHIVE_OK) {
		struct archive_entry *e;
		while (!text && rs_archive.read_next_header(a, &e) == ARCHIVE_OK) {
			const char *name = rs_archive.entry_pathname(e);
			size_t nl = name ? strlen(name) : 0;
			if (nl < 13 || strcmp(name + nl - 13, "manifest.json") != 0 || (nl > 13 && name[nl - 14] != '/'))
				continue;
			rs_buf b;
			rs_buf_init(&b);
			char chunk[16384];
			la_ssize_t n;
			while ((n = rs_archive.read_data(a, chunk, sizeof(chunk))) > 0 && b.len < MANIFEST_MAX)
				rs_buf_append(&b, chunk, (size_t)n);
			text = rs_buf_take(&b);
		}
	}
	rs_archive.read_free(a);
	return text;
}

json_t *rs_agent_bundle_summary(const char *path, char *err, size_t errsize)
{
	char hex[65];
	long long size = 0;
	if (hash_file(path, hex, &size) < 0) {
		snprintf(err, errsize, _("%s: cannot read the bundle: %s"), path, strerror(errno));
		return NULL;
	}
	json_t *r = json_pack("{s:s,s:I,s:s}", "bundle", path, "size", (json_int_t)size, "sha256", hex);
	char *manifest = read_manifest(path);
	json_t *m = manifest ? json_loads(manifest, 0, NULL) : NULL;
	if (m && strlen(manifest) <= MANIFEST_KEEP) {
		json_object_set_new(r, "manifest", m);
	} else {
		json_decref(m);
		if (manifest) {
			char mhex[65];
			rs_sha256_hex(manifest, strlen(manifest), mhex);
			json_object_set_new(r, "manifest_sha256", json_string(mhex));
		}
	}
	free(manifest);
	return r;
}

/* The regular files of DIR (not hidden), sorted, each handed to ADD. */
static void add_files(rs_config *config, const char *dir, void (*add)(rs_config *, const char *))
{
	rs_vec names;
	if (rs_dir_list(dir, &names) < 0)
		return;
	for (size_t i = 0; i < names.len; i++) {
		char *path = rs_sprintf("%s/%s", dir, *(char **)rs_vec_at(&names, i));
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			add(config, path);
		free(path);
	}
	rs_dir_names_free(&names);
}

void rs_agent_content_config(rs_config *config, const char *content_dir)
{
	if (!content_dir)
		return;
	struct stat st;
	char *rules = rs_sprintf("%s/rules", content_dir);
	if (stat(rules, &st) == 0 && S_ISDIR(st.st_mode))
		rs_config_add_rule_dir(config, rules);
	free(rules);
	char *policies = rs_sprintf("%s/policies", content_dir);
	if (stat(policies, &st) == 0 && S_ISDIR(st.st_mode))
		rs_config_add_policy_dir(config, policies);
	free(policies);
	char *feeds = rs_sprintf("%s/feeds", content_dir);
	add_files(config, feeds, rs_config_add_feed);
	free(feeds);
}
