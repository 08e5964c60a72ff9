"""Streaming labelled output for corpora: CSV/JSONL rows in, rows plus framing columns out.

Rows are read and written in chunks, so a corpus larger than memory works, and
the output goes to a temporary file renamed over the target only when every
row is done: an error or Ctrl-C never leaves a partial file in its place.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .labels import LABELS

__all__ = ["InputError", "Row", "decoded_lines", "read_rows", "RowWriter", "atomic_output", "CORPUS_FORMATS"]

CORPUS_FORMATS = ("csv", "tsv", "jsonl")


class InputError(ValueError):
    """A problem in the user's input file, with the line it is on."""


@dataclass
class Row:
    """One input row: its line, its fields (kept as read) and the text to classify (or why not)."""

    line: int
    fields: dict
    text: str | None
    problem: str | None = None


def decoded_lines(stream, name, on_error=None):
    """Yield (line number, text) of a UTF-8 binary stream, a leading BOM dropped.

    An undecodable line raises :class:`InputError` naming it, or, when
    ``on_error`` is given, is passed to it as a message and skipped (so that a
    validator can list every bad line).
    """
    for n, raw in enumerate(stream, 1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield n, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = (f"{name}:{n}: not valid UTF-8 ({exc.reason} at byte {exc.start}); "
                       "convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)")
            if on_error is None:
                raise InputError(message) from None
            on_error(message)


def _text_problem(value, column):
    if value is None:
        return f"no '{column}' field"
    if not isinstance(value, str):
        return f"'{column}' is {type(value).__name__}, not text"
    if not value.strip():
        return f"empty '{column}'"
    return None


def read_rows(stream, name: str, fmt: str, column: str):
    """Yield a :class:`Row` per record of a CSV/TSV/JSONL binary stream.

    Row-level problems (empty text, missing field, broken JSON line) are put on
    the row for the caller to refuse or skip; file-level ones (invalid UTF-8,
    a header without the column) raise :class:`InputError` at once.
    """
    lines = decoded_lines(stream, name)
    if fmt == "jsonl":
        for n, line in lines:
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Row(n, {}, None, f"invalid JSON ({exc.msg})")
                continue
            if not isinstance(obj, dict):
                yield Row(n, {}, None, f"expected a JSON object, got {type(obj).__name__}")
                continue
            value = obj.get(column)
            yield Row(n, obj, value, _text_problem(value, column))
        return
    reader = csv.reader((line for _, line in lines), delimiter="\t" if fmt == "tsv" else ",")
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{name}: empty file, expected a header line") from None
    if column not in header:
        raise InputError(f"{name}:1: no column '{column}' in the header {header}; "
                         "name the text column with --column")
    index = header.index(column)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{name}:{reader.line_num}: invalid CSV ({exc})") from None
        if not fields:
            continue
        n = reader.line_num
        if len(fields) != len(header):
            yield Row(n, dict(zip(header, fields)), None,
                      f"{len(fields)} fields where the header has {len(header)}")
            continue
        row = dict(zip(header, fields))
        yield Row(n, row, fields[index], _text_problem(fields[index], column))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


class RowWriter:
    """Write input rows plus ``label`` and the three scores, as CSV/TSV or JSONL.

    ``extra`` names more added columns (e.g. ``uncertain``), whose values are
    passed to :meth:`write` in the same order.
    """

    def __init__(self, stream, fmt: str, prefix: str = "", extra=()):
        self.stream, self.fmt, self.prefix = stream, fmt, prefix
        self.added = [prefix + name for name in ("label", *LABELS, *extra)]
        self._csv = None
        self.rows = 0

    def write(self, row: Row, label: str, scores, extra=()) -> None:
        clash = [c for c in self.added if c in row.fields]
        if clash:
            raise InputError(f"line {row.line}: the input already has column(s) {clash}; "
                             "choose other output names with --prefix (e.g. --prefix framing_)")
        values = [label, *(round(float(s), 4) for s in scores), *extra]
        if self.fmt == "jsonl":
            out = dict(row.fields)
            out.update(zip(self.added, values))
            line = json.dumps(out, ensure_ascii=False)
            if not _encodable(line):  # a lone surrogate read from a \ud800 escape: keep it escaped
                line = json.dumps(out)
            self.stream.write(line + "\n")
        else:
            if not all(_encodable(str(v)) for v in row.fields.values()):
                raise InputError(f"line {row.line}: a field holds a lone surrogate (an invalid \\ud800-style "
                                 "escape) that CSV cannot store; write JSONL instead (--format jsonl)")
            if self._csv is None:
                self._csv = csv.writer(self.stream, delimiter="\t" if self.fmt == "tsv" else ",",
                                       lineterminator="\n")
                self._header = list(row.fields)
                self._csv.writerow(self._header + self.added)
            extra = [k for k in row.fields if k not in self._header]
            if extra:  # a CSV has one header: refuse rather than drop fields silently
                raise InputError(f"line {row.line}: fields {extra} are not in the first row; "
                                 "write JSONL instead (--format jsonl)")
            self._csv.writerow([row.fields.get(k, "") for k in self._header] + values)
        self.rows += 1


@contextlib.contextmanager
def atomic_output(path):
    """A text stream for ``path`` ('-' is stdout) that replaces the file only on success."""
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, expected an output file name")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    try:
        with io.open(fd, "w", encoding="utf-8", newline="") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
