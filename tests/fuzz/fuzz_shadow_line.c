/*
 * fuzz_shadow_line.c — libFuzzer target: finding an account's line in
 * arbitrary /etc/shadow text, locking it and unlocking the result, which
 * must give the line back byte for byte.
 * Every input must be handled without a crash, leak or undefined behaviour.
 */
#include "respond/shadow.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	size_t colon = 0;
	while (colon < size && colon < 32 && text[colon] != ':' && text[colon] != '\n' && text[colon])
		colon++;
	char user[40];
	memcpy(user, text, colon);
	user[colon] = '\0';
	size_t off, n;
	if (rs_shadow_find(text, size, user, &off, &n) != 0)
		return 0;
	rs_shadow_lock lock;
	char *locked = rs_shadow_lock_line(text + off, n, &lock);
	if (!locked)
		return 0;
	char *back = rs_shadow_unlock_line(locked, strlen(locked), &lock);
	if (!back || strlen(back) != n || memcmp(back, text + off, n) != 0)
		abort(); /* lock then unlock must be the identity */
	free(back);
	free(locked);
	return 0;
}
