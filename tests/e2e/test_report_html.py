"""End-to-end: the HTML report reads well on a real scan's worth of
findings. A hunt over a tree with 60 files caught by one rule and one file
caught by several rules naming the same ATT&CK technique gives:
- a hunt finding's `matches` as rule → strings with offsets, never raw JSON;
- each ATT&CK id once per finding;
- above 40 findings, one row per rule with the count and every object's
  path (in a <details> list), the most severe first;
- a findings table of fixed layout (columns sized, long text wrapped) so it
  fits common screen widths;
- every finding's path still in the page (nothing lost by grouping).
"""
import html.parser
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, run  # noqa: E402

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
RULES = """
rule Test_Many { meta: description = "marker many" score = 60
  strings: $a = "rasoat-report-marker" condition: $a }
rule Test_Twice_A { meta: description = "webshell a" score = 75 mitre_attack = "T1505.003"
  strings: $a = "twice-marker-a" condition: $a }
rule Test_Twice_B { meta: description = "webshell b" score = 75 mitre_attack = "T1505.003"
  strings: $b = "twice-marker-b" condition: $b }
"""


class Rows(html.parser.HTMLParser):
    """Collects the findings table's rows: class, text, attack cell text."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.in_findings, self.cell = [], None, False, None
        self.colgroup = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == "findings":
            self.in_findings = True
        if not self.in_findings:
            return
        if tag == "col":
            self.colgroup += 1
        if tag == "tr" and "data-rank" in a:
            self.row = {"class": a.get("class", ""), "text": "", "attack": "", "li": 0}
        if self.row is not None and tag == "td":
            self.cell = a.get("class", "")
        if self.row is not None and tag == "li":
            self.row["li"] += 1

    def handle_endtag(self, tag):
        if tag == "table" and self.in_findings:
            self.in_findings = False
        if tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.row is not None:
            self.row["text"] += data
            if self.cell == "attack":
                self.row["attack"] += data + " "


def main():
    with Tree() as t:
        t.write("rules/test.yar", RULES)
        for i in range(60):
            t.write(f"data/many/f{i:02d}.txt", f"file {i} rasoat-report-marker\n")
        t.write("data/shell.php", b"<?php // twice-marker-a twice-marker-b\n")
        t.write("data/e.com", EICAR)
        page = t.p("report.html")
        code, out, err = run("hunt", t.p("data"), "--rules", t.p("rules"), "--no-db", "-q", "--format", "html",
                             "-o", page, "--fail-on", "none", "--no-trust-packages")
        check(code == 0, f"exit 0: {err[-1500:]}")
        text = open(page, encoding="utf-8").read()
        p = Rows()
        p.feed(text)
        rows = p.rows
        check(p.colgroup == 5 and "table-layout:fixed" in text, "the findings table has a fixed, sized layout")
        groups = [r for r in rows if "group" in r["class"]]
        check(len(groups) == 1 and "60 findings" in groups[0]["text"],
              f"the 60 findings of one rule are one row with the count: {[r['text'][:80] for r in groups]}")
        check(all(f"f{i:02d}.txt" in text for i in range(60)), "every grouped object's path is in the page")
        check(len(rows) == 3, f"3 rows: the group, the PHP file, EICAR ({len(rows)})")
        shell = [r for r in rows if "shell.php" in r["text"]]
        check(len(shell) == 1 and shell[0]["attack"].split() == ["T1505.003"],
              f"ATT&CK ids once per finding: {shell[0]['attack'] if shell else None!r}")
        check(shell and "at offset" in shell[0]["text"] and "$a" in shell[0]["text"] and "$b" in shell[0]["text"],
              "matches are shown as rule, string id and offset")
        check('"strings"' not in text and "&quot;strings&quot;" not in text and "[{" not in text,
              "no raw JSON of matches in the page")
        check("src=\"http" not in text and "<link" not in text, "self-contained")
    done("test_report_html", 9)


if __name__ == "__main__":
    main()
