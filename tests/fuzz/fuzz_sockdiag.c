/*
 * fuzz_sockdiag.c — libFuzzer target: the parser of the kernel's netlink
 * sock_diag answers (rootkit/sockdiag.c) over arbitrary bytes. Every input
 * must be read without a crash, leak or undefined behaviour.
 */
#include "core/log.h"
#include "core/util.h"
#include "rootkit/sockdiag.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	unsigned char *buf = malloc(size + 1); /* its own copy: the parser never reads past SIZE */
	memcpy(buf, data, size);
	rs_vec out;
	rs_vec_init(&out, sizeof(rs_diag_socket));
	int rc = rs_sockdiag_parse(buf, size, "tcp", &out);
	if (rc < -1 || rc > 1)
		abort();
	rs_vec_free(&out);
	free(buf);
	return 0;
}
