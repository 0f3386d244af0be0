/*
 * appinv.h — the application inventory of `rasoat vuln` (issue 14): the
 * libraries that applications bring along and no package manager knows
 * (Node, Python, PHP Composer, Java, Go, Rust, Ruby), found by walking the
 * application directories, and matched against OSV records of their
 * ecosystems with each ecosystem's own version ordering.
 *
 * appinv.c walks; appinv_<ecosystem>.c read the declaring files
 * (package-lock.json, yarn.lock, pnpm-lock.yaml, node_modules/NAME/package.json,
 * *.dist-info/METADATA, requirements/poetry/Pipfile locks, composer.lock,
 * JAR/WAR pom.properties and MANIFEST.MF (nested, via libarchive), Go build
 * info in ELF, Cargo.lock and .dep-v0 (cargo-auditable), Gemfile.lock).
 * version_semver.c, version_pep440.c, version_maven.c, version_composer.c,
 * version_rubygems.c order versions; appmatch.c matches.
 */
#ifndef RS_VULN_APPINV_H
#define RS_VULN_APPINV_H

#include "core/arena.h"
#include "core/host.h"
#include "core/util.h"

#include <stdbool.h>

/* One library one application declares. Its strings live in the
 * inventory's string blocks (rs_app_inventory.strings) and go with it. */
typedef struct rs_app_package {
	char *ecosystem;    /* OSV's name: "npm", "PyPI", "Packagist", "Maven", "Go", "crates.io", "RubyGems" */
	char *name;         /* as OSV names it: npm "@scope/pkg", PyPI normalised (PEP 503), Maven "group:artifact",
	                       Go module path, Packagist "vendor/pkg" */
	char *version;      /* as declared */
	char *source;       /* the file that declared it, host path as shown to users
	                       ("/opt/app/package-lock.json", "/srv/x.war!WEB-INF/lib/y.jar!META-INF/maven/.../pom.properties") */
	char *application;  /* the application's directory (the project root, the venv, the JAR) */
} rs_app_package;

typedef struct rs_app_inventory {
	rs_vec packages;          /* rs_app_package, deduplicated on (ecosystem, name, version, source) */
	unsigned long files_read; /* declaring files read */
	unsigned long problems;   /* malformed declaring files (each warned, the rest is read) */
	/* the packages' strings, in blocks that never move (one allocation per
	 * block instead of five per package; appinv_util.c); the ecosystem,
	 * source and application of the last package added, which the next one
	 * (most often from the same file) shares */
	rs_arena strings;
	const char *last[3];
} rs_app_inventory;

void rs_app_inventory_init(rs_app_inventory *inv);
void rs_app_inventory_free(rs_app_inventory *inv);

/* Walks DIRS (host paths; NULL: the defaults /opt /srv /var/www /usr/lib
 * /usr/local /home /root) under HOST's root without following symlinks out of
 * it, with bounded depth and file sizes, and appends what it finds to INV.
 * Returns 0, or -1 with ERR when nothing could be read at all. */
int rs_app_inventory_scan(const rs_host *host, const char *const *dirs, rs_app_inventory *inv,
			  char *err, size_t errsize);

#endif
