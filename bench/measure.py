"""Whole-process measurements for the benchmarks: CPU and wall of a command and all its descendants, and the
memory of the whole process tree.

- CPU: user + system seconds from ``getrusage(RUSAGE_CHILDREN)`` taken before and after the command; it counts
  the command and every descendant it waited for (a worker pool's processes included).
- Memory, sampled from /proc over the command's process tree: the peak of the tree's summed RSS at one instant
  (pages shared after fork counted in each process, as ``ps`` would; every ``SAMPLE_SECONDS``), the peak of the
  summed PSS (shared pages split between the processes that share them: what the tree really occupies; read
  only while the sampler has spent less than ``PSS_BUDGET`` of the elapsed time, because reading it walks each
  process's page tables: about 12 ms for a 600 MB process, which at every sample took a quarter of a core from
  the command being measured on this 2-core machine; small processes are read often, large ones less), and
  the sum over processes of each one's own peak RSS (``VmHWM``; an upper bound, the figure ``/usr/bin/time``
  would give per process).
- Wall: from start to exit.
The benchmark process itself (and its sampler thread) is not counted; the sampler's own CPU is reported
  beside the figures (``observer_cpu``), so a reader sees what watching cost.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.05
PSS_BUDGET = 0.03  # at most this share of one core spent reading PSS (see above)


@dataclass
class Run:
    """One command's whole-process figures."""

    label: str
    wall: float
    user: float
    sys: float
    peak_rss_mb: float  # summed RSS of the tree at one instant, peak over samples
    peak_pss_mb: float  # summed PSS of the tree at one instant, peak over samples
    hwm_sum_mb: float  # sum over processes of each one's peak RSS
    processes: int  # processes seen in the tree
    returncode: int
    stdout: str = ""
    stderr: str = ""
    observer_cpu: float = 0.0  # seconds of CPU the memory sampler spent (not counted in ``cpu``)

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from the parent of every process in /proc."""
    parent: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])  # the name may hold spaces and parentheses
        parent.setdefault(ppid, []).append(int(entry))
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(parent.get(pid, ()))
    return pids


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) that ``root`` and its descendants living now have used, from /proc (to the
    kernel's tick: 10 ms on this machine)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _status_kb(pid: int, keys: tuple[str, ...]) -> dict[str, int]:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                name = line.split(":", 1)[0]
                if name in keys:
                    out[name] = int(line.split()[1])
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class _Sampler(threading.Thread):
    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.stop = threading.Event()
        self.peak_rss = self.peak_pss = 0
        self.hwm: dict[int, int] = {}
        self.cpu = 0.0  # the seconds of CPU this thread spent watching

    def run(self) -> None:
        start, began, reading = time.thread_time(), time.monotonic(), 0.0  # reading: CPU spent on PSS
        while not self.stop.is_set():
            rss = pss = 0
            with_pss = reading <= PSS_BUDGET * (time.monotonic() - began)
            for pid in _tree(self.root):
                status = _status_kb(pid, ("VmRSS", "VmHWM"))
                if not status:
                    continue
                rss += status.get("VmRSS", 0)
                if with_pss:
                    before = time.thread_time()
                    pss += _pss_kb(pid)
                    reading += time.thread_time() - before
                self.hwm[pid] = max(self.hwm.get(pid, 0), status.get("VmHWM", 0))
            self.peak_rss = max(self.peak_rss, rss)
            if with_pss:
                self.peak_pss = max(self.peak_pss, pss)
            self.cpu = time.thread_time() - start
            self.stop.wait(SAMPLE_SECONDS)


def run(
    label: str,
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float | None = None,
    check: bool = True,
) -> Run:
    """Run ``cmd`` to its end and measure it (see the module docstring)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd, start_new_session=True
    )
    sampler = _Sampler(proc.pid)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        err += f"\n[killed after {timeout:.0f} s]"
    wall = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = Run(
        label,
        wall,
        after.ru_utime - before.ru_utime,
        after.ru_stime - before.ru_stime,
        sampler.peak_rss / 1024,
        sampler.peak_pss / 1024,
        sum(sampler.hwm.values()) / 1024,
        len(sampler.hwm),
        proc.returncode,
        out,
        err,
        sampler.cpu,
    )
    if check and proc.returncode != 0:
        raise RuntimeError(f"{label}: exit {proc.returncode}: {' '.join(map(str, cmd))[:300]}\n{err[-3000:]}")
    return result


@dataclass
class Series:
    """Repeated runs of one command; medians reported."""

    label: str
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)

    @property
    def cpu(self) -> float:
        return self.median("cpu")

    @property
    def wall(self) -> float:
        return self.median("wall")


def as_installed(*sources: str | Path) -> None:
    """Run the code measured as installing leaves it: the package the CLI runs (and each other checkout's
    ``src`` folder given) compiled to bytecode now, and ``PYTHONDONTWRITEBYTECODE`` taken out of this process's
    environment, which every command measured inherits. Where that variable is set (as in some sandboxes),
    each run would otherwise compile again every module whose bytecode is missing or stale: about 0.8 s of CPU
    for the whole package, counted against whichever side had not been compiled."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    spec = importlib.util.find_spec("track287g")  # found, not imported
    packages = [Path(spec.origin).parent] if spec and spec.origin else []
    packages += [Path(src).resolve() / "track287g" for src in sources]
    for package in packages:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True, stdout=subprocess.DEVNULL)


def parser(doc: str) -> argparse.ArgumentParser:
    """A benchmark's argument parser whose --help is its docstring (first paragraph, then the rest)."""
    return argparse.ArgumentParser(
        description=doc.split("\n\n")[0],
        epilog=doc.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def table(rows: list[tuple[str, Series | Run]], baseline: Series | Run | None = None) -> str:
    """A plain-text table: CPU, wall, memory of each row, and its CPU as a multiple of the baseline's."""
    head = f"{'':44} {'CPU s':>8} {'wall s':>8} {'peak RSS':>9} {'peak PSS':>9} {'sum HWM':>8} {'procs':>5}"
    head += f" {'watch s':>7}"
    lines = [head + ("  CPU x base" if baseline else "")]
    for name, s in rows:
        get = s.median if isinstance(s, Series) else lambda a, s=s: getattr(s, a)
        line = (
            f"{name:44} {get('cpu'):8.2f} {get('wall'):8.2f} {get('peak_rss_mb'):7.0f}MB {get('peak_pss_mb'):7.0f}MB "
            f"{get('hwm_sum_mb'):6.0f}MB {round(get('processes')):5d} {get('observer_cpu'):7.2f}"
        )
        if baseline:
            base = baseline.cpu
            line += f"  {get('cpu') / base:9.2f}x" if base > 0 else ""
        lines.append(line)
    return "\n".join(lines)
