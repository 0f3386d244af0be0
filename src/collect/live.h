/*
 * live.h — volatile network and session state of a live host that the
 * scan's inventory (facts.h) does not hold: routes (IPv4 and IPv6), IPv4
 * neighbours, unix sockets, network interfaces with their addresses, and
 * the logged-in users (utmp). `rasoat collect` records it; a root that is
 * not live has none of it, so every collector leaves its section empty
 * there.
 *
 * Collectors follow facts.h: they fill their section, warn about what they
 * could not read or parse (naming the file and line) and return how many
 * such problems they met. The parsers take text and are exposed for unit
 * tests and fuzz targets.
 */
#ifndef RS_LIVE_H
#define RS_LIVE_H

#include "collect/netconf.h"
#include "core/host.h"
#include "core/util.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct rs_neighbour {
	char family[8];              /* "inet" (net/arp), "inet6" (netlink) */
	char address[48];
	char hwaddr[48];
	char iface[32];
	int ifindex;                 /* netlink entries; 0 for net/arp */
	unsigned long hwtype;        /* net/arp only */
	unsigned long flags;         /* net/arp ATF_*: 0x2 complete, 0x4 permanent */
	char state[16];              /* "reachable", "stale", "permanent", "complete", ... */
} rs_neighbour;

typedef struct rs_unix_socket {
	unsigned long inode;
	unsigned long type;          /* 1 stream, 2 dgram, 5 seqpacket */
	unsigned long state;         /* 1 unconnected, 3 connected, ... */
	unsigned long flags;         /* 0x10000: listening */
	char *path;                  /* "" when unnamed; abstract names start with '@' */
	pid_t pid;                   /* lowest pid holding it; 0 when none visible */
} rs_unix_socket;

typedef struct rs_interface {
	char name[32];
	int ifindex;
	char address[64];            /* link-layer address */
	unsigned long mtu;
	unsigned long flags;         /* IFF_* */
	char operstate[16];
	bool is_virtual;             /* under /sys/devices/virtual */
	json_t *addresses;           /* ["192.0.2.5/24", "fd00::5/64"] */
} rs_interface;

typedef struct rs_session {
	char user[64];
	char line[64];               /* tty */
	char host[256];              /* remote host, "" for local */
	pid_t pid;
	long long time;              /* login, seconds since the epoch */
	char type[16];               /* "user", "login", "dead", ... */
} rs_session;

typedef struct rs_live {
	rs_vec routes;        /* rs_route (netconf.h: the one parser of the route tables) */
	rs_vec neighbours;    /* rs_neighbour */
	rs_vec unix_sockets;  /* rs_unix_socket */
	rs_vec interfaces;    /* rs_interface */
	rs_vec sessions;      /* rs_session */
	bool utmp_present;    /* the utmp file exists */
	unsigned problems;
} rs_live;

void rs_live_init(rs_live *l);
void rs_live_free(rs_live *l);
/* Runs every collector of this header over a live HOST (nothing otherwise). */
void rs_live_collect(const rs_host *host, rs_live *l);

/* Collectors (each in its own file). */
int rs_collect_neighbours(const rs_host *h, rs_live *l);    /* neighbours.c: net/arp, netlink (IPv6) */
int rs_collect_unix_sockets(const rs_host *h, rs_live *l);  /* unix_sockets.c: net/unix */
int rs_collect_interfaces(const rs_host *h, rs_live *l);    /* interfaces.c: /sys/class/net, getifaddrs */
int rs_collect_sessions(const rs_host *h, rs_live *l);      /* sessions.c: utmp */

/* Reads proc REL (up to MAX bytes) and parses it with PARSE into OUT; a
 * missing file (no IPv6) is no problem. Returns the number of problems. */
int rs_live_read_proc(const rs_host *h, const char *rel, size_t max,
		      int (*parse)(const char *, size_t, const char *, rs_vec *), rs_vec *out);

/* Parsers of outside text. NAME is used in warnings. Each returns the number
 * of problems (lines skipped). */
int rs_parse_proc_arp(const char *text, size_t len, const char *name, rs_vec *neighbours);
/* Parses LEN bytes of rtnetlink messages (a RTM_GETNEIGH dump) into
 * NEIGHBOURS (iface left empty: the caller names ifindex). Sets *DONE at
 * NLMSG_DONE. Returns the number of malformed messages, or -1 for an
 * NLMSG_ERROR answer. */
int rs_parse_rtnl_neighbours(const void *buf, size_t len, rs_vec *neighbours, bool *done);
int rs_parse_proc_net_unix(const char *text, size_t len, const char *name, rs_vec *sockets);

/* JSON arrays of each section (new references). */
json_t *rs_routes_json(const rs_vec *routes);
json_t *rs_neighbours_json(const rs_vec *neighbours);
json_t *rs_unix_sockets_json(const rs_vec *sockets);
json_t *rs_interfaces_json(const rs_vec *interfaces);
json_t *rs_sessions_json(const rs_vec *sessions);
json_t *rs_unix_socket_json(const rs_unix_socket *s);

#endif
