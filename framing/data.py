"""Reading and validating labelled paragraphs (JSONL or CSV) for training and evaluation."""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .corpus import LineFeed, allow_long_fields, decoded_lines
from .errors import DataError
from .labels import LABELS

__all__ = ["Record", "read_labelled", "find_data_files", "data_sha256", "DATA_SUFFIXES"]

DATA_SUFFIXES = (".jsonl", ".csv")


@dataclass(frozen=True)
class Record:
    """One labelled paragraph and where it was read."""

    text: str
    label: str
    source: str
    line: int
    topic: str | None = None
    genre: str | None = None
    batch: str | None = None  # who wrote it, when known: cross-validation holds writers out

    @property
    def writer(self) -> str:
        """The record's ``batch``, else its file: the unit cross-validation holds out."""
        return self.batch or self.source


def find_data_files(paths, suffixes=DATA_SUFFIXES) -> list[Path]:
    """Expand files and folders into the sorted list of data files they hold.

    Parameters
    ----------
    paths : path or list of paths
    suffixes : tuple of str
        The file types to take (any case): JSONL and CSV by default.

    Raises
    ------
    DataError
        When a path does not exist or is of another type, or a folder holds no data file.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    kinds = " or ".join(filter(None, [", ".join(suffixes[:-1]), suffixes[-1]]))  # ".jsonl, .csv or .tsv"
    files, problems = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
            if not found:
                problems.append(f"{path}: no {kinds} file in this folder")
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() not in suffixes:
                problems.append(f"{path}: unsupported file type (expected {kinds})")
            files.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    if problems:
        raise DataError(problems)
    return files


def _decoded_lines(path: Path, problems: list[str]):
    """Yield (line number, text) of a UTF-8 file, listing undecodable lines as problems."""
    try:
        f = open(path, "rb")
    except OSError as exc:
        problems.append(f"{path}: cannot read: {exc.strerror}")
        return
    with f:
        yield from decoded_lines(f, path, problems.append)


def _check(text, label, where, problems) -> bool:
    if not isinstance(text, str):
        problems.append(f"{where}: 'text' must be a string, got {type(text).__name__}")
        return False
    if not text.strip():
        problems.append(f"{where}: empty text")
        return False
    if label not in LABELS:
        problems.append(f"{where}: unknown label {label!r} (expected one of {', '.join(LABELS)})")
        return False
    return True


def _read_jsonl(path: Path, problems: list[str]):
    for n, line in _decoded_lines(path, problems):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: invalid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"{where}: expected a JSON object, got {type(obj).__name__}")
            continue
        if "text" not in obj or "label" not in obj:
            problems.append(f"{where}: missing 'text' or 'label'")
            continue
        if _check(obj["text"], obj["label"], where, problems):
            yield Record(obj["text"], obj["label"], str(path), n, obj.get("topic"), obj.get("genre"),
                         obj.get("batch"))


def _read_csv(path: Path, problems: list[str]):
    # csv reads the decoded lines itself, so quoted fields may span several lines;
    # the feed gives each record the physical line it starts on.
    allow_long_fields()
    feed = LineFeed(_decoded_lines(path, problems))
    records = feed.records(csv.reader(feed))
    first = next(records, None)
    if first is None:
        problems.append(f"{path}: empty file")
        return
    n, header, error = first
    if error is not None:
        problems.append(f"{path}:{n}: unreadable CSV header ({error})")
        return
    if "text" not in header or "label" not in header:
        problems.append(f"{path}:{n}: CSV needs 'text' and 'label' columns, found {header}")
        return
    ti, li = header.index("text"), header.index("label")
    gi = header.index("genre") if "genre" in header else None
    oi = header.index("topic") if "topic" in header else None
    for n, row, error in records:
        if error is not None:
            problems.append(f"{path}:{n}: invalid CSV ({error})")
            continue
        if not row:
            continue
        if len(row) != len(header):
            problems.append(f"{path}:{n}: {len(row)} fields where the header has {len(header)}")
            continue
        if _check(row[ti], row[li], f"{path}:{n}", problems):
            yield Record(row[ti], row[li], str(path), n,
                         row[oi] if oi is not None else None, row[gi] if gi is not None else None)


def read_labelled(paths) -> list[Record]:
    """Read and validate labelled paragraphs from JSONL/CSV files or folders.

    Every problem is collected before raising, so that one run lists them all:
    bad JSON or CSV, missing fields, empty text, unknown labels, invalid UTF-8,
    and the same text given two different labels. Exact duplicates with the
    same label are kept once.

    Parameters
    ----------
    paths : str, Path or list of them
        Files (.jsonl, .csv with ``text`` and ``label`` columns) or folders.

    Returns
    -------
    list of Record

    Raises
    ------
    DataError
        With one ``file:line: message`` per problem.
    """
    problems: list[str] = []
    records: list[Record] = []
    seen: dict[str, Record] = {}
    for path in find_data_files(paths):
        reader = _read_csv if path.suffix.lower() == ".csv" else _read_jsonl
        for rec in reader(path, problems):
            key = " ".join(rec.text.split())
            first = seen.get(key)
            if first is None:
                seen[key] = rec
                records.append(rec)
            elif first.label != rec.label:
                problems.append(
                    f"{rec.source}:{rec.line}: same text as {first.source}:{first.line} "
                    f"with another label ({rec.label} vs {first.label})"
                )
    if problems:
        raise DataError(problems)
    if not records:
        raise DataError([f"{', '.join(map(str, paths if isinstance(paths, list) else [paths]))}: no labelled paragraph"])
    return records


def data_sha256(records) -> str:
    """Fingerprint of what a model learns from: the (text, label) pairs, in order."""
    h = hashlib.sha256()
    for rec in records:
        h.update(json.dumps([rec.text, rec.label], ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()
