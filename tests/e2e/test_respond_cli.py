"""`rasoat respond` on a temporary root (--root) and state directory: a dry
run changes nothing; an edited plan is refused until its new token is given;
a plan over the cap is refused without --force; applied actions are rows of
the store's actions table; undo --all is idempotent and
restores the files exactly; `quarantine restore` of an action's image is
journaled as its undo; a plan made from a stored scan quarantines the
webshell the scan found; a live-only action is refused inside --root;
`respond verify` names a changed line; every
command's --help lists its options."""
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile

from rasoat_e2e import check, done, run

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def meta(path):
    st = os.lstat(path)
    fd = os.open(path, os.O_RDONLY | os.O_NOATIME)  # reading must not move atime
    with os.fdopen(fd, "rb") as f:
        data = f.read()
    return (hashlib.sha256(data).hexdigest(), st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns)


def write_plan(path, root, rels):
    plan = {"type": "plan", "version": 1, "scan": None, "host": "cli-test", "root": root,
            "actions": [{"action": "quarantine", "target": {"path": "/" + r}, "finding": "test:cli",
                         "reason": "test"} for r in rels]}
    with open(path, "w") as f:
        json.dump(plan, f, indent=2)
    return plan


def token_of(path):
    code, out, err = run("respond", "token", path, "--format", "json")
    ok(code == 0, f"respond token {path}: {code} {err}")
    return json.loads(out)["token"]


def latest(db):
    code, out, err = run("respond", "list", "--format", "jsonl", "--db", db)
    ok(code == 0, f"respond list: {code} {err}")
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def test_help():
    options = {
        ("respond", "--help"): ["--apply", "--force", "--root", "--db", "--config", "--ttl", "--allow",
                                "--tree", "--format"],
        ("respond", "plan", "--help"): ["--scan", "--db", "--config", "--root", "--output", "--format"],
        ("respond", "apply", "--help"): ["--token", "--force", "--db", "--config", "--root", "--format"],
        ("respond", "token", "--help"): ["--format"],
        ("respond", "list", "--help"): ["--db", "--config", "--format"],
        ("respond", "undo", "--help"): ["--all", "--db", "--config"],
        ("respond", "verify", "--help"): ["--db", "--config"],
        ("quarantine", "--help"): ["--db", "--config", "--format", "--root"],
    }
    for args, opts in options.items():
        code, out, err = run(*args)
        ok(code == 0, f"{' '.join(args)}: exit {code}")
        for o in opts:
            ok(o in out, f"{' '.join(args)} does not list {o}")


def main():
    test_help()
    base = tempfile.mkdtemp(prefix="rasoat-respond-")
    try:
        root = os.path.join(base, "root")
        db = os.path.join(base, "state", "rasoat.db")
        rels = [f"srv/f{i}" for i in range(3)]
        for i, r in enumerate(rels):
            p = os.path.join(root, r)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(f"file {i}\n".encode() * (i + 1))
            os.chmod(p, 0o750)
            os.utime(p, ns=(1_700_000_000_123_456_789, 1_600_000_000_987_654_321))
        before = {r: meta(os.path.join(root, r)) for r in rels}

        # a dry run changes nothing and journals one planned line
        code, out, err = run("respond", "quarantine", "/" + rels[0], "--root", root, "--db", db)
        ok(code == 0, f"dry run exit {code}: {err}")
        ok("would" in out and "--apply" in out, f"dry run output: {out}")
        ok(meta(os.path.join(root, rels[0])) == before[rels[0]], "the dry run changed the file")
        lines = latest(db)
        ok(len(lines) == 1 and lines[0]["state"] == "planned" and lines[0]["dry_run"] is True,
           f"dry run journal: {lines}")
        code, out, err = run("quarantine", "list", "--format", "jsonl", "--db", db)
        ok(code == 0 and out.strip() == "", f"the dry run took an image: {out}")

        # a plan edited after its token was printed is refused
        plan = os.path.join(base, "plan.json")
        write_plan(plan, root, rels)
        token = token_of(plan)
        write_plan(plan, root, rels[:2])  # the operator deletes an action
        code, out, err = run("respond", "apply", plan, "--token", token, "--db", db)
        ok(code == 2 and "respond token" in err and "respond plan" in err, f"edited plan: {code} {err}")
        ok(all(os.path.exists(os.path.join(root, r)) for r in rels), "a refused plan acted")
        token = token_of(plan)
        code, out, err = run("respond", "apply", plan, "--token", token, "--db", db)
        ok(code == 0, f"apply with the new token: {code} {out} {err}")
        ok(out.count("applied") >= 2, f"apply output: {out}")
        ok(not os.path.exists(os.path.join(root, rels[0])) and not os.path.exists(os.path.join(root, rels[1])),
           "planned files still there")
        ok(os.path.exists(os.path.join(root, rels[2])), "a deleted action was applied")
        applied = [l for l in latest(db) if l["state"] == "applied"]
        ok(len(applied) == 2 and all(l["plan"] == token and l["operator"] and l["root"] == root
                                     for l in applied), f"applied lines: {applied}")

        # the store has the applied actions, linked to the finding they answer
        con = sqlite3.connect(db)
        rows = con.execute("SELECT id, finding, action, state, operator, root, line FROM actions").fetchall()
        con.close()
        ok(sorted((r[0], r[3]) for r in rows) == sorted((l["id"], "applied") for l in applied),
           f"store rows {rows} for {applied}")
        ok(all(r[1] == "test:cli" and r[2] == "quarantine" and r[5] == root and json.loads(r[6])["state"] == r[3]
               for r in rows), f"store rows: {rows}")

        # quarantine restore of an action's image is journaled as its undo
        code, out, err = run("quarantine", "list", "--format", "jsonl", "--db", db)
        images = [json.loads(l) for l in out.splitlines() if l.strip()]
        img = next(i for i in images if i["path"] == "/" + rels[0])
        code, out, err = run("quarantine", "restore", img["id"], "--db", db)
        ok(code == 0, f"quarantine restore: {code} {err}")
        ok(meta(os.path.join(root, rels[0])) == before[rels[0]], "restore is not byte-exact")
        states = {l["target"]["path"]: l["state"] for l in latest(db) if not l.get("dry_run")}
        ok(states["/" + rels[0]] == "undone", f"restore not journaled as undo: {states}")

        # undo --all, twice: the second changes nothing
        code, out, err = run("respond", "undo", "--all", "--db", db)
        ok(code == 0, f"undo --all: {code} {err}")
        for r in rels:
            ok(meta(os.path.join(root, r)) == before[r], f"undo --all: {r} not restored exactly")
        code, out, err = run("respond", "undo", "--all", "--db", db)
        ok(code == 0 and "nothing to undo" in out, f"second undo --all: {code} {out} {err}")
        one = applied[0]["id"]
        code, out, err = run("respond", "undo", one, "--db", db)
        ok(code == 0 and "already undone" in out, f"undo of an undone action: {code} {out}")

        # the cap: more than 100 actions needs --force
        many = [f"many/{i}" for i in range(101)]
        for r in many:
            p = os.path.join(root, r)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(r)
        write_plan(plan, root, many)
        token = token_of(plan)
        code, out, err = run("respond", "apply", plan, "--token", token, "--db", db)
        ok(code == 2 and "--force" in err and "100" in err, f"over the cap: {code} {err}")
        ok(all(os.path.exists(os.path.join(root, r)) for r in many), "a plan over the cap acted")
        code, out, err = run("respond", "apply", plan, "--token", token, "--db", db, "--force")
        ok(code == 0, f"over the cap with --force: {code} {err[-2000:]}")
        ok(not any(os.path.exists(os.path.join(root, r)) for r in many), "--force did not apply all")

        # a plan from a stored scan: the webshell hunt finds is proposed for
        # quarantine, applied with the printed token, gone from a rescan
        web = os.path.join(base, "web")
        shell = os.path.join(web, "var/www/s.php")
        os.makedirs(os.path.dirname(shell))
        with open(shell, "w") as f:
            f.write('<?php eval(base64_decode($_POST["x"])); ?>\n')
        code, out, err = run("scan", "--root", web, "--db", db, "--only", "hunt", "--fail-on", "none")
        ok(code == 0, f"scan: {code} {err}")
        code, out, err = run("respond", "plan", "--db", db, "--format", "json", "-o", plan)
        ok(code == 0 and err.startswith("token: "), f"plan: {code} {err}")
        token = err.split()[1]
        with open(plan) as f:
            doc = json.load(f)
        ok(doc["root"] == web and [a["target"] for a in doc["actions"]] == [{"path": "/var/www/s.php"}]
           and doc["actions"][0]["finding"].startswith("yara:"), f"plan from the scan: {doc}")
        code, out, err = run("respond", "apply", plan, "--token", token, "--db", db)
        ok(code == 0 and not os.path.exists(shell), f"apply of the scan's plan: {code} {out} {err}")
        code, out, err = run("scan", "--root", web, "--db", db, "--only", "hunt", "--format", "jsonl")
        ok(code == 0 and '"type":"finding"' not in out, f"rescan after apply: {code} {out[-500:]}")

        # verify: holds, then names a changed line
        code, out, err = run("respond", "verify", "--db", db)
        ok(code == 0 and "hash chain holds" in out, f"verify: {code} {out} {err}")
        journal = os.path.join(base, "state", "journal.jsonl")
        with open(journal) as f:
            text = f.readlines()
        text[1] = text[1].replace('"time":"', '"time":"1', 1)
        with open(journal, "w") as f:
            f.writelines(text)
        code, out, err = run("respond", "verify", "--db", db)
        ok(code == 2 and "line 3" in err, f"verify of a changed line 2: {code} {err}")

        # live-only actions are refused inside --root, alone and in a plan
        code, out, err = run("respond", "--help")
        if " kill" in out.split("actions:")[1].split("\n")[0]:
            code, out, err = run("respond", "kill", "99999", "--root", root, "--db", db, "--apply")
            ok(code == 2 and "cannot act inside --root" in err, f"kill with --root: {code} {err}")
            with open(plan, "w") as f:
                json.dump({"type": "plan", "version": 1, "root": root,
                           "actions": [{"action": "kill", "target": {"pid": 99999}}]}, f)
            code, out, err = run("respond", "apply", plan, "--token", token_of(plan), "--db", db)
            ok(code == 1 and "refused" in out and "running system" in out, f"kill in a plan with a root: {code} {out}")

        # bad input
        code, out, err = run("respond", "apply", plan, "--db", db)
        ok(code == 2 and "--token" in err, f"apply without a token: {code} {err}")
        code, out, err = run("respond", "frobnicate", "x", "--db", db)
        ok(code == 2 and "unknown" in err, f"unknown action: {code} {err}")
        with open(plan, "w") as f:
            f.write('{"type":"plan","version":1,"root":"/","actions":[{"action":"quarantine"}]}')
        code, out, err = run("respond", "token", plan)
        ok(code == 2 and "action 1" in err, f"malformed plan: {code} {err}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    done("test_respond_cli", checks)


main()
