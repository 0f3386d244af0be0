/*
 * fuzz_pam_stack.c — libFuzzer target: PAM lines (/etc/pam.d and pam.conf
 * layouts) and the judgement of the stack they make (persist/pam.c), over
 * arbitrary bytes split into lines.
 */
#include "persist/traces.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	for (int conf = 0; conf < 2; conf++) {
		rs_verdict v;
		rs_verdict_init(&v);
		rs_pam_stack s;
		rs_pam_stack_init(&s);
		for (char *line = text; line && line < text + size;) {
			char *nl = memchr(line, '\n', (size_t)(text + size - line));
			if (nl)
				*nl = '\0';
			rs_pam_line l;
			if (rs_pam_parse_line(line, conf == 1, &l))
				rs_pam_stack_judge(&s, &l, &v);
			if (nl)
				*nl = '\n';
			line = nl ? nl + 1 : NULL;
		}
		rs_pam_stack_finish(&s, &v);
	}
	free(text);
	return 0;
}
