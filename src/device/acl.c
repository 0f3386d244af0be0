/*
 * acl.c — analyses of Cisco access lists (analyze.h) for IOS/IOS-XE, ASA and
 * NX-OS: shadowed entries, lists never applied, object groups never used.
 *
 * An entry is read into action, protocol, source and destination (any,
 * host, address with wildcard — IOS —, netmask — ASA — or prefix length —
 * NX-OS) and port ranges (eq, range, lt, gt, neq, the common port names).
 * A later entry is shadowed when an earlier entry of the same list matches
 * every packet it matches: protocol ip or the same protocol, addresses that
 * contain it, ports that contain it, and no qualifier of its own
 * (established, time-range, ICMP types ...). What cannot be read exactly
 * (object groups, unknown names) is never said to shadow anything: an
 * unreadable entry is reported only behind a plain `ip any any`.
 * Work is bounded: the first ACL_MAX_ENTRIES entries of a list are compared,
 * the first ACL_MAX_LISTS lists are read, the first ACL_MAX_SEARCHED lists
 * and objects are searched for uses, and once ACL_SEARCH_BUDGET statements
 * have been visited the rest counts as used (never a false "unused").
 */
#include "device/analyze.h"
#include "device/devparse.h"
#include "core/util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ACL_MAX_TOKENS 64
#define ACL_MAX_RANGES 8
/* Work bounds on huge (or hostile) files: entries compared per list, and
 * lists or objects whose uses are searched through the whole tree. */
#define ACL_MAX_ENTRIES 5000
#define ACL_MAX_SEARCHED 2000
#define ACL_MAX_LISTS 4096
#define ACL_SEARCH_BUDGET 20000000u /* statements visited while looking for uses */

typedef struct addr {
	bool any;
	bool known;       /* false: an object group, an interface, IPv6 ... */
	uint32_t a, wild; /* address and wildcard (bits that may differ) */
} addr;

typedef struct ports {
	bool known;
	size_t n;         /* 0 with known: any port */
	unsigned lo[ACL_MAX_RANGES], hi[ACL_MAX_RANGES];
} ports;

typedef struct entry {
	const rs_device_node *node;
	bool readable;
	bool permit;
	char proto[24];   /* "ip", "tcp", "udp", "icmp", a number ... */
	addr src, dst;
	ports sport, dport;
	bool qualified;   /* extra qualifiers that narrow it (established, icmp type ...) */
} entry;

typedef struct acl_list {
	const char *name;
	bool standard;
	entry *items;
	size_t len, cap;
} acl_list;

typedef struct acl_set {
	acl_list *lists;
	size_t len, cap;
} acl_set;

static const struct { const char *name; unsigned port; } port_names[] = {
	{ "ftp-data", 20 }, { "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 }, { "smtp", 25 }, { "domain", 53 },
	{ "tacacs", 49 }, { "bootps", 67 }, { "bootpc", 68 }, { "tftp", 69 }, { "www", 80 }, { "http", 80 },
	{ "pop3", 110 }, { "sunrpc", 111 }, { "ntp", 123 }, { "netbios-ns", 137 }, { "netbios-dgm", 138 },
	{ "netbios-ss", 139 }, { "snmp", 161 }, { "snmptrap", 162 }, { "bgp", 179 }, { "ldap", 389 },
	{ "https", 443 }, { "isakmp", 500 }, { "syslog", 514 }, { "cmd", 514 }, { "lpd", 515 },
	{ "ldaps", 636 }, { "sqlnet", 1521 }, { "rdp", 3389 }, { "nfs", 2049 },
};

static bool parse_port(const char *s, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (end != s && !*end && v <= 65535) {
		*out = (unsigned)v;
		return true;
	}
	for (size_t i = 0; i < sizeof(port_names) / sizeof(port_names[0]); i++)
		if (!strcasecmp(s, port_names[i].name)) {
			*out = port_names[i].port;
			return true;
		}
	return false;
}

static bool parse_ipv4(const char *s, uint32_t *out)
{
	unsigned b[4];
	char tail;
	if (sscanf(s, "%u.%u.%u.%u%c", &b[0], &b[1], &b[2], &b[3], &tail) != 4)
		return false;
	for (int i = 0; i < 4; i++)
		if (b[i] > 255)
			return false;
	*out = (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
	return true;
}

/* Reads an address at TOK[*I], advancing *I. MASK_IS_NETMASK: ASA's "A.B.C.D M.M.M.M". */
static void read_addr(char **tok, size_t n, size_t *i, bool netmask, bool standard, addr *a)
{
	memset(a, 0, sizeof(*a));
	if (*i >= n)
		return;
	const char *t = tok[*i];
	if (!strcasecmp(t, "any") || !strcasecmp(t, "any4")) {
		a->any = a->known = true;
		(*i)++;
		return;
	}
	if (!strcasecmp(t, "host") && *i + 1 < n) {
		a->known = parse_ipv4(tok[*i + 1], &a->a);
		*i += 2;
		return;
	}
	if (!strcasecmp(t, "object-group") || !strcasecmp(t, "object") || !strcasecmp(t, "addrgroup") ||
	    !strcasecmp(t, "interface") || !strcasecmp(t, "object-group-user")) {
		*i += *i + 1 < n ? 2 : 1;
		return;
	}
	const char *slash = strchr(t, '/');
	if (slash) {
		char ip[32];
		size_t l = (size_t)(slash - t);
		if (l < sizeof(ip)) {
			memcpy(ip, t, l);
			ip[l] = '\0';
			char *end;
			unsigned long len = strtoul(slash + 1, &end, 10);
			if (!*end && len <= 32 && parse_ipv4(ip, &a->a)) {
				a->wild = len == 32 ? 0 : (uint32_t)(0xffffffffu >> len);
				a->a &= ~a->wild;
				a->known = true;
			}
		}
		(*i)++;
		return;
	}
	uint32_t ip, m;
	if (!parse_ipv4(t, &ip)) {
		(*i)++; /* an IPv6 address, an object name: unreadable */
		return;
	}
	(*i)++;
	if (*i < n && parse_ipv4(tok[*i], &m)) {
		a->wild = netmask ? ~m : m;
		(*i)++;
	} else if (!standard && !netmask) {
		return; /* an extended entry needs its wildcard */
	}
	a->a = ip & ~a->wild;
	a->known = true;
}

static bool is_port_op(const char *t)
{
	return !strcasecmp(t, "eq") || !strcasecmp(t, "neq") || !strcasecmp(t, "lt") || !strcasecmp(t, "gt") ||
	       !strcasecmp(t, "range");
}

/* Reads a port specification at TOK[*I] when there is one; none means any port. */
static void read_ports(char **tok, size_t n, size_t *i, ports *p)
{
	memset(p, 0, sizeof(*p));
	p->known = true;
	if (*i >= n || !is_port_op(tok[*i]))
		return;
	const char *op = tok[(*i)++];
	unsigned a, b;
	if (!strcasecmp(op, "range")) {
		if (*i + 1 < n && parse_port(tok[*i], &a) && parse_port(tok[*i + 1], &b) && a <= b) {
			p->lo[0] = a;
			p->hi[0] = b;
			p->n = 1;
		} else {
			p->known = false;
		}
		*i += 2;
		return;
	}
	if (!strcasecmp(op, "eq")) {
		/* IOS takes several: "eq www 443" */
		while (*i < n && p->n < ACL_MAX_RANGES && parse_port(tok[*i], &a)) {
			p->lo[p->n] = p->hi[p->n] = a;
			p->n++;
			(*i)++;
		}
		if (!p->n)
			p->known = false;
		return;
	}
	if (*i >= n || !parse_port(tok[*i], &a)) {
		p->known = false;
		(*i)++;
		return;
	}
	(*i)++;
	if (!strcasecmp(op, "lt") && a > 0) {
		p->lo[0] = 0, p->hi[0] = a - 1, p->n = 1;
	} else if (!strcasecmp(op, "gt") && a < 65535) {
		p->lo[0] = a + 1, p->hi[0] = 65535, p->n = 1;
	} else if (!strcasecmp(op, "neq")) {
		p->n = 0;
		if (a > 0)
			p->lo[p->n] = 0, p->hi[p->n] = a - 1, p->n++;
		if (a < 65535)
			p->lo[p->n] = a + 1, p->hi[p->n] = 65535, p->n++;
	} else {
		p->known = false;
	}
}

static size_t tokenize(char *s, char **tok, size_t max)
{
	size_t n = 0;
	for (char *save = NULL, *t = strtok_r(s, " ", &save); t && n < max; t = strtok_r(NULL, " ", &save))
		tok[n++] = t;
	return n;
}

/* Reads the entry TOK[0..n) (from the action on). */
static void read_entry(entry *e, char **tok, size_t n, bool standard, bool netmask)
{
	size_t i = 1;
	e->permit = !strcasecmp(tok[0], "permit");
	e->readable = true;
	if (standard) {
		snprintf(e->proto, sizeof(e->proto), "ip");
		read_addr(tok, n, &i, netmask, true, &e->src);
		e->dst.any = e->dst.known = true;
		e->sport.known = e->dport.known = true;
	} else {
		if (i >= n) {
			e->readable = false;
			return;
		}
		snprintf(e->proto, sizeof(e->proto), "%s", tok[i]);
		if (!strcasecmp(e->proto, "object-group") || !strcasecmp(e->proto, "object")) {
			e->readable = false;
			return;
		}
		i++;
		bool l4 = !strcasecmp(e->proto, "tcp") || !strcasecmp(e->proto, "udp") || !strcmp(e->proto, "6") ||
			  !strcmp(e->proto, "17");
		read_addr(tok, n, &i, netmask, false, &e->src);
		if (l4)
			read_ports(tok, n, &i, &e->sport);
		else
			e->sport.known = true;
		read_addr(tok, n, &i, netmask, false, &e->dst);
		if (l4)
			read_ports(tok, n, &i, &e->dport);
		else
			e->dport.known = true;
	}
	/* what follows: logging is no qualifier; anything else narrows the entry */
	for (; i < n; i++) {
		if (!strncasecmp(tok[i], "log", 3))
			break;
		if (!strcasecmp(tok[i], "inactive")) {
			e->readable = false;
			return;
		}
		e->qualified = true;
	}
	if (!e->src.known || !e->dst.known || !e->sport.known || !e->dport.known)
		e->readable = false;
}

static bool addr_covers(const addr *a, const addr *b)
{
	if (a->any)
		return true;
	if (b->any || !a->known || !b->known)
		return false;
	return (~a->wild & b->wild) == 0 && (a->a & ~a->wild) == (b->a & ~a->wild);
}

static bool ports_cover(const ports *a, const ports *b)
{
	if (a->n == 0)
		return true;
	if (b->n == 0)
		return false;
	for (size_t j = 0; j < b->n; j++) {
		bool in = false;
		for (size_t i = 0; i < a->n && !in; i++)
			in = a->lo[i] <= b->lo[j] && b->hi[j] <= a->hi[i];
		if (!in)
			return false;
	}
	return true;
}

static bool proto_is(const char *p, const char *name, const char *number)
{
	return !strcasecmp(p, name) || !strcmp(p, number);
}

static bool same_proto(const char *a, const char *b)
{
	if (proto_is(a, "tcp", "6"))
		return proto_is(b, "tcp", "6");
	if (proto_is(a, "udp", "17"))
		return proto_is(b, "udp", "17");
	if (proto_is(a, "icmp", "1"))
		return proto_is(b, "icmp", "1");
	return !strcasecmp(a, b);
}

/* Whether the earlier entry A matches every packet the later entry B does. */
static bool covers(const entry *a, const entry *b)
{
	if (!a->readable || a->qualified)
		return false;
	bool a_ip = proto_is(a->proto, "ip", "0") || !strcasecmp(a->proto, "ipv4");
	if (!b->readable)
		return a_ip && a->src.any && a->dst.any;
	if (!a_ip && !same_proto(a->proto, b->proto))
		return false;
	return addr_covers(&a->src, &b->src) && addr_covers(&a->dst, &b->dst) && ports_cover(&a->sport, &b->sport) &&
	       ports_cover(&a->dport, &b->dport);
}

static acl_list *list_get(acl_set *s, const char *name, bool standard)
{
	for (size_t i = 0; i < s->len; i++)
		if (!strcmp(s->lists[i].name, name))
			return &s->lists[i];
	if (s->len >= ACL_MAX_LISTS)
		return NULL;
	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->lists = rs_realloc(s->lists, s->cap * sizeof(*s->lists));
	}
	acl_list *l = &s->lists[s->len++];
	memset(l, 0, sizeof(*l));
	l->name = name;
	l->standard = standard;
	return l;
}

static void list_add(acl_list *l, const rs_device_node *node, char **tok, size_t n, bool netmask)
{
	if (!n || (strcasecmp(tok[0], "permit") && strcasecmp(tok[0], "deny")))
		return; /* remarks, statistics, ... */
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = rs_realloc(l->items, l->cap * sizeof(*l->items));
	}
	entry *e = &l->items[l->len++];
	memset(e, 0, sizeof(*e));
	e->node = node;
	read_entry(e, tok, n, l->standard, netmask);
}

/* IOS numbered lists: 1-99 and 1300-1999 are standard. */
static bool numbered_standard(const char *name)
{
	long v = strtol(name, NULL, 10);
	return rs_all_digits(name) && ((v >= 1 && v <= 99) || (v >= 1300 && v <= 1999));
}

/* Every access list of CFG with its entries, in file order. Texts are copied into BUF. */
static void collect(const rs_device_config *cfg, acl_set *s, rs_vec *bufs)
{
	bool asa = cfg->family == RS_DEVICE_CISCO_ASA;
	for (size_t i = 0; i < cfg->root.nchildren; i++) {
		const rs_device_node *top = cfg->root.children[i];
		char *copy = rs_strdup(top->text);
		*(char **)rs_vec_push(bufs) = copy;
		char *tok[ACL_MAX_TOKENS];
		size_t n = tokenize(copy, tok, ACL_MAX_TOKENS);
		if (n >= 3 && !strcmp(tok[0], "access-list")) {
			/* IOS "access-list 101 permit ...", ASA "access-list NAME [extended|standard] permit ..." */
			size_t k = 2;
			bool standard = numbered_standard(tok[1]);
			if (!strcmp(tok[k], "extended") || !strcmp(tok[k], "standard")) {
				standard = !strcmp(tok[k], "standard");
				k++;
			}
			if (k < n && (!strcmp(tok[k], "line") && k + 2 < n))
				k += 2; /* "line 3" */
			if (k < n && (!strcmp(tok[k], "remark") || !strcmp(tok[k], "webtype") || !strcmp(tok[k], "ethertype")))
				continue;
			acl_list *l = list_get(s, tok[1], standard);
			if (l)
				list_add(l, top, tok + k, n - k, asa);
		} else if (n >= 3 && (!strcmp(tok[0], "ip") || !strcmp(tok[0], "ipv6")) && !strcmp(tok[1], "access-list")) {
			/* IOS "ip access-list extended NAME", NX-OS "ip access-list NAME" */
			if (!strcmp(tok[0], "ipv6"))
				continue;
			bool standard = false;
			const char *name = tok[2];
			if ((!strcmp(tok[2], "extended") || !strcmp(tok[2], "standard")) && n >= 4) {
				standard = !strcmp(tok[2], "standard");
				name = tok[3];
			} else if (!strcmp(tok[2], "extended") || !strcmp(tok[2], "standard") || !strcmp(tok[2], "resequence") ||
				   !strcmp(tok[2], "logging") || !strcmp(tok[2], "match-local-traffic")) {
				continue;
			}
			acl_list *l = list_get(s, name, standard);
			for (size_t c = 0; l && c < top->nchildren; c++) {
				const rs_device_node *en = top->children[c];
				char *ec = rs_strdup(en->text);
				*(char **)rs_vec_push(bufs) = ec;
				char *et[ACL_MAX_TOKENS];
				size_t m = tokenize(ec, et, ACL_MAX_TOKENS);
				size_t k = m && rs_all_digits(et[0]) ? 1 : 0; /* a sequence number */
				list_add(l, en, et + k, m - k, false);
			}
		}
	}
}

static void set_free(acl_set *s, rs_vec *bufs)
{
	for (size_t i = 0; i < s->len; i++)
		free(s->lists[i].items);
	free(s->lists);
	for (size_t i = 0; i < bufs->len; i++)
		free(*(char **)rs_vec_at(bufs, i));
	rs_vec_free(bufs);
}

void rs_device_acl_shadowed(const rs_device_config *cfg, rs_device_hits *out)
{
	acl_set s = { 0 };
	rs_vec bufs;
	rs_vec_init(&bufs, sizeof(char *));
	collect(cfg, &s, &bufs);
	for (size_t l = 0; l < s.len; l++) {
		const acl_list *list = &s.lists[l];
		for (size_t j = 1; j < list->len && j < ACL_MAX_ENTRIES; j++)
			for (size_t i = 0; i < j; i++)
				if (covers(&list->items[i], &list->items[j])) {
					rs_device_hits_add(out, list->items[j].node, list->items[i].node);
					break;
				}
	}
	set_free(&s, &bufs);
}

/* Whether TOKEN stands as a whole word in TEXT. */
static bool has_word(const char *text, const char *token)
{
	size_t n = strlen(token);
	for (const char *p = strstr(text, token); p; p = strstr(p + 1, token)) {
		bool start = p == text || p[-1] == ' ' || p[-1] == '"';
		bool end = p[n] == '\0' || p[n] == ' ' || p[n] == '"';
		if (start && end)
			return true;
	}
	return false;
}

/* Statements that can apply a numbered list (a bare number is everywhere). */
static bool applies_lists(const char *text)
{
	static const char *const words[] = { "access-class", "access-group", "match", "list", "snmp-server",
					     "ntp", "distribute", "filter", "nat", "community", "access-list", NULL };
	for (size_t i = 0; words[i]; i++)
		if (strstr(text, words[i]))
			return true;
	return false;
}

/* Whether NAME is used anywhere in the tree under NODE, outside the statements of DEF (its definition). */
static bool used_under(const rs_device_node *node, const char *name, const rs_device_node *def, bool numeric,
		       const char *own_prefix, unsigned depth, size_t *budget)
{
	for (size_t i = 0; i < node->nchildren; i++) {
		const rs_device_node *c = node->children[i];
		if (*budget == 0)
			return true; /* out of work: say nothing rather than guess */
		(*budget)--;
		if (c == def)
			continue;
		bool own = own_prefix && rs_starts_with(c->text, own_prefix);
		if (!own && has_word(c->text, name) && (!numeric || applies_lists(c->text)))
			return true;
		if (depth < RS_DEVICE_MAX_DEPTH && used_under(c, name, def, numeric, NULL, depth + 1, budget))
			return true;
	}
	return false;
}

void rs_device_acl_unused(const rs_device_config *cfg, rs_device_hits *out)
{
	acl_set s = { 0 };
	rs_vec bufs;
	rs_vec_init(&bufs, sizeof(char *));
	collect(cfg, &s, &bufs);
	size_t budget = ACL_SEARCH_BUDGET;
	for (size_t l = 0; l < s.len && l < ACL_MAX_SEARCHED; l++) {
		const acl_list *list = &s.lists[l];
		if (!list->len)
			continue;
		const rs_device_node *def = list->items[0].node;
		bool named_section = def->parent && def->parent != &cfg->root;
		if (named_section)
			def = def->parent;
		/* "access-list NAME ..." lines are the list itself, not uses of it */
		char *own = rs_sprintf("access-list %s ", list->name);
		if (!used_under(&cfg->root, list->name, def, rs_all_digits(list->name), own, 0, &budget))
			rs_device_hits_add(out, def, NULL);
		free(own);
	}
	set_free(&s, &bufs);
}

void rs_device_objects_unused(const rs_device_config *cfg, rs_device_hits *out)
{
	size_t searched = 0, budget = ACL_SEARCH_BUDGET;
	for (size_t i = 0; i < cfg->root.nchildren && searched < ACL_MAX_SEARCHED; i++) {
		const rs_device_node *top = cfg->root.children[i];
		const char *t = top->text;
		bool group = rs_starts_with(t, "object-group ");
		bool object = rs_starts_with(t, "object ");
		if (!group && !object)
			continue;
		/* "object-group network NAME", NX-OS "object-group ip address NAME", "object network NAME" */
		const char *name = strrchr(t, ' ');
		if (!name || !name[1])
			continue;
		name++;
		if (!strcmp(name, "address") || !strcmp(name, "port"))
			continue;
		searched++;
		if (!used_under(&cfg->root, name, top, false, NULL, 0, &budget))
			rs_device_hits_add(out, top, NULL);
	}
}
