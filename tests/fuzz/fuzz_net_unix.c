/*
 * fuzz_net_unix.c — libFuzzer target: the proc net/unix parser over
 * arbitrary text. Every input must parse or warn without a crash, leak or UB.
 */
#include "collect/live.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_unix_socket));
	rs_parse_proc_net_unix((const char *)data, size, "unix", &v);
	json_decref(rs_unix_sockets_json(&v));
	for (size_t i = 0; i < v.len; i++)
		free(((rs_unix_socket *)rs_vec_at(&v, i))->path);
	rs_vec_free(&v);
	return 0;
}
