"""A synthetic archive of ICE's 287(g) lists: years of daily participating and pending lists, with ground truth.

Usage: python bench/synth_archive.py OUT (--lists N | --years Y) [--seed S] [--end DATE] [--jobs J]

Each day gets a participating list and a pending list in ICE's real workbook layouts (a real ICE workbook from
data/archive/ice whose sheet is rewritten, see synth_xlsx.py), under ICE's file names
(``participatingAgencies01262026pm.xlsx``). Agreements grow from about 135 to about 5,000 over the run
(exponentially, like the program since 2025), with the churn ICE's lists show:

- additions (about 60% approved from the pending list, the rest straight onto the list), removals, renewals
  (one agreement replaced by a newer one of the same model) and model switches; pending applications withdrawn;
- signing dates first printed wrong and re-dated later (a slip of days or a year), year typos (``5025``), text
  dates (``5/8/2025``, ``05/082025``);
- renames (Sheriff's Office -> Department, "City of", apostrophes, a misspelt name fixed for good);
- transient typos in names (including the word that says what kind of agency it is), states, support types,
  agency types and counties, each lasting 1-30 lists; ICE's habits (trailing spaces, "link pending" MOAs);
- the column changes (no COUNTY, then COUNTY, then ADDENDUM; pending lists gaining COUNTY then MOA);
- identical re-posts: on some days a list is unchanged and posted again byte for byte under that day's name
  (and now and then a January stamp carries last year).

The same arguments give byte-identical files. The ground truth is written to OUT/truth/ (CSV, see ``write_truth``):
which agreements truly exist on each publication, which printed values are typos or re-dates of what, which
files are re-posts. Generated archives belong under /tmp or another folder git ignores.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import multiprocessing
import random
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth_model import TEMPLATES, Params, Simulation
from synth_xlsx import Row, Template


def _stamp(day: date, part: str, rng: random.Random, stamp_typo: float, taken: set[str]) -> tuple[str, str]:
    stamp = f"{day:%m%d%Y}{part}"
    if day.month == 1 and day.day <= 10 and rng.random() < stamp_typo:
        typo = f"{day:%m%d}{day.year - 1}{part}"
        if typo not in taken:
            return typo, f"stamp carries {day.year - 1} for {day.year}"
    return stamp, ""


_templates: dict[str, Template] = {}


def _render(task: tuple[str, list[Row], datetime]) -> bytes:
    layout, rows, saved = task
    if layout not in _templates:
        _templates[layout] = Template(TEMPLATES[layout])
    return _templates[layout].render(rows, saved)


class _Writer:
    """Renders lists (in worker processes when asked) and writes them, re-posts as copies of the last bytes."""

    def __init__(self, out: Path, jobs: int) -> None:
        self.out, self.batch = out, []
        self.pool = multiprocessing.get_context("fork").Pool(jobs) if jobs > 1 else None
        self.last: dict[str, bytes] = {}

    def add(self, entry: dict, task: tuple | None) -> None:
        self.batch.append((entry, task))
        if len(self.batch) >= 64:
            self.flush()

    def flush(self) -> None:
        tasks = [t for _, t in self.batch if t is not None]
        results = iter(self.pool.imap(_render, tasks, chunksize=2) if self.pool else map(_render, tasks))
        for entry, task in self.batch:
            data = next(results) if task is not None else self.last[entry["kind"]]
            self.last[entry["kind"]] = data
            (self.out / entry["kind"] / entry["file"]).write_bytes(data)
            entry["sha256"], entry["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
        self.batch.clear()

    def close(self) -> None:
        self.flush()
        if self.pool:
            self.pool.close()
            self.pool.join()


def generate(out: Path, p: Params, jobs: int = 1) -> dict:
    """Write the lists under ``out``/participating and ``out``/pending, the truth under ``out``/truth."""
    sim = Simulation(p)
    rng = random.Random(p.seed + 2)
    fields = {name: tuple(Template(path).fields) for name, path in TEMPLATES.items()}
    for folder in ("participating", "pending", "truth"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    lists: list[dict] = []
    previous: dict[str, dict] = {}
    taken: set[str] = set()
    writer = _Writer(out, jobs)
    for day_index, day in enumerate(sim.days):
        sim.step(day_index)
        part = "am" if rng.random() < 0.6 else "pm"
        hour = 13 if part == "am" else 19
        saved = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=UTC)
        for kind, rate in (("participating", p.repost_rate), ("pending", p.pending_repost_rate)):
            stamp, note = _stamp(day, part, rng, p.stamp_typo, taken)
            name = f"{kind}Agencies{stamp}.xlsx"
            taken.add(stamp)
            entry = {"file": name, "kind": kind, "posted": day.isoformat(), "part": part, "stamp_note": note}
            if kind in previous and rng.random() < rate:  # posted again unchanged, under today's name
                first = previous[kind]
                entry |= {"layout": first["layout"], "rows": first["rows"], "published": first["published"]}
                entry["repost_of"] = first["file"]
                lists.append(entry)
                writer.add(entry, None)
                continue
            layout = sim.layout(kind, day_index)
            rows = sim.printed(kind, day_index, fields[layout])
            sim.observe(kind, rows, fields[layout], day.isoformat())
            entry |= {"layout": layout, "rows": len(rows), "published": day.isoformat(), "repost_of": ""}
            lists.append(entry)
            previous[kind] = entry
            writer.add(entry, (layout, [r for _, r in rows], saved))
    writer.close()
    return write_truth(out, p, sim, lists)


def write_truth(out: Path, p: Params, sim: Simulation, lists: list[dict]) -> dict:
    truth = out / "truth"

    def write(name: str, header: list[str], rows: list) -> None:
        with open(truth / name, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    cols = ["file", "kind", "posted", "part", "published", "layout", "rows", "repost_of", "stamp_note", "sha256"]
    write("lists.csv", cols, [[e[c] for c in cols] for e in lists])
    agreements = sorted((r for r in [*sim.active.values(), *sim.ended] if r.id.startswith("G")), key=lambda r: r.id)
    write(
        "agreements.csv",
        [
            "agreement_id",
            "agency_id",
            "state",
            "agency",
            "model",
            "signed",
            "first_listed",
            "last_listed",
            "status",
            "successor",
            "from_pending",
        ],
        [
            [
                g.id,
                g.agency.id,
                g.agency.state,
                g.agency.name,
                g.model,
                g.signed.isoformat(),
                g.seen_first,
                g.seen_last,
                g.outcome or "active",
                g.successor,
                g.via,
            ]
            for g in agreements
            if g.seen_first
        ],
    )
    apps = sorted((r for r in [*sim.pending.values(), *sim.ended] if r.id.startswith("P")), key=lambda r: r.id)
    write(
        "pending.csv",
        [
            "pending_id",
            "agency_id",
            "state",
            "agency",
            "model",
            "first_listed",
            "last_listed",
            "outcome",
            "agreement_id",
        ],
        [
            [
                a.id,
                a.agency.id,
                a.agency.state,
                a.agency.name,
                a.model,
                a.seen_first,
                a.seen_last,
                a.outcome or "pending",
                a.via,
            ]
            for a in apps
            if a.seen_first
        ],
    )
    write(
        "variants.csv",
        ["row_id", "field", "printed", "true", "category", "first_listed", "last_listed"],
        [[*k, *v] for k, v in sorted(sim.variants.items())],
    )
    write("renames.csv", ["agency_id", "state", "effective", "old", "new", "why"], sim.renames)
    last = [e for e in lists if e["kind"] == "participating" and not e["repost_of"]][-1]
    summary = {
        "generator": "bench/synth_archive.py",
        "params": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(p).items()},
        "files": {k: sum(1 for e in lists if e["kind"] == k) for k in ("participating", "pending")},
        "reposts": sum(1 for e in lists if e["repost_of"]),
        "participating_rows": sum(e["rows"] for e in lists if e["kind"] == "participating"),
        "participating_rows_distinct_files": sum(
            e["rows"] for e in lists if e["kind"] == "participating" and not e["repost_of"]
        ),
        "first_list_agreements": lists[0]["rows"],
        "last_list_agreements": last["rows"],
        "agencies": len({g.agency.id for g in agreements if g.seen_first}),
        "agreements": sum(1 for g in agreements if g.seen_first),
        "variants": Counter(k[4] + ":" + k[1] for k in sim.variants),
        "renames": len(sim.renames),
        "how_to_read": (
            "lists.csv: every file; 'published' is the list's true date (a re-post keeps its first copy's); "
            "agreements.csv / pending.csv: each row is on every list of its kind published from first_listed to "
            "last_listed, and on no other; variants.csv: printed values that differ from the truth (typos, "
            "re-dates, text dates), on the lists published between first_listed and last_listed; renames.csv: "
            "an agency printed under a new name on lists posted from 'effective'."
        ),
    }
    (truth / "summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out", type=Path, help="output folder (created; use /tmp or a folder git ignores)")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--lists", type=int, help="number of days, each with a participating and a pending list")
    size.add_argument("--years", type=float, help="years of daily lists (365 a year)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=date.fromisoformat, default=Params.end, help="the last day (default %(default)s)")
    parser.add_argument("--start-agreements", type=int, default=Params.start_agreements)
    parser.add_argument("--final-agreements", type=int, default=Params.final_agreements)
    parser.add_argument("--typo-rate", type=float, default=Params.typo_rate, help="per row per day (0: no typos)")
    parser.add_argument(
        "--novel-typos",
        type=float,
        default=Params.novel_typos,
        help="share of state/model/type typos ICE has not printed before (0: only seen ones)",
    )
    parser.add_argument(
        "--misspelt-names",
        type=float,
        default=Params.misspelt_name,
        help="share of new agencies printed misspelt until ICE fixes the name (a rename)",
    )
    parser.add_argument("--jobs", type=int, default=1, help="processes rendering workbooks (output is the same)")
    args = parser.parse_args(argv)
    lists = args.lists if args.lists is not None else round(args.years * 365)
    if lists < 2:
        parser.error("at least 2 lists")
    if any(args.out.glob("*/*.xlsx")):
        parser.error(f"{args.out} already holds lists: give an empty or new folder")
    p = Params(
        lists,
        args.seed,
        args.end,
        args.start_agreements,
        args.final_agreements,
        typo_rate=args.typo_rate,
        novel_typos=args.novel_typos,
        misspelt_name=args.misspelt_names,
    )
    start = time.perf_counter()
    summary = generate(args.out, p, args.jobs)
    took = time.perf_counter() - start
    files = summary["files"]
    print(
        f"{files['participating']} participating and {files['pending']} pending lists "
        f"({summary['reposts']} byte-identical re-posts), {p.end - timedelta(days=lists - 1)} to {p.end}; "
        f"{summary['participating_rows']:,} participating rows; agreements {summary['first_list_agreements']} "
        f"-> {summary['last_list_agreements']}; {summary['renames']} renames, "
        f"{sum(summary['variants'].values())} printed variants; truth in {args.out / 'truth'}; {took:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
