/*
 * crashpoint.c — see crashpoint.h: counts the steps that change a host and
 * dies at the one $RASOAT_CRASH_AT names.
 */
#include "core/crashpoint.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t crash_lock = PTHREAD_MUTEX_INITIALIZER;
static long crash_count;

void rs_crashpoint(const char *what)
{
	pthread_mutex_lock(&crash_lock);
	long n = ++crash_count;
	pthread_mutex_unlock(&crash_lock);

	const char *log_path = getenv("RASOAT_CRASH_LOG");
	if (log_path && *log_path) {
		int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			char line[256];
			int len = snprintf(line, sizeof(line), "%ld %s\n", n, what ? what : "?");
			if (len > 0 && write(fd, line, (size_t)len) < 0) {
				/* the log is a test aid; a failed write only loses a line */
			}
			close(fd);
		}
	}
	const char *at = getenv("RASOAT_CRASH_AT");
	if (at && *at && strtol(at, NULL, 10) == n)
		raise(SIGKILL);
}
