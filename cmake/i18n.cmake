# i18n.cmake — the gettext catalogues, compiled at build time into
# BUILD/locale/LANG/LC_MESSAGES/ (where a build-tree binary looks, and what
# `make install` copies to PREFIX/share/locale; src/core/i18n.c).
#  - BUILD/po/rasoat.pot: every _() and N_() string of the code (xgettext);
#  - Vietnamese: po/vi/*.po, one part per area of the code, joined (msgcat),
#    merged with the template so that printf formats are checked (msgfmt -c
#    fails the build on a translation whose conversions differ);
#  - English: the template itself (msgen), the strings as written;
#  - the bundled content's own domain: rules/i18n/vi/*.po -> rasoat-content.mo.
find_program(RS_XGETTEXT xgettext REQUIRED)
find_program(RS_MSGCAT msgcat REQUIRED)
find_program(RS_MSGMERGE msgmerge REQUIRED)
find_program(RS_MSGEN msgen REQUIRED)
find_program(RS_MSGFMT msgfmt REQUIRED)

set(RS_PO_BUILD ${CMAKE_BINARY_DIR}/po)
set(RS_LOCALE_BUILD ${CMAKE_BINARY_DIR}/locale)
set(RS_POT ${RS_PO_BUILD}/rasoat.pot)
file(GLOB RS_VI_PARTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/po/vi/*.po)
file(GLOB RS_CONTENT_VI_PARTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/rules/i18n/vi/*.po)

add_custom_command(OUTPUT ${RS_POT}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${RS_PO_BUILD}
  COMMAND ${RS_XGETTEXT} --from-code=UTF-8 --language=C --keyword=_ --keyword=N_
          --package-name=rasoat --package-version=${PROJECT_VERSION}
          --directory=${CMAKE_SOURCE_DIR} --add-location=file --sort-by-file
          --output=${RS_POT} ${RS_I18N_SOURCES}
  COMMAND sed -i "s/charset=CHARSET/charset=UTF-8/" ${RS_POT}
  DEPENDS ${RS_LIB_SOURCES} ${CMAKE_SOURCE_DIR}/src/main.c
  COMMENT "Extracting the translatable strings (po/rasoat.pot)" VERBATIM)

set(RS_VI_MO ${RS_LOCALE_BUILD}/vi/LC_MESSAGES/rasoat.mo)
add_custom_command(OUTPUT ${RS_VI_MO}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${RS_LOCALE_BUILD}/vi/LC_MESSAGES
  COMMAND ${RS_MSGCAT} --force-po --use-first --to-code=UTF-8 -o ${RS_PO_BUILD}/vi-joined.po ${RS_VI_PARTS}
  COMMAND ${RS_MSGMERGE} --force-po --quiet --no-fuzzy-matching -o ${RS_PO_BUILD}/vi.po
          ${RS_PO_BUILD}/vi-joined.po ${RS_POT}
  COMMAND ${RS_MSGFMT} --check-format -o ${RS_VI_MO} ${RS_PO_BUILD}/vi.po
  DEPENDS ${RS_VI_PARTS} ${RS_POT}
  COMMENT "Compiling the Vietnamese catalogue" VERBATIM)

set(RS_EN_MO ${RS_LOCALE_BUILD}/en/LC_MESSAGES/rasoat.mo)
add_custom_command(OUTPUT ${RS_EN_MO}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${RS_LOCALE_BUILD}/en/LC_MESSAGES
  COMMAND ${RS_MSGEN} --force-po -o ${RS_PO_BUILD}/en.po ${RS_POT}
  COMMAND ${RS_MSGFMT} -o ${RS_EN_MO} ${RS_PO_BUILD}/en.po
  DEPENDS ${RS_POT}
  COMMENT "Compiling the English catalogue" VERBATIM)

set(RS_CONTENT_VI_MO ${RS_LOCALE_BUILD}/vi/LC_MESSAGES/rasoat-content.mo)
add_custom_command(OUTPUT ${RS_CONTENT_VI_MO}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${RS_PO_BUILD} ${RS_LOCALE_BUILD}/vi/LC_MESSAGES
  COMMAND ${RS_MSGCAT} --force-po --use-first --to-code=UTF-8 -o ${RS_PO_BUILD}/content-vi.po ${RS_CONTENT_VI_PARTS}
  COMMAND ${RS_MSGFMT} --check-format -o ${RS_CONTENT_VI_MO} ${RS_PO_BUILD}/content-vi.po
  DEPENDS ${RS_CONTENT_VI_PARTS}
  COMMENT "Compiling the Vietnamese catalogue of the bundled content" VERBATIM)

add_custom_target(catalogues ALL DEPENDS ${RS_VI_MO} ${RS_EN_MO} ${RS_CONTENT_VI_MO})
add_dependencies(rasoat catalogues)
install(DIRECTORY ${RS_LOCALE_BUILD}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/locale)
