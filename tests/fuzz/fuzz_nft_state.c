/*
 * fuzz_nft_state.c — libFuzzer target: the reading of an nftables JSON
 * listing of table inet rasoat (rs_nft_state_parse), of addresses and
 * networks (rs_netaddr_parse), HOST:PORT and socket endpoints and domain
 * names over arbitrary input. Every input must parse
 * or be refused without a crash, leak or undefined behaviour.
 */
#include "core/log.h"
#include "core/netaddr.h"
#include "respond/netutil.h"
#include "respond/nft.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_nft_state st;
	rs_nft_state_init(&st);
	char err[512];
	if (rs_nft_state_parse((const char *)data, size, &st, err, sizeof(err)) == 0)
		(void)rs_nft_empty_without(&st, "rasoat a-1", true);
	rs_nft_state_free(&st);
	if (size < 128) {
		char text[128];
		memcpy(text, data, size);
		text[size] = '\0';
		rs_netaddr n;
		if (rs_netaddr_parse(text, &n, err, sizeof(err)) == 0) {
			char out[RS_NETADDR_TEXT];
			rs_netaddr_format(&n, out, sizeof(out));
		}
		char host[RS_HOSTNAME_MAX];
		long port;
		rs_split_hostport(text, false, host, sizeof(host), &port, err, sizeof(err));
		rs_parse_endpoint(text, &n, &port);
		(void)rs_valid_domain(text);
	}
	return 0;
}
