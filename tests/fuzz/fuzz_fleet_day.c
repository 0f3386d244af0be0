/*
 * fuzz_fleet_day.c — libFuzzer target for rs_fleet_day_parse (store/fleet.h),
 * which reads the days of the dashboard's trend and "state on day" queries
 * from request text; and for the `?` to `$N` rewriting of the PostgreSQL
 * backend (store/db_pg.c), which must never write past its buffer.
 */
#include "store/db_internal.h"
#include "store/fleet.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	int day;
	if (rs_fleet_day_parse(text, &day) == 0) {
		if (day < 19700101 || day > 99991231 || rs_fleet_day_add(rs_fleet_day_add(day, 1), -1) != day)
			abort();
	}
	int n;
	char *sql = rs_db_pg_translate(text, &n);
	if (n < 0)
		abort();
	free(sql);
	free(text);
	return 0;
}
