"""Cross-validated error analysis of the shipped configuration, by hard kind, genre and form.

usage: python benchmarks/errors.py   (from the repository root; training data only, no dev set)
Prints markdown tables: paragraphs, errors, error rate and the most frequent confusions.
"""
import collections
import glob
import json
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from framing.train import build_pipeline

REPO = Path(__file__).resolve().parents[1]


def table(rows, pred, key, title):
    groups = collections.defaultdict(lambda: [0, 0, collections.Counter()])
    for r, p in zip(rows, pred):
        k = key(r)
        if k is None:
            continue
        groups[k][0] += 1
        if p != r["label"]:
            groups[k][1] += 1
            groups[k][2][f"{r['label'][:4]}->{p[:4]}"] += 1
    print(f"\n| {title} | n | errors | error rate | most frequent confusions |\n|---|---:|---:|---:|---|")
    for k, (n, e, conf) in sorted(groups.items(), key=lambda kv: -kv[1][1] / kv[1][0]):
        print(f"| {k} | {n} | {e} | {e / n:.0%} | {', '.join(f'{a} {b}' for a, b in conf.most_common(3))} |")


def main():
    rows = [json.loads(l) for p in sorted(glob.glob(str(REPO / "training_data" / "*.jsonl")))
            for l in open(p, encoding="utf-8") if l.strip()]
    meta = json.loads((REPO / "framing" / "models" / "framing.json").read_text(encoding="utf-8"))
    model = build_pipeline(C=meta["cv"]["params"]["classifier__C"])
    X, y = [r["text"] for r in rows], np.array([r["label"] for r in rows])
    pred = cross_val_predict(model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0), n_jobs=2)
    print(f"{len(rows)} paragraphs, cross-validated accuracy {np.mean(pred == y):.3f}")
    table(rows, pred, lambda r: r["note"][5:] if str(r.get("note", "")).startswith("hard:")
          else "ordinary (not hard)", "kind")
    table(rows, pred, lambda r: r["genre"], "genre")
    table(rows, pred, lambda r: r.get("form"), "form")


if __name__ == "__main__":
    main()
