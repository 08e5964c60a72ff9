"""Coverage / accuracy trade-off of `min_confidence` on labelled JSONL files (default: the dev set).

usage: python benchmarks/confidence.py [FILE.jsonl ...]
For each threshold: the share of paragraphs kept (confidence >= threshold), their accuracy and
macro-F1, and the accuracy of the paragraphs marked uncertain.
"""
import glob
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

import framing

REPO = Path(__file__).resolve().parents[1]


def main():
    files = sys.argv[1:] or sorted(glob.glob(str(REPO.parent / "shared" / "eval" / "dev_*.jsonl")))
    rows = [json.loads(l) for p in files for l in open(p, encoding="utf-8") if l.strip()]
    gold = np.array([r["label"] for r in rows])
    preds = framing.classify([r["text"] for r in rows])
    got = np.array([p.label for p in preds])
    conf = np.array([p.confidence for p in preds])
    print(f"{len(rows)} paragraphs\n")
    print("| min_confidence | kept | accuracy of kept | macro-F1 of kept | accuracy of uncertain |")
    print("|---:|---:|---:|---:|---:|")
    for t in (0.0, 0.5, 0.6, 0.7, 0.8, 0.9):
        kept = conf >= t
        acc = (got[kept] == gold[kept]).mean() if kept.any() else float("nan")
        f1 = f1_score(gold[kept], got[kept], average="macro") if kept.any() else float("nan")
        rest = (got[~kept] == gold[~kept]).mean() if (~kept).any() else float("nan")
        print(f"| {t:.1f} | {kept.mean():.0%} | {acc:.3f} | {f1:.3f} | {rest:.3f} |")


if __name__ == "__main__":
    main()
