/*
 * lib_mhd.c — the table of libmicrohttpd's functions and its loading
 * (lib_mhd.h).
 */
#include "core/lib_mhd.h"
#include "core/dynlib.h"

rs_mhd_api rs_mhd;

static const rs_dynlib_sym syms[] = {
	{ "MHD_add_response_header", &rs_mhd.add_response_header },
	{ "MHD_create_response_from_buffer", &rs_mhd.create_response_from_buffer },
	{ "MHD_destroy_response", &rs_mhd.destroy_response },
	{ "MHD_get_connection_info", &rs_mhd.get_connection_info },
	{ "MHD_get_daemon_info", &rs_mhd.get_daemon_info },
	{ "MHD_lookup_connection_value", &rs_mhd.lookup_connection_value },
	{ "MHD_queue_response", &rs_mhd.queue_response },
	{ "MHD_resume_connection", &rs_mhd.resume_connection },
	{ "MHD_start_daemon", &rs_mhd.start_daemon },
	{ "MHD_stop_daemon", &rs_mhd.stop_daemon },
	{ "MHD_suspend_connection", &rs_mhd.suspend_connection },
};

static rs_dynlib lib = {
	.soname = "libmicrohttpd.so.12",
	.package = "libmicrohttpd12",
	.env = "RASOAT_SONAME_LIBMICROHTTPD",
	.syms = syms,
	.n_syms = sizeof(syms) / sizeof(syms[0]),
};

int rs_mhd_load(char *err, size_t errsize)
{
	return rs_dynlib_load(&lib, err, errsize);
}
