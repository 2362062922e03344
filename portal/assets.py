"""Links to the hashed, precompressed static files built by scripts/build_assets.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise

STATIC_DIR = Path(__file__).resolve().parent / "static" / "dist"
ASSET_PREFIX = "/assets/"
_HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
ONE_YEAR = 365 * 24 * 3600


class AssetsMissing(RuntimeError):
    pass


def load_manifest(directory: Path = STATIC_DIR) -> dict[str, str]:
    manifest = directory / "manifest.json"
    if not manifest.is_file():
        raise AssetsMissing(
            f"{manifest} is missing: run `make assets` (or `make demo`, which builds them)"
        )
    data: dict[str, str] = json.loads(manifest.read_text())
    return data


def init_assets(app: Flask, directory: Path = STATIC_DIR) -> None:
    manifest = load_manifest(directory)

    def asset_url(name: str) -> str:
        return ASSET_PREFIX + manifest[name]

    app.add_template_global(asset_url)
    # WhiteNoise serves the precompressed .br/.gz files and, because every name carries its
    # content hash, lets browsers keep them for a year without asking again.
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(directory),
        prefix=ASSET_PREFIX,
        max_age=ONE_YEAR,
        immutable_file_test=lambda _path, url: bool(_HASHED.search(url)),
        allow_all_origins=False,
    )
