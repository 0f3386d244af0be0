/*
 * pidref.h — signals that reach exactly the process that was checked: a
 * process is named by its pid AND its start time (field 22 of PID/stat);
 * a pidfd is opened only when the start time still matches and is checked
 * again after opening, so a pid the kernel recycled for another process is
 * never signalled. Also the boot id, without which a start time means
 * nothing after a reboot.
 */
#ifndef RS_RESPOND_PIDREF_H
#define RS_RESPOND_PIDREF_H

#include "core/host.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Opens a pidfd (close-on-exec) for PID when its start time is START, on
 * the live host H. Returns the fd, or -1 with errno ESRCH when the process
 * is gone or the pid now names another process, or another errno. */
int rs_pidref_open(const rs_host *h, pid_t pid, unsigned long long start);

/* Sends SIG through PIDFD (pidfd_send_signal). Returns 0 or -1 with errno. */
int rs_pidfd_signal(int pidfd, int sig);

/* Whether the process behind PIDFD is still alive (signal 0). */
bool rs_pidfd_alive(int pidfd);

/* Waits until the process behind PIDFD has exited, for at most TIMEOUT_MS
 * milliseconds. True when it has. */
bool rs_pidfd_wait_exit(int pidfd, int timeout_ms);

/* The host's boot id (proc sys/kernel/random/boot_id) into BUF (at least
 * 37 bytes). Returns 0 or -1 with errno. */
int rs_boot_id(const rs_host *h, char *buf, size_t size);

#endif
