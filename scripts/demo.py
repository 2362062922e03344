"""`make demo`: migrate and seed the SQLite databases, start every process, print the address.

Every process of the system runs under honcho: the portal under gunicorn, the worker, and the
simulators of the housing system and of Twilio. Ctrl-C stops them all.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
BIN = ROOT / ".venv" / "bin"
WEB_PORT = int(os.environ.get("DEMO_PORT", "8000"))
ADDRESS = f"http://127.0.0.1:{WEB_PORT}"


def demo_environment() -> dict[str, str]:
    INSTANCE.mkdir(exist_ok=True)
    key_file = INSTANCE / "demo-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
    env = dict(os.environ)
    env.update(
        {
            "PORTAL_ENV": "development",
            "SECRET_KEY": key_file.read_text().strip(),
            "DATABASE_URL": env.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'portal.sqlite'}"),
            "PUBLIC_BASE_URL": ADDRESS,
            "HOUSING_API_URL": "http://127.0.0.1:8101/api/v1",
            "TWILIO_API_BASE_URL": "http://127.0.0.1:8102",
            # The SMS simulator's fixed demo account (simulators/sms/README.md).
            "TWILIO_ACCOUNT_SID": "AC5e1a1a7ed0c0ffee5e1a1a7ed0c0ffee",
            "TWILIO_AUTH_TOKEN": "5e1a1a7ed5e1a1a7ed5e1a1a7ed5e1a1",
            "SMS_SIM_ACCOUNT_SID": "AC5e1a1a7ed0c0ffee5e1a1a7ed0c0ffee",
            "SMS_SIM_AUTH_TOKEN": "5e1a1a7ed5e1a1a7ed5e1a1a7ed5e1a1",
            "NORTHGATE_SIM_DATABASE": str(INSTANCE / "northgate.sqlite"),
            "SMS_SIM_DATABASE": str(INSTANCE / "sms.sqlite"),
            "SMS_SIM_INBOUND_URL": f"{ADDRESS}/webhooks/twilio/inbound",
            "PATH": f"{BIN}:{env.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def has_simulator(name: str) -> bool:
    init = ROOT / "simulators" / name / "__init__.py"
    return init.exists() and "def create_app" in init.read_text()


def procfile() -> str:
    lines = [
        f"web: gunicorn --bind 127.0.0.1:{WEB_PORT} --workers 2 --threads 4 "
        "--access-logfile - wsgi:app",
        "worker: flask --app wsgi worker",
    ]
    if has_simulator("northgate"):
        lines.append("northgate: flask --app simulators.northgate run --port 8101 --no-reload")
    if has_simulator("sms"):
        lines.append("sms: flask --app simulators.sms run --port 8102 --no-reload")
    return "\n".join(lines) + "\n"


def run(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True)  # noqa: S603


DEMO_STAFF = "demo.supervisor@northbridge.example"


def prepare(env: dict[str, str]) -> str:
    """Migrate and seed; return how a demonstrator signs in as staff."""
    run(env, "--app", "wsgi", "db", "upgrade")
    if has_simulator("northgate"):
        run(env, "--app", "simulators.northgate", "seed")
    created = subprocess.run(  # noqa: S603
        [
            str(BIN / "flask"),
            "--app",
            "wsgi",
            "staff",
            "create",
            DEMO_STAFF,
            "--role",
            "supervisor",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    links = [line for line in created.stdout.splitlines() if "/staff/setup/" in line]
    if links:
        return f"Staff demo account {DEMO_STAFF}: set it up once at {links[0].strip()}"
    return (
        f"Staff demo account {DEMO_STAFF} exists; for a new set-up link run "
        f"SECRET_KEY=$(cat instance/demo-secret-key) .venv/bin/flask --app wsgi staff reset "
        f"{DEMO_STAFF}"
    )


def wait_until_up(url: str, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return response.status < 500
        except OSError:
            time.sleep(0.5)
    return False


def main() -> int:
    env = demo_environment()
    staff_note = prepare(env)
    procfile_path = INSTANCE / "Procfile.demo"
    procfile_path.write_text(procfile())
    # honcho and everything it starts live in their own process group, so one signal to the
    # group stops every process however this script is stopped (Ctrl-C, SIGTERM, hang-up).
    honcho = subprocess.Popen(  # noqa: S603
        [str(BIN / "honcho"), "--procfile", str(procfile_path), "--app-root", str(ROOT), "start"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    try:
        if wait_until_up(f"{ADDRESS}/healthz/live"):
            logins = INSTANCE / "northgate-demo-logins.txt"
            print("\n" + "=" * 72, flush=True)
            print(f"  The repairs portal is running: open {ADDRESS}/", flush=True)
            if has_simulator("northgate"):
                print("  Housing system simulator (operator page): http://127.0.0.1:8101/operator")
            if has_simulator("sms"):
                print("  Text message simulator (phones):            http://127.0.0.1:8102/phones")
            if logins.exists():
                print(
                    "  Demo tenancies (create an account with one): "
                    + str(logins.relative_to(ROOT))
                )
            print("  " + staff_note)
            print("  Press Ctrl-C to stop everything.", flush=True)
            print("=" * 72 + "\n", flush=True)
        else:
            print(
                "make demo: the portal did not answer within a minute; see the log above",
                file=sys.stderr,
            )
        return honcho.wait()
    except KeyboardInterrupt:
        print("\nStopping every process of the demo...", flush=True)
        return stop_group(honcho)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def stop_group(process: subprocess.Popen[bytes]) -> int:
    group = os.getpgid(process.pid)
    os.killpg(group, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)  # anything that ignored SIGTERM
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
