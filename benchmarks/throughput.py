"""Throughput of framing.classify on ~400-character paragraphs, one process, next to a naive pipeline.

usage: python benchmarks/throughput.py [N_PARAGRAPHS]   (from the repository root)
Prints paragraphs/s for framing (batch), a warm single call's median latency, and a
naive TfidfVectorizer + LogisticRegression trained on the same corpus.
"""
import statistics
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import framing
from framing.data import read_labelled
from framing.train import default_data_dir


def paragraphs(records, n):
    pool = [r.text for r in records if 300 <= len(r.text) <= 500]
    return (pool * (n // len(pool) + 1))[:n]


def rate(fn, texts, repeat=3):
    best = min(_timed(fn, texts) for _ in range(repeat))
    return len(texts) / best


def _timed(fn, texts):
    t0 = time.perf_counter()
    fn(texts)
    return time.perf_counter() - t0


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    records = read_labelled(default_data_dir())
    texts = paragraphs(records, n)
    mean_len = sum(map(len, texts)) / len(texts)
    clf = framing.Classifier()
    clf.classify(texts[:10])
    naive = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=2000))
    naive.fit([r.text for r in records], [r.label for r in records])
    ours = rate(clf.classify, texts)
    theirs = rate(naive.predict_proba, texts)
    single = []
    for text in texts[:2000]:
        t0 = time.perf_counter()
        clf.classify(text)
        single.append(time.perf_counter() - t0)
    print(f"{len(texts)} paragraphs of {mean_len:.0f} characters on average, one process")
    print(f"framing.classify (batch)        {ours:10,.0f} paragraphs/s")
    print(f"naive Tfidf + LogisticRegression {theirs:10,.0f} paragraphs/s  (framing is {ours / theirs:.2f}x)")
    print(f"warm single call, median         {statistics.median(single) * 1e3:10.2f} ms")


if __name__ == "__main__":
    main()
