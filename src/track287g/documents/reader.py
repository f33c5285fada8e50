"""Read one PDF's text, page by page: the text layer with PDFium, form fields, and OCR where a page has none.

Runs inside a reader process (see ``worker``) that bounds its time and memory: PDFium is C++ and a hostile
file can make it allocate without limit. Every check that can be made before the expensive work is made
first (a PDF at all, complete, not locked, page count, page size, the pixel size of each image before a page
is rendered), and each failure is a :class:`RejectedPdf` with one line saying what is wrong.

PDFium (through pypdfium2, BSD-3/Apache-2.0) was chosen over pypdf, pdfplumber and PyMuPDF: it is the fastest
of them on the sample MOAs, reads the same text, gives the word boxes the extractor needs and renders pages
for OCR; PyMuPDF is as fast but AGPL-licensed (``bench/compare_pdf_libraries.py`` has the figures).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from track287g.config import PACKAGE_DATA
from track287g.documents.limits import Limits
from track287g.documents.ocr import OcrError, ocr_page, tesseract_version
from track287g.documents.pages import FORM_FIELD, TEXT_LAYER, PageText, Segment, segments_from_words
from track287g.parse.guard import describe_start

POINTS_PER_INCH = 72.0
TAIL_BYTES = 2048  # %%EOF must be within this many bytes of the end


class RejectedPdf(Exception):
    """A file that is not a readable PDF or that breaks a limit, with a one-line reason."""


@dataclass
class ReadResult:
    """A document as read: its pages, what read them, and anything worth knowing about how."""

    pages: list[PageText]
    reader: str
    ocr_engine: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def text_source(self) -> str:
        """``ocr`` when any page needed OCR, ``text-layer`` when all text came from the PDF, else ``none``."""
        sources = {p.source for p in self.pages}
        if "ocr" in sources:
            return "ocr"
        if "text-layer" in sources:
            return "text-layer"
        return "none"


def reader_name() -> str:
    return f"pypdfium2 {pdfium.PYPDFIUM_INFO}"


def check_bytes(data: bytes) -> None:
    """Checks on the bytes alone: a PDF at all, and complete."""
    if not data:
        raise RejectedPdf("empty file (0 bytes)")
    if b"%PDF-" not in data[:1024]:
        raise RejectedPdf(f"not a PDF: it is {describe_start(data)}")
    if b"%%EOF" not in data[-TAIL_BYTES:]:
        raise RejectedPdf(f"truncated PDF: no end-of-file marker (%%EOF) at the end of its {len(data):,} bytes")


def read_pdf(
    data: bytes,
    limits: Limits,
    known_ocr: dict[int, PageText] | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> ReadResult:
    """Read every page; OCR those without a text layer (or take them from ``known_ocr``, page -> text)."""
    check_bytes(data)
    tell = progress or (lambda _page, _what: None)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise RejectedPdf(_open_error(str(exc))) from None
    try:
        count = len(pdf)
        if count == 0:
            raise RejectedPdf("PDF has no pages")
        if count > limits.max_pages:
            raise RejectedPdf(f"PDF has {count:,} pages, over the limit of {limits.max_pages:,}")
        with contextlib.suppress(pdfium.PdfiumError):  # no usable form: the page text is all there is
            pdf.init_forms()
        engine = tesseract_version() if limits.ocr else None
        result = ReadResult([], reader_name())
        if limits.ocr and engine is None:
            result.notes.append("tesseract is not installed: pages without a text layer were not OCR'd")
        for index in range(count):
            tell(index + 1, "text")
            page = pdf[index]
            try:
                result.pages.append(_read_page(pdf, page, index + 1, limits, engine, known_ocr or {}, result, tell))
            finally:
                page.close()
        return result
    finally:
        pdf.close()


def _open_error(message: str) -> str:
    low = message.lower()
    if "password" in low:
        return "encrypted PDF: it needs a password to open"
    if "format" in low or "file" in low:
        return f"damaged PDF: PDFium cannot open it ({message})"
    if "security" in low or "handler" in low:
        return f"encrypted PDF with an unsupported security handler ({message})"
    return f"unreadable PDF ({message})"


SIGNATURE_PAGE = re.compile(r"By\s*sign\s*ing\s*this|For\s+the\s+LEA\s*:.{0,200}For\s+ICE\s*:", re.I | re.S)


def _read_page(
    pdf: pdfium.PdfDocument,
    page: pdfium.PdfPage,
    number: int,
    limits: Limits,
    engine: str | None,
    known_ocr: dict[int, PageText],
    result: ReadResult,
    tell: Callable[[int, str], None],
) -> PageText:
    width, height = page.get_size()
    longest = max(width, height) / POINTS_PER_INCH
    if longest > limits.max_page_inches:
        raise RejectedPdf(
            f"page {number} is {width / 72:,.0f} x {height / 72:,.0f} inches, over the limit of "
            f"{limits.max_page_inches:g} inches a side"
        )
    frame = _Frame(page)
    text_segments = _text_layer(page, frame)
    form_segments = _form_fields(pdf, page, frame)
    chars = sum(len(s.text.replace(" ", "")) for s in text_segments)
    quality = text_quality(" ".join(s.text for s in text_segments))
    layer = PageText(
        number, width, height, "text-layer" if chars or form_segments else "none", text_segments + form_segments
    )
    words = len(re.findall(r"[A-Za-z]{3,}", " ".join(s.text for s in text_segments)))
    garbled = (quality is not None and quality < limits.min_text_quality) or (
        chars >= limits.min_text_chars and words * 100 < 3 * chars  # characters but hardly any words: a bad font map
    )
    short = chars < limits.min_text_chars
    signature = bool(SIGNATURE_PAGE.search(layer.text))
    if not limits.ocr or not (garbled or short or signature) or not (garbled or _has_images(page)):
        return layer  # a good text layer, or little text and no picture: nothing for OCR to add
    read = _ocr(page, number, width, height, limits, engine, known_ocr, result, tell)
    if read is None:
        layer.note = "no OCR engine"
        return layer
    read.segments += form_segments
    if signature and not (garbled or short):
        # a signature page with a good text layer: names and dates typed or stamped on a scan are often
        # missing from it, so its OCR is kept beside it for the signature blocks
        layer.alternate = read
        return layer
    return _better(layer, read, garbled)


def _ocr(
    page: pdfium.PdfPage,
    number: int,
    width: float,
    height: float,
    limits: Limits,
    engine: str | None,
    known_ocr: dict[int, PageText],
    result: ReadResult,
    tell: Callable[[int, str], None],
) -> PageText | None:
    """The page's OCR: from a transcript when one is known, else rendered and read by Tesseract."""
    if number in known_ocr:
        known = known_ocr[number]
        result.ocr_engine = result.ocr_engine or "transcript"
        return PageText(number, width, height, "ocr", list(known.segments), known.confidence, known.note)
    if engine is None:
        return None
    _check_images(page, number, limits)
    tell(number, "ocr")
    scale = limits.ocr_dpi / POINTS_PER_INCH
    bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=False)
    image = bitmap.to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG")
    del image, bitmap
    try:
        read = ocr_page(png.getvalue(), number, width, height, limits.ocr_dpi, limits.ocr_page_seconds)
    except OcrError as exc:
        raise RejectedPdf(str(exc)) from None
    result.ocr_engine = engine
    return read


def _better(layer: PageText, read: PageText, garbled: bool) -> PageText:
    """The OCR of a page whose text layer was short or garbled, unless the text layer reads better."""
    if not garbled and layer.source == "none":
        return read
    ocr_quality = text_quality(read.text) or 0.0
    layer_quality = text_quality(layer.text) or 0.0
    if layer.source == "text-layer" and layer_quality >= ocr_quality and not garbled:
        layer.note = f"kept the text layer (word quality {layer_quality:.2f}, OCR {ocr_quality:.2f})"
        layer.alternate = read  # kept beside it, as for a signature page (and in the transcripts)
        return layer
    if garbled:
        read.note = f"text layer garbled (word quality {layer_quality:.2f}); OCR {ocr_quality:.2f}"
    return read


@functools.cache
def template_words() -> frozenset[str]:
    path = PACKAGE_DATA / "documents" / "template_words.txt"
    return frozenset(w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#"))


def text_quality(text: str, minimum: int = 20) -> float | None:
    """Share of the words (3+ letters) that are words of ICE's MOA templates; None for fewer than ``minimum``."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)]
    if len(words) < minimum:
        return None
    known = template_words()
    return sum(w in known for w in words) / len(words)


class _Frame:
    """Turns boxes in PDF user space (origin bottom-left, before the page's /Rotate) into boxes on the page as
    shown (origin top-left, rotation applied): scans are often stored sideways and rotated for display."""

    def __init__(self, page: pdfium.PdfPage):
        left, bottom, right, top = page.get_mediabox()
        self.left, self.bottom = left, bottom
        self.width, self.height = right - left, top - bottom
        self.rotation = page.get_rotation() % 360

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        corners = [self._point(x - self.left, y - self.bottom) for x, y in ((x0, y0), (x1, y1))]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return min(xs), min(ys), max(xs), max(ys)

    def _point(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return y, x
        if self.rotation == 180:
            return self.width - x, y
        if self.rotation == 270:
            return self.height - y, self.width - x
        return x, self.height - y


WORD = re.compile(r"[^\s\ufffe\x02\x00]+")


def _text_layer(page: pdfium.PdfPage, frame: _Frame) -> list[Segment]:
    """The page's words with their boxes: the text in reading order, cut at white space; a word's box is the
    union of its characters' boxes (a word's first and last characters alone can miss a tall letter between
    them, and the word then falls out of its line)."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count)[:count] if count else ""
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))

        def box(index: int) -> tuple[float, float, float, float]:
            pdfium_c.FPDFText_GetCharBox(textpage.raw, index, left, right, bottom, top)
            return frame.box(left.value, bottom.value, right.value, top.value)

        words: list[Segment] = []
        for m in WORD.finditer(text):
            boxes = [box(i) for i in range(m.start(), m.end())]
            x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
            x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
            words.append(Segment(m.group(0), x0, y0, x1, y1))
        return segments_from_words(words, TEXT_LAYER)
    finally:
        textpage.close()


def _annot_string(annot, key: str) -> str | None:
    size = pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode(), None, 0)
    if size <= 2:
        return None
    buf = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode(), ctypes.cast(buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buf.raw[: size - 2].decode("utf-16-le", "replace")


def _field_value(pdf: pdfium.PdfDocument, annot) -> str | None:
    form = getattr(pdf, "formenv", None)
    if form is None:
        return _annot_string(annot, "V")
    size = pdfium_c.FPDFAnnot_GetFormFieldValue(form.raw, annot, None, 0)
    if size <= 2:
        return None
    buf = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetFormFieldValue(form.raw, annot, ctypes.cast(buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buf.raw[: size - 2].decode("utf-16-le", "replace")


def _form_fields(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, frame: _Frame) -> list[Segment]:
    """Values typed into form fields and free-text notes: part of what the page shows, not of its text layer."""
    out = []
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
        if not annot:
            continue
        try:
            subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
            if subtype == pdfium_c.FPDF_ANNOT_WIDGET:
                value = _field_value(pdf, annot)
            elif subtype == pdfium_c.FPDF_ANNOT_FREETEXT:
                value = _annot_string(annot, "Contents")
            else:
                continue
            value = " ".join((value or "").split())
            if not value or value.lower() in ("off", "yes"):
                continue
            rect = pdfium_c.FS_RECTF()
            if not pdfium_c.FPDFAnnot_GetRect(annot, rect):
                continue
            out.append(Segment(value, *frame.box(rect.left, rect.bottom, rect.right, rect.top), 1.0, FORM_FIELD))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return out


def _has_images(page: pdfium.PdfPage) -> bool:
    return next(iter(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4)), None) is not None


def _check_images(page: pdfium.PdfPage, number: int, limits: Limits) -> None:
    """Refuse to render a page holding an image too large to decode (a decompression bomb)."""
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        try:
            w, h = obj.get_px_size()
        except Exception:  # an image PDFium cannot describe is not rendered either
            continue
        megapixels = w * h / 1e6
        if megapixels > limits.max_image_megapixels:
            raise RejectedPdf(
                f"page {number} holds an image of {w:,} x {h:,} pixels ({megapixels:,.0f} megapixels, over the "
                f"limit of {limits.max_image_megapixels:g}): a decompression bomb?"
            )
