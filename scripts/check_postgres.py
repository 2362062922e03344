"""Fail `make test` with a message that says what to do when PostgreSQL cannot be reached.

The PostgreSQL tests are never skipped silently: production runs on PostgreSQL.
"""

from __future__ import annotations

import sys

import sqlalchemy as sa


def main(url: str) -> int:
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:  # noqa: BLE001  (any failure means the same advice)
        reason = str(error).strip().splitlines()[0]
        print(
            f"make test: cannot reach PostgreSQL at {url} ({reason}).\n"
            "  Start it with: "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
            "  or point TEST_POSTGRES_URL at a server where the user may create databases.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
