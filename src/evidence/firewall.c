/*
 * firewall.c — the firewall ruleset as the kernel holds it, through
 * libnftables' JSON output of `list ruleset` (what `nft -j list ruleset`
 * prints; iptables-nft rules are nftables tables and appear there too).
 * Without CAP_NET_ADMIN, without nf_tables, or without libnftables (loaded
 * here, core/lib_nftables.h), the member holds the error.
 */
#include "evidence/evidence.h"
#include "core/json.h"
#include "core/lib_nftables.h"

#include <string.h>

json_t *rs_evidence_firewall_json(void)
{
	json_t *o = json_object();
	json_object_set_new(o, "source", json_string("libnftables: list ruleset"));
	char err[512];
	if (rs_nftables_load(err, sizeof(err)) < 0) {
		json_object_set_new(o, "error", rs_json_string(err));
		return o;
	}
	struct nft_ctx *nft = rs_nftables.ctx_new(NFT_CTX_DEFAULT);
	if (!nft) {
		json_object_set_new(o, "error", json_string("libnftables could not start"));
		return o;
	}
	rs_nftables.ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE);
	rs_nftables.ctx_buffer_output(nft);
	rs_nftables.ctx_buffer_error(nft);
	int rc = rs_nftables.run_cmd_from_buffer(nft, "list ruleset");
	const char *out = rs_nftables.ctx_get_output_buffer(nft);
	const char *errors = rs_nftables.ctx_get_error_buffer(nft);
	json_error_t jerr;
	json_t *ruleset = rc == 0 && out && *out ? json_loads(out, 0, &jerr) : NULL;
	if (ruleset) {
		json_object_set_new(o, "ruleset", ruleset);
	} else {
		json_object_set_new(o, "ruleset", json_null());
		json_object_set_new(o, "error", rs_json_string(errors && *errors ? errors
							     : rc ? "list ruleset failed" : "empty or not JSON"));
		if (out && *out)
			json_object_set_new(o, "text", rs_json_string(out));
	}
	rs_nftables.ctx_free(nft);
	return o;
}
