/*
 * checks.h — the rootkit module's checks, one file each.
 */
#ifndef RS_ROOTKIT_CHECKS_H
#define RS_ROOTKIT_CHECKS_H

#include "core/util.h"
#include "engine/scan.h"
#include "rootkit/execmaps.h"

/* preload.c: /etc/ld.so.preload naming libraries (T1574.006). */
void rs_rootkit_preload(rs_scan *scan, rs_module_stats *stats);
/* libscan.c: libraries that replace libc's access functions (userland
 * rootkits): preloaded, mapped (MAPS: the processes' mappings, read once
 * for this check, memfd_lib.c's and procs.c's), or unowned in library
 * directories. */
void rs_rootkit_hooking_libraries(rs_scan *scan, rs_module_stats *stats, const rs_rootkit_maps *maps);
/* deleted_exe.c: processes running from a deleted or in-memory executable (live only). */
void rs_rootkit_deleted_exe(rs_scan *scan, rs_module_stats *stats);

/* memfd_lib.c: shared objects mapped executable from in-memory files (live only). */
void rs_rootkit_memfd_libraries(rs_scan *scan, rs_module_stats *stats, const rs_rootkit_maps *maps);

/* known.c: files, directories and modules of known rootkits (rules/rootkit/). */
void rs_rootkit_known(rs_scan *scan, rs_module_stats *stats);
/* procs.c: LD_PRELOAD and odd mappings, odd paths and names, reverse and web shells (live only). */
void rs_rootkit_processes(rs_scan *scan, rs_module_stats *stats, const rs_rootkit_maps *maps);
/* hidden.c: pids and ports the kernel knows but proc does not list (live only). */
void rs_rootkit_hidden_pids(rs_scan *scan, rs_module_stats *stats);
void rs_rootkit_hidden_ports(rs_scan *scan, rs_module_stats *stats);
/* The sweeps behind them, for tests: every pid in 1..MAX (port in 1..65535)
 * not marked in LISTED (TCP, UDP; indexed by value) that exists (is in use)
 * when probed, over THREADS threads (0: one per core), appended to OUT (of
 * unsigned) in ascending order; UDP ports with bit 16 set, after TCP's. */
void rs_rootkit_hidden_pid_sweep(const rs_host *h, const unsigned char *listed, unsigned max, int threads,
				 rs_vec *out);
void rs_rootkit_hidden_port_sweep(const unsigned char *tcp, const unsigned char *udp, int threads, rs_vec *out);
/* hidden_diag.c: sockets the kernel lists over sock_diag that /proc/net
 * does not (live only; called by rs_rootkit_hidden_ports): each reported
 * as a hidden port, its port marked in TCP_DONE or UDP_DONE (65536 each).
 * Returns how many. */
unsigned rs_rootkit_hidden_sockets(rs_scan *scan, unsigned char *tcp_done, unsigned char *udp_done);
/* The comparison behind it, for tests: each socket of DIAG (rs_diag_socket)
 * with an inode not in PROCNET (sorted unsigned long), appended to OUT (the
 * first 256). */
void rs_rootkit_diag_unlisted(const rs_vec *diag, const rs_vec *procnet, rs_vec *out);
/* kernel.c: taint flags, hidden modules, promiscuous interfaces (live only). */
void rs_rootkit_kernel(rs_scan *scan, rs_module_stats *stats);

#endif
