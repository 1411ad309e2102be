#!/usr/bin/env python3
"""Candidate seed inputs for the fuzz targets, taken from the test suites' inputs.

Reads the string literals of tests/**/*.cpp (raw and ordinary, adjacent ones joined), the calls of
the in-process server tests, the example files in docs/examples and the message catalogs in i18n/,
sorts them by the shape each target reads, and writes one file per candidate under
OUT/<target>/. `fuzz/run.sh seeds` then keeps, per target, only the candidates that add coverage
(libFuzzer -merge=1) in fuzz/corpus/<target>/.

Usage: fuzz/make_seeds.py OUT_DIR
"""
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The first-line names json_body.cpp accepts.
SCHEMAS = ["user-create", "consultation-draft", "transition", "response-submission", "key-decision",
           "panel-join", "panel-import", "panel-invitations", "panel-draw", "panel-report",
           "consultation-translation", "meeting", "charter-policy", "check-input", "consultation",
           "forward-plan"]

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0", "a": "\a",
           "b": "\b", "f": "\f", "v": "\v", "?": "?"}

LITERAL = re.compile(r'(?:u8)?R"([^(\s]*)\((.*?)\)\1"|"((?:[^"\\\n]|\\.)*)"', re.S)


def unescape(body):
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        n = body[i + 1]
        if n == "x":
            m = re.match(r"[0-9a-fA-F]+", body[i + 2:])
            out.append(int(m.group(0), 16) & 0xFF)
            i += 2 + len(m.group(0))
        elif n in "01234567" and re.match(r"[0-7]{1,3}", body[i + 1:]):
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        elif n == "u":
            out += chr(int(body[i + 2:i + 6], 16)).encode("utf-8", "surrogatepass")
            i += 6
        else:
            out += ESCAPES.get(n, n).encode()
            i += 2
    return bytes(out)


def literals(source):
    """Every string literal of a C++ source, adjacent literals joined (as the compiler does)."""
    out = []
    last_end = -1
    for m in LITERAL.finditer(source):
        value = m.group(2).encode() if m.group(2) is not None else unescape(m.group(3))
        if out and source[last_end:m.start()].strip() == "":
            out[-1] += value
        else:
            out.append(value)
        last_end = m.end()
    return out


def test_sources():
    for d, _, files in os.walk(os.path.join(ROOT, "tests")):
        for f in sorted(files):
            if f.endswith((".cpp", ".h")):
                with open(os.path.join(d, f), encoding="utf-8", errors="surrogateescape") as fh:
                    yield f, fh.read()


def files_in(folder, suffix):
    path = os.path.join(ROOT, folder)
    for f in sorted(os.listdir(path)):
        if f.endswith(suffix):
            with open(os.path.join(path, f), "rb") as fh:
                yield fh.read()


ROLE_OF = {"kOfficer": "officer", "kGovernance": "governance", "kAdmin": "admin", "kPanelMember": "member"}
CALL = re.compile(r'call\(\s*"([A-Z]+)"\s*,\s*(.*?)\);', re.S)


def requests(source):
    """Requests of the in-process server tests' call(method, target, ...) helpers."""
    for m in CALL.finditer(source):
        method, rest = m.group(1), m.group(2)
        parts = literals(rest)
        if not parts or not parts[0].startswith(b"/"):
            continue
        target = parts[0]
        if target.endswith(b"/"):  # "/en-GB/consultations/" + id
            target += b"c-1"
        headers = []
        role = re.search(r"Role::(k\w+)", rest)
        if role and role.group(1) in ROLE_OF:
            headers.append(b"authorization: " + ROLE_OF[role.group(1)].encode())
        body = parts[1] if len(parts) > 1 else b""
        if body:
            if body.lstrip().startswith((b"{", b"[")):
                headers.append(b"content-type: application/json")
            else:
                headers.append(b"content-type: application/x-www-form-urlencoded")
                # The tests append the form page's token ("csrf=" + token): the page session and
                # its token stand in (see http_request.cpp).
                body = re.sub(rb"csrf=(?=&|$)", b"csrf={{csrf}}", body)
                headers.append(b"cookie: {{session}}")
        if "accept_language" in rest or b"Accept" in rest.encode():
            headers.append(b"accept-language: cy, en-GB;q=0.8")
        yield method.encode() + b" " + target + b"\n" + b"".join(h + b"\n" for h in headers) + b"\n" + body


def main():
    out_dir = sys.argv[1]
    candidates = {}

    def add(target, data):
        candidates.setdefault(target, set()).add(data)

    all_literals = []
    for name, source in test_sources():
        all_literals += literals(source)
        for r in requests(source):
            add("http_request", r)
    examples = list(files_in("docs/examples", ""))
    catalogs = list(files_in("i18n", ".json"))

    json_like = [s for s in all_literals if s.lstrip()[:1] in (b"{", b"[")]
    json_like += [e for e in examples if e.lstrip()[:1] in (b"{", b"[")]
    for doc in json_like:
        for t in ("submission_body", "forward_plan", "consultation", "policy"):
            add(t, doc)
        for schema in SCHEMAS:
            add("json_body", schema.encode() + b"\n" + doc)
    # Each real catalog cut into small ones (its meta and four messages each): every pattern of the
    # repository is a seed, and no seed makes a run check hundreds of messages at a time.
    for catalog in catalogs:
        doc = json.loads(catalog)
        items = sorted(doc.get("messages", {}).items())
        for i in range(0, len(items), 4):
            part = {"meta": doc.get("meta", {}), "messages": dict(items[i:i + 4])}
            add("catalog", json.dumps(part, ensure_ascii=False).encode())
    for s in all_literals:
        if b"meta" in s and b"messages" in s:
            add("catalog", s)
        if b"{" in s and (b"plural" in s or b"select" in s or b"number" in s):
            add("catalog", json.dumps({"meta": {"locale": "cy"}, "messages": {"k": s.decode("utf-8", "replace")}},
                                      ensure_ascii=False).encode())
    csv_like = [s for s in all_literals if b"," in s and (b"\n" in s or b"\r" in s)]
    csv_like += [e for e in examples if not e.lstrip().startswith((b"{", b"["))]
    for doc in csv_like:
        for t in ("csv", "panel_csv", "forward_plan_csv"):
            add(t, doc)
    quotas = [s for s in csv_like if s.lower().startswith((b"category", b"feature"))]
    pools = [s for s in csv_like if not s.lower().startswith((b"category", b"feature"))]
    for q in quotas:
        for p in pools[:40]:
            add("panel_csv", q + b"\n----\n" + p)
    for s in all_literals:
        if b"=" in s and b"{" not in s and b"\n" not in s and len(s) < 2000:
            add("form", b"application/x-www-form-urlencoded\n" + s)
            add("cookie", b"th_session\n" + s)
        if re.fullmatch(rb"[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*|[A-Za-z*,;=.\- 0-9]*q=[0-9.]+[A-Za-z*,;=.\- 0-9]*", s):
            add("accept_language", s)
    for s in [b"th_session\nth_session=abcdefghijklmnopqrstuvwxyzABCDEF0123; th_member=x",
              b"th_member\n a=b ;th_member=0123456789abcdef0123456789abcdef; th_member=second",
              b"csrf\n", b"th_session\nth_session=short"]:
        add("cookie", s)
    for method, target, body in [
            (b"POST", b"/en-GB/consultations/c-1/questions/1", b"answer=true&csrf={{csrf}}"),
            (b"POST", b"/cy/consultations/c-1/questions/2", b"answer=mon&answer=sat&csrf={{csrf}}"),
            (b"POST", b"/en-GB/consultations/c-1/questions/5", b"answer=y&answer=x&answer=z&csrf={{csrf}}"),
            (b"POST", b"/ar/consultations/c-1/check", b"csrf={{csrf}}"),
            (b"POST", b"/en-GB/consultations/c-1/save", b"email=asha%40example.org&csrf={{csrf}}"),
            (b"POST", b"/en-GB/panel/sign-in", b"email=asha%40example.org&csrf={{csrf}}"),
            (b"POST", b"/en-GB/panel/me/facts/ward", b"value=Brompton&csrf={{csrf}}")]:
        add("http_request", method + b" " + target + b"\ncookie: {{session}}\n"
            b"content-type: application/x-www-form-urlencoded\n\n" + body)
    for s in [b"cy, en-GB;q=0.8, *;q=0.1", b"pa-PK", b"en-US,en;q=0.9", b"ar-EG", b"zh-Hant-TW", b"*",
              b"x-klingon", b"EN_gb", b"sr-Latn-RS-u-nu-arab", b"de-DE-1996-x-private"]:
        add("accept_language", s)
    add("form", b"application/x-www-form-urlencoded; charset=UTF-8\nanswer=yes&csrf=abc&days=mon&days=sat")
    add("form", b"application/x-www-form-urlencoded\nname=caf%C3%A9+e%CC%81&empty=&=novalue&%E2%9C%93=tick")

    for target, items in sorted(candidates.items()):
        folder = os.path.join(out_dir, target)
        os.makedirs(folder, exist_ok=True)
        for data in sorted(items):
            with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as fh:
                fh.write(data)
        print(f"{target}: {len(items)} candidates")


if __name__ == "__main__":
    main()
