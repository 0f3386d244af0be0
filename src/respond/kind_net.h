/*
 * kind_net.h — the network action kinds, block and isolate (kind_net.c),
 * and what their two files share.
 */
#ifndef RS_RESPOND_KIND_NET_H
#define RS_RESPOND_KIND_NET_H

#include "respond/action.h"
#include "respond/nft.h"

extern const rs_action_kind rs_kind_block;
extern const rs_action_kind rs_kind_isolate;

/* kind_block.c */
json_t *rs_block_parse_target(const char *arg, const json_t *options, char *err, size_t errsize);
int rs_block_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
		     char *err, size_t errsize);
int rs_block_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, json_t *after,
		   char *err, size_t errsize);
int rs_block_undo(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
		  size_t errsize);

/* kind_isolate.c */
json_t *rs_isolate_parse_target(const char *arg, const json_t *options, char *err, size_t errsize);
int rs_isolate_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
		       char *err, size_t errsize);
int rs_isolate_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, json_t *after,
		     char *err, size_t errsize);
int rs_isolate_undo(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
		    size_t errsize);

/* kind_net.c: the mark that tags what the action adds (ctx->action_id, or
 * a random "n-..." when the driver gives none), into OUT. */
void rs_net_mark(const rs_respond_ctx *ctx, char *out, size_t size);
/* The "ttl" option (seconds, 1..RS_NET_TTL_MAX) copied into TARGET. */
int rs_net_parse_ttl(const json_t *options, json_t *target, char *err, size_t errsize);
/* Fails unless ctx->host is the live host. */
int rs_net_need_live(const rs_respond_ctx *ctx, const char *what, char *err, size_t errsize);
/* Opens nftables and loads the table's state; -1 with ERR. */
int rs_net_load(rs_nft **nft, rs_nft_state *st, char *err, size_t errsize);

#define RS_NET_TTL_MAX (366L * 24 * 3600)

#endif
