/*
 * ratelimit.c — fixed-size token-bucket table (see ratelimit.h). Keys hash
 * to a slot and probe a few neighbours; a slot whose bucket has refilled is
 * free for any key, and when none is, the probe's least recently used slot
 * is taken (its key starts again with a full bucket: best effort under a
 * flood of distinct keys, never unbounded memory).
 */
#include "server/ratelimit.h"
#include "core/util.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 16384
#define PROBE 16
#define KEY_MAX 64

typedef struct bucket {
	char key[KEY_MAX];
	double tokens;
	double updated;
	bool used;
} bucket;

struct rs_ratelimit {
	double rate;
	double burst;
	pthread_mutex_t lock;
	bucket *slots;
};

rs_ratelimit *rs_ratelimit_new(double rate, double burst)
{
	rs_ratelimit *rl = rs_calloc(1, sizeof(*rl));
	rl->rate = rate;
	rl->burst = burst < 1 ? 1 : burst;
	pthread_mutex_init(&rl->lock, NULL);
	rl->slots = rs_calloc(SLOTS, sizeof(*rl->slots));
	return rl;
}

void rs_ratelimit_free(rs_ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slots);
	free(rl);
}

static unsigned long hash_key(const char *key)
{
	unsigned long h = 1469598103934665603UL;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211UL;
	return h;
}

static void refill(const rs_ratelimit *rl, bucket *b, double now)
{
	double elapsed = now - b->updated;
	if (elapsed > 0)
		b->tokens = fmin(rl->burst, b->tokens + elapsed * rl->rate);
	b->updated = now;
}

/* The slot of KEY, or a reusable one set up for it: a free slot, else one
 * whose bucket has refilled, else the first probed. */
static bucket *find_slot(rs_ratelimit *rl, const char *key, double now)
{
	unsigned long start = hash_key(key);
	bucket *free_slot = NULL, *idle = NULL;
	for (unsigned long i = 0; i < PROBE; i++) {
		bucket *b = &rl->slots[(start + i) % SLOTS];
		if (!b->used) {
			if (!free_slot)
				free_slot = b;
			continue;
		}
		if (strcmp(b->key, key) == 0)
			return b;
		refill(rl, b, now);
		if (!idle && b->tokens >= rl->burst)
			idle = b;
	}
	bucket *victim = free_slot ? free_slot : idle ? idle : &rl->slots[start % SLOTS];
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	victim->tokens = rl->burst;
	victim->updated = now;
	victim->used = true;
	return victim;
}

int rs_ratelimit_take(rs_ratelimit *rl, const char *key, double now)
{
	if (rl->rate <= 0)
		return 0;
	pthread_mutex_lock(&rl->lock);
	bucket *b = find_slot(rl, key, now);
	refill(rl, b, now);
	int wait = 0;
	if (b->tokens >= 1) {
		b->tokens -= 1;
	} else {
		wait = (int)ceil((1 - b->tokens) / rl->rate);
		if (wait < 1)
			wait = 1;
	}
	pthread_mutex_unlock(&rl->lock);
	return wait;
}
