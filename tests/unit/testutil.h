/*
 * testutil.h — helpers shared by the cmocka unit tests: temporary trees,
 * writing files into them, capturing warnings, and finding collected facts.
 */
#ifndef RS_TESTUTIL_H
#define RS_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "collect/facts.h"

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

#endif
