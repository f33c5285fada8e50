"""Profile a whole ``track287g`` command, worker processes included, with py-spy; print where the time goes.

Run: python bench/profile_build.py [--rate 25] [--out STACKS.txt] -- TRACK287G-ARGUMENTS...
e.g. python bench/profile_build.py -- --db /tmp/p.db build /tmp/synth/participating /tmp/synth/pending

py-spy (``pip install py-spy``, the ``bench`` extra) samples every process of the command's tree ``--rate`` times
a second, threads py-spy judges busy only. On an idle machine the samples stand for CPU time; on a loaded one a
thread waiting for a core counts too, so read the shares, not the total. Prints the functions with the largest
share of the samples including what they call (inclusive) and by themselves (self), and the share of the
pipeline's stages. The collapsed stacks are kept in ``--out`` for a flame graph.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

BIN = Path(sys.executable).parent
# stage -> a function whose inclusive share is the stage's
STAGES = {
    "read + normalize workbooks (prepare)": "track287g.archive.publications.prepare",
    "store publications (publications.write)": "track287g.archive.publications.write",
    "history: load the archive": "track287g.history.load.load_archive",
    "history: build": "track287g.history.build.build",
    "history: write the tables": "track287g.history.write",
    "enrich": "track287g.enrich.stage.enrich_database",
}
_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^:()]*)(?::\d+)?\)$")


def frame_name(frame: str) -> str:
    """``func (path/to/track287g/x/y.py:12)`` -> ``track287g.x.y.func``."""
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m.group("file").replace("\\", "/")
    if "/site-packages/" in path:
        path = path.split("/site-packages/", 1)[1]
    elif "/src/" in path:
        path = path.split("/src/", 1)[1]
    elif path.startswith("/") or path.startswith("<"):
        path = path.rsplit("/", 1)[-1]
    return path.removesuffix(".py").replace("/", ".").removesuffix(".__init__") + "." + m.group("func")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rate", type=int, default=25, help="samples a second")
    parser.add_argument("--out", type=Path, help="keep the collapsed stacks here")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the track287g arguments")
    args = parser.parse_args()
    command = [a for a in args.command if a != "--"] if args.command[:1] == ["--"] else args.command
    spy = shutil.which("py-spy", path=str(BIN)) or shutil.which("py-spy")
    if not spy:
        print("py-spy is missing: pip install py-spy (or pip install -e '.[bench]')", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="profile-")) / "stacks.txt"
    run = [spy, "record", "--subprocesses", "--format", "raw", "-r", str(args.rate), "-o", str(out), "--"]
    done = subprocess.run([*run, str(BIN / "track287g"), *command], capture_output=True, text=True)
    if not out.exists():
        print(done.stderr[-3000:], file=sys.stderr)
        return 1
    inclusive: Counter = Counter()
    own: Counter = Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [frame_name(f) for f in stack.split(";") if f]
        for name in set(frames):
            inclusive[name] += n
        if frames:
            own[frames[-1]] += n
    print(f"track287g {' '.join(command)[:200]}")
    print(
        f"exit {done.returncode}; {total:,} samples at {args.rate}/s "
        f"(about {total / args.rate:,.0f} busy thread seconds)"
    )
    if done.returncode:
        print("the command failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:300])

    def share(n: int) -> str:
        return f"{100 * n / max(total, 1):5.1f}%"

    print("\nstages (inclusive):")
    for stage, func in STAGES.items():
        n = max((v for k, v in inclusive.items() if k == func or k.startswith(func + ".")), default=0)
        print(f"  {share(n)}  {stage}")
    print(f"\ntop {args.top} functions, inclusive (track287g's own):")
    ours = [(k, v) for k, v in inclusive.most_common() if k.startswith("track287g.")]
    for name, n in ours[: args.top]:
        print(f"  {share(n)}  {name}")
    print(f"\ntop {args.top} functions by their own samples (any library):")
    for name, n in own.most_common(args.top):
        print(f"  {share(n)}  {name}")
    print(f"\ncollapsed stacks: {out}")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
