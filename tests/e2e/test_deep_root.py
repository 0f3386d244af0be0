"""rasoat scan --root of one fixture root with the rootkit, persist and
integrity modules together: every planted artefact of the deep fixture
(persistence, known rootkit files, preload, tampered and unowned system
files) is found with its ATT&CK id at medium or above, and no clean
look-alike is reported at medium or above by any of the three modules."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "deep"))
import deepfixture  # noqa: E402
from rasoat_e2e import Tree, check, done, findings, jsonl, run  # noqa: E402

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


if os.geteuid() != 0:
    print("test_deep_root: 0 passed, 0 failed, 1 skipped")  # file capabilities need root
    sys.exit(0)

SEV = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

with Tree() as t:
    deepfixture.build(t)
    code, out, err = run("scan", "--root", t.path, "--only", "rootkit,persist,integrity", "--no-db",
                         "--format", "jsonl", "-q", "--recent", "0")
    ok(code == 1, f"exit {code} (high findings): {err[-2000:]}")
    fs = findings(jsonl(out))
    got = {}
    for f in fs:
        got.setdefault((f["rule"], f["evidence"].get("path")), f)
    ok(len(deepfixture.PLANTED) >= 25, f"{len(deepfixture.PLANTED)} planted artefacts")
    for key, attack in deepfixture.PLANTED.items():
        f = got.get(key)
        ok(f is not None, f"planted {key} not found; found {sorted(k for k in got if k[0].startswith(key[0][:14]))}")
        ok(attack in f["attack"], f"{key}: ATT&CK {f['attack']}, wanted {attack}")
        ok(SEV[f["severity"]] >= SEV["medium"], f"{key}: severity {f['severity']}")
    for key, f in got.items():
        if key not in deepfixture.PLANTED:
            ok(SEV[f["severity"]] < SEV["medium"], f"look-alike at {f['severity']}: {f['rule']} {f['title']}")
    known = [f for f in fs if f["rule"] == "rasoat:rootkit.known_artifact"]
    ok(all(f["evidence"]["list"].split(":")[0].endswith("known-files.txt") for f in known), "list named")
    ok({f["evidence"]["family"] for f in known} >= {"Reptile", "Jynx2", "Ebury", "Diamorphine", "Medusa"},
       "families named")

    # integrity look-alikes: an edited ordinary conffile is info, an npm-updated file is low
    # and grouped, a doc file dpkg was told not to install is not missing, a diverted program
    # is not unowned
    lr = got.get(("rasoat:integrity.conffile_changed", "/etc/logrotate.conf"))
    ok(lr and lr["severity"] == "info", f"edited logrotate.conf is info: {lr}")
    npm = [f for f in fs if f["rule"] == "rasoat:integrity.package_files_updated_elsewhere"]
    ok(len(npm) == 1 and npm[0]["severity"] == "low" and npm[0]["evidence"]["package"] == "nodejs",
       f"npm-updated file: {npm}")
    ok(not any("/usr/share/doc/" in json.dumps(f["evidence"]) for f in fs), "excluded docs are not missing")
    ok(("rasoat:integrity.unowned_system_file", "/usr/bin/pg_config.libpq-dev") not in got, "diverted file")
    ok(("rasoat:integrity.package_file_changed", "/usr/bin/passwd") not in got, "unchanged binary")
    ss = got[("rasoat:integrity.package_file_changed", "/usr/bin/ss")]
    ok(ss["severity"] == "high" and ss["evidence"]["package"] == "iproute2", f"trojaned ss: {ss}")
    sshd = got[("rasoat:integrity.conffile_changed", "/etc/ssh/sshd_config")]
    ok(sshd["severity"] == "medium", f"sshd_config is security-relevant: {sshd}")

    # --threads 1 gives the same verdicts as the default
    code, out1, _ = run("scan", "--root", t.path, "--only", "integrity", "--no-db", "--format", "jsonl",
                        "-q", "--threads", "1", "--fail-on", "none")
    one = sorted((f["rule"], f["evidence"].get("path")) for f in findings(jsonl(out1)))
    ok(one == sorted(k for k in got if k[0].startswith("rasoat:integrity.")) or
       one == sorted((f["rule"], f["evidence"].get("path")) for f in fs if f["module"] == "integrity"),
       "one thread and many agree")

    # The three modules run side by side, their output held back and given
    # out in registry order: the same lines, in the same order, as each
    # module run alone in turn; the summary counts them all.
    def lines_of(*only):
        code, out, err = run("scan", "--root", t.path, "--only", ",".join(only), "--no-db", "--format", "jsonl",
                             "-q", "--recent", "0", "--all", "--fail-on", "none")
        ok(code == 0, f"exit {code}: {err[-2000:]}")
        ls = jsonl(out)
        body = [json.dumps({k: v for k, v in o.items() if k != "scan"}, sort_keys=True)
                for o in ls if o["type"] in ("finding", "check")]
        return body, ls[-1]
    together, summ = lines_of("rootkit", "persist", "integrity")
    apart = []
    for m in ("rootkit", "persist", "integrity"):
        apart += lines_of(m)[0]
    ok(together == apart, f"side by side = in turn ({len(together)} vs {len(apart)} lines)")
    ok(sum(summ["counts"].values()) == sum(1 for x in together if '"type": "finding"' in x),
       f"summary counts every held finding: {summ['counts']}")
    ok(all(summ["modules"][m]["findings"] > 0 for m in ("rootkit", "persist", "integrity")),
       f"each module's findings counted: {summ['modules']}")

done("test_deep_root", checks)
