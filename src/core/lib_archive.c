/*
 * lib_archive.c — the table of libarchive's functions and its loading
 * (lib_archive.h).
 */
#include "core/lib_archive.h"
#include "core/dynlib.h"

rs_archive_api rs_archive;

static const rs_dynlib_sym syms[] = {
	{ "archive_read_new", &rs_archive.read_new },
	{ "archive_read_free", &rs_archive.read_free },
	{ "archive_read_support_filter_gzip", &rs_archive.read_support_filter_gzip },
	{ "archive_read_support_filter_xz", &rs_archive.read_support_filter_xz },
	{ "archive_read_support_format_raw", &rs_archive.read_support_format_raw },
	{ "archive_read_support_format_tar", &rs_archive.read_support_format_tar },
	{ "archive_read_support_format_zip", &rs_archive.read_support_format_zip },
	{ "archive_read_support_format_zip_seekable", &rs_archive.read_support_format_zip_seekable },
	{ "archive_read_set_callback_data", &rs_archive.read_set_callback_data },
	{ "archive_read_set_read_callback", &rs_archive.read_set_read_callback },
	{ "archive_read_set_seek_callback", &rs_archive.read_set_seek_callback },
	{ "archive_read_set_skip_callback", &rs_archive.read_set_skip_callback },
	{ "archive_read_open1", &rs_archive.read_open1 },
	{ "archive_read_open_filename", &rs_archive.read_open_filename },
	{ "archive_read_open_memory", &rs_archive.read_open_memory },
	{ "archive_read_next_header", &rs_archive.read_next_header },
	{ "archive_read_data", &rs_archive.read_data },
	{ "archive_write_new", &rs_archive.write_new },
	{ "archive_write_free", &rs_archive.write_free },
	{ "archive_write_fail", &rs_archive.write_fail },
	{ "archive_write_set_format_pax_restricted", &rs_archive.write_set_format_pax_restricted },
	{ "archive_write_add_filter_gzip", &rs_archive.write_add_filter_gzip },
	{ "archive_write_set_filter_option", &rs_archive.write_set_filter_option },
	{ "archive_write_set_bytes_in_last_block", &rs_archive.write_set_bytes_in_last_block },
	{ "archive_write_open_fd", &rs_archive.write_open_fd },
	{ "archive_write_header", &rs_archive.write_header },
	{ "archive_write_data", &rs_archive.write_data },
	{ "archive_write_finish_entry", &rs_archive.write_finish_entry },
	{ "archive_write_close", &rs_archive.write_close },
	{ "archive_error_string", &rs_archive.error_string },
	{ "archive_format", &rs_archive.format },
	{ "archive_entry_new", &rs_archive.entry_new },
	{ "archive_entry_free", &rs_archive.entry_free },
	{ "archive_entry_filetype", &rs_archive.entry_filetype },
	{ "archive_entry_pathname", &rs_archive.entry_pathname },
	{ "archive_entry_size", &rs_archive.entry_size },
	{ "archive_entry_size_is_set", &rs_archive.entry_size_is_set },
	{ "archive_entry_set_filetype", &rs_archive.entry_set_filetype },
	{ "archive_entry_set_gid", &rs_archive.entry_set_gid },
	{ "archive_entry_set_mtime", &rs_archive.entry_set_mtime },
	{ "archive_entry_set_pathname", &rs_archive.entry_set_pathname },
	{ "archive_entry_set_perm", &rs_archive.entry_set_perm },
	{ "archive_entry_set_size", &rs_archive.entry_set_size },
	{ "archive_entry_set_uid", &rs_archive.entry_set_uid },
};

static rs_dynlib lib = {
	.soname = "libarchive.so.13",
	.package = "libarchive13",
	.env = "RASOAT_SONAME_LIBARCHIVE",
	.syms = syms,
	.n_syms = sizeof(syms) / sizeof(syms[0]),
};

int rs_archive_load(char *err, size_t errsize)
{
	return rs_dynlib_load(&lib, err, errsize);
}
