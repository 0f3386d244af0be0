/*
 * test_device_routeros.c — the RouterOS parser (parse_routeros.c): /path
 * sections and their commands, one-line "/path verb ..." and the slash
 * form of v7, backslash continuations (inside quoted values too), [ find ]
 * selectors, quoted values, the export header (version) and /system
 * identity (hostname), login banners and prompts, CRLF; truncated and
 * damaged exports refused with file and line; RouterOS secrets redacted;
 * the firewall analyses (shadowed rules, unused address lists).
 */
#include "testutil.h"
#include "device/analyze.h"
#include "device/device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rs_device_config *parse_str(const char *text, rs_device_family f)
{
	return rs_test_device_parse("mt.rsc", text, strlen(text), f);
}

static void parse_error(const char *text, char *err, size_t errsize)
{
	rs_test_device_refused("mt.rsc", text, strlen(text), RS_DEVICE_ROUTEROS, err, errsize);
}

static void test_shapes(void **state)
{
	(void)state;
	const char *text =
		"  MMM      MMM       KKK                          TTTTTTTTTTT      KKK\r\n"
		"  MikroTik RouterOS 6.49.7 (c) 1999-2022       http://www.mikrotik.com/\r\n"
		"[admin@MikroTik] > /export\r\n"
		"# jan/02/1970 00:12:41 by RouterOS 6.49.7\r\n"
		"# software id = ABCD-1234\r\n"
		"/interface ethernet\r\n"
		"set [ find default-name=ether1 ] comment=\"WAN   uplink\"\r\n"
		"/ip firewall filter\r\n"
		"add action=accept chain=input comment=\\\r\n"
		"    \"defconf: accept established\" connection-state=established,related\r\n"
		"add action=drop chain=input \\\r\n"
		"    in-interface-list=!LAN\r\n"
		"/ip service\r\n"
		"set telnet disabled=yes\r\n"
		"/ip service set ftp disabled=yes\r\n"
		"/ip/service set www disabled=yes\r\n"
		"/system script\r\n"
		"add name=s1 source=\"/ip address print\\r\\\r\n"
		"    \\n:delay 1s\"\r\n"
		"/interface ethernet set [find default-name=ether2] disabled=yes\r\n"
		"/system identity\r\n"
		"set name=\"MT core\"\r\n"
		"[admin@MikroTik] > "; /* the prompt after the export, no final newline */
	rs_device_config *cfg = parse_str(text, RS_DEVICE_UNKNOWN);
	assert_int_equal(cfg->family, RS_DEVICE_ROUTEROS);
	assert_string_equal(cfg->version, "6.49.7");
	assert_string_equal(cfg->hostname, "MT core");
	assert_int_equal(rs_test_device_child(&cfg->root, "version 6.49.7")->line, 4);
	const rs_device_node *eth = rs_test_device_child(&cfg->root, "/interface ethernet");
	assert_int_equal(eth->line, 6);
	assert_int_equal(eth->nchildren, 2); /* the one-line form merged into the section */
	assert_string_equal(eth->children[0]->text, "set [ find default-name=ether1 ] comment=\"WAN uplink\"");
	assert_string_equal(eth->children[1]->text, "set [ find default-name=ether2 ] disabled=yes");
	assert_int_equal(eth->children[1]->line, 20);
	const rs_device_node *ff = rs_test_device_child(&cfg->root, "/ip firewall filter");
	assert_int_equal(ff->nchildren, 2);
	assert_string_equal(ff->children[0]->text,
			    "add action=accept chain=input comment=\"defconf: accept established\" "
			    "connection-state=established,related");
	assert_int_equal(ff->children[0]->line, 9);
	assert_string_equal(ff->children[1]->text, "add action=drop chain=input in-interface-list=!LAN");
	assert_int_equal(ff->children[1]->line, 11);
	const rs_device_node *svc = rs_test_device_child(&cfg->root, "/ip service");
	assert_int_equal(svc->nchildren, 3);
	assert_string_equal(svc->children[2]->text, "set www disabled=yes");
	assert_int_equal(svc->children[2]->line, 16);
	const rs_device_node *script = rs_test_device_child(&cfg->root, "/system script");
	assert_string_equal(script->children[0]->text, "add name=s1 source=\"/ip address print\\r\\n:delay 1s\"");
	rs_device_config_free(cfg);
}

static void test_fixtures(void **state)
{
	(void)state;
	static const char *const files[][3] = {
		{"routeros/weak.rsc", "MT-BRANCH-07", "6.48.1"},
		{"routeros/hardened.rsc", "MT-CORE-01", "7.16.1"},
	};
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *text = rs_test_device_fixture(files[i][0], &len);
		assert_int_equal(rs_device_detect(text, len), RS_DEVICE_ROUTEROS);
		char err[512];
		rs_device_config *cfg = NULL;
		assert_int_equal(rs_device_parse(files[i][0], text, len, RS_DEVICE_UNKNOWN, &cfg, err, sizeof(err)), 0);
		assert_string_equal(cfg->hostname, files[i][1]);
		assert_string_equal(cfg->version, files[i][2]);
		rs_device_config_free(cfg);
		free(text);
	}
}

static void test_malformed(void **state)
{
	(void)state;
	char err[512];
	parse_error("/ip service\nset telnet disabled=yes\n/ip firewall filter\nadd chain=input \\\n", err, sizeof(err));
	assert_non_null(strstr(err, "mt.rsc:4: the line goes on"));

	parse_error("/system note\nset note=\"never closed\n/ip service\n", err, sizeof(err));
	assert_non_null(strstr(err, "mt.rsc:2: quoted value is never closed"));

	parse_error("/ip service\nset telnet disabled=yes\nfrobnicate all\n", err, sizeof(err));
	assert_non_null(strstr(err, "mt.rsc:3: 'frobnicate' is neither a /path nor a RouterOS command"));

	/* a NUL byte inside a line: not a text export */
	rs_device_config *cfg = NULL;
	static const char nul[] = "/ip service\nset telnet\0disabled=yes\n";
	assert_int_equal(rs_device_parse("mt.rsc", nul, sizeof(nul) - 1, RS_DEVICE_ROUTEROS, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mt.rsc:2:"));
	assert_non_null(strstr(err, "NUL"));

	size_t len;
	char *text = rs_test_device_fixture("routeros/truncated.rsc", &len);
	assert_int_equal(rs_device_parse("truncated.rsc", text, len, RS_DEVICE_ROUTEROS, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "truncated.rsc:4:"));
	free(text);
}

static void test_redact(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"add group=full name=support password=Supp0rt!2020", "Supp0rt"},
		{"add addresses=0.0.0.0/0 name=Wr1teC0mm2020 write-access=yes", "Wr1teC0mm2020"},
		{"set [ find default=yes ] name=S3cretComm", "S3cretComm"},
		{"add area=backbone auth=sha256 auth-id=1 auth-key=OspfSha256KeyR7t interfaces=bridge-lan", "OspfSha256"},
		{"add name=isp-a remote-address=203.0.113.25 remote-as=64500 tcp-md5-key=BgpMd5KeyQ3w5E", "BgpMd5Key"},
		{"set [ find default=yes ] wpa2-pre-shared-key=WifiPsk99 mode=dynamic-keys", "WifiPsk99"},
		{"add name=vpn-user password=VpnPw123 service=l2tp", "VpnPw123"},
		{"add address=198.51.100.1 secret=IpsecSecret42", "IpsecSecret42"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *r = rs_device_redact(cases[i][0]);
		assert_non_null(strstr(r, "<redacted>"));
		if (strstr(r, cases[i][1]))
			fail_msg("'%s' redacted as '%s' still shows the secret", cases[i][0], r);
		free(r);
	}
	/* names that are no secret stay */
	char *r = rs_device_redact("add name=bridge1 protocol-mode=rstp");
	assert_string_equal(r, "add name=bridge1 protocol-mode=rstp");
	free(r);
}

static void test_analyses(void **state)
{
	(void)state;
	const char *text =
		"/ip firewall address-list\n"
		"add address=10.0.0.0/24 list=mgmt\n"
		"add address=10.0.1.0/24 list=mgmt\n"
		"add address=10.9.0.0/16 list=stale\n"
		"add address=10.8.0.0/16 list=blocked\n"
		"/ip firewall filter\n"
		"add action=accept chain=input connection-state=established,related\n"
		"add action=accept chain=input src-address-list=mgmt comment=\"admins\"\n"
		"add action=accept chain=input src-address-list=mgmt protocol=tcp dst-port=22\n"
		"add action=log chain=input log-prefix=SEEN\n"
		"add action=drop chain=input src-address-list=!blocked protocol=udp\n"
		"add action=accept chain=forward disabled=yes\n"
		"add action=drop chain=forward protocol=udp\n"
		"add action=drop chain=input\n"
		"add action=accept chain=input protocol=icmp\n";
	rs_device_config *cfg = parse_str(text, RS_DEVICE_ROUTEROS);
	rs_device_hits h = {0};
	rs_device_analyze(cfg, "routeros-filter-shadowed", &h);
	/* line 9 is behind line 8 (a comment does not narrow); line 15 behind the final drop of
	 * line 14; the log rule and the disabled accept shadow nothing */
	assert_int_equal(h.len, 2);
	assert_int_equal(h.items[0].node->line, 9);
	assert_int_equal(h.items[0].cause->line, 8);
	assert_int_equal(h.items[1].node->line, 15);
	assert_int_equal(h.items[1].cause->line, 14);
	rs_device_hits_free(&h);
	rs_device_analyze(cfg, "routeros-address-list-unused", &h);
	assert_int_equal(h.len, 1);
	assert_int_equal(h.items[0].node->line, 4);
	rs_device_hits_free(&h);
	rs_device_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),  cmocka_unit_test(test_fixtures), cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_redact),  cmocka_unit_test(test_analyses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
