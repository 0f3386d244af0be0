"""The Vietnamese translation of the bundled content (rules/i18n/vi/*.po,
the "rasoat-content" domain; src/core/i18n.h rs_content_text).

Catalogue: scripts/content-pot.py extracts every text of rules/ that reaches
a finding or a report; each must have a non-empty, non-fuzzy Vietnamese
msgstr (missing ones are listed with the rule file and line). A translation
is not a copy: a msgstr of four words or more must not equal an English
msgid nor be plain ASCII, unless a translator comment says "kept as written"
(a remediation that is only a command). What programs and people type is
kept: every quoted or backquoted text, absolute path and identifier
(PASS_MAX_DAYS, PermitRootLogin, trusted=yes) of the English is in the
translation unchanged.

A policy written in every YAML scalar style is read alike by the audit
loader and the script.

Run time: the bundled policies over the weak fixture root
(tests/fixtures/audit/make_roots.py) and the webshell fixtures plus an EICAR
file through hunt, once under LANG=C.UTF-8 and once under LANG=vi_VN.UTF-8.
In English every check title, remediation and YARA description is exactly
a msgid of the template (the script reads the files as the C loaders do)
and the output is the English of the rules; in Vietnamese each is its
translation."""
import importlib.util
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import rasoat_e2e as e2e  # noqa: E402

SRC = os.environ.get("RS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
RULES = os.path.join(SRC, "rules")
PO_DIR = os.path.join(RULES, "i18n", "vi")
sys.path.insert(0, os.path.join(SRC, "tests", "fixtures", "audit"))
import make_roots  # noqa: E402

# Kinds whose catalogue lands with another branch: checked as soon as their
# rules/i18n/vi/KIND.po exists, announced as skipped until then. Empty this
# once the branch named is merged.
PENDING = {}
KEEP = "kept as written"
MIN_WORDS = 4
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

passed = 0
problems = []


def check(cond, msg):
    global passed
    if cond:
        passed += 1
    else:
        problems.append(msg)


def load_script():
    spec = importlib.util.spec_from_file_location("content_pot", os.path.join(SRC, "scripts", "content-pot.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---- PO files -----------------------------------------------------------

_PO_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def po_string(s, where):
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        e2e.fail(f"{where}: not a PO string: {s}")
    body, out, k = s[1:-1], "", 0
    while k < len(body):
        c = body[k]
        if c == "\\" and k + 1 < len(body):
            if body[k + 1] not in _PO_ESC:
                e2e.fail(f"{where}: unknown escape \\{body[k + 1]}")
            out += _PO_ESC[body[k + 1]]
            k += 2
        else:
            out += c
            k += 1
    return out


def parse_po(path):
    """Entries of the PO file PATH: dicts msgid, msgstr, line, fuzzy,
    comments (translator comments), ctxt. Obsolete (#~) entries are left out."""
    entries = []
    cur = None
    field = None

    def new():
        return {"msgid": None, "msgstr": None, "line": 0, "fuzzy": False, "comments": [], "ctxt": None}

    def finish():
        nonlocal cur
        if cur and cur["msgid"] is not None:
            entries.append(cur)
        cur = new()

    cur = new()
    with open(path, encoding="utf-8") as fp:
        lines = fp.read().split("\n")
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        where = f"{path}:{n}"
        if line == "":
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if cur["msgstr"] is not None:
                finish()
            if line.startswith("#,") and "fuzzy" in line:
                cur["fuzzy"] = True
            elif line.startswith("# ") or line == "#":
                cur["comments"].append(line[1:].strip())
            continue
        m = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if m:
            key = m.group(1)
            if key in ("msgid", "msgctxt") and cur["msgstr"] is not None:
                finish()
            if key.startswith("msgstr["):
                key = "msgstr"
            if key == "msgid":
                cur["line"] = n
            cur[key if key != "msgctxt" else "ctxt"] = po_string(m.group(2), where)
            field = key if key != "msgctxt" else "ctxt"
            continue
        if line.startswith('"') and field:
            cur[field] = (cur[field] or "") + po_string(line, where)
            continue
        e2e.fail(f"{where}: unreadable PO line: {raw}")
    finish()
    return entries


def load_catalogue():
    """msgid -> entry (with its file) over rules/i18n/vi/*.po."""
    cat = {}
    files = sorted(f for f in os.listdir(PO_DIR) if f.endswith(".po")) if os.path.isdir(PO_DIR) else []
    for f in files:
        path = os.path.join(PO_DIR, f)
        for e in parse_po(path):
            if e["msgid"] == "" or e["ctxt"] is not None:
                continue  # the header; rs_content_text uses no context
            e["file"] = os.path.relpath(path, SRC)
            cat.setdefault(e["msgid"], e)
    return cat, files


def translation(cat, msgid):
    e = cat.get(msgid)
    if not e or e["fuzzy"] or not e["msgstr"]:
        return None
    return e["msgstr"]


# ---- what a translation must keep ---------------------------------------

_TOKENS = [
    re.compile(r"(?<![\w])'([^'\n]+?)'(?![\w])"),              # 'quoted'
    re.compile(r'(?<![\w])"([^"\n]+?)"(?![\w])'),              # "quoted"
    re.compile(r"`([^`\n]+)`"),                                # `backquoted`
    re.compile(r"(?<![\w.~$/\\-])(/[\w.*+@%:-]+(?:/[\w.*+@%:-]*)*)"),  # /absolute/path
    re.compile(r"(?<![\w.-])([\w.-]*\w=[\w.-]*)"),                # key=value
    re.compile(r"\b(\w*(?:[a-z][A-Z]|_)\w*)\b"),               # PermitRootLogin, PASS_MAX_DAYS
]


def kept_tokens(text):
    out = []
    for rx in _TOKENS:
        for m in rx.finditer(text):
            t = m.group(1).rstrip(".,;:")
            if len(t) > 1 and t not in out:
                out.append(t)
    return out


def words(text):
    return len(text.split())


def catalogue_checks(cp, cat, po_files):
    kinds = []
    for kind in cp.KINDS:
        if kind in PENDING and f"{kind}.po" not in po_files:
            print(f"SKIP {kind}: rules/i18n/vi/{kind}.po is absent; it lands with the {PENDING[kind]} branch")
            continue
        kinds.append(kind)
    entries = cp.extract(RULES, kinds)
    msgids = {e["msgid"] for e in entries}
    english = {m for m in msgids if words(m) >= MIN_WORDS}
    missing = 0
    for e in entries:
        f, ln = e["places"][0]
        where = f"{f}:{ln}"
        t = translation(cat, e["msgid"])
        if t is None:
            missing += 1
            kind = e["kind"]
            why = "fuzzy" if cat.get(e["msgid"], {}).get("fuzzy") else "no Vietnamese"
            check(False, f"{where}: {why} for {e['what'][0]} {e['msgid']!r} (rules/i18n/vi/{kind}.po)")
            continue
        po = cat[e["msgid"]]
        po_where = f"{po['file']}:{po['line']}"
        kept = any(KEEP in c for c in po["comments"])
        if kept:
            check(t == e["msgid"], f"{po_where}: marked '{KEEP}' but the msgstr differs from the msgid")
        else:
            check(not (t in english or (t == e["msgid"] and words(t) >= MIN_WORDS)),
                  f"{po_where}: the msgstr is English text, not a translation: {t!r}")
            check(words(t) < MIN_WORDS or any(ord(c) > 127 for c in t),
                  f"{po_where}: the msgstr has no Vietnamese letter: {t!r}")
        for tok in kept_tokens(e["msgid"]):
            check(tok in t, f"{po_where}: the translation changes or drops {tok!r} (from {where}): {t!r}")
        check(t.count("\n") == e["msgid"].count("\n") or "\n" not in e["msgid"],
              f"{po_where}: the translation of a multi-line text has another line structure")
    all_ids = {e["msgid"] for e in cp.extract(RULES, cp.KINDS)}
    for m in sorted(set(cat) - all_ids):
        print(f"note: {cat[m]['file']}:{cat[m]['line']}: no longer in the content (stale): {m!r}")
    print(f"catalogue: {len(entries)} texts of {', '.join(kinds)}; {missing} without a translation")
    return entries


# ---- run time -----------------------------------------------------------

def lang_env(lang):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = lang
    env["RASOAT_WAIVERS"] = "/nonexistent"
    return env


def run_lines(args, lang):
    rc, out, err = e2e.run(*args, env=lang_env(lang))
    if rc not in (0, 1):
        e2e.fail(f"rasoat {' '.join(args[:2])} under LANG={lang} exited {rc}: {err[-2000:]}")
    return e2e.jsonl(out)


def audit_run(cp, cat, base):
    weak, _hard = make_roots.build(base)
    policies = [p for p in cp.files_of(RULES, "policies")]
    args = ["audit", "--root", weak, "--no-db", "--format", "jsonl", "--all", "--fail-on", "none"]
    for p in policies:
        args += ["--policy", p]
    en = run_lines(args, "C.UTF-8")
    vi = run_lines(args, "vi_VN.UTF-8")
    msgids = {e["msgid"] for e in cp.extract(RULES, ["policies"])}

    def by_rule(lines, typ):
        return {l["rule"]: l for l in lines if l["type"] == typ and l["rule"].startswith("sca:rasoat_")}

    for typ, field in (("check", "title"), ("finding", "title"), ("finding", "remediation")):
        e_lines, v_lines = by_rule(en, typ), by_rule(vi, typ)
        check(e_lines and set(e_lines) == set(v_lines),
              f"audit: the {typ} lines differ between the English and the Vietnamese runs")
        for rule, l in sorted(e_lines.items()):
            text = l.get(field)
            if text is None:
                continue
            check(text in msgids, f"audit {rule}: the {field} the loader read is not in the template "
                                  f"(content-pot.py reads it differently): {text!r}")
            want = translation(cat, text) or text
            got = v_lines.get(rule, {}).get(field)
            check(got == want, f"audit {rule}: Vietnamese {typ} {field} {got!r}, wanted {want!r}")
    n_checks = len(by_rule(en, "check"))
    n_fixes = sum(1 for l in by_rule(en, "finding").values() if l.get("remediation"))
    print(f"audit: {n_checks} check titles and {n_fixes} remediations compared in both languages")


# Every scalar style a policy may use for a title: the script must decode
# each as libyaml does, or the translation would never be found.
TRICKY_POLICY = """policy:
  id: tricky
  name: 'YAML styles'
checks:
  - id: 1
    title: 'It''s single-quoted
      over two lines

      with a paragraph'
    condition: all
    rules: ['f:/etc/passwd']
  - id: 2
    title: "double \\"quoted\\" \\\\ tab\\there \\u00e9 \\x41
      folded \\
        joined"
    condition: all
    rules: ['f:/etc/passwd']
  - id: 3
    title: >-
      folded block
      on lines

      kept paragraph
    condition: all
    rules: ['f:/etc/passwd']
  - id: 4
    title: |
      literal block
        indented
    condition: all
    rules: ['f:/etc/passwd']
  - id: 5
    title: plain scalar
      continued   # a comment
    condition: all
    rules: ['f:/etc/passwd']
  - id: 6
    name:
      'on the next line'
    condition: all
    rules: ['f:/etc/passwd']
"""


def styles_run(cp, t):
    path = t.write("/styles/rules/policies/tricky.yml", TRICKY_POLICY)
    want = {e["msgid"] for e in cp.extract(t.p("/styles/rules"), ["policies"])}
    root = t.mkdir("/styles/root")
    t.write("/styles/root/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n")
    lines = run_lines(["audit", "--root", root, "--no-db", "--format", "jsonl", "--all", "--fail-on", "none",
                       "--policy", path], "C.UTF-8")
    got = {l["title"] for l in lines if l["type"] == "check" and l["rule"].startswith("sca:tricky:")}
    check(len(got) == 6 and got == want, f"YAML styles: the loader reads {sorted(got)}, content-pot.py "
                                         f"{sorted(want)}")
    print(f"styles: {len(got)} titles in six YAML styles compared with the loader")


def hunt_run(cp, cat, t):
    t.write("/samples/eicar.com", EICAR)
    fixtures = os.path.join(SRC, "tests", "fixtures")
    args = ["hunt", t.p("/samples"), os.path.join(fixtures, "webshell"), os.path.join(fixtures, "hunt"),
            "--no-db", "--format", "jsonl"]
    en = run_lines(args, "C.UTF-8")
    vi = run_lines(args, "vi_VN.UTF-8")
    msgids = {e["msgid"] for e in cp.extract(RULES, ["yara"])}

    def yara_findings(lines):
        out = {}
        for l in e2e.findings(lines):
            ms = [m for m in l.get("evidence", {}).get("matches", []) if m.get("rule", "").startswith("yara:RASOAT_")]
            if ms:
                out[(l["rule"], l["evidence"].get("path"))] = (l, ms)
        return out

    e_f, v_f = yara_findings(en), yara_findings(vi)
    check(len(e_f) > 10 and set(e_f) == set(v_f), f"hunt: the findings differ between the languages "
                                                  f"({len(e_f)} English, {len(v_f)} Vietnamese)")
    seen = set()
    for key, (f, ms) in sorted(e_f.items(), key=lambda kv: str(kv[0])):
        vf, vms = v_f.get(key, ({}, []))
        vdesc = {m["rule"]: m.get("description") for m in vms}
        for m in ms:
            d = m.get("description")
            seen.add(d)
            check(d in msgids, f"hunt {m['rule']}: the description libyara gives is not in the template: {d!r}")
            want = translation(cat, d) or d
            check(vdesc.get(m["rule"]) == want, f"hunt {m['rule']}: Vietnamese description "
                                                f"{vdesc.get(m['rule'])!r}, wanted {want!r}")
        if f["rule"].startswith("yara:"):
            best = next(m for m in ms if m["rule"] == f["rule"])
            want = translation(cat, best["description"]) or best["description"]
            check(f["title"].startswith(best["description"]), f"hunt {key}: English title {f['title']!r}")
            check(want in vf.get("title", ""), f"hunt {key}: the Vietnamese title {vf.get('title')!r} "
                                               f"does not carry {want!r}")
    check("EICAR anti-virus test file" in seen, "hunt: the EICAR sample was not found")
    print(f"hunt: {len(e_f)} findings, {len(seen)} YARA descriptions compared in both languages")


def main():
    cp = load_script()
    cat, po_files = load_catalogue()
    catalogue_checks(cp, cat, po_files)
    t = e2e.Tree("rasoat-i18n-content-")
    try:
        styles_run(cp, t)
        audit_run(cp, cat, t.p("/roots"))
        hunt_run(cp, cat, t)
    finally:
        e2e.Tree.remove_all()
    if problems:
        for p in problems[:400]:
            print(f"FAIL {p}")
        if len(problems) > 400:
            print(f"... and {len(problems) - 400} more")
        e2e.fail(f"{len(problems)} problems in the translation of the bundled content")
    e2e.done("test_i18n_content", passed)


if __name__ == "__main__":
    main()
