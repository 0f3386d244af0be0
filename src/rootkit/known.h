/*
 * known.h — the list of known rootkit artefacts (the .txt lists under rules/rootkit):
 * files, directories and kernel module names, parsed from a documented
 * text format (see rules/rootkit/known-files.txt).
 */
#ifndef RS_ROOTKIT_KNOWN_H
#define RS_ROOTKIT_KNOWN_H

#include "core/util.h"

#include <stddef.h>

typedef enum rs_known_kind { RS_KNOWN_FILE, RS_KNOWN_DIR, RS_KNOWN_MODULE } rs_known_kind;

typedef struct rs_known {
	rs_known_kind kind;
	char *family;   /* "Reptile" */
	char *what;     /* a path, or a module name */
	char *source;   /* "FILE:LINE" of the list */
} rs_known;

/* Parses TEXT (NAME for messages) and appends to LIST (of rs_known).
 * Returns the number of lines warned about and skipped. */
int rs_known_parse(const char *text, size_t len, const char *name, rs_vec *list);
void rs_known_free(rs_vec *list);

#endif
