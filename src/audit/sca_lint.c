/*
 * sca_lint.c — `rasoat audit --lint FILE`: the mistakes Wazuh's own parser
 * accepts silently and that rasoat, for compatibility, evaluates the same
 * way: "compare =>" / "=<" / "=" (read as ==), "(d+)" and similar groups of a
 * plain letter with + or * where \d+ was meant (never matches digits), a
 * content test without r:/!r:/n: after && (read as a whole-line literal),
 * PCRE-only syntax such as [\w] or {n} in an OSSEC-regex (4.x) policy; and
 * every load error (bad YAML, unknown rule type, unbalanced regex, missing
 * field), each with the file, line and check id.
 */
#include "core/i18n.h"
#include "audit/sca.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct lint_ctx {
	rs_buf *out;
	const char *name;
	int problems;
} lint_ctx;

static void collect_warning(rs_log_level level, const char *message, void *ctx)
{
	(void)level;
	lint_ctx *l = ctx;
	rs_buf_printf(l->out, "%s\n", message);
	l->problems++;
}

static void report(lint_ctx *l, int line, const char *check, const char *rule, const char *what)
{
	rs_buf_printf(l->out, "%s:%d: check %s: %s: %s\n", l->name, line, check, what, rule);
	l->problems++;
}

static void lint_test(lint_ctx *l, int line, const char *check, const char *rule, const rs_sca_test *t,
		      rs_sca_dialect dialect)
{
	if (t->kind == RS_SCA_T_NUMERIC && t->op_text &&
	    (!strcmp(t->op_text, "=>") || !strcmp(t->op_text, "=<") || !strcmp(t->op_text, "=")))
		report(l, line, check, rule, _("operator read as '==' (Wazuh does the same); write >=, <= or =="));
	if (t->kind == RS_SCA_T_LITERAL)
		report(l, line, check, rule, _("a test without r:, !r: or n: compares the whole line literally; "
					      "was r: meant?"));
	if (t->text && strstr(t->text, " -> "))
		report(l, line, check, rule, _("a second '->' outside a d: rule is part of the pattern and never matches"));
	if (t->kind == RS_SCA_T_LITERAL || !t->text)
		return;
	const char *s = t->text;
	for (const char *p = s; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if ((*p == '+' || *p == '*') && p > s && strchr("dwsp", p[-1]) && (p == s + 1 || p[-2] != '\\')) {
			report(l, line, check, rule, dialect == RS_SCA_OSSEC
							     ? _("'d+' (a letter repeated) where '\\d+' was meant: it never matches digits")
							     : _("a letter repeated with + or * where a \\d+/\\w+ escape was probably meant"));
			break;
		}
	}
	if (dialect == RS_SCA_OSSEC && (strchr(s, '[') || strchr(s, '{')))
		report(l, line, check, rule, _("OSSEC regex (4.x) has no [classes] or {n}: '[' and '{' match themselves"));
}

int rs_sca_lint_text(const char *text, size_t len, const char *name, rs_buf *out)
{
	lint_ctx l = { .out = out, .name = name };
	rs_log_set_handler(collect_warning, &l);
	rs_sca_policy p;
	int rc = rs_sca_policy_parse(&p, text, len, name);
	rs_log_set_handler(NULL, NULL);
	if (rc == 0) {
		for (size_t i = 0; i < p.n_checks; i++) {
			const rs_sca_check *c = &p.checks[i];
			for (size_t j = 0; j < c->n_rules; j++) {
				const rs_sca_rule *r = &c->rules[j];
				if (r->broken)
					report(&l, c->line, c->id ? c->id : "?", r->text, r->broken);
				for (size_t k = 0; k < r->content.len; k++)
					lint_test(&l, c->line, c->id ? c->id : "?", r->text, &r->content.items[k], p.dialect);
				for (size_t k = 0; k < r->name.len; k++)
					lint_test(&l, c->line, c->id ? c->id : "?", r->text, &r->name.items[k], p.dialect);
			}
		}
	}
	rs_sca_policy_free(&p);
	return l.problems;
}

int rs_sca_lint_file(const char *path, void *out_file)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char *buf = NULL;
	size_t len = 0;
	if (fd < 0 || rs_read_fd(fd, 8u << 20, &buf, &len) < 0) {
		rs_error(_("%s: cannot read the policy: %s"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	rs_buf out;
	rs_buf_init(&out);
	int n = rs_sca_lint_text(buf, len, path, &out);
	free(buf);
	if (out.data)
		fputs(out.data, (FILE *)out_file);
	rs_buf_free(&out);
	return n;
}
