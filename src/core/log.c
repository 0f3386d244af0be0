/*
 * log.c — the warning and error channel (see log.h).
 */
#include "core/log.h"
#include "core/i18n.h"
#include "core/util.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static rs_log_handler log_handler;
static void *log_ctx;
static bool log_quiet;
static atomic_ulong warnings;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void rs_log_set_handler(rs_log_handler handler, void *ctx)
{
	log_handler = handler;
	log_ctx = ctx;
}

void rs_log_set_quiet(bool quiet)
{
	log_quiet = quiet;
}

__attribute__((format(printf, 2, 0)))
static void emit(rs_log_level level, const char *fmt, va_list ap)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_vprintf(&b, fmt, ap);
	pthread_mutex_lock(&log_lock);
	if (log_handler)
		log_handler(level, b.data ? b.data : "", log_ctx);
	else if (level == RS_LOG_ERROR || !log_quiet)
		fprintf(stderr, "rasoat: %s: %s\n", level == RS_LOG_ERROR ? _("error") : _("warning"),
			b.data ? b.data : "");
	pthread_mutex_unlock(&log_lock);
	rs_buf_free(&b);
}

void rs_warn(const char *fmt, ...)
{
	va_list ap;
	atomic_fetch_add(&warnings, 1);
	va_start(ap, fmt);
	emit(RS_LOG_WARNING, fmt, ap);
	va_end(ap);
}

void rs_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(RS_LOG_ERROR, fmt, ap);
	va_end(ap);
}

unsigned long rs_warning_count(void)
{
	return atomic_load(&warnings);
}
