/*
 * fleet_task_retry.c — no task is left looking handed out forever: at an
 * agent's check-in, its tasks that were handed out but never reported
 * (the check-in reply was lost, or the agent died before it started them)
 * are handed out again, a bounded number of times, then marked "lost";
 * tasks reported running that never finished are marked "lost" after a
 * limit. The agent keeps its own journal of tasks (agent/task_journal.c)
 * and reports their outcome, late if need be, which still counts.
 */
#include "store/fleet_tasks.h"
#include "core/i18n.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>

static int run(rs_db *db, const char *sql, const char *message, const char *agent, long long now, long long cut,
	       long long extra, long long *changed)
{
	rs_db_stmt *stmt = rs_db_prepare(db, sql);
	if (!stmt)
		return -1;
	int i = 1;
	if (message)
		rs_db_bind_text(stmt, i++, message);
	rs_db_bind_int64(stmt, i++, now);
	rs_db_bind_text(stmt, i++, agent);
	rs_db_bind_int64(stmt, i++, cut);
	if (extra >= 0)
		rs_db_bind_int64(stmt, i++, extra);
	if (rs_db_step_done(db, stmt, "hand out unreported tasks again") < 0)
		return -1;
	*changed += rs_db_changes(db);
	return 0;
}

int rs_fleet_task_redeliver(rs_db *db, const char *agent, long long now, long long after, int max_attempts,
			    long long running_limit)
{
	long long changed = 0;
	char *lost = rs_sprintf(_("handed out %d times without any report from the agent; queue it again if it "
				  "is still needed"), max_attempts + 1);
	char *stuck = rs_sprintf(_("reported running, then no report for %lld s (the agent may have stopped); "
				   "its own report still counts if it comes"), running_limit);
	int rc = run(db, "UPDATE fleet_tasks SET state = 'lost', message = ?, updated = ?"
			 " WHERE agent = ? AND state = 'sent' AND delivered < ? AND attempts >= ?",
		     lost, agent, now, now - after, max_attempts, &changed);
	if (rc == 0)
		rc = run(db, "UPDATE fleet_tasks SET state = 'queued', updated = ?, attempts = attempts + 1"
			     " WHERE agent = ? AND state = 'sent' AND delivered < ?",
			 NULL, agent, now, now - after, -1, &changed);
	if (rc == 0)
		rc = run(db, "UPDATE fleet_tasks SET state = 'lost', message = ?, updated = ?"
			     " WHERE agent = ? AND state = 'running' AND updated < ?",
			 stuck, agent, now, now - running_limit, -1, &changed);
	free(lost);
	free(stuck);
	return rc < 0 ? -1 : (int)changed;
}
