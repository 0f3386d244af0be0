/*
 * fuzz_respond_journal.c — libFuzzer target for the respond journal reader
 * (lines, torn tail, line shape, hash chain: rs_journal_parse).
 */
#include "core/log.h"
#include "respond/journal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_journal_text t;
	rs_journal_parse((const char *)data, size, &t);
	if (t.keep > size || (t.bad_line && t.bad_line > json_array_size(t.lines)))
		abort();
	rs_journal_text_free(&t);
	return 0;
}
