/*
 * sca_command.c — runs the commands of c: rules the way Wazuh does: the
 * command line is split into words (single and double quotes, backslash
 * escapes) and executed directly, without a shell; a rule that needs one
 * says so itself ("c:sh -c '…'"). The child gets a clean environment
 * (PATH, LC_ALL=C), / as working directory, /dev/null as input, its own
 * process group, a timeout after which the group is killed, and its output
 * (stdout and stderr) is bounded. Outputs are cached per scan: many checks run the same command.
 * The child is started with posix_spawn (a vfork-like clone in glibc): fork
 * would copy the page tables of rasoat's address space, large under ASan,
 * for each of a policy's hundred commands only to throw them away at exec.
 */
#include "core/i18n.h"
#include "audit/sca.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SCA_CMD_MAX_OUTPUT (1u << 20)
#define SCA_CMD_MAX_ARGS 256
#define SCA_CMD_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

typedef struct cmd_entry {
	char *command;
	char *output;
	size_t len;
	char *reason; /* set when it could not run */
} cmd_entry;

struct rs_sca_cmd_cache {
	pthread_mutex_t lock;
	rs_vec entries; /* cmd_entry */
};

rs_sca_cmd_cache *rs_sca_cmd_cache_new(void)
{
	rs_sca_cmd_cache *c = rs_calloc(1, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	rs_vec_init(&c->entries, sizeof(cmd_entry));
	return c;
}

void rs_sca_cmd_cache_free(rs_sca_cmd_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->entries.len; i++) {
		cmd_entry *e = rs_vec_at(&c->entries, i);
		free(e->command);
		free(e->output);
		free(e->reason);
	}
	rs_vec_free(&c->entries);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void rs_sca_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

char **rs_sca_command_argv(const char *command)
{
	char **argv = rs_calloc(SCA_CMD_MAX_ARGS + 1, sizeof(char *));
	size_t n = 0;
	const char *p = command;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n == SCA_CMD_MAX_ARGS)
			goto bad;
		rs_buf w;
		rs_buf_init(&w);
		rs_buf_puts(&w, "");
		char quote = 0;
		for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
			if (quote) {
				if (*p == quote)
					quote = 0;
				else if (quote == '"' && *p == '\\' && p[1] && strchr("\"\\$`", p[1]))
					rs_buf_append(&w, ++p, 1);
				else
					rs_buf_append(&w, p, 1);
			} else if (*p == '\'' || *p == '"') {
				quote = *p;
			} else if (*p == '\\' && p[1]) {
				rs_buf_append(&w, ++p, 1);
			} else {
				rs_buf_append(&w, p, 1);
			}
		}
		argv[n++] = rs_buf_take(&w);
		if (quote)
			goto bad;
	}
	if (!n)
		goto bad;
	return argv;
bad:
	rs_sca_argv_free(argv);
	return NULL;
}

/* The executable for NAME: as given when it has a slash, else searched in the clean PATH. */
static char *find_program(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? rs_strdup(name) : NULL;
	char dirs[] = SCA_CMD_PATH;
	char *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *p = rs_sprintf("%s/%s", d, name);
		if (access(p, X_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

static int run_child(char **argv, const char *prog, int timeout_ms, char **output, size_t *len, char **reason)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		*reason = rs_sprintf(_("cannot create a pipe: %s"), strerror(errno));
		return -1;
	}
	static char *const envp[] = { "PATH=" SCA_CMD_PATH, "LC_ALL=C", "LANG=C", "HOME=/", NULL };
	/* in the child, in this order: / as working directory, /dev/null as
	 * input, the pipe as output and error, a process group of its own */
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	int rc = posix_spawn_file_actions_addchdir_np(&fa, "/");
	if (!rc)
		rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	if (!rc)
		rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	if (!rc)
		rc = posix_spawnattr_setpgroup(&attr, 0);
	pid_t pid = -1;
	if (!rc)
		rc = posix_spawn(&pid, prog, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pfd[1]);
	if (rc) {
		*reason = rs_sprintf(_("cannot run %s: %s"), prog, strerror(rc));
		close(pfd[0]);
		return -1;
	}
	rs_buf out;
	rs_buf_init(&out);
	rs_buf_puts(&out, "");
	long long deadline = rs_monotonic_ms() + timeout_ms;
	bool timed_out = false;
	char chunk[8192];
	for (;;) {
		long long left = deadline - rs_monotonic_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd pf = { .fd = pfd[0], .events = POLLIN };
		int pr = poll(&pf, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			timed_out = pr == 0;
			break;
		}
		ssize_t r = read(pfd[0], chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out.len < SCA_CMD_MAX_OUTPUT)
			rs_buf_append(&out, chunk, (size_t)r > SCA_CMD_MAX_OUTPUT - out.len ? SCA_CMD_MAX_OUTPUT - out.len : (size_t)r);
	}
	close(pfd[0]);
	if (timed_out)
		kill(-pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (timed_out) {
		*reason = rs_sprintf(_("timed out after %d ms"), timeout_ms);
		rs_buf_free(&out);
		return -1;
	}
	*len = out.len;
	*output = rs_buf_take(&out);
	return 0;
}

int rs_sca_command_run(rs_sca_cmd_cache *cache, const char *command, int timeout_ms, const char **output,
		       size_t *len, char **reason)
{
	pthread_mutex_lock(&cache->lock);
	cmd_entry *e = NULL;
	for (size_t i = 0; i < cache->entries.len && !e; i++) {
		cmd_entry *x = rs_vec_at(&cache->entries, i);
		if (!strcmp(x->command, command))
			e = x;
	}
	if (!e) {
		e = rs_vec_push(&cache->entries);
		e->command = rs_strdup(command);
		char **argv = rs_sca_command_argv(command);
		char *prog = argv ? find_program(argv[0]) : NULL;
		if (!argv)
			e->reason = rs_sprintf(_("command '%s' has an unbalanced quote or no words"), command);
		else if (!prog)
			e->reason = rs_sprintf(_("command '%s' not found (searched %s)"), argv[0], SCA_CMD_PATH);
		else
			run_child(argv, prog, timeout_ms, &e->output, &e->len, &e->reason);
		free(prog);
		rs_sca_argv_free(argv);
	}
	int rc = 0;
	if (e->reason) {
		*reason = rs_strdup(e->reason);
		rc = -1;
	} else {
		*output = e->output;
		*len = e->len;
	}
	pthread_mutex_unlock(&cache->lock);
	return rc;
}
