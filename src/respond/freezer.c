/*
 * freezer.c — the operations of freezer.h: freeze as planned (falling back
 * to SIGSTOP), list the frozen target, thaw from the before-image.
 */
#include "core/i18n.h"
#include "respond/freezer_parts.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int rs_freezer_freeze(const rs_host *h, const json_t *before, json_t *after, char *err,
		      size_t errsize)
{
	const json_t *plan = json_object_get(before, "freezer");
	bool tree = json_is_true(json_object_get(plan, "tree"));
	json_t *frozen = json_array();
	rs_cg_plan p;
	const char *used = "signal";
	char cg_err[512] = "";
	if (rs_cg_plan_open(h, plan, &p) == 0) {
		int rc = p.child ? rs_cg_freeze_child(h, &p, before, frozen, cg_err, sizeof(cg_err))
				 : rs_cg_freeze_whole(h, &p, before, frozen, cg_err, sizeof(cg_err));
		if (rc == 0) {
			used = p.fs.v2 ? "cgroup2" : "cgroup1";
		} else {
			/* put back what the cgroup attempt changed, then stop by signal */
			char thaw_err[256];
			rs_freezer_thaw(h, before, thaw_err, sizeof(thaw_err));
			json_array_clear(frozen);
		}
		rs_cgroupfs_close(&p.fs);
	}
	if (strcmp(used, "signal") == 0 && rs_freezer_stop_all(h, before, tree, frozen, err, errsize) < 0) {
		char thaw_err[256];
		rs_freezer_continue(h, before, tree, thaw_err, sizeof(thaw_err));
		json_decref(frozen);
		return -1;
	}
	json_object_set_new(after, "freezer_used", json_string(used));
	if (*cg_err)
		json_object_set_new(after, "freezer_fallback", json_string(cg_err));
	json_object_set_new(after, "frozen", frozen);
	return 0;
}

int rs_freezer_members_now(const rs_host *h, const json_t *before, rs_vec *out, char *err,
			   size_t errsize)
{
	const json_t *plan = json_object_get(before, "freezer");
	bool tree = json_is_true(json_object_get(plan, "tree"));
	rs_cg_plan p;
	if (rs_cg_plan_open(h, plan, &p) == 0) {
		int dirfd = rs_cgroup_open(&p.fs, p.child ? p.child : p.cgroup);
		if (dirfd >= 0) {
			rs_cgroup_members(h, dirfd, p.child == NULL, out);
			close(dirfd);
		}
		rs_cgroupfs_close(&p.fs);
	}
	rs_vec now;
	rs_vec_init(&now, sizeof(rs_member));
	rs_freezer_live_members(h, before, tree, &now);
	for (size_t i = 0; i < now.len; i++) {
		const rs_member *m = rs_vec_at(&now, i);
		if (!rs_member_has(out, m->pid, m->start))
			*(rs_member *)rs_vec_push(out) = *m;
	}
	rs_vec_free(&now);
	(void)err;
	(void)errsize;
	return 0;
}

int rs_freezer_thaw(const rs_host *h, const json_t *before, char *err, size_t errsize)
{
	if (!h->live || h->proc_fd < 0) {
		snprintf(err, errsize, _("processes can only be thawed on the live host"));
		return -1;
	}
	if (!rs_freezer_same_boot(h, before))
		return 0; /* rebooted since: nothing of it is frozen any more */
	const json_t *plan = json_object_get(before, "freezer");
	bool tree = json_is_true(json_object_get(plan, "tree"));
	int rc = 0;
	rs_cg_plan p;
	if (rs_cg_plan_open(h, plan, &p) == 0) {
		rc = rs_cg_thaw(h, &p, err, errsize);
		rs_cgroupfs_close(&p.fs);
	}
	/* the SIGSTOP fallback may have been taken: continue what it stopped */
	const char *method = json_string_value(json_object_get(plan, "method"));
	bool signal = !method || strcmp(method, "signal") == 0;
	char cont_err[256];
	if (rs_freezer_continue(h, before, signal && tree, cont_err, sizeof(cont_err)) < 0 && rc == 0) {
		snprintf(err, errsize, "%s", cont_err);
		rc = -1;
	}
	return rc;
}
