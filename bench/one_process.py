"""Run the ``track287g`` command in one process: its worker pool switched off (for one-process benchmarks).

Usage: python bench/one_process.py [--profile OUT.prof] TRACK287G-ARGUMENTS...

The command has no switch for its pool, so this sets ``track287g.pipeline.POOL_MIN_FILES`` out of reach before
running the command's own entry point; it exits 3 when that constant is gone (say so instead of guessing).
``--profile OUT.prof`` runs the command under cProfile and writes the statistics there (everything, parsing
included, happens in this one process).
"""

from __future__ import annotations

import atexit
import cProfile
import gc
import sys


def main() -> int:
    args = sys.argv[1:]
    if args in ([], ["-h"], ["--help"]):
        print(__doc__)
        return 0
    profile = None
    if args[:1] == ["--profile"]:
        profile, args = args[1], args[2:]
    gc.disable()  # the modules imported with the collector paused, as the command imports them
    import track287g.pipeline as pipeline
    from track287g.cli import main as cli

    gc.enable()
    if not hasattr(pipeline, "POOL_MIN_FILES"):
        print("track287g.pipeline.POOL_MIN_FILES is gone: no way to switch the pool off", file=sys.stderr)
        return 3
    pipeline.POOL_MIN_FILES = sys.maxsize

    sys.argv = ["track287g", *args]
    if profile is None:
        cli()
        return 0
    profiler = cProfile.Profile()

    def dump() -> None:  # at exit: a command ends through its exit handlers and no further (``cli.common.leave``)
        profiler.disable()
        profiler.dump_stats(profile)

    atexit.register(dump)
    profiler.enable()
    try:
        cli()
    except SystemExit as done:
        return done.code or 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
