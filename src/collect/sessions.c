/*
 * sessions.c — the session collector: who is logged in, from the running
 * system's utmp (/run/utmp, read through libc's utmpx functions). Live
 * hosts only. A system without utmp (logins not recorded, or a container)
 * leaves the list empty and utmp_present false.
 */
#include "collect/live.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <utmpx.h>

#define RS_SESSIONS_MAX 100000

static const char *type_name(short type)
{
	switch (type) {
	case USER_PROCESS: return "user";
	case LOGIN_PROCESS: return "login";
	case INIT_PROCESS: return "init";
	case DEAD_PROCESS: return "dead";
	case BOOT_TIME: return "boot";
	case RUN_LVL: return "runlevel";
	default: return "other";
	}
}

/* Copies a fixed-size, maybe unterminated utmp field. */
static void copy_field(char *out, size_t size, const char *field, size_t field_size)
{
	size_t n = strnlen(field, field_size);
	if (n >= size)
		n = size - 1;
	memcpy(out, field, n);
	out[n] = '\0';
}

int rs_collect_sessions(const rs_host *h, rs_live *l)
{
	if (!h->live)
		return 0;
	if (access(_PATH_UTMPX, F_OK) < 0)
		return 0;
	l->utmp_present = true;
	if (utmpxname(_PATH_UTMPX) < 0)
		return 1;
	setutxent();
	struct utmpx *u;
	while ((u = getutxent()) && l->sessions.len < RS_SESSIONS_MAX) {
		if (u->ut_type != USER_PROCESS && u->ut_type != LOGIN_PROCESS && u->ut_type != BOOT_TIME)
			continue;
		rs_session *s = rs_vec_push(&l->sessions);
		copy_field(s->user, sizeof(s->user), u->ut_user, sizeof(u->ut_user));
		copy_field(s->line, sizeof(s->line), u->ut_line, sizeof(u->ut_line));
		copy_field(s->host, sizeof(s->host), u->ut_host, sizeof(u->ut_host));
		s->pid = u->ut_pid;
		s->time = (long long)u->ut_tv.tv_sec;
		snprintf(s->type, sizeof(s->type), "%s", type_name(u->ut_type));
	}
	endutxent();
	return 0;
}
