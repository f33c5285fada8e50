"""Benchmark: reading MOAs, against PDFium's plain text extraction of the same files in the same run.

Run: python bench/bench_documents.py [--repeat N] [--ocr-pages N] [--part text|ocr]

1. Text-layer PDFs (the samples whose every page has a good text layer): the product's reader (reader processes
   bounded in time and memory, words with their boxes, form fields, text quality checked, several documents at
   once) against one process calling pypdfium2's ``get_text_bounded`` on every page, nothing else.
2. OCR pages (pages cut from the scanned samples): the product's reader (render at 300 dpi, Tesseract in a child
   process with a timeout, one reader per core) against the same work done plainly (render, then ``tesseract``,
   one page after another).

Each side is a whole process (start-up and imports included); CPU is the process's and all its descendants'
(the forkserver and its readers included). The two
sides of a pair run back to back on the same files; the median ratio over the runs is reported.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "data" / "archive" / "moa"
SCANNED = [  # (file, page): pages with no text layer
    ("MiamiDadeCoFL_WSO_MOA_02.26.2025.pdf", 1),
    ("VADOC_JEM_MOA_022825.pdf", 3),
    ("HamiltonCountySheriffTN_JEM_031325.pdf", 2),
    ("LeeCoSheriffsOffice_JEM_MOA_02.20.2025.pdf", 4),
    ("OrlandoPoliceDeptFL_TFM_MOA_03.20.2025.pdf", 5),
    ("bradentonPoliceDeptFL_TFM_MOA_03.20.25.pdf", 6),
    ("PalmBeachGardensPoliceDeptFL_TFM_MOA_03.04.2025.pdf", 7),
    ("KennethCityPoliceDeptFL_TFM_MOA_02.27.2025.pdf", 8),
]

PLAIN_TEXT = """
import sys, pypdfium2 as pdfium
pages = 0
for path in sys.argv[1:]:
    pdf = pdfium.PdfDocument(path)
    for i in range(len(pdf)):
        pdf[i].get_textpage().get_text_bounded()
        pages += 1
    pdf.close()
print(pages)
"""

PRODUCT = """
import sys
from track287g.documents.limits import Limits
from track287g.documents.worker import Job, read_many

def main():
    ocr = sys.argv[1] == "ocr"
    jobs = (Job(open(p, "rb").read()) for p in sys.argv[2:])
    pages = 0
    for outcome in read_many(jobs, Limits(ocr=ocr)):
        assert outcome.error is None, outcome.error
        pages += len(outcome.result.pages)
    print(pages)

if __name__ == "__main__":
    main()
"""

PLAIN_OCR = """
import io, subprocess, sys, pypdfium2 as pdfium
pages = 0
for path in sys.argv[1:]:
    pdf = pdfium.PdfDocument(path)
    for i in range(len(pdf)):
        png = io.BytesIO()
        pdf[i].render(scale=300 / 72, grayscale=True).to_pil().save(png, format="PNG")
        subprocess.run(["tesseract", "stdin", "stdout", "--dpi", "300"], input=png.getvalue(), capture_output=True,
                       check=True)
        pages += 1
print(pages)
"""


def timed(code: str, *args: str) -> tuple[float, float, int]:
    """(wall s, cpu s of the process and all its descendants, pages) for one whole process.

    The product's reader processes are forked by multiprocessing's forkserver, which outlives the measured
    process by a moment and is never waited for by it: this process becomes their "subreaper" and waits for
    every orphan too, so their CPU is counted (without it, the readers' CPU would be missing)."""
    script = Path("/tmp") / f"track287g-bench-{abs(hash(code))}.py"
    script.write_text(code)
    before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    _reap_orphans()
    return wall, _children_cpu() - before, int(proc.stdout.strip().splitlines()[-1])


def _become_subreaper() -> None:
    """Linux: orphaned descendants are re-parented to this process (so their CPU time reaches it)."""
    import ctypes

    pr_set_child_subreaper = 36
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def _reap_orphans() -> None:
    import os

    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def text_layer_files() -> list[str]:
    from track287g.documents.limits import Limits
    from track287g.documents.reader import read_pdf, text_quality

    chosen = []
    for path in sorted(FOLDER.glob("*.pdf")):
        result = read_pdf(path.read_bytes(), Limits(ocr=False))
        if all(len(p.text) >= 200 and (text_quality(p.text) or 0) >= 0.8 for p in result.pages):
            chosen.append(str(path))
    return chosen


def scanned_pages(count: int, folder: Path) -> list[str]:
    import pypdfium2 as pdfium

    out = []
    for name, page in SCANNED[:count]:
        src = pdfium.PdfDocument(FOLDER / name)
        single = pdfium.PdfDocument.new()
        single.import_pages(src, [page - 1])
        target = folder / f"{Path(name).stem}-p{page}.pdf"
        single.save(target)
        out.append(str(target))
    return out


def report(label: str, unit: str, runs: list[tuple[tuple, tuple]]) -> dict:
    base_best = min(r[0][0] for r in runs)
    ours_best = min(r[1][0] for r in runs)
    ratio = statistics.median(r[1][0] / r[0][0] for r in runs)
    count = runs[0][1][2]
    print(f"{label}")
    for who, side, best in (("baseline", 0, base_best), ("track287g", 1, ours_best)):
        cpu = min(r[side][1] for r in runs)
        rate = f"{count / best:.2f} {unit}/s, {best / count:.1f} s each"
        print(f"  {who:<10} best {best:.2f} s wall, {cpu:.2f} s cpu ({rate})")
    print(f"  median ratio (track287g / baseline, wall): {ratio:.2f}")
    return {"label": label, "baseline_best": base_best, "ours_best": ours_best, "median_ratio": ratio, "count": count}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=len(SCANNED))
    parser.add_argument("--part", choices=["text", "ocr"], help="only this pair (default: both)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    import os
    import tempfile

    _become_subreaper()
    files = text_layer_files() if args.part != "ocr" else []
    cores = os.cpu_count()
    print(f"{len(files)} text-layer MOAs; {args.ocr_pages} scanned pages; {cores} cores; {args.repeat} paired runs")
    results = []
    if args.part != "ocr":
        text_runs = []
        for _ in range(args.repeat):
            base = timed(PLAIN_TEXT, *files)
            ours = timed(PRODUCT, "text", *files)
            text_runs.append((base, ours))
        pages = text_runs[0][0][2]
        results.append(report(f"text layer: {len(files)} documents, {pages} pages", "pages", text_runs))
        docs_per_s = len(files) / min(r[1][0] for r in text_runs)
        print(f"  = {docs_per_s:.1f} documents/s read by track287g")
    if args.part != "text":
        with tempfile.TemporaryDirectory() as tmp:
            scans = scanned_pages(args.ocr_pages, Path(tmp))
            ocr_runs = []
            for _ in range(args.repeat):
                base = timed(PLAIN_OCR, *scans)
                ours = timed(PRODUCT, "ocr", *scans)
                ocr_runs.append((base, ours))
        results.append(report(f"OCR: {len(scans)} scanned pages at 300 dpi", "pages", ocr_runs))
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
