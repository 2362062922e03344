"""Build the static assets: compile the branded Sass, copy the scripts we use, hash every file
name, precompress, and write a manifest that the portal reads to link them.

Hashed names let browsers cache a file for a year; a changed file gets a new name.
Run by `make assets`; needs `npm ci` first (node_modules/.bin/sass).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import brotli
import yaml

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "portal" / "assets_src"
OUT = ROOT / "portal" / "static" / "dist"
BUILD = ROOT / "instance" / "assets-build"
GOVUK = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".map", ".txt"}


def main() -> int:
    sass = ROOT / "node_modules" / ".bin" / "sass"
    if not sass.exists():
        print(
            "build_assets: node_modules is missing; run `npm ci` (make does this)", file=sys.stderr
        )
        return 1
    council = yaml.safe_load((ROOT / "config" / "landlord.yaml").read_text())["council"]
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    BUILD.mkdir(parents=True, exist_ok=True)
    (BUILD / "_brand.scss").write_text(
        f"$brand-colour: {council['brand_colour']};\n$link-colour: {council['link_colour']};\n"
    )
    css = BUILD / "app.css"
    subprocess.run(  # noqa: S603
        [
            str(sass),
            "--style=compressed",
            "--no-source-map",
            "--quiet-deps",
            "--silence-deprecation=import",
            f"--load-path={ROOT / 'node_modules'}",
            f"--load-path={BUILD}",
            str(SRC / "app.scss"),
            str(css),
        ],
        check=True,
    )
    sources = {
        "app.css": css,
        "govuk-frontend.min.js": GOVUK / "govuk-frontend.min.js",
        "favicon.svg": SRC / "favicon.svg",
    }
    manifest = {name: _publish(path.read_bytes(), name) for name, path in sources.items()}
    # Our scripts import GOV.UK Frontend's module by its hashed name, so rewrite the import.
    for script in sorted(SRC.glob("*.js")):
        text = script.read_text().replace(
            "./govuk-frontend.min.js", "./" + manifest["govuk-frontend.min.js"]
        )
        manifest[script.name] = _publish(text.encode(), script.name)
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    print(f"build_assets: {len(manifest)} files into {OUT.relative_to(ROOT)}")
    return 0


def _publish(data: bytes, logical_name: str) -> str:
    digest = hashlib.sha256(data).hexdigest()[:12]
    stem, dot, ext = logical_name.rpartition(".")
    hashed = f"{stem}.{digest}.{ext}" if dot else f"{logical_name}.{digest}"
    target = OUT / hashed
    target.write_bytes(data)
    if target.suffix in COMPRESSIBLE:
        target.with_name(target.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
        target.with_name(target.name + ".br").write_bytes(brotli.compress(data, quality=11))
    return hashed


if __name__ == "__main__":
    raise SystemExit(main())
