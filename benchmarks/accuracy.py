"""Accuracy ablation: what each part of framing buys, on what generalises.

usage: python benchmarks/accuracy.py [--real SAMPLE.jsonl ...] [--jobs 2]

Each row is a training recipe, trained on training_data and measured on: cross-validation that
holds out whole writers (5 folds; ``batch``, or the file for the older parts), random-fold
cross-validation (for comparison only: it over-rates a model that memorises its writers), the
shared dev set (other authors), benchmarks/data/short_dev.jsonl (short texts by a member of the
team who wrote no training data) and real web paragraphs kept outside the repository (--real;
figures only, see benchmarks/README.md). Needs ``pip install ".[vectors]"`` for the rows with
word vectors.
"""
import argparse
import sys
import time
from pathlib import Path

from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ablation_parts import LegacyNormalizer  # noqa: E402
from common import (REPO, dev_rows, label_ids, macro_f1, read_jsonl, short_dev_rows,  # noqa: E402
                    training_rows, writer_groups)
from generalisation import grouped_splits, out_of_fold_logits  # noqa: E402

from framing.estimators import BlendedLinearClassifier  # noqa: E402
from framing.features import FrenchNormalizer, WordVectorFeatures  # noqa: E402
from framing.normalize import word_tokens_concession, word_tokens_lexicon  # noqa: E402
from framing.vectorizers import CharNgramVectorizer, WordNgramVectorizer  # noqa: E402


def recipe(normalizer, tokenizer, classifier, vectors=False):
    branches = [("words", WordNgramVectorizer(tokenizer=tokenizer, ngram_range=(1, 2), min_df=2)),
                ("chars", CharNgramVectorizer(ngram_range=(3, 5), min_df=2))]
    if vectors:
        branches.append(("vectors", WordVectorFeatures(tokenizer=tokenizer.__name__)))
    return Pipeline([("normalize", normalizer), ("features", FeatureUnion(branches)), ("classifier", classifier)])


def rows_of_table(C):
    lr = LogisticRegression(C=3.0, class_weight="balanced", max_iter=3000, random_state=0)
    blend = BlendedLinearClassifier(C=C, nb_weight=2.0)
    return [
        ("naive TfidfVectorizer + LogisticRegression",
         Pipeline([("tfidf", TfidfVectorizer()), ("classifier", LogisticRegression(max_iter=3000))])),
        ("framing 0.1 recipe (words with negation and concession, character n-grams, LR)",
         recipe(LegacyNormalizer(), word_tokens_concession, lr)),
        ("+ one token for every way of naming AI, page furniture removed",
         recipe(FrenchNormalizer(), word_tokens_concession, lr)),
        ("+ stance lexicon marks (1,750 entries)", recipe(FrenchNormalizer(), word_tokens_lexicon, lr)),
        (f"+ complement naive Bayes blended in (C={C:g})", recipe(FrenchNormalizer(), word_tokens_lexicon, blend)),
        ("+ pretrained word vectors = shipped recipe",
         recipe(FrenchNormalizer(), word_tokens_lexicon, blend, vectors=True)),
    ]


def measure(model, rows, tests, n_jobs):
    texts, y = [r["text"] for r in rows], label_ids(rows)
    z = out_of_fold_logits(model, texts, y, grouped_splits(writer_groups(rows), 5), n_jobs)
    out = [macro_f1(y, z.argmax(axis=1))]
    z = out_of_fold_logits(model, texts, y, list(StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y)),
                           n_jobs)
    out.append(macro_f1(y, z.argmax(axis=1)))
    fitted = clone(model).fit(texts, y)
    for test in tests:
        out.append(macro_f1(label_ids(test), fitted.predict([r["text"] for r in test])))
    return out


def main(argv=None):
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", nargs="*", default=[], help="real-text samples (outside the repository)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    meta = json.loads((REPO / "framing" / "models" / "framing.json").read_text(encoding="utf-8"))
    C = meta["cv"]["params"]["classifier__C"]
    rows = training_rows()
    older = [r for r in rows if not r.get("batch")]
    tests = [dev_rows(), short_dev_rows()] + [read_jsonl([p]) for p in args.real]
    names = ["held-out writers", "random folds", "dev", "short_dev"] + [Path(p).stem for p in args.real]
    print(f"training_data: {len(rows)} paragraphs ({len(older)} in parts 1-3), "
          f"{len(set(writer_groups(rows)))} writers\n")
    print("| recipe | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    table = rows_of_table(C)
    for name, model in table:
        t0 = time.perf_counter()
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in measure(model, rows, tests, args.jobs)) + " |",
              flush=True)
        print(f"  ({time.perf_counter() - t0:.0f}s)", file=sys.stderr)
    shipped = table[-1][1]
    print(f"| shipped recipe, trained on parts 1-3 only ({len(older)} paragraphs) | "
          + " | ".join(f"{v:.3f}" for v in measure(shipped, older, tests, args.jobs)) + " |", flush=True)


if __name__ == "__main__":
    main()
