/*
 * system.c — the live system's state that is neither a process nor a
 * network table: the kernel ring buffer (klogctl, what dmesg prints:
 * module loads, segfaults, taint), a few /proc files as the kernel
 * prints them (version, cmdline, uptime, loadavg, cpuinfo, meminfo,
 * partitions, swaps, filesystems, stat), and the usage of each mounted
 * filesystem (statvfs, what df prints).
 */
#include "evidence/evidence.h"
#include "core/json.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/statvfs.h>

#define KLOG_MAX (16u << 20)
#define PROC_FILE_MAX (4u << 20)
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

static const char *const proc_files[] = {
	"version", "cmdline", "uptime", "loadavg", "cpuinfo", "meminfo", "partitions", "swaps",
	"filesystems", "stat", "sys/kernel/tainted", "sys/kernel/hostname",
};

static int add_klog(rs_evidence *ev)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (size <= 0 || (unsigned)size > KLOG_MAX) {
		rs_bundle_note(&ev->bundle, "klogctl", "kernel log not read: %s",
			       size < 0 ? strerror(errno) : "no buffer");
		return 0;
	}
	char *buf = rs_malloc((size_t)size);
	int n = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	int rc = 0;
	if (n < 0) {
		rs_bundle_note(&ev->bundle, "klogctl", "kernel log not read: %s", strerror(errno));
	} else {
		rc = rs_bundle_add_data(&ev->bundle, "volatile/kernel_log.txt", buf, (size_t)n,
					"klogctl(SYSLOG_ACTION_READ_ALL)", NULL);
		if (rc == 0)
			json_object_set_new(ev->classes, "kernel_log", json_string("volatile/kernel_log.txt"));
	}
	free(buf);
	return rc;
}

static json_t *df_json(const rs_facts *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->mounts.len; i++) {
		const rs_mount *m = rs_vec_at(&f->mounts, i);
		struct statvfs sv;
		if (!m->mountpoint || statvfs(m->mountpoint, &sv) < 0)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "mountpoint", rs_json_string(m->mountpoint));
		json_object_set_new(o, "fstype", rs_json_string(m->fstype));
		json_object_set_new(o, "size", json_integer((json_int_t)(sv.f_blocks * sv.f_frsize)));
		json_object_set_new(o, "free", json_integer((json_int_t)(sv.f_bavail * sv.f_frsize)));
		json_object_set_new(o, "inodes", json_integer((json_int_t)sv.f_files));
		json_object_set_new(o, "inodes_free", json_integer((json_int_t)sv.f_favail));
		json_object_set_new(o, "read_only", json_boolean((sv.f_flag & ST_RDONLY) != 0));
		json_array_append_new(a, o);
	}
	return a;
}

int rs_evidence_system(rs_evidence *ev)
{
	int rc = add_klog(ev);
	for (size_t i = 0; rc == 0 && i < sizeof(proc_files) / sizeof(proc_files[0]); i++) {
		char *text = NULL;
		size_t len = 0;
		if (rs_proc_read(ev->host, proc_files[i], PROC_FILE_MAX, &text, &len) < 0)
			continue;
		char *member = rs_sprintf("volatile/proc/%s", proc_files[i]);
		char *source = rs_sprintf("/proc/%s", proc_files[i]);
		rc = rs_bundle_add_data(&ev->bundle, member, text, len, source, NULL);
		free(source);
		free(member);
		free(text);
	}
	if (rc == 0)
		json_object_set_new(ev->classes, "system", json_string("volatile/proc/"));
	if (rc == 0)
		rc = rs_evidence_add_class(ev, "filesystems", "volatile/df.json", df_json(&ev->facts), "statvfs of each mount");
	return rc;
}
