"""Load the portal's pages under gunicorn and compare them with a hello-world Flask app.

Both run under the same gunicorn settings on 127.0.0.1; wrk (Debian's package) drives 16
concurrent connections for a fixed time. Figures: requests per second, p50 and p95 per page,
and the ratio of each page's throughput to hello-world. Saved to bench/results/http_pages.json.

Pages are listed in PAGES; later work adds its own (a page may need a signed-in cookie: give a
`prepare(base_url, env) -> dict of headers` function).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
CONNECTIONS = 16
DURATION = os.environ.get("BENCH_DURATION", "10s")
GUNICORN_ARGS = [
    "--workers",
    "2",
    "--threads",
    "4",
    "--worker-class",
    "gthread",
    "--log-level",
    "warning",
]
_BENCH = re.compile(
    r"BENCH requests=(\d+) errors=(\d+) seconds=([\d.]+) p50_us=(\d+) "
    r"p95_us=(\d+) p99_us=(\d+)"
)


@dataclass
class Page:
    name: str
    path: str
    prepare: Callable[[str, dict[str, str]], dict[str, str]] | None = None
    headers: dict[str, str] = field(default_factory=dict)


PAGES: list[Page] = [
    Page("start page", "/"),
    Page("accessibility statement", "/accessibility"),
]


def register_optional_pages() -> None:
    """Pages whose benchmarks live beside the features that own them."""
    for module_name in ("bench.dashboard", "bench.repairs_pages"):
        try:
            module = __import__(module_name, fromlist=["PAGES"])
        except ImportError:
            continue
        PAGES.extend(getattr(module, "PAGES", []))


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback only)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: {url} did not come up")


def start_gunicorn(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        env=env,
    )
    wait_up(f"http://127.0.0.1:{port}/")
    return process


def wrk(url: str, headers: dict[str, str]) -> dict[str, float]:
    args = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "latency.lua"),
    ]
    for name, value in {"Accept-Encoding": "gzip, br", **headers}.items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = _BENCH.search(output)
    if not match:
        raise SystemExit(f"bench: could not read wrk's output:\n{output}")
    requests, errors, seconds, p50, p95, p99 = match.groups()
    return {
        "requests_per_second": round(int(requests) / float(seconds), 1),
        "errors": int(errors),
        "p50_ms": int(p50) / 1000,
        "p95_ms": int(p95) / 1000,
        "p99_ms": int(p99) / 1000,
    }


def portal_environment(instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "bench-secret-key-" + "x" * 32,
            "TWILIO_AUTH_TOKEN": "bench-token",
            "DATABASE_URL": f"sqlite:///{instance / 'portal.sqlite'}",
            "PORTAL_INSTANCE_DIR": str(instance),
            "PATH": f"{BIN}:{env.get('PATH', '')}",
        }
    )
    return env


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench: wrk is needed: apt-get install wrk", file=sys.stderr)
        return 1
    register_optional_pages()
    instance = Path(tempfile.mkdtemp(prefix="bench-"))
    env = portal_environment(instance)
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,  # noqa: S603
        check=True,
        capture_output=True,
    )
    hello_port, portal_port = free_port(), free_port()
    processes = [
        start_gunicorn("bench.hello:app", hello_port, env),
        start_gunicorn("wsgi:app", portal_port, env),
    ]
    try:
        hello = wrk(f"http://127.0.0.1:{hello_port}/", {})
        base = f"http://127.0.0.1:{portal_port}"
        pages = {}
        for page in PAGES:
            headers = dict(page.headers)
            if page.prepare is not None:
                headers.update(page.prepare(base, env))
            figures = wrk(base + page.path, headers)
            figures["ratio_to_hello_world"] = round(
                figures["requests_per_second"] / hello["requests_per_second"], 3
            )
            pages[page.name] = figures
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(instance, ignore_errors=True)
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores",
        "connections": CONNECTIONS,
        "duration": DURATION,
        "gunicorn": " ".join(GUNICORN_ARGS),
        "hello_world": hello,
        "pages": pages,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "http_pages.json").write_text(json.dumps(report, indent=2))
    print(
        f"hello world: {hello['requests_per_second']} req/s, p50 {hello['p50_ms']} ms, "
        f"p95 {hello['p95_ms']} ms"
    )
    for name, figures in pages.items():
        print(
            f"{name}: {figures['requests_per_second']} req/s, p50 {figures['p50_ms']} ms, "
            f"p95 {figures['p95_ms']} ms, {figures['ratio_to_hello_world']:.0%} of hello world"
            f", errors {figures['errors']}"
        )
    print(f"saved {RESULTS / 'http_pages.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
