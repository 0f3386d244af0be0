/*
 * testutil.h — helpers shared by the cmocka unit tests: temporary trees,
 * writing files into them, capturing warnings, finding collected facts,
 * collecting vulnerability records, and parsing device configurations and
 * walking their trees.
 */
#ifndef RS_TESTUTIL_H
#define RS_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "collect/facts.h"
#include "device/device.h"
#include "vuln/vuln.h"

/* A new empty directory under TMPDIR; the caller frees the path. */
char *rs_test_tmpdir(void);
/* Writes CONTENT to DIR/REL, creating parent directories. */
void rs_test_write(const char *dir, const char *rel, const char *content);
/* Creates DIR/REL and its parents as directories. */
void rs_test_mkdir(const char *dir, const char *rel);
/* Removes DIR and everything under it (never follows symlinks). */
void rs_test_rmrf(const char *dir);
/* Starts capturing warnings and errors (instead of printing them). */
void rs_test_capture_start(void);
/* How many were captured, and whether any contains NEEDLE. */
int rs_test_captured_count(void);
int rs_test_captured_contains(const char *needle);
void rs_test_capture_stop(void);

/* The first package of V (rs_package) called NAME, or NULL. */
const rs_package *rs_test_find_package(const rs_vec *v, const char *name);

/* A record callback of the feed readers: appends a copy of R to the rs_vec
 * of rs_vuln_record CTX. */
int rs_test_collect_record(const rs_vuln_record *r, void *ctx);
/* Frees every record of V and V itself. */
void rs_test_free_records(rs_vec *v);

/* The fixture $RS_FIXTURES/devices/REL (at most 1 MiB), NUL-terminated, its
 * length in *LEN; fails the test when it cannot be read. The caller frees it. */
char *rs_test_device_fixture(const char *rel, size_t *len);
/* TEXT (LEN bytes) parsed as the configuration file NAME of family F;
 * fails the test with the parser's message when it is refused. */
rs_device_config *rs_test_device_parse(const char *name, const char *text, size_t len, rs_device_family f);
/* TEXT, which must be refused: no configuration, and a message in ERR that
 * names the file NAME. */
void rs_test_device_refused(const char *name, const char *text, size_t len, rs_device_family f, char *err,
			    size_t errsize);
/* The child of N whose text is TEXT; fails the test when there is none. */
const rs_device_node *rs_test_device_child(const rs_device_node *n, const char *text);
/* The node reached from CFG's root by a NULL-terminated list of texts. */
const rs_device_node *rs_test_device_path(const rs_device_config *cfg, ...);

#endif
