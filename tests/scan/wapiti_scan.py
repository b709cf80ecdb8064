"""`make scan`: the wapiti web scanner against a local server with the demo data, logged in
as the demo counselor and as a demo partner. Fails if any finding is above informational.

The server is the production configuration served by gunicorn over TLS (a throwaway
self-signed certificate, so the session cookie's Secure flag and HSTS are in force as in
production), on 127.0.0.1 only, with a fresh SQLite database seeded with `seed-demo`. Wapiti
lives in its own virtual environment (.venv-scan), apart from the app's dependencies.

Run from the project root: .venv/bin/python tests/scan/wapiti_scan.py
"""

import http.cookiejar
import json
import os
import re
import secrets
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_BIN = ROOT / ".venv" / "bin"
SCAN_BIN = ROOT / ".venv-scan" / "bin"
DEMO_PASSWORD = "workshop-demo"  # noqa: S105 - the README's demo password
ACTORS = {"counselor": "counselor@example.org", "partner": "alex@example.org"}
# Wapiti's modules that apply to this app. Left out: ssl (the certificate here is a throwaway;
# TLS is the reverse proxy's job in production), ssrf and xxe (they need an outside server).
MODULES = ",".join(
    [
        "cookieflags",
        "csp",
        "http_headers",
        "methods",
        "crlf",
        "exec",
        "file",
        "sql",
        "xss",
        "permanentxss",
        "redirect",
        "upload",
    ]
)
# Bounds per actor: crawling, then each attack module.
MAX_SCAN_SECONDS = int(os.environ.get("SCAN_MAX_SECONDS", "90"))
MAX_ATTACK_SECONDS = int(os.environ.get("SCAN_MAX_ATTACK_SECONDS", "10"))
# Not scanned: logging out would end the scan's login; the batch and summary reports start
# WeasyPrint jobs that take seconds each (the single couple report stays in the scan).
EXCLUDED = ["logout", "workshops/*/reports/batch", "workshops/*/summary-reports"]
INFORMATIONAL = 0  # wapiti's INFO_LEVEL; 1 is low, 2 medium, 3 high, 4 critical


def main() -> int:
    started = time.monotonic()
    if not (SCAN_BIN / "wapiti").exists():
        print("wapiti is missing: `make scan` installs it into .venv-scan", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="workshop-scan-") as folder:
        work = Path(folder)
        env = server_environment(work)
        prepare_database(env)
        port = free_port()
        certificate, key = self_signed_certificate(work)
        server = start_server(env, port, certificate, key, work)
        try:
            base = f"https://127.0.0.1:{port}/"
            wait_until_up(base)
            findings = []
            for actor, email in ACTORS.items():
                cookie = log_in(base, email)
                findings += scan(base, actor, cookie, work)
        finally:
            server.terminate()
            server.wait(timeout=30)
        server_errors = print_traffic(work / "access.log")
        if server_errors:
            print_server_exceptions(work / "gunicorn.log")
    print(f"\nwapiti scan finished in {time.monotonic() - started:.0f} s")
    return report(findings) or (1 if server_errors else 0)


def server_environment(work: Path) -> dict:
    """Production settings on a throwaway database and keys."""
    from cryptography.fernet import Fernet

    return {
        **os.environ,
        "WORKSHOP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATA_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite:///{work / 'scan.sqlite'}",
        "MAIL_BACKEND": "file",
        "REPORTS_DIR": str(work / "reports"),
        "PUBLIC_URL": "https://127.0.0.1",
        "REDIS_URL": "",
    }


def prepare_database(env: dict) -> None:
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(  # noqa: S603 - our own venv's flask, fixed arguments
            [str(APP_BIN / "flask"), "--app", "wsgi", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(work: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 valid for a day, made with `cryptography`."""
    from ipaddress import IPv4Address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    certificate_path, key_path = work / "cert.pem", work / "key.pem"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_path, key_path


def start_server(env: dict, port: int, certificate: Path, key: Path, work: Path):
    log = (work / "gunicorn.log").open("w")
    return subprocess.Popen(  # noqa: S603 - our own venv's gunicorn, fixed arguments
        [
            str(APP_BIN / "gunicorn"),
            "--workers",
            "3",
            "--timeout",
            "120",
            "--access-logfile",
            str(work / "access.log"),
            "--access-logformat",
            "%(m)s %(s)s",  # method and status only: the counts stay short
            "--bind",
            f"127.0.0.1:{port}",
            "--certfile",
            str(certificate),
            "--keyfile",
            str(key),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _unverified_tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # our own throwaway certificate, on 127.0.0.1
    return context


def wait_until_up(base: str) -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(base + "healthz", context=_unverified_tls(), timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the server did not start")


def log_in(base: str, email: str) -> str:
    """Log in through the login form as a browser does; the session cookie's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar),
        urllib.request.HTTPSHandler(context=_unverified_tls()),
    )
    page = opener.open(base + "login").read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": DEMO_PASSWORD})
    request = urllib.request.Request(  # noqa: S310 - our own local server
        base + "login", data=form.encode(), headers={"Referer": base + "login"}
    )
    home = opener.open(request)
    assert "/login" not in home.geturl(), f"could not log in as {email}"
    return next(cookie.value for cookie in jar if cookie.name == "workshop_session")


def scan(base: str, actor: str, cookie: str, work: Path) -> list[dict]:
    """Run wapiti as the actor; the findings of its JSON report, each with its level."""
    output = work / f"wapiti-{actor}.json"
    print(f"\n== wapiti as the demo {actor} ==", flush=True)
    subprocess.run(  # noqa: S603 - wapiti from .venv-scan, fixed arguments
        [
            str(SCAN_BIN / "wapiti"),
            "--url",
            base,
            "--scope",
            "folder",
            "--module",
            MODULES,
            "--cookie-value",
            f"workshop_session={cookie}",
            *[option for path in EXCLUDED for option in ("--exclude", base + path)],
            "--max-scan-time",
            str(MAX_SCAN_SECONDS),
            "--max-attack-time",
            str(MAX_ATTACK_SECONDS),
            "--verify-ssl",
            "0",
            "--flush-session",
            "--store-session",
            str(work / f"session-{actor}"),
            "--format",
            "json",
            "--output",
            str(output),
            "--verbose",
            "0",
        ],
        cwd=work,
        check=True,
    )
    results = json.loads(output.read_text())
    print(f"pages crawled as the {actor}: {results['infos'].get('crawled_pages_nbr')}")
    return findings_of(results, actor)


def print_traffic(access_log: Path) -> int:
    """How the server answered the scan, by method and status: attacks that reached the forms
    show as 200s and 302s on POST, attacks stopped by the CSRF check as 400s."""
    counts: dict[str, int] = {}
    for line in access_log.read_text().splitlines():
        counts[line] = counts.get(line, 0) + 1
    print("server answers (method status: count):", dict(sorted(counts.items())))
    server_errors = sum(n for line, n in counts.items() if line.split()[-1].startswith("5"))
    if server_errors:
        print(f"{server_errors} server errors (5xx): see the findings below")
    return server_errors


def print_server_exceptions(server_log: Path, context_lines: int = 40) -> None:
    """The app's own report of each 5xx (request line and traceback), so a failed scan in CI
    says what broke without the temporary folder it ran in."""
    lines = server_log.read_text().splitlines()
    for index, line in enumerate(lines):
        if "Exception on " in line:
            print("\n".join(lines[index : index + context_lines]))


def findings_of(report: dict, actor: str) -> list[dict]:
    found = []
    for section in ("vulnerabilities", "anomalies"):
        for category, items in report.get(section, {}).items():
            found += [{"actor": actor, "category": category, **item} for item in items]
    return found


def report(findings: list[dict]) -> int:
    """Print every finding; fail when one is above informational."""
    serious = [item for item in findings if item.get("level", 0) > INFORMATIONAL]
    print(f"findings: {len(findings)} in all, {len(serious)} above informational")
    for item in findings:
        print(
            f"  [{item['actor']}] level {item.get('level')} {item['category']}: "
            f"{item.get('method', '')} {item.get('path', '')} {item.get('parameter', '')} "
            f"{item.get('info', '')[:200]}"
        )
    return 1 if serious else 0


if __name__ == "__main__":
    sys.exit(main())
