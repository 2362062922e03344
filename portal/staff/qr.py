"""The set-up page's QR code, drawn as inline SVG on the server: no script, no image request,
and the secret never leaves our own page (no external QR service).

segno (pure Python) draws it when installed; without it the page still shows the secret as
text and as an otpauth:// link, which every authenticator app accepts typed in.
"""

from __future__ import annotations

from markupsafe import Markup

LABEL = "QR code to scan with your authenticator app"


def qr_svg(uri: str) -> Markup | None:
    try:
        import segno
    except ImportError:
        return None
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=4, title=LABEL)
    # role=img with a name, so screen readers announce a picture and not a pile of paths.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{LABEL}" ', 1)
    return Markup(svg)  # noqa: S704  (segno's own output, no user text in it)
