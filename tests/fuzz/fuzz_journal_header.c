/*
 * fuzz_journal_header.c — libFuzzer target: the header of a systemd
 * journal file (persist/logs.c) from arbitrary bytes; every input is
 * parsed or refused with a message, never read past its end.
 */
#include "persist/traces.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly SIZE bytes, so that ASan sees any read beyond it */
	unsigned char *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	rs_journal_header h;
	char err[200];
	rs_journal_header_parse(copy, size, &h, err, sizeof(err));
	free(copy);
	return 0;
}
