"""The bounds a PDF is read within: pages, page and image sizes, time, memory, OCR, parallel readers.

A real MOA has 10 to 20 letter-size pages and reads in well under a second (OCR: a few seconds a page); the
defaults leave a wide margin and stop hostile files long before they hurt the machine. Each limit can be set
in the environment (``TRACK287G_PDF_MAX_PAGES`` and so on, see ``ENV``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

ENV = {
    "max_pages": "TRACK287G_PDF_MAX_PAGES",
    "max_page_inches": "TRACK287G_PDF_MAX_PAGE_INCHES",
    "max_image_megapixels": "TRACK287G_PDF_MAX_IMAGE_MEGAPIXELS",
    "seconds": "TRACK287G_PDF_SECONDS",
    "ocr_page_seconds": "TRACK287G_OCR_PAGE_SECONDS",
    "memory_mb": "TRACK287G_PDF_MEMORY_MB",
    "workers": "TRACK287G_PDF_WORKERS",
    "ocr": "TRACK287G_OCR",
}


@dataclass(frozen=True)
class Limits:
    """How far reading one PDF may go before it is stopped and the file rejected."""

    max_pages: int = 500
    max_page_inches: float = 50.0  # a side longer than this is not a document page
    max_image_megapixels: float = 150.0  # one embedded image, decoded (a 600 dpi letter scan is 34)
    seconds: float = 120.0  # a whole document without OCR
    ocr_page_seconds: float = 120.0  # one page's OCR (Tesseract takes 2-5 s on a letter page at 300 dpi)
    memory_mb: int = 1536  # address space a reader may add (its OCR engine gets as much)
    workers: int = 0  # documents read at once; 0: one per CPU core
    ocr: bool = True  # OCR pages without a text layer
    ocr_dpi: int = 300
    min_text_chars: int = 200  # a page whose text layer has fewer characters is OCR'd
    min_text_quality: float = 0.8  # ... and one where fewer of its words are words of ICE's templates (garbled)

    def deadline(self, ocr_pages: int) -> float:
        """The time a document may take in all, given how many pages need OCR."""
        return self.seconds + ocr_pages * self.ocr_page_seconds

    def parallel(self) -> int:
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)


def limits_from_env(**overrides: Any) -> Limits:
    """The default limits, with any set in the environment, then ``overrides``."""
    values: dict = {}
    types = {f.name: f.type for f in fields(Limits)}
    for name, var in ENV.items():
        raw = os.environ.get(var)
        if raw is None or raw == "":
            continue
        kind = types[name]
        if kind in ("bool", bool):
            values[name] = raw.strip().lower() not in ("0", "no", "false", "off")
        elif kind in ("int", int):
            values[name] = int(raw)
        else:
            values[name] = float(raw)
    return replace(Limits(**values), **overrides)
