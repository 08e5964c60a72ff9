import json
import os
import subprocess
import sys

import pytest

import framing
from framing.train import PARAM_GRID
from framing.model import file_sha256, metadata_path

from conftest import run_cli

pytestmark = pytest.mark.slow


def test_trained_model_loads_with_model_option(tiny_model, tmp_path):
    meta = json.loads(metadata_path(tiny_model).read_text(encoding="utf-8"))
    assert meta["data"]["n_records"] == 75
    assert meta["cv"]["folds"] == 3 and "classifier__C" in meta["cv"]["params"]
    assert sorted(p.name for p in tiny_model.parent.iterdir()) == ["tiny.json", "tiny.npz"]  # no pickle
    clf = framing.Classifier(tiny_model)
    p = clf.classify("Une percée remarquable pour la recherche médicale.")
    assert p.label in framing.LABELS
    proc = run_cli("classify", "-", "--model", tiny_model, "--format", "jsonl",
                   input="Une percée remarquable pour la recherche médicale.".encode())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["label"] == p.label


def _train_in_subprocess(data, out, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    proc = subprocess.run([sys.executable, "-m", "framing", "train", "--data", str(data), "--out", str(out),
                           "--folds", "3"], capture_output=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()


def test_training_is_deterministic_whatever_the_thread_count(tiny_data, tiny_model, tmp_path):
    from threadpoolctl import threadpool_limits

    from framing.train import train

    # in this process with two BLAS/OpenMP threads, and in others with one and two
    with threadpool_limits(limits=2):
        train([tiny_data], out=tmp_path / "here.npz", folds=3, log=lambda line: None)
    _train_in_subprocess(tiny_data, tmp_path / "one.npz", 1)
    _train_in_subprocess(tiny_data, tmp_path / "two.npz", 2)
    models = (tiny_model, tmp_path / "here.npz", tmp_path / "one.npz", tmp_path / "two.npz")
    hashes = {file_sha256(p) for p in models}
    assert len(hashes) == 1


def test_every_fit_runs_on_one_thread(tiny_data, monkeypatch):
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_info, threadpool_limits

    import framing.estimators as estimators_module
    import framing.train as train_module

    seen = []

    class Recording(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            seen.append({info["num_threads"] for info in threadpool_info()})
            return super().fit(X, y, sample_weight)

    monkeypatch.setattr(estimators_module, "LogisticRegression", Recording)
    records = [json.loads(line) for line in tiny_data.read_text(encoding="utf-8").splitlines()]
    with threadpool_limits(limits=2):
        train_module.fit([r["text"] for r in records], [r["label"] for r in records], folds=2,
                         grid={"classifier__C": [1.0, 3.0]})
    assert len(seen) == 2 * 2 + 1  # every (fold, setting), then the final fit
    assert all(threads == {1} for threads in seen)


def test_parallel_folds_give_the_same_model(tiny_data, tmp_path):
    from framing.train import train

    train([tiny_data], out=tmp_path / "serial.npz", folds=3, log=lambda line: None)
    train([tiny_data], out=tmp_path / "parallel.npz", folds=3, n_jobs=2, log=lambda line: None)
    assert file_sha256(tmp_path / "serial.npz") == file_sha256(tmp_path / "parallel.npz")


def test_train_shows_progress_on_stderr_and_the_report_on_stdout(tiny_data, tmp_path):
    out = tmp_path / "m.npz"
    proc = run_cli("train", "--data", tiny_data, "--out", out, "--folds", "3")
    assert proc.returncode == 0, proc.stderr
    err, report = proc.stderr.decode(), proc.stdout.decode()
    steps = [line for line in err.splitlines() if " of 3, C=" in line]
    grid = json.loads(metadata_path(out).read_text(encoding="utf-8"))
    grid_c = PARAM_GRID["classifier__C"]
    assert len(steps) == 3 * len(grid_c)  # every fold of every setting of the grid
    assert steps[0].startswith(f"framing: fold 1 of 3, C={grid_c[0]:g}: macro-F1 ") and "elapsed)" in steps[0]
    assert steps[-1].startswith(f"framing: fold 3 of 3, C={grid_c[-1]:g}: ")
    assert "fold 1 of 3" not in report
    assert "confusion" in report and f"model written to {out}" in report
    assert f"{grid['cv']['macro_f1']:.3f}" in report


def test_out_must_name_an_npz(tiny_data, tmp_path):
    proc = run_cli("train", "--data", tiny_data, "--out", tmp_path / "m.joblib")
    assert proc.returncode == 2 and b"--out " in proc.stderr and b"m.npz" in proc.stderr
    assert b"Traceback" not in proc.stderr and list(tmp_path.iterdir()) == []


def test_add_appends_to_the_builtin_corpus(tiny_data):
    from framing.data import read_labelled
    from framing.train import default_data_dir, training_sources

    sources = training_sources(add=[tiny_data])
    assert sources == [default_data_dir(), tiny_data]
    # the sample repeats corpus paragraphs with the same labels: kept once, no conflict
    assert len(read_labelled(sources)) == len(read_labelled(default_data_dir()))
    assert training_sources(data=[tiny_data]) == [tiny_data]


def test_python_m_framing_train_help():
    proc = run_cli("train", "--help")
    assert proc.returncode == 0 and b"--add" in proc.stdout
