/*
 * dynlib.c — loading a library on first use (dynlib.h): dlopen() of its
 * soname, dlsym() of each function of its table, one lock for all.
 */
#include "core/dynlib.h"
#include "core/i18n.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

/* The name to load: the environment's override when it is a bare file
 * name, else the soname. */
static const char *name_to_load(const rs_dynlib *lib)
{
	const char *env = lib->env ? getenv(lib->env) : NULL;
	if (env && *env && !strchr(env, '/'))
		return env;
	return lib->soname;
}

static void clear_slots(const rs_dynlib *lib)
{
	void *none = NULL;
	for (size_t i = 0; i < lib->n_syms; i++)
		memcpy(lib->syms[i].slot, &none, sizeof(none));
}

/* dlopen and dlsym under the lock; 0 or -1 with ERR set. */
static int load_locked(rs_dynlib *lib, char *err, size_t errsize)
{
	const char *name = name_to_load(lib);
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();
		/* the command is an argument, not text to translate */
		char install[128];
		snprintf(install, sizeof(install), "apt-get install %s", lib->package);
		snprintf(err, errsize,
			 _("cannot load %s (%s); this command needs it: install the Debian package %s (%s)"),
			 name, why ? why : _("not found"), lib->package, install);
		return -1;
	}
	for (size_t i = 0; i < lib->n_syms; i++) {
		dlerror();
		void *fn = dlsym(h, lib->syms[i].name);
		if (!fn) {
			snprintf(err, errsize,
				 _("%s has no function %s (an older version?); this command needs it: "
				   "install the Debian package %s of this release"),
				 name, lib->syms[i].name, lib->package);
			clear_slots(lib);
			dlclose(h);
			return -1;
		}
		memcpy(lib->syms[i].slot, &fn, sizeof(fn));
	}
	lib->handle = h;
	return 0;
}

int rs_dynlib_load(rs_dynlib *lib, char *err, size_t errsize)
{
	pthread_mutex_lock(&load_lock);
	int rc = lib->handle ? 0 : load_locked(lib, err, errsize);
	pthread_mutex_unlock(&load_lock);
	return rc;
}
