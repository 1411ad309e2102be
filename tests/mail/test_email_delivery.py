"""The outbox delivered for real: to a local SMTP server (aiosmtpd, STARTTLS and a password) and to
a fake GOV.UK Notify on 127.0.0.1, read back with Python's own email and JWT handling, which are
independent of the C++ that wrote them."""
from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import html.parser
import http.cookiejar
import json
import os
import socket
import sqlite3
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PUBLIC_URL = "https://haveyoursay.example.gov.uk"
SMTP_USER, SMTP_PASSWORD = "townhall", "correct horse battery staple"


def townhall_cli() -> str:
    cli = os.environ.get("TOWNHALL_CLI")
    if not cli:
        pytest.skip("TOWNHALL_CLI is not set (run through ctest)")
    return cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """What reached the SMTP server, and how: refuses reject@ for good (550) and busy@ for now (451)."""

    def __init__(self):
        self.messages: list[tuple[email.message.EmailMessage, dict]] = []
        self.rcpt_attempts: dict[str, int] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.rcpt_attempts[address] = self.rcpt_attempts.get(address, 0) + 1
        if address.startswith("reject@"):
            return "550 5.1.1 no such mailbox"
        if address.startswith("busy@"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        how = {"tls": session.ssl is not None, "authenticated": bool(session.authenticated),
               "mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos)}
        with self.lock:
            self.messages.append((message, how))
        return "250 OK"

    def wait_for(self, count: int, seconds: float = 20.0):
        deadline = time.time() + seconds
        while time.time() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"{count} message(s) expected, {len(self.messages)} arrived")


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode() \
        and auth_data.password == SMTP_PASSWORD.encode()
    # handled=False: the server answers the failure itself (535), as a real one would.
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def tmp():
    with tempfile.TemporaryDirectory(prefix="townhall-mail-") as d:
        yield Path(d)


@pytest.fixture
def certificate(tmp):
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture
def smtp(certificate):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_require_tls=True)
    controller.start()
    try:
        yield box, port, cert
    finally:
        controller.stop()


def smtp_options(tmp: Path, port: int, cert: Path, password: str = SMTP_PASSWORD) -> list[str]:
    secret = tmp / "smtp-password"
    secret.write_text(password + "\n")
    return ["--smtp-url", f"smtp://127.0.0.1:{port}", "--smtp-ca-file", str(cert), "--smtp-user", SMTP_USER,
            "--smtp-password-file", str(secret), "--mail-from", "haveyoursay@example.gov.uk",
            "--mail-from-name", "Cyngor Enghraifft — Example Council"]


def new_database(cli: str, tmp: Path) -> Path:
    db = tmp / "townhall.db"
    subprocess.run([cli, "users", "add", "--db", str(db), "--create", "--role", "admin"], check=True,
                   capture_output=True)
    return db


def queue(db: Path, to: str, subject: str = "Your link", body: str = "Hello\n") -> int:
    """Writes an email into the outbox as the server would (the table the store keeps it in)."""
    with sqlite3.connect(db) as c:
        cur = c.execute("INSERT INTO pages_outbox(to_address, subject, body, created_at) VALUES (?,?,?,?)",
                        (to, subject, body, "2026-12-07T09:00:00Z"))
        return cur.lastrowid


def outbox(cli: str, db: Path) -> dict[str, dict]:
    out = subprocess.run([cli, "outbox", "list", "--db", str(db), "--json"], check=True, capture_output=True,
                         text=True).stdout
    return {e["to"]: e for e in json.loads(out)}


def deliver(cli: str, db: Path, options: list[str]) -> str:
    done = subprocess.run([cli, "outbox", "deliver", "--db", str(db), *options], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_panel_join_confirmation_arrives_by_smtp_with_an_absolute_link_that_works(smtp, tmp):
    box, port, cert = smtp
    cli = townhall_cli()
    db = new_database(cli, tmp)
    log = open(tmp / "server.log", "w+b")
    proc = subprocess.Popen([cli, "serve", "--db", str(db), "--port", "0", "--public-url", PUBLIC_URL,
                             *smtp_options(tmp, port, cert)], stdout=subprocess.PIPE, stderr=log)
    try:
        first = proc.stdout.readline().decode()
        assert "127.0.0.1:" in first, first
        base = "http://127.0.0.1:" + first.split("127.0.0.1:")[1].split()[0]
        request = urllib.request.Request(
            base + "/api/v1/panel/join", method="POST",
            data=json.dumps({"name": "Nia Newydd", "email": "nia@example.org", "consent": True}).encode(),
            headers={"Content-Type": "application/json", "Accept-Language": "cy"})
        with urllib.request.urlopen(request, timeout=30) as r:
            assert r.status == 201
        (message, how), = box.wait_for(1)
        # Sent over STARTTLS, after signing in with the password, from the council's address.
        assert how["tls"] and how["authenticated"]
        assert how["mail_from"] == "haveyoursay@example.gov.uk" and how["rcpt_tos"] == ["nia@example.org"]
        assert message["To"].addresses[0].addr_spec == "nia@example.org"
        assert message["From"].addresses[0].display_name == "Cyngor Enghraifft — Example Council"
        assert message["Message-ID"] and message["Date"]
        catalog = json.loads((Path(__file__).resolve().parents[2] / "i18n" / "cy.json").read_text())
        assert str(message["Subject"]) == catalog["messages"]["email.confirm_subject"]
        text = message.get_content()
        link = next(w for w in text.split() if w.startswith(PUBLIC_URL + "/cy/panel/confirm-email/"))
        # The link is absolute, and its path opens the confirmation page on this server.
        with urllib.request.urlopen(base + link[len(PUBLIC_URL):], timeout=30) as r:
            assert r.status == 200
            assert 'lang="cy"' in r.read().decode()
        # The outbox says it was delivered, at the first attempt.
        deadline = time.time() + 10
        while outbox(cli, db)["nia@example.org"]["state"] != "delivered" and time.time() < deadline:
            time.sleep(0.1)
        entry = outbox(cli, db)["nia@example.org"]
        assert entry["state"] == "delivered" and entry["attempts"] == 1 and entry["delivered_at"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_serve_refuses_to_send_email_without_a_public_url(smtp, tmp):
    box, port, cert = smtp
    cli = townhall_cli()
    db = new_database(cli, tmp)
    done = subprocess.run([cli, "serve", "--db", str(db), "--port", "0", *smtp_options(tmp, port, cert)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "--public-url" in done.stderr


def test_refusals_for_good_fail_at_once_and_refusals_for_now_wait_their_turn(smtp, tmp):
    box, port, cert = smtp
    cli = townhall_cli()
    db = new_database(cli, tmp)
    queue(db, "ok@example.org", "Eich dolen mewngofnodi", "Dyma'ch dolen: https://example.gov.uk/x\n")
    queue(db, "reject@example.org")
    queue(db, "busy@example.org")
    before = time.time()
    deliver(cli, db, smtp_options(tmp, port, cert))
    (message, _), = box.wait_for(1)
    assert str(message["Subject"]) == "Eich dolen mewngofnodi"
    # Text lines end in CRLF on the wire (RFC 5322), whatever the outbox had.
    assert message.get_content() == "Dyma'ch dolen: https://example.gov.uk/x\r\n"
    state = outbox(cli, db)
    assert state["ok@example.org"]["state"] == "delivered"
    assert state["reject@example.org"]["state"] == "failed"
    assert "550" in state["reject@example.org"]["last_error"]
    assert state["busy@example.org"]["state"] == "queued"
    assert state["busy@example.org"]["attempts"] == 1
    assert "451" in state["busy@example.org"]["last_error"]
    with sqlite3.connect(db) as c:
        (next_at,), = c.execute("SELECT next_attempt_at FROM pages_outbox WHERE to_address = 'busy@example.org'")
    # The first wait after a refusal for now is a minute.
    assert int(before) + 60 <= next_at <= time.time() + 60
    # Delivering again at once sends nothing: the failed one is done with, the busy one not yet due.
    deliver(cli, db, smtp_options(tmp, port, cert))
    assert box.rcpt_attempts == {"ok@example.org": 1, "reject@example.org": 1, "busy@example.org": 1}


def test_a_wrong_password_keeps_every_email_for_a_retry_and_says_what_to_fix(smtp, tmp):
    box, port, cert = smtp
    cli = townhall_cli()
    db = new_database(cli, tmp)
    queue(db, "ok@example.org")
    deliver(cli, db, smtp_options(tmp, port, cert, password="wrong"))
    entry = outbox(cli, db)["ok@example.org"]
    assert entry["state"] == "queued" and entry["attempts"] == 1
    assert "SMTP settings" in entry["last_error"]
    assert "wrong" not in entry["last_error"]
    assert box.messages == []


def test_a_subject_cannot_add_headers(smtp, tmp):
    box, port, cert = smtp
    cli = townhall_cli()
    db = new_database(cli, tmp)
    queue(db, "ok@example.org", "Hello\r\nBcc: eve@example.org\r\nX-Injected: yes")
    deliver(cli, db, smtp_options(tmp, port, cert))
    (message, how), = box.wait_for(1)
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert how["rcpt_tos"] == ["ok@example.org"]
    assert "Bcc: eve@example.org" in str(message["Subject"])


def test_a_certificate_not_trusted_is_not_sent_to(smtp, tmp):
    box, port, cert = smtp
    cli = townhall_cli()
    db = new_database(cli, tmp)
    queue(db, "ok@example.org")
    options = smtp_options(tmp, port, cert)
    i = options.index("--smtp-ca-file")
    del options[i:i + 2]  # the system's certificates do not include the test's own
    deliver(cli, db, options)
    assert box.messages == []
    assert outbox(cli, db)["ok@example.org"]["state"] == "queued"


# --- GOV.UK Notify ---------------------------------------------------------------------------------

SERVICE_ID, SECRET = str(uuid.uuid4()), str(uuid.uuid4())
TEMPLATE_ID = str(uuid.uuid4())


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class FakeNotify(BaseHTTPRequestHandler):
    """POST /v2/notifications/email as GOV.UK Notify documents it: a JWT signed with the key's
    secret, 201 with an id; 400 for a team-only key's stranger; 500 once for flaky@."""
    received: list[dict] = []
    flaky_seen = 0

    def log_message(self, *args):
        pass

    def answer(self, status: int, body: dict):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        auth = self.headers.get("Authorization", "")
        header, claims, signature = auth.removeprefix("Bearer ").split(".")
        expected = hmac.new(SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
        claims_json = json.loads(b64url_decode(claims))
        if (self.path != "/v2/notifications/email" or json.loads(b64url_decode(header))["alg"] != "HS256"
                or not hmac.compare_digest(b64url_decode(signature), expected)
                or claims_json["iss"] != SERVICE_ID or abs(claims_json["iat"] - time.time()) > 30):
            return self.answer(403, {"status_code": 403, "errors": [{"error": "AuthError", "message": "Invalid token"}]})
        FakeNotify.received.append(body)
        to = body["email_address"]
        if to.startswith("stranger@"):
            return self.answer(400, {"status_code": 400, "errors": [
                {"error": "BadRequestError", "message": "Can't send to this recipient using a team-only API key"}]})
        if to.startswith("flaky@") and FakeNotify.flaky_seen == 0:
            FakeNotify.flaky_seen += 1
            return self.answer(500, {"status_code": 500, "errors": [{"error": "Exception", "message": "Internal"}]})
        return self.answer(201, {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, body["reference"])), "reference": body["reference"]})


@pytest.fixture
def notify():
    FakeNotify.received = []
    FakeNotify.flaky_seen = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def notify_options(tmp: Path, url: str, secret: str = SECRET) -> list[str]:
    key = tmp / "notify-key"
    key.write_text(f"townhall_test-{SERVICE_ID}-{secret}\n")
    return ["--notify-key-file", str(key), "--notify-template", TEMPLATE_ID, "--notify-url", url]


def test_notify_gets_a_signed_request_per_email_and_its_answers_decide_each_state(notify, tmp):
    cli = townhall_cli()
    db = new_database(cli, tmp)
    ok = queue(db, "ok@example.org", "Eich dolen", "Dyma'ch dolen\n")
    queue(db, "stranger@example.org")
    queue(db, "flaky@example.org")
    deliver(cli, db, notify_options(tmp, notify))
    sent = {b["email_address"]: b for b in FakeNotify.received}
    assert sent["ok@example.org"]["template_id"] == TEMPLATE_ID
    assert sent["ok@example.org"]["personalisation"] == {"subject": "Eich dolen", "body": "Dyma'ch dolen\n"}
    assert sent["ok@example.org"]["reference"] == f"townhall-outbox-{ok}"
    state = outbox(cli, db)
    assert state["ok@example.org"]["state"] == "delivered"
    assert state["ok@example.org"]["reference"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"townhall-outbox-{ok}"))
    assert state["stranger@example.org"]["state"] == "failed"
    assert "team-only" in state["stranger@example.org"]["last_error"]
    assert state["flaky@example.org"]["state"] == "queued" and state["flaky@example.org"]["attempts"] == 1
    # Once its wait is over (moved to now here), the flaky one goes through at the second attempt.
    with sqlite3.connect(db) as c:
        c.execute("UPDATE pages_outbox SET next_attempt_at = 0 WHERE to_address = 'flaky@example.org'")
    deliver(cli, db, notify_options(tmp, notify))
    state = outbox(cli, db)
    assert state["flaky@example.org"]["state"] == "delivered" and state["flaky@example.org"]["attempts"] == 2
    assert len(FakeNotify.received) == 4  # ok, stranger, flaky twice: nothing sent again once done


def test_notify_with_the_wrong_key_keeps_the_email_and_says_so(notify, tmp):
    cli = townhall_cli()
    db = new_database(cli, tmp)
    queue(db, "ok@example.org")
    deliver(cli, db, notify_options(tmp, notify, secret=str(uuid.uuid4())))
    entry = outbox(cli, db)["ok@example.org"]
    assert entry["state"] == "queued" and "API key" in entry["last_error"]


@pytest.mark.parametrize("options, field", [
    (["--smtp-url", "http://127.0.0.1:25", "--mail-from", "a@example.org"], "--smtp-url"),
    (["--smtp-url", "smtp://127.0.0.1:25"], "--mail-from"),
    (["--smtp-url", "smtp://127.0.0.1:25", "--mail-from", "not an address"], "--mail-from"),
    (["--smtp-url", "smtp://127.0.0.1:25", "--mail-from", "a@example.org", "--smtp-user", "u"], "--smtp-password-file"),
    (["--notify-template", TEMPLATE_ID], "--notify-template"),
])
def test_bad_mail_options_are_refused_naming_the_option(tmp, options, field):
    cli = townhall_cli()
    db = new_database(cli, tmp)
    done = subprocess.run([cli, "outbox", "deliver", "--db", str(db), *options], capture_output=True, text=True)
    assert done.returncode == 2
    assert field in done.stderr


def test_a_file_that_is_not_a_notify_key_is_refused(tmp):
    cli = townhall_cli()
    db = new_database(cli, tmp)
    key = tmp / "key"
    key.write_text("not-a-key\n")
    done = subprocess.run([cli, "outbox", "deliver", "--db", str(db), "--notify-key-file", str(key),
                           "--notify-template", TEMPLATE_ID], capture_output=True, text=True)
    assert done.returncode == 2 and "--notify-key-file" in done.stderr


# --- A resident's whole journey by email ------------------------------------------------------------

class Form(html.parser.HTMLParser):
    """The forms of a page: action, and what a person would send — hidden values kept, the first
    choice of each radio or checkbox group, a distinct rank in each ranking select, "Ie" typed."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": [], "chosen": set(), "ranks": 0})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input":
            kind, name = a.get("type", "text"), a.get("name")
            if not name:
                return
            if kind == "hidden":
                form["fields"].append((name, a.get("value", "")))
            elif kind in ("radio", "checkbox"):
                if name not in form["chosen"]:
                    form["chosen"].add(name)
                    form["fields"].append((name, a.get("value", "")))
            elif kind == "number":
                form["fields"].append((name, "3"))
            elif kind in ("text", "email", "tel"):
                form["fields"].append((name, "Ie"))
        elif tag == "textarea" and a.get("name"):
            form["fields"].append((a["name"], "Ie, cytuno"))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            form["ranks"] += 1
            form["fields"].append((self._select, str(form["ranks"])))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


class Browser:
    """A resident's browser without JavaScript: cookies kept, redirects followed, forms sent."""

    def __init__(self, base: str, language: str):
        self.base = base
        # The site's public address is https (its cookies are Secure); here it is reached directly
        # over loopback, as a TLS-terminating proxy would reach it, so Secure cookies are sent.
        class BehindTls(http.cookiejar.DefaultCookiePolicy):
            def return_ok_secure(self, cookie, request):
                return True

        jar = http.cookiejar.CookieJar(policy=BehindTls())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.opener.addheaders = [("Accept-Language", language)]
        self.url, self.page = "", ""

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as r:
            self.url, self.page = r.geturl(), r.read().decode()
        return self.page

    def submit(self, index: int = 0, **fields: str) -> str:
        parser = Form()
        parser.feed(self.page)
        form = parser.forms[index]
        values = [(k, fields.pop(k) if k in fields else v) for k, v in form["fields"]] + list(fields.items())
        request = urllib.request.Request(self.base + form["action"], data=urllib.parse.urlencode(values).encode(),
                                         method="POST")
        with self.opener.open(request, timeout=30) as r:
            self.url, self.page = r.geturl(), r.read().decode()
        return self.page


def link_in(message, prefix: str) -> str:
    return next(w for w in message.get_content().split() if w.startswith(prefix))[len(PUBLIC_URL):]


def test_a_resident_joins_confirms_signs_in_from_the_email_and_responds_in_welsh(smtp, tmp):
    box, port, cert = smtp
    cli = townhall_cli()
    db = tmp / "demo.db"
    subprocess.run([cli, "demo", "seed", "--db", str(db)], check=True, capture_output=True)
    log = open(tmp / "server.log", "w+b")
    proc = subprocess.Popen([cli, "serve", "--db", str(db), "--port", "0", "--public-url", PUBLIC_URL,
                             *smtp_options(tmp, port, cert)], stdout=subprocess.PIPE, stderr=log)
    try:
        first = proc.stdout.readline().decode()
        base = "http://127.0.0.1:" + first.split("127.0.0.1:")[1].split()[0]
        nia = Browser(base, "cy")
        # 0. Join on the Welsh page: an error first (no consent chosen), then the form as a person
        # fills it in; the equality questions take their first answers.
        nia.get("/cy/panel/join")
        assert 'lang="cy"' in nia.page
        try:
            nia.submit(name="Nia Newydd", email="nia@example.org", postcode="cf10 1ep", phone="", consent="")
            raise AssertionError("a join without the consent question answered was accepted")
        except urllib.error.HTTPError as refused:
            assert refused.code == 422
            page = refused.read().decode()
            assert 'href="#consent"' in page and "govuk-error-summary" in page
        nia.get("/cy/panel/join")
        nia.submit(name="Nia Newydd", email="nia@example.org", postcode="cf10 1ep", phone="")
        assert nia.url.endswith("/cy/panel/joined"), nia.url
        with sqlite3.connect(db) as c:
            (verified,), = c.execute("SELECT email_verified FROM panel_members m JOIN people p ON p.id = m.person_id "
                                     "WHERE p.data LIKE '%nia@example.org%'")
        assert not verified
        # 1. The confirmation email: its absolute link, then its one button.
        (confirm, _), = box.wait_for(1)
        assert PUBLIC_URL + "/cy/panel/confirm-email/" in confirm.get_content()
        nia.get(link_in(confirm, PUBLIC_URL + "/cy/panel/confirm-email/"))
        nia.submit()
        assert nia.url.endswith("/cy/panel/email-confirmed"), nia.url
        # 2. Sign in: ask for a link, open it from the second email, press its button.
        nia.get("/cy/panel/sign-in")
        nia.submit(email="nia@example.org")
        messages = box.wait_for(2)
        sign_in = messages[1][0]
        assert str(sign_in["Subject"]) == json.loads(
            (Path(__file__).resolve().parents[2] / "i18n" / "cy.json").read_text())["messages"]["email.sign_in_subject"]
        nia.get(link_in(sign_in, PUBLIC_URL + "/cy/panel/sign-in/"))
        nia.submit()
        assert nia.url.endswith("/cy/panel/me"), nia.url
        assert "Nia Newydd" in nia.page
        # 3. Respond to an open consultation in Welsh, question by question, then send.
        with urllib.request.urlopen(base + "/api/v1/consultations?status=open", timeout=30) as r:
            open_ids = [c["id"] for c in json.load(r)["items"]]
        assert open_ids
        nia.get(f"/cy/consultations/{open_ids[0]}/questions/1")
        for _ in range(30):
            if "/check" in nia.url:
                break
            nia.submit()
        assert nia.url.endswith(f"/cy/consultations/{open_ids[0]}/check"), nia.url
        nia.submit()
        assert "/confirmation/" in nia.url, nia.url
        assert 'lang="cy"' in nia.page
        # Stored against Nia, in Welsh.
        with sqlite3.connect(db) as c:
            rows = c.execute("SELECT language, person_id FROM responses WHERE consultation_id = ?",
                             (open_ids[0],)).fetchall()
        assert any(lang == "cy" and person is not None for lang, person in rows), rows
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.seek(0)
        tail = log.read()[-3000:].decode(errors="replace")
        if tail.strip():
            print("server stderr (tail):\n" + tail)
        log.close()
