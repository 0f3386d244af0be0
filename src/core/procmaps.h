/*
 * procmaps.h — the one parser of /proc/PID/maps lines, shared by the
 * rootkit module's mapping checks and the memory hunt's choice of regions:
 * "START-END PERMS OFFSET DEV INODE   PATH", as the kernel writes them.
 * Strict where the kernel is regular (hex numbers of at most 16 digits,
 * four permission letters, a decimal inode), so that a malformed line is
 * passed over rather than half read; nothing is read past the text's NUL.
 */
#ifndef RS_PROCMAPS_H
#define RS_PROCMAPS_H

#include <stdbool.h>
#include <stdint.h>

/* One mapping. */
typedef struct rs_maps_line {
	uint64_t start, end;  /* the range; end > start */
	uint64_t offset;      /* into the file */
	char perms[5];        /* "r-xp": [r-][w-][x-][ps] */
	char dev[16];         /* "08:01" (major:minor, hex) */
	unsigned long inode;  /* 0: not a file */
	const char *path;     /* past the padding: a file, "[heap]", "" when anonymous;
			       * points into the parsed line */
} rs_maps_line;

/* Parses LINE (NUL-terminated, without its newline) into OUT. Returns 0,
 * or -1 when it is malformed (a field missing, too long or not a number,
 * a range that does not run forward). */
int rs_maps_parse_line(const char *line, rs_maps_line *out);

/* The next well-formed line of a maps text from *POS on, into OUT: the
 * text is modified in place (each newline becomes a NUL) and *POS moves
 * past the line; malformed lines are passed over. False at the text's end. */
bool rs_maps_next(char **pos, rs_maps_line *out);

/* Whether the mapping is executable. */
bool rs_maps_exec(const rs_maps_line *m);

#endif
