"""Photos of the problem (R19): JPEG or PNG, up to 10 MB, checked by decoding them, re-encoded
so EXIF data (GPS location, camera serial, time) never reaches our disk, and stored outside
the web root under random names.

Re-encoding, not just deleting the EXIF block, is the point: it drops every metadata chunk we
did not write ourselves, and a file that only pretends to be an image cannot survive it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from adapters.db.report_drafts import PhotoRecord, new_token

MAX_BYTES = 10 * 1024 * 1024  # R19
# Decoding a "pixel flood" would eat memory; real phone photos are well under this.
MAX_PIXELS = 60_000_000
# Big enough to see the problem, small enough that three fit comfortably on a page.
LONGEST_SIDE = 2560
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


class PhotoRejected(ValueError):
    """The message is written for the tenant (a GOV.UK error message)."""


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    width: int
    height: int


def clean_photo(data: bytes) -> CleanPhoto:
    if not data:
        raise PhotoRejected("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise PhotoRejected("The selected file must be smaller than 10MB")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoRejected("The selected photo is too large. Take a smaller photo")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return _reencode(image, kind)
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRejected("The selected file must be a JPG or PNG photo") from None


def _reencode(image: Image.Image, kind: str | None) -> CleanPhoto:
    if kind not in _FORMATS:
        raise PhotoRejected("The selected file must be a JPG or PNG photo")
    # Apply the camera's rotation before the EXIF that carries it is dropped.
    upright = ImageOps.exif_transpose(image) or image
    upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = io.BytesIO()
    if kind == "JPEG":
        upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    else:
        if upright.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            upright = upright.convert("RGBA")
        upright.save(out, "PNG", optimize=True)
    return CleanPhoto(out.getvalue(), _FORMATS[kind], upright.width, upright.height)


class PhotoFiles:
    """Files under instance/photos/, outside the static folder: only a view that checks the
    tenancy can send them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, photo: CleanPhoto) -> PhotoRecord:
        self.folder.mkdir(parents=True, exist_ok=True)
        record = PhotoRecord(
            new_token(), photo.content_type, len(photo.content), photo.width, photo.height
        )
        (self.folder / record.file_name).write_bytes(photo.content)
        return record

    def path(self, record: PhotoRecord) -> Path:
        return self.folder / record.file_name

    def delete(self, record: PhotoRecord) -> None:
        self.path(record).unlink(missing_ok=True)
