"""End-to-end: device findings in Vietnamese. `rasoat device audit` (and
`rasoat scan --devices`) over the weak fixture of every family, once under
LANG=C.UTF-8 and once under LANG=vi_VN.UTF-8: the Vietnamese run gives every
finding and every evaluated check the title, and every finding the
remediation, that rules/i18n/vi/devices.po gives the English one; every
title there differs from the English; everything else of the finding (rule,
severity, the evidence quoting the configuration) is the same in both
languages; the English run is the policies' own text; the text report in
Vietnamese has no English title left."""
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
import rasoat_e2e as e2e  # noqa: E402

SRC = os.environ.get("RS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
FIX = os.path.join(SRC, "tests", "fixtures", "devices")
PO = os.path.join(SRC, "rules", "i18n", "vi", "devices.po")
# evidence values written for the reader, not for programs: in the run's language
HUMAN_TEXT = {"reason"}
WEAK = ["ios_weak.cfg", "asa_weak.cfg", "nxos_weak.cfg", "junos/weak.conf", "fortios/weak.conf",
        "routeros/weak.rsc"]
# fields that differ between two runs whatever the language
PER_RUN = {"scan", "started", "duration_ms", "time", "id"}
passed = 0


def po_unquote(s):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def read_po(path):
    """msgid -> msgstr of a PO file (no plurals, no contexts: the content's)."""
    out, key, cur = {}, None, None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            m = re.match(r'^(msgid|msgstr) "(.*)"$', line)
            if m:
                key = m.group(1)
                if key == "msgid":
                    cur = [po_unquote(m.group(2)), ""]
                else:
                    cur[1] = po_unquote(m.group(2))
                    out[cur[0]] = cur[1]
            elif line.startswith('"') and cur is not None:
                part = po_unquote(line[1:-1])
                if key == "msgid":
                    cur[0] += part
                else:
                    cur[1] += part
                    out[cur[0]] = cur[1]
    out.pop("", None)
    return out


def env_for(lang):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    return env


def audit(lang, *args):
    c, out, err = e2e.run("device", "audit", "--no-db", *[os.path.join(FIX, w) for w in WEAK], *args,
                          env=env_for(lang))
    e2e.check(c == 1, f"device audit under {lang}: exit {c}\n{err[-2000:]}")
    return out


def test_jsonl():
    global passed
    vi = read_po(PO)
    e2e.check(len(vi) > 400, f"{PO}: only {len(vi)} entries")
    en_lines = e2e.jsonl(audit("C.UTF-8", "--format", "jsonl", "--all"))
    vi_lines = e2e.jsonl(audit("vi_VN.UTF-8", "--format", "jsonl", "--all"))
    e2e.check(len(en_lines) == len(vi_lines), f"{len(en_lines)} lines in English, {len(vi_lines)} in Vietnamese")
    families, findings, checks = set(), 0, 0
    for en, tr in zip(en_lines, vi_lines):
        if en["type"] == "summary":
            continue
        rule = en.get("rule", "")
        e2e.check(rule == tr.get("rule") and rule.startswith("device:"), f"lines out of step: {rule} {tr.get('rule')}")
        families.add(rule.split(":")[1])
        title = en.get("title")
        e2e.check(title in vi, f"{rule}: the title \"{title}\" has no entry in {PO}")
        e2e.check(vi[title] != title, f"{rule}: the title \"{title}\" is not translated")
        e2e.check(tr.get("title") == vi[title], f"{rule}: Vietnamese title \"{tr.get('title')}\", "
                  f"the catalogue says \"{vi[title]}\"")
        if en["type"] == "check":
            checks += 1
            continue
        findings += 1
        rem = en.get("remediation")
        e2e.check(rem, f"{rule}: a device finding without remediation")
        e2e.check(rem in vi, f"{rule}: the remediation \"{rem}\" has no entry in {PO}")
        e2e.check(tr.get("remediation") == vi[rem], f"{rule}: Vietnamese remediation \"{tr.get('remediation')}\", "
                  f"the catalogue says \"{vi[rem]}\"")
        for k in set(en) | set(tr):
            if k in ("title", "remediation") or k in PER_RUN:
                continue
            a, b = en.get(k), tr.get(k)
            if k == "evidence" and isinstance(a, dict) and isinstance(b, dict):
                # the same keys; the values the same except the explanation
                # written for the reader ("reason"), which is in the run's language
                e2e.check(set(a) == set(b), f"{rule}: evidence keys differ: {sorted(a)} / {sorted(b)}")
                a = {x: y for x, y in a.items() if x not in HUMAN_TEXT}
                b = {x: y for x, y in b.items() if x not in HUMAN_TEXT}
            e2e.check(a == b, f"{rule}: {k} differs between the languages: {a!r} / {b!r}")
    e2e.check(len(families) == 6, f"families with findings: {sorted(families)}")
    e2e.check(findings > 200 and checks >= findings, f"{findings} findings, {checks} checks")
    passed += 1


def test_text():
    global passed
    vi = read_po(PO)
    en_text = audit("C.UTF-8", "--format", "text")
    vi_text = audit("vi_VN.UTF-8", "--format", "text")
    e2e.check("Telnet is accepted on VTY lines" in en_text, "English report without the IOS telnet title")
    e2e.check(vi["Telnet is accepted on VTY lines"] in vi_text, "Vietnamese report without the IOS telnet title")
    # the remediation's device command stays as written
    e2e.check("transport input ssh" in vi_text, "the IOS remediation's command was lost")
    for en_title in vi:
        if vi[en_title] != en_title and re.search(r"^\s+\S+\s+" + re.escape(en_title) + "$", vi_text, re.M):
            e2e.fail(f"an English title is left in the Vietnamese report: {en_title}")
    passed += 1


def test_scan_devices():
    global passed
    vi = read_po(PO)
    with e2e.Tree() as t:
        os.makedirs(t.p("configs"))
        shutil.copy(os.path.join(FIX, "nxos_weak.cfg"), t.p("configs/nxos.cfg"))
        root = t.mkdir("root")
        c, out, err = e2e.run("scan", "--root", root, "--only", "device", "--devices", t.p("configs"), "--no-db",
                              "--format", "jsonl", env=env_for("vi_VN.UTF-8"))
        e2e.check(c == 1, f"scan --devices: exit {c}\n{err[-2000:]}")
        found = e2e.findings(e2e.jsonl(out))
        e2e.check(found, "scan --devices found nothing in the weak NX-OS configuration")
        translated = set(vi.values())
        for f in found:
            e2e.check(f["title"] in translated and f["remediation"] in translated,
                      f"{f['rule']}: not in Vietnamese: {f['title']} / {f['remediation']}")
    passed += 1


if __name__ == "__main__":
    try:
        test_jsonl()
        test_text()
        test_scan_devices()
    finally:
        e2e.Tree.remove_all()
    e2e.done("test_device_i18n", passed)
