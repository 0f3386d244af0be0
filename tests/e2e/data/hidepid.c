/*
 * hidepid.c — a test stand-in for a userland rootkit (built by the e2e
 * tests with the system cc, never installed): preloaded, it hides the pid
 * in the environment variable RS_HIDE_PID from readdir/readdir64 of any
 * directory (so from /proc listings) and makes kill(pid, 0) fail with
 * ESRCH, the way libprocesshider and Azazel do. With RS_HIDE_PORT set (a
 * decimal port), it also drops the sockets of that local port from what
 * fopen/fopen64 of /proc/net/tcp, tcp6, udp and udp6 give (the way port
 * hiders such as Jynx2 and bdvl do), and makes bind() on that port succeed
 * without binding (to fool bind sweeps). Inert otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static int hidden(const char *name)
{
	const char *pid = getenv("RS_HIDE_PID");
	return pid && *pid && strcmp(name, pid) == 0;
}

struct dirent *readdir(DIR *d)
{
	static struct dirent *(*real)(DIR *);
	if (!real)
		real = (struct dirent * (*)(DIR *)) dlsym(RTLD_NEXT, "readdir");
	struct dirent *e;
	while ((e = real(d)) != NULL && hidden(e->d_name))
		;
	return e;
}

struct dirent64 *readdir64(DIR *d)
{
	static struct dirent64 *(*real)(DIR *);
	if (!real)
		real = (struct dirent64 * (*)(DIR *)) dlsym(RTLD_NEXT, "readdir64");
	struct dirent64 *e;
	while ((e = real(d)) != NULL && hidden(e->d_name))
		;
	return e;
}

int kill(pid_t pid, int sig)
{
	static int (*real)(pid_t, int);
	const char *h = getenv("RS_HIDE_PID");
	if (h && atol(h) == (long)pid) {
		errno = ESRCH;
		return -1;
	}
	if (!real)
		real = (int (*)(pid_t, int))dlsym(RTLD_NEXT, "kill");
	return real(pid, sig);
}

static long hidden_port(void)
{
	const char *p = getenv("RS_HIDE_PORT");
	return p && *p ? atol(p) : -1;
}

/* The /proc/net table REAL without the lines of local port PORT, as an
 * unlinked temporary file (freed by fclose, as the caller expects). */
static FILE *filtered(FILE *real, long port)
{
	FILE *out = tmpfile();
	char line[1024];
	char want[16];
	snprintf(want, sizeof(want), ":%04lX ", port);
	while (out && fgets(line, sizeof(line), real)) {
		char *colon = strchr(line, ':');      /* "  0: ADDR:PORT REMOTE ..." */
		char *local = colon ? strchr(colon + 1, ':') : NULL;
		if (local && strncmp(local, want, strlen(want)) == 0)
			continue;
		fputs(line, out);
	}
	fclose(real);
	if (out)
		rewind(out);
	return out;
}

static int net_table(const char *path)
{
	return strcmp(path, "/proc/net/tcp") == 0 || strcmp(path, "/proc/net/tcp6") == 0 ||
	       strcmp(path, "/proc/net/udp") == 0 || strcmp(path, "/proc/net/udp6") == 0;
}

static FILE *hooked_fopen(const char *name, const char *path, const char *mode)
{
	FILE *(*real)(const char *, const char *) = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, name);
	FILE *f = real(path, mode);
	long port = hidden_port();
	if (!f || port < 0 || !net_table(path))
		return f;
	return filtered(f, port);
}

FILE *fopen(const char *path, const char *mode)
{
	return hooked_fopen("fopen", path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	return hooked_fopen("fopen64", path, mode);
}

int bind(int s, const struct sockaddr *sa, socklen_t len)
{
	static int (*real)(int, const struct sockaddr *, socklen_t);
	long port = hidden_port();
	if (port >= 0 && sa && ((sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in) &&
				 ntohs(((const struct sockaddr_in *)sa)->sin_port) == port) ||
				(sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6) &&
				 ntohs(((const struct sockaddr_in6 *)sa)->sin6_port) == port)))
		return 0;
	if (!real)
		real = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "bind");
	return real(s, sa, len);
}
