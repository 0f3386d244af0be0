/*
 * fuzz_proc_net.c — libFuzzer target: rs_parse_proc_net over arbitrary proc net/tcp-like
 * text, as each protocol.
 * Every input must parse or warn without a crash, leak or undefined behaviour.
 */
#include "collect/facts.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	static const char *const protos[] = { "tcp", "tcp6", "udp", "udp6" };
	rs_facts f;
	rs_facts_init(&f);
	for (size_t i = 0; i < 4; i++)
		rs_parse_proc_net((const char *)data, size, protos[i], &f.sockets);
	rs_facts_free(&f);
	return 0;
}
