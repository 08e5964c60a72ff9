"""How framing's training recipe generalises beyond the writers, genres and topics it learnt from.

usage: python benchmarks/generalisation.py [--real SAMPLE.jsonl ...] [--folds 5]

Random-fold cross-validation over our own corpus over-rates a model that memorises our writers
and topics. This benchmark retrains the shipped recipe (:func:`framing.train.build_pipeline` with
the bundled model's hyper-parameters) and reports macro-F1:

- held-out writers: group k-fold over writers (a record's ``batch``; for the older parts, which
  have none, its file);
- held-out genres and held-out topics: group k-fold over ``genre`` and ``topic``;
- random folds (for comparison only);
- the shared dev set, benchmarks/data/short_dev.jsonl and any --real sample (outside the
  repository; figures only), each with the model fitted on the whole corpus.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (REPO, dev_rows, format_scores, label_ids, macro_f1, read_jsonl, scores,  # noqa: E402
                    short_dev_rows, training_rows, writer_groups)

from framing.train import build_pipeline, find_vectors, softmax  # noqa: E402


def _fold(model, texts, y, train, test):
    fitted = clone(model).fit([texts[i] for i in train], y[train])
    return test, fitted.decision_function([texts[i] for i in test])


def out_of_fold_logits(model, texts, y, splits, n_jobs=2) -> np.ndarray:
    """Logits of every record from the fold that held it out."""
    z = np.zeros((len(texts), 3))
    for test, logits in Parallel(n_jobs=n_jobs)(delayed(_fold)(model, texts, y, tr, te) for tr, te in splits):
        z[test] = logits
    return z


def grouped_splits(groups, folds):
    return list(GroupKFold(n_splits=min(folds, len(set(groups)))).split(np.zeros(len(groups)), groups=groups))


def held_out(model, rows, folds=5, n_jobs=2) -> dict:
    """Macro-F1 with whole writers, genres and topics held out, and with random folds."""
    texts, y = [r["text"] for r in rows], label_ids(rows)
    out = {}
    for name, groups in (("writers", writer_groups(rows)),
                         ("genres", np.array([r.get("genre", "") for r in rows])),
                         ("topics", np.array([r.get("topic", "") for r in rows]))):
        z = out_of_fold_logits(model, texts, y, grouped_splits(groups, folds), n_jobs)
        out[name] = macro_f1(y, z.argmax(axis=1))
        if name == "writers":
            out["writer_logits"] = z
    z = out_of_fold_logits(model, texts, y, list(StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, y)),
                           n_jobs)
    out["random"] = macro_f1(y, z.argmax(axis=1))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", nargs="*", default=[], help="labelled real-text samples (outside the repository)")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    meta = json.loads((REPO / "framing" / "models" / "framing.json").read_text(encoding="utf-8"))
    params = {k.split("__", 1)[1]: v for k, v in meta["cv"]["params"].items() if k.startswith("classifier__")}
    model = build_pipeline(**params, vectors=find_vectors("auto"))  # as `framing train` does
    rows = training_rows()
    t0 = time.perf_counter()
    h = held_out(model, rows, args.folds)
    print(f"training_data: {len(rows)} paragraphs, {len(set(writer_groups(rows)))} writers; recipe {params}")
    print(f"macro-F1, {args.folds} folds: held-out writers {h['writers']:.3f} | held-out genres {h['genres']:.3f}"
          f" | held-out topics {h['topics']:.3f} | random folds {h['random']:.3f}"
          f"  ({time.perf_counter() - t0:.0f}s)")
    fitted = clone(model).fit([r["text"] for r in rows], label_ids(rows))
    sets = [("dev", dev_rows()), ("short_dev", short_dev_rows())]
    sets += [(Path(p).name, read_jsonl([p])) for p in args.real]
    for name, test in sets:
        if not test:
            continue
        proba = softmax(fitted.decision_function([r["text"] for r in test]))
        print(format_scores(f"{name} (uncalibrated recipe)", scores(label_ids(test), proba)))


if __name__ == "__main__":
    main()
