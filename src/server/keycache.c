/*
 * keycache.c — agent public keys in memory (keycache.h): an open-addressed
 * table of fixed size; an id hashes to a slot and probes a few neighbours,
 * and when all of them are taken the first is replaced.
 */
#include "server/keycache.h"
#include "core/util.h"
#include "fleet/proto.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 65536   /* a power of two */
#define PROBE 8

typedef struct entry {
	char agent[RS_FLEET_ID_HEX + 1];
	unsigned char key[32];
} entry;

struct rs_keycache {
	pthread_mutex_t lock;
	entry *slots;
};

rs_keycache *rs_keycache_new(void)
{
	rs_keycache *kc = rs_calloc(1, sizeof(*kc));
	pthread_mutex_init(&kc->lock, NULL);
	kc->slots = rs_calloc(SLOTS, sizeof(*kc->slots));
	return kc;
}

void rs_keycache_free(rs_keycache *kc)
{
	if (!kc)
		return;
	pthread_mutex_destroy(&kc->lock);
	free(kc->slots);
	free(kc);
}

/* FNV-1a over the id (agent ids are random, any mix would do). */
static size_t slot_of(const char *agent)
{
	uint32_t h = 2166136261u;
	for (const char *p = agent; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h & (SLOTS - 1);
}

static bool id_ok(const char *agent)
{
	return agent && strlen(agent) == RS_FLEET_ID_HEX;
}

bool rs_keycache_get(rs_keycache *kc, const char *agent, unsigned char key[32])
{
	if (!id_ok(agent))
		return false;
	size_t s = slot_of(agent);
	bool found = false;
	pthread_mutex_lock(&kc->lock);
	for (size_t i = 0; i < PROBE && !found; i++) {
		entry *e = &kc->slots[(s + i) & (SLOTS - 1)];
		if (strcmp(e->agent, agent) == 0) {
			memcpy(key, e->key, 32);
			found = true;
		}
	}
	pthread_mutex_unlock(&kc->lock);
	return found;
}

void rs_keycache_put(rs_keycache *kc, const char *agent, const unsigned char key[32])
{
	if (!id_ok(agent))
		return;
	size_t s = slot_of(agent);
	pthread_mutex_lock(&kc->lock);
	entry *e = &kc->slots[s];
	for (size_t i = 0; i < PROBE; i++) {
		entry *c = &kc->slots[(s + i) & (SLOTS - 1)];
		if (!c->agent[0] || strcmp(c->agent, agent) == 0) {
			e = c;
			break;
		}
	}
	memcpy(e->agent, agent, RS_FLEET_ID_HEX + 1);
	memcpy(e->key, key, 32);
	pthread_mutex_unlock(&kc->lock);
}
