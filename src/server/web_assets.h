/*
 * web_assets.h — the files of web/ (style sheet, script) compiled into the
 * binary by cmake/embed_web.cmake; the dashboard serves them from memory.
 */
#ifndef RS_SERVER_WEB_ASSETS_H
#define RS_SERVER_WEB_ASSETS_H

#include <stddef.h>

typedef struct rs_web_asset {
	const char *name;             /* file name under web/ */
	const unsigned char *data;
	size_t len;
} rs_web_asset;

/* Ends with an entry whose name is NULL. */
extern const rs_web_asset rs_web_assets[];

#endif
