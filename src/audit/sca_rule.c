/*
 * sca_rule.c — the SCA rule language: "[not ]TYPE:TARGET[ -> TESTS]" with
 * TYPE f (file), d (directory: "d:DIR -> NAME-TEST[ -> TESTS]"), p (process)
 * or c (command), and TESTS one or more content tests joined with " && ":
 * "r:REGEX", "!r:REGEX", "n:REGEX compare OP NUMBER" or a literal line.
 * rasoat adds "cfg:SELECTOR[ -> TESTS]" over a device configuration: the
 * selector is regexes joined with " >> ", one per level of the tree, or a
 * named analysis "@NAME"; its tests may also be "child:REGEX" and
 * "!child:REGEX" (docs/DEVICES.md).
 */
#include "core/i18n.h"
#include "audit/sca.h"
#include "device/analyze.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCA_MAX_TESTS 64

static void tests_free(rs_sca_tests *t)
{
	for (size_t i = 0; i < t->len; i++) {
		free(t->items[i].text);
		free(t->items[i].op_text);
		rs_sca_regex_free(t->items[i].re);
	}
	free(t->items);
	t->items = NULL;
	t->len = 0;
}

void rs_sca_rule_free(rs_sca_rule *r)
{
	if (!r)
		return;
	free(r->text);
	free(r->target);
	free(r->broken);
	for (size_t i = 0; i < r->n_steps; i++)
		rs_sca_regex_free(r->steps[i]);
	free(r->steps);
	free(r->analysis);
	tests_free(&r->name);
	tests_free(&r->content);
	memset(r, 0, sizeof(*r));
}

/* "<=", "==", ... Wazuh reads an operator it does not know by its first
 * character; "=>" and "=<" (and "=") thus mean "==": rasoat does the same and
 * `--lint` reports them. */
static bool parse_op(const char *s, rs_sca_op *op)
{
	if (!strcmp(s, "<")) *op = RS_SCA_LT;
	else if (!strcmp(s, "<=")) *op = RS_SCA_LE;
	else if (!strcmp(s, "==") || !strcmp(s, "=") || !strcmp(s, "=>") || !strcmp(s, "=<")) *op = RS_SCA_EQ;
	else if (!strcmp(s, "!=")) *op = RS_SCA_NE;
	else if (!strcmp(s, ">=")) *op = RS_SCA_GE;
	else if (!strcmp(s, ">")) *op = RS_SCA_GT;
	else return false;
	return true;
}

/* A numeric test Wazuh loads but can never evaluate: kept with its message in *BROKEN. */
static int numeric_broken(rs_sca_test *t, const char *body, char **broken, char *msg)
{
	t->text = rs_strdup(body);
	if (!*broken)
		*broken = rs_strdup(msg);
	return 0;
}

static int parse_numeric(rs_sca_test *t, char *body, rs_sca_dialect dialect, char **broken, char *err, size_t errsize)
{
	char *cmp = NULL;
	for (char *p = strstr(body, " compare "); p; p = strstr(p + 1, " compare "))
		cmp = p; /* the last one: the regex itself may contain the word */
	if (!cmp) {
		snprintf(err, errsize, _("numeric test 'n:%s' has no 'compare OP NUMBER'"), body);
		return numeric_broken(t, body, broken, err);
	}
	*cmp = '\0';
	char *rest = rs_trim(cmp + strlen(" compare "));
	char opbuf[4] = { 0 };
	size_t k = 0;
	while (*rest && strchr("<>=!", *rest) && k < 3)
		opbuf[k++] = *rest++;
	rest = rs_trim(rest);
	if (!parse_op(opbuf, &t->op)) {
		snprintf(err, errsize, _("numeric test has an unknown operator '%s' (use < <= == != >= >)"), opbuf);
		return numeric_broken(t, body, broken, err);
	}
	char *end;
	errno = 0;
	long long v = strtoll(rest, &end, 10);
	if (end == rest || *rs_trim(end) || errno) {
		snprintf(err, errsize, _("numeric test compares with '%s', not a number"), rest);
		return numeric_broken(t, body, broken, err);
	}
	t->op_text = rs_strdup(opbuf);
	t->value = v;
	t->text = rs_strdup(rs_trim(body));
	t->re = rs_sca_regex_compile(t->text, dialect, err, errsize);
	return t->re ? 0 : -1;
}

static int parse_test(rs_sca_test *t, char *s, rs_sca_dialect dialect, char **broken, char *err, size_t errsize)
{
	s = rs_trim(s);
	if (rs_starts_with(s, "r:") || rs_starts_with(s, "!r:")) {
		t->kind = s[0] == '!' ? RS_SCA_T_NOT_REGEX : RS_SCA_T_REGEX;
		t->text = rs_strdup(s + (s[0] == '!' ? 3 : 2));
		t->re = rs_sca_regex_compile(t->text, dialect, err, errsize);
		return t->re ? 0 : -1;
	}
	if (rs_starts_with(s, "child:") || rs_starts_with(s, "!child:")) {
		t->kind = s[0] == '!' ? RS_SCA_T_NOT_CHILD : RS_SCA_T_CHILD;
		t->text = rs_strdup(s + (s[0] == '!' ? 7 : 6));
		t->re = rs_sca_regex_compile(t->text, dialect, err, errsize);
		return t->re ? 0 : -1;
	}
	if (rs_starts_with(s, "perm:") || rs_starts_with(s, "!perm:") || rs_starts_with(s, "uid:") ||
	    rs_starts_with(s, "gid:")) {
		t->kind = s[0] == '!' ? RS_SCA_T_NOT_PERM : s[0] == 'p' ? RS_SCA_T_PERM : s[0] == 'u' ? RS_SCA_T_UID : RS_SCA_T_GID;
		const char *v = strchr(s, ':') + 1;
		char *end;
		errno = 0;
		long long n = strtoll(v, &end, t->kind == RS_SCA_T_PERM || t->kind == RS_SCA_T_NOT_PERM ? 8 : 10);
		if (end == v || *end || errno || n < 0 || n > 0xffffffffLL) {
			snprintf(err, errsize, _("'%s' needs a number (octal mode for perm:)"), s);
			return -1;
		}
		t->value = n;
		t->text = rs_strdup(s);
		return 0;
	}
	if (rs_starts_with(s, "n:")) {
		t->kind = RS_SCA_T_NUMERIC;
		return parse_numeric(t, s + 2, dialect, broken, err, errsize);
	}
	if (!*s) {
		snprintf(err, errsize, _("empty content test"));
		return -1;
	}
	t->kind = RS_SCA_T_LITERAL;
	t->text = rs_strdup(s);
	return 0;
}

static int parse_tests(rs_sca_tests *out, char *s, rs_sca_dialect dialect, char **broken, char *err, size_t errsize)
{
	out->items = rs_calloc(SCA_MAX_TESTS, sizeof(rs_sca_test));
	char *p = s;
	for (;;) {
		char *sep = strstr(p, " && ");
		if (sep)
			*sep = '\0';
		if (out->len == SCA_MAX_TESTS) {
			snprintf(err, errsize, _("more than %d tests joined with &&"), SCA_MAX_TESTS);
			return -1;
		}
		if (parse_test(&out->items[out->len++], p, dialect, broken, err, errsize) < 0)
			return -1;
		bool meta = out->items[out->len - 1].kind >= RS_SCA_T_PERM;
		if (out->len > 1 && meta != (out->items[0].kind >= RS_SCA_T_PERM)) {
			snprintf(err, errsize, _("perm:/uid:/gid: tests cannot be joined with content tests"));
			return -1;
		}
		if (!sep)
			break;
		p = sep + 4;
	}
	return 0;
}

#define SCA_MAX_STEPS 32

/* The selector of a cfg: rule: "@NAME", or regexes joined with " >> ". */
static int parse_selector(rs_sca_rule *r, char *sel, rs_sca_dialect dialect, char *err, size_t errsize)
{
	if (sel[0] == '@') {
		if (!rs_device_analysis_known(sel + 1)) {
			snprintf(err, errsize, _("unknown analysis '%s' (known: %s)"), sel, rs_device_analysis_names());
			return -1;
		}
		r->analysis = rs_strdup(sel + 1);
		return 0;
	}
	r->steps = rs_calloc(SCA_MAX_STEPS, sizeof(*r->steps));
	char *p = sel;
	for (;;) {
		char *sep = strstr(p, " >> ");
		if (sep)
			*sep = '\0';
		if (r->n_steps == SCA_MAX_STEPS) {
			snprintf(err, errsize, _("more than %d levels in the selector"), SCA_MAX_STEPS);
			return -1;
		}
		char *step = rs_trim(p);
		if (!*step) {
			snprintf(err, errsize, _("empty level in the selector '%s'"), r->target);
			return -1;
		}
		r->steps[r->n_steps] = rs_sca_regex_compile(step, dialect, err, errsize);
		if (!r->steps[r->n_steps])
			return -1;
		r->n_steps++;
		if (!sep)
			break;
		p = sep + 4;
	}
	return 0;
}

static bool has_child_tests(const rs_sca_tests *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->items[i].kind == RS_SCA_T_CHILD || t->items[i].kind == RS_SCA_T_NOT_CHILD)
			return true;
	return false;
}

int rs_sca_rule_parse(rs_sca_rule *r, const char *text, rs_sca_dialect dialect, char *err, size_t errsize)
{
	memset(r, 0, sizeof(*r));
	r->text = rs_strdup(text);
	char *copy = rs_strdup(text);
	char *s = rs_trim(copy);
	int rc = -1;
	if (rs_starts_with(s, "not ")) {
		r->negate = true;
		s = rs_trim(s + 4);
	}
	if (rs_starts_with(s, "cfg:")) {
		r->kind = RS_SCA_CFG;
		s += 4;
		char *arrow = strstr(s, " -> ");
		if (arrow)
			*arrow = '\0';
		char *sel = rs_trim(s);
		if (!*sel) {
			snprintf(err, errsize, _("rule '%s' has no selector"), text);
			goto out;
		}
		r->target = rs_strdup(sel);
		if (parse_selector(r, sel, dialect, err, errsize) < 0)
			goto out;
		if (arrow) {
			r->has_content = true;
			if (parse_tests(&r->content, arrow + 4, dialect, &r->broken, err, errsize) < 0)
				goto out;
			if (r->content.items[0].kind >= RS_SCA_T_PERM) {
				snprintf(err, errsize, _("perm:/uid:/gid: apply to f: and d: rules only"));
				goto out;
			}
		}
		rc = 0;
		goto out;
	}
	if (strlen(s) < 2 || s[1] != ':') {
		snprintf(err, errsize, _("rule '%s' does not start with f:, d:, p:, c: or cfg:"), text);
		goto out;
	}
	switch (s[0]) {
	case 'f': r->kind = RS_SCA_FILE; break;
	case 'd': r->kind = RS_SCA_DIR; break;
	case 'p': r->kind = RS_SCA_PROC; break;
	case 'c': r->kind = RS_SCA_CMD; break;
	default:
		snprintf(err, errsize, _("unknown rule type '%c:' (known: f: d: p: c: cfg:)"), s[0]);
		goto out;
	}
	s += 2;
	char *parts[3] = { s, NULL, NULL };
	size_t n = 1;
	/* only d: takes a second arrow; elsewhere Wazuh keeps it in the content
	 * test (where it never matches) and so does rasoat: --lint reports it */
	size_t max_parts = r->kind == RS_SCA_DIR ? 3 : 2;
	for (char *a = strstr(s, " -> "); a && n < max_parts; a = strstr(a, " -> ")) {
		*a = '\0';
		a += 4;
		parts[n++] = a;
	}
	if (r->kind == RS_SCA_DIR && strstr(parts[n - 1], " -> ")) {
		snprintf(err, errsize, _("too many '->' in rule '%s'"), text);
		goto out;
	}
	char *target = rs_trim(parts[0]);
	if (!*target) {
		snprintf(err, errsize, _("rule '%s' has no target"), text);
		goto out;
	}
	r->target = rs_strdup(target);
	if (r->kind == RS_SCA_DIR && n >= 2) {
		r->has_name = true;
		if (parse_tests(&r->name, parts[1], dialect, &r->broken, err, errsize) < 0)
			goto out;
		if (n == 3) {
			r->has_content = true;
			if (parse_tests(&r->content, parts[2], dialect, &r->broken, err, errsize) < 0)
				goto out;
			r->stat_tests = r->content.items[0].kind >= RS_SCA_T_PERM;
		}
	} else if (n == 2) {
		if (r->kind == RS_SCA_PROC) {
			snprintf(err, errsize, _("process rule '%s' takes no content test"), text);
			goto out;
		}
		r->has_content = true;
		if (parse_tests(&r->content, parts[1], dialect, &r->broken, err, errsize) < 0)
			goto out;
		r->stat_tests = r->content.items[0].kind >= RS_SCA_T_PERM;
		if (r->stat_tests && r->kind != RS_SCA_FILE) {
			snprintf(err, errsize, _("perm:/uid:/gid: apply to f: and d: rules only"));
			goto out;
		}
	} else if (n == 3) {
		snprintf(err, errsize, _("only d: rules take two '->' (rule '%s')"), text);
		goto out;
	}
	if ((r->has_content && has_child_tests(&r->content)) || (r->has_name && has_child_tests(&r->name))) {
		snprintf(err, errsize, _("child: tests apply to cfg: rules only (rule '%s')"), text);
		goto out;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}
