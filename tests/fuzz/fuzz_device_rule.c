/*
 * fuzz_device_rule.c — libFuzzer target: the input is a cfg: rule (the rule
 * type of device policies, audit/sca_cfg.c) parsed in both regex dialects
 * and evaluated over a small IOS configuration with sections, ACLs and
 * secrets; the evidence is built and freed. No crash, leak or undefined
 * behaviour for any rule.
 */
#include "audit/sca.h"
#include "core/log.h"
#include "core/util.h"
#include "device/device.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char config[] =
	"version 15.2\nhostname R1\nenable secret 5 $1$abc$def\nusername u password 7 0822455D\n"
	"interface Gi0/0\n ip address 10.0.0.1 255.255.255.0\n no ip proxy-arp\n"
	"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n address-family ipv4\n  neighbor 10.0.0.2 activate\n"
	"ip access-list extended A\n permit tcp any any eq 22\n permit tcp host 10.1.1.1 any eq 22\n"
	"access-list 5 permit 10.0.0.0 0.0.0.255\nobject-group network G\n host 10.2.2.2\n"
	"line vty 0 4\n exec-timeout 30 0\n transport input telnet\nbanner motd ^C\nHello\n^C\nend\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	if (size > 4096)
		return 0;
	rs_device_config *cfg = NULL;
	char err[512];
	if (rs_device_parse("r1.cfg", config, sizeof(config) - 1, RS_DEVICE_CISCO_IOS, &cfg, err, sizeof(err)) < 0)
		abort();
	char *text = rs_sprintf("cfg:%.*s", (int)size, (const char *)data);
	for (int d = 0; d < 2; d++) {
		rs_sca_rule r;
		if (rs_sca_rule_parse(&r, text, d ? RS_SCA_PCRE2 : RS_SCA_OSSEC, err, sizeof(err)) == 0) {
			rs_sca_ctx ctx = { .device = cfg };
			char *reason = NULL;
			json_t *ev = NULL;
			rs_sca_rule_eval(&ctx, &r, &reason, &ev);
			free(reason);
			json_decref(ev);
		}
		rs_sca_rule_free(&r);
	}
	free(text);
	rs_device_config_free(cfg);
	return 0;
}
