/*
 * fuzz_json_scan.c — libFuzzer target for the feed readers' in-place JSON
 * reader: no crash or overread on any input, and on ASCII documents without
 * \u escapes nested below its bound, the same verdict as jansson. What
 * jansson reads is also written back by rs_json_text (the writer of
 * findings' JSON), which must give json_dumps's text byte for byte.
 * rs_json_scan_skip_checked never reads past the end, and where
 * rs_json_scan_skip_value accepts a value it ends at the same byte.
 */
#include "vuln/json_scan.h"
#include "core/json.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	rs_json_scan s;
	rs_json_scan_init(&s, text, size);
	bool value = rs_json_scan_skip_value(&s);
	const char *value_end = s.p;
	bool ours = value && rs_json_scan_peek(&s) == 0;
	rs_json_scan_init(&s, text, size);
	bool checked = rs_json_scan_skip_checked(&s);
	if (s.p < text || s.p > text + size || (value && (!checked || s.p != value_end)))
		abort();
	rs_buf arena;
	rs_buf_init(&arena);
	size_t at;
	rs_json_scan_init(&s, text, size);
	rs_json_scan_string(&s, &arena, 64, &at);
	rs_buf_free(&arena);

	bool comparable = memchr(text, 0, size) == NULL && strstr(text, "\\u") == NULL;
	int depth = 0, deepest = 0, digits = 0;
	for (size_t i = 0; comparable && i < size; i++) {
		/* jansson also refuses numbers that overflow a double or an int64 */
		digits = text[i] >= '0' && text[i] <= '9' ? digits + 1 : 0;
		if ((unsigned char)text[i] >= 0x80 || digits > 8)
			comparable = false;
		if ((text[i] == 'e' || text[i] == 'E') && i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9') {
			size_t k = i + 1 + (i + 1 < size && (text[i + 1] == '+' || text[i + 1] == '-'));
			size_t n = 0;
			while (k + n < size && text[k + n] >= '0' && text[k + n] <= '9')
				n++;
			comparable = comparable && n < 3; /* 1e999 overflows a double */
		}
		depth += text[i] == '[' || text[i] == '{';
		depth -= text[i] == ']' || text[i] == '}';
		deepest = depth > deepest ? depth : deepest;
	}
	if (comparable && deepest < RS_JSON_SCAN_MAX_DEPTH / 2) {
		json_t *v = json_loadb(text, size, JSON_DECODE_ANY, NULL);
		bool theirs = v != NULL;
		if (v) {
			char *a = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY), *b = rs_json_text(v);
			if ((a == NULL) != (b == NULL) || (a && strcmp(a, b)))
				abort();
			free(a);
			free(b);
		}
		json_decref(v);
		if (ours != theirs)
			abort();
	}
	free(text);
	return 0;
}
