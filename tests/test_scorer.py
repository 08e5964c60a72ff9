"""The compiled score tables must predict what the scikit-learn pipeline predicts."""
import numpy as np
import pytest

import framing
from framing.scorer import LinearScorer


@pytest.fixture(scope="module")
def classifier():
    return framing.Classifier()


def test_bundled_model_uses_the_tables(classifier):
    assert isinstance(classifier._scorer, LinearScorer)


def test_classify_needs_neither_scikit_learn_nor_unpickling():
    import subprocess
    import sys

    code = ("import sys, framing; framing.classify('Une avancée.'); "
            "print(any(m.startswith('sklearn') for m in sys.modules), 'joblib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_tables_round_trip_through_npz(classifier, tmp_path):
    path = tmp_path / "t.npz"
    with open(path, "wb") as f:
        classifier._scorer.save(f)
    again = LinearScorer.load(path)
    texts = ["Une avancée remarquable.", "Un risque majeur pour la vie privée."]
    assert np.array_equal(again.predict_proba(texts), classifier._scorer.predict_proba(texts))


def test_tables_equal_pipeline_on_the_corpus(classifier, corpus_records):
    texts = [r.text for r in corpus_records[::3]] + ["x", "😀", "12 000", "Mais non !", "a " * 3000]
    fast = classifier._scorer.predict_proba(texts)
    slow = classifier._pipeline.predict_proba(texts)
    assert np.abs(fast - slow).max() < 1e-5
    assert np.array_equal(fast.argmax(axis=1), slow.argmax(axis=1))


def test_vectorizers_are_proper_transformers(classifier):
    features = classifier._pipeline[:-1]
    names = features.get_feature_names_out()
    x = features.transform(["L'IA n'est pas une menace, mais un outil."])
    assert x.shape == (1, len(names))
    assert any(n.startswith("words__") for n in names) and any(n.startswith("chars__") for n in names)
    for _, vec in features[-1].transformer_list:
        params = vec.get_params()
        assert type(vec)(**params).get_params() == params  # no logic in __init__
