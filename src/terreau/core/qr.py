"""QR codes as SVG (pages, PDFs) and PNG (e-mails), encoded with segno (pure Python)."""

from __future__ import annotations

import io
from xml.sax.saxutils import quoteattr

import segno

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_modules(text: str) -> list[list[bool]]:
    """The code's dark (True) and light modules, row by row, quiet zone excluded. Medium error
    correction: a badge's code still scans when creased or partly covered."""
    code = segno.make_qr(text, error="m", boost_error=False)
    return [[bool(module) for module in row] for row in code.matrix]


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
    from PIL import Image

    modules = qr_modules(text)
    width = len(modules) + 2 * QUIET_ZONE
    image = Image.new("1", (width, width), 1)
    pixels = image.load()
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                pixels[x + QUIET_ZONE, y + QUIET_ZONE] = 0
    image = image.resize((width * scale, width * scale), Image.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
