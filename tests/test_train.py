import json

import numpy as np
import pytest

import framing
from framing.model import metadata_path

from conftest import run_cli

pytestmark = pytest.mark.slow


def test_trained_model_loads_with_model_option(tiny_model, tmp_path):
    meta = json.loads(metadata_path(tiny_model).read_text(encoding="utf-8"))
    assert meta["data"]["n_records"] == 75
    assert meta["cv"]["folds"] == 3 and "classifier__C" in meta["cv"]["params"]
    clf = framing.Classifier(tiny_model)
    p = clf.classify("Une percée remarquable pour la recherche médicale.")
    assert p.label in framing.LABELS
    proc = run_cli("classify", "-", "--model", tiny_model, "--format", "jsonl",
                   input="Une percée remarquable pour la recherche médicale.".encode())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["label"] == p.label


def test_training_is_deterministic(tiny_data, tiny_model, tmp_path):
    from framing.train import train

    other = tmp_path / "again.joblib"
    train([tiny_data], out=other, folds=3, log=lambda line: None)
    a, b = framing.Classifier(tiny_model), framing.Classifier(other)
    assert np.array_equal(a._pipeline[-1].coef_, b._pipeline[-1].coef_)
    texts = ["Un progrès décisif.", "Une menace pour la vie privée.", "Le texte sera examiné jeudi."]
    assert [p.scores for p in a.classify(texts)] == [p.scores for p in b.classify(texts)]


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
