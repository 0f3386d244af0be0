"""incident report / export end to end: the VNCERT forms in both languages
and every format, and the STIX 2.1 / MISP / TheHive exports, validated
against the formats' own definitions:
- STIX: the bundle and every object against the OASIS STIX 2.1 JSON schemas
  (corpora/stix2-json-schemas, resolved locally, no network), SCO ids
  recomputed as the spec's UUIDv5, every pattern parsed with the grammar
  (stix_pattern.py, written from STIXPattern.g4);
- MISP: PyMISP's schema.json and describeTypes.json (corpora/misp);
- TheHive: thehive4py's InputAlert/InputObservable type definitions;
- forms: every mandatory (*) field of the notification, Mẫu 03 and Mẫu 04
  present, labelled as in the circular, in form order; the [TBSC] subject;
  the deadlines; the e-mail parsed with Python's email package, its
  attachments present and parseable; --send to a loopback SMTP server.
Records come from tests/fixtures/incident (--record) and from the store
through `incident new --scan` on a stored fixture scan."""
import email
import email.policy
import glob
import json
import os
import socket
import sys
import threading
import uuid

sys.path.insert(0, os.path.dirname(__file__))
import rasoat_e2e as e2e  # noqa: E402
import stix_pattern  # noqa: E402

FIXTURES = os.path.join(os.environ.get("RS_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures")), "incident")
NOW = "2026-12-10T03:00:00Z"


def corpora():
    for base in [os.path.join(os.environ.get("RS_SOURCE_DIR", ""), "..", "shared", "corpora"),
                 "/work/shared/corpora"]:
        if os.path.isdir(os.path.join(base, "stix2-json-schemas", "schemas")):
            return os.path.abspath(base)
    return None


CORPORA = corpora()
if CORPORA is None:
    print("SKIP: the STIX/MISP corpora (../shared/corpora) are absent")
    sys.exit(0)
try:
    import jsonschema
    import referencing
except ImportError:
    print("SKIP: python3-jsonschema is not installed (scripts/deps.sh test installs it)")
    sys.exit(0)


def env():
    e = dict(os.environ)
    e["RASOAT_INCIDENT_NOW"] = NOW
    return e


def run_ok(*args):
    return e2e.run(*args, check_exit=0, env=env())[1]


# ---------------------------------------------------------------- STIX

def stix_registry():
    root = os.path.join(CORPORA, "stix2-json-schemas", "schemas")
    resources = []
    by_name = {}
    for path in glob.glob(os.path.join(root, "*", "*.json")):
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        res = referencing.Resource.from_contents(schema, default_specification=referencing.jsonschema.DRAFT202012)
        resources.append((schema["$id"], res))
        by_name[os.path.relpath(path, root)] = schema
    return referencing.Registry().with_resources(resources), by_name


REGISTRY, SCHEMAS = stix_registry()


def stix_validate(schema_rel, instance, what):
    schema = SCHEMAS[schema_rel]
    v = jsonschema.Draft202012Validator(schema, registry=REGISTRY)
    errors = sorted(v.iter_errors(instance), key=lambda e: list(e.path))
    if errors:
        e2e.fail(f"{what} does not validate against {schema_rel}: {errors[0].message} at {list(errors[0].path)}")


SCO_TYPES = {"file", "ipv4-addr", "ipv6-addr", "domain-name", "url", "user-account", "directory"}
# STIX 2.1 §2.9 / each SCO's "ID Contributing Properties"
CONTRIB = {"file": ["hashes", "name", "extensions", "parent_directory_ref"],
           "ipv4-addr": ["value"], "ipv6-addr": ["value"], "domain-name": ["value"],
           "url": ["value"], "user-account": ["account_type", "user_id", "account_login"],
           "directory": ["path"]}
SCO_NS = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")


def sco_id(obj):
    props = {k: obj[k] for k in CONTRIB[obj["type"]] if k in obj}
    if "hashes" in props:  # one hash, in the spec's order of preference
        h = props["hashes"]
        for k in ("MD5", "SHA-1", "SHA-256", "SHA-512"):
            if k in h:
                props["hashes"] = {k: h[k]}
                break
    canon = json.dumps(props, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{obj['type']}--{uuid.uuid5(SCO_NS, canon)}"


def schema_of(obj):
    t = obj["type"]
    if t == "marking-definition":
        return "common/marking-definition.json"
    if t == "relationship":
        return "sros/relationship.json"
    if t in SCO_TYPES:
        return f"observables/{t}.json"
    return f"sdos/{t}.json"


TLP_IDS = {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",  # white
           "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",  # green
           "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",  # amber
           "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"}  # red


VALIDATED = {}


def check_stix(bundle, record, name):
    key = ("stix", json.dumps(bundle, sort_keys=True))
    if key in VALIDATED:  # the same bundle attached to another e-mail
        return VALIDATED[key]
    VALIDATED[key] = check_stix_once(bundle, record, name)
    return VALIDATED[key]


def check_stix_once(bundle, record, name):
    stix_validate("common/bundle.json", bundle, f"{name}: the bundle")
    objs = bundle["objects"]
    ids = {o["id"] for o in objs}
    if len(ids) != len(objs):
        e2e.fail(f"{name}: duplicate ids in the bundle")
    types = {}
    for o in objs:
        stix_validate(schema_of(o), o, f"{name}: {o['id']}")
        types.setdefault(o["type"], []).append(o)
        for ref in o.get("object_marking_refs", []):
            if ref not in TLP_IDS:
                e2e.fail(f"{name}: {o['id']} marked with {ref}, not a TLP marking")
        for k in ("created_by_ref", "source_ref", "target_ref"):
            if k in o and o[k] not in ids:
                e2e.fail(f"{name}: {o['id']}.{k} points outside the bundle")
        for ref in o.get("object_refs", []):
            if ref not in ids:
                e2e.fail(f"{name}: observed-data refers to {ref}, absent")
        if o["type"] in SCO_TYPES and o["id"] != sco_id(o):
            e2e.fail(f"{name}: {o['id']} is not the spec's UUIDv5 ({sco_id(o)})")
    if len(types.get("identity", [])) != 1 or types["identity"][0]["identity_class"] != "organization":
        e2e.fail(f"{name}: no identity for the reporting organisation")
    if not any(o["id"] in TLP_IDS for o in types.get("marking-definition", [])):
        e2e.fail(f"{name}: the TLP marking-definition is missing")
    sco_values = set()
    for o in objs:
        if o["type"] in SCO_TYPES:
            sco_values.update(str(v) for k, v in o.items() if k in ("value", "name", "account_login"))
            sco_values.update(o.get("hashes", {}).values())
    for ind in types.get("indicator", []):
        try:
            paths = stix_pattern.parse(ind["pattern"])
        except stix_pattern.PatternError as ex:
            e2e.fail(f"{name}: pattern {ind['pattern']!r} does not parse: {ex}")
        if not paths or paths[0][0] not in SCO_TYPES:
            e2e.fail(f"{name}: pattern {ind['pattern']!r} compares no known object")
        literal = ind["pattern"].split(" = ", 1)[1].rstrip("]")
        if stix_pattern.unquote(literal) not in sco_values:
            e2e.fail(f"{name}: pattern {ind['pattern']!r} matches no observed object")
    return types


def check_stix_full(types):
    patterns = {i["pattern"] for i in types["indicator"]}
    for want in ["[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
                 "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
                 "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
                 "[ipv4-addr:value = '198.51.100.7']", "[ipv6-addr:value = '2001:db8::7']",
                 "[domain-name:value = 'c2.bad-example.com']",
                 "[url:value = 'http://c2.bad-example.com/gate.php?id=1']",
                 "[file:name = 'up.php']", "[file:name = 'it\\'s \\\\ odd']"]:
        if want not in patterns:
            e2e.fail(f"STIX: pattern {want} missing; have {sorted(patterns)}")
    if len(types["observed-data"]) != 1:
        e2e.fail("STIX: one observed-data expected")
    aps = {ap["external_references"][0]["external_id"]: ap for ap in types["attack-pattern"]}
    if set(aps) != {"T1505.003", "T1059"}:
        e2e.fail(f"STIX: attack-patterns {sorted(aps)}")
    for tid, ap in aps.items():
        ref = ap["external_references"][0]
        if ref["source_name"] != "mitre-attack" or tid.replace(".", "/") not in ref["url"]:
            e2e.fail(f"STIX: bad ATT&CK reference {ref}")
    mal = types["malware"][0]["id"]
    rels = {(r["source_ref"].split("--")[0], r["relationship_type"], r["target_ref"]) for r in types["relationship"]}
    if ("indicator", "indicates", mal) not in rels:
        e2e.fail("STIX: no indicator indicates the malware")
    for ap in aps.values():
        if ("malware", "uses", ap["id"]) not in rels:
            e2e.fail(f"STIX: the malware does not use {ap['id']}")
    if types["marking-definition"][0]["definition"] != {"tlp": "amber"}:
        e2e.fail("STIX: a confidential incident should be TLP:AMBER")


# ---------------------------------------------------------------- MISP

def misp_files():
    with open(os.path.join(CORPORA, "misp", "schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    with open(os.path.join(CORPORA, "misp", "describeTypes.json"), encoding="utf-8") as f:
        d = json.load(f)
    return schema, d.get("result", d)


MISP_SCHEMA, MISP_TYPES = misp_files()


def check_misp(event, record, name):
    key = ("misp", json.dumps(event, sort_keys=True))
    if key not in VALIDATED:
        VALIDATED[key] = check_misp_once(event, record, name)
    return VALIDATED[key]


def check_misp_once(event, record, name):
    v = jsonschema.Draft4Validator(MISP_SCHEMA)
    errors = list(v.iter_errors(event))
    if errors:
        e2e.fail(f"{name}: MISP event does not validate: {errors[0].message} at {list(errors[0].path)}")
    ev = event["Event"]
    for k in ("info", "date", "threat_level_id", "analysis", "distribution", "timestamp", "uuid"):
        if not isinstance(ev.get(k), str):
            e2e.fail(f"{name}: Event.{k} missing or not a string")
    uuid.UUID(ev["uuid"])
    ioc_types = {"md5", "sha1", "sha256", "ip-dst", "domain", "url", "filename"}
    for a in ev.get("Attribute", []):
        if a["type"] not in MISP_TYPES["category_type_mappings"].get(a["category"], []):
            e2e.fail(f"{name}: MISP does not allow type {a['type']} in category {a['category']}")
        if a["type"] in ioc_types and a["to_ids"] is not True:
            e2e.fail(f"{name}: IOC attribute {a['value']} without to_ids")
        uuid.UUID(a["uuid"])
    tags = [t["name"] for t in ev.get("Tag", [])]
    if not any(t.startswith("tlp:") for t in tags):
        e2e.fail(f"{name}: no tlp tag in {tags}")
    return ev


# ---------------------------------------------------------------- TheHive

# thehive4py's type definitions, TheHive-Project/TheHive4py:
# thehive4py/types/alert.py @ 00a624cc (InputAlertRequired + InputAlert) and
# thehive4py/types/observable.py @ 32968972 (InputObservableRequired + InputObservable)
INPUT_ALERT_REQUIRED = {"type": str, "source": str, "sourceRef": str, "title": str, "description": str}
INPUT_ALERT_OPTIONAL = {"date": int, "externalLink": str, "severity": int, "tags": list, "flag": bool,
                        "tlp": int, "pap": int, "customFields": list, "summary": str, "status": str,
                        "caseTemplate": str, "observables": list}
INPUT_OBSERVABLE_REQUIRED = {"dataType": str}
INPUT_OBSERVABLE_OPTIONAL = {"data": str, "message": str, "startDate": int, "tlp": int, "pap": int,
                             "tags": list, "ioc": bool, "sighted": bool, "sightedAt": int,
                             "ignoreSimilarity": bool, "isZip": bool, "zipPassword": bool}
# TheHive 5's default observable types
THEHIVE_DATATYPES = {"autonomous-system", "domain", "file", "filename", "fqdn", "hash", "hostname", "ip",
                     "mail", "mail-subject", "other", "regexp", "registry", "uri_path", "url", "user-agent"}


def check_typed_dict(obj, required, optional, what):
    for k, t in required.items():
        if not isinstance(obj.get(k), t):
            e2e.fail(f"{what}: required {k} missing or not {t.__name__}")
    for k, v in obj.items():
        if k not in required and k not in optional:
            e2e.fail(f"{what}: {k} is not a field of the type")
        t = required.get(k) or optional.get(k)
        if not isinstance(v, t) or (t is int and isinstance(v, bool)):
            e2e.fail(f"{what}: {k} is not {t.__name__}")


def check_thehive(alert, record, name):
    check_typed_dict(alert, INPUT_ALERT_REQUIRED, INPUT_ALERT_OPTIONAL, f"{name}: alert")
    if alert["source"] != "rasoat" or alert["sourceRef"] != record["id"]:
        e2e.fail(f"{name}: source/sourceRef {alert['source']}/{alert['sourceRef']}")
    for k in ("tlp", "pap"):
        if not 0 <= alert[k] <= 4:
            e2e.fail(f"{name}: {k} out of range")
    if not 1 <= alert["severity"] <= 4:
        e2e.fail(f"{name}: severity out of range")
    seen = set()
    for o in alert["observables"]:
        check_typed_dict(o, INPUT_OBSERVABLE_REQUIRED, INPUT_OBSERVABLE_OPTIONAL, f"{name}: observable")
        if o["dataType"] not in THEHIVE_DATATYPES:
            e2e.fail(f"{name}: dataType {o['dataType']}")
        if (o["dataType"], o["data"]) in seen:
            e2e.fail(f"{name}: observable {o['data']} twice")
        seen.add((o["dataType"], o["data"]))
    return alert


# ---------------------------------------------------------------- forms

# The mandatory (*) fields, labelled as in Circular 20/2017's annex.
MANDATORY = {
    "notify": {"vi": [(1, "Tên tổ chức/cá nhân thông báo sự cố (*)"), (2, "Địa chỉ: (*)"),
                      (3, "Tên hoặc tên miền, địa chỉ IP của hệ thống thông tin bị sự cố (*):"),
                      (4, "Tên địa chỉ của đơn vị, cá nhân vận hành (*):"), (6, "Mô tả sơ bộ về sự cố (*)"),
                      (7, "Ngày phát hiện sự cố (*) (dd/mm/yy)"), (8, "Thời gian phát hiện (*): … giờ … phút"),
                      (9, "Kết quả xử lý sự cố đề xuất (*)")]},
    "initial": {"vi": [(1, "Tên tổ chức/cá nhân báo cáo sự cố (*)"), (2, "Địa chỉ: (*)"), (3, "Điện thoại (*)"),
                       (4, "Email (*)"), (5, "Họ và tên (*)"), (7, "Điện thoại (*)"), (8, "Email (*)"),
                       (9, "Tên đơn vị vận hành hệ thống thông tin (*):"), (16, "Mô tả sơ bộ về sự cố (*)"),
                       (17, "Ngày phát hiện sự cố (*) (dd/mm/yy)"),
                       (18, "Thời gian phát hiện (*): …… giờ.... phút"), (19, "HIỆN TRẠNG SỰ CỐ (*)"),
                       (20, "CÁCH THỨC PHÁT HIỆN * (Đánh dấu những cách thức được sử dụng để phát hiện sự cố)"),
                       (21, "ĐÃ GỬI THÔNG BÁO SỰ CỐ CHO *"),
                       (31, "THỜI GIAN THỰC HIỆN BÁO CÁO SỰ CỐ *: …/…/…../…(ngày/tháng/năm/giờ/phút)")]},
    "final": {"vi": [(1, "Tên tổ chức/cá nhân báo cáo sự cố (*)"), (2, "Địa chỉ: (*)"), (3, "Điện thoại (*)"),
                     (4, "Email (*)"), (6, "Tên đơn vị vận hành hệ thống thông tin (*):"),
                     (11, "Ngày phát hiện sự cố (*) (dd/mm/yy)"),
                     (12, "Thời gian phát hiện (*): …….. giờ.... phút")]},
}
FIELD_COUNT = {"notify": 10, "initial": 31, "final": 14}


def check_form_json(doc, form, lang, record, name):
    items = [i for i in doc["items"] if "n" in i]
    nums = [i["n"] for i in items]
    if nums != list(range(1, FIELD_COUNT[form] + 1)):
        e2e.fail(f"{name}: fields {nums} not the form's 1..{FIELD_COUNT[form]} in order")
    by_n = {i["n"]: i for i in items}
    for n, label in MANDATORY[form]["vi"]:
        it = by_n[n]
        if not it["mandatory"]:
            e2e.fail(f"{name}: field {n} not marked mandatory")
        if lang == "vi" and it["label"] != label:
            e2e.fail(f"{name}: field {n} is labelled {it['label']!r}, the circular says {label!r}")
    for it in items:
        if it.get("blank") and it.get("value") is not None:
            e2e.fail(f"{name}: field {it['n']} both blank and valued")
    if not doc["subject"].startswith("[TBSC] "):
        e2e.fail(f"{name}: subject {doc['subject']!r}")
    if not doc["deadlines"]:
        e2e.fail(f"{name}: no deadline shown")
    if "[sic]" in json.dumps(doc, ensure_ascii=False):
        e2e.fail(f"{name}: a [sic] marker was printed")
    return by_n


def check_form_text(text, form, lang, name):
    """Markdown/HTML: the mandatory labels appear in form order."""
    pos = 0
    labels = [l for _, l in MANDATORY[form]["vi"]] if lang == "vi" else []
    for label in labels:
        found = text.find(label.replace("&", "&amp;"), pos)
        if found < 0:
            e2e.fail(f"{name}: {label!r} missing or out of order")
        pos = found + len(label)


class SMTPServer:
    """A loopback SMTP server that takes one message (enough of RFC 5321 for libcurl)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.mail_from = None
        self.rcpt = []
        self.data = None
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.sock.settimeout(60)
        conn, _ = self.sock.accept()
        conn.settimeout(60)
        f = conn.makefile("rb")
        conn.sendall(b"220 localhost test SMTP\r\n")
        while True:
            line = f.readline()
            if not line:
                break
            cmd = line.decode("ascii", "replace").strip()
            up = cmd.upper()
            if up.startswith("EHLO") or up.startswith("HELO"):
                conn.sendall(b"250-localhost\r\n250 8BITMIME\r\n")
            elif up.startswith("MAIL FROM:"):
                self.mail_from = cmd[10:].strip()
                conn.sendall(b"250 OK\r\n")
            elif up.startswith("RCPT TO:"):
                self.rcpt.append(cmd[8:].strip())
                conn.sendall(b"250 OK\r\n")
            elif up == "DATA":
                conn.sendall(b"354 go on\r\n")
                lines = []
                while True:
                    l = f.readline()
                    if l in (b".\r\n", b""):
                        break
                    lines.append(l[1:] if l.startswith(b"..") else l)
                self.data = b"".join(lines)
                conn.sendall(b"250 queued\r\n")
            elif up == "QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 OK\r\n")
        conn.close()
        self.sock.close()


def check_eml(raw, record, form, lang, name):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if not str(msg["Subject"]).startswith("[TBSC]"):
        e2e.fail(f"{name}: subject {msg['Subject']!r}")
    want_to = (record.get("reporter") or {}).get("report_to") or "ir@vncert.vn"
    if msg["To"].addresses[0].addr_spec != want_to:
        e2e.fail(f"{name}: To {msg['To']}")
    if msg.get_content_type() != "multipart/mixed":
        e2e.fail(f"{name}: not multipart/mixed")
    parts = list(msg.iter_parts())
    alt = parts[0]
    if alt.get_content_type() != "multipart/alternative":
        e2e.fail(f"{name}: first part {alt.get_content_type()}")
    kinds = [p.get_content_type() for p in alt.iter_parts()]
    if kinds != ["text/plain", "text/html"]:
        e2e.fail(f"{name}: alternative parts {kinds}")
    text = alt.get_body(("plain",)).get_content()
    html = alt.get_body(("html",)).get_content()
    if "<script" in html.lower() or "<img" in html.lower() or "<iframe" in html.lower():
        e2e.fail(f"{name}: markup from the record reached the HTML part")
    if form in MANDATORY:
        check_form_text(text, form, lang, name + " text part")
        check_form_text(html, form, lang, name + " html part")
    atts = {p.get_filename(): p for p in msg.iter_attachments()}
    if form != "summary":
        if len(atts) != 2 or not any(n.endswith("-stix.json") for n in atts) or not any(n.endswith("-misp.json") for n in atts):
            e2e.fail(f"{name}: attachments {sorted(atts)}")
        for n, p in atts.items():
            data = json.loads(p.get_content() if isinstance(p.get_content(), str) else p.get_content().decode())
            if n.endswith("-stix.json"):
                check_stix(data, record, name + " attached STIX")
            else:
                check_misp(data, record, name + " attached MISP")
    return msg


# ---------------------------------------------------------------- runs

def exports_and_forms(tree, rec_path, record, label):
    name = f"{label}"
    stix = json.loads(run_ok("incident", "export", "--record", rec_path, "--format", "stix"))
    types = check_stix(stix, record, name + " STIX")
    out = tree.p(label + "-misp.json")
    run_ok("incident", "export", "--record", rec_path, "--format", "misp", "-o", out)
    with open(out, encoding="utf-8") as f:
        check_misp(json.load(f), record, name + " MISP")
    check_thehive(json.loads(run_ok("incident", "export", "--record", rec_path, "--format", "thehive")), record,
                  name + " TheHive")
    for form in ("notify", "initial", "final"):
        for lang in ("vi", "en"):
            tag = f"{name} {form}/{lang}"
            doc = json.loads(run_ok("incident", "report", "--record", rec_path, "--form", form, "--lang", lang,
                                    "--format", "json"))
            check_form_json(doc, form, lang, record, tag)
            if label == "full":  # the others: the same Markdown and HTML are parts of the e-mail
                check_form_text(run_ok("incident", "report", "--record", rec_path, "--form", form, "--lang",
                                       lang), form, lang, tag + " md")
                html = run_ok("incident", "report", "--record", rec_path, "--form", form, "--lang", lang,
                              "--format", "html")
                check_form_text(html, form, lang, tag + " html")
            if label != "full" and lang == "en":
                continue
            eml = tree.p(f"{label}-{form}-{lang}.eml")
            run_ok("incident", "report", "--record", rec_path, "--form", form, "--lang", lang, "--format", "eml",
                   "-o", eml)
            with open(eml, "rb") as f:
                check_eml(f.read(), record, form, lang, tag + " eml")
    return types


def main():
    with e2e.Tree() as tree:
        records = {}
        for fx in ("full", "minimal", "hostile"):
            path = os.path.join(FIXTURES, fx + ".json")
            with open(path, encoding="utf-8") as f:
                records[fx] = json.load(f)
            types = exports_and_forms(tree, path, records[fx], fx)
            if fx == "full":
                check_stix_full(types)
        print("exports and forms: 3 records: 3 exports, 3 forms x 2 languages as json, eml (vi; both for the full one), md and html (the full one)")

        # deadlines and values of the full record in the Vietnamese Mẫu 03
        doc = json.loads(run_ok("incident", "report", "--record", os.path.join(FIXTURES, "full.json"), "--form",
                                "initial", "--lang", "vi", "--format", "json"))
        dues = {d["due"] for d in doc["deadlines"]}
        if dues != {"2026-12-07T01:30:00Z", "2026-12-09T08:00:00Z"}:
            e2e.fail(f"deadlines {dues}")
        if not all(d["overdue"] for d in doc["deadlines"]):
            e2e.fail(f"deadlines before {NOW} not flagged overdue")
        by_n = {i["n"]: i for i in doc["items"] if "n" in i}
        if by_n[17]["value"] != "02/12/26" or by_n[18]["value"] != "08 giờ 30 phút":
            e2e.fail(f"detection date/time {by_n[17]['value']} {by_n[18]['value']} (01:30Z is 08:30 in Vietnam)")
        if by_n[15]["value"] is not None or not by_n[15]["blank"]:
            e2e.fail("field 15 should be a blank to fill")

        # Mẫu 05 over a period: two real incidents and an exercise
        arr = [records["full"], dict(records["full"], id="INC-2026-0009", category="dos", handled_by="vncert"),
               records["minimal"]]
        arr_path = tree.write("all.json", json.dumps(arr, ensure_ascii=False))
        doc = json.loads(run_ok("incident", "report", "--record", arr_path, "--form", "summary", "--lang", "vi",
                                "--format", "json", "--from", "2026-07-01", "--to", "2026-12-31"))
        rows = next(i["rows"] for i in doc["items"] if i.get("kind") == "table")
        if rows[0][5] != "Số sự cố đề nghị VNCERT hỗ trợ lý" or rows[11][1] != "2" or rows[1][5] != "1" or rows[3][2] != "1":
            e2e.fail(f"Mẫu 05 counts: {rows}")
        eml = tree.p("summary.eml")
        run_ok("incident", "report", "--record", arr_path, "--form", "summary", "--format", "eml", "--lang", "vi",
               "-o", eml, "--from", "2026-07-01", "--to", "2026-12-31")
        with open(eml, "rb") as f:
            check_eml(f.read(), records["full"], "summary", "vi", "summary eml")
        print("Mẫu 05: counts per type and handling, exercises left out")

        # refusals
        for args in (["--form", "initial", "--lang", "fr"], ["--form", "bogus"], ["--form", "initial", "--format", "pdf"],
                     ["--form", "initial", "--send"]):
            rc, _, err = e2e.run("incident", "report", "--record", os.path.join(FIXTURES, "full.json"), *args, env=env())
            if rc != 2 or not err.strip():
                e2e.fail(f"report {args}: exit {rc}, {err!r}")
        rc, _, err = e2e.run("incident", "export", "--record", os.path.join(FIXTURES, "full.json"), "--format", "openioc",
                             env=env())
        if rc != 2 or "stix" not in err:
            e2e.fail(f"export --format openioc: exit {rc}, {err!r}")

        bad = tree.write("bad.json", '{"id": "INC-1",\n "title": }\n')
        rc, _, err = e2e.run("incident", "report", "--record", bad, "--form", "initial", env=env())
        if rc != 2 or bad + ":2:" not in err:
            e2e.fail(f"malformed record: exit {rc}, {err!r} (wanted the file and line)")

        # --send to a loopback SMTP server
        server = SMTPServer()
        rec = dict(records["full"])
        rec["reporter"] = dict(rec["reporter"], smtp=f"smtp://127.0.0.1:{server.port}")
        rec_path = tree.write("send.json", json.dumps(rec, ensure_ascii=False))
        run_ok("incident", "report", "--record", rec_path, "--form", "initial", "--lang", "vi", "--format", "eml",
               "--send")
        server.thread.join(30)
        if server.data is None or server.rcpt != ["<ir@vncert.vn>"] or server.mail_from != "<soc@abc.example.vn>":
            e2e.fail(f"SMTP got from={server.mail_from} rcpt={server.rcpt} data={server.data is not None}")
        check_eml(server.data, rec, "initial", "vi", "sent message")
        print("--send: the message reached the loopback SMTP server and parses")

        store_path(tree)


def store_path(tree):
    """incident new --scan on a stored fixture scan → report/export from the store."""
    rc, _, err = e2e.run("incident", "--help", env=env())
    if "unknown command" in err:
        e2e.fail("rasoat has no incident command (the dispatcher, src/cmd/incident.c, is missing)")
    db = tree.p("db/rasoat.db")
    os.makedirs(os.path.dirname(db))
    root = tree.mkdir("root")
    tree.write("root/var/www/html/up.php", "<?php eval($_POST['x']); ?>\n")
    conf = tree.write("incident.conf", "name = Công ty Cổ phần ABC\naddress = Hà Nội\nemail = soc@abc.example.vn\n")
    e = env()
    e["RASOAT_INCIDENT_CONF"] = conf
    e2e.run("scan", "--root", root, "--db", db, "--format", "jsonl", env=e)
    _, out, _ = e2e.run("history", "--db", db, "--format", "jsonl", check_exit=0, env=e)
    scan = json.loads(out.splitlines()[0])["scan"]
    _, out, _ = e2e.run("incident", "new", "--scan", scan, "--db", db, "--format", "json", check_exit=0, env=e)
    inc = json.loads(out)
    rec_id = inc["id"]
    stix = json.loads(e2e.run("incident", "export", rec_id, "--db", db, "--format", "stix", check_exit=0, env=e)[1])
    check_stix(stix, inc, "stored STIX")
    check_misp(json.loads(e2e.run("incident", "export", rec_id, "--db", db, "--format", "misp", check_exit=0, env=e)[1]),
               inc, "stored MISP")
    check_thehive(json.loads(e2e.run("incident", "export", rec_id, "--db", db, "--format", "thehive", check_exit=0,
                                     env=e)[1]), inc, "stored TheHive")
    for form, lang in (("notify", "vi"), ("initial", "en"), ("final", "vi")):
        doc = json.loads(e2e.run("incident", "report", rec_id, "--db", db, "--form", form, "--lang", lang,
                                 "--format", "json", check_exit=0, env=e)[1])
        check_form_json(doc, form, lang, inc, f"stored {form}/{lang}")
    raw = e2e.run("incident", "report", rec_id, "--db", db, "--form", "initial", "--lang", "vi", "--format", "eml",
                  check_exit=0, env=e)[1]
    check_eml(raw.encode(), inc, "initial", "vi", "stored eml")
    doc = json.loads(e2e.run("incident", "report", "--db", db, "--form", "summary", "--lang", "en", "--format", "json",
                             "--from", "2020-01-01", "--to", "2030-12-31", check_exit=0, env=e)[1])
    rows = next(i["rows"] for i in doc["items"] if i.get("kind") == "table")
    if rows[11][1] != "1":
        e2e.fail(f"stored summary total {rows[11]}")
    print(f"store: scan → incident new ({rec_id}) → report and export validated")


if __name__ == "__main__":
    try:
        main()
    finally:
        e2e.Tree.remove_all()
    print("ok")
