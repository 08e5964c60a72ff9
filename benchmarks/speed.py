"""Speed and memory of framing, side by side with a naive TF-IDF + LogisticRegression pipeline.

usage: python benchmarks/speed.py [--rows-cli N]   (from the repository root, after `pip install .`)

Prints: batch throughput on ~400-character paragraphs in one process (and the
ratio to the naive pipeline trained on the same corpus), the speed-up with
n_jobs=2, the median warm single call, the cold start of a new process, the
model file size, and the peak memory of `framing classify` streaming a large
JSONL corpus (default 1,000,000 paragraphs).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import framing
from framing.data import read_labelled
from framing.model import BUNDLED_MODEL
from framing.train import default_data_dir


def paragraphs(records, n):
    pool = [r.text for r in records if 300 <= len(r.text) <= 500]
    return (pool * (n // len(pool) + 1))[:n]


def best_rate(fn, texts, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


def cold_start():
    code = "import framing; framing.classify(\"L'IA n'est pas une menace pour l'emploi.\")"
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=tempfile.gettempdir())
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cli_peak_memory(records, rows):
    pool = paragraphs(records, 5000)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "corpus.jsonl"), os.path.join(tmp, "out.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            for i in range(rows):
                f.write(json.dumps({"id": i, "text": pool[i % len(pool)]}, ensure_ascii=False) + "\n")
        size = os.path.getsize(src)
        # The CLI's own peak resident memory, reported by the process itself: VmHWM, since
        # ru_maxrss keeps the forking parent's peak across exec on Linux.
        code = ("import sys; from framing.cli import main; rc = main(sys.argv[1:]); "
                "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM'))); "
                "sys.exit(rc)")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code, "classify", src, "-o", out], check=True,
                              cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        elapsed = time.perf_counter() - t0
    return size, elapsed, int(proc.stdout.split()[-1]) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000, help="paragraphs for the throughput runs")
    parser.add_argument("--rows-cli", type=int, default=1_000_000, help="paragraphs for the CLI memory run")
    args = parser.parse_args()
    records = read_labelled(default_data_dir())
    texts = paragraphs(records, args.rows)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{len(texts)} paragraphs of {sum(map(len, texts)) / len(texts):.0f} characters on average\n")
    clf = framing.Classifier()
    clf.classify(texts[:10])
    naive = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=2000))
    naive.fit([r.text for r in records], [r.label for r in records])
    ours = best_rate(clf.classify, texts)
    theirs = best_rate(naive.predict_proba, texts)
    big = texts * 3
    clf.classify(big[:12000], n_jobs=2)  # start the worker processes
    two = best_rate(lambda t: clf.classify(t, n_jobs=2), big, repeat=2)
    one = best_rate(clf.classify, big, repeat=2)
    single = []
    for text in texts[:3000]:
        t0 = time.perf_counter()
        clf.classify(text)
        single.append(time.perf_counter() - t0)
    print(f"batch, one process        framing {ours:9,.0f} paragraphs/s | naive TF-IDF+LR {theirs:9,.0f}/s "
          f"| ratio {ours / theirs:.2f}")
    print(f"batch, n_jobs=2           framing {two:9,.0f} paragraphs/s | speed-up {two / one:.2f}x over one process")
    print(f"warm single call          median {statistics.median(single) * 1e3:.2f} ms")
    print(f"cold start                new process, import + first classify: {cold_start():.2f} s (median of 5)")
    print(f"model file                {BUNDLED_MODEL.name} {BUNDLED_MODEL.stat().st_size / 1e6:.1f} MB")
    if args.rows_cli:
        size, elapsed, peak = cli_peak_memory(records, args.rows_cli)
        print(f"CLI, {args.rows_cli:,} paragraphs ({size / 1e6:,.0f} MB JSONL): {elapsed:.0f} s "
              f"({args.rows_cli / elapsed:,.0f}/s), peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
