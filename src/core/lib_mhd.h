/*
 * lib_mhd.h — libmicrohttpd (libmicrohttpd.so.12, Debian package
 * libmicrohttpd12), loaded on first use (core/dynlib.h): the fleet server's
 * HTTP side (server/http.c and the APIs).
 * Call rs_mhd_load() before any rs_mhd function.
 */
#ifndef RS_CORE_LIB_MHD_H
#define RS_CORE_LIB_MHD_H

#include <microhttpd.h>
#include <stddef.h>

/* The functions rasoat uses, named as in the library without "MHD_". */
typedef struct rs_mhd_api {
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_resume_connection) *resume_connection;
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_suspend_connection) *suspend_connection;
} rs_mhd_api;

extern rs_mhd_api rs_mhd;

/* Loads the library once; 0, or -1 with ERR naming it and the package to
 * install. */
int rs_mhd_load(char *err, size_t errsize);

#endif
