/*
 * appinv_php.c — the Packagist packages of a PHP application: composer.lock
 * (`packages` and `packages-dev`) and the installed tree's
 * vendor/composer/installed.json (Composer 1: an array; Composer 2: an
 * object with `packages`).
 */
#include "core/i18n.h"
#include "vuln/appinv_read.h"

#include <jansson.h>
#include <string.h>

static void add_list(json_t *list, const char *source, const char *application, rs_app_inventory *inv)
{
	size_t i;
	json_t *p;
	json_array_foreach(list, i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *version = json_string_value(json_object_get(p, "version"));
		/* a branch ("dev-main") is no release an advisory can name */
		if (name && version && !rs_starts_with(version, "dev-") && strchr(name, '/'))
			rs_app_add(inv, "Packagist", name, version, source, application);
	}
}

int rs_app_read_composer_lock(const char *text, size_t len, const char *source, const char *application,
			      rs_app_inventory *inv)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return rs_app_problem(inv, source, _("not JSON (line %d: %s)"), jerr.line, jerr.text);
	int rc = 0;
	json_t *packages = json_object_get(root, "packages");
	json_t *dev = json_object_get(root, "packages-dev");
	if (!json_is_array(packages) && !json_is_array(dev))
		rc = rs_app_problem(inv, source, _("no `packages` list: not a composer.lock"));
	add_list(packages, source, application, inv);
	add_list(dev, source, application, inv);
	json_decref(root);
	return rc;
}

int rs_app_read_composer_installed(const char *text, size_t len, const char *source,
				   const char *application, rs_app_inventory *inv)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return rs_app_problem(inv, source, _("not JSON (line %d: %s)"), jerr.line, jerr.text);
	int rc = 0;
	json_t *list = json_is_array(root) ? root : json_object_get(root, "packages");
	if (!json_is_array(list))
		rc = rs_app_problem(inv, source, _("no package list: not Composer's installed.json"));
	add_list(list, source, application, inv);
	json_decref(root);
	return rc;
}
