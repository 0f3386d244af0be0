/*
 * fuzz_incident_render.c — arbitrary JSON as an incident record (and as an
 * array of records) through every form, language and format and every
 * export: no crash, no leak, no undefined behaviour.
 */
#include "incident/render.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

static void all(const json_t *rec)
{
	static const char *const langs[] = {"vi", "en"};
	static const char *const formats[] = {"md", "html", "json", "eml"};
	static const char *const exports[] = {"stix", "misp", "thehive"};
	char err[512];

	for (int f = RS_FORM_NOTIFY; f <= RS_FORM_SUMMARY; f++)
		for (int l = 0; l < 2; l++)
			for (int k = 0; k < 4; k++) {
				rs_buf out;
				rs_buf_init(&out);
				(void)rs_incident_render(rec, (rs_incident_form)f, langs[l], formats[k],
							 1796000000, 1700000000, 1900000000, &out, err,
							 sizeof(err));
				rs_buf_free(&out);
			}
	for (int k = 0; k < 3; k++) {
		rs_buf out;
		rs_buf_init(&out);
		(void)rs_incident_export(rec, exports[k], 1796000000, &out, err, sizeof(err));
		rs_buf_free(&out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *rec = json_loadb((const char *)data, size, JSON_DECODE_ANY, &jerr);
	json_t *arr;

	if (rec == NULL)
		return 0;
	all(rec);
	arr = json_array();
	json_array_append(arr, rec);
	all(arr);
	json_decref(arr);
	json_decref(rec);
	return 0;
}
