/*
 * lib_archive.h — libarchive (libarchive.so.13, Debian package libarchive13),
 * loaded on first use (core/dynlib.h): archives met by hunt, the agent's
 * content bundles, Java applications (vuln/appinv_java.c), OSV zips
 * (vuln/osv.c) and evidence bundles (evidence/bundle.c). Loaded, it maps a
 * dozen more libraries (libxml2 and ICU, the compressors, nettle, acl):
 * more than half of what start-up cost before.
 * Call rs_archive_load() before any rs_archive function.
 */
#ifndef RS_CORE_LIB_ARCHIVE_H
#define RS_CORE_LIB_ARCHIVE_H

#include <archive.h>
#include <archive_entry.h>
#include <stddef.h>

/* The functions rasoat uses, named as in libarchive without "archive_". */
typedef struct rs_archive_api {
	__typeof__(archive_read_new) *read_new;
	__typeof__(archive_read_free) *read_free;
	__typeof__(archive_read_support_filter_gzip) *read_support_filter_gzip;
	__typeof__(archive_read_support_filter_xz) *read_support_filter_xz;
	__typeof__(archive_read_support_format_raw) *read_support_format_raw;
	__typeof__(archive_read_support_format_tar) *read_support_format_tar;
	__typeof__(archive_read_support_format_zip) *read_support_format_zip;
	__typeof__(archive_read_support_format_zip_seekable) *read_support_format_zip_seekable;
	__typeof__(archive_read_set_callback_data) *read_set_callback_data;
	__typeof__(archive_read_set_read_callback) *read_set_read_callback;
	__typeof__(archive_read_set_seek_callback) *read_set_seek_callback;
	__typeof__(archive_read_set_skip_callback) *read_set_skip_callback;
	__typeof__(archive_read_open1) *read_open1;
	__typeof__(archive_read_open_filename) *read_open_filename;
	__typeof__(archive_read_open_memory) *read_open_memory;
	__typeof__(archive_read_next_header) *read_next_header;
	__typeof__(archive_read_data) *read_data;
	__typeof__(archive_write_new) *write_new;
	__typeof__(archive_write_free) *write_free;
	__typeof__(archive_write_fail) *write_fail;
	__typeof__(archive_write_set_format_pax_restricted) *write_set_format_pax_restricted;
	__typeof__(archive_write_add_filter_gzip) *write_add_filter_gzip;
	__typeof__(archive_write_set_filter_option) *write_set_filter_option;
	__typeof__(archive_write_set_bytes_in_last_block) *write_set_bytes_in_last_block;
	__typeof__(archive_write_open_fd) *write_open_fd;
	__typeof__(archive_write_header) *write_header;
	__typeof__(archive_write_data) *write_data;
	__typeof__(archive_write_finish_entry) *write_finish_entry;
	__typeof__(archive_write_close) *write_close;
	__typeof__(archive_error_string) *error_string;
	__typeof__(archive_format) *format;
	__typeof__(archive_entry_new) *entry_new;
	__typeof__(archive_entry_free) *entry_free;
	__typeof__(archive_entry_filetype) *entry_filetype;
	__typeof__(archive_entry_pathname) *entry_pathname;
	__typeof__(archive_entry_size) *entry_size;
	__typeof__(archive_entry_size_is_set) *entry_size_is_set;
	__typeof__(archive_entry_set_filetype) *entry_set_filetype;
	__typeof__(archive_entry_set_gid) *entry_set_gid;
	__typeof__(archive_entry_set_mtime) *entry_set_mtime;
	__typeof__(archive_entry_set_pathname) *entry_set_pathname;
	__typeof__(archive_entry_set_perm) *entry_set_perm;
	__typeof__(archive_entry_set_size) *entry_set_size;
	__typeof__(archive_entry_set_uid) *entry_set_uid;
} rs_archive_api;

extern rs_archive_api rs_archive;

/* Loads libarchive once; 0, or -1 with ERR naming the library and the
 * package to install. */
int rs_archive_load(char *err, size_t errsize);

#endif
