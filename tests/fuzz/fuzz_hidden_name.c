/*
 * fuzz_hidden_name.c — libFuzzer target: the hidden-name classifier and the
 * content classifier of persist/hidden.c over arbitrary names and first
 * bytes of files, and logs.c's test for a log's dated rotated copies.
 */
#include "persist/traces.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cut = size > 0 ? data[0] % (size + 1) : 0;
	char *name = malloc(cut + 1);
	memcpy(name, data, cut);
	name[cut] = '\0';
	for (int flags = 0; flags < 8; flags++)
		rs_hidden_classify(name, flags & 1, flags & 2, flags & 4);
	rs_log_dated_sibling("auth.log", name);
	rs_log_dated_sibling(name, "auth.log-20261201.gz");
	rs_log_dated_sibling(name, name);
	unsigned char *head = malloc(size - cut + 1);
	memcpy(head, data + cut, size - cut);
	rs_content_classify(name, 0100644, head, size - cut);
	rs_content_classify(name, 0100755, head, size - cut);
	free(head);
	free(name);
	return 0;
}
