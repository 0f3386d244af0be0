/*
 * ossec_regex.c — regular expressions of SCA rules. Wazuh 4.x writes r: and
 * n: in OSSEC's own dialect (OS_Regex): case-insensitive; \w \d \s \t \p and
 * their negations \W \D \S; \. any character; + and * apply only to those
 * escapes (after a plain character they are plain characters); ^ $ anchors;
 * | alternation; ( ) groups; \$ \( \) \\ \| escape; everything else,
 * including . [ ] { } ?, is literal. It is translated here to PCRE2, which
 * also runs 5.x policies (PCRE2, case-insensitive) directly.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/i18n.h"
#include "audit/sca.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

struct rs_sca_regex {
	pcre2_code *code;
};

#define OSSEC_MAX_PATTERN 4096

static const char *ossec_class(char c)
{
	switch (c) {
	case 'w': return "[A-Za-z0-9@_\\-]";
	case 'W': return "[^A-Za-z0-9@_\\-]";
	case 'd': return "[0-9]";
	case 'D': return "[^0-9]";
	case 's': return "[ ]";
	case 'S': return "[^ ]";
	case 't': return "\\t";
	case 'p': return "[()*+,\\-.:;<=>?\\[\\]!\"'#$%&|{}]";
	case '.': return "(?s:.)";
	default: return NULL;
	}
}

char *rs_ossec_regex_to_pcre2(const char *pattern, char *err, size_t errsize)
{
	size_t n = strlen(pattern);
	if (n > OSSEC_MAX_PATTERN) {
		snprintf(err, errsize, _("regex longer than %d characters"), OSSEC_MAX_PATTERN);
		return NULL;
	}
	rs_buf b;
	rs_buf_init(&b);
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		char c = pattern[i];
		if (c == '\\') {
			if (i + 1 >= n) {
				snprintf(err, errsize, _("regex ends with a lone backslash"));
				rs_buf_free(&b);
				return NULL;
			}
			char e = pattern[++i];
			const char *cls = ossec_class(e);
			if (cls) {
				rs_buf_puts(&b, cls);
				if (i + 1 < n && (pattern[i + 1] == '+' || pattern[i + 1] == '*'))
					rs_buf_append(&b, &pattern[++i], 1);
			} else if (e == '$' || e == '(' || e == ')' || e == '\\' || e == '|' || e == '^') {
				rs_buf_append(&b, "\\", 1);
				rs_buf_append(&b, &e, 1);
			} else {
				/* OS_Regex has no such escape: it matches the character itself */
				if (!((e >= 'A' && e <= 'Z') || (e >= 'a' && e <= 'z') || (e >= '0' && e <= '9')))
					rs_buf_append(&b, "\\", 1);
				rs_buf_append(&b, &e, 1);
			}
			continue;
		}
		switch (c) {
		case '(':
			depth++;
			rs_buf_append(&b, "(", 1);
			break;
		case ')':
			if (--depth < 0) {
				snprintf(err, errsize, _("unbalanced ')' at offset %zu"), i);
				rs_buf_free(&b);
				return NULL;
			}
			rs_buf_append(&b, ")", 1);
			break;
		case '|':
		case '^':
		case '$':
			rs_buf_append(&b, &c, 1);
			break;
		default:
			if (strchr(".[]{}?+*", c))
				rs_buf_append(&b, "\\", 1);
			rs_buf_append(&b, &c, 1);
		}
	}
	if (depth != 0) {
		snprintf(err, errsize, _("unbalanced '(': %d not closed"), depth);
		rs_buf_free(&b);
		return NULL;
	}
	return rs_buf_take(&b);
}

rs_sca_regex *rs_sca_regex_compile(const char *pattern, rs_sca_dialect dialect, char *err, size_t errsize)
{
	char *translated = NULL;
	const char *src = pattern;
	if (dialect == RS_SCA_OSSEC) {
		translated = rs_ossec_regex_to_pcre2(pattern, err, errsize);
		if (!translated)
			return NULL;
		src = translated;
	}
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &code, &off, NULL);
	free(translated);
	if (!re) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, errsize, _("bad regex '%s': %s at offset %zu"), pattern, (const char *)msg, (size_t)off);
		return NULL;
	}
	rs_sca_regex *r = rs_calloc(1, sizeof(*r));
	r->code = re;
	return r;
}

void rs_sca_regex_free(rs_sca_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re);
}

bool rs_sca_regex_match(const rs_sca_regex *re, const char *text, size_t len, char *capture, size_t capsize)
{
	/* match data per call: rules may be evaluated from several threads */
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, NULL);
	int rc = pcre2_match(re->code, (PCRE2_SPTR)text, len, 0, 0, md, NULL);
	if (rc > 1 && capture && capsize) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		if (ov[2] != PCRE2_UNSET) {
			size_t n = ov[3] - ov[2];
			if (n >= capsize)
				n = capsize - 1;
			memcpy(capture, text + ov[2], n);
			capture[n] = '\0';
		} else {
			capture[0] = '\0';
		}
	} else if (capture && capsize) {
		capture[0] = '\0';
	}
	pcre2_match_data_free(md);
	return rc > 0;
}
