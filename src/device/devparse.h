/*
 * devparse.h — what the Junos, FortiOS and RouterOS parsers share on top of
 * the tree of device.h: errors that name the file and the line, removing and
 * renaming nodes (Junos `delete`/`deactivate`, FortiOS `unset`/`delete`),
 * joining tokens into a statement's text, unquoting values, and the CLI
 * prompt lines that captured sessions carry before the configuration.
 */
#ifndef RS_DEVPARSE_H
#define RS_DEVPARSE_H

#include "core/util.h"
#include "device/device.h"

#include <stdbool.h>
#include <stddef.h>

/* Parsers merge a statement into an earlier sibling with the same text
 * (Junos set lines, FortiOS entries met twice, RouterOS sections) by
 * looking at most at the last RS_DEVPARSE_WINDOW siblings, newest first, so
 * that a hostile file with a million siblings costs linear time; a repeat
 * further back is kept as a statement of its own. */
#define RS_DEVPARSE_WINDOW 128

/* The index of the first sibling a lookup among PARENT's children looks at. */
size_t rs_devparse_window(const rs_device_node *parent);
/* The last child of PARENT in the window whose text is TEXT, or NULL. */
rs_device_node *rs_devparse_find(const rs_device_node *parent, const char *text);

/* Writes "PATH:LINE: MESSAGE" (PATH from CFG, "config" when unset; no
 * ":LINE" when LINE is 0) into ERR and returns -1. */
int rs_devparse_error(const rs_device_config *cfg, char *err, size_t errsize, unsigned line,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The error for a statement that would nest deeper than RS_DEVICE_MAX_DEPTH
 * (rs_device_node_add refused it); returns -1. */
int rs_devparse_too_deep(const rs_device_config *cfg, char *err, size_t errsize, unsigned line);

/* Frees NODE and everything under it (a node rs_device_node_add made). */
void rs_devparse_node_free(rs_device_node *node);
/* Removes the I-th child of PARENT and frees it. */
void rs_devparse_remove_child(rs_device_node *parent, size_t i);
/* Moves the child at FROM so that it stands at index TO (of the list
 * without it), keeping the order of the others. */
void rs_devparse_move_child(rs_device_node *parent, size_t from, size_t to);
/* Replaces NODE's text with TEXT (copied). */
void rs_devparse_set_text(rs_device_node *node, const char *text);
/* The index of CHILD among PARENT's children, or PARENT->nchildren. */
size_t rs_devparse_index(const rs_device_node *parent, const rs_device_node *child);

/* Appends the token S[0..LEN) to B, after one space when B is not empty.
 * Inside the token a CR is dropped and a LF or TAB becomes a space, so a
 * quoted value spanning lines stays one line of text. */
void rs_devparse_append_token(rs_buf *b, const char *s, size_t len);

/* S[0..LEN) without one pair of surrounding double quotes and with its
 * backslash escapes resolved (\" → ", \\ → \); a new string. */
char *rs_devparse_unquote(const char *s, size_t len);

/* The length of the value at V: a double-quoted string (backslash escapes
 * inside) up to and with its closing quote, else up to the next space. */
size_t rs_devparse_value_len(const char *v);

/* The length of a CLI prompt at the start of LINE ("admin@fw1> ",
 * "admin@fw1# ", "[admin@MikroTik] > ", "FGT60F # ", "FGT60F (root) $ "),
 * 0 when LINE does not start with one. */
size_t rs_devparse_prompt_len(const char *line, size_t len);

#endif
