/*
 * lib_nftables.c — the table of libnftables' functions and its loading
 * (lib_nftables.h).
 */
#include "core/lib_nftables.h"
#include "core/dynlib.h"

rs_nftables_api rs_nftables;

static const rs_dynlib_sym syms[] = {
	{ "nft_ctx_new", &rs_nftables.ctx_new },
	{ "nft_ctx_free", &rs_nftables.ctx_free },
	{ "nft_ctx_output_set_flags", &rs_nftables.ctx_output_set_flags },
	{ "nft_ctx_buffer_output", &rs_nftables.ctx_buffer_output },
	{ "nft_ctx_buffer_error", &rs_nftables.ctx_buffer_error },
	{ "nft_ctx_get_output_buffer", &rs_nftables.ctx_get_output_buffer },
	{ "nft_ctx_get_error_buffer", &rs_nftables.ctx_get_error_buffer },
	{ "nft_run_cmd_from_buffer", &rs_nftables.run_cmd_from_buffer },
};

static rs_dynlib lib = {
	.soname = "libnftables.so.1",
	.package = "libnftables1",
	.env = "RASOAT_SONAME_LIBNFTABLES",
	.syms = syms,
	.n_syms = sizeof(syms) / sizeof(syms[0]),
};

int rs_nftables_load(char *err, size_t errsize)
{
	return rs_dynlib_load(&lib, err, errsize);
}
