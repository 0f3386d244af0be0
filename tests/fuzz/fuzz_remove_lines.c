/*
 * fuzz_remove_lines.c — libFuzzer target: the line matcher and editor of
 * `respond remove` (remove_text.h) over arbitrary bytes. The first byte
 * picks a line number; the target hashes that line, finds it, drops it and
 * checks that exactly that line's bytes went; the passwd shell edit runs
 * over the same text. No crash, leak or undefined behaviour, and the
 * invariants hold.
 */
#include "core/digest.h"
#include "respond/remove_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t number = data[0] % 16 + 1;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	char err[512];
	if (rs_rmtext_check(text, len, "/fuzz", err, sizeof(err)) < 0)
		return 0;
	size_t start, line_len;
	if (rs_rmtext_line(text, len, number, &start, &line_len)) {
		char hex[65];
		rs_sha256_hex(text + start, line_len, hex);
		size_t at = rs_rmtext_find(text, len, number, hex, "/fuzz", err, sizeof(err));
		if (at != number)
			abort();
		size_t out_len;
		char *out = rs_rmtext_drop(text, len, &at, 1, &out_len);
		size_t gone = line_len + (start + line_len < len ? 1 : 0);
		if (out_len != len - gone || memcmp(out, text, start) != 0)
			abort();
		free(out);
		/* from another number: found again unless the line is duplicated */
		at = rs_rmtext_find(text, len, number + 1, hex, "/fuzz", err, sizeof(err));
		(void)at;
	}
	size_t n;
	char *old = NULL, *line = NULL;
	if (rs_rmtext_passwd_shell(text, len, "root", "/usr/sbin/nologin", &n, &old, &line, err, sizeof(err)) == 0) {
		size_t out_len;
		char *out = rs_rmtext_replace(text, len, n, line, strlen(line), &out_len);
		if (!out)
			abort();
		free(out);
		free(old);
		free(line);
	}
	return 0;
}
