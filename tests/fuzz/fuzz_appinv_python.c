/*
 * fuzz_appinv_python.c — libFuzzer target for the PyPI readers of the
 * application inventory: METADATA/PKG-INFO, requirements*.txt, poetry.lock
 * and Pipfile.lock (the first byte picks one).
 */
#include "fuzz_appinv_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fuzz_appinv_reader readers[] = { rs_app_read_py_metadata, rs_app_read_requirements,
						      rs_app_read_poetry_lock, rs_app_read_pipfile_lock };
	return fuzz_appinv_run(data, size, readers, sizeof(readers) / sizeof(readers[0]));
}
