"""QR codes as SVG (pages, PDFs) and PNG (e-mails), encoded with segno (pure Python)."""

from __future__ import annotations

import functools
import io
from xml.sax.saxutils import quoteattr

import segno

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


@functools.lru_cache(maxsize=256)
def _code(text: str) -> segno.QRCode:
    """The encoded code (choosing the mask is most of the work): a registrant's code is drawn
    for their confirmation e-mail and again for their personal page, often a moment later.
    Medium error correction: a badge's code still scans when creased or partly covered."""
    return segno.make_qr(text, error="m", boost_error=False)


def qr_modules(text: str) -> list[list[bool]]:
    """The code's dark (True) and light modules, row by row, quiet zone excluded."""
    return [[bool(module) for module in row] for row in _code(text).matrix]


def qr_svg(text: str, *, label: str, size: str = "100%") -> str:
    """An inline SVG image of the code, named by `label` for screen readers."""
    modules = qr_modules(text)
    width = len(modules) + 2 * QUIET_ZONE
    path = "".join(
        f"M{x + QUIET_ZONE} {y + QUIET_ZONE}h1v1h-1z"
        for y, row in enumerate(modules)
        for x, dark in enumerate(row)
        if dark
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="0 0 {width} {width}" '
        f'width={quoteattr(size)} height={quoteattr(size)} role="img" '
        f"aria-label={quoteattr(label)} "
        f'shape-rendering="crispEdges"><rect width="{width}" height="{width}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


def qr_png(text: str, *, scale: int = 8) -> bytes:
    """The code as a PNG image, `scale` pixels a module (e-mail clients do not show SVG)."""
    buffer = io.BytesIO()
    _code(text).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()
