/*
 * libhook.c — the verdict on a library that exports libc's own access
 * functions (see libhook.h). Pure apart from rs_libhook_judge_file, so the
 * unit tests feed it built ELF images directly.
 */
#include "rootkit/libhook.h"

#include <string.h>

/* libc's functions a userland rootkit replaces to hide files, processes
 * and connections, or to keep its hold (kill, unlink of itself). */
static const char *const hook_names[] = {
	/* directories */
	"readdir", "readdir64", "readdir_r", "readdir64_r", "opendir", "fdopendir", "scandir", "scandir64",
	"getdents", "getdents64",
	/* files */
	"fopen", "fopen64", "open", "open64", "openat", "openat64", "stat", "stat64", "lstat", "lstat64",
	"fstatat", "fstatat64", "__xstat", "__xstat64", "__lxstat", "__lxstat64", "__fxstatat",
	"__fxstatat64", "statx", "access", "faccessat", "unlink", "unlinkat", "rmdir", "rename",
	"readlink", "readlinkat",
	/* processes */
	"kill", "ptrace", "execve",
	/* sockets */
	"accept", "accept4",
};

size_t rs_libhook_exports(const rs_elf_dyn *d, json_t *hooks)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof(hook_names) / sizeof(hook_names[0]); i++)
		if (rs_elf_dyn_exports(d, hook_names[i])) {
			json_array_append_new(hooks, json_string(hook_names[i]));
			n++;
		}
	return n;
}

bool rs_libhook_hooks(const json_t *hooks)
{
	if (json_array_size(hooks) >= 2)
		return true;
	const char *only = json_string_value(json_array_get(hooks, 0));
	return only && strncmp(only, "readdir", 7) == 0;
}

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* NAME is PREFIX followed by the end, '.', '-' or '_' (a version or variant). */
static bool named(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(name, prefix, n) == 0 && (name[n] == '\0' || name[n] == '.' || name[n] == '-' ||
						 name[n] == '_');
}

static bool known(const char *name)
{
	static const char *const names[] = {
		/* C libraries and the loader */
		"libc", "libc.musl", "ld-linux", "ld-linux-x86-64", "ld-linux-aarch64", "ld-linux-armhf",
		"ld-musl", "ld", "libpthread", "libdl", "librt", "libgcompat", "libuClibc", "ld-uClibc",
		/* sanitizer and analysis runtimes */
		"libasan", "libtsan", "libmsan", "liblsan", "libhwasan", "libubsan", "libclang_rt.asan",
		"libclang_rt.tsan", "libclang_rt.msan", "libclang_rt.hwasan", "libclang_rt.lsan",
		"libclang_rt.ubsan_standalone", "vgpreload_memcheck", "vgpreload_core", "vgpreload_drd",
		"vgpreload_helgrind", "vgpreload_massif", "vgpreload_dhat", "libheaptrack_preload",
		/* build and packaging interposers */
		"libfakeroot", "libfakeroot-sysv", "libfakeroot-tcp", "libfakechroot", "libeatmydata",
		"libpseudo", "libsandbox", "libcwrap", "libuid_wrapper", "libsocket_wrapper", "libnss_wrapper",
		"libpam_wrapper", "libresolv_wrapper", "libpriv_wrapper",
		/* proxies and loggers that wrap connect/accept/exec */
		"libproxychains", "libproxychains4", "libtsocks", "libtorsocks", "libsnoopy", "libtrash",
		"libstdbuf", "libgtk3-nocsd", "libfaketime", "libfaketimeMT", "libdisablesync",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (named(name, names[i]))
			return true;
	return strncmp(name, "libnss_", 7) == 0;
}

bool rs_libhook_known_name(const char *path, const char *soname)
{
	return known(base_of(path)) || (soname && known(base_of(soname)));
}

rs_libhook_kind rs_libhook_judge(const rs_elf_dyn *d, const char *path, const json_t *hooks, bool owned,
				 bool have_packages)
{
	if (!rs_libhook_hooks(hooks) || d->program)
		return RS_LIBHOOK_NONE; /* a program (an ASan build exports interceptors) is not preloadable */
	/* a C library defines the program entry glue; a hooking library does not */
	bool libc = rs_elf_dyn_exports(d, "__libc_start_main") && rs_libhook_known_name(path, d->soname);
	if (rs_libhook_known_name(path, d->soname) || libc)
		return owned || !have_packages ? RS_LIBHOOK_LEGIT : RS_LIBHOOK_LOOKALIKE;
	return owned ? RS_LIBHOOK_PACKAGED : RS_LIBHOOK_ROOTKIT;
}

rs_libhook_kind rs_libhook_judge_file(rs_scan *scan, const char *path, json_t *hooks, const char **owner,
				      char sha256[65])
{
	*owner = NULL;
	sha256[0] = '\0';
	rs_elf_dyn d;
	rs_elf_dyn_init(&d);
	char err[256];
	if (rs_elf_dyn_read(scan->host, path, &d, err, sizeof(err)) < 0) {
		rs_elf_dyn_free(&d);
		return RS_LIBHOOK_NONE;
	}
	memcpy(sha256, d.sha256, 65);
	bool have = rs_scan_has_packages(scan);
	*owner = have ? rs_scan_package_owner(scan, path) : NULL;
	rs_libhook_exports(&d, hooks);
	rs_libhook_kind k = rs_libhook_judge(&d, path, hooks, *owner != NULL, have);
	rs_elf_dyn_free(&d);
	return k;
}
