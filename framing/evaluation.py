"""Scoring a model on gold-labelled paragraphs: the report, confidence thresholds and the errors.

``framing evaluate`` runs :func:`read_gold`, :func:`evaluate`, then prints
:meth:`Evaluation.format` and writes :meth:`Evaluation.errors` with
:func:`write_errors`.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .corpus import InputError, atomic_output, read_rows
from .data import find_data_files
from .errors import DataError
from .labels import LABELS

__all__ = ["GoldRow", "Evaluation", "read_gold", "evaluate", "write_errors", "THRESHOLDS",
           "GOLD_SUFFIXES", "ERROR_COLUMNS"]

# The confidence levels at which the report gives accuracy and coverage (see README, min_confidence).
THRESHOLDS = (0.6, 0.8, 0.9)
GOLD_SUFFIXES = {".jsonl": "jsonl", ".csv": "csv", ".tsv": "tsv"}
ERROR_COLUMNS = ("source", "line", "gold", "predicted", "confidence", *LABELS, "text")


@dataclass(frozen=True)
class GoldRow:
    """One gold-labelled paragraph and where it was read."""

    source: str
    line: int
    text: str
    gold: str


def read_gold(paths, text_column: str = "text", label_column: str = "label") -> list[GoldRow]:
    """Read gold-labelled paragraphs from JSONL/CSV/TSV files or folders, in file and row order.

    Gold labels are read case- and space-insensitively (`` Critical`` is
    ``critical``). Every problem is collected before raising, so that one run
    lists them all.

    Parameters
    ----------
    paths : str, Path or list of them
    text_column, label_column : str
        The columns (JSON fields) holding the paragraph and its gold label.

    Returns
    -------
    list of GoldRow

    Raises
    ------
    DataError
        With one ``file:line: message`` per problem: a missing column, an
        empty text, an unknown label, bad JSON/CSV, invalid UTF-8.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    rows, problems = [], []
    for path in find_data_files(paths, tuple(GOLD_SUFFIXES)):
        fmt = GOLD_SUFFIXES[path.suffix.lower()]
        with open(path, "rb") as stream:
            try:
                for row in read_rows(stream, str(path), fmt, text_column):
                    where = f"{path}:{row.line}"
                    if row.problem is not None:
                        problems.append(f"{where}: {row.problem}")
                        continue
                    # A complete CSV row has every header name: a missing one is missing from the header.
                    if fmt != "jsonl" and label_column not in row.fields:
                        problems.append(f"{path}:1: no column '{label_column}' in the header "
                                        f"{list(row.fields)}; name the gold label column with --label-column")
                        break
                    gold = row.fields.get(label_column)
                    if gold is None:
                        problems.append(f"{where}: no '{label_column}' field (name it with --label-column)")
                        continue
                    label = gold.strip().lower() if isinstance(gold, str) else gold
                    if label not in LABELS:
                        problems.append(f"{where}: unknown gold label {gold!r} "
                                        f"(expected one of {', '.join(LABELS)})")
                        continue
                    rows.append(GoldRow(str(path), row.line, row.text, label))
            except InputError as exc:  # a file-level problem: the rest of this file cannot be read
                # corpus.read_rows names the classify option; evaluate's is --text-column.
                problems.append(str(exc).replace("with --column", "with --text-column"))
    if problems:
        raise DataError(problems)
    if not rows:
        raise DataError([f"{', '.join(map(str, paths))}: no labelled paragraph"])
    return rows


@dataclass(frozen=True)
class Evaluation:
    """Gold labels against a model's predictions.

    Attributes
    ----------
    rows : tuple of GoldRow
    proba : numpy.ndarray
        Shape (n, 3): the model's probabilities, columns in ``LABELS`` order.
    """

    rows: tuple
    proba: np.ndarray

    @property
    def gold(self) -> list[str]:
        return [r.gold for r in self.rows]

    @property
    def predicted(self) -> list[str]:
        return [LABELS[i] for i in self.proba.argmax(axis=1)]

    @property
    def confidence(self) -> np.ndarray:
        return self.proba.max(axis=1)

    @property
    def correct(self) -> np.ndarray:
        return np.array([g == p for g, p in zip(self.gold, self.predicted)], dtype=bool)

    @property
    def accuracy(self) -> float:
        return float(self.correct.mean())

    def confusion(self) -> np.ndarray:
        """Counts, rows the gold labels, columns the predicted ones, both in ``LABELS`` order."""
        index = {label: i for i, label in enumerate(LABELS)}
        matrix = np.zeros((len(LABELS), len(LABELS)), dtype=int)
        for g, p in zip(self.gold, self.predicted):
            matrix[index[g], index[p]] += 1
        return matrix

    def macro_f1(self) -> float:
        from sklearn.metrics import f1_score

        return float(f1_score(self.gold, self.predicted, labels=list(LABELS), average="macro",
                              zero_division=0))

    def by_confidence(self, thresholds=THRESHOLDS) -> list[dict]:
        """For each threshold: how many predictions reach it, their share, and their accuracy.

        A prediction is kept when its confidence is at least the threshold (as
        ``min_confidence`` keeps it certain). The accuracy of an empty set is None.
        """
        out = []
        for t in thresholds:
            kept = self.confidence >= t
            n = int(kept.sum())
            out.append({"threshold": t, "kept": n, "coverage": n / len(self.rows),
                        "accuracy": float(self.correct[kept].mean()) if n else None})
        return out

    def errors(self) -> list[dict]:
        """Every misclassified row (source, line, gold, predicted, confidence, scores, text),
        most confident first; rows of equal confidence stay in input order."""
        wrong = np.flatnonzero(~self.correct)
        order = wrong[np.argsort(-self.confidence[wrong], kind="stable")]
        predicted = self.predicted
        return [
            {"source": self.rows[i].source, "line": self.rows[i].line, "gold": self.rows[i].gold,
             "predicted": predicted[i], "confidence": round(float(self.confidence[i]), 4),
             **{label: round(float(self.proba[i, k]), 4) for k, label in enumerate(LABELS)},
             "text": self.rows[i].text}
            for i in order
        ]

    def format(self) -> str:
        """The printed report: per-label scores, confusion matrix, macro-F1, accuracy by confidence."""
        from sklearn.metrics import classification_report

        lines = [classification_report(self.gold, self.predicted, labels=list(LABELS), digits=3,
                                       zero_division=0),
                 "confusion (rows true, columns predicted): " + " ".join(LABELS)]
        for label, row in zip(LABELS, self.confusion()):
            lines.append(f"  {label:12}" + "".join(f"{v:8d}" for v in row))
        lines.append(f"macro-F1 {self.macro_f1():.3f}, accuracy {self.accuracy:.3f} "
                     f"on {len(self.rows)} paragraphs")
        lines.append("")
        lines.append("confidence   kept   coverage   accuracy of kept")
        for step in self.by_confidence():
            accuracy = "-" if step["accuracy"] is None else f"{step['accuracy']:.3f}"
            lines.append(f"  >= {step['threshold']:.1f}  {step['kept']:6d}   {step['coverage']:7.1%}   "
                         f"{accuracy:>8}")
        return "\n".join(lines)


def evaluate(rows, classifier, n_jobs=None) -> Evaluation:
    """Classify gold rows (from :func:`read_gold`) with ``classifier`` in one batch."""
    rows = tuple(rows)
    return Evaluation(rows, classifier.predict_proba([r.text for r in rows], n_jobs=n_jobs))


def errors_format(path) -> str:
    """The format of an errors file from its name: jsonl, csv or tsv (InputError otherwise)."""
    fmt = GOLD_SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(f"--errors {path}: name a .jsonl, .csv or .tsv file")
    return fmt


def write_errors(errors: list[dict], path) -> None:
    """Write the rows of :meth:`Evaluation.errors` to ``path`` (.jsonl, .csv or .tsv), atomically."""
    fmt = errors_format(path)
    with atomic_output(path) as out:
        if fmt == "jsonl":
            for error in errors:
                out.write(json.dumps(error, ensure_ascii=False) + "\n")
            return
        writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        writer.writerow(ERROR_COLUMNS)
        for error in errors:
            writer.writerow([error[c] for c in ERROR_COLUMNS])
