"""Small valid and invalid files for upload tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.files import pdf_bytes

PDF = pdf_bytes()


def pdf(name="compte-rendu.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="affiche.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
