import json
import shutil

import pytest

import framing
from framing.data import data_sha256, read_labelled
from framing.model import BUNDLED_MODEL, metadata_path, scorer_path

from conftest import TRAINING_DATA


def test_shipped_model_is_not_stale():
    """The bundled model must be trained on training_data/ as it is now: run `framing train` if not."""
    meta = json.loads(metadata_path(BUNDLED_MODEL).read_text(encoding="utf-8"))
    records = read_labelled(TRAINING_DATA)
    assert meta["data"]["sha256"] == data_sha256(records), "stale model: run `framing train`"
    assert meta["data"]["n_records"] == len(records)


def test_shipped_metadata_says_what_the_model_was_built_with():
    meta = framing.Classifier().metadata
    assert meta["labels"] == list(framing.LABELS)
    for key in ("scikit-learn", "numpy", "python", "framing"):
        assert meta["versions"][key]
    assert 0 < meta["cv"]["macro_f1"] <= 1
    assert set(meta["cv"]["per_label"]) == set(framing.LABELS)
    assert BUNDLED_MODEL.stat().st_size <= 20e6


@pytest.fixture
def model_copy(tmp_path):
    model = tmp_path / "copy.joblib"
    shutil.copy(BUNDLED_MODEL, model)
    shutil.copy(metadata_path(BUNDLED_MODEL), metadata_path(model))
    shutil.copy(scorer_path(BUNDLED_MODEL), scorer_path(model))
    return model


def test_a_verified_copy_loads_and_agrees(model_copy):
    text = "Les robots désherbeurs font gagner un temps précieux aux maraîchers."
    assert framing.Classifier(model_copy).classify(text) == framing.classify(text)


def test_missing_model_file_is_refused(tmp_path):
    with pytest.raises(framing.ModelError, match="not found"):
        framing.Classifier(tmp_path / "nope.joblib")


def test_model_without_metadata_is_refused_with_the_risk_explained(model_copy):
    metadata_path(model_copy).unlink()
    with pytest.raises(framing.ModelError, match="unpickling runs code"):
        framing.Classifier(model_copy)


def test_corrupted_model_is_refused_before_unpickling(model_copy):
    data = bytearray(model_copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model_copy.write_bytes(bytes(data))
    with pytest.raises(framing.ModelError, match="sha256"):
        framing.Classifier(model_copy)


def test_corrupted_tables_are_refused(model_copy):
    path = scorer_path(model_copy)
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(framing.ModelError, match="sha256"):
        framing.Classifier(model_copy)


def test_missing_tables_are_refused(model_copy):
    scorer_path(model_copy).unlink()
    with pytest.raises(framing.ModelError, match="missing"):
        framing.Classifier(model_copy)


def test_explain_unpickles_only_a_verified_pipeline(model_copy):
    clf = framing.Classifier(model_copy)
    model_copy.write_bytes(model_copy.read_bytes()[:-10])  # swapped after loading
    with pytest.raises(framing.ModelError, match="sha256"):
        clf.explain("Une avancée remarquable.")


def test_truncated_model_is_refused(model_copy):
    model_copy.write_bytes(model_copy.read_bytes()[:1000])
    with pytest.raises(framing.ModelError, match="framing train"):
        framing.Classifier(model_copy)


def _edit_metadata(model, **changes):
    path = metadata_path(model)
    meta = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        target = meta
        *parents, last = key.split(".")
        for p in parents:
            target = target[p]
        target[last] = value
    path.write_text(json.dumps(meta), encoding="utf-8")


def test_other_scikit_learn_version_is_refused_with_the_fix(model_copy):
    _edit_metadata(model_copy, **{"versions.scikit-learn": "0.24.2"})
    with pytest.raises(framing.ModelError, match=r"scikit-learn 0\.24\.2.*framing train"):
        framing.Classifier(model_copy)


def test_other_labels_are_refused(model_copy):
    _edit_metadata(model_copy, labels=["positive", "negative", "neutral"])
    with pytest.raises(framing.ModelError, match="labels"):
        framing.Classifier(model_copy)


def test_bad_model_path_type():
    with pytest.raises(TypeError):
        framing.Classifier(42)
