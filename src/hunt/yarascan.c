/*
 * yarascan.c — running the compiled rule sets over one buffer with a
 * worker's own scanners, and collecting what matched: the rule, its
 * metadata (score, description, author, reference, ATT&CK id) and the
 * matched strings with their offsets, for the finding's evidence. The
 * bundled webshell rules (RASOAT_*, T1505.003 or "webshell" in the name)
 * are not reported on ELF files: a webshell is a script, and an ELF file
 * that carries webshell text (rasoat's own binary holds the lines its
 * drills plant) is not one.
 */
#include "hunt/hunt.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_RULE_SCORE 70
#define MAX_STRINGS_PER_RULE 16

void rs_yara_hits_reset(rs_yara_hits *h)
{
	for (size_t i = 0; i < h->hits.len; i++)
		json_decref(((rs_yara_hit *)rs_vec_at(&h->hits, i))->strings);
	h->hits.len = 0;
	h->too_many = false;
	h->elf = false; /* set again by rs_yara_scan_buffer; process memory is never "an ELF file" */
}

/* The matched bytes, printable ASCII kept and the rest as \xNN. */
static json_t *shown(const uint8_t *data, int len)
{
	char out[RS_YARA_MATCH_DATA * 4 + 1];
	size_t o = 0;
	for (int i = 0; i < len && i < RS_YARA_MATCH_DATA; i++) {
		if (data[i] >= 0x20 && data[i] < 0x7f && data[i] != '\\') {
			out[o++] = (char)data[i];
		} else {
			static const char hexd[] = "0123456789abcdef";
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hexd[data[i] >> 4];
			out[o++] = hexd[data[i] & 15];
		}
	}
	out[o] = '\0';
	return json_string(out);
}

static void read_meta(const YR_RULE *rule, rs_yara_hit *hit)
{
	const YR_META *meta;
	hit->score = DEFAULT_RULE_SCORE;
	yr_rule_metas_foreach(rule, meta)
	{
		if (!strcmp(meta->identifier, "score")) {
			if (meta->type == META_TYPE_INTEGER)
				hit->score = (int)meta->integer;
			else if (meta->type == META_TYPE_STRING && meta->string)
				hit->score = atoi(meta->string);
		} else if (meta->type == META_TYPE_STRING) {
			if (!strcmp(meta->identifier, "description"))
				hit->description = meta->string;
			else if (!strcmp(meta->identifier, "author"))
				hit->author = meta->string;
			else if (!strcmp(meta->identifier, "reference"))
				hit->reference = meta->string;
			else if (!strcmp(meta->identifier, "mitre_attack") || !strcmp(meta->identifier, "attack"))
				hit->attack = meta->string;
		}
	}
	if (hit->score < 0)
		hit->score = 0;
	if (hit->score > 100)
		hit->score = 100;
}

bool rs_yara_hit_is_webshell(const rs_yara_hit *hit)
{
	if (hit->attack && strstr(hit->attack, "T1505.003"))
		return true;
	for (const char *p = hit->rule; p && *p; p++)
		if (strncasecmp(p, "webshell", 8) == 0)
			return true;
	return false;
}

/* A webshell rule of rasoat's own set (the bundled rules are named RASOAT_*):
 * outside rules (signature-base) keep their matches on ELF files, so rasoat
 * with them still reports every file yara -r flags. */
static bool bundled_webshell(const rs_yara_hit *hit)
{
	return hit->rule && strncmp(hit->rule, "RASOAT_", 7) == 0 && rs_yara_hit_is_webshell(hit);
}

int rs_yara_callback(YR_SCAN_CONTEXT *context, int message, void *message_data, void *user_data)
{
	rs_yara_hits *h = user_data;
	if (message == CALLBACK_MSG_TOO_MANY_MATCHES) {
		h->too_many = true;
		return CALLBACK_CONTINUE;
	}
	if (message != CALLBACK_MSG_RULE_MATCHING)
		return CALLBACK_CONTINUE;
	const YR_RULE *rule = message_data;
	rs_yara_hit found = {.rule = rule->identifier};
	read_meta(rule, &found);
	if (h->elf && bundled_webshell(&found))
		return CALLBACK_CONTINUE;
	rs_yara_hit *hit = rs_vec_push(&h->hits);
	*hit = found;
	hit->strings = json_array();
	const YR_STRING *string;
	int shown_count = 0;
	yr_rule_strings_foreach(rule, string)
	{
		/* libyara keeps matches in a notebook without alignment: each one
		 * is copied out before its fields are read */
		const void *p = context->matches[string->idx].head;
		while (p && shown_count < MAX_STRINGS_PER_RULE) {
			YR_MATCH match;
			memcpy(&match, p, sizeof(match));
			p = match.next;
			if (match.is_private)
				continue;
			shown_count++;
			json_t *m = json_object();
			json_object_set_new(m, "id", json_string(string->identifier));
			json_object_set_new(m, "offset", json_integer(match.base + match.offset));
			json_object_set_new(m, "data", shown(match.data, match.data_length));
			json_array_append_new(hit->strings, m);
		}
	}
	return CALLBACK_CONTINUE;
}

int rs_yara_scan_buffer(YR_SCANNER **scanners, size_t n, const unsigned char *data, size_t len,
			const rs_externals *ext, rs_yara_hits *hits)
{
	int first = ERROR_SUCCESS;
	hits->elf = len >= 4 && memcmp(data, "\x7f" "ELF", 4) == 0;
	for (size_t i = 0; i < n; i++) {
		if (ext)
			rs_externals_apply(scanners[i], ext);
		int rc = yr_scanner_scan_mem(scanners[i], data, len);
		if (rc != ERROR_SUCCESS && first == ERROR_SUCCESS)
			first = rc;
	}
	if (hits->too_many && first == ERROR_SUCCESS)
		first = ERROR_TOO_MANY_MATCHES;
	return first;
}
