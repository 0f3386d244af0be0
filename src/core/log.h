/*
 * log.h — warnings and errors a user reads. Each names the file (and line
 * where there is one), the cause and, where it helps, what to do. Warnings
 * never stop the work; they are counted so the summary can report them.
 */
#ifndef RS_LOG_H
#define RS_LOG_H

#include <stdbool.h>

typedef enum rs_log_level { RS_LOG_WARNING, RS_LOG_ERROR } rs_log_level;

/* A handler receives every message; the default prints to stderr. */
typedef void (*rs_log_handler)(rs_log_level level, const char *message, void *ctx);

void rs_log_set_handler(rs_log_handler handler, void *ctx);
void rs_log_set_quiet(bool quiet);

void rs_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rs_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* How many warnings were issued since start (thread-safe). */
unsigned long rs_warning_count(void);

#endif
