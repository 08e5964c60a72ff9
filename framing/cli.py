"""The ``framing`` command: classify, evaluate, train.

User errors end with one line on stderr (one per problem for data validation)
and a non-zero exit: 2 for bad input or data, 1 for a model that cannot be
loaded, 130 on Ctrl-C. No traceback.
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import sys
import time
from pathlib import Path

from . import __version__
from .classifier import Classifier, default_classifier, resolve_n_jobs
from .corpus import CORPUS_FORMATS, InputError, RowWriter, atomic_output, decoded_lines, read_rows
from .errors import DataError, ModelError
from .labels import LABELS
from .prediction import split_paragraphs

CHUNK_ROWS = 2000  # rows read, classified and written at a time: memory stays flat


class Progress:
    """A one-line progress report on stderr (rows, rows/s, ETA), only when stderr is a terminal."""

    def __init__(self, stream, enabled: bool):
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


def _open_input(path: str):
    if path == "-":
        return sys.stdin.buffer
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a folder, expected a file")
    try:
        return open(p, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None


def _corpus_format(path: str, explicit: str | None) -> str | None:
    if explicit:
        return explicit
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in CORPUS_FORMATS else None


def _classify_article(args, clf: Classifier) -> int:
    stream = _open_input(args.input)
    try:
        text = "".join(line for _, line in decoded_lines(stream, args.input))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
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


def _classify_corpus(args, clf: Classifier, in_fmt: str) -> int:
    out_fmt = args.format or _corpus_format(args.output or "", None) or in_fmt
    if out_fmt not in CORPUS_FORMATS:
        raise InputError(f"--format {out_fmt} is not for corpora (csv, tsv, jsonl)")
    stream = _open_input(args.input)
    counts = dict.fromkeys(LABELS, 0)
    skipped = uncertain = 0
    threshold = args.min_confidence
    t0 = time.perf_counter()
    progress = Progress(stream, sys.stderr.isatty())
    # With several processes, larger chunks keep every worker busy.
    chunk_rows = CHUNK_ROWS * 10 * args.jobs if args.jobs > 1 else CHUNK_ROWS
    try:
        rows = read_rows(stream, args.input, in_fmt, args.column)
        with atomic_output(args.output) as out:
            extra = ["uncertain"] if threshold is not None else []
            writer = RowWriter(out, out_fmt, args.prefix, extra=extra)
            while True:
                chunk = list(itertools.islice(rows, chunk_rows))
                if not chunk:
                    break
                good = []
                for row in chunk:
                    if row.problem is None:
                        good.append(row)
                    elif args.skip_errors:
                        skipped += 1
                        print(f"framing: skipped {args.input}:{row.line}: {row.problem}", file=sys.stderr)
                    else:
                        raise InputError(f"{args.input}:{row.line}: {row.problem} "
                                         "(fix it, or pass --skip-errors to leave such rows out)")
                proba = clf.predict_proba([row.text for row in good], n_jobs=args.jobs)
                for row, scores in zip(good, proba):
                    label = LABELS[int(scores.argmax())]
                    counts[label] += 1
                    if threshold is None:
                        writer.write(row, label, scores)
                    else:
                        unsure = bool(scores.max() < threshold)
                        uncertain += unsure
                        writer.write(row, label, scores, [unsure])
                progress.update(sum(counts.values()))
    finally:
        progress.close()
        if stream is not sys.stdin.buffer:
            stream.close()
    total = sum(counts.values())
    elapsed = time.perf_counter() - t0
    shares = ", ".join(f"{l} {counts[l] / (total or 1):.0%}" for l in LABELS)
    unsure = f"; {uncertain} uncertain (confidence < {threshold:g})" if threshold is not None else ""
    print(f"framing: {total} rows classified in {elapsed:.1f}s ({total / max(elapsed, 1e-9):,.0f} rows/s); "
          f"{shares}{unsure}" + (f"; {skipped} bad rows skipped" if skipped else ""), file=sys.stderr)
    return 0


def cmd_classify(args) -> int:
    clf = _classifier(args)
    in_fmt = _corpus_format(args.input, args.input_format)
    if in_fmt is None:
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

    train(args.data, add=args.add, out=args.out, folds=args.folds, n_jobs=args.jobs,
          log=lambda line: print(line, file=sys.stderr))
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="framing",
        description="How French news paragraphs frame AI: optimistic, critical or neutral.",
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("classify", help="classify an article (.txt or -) or a corpus (.csv, .tsv, .jsonl)",
                       description="A .txt article or stdin: one line per paragraph. A .csv/.tsv/.jsonl "
                                   "corpus: every row plus label and the three scores, in order.")
    p.add_argument("input", metavar="FILE", help="article (.txt), corpus (.csv/.tsv/.jsonl), or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout (replaced only on success)")
    p.add_argument("--format", choices=["table", "tsv", "csv", "jsonl"],
                   help="output format (article default: table; corpus default: the input's)")
    p.add_argument("--input-format", choices=list(CORPUS_FORMATS),
                   help="read the input as this corpus format (e.g. a corpus on stdin)")
    p.add_argument("--column", default="text", help="the corpus column holding the text (default: text)")
    p.add_argument("--prefix", default="", help="prefix of the added columns (default: none)")
    p.add_argument("--skip-errors", action="store_true",
                   help="leave out corpus rows with no usable text (reported on stderr) instead of stopping")
    p.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                   help="processes for a corpus (-1: every core; default: 1)")
    p.add_argument("--min-confidence", type=_confidence, metavar="X",
                   help="add an 'uncertain' column: true where the label's probability is below X (0 to 1)")
    p.add_argument("--model", metavar="PATH", help="a model file from `framing train` (default: bundled)")
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
    p.add_argument("--model", metavar="PATH", help="a model file from `framing train` (default: bundled)")
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
    p.add_argument("--model", metavar="PATH", help="a model file from `framing train` (default: bundled)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("train", help="retrain the model on labelled paragraphs",
                       description="Validate the data, pick hyper-parameters by cross-validation, "
                                   "print the report and write the model with its metadata.")
    p.add_argument("--data", nargs="+", metavar="PATH", help="files or folders (default: built-in corpus)")
    p.add_argument("--add", nargs="+", metavar="PATH", help="files or folders added to the built-in corpus")
    p.add_argument("--out", metavar="PATH", help="model file to write (default in the repository: the bundled model)")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")
    p.add_argument("--jobs", type=_jobs, default=1, metavar="N", help="parallel fits (-1: every core; default: 1)")
    p.set_defaults(func=cmd_train)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:
        for problem in exc.problems:
            print(f"framing: {problem}", file=sys.stderr)
        return 2
    except ModelError as exc:
        print(f"framing: {exc}", file=sys.stderr)
        return 1
    except (InputError, ValueError, TypeError) as exc:
        print(f"framing: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"framing: {exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("framing: interrupted; no output file was replaced", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
