"""Corpus files in and out: CSV/TSV/JSONL rows (optionally gzip-compressed) read and written as streams.

Rows are read and written in chunks, so a corpus larger than memory works, and
the output goes to a temporary file renamed over the target only when every
row is done (:mod:`framing.atomic`): an error, Ctrl-C or a termination signal
never leaves a partial file in its place.

Every message names the file and the physical line where the record starts.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import itertools
import json
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_file
from .errors import InputError, RowError
from .labels import LABELS

__all__ = ["InputError", "RowError", "Row", "Input", "LineFeed", "decoded_lines", "read_rows", "RowWriter",
           "atomic_output", "open_input", "file_format", "check_encoding", "allow_long_fields", "CORPUS_FORMATS",
           "INPUT_SUFFIXES", "DELIMITERS"]

CORPUS_FORMATS = ("csv", "tsv", "jsonl")
# What a file name says about its content (a final .gz is read or written compressed).
INPUT_SUFFIXES = {".txt": "txt", ".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
SUPPORTED = ".txt (an article), .csv, .tsv, .jsonl or .ndjson (a corpus), each optionally .gz"
# Delimiters a CSV header is tried with, when --delimiter does not say (French Excel writes ';').
DELIMITERS = (",", ";", "\t")
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class Row:
    """One input row: its line, its fields (kept as read) and the text to classify (or why not)."""

    line: int
    fields: dict
    text: str | None
    problem: str | None = None


def file_format(path: str, explicit: str | None = None) -> str:
    """``txt``, ``csv``, ``tsv`` or ``jsonl`` for a file name (``-`` is an article unless ``explicit``).

    Raises
    ------
    InputError
        For a name whose suffix framing cannot read.
    """
    if explicit:
        return explicit
    if path == "-":
        return "txt"
    p = Path(path)
    suffix = Path(p.stem).suffix.lower() if p.suffix.lower() == ".gz" else p.suffix.lower()
    fmt = INPUT_SUFFIXES.get(suffix)
    if fmt is None:
        shown = f"'{suffix}'" if suffix else "no suffix"
        raise InputError(f"{path}: cannot read a file with {shown}; framing reads {SUPPORTED} "
                         "(or say what it holds with --input-format)")
    return fmt


def check_encoding(name: str) -> str:
    """The canonical name of a text encoding; InputError for an unknown one."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InputError(f"unknown encoding {name!r} (for instance utf-8, cp1252, latin-1, utf-16)") from None


def _ascii_compatible(encoding: str) -> bool:
    """True when lines can be split on the byte \\n before decoding (UTF-8, cp1252, latin-1...)."""
    try:
        return "a\n".encode(encoding) == b"a\n" and not encoding.startswith(("utf-16", "utf-32"))
    except (LookupError, UnicodeError):
        return False


class Input:
    """An opened input: ``stream`` (binary, decompressed) and ``raw`` (the file itself, for progress)."""

    def __init__(self, name: str, raw, stream):
        self.name, self.raw, self.stream = name, raw, stream

    def close(self) -> None:
        if self.stream is not self.raw:
            self.stream.close()
        if self.raw is not sys.stdin.buffer:
            self.raw.close()


def open_input(path: str) -> Input:
    """Open a file (``-``: standard input) for reading, gzip-compressed data decompressed on the fly.

    Raises
    ------
    InputError
        For a missing or unreadable file, a folder, or a ``.gz`` name that is not gzip data.
    """
    if path == "-":
        raw = sys.stdin.buffer
    else:
        p = Path(path)
        if p.is_dir():
            raise InputError(f"{path}: is a folder, expected a file")
        try:
            raw = open(p, "rb")
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if head == _GZIP_MAGIC:
        return Input(path, raw, gzip.GzipFile(fileobj=raw, mode="rb"))
    if path.lower().endswith(".gz"):
        if raw is not sys.stdin.buffer:
            raw.close()
        raise InputError(f"{path}: not gzip-compressed data, though its name ends in .gz")
    return Input(path, raw, raw)


def _utf8_hint(first: bytes) -> str:
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it looks like UTF-16: pass --encoding utf-16"
    return ("pass its encoding (e.g. --encoding cp1252 for a Windows or Excel export, or latin-1), "
            "or convert it to UTF-8 (iconv -f cp1252 -t utf-8)")


def _raw_lines(stream, name):
    """Lines of a binary stream, damaged gzip data reported as an InputError."""
    n = 0
    it = iter(stream)
    while True:
        try:
            raw = next(it)
        except StopIteration:
            return
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise InputError(f"{name}: damaged or truncated gzip data after line {n} ({exc})") from None
        n += 1
        yield raw


def decoded_lines(stream, name, on_error=None, encoding: str = "utf-8"):
    """Yield (physical line number, text) of a binary stream, a leading byte-order mark dropped.

    An undecodable line raises :class:`InputError` naming it, or, when
    ``on_error`` is given, is passed to it as a message and skipped (so that a
    validator can list every bad line). Line numbers count every physical line,
    skipped ones included.
    """
    encoding = check_encoding(encoding)
    if not _ascii_compatible(encoding):
        # UTF-16/32: let a text layer split the lines (newline="\n": no translation, like the bytes path).
        text = io.TextIOWrapper(stream, encoding=encoding, newline="\n")
        n = 0
        try:
            for n, line in enumerate(text, 1):
                yield n, line
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}:{n + 1}: not valid {encoding} ({exc.reason}); check --encoding") from None
        finally:
            text.detach()
        return
    first = b""
    for n, raw in enumerate(_raw_lines(stream, name), 1):
        if n == 1:
            first = raw
            if raw.startswith(codecs.BOM_UTF8) and encoding in ("utf-8", "utf-8-sig"):
                raw = raw[3:]
        try:
            yield n, raw.decode(encoding)
        except UnicodeDecodeError as exc:
            hint = _utf8_hint(first) if encoding == "utf-8" else "check --encoding"
            message = f"{name}:{n}: not valid {'UTF-8' if encoding == 'utf-8' else encoding} " \
                      f"({exc.reason} at byte {exc.start}); {hint}"
            if on_error is None:
                raise InputError(message) from None
            on_error(message)


def allow_long_fields() -> None:
    """Let the csv module read cells of any length (its default limit is 131,072 characters)."""
    limit = sys.maxsize
    while limit > csv.field_size_limit():
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long is 32 bits on some platforms
            limit //= 2


class LineFeed:
    """Feeds decoded lines to ``csv.reader`` and remembers the physical line each record starts on."""

    def __init__(self, lines):
        self.lines = iter(lines)
        self.start = None

    def __iter__(self):
        return self

    def __next__(self):
        n, text = next(self.lines)
        if self.start is None:
            self.start = n
        return text

    def records(self, reader):
        """Yield (start line, fields or None, csv.Error or None) for each record ``reader`` reads."""
        while True:
            self.start = None
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield self.start, None, exc
                continue
            yield self.start, fields, None


def _text_problem(value, column):
    if value is None:
        return f"no '{column}' field"
    if not isinstance(value, str):
        return f"'{column}' is {type(value).__name__}, not text"
    if not value.strip():
        return f"empty '{column}'"
    return None


def _pick_delimiter(header_line: str, column: str) -> str:
    """The delimiter that splits the header best: one that finds ``column``, then the most fields."""
    def fields(d):
        return next(csv.reader([header_line], delimiter=d), [])

    return max(DELIMITERS, key=lambda d: (column in fields(d), len(fields(d)), -DELIMITERS.index(d)))


def _check_header(header, name, column, delimiter):
    if column not in header:
        shown = "tab" if delimiter == "\t" else repr(delimiter)
        raise InputError(f"{name}:1: no column '{column}' in the header {header} (read with delimiter {shown}); "
                         "name the text column with --column, or the delimiter with --delimiter")
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise InputError(f"{name}:1: the header names column(s) {duplicates} twice; rename them")


def _row(n, header, fields, index, column):
    if len(fields) != len(header):
        return Row(n, dict(zip(header, fields)), None, f"{len(fields)} fields where the header has {len(header)}")
    return Row(n, dict(zip(header, fields)), fields[index], _text_problem(fields[index], column))


def read_rows(stream, name: str, fmt: str, column: str, *, delimiter: str | None = None,
              encoding: str = "utf-8", info: dict | None = None):
    """Yield a :class:`Row` per record of a CSV/TSV/JSONL binary stream.

    Row-level problems (empty text, missing field, broken JSON line, a CSV
    record that cannot be parsed) are put on the row for the caller to refuse
    or skip; file-level ones (undecodable text, a header without the column)
    raise :class:`InputError` at once.

    Parameters
    ----------
    delimiter : str, optional
        CSV only: the field delimiter; by default the one of ``,`` ``;`` tab
        that splits the header best.
    encoding : str
        The text encoding of the file.
    info : dict, optional
        Receives ``delimiter``: the one used for a CSV.
    """
    lines = decoded_lines(stream, name, encoding=encoding)
    if fmt == "jsonl":
        yield from _jsonl_rows(lines, column)
        return
    first = next(lines, None)
    if first is None:
        raise InputError(f"{name}: empty file, expected a header line")
    if fmt == "tsv":
        # TSV has no quoting: a field is whatever lies between two tabs, quotes included.
        header = _tsv_fields(first[1])
        _check_header(header, name, column, "\t")
        index = header.index(column)
        for n, line in lines:
            fields = _tsv_fields(line)
            if fields != [""]:
                yield _row(n, header, fields, index, column)
        return
    allow_long_fields()
    delimiter = delimiter or _pick_delimiter(first[1], column)
    if info is not None:
        info["delimiter"] = delimiter
    feed = LineFeed(itertools.chain([first], lines))
    records = feed.records(csv.reader(feed, delimiter=delimiter))
    _, header, error = next(records)
    if error is not None:
        raise InputError(f"{name}:1: unreadable CSV header ({error})")
    _check_header(header, name, column, delimiter)
    index = header.index(column)
    for n, fields, error in records:
        if error is not None:
            yield Row(n, {}, None, f"invalid CSV ({error})")
        elif fields:
            yield _row(n, header, fields, index, column)


def _tsv_fields(line: str) -> list[str]:
    return line[:-1].removesuffix("\r").split("\t") if line.endswith("\n") else line.split("\t")


def _jsonl_rows(lines, column):
    for n, line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Row(n, {}, None, f"invalid JSON ({exc.msg})")
            continue
        except RecursionError:
            yield Row(n, {}, None, "invalid JSON (nested too deeply)")
            continue
        if not isinstance(obj, dict):
            yield Row(n, {}, None, f"expected a JSON object, got {type(obj).__name__}")
            continue
        value = obj.get(column)
        yield Row(n, obj, value, _text_problem(value, column))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


class RowWriter:
    """Write input rows plus ``label`` and the three scores, as CSV, TSV or JSONL.

    A row that cannot be written in the chosen format raises :class:`RowError`
    before anything of it is written; a clash of column names raises
    :class:`InputError`.

    Parameters
    ----------
    stream : text stream
    fmt : str
        ``csv``, ``tsv`` or ``jsonl``.
    prefix : str
        Prefix of the added column names.
    delimiter : str
        CSV only.
    extra : sequence of str
        More added columns (e.g. ``uncertain``), whose values are passed to :meth:`write`
        in the same order.
    """

    def __init__(self, stream, fmt: str, prefix: str = "", delimiter: str = ",", extra=()):
        self.stream, self.fmt, self.prefix, self.delimiter = stream, fmt, prefix, delimiter
        self.added = [prefix + name for name in ("label", *LABELS, *extra)]
        self._csv = None
        self._header = None
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
            self.rows += 1
            return
        cells = [str(v) for v in row.fields.values()] + (list(row.fields) if self._header is None else [])
        if not all(_encodable(c) for c in cells):
            raise RowError(row.line, "a field holds a lone surrogate (an invalid \\ud800-style escape) that "
                                     "CSV cannot store; write JSONL instead (--format jsonl)")
        if self.fmt == "tsv" and any(ch in c for c in cells for ch in "\t\n\r"):
            raise RowError(row.line, "a field holds a tab or a line break, which TSV cannot hold; "
                                     "write CSV or JSONL instead (--format csv|jsonl)")
        header = self._header if self._header is not None else list(row.fields)
        unknown = [k for k in row.fields if k not in header]
        if unknown:  # a CSV has one header: refuse rather than drop fields silently
            raise RowError(row.line, f"fields {unknown} are not in the first row; write JSONL instead "
                                     "(--format jsonl)")
        if self._header is None:
            self._header = header
            self._write_cells(header + self.added)
        self._write_cells([row.fields.get(k, "") for k in header] + values)
        self.rows += 1

    def _write_cells(self, cells) -> None:
        if self.fmt == "tsv":
            self.stream.write("\t".join(map(str, cells)) + "\n")
            return
        if self._csv is None:
            self._csv = csv.writer(self.stream, delimiter=self.delimiter, lineterminator="\n")
        self._csv.writerow(cells)


@contextlib.contextmanager
def atomic_output(path):
    """A UTF-8 text stream for ``path`` (``-`` or None: stdout) that replaces the file only on success.

    A name ending in ``.gz`` is written gzip-compressed.
    """
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(path)
    with atomic_file(path) as raw:
        if path.suffix.lower() == ".gz":
            with gzip.GzipFile(filename=path.stem, fileobj=raw, mode="wb", mtime=0) as packed:
                with io.TextIOWrapper(packed, encoding="utf-8", newline="") as text:
                    yield text
        else:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            try:
                yield text
                text.flush()
            finally:
                text.detach()  # atomic_file closes the file itself
