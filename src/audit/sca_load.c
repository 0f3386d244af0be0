/*
 * sca_load.c — reads a policy in the Wazuh SCA YAML format (libyaml) into an
 * rs_sca_policy: policy (id, name, regex_type), requirements, variables
 * ($name: value, substituted into rules), and checks (id, title or name,
 * description, rationale, remediation, compliance, references, condition,
 * rules; rasoat adds the optional severity, category and attack — a list of
 * ATT&CK technique ids —, and the policy-level `devices:` naming the device
 * families a device policy applies to, docs/DEVICES.md). A broken check is
 * warned with the file, line and check id and kept as an error the audit
 * reports; the rest of the policy still runs.
 */
#include "core/i18n.h"
#include "core/yamlmap.h"
#include "audit/sca.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define SCA_MAX_POLICY_SIZE (8u << 20)
#define SCA_MAX_DEPTH 16

typedef struct loader {
	yaml_document_t *doc;
	const char *name;
	rs_sca_policy *p;
	char **var_names;
	char **var_values;
	size_t n_vars;
} loader;

static int line_of(const yaml_node_t *n)
{
	return n ? (int)n->start_mark.line + 1 : 0;
}

static yaml_node_t *node(loader *l, int index)
{
	return yaml_document_get_node(l->doc, index);
}

static char *get_str(loader *l, const yaml_node_t *m, const char *key)
{
	const char *s = rs_yaml_scalar(rs_yaml_get(l->doc, m, key));
	return s ? rs_strdup(s) : NULL;
}

static json_t *to_json(loader *l, const yaml_node_t *n, int depth)
{
	if (!n || depth > SCA_MAX_DEPTH)
		return json_null();
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return json_string((const char *)n->data.scalar.value) ?: json_string("");
	case YAML_SEQUENCE_NODE: {
		json_t *a = json_array();
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			json_array_append_new(a, to_json(l, node(l, *it), depth + 1));
		return a;
	}
	case YAML_MAPPING_NODE: {
		json_t *o = json_object();
		for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
			const char *k = rs_yaml_scalar(node(l, pr->key));
			if (k)
				json_object_set_new(o, k, to_json(l, node(l, pr->value), depth + 1));
		}
		return o;
	}
	default:
		return json_null();
	}
}

static bool parse_condition(const char *s, rs_sca_condition *c)
{
	if (!s)
		return false;
	if (!strcmp(s, "all")) *c = RS_SCA_ALL;
	else if (!strcmp(s, "any")) *c = RS_SCA_ANY;
	else if (!strcmp(s, "none")) *c = RS_SCA_NONE;
	else return false;
	return true;
}

static char *substitute(loader *l, const char *rule)
{
	if (!strchr(rule, '$') || !l->n_vars)
		return rs_strdup(rule);
	rs_buf b;
	rs_buf_init(&b);
	const char *p = rule;
	while (*p) {
		size_t best = 0, bi = 0;
		if (*p == '$')
			for (size_t i = 0; i < l->n_vars; i++) {
				size_t n = strlen(l->var_names[i]);
				if (n > best && !strncmp(p, l->var_names[i], n)) {
					best = n;
					bi = i;
				}
			}
		if (best) {
			rs_buf_puts(&b, l->var_values[bi]);
			p += best;
		} else {
			rs_buf_append(&b, p++, 1);
		}
	}
	return rs_buf_take(&b);
}

/* Parses the rules sequence SEQ into *RULES. Returns 0 or -1 with ERR. */
static int parse_rules(loader *l, const yaml_node_t *seq, rs_sca_rule **rules, size_t *n, char *err, size_t errsize,
		       int *err_line)
{
	*err_line = line_of(seq);
	*rules = NULL;
	*n = 0;
	if (!seq || seq->type != YAML_SEQUENCE_NODE) {
		snprintf(err, errsize, _("'rules' is missing or not a list"));
		return -1;
	}
	size_t count = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	if (!count) {
		snprintf(err, errsize, _("'rules' is empty"));
		return -1;
	}
	*rules = rs_calloc(count, sizeof(rs_sca_rule));
	for (size_t i = 0; i < count; i++) {
		const yaml_node_t *item = node(l, seq->data.sequence.items.start[i]);
		const char *text = rs_yaml_scalar(item);
		*err_line = line_of(item);
		if (!text) {
			snprintf(err, errsize, _("rule %zu is not a string"), i + 1);
			return -1;
		}
		char *rule = substitute(l, text);
		char why[512];
		int rc = rs_sca_rule_parse(&(*rules)[i], rule, l->p->dialect, why, sizeof(why));
		*n = i + 1;
		free(rule);
		if (rc < 0) {
			snprintf(err, errsize, _("rule %zu: %s"), i + 1, why);
			return -1;
		}
	}
	return 0;
}

static void check_error(loader *l, rs_sca_check *c, int line, const char *msg)
{
	rs_warn(_("%s:%d: check %s: %s; the check is reported as not applicable, fix the policy"),
		l->name, line, c->id ? c->id : _("(no id)"), msg);
	free(c->error);
	c->error = rs_sprintf(_("policy error at line %d: %s"), line, msg);
	l->p->errors++;
}

static void load_check(loader *l, const yaml_node_t *m, rs_sca_check *c)
{
	c->line = line_of(m);
	c->severity = RS_SEV_MEDIUM;
	c->condition = RS_SCA_ALL;
	if (!m || m->type != YAML_MAPPING_NODE) {
		check_error(l, c, c->line, _("a check must be a mapping"));
		return;
	}
	c->id = get_str(l, m, "id");
	c->title = get_str(l, m, "title");
	if (!c->title)
		c->title = get_str(l, m, "name");
	c->description = get_str(l, m, "description");
	c->rationale = get_str(l, m, "rationale");
	c->remediation = get_str(l, m, "remediation");
	c->category = get_str(l, m, "category");
	if (!c->category)
		c->category = rs_strdup(l->p->id);
	yaml_node_t *comp = rs_yaml_get(l->doc, m, "compliance");
	if (comp)
		c->compliance = to_json(l, comp, 0);
	yaml_node_t *refs = rs_yaml_get(l->doc, m, "references");
	if (refs)
		c->references = to_json(l, refs, 0);
	yaml_node_t *attack = rs_yaml_get(l->doc, m, "attack");
	if (attack)
		c->attack = rs_yaml_scalar(attack) ? json_pack("[s]", rs_yaml_scalar(attack)) : to_json(l, attack, 0);
	if (!c->id) {
		check_error(l, c, c->line, _("missing field 'id'"));
		return;
	}
	if (!c->title) {
		check_error(l, c, c->line, _("missing field 'title' (4.x) or 'name' (5.x)"));
		return;
	}
	const char *sev = rs_yaml_scalar(rs_yaml_get(l->doc, m, "severity"));
	if (sev && !rs_severity_parse(sev, &c->severity)) {
		check_error(l, c, line_of(rs_yaml_get(l->doc, m, "severity")), _("severity must be info, low, medium, high or critical"));
		return;
	}
	yaml_node_t *cond = rs_yaml_get(l->doc, m, "condition");
	if (!parse_condition(rs_yaml_scalar(cond), &c->condition)) {
		check_error(l, c, cond ? line_of(cond) : c->line,
			    cond ? _("condition must be all, any or none") : _("missing field 'condition'"));
		return;
	}
	yaml_node_t *rules = rs_yaml_get(l->doc, m, "rules");
	char err[600];
	int err_line = 0;
	if (parse_rules(l, rules, &c->rules, &c->n_rules, err, sizeof(err), &err_line) < 0)
		check_error(l, c, rules ? err_line : c->line, err);
}

static void load_variables(loader *l, const yaml_node_t *vars)
{
	if (!vars || vars->type != YAML_MAPPING_NODE)
		return;
	size_t n = (size_t)(vars->data.mapping.pairs.top - vars->data.mapping.pairs.start);
	l->var_names = rs_calloc(n + 1, sizeof(char *));
	l->var_values = rs_calloc(n + 1, sizeof(char *));
	for (yaml_node_pair_t *pr = vars->data.mapping.pairs.start; pr < vars->data.mapping.pairs.top; pr++) {
		const char *k = rs_yaml_scalar(node(l, pr->key));
		yaml_node_t *v = node(l, pr->value);
		if (!k || !*k)
			continue;
		char *value = NULL;
		if (rs_yaml_scalar(v)) {
			value = rs_strdup(rs_yaml_scalar(v));
		} else if (v && v->type == YAML_SEQUENCE_NODE) {
			rs_buf b;
			rs_buf_init(&b);
			for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
				if (rs_yaml_scalar(node(l, *it)))
					rs_buf_printf(&b, "%s%s", b.len ? "," : "", rs_yaml_scalar(node(l, *it)));
			value = rs_buf_take(&b);
		} else {
			rs_warn(_("%s:%d: variable %s has no usable value; it is not substituted"), l->name, line_of(v), k);
			continue;
		}
		l->var_names[l->n_vars] = k[0] == '$' ? rs_strdup(k) : rs_sprintf("$%s", k);
		l->var_values[l->n_vars++] = value;
	}
}

static int load_document(loader *l)
{
	rs_sca_policy *p = l->p;
	yaml_node_t *root = yaml_document_get_root_node(l->doc);
	if (!root || root->type != YAML_MAPPING_NODE) {
		rs_warn(_("%s:1: not an SCA policy (the document is not a mapping); skipped"), l->name);
		return -1;
	}
	yaml_node_t *pol = rs_yaml_get(l->doc, root, "policy");
	p->id = get_str(l, pol, "id");
	if (!p->id || !*p->id) {
		rs_warn(_("%s:%d: the policy has no 'policy: id:'; skipped, add one"), l->name, pol ? line_of(pol) : 1);
		return -1;
	}
	p->name = get_str(l, pol, "name");
	p->description = get_str(l, pol, "description");
	const char *rt = rs_yaml_scalar(rs_yaml_get(l->doc, pol, "regex_type"));
	const char *missing = rs_yaml_scalar(rs_yaml_get(l->doc, pol, "missing_files"));
	p->missing_not_found = missing && !strcmp(missing, "not_found");
	yaml_node_t *devices = rs_yaml_get(l->doc, pol, "devices");
	if (rs_yaml_scalar(devices)) {
		p->devices = rs_strdup(rs_yaml_scalar(devices));
	} else if (devices && devices->type == YAML_SEQUENCE_NODE) {
		rs_buf b;
		rs_buf_init(&b);
		for (yaml_node_item_t *it = devices->data.sequence.items.start; it < devices->data.sequence.items.top; it++)
			if (rs_yaml_scalar(node(l, *it)))
				rs_buf_printf(&b, "%s%s", b.len ? "," : "", rs_yaml_scalar(node(l, *it)));
		p->devices = rs_buf_take(&b);
	}
	yaml_node_t *checks = rs_yaml_get(l->doc, root, "checks");
	if (!checks || checks->type != YAML_SEQUENCE_NODE) {
		rs_warn(_("%s:%d: policy %s has no 'checks' list; skipped"), l->name, line_of(root), p->id);
		return -1;
	}
	/* 5.x names checks with `name` and always uses PCRE2; 4.x uses `title`
	 * and OSSEC regex unless the policy says regex_type: pcre2 */
	yaml_node_t *first = checks->data.sequence.items.start < checks->data.sequence.items.top
				     ? node(l, checks->data.sequence.items.start[0]) : NULL;
	p->v5 = first && !rs_yaml_get(l->doc, first, "title") && rs_yaml_get(l->doc, first, "name");
	p->dialect = p->v5 || (rt && !strcasecmp(rt, "pcre2")) ? RS_SCA_PCRE2 : RS_SCA_OSSEC;
	load_variables(l, rs_yaml_get(l->doc, root, "variables"));

	yaml_node_t *req = rs_yaml_get(l->doc, root, "requirements");
	if (req) {
		p->has_requirements = true;
		p->req_title = get_str(l, req, "title");
		if (!p->req_title)
			p->req_title = get_str(l, req, "name");
		char err[600];
		yaml_node_t *cond = rs_yaml_get(l->doc, req, "condition");
		if (!parse_condition(rs_yaml_scalar(cond), &p->req_condition)) {
			rs_warn(_("%s:%d: policy %s: requirements need 'condition: all|any|none'; skipped"),
				l->name, line_of(req), p->id);
			return -1;
		}
		yaml_node_t *rules = rs_yaml_get(l->doc, req, "rules");
		int err_line = 0;
		if (parse_rules(l, rules, &p->req_rules, &p->n_req_rules, err, sizeof(err), &err_line) < 0) {
			rs_warn(_("%s:%d: policy %s: requirements: %s; skipped"), l->name,
				rules ? err_line : line_of(req), p->id, err);
			return -1;
		}
	}
	size_t n = (size_t)(checks->data.sequence.items.top - checks->data.sequence.items.start);
	p->checks = rs_calloc(n ? n : 1, sizeof(rs_sca_check));
	for (size_t i = 0; i < n; i++) {
		load_check(l, node(l, checks->data.sequence.items.start[i]), &p->checks[i]);
		p->n_checks++;
	}
	return 0;
}

bool rs_sca_looks_like_policy(const char *text, size_t len)
{
	bool policy = false, checks = false;
	const char *p = text, *end = text + len;
	while (p < end) {
		size_t rest = (size_t)(end - p);
		if (rest >= 7 && !memcmp(p, "policy:", 7))
			policy = true;
		if (rest >= 7 && !memcmp(p, "checks:", 7))
			checks = true;
		const char *nl = memchr(p, '\n', rest);
		if (!nl)
			break;
		p = nl + 1;
	}
	return policy && checks;
}

int rs_sca_policy_parse(rs_sca_policy *p, const char *text, size_t len, const char *name)
{
	memset(p, 0, sizeof(*p));
	p->path = rs_strdup(name);
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		/* the construct that was left open is where to look; the problem is often at its end */
		size_t line = parser.context ? parser.context_mark.line + 1 : parser.problem_mark.line + 1;
		rs_warn(_("%s:%zu: YAML error: %s%s%s (detected at line %zu); the policy is skipped, fix the file"), name,
			line, parser.problem ? parser.problem : _("unreadable"), parser.context ? " " : "",
			parser.context ? parser.context : "", (size_t)parser.problem_mark.line + 1);
		yaml_parser_delete(&parser);
		return -1;
	}
	loader l = { .doc = &doc, .name = name, .p = p };
	int rc = load_document(&l);
	for (size_t i = 0; i < l.n_vars; i++) {
		free(l.var_names[i]);
		free(l.var_values[i]);
	}
	free(l.var_names);
	free(l.var_values);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

int rs_sca_policy_load(rs_sca_policy *p, const char *path)
{
	memset(p, 0, sizeof(*p));
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	bool regular = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (fd >= 0 && !regular)
		errno = EINVAL; /* a FIFO or a device is not a policy */
	if (!regular || rs_read_fd(fd, SCA_MAX_POLICY_SIZE, &buf, &len) < 0) {
		rs_warn(_("%s: cannot read the policy: %s"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	int rc = rs_sca_policy_parse(p, buf, len, path);
	free(buf);
	return rc;
}

static void rules_free(rs_sca_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rs_sca_rule_free(&r[i]);
	free(r);
}

void rs_sca_policy_free(rs_sca_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_checks; i++) {
		rs_sca_check *c = &p->checks[i];
		free(c->id);
		free(c->title);
		free(c->description);
		free(c->rationale);
		free(c->remediation);
		free(c->category);
		free(c->error);
		json_decref(c->compliance);
		json_decref(c->references);
		json_decref(c->attack);
		rules_free(c->rules, c->n_rules);
	}
	free(p->checks);
	rules_free(p->req_rules, p->n_req_rules);
	free(p->req_title);
	free(p->path);
	free(p->id);
	free(p->name);
	free(p->description);
	free(p->devices);
	memset(p, 0, sizeof(*p));
}
