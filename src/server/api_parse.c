/*
 * api_parse.c — strict parsers of the agent request bodies (api_parse.h).
 * The body must be one JSON object of the expected shape; every string is
 * checked for length, embedded NULs and control characters, ids for their
 * exact form, numbers for their range, and free-form evidence for size and
 * depth. Unknown top-level fields are ignored (the contract only grows);
 * the stored objects are rebuilt from the checked fields.
 */
#include "server/api_parse.h"
#include "server/api_slice.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT 1024
#define MAX_LONG_TEXT 16384
#define MAX_EVIDENCE_STRING 65536
#define MAX_EVIDENCE_DEPTH 6   /* a YARA hit quotes its strings at depth 5: evidence.matches[].strings[] */
#define MAX_ARRAY 4096
#define MAX_OBJECT_KEYS 256

/* "FIELD PROBLEM" into ERR; returns -1. */
static int fail(char *err, size_t errsize, const char *field, const char *problem)
{
	snprintf(err, errsize, "%s %s", field, problem);
	return -1;
}

/* Loads BODY as one JSON object (duplicate keys refused). */
static json_t *load_object(const char *body, size_t len, char *err, size_t errsize)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errsize, "the body is not JSON: %s (line %d, column %d)", jerr.text,
			 jerr.line, jerr.column);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		snprintf(err, errsize, "the body is not a JSON object");
		return NULL;
	}
	return root;
}

/* True when the JSON string V has no NUL and no control character (other
 * than tab and newline when MULTILINE) and at most MAX bytes. */
static bool text_ok(const json_t *v, size_t max, bool multiline)
{
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (len > max || strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f)
			return false;
	}
	return true;
}

/* The string field KEY of OBJ, checked by text_ok; NULL when absent or bad
 * (*BAD tells which). */
static const char *text_field(const json_t *obj, const char *key, size_t max, bool multiline, bool *bad)
{
	json_t *v = json_object_get(obj, key);
	*bad = false;
	if (!v)
		return NULL;
	if (!text_ok(v, max, multiline)) {
		*bad = true;
		return NULL;
	}
	return json_string_value(v);
}

static bool charset_ok(const char *s, size_t min, size_t max, const char *extra, bool upper)
{
	size_t len = strlen(s);
	if (len < min || len > max)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (upper && c >= 'A' && c <= 'Z') || (c && strchr(extra, c));
		if (!ok)
			return false;
	}
	return true;
}

/* An integer field in [MIN, MAX]; false when absent (unless OPTIONAL) or bad. */
static bool int_field(const json_t *obj, const char *key, long long min, long long max,
		      bool optional, long long *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return optional;
	if (!json_is_integer(v))
		return false;
	long long n = json_integer_value(v);
	if (n < min || n > max)
		return false;
	*out = n;
	return true;
}

/* Free-form JSON (evidence, module counters): bounded size and depth. */
static bool bounded_json(const json_t *v, int depth)
{
	if (depth > MAX_EVIDENCE_DEPTH)
		return false;
	switch (json_typeof(v)) {
	case JSON_STRING:
		/* evidence quotes what was found: any bytes but NUL */
		return json_string_length(v) <= MAX_EVIDENCE_STRING &&
		       strlen(json_string_value(v)) == json_string_length(v);
	case JSON_ARRAY: {
		if (json_array_size(v) > MAX_ARRAY)
			return false;
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item)
			if (!bounded_json(item, depth + 1))
				return false;
		return true;
	}
	case JSON_OBJECT: {
		if (json_object_size(v) > MAX_OBJECT_KEYS)
			return false;
		const char *key;
		json_t *item;
		json_object_foreach((json_t *)v, key, item)
			if (!charset_ok(key, 1, 64, "_-.", true) || !bounded_json(item, depth + 1))
				return false;
		return true;
	}
	default:
		return true;
	}
}

static bool hostname_ok(const char *s)
{
	return charset_ok(s, 1, RS_API_MAX_HOSTNAME, "._-", true);
}

/* "host": {"hostname": …, "os": …, "os_version": …, "kernel": …, "arch": …} */
static int parse_host(const json_t *v, rs_api_host *out, char *err, size_t errsize)
{
	static const char *const optional[] = { "os", "os_version", "kernel", "arch" };
	if (!json_is_object(v))
		return fail(err, errsize, "host", "is not an object");
	bool bad;
	const char *name = text_field(v, "hostname", RS_API_MAX_HOSTNAME, false, &bad);
	if (!name || !hostname_ok(name))
		return fail(err, errsize, "host.hostname", "is missing or not a host name (letters, digits, '.', '-', '_'; at most 253)");
	snprintf(out->hostname, sizeof(out->hostname), "%s", name);
	out->facts = json_object();
	json_object_set_new(out->facts, "hostname", json_string(name));
	for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
		const char *s = text_field(v, optional[i], 128, false, &bad);
		if (bad) {
			snprintf(err, errsize, "host.%s is not text of at most 128 printable bytes", optional[i]);
			return -1;
		}
		if (s)
			json_object_set_new(out->facts, optional[i], json_string(s));
	}
	return 0;
}

int rs_api_parse_enroll(const char *body, size_t len, rs_api_enroll *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	json_t *root = load_object(body, len, err, errsize);
	if (!root)
		return -1;
	int rc = -1;
	bool bad;
	const char *token = text_field(root, "token", 256, false, &bad);
	const char *key = text_field(root, "public_key", 64, false, &bad);
	if (!token)
		fail(err, errsize, "token", "is missing or not text");
	else if (rs_fleet_token_parse(token, &out->token, err, errsize) < 0)
		;
	else if (!key || rs_fleet_unbase64(key, out->public_key, sizeof(out->public_key)) < 0)
		fail(err, errsize, "public_key", "is missing or not a base64 Ed25519 public key (32 bytes)");
	else
		rc = parse_host(json_object_get(root, "host"), &out->host, err, errsize);
	json_decref(root);
	return rc;
}

void rs_api_enroll_free(rs_api_enroll *e)
{
	json_decref(e->host.facts);
	sodium_memzero(e, sizeof(*e));
}

int rs_api_parse_checkin(const char *body, size_t len, rs_api_checkin *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	out->spooled = -1;
	json_t *root = load_object(body, len, err, errsize);
	if (!root)
		return -1;
	int rc = 0;
	long long spooled = -1;
	if (!int_field(root, "spooled", 0, 1000000, true, &spooled))
		rc = fail(err, errsize, "spooled", "is not a number from 0 to 1000000");
	out->spooled = (long)spooled;
	json_t *host = json_object_get(root, "host");
	if (rc == 0 && host) {
		out->has_host = true;
		rc = parse_host(host, &out->host, err, errsize);
	}
	json_decref(root);
	return rc;
}

void rs_api_checkin_free(rs_api_checkin *c)
{
	json_decref(c->host.facts);
	memset(c, 0, sizeof(*c));
}

/* "YYYY-MM-DDTHH:MM:SSZ" */
static bool time_ok(const char *s)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	if (strlen(s) != sizeof(form) - 1)
		return false;
	for (size_t i = 0; form[i]; i++)
		if (form[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != form[i])
			return false;
	return true;
}

static int parse_counts(const json_t *v, rs_summary *s, char *err, size_t errsize)
{
	if (!json_is_object(v) || json_object_size(v) > RS_SEV_COUNT)
		return fail(err, errsize, "summary.counts", "is not an object of counts by severity");
	const char *key;
	json_t *item;
	json_object_foreach((json_t *)v, key, item) {
		rs_severity sev;
		if (!rs_severity_parse(key, &sev) || !json_is_integer(item) ||
		    json_integer_value(item) < 0 || json_integer_value(item) > 1000000000)
			return fail(err, errsize, "summary.counts", "holds a bad severity or count");
		s->counts[sev] = (unsigned long)json_integer_value(item);
	}
	return 0;
}

static int parse_summary(const json_t *v, rs_summary *s, char *err, size_t errsize)
{
	if (!json_is_object(v))
		return fail(err, errsize, "summary", "is not an object");
	bool bad;
	const char *type = text_field(v, "type", 16, false, &bad);
	const char *scan = text_field(v, "scan", RS_FLEET_ID_HEX, false, &bad);
	if (!type || strcmp(type, "summary") != 0)
		return fail(err, errsize, "summary.type", "is not \"summary\"");
	if (!scan || !rs_fleet_is_hex(scan, RS_FLEET_ID_HEX))
		return fail(err, errsize, "summary.scan", "is not a scan id (32 lowercase hex digits)");
	snprintf(s->scan, sizeof(s->scan), "%s", scan);
	const char *host = text_field(v, "host", 255, false, &bad);
	if (!host)
		return fail(err, errsize, "summary.host", "is missing or not printable text of at most 255 bytes");
	s->host = rs_strdup(host);
	const char *root = text_field(v, "root", 4096, false, &bad);
	if (!root || root[0] != '/')
		return fail(err, errsize, "summary.root", "is missing or not an absolute path");
	s->root = rs_strdup(root);
	const char *started = text_field(v, "started", 32, false, &bad);
	if (!started || !time_ok(started))
		return fail(err, errsize, "summary.started", "is not a time YYYY-MM-DDTHH:MM:SSZ");
	snprintf(s->started, sizeof(s->started), "%s", started);
	long long n = 0, score = 100, exit_code = 0;
	if (!int_field(v, "duration_ms", 0, 10000000000LL, true, &n))
		return fail(err, errsize, "summary.duration_ms", "is not a number of milliseconds");
	s->duration_ms = n;
	if (!int_field(v, "score", 0, 100, false, &score))
		return fail(err, errsize, "summary.score", "is not a number from 0 to 100");
	s->score = (int)score;
	if (!int_field(v, "exit", 0, 2, false, &exit_code))
		return fail(err, errsize, "summary.exit", "is not 0, 1 or 2");
	s->exit_code = (int)exit_code;
	json_t *complete = json_object_get(v, "complete");
	if (complete && !json_is_true(complete))
		return fail(err, errsize, "summary.complete", "only complete scans are accepted");
	s->complete = true;
	json_t *modules = json_object_get(v, "modules");
	if (modules) {
		if (!json_is_object(modules) || !bounded_json(modules, 1))
			return fail(err, errsize, "summary.modules", "is not an object of bounded size");
		json_object_update(s->modules, modules);
	}
	return parse_counts(json_object_get(v, "counts"), s, err, errsize);
}

/* "T1234" or "T1234.567" */
static bool technique_ok(const json_t *v)
{
	if (!text_ok(v, 9, false))
		return false;
	const char *s = json_string_value(v);
	size_t len = strlen(s);
	if ((len != 5 && len != 9) || s[0] != 'T')
		return false;
	for (size_t i = 1; i < len; i++)
		if (i == 5 ? s[i] != '.' : !(s[i] >= '0' && s[i] <= '9'))
			return false;
	return true;
}

static bool string_array_ok(const json_t *v, size_t max_items, size_t max_len, bool technique)
{
	if (!json_is_array(v) || json_array_size(v) > max_items)
		return false;
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item)
		if (technique ? !technique_ok(item) : !text_ok(item, max_len, false))
			return false;
	return true;
}

/* One finding line as in `--format jsonl`, rebuilt from its checked fields. */
static rs_finding *parse_finding(const json_t *v, const char *scan, size_t index, char *err, size_t errsize)
{
	bool bad;
	const char *what = NULL;
	const char *type = text_field(v, "type", 16, false, &bad);
	const char *fscan = text_field(v, "scan", RS_FLEET_ID_HEX, false, &bad);
	const char *module = text_field(v, "module", 32, false, &bad);
	const char *rule = text_field(v, "rule", 512, false, &bad);
	const char *title = text_field(v, "title", MAX_TEXT, false, &bad);
	const char *sev_name = text_field(v, "severity", 16, false, &bad);
	const char *remediation = text_field(v, "remediation", MAX_LONG_TEXT, true, &bad);
	bool bad_remediation = bad;
	json_t *evidence = json_object_get(v, "evidence");
	json_t *attack = json_object_get(v, "attack");
	json_t *refs = json_object_get(v, "references");
	rs_severity sev = RS_SEV_INFO;
	long long score = -1;
	if (!json_is_object(v))
		what = "is not an object";
	else if (!type || strcmp(type, "finding") != 0)
		what = "has no \"type\":\"finding\"";
	else if (json_object_get(v, "scan") && (!fscan || strcmp(fscan, scan) != 0))
		what = "names another scan";
	else if (!module || !charset_ok(module, 1, 32, "_-", false))
		what = "has no module of 1-32 characters a-z, 0-9, '_', '-'";
	else if (!rule || !*rule)
		what = "has no rule of at most 512 printable bytes";
	else if (!title)
		what = "has no title of at most 1024 printable bytes";
	else if (!sev_name || !rs_severity_parse(sev_name, &sev))
		what = "has no severity info, low, medium, high or critical";
	else if (!int_field(v, "score", 0, 100, true, &score))
		what = "has a score outside 0-100";
	else if (bad_remediation)
		what = "has a remediation that is not text of at most 16384 bytes";
	else if (evidence && (!json_is_object(evidence) || !bounded_json(evidence, 1)))
		what = "has evidence that is not an object of bounded size";
	else if (attack && !string_array_ok(attack, 32, 9, true))
		what = "has attack ids that are not ATT&CK techniques (T1234 or T1234.567)";
	else if (refs && !string_array_ok(refs, 64, 2048, false))
		what = "has references that are not a list of at most 64 texts";
	if (what) {
		snprintf(err, errsize, "finding %zu of scan %s %s", index, scan, what);
		return NULL;
	}
	rs_finding *f = rs_finding_new(module, rule, sev, (int)score, title);
	if (evidence)
		json_object_update(f->evidence, evidence);
	if (attack)
		json_array_extend(f->attack, attack);
	if (refs)
		json_array_extend(f->references, refs);
	if (remediation && *remediation)
		f->remediation = rs_strdup(remediation);
	return f;
}

static int parse_scan(const json_t *v, rs_api_scan *out, char *err, size_t errsize)
{
	rs_summary_init(&out->summary);
	if (!json_is_object(v))
		return fail(err, errsize, "a scan", "is not an object");
	if (parse_summary(json_object_get(v, "summary"), &out->summary, err, errsize) < 0)
		return -1;
	json_t *findings = json_object_get(v, "findings");
	if (!json_is_array(findings) || json_array_size(findings) > RS_API_MAX_FINDINGS)
		return fail(err, errsize, "scan.findings", "is not a list of at most 100000 findings");
	size_t n = json_array_size(findings);
	out->findings = rs_calloc(n ? n : 1, sizeof(*out->findings));
	for (size_t i = 0; i < n; i++) {
		rs_finding *f = parse_finding(json_array_get(findings, i), out->summary.scan, i, err, errsize);
		if (!f)
			return -1;
		out->findings[out->n_findings++] = f;
	}
	return 0;
}

/* True when finding V holds exactly the fields of the contract (the ones
 * parse_finding checks; "scan" may be absent), so its received text is
 * what the rebuilt finding would say. */
static bool contract_fields_only(const json_t *v)
{
	static const char *const fields[] = {
		"type", "module", "rule", "severity", "score", "title", "attack", "evidence",
		"remediation", "references",
	};
	size_t n = sizeof(fields) / sizeof(fields[0]);
	if (json_object_size(v) != n + (json_object_get(v, "scan") ? 1 : 0))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(v, fields[i]))
			return false;
	return true;
}

/* The received text of each finding of scan I that may be stored as is. */
static void find_texts(const char *body, size_t len, const json_t *scans, size_t i, rs_api_scan *out)
{
	json_t *findings = json_object_get(json_array_get(scans, i), "findings");
	if (out->n_findings == 0)
		return;
	out->texts = rs_calloc(out->n_findings, sizeof(*out->texts));
	if (rs_api_slice_findings(body, len, i, out->texts, out->n_findings) < 0) {
		memset(out->texts, 0, out->n_findings * sizeof(*out->texts));
		return;
	}
	for (size_t k = 0; k < out->n_findings; k++)
		if (!contract_fields_only(json_array_get(findings, k)))
			out->texts[k].text = NULL;
}

static bool duplicate_scan(const rs_api_results *r, size_t upto)
{
	for (size_t i = 0; i < upto; i++)
		if (strcmp(r->scans[i].summary.scan, r->scans[upto].summary.scan) == 0)
			return true;
	return false;
}

int rs_api_parse_results(const char *body, size_t len, rs_api_results *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	json_t *root = load_object(body, len, err, errsize);
	if (!root)
		return -1;
	int rc = -1;
	bool bad;
	const char *batch = text_field(root, "batch_id", RS_FLEET_ID_HEX, false, &bad);
	json_t *scans = json_object_get(root, "scans");
	if (!batch || !rs_fleet_is_hex(batch, RS_FLEET_ID_HEX))
		fail(err, errsize, "batch_id", "is missing or not 32 lowercase hex digits");
	else if (!json_is_array(scans) || json_array_size(scans) == 0 ||
		 json_array_size(scans) > RS_API_MAX_SCANS)
		fail(err, errsize, "scans", "is not a list of 1 to 16 scans");
	else {
		snprintf(out->batch_id, sizeof(out->batch_id), "%s", batch);
		size_t n = json_array_size(scans);
		out->scans = rs_calloc(n, sizeof(*out->scans));
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			out->n_scans++;
			rc = parse_scan(json_array_get(scans, i), &out->scans[i], err, errsize);
			if (rc == 0 && duplicate_scan(out, i))
				rc = fail(err, errsize, out->scans[i].summary.scan, "appears twice in the batch (scan ids must differ)");
		}
		for (size_t i = 0; i < n && rc == 0; i++)
			find_texts(body, len, scans, i, &out->scans[i]);
	}
	json_decref(root);
	return rc;
}

void rs_api_results_free(rs_api_results *r)
{
	for (size_t i = 0; i < r->n_scans; i++) {
		rs_api_scan *s = &r->scans[i];
		for (size_t j = 0; j < s->n_findings; j++)
			rs_finding_free(s->findings[j]);
		free(s->findings);
		free(s->texts);
		rs_summary_free(&s->summary);
	}
	free(r->scans);
	memset(r, 0, sizeof(*r));
}
