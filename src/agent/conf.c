/*
 * conf.c — the agent's local configuration (agent.h, "conf.c"): what the
 * host's administrator lets the server ask of this agent. Nothing the
 * server sends can change it; a task it does not allow is refused and
 * reported so. A malformed file allows nothing.
 */
#include "agent/agent.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/util.h"
#include "fleet/task.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONF (64u << 10)

void rs_agent_conf_init(rs_agent_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->collect_max = RS_TASK_COLLECT_DEFAULT;
}

void rs_agent_conf_free(rs_agent_conf *c)
{
	free(c->drill_root);
	free(c->respond_root);
	free(c->content_dir);
	rs_agent_conf_init(c);
}

static bool set_bool(bool *out, const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

static bool set_dir(char **out, const char *v)
{
	if (v[0] != '/' || strlen(v) > 4096)
		return false;
	free(*out);
	*out = rs_strdup(v);
	return true;
}

/* Applies KEY = VALUE; false when the key is unknown or the value bad. */
static bool apply(rs_agent_conf *c, const char *key, const char *value)
{
	if (!strcmp(key, "allow_drill"))
		return set_bool(&c->allow_drill, value);
	if (!strcmp(key, "allow_respond"))
		return set_bool(&c->allow_respond, value);
	if (!strcmp(key, "drill_root"))
		return set_dir(&c->drill_root, value);
	if (!strcmp(key, "respond_root"))
		return set_dir(&c->respond_root, value);
	if (!strcmp(key, "content_dir"))
		return set_dir(&c->content_dir, value);
	if (!strcmp(key, "collect_max"))
		return rs_config_set_size(&c->collect_max, value) && c->collect_max > 0 &&
		       c->collect_max <= RS_TASK_COLLECT_MAX;
	return false;
}

int rs_agent_conf_parse(rs_agent_conf *c, const char *text, size_t len, const char *name, char *err,
			size_t errsize)
{
	char *copy = rs_strndup(text, len);
	if (strlen(copy) != len) {
		free(copy);
		rs_agent_conf_free(c);
		snprintf(err, errsize, _("%s: holds a NUL byte; it is not a text file"), name);
		return -1;
	}
	int rc = 0, line = 0;
	for (char *l = copy, *next; l && rc == 0; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		char *hash = strchr(l, '#');
		if (hash)
			*hash = '\0';
		char *t = rs_trim(l);
		if (!*t)
			continue;
		char *eq = strchr(t, '=');
		if (!eq) {
			snprintf(err, errsize, _("%s:%d: not \"key = value\""), name, line);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *key = rs_trim(t), *value = rs_trim(eq + 1);
		if (!apply(c, key, value)) {
			snprintf(err, errsize, _("%s:%d: unknown key or bad value for \"%.64s\" (see docs/FLEET.md, "
				 "\"Agent configuration\")"), name, line, key);
			rc = -1;
		}
	}
	free(copy);
	if (rc < 0)
		rs_agent_conf_free(c);
	return rc;
}

int rs_agent_conf_load(rs_agent_conf *c, const char *path, char *err, size_t errsize)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errsize, _("%s: cannot read: %s"), path, strerror(errno));
		return -1;
	}
	char *buf = rs_malloc(MAX_CONF + 1);
	size_t n = fread(buf, 1, MAX_CONF + 1, f);
	fclose(f);
	int rc;
	if (n > MAX_CONF) {
		snprintf(err, errsize, _("%s: larger than %u bytes"), path, MAX_CONF);
		rc = -1;
	} else {
		rc = rs_agent_conf_parse(c, buf, n, path, err, errsize);
	}
	free(buf);
	return rc;
}
