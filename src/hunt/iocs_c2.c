/*
 * iocs_c2.c — command-and-control IOCs: IPv4 and IPv6 addresses, CIDR
 * networks and domains, one a line ("VALUE[;DESCRIPTION]", "#" comments;
 * signature-base c2-iocs.txt and plain lists). A domain IOC also matches
 * its subdomains ("evil.example" matches "a.evil.example").
 */
#include "core/i18n.h"
#include "hunt/hunt.h"
#include "core/lines.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define C2_SCORE 80
#define C2_LINE_MAX 4096
#define DOMAIN_MAX 253

typedef struct domain_entry {
	char *name;
	uint32_t source;
} domain_entry;

void rs_ioc_c2_init(rs_ioc_c2 *c)
{
	memset(c, 0, sizeof(*c));
	rs_vec_init(&c->nets, sizeof(rs_ioc_net));
	rs_vec_init(&c->domains, sizeof(domain_entry));
	rs_vec_init(&c->domain_sources, sizeof(uint32_t));
	rs_vec_init(&c->sources, sizeof(rs_ioc_source));
}

void rs_ioc_c2_free(rs_ioc_c2 *c)
{
	for (size_t i = 0; i < c->domains.len; i++)
		free(((domain_entry *)rs_vec_at(&c->domains, i))->name);
	for (size_t i = 0; i < c->sources.len; i++) {
		rs_ioc_source_clear(rs_vec_at(&c->sources, i));
	}
	rs_vec_free(&c->nets);
	rs_vec_free(&c->domains);
	rs_vec_free(&c->domain_sources);
	rs_vec_free(&c->sources);
	memset(c, 0, sizeof(*c));
}

/* Parses an address into 16 bytes (IPv4 mapped). */
static bool parse_addr(const char *s, unsigned char out[16], bool *v4)
{
	struct in_addr a4;
	if (inet_pton(AF_INET, s, &a4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		*v4 = true;
		return true;
	}
	*v4 = false;
	return inet_pton(AF_INET6, s, out) == 1;
}

static bool domain_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '-' || ch == '_' || ch == '.';
}

static bool valid_domain(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > DOMAIN_MAX || !strchr(s, '.') || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!domain_char(s[i]) || (s[i] == '.' && s[i + 1] == '.'))
			return false;
	return true;
}

/* Adds VALUE (lower-cased in place; "ADDR[/PREFIX]" or a domain) with the
 * source TEMPLATE whose description, when empty, becomes VALUE. */
static const char *add_value(rs_ioc_c2 *c, char *value, const rs_ioc_source *tmpl)
{
	for (char *p = value; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char *slash = strchr(value, '/');
	long prefix = -1;
	if (slash) {
		*slash = '\0';
		if (!rs_parse_long(slash + 1, &prefix) || prefix < 0 || prefix > 128) {
			*slash = '/';
			return _("has a network prefix that is not a number from 0 to 128");
		}
	}
	rs_ioc_source src = *tmpl;
	if (!src.description || !*src.description)
		src.description = value;
	unsigned char addr[16];
	bool v4;
	const char *why = NULL;
	if (parse_addr(value, addr, &v4)) {
		if (prefix < 0)
			prefix = v4 ? 32 : 128;
		if (v4 && prefix > 32) {
			why = _("has an IPv4 prefix over 32");
		} else {
			rs_ioc_net *n = rs_vec_push(&c->nets);
			memcpy(n->addr, addr, 16);
			n->prefix = v4 ? (int)prefix + 96 : (int)prefix;
			n->source = rs_ioc_source_push(&c->sources, &src, C2_SCORE);
		}
	} else if (!slash && valid_domain(value)) {
		domain_entry *d = rs_vec_push(&c->domains);
		d->name = rs_strdup(value);
		d->source = rs_ioc_source_push(&c->sources, &src, C2_SCORE);
	} else {
		why = _("is neither an IP address, a network nor a domain name");
	}
	if (slash)
		*slash = '/';
	return why;
}

const char *rs_ioc_c2_add(rs_ioc_c2 *c, const char *value, const rs_ioc_source *tmpl)
{
	char *copy = rs_strdup(value);
	const char *why = add_value(c, rs_trim(copy), tmpl);
	free(copy);
	return why;
}

typedef struct c2_ctx {
	rs_ioc_c2 *c;
	const char *file;
} c2_ctx;

static const char *parse_line(const rs_lines *r, const char *line, size_t len, void *ctxp)
{
	c2_ctx *x = ctxp;
	const char *defect = rs_lines_defect(r, C2_LINE_MAX);
	if (defect)
		return defect;
	char *copy, *fields[2] = { 0 };
	size_t nf = rs_ioc_line_fields(line, len, &copy, fields, 2);
	if (!nf)
		return NULL;
	char *value = rs_trim(fields[0]);
	rs_ioc_source tmpl = { .file = (char *)x->file, .line = r->number,
			       .description = nf > 1 ? rs_trim(fields[1]) : "" };
	const char *why = add_value(x->c, value, &tmpl);
	free(copy);
	return why;
}

int rs_ioc_c2_parse(rs_ioc_c2 *c, const char *text, size_t len, const char *name)
{
	c2_ctx x = { .c = c, .file = name };
	return rs_parse_lines(text, len, name, parse_line, &x);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const domain_entry *)a)->name, ((const domain_entry *)b)->name);
}

void rs_ioc_c2_finish(rs_ioc_c2 *c)
{
	if (c->domains.len > 1)
		qsort(c->domains.items, c->domains.len, sizeof(domain_entry), by_name);
	c->sorted = c->domains.items;
}

static bool in_net(const rs_ioc_net *n, const unsigned char a[16])
{
	int full = n->prefix / 8, rest = n->prefix % 8;
	if (memcmp(n->addr, a, (size_t)full) != 0)
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (n->addr[full] & mask) == (a[full] & mask);
}

const rs_ioc_source *rs_ioc_c2_match_ip(const rs_ioc_c2 *c, const char *ip)
{
	unsigned char a[16];
	bool v4;
	if (!c->nets.len || !parse_addr(ip, a, &v4))
		return NULL;
	for (size_t i = 0; i < c->nets.len; i++) {
		const rs_ioc_net *n = rs_vec_at(&c->nets, i);
		if (in_net(n, a))
			return rs_vec_at(&c->sources, n->source);
	}
	return NULL;
}

const rs_ioc_source *rs_ioc_c2_match_domain(const rs_ioc_c2 *c, const char *name, size_t len)
{
	if (!c->domains.len || len == 0 || len > DOMAIN_MAX)
		return NULL;
	char lower[DOMAIN_MAX + 1];
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[len] = '\0';
	while (len && lower[len - 1] == '.')
		lower[--len] = '\0';
	/* the name, then each parent domain with at least one dot */
	for (const char *p = lower; p && strchr(p, '.'); p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL) {
		domain_entry key = { .name = (char *)p };
		const domain_entry *hit = bsearch(&key, c->domains.items, c->domains.len, sizeof(domain_entry), by_name);
		if (hit)
			return rs_vec_at(&c->sources, hit->source);
	}
	return NULL;
}

int rs_ioc_c2_scan_text(const rs_ioc_c2 *c, const char *text, size_t len, rs_ioc_c2_fn fn, void *ctx)
{
	if (!c->domains.len && !c->nets.len)
		return 0;
	int hits = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && !domain_char(text[i]))
			i++;
		size_t start = i;
		while (i < len && domain_char(text[i]))
			i++;
		size_t n = i - start;
		if (n < 3 || n > DOMAIN_MAX || !memchr(text + start, '.', n))
			continue;
		char token[DOMAIN_MAX + 1];
		memcpy(token, text + start, n);
		token[n] = '\0';
		while (n && token[n - 1] == '.')
			token[--n] = '\0';
		const rs_ioc_source *src = NULL;
		bool numeric = strspn(token, "0123456789.") == n;
		if (numeric)
			src = rs_ioc_c2_match_ip(c, token);
		else
			src = rs_ioc_c2_match_domain(c, token, n);
		if (src) {
			hits++;
			if (fn)
				fn(src, token, ctx);
		}
	}
	return hits;
}
