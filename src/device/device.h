/*
 * device.h — network device configurations (issue 14) as one tree for every
 * vendor family, so that one check language (the SCA-style policies under
 * rules/devices/) judges IOS, ASA, NX-OS, Junos, FortiOS and RouterOS alike.
 *
 * Each family has its own parser (parse_ios.c covers IOS, IOS-XE, ASA and
 * NX-OS indented sections; parse_junos.c the curly and `set` forms;
 * parse_fortios.c config/edit/set/next/end; parse_routeros.c /path + verbs)
 * and every parser produces the same shape:
 *
 *   - a node per statement, its TEXT normalised to single spaces, without
 *     the line end (CR and LF stripped), the Junos ';' or the braces;
 *   - children are the statements inside its section:
 *       IOS:      "interface Gi0/1" > "ip address 10.0.0.1 255.255.255.0"
 *       Junos:    "system" > "services" > "telnet"  (curly and `set system
 *                 services telnet` give the same nodes; `deactivate`/
 *                 `inactive:` statements are kept with text prefixed
 *                 "inactive: ")
 *       FortiOS:  "config system global" > "set admin-telnet enable";
 *                 "config firewall policy" > "edit 3" > "set action accept"
 *       RouterOS: "/ip service" > "set telnet disabled=no" (a line
 *                 "/ip service set telnet disabled=no" gives the same)
 *   - LINE is the 1-based line of the statement in the file (for a Junos
 *     `set` line, that line; for a curly section, its opening line), so
 *     every finding can cite the lines that decided it.
 *
 * The FortiOS and RouterOS firmware version, which only their header comment
 * gives (`#config-version=FGT60F-7.2.5-...`, `# ... by RouterOS 6.49.7`),
 * is kept as a top-level node "version 7.2.5" at that line, as IOS and Junos
 * state it, so that checks can judge firmware age.
 *
 * Comments (`!` IOS, `#` Junos/FortiOS/RouterOS, C-style block comments in Junos), vendor
 * banners before the configuration and `configure terminal`/`end`,
 * `configure`/`commit` wrappers are skipped. The text of a multi-line IOS
 * banner (`banner motd ^C ... ^C`) is one node whose children are its lines.
 *
 * Secrets: the tree keeps them (checks must see "password 7 ..."); nothing
 * that prints a finding may copy a node's text without rs_device_redact().
 */
#ifndef RS_DEVICE_H
#define RS_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum rs_device_family {
	RS_DEVICE_UNKNOWN = 0,
	RS_DEVICE_CISCO_IOS,
	RS_DEVICE_CISCO_ASA,
	RS_DEVICE_CISCO_NXOS,
	RS_DEVICE_JUNOS,
	RS_DEVICE_FORTIOS,
	RS_DEVICE_ROUTEROS,
} rs_device_family;

/* "cisco-ios", "cisco-asa", "cisco-nxos", "junos", "fortios", "routeros"
 * (the --type names); "unknown" for RS_DEVICE_UNKNOWN. */
const char *rs_device_family_name(rs_device_family f);
/* The family of a --type NAME; RS_DEVICE_UNKNOWN for "auto" or an unknown name. */
rs_device_family rs_device_family_from_name(const char *name);
/* The family TEXT looks like (a look at its statements), RS_DEVICE_UNKNOWN
 * when none fits. */
rs_device_family rs_device_detect(const char *text, size_t len);

typedef struct rs_device_node {
	char *text;                        /* the normalised statement */
	unsigned line;                     /* 1-based line in the file, 0 for the root */
	struct rs_device_node *parent;     /* NULL for the root */
	struct rs_device_node **children;
	size_t nchildren;
	size_t cap;
} rs_device_node;

typedef struct rs_device_config {
	rs_device_family family;
	char *path;                        /* the file, as given */
	char *hostname;                    /* from the configuration, NULL when absent */
	char *version;                     /* firmware/software version when the file says it, else NULL */
	rs_device_node root;               /* text "" line 0: the top-level statements are its children */
} rs_device_config;

/* How deep sections nest at most: a parser meeting a deeper one reports the
 * file as malformed (bounded recursion over attacker-written files). */
#define RS_DEVICE_MAX_DEPTH 64

/* Appends a child with TEXT (copied, normalised) and LINE to PARENT; returns
 * it, or NULL when PARENT is already RS_DEVICE_MAX_DEPTH deep. */
rs_device_node *rs_device_node_add(rs_device_node *parent, const char *text, size_t len, unsigned line);
/* The first child of NODE whose text equals TEXT, NULL when none (parsers use it
 * to merge Junos `set` lines and RouterOS paths into existing sections). */
rs_device_node *rs_device_node_child(const rs_device_node *node, const char *text);

/* Parses TEXT as FAMILY (RS_DEVICE_UNKNOWN: detect it). Returns 0 with *OUT set,
 * or -1 with a message in ERR naming PATH, the line and what is wrong
 * ("junos.conf:214: unbalanced '}' — the file looks truncated; export it
 * again"). Per-family entry points have the same contract. */
int rs_device_parse(const char *path, const char *text, size_t len, rs_device_family family,
		    rs_device_config **out, char *err, size_t errsize);
int rs_device_parse_ios(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize);
int rs_device_parse_junos(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize);
int rs_device_parse_fortios(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize);
int rs_device_parse_routeros(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize);
void rs_device_config_free(rs_device_config *cfg);

/* TEXT with every secret replaced by "<redacted>" (passwords, secrets, keys,
 * SNMP communities, pre-shared keys, hashes) — a new string. */
char *rs_device_redact(const char *text);

#endif
