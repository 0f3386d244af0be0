/*
 * bench.h — `rasoat agent bench`: a load generator for the fleet server
 * (bench/server.sh). It enrols N simulated agents (keys in memory only),
 * then either posts signed result batches of a realistic size as fast as
 * its threads can (throughput, p50/p99 latency) or checks every agent in
 * once per interval on a fixed schedule (does the server keep up?). Prints
 * one JSON line of figures. For benchmarks and tests, never for production
 * hosts.
 */
#ifndef RS_AGENT_BENCH_H
#define RS_AGENT_BENCH_H

/* ARGV[0] is "bench". Returns the exit status (0 all requests answered
 * 200/201, 1 some failed, 2 usage or setup error). */
int rs_agent_bench_main(int argc, char **argv);

#endif
