# install.cmake — `make install` (cmake --install; PREFIX and DESTDIR): the
# binary, the bundled rules under PREFIX/share/rasoat/rules (where an
# installed binary looks, src/core/paths.c), man pages built from man/*.scd
# with scdoc, bash and zsh completion, the systemd units, and — at their
# fixed system paths, which the binary reads — /etc/rasoat/rasoat.conf (kept
# when it exists) and the store directory /var/lib/rasoat (mode 0700).
include(GNUInstallDirs)

# Derived from the prefix unless given (-DRS_SYSTEMD_UNIT_DIR=...), so that
# a later -DCMAKE_INSTALL_PREFIX moves them too.
if(NOT RS_SYSTEMD_UNIT_DIR)
  set(RS_SYSTEMD_UNIT_DIR "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
endif()
if(NOT RS_BASH_COMPLETION_DIR)
  set(RS_BASH_COMPLETION_DIR "${CMAKE_INSTALL_FULL_DATADIR}/bash-completion/completions")
endif()
if(NOT RS_ZSH_COMPLETION_DIR)
  set(RS_ZSH_COMPLETION_DIR "${CMAKE_INSTALL_FULL_DATADIR}/zsh/vendor-completions")
endif()
option(RS_MAN "Build the man pages (needs scdoc)" ON)

install(TARGETS rasoat RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/rules/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/rasoat/rules
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# man/NAME.SECTION.scd -> build/man/NAME.SECTION
if(RS_MAN)
  find_program(SCDOC scdoc)
  if(NOT SCDOC)
    message(WARNING "scdoc not found: the man pages are not built (scripts/deps.sh build installs it)")
  else()
    file(GLOB RS_MAN_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/man/*.scd)
    set(RS_MAN_PAGES)
    foreach(src ${RS_MAN_SOURCES})
      get_filename_component(page ${src} NAME)
      string(REGEX REPLACE "\\.scd$" "" page ${page})
      string(REGEX REPLACE "^.*\\.([0-9])$" "\\1" section ${page})
      set(out ${CMAKE_BINARY_DIR}/man/${page})
      add_custom_command(OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
        COMMAND ${SCDOC} < ${src} > ${out}
        DEPENDS ${src} VERBATIM)
      list(APPEND RS_MAN_PAGES ${out})
      install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
    endforeach()
    add_custom_target(man ALL DEPENDS ${RS_MAN_PAGES})
  endif()
endif()

install(FILES ${CMAKE_SOURCE_DIR}/dist/completion/rasoat.bash
        DESTINATION ${RS_BASH_COMPLETION_DIR} RENAME rasoat)
install(FILES ${CMAKE_SOURCE_DIR}/dist/completion/_rasoat DESTINATION ${RS_ZSH_COMPLETION_DIR})

set(RS_BINDIR ${CMAKE_INSTALL_FULL_BINDIR})
foreach(unit rasoat-scan.service rasoat-agent.service rasoat-server.service)
  configure_file(${CMAKE_SOURCE_DIR}/dist/systemd/${unit}.in ${CMAKE_BINARY_DIR}/systemd/${unit} @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/systemd/${unit} DESTINATION ${RS_SYSTEMD_UNIT_DIR})
endforeach()
install(FILES ${CMAKE_SOURCE_DIR}/dist/systemd/rasoat-scan.timer DESTINATION ${RS_SYSTEMD_UNIT_DIR})

# The binary reads /etc/rasoat/rasoat.conf and stores in /var/lib/rasoat
# whatever the prefix. An existing configuration is the operator's: kept.
# (file(INSTALL) puts DESTDIR before an absolute destination itself.)
install(CODE "
  set(conf \"\$ENV{DESTDIR}/etc/rasoat/rasoat.conf\")
  if(EXISTS \"\${conf}\")
    message(STATUS \"Kept: \${conf} (the new defaults are in ${CMAKE_SOURCE_DIR}/dist/rasoat.conf)\")
  else()
    file(INSTALL \"${CMAKE_SOURCE_DIR}/dist/rasoat.conf\" DESTINATION \"/etc/rasoat\"
         FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()
  file(MAKE_DIRECTORY \"\$ENV{DESTDIR}/var/lib/rasoat\")
  file(CHMOD \"\$ENV{DESTDIR}/var/lib/rasoat\" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
")
