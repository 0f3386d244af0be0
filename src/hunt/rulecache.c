/*
 * rulecache.c — keeping the compiled-rules cache bounded. Every rule set a
 * host has used leaves its compiled set, its error list and up to nine
 * class copies (tens of MB for signature-base) under the cache directory.
 * A set is marked used each time it is loaded (its .yarc's mtime); when a
 * new set is compiled, the files of every other set not used for
 * RS_RULE_CACHE_DAYS are removed. Only names rasoat writes are touched:
 * "yara-" followed by 32 hex digits.
 */
#include "hunt/hunt.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HASH_CHARS 32

/* The hash part of a cache file name, or NULL when rasoat did not name it. */
static const char *hash_of(const char *name)
{
	if (strncmp(name, "yara-", 5) != 0 || strlen(name) < 5 + HASH_CHARS)
		return NULL;
	for (int i = 0; i < HASH_CHARS; i++) {
		char c = name[5 + i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return NULL;
	}
	return name + 5;
}

void rs_hunt_cache_touch(const char *dir, const char *hash)
{
	char *path = rs_sprintf("%s/yara-%.32s.yarc", dir, hash);
	utimensat(AT_FDCWD, path, NULL, 0);
	free(path);
}

size_t rs_hunt_cache_prune(const char *dir, const char *keep_hash, time_t now)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t removed = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *h = hash_of(de->d_name);
		if (!h || strncmp(h, keep_hash, HASH_CHARS) == 0)
			continue;
		char *main_set = rs_sprintf("%s/yara-%.32s.yarc", dir, h);
		struct stat st;
		bool stale = stat(main_set, &st) != 0 || now - st.st_mtime > RS_RULE_CACHE_DAYS * 86400L;
		free(main_set);
		if (!stale)
			continue;
		char *path = rs_sprintf("%s/%s", dir, de->d_name);
		struct stat own;
		if (lstat(path, &own) == 0 && S_ISREG(own.st_mode) && unlink(path) == 0)
			removed++;
		free(path);
	}
	closedir(d);
	return removed;
}
