/*
 * modorigin.c — indexes the kernel's module tree and tells, for a loaded
 * module, whether a file in that tree and a package stand behind it.
 */
#include "core/util.h"
#include "core/walk.h"
#include "rootkit/modorigin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rs_mod_tree {
	rs_vec names;  /* char *: normalised module name */
	rs_vec paths;  /* char *: its file, same index */
};

/* "nf_conntrack" from "nf-conntrack.ko.zst"; false for other files. */
static bool module_name(const char *file, char *out, size_t size)
{
	const char *ko = strstr(file, ".ko");
	if (!ko || (ko[3] && strcmp(ko + 3, ".xz") && strcmp(ko + 3, ".zst") && strcmp(ko + 3, ".gz")))
		return false;
	size_t n = (size_t)(ko - file);
	if (n == 0 || n >= size)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = file[i] == '-' ? '_' : file[i];
	out[n] = '\0';
	return true;
}

static int visit(const rs_walk_entry *e, void *ctx)
{
	rs_mod_tree *t = ctx;
	char name[256];
	if (S_ISREG(e->st->st_mode) && module_name(e->name, name, sizeof(name))) {
		*(char **)rs_vec_push(&t->names) = rs_strdup(name);
		*(char **)rs_vec_push(&t->paths) = rs_strdup(e->path);
	}
	return RS_WALK_CONTINUE;
}

rs_mod_tree *rs_mod_tree_load(const rs_host *host, const char *release)
{
	if (!release || !*release || strchr(release, '/'))
		return NULL;
	char *dir = rs_sprintf("/lib/modules/%s", release);
	struct stat st;
	if (rs_host_lstat(host, dir, &st) < 0) {
		free(dir);
		return NULL;
	}
	rs_mod_tree *t = rs_calloc(1, sizeof(*t));
	rs_vec_init(&t->names, sizeof(char *));
	rs_vec_init(&t->paths, sizeof(char *));
	rs_walk_options opts = { .max_depth = 16 };
	if (rs_walk(host, dir, &opts, visit, t) < 0 && t->names.len == 0) {
		free(dir);
		rs_mod_tree_free(t);
		return NULL;
	}
	free(dir);
	return t;
}

void rs_mod_tree_free(rs_mod_tree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->names.len; i++) {
		free(*(char **)rs_vec_at(&t->names, i));
		free(*(char **)rs_vec_at(&t->paths, i));
	}
	rs_vec_free(&t->names);
	rs_vec_free(&t->paths);
	free(t);
}

rs_mod_origin rs_mod_origin_of(const rs_mod_tree *t, const char *name, const rs_pkgfiles *pf, char *path,
			       size_t size)
{
	if (!t)
		return RS_MOD_NO_TREE;
	char want[256];
	size_t n = strlen(name);
	if (n >= sizeof(want))
		return RS_MOD_NOT_IN_TREE;
	for (size_t i = 0; i <= n; i++)
		want[i] = name[i] == '-' ? '_' : name[i];
	for (size_t i = 0; i < t->names.len; i++) {
		if (strcmp(*(char **)rs_vec_at(&t->names, i), want) != 0)
			continue;
		const char *file = *(char **)rs_vec_at(&t->paths, i);
		snprintf(path, size, "%s", file);
		if (!pf || rs_pkgfiles_count(pf) == 0 || rs_pkgfiles_find(pf, file))
			return RS_MOD_PACKAGED;
		return RS_MOD_UNPACKAGED;
	}
	return RS_MOD_NOT_IN_TREE;
}
