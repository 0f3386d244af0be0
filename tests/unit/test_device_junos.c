/*
 * test_device_junos.c — the Junos parser (parse_junos.c): the curly and the
 * `display set` forms of the same configuration give the same tree, node by
 * node; CLI sessions around them (prompts, configure/commit, [edit],
 * {master:0}, login banners) are skipped; comments, quoted strings,
 * inactive:/deactivate, replace:/protect:, bracket lists, apply-groups,
 * delete/insert/edit; hostname and version; malformed and truncated input
 * refused with file and line; Junos secrets redacted; the security-policy
 * analyses (shadowed, permit-any, unused addresses).
 */
#include "testutil.h"
#include "core/util.h"
#include "device/analyze.h"
#include "device/device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rs_device_config *parse(const char *text, size_t len)
{
	return rs_test_device_parse("srx.conf", text, len, RS_DEVICE_JUNOS);
}

static rs_device_config *parse_str(const char *text)
{
	return parse(text, strlen(text));
}

static rs_device_config *parse_fixture(const char *rel)
{
	size_t len;
	char *text = rs_test_device_fixture(rel, &len);
	rs_device_config *cfg = parse(text, len);
	free(text);
	return cfg;
}

/* The error for TEXT, which must be refused. */
static void parse_error(const char *text, char *err, size_t errsize)
{
	rs_test_device_refused("srx.conf", text, strlen(text), RS_DEVICE_JUNOS, err, errsize);
}

/* Same texts, same children in the same order, all the way down; counts the nodes. */
static size_t same_tree(const rs_device_node *a, const rs_device_node *b)
{
	if (strcmp(a->text, b->text) != 0)
		fail_msg("'%s' (line %u) differs from '%s' (line %u)", a->text, a->line, b->text, b->line);
	if (a->nchildren != b->nchildren)
		fail_msg("'%s' has %zu children in one form, %zu in the other", a->text, a->nchildren, b->nchildren);
	size_t n = 1;
	for (size_t i = 0; i < a->nchildren; i++)
		n += same_tree(a->children[i], b->children[i]);
	return n;
}

static void test_curly_and_set_identical(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{"junos/weak.conf", "junos/weak.set"},
		{"junos/hardened.conf", "junos/hardened.set"},
	};
	for (size_t i = 0; i < 2; i++) {
		rs_device_config *curly = parse_fixture(pairs[i][0]);
		rs_device_config *set = parse_fixture(pairs[i][1]);
		size_t nodes = same_tree(&curly->root, &set->root);
		assert_true(nodes > 100);
		assert_string_equal(curly->hostname, set->hostname);
		assert_string_equal(curly->version, set->version);
		rs_device_config_free(curly);
		rs_device_config_free(set);
	}
	/* and the file is recognised as Junos in both forms */
	size_t len;
	char *text = rs_test_device_fixture("junos/weak.set", &len);
	assert_int_equal(rs_device_detect(text, len), RS_DEVICE_JUNOS);
	free(text);
	text = rs_test_device_fixture("junos/weak.conf", &len);
	assert_int_equal(rs_device_detect(text, len), RS_DEVICE_JUNOS);
	free(text);
}

static void test_curly_shapes(void **state)
{
	(void)state;
	const char *text =
		"--- JUNOS 21.4R3.15 built 2022-06-01 00:00:00 UTC\r\n"
		"{master:0}\r\n"
		"admin@r1> show configuration | no-more\r\n"
		"## Last commit: 2024-01-02 10:00:00 UTC by admin\r\n"
		"version 21.4R3.15;\r\n"
		"/* a block comment\r\n"
		"   over two lines { } ; */\r\n"
		"system {\r\n"
		"    host-name \"core r1\";\r\n"
		"    services {\r\n"
		"        inactive: telnet;\r\n"
		"        ssh {\r\n"
		"            ciphers [ aes256-ctr   aes128-ctr ];  # trailing comment\r\n"
		"        }\r\n"
		"    }\r\n"
		"    login {\r\n"
		"        message \"Authorised \\\"staff\\\" only; {no} [others]\";\r\n"
		"        user admin {\r\n"
		"            authentication {\r\n"
		"                encrypted-password \"$6$abc$def\"; ## SECRET-DATA\r\n"
		"            }\r\n"
		"        }\r\n"
		"    }\r\n"
		"}\r\n"
		"replace: interfaces {\r\n"
		"    protect: ge-0/0/0 {\r\n"
		"        unit 0 {\r\n"
		"            family inet {\r\n"
		"                address 10.0.0.1/24;\r\n"
		"            }\r\n"
		"        }\r\n"
		"    }\r\n"
		"}\r\n"
		"apply-groups [ g1 g2 ];\r\n"
		"interfaces {\r\n"
		"    interface-range access {\r\n"
		"        member ge-0/0/[0-5];\r\n"
		"    }\r\n"
		"}\r\n"
		"routing-options {\r\n"
		"    static {\r\n"
		"        route 0.0.0.0/0 next-hop 10.0.0.254;\r\n"
		"    }\r\n"
		"}"; /* no final newline */
	rs_device_config *cfg = parse_str(text);
	assert_int_equal(cfg->family, RS_DEVICE_JUNOS);
	assert_string_equal(cfg->hostname, "core r1");
	assert_string_equal(cfg->version, "21.4R3.15");
	const rs_device_node *sys = rs_test_device_path(cfg, "system", NULL);
	assert_int_equal(sys->line, 8);
	const rs_device_node *svc = rs_test_device_child(sys, "services");
	assert_int_equal(rs_test_device_child(svc, "inactive: telnet")->line, 11);
	const rs_device_node *ssh = rs_test_device_child(svc, "ssh");
	assert_int_equal(ssh->nchildren, 2);
	assert_string_equal(ssh->children[0]->text, "ciphers aes256-ctr");
	assert_string_equal(ssh->children[1]->text, "ciphers aes128-ctr");
	assert_int_equal(ssh->children[1]->line, 13);
	const rs_device_node *login = rs_test_device_child(sys, "login");
	assert_string_equal(login->children[0]->text, "message \"Authorised \\\"staff\\\" only; {no} [others]\"");
	rs_test_device_child(rs_test_device_child(rs_test_device_child(login, "user admin"), "authentication"), "encrypted-password \"$6$abc$def\"");
	/* replace: and protect: are dropped */
	const rs_device_node *addr = rs_test_device_path(cfg, "interfaces", "ge-0/0/0", "unit 0", "family inet", "address 10.0.0.1/24", NULL);
	assert_int_equal(addr->line, 29);
	rs_test_device_child(&cfg->root, "apply-groups g1");
	rs_test_device_child(&cfg->root, "apply-groups g2");
	/* a range inside a word is no list */
	rs_test_device_path(cfg, "interfaces", "interface-range access", "member ge-0/0/[0-5]", NULL);
	/* a one-line named section is the same nodes as its set form */
	const rs_device_node *route = rs_test_device_path(cfg, "routing-options", "static", "route 0.0.0.0/0", NULL);
	rs_test_device_child(route, "next-hop 10.0.0.254");
	rs_device_config_free(cfg);
}

static void test_set_commands(void **state)
{
	(void)state;
	const char *text =
		"admin@fw> configure private\n"
		"Entering configuration mode\n"
		"[edit]\n"
		"admin@fw# set system host-name fw1\n"
		"set system services telnet\n"
		"set system services ftp\n"
		"set system services ssh root-login deny\n"
		"delete system services ftp\n"
		"deactivate system services telnet\n"
		"set security policies from-zone a to-zone b policy p1 match source-address any\n"
		"set security policies from-zone a to-zone b policy p2 match source-address h1\n"
		"set security policies from-zone a to-zone b policy p3 match source-address h3\n"
		"insert security policies from-zone a to-zone b policy p3 before policy p1\n"
		"edit snmp\n"
		"set community \"N0c RO\" authorization read-only\n"
		"up\n"
		"set snmp location lab\n"
		"set system ntp server [ 10.0.0.1 10.0.0.2 ]\n"
		"deactivate system ntp server 10.0.0.2\n"
		"activate system services telnet\n"
		"deactivate system services ssh\n"
		"commit and-quit\n"
		"commit complete\n";
	rs_device_config *cfg = parse_str(text);
	assert_string_equal(cfg->hostname, "fw1");
	assert_null(cfg->version);
	const rs_device_node *svc = rs_test_device_path(cfg, "system", "services", NULL);
	assert_int_equal(svc->nchildren, 2);
	assert_string_equal(svc->children[0]->text, "telnet"); /* deactivated, then activated */
	assert_int_equal(svc->children[0]->line, 5);
	assert_string_equal(svc->children[1]->text, "inactive: ssh");
	rs_test_device_child(svc->children[1], "root-login deny");
	const rs_device_node *zone = rs_test_device_path(cfg, "security", "policies", "from-zone a to-zone b", NULL);
	assert_int_equal(zone->nchildren, 3);
	assert_string_equal(zone->children[0]->text, "policy p3");
	assert_string_equal(zone->children[1]->text, "policy p1");
	assert_string_equal(zone->children[2]->text, "policy p2");
	rs_test_device_path(cfg, "snmp", "community \"N0c RO\"", "authorization read-only", NULL);
	rs_test_device_path(cfg, "snmp", "location lab", NULL);
	const rs_device_node *ntp = rs_test_device_path(cfg, "system", "ntp", NULL);
	assert_int_equal(ntp->nchildren, 2);
	assert_string_equal(ntp->children[0]->text, "server 10.0.0.1");
	assert_string_equal(ntp->children[1]->text, "inactive: server 10.0.0.2");
	rs_device_config_free(cfg);
}

static void test_malformed(void **state)
{
	(void)state;
	char err[512];
	parse_error("system {\n    host-name r1;\n}\n}\n", err, sizeof(err));
	assert_non_null(strstr(err, "srx.conf:4:"));
	assert_non_null(strstr(err, "unbalanced '}'"));

	parse_error("system {\n    services {\n        ssh;\n", err, sizeof(err));
	assert_non_null(strstr(err, "srx.conf:2:"));
	assert_non_null(strstr(err, "'services' is never closed"));

	parse_error("system {\n    host-name \"r1;\n}\n", err, sizeof(err));
	assert_non_null(strstr(err, "srx.conf:2: quoted string is never closed"));

	parse_error("system {\n/* cut\n", err, sizeof(err));
	assert_non_null(strstr(err, "srx.conf:2: comment"));

	parse_error("system {\n    services {\n        ssh {\n            ciphers [ a b\n", err, sizeof(err));
	assert_non_null(strstr(err, "srx.conf:"));

	parse_error("set system host-name r1\nset system services { telnet }\n", err, sizeof(err));
	assert_non_null(strstr(err, "srx.conf:2:"));

	parse_error("system {\n    { ssh; }\n}\n", err, sizeof(err));
	assert_non_null(strstr(err, "srx.conf:2:"));

	/* nesting past RS_DEVICE_MAX_DEPTH */
	rs_buf b;
	rs_buf_init(&b);
	for (int i = 0; i < RS_DEVICE_MAX_DEPTH + 2; i++)
		rs_buf_printf(&b, "s%d {\n", i);
	parse_error(b.data, err, sizeof(err));
	assert_non_null(strstr(err, "deeper than"));
	rs_buf_free(&b);

	/* the truncated fixture names its file and line */
	size_t len;
	char *text = rs_test_device_fixture("junos/truncated.conf", &len);
	rs_device_config *cfg = NULL;
	assert_int_equal(rs_device_parse("truncated.conf", text, len, RS_DEVICE_JUNOS, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "truncated.conf:"));
	assert_non_null(strstr(err, "never closed"));
	free(text);
}

static char *redacted(const char *text)
{
	char *r = rs_device_redact(text);
	assert_non_null(strstr(r, "<redacted>"));
	return r;
}

static void test_redact(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"encrypted-password \"$1$Zq7wXyZa$Pm4nQr9Tt2uV6wH1kLs3M0\"", "Pm4nQr9"},
		{"authentication-key \"$9$BgpKey.IspA7Yt\"", "BgpKey"},
		{"md5 1 key \"$9$OspfMd5.Key1Lk\"", "OspfMd5"},
		{"community N0cWr1te2019", "N0cWr1te2019"},
		{"secret \"$9$Tac.PlusKey0x7Hq1Zr9\"", "PlusKey"},
		{"authentication-key 1 type sha256 value \"$9$NtpKey.Sha256xQ4Wz8\"", "NtpKey"},
		{"privacy-key \"$9$SnmpPriv.Key3Er\"", "SnmpPriv"},
		{"pre-shared-key ascii-text \"$9$IkePsk.Q1w2\"", "IkePsk"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *r = redacted(cases[i][0]);
		if (strstr(r, cases[i][1]))
			fail_msg("'%s' redacted as '%s' still shows the secret", cases[i][0], r);
		free(r);
	}
	/* every node of the weak fixtures, in both forms: no hash survives */
	static const char *const files[] = {"junos/weak.conf", "junos/weak.set", "junos/hardened.conf"};
	for (size_t f = 0; f < 3; f++) {
		rs_device_config *cfg = parse_fixture(files[f]);
		const rs_device_node *stack[RS_DEVICE_MAX_DEPTH + 2];
		size_t idx[RS_DEVICE_MAX_DEPTH + 2];
		size_t depth = 0;
		stack[0] = &cfg->root;
		idx[0] = 0;
		while (1) {
			if (idx[depth] >= stack[depth]->nchildren) {
				if (depth == 0)
					break;
				depth--;
				continue;
			}
			const rs_device_node *n = stack[depth]->children[idx[depth]++];
			char *r = rs_device_redact(n->text);
			if (strstr(r, "$1$") || strstr(r, "$6$") || strstr(r, "$9$") || strstr(r, "N0cWr1te"))
				fail_msg("%s:%u: '%s' keeps a secret", files[f], n->line, r);
			free(r);
			stack[++depth] = n;
			idx[depth] = 0;
		}
		rs_device_config_free(cfg);
	}
}

static void test_analyses(void **state)
{
	(void)state;
	const char *text =
		"security {\n"
		"    address-book {\n"
		"        global {\n"
		"            address h1 10.0.0.1/32;\n"
		"            address h2 10.0.0.2/32;\n"
		"            address spare 10.0.0.9/32;\n"
		"            address-set hosts {\n"
		"                address h2;\n"
		"            }\n"
		"        }\n"
		"    }\n"
		"    policies {\n"
		"        from-zone a to-zone b {\n"
		"            inactive: policy off {\n"
		"                match { source-address any; destination-address any; application any; }\n"
		"                then { permit; }\n"
		"            }\n"
		"            policy web {\n"
		"                match { source-address [ h1 h2 ]; destination-address any; application junos-http; }\n"
		"                then { permit; }\n"
		"            }\n"
		"            policy web-h1 {\n"
		"                match { source-address h1; destination-address any; application junos-http; }\n"
		"                then { deny; }\n"
		"            }\n"
		"            policy set-only {\n"
		"                match { source-address hosts; destination-address any; application any; }\n"
		"                then { permit; }\n"
		"            }\n"
		"            policy all {\n"
		"                match { source-address any; destination-address any; application any; }\n"
		"                then { permit; }\n"
		"            }\n"
		"            policy late {\n"
		"                match { source-address h1; destination-address any; application junos-ssh; }\n"
		"                then { permit; }\n"
		"            }\n"
		"        }\n"
		"    }\n"
		"}\n";
	rs_device_config *cfg = parse_str(text);
	rs_device_hits h = {0};
	rs_device_analyze(cfg, "junos-policy-shadowed", &h);
	assert_int_equal(h.len, 2);
	assert_string_equal(h.items[0].node->text, "policy web-h1"); /* inside web's h1 h2 */
	assert_string_equal(h.items[0].cause->text, "policy web");
	assert_string_equal(h.items[1].node->text, "policy late"); /* behind all; not behind the inactive off */
	assert_string_equal(h.items[1].cause->text, "policy all");
	rs_device_hits_free(&h);
	rs_device_analyze(cfg, "junos-policy-permit-any", &h);
	assert_int_equal(h.len, 1);
	assert_int_equal(h.items[0].node->line, 30);
	rs_device_hits_free(&h);
	rs_device_analyze(cfg, "junos-address-unused", &h);
	assert_int_equal(h.len, 1);
	assert_string_equal(h.items[0].node->text, "address spare 10.0.0.9/32");
	rs_device_hits_free(&h);
	rs_device_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_curly_and_set_identical), cmocka_unit_test(test_curly_shapes),
		cmocka_unit_test(test_set_commands),            cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_redact),                  cmocka_unit_test(test_analyses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
