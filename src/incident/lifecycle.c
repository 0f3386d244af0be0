/*
 * lifecycle.c — the states of an incident (TT 20/2017 Art. 11, NIST SP
 * 800-61): detected → analysing → containing → eradicating → recovering →
 * closed, and back from recovering to containing when the re-check finds
 * the host unstable. Nothing else is allowed.
 */
#include "incident/record.h"

#include <stdio.h>
#include <string.h>

static const char *const state_names[] = {
	[RS_INCIDENT_DETECTED] = "detected",
	[RS_INCIDENT_ANALYSING] = "analysing",
	[RS_INCIDENT_CONTAINING] = "containing",
	[RS_INCIDENT_ERADICATING] = "eradicating",
	[RS_INCIDENT_RECOVERING] = "recovering",
	[RS_INCIDENT_CLOSED] = "closed",
};

#define STATE_COUNT ((int)(sizeof(state_names) / sizeof(state_names[0])))

const char *rs_incident_state_name(rs_incident_state s)
{
	if ((int)s < 0 || (int)s >= STATE_COUNT)
		return "unknown";
	return state_names[s];
}

int rs_incident_state_parse(const char *name, rs_incident_state *out)
{
	for (int i = 0; name && i < STATE_COUNT; i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*out = (rs_incident_state)i;
			return 0;
		}
	}
	return -1;
}

bool rs_incident_transition_allowed(rs_incident_state from, rs_incident_state to)
{
	if (from == RS_INCIDENT_RECOVERING && to == RS_INCIDENT_CONTAINING)
		return true;
	return from != RS_INCIDENT_CLOSED && (int)from >= 0 && (int)to == (int)from + 1 &&
	       (int)to < STATE_COUNT;
}

void rs_incident_allowed_next(rs_incident_state from, char *out, size_t size)
{
	size_t n = 0, used = 0;
	out[0] = '\0';
	for (int to = 0; to < STATE_COUNT; to++) {
		if (!rs_incident_transition_allowed(from, (rs_incident_state)to))
			continue;
		int w = snprintf(out + used, size - used, "%s%s", n ? " or " : "", state_names[to]);
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
		n++;
	}
	if (n == 0)
		snprintf(out, size, "none: the incident is closed");
}
