/*
 * crashpoint.h — fault injection for the crash-safety tests. Code that
 * changes a host calls rs_crashpoint() before each write, rename, unlink or
 * other step whose interruption matters. When the environment variable
 * RASOAT_CRASH_AT holds N, the N-th crash point reached in this process
 * kills the process with SIGKILL (no cleanup, no atexit), just as a power
 * cut or an OOM kill would. When RASOAT_CRASH_LOG names a file, every crash
 * point reached appends "N WHAT\n" to it, so a test can count the steps of
 * a run and then kill at each one. Without either variable it costs a
 * counter increment.
 */
#ifndef RS_CRASHPOINT_H
#define RS_CRASHPOINT_H

/* WHAT names the step ("journal.write", "quarantine.rename", ...). */
void rs_crashpoint(const char *what);

#endif
