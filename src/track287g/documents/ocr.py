"""OCR of one rendered page with Debian's Tesseract, run as a child process with a timeout.

Tesseract is called directly (``tesseract stdin stdout tsv``): its TSV output gives every word with its box
and confidence, which the extractor needs to tell the two columns of a signature block apart. The child
inherits the memory limit of the reader process that starts it (see ``worker``), and ``OMP_THREAD_LIMIT=1``
keeps each child on one core: documents are read in parallel instead.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess

from track287g.documents.pages import OCR, PageText, Segment, segments_from_words

TESSERACT = "tesseract"
LANGUAGE = "eng"


class OcrError(Exception):
    """OCR could not read a page, with a one-line reason."""


@functools.cache
def tesseract_version() -> str | None:
    """``tesseract 5.3.0`` (the installed engine), or None when Tesseract is not installed."""
    path = shutil.which(TESSERACT)
    if path is None:
        return None
    try:
        proc = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    first = (proc.stdout or proc.stderr).strip().splitlines()
    return first[0].strip() if first else "tesseract"


def ocr_page(png: bytes, number: int, width: float, height: float, dpi: int, timeout: float) -> PageText:
    """Words of a page image (PNG bytes rendered at ``dpi``), as segments in PDF points."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        proc = subprocess.run(
            [TESSERACT, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(dpi), "tsv"],
            input=png,
            capture_output=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR of page {number} took longer than {timeout:g} s: stopped") from None
    except OSError as exc:
        raise OcrError(f"cannot run {TESSERACT} ({exc.strerror or exc})") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        if proc.returncode < 0:
            raise OcrError(f"OCR of page {number} was killed (signal {-proc.returncode}; out of memory?)")
        raise OcrError(f"OCR of page {number} failed: {detail[-1] if detail else f'exit {proc.returncode}'}")
    words = _words(proc.stdout.decode("utf-8", "replace"), 72.0 / dpi)
    segments = segments_from_words(words, OCR)
    confidence = sum(w.conf for w in words) / len(words) if words else None
    return PageText(number, width, height, "ocr", segments, confidence)


def _words(tsv: str, points_per_pixel: float) -> list[Segment]:
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            conf = float(row["conf"])
            left, top, w, h = (float(row[k]) for k in ("left", "top", "width", "height"))
        except (KeyError, TypeError, ValueError):
            continue
        if conf < 0:
            continue
        s = points_per_pixel
        words.append(Segment(text, left * s, top * s, (left + w) * s, (top + h) * s, conf / 100.0))
    return words
