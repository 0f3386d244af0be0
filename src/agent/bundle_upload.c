/*
 * bundle_upload.c — the agent sends a collect task's evidence bundle to
 * the server (POST /api/v1/bundles/TASK, signed over the bytes), so an
 * operator can fetch it without reaching the host. The bundle is read
 * with a bound (RS_FLEET_BUNDLE_MAX); the server's reply must name the
 * SHA-256 the agent computed, or the upload does not count.
 */
#include "agent/agent.h"
#include "core/digest.h"
#include "core/i18n.h"
#include "core/util.h"
#include "store/fleet_bundles.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UPLOAD_ATTEMPTS 3

static void pause_ms(long long ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int rs_agent_bundle_upload(rs_agent_state *st, const char *task, const char *path, char *err, size_t errsize)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? rs_strndup(path, (size_t)(slash - path)) : rs_strdup(".");
	size_t len = 0;
	char *data = rs_agent_read_file(dir, slash ? slash + 1 : path, RS_FLEET_BUNDLE_MAX, &len);
	free(dir);
	if (!data) {
		snprintf(err, errsize, _("%s: cannot read the bundle, or it is larger than the %u MiB the server takes"),
			 path, RS_FLEET_BUNDLE_MAX >> 20);
		return 1;
	}
	char hex[65];
	rs_sha256_hex(data, len, hex);
	char *api = rs_sprintf("%s/bundles/%s", RS_FLEET_API, task);
	int rc = -1;
	for (int attempt = 0; attempt < UPLOAD_ATTEMPTS; attempt++) {
		rs_agent_reply reply;
		rs_agent_post_signed(st, api, data, len, &reply);
		const char *sha = json_string_value(json_object_get(reply.body, "sha256"));
		long status = reply.status;
		int wait = reply.retry_after;
		if (status == 200 && sha && strcmp(sha, hex) == 0) {
			rc = 0;
		} else if (status == 200) {
			snprintf(err, errsize, _("the server stored the bundle with another SHA-256 (%.64s, not %s)"),
				 sha ? sha : "none", hex);
			rc = 1;
		} else if (status == 0 || status == 429 || status >= 500) {
			snprintf(err, errsize, _("cannot upload the bundle now: %s"),
				 status ? "the server is busy or its database away" : reply.error);
		} else {
			const char *m = json_string_value(json_object_get(reply.body, "message"));
			snprintf(err, errsize, _("the server refused the bundle (HTTP %ld): %s"), status, m ? m : "");
			rc = 1;
		}
		rs_agent_reply_free(&reply);
		if (rc >= 0)
			break;
		if (attempt + 1 < UPLOAD_ATTEMPTS)
			pause_ms(wait > 0 && wait <= 5 ? wait * 1000LL : 500LL << attempt);
	}
	free(api);
	free(data);
	return rc;
}
