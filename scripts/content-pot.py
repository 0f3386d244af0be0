#!/usr/bin/env python3
"""content-pot.py — the translation template of rasoat's bundled content
(the "rasoat-content" gettext domain, rules/i18n/vi/*.po; src/core/i18n.h
rs_content_text).

It extracts every text of rules/ that reaches a finding or a report:
  policies  rules/policies/*.yml  check title and remediation (src/audit/audit.c)
  devices   rules/devices/*.yml   check title and remediation (src/device/judge.c)
  yara      rules/yara/*.yar      meta description, a hunt finding's title
                                  (src/hunt/emit.c)
  drills    rules/drills/*.yaml   step titles (the run record's steps)
Each msgid is the text exactly as the C loaders see it: YAML scalars are
decoded as libyaml does (quoted styles with their escapes and line folding,
plain and block scalars), YARA strings with YARA's escapes. Each entry
carries its places (#: FILE:LINE) and what it is (#. kind field).

Usage: content-pot.py [--rules DIR] [--kinds policies,yara,...] [-o OUT]
Without -o the template goes to standard output. Python 3 stdlib only; the
e2e test tests/e2e/test_i18n_content.py imports it.
"""
import argparse
import os
import re
import sys

KINDS = ("policies", "devices", "yara", "drills")
# kind -> (directory under rules/, file suffixes)
SOURCES = {
    "policies": ("policies", (".yml", ".yaml")),
    "devices": ("devices", (".yml", ".yaml")),
    "yara": ("yara", (".yar", ".yara")),
    "drills": ("drills", (".yml", ".yaml")),
}
# kind -> the key paths (from the document's root, list items transparent)
# whose scalar values are extracted
WANTED = {
    "policies": {("checks", "title"), ("checks", "name"), ("checks", "remediation")},
    "devices": {("checks", "title"), ("checks", "name"), ("checks", "remediation")},
    "drills": {("steps", "title")},
}


class YamlError(Exception):
    pass


# ---- YAML: a reader of block mappings and sequences of scalars ----------

_KEY = re.compile(r"""([^\s'"\[\]{}#&*!|>%@`,?:-][^:#]*?|-[^\s:][^:#]*?)\s*:(?=\s|$)""")


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _fold_flow(parts):
    """Joins the lines of a multi-line quoted scalar as YAML folds them:
    one line break is a space, N empty lines are N line feeds. PARTS are
    (text, joined) where joined means the previous line ended with an
    escaped line break (double quotes)."""
    out = ""
    empties = 0
    first = True
    for text, joined in parts:
        if first:
            out = text
            first = False
            continue
        if text == "" and not joined:
            empties += 1
            continue
        if joined:
            out += "\n" * empties + text
        elif empties:
            out += "\n" * empties + text
        else:
            out += " " + text
        empties = 0
    if empties:
        # the closing quote began a line: the last break folds as any other
        out += "\n" * (empties - 1) if empties > 1 else " "
    return out


_DQ_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
    "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}


def _quoted(lines, i, col, quote, where):
    """The quoted scalar starting at LINES[I][COL] (the opening quote).
    Returns (value, index of the line after it, rest of the closing line)."""
    parts = []
    buf = ""
    joined = False
    pos = col + 1
    line = lines[i]
    first = True
    while True:
        while pos < len(line):
            ch = line[pos]
            if quote == "'" and ch == "'":
                if pos + 1 < len(line) and line[pos + 1] == "'":
                    buf += "'"
                    pos += 2
                    continue
                parts.append((buf if first else buf.lstrip(" \t"), joined))
                return _fold_flow(parts), i + 1, line[pos + 1:]
            if quote == '"' and ch == '"':
                parts.append((buf if first else buf.lstrip(" \t"), joined))
                return _fold_flow(parts), i + 1, line[pos + 1:]
            if quote == '"' and ch == "\\":
                if pos + 1 >= len(line):  # escaped line break
                    break
                e = line[pos + 1]
                if e in _DQ_ESCAPES:
                    buf += _DQ_ESCAPES[e]
                    pos += 2
                    continue
                width = {"x": 2, "u": 4, "U": 8}.get(e)
                if not width:
                    raise YamlError(f"{where}:{i + 1}: unknown escape \\{e}")
                digits = line[pos + 2:pos + 2 + width]
                if len(digits) != width or not re.fullmatch(r"[0-9A-Fa-f]+", digits):
                    raise YamlError(f"{where}:{i + 1}: bad escape \\{e}{digits}")
                buf += chr(int(digits, 16))
                pos += 2 + width
                continue
            buf += ch
            pos += 1
        # end of the line inside the scalar
        escaped_break = quote == '"' and line.endswith("\\") and not line.endswith("\\\\")
        if escaped_break:
            # the text before the backslash keeps its trailing spaces
            text = buf if first else buf.lstrip(" \t")
            parts.append((text, joined))
            joined = True
        else:
            text = buf if first else buf.strip(" \t")
            parts.append((text.rstrip(" \t"), joined))
            joined = False
        first = False
        buf = ""
        i += 1
        if i >= len(lines):
            raise YamlError(f"{where}: unterminated {quote}-quoted scalar")
        line = lines[i]
        pos = 0
        if escaped_break:
            # leading white space of the next line is dropped
            pos = len(line) - len(line.lstrip(" \t"))


def _strip_comment(text):
    """TEXT without a trailing ' #comment' (plain scalars)."""
    m = re.search(r"(^|\s)#", text)
    return text[:m.start()] if m else text


def _block(lines, i, header, parent_indent, where):
    """The block scalar whose header (| or > with indicators) ends line
    I-1; returns (value, next line index)."""
    m = re.fullmatch(r"([|>])([1-9+-]{0,2})", header)
    if not m:
        raise YamlError(f"{where}:{i}: bad block scalar header {header!r}")
    style, ind = m.group(1), m.group(2)
    chomp = "+" if "+" in ind else "-" if "-" in ind else ""
    digits = "".join(c for c in ind if c.isdigit())
    body = []
    j = i
    content_indent = parent_indent + int(digits) if digits else None
    while j < len(lines):
        line = lines[j]
        if line.strip() == "":
            # spaces past the content's indentation are content
            keep = content_indent is not None and len(line) > content_indent
            body.append(line[content_indent:] if keep else "")
            j += 1
            continue
        ind_n = _indent(line)
        if content_indent is None:
            if ind_n <= parent_indent:
                break
            content_indent = ind_n
        if ind_n < content_indent:
            break
        body.append(line[content_indent:])
        j += 1
    # trailing empty lines belong to chomping
    trail = 0
    while body and body[-1].strip() == "":
        body.pop()
        trail += 1
    # empty lines that are not trailing but lie past the scalar stay inside
    if style == "|":
        text = "\n".join(body)
    else:
        text = ""
        prev = None  # previous non-empty line
        empties = 0
        for b in body:
            if b == "":
                empties += 1
                continue
            if prev is None:
                text = "\n" * empties + b
            else:
                more = b[:1] in (" ", "\t") or prev[:1] in (" ", "\t")
                if more:
                    text += "\n" + "\n" * empties + b
                elif empties:
                    text += "\n" * empties + b
                else:
                    text += " " + b
            prev = b
            empties = 0
    # the file's last line has no line break of its own
    unbroken = j == len(lines) and trail == 0 and lines[-1] != ""
    if body:
        if unbroken and chomp != "-":
            pass
        elif chomp == "":
            text += "\n"
        elif chomp == "+":
            text += "\n" + "\n" * trail
    elif chomp == "+":
        text = "\n" * trail
    return text, j


def _flow_collection(lines, i, col, where):
    """Skips a flow [..] or {..} starting at LINES[I][COL]; returns the
    index of the line after it."""
    depth = 0
    quote = None
    while i < len(lines):
        line = lines[i]
        pos = col
        while pos < len(line):
            ch = line[pos]
            if quote:
                if ch == quote:
                    if quote == "'" and line[pos + 1:pos + 2] == "'":
                        pos += 1
                    else:
                        quote = None
                elif quote == '"' and ch == "\\":
                    pos += 1
            elif ch in "'\"":
                quote = ch
            elif ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
                if depth == 0:
                    return i + 1
            elif ch == "#" and (pos == 0 or line[pos - 1] in " \t"):
                break
            pos += 1
        i += 1
        col = 0
    raise YamlError(f"{where}: unterminated flow collection")


def _scalar(lines, i, col, parent_indent, where):
    """The value that starts at LINES[I][COL] (after 'key:' or '- ').
    Returns (value or None for a nested block or flow collection, next line index)."""
    rest = lines[i][col:].lstrip(" \t")
    col = len(lines[i]) - len(rest)
    if rest.startswith("'") or rest.startswith('"'):
        value, nxt, _ = _quoted(lines, i, col, rest[0], where)
        return value, nxt
    if rest.startswith("[") or rest.startswith("{"):
        return None, _flow_collection(lines, i, col, where)
    if rest.startswith("|") or rest.startswith(">"):
        header = _strip_comment(rest).strip()
        return _block(lines, i + 1, header, parent_indent, where)
    first = _strip_comment(rest).strip()
    if first == "":
        # a scalar may begin on the next, more indented line
        j = i + 1
        while j < len(lines) and (lines[j].strip() == "" or lines[j].lstrip().startswith("#")):
            j += 1
        if j < len(lines) and _indent(lines[j]) > parent_indent:
            nxt = lines[j].lstrip(" ")
            if not (nxt.startswith("- ") or nxt == "-" or _KEY.match(nxt)):
                return _scalar(lines, j, _indent(lines[j]), parent_indent, where)
        return None, i + 1
    # plain scalar, maybe over several more-indented lines
    parts = [first]
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if line.strip() == "":
            parts.append("")
            j += 1
            continue
        if _indent(line) <= parent_indent or line.lstrip().startswith("#"):
            break
        parts.append(_strip_comment(line).strip())
        j += 1
    while parts and parts[-1] == "":
        parts.pop()
    value = ""
    empties = 0
    for k, p in enumerate(parts):
        if k == 0:
            value = p
        elif p == "":
            empties += 1
        else:
            value += ("\n" * empties if empties else " ") + p
            empties = 0
    return value, j


def yaml_scalars(text, where):
    """Yields (path, value, line) for every scalar value of a mapping key in
    the YAML TEXT: PATH is the tuple of keys from the root (sequence items
    are transparent), LINE the 1-based line of the key."""
    lines = text.split("\n")
    stack = []  # (indent, key)
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip(" ")
        if stripped == "" or stripped.startswith("#") or stripped in ("---", "..."):
            i += 1
            continue
        if "\t" in line[:len(line) - len(stripped)]:
            raise YamlError(f"{where}:{i + 1}: tab in indentation")
        indent = len(line) - len(stripped)
        col = indent
        while stripped.startswith("- ") or stripped == "-":
            # a sequence item: what follows sits at the column after the dash
            while stack and stack[-1][0] > indent:
                stack.pop()
            rest = stripped[1:].lstrip(" ")
            col += len(stripped) - len(rest)
            stripped = rest
            indent = col
        if stripped == "":
            i += 1
            continue
        m = _KEY.match(stripped)
        if not m:
            # a scalar item of a sequence (or a continuation already consumed)
            _, i = _scalar(lines, i, col, indent - 1, where)
            continue
        key = m.group(1).strip()
        if key[:1] in "'\"":
            key = key[1:-1]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = tuple(k for _, k in stack) + (key,)
        value, nxt = _scalar(lines, i, col + m.end(), indent, where)
        if value is None:
            stack.append((indent, key))
        else:
            yield path, value, i + 1
        i = nxt


# ---- YARA ---------------------------------------------------------------

_YARA_META = re.compile(r'^\s*description\s*=\s*"((?:[^"\\]|\\.)*)"')
_YARA_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"'}


def yara_unescape(s, where):
    out = ""
    k = 0
    while k < len(s):
        c = s[k]
        if c != "\\":
            out += c
            k += 1
            continue
        e = s[k + 1:k + 2]
        if e in _YARA_ESC:
            out += _YARA_ESC[e]
            k += 2
        elif e == "x" and re.fullmatch(r"[0-9A-Fa-f]{2}", s[k + 2:k + 4]):
            out += chr(int(s[k + 2:k + 4], 16))
            k += 4
        else:
            raise YamlError(f"{where}: unknown escape \\{e} in a YARA string")
    return out


def yara_descriptions(text, where):
    """Yields (rule, description, line) for each rule's meta description."""
    section = None
    rule = None
    in_comment = False
    for n, line in enumerate(text.split("\n"), 1):
        s = line
        if in_comment:
            end = s.find("*/")
            if end < 0:
                continue
            s = s[end + 2:]
            in_comment = False
        if "/*" in s and "*/" not in s[s.find("/*"):]:
            in_comment = True
            s = s[:s.find("/*")]
        m = re.match(r"^\s*(?:(?:private|global)\s+)*rule\s+(\w+)", s)
        if m:
            rule, section = m.group(1), None
            continue
        m = re.match(r"^\s*(meta|strings|condition)\s*:", s)
        if m:
            section = m.group(1)
            continue
        if section == "meta":
            m = _YARA_META.match(s)
            if m:
                yield rule, yara_unescape(m.group(1), f"{where}:{n}"), n


# ---- the template -------------------------------------------------------

def files_of(rules, kind):
    sub, suffixes = SOURCES[kind]
    d = os.path.join(rules, sub)
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(suffixes))


def extract(rules, kinds=KINDS):
    """Every translatable text of the bundled content under RULES, in file
    order: a list of dicts {msgid, kind, what, places: [(file, line)]},
    one per distinct msgid (file is relative to RULES' parent)."""
    base = os.path.dirname(os.path.abspath(rules))
    entries = {}
    order = []

    def add(msgid, kind, what, path, line):
        if not msgid.strip():
            return
        rel = os.path.relpath(path, base)
        e = entries.get(msgid)
        if not e:
            e = entries[msgid] = {"msgid": msgid, "kind": kind, "what": [], "places": []}
            order.append(msgid)
        if f"{kind} {what}" not in e["what"]:
            e["what"].append(f"{kind} {what}")
        e["places"].append((rel, line))

    for kind in kinds:
        for path in files_of(rules, kind):
            with open(path, encoding="utf-8") as fp:
                text = fp.read()
            if kind == "yara":
                for _rule, desc, line in yara_descriptions(text, path):
                    add(desc, kind, "description", path, line)
                continue
            for keys, value, line in yaml_scalars(text, path):
                if keys in WANTED[kind]:
                    add(value, kind, keys[-1], path, line)
    return [entries[m] for m in order]


def po_quote(s):
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    if "\n" not in s:
        return f'"{s}"'
    pieces = s.split("\n")
    out = ['""']
    for k, p in enumerate(pieces):
        if k < len(pieces) - 1:
            out.append(f'"{p}\\n"')
        elif p:
            out.append(f'"{p}"')
    return "\n".join(out)


HEADER = """# Template of the translatable texts of rasoat's bundled content (rules/),
# written by scripts/content-pot.py; the translations are rules/i18n/LANG/*.po.
msgid ""
msgstr ""
"Project-Id-Version: rasoat-content\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n\""""


def pot(entries):
    out = [HEADER]
    for e in entries:
        out.append("")
        for w in e["what"]:
            out.append(f"#. {w}")
        for f, ln in e["places"]:
            out.append(f"#: {f}:{ln}")
        out.append("msgid " + po_quote(e["msgid"]))
        out.append('msgstr ""')
    return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="Writes the translation template of rasoat's bundled content.")
    ap.add_argument("--rules", default=os.path.join(here, "..", "rules"), help="the rules directory (default: the checkout's)")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds: " + ", ".join(KINDS))
    ap.add_argument("-o", "--output", help="the template to write (default: standard output)")
    a = ap.parse_args()
    kinds = [k for k in a.kinds.split(",") if k]
    for k in kinds:
        if k not in KINDS:
            ap.error(f"unknown kind {k!r}: use {', '.join(KINDS)}")
    try:
        text = pot(extract(os.path.normpath(a.rules), kinds))
    except (OSError, YamlError, UnicodeDecodeError) as e:
        print(f"content-pot: {e}", file=sys.stderr)
        return 1
    if a.output:
        with open(a.output, "w", encoding="utf-8") as fp:
            fp.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
