/*
 * paths.c — finds the bundled rules of an installed binary or of a checkout
 * build (see paths.h).
 */
#include "core/paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool rs_path_beside_binary(const char *relative, char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	int w = snprintf(out, size, "%s/%s", exe, relative);
	return w > 0 && (size_t)w < size && is_dir(out);
}

const char *rs_bundled_rules_dir(void)
{
	const char *env = getenv("RASOAT_RULES");
	if (env && *env && is_dir(env))
		return env;
	return rs_shipped_rules_dir();
}

const char *rs_shipped_rules_dir(void)
{
	static char path[PATH_MAX + 64];
	if (rs_path_beside_binary("../share/rasoat/rules", path, sizeof(path)))
		return path;
	snprintf(path, sizeof(path), "%s/rules", RS_SOURCE_DIR);
	return is_dir(path) ? path : NULL;
}
