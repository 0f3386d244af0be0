/*
 * appinv_read.h — what the application inventory's walker (appinv.c) and its
 * readers (appinv_<ecosystem>.c) share: one reader per kind of declaring
 * file, each over a buffer (so unit tests and fuzz targets call it
 * directly), and the helpers that add a package and report a malformed file.
 *
 * Every reader takes the file's text, SOURCE (the host path shown to users)
 * and APPLICATION (the project root, venv or JAR it belongs to), appends
 * what it finds to INV and returns 0, or -1 after one warning
 * "SOURCE: cause" (and INV->problems += 1) when the file is malformed; what
 * could be read before the defect stays in INV.
 */
#ifndef RS_VULN_APPINV_READ_H
#define RS_VULN_APPINV_READ_H

#include "vuln/appinv.h"

#include <stddef.h>
#include <stdint.h>

/* The largest declaring file read whole (lockfiles, manifests). */
#define RS_APP_MAX_FILE (64u * 1024 * 1024)

/* Appends one package (strings copied into INV's blocks). Empty or NULL name or version: nothing. */
void rs_app_add(rs_app_inventory *inv, const char *ecosystem, const char *name, const char *version,
		const char *source, const char *application);
/* Warns "SOURCE: <message>; <rest of the file read>" and counts a problem. Returns -1. */
int rs_app_problem(rs_app_inventory *inv, const char *source, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sorts INV's packages and removes duplicates of (ecosystem, name, version, source). */
void rs_app_dedup(rs_app_inventory *inv);
/* Frees INV's string blocks (rs_app_inventory_free does). */
void rs_app_strings_free(rs_app_inventory *inv);

/* PEP 503: lower case, runs of '-', '_' and '.' become one '-'. Caller frees. */
char *rs_app_pep503(const char *name);

/* A [[package]] table of a TOML lockfile (Cargo.lock, poetry.lock): its
 * name, version and source (the `source = "..."` string or the `type` of a
 * [package.source] table), NULL when absent. */
typedef void (*rs_app_toml_fn)(const char *name, const char *version, const char *source, void *ctx);
/* Calls FN for each [[package]] table of TEXT. Returns 0, or -1 with a
 * cause in WHY (static text) when the text is not such a lockfile. */
int rs_app_toml_packages(const char *text, size_t len, rs_app_toml_fn fn, void *ctx, const char **why);

/* npm (appinv_npm.c) */
int rs_app_read_package_lock(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv);
int rs_app_read_yarn_lock(const char *text, size_t len, const char *source, const char *application,
			  rs_app_inventory *inv);
int rs_app_read_pnpm_lock(const char *text, size_t len, const char *source, const char *application,
			  rs_app_inventory *inv);
/* node_modules/NAME/package.json */
int rs_app_read_npm_manifest(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv);

/* PyPI (appinv_python.c) */
/* *.dist-info/METADATA, *.egg-info/PKG-INFO (RFC 822 headers Name and Version) */
int rs_app_read_py_metadata(const char *text, size_t len, const char *source, const char *application,
			    rs_app_inventory *inv);
int rs_app_read_requirements(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv);
int rs_app_read_poetry_lock(const char *text, size_t len, const char *source, const char *application,
			    rs_app_inventory *inv);
int rs_app_read_pipfile_lock(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv);

/* Packagist (appinv_php.c): composer.lock and vendor/composer/installed.json (v1 and v2) */
int rs_app_read_composer_lock(const char *text, size_t len, const char *source, const char *application,
			      rs_app_inventory *inv);
int rs_app_read_composer_installed(const char *text, size_t len, const char *source,
				   const char *application, rs_app_inventory *inv);

/* Maven (appinv_java.c) */
int rs_app_read_pom_properties(const char *text, size_t len, const char *source, const char *application,
			       rs_app_inventory *inv);
/* MANIFEST.MF: a package only from Bundle-SymbolicName / Implementation-Vendor-Id fields */
int rs_app_read_jar_manifest(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv);
/* A JAR, WAR or EAR (a zip) in memory, its nested archives too. SOURCE is the archive's path. */
int rs_app_read_jar(const void *data, size_t len, const char *source, const char *application,
		    rs_app_inventory *inv);
/* The same from an open file (read with seeks, not whole). */
int rs_app_read_jar_fd(int fd, const char *source, const char *application, rs_app_inventory *inv);

/* RubyGems (appinv_ruby.c) */
int rs_app_read_gemfile_lock(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv);
/* specifications/NAME-VERSION.gemspec (s.name / s.version) */
int rs_app_read_gemspec(const char *text, size_t len, const char *source, const char *application,
			rs_app_inventory *inv);

/* crates.io (appinv_rust.c) */
int rs_app_read_cargo_lock(const char *text, size_t len, const char *source, const char *application,
			   rs_app_inventory *inv);
/* The JSON of cargo-auditable's .dep-v0 section, already inflated. */
int rs_app_read_cargo_auditable_json(const char *text, size_t len, const char *source,
				     const char *application, rs_app_inventory *inv);
/* The .dep-v0 section as stored (zlib). */
int rs_app_read_cargo_auditable(const void *data, size_t len, const char *source, const char *application,
				rs_app_inventory *inv);

/* Go (appinv_go.c): the content of the .go.buildinfo section */
int rs_app_read_go_buildinfo(const void *data, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv);
/* The Go version and the module information as the binary stores them
 * (the latter between 16-byte sentinels) */
int rs_app_read_go_strings(const char *version, size_t vlen, const char *modinfo, size_t mlen, const char *source,
			   const char *application, rs_app_inventory *inv);
/* The modinfo text (path/mod/dep/=> lines) of a Go binary */
int rs_app_read_go_modinfo(const char *text, size_t len, const char *go_version, const char *source,
			   const char *application, rs_app_inventory *inv);

/* ELF (appinv_elf.c): a file read through pread or a buffer. */
typedef struct rs_app_elf {
	int fd;                     /* >= 0: read with pread */
	const unsigned char *data;  /* else: this buffer */
	uint64_t size;
} rs_app_elf;
/* Finds section NAME; 1 with its file offset and size, 0 when absent or not ELF. */
int rs_app_elf_section(const rs_app_elf *f, const char *name, uint64_t *offset, uint64_t *size);
/* Reads SIZE bytes at OFFSET into a new buffer (NUL-terminated). -1 when out of bounds. */
int rs_app_elf_read(const rs_app_elf *f, uint64_t offset, uint64_t size, unsigned char **out);
/* The same at the virtual address ADDR, inside one section holding file data. */
int rs_app_elf_read_vaddr(const rs_app_elf *f, uint64_t addr, uint64_t size, unsigned char **out);
/* Reads the Go build info and the cargo-auditable section of F. Returns the
 * number of sections read (0: neither), or -1 after a problem. */
int rs_app_read_elf(const rs_app_elf *f, const char *source, const char *application, rs_app_inventory *inv);

#endif
