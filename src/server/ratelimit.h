/*
 * ratelimit.h — token buckets keyed by a short string (an agent id, a
 * client address): each key may make RATE requests a second with bursts
 * up to BURST. The table has a fixed size, so a flood of new keys cannot
 * grow memory; an idle bucket (full again) is reused for a new key.
 * Thread-safe.
 */
#ifndef RS_SERVER_RATELIMIT_H
#define RS_SERVER_RATELIMIT_H

typedef struct rs_ratelimit rs_ratelimit;

/* RATE <= 0 disables the limit (every take succeeds). */
rs_ratelimit *rs_ratelimit_new(double rate, double burst);
void rs_ratelimit_free(rs_ratelimit *rl);

/* Takes one token for KEY at time NOW (seconds, monotonic). Returns 0 when
 * allowed, else the whole seconds (>= 1) after which a token is there. */
int rs_ratelimit_take(rs_ratelimit *rl, const char *key, double now);

#endif
