/*
 * score.h — scoring a drill: the scans that look for what was planted
 * (the expected modules, run in process through the engine, each finding
 * timed as it is emitted) and the match of each step's expectation to a
 * finding that names one of the step's artefacts.
 */
#ifndef RS_DRILL_SCORE_H
#define RS_DRILL_SCORE_H

#include "core/config.h"
#include "core/host.h"
#include "drill/scenario.h"

#include <jansson.h>

/* Runs the modules STEPS expect against HOST and returns the findings (a
 * new array of FORMATS.md finding objects, each with "t_ms": the monotonic
 * time it was emitted). PLANTS: per step, the array of its plant targets
 * with "pid" set on processes. */
json_t *rs_drill_scan(const rs_host *host, const rs_config *config, const rs_drill_scenario *sc,
		      const json_t *plants);

/* True when the finding F names an artefact of the step whose plants are
 * STEP_PLANTS (one of its files, one of its pids, or the exact line it
 * appended); with STEP_PLANTS NULL, when F's evidence holds the run's TAG
 * anywhere (the residue check). */
bool rs_drill_finding_of(const json_t *f, const char *tag, const json_t *step_plants);

/* True when F meets the expectation E (module, rule glob, severity). */
bool rs_drill_expect_met(const rs_drill_expect *e, const json_t *f);

#endif
