"""The real `townhall serve` on a free loopback port, over a database seeded with the demo data."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Server:
    url: str          # http://127.0.0.1:PORT
    db: Path
    officer_token: str
    cli: str

    def get_json(self, path: str, token: str | None = None) -> dict:
        request = urllib.request.Request(self.url + path)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)


def townhall_cli() -> str:
    cli = os.environ.get("TOWNHALL_CLI")
    if not cli:
        pytest.skip("TOWNHALL_CLI is not set (run through ctest)")
    return cli


@pytest.fixture(scope="module")
def server():
    cli = townhall_cli()
    with tempfile.TemporaryDirectory(prefix="townhall-api-") as tmp:
        db = Path(tmp) / "townhall.db"
        subprocess.run([cli, "demo", "seed", "--db", str(db)], check=True, capture_output=True)
        token = subprocess.run([cli, "users", "add", "--db", str(db), "--role", "officer", "--name", "API tester"],
                               check=True, capture_output=True, text=True).stdout.strip()
        log = open(Path(tmp) / "server.log", "w+b")
        proc = subprocess.Popen([cli, "serve", "--db", str(db), "--port", "0", "--bind", "127.0.0.1"],
                                stdout=subprocess.PIPE, stderr=log)
        try:
            first = proc.stdout.readline().decode()
            if "127.0.0.1:" not in first:
                raise RuntimeError(f"server did not start: {first!r}")
            port = int(first.split("127.0.0.1:")[1].split()[0])
            yield Server(f"http://127.0.0.1:{port}", db, token, cli)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.seek(0)
            tail = log.read()[-4000:].decode(errors="replace")
            if tail.strip():
                print("server stderr (tail):\n" + tail)
            log.close()
