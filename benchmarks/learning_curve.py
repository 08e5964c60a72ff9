"""Dev-set macro-F1 of the shipped configuration trained on growing parts of the corpus.

usage: python benchmarks/learning_curve.py [DEV.jsonl ...]   (default: ../shared/eval/dev_*.jsonl)
Parts: a 600-paragraph stratified sample (the size of the first corpus), the part-1 topics,
part-1 + part-2 topics, and everything (with the hard cases). Fixed C, no search, so that
only the data changes.
"""
import glob
import json
import random
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from framing.train import build_pipeline

REPO = Path(__file__).resolve().parents[1]
PART1 = {"emploi", "economie", "sante", "science", "climat_energie", "transport", "agriculture"}


def load(paths):
    return [json.loads(l) for p in paths for l in open(p, encoding="utf-8") if l.strip()]


def main():
    dev_files = sys.argv[1:] or sorted(glob.glob(str(REPO.parent / "shared" / "eval" / "dev_*.jsonl")))
    dev = load(dev_files)
    hard = [i for i, r in enumerate(dev) if r.get("difficulty") == "hard"]
    files = sorted(glob.glob(str(REPO / "training_data" / "*.jsonl")))
    hard_files = [f for f in files if Path(f).name.startswith("hard_")]
    part1 = [f for f in files if Path(f).stem in PART1]
    part2 = [f for f in files if f not in part1 and f not in hard_files]
    ordinary = load(part1 + part2)
    rng = random.Random(0)
    first = [r for label in ("optimistic", "critical", "neutral")
             for r in rng.sample([r for r in ordinary if r["label"] == label], 200)]
    meta = json.loads((REPO / "framing" / "models" / "framing.json").read_text(encoding="utf-8"))
    C = meta["cv"]["params"]["classifier__C"]
    print(f"shipped configuration, C={C:g}; dev: {len(dev)} paragraphs ({len(hard)} hard)\n")
    print("| training data | paragraphs | dev macro-F1 | dev hard macro-F1 |")
    print("|---|---:|---:|---:|")
    for name, rows in [("600-paragraph sample (size of the first corpus)", first),
                       ("part-1 topics (work, economy, health, science, climate, transport, agriculture)", load(part1)),
                       ("part-1 + part-2 topics", ordinary),
                       ("all, with the hard cases (shipped)", load(files))]:
        model = build_pipeline(C=C).fit([r["text"] for r in rows], [r["label"] for r in rows])
        pred = model.predict([r["text"] for r in dev])
        gold = np.array([r["label"] for r in dev])
        print(f"| {name} | {len(rows)} | {f1_score(gold, pred, average='macro'):.3f} | "
              f"{f1_score(gold[hard], pred[hard], average='macro'):.3f} |", flush=True)


if __name__ == "__main__":
    main()
