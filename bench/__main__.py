"""`make bench`: every benchmark in turn; each prints its figures and saves them under
bench/results/. BENCH_ONLY=name,name runs a subset."""

from __future__ import annotations

import importlib
import os
import sys

BENCHMARKS = ["http_pages", "northgate_adapter", "sms_dispatch", "repairs_pages"]


def main() -> int:
    only = {n for n in os.environ.get("BENCH_ONLY", "").split(",") if n}
    failures = 0
    for name in BENCHMARKS:
        if only and name not in only:
            continue
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"bench.{name}":
                continue
            raise
        if not hasattr(module, "main"):
            continue
        print(f"\n== bench {name}", flush=True)
        failures += 1 if module.main() else 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
