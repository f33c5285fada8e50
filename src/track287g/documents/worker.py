"""Reader processes: each PDF is read in a child process with a memory limit and a deadline, several at once.

PDFium and Tesseract are native code: a hostile PDF can make them allocate or loop without end, and nothing
inside the process can stop that reliably. So each document is read in its own process, forked from a small
``forkserver`` that has the reader preloaded (cheap to start, safe beside threads), with an address-space
limit (``RLIMIT_AS``, inherited by the Tesseract child it runs) and a deadline that grows with each page sent
to OCR. A reader that overruns is killed and the file rejected with one line naming the page it was on. Up
to ``Limits.parallel()`` readers run at once (one per core by default); results come back in input order.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import resource
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from track287g.documents.limits import Limits
from track287g.documents.pages import PageText
from track287g.documents.reader import ReadResult, RejectedPdf, read_pdf

STAGES = {0: "opening it", 1: "reading its text", 2: "OCR"}


@dataclass
class Job:
    """One PDF to read, with any OCR already known for its pages (page number -> text)."""

    data: bytes
    known_ocr: dict[int, PageText] | None = None


@dataclass
class Outcome:
    """What reading gave: the result, or the one-line reason the file was rejected."""

    result: ReadResult | None
    error: str | None
    seconds: float


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["__main__", "track287g.documents.reader"])
        return ctx
    return multiprocessing.get_context("spawn")


def _address_space() -> int:
    """This process's current virtual size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(conn: Connection, job: Job, limits: Limits, state) -> None:
    """Entry point of a reader process: limit memory, read, send back the result or the reason."""
    budget = limits.memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):  # a platform without address-space limits: the deadline stays
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + budget, resource.RLIM_INFINITY))

    def progress(page: int, what: str) -> None:
        state[0] = page
        state[1] = 2 if what == "ocr" else 1
        if what == "ocr":
            state[2] += 1

    try:
        conn.send(("ok", read_pdf(job.data, limits, job.known_ocr, progress)))
    except RejectedPdf as exc:
        conn.send(("rejected", str(exc)))
    except MemoryError:
        conn.send(("rejected", _stopped(state, f"ran out of memory (limit {limits.memory_mb:,} MB)")))
    except Exception as exc:  # a reader bug or a PDFium error on one page: one line, never a traceback
        conn.send(
            ("rejected", _stopped(state, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"))
        )
    finally:
        conn.close()


def _stopped(state, cause: str) -> str:
    page, stage = state[0], STAGES.get(state[1], "reading it")
    where = f"on page {page} ({stage})" if page else f"while {stage}"
    return f"the PDF reader stopped {where}: {cause}"


class _Running:
    def __init__(self, ctx, job: Job, limits: Limits):
        self.limits = limits
        self.state = ctx.Array("i", 3, lock=False)  # page, stage, pages sent to OCR
        self.recv, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_child, args=(send, job, limits, self.state), daemon=True)
        self.started = time.monotonic()
        self.process.start()
        send.close()
        self.outcome: Outcome | None = None

    def deadline(self) -> float:
        return self.started + self.limits.deadline(self.state[2])

    def collect(self) -> None:
        """Take the child's answer (it has one ready, or has died)."""
        try:
            kind, payload = self.recv.recv()
        except (EOFError, OSError):
            self.process.join(5)
            code = self.process.exitcode
            cause = f"killed by signal {-code}" if code is not None and code < 0 else f"exited with code {code}"
            self._finish(None, _stopped(self.state, f"{cause}; out of memory? (limit {self.limits.memory_mb:,} MB)"))
            return
        self.process.join(5)
        if kind == "ok":
            self._finish(payload, None)
        else:
            self._finish(None, payload)

    def expire(self) -> None:
        self.process.kill()
        self.process.join(5)
        allowed = self.limits.deadline(self.state[2])
        self._finish(None, _stopped(self.state, f"took longer than {allowed:g} s: stopped"))

    def _finish(self, result: ReadResult | None, error: str | None) -> None:
        self.recv.close()
        self.outcome = Outcome(result, error, time.monotonic() - self.started)


def read_many(jobs: Iterable[Job], limits: Limits) -> Iterator[Outcome]:
    """Read PDFs in reader processes, up to ``limits.parallel()`` at once; outcomes in input order."""
    ctx = _context()
    queue = iter(jobs)
    window: deque[_Running] = deque()
    exhausted = False
    while True:
        while not exhausted and sum(r.outcome is None for r in window) < limits.parallel():
            job = next(queue, None)
            if job is None:
                exhausted = True
                break
            window.append(_Running(ctx, job, limits))
        while window and window[0].outcome is not None:
            done = window.popleft().outcome
            assert done is not None
            yield done
        running = [r for r in window if r.outcome is None]
        if not running:
            if exhausted and not window:
                return
            continue
        soonest = min(r.deadline() for r in running)
        ready = wait([r.recv for r in running], timeout=max(0.0, min(soonest - time.monotonic(), 1.0)))
        for r in running:
            if r.recv in ready:
                r.collect()
            elif time.monotonic() > r.deadline():
                r.expire()


def read_one(data: bytes, limits: Limits, known_ocr: dict[int, PageText] | None = None) -> Outcome:
    """Read one PDF in a reader process."""
    return next(read_many([Job(data, known_ocr)], limits))
