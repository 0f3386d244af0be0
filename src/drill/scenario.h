/*
 * scenario.h — drill scenarios (rules/drills/NAME.yaml): what a drill plants
 * and what rasoat is expected to detect. A scenario has an id, a title in
 * Vietnamese and English and steps; a step names an ATT&CK technique and
 * tactic, a step kind (plant.h) with its parameters, and the detection it
 * expects: module, rule id (exact, or a shell glob), minimum severity and
 * the longest time detection may take. docs/DRILL.md describes the format.
 */
#ifndef RS_DRILL_SCENARIO_H
#define RS_DRILL_SCENARIO_H

#include "core/finding.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RS_DRILL_MAX_STEPS 64
#define RS_DRILL_MAX_FILE (1u << 20)

typedef struct rs_drill_expect {
	char *module;            /* "persist", "rootkit", "hunt", "audit" */
	char *rule;              /* exact rule id or a glob ("yara:RASOAT_Webshell_*") */
	rs_severity severity;    /* the least severity that counts */
	long within_ms;          /* the longest time-to-detect that counts */
} rs_drill_expect;

typedef struct rs_drill_step {
	char *technique;         /* "T1053.003" */
	char *tactic;            /* "persistence", "privilege-escalation", ... */
	char *kind;              /* a step kind (plant.h) */
	char *title;             /* what the step does, for the report (may be NULL) */
	json_t *params;          /* object of strings */
	rs_drill_expect expect;
	size_t line;             /* where the step starts in its file */
} rs_drill_step;

typedef struct rs_drill_scenario {
	char *id;
	char *title_en, *title_vi;
	char *file;
	rs_drill_step *steps;
	size_t n_steps;
} rs_drill_scenario;

/* Parses TEXT (LEN bytes) of the file NAME into SC (zeroed first).
 * Returns 0, or -1 with ERR naming NAME, the line, the cause and what to do. */
int rs_drill_scenario_parse(const char *text, size_t len, const char *name, rs_drill_scenario *sc,
			    char *err, size_t errsize);
/* Reads and parses PATH. */
int rs_drill_scenario_load(const char *path, rs_drill_scenario *sc, char *err, size_t errsize);
void rs_drill_scenario_free(rs_drill_scenario *sc);

/* True when the step kind needs --root SANDBOX (accounts, ld.so.preload). */
bool rs_drill_step_needs_root(const rs_drill_step *st);

/* The directory of the bundled scenarios: $RASOAT_DRILLS, else the
 * rules/drills beside the bundled rules. NULL when none is found. */
const char *rs_drill_default_dir(void);

/* Loads every *.yaml of DIR, sorted by id, into a new array (*N entries).
 * A bad file is an error (ERR names it). Returns 0 or -1. */
int rs_drill_scenarios_load_dir(const char *dir, rs_drill_scenario **out, size_t *n, char *err,
				size_t errsize);
void rs_drill_scenarios_free(rs_drill_scenario *list, size_t n);

#endif
