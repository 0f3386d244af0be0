"""bench/hunt_compare.py — compares rasoat's (file, rule) YARA matches with
yara's for bench/hunt.sh, both ways.

Forward: rules whose condition uses no external variable must match the
same files in `yara -r` output (yara ran with the externals empty) and in
rasoat's; a match by rasoat of a rule that uses one is re-run with yara
given that file's values (filename, filepath, extension, filetype, owner).

Reverse: the signature-base files that hold a rule using an external
variable are compiled once with libyara (Debian's python3-yara, the same
libyara as rasoat), and every regular file under the benched directories
(the paths in $DIRS, walked as rasoat walks: symlinks not followed, every
size, archives not opened) is matched with its own externals, computed as
src/hunt/externals.c computes them. The (file, rule) set of those rules
must equal rasoat's. Any difference exits 1."""
import json
import os
import pwd
import re
import stat
import subprocess
import sys

try:
    import yara
except ImportError:
    yara = None
    # pyenv and virtualenv interpreters do not see Debian's python3-yara
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

EXTERNALS = re.compile(r"\b(filename|filepath|extension|filetype|owner)\b")
RULE = re.compile(r"^\s*(?:(?:private|global)\s+)*rule\s+(\w+)", re.M)
HEAD = 4096          # externals.c: the filetype is decided from the first 4 KiB ...
LOOK = 512           # ... and text markers are looked for in the first 512 bytes
MAX_DEPTH = 64       # core/walk.c


def external_rules(sb):
    uses, where = set(), {}
    for name in sorted(os.listdir(sb)):
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


# ---- the externals, exactly as src/hunt/externals.c ------------------------

def _contains(h, n, needle):
    """head_contains: a case-insensitive (ASCII) search in the first N bytes."""
    return needle in h[:n].lower()


def filetype(data):
    h = data[:HEAD]
    magic = [(b"\x7fELF", "ELF"), (b"MZ", "EXE"), (b"PK\x03\x04", "ZIP"), (b"Rar!", "RAR"),
             (b"7z\xbc\xaf\x27\x1c", "7Z"), (b"\x1f\x8b", "GZIP"), (b"\xfd7zXZ", "XZ"),
             (b"%PDF", "PDF"), (b"{\\rtf", "RTF"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "DOC"),
             (b"MDMP", "MDMP")]
    for m, name in magic:
        if h.startswith(m):
            return name
    if h[:4] in (b"\xfe\xed\xfa\xce", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe"):
        return "MACH-O"
    if h.startswith(b"\xca\xfe\xba\xbe"):
        return "JAVA" if len(h) >= 8 and h[7] > 30 else "MACH-O"
    look = min(len(h), LOOK)
    if h.startswith(b"#!"):
        eol = 2
        while eol < look and h[eol] != 0x0a:
            eol += 1
        for needle, name in ((b"python", "Python"), (b"perl", "Perl"), (b"php", "PHP"),
                             (b"ruby", "Ruby"), (b"sh", "SHELL")):
            if _contains(h, eol, needle):
                return name
        return "SCRIPT"
    if _contains(h, look, b"<?php"):
        return "PHP"
    if (b"<%@ Page" in h[:look] or b"<%@ Control" in h[:look] or _contains(h, look, b"<%@ webhandler")
            or _contains(h, look, b'runat="server"') or _contains(h, look, b'language="c#"')
            or _contains(h, look, b'language="vb"')):
        return "ASP"
    if _contains(h, look, b"<%@ page") or _contains(h, look, b"<jsp:"):
        return "JSP"
    if _contains(h, look, b"@echo off"):
        return "BATCH"
    return ""


_owners = {}


def owner(uid):
    """rs_owner_name on the live host: the account's name, else the uid."""
    if uid not in _owners:
        try:
            _owners[uid] = os.fsencode(pwd.getpwuid(uid).pw_name)[:63]
        except KeyError:
            _owners[uid] = str(uid).encode()
    return _owners[uid]


def externals(path, data, uid):
    """rs_externals_fill over the path as bytes, with its buffer bounds."""
    slash = path.rfind(b"/")
    base = path[slash + 1:]
    fpath = b"" if slash < 0 else b"/" if slash == 0 else path[:slash]
    dot = base.rfind(b".")
    ext = base[dot:][:63].lower() if dot > 0 else b""
    values = {"filename": base[:255], "filepath": fpath[:4095], "extension": ext,
              "filetype": filetype(data).encode(), "owner": owner(uid)}
    return {k: v.decode("utf-8") for k, v in values.items()}


# ---- the walk, as src/core/walk.c and the hunt's lstat checks --------------

def walk(start):
    """Yields (path, lstat) of the regular files under START (bytes); START
    itself is followed when it is a symlink (the user named it)."""
    st = os.stat(start)
    if not stat.S_ISDIR(st.st_mode):
        if stat.S_ISREG(os.lstat(start).st_mode):
            yield start, os.lstat(start)
        return
    stack = [(start, 0, [(st.st_dev, st.st_ino)])]
    while stack:
        d, depth, seen = stack.pop()
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for name in names:
            p = (b"" if d == b"/" else d) + b"/" + name
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue
            if stat.S_ISREG(st.st_mode):
                yield p, st
            elif stat.S_ISDIR(st.st_mode) and depth + 1 < MAX_DEPTH and \
                    (st.st_dev, st.st_ino) not in seen:
                stack.append((p, depth + 1, seen + [(st.st_dev, st.st_ino)]))


def read_file(path, st):
    """The bytes as rasoat reads them: no following, no blocking, the same file."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if os.fstat(fd).st_ino != st.st_ino:
            return None
        chunks, left = [], st.st_size
        while left > 0:
            b = os.read(fd, min(left, 1 << 24))
            if not b:
                break
            chunks.append(b)
            left -= len(b)
        return b"".join(chunks)
    finally:
        os.close(fd)


def reverse_check(sb, uses, where, dirs):
    """Matches every file with its own externals; returns ({(path, rule)},
    files, rules compared) over the rules of the files holding one that
    uses an external variable."""
    files = sorted({where[r] for r in uses})
    ext = {"filename": "", "filepath": "", "extension": "", "filetype": "", "owner": ""}
    # one default namespace, as rasoat and `yara RULES... TARGET` compile them
    source = "".join('include "%s"\n' % f.replace("\\", "\\\\").replace('"', '\\"') for f in files)
    rules = yara.compile(source=source, externals=ext, includes=True)
    names = {r.identifier for r in rules}
    found, n_files, bad_names = set(), 0, 0
    for d in dirs:
        for path, st in walk(os.fsencode(os.path.realpath(d))):
            try:
                data = read_file(path, st)
            except OSError:
                continue
            if data is None:
                continue
            n_files += 1
            try:
                values = externals(path, data, st.st_uid)
            except UnicodeDecodeError:
                bad_names += 1   # libyara takes the values as C strings; python3-yara only as str
                continue
            for m in rules.match(data=data, externals=values):
                found.add((os.fsdecode(path), m.rule))
    return found, n_files, names, bad_names


def main():
    args = sys.argv[1:]
    checker = ["yara", "-w"]
    if args[0] == "--checker":   # a yara_ref binary: "yara_ref 1 -d ... RULES -- PATH"
        checker = [args[1], "1"]
        args = args[2:]
    sb, rasoat_out, yara_out = args[:3]
    uses, where = external_rules(sb)
    ours, evidence, summary = set(), {}, {}
    for line in open(rasoat_out):
        o = json.loads(line)
        if o.get("type") == "summary":
            summary = o["modules"]["hunt"]
        if o.get("type") != "finding":
            continue
        for m in o["evidence"].get("matches", []):
            r = m["rule"]
            if r.startswith("yara:") and not r.startswith("yara:RASOAT_"):
                ours.add((o["evidence"]["path"], r[5:]))
                evidence[o["evidence"]["path"]] = o["evidence"]
    if summary.get("archive_members"):   # ARCHIVE!MEMBER paths: yara does not open archives
        ours = {m for m in ours if m[0] not in evidence or "!" not in m[0]
                or os.path.lexists(m[0])}
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
    print(f"forward: external-variable matches by rasoat: {len(ext)}, confirmed by "
          f"{os.path.basename(checker[0])} with the same values: {confirmed}")

    dirs = os.environ.get("DIRS", "").split()
    if yara is None or not dirs:
        print("reverse check NOT RUN: " + ("python3-yara is not installed (apt-get install python3-yara)"
                                           if yara is None else "$DIRS is not set"))
        ok = False
    else:
        found, n_files, names, bad_names = reverse_check(sb, uses, where, dirs)
        ext_names = names & uses
        mine = {m for m in ours if m[1] in names}
        print(f"reverse: {n_files} files matched by libyara {yara.YARA_VERSION} (python3-yara) with "
              f"their own externals; rasoat read {summary.get('files', '?')} files")
        if bad_names:
            print(f"  {bad_names} files with names that are not UTF-8 were not compared")
            ok = False
        if summary.get("files") != n_files:
            print("  the file counts differ: the two did not see the same files")
            ok = False
        print(f"  rules compared: {len(names)} ({len(ext_names)} use an external variable) "
              f"from {len({where[r] for r in uses})} files")
        for label, sel in (("rules with external variables", ext_names), ("all those rules", names)):
            a = {m for m in mine if m[1] in sel}
            b = {m for m in found if m[1] in sel}
            print(f"  {label}: rasoat {len(a)}, yara with the files' externals {len(b)}, "
                  f"only rasoat {len(a - b)}, only yara {len(b - a)}")
        for m in sorted(found - mine)[:20]:
            print(f"  only yara (missed by rasoat): {m}")
        for m in sorted(mine - found)[:20]:
            print(f"  only rasoat:                  {m}")
        for m in sorted(m for m in found if m[1] in ext_names)[:20]:
            print(f"  {m}")
        if found != mine:
            ok = False
    print("match sets equal: " + ("yes" if ok else "NO"))
    if not ok:
        print("!!! rasoat and yara disagree (see above): the bench's equality claim does not hold !!!")
        sys.exit(1)


if __name__ == "__main__":
    main()
