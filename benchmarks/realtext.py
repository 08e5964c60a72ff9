"""Accuracy on real French web paragraphs, labelled by hand and kept OUTSIDE the repository.

usage: python benchmarks/realtext.py [--model PATH] SAMPLE.jsonl [SAMPLE.jsonl ...]

Each file holds ``{"text": ..., "label": ...}`` records (other fields ignored). See
benchmarks/README.md for how such a sample is built; its text is never committed, never
trained on and never quoted: report figures only.

Prints, for framing (the bundled model, or --model) and for a naive TF-IDF + logistic
regression trained on training_data: macro-F1, per-label F1, confusion, macro-F1 by length,
and the accuracy (with coverage) of the predictions at confidence 0.6 / 0.8 / 0.9.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import by_length, format_scores, label_ids, naive_baseline, read_jsonl, scores, training_rows  # noqa: E402

import framing  # noqa: E402
from framing.labels import LABELS  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", nargs="+", help="labelled JSONL files (outside the repository)")
    parser.add_argument("--model", help="a framing model file (default: the bundled model)")
    args = parser.parse_args(argv)
    rows = read_jsonl(args.samples)
    texts, y = [r["text"] for r in rows], label_ids(rows)
    print(f"{len(rows)} paragraphs from {len(args.samples)} file(s); gold labels: "
          + ", ".join(f"{label} {int((y == i).sum())}" for i, label in enumerate(LABELS)))
    classifier = framing.Classifier(args.model) if args.model else framing.default_classifier()
    proba = classifier.predict_proba(texts)
    s = scores(y, proba)
    s["by_length"] = by_length(texts, y, proba)
    print(format_scores("framing", s))
    train = training_rows()
    baseline = naive_baseline().fit([r["text"] for r in train], label_ids(train))
    proba = baseline.predict_proba(texts)
    s = scores(y, proba)
    s["by_length"] = by_length(texts, y, proba)
    print(format_scores("naive TF-IDF + LR (trained on training_data)", s))


if __name__ == "__main__":
    main()
