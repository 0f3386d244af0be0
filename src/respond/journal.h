/*
 * journal.h — the respond journal STATE_DIR/journal.jsonl (FORMATS.md
 * "Actions"): append-only, one compact JSON line per state change of an
 * action, hash-chained ("prev" is the SHA-256 hex of the previous line's
 * bytes without its newline; 64 zeros for the first line).
 *
 * rs_journal_open holds an exclusive flock on the file until
 * rs_journal_close, so two rasoat processes never interleave. It cuts a
 * torn tail (a last line without its newline, or a last line that does not
 * parse: an append interrupted by a crash) with a warning naming the file
 * and the byte offset. Every append is one write() of the whole line,
 * followed by fsync (and an fsync of the directory when the file was just
 * created), with a crash point before it.
 */
#ifndef RS_RESPOND_JOURNAL_H
#define RS_RESPOND_JOURNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RS_JOURNAL_FILE "journal.jsonl"
#define RS_JOURNAL_MAX_LINE (4u << 20)      /* bytes in one line */
#define RS_JOURNAL_MAX_BYTES (512u << 20)   /* bytes in the whole journal */

/* The result of reading a journal's text (rs_journal_parse). */
typedef struct rs_journal_text {
	json_t *lines;      /* array: each line before the torn tail, as its object, or
			     * JSON null where the line is not a valid action line */
	size_t keep;        /* bytes before the torn tail; the text's length when none */
	size_t torn_line;   /* the torn line's number (1-based), 0 when none */
	size_t bad_line;    /* the first kept line (1-based) that is not a valid action
			     * line or breaks the chain; 0 when every line holds */
	char bad_why[200];  /* why bad_line (or, without one, torn_line) is bad */
	char last_hash[65]; /* SHA-256 hex of the last kept line; 64 zeros when none */
} rs_journal_text;

/* Reads DATA (LEN bytes of journal text): splits it into lines, finds a
 * torn tail, checks each line (a JSON object with type "action", an id, an
 * action, a known state and a 64-hex prev) and the chain. Never fails;
 * free OUT with rs_journal_text_free. */
void rs_journal_parse(const char *data, size_t len, rs_journal_text *out);
void rs_journal_text_free(rs_journal_text *t);

/* Checks one line's object; false with WHY when it is not an action line. */
bool rs_journal_line_valid(const json_t *line, char *why, size_t whysize);

typedef struct rs_journal rs_journal;

/* Opens (creating STATE_DIR, mode 0700, and the file, mode 0600, when
 * missing) and locks the journal, reads it and cuts a torn tail. Returns
 * 0, or -1 with ERR. */
int rs_journal_open(const char *state_dir, rs_journal **out, char *err, size_t errsize);
void rs_journal_close(rs_journal *j);

/* The journal file's path, for messages. */
const char *rs_journal_path(const rs_journal *j);

/* The first line that is not a valid action line or breaks the chain
 * (1-based; 0 when none) and why. */
size_t rs_journal_bad_line(const rs_journal *j, const char **why);

/* Appends LINE (an action line without "prev"; "prev" is set on it) as one
 * line. Returns 0, or -1 with ERR (the file is left as it was). */
int rs_journal_append(rs_journal *j, json_t *line, char *err, size_t errsize);

/* The ids of the journaled actions, in the order they first appear
 * (borrowed array of strings). */
const json_t *rs_journal_action_ids(const rs_journal *j);

/* The latest line of action ID (borrowed), or NULL when it is unknown. */
const json_t *rs_journal_latest(const rs_journal *j, const char *id);

/* The latest line of action ID whose state is STATE (borrowed), or NULL. */
const json_t *rs_journal_latest_in_state(const rs_journal *j, const char *id, const char *state);

/* Every line, oldest first (borrowed array; JSON null for a bad line). */
const json_t *rs_journal_lines(const rs_journal *j);

/* Every line of action ID, oldest first: a new array (empty when unknown). */
json_t *rs_journal_history(const rs_journal *j, const char *id);

/* Reads STATE_DIR's journal without changing or locking it exclusively and
 * checks it as rs_journal_parse does, a torn tail counting as bad. Fills
 * *LINES with the number of lines and *BAD_LINE (0 when everything holds)
 * and WHY. Returns 0 when the journal could be read (also when it is bad or
 * absent), -1 with ERR otherwise. */
int rs_journal_verify(const char *state_dir, size_t *lines, size_t *bad_line, char *why,
		      size_t whysize, char *err, size_t errsize);

#endif
