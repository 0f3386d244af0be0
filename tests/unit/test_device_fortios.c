/*
 * test_device_fortios.c — the FortiOS parser (parse_fortios.c): config /
 * edit / set / unset / next / end with nested blocks, quoted values with
 * spaces, escapes and line ends, the #config-version header, the hostname
 * of single- and multi-VDOM backups, prompts and CRLF, the table commands
 * (delete, purge, rename, move) and last-set-wins; unterminated and stray
 * blocks refused with file and line; FortiOS secrets redacted; the policy
 * analyses (shadowed, unused addresses).
 */
#include "testutil.h"
#include "device/analyze.h"
#include "device/device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rs_device_config *parse_str(const char *text, rs_device_family f)
{
	return rs_test_device_parse("fgt.conf", text, strlen(text), f);
}

static rs_device_config *parse_fixture(const char *rel)
{
	size_t len;
	char *text = rs_test_device_fixture(rel, &len);
	rs_device_config *cfg = rs_test_device_parse(rel, text, len, RS_DEVICE_UNKNOWN);
	free(text);
	return cfg;
}

static void parse_error(const char *text, char *err, size_t errsize)
{
	rs_test_device_refused("fgt.conf", text, strlen(text), RS_DEVICE_FORTIOS, err, errsize);
}

static void test_shapes(void **state)
{
	(void)state;
	const char *text =
		"FGT60F # show\r\n"
		"#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin\r\n"
		"#conf_file_ver=1234\r\n"
		"config system global\r\n"
		"    set hostname \"FW \\\"HQ\\\" 1\"\r\n"
		"    set admin-telnet enable\r\n"
		"    set admintimeout 480\r\n"
		"    unset admin-telnet\r\n"
		"    set admintimeout 5\r\n"
		"end\r\n"
		"config system replacemsg admin \"pre_admin-disclaimer-text\"\r\n"
		"    set buffer \"Authorised access only.\r\n"
		"Activity is monitored.\"\r\n"
		"end\r\n"
		"config router ospf\r\n"
		"    config ospf-interface\r\n"
		"        edit \"port 1 ospf\"\r\n"
		"            set authentication md5\r\n"
		"            config md5-keys\r\n"
		"                edit 1\r\n"
		"                    set key-string ENC abc\r\n"
		"                next\r\n"
		"            end\r\n"
		"        next\r\n"
		"    end\r\n"
		"end\r\n"
		"config firewall policy\r\n"
		"    edit 1\r\n"
		"        set name \"one\"\r\n"
		"    next\r\n"
		"    edit 2\r\n"
		"        set name \"two\"\r\n"
		"    next\r\n"
		"    edit 3\r\n"
		"        set name \"three\"\r\n"
		"    next\r\n"
		"    edit 4\r\n"
		"    next\r\n"
		"    move 3 before 1\r\n"
		"    delete 4\r\n"
		"    rename 2 to 20\r\n"
		"    edit 1\r\n"
		"        set comments \"edited  again\"\r\n"
		"    next\r\n"
		"end"; /* no final newline */
	rs_device_config *cfg = parse_str(text, RS_DEVICE_UNKNOWN);
	assert_int_equal(cfg->family, RS_DEVICE_FORTIOS);
	assert_string_equal(cfg->version, "7.2.5");
	assert_string_equal(cfg->hostname, "FW \"HQ\" 1");
	assert_int_equal(rs_test_device_child(&cfg->root, "version 7.2.5")->line, 2);
	const rs_device_node *g = rs_test_device_child(&cfg->root, "config system global");
	assert_int_equal(g->line, 4);
	/* last set wins; unset removes the earlier set */
	assert_int_equal(g->nchildren, 3);
	assert_string_equal(g->children[1]->text, "unset admin-telnet");
	assert_string_equal(g->children[2]->text, "set admintimeout 5");
	assert_int_equal(g->children[2]->line, 9);
	const rs_device_node *msg = rs_test_device_path(cfg, "config system replacemsg admin \"pre_admin-disclaimer-text\"", NULL);
	assert_int_equal(msg->children[0]->line, 12);
	assert_non_null(strstr(msg->children[0]->text, "only. Activity"));
	const rs_device_node *key = rs_test_device_path(cfg, "config router ospf", "config ospf-interface", "edit \"port 1 ospf\"",
					 "config md5-keys", "edit 1", "set key-string ENC abc", NULL);
	assert_int_equal(key->line, 21);
	const rs_device_node *pol = rs_test_device_child(&cfg->root, "config firewall policy");
	assert_int_equal(pol->nchildren, 3);
	assert_string_equal(pol->children[0]->text, "edit 3");
	assert_string_equal(pol->children[1]->text, "edit 1");
	assert_string_equal(pol->children[2]->text, "edit 20");
	assert_int_equal(pol->children[1]->nchildren, 2); /* the second edit 1 merged into the first */
	rs_device_config_free(cfg);
}

static void test_fixtures(void **state)
{
	(void)state;
	rs_device_config *cfg = parse_fixture("fortios/weak.conf");
	assert_int_equal(cfg->family, RS_DEVICE_FORTIOS);
	assert_string_equal(cfg->hostname, "FGT-BRANCH-01");
	assert_string_equal(cfg->version, "6.2.3");
	const rs_device_node *pol = rs_test_device_child(&cfg->root, "config firewall policy");
	assert_int_equal(pol->nchildren, 3);
	rs_device_config_free(cfg);

	/* multi-VDOM: the hostname is under config global, the policies under the VDOM */
	cfg = parse_fixture("fortios/multi-vdom.conf");
	assert_string_equal(cfg->hostname, "FGT-HQ-01");
	assert_string_equal(cfg->version, "7.4.4");
	const rs_device_node *vdom = rs_test_device_child(&cfg->root, "config vdom");
	assert_int_equal(vdom->nchildren, 1); /* `edit root` twice is one entry */
	pol = rs_test_device_path(cfg, "config vdom", "edit root", "config firewall policy", NULL);
	assert_int_equal(pol->nchildren, 3);
	rs_test_device_path(cfg, "config global", "config system global", "set strong-crypto enable", NULL);
	rs_device_config_free(cfg);
}

static void test_malformed(void **state)
{
	(void)state;
	char err[512];
	parse_error("config system global\n    set hostname x\nconfig firewall policy\n    edit 1\n        set action accept\n",
		    err, sizeof(err));
	assert_non_null(strstr(err, "fgt.conf:3: 'config firewall policy' is never closed"));

	parse_error("config system global\n    set hostname x\nend\nend\n", err, sizeof(err));
	assert_non_null(strstr(err, "fgt.conf:4: 'end' without an open 'config'"));

	parse_error("config firewall policy\n    next\nend\n", err, sizeof(err));
	assert_non_null(strstr(err, "fgt.conf:2: 'next' without"));

	parse_error("config system global\n    set post-login-banner \"cut\nend\n", err, sizeof(err));
	assert_non_null(strstr(err, "fgt.conf:2: quoted value is never closed"));

	parse_error("config system global\n    garbage here\nend\n", err, sizeof(err));
	assert_non_null(strstr(err, "fgt.conf:2: 'garbage' is not a FortiOS configuration command"));

	parse_error("edit 1\n", err, sizeof(err));
	assert_non_null(strstr(err, "fgt.conf:1:"));

	rs_buf b;
	rs_buf_init(&b);
	for (int i = 0; i < RS_DEVICE_MAX_DEPTH + 2; i++)
		rs_buf_printf(&b, "config c%d\n", i);
	parse_error(b.data, err, sizeof(err));
	assert_non_null(strstr(err, "deeper than"));
	rs_buf_free(&b);

	size_t len;
	char *text = rs_test_device_fixture("fortios/truncated.conf", &len);
	rs_device_config *cfg = NULL;
	assert_int_equal(rs_device_parse("truncated.conf", text, len, RS_DEVICE_FORTIOS, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "truncated.conf:"));
	assert_non_null(strstr(err, "'config firewall policy' is never closed"));
	free(text);
}

static void test_redact(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"set password ENC SH2qT5Yp0c8pZ3b0lq0r4Wm1nC7xF2kL9sD6vB3hJ8g=", "SH2qT5"},
		{"set psksecret ENC 9Bv2ZxQw7RtY1uIo3PaS5dF7gH9=", "9Bv2Zx"},
		{"set key-string ENC OspfMd5KeyXq9Wz2=", "OspfMd5"},
		{"set auth-pwd ENC Sn3mPAuthPwdX4q7W9e2R5t8Y1u=", "Sn3mPAuth"},
		{"set priv-pwd ENC Sn3mPPrivPwdZ2x5C8v1B4n7M0q=", "Sn3mPPriv"},
		{"set key ENC TacKeyQw3Er5Ty7Ui9Op1As=", "TacKey"},
		{"set passwd ENC LocalUserPw9=", "LocalUserPw9"},
		{"set private-key \"-----BEGIN ENCRYPTED PRIVATE KEY----- MIIFHz\"", "MIIFHz"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *r = rs_device_redact(cases[i][0]);
		assert_non_null(strstr(r, "<redacted>"));
		if (strstr(r, cases[i][1]))
			fail_msg("'%s' redacted as '%s' still shows the secret", cases[i][0], r);
		free(r);
	}
}

static void test_analyses(void **state)
{
	(void)state;
	const char *text =
		"config firewall address\n"
		"    edit \"all\"\n"
		"    next\n"
		"    edit \"web\"\n"
		"        set subnet 10.0.0.10 255.255.255.255\n"
		"    next\n"
		"    edit \"spare\"\n"
		"        set subnet 10.0.0.99 255.255.255.255\n"
		"    next\n"
		"end\n"
		"config firewall policy\n"
		"    edit 1\n"
		"        set srcintf \"lan\"\n"
		"        set dstintf \"wan\"\n"
		"        set srcaddr \"all\"\n"
		"        set dstaddr \"web\" \"spare2\"\n"
		"        set service \"HTTP\" \"HTTPS\"\n"
		"        set action accept\n"
		"        set groups \"staff\"\n"
		"    next\n"
		"    edit 2\n"
		"        set srcintf \"lan\"\n"
		"        set dstintf \"wan\"\n"
		"        set srcaddr \"all\"\n"
		"        set dstaddr \"web\"\n"
		"        set service \"HTTPS\"\n"
		"        set action deny\n"
		"    next\n"
		"    edit 3\n"
		"        set status disable\n"
		"        set srcintf \"any\"\n"
		"        set dstintf \"any\"\n"
		"        set srcaddr \"all\"\n"
		"        set dstaddr \"all\"\n"
		"        set service \"ALL\"\n"
		"    next\n"
		"    edit 4\n"
		"        set srcintf \"any\"\n"
		"        set dstintf \"wan\"\n"
		"        set srcaddr \"all\"\n"
		"        set dstaddr \"all\"\n"
		"        set service \"ALL\"\n"
		"        set action accept\n"
		"    next\n"
		"    edit 5\n"
		"        set srcintf \"lan\"\n"
		"        set dstintf \"wan\"\n"
		"        set srcaddr \"all\"\n"
		"        set dstaddr \"web\"\n"
		"        set service \"SSH\"\n"
		"        set action accept\n"
		"    next\n"
		"end\n";
	rs_device_config *cfg = parse_str(text, RS_DEVICE_FORTIOS);
	rs_device_hits h = {0};
	rs_device_analyze(cfg, "fortios-policy-shadowed", &h);
	/* 2 is not behind 1 (1 has a user group); 5 is behind 4; the disabled 3 shadows nothing */
	assert_int_equal(h.len, 1);
	assert_string_equal(h.items[0].node->text, "edit 5");
	assert_string_equal(h.items[0].cause->text, "edit 4");
	rs_device_hits_free(&h);
	rs_device_analyze(cfg, "fortios-address-unused", &h);
	assert_int_equal(h.len, 1);
	assert_string_equal(h.items[0].node->text, "edit \"spare\"");
	assert_int_equal(h.items[0].node->line, 7);
	rs_device_hits_free(&h);
	rs_device_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),    cmocka_unit_test(test_fixtures), cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_redact),    cmocka_unit_test(test_analyses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
