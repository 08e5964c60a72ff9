"""Shared helpers of the accuracy benchmarks: reading labelled JSONL, the naive baseline, scores.

Run the benchmarks from the repository root (``python benchmarks/NAME.py``); they import this
module by path.
"""
import glob
import json
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score
from sklearn.pipeline import Pipeline

from framing.labels import LABELS

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
INDEX = {label: i for i, label in enumerate(LABELS)}
CONFIDENCE_LEVELS = (0.6, 0.8, 0.9)
# Lengths in characters: short forms, ordinary paragraphs, long context-heavy ones.
LENGTH_BINS = ((0, 120, "< 120 chars"), (120, 400, "120-400"), (400, 10**9, ">= 400"))


def read_jsonl(paths) -> list:
    """Every record of the given JSONL files (blank lines skipped), with ``_file`` set."""
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    row["_file"] = Path(path).name
                    rows.append(row)
    return rows


def training_rows() -> list:
    """The built-in corpus: ``training_data/*.jsonl``."""
    return read_jsonl(sorted(glob.glob(str(REPO / "training_data" / "*.jsonl"))))


def dev_rows() -> list:
    """The shared dev set (measure only; never train or tune on it)."""
    return read_jsonl(sorted(glob.glob(str(SHARED / "eval" / "dev_*.jsonl"))))


def short_dev_rows() -> list:
    """Short texts written by someone who wrote no training data."""
    return read_jsonl([REPO / "benchmarks" / "data" / "short_dev.jsonl"])


def label_ids(rows) -> np.ndarray:
    return np.array([INDEX[r["label"]] for r in rows])


def writer_groups(rows) -> np.ndarray:
    """Who wrote each record: its ``batch`` (corpus part 4 on), else its file (older parts)."""
    return np.array([r.get("batch") or r["_file"] for r in rows])


def naive_baseline() -> Pipeline:
    """A bare TfidfVectorizer + LogisticRegression: what anyone would try first."""
    return Pipeline([("tfidf", TfidfVectorizer()), ("classifier", LogisticRegression(max_iter=3000))])


def macro_f1(y, pred) -> float:
    return float(f1_score(y, pred, labels=[0, 1, 2], average="macro", zero_division=0))


def scores(y, proba) -> dict:
    """Macro-F1, per-label F1, confusion, F1 by length bin (filled by the caller) and the
    accuracy and coverage of the predictions at or above each confidence level."""
    y = np.asarray(y)
    pred = proba.argmax(axis=1)
    conf = proba.max(axis=1)
    per_label = f1_score(y, pred, labels=[0, 1, 2], average=None, zero_division=0)
    out = {
        "n": len(y),
        "macro_f1": macro_f1(y, pred),
        "accuracy": float((pred == y).mean()),
        "per_label": {label: float(per_label[i]) for i, label in enumerate(LABELS)},
        "confusion": confusion_matrix(y, pred, labels=[0, 1, 2]).tolist(),
        "confident": {},
    }
    for level in CONFIDENCE_LEVELS:
        kept = conf >= level
        out["confident"][level] = (float(kept.mean()), float((pred[kept] == y[kept]).mean()) if kept.any() else None)
    return out


def by_length(texts, y, proba) -> dict:
    """Macro-F1 (and count) inside each length bin."""
    lengths = np.array([len(t) for t in texts])
    y, pred = np.asarray(y), proba.argmax(axis=1)
    out = {}
    for lo, hi, name in LENGTH_BINS:
        inside = (lengths >= lo) & (lengths < hi)
        if inside.any():
            out[name] = (int(inside.sum()), macro_f1(y[inside], pred[inside]))
    return out


def format_scores(name: str, s: dict) -> str:
    """A block of lines for one model on one set."""
    lines = [f"{name}: macro-F1 {s['macro_f1']:.3f}, accuracy {s['accuracy']:.3f} ({s['n']} paragraphs); "
             + ", ".join(f"{k} F1 {v:.3f}" for k, v in s["per_label"].items())]
    for level, (coverage, acc) in s["confident"].items():
        acc_text = "-" if acc is None else f"{acc:.3f}"
        lines.append(f"  confidence >= {level}: {coverage:.0%} of paragraphs, accuracy {acc_text}")
    if "by_length" in s:
        lines.append("  by length: " + "; ".join(f"{k}: {n} paragraphs, macro-F1 {f:.3f}"
                                                 for k, (n, f) in s["by_length"].items()))
    lines.append("  confusion (rows true, columns predicted, " + " / ".join(LABELS) + "): "
                 + " | ".join(" ".join(f"{v:3d}" for v in row) for row in s["confusion"]))
    return "\n".join(lines)
