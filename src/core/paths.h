/*
 * paths.h — where rasoat finds the files it ships: the bundled rules
 * (YARA, IOCs, audit policies, rootkit lists). An installed binary
 * (PREFIX/bin/rasoat) reads PREFIX/share/rasoat/rules; a binary built in a
 * checkout reads the checkout's rules/; $RASOAT_RULES overrides both.
 */
#ifndef RS_PATHS_H
#define RS_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* The bundled rules directory: $RASOAT_RULES when it is a directory, else
 * DIR/../share/rasoat/rules where DIR holds the running binary, else
 * RS_SOURCE_DIR/rules; NULL when none exists. The string is static. */
const char *rs_bundled_rules_dir(void);
/* The same without $RASOAT_RULES: the rules this binary ships with. */
const char *rs_shipped_rules_dir(void);
/* DIR/RELATIVE into OUT, where DIR holds the running binary; false when
 * that is not a directory (or the binary's path is unknown). */
bool rs_path_beside_binary(const char *relative, char *out, size_t size);

#endif
