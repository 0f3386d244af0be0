"""End-to-end: every string the code translates has a Vietnamese translation.

The build extracts every _() and N_() string of src/ into BUILD/po/rasoat.pot
and merges the Vietnamese parts (po/vi/*.po) against it into BUILD/po/vi.po
(cmake/i18n.cmake). A msgid of the template that is missing from the parts,
empty, or marked fuzzy in vi.po would print in English under LANG=vi_VN: this
test lists each one with the file that uses it (`msgattrib --untranslated`
and `--only-fuzzy` must both come out empty), and checks that msgfmt accepts
the merged catalogue with its printf conversions (msgfmt -c).

The bundled content (rule titles, rationales, remediations: rules/) has its
own catalogue, rules/i18n/vi/*.po -> BUILD/po/content-vi.po. Its template is
BUILD/po/rasoat-content.pot when the build makes one, else what the content's
template script (scripts/content-pot.py, owned with the content) writes; the
same check then runs on it. Without either, only the code catalogue is
checked and the test says so.

Last, a translated --help must name the same options as the English one
(translators keep option names): `rasoat --lang vi CMD --help` and
`rasoat --lang en CMD --help` list the same --options for every invocation
test_options.py checks against the option tables and man pages.
"""
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, check, done, run  # noqa: E402
from test_options import INVOCATIONS, OPTION  # noqa: E402

PO_DIR = os.path.join(os.path.dirname(os.path.abspath(RASOAT)), "po")
SRC = os.environ.get("RS_SOURCE_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def unquote(lines):
    """The text of a msgid/msgstr's quoted lines."""
    text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(lines)))
    return (text.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"')
            .replace("\\\\", "\\"))


def entries(path):
    """(msgid, msgstr, locations, flags) of each entry of a PO file, header
    and obsolete (#~) entries left out."""
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    out = []
    for block in blocks:
        lines = [l for l in block.splitlines() if not l.startswith("#~")]
        locs = " ".join(l[3:] for l in lines if l.startswith("#: "))
        flags = " ".join(l[3:] for l in lines if l.startswith("#, "))
        field, parts = None, {"msgid": [], "msgstr": []}
        for l in lines:
            m = re.match(r"^(msgid|msgstr|msgctxt|msgid_plural|msgstr\[\d+\])\s+(.*)$", l)
            if m:
                # a plural entry's forms (msgstr[0], ...) count as its msgstr
                name = "msgstr" if m.group(1).startswith("msgstr[") else m.group(1)
                field = name if name in parts else None
                if field:
                    parts[field].append(m.group(2))
            elif l.startswith('"') and field:
                parts[field].append(l)
        if not parts["msgid"]:
            continue
        msgid = unquote(parts["msgid"])
        if msgid == "":
            continue
        out.append((msgid, unquote(parts["msgstr"]), locs, flags))
    return out


def untranslated(merged):
    """Entries of MERGED that msgattrib finds untranslated or fuzzy."""
    found = []
    for option in ("--untranslated", "--only-fuzzy"):
        p = subprocess.run(["msgattrib", option, "--no-obsolete", merged],
                           capture_output=True, text=True, check=True)
        tmp = merged + ".check"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(p.stdout)
        try:
            found += [(option[2:], e) for e in entries(tmp)] if p.stdout.strip() else []
        finally:
            os.unlink(tmp)
    return found


def check_catalogue(name, template, merged):
    check(os.path.exists(template), f"{name}: the build made no template {template}")
    check(os.path.exists(merged), f"{name}: the build made no merged catalogue {merged}")
    ids = entries(template)
    check(ids, f"{name}: the template {template} holds no string (did extraction fail?)")
    merged_ids = {e[0] for e in entries(merged)}
    lost = [e for e in ids if e[0] not in merged_ids]
    check(not lost, f"{name}: msgids of the template missing from {merged}: {[e[0] for e in lost[:5]]}")
    missing = untranslated(merged)
    # msgattrib agrees with a plain reading of the file (an empty msgstr)
    empty = [e for e in entries(merged) if not e[1].strip()]
    missing += [("empty", e) for e in empty if e[0] not in {m[1][0] for m in missing}]
    if missing:
        print(f"{name}: {len(missing)} msgids without a Vietnamese translation:", file=sys.stderr)
        for kind, (msgid, _, locs, _) in missing:
            print(f"  [{kind}] {locs or '?'}: {msgid!r}", file=sys.stderr)
        check(False, f"{name}: {len(missing)} msgids lack a Vietnamese translation (listed above); "
                     f"add them to the part of their area (po/vi/*.po or rules/i18n/vi/*.po)")
    p = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", merged], capture_output=True, text=True)
    check(p.returncode == 0, f"{name}: msgfmt -c rejects {merged}: {p.stderr[-1500:]}")
    # every translation keeps the printf conversions of its msgid, in order
    conv = re.compile(r"%(?:\d+\$)?[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcspm%]")
    for msgid, msgstr, locs, flags in entries(merged):
        if "c-format" not in flags or not msgstr:
            continue
        a = [re.sub(r"\.\d+(?=s)|\d+|[-+ #]", "", c) for c in conv.findall(msgid) if c != "%%"]
        b = [re.sub(r"\.\d+(?=s)|\d+|[-+ #]", "", c) for c in conv.findall(msgstr) if c != "%%"]
        check(a == b, f"{name}: {locs}: the conversions of {msgid!r} ({a}) differ in its translation ({b})")
    return len(ids)


def help_options(args, lang):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    code, out, err = run("--lang", lang, *args, "--help", env=env, timeout=60)
    return code, set(OPTION.findall(out + err))


def check_help_options():
    """The options of each command's Vietnamese --help are the English ones."""
    def probe(inv):
        return help_options(inv[0], "en"), help_options(inv[0], "vi")
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(probe, INVOCATIONS))
    for (args, _), ((code_en, en), (code_vi, vi)) in zip(INVOCATIONS, results):
        name = " ".join(args)
        check(code_en == 0 and code_vi == 0, f"`rasoat --lang en|vi {name} --help` exit {code_en}, {code_vi}")
        check(en and en == vi, f"`{name} --help`: options only in English {sorted(en - vi)}, "
                               f"only in Vietnamese {sorted(vi - en)}")
    return len(INVOCATIONS)


def check_parts_agree():
    """Each msgid has one Vietnamese wording across the parts po/vi/*.po: the
    build joins them keeping the first translation it meets, so two parts
    that word one msgid differently would let the file order choose (the
    incident forms must keep the circular's wording). Returns the number of
    msgids read."""
    seen, clashes = {}, []
    for path in sorted(glob.glob(os.path.join(SRC, "po", "vi", "*.po"))):
        name = os.path.basename(path)
        for msgid, msgstr, _, _ in entries(path):
            first = seen.setdefault(msgid, (name, msgstr))
            if first[0] != name and first[1] != msgstr:
                clashes.append(f"{msgid[:60]!r}: {first[0]} and {name}")
    check(not clashes, f"{len(clashes)} msgids worded differently in two parts; keep each in one part: "
          f"{clashes[:10]}")
    return len(seen)


def main():
    for tool in ("msgattrib", "msgfmt"):
        check(shutil.which(tool), f"{tool} (gettext) is not installed; scripts/deps.sh installs it")
    passed = 0
    n = check_catalogue("code", os.path.join(PO_DIR, "rasoat.pot"), os.path.join(PO_DIR, "vi.po"))
    print(f"code catalogue: {n} msgids, every one translated")
    passed += 1

    # A catalogue with an untranslated msgid must be caught: the check above
    # is not allowed to pass whatever it reads.
    probe = os.path.join(PO_DIR, "vi-probe.po")
    with open(os.path.join(PO_DIR, "vi.po"), encoding="utf-8") as f:
        text = f.read()
    with open(probe, "w", encoding="utf-8") as f:
        f.write(text + '\n#: src/probe.c\nmsgid "an English string nobody translated"\nmsgstr ""\n')
    try:
        check(any(e[0] == "an English string nobody translated" for _, e in untranslated(probe)),
              "msgattrib does not report an untranslated msgid; the check cannot fail")
    finally:
        os.unlink(probe)
    passed += 1

    content_pot = os.path.join(PO_DIR, "rasoat-content.pot")
    script = os.path.join(SRC, "scripts", "content-pot.py")
    if not os.path.exists(content_pot) and os.path.exists(script):
        # the content's template script (owned with the content) makes it
        content_pot = os.path.join(PO_DIR, "rasoat-content-check.pot")
        subprocess.run([sys.executable, script, "--rules", os.path.join(SRC, "rules"), "-o", content_pot],
                       check=True)
    if os.path.exists(content_pot):
        merged = os.path.join(PO_DIR, "content-vi-merged.po")
        subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged,
                        os.path.join(PO_DIR, "content-vi.po"), content_pot], check=True)
        try:
            n = check_catalogue("content", content_pot, merged)
        finally:
            os.unlink(merged)
            if content_pot.endswith("-check.pot"):
                os.unlink(content_pot)
        print(f"content catalogue: {n} msgids, every one translated")
        passed += 1
    else:
        print(f"content catalogue: no template ({content_pot} is not built yet); "
              "only the code catalogue was checked")
    n = check_help_options()
    print(f"--help: the same options in both languages for {n} invocations")
    passed += 1
    n = check_parts_agree()
    print(f"parts: {n} msgids, each worded once across po/vi/*.po")
    passed += 1
    done("test_i18n_catalogue", passed)


if __name__ == "__main__":
    main()
