/*
 * test_appmatch.c — application libraries against OSV records (appmatch.c):
 * names keyed per ecosystem (PEP 503, Packagist lower case, npm exact), one
 * match per (library, CVE) with the higher fix, Go's "v" and +incompatible
 * against records without "v", libraries with versions their ecosystem
 * refuses left out and counted, records of other ecosystems ignored; the
 * same matches in the same order with two threads as with one, names too
 * long for the key buffer included; a finding's texts and references.
 */
#include "testutil.h"
#include "vuln/appemit.h"
#include "vuln/appmatch.h"

#include <stdlib.h>
#include <string.h>

static void test_name_keys(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
		{ "PyPI", "Jinja2", "PyPI\tjinja2" },
		{ "PyPI", "zope.interface", "PyPI\tzope-interface" },
		{ "PyPI", "My__Weird.-Name", "PyPI\tmy-weird-name" },
		{ "Packagist", "Monolog/Monolog", "Packagist\tmonolog/monolog" },
		{ "npm", "@Scope/Pkg", "npm\t@Scope/Pkg" },
		{ "Maven", "org.Apache:Foo_Bar", "Maven\torg.Apache:Foo_Bar" },
		{ "Maven:https://repo.example", "g:a", "Maven\tg:a" },
		{ "crates.io", "serde_json", "crates.io\tserde_json" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *k = rs_app_name_key(cases[i][0], cases[i][1]);
		assert_string_equal(k, cases[i][2]);
		free(k);
	}
}

static void add_pkg(rs_vec *v, const char *eco, const char *name, const char *version, const char *source)
{
	rs_app_package *p = rs_vec_push(v);
	p->ecosystem = rs_strdup(eco);
	p->name = rs_strdup(name);
	p->version = rs_strdup(version);
	p->source = rs_strdup(source);
	p->application = rs_strdup("/srv/app");
}

static void add_rec(rs_vec *v, const char *id, const char *eco, const char *name, const char *cves, const char *introduced,
		    const char *fixed, const char *last)
{
	rs_vuln_record *r = rs_vec_push(v);
	memset(r, 0, sizeof(*r));
	r->record = rs_strdup(id);
	r->ecosystem = rs_strdup(eco);
	r->package = rs_strdup(name);
	r->cves = rs_strdup(cves);
	r->introduced = introduced ? rs_strdup(introduced) : NULL;
	r->fixed = fixed ? rs_strdup(fixed) : NULL;
	r->last_affected = last ? rs_strdup(last) : NULL;
	r->status = rs_strdup("affected");
	r->cvss = -1;
}

static const rs_app_match *find(const rs_vec *m, const char *name, const char *source, const char *id)
{
	for (size_t i = 0; i < m->len; i++) {
		const rs_app_match *x = rs_vec_at(m, i);
		if (!strcmp(x->pkg->name, name) && !strcmp(x->pkg->source, source) && !strcmp(x->id, id))
			return x;
	}
	return NULL;
}

static void test_match(void **state)
{
	(void)state;
	rs_vec pkgs, recs, out;
	rs_vec_init(&pkgs, sizeof(rs_app_package));
	rs_vec_init(&recs, sizeof(rs_vuln_record));
	rs_vec_init(&out, sizeof(rs_app_match));
	add_pkg(&pkgs, "PyPI", "jinja2", "2.10", "/a/METADATA");
	add_pkg(&pkgs, "PyPI", "jinja2", "2.10", "/b/requirements.txt"); /* another file: another match */
	add_pkg(&pkgs, "npm", "Lodash", "4.17.0", "/c/package-lock.json"); /* npm names are case-sensitive */
	add_pkg(&pkgs, "npm", "lodash", "not-a-version", "/c/package-lock.json");
	add_pkg(&pkgs, "Go", "golang.org/x/net", "v0.0.0-20210226172049-e18ecbb05110", "/usr/local/bin/app");
	add_pkg(&pkgs, "Go", "github.com/old/lib", "v2.3.0+incompatible", "/usr/local/bin/app");
	add_pkg(&pkgs, "Packagist", "Symfony/Yaml", "v4.4.0", "/d/composer.lock");
	add_pkg(&pkgs, "Go", "stdlib", "1.20", "/usr/local/bin/app");      /* Go's name for 1.20.0 */
	add_pkg(&pkgs, "Go", "stdlib", "1.21rc2", "/usr/local/bin/tool");  /* 1.21.0-rc.2 */
	add_rec(&recs, "GHSA-1", "PyPI", "Jinja2", "CVE-1", "0", "2.10.1", NULL);
	add_rec(&recs, "PYSEC-1", "PyPI", "jinja2", "CVE-1", "0", "2.11.3", NULL); /* same CVE, higher fix */
	add_rec(&recs, "PYSEC-2", "PyPI", "jinja2", "", "2.11", "2.11.3", NULL);   /* 2.10 is below introduced */
	add_rec(&recs, "GHSA-2", "npm", "lodash", "CVE-2", "0", "4.17.21", NULL);
	add_rec(&recs, "GO-1", "Go", "golang.org/x/net", "CVE-3", "0", "0.7.0", NULL);
	add_rec(&recs, "GO-2", "Go", "github.com/old/lib", "", "2.0.0", NULL, "2.3.0"); /* +incompatible ignored */
	add_rec(&recs, "GHSA-3", "Packagist", "symfony/yaml", "CVE-4 CVE-5", "4.0.0", "4.4.1", NULL);
	add_rec(&recs, "GO-3", "Go", "stdlib", "CVE-7", "1.20.0", "1.20.1", NULL);
	add_rec(&recs, "GO-4", "Go", "stdlib", "CVE-8", "1.21.0-0", "1.21.0", NULL);
	add_rec(&recs, "DSA-1", "Debian:12", "jinja2", "CVE-6", "0", "9.9", NULL); /* not an application ecosystem */
	unsigned long unparsed = 0;
	rs_app_match_all(&pkgs, &recs, &out, &unparsed);
	assert_int_equal(unparsed, 1);
	const rs_app_match *m = find(&out, "jinja2", "/a/METADATA", "CVE-1");
	assert_non_null(m);
	assert_string_equal(m->fixed, "2.11.3");
	assert_string_equal(m->record, "PYSEC-1");
	assert_int_equal(m->state, RS_VULN_AFFECTED);
	assert_non_null(find(&out, "jinja2", "/b/requirements.txt", "CVE-1"));
	assert_null(find(&out, "Lodash", "/c/package-lock.json", "CVE-2"));
	m = find(&out, "golang.org/x/net", "/usr/local/bin/app", "CVE-3");
	assert_non_null(m);
	m = find(&out, "github.com/old/lib", "/usr/local/bin/app", "GO-2");
	assert_non_null(m);
	assert_int_equal(m->state, RS_VULN_UNFIXED);
	assert_string_equal(m->fixed, "");
	assert_non_null(find(&out, "Symfony/Yaml", "/d/composer.lock", "CVE-4"));
	assert_non_null(find(&out, "Symfony/Yaml", "/d/composer.lock", "CVE-5"));
	m = find(&out, "stdlib", "/usr/local/bin/app", "CVE-7");
	assert_non_null(m);
	assert_string_equal(m->fixed, "1.20.1");
	assert_null(find(&out, "stdlib", "/usr/local/bin/app", "CVE-8"));
	assert_non_null(find(&out, "stdlib", "/usr/local/bin/tool", "CVE-8"));
	assert_null(find(&out, "stdlib", "/usr/local/bin/tool", "CVE-7"));
	assert_int_equal(out.len, 8);
	/* the keys of the inventory keep exactly the records that can match */
	rs_app_keys keys;
	rs_app_keys_init(&keys, &pkgs);
	assert_true(rs_app_keys_has(&keys, "PyPI", "Jinja2"));
	assert_true(rs_app_keys_has(&keys, "Packagist", "SYMFONY/YAML"));
	assert_false(rs_app_keys_has(&keys, "npm", "LODASH"));
	assert_false(rs_app_keys_has(&keys, "Debian:12", "jinja2"));
	assert_false(rs_app_keys_has(&keys, NULL, "x"));
	rs_app_keys_free(&keys);
	rs_app_matches_free(&out);
	for (size_t i = 0; i < recs.len; i++)
		rs_vuln_record_free(rs_vec_at(&recs, i));
	rs_vec_free(&recs);
	for (size_t i = 0; i < pkgs.len; i++) {
		rs_app_package *p = rs_vec_at(&pkgs, i);
		free(p->ecosystem);
		free(p->name);
		free(p->version);
		free(p->source);
		free(p->application);
	}
	rs_vec_free(&pkgs);
}

static void free_pkgs(rs_vec *pkgs)
{
	for (size_t i = 0; i < pkgs->len; i++) {
		rs_app_package *p = rs_vec_at(pkgs, i);
		free(p->ecosystem);
		free(p->name);
		free(p->version);
		free(p->source);
		free(p->application);
	}
	rs_vec_free(pkgs);
}

/* 5,000 libraries (a name's versions listed together, as the inventory
 * sorts them) in two shares give exactly the matches of one thread. */
static void test_match_threads(void **state)
{
	(void)state;
	rs_vec pkgs, recs, one, two;
	rs_vec_init(&pkgs, sizeof(rs_app_package));
	rs_vec_init(&recs, sizeof(rs_vuln_record));
	rs_vec_init(&one, sizeof(rs_app_match));
	rs_vec_init(&two, sizeof(rs_app_match));
	char longname[400];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0'; /* a key longer than the lookup buffer */
	for (int i = 0; i < 5000; i++) {
		char name[32], version[32], source[64];
		snprintf(name, sizeof(name), "Lib_%d", i / 4);
		snprintf(version, sizeof(version), "1.%d.%d", i % 4, i % 7);
		snprintf(source, sizeof(source), "/srv/a%d/requirements.txt", i);
		add_pkg(&pkgs, i % 2 ? "PyPI" : "npm", i % 500 == 3 ? longname : name, version, source);
	}
	for (int i = 0; i < 1200; i++) {
		char id[32], cve[32], name[32], fixed[32];
		snprintf(id, sizeof(id), "GHSA-%d", i);
		snprintf(cve, sizeof(cve), "CVE-2099-%d", i % 900);
		/* PyPI "lib-N" is the libraries' "Lib_N" under PEP 503; npm names are exact */
		snprintf(name, sizeof(name), i % 3 ? "lib-%d" : "Lib_%d", i % 1250);
		snprintf(fixed, sizeof(fixed), "1.%d.0", i % 5);
		add_rec(&recs, id, i % 3 ? "PyPI" : "npm", name, cve, "0", fixed, NULL);
	}
	add_rec(&recs, "GHSA-long", "PyPI", longname, "CVE-2099-9999", "0", "9.0", NULL);
	add_rec(&recs, "GHSA-long-npm", "npm", longname, "", "1.0.0", NULL, "1.3.9");
	unsigned long u1 = 0, u2 = 0;
	rs_app_match_all(&pkgs, &recs, &one, &u1);
	rs_app_match_threads(&pkgs, &recs, &two, &u2, 2);
	assert_true(one.len > 500);
	assert_int_equal(one.len, two.len);
	assert_int_equal(u1, u2);
	bool long_seen = false;
	for (size_t i = 0; i < one.len; i++) {
		const rs_app_match *a = rs_vec_at(&one, i), *b = rs_vec_at(&two, i);
		assert_ptr_equal(a->pkg, b->pkg);
		assert_string_equal(a->id, b->id);
		assert_string_equal(a->record, b->record);
		assert_string_equal(a->fixed, b->fixed);
		assert_int_equal(a->state, b->state);
		long_seen |= !strcmp(a->record, "GHSA-long") || !strcmp(a->record, "GHSA-long-npm");
	}
	assert_true(long_seen);
	rs_app_keys keys;
	rs_app_keys_init(&keys, &pkgs);
	assert_true(rs_app_keys_has(&keys, "PyPI", longname));
	assert_true(rs_app_keys_has(&keys, "PyPI", "lib-1"));
	assert_false(rs_app_keys_has(&keys, "npm", "lib-1")); /* npm names are exact: "Lib_1" */
	rs_app_keys_free(&keys);
	rs_app_matches_free(&one);
	rs_app_matches_free(&two);
	for (size_t i = 0; i < recs.len; i++)
		rs_vuln_record_free(rs_vec_at(&recs, i));
	rs_vec_free(&recs);
	free_pkgs(&pkgs);
}

/* The texts of a finding: title, remediation with the ecosystem's command,
 * references; a "%" in a name is kept as it is. */
static void test_finding_texts(void **state)
{
	(void)state;
	rs_app_package p = { .ecosystem = "npm", .name = "lo%sdash", .version = "4.17.0",
			     .source = "/srv/app/package-lock.json", .application = "/srv/app" };
	rs_app_match m = { .pkg = &p, .id = "CVE-2099-1", .record = "GHSA-x", .fixed = "4.17.21", .cvss = 7.5,
			   .state = RS_VULN_AFFECTED };
	rs_finding *f = rs_app_finding(&m);
	assert_string_equal(f->rule, "vuln:CVE-2099-1");
	assert_string_equal(f->title, "lo%sdash 4.17.0 (npm) in /srv/app is affected by CVE-2099-1 (fixed in 4.17.21)");
	assert_string_equal(f->remediation, "Upgrade lo%sdash to 4.17.21 or later in /srv/app (declared in "
					    "/srv/app/package-lock.json): npm install lo%sdash@4.17.21");
	assert_int_equal(f->severity, RS_SEV_HIGH);
	assert_int_equal(json_array_size(f->references), 2);
	assert_string_equal(json_string_value(json_array_get(f->references, 0)),
			    "https://www.cve.org/CVERecord?id=CVE-2099-1");
	assert_string_equal(json_string_value(json_array_get(f->references, 1)), "https://osv.dev/vulnerability/GHSA-x");
	rs_finding_free(f);
	m.state = RS_VULN_UNFIXED;
	m.fixed = "";
	m.id = "GHSA-x";
	p.ecosystem = "Go";
	f = rs_app_finding(&m);
	assert_string_equal(f->title, "lo%sdash 4.17.0 (Go) in /srv/app is affected by GHSA-x (no fix yet)");
	assert_string_equal(f->remediation,
			    "No fixed version of lo%sdash yet; mitigate, or replace the library in /srv/app, and watch GHSA-x");
	assert_int_equal(json_array_size(f->references), 1);
	rs_finding_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_keys),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_match_threads),
		cmocka_unit_test(test_finding_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
