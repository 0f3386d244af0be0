/*
 * remove_text.h — the pure text side of `respond remove`: finding a line of
 * a configuration file by its number and the SHA-256 of its bytes, copying
 * the text without some lines, replacing one line, and the /etc/passwd
 * shell field. No file access, so unit tests and the fuzz target drive it.
 *
 * A line is what lies before a '\n' or the end of the text; its '\n' is not
 * part of it, anything else is (a '\r' of a CRLF file too). Lines count
 * from 1. Texts holding a NUL byte are refused: they are not the text files
 * the line families are, and an edit could not be checked.
 */
#ifndef RS_REMOVE_TEXT_H
#define RS_REMOVE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Largest file a line removal edits. */
#define RS_REMOVE_TEXT_MAX (4u << 20)

/* 0 when TEXT (LEN bytes) can be edited by line; -1 with ERR naming PATH
 * and why (a NUL byte: binary data; larger than RS_REMOVE_TEXT_MAX). */
int rs_rmtext_check(const char *text, size_t len, const char *path, char *err, size_t errsize);

/* The start and length of line NUMBER; false when there is no such line. */
bool rs_rmtext_line(const char *text, size_t len, size_t number, size_t *start, size_t *line_len);

/* The number of the line whose bytes hash to SHA (64 hex digits): line
 * NUMBER when it does, else the single line anywhere that does. 0 with
 * ERR (naming PATH) when no line does, or several do and none at NUMBER. */
size_t rs_rmtext_find(const char *text, size_t len, size_t number, const char *sha, const char *path,
		      char *err, size_t errsize);

/* A copy of TEXT without the lines NUMBERS (N of them, any order; numbers
 * beyond the text are ignored), NUL-terminated, its length in *OUT_LEN.
 * Removing the last line of a text that does not end in '\n' leaves the
 * line before it with its '\n'. */
char *rs_rmtext_drop(const char *text, size_t len, const size_t *numbers, size_t n, size_t *out_len);

/* A copy of TEXT with line NUMBER's bytes replaced by REPL (REPL_LEN bytes;
 * the line's '\n' stays). NULL when there is no such line. */
char *rs_rmtext_replace(const char *text, size_t len, size_t number, const char *repl, size_t repl_len,
			size_t *out_len);

/* Finds USER's line in the passwd TEXT and builds it with SHELL as its
 * seventh field (a trailing '\r' kept). Fills *NUMBER, *OLD_SHELL (a new
 * string) and *LINE (a new string, the replacement line). -1 with ERR when
 * the user has no line, several lines, or a line without seven fields. */
int rs_rmtext_passwd_shell(const char *text, size_t len, const char *user, const char *shell,
			   size_t *number, char **old_shell, char **line, char *err, size_t errsize);

#endif
