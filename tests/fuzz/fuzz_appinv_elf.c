/*
 * fuzz_appinv_elf.c — libFuzzer target for the ELF section reader of the
 * application inventory: the input is a whole file, searched for its
 * .go.buildinfo and .dep-v0 sections through its section headers.
 */
#include "core/log.h"
#include "vuln/appinv_read.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	rs_app_elf f = { .fd = -1, .data = data, .size = size };
	rs_app_read_elf(&f, "/fuzz/bin", "/fuzz/bin", &inv);
	rs_app_inventory_free(&inv);
	return 0;
}
