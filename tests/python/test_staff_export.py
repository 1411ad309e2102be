"""The staff console's response exports read back independently: the real `townhall serve` over the
demo database, an officer signed in to the console, a paper response keyed in through its form, then
the .xlsx read with openpyxl and the CSV with Python's csv module, cell by cell against the answers
the API says are stored."""
from __future__ import annotations

import csv
import http.cookiejar
import io
import json
import os
import re
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import openpyxl
import pytest

PASSWORD = "a long console password"
INJECTED = "=HYPERLINK(\"http://example.com\",\"click\")"


def townhall_cli() -> str:
    cli = os.environ.get("TOWNHALL_CLI")
    if not cli:
        pytest.skip("TOWNHALL_CLI is not set (run through ctest)")
    return cli


@pytest.fixture(scope="module")
def console():
    cli = townhall_cli()
    with tempfile.TemporaryDirectory(prefix="townhall-export-") as tmp:
        db = Path(tmp) / "townhall.db"
        subprocess.run([cli, "demo", "seed", "--db", str(db)], check=True, capture_output=True)
        token = subprocess.run([cli, "users", "add", "--db", str(db), "--role", "officer", "--name", "Export tester",
                                "--username", "exporter", "--password-stdin"], input=PASSWORD + "\n",
                               check=True, capture_output=True, text=True).stdout.strip()
        log = open(Path(tmp) / "server.log", "w+b")
        proc = subprocess.Popen([cli, "serve", "--db", str(db), "--port", "0", "--bind", "127.0.0.1"],
                                stdout=subprocess.PIPE, stderr=log)
        try:
            first = proc.stdout.readline().decode()
            if "127.0.0.1:" not in first:
                raise RuntimeError(f"server did not start: {first!r}")
            port = int(first.split("127.0.0.1:")[1].split()[0])
            yield Console(f"http://127.0.0.1:{port}", token)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Console:
    def __init__(self, url: str, token: str):
        self.url = url
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def get(self, path: str) -> tuple[int, bytes, dict]:
        try:
            with self.opener.open(self.url + path, timeout=60) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def post(self, path: str, fields: dict) -> tuple[int, bytes, dict]:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.url + path, data=data,
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with self.opener.open(request, timeout=60) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def api(self, path: str):
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=60) as r:
            return json.load(r)

    def sign_in(self):
        status, body, _ = self.get("/staff/sign-in")
        assert status == 200
        csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', body).group(1).decode()
        status, body, headers = self.post("/staff/sign-in", {"csrf": csrf, "name": "exporter", "password": PASSWORD})
        assert status == 303, body


def form_for(questions: list[dict]) -> dict:
    """Answers to every question, named as the console's entry form names its fields."""
    fields = {}
    for i, q in enumerate(questions):
        name = f"q{i}"
        if q["type"] == "yes_no":
            fields[name] = "no"
        elif q["type"] == "scale":
            fields[name] = str(q.get("max", 5))
        elif q["type"] == "single_choice":
            fields[name] = q["options"][-1]
        elif q["type"] == "multiple_choice":
            fields[f"{name}-0"] = "yes"
            fields[f"{name}-{len(q['options']) - 1}"] = "yes"
        elif q["type"] == "ranking":
            for k in range(len(q["options"])):
                fields[f"{name}-{k}"] = str(len(q["options"]) - k)
        elif q["type"] == "free_text":
            fields[name] = INJECTED
    return fields


def expected_cell(q: dict, answer):
    """What a cell should hold for an answer, worked out here from the question and the answer."""
    if answer is None:
        return None
    if q["type"] == "yes_no":
        return "Yes" if answer else "No"
    if q["type"] == "multiple_choice":
        return "; ".join(o for o in q["options"] if o in answer)
    if q["type"] == "ranking":
        return "; ".join(answer)
    return answer


def test_the_xlsx_and_csv_exports_hold_the_stored_answers(console):
    console.sign_in()
    listing = console.api("/api/v1/consultations?limit=100")
    open_ones = [c for c in listing["items"] if c["status"] == "open"]
    assert open_ones, listing
    checked = 0
    for c in open_ones:
        cid = c["id"]
        doc = console.api(f"/api/v1/consultations/{cid}")
        questions = doc["questions"]
        status, body, _ = console.get(f"/staff/consultations/{cid}/responses/new")
        assert status == 200, body
        csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', body).group(1).decode()
        key = re.search(rb'name="submission" value="([^"]+)"', body).group(1).decode()
        fields = {"csrf": csrf, "submission": key, "channel": "paper", "language": "en-GB", **form_for(questions)}
        status, body, headers = console.post(f"/staff/consultations/{cid}/responses/new", fields)
        assert status == 303, body.decode()
        reference = re.search(r"/responses/(TH-[0-9A-Z-]+)\?entered=1$", headers["Location"]).group(1)

        stored = console.api(f"/api/v1/consultations/{cid}/responses?limit=1000")["items"]
        assert any(r["reference"] == reference and r["channel"] == "paper" for r in stored)

        status, xlsx, headers = console.get(f"/staff/consultations/{cid}/export.xlsx")
        assert status == 200
        assert headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=False).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == ["Reference", "Received", "Channel", "Language"] + [q["text"] for q in questions]
        assert len(rows) == len(stored) + 1

        status, text, headers = console.get(f"/staff/consultations/{cid}/export.csv")
        assert status == 200
        assert text.startswith(b"\xef\xbb\xbf")
        csv_rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"), newline="")))
        assert len(csv_rows) == len(rows)

        for row, csv_row, r in zip(rows[1:], csv_rows[1:], stored):
            assert list(row[:4]) == [r["reference"], r["created_at"], r["channel"], r["language"]]
            for q, cell, csv_cell in zip(questions, row[4:], csv_row[4:]):
                want = expected_cell(q, r["answers"].get(q["id"]))
                assert cell == want, (r["reference"], q["id"])
                if want is None:
                    assert csv_cell == ""
                elif isinstance(want, str) and want[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    assert csv_cell == "'" + want  # shown in a spreadsheet, never run
                else:
                    assert csv_cell == str(want)
        # The keyed-in response's free text is a string cell, not a formula.
        mine = next(i for i, row in enumerate(rows) if row[0] == reference)
        for col, q in enumerate(questions, start=5):
            if q["type"] == "free_text":
                cell = sheet.cell(row=mine + 1, column=col)
                assert cell.value == INJECTED and cell.data_type == "s"
        checked += 1
    assert checked == len(open_ones)
