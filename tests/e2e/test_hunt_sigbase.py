"""End-to-end with signature-base (../shared/corpora/signature-base; skipped
when absent): its YARA rules and IOC files load with no error and no bad
line through one --rules; a rule that depends on the extension and
filetype external variables (SUSP_Known_Type_Cloaked_as_JPG) fires on PHP
bytes named .jpg and not on the same bytes named .php; its EICAR rule
fires; the second run loads the compiled rules from the cache."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary  # noqa: E402

SB = os.path.join(os.environ.get("RS_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..")),
                  "..", "shared", "corpora", "signature-base")
PHP = "<?php exit('rasoat inert test sample'); ?>\n<?php echo 'hello'; ?>\n"
EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def main():
    if not os.path.isdir(os.path.join(SB, "yara")):
        print("test_hunt_sigbase: skipped (no signature-base corpus)")
        done("test_hunt_sigbase", 0)
        return
    passed = 0
    with Tree() as t, Tree() as cache:
        os.environ["RASOAT_CACHE"] = cache.path
        t.write("site/holiday.jpg", PHP)
        t.write("site/holiday.php", PHP)
        t.write("site/eicar.com", EICAR)
        for round in (1, 2):
            code, out, err = run("hunt", t.p("site"), "--rules", SB, "--no-db", "--format", "jsonl",
                                 "--fail-on", "none", timeout=500)
            check(code == 0, f"exit 0, got {code}: {err[-2000:]}")
            check("warning" not in err, f"no warning loading signature-base: {err[-2000:]}")
            lines = jsonl(out)
            rules = summary(lines)["modules"]["hunt"]["rules"]
            check(rules["yara_files_skipped"] == 0 and rules["yara_files"] >= 700 and rules["ioc_bad_lines"] == 0
                  and rules["hash_iocs"] > 1000 and rules["filename_iocs"] > 1000 and rules["c2_iocs"] > 1000,
                  f"signature-base loads whole: {rules}")
            check(rules["from_cache"] == (round == 2), f"round {round}: from_cache {rules['from_cache']}")
            by = {}
            for f in findings(lines):
                by[os.path.basename(f["evidence"]["path"])] = {m["rule"] for m in f["evidence"]["matches"]}
            check("yara:SUSP_Known_Type_Cloaked_as_JPG" in by.get("holiday.jpg", set()),
                  f"PHP cloaked as .jpg: {by}")
            check("yara:SUSP_Known_Type_Cloaked_as_JPG" not in by.get("holiday.php", set()),
                  "the same bytes named .php: not that rule")
            check("yara:SUSP_Just_EICAR" in by.get("eicar.com", set()), f"EICAR: {by}")
            passed += 7
    done("test_hunt_sigbase", passed)


if __name__ == "__main__":
    main()
