"""Measure PDF text libraries on the sample MOAs: speed, text found, template phrases read intact, form fields.

Run: python bench/compare_pdf_libraries.py [FOLDER] [--libraries pypdfium2,pypdf,pdfplumber,pymupdf]
Each library runs in its own fresh process (import included) over the same files, in turn, so the figures are
whole-process CPU and wall time plus peak memory. Libraries that are not installed are skipped (PyMuPDF is AGPL
and is not a dependency: `pip install pymupdf` to include it; pdfplumber and pypdf likewise).

Quality, measured on the PDFs that have a text layer: the share of the phrases every MOA template prints (title,
parties, section headings, signature block) found intact in the page text (a library that splits words, drops
spaces or scrambles the reading order misses some), and whether the values typed into live form fields (two
2025 MOAs carry the agency's name and the signing dates there, not in the page text) come out.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "data" / "archive" / "moa"
LIBRARIES = ["pypdfium2", "pypdf", "pdfplumber", "pymupdf"]
PHRASES = [
    "memorandum of agreement",
    "immigration and customs enforcement",
    "287(g)",
    "department of homeland security",
    "law enforcement agency",
    "purpose",
    "authority",
    "nomination of personnel",
    "training of personnel",
    "complaint procedures",
    "civil rights standards",
    "for the lea",
    "for ice",
    "signature",
    "title",
    "date",
]
FORM_VALUES = {  # typed into live form fields (widgets), not into the page content
    "ArcadiaPDFL_TFM_MOA_030425.pdf": ["Arcadia Police Dept", "March 5, 2025", "City Marshal Quinn Jones"],
    "SmithCoSheriffsOfficeTX_TFM_MOA_02.18.25.pdf": ["Smith County Sheriff"],
}

EXTRACT = {
    "pypdfium2": """
import pypdfium2 as pdfium
def pages(path):
    pdf = pdfium.PdfDocument(path)
    try:
        return [pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf))]
    finally:
        pdf.close()
""",
    "pypdf": """
from pypdf import PdfReader
def pages(path):
    return [p.extract_text() or "" for p in PdfReader(path).pages]
""",
    "pdfplumber": """
import pdfplumber
def pages(path):
    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]
""",
    "pymupdf": """
import pymupdf
def pages(path):
    with pymupdf.open(path) as doc:
        return [p.get_text() for p in doc]
""",
}

CHILD = """
import json, logging, sys, time, resource
logging.disable(logging.CRITICAL)
start = time.perf_counter()
{code}
out = {{}}
for path in sys.argv[1:]:
    out[path] = pages(path)
usage = resource.getrusage(resource.RUSAGE_SELF)
json.dump({{"pages": out, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}}, sys.stdout)
"""


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).lower()


def _run(library: str, files: list[str]) -> dict | None:
    probe = subprocess.run([sys.executable, "-c", f"import {library}"], capture_output=True)
    if probe.returncode != 0:
        return None
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD.format(code=EXTRACT[library]), *files], capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{library} failed: {proc.stderr.strip().splitlines()[-1]}")
    result = json.loads(proc.stdout)
    result["wall"] = wall
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=str(FOLDER))
    parser.add_argument("--libraries", default=",".join(LIBRARIES))
    args = parser.parse_args()
    files = sorted(str(p) for p in Path(args.folder).glob("*.pdf"))
    if not files:
        raise SystemExit(f"no PDFs in {args.folder}")
    results = {lib: _run(lib, files) for lib in args.libraries.split(",")}
    results = {k: v for k, v in results.items() if v is not None}
    # the documents with a text layer: at least half their pages give 200+ characters in every library
    layered = [
        f
        for f in files
        if all(sum(len(t.strip()) > 200 for t in r["pages"][f]) * 2 >= len(r["pages"][f]) for r in results.values())
    ]
    page_count = sum(len(next(iter(results.values()))["pages"][f]) for f in files)
    print(f"{len(files)} PDFs, {page_count} pages; {len(layered)} with a text layer (quality measured on those)")
    print(f"{'library':<11} {'wall s':>7} {'cpu s':>7} {'ms/page':>8} {'peak MB':>8} {'chars':>10} "
          f"{'phrases':>8} {'form values':>12}")  # fmt: skip
    for lib, r in results.items():
        chars = sum(len(t) for pages in r["pages"].values() for t in pages)
        found = total = 0
        for f in layered:
            text = _norm(" ".join(r["pages"][f]))
            found += sum(p in text for p in PHRASES)
            total += len(PHRASES)
        form_found = form_total = 0
        for f in files:
            for value in FORM_VALUES.get(Path(f).name, []):
                form_total += 1
                form_found += _norm(value) in _norm(" ".join(r["pages"][f]))
        print(
            f"{lib:<11} {r['wall']:>7.2f} {r['cpu']:>7.2f} {1000 * r['cpu'] / page_count:>8.1f} {r['rss_mb']:>8.0f} "
            f"{chars:>10,} {100 * found / max(total, 1):>7.1f}% {form_found:>5}/{form_total}"
        )
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"(children's total cpu {usage.ru_utime + usage.ru_stime:.1f} s)")


if __name__ == "__main__":
    main()
