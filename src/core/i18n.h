/*
 * i18n.h — the language rasoat speaks: English or Vietnamese, through GNU
 * gettext. Every user-facing string in the code is written in English inside
 * _() (or N_() where it sits in a static table and is translated where it is
 * used); the catalogues are po/vi.po and po/en.po, compiled at build time.
 * Titles, rationales and remediations of the bundled content (rules/) are
 * translated through their own domain, rules/i18n/vi.po, by
 * rs_content_text().
 *
 * The language follows --lang, else `lang =` of rasoat.conf, else LANGUAGE,
 * LC_ALL, LC_MESSAGES, LANG:
 * any value starting with "vi" means Vietnamese, anything else English.
 * Only the messages category is switched: numbers in JSON and reports keep
 * the C locale's format whatever the user's locale says.
 */
#ifndef RS_CORE_I18N_H
#define RS_CORE_I18N_H

#include <libintl.h>
#include <stddef.h>

#define RS_TEXT_DOMAIN "rasoat"
#define RS_CONTENT_DOMAIN "rasoat-content"

/* The translation of a string literal of the code. */
#define _(text) gettext(text)
/* Marks a literal for the catalogue without translating it here (static
 * tables); translate it with _() where it is printed. */
#define N_(text) (text)

/* Chooses the language: LANG "vi" or "en", or NULL to follow the
 * environment. Safe to call again (a command's --lang after main's call).
 * Returns 0, or -1 with a message in ERR when LANG is neither. */
int rs_i18n_init(const char *lang, char *err, size_t errsize);

/* The configuration's language (rasoat.conf `lang = vi|en`): chosen like
 * rs_i18n_init(LANG) unless a --lang already chose one, which wins. */
int rs_i18n_prefer(const char *lang, char *err, size_t errsize);

/* "vi" or "en": the language chosen. */
const char *rs_i18n_lang(void);

/* The catalogue directory: $RASOAT_LOCALEDIR, else PREFIX/share/locale for
 * an installed binary, else the build tree's locale/. NULL when none. */
const char *rs_locale_dir(void);

/* The translation of a text of the bundled content (a rule's title,
 * rationale, remediation...), or TEXT itself when it has none. */
const char *rs_content_text(const char *text);

#endif
