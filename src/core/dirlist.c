/*
 * dirlist.c — the sorted names of a directory (see dirlist.h).
 */
#include "core/dirlist.h"

#include <stdlib.h>
#include <string.h>

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void rs_dir_names(DIR *d, rs_vec *names)
{
	rs_vec_init(names, sizeof(char *));
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			*(char **)rs_vec_push(names) = rs_strdup(de->d_name);
	if (names->len > 1)
		qsort(names->items, names->len, sizeof(char *), compare_names);
}

int rs_dir_list(const char *path, rs_vec *names)
{
	DIR *d = opendir(path);
	if (!d) {
		rs_vec_init(names, sizeof(char *));
		return -1;
	}
	rs_dir_names(d, names);
	closedir(d);
	return 0;
}

void rs_dir_names_free(rs_vec *names)
{
	for (size_t i = 0; i < names->len; i++)
		free(*(char **)rs_vec_at(names, i));
	rs_vec_free(names);
}
