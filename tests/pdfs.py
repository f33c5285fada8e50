"""Hostile and small PDFs for the documents tests, written byte by byte (a PDF is objects plus an index of where
each starts), and one-page PDFs cut from the real sample MOAs with PDFium."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

from track287g.config import bundled_archive

MOA_FOLDER = (bundled_archive() or Path("data/archive")) / "moa"


def sample(name: str) -> bytes:
    """A real MOA from the bundled archive."""
    return (MOA_FOLDER / name).read_bytes()


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF whose objects 1..n are ``objects`` (object 1 the catalog), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def stream(data: bytes, extra: str = "", compress: bool = True) -> bytes:
    body = zlib.compress(data, 9) if compress else data
    flate = " /Filter /FlateDecode" if compress else ""
    return f"<< /Length {len(body)}{flate} {extra} >>\nstream\n".encode() + body + b"\nendstream"


def text_page_pdf(lines: list[str]) -> bytes:
    """One letter page of Helvetica text."""
    content = (
        b"BT /F1 12 Tf 72 720 Td 14 TL "
        + b" ".join(
            b"(" + line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '" for line in lines
        )
        + b" ET"
    )
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def many_pages_pdf(count: int) -> bytes:
    """A PDF of ``count`` blank pages."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(count))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>" for _ in range(count)]
    return build_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(), *pages]
    )


def huge_image_pdf(width: int = 60_000, height: int = 60_000) -> bytes:
    """A page with no text holding one image that declares ``width`` x ``height`` pixels (a decompression bomb:
    decoding it would take width * height bytes)."""
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q"),
            stream(
                b"\0" * 1_000_000,
                f"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray "
                "/BitsPerComponent 8",
            ),
        ]
    )


def content_bomb_pdf(inflated_mb: int = 400) -> bytes:
    """A page whose content stream inflates from well under a megabyte to ``inflated_mb`` MB of drawing
    operators (each one a tiny path PDFium must keep)."""
    chunk = b"0 0 m 1 1 l S\n" * 4096
    data = chunk * (inflated_mb * 1024 * 1024 // len(chunk))
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            stream(data),
        ]
    )


def one_page(name: str, page: int) -> bytes:
    """Page ``page`` (1-based) of a sample MOA as a PDF of its own."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(sample(name))
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [page - 1])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def encrypted_pdf(password: str = "secret") -> bytes:
    """A real sample page, locked with a password (pypdf, a test dependency, does the encryption)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(one_page("CarrollCo_WSO_MOA_03.03.25.pdf", 1))))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
