/*
 * iocimport.c — `--iocs FILE`: reads each IOC file given on the command
 * line or in the configuration (bounded, without following a FIFO), tells
 * its format (STIX bundle, MISP event, CSV with a header row, plain list),
 * runs its reader into the hunt's IOC sets, folds the files into the
 * rule-set hash (so the clean-file cache knows them) and finishes the sets.
 */
#include "core/i18n.h"
#include "hunt/iocimport.h"
#include "core/digest.h"
#include "core/host.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IOC_FILE_MAX (64u << 20)

const char *rs_ioc_format_name(enum rs_ioc_format f)
{
	switch (f) {
	case RS_IOCF_STIX: return "STIX bundle";
	case RS_IOCF_MISP: return "MISP event";
	case RS_IOCF_CSV: return "CSV";
	default: return "plain list";
	}
}

enum rs_ioc_format rs_ioc_detect_format(const char *text, size_t len)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
		i++;
	if (i < len && (text[i] == '{' || text[i] == '[')) {
		json_t *root = json_loadb(text + i, len - i, 0, NULL);
		enum rs_ioc_format f = RS_IOCF_MISP;
		if (json_is_object(root)) {
			json_t *type = json_object_get(root, "type");
			if (json_object_get(root, "Event") || json_object_get(root, "response"))
				f = RS_IOCF_MISP;
			else if (type || json_object_get(root, "objects"))
				f = RS_IOCF_STIX;
		} else if (!root && text[i] == '{' && memmem(text + i, len - i, "\"bundle\"", 8)) {
			f = RS_IOCF_STIX; /* broken JSON: the reader says where */
		}
		json_decref(root);
		return f;
	}
	return rs_ioc_csv_header(text + i, len - i) ? RS_IOCF_CSV : RS_IOCF_PLAIN;
}

json_t *rs_ioc_import_json(rs_ioc_import *im, const char *text, size_t len)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, 0, &err);
	if (!root)
		rs_problem(&im->problems, (size_t)(err.line > 0 ? err.line : 0), _("not valid JSON: %s (column %d)"),
			   err.text, err.column);
	return root;
}

static int read_file(const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	int rc = rs_read_fd(fd, IOC_FILE_MAX, text, len);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int rs_hunt_import_iocs(rs_hunt_rules *r, char *const *files, size_t n, bool all)
{
	size_t usable = 0;
	rs_buf ident;
	rs_buf_init(&ident);
	rs_buf_puts(&ident, r->hash);
	rs_buf_puts(&ident, all ? "\niocs-all" : "\niocs");
	for (size_t i = 0; i < n; i++) {
		char *text = NULL;
		size_t len = 0;
		if (read_file(files[i], &text, &len) < 0) {
			rs_error(_("%s: cannot read the IOC file: %s; check the path given to --iocs"), files[i],
				 errno == EINVAL ? _("not a regular file") : errno == EFBIG ? _("larger than 64 MiB")
											   : strerror(errno));
			continue;
		}
		rs_ioc_import im;
		rs_ioc_import_init(&im, &r->hashes, &r->names, &r->c2, files[i]);
		im.all = all;
		enum rs_ioc_format f = rs_ioc_detect_format(text, len);
		switch (f) {
		case RS_IOCF_STIX: rs_ioc_read_stix(&im, text, len); break;
		case RS_IOCF_MISP: rs_ioc_read_misp(&im, text, len); break;
		case RS_IOCF_CSV: rs_ioc_read_csv(&im, text, len); break;
		default: rs_ioc_read_plain(&im, text, len); break;
		}
		char digest[65];
		rs_sha256_hex(text, len, digest);
		rs_buf_printf(&ident, "\n%s\t%s", files[i], digest);
		free(text);
		r->ioc_bad_lines += (size_t)im.problems.count;
		r->iocs_imported += im.added;
		r->iocs_skipped += im.skipped;
		if (im.added) {
			usable++;
			r->ioc_files++;
		} else {
			rs_error(_("%s: no usable IOC in this %s (%d problem%s above, %zu skipped on purpose); see "
				 "docs/HUNT.md for the formats --iocs reads"), files[i], rs_ioc_format_name(f),
				 im.problems.count, im.problems.count == 1 ? "" : "s", im.skipped);
		}
	}
	rs_sha256_hex(ident.data, ident.len, r->hash);
	rs_buf_free(&ident);
	rs_ioc_hashes_finish(&r->hashes);
	rs_ioc_names_finish(&r->names);
	rs_ioc_c2_finish(&r->c2);
	return n && !usable ? -1 : 0;
}
