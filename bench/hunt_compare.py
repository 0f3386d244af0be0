"""bench/hunt_compare.py — compares rasoat's (file, rule) YARA matches with
`yara -r` output for bench/hunt.sh. Rules whose condition uses no external
variable must match the same files in both; a match by rasoat of a rule
that uses one (yara ran with them empty) is re-run with yara given that
file's values (filename, filepath, extension, filetype, owner)."""
import json
import os
import re
import subprocess
import sys

EXTERNALS = re.compile(r"\b(filename|filepath|extension|filetype|owner)\b")
RULE = re.compile(r"^\s*(?:(?:private|global)\s+)*rule\s+(\w+)", re.M)


def external_rules(sb):
    uses, where = set(), {}
    for name in os.listdir(sb):
        if not name.endswith((".yar", ".yara")):
            continue
        text = open(os.path.join(sb, name), encoding="utf-8", errors="replace").read()
        starts = [(m.start(), m.group(1)) for m in RULE.finditer(text)]
        for i, (pos, rule) in enumerate(starts):
            body = text[pos:starts[i + 1][0] if i + 1 < len(starts) else len(text)]
            cond = body.split("condition:", 1)[-1]
            where[rule] = os.path.join(sb, name)
            if EXTERNALS.search(cond):
                uses.add(rule)
    return uses, where


def main():
    args = sys.argv[1:]
    checker = ["yara", "-w"]
    if args[0] == "--checker":   # a yara_ref binary: "yara_ref 1 -d ... RULES -- PATH"
        checker = [args[1], "1"]
        args = args[2:]
    sb, rasoat_out, yara_out = args[:3]
    uses, where = external_rules(sb)
    ours, evidence = set(), {}
    for line in open(rasoat_out):
        o = json.loads(line)
        if o.get("type") != "finding" or "!" in o["evidence"].get("path", ""):
            continue
        for m in o["evidence"].get("matches", []):
            r = m["rule"]
            if r.startswith("yara:") and not r.startswith("yara:RASOAT_"):
                ours.add((o["evidence"]["path"], r[5:]))
                evidence[o["evidence"]["path"]] = o["evidence"]
    theirs = set()
    for line in open(yara_out):
        parts = line.rstrip("\n").split(" ", 1)
        if len(parts) == 2:
            theirs.add((parts[1], parts[0]))
    plain_ours = {m for m in ours if m[1] not in uses}
    plain_theirs = {m for m in theirs if m[1] not in uses}
    print(f"matches: rasoat {len(ours)}, yara {len(theirs)} "
          f"({len(plain_ours)} / {len(plain_theirs)} by rules without external variables)")
    ok = plain_ours == plain_theirs
    for m in sorted(plain_ours - plain_theirs)[:10]:
        print(f"  only rasoat: {m}")
    for m in sorted(plain_theirs - plain_ours)[:10]:
        print(f"  only yara:   {m}")
    ext = sorted(m for m in ours if m[1] in uses)
    confirmed = 0
    for path, rule in ext:
        ev = evidence[path]
        base = os.path.basename(path)
        dot = base.rfind(".")
        args = checker + ["-d", f"filename={base}", "-d", f"filepath={os.path.dirname(path) or '/'}",
                "-d", f"extension={base[dot:].lower() if dot > 0 else ''}",
                "-d", f"filetype={ev.get('filetype', '')}", "-d", f"owner={ev.get('owner', '')}",
                where[rule]] + (["--"] if checker[0] != "yara" else []) + [path]
        out = subprocess.run(args, capture_output=True, text=True).stdout
        if any(l.split(" ", 1)[0] == rule for l in out.splitlines()):
            confirmed += 1
        else:
            ok = False
            print(f"  not confirmed by yara with the file's externals: {path} {rule}")
    print(f"external-variable matches by rasoat: {len(ext)}, confirmed by {os.path.basename(checker[0])} "
          f"with the same values: {confirmed}")
    for m in ext[:10]:
        print(f"  {m}")
    print("match sets equal: " + ("yes" if ok else "NO"))


if __name__ == "__main__":
    main()
