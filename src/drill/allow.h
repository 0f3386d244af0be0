/*
 * allow.h — the standing authorisation for live drills:
 * /etc/rasoat/drill.allow (or $RASOAT_DRILL_ALLOW). One rule a line,
 *   HOSTNAME FROM UNTIL
 * with FROM and UNTIL as UTC times "YYYY-MM-DDTHH:MM:SSZ"; '#' starts a
 * comment. A live drill is allowed on HOSTNAME between FROM and UNTIL.
 */
#ifndef RS_DRILL_ALLOW_H
#define RS_DRILL_ALLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define RS_DRILL_ALLOW_FILE "/etc/rasoat/drill.allow"

/* Checks TEXT (LEN bytes, of the file NAME): sets *ALLOWED when a rule
 * names HOST and NOW lies in its window. Returns 0, or -1 with ERR naming
 * NAME and the line of the first malformed rule (nothing is allowed then). */
int rs_drill_allow_parse(const char *text, size_t len, const char *name, const char *host, time_t now,
			 bool *allowed, char *err, size_t errsize);

/* Reads the allow file ($RASOAT_DRILL_ALLOW or RS_DRILL_ALLOW_FILE);
 * false when it is absent, unreadable or malformed (ERR says which). */
bool rs_drill_allowed(const char *host, time_t now, char *err, size_t errsize);

#endif
