"""The file formats of the exports: what a table is (``TableSpec``, ``Column``) and one writer per format.

Every writer makes the same bytes from the same rows: no timestamp inside (XLSX gets a fixed "created" time,
gzip a zero mtime and no file name). CSV, JSON and XLSX are written row by row; Parquet and compressed CSV
(``csv.gz``) are written from Arrow record batches, a few thousand rows at a time, so the large table (every
printed row of every list) never sits in memory whole, and both can be written from one pass over the rows.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

FORMATS = ("csv", "csv.gz", "parquet", "xlsx", "json")
STREAMED = ("parquet", "csv.gz")  # written from Arrow batches (``write_streamed``), several at once
MEDIATYPES = {
    "csv": "text/csv",
    "csv.gz": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FIXED_TIME = datetime(2000, 1, 1)  # the XLSX "created" stamp: a constant, so the bytes never change
BATCH_ROWS = 50_000
GZIP_LEVEL = 6


# Frictionless type -> the Arrow type (pyarrow's function that makes it)
_ARROW_TYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool_", "date": "date32"}


def _arrow_type(column: Column) -> Any:
    import pyarrow as pa

    return getattr(pa, _ARROW_TYPES[column.type])()


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string | integer | number | boolean | date
    description: str
    sql: str | None = None  # the SQL expression (default: the name)


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    source: str  # FROM ... (joins)
    order_by: str
    columns: tuple[Column, ...]
    large: bool = False  # too big for CSV, JSON or XLSX downloads and static hosts: compressed CSV and Parquet
    # a date column: in the streamed formats, one file per year of it (each under 25 MB, and a year whose rows
    # did not change can be kept from the version before: ``publish.downloads``)
    split_by: str | None = None

    def query(self, where: str = "") -> str:
        cols = ", ".join(f"{c.sql or c.name} AS {c.name}" for c in self.columns)
        return f"SELECT {cols} FROM {self.source}{f' WHERE {where}' if where else ''} ORDER BY {self.order_by}"


def file_name(table: str, fmt: str) -> str:
    return f"{table}.{fmt}"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def write_csv(path: Path, spec: TableSpec, rows: Iterable[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([c.name for c in spec.columns])
        for row in rows:
            writer.writerow([_cell(v) for v in row])


def write_json(path: Path, spec: TableSpec, rows: Iterable[tuple]) -> None:
    names = [c.name for c in spec.columns]
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("[")
        for n, row in enumerate(rows):
            fh.write(",\n" if n else "\n")
            fh.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False))
        fh.write("\n]\n")


def write_xlsx(path: Path, spec: TableSpec, rows: Iterable[tuple]) -> None:
    import xlsxwriter

    options = {
        "constant_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    wb = xlsxwriter.Workbook(str(path), options)
    wb.set_properties({"title": spec.title, "author": "track287g", "created": FIXED_TIME, "comments": spec.description})
    ws = wb.add_worksheet(spec.name)
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, [c.name for c in spec.columns], bold)
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    wb.close()


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH_ROWS)):
        yield batch


class _CsvGz:
    """Compressed CSV: a fixed header, no timestamp, no file name inside."""

    def __init__(self, path: Path, schema: Any) -> None:
        import pyarrow.csv as pcsv

        self.raw = path.open("wb")
        self.zipped = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, compresslevel=GZIP_LEVEL, mtime=0)
        options = pcsv.WriteOptions(include_header=True, quoting_style="needed")
        self.writer = pcsv.CSVWriter(self.zipped, schema, write_options=options)

    def write_batch(self, batch: Any) -> None:
        self.writer.write_batch(batch)

    def close(self) -> None:
        self.writer.close()
        self.zipped.close()
        self.raw.close()


def arrow_schema(spec: TableSpec) -> Any:
    """The table's Arrow schema (each column's description in its metadata)."""
    import pyarrow as pa

    fields = [pa.field(c.name, _arrow_type(c), metadata={"description": c.description}) for c in spec.columns]
    return pa.schema(fields, metadata={"table": spec.name})


def arrow_array(values: list, column: Column) -> Any:
    """``values`` (Python values as the database gives them: dates as ISO text) as the column's Arrow array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if column.type == "date":
        return pc.cast(pa.array(values, type=pa.string()), pa.date32())
    if column.type == "boolean":  # SQLite gives 0 and 1
        return pa.array([None if v is None else bool(v) for v in values], type=pa.bool_())
    return pa.array(values, type=_arrow_type(column))


def record_batches(spec: TableSpec, rows: Iterable[tuple]) -> Iterator[Any]:
    """``rows`` as Arrow record batches of ``BATCH_ROWS`` rows."""
    import pyarrow as pa

    schema = arrow_schema(spec)
    for batch in _batches(rows):
        columns = list(zip(*batch, strict=True))
        yield pa.record_batch([arrow_array(list(columns[i]), c) for i, c in enumerate(spec.columns)], schema=schema)


def write_streamed(paths: dict[str, Path], spec: TableSpec, batches: Iterable[Any]) -> dict[str, list[Path]]:
    """Write the Arrow record ``batches`` (``record_batches``) in each of ``paths``' formats (``parquet``,
    ``csv.gz``) from one pass over them; returns the file written per format."""
    import pyarrow.parquet as pq

    unknown = set(paths) - set(STREAMED)
    if unknown:
        raise ValueError(f"not a streamed format: {', '.join(sorted(unknown))}")
    schema = arrow_schema(spec)
    parquet = pq.ParquetWriter(paths["parquet"], schema, compression="zstd") if "parquet" in paths else None
    csv_gz = _CsvGz(paths["csv.gz"], schema) if "csv.gz" in paths else None
    written: dict[str, list[Path]] = {}
    try:
        for record in batches:
            if parquet is not None:
                parquet.write_batch(record)
            if csv_gz is not None:
                csv_gz.write_batch(record)
    finally:
        if parquet is not None:
            parquet.close()
            written["parquet"] = [paths["parquet"]]
        if csv_gz is not None:
            csv_gz.close()
            written["csv.gz"] = [paths["csv.gz"]]
    return written


WRITERS = {"csv": write_csv, "json": write_json, "xlsx": write_xlsx}  # row by row; the others: write_streamed
