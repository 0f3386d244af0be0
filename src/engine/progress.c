/*
 * progress.c — the progress line of a scan on a terminal (see progress.h).
 */
#include "engine/progress.h"

#include "core/bytes.h"
#include "core/i18n.h"
#include "core/util.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_SLOTS 8
#define REDRAW_MS 100

typedef struct slot {
	bool used;
	char module[24];
	char note[96];
	char current[256];
	rs_progress_counts counts;
	long long started_ms;
} slot;

struct rs_progress {
	bool enabled;
	FILE *out;
	pthread_mutex_t lock;
	long long drawn_ms;
	bool drawn;
	slot slots[MAX_SLOTS];
};

rs_progress *rs_progress_new(bool enabled, FILE *out)
{
	rs_progress *p = rs_calloc(1, sizeof(*p));
	p->enabled = enabled && out;
	p->out = out;
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

void rs_progress_free(rs_progress *p)
{
	if (!p)
		return;
	if (p->enabled && p->drawn) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
	pthread_mutex_destroy(&p->lock);
	free(p);
}

bool rs_progress_enabled(const rs_progress *p)
{
	return p && p->enabled;
}

/* "12,345" */
static void thousands(char *buf, size_t size, unsigned long long n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%llu", n);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* "0:27", "1:02:03" */
static void duration(char *buf, size_t size, unsigned long long seconds)
{
	unsigned long long h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
	if (h)
		snprintf(buf, size, "%llu:%02llu:%02llu", h, m, s);
	else
		snprintf(buf, size, "%llu:%02llu", m, s);
}

static void append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	if (len + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

void rs_progress_format(char *buf, size_t size, const char *module, const rs_progress_counts *c,
			long long elapsed_ms, const char *current)
{
	char a[32], b[32];
	buf[0] = '\0';
	append(buf, size, "%s:", module);
	thousands(a, sizeof(a), c->files_done);
	if (c->files_total > c->files_done || (c->total_final && c->files_total)) {
		thousands(b, sizeof(b), c->files_total);
		append(buf, size, _(" %s/%s%s files"), a, b, c->total_final ? "" : "+");
	} else {
		append(buf, size, _(" %s files"), a);
	}
	if (c->bytes_done || c->bytes_total) {
		rs_format_bytes((double)c->bytes_done, a, sizeof(a));
		if (c->bytes_total > c->bytes_done || (c->total_final && c->bytes_total)) {
			rs_format_bytes((double)c->bytes_total, b, sizeof(b));
			append(buf, size, ", %s/%s", a, b);
		} else {
			append(buf, size, ", %s", a);
		}
	}
	double seconds = elapsed_ms > 0 ? (double)elapsed_ms / 1000.0 : 0;
	if (seconds >= 0.5) {
		if (c->bytes_done) {
			rs_format_bytes((double)c->bytes_done / seconds, a, sizeof(a));
			append(buf, size, ", %s/s", a);
		} else {
			append(buf, size, _(", %.0f files/s"), (double)c->files_done / seconds);
		}
		/* the time left, by bytes when bytes are counted, else by files */
		double left = -1;
		if (c->total_final && c->bytes_total && c->bytes_done)
			left = (double)(c->bytes_total > c->bytes_done ? c->bytes_total - c->bytes_done : 0) /
			       ((double)c->bytes_done / seconds);
		else if (c->total_final && c->files_total && c->files_done)
			left = (double)(c->files_total > c->files_done ? c->files_total - c->files_done : 0) /
			       ((double)c->files_done / seconds);
		if (left >= 0) {
			duration(a, sizeof(a), (unsigned long long)(left + 0.5));
			/* TRANSLATORS: the estimated time left */
			append(buf, size, _(", ETA %s"), a);
		}
	}
	if (current && *current)
		append(buf, size, ", %s", current);
}

static int columns(FILE *out)
{
	struct winsize ws;
	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 120;
}

/* Draws the line if it is due (or FORCE). Called with the lock held. */
static void draw(rs_progress *p, bool force)
{
	long long now = rs_monotonic_ms();
	if (!force && p->drawn && now - p->drawn_ms < REDRAW_MS)
		return;
	p->drawn_ms = now;
	char line[1024] = "", part[512];
	for (int i = 0; i < MAX_SLOTS; i++) {
		const slot *s = &p->slots[i];
		if (!s->used)
			continue;
		if (s->note[0] && !s->counts.files_done && !s->counts.files_total)
			snprintf(part, sizeof(part), "%s: %s", s->module, s->note);
		else
			rs_progress_format(part, sizeof(part), s->module, &s->counts, now - s->started_ms, s->current);
		append(line, sizeof(line), "%s%s", line[0] ? " | " : "", part);
	}
	/* file names are an attacker's text: no control character reaches the terminal */
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	int width = columns(p->out) - 1;
	if ((int)strlen(line) > width)
		line[width] = '\0';
	fprintf(p->out, "\r\033[K%s", line);
	fflush(p->out);
	p->drawn = true;
}

int rs_progress_begin(rs_progress *p, const char *module)
{
	if (!rs_progress_enabled(p))
		return -1;
	pthread_mutex_lock(&p->lock);
	int found = -1;
	for (int i = 0; i < MAX_SLOTS && found < 0; i++)
		if (!p->slots[i].used)
			found = i;
	if (found >= 0) {
		slot *s = &p->slots[found];
		memset(s, 0, sizeof(*s));
		s->used = true;
		snprintf(s->module, sizeof(s->module), "%s", module);
		s->started_ms = rs_monotonic_ms();
		draw(p, true);
	}
	pthread_mutex_unlock(&p->lock);
	return found;
}

void rs_progress_end(rs_progress *p, int slot_index)
{
	if (!rs_progress_enabled(p) || slot_index < 0 || slot_index >= MAX_SLOTS)
		return;
	pthread_mutex_lock(&p->lock);
	p->slots[slot_index].used = false;
	draw(p, true);
	pthread_mutex_unlock(&p->lock);
}

/* The slot to update, locked, or NULL (nothing to do). */
static slot *lock_slot(rs_progress *p, int slot_index)
{
	if (!rs_progress_enabled(p) || slot_index < 0 || slot_index >= MAX_SLOTS)
		return NULL;
	pthread_mutex_lock(&p->lock);
	if (!p->slots[slot_index].used) {
		pthread_mutex_unlock(&p->lock);
		return NULL;
	}
	return &p->slots[slot_index];
}

void rs_progress_found(rs_progress *p, int slot_index, unsigned long long files, unsigned long long bytes,
		       bool final)
{
	slot *s = lock_slot(p, slot_index);
	if (!s)
		return;
	s->counts.files_total += files;
	s->counts.bytes_total += bytes;
	if (final)
		s->counts.total_final = true;
	draw(p, final); /* the total becoming known is always shown */
	pthread_mutex_unlock(&p->lock);
}

void rs_progress_done(rs_progress *p, int slot_index, unsigned long long files, unsigned long long bytes,
		      const char *current)
{
	slot *s = lock_slot(p, slot_index);
	if (!s)
		return;
	s->counts.files_done += files;
	s->counts.bytes_done += bytes;
	if (current)
		snprintf(s->current, sizeof(s->current), "%s", current);
	draw(p, false);
	pthread_mutex_unlock(&p->lock);
}

void rs_progress_set(rs_progress *p, int slot_index, unsigned long long files_done, unsigned long long files_total)
{
	slot *s = lock_slot(p, slot_index);
	if (!s)
		return;
	s->counts.files_done = files_done;
	s->counts.files_total = files_total;
	s->counts.total_final = true;
	draw(p, false);
	pthread_mutex_unlock(&p->lock);
}

void rs_progress_note(rs_progress *p, int slot_index, const char *text)
{
	slot *s = lock_slot(p, slot_index);
	if (!s)
		return;
	snprintf(s->note, sizeof(s->note), "%s", text);
	draw(p, false);
	pthread_mutex_unlock(&p->lock);
}
