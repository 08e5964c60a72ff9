"""Accuracy ablation: what each part of framing buys, next to two lexicon tools.

usage: python benchmarks/accuracy.py [DEV.jsonl ...]   (default: ../shared/eval/dev_*.jsonl)
       pip install ".[bench]" first for the lexicon tools (textblob-fr, vadersentiment-fr).

Prints one table: 5-fold cross-validated macro-F1 on training_data, leave-one-genre-out and
leave-one-topic-out macro-F1 (train on all groups but one, test on it, averaged over groups),
macro-F1 on the dev set overall and on its hard items, and the expected calibration error of
the cross-validated probabilities. The dev set is only measured, never trained or tuned on.
"""
import glob
import json
import sys
import time
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ablation_cues import StanceCues  # noqa: E402
from framing.features import FrenchNormalizer
from framing.labels import LABELS
from framing.normalize import STOP_WORDS, tokenize, word_tokens, word_tokens_concession
from framing.train import PARAM_GRID, expected_calibration_error, fit_temperature, softmax
from framing.vectorizers import CharNgramVectorizer, WordNgramVectorizer

REPO = Path(__file__).resolve().parents[1]


def plain_tokens(text):
    """Content words, elisions split, our stop words out, no negation marks."""
    return [t for t in tokenize(text) if t[0].isalnum() and t not in STOP_WORDS]


def keep_elisions(text):
    """Our normalisation, but « l' ia » glued back to « l'ia » (the step before elision splitting)."""
    from framing.normalize import normalize_text

    return normalize_text(text).replace("' ", "'")


def words(tokenizer):
    return ("words", WordNgramVectorizer(tokenizer=tokenizer, ngram_range=(1, 2), min_df=2))


def pipe(branches, C=1.0, balanced=False):
    lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced" if balanced else None, random_state=0)
    return Pipeline([("normalize", FrenchNormalizer()), ("features", FeatureUnion(branches)), ("classifier", lr)])


def steps(best_c):
    chars = ("chars", CharNgramVectorizer(ngram_range=(3, 5), min_df=2))
    cues = ("cues", StanceCues())
    return [
        ("naive TfidfVectorizer + LogisticRegression",
         Pipeline([("tfidf", TfidfVectorizer()), ("classifier", LogisticRegression(max_iter=3000))]), False),
        ("+ French normalisation",
         Pipeline([("tfidf", TfidfVectorizer(preprocessor=keep_elisions, token_pattern=r"[a-z0-9_']+")),
                   ("classifier", LogisticRegression(max_iter=3000))]), False),
        ("+ elisions split, our stop words, bigrams", pipe([words(plain_tokens)]), False),
        ("+ negation scope", pipe([words(word_tokens)]), False),
        ("+ concession clause", pipe([words(word_tokens_concession)]), False),
        ("+ character n-grams", pipe([words(word_tokens_concession), chars]), False),
        ("+ stance lexicon (cue counts)", pipe([words(word_tokens_concession), chars, cues]), False),
        (f"+ hyper-parameter search (C={best_c:g}), balanced weights",
         pipe([words(word_tokens_concession), chars], C=best_c, balanced=True), False),
        ("+ calibration (temperature) = shipped model",
         pipe([words(word_tokens_concession), chars], C=best_c, balanced=True), True),
    ]


def _fit_logits(model, X, y, train, test):
    m = clone(model).fit([X[i] for i in train], y[train])
    return test, m.decision_function([X[i] for i in test])


def oof_logits(model, X, y, splits):
    out = np.zeros((len(X), len(LABELS)))
    for test, z in Parallel(n_jobs=2)(delayed(_fit_logits)(model, X, y, tr, te) for tr, te in splits):
        out[test] = z
    return out


def group_f1(model, X, y, groups):
    splits = [(np.flatnonzero(groups != g), np.flatnonzero(groups == g)) for g in np.unique(groups)]
    z = oof_logits(model, X, y, splits)
    pred = z.argmax(axis=1)
    return np.mean([f1_score(y[te], pred[te], average="macro", labels=[0, 1, 2]) for _, te in splits])


def evaluate(model, calibrate, data, dev):
    X, y, genres, topics, cv = data
    Xd, yd, hard = dev
    z = oof_logits(model, X, y, cv)
    cv_f1 = f1_score(y, z.argmax(axis=1), average="macro")
    t = fit_temperature(z, y) if calibrate else 1.0
    ece = expected_calibration_error(softmax(z / t), y)
    logo = group_f1(model, X, y, genres)
    loto = group_f1(model, X, y, topics)
    fitted = clone(model).fit(X, y)
    pd = fitted.predict(Xd)
    return cv_f1, logo, loto, f1_score(yd, pd, average="macro"), \
        f1_score(yd[hard], pd[hard], average="macro"), ece


def lexicon_rows(data, dev, train_rows, dev_rows):
    rows = []
    tools = []
    try:
        from textblob import Blobber
        from textblob_fr import PatternAnalyzer, PatternTagger

        blob = Blobber(pos_tagger=PatternTagger(), analyzer=PatternAnalyzer())
        tools.append(("textblob-fr (polarity)", lambda t: blob(t).sentiment[0]))
    except ImportError:
        print("textblob-fr not installed: pip install '.[bench]'", file=sys.stderr)
    try:
        from vaderSentiment_fr.vaderSentiment import SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()
        tools.append(("vadersentiment-fr (compound)", lambda t: vader.polarity_scores(t)["compound"]))
    except ImportError:
        print("vadersentiment-fr not installed: pip install '.[bench]'", file=sys.stderr)
    X, y, genres, topics, cv = data
    Xd, yd, hard = dev
    for name, score in tools:
        s = np.array([score(t) for t in X])
        sd = np.array([score(t) for t in Xd])
        grid = np.unique(np.quantile(s, np.linspace(0, 1, 41)))

        def labels(v, lo, hi):  # 0 optimistic, 1 critical, 2 neutral (LABELS order)
            return np.where(v > hi, 0, np.where(v < lo, 1, 2))

        def best(idx):
            return max(((f1_score(y[idx], labels(s[idx], lo, hi), average="macro", labels=[0, 1, 2]), lo, hi)
                        for lo in grid for hi in grid if lo <= hi), key=lambda r: r[0])

        _, lo, hi = best(np.arange(len(X)))
        fitted = f1_score(y, labels(s, lo, hi), average="macro")

        def by_group(groups):
            scores = []
            for g in np.unique(groups):
                tr, te = np.flatnonzero(groups != g), np.flatnonzero(groups == g)
                _, a, b = best(tr)
                scores.append(f1_score(y[te], labels(s[te], a, b), average="macro", labels=[0, 1, 2]))
            return np.mean(scores)

        pd = labels(sd, lo, hi)
        rows.append((f"{name}, thresholds fitted on training_data", fitted, by_group(genres), by_group(topics),
                     f1_score(yd, pd, average="macro"), f1_score(yd[hard], pd[hard], average="macro"), None))
    return rows


def main():
    dev_files = sys.argv[1:] or sorted(glob.glob(str(REPO.parent / "shared" / "eval" / "dev_*.jsonl")))
    rows = [json.loads(l) for p in sorted(glob.glob(str(REPO / "training_data" / "*.jsonl")))
            for l in open(p, encoding="utf-8") if l.strip()]
    dev_rows = [json.loads(l) for p in dev_files for l in open(p, encoding="utf-8") if l.strip()]
    index = {label: i for i, label in enumerate(LABELS)}
    X = [r["text"] for r in rows]
    y = np.array([index[r["label"]] for r in rows])
    genres, topics = np.array([r["genre"] for r in rows]), np.array([r["topic"] for r in rows])
    cv = list(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y))
    Xd = [r["text"] for r in dev_rows]
    yd = np.array([index[r["label"]] for r in dev_rows])
    hard = np.array([r.get("difficulty") == "hard" for r in dev_rows])
    data, dev = (X, y, genres, topics, cv), (Xd, yd, hard)
    meta = json.loads((REPO / "framing" / "models" / "framing.json").read_text(encoding="utf-8"))
    best_c = meta["cv"]["params"]["classifier__C"]  # chosen by `framing train` (5-fold grid search)
    print(f"training_data: {len(X)} paragraphs, {len(set(genres))} genres, {len(set(topics))} topics; "
          f"dev: {len(Xd)} paragraphs ({hard.sum()} hard); C grid {PARAM_GRID['classifier__C']}\n")
    print("| step | CV macro-F1 | leave-one-genre-out | leave-one-topic-out | dev macro-F1 | dev hard | ECE (CV) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, model, calibrate in steps(best_c):
        t0 = time.perf_counter()
        r = evaluate(model, calibrate, data, dev)
        print(f"| {name} | {r[0]:.3f} | {r[1]:.3f} | {r[2]:.3f} | {r[3]:.3f} | {r[4]:.3f} | {r[5]:.3f} |",
              flush=True)
        print(f"  ({time.perf_counter() - t0:.0f}s)", file=sys.stderr)
    for name, *r in lexicon_rows(data, dev, rows, dev_rows):
        print(f"| {name} | {r[0]:.3f} | {r[1]:.3f} | {r[2]:.3f} | {r[3]:.3f} | {r[4]:.3f} | - |", flush=True)


if __name__ == "__main__":
    main()
