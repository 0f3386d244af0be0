#!/usr/bin/env python3
"""`rasoat drill run sandbox-system --root SANDBOX --authorize`: the steps
that change the whole system (a new account, shell history turned off in a
throw-away account's home, /etc/ld.so.preload) run only
against a fixture root, are detected (coverage 100 %), and the fixture is
byte-for-byte as before afterwards (contents, modes, owners, mtimes,
xattrs). On the live host those steps are refused (skipped)."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import done, run  # noqa: E402
import drill_e2e  # noqa: E402
from drill_e2e import ok  # noqa: E402


def tree(root):
    out = {}
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            out[os.path.relpath(p, root)] = drill_e2e._entry(p)
    out["."] = drill_e2e._entry(root)
    return out


def main():
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "sandbox")
        for d in ("etc/cron.d", "tmp", "root"):
            os.makedirs(os.path.join(root, d))
        for name, text, mode in (("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n", 0o644),
                                 ("etc/shadow", "root:*:20000:0:99999:7:::\n", 0o640),
                                 ("etc/group", "root:x:0:\n", 0o644)):
            with open(os.path.join(root, name), "w") as f:
                f.write(text)
            os.chmod(os.path.join(root, name), mode)
        os.setxattr(os.path.join(root, "etc/passwd"), "user.rasoat-test", b"keep me")
        for d, _, _ in os.walk(root):
            os.utime(d, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
        before = tree(root)
        db = os.path.join(tmp, "state", "rasoat.db")
        os.makedirs(os.path.dirname(db))
        try:
            code, out, err = run("drill", "run", "sandbox-system", "--root", root, "--db", db, "--authorize",
                                 "--confirm-host", drill_e2e.hostname(), "--format", "json")
            ok(code == 0, f"the sandbox drill went through: {code} {out[-2000:]} {err[-2000:]}")
            r = json.loads(out.splitlines()[-1])
            ok(r["coverage"] == 1.0 and r["residue"] == 0, f"coverage 100 %, zero residue: {r}")
            kinds = {s["kind"]: s for s in r["steps"]}
            ok(kinds["account"]["detected"] and kinds["ld-preload"]["detected"],
               "the account and the preload were detected")
            ok(kinds["history-wipe"]["detected"], f"history turned off was detected: {kinds['history-wipe']}")
            ok(all(isinstance(s["ttd_ms"], int) for s in r["steps"]), "time-to-detect of every step")
        finally:
            run("drill", "cleanup", "--db", db, "--root", root)
        after = tree(root)
        diffs = [k for k in set(before) | set(after) if before.get(k) != after.get(k)]
        ok(not diffs, f"the sandbox is as before: {[(k, before.get(k), after.get(k)) for k in diffs][:5]}")
        # on the live host, the whole-system steps are skipped, never planted (dry run: nothing changes)
        code, out, err = run("drill", "run", "sandbox-system", "--db", db)
        ok(code == 0 and out.count("skipped: needs a sandbox root") == 3, f"refused on the live host: {out}")
    done("test_drill_sandbox", drill_e2e.CHECKS[0])


if __name__ == "__main__":
    main()
