/*
 * test_appinv.c — the application inventory: each reader over small
 * buffers (good, malformed and truncated input: a warning naming the file,
 * and what could be read is kept), JAR/WAR/EAR archives built here with
 * libarchive (nested, bounded depth), ELF binaries built here with a Go
 * .go.buildinfo section and a cargo-auditable .dep-v0 section, and the walk
 * over tests/fixtures/apps (one project per ecosystem, installed trees
 * winning over their lockfiles, test fixtures and links not followed); the
 * same walk with the declaring files read through io_uring and without
 * (RASOAT_IO_URING=0): the same inventory and the same warnings in the same
 * order, over several batches, a FIFO, links, a file larger than the
 * ring reads and one larger than the inventory reads.
 */
#include "testutil.h"
#include "core/host.h"
#include "vuln/appinv.h"
#include "vuln/appinv_read.h"
#include "vuln/appinv_ring.h"
#include "core/log.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static const rs_app_package *find(const rs_app_inventory *inv, const char *eco, const char *name,
				   const char *version)
{
	for (size_t i = 0; i < inv->packages.len; i++) {
		const rs_app_package *p = rs_vec_at(&inv->packages, i);
		if (!strcmp(p->ecosystem, eco) && !strcmp(p->name, name) && (!version || !strcmp(p->version, version)))
			return p;
	}
	return NULL;
}

static size_t count_eco(const rs_app_inventory *inv, const char *eco)
{
	size_t n = 0;
	for (size_t i = 0; i < inv->packages.len; i++)
		n += !strcmp(((const rs_app_package *)rs_vec_at(&inv->packages, i))->ecosystem, eco);
	return n;
}

typedef int (*text_reader)(const char *, size_t, const char *, const char *, rs_app_inventory *);

/* Runs READER over TEXT; returns its result, INV keeps what it found. */
static int read_text(text_reader reader, const char *text, const char *source, rs_app_inventory *inv)
{
	return reader(text, strlen(text), source, "/app", inv);
}

/* ---- npm ---- */

static void test_package_lock(void **state)
{
	(void)state;
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	const char *v1 = "{\"lockfileVersion\":1,\"dependencies\":{\"express\":{\"version\":\"4.17.1\","
			 "\"dependencies\":{\"debug\":{\"version\":\"2.6.9\"}}},\"@s/x\":{\"version\":\"1.0.0\"},"
			 "\"gitdep\":{\"version\":\"git+https://example.invalid/x.git#abc\"},"
			 "\"al\":{\"version\":\"npm:left-pad@1.3.0\"}}}";
	assert_int_equal(read_text(rs_app_read_package_lock, v1, "/app/package-lock.json", &inv), 0);
	assert_non_null(find(&inv, "npm", "express", "4.17.1"));
	assert_non_null(find(&inv, "npm", "debug", "2.6.9"));
	assert_non_null(find(&inv, "npm", "@s/x", "1.0.0"));
	assert_non_null(find(&inv, "npm", "left-pad", "1.3.0"));
	assert_null(find(&inv, "npm", "gitdep", NULL));
	assert_int_equal(inv.packages.len, 4);
	const rs_app_package *p = find(&inv, "npm", "express", NULL);
	assert_string_equal(p->source, "/app/package-lock.json");
	assert_string_equal(p->application, "/app");
	rs_app_inventory_free(&inv);

	rs_app_inventory_init(&inv);
	const char *v2 = "{\"lockfileVersion\":2,\"packages\":{\"\":{\"name\":\"root\",\"version\":\"1.0.0\"},"
			 "\"node_modules/a\":{\"version\":\"1.0.0\"},"
			 "\"node_modules/a/node_modules/@scope/b\":{\"version\":\"2.0.0\"},"
			 "\"node_modules/ws\":{\"resolved\":\"packages/ws\",\"link\":true},"
			 "\"packages/ws\":{\"name\":\"ws\",\"version\":\"0.1.0\"}},"
			 "\"dependencies\":{\"a\":{\"version\":\"1.0.0\"},\"stale\":{\"version\":\"9.0.0\"}}}";
	assert_int_equal(read_text(rs_app_read_package_lock, v2, "l.json", &inv), 0);
	assert_non_null(find(&inv, "npm", "a", "1.0.0"));
	assert_non_null(find(&inv, "npm", "@scope/b", "2.0.0"));
	assert_null(find(&inv, "npm", "root", NULL));
	assert_null(find(&inv, "npm", "ws", NULL));
	assert_null(find(&inv, "npm", "stale", NULL)); /* v2: packages wins over the v1 tree */
	rs_app_inventory_free(&inv);

	/* truncated: a warning naming the file */
	rs_app_inventory_init(&inv);
	rs_test_capture_start();
	assert_int_equal(read_text(rs_app_read_package_lock, "{\"lockfileVersion\":3,\"packages\":{\"node_mod",
				   "/srv/web/package-lock.json", &inv), -1);
	assert_true(rs_test_captured_contains("/srv/web/package-lock.json: not JSON"));
	assert_int_equal(read_text(rs_app_read_package_lock, "[1,2]", "/srv/x/package-lock.json", &inv), -1);
	assert_true(rs_test_captured_contains("/srv/x/package-lock.json: neither"));
	rs_test_capture_stop();
	assert_int_equal(inv.problems, 2);
	assert_int_equal(inv.packages.len, 0);
	rs_app_inventory_free(&inv);
}

static void test_npm_manifest(void **state)
{
	(void)state;
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	assert_int_equal(read_text(rs_app_read_npm_manifest, "{\"name\":\"@s/x\",\"version\":\"1.2.3\"}", "m", &inv), 0);
	assert_int_equal(read_text(rs_app_read_npm_manifest, "{\"type\":\"module\"}", "m2", &inv), 0);
	rs_test_capture_start();
	assert_int_equal(read_text(rs_app_read_npm_manifest, "{\"name\":\"x\",", "/n/package.json", &inv), -1);
	assert_true(rs_test_captured_contains("/n/package.json: not JSON"));
	rs_test_capture_stop();
	assert_int_equal(inv.packages.len, 1);
	assert_non_null(find(&inv, "npm", "@s/x", "1.2.3"));
	rs_app_inventory_free(&inv);
}

static void test_yarn_lock(void **state)
{
	(void)state;
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	const char *v1 = "# yarn lockfile v1\n\n\n"
			 "\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\r\n"
			 "  version \"7.12.13\"\r\n  dependencies:\r\n    \"@babel/highlight\" \"^7.12.13\"\r\n\r\n"
			 "lodash@^4.17.21, lodash@^4.17.4:\n  version \"4.17.21\"\n\n"
			 "alias@npm:left-pad@^1.3.0:\n  version \"1.3.0\"\n\n"
			 "local@file:../local:\n  version \"0.1.0\"\n\n"
			 "gh@github:user/gh#abc:\n  version \"0.0.1\"\n";
	assert_int_equal(read_text(rs_app_read_yarn_lock, v1, "yarn.lock", &inv), 0);
	assert_non_null(find(&inv, "npm", "@babel/code-frame", "7.12.13"));
	assert_non_null(find(&inv, "npm", "lodash", "4.17.21"));
	assert_non_null(find(&inv, "npm", "left-pad", "1.3.0"));
	assert_null(find(&inv, "npm", "@babel/highlight", NULL));
	assert_int_equal(inv.packages.len, 3);
	rs_app_inventory_free(&inv);

	rs_app_inventory_init(&inv);
	const char *berry = "__metadata:\n  version: 6\n  cacheKey: 8\n\n"
			    "\"app@workspace:.\":\n  version: 0.0.0-use.local\n\n"
			    "\"minimist@npm:^1.2.0, minimist@npm:^1.2.5\":\n  version: 1.2.8\n"
			    "  resolution: \"minimist@npm:1.2.8\"\n\n"
			    "\"resolve@patch:resolve@^1.1.7#~builtin<compat/resolve>\":\n  version: 1.22.1\n\n"
			    "\"@types/node@npm:*\":\n  version: 18.11.9\n";
	assert_int_equal(read_text(rs_app_read_yarn_lock, berry, "yarn.lock", &inv), 0);
	assert_non_null(find(&inv, "npm", "minimist", "1.2.8"));
	assert_non_null(find(&inv, "npm", "@types/node", "18.11.9"));
	assert_int_equal(inv.packages.len, 2);
	rs_app_inventory_free(&inv);

	/* truncated after a key: the entries before it are kept */
	rs_app_inventory_init(&inv);
	rs_test_capture_start();
	assert_int_equal(read_text(rs_app_read_yarn_lock, "# yarn lockfile v1\n\na@^1:\n  version \"1.0.0\"\n\nb@^2:\n",
				   "/p/yarn.lock", &inv), -1);
	assert_true(rs_test_captured_contains("/p/yarn.lock: 1 entry without a version"));
	rs_test_capture_stop();
	assert_non_null(find(&inv, "npm", "a", "1.0.0"));
	rs_app_inventory_free(&inv);
}

static void test_pnpm_lock(void **state)
{
	(void)state;
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	const char *v9 = "lockfileVersion: '9.0'\npackages:\n  '@babel/runtime@7.23.2':\n    resolution: {integrity: x}\n"
			 "  react-dom@18.2.0:\n    resolution: {integrity: y}\nsnapshots:\n"
			 "  react-dom@18.2.0(react@18.2.0):\n    dependencies: {}\n";
	assert_int_equal(read_text(rs_app_read_pnpm_lock, v9, "pnpm-lock.yaml", &inv), 0);
	assert_non_null(find(&inv, "npm", "@babel/runtime", "7.23.2"));
	assert_non_null(find(&inv, "npm", "react-dom", "18.2.0"));
	assert_int_equal(inv.packages.len, 2);
	const char *v6 = "lockfileVersion: '6.0'\npackages:\n  /ms@2.1.3:\n    dev: false\n"
			 "  /@vue/shared@3.3.4(typescript@5.2.2):\n    dev: true\n"
			 "  /t@file:x.tgz:\n    name: tball\n    version: 1.0.0\n  /l@link:../l:\n    dev: false\n";
	assert_int_equal(read_text(rs_app_read_pnpm_lock, v6, "pnpm-lock.yaml", &inv), 0);
	assert_non_null(find(&inv, "npm", "ms", "2.1.3"));
	assert_non_null(find(&inv, "npm", "@vue/shared", "3.3.4"));
	assert_non_null(find(&inv, "npm", "tball", "1.0.0"));
	const char *v5 = "lockfileVersion: 5.4\npackages:\n  /ms/2.1.2:\n    dev: false\n"
			 "  /@babel/core/7.12.3_supports-color@5.5.0:\n    dev: false\n";
	assert_int_equal(read_text(rs_app_read_pnpm_lock, v5, "pnpm-lock.yaml", &inv), 0);
	assert_non_null(find(&inv, "npm", "ms", "2.1.2"));
	assert_non_null(find(&inv, "npm", "@babel/core", "7.12.3"));
	assert_int_equal(inv.packages.len, 7);
	rs_test_capture_start();
	assert_int_equal(read_text(rs_app_read_pnpm_lock, "lockfileVersion: '9.0'\npackages:\n  'a@1':\n    x: [",
				   "/q/pnpm-lock.yaml", &inv), -1);
	assert_true(rs_test_captured_contains("/q/pnpm-lock.yaml: not YAML"));
	assert_int_equal(read_text(rs_app_read_pnpm_lock, "a: b\n", "/r/pnpm-lock.yaml", &inv), -1);
	assert_true(rs_test_captured_contains("/r/pnpm-lock.yaml: no lockfileVersion"));
	rs_test_capture_stop();
	rs_app_inventory_free(&inv);
}

/* ---- PyPI ---- */

static void test_python(void **state)
{
	(void)state;
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	assert_int_equal(read_text(rs_app_read_py_metadata,
				   "Metadata-Version: 2.1\r\nName: Zope.Interface\r\nVersion: 6.0\r\n\r\nName: body\n",
				   "METADATA", &inv), 0);
	assert_non_null(find(&inv, "PyPI", "zope-interface", "6.0"));
	rs_test_capture_start();
	assert_int_equal(read_text(rs_app_read_py_metadata, "Metadata-Version: 2.1\nName: x", "/v/x.dist-info/METADATA",
				   &inv), -1);
	assert_true(rs_test_captured_contains("/v/x.dist-info/METADATA: no Name or Version"));
	rs_test_capture_stop();

	const char *req = "# c\nDjango==4.2.7\nrequests[security] == 2.25.1 ; python_version >= \"3\"\n"
			  "flask>=2.0\n-r other.txt\n-e git+https://x/y.git#egg=y\nnumpy==1.26.*\n"
			  "Jinja2===3.1.2  --hash=sha256:abc\nbad name==1\n";
	assert_int_equal(read_text(rs_app_read_requirements, req, "requirements.txt", &inv), 0);
	assert_non_null(find(&inv, "PyPI", "django", "4.2.7"));
	assert_non_null(find(&inv, "PyPI", "requests", "2.25.1"));
	assert_non_null(find(&inv, "PyPI", "jinja2", "3.1.2"));
	assert_null(find(&inv, "PyPI", "flask", NULL));
	assert_null(find(&inv, "PyPI", "numpy", NULL));
	assert_int_equal(inv.packages.len, 4);

	const char *poetry = "[[package]]\nname = \"Certifi\"\nversion = \"2023.7.22\"\nfiles = [\n]\n\n"
			     "[[package]]\nname = \"mylib\"\nversion = \"0.1.0\"\n\n[package.source]\ntype = \"directory\"\n"
			     "url = \"../mylib\"\n\n[[package]]\nname = \"urllib3\"\nversion = \"2.0.7\"\n\n"
			     "[package.extras]\nbrotli = [\"x\"]\n\n[metadata]\nlock-version = \"2.0\"\n";
	assert_int_equal(read_text(rs_app_read_poetry_lock, poetry, "poetry.lock", &inv), 0);
	assert_non_null(find(&inv, "PyPI", "certifi", "2023.7.22"));
	assert_non_null(find(&inv, "PyPI", "urllib3", "2.0.7"));
	assert_null(find(&inv, "PyPI", "mylib", NULL));
	rs_test_capture_start();
	assert_int_equal(read_text(rs_app_read_poetry_lock, "[[package]]\nname = \"idna\"\nversion = \"3.4\"\n\n[[package]]\nna",
				   "/p/poetry.lock", &inv), -1);
	assert_true(rs_test_captured_contains("/p/poetry.lock: has a [[package]] table without name or version"));
	rs_test_capture_stop();
	assert_non_null(find(&inv, "PyPI", "idna", "3.4"));

	const char *pipfile = "{\"default\":{\"Idna\":{\"version\":\"==3.5\"},\"g\":{\"git\":\"x\"}},"
			      "\"develop\":{\"black\":{\"version\":\"==23.1.0\"}}}";
	assert_int_equal(read_text(rs_app_read_pipfile_lock, pipfile, "Pipfile.lock", &inv), 0);
	assert_non_null(find(&inv, "PyPI", "idna", "3.5"));
	assert_non_null(find(&inv, "PyPI", "black", "23.1.0"));
	rs_test_capture_start();
	assert_int_equal(read_text(rs_app_read_pipfile_lock, "{\"default\":{", "/p/Pipfile.lock", &inv), -1);
	assert_true(rs_test_captured_contains("/p/Pipfile.lock: not JSON"));
	rs_test_capture_stop();
	rs_app_inventory_free(&inv);

	char *n = rs_app_pep503("Foo__Bar.-baz");
	assert_string_equal(n, "foo-bar-baz");
	free(n);
}

/* ---- Packagist, RubyGems, crates.io ---- */

static void test_php_ruby_rust(void **state)
{
	(void)state;
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	assert_int_equal(read_text(rs_app_read_composer_lock,
				   "{\"packages\":[{\"name\":\"monolog/monolog\",\"version\":\"2.9.1\"},"
				   "{\"name\":\"a/b\",\"version\":\"dev-main\"}],"
				   "\"packages-dev\":[{\"name\":\"phpunit/phpunit\",\"version\":\"10.4.1\"}]}",
				   "composer.lock", &inv), 0);
	assert_non_null(find(&inv, "Packagist", "monolog/monolog", "2.9.1"));
	assert_non_null(find(&inv, "Packagist", "phpunit/phpunit", "10.4.1"));
	assert_null(find(&inv, "Packagist", "a/b", NULL));
	assert_int_equal(read_text(rs_app_read_composer_installed, "[{\"name\":\"laravel/framework\",\"version\":\"v8.83.27\"}]",
				   "installed.json", &inv), 0);
	assert_int_equal(read_text(rs_app_read_composer_installed,
				   "{\"packages\":[{\"name\":\"psr/log\",\"version\":\"3.0.0\"}],\"dev\":true}",
				   "installed.json", &inv), 0);
	assert_non_null(find(&inv, "Packagist", "laravel/framework", "v8.83.27"));
	assert_non_null(find(&inv, "Packagist", "psr/log", "3.0.0"));
	rs_test_capture_start();
	assert_int_equal(read_text(rs_app_read_composer_lock, "{\"packages\":[{\"name\":", "/w/composer.lock", &inv), -1);
	assert_true(rs_test_captured_contains("/w/composer.lock: not JSON"));
	rs_test_capture_stop();

	const char *gemlock = "GIT\n  remote: x\n  specs:\n    mygem (0.1.0)\n\nGEM\n  remote: https://rubygems.org/\n"
			      "  specs:\n    actionpack (7.0.4)\n      rack (~> 2.0)\n    nokogiri (1.13.10-x86_64-linux)\n"
			      "    rack (2.2.4)\n    broken\n\nPLATFORMS\n  ruby\n";
	rs_test_capture_start();
	assert_int_equal(read_text(rs_app_read_gemfile_lock, gemlock, "/g/Gemfile.lock", &inv), -1);
	assert_true(rs_test_captured_contains("/g/Gemfile.lock: 1 spec line"));
	rs_test_capture_stop();
	assert_non_null(find(&inv, "RubyGems", "actionpack", "7.0.4"));
	assert_non_null(find(&inv, "RubyGems", "nokogiri", "1.13.10"));
	assert_non_null(find(&inv, "RubyGems", "rack", "2.2.4"));
	assert_null(find(&inv, "RubyGems", "mygem", NULL));
	assert_int_equal(count_eco(&inv, "RubyGems"), 3);
	assert_int_equal(read_text(rs_app_read_gemspec, "Gem::Specification.new do |s|\n  s.name = \"rake\".freeze\n"
				   "  s.version = \"13.0.6\"\nend\n", "rake.gemspec", &inv), 0);
	assert_non_null(find(&inv, "RubyGems", "rake", "13.0.6"));

	const char *cargo = "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n"
			    "[[package]]\nname = \"serde\"\nversion = \"1.0.190\"\n"
			    "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n"
			    "[[package]]\nname = \"itoa\"\nversion = \"1.0.9\"\nsource = \"sparse+https://index.crates.io/\"\n\n"
			    "[[package]]\nname = \"g\"\nversion = \"0.3.0\"\nsource = \"git+https://x/g#1\"\n";
	assert_int_equal(read_text(rs_app_read_cargo_lock, cargo, "Cargo.lock", &inv), 0);
	assert_non_null(find(&inv, "crates.io", "serde", "1.0.190"));
	assert_non_null(find(&inv, "crates.io", "itoa", "1.0.9"));
	assert_int_equal(count_eco(&inv, "crates.io"), 2);
	rs_test_capture_start();
	assert_int_equal(read_text(rs_app_read_cargo_lock, "just text\n", "/c/Cargo.lock", &inv), -1);
	assert_true(rs_test_captured_contains("/c/Cargo.lock: has no [[package]] table"));
	rs_test_capture_stop();
	rs_app_inventory_free(&inv);
}

/* ---- ELF: Go build info and cargo-auditable ---- */

static void put(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

typedef struct elf_section {
	const char *name;
	const void *data;
	size_t len;
	uint64_t addr;
} elf_section;

/* A minimal little-endian ELF64 with the sections SECS (and .shstrtab). */
static unsigned char *make_elf_n(const elf_section *secs, size_t n, size_t *out_len)
{
	char strtab[256];
	size_t name_off[8], strtab_len = 1, data_off[8], pos = 64;
	strtab[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		name_off[i] = strtab_len;
		memcpy(strtab + strtab_len, secs[i].name, strlen(secs[i].name) + 1);
		strtab_len += strlen(secs[i].name) + 1;
		data_off[i] = pos;
		pos += secs[i].len;
	}
	size_t shstr_name = strtab_len;
	memcpy(strtab + strtab_len, ".shstrtab", 10);
	strtab_len += 10;
	size_t str_off = pos, sh_off = (str_off + strtab_len + 7) & ~(size_t)7;
	size_t total = sh_off + (n + 2) * 64;
	unsigned char *b = calloc(1, total);
	memcpy(b, "\x7f" "ELF\x02\x01\x01", 7);
	put(b + 16, 2, 2);
	put(b + 18, 62, 2);
	put(b + 20, 1, 4);
	put(b + 40, sh_off, 8);
	put(b + 52, 64, 2);
	put(b + 54, 56, 2);
	put(b + 58, 64, 2);
	put(b + 60, n + 2, 2);
	put(b + 62, n + 1, 2);
	for (size_t i = 0; i < n; i++) {
		memcpy(b + data_off[i], secs[i].data, secs[i].len);
		unsigned char *sh = b + sh_off + (i + 1) * 64;
		put(sh, name_off[i], 4);
		put(sh + 4, 1, 4); /* PROGBITS */
		put(sh + 16, secs[i].addr, 8);
		put(sh + 24, data_off[i], 8);
		put(sh + 32, secs[i].len, 8);
	}
	memcpy(b + str_off, strtab, strtab_len);
	unsigned char *sh = b + sh_off + (n + 1) * 64;
	put(sh, shstr_name, 4);
	put(sh + 4, 3, 4); /* STRTAB */
	put(sh + 24, str_off, 8);
	put(sh + 32, strtab_len, 8);
	*out_len = total;
	return b;
}

/* A minimal little-endian ELF64 with one section NAME holding DATA. */
static unsigned char *make_elf(const char *name, const void *data, size_t len, size_t *out_len)
{
	elf_section s = { name, data, len, 0 };
	return make_elf_n(&s, 1, out_len);
}

static const char go_modinfo[] = "path\texample.com/app\n"
				 "mod\texample.com/app\t(devel)\t\n"
				 "dep\tgithub.com/gin-gonic/gin\tv1.9.1\th1:abc=\n"
				 "dep\tgolang.org/x/net\tv0.10.0\th1:x=\n"
				 "=>\tgolang.org/x/net\tv0.17.0\th1:y=\n"
				 "dep\texample.com/local\tv0.0.0\n"
				 "=>\t../local\t\t\n"
				 "build\t-compiler=gc\n";

/* The .go.buildinfo section of Go 1.18+: header, then varint-prefixed version and modinfo. */
static unsigned char *make_buildinfo(size_t *len)
{
	rs_buf b;
	rs_buf_init(&b);
	char header[32] = "\xff Go buildinf:";
	header[14] = 8;
	header[15] = 2;
	rs_buf_append(&b, header, 32);
	const char *version = "go1.21.5";
	char n = (char)strlen(version);
	rs_buf_append(&b, &n, 1);
	rs_buf_puts(&b, version);
	size_t mlen = 16 + strlen(go_modinfo) + 16;
	char v[2] = { (char)(0x80 | (mlen & 0x7f)), (char)(mlen >> 7) };
	rs_buf_append(&b, v, 2);
	rs_buf_append(&b, "0w\xaf\x0c\x92t\x08\x02" "A\xe1\xc1\x07\xe6\xd6\x18\xe6", 16);
	rs_buf_puts(&b, go_modinfo);
	rs_buf_append(&b, "\xf9" "2C1\x86\x18 r\x00\x82" "B\x10" "A\x16\xd8\xf2", 16);
	*len = b.len;
	return (unsigned char *)rs_buf_take(&b);
}

static const char dep_json[] = "{\"packages\":[{\"name\":\"app\",\"version\":\"0.1.0\",\"source\":\"local\",\"root\":true},"
			       "{\"name\":\"serde\",\"version\":\"1.0.190\",\"source\":\"crates.io\"},"
			       "{\"name\":\"g\",\"version\":\"0.1.0\",\"source\":\"git\"}]}";

static unsigned char *make_dep_v0(size_t *len)
{
	uLongf cap = compressBound(sizeof(dep_json));
	unsigned char *z = malloc(cap);
	assert_int_equal(compress2(z, &cap, (const Bytef *)dep_json, strlen(dep_json), 9), Z_OK);
	*len = cap;
	return z;
}

static void test_elf(void **state)
{
	(void)state;
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	size_t bi_len, elf_len;
	unsigned char *bi = make_buildinfo(&bi_len);
	unsigned char *elf = make_elf(".go.buildinfo", bi, bi_len, &elf_len);
	rs_app_elf f = { .fd = -1, .data = elf, .size = elf_len };
	assert_int_equal(rs_app_read_elf(&f, "/opt/bin/app", "/opt/bin/app", &inv), 1);
	assert_non_null(find(&inv, "Go", "github.com/gin-gonic/gin", "v1.9.1"));
	assert_non_null(find(&inv, "Go", "golang.org/x/net", "v0.17.0"));
	assert_non_null(find(&inv, "Go", "stdlib", "1.21.5"));
	assert_null(find(&inv, "Go", "golang.org/x/net", "v0.10.0"));
	assert_null(find(&inv, "Go", "example.com/app", NULL));
	assert_null(find(&inv, "Go", "example.com/local", NULL));
	assert_int_equal(inv.packages.len, 3);

	/* truncated inside the module information */
	rs_test_capture_start();
	assert_int_equal(rs_app_read_go_buildinfo(bi, 50, "/opt/bin/cut", "/opt/bin/cut", &inv), -1);
	assert_true(rs_test_captured_contains("/opt/bin/cut: the .go.buildinfo section ends inside its strings"));
	/* section headers pointing past the end of the file */
	unsigned char *bad = malloc(elf_len);
	memcpy(bad, elf, elf_len);
	put(bad + 40, elf_len - 10, 8);
	rs_app_elf g = { .fd = -1, .data = bad, .size = elf_len };
	assert_int_equal(rs_app_read_elf(&g, "/opt/bin/bad", "/opt/bin/bad", &inv), 0);
	rs_app_elf h = { .fd = -1, .data = elf, .size = 100 };
	assert_int_equal(rs_app_read_elf(&h, "/opt/bin/short", "/opt/bin/short", &inv), 0);
	rs_test_capture_stop();
	free(bad);
	free(elf);
	free(bi);

	/* Go before 1.18: the header points at two Go strings in .rodata */
	rs_app_inventory_free(&inv);
	rs_app_inventory_init(&inv);
	const uint64_t ro = 0x500000, bi_addr = 0x600000;
	unsigned char rodata[1024] = { 0 };
	const char *ver = "go1.16.15";
	size_t mod_len = 16 + strlen(go_modinfo) + 16;
	put(rodata, ro + 64, 8); /* version string header: data, len */
	put(rodata + 8, strlen(ver), 8);
	put(rodata + 16, ro + 128, 8); /* modinfo string header */
	put(rodata + 24, mod_len, 8);
	memcpy(rodata + 64, ver, strlen(ver));
	memset(rodata + 128, 'S', 16);
	memcpy(rodata + 144, go_modinfo, strlen(go_modinfo));
	memset(rodata + 144 + strlen(go_modinfo), 'E', 16);
	unsigned char old_bi[32] = "\xff Go buildinf:";
	old_bi[14] = 8;
	old_bi[15] = 0;
	put(old_bi + 16, ro, 8);
	put(old_bi + 24, ro + 16, 8);
	elf_section old_secs[] = { { ".rodata", rodata, sizeof(rodata), ro }, { ".go.buildinfo", old_bi, 32, bi_addr } };
	elf = make_elf_n(old_secs, 2, &elf_len);
	rs_app_elf o = { .fd = -1, .data = elf, .size = elf_len };
	assert_int_equal(rs_app_read_elf(&o, "/opt/bin/old", "/opt/bin/old", &inv), 1);
	assert_non_null(find(&inv, "Go", "github.com/gin-gonic/gin", "v1.9.1"));
	assert_non_null(find(&inv, "Go", "golang.org/x/net", "v0.17.0"));
	assert_non_null(find(&inv, "Go", "stdlib", "1.16.15"));
	assert_int_equal(inv.packages.len, 3);
	free(elf);
	/* a pointer outside every section */
	put(old_bi + 24, 0x900000, 8);
	elf = make_elf_n(old_secs, 2, &elf_len);
	rs_app_elf o2 = { .fd = -1, .data = elf, .size = elf_len };
	rs_test_capture_start();
	assert_int_equal(rs_app_read_elf(&o2, "/opt/bin/old2", "/opt/bin/old2", &inv), -1);
	assert_true(rs_test_captured_contains("/opt/bin/old2: the Go build info points outside the binary's sections"));
	rs_test_capture_stop();
	free(elf);

	size_t z_len;
	unsigned char *z = make_dep_v0(&z_len);
	elf = make_elf(".dep-v0", z, z_len, &elf_len);
	rs_app_elf r = { .fd = -1, .data = elf, .size = elf_len };
	assert_int_equal(rs_app_read_elf(&r, "/opt/bin/rs", "/opt/bin/rs", &inv), 1);
	assert_non_null(find(&inv, "crates.io", "serde", "1.0.190"));
	assert_int_equal(count_eco(&inv, "crates.io"), 1);
	rs_test_capture_start();
	assert_int_equal(rs_app_read_cargo_auditable(z, z_len / 2, "/opt/bin/half", "/opt/bin/half", &inv), -1);
	assert_true(rs_test_captured_contains("/opt/bin/half: the .dep-v0 section is not complete zlib data"));
	rs_test_capture_stop();
	free(elf);
	free(z);
	rs_app_inventory_free(&inv);
}

/* ---- JAR, WAR, EAR ---- */

typedef struct zip_member {
	const char *name;
	const void *data;
	size_t len;
} zip_member;

static unsigned char *make_zip(const zip_member *m, size_t n, size_t *len)
{
	size_t cap = 1 << 20;
	unsigned char *buf = malloc(cap);
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	size_t used = 0;
	assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)m[i].len);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, m[i].data, m[i].len), (la_ssize_t)m[i].len);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	*len = used;
	return buf;
}

static zip_member text_member(const char *name, const char *text)
{
	zip_member m = { name, text, strlen(text) };
	return m;
}

/* An EAR holding a WAR holding two JARs, one holding a JAR of its own (too deep). */
static unsigned char *make_ear(size_t *len)
{
	size_t deep_len, lib_len, osgi_len, war_len;
	zip_member deep[] = { text_member("META-INF/maven/org.deep/deep/pom.properties",
					  "groupId=org.deep\nartifactId=deep\nversion=9.9\n") };
	unsigned char *deep_jar = make_zip(deep, 1, &deep_len);
	zip_member lib[] = {
		text_member("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nBundle-SymbolicName: ignored.when.pom\r\n"
						    "Bundle-Version: 0.0.1\r\n"),
		text_member("META-INF/maven/org.example/lib/pom.properties",
			    "#Generated by Maven\ngroupId=org.example\nartifactId=lib\nversion=1.2.3\n"),
		{ "lib/deep.jar", deep_jar, deep_len },
	};
	unsigned char *lib_jar = make_zip(lib, 3, &lib_len);
	zip_member osgi[] = { text_member("META-INF/MANIFEST.MF",
					  "Manifest-Version: 1.0\r\nBundle-SymbolicName: org.apache.felix.\r\n"
					  " framework;singleton:=true\r\nBundle-Version: 7.0.5\r\n\r\n") };
	unsigned char *osgi_jar = make_zip(osgi, 1, &osgi_len);
	size_t extra_len;
	zip_member extra[] = { text_member("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nBundle-SymbolicName: com.acme.lib-extra\n"
								   "Bundle-Version: 1.4\n") };
	unsigned char *extra_jar = make_zip(extra, 1, &extra_len);
	zip_member war[] = {
		{ "WEB-INF/lib/lib-extra-1.4.jar", extra_jar, extra_len },
		text_member("WEB-INF/classes/App.class", "\xca\xfe\xba\xbe"),
		{ "WEB-INF/lib/lib-1.2.3.jar", lib_jar, lib_len },
		{ "WEB-INF/lib/felix.jar", osgi_jar, osgi_len },
		text_member("META-INF/maven/com.acme/app/pom.properties", "groupId=com.acme\nartifactId=app\nversion=2.0\n"),
		text_member("META-INF/maven/com.acme/broken/pom.properties", "groupId=com.acme\n"),
	};
	unsigned char *war_zip = make_zip(war, 6, &war_len);
	zip_member ear[] = { { "app.war", war_zip, war_len } };
	unsigned char *out = make_zip(ear, 1, len);
	free(deep_jar);
	free(lib_jar);
	free(osgi_jar);
	free(extra_jar);
	free(war_zip);
	return out;
}

static void test_jar(void **state)
{
	(void)state;
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	size_t len;
	unsigned char *ear = make_ear(&len);
	rs_test_capture_start();
	assert_int_equal(rs_app_read_jar(ear, len, "/srv/x.ear", "/srv/x.ear", &inv), -1);
	assert_true(rs_test_captured_contains("/srv/x.ear!app.war!META-INF/maven/com.acme/broken/pom.properties: no groupId"));
	rs_test_capture_stop();
	const rs_app_package *p = find(&inv, "Maven", "org.example:lib", "1.2.3");
	assert_non_null(p);
	assert_string_equal(p->source, "/srv/x.ear!app.war!WEB-INF/lib/lib-1.2.3.jar!META-INF/maven/org.example/lib/pom.properties");
	assert_string_equal(p->application, "/srv/x.ear");
	assert_non_null(find(&inv, "Maven", "com.acme:app", "2.0"));
	assert_non_null(find(&inv, "Maven", "org.apache.felix:framework", "7.0.5"));
	assert_non_null(find(&inv, "Maven", "com.acme:lib-extra", "1.4")); /* the artifact from the file name */
	assert_null(find(&inv, "Maven", "org.deep:deep", NULL));   /* nested past the depth bound */
	assert_null(find(&inv, "Maven", "ignored:when", NULL));   /* pom.properties wins over the manifest */
	assert_int_equal(inv.packages.len, 4);

	/* a pom.properties past the size bound: warned about, not read */
	size_t big_len = (2u << 20), zip_len;
	char *big = malloc(big_len);
	memset(big, '#', big_len);
	memcpy(big, "groupId=g\nartifactId=a\nversion=1\n", 33);
	zip_member bigm[] = { { "META-INF/maven/g/a/pom.properties", big, big_len } };
	unsigned char *bigzip = make_zip(bigm, 1, &zip_len);
	rs_test_capture_start();
	assert_int_equal(rs_app_read_jar(bigzip, zip_len, "/srv/big.jar", "/srv/big.jar", &inv), -1);
	assert_true(rs_test_captured_contains("/srv/big.jar!META-INF/maven/g/a/pom.properties: larger than 1048576 bytes"));
	rs_test_capture_stop();
	assert_null(find(&inv, "Maven", "g:a", NULL));
	free(bigzip);
	free(big);

	/* a truncated archive: a warning naming it */
	rs_test_capture_start();
	assert_int_equal(rs_app_read_jar(ear, len / 2, "/srv/cut.ear", "/srv/cut.ear", &inv), -1);
	assert_true(rs_test_captured_contains("/srv/cut.ear"));
	rs_test_capture_stop();
	free(ear);
	rs_app_inventory_free(&inv);
}

/* ---- the walk ---- */

static void write_bytes(const char *dir, const char *rel, const void *data, size_t len, mode_t mode)
{
	rs_test_write(dir, rel, "");
	char *path = rs_sprintf("%s/%s", dir, rel);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	chmod(path, mode);
	free(path);
}

static const rs_app_package *find_src(const rs_app_inventory *inv, const char *eco, const char *name,
				      const char *version, const char *src_suffix, const char *app_suffix)
{
	for (size_t i = 0; i < inv->packages.len; i++) {
		const rs_app_package *p = rs_vec_at(&inv->packages, i);
		if (!strcmp(p->ecosystem, eco) && !strcmp(p->name, name) && !strcmp(p->version, version) &&
		    rs_ends_with(p->source, src_suffix) && rs_ends_with(p->application, app_suffix))
			return p;
	}
	return NULL;
}

static void test_walk_fixtures(void **state)
{
	(void)state;
	const char *fixtures = getenv("RS_FIXTURES");
	assert_non_null(fixtures);
	char *apps = rs_sprintf("%s/apps", fixtures);
	char *tmp = rs_test_tmpdir();
	/* binaries and archives built here */
	size_t len, elf_len;
	unsigned char *bi = make_buildinfo(&len);
	unsigned char *elf = make_elf(".go.buildinfo", bi, len, &elf_len);
	unsigned char *pad = calloc(1, elf_len + 2048);
	memcpy(pad, elf, elf_len);
	write_bytes(tmp, "opt/goapp/server", pad, elf_len + 2048, 0755);
	write_bytes(tmp, "opt/goapp/notexec", pad, elf_len + 2048, 0644); /* not executable: not read */
	free(pad);
	free(elf);
	free(bi);
	unsigned char *z = make_dep_v0(&len);
	elf = make_elf(".dep-v0", z, len, &elf_len);
	pad = calloc(1, elf_len + 2048);
	memcpy(pad, elf, elf_len);
	write_bytes(tmp, "opt/rsapp/tool", pad, elf_len + 2048, 0755);
	free(pad);
	free(elf);
	free(z);
	unsigned char *ear = make_ear(&len);
	write_bytes(tmp, "srv/java/x.ear", ear, len, 0644);
	write_bytes(tmp, "srv/java/garbage.jar", "PK\x03\x04garbage", 12, 0644);
	free(ear);
	/* a FIFO with a lockfile's name, a link out of the tree: neither is read */
	rs_test_mkdir(tmp, "srv/fifo");
	char *fifo = rs_sprintf("%s/srv/fifo/package-lock.json", tmp);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	free(fifo);
	char *link = rs_sprintf("%s/srv/linked", tmp);
	assert_int_equal(symlink(apps, link), 0);
	free(link);
	/* a METADATA that is a link (to a real one): not followed, warned about */
	rs_test_write(tmp, "srv/py/real/METADATA", "Metadata-Version: 2.1\nName: linkedpkg\nVersion: 1.0\n\n");
	rs_test_mkdir(tmp, "srv/py/venv/lib/python3.11/site-packages/linkedpkg-1.0.dist-info");
	char *target = rs_sprintf("%s/srv/py/real/METADATA", tmp);
	link = rs_sprintf("%s/srv/py/venv/lib/python3.11/site-packages/linkedpkg-1.0.dist-info/METADATA", tmp);
	assert_int_equal(symlink(target, link), 0);
	free(link);
	free(target);
	/* a lockfile larger than the first read buffer (64 KB), then a small one
	 * read into the same buffer */
	rs_buf big;
	rs_buf_init(&big);
	rs_buf_puts(&big, "{\"packages\": [");
	for (int i = 0; i < 1500; i++)
		rs_buf_printf(&big, "%s{\"name\": \"bigvendor/package%d\", \"version\": \"1.%d.0\", \"padding\": \"%s\"}",
			      i ? ", " : "", i, i, "................................");
	rs_buf_puts(&big, "], \"packages-dev\": []}");
	assert_true(big.len > 128 * 1024);
	rs_test_write(tmp, "srv/big/composer.lock", big.data);
	rs_buf_free(&big);
	rs_test_write(tmp, "srv/small/composer.lock",
		      "{\"packages\": [{\"name\": \"smallvendor/one\", \"version\": \"2.0.0\"}]}");

	rs_host host;
	assert_int_equal(rs_host_init(&host, "/", ""), 0);
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	char *apps_twice = rs_sprintf("%s/node", apps); /* inside another directory of the list */
	const char *dirs[] = { apps, tmp, apps_twice, "relative/dir", NULL };
	char err[256] = "";
	rs_test_capture_start();
	assert_int_equal(rs_app_inventory_scan(&host, dirs, &inv, err, sizeof(err)), 0);
	assert_true(rs_test_captured_contains("node/installed/node_modules/broken/package.json: not JSON"));
	assert_true(rs_test_captured_contains("truncated-1.0.dist-info/METADATA: no Name or Version"));
	assert_true(rs_test_captured_contains("srv/java/garbage.jar: not a readable zip archive"));
	assert_true(rs_test_captured_contains("relative/dir: not an absolute path"));
	assert_true(rs_test_captured_contains("linkedpkg-1.0.dist-info/METADATA: cannot be read"));
	rs_test_capture_stop();
	assert_null(find(&inv, "PyPI", "linkedpkg", NULL));
	assert_non_null(find(&inv, "Packagist", "bigvendor/package0", "1.0.0"));
	assert_non_null(find(&inv, "Packagist", "bigvendor/package1499", "1.1499.0"));
	assert_non_null(find(&inv, "Packagist", "smallvendor/one", "2.0.0"));

	/* npm: the lockfile-only project, the installed tree (not its lockfiles, fixtures, dist) */
	assert_non_null(find_src(&inv, "npm", "express", "4.18.2", "lockonly/package-lock.json", "node/lockonly"));
	assert_non_null(find_src(&inv, "npm", "debug", "2.6.9", "lockonly/package-lock.json", "node/lockonly"));
	assert_non_null(find_src(&inv, "npm", "@babel/core", "7.23.0", "lockonly/package-lock.json", "node/lockonly"));
	assert_non_null(find_src(&inv, "npm", "lodash", "4.17.21", "lockonly/package-lock.json", "node/lockonly"));
	assert_non_null(find_src(&inv, "npm", "lodash", "4.17.20", "node_modules/lodash/package.json", "node/installed"));
	assert_non_null(find_src(&inv, "npm", "@types/node", "20.1.0", "node_modules/@types/node/package.json",
				 "node/installed"));
	assert_non_null(find_src(&inv, "npm", "b", "2.0.0", "node_modules/a/node_modules/b/package.json", "node/installed"));
	assert_null(find(&inv, "npm", "notinstalled", NULL));
	assert_null(find(&inv, "npm", "fake", NULL));
	assert_null(find(&inv, "npm", "hidden", NULL));
	assert_non_null(find_src(&inv, "npm", "left-pad", "1.3.0", "yarn1/yarn.lock", "node/yarn1"));
	assert_non_null(find_src(&inv, "npm", "minimist", "1.2.8", "berry/yarn.lock", "node/berry"));
	assert_non_null(find_src(&inv, "npm", "react", "18.2.0", "pnpm9/pnpm-lock.yaml", "node/pnpm9"));
	assert_non_null(find_src(&inv, "npm", "@vue/shared", "3.3.4", "pnpm6/pnpm-lock.yaml", "node/pnpm6"));
	assert_non_null(find_src(&inv, "npm", "@babel/core", "7.12.3", "pnpm5/pnpm-lock.yaml", "node/pnpm5"));
	assert_int_equal(count_eco(&inv, "npm"), 4 + 4 + 3 + 2 + 3 + 3 + 2);
	/* PyPI: the venv's distributions (not setuptools' vendored ones), the locks */
	assert_non_null(find_src(&inv, "PyPI", "requests", "2.31.0", "Requests-2.31.0.dist-info/METADATA", "python/venv"));
	assert_non_null(find_src(&inv, "PyPI", "zope-interface", "6.0", "METADATA", "python/venv"));
	assert_non_null(find_src(&inv, "PyPI", "pyyaml", "5.4", "PyYAML-5.4.egg-info/PKG-INFO", "python/venv"));
	assert_non_null(find_src(&inv, "PyPI", "six", "1.16.0", "six-1.16.0.egg-info", "python/venv"));
	assert_null(find(&inv, "PyPI", "packaging", NULL));
	assert_non_null(find_src(&inv, "PyPI", "django", "4.2.7", "project/requirements.txt", "python/project"));
	assert_non_null(find_src(&inv, "PyPI", "pytest", "7.4.0", "project/requirements-dev.txt", "python/project"));
	assert_non_null(find_src(&inv, "PyPI", "certifi", "2023.7.22", "poetry/poetry.lock", "python/poetry"));
	assert_non_null(find_src(&inv, "PyPI", "black", "23.1.0", "pipenv/Pipfile.lock", "python/pipenv"));
	assert_int_equal(count_eco(&inv, "PyPI"), 4 + 4 + 2 + 2);
	/* Packagist: installed.json wins over composer.lock beside it */
	assert_non_null(find_src(&inv, "Packagist", "guzzlehttp/guzzle", "7.8.0", "vendor/composer/installed.json",
				 "php/installed"));
	assert_null(find(&inv, "Packagist", "guzzlehttp/guzzle", "7.0.0"));
	assert_non_null(find_src(&inv, "Packagist", "symfony/console", "v6.3.4", "lockonly/composer.lock", "php/lockonly"));
	assert_non_null(find_src(&inv, "Packagist", "laravel/framework", "v8.83.27", "installed.json", "php/composer1"));
	assert_int_equal(count_eco(&inv, "Packagist"), 2 + 3 + 1 + 1500 + 1); /* + srv/big, srv/small */
	/* RubyGems, crates.io */
	assert_non_null(find_src(&inv, "RubyGems", "nokogiri", "1.13.10", "app/Gemfile.lock", "ruby/app"));
	assert_non_null(find_src(&inv, "RubyGems", "rake", "13.0.6", "specifications/rake-13.0.6.gemspec", "ruby/gemhome"));
	assert_int_equal(count_eco(&inv, "RubyGems"), 4);
	assert_non_null(find_src(&inv, "crates.io", "serde", "1.0.190", "rust/app/Cargo.lock", "rust/app"));
	assert_non_null(find_src(&inv, "crates.io", "serde", "1.0.190", "opt/rsapp/tool", "opt/rsapp/tool"));
	assert_int_equal(count_eco(&inv, "crates.io"), 2);
	/* Go from the built binary only; Maven from the EAR */
	assert_non_null(find_src(&inv, "Go", "github.com/gin-gonic/gin", "v1.9.1", "opt/goapp/server", "opt/goapp/server"));
	assert_int_equal(count_eco(&inv, "Go"), 3);
	assert_non_null(find_src(&inv, "Maven", "org.example:lib", "1.2.3", "META-INF/maven/org.example/lib/pom.properties",
				 "srv/java/x.ear"));
	assert_int_equal(count_eco(&inv, "Maven"), 4);
	/* every file once: the directory named twice added nothing */
	for (size_t i = 1; i < inv.packages.len; i++) {
		const rs_app_package *a = rs_vec_at(&inv.packages, i - 1), *b = rs_vec_at(&inv.packages, i);
		assert_false(!strcmp(a->ecosystem, b->ecosystem) && !strcmp(a->name, b->name) &&
			     !strcmp(a->version, b->version) && !strcmp(a->source, b->source));
	}
	assert_true(inv.problems >= 4);
	rs_app_inventory_free(&inv);

	/* nothing readable at all: an error */
	rs_app_inventory_init(&inv);
	const char *none[] = { "/nonexistent-appinv-dir", NULL };
	assert_int_equal(rs_app_inventory_scan(&host, none, &inv, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no application directory could be read"));
	rs_app_inventory_free(&inv);

	rs_host_free(&host);
	rs_test_rmrf(tmp);
	free(tmp);
	free(apps_twice);
	free(apps);
}

/* ---- the walk with io_uring and without ---- */

static void log_into(rs_log_level level, const char *message, void *ctx)
{
	rs_buf_printf(ctx, "%d %s\n", (int)level, message);
}

/* The inventory of DIRS with RASOAT_IO_URING=RING as text (every field of
 * every package, then the counts), and the warnings in *WARNINGS. */
static char *inventory_text(const rs_host *host, const char *const *dirs, const char *ring, rs_buf *warnings)
{
	assert_int_equal(setenv("RASOAT_IO_URING", ring, 1), 0);
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	char err[256] = "";
	rs_buf_init(warnings);
	rs_log_set_handler(log_into, warnings);
	assert_int_equal(rs_app_inventory_scan(host, dirs, &inv, err, sizeof(err)), 0);
	rs_log_set_handler(NULL, NULL);
	unsetenv("RASOAT_IO_URING");
	rs_buf out;
	rs_buf_init(&out);
	for (size_t i = 0; i < inv.packages.len; i++) {
		const rs_app_package *p = rs_vec_at(&inv.packages, i);
		rs_buf_printf(&out, "%s|%s|%s|%s|%s\n", p->ecosystem, p->name, p->version, p->source, p->application);
	}
	rs_buf_printf(&out, "files %lu problems %lu packages %zu\n", inv.files_read, inv.problems, inv.packages.len);
	rs_app_inventory_free(&inv);
	return rs_buf_take(&out);
}

static void test_walk_ring_and_plain(void **state)
{
	(void)state;
	char *tmp = rs_test_tmpdir();
	/* 150 distributions in one site-packages (three batches), two of them broken */
	for (int i = 0; i < 150; i++) {
		char *meta = rs_sprintf("srv/a/venv/lib/python3.11/site-packages/pkg%03d-1.%d.dist-info/METADATA", i, i);
		char *text = i == 7 ? rs_strdup("Metadata-Version: 2.1\nName: pkg007\n")
				    : rs_sprintf("Metadata-Version: 2.1\nName: Pkg_%03d\nVersion: 1.%d\n\n", i, i);
		rs_test_write(tmp, meta, text);
		free(text);
		free(meta);
	}
	/* a FIFO and a link in a METADATA's place, a METADATA that is a directory */
	const char *site = "srv/a/venv/lib/python3.11/site-packages";
	char *rel = rs_sprintf("%s/fifo-1.0.dist-info", site);
	rs_test_mkdir(tmp, rel);
	free(rel);
	char *f = rs_sprintf("%s/%s/fifo-1.0.dist-info/METADATA", tmp, site);
	assert_int_equal(mkfifo(f, 0644), 0);
	free(f);
	rel = rs_sprintf("%s/link-1.0.dist-info", site);
	rs_test_mkdir(tmp, rel);
	free(rel);
	f = rs_sprintf("%s/%s/link-1.0.dist-info/METADATA", tmp, site);
	char *target = rs_sprintf("%s/%s/pkg001-1.1.dist-info/METADATA", tmp, site);
	assert_int_equal(symlink(target, f), 0);
	free(target);
	free(f);
	rel = rs_sprintf("%s/dir-1.0.dist-info/METADATA", site);
	rs_test_mkdir(tmp, rel);
	free(rel);
	/* lockfiles in many folders (batches across folders), one malformed */
	for (int i = 0; i < 70; i++) {
		char *lock = rs_sprintf("srv/lock%02d/Gemfile.lock", i);
		char *text = i == 33 ? rs_strdup("GEM\n  specs:\n    broken (\n")
				     : rs_sprintf("GEM\n  remote: https://rubygems.org/\n  specs:\n    gem%d (1.%d)\n\n", i, i);
		rs_test_write(tmp, lock, text);
		free(text);
		free(lock);
	}
	/* larger than the ring reads (read plainly, found), larger than the inventory reads (warned) */
	rs_buf big;
	rs_buf_init(&big);
	rs_buf_puts(&big, "version = 3\n\n");
	for (int i = 0; big.len <= RS_APP_RING_MAX_FILE; i++)
		rs_buf_printf(&big, "[[package]]\nname = \"crate%d\"\nversion = \"0.%d.0\"\nsource = \"%s\"\n\n", i, i,
			      "registry+https://github.com/rust-lang/crates.io-index");
	rs_test_write(tmp, "srv/bigcrate/Cargo.lock", big.data);
	rs_buf_free(&big);
	rs_test_write(tmp, "srv/huge/Cargo.lock", "");
	char *huge = rs_sprintf("%s/srv/huge/Cargo.lock", tmp);
	assert_int_equal(truncate(huge, (off_t)RS_APP_MAX_FILE + 1), 0); /* sparse */
	free(huge);
	/* a JAR between lockfiles (read at once, not queued) and a lockfile after it */
	rs_test_write(tmp, "srv/m/garbage.jar", "PK\x03\x04garbage");
	rs_test_write(tmp, "srv/m/composer.lock", "{\"packages\": [{\"name\": \"v/one\", \"version\": \"2.0.0\"}]}");

	rs_host host;
	assert_int_equal(rs_host_init(&host, "/", ""), 0);
	char *srv = rs_sprintf("%s/srv", tmp);
	const char *dirs[] = { srv, NULL };
	rs_app_ring probe;
	rs_app_ring_init(&probe);
	if (!probe.ok)
		printf("io_uring refused here: both walks below read plainly\n");
	rs_app_ring_free(&probe);
	rs_buf wr, wp;
	char *ring = inventory_text(&host, dirs, "1", &wr);
	char *plain = inventory_text(&host, dirs, "0", &wp);
	assert_string_equal(ring, plain);
	assert_string_equal(wr.data, wp.data);
	/* what both found and warned */
	assert_non_null(strstr(ring, "PyPI|pkg-149|1.149|"));
	assert_non_null(strstr(ring, "crates.io|crate0|0.0.0|"));
	assert_non_null(strstr(ring, "RubyGems|gem69|1.69|"));
	assert_non_null(strstr(ring, "Packagist|v/one|2.0.0|"));
	assert_null(strstr(ring, "pkg007"));
	assert_non_null(strstr(wr.data, "pkg007-1.7.dist-info/METADATA: no Name or Version"));
	assert_non_null(strstr(wr.data, "fifo-1.0.dist-info/METADATA: cannot be read"));
	assert_non_null(strstr(wr.data, "link-1.0.dist-info/METADATA: cannot be read"));
	assert_non_null(strstr(wr.data, "dir-1.0.dist-info/METADATA: cannot be read"));
	assert_non_null(strstr(wr.data, "huge/Cargo.lock: cannot be read"));
	assert_non_null(strstr(wr.data, "lock33/Gemfile.lock"));
	assert_non_null(strstr(wr.data, "garbage.jar"));
	free(ring);
	free(plain);
	rs_buf_free(&wr);
	rs_buf_free(&wp);
	free(srv);
	rs_host_free(&host);
	rs_test_rmrf(tmp);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package_lock),
		cmocka_unit_test(test_npm_manifest),
		cmocka_unit_test(test_yarn_lock),
		cmocka_unit_test(test_pnpm_lock),
		cmocka_unit_test(test_python),
		cmocka_unit_test(test_php_ruby_rust),
		cmocka_unit_test(test_elf),
		cmocka_unit_test(test_jar),
		cmocka_unit_test(test_walk_fixtures),
		cmocka_unit_test(test_walk_ring_and_plain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
