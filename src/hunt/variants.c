/*
 * variants.c — the per-class copies of the compiled YARA set (rulegate.h):
 * made from the sources rewritten for the class once the files of that
 * class scanned with the whole set add up to about what compiling the set
 * costs (so a hunt of a few files never pays for copies it cannot earn
 * back), and cached on disk beside the whole set under the same content
 * hash; a cached copy is loaded the first time a file of its class comes.
 * A class whose copy would drop few rules (under one in ten) uses the whole
 * set; that verdict is cached too.
 */
#include "core/i18n.h"
#include "hunt/hunt.h"
#include "hunt/rulegate.h"
#include "core/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A copy pays for itself when it drops at least one rule in this many. */
#define WORTH_ONE_IN 10

/* libyara compiles a byte of YARA source in about the CPU time it takes to
 * scan this many bytes of files with the set compiled from it
 * (signature-base: 8.5 MB of sources compile in ~0.85 s; the whole set
 * scans ~60 MB a CPU second, docs/BENCHMARKS.md). A class's copy is made
 * once its files scanned with the whole set reach this many bytes per byte
 * of source: a copy then never costs more than the scanning already done. */
#define SCAN_BYTES_PER_SOURCE_BYTE 6

enum class_state {
	C_UNSEEN,   /* the cache not looked at yet */
	C_COUNTING, /* no cached copy: counting the class's bytes */
	C_BUILDING, /* one thread makes the copy; the others use the whole set */
	C_SETTLED,  /* sets[cls] (NULL: the whole set) holds for the rest of the run */
};

struct rs_rule_variants {
	pthread_mutex_t lock;
	rs_rule_text *sources;
	size_t n;
	size_t rules;               /* rules in the whole set */
	char *cache_dir;            /* NULL: no cache */
	char hash[65];
	size_t threshold;           /* bytes of a class scanned whole before its copy is made */
	YR_RULES *sets[RS_GATE_CLASSES];
	enum class_state state[RS_GATE_CLASSES];
	size_t bytes[RS_GATE_CLASSES];
};

rs_rule_variants *rs_rule_variants_new(rs_rule_text *sources, size_t n, size_t rules,
				       const char *cache_dir, const char *hash)
{
	rs_rule_variants *v = rs_calloc(1, sizeof(*v));
	pthread_mutex_init(&v->lock, NULL);
	v->sources = sources;
	v->n = n;
	v->rules = rules;
	v->cache_dir = cache_dir ? rs_strdup(cache_dir) : NULL;
	snprintf(v->hash, sizeof(v->hash), "%s", hash);
	for (size_t i = 0; i < n; i++)
		v->threshold += sources[i].len * SCAN_BYTES_PER_SOURCE_BYTE;
	return v;
}

void rs_rule_variants_free(rs_rule_variants *v)
{
	if (!v)
		return;
	for (int c = 0; c < RS_GATE_CLASSES; c++)
		if (v->sets[c])
			yr_rules_destroy(v->sets[c]);
	for (size_t i = 0; i < v->n; i++) {
		free(v->sources[i].path);
		free(v->sources[i].text);
	}
	free(v->sources);
	free(v->cache_dir);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

static char *cache_file(const rs_rule_variants *v, int cls, const char *suffix)
{
	return rs_sprintf("%s/yara-%.32s-class%d%s", v->cache_dir, v->hash, cls, suffix);
}

/* The cached copy, or NULL; *WHOLE when the cache says the whole set serves. */
static YR_RULES *from_cache(const rs_rule_variants *v, int cls, bool *whole)
{
	*whole = false;
	if (!v->cache_dir)
		return NULL;
	char *marker = cache_file(v, cls, ".whole");
	char *path = cache_file(v, cls, ".yarc");
	struct stat st;
	YR_RULES *rules = NULL;
	if (stat(marker, &st) == 0)
		*whole = true;
	else if (yr_rules_load(path, &rules) != ERROR_SUCCESS)
		rules = NULL;
	free(marker);
	free(path);
	return rules;
}

static void to_cache(const rs_rule_variants *v, int cls, YR_RULES *rules)
{
	if (!v->cache_dir)
		return;
	char *path = cache_file(v, cls, rules ? ".yarc" : ".whole");
	char *tmp = rs_sprintf("%s.%d.tmp", path, (int)getpid());
	bool ok;
	if (rules) {
		ok = yr_rules_save(rules, tmp) == ERROR_SUCCESS;
	} else {
		FILE *f = fopen(tmp, "we");
		ok = f && fclose(f) == 0;
	}
	if (!ok || rename(tmp, path) != 0)
		unlink(tmp);
	free(tmp);
	free(path);
}

/* Rewrites every source for CLS and compiles them; NULL when not worth it. */
static YR_RULES *make(rs_rule_variants *v, int cls)
{
	rs_rule_text *texts = rs_calloc(v->n ? v->n : 1, sizeof(*texts));
	char **owned = rs_calloc(v->n ? v->n : 1, sizeof(char *));
	size_t pruned = 0;
	for (size_t i = 0; i < v->n; i++) {
		size_t len = 0, n = 0;
		owned[i] = rs_rulegate_rewrite(v->sources[i].text, v->sources[i].len, cls, &len, &n);
		texts[i].path = v->sources[i].path;
		texts[i].text = owned[i] ? owned[i] : v->sources[i].text;
		texts[i].len = owned[i] ? len : v->sources[i].len;
		pruned += n;
	}
	YR_RULES *rules = NULL;
	if (pruned > 0 && pruned * WORTH_ONE_IN >= v->rules) {
		rules = rs_hunt_compile_texts(texts, v->n);
		if (!rules)
			rs_warn(_("the YARA rules rewritten for files of class \"%s\" do not compile (a rasoat "
				"bug: please report it); such files are scanned with the whole set"),
				rs_rulegate_class_name(cls));
	}
	for (size_t i = 0; i < v->n; i++)
		free(owned[i]);
	free(owned);
	free(texts);
	return rules;
}

YR_RULES *rs_rule_variants_get(rs_rule_variants *v, int cls, size_t len, bool *settled)
{
	*settled = true;
	if (!v || cls < 0 || cls >= RS_GATE_CLASSES)
		return NULL;
	pthread_mutex_lock(&v->lock);
	if (v->state[cls] == C_UNSEEN) {
		bool whole = false;
		v->sets[cls] = from_cache(v, cls, &whole);
		v->state[cls] = v->sets[cls] || whole ? C_SETTLED : C_COUNTING;
	}
	if (v->state[cls] == C_COUNTING) {
		v->bytes[cls] += len;
		if (v->bytes[cls] >= v->threshold) {
			v->state[cls] = C_BUILDING;
			pthread_mutex_unlock(&v->lock);
			YR_RULES *made = make(v, cls);
			to_cache(v, cls, made);
			pthread_mutex_lock(&v->lock);
			v->sets[cls] = made;
			v->state[cls] = C_SETTLED;
		}
	}
	*settled = v->state[cls] == C_SETTLED;
	YR_RULES *rules = *settled ? v->sets[cls] : NULL;
	pthread_mutex_unlock(&v->lock);
	return rules;
}

size_t rs_rule_variants_made(rs_rule_variants *v)
{
	if (!v)
		return 0;
	size_t n = 0;
	pthread_mutex_lock(&v->lock);
	for (int c = 0; c < RS_GATE_CLASSES; c++)
		n += v->sets[c] != NULL;
	pthread_mutex_unlock(&v->lock);
	return n;
}
