/*
 * appemit.c — the findings of the application libraries (see appemit.h).
 * Building a finding (its title, remediation and references in the user's
 * language, its evidence) costs about as much as the sinks writing it, so
 * with two threads a builder thread fills a ring of EMIT_RING findings in
 * match order and this thread hands each to the scan as it comes: the same
 * findings in the same order as building and emitting one after the other.
 */
#include "vuln/appemit.h"
#include "core/fill.h"
#include "core/i18n.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* findings built and not yet emitted, at most */
#define EMIT_RING 4096
/* findings the builder makes before it publishes them */
#define EMIT_BATCH 256

/* The translated formats of a finding, looked up once per run of findings
 * (a catalogue look-up per text was a sixth of building one). */
typedef struct app_texts {
	const char *title_unfixed, *title_fixed, *remedy_unfixed, *remedy_fixed, *bundle, *other;
} app_texts;

static void texts_init(app_texts *t)
{
	t->title_unfixed = _("%s %s (%s) in %s is affected by %s (no fix yet)");
	t->title_fixed = _("%s %s (%s) in %s is affected by %s (fixed in %s)");
	t->remedy_unfixed = _("No fixed version of %s yet; mitigate, or replace the library in %s, and watch %s");
	t->remedy_fixed = _("Upgrade %s to %s or later in %s (declared in %s): %s");
	t->bundle = _("bundle update %s (to %s or later)");
	t->other = _("set %s to %s or later in the project's build and redeploy");
}

/* The command that upgrades an application library, by ecosystem. */
static char *app_fix_command(const app_texts *t, const rs_app_package *p, const char *fixed)
{
	const char *e = p->ecosystem;
	const char *args[] = { p->name, fixed };
	if (!strcmp(e, "npm"))
		return rs_fill_strings_dup("npm install %s@%s", args, 2);
	if (!strcmp(e, "PyPI"))
		return rs_fill_strings_dup("pip install '%s>=%s'", args, 2);
	if (!strcmp(e, "Packagist"))
		return rs_fill_strings_dup("composer require '%s:^%s'", args, 2);
	if (!strcmp(e, "Go")) {
		args[1] = rs_starts_with(fixed, "v") ? fixed + 1 : fixed;
		return rs_fill_strings_dup("go get %s@v%s", args, 2);
	}
	if (!strcmp(e, "crates.io"))
		return rs_fill_strings_dup("cargo update -p %s --precise %s", args, 2);
	if (!strcmp(e, "RubyGems"))
		return rs_fill_strings_dup(t->bundle, args, 2);
	return rs_fill_strings_dup(t->other, args, 2);
}

static rs_finding *app_finding(const rs_app_match *m, const app_texts *t)
{
	int score;
	rs_severity sev = rs_vuln_severity(m->cvss, m->urgency, &score);
	const rs_app_package *p = m->pkg;
	bool unfixed = m->state == RS_VULN_UNFIXED;
	const char *rule_args[] = { m->id };
	char *rule = rs_fill_strings_dup("vuln:%s", rule_args, 1);
	const char *title_args[] = { p->name, p->version, p->ecosystem, p->application, m->id, m->fixed };
	char *title = unfixed ? rs_fill_strings_dup(t->title_unfixed, title_args, 5) : rs_fill_strings_dup(t->title_fixed, title_args, 6);
	rs_finding *f = rs_finding_new_text("vuln", rule, sev, score, title); /* evidence kept as text (core/evtext.h) */
	rs_finding_set_str(f, "path", p->source);
	rs_finding_set_str(f, "application", p->application);
	rs_finding_set_str(f, "ecosystem", p->ecosystem);
	rs_finding_set_str(f, "package", p->name);
	rs_finding_set_str(f, "installed", p->version);
	rs_finding_set_str(f, "fixed", m->fixed);
	bool is_cve = rs_starts_with(m->id, "CVE-");
	if (is_cve)
		rs_finding_set_str(f, "cve", m->id);
	rs_finding_set_str(f, "record", m->record);
	rs_finding_set_str(f, "status", unfixed ? "unfixed" : "affected");
	if (m->cvss >= 0)
		rs_finding_set_json(f, "cvss", json_real(m->cvss));
	if (m->urgency)
		rs_finding_set_str(f, "urgency", m->urgency);
	char *remediation;
	if (unfixed) {
		const char *args[] = { p->name, p->application, m->id };
		remediation = rs_fill_strings_dup(t->remedy_unfixed, args, 3);
	} else {
		char *fix = app_fix_command(t, p, m->fixed);
		const char *args[] = { p->name, m->fixed, p->application, p->source, fix };
		remediation = rs_fill_strings_dup(t->remedy_fixed, args, 5);
		free(fix);
	}
	rs_finding_set_remediation(f, remediation);
	if (is_cve) {
		char *ref = rs_fill_strings_dup("https://www.cve.org/CVERecord?id=%s", rule_args, 1);
		rs_finding_add_reference(f, ref);
		free(ref);
	}
	const char *record_args[] = { m->record };
	char *ref = rs_fill_strings_dup("https://osv.dev/vulnerability/%s", record_args, 1);
	rs_finding_add_reference(f, ref);
	free(ref);
	free(rule);
	free(title);
	free(remediation);
	return f;
}

rs_finding *rs_app_finding(const rs_app_match *m)
{
	app_texts t;
	texts_init(&t);
	return app_finding(m, &t);
}

typedef struct emit_pipe {
	const rs_vec *matches;
	const app_texts *texts;
	rs_finding **ring;   /* EMIT_RING slots; finding i in slot i % EMIT_RING */
	size_t built;        /* findings in the ring so far (under LOCK) */
	size_t emitted;      /* findings taken out of it (under LOCK) */
	pthread_mutex_t lock;
	pthread_cond_t more; /* BUILT grew */
	pthread_cond_t room; /* EMITTED grew */
} emit_pipe;

static void *build_lane(void *arg)
{
	emit_pipe *p = arg;
	size_t n = p->matches->len;
	rs_finding *batch[EMIT_BATCH];
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		for (; k < EMIT_BATCH && i + k < n; k++)
			batch[k] = app_finding(rs_vec_at(p->matches, i + k), p->texts);
		pthread_mutex_lock(&p->lock);
		while (p->built + k - p->emitted > EMIT_RING)
			pthread_cond_wait(&p->room, &p->lock);
		for (size_t j = 0; j < k; j++)
			p->ring[(p->built + j) % EMIT_RING] = batch[j];
		p->built += k;
		pthread_cond_signal(&p->more);
		pthread_mutex_unlock(&p->lock);
		i += k;
	}
	return NULL;
}

void rs_app_emit_matches(rs_scan *scan, const rs_vec *matches, int threads)
{
	size_t n = matches->len;
	app_texts t;
	texts_init(&t);
	emit_pipe p = { .matches = matches, .texts = &t };
	pthread_t tid;
	if (threads < 2 || n < 2 * EMIT_BATCH) {
		for (size_t i = 0; i < n; i++)
			rs_scan_emit(scan, app_finding(rs_vec_at(matches, i), &t));
		return;
	}
	p.ring = rs_calloc(EMIT_RING, sizeof(*p.ring));
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.more, NULL);
	pthread_cond_init(&p.room, NULL);
	if (pthread_create(&tid, NULL, build_lane, &p) != 0) {
		for (size_t i = 0; i < n; i++) /* no thread to be had: here */
			rs_scan_emit(scan, app_finding(rs_vec_at(matches, i), &t));
	} else {
		size_t done = 0;
		while (done < n) {
			pthread_mutex_lock(&p.lock);
			while (p.built == done)
				pthread_cond_wait(&p.more, &p.lock);
			size_t upto = p.built;
			pthread_mutex_unlock(&p.lock);
			for (; done < upto; done++)
				rs_scan_emit(scan, p.ring[done % EMIT_RING]);
			pthread_mutex_lock(&p.lock);
			p.emitted = done;
			pthread_cond_signal(&p.room);
			pthread_mutex_unlock(&p.lock);
		}
		pthread_join(tid, NULL);
	}
	pthread_cond_destroy(&p.room);
	pthread_cond_destroy(&p.more);
	pthread_mutex_destroy(&p.lock);
	free(p.ring);
}
