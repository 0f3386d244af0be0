/*
 * i18n.c — chooses rasoat's language and binds the gettext catalogues of
 * the code (domain "rasoat") and of the bundled content ("rasoat-content").
 */
#include "core/i18n.h"
#include "core/paths.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char chosen[3] = "en";
static bool explicit_choice; /* --lang chose: the configuration does not override it */

const char *rs_locale_dir(void)
{
	static char path[PATH_MAX + 32];
	const char *env = getenv("RASOAT_LOCALEDIR");
	struct stat st;
	if (env && *env && stat(env, &st) == 0 && S_ISDIR(st.st_mode))
		return env;
	/* a build tree first: its binary sits beside locale/ */
	if (rs_path_beside_binary("locale", path, sizeof(path)))
		return path;
	if (rs_path_beside_binary("../share/locale", path, sizeof(path)))
		return path;
	return NULL;
}

/* The first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set. */
static const char *language_from_environment(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return v;
	}
	return "";
}

int rs_i18n_init(const char *lang, char *err, size_t errsize)
{
	const char *want = lang ? lang : language_from_environment();
	if (lang && strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0) {
		snprintf(err, errsize, _("unknown language \"%s\": use --lang vi or --lang en"), lang);
		return -1;
	}
	if (lang)
		explicit_choice = true;
	bool vi = strncmp(want, "vi", 2) == 0;
	memcpy(chosen, vi ? "vi" : "en", 3);

	/* gettext ignores LANGUAGE under the "C" locale and the user's vi_VN
	 * locale may not be generated: messages run under C.UTF-8 (always on
	 * Debian) with LANGUAGE naming the catalogue. Numbers stay "C". */
	setenv("LANGUAGE", chosen, 1);
	const char *set = setlocale(LC_MESSAGES, "");
	if (!set || !strcmp(set, "C") || !strcmp(set, "POSIX"))
		setlocale(LC_MESSAGES, "C.UTF-8");

	const char *dir = rs_locale_dir();
	if (dir) {
		bindtextdomain(RS_TEXT_DOMAIN, dir);
		bindtextdomain(RS_CONTENT_DOMAIN, dir);
	}
	bind_textdomain_codeset(RS_TEXT_DOMAIN, "UTF-8");
	/* the C library's own messages (getopt's, strerror's) in UTF-8 too:
	 * under the "C" character type they would lose their accents to "?" */
	bind_textdomain_codeset("libc", "UTF-8");
	bind_textdomain_codeset(RS_CONTENT_DOMAIN, "UTF-8");
	textdomain(RS_TEXT_DOMAIN);
	return 0;
}

int rs_i18n_prefer(const char *lang, char *err, size_t errsize)
{
	if (explicit_choice)
		return 0;
	if (rs_i18n_init(lang, err, errsize) != 0)
		return -1;
	explicit_choice = false;
	return 0;
}

const char *rs_i18n_lang(void)
{
	return chosen;
}

const char *rs_content_text(const char *text)
{
	if (!text || !*text)
		return text;
	return dgettext(RS_CONTENT_DOMAIN, text);
}
