/*
 * list.c — every incident, oldest first, within a detection period
 * (rs_incident_list): what `incident list` and the six-monthly summary
 * (Mẫu 05) read.
 */
#include "incident/record.h"
#include "store/incidents.h"

int rs_incident_list(rs_store *store, time_t from, time_t to, json_t **out, char *err,
		     size_t errsize)
{
	char from_text[32], to_text[32];
	rs_incident_time_format(from, from_text);
	rs_incident_time_format(to, to_text);
	*out = NULL;
	json_t *ids = rs_store_incident_ids(store, from ? from_text : NULL, to ? to_text : NULL, err,
					    errsize);
	if (!ids)
		return -1;
	json_t *list = json_array(), *conf = rs_incident_read_conf();
	size_t i;
	const json_t *id;
	json_array_foreach(ids, i, id) {
		json_t *one;
		if (rs_incident_load_with(store, json_string_value(id), conf, &one, err, errsize) < 0) {
			json_decref(conf);
			json_decref(list);
			json_decref(ids);
			return -1;
		}
		json_array_append_new(list, one);
	}
	json_decref(ids);
	json_decref(conf);
	*out = list;
	return 0;
}
