/*
 * test_device_ios.c — the device tree and the IOS/ASA/NX-OS parser:
 * configuration shapes as devices export them (CRLF, no final newline,
 * export banners, prompts, configure/end wrappers, delimited banners,
 * nested sections with their lines), hostname and version, family
 * detection, malformed and truncated input refused with file and line,
 * secrets redacted for every family's syntax, ACL shadowing and the cfg:
 * rules of device policies, BGP neighbours without password.
 */
#include "testutil.h"
#include "audit/sca.h"
#include "device/analyze.h"
#include "device/device.h"

#include <stdlib.h>
#include <string.h>

static rs_device_config *parse_as(const char *text, rs_device_family f)
{
	return rs_test_device_parse("r1.cfg", text, strlen(text), f);
}

/* The parse error of TEXT (must fail). */
static void parse_error(const char *text, size_t len, rs_device_family f, char *err, size_t errsize)
{
	rs_test_device_refused("r1.cfg", text, len, f, err, errsize);
}

static void test_ios_shapes(void **state)
{
	(void)state;
	const char *text =
		"R1#show running-config\r\n"
		"Building configuration...\r\n"
		"\r\n"
		"Current configuration : 812 bytes\r\n"
		"!\r\n"
		"version 15.2\r\n"
		"hostname R1\r\n"
		"!\r\n"
		"interface GigabitEthernet0/1\r\n"
		" description  uplink   to  core \r\n"
		" ip address 10.0.0.1 255.255.255.0\r\n"
		"!\r\n"
		"router bgp 65000\r\n"
		" neighbor 10.0.0.2 remote-as 65001\r\n"
		" !\r\n"
		" address-family ipv4\r\n"
		"  neighbor 10.0.0.2 activate\r\n"
		" exit-address-family\r\n"
		"!\r\n"
		"banner motd ^C\r\n"
		"Authorised access only\r\n"
		"  second line\r\n"
		"^C\r\n"
		"banner login #One line only#\r\n"
		"line vty 0 4\r\n"
		" transport input ssh\r\n"
		"end"; /* no final newline */
	rs_device_config *cfg = parse_as(text, RS_DEVICE_UNKNOWN);
	assert_int_equal(cfg->family, RS_DEVICE_CISCO_IOS);
	assert_string_equal(cfg->hostname, "R1");
	assert_string_equal(cfg->version, "15.2");
	const rs_device_node *root = &cfg->root;
	assert_int_equal(root->nchildren, 7);
	const rs_device_node *ifc = rs_test_device_child(root, "interface GigabitEthernet0/1");
	assert_int_equal(ifc->line, 9);
	assert_int_equal(rs_test_device_child(ifc, "description uplink to core")->line, 10);
	const rs_device_node *bgp = rs_test_device_child(root, "router bgp 65000");
	assert_int_equal(bgp->nchildren, 2); /* the neighbor and the address family; no exit marker */
	const rs_device_node *af = rs_test_device_child(bgp, "address-family ipv4");
	assert_int_equal(rs_test_device_child(af, "neighbor 10.0.0.2 activate")->line, 17);
	const rs_device_node *motd = rs_test_device_child(root, "banner motd");
	assert_int_equal(motd->line, 20);
	assert_int_equal(motd->nchildren, 2);
	assert_string_equal(motd->children[1]->text, "second line");
	assert_int_equal(motd->children[1]->line, 22);
	const rs_device_node *login = rs_test_device_child(root, "banner login");
	assert_int_equal(login->nchildren, 1);
	assert_string_equal(login->children[0]->text, "One line only");
	assert_int_equal(rs_test_device_child(rs_test_device_child(root, "line vty 0 4"), "transport input ssh")->line, 26);
	assert_null(rs_device_node_child(root, "end"));
	rs_device_config_free(cfg);
}

static void test_wrappers_and_ctrl_c(void **state)
{
	(void)state;
	/* a pasted configuration: configure terminal ... end, a real ^C (0x03) banner delimiter */
	const char *text = "configure terminal\n"
			   "hostname SW2\n"
			   "banner exec \003\nWelcome\n\003\n"
			   "interface Vlan1\n"
			   " no ip address\n"
			   " exit\n"
			   "end\n";
	rs_device_config *cfg = parse_as(text, RS_DEVICE_CISCO_IOS);
	assert_int_equal(cfg->root.nchildren, 3);
	assert_string_equal(cfg->root.children[0]->text, "hostname SW2");
	assert_string_equal(cfg->root.children[1]->text, "banner exec");
	assert_string_equal(cfg->root.children[1]->children[0]->text, "Welcome");
	assert_int_equal(cfg->root.children[2]->nchildren, 1);
	rs_device_config_free(cfg);
}

static void test_asa_and_nxos(void **state)
{
	(void)state;
	const char *asa = ": Saved\n:\nASA Version 9.8(4)\n!\nhostname FW1\n"
			  "banner login Authorised only\nbanner login second line\n"
			  "interface Gi0/0\n nameif outside\n security-level 0\n: end\n";
	rs_device_config *cfg = parse_as(asa, RS_DEVICE_UNKNOWN);
	assert_int_equal(cfg->family, RS_DEVICE_CISCO_ASA);
	assert_string_equal(cfg->hostname, "FW1");
	assert_string_equal(cfg->version, "9.8(4)");
	/* ASA banners are one statement per line */
	assert_non_null(rs_device_node_child(&cfg->root, "banner login Authorised only"));
	assert_non_null(rs_device_node_child(&cfg->root, "banner login second line"));
	rs_device_config_free(cfg);

	const char *nx = "\n!Command: show running-config\n!Time: Wed Nov  4 08:15:02 2026\n\n"
			 "version 9.3(8) Bios:version 07.69\nswitchname N9K-1\nfeature ssh\nfeature bgp\n"
			 "router bgp 65000\n  neighbor 10.0.0.1\n    remote-as 65001\n    address-family ipv4 unicast\n";
	cfg = parse_as(nx, RS_DEVICE_UNKNOWN);
	assert_int_equal(cfg->family, RS_DEVICE_CISCO_NXOS);
	assert_string_equal(cfg->hostname, "N9K-1");
	assert_string_equal(cfg->version, "9.3(8)");
	const rs_device_node *nb = rs_test_device_child(rs_test_device_child(&cfg->root, "router bgp 65000"), "neighbor 10.0.0.1");
	assert_int_equal(nb->nchildren, 2);
	assert_int_equal(nb->children[0]->line, 11);
	rs_device_config_free(cfg);
}

static void test_detect(void **state)
{
	(void)state;
	const struct {
		const char *text;
		rs_device_family f;
	} cases[] = {
		{ "!\nversion 15.2\nservice timestamps log datetime\nhostname R\nline vty 0 4\n", RS_DEVICE_CISCO_IOS },
		{ "ASA Version 9.12(4)\nhostname fw\nnameif inside\n", RS_DEVICE_CISCO_ASA },
		{ "version 10.2(5)\nfeature nxapi\nfeature bgp\nswitchname x\n", RS_DEVICE_CISCO_NXOS },
		{ "## Last commit: 2026-11-02 by admin\nversion 21.4R3;\nsystem {\n host-name r1;\n}\n", RS_DEVICE_JUNOS },
		{ "set system host-name r1\nset interfaces ge-0/0/0 unit 0\n", RS_DEVICE_JUNOS },
		{ "#config-version=FGT60F-7.2.5-FW-build1517:opmode=0:vdom=0\nconfig system global\n    set hostname fg\nend\n",
		  RS_DEVICE_FORTIOS },
		{ "# nov/04/2026 10:00:00 by RouterOS 7.12\n/system identity\nset name=r1\n/ip service\n", RS_DEVICE_ROUTEROS },
		{ "hello world\nnothing to see\n", RS_DEVICE_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(rs_device_detect(cases[i].text, strlen(cases[i].text)), cases[i].f);
	assert_string_equal(rs_device_family_name(RS_DEVICE_CISCO_ASA), "cisco-asa");
	assert_int_equal(rs_device_family_from_name("junos"), RS_DEVICE_JUNOS);
	assert_int_equal(rs_device_family_from_name("auto"), RS_DEVICE_UNKNOWN);
}

static void test_malformed(void **state)
{
	(void)state;
	char err[512];
	/* a banner never closed: named at the line it opened */
	const char *unclosed = "hostname R\nbanner motd ^C\nAuthorised only\nline vty 0 4\n";
	parse_error(unclosed, strlen(unclosed), RS_DEVICE_CISCO_IOS, err, sizeof(err));
	assert_non_null(strstr(err, "r1.cfg:2:"));
	assert_non_null(strstr(err, "never closed"));
	/* an export with its header but without its closing end: truncated */
	const char *trunc = "Building configuration...\nCurrent configuration : 900 bytes\nversion 15.2\nhostname R\n"
			    "interface Gi0/1\n ip address 10.0.0.1 255.255.255.0\n";
	parse_error(trunc, strlen(trunc), RS_DEVICE_CISCO_IOS, err, sizeof(err));
	assert_non_null(strstr(err, "r1.cfg:6:"));
	assert_non_null(strstr(err, "truncated"));
	const char *asa = ": Saved\nASA Version 9.8(4)\nhostname FW\n";
	parse_error(asa, strlen(asa), RS_DEVICE_CISCO_ASA, err, sizeof(err));
	assert_non_null(strstr(err, "': end'"));
	/* binary input: the line of the first control byte */
	const char bin[] = "hostname R\nversion 15.2\nab\0cd\n";
	parse_error(bin, sizeof(bin) - 1, RS_DEVICE_UNKNOWN, err, sizeof(err));
	assert_non_null(strstr(err, "r1.cfg:3:"));
	/* empty, comments only, unknown family */
	parse_error("", 0, RS_DEVICE_CISCO_IOS, err, sizeof(err));
	assert_non_null(strstr(err, "empty"));
	parse_error("!\n! nothing\n!\n", 13, RS_DEVICE_CISCO_IOS, err, sizeof(err));
	assert_non_null(strstr(err, "no configuration statement"));
	const char *prose = "Dear team, the router is fine.\n";
	parse_error(prose, strlen(prose), RS_DEVICE_UNKNOWN, err, sizeof(err));
	assert_non_null(strstr(err, "--type"));
	/* nesting deeper than the tree allows */
	char *deep = calloc(1, 200 * 200);
	size_t n = 0;
	for (int i = 0; i < 150; i++) {
		memset(deep + n, ' ', (size_t)i);
		n += (size_t)i;
		n += (size_t)sprintf(deep + n, "s%d\n", i);
	}
	parse_error(deep, n, RS_DEVICE_CISCO_IOS, err, sizeof(err));
	assert_non_null(strstr(err, "nested deeper"));
	free(deep);
	/* an overlong line */
	size_t big = 70000;
	char *longl = malloc(big + 20);
	memcpy(longl, "hostname R\n", 11);
	memset(longl + 11, 'a', big);
	parse_error(longl, big + 11, RS_DEVICE_CISCO_IOS, err, sizeof(err));
	assert_non_null(strstr(err, "r1.cfg:2:"));
	free(longl);
	/* the families parsed elsewhere are refused while pending, never crash */
	rs_device_config *cfg = NULL;
	const char *junos = "set system host-name r1\n";
	int rc = rs_device_parse("j.conf", junos, strlen(junos), RS_DEVICE_JUNOS, &cfg, err, sizeof(err));
	if (rc == 0)
		rs_device_config_free(cfg);
}

static void redacts(const char *in, const char *want)
{
	char *out = rs_device_redact(in);
	if (strcmp(out, want) != 0)
		fail_msg("redact '%s': got '%s', want '%s'", in, out, want);
	free(out);
}

static void test_redact(void **state)
{
	(void)state;
	/* IOS */
	redacts("enable password 7 0822455D0A16", "enable password 7 <redacted>");
	redacts("enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "enable secret 5 <redacted>");
	redacts("enable algorithm-type scrypt secret 9 $9$nhEmQVczB7dqsO$X.Hsg", "enable algorithm-type scrypt secret 9 <redacted>");
	redacts("username bob privilege 15 password 0 Hunter2", "username bob privilege 15 password 0 <redacted>");
	redacts("username bob password Hunter2", "username bob password <redacted>");
	redacts("snmp-server community S3cr3t RO 10", "snmp-server community <redacted> RO 10");
	redacts("snmp-server host 10.1.1.1 version 2c Tr4p", "snmp-server host 10.1.1.1 version 2c <redacted>");
	redacts("snmp-server host 10.1.1.1 informs version 3 priv nmsuser", "snmp-server host 10.1.1.1 informs version 3 priv <redacted>");
	redacts("snmp-server user u g v3 auth sha AuthP priv aes 128 PrivP", "snmp-server user u g v3 auth sha <redacted> priv aes 128 <redacted>");
	redacts("key-string 7 110A1016141D", "key-string 7 <redacted>");
	redacts("tacacs-server key 7 0822455D", "tacacs-server key 7 <redacted>");
	redacts("key 7 0822455D0A165445415F59", "key 7 <redacted>");
	redacts("crypto isakmp key Sh4red address 0.0.0.0", "crypto isakmp key <redacted> address 0.0.0.0");
	redacts("ip ospf message-digest-key 1 md5 7 0822455D", "ip ospf message-digest-key 1 md5 7 <redacted>");
	redacts("ip ospf authentication-key 7 0822455D", "ip ospf authentication-key 7 <redacted>");
	redacts("ntp authentication-key 1 md5 Ntp5ecret 7", "ntp authentication-key 1 md5 <redacted> 7");
	redacts("ntp authentication-key 10 hmac-sha2-256 7 104D000A0618", "ntp authentication-key 10 hmac-sha2-256 7 <redacted>");
	redacts("neighbor 10.0.0.2 password 7 02050D48", "neighbor 10.0.0.2 password 7 <redacted>");
	redacts("password 7 045802150C2E", "password 7 <redacted>");
	redacts("wpa-psk ascii 7 0822455D", "wpa-psk ascii 7 <redacted>");
	redacts("key config-key password-encrypt M4ster", "key config-key password-encrypt <redacted>");
	/* not secrets: kept */
	redacts("key chain OSPF-KEYS", "key chain OSPF-KEYS");
	redacts("key 1", "key 1");
	redacts("service password-encryption", "service password-encryption");
	redacts("password encryption aes", "password encryption aes");
	redacts("crypto key generate rsa modulus 2048", "crypto key generate rsa modulus 2048");
	redacts("security passwords min-length 12", "security passwords min-length 12");
	redacts("no password strength-check", "no password strength-check");
	redacts("ip ospf authentication message-digest", "ip ospf authentication message-digest");
	/* ASA */
	redacts("passwd 2KFQnbNIdI.2KYOU encrypted", "passwd <redacted> encrypted");
	redacts("enable password 8Ry2YjIyt7RRXU24 encrypted", "enable password <redacted> encrypted");
	redacts("username admin password f3UhLvUj1QsXsuK7 encrypted privilege 15",
		"username admin password <redacted> encrypted privilege 15");
	redacts("snmp-server host inside 10.1.5.9 community Pub1ic version 2c",
		"snmp-server host inside 10.1.5.9 community <redacted> version 2c");
	redacts("ikev1 pre-shared-key Tunn3lPSK!2019", "ikev1 pre-shared-key <redacted>");
	redacts("ikev2 remote-authentication pre-shared-key R3m0te", "ikev2 remote-authentication pre-shared-key <redacted>");
	redacts("failover key F4il0ver", "failover key <redacted>");
	/* NX-OS */
	redacts("username admin password 5 $5$KLMNOP$0pQ9rS8t role network-admin",
		"username admin password 5 <redacted> role network-admin");
	redacts("snmp-server user admin network-admin auth md5 0x3a7b priv aes-128 0x1a2b localizedkey",
		"snmp-server user admin network-admin auth md5 <redacted> priv aes-128 <redacted> localizedkey");
	redacts("tacacs-server host 10.1.1.40 key 7 \"Fxq rb3\"", "tacacs-server host 10.1.1.40 key 7 <redacted>");
	/* Junos */
	redacts("encrypted-password \"$6$abc$def\"", "encrypted-password <redacted>");
	redacts("secret \"$9$xyz\"", "secret <redacted>");
	redacts("authentication-key \"$9$k3y\"", "authentication-key <redacted>");
	redacts("pre-shared-key ascii-text \"$9$psk\"", "pre-shared-key ascii-text <redacted>");
	redacts("community Publ1c", "community <redacted>");
	/* FortiOS */
	redacts("set password ENC SH2abcdef", "set password ENC <redacted>");
	redacts("set psksecret ENC c2VjcmV0", "set psksecret ENC <redacted>");
	redacts("set passwd Pl41n", "set passwd <redacted>");
	/* RouterOS */
	redacts("add name=admin password=Hunter2 group=full", "add name=admin password=<redacted> group=full");
	redacts("set secret=Sh4red", "set secret=<redacted>");
	redacts("add authentication-password=Auth1 encryption-password=Enc1 name=nms",
		"add authentication-password=<redacted> encryption-password=<redacted> name=nms");
	/* a crypt hash anywhere */
	redacts("something $1$salt$hashvalue here", "something <redacted> here");
	redacts("", "");
}

static void test_acl_shadowed(void **state)
{
	(void)state;
	const char *text = "hostname R\n"
			   "ip access-list extended IN\n"
			   " 10 permit tcp 10.0.0.0 0.0.255.255 any eq 443\n"      /* 3 */
			   " 20 permit tcp 10.0.1.0 0.0.0.255 host 10.9.9.9 eq 443\n" /* 4: shadowed by 3 */
			   " 30 permit tcp 10.0.1.0 0.0.0.255 host 10.9.9.9 eq 22\n"  /* 5: not (port) */
			   " 40 permit tcp any any established\n"                     /* 6 */
			   " 50 permit tcp any host 10.9.9.9 eq 80\n"                 /* 7: not (6 is qualified) */
			   " 60 permit tcp any any range 1000 2000\n"                 /* 8 */
			   " 70 deny tcp host 10.1.1.1 any range 1500 1600 log\n"     /* 9: shadowed by 8 */
			   " 80 permit udp object-group X any eq 53\n"               /* 10: unreadable, not shadowed */
			   " 90 deny ip any any log\n"                               /* 11 */
			   " 100 permit icmp any any\n"                              /* 12: shadowed by 11 */
			   "interface Gi0/0\n ip access-group IN in\n"
			   "access-list 10 permit 10.1.0.0 0.0.255.255\n"             /* 15 */
			   "access-list 10 deny 10.1.2.3\n"                           /* 16: shadowed */
			   "access-list 10 deny any\n";                               /* 17 */
	rs_device_config *cfg = parse_as(text, RS_DEVICE_CISCO_IOS);
	rs_device_hits h = { 0 };
	rs_device_acl_shadowed(cfg, &h);
	assert_int_equal(h.len, 4);
	unsigned want[][2] = { { 4, 3 }, { 9, 8 }, { 12, 11 }, { 16, 15 } };
	for (size_t i = 0; i < h.len; i++) {
		assert_int_equal(h.items[i].node->line, want[i][0]);
		assert_int_equal(h.items[i].cause->line, want[i][1]);
	}
	rs_device_hits_free(&h);
	rs_device_acl_unused(cfg, &h);
	assert_int_equal(h.len, 1); /* list 10 is never applied */
	assert_int_equal(h.items[0].node->line, 15);
	rs_device_hits_free(&h);
	rs_device_config_free(cfg);

	/* ASA netmasks and NX-OS prefixes */
	const char *asa = "ASA Version 9.18(1)\nhostname F\n"
			  "access-list OUT extended permit tcp any 10.1.0.0 255.255.0.0 eq https\n"
			  "access-list OUT extended permit tcp any host 10.1.2.3 eq 443\n"
			  "access-group OUT in interface outside\n";
	cfg = parse_as(asa, RS_DEVICE_UNKNOWN);
	rs_device_acl_shadowed(cfg, &h);
	assert_int_equal(h.len, 1);
	assert_int_equal(h.items[0].node->line, 4);
	rs_device_hits_free(&h);
	rs_device_acl_unused(cfg, &h);
	assert_int_equal(h.len, 0);
	rs_device_hits_free(&h);
	rs_device_config_free(cfg);

	const char *nx = "version 9.3(8)\nfeature bgp\nip access-list A\n  10 permit tcp 10.0.0.0/8 any eq 22\n"
			 "  20 permit tcp 10.2.0.0/16 any eq 22\n  30 permit tcp 11.0.0.0/8 any eq 22\n";
	cfg = parse_as(nx, RS_DEVICE_CISCO_NXOS);
	rs_device_acl_shadowed(cfg, &h);
	assert_int_equal(h.len, 1);
	assert_int_equal(h.items[0].node->line, 5);
	rs_device_hits_free(&h);
	rs_device_config_free(cfg);
}

static void test_bgp_no_password(void **state)
{
	(void)state;
	const char *ios = "hostname R\n"
			  "router bgp 65000\n"
			  " neighbor EXT peer-group\n"
			  " neighbor EXT password 7 0822455D\n"
			  " neighbor 10.0.0.1 remote-as 65001\n"   /* 5: no password */
			  " neighbor 10.0.0.2 remote-as 65002\n"   /* 6: its own password */
			  " neighbor 10.0.0.2 password 7 0822455D\n"
			  " neighbor 10.0.0.3 remote-as 65003\n"   /* 8: the peer group's password */
			  " neighbor 10.0.0.3 peer-group EXT\n"
			  " address-family ipv4 vrf X\n"
			  "  neighbor 10.9.9.9 remote-as 65009\n"  /* 11: no password */
			  "  neighbor 10.9.9.9 activate\n";
	rs_device_config *cfg = parse_as(ios, RS_DEVICE_CISCO_IOS);
	rs_device_hits h = { 0 };
	rs_device_bgp_no_password(cfg, &h);
	assert_int_equal(h.len, 2);
	assert_int_equal(h.items[0].node->line, 5);
	assert_int_equal(h.items[1].node->line, 11);
	rs_device_hits_free(&h);
	rs_device_config_free(cfg);
	const char *nx = "feature bgp\nswitchname N\nrouter bgp 1\n  neighbor 10.0.0.1\n    remote-as 2\n"
			 "  neighbor 10.0.0.2\n    remote-as 2\n    password 3 abcdef\n"
			 "  neighbor 10.0.0.3\n    inherit peer SPINE\n    remote-as 2\n";
	cfg = parse_as(nx, RS_DEVICE_CISCO_NXOS);
	rs_device_bgp_no_password(cfg, &h);
	assert_int_equal(h.len, 1);
	assert_int_equal(h.items[0].node->line, 4);
	rs_device_hits_free(&h);
	rs_device_config_free(cfg);
}

/* Evaluates the cfg: RULE over CFG. */
static rs_sca_result eval_rule(const rs_device_config *cfg, const char *rule, json_t **ev)
{
	rs_sca_rule r;
	char err[512];
	if (rs_sca_rule_parse(&r, rule, RS_SCA_PCRE2, err, sizeof(err)) != 0)
		fail_msg("rule '%s': %s", rule, err);
	rs_sca_ctx ctx = { .device = cfg };
	char *reason = NULL;
	rs_sca_result res = rs_sca_rule_eval(&ctx, &r, &reason, ev);
	free(reason);
	rs_sca_rule_free(&r);
	return res;
}

static void test_cfg_rules(void **state)
{
	(void)state;
	const char *text = "hostname R9\n"
			   "username bob password 7 0822455D0A16\n" /* 2 */
			   "line con 0\n"                           /* 3 */
			   " exec-timeout 5 0\n"
			   "line vty 0 4\n"                         /* 5 */
			   " access-class MGMT in\n"
			   " exec-timeout 30 0\n"                   /* 7 */
			   " transport input ssh\n"
			   "line vty 5 15\n"                        /* 9 */
			   " transport input telnet\n";             /* 10 */
	rs_device_config *cfg = parse_as(text, RS_DEVICE_CISCO_IOS);
	json_t *ev = NULL;
	/* a statement exists */
	assert_int_equal(eval_rule(cfg, "cfg:^hostname ", &ev), RS_SCA_FOUND);
	assert_int_equal(json_integer_value(json_object_get(ev, "line")), 1);
	assert_string_equal(json_string_value(json_object_get(ev, "device")), "R9");
	assert_string_equal(json_string_value(json_object_get(ev, "path")), "r1.cfg");
	json_decref(ev);
	/* a chain over two levels, with a test */
	assert_int_equal(eval_rule(cfg, "cfg:^line vty >> ^transport input -> r:telnet", &ev), RS_SCA_FOUND);
	assert_int_equal(json_integer_value(json_object_get(ev, "line")), 10);
	json_decref(ev);
	/* every VTY line has an access-class: no, line 9 lacks it */
	assert_int_equal(eval_rule(cfg, "not cfg:^line vty -> !child:^access-class \\S+ in", &ev), RS_SCA_NOT_FOUND);
	assert_int_equal(json_integer_value(json_object_get(ev, "line")), 9);
	assert_int_equal(json_array_size(json_object_get(ev, "lines")), 1);
	json_decref(ev);
	/* numeric compare on a captured value */
	assert_int_equal(eval_rule(cfg, "cfg:^line (vty|con) >> ^exec-timeout -> n:^exec-timeout (\\d+) compare > 10", &ev),
			 RS_SCA_FOUND);
	assert_int_equal(json_integer_value(json_object_get(ev, "line")), 7);
	json_decref(ev);
	assert_int_equal(eval_rule(cfg, "cfg:^line con >> ^exec-timeout -> n:^exec-timeout (\\d+) compare > 10", &ev),
			 RS_SCA_NOT_FOUND);
	json_decref(ev);
	/* the evidence never carries the secret */
	assert_int_equal(eval_rule(cfg, "cfg:^username \\S+ .*password", &ev), RS_SCA_FOUND);
	assert_string_equal(json_string_value(json_object_get(ev, "text")), "username bob password 7 <redacted>");
	char *dump = json_dumps(ev, 0);
	assert_null(strstr(dump, "0822455D0A16"));
	free(dump);
	json_decref(ev);
	/* an analysis */
	assert_int_equal(eval_rule(cfg, "cfg:@acl-shadowed", &ev), RS_SCA_NOT_FOUND);
	json_decref(ev);
	/* a cfg: rule without a device, a file rule on a device: not applicable */
	rs_sca_rule r;
	char err[512];
	assert_int_equal(rs_sca_rule_parse(&r, "cfg:^hostname", RS_SCA_PCRE2, err, sizeof(err)), 0);
	rs_sca_ctx none = { 0 };
	char *reason = NULL;
	assert_int_equal(rs_sca_rule_eval(&none, &r, &reason, &ev), RS_SCA_INVALID);
	assert_non_null(strstr(reason, "device audit"));
	free(reason);
	json_decref(ev);
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "f:/etc/passwd", RS_SCA_PCRE2, err, sizeof(err)), 0);
	rs_sca_ctx dev = { .device = cfg };
	reason = NULL;
	ev = NULL;
	assert_int_equal(rs_sca_rule_eval(&dev, &r, &reason, &ev), RS_SCA_INVALID);
	free(reason);
	json_decref(ev);
	rs_sca_rule_free(&r);
	rs_device_config_free(cfg);
}

static void test_cfg_rule_errors(void **state)
{
	(void)state;
	rs_sca_rule r;
	char err[512];
	assert_int_equal(rs_sca_rule_parse(&r, "cfg:@no-such-analysis", RS_SCA_PCRE2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown analysis"));
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "cfg:^a >>  >> ^b", RS_SCA_PCRE2, err, sizeof(err)), -1);
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "cfg:^a ( -> r:x", RS_SCA_PCRE2, err, sizeof(err)), -1);
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "cfg:", RS_SCA_PCRE2, err, sizeof(err)), -1);
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "f:/etc/x -> child:^a", RS_SCA_PCRE2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cfg: rules only"));
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "cfg:^a -> perm:0644", RS_SCA_PCRE2, err, sizeof(err)), -1);
	rs_sca_rule_free(&r);
	assert_int_equal(rs_sca_rule_parse(&r, "cfg:^a -> child:^b && !r:c", RS_SCA_PCRE2, err, sizeof(err)), 0);
	assert_int_equal(r.kind, RS_SCA_CFG);
	assert_int_equal(r.n_steps, 1);
	assert_int_equal(r.content.items[0].kind, RS_SCA_T_CHILD);
	rs_sca_rule_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ios_shapes),   cmocka_unit_test(test_wrappers_and_ctrl_c),
		cmocka_unit_test(test_asa_and_nxos), cmocka_unit_test(test_detect),
		cmocka_unit_test(test_malformed),    cmocka_unit_test(test_redact),
		cmocka_unit_test(test_acl_shadowed), cmocka_unit_test(test_cfg_rules),
		cmocka_unit_test(test_cfg_rule_errors), cmocka_unit_test(test_bgp_no_password),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
