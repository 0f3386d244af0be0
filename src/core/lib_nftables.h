/*
 * lib_nftables.h — libnftables (libnftables.so.1, Debian package
 * libnftables1), loaded on first use (core/dynlib.h): respond's network
 * containment (respond/nft.c) and the firewall rules of an evidence bundle
 * (evidence/firewall.c).
 * Call rs_nftables_load() before any rs_nftables function.
 */
#ifndef RS_CORE_LIB_NFTABLES_H
#define RS_CORE_LIB_NFTABLES_H

#include <nftables/libnftables.h>
#include <stddef.h>

/* The functions rasoat uses, named as in the library without "nft_". */
typedef struct rs_nftables_api {
	__typeof__(nft_ctx_new) *ctx_new;
	__typeof__(nft_ctx_free) *ctx_free;
	__typeof__(nft_ctx_output_set_flags) *ctx_output_set_flags;
	__typeof__(nft_ctx_buffer_output) *ctx_buffer_output;
	__typeof__(nft_ctx_buffer_error) *ctx_buffer_error;
	__typeof__(nft_ctx_get_output_buffer) *ctx_get_output_buffer;
	__typeof__(nft_ctx_get_error_buffer) *ctx_get_error_buffer;
	__typeof__(nft_run_cmd_from_buffer) *run_cmd_from_buffer;
} rs_nftables_api;

extern rs_nftables_api rs_nftables;

/* Loads the library once; 0, or -1 with ERR naming it and the package to
 * install. */
int rs_nftables_load(char *err, size_t errsize);

#endif
