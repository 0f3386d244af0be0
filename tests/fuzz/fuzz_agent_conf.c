/*
 * fuzz_agent_conf.c — libFuzzer target for the agent's local configuration
 * (agent.h, conf.c): any bytes in /etc/rasoat/agent.conf.
 */
#include "agent/agent.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	char err[512];
	rs_agent_conf c;
	rs_agent_conf_init(&c);
	rs_agent_conf_parse(&c, (const char *)data, size, "fuzz", err, sizeof(err));
	rs_agent_conf_free(&c);
	return 0;
}
