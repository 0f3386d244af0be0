/*
 * html.h — HTML escaping, one for every page rasoat writes (the report, the
 * incident forms, the drill report, the dashboard): & < > " and ' become
 * entities, so that a value is safe both as element text and inside a
 * quoted attribute.
 */
#ifndef RS_HTML_H
#define RS_HTML_H

#include "core/util.h"

#include <stddef.h>

/* Appends the LEN bytes of S to B escaped. */
void rs_html_escape_n(rs_buf *b, const char *s, size_t len);
/* Appends S to B escaped; nothing when S is NULL. */
void rs_html_escape(rs_buf *b, const char *s);

#endif
