"""Shared fixtures. Tests import framing as a user would: the installed package."""
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import framing

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_DIR = SHARED / "seed"
TRAINING_DATA = REPO / "training_data"


def run_cli(*args, input=None, cwd=None):
    """Run ``python -m framing ARGS`` in a subprocess; returns the CompletedProcess.

    It runs outside the repository by default, so that it uses the installed
    package as a user's shell would, not the source folder.
    """
    return subprocess.run([sys.executable, "-m", "framing", *map(str, args)], input=input,
                          capture_output=True, cwd=cwd or tempfile.gettempdir(), timeout=300)


@pytest.fixture(scope="session")
def corpus_records():
    from framing.data import read_labelled

    return read_labelled(TRAINING_DATA)


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory, corpus_records):
    """A small labelled JSONL sample of the real corpus (25 per label), for quick training."""
    rng = random.Random(0)
    rows = []
    for label in framing.LABELS:
        pool = [r for r in corpus_records if r.label == label]
        rows += rng.sample(pool, 25)
    path = tmp_path_factory.mktemp("tiny") / "tiny.jsonl"
    path.write_text("".join(json.dumps({"text": r.text, "label": r.label}, ensure_ascii=False) + "\n"
                            for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, tiny_data):
    """A model trained on tiny_data through the CLI; returns its path."""
    out = tmp_path_factory.mktemp("model") / "tiny.npz"
    proc = run_cli("train", "--data", tiny_data, "--out", out, "--folds", "3")
    assert proc.returncode == 0, proc.stderr.decode()
    return out


@pytest.fixture
def seed_text():
    files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    if not files:
        pytest.skip(f"seed article not found in {SEED_DIR} (the shared folder is absent)")
    return files[0].read_text(encoding="utf-8")


def interrupt_classify_mid_run(tmp_path, sig):
    """Run ``framing classify`` on a FIFO into an existing ``out.jsonl``, send ``sig`` once the
    output has been started, and return (exit code, stderr). The input blocks mid-way, so the
    signal always lands during the run."""
    import json
    import os
    import time

    src, out = tmp_path / "stream.jsonl", tmp_path / "out.jsonl"
    out.write_text("keep me\n", encoding="utf-8")
    os.mkfifo(src)
    proc = subprocess.Popen([sys.executable, "-m", "framing", "classify", str(src), "-o", str(out)],
                            stderr=subprocess.PIPE, cwd=tmp_path)
    with open(src, "w", encoding="utf-8") as fifo:
        for i in range(3000):
            fifo.write(json.dumps({"text": f"Paragraphe {i} sur l'IA."}) + "\n")
        fifo.flush()
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".part") for p in tmp_path.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)  # wait until the output has been started
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    return proc.returncode, err
