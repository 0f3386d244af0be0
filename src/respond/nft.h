/*
 * nft.h — rasoat's one nftables table, `inet rasoat`, through libnftables'
 * JSON API (no nft process is run). Every change is one JSON batch, which
 * the kernel applies atomically: all of it or nothing.
 *
 * What the table holds (docs/RESPOND.md, "block and isolate"):
 *   - sets block4 (ipv4_addr) and block6 (ipv6_addr), flags interval and
 *     timeout; each element carries the comment "rasoat MARK" (MARK: the
 *     action that added it) and, with --ttl, its kernel-side timeout;
 *   - base chains input, output and forward (priority filter - 10) dropping
 *     traffic from and to those sets;
 *   - while a host is isolated: base chains isolate_in, isolate_out and
 *     isolate_fwd (priority mangle, policy drop) and the set isolate_on
 *     (nf_proto, flags timeout) whose elements ipv4 and ipv6 switch the
 *     isolation on; with --ttl they expire in the kernel and the chains
 *     then accept everything.
 */
#ifndef RS_RESPOND_NFT_H
#define RS_RESPOND_NFT_H

#include "core/netaddr.h"
#include "core/util.h"
#include "respond/netutil.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RS_NFT_FAMILY "inet"
#define RS_NFT_TABLE "rasoat"
#define RS_NFT_SET4 "block4"
#define RS_NFT_SET6 "block6"
#define RS_NFT_ISOLATE_SET "isolate_on"
#define RS_NFT_COMMENT_MAX 128

typedef struct rs_nft rs_nft;

/* One element of block4 or block6 as the kernel holds it. */
typedef struct rs_nft_elem {
	rs_netaddr net;
	char comment[RS_NFT_COMMENT_MAX]; /* "" when none */
	long timeout;                     /* seconds; 0 when none */
} rs_nft_elem;

/* What of rasoat's table exists in the kernel now. */
typedef struct rs_nft_state {
	bool table;
	bool set4, set6;                  /* block4, block6 */
	bool chain_input, chain_output, chain_forward;
	bool isolate_set;                 /* isolate_on */
	bool isolate_in, isolate_out, isolate_fwd;
	size_t isolate_on_elems;          /* elements of isolate_on still there */
	char isolate_comment[RS_NFT_COMMENT_MAX]; /* comment of isolate_in's first rule: "rasoat MARK" */
	rs_vec elems;                     /* rs_nft_elem of block4 and block6 */
	size_t other_objects;             /* sets, chains, rules rasoat did not make */
} rs_nft_state;

void rs_nft_state_init(rs_nft_state *st);
void rs_nft_state_free(rs_nft_state *st);

/* Reads the JSON output of `list table inet rasoat` into ST. Returns 0, or
 * -1 with ERR when TEXT is not such a listing. */
int rs_nft_state_parse(const char *text, size_t len, rs_nft_state *st, char *err, size_t errsize);

/* Opens a libnftables context (JSON in and out). Fails, with ERR saying
 * so, when the kernel's nf_tables cannot be reached: see rs_nft_open's
 * probe in nft.c and docs/RESPOND.md. */
int rs_nft_open(rs_nft **out, char *err, size_t errsize);
void rs_nft_close(rs_nft *n);

/* Runs the commands CMDS (a JSON array of nftables command objects) as one
 * batch. OUTPUT (may be NULL) receives what libnftables printed. */
int rs_nft_run(rs_nft *n, const json_t *cmds, char **output, char *err, size_t errsize);

/* Loads the table's present state into ST (empty when there is no table). */
int rs_nft_load(rs_nft *n, rs_nft_state *st, char *err, size_t errsize);

/* The comment rasoat puts on what action MARK adds: "rasoat MARK". */
void rs_nft_comment(const char *mark, char *out, size_t size);

/* Builders of batch commands (nft_batch.c). */
/* {"add": {"table": ...}} and the sets, chains and rules of blocking that
 * ST says are missing. */
void rs_nft_add_block_base(json_t *cmds, const rs_nft_state *st);
/* Adds to CMDS the element NET with TIMEOUT (seconds, 0: none) and COMMENT,
 * in block4 or block6 by NET's family; OP is "add" or "delete". */
void rs_nft_element_cmd(json_t *cmds, const char *op, const rs_netaddr *net, long timeout,
			const char *comment);
/* {"delete": {"table": ...}}. */
void rs_nft_delete_table(json_t *cmds);
/* Whether the table holds nothing once the elements commented COMMENT are
 * gone and (when DROP_ISOLATE) the isolation is gone: then undo deletes the
 * table instead of taking pieces out. */
bool rs_nft_empty_without(const rs_nft_state *st, const char *comment, bool drop_isolate);


/* ---- isolation (nft_isolate.c) ------------------------------------------ */

/* An endpoint isolation keeps reachable: ADDR (one address) and PORT, TCP
 * or UDP, connections the host opens. */
typedef struct rs_isolate_peer {
	rs_netaddr addr;
	long port;
} rs_isolate_peer;


/* Adds to CMDS the table and the isolation: chains isolate_in, isolate_out,
 * isolate_fwd (policy drop) accepting loopback, IPv6 neighbour discovery,
 * PEERS (rs_isolate_peer) and SESSIONS (rs_session, the operator's
 * connections, by their exact TCP 4-tuple); the set
 * isolate_on with ipv4 and ipv6 (expiring after TTL seconds when TTL > 0).
 * The first rule of each chain carries COMMENT. */
void rs_nft_add_isolate(json_t *cmds, const rs_vec *peers, const rs_vec *sessions, long ttl,
			const char *comment);
/* Adds to CMDS the deletion of the isolation objects ST shows. */
void rs_nft_delete_isolate(json_t *cmds, const rs_nft_state *st);

#endif
