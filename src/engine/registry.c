/*
 * registry.c — the modules rasoat knows, in the order a scan runs them.
 * A new module is one line here and one folder under src/.
 */
#include "engine/scan.h"

#include <string.h>

extern const rs_module rs_module_audit;
extern const rs_module rs_module_vuln;
extern const rs_module rs_module_rootkit;
extern const rs_module rs_module_persist;
extern const rs_module rs_module_integrity;
extern const rs_module rs_module_hunt;
extern const rs_module rs_module_device;

static const rs_module *const registry[] = {
	&rs_module_audit,
	&rs_module_vuln,
	&rs_module_rootkit,
	&rs_module_persist,
	&rs_module_integrity,
	&rs_module_hunt,
	&rs_module_device,
};

const rs_module *const *rs_modules(size_t *count)
{
	*count = sizeof(registry) / sizeof(registry[0]);
	return registry;
}

const rs_module *rs_module_find(const char *name)
{
	for (size_t i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}
