/*
 * devparse.c — helpers shared by the Junos, FortiOS and RouterOS parsers
 * (devparse.h): file:line errors, node removal and renaming, token joining,
 * unquoting and CLI prompt recognition.
 */
#include "core/i18n.h"
#include "device/devparse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rs_devparse_error(const rs_device_config *cfg, char *err, size_t errsize, unsigned line,
		      const char *fmt, ...)
{
	if (!err || errsize == 0)
		return -1;
	const char *path = cfg && cfg->path ? cfg->path : "config";
	int n = line ? snprintf(err, errsize, "%s:%u: ", path, line) : snprintf(err, errsize, "%s: ", path);
	if (n < 0 || (size_t)n >= errsize)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, errsize - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

size_t rs_devparse_window(const rs_device_node *parent)
{
	return parent->nchildren > RS_DEVPARSE_WINDOW ? parent->nchildren - RS_DEVPARSE_WINDOW : 0;
}

rs_device_node *rs_devparse_find(const rs_device_node *parent, const char *text)
{
	for (size_t i = parent->nchildren; i-- > rs_devparse_window(parent);)
		if (!strcmp(parent->children[i]->text, text))
			return parent->children[i];
	return NULL;
}

int rs_devparse_too_deep(const rs_device_config *cfg, char *err, size_t errsize, unsigned line)
{
	return rs_devparse_error(cfg, err, errsize, line,
				 _("sections nested deeper than %d levels; the file is not a configuration rasoat can read"),
				 RS_DEVICE_MAX_DEPTH);
}

void rs_devparse_node_free(rs_device_node *node)
{
	if (!node)
		return;
	for (size_t i = 0; i < node->nchildren; i++)
		rs_devparse_node_free(node->children[i]);
	free(node->children);
	free(node->text);
	free(node);
}

void rs_devparse_remove_child(rs_device_node *parent, size_t i)
{
	if (i >= parent->nchildren)
		return;
	rs_device_node *gone = parent->children[i];
	memmove(&parent->children[i], &parent->children[i + 1],
		(parent->nchildren - i - 1) * sizeof(parent->children[0]));
	parent->nchildren--;
	rs_devparse_node_free(gone);
}

void rs_devparse_move_child(rs_device_node *parent, size_t from, size_t to)
{
	if (from >= parent->nchildren)
		return;
	rs_device_node *n = parent->children[from];
	memmove(&parent->children[from], &parent->children[from + 1],
		(parent->nchildren - from - 1) * sizeof(parent->children[0]));
	if (to > parent->nchildren - 1)
		to = parent->nchildren - 1;
	memmove(&parent->children[to + 1], &parent->children[to],
		(parent->nchildren - 1 - to) * sizeof(parent->children[0]));
	parent->children[to] = n;
}

void rs_devparse_set_text(rs_device_node *node, const char *text)
{
	char *copy = rs_strdup(text);
	free(node->text);
	node->text = copy;
}

size_t rs_devparse_index(const rs_device_node *parent, const rs_device_node *child)
{
	for (size_t i = 0; i < parent->nchildren; i++)
		if (parent->children[i] == child)
			return i;
	return parent->nchildren;
}

void rs_devparse_append_token(rs_buf *b, const char *s, size_t len)
{
	if (b->len > 0)
		rs_buf_append(b, " ", 1);
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\r' && s[i] != '\n' && s[i] != '\t')
			continue;
		rs_buf_append(b, s + start, i - start);
		if (s[i] != '\r')
			rs_buf_append(b, " ", 1);
		start = i + 1;
	}
	rs_buf_append(b, s + start, len - start);
}

size_t rs_devparse_value_len(const char *v)
{
	if (*v != '"')
		return strcspn(v, " ");
	size_t len = 1;
	while (v[len] && v[len] != '"')
		len += v[len] == '\\' && v[len + 1] ? 2 : 1;
	return len + (v[len] == '"');
}

char *rs_devparse_unquote(const char *s, size_t len)
{
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s++;
		len -= 2;
	}
	rs_buf b;
	rs_buf_init(&b);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		rs_buf_append(&b, s + i, 1);
	}
	return rs_buf_take(&b);
}

static bool prompt_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-' || c == ':';
}

/* After a prompt's last character at P: the blanks that follow, or 0 when
 * something other than a blank or the line end follows. */
static size_t prompt_end(const char *line, size_t len, size_t p)
{
	if (p < len && line[p] != ' ' && line[p] != '\t' && line[p] != '\r')
		return 0;
	while (p < len && (line[p] == ' ' || line[p] == '\t' || line[p] == '\r'))
		p++;
	return p;
}

size_t rs_devparse_prompt_len(const char *line, size_t len)
{
	size_t p = 0;
	while (p < len && (line[p] == ' ' || line[p] == '\t'))
		p++;
	if (p < len && line[p] == '[') {
		/* RouterOS: [user@identity] /path> */
		size_t q = p + 1;
		bool at = false;
		while (q < len && line[q] != ']' && (prompt_char(line[q]) || line[q] == '@')) {
			at |= line[q] == '@';
			q++;
		}
		if (!at || q >= len || line[q] != ']')
			return 0;
		q++;
		while (q < len && line[q] != '>' && line[q] != '\n' && (q - p) < 256)
			q++;
		if (q >= len || line[q] != '>')
			return 0;
		return prompt_end(line, len, q + 1);
	}
	size_t q = p;
	bool at = false;
	while (q < len && (prompt_char(line[q]) || line[q] == '@')) {
		at |= line[q] == '@';
		q++;
	}
	if (q == p)
		return 0;
	if (at) {
		/* Junos: user@host> , user@host# , root@host:RE:0% */
		if (q < len && (line[q] == '>' || line[q] == '#' || line[q] == '%'))
			return prompt_end(line, len, q + 1);
		return 0;
	}
	/* FortiOS: HOST # , HOST (vdom) # , HOST $ */
	if (q >= len || line[q] != ' ')
		return 0;
	q++;
	if (q < len && line[q] == '(') {
		size_t r = q + 1;
		while (r < len && prompt_char(line[r]))
			r++;
		if (r >= len || line[r] != ')' || r == q + 1)
			return 0;
		q = r + 1;
		if (q >= len || line[q] != ' ')
			return 0;
		q++;
	}
	if (q < len && (line[q] == '#' || line[q] == '$'))
		return prompt_end(line, len, q + 1);
	return 0;
}
